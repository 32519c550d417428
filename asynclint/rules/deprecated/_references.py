"""What the 3xx rules that flag a deprecated name share: every reference to it, bare or dotted."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from asynclint.rule import Fix, Rule, Safety

if TYPE_CHECKING:
    import libcst as cst


class ReferenceRule(Rule):
    """A rule about references to some qualified names: `asyncio.x` and an imported `x` alike.
    Subclasses define `reference(node, qualified)`, called for each name or attribute chain
    that is read (not bound) and resolves to a qualified name."""

    def visit_Attribute(self, node: cst.Attribute) -> None:
        self._check(node)

    def visit_Name(self, node: cst.Name) -> None:
        if self.sem.is_reference(node):
            self._check(node)

    def _check(self, node: Any) -> None:
        qualified = self.sem.qualified_name(node)
        if qualified is not None:
            self.reference(node, qualified)

    def reference(self, node: Any, qualified: str) -> None:
        raise NotImplementedError


def asyncio_rename(rule: Rule, node: Any, name: str, title: str | None = None) -> Fix | None:
    """The safe fix that replaces a reference (`asyncio.Old`, an imported `Old`) with
    `asyncio.<name>`, dropping the import it leaves unused; None when no name for asyncio is at
    hand there."""
    found = rule.sem.module_attribute(node, "asyncio", name)
    if found is None:
        return None
    replacement, imports = found
    replacement = replacement.with_changes(lpar=node.lpar, rpar=node.rpar)
    dropped = rule.sem.import_of(rule.sem.root_name(node))
    return rule.make_fix(
        Safety.SAFE,
        [(node, replacement)],
        imports,
        title=title,
        drop_imports=(dropped,) if dropped is not None and dropped.obj is not None else (),
    )
