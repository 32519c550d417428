from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from asynclint.asyncio_api import CANCELLED_ERROR, LOGGING_METHODS, SHIELD, SHOWING_CALLS, TRIO
from asynclint.rule import FixAvailability, FixFacts, Rule, Safety
from asynclint.semantic import Run

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
    raising, when their `try` body can be cancelled at all (it awaits something), judged by how
    the coroutine is run:
    - in a *helper* (a coroutine that is awaited, passed to `gather`/`wait_for`, an async
      generator, or one whose use this module does not show) every such handler: the
      cancellation it catches is its caller's, and the caller now carries on;
    - in a task body its owner awaits without cancelling it first (`t = create_task(body())`,
      `t` a local or `self._task` of the same class, then `await t` with no `t.cancel()`
      before it in that function) every such handler too: cancelling the owner while it
      awaits `t` cancels `t`, the body returns, `await t` returns and the owner goes on
      (also `t = tg.create_task(...)` awaited inside its `TaskGroup`: the group's exit no
      longer sees the owner's cancellation; `await asyncio.gather(t)`, `wait_for(t, ...)` and
      `shield(t)` still raise `CancelledError` in the owner on 3.11, and are not counted);
    - in a *task body* (a coroutine function this module only ever hands to `create_task`,
      `ensure_future`, `tg.create_task`, `loop.create_task`, `app.add_task`, directly, through
      a local variable, or through a function of this or another project module that passes
      its first parameter on to one, or a function started by anyio's `tg.start_soon(func,
      ...)` or `await tg.start(func)` with a `task_status` parameter) only when the coroutine
      goes on after the cancellation: a
      broad handler awaits (it treats the cancel as any failure), or the code after the `try`
      awaits (an `if flag:` the handler made false aside), or the loop turns again. Ending
      there, even after an `except CancelledError:` handler or the `finally` awaited its
      clean-up, is the task stopping, and its owner's `task.cancel(); await task` sees it end.
      anyio cancels by cancel scope, level triggered: a child that swallows the cancellation
      and returns ends, and the scope's host still sees its own; one that goes on is cancelled
      again at its next await, so a loop that swallows it spins. `loop.run_in_executor(None,
      func)` starts no task (`func` runs in a thread).

    Not reported:
    - handlers that end in `raise` on every path (`raise`, `raise Other() from err`);
    - handlers that decide about cancellation themselves (`.uncancel()`, `.cancelling()`), and
      broad handlers that hand the exception on (`waiter.set_exception(exc)`, `sys.exc_info()`);
      passing it only to a logger (`logger.error(msg, exc_info=exc)`) is not handing it on;
    - the documented way to wait for a task you just cancelled: `task.cancel()` followed by
      `try: await task` / `except asyncio.CancelledError: pass` (`task` a name, an attribute or
      a subscript like `self._tasks[key]`);
    - a test (`async def test_...`) that makes its own mocks raise `CancelledError` to end the
      loop under test, and catches it, and coroutines defined inside a test function (fake
      handlers that swallow cancellation on purpose, to test what copes with them);
    - handlers an earlier handler of the same `try` already shields from cancellation, handlers
      in plain functions, and modules written for trio.

    ## Why is this bad?
    `task.cancel()` works by raising `CancelledError` inside the task. A coroutine that catches it
    and carries on makes cancellation unreliable: `asyncio.timeout()`, `wait_for()`, TaskGroup
    and `asyncio.run()`'s shutdown all cancel tasks and expect them to stop. A helper that
    returns normally instead hands its caller a result: the `asyncio.timeout()` around the
    caller never raises `TimeoutError`, `wait_for()` returns `None`, the caller goes on.

    ## Example
    ```python
    import asyncio

    async def fetch(connection):
        try:
            return await connection.request()
        except asyncio.CancelledError:
            print("interrupted")
    ```

    ## Use instead
    ```python
    import asyncio

    async def fetch(connection):
        try:
            return await connection.request()
        except asyncio.CancelledError:
            print("interrupted")
            raise
    ```

    ## Fix safety
    Unsafe: the coroutine now ends cancelled instead of going on, so code after the `try` (a
    clean-up such as discord.py's `voice_client.cleanup()` after `except CancelledError: pass`)
    no longer runs on that path: move it into a `finally` if it must. For `except
    asyncio.CancelledError:` the fix appends `raise` to the handler. For `except BaseException:`,
    bare `except:` and tuples naming `CancelledError` among others it binds the exception (`as
    exc`) and ends the handler with `if isinstance(exc, asyncio.CancelledError): raise`, so the
    handler's clean-up still runs and other exceptions are handled as before. No fix in a task
    body: its owner's `task.cancel(); await task` would then raise `CancelledError` into a caller
    that was never cancelled (aiokafka's `producer.stop()`). A task its owner awaits uncancelled
    gets the fix: the owner's `await t` then raises the cancellation it was sent. No fix when
    the handler leaves with `return`, `break` or `continue`: where to re-raise is then a decision for a person. No fix
    either for a handler that re-raises unless the awaited task says it was cancelled (`if not
    self._setup.cancelled(): raise`, python-zeroconf): it means to swallow only the task's own
    cancellation, but cancelling the awaiting coroutine cancels the task too, so the caller's
    cancellation is lost as well (checked on 3.11); the message says so, and telling the two
    apart (`asyncio.current_task().cancelling()`) is the author's change.
    """

    CODE = "AIO603"
    NAME = "cancelled-swallowed"
    SINCE = "0.4.0"
    # A bare `except:` may be spelled with any whitespace before its colon.
    TRIGGERS = (("CancelledError", "BaseException", re.compile(r"except\s*:")),)
    NEEDS_COROUTINE = True
    MESSAGE = "`{handler}` swallows cancellation: {consequence}"
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
                self.sem.always_raises(handler.body.body)
                or self._deliberate(handler, kind)
                or self._awaits_what_it_cancelled(node, coroutine.node)
                or self._test_raises_it_itself(coroutine.node)
                or self._test_scaffolding(coroutine.node)
            ):
                return
            run = self.sem.how_run(coroutine.node)
            task_body = run is Run.TASK
            if task_body and self._ends_the_coroutine(node, handler, kind):
                # A task body that ends after the handler: its task stops (with a result
                # instead of cancelled), and its owner's `task.cancel(); await task` sees it end.
                return
            star = "*" if isinstance(handler, cst.ExceptStarHandler) else ""
            text = ("except" + star + (" " + self.sem.code_for(handler.type) if handler.type else ":")).rstrip(":")
            where = handler.type if handler.type is not None else handler
            if self._asks_the_awaited_task(handler):
                # `if not self._setup.cancelled(): raise` means to tell the awaited task's
                # cancellation from the caller's, but cancelling a coroutine that awaits a task
                # cancels the task too: `.cancelled()` is then true either way. No fix: the
                # author's intent (swallow the task's own cancellation) needs another test.
                message = (
                    f"`{text}` cannot tell whose cancellation it caught: cancelling this "
                    "coroutine cancels the task it awaits, so `.cancelled()` is true either way"
                )
                self.report(where, message=message)
            elif task_body:
                # No fix: the owner's `task.cancel(); await task` would now raise CancelledError
                # into a caller that was never cancelled (aiokafka's `producer.stop()`).
                self.report(where, handler=text, consequence="this task body goes on after cancellation")
            else:
                consequence = "its caller's cancellation is lost"
                if run is Run.AWAITED:
                    consequence = "its task returns, and the owner awaiting it loses its own cancellation"
                if self._generator(coroutine.node):
                    consequence = "the async generator ends quietly, its consumer's cancellation is lost"
                self.report(where, fix=self._fix(node, handler, kind), handler=text, consequence=consequence)
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
            if (
                kind == "broad"
                and isinstance(node, cst.Name)
                and node.value == name
                and self.sem.is_reference(node)
                and not self._only_logged(node)
            ):
                return True
            if (
                kind == "broad"
                and isinstance(node, cst.Call)
                and self.sem.qualified_name(node.func) in _CURRENT_EXCEPTION
            ):
                return True
        return False

    def _only_logged(self, name: Any) -> bool:
        """Is this read of the caught exception only shown (`logger.error(msg, exc_info=exc)`,
        `log.exception(f"... {exc!r}")`, `print(exc)`)?  That reports it, it does not hand it on
        (uvicorn's HTTP `run_asgi`)."""
        # What the caught exception may pass through on its way into a log line.
        showing = (
            cst.Arg,
            cst.FormattedStringExpression,
            cst.FormattedString,
            cst.ConcatenatedString,
            cst.BinaryOperation,
            cst.Tuple,
            cst.Element,
            cst.Attribute,
        )
        node = name
        while True:
            parent = self.sem.parent(node)
            if isinstance(parent, cst.Call) and node is not parent.func:
                func = parent.func
                if isinstance(func, cst.Attribute) and func.attr.value in LOGGING_METHODS:
                    return True
                if self.sem.qualified_name(func) in SHOWING_CALLS:
                    node = parent  # `str(exc)`, `repr(exc)`, `type(exc)`: shown by what holds it
                    continue
                return False
            if parent is None or not isinstance(parent, showing):
                return False
            node = parent

    def _ends_the_coroutine(self, node: Any, handler: Any, kind: str) -> bool:
        """In a task body: after the handler, does the coroutine end without suspending again?
        Then the task stops when cancelled (with a result instead of cancelled, perhaps after
        some synchronous clean-up), and nothing goes on as if it had not been cancelled.  The
        `try`'s `else` never runs after a handler, and its `finally` runs whether or not the
        handler re-raises: awaiting there is clean-up, not going on.  Later code under `if flag:`
        where the handler set `flag` so that the test is false does not run on this path.

        Awaiting in an `except CancelledError:` handler is the task's clean-up on the way out
        (aiokafka's sender finishing its in-flight sends, sanic's stop hooks); a broad handler
        that awaits treats the cancellation as any failure and goes on with it (uvicorn's
        websocket `run_asgi` waiting for the handshake)."""
        if kind == "broad" and self.sem.suspends_in(handler.body):
            return False
        last = handler.body.body[-1] if handler.body.body else None
        ending = last.body[-1] if isinstance(last, cst.SimpleStatementLine) else last
        if isinstance(ending, cst.Return):
            return True
        if isinstance(ending, cst.Continue):
            return False
        flags = self._flags_set_in(handler)
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
            if any(self._suspends_on_path(later, flags) for later in block.body[position + 1 :]):
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

    def _flags_set_in(self, handler: Any) -> dict[str, bool]:
        """`name = True` / `self.done = False` statements of the handler's own block: what each
        flag is when the handler finishes (a flag assigned twice is left out)."""
        flags: dict[str, bool] = {}
        seen: set[str] = set()
        for statement in handler.body.body:
            smalls = statement.body if isinstance(statement, cst.SimpleStatementLine) else [statement]
            for small in smalls:
                if not (isinstance(small, cst.Assign) and len(small.targets) == 1):
                    continue
                target = self.sem.dotted_name(small.targets[0].target)
                value = small.value
                if target is None:
                    continue
                if target in seen:
                    flags.pop(target, None)
                    continue
                seen.add(target)
                if isinstance(value, cst.Name) and value.value in ("True", "False"):
                    flags[target] = value.value == "True"
        return flags

    def _suspends_on_path(self, statement: Any, flags: dict[str, bool]) -> bool:
        """Can `statement` suspend, given the flags the handler set?  Only an `if` testing one
        flag (`if flag:`, `if not flag:`) is followed; a flag assigned in between is not known."""
        if isinstance(statement, cst.If) and flags:
            test, negated = statement.test, False
            if isinstance(test, cst.UnaryOperation) and isinstance(test.operator, cst.Not):
                test, negated = test.expression, True
            name = self.sem.dotted_name(test)
            if name in flags:
                taken = flags[name] != negated
                if taken:
                    return self.sem.suspends_in(statement.body)
                orelse = statement.orelse
                return orelse is not None and self._suspends_on_path(
                    orelse if isinstance(orelse, cst.If) else orelse.body, flags
                )
        return self.sem.suspends_in(statement)

    def _generator(self, function: Any) -> bool:
        return any(isinstance(n, cst.Yield) for n in self.sem.descendants(function.body, into_scopes=False))

    def _test_scaffolding(self, function: Any) -> bool:
        """A coroutine defined inside a test function (a fake handler or server the test builds,
        aiohttp's `test_run_app`): swallowing cancellation there is what the test exercises."""
        return any(
            isinstance(outer, cst.FunctionDef) and outer.name.value.startswith("test")
            for outer in self.sem.ancestors(function)
        )

    def _test_raises_it_itself(self, function: Any) -> bool:
        """A test (`async def test_...`) that makes its own mocks raise `CancelledError`
        (`side_effect=asyncio.CancelledError`, `raise CancelledError` in a fake) to end the loop
        under test, and catches it: the cancellation is the test's own, nobody else's."""
        if not function.name.value.startswith("test"):
            return False
        caught: set[int] = set()
        for node in self.sem.descendants(function.body, into_scopes=False):
            if isinstance(node, (cst.ExceptHandler, cst.ExceptStarHandler)) and node.type is not None:
                caught.update(id(n) for n in (node.type, *self.sem.descendants(node.type)))
        for node in self.sem.descendants(function.body):
            if (
                isinstance(node, (cst.Name, cst.Attribute))
                and id(node) not in caught
                and self.sem.qualified_name(node) == CANCELLED_ERROR
            ):
                return True
        return False

    def _awaits_what_it_cancelled(self, node: Any, function: Any) -> bool:
        """`x.cancel()` earlier in the function, then `try: await x` (or `await asyncio.shield(x)`,
        perhaps under an `if`): every suspension of the `try` body waits for a task cancelled
        before it, so the cancellation caught is expected."""
        code_for = self.sem.code_for
        awaited = set()
        for inner in self.sem.descendants(node.body, into_scopes=False):
            if isinstance(inner, (cst.For, cst.With)) and inner.asynchronous is not None:
                return False
            if not isinstance(inner, cst.Await):
                continue
            expression = inner.expression
            if (
                isinstance(expression, cst.Call)
                and len(expression.args) == 1
                and self.sem.qualified_name(expression.func) == SHIELD
            ):
                expression = expression.args[0].value
            if not self._task_reference(expression):
                return False
            awaited.add(code_for(expression))
        start = self.sem.order(node)
        cancelled = set()
        for candidate in self.sem.descendants(function.body, into_scopes=False):
            if (
                isinstance(candidate, cst.Call)
                and isinstance(candidate.func, cst.Attribute)
                and candidate.func.attr.value == "cancel"
                and self.sem.order(candidate) < start
            ):
                cancelled.add(code_for(candidate.func.value))
        return bool(awaited) and awaited <= cancelled

    def _task_reference(self, expression: Any) -> bool:
        """A name, attribute chain or plain subscript of them (`self._tasks[key]`): something
        that reads the same task twice."""
        while isinstance(expression, (cst.Attribute, cst.Subscript)):
            if isinstance(expression, cst.Subscript):
                index = self.sem.single_index(expression)
                if index is None or not isinstance(index, (cst.Name, cst.Attribute, cst.SimpleString, cst.Integer)):
                    return False
            expression = expression.value
        return isinstance(expression, cst.Name)

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
        if isinstance(handler, cst.ExceptStarHandler) or isinstance(handler.body, cst.SimpleStatementSuite):
            return None
        cancelled = self.sem.module_attribute(node, "asyncio", "CancelledError")
        if cancelled is None:
            return None
        expression, imports = cancelled
        if handler.name is not None:
            if not isinstance(handler.name.name, cst.Name):
                return None
            bound = handler.name.name.value
            if self._rebinds(handler, bound):
                return None
            new_handler = handler
        else:
            bound = self.sem.fresh_name("exc", handler)
            new_type = handler.type if handler.type is not None else cst.Name("BaseException")
            new_handler = handler.with_changes(
                type=new_type,
                name=cst.AsName(name=cst.Name(bound)),
                whitespace_after_except=cst.SimpleWhitespace(" "),
            )
        # Keep the handler's clean-up, then re-raise only cancellation (uvicorn's websocket
        # `run_asgi`: `closed_event.set()`, `transport.close()` still run).
        check = cst.If(
            test=cst.Call(func=cst.Name("isinstance"), args=[cst.Arg(cst.Name(bound)), cst.Arg(expression)]),
            body=cst.IndentedBlock(body=[cst.SimpleStatementLine(body=[cst.Raise()])]),
        )
        statements = list(handler.body.body)
        only_pass = (
            len(statements) == 1
            and isinstance(statements[0], cst.SimpleStatementLine)
            and all(isinstance(s, cst.Pass) for s in statements[0].body)
        )
        body = handler.body.with_changes(body=[check] if only_pass else [*statements, check])
        return self.make_fix(Safety.UNSAFE, [(handler, new_handler.with_changes(body=body))], imports=imports)

    def _rebinds(self, handler: Any, name: str) -> bool:
        """Is the handler's `as` name assigned or deleted inside the handler?"""
        return any(
            (isinstance(node, cst.Name) and node.value == name and self.sem.is_store(node)) or isinstance(node, cst.Del)
            for node in self.sem.descendants(handler.body, into_scopes=False)
        )
