"""Import placement: no standard-library group, so `import asyncio` starts one above the others."""

# Third-party imports.
import attr
from asyncio_compat import get_event_loop as unrelated


async def flagged():
    from asyncio import get_event_loop

    get_event_loop()  # error: AIO302
    unrelated()
    return attr
