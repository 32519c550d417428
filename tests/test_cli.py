"""`asynclint` as a user runs it: real subprocesses in temporary projects."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

BLOCKING = "import time\n\n\nasync def main():\n    time.sleep(1)\n"
DANGLING = "import asyncio\n\n\nasync def main():\n    asyncio.create_task(main())\n"


def asynclint(*args: str, cwd: Path, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "asynclint", *args], cwd=cwd, input=stdin, capture_output=True, text=True, timeout=120
    )


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "blocking.py").write_text(BLOCKING)
    (tmp_path / "pkg" / "dangling.py").write_text(DANGLING)
    (tmp_path / "pkg" / "clean.py").write_text("import asyncio\n\n\nasync def main():\n    await asyncio.sleep(1)\n")
    return tmp_path


def test_check_reports_and_exits_1(project: Path) -> None:
    out = asynclint("check", ".", cwd=project)
    assert out.returncode == 1, out.stderr
    lines = out.stdout.splitlines()
    assert "pkg/blocking.py:5:5: AIO201 `time.sleep()` blocks the event loop in coroutine `main`" in lines
    assert any(line.startswith("pkg/dangling.py:5:5: AIO101 [*] ") for line in lines)
    assert "Found 2 errors." in lines


def test_clean_file_exits_0(project: Path) -> None:
    out = asynclint("check", "pkg/clean.py", cwd=project)
    assert (out.returncode, out.stdout.strip()) == (0, "All checks passed!")


def test_missing_path_is_an_error_but_the_rest_is_checked(project: Path) -> None:
    out = asynclint("check", "nope.py", "pkg/blocking.py", cwd=project)
    assert out.returncode == 2
    assert "nope.py: No such file or directory" in out.stderr
    assert "AIO201" in out.stdout


def test_bad_files_get_one_diagnostic_each_and_the_rest_is_checked(project: Path) -> None:
    bad = project / "pkg"
    (bad / "syntax.py").write_text("async def f(:\n    pass\n")
    (bad / "libcst_rejects.py").write_text("async def f(): pass\n(x): int = 1\n")
    (bad / "undecodable.py").write_bytes(b"async def f(): pass\nx = '\xff\xfe'\n")
    before = {p.name: p.read_bytes() for p in bad.iterdir()}
    out = asynclint("check", ".", "--format", "json", cwd=project)
    assert out.returncode == 1 and "Traceback" not in out.stderr
    found = {(Path(d["path"]).name, d["code"]) for d in json.loads(out.stdout)}
    assert found == {
        ("syntax.py", "AIO001"),
        ("libcst_rejects.py", "AIO001"),
        ("undecodable.py", "AIO001"),
        ("blocking.py", "AIO201"),
        ("dangling.py", "AIO101"),
    }
    fixed = asynclint("fix", "--unsafe-fixes", ".", cwd=project)
    assert fixed.returncode == 1 and "Traceback" not in fixed.stderr
    for name in ("syntax.py", "libcst_rejects.py", "undecodable.py"):
        assert (bad / name).read_bytes() == before[name]
    assert "await asyncio.sleep(1)" in (bad / "blocking.py").read_text()


def test_fix_applies_safe_fixes_only_by_default(project: Path) -> None:
    out = asynclint("fix", ".", cwd=project)
    assert out.returncode == 1  # the unsafe AIO201 fix is left, so a finding remains
    assert "Found 2 errors (1 fixed, 1 remaining)." in out.stdout
    assert "_background_tasks.add(task)" in (project / "pkg" / "dangling.py").read_text()
    assert (project / "pkg" / "blocking.py").read_text() == BLOCKING
    out = asynclint("fix", "--unsafe-fixes", ".", cwd=project)
    assert out.returncode == 0, out.stdout
    assert "await asyncio.sleep(1)" in (project / "pkg" / "blocking.py").read_text()
    again = asynclint("fix", "--unsafe-fixes", "--diff", ".", cwd=project)
    assert (again.returncode, again.stdout) == (0, "")


def test_fix_diff_writes_nothing_and_exits_1(project: Path) -> None:
    out = asynclint("fix", "--diff", "--unsafe-fixes", "pkg/blocking.py", cwd=project)
    assert out.returncode == 1
    assert "-    time.sleep(1)\n+    await asyncio.sleep(1)\n" in out.stdout
    assert out.stdout.startswith("--- pkg/blocking.py\n+++ pkg/blocking.py\n")
    assert (project / "pkg" / "blocking.py").read_text() == BLOCKING


def test_stdin_check_and_fix(project: Path) -> None:
    out = asynclint("check", "-", "--stdin-filename", "pkg/x.py", cwd=project, stdin=BLOCKING)
    assert out.returncode == 1
    assert out.stdout.startswith("pkg/x.py:5:5: AIO201")
    out = asynclint("fix", "-", "--unsafe-fixes", cwd=project, stdin=BLOCKING)
    assert out.returncode == 0
    assert "await asyncio.sleep(1)" in out.stdout and out.stdout.startswith("import asyncio\nimport time\n")


def test_select_ignore_and_target_version(project: Path) -> None:
    out = asynclint("check", ".", "--select", "AIO2", cwd=project)
    assert "AIO101" not in out.stdout and "AIO201" in out.stdout
    out = asynclint("check", ".", "--ignore", "AIO201,AIO101", cwd=project)
    assert out.returncode == 0
    # The most specific selector wins, whichever list it is in.
    out = asynclint("check", ".", "--select", "AIO", "--ignore", "AIO2", "--extend-select", "AIO201", cwd=project)
    assert "AIO201" in out.stdout
    out = asynclint("check", ".", "--select", "AIO2", "--ignore", "AIO201", cwd=project)
    assert out.returncode == 0
    assert asynclint("check", ".", "--select", "AIO999", cwd=project).returncode == 2
    assert asynclint("check", ".", "--target-version", "3.10", cwd=project).returncode == 2


def test_config_in_pyproject(project: Path) -> None:
    (project / "pyproject.toml").write_text(
        "[project]\nname = 'x'\nrequires-python = '>=3.8'\n\n"
        "[tool.asynclint]\n"
        "ignore = ['AIO101']\n"
        "blocking-calls = ['mydb.query']\n"
        "unsafe-fixes = true\n"
        "[tool.asynclint.per-file-ignores]\n"
        "'pkg/legacy_*.py' = ['AIO2']\n"
    )
    (project / "pkg" / "db.py").write_text("import mydb\n\nasync def load():\n    return mydb.query('x')\n")
    (project / "pkg" / "legacy_sleep.py").write_text(BLOCKING)
    out = asynclint("check", ".", "--format", "json", cwd=project)
    found = {(Path(d["path"]).name, d["code"]) for d in json.loads(out.stdout)}
    assert found == {("blocking.py", "AIO201"), ("db.py", "AIO202")}
    # requires-python >=3.8 has no asyncio.to_thread: the AIO202 fix is not offered there.
    (db,) = [d for d in json.loads(out.stdout) if d["code"] == "AIO202"]
    assert db["fix"] is None
    out = asynclint("check", ".", "--format", "json", "--target-version", "py311", cwd=project)
    (db,) = [d for d in json.loads(out.stdout) if d["code"] == "AIO202"]
    assert db["fix"] == {
        "title": "Run it in a thread with `await asyncio.to_thread(...)`",
        "safety": "unsafe",
        "applicable": True,
    }


def test_bad_config_is_exit_2(project: Path) -> None:
    (project / "pyproject.toml").write_text("[tool.asynclint]\nselekt = ['AIO']\n")
    out = asynclint("check", ".", cwd=project)
    assert out.returncode == 2 and "unknown option(s) selekt" in out.stderr


def test_directories_skip_gitignored_and_virtualenv_files(project: Path) -> None:
    (project / ".gitignore").write_text("generated/\n")
    for directory in ("generated", ".venv", "env"):
        (project / directory).mkdir()
        (project / directory / "m.py").write_text(BLOCKING)
    (project / "env" / "pyvenv.cfg").write_text("home = /usr\n")
    out = asynclint("check", ".", "--format", "json", cwd=project)
    paths = {d["path"] for d in json.loads(out.stdout)}
    assert paths == {"pkg/blocking.py", "pkg/dangling.py"}
    if shutil.which("git"):
        subprocess.run(["git", "init", "-q"], cwd=project, check=True)
        out = asynclint("check", ".", "--format", "json", cwd=project)
        assert {d["path"] for d in json.loads(out.stdout)} == paths
    # An explicitly named file is always checked.
    assert asynclint("check", "generated/m.py", cwd=project).returncode == 1


def test_noqa_in_cli(project: Path) -> None:
    (project / "pkg" / "blocking.py").write_text(BLOCKING.replace("time.sleep(1)", "time.sleep(1)  # noqa: AIO201"))
    assert "AIO201" not in asynclint("check", ".", cwd=project).stdout


def test_rule_and_rules(project: Path) -> None:
    out = asynclint("rule", "AIO101", cwd=project)
    assert out.returncode == 0 and out.stdout.startswith("# dangling-task (AIO101)")
    for section in ("## What it does", "## Why is this bad?", "## Example", "## Use instead", "## Fix safety"):
        assert section in out.stdout
    assert asynclint("rule", "blocking-sleep", cwd=project).stdout.startswith("# blocking-sleep (AIO201)")
    assert asynclint("rule", "AIO999", cwd=project).returncode == 2
    listing = asynclint("rules", cwd=project).stdout
    assert "AIO101  dangling-task" in listing and "AIO202  blocking-call" in listing


def test_progress_only_on_a_terminal(tmp_path: Path) -> None:
    import io

    from asynclint.cli import Progress

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    assert Progress.wanted(Terminal(), 100, {})
    assert not Progress.wanted(Terminal(), 100, {"CI": "true"})
    assert not Progress.wanted(Terminal(), 3, {})
    assert not Progress.wanted(io.StringIO(), 100, {})
    for i in range(60):
        (tmp_path / f"m{i}.py").write_text(BLOCKING)
    out = asynclint("fix", "--unsafe-fixes", ".", cwd=tmp_path)  # piped: no progress line
    assert out.returncode == 0 and "fixing" not in out.stderr and "\r" not in out.stderr


def test_progress_on_a_real_terminal(tmp_path: Path) -> None:
    import os
    import pty

    for i in range(60):
        (tmp_path / f"m{i}.py").write_text(BLOCKING)
    pid, fd = pty.fork()
    if pid == 0:  # the child: asynclint on a terminal; it must never return into pytest
        try:
            os.chdir(tmp_path)
            env = {k: v for k, v in os.environ.items() if k != "CI"}
            os.execve(
                sys.executable,
                [sys.executable, "-m", "asynclint", "fix", "--unsafe-fixes", "-q", "."],
                {**env, "TERM": "xterm"},
            )
        finally:
            os._exit(127)
    output = b""
    while True:
        try:
            chunk = os.read(fd, 4096)
        except OSError:
            break
        if not chunk:
            break
        output += chunk
    os.waitpid(pid, 0)
    assert b"fixing 60/60 files" in output
