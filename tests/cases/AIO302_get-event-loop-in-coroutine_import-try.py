try:
    import uvloop
except ImportError:
    uvloop = None


async def flagged():
    from asyncio import get_event_loop

    get_event_loop()  # error: AIO302
    return uvloop
