# AIO303 where every other get_event_loop() outside a coroutine goes with its own fix (both
# drivers become asyncio.run()), or is one a coroutine makes, or only runs before 3.10: the
# fixes are offered. Every unannotated line asserts silence.
import asyncio
import sys


async def main():
    await asyncio.sleep(0)
    return 1


def first():
    loop = asyncio.get_event_loop()  # error: AIO303
    loop.run_until_complete(main())
    loop.close()


def second():
    return asyncio.get_event_loop().run_until_complete(main())  # error: AIO303


async def in_coroutine():
    return asyncio.get_event_loop()


if sys.version_info < (3, 7):
    legacy = asyncio.get_event_loop()
