# AIO305 on generators that lack the decorator but are used as coroutines: every unannotated
# line asserts silence.
import asyncio
import types


async def fetch():
    return 1


async def reads(stream):  # error: AIO305
    data = await fetch()
    return data


async def handed(future):  # error: AIO305
    value = await future
    return value


async def gathered(future):  # error: AIO305
    return (await future)


async def caller(future):
    result = await gathered(future)
    return result


def main(loop, future):
    asyncio.ensure_future(reads(None))
    loop.run_until_complete(handed(future))
    return asyncio.wait([gathered(future)])


# Reported without a fix: also used as a plain iterator, a method, or kept in a variable.
def iterated(future):  # error: AIO305
    yield from fetch()


for _ in iterated(None):
    pass


class Client:
    def request(self):  # error: AIO305
        yield from fetch()


def kept(future):  # error: AIO305
    yield from future


coroutines = [kept]
asyncio.ensure_future(kept(None))


# Near misses: plain generators (delegating to generators or iterables), decorated ones,
# a generator never handed to asyncio.
def numbers():
    yield from range(3)


def chained():
    yield from numbers()


def wrapped(types):
    @types.coroutine
    def legacy():
        yield from fetch()

    return legacy


def unknown(stream):
    yield from stream.read()


def legacy_wrapped():
    yield from fetch()


legacy_wrapped = types.coroutine(legacy_wrapped)


asyncio.ensure_future(asyncio.sleep(0))


def inspected(future):
    yield from future


asyncio.iscoroutine(inspected(None))
