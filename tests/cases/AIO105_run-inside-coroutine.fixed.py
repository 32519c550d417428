# Lint-and-fix case file for AIO105: every unannotated line asserts silence.
import asyncio
from asyncio import run


async def fetch():
    await asyncio.sleep(0)
    return 1


async def main(loop):
    value = await fetch()  # error: AIO105
    other = await fetch()  # error: AIO105
    await fetch()  # error: AIO105
    attribute = (await fetch()).bit_length()  # error: AIO105
    debug = asyncio.run(fetch(), debug=True)  # error: AIO105
    # Near misses: nested functions run elsewhere (a thread, a callback).
    in_thread = await asyncio.to_thread(lambda: asyncio.run(fetch()))

    def worker():
        return asyncio.run(fetch())

    return value, other, attribute, debug, in_thread, worker


def sync_entry_point():
    return asyncio.run(fetch())


if __name__ == "__main__":
    asyncio.run(main(None))
