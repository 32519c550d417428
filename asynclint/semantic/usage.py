"""How a coroutine function is run: only ever scheduled as a task, or awaited (or unknown).

AIO603 judges a handler that swallows cancellation by this.  A *task body* (every use of the
function hands its coroutine straight to a task factory: `asyncio.create_task(self._run())`,
`ensure_future`, `tg.create_task`, `loop.create_task`, or a project function that passes its
first parameter on to one, like aiokafka's `util.create_task`) ends its task when it returns,
and whoever cancelled the task sees it finish.  Anything else (awaited directly, passed to
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

from asynclint.asyncio_api import SCHEDULING_METHODS, TASK_FACTORIES, TASK_FACTORY_METHOD
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
        if not _scheduled(model, use, project):
            return Run.HELPER
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


def _scheduled(model: Model, use: Any, project: ProjectView | None) -> bool:
    """Is this use `use(...)` with the coroutine object handed straight to a task factory?"""
    call = model.parents.get(use)
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
