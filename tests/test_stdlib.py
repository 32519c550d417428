"""Real code nobody here wrote: this Python's whole standard library, asyncio and its tests included."""

from __future__ import annotations

import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # a minute or more: not in the quick tier

STDLIB = Path(sysconfig.get_paths()["stdlib"])


def _asynclint(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "asynclint", *args, str(STDLIB), "--no-cache", "--extend-exclude", "site-packages"],
        capture_output=True,
        text=True,
        timeout=1800,
    )


def test_check_the_standard_library() -> None:
    out = _asynclint("check")
    assert out.returncode == 1, out.stderr[-2000:]
    assert "Traceback" not in out.stderr and "AIO002" not in out.stdout, out.stderr[-2000:]
    # asyncio itself drops a task in base_subprocess (self._loop.create_task(self._connect_pipes(...))).
    assert any("asyncio/base_subprocess.py" in line and "AIO101" in line for line in out.stdout.splitlines())


def test_fix_diff_over_the_standard_library() -> None:
    out = _asynclint("fix", "--diff", "--unsafe-fixes")
    assert out.returncode == 1, out.stderr[-2000:]
    assert "Traceback" not in out.stderr and "AIO002" not in out.stdout + out.stderr, out.stderr[-2000:]
    assert out.stdout.count("\n+++ ") + out.stdout.startswith("+++ ") > 0
