"""Syntax predicates: questions about a piece of code that need no scopes or names."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import libcst as cst
else:
    from asynclint._lazy import cst


def descendants(node: Any, into_scopes: bool = True) -> Iterator[Any]:
    """Every node inside `node`, in source order; `into_scopes=False` stays out of nested
    `def`s, `lambda`s and classes (whose bodies run at another time)."""
    stack = list(reversed(node.children))
    nested = (cst.FunctionDef, cst.Lambda, cst.ClassDef)
    while stack:
        current = stack.pop()
        yield current
        if into_scopes or not isinstance(current, nested):
            stack.extend(reversed(current.children))


def is_generator(function: Any) -> bool:
    """Does this `def` contain a `yield` of its own (a generator, or with `async def` an async
    generator: calling it makes neither a coroutine)?"""
    return any(isinstance(n, cst.Yield) for n in descendants(function.body, into_scopes=False))


def suspends(node: Any) -> bool:
    """Is this node a suspension point: `await`, `async for`, `async with`?"""
    if isinstance(node, cst.Await):
        return True
    return isinstance(node, (cst.For, cst.With)) and node.asynchronous is not None


def suspends_in(node: Any) -> bool:
    """Can running `node` suspend the coroutine (nested functions aside)?"""
    return suspends(node) or any(suspends(n) for n in descendants(node, into_scopes=False))


def handler_types(expression: Any) -> list[Any]:
    """The types an `except` clause names: `except (A, B)` gives [A, B]; a bare `except:` []."""
    if expression is None:
        return []
    return [e.value for e in expression.elements] if isinstance(expression, cst.Tuple) else [expression]


def single_index(subscript: Any) -> Any:
    """The index expression of `x[i]` (one plain index, no slice), else None."""
    if len(subscript.slice) != 1 or not isinstance(subscript.slice[0].slice, cst.Index):
        return None
    return subscript.slice[0].slice.value


def jumps_out(block: Any) -> bool:
    """Does `block` hold a `return`, or a `break`/`continue` of a loop outside it (nested
    functions and classes aside)?"""
    stack: list[tuple[Any, bool]] = [(child, False) for child in block.children]
    while stack:
        node, in_loop = stack.pop()
        if isinstance(node, (cst.FunctionDef, cst.Lambda, cst.ClassDef)):
            continue
        if isinstance(node, cst.Return):
            return True
        if isinstance(node, (cst.Break, cst.Continue)) and not in_loop:
            return True
        inner = in_loop or isinstance(node, (cst.For, cst.While))
        stack.extend((child, inner) for child in node.children)
    return False


def always_raises(statements: Any) -> bool:
    """Does this sequence of statements end in a `raise` on every path (never finishing,
    returning, breaking or continuing)?"""
    for statement in statements:
        if isinstance(statement, cst.BaseSmallStatement):  # the body of a one-line suite
            if isinstance(statement, cst.Raise):
                return True
            if isinstance(statement, (cst.Return, cst.Break, cst.Continue)):
                return False
        elif isinstance(statement, cst.SimpleStatementLine):
            for small in statement.body:
                if isinstance(small, cst.Raise):
                    return True
                if isinstance(small, (cst.Return, cst.Break, cst.Continue)):
                    return False
        elif isinstance(statement, cst.If):
            if statement.orelse is not None and always_raises(statement.body.body):
                orelse = statement.orelse
                branch = [orelse] if isinstance(orelse, cst.If) else orelse.body.body
                if always_raises(branch):
                    return True
        elif isinstance(statement, cst.With):
            if always_raises(statement.body.body):
                return True
        elif isinstance(statement, (cst.Try, cst.TryStar)):
            if statement.finalbody is not None and always_raises(statement.finalbody.body.body):
                return True
            if always_raises(statement.body.body) and all(always_raises(h.body.body) for h in statement.handlers):
                return True
    return False


def dotted_name(node: Any) -> str | None:
    """`a.b.c` as text for Name/Attribute chains, else None."""
    parts: list[str] = []
    while isinstance(node, cst.Attribute):
        parts.append(node.attr.value)
        node = node.value
    if isinstance(node, cst.Name):
        parts.append(node.value)
        return ".".join(reversed(parts))
    return None


def root_name(expression: Any) -> Any:
    """The Name at the start of an attribute chain (`a` of `a.b.c`), else None."""
    while isinstance(expression, cst.Attribute):
        expression = expression.value
    return expression if isinstance(expression, cst.Name) else None
