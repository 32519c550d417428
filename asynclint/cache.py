"""The content-hash cache: an unchanged file is never analysed twice.

`.asynclint_cache/` sits beside the configuration file (or in the working directory), tagged with
`CACHEDIR.TAG` and ignored by git through its own `.gitignore`.  One JSON file per combination of
asynclint version (and source, for development installs) and settings maps each path to the
SHA-256 of its bytes and its diagnostics.  Entries for other content are simply replaced; a cache
that cannot be read or written is ignored, never an error.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Sequence
from dataclasses import asdict, fields
from pathlib import Path
from typing import Any

from asynclint import __version__
from asynclint.config import Settings
from asynclint.rule import Diagnostic
from asynclint.source import NotWritten, write_atomically

DIRECTORY = ".asynclint_cache"
_TAG = "Signature: 8a477f597d28d172789f06886806bc55\n# This file is a cache directory tag created by asynclint.\n"
_FIELDS = [f.name for f in fields(Diagnostic) if f.name != "fix"]


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

    @classmethod
    def open(cls, settings: Settings) -> Cache:
        root = Path(settings.root if settings.config_file else os.getcwd())
        key = hashlib.sha256(
            repr((_code_fingerprint(), {f: v for f, v in asdict(settings).items() if f not in ("root", "config_file")})).encode()
        ).hexdigest()[:20]
        file = root / DIRECTORY / f"{key}.json"
        try:
            entries = json.loads(file.read_text(encoding="utf-8"))
            if not isinstance(entries, dict):
                entries = {}
        except (OSError, ValueError):
            entries = {}
        return cls(file, entries)

    @staticmethod
    def _key(path: str) -> str:
        return os.path.abspath(path)

    @staticmethod
    def _stat(path: str) -> list[int] | None:
        try:
            stat = os.stat(path)
        except OSError:
            return None
        return [stat.st_size, stat.st_mtime_ns, stat.st_ino]

    @staticmethod
    def _rows(entry: list[Any]) -> list[Diagnostic] | None:
        try:
            return [Diagnostic(**dict(zip(_FIELDS, values))) for values in entry[1]]
        except TypeError:
            return None

    def get_unchanged(self, path: str) -> list[Diagnostic] | None:
        """The result for a file whose size, mtime and inode are those recorded with its hash.

        git's shortcut: a file that was not touched is not read again.  Anything else goes to
        `get`, which compares the content hash.
        """
        entry = self.entries.get(self._key(path))
        if not entry or len(entry) < 3 or entry[2] != self._stat(path) or not self._dependencies_unchanged(entry):
            return None
        return self._rows(entry)

    def get(self, path: str, data: bytes) -> list[Diagnostic] | None:
        entry = self.entries.get(self._key(path))
        if not entry or entry[0] != hashlib.sha256(data).hexdigest() or not self._dependencies_unchanged(entry):
            return None
        rows = self._rows(entry)
        if rows is not None and len(entry) >= 3 and entry[2] != self._stat(path):
            entry[2] = self._stat(path)  # same bytes, touched file: refresh the shortcut
            self.dirty = True
        return rows

    def _dependencies_unchanged(self, entry: list[Any]) -> bool:
        """Are the other modules this result was computed from (AIO4xx reads them) as they were?"""
        dependencies = entry[3] if len(entry) > 3 else []
        return all(self._stat(dependency) == stat for dependency, stat in dependencies)

    def put(self, path: str, data: bytes, diagnostics: list[Diagnostic], dependencies: Sequence[str] = ()) -> None:
        rows = [[getattr(d, name) for name in _FIELDS] for d in diagnostics]
        recorded = [[dependency, self._stat(dependency)] for dependency in dependencies]
        self.entries[self._key(path)] = [hashlib.sha256(data).hexdigest(), rows, self._stat(path), recorded]
        self.dirty = True

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
