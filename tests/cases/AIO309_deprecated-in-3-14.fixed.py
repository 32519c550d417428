# Lint-and-fix case file for AIO309: every unannotated line asserts silence.
import asyncio
import sys
from asyncio import sleep
import asyncio as aio
import inspect


def flagged(x):
    asyncio.set_event_loop_policy(asyncio.DefaultEventLoopPolicy())  # error: AIO309, AIO309
    policy = aio.get_event_loop_policy()  # error: AIO309
    return inspect.iscoroutinefunction(x) or inspect.iscoroutinefunction(x), policy  # error: AIO309, AIO309


class Policy(asyncio.DefaultEventLoopPolicy):  # error: AIO309
    pass


def near_misses(inspect, uvloop, obj):
    inspect.iscoroutinefunction(obj)
    uvloop.EventLoopPolicy()
    obj.iscoroutinefunction = None
    if sys.version_info < (3, 14):
        asyncio.set_event_loop_policy(None)
    return sleep
