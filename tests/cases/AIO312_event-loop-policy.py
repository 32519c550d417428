# Lint case file for AIO312 (no fix): every unannotated line asserts silence.
import asyncio
import sys
from asyncio import DefaultEventLoopPolicy as Base, iscoroutinefunction
import asyncio as aio


def flagged():
    asyncio.set_event_loop_policy(asyncio.DefaultEventLoopPolicy())  # error: AIO312, AIO312
    policy = aio.get_event_loop_policy()  # error: AIO312
    return policy, asyncio.events.BaseDefaultEventLoopPolicy  # error: AIO312


class Policy(asyncio.DefaultEventLoopPolicy):  # error: AIO312
    pass


class Patient(Base):  # error: AIO312
    pass


def split_from_aio309():
    # AIO312 was part of AIO309 (deprecated-in-3-14): the old code still silences it.
    return asyncio.get_event_loop_policy()  # noqa: AIO309


def near_misses(uvloop, obj):
    uvloop.EventLoopPolicy()
    obj.get_event_loop_policy()
    if sys.version_info < (3, 14):
        asyncio.set_event_loop_policy(None)
    return iscoroutinefunction
