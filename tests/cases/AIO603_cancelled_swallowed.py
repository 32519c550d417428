# Lint-and-fix case file for AIO603: every unannotated line asserts silence.
import asyncio
from asyncio import CancelledError


def log(*args):
    print(*args)


async def worker(queue):
    while True:
        try:
            job = await queue.get()
            log(job)
        except asyncio.CancelledError:  # error: AIO603
            log("stopping")


async def swallowers(queue):
    try:
        await queue.get()
    except CancelledError:  # error: AIO603
        pass
    except:  # an earlier handler takes the cancellation
        log("failed")
    try:
        await queue.get()
    except BaseException:  # error: AIO603
        log("failed")
    try:
        await queue.get()
    except:  # error: AIO603
        log("failed")
    for _ in range(3):
        try:
            await queue.get()
        except asyncio.CancelledError:  # error: AIO603
            break
    try:
        async with asyncio.timeout(1):
            pass
    except (asyncio.CancelledError, TimeoutError):  # error: AIO603
        return None


# Near misses.
async def stop(task):
    task.cancel()
    try:
        await task
    except asyncio.CancelledError:
        pass


class Service:
    async def close(self):
        self._task.cancel()
        try:
            await self._task
        except asyncio.CancelledError:
            pass


async def reraises(queue):
    try:
        await queue.get()
    except asyncio.CancelledError:
        log("cancelled")
        raise
    try:
        await queue.get()
    except asyncio.CancelledError as error:
        raise RuntimeError("shutting down") from error
    try:
        await queue.get()
    except BaseException:
        if queue.empty():
            raise
        else:
            raise RuntimeError("interrupted")


async def deliberate(queue):
    try:
        await queue.get()
    except asyncio.CancelledError:
        asyncio.current_task().uncancel()


async def nothing_to_cancel(text):
    try:
        value = int(text)
    except BaseException:
        value = 0
    return value


async def ordinary_errors(queue):
    try:
        await queue.get()
    except Exception:
        log("failed")


def sync_function(run):
    try:
        run()
    except asyncio.CancelledError:
        pass
    except BaseException:
        pass
