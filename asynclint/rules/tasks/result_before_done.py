from __future__ import annotations

from typing import TYPE_CHECKING, Any

from asynclint.asyncio_api import FUTURE, TASK_FACTORIES, TASK_FACTORY_METHOD
from asynclint.rule import FixAvailability, FixFacts, Rule, Safety

if TYPE_CHECKING:
    import libcst as cst
else:
    from asynclint._lazy import cst


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
    """

    CODE = "AIO102"
    NAME = "result-before-done"
    SINCE = "0.4.0"
    TRIGGERS = (("result", "exception"), ("create_task", "ensure_future", "Future", "create_future"))
    NEEDS_COROUTINE = True
    MESSAGE = "`{name}.{method}()` before `{name}` can be done raises InvalidStateError"
    FIX = FixFacts(title="Await the task instead", availability=FixAvailability.SOMETIMES, safety=Safety.UNSAFE)

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if not isinstance(func, cst.Attribute) or func.attr.value not in ("result", "exception") or node.args:
            return
        name = func.value
        if not isinstance(name, cst.Name):
            return
        coroutine = self.sem.enclosing_coroutine(node)
        binding = self.sem.binding(name)
        if coroutine is None or binding is None or binding.scope is not coroutine:
            return
        if binding.assignments != 1 or binding.declared:
            return
        values = binding.values
        if len(values) != 1 or not isinstance(values[0], cst.Call):
            return
        kind = self._kind(values[0])
        if kind is None:
            return
        assignment = self.sem.statement_of(values[0])
        if not isinstance(assignment, cst.Assign) or self.sem.is_inside(node, assignment):
            return
        if self.sem.order(node) < self.sem.order(assignment) or not self._nothing_between(assignment, node, name):
            return
        fix = None
        if kind == "task" and func.attr.value == "result":
            fix = self.make_fix(Safety.UNSAFE, [(node, self.sem.awaited(node, name))])
        self.report(node, fix=fix, name=name.value, method=func.attr.value)

    def _kind(self, call: cst.Call) -> str | None:
        qualified = self.sem.qualified_name(call.func)
        if qualified in TASK_FACTORIES:
            return "task"
        if qualified == FUTURE:
            return "future"
        if isinstance(call.func, cst.Attribute):
            if call.func.attr.value == TASK_FACTORY_METHOD:
                return "task"
            if call.func.attr.value == "create_future":
                return "future"
        return None

    def _nothing_between(self, assignment: Any, call: cst.Call, name: cst.Name) -> bool:
        """No suspension point and no other use of the name between the assignment and the call."""
        sem = self.sem
        start, end = sem.order(assignment), sem.order(call)
        function = sem.enclosing_function(call)
        if function is None:
            return False
        binding = sem.binding_in(function, name.value)
        for read in binding.reads:
            if read is not name and start < sem.order(read) < end:
                return False
        if sem.used_in_nested_scope(binding):
            return False  # a callback or closure may be what sets or awaits it
        for node in self.sem.descendants(function.node.body, into_scopes=False):
            if not self.sem.suspends(node):
                continue
            if not isinstance(node, cst.Await) and sem.is_inside(assignment, node) and not sem.is_inside(call, node):
                return False  # the block ends (a TaskGroup exit) between the two
            if start < sem.order(node) < end and not sem.is_inside(call, node):
                return False
        return True
