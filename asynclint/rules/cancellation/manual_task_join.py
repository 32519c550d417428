from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from asynclint.asyncio_api import CREATE_TASK, GATHER
from asynclint.rule import FixAvailability, FixFacts, Rule, Safety

if TYPE_CHECKING:
    import libcst as cst
else:
    from asynclint._lazy import cst


class ManualTaskJoin(Rule):
    """Flags tasks created one after another and then awaited by hand (opt-in "modernize" rule).

    ## What it does
    Reports two or more consecutive `t = asyncio.create_task(...)` statements in a coroutine that
    the same block later joins, each task exactly once, with consecutive `await t` / `x = await
    t` statements or a single `await asyncio.gather(t1, t2, ...)`; the tasks are used nowhere
    else, and nothing in between leaves the block early. Opt-in: select `AIO604` to use it.

    ## Why is this bad?
    It works, but when one task fails the others are neither cancelled nor awaited: they keep
    running after the error has propagated, and a second failure is only logged as `Task
    exception was never retrieved`. `asyncio.TaskGroup` (Python 3.11+) cancels the rest on the
    first failure and always waits for every task before the block ends.

    ## Example
    ```python
    import asyncio

    async def fetch(name):
        await asyncio.sleep(0)
        return name

    async def main():
        users = asyncio.create_task(fetch("users"))
        orders = asyncio.create_task(fetch("orders"))
        u, o = await asyncio.gather(users, orders)
        print(u, o)
    ```

    ## Use instead
    ```python
    import asyncio

    async def fetch(name):
        await asyncio.sleep(0)
        return name

    async def main():
        async with asyncio.TaskGroup() as tg:
            users = tg.create_task(fetch("users"))
            orders = tg.create_task(fetch("orders"))
        u, o = users.result(), orders.result()
        print(u, o)
    ```

    ## Fix safety
    Unsafe: a failure now cancels the other tasks and the statements between creation and join,
    and surfaces as an `ExceptionGroup` instead of the bare exception, so `except` clauses
    around it change meaning. Offered when the target is Python 3.11 or newer.
    """

    CODE = "AIO604"
    NAME = "manual-task-join"
    SINCE = "0.4.0"
    DEFAULT = False
    TRIGGERS = (("create_task",),)
    NEEDS_COROUTINE = True
    MESSAGE = "These tasks are created and joined by hand: use an `asyncio.TaskGroup`"
    FIX = FixFacts(
        title="Run the tasks in an `asyncio.TaskGroup` block",
        availability=FixAvailability.SOMETIMES,
        safety=Safety.UNSAFE,
    )

    def visit_IndentedBlock(self, node: cst.IndentedBlock) -> None:
        statements = list(node.body)
        if not statements or self.sem.enclosing_coroutine(statements[0]) is None:
            return
        i = 0
        while i < len(statements):
            run = []
            while i < len(statements) and (name := self._created_task(statements[i])) is not None:
                run.append((statements[i], name))
                i += 1
            if len(run) < 2:
                i += 1 if not run else 0
                continue
            self._check(statements, i, run)

    def _created_task(self, statement: Any) -> str | None:
        if not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
            return None
        small = statement.body[0]
        if (
            not isinstance(small, cst.Assign)
            or len(small.targets) != 1
            or not isinstance(small.targets[0].target, cst.Name)
        ):
            return None
        value = small.value
        if isinstance(value, cst.Call) and self.sem.qualified_name(value.func) == CREATE_TASK:
            return small.targets[0].target.value
        return None

    def _check(self, statements: list[Any], after: int, run: list[tuple[Any, str]]) -> None:
        names = [name for _, name in run]
        if len(set(names)) != len(names):
            return
        function = self.sem.enclosing_coroutine(run[0][0])
        if function is None:
            return
        bindings = {name: self.sem.binding_in(function, name) for name in names}
        for binding in bindings.values():
            if binding.assignments != 1 or len(binding.reads) != 1:
                return
            if self.sem.used_in_nested_scope(binding):
                return
        reads = {name: binding.reads[0] for name, binding in bindings.items()}
        for j in range(after, len(statements)):
            join = self._join(statements, j, names, reads)
            if join is not None:
                middle = statements[after:j]
                if any(self.sem.jumps_out(statement) or self._reads_any(statement, reads) for statement in middle):
                    return
                first_call = run[0][0].body[0].value
                self.report(first_call, fix=self._fix(run, middle, join))
                return
            if self._reads_any(statements[j], reads):
                return

    def _reads_any(self, statement: Any, reads: dict[str, Any]) -> bool:
        return any(self.sem.is_inside(read, statement) for read in reads.values())

    def _join(
        self, statements: list[Any], start: int, names: list[str], reads: dict[str, Any]
    ) -> tuple[str, list[Any]] | None:
        """("gather", [statement]) or ("each", [statements]) joining every task, from `start`."""
        first = statements[start]
        awaited = self._awaited_value(first)
        if awaited is None:
            return None
        if isinstance(awaited, cst.Call) and self.sem.qualified_name(awaited.func) == GATHER:
            args = awaited.args
            if [
                a.value.value if isinstance(a.value, cst.Name) and not a.keyword and not a.star else None for a in args
            ] == names:
                return "gather", [first]
            return None
        joined: list[Any] = []
        seen: set[str] = set()
        for statement in statements[start:]:
            value = self._awaited_value(statement)
            if (
                not isinstance(value, cst.Name)
                or value.value not in names
                or value.value in seen
                or reads[value.value] is not value
            ):
                break
            seen.add(value.value)
            joined.append(statement)
            if len(seen) == len(names):
                return "each", joined
        return None

    @staticmethod
    def _awaited_value(statement: Any) -> Any:
        """X of a statement `await X`, `target = await X` or `return await X`."""
        if not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
            return None
        small = statement.body[0]
        if isinstance(small, (cst.Expr, cst.Assign, cst.Return)) and isinstance(small.value, cst.Await):
            if isinstance(small, cst.Assign) and len(small.targets) != 1:
                return None
            return small.value.expression
        return None

    # -- fix -------------------------------------------------------------------------------
    def _fix(self, run: list[tuple[Any, str]], middle: list[Any], join: tuple[str, list[Any]]) -> Any:
        first = run[0][0]
        if self.sem.target_at(first) < (3, 11):
            return None
        group = self.sem.module_attribute(first, "asyncio", "TaskGroup")
        if group is None:
            return None
        group_class, imports = group
        tg = self.sem.fresh_name("tg", first)
        unused = self._results_unused(join)
        body = []
        for statement, name in run:
            assign = statement.body[0]
            call = assign.value.with_changes(func=cst.Attribute(value=cst.Name(tg), attr=cst.Name("create_task")))
            # A task whose result nobody reads needs no name: the group keeps it.
            small = cst.Expr(value=call) if name in unused else assign.with_changes(value=call)
            body.append(statement.with_changes(body=[small]))
        body[0] = body[0].with_changes(leading_lines=[])
        body.extend(middle)
        block = cst.With(
            items=[cst.WithItem(item=cst.Call(func=group_class), asname=cst.AsName(name=cst.Name(tg)))],
            body=cst.IndentedBlock(body=body),
            asynchronous=cst.Asynchronous(),
            leading_lines=first.leading_lines,
        )
        after = self._results(join)
        edits: list[tuple[Any, Any]] = [(first, cst.FlattenSentinel([block, *after]))]
        for statement in [s for s, _ in run[1:]] + middle + join[1]:
            edits.append((statement, cst.RemovalSentinel.REMOVE))
        return self.make_fix(Safety.UNSAFE, edits, imports=imports)

    @staticmethod
    def _results_unused(join: tuple[str, list[Any]]) -> set[str]:
        """The tasks whose join statement throws the result away (`await t`, `await gather(...)`)."""
        kind, statements = join
        unused: set[str] = set()
        for statement in statements:
            small = statement.body[0]
            if isinstance(small, cst.Expr):
                awaited = cast(Any, small.value).expression
                names = [a.value for a in awaited.args] if kind == "gather" else [awaited]
                unused.update(n.value for n in names if isinstance(n, cst.Name))
        return unused

    def _results(self, join: tuple[str, list[Any]]) -> list[Any]:
        """What replaces the join after the block: the tasks' `.result()` where a value was used."""
        kind, statements = join
        out = []
        for statement in statements:
            small = statement.body[0]
            awaited = small.value.expression
            if kind == "gather":
                results = [self._result_of(a.value) for a in awaited.args]
                if isinstance(small, cst.Expr):
                    continue
                value: Any = (
                    cst.Tuple(elements=[cst.Element(r) for r in results], lpar=[], rpar=[])
                    if isinstance(small, cst.Assign) and isinstance(small.targets[0].target, cst.Tuple)
                    else cst.List(elements=[cst.Element(r) for r in results])
                )
            else:
                if isinstance(small, cst.Expr):
                    continue
                value = self._result_of(awaited)
            out.append(statement.with_changes(body=[small.with_changes(value=value)]))
        return out

    @staticmethod
    def _result_of(name: Any) -> Any:
        return cst.Call(func=cst.Attribute(value=name, attr=cst.Name("result")))
