"""How a coroutine function is run: only ever scheduled as a task, or awaited (or unknown).

AIO603 judges a handler that swallows cancellation by this.  A *task body* (every use of the
function hands its coroutine straight to a task factory: `asyncio.create_task(self._run())`,
`ensure_future`, `tg.create_task`, `loop.create_task`, or a project function that passes its
first parameter on to one, like aiokafka's `util.create_task`) ends its task when it returns,
and whoever cancelled the task sees it finish; so does a function started by anyio's
`tg.start_soon(func, ...)` (or `await tg.start(func)`, `func` taking `task_status`).  A task
body whose owner awaits the task (`t = create_task(body())`, `t` a local or `self._task` of
the class) without a `t.cancel()` before the `await t` is an *awaited task*: cancelling the
owner there cancels the task, which returns, so the owner's own cancellation is lost as in a
helper.  Anything else (awaited directly, passed to
`gather`/`wait_for`, an async generator, no use in the module at all) is a *helper*: a
cancellation it swallows is its caller's, which then carries on as if nothing had happened.

The uses are looked for in the linted module only (a method: any `x.name` attribute there; a
function: the reads of its binding).  The one cross-module question, "does this imported
function hand its first parameter to a task factory?", is answered from the other module's
`ast` (cheap), once per index and module version, and the path is recorded as consulted.
"""

from __future__ import annotations

import ast
import enum
import os
import weakref
from typing import TYPE_CHECKING, Any

from asynclint.asyncio_api import (
    SCHEDULING_METHODS,
    TASK_FACTORIES,
    TASK_FACTORY_METHOD,
    TASK_STARTER_METHODS,
    TASK_STATUS_PARAMETER,
    TASK_STATUS_STARTER,
)
from asynclint.semantic import names, syntax

if TYPE_CHECKING:
    import libcst as cst

    from asynclint.semantic.model import Model
    from asynclint.semantic.project import ProjectIndex, ProjectView
else:
    from asynclint._lazy import cst


class Run(enum.Enum):
    TASK = "task body"  # only ever handed to a task factory
    HELPER = "helper"  # awaited, passed on otherwise, or no use seen: its caller's cancellation is at stake
    AWAITED = "awaited task"  # a task its owner awaits without cancelling it first: as a helper


_SPAWNERS: weakref.WeakKeyDictionary[ProjectIndex, dict[str, tuple[Any, frozenset[str], str | None]]] = (
    weakref.WeakKeyDictionary()
)
"""index -> path -> (the file's stat when scanned, its functions that schedule their first
parameter as a task, the file's SHA-256)."""


_ATTRIBUTES: weakref.WeakKeyDictionary[Model, dict[str, list[Any]]] = weakref.WeakKeyDictionary()


def how_run(model: Model, function: Any, project: ProjectView | None) -> Run:
    """Is the coroutine function `function` (a libcst FunctionDef) only ever run as a task?"""
    if syntax.is_generator(function):
        return Run.HELPER  # an async generator: iterated by its caller, never a task
    name = function.name.value
    owner = model.scope_of(function)
    uses: list[Any]
    if owner.kind == "class":  # a method: `self.name(...)`, `obj.name(...)` anywhere here
        # `connect_utils._cancel(...)` is another module's function, not this method (asyncpg).
        uses = [u for u in _attributes(model).get(name, ()) if not _imported(model, u.value)]
    else:
        scope = model.lookup(name, model.scope_of(function))
        if scope is None or scope is not owner:
            return Run.HELPER
        uses = list(owner.name_reads.get(name, ()))
        for inner in model.nested_scopes(owner):
            reads = inner.name_reads.get(name)
            if reads and model.lookup(name, inner) is owner:
                uses.extend(reads)
    if not uses:
        return Run.HELPER
    for use in uses:
        if not _scheduled(model, use, function, project):
            return Run.HELPER
    for use in uses:
        if _awaited_uncancelled(model, use):
            return Run.AWAITED
    return Run.TASK


def _attributes(model: Model) -> dict[str, list[Any]]:
    """Every `x.name` of the module by name: one walk per module, however many methods ask."""
    found = _ATTRIBUTES.get(model)
    if found is None:
        found = {}
        for node in model.parents:
            if isinstance(node, cst.Attribute):
                found.setdefault(node.attr.value, []).append(node)
        _ATTRIBUTES[model] = found
    return found


def _imported(model: Model, receiver: Any) -> bool:
    qualified = names.qualified_name(model, receiver)
    return qualified is not None and not qualified.startswith("builtins.")


def _scheduled(model: Model, use: Any, function: Any, project: ProjectView | None) -> bool:
    """Is this use `use(...)` with the coroutine object handed straight to a task factory, or
    `tg.start_soon(use, ...)` (`await tg.start(use)` for a function with a `task_status`)?"""
    call = model.parents.get(use)
    if isinstance(call, cst.Arg):
        return _started(model, call, function)
    if not (isinstance(call, cst.Call) and call.func is use):
        return False
    return _handed_to_a_factory(model, call, project, hops=0)


def _handed_to_a_factory(model: Model, value: Any, project: ProjectView | None, hops: int) -> bool:
    """`factory(value, ...)` not awaited on the spot; `something(factory, value)` that calls the
    factory with it (`contextvars.Context().run`, uvicorn; `loop.call_soon_threadsafe`, sanic);
    or `name = value` whose every read is one of those (discord.py's `wrapped =
    self._run_event(...)` then `loop.create_task(wrapped)`)."""
    parents = model.parents
    holder = parents.get(value)
    if isinstance(holder, cst.Assign) and hops == 0 and len(holder.targets) == 1:
        target = holder.targets[0].target
        if not isinstance(target, cst.Name):
            return False
        scope = model.lookup(target.value, model.scope_of(target))
        if scope is None or not scope.is_function() or scope.assignment_counts.get(target.value) != 1:
            return False
        reads = scope.name_reads.get(target.value, [])
        return bool(reads) and all(_handed_to_a_factory(model, read, project, hops + 1) for read in reads)
    factory = parents.get(holder)
    if not (isinstance(holder, cst.Arg) and isinstance(factory, cst.Call)):
        return False
    if holder.keyword is not None or holder.star or isinstance(parents.get(factory), cst.Await):
        return False  # `await create_task(body())`: awaited after all
    position = next(i for i, a in enumerate(factory.args) if a is holder)
    if position == 0:
        return is_task_factory(model, factory.func, project)
    first = factory.args[0]
    return (
        position == 1
        and first.keyword is None
        and not first.star
        and is_task_factory(model, first.value, project, local=False)
    )


def _started(model: Model, arg: Any, function: Any) -> bool:
    starter = model.parents.get(arg)
    if not (
        isinstance(starter, cst.Call)
        and isinstance(starter.func, cst.Attribute)
        and starter.args
        and starter.args[0] is arg
        and arg.keyword is None
        and not arg.star
    ):
        return False
    method = starter.func.attr.value
    if method in TASK_STARTER_METHODS:
        return True
    parameters = function.params
    return method == TASK_STATUS_STARTER and any(
        p.name.value == TASK_STATUS_PARAMETER for p in (*parameters.params, *parameters.kwonly_params)
    )


def _awaited_uncancelled(model: Model, use: Any) -> bool:
    """`t = create_task(body())` (`t` a local bound once, or `self._task` of this class) and an
    `await t` with no `t.cancel()` before it in that function: cancelling the owner while it
    awaits cancels the task too, and a body that swallows it returns, so `await t` returns and
    the owner goes on (checked on 3.11; `gather(t)`, `wait_for(t)` and `shield(t)` still raise
    in the owner, and are not looked for)."""
    parents = model.parents
    arg = parents.get(parents.get(use))
    factory = parents.get(arg)
    if not (isinstance(arg, cst.Arg) and isinstance(factory, cst.Call) and factory.args and factory.args[0] is arg):
        return False
    holder = parents.get(factory)
    if isinstance(holder, cst.Assign) and len(holder.targets) == 1:
        target = holder.targets[0].target
    elif isinstance(holder, cst.AnnAssign) and holder.value is factory:
        target = holder.target
    else:
        return False
    return any(
        isinstance(parents.get(read), cst.Await) and not _cancelled_before(model, read)
        for read in _task_reads(model, target)
    )


def _task_reads(model: Model, target: Any) -> list[Any]:
    """The reads of the task's binding: a function's local bound once, or `self.attr` read
    through the first parameter of any method of the same class."""
    if isinstance(target, cst.Name):
        scope = model.lookup(target.value, model.scope_of(target))
        if scope is None or not scope.is_function() or scope.assignment_counts.get(target.value) != 1:
            return []
        return list(scope.name_reads.get(target.value, ()))
    if not (isinstance(target, cst.Attribute) and isinstance(target.value, cst.Name)):
        return []
    owner = _method_class(model, target)
    if owner is None or target.value.value != owner[1]:
        return []
    reads = []
    for read in _attributes(model).get(target.attr.value, ()):
        if read is target or not isinstance(read.value, cst.Name):
            continue
        found = _method_class(model, read)
        if found is not None and found[0] is owner[0] and read.value.value == found[1]:
            reads.append(read)
    return reads


def _method_class(model: Model, node: Any) -> tuple[Any, str] | None:
    """The class scope of the method holding `node`, and the name of its first parameter."""
    function = model.enclosing_function(node)
    if function is None or function.kind != "function" or function.parent is None:
        return None
    if function.parent.kind != "class" or not function.node.params.params:
        return None
    return function.parent, function.node.params.params[0].name.value


def _cancelled_before(model: Model, read: Any) -> bool:
    """A `<read>.cancel()` earlier in the function that awaits `read`."""
    function = model.enclosing_function(read)
    if function is None:
        return False
    text = model.module.code_for_node(read)
    at = model.order(read)
    return any(
        isinstance(node, cst.Call)
        and isinstance(node.func, cst.Attribute)
        and node.func.attr.value == "cancel"
        and model.order(node) < at
        and model.module.code_for_node(node.func.value) == text
        for node in syntax.descendants(function.node.body, into_scopes=False)
    )


def is_task_factory(model: Model, func: Any, project: ProjectView | None, local: bool = True) -> bool:
    """`asyncio.create_task`, `ensure_future`, any `x.create_task` (or `x.add_task`), or a
    function of this module (`local`) or another project module that hands its first parameter
    to one of those."""
    if isinstance(func, cst.Attribute) and func.attr.value in SCHEDULING_METHODS:
        return True
    if local and isinstance(func, cst.Name):
        scope = model.lookup(func.value, model.scope_of(func))
        definitions = scope.defs.get(func.value, []) if scope is not None else []
        if len(definitions) == 1 and scope is not None and scope.assignment_counts.get(func.value) == 1:
            return _local_spawner(model, definitions[0], project)
    qualified = names.qualified_name(model, func)
    if qualified is None:
        return False
    if qualified in TASK_FACTORIES:
        return True
    if project is None or qualified.startswith("builtins."):
        return False
    target = project.absolute(qualified)
    if target is None or "." not in target:
        return False
    module, _, attribute = target.rpartition(".")
    return attribute in _spawners_of(project, module)


def _local_spawner(model: Model, function: Any, project: ProjectView | None) -> bool:
    """Does this `def` pass its first parameter, as is, first to a task factory call?
    (aiokafka's nested `start_pending_task(coro, node_id)`: `task = create_task(coro)`)"""
    parameters = function.params.params
    if not parameters:
        return False
    first = parameters[0].name.value
    for node in syntax.descendants(function.body, into_scopes=False):
        if (
            isinstance(node, cst.Call)
            and node.args
            and isinstance(node.args[0].value, cst.Name)
            and node.args[0].value.value == first
            and node.args[0].keyword is None
            and is_task_factory(model, node.func, project, local=False)
        ):
            return True
    return False


def _spawners_of(project: ProjectView, module: str) -> frozenset[str]:
    index = project.index
    consulted = project.consulted
    if not index.in_project(project.root, module.split(".")[0], consulted):
        return frozenset()
    path = index.find_module(project.root, module, consulted)
    if path is None:
        return frozenset()
    try:
        stat = os.stat(path)
        key: Any = (stat.st_size, stat.st_mtime_ns)
    except OSError:
        return frozenset()
    cache = _SPAWNERS.setdefault(index, {})
    cached = cache.get(path)
    if cached is None or cached[0] != key:
        tree, digest = index._read(path)
        cached = (key, _scan_spawners(tree) if tree is not None else frozenset(), digest)
        cache[path] = cached
    consulted[path] = cached[2]
    return cached[1]


def _scan_spawners(tree: ast.Module) -> frozenset[str]:
    """Top-level functions of a module that pass their first parameter, as is, first to a call
    of `create_task`/`ensure_future` (any receiver): `def create_task(coro): return
    loop.create_task(coro)`."""
    factories = {q.rpartition(".")[2] for q in TASK_FACTORIES} | {TASK_FACTORY_METHOD}
    found = set()
    for node in tree.body:
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) or not node.args.args:
            continue
        first = node.args.args[0].arg
        for inner in ast.walk(node):
            if (
                isinstance(inner, ast.Call)
                and inner.args
                and isinstance(inner.args[0], ast.Name)
                and inner.args[0].id == first
            ):
                func = inner.func
                called = (
                    func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else None
                )
                if called in factories:
                    found.add(node.name)
                    break
    return frozenset(found)
