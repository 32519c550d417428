# AIO303 in unittest fixtures: a plain TestCase's setUp (and setUpClass, setUpModule, ...) runs
# with no event loop running, so get_event_loop() there depends on a loop set beforehand (aiosmtpd
# 1.0's tests, hummingbot's). Reported without a fix. Every unannotated line asserts silence.
import asyncio
import unittest
from unittest import TestCase


def setUpModule():
    asyncio.get_event_loop()  # error: AIO303


class TestClient(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.loop = asyncio.get_event_loop()  # error: AIO303

    def setUp(self):
        self._old_loop = asyncio.get_event_loop()  # error: AIO303
        self.loop = asyncio.new_event_loop()
        asyncio.set_event_loop(self.loop)

    def tearDown(self):
        self.loop.close()
        asyncio.set_event_loop(self._old_loop)

    def test_loop(self):
        self.assertIs(asyncio.get_event_loop(), self.loop)


class TestImported(TestCase):
    def tearDown(self):
        asyncio.get_event_loop().close()  # error: AIO303


# Near misses: IsolatedAsyncioTestCase has set its loop by then, other classes' setUp may run
# anywhere, a nested function is called later, a coroutine has a running loop.
class TestAsync(unittest.IsolatedAsyncioTestCase):
    def setUp(self):
        self.loop = asyncio.get_event_loop()


class Helper:
    def setUp(self):
        self.loop = asyncio.get_event_loop()


class TestNested(unittest.TestCase):
    def setUp(self):
        def later():
            return asyncio.get_event_loop()

        self.later = later

    async def asyncSetUp(self):
        self.loop = asyncio.get_event_loop()


def setUp():
    return asyncio.get_event_loop()
