from __future__ import annotations

from typing import TYPE_CHECKING, Any

from asynclint.asyncio_api import CALLBACK_FUNCTIONS, CALLBACK_METHODS
from asynclint.rule import Fix, FixAvailability, FixFacts, Rule, Safety

if TYPE_CHECKING:
    import libcst as cst
else:
    from asynclint._lazy import cst


class UnawaitedCoroutine(Rule):
    """Flags a coroutine function called as a statement: the coroutine is created and never run.

    ## What it does
    Reports calls of coroutine functions whose result is thrown away: an expression statement
    `save(record)`, a comprehension used as a statement (`[save(r) for r in records]`), and a
    `lambda` whose body is such a call when it is handed to an API that drops the callback's
    return value (`loop.call_soon`/`call_later`/`call_at`, `add_done_callback`,
    `add_signal_handler`, `signal.signal`, `atexit.register`, `threading.Thread`); a lambda handed
    to anything else may be a coroutine factory whose result is awaited, and is not reported. A
    coroutine function
    is an `async def` of this module (by name, or a method through `self.`/`cls.`, base classes
    included), of another module of the project reached through its imports (`from .store import
    save`, `import pkg.store`, re-exports in a package `__init__`), or one of asyncio's own
    (`asyncio.sleep`, `wait_for`, `open_connection`, ...) and the coroutine methods of asyncio
    classes when the receiver's type is known (`writer: asyncio.StreamWriter`, `q =
    asyncio.Queue()`). Decorators other than `staticmethod`, `classmethod`, `functools.wraps`,
    `abc.abstractmethod`, `typing.override` and the project's own async-wrapping ones (and
    decorator factories, `@retry(times=3)`, whose decorator returns an `async def`) make the callee
    unknown, and unknown callees are never reported.

    A method's receiver has a known class when a light type checker would know it: a parameter or
    local annotation (`Optional[X]`, `X | None` and string annotations unwrapped, names imported
    under `TYPE_CHECKING` too), one assignment of a constructor call, of an annotated function's
    result or of `typing.cast(X, ...)`, `async with X() as y` through `__aenter__`'s annotation
    (`-> Self`, or `return self`), a module-level instance, and attribute chains through the
    classes' attributes (`self.plugins.dns.write_hosts()`): class-level annotations, else what
    every `self.x = ...` of the class agrees on (`None` makes it Optional), properties' return
    annotations. Classes come from the project's modules and from the installed packages it imports
    (read, `.pyi` stubs first, from the interpreter asynclint runs in and the `site-packages`
    setting; never imported). An attribute assigned two different classes, a class with
    `__getattr__`, a method missing from a class with an unknown base, and a plain function of an
    installed package (it may return an awaitable) are unknown. Where a package is not installed,
    or its source cannot be typed cheaply, the catalogue's facts about a few libraries answer:
    `aiofiles.open()`'s file (`async with` or `await`) and `aiofiles.os`/`aiofiles.os.path`,
    `aiosqlite.connect()`'s connection and cursors, `redis.asyncio.Redis`/`from_url()`'s commands
    (the most used ones) and a pipeline's `execute()` (its other commands are buffered, never
    reported), `aiohttp.ClientSession`'s request methods (`session.get(url)` is a coroutine-like
    context manager: alone, the request is never sent) and `close()`; an installed package's own
    scan wins where it gives an answer.

    Known limits: redis commands outside the declared set, `aioredis`, `aiofiles.tempfile`, and
    aiohttp beyond `ClientSession` (a response's `read()`/`json()`, websockets) are unknown. A
    plain `def` annotated to return a coroutine (`-> Coroutine[...]`, discord.py's `Response[T]`
    HTTP methods) is a plain function here, where pyright reports its unused result;
    no flow analysis (an attribute assigned different classes on different paths is unknown, where
    a checker narrows); generic parameters (`AiofilesContextManager[T]`) and TypeVars are not
    followed. On the benchmark corpus pyright's `reportUnusedCoroutine` has two findings asynclint
    does not: both `self.app.get("/")(self._info)` in sanic, a decorator applied by hand whose
    result is a route handler, not a coroutine: pyright's false alarms.

    ## Why is this bad?
    Calling a coroutine function only creates a coroutine object; its body runs when it is
    awaited or scheduled. Unawaited, the work silently never happens and Python prints
    `RuntimeWarning: coroutine '...' was never awaited` when the object is collected, often far from
    the cause.

    ## Example
    ```python
    import asyncio

    async def save(record):
        await asyncio.sleep(0)

    async def handle(record):
        save(record)
    ```

    ## Use instead
    ```python
    import asyncio

    async def save(record):
        await asyncio.sleep(0)

    async def handle(record):
        await save(record)
    ```

    ## Fix safety
    Unsafe: the coroutine now actually runs, with its side effects, exceptions and a new suspension
    point. Inside a coroutine the fix is `await call`; at module level (or under `if __name__ ==
    "__main__":`) it is `asyncio.run(call)`, adding `import asyncio` when needed. In a sync
    function, a callback `lambda` or a comprehension there is no fix: `await` is not allowed there,
    and the message says what to do instead.
    """

    CODE = "AIO401"
    NAME = "unawaited-coroutine"
    SINCE = "0.3.0"
    EQUIVALENTS = ()
    TRIGGERS = (("async",),)
    MESSAGE = "Coroutine `{name}()` is never awaited: its body does not run"
    FIX = FixFacts(title="Await the coroutine", availability=FixAvailability.SOMETIMES, safety=Safety.UNSAFE)

    def visit_Expr(self, node: cst.Expr) -> None:
        value = node.value
        if isinstance(value, cst.Call):
            if self.sem.is_coroutine_call(value):
                self._report(value, statement=True)
        elif isinstance(value, (cst.ListComp, cst.SetComp, cst.GeneratorExp)) and self.sem.is_coroutine_call(value.elt):
            self._report(value.elt, statement=False)

    def visit_Lambda(self, node: cst.Lambda) -> None:
        if self._is_callback(node) and self.sem.is_coroutine_call(node.body):
            name = self._name(node.body)
            message = f"Callback runs coroutine `{name}()` but never awaits it: use an `async def` callback"
            self.report(node.body, message=message)

    def _is_callback(self, node: cst.Lambda) -> bool:
        arg = self.sem.parent(node)
        call = self.sem.parent(arg) if isinstance(arg, cst.Arg) else None
        if not isinstance(call, cst.Call):
            return False
        if isinstance(call.func, cst.Attribute) and call.func.attr.value in CALLBACK_METHODS:
            return True
        return self.sem.qualified_name(call.func) in CALLBACK_FUNCTIONS

    def _report(self, call: Any, statement: bool) -> None:
        name = self._name(call)
        scope = self.sem.scope_of(call)
        if self.sem.enclosing_coroutine(call) is not None:
            if statement:
                fix = self.make_fix(Safety.UNSAFE, [(call, self.sem.awaited(call, call))])
                self.report(call, fix=fix, name=name)
            else:
                self.report(call, name=name, message=f"Coroutines `{name}()` are never awaited: gather them")
        elif scope.kind == "module" and statement:
            self.report(call, fix=self._run_fix(call), name=name)
        else:
            function = self.sem.enclosing_function(call)
            where = f"in sync function `{function.name}`" if function is not None else "here"
            message = f"Coroutine `{name}()` is never awaited {where}: await it in a coroutine or `asyncio.run()` it"
            self.report(call, message=message)

    def _run_fix(self, call: cst.Call) -> Fix | None:
        found = self.sem.module_attribute(call, "asyncio", "run")
        if found is None:
            return None
        func, imports = found
        replacement = cst.Call(
            func=func, args=[cst.Arg(call.with_changes(lpar=[], rpar=[]))], lpar=call.lpar, rpar=call.rpar
        )
        return self.make_fix(Safety.UNSAFE, [(call, replacement)], imports, title="Run it with `asyncio.run()`")

    def _name(self, call: Any) -> str:
        return self.sem.dotted_name(call.func) or "..."
