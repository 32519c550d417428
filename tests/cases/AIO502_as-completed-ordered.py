# Lint-and-fix case file for AIO502: every unannotated line asserts silence.
import asyncio
import itertools


async def size(url):
    await asyncio.sleep(0)
    return len(url)


async def named(url):
    await asyncio.sleep(0)
    return url, len(url)


async def zipped(urls):
    for url, fut in zip(urls, asyncio.as_completed([size(u) for u in urls])):  # error: AIO502
        print(url, await fut)


async def enumerated(urls):
    results = [None] * len(urls)
    for i, fut in enumerate(asyncio.as_completed([size(u) for u in urls])):  # error: AIO502
        results[i] = await fut
    return results


async def collected(urls):
    sizes = [await f for f in asyncio.as_completed([size(u) for u in urls])]  # error: AIO502
    return dict(zip(urls, sizes))


async def appended(a, b, urls):
    sizes = []
    for fut in asyncio.as_completed([a, b]):  # error: AIO502
        sizes.append(await fut)
    for i, url in enumerate(urls):
        print(url, sizes[i])


async def with_timeout(urls):
    sizes = [await f for f in asyncio.as_completed([size(u) for u in urls], timeout=5)]  # error: AIO502
    return list(zip(urls, sizes))


# Near misses: results that carry their own key, or only counted.
async def own_key(urls):
    for fut in asyncio.as_completed([named(u) for u in urls]):
        name, n = await fut
        print(name, n)
    results = [await f for f in asyncio.as_completed([named(u) for u in urls])]
    return dict(results)


async def counted(urls):
    for n, fut in zip(itertools.count(1), asyncio.as_completed([size(u) for u in urls])):
        print(n, await fut)
    for i, fut in enumerate(asyncio.as_completed([size(u) for u in urls])):
        print(f"{i + 1} of {len(urls)}:", await fut)


async def first_finished(urls):
    sizes = [await f for f in asyncio.as_completed([size(u) for u in urls])]
    return sizes[0], max(sizes)
