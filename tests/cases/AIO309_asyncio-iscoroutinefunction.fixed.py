# Lint-and-fix case file for AIO309: every unannotated line asserts silence.
import asyncio
import inspect
import sys
from asyncio import sleep
import asyncio as aio


def flagged(x):
    check = inspect.iscoroutinefunction  # error: AIO309
    return inspect.iscoroutinefunction(x) or inspect.iscoroutinefunction(x), check  # error: AIO309, AIO309


def near_misses(inspect, obj):
    inspect.iscoroutinefunction(obj)
    obj.iscoroutinefunction = None
    if sys.version_info < (3, 14):
        asyncio.iscoroutinefunction(obj)
    return sleep
