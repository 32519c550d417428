# Lint-and-fix case file for AIO401, receivers typed by the oracle: every unannotated line asserts silence.
from __future__ import annotations

import asyncio
import functools
import typing
from collections.abc import Awaitable, Coroutine
from typing import TYPE_CHECKING, Any, Optional, Self, TypeVar, cast

if TYPE_CHECKING:
    from collections.abc import Callable

T = TypeVar("T")
Response = Coroutine[Any, Any, T]


def retry(times: int) -> Callable:
    def decorate(fn):
        @functools.wraps(fn)
        async def wrapper(*args):
            return await fn(*args)

        return wrapper

    return decorate


class Result:
    async def finish(self) -> None: ...

    def close(self) -> None: ...


class Store:
    async def commit(self) -> None: ...

    def flush(self) -> None: ...

    @retry(times=3)
    def reconnect(self) -> None: ...

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc: object) -> None: ...


class Plugins:
    def __init__(self) -> None:
        self.store = Store()


class Proxy:
    def __getattr__(self, name: str) -> Store: ...


def open_store() -> Store:
    return Store()


async def connect() -> Store:
    return Store()


shared = Store()


class Job:
    _result: Result
    waiter: Optional[asyncio.Event] = None

    def __init__(self, proxy: Proxy) -> None:
        self.plugins = Plugins()
        self.event = asyncio.Event()
        self.proxy = proxy
        self.either = Store()

    def reset(self) -> None:
        self.either = Result()

    async def run(self, peer: "Store | None", other: Optional[Result]) -> None:
        await self._result.finish()  # error: AIO401
        self._result.close()
        await self.plugins.store.commit()  # error: AIO401
        self.plugins.store.flush()
        await self.plugins.store.reconnect()  # error: AIO401
        await self.event.wait()  # error: AIO401
        self.event.set()
        await self.waiter.wait()  # error: AIO401
        await peer.commit()  # error: AIO401
        await other.finish()  # error: AIO401
        self.proxy.commit()  # __getattr__: unknown
        self.either.commit()  # Store or Result: unknown
        await shared.commit()  # error: AIO401
        shared.flush()


async def locals_(thing: object) -> None:
    db = open_store()
    await db.commit()  # error: AIO401
    awaited = await connect()
    await awaited.commit()  # error: AIO401
    pending = connect()
    pending.commit()  # a coroutine object has no commit(): unknown
    await cast(Store, thing).commit()  # error: AIO401
    await typing.cast("Store", thing).commit()  # error: AIO401
    async with Store() as entered:
        await entered.commit()  # error: AIO401
        entered.flush()
    reassigned = Store()
    reassigned = Result()
    reassigned.commit()


def request() -> Coroutine[Any, Any, int]:
    return connect()


def aliased() -> Response[int]:
    return connect()


def future() -> Awaitable[int]:
    return asyncio.get_running_loop().create_future()


async def coroutine_returning() -> None:
    await request()  # error: AIO401
    await aliased()  # error: AIO401
    future()
