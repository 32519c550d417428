from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

from asynclint.asyncio_api import (
    ASYNC_CONTEXT_PRIMITIVES,
    COROUTINE_DECORATOR,
    COROUTINE_WRAPPERS,
    GENERATOR_TYPES,
    RUN_AS_COROUTINE,
    RUNNER_METHODS,
)
from asynclint.rule import Fix, FixAvailability, FixFacts, Rule, Safety
from asynclint.semantic import Callee

if TYPE_CHECKING:
    import libcst as cst
else:
    from asynclint._lazy import cst


_PLAIN_PROTOCOL_METHODS = frozenset({"__aiter__", "__await__"})
"""Methods the async protocols call as plain functions: `async def` would break them."""


class GeneratorCoroutine(Rule):
    """Flags `@asyncio.coroutine`, the generator-based coroutines removed in Python 3.11.

    ## What it does
    Reports the `@asyncio.coroutine` decorator (however `asyncio` or `coroutine` was imported),
    and `asyncio.coroutine(...)` called as a function (`f = asyncio.coroutine(f)`,
    `side_effect=asyncio.coroutine(lambda: value)`). Also reports undecorated generators used
    as coroutines: one whose `yield from` takes a call known to make a native coroutine (a
    `TypeError: cannot 'yield from' a coroutine object in a non-coroutine generator`), or whose
    call is handed to asyncio to run (`ensure_future(f())`, `loop.run_until_complete(f())`,
    `asyncio.wait([f()])`: asyncio stops accepting generators in 3.12). Code under
    `if sys.version_info < (3, 11):` only runs where the decorator exists and is not reported.

    ## Why is this bad?
    Generator-based coroutines were deprecated in 3.8 and removed in 3.11: on 3.11 and later the
    module fails at import time with `AttributeError: module 'asyncio' has no attribute
    'coroutine'`. Native coroutines (`async def` with `await`) replace them.

    ## Example
    ```python
    import asyncio
    from asyncio import coroutine, sleep

    @coroutine
    def fetch(delay):
        yield from sleep(delay)
        return "done"
    ```

    ## Use instead
    ```python
    import asyncio
    from asyncio import sleep

    async def fetch(delay):
        await sleep(delay)
        return "done"
    ```

    ## Fix safety
    `__aiter__` and `__await__` are called by `async for` and `await` as plain functions, so
    there the decorator is removed and the `def` stays plain (unsafe: an awaitable `__aiter__`
    worked before 3.7; as `async def` either one is a `TypeError` on 3.11). Elsewhere:
    safe when the function's own body has no `yield` but `yield from` (a bare `yield` or
    `yield value` makes it a real generator, which `async def` cannot express: no fix then).
    A bare `yield` that never runs is the old idiom for making such a function a generator and
    is dropped: one after a `return`, `raise`, `break` or `continue` of its block, or an
    `if False:` (or `if 0:`) holding only such lines (unsafe when a comment sits on it, as the
    comment goes too). `f = asyncio.coroutine(f)` right after `def f` in the same block is fixed
    as the decorator is, and the assignment removed; other calls (a lambda) get no fix. An
    undecorated generator is converted the same way only when this module uses it, and only as
    a coroutine: every use is a call handed to asyncio to run, awaited, or taken by `yield from`
    in an `@asyncio.coroutine` function (a method, or a name also used otherwise: no fix). A body
    with no `yield` at all returned its value through the decorator, which awaited it when it
    was awaitable: `return x` becomes `return await x` when `x` is a call known to give a
    coroutine or a future; literals, displays, comparisons, string formatting and builtin calls
    are returned as they are; any other value is returned as it is too, and the fix is unsafe
    (an awaitable would reach the caller unawaited, but `await` on a plain value raises
    `TypeError`: aiosmtpd 1.0's handlers return `'451 ...'.format(...)`). A return annotation
    `Generator[Y, S, R]` (`typing` or `collections.abc`) becomes `R`, in modules and in their
    `.pyi` stubs (collected beside them; a stub's `...` body has nothing else to convert); a
    string annotation is kept, and makes the fix unsafe. The
    decorator goes, `def` becomes `async def` and each `yield from x` becomes `await x`
    (parenthesized where precedence needs it); `with (yield from lock):` becomes `async with
    lock:` when `lock` is known to be an asyncio `Lock`, `Semaphore`, `BoundedSemaphore` or
    `Condition` (assigned one, or `self.lock` assigned one in a method): `with (await lock):` has
    been a `TypeError` since 3.9. Where the type of `x` is not known, the fix is unsafe:
    `with (yield from x):` without `as` (held for the block, as locks were) becomes `async with
    x:`, and `with (yield from x) as y:` (a pool handing out a connection) becomes `with (await
    x) as y:`, the same protocol, which works only while `x` still has an `__await__` that
    returns a context manager. Nested functions are left to their own findings.
    An import of `coroutine` (or of `asyncio`) that nothing uses any more is removed. The fix turns
    code that fails on every Python from 3.11 into its working equivalent.
    """

    CODE = "AIO305"
    NAME = "generator-coroutine"
    SINCE = "0.2.0"
    EQUIVALENTS = ()
    TRIGGERS = (("coroutine",),)
    DEPRECATED_IN = (3, 11)
    MESSAGE = "`@asyncio.coroutine` was removed in Python 3.11: use `async def` for `{func}`"
    FIX = FixFacts(
        title="Convert to `async def` with `await`", availability=FixAvailability.SOMETIMES, safety=Safety.SAFE
    )

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        for decorator in node.decorators:
            if self.sem.resolves_to(decorator.decorator, COROUTINE_DECORATOR):
                if node.name.value in _PLAIN_PROTOCOL_METHODS:
                    fix = self._undecorate(node, decorator)
                else:
                    fix = self._fix(node, decorator, decorator.decorator)
                self.report(decorator, fix=fix, func=node.name.value)
                return
        if node.asynchronous is None and not node.decorators:
            self._undecorated(node)

    def _undecorate(self, node: cst.FunctionDef, decorator: cst.Decorator) -> Fix | None:
        """`__aiter__` must return the async iterator itself and `__await__` an iterator: as
        `async def` both break `async for`/`await` (a TypeError on 3.11, checked), so the decorator
        goes and the `def` stays plain. Unsafe: an awaitable `__aiter__` worked before 3.7."""
        dropped = self.sem.import_of(self.sem.root_name(decorator.decorator))
        replacement = node.with_changes(decorators=[d for d in node.decorators if d is not decorator])
        drop = (dropped,) if dropped is not None else ()
        return self.make_fix(Safety.UNSAFE, [(node, replacement)], drop_imports=drop)

    def _undecorated(self, node: cst.FunctionDef) -> None:
        """A plain generator used as a coroutine: its `yield from` takes a native coroutine (a
        `TypeError` in a generator that is not a coroutine), or it is called to be run by asyncio
        (`ensure_future(f())`, `loop.run_until_complete(f())`: generators are refused from 3.12)."""
        targets = [y.value.item for y in _own_yields(node.body) if isinstance(y.value, cst.From)]
        if not targets:
            return
        awaits_coroutine = any(self.sem.is_coroutine_call(t) for t in targets)
        scope = self.sem.scope_of(node)
        binding = self.sem.binding_in(scope, node.name.value) if scope.kind != "class" else None
        uses = [self._use(read) for read in self.sem.reads_of(binding)] if binding is not None else []
        if "wrapped" in uses or (not awaits_coroutine and "runner" not in uses):
            return
        how = "does `yield from` a coroutine" if awaits_coroutine else "is run as a coroutine"
        message = f"Generator `{node.name.value}` {how} without `@asyncio.coroutine`: use `async def`"
        fix = None
        # Converted only when the module uses it as nothing but a coroutine, and at least once.
        if binding is not None and binding.assigned_once and uses and all(u != "other" for u in uses):
            fix = self._fix(node, None, None)
        self.report(node.name, fix=fix, message=message)

    def _use(self, read: Any) -> str:
        """How a read of a generator function's name uses it: "runner" (its call is handed to
        asyncio to run), "await" (awaited, or `yield from` in an `@asyncio.coroutine`),
        "wrapped" (`asyncio.coroutine(f)`, `types.coroutine(f)`), "other"."""
        call = self.sem.parent(read)
        argument = self.sem.parent(call) if isinstance(call, cst.Arg) else None
        if isinstance(argument, cst.Call) and self.sem.resolves_to(argument.func, *COROUTINE_WRAPPERS):
            return "wrapped"  # `f = asyncio.coroutine(f)` (reported there), `types.coroutine(f)`
        if not isinstance(call, cst.Call) or call.func is not read:
            return "other"
        holder = self.sem.parent(call)
        if isinstance(holder, cst.Element):  # `asyncio.wait([f(), g()])`
            holder = self.sem.parent(self.sem.parent(holder))
        if isinstance(holder, cst.Arg) and holder.keyword is None:
            runner = self.sem.parent(holder)
            func = runner.func if isinstance(runner, cst.Call) else None
            if func is not None and (
                self.sem.qualified_name(func) in RUN_AS_COROUTINE
                or (isinstance(func, cst.Attribute) and func.attr.value in RUNNER_METHODS)
            ):
                return "runner"
            return "other"
        if isinstance(holder, cst.Await):
            return "await"
        if isinstance(holder, cst.From):
            function = self.sem.enclosing_function(holder)
            definition = function.node if function is not None else None
            if isinstance(definition, cst.FunctionDef) and any(
                self.sem.resolves_to(d.decorator, COROUTINE_DECORATOR) for d in definition.decorators
            ):
                return "await"
        return "other"

    def visit_Call(self, node: cst.Call) -> None:
        # `f = asyncio.coroutine(f)` or `asyncio.coroutine(lambda: value)`: the same removed
        # function, called instead of applied with `@`.
        if not self.sem.resolves_to(node.func, COROUTINE_DECORATOR):
            return
        target = node.args[0].value if len(node.args) == 1 and not node.args[0].keyword else None
        name = target.value if isinstance(target, cst.Name) else "<lambda>" if isinstance(target, cst.Lambda) else None
        message = f"`asyncio.coroutine()` was removed in Python 3.11: use `async def` for `{name or '...'}`"
        self.report(node, fix=self._called_fix(node, target), message=message)

    def _called_fix(self, call: cst.Call, target: Any) -> Fix | None:
        """`f = asyncio.coroutine(f)` right in the block that defines `def f`: convert the def
        (as the decorator would be) and drop the assignment."""
        assignment = self.sem.parent(call)
        statement = self.sem.parent(assignment)
        if not (
            isinstance(target, cst.Name)
            and isinstance(assignment, cst.Assign)
            and len(assignment.targets) == 1
            and isinstance(assignment.targets[0].target, cst.Name)
            and assignment.targets[0].target.value == target.value
            and isinstance(statement, cst.SimpleStatementLine)
            and len(statement.body) == 1
        ):
            return None
        block = self.sem.parent(statement)
        siblings = list(getattr(block, "body", ()))
        earlier = siblings[: siblings.index(statement)] if statement in siblings else []
        definitions = [s for s in earlier if isinstance(s, cst.FunctionDef) and s.name.value == target.value]
        if len(definitions) != 1 or definitions[0].asynchronous is not None or definitions[0].decorators:
            return None
        edits: list[Any] = [(statement, self.sem.removed_statement(statement))]
        following = siblings[siblings.index(statement) + 1 :]
        if statement.leading_lines and following:
            # The comments above the assignment stay above what follows it, and so do its blank
            # lines when what follows has none of its own.
            after = following[0]
            kept = [line for line in statement.leading_lines if line.comment is not None]
            if not after.leading_lines:
                kept = list(statement.leading_lines)
            if kept:
                edits.append((after, after.with_changes(leading_lines=(*kept, *after.leading_lines))))
        return self._fix(definitions[0], None, call.func, extra=tuple(edits))

    def _fix(
        self, node: cst.FunctionDef, decorator: cst.Decorator | None, reference: Any, extra: tuple[Any, ...] = ()
    ) -> Fix | None:
        dead = _dead_yield_statements(node.body)
        yields = [y for y in _own_yields(node.body) if not any(self.sem.is_inside(y, d) for d in dead)]
        if any(not isinstance(y.value, cst.From) for y in yields):
            return None
        # A comment on a dead `yield` line goes with it.
        safety = Safety.UNSAFE if any("#" in self.sem.code_for(d) for d in dead) else Safety.SAFE
        async_withs: set[cst.With] = set()
        for statement in _own_withs(node.body):
            acquired = [_yield_from_item(item) for item in statement.items]
            if not any(a is not None for a in acquired):
                continue
            if all(a is not None and self._is_async_primitive(a) for a in acquired):
                async_withs.add(statement)  # `with (yield from lock):` -> `async with lock:`
            elif all(a is not None for a in acquired) and all(item.asname is None for item in statement.items):
                # Held for its block, its value unused: how asyncio's locks were acquired, and
                # `async with` is how they are now; unsafe, since the type is not known.
                async_withs.add(statement)
                safety = Safety.UNSAFE
            else:
                # `with (yield from pool) as conn:`: `with (await pool) as conn:` is the same
                # protocol (pool.__await__ gives a context manager), as long as pool still has it.
                safety = Safety.UNSAFE
        awaited: dict[Any, Any] = {}
        if not yields and not dead:
            # No generator at all: `@asyncio.coroutine` awaited what the function returned when it
            # was awaitable (a future, a coroutine) and passed anything else through.
            for statement in _own_returns(node.body):
                value = statement.value
                if value is None or self._never_awaitable(value):
                    continue
                if self.sem.is_coroutine_call(value) or self.sem.is_future_call(value):
                    awaited[statement] = self.sem.awaited(value, value)
                else:
                    # Not known either way: returned as it is (right for a plain value; a caller
                    # would get an awaitable unawaited), since `await` on a plain value raises
                    # TypeError (aiosmtpd 1.0's handlers return `'451 ...'.format(...)`).
                    safety = Safety.UNSAFE
        returns, unused = self._native_returns(node)
        if returns is not None and isinstance(returns.annotation, (cst.SimpleString, cst.ConcatenatedString)):
            safety = Safety.UNSAFE  # a string annotation is kept: it may name the Generator still
        replacement = node.with_changes(
            decorators=[d for d in node.decorators if d is not decorator],
            asynchronous=node.asynchronous or cst.Asynchronous(),
            body=node.body.visit(_await_instead_of_yield_from(async_withs, dead, awaited)),
            returns=returns,
        )
        dropped = [self.sem.import_of(self.sem.root_name(e)) for e in (reference, *unused) if e is not None]
        edits = [(node, replacement), *extra]
        return self.make_fix(safety, edits, drop_imports=tuple(d for d in dropped if d is not None))

    def _never_awaitable(self, value: Any) -> bool:
        """Literals, displays, comparisons, string formatting (`'...'.format()`, `'%s' % x`)
        and builtin calls (`str(x)`): values that are never awaitable."""
        if isinstance(value, _plain_values()) or _is_constant_name(value):
            return True
        if isinstance(value, cst.BinaryOperation):
            return isinstance(value.left, _string_types())
        if not isinstance(value, cst.Call):
            return False
        if isinstance(value.func, cst.Attribute) and isinstance(value.func.value, _string_types()):
            return True
        qualified = self.sem.qualified_name(value.func) or ""
        return qualified.startswith("builtins.") and self.sem.callee_kind(value.func) == Callee.PLAIN

    def _native_returns(self, node: cst.FunctionDef) -> tuple[Any, list[Any]]:
        """`-> Generator[Y, S, R]` (in a module or its `.pyi` stub) becomes `-> R`: a native
        coroutine's annotation names only what it returns. Also the expressions that go with it
        (their imports may be left unused); other annotations stay."""
        returns = node.returns
        annotation = returns.annotation if returns is not None else None
        if returns is None or not isinstance(annotation, cst.Subscript):
            return returns, []
        if self.sem.qualified_name(annotation.value) not in GENERATOR_TYPES:
            return returns, []
        parts: list[Any] = [element.slice for element in annotation.slice]
        if len(parts) != 3 or not all(isinstance(part, cst.Index) for part in parts):
            return returns, []
        return returns.with_changes(annotation=parts[2].value), [annotation.value, parts[0].value, parts[1].value]

    def _is_async_primitive(self, expression: Any) -> bool:
        """Is `expression` known to hold an asyncio Lock, Semaphore or Condition?"""
        values = self.sem.values_of(expression)
        return bool(values) and all(
            isinstance(v, cst.Call) and self.sem.qualified_name(v.func) in ASYNC_CONTEXT_PRIMITIVES
            for v in values or ()
        )


def _yield_from_item(item: Any) -> Any:
    """`x` of a with-item `(yield from x)`, else None."""
    value = item.item
    if isinstance(value, cst.Yield) and isinstance(value.value, cst.From):
        return value.value.item
    return None


def _is_bare_yield_line(statement: Any) -> bool:
    """`yield` alone on its line (no value): the old idiom that made a function a generator."""
    return (
        isinstance(statement, cst.SimpleStatementLine)
        and len(statement.body) == 1
        and isinstance(statement.body[0], cst.Expr)
        and isinstance(statement.body[0].value, cst.Yield)
        and statement.body[0].value.value is None
    )


def _is_false(test: Any) -> bool:
    return (isinstance(test, cst.Name) and test.value == "False") or (
        isinstance(test, cst.Integer) and test.value == "0"
    )


def _dead_yield_statements(body: Any) -> set[Any]:
    """The bare `yield` lines that never run (after a `return`/`raise`/`break`/`continue` of
    their own block), and the `if False:` / `if 0:` statements holding only such lines: written
    only to make `@asyncio.coroutine` functions generators. Nested functions and classes aside."""
    dead: set[Any] = set()
    todo = [body]
    while todo:
        node = todo.pop()
        if isinstance(node, (cst.FunctionDef, cst.ClassDef, cst.Lambda)) and node is not body:
            continue
        if isinstance(node, cst.IndentedBlock):
            jumped = False
            for statement in node.body:
                if jumped and _is_bare_yield_line(statement):
                    dead.add(statement)
                elif (
                    isinstance(statement, cst.If)
                    and statement.orelse is None
                    and _is_false(statement.test)
                    and isinstance(statement.body, cst.IndentedBlock)
                    and any(_is_bare_yield_line(s) for s in statement.body.body)
                    and all(_is_bare_yield_line(s) or _is_pass_line(s) for s in statement.body.body)
                ):
                    dead.add(statement)
                jumped = jumped or (
                    isinstance(statement, cst.SimpleStatementLine)
                    and any(isinstance(s, (cst.Return, cst.Raise, cst.Break, cst.Continue)) for s in statement.body)
                )
        todo.extend(node.children)
    return dead


def _is_pass_line(statement: Any) -> bool:
    return isinstance(statement, cst.SimpleStatementLine) and all(isinstance(s, cst.Pass) for s in statement.body)


def _own_returns(body: Any) -> list[Any]:
    """The `return` statements of a function body, not of functions or classes nested in it."""
    return _own(body, cst.Return)


@functools.cache
def _plain_values() -> tuple[type, ...]:
    """Expressions whose value is never awaitable (literals, displays, comparisons)."""
    return (
        cst.Integer,
        cst.Float,
        cst.Imaginary,
        cst.SimpleString,
        cst.ConcatenatedString,
        cst.FormattedString,
        cst.Tuple,
        cst.List,
        cst.Dict,
        cst.Set,
        cst.ListComp,
        cst.SetComp,
        cst.DictComp,
        cst.GeneratorExp,
        cst.Comparison,
        cst.Lambda,
    )


@functools.cache
def _string_types() -> tuple[type, ...]:
    return (cst.SimpleString, cst.ConcatenatedString, cst.FormattedString)


def _is_constant_name(value: Any) -> bool:
    return isinstance(value, cst.Name) and value.value in ("None", "True", "False")


def _own_withs(body: Any) -> list[Any]:
    """The plain `with` statements of a function body, not of functions or classes nested in it."""
    return [node for node in _own(body, cst.With) if node.asynchronous is None]


def _own_yields(body: Any) -> list[Any]:
    """The `yield` expressions of a function body, not of functions or classes nested in it."""
    return _own(body, cst.Yield)


def _own(body: Any, kind: type) -> list[Any]:
    """The nodes of `kind` in a function body, not in functions, classes or lambdas nested in it."""
    found: list[Any] = []
    todo = [body]
    while todo:
        node = todo.pop()
        if isinstance(node, kind):
            found.append(node)
        if isinstance(node, (cst.FunctionDef, cst.ClassDef, cst.Lambda)):
            continue
        todo.extend(node.children)
    return found


@functools.cache
def _atoms() -> tuple[type, ...]:
    """Expressions that need no parentheses after `await` (`await (a + b)` needs them)."""
    return (
        cst.Name,
        cst.Attribute,
        cst.Call,
        cst.Subscript,
        cst.SimpleString,
        cst.FormattedString,
        cst.Integer,
        cst.Float,
        cst.Imaginary,
        cst.List,
        cst.Dict,
        cst.Set,
        cst.ListComp,
        cst.SetComp,
        cst.DictComp,
        cst.Await,
    )


@functools.cache
def _transformer_class() -> type:
    class AwaitInsteadOfYieldFrom(cst.CSTTransformer):
        """`yield from x` -> `await x` in one function body, nested functions and classes left alone;
        the given `with (yield from lock):` statements become `async with lock:`, the given dead
        `yield` lines (and `if False: yield`) go, the given `return x` become `return await x`."""

        def __init__(self, async_withs: set[Any], dead: set[Any], awaited: dict[Any, Any]) -> None:
            super().__init__()
            self.async_withs = async_withs
            self.dead = dead
            self.awaited = awaited

        def leave_Return(self, original: Any, updated: Any) -> Any:
            if original not in self.awaited:
                return updated
            return updated.with_changes(value=self.awaited[original])

        def leave_IndentedBlock(self, original: Any, updated: Any) -> Any:
            if not any(s in self.dead for s in original.body):
                return updated
            kept = [new for old, new in zip(original.body, updated.body, strict=True) if old not in self.dead]
            return updated.with_changes(body=kept or [cst.SimpleStatementLine(body=[cst.Pass()])])

        def leave_With(self, original: Any, updated: Any) -> Any:
            if original not in self.async_withs:
                return updated
            items = [
                item.with_changes(item=_yield_from_item(old).with_changes(lpar=[], rpar=[]))
                for old, item in zip(original.items, updated.items, strict=True)
            ]
            return updated.with_changes(asynchronous=cst.Asynchronous(), items=items)

        def visit_FunctionDef(self, node: Any) -> bool:
            return False

        def visit_ClassDef(self, node: Any) -> bool:
            return False

        def visit_Lambda(self, node: Any) -> bool:
            return False

        def leave_Yield(self, original: Any, updated: Any) -> Any:
            if not isinstance(updated.value, cst.From):
                return updated
            item = updated.value.item
            atom = isinstance(item, _atoms()) or bool(getattr(item, "lpar", None))
            if not atom:
                item = item.with_changes(lpar=[cst.LeftParen()], rpar=[cst.RightParen()])
            return cst.Await(
                expression=item,
                whitespace_after_await=updated.value.whitespace_after_from,
                lpar=updated.lpar,
                rpar=updated.rpar,
            )

    return AwaitInsteadOfYieldFrom


def _await_instead_of_yield_from(async_withs: set[Any], dead: set[Any], awaited: dict[Any, Any]) -> Any:
    return _transformer_class()(async_withs, dead, awaited)
