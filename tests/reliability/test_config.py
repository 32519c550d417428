"""Configuration and suppression, the same for every face:

- whatever shape a pyproject.toml has (a string where a table goes, 100,000 nested arrays, an
  integer too long to convert, an unknown key with a newline in it), `asynclint check` reports
  one configuration error line and exits 2: no traceback;
- a broken `[tool.asynclint]` fails flake8 (a usage error, exit 2) and the codemods (one line,
  non-zero exit, no file written) instead of silently linting or fixing with the defaults;
  a bad `--asynclint-target-version` is one error line, from the command line or a config file;
- a suppression comment works in `asynclint check`, under flake8 and in the codemods alike, or
  in none of them (`# NOQA: aio201`, `#noqa`, `# flake8: noqa`, `# asynclint: noqa: CODES`).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

SOURCE = "import asyncio\nimport time\n\n\nasync def main():\n    asyncio.create_task(main())\n    time.sleep(1)\n"

HOSTILE = {
    "tool-is-a-string": 'tool = "x"\n',
    "asynclint-is-an-integer": "[tool]\nasynclint = 3\n",
    "asynclint-is-an-array": "[tool]\nasynclint = []\n",
    "array-of-tables": "[[tool.asynclint]]\nselect = ['AIO']\n",
    "project-is-a-string": 'project = "x"\n[tool.asynclint]\nselect = ["AIO"]\n',
    "requires-python-is-a-number": "[project]\nrequires-python = 3.11\n",
    "nested-arrays": "a = " + "[" * 100_000 + "]" * 100_000 + "\n",
    "nested-inline-tables": "a = " + "{b = " * 50_000 + "1" + "}" * 50_000 + "\n",
    "integer-too-long": "a = " + "1" * 5_000 + "\n",
    "not-toml": "[tool.asynclint\n",
    "not-utf-8": b"[tool.asynclint]\nselect = ['\xff']\n",
    "select-is-a-string": '[tool.asynclint]\nselect = "AIO"\n',
    "select-holds-numbers": "[tool.asynclint]\nselect = [101]\n",
    "select-is-a-table": "[tool.asynclint.select]\nAIO = true\n",
    "unknown-selector": '[tool.asynclint]\nextend-select = ["AIO2O3"]\n',
    "per-file-ignores-is-an-array": '[tool.asynclint]\nper-file-ignores = ["x"]\n',
    "per-file-ignores-value-is-a-string": '[tool.asynclint.per-file-ignores]\n"x.py" = "AIO1"\n',
    "target-version-is-a-number": "[tool.asynclint]\ntarget-version = 311\n",
    "target-version-is-an-array": '[tool.asynclint]\ntarget-version = ["py311"]\n',
    "target-version-is-a-date": "[tool.asynclint]\ntarget-version = 1979-05-27\n",
    "unsafe-fixes-is-a-string": '[tool.asynclint]\nunsafe-fixes = "yes"\n',
    "blocking-calls-holds-arrays": "[tool.asynclint]\nblocking-calls = [[]]\n",
    "unknown-key-with-a-newline": '[tool.asynclint]\n"target-\\nversion" = "py311"\n',
}


def run(*args: str, cwd: Path, module: str = "asynclint") -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", module, *args], cwd=cwd, capture_output=True, text=True, timeout=300)


def error_lines(stderr: str, marker: str = "error:") -> list[str]:
    assert "Traceback" not in stderr, stderr
    # libcst clears its progress line with an escape sequence before ours.
    return [line.replace("\x1b[2K", "") for line in stderr.splitlines() if marker in line]


@pytest.mark.parametrize("name", HOSTILE)
def test_a_hostile_pyproject_is_one_configuration_error(tmp_path: Path, name: str) -> None:
    content = HOSTILE[name]
    (tmp_path / "pyproject.toml").write_bytes(content if isinstance(content, bytes) else content.encode())
    (tmp_path / "m.py").write_text(SOURCE)
    for args in (["check", "m.py"], ["check", "--config", "pyproject.toml", "m.py"]):
        out = run(*args, "--no-cache", cwd=tmp_path)
        assert out.returncode == 2, (args, out.stdout, out.stderr)
        assert out.stdout == "" and len(out.stderr.splitlines()) == 1, out.stderr
        assert out.stderr.startswith("asynclint: error: ") and "Traceback" not in out.stderr


# ------------------------------------------------------------------------------ flake8
TYPO = '[tool.asynclint]\ntarget-versoin = "py311"\nblocking-calls = ["mydb.query"]\n'


def flake8(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return run("--select", "AIO", *args, cwd=cwd, module="flake8")


def test_flake8_fails_on_a_broken_config(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(TYPO)
    (tmp_path / "m.py").write_text(SOURCE)
    out = flake8("m.py", cwd=tmp_path)
    assert out.returncode == 2 and out.stdout == ""
    assert error_lines(out.stderr) == [
        "flake8: error: asynclint: "
        + f"{tmp_path / 'pyproject.toml'}: [tool.asynclint]: unknown option(s) target-versoin"
    ]


@pytest.mark.parametrize("where", ["command line", "config file"])
def test_flake8_bad_target_version_is_one_error_line(tmp_path: Path, where: str) -> None:
    (tmp_path / "m.py").write_text(SOURCE)
    if where == "config file":
        (tmp_path / ".flake8").write_text("[flake8]\nasynclint-target-version = 3.11\n")
        out = flake8("m.py", cwd=tmp_path)
    else:
        out = flake8("--asynclint-target-version", "3.11", "m.py", cwd=tmp_path)
    assert out.returncode == 2
    [line] = error_lines(out.stderr)
    assert line.startswith("flake8: error: argument --asynclint-target-version: expected a version like 'py310'")


def test_flake8_reads_the_config_the_cli_reads(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.asynclint]\nblocking-calls = ["mydb.query"]\n')
    (tmp_path / "m.py").write_text("import mydb\n\n\nasync def main():\n    mydb.query()\n")
    out = flake8("m.py", cwd=tmp_path)
    assert [line.split()[1] for line in out.stdout.splitlines()] == ["AIO202"], out.stderr


# ------------------------------------------------------------------------------ codemods
def codemod(command: str, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return run("codemod", "-x", f"asynclint.codemod.{command}", "--no-format", *args, cwd=cwd, module="libcst.tool")


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_codemod_fails_on_a_broken_config_and_writes_nothing(tmp_path: Path, jobs: str) -> None:
    (tmp_path / "pyproject.toml").write_text(TYPO)
    for name in ("a.py", "b.py"):
        (tmp_path / name).write_text(SOURCE)
    out = codemod("FixAllCommand", "-j", jobs, "a.py", "b.py", cwd=tmp_path)
    assert out.returncode != 0
    assert error_lines(out.stderr) == [
        f"asynclint: error: {tmp_path / 'pyproject.toml'}: [tool.asynclint]: unknown option(s) target-versoin"
    ]
    assert (tmp_path / "a.py").read_text() == (tmp_path / "b.py").read_text() == SOURCE


def test_codemod_bad_target_version_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "m.py").write_text(SOURCE)
    out = codemod("FixAllCommand", "--target-version", "3.11", "m.py", cwd=tmp_path)
    assert out.returncode != 0 and (tmp_path / "m.py").read_text() == SOURCE
    # A usage error of the command, as libcst.tool reports its own: usage text, then one line.
    assert out.returncode == 2
    assert error_lines(out.stderr) == [
        "libcst.tool codemod: error: argument --target-version: expected a version like 'py310' or 'py311', got '3.11'"
    ]


# ------------------------------------------------------------------------------ suppression parity
COMMENTED = [
    # (the file, the codes every face must report)
    (SOURCE.replace("sleep(1)", "sleep(1)  # NOQA: aio201"), {"AIO101"}),
    (SOURCE.replace("sleep(1)", "sleep(1)  # noqa:Aio2"), {"AIO101"}),
    (SOURCE.replace("sleep(1)", "sleep(1)  #noqa"), {"AIO101"}),
    (SOURCE.replace("sleep(1)", "sleep(1)  # noqa: AIO1"), {"AIO101", "AIO201"}),
    ("# flake8: noqa\n" + SOURCE, set()),
    ("x = 1  # flake8: noqa\n" + SOURCE, {"AIO101", "AIO201"}),
    ("# asynclint: noqa\n" + SOURCE, set()),
    ("# asynclint: noqa: AIO101\n" + SOURCE, {"AIO201"}),
    ("# asynclint: noqa: aio101,AIO2\n" + SOURCE, set()),
]


@pytest.mark.parametrize(("text", "expected"), COMMENTED, ids=[str(i) for i in range(len(COMMENTED))])
def test_suppression_comments_agree_across_faces(tmp_path: Path, text: str, expected: set[str]) -> None:
    (tmp_path / "m.py").write_text(text)
    cli = run("check", "--no-cache", "--format", "json", "m.py", cwd=tmp_path)
    assert {d["code"] for d in json.loads(cli.stdout)} == expected, cli.stderr
    out = flake8("m.py", cwd=tmp_path)
    assert {line.split()[1] for line in out.stdout.splitlines()} == expected, out.stderr
    # The codemod applies exactly the fixes of what is still reported (AIO101's is safe).
    out = codemod("DanglingTaskCommand", "-j", "1", "m.py", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert ("_background_tasks" in (tmp_path / "m.py").read_text()) == ("AIO101" in expected)


def test_flake8_disable_noqa_turns_ours_off_too(tmp_path: Path) -> None:
    (tmp_path / "m.py").write_text("# asynclint: noqa\n" + SOURCE.replace("sleep(1)", "sleep(1)  # noqa: AIO201"))
    out = flake8("--disable-noqa", "m.py", cwd=tmp_path)
    assert {line.split()[1] for line in out.stdout.splitlines()} == {"AIO101", "AIO201"}, out.stderr
