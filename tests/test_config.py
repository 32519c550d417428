"""Settings: ruff's selection layering (config file, then command line), and the loader's shapes.

Selection rows are (config table, command-line options, {code: selected?}); the command line is
parsed by the CLI's own parser and layered by its own `_settings`, on a real pyproject.toml.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from expectations import fix

from asynclint import cli
from asynclint.config import ConfigError, Settings, load_settings, target_from_requires_python
from asynclint.engine import Action, Request, lint_text, process
from asynclint.registry import get_rule

SELECTION = [
    # The defaults: every rule that is on, no opt-in one.
    ({}, [], {"AIO101": True, "AIO203": False, "AIO604": False}),
    # A later `select` replaces an earlier extend-select (it survived a CLI --select before).
    ({"extend-select": ["AIO203"]}, ["--select", "AIO201"], {"AIO203": False, "AIO201": True, "AIO101": False}),
    # A CLI ignore of the prefix beats the config's more specific extend-select: it is a later source.
    ({"extend-select": ["AIO203"]}, ["--ignore", "AIO"], {"AIO203": False, "AIO101": False}),
    # A CLI ignore adds to the config's instead of replacing it.
    ({"ignore": ["AIO202"]}, ["--ignore", "AIO101"], {"AIO202": False, "AIO101": False, "AIO201": True}),
    # A CLI extend-select adds to the config's select.
    ({"select": ["AIO1"]}, ["--extend-select", "AIO201"], {"AIO101": True, "AIO201": True, "AIO202": False}),
    # ... and re-enables what the config ignored.
    ({"ignore": ["AIO2"]}, ["--extend-select", "AIO201"], {"AIO201": True, "AIO202": False}),
    # Within one source the most specific selector wins ...
    ({"ignore": ["AIO2"], "extend-select": ["AIO201"]}, [], {"AIO201": True, "AIO202": False}),
    ({"select": ["AIO201"], "ignore": ["AIO"]}, [], {"AIO201": True, "AIO101": False}),
    # ... and ignore wins a tie.
    ({"select": ["AIO201"], "ignore": ["AIO201"]}, [], {"AIO201": False}),
    # ALL selects every rule, opt-in ones included; it is the least specific selector.
    ({}, ["--select", "ALL"], {"AIO101": True, "AIO203": True, "AIO604": True}),
    ({}, ["--select", "ALL", "--ignore", "AIO6"], {"AIO604": False, "AIO203": True}),
    ({"select": ["ALL"], "ignore": ["AIO2"], "extend-select": ["AIO203"]}, [], {"AIO203": True, "AIO202": False}),
    # A prefix does not turn an opt-in rule on; its full code does.
    ({}, ["--select", "AIO"], {"AIO203": False}),
    ({}, ["--select", "AIO2"], {"AIO203": False, "AIO201": True}),
    ({"select": ["AIO203"]}, [], {"AIO203": True, "AIO201": False}),
    # extend-ignore is ignore's other name, in the file and on the command line.
    ({"extend-ignore": ["AIO101"]}, ["--extend-ignore", "AIO201"], {"AIO101": False, "AIO201": False, "AIO202": True}),
    # An ignore of everything without a select (ruff: the defaults, minus everything).
    ({"ignore": ["ALL"]}, [], {"AIO101": False}),
    ({"ignore": ["ALL"]}, ["--extend-select", "AIO101"], {"AIO101": True, "AIO201": False}),
    # A CLI select undoes the config's ignore (it replaces the whole selection).
    ({"ignore": ["AIO101"]}, ["--select", "AIO1"], {"AIO101": True}),
]


def write_config(directory: Path, table: dict[str, Any], extra: str = "") -> None:
    lines = [f"{key} = {value!r}".replace("'", '"') for key, value in table.items() if not isinstance(value, dict)]
    (directory / "pyproject.toml").write_text("[tool.asynclint]\n" + "\n".join(lines) + "\n" + extra, encoding="utf-8")


def cli_settings(directory: Path, options: list[str]) -> Settings:
    return cli._settings(cli._parser().parse_args(["check", *options, str(directory / "m.py")]))


@pytest.mark.parametrize(("table", "options", "expected"), SELECTION)
def test_selection_layers_as_ruff_does(
    tmp_path: Path, table: dict[str, Any], options: list[str], expected: dict[str, bool]
) -> None:
    write_config(tmp_path, table)
    (tmp_path / "m.py").write_text("")
    settings = cli_settings(tmp_path, options)
    found = {code: settings.is_selected(get_rule(code)) for code in expected}  # type: ignore[arg-type]
    assert found == expected


def test_per_file_ignores_win_over_any_selection(tmp_path: Path) -> None:
    write_config(tmp_path, {"select": ["AIO201"]}, '[tool.asynclint.per-file-ignores]\n"m.py" = ["AIO"]\n')
    (tmp_path / "m.py").write_text("")
    settings = cli_settings(tmp_path, ["--extend-select", "AIO201"])
    rule = get_rule("AIO201")
    assert settings.rules_for([rule], str(tmp_path / "m.py")) == []  # type: ignore[list-item]
    assert settings.rules_for([rule], str(tmp_path / "other.py")) == [rule]  # type: ignore[list-item]


BLOCKING_IN_A_TEST = "import time\n\n\nasync def test_waits():\n    time.sleep(0.5)\n"


@pytest.mark.parametrize(
    ("relative", "is_test"),
    [
        ("tests/test_client.py", True),
        ("tests/helpers/files.py", True),
        ("src/pkg/tests/util.py", True),
        ("test/run.py", True),
        ("pkg/test_utils.py", True),
        ("pkg/client_test.py", True),
        ("conftest.py", True),
        ("pkg/sub/conftest.py", True),
        ("pkg/client.py", False),
        ("pkg/testing/fixtures.py", False),
        ("pkg/contest.py", False),
        ("pkg/latest.py", False),
        ("testsuite/run.py", False),
    ],
)
def test_blocking_rules_skip_test_files_by_default(tmp_path: Path, relative: str, is_test: bool) -> None:
    write_config(tmp_path, {})
    path = tmp_path / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    settings = load_settings(tmp_path)
    found = [d.code for d in lint_text(BLOCKING_IN_A_TEST, settings, str(path))]
    assert found == ([] if is_test else ["AIO201"])
    rules = {rule.CODE for rule in settings.rules_for([get_rule("AIO101"), get_rule("AIO202")], str(path))}  # type: ignore[list-item]
    assert rules == ({"AIO101"} if is_test else {"AIO101", "AIO202"})  # the 2xx family only


def test_test_paths_replace_the_default_and_empty_runs_everywhere(tmp_path: Path) -> None:
    write_config(tmp_path, {"test-paths": ["checks/*"]})
    settings = load_settings(tmp_path)
    assert settings.test_paths == ("checks/*",)
    assert [d.code for d in lint_text(BLOCKING_IN_A_TEST, settings, str(tmp_path / "checks" / "a.py"))] == []
    assert [d.code for d in lint_text(BLOCKING_IN_A_TEST, settings, str(tmp_path / "tests" / "a.py"))] == ["AIO201"]
    write_config(tmp_path, {"test-paths": []})
    settings = load_settings(tmp_path)
    assert [d.code for d in lint_text(BLOCKING_IN_A_TEST, settings, str(tmp_path / "tests" / "a.py"))] == ["AIO201"]


def test_test_paths_win_over_a_selection_as_per_file_ignores_do(tmp_path: Path) -> None:
    write_config(tmp_path, {"select": ["AIO201"]})
    settings = cli_settings(tmp_path, ["--select", "AIO201"])
    assert [d.code for d in lint_text(BLOCKING_IN_A_TEST, settings, str(tmp_path / "tests" / "t.py"))] == []


def test_test_paths_must_be_strings(tmp_path: Path) -> None:
    write_config(tmp_path, {"test-paths": "tests/*"})
    with pytest.raises(ConfigError, match="test-paths: expected a list of strings"):
        load_settings(tmp_path)


def test_all_works_wherever_a_selector_does(tmp_path: Path) -> None:
    write_config(tmp_path, {"extend-safe-fixes": ["ALL"]})
    settings = load_settings(tmp_path)
    assert settings.fix_allowed("AIO201", "unsafe") and not settings.fix_allowed("AIO201", "display-only")


@pytest.mark.parametrize("options", [["--select", "AIO999"], ["--extend-ignore", "E501"], ["--ignore", "ALLX"]])
def test_command_line_selectors_are_checked(tmp_path: Path, options: list[str]) -> None:
    (tmp_path / "m.py").write_text("")
    with pytest.raises(ConfigError, match=f"{options[0]}: unknown rule selector"):
        cli_settings(tmp_path, options)


def test_config_selectors_are_checked_by_the_loader(tmp_path: Path) -> None:
    """Every face calls load_settings, so a typo in a code fails them all, not just the CLI."""
    write_config(tmp_path, {"extend-select": ["AIO2O3"]})
    with pytest.raises(ConfigError, match=r"\[tool.asynclint\] extend-select: unknown rule selector 'AIO2O3'"):
        load_settings(tmp_path)


@pytest.mark.parametrize(
    ("spec", "expected"),
    [(">=3.9,<4", (3, 9)), (">3.10", (3, 10)), ("~=3.12.1", (3, 12)), (">=3." + "9" * 5000, None), ("", None)],
)
def test_requires_python(spec: str, expected: tuple[int, int] | None) -> None:
    assert target_from_requires_python(spec) == expected


def test_config_error_messages_are_one_line(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.asynclint]\n"sel\\nect" = 1\n', encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_settings(tmp_path)
    assert "\n" not in str(caught.value) and "unknown option" in str(caught.value)


# ------------------------------------------------------------------------------ suppression in the engine
SOURCE = "import asyncio\nimport time\n\n\nasync def main():\n    asyncio.create_task(main())\n    time.sleep(1)\n"
EVERYTHING = Settings(unsafe_fixes=True, target_version=(3, 11))


@pytest.mark.parametrize(
    ("header", "codes"),
    [
        ("", {"AIO101", "AIO201"}),
        ("# asynclint: noqa\n", set()),
        ("# ASYNCLINT: NOQA: aio1\n", {"AIO201"}),
        ("#asynclint:noqa:AIO101,AIO2\n", set()),
        ("# asynclint: noqa: AIO101 AIO201\n", set()),
        ("# flake8: noqa\n", set()),
        ("# flake8: noqa: AIO101\n", set()),  # flake8 itself exempts the whole file for this
        ("x = 1  # asynclint: noqa\n", {"AIO101", "AIO201"}),  # not on a line of its own
        ("x = 1  # flake8: noqa\n", {"AIO101", "AIO201"}),
    ],
)
def test_file_level_directives(header: str, codes: set[str]) -> None:
    text = header + SOURCE
    assert {d.code for d in lint_text(text, EVERYTHING)} == codes
    fixed = fix(text, EVERYTHING).new or text  # the codemods and `fix`: a suppressed finding is not fixed
    assert ("_background_tasks" in fixed) == ("AIO101" in codes)
    assert ("asyncio.sleep" in fixed) == ("AIO201" in codes)


def test_quick_fixes_honour_file_level_directives() -> None:
    """The language server's quick fix goes through the same filter."""
    text = "# asynclint: noqa: AIO201\n" + SOURCE
    assert process(Request(text, EVERYTHING, action=Action.FIX_ONE, finding=("AIO201", 8, 5))).new is None
    assert process(Request(text, EVERYTHING, action=Action.FIX_ONE, finding=("AIO101", 7, 5))).new is not None


@pytest.mark.parametrize("comment", ["# noqa: aio201", "# NOQA:AIO201", "#noqa: AIO2", "# noqa"])
def test_line_comments_in_any_case(comment: str) -> None:
    text = SOURCE.replace("time.sleep(1)", f"time.sleep(1)  {comment}")
    assert {d.code for d in lint_text(text, EVERYTHING)} == {"AIO101"}
