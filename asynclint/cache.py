"""The content-hash cache: an unchanged file is never analysed twice, and a changed one always is.

`.asynclint_cache/` sits beside the configuration file (or in the working directory), tagged with
`CACHEDIR.TAG` and ignored by git through its own `.gitignore`.  One JSON file per combination of
asynclint version (and source, for development installs) and settings maps each path to the
SHA-256 of its bytes, its diagnostics, the stat signature taken *before* those bytes were read,
and the signatures of the other modules its findings depend on.  Entries for other content are
simply replaced.

git's racy rule keeps the stat shortcut honest: a signature whose mtime (or ctime) is within
`RACY_NS` of the moment it was taken is stored as "racy" and never answers without reading, since
an edit in the same timestamp tick would look unchanged.  Every entry is checked for shape and
types when the cache is opened: a bad one is a miss, and a cache file that cannot be read or
parsed at all is an empty cache; a cache that cannot be written is ignored.  Never an error.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Sequence
from dataclasses import asdict, fields
from pathlib import Path
from typing import Any

from asynclint import __version__
from asynclint.config import Settings
from asynclint.rule import Diagnostic
from asynclint.source import NotWritten, read_file, write_atomically

DIRECTORY = ".asynclint_cache"
_TAG = "Signature: 8a477f597d28d172789f06886806bc55\n# This file is a cache directory tag created by asynclint.\n"
_FIELDS = [f.name for f in fields(Diagnostic) if f.name != "fix"]
# The JSON types each stored Diagnostic field may have (bool is an int to Python: kept apart).
_TYPES: dict[str, tuple[type, ...]] = {"str": (str,), "int": (int,), "bool": (bool,), "str | None": (str, type(None))}
_FIELD_TYPES = [_TYPES[str(f.type)] for f in fields(Diagnostic) if f.name != "fix"]
RACY_NS = 2_000_000_000  # FAT's 2 s mtime granularity; finer filesystems are covered too
RACY = "racy"
Signature = list[int] | str | None
"""[size, mtime_ns, ctime_ns, inode]; RACY when too recent to trust; None for a missing file."""


def signature(stat: os.stat_result, taken_ns: int) -> list[int] | str:
    """The stat shortcut for a file as it was at `taken_ns`, or RACY when its times are that recent."""
    if max(stat.st_mtime_ns, stat.st_ctime_ns) >= taken_ns - RACY_NS:
        return RACY
    return [stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino]


def _current(path: str) -> list[int] | None:
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return [stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino]


def _is_signature(value: Any, *, missing: bool) -> bool:
    if value == RACY or (missing and value is None):
        return True
    return type(value) is list and len(value) == 4 and all(type(n) is int for n in value)


def _is_row(row: Any) -> bool:
    return (
        type(row) is list
        and len(row) == len(_FIELDS)
        and all(
            isinstance(value, types) and (type(value) is not bool or bool in types)
            for value, types in zip(row, _FIELD_TYPES, strict=True)
        )
    )


def _is_entry(entry: Any) -> bool:
    """[sha256 hex, rows, signature, [[dependency, signature or None, sha256 hex or None], ...]], exactly."""
    return (
        type(entry) is list
        and len(entry) == 4
        and type(entry[0]) is str
        and len(entry[0]) == 64
        and type(entry[1]) is list
        and all(_is_row(row) for row in entry[1])
        and _is_signature(entry[2], missing=False)
        and type(entry[3]) is list
        and all(
            type(d) is list
            and len(d) == 3
            and type(d[0]) is str
            and _is_signature(d[1], missing=True)
            and (d[2] is None or (type(d[2]) is str and len(d[2]) == 64))
            for d in entry[3]
        )
    )


def _code_fingerprint() -> str:
    """asynclint's version plus its sources' sizes and mtimes, so an edited install drops old results."""
    package = Path(__file__).resolve().parent
    digest = hashlib.sha256(__version__.encode())
    for path in sorted(package.rglob("*.py")):
        stat = path.stat()
        digest.update(f"{path.relative_to(package)}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return digest.hexdigest()[:16]


class Cache:
    def __init__(self, file: Path, entries: dict[str, Any]) -> None:
        self.file = file
        self.entries = entries
        self.dirty = False
        self.opened_ns = time.time_ns()  # before any file of this run is read
        self._digests: dict[str, str | None] = {}  # dependencies hashed by this run

    @classmethod
    def open(cls, settings: Settings) -> Cache:
        root = Path(settings.root if settings.config_file else os.getcwd())
        key = hashlib.sha256(
            repr(
                (_code_fingerprint(), {f: v for f, v in asdict(settings).items() if f not in ("root", "config_file")})
            ).encode()
        ).hexdigest()[:20]
        file = root / DIRECTORY / f"{key}.json"
        try:
            loaded = json.loads(read_file(str(file))[0])
        except (OSError, ValueError, RecursionError, MemoryError):  # missing, undecodable, too deep, too big
            loaded = {}
        entries = {k: v for k, v in loaded.items() if _is_entry(v)} if type(loaded) is dict else {}
        return cls(file, entries)

    @staticmethod
    def _key(path: str) -> str:
        return os.path.abspath(path)

    @staticmethod
    def _rows(entry: list[Any]) -> list[Diagnostic]:
        return [Diagnostic(**dict(zip(_FIELDS, values, strict=True))) for values in entry[1]]

    def get_unchanged(self, path: str) -> list[Diagnostic] | None:
        """The result for a file whose stat signature is the one recorded with its hash.

        git's shortcut: a file that was not touched is not read again.  A racy signature never
        matches; anything else goes to `get`, which compares the content hash.
        """
        entry = self.entries.get(self._key(path))
        if entry is None or entry[2] != _current(path) or not self._dependencies_unchanged(entry):
            return None
        return self._rows(entry)

    def get(self, path: str, data: bytes, stat: Signature) -> list[Diagnostic] | None:
        """The result for these bytes; `stat` is the signature taken before reading them."""
        entry = self.entries.get(self._key(path))
        if entry is None or entry[0] != hashlib.sha256(data).hexdigest() or not self._dependencies_unchanged(entry):
            return None
        if entry[2] != stat:
            entry[2] = stat  # same bytes, touched file (or no longer racy): refresh the shortcut
            self.dirty = True
        return self._rows(entry)

    def _dependencies_unchanged(self, entry: list[Any]) -> bool:
        """Are the other modules this result was computed from (AIO4xx reads them) as they were?

        By stat, or, for one that was racy when recorded (a checkout or copy made just before
        the run), by the hash of the bytes the worker read; a racy one that matches gets its stat
        recorded, so later runs need no read.
        """
        for record in entry[3]:
            dependency, recorded, digest = record
            if recorded != RACY:
                if _current(dependency) != recorded:
                    return False
                continue
            if digest is None:
                return False
            try:
                stat = os.stat(dependency)  # before reading, as for the files themselves
            except OSError:
                return False
            if self._digest(dependency) != digest:
                return False
            record[1] = signature(stat, self.opened_ns)
            self.dirty = True
        return True

    def _digest(self, path: str) -> str | None:
        if path not in self._digests:
            try:
                self._digests[path] = hashlib.sha256(read_file(path)[0]).hexdigest()
            except OSError:
                self._digests[path] = None
        return self._digests[path]

    def put(
        self,
        path: str,
        data: bytes,
        stat: Signature,
        diagnostics: list[Diagnostic],
        dependencies: Sequence[tuple[str, str | None]] = (),
    ) -> None:
        """Record the result for `data`, read after `stat` was taken.

        The workers read the dependencies at some moment after the cache was opened, so their
        signatures count as racy unless they are older than that (they cannot have changed since).
        """
        rows = [[getattr(d, name) for name in _FIELDS] for d in diagnostics]
        recorded = [[dependency, self._dependency_signature(dependency), digest] for dependency, digest in dependencies]
        self.entries[self._key(path)] = [hashlib.sha256(data).hexdigest(), rows, stat, recorded]
        self.dirty = True

    def _dependency_signature(self, path: str) -> Signature:
        try:
            return signature(os.stat(path), self.opened_ns)
        except OSError:
            return None

    def save(self) -> None:
        if not self.dirty:
            return
        directory = self.file.parent
        try:
            directory.mkdir(parents=True, exist_ok=True)
            for name, content in (("CACHEDIR.TAG", _TAG), (".gitignore", "*\n")):
                if not (directory / name).exists():
                    (directory / name).write_text(content, encoding="utf-8")
            write_atomically(str(self.file), json.dumps(self.entries, separators=(",", ":")).encode())
        except (OSError, NotWritten):
            pass  # a read-only checkout still gets its results, just not cached
