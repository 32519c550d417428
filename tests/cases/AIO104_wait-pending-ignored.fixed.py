# Lint-and-fix case file for AIO104: every unannotated line asserts silence.
import asyncio
from asyncio import FIRST_COMPLETED, wait


async def fetch(url):
    await asyncio.sleep(0)
    return url


async def first_answer(urls):
    tasks = {asyncio.create_task(fetch(url)) for url in urls}
    done, pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)  # error: AIO104
    for task in pending:
        task.cancel()
    return done.pop().result()


async def forms():
    first = (await wait([asyncio.create_task(fetch(1))], timeout=1))[0]  # error: AIO104
    await asyncio.wait({asyncio.create_task(fetch(2))}, return_when=FIRST_COMPLETED)  # error: AIO104
    a, b = asyncio.create_task(fetch(3)), asyncio.create_task(fetch(4))
    done, pending = await asyncio.wait([a, b], return_when="FIRST_EXCEPTION")  # error: AIO104
    for task in pending:
        task.cancel()
    return first, done


async def bare_statement_over_local(urls):
    tasks = [asyncio.create_task(fetch(url)) for url in urls]
    await asyncio.wait(tasks, timeout=1)  # error: AIO104


async def filled_by_append(urls):
    # Filling the list is no way to reach the tasks after the wait.
    tasks = []
    for url in urls:
        tasks.append(asyncio.create_task(fetch(url)))
    done, pending = await asyncio.wait(tasks, timeout=1)  # error: AIO104
    for task in pending:
        task.cancel()
    return done


async def created_here_pending_unread():
    tasks = set()
    tasks.add(asyncio.create_task(fetch(5)))
    done, pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)  # error: AIO104
    for task in pending:
        task.cancel()
    return done


# Near misses: the pending tasks are still in reach, or there are none.
async def callers_tasks(tasks):
    # A parameter: the caller holds the tasks and decides what becomes of them.
    done, _ = await asyncio.wait(tasks, timeout=1)
    await asyncio.wait(tasks, timeout=1)
    return done


async def copy_of_kept(registry):
    tasks = set(registry.tasks)
    done, _ = await asyncio.wait(tasks, timeout=1)
    return done


async def filled_in_the_loop_around(urls):
    tasks = []
    for url in urls:
        tasks.append(asyncio.create_task(fetch(url)))
        done, _ = await asyncio.wait(tasks, timeout=1)
        print(done)


async def handed_away_first(urls, registry):
    tasks = [asyncio.create_task(fetch(url)) for url in urls]
    registry.track(tasks)
    await asyncio.wait(tasks, timeout=1)


async def rebound_parameter(tasks):
    tasks = list(tasks)
    done, _ = await asyncio.wait(tasks, timeout=1)
    return done


async def pending_cancelled(a, b):
    done, pending = await asyncio.wait([a, b], timeout=1)
    for task in pending:
        task.cancel()
    return done


async def pending_awaited_later(a, b):
    done, pending = await asyncio.wait([a, b], return_when=asyncio.FIRST_COMPLETED)
    await asyncio.gather(*pending)
    return done


async def tasks_read_again(urls):
    tasks = [asyncio.create_task(fetch(url)) for url in urls]
    done, _ = await asyncio.wait(tasks, timeout=3)
    for task in tasks:
        task.cancel()
    return done


async def all_completed(a, b):
    done, _ = await asyncio.wait([a, b])
    done, _ = await asyncio.wait([a, b], return_when=asyncio.ALL_COMPLETED)
    done, _ = await asyncio.wait([a, b], timeout=None)
    return done


async def loop_until_done(tasks):
    pending = set(tasks)
    while pending:
        done, pending = await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
        print(len(done))


class Pool:
    async def drain(self):
        done, _ = await asyncio.wait(self.tasks, timeout=2)
        return done
