from __future__ import annotations

from typing import Any

from asynclint._lazy import cst
from asynclint.analysis import descendants, suspends
from asynclint.fixes import awaited
from asynclint.rule import FixAvailability, Rule, Safety

_TASKS = ("asyncio.create_task", "asyncio.ensure_future")


class ResultBeforeDone(Rule):
    """Flags `.result()` or `.exception()` on a task or future that cannot have finished yet.

    ## What it does
    Reports `t.result()` and `t.exception()` in a coroutine when `t` was created in the same
    coroutine (`asyncio.create_task()`, `asyncio.ensure_future()`, `tg.create_task()`,
    `loop.create_future()`, `asyncio.Future()`) and nothing between the creation and the call can
    have let it finish: no `await`, `async for` or `async with` (so also no TaskGroup exit), and
    no other use of `t` (`await t`, `t.done()`, `asyncio.wait([t])`, `t.set_result()`, handing it
    to anything). Calls in a done-callback or any other nested function are not reported.

    ## Why is this bad?
    A new task only starts running when the coroutine that created it suspends, and a future only
    gets a result when someone sets it. Until then `result()` and `exception()` raise
    `asyncio.InvalidStateError: Result is not set.`, every time.

    ## Example
    ```python
    import asyncio

    async def compute():
        return 42

    async def main():
        task = asyncio.create_task(compute())
        print(task.result())
    ```

    ## Use instead
    ```python
    import asyncio

    async def compute():
        return 42

    async def main():
        task = asyncio.create_task(compute())
        print(await task)
    ```

    ## Fix safety
    Unsafe: the fix replaces `t.result()` with `await t`, which adds a suspension point. It is
    offered for tasks only: awaiting a bare future that nothing can set would wait forever, and
    `exception()` has no awaitable twin.

    ## Since
    0.4.0
    """

    CODE = "AIO102"
    NAME = "result-before-done"
    TRIGGERS = (("result", "exception"), ("create_task", "ensure_future", "Future", "create_future"))
    NEEDS_COROUTINE = True
    MESSAGE = "`{name}.{method}()` before `{name}` can be done raises InvalidStateError"
    FIX_TITLE = "Await the task instead"
    FIX_AVAILABILITY = FixAvailability.SOMETIMES
    FIX_SAFETY = Safety.UNSAFE

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if not isinstance(func, cst.Attribute) or func.attr.value not in ("result", "exception") or node.args:
            return
        name = func.value
        if not isinstance(name, cst.Name):
            return
        coroutine = self.enclosing_coroutine(node)
        if coroutine is None or self.analysis.lookup(name.value, self.analysis.scope_of(name)) is not coroutine:
            return
        if coroutine.bindings.get(name.value) != 1 or name.value in coroutine.declared:
            return
        values = coroutine.values.get(name.value, [])
        if len(values) != 1 or not isinstance(values[0], cst.Call):
            return
        kind = self._kind(values[0])
        if kind is None:
            return
        assignment = self.analysis.statement_of(values[0])
        if not isinstance(assignment, cst.Assign) or self.analysis.is_inside(node, assignment):
            return
        if self.analysis.order(node) < self.analysis.order(assignment) or not self._nothing_between(
            assignment, node, name
        ):
            return
        fix = None
        if kind == "task" and func.attr.value == "result":
            fix = self.make_fix(Safety.UNSAFE, [(node, awaited(self.analysis, node, name))])
        self.report(node, fix=fix, name=name.value, method=func.attr.value)

    def _kind(self, call: cst.Call) -> str | None:
        qualified = self.qualified_name(call.func)
        if qualified in _TASKS:
            return "task"
        if qualified == "asyncio.Future":
            return "future"
        if isinstance(call.func, cst.Attribute):
            if call.func.attr.value == "create_task":
                return "task"
            if call.func.attr.value == "create_future":
                return "future"
        return None

    def _nothing_between(self, assignment: Any, call: cst.Call, name: cst.Name) -> bool:
        """No suspension point and no other use of the name between the assignment and the call."""
        analysis = self.analysis
        start, end = analysis.order(assignment), analysis.order(call)
        function = analysis.enclosing_function(call)
        if function is None:
            return False
        for read in function.reads.get(name.value, []):
            if read is not name and start < analysis.order(read) < end:
                return False
        if analysis.used_in_nested_scope(name.value, function):
            return False  # a callback or closure may be what sets or awaits it
        for node in descendants(function.node.body, into_scopes=False):
            if not suspends(node):
                continue
            if (
                not isinstance(node, cst.Await)
                and analysis.is_inside(assignment, node)
                and not analysis.is_inside(call, node)
            ):
                return False  # the block ends (a TaskGroup exit) between the two
            if start < analysis.order(node) < end and not analysis.is_inside(call, node):
                return False
        return True
