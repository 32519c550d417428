from __future__ import annotations

from typing import TYPE_CHECKING, Any

from asynclint.asyncio_api import COLLECTION_FILLERS, WAIT, WAIT_RETURN_EARLY
from asynclint.rule import FixAvailability, FixFacts, Rule, Safety

if TYPE_CHECKING:
    import libcst as cst
else:
    from asynclint._lazy import cst


class WaitPendingIgnored(Rule):
    """Flags `asyncio.wait()` that can return early whose pending set is thrown away.

    ## What it does
    Reports `await asyncio.wait(...)` with a `timeout=` or with `return_when=FIRST_COMPLETED` or
    `FIRST_EXCEPTION` when the pending set it returns is dropped: `done, _ = await ...`, a
    `pending` name never read, `(await asyncio.wait(...))[0]`, or the whole result discarded.
    The tasks may come in a comprehension, a list literal, or a local collection filled with
    `append`/`add` before the call. Not reported: `return_when=ALL_COMPLETED` without a timeout
    (nothing is left pending), and calls whose tasks are still reachable afterwards: a local
    collection (or a task in the list literal) that the function reads again or hands to anyone,
    a copy of another collection (`set(self.tasks)`), a parameter (the caller's tasks: the caller
    decides what becomes of them), or anything that is not a local (`self.tasks`).

    ## Why is this bad?
    `asyncio.wait()` does not cancel what has not finished. The pending tasks keep running with
    nobody holding them: their results and exceptions are never seen (`Task exception was never
    retrieved`), they compete with the rest of the program, and they can be garbage-collected
    mid-flight.

    ## Example
    ```python
    import asyncio

    async def main(urls, fetch):
        tasks = {asyncio.create_task(fetch(url)) for url in urls}
        done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
        return done.pop().result()
    ```

    ## Use instead
    ```python
    import asyncio

    async def main(urls, fetch):
        tasks = {asyncio.create_task(fetch(url)) for url in urls}
        done, pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
        for task in pending:
            task.cancel()
        return done.pop().result()
    ```

    ## Fix safety
    Unsafe: the fix cancels the pending tasks right after the call, so work that used to go on in
    the background stops. It is offered for `done, pending = await asyncio.wait(...)` statements
    (`_` is renamed to a fresh `pending`).
    """

    CODE = "AIO104"
    NAME = "wait-pending-ignored"
    SINCE = "0.4.0"
    TRIGGERS = (("wait",), ("timeout", "FIRST_"))
    NEEDS_COROUTINE = True
    MESSAGE = "Tasks still pending after `asyncio.wait()` are ignored and keep running"
    FIX = FixFacts(
        title="Cancel the pending tasks after the call", availability=FixAvailability.SOMETIMES, safety=Safety.UNSAFE
    )

    def visit_Call(self, node: cst.Call) -> None:
        if self.sem.qualified_name(node.func) != WAIT or not node.args or not self._returns_early(node):
            return
        outer = self.sem.parent(node)
        if not isinstance(outer, cst.Await) or node.args[0].keyword is not None:
            return
        function = self.sem.enclosing_function(node)
        if function is None or self._still_reachable(node.args[0].value, function, node):
            return
        site = self.sem.parent(outer)
        if isinstance(site, cst.Expr):
            self.report(node)
        elif isinstance(site, cst.Subscript) and site.value is outer and self._is_zero(self.sem.single_index(site)):
            self.report(node)
        elif isinstance(site, cst.Assign) and len(site.targets) == 1:
            target = site.targets[0].target
            if not isinstance(target, cst.Tuple) or len(target.elements) != 2:
                return
            pending = target.elements[1].value
            if not isinstance(pending, cst.Name):
                return
            if pending.value != "_" and (
                self.sem.binding_in(function, pending.value).assignments != 1
                or self.sem.is_read(self.sem.binding_in(function, pending.value))
            ):
                return
            self.report(node, fix=self._fix(site, pending))

    def _returns_early(self, call: cst.Call) -> bool:
        for arg in call.args[1:]:
            if arg.keyword is None:
                continue  # both are keyword-only: not asyncio's wait() as we know it
            if arg.keyword.value == "timeout":
                return not (isinstance(arg.value, cst.Name) and arg.value.value == "None")
            if arg.keyword.value == "return_when":
                value = arg.value
                if isinstance(value, cst.SimpleString):
                    return value.evaluated_value in ("FIRST_COMPLETED", "FIRST_EXCEPTION")
                if self.sem.qualified_name(value) in WAIT_RETURN_EARLY:
                    return True
        return False

    @staticmethod
    def _is_zero(index: Any) -> bool:
        return isinstance(index, cst.Integer) and index.evaluated_value == 0

    def _still_reachable(self, tasks: Any, function: Any, call: cst.Call) -> bool:
        """Can the function still get at the tasks after the call (and so cancel or await them)?"""
        if isinstance(tasks, (cst.List, cst.Set, cst.Tuple)):
            for element in tasks.elements:
                if isinstance(element.value, cst.Call):
                    continue
                if not isinstance(element.value, cst.Name) or self._read_elsewhere(element.value, function):
                    return True
            return False
        if isinstance(tasks, (cst.ListComp, cst.SetComp, cst.GeneratorExp)):
            return False
        if isinstance(tasks, cst.Name):
            return self._read_elsewhere(tasks, function, call)
        return True  # an attribute, a call's result...: kept somewhere we cannot see

    def _read_elsewhere(self, name: cst.Name, function: Any, call: cst.Call | None = None) -> bool:
        binding = self.sem.binding(name)
        if binding is None or binding.scope is not function:
            return True  # not a local of this function
        if binding.is_parameter:
            return True  # the caller's tasks: the caller decides what becomes of them
        if call is not None and any(self._copies_a_kept_collection(value) for value in binding.values):
            return True  # `tasks = set(self._tasks)`: the tasks are still held where they came from
        if self.sem.used_in_nested_scope(binding):
            return True
        return any(read is not name and not self._only_fills(read, call) for read in binding.reads)

    def _only_fills(self, read: cst.Name, call: cst.Call | None) -> bool:
        """`tasks.append(task)` before the wait (and outside any loop around it) only fills the
        collection: the function cannot get at the tasks through it afterwards."""
        if call is None or self.sem.order(read) > self.sem.order(call):
            return False
        attribute = self.sem.parent(read)
        filled = (
            isinstance(attribute, cst.Attribute)
            and attribute.value is read
            and attribute.attr.value in COLLECTION_FILLERS
            and isinstance(self.sem.parent(attribute), cst.Call)
        )
        if not filled:
            return False
        # A loop around both reaches the wait again with the collection in hand.
        loops = (cst.For, cst.While)
        return not any(isinstance(loop, loops) and self.sem.is_inside(call, loop) for loop in self.sem.ancestors(read))

    def _copies_a_kept_collection(self, value: Any) -> bool:
        return (
            isinstance(value, cst.Call)
            and self.sem.qualified_name(value.func) in ("builtins.set", "builtins.list", "builtins.tuple")
            and len(value.args) == 1
            and not isinstance(value.args[0].value, (cst.ListComp, cst.SetComp, cst.GeneratorExp))
        )

    def _fix(self, assign: cst.Assign, pending: cst.Name) -> Any:
        line = self.sem.parent(assign)
        if not isinstance(line, cst.SimpleStatementLine) or len(line.body) != 1:
            return None
        name = pending.value
        if name == "_":
            name = self.sem.fresh_name("pending", assign)
        task = self.sem.fresh_name("task", assign)
        loop = self.sem.parse_statement(f"for {task} in {name}:\n    {task}.cancel()\n")
        new_line = line
        if name != pending.value:
            target: Any = assign.targets[0].target
            elements = list(target.elements)
            elements[1] = elements[1].with_changes(value=cst.Name(name))
            new_assign = assign.with_changes(
                targets=[assign.targets[0].with_changes(target=target.with_changes(elements=elements))]
            )
            new_line = line.with_changes(body=[new_assign])
        return self.make_fix(Safety.UNSAFE, [(line, cst.FlattenSentinel([new_line, loop]))])
