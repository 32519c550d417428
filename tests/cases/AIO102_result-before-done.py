# Lint-and-fix case file for AIO102: every unannotated line asserts silence.
import asyncio


async def compute():
    await asyncio.sleep(0)
    return 42


async def reads_too_early():
    task = asyncio.create_task(compute())
    print(task.result())  # error: AIO102
    other = asyncio.ensure_future(compute())
    return other.exception()  # error: AIO102


async def inside_the_group():
    async with asyncio.TaskGroup() as tg:
        task = tg.create_task(compute())
        print(task.result())  # error: AIO102


async def bare_future():
    loop = asyncio.get_running_loop()
    fut = loop.create_future()
    return fut.result()  # error: AIO102


async def result_only_scheduled():
    # A scheduled callback runs once the loop gets control: nothing here gives it that.
    loop = asyncio.get_running_loop()
    fut = loop.create_future()
    loop.call_later(0.1, fut.set_result, 1)
    print(fut.result())  # error: AIO102
    soon = loop.create_future()
    loop.call_soon(soon.set_result, 2)
    return soon.result()  # error: AIO102


async def ticks():
    """Suspends twice before it can finish."""
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    return 1


async def waits_a_second():
    await asyncio.sleep(1)
    return 1


async def one_sleep_is_not_waiting():
    # Each `sleep(0)` lets the task run only to its next suspension point.
    task = asyncio.create_task(ticks())
    await asyncio.sleep(0)
    print(task.result())  # error: AIO102
    slow = asyncio.create_task(waits_a_second())
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    return slow.result()  # error: AIO102


class Worker:
    async def run(self):
        await asyncio.sleep(0.5)

    async def start(self):
        task = asyncio.create_task(self.run())
        await asyncio.sleep(0)
        return task.exception()  # error: AIO102


# Near misses: something lets the task finish (or sets the future) first.
async def handed_to_an_owner(reader):
    # The reader now owns the future and completes it.
    loop = asyncio.get_running_loop()
    waiter = reader._waiter = loop.create_future()
    return waiter.result()


async def scheduled_then_yielded():
    loop = asyncio.get_running_loop()
    fut = loop.create_future()
    loop.call_soon(fut.set_result, 1)
    await asyncio.sleep(0)
    print(fut.result())
    other = loop.create_future()
    loop.call_soon_threadsafe(other.set_result, 1)
    print(other.result())
    mine = loop.create_future()
    scheduler = Scheduler()
    scheduler.call_soon(mine.set_result, 1)
    return mine.result()


class Scheduler:
    def call_soon(self, callback, *args):
        callback(*args)


async def enough_sleeps(make):
    once = asyncio.create_task(compute())
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    print(once.result())
    instant = asyncio.create_task(plain())
    await asyncio.sleep(0)
    print(instant.result())
    unknown = asyncio.create_task(make())
    await asyncio.sleep(0)
    print(unknown.result())
    looped = asyncio.create_task(ticks())
    for _ in range(3):
        await asyncio.sleep(0)
    return looped.result()


async def plain():
    return 1


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
