# Lint-and-fix case file for AIO305: every unannotated line asserts silence.
import asyncio
import sys
from asyncio import coroutine, sleep


@coroutine  # error: AIO305
def fetch(delay, a, b):
    x = yield from sleep(delay)
    y = (yield from sleep(delay)) or 1
    yield from a + b
    return x, y


@asyncio.coroutine  # error: AIO305
@staticmethod
def real_generator():
    yield 1


@asyncio.coroutine  # error: AIO305
def no_yield():
    return 1


class Client:
    # a comment that stays
    @asyncio.coroutine  # error: AIO305
    def request(self):
        def inner():
            yield from range(3)

        return (yield from asyncio.sleep(0, result=list(inner())))


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
    @asyncio.coroutine  # error: AIO305
    def guarded(self):
        with (yield from self._mutex):
            with (yield from lock), (yield from self._sem):
                yield from sleep(0)

    # Not known to be an asyncio lock: `with (await pool)` is the same protocol, fixed unsafely.
    @asyncio.coroutine  # error: AIO305
    def borrowed(self):
        with (yield from self._pool) as connection:
            return connection


# The old idiom: a bare `yield` that never runs, there only to make the function a generator.
@asyncio.coroutine  # error: AIO305
def cached(cache, key):
    return cache[key]
    yield


@asyncio.coroutine  # error: AIO305
def maybe(flag):
    if False:
        yield
    if flag:
        return (yield from sleep(0, result=flag))
        yield
    return None


@asyncio.coroutine  # error: AIO305
def only_dead():
    if 0:
        yield


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
def ping(transport):
    yield from sleep(0)
    return transport


ping = asyncio.coroutine(ping)  # error: AIO305
side_effect = asyncio.coroutine(lambda: 1)  # error: AIO305


def pong(transport):
    yield transport


pong = coroutine(pong)  # error: AIO305
alias = asyncio.coroutine(ping)  # error: AIO305


# No yield at all: @asyncio.coroutine awaited a returned awaitable, so the fix awaits it.
@asyncio.coroutine  # error: AIO305
def delegate_known(delay):
    if delay:
        return asyncio.sleep(delay)
    return asyncio.ensure_future(native())


@asyncio.coroutine  # error: AIO305
def plain_values(flag):
    if flag:
        return None
    if flag == 0:
        return "451 {}".format(flag)
    if flag == 1:
        return "%s" % flag, str(flag)
    return [flag], (flag == 1)


@asyncio.coroutine  # error: AIO305
def builtin_call(flag):
    return str(flag)


# Unknown whether it is awaitable: the fix (returning it as it is) is unsafe.
@asyncio.coroutine  # error: AIO305
def delegate_unknown(reader):
    return reader.read()
