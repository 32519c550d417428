# Lint-only case file for AIO603: a bare handler spelled with a tab, in a file with no other
# trigger word (the byte-level pre-check must not skip it).
import asyncio


async def worker(queue):
    while True:
        try:
            await queue.get()
        except	:  # error: AIO603
            print("failed")
