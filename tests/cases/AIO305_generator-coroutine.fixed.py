# Lint-and-fix case file for AIO305: every unannotated line asserts silence.
import asyncio
import sys
from asyncio import sleep


async def fetch(delay, a, b):
    x = await sleep(delay)
    y = (await sleep(delay)) or 1
    await (a + b)
    return x, y


@asyncio.coroutine  # error: AIO305
@staticmethod
def real_generator():
    yield 1


async def no_yield():
    return 1


class Client:
    # a comment that stays
    async def request(self):
        def inner():
            yield from range(3)

        return (await asyncio.sleep(0, result=list(inner())))


if sys.version_info < (3, 8):
    @asyncio.coroutine
    def old():
        yield from sleep(1)


# Near misses: native coroutines, other decorators named coroutine.
async def native():
    await sleep(0)


def types_coroutine(types):
    @types.coroutine
    def legacy():
        yield
    return legacy


lock = asyncio.Lock()


class Guarded:
    def __init__(self, pool):
        self._mutex = asyncio.Lock()
        self._sem = asyncio.BoundedSemaphore(2)
        self._pool = pool

    # `with (yield from lock):` acquired an asyncio lock before 3.9; now `async with lock:`.
    async def guarded(self):
        async with self._mutex:
            async with lock, self._sem:
                await sleep(0)

    # Not known to be an asyncio lock: `with (await pool)` is the same protocol, fixed unsafely.
    @asyncio.coroutine  # error: AIO305
    def borrowed(self):
        with (yield from self._pool) as connection:
            return connection
