# Lint-and-fix case file for AIO402: every unannotated line asserts silence.
import asyncio


async def ready():
    await asyncio.sleep(0)
    return True


async def count():
    return 1


async def items():
    return [1]


async def flagged():
    if ready():  # error: AIO402
        pass
    while not ready():  # error: AIO402
        break
    assert ready()  # error: AIO402
    ok = ready() and True  # error: AIO402
    text = f"{ready()}" + str(ready())  # error: AIO402, AIO402
    total = count() + 1  # error: AIO402
    first = items()[0]  # error: AIO402
    same = count() == 1  # error: AIO402
    for item in items():  # error: AIO402
        pass
    value = ready().value  # error: AIO402
    lazy = (x for x in items())  # error: AIO402
    return ok, text, total, first, same, value, lazy


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
