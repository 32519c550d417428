# AIO308 with target 3.10: the alias is a different class there, so only guarded code is reported.
import asyncio
import sys
from asyncio import TimeoutError


def handler():
    return asyncio.TimeoutError, TimeoutError


if sys.version_info >= (3, 11):
    SAME = asyncio.TimeoutError  # error: AIO308
