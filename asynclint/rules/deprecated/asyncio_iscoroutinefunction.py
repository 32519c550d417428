from __future__ import annotations

from typing import TYPE_CHECKING, Any

from asynclint.asyncio_api import ISCOROUTINEFUNCTION
from asynclint.rule import Fix, FixAvailability, FixFacts, Safety
from asynclint.rules.deprecated._references import ReferenceRule

if TYPE_CHECKING:
    import libcst as cst
else:
    from asynclint._lazy import cst


class AsyncioIscoroutinefunction(ReferenceRule):
    """Flags `asyncio.iscoroutinefunction`, deprecated in Python 3.14 for the `inspect` one.

    ## What it does
    Reports references to `asyncio.iscoroutinefunction`, called or not, however it was imported
    (`from asyncio import iscoroutinefunction` too). Code under `if sys.version_info < (3, 14):`
    is not reported.

    ## Why is this bad?
    Python 3.14 deprecates it, with removal planned for 3.16. `inspect.iscoroutinefunction`
    answers the same question for `async def` functions and stays.

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
    Unsafe: the asyncio version also answers True for functions marked by the removed
    `@asyncio.coroutine` and for mocks carrying its private marker, the `inspect` one does not.
    The fix adds `import inspect` when the module has no name for it and removes a
    `from asyncio import iscoroutinefunction` left unused.
    """

    CODE = "AIO309"
    NAME = "asyncio-iscoroutinefunction"
    SINCE = "0.2.0"
    EQUIVALENTS = ()
    TRIGGERS = (("iscoroutinefunction",),)
    DEPRECATED_IN = (3, 14)
    MESSAGE = "`{name}` is deprecated since Python 3.14: use `inspect.iscoroutinefunction`"
    FIX = FixFacts(
        title="Replace with `inspect.iscoroutinefunction`", availability=FixAvailability.SOMETIMES, safety=Safety.UNSAFE
    )

    def reference(self, node: Any, qualified: str) -> None:
        if qualified == ISCOROUTINEFUNCTION:
            self.report(node, fix=self._fix(node), name=qualified)

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
