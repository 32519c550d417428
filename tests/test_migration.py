"""Issue 3's acceptance test: `asynclint fix` migrates a legacy asyncio program that mixes every
3xx pitfall (aliases, from-imports, a try/finally driver, a version guard) into one that runs on
this Python with the output the program was written to give, and fixing again changes nothing."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

LEGACY = Path(__file__).parent / "data" / "legacy_app.py"
EXPECTED = "gathered ['A', 'B'] ['C', 'D']\ntask E True\ntimed out\ntimed out again\ninside a task True\ncoroutine function True\n"


def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    return subprocess.run([sys.executable, *args], cwd=cwd, capture_output=True, text=True, timeout=120, env=env)


@pytest.fixture
def app(tmp_path: Path) -> Path:
    shutil.copy(LEGACY, tmp_path / "app.py")
    return tmp_path / "app.py"


def test_legacy_program_fails_here(app: Path) -> None:
    result = _run(app.name, cwd=app.parent)
    assert result.returncode == 1
    assert "cannot import name 'coroutine'" in result.stderr


def test_fix_migrates_the_program(app: Path) -> None:
    fix = ("-m", "asynclint", "fix", "--unsafe-fixes", "--target-version", "py311", "--no-cache", app.name)
    first = _run(*fix, cwd=app.parent)
    assert first.returncode == 0, first.stdout + first.stderr
    migrated = app.read_text(encoding="utf-8")
    # Imports stay right: `coroutine` and the TimeoutError alias are gone, `inspect` is added once.
    assert "from asyncio import sleep\n" in migrated
    assert migrated.count("import inspect\n") == 1
    # The legacy branch of the version guard is left alone; the driver is gone.
    assert "aio.Task.current_task()" in migrated
    assert "run_until_complete" not in migrated and "aio.run(gather_all())" in migrated
    run = _run("-W", "error", app.name, cwd=app.parent)
    assert run.returncode == 0, run.stderr
    assert run.stdout == EXPECTED
    assert run.stderr == ""
    second = _run(*fix, cwd=app.parent)
    assert second.returncode == 0 and app.read_text(encoding="utf-8") == migrated, "fixing again must change nothing"
    check = _run("-m", "asynclint", "check", "--target-version", "py311", "--no-cache", app.name, cwd=app.parent)
    assert check.returncode == 0, check.stdout


def test_safe_fixes_alone_leave_the_unsafe_ones_reported(app: Path) -> None:
    result = _run("-m", "asynclint", "fix", "--target-version", "py311", "--no-cache", app.name, cwd=app.parent)
    assert result.returncode == 1
    remaining = _run(
        "-m",
        "asynclint",
        "check",
        "--target-version",
        "py311",
        "--no-cache",
        "--format",
        "json",
        app.name,
        cwd=app.parent,
    )
    codes = sorted(d["code"] for d in json.loads(remaining.stdout))
    assert codes == ["AIO303", "AIO309"]  # asyncio.run() and inspect.iscoroutinefunction are unsafe
    compile(app.read_text(encoding="utf-8"), str(app), "exec")
