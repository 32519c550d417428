# Lint-and-fix case file for AIO305 with unsafe fixes: `with (yield from x):` where the type of x
# is not known (janus: a lock reached through another object).
import asyncio


class Proxy:
    def __init__(self, parent):
        self._parent = parent

    @asyncio.coroutine  # error: AIO305
    def put(self, item):
        with (yield from self._parent._not_full):
            self._parent.items.append(item)

    @asyncio.coroutine  # error: AIO305
    def borrow(self, pool):
        with (yield from pool) as connection:
            return connection


# A comment on the dead `yield` goes with it: unsafe.
@asyncio.coroutine  # error: AIO305
def commented():
    return 1
    yield  # makes this a generator for @asyncio.coroutine


# No yield, and the value returned is not known to be awaitable or not: returned as it is, unsafe.
@asyncio.coroutine  # error: AIO305
def delegate(reader):
    return reader.read()


class Lines:
    # Protocol methods called as plain functions: the decorator goes, the def stays plain
    # (`async def __aiter__` breaks `async for`, `async def __await__` breaks `await`).
    @asyncio.coroutine  # error: AIO305
    def __aiter__(self):
        return self

    @asyncio.coroutine  # error: AIO305
    def __await__(self):
        yield from asyncio.sleep(0).__await__()
