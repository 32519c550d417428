"""An `import asyncio` under `if TYPE_CHECKING:` binds nothing at run time: a real one is added."""

import asyncio
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import asyncio


async def flagged(loop: "asyncio.AbstractEventLoop | None" = None):

    asyncio.get_running_loop()  # error: AIO302
    return loop
