from __future__ import annotations

from typing import TYPE_CHECKING

from asynclint.asyncio_api import ENSURE_FUTURE
from asynclint.rule import Fix, FixAvailability, FixFacts, Rule, Safety
from asynclint.semantic import Callee

if TYPE_CHECKING:
    import libcst as cst
else:
    from asynclint._lazy import cst


class EnsureFutureCoroutine(Rule):
    """Flags `asyncio.ensure_future(coro())` where `asyncio.create_task(coro())` is meant.

    ## What it does
    Reports `asyncio.ensure_future(...)` whose argument is a call, unless that call is known to
    return a future or a task already (`loop.run_in_executor(...)`, `asyncio.gather(...)`,
    `asyncio.shield(...)`, `loop.create_future()`, another `create_task`/`ensure_future`) or its
    callee is known to be a plain function (a `def` of this module or the project, a method of a
    class whose instance it is called on): its result is most likely a future, which
    `create_task` would reject with `TypeError`. A plain name is not reported: it may well hold
    a future.

    ## Why is this bad?
    The asyncio documentation: "`create_task()` is the preferred way for creating new tasks";
    `ensure_future` exists to accept *any* awaitable. Given a coroutine it hides the intent and,
    outside a running loop, falls back to the deprecated `get_event_loop()`.

    ## Example
    ```python
    import asyncio

    async def tick():
        await asyncio.sleep(0)

    async def main():
        task = asyncio.ensure_future(tick())
        await task
    ```

    ## Use instead
    ```python
    import asyncio

    async def tick():
        await asyncio.sleep(0)

    async def main():
        task = asyncio.create_task(tick())
        await task
    ```

    ## Fix safety
    Safe when the callee is known to be a coroutine function (an `async def` of the module, or
    one of asyncio's): then both calls make the same task. Otherwise unsafe: if the call returns a
    future, `create_task` raises `TypeError`. Offered only directly inside a coroutine (where a
    loop is running; `create_task` has no `get_event_loop()` fallback) and only for a single
    argument (`create_task` has no `loop=`).
    """

    CODE = "AIO304"
    NAME = "ensure-future-coroutine"
    SINCE = "0.2.0"
    EQUIVALENTS = ()
    TRIGGERS = (("ensure_future",),)
    MESSAGE = "Use `asyncio.create_task()` to run a coroutine, not `asyncio.ensure_future()`"
    FIX = FixFacts(
        title="Replace with `asyncio.create_task()`", availability=FixAvailability.SOMETIMES, safety=Safety.SAFE
    )

    def visit_Call(self, node: cst.Call) -> None:
        if not node.args or not self.sem.resolves_to(node.func, ENSURE_FUTURE):
            return
        argument = node.args[0]
        if argument.keyword is not None or argument.star or not isinstance(argument.value, cst.Call):
            return
        if self.sem.is_future_call(argument.value):
            return
        if self.sem.callee_kind(argument.value.func) is Callee.PLAIN:
            return  # a plain function's result: a future, most likely, which `create_task` rejects
        self.report(node, fix=self._fix(node, argument.value))

    def _fix(self, node: cst.Call, coroutine_call: cst.Call) -> Fix | None:
        if len(node.args) != 1 or self.sem.enclosing_coroutine(node) is None:
            return None
        found = self.sem.module_attribute(node, "asyncio", "create_task")
        if found is None:
            return None
        func, imports = found
        safety = Safety.SAFE if self.sem.is_coroutine_call(coroutine_call) else Safety.UNSAFE
        dropped = self.sem.import_of(node.func)
        return self.make_fix(safety, [(node.func, func)], imports, drop_imports=(dropped,) if dropped else ())
