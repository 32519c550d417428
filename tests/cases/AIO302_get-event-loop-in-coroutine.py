# Lint-only case file for AIO302: every unannotated line asserts silence.
import asyncio
import asyncio.events
from asyncio import get_event_loop as current_loop


async def flagged():
    asyncio.get_event_loop()  # error: AIO302
    asyncio.events.get_event_loop()  # error: AIO302
    current_loop().time()  # error: AIO302
    [asyncio.get_event_loop() for _ in range(2)]  # error: AIO302

    # Near misses: the right call, nested sync code, a policy's method, a shadowed name.
    asyncio.get_running_loop()

    def sync():
        return asyncio.get_event_loop()

    later = lambda: asyncio.get_event_loop()
    asyncio.get_event_loop_policy().get_event_loop()
    return sync, later


def plain():
    return asyncio.get_event_loop()


async def shadowed(asyncio):
    asyncio.get_event_loop()


class Loop:
    def get_event_loop(self):
        return None


async def method(loop: Loop):
    loop.get_event_loop()


async def asyncio_taken(asyncio):
    # Reported without a fix: the module's name for `asyncio` is a parameter here.
    current_loop()  # error: AIO302
