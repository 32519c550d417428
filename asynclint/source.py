"""Bytes in, text for the parser, and the same bytes conventions back out.

A fix must give back a file that differs only where the fix changed it: same encoding (PEP 263
cookie or BOM), same line endings (libcst keeps them in the text), same permissions, written
atomically through a symlink to its target.
"""

from __future__ import annotations

import codecs
import io
import os
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


def write_atomically(path: str, data: bytes) -> None:
    """Replace the file at `path` (or a symlink's target) with `data`, keeping its mode."""
    import tempfile  # only writers need it (and it drags in random, shutil, ...)

    target = os.path.realpath(path)
    directory = os.path.dirname(target) or "."
    try:
        mode = os.stat(target).st_mode & 0o7777
    except FileNotFoundError:  # a new file: the usual mode for the current umask
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    fd, temporary = tempfile.mkstemp(dir=directory, prefix=".asynclint-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, target)
    except BaseException:
        try:
            os.unlink(temporary)
        except FileNotFoundError:
            pass
        raise
