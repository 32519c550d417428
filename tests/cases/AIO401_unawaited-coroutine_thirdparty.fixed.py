# Lint-and-fix case file for AIO401 on third-party async APIs the oracle knows from the catalogue
# (aiofiles, aiosqlite, redis.asyncio are not installed here): every unannotated line asserts silence.
import aiofiles
import aiohttp
import aiofiles.os
import aiosqlite
import redis.asyncio as redis
from aiofiles import os as aios
from aiofiles.threadpool.text import AsyncTextIOWrapper
from redis.asyncio import Redis


async def files(path, data):
    async with aiofiles.open(path, "w") as f:
        await f.write(data)  # error: AIO401
        await f.flush()  # error: AIO401
        await f.write(data)
        f.fileno()  # a plain proxy method
        f.readable()  # a coroutine in the text wrapper, plain in the binary ones: unknown
        f.name
    handle = await aiofiles.open(path)
    await handle.close()  # error: AIO401
    await aiofiles.os.remove(path)  # error: AIO401
    await aios.path.exists(path)  # error: AIO401
    await aiofiles.os.remove(path)
    aiofiles.open(path)  # a context manager, not a coroutine: unknown
    with open(path) as sync:
        sync.write(data)
    opener = aiofiles.open(path)
    opener.write(data)  # the opener has no such method: unknown


async def typed(wrapper: AsyncTextIOWrapper, data):
    await wrapper.writelines(data)  # error: AIO401
    await wrapper.writelines(data)


async def sqlite(path):
    async with aiosqlite.connect(path) as db:
        await db.execute("insert")  # error: AIO401
        await db.commit()  # error: AIO401
        await db.execute("insert")
        db.in_transaction
        db.stop()  # plain
        async with db.execute("select") as cursor:
            await cursor.fetchall()  # error: AIO401
            cursor.rowcount
        cursor2 = await db.cursor()
        await cursor2.close()  # error: AIO401
    connection = await aiosqlite.connect(path)
    await connection.rollback()  # error: AIO401
    connection.iterdump()  # an async generator: iterated, never awaited


async def cache(url, client: Redis):
    r = redis.from_url(url)
    await r.set("key", 1)  # error: AIO401
    await client.delete("key")  # error: AIO401
    await r.set("key", 1)
    pipe = r.pipeline()
    pipe.set("key", 1)  # buffered: returns the pipeline
    pipe.incr("n")
    await pipe.execute()  # error: AIO401
    await pipe.execute()
    async with client.pipeline(transaction=True) as tx:
        tx.set("key", 1).get("key")
        await tx.execute()
    async with redis.Redis() as r3:
        await r3.publish("channel", "message")  # error: AIO401
        r3.pubsub()
        r3.lock("name")
        r3.scan_iter()  # an async generator
    cluster = redis.RedisCluster()
    cluster.set("key", 1)  # not declared: unknown


def sync_code(path):
    aiofiles.os.remove(path)  # error: AIO401


async def http(url):
    async with aiohttp.ClientSession() as session:
        await session.get(url)  # error: AIO401
        await session.post(url, data=b"x")  # error: AIO401
        async with session.get(url) as response:
            response.raise_for_status()
        await session.get(url)
        session.closed
        session.detach()  # plain
    other = aiohttp.ClientSession()
    await other.close()  # error: AIO401
