# Lint-and-fix case file for AIO308 (target 3.11): every unannotated line asserts silence.
import asyncio
import asyncio.exceptions
import sys
from asyncio import sleep  # error: AIO308
AsyncTimeout = TimeoutError


async def main():
    try:
        await asyncio.wait_for(sleep(1), 0.01)
    except (TimeoutError, TimeoutError, TimeoutError, AsyncTimeout):  # error: AIO308, AIO308
        print("timeout")


if sys.version_info >= (3, 11):
    Builtin = TimeoutError
else:
    Distinct = asyncio.TimeoutError  # a different class before 3.11


def shadowed(TimeoutError):
    return asyncio.TimeoutError  # error: AIO308
