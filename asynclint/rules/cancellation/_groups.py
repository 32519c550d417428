"""What the 6xx rules share about exception groups (the family's helpers; rules import from here,
never from each other)."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import libcst as cst

    from asynclint.semantic import Semantic
else:
    from asynclint._lazy import cst


@functools.cache
def group_attributes() -> frozenset[str]:
    """What an exception group has: BaseExceptionGroup's own attributes and every exception's."""
    return frozenset(dir(BaseExceptionGroup("", [Exception()]))) | {
        "__notes__",
        "__traceback__",
        "__cause__",
        "__context__",
    }


def group_misuses(sem: Semantic, handler: Any) -> list[Any]:
    """`eg.attr` reads in an `except* E as eg` (or `except E as eg`) body that exception groups lack."""
    if handler.name is None or not isinstance(handler.name.name, cst.Name):
        return []
    name = handler.name.name.value
    body = list(sem.descendants(handler.body))
    for node in body:
        if isinstance(node, cst.Name) and node.value == name and sem.is_store(node):
            return []  # rebound in the handler: later reads may be something else
    caught = sem.binding(handler.name.name)
    known = group_attributes()
    found = []
    for node in body:
        if not isinstance(node, cst.Attribute) or not isinstance(node.value, cst.Name) or node.value.value != name:
            continue
        if not sem.is_reference(node.value) or sem.binding(node.value) != caught:
            continue
        if node.attr.value not in known:
            found.append(node)
    return found
