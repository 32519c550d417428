import sys
from asyncio import get_event_loop, get_running_loop


async def flagged():
    get_event_loop()  # error: AIO302
    return sys, get_running_loop


async def shadowed(get_running_loop):
    # The reused name is a parameter here: `asyncio.get_running_loop` needs the import.
    get_event_loop()  # error: AIO302
    return get_running_loop


async def imported_later():
    # A function's own import binds only once it runs: not reused for a call above it.
    get_event_loop()  # error: AIO302
    from asyncio import get_running_loop as running

    return running
