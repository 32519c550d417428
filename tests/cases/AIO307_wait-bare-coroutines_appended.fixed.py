# Lint-and-fix case file for AIO307 with unsafe fixes: coroutines appended to a list are wrapped
# where they are appended.
import asyncio


async def job(n):
    await asyncio.sleep(0)


async def connect_all(addresses):
    tasks = []
    for address in addresses:
        tasks.append(asyncio.create_task(job(address)))
    await asyncio.wait(tasks)  # error: AIO307


def sync_builder(addresses):
    tasks = []
    for address in addresses:
        tasks.append(job(address))
    return asyncio.wait(tasks)  # error: AIO307
