"""Building blocks for fixes that several rules share.  They build values; they never apply them."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from asynclint.rule import ImportRequest
from asynclint.semantic.names import imported_name, module_alias

if TYPE_CHECKING:
    import libcst as cst

    from asynclint.semantic.model import Model
else:
    from asynclint._lazy import cst


def module_attribute(model: Model, at: Any, module: str, attr: str) -> tuple[Any, tuple[ImportRequest, ...]] | None:
    """An expression for `module.attr` usable at `at`, and the import it needs (if any).

    A name the module already binds to that object is reused (`from asyncio import
    get_running_loop` gives `get_running_loop`, no import).  None when the module's name is taken
    there by something else: no fix is better than a wrong one.
    """
    bound = imported_name(model, f"{module}.{attr}", at)
    if bound is not None:
        return cst.Name(bound), ()
    name, needs_import = module_alias(model, module, at)
    if name is None:
        return None
    value: Any = cst.Name(name)
    for part in module.split(".")[1:]:
        value = cst.Attribute(value=value, attr=cst.Name(part))
    imports = (ImportRequest(module),) if needs_import else ()
    return cst.Attribute(value=value, attr=cst.Name(attr)), imports


def awaited(model: Model, original: Any, expression: Any) -> Any:
    """`await expression`, parenthesized where `original` sits in a primary (`x.attr`, `x[i]`, `x()`)."""
    if getattr(expression, "lpar", None):
        expression = expression.with_changes(lpar=[], rpar=[])
    node = cst.Await(expression=expression)
    parent = model.parents.get(original)
    needs_parens = (isinstance(parent, (cst.Attribute, cst.Subscript)) and parent.value is original) or (
        isinstance(parent, cst.Call) and parent.func is original
    )
    if needs_parens and not original.lpar:
        node = node.with_changes(lpar=[cst.LeftParen()], rpar=[cst.RightParen()])
    else:
        node = node.with_changes(lpar=original.lpar, rpar=original.rpar)
    return node


def removed_statement(model: Model, statement: Any) -> Any:
    """What replaces a statement that a fix deletes: nothing, or `pass` when it is the only
    statement of its block (an empty block would not compile)."""
    block = model.parents.get(statement)
    if isinstance(block, cst.IndentedBlock) and len(block.body) == 1:
        return cst.SimpleStatementLine(body=[cst.Pass()], leading_lines=statement.leading_lines)
    return cst.RemovalSentinel.REMOVE


_NOQA = re.compile(r"#\s*noqa\s*:\s*(?P<codes>[A-Z]+[0-9]+(?:[\s,]+[A-Z]+[0-9]+)*)")
_TYPE_IGNORE = re.compile(r"#\s*type:\s*ignore\[(?P<codes>[^\]]*)\]")


def without_codes(comment: str, noqa: Iterable[str], type_ignore: Iterable[str]) -> str | None:
    """A line's comment without suppression codes a fix made stale (`# noqa: F841` once the
    variable is read, `# type: ignore[unused-awaitable]` once the value is kept): the rest of
    each directive stays, an emptied one goes (with the words that explained it), and None when
    nothing is left."""
    stale_noqa, stale_ignore = set(noqa), set(type_ignore)
    kept = []
    for segment in (part for part in re.split(r"(?=#)", comment) if part.strip()):
        noqa_match, ignore_match = _NOQA.match(segment), _TYPE_IGNORE.match(segment)
        if noqa_match is not None:
            codes = [c for c in re.split(r"[\s,]+", noqa_match.group("codes")) if c]
            left = [c for c in codes if c not in stale_noqa]
            if not left:
                continue
            if len(left) < len(codes):
                segment = f"# noqa: {', '.join(left)}" + segment[noqa_match.end() :]
        elif ignore_match is not None:
            codes = [c.strip() for c in ignore_match.group("codes").split(",") if c.strip()]
            left = [c for c in codes if c not in stale_ignore]
            if not left:
                continue
            if len(left) < len(codes):
                segment = f"# type: ignore[{', '.join(left)}]" + segment[ignore_match.end() :]
        kept.append(segment.strip())
    if not kept:
        return None
    new = "  ".join(kept)
    return comment if new == comment.strip() else new
