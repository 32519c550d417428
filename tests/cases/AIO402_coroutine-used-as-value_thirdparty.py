# Lint-and-fix case file for AIO402 on third-party async APIs known from the catalogue (aiofiles,
# aiosqlite, redis.asyncio are not installed here): every unannotated line asserts silence.
import aiofiles
import aiohttp
import aiofiles.os
import aiosqlite
import redis.asyncio as redis


async def files(path):
    if aiofiles.os.path.exists(path):  # error: AIO402
        pass
    if await aiofiles.os.path.exists(path):
        pass
    async with aiofiles.open(path) as f:
        text = f.read() + "\n"  # error: AIO402
        text = await f.read() + "\n"
        for line in f.readlines():  # error: AIO402
            print(line)
        print(f.name + "\n")
    with open(path) as sync:
        text = sync.read() + "\n"
    return text


async def sqlite(path):
    async with aiosqlite.connect(path) as db:
        cursor = await db.execute("select 1")
        if not cursor.fetchone():  # error: AIO402
            pass
        row = await cursor.fetchone()
        print(f"{cursor.fetchall()}")  # error: AIO402
        print(cursor.rowcount + 1)
        return row


async def cache(url):
    r = redis.from_url(url)
    if r.exists("key"):  # error: AIO402
        pass
    count = await r.incr("n") + 1
    pipe = r.pipeline()
    if pipe.get("key"):  # buffered: the pipeline itself
        pass
    return count


async def http(session: aiohttp.ClientSession, url):
    if session.get(url):  # error: AIO402
        pass
    if session.closed:
        pass
    response = await session.get(url)
    return response.status + 1
