"""The pre-commit hooks, through a real `pre-commit try-repo` of this checkout in a scratch repository."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DANGLING = "import asyncio\n\n\nasync def main():\n    asyncio.create_task(main())\n"

pytestmark = [pytest.mark.skipif(shutil.which("git") is None, reason="pre-commit needs git"), pytest.mark.slow]


def _git(*args: str, cwd: Path) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


def _try_repo(hook: str, cwd: Path, home: Path) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "PRE_COMMIT_HOME": str(home),
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@t",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@t",
    }
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "try-repo", str(ROOT), hook, "--all-files", "--color", "never"],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=900,
        env=env,
    )


def test_hooks_check_and_fix(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    _git("init", "-q", cwd=repo)
    (repo / "app.py").write_text(DANGLING)
    (repo / "clean.py").write_text("x = 1\n")
    _git("add", ".", cwd=repo)
    home = tmp_path / "pre-commit-home"

    check = _try_repo("asynclint", repo, home)
    assert check.returncode == 1, check.stdout + check.stderr
    assert "app.py:5:5: AIO101" in check.stdout

    fix = _try_repo("asynclint-fix", repo, home)
    assert fix.returncode == 1, fix.stdout + fix.stderr  # it changed a file
    assert "_background_tasks.add(task)" in (repo / "app.py").read_text()

    _git("add", ".", cwd=repo)
    again = _try_repo("asynclint", repo, home)
    assert again.returncode == 0, again.stdout + again.stderr


def test_hooks_skip_excluded_directories(tmp_path: Path) -> None:
    # pre-commit names every file, so the excludes hold only through --force-exclude.
    repo = tmp_path / "repo"
    repo.mkdir()
    _git("init", "-q", cwd=repo)
    (repo / "pyproject.toml").write_text('[tool.asynclint]\nextend-exclude = ["generated", "src/pkg/vendored"]\n')
    excluded = ["generated/m.py", "src/generated/m.py", "node_modules/pkg/m.py", "src/pkg/vendored/deep/m.py"]
    for name in excluded:
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / name).write_text(DANGLING)
    (repo / "src" / "pkg" / "app.py").write_text("x = 1\n")
    _git("add", "-f", ".", cwd=repo)
    home = tmp_path / "pre-commit-home"

    check = _try_repo("asynclint", repo, home)
    assert check.returncode == 0, check.stdout + check.stderr
    fix = _try_repo("asynclint-fix", repo, home)
    assert fix.returncode == 0, fix.stdout + fix.stderr
    assert all((repo / name).read_text() == DANGLING for name in excluded)
