# Lint case file for AIO403 on third-party async APIs known from the catalogue (aiofiles,
# aiosqlite, redis.asyncio are not installed here): every unannotated line asserts silence.
import aiofiles
import aiohttp
import aiofiles.os
import aiosqlite
import redis.asyncio as redis


async def files(path, data):
    async with aiofiles.open(path, "w") as f:
        written = f.write(data)  # error: AIO403
        kept = f.write(data)
        await kept
        name = f.name
    removed = aiofiles.os.remove(path)  # error: AIO403
    with open(path, "w") as sync:
        count = sync.write(data)
    return name, count


async def sqlite(path):
    db = await aiosqlite.connect(path)
    pending = db.commit()  # error: AIO403
    result = db.execute("select 1")
    async with result as cursor:
        rows = await cursor.fetchall()
    closing = db.close()
    await closing
    return rows


async def cache(url):
    r = redis.from_url(url)
    reply = r.get("key")  # error: AIO403
    pipe = r.pipeline()
    buffered = pipe.set("key", 1)
    answer = pipe.execute()  # error: AIO403
    value = r.get("key")
    return await value, buffered


async def http(url):
    async with aiohttp.ClientSession() as session:
        request = session.get(url)  # error: AIO403
        entered = session.get(url)
        async with entered as response:
            status = response.status
        sent = session.post(url)
        return status, await sent
