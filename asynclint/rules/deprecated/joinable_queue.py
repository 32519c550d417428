from __future__ import annotations

from typing import Any

from asynclint.asyncio_api import JOINABLE_QUEUE, JOINABLE_QUEUE_REMOVED_IN
from asynclint.rule import FixAvailability, FixFacts, Safety
from asynclint.rules.deprecated._references import ReferenceRule, asyncio_rename


class JoinableQueue(ReferenceRule):
    """Flags `asyncio.JoinableQueue`, an alias of `asyncio.Queue` removed in Python 3.5.

    ## What it does
    Reports every reference to `asyncio.JoinableQueue` (however `asyncio` or the name was
    imported), called, subclassed or not. Code under `if sys.version_info < (3, 5):` is not
    reported.

    ## Why is this bad?
    `JoinableQueue` was deprecated in 3.4.4, when `asyncio.Queue` gained `join()` and
    `task_done()`, and removed in 3.5: the lookup raises `AttributeError: module 'asyncio' has
    no attribute 'JoinableQueue'`, and `from asyncio import JoinableQueue` an `ImportError`.

    ## Example
    ```python
    import asyncio

    async def main():
        queue = asyncio.JoinableQueue()
        queue.put_nowait(1)
        queue.get_nowait()
        queue.task_done()
        await queue.join()
    ```

    ## Use instead
    ```python
    import asyncio

    async def main():
        queue = asyncio.Queue()
        queue.put_nowait(1)
        queue.get_nowait()
        queue.task_done()
        await queue.join()
    ```

    ## Fix safety
    Safe: the alias named `asyncio.Queue` itself, so the fix turns code that fails on every
    supported Python into the code it meant. `JoinableQueue` becomes `asyncio.Queue` (with an
    `import asyncio` when the module has no name for it); the `from asyncio import
    JoinableQueue` that nothing uses any more is removed. Not offered where `asyncio` means
    something else.
    """

    CODE = "AIO313"
    NAME = "joinable-queue"
    SINCE = "0.5.0"
    EQUIVALENTS = ()
    TRIGGERS = (("JoinableQueue",),)
    DEPRECATED_IN = JOINABLE_QUEUE_REMOVED_IN
    MESSAGE = "`asyncio.JoinableQueue` was removed in Python 3.5: use `asyncio.Queue`"
    FIX = FixFacts(title="Replace with `asyncio.Queue`", availability=FixAvailability.SOMETIMES, safety=Safety.SAFE)

    def reference(self, node: Any, qualified: str) -> None:
        name = JOINABLE_QUEUE.get(qualified)
        if name is None:
            return
        fix = asyncio_rename(self, node, name)
        self.report(node, fix=fix)
