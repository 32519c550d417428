from __future__ import annotations

from typing import TYPE_CHECKING, Any

from asynclint.asyncio_api import FUTURE, LOOP_SCHEDULERS, SLEEP, TASK_FACTORIES, TASK_FACTORY_METHOD
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
    to anything). Two uses do not count: scheduling one of its methods on the loop
    (`loop.call_later(d, fut.set_result, x)`, `call_soon`, `call_at`: it runs only once the loop
    gets control), and `await asyncio.sleep(0)` statements when the task's coroutine (a function
    of the module or a method of the class) opens with at least as many `await asyncio.sleep(0)`
    or with an `await asyncio.sleep(d)` (each `sleep(0)` lets the task run only up to its next
    suspension point). A future assigned to an attribute as well (`w = self._waiter =
    loop.create_future()`) has an owner that completes it and is not reported. Calls in a
    done-callback or any other nested function are not reported.

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
        if len(assignment.targets) != 1:
            return  # `w = reader._waiter = loop.create_future()`: handed to an owner that completes it
        if self.sem.order(node) < self.sem.order(assignment):
            return
        if not self._nothing_between(assignment, node, name, self._suspensions_before_done(values[0], kind)):
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

    def _nothing_between(self, assignment: Any, call: cst.Call, name: cst.Name, task_suspends: int) -> bool:
        """No suspension point and no other use of the name between the assignment and the call.
        `await asyncio.sleep(0)` is allowed `task_suspends` times: each lets the task run only up
        to its next suspension point, and its coroutine is known to suspend that often."""
        sem = self.sem
        start, end = sem.order(assignment), sem.order(call)
        function = sem.enclosing_function(call)
        if function is None:
            return False
        binding = sem.binding_in(function, name.value)
        scheduled = False
        for read in binding.reads:
            if read is not name and start < sem.order(read) < end:
                if not self._scheduled_callback(read):
                    return False
                scheduled = True
        if sem.used_in_nested_scope(binding):
            return False  # a callback or closure may be what sets or awaits it
        yields = 0
        for node in self.sem.descendants(function.node.body, into_scopes=False):
            if not self.sem.suspends(node):
                continue
            if not isinstance(node, cst.Await) and sem.is_inside(assignment, node) and not sem.is_inside(call, node):
                return False  # the block ends (a TaskGroup exit) between the two
            if start < sem.order(node) < end and not sem.is_inside(call, node):
                if not self._single_yield(node, assignment):
                    return False
                yields += 1
        # A scheduled callback runs at the first suspension, so only with no sleep at all.
        return yields == 0 or (not scheduled and yields <= task_suspends)

    def _scheduled_callback(self, read: cst.Name) -> bool:
        """`loop.call_soon(fut.set_result, x)` (also `call_later`, `call_at`): the method runs only
        when the loop gets control, not now."""
        sem = self.sem
        attribute = sem.parent(read)
        if not isinstance(attribute, cst.Attribute) or attribute.value is not read:
            return False
        arg = sem.parent(attribute)
        schedule = sem.parent(arg)
        return (
            isinstance(arg, cst.Arg)
            and arg.keyword is None
            and isinstance(schedule, cst.Call)
            and isinstance(schedule.func, cst.Attribute)
            and schedule.func.attr.value in LOOP_SCHEDULERS
            and sem.is_event_loop(schedule.func.value)
        )

    def _single_yield(self, node: Any, assignment: Any) -> bool:
        """`await asyncio.sleep(0)` as a statement, run once between the two (in no loop that does
        not also hold the assignment): one pass of the loop, no more."""
        sem = self.sem
        if not isinstance(node, cst.Await) or not self._is_sleep(node.expression, zero=True):
            return False
        if not isinstance(sem.parent(node), cst.Expr):
            return False
        return not any(
            isinstance(loop, (cst.For, cst.While)) and not sem.is_inside(assignment, loop)
            for loop in sem.ancestors(node)
        )

    def _is_sleep(self, expression: Any, zero: bool) -> bool:
        """`asyncio.sleep(0)` (zero) or `asyncio.sleep(<positive literal>)` (not zero)."""
        if not isinstance(expression, cst.Call) or self.sem.qualified_name(expression.func) != SLEEP:
            return False
        if not expression.args or expression.args[0].keyword is not None:
            return False
        delay = expression.args[0].value
        if not isinstance(delay, (cst.Integer, cst.Float)):
            return False
        seconds = delay.evaluated_value
        return seconds == 0 if zero else seconds > 0

    def _suspensions_before_done(self, creation: cst.Call, kind: str) -> int:
        """How many times the task's coroutine surely suspends before it can finish: the
        `await asyncio.sleep(0)` statements that open its body (an `asyncio.sleep(d > 0)` counts
        as many: its timer cannot fire within a few passes of the loop). 0 when not known."""
        if kind != "task" or not creation.args or not isinstance(creation.args[0].value, cst.Call):
            return 0
        definition = self.sem.called_definition(creation.args[0].value.func)
        if definition is None or definition.asynchronous is None:
            return 0
        body = definition.body.body if isinstance(definition.body, cst.IndentedBlock) else ()
        count = 0
        for index, line in enumerate(body):
            small = line.body if isinstance(line, cst.SimpleStatementLine) else ()
            if len(small) != 1 or not isinstance(small[0], cst.Expr):
                break
            value = small[0].value
            if index == 0 and isinstance(value, (cst.SimpleString, cst.ConcatenatedString)):
                continue  # the docstring
            if not isinstance(value, cst.Await):
                break
            if self._is_sleep(value.expression, zero=False):
                return _MANY
            if not self._is_sleep(value.expression, zero=True):
                break
            count += 1
        return count


_MANY = 1_000
