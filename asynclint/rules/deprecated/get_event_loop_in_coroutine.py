from __future__ import annotations

from typing import TYPE_CHECKING

from asynclint.asyncio_api import GET_EVENT_LOOP
from asynclint.rule import Fix, FixAvailability, FixFacts, ImportRequest, Rule, Safety

if TYPE_CHECKING:
    import libcst as cst
else:
    from asynclint._lazy import cst


class GetEventLoopInCoroutine(Rule):
    """Flags `asyncio.get_event_loop()` called directly inside an `async def`.

    ## What it does
    Reports calls of `asyncio.get_event_loop()` (however imported) whose innermost enclosing
    function is a coroutine. Calls in sync code are AIO303's business; calls in a nested `def` or
    `lambda`, and a policy's `get_event_loop()`, are not reported.

    ## Why is this bad?
    A coroutine always runs on a running loop, and `get_running_loop()` says exactly that.
    `get_event_loop()` carries a legacy fallback (create or look up a loop through the policy) that
    is deprecated outside a running loop since 3.10 and an error from 3.14; code that reaches for it
    inside coroutines tends to be copied into places where that fallback bites.

    ## Example
    ```python
    import asyncio

    async def serve():
        loop = asyncio.get_event_loop()
    ```

    ## Use instead
    ```python
    import asyncio

    async def serve():
        loop = asyncio.get_running_loop()
    ```

    ## Fix safety
    Safe: inside a running coroutine both calls return the same loop. The fix uses the name the
    module already imports for it (`from asyncio import get_running_loop`), else
    `asyncio.get_running_loop`, adding `import asyncio` when the module has no name for it; a
    `from asyncio import get_event_loop` that the fix leaves unused is removed (F401). A test
    that patches `asyncio.get_event_loop` to hand the code a mock loop no longer reaches it
    (aiohttp's `test_tcpsite_default_host`): the patch, not the code, relied on the old call.
    """

    CODE = "AIO302"
    NAME = "get-event-loop-in-coroutine"
    SINCE = "0.1.0"
    EQUIVALENTS = ()
    TRIGGERS = (("get_event_loop",),)
    NEEDS_COROUTINE = True
    MESSAGE = "`asyncio.get_event_loop()` called in coroutine `{func}`"
    FIX = FixFacts(
        title="Replace with `asyncio.get_running_loop()`", availability=FixAvailability.SOMETIMES, safety=Safety.SAFE
    )

    def visit_Call(self, node: cst.Call) -> None:
        coroutine = self.sem.enclosing_coroutine(node)
        if coroutine is None or node.args or not self.sem.resolves_to(node.func, GET_EVENT_LOOP):
            return
        self.report(node, fix=self._fix(node), func=coroutine.name)

    def _fix(self, node: cst.Call) -> Fix | None:
        func = node.func
        imports: tuple[ImportRequest, ...]
        dropped: tuple[ImportRequest, ...] = ()
        if isinstance(func, cst.Attribute):  # `asyncio.get_event_loop` or `aio.get_event_loop`
            replacement, imports = func.with_changes(attr=cst.Name("get_running_loop")), ()
        else:
            found = self.sem.module_attribute(node, "asyncio", "get_running_loop")
            if found is None:
                return None
            replacement, imports = found
            # `from asyncio import get_event_loop` goes when this was its last use (F401).
            request = self.sem.import_of(func)
            dropped = (request,) if request is not None else ()
        return self.make_fix(Safety.SAFE, [(func, replacement)], imports, drop_imports=dropped)
