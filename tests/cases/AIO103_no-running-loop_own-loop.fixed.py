# Lint case file for AIO103: a module that sets up its own loop before ensure_future().
import asyncio


async def heartbeat():
    await asyncio.sleep(0)


loop = asyncio.new_event_loop()
asyncio.set_event_loop(loop)
future = asyncio.ensure_future(heartbeat())
loop.run_until_complete(future)
