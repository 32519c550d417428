# Lint-and-fix case file for AIO310 (target 3.11, unsafe fixes on): every unannotated line asserts silence.
import asyncio
import contextlib
import sys

import async_timeout
from async_timeout import timeout as async_timeout_cm
from async_timeout import timeout_at


async def fetch(reader, loop):
    async with async_timeout.timeout(1.5):  # error: AIO310
        data = await reader.read()
    async with async_timeout_cm(None) as unused:  # error: AIO310
        await reader.read()
    async with timeout_at(loop.time() + 1):  # error: AIO310
        await reader.read()
    async with async_timeout.timeout(2, loop=loop):  # error: AIO310
        await reader.read()
    return data


async def old_sync_form(reader, timeout):
    # The synchronous `with` (removed in async-timeout 5.0): `async with`, unsafe.
    with async_timeout.timeout(timeout):  # error: AIO310
        return await reader.read()


async def split_off(reader, timeout):
    with async_timeout_cm(timeout), contextlib.ExitStack() as stack:  # error: AIO310
        stack.callback(print, "closed")
        return await reader.read()


# Reported, no fix: the value is read (its `expired` is a property, asyncio's a method), the
# timeout comes after another item or shares parentheses with it (and their comments), it is not the with-item itself, or there is no coroutine.
async def read_expired(reader):
    async with async_timeout.timeout(1) as cm:  # error: AIO310
        await reader.read()
    return cm.expired


async def second_item(reader):
    with contextlib.ExitStack(), async_timeout.timeout(1):  # error: AIO310
        return await reader.read()


async def parenthesized(reader):
    with (
        async_timeout.timeout(1),  # error: AIO310
        contextlib.ExitStack(),
    ):
        return await reader.read()


async def stored(reader):
    limit = async_timeout.timeout(1)  # error: AIO310
    async with limit:
        return await reader.read()


def sync_function():
    with async_timeout.timeout(1):  # error: AIO310
        pass


async def by_keyword(reader):
    async with async_timeout.timeout(delay=1):  # error: AIO310
        await reader.read()


# Near misses: asyncio's own, code that only runs before 3.11, a local named like the package.
async def native(reader):
    async with asyncio.timeout(1):
        await reader.read()


if sys.version_info < (3, 11):
    async def legacy(reader):
        async with async_timeout.timeout(1):
            await reader.read()


def shadowed(async_timeout):
    return async_timeout.timeout(1)
