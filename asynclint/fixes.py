"""Building blocks for fixes that several rules share.  They build values; they never apply them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from asynclint._lazy import cst
from asynclint.rule import ImportRequest

if TYPE_CHECKING:
    from asynclint.analysis import Analysis


def module_attribute(
    analysis: Analysis, at: Any, module: str, attr: str
) -> tuple[Any, tuple[ImportRequest, ...]] | None:
    """An expression for `module.attr` usable at `at`, and the import it needs (if any).

    None when the module's name is taken there by something else: no fix is better than a wrong one.
    """
    name, needs_import = analysis.module_alias(module, at)
    if name is None:
        return None
    value: Any = cst.Name(name)
    for part in module.split(".")[1:]:
        value = cst.Attribute(value=value, attr=cst.Name(part))
    imports = (ImportRequest(module),) if needs_import else ()
    return cst.Attribute(value=value, attr=cst.Name(attr)), imports


def awaited(analysis: Analysis, original: Any, expression: Any) -> Any:
    """`await expression`, parenthesized where `original` sits in a primary (`x.attr`, `x[i]`, `x()`)."""
    if getattr(expression, "lpar", None):
        expression = expression.with_changes(lpar=[], rpar=[])
    node = cst.Await(expression=expression)
    parent = analysis.parents.get(original)
    needs_parens = (isinstance(parent, (cst.Attribute, cst.Subscript)) and parent.value is original) or (
        isinstance(parent, cst.Call) and parent.func is original
    )
    if needs_parens and not original.lpar:
        node = node.with_changes(lpar=[cst.LeftParen()], rpar=[cst.RightParen()])
    else:
        node = node.with_changes(lpar=original.lpar, rpar=original.rpar)
    return node


def import_of(analysis: Analysis, name: Any) -> ImportRequest | None:
    """The import statement form that binds the Name `name`, for `Fix.drop_imports`.

    `from asyncio import coroutine as co` gives ImportRequest("asyncio", "coroutine", "co");
    `import asyncio` gives ImportRequest("asyncio").  None when `name` is not bound by one import.
    """
    if not isinstance(name, cst.Name):
        return None
    scope = analysis.lookup(name.value, analysis.scope_of(name))
    if scope is None or scope.bindings.get(name.value):
        return None
    targets = scope.imports.get(name.value, set())
    if len(targets) != 1:
        return None
    target = next(iter(targets))
    if target.startswith("."):
        return None
    if "." not in target or target == name.value:
        return ImportRequest(target) if target == name.value else None
    module, _, obj = target.rpartition(".")
    return ImportRequest(module, obj, None if obj == name.value else name.value)


def root_name(expression: Any) -> Any:
    """The Name at the start of an attribute chain (`a` of `a.b.c`), else None."""
    while isinstance(expression, cst.Attribute):
        expression = expression.value
    return expression if isinstance(expression, cst.Name) else None


def removed_statement(analysis: Analysis, statement: Any) -> Any:
    """What replaces a statement that a fix deletes: nothing, or `pass` when it is the only
    statement of its block (an empty block would not compile)."""
    block = analysis.parents.get(statement)
    if isinstance(block, cst.IndentedBlock) and len(block.body) == 1:
        return cst.SimpleStatementLine(body=[cst.Pass()], leading_lines=statement.leading_lines)
    return cst.RemovalSentinel.REMOVE
