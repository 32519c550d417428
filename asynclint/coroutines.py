"""What is known to be a coroutine function, and what is known to return a future instead.

Rules ask `is_coroutine_call(analysis, call)`: True only when the callee is *known* to be a
coroutine function: an `async def` of this module (by name, or through `self.`/`cls.` in its class)
whose decorators keep it one, or one of asyncio's own.  Unknown callees answer False: the rules
that use this stay silent rather than guess.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from asynclint._lazy import cst

if TYPE_CHECKING:
    from asynclint.analysis import Analysis, Scope

# asyncio's module-level coroutine functions (calling one gives a coroutine object).
ASYNCIO_COROUTINE_FUNCTIONS = frozenset(
    "asyncio." + name
    for name in (
        "sleep", "wait", "wait_for", "open_connection", "start_server", "open_unix_connection",
        "start_unix_server", "create_subprocess_exec", "create_subprocess_shell", "to_thread",
        "staggered_race",
    )
)

# Calls that return a future or a task (never a coroutine): `ensure_future(loop.run_in_executor(...))`
# is right as it is, and `asyncio.wait` accepts them.
FUTURE_FUNCTIONS = frozenset(
    "asyncio." + name
    for name in ("ensure_future", "create_task", "gather", "shield", "wrap_future", "run_coroutine_threadsafe", "Future", "Task")
)
FUTURE_METHODS = frozenset({"run_in_executor", "create_future", "create_task", "ensure_future", "gather", "shield"})

# Decorators that leave an `async def` a coroutine function.
KEEPING_DECORATORS = frozenset(
    {
        "builtins.staticmethod", "builtins.classmethod", "functools.wraps", "abc.abstractmethod",
        "typing.override", "typing_extensions.override",
    }
)


def is_future_call(analysis: Analysis, call: Any) -> bool:
    """Is this call known to return a future or task rather than a coroutine?"""
    if not isinstance(call, cst.Call):
        return False
    if analysis.qualified_name(call.func) in FUTURE_FUNCTIONS:
        return True
    return isinstance(call.func, cst.Attribute) and call.func.attr.value in FUTURE_METHODS


def is_coroutine_call(analysis: Analysis, call: Any) -> bool:
    """Is this call known to create a coroutine object (its callee a coroutine function)?"""
    if not isinstance(call, cst.Call):
        return False
    return is_coroutine_function(analysis, call.func)


def is_coroutine_function(analysis: Analysis, func: Any) -> bool:
    """Is the expression `func` known to name a coroutine function?"""
    qualified = analysis.qualified_name(func)
    if qualified in ASYNCIO_COROUTINE_FUNCTIONS:
        return True
    if isinstance(func, cst.Name):
        scope = analysis.lookup(func.value, analysis.scope_of(func))
        return scope is not None and _only_async_def(analysis, scope, func.value)
    if isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name):
        cls = _class_of_receiver(analysis, func.value)
        return cls is not None and _only_async_def(analysis, cls, func.attr.value)
    return False


def _only_async_def(analysis: Analysis, scope: Scope, name: str) -> bool:
    """Is `name` bound in `scope` only by `async def`s whose decorators keep them coroutines?"""
    defs = scope.functions.get(name, [])
    if not defs or scope.bindings.get(name, 0) != len(defs) or name in scope.imports:
        return False
    return all(d.asynchronous is not None and _keeps_coroutine(analysis, d) for d in defs)


def _keeps_coroutine(analysis: Analysis, definition: Any) -> bool:
    for decorator in definition.decorators:
        expression = decorator.decorator
        if isinstance(expression, cst.Call):
            expression = expression.func
        if analysis.qualified_name(expression) not in KEEPING_DECORATORS:
            return False
    return True


def _class_of_receiver(analysis: Analysis, receiver: Any) -> Scope | None:
    """The class scope `self`/`cls` refers to in a method of that class, else None."""
    function = analysis.enclosing_function(receiver)
    # Look through nested functions and lambdas: `self` is a closure variable there.
    while function is not None and not function.binds(receiver.value):
        outer = function.parent
        function = outer.function_scope if outer is not None else None
    if function is None or function.kind != "function" or function.parent is None:
        return None
    if function.parent.kind != "class":
        return None
    params = function.node.params
    positional = [*params.posonly_params, *params.params]
    if not positional or positional[0].name.value != receiver.value or function.bindings.get(receiver.value, 0) != 1:
        return None
    decorators = {analysis.qualified_name(d.decorator) for d in function.node.decorators}
    if "builtins.staticmethod" in decorators:
        return None
    return function.parent
