"""`# noqa` and `# noqa: AIO101,AIO202` for the standalone CLI (flake8 applies its own).

The syntax and matching are flake8's, so one comment works for both: the comment applies to the
line a finding starts on, codes match by prefix, and a bare `# noqa` silences everything there.
"""

from __future__ import annotations

import re

_NOQA = re.compile(r"#\s*noqa(?::[\s]?(?P<codes>[A-Z]+[0-9]*(?:[,\s]+[A-Z]+[0-9]*)*))?", re.I)
_SEPARATOR = re.compile(r"[,\s]+")
ALL = frozenset({"*"})


def noqa_codes(line: str) -> frozenset[str] | None:
    """None: no noqa on the line; ALL: a bare noqa; else the codes it names."""
    if "noqa" not in line and "NOQA" not in line.upper():
        return None
    match = _NOQA.search(line)
    if match is None:
        return None
    codes = match.group("codes")
    if not codes:
        return ALL
    return frozenset(code.upper() for code in _SEPARATOR.split(codes.strip()) if code)


def is_suppressed(code: str, line_text: str) -> bool:
    codes = noqa_codes(line_text)
    if codes is None:
        return False
    return codes is ALL or any(code.startswith(c) for c in codes)
