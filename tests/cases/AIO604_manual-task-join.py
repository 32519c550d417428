# Lint-and-fix case file for AIO604 (opt-in): every unannotated line asserts silence.
import asyncio


async def fetch(name):
    await asyncio.sleep(0)
    return name


async def gathered():
    # load both at once
    users = asyncio.create_task(fetch("users"))  # error: AIO604
    orders = asyncio.create_task(fetch("orders"))
    u, o = await asyncio.gather(users, orders)
    print(u, o)


async def each():
    a = asyncio.create_task(fetch("a"))  # error: AIO604
    b = asyncio.create_task(fetch("b"), name="b")
    print("started")
    x = await b
    await a
    return x


async def returned():
    a = asyncio.create_task(fetch("a"))  # error: AIO604
    b = asyncio.create_task(fetch("b"))
    return await asyncio.gather(a, b)


# Near misses: a single task, tasks used otherwise, joins that are not plain.
async def single():
    a = asyncio.create_task(fetch("a"))
    print("meanwhile")
    return await a


async def used_elsewhere():
    a = asyncio.create_task(fetch("a"))
    b = asyncio.create_task(fetch("b"))
    a.add_done_callback(print)
    await asyncio.gather(a, b)


async def errors_collected():
    a = asyncio.create_task(fetch("a"))
    b = asyncio.create_task(fetch("b"))
    return await asyncio.gather(a, b, return_exceptions=True)


async def early_return(flag):
    a = asyncio.create_task(fetch("a"))
    b = asyncio.create_task(fetch("b"))
    if flag:
        return None
    await a
    await b


async def partly_joined():
    a = asyncio.create_task(fetch("a"))
    b = asyncio.create_task(fetch("b"))
    await a
    return b


async def results_unused():
    a = asyncio.create_task(fetch("a"))  # error: AIO604
    b = asyncio.create_task(fetch("b"))
    await asyncio.gather(a, b)
    print("both done")
