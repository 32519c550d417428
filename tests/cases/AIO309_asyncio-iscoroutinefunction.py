# Lint-and-fix case file for AIO309: every unannotated line asserts silence.
import asyncio
import sys
from asyncio import iscoroutinefunction, sleep
import asyncio as aio


def flagged(x):
    check = aio.iscoroutinefunction  # error: AIO309
    return iscoroutinefunction(x) or asyncio.iscoroutinefunction(x), check  # error: AIO309, AIO309


def near_misses(inspect, obj):
    inspect.iscoroutinefunction(obj)
    obj.iscoroutinefunction = None
    if sys.version_info < (3, 14):
        asyncio.iscoroutinefunction(obj)
    return sleep
