# Lint-and-fix case file for AIO604 (opt-in): every unannotated line asserts silence.
import asyncio


async def fetch(name):
    await asyncio.sleep(0)
    return name


async def gathered():
    # load both at once
    async with asyncio.TaskGroup() as tg:
        users = tg.create_task(fetch("users"))  # error: AIO604
        orders = tg.create_task(fetch("orders"))
    u, o = users.result(), orders.result()
    print(u, o)


async def each():
    async with asyncio.TaskGroup() as tg:
        tg.create_task(fetch("a"))  # error: AIO604
        b = tg.create_task(fetch("b"), name="b")
        print("started")
    x = b.result()
    return x


async def returned():
    async with asyncio.TaskGroup() as tg:
        a = tg.create_task(fetch("a"))  # error: AIO604
        b = tg.create_task(fetch("b"))
    return [a.result(), b.result()]


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
    async with asyncio.TaskGroup() as tg:
        tg.create_task(fetch("a"))  # error: AIO604
        tg.create_task(fetch("b"))
    print("both done")
