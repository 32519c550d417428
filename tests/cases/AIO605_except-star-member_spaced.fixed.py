# Lint-only case file for AIO605: a star handler spelled with a tab, in a file with no other
# trigger word (the byte-level pre-check must not skip it).
import asyncio


async def connect():
    await asyncio.open_connection("localhost", 1)


async def main():
    try:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(connect())
    except	* OSError as eg:
        print("failed:", eg.errno)  # error: AIO605
