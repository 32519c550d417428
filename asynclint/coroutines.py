"""What is known to be a coroutine function, and what is known to return a future instead.

Rules ask `callee_kind(analysis, func, project)`: True when the callee is *known* to be a coroutine
function (an `async def` of this module, reached by name or through `self.`/`cls.` and base
classes, one of another project module via `project.py`, one of asyncio's own, or a coroutine
method of an asyncio class whose receiver's type is known), False when it is known to be a plain
function, None when unknown.  The rules stay silent on unknown callees rather than guess.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from asynclint._lazy import cst
from asynclint.project import KEEPING_DECORATORS

if TYPE_CHECKING:
    from asynclint.analysis import Analysis, Scope
    from asynclint.project import Project

# asyncio's module-level coroutine functions (calling one gives a coroutine object).
ASYNCIO_COROUTINE_FUNCTIONS = frozenset(
    "asyncio." + name
    for name in (
        "sleep",
        "wait",
        "wait_for",
        "open_connection",
        "start_server",
        "open_unix_connection",
        "start_unix_server",
        "create_subprocess_exec",
        "create_subprocess_shell",
        "to_thread",
        "staggered_race",
    )
)

# Calls that return a future or a task (never a coroutine): `ensure_future(loop.run_in_executor(...))`
# is right as it is, and `asyncio.wait` accepts them.
FUTURE_FUNCTIONS = frozenset(
    "asyncio." + name
    for name in (
        "ensure_future",
        "create_task",
        "gather",
        "shield",
        "wrap_future",
        "run_coroutine_threadsafe",
        "Future",
        "Task",
    )
)
FUTURE_METHODS = frozenset({"run_in_executor", "create_future", "create_task", "ensure_future", "gather", "shield"})

# Coroutine methods of asyncio's classes, for receivers whose type is known.
_STREAM_READ = ("read", "readline", "readexactly", "readuntil")
_LOOP = (
    "sock_recv",
    "sock_recv_into",
    "sock_recvfrom",
    "sock_recvfrom_into",
    "sock_sendall",
    "sock_sendto",
    "sock_connect",
    "sock_accept",
    "sock_sendfile",
    "create_connection",
    "create_server",
    "create_unix_connection",
    "create_unix_server",
    "create_datagram_endpoint",
    "getaddrinfo",
    "getnameinfo",
    "connect_read_pipe",
    "connect_write_pipe",
    "subprocess_exec",
    "subprocess_shell",
    "shutdown_asyncgens",
    "shutdown_default_executor",
    "sendfile",
    "start_tls",
)
ASYNCIO_METHODS: dict[str, frozenset[str]] = {
    "asyncio.StreamWriter": frozenset({"drain", "wait_closed", "start_tls"}),
    "asyncio.StreamReader": frozenset(_STREAM_READ),
    "asyncio.Queue": frozenset({"get", "put", "join"}),
    "asyncio.PriorityQueue": frozenset({"get", "put", "join"}),
    "asyncio.LifoQueue": frozenset({"get", "put", "join"}),
    "asyncio.Lock": frozenset({"acquire"}),
    "asyncio.Semaphore": frozenset({"acquire"}),
    "asyncio.BoundedSemaphore": frozenset({"acquire"}),
    "asyncio.Event": frozenset({"wait"}),
    "asyncio.Condition": frozenset({"wait", "wait_for", "acquire"}),
    "asyncio.Barrier": frozenset({"wait", "reset", "abort"}),
    "asyncio.subprocess.Process": frozenset({"wait", "communicate"}),
    "asyncio.Process": frozenset({"wait", "communicate"}),
    "asyncio.AbstractEventLoop": frozenset(_LOOP),
    "asyncio.BaseEventLoop": frozenset(_LOOP),
}
_RETURNS = {
    "asyncio.get_running_loop": "asyncio.AbstractEventLoop",
    "asyncio.new_event_loop": "asyncio.AbstractEventLoop",
    "asyncio.get_event_loop": "asyncio.AbstractEventLoop",
    "asyncio.create_subprocess_exec": "asyncio.subprocess.Process",
    "asyncio.create_subprocess_shell": "asyncio.subprocess.Process",
}
# Builtins that are plain functions: handing a coroutine to one does not run it.
_BUILTIN_FUNCTIONS = frozenset(
    {"print", "repr", "str", "id", "type", "isinstance", "len", "bool", "hash", "format", "vars", "dir", "callable"}
)


def is_future_call(analysis: Analysis, call: Any) -> bool:
    """Is this call known to return a future or task rather than a coroutine?"""
    if not isinstance(call, cst.Call):
        return False
    if analysis.qualified_name(call.func) in FUTURE_FUNCTIONS:
        return True
    return isinstance(call.func, cst.Attribute) and call.func.attr.value in FUTURE_METHODS


def is_coroutine_call(analysis: Analysis, call: Any, project: Project | None = None) -> bool:
    """Is this call known to create a coroutine object (its callee a coroutine function)?"""
    return isinstance(call, cst.Call) and callee_kind(analysis, call.func, project) is True


def callee_kind(analysis: Analysis, func: Any, project: Project | None = None) -> bool | None:
    """True: a coroutine function; False: a plain function (of the project, or a builtin); None: unknown."""
    qualified = analysis.qualified_name(func)
    if qualified in ASYNCIO_COROUTINE_FUNCTIONS:
        return True
    if isinstance(func, cst.Name):
        scope = analysis.lookup(func.value, analysis.scope_of(func))
        if scope is not None and scope.functions.get(func.value) and not scope.imports.get(func.value):
            return _kind_in_scope(analysis, scope, func.value, project)
    if isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name):
        cls = _class_of_receiver(analysis, func.value)
        if cls is not None:
            return _method_kind(analysis, cls, func.attr.value, project)
        typed = _receiver_type(analysis, func.value)
        if typed is not None:
            if typed in ASYNCIO_METHODS:
                return True if func.attr.value in ASYNCIO_METHODS[typed] else None
            return _class_kind_by_name(analysis, typed, func.attr.value, project)
    if qualified is None:
        return None
    if qualified.startswith("builtins."):
        return False if qualified[len("builtins.") :] in _BUILTIN_FUNCTIONS else None
    if project is not None and not qualified.startswith("asyncio."):
        target = project.absolute(qualified)
        if target is not None:
            return project.function(target)
    return None


def _kind_in_scope(analysis: Analysis, scope: Scope, name: str, project: Project | None) -> bool | None:
    defs = scope.functions.get(name, [])
    if not defs or scope.bindings.get(name, 0) != len(defs):
        return None
    kinds = {_def_kind(analysis, d, project) for d in defs}
    return kinds.pop() if len(kinds) == 1 else None


def _def_kind(analysis: Analysis, definition: Any, project: Project | None) -> bool | None:
    is_async = definition.asynchronous is not None
    for decorator in definition.decorators:
        expression = decorator.decorator
        if isinstance(expression, cst.Call):
            expression = expression.func
        if analysis.qualified_name(expression) in KEEPING_DECORATORS:
            continue
        if _is_async_wrapper(analysis, expression, project):
            is_async = True
            continue
        return None
    return is_async


def _is_async_wrapper(analysis: Analysis, expression: Any, project: Project | None) -> bool:
    """A decorator of the project whose returned wrapper is an `async def`."""
    if isinstance(expression, cst.Name):
        scope = analysis.lookup(expression.value, analysis.scope_of(expression))
        defs = scope.functions.get(expression.value, []) if scope is not None else []
        if defs and not scope.imports.get(expression.value):  # type: ignore[union-attr]
            return len(defs) == 1 and _returns_async_wrapper(defs[0])
    qualified = analysis.qualified_name(expression)
    if project is None or qualified is None or qualified.startswith(("builtins.", "asyncio.")):
        return False
    target = project.absolute(qualified)
    return target is not None and project.is_async_wrapper(target)


def _returns_async_wrapper(definition: Any) -> bool:
    body = definition.body.body if isinstance(definition.body, cst.IndentedBlock) else []
    inner = {s.name.value for s in body if isinstance(s, cst.FunctionDef) and s.asynchronous is not None}
    returns = [
        s.body[0]
        for s in body
        if isinstance(s, cst.SimpleStatementLine) and len(s.body) == 1 and isinstance(s.body[0], cst.Return)
    ]
    return (
        bool(inner) and bool(returns) and all(isinstance(r.value, cst.Name) and r.value.value in inner for r in returns)
    )


def _method_kind(analysis: Analysis, cls: Scope, name: str, project: Project | None, seen: int = 0) -> bool | None:
    """A method's kind, looked up in the class and then its bases (same module or project)."""
    if name in cls.functions:
        return _kind_in_scope(analysis, cls, name, project)
    if name in cls.bindings or seen > 8:
        return None
    for base in cls.node.bases:
        kind = _base_method_kind(analysis, base.value, name, project, seen + 1)
        if kind is not None:
            return kind
    return None


def _base_method_kind(analysis: Analysis, base: Any, name: str, project: Project | None, seen: int) -> bool | None:
    if isinstance(base, cst.Name):
        scope = analysis.lookup(base.value, analysis.scope_of(base))
        classes = scope.classes.get(base.value, []) if scope is not None else []
        if len(classes) == 1 and scope is not None and scope.bindings.get(base.value) == 1:
            return _method_kind(analysis, analysis.scopes[classes[0].body], name, project, seen)
    qualified = analysis.qualified_name(base)
    if project is None or qualified is None or qualified.startswith(("builtins.", "asyncio.")):
        return None
    target = project.absolute(qualified)
    return _project_method_kind(project, target, name, seen) if target is not None else None


def _project_method_kind(project: Project, qualified: str, name: str, seen: int) -> bool | None:
    info = project.klass(qualified)
    if info is None or seen > 8:
        return None
    if name in info.methods:
        return info.methods[name]
    for base in info.bases:
        kind = _project_method_kind(project, base, name, seen + 1)
        if kind is not None:
            return kind
    return None


def _class_kind_by_name(analysis: Analysis, typed: str, method: str, project: Project | None) -> bool | None:
    """A method of a class named by its qualified name (`<module>.Name` for this module's)."""
    if typed.startswith("<local>."):
        scope = analysis.module_scope
        name = typed[len("<local>.") :]
        classes = scope.classes.get(name, [])
        if len(classes) == 1 and scope.bindings.get(name) == 1:
            return _method_kind(analysis, analysis.scopes[classes[0].body], method, project)
        return None
    if project is None:
        return None
    target = project.absolute(typed)
    return _project_method_kind(project, target, method, 0) if target is not None else None


def _receiver_type(analysis: Analysis, receiver: Any) -> str | None:
    """The class of a local variable, known from its parameter annotation or its one assignment."""
    scope = analysis.lookup(receiver.value, analysis.scope_of(receiver))
    if scope is None:
        return None
    annotation = None
    if scope.is_function() and scope.kind == "function":
        params = scope.node.params
        for param in [*params.posonly_params, *params.params, *params.kwonly_params]:
            if param.name.value == receiver.value and param.annotation is not None:
                annotation = param.annotation.annotation
    if annotation is not None:
        return _type_name(analysis, annotation)
    values = scope.values.get(receiver.value, [])
    if len(values) != 1 or scope.bindings.get(receiver.value) != 1:
        return None
    value = values[0]
    if isinstance(value, cst.Await):
        value = value.expression
    if not isinstance(value, cst.Call):
        return None
    qualified = analysis.qualified_name(value.func)
    if qualified in _RETURNS:
        return _RETURNS[qualified]
    return _type_name(analysis, value.func)


def _type_name(analysis: Analysis, expression: Any) -> str | None:
    if isinstance(expression, cst.SimpleString):
        return None
    qualified = analysis.qualified_name(expression)
    if qualified is None:
        return None
    if qualified.startswith("builtins.") and isinstance(expression, cst.Name):
        # Bound nowhere as an import: maybe a class of this module.
        return "<local>." + expression.value if expression.value in analysis.module_scope.classes else None
    return qualified


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
