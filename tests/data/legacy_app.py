"""A small asyncio program written for Python 3.6, as a team would migrate it."""
import sys
import asyncio as aio
from asyncio import coroutine, sleep, TimeoutError

if sys.version_info < (3, 7):
    # The legacy branch of a version guard stays as it is.
    def current():
        return aio.Task.current_task()
else:
    def current():
        return aio.current_task()


@coroutine
def fetch(name, delay):
    yield from sleep(delay)
    return name.upper()


@aio.coroutine
def slow():
    yield from sleep(1)


async def gather_all():
    loop = aio.get_event_loop()
    lock = aio.Lock(loop=loop)
    async with lock:
        results = await aio.gather(fetch("a", 0.02), fetch("b", 0.01), loop=loop)
    done, _ = await aio.wait([fetch("c", 0), fetch("d", 0)])
    print("gathered", results, sorted(t.result() for t in done))
    task = aio.ensure_future(fetch("e", 0))
    print("task", await task, len(aio.Task.all_tasks()) >= 1)
    try:
        await aio.wait_for(slow(), timeout=0.01, loop=loop)
    except TimeoutError:
        print("timed out")
    try:
        await aio.wait_for(slow(), timeout=0.01)
    except aio.TimeoutError:
        print("timed out again")
    print("inside a task", current() is not None)
    print("coroutine function", aio.iscoroutinefunction(fetch))


def main():
    loop = aio.get_event_loop()
    try:
        loop.run_until_complete(gather_all())
    finally:
        loop.close()


if __name__ == "__main__":
    main()
