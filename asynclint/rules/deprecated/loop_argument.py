from __future__ import annotations

from typing import TYPE_CHECKING

from asynclint.asyncio_api import LOOP_PARAMETER_APIS
from asynclint.rule import FixAvailability, FixFacts, Rule, Safety

if TYPE_CHECKING:
    import libcst as cst
else:
    from asynclint._lazy import cst


class LoopArgument(Rule):
    """Flags `loop=` passed to asyncio APIs that no longer accept it (removed in Python 3.10).

    ## What it does
    Reports a `loop=` keyword argument to `asyncio.sleep`, `gather`, `wait`, `wait_for`,
    `shield`, `as_completed`, the queues (`Queue`, `PriorityQueue`, `LifoQueue`), the
    synchronization primitives (`Lock`, `Event`, `Condition`, `Semaphore`,
    `BoundedSemaphore`), the stream helpers (`open_connection`, `start_server` and their unix
    variants) and `create_subprocess_exec`/`create_subprocess_shell`. APIs that still take a loop
    (`ensure_future`, `run_coroutine_threadsafe`, `wrap_future`, `StreamReader`, ...) are not
    reported, nor is code under `if sys.version_info < (3, 10):`.

    ## Why is this bad?
    The parameter was deprecated in 3.8 and removed in 3.10: the call raises `TypeError: ...
    got an unexpected keyword argument 'loop'`. These APIs use the running loop.

    ## Example
    ```python
    import asyncio

    async def main(loop):
        lock = asyncio.Lock(loop=loop)
        await asyncio.sleep(1, loop=loop)
    ```

    ## Use instead
    ```python
    import asyncio

    async def main(loop):
        lock = asyncio.Lock()
        await asyncio.sleep(1)
    ```

    ## Fix safety
    Safe: dropping the argument turns a `TypeError` on every Python from 3.10 into the working
    call. When the argument's value is more than a name or an attribute (`loop=get_loop()`), the
    fix is unsafe: dropping it also drops whatever evaluating it did.
    """

    CODE = "AIO306"
    NAME = "loop-argument"
    SINCE = "0.2.0"
    EQUIVALENTS = ()
    TRIGGERS = (("loop",),)
    DEPRECATED_IN = (3, 10)
    MESSAGE = "`{func}()` no longer accepts `loop=` (removed in Python 3.10)"
    FIX = FixFacts(title="Remove the `loop` argument", availability=FixAvailability.ALWAYS, safety=Safety.SAFE)

    def visit_Call(self, node: cst.Call) -> None:
        loop_arg = next((a for a in node.args if a.keyword is not None and a.keyword.value == "loop"), None)
        if loop_arg is None:
            return
        qualified = self.sem.qualified_name(node.func)
        if qualified not in LOOP_PARAMETER_APIS:
            return
        args = [a for a in node.args if a is not loop_arg]
        if args and loop_arg is node.args[-1]:
            args[-1] = args[-1].with_changes(comma=loop_arg.comma)
        simple = isinstance(loop_arg.value, (cst.Name, cst.Attribute))
        safety = Safety.SAFE if simple else Safety.UNSAFE
        fix = self.make_fix(safety, [(node, node.with_changes(args=args))])
        self.report(loop_arg, fix=fix, func=qualified)
