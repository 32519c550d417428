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

_DEPTH = 3  # how many plain functions deep a parameter is followed


def hands_on(sem: Semantic, read: Any, depth: int = 0) -> bool:
    """Does this read of a coroutine's name await, keep or pass it on?

    False only for a use as a plain value, which neither runs the coroutine nor lets anything
    else run it: a truth test, a comparison, formatting, arithmetic, a subscript, a plain `for`,
    an attribute coroutine objects lack, an argument of a plain function (of the project, or a
    builtin such as `print`) that does not hand its parameter on where this module shows it."""
    parent = sem.parent(read)
    if isinstance(parent, cst.Arg):
        call = sem.parent(parent)
        if not isinstance(call, cst.Call) or parent.star:
            return True
        if sem.qualified_name(call.func) in RUNNERS:
            return True
        if isinstance(call.func, cst.Attribute) and call.func.attr.value in RUNNER_METHODS:
            return True  # `self.create_task(coro)` on a loop subclass, `tasks.ensure_future(coro)`
        if sem.callee_kind(call.func) is not Callee.PLAIN:
            return True  # a coroutine function or an unknown callable may run it
        return parameter_handed_on(sem, call, parent, depth) is True
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


def parameter_handed_on(sem: Semantic, call: cst.Call, arg: cst.Arg, depth: int = 0) -> bool | None:
    """Does the plain function `call` calls hand on the parameter `arg` binds (return it, store
    it, pass it to something that may run it: `def run(coro): return asyncio.run(coro)`)?
    None when this module does not show the function, or which parameter `arg` binds."""
    definition = sem.called_definition(call.func)
    if definition is None or definition.asynchronous is not None or definition.decorators or depth >= _DEPTH:
        return None
    params = definition.params
    positional = [*params.posonly_params, *params.params]
    if isinstance(call.func, cst.Attribute):
        positional = positional[1:]  # `self.check(coro)`: the first parameter is `self`
    if arg.keyword is not None:
        names = {p.name.value for p in (*positional, *params.kwonly_params)}
        name = arg.keyword.value if arg.keyword.value in names else None
    else:
        index = [a for a in call.args if a.keyword is None].index(arg)
        before = call.args[: call.args.index(arg)]
        if any(a.star for a in before) or index >= len(positional):
            return None  # after `*args`, or into the function's own `*args`
        name = positional[index].name.value
    if name is None:
        return None
    binding = sem.binding_in(sem.body_scope(definition), name)
    if binding.assignments != 1 or sem.used_in_nested_scope(binding):
        return True  # rebound, or kept by a closure
    return any(hands_on(sem, read, depth + 1) for read in binding.reads)
