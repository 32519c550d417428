# Lint-and-fix case file for AIO305 with unsafe fixes: `with (yield from x):` where the type of x
# is not known (janus: a lock reached through another object).
import asyncio


class Proxy:
    def __init__(self, parent):
        self._parent = parent

    async def put(self, item):
        async with self._parent._not_full:
            self._parent.items.append(item)

    async def borrow(self, pool):
        with (await pool) as connection:
            return connection


# A comment on the dead `yield` goes with it: unsafe.
async def commented():
    return 1


# No yield, and the value returned is not known to be awaitable or not: returned as it is, unsafe.
async def delegate(reader):
    return reader.read()


class Lines:
    # Protocol methods called as plain functions: the decorator goes, the def stays plain
    # (`async def __aiter__` breaks `async for`, `async def __await__` breaks `await`).
    def __aiter__(self):
        return self

    def __await__(self):
        yield from asyncio.sleep(0).__await__()
