"""A split rule's old code keeps meaning what it meant (registry.REDIRECTS, ruff's redirects).

AIO309 `deprecated-in-3-14` became AIO309 `asyncio-iscoroutinefunction` and AIO312
`event-loop-policy`: wherever a selector goes (select, ignore, per-file-ignores,
extend-safe-fixes, `# noqa:`, `# asynclint: noqa:`), `AIO309` covers both, less specifically than
`AIO312` itself; `asynclint rule deprecated-in-3-14` says where the rule went.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from test_config import cli_settings, write_config
from test_flake8 import flake8, parse

from asynclint import cli
from asynclint.config import ConfigError, Settings
from asynclint.docs import rule_docs
from asynclint.engine import lint_text
from asynclint.registry import REDIRECTS, Redirect, RegistryError, all_rules, check_redirects, get_rule

BOTH = (
    "import asyncio\n"
    "print(asyncio.iscoroutinefunction(print))\n"  # line 2: AIO309
    "print(asyncio.get_event_loop_policy())\n"  # line 3: AIO312
)

SELECTION = [
    # The old code selects and ignores both halves, as it did before the split.
    ({"select": ["AIO309"]}, [], {"AIO309": True, "AIO312": True, "AIO101": False}),
    ({"ignore": ["AIO309"]}, [], {"AIO309": False, "AIO312": False, "AIO101": True}),
    # A new code is more specific than the old one, in either direction, within one source ...
    ({"ignore": ["AIO309"], "extend-select": ["AIO312"]}, [], {"AIO309": False, "AIO312": True}),
    ({"select": ["AIO309"], "ignore": ["AIO312"]}, [], {"AIO309": True, "AIO312": False}),
    # ... and a later source has the last word as usual.
    ({"ignore": ["AIO309"]}, ["--extend-select", "AIO312"], {"AIO309": False, "AIO312": True}),
    ({}, ["--select", "AIO312"], {"AIO309": False, "AIO312": True}),
    # The old code is more specific than a prefix of the new one.
    ({"select": ["AIO309"], "ignore": ["AIO31"]}, [], {"AIO312": True}),
    ({"select": ["AIO31"], "ignore": ["AIO309"]}, [], {"AIO312": False}),
    # Only the full old code redirects: a prefix of it means what a prefix means.
    ({"ignore": ["AIO30"]}, [], {"AIO309": False, "AIO312": True}),
]


@pytest.mark.parametrize(("table", "options", "expected"), SELECTION)
def test_the_old_code_selects_both(
    tmp_path: Path, table: dict[str, Any], options: list[str], expected: dict[str, bool]
) -> None:
    write_config(tmp_path, table)
    (tmp_path / "m.py").write_text("")
    settings = cli_settings(tmp_path, options)
    assert {code: settings.is_selected(get_rule(code)) for code in expected} == expected  # type: ignore[arg-type]


def test_per_file_ignores_and_safe_fixes_follow_the_redirect(tmp_path: Path) -> None:
    write_config(
        tmp_path, {"extend-safe-fixes": ["AIO309"]}, '[tool.asynclint.per-file-ignores]\n"m.py" = ["AIO309"]\n'
    )
    (tmp_path / "m.py").write_text("")
    settings = cli_settings(tmp_path, [])
    rules = [get_rule("AIO309"), get_rule("AIO312")]
    assert settings.rules_for(rules, str(tmp_path / "m.py")) == []  # type: ignore[arg-type]
    assert settings.rules_for(rules, str(tmp_path / "other.py")) == rules  # type: ignore[arg-type]
    assert settings.fix_allowed("AIO309", "unsafe") and settings.fix_allowed("AIO312", "unsafe")
    assert not settings.fix_allowed("AIO308", "unsafe")


def test_names_are_still_not_selectors(tmp_path: Path) -> None:
    (tmp_path / "m.py").write_text("")
    with pytest.raises(ConfigError, match="--select: unknown rule selector 'DEPRECATED-IN-3-14'"):
        cli_settings(tmp_path, ["--select", "deprecated-in-3-14"])


@pytest.mark.parametrize(
    ("comment", "line", "expected"),
    [
        ("# noqa: AIO309", 3, {(2, "AIO309")}),  # silences the policy finding, as before the split
        ("# noqa: AIO309", 2, {(3, "AIO312")}),
        ("# NOQA:aio309", 3, {(2, "AIO309")}),
        ("# noqa: AIO312", 2, {(2, "AIO309"), (3, "AIO312")}),  # a new code covers only its rule
        ("# noqa: AIO30", 3, {(2, "AIO309"), (3, "AIO312")}),  # a prefix of the old code is a prefix
        ("# asynclint: noqa: AIO309", 0, set()),  # a line of its own: the whole file
    ],
)
def test_noqa_with_the_old_code(comment: str, line: int, expected: set[tuple[int, str]]) -> None:
    lines = BOTH.splitlines()
    if line:
        lines[line - 1] += f"  {comment}"
    else:
        lines.insert(0, comment)
        expected = {(n + 1, code) for n, code in expected}
    found = lint_text("\n".join(lines) + "\n", Settings(select=("AIO3",)))
    assert {(d.line, d.code) for d in found} == expected


def test_flake8_applies_the_redirect_in_noqa(tmp_path: Path) -> None:
    """flake8's own `# noqa:` matching knows no redirect, but the plugin applies asynclint's."""
    (tmp_path / "m.py").write_text(BOTH.replace("policy())\n", "policy())  # noqa: AIO309\n"))
    out = flake8("--select", "AIO", "m.py", cwd=tmp_path)
    assert {(row, code) for _, row, _, code in parse(out.stdout)} == {(2, "AIO309")}, out.stderr


def test_the_split_is_reported_as_before_but_for_the_code() -> None:
    found = lint_text(BOTH, Settings(select=("AIO3",)))
    assert [(d.code, d.name, d.message) for d in found] == [
        (
            "AIO309",
            "asyncio-iscoroutinefunction",
            "`asyncio.iscoroutinefunction` is deprecated since Python 3.14: use `inspect.iscoroutinefunction`",
        ),
        (
            "AIO312",
            "event-loop-policy",
            "`asyncio.get_event_loop_policy` is deprecated since Python 3.14: use a `loop_factory`",
        ),
    ]


@pytest.mark.parametrize("spelling", ["deprecated-in-3-14", "deprecated-in-3.14", "DEPRECATED-IN-3-14"])
def test_asynclint_rule_says_where_the_old_rule_went(spelling: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["rule", spelling]) == 0
    out = capsys.readouterr().out
    assert out.startswith(
        "AIO309 `deprecated-in-3-14` was split into AIO309 `asyncio-iscoroutinefunction` and AIO312 `event-loop-policy`."
    )
    assert "\nAIO309  asyncio-iscoroutinefunction " in out and "\nAIO312  event-loop-policy " in out


def test_each_half_documents_the_split() -> None:
    for code in ("AIO309", "AIO312"):
        docs = rule_docs(get_rule(code))  # type: ignore[arg-type]
        assert "\n## Formerly\nAIO309 `deprecated-in-3-14` was split into" in docs
        assert '`ignore = ["AIO309"]` with `extend-select = ["AIO312"]` keeps AIO312' in docs


OPTIONS = ("--no-format", "--unsafe-fixes", "-j", "1", "m.py")


def test_the_old_codemod_name_still_runs_the_fix(tmp_path: Path) -> None:
    from asynclint import codemod

    assert codemod.DeprecatedIn314Command is codemod.COMMANDS["AsyncioIscoroutinefunctionCommand"]
    (tmp_path / "m.py").write_text(BOTH)
    out = subprocess.run(
        [sys.executable, "-m", "libcst.tool", "codemod", "-x", "asynclint.codemod.DeprecatedIn314Command", *OPTIONS],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.returncode == 0, out.stderr
    assert "inspect.iscoroutinefunction(print)" in (tmp_path / "m.py").read_text()


def _registered() -> tuple[dict[str, Any], dict[str, Any]]:
    rules = all_rules()
    return {r.CODE: r for r in rules}, {r.NAME: r for r in rules}


@pytest.mark.parametrize(
    ("redirect", "message"),
    [
        (
            Redirect("AIO398", "gone", into=("AIO399",)),
            r"redirect AIO398 gone: leads to \('AIO399',\), not to registered",
        ),
        (Redirect("AIO398", "dangling-task", into=("AIO101",)), r"its old name is DanglingTask's name"),
        (Redirect("AIO201", "gone", into=("AIO202",)), r"its old code is BlockingSleep's, which it does not lead to"),
    ],
    ids=["nowhere", "live-name", "someone-elses-code"],
)
def test_a_bad_redirect_is_rejected(redirect: Redirect, message: str) -> None:
    with pytest.raises(RegistryError, match=message):
        check_redirects((redirect,), *_registered())
    check_redirects(REDIRECTS, *_registered())  # what `all_rules()` runs
