# Lint-and-fix case file for AIO603: every unannotated line asserts silence.
import asyncio
import sys
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
            raise


async def swallowers(queue):
    try:
        await queue.get()
    except CancelledError:  # error: AIO603
        raise
    except:  # an earlier handler takes the cancellation
        log("failed")
    try:
        await queue.get()
    except BaseException as exc:  # error: AIO603
        log("failed")
        if isinstance(exc, CancelledError):
            raise
    try:
        await queue.get()
    except BaseException as exc:  # error: AIO603
        log("failed")
        if isinstance(exc, CancelledError):
            raise
    for _ in range(3):
        try:
            await queue.get()
        except asyncio.CancelledError:  # error: AIO603
            break
    try:
        async with asyncio.timeout(1):
            pass
    except (asyncio.CancelledError, TimeoutError) as exc:  # error: AIO603
        log("timed out")
        if isinstance(exc, CancelledError):
            raise
    await queue.put(None)


async def probe(run, fallback):
    try:
        return await run()
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # error: AIO603
        log("probe failed, trying the fallback")
        if isinstance(exc, CancelledError):
            raise
    return await fallback()


async def one_liners(queue, task):
    try:
        await queue.get()
    except asyncio.CancelledError: log("stopping"); raise  # error: AIO603
    await queue.get()


# Near misses.
async def one_line_reraise(queue, task):
    try:
        await queue.get()
    except asyncio.CancelledError: raise
    task.cancel()
    try: await task
    except asyncio.CancelledError: pass
    await queue.get()


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


# Helpers (no use here says they run as tasks): ending quietly hands their caller a normal
# return, so the caller's own cancellation (a timeout around it, a TaskGroup) is lost.
async def background_loop(queue):
    try:
        while True:
            await queue.get()
    except asyncio.CancelledError:  # error: AIO603
        raise
    queue.task_done()


async def leaves_the_loop(queue):
    while True:
        try:
            await queue.get()
        except asyncio.CancelledError:  # error: AIO603
            break
    log("stopped")


async def returns_at_once(queue):
    try:
        await queue.get()
    except asyncio.CancelledError:  # error: AIO603
        return None
    await queue.put(None)


class Tasks:
    """The same bodies run only as tasks: they end after the handler, and their owner sees it."""

    def start(self, queue, loop):
        self.tasks = [
            asyncio.create_task(self._background_loop(queue)),
            asyncio.ensure_future(self._leaves_the_loop(queue)),
            loop.create_task(self._returns_at_once(queue)),
        ]

    async def _background_loop(self, queue):
        try:
            while True:
                await queue.get()
        except asyncio.CancelledError:
            pass
        queue.task_done()

    async def _leaves_the_loop(self, queue):
        while True:
            try:
                await queue.get()
            except asyncio.CancelledError:
                break
        log("stopped")

    async def _returns_at_once(self, queue):
        try:
            await queue.get()
        except asyncio.CancelledError:
            return None
        await queue.put(None)

    async def stop(self):
        for task in self.tasks:
            task.cancel()
        await asyncio.gather(*self.tasks)


async def checks_cancelling(queue):
    try:
        await queue.get()
    except asyncio.CancelledError:
        task = asyncio.current_task()
        if task is not None and task.cancelling():
            raise
    await queue.put(None)


async def hands_it_on(queue, waiter):
    try:
        await queue.get()
    except BaseException as exc:
        waiter.set_exception(exc)
    await queue.put(None)


async def keeps_exc_info(queue, state):
    try:
        await queue.get()
    except:  # noqa: E722
        state.exc_info = sys.exc_info()
    await queue.put(None)


def sync_function(run):
    try:
        run()
    except asyncio.CancelledError:
        pass
    except BaseException:
        pass


class Subscriber:
    def start(self):
        self._task = asyncio.create_task(self._consume())

    async def _consume(self):
        # A task body: the finally runs whether or not the handler re-raises, so the task ends
        # here either way; its owner cancels it and awaits it.
        try:
            while True:
                await self.queue.get()
        except asyncio.CancelledError:
            pass
        finally:
            await self.connection.close()

    async def stop(self):
        self._task.cancel()
        await self._task


async def fetch_helper(connection):
    # Awaited directly (below): its caller's cancellation would be lost, then the finally goes on.
    try:
        await connection.request()
    except asyncio.CancelledError:  # error: AIO603
        raise
    finally:
        await connection.close()


async def use_helper(connection):
    await fetch_helper(connection)


async def else_never_runs_after_a_handler(connection):
    try:
        await connection.request()
    except asyncio.CancelledError:  # error: AIO603
        raise  # a helper: ending quietly is what loses the caller's cancellation
    else:
        await connection.commit()


class Committer:
    def start(self, connection):
        self._task = asyncio.create_task(self._commit(connection))

    async def _commit(self, connection):
        try:
            await connection.request()
        except asyncio.CancelledError:
            pass  # a task body that ends: the else is skipped after a handler
        else:
            await connection.commit()


class Engine:
    async def close(self):
        # Meant to swallow only the awaited task's cancellation (python-zeroconf), but cancelling
        # close() cancels the task too: the caller's is lost as well. Reported, without a fix.
        try:
            await self._setup_task
        except asyncio.CancelledError:  # error: AIO603
            if not self._setup_task.cancelled():
                raise
        await self._teardown()
