"""An `import asyncio` under `if TYPE_CHECKING:` binds nothing at run time: a real one is added."""

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import asyncio


async def flagged(loop: "asyncio.AbstractEventLoop | None" = None):
    from asyncio import get_event_loop

    get_event_loop()  # error: AIO302
    return loop
