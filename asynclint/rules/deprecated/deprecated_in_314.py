from __future__ import annotations

from typing import TYPE_CHECKING, Any

from asynclint.asyncio_api import ISCOROUTINEFUNCTION, POLICY_APIS
from asynclint.rule import Fix, FixAvailability, FixFacts, Rule, Safety

if TYPE_CHECKING:
    import libcst as cst
else:
    from asynclint._lazy import cst


class DeprecatedIn314(Rule):
    """Flags asyncio APIs deprecated in Python 3.14: `iscoroutinefunction` and event-loop policies.

    ## What it does
    Reports references to `asyncio.iscoroutinefunction` and to the event-loop policy system:
    `get_event_loop_policy`, `set_event_loop_policy` and the `*EventLoopPolicy` classes, however
    they were imported. Code under `if sys.version_info < (3, 14):` is not reported.

    ## Why is this bad?
    Python 3.14 deprecates them, with removal planned for 3.16. `inspect.iscoroutinefunction`
    replaces the first. Policies go away as a concept: a custom loop is chosen with
    `asyncio.run(main(), loop_factory=...)` or `asyncio.Runner(loop_factory=...)` (3.12+), and
    `uvloop.run(main())` replaces `set_event_loop_policy(uvloop.EventLoopPolicy())`.

    ## Example
    ```python
    import asyncio

    def is_handler(func):
        return asyncio.iscoroutinefunction(func)
    ```

    ## Use instead
    ```python
    import asyncio
    import inspect

    def is_handler(func):
        return inspect.iscoroutinefunction(func)
    ```

    ## Fix safety
    Unsafe, and only for `iscoroutinefunction`: the asyncio version also answers True for
    functions marked by the removed `@asyncio.coroutine` and for mocks carrying its private
    marker, the `inspect` one does not. The fix adds `import inspect` when the module has no name
    for it and removes a `from asyncio import iscoroutinefunction` left unused. Policy code has no
    mechanical replacement: it is reported without a fix.
    """

    CODE = "AIO309"
    NAME = "deprecated-in-3-14"
    SINCE = "0.2.0"
    EQUIVALENTS = ()
    TRIGGERS = (("iscoroutinefunction", "EventLoopPolicy", "event_loop_policy"),)
    DEPRECATED_IN = (3, 14)
    MESSAGE = "`{name}` is deprecated since Python 3.14{advice}"
    FIX = FixFacts(
        title="Replace with `inspect.iscoroutinefunction`", availability=FixAvailability.SOMETIMES, safety=Safety.UNSAFE
    )

    def visit_Attribute(self, node: cst.Attribute) -> None:
        self._check(node)

    def visit_Name(self, node: cst.Name) -> None:
        if self.sem.is_reference(node):
            self._check(node)

    def _check(self, node: Any) -> None:
        qualified = self.sem.qualified_name(node)
        if qualified == ISCOROUTINEFUNCTION:
            self.report(node, fix=self._fix(node), name=qualified, advice=": use `inspect.iscoroutinefunction`")
        elif qualified in POLICY_APIS:
            self.report(node, name=qualified, advice=": use a `loop_factory`")

    def _fix(self, node: Any) -> Fix | None:
        found = self.sem.module_attribute(node, "inspect", "iscoroutinefunction")
        if found is None:
            return None
        replacement, imports = found
        dropped = self.sem.import_of(node) if isinstance(node, cst.Name) else None
        return self.make_fix(
            Safety.UNSAFE,
            [(node, replacement.with_changes(lpar=node.lpar, rpar=node.rpar))],
            imports,
            drop_imports=(dropped,) if dropped is not None else (),
        )
