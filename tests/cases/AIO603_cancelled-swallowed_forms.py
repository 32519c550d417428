# Lint-and-fix case file for AIO603: helpers against task bodies, and the deliberate forms.
import asyncio
import contextvars
import logging

import protocol
from unittest import mock

logger = logging.getLogger(__name__)


# A helper that returns a value on cancellation: `asyncio.timeout()` around its caller never
# fires, since the cancellation it sends comes back as a normal return.
async def read_or_none(reader):
    try:
        return await reader.read()
    except asyncio.CancelledError:  # error: AIO603
        return None


async def read_with_deadline(reader):
    async with asyncio.timeout(1):
        return await read_or_none(reader)


# Broad handlers that log and return.
async def probe(run):
    try:
        await run()
    except BaseException:  # error: AIO603
        logger.exception("probe failed")
        return False
    return True


async def probe_bare(run):
    try:
        await run()
    except:  # error: AIO603
        logger.warning("probe failed")


# Logging the exception is not handing it on (uvicorn's HTTP `run_asgi`).
async def logs_with_exc_info(app, send_500):
    try:
        await app()
    except BaseException as exc:  # error: AIO603
        logger.error("Exception in ASGI application\n", exc_info=exc)
        logger.error(f"failed: {exc!r} ({type(exc).__name__})")
        await send_500()


# An async generator that returns on cancellation: the `async for` over it ends normally.
async def ticks(clock):
    try:
        while True:
            yield await clock.tick()
    except asyncio.CancelledError:  # error: AIO603
        return


# A handler around `asyncio.shield()` that carries on: the outer cancellation is lost.
async def save(db):
    try:
        await asyncio.shield(db.commit())
    except asyncio.CancelledError:  # error: AIO603
        logger.info("the commit goes on in the background")
    await db.close()


# `return` is no way out when the finally awaits after it (and this is a helper anyway).
async def fetch(connection):
    try:
        return await connection.request()
    except asyncio.CancelledError:  # error: AIO603
        return None
    finally:
        await connection.close()


# `gather(..., return_exceptions=True)` never raises the cancelled tasks' CancelledError: the one
# caught here is the helper's own (prefect's worker channel).
async def stop_all(tasks):
    for task in tasks:
        task.cancel()
    try:
        await asyncio.gather(*tasks, return_exceptions=True)
    except asyncio.CancelledError:  # error: AIO603
        return


class Worker:
    def start(self):
        self._loop_task = asyncio.create_task(self._loop())
        self._asgi_task = asyncio.create_task(self._run_asgi())
        self._pump_task = asyncio.create_task(self._pump())
        self._drain_task = asyncio.create_task(self._drain())
        self._sender_task = asyncio.create_task(self._sender())
        self._flusher_task = contextvars.Context().run(asyncio.create_task, self._flusher())

    async def run_now(self):
        # Awaiting the task right away makes `_once` a helper: its caller waits for it.
        await asyncio.create_task(self._once())

    # A task body that goes on after the handler: reported, without a fix (re-raising would
    # surface in the owner's `task.cancel(); await task`).
    async def _loop(self):
        while True:
            try:
                await self.queue.get()
            except asyncio.CancelledError:  # error: AIO603
                logger.info("cancel requested")

    # A task body whose broad handler awaits (uvicorn's websocket `run_asgi`).
    async def _run_asgi(self):
        try:
            await self.app()
        except BaseException:  # error: AIO603
            self.closed_event.set()
            logger.exception("Exception in ASGI application")
            await self.handshake_completed_event.wait()
        self.transport.close()

    # The flag the handler sets keeps the later await off the cancelled path: the task ends.
    async def _pump(self):
        cancelled = False
        try:
            await self.source.get()
        except asyncio.CancelledError:
            cancelled = True
        if not cancelled:
            await self.sink.flush()

    # The flag says the await runs on the cancelled path: it goes on.
    async def _drain(self):
        self.stopping = False
        try:
            await self.source.get()
        except asyncio.CancelledError:  # error: AIO603
            self.stopping = True
        if self.stopping:
            await self.sink.flush()

    # A task body that ends after its handler, awaiting in the finally: clean-up, silent.
    async def _sender(self):
        try:
            while True:
                await self.queue.get()
        except asyncio.CancelledError:
            logger.info("sender stopping")
        finally:
            await self.connection.close()

    # Awaiting in an `except CancelledError:` handler, then ending, is the task's clean-up on the
    # way out (aiokafka's sender finishing its in-flight sends).
    async def _flusher(self):
        try:
            while True:
                await self.queue.get()
        except asyncio.CancelledError:
            await self.flush_in_flight()

    async def _once(self):
        try:
            await self.queue.get()
        except asyncio.CancelledError:  # error: AIO603
            pass

    async def close(self):
        for task in (self._loop_task, self._asgi_task, self._pump_task, self._drain_task, self._sender_task):
            task.cancel()
            await task


# Scheduled through a local variable, or a local function that schedules its first parameter.
class Client:
    async def _run_event(self, handler):
        try:
            await handler()
        except asyncio.CancelledError:
            pass

    def dispatch(self, handler):
        wrapped = self._run_event(handler)
        return asyncio.get_running_loop().create_task(wrapped)

    async def _fetch(self, node):
        try:
            await node.fetch()
        except asyncio.CancelledError:
            return False
        return True

    async def _fetch_all(self, nodes):
        def start_pending_task(coro, node):
            task = asyncio.create_task(coro)
            self.pending.add(task)

        for node in nodes:
            start_pending_task(self._fetch(node), node)
        await asyncio.sleep(1)

    async def _poll(self, node):
        try:
            await node.poll()
        except asyncio.CancelledError:  # error: AIO603
            return False
        return True

    def poll_later(self, node):
        coro = self._poll(node)
        self.later.append(coro)  # handed on to who knows: a helper


# Near misses.
class Tracker:
    async def stop(self, key):
        # Cancel-then-await on a subscripted task (hummingbot's order book tracker).
        self._tasks[key].cancel()
        try:
            await self._tasks[key]
        except asyncio.CancelledError:
            pass
        self.streams["trades"].cancel()
        try:
            await self.streams["trades"]
        except asyncio.CancelledError:
            pass
        await self.flush()

    async def stop_both(self):
        # Through `shield`, and under an `if` (prefect's services).
        self.consumer.cancel()
        if self.metrics:
            self.metrics.cancel()
        try:
            await asyncio.shield(self.consumer)
            if self.metrics:
                await self.metrics
        except asyncio.CancelledError:
            pass
        await self.flush()

    async def stop_one_of_two(self):
        # Only one of the awaited tasks was cancelled: a cancel of this coroutine is lost too.
        self.consumer.cancel()
        try:
            await self.consumer
            await self.metrics
        except asyncio.CancelledError:  # error: AIO603
            pass
        await self.flush()


class Connection:
    async def _cancel(self, waiter):
        # A task body: the awaited `protocol._cancel()` is another module's function.
        try:
            await protocol._cancel(waiter)
        except asyncio.CancelledError:
            pass

    def cancel_current_command(self, waiter):
        self.cancellations.add(self.loop.create_task(self._cancel(waiter)))

    async def _serve(self, server):
        # Scheduled with `app.add_task(...)` (sanic): a task body whose handler runs the stop hooks.
        try:
            await server.serve_forever()
        except asyncio.CancelledError:
            await server.close()

    def start_serving(self, app, server):
        app.add_task(self._serve(server), name="RunServer")

    def run_in_loop(self, code):
        async def callback():
            try:
                await code()
            except BaseException:
                logger.exception("console code failed")

        self.loop.call_soon_threadsafe(self.loop.create_task, callback())


async def logs_and_reraises(app):
    try:
        await app()
    except BaseException as exc:
        logger.error("failed", exc_info=exc)
        raise


async def hands_it_to_a_future(app, waiter):
    try:
        await app()
    except BaseException as exc:
        logger.error("failed", exc_info=exc)
        waiter.set_exception(exc)


async def test_consumer_stops_on_cancel(consumer):
    # The test's mock raises CancelledError to end the loop under test, and catches it.
    consumer.fetch = mock.AsyncMock(side_effect=[b"one", asyncio.CancelledError()])
    try:
        await consumer.run()
    except asyncio.CancelledError:
        pass
    assert consumer.seen == [b"one"]


async def test_consumer_without_own_cancel(consumer):
    # Nothing here raises CancelledError: a cancel that arrives is someone else's.
    try:
        await consumer.run()
    except asyncio.CancelledError:  # error: AIO603
        pass


async def test_server_copes_with_a_handler_that_suppresses_cancellation(run_app):
    # Scaffolding: the fake handler swallows cancellation on purpose (aiohttp's test_run_app).
    async def handler(request):
        try:
            await asyncio.Event().wait()
        except asyncio.CancelledError:
            await asyncio.sleep(0.5)
        return "FOO"

    await run_app(handler)


def make_handler():
    # Not in a test: a helper like any other.
    async def handler(request):
        try:
            await asyncio.Event().wait()
        except asyncio.CancelledError:  # error: AIO603
            await asyncio.sleep(0.5)
        return "FOO"

    return handler
