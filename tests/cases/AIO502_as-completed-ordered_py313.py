# Lint-and-fix case file for AIO502 at target 3.13, where `async for` over `as_completed()`
# yields the input tasks: the lookup form gets a fix when the inputs are tasks.
import asyncio


async def size(url):
    await asyncio.sleep(0)
    return len(url)


async def by_task(urls):
    tasks = {asyncio.create_task(size(u)): u for u in urls}
    for fut in asyncio.as_completed(tasks):  # the loop the fix turns into `async for`
        print(tasks[fut], await fut)  # error: AIO502


async def by_identity(urls):
    tasks = [asyncio.ensure_future(size(u)) for u in urls]
    for fut in asyncio.as_completed(tasks):
        print(tasks.index(fut), await fut)  # error: AIO502


async def coroutine_inputs(urls):
    # No fix: `async for` yields a new task for each coroutine input, never the coroutine.
    coros = {size(u): u for u in urls}
    for fut in asyncio.as_completed(coros):
        print(coros[fut], await fut)  # error: AIO502


def not_a_coroutine(tasks):
    # No fix: `async for` needs a coroutine.
    for fut in asyncio.as_completed(tasks):
        print(tasks[fut])  # error: AIO502


async def already_async(urls):
    tasks = {asyncio.create_task(size(u)): u for u in urls}
    async for task in asyncio.as_completed(tasks):
        print(tasks[task], task.result())


async def counted_async_for(urls):
    # Near miss: from 3.13 `async for` yields the input tasks, and counting them is fine.
    tasks = [asyncio.create_task(size(u)) for u in urls]
    i = 0
    async for task in asyncio.as_completed(tasks):
        print(i, tasks.index(task), task.result())
        i += 1


async def enumerated_lookup(urls):
    # Even at 3.13 a plain `for` (as `enumerate` needs) yields new awaitables: no `async for` fix.
    tasks = [asyncio.create_task(size(u)) for u in urls]
    for i, fut in enumerate(asyncio.as_completed(tasks)):
        print(i, tasks.index(fut), await fut)  # error: AIO502
