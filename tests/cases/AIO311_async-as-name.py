# Lint-and-fix case file for AIO311: `asyncio.async(` is renamed, and then the other rules run.
import asyncio


async def work():
    await asyncio.sleep(0)


def schedule(loop):
    first = asyncio.async(work(), loop=loop)  # error: AIO311
    other = asyncio.ensure_future(first)  # not a coroutine: fine
    return first, other


if hasattr(asyncio, "ensure_future"):
    spawn = asyncio.ensure_future
else:
    spawn = asyncio.async  # error: AIO311
