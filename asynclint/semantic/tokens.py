"""The token-level pre-step: `async` used as a plain name, which Python 3.7 made a keyword.

`asyncio.async(coro)` (the old spelling of `ensure_future`), `def async(...)`, `f(async=True)`:
since 3.7 each is a syntax error, so libcst cannot parse the file and no other rule can look at
it.  CPython's `tokenize` still reads such a file (it tokenizes `async` as a name), which is
enough to find these sites and to rewrite the one with a known meaning.  Run only after a parse
failed: a file that parses has none.
"""

from __future__ import annotations

import io
import tokenize
from dataclasses import dataclass

ENSURE_FUTURE = "ensure_future"


@dataclass(frozen=True)
class AsyncName:
    """One use of `async` as a name: where (1-based line, 0-based column) and what it is."""

    line: int
    column: int
    what: str
    fixable: bool
    """`asyncio.async`: renamed to `asyncio.ensure_future` (the same function)."""


def async_names(text: str) -> list[AsyncName]:
    """Every `async` used as a plain name, in source order ([] when the text does not tokenize)."""
    try:
        tokens = [
            t
            for t in tokenize.generate_tokens(io.StringIO(text).readline)
            if t.type not in (tokenize.COMMENT, tokenize.NL)
        ]
    except (tokenize.TokenError, SyntaxError, IndentationError):
        return []
    found = []
    for i, token in enumerate(tokens):
        if token.type != tokenize.NAME or token.string != "async":
            continue
        before = tokens[i - 1] if i else None
        after = tokens[i + 1] if i + 1 < len(tokens) else None
        line, column = token.start
        if before is not None and before.string == ".":
            owner = tokens[i - 2] if i >= 2 else None
            call = after is not None and after.string == "("
            if owner is not None and owner.string == "asyncio":  # called, or referred to
                found.append(AsyncName(line, column, "`asyncio.async(...)`" if call else "`asyncio.async`", True))
            else:
                found.append(AsyncName(line, column, "an attribute named `async`", False))
        elif before is not None and before.string in ("def", "class", "import"):
            found.append(AsyncName(line, column, f"`{before.string} async`", False))
        elif (
            after is not None
            and after.string in ("=", ",", ")", ":")
            and (
                before is None
                or before.string in ("(", ",", "*", "**")
                or before.type in (tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT)
            )
        ):
            found.append(AsyncName(line, column, "a name `async`", False))
    return found


def rename_ensure_future(text: str, sites: list[AsyncName]) -> str:
    """The text with each fixable `asyncio.async` spelled `asyncio.ensure_future`."""
    lines = text.splitlines(keepends=True)
    for site in sorted((s for s in sites if s.fixable), key=lambda s: (s.line, -s.column)):
        row = lines[site.line - 1]
        lines[site.line - 1] = row[: site.column] + ENSURE_FUTURE + row[site.column + len("async") :]
    return "".join(lines)


def shift(line: int, column: int, sites: list[AsyncName]) -> int:
    """A 0-based column of the renamed text, as a column of the original."""
    grown = len(ENSURE_FUTURE) - len("async")
    return column - grown * sum(1 for s in sites if s.fixable and s.line == line and s.column < column)
