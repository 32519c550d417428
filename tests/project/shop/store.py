import asyncio
import functools


def logged(fn):
    @functools.wraps(fn)
    async def wrapper(*args):
        return await fn(*args)

    return wrapper


def memoize(fn):
    return fn


async def save_order(order):
    await asyncio.sleep(0)


def format_order(order):
    return str(order)


@logged
async def audit(order):
    await asyncio.sleep(0)


@memoize
async def cached(order):
    await asyncio.sleep(0)


class Connection:
    async def close(self):
        await asyncio.sleep(0)

    def reset(self):
        return None
