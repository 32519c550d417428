"""Line and column of the few nodes a report needs, without libcst's PositionProvider.

`PositionProvider` tracks line and column on every token of every node (measured here on asyncio's
sources: ~5x the cost of this module, and more than the parse itself).  A report needs a handful
of nodes, so this runs libcst's code generator once recording only *token indices* at node
boundaries (the same hooks PositionProvider uses: `before/after_codegen` for every node,
`record_syntactic_position` for the syntactic span), then turns just the wanted indices into
line/column with C-speed joins.  The results are identical to PositionProvider's (tested).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import libcst as cst
else:
    from asynclint._lazy import cst


Span = tuple[int, int, int, int]  # start line (1-based), start column (0-based), end line, end column
_NEWLINE = re.compile(r"\r\n?|\n")
_STATE_CLASS: Any = None


def _state_class() -> Any:
    global _STATE_CLASS
    if _STATE_CLASS is None:
        from libcst._nodes.internal import CodegenState

        class IndexRecordingState(CodegenState):
            spans: dict[Any, tuple[int, int]]
            stack: list[int]

            def before_codegen(self, node: Any) -> None:
                self.stack.append(len(self.tokens))

            def after_codegen(self, node: Any) -> None:
                start = self.stack.pop()
                if node not in self.spans:  # the syntactic span, when recorded, wins
                    self.spans[node] = (start, len(self.tokens))

            @contextmanager
            def record_syntactic_position(
                self, node: Any, *, start_node: Any = None, end_node: Any = None
            ) -> Iterator[None]:
                start = len(self.tokens)
                try:
                    yield
                finally:
                    end = len(self.tokens)
                    if start_node is not None:
                        start = self.spans[start_node][0]
                    if end_node is not None:
                        end = self.spans[end_node][1]
                    self.spans[node] = (start, end)

        _STATE_CLASS = IndexRecordingState
    return _STATE_CLASS


def positions(module: Any, nodes: Iterable[Any]) -> dict[Any, Span]:
    nodes = list(nodes)
    try:
        state = _state_class()(default_indent=module.default_indent, default_newline=module.default_newline)
    except (ImportError, TypeError):  # libcst moved its internals: take the public, slower road
        return _with_provider(module, nodes)
    state.spans, state.stack = {}, []
    module._codegen(state)
    tokens, spans = state.tokens, state.spans
    where: dict[int, tuple[int, int]] = {}
    line, column, done = 1, 0, 0
    for index in sorted({i for node in nodes for i in spans[node]}):
        chunk = "".join(tokens[done:index])
        done = index
        newlines = list(_NEWLINE.finditer(chunk))
        line += len(newlines)
        last = newlines[-1] if newlines else None
        column = len(chunk) - last.end() if last is not None else column + len(chunk)
        where[index] = (line, column)
    return {node: (*where[spans[node][0]], *where[spans[node][1]]) for node in nodes}


def _with_provider(module: Any, nodes: list[Any]) -> dict[Any, Span]:
    from libcst.metadata import PositionProvider

    ranges = cst.MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
    return {n: (ranges[n].start.line, ranges[n].start.column, ranges[n].end.line, ranges[n].end.column) for n in nodes}
