from __future__ import annotations

from typing import Any

from asynclint._lazy import cst
from asynclint.analysis import Scope, handler_types
from asynclint.coroutines import is_future_call
from asynclint.rule import Rule

_NEED_LOOP = ("asyncio.create_task", "asyncio.get_running_loop", "asyncio.current_task", "asyncio.ensure_future")
# Module code that sets up a loop itself makes `ensure_future()` find it.
_LOOP_SETUP = ("set_event_loop", "new_event_loop", "get_event_loop", "run_until_complete")
_CATCHES_RUNTIME_ERROR = frozenset({"builtins.RuntimeError", "builtins.Exception", "builtins.BaseException"})


class NoRunningLoop(Rule):
    """Flags calls that need a running event loop where none can be running.

    ## What it does
    Reports `asyncio.create_task()`, `asyncio.ensure_future(coro)`, `asyncio.get_running_loop()`
    and `asyncio.current_task()` in code that runs before any loop does: at module level
    (including the `if __name__ == "__main__":` block), in a class body, and in a plain function
    of the same module (or the `__init__` of a class) that is only ever called from module level.
    Not reported: such calls inside a coroutine, a lambda, or a function called from anywhere
    else; calls inside a `try` that handles `RuntimeError` (probing for a loop);
    `ensure_future()` in a module that sets up its own loop.

    ## Why is this bad?
    These functions look up the running event loop and raise `RuntimeError: no running event
    loop` when there is none (`ensure_future()` with a coroutine falls back to
    `get_event_loop()`, deprecated since 3.10 and an error since 3.14). The program stops at
    start-up, leaving the coroutine it was given never awaited.

    ## Example
    ```python
    import asyncio

    async def heartbeat():
        await asyncio.sleep(1)

    task = asyncio.create_task(heartbeat())
    ```

    ## Use instead
    ```python
    import asyncio

    async def heartbeat():
        await asyncio.sleep(1)

    async def main():
        task = asyncio.create_task(heartbeat())
        await task

    asyncio.run(main())
    ```

    ## Fix safety
    No fix: the code has to move into a coroutine that `asyncio.run()` drives, and what belongs
    there is a decision for a person.

    ## Since
    0.4.0
    """

    CODE = "AIO103"
    NAME = "no-running-loop"
    TRIGGERS = (("create_task", "ensure_future", "get_running_loop", "current_task"),)
    MESSAGE = "`{func}()` needs a running event loop, and none runs here: RuntimeError"

    def visit_Call(self, node: cst.Call) -> None:
        qualified = self.qualified_name(node.func)
        if qualified not in _NEED_LOOP:
            return
        if qualified == "asyncio.ensure_future" and not self._ensure_future_needs_loop(node):
            return
        if not self._runs_without_loop(node) or self._probes(node):
            return
        self.report(node, func=qualified)

    def _ensure_future_needs_loop(self, node: cst.Call) -> bool:
        if len(node.args) != 1 or node.args[0].keyword is not None:
            return False  # `loop=` given
        argument = node.args[0].value
        if not isinstance(argument, cst.Call) or is_future_call(self.analysis, argument):
            return False
        return not self._sets_up_a_loop()

    def _sets_up_a_loop(self) -> bool:
        """Does the module name any loop set-up call (`asyncio.set_event_loop(...)`, `loop.run_until_complete`)?
        A scan of the module, done only for the rare module-level `ensure_future()`."""
        if any(setup in self.analysis.all_names for setup in _LOOP_SETUP):
            return True
        return any(isinstance(node, cst.Attribute) and node.attr.value in _LOOP_SETUP for node in self.analysis.parents)

    def _probes(self, node: Any) -> bool:
        """Is the call inside a `try` that handles RuntimeError (checking whether a loop runs)?"""
        for ancestor in self.analysis.ancestors(node):
            if isinstance(ancestor, (cst.FunctionDef, cst.Lambda)):
                return False
            if isinstance(ancestor, cst.Try) and self.analysis.is_inside(node, ancestor.body):
                for handler in ancestor.handlers:
                    if handler.type is None:
                        return True
                    if any(self.qualified_name(t) in _CATCHES_RUNTIME_ERROR for t in handler_types(handler.type)):
                        return True
        return False

    # -- where no loop runs ---------------------------------------------------------------
    def _runs_without_loop(self, node: Any) -> bool:
        scope = self.analysis.scope_of(node)
        if self._import_time(scope):
            return True
        function = scope.function_scope
        if function is None or function.kind != "function" or function.is_async:
            return False
        definition = function.node
        if any(True for _ in definition.decorators):
            return False
        owner = function.parent
        if owner is self.analysis.module_scope:
            return self._only_called_at_import(definition.name.value, owner)
        if owner is not None and owner.kind == "class" and definition.name.value == "__init__":
            outer = owner.parent
            return outer is self.analysis.module_scope and self._only_called_at_import(owner.name, outer)
        return False

    def _import_time(self, scope: Scope) -> bool:
        """Does code in this scope run when the module is imported (module level, class bodies)?"""
        current: Scope | None = scope
        while current is not None:
            if current.is_function():
                return False
            current = current.parent
        return True

    def _only_called_at_import(self, name: str, scope: Scope) -> bool:
        """Is module-level `name` used only as `name(...)` in import-time code, at least once?"""
        if scope.bindings.get(name) != 1 or scope.imports.get(name) or self.analysis.used_in_nested_scope(name, scope):
            return False
        reads = scope.reads.get(name, [])
        if not reads:
            return False
        for read in reads:
            parent = self.parent(read)
            if not (isinstance(parent, cst.Call) and parent.func is read):
                return False
            if not self._import_time(self.analysis.scope_of(read)):
                return False
        return True
