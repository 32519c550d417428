"""What `fix` promises about the files it writes.

- It never replaces a file the user could not write in place: a read-only file (even as root), a
  file another user owns and the user may not write, a hard-linked file. Such a file is reported
  as `PATH: not fixed: ...` with every finding it has, the other files are still fixed, exit 2.
- It keeps the replaced file's owner and group.
- It never loses an edit made while it ran: a file whose bytes changed, or that was deleted or
  moved away, is reported `not fixed: changed on disk while asynclint ran` and never recreated.
- A file it fails to write (disk full, EIO) keeps every finding it has, fixed ones included.
- A kill while it writes leaves no temporary file for good: the temporary has no name until the
  final rename where the platform allows, and a named one carries the writer's pid, so the next
  run deletes a dead run's leftovers (and leaves a live run's alone).
- The rename itself is made durable (the directory is fsynced).
- Reading never hangs: a FIFO handed to the runner is refused as "not a regular file".
"""

from __future__ import annotations

import errno
import os
import shutil
import stat
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from asynclint import source
from asynclint.config import Settings
from asynclint.runner import Options, run
from asynclint.source import CHANGED, NotWritten, write_atomically

# Two safe fixes (AIO302) and one unsafe (AIO201): after a plain `fix`, one finding remains.
SOURCE = (
    "import asyncio\nimport time\n\n\nasync def main():\n"
    "    loop = asyncio.get_event_loop()\n    time.sleep(1)\n    other = asyncio.get_event_loop()\n    return loop, other\n"
)
FIXED = SOURCE.replace("get_event_loop", "get_running_loop")
FINDINGS = ["AIO302", "AIO201", "AIO302"]


def asynclint(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "asynclint", *args], cwd=cwd, capture_output=True, text=True, timeout=600
    )


def codes(stdout: str, name: str) -> list[str]:
    return [line.split()[1] for line in stdout.splitlines() if line.startswith(f"{name}:")]


def run_as_nobody(function: Callable[[], int]) -> int:
    """Run `function()` in a forked child with root's privileges dropped; its exit status.

    The test interpreter lives under root's home, so the child cannot exec a new one: it
    calls already-imported code instead.
    """
    if os.geteuid() != 0 or not hasattr(os, "fork"):
        pytest.skip("needs root to drop privileges to another user")
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        try:
            os.setgroups([])
            os.setgid(65534)
            os.setuid(65534)
            os._exit(function())
        except BaseException:
            os._exit(99)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status)


@pytest.fixture
def shared_dir() -> Iterator[Path]:
    """A directory anyone may write to, outside root's private pytest base directory."""
    directory = Path(tempfile.mkdtemp(prefix="asynclint-writes-"))
    directory.chmod(0o777)
    yield directory
    shutil.rmtree(directory)


def test_read_only_and_hard_linked_files_are_refused_with_all_their_findings(tmp_path: Path) -> None:
    for name in ("a.py", "readonly.py", "linked.py", "z.py"):
        (tmp_path / name).write_text(SOURCE)
    (tmp_path / "readonly.py").chmod(0o444)
    os.link(tmp_path / "linked.py", tmp_path / "other-name.py")
    out = asynclint("fix", "--no-cache", ".", cwd=tmp_path)
    assert out.returncode == 2, out
    assert "readonly.py: not fixed: read-only file (mode 0444)" in out.stderr
    assert "linked.py: not fixed: the file has 2 hard links" in out.stderr
    assert "Traceback" not in out.stderr
    for name in ("readonly.py", "linked.py"):
        assert (tmp_path / name).read_text() == SOURCE
        assert codes(out.stdout, name) == FINDINGS
    assert (tmp_path / "linked.py").stat().st_ino == (tmp_path / "other-name.py").stat().st_ino
    assert stat.S_IMODE((tmp_path / "readonly.py").stat().st_mode) == 0o444
    for name in ("a.py", "z.py"):
        assert (tmp_path / name).read_text() == FIXED
        assert codes(out.stdout, name) == ["AIO201"]


def test_a_file_the_user_may_not_write_is_refused(shared_dir: Path) -> None:
    path = shared_dir / "theirs.py"
    path.write_text(SOURCE)
    path.chmod(0o644)  # root's file in a directory anyone may write: a rename would succeed

    def attempt() -> int:
        try:
            write_atomically(str(path), FIXED.encode(), expected=SOURCE.encode())
        except NotWritten as error:
            return 0 if "permission denied" in str(error) else 1
        return 2

    assert run_as_nobody(attempt) == 0
    assert path.read_text() == SOURCE and path.stat().st_uid == 0
    assert sorted(p.name for p in shared_dir.iterdir()) == ["theirs.py"]


def test_a_read_only_file_of_ones_own_is_refused_without_root(shared_dir: Path) -> None:
    path = shared_dir / "mine.py"
    path.write_text(SOURCE)
    os.chown(path, 65534, 65534)
    path.chmod(0o444)

    def attempt() -> int:
        try:
            write_atomically(str(path), FIXED.encode(), expected=SOURCE.encode())
        except NotWritten as error:
            return 0 if "read-only" in str(error) else 1
        return 2

    assert run_as_nobody(attempt) == 0
    assert path.read_text() == SOURCE


def test_owner_and_group_are_kept(tmp_path: Path) -> None:
    if os.geteuid() != 0:
        pytest.skip("only root may give a file to another user")
    path = tmp_path / "m.py"
    path.write_text(SOURCE)
    os.chown(path, 65534, 65534)
    path.chmod(0o640)
    out = asynclint("fix", "--no-cache", "m.py", cwd=tmp_path)
    assert out.returncode == 1, out
    assert path.read_text() == FIXED
    info = path.stat()
    assert (info.st_uid, info.st_gid, stat.S_IMODE(info.st_mode)) == (65534, 65534, 0o640)


# ------------------------------------------------------------------------------ edits during a run
def test_compare_and_replace(tmp_path: Path) -> None:
    path = tmp_path / "m.py"
    path.write_text(SOURCE)
    edited = SOURCE + "# saved by the user\n"
    path.write_text(edited)
    with pytest.raises(NotWritten, match=CHANGED):
        write_atomically(str(path), FIXED.encode(), expected=SOURCE.encode())
    assert path.read_text() == edited
    path.write_text(SOURCE[:-1] + "X")  # same size, other bytes
    with pytest.raises(NotWritten, match=CHANGED):
        write_atomically(str(path), FIXED.encode(), expected=SOURCE.encode())
    path.unlink()
    with pytest.raises(NotWritten, match=CHANGED):
        write_atomically(str(path), FIXED.encode(), expected=SOURCE.encode())
    assert not path.exists()
    path.write_text(SOURCE)
    write_atomically(str(path), FIXED.encode(), expected=SOURCE.encode())
    assert path.read_text() == FIXED
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.py"]


HOOK = """
import os, sys
from asynclint import runner
from asynclint.cli import main

work = runner._work

def hooked(path, data, settings, fix, rules=None):
    # The parent read every file before the pool started; the user now saves, deletes and moves.
    if os.path.basename(path) == "a_trigger.py":
        with open("edited.py", "a") as handle:
            handle.write("# saved by the user\\n")
        os.unlink("deleted.py")
        os.rename("moved.py", "moved-away.py")
    return work(path, data, settings, fix, rules)

runner._work = hooked
sys.exit(main(["fix", "--no-cache", "-j", "1", "."]))
"""


def test_edits_made_while_fix_runs_are_kept(tmp_path: Path) -> None:
    import multiprocessing

    if "fork" not in multiprocessing.get_all_start_methods():
        pytest.skip("the hook reaches the worker through fork")
    names = ["a_trigger.py", "deleted.py", "edited.py", "moved.py", "untouched.py"]
    for name in names:
        (tmp_path / name).write_text(SOURCE)
    out = subprocess.run([sys.executable, "-c", HOOK], cwd=tmp_path, capture_output=True, text=True, timeout=600)
    assert out.returncode == 2, out
    for name in ("deleted.py", "edited.py", "moved.py"):
        assert f"{name}: not fixed: {CHANGED}" in out.stderr
        assert codes(out.stdout, name) == FINDINGS
    assert (tmp_path / "edited.py").read_text() == SOURCE + "# saved by the user\n"
    assert not (tmp_path / "deleted.py").exists() and not (tmp_path / "moved.py").exists()
    assert (tmp_path / "moved-away.py").read_text() == SOURCE
    for name in ("a_trigger.py", "untouched.py"):
        assert (tmp_path / name).read_text() == FIXED
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a_trigger.py", "edited.py", "moved-away.py", "untouched.py"]


# ------------------------------------------------------------------------------ failed writes
@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EIO])
def test_a_failed_write_keeps_every_finding(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: int) -> None:
    (tmp_path / "m.py").write_text(SOURCE)

    def fail(src: str, dst: str) -> None:
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(source.os, "replace", fail)
    (result,) = run([str(tmp_path / "m.py")], Settings(), Options(fix=True, jobs=1, cache=False))
    assert result.error == f"{tmp_path / 'm.py'}: cannot write: {os.strerror(code)}"
    assert [d.code for d in result.diagnostics] == FINDINGS
    assert result.fixed == 0 and result.new_data is None
    assert (tmp_path / "m.py").read_text() == SOURCE
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.py"]


# ------------------------------------------------------------------------------ temporaries
def dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", ""])
    child.wait()
    return child.pid


def test_stale_temporaries_of_dead_runs_are_deleted_and_live_ones_kept(tmp_path: Path) -> None:
    (tmp_path / "m.py").write_text(SOURCE)
    stale = tmp_path / f".asynclint-{dead_pid()}-0a1b2c3d4e5f.tmp"
    live = tmp_path / f".asynclint-{os.getpid()}-0a1b2c3d4e5f.tmp"
    foreign = tmp_path / ".asynclint-notours.tmp"
    for temporary in (stale, live, foreign):
        temporary.write_text("half a file")
    out = asynclint("fix", "--no-cache", "m.py", cwd=tmp_path)
    assert out.returncode == 1, out
    assert (tmp_path / "m.py").read_text() == FIXED
    assert not stale.exists() and live.exists() and foreign.exists()


KILLED = """
import os, signal, sys
from asynclint import source
if sys.argv[1] == "named":
    del source.os.O_TMPFILE
real = os.fsync
def die(fd):
    real(fd)
    os.kill(os.getpid(), signal.SIGKILL)  # after the new bytes are on disk, before the rename
source.os.fsync = die
source.write_atomically("m.py", b"new bytes", expected=open("m.py", "rb").read())
"""


@pytest.mark.parametrize("kind", ["unnamed", "named"])
def test_a_kill_during_the_write_leaves_nothing_for_good(tmp_path: Path, kind: str) -> None:
    if kind == "unnamed" and not hasattr(os, "O_TMPFILE"):
        pytest.skip("no O_TMPFILE here")
    (tmp_path / "m.py").write_text(SOURCE)
    killed = subprocess.run([sys.executable, "-c", KILLED, kind], cwd=tmp_path, capture_output=True, timeout=600)
    assert killed.returncode == -9
    assert (tmp_path / "m.py").read_text() == SOURCE
    left = sorted(p.name for p in tmp_path.iterdir())
    if kind == "unnamed":
        assert left == ["m.py"]  # the temporary never had a name
    else:
        assert len(left) == 2 and left[0].startswith(".asynclint-")
    out = asynclint("fix", "--no-cache", "m.py", cwd=tmp_path)
    assert out.returncode == 1, out
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.py"]
    assert (tmp_path / "m.py").read_text() == FIXED


def test_named_temporaries_work_where_o_tmpfile_does_not(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delattr(source.os, "O_TMPFILE", raising=False)
    path = tmp_path / "m.py"
    path.write_text(SOURCE)
    path.chmod(0o751)
    write_atomically(str(path), FIXED.encode(), expected=SOURCE.encode())
    assert path.read_text() == FIXED and stat.S_IMODE(path.stat().st_mode) == 0o751
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.py"]


def test_the_directory_is_fsynced_after_the_rename(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "m.py"
    path.write_text(SOURCE)
    synced: list[tuple[bool, bool]] = []  # (a directory?, the new bytes in place already?)
    real = os.fsync

    def spy(fd: int) -> None:
        synced.append((stat.S_ISDIR(os.fstat(fd).st_mode), path.read_text() == FIXED))
        real(fd)

    monkeypatch.setattr(source.os, "fsync", spy)
    write_atomically(str(path), FIXED.encode(), expected=SOURCE.encode())
    assert synced == [(False, False), (True, True)]


# ------------------------------------------------------------------------------ reading
READ_FIFO = """
import sys
from asynclint.config import Settings
from asynclint.runner import Options, run
(result,) = run([sys.argv[1]], Settings(), Options(jobs=1, cache=False))
print(result.error)
"""


def test_reading_a_fifo_never_hangs(tmp_path: Path) -> None:
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs here")
    fifo = tmp_path / "pipe.py"
    os.mkfifo(fifo)
    out = subprocess.run([sys.executable, "-c", READ_FIFO, str(fifo)], capture_output=True, text=True, timeout=120)
    assert out.stdout.strip() == f"{fifo}: cannot read: not a regular file", out
