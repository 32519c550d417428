# Lint-only case file for AIO603: a module written for trio. Its cancellation is trio.Cancelled,
# which trio delivers again at the next checkpoint, so a broad handler that carries on does not
# lose it; asyncio's cancellation cannot arise here.
import trio


async def pump(stream, handle):
    while True:
        try:
            data = await stream.receive_some()
        except BaseException:
            handle.failed()
            continue
        await handle(data)
