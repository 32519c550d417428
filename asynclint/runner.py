"""Files in, results out, in a stable order: discovery, the cache, and a crash-proof worker pool.

Discovery walks directories for `*.py`, skipping version-control and virtualenv directories and
whatever `.gitignore` excludes (asked of git itself when the tree is a git checkout, so nested
ignore files, negations and global excludes behave exactly as in git).  Paths named explicitly
are always checked.

The parent reads every file once, answers from the cache or the byte-level pre-check when it can,
and sends the rest to worker processes, one file per worker at a time.  So when a worker dies
(a segfault in libcst's native parser), hangs past the per-file time limit, or fails in any way,
the parent knows which file it was holding: that file gets an AIO002 diagnostic, the worker is
replaced and the run goes on.  Results come back in input order whatever the pool does.  Only
the parent writes files.
"""

from __future__ import annotations

import fnmatch
import functools
import os
import signal
import subprocess
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from asynclint.cache import Cache, Signature, signature
from asynclint.config import Settings
from asynclint.rule import FileResult
from asynclint.source import NotWritten, read_file, write_atomically

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

# The engine (and through it libcst) and multiprocessing are imported only when a file needs
# analysing: a warm run answered from the cache needs neither.

DEFAULT_TIMEOUT = 60.0  # seconds per file; libcst needs over a minute only for pathological input
def available_cpus() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


# ------------------------------------------------------------------------------ discovery
@functools.lru_cache(maxsize=4096)
def _is_virtualenv(directory: str) -> bool:
    return os.path.isfile(os.path.join(directory, "pyvenv.cfg"))


def _git(directory: Path, *args: str) -> subprocess.CompletedProcess[bytes] | None:
    try:
        return subprocess.run(["git", *args], cwd=directory, capture_output=True, timeout=60, check=False)
    except (OSError, subprocess.SubprocessError):
        return None


def _git_files(directory: Path) -> list[str] | None:
    """Non-ignored files under `directory` per git, or None when git cannot answer.

    A directory the user names is a root: like ruff, ignore rules apply only below it, so a
    directory that is itself ignored (a checkout inside an ignored folder) is walked without git.
    """
    ignored = _git(directory, "check-ignore", "-q", ".")
    if ignored is None or ignored.returncode == 0:
        return None
    listed = _git(directory, "ls-files", "-z", "--cached", "--others", "--exclude-standard", "--", ".")
    if listed is None or listed.returncode != 0:
        return None
    return [name for name in listed.stdout.decode("utf-8", "surrogateescape").split("\0") if name]


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


def _join(*parts: str) -> str:
    path = os.path.join(*parts)
    return path[2:] if path.startswith("./") else path  # `pkg/m.py`, as the user would write it


def _walk(directory: Path, settings: Settings) -> Iterator[str]:
    top = str(directory)
    git = _git_files(directory)
    if git is not None:
        for relative in git:
            if not relative.endswith(".py"):
                continue
            parts = relative.split("/")
            path = _join(top, relative)
            if settings.excludes_names(parts) or settings.excludes_path(os.path.abspath(path)):
                continue
            if any(_is_virtualenv(os.path.join(top, *parts[:i])) for i in range(1, len(parts))) or not os.path.isfile(path):
                continue
            yield path
        return
    ignore = _GitIgnore(directory)
    for root, dirs, files in os.walk(top):
        root_path = Path(root)
        # Directories are vetted here, so a file below needs only its own name checked.
        dirs[:] = sorted(
            d
            for d in dirs
            if not settings.excludes_names((d,))
            and not settings.excludes_path(os.path.abspath(os.path.join(root, d)))
            and not _is_virtualenv(os.path.join(root, d))
            and not ignore.ignored(root_path / d, True)
        )
        for name in sorted(files):
            if not name.endswith(".py") or settings.excludes_names((name,)):
                continue
            path = _join(root, name)
            if settings.excludes_path(os.path.abspath(path)) or (ignore.patterns and ignore.ignored(root_path / name, False)):
                continue
            yield path


def collect_files(paths: Iterable[str], settings: Settings = Settings()) -> tuple[list[str], list[str]]:
    """(python files to check, error messages for paths that do not exist).

    Files named explicitly are checked even when excluded, unless `force_exclude` is set.
    """
    files: list[str] = []
    errors: list[str] = []
    for raw in paths:
        path = Path(raw)
        if settings.force_exclude and settings.is_excluded(raw):
            continue
        if path.is_dir():
            files.extend(sorted(_walk(path, settings)))
        elif path.exists() or path.is_symlink():
            files.append(raw)
        else:
            errors.append(f"{raw}: No such file or directory")
    return list(dict.fromkeys(files)), errors


# ------------------------------------------------------------------------------ the work
@dataclass(frozen=True)
class Options:
    fix: bool = False
    write: bool = True
    jobs: int = 0  # 0: the CPUs available
    timeout: float = DEFAULT_TIMEOUT
    cache: bool = True


def _read(path: str) -> tuple[bytes, Signature] | str:
    """The file's bytes and the cache signature of the stat taken before reading them, or an error."""
    taken = time.time_ns()  # before the fstat: the earlier, the more signatures count as racy
    try:
        data, stat = read_file(path)
    except OSError as error:
        return f"{path}: cannot read: {error.strerror or error}"
    return data, signature(stat, taken)


def _work(path: str, data: bytes, settings: Settings, fix: bool) -> FileResult:
    """What a worker does with one file (also run in-process for stdin)."""
    from asynclint.engine import fix_bytes, lint_bytes
    from asynclint.project import record

    with record() as consulted:
        if fix:
            new_data, diagnostics, fixed = fix_bytes(data, settings, path)
            result = FileResult(path, [d.portable() for d in diagnostics], fixed, new_data)
        else:
            result = FileResult(path, [d.portable() for d in lint_bytes(data, settings, path)])
    own = os.path.abspath(path)
    result.dependencies = sorted(p for p in consulted if p != own)
    return result


def _worker_main(connection: Connection, settings: Settings, fix: bool) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C
    while True:
        try:
            job = connection.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        index, path, data = job
        try:
            result = _work(path, data, settings, fix)
        except BaseException as error:  # noqa: BLE001 - anything here is reported on the file
            from asynclint.engine import internal_error

            result = FileResult(path, [internal_error(f"{type(error).__name__}: {error}")])
        try:
            connection.send((index, result))
        except (OSError, ValueError):
            return


class _Worker:
    def __init__(self, context: Any, settings: Settings, fix: bool) -> None:
        self.connection, child = context.Pipe()
        self.process = context.Process(target=_worker_main, args=(child, settings, fix), daemon=True)
        self.process.start()
        child.close()
        self.job: tuple[int, str] | None = None
        self.deadline = 0.0

    def give(self, index: int, path: str, data: bytes, timeout: float) -> None:
        self.job = (index, path)
        self.deadline = time.monotonic() + timeout
        self.connection.send((index, path, data))

    def stop(self, kill: bool = False) -> None:
        if kill:
            self.process.kill()
        else:
            try:
                self.connection.send(None)
            except (OSError, ValueError):
                pass
        self.process.join(timeout=5)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        self.connection.close()


def _context() -> Any:
    import multiprocessing
    import threading

    # fork is fast and needs no re-import; use it while the process has a single thread.
    if "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


def _death(process: Any) -> str:
    code = process.exitcode
    if code is not None and code < 0:
        try:
            return f"the worker died from signal {signal.Signals(-code).name}"
        except ValueError:
            return f"the worker died from signal {-code}"
    return f"the worker exited unexpectedly (exit code {code})"


def _pool(jobs: list[tuple[int, str, bytes]], settings: Settings, options: Options) -> Iterator[tuple[int, FileResult]]:
    """Run jobs in worker processes; yields (index, result) as they finish."""
    if not jobs:
        return
    from multiprocessing.connection import wait

    from asynclint.engine import internal_error

    context = _context()
    size = min(options.jobs or available_cpus(), len(jobs))
    queue = deque(jobs)
    workers = [_Worker(context, settings, options.fix) for _ in range(size)]
    try:
        for worker in workers:
            if queue:
                worker.give(*queue.popleft(), options.timeout)
        while any(w.job is not None for w in workers):
            busy = [w for w in workers if w.job is not None]
            timeout = max(0.0, min(w.deadline for w in busy) - time.monotonic())
            ready = set(wait([w.connection for w in busy] + [w.process.sentinel for w in busy], timeout))
            for worker in busy:
                assert worker.job is not None
                index, path = worker.job
                result: FileResult | None = None
                replace = False
                if worker.connection in ready or worker.connection.poll():
                    try:
                        _, result = worker.connection.recv()
                    except (EOFError, OSError):
                        result, replace = FileResult(path, [internal_error(_death(worker.process))]), True
                elif worker.process.sentinel in ready or not worker.process.is_alive():
                    worker.process.join(timeout=1)
                    result, replace = FileResult(path, [internal_error(_death(worker.process))]), True
                elif time.monotonic() >= worker.deadline:
                    message = f"analysis took longer than the per-file limit of {options.timeout:g} s"
                    result, replace = FileResult(path, [internal_error(message)]), True
                if result is None:
                    continue
                yield index, result
                if replace:
                    worker.stop(kill=True)
                    new = _Worker(context, settings, options.fix)
                    workers[workers.index(worker)] = new
                    worker = new
                worker.job = None
                if queue:
                    worker.give(*queue.popleft(), options.timeout)
    finally:
        for worker in workers:
            worker.stop(kill=worker.job is not None)


def run(
    files: list[str],
    settings: Settings,
    options: Options = Options(),
    on_result: Callable[[FileResult], None] | None = None,
) -> list[FileResult]:
    """Check (or fix) files; results in the order of `files`."""
    results: dict[int, FileResult] = {}
    cache = Cache.open(settings) if options.cache else None
    jobs: list[tuple[int, str, bytes]] = []
    originals: dict[int, tuple[bytes, Signature]] = {}

    def reusable(cached: list[Any] | None) -> bool:
        # A cached result answers a check; a fix can only skip files known to be clean.
        return cached is not None and not (options.fix and cached)

    for index, path in enumerate(files):
        cached = cache.get_unchanged(path) if cache is not None else None  # by its stat: no read
        if reusable(cached):
            results[index] = FileResult(path, cached)
            continue
        read = _read(path)
        if isinstance(read, str):
            results[index] = FileResult(path, error=read)
            continue
        data, stat = read
        cached = cache.get(path, data, stat) if cache is not None else None
        if reusable(cached):
            results[index] = FileResult(path, cached)
            continue
        from asynclint.engine import is_candidate  # here, not at the top: a warm run never needs the engine

        if not is_candidate(data, settings, path):
            results[index] = FileResult(path)
            if cache is not None:
                cache.put(path, data, stat, [])
        else:
            jobs.append((index, path, data))
            originals[index] = read
    for index, result in _pool(jobs, settings, options) if jobs else ():
        data, stat = originals.pop(index)
        if options.fix and result.new_data is not None:
            result.original = data
            if options.write:
                _write(result, data, settings)
        elif cache is not None and not result.internal_error and not result.error:
            cache.put(result.path, data, stat, result.diagnostics, result.dependencies)
        results[index] = result
        if on_result is not None:
            on_result(result)
    if cache is not None:
        cache.save()
    return [results[i] for i in range(len(files))]


def _write(result: FileResult, data: bytes, settings: Settings) -> None:
    """Replace the file with its fixed bytes, only over the bytes that were read; else say why.

    A file left unwritten keeps every finding its bytes have, fixable ones included: the worker
    sent only those the fixes left, so they are found again here (a rare path, in-process).
    """
    assert result.new_data is not None
    try:
        write_atomically(result.path, result.new_data, expected=data)
        return
    except NotWritten as error:
        result.error = f"{result.path}: not fixed: {error}"
    except OSError as error:
        result.error = f"{result.path}: cannot write: {error.strerror or error}"
    from asynclint.engine import lint_bytes

    result.diagnostics = [d.portable() for d in lint_bytes(data, settings, result.path)]
    result.new_data, result.original, result.fixed = None, None, 0


def run_stdin(data: bytes, path: str | None, settings: Settings, fix: bool) -> FileResult:
    result = _work(path or "-", data, settings, fix)
    if fix and result.new_data is not None:
        result.original = data
    return result

