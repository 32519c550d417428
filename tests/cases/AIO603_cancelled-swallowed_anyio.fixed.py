# Lint-and-fix case file for AIO603: functions started by anyio's task groups. anyio cancels by
# cancel scope, level triggered: a child that swallows the cancellation and returns just ends,
# and the scope's host still sees its own cancellation (anyio 4, asyncio backend). A child that
# goes on is cancelled again at its next await: a loop that swallows it spins.
import asyncio

import anyio


# Started with `start_soon`: a task body that ends after its handler, silent.
async def consume(receiver):
    try:
        await receiver.receive()
    except asyncio.CancelledError:
        pass


# A task body that goes on after the handler: reported, without a fix.
async def heartbeat(connection):
    while True:
        try:
            await connection.ping()
        except asyncio.CancelledError:  # error: AIO603
            continue


# `await tg.start(func)` for a function that takes `task_status`: a task body, silent.
async def serve(listener, *, task_status=anyio.TASK_STATUS_IGNORED):
    task_status.started()
    try:
        await listener.serve()
    except asyncio.CancelledError:
        return


# `start` for a function without `task_status`: some other `start`, a helper.
async def handle(request):
    try:
        await request.read()
    except asyncio.CancelledError:  # error: AIO603
        raise


# Started, but awaited directly as well: a helper.
async def refresh(cache):
    try:
        await cache.load()
    except asyncio.CancelledError:  # error: AIO603
        raise


async def main(receiver, connection, listener, server, cache):
    async with anyio.create_task_group() as tg:
        tg.start_soon(consume, receiver)
        tg.start_soon(heartbeat, connection, name="heartbeat")
        await tg.start(serve, listener)
        await server.start(handle)
        tg.start_soon(refresh, cache)
        await refresh(cache)
