# Lint-and-fix case file for AIO502: every unannotated line asserts silence.
import asyncio
import concurrent.futures
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
    sizes = await asyncio.gather(*[size(u) for u in urls])  # error: AIO502
    return dict(zip(urls, sizes))


async def appended(a, b, urls):
    sizes = []
    sizes.extend(await asyncio.gather(a, b))  # error: AIO502
    for i, url in enumerate(urls):
        print(url, sizes[i])


async def with_timeout(urls):
    sizes = [await f for f in asyncio.as_completed([size(u) for u in urls], timeout=5)]  # error: AIO502
    return list(zip(urls, sizes))


async def looked_up_by_key(urls):
    tasks = {asyncio.create_task(size(u)): u for u in urls}
    for fut in asyncio.as_completed(tasks):
        url = tasks[fut]  # error: AIO502
        print(url, await fut)


async def looked_up_by_identity(urls):
    tasks = {u: asyncio.create_task(size(u)) for u in urls}
    for fut in asyncio.as_completed(tasks.values()):
        url = next(k for k, v in tasks.items() if v is fut)  # error: AIO502
        print(url, await fut)


async def looked_up_in_a_loop(urls):
    tasks = {u: asyncio.create_task(size(u)) for u in urls}
    for fut in asyncio.as_completed(list(tasks.values())):
        for url, task in tasks.items():
            if fut == task:  # error: AIO502
                print(url, await fut)


class Pool:
    async def drain(self):
        for fut in asyncio.as_completed(self.pending):
            if fut in self.pending:  # error: AIO502
                self.pending.remove(fut)
            await fut


async def removed(pending):
    for fut in asyncio.as_completed(pending):
        pending.discard(fut)  # error: AIO502
        await fut


# Near misses: the lookup goes by the result, another container, or `async for` (3.13+:
# it yields the inputs themselves).
async def lookup_near_misses(urls, other):
    tasks = {asyncio.create_task(named(u)): u for u in urls}
    for fut in asyncio.as_completed(tasks):
        url, n = await fut
        print(tasks.get(url), other[fut], fut in other, n)
    for fut in asyncio.as_completed(tasks):
        fut = await fut
        print(tasks[fut])
    for fut in asyncio.as_completed([size(u) for u in urls]):
        print(await fut)
    async for fut in asyncio.as_completed(tasks):
        print(tasks[fut])


def threads(pool, urls):
    # Near miss: concurrent.futures.as_completed yields the futures it was given.
    futures = {pool.submit(len, u): u for u in urls}
    for fut in concurrent.futures.as_completed(futures):
        print(futures[fut], fut.result())


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


async def enumerated_lookups(urls):
    # `i` counts completions; `fut` is a new awaitable, never one of `tasks`.
    tasks = [asyncio.create_task(size(u)) for u in urls]
    for i, fut in enumerate(asyncio.as_completed(tasks)):  # error: AIO502
        print(urls[i], tasks[i].result(), await fut)
    for i, fut in enumerate(asyncio.as_completed(tasks)):
        print(i, tasks.index(fut), await fut)  # error: AIO502
    by_task = {t: u for t, u in zip(tasks, urls)}
    for n, fut in enumerate(asyncio.as_completed(by_task), 1):
        if fut in by_task:  # error: AIO502
            print(n, by_task[fut])


# Near misses: enumerate of a plain list; an enumerated completion only counted; `fut` rebound.
async def enumerated_near_misses(urls):
    tasks = [asyncio.create_task(size(u)) for u in urls]
    for i, task in enumerate(tasks):
        print(urls[i], task in tasks, tasks[i] is task)
    for n, fut in enumerate(asyncio.as_completed(tasks), 1):
        print(f"{n}/{len(tasks)} done:", await fut)
    for i, fut in enumerate(asyncio.as_completed(tasks)):
        fut = tasks[0]
        print(i, tasks.index(fut))
    for i, fut in enumerate(asyncio.as_completed(tasks)):
        print(i, fut in urls, await fut)
