# Lint case file for AIO403: every unannotated line asserts silence.
import asyncio


async def notify(user):
    await asyncio.sleep(0)


def log(value):
    return value


async def flagged(user):
    pending = notify(user)  # error: AIO403
    print(pending)
    checked = notify(user)  # error: AIO403
    if checked:
        log(checked)
    forgotten = notify(user)  # error: AIO403


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
