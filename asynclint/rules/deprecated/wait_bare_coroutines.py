from __future__ import annotations

from typing import TYPE_CHECKING, Any

from asynclint.asyncio_api import WAIT
from asynclint.rule import Fix, FixAvailability, FixFacts, Rule, Safety

if TYPE_CHECKING:
    import libcst as cst
else:
    from asynclint._lazy import cst


class WaitBareCoroutines(Rule):
    """Flags `asyncio.wait()` given coroutines, a `TypeError` since Python 3.11.

    ## What it does
    Reports `asyncio.wait(aws)` where `aws` is a list, tuple or set literal or a comprehension
    (directly, or through a local name assigned once, including a list filled by
    `aws.append(...)`) holding calls known to create coroutines:
    `async def`s of the module and asyncio's own coroutine functions. Tasks and futures
    (`asyncio.create_task(...)`, `loop.run_in_executor(...)`) and unknown calls are fine. Code under
    `if sys.version_info < (3, 11):` is not reported.

    ## Why is this bad?
    Passing coroutines to `asyncio.wait` was deprecated in 3.8 and is refused since 3.11 with
    `TypeError: Passing coroutines is forbidden, use tasks explicitly.` Even before that, the
    returned `done` set held tasks the caller had never seen, so `coro in done` was always False.

    ## Example
    ```python
    import asyncio

    async def job(n):
        await asyncio.sleep(0)

    async def main():
        await asyncio.wait([job(1), job(2)])
    ```

    ## Use instead
    ```python
    import asyncio

    async def job(n):
        await asyncio.sleep(0)

    async def main():
        await asyncio.wait([asyncio.create_task(job(1)), asyncio.create_task(job(2))])
    ```

    ## Fix safety
    Safe: each coroutine element is wrapped in `asyncio.create_task(...)`, which is what `wait`
    did itself before 3.11, so a `TypeError` on every Python from 3.11 becomes the working call.
    Offered only where the collection is built directly inside a coroutine (a loop is running
    there); elsewhere the finding has no fix. Coroutines appended to a list are wrapped where they
    are appended, and that fix is unsafe: each starts running at the appending coroutine's next
    suspension, not when `wait` is reached.
    """

    CODE = "AIO307"
    NAME = "wait-bare-coroutines"
    SINCE = "0.2.0"
    EQUIVALENTS = ()
    TRIGGERS = (("wait",),)
    NEEDS_COROUTINE = True
    DEPRECATED_IN = (3, 11)
    MESSAGE = "`asyncio.wait()` given coroutines (a `TypeError` since Python 3.11)"
    FIX = FixFacts(
        title="Wrap each coroutine in `asyncio.create_task()`",
        availability=FixAvailability.SOMETIMES,
        safety=Safety.SAFE,
    )

    def visit_Call(self, node: cst.Call) -> None:
        if not node.args or node.args[0].keyword is not None or node.args[0].star:
            return
        if not self.sem.resolves_to(node.func, WAIT):
            return
        collection = node.args[0].value
        appended: list[Any] = []
        if isinstance(collection, cst.Name):
            binding = self.sem.binding(collection)
            values = binding.values if binding is not None else []
            if binding is None or len(values) != 1:
                return
            collection = values[0]
            appended = self._appended(binding)
        coroutines = self._coroutine_elements(collection)
        added = [call for call in appended if self.sem.is_coroutine_call(call)]
        if coroutines or added:
            self.report(node, fix=self._fix(collection, coroutines, added))

    def _appended(self, binding: Any) -> list[Any]:
        """What `tasks.append(x)` calls put into a list assigned once (`tasks = []`), in the
        variable's own function; [] when the list is built any other way as well."""
        if not binding.is_local or not isinstance(binding.value, cst.List):
            return []
        found = []
        for read in self.sem.reads_of(binding):
            attribute = self.sem.parent(read)
            call = self.sem.parent(attribute)
            if (
                isinstance(attribute, cst.Attribute)
                and attribute.attr.value == "append"
                and isinstance(call, cst.Call)
                and call.func is attribute
                and len(call.args) == 1
                and call.args[0].keyword is None
                and not call.args[0].star
            ):
                found.append(call.args[0].value)
        return found

    def _coroutine_elements(self, collection: Any) -> list[Any]:
        if isinstance(collection, (cst.List, cst.Tuple, cst.Set)):
            calls = [e.value for e in collection.elements if isinstance(e, cst.Element)]
        elif isinstance(collection, (cst.ListComp, cst.SetComp, cst.GeneratorExp)):
            calls = [collection.elt]
        else:
            return []
        return [call for call in calls if self.sem.is_coroutine_call(call)]

    def _fix(self, collection: Any, coroutines: list[Any], appended: list[Any]) -> Fix | None:
        if any(self.sem.enclosing_coroutine(c) is None for c in (collection, *appended)):
            return None
        found = self.sem.module_attribute(collection, "asyncio", "create_task")
        if found is None:
            return None
        func, imports = found
        edits = [
            (call, cst.Call(func=func, args=[cst.Arg(call.with_changes(lpar=[], rpar=[]))]))
            for call in (*coroutines, *appended)
        ]
        # A coroutine appended to the list starts as a task at once, not when `wait` is reached.
        return self.make_fix(Safety.UNSAFE if appended else Safety.SAFE, edits, imports)
