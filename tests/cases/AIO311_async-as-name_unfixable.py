# Lint-only case file for AIO311: names other than `asyncio.async(` are reported without a fix,
# and the file stays unparseable (AIO001 says so once).
import asyncio


def connect(host, async=False):  # error: AIO311
    return asyncio.async(host)  # error: AIO311
