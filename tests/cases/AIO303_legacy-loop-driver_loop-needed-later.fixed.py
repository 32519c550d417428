# AIO303 where the module needs a current event loop after the driver: asyncio.run() (and Runner)
# leave none, so each get_event_loop() kept below would raise RuntimeError after the fix. The
# drivers are reported without a fix. Every unannotated line asserts silence.
import asyncio
import sys
import unittest


async def main():
    await asyncio.sleep(0)
    return 1


def one_liner():
    return asyncio.get_event_loop().run_until_complete(main())  # error: AIO303


def driver():
    loop = asyncio.get_event_loop()  # error: AIO303
    loop.run_until_complete(main())
    loop.close()


# Drivers without a fix of their own keep their get_event_loop().
def signal_handlers():
    loop = asyncio.get_event_loop()  # error: AIO303
    loop.add_signal_handler(2, print)
    loop.run_until_complete(main())


def future_argument():
    loop = asyncio.get_event_loop()  # error: AIO303
    loop.run_until_complete(asyncio.gather(main(), main()))


# A helper and a test's setUp (reported itself) that run with no loop of their own (hummingbot's tests).
def callback():
    return asyncio.get_event_loop()


class TestClient(unittest.TestCase):
    def setUp(self):
        self.loop = asyncio.get_event_loop()  # error: AIO303

    def test_ping(self):
        self.assertEqual(self.loop.run_until_complete(main()), 1)


# Near misses (they do not withhold the fix): get_event_loop() in a coroutine returns the
# running loop, and code that only runs before 3.10 never runs on the target.
async def in_coroutine():
    return asyncio.get_event_loop()


if sys.version_info < (3, 7):
    legacy = asyncio.get_event_loop()
