# Lint-and-fix case file for AIO603: task bodies whose owner awaits the task without cancelling
# it first. Cancelling the owner while it awaits `t` cancels `t` too; a body that swallows it
# returns, `await t` returns, and the owner goes on as if it had not been cancelled (3.11).
import asyncio


async def fetch(reader):
    try:
        await reader.read()
    except asyncio.CancelledError:  # error: AIO603
        pass


async def fetch_all(reader):
    task = asyncio.create_task(fetch(reader))
    await task


async def compute(reader):
    try:
        return await reader.read()
    except asyncio.CancelledError:  # error: AIO603
        return None


async def compute_later(reader):
    task = asyncio.create_task(compute(reader))
    await asyncio.sleep(0)
    result = await task
    task.cancel()  # after the await: too late
    return result


class Client:
    def connect(self):
        self._reader = asyncio.create_task(self._read())
        self._writer: asyncio.Task[None] = asyncio.get_running_loop().create_task(self._write())

    async def _read(self):
        try:
            await self.stream.read()
        except asyncio.CancelledError:  # error: AIO603
            self.stream = None

    async def _write(self):
        try:
            await self.stream.write()
        except asyncio.CancelledError:  # error: AIO603
            return

    async def close(self):
        self.closing = True
        await self._reader

    async def abort(self):
        self._writer.cancel()
        await self._writer

    async def wait_closed(self):
        await self._writer  # awaited once without a cancel: enough


# Awaited inside its TaskGroup: the group's exit no longer sees the owner's cancellation.
async def load(reader):
    try:
        await reader.read()
    except asyncio.CancelledError:  # error: AIO603
        pass


async def load_grouped(reader):
    async with asyncio.TaskGroup() as group:
        task = group.create_task(load(reader))
        await task


# Near misses: silent.


# Left to its TaskGroup: the group's exit raises the owner's cancellation.
async def store(writer):
    try:
        await writer.write()
    except asyncio.CancelledError:
        pass


async def store_grouped(writer):
    async with asyncio.TaskGroup() as group:
        task = group.create_task(store(writer))
    return task.result()


# The owner cancels, then awaits: ending quietly is the contract.
async def stream(reader):
    try:
        await reader.read()
    except asyncio.CancelledError:
        pass


async def stop_stream(reader):
    task = asyncio.create_task(stream(reader))
    await asyncio.sleep(1)
    task.cancel()
    await task


# `gather`, `wait_for` and `shield` raise CancelledError in a cancelled owner anyway.
async def poll(reader):
    try:
        await reader.read()
    except asyncio.CancelledError:
        pass


async def poll_gathered(reader):
    task = asyncio.create_task(poll(reader))
    await asyncio.gather(task)


async def poll_waited(reader):
    task = asyncio.create_task(poll(reader))
    await asyncio.wait_for(task, 1)


async def poll_shielded(reader):
    task = asyncio.create_task(poll(reader))
    await asyncio.shield(task)


# A name bound twice may hold another task when it is awaited: not followed.
async def pump(reader):
    try:
        await reader.read()
    except asyncio.CancelledError:
        pass


async def pump_twice(reader, other):
    task = asyncio.create_task(pump(reader))
    task = asyncio.create_task(other())
    await task


class Server:
    def start(self):
        self._task = asyncio.create_task(self._serve())

    async def _serve(self):
        try:
            await self.listener.accept()
        except asyncio.CancelledError:
            self.listener = None

    async def stop(self):
        self._task.cancel()
        await self._task


class Watcher:
    # Another class's `self._task`, and another object's: not this class's task.
    async def wait(self, server):
        await self._task
        await server._task
