"""Files in, results out, in a stable order: discovery and the per-file loop.

Discovery walks directories for `*.py`, skipping version-control and virtualenv directories and
whatever `.gitignore` excludes (asked of git itself when the tree is a git checkout, so nested
ignore files, negations and global excludes behave exactly as in git).  Paths named explicitly
are always checked.
"""

from __future__ import annotations

import fnmatch
import functools
import os
import subprocess
from collections.abc import Iterable, Iterator
from pathlib import Path

from asynclint.config import Settings
from asynclint.engine import FileResult, fix_bytes, lint_bytes
from asynclint.source import write_atomically

DEFAULT_EXCLUDES = frozenset(
    {
        ".bzr", ".direnv", ".eggs", ".git", ".hg", ".mypy_cache", ".nox", ".pants.d", ".pytype",
        ".ruff_cache", ".svn", ".tox", ".venv", "__pypackages__", "_build", "buck-out", "dist",
        "node_modules", "venv", "__pycache__", ".asynclint_cache", ".pytest_cache",
    }
)


@functools.lru_cache(maxsize=4096)
def _is_virtualenv(directory: str) -> bool:
    return os.path.isfile(os.path.join(directory, "pyvenv.cfg"))


def _excluded_part(path: Path) -> bool:
    return any(part in DEFAULT_EXCLUDES for part in path.parts)


def _git(directory: Path, *args: str) -> subprocess.CompletedProcess[bytes] | None:
    try:
        return subprocess.run(["git", *args], cwd=directory, capture_output=True, timeout=60, check=False)
    except (OSError, subprocess.SubprocessError):
        return None


def _git_files(directory: Path) -> list[Path] | None:
    """Non-ignored files under `directory` per git, or None when git cannot answer.

    A directory the user names is a root: like ruff, ignore rules apply only below it, so a
    directory that is itself ignored (a checkout inside an ignored folder) is walked without git.
    """
    ignored = _git(directory, "check-ignore", "-q", ".")
    if ignored is None or ignored.returncode == 0:
        return None
    try:
        completed = subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard", "--", "."],
            cwd=directory,
            capture_output=True,
            timeout=60,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if completed.returncode != 0:
        return None
    return [directory / name for name in completed.stdout.decode("utf-8", "surrogateescape").split("\0") if name]


class _GitIgnore:
    """A small .gitignore reader for trees that are not git checkouts (common patterns only)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.patterns: list[tuple[str, bool, bool]] = []  # (pattern, anchored, directory only)
        try:
            lines = (root / ".gitignore").read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            lines = []
        for raw in lines:
            line = raw.strip()
            if not line or line.startswith(("#", "!")):
                continue
            directory_only = line.endswith("/")
            line = line.rstrip("/")
            anchored = "/" in line
            self.patterns.append((line.lstrip("/"), anchored, directory_only))

    def ignored(self, path: Path, is_dir: bool) -> bool:
        relative = path.relative_to(self.root).as_posix()
        for pattern, anchored, directory_only in self.patterns:
            if directory_only and not is_dir:
                continue
            if anchored:
                if fnmatch.fnmatch(relative, pattern):
                    return True
            elif fnmatch.fnmatch(path.name, pattern):
                return True
        return False


def _walk(directory: Path) -> Iterator[Path]:
    git = _git_files(directory)
    if git is not None:
        for path in git:
            relative = path.relative_to(directory)
            if path.suffix == ".py" and not _excluded_part(relative) and path.is_file():
                if not any(_is_virtualenv(str(directory / p)) for p in relative.parents if str(p) != "."):
                    yield path
        return
    ignore = _GitIgnore(directory)
    for root, dirs, files in os.walk(directory):
        root_path = Path(root)
        dirs[:] = sorted(
            d
            for d in dirs
            if d not in DEFAULT_EXCLUDES
            and not _is_virtualenv(os.path.join(root, d))
            and not ignore.ignored(root_path / d, True)
        )
        for name in sorted(files):
            if name.endswith(".py") and not ignore.ignored(root_path / name, False):
                yield root_path / name


def collect_files(paths: Iterable[str]) -> tuple[list[str], list[str]]:
    """(python files to check, error messages for paths that do not exist)."""
    files: list[str] = []
    errors: list[str] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files.extend(str(p) for p in sorted(_walk(path)))
        elif path.exists() or path.is_symlink():
            files.append(raw)
        else:
            errors.append(f"{raw}: No such file or directory")
    return list(dict.fromkeys(files)), errors


def _read(path: str) -> bytes | str:
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except OSError as error:
        return f"{path}: cannot read: {error.strerror or error}"


def check_file(path: str, settings: Settings) -> FileResult:
    data = _read(path)
    if isinstance(data, str):
        return FileResult(path, error=data)
    return FileResult(path, lint_bytes(data, settings, path))


def fix_file(path: str, settings: Settings, *, write: bool) -> tuple[FileResult, bytes | None]:
    """Fix one file; returns the result and the original bytes when the file changed."""
    data = _read(path)
    if isinstance(data, str):
        return FileResult(path, error=data), None
    new_data, diagnostics, fixed = fix_bytes(data, settings, path)
    result = FileResult(path, diagnostics, fixed, new_data)
    if new_data is not None and write:
        try:
            write_atomically(path, new_data)
        except OSError as error:
            result.error = f"{path}: cannot write: {error.strerror or error}"
            result.new_data = None
            result.fixed = 0
    return result, data if new_data is not None else None


def run(files: list[str], settings: Settings) -> Iterator[FileResult]:
    for path in files:
        yield check_file(path, settings)
