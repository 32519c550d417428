"""Names: what an expression refers to through imports, how to spell a module at a place, which
names are free to bind, and which import statement binds a name."""

from __future__ import annotations

import weakref
from typing import TYPE_CHECKING, Any

from asynclint.asyncio_api import SUBMODULES
from asynclint.rule import ImportRequest
from asynclint.semantic.syntax import dotted_name

if TYPE_CHECKING:
    import libcst as cst

    from asynclint.semantic.model import Model
else:
    from asynclint._lazy import cst


def normalize(qualified: str) -> str:
    """`asyncio.tasks.create_task` -> `asyncio.create_task`."""
    if qualified.startswith("asyncio."):
        head, _, rest = qualified[len("asyncio.") :].partition(".")
        if rest and head in SUBMODULES:
            return "asyncio." + rest
    return qualified


def qualified_name(model: Model, node: Any) -> str | None:
    """What an expression refers to through imports: `aio.sleep` -> `asyncio.sleep`.

    None when it is not a dotted name, or the name is bound to anything but one import.
    Names bound nowhere resolve to `builtins.<name>`.
    """
    if isinstance(node, cst.Attribute):
        base = qualified_name(model, node.value)
        return normalize(base + "." + node.attr.value) if base is not None else None
    if not isinstance(node, cst.Name):
        return None
    name = node.value
    scope = model.lookup(name, model.scope_of(node))
    if scope is None:
        return "builtins." + name
    if scope.assignment_counts.get(name):
        return None
    imported = scope.import_targets.get(name)
    if imported is None or len(imported) != 1:
        return None
    return normalize(next(iter(imported)))


def module_alias(model: Model, module: str, at: Any) -> tuple[str | None, bool]:
    """How code at `at` can refer to module `module`: (name, needs an import).

    (None, False) when the plain name is taken by something else there.  An import made only
    under `if TYPE_CHECKING:` binds nothing at run time: it is not reused, and the module's own
    name then needs a real import.
    """
    scope = model.scope_of(at)
    typing_only = typing_only_imports(model)
    for candidate_scope in (scope, model.module_scope):
        for name, targets in candidate_scope.import_targets.items():
            if targets == {module} and not candidate_scope.assignment_counts.get(name):
                if candidate_scope is model.module_scope and name in typing_only:
                    continue
                if model.lookup(name, scope) is candidate_scope:
                    return name, False
    top = module.split(".")[0]
    found = model.lookup(top, scope)
    if found is None:
        return top, True
    if found is model.module_scope and top in typing_only and found.import_targets.get(top) == {top}:
        return top, True
    return None, False


def imported_name(model: Model, qualified: str, at: Any) -> str | None:
    """A name that code at `at` can use for `qualified` because an import binds it to exactly
    that object (`from asyncio import get_running_loop` for `asyncio.get_running_loop`), never
    rebound, visible at `at` and bound at run time.  None when there is no such name.

    Only module-level imports count: a function's own `from asyncio import x` may run after
    the place the fix writes to (UnboundLocalError)."""
    scope = model.scope_of(at)
    module = model.module_scope
    typing_only = typing_only_imports(model)
    for name, targets in sorted(module.import_targets.items()):
        if len(targets) != 1 or normalize(next(iter(targets))) != qualified:
            continue
        if module.assignment_counts.get(name) or name in typing_only:
            continue
        if model.lookup(name, scope) is module:
            return name
    return None


_TYPING_ONLY: weakref.WeakKeyDictionary[Model, frozenset[str]] = weakref.WeakKeyDictionary()


def _is_type_checking(test: Any) -> bool:
    if isinstance(test, cst.Name):
        return test.value == "TYPE_CHECKING"
    return isinstance(test, cst.Attribute) and test.attr.value == "TYPE_CHECKING"


def _imported_names(statement: Any) -> set[str]:
    out: set[str] = set()
    if isinstance(statement, (cst.Import, cst.ImportFrom)):  # in `if TYPE_CHECKING: import x`
        statement = cst.SimpleStatementLine(body=[statement])
    if not isinstance(statement, cst.SimpleStatementLine):
        return out
    for small in statement.body:
        if isinstance(small, cst.Import):
            for alias in small.names:
                if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                    out.add(alias.asname.name.value)
                else:
                    out.add((dotted_name(alias.name) or "").split(".")[0])
        elif isinstance(small, cst.ImportFrom) and not isinstance(small.names, cst.ImportStar):
            for alias in small.names:
                if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                    out.add(alias.asname.name.value)
                elif isinstance(alias.name, cst.Name):
                    out.add(alias.name.value)
    return out


def typing_only_imports(model: Model) -> frozenset[str]:
    """Module-level names that only imports under `if TYPE_CHECKING:` bind (nothing binds them
    when the module runs).  Computed once per module from its top-level statements."""
    cached = _TYPING_ONLY.get(model)
    if cached is not None:
        return cached
    typing: set[str] = set()
    runtime: set[str] = set()

    def walk(statements: Any, into: set[str]) -> None:
        for statement in statements:
            if isinstance(statement, cst.If):
                walk(statement.body.body, typing if _is_type_checking(statement.test) else into)
                orelse = statement.orelse
                if orelse is not None:
                    walk(orelse.body.body if isinstance(orelse, cst.Else) else [orelse], into)
            elif isinstance(statement, cst.Try):
                walk(statement.body.body, into)
                for handler in statement.handlers:
                    walk(handler.body.body, into)
                for block in (statement.orelse, statement.finalbody):
                    if block is not None:
                        walk(block.body.body, into)
            else:
                into.update(_imported_names(statement))

    walk(model.module.body, runtime)
    result = frozenset(typing - runtime)
    _TYPING_ONLY[model] = result
    return result


def fresh_name(model: Model, base: str, at: Any = None) -> str:
    """A name free to bind at `at`: unused in that scope and every scope nested in it.

    Without `at` (or at module level), free in the whole module.
    """
    scope = (model.scope_of(at) if at is not None else model.module_scope).binding_scope
    if scope is model.module_scope:
        taken = model.all_names
    else:
        taken = set()
        for inner in (scope, *model.nested_scopes(scope)):
            taken.update(inner.assignment_counts, inner.import_targets, inner.name_reads, inner.declarations)
    candidate, n = base, 0
    while candidate in taken:
        n += 1
        candidate = f"{base}_{n}"
    return candidate


def import_of(model: Model, name: Any) -> ImportRequest | None:
    """The import statement form that binds the Name `name`, for `Fix.drop_imports`.

    `from asyncio import coroutine as co` gives ImportRequest("asyncio", "coroutine", "co");
    `import asyncio` gives ImportRequest("asyncio").  None when `name` is not bound by one import.
    """
    if not isinstance(name, cst.Name):
        return None
    scope = model.lookup(name.value, model.scope_of(name))
    if scope is None or scope.assignment_counts.get(name.value):
        return None
    targets = scope.import_targets.get(name.value, set())
    if len(targets) != 1:
        return None
    target = next(iter(targets))
    if target.startswith("."):
        return None
    if "." not in target or target == name.value:
        return ImportRequest(target) if target == name.value else None
    module, _, obj = target.rpartition(".")
    return ImportRequest(module, obj, None if obj == name.value else name.value)
