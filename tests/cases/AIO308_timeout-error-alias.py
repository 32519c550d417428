# Lint-and-fix case file for AIO308 (target 3.11): every unannotated line asserts silence.
import asyncio
import asyncio.exceptions
import sys
from asyncio import TimeoutError  # error: AIO308
from asyncio import sleep, TimeoutError as AsyncTimeout  # error: AIO308


async def main():
    try:
        await asyncio.wait_for(sleep(1), 0.01)
    except (asyncio.TimeoutError, asyncio.exceptions.TimeoutError, TimeoutError, AsyncTimeout):  # error: AIO308, AIO308
        print("timeout")


if sys.version_info >= (3, 11):
    Builtin = TimeoutError
else:
    Distinct = asyncio.TimeoutError  # a different class before 3.11


def shadowed(TimeoutError):
    return asyncio.TimeoutError  # error: AIO308
