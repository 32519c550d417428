from __future__ import annotations

from typing import TYPE_CHECKING

from asynclint.asyncio_api import ASYNC_TIMEOUT_FUNCTIONS, ASYNC_TIMEOUT_LOOP_PARAMETER, ASYNC_TIMEOUT_SINCE
from asynclint.rule import Fix, FixAvailability, FixFacts, Rule, Safety

if TYPE_CHECKING:
    import libcst as cst
else:
    from asynclint._lazy import cst


class AsyncTimeoutPackage(Rule):
    """Flags the `async_timeout` package's context managers, in asyncio itself since Python 3.11.

    ## What it does
    When the target is Python 3.11 or newer, reports calls of `async_timeout.timeout(...)` and
    `async_timeout.timeout_at(...)` (however they were imported), including the old synchronous
    form `with async_timeout.timeout(...):` and the `loop=` argument. Code under
    `if sys.version_info < (3, 11):` is not reported.

    ## Why is this bad?
    `asyncio.timeout()` and `asyncio.timeout_at()` do the same job without a dependency, and
    packages that need `async-timeout` usually declare it only for `python_version < "3.11"`, so
    on 3.11 the import fails. The synchronous `with` form was deprecated in async-timeout 4.0 and
    removed in 5.0 (`TypeError: 'Timeout' object does not support the context manager
    protocol`); `loop=` was removed in 4.0.

    ## Example
    ```python
    import async_timeout

    async def fetch(reader):
        async with async_timeout.timeout(1.5):
            return await reader.read()
    ```

    ## Use instead
    ```python
    import asyncio

    async def fetch(reader):
        async with asyncio.timeout(1.5):
            return await reader.read()
    ```

    ## Fix safety
    Unsafe. `async with async_timeout.timeout(delay):` (and `timeout_at(deadline)`) becomes
    `async with asyncio.timeout(delay):` when the context manager's value is not used (no `as`,
    or the name bound by `as` is never read). Both take the same delay in seconds (`None` for
    no limit) or deadline in `loop.time()`, cancel the task when it passes and raise
    `TimeoutError` out of the block (the same class as `asyncio.TimeoutError` since 3.11). They
    differ when the task is also cancelled from outside as the timeout fires: async-timeout
    before 5.0 turns that into `TimeoutError`, losing the outside cancellation, where asyncio
    lets `CancelledError` through (checked on 3.11 with async-timeout 4.0.3; 5.0 on 3.11 is
    asyncio's class). Where the value is read there is no fix: the objects differ (`expired` is
    a property in async-timeout 3 and 4 and a method in asyncio, so `if cm.expired:` would
    always be true; `remaining`, `shift`, `reject`, `update` and `deadline` have no asyncio
    spelling). A `loop=` argument is dropped: async-timeout only worked with the running loop
    (another raised `RuntimeError` on entry). The synchronous `with async_timeout.timeout(...):`
    inside a coroutine becomes `async with` (a timeout listed first with other context managers
    is split off into its own `async with` around them, keeping the order they are entered and
    left), which also adds an `await` to the block's entry and exit. Other uses (a timeout
    stored in a variable, the call outside a `with`, a keyword delay, a synchronous `with`
    outside a coroutine, the timeout after another item or inside parentheses with others) are
    reported without a fix. An `async_timeout` import that nothing uses any more is removed.
    """

    CODE = "AIO310"
    NAME = "async-timeout-package"
    SINCE = "0.5.0"
    EQUIVALENTS = ()
    TRIGGERS = (("async_timeout",),)
    DEPRECATED_IN = ASYNC_TIMEOUT_SINCE  # code that only runs before 3.11 still needs the package
    MESSAGE = "`{name}()` is `asyncio.{replacement}()` since Python 3.11"
    FIX = FixFacts(title="Use `asyncio.{replacement}()`", availability=FixAvailability.SOMETIMES, safety=Safety.UNSAFE)

    def visit_Call(self, node: cst.Call) -> None:
        name = self.sem.qualified_name(node.func)
        if name not in ASYNC_TIMEOUT_FUNCTIONS or self.sem.target_at(node) < ASYNC_TIMEOUT_SINCE:
            return
        replacement = ASYNC_TIMEOUT_FUNCTIONS[name]
        item = self.sem.parent(node)
        statement = self.sem.parent(item) if isinstance(item, cst.WithItem) else None
        sync_with = isinstance(statement, cst.With) and statement.asynchronous is None
        message = None
        if sync_with:
            message = f"`with {name}()` (removed in async-timeout 5.0): use `async with asyncio.{replacement}()` (3.11)"
        fix = self._fix(node, item, statement, replacement) if statement is not None else None
        self.report(node, fix=fix, message=message, name=name, replacement=replacement)

    def _fix(self, call: cst.Call, item: cst.WithItem, statement: cst.With, replacement: str) -> Fix | None:
        if item.item is not call or not self._value_unused(item):
            return None
        args = [a for a in call.args if a.keyword is None or a.keyword.value != ASYNC_TIMEOUT_LOOP_PARAMETER]
        if len(args) != 1 or args[0].keyword is not None or args[0].star:
            return None
        if self.sem.enclosing_coroutine(statement) is None:
            return None  # `async with` needs a coroutine; a sync `with` outside one is its own bug
        target = self.sem.module_attribute(call, "asyncio", replacement)
        if target is None:
            return None
        func, imports = target
        new_call = call.with_changes(func=func, args=[args[0].with_changes(comma=cst.MaybeSentinel.DEFAULT)])
        dropped = self.sem.import_of(self.sem.root_name(call.func))
        drop = (dropped,) if dropped else ()
        title = f"Use `asyncio.{replacement}()`"
        if statement.asynchronous is not None:
            # Unsafe: async-timeout < 5.0 and asyncio settle a timeout racing an outside cancel()
            # differently (see Fix safety).
            return self.make_fix(Safety.UNSAFE, [(call, new_call)], imports=imports, drop_imports=drop, title=title)
        if statement.items[0] is not item:
            return None  # entering it later than the items before it is not the same program
        timeout_item = item.with_changes(item=new_call, comma=cst.MaybeSentinel.DEFAULT)
        body = statement.body
        if len(statement.items) > 1 and isinstance(statement.lpar, cst.LeftParen):
            return None  # `with (a,  # comment` : splitting the parentheses would lose what is in them
        if len(statement.items) > 1:
            rest = list(statement.items[1:])
            inner = statement.with_changes(items=rest, leading_lines=(), lpar=cst.MaybeSentinel.DEFAULT)
            inner = inner.with_changes(rpar=cst.MaybeSentinel.DEFAULT)
            body = cst.IndentedBlock(body=[inner])
        new = statement.with_changes(
            asynchronous=cst.Asynchronous(),
            items=[timeout_item],
            body=body,
            lpar=cst.MaybeSentinel.DEFAULT,
            rpar=cst.MaybeSentinel.DEFAULT,
        )
        return self.make_fix(Safety.UNSAFE, [(statement, new)], imports=imports, drop_imports=drop, title=title)

    def _value_unused(self, item: cst.WithItem) -> bool:
        if item.asname is None:
            return True
        bound = item.asname.name
        if not isinstance(bound, cst.Name):
            return False
        binding = self.sem.binding(bound)
        return binding is not None and not self.sem.is_read(binding)
