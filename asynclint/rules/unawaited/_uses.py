"""What a read of a name bound to a coroutine object does with it (shared by AIO402 and AIO403)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from asynclint.asyncio_api import ASYNC_GENERATOR_ATTRIBUTES, COROUTINE_ATTRIBUTES, RUNNER_METHODS, RUNNERS
from asynclint.semantic import Callee

if TYPE_CHECKING:
    import libcst as cst

    from asynclint.semantic import Semantic
else:
    from asynclint._lazy import cst


def hands_on(sem: Semantic, read: Any) -> bool:
    """Does this read of a coroutine's name await, keep or pass it on?

    False only for a use as a plain value, which neither runs the coroutine nor lets anything
    else run it: a truth test, a comparison, formatting, arithmetic, a subscript, a plain `for`,
    an attribute coroutine objects lack, an argument of a plain function (of the project, or a
    builtin such as `print`)."""
    parent = sem.parent(read)
    if isinstance(parent, cst.Arg):
        call = sem.parent(parent)
        if not isinstance(call, cst.Call) or parent.star:
            return True
        if sem.qualified_name(call.func) in RUNNERS:
            return True
        if isinstance(call.func, cst.Attribute) and call.func.attr.value in RUNNER_METHODS:
            return True  # `self.create_task(coro)` on a loop subclass, `tasks.ensure_future(coro)`
        kind = sem.callee_kind(call.func)
        return kind is not Callee.PLAIN  # a coroutine function or an unknown callable may run it
    if isinstance(parent, cst.Comparison | cst.ComparisonTarget | cst.UnaryOperation | cst.BooleanOperation):
        return False
    if isinstance(parent, (cst.If, cst.While, cst.Assert)) and parent.test is read:
        return False
    if isinstance(parent, cst.FormattedStringExpression | cst.BinaryOperation):
        return False
    if isinstance(parent, cst.Attribute) and parent.value is read:
        # `result.items`: the author took the coroutine for its result; `coro.close()` is deliberate.
        return parent.attr.value in COROUTINE_ATTRIBUTES | ASYNC_GENERATOR_ATTRIBUTES
    if isinstance(parent, cst.Subscript) and parent.value is read:
        return False
    if isinstance(parent, cst.For | cst.CompFor) and parent.iter is read and parent.asynchronous is None:
        return False
    return True  # awaited, returned, yielded, stored, anything else: not dropped
