"""Plain and `from` imports of the standard library set apart by a blank line (sanic's isort
`lines_between_types = 1`): `from typing import Any` joins the `from` run."""

import asyncio
import secrets

from collections.abc import Sequence
from contextlib import suppress


async def flagged(coro):
    asyncio.create_task(coro)  # error: AIO101
    return secrets, Sequence, suppress
