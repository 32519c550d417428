# AIO305 on a stub's declarations (janus 0.3.2's __init__.pyi; `.pyi` files are collected beside
# the modules) and on annotated modules: `-> Generator[Y, S, R]` becomes `-> R`.
import asyncio
import collections.abc
import typing
from typing import Any, Generator, Generic, Optional, TypeVar

_T = TypeVar("_T")


class Queue(Generic[_T]):
    def close(self) -> None: ...

    @asyncio.coroutine  # error: AIO305
    def wait_closed(self) -> Generator[Any, None, None]: ...

    @asyncio.coroutine  # error: AIO305
    def get(self) -> Generator[Any, None, _T]: ...

    @asyncio.coroutine  # error: AIO305
    def get_many(self, n: int) -> "Generator[Any, None, list[_T]]": ...

    def maybe(self) -> Optional[_T]: ...


@asyncio.coroutine  # error: AIO305
def qualified() -> typing.Generator[Any, Any, int]:
    yield from asyncio.sleep(0)
    return 1


@asyncio.coroutine  # error: AIO305
def abc() -> collections.abc.Generator[Any, None, str]:
    return (yield from asyncio.sleep(0, result="x"))


# Near misses: annotations that are not a three-part Generator stay as they are.
@asyncio.coroutine  # error: AIO305
def future() -> "asyncio.Future[int]":
    return asyncio.sleep(0, result=1)


def plain() -> Generator[int, None, None]:
    yield 1
