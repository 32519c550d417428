# Lint-and-fix case file for AIO313: every unannotated line asserts silence.
import asyncio
import asyncio as aio
import sys


class Jobs(asyncio.Queue):  # error: AIO313
    pass


def make(loop):
    first = asyncio.Queue(maxsize=2)  # error: AIO313
    second = asyncio.Queue(loop=loop)  # error: AIO313
    third = (asyncio.Queue)()  # error: AIO313
    return first, second, third, asyncio.Queue.join  # error: AIO313


# Near misses: the Queue it became, code that only runs before 3.5, other modules' names.
def modern():
    return asyncio.Queue()


if sys.version_info < (3, 5):
    OLD = asyncio.JoinableQueue


def elsewhere(multiprocessing):
    return multiprocessing.JoinableQueue()
