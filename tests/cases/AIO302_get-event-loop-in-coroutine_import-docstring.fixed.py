"""A module with no top-level import: `import asyncio` goes after the docstring."""

import asyncio


async def flagged():

    return asyncio.get_running_loop()  # error: AIO302
