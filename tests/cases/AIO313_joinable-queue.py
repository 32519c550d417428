# Lint-and-fix case file for AIO313: every unannotated line asserts silence.
import asyncio
import asyncio as aio
import sys
from asyncio import JoinableQueue
from asyncio import JoinableQueue as JQ


class Jobs(asyncio.JoinableQueue):  # error: AIO313
    pass


def make(loop):
    first = JoinableQueue(maxsize=2)  # error: AIO313
    second = aio.JoinableQueue(loop=loop)  # error: AIO313
    third = (JQ)()  # error: AIO313
    return first, second, third, asyncio.queues.JoinableQueue.join  # error: AIO313


# Near misses: the Queue it became, code that only runs before 3.5, other modules' names.
def modern():
    return asyncio.Queue()


if sys.version_info < (3, 5):
    OLD = asyncio.JoinableQueue


def elsewhere(multiprocessing):
    return multiprocessing.JoinableQueue()
