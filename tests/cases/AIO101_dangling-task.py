# Lint-only case file for AIO101: every unannotated line asserts silence.
import asyncio
import asyncio as aio
import asyncio.tasks
from asyncio import create_task as spawn
from asyncio import ensure_future


async def work():
    pass


class Service:
    def __init__(self):
        self._loop = asyncio.new_event_loop()
        self.tasks = []

    async def start(self):
        self._loop.create_task(work())  # error: AIO101
        self.loop.create_task(work())  # error: AIO101
        self.tasks.append(asyncio.create_task(work()))
        self.task = asyncio.create_task(work())


async def main(other):
    aio.create_task(work())  # error: AIO101
    spawn(work())  # error: AIO101
    ensure_future(work())  # error: AIO101
    asyncio.tasks.create_task(work())  # error: AIO101
    asyncio.get_running_loop().create_task(work())  # error: AIO101
    running = asyncio.get_running_loop()
    running.create_task(work())  # error: AIO101
    asyncio.create_task(work()).add_done_callback(print)  # error: AIO101
    _ = asyncio.create_task(work())  # error: AIO101
    unused = asyncio.create_task(work())  # error: AIO101
    asyncio.create_task(work()) if other else None  # error: AIO101
    [asyncio.create_task(work()) for _ in range(2)]  # error: AIO101
    running.call_soon(lambda: asyncio.create_task(work()))  # error: AIO101
    if other: asyncio.create_task(work())  # error: AIO101

    # Near misses: awaited, kept, passed on, or owned by a TaskGroup.
    await asyncio.create_task(work())
    kept = asyncio.create_task(work())
    await kept
    tasks = [asyncio.create_task(work()) for _ in range(2)]
    await asyncio.gather(*tasks)
    await asyncio.gather(asyncio.create_task(work()))
    async with asyncio.TaskGroup() as tg:
        tg.create_task(work())
    async with other.session() as loop:
        loop.create_task(work())
    read_later = asyncio.create_task(work())
    read_later.add_done_callback(print)
    closure = asyncio.create_task(work())

    def keep():
        return closure

    spawned = list(map(lambda _: asyncio.create_task(work()), range(2)))
    other.create_task(work())
    asyncio.create_task
    return keep, spawned


def schedule(loop):
    loop.create_task(work())  # error: AIO101
    return loop.create_task(work())


module_task = asyncio.ensure_future(work())


class Holder:
    task = asyncio.ensure_future(work())


def shadowed(asyncio):
    asyncio.create_task(work())


def on_readable(loop, fd, work):
    # add_reader/add_writer drop what the callback returns, as call_soon does (the one catalogue).
    loop.add_reader(fd, lambda: asyncio.create_task(work()))  # error: AIO101
    loop.add_writer(fd, lambda: asyncio.create_task(work()))  # error: AIO101


async def kept_then_wrapped(loop, context, refs):
    # ensure_future of a task already kept returns that task: nothing new is dropped.
    task = context.run(loop.create_task, work())
    refs.add(task)
    asyncio.ensure_future(task).add_done_callback(refs.discard)
    return task


async def coroutine_then_wrapped():
    coroutine = work()
    asyncio.ensure_future(coroutine)  # error: AIO101


async def unknown_object_wrapped_once(factory):
    thing = factory()
    asyncio.ensure_future(thing)  # error: AIO101


async def suppressed_elsewhere(loop):
    # Suppressions of the dropped value go stale once the task is kept: the fix drops exactly those.
    loop.create_task(work())  # type: ignore[unused-awaitable]  # error: AIO101
    pending = loop.create_task(work())  # noqa: F841  # error: AIO101
    asyncio.create_task(work())  # noqa: RUF006, E501  # error: AIO101
