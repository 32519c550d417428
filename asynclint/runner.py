"""Files in, results out, in the order given: the cache and a crash-proof worker pool.

Which files to check is `asynclint.discovery`'s answer.  The parent reads every file once,
answers from the cache or the byte-level pre-check when it can, and sends the rest to worker
processes with the rules that pre-check chose, one file per worker at a time.  So when a worker dies
(a segfault in libcst's native parser), hangs past the per-file time limit, or fails in any way,
the parent knows which file it was holding: that file gets an AIO002 diagnostic, the worker is
replaced and the run goes on.  Results come back in input order whatever the pool does.  Only
the parent writes files.

Workers die with the parent, however it dies (SIGKILL included): on Linux the kernel sends them
SIGKILL (`PR_SET_PDEATHSIG`), elsewhere a thread in each worker watches for the parent to go.
An orphan would keep the parent's stdout open, so `asynclint check | cat` would never end.
Each worker's address space is limited (`RLIMIT_AS`: half the physical memory shared among the
workers, at least `MIN_MEMORY`), so a file libcst needs gigabytes for is reported as AIO001
instead of taking the machine down.
"""

from __future__ import annotations

import os
import signal
import sys
import time
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeGuard

from asynclint.cache import Cache, Signature, signature
from asynclint.config import Settings
from asynclint.rule import Diagnostic
from asynclint.source import NotWritten, read_file, write_atomically

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

    from asynclint.rule import Rule
    from asynclint.semantic.project import ProjectIndex

    _Job = tuple[int, str, bytes, tuple[type[Rule], ...]]
    """(index in the run, path, bytes, the rules the pre-check chose for them)."""

# The engine (and through it libcst) and multiprocessing are imported only when a file needs
# analysing: a warm run answered from the cache needs neither.

DEFAULT_TIMEOUT = 60.0  # seconds per file; libcst needs over a minute only for pathological input
MIN_MEMORY = 2 * 2**30  # bytes of address space per worker, whatever the share: its 512 MB stack included
_PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


def available_cpus() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


# ------------------------------------------------------------------------------ the work
@dataclass(frozen=True)
class Options:
    fix: bool = False
    write: bool = True
    jobs: int = 0  # 0: the CPUs available
    timeout: float = DEFAULT_TIMEOUT
    cache: bool = True
    max_memory: int = 0  # bytes of address space per worker; 0: `worker_memory(workers)`


@dataclass
class FileResult:
    """What happened to one file."""

    path: str
    diagnostics: list[Diagnostic] = field(default_factory=list)
    fixed: int = 0
    """Number of fixes applied (fix mode)."""
    new_data: bytes | None = None
    """The fixed file's bytes, when fixing changed it."""
    original: bytes | None = None
    """The bytes before fixing, when fixing changed them (for --diff)."""
    error: str | None = None
    """The file could not be read at all (missing, a directory, no permission)."""
    dependencies: list[tuple[str, str | None]] = field(default_factory=list, compare=False)
    """Other files whose contents the findings depend on (project modules consulted), each with the
    SHA-256 of the bytes read (None when only looked for), for the cache."""

    @property
    def internal_error(self) -> bool:
        return any(d.code == "AIO002" for d in self.diagnostics)


def worker_memory(workers: int) -> int | None:
    """Each worker's share of the address space: half the physical memory split among the workers
    (the parent, the page cache and the rest of the machine keep the other half), but at least
    `MIN_MEMORY`, which every ordinary file fits in.  None where it cannot be known or set."""
    try:
        import resource

        physical = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
        hard = resource.getrlimit(resource.RLIMIT_AS)[1]
    except (ImportError, AttributeError, ValueError, OSError):  # not on Unix
        return None
    share = max(MIN_MEMORY, physical // 2 // max(1, workers))
    return share if hard == resource.RLIM_INFINITY else min(share, hard)


def _read(path: str) -> tuple[bytes, Signature] | str:
    """The file's bytes and the cache signature of the stat taken before reading them, or an error."""
    taken = time.time_ns()  # before the fstat: the earlier, the more signatures count as racy
    try:
        data, stat = read_file(path)
    except OSError as error:
        return f"{path}: cannot read: {error.strerror or error}"
    return data, signature(stat, taken)


def _work(
    path: str,
    data: bytes,
    settings: Settings,
    fix: bool,
    index: ProjectIndex,
    rules: tuple[type[Rule], ...] | None = None,
) -> FileResult:
    """What a worker does with one file (also run in-process for stdin), with the run's project
    index; `rules` as the parent selected them for these bytes (None: selected here)."""
    from asynclint.engine import Action, Request, process

    project = index.view(path)
    action = Action.FIX if fix else Action.LINT
    outcome = process(Request(data, settings, path, action=action, rules=rules, project=project))
    result = FileResult(path, [d.portable() for d in outcome.diagnostics], outcome.fixed, outcome.new)
    if project is not None:
        result.dependencies = project.dependencies(path)
    return result


def _die_with(parent: int) -> None:
    """End this worker when `parent` (the process that started it) ends."""
    if sys.platform.startswith("linux"):
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0:
            # The parent may have died before prctl took effect: then we were already re-parented.
            if os.getppid() != parent:
                os._exit(1)
            return
    import threading

    threading.Thread(target=_watch_parent, args=(parent,), name="asynclint-parent-watch", daemon=True).start()


def _watch_parent(parent: int) -> None:
    # An orphan is re-parented (to init or a subreaper), so the parent's pid stops being ours.
    while os.getppid() == parent:
        time.sleep(1)
    os._exit(1)


def _limit_memory(limit: int | None) -> None:
    if limit is None:
        return
    import resource

    try:
        resource.setrlimit(resource.RLIMIT_AS, (limit, resource.getrlimit(resource.RLIMIT_AS)[1]))
    except (ValueError, OSError):  # a platform that does not enforce it: the engine then reports no limit
        pass


def _worker_main(connection: Connection, settings: Settings, fix: bool, parent: int, memory: int | None) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # a fork inherits the CLI's handler, which raises
    _die_with(parent)
    _limit_memory(memory)
    from asynclint.semantic.project import ProjectIndex

    project_index = ProjectIndex()  # one per worker, and a worker lives for one run
    while True:
        try:
            job = connection.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        index, path, data, rules = job
        try:
            result = _work(path, data, settings, fix, project_index, rules)
        except MemoryError:
            from asynclint.engine import memory_limit, out_of_memory

            result = FileResult(path, [out_of_memory(memory_limit())])
        except BaseException as error:
            from asynclint.engine import internal_error

            result = FileResult(path, [internal_error(f"{type(error).__name__}: {error}")])
        try:
            connection.send((index, result))
        except (OSError, ValueError):
            return


class _Worker:
    def __init__(self, context: Any, settings: Settings, fix: bool, memory: int | None) -> None:
        self.connection, child = context.Pipe()
        arguments = (child, settings, fix, os.getpid(), memory)
        self.process = context.Process(target=_worker_main, args=arguments, daemon=True)
        self.process.start()
        child.close()
        self.job: tuple[int, str] | None = None
        self.deadline = 0.0

    def give(self, index: int, path: str, data: bytes, rules: tuple[type[Rule], ...], timeout: float) -> None:
        self.job = (index, path)
        self.deadline = time.monotonic() + timeout
        self.connection.send((index, path, data, rules))

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


def _death(process: Any, memory: int | None) -> Diagnostic:
    """The diagnostic for the file a worker was holding when it died."""
    from asynclint.engine import internal_error, out_of_memory

    code = process.exitcode
    # libcst's native parser (Rust) aborts when an allocation fails, rather than raising
    # MemoryError: under the memory limit, that is the file needing more than its share.
    if memory is not None and code == -signal.SIGABRT:
        return out_of_memory(memory)
    return internal_error(_death_message(code))


def _death_message(code: int | None) -> str:
    if code is not None and code < 0:
        try:
            return f"the worker died from signal {signal.Signals(-code).name}"
        except ValueError:
            return f"the worker died from signal {-code}"
    return f"the worker exited unexpectedly (exit code {code})"


def _pool(jobs: list[_Job], settings: Settings, options: Options) -> Iterator[tuple[int, FileResult]]:
    """Run jobs in worker processes; yields (index, result) as they finish."""
    if not jobs:
        return
    from multiprocessing.connection import wait

    from asynclint.engine import internal_error

    context = _context()
    size = min(options.jobs or available_cpus(), len(jobs))
    memory = options.max_memory or worker_memory(size)
    queue = deque(jobs)
    workers = [_Worker(context, settings, options.fix, memory) for _ in range(size)]
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
                        worker.process.join(timeout=1)
                        result, replace = FileResult(path, [_death(worker.process, memory)]), True
                elif worker.process.sentinel in ready or not worker.process.is_alive():
                    worker.process.join(timeout=1)
                    result, replace = FileResult(path, [_death(worker.process, memory)]), True
                elif time.monotonic() >= worker.deadline:
                    message = f"analysis took longer than the per-file limit of {options.timeout:g} s"
                    result, replace = FileResult(path, [internal_error(message)]), True
                if result is None:
                    continue
                yield index, result
                if replace:
                    worker.stop(kill=True)
                    new = _Worker(context, settings, options.fix, memory)
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
    jobs: list[_Job] = []
    originals: dict[int, tuple[bytes, Signature]] = {}

    def reusable(cached: list[Diagnostic] | None) -> TypeGuard[list[Diagnostic]]:
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
        from asynclint.engine import select_rules  # here, not at the top: a warm run never needs the engine

        rules = select_rules(settings, path, data)  # the pre-check, once: the worker is handed its answer
        if not rules:
            results[index] = FileResult(path)
            if cache is not None:
                cache.put(path, data, stat, [])
        else:
            jobs.append((index, path, data, rules))
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
    from asynclint.engine import Request, process

    result.diagnostics = [d.portable() for d in process(Request(data, settings, result.path)).diagnostics]
    result.new_data, result.original, result.fixed = None, None, 0


def run_stdin(data: bytes, path: str | None, settings: Settings, fix: bool) -> FileResult:
    from asynclint.semantic.project import ProjectIndex

    result = _work(path or "-", data, settings, fix, ProjectIndex())
    if fix and result.new_data is not None:
        result.original = data
    return result
