"""What the faces (CLI output, codemods) promise, whatever the tree and wherever the output goes.

- A codemod run through `python -m libcst.tool` writes a latin-1, cp1252 or BOM file byte for
  byte as `asynclint fix` does: same encoding, same BOM, same line endings.
- `python -m libcst.tool list` can import the package (`asynclint.__main__` runs nothing on import).
- A bad `--target-version` given to a codemod is a usage error, never a traceback.
- A file name that is not UTF-8 is shown escaped in every format: text and GitHub output work on
  a strict UTF-8 stdout, JSON and SARIF stay valid UTF-8, and `--output-file` writes a whole report.
- A report file is never left empty or half-written by a crash.
- A reader that stops early (`asynclint check | head -1`) gets no traceback, and the exit code is
  still the run's own.
"""

from __future__ import annotations

import codecs
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

DANGLING = "import asyncio\n\n\nasync def main():\n    asyncio.create_task(main())\n    print({text!r})\n"


def run(
    *args: str, cwd: Path, env: dict[str, str] | None = None, stdin: int | None = None, stdout: int | None = None
) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, *args],
        cwd=cwd,
        env={**os.environ, **(env or {})},
        stdin=stdin,
        stdout=subprocess.PIPE if stdout is None else stdout,
        stderr=subprocess.PIPE,
        timeout=300,
    )


def asynclint(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[bytes]:
    return run("-m", "asynclint", *args, cwd=cwd, env=env)


# -- the codemod face keeps the file's encoding ------------------------------------------------
ENCODED = {
    "latin-1 cookie": b"# -*- coding: latin-1 -*-\n" + DANGLING.format(text="caf\u00e9").encode("latin-1"),
    "cp1252 cookie": b"# coding: cp1252\n" + DANGLING.format(text="\u20ac 5").encode("cp1252"),
    "utf-8 BOM": codecs.BOM_UTF8 + DANGLING.format(text="caf\u00e9").encode("utf-8"),
    "utf-8 BOM and cookie, CRLF": codecs.BOM_UTF8
    + ("# -*- coding: utf-8 -*-\n" + DANGLING.format(text="\u00fcber")).replace("\n", "\r\n").encode("utf-8"),
}


@pytest.mark.parametrize("data", ENCODED.values(), ids=list(ENCODED))
def test_codemod_writes_the_bytes_asynclint_fix_writes(tmp_path: Path, data: bytes) -> None:
    (tmp_path / "by_codemod.py").write_bytes(data)
    (tmp_path / "by_fix.py").write_bytes(data)
    out = run(
        "-m",
        "libcst.tool",
        "codemod",
        "-x",
        "asynclint.codemod.FixAllCommand",
        "--no-format",
        "by_codemod.py",
        cwd=tmp_path,
    )
    assert out.returncode == 0, out.stderr
    fixed = asynclint("fix", "--no-cache", "by_fix.py", cwd=tmp_path)
    assert fixed.returncode == 0, fixed.stdout
    by_fix = (tmp_path / "by_fix.py").read_bytes()
    assert by_fix != data and b"_background_tasks" in by_fix
    assert (tmp_path / "by_codemod.py").read_bytes() == by_fix


def test_a_rule_codemod_keeps_the_encoding_too(tmp_path: Path) -> None:
    data = ENCODED["latin-1 cookie"]
    (tmp_path / "m.py").write_bytes(data)
    out = run(
        "-m",
        "libcst.tool",
        "codemod",
        "-x",
        "asynclint.codemod.DanglingTaskCommand",
        "--no-format",
        "m.py",
        cwd=tmp_path,
    )
    assert out.returncode == 0, out.stderr
    assert "print('caf\u00e9')" in (tmp_path / "m.py").read_text(encoding="latin-1")


def test_libcst_tool_list_imports_the_package(tmp_path: Path) -> None:
    (tmp_path / ".libcst.codemod.yaml").write_text(
        "generated_code_marker: '@generated'\nformatter: ['black', '-']\nblacklist_patterns: []\nmodules:\n  - 'asynclint'\nrepo_root: '.'\n"
    )
    out = run("-m", "libcst.tool", "list", cwd=tmp_path, stdin=subprocess.DEVNULL)
    assert out.returncode == 0, out.stderr
    assert b"codemod.FixAllCommand - " in out.stdout and b"codemod.DanglingTaskCommand - " in out.stdout
    assert b"Traceback" not in out.stderr


def test_a_bad_target_version_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "m.py").write_bytes(ENCODED["utf-8 BOM"])
    out = run(
        "-m",
        "libcst.tool",
        "codemod",
        "-x",
        "asynclint.codemod.FixAllCommand",
        "--no-format",
        "--target-version",
        "3.10",
        "m.py",
        cwd=tmp_path,
    )
    assert out.returncode == 2
    assert b"Traceback" not in out.stderr
    assert out.stderr.splitlines()[-1].endswith(
        b"argument --target-version: expected a version like 'py310' or 'py311', got '3.10'"
    )
    assert (tmp_path / "m.py").read_bytes() == ENCODED["utf-8 BOM"]


# -- file names that are not UTF-8 -------------------------------------------------------------
BLOCKING = b"import time\n\n\nasync def main():\n    time.sleep(1)\n"


@pytest.fixture
def odd_name(tmp_path: Path) -> Path:
    try:
        (Path(os.fsdecode(bytes(tmp_path) + b"/b\xff.py"))).write_bytes(BLOCKING)
    except (OSError, UnicodeError):
        pytest.skip("this file system cannot name a file with the byte 0xff")
    return tmp_path


STRICT = {"PYTHONIOENCODING": "utf-8:strict", "LC_ALL": "C.UTF-8"}


@pytest.mark.parametrize("form", ["concise", "full", "github"])
def test_text_formats_escape_the_name_on_a_strict_stdout(odd_name: Path, form: str) -> None:
    out = asynclint("check", "--no-cache", "--output-format", form, ".", cwd=odd_name, env=STRICT)
    assert out.returncode == 1, out.stderr
    assert b"Traceback" not in out.stderr
    assert "b\\xff.py:5:5: AIO201" in out.stdout.decode("utf-8")  # strict: valid UTF-8


@pytest.mark.parametrize("form", ["json", "sarif", "gitlab"])
def test_machine_formats_stay_valid_utf8(odd_name: Path, form: str) -> None:
    out = asynclint("check", "--no-cache", "--output-format", form, ".", cwd=odd_name, env=STRICT)
    assert out.returncode == 1 and b"Traceback" not in out.stderr
    text = out.stdout.decode("utf-8")
    assert "\\udc" not in text  # no lone surrogates escaped into the JSON either
    document = json.loads(text)
    if form == "sarif":
        location = document["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
        assert location["uri"] == "b%FF.py"
    elif form == "json":
        assert document[0]["path"] == "b\\xff.py"
    else:
        assert document[0]["location"]["path"] == "b\\xff.py"


@pytest.mark.parametrize("form", ["concise", "json"])
def test_output_file_holds_the_whole_report(odd_name: Path, form: str) -> None:
    out = asynclint("check", "--no-cache", "--output-format", form, "--output-file", "report", ".", cwd=odd_name)
    assert out.returncode == 1 and b"Traceback" not in out.stderr
    report = (odd_name / "report").read_text(encoding="utf-8")
    assert "b\\xff.py:5:5: AIO201" in report if form == "concise" else json.loads(report)[0]["path"] == "b\\xff.py"


def test_an_unwritable_report_is_one_error_line(tmp_path: Path) -> None:
    (tmp_path / "m.py").write_bytes(BLOCKING)
    out = asynclint("check", "--output-file", "missing/report.txt", "m.py", cwd=tmp_path)
    assert out.returncode == 2
    assert out.stderr.decode().splitlines() == [
        "asynclint: error: --output-file missing/report.txt: No such file or directory"
    ]


def test_a_crash_while_reporting_leaves_the_previous_report(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from asynclint import cli, output

    (tmp_path / "m.py").write_bytes(BLOCKING)
    (tmp_path / "report.json").write_text("the previous report\n")

    def crash(results: object, out: io.StringIO, view: object) -> None:
        out.write("[\n  {")
        raise RuntimeError("reporting failed")

    monkeypatch.chdir(tmp_path)
    monkeypatch.setitem(output.FORMATS, "json", crash)
    with pytest.raises(RuntimeError):
        cli.main(["check", "--no-cache", "--format", "json", "--output-file", "report.json", "m.py"])
    assert (tmp_path / "report.json").read_text() == "the previous report\n"


# -- a reader that goes away -----------------------------------------------------------------------
def _into_a_closed_pipe(*args: str, cwd: Path) -> subprocess.CompletedProcess[bytes]:
    """asynclint with stdout a pipe whose reader has already gone: every write fails (EPIPE)."""
    read, write = os.pipe()
    os.close(read)
    try:
        return subprocess.run(
            [sys.executable, "-m", "asynclint", *args], cwd=cwd, stdout=write, stderr=subprocess.PIPE, timeout=300
        )
    finally:
        os.close(write)


@pytest.fixture
def many_findings(tmp_path: Path) -> Path:
    for i in range(40):  # more output than a pipe buffers: the pipe breaks mid-report, not at exit
        (tmp_path / f"m{i}.py").write_bytes(BLOCKING * 30)
    return tmp_path


@pytest.mark.parametrize(
    "args,code",
    [
        (("check", "m0.py"), 1),  # a few lines: the pipe breaks at the final flush
        (("check", "."), 1),
        (("check", "--output-format", "full", "."), 1),
        (("check", "--exit-zero", "."), 0),
        (("fix", "--diff", "--unsafe-fixes", "."), 1),
        (("rules",), 0),
    ],
)
def test_a_closed_pipe_is_quiet_and_keeps_the_exit_code(many_findings: Path, args: tuple[str, ...], code: int) -> None:
    out = _into_a_closed_pipe(*args, cwd=many_findings)
    assert out.returncode == code, out.stderr
    assert b"Traceback" not in out.stderr and b"BrokenPipe" not in out.stderr and b"Exception ignored" not in out.stderr


def test_head_reads_one_line(many_findings: Path) -> None:
    out = subprocess.run(
        f"set -o pipefail; {sys.executable} -m asynclint check . | head -1",
        shell=True,
        executable="/bin/bash",
        cwd=many_findings,
        capture_output=True,
        timeout=300,
    )
    assert out.returncode == 1
    assert out.stdout.count(b"\n") == 1 and b"AIO201" in out.stdout
    assert out.stderr == b""
