# Lint-and-fix case file for AIO602 with a py310 target: reported, no `except*` fix.
import asyncio


async def parse(text):
    return int(text)


async def main(text):
    try:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(parse(text))
    except ValueError:  # error: AIO602
        pass
