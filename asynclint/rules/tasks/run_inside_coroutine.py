from __future__ import annotations

from typing import TYPE_CHECKING

from asynclint.asyncio_api import RUN
from asynclint.rule import FixAvailability, FixFacts, Rule, Safety

if TYPE_CHECKING:
    import libcst as cst
else:
    from asynclint._lazy import cst


class RunInsideCoroutine(Rule):
    """Flags `asyncio.run()` and `loop.run_until_complete()` called from inside a coroutine.

    ## What it does
    Reports `asyncio.run(...)` and `<loop>.run_until_complete(...)` directly in the body of an
    `async def`. Calls in a nested plain function or lambda (handed to a thread, say) are not
    reported: they may well run where no loop is running.

    ## Why is this bad?
    A coroutine runs inside an event loop, and a thread runs one loop at a time:
    `asyncio.run()` raises `RuntimeError: asyncio.run() cannot be called from a running event
    loop`, and `run_until_complete()` raises `RuntimeError: This event loop is already running`
    (and leaves the coroutine it was given never awaited).

    ## Example
    ```python
    import asyncio

    async def fetch():
        return 1

    async def main():
        value = asyncio.run(fetch())
        print(value)
    ```

    ## Use instead
    ```python
    import asyncio

    async def fetch():
        return 1

    async def main():
        value = await fetch()
        print(value)
    ```

    ## Fix safety
    Unsafe: the fix awaits the argument instead, which adds a suspension point. It is offered
    when the call has exactly one positional argument and no keywords (`debug=` or
    `loop_factory=` belong to a new loop, which awaiting does not make).
    """

    CODE = "AIO105"
    NAME = "run-inside-coroutine"
    SINCE = "0.4.0"
    TRIGGERS = (("run", "run_until_complete"),)
    NEEDS_COROUTINE = True
    MESSAGE = "`{func}()` inside a coroutine raises RuntimeError: the loop is already running"
    FIX = FixFacts(title="Await the argument", availability=FixAvailability.SOMETIMES, safety=Safety.UNSAFE)

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if self.sem.qualified_name(func) == RUN:
            name = RUN
        elif isinstance(func, cst.Attribute) and func.attr.value == "run_until_complete":
            name = "loop.run_until_complete"
        else:
            return
        if self.sem.enclosing_coroutine(node) is None:
            return
        fix = None
        if len(node.args) == 1 and node.args[0].keyword is None and not node.args[0].star:
            fix = self.make_fix(Safety.UNSAFE, [(node, self.sem.awaited(node, node.args[0].value))])
        self.report(node, fix=fix, func=name)
