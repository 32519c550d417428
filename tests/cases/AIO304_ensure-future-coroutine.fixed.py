# Lint-and-fix case file for AIO304: every unannotated line asserts silence.
import asyncio
from typing import Any

_background_tasks: set[asyncio.Task[Any]] = set()


async def tick():
    await asyncio.sleep(0)


class Worker:
    async def step(self):
        await tick()

    async def run(self, loop, fut, fetch):
        task_1 = asyncio.create_task(self.step())  # error: AIO304, AIO101
        _background_tasks.add(task_1)
        task_1.add_done_callback(_background_tasks.discard)
        task = asyncio.create_task(tick())  # error: AIO304
        other = asyncio.create_task(fetch())  # error: AIO304
        sleeper = asyncio.create_task(asyncio.sleep(1))  # error: AIO304
        looped = asyncio.ensure_future(tick(), loop=loop)  # error: AIO304
        # Near misses: futures and tasks, names that may hold one, the preferred spelling.
        executor = asyncio.ensure_future(loop.run_in_executor(None, print))
        future = asyncio.ensure_future(fut)
        gathered = asyncio.ensure_future(asyncio.gather(tick(), tick()))
        created = asyncio.create_task(tick())
        return task, other, sleeper, looped, executor, future, gathered, created


def sync_callback():
    return asyncio.ensure_future(tick())  # error: AIO304


class Accumulator:
    def __init__(self, loop):
        self._waiter = loop.create_future()

    def waiter(self):
        return self._waiter  # a plain method: the result is a future


async def drain(loop):
    accumulator = Accumulator(loop)
    return asyncio.ensure_future(accumulator.waiter())  # known plain: create_task would raise TypeError
