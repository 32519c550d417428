from __future__ import annotations

from typing import TYPE_CHECKING, Any

from asynclint.asyncio_api import TIMEOUT_ERROR_ALIASES, TIMEOUT_ERROR_MODULES
from asynclint.rule import Fix, FixAvailability, FixFacts, Rule, Safety

if TYPE_CHECKING:
    import libcst as cst
else:
    from asynclint._lazy import cst


class TimeoutErrorAlias(Rule):
    """Flags `asyncio.TimeoutError`, an alias of the builtin `TimeoutError` since Python 3.11.

    ## What it does
    When the target is Python 3.11 or newer (or the code sits under `if sys.version_info >=
    (3, 11):`), reports `asyncio.TimeoutError` and `asyncio.exceptions.TimeoutError`, and
    `from asyncio import TimeoutError` (which shadows the builtin with itself).

    ## Why is this bad?
    Since 3.11 `asyncio.TimeoutError is TimeoutError`: the qualified spelling only suggests a
    difference that no longer exists. Before 3.11 they were different classes, so code that must
    run there is left alone.

    ## Example
    ```python
    import asyncio

    async def fetch(reader):
        try:
            return await asyncio.wait_for(reader.read(), 1)
        except asyncio.TimeoutError:
            return None
    ```

    ## Use instead
    ```python
    import asyncio

    async def fetch(reader):
        try:
            return await asyncio.wait_for(reader.read(), 1)
        except TimeoutError:
            return None
    ```

    ## Fix safety
    Safe: on 3.11 and later both names are the same class. `asyncio.TimeoutError` becomes
    `TimeoutError` (not offered where the name `TimeoutError` means something else);
    `from asyncio import TimeoutError` is removed, so the name means the builtin, and
    `from asyncio import TimeoutError as Alias` becomes `Alias = TimeoutError`.
    """

    CODE = "AIO308"
    NAME = "timeout-error-alias"
    SINCE = "0.2.0"
    EQUIVALENTS = ("ruff UP041",)
    TRIGGERS = (("TimeoutError",),)
    DEPRECATED_IN = (3, 11)  # code that only runs on older Pythons keeps the distinct class
    MESSAGE = "`asyncio.TimeoutError` is the builtin `TimeoutError` since Python 3.11"
    FIX = FixFacts(title="Use the builtin `TimeoutError`", availability=FixAvailability.SOMETIMES, safety=Safety.SAFE)

    def visit_Attribute(self, node: cst.Attribute) -> None:
        if node.attr.value != "TimeoutError" or self.sem.target_at(node) < (3, 11):
            return
        if self.sem.qualified_name(node) not in TIMEOUT_ERROR_ALIASES:
            return
        fix = None
        if self.sem.binding_at("TimeoutError", node) is None:
            replacement = cst.Name("TimeoutError", lpar=node.lpar, rpar=node.rpar)
            dropped = self.sem.import_of(self.sem.root_name(node))  # `import asyncio`, if now unused
            fix = self.make_fix(Safety.SAFE, [(node, replacement)], drop_imports=(dropped,) if dropped else ())
        self.report(node, fix=fix)

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        if isinstance(node.names, cst.ImportStar) or node.relative or self.sem.target_at(node) < (3, 11):
            return
        module = self.sem.dotted_name(node.module) if node.module is not None else None
        if module not in TIMEOUT_ERROR_MODULES:
            return
        for alias in node.names:
            if isinstance(alias.name, cst.Name) and alias.name.value == "TimeoutError":
                message = f"`from {module} import TimeoutError`: the builtin is the same class since Python 3.11"
                self.report(alias, fix=self._import_fix(node, alias), message=message)

    def _import_fix(self, node: cst.ImportFrom, alias: cst.ImportAlias) -> Fix | None:
        statement = self.sem.parent(node)
        if not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
            return None
        if isinstance(node.names, cst.ImportStar):
            return None
        bound = (
            alias.asname.name.value if alias.asname is not None and isinstance(alias.asname.name, cst.Name) else None
        )
        names = [a for a in node.names if a is not alias]
        new: list[Any] = []
        if names:
            if alias is node.names[-1]:
                names[-1] = names[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
            new.append(statement.with_changes(body=[node.with_changes(names=names)]))
        if bound is not None and bound != "TimeoutError":
            assignment = self.sem.parse_statement(f"{bound} = TimeoutError\n")
            new.append(assignment.with_changes(leading_lines=() if new else statement.leading_lines))
        if not new:
            removed = self.sem.removed_statement(statement)
            return self.make_fix(Safety.SAFE, [(statement, removed)], title="Remove the import")
        if len(new) == 1:
            return self.make_fix(Safety.SAFE, [(statement, new[0])])
        return self.make_fix(Safety.SAFE, [(statement, cst.FlattenSentinel(new))])
