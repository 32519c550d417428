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
