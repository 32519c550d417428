"""The release check (docs/releasing.md): the sdist carries its tests, and they pass from it.

Slow (it builds, installs into a fresh virtualenv and runs the quick tier there); CI runs it with the rest.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

from asynclint import __version__

ROOT = Path(__file__).resolve().parent.parent


def _run(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    out = subprocess.run([str(a) for a in args], cwd=cwd, capture_output=True, text=True, timeout=3600)
    assert out.returncode == 0, f"{args}\n{out.stdout[-4000:]}\n{out.stderr[-4000:]}"
    return out


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("git") is None, reason="the unpacked sdist's pre-commit test needs git")
def test_sdist_tests_pass_from_a_fresh_install(tmp_path: Path) -> None:
    _run(sys.executable, "-m", "build", "--sdist", "--outdir", tmp_path / "dist", cwd=ROOT)
    [sdist] = (tmp_path / "dist").glob("*.tar.gz")
    assert sdist.name == f"asynclint-{__version__}.tar.gz"
    with tarfile.open(sdist) as archive:
        archive.extractall(tmp_path / "unpacked", filter="data")
    tree = tmp_path / "unpacked" / f"asynclint-{__version__}"
    for needed in (
        "LICENSE",
        "CHANGELOG.md",
        "tests/conftest.py",
        "tests/cases",
        "tests/data",
        "tests/project",
        "fixtures",
        "docs/rules",
    ):
        assert (tree / needed).exists(), f"the sdist lacks {needed}"
    git = ("git", "-c", "user.name=release", "-c", "user.email=release@localhost")
    _run(*git, "init", "-q", cwd=tree)
    _run(*git, "add", "-A", cwd=tree)
    _run(*git, "commit", "-q", "-m", "sdist", cwd=tree)
    venv = tmp_path / "venv"
    _run(sys.executable, "-m", "venv", venv, cwd=tmp_path)
    _run(venv / "bin" / "python", "-m", "pip", "install", "--quiet", f"{sdist}[dev]", cwd=tmp_path)
    # `bin/pytest`, not `python -m pytest`: the installed package is tested, not the tree's sources.
    # The quick tier: the whole suite less the slow tests (this one among them, or it would recurse).
    _run(venv / "bin" / "pytest", "-q", "-p", "no:cacheprovider", "-m", "not slow", cwd=tree)
