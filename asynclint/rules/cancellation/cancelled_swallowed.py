from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from asynclint.asyncio_api import CANCELLED_ERROR, TASK_FACTORIES, TASK_FACTORY_METHOD, TRIO
from asynclint.rule import FixAvailability, FixFacts, Rule, Safety

if TYPE_CHECKING:
    import libcst as cst
else:
    from asynclint._lazy import cst

# A broad handler that takes the current exception this way hands it on (to a future, a retry
# state, an exit stack) rather than swallowing it.
_CURRENT_EXCEPTION = frozenset({"sys.exc_info", "sys.exception"})


class CancelledSwallowed(Rule):
    """Flags a handler in a coroutine that catches cancellation and can finish without re-raising.

    ## What it does
    Reports, inside an `async def`, `except asyncio.CancelledError:`, `except BaseException:` and
    bare `except:` handlers that can finish (fall through, `return`, `break`, `continue`) without
    raising, when their `try` body can be cancelled at all (it awaits something) and the
    coroutine goes on afterwards: it awaits again, in the handler, after the `try`, or in the
    next turn of a loop. Not reported:
    - handlers that end in `raise` on every path (`raise`, `raise Other() from err`);
    - handlers that decide about cancellation themselves (`.uncancel()`, `.cancelling()`), and
      broad handlers that hand the exception on (`waiter.set_exception(exc)`, `sys.exc_info()`);
    - handlers after which the coroutine ends without suspending again (`return`, or only
      synchronous clean-up left): the task stops, if with a result instead of cancelled. In a
      task body (a coroutine function this module only ever hands to `create_task`,
      `ensure_future` or `tg.create_task`) awaiting in the `finally` is clean-up too: it runs
      whether or not the handler re-raises;
    - handlers an earlier handler of the same `try` already shields from cancellation, and
      handlers in plain functions;
    - the documented way to wait for a task you just cancelled: `task.cancel()` followed by
      `try: await task` / `except asyncio.CancelledError: pass`.

    ## Why is this bad?
    `task.cancel()` works by raising `CancelledError` inside the task. A coroutine that catches it
    and carries on makes cancellation unreliable: `asyncio.timeout()`, `wait_for()`, TaskGroup
    and `asyncio.run()`'s shutdown all cancel tasks and expect them to stop; a swallowed
    cancellation leaves the task running and can make them hang.

    ## Example
    ```python
    import asyncio

    async def worker(queue):
        while True:
            try:
                job = await queue.get()
                print(job)
            except asyncio.CancelledError:
                print("stopping")
    ```

    ## Use instead
    ```python
    import asyncio

    async def worker(queue):
        while True:
            try:
                job = await queue.get()
                print(job)
            except asyncio.CancelledError:
                print("stopping")
                raise
    ```

    ## Fix safety
    Unsafe: the task now ends cancelled instead of going on. For `except asyncio.CancelledError:`
    the fix appends `raise` to the handler. For `except BaseException:` and bare `except:` it adds
    an `except asyncio.CancelledError: raise` handler in front, so other exceptions are handled as
    before. No fix when the handler leaves with `return`, `break` or `continue`: where to re-raise
    is then a decision for a person. No fix either for a handler that re-raises unless the awaited
    task says it was cancelled (`if not self._setup.cancelled(): raise`, python-zeroconf): it means
    to swallow only the task's own cancellation, but cancelling the awaiting coroutine cancels the
    task too, so the caller's cancellation is lost as well (checked on 3.11); the message says so,
    and telling the two apart (`asyncio.current_task().cancelling()`) is the author's change.
    """

    CODE = "AIO603"
    NAME = "cancelled-swallowed"
    SINCE = "0.4.0"
    # A bare `except:` may be spelled with any whitespace before its colon.
    TRIGGERS = (("CancelledError", "BaseException", re.compile(r"except\s*:")),)
    NEEDS_COROUTINE = True
    MESSAGE = "`{handler}` can finish without re-raising: it swallows cancellation"
    FIX = FixFacts(title="Re-raise `CancelledError`", availability=FixAvailability.SOMETIMES, safety=Safety.UNSAFE)

    def visit_Try(self, node: cst.Try) -> None:
        self._check(node)

    def visit_TryStar(self, node: cst.TryStar) -> None:
        self._check(node)

    def _check(self, node: Any) -> None:
        coroutine = self.sem.enclosing_coroutine(node)
        if coroutine is None or all(self._catches(h.type) is None for h in node.handlers):
            return
        if not self.sem.suspends_in(node.body):  # cancellation arrives at a suspension point
            return
        for handler in node.handlers:
            kind = self._catches(handler.type)
            if kind is None:
                continue
            if kind == "broad" and self._other_event_loop():
                return  # trio's cancellation is not asyncio's: it is delivered again at the next checkpoint
            if (
                not self.sem.always_raises(handler.body.body)
                and not self._deliberate(handler, kind)
                and not self._ends_the_coroutine(node, handler, self._is_task_body(coroutine.node))
                and not self._awaits_what_it_cancelled(node, coroutine.node)
            ):
                star = "*" if isinstance(handler, cst.ExceptStarHandler) else ""
                text = "except" + star + (" " + self.sem.code_for(handler.type) if handler.type else ":")
                where = handler.type if handler.type is not None else handler
                if self._asks_the_awaited_task(handler):
                    # `if not self._setup.cancelled(): raise` means to tell the awaited task's
                    # cancellation from the caller's, but cancelling a coroutine that awaits a task
                    # cancels the task too: `.cancelled()` is then true either way. No fix: the
                    # author's intent (swallow the task's own cancellation) needs another test.
                    message = (
                        f"`{text.rstrip(':')}` cannot tell whose cancellation it caught: cancelling this "
                        "coroutine cancels the task it awaits, so `.cancelled()` is true either way"
                    )
                    self.report(where, message=message)
                else:
                    self.report(where, fix=self._fix(node, handler, kind), handler=text.rstrip(":"))
            return  # later handlers never see the cancellation

    # -- detection ------------------------------------------------------------------------
    def _other_event_loop(self) -> bool:
        """A module written for trio (it imports trio and nothing from asyncio)."""
        return self.sem.imports(TRIO) and not self.sem.imports("asyncio")

    def _catches(self, expression: Any) -> str | None:
        """ "cancelled" (exactly CancelledError), "broad" (catches it among others) or None."""
        if expression is None:
            return "broad"
        names = [self.sem.qualified_name(e) for e in self.sem.handler_types(expression)]
        if not any(name in (CANCELLED_ERROR, "builtins.BaseException") for name in names):
            return None
        return "cancelled" if names == [CANCELLED_ERROR] else "broad"

    def _asks_the_awaited_task(self, handler: Any) -> bool:
        """`if not task.cancelled(): raise` in the handler (python-zeroconf's `close`)."""
        return any(
            isinstance(node, cst.If) and self._asks_cancelled(node.test) and self.sem.always_raises(node.body.body)
            for node in self.sem.descendants(handler.body, into_scopes=False)
        )

    def _asks_cancelled(self, test: Any) -> bool:
        """Does this test ask a task or future whether *it* was cancelled (`t.cancelled()`)?"""
        for node in (test, *self.sem.descendants(test)):
            if (
                isinstance(node, cst.Call)
                and isinstance(node.func, cst.Attribute)
                and node.func.attr.value == "cancelled"
                and not node.args
            ):
                return True
        return False

    def _deliberate(self, handler: Any, kind: str) -> bool:
        """Does the handler decide about cancellation itself (`.uncancel()`, `.cancelling()`), or,
        for a broad handler, hand the exception on (`fut.set_exception(exc)`, `errors.append(exc)`)?"""
        name = handler.name.name.value if handler.name is not None and isinstance(handler.name.name, cst.Name) else None
        for node in self.sem.descendants(handler.body, into_scopes=False):
            if isinstance(node, cst.Attribute) and node.attr.value in ("uncancel", "cancelling"):
                return True
            if kind == "broad" and isinstance(node, cst.Name) and node.value == name and self.sem.is_reference(node):
                return True
            if (
                kind == "broad"
                and isinstance(node, cst.Call)
                and self.sem.qualified_name(node.func) in _CURRENT_EXCEPTION
            ):
                return True
        return False

    def _ends_the_coroutine(self, node: Any, handler: Any, task_body: bool) -> bool:
        """After the handler, does the coroutine end without suspending again?  Then the task
        stops when cancelled (with a result instead of cancelled, as many background loops are
        written, perhaps after some synchronous clean-up), and nothing goes on as if it had not
        been cancelled.  The `try`'s `else` never runs after a handler; its `finally` runs
        whether or not the handler re-raises, so in a task body (see `_is_task_body`) awaiting
        there is clean-up, not going on."""
        if self.sem.suspends_in(handler.body):
            return False
        last = handler.body.body[-1] if handler.body.body else None
        ending = last.body[-1] if isinstance(last, cst.SimpleStatementLine) else last
        if isinstance(ending, cst.Return):
            return True
        if isinstance(ending, cst.Continue):
            return False
        if not task_body and node.finalbody is not None and self.sem.suspends_in(node.finalbody):
            return False
        statement: Any = node
        if isinstance(ending, cst.Break):  # carry on after the loop the break leaves
            statement = next(
                (a for a in self.sem.ancestors(node) if isinstance(a, (cst.For, cst.While, cst.FunctionDef))), None
            )
            if not isinstance(statement, (cst.For, cst.While)):
                return False
        while True:
            block = self.sem.parent(statement)
            if not isinstance(block, cst.IndentedBlock):
                return False
            position = next(i for i, s in enumerate(block.body) if s is statement)
            if any(self.sem.suspends_in(later) for later in block.body[position + 1 :]):
                return False
            owner = self.sem.parent(block)
            if isinstance(owner, cst.FunctionDef):
                return True
            if isinstance(owner, (cst.For, cst.While)):
                return False  # the loop's next turn goes on
            compound = owner
            while compound is not None and not (
                isinstance(compound, cst.BaseCompoundStatement)
                and isinstance(self.sem.parent(compound), cst.IndentedBlock)
            ):
                compound = self.sem.parent(compound)
            if compound is None:
                return False
            statement = compound

    def _is_task_body(self, function: Any) -> bool:
        """Is this coroutine function only ever run as a task: every use of it in this module is
        a call handed straight to a task factory (`create_task(self._run())`, `ensure_future`,
        `tg.create_task`, `loop.create_task`), and there is one at least?  Its task ends when the
        coroutine ends; whoever cancels it learns nothing from the task's final state that a
        quiet return hides from an owner that cancels and then awaits it."""
        name = function.name.value
        owner = self.sem.scope_of(function)
        uses: list[Any] = []
        if owner.kind == "class":  # a method: `self.name(...)`, `obj.name(...)` anywhere here
            uses = [n for n in self.sem.nodes() if isinstance(n, cst.Attribute) and n.attr.value == name]
        else:
            binding = self.sem.binding_at(name, function)
            if binding is None or binding.function is not function:
                return False
            uses = self.sem.reads_of(binding)
        if not uses:
            return False
        for use in uses:
            call = self.sem.parent(use)
            if not (isinstance(call, cst.Call) and call.func is use):
                return False
            argument = self.sem.parent(call)
            factory = self.sem.parent(argument)
            if not (isinstance(argument, cst.Arg) and isinstance(factory, cst.Call) and factory.args[0] is argument):
                return False
            func = factory.func
            known = self.sem.qualified_name(func) in TASK_FACTORIES or (
                isinstance(func, cst.Attribute) and func.attr.value == TASK_FACTORY_METHOD
            )
            if not known:
                return False
        return True

    def _awaits_what_it_cancelled(self, node: Any, function: Any) -> bool:
        """`x.cancel()` earlier in the function, then `try: await x`: the cancellation is expected."""
        code_for = self.sem.code_for
        awaited = set()
        for statement in node.body.body:
            if isinstance(statement, cst.SimpleStatementLine) and len(statement.body) == 1:
                small = statement.body[0]
            elif isinstance(statement, cst.BaseSmallStatement):  # `try: await task`
                small = statement
            else:
                return False
            value = small.value if isinstance(small, (cst.Expr, cst.Assign, cst.AnnAssign)) else None
            if not isinstance(value, cst.Await) or not isinstance(value.expression, (cst.Name, cst.Attribute)):
                return False
            awaited.add(code_for(value.expression))
        start = self.sem.order(node)
        for candidate in self.sem.descendants(function.body, into_scopes=False):
            if (
                isinstance(candidate, cst.Call)
                and isinstance(candidate.func, cst.Attribute)
                and candidate.func.attr.value == "cancel"
                and self.sem.order(candidate) < start
                and code_for(candidate.func.value) in awaited
            ):
                return True
        return False

    # -- fix ------------------------------------------------------------------------------
    def _fix(self, node: Any, handler: Any, kind: str) -> Any:
        if self.sem.jumps_out(handler.body):
            return None
        if kind == "cancelled":
            if isinstance(handler.body, cst.SimpleStatementSuite):  # `except CancelledError: pass`
                small = [s for s in handler.body.body if not isinstance(s, cst.Pass)]
                body = handler.body.with_changes(body=[*small, cst.Raise()])
                return self.make_fix(Safety.UNSAFE, [(handler.body, body)])
            statements = list(handler.body.body)
            reraise = cst.SimpleStatementLine(body=[cst.Raise()])
            only_pass = (
                len(statements) == 1
                and isinstance(statements[0], cst.SimpleStatementLine)
                and all(isinstance(s, cst.Pass) for s in statements[0].body)
            )
            if only_pass:
                statements = [statements[0].with_changes(body=[cst.Raise()])]
            else:
                statements.append(reraise)
            body = handler.body.with_changes(body=statements)
            return self.make_fix(Safety.UNSAFE, [(handler.body, body)])
        if isinstance(handler, cst.ExceptStarHandler):
            return None
        cancelled = self.sem.module_attribute(node, "asyncio", "CancelledError")
        if cancelled is None:
            return None
        expression, imports = cancelled
        shield = cst.ExceptHandler(
            body=cst.IndentedBlock(body=[cst.SimpleStatementLine(body=[cst.Raise()])]),
            type=expression,
            leading_lines=handler.leading_lines,
        )
        handlers = []
        for existing in node.handlers:
            if existing is handler:
                handlers.append(shield)
                existing = existing.with_changes(leading_lines=[])
            handlers.append(existing)
        return self.make_fix(Safety.UNSAFE, [(node, node.with_changes(handlers=handlers))], imports=imports)
