# Lint case file for AIO403: every unannotated line asserts silence.
import asyncio


async def notify(user):
    await asyncio.sleep(0)


def log(value):
    print(value)


def run(coroutine):
    return asyncio.run(coroutine)


def report(value):
    return log(value) or run(value)


async def flagged(user):
    pending = notify(user)  # error: AIO403
    print(pending)
    checked = notify(user)  # error: AIO403
    if checked:
        log(checked)
    forgotten = notify(user)  # error: AIO403


async def fetch_profile(user):
    await asyncio.sleep(0)
    return {"name": user, "tags": []}


async def plain_uses(user):
    profile = fetch_profile(user)  # error: AIO403
    if profile is None:
        return None
    return profile["name"]


async def more_plain_uses(user):
    profile = fetch_profile(user)  # error: AIO403
    for tag in profile:
        print(tag)
    tags = fetch_profile(user)  # error: AIO403
    names = [t for t in tags] + len(tags)
    looked_up = fetch_profile(user)  # error: AIO403
    return looked_up.get("name"), names


async def plain_uses_near_misses(user, cache):
    named = fetch_profile(user)
    label = named.__qualname__
    kept = fetch_profile(user)
    cache[user] = {"pending": kept}
    keyed = fetch_profile(user)
    cache[keyed] = user
    yielded = fetch_profile(user)
    await asyncio.gather(yielded)
    spread = fetch_profile(user)
    log(*spread)
    ran = fetch_profile(user)
    run(ran)
    reported = fetch_profile(user)
    report(reported)
    return label, named


async def near_misses(user, tg: asyncio.TaskGroup, run_later):
    awaited = notify(user)
    await awaited
    returned = notify(user)
    scheduled = notify(user)
    asyncio.create_task(scheduled)
    grouped = notify(user)
    tg.create_task(grouped)
    stored = notify(user)
    jobs = [stored]
    handed = notify(user)
    run_later(handed)
    timed = notify(user)
    await asyncio.wait_for(timed, 1)
    closed = notify(user)
    closed.close()

    async def later():
        await captured

    captured = notify(user)
    await later()
    return returned, jobs


class LoopSubclass:
    async def _serve(self, conn):
        await asyncio.sleep(0)

    def create_task(self, coro):
        return coro

    def accept(self, conn):
        # Near miss: a loop subclass schedules the coroutine through its own create_task.
        serve = self._serve(conn)
        self.create_task(serve)


class Auth:
    async def flow(self, request):
        # An async generator, which the callee oracle takes for a coroutine function.
        yield request


async def drive(auth: Auth, request):
    # Near miss (httpx's _send_handling_auth): the async generator protocol says what it is.
    flow = auth.flow(request)
    first = await flow.__anext__()
    await flow.aclose()
    return first


async def letters():
    yield "a"  # an async generator function: its call is iterated, not awaited


async def spell():
    if letters():
        pass
    pending = letters()
    print(pending)


async def annotated(user):
    from collections.abc import Awaitable, Coroutine
    from typing import Any

    typed: Awaitable[None] = notify(user)  # error: AIO403
    print(typed)
    bare: Coroutine = notify(user)  # error: AIO403
    quoted: "Coroutine[Any, Any, None]" = notify(user)  # error: AIO403
    log(quoted)
    # Near misses: a task is no coroutine; awaited later; handed on; an annotation alone.
    task: asyncio.Task[None] = asyncio.create_task(notify(user))
    print(task)
    later: Awaitable[None] = notify(user)
    print("soon")
    await later
    handed: Coroutine[Any, Any, None] = notify(user)
    run(handed)
    declared: Coroutine[Any, Any, None]
    declared = notify(user)
    await declared
    count: int
    print(bare)


annotated_at_module: "Coroutine[Any, Any, None]" = notify("module")  # error: AIO403
