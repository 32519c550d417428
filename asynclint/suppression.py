"""Suppression comments, applied by the engine for every face (CLI, flake8, codemods, server).

- `# noqa` silences every finding on its line, `# noqa: AIO101,AIO2` those codes (prefixes match,
  in any case); the finding's first line is the one that counts.  The syntax is flake8's.
- A line of its own `# asynclint: noqa` exempts the whole file, `# asynclint: noqa: AIO101,AIO2`
  the file from those codes (ruff spells it `# ruff: noqa: ...`).
- A line of its own `# flake8: noqa` exempts the whole file, codes or not, as in flake8 itself.
- The old code of a renamed or split rule covers what it became (`registry.REDIRECTS`):
  `# noqa: AIO309` still silences AIO312, once part of AIO309.

Like flake8, the file-level directives are found in the raw lines, strings included.
"""

from __future__ import annotations

import re

from asynclint.registry import redirected

_NOQA = re.compile(r"#\s*noqa(?::[\s]?(?P<codes>[A-Z]+[0-9]*(?:[,\s]+[A-Z]+[0-9]*)*))?", re.I)
# flake8's own pattern (defaults.NOQA_FILE) for its spelling; ruff's freer one for ours.
_FILE = re.compile(
    r"^(?:[ \t\f]*# flake8[:=]\s*noqa|[ \t\f]*#[ \t]*asynclint[:=][ \t]*noqa"
    r"(?:[ \t]*:[ \t]*(?P<codes>[A-Z]+[0-9]*(?:[ \t]*,?[ \t]*[A-Z]+[0-9]*)*))?)",
    re.I | re.M,
)
_SEPARATOR = re.compile(r"[,\s]+")
_LINES = re.compile(r"\r\n|\r|\n")
ALL = frozenset({"*"})


def _parse_codes(codes: str | None) -> frozenset[str]:
    if not codes:
        return ALL
    return frozenset(code.upper() for code in _SEPARATOR.split(codes.strip()) if code)


def noqa_codes(line: str) -> frozenset[str] | None:
    """None: no noqa on the line; ALL: a bare noqa; else the codes it names."""
    if "noqa" not in line and "NOQA" not in line.upper():
        return None
    match = _NOQA.search(line)
    if match is None:
        return None
    return _parse_codes(match.group("codes"))


def file_noqa_codes(text: str) -> frozenset[str] | None:
    """The file-level exemption: None, ALL (the whole file), or the codes it names."""
    found: set[str] = set()
    for match in _FILE.finditer(text):
        codes = _parse_codes(match.group("codes"))
        if codes is ALL:
            return ALL
        found |= codes
    return frozenset(found) if found else None


def _covers(codes: frozenset[str], code: str) -> bool:
    # An old code covers the rules it was renamed or split into (a noqa for AIO309 covers AIO312).
    return codes is ALL or any(code.startswith(c) or code in redirected(c) for c in codes)


def is_suppressed(code: str, line_text: str) -> bool:
    codes = noqa_codes(line_text)
    return codes is not None and _covers(codes, code)


class Suppressions:
    """The suppression comments of one source text, for findings by code and 1-based line."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._lines: list[str] | None = None
        self.file_codes = file_noqa_codes(text)

    def suppresses(self, code: str, line: int) -> bool:
        if self.file_codes is not None and _covers(self.file_codes, code):
            return True
        if self._lines is None:
            self._lines = _LINES.split(self._text)
        return 0 < line <= len(self._lines) and is_suppressed(code, self._lines[line - 1])
