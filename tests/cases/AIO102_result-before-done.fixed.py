# Lint-and-fix case file for AIO102: every unannotated line asserts silence.
import asyncio


async def compute():
    await asyncio.sleep(0)
    return 42


async def reads_too_early():
    task = asyncio.create_task(compute())
    print(await task)  # error: AIO102
    other = asyncio.ensure_future(compute())
    return other.exception()  # error: AIO102


async def inside_the_group():
    async with asyncio.TaskGroup() as tg:
        task = tg.create_task(compute())
        print(await task)  # error: AIO102


async def bare_future():
    loop = asyncio.get_running_loop()
    fut = loop.create_future()
    return fut.result()  # error: AIO102


# Near misses: something lets the task finish (or sets the future) first.
async def after_wait():
    task = asyncio.create_task(compute())
    await asyncio.wait([task])
    return task.result()


async def after_the_group():
    async with asyncio.TaskGroup() as tg:
        task = tg.create_task(compute())
    return task.result()


async def checked_first():
    task = asyncio.create_task(compute())
    if task.done():
        return task.result()
    return await task


async def in_a_done_callback():
    task = asyncio.create_task(compute())

    def report(finished):
        print(finished.result(), task.result())

    task.add_done_callback(report)
    task.add_done_callback(lambda t: print(t.result()))
    await task


async def future_set_here():
    fut = asyncio.Future()
    fut.set_result(1)
    return fut.result()


async def after_any_suspension():
    task = asyncio.create_task(compute())
    await asyncio.sleep(0.1)
    return task.result()


async def unknown_origin(task):
    return task.result()


def plain_function(loop):
    task = loop.create_task(compute())
    loop.run_until_complete(asyncio.sleep(0))
    return task.result()
