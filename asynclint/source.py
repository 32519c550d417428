"""Bytes in, text for the parser, and the same bytes conventions back out.

A fix must give back a file that differs only where the fix changed it: same encoding (PEP 263
cookie or BOM), same line endings (libcst keeps them in the text), same mode, owner and group,
written atomically through a symlink to its target, and only over the very bytes that were read:
`write_atomically` refuses a file the user could not write in place, a hard-linked file, and a
file that changed (or went away) since it was read, and it leaves no temporary file behind.
"""

from __future__ import annotations

import codecs
import io
import os
import re
import stat as stat_module
import tokenize
from dataclasses import dataclass


class UndecodableSource(Exception):
    """The bytes are not text in the encoding the file declares (or UTF-8)."""


@dataclass(frozen=True)
class SourceText:
    text: str  # without the BOM
    encoding: str
    bom: bool

    def encode(self, text: str) -> bytes:
        data = text.encode(self.encoding)
        return codecs.BOM_UTF8 + data if self.bom else data


def decode(data: bytes) -> SourceText:
    if b"\x00" in data:
        raise UndecodableSource("binary file (contains NUL bytes)")
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError as error:  # unknown codec in the cookie, or a BOM that contradicts it
        raise UndecodableSource(str(error)) from error
    bom = data.startswith(codecs.BOM_UTF8)
    if encoding == "utf-8-sig":
        encoding = "utf-8"
    body = data[len(codecs.BOM_UTF8) :] if bom else data
    try:
        text = body.decode(encoding)
    except (UnicodeDecodeError, LookupError) as error:
        raise UndecodableSource(f"cannot decode as {encoding}: {error}") from error
    return SourceText(text, encoding, bom)


_READ_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)


class NotRegularFile(OSError):
    """A FIFO, device, socket or directory where a source file was expected."""


def read_file(path: str, *, follow_symlinks: bool = True) -> tuple[bytes, os.stat_result]:
    """A regular file's bytes and the fstat taken just before reading them (for the cache).

    A stat comes first, so a device is never even opened; the open is non-blocking and checked
    again with fstat before any read, so a file swapped for a FIFO in between cannot block the
    run either.  Raises NotRegularFile for anything but a regular file, OSError when unreadable.
    """
    if not stat_module.S_ISREG((os.stat(path) if follow_symlinks else os.lstat(path)).st_mode):
        raise NotRegularFile("not a regular file")
    fd = os.open(path, _READ_FLAGS | (0 if follow_symlinks else getattr(os, "O_NOFOLLOW", 0)))
    with os.fdopen(fd, "rb") as handle:
        stat = os.fstat(fd)
        if not stat_module.S_ISREG(stat.st_mode):
            raise NotRegularFile("not a regular file")
        return handle.read(), stat


class NotWritten(Exception):
    """A file `write_atomically` declined to replace; the message says why (for "PATH: not fixed: ...")."""


CHANGED = "changed on disk while asynclint ran"
# Named temporaries carry the writer's pid, so a later run can tell a dead run's leftovers from a
# live run's file in progress: `.asynclint-<pid>-<random>.tmp`.
_TEMPORARY = re.compile(r"\.asynclint-([0-9]+)-[0-9a-z]+\.tmp")
_swept: set[str] = set()  # directories already cleaned of dead runs' temporaries by this process


def _refusal(stat: os.stat_result, target: str) -> str | None:
    """Why a file must not be replaced, or None: only what the user may write in place is fixed.

    A rename only needs the directory to be writable, so without these checks a read-only file,
    or one the user may not write, would be silently replaced.  Root may write anything, so for
    root a file whose mode grants nobody write access still counts as read-only.  A hard-linked
    file is refused rather than written in place: replacing it would split it from its other
    names, and writing in place cannot be atomic (a kill or a full disk halfway through would
    leave a half-written file under every name).
    """
    if not stat_module.S_ISREG(stat.st_mode):
        return "not a regular file"
    if not stat.st_mode & 0o222:
        return f"read-only file (mode {stat.st_mode & 0o7777:04o})"
    effective = os.access in os.supports_effective_ids
    if not os.access(target, os.W_OK, effective_ids=effective):
        return "permission denied (the user may not write this file)"
    if stat.st_nlink > 1:
        return (
            f"the file has {stat.st_nlink} hard links (replacing it would split them, writing in place is not atomic)"
        )
    return None


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # EPERM: someone else's live process
        return True
    return True


def _sweep(directory: str) -> None:
    """Delete temporaries that runs killed mid-write left in `directory` (ours only: by name and dead pid)."""
    if directory in _swept:
        return
    _swept.add(directory)
    try:
        names = os.listdir(directory)
    except OSError:
        return
    for name in names:
        match = _TEMPORARY.fullmatch(name)
        if match is None or int(match.group(1)) == os.getpid() or _pid_alive(int(match.group(1))):
            continue
        path = os.path.join(directory, name)
        try:
            if stat_module.S_ISREG(os.lstat(path).st_mode):
                os.unlink(path)
        except OSError:
            pass  # another run swept it first, or we may not: either way not our business


def _temporary_name(directory: str) -> str:
    return os.path.join(directory, f".asynclint-{os.getpid()}-{os.urandom(6).hex()}.tmp")


def _open_temporary(directory: str) -> tuple[int, str | None]:
    """A file for the new bytes: unnamed (O_TMPFILE) where the kernel and filesystem allow, so a kill
    before the final link leaves nothing behind; else a named one that `_sweep` can recognise."""
    unnamed = getattr(os, "O_TMPFILE", None)
    if unnamed is not None and os.path.isdir("/proc/self/fd"):  # linkat needs /proc/self/fd
        try:
            return os.open(directory, unnamed | os.O_WRONLY, 0o600), None
        except OSError:
            pass  # a filesystem without O_TMPFILE (EOPNOTSUPP, EISDIR on old kernels): use a name
    while True:
        name = _temporary_name(directory)
        try:
            return os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), name
        except FileExistsError:
            continue


def _link(fd: int, name: str) -> None:
    """Give an O_TMPFILE file a name: linkat(AT_SYMLINK_FOLLOW) of its /proc/self/fd entry.

    os.link calls plain link(), which would link the /proc symlink itself (EXDEV), unless a
    directory descriptor is given: then it calls linkat with AT_SYMLINK_FOLLOW.
    """
    directory = os.open(os.path.dirname(name), os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.link(f"/proc/self/fd/{fd}", os.path.basename(name), dst_dir_fd=directory, follow_symlinks=True)
    finally:
        os.close(directory)


def _still(target: str, expected: bytes) -> os.stat_result:
    """The target's stat, if it still holds exactly `expected`; else NotWritten(CHANGED)."""
    try:
        fd = os.open(target, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        raise NotWritten(CHANGED) from None  # deleted or moved away: never recreate it
    try:
        stat = os.fstat(fd)
        if not stat_module.S_ISREG(stat.st_mode):
            raise NotWritten(CHANGED)
        chunks = []
        remaining = len(expected) + 1  # one byte more than expected is enough to see growth
        while remaining > 0:
            chunk = os.read(fd, remaining)
            if not chunk:
                break
            chunks.append(chunk)
            remaining -= len(chunk)
    finally:
        os.close(fd)
    if b"".join(chunks) != expected:
        raise NotWritten(CHANGED)
    return stat


def _fsync_directory(directory: str) -> None:
    """Make the rename itself durable, where the platform lets us open a directory."""
    try:
        fd = os.open(directory, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some filesystems refuse fsync on a directory; the rename still happened
    finally:
        os.close(fd)


def write_atomically(path: str, data: bytes, expected: bytes | None = None) -> None:
    """Replace the file at `path` (or a symlink's target) with `data`, keeping mode, owner and group.

    With `expected` (the bytes that were read), the file is replaced only if it still holds exactly
    those bytes, compared after the new bytes are safely on disk and right before the rename, so
    the window in which an edit can be lost is as small as we can make it.  Raises NotWritten for a
    file it declines to replace and OSError when writing fails; either way the file is untouched.
    """
    target = os.path.realpath(path)
    directory = os.path.dirname(target) or "."
    try:
        before: os.stat_result | None = os.stat(target)
    except FileNotFoundError:
        if expected is not None:
            raise NotWritten(CHANGED) from None
        before = None
    if before is not None:
        reason = _refusal(before, target)  # fail fast, before writing anything
        if reason is not None:
            raise NotWritten(reason)
    _sweep(directory)
    fd, temporary = _open_temporary(directory)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        os.fsync(fd)
        if expected is not None:
            before = _still(target, expected)
            reason = _refusal(before, target)  # its mode or links may have changed since
            if reason is not None:
                raise NotWritten(reason)
        if before is not None:
            _keep_owner(fd, before)
            mode = before.st_mode & 0o7777
        else:  # a new file: the usual mode for the current umask
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        # After fchown, which clears setuid and setgid bits.  (Windows has no fchmod, nor O_TMPFILE.)
        if hasattr(os, "fchmod"):
            os.fchmod(fd, mode)
        elif temporary is not None:  # no fchmod, no O_TMPFILE either: the temporary has a name
            os.chmod(temporary, mode)
        if temporary is None:
            temporary = _temporary_name(directory)
            _link(fd, temporary)
        os.replace(temporary, target)
        temporary = None
    finally:
        os.close(fd)
        if temporary is not None:
            try:
                os.unlink(temporary)
            except FileNotFoundError:
                pass
    _fsync_directory(directory)


def _keep_owner(fd: int, stat: os.stat_result) -> None:
    """Give the new file the old one's owner and group, or refuse: never hand someone's file to us."""
    if not hasattr(os, "fchown"):
        return  # no owners to keep (Windows)
    new = os.fstat(fd)
    if (new.st_uid, new.st_gid) == (stat.st_uid, stat.st_gid):
        return
    try:
        os.fchown(fd, stat.st_uid, stat.st_gid)
    except PermissionError:
        raise NotWritten(f"cannot keep its owner and group (uid {stat.st_uid}, gid {stat.st_gid})") from None
