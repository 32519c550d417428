"""A module with no top-level import: `import asyncio` goes after the docstring."""


async def flagged():
    from asyncio import get_event_loop

    return get_event_loop()  # error: AIO302
