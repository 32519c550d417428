# Lint-only case file for AIO603: a module that imports trio and asyncio may run either loop,
# so a broad handler that carries on still loses asyncio's cancellation.
import asyncio

import trio


async def pump(stream, handle):
    while True:
        try:
            data = await stream.receive_some()
        except BaseException:  # error: AIO603
            handle.failed()
            continue
        await handle(data)


async def bridge():
    await trio.sleep(0)
    await asyncio.sleep(0)
