# Lint-and-fix case file for AIO307: every unannotated line asserts silence.
import asyncio
import sys


async def job(n):
    await asyncio.sleep(0)


class Service:
    async def ping(self):
        await job(0)

    async def flagged(self):
        await asyncio.wait([job(1), job(2)])  # error: AIO307
        await asyncio.wait([job(i) for i in range(3)], timeout=1)  # error: AIO307
        coros = {job(1), asyncio.sleep(1)}
        done, pending = await asyncio.wait(coros)  # error: AIO307
        await asyncio.wait((self.ping(),))  # error: AIO307
        return done, pending

    async def near_misses(self, tasks, unknown):
        await asyncio.wait([asyncio.create_task(job(1))])
        await asyncio.wait([unknown()])
        await asyncio.wait(tasks)
        await asyncio.wait({asyncio.ensure_future(job(2))})
        if sys.version_info < (3, 11):
            await asyncio.wait([job(3)])


def sync():
    return asyncio.wait([job(1)])  # error: AIO307


async def connect_all(addresses):
    # A list filled by append (aioredis' sentinel pool): a TypeError since 3.11.
    tasks = []
    for address in addresses:
        tasks.append(job(address))
    await asyncio.wait(tasks)  # error: AIO307


async def appended_tasks(addresses):
    tasks = []
    for address in addresses:
        tasks.append(asyncio.create_task(job(address)))
    await asyncio.wait(tasks)
