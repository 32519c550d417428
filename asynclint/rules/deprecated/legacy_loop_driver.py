from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from asynclint.asyncio_api import (
    GET_EVENT_LOOP,
    LOOP_CLEANUP,
    NEW_EVENT_LOOP,
    SET_EVENT_LOOP,
    TEST_CASE,
    TEST_FIXTURE_METHODS,
    TEST_MODULE_FIXTURES,
)
from asynclint.rule import Fix, FixAvailability, FixFacts, Rule, Safety

if TYPE_CHECKING:
    import libcst as cst

    from asynclint.semantic import Semantic
else:
    from asynclint._lazy import cst


@dataclass
class _Uses:
    """How a driver's loop variable is used, statement by statement."""

    runs: list[tuple[Any, Any]] = field(default_factory=list)  # (statement, run_until_complete call)
    removable: list[Any] = field(default_factory=list)  # close(), set_event_loop(loop), cleanup runs
    other: bool = False  # anything else: run_forever, a signal handler, handed to a thread, ...


class LegacyLoopDriver(Rule):
    """Flags coroutines driven by hand with `run_until_complete()` instead of `asyncio.run()`.

    ## What it does
    In sync code, reports `asyncio.get_event_loop()` or `asyncio.new_event_loop()` whose loop
    is then driven with `run_until_complete(...)` (and usually closed), including the one-liner
    `asyncio.get_event_loop().run_until_complete(main())`. Also reports `get_event_loop()` at
    module level whatever it is used for, and in the fixtures of a plain `unittest.TestCase`
    (`setUp`, `tearDown`, `setUpClass`, `tearDownClass`, and `setUpModule`/`tearDownModule`),
    which unittest calls with no event loop running (not in `IsolatedAsyncioTestCase`, whose
    runner has set its loop by then; other sync functions and `__init__` may run inside a loop,
    and are not reported). A `new_event_loop()` that is never driven with
    `run_until_complete` (a loop for a background thread, `run_forever`) is not reported, nor is
    code under `if sys.version_info < (3, 10):`.

    ## Why is this bad?
    `get_event_loop()` without a running loop is deprecated (warnings since 3.10 and again
    since 3.12, an error from 3.14). The hand-written driver also skips the clean-up that
    `asyncio.run()` does: cancelling leftover tasks, shutting down async generators and the
    default executor. `asyncio.run()` (one entry point) or `asyncio.Runner` (several) is what
    the documentation recommends.

    ## Example
    ```python
    import asyncio

    async def main():
        await asyncio.sleep(0)

    loop = asyncio.get_event_loop()
    try:
        loop.run_until_complete(main())
    finally:
        loop.close()
    ```

    ## Use instead
    ```python
    import asyncio

    async def main():
        await asyncio.sleep(0)

    asyncio.run(main())
    ```

    ## Fix safety
    Unsafe: `asyncio.run` cancels tasks left running when the coroutine returns and shuts down
    async generators and the default executor, which the old code may not have done. Offered only
    when the loop is used for nothing else (no `run_forever`, signal handlers, callbacks, no loop
    handed to other code) and each `run_until_complete` is given a coroutine call: the assignment,
    `set_event_loop(loop)`, `loop.close()` (and a `try`/`finally` it leaves empty) and
    `run_until_complete(loop.shutdown_asyncgens())` go, and the call becomes `asyncio.run(...)`.
    Several calls become one `with asyncio.Runner() as runner:` block, offered when the target is
    3.11 or newer and the calls sit in one block. `asyncio.run` (and `Runner`) leave the thread
    with no current event loop, where the old driver left one set, so a later
    `asyncio.get_event_loop()` outside a coroutine then raises `RuntimeError`: no fix is offered
    when the module has another such call (another driver, a `setUp`, a helper), even one that
    might run first, nor when such a call sits outside a coroutine in a project module that this
    module imports (`from tests.utils import make_client`, `from .helpers import run`) or, for a
    pytest test module, in a `conftest.py` from its directory up to the project's top (pytest
    loads them into the same process); a module's `if __name__ == "__main__":` block does not
    count (it does not run on import). Modules that those import in turn are not followed.
    """

    CODE = "AIO303"
    NAME = "legacy-loop-driver"
    SINCE = "0.2.0"
    EQUIVALENTS = ()
    TRIGGERS = (("get_event_loop", "new_event_loop"),)
    DEPRECATED_IN = (3, 10)  # get_event_loop() without a running loop warns from 3.10
    MESSAGE = "Coroutine driven by hand with `run_until_complete()`: use `asyncio.run()`"
    FIX = FixFacts(
        title="Replace the loop with `asyncio.run()`", availability=FixAvailability.SOMETIMES, safety=Safety.UNSAFE
    )

    def visit_Call(self, node: cst.Call) -> None:
        found = self._finding(node)
        if found is None:
            return
        fix, message = found
        if fix is not None and self._loop_needed_later(node):
            message = (
                "Coroutine driven by hand with `run_until_complete()`; no `asyncio.run()` fix: it would"
                " leave no event loop for this module's other `asyncio.get_event_loop()` calls"
            )
            fix = None
        elif fix is not None:
            elsewhere = self.sem.modules_calling_outside_coroutines(GET_EVENT_LOOP)
            if elsewhere:
                here = os.path.dirname(self.sem.project.path or "") if self.sem.project is not None else ""
                shown = ", ".join(f"`{os.path.relpath(path, here) if here else path}`" for path in elsewhere[:2])
                more = f" and {len(elsewhere) - 2} more" if len(elsewhere) > 2 else ""
                message = (
                    "Coroutine driven by hand with `run_until_complete()`; no `asyncio.run()` fix: it would"
                    f" leave no event loop for the `asyncio.get_event_loop()` calls of {shown}{more}, which"
                    " run in the same process"
                )
                fix = None
        self.report(node, fix=fix, message=message)

    def _finding(self, node: cst.Call) -> tuple[Fix | None, str | None] | None:
        """(fix, message) when `node` is reported, else None."""
        qualified = self.sem.qualified_name(node.func)
        if qualified not in (GET_EVENT_LOOP, NEW_EVENT_LOOP) or node.args:
            return None
        if self.sem.enclosing_coroutine(node) is not None:
            return None  # AIO302's business (and a running loop makes get_event_loop() fine)
        parent = self.sem.parent(node)
        grandparent = self.sem.parent(parent) if parent is not None else None
        if (
            isinstance(parent, cst.Attribute)
            and parent.attr.value == "run_until_complete"
            and isinstance(grandparent, cst.Call)
        ):
            return self._one_liner_fix(grandparent), None
        statement = self._assignment_statement(node)
        uses = self._uses(statement) if statement is not None else None
        if uses is not None and uses.runs and not (qualified == NEW_EVENT_LOOP and uses.other):
            return (None if uses.other else self._driver_fix(statement, uses)), None
        if qualified != GET_EVENT_LOOP:
            return None
        function = self.sem.enclosing_function(node)
        if function is None:
            return None, "`asyncio.get_event_loop()` without a running loop is deprecated (an error from Python 3.14)"
        fixture = self._test_fixture(function.node)
        if fixture is not None:
            message = (
                f"`asyncio.get_event_loop()` in `{fixture}`, which runs with no event loop running: deprecated"
                " (an error from Python 3.14 unless a loop was set)"
            )
            return None, message
        return None

    def _test_fixture(self, function: Any) -> str | None:
        """The name of a plain `unittest` fixture (`setUp` of a `TestCase`, `setUpModule`) that
        `function` is, else None: unittest calls them with no event loop running."""
        if not isinstance(function, cst.FunctionDef) or function.asynchronous is not None:
            return None
        name = function.name.value
        owner = self.sem.scope_of(function)
        if owner.kind == "module":
            return name if name in TEST_MODULE_FIXTURES else None
        if owner.kind != "class" or name not in TEST_FIXTURE_METHODS:
            return None
        bases = getattr(owner.node, "bases", ())
        return name if any(self.sem.resolves_to(base.value, TEST_CASE) for base in bases) else None

    def _loop_needed_later(self, node: cst.Call) -> bool:
        """Does this module call `get_event_loop()` outside a coroutine anywhere else, in code
        that runs on the target and that no fix of this rule replaces? `asyncio.run()` (and
        `Runner`) leave the thread with no current event loop, where the old driver left one set,
        so such a call (another driver, a `setUp`, a helper) would then raise `RuntimeError`
        (checked on 3.11); which runs first is not known, so any of them withholds the fix."""
        for call in self.sem.calls_outside_coroutines(GET_EVENT_LOOP):
            if call is node or self.sem.runs_only_below(call, self.DEPRECATED_IN or (3, 10)):
                continue
            other = self._finding(call)
            if other is None or other[0] is None:
                return True
        return False

    # -- asyncio.get_event_loop().run_until_complete(main()) ------------------------------------
    def _one_liner_fix(self, call: cst.Call) -> Fix | None:
        argument = self._coroutine_argument(call)
        found = self.sem.module_attribute(call, "asyncio", "run")
        if argument is None or found is None:
            return None
        func, imports = found
        return self.make_fix(Safety.UNSAFE, [(call, call.with_changes(func=func))], imports)

    def _coroutine_argument(self, call: cst.Call) -> Any:
        """The single coroutine-call argument of `run_until_complete(...)`, or None."""
        if len(call.args) != 1 or call.args[0].keyword is not None or call.args[0].star:
            return None
        value = call.args[0].value
        if not isinstance(value, cst.Call) or self.sem.is_future_call(value):
            return None
        return value

    # -- loop = get_event_loop(); loop.run_until_complete(...); loop.close() -----------------
    def _assignment_statement(self, call: cst.Call) -> Any:
        assign = self.sem.parent(call)
        if (
            not isinstance(assign, cst.Assign)
            or len(assign.targets) != 1
            or not isinstance(assign.targets[0].target, cst.Name)
        ):
            return None
        statement = self.sem.parent(assign)
        if not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
            return None
        return statement

    def _uses(self, statement: Any) -> _Uses | None:
        name = statement.body[0].targets[0].target.value
        binding = self.sem.binding_in(self.sem.scope_of(statement), name)
        if binding.scope.kind == "class" or not binding.assigned_once:
            return None
        uses = _Uses(other=self.sem.used_in_nested_scope(binding))  # used by a nested function: not a plain driver
        for read in binding.reads:
            self._classify(read, uses)
        return uses

    def _classify(self, read: Any, uses: _Uses) -> None:
        parent = self.sem.parent(read)
        call = self.sem.parent(parent)
        if (
            isinstance(parent, cst.Attribute)
            and parent.value is read
            and isinstance(call, cst.Call)
            and call.func is parent
        ):
            method = parent.attr.value
            if method in LOOP_CLEANUP and not call.args:
                outer = self.sem.parent(self.sem.parent(call))
                if isinstance(outer, cst.Call) and _method_of(outer) == "run_until_complete":
                    return  # part of a clean-up run, classified with that run
            statement = _statement_of(self.sem, call)
            if method == "run_until_complete" and statement is not None:
                argument = call.args[0].value if len(call.args) == 1 else None
                if isinstance(argument, cst.Call) and _method_of(argument) in LOOP_CLEANUP and not argument.args:
                    uses.removable.append(statement)
                else:
                    uses.runs.append((statement, call))
                return
            if method == "close" and not call.args and statement is not None and _is_expression_statement(statement):
                uses.removable.append(statement)
                return
        elif isinstance(parent, cst.Arg) and isinstance(call, cst.Call) and len(call.args) == 1:
            statement = _statement_of(self.sem, call)
            if (
                self.sem.resolves_to(call.func, SET_EVENT_LOOP)
                and statement is not None
                and _is_expression_statement(statement)
            ):
                uses.removable.append(statement)
                return
        uses.other = True

    def _driver_fix(self, assignment: Any, uses: _Uses) -> Fix | None:
        block = self.sem.parent(assignment)
        if not isinstance(block, (cst.Module, cst.IndentedBlock)):
            return None
        if any(self._coroutine_argument(call) is None for _, call in uses.runs):
            return None
        tries = self._tries(block, [s for s, _ in uses.runs] + uses.removable)
        if tries is None:
            return None
        several = len(uses.runs) > 1
        if several and (
            self.sem.target_at(assignment) < (3, 11) or len({id(self.sem.parent(s)) for s, _ in uses.runs}) != 1
        ):
            return None
        found = self.sem.module_attribute(assignment, "asyncio", "Runner" if several else "run")
        if found is None:
            return None
        func, imports = found
        rewriter = _Rewriter(
            runs={id(s): call for s, call in uses.runs},
            drop={id(s) for s in uses.removable} | {id(assignment)},
            tries=tries,
            func=func,
            runner=self.sem.fresh_name("runner", assignment) if several else None,
        )
        new_body = rewriter.rewrite(list(block.body))
        if not new_body:
            return None
        title = "Replace the loop with `asyncio.Runner()`" if several else None
        return self.make_fix(Safety.UNSAFE, [(block, block.with_changes(body=new_body))], imports, title=title)

    def _tries(self, block: Any, statements: list[Any]) -> set[int] | None:
        """The `try` statements (directly in `block`) that hold some of `statements` in their body
        or `finally`; None when one of them sits anywhere else."""
        tries: set[int] = set()
        for statement in statements:
            suite = self.sem.parent(statement)
            if suite is block:
                continue
            owner = self.sem.parent(suite)
            if isinstance(owner, cst.Finally):
                owner = self.sem.parent(owner)
            elif not (isinstance(owner, cst.Try) and owner.body is suite):
                return None
            if not isinstance(owner, cst.Try) or self.sem.parent(owner) is not block:
                return None
            tries.add(id(owner))
        return tries


@dataclass
class _Rewriter:
    """Builds a block's new statements: runs rewritten, the loop's statements dropped, the `try`s
    they leave without purpose unwrapped, and several runs gathered in one Runner block."""

    runs: dict[int, Any]
    drop: set[int]
    tries: set[int]
    func: Any
    runner: str | None

    def rewrite(self, statements: list[Any]) -> list[Any]:
        out: list[Any] = []
        pending: list[Any] = []  # blank lines and comments above dropped statements
        first_run = last_run = None
        for statement in statements:
            if id(statement) in self.drop:
                pending.extend(statement.leading_lines)
                continue
            if id(statement) in self.runs:
                new = [self._run(statement)]
                first_run = len(out) if first_run is None else first_run
                last_run = len(out)
            elif id(statement) in self.tries:
                new = self._try(statement)
            else:
                new = [statement]
            if new and pending:
                new[0] = new[0].with_changes(leading_lines=[*pending, *new[0].leading_lines])
                pending = []
            out.extend(new)
        if self.runner is not None and first_run is not None and last_run is not None and first_run != last_run:
            out[first_run : last_run + 1] = [self._with_runner(out[first_run : last_run + 1])]
        return out

    def _run(self, statement: Any) -> Any:
        call = self.runs[id(statement)]
        func = self.func if self.runner is None else cst.Attribute(value=cst.Name(self.runner), attr=cst.Name("run"))
        small = statement.body[0]
        return statement.with_changes(body=[small.with_changes(value=call.with_changes(func=func))])

    def _with_runner(self, statements: list[Any]) -> Any:
        leading = statements[0].leading_lines
        statements = [statements[0].with_changes(leading_lines=()), *statements[1:]]
        item = cst.WithItem(item=cst.Call(func=self.func), asname=cst.AsName(name=cst.Name(self.runner or "runner")))
        return cst.With(items=[item], body=cst.IndentedBlock(body=statements), leading_lines=leading)

    def _try(self, node: Any) -> list[Any]:
        body = self.rewrite(list(node.body.body)) or [cst.SimpleStatementLine(body=[cst.Pass()])]
        final = self.rewrite(list(node.finalbody.body.body)) if node.finalbody is not None else []
        new_body = node.body.with_changes(body=body)
        if final:
            finalbody = node.finalbody.with_changes(body=node.finalbody.body.with_changes(body=final))
            return [node.with_changes(body=new_body, finalbody=finalbody)]
        if node.handlers or node.orelse is not None:
            return [node.with_changes(body=new_body, finalbody=None)]
        # Nothing left to guard: the `try` goes and its body takes its place.
        body[0] = body[0].with_changes(leading_lines=[*node.leading_lines, *body[0].leading_lines])
        return body


def _method_of(call: Any) -> str | None:
    return call.func.attr.value if isinstance(call.func, cst.Attribute) else None


def _statement_of(sem: Semantic, call: Any) -> Any:
    """The one-statement line whose statement is `call`, `x = call`, `x: T = call` or `return call`."""
    small = sem.parent(call)
    if not isinstance(small, (cst.Expr, cst.Assign, cst.AnnAssign, cst.Return)) or small.value is not call:
        return None
    line = sem.parent(small)
    if not isinstance(line, cst.SimpleStatementLine) or len(line.body) != 1:
        return None
    return line


def _is_expression_statement(line: Any) -> bool:
    return isinstance(line.body[0], cst.Expr)
