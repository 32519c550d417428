# Lint-and-fix case file for AIO402: every unannotated line asserts silence.
import asyncio


async def ready():
    await asyncio.sleep(0)
    return True


async def count():
    return 1


async def items():
    return [1]


def valid(value):
    return value is not None


def run(coroutine):
    return asyncio.run(coroutine)


def checked(value, *, strict=False):
    if strict and not value:
        raise ValueError("empty")
    return run(value)


class Store:
    async def is_empty(self):
        return True

    def size(self):
        return 0

    async def drain(self):
        if not await self.is_empty():  # error: AIO402
            pass
        if self.size() is None:
            pass


async def flagged():
    if await ready():  # error: AIO402
        pass
    while not await ready():  # error: AIO402
        break
    assert await ready()  # error: AIO402
    ok = await ready() and True  # error: AIO402
    text = f"{await ready()}" + str(await ready())  # error: AIO402, AIO402
    total = await count() + 1  # error: AIO402
    first = (await items())[0]  # error: AIO402
    same = await count() == 1  # error: AIO402
    for item in await items():  # error: AIO402
        pass
    value = (await ready()).value  # error: AIO402
    lazy = (x for x in await items())  # error: AIO402
    return ok, text, total, first, same, value, lazy


async def new_forms(store: Store):
    if await count() is None:  # error: AIO402
        pass
    if None is not await count():  # error: AIO402
        pass
    if await count() != 1:  # error: AIO402
        pass
    if not await store.is_empty():  # error: AIO402
        pass
    if (c := await count()) is not None:  # error: AIO402
        print(c)
    while (batch := await items()):  # error: AIO402
        print(len(batch))
    if not valid(await count()):  # error: AIO402
        pass
    if store.size() and valid(await items()):  # error: AIO402
        pass
    assert valid(value=await count())  # error: AIO402
    print("ready:", await ready())  # error: AIO402
    size = len(await items())  # error: AIO402
    return size


async def new_forms_near_misses(store: Store, unknown):
    if not await store.is_empty():
        pass
    if store.size() is None:
        pass
    if (c := count()) is not None:
        await c
    if (t := count()) is not None:
        asyncio.create_task(t)
    checked = valid(count())
    if unknown(count()):
        pass
    if isinstance(count(), str):
        pass
    if valid(await count()):
        pass
    print("done", file=ready())
    assert run(ready())
    if checked(ready()) or checked(value=ready()):
        pass
    return checked


async def near_misses():
    if await ready():
        pass
    total = await count() + 1
    text = f"{await ready()}"
    coroutine = count()
    coroutine.close()
    name = count().__qualname__
    return total, text, coroutine, name, [await count() for _ in range(2)]


def sync_function():
    return bool(ready())  # error: AIO402


async def letters():
    yield "a"  # an async generator function: its call is iterated, not awaited


async def spell():
    if letters():
        pass
    pending = letters()
    print(pending)
