"""Import placement: `import asyncio` joins the sorted standard-library group in order."""

from __future__ import annotations

import asyncio
import contextlib
import os
from pathlib import Path

import attr

from mypackage import helpers


async def flagged():
    asyncio.get_running_loop()  # error: AIO302
    return contextlib, os, Path, attr, helpers
