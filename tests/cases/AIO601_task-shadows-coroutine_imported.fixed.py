# Lint-and-fix case file for AIO601, coroutine functions imported rather than defined here.
import asyncio
from asyncio import sleep
from functools import partial


async def main():
    sleep_task = asyncio.create_task(sleep(1))  # error: AIO601
    await sleep_task


async def plain_import():
    partial = asyncio.create_task(partial(print))  # not known to be a coroutine function
    await partial
