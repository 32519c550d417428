# Lint-and-fix case file for AIO103: every unannotated line asserts silence.
import asyncio
from asyncio import create_task as spawn


async def heartbeat():
    await asyncio.sleep(1)


task = asyncio.create_task(heartbeat())  # error: AIO103
other = spawn(heartbeat())  # error: AIO103
tasks = [asyncio.create_task(heartbeat()) for _ in range(2)]  # error: AIO103


class Service:
    loop = asyncio.get_running_loop()  # error: AIO103

    def __init__(self):
        self.task = asyncio.create_task(heartbeat())  # error: AIO103


def setup():
    return asyncio.current_task()  # error: AIO103


service = Service()
setup()

if __name__ == "__main__":
    asyncio.ensure_future(heartbeat())  # error: AIO103


# Near misses: a loop may be running there.
async def main():
    helper()
    asyncio.create_task(heartbeat())
    Worker()
    return asyncio.get_running_loop(), asyncio.current_task()


def helper():
    return asyncio.create_task(heartbeat())


helper()  # also called from main(): not only at import time


class Worker:
    def __init__(self):
        self.task = asyncio.create_task(heartbeat())


def only_from_coroutines():
    return asyncio.get_running_loop()


callback = lambda: asyncio.create_task(heartbeat())  # noqa: E731

try:
    running = asyncio.get_running_loop()
except RuntimeError:
    running = None


def decorated(function):
    return function


@decorated
def registered():
    return asyncio.current_task()


registered()
future = asyncio.ensure_future(asyncio.Future())
