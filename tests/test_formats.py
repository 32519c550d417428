"""CI-gate outputs: JSON, SARIF (validated against the OASIS schema), GitHub annotations, statistics."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from asynclint.output import _github_data, _github_property
from asynclint.rule import Diagnostic, FileResult

SCHEMA = json.loads((Path(__file__).parent / "data" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
BLOCKING = "import time\n\n\nasync def main():\n    time.sleep(1)\n"
DANGLING = "import asyncio\n\n\nasync def main():\n    asyncio.create_task(main())\n    asyncio.create_task(main())\n"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "a, b.py").write_text(BLOCKING)  # a comma in the name: GitHub needs it escaped
    (tmp_path / "dangling.py").write_text(DANGLING)
    return tmp_path


def asynclint(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "asynclint", *args], cwd=cwd, capture_output=True, text=True, timeout=120)


def test_json_schema_fields(project: Path) -> None:
    items = json.loads(asynclint("check", ".", "--format", "json", cwd=project).stdout)
    assert {tuple(sorted(item)) for item in items} == {
        ("code", "column", "end_column", "end_line", "fix", "line", "message", "name", "path")
    }
    (blocking,) = [i for i in items if i["code"] == "AIO201"]
    assert blocking["fix"] == {"title": "Replace with `await asyncio.sleep(...)`", "safety": "unsafe", "applicable": False}


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
    assert "::error title=asynclint (AIO201),file=a%2C b.py,line=5,col=5,endLine=5,endColumn=18::" + (
        "a, b.py:5:5: AIO201 `time.sleep()` blocks the event loop in coroutine `main`"
    ) in lines
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
    assert buffer.getvalue() == "::error title=asynclint (AIO001),file=p.py,line=1,col=1,endLine=1,endColumn=1::p.py:1:1: AIO001 syntax error: x%0Ay\n"
