from __future__ import annotations

from typing import TYPE_CHECKING

from asynclint.rule import Fix, FixAvailability, FixFacts, Rule, Safety

if TYPE_CHECKING:
    import libcst as cst
else:
    from asynclint._lazy import cst


class BlockingSleep(Rule):
    """Flags `time.sleep()` called directly inside a coroutine.

    ## What it does
    Reports calls of `time.sleep` (however it was imported: `import time`, `from time import
    sleep`, aliases) whose innermost enclosing function is an `async def`. A nested `def`, a
    `lambda` or a class inside the coroutine is not coroutine context, and handing the function to
    a thread (`asyncio.to_thread(time.sleep, 1)`, `loop.run_in_executor(None, time.sleep, 1)`) is
    not a call. Test files (the `test-paths` setting: `tests/`, `test_*.py`, `conftest.py`, ...)
    are not checked.

    ## Why is this bad?
    `time.sleep` blocks the whole thread, so the event loop stops: no other task runs, no timeout
    fires and no I/O is served until it returns.

    ## Example
    ```python
    import time

    async def poll():
        time.sleep(0.5)
    ```

    ## Use instead
    ```python
    import asyncio
    import time

    async def poll():
        await asyncio.sleep(0.5)
    ```

    ## Fix safety
    Unsafe. `await asyncio.sleep(x)` is a suspension point: other tasks now run during the sleep
    and the coroutine can be cancelled there, which may change what the program does (that is
    usually the point, but it needs a person's review). The fix adds `import asyncio` when the
    module has no name for it, and is not offered inside a generator expression, where `await`
    would turn it into an async generator.
    """

    CODE = "AIO201"
    NAME = "blocking-sleep"
    SINCE = "0.1.0"
    IN_TESTS = False
    EQUIVALENTS = ("ruff ASYNC251", "flake8-async ASYNC251")
    TRIGGERS = (("sleep",),)
    NEEDS_COROUTINE = True
    MESSAGE = "`time.sleep()` blocks the event loop in coroutine `{func}`"
    FIX = FixFacts(
        title="Replace with `await asyncio.sleep(...)`", availability=FixAvailability.SOMETIMES, safety=Safety.UNSAFE
    )

    def visit_Call(self, node: cst.Call) -> None:
        coroutine = self.sem.enclosing_coroutine(node)
        if coroutine is None or not self.sem.resolves_to(node.func, "time.sleep"):
            return
        self.report(node, fix=self._fix(node), func=coroutine.name)

    def _fix(self, node: cst.Call) -> Fix | None:
        if self.sem.in_generator_expression(node):
            return None
        sleep = self.sem.module_attribute(node, "asyncio", "sleep")
        if sleep is None:
            return None
        func, imports = sleep
        replacement = self.sem.awaited(node, node.with_changes(func=func))
        return self.make_fix(Safety.UNSAFE, [(node, replacement)], imports)
