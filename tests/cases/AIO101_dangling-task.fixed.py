# Lint-only case file for AIO101: every unannotated line asserts silence.
import asyncio
import asyncio as aio
import asyncio.tasks
import weakref
from asyncio import create_task as spawn
from asyncio import ensure_future
from typing import Any

_background_tasks: set[asyncio.Task[Any]] = set()


async def work():
    pass


class Service:
    def __init__(self):
        self._loop = asyncio.new_event_loop()
        self.tasks = []

    async def start(self):
        task = self._loop.create_task(work())  # error: AIO101
        _background_tasks.add(task)
        task.add_done_callback(_background_tasks.discard)
        task = self.loop.create_task(work())  # error: AIO101
        _background_tasks.add(task)
        task.add_done_callback(_background_tasks.discard)
        self.tasks.append(asyncio.create_task(work()))
        self.task = asyncio.create_task(work())


async def main(other):
    task = aio.create_task(work())  # error: AIO101
    _background_tasks.add(task)
    task.add_done_callback(_background_tasks.discard)
    task = spawn(work())  # error: AIO101
    _background_tasks.add(task)
    task.add_done_callback(_background_tasks.discard)
    task = ensure_future(work())  # error: AIO101
    _background_tasks.add(task)
    task.add_done_callback(_background_tasks.discard)
    task = asyncio.tasks.create_task(work())  # error: AIO101
    _background_tasks.add(task)
    task.add_done_callback(_background_tasks.discard)
    task = asyncio.get_running_loop().create_task(work())  # error: AIO101
    _background_tasks.add(task)
    task.add_done_callback(_background_tasks.discard)
    running = asyncio.get_running_loop()
    task = running.create_task(work())  # error: AIO101
    _background_tasks.add(task)
    task.add_done_callback(_background_tasks.discard)
    task = asyncio.create_task(work())  # error: AIO101
    _background_tasks.add(task)
    task.add_done_callback(_background_tasks.discard)
    task.add_done_callback(print)
    task = asyncio.create_task(work())  # error: AIO101
    _background_tasks.add(task)
    task.add_done_callback(_background_tasks.discard)
    unused = asyncio.create_task(work())  # error: AIO101
    _background_tasks.add(unused)
    unused.add_done_callback(_background_tasks.discard)
    asyncio.create_task(work()) if other else None  # error: AIO101
    [asyncio.create_task(work()) for _ in range(2)]  # error: AIO101
    running.call_soon(lambda: asyncio.create_task(work()))  # error: AIO101
    if other: task = asyncio.create_task(work()); _background_tasks.add(task); task.add_done_callback(_background_tasks.discard)  # error: AIO101
    annotated: asyncio.Task = asyncio.create_task(work())  # error: AIO101
    _background_tasks.add(annotated)
    annotated.add_done_callback(_background_tasks.discard)
    task = asyncio.get_event_loop().create_task(work())  # error: AIO101
    _background_tasks.add(task)
    task.add_done_callback(_background_tasks.discard)
    # The task refers to its callbacks, not they to it.
    callback_only = asyncio.create_task(work())  # error: AIO101
    _background_tasks.add(callback_only)
    callback_only.add_done_callback(_background_tasks.discard)
    callback_only.add_done_callback(print)
    callback_only.set_name("worker")

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
    closure = asyncio.create_task(work())

    def keep():
        return closure

    spawned = list(map(lambda _: asyncio.create_task(work()), range(2)))
    other.create_task(work())
    asyncio.create_task
    return keep, spawned


def schedule(loop):
    task = loop.create_task(work())  # error: AIO101
    _background_tasks.add(task)
    task.add_done_callback(_background_tasks.discard)
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
    task = asyncio.ensure_future(coroutine)  # error: AIO101
    _background_tasks.add(task)
    task.add_done_callback(_background_tasks.discard)


async def unknown_object_wrapped_once(factory):
    thing = factory()
    task = asyncio.ensure_future(thing)  # error: AIO101
    _background_tasks.add(task)
    task.add_done_callback(_background_tasks.discard)


async def suppressed_elsewhere(loop):
    # Suppressions of the dropped value go stale once the task is kept: the fix drops exactly those.
    task = loop.create_task(work())  # error: AIO101
    _background_tasks.add(task)
    task.add_done_callback(_background_tasks.discard)
    pending = loop.create_task(work())  # error: AIO101
    _background_tasks.add(pending)
    pending.add_done_callback(_background_tasks.discard)
    task = asyncio.create_task(work())  # noqa: E501  # error: AIO101
    _background_tasks.add(task)
    task.add_done_callback(_background_tasks.discard)


_weak_refs = weakref.WeakSet()


class WeakRegistry:
    def __init__(self):
        self._refs = weakref.WeakSet()
        self._kept = set()
        self._other = set()

    async def start(self, other):
        # A WeakSet holds its tasks without keeping them alive.
        self._refs.add(asyncio.create_task(work()))  # error: AIO101
        _weak_refs.add(asyncio.create_task(work()))  # error: AIO101
        weak_only = asyncio.create_task(work())  # error: AIO101
        _background_tasks.add(weak_only)
        weak_only.add_done_callback(_background_tasks.discard)
        self._refs.add(weak_only)
        weak_only.add_done_callback(print)

        # Near misses: a strong reference too, or reads the rule does not follow (a closure).
        both = asyncio.create_task(work())
        self._kept.add(both)
        self._refs.add(both)
        self._kept.add(asyncio.create_task(work()))
        self._other.add(asyncio.create_task(work()))
        closure_keeps = asyncio.create_task(work())
        closure_keeps.add_done_callback(lambda _: print(closure_keeps))
        bound_method = asyncio.create_task(work())
        other.add_done_callback(bound_method.cancel)
        returned = asyncio.create_task(work())
        returned.add_done_callback(print)
        return returned
