"""How asynclint's processes live and die.

- Workers die with the parent however it dies: after the parent is SIGKILLed or SIGTERMed while
  its workers are busy, the workers are gone (within a generous wait), never left as orphans.
- `asynclint check | cat` ends when asynclint is killed: no orphan keeps the pipe open.
- SIGTERM is handled like Ctrl-C: workers stopped, "asynclint: interrupted", exit 143 (128 +
  SIGTERM, as Ctrl-C gives 130).
- Each worker's memory is bounded: a file that needs more than the worker's limit is AIO001
  ("needs more than N GB of memory"), not a crash or an internal error, and the run goes on.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="reads processes from /proc")

BLOCKING = "import time\n\n\nasync def main():\n    time.sleep(1)\n"
# Genuinely slow to analyse and small in memory: libcst's parser is quadratic on operator chains,
# and 2,990 terms (just under the statement size limit) take it seconds, 100 times over.
SLOW = "async def f(): pass\n" + "".join(f"x{i} = " + " + ".join(["a"] * 2990) + "\n" for i in range(100))
HANG_LIMIT = 300.0  # seconds: an upper bound for hangs only, never a measure of speed


def _wait_for(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + HANG_LIMIT
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"still waiting after {HANG_LIMIT:g} s for {what}")
        time.sleep(0.1)


def _children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(child) for child in (task / "children").read_text().split()]
        except OSError:
            pass
    return found


def _stat(pid: int) -> list[str] | None:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return text[text.rindex(")") + 2 :].split()  # after "pid (comm) ", whatever comm holds


def _cpu_seconds(pid: int) -> float:
    fields = _stat(pid)
    return 0.0 if fields is None else (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _gone(pid: int) -> bool:
    fields = _stat(pid)
    return fields is None or fields[0] in ("Z", "X")  # an unreaped zombie is dead too


def _slow_tree(root: Path) -> None:
    for name in ("slow1.py", "slow2.py"):
        (root / name).write_text(SLOW)


def _busy_workers(parent: int, workers: list[int]) -> None:
    """Fill `workers` with the parent's two, once both are analysing (a second of CPU each, past start-up)."""

    def busy() -> bool:
        workers[:] = _children(parent)
        return len(workers) == 2 and all(_cpu_seconds(w) > 1.0 for w in workers)

    _wait_for(busy, "two busy workers")


def _end(workers: list[int]) -> None:
    # Only when the promise was broken: leave no orphan behind the test.
    for worker in workers:
        if not _gone(worker):
            os.kill(worker, signal.SIGKILL)


def _check_command() -> list[str]:
    return [sys.executable, "-m", "asynclint", "check", "--no-cache", "--file-timeout", "600", "-j", "2", "."]


@pytest.mark.parametrize("signum", [signal.SIGKILL, signal.SIGTERM], ids=["SIGKILL", "SIGTERM"])
def test_workers_die_with_their_parent(tmp_path: Path, signum: signal.Signals) -> None:
    _slow_tree(tmp_path)
    parent = subprocess.Popen(_check_command(), cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    workers: list[int] = []
    try:
        _busy_workers(parent.pid, workers)
        parent.send_signal(signum)
        out, err = parent.communicate(timeout=HANG_LIMIT)
        _wait_for(lambda: all(_gone(w) for w in workers), "the workers to die")
    finally:
        parent.kill()
        parent.wait()
        _end(workers)
    if signum == signal.SIGTERM:
        assert parent.returncode == 143 and err == "asynclint: interrupted\n", (parent.returncode, err)
        assert out == ""
    else:
        assert parent.returncode == -signal.SIGKILL


def test_a_pipeline_ends_when_asynclint_is_killed(tmp_path: Path) -> None:
    _slow_tree(tmp_path)
    command = " ".join(_check_command()) + " | cat"
    shell = subprocess.Popen(["/bin/sh", "-c", command], cwd=tmp_path, stdout=subprocess.PIPE, text=True)
    workers: list[int] = []
    try:
        asynclint: list[int] = []

        def started() -> bool:
            asynclint[:] = [pid for pid in _children(shell.pid) if len(_children(pid)) == 2]
            return len(asynclint) == 1

        _wait_for(started, "asynclint and its workers under the shell")
        _busy_workers(asynclint[0], workers)
        os.kill(asynclint[0], signal.SIGKILL)
        shell.communicate(timeout=HANG_LIMIT)  # `cat` sees the end of its input: nothing holds the pipe
        # The kernel ends the workers when their parent dies, a moment later on a busy machine.
        _wait_for(lambda: all(_gone(w) for w in workers), "the workers to die")
    finally:
        shell.kill()
        shell.wait()
        _end(workers)


def test_a_file_over_the_memory_limit_is_aio001_and_the_run_goes_on(tmp_path: Path) -> None:
    # 2,983 nested lambdas are the most CPython's parser accepts, and libcst needs 1.7 GB for them.
    (tmp_path / "lambdas.py").write_text("async def f(): pass\nx = " + "lambda: " * 2983 + "1\n")
    (tmp_path / "normal.py").write_text(BLOCKING)
    # `--max-memory` is the setting; a fresh process, so the worker's address space starts small.
    command = [
        sys.executable,
        "-m",
        "asynclint",
        "check",
        "--format",
        "json",
        "--no-cache",
        "-j",
        "1",
        "--max-memory",
        "1.25",
    ]
    out = subprocess.run(
        [*command, "lambdas.py", "normal.py"], cwd=tmp_path, capture_output=True, text=True, timeout=HANG_LIMIT
    )
    assert out.returncode == 1, out.stderr
    found = json.loads(out.stdout)
    lambdas = [(d["code"], d["message"]) for d in found if d["path"] == "lambdas.py"]
    normal = [(d["code"], d["message"]) for d in found if d["path"] == "normal.py"]
    assert lambdas == [("AIO001", "needs more than 1.2 GB of memory to analyse (the limit per worker)")]
    assert [code for code, _ in normal] == ["AIO201"]


def test_the_default_memory_limit_is_a_share_with_a_floor() -> None:
    import resource

    from asynclint.runner import MIN_MEMORY, worker_memory

    if resource.getrlimit(resource.RLIMIT_AS)[1] != resource.RLIM_INFINITY:
        pytest.skip("a hard address-space limit caps the share")

    physical = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    one, many = worker_memory(1), worker_memory(10_000)
    assert one is not None and many is not None
    assert one == max(MIN_MEMORY, physical // 2) and many == MIN_MEMORY


def test_a_max_memory_too_small_to_work_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "normal.py").write_text(BLOCKING)
    out = subprocess.run(
        [sys.executable, "-m", "asynclint", "check", "--max-memory", "0.1", "normal.py"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=HANG_LIMIT,
    )
    assert (
        out.returncode == 2
        and out.stderr.strip() == "asynclint: error: --max-memory: expected a number of gigabytes, at least 1"
    )
