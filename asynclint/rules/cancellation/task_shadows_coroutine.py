from __future__ import annotations

from typing import TYPE_CHECKING, Any

from asynclint.asyncio_api import TASK_FACTORIES
from asynclint.rule import FixAvailability, FixFacts, Rule, Safety
from asynclint.semantic import Callee

if TYPE_CHECKING:
    import libcst as cst

    from asynclint.semantic import Scope
else:
    from asynclint._lazy import cst


class TaskShadowsCoroutine(Rule):
    """Flags `name = tg.create_task(name())`, which makes `name` local before the call reads it.

    ## What it does
    Reports an assignment inside a function whose target is the name of the coroutine function
    it schedules: `fetch = asyncio.create_task(fetch())` or `fetch = tg.create_task(fetch())`,
    where `fetch` is an `async def` of an enclosing scope, or a coroutine function imported from
    another module of the project (`from .api import fetch`) or from asyncio, and the function
    binds `fetch` nowhere else (not as a parameter, not `global`).

    ## Why is this bad?
    Assigning to a name anywhere in a function makes it a local variable of that function for
    the whole body. The right-hand side runs first and reads the local `fetch`, which has no
    value yet, so the line raises `UnboundLocalError` every time: the task is never created.

    ## Example
    ```python
    import asyncio

    async def fetch():
        return 1

    async def main():
        fetch = asyncio.create_task(fetch())
        print(await fetch)
    ```

    ## Use instead
    ```python
    import asyncio

    async def fetch():
        return 1

    async def main():
        fetch_task = asyncio.create_task(fetch())
        print(await fetch_task)
    ```

    ## Fix safety
    Safe: the fix renames the task variable (`fetch_task`, or a fresh name if that is taken) and
    every use of it in the function, including closures, but leaves calls `fetch(...)` alone:
    they mean the coroutine function. The code it changes raises on every run before the fix.
    """

    CODE = "AIO601"
    NAME = "task-shadows-coroutine"
    SINCE = "0.4.0"
    TRIGGERS = (("create_task", "ensure_future"),)
    NEEDS_COROUTINE = True
    MESSAGE = "`{name}` is assigned the task of `{name}()`, so the call reads an unbound local"
    FIX = FixFacts(title="Rename the task variable to `{new}`", availability=FixAvailability.ALWAYS, safety=Safety.SAFE)

    def visit_Assign(self, node: cst.Assign) -> None:
        if len(node.targets) != 1 or not isinstance(node.targets[0].target, cst.Name):
            return
        target = node.targets[0].target
        name = target.value
        call = node.value
        if not isinstance(call, cst.Call) or not self._is_task_factory(call) or not call.args:
            return
        coroutine = call.args[0].value
        if call.args[0].keyword is not None or not isinstance(coroutine, cst.Call):
            return
        if not isinstance(coroutine.func, cst.Name) or coroutine.func.value != name:
            return
        function = self.sem.scope_of(target).function_scope
        if function is None or function.kind != "function":
            return  # a class body or module level reads the global: no error there
        if not self.sem.binding_in(function, name).assigned_once:
            return  # a parameter or another assignment may give it a value first
        outer = self.sem.binding_at(name, function.node) if function.parent is not None else None
        if outer is None:
            return
        definitions = outer.only_definitions
        if not definitions and self.sem.imported_kind(outer) is not Callee.COROUTINE:
            return  # neither an `async def` here nor a coroutine function imported from the project
        if not all(d.asynchronous is not None for d in definitions):
            return
        self.report(target, fix=self._fix(function, name, node), name=name)

    def _is_task_factory(self, call: cst.Call) -> bool:
        if self.sem.qualified_name(call.func) in TASK_FACTORIES:
            return True
        return isinstance(call.func, cst.Attribute) and call.func.attr.value == "create_task"

    def _fix(self, function: Scope, name: str, assignment: cst.Assign) -> Any:
        new = self.sem.fresh_name(name + "_task", assignment)
        edits: list[tuple[Any, Any]] = [(assignment.targets[0].target, cst.Name(new))]
        for read in self.sem.reads_of(self.sem.binding_in(function, name)):
            parent = self.sem.parent(read)
            if isinstance(parent, cst.Call) and parent.func is read:
                continue  # `fetch(...)`: the coroutine function, as the author meant
            edits.append((read, cst.Name(new)))
        return self.make_fix(Safety.SAFE, edits, title=self.FIX.title.format(new=new))
