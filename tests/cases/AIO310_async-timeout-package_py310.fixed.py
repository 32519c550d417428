# AIO310 with target 3.10 (no asyncio.timeout there): only code guarded for 3.11 is reported.
import asyncio
import sys

import async_timeout


async def fetch(reader):
    async with async_timeout.timeout(1):
        return await reader.read()


if sys.version_info >= (3, 11):
    async def modern(reader):
        async with asyncio.timeout(1):  # error: AIO310
            return await reader.read()
else:
    async def legacy(reader):
        async with async_timeout.timeout(1):
            return await reader.read()
