import asyncio

try:
    import uvloop
except ImportError:
    uvloop = None


async def flagged():

    asyncio.get_running_loop()  # error: AIO302
    return uvloop
