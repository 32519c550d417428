"""Names: what an expression refers to through imports, how to spell a module at a place, which
names are free to bind, and which import statement binds a name."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from asynclint.asyncio_api import SUBMODULES
from asynclint.rule import ImportRequest

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

    (None, False) when the plain name is taken by something else there.
    """
    scope = model.scope_of(at)
    for candidate_scope in (scope, model.module_scope):
        for name, targets in candidate_scope.import_targets.items():
            if targets == {module} and not candidate_scope.assignment_counts.get(name):
                if model.lookup(name, scope) is candidate_scope:
                    return name, False
    top = module.split(".")[0]
    if model.lookup(top, scope) is None:
        return top, True
    return None, False


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
