# Lint-and-fix case file for AIO301: every unannotated line asserts silence.
import asyncio
import asyncio.tasks
import sys


async def flagged():
    asyncio.all_tasks()  # error: AIO301
    asyncio.current_task()  # error: AIO301
    handler = asyncio.all_tasks  # error: AIO301
    return handler


async def near_misses(loop):
    asyncio.all_tasks()
    asyncio.current_task()
    asyncio.all_tasks(loop)
    loop.all_tasks()  # some other object's method


if sys.version_info < (3, 9):
    ALL = asyncio.Task.all_tasks
else:
    ALL = asyncio.all_tasks


class Task:
    @classmethod
    def all_tasks(cls):
        return []


def own_class():
    return Task.all_tasks()
