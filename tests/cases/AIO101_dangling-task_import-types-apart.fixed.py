"""Plain and `from` imports of the standard library set apart by a blank line (sanic's isort
`lines_between_types = 1`): `from typing import Any` joins the `from` run."""

import asyncio
import secrets

from collections.abc import Sequence
from contextlib import suppress
from typing import Any

_background_tasks: set[asyncio.Task[Any]] = set()


async def flagged(coro):
    task = asyncio.create_task(coro)  # error: AIO101
    _background_tasks.add(task)
    task.add_done_callback(_background_tasks.discard)
    return secrets, Sequence, suppress
