"""What the 3xx rules that flag a deprecated name share: every reference to it, bare or dotted."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from asynclint.rule import Rule

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
