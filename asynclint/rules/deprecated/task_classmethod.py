from __future__ import annotations

from typing import TYPE_CHECKING

from asynclint.asyncio_api import TASK_CLASSMETHODS
from asynclint.rule import FixAvailability, FixFacts, Rule, Safety
from asynclint.rules.deprecated._references import asyncio_rename

if TYPE_CHECKING:
    import libcst as cst
else:
    from asynclint._lazy import cst


class TaskClassmethod(Rule):
    """Flags `asyncio.Task.all_tasks()` and `asyncio.Task.current_task()`, removed in Python 3.9.

    ## What it does
    Reports every reference to the classmethods `Task.all_tasks` and `Task.current_task`,
    however `asyncio` or `Task` was imported, called or not. Code under
    `if sys.version_info < (3, 9):` only runs where they exist and is not reported.

    ## Why is this bad?
    Both were deprecated in 3.7 and removed in 3.9: on every Python still in use the lookup
    raises `AttributeError: type object '_asyncio.Task' has no attribute 'all_tasks'`.
    The module-level functions `asyncio.all_tasks()` and `asyncio.current_task()` replace them.

    ## Example
    ```python
    import asyncio

    async def report():
        print(len(asyncio.Task.all_tasks()), asyncio.Task.current_task())
    ```

    ## Use instead
    ```python
    import asyncio

    async def report():
        print(len(asyncio.all_tasks()), asyncio.current_task())
    ```

    ## Fix safety
    Safe: it turns code that raises `AttributeError` on every supported Python into the working
    call. Arguments are kept (both functions still take the loop as an optional argument). One
    difference to know: `asyncio.all_tasks()` returns only tasks not yet done, and both raise
    `RuntimeError` when no loop is running, where the old classmethods fell back to
    `get_event_loop()`. The fix adds `import asyncio` when the module has no name for it.
    """

    CODE = "AIO301"
    NAME = "task-classmethod"
    SINCE = "0.2.0"
    EQUIVALENTS = ()
    TRIGGERS = (("all_tasks", "current_task"),)
    DEPRECATED_IN = (3, 9)
    MESSAGE = "`asyncio.Task.{name}` was removed in Python 3.9"
    FIX = FixFacts(
        title="Replace with the module-level `asyncio` function",
        availability=FixAvailability.ALWAYS,
        safety=Safety.SAFE,
    )

    def visit_Attribute(self, node: cst.Attribute) -> None:
        name = TASK_CLASSMETHODS.get(self.sem.qualified_name(node) or "")
        if name is None:
            return
        fix = asyncio_rename(self, node, name, title=f"Replace with `asyncio.{name}`")
        self.report(node, fix=fix, name=name)
