"""CI-gate outputs: JSON, SARIF (validated against the OASIS schema), GitHub annotations, statistics."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from asynclint.output import _github_data, _github_property
from asynclint.rule import Diagnostic
from asynclint.runner import FileResult

SCHEMA = json.loads((Path(__file__).parent / "data" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
BLOCKING = "import time\n\n\nasync def main():\n    time.sleep(1)\n"
DANGLING = "import asyncio\n\n\nasync def main():\n    asyncio.create_task(main())\n    asyncio.create_task(main())\n"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "a, b.py").write_text(BLOCKING)  # a comma in the name: GitHub needs it escaped
    (tmp_path / "dangling.py").write_text(DANGLING)
    return tmp_path


def asynclint(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "asynclint", *args], cwd=cwd, capture_output=True, text=True, timeout=120
    )


def test_json_schema_fields(project: Path) -> None:
    items = json.loads(asynclint("check", ".", "--format", "json", cwd=project).stdout)
    assert {tuple(sorted(item)) for item in items} == {
        ("code", "column", "end_column", "end_line", "fix", "line", "message", "name", "path")
    }
    (blocking,) = [i for i in items if i["code"] == "AIO201"]
    assert blocking["fix"] == {
        "title": "Replace with `await asyncio.sleep(...)`",
        "safety": "unsafe",
        "applicable": False,
    }


def test_sarif_is_valid_sarif_2_1_0(project: Path) -> None:
    out = asynclint("check", ".", "--format", "sarif", cwd=project)
    assert out.returncode == 1
    document = json.loads(out.stdout)
    jsonschema.validate(document, SCHEMA)
    results = document["runs"][0]["results"]
    assert sorted(r["ruleId"] for r in results) == ["AIO101", "AIO101", "AIO201"]
    rules = document["runs"][0]["tool"]["driver"]["rules"]
    for result in results:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
    region = next(r for r in results if r["ruleId"] == "AIO201")["locations"][0]["physicalLocation"]
    assert region["artifactLocation"]["uri"] == "a, b.py"
    assert region["region"] == {"startLine": 5, "startColumn": 5, "endLine": 5, "endColumn": 18}


def test_sarif_of_a_clean_run_is_valid(tmp_path: Path) -> None:
    (tmp_path / "ok.py").write_text("x = 1\n")
    jsonschema.validate(json.loads(asynclint("check", ".", "--format", "sarif", cwd=tmp_path).stdout), SCHEMA)


def test_github_annotations_are_escaped(project: Path) -> None:
    lines = asynclint("check", ".", "--format", "github", cwd=project).stdout.splitlines()
    assert (
        "::error title=asynclint (AIO201),file=a%2C b.py,line=5,col=5,endLine=5,endColumn=18::"
        + ("a, b.py:5:5: AIO201 `time.sleep()` blocks the event loop in coroutine `main`")
        in lines
    )
    assert _github_data("100%\r\nnext") == "100%25%0D%0Anext"
    assert _github_property("a:b,c%") == "a%3Ab%2Cc%25"


def test_statistics_exit_zero_and_output_file(project: Path) -> None:
    out = asynclint("check", ".", "--statistics", cwd=project)
    assert out.stdout.splitlines() == ["    2\tAIO101\t[*] dangling-task", "    1\tAIO201\t    blocking-sleep"]
    out = asynclint("check", ".", "--exit-zero", "--format", "json", "--output-file", "report.json", cwd=project)
    assert out.returncode == 0 and out.stdout == ""
    assert len(json.loads((project / "report.json").read_text())) == 3
    assert asynclint("check", "missing.py", "--exit-zero", cwd=project).returncode == 2


def test_github_format_on_results_without_files() -> None:
    from io import StringIO

    from asynclint.output import write_github

    buffer = StringIO()
    d = Diagnostic("AIO001", "unanalysable-file", "syntax error: x\ny", 1, 1, 1, 1)
    write_github([FileResult("p.py", [d])], buffer)
    assert (
        buffer.getvalue()
        == "::error title=asynclint (AIO001),file=p.py,line=1,col=1,endLine=1,endColumn=1::p.py:1:1: AIO001 syntax error: x%0Ay\n"
    )


def test_output_format_and_its_old_spelling(project: Path) -> None:
    concise = asynclint("check", ".", "--output-format", "concise", cwd=project).stdout
    assert (
        concise
        == asynclint("check", ".", "--format", "text", cwd=project).stdout
        == asynclint("check", ".", cwd=project).stdout
    )
    assert (
        asynclint("check", ".", "--format", "json", "--output-format", "concise", cwd=project).stdout == concise
    )  # last wins


def test_full_format_underlines_the_span_and_names_the_fix(tmp_path: Path) -> None:
    (tmp_path / "m.py").write_text("import time\n\n\nasync def main():\n    time.sleep(1)\n    return 1\n")
    out = asynclint("check", "--output-format", "full", "m.py", cwd=tmp_path)
    assert out.returncode == 1
    assert out.stdout.split("\n\n")[0].splitlines() == [
        "m.py:5:5: AIO201 `time.sleep()` blocks the event loop in coroutine `main`",
        "  |",
        "4 | async def main():",
        "5 |     time.sleep(1)",
        "  |     ^^^^^^^^^^^^^ AIO201",
        "6 |     return 1",
        "  |",
        "  = help: Replace with `await asyncio.sleep(...)`",
    ]
    assert out.stdout.endswith("\n\nFound 1 error.\n(1 more fixable with `asynclint fix --unsafe-fixes`.)\n")


def test_colour_only_where_asked_or_on_a_terminal(project: Path) -> None:
    import os

    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}

    def check(*args: str, **extra: str) -> str:
        return subprocess.run(
            [sys.executable, "-m", "asynclint", "check", ".", *args],
            cwd=project,
            env={**env, **extra},
            capture_output=True,
            text=True,
        ).stdout

    assert "\033[" not in check()  # a pipe
    assert "\033[1m\033[31mAIO201\033[0m" in check(FORCE_COLOR="1")
    assert "\033[" not in check(FORCE_COLOR="1", NO_COLOR="1")
    check("--output-file", "report.txt", FORCE_COLOR="1")
    assert "\033[" not in (project / "report.txt").read_text()

    from asynclint.cli import _wants_color

    class Terminal:
        def isatty(self) -> bool:
            return True

    assert _wants_color(Terminal(), {"TERM": "xterm"})  # type: ignore[arg-type]
    assert not _wants_color(Terminal(), {"TERM": "xterm", "NO_COLOR": "1"})  # type: ignore[arg-type]
    assert not _wants_color(Terminal(), {"TERM": "dumb"})  # type: ignore[arg-type]


def test_statistics_as_json(project: Path) -> None:
    out = asynclint("check", ".", "--statistics", "--format", "json", cwd=project)
    assert out.returncode == 1
    assert json.loads(out.stdout) == [
        {"code": "AIO101", "name": "dangling-task", "count": 2, "fixable": True},
        {"code": "AIO201", "name": "blocking-sleep", "count": 1, "fixable": False},
    ]


def test_fix_diff_honours_exit_zero(project: Path) -> None:
    assert asynclint("fix", "--diff", ".", cwd=project).returncode == 1
    out = asynclint("fix", "--diff", "--exit-zero", ".", cwd=project)
    assert out.returncode == 0 and "+_background_tasks: set[asyncio.Task[Any]] = set()" in out.stdout
    assert (project / "dangling.py").read_text() == DANGLING


def test_show_fixes_lists_the_fixes_per_file(project: Path) -> None:
    out = asynclint("fix", "--show-fixes", "--unsafe-fixes", "--no-cache", ".", cwd=project)
    assert out.returncode == 0, out.stdout
    assert out.stdout == (
        "Fixed 3 errors:\n- a, b.py:\n    1 \u00d7 AIO201 (blocking-sleep)\n- dangling.py:\n    2 \u00d7 AIO101 (dangling-task)\n\n"
        "Found 3 errors (3 fixed, 0 remaining).\n"
    )


def _apply(text: str, replacements: list[dict]) -> str:
    """Apply SARIF replacements (line/column regions, 1-based, end exclusive) to `text`."""
    lines = text.splitlines(keepends=True)
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))

    def offset(line: int, column: int) -> int:
        return (starts[line - 1] if line <= len(lines) else starts[-1]) + column - 1

    for change in sorted(
        replacements, key=lambda c: (c["deletedRegion"]["startLine"], c["deletedRegion"]["startColumn"]), reverse=True
    ):
        region = change["deletedRegion"]
        start, end = offset(region["startLine"], region["startColumn"]), offset(region["endLine"], region["endColumn"])
        text = text[:start] + change["insertedContent"]["text"] + text[end:]
    return text


def test_sarif_rules_and_fixes_for_dashboards(tmp_path: Path) -> None:
    source = "import asyncio\n\n\nasync def main():\n    asyncio.create_task(main())\n"
    (tmp_path / "m.py").write_text(source)
    (tmp_path / "fixed.py").write_text(source)
    document = json.loads(asynclint("check", "--format", "sarif", "m.py", cwd=tmp_path).stdout)
    jsonschema.validate(document, SCHEMA)
    run = document["runs"][0]
    rules = {rule["id"]: rule for rule in run["tool"]["driver"]["rules"]}
    from asynclint.docs import RULES_URL

    assert rules["AIO101"]["helpUri"] == RULES_URL + "AIO101_dangling-task.md"
    for rule in rules.values():
        assert {"shortDescription", "fullDescription", "help", "helpUri", "defaultConfiguration"} <= set(rule)
        assert rule["help"]["markdown"].startswith(rule["shortDescription"]["text"])
    levels = {code: rule["defaultConfiguration"]["level"] for code, rule in rules.items()}
    assert (levels["AIO001"], levels["AIO002"], levels["AIO101"], levels["AIO201"], levels["AIO301"]) == (
        "warning",
        "error",
        "error",
        "warning",
        "warning",
    )
    assert levels["AIO203"] == levels["AIO604"] == "note"  # opt-in
    (result,) = run["results"]
    assert result["level"] == "error"
    (fix,) = result["fixes"]
    (change,) = fix["artifactChanges"]
    assert change["artifactLocation"]["uri"] == "m.py"
    subprocess.run([sys.executable, "-m", "asynclint", "fix", "--no-cache", "fixed.py"], cwd=tmp_path, check=True)
    assert _apply(source, change["replacements"]) == (tmp_path / "fixed.py").read_text() != source


def test_gitlab_code_quality(project: Path) -> None:
    items = json.loads(asynclint("check", "--output-format", "gitlab", ".", cwd=project).stdout)
    assert len(items) == 3 and len({item["fingerprint"] for item in items}) == 3  # two identical findings, two prints
    blocking = next(item for item in items if item["check_name"] == "AIO201")
    assert blocking["severity"] == "minor" and blocking["location"] == {
        "path": "a, b.py",
        "positions": {"begin": {"line": 5, "column": 5}, "end": {"line": 5, "column": 18}},
    }
