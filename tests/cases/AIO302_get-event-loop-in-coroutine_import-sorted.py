"""Import placement: `import asyncio` joins the sorted standard-library group in order."""

from __future__ import annotations

import contextlib
import os
from asyncio import get_event_loop
from pathlib import Path

import attr

from mypackage import helpers


async def flagged():
    get_event_loop()  # error: AIO302
    return contextlib, os, Path, attr, helpers
