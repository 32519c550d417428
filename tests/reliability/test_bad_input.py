"""What asynclint promises about input it cannot analyse or cannot fix.

- A file libcst does not write back byte for byte (a whitespace-only last line, a lone `\\r`
  ending a comment, CR-only line endings) or cannot generate code for (a form feed in the
  indentation) is "unfixable": its findings are reported, never marked `[*]`, one AIO003 says
  why, `fix` leaves the bytes alone, and the exit code is 1 (a finding), never 2.
- Code the running Python does not compile (`await` outside a function, Python 3.12 syntax on
  an older Python) is analysed and fixed; the output is verified by libcst's re-parse, and by
  compile() only where this Python compiles the original (tests/test_engine.py checks that a fix
  breaking code that compiles is still refused).  `check`'s `[*]` and `fix` agree.
- Code libcst accepts but CPython rejects (`[x for*_ in y]`) is a syntax error (AIO001), not an
  internal error.
- Nesting CPython's parser refuses (10,000 parentheses, 10,000 lambdas) is AIO001 before
  libcst can spend gigabytes on it, and the rest of the run goes on.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from asynclint.config import Settings
from asynclint.engine import Action, Request, lint_text, process

BLOCKING = "import time\n\n\nasync def main():\n    time.sleep(1)\n"
FIXED_CALL = "await asyncio.sleep(1)"
UNSAFE = Settings(unsafe_fixes=True)

UNFIXABLE = {
    "whitespace_last_line": BLOCKING + "\n   \n  ",
    "cr_ending_a_comment": BLOCKING + "# the end\r",
    "cr_only_line_endings": BLOCKING.replace("\n", "\r"),
    "form_feed_indent": BLOCKING.replace("    time", "\f    time"),
}
NOT_COMPILABLE_HERE = {
    "await_outside_function": BLOCKING + "await main()\n",
    "pep695_generics": BLOCKING + "\n\ndef first[T](items: list[T]) -> T:\n    return items[0]\n",
    "pep701_fstring": BLOCKING + '\n\nname = f"{"nested"}"\n',
}
TOO_DEEP = {
    "nested_parentheses": "async def f(): pass\nx = " + "(" * 10_000 + "1" + ")" * 10_000 + "\n",
    "nested_lambdas": "async def f(): pass\nx = " + "lambda: " * 10_000 + "1\n",
    # The same nesting with no long line: one bracket or one lambda per line.
    "nested_parentheses_by_line": "async def f(): pass\nx = " + "(\n" * 10_000 + "1" + "\n)" * 10_000 + "\n",
    "nested_lambdas_by_line": "async def f(): pass\nx = (" + "lambda:\n" * 10_000 + "1)\n",
}


def _asynclint(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "asynclint", *args, "--no-cache"]
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=600)


def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (root / f"{name}.py").write_bytes(text.encode())


@pytest.mark.parametrize("name", list(UNFIXABLE))
def test_unfixable_file_is_never_marked_fixable_and_fix_agrees(name: str) -> None:
    text = UNFIXABLE[name]
    found = lint_text(text, UNSAFE)
    assert [d.code for d in found] == ["AIO003", "AIO201"]
    assert not any(d.applicable for d in found)
    outcome = process(Request(text, UNSAFE, action=Action.FIX))
    assert outcome.new is None and outcome.fixed == 0
    assert [(d.code, d.message, d.applicable) for d in outcome.diagnostics] == [
        (d.code, d.message, d.applicable) for d in found
    ]


def test_unfixable_file_without_applicable_fixes_gets_no_aio003() -> None:
    # AIO201's fix is unsafe: without --unsafe-fixes nothing would be fixed, so nothing to explain.
    text = UNFIXABLE["cr_only_line_endings"]
    assert [d.code for d in lint_text(text, Settings())] == ["AIO201"]
    assert [d.code for d in process(Request(text, Settings(), action=Action.FIX)).diagnostics] == ["AIO201"]


def test_unfixable_files_exit_1_in_check_and_fix_and_stay_untouched(tmp_path: Path) -> None:
    _write(tmp_path, UNFIXABLE)
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    check = _asynclint("check", "--unsafe-fixes", ".", cwd=tmp_path)
    assert check.returncode == 1, check.stdout + check.stderr
    assert "[*]" not in check.stdout and "AIO002" not in check.stdout
    assert check.stdout.count("AIO003") == len(UNFIXABLE)
    fix = _asynclint("fix", "--unsafe-fixes", ".", cwd=tmp_path)
    assert fix.returncode == 1, fix.stdout + fix.stderr
    assert "AIO002" not in fix.stdout and fix.stdout.count("AIO003") == len(UNFIXABLE)
    diff = _asynclint("fix", "--diff", "--unsafe-fixes", ".", cwd=tmp_path)
    assert diff.returncode == 0 and diff.stdout == "", diff.stdout + diff.stderr
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before


@pytest.mark.parametrize("name", list(NOT_COMPILABLE_HERE))
def test_code_this_python_does_not_compile_is_fixed_as_check_promised(name: str, tmp_path: Path) -> None:
    _write(tmp_path, {name: NOT_COMPILABLE_HERE[name]})
    check = _asynclint("check", "--unsafe-fixes", "--format", "json", ".", cwd=tmp_path)
    assert check.returncode == 1, check.stderr
    (finding,) = json.loads(check.stdout)
    assert finding["code"] == "AIO201" and finding["fix"]["applicable"] is True
    diff = _asynclint("fix", "--diff", "--unsafe-fixes", ".", cwd=tmp_path)
    assert diff.returncode == 1 and FIXED_CALL in diff.stdout, diff.stdout + diff.stderr
    assert "Would fix 1 error in 1 file." in diff.stderr
    fix = _asynclint("fix", "--unsafe-fixes", ".", cwd=tmp_path)
    assert fix.returncode == 0, fix.stdout + fix.stderr
    after = (tmp_path / f"{name}.py").read_text()
    assert FIXED_CALL in after and "import asyncio" in after


def test_what_only_libcst_accepts_is_a_syntax_error(tmp_path: Path) -> None:
    _write(tmp_path, {"starred_for": BLOCKING + "    [x for*_ in y]\n"})
    for command in ("check", "fix"):
        out = _asynclint(command, "--unsafe-fixes", ".", cwd=tmp_path)
        assert out.returncode == 1, out.stdout + out.stderr
        assert (
            "starred_for.py:6:11: AIO001 syntax error: starred assignment target must be in a list or tuple"
            in out.stdout
        )
        assert "AIO002" not in out.stdout


def test_nesting_cpython_refuses_is_aio001_and_the_run_goes_on(tmp_path: Path) -> None:
    _write(tmp_path, {**TOO_DEEP, "normal": BLOCKING})
    out = _asynclint("check", "--format", "json", ".", cwd=tmp_path)
    assert out.returncode == 1, out.stderr
    found = {(Path(d["path"]).stem, d["code"], d["message"]) for d in json.loads(out.stdout)}
    assert found == {
        ("nested_parentheses", "AIO001", "syntax error: too many nested parentheses"),
        ("nested_lambdas", "AIO001", "too deeply nested to analyse"),
        ("nested_parentheses_by_line", "AIO001", "syntax error: too many nested parentheses"),
        ("nested_lambdas_by_line", "AIO001", "too deeply nested to analyse"),
        ("normal", "AIO201", "`time.sleep()` blocks the event loop in coroutine `main`"),
    }
