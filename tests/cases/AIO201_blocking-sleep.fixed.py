# Lint-only case file for AIO201: every unannotated line asserts silence.
import asyncio
import time
import time as clock
from time import sleep
from time import sleep as snooze


async def sleepy(flag):
    await asyncio.sleep(1)  # error: AIO201
    await asyncio.sleep(1)  # error: AIO201
    await asyncio.sleep(1)  # error: AIO201
    await asyncio.sleep(1)  # error: AIO201
    values = [await asyncio.sleep(0) for _ in range(3)]  # error: AIO201
    total = list(time.sleep(0) for _ in range(3))  # error: AIO201
    if flag:
        await asyncio.sleep(1)  # error: AIO201
    with open("f") as handle: await asyncio.sleep(1)  # error: AIO203, AIO201

    # Near misses: handed to a thread, nested sync code, asyncio's own sleep.
    await asyncio.to_thread(time.sleep, 1)
    await asyncio.get_running_loop().run_in_executor(None, time.sleep, 1)

    def inner():
        time.sleep(1)

    later = lambda: time.sleep(1)

    class Local:
        time.sleep(0)

    await asyncio.sleep(1)
    return values, total, handle, inner, later, Local


def plain():
    time.sleep(1)


async def shadowed_module():
    time = object()
    time.sleep(1)


async def shadowed_function(sleep):
    sleep(1)


async def imported_elsewhere():
    import fake_clock as time

    time.sleep(1)
