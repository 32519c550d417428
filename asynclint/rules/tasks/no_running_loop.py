from __future__ import annotations

from typing import TYPE_CHECKING, Any

from asynclint.asyncio_api import ENSURE_FUTURE, LOOP_SETUP, NEEDS_RUNNING_LOOP
from asynclint.rule import Rule

if TYPE_CHECKING:
    import libcst as cst

    from asynclint.semantic import Scope
else:
    from asynclint._lazy import cst

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
    """

    CODE = "AIO103"
    NAME = "no-running-loop"
    SINCE = "0.4.0"
    TRIGGERS = (("create_task", "ensure_future", "get_running_loop", "current_task"),)
    MESSAGE = "`{func}()` needs a running event loop, and none runs here: RuntimeError"

    def visit_Call(self, node: cst.Call) -> None:
        qualified = self.sem.qualified_name(node.func)
        if qualified not in NEEDS_RUNNING_LOOP:
            return
        if qualified == ENSURE_FUTURE and not self._ensure_future_needs_loop(node):
            return
        if not self._runs_without_loop(node) or self._probes(node):
            return
        self.report(node, func=qualified)

    def _ensure_future_needs_loop(self, node: cst.Call) -> bool:
        if len(node.args) != 1 or node.args[0].keyword is not None:
            return False  # `loop=` given
        argument = node.args[0].value
        if not isinstance(argument, cst.Call) or self.sem.is_future_call(argument):
            return False
        return not self._sets_up_a_loop()

    def _sets_up_a_loop(self) -> bool:
        """Does the module name any loop set-up call (`asyncio.set_event_loop(...)`, `loop.run_until_complete`)?
        A scan of the module, done only for the rare module-level `ensure_future()`."""
        if any(self.sem.mentions(setup) for setup in LOOP_SETUP):
            return True
        return any(isinstance(node, cst.Attribute) and node.attr.value in LOOP_SETUP for node in self.sem.nodes())

    def _probes(self, node: Any) -> bool:
        """Is the call inside a `try` that handles RuntimeError (checking whether a loop runs)?"""
        for ancestor in self.sem.ancestors(node):
            if isinstance(ancestor, (cst.FunctionDef, cst.Lambda)):
                return False
            if isinstance(ancestor, cst.Try) and self.sem.is_inside(node, ancestor.body):
                for handler in ancestor.handlers:
                    if handler.type is None:
                        return True
                    if any(
                        self.sem.qualified_name(t) in _CATCHES_RUNTIME_ERROR
                        for t in self.sem.handler_types(handler.type)
                    ):
                        return True
        return False

    # -- where no loop runs ---------------------------------------------------------------
    def _runs_without_loop(self, node: Any) -> bool:
        scope = self.sem.scope_of(node)
        if self._import_time(scope):
            return True
        function = scope.function_scope
        if function is None or function.kind != "function" or function.is_async:
            return False
        definition = function.node
        if any(True for _ in definition.decorators):
            return False
        owner = function.parent
        if owner is self.sem.module_scope:
            return self._only_called_at_import(definition.name.value, owner)
        if owner is not None and owner.kind == "class" and definition.name.value == "__init__":
            outer = owner.parent
            return outer is self.sem.module_scope and self._only_called_at_import(owner.name, outer)
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
        binding = self.sem.binding_in(scope, name)
        if binding.assignments != 1 or binding.is_imported or self.sem.used_in_nested_scope(binding):
            return False
        reads = binding.reads
        if not reads:
            return False
        for read in reads:
            parent = self.sem.parent(read)
            if not (isinstance(parent, cst.Call) and parent.func is read):
                return False
            if not self._import_time(self.sem.scope_of(read)):
                return False
        return True
