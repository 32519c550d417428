"""Text as the protocol sees it: LSP lines, positions in the client's encoding, minimal edits.

LSP lines end at `\\n`, `\\r\\n` or `\\r` only (the engine counts the same way).  `str.splitlines`,
which pygls' document uses, also splits at form feeds and other separators that Python sources
do contain, so nothing here uses it.  Every position we send is clamped into the document: a
finding past the end (a syntax error at EOF, a stale result) lands on the last character instead
of failing the request.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from typing import Protocol

from lsprotocol import types as t

_NEWLINE = re.compile(r"\r\n|\r|\n")
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")


class Codec(Protocol):
    """What we need of pygls' PositionCodec: how many client units a string is."""

    def client_num_units(self, string: str) -> int: ...


def lines_with_ends(text: str) -> list[str]:
    return _LINE.findall(text)


class LineIndex:
    """One text's lines, converting between our positions and the client's."""

    def __init__(self, text: str, codec: Codec) -> None:
        self.lines = _NEWLINE.split(text)  # without ends; "a\n" -> ["a", ""], as LSP counts
        self.codec = codec

    def to_client(self, line: int, column: int) -> t.Position:
        """Our 1-based line and 1-based code-point column -> a client position inside the text."""
        index = line - 1
        if index >= len(self.lines):
            last = len(self.lines) - 1
            return t.Position(line=last, character=self.codec.client_num_units(self.lines[last]))
        index = max(index, 0)
        content = self.lines[index]
        return t.Position(line=index, character=self.codec.client_num_units(content[: max(column - 1, 0)]))

    def from_client(self, position: t.Position) -> tuple[int, int]:
        """A client position -> (0-based line, 0-based code-point column), clamped to the text."""
        index = min(max(position.line, 0), len(self.lines) - 1)
        content = self.lines[index]
        units = 0
        for column, char in enumerate(content):
            if units >= position.character:
                return index, column
            units += self.codec.client_num_units(char)
        return index, len(content)


def _line_start(lines: Sequence[str], index: int, codec: Codec) -> t.Position:
    """Where line `index` of `lines` (with ends) starts; past the last one, the end of the text."""
    if index < len(lines) or not lines or lines[-1].endswith(("\n", "\r")):
        return t.Position(line=index, character=0)
    return t.Position(line=len(lines) - 1, character=codec.client_num_units(lines[-1]))


def minimal_edits(old: str, new: str, codec: Codec) -> list[t.TextEdit]:
    """Line-granular edits turning `old` into `new`: one per changed run of lines.

    A fix changes a statement or two and maybe the import block, so the common prefix and suffix
    are cut first and difflib only compares what lies between.  Ranges start and end at column 0
    (or the end of the text), which every position encoding agrees on.
    """
    a, b = lines_with_ends(old), lines_with_ends(new)
    prefix = 0
    while prefix < min(len(a), len(b)) and a[prefix] == b[prefix]:
        prefix += 1
    suffix = 0
    while suffix < min(len(a), len(b)) - prefix and a[-1 - suffix] == b[-1 - suffix]:
        suffix += 1
    matcher = difflib.SequenceMatcher(None, a[prefix : len(a) - suffix], b[prefix : len(b) - suffix], autojunk=False)
    edits: list[t.TextEdit] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        start, end = _line_start(a, prefix + i1, codec), _line_start(a, prefix + i2, codec)
        edits.append(t.TextEdit(range=t.Range(start=start, end=end), new_text="".join(b[prefix + j1 : prefix + j2])))
    return edits
