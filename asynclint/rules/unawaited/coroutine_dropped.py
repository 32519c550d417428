from __future__ import annotations

from typing import TYPE_CHECKING

from asynclint.rule import Rule
from asynclint.rules.unawaited._uses import hands_on

if TYPE_CHECKING:
    import libcst as cst
else:
    from asynclint._lazy import cst


class CoroutineDropped(Rule):
    """Flags a coroutine object bound to a name and then never awaited, returned or handed on.

    ## What it does
    Reports `name = coro_fn(...)` (a known coroutine function, see AIO401; annotated or not:
    `name: Awaitable[int] = coro_fn(...)`) when nothing later
    awaits `name`, returns or yields it, stores it (in an attribute, a container, another name),
    hands it to something that can run it (an asyncio scheduling API, a coroutine function, any
    callable asynclint does not know), or uses it from a nested function. Handing it only to plain
    functions of the project or to builtins such as `print` does not count: they do not run it,
    unless this module shows the function handing its parameter on in turn (`def run(coro):
    return asyncio.run(coro)`).
    Neither does using it only as a plain value, as if it were the result: testing, comparing
    (`if page is None:`), formatting, arithmetic, subscripting (`page["title"]`), a plain `for`,
    or an attribute coroutine objects do not have (`page.items()`; `close()` and the `cr_*`
    attributes are deliberate).

    ## Why is this bad?
    The coroutine's body never runs, so whatever it was meant to do silently does not happen;
    Python prints `RuntimeWarning: coroutine ... was never awaited` only when the object is collected.

    ## Example
    ```python
    import asyncio

    async def notify(user):
        await asyncio.sleep(0)

    async def signup(user):
        pending = notify(user)
        print("signed up", user)
    ```

    ## Use instead
    ```python
    import asyncio

    async def notify(user):
        await asyncio.sleep(0)

    async def signup(user):
        pending = notify(user)
        print("signed up", user)
        await pending
    ```

    ## Fix safety
    No fix: where the coroutine should run (awaited here, scheduled as a task, or not created at
    all) is a decision for a person.
    """

    CODE = "AIO403"
    NAME = "coroutine-dropped"
    SINCE = "0.3.0"
    EQUIVALENTS = ()
    TRIGGERS = (("async",),)
    MESSAGE = "Coroutine `{name}()` is bound to `{var}` but never awaited or handed on"

    def visit_Assign(self, node: cst.Assign) -> None:
        if len(node.targets) == 1:
            self._check(node.targets[0].target, node.value)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        if node.value is not None:  # `x: Awaitable[int] = fetch()`: the annotation changes nothing
            self._check(node.target, node.value)

    def _check(self, target: cst.BaseExpression, value: cst.BaseExpression) -> None:
        if not isinstance(target, cst.Name):
            return
        if not isinstance(value, cst.Call) or not self.sem.is_coroutine_call(value):
            return
        name = target.value
        binding = self.sem.binding_in(self.sem.scope_of(target).binding_scope, name)
        if binding.scope.kind == "class" or not binding.assigned_once:
            return
        if self.sem.used_in_nested_scope(binding):
            return  # a closure keeps it
        if any(hands_on(self.sem, read) for read in binding.reads):
            return
        self.report(target, name=self.sem.dotted_name(value.func) or "...", var=name)
