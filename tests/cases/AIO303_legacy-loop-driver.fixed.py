# Lint-and-fix case file for AIO303: every unannotated line asserts silence.
import asyncio
import sys
import threading


async def main():
    await asyncio.sleep(0)
    return 1


def one_liner():
    return asyncio.get_event_loop().run_until_complete(main())  # error: AIO303


def driver():
    # make a loop
    loop = asyncio.new_event_loop()  # error: AIO303
    asyncio.set_event_loop(loop)
    try:
        print("start")
        result = loop.run_until_complete(main())
        loop.run_until_complete(loop.shutdown_asyncgens())
    finally:
        loop.close()
    return result


def several_runs():
    loop = asyncio.get_event_loop()  # error: AIO303
    loop.run_until_complete(main())
    print("between")
    loop.run_until_complete(main())
    loop.close()


def handled_after():
    loop = asyncio.new_event_loop()
    loop.run_until_complete(main())
    return loop


# Near misses: a loop for a background thread, a running loop, the modern entry points.
# (Drivers without a fix and plain get_event_loop() calls: AIO303_legacy-loop-driver_loop-needed-later.)
def background():
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    return loop


async def in_coroutine():
    return asyncio.get_running_loop()


def modern():
    asyncio.run(main())
    with asyncio.Runner() as runner:
        runner.run(main())


if sys.version_info < (3, 7):
    legacy = asyncio.get_event_loop()
    legacy.run_until_complete(main())
else:
    asyncio.run(main())

if __name__ == "__main__":
    loop = asyncio.get_event_loop()  # error: AIO303
    try:
        loop.run_until_complete(main())
    except KeyboardInterrupt:
        pass
    finally:
        loop.close()
