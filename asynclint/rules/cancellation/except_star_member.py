from __future__ import annotations

import re
from typing import TYPE_CHECKING

from asynclint.rule import Rule
from asynclint.rules.cancellation._groups import group_misuses

if TYPE_CHECKING:
    import libcst as cst
else:
    from asynclint._lazy import cst


class ExceptStarMember(Rule):
    """Flags reading an attribute of the caught exception type on the group bound by `except*`.

    ## What it does
    Reports `eg.attr` inside an `except* SomeError as eg:` handler when `attr` is something
    exception groups do not have: `eg.errno`, `eg.code`, `eg.status`, `eg.response`, ... The
    attributes every `BaseExceptionGroup` has (`exceptions`, `message`, `split()`, `subgroup()`,
    `derive()`, `args`, `add_note()`, `__cause__`, ...) are fine.

    ## Why is this bad?
    In an `except*` handler the name is bound to an exception *group* holding the matching
    exceptions, never to one of them. `eg.errno` raises `AttributeError` inside the handler, which
    replaces the error being handled.

    ## Example
    ```python
    import asyncio

    async def main():
        try:
            async with asyncio.TaskGroup() as tg:
                tg.create_task(asyncio.open_connection("localhost", 1))
        except* OSError as eg:
            print("connect failed:", eg.errno)
    ```

    ## Use instead
    ```python
    import asyncio

    async def main():
        try:
            async with asyncio.TaskGroup() as tg:
                tg.create_task(asyncio.open_connection("localhost", 1))
        except* OSError as eg:
            for error in eg.exceptions:
                print("connect failed:", error.errno)
    ```

    ## Fix safety
    No fix: whether to look at the first exception, each of them, or the group's message is a
    decision for a person.
    """

    CODE = "AIO605"
    NAME = "except-star-member"
    SINCE = "0.4.0"
    TRIGGERS = ((re.compile(r"except\s*\*"),),)  # any whitespace may stand between the two
    MESSAGE = "`{name}` is a group of `{type}` and has no `.{attr}`: use `{name}.exceptions`"

    def visit_ExceptStarHandler(self, node: cst.ExceptStarHandler) -> None:
        for attribute in group_misuses(self.sem, node):
            caught = self.sem.dotted_name(node.type) or "member exception"
            self.report(attribute, name=attribute.value.value, type=caught, attr=attribute.attr.value)
