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
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

DANGLING = "import asyncio\n\n\nasync def main():\n    asyncio.create_task(main())\n    print({text!r})\n"


def run(*args: str, cwd: Path, env: dict[str, str] | None = None, stdin: int | None = None, stdout: int | None = None) -> subprocess.CompletedProcess[bytes]:
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
    out = run("-m", "libcst.tool", "codemod", "-x", "asynclint.codemod.FixAllCommand", "--no-format", "by_codemod.py", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    fixed = asynclint("fix", "--no-cache", "by_fix.py", cwd=tmp_path)
    assert fixed.returncode == 0, fixed.stdout
    by_fix = (tmp_path / "by_fix.py").read_bytes()
    assert by_fix != data and b"_background_tasks" in by_fix
    assert (tmp_path / "by_codemod.py").read_bytes() == by_fix


def test_a_rule_codemod_keeps_the_encoding_too(tmp_path: Path) -> None:
    data = ENCODED["latin-1 cookie"]
    (tmp_path / "m.py").write_bytes(data)
    out = run("-m", "libcst.tool", "codemod", "-x", "asynclint.codemod.DanglingTaskCommand", "--no-format", "m.py", cwd=tmp_path)
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
        "-m", "libcst.tool", "codemod", "-x", "asynclint.codemod.FixAllCommand", "--no-format", "--target-version", "3.10", "m.py",
        cwd=tmp_path,
    )
    assert out.returncode == 2
    assert b"Traceback" not in out.stderr
    assert out.stderr.splitlines()[-1].endswith(b"argument --target-version: expected a version like 'py310' or 'py311', got '3.10'")
    assert (tmp_path / "m.py").read_bytes() == ENCODED["utf-8 BOM"]
