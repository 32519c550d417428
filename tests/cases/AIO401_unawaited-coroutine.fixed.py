# Lint-and-fix case file for AIO401: every unannotated line asserts silence.
import abc
import asyncio
import functools


async def save(record):
    await asyncio.sleep(0)


def logged(fn):
    @functools.wraps(fn)
    async def wrapper(*args):
        return await fn(*args)

    return wrapper


def plain_decorator(fn):
    return fn


@logged
def wrapped(record):
    return record


@plain_decorator
async def unknown(record):
    await asyncio.sleep(0)


class Base(abc.ABC):
    @abc.abstractmethod
    async def close(self):
        ...

    @staticmethod
    async def helper():
        await asyncio.sleep(0)


class Conn(Base):
    async def close(self):
        await asyncio.sleep(0)

    async def flagged(self, reader: asyncio.StreamReader, buf):
        await self.close()  # error: AIO401
        await self.helper()  # error: AIO401
        await wrapped(1)  # error: AIO401
        (await save(1))  # error: AIO401
        await reader.read(10)  # error: AIO401
        queue = asyncio.Queue()
        await queue.put(1)  # error: AIO401
        await asyncio.sleep(1)  # error: AIO401
        [save(r) for r in range(3)]  # error: AIO401
        buf.close()  # some other object's close
        unknown(1)  # decorated by an unknown decorator

    async def near_misses(self, tg: asyncio.TaskGroup, other):
        await save(1)
        print(f"{await save(2)}")
        [await save(r) for r in range(3)]
        await (save(3) if other else save(4))
        await asyncio.gather(save(5), save(6))
        asyncio.run(save(7)) if other else None
        await asyncio.wait_for(save(8), 1)
        await asyncio.shield(save(9))
        task = asyncio.create_task(save(10))
        future = asyncio.ensure_future(save(11))
        tg.create_task(save(12))
        self.pending = save(13)
        other(save(14))
        return task, future, save(15)


class Buffer:
    def close(self):
        return None

    def flush(self):
        self.close()


def factory():
    return save(1)


def sync_function(loop):
    save(1)  # error: AIO401
    loop.call_soon(lambda: save(2))  # error: AIO401
    handler = lambda: save(3)  # not given as a callback here
    return handler


asyncio.run(save(0))  # error: AIO401
if __name__ == "__main__":
    asyncio.run(save(1))  # error: AIO401


class Stream:
    async def read(self, n):
        await asyncio.sleep(0)

    def iter_chunked(self, n, iterator):
        return iterator(lambda: self.read(n))  # a coroutine factory: its result is awaited


def later(loop):
    loop.call_later(1, lambda: save(4))  # error: AIO401
    asyncio.get_running_loop().call_soon(lambda: print("not a coroutine"))


async def numbers():
    yield 1  # an async generator function: calling it makes no coroutine


async def consume():
    numbers()  # nothing runs, but `await numbers()` would be a TypeError: not this rule's
    async for n in numbers():
        print(n)
