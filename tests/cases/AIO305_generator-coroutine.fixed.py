# Lint-and-fix case file for AIO305: every unannotated line asserts silence.
import asyncio
import sys
from asyncio import coroutine, sleep


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


# The old idiom: a bare `yield` that never runs, there only to make the function a generator.
async def cached(cache, key):
    return cache[key]


async def maybe(flag):
    if flag:
        return (await sleep(0, result=flag))
    return None


async def only_dead():
    pass


# Near misses, reported without a fix: the bare `yield` can run, so these are real generators.
@asyncio.coroutine  # error: AIO305
def live_yield(flag):
    if flag:
        return 1
    yield


@asyncio.coroutine  # error: AIO305
def guarded_yield(debug):
    if debug:
        yield


@asyncio.coroutine  # error: AIO305
def false_with_else():
    if False:
        yield
    else:
        yield


@asyncio.coroutine  # error: AIO305
def dead_value():
    return 1
    yield 2


# Called instead of applied.
async def ping(transport):
    await sleep(0)
    return transport


side_effect = asyncio.coroutine(lambda: 1)  # error: AIO305


def pong(transport):
    yield transport


pong = coroutine(pong)  # error: AIO305
alias = asyncio.coroutine(ping)  # error: AIO305


# No yield at all: @asyncio.coroutine awaited a returned awaitable, so the fix awaits it.
async def delegate_known(delay):
    if delay:
        return await asyncio.sleep(delay)
    return await asyncio.ensure_future(native())


async def plain_values(flag):
    if flag:
        return None
    if flag == 0:
        return "451 {}".format(flag)
    if flag == 1:
        return "%s" % flag, str(flag)
    return [flag], (flag == 1)


async def builtin_call(flag):
    return str(flag)


# Unknown whether it is awaitable: the fix (returning it as it is) is unsafe.
@asyncio.coroutine  # error: AIO305
def delegate_unknown(reader):
    return reader.read()
