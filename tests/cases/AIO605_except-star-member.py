# Lint case file for AIO605: every unannotated line asserts silence.
import asyncio


async def connect():
    await asyncio.open_connection("localhost", 1)


async def main():
    try:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(connect())
    except* OSError as eg:
        print("failed:", eg.errno)  # error: AIO605
        print(eg.strerror, eg.filename)  # error: AIO605, AIO605
        # Near misses: what groups do have, and each member's own attributes.
        print(eg.exceptions, eg.message, eg.args, eg.__traceback__, eg.__notes__)
        for error in eg.exceptions:
            print(error.errno)
        matched, rest = eg.split(ConnectionRefusedError)
        eg.add_note("while connecting")
    except* TimeoutError as group:
        group = group.exceptions[0]
        print(group.args, group.errno)
    except* ValueError:
        pass


async def plain_handler():
    try:
        await connect()
    except OSError as error:
        print(error.errno)
