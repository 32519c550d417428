# Lint-and-fix case file for AIO601: every unannotated line asserts silence.
import asyncio


async def fetch(n):
    await asyncio.sleep(0)
    return n


async def fetch_task():
    return 0


async def save(n):
    return n


async def in_a_group():
    async with asyncio.TaskGroup() as tg:
        fetch_task = tg.create_task(fetch(1))  # error: AIO601
    print(fetch_task.result())

    def later():
        return fetch_task

    return later, fetch(2)


async def with_asyncio():
    save_task = asyncio.create_task(save(1))  # error: AIO601
    return await save_task


# Near misses: nothing makes the name local before the call reads it.
async def parameter(fetch):
    fetch = asyncio.create_task(fetch(1))
    return await fetch


async def other_name():
    task = asyncio.create_task(fetch(1))
    return await task


save_task = asyncio.ensure_future


class Holder:
    fetch = asyncio.create_task(fetch(1))  # a class body reads the global


async def declared_global():
    global fetch_task
    fetch_task = asyncio.create_task(fetch_task())
    return fetch_task
