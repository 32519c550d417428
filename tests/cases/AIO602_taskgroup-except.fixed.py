# Lint-and-fix case file for AIO602: every unannotated line asserts silence.
import asyncio
from asyncio import TaskGroup


class GroupError(ExceptionGroup):
    pass


async def parse(text):
    await asyncio.sleep(0)
    return int(text)


async def converted(text):
    try:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(parse(text))
    except* ValueError as error:  # error: AIO602
        print("bad input", error)
    except* (KeyError, OSError):  # error: AIO602
        pass
    except* Exception:
        raise
    finally:
        print("done")


async def not_convertible(text):
    try:
        results = []
        async with TaskGroup() as tg:
            tg.create_task(parse(text))
    except ValueError:  # error: AIO602
        return None
    try:
        async with TaskGroup() as tg:
            tg.create_task(parse(text))
    except ValueError as error:  # error: AIO602
        print(error.args)
    except asyncio.CancelledError:
        raise
    try:
        async with TaskGroup() as tg:
            tg.create_task(parse(text))
    except OSError as error:  # error: AIO602
        print(error.errno)
    return results


# Near misses: handlers that do run.
async def star_handlers(text):
    try:
        async with TaskGroup() as tg:
            tg.create_task(parse(text))
    except* ValueError:
        pass


async def group_handlers(text):
    try:
        async with TaskGroup() as tg:
            tg.create_task(parse(text))
    except ExceptionGroup:
        pass
    try:
        async with TaskGroup() as tg:
            tg.create_task(parse(text))
    except (Exception, GroupError):
        pass
    try:
        async with TaskGroup() as tg:
            tg.create_task(parse(text))
    except GroupError:
        pass
    except asyncio.CancelledError:
        raise
    except KeyboardInterrupt:
        pass


async def gathered(text):
    try:
        await asyncio.gather(parse(text))
    except ValueError:
        pass


async def other_work_in_the_try(text):
    try:
        value = int(text)
        async with TaskGroup() as tg:
            tg.create_task(parse(text))
    except ValueError:
        value = 0
    return value
