# Lint-and-fix case file for AIO306: every unannotated line asserts silence.
import asyncio
import sys
from asyncio import sleep as nap


async def flagged(loop, self, a, b, get_loop):
    lock = asyncio.Lock(loop=loop)  # error: AIO306
    await nap(1, loop=loop)  # error: AIO306
    await asyncio.sleep(1, loop=loop,)  # error: AIO306
    await asyncio.wait_for(
        a(),
        timeout=1,
        loop=loop,  # error: AIO306
    )
    await asyncio.gather(a(), b(), loop=self.loop, return_exceptions=True)  # error: AIO306
    queue = asyncio.Queue(loop=get_loop())  # error: AIO306
    return lock, queue


async def near_misses(loop, coro, fut, open_connection):
    asyncio.run_coroutine_threadsafe(coro, loop)
    asyncio.ensure_future(coro, loop=loop)
    asyncio.wrap_future(fut, loop=loop)
    asyncio.StreamReader(loop=loop)
    await open_connection("host", 80, loop=loop)  # not asyncio's
    if sys.version_info < (3, 10):
        await asyncio.sleep(1, loop=loop)
