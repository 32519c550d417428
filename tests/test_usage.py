"""AIO603's task-body question across modules: a project function that schedules its first
parameter as a task (aiokafka's `util.create_task`) makes what it is handed a task body."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import libcst as cst
import pytest
from expectations import findings, fix, settings_for

from asynclint.engine import lint_text
from asynclint.semantic import Run, Semantic
from asynclint.semantic.project import ProjectIndex

SENDER = """\
import asyncio

from .util import create_task


class Sender:
    def start(self):
        self._task = create_task(self._routine())

    async def _routine(self):
        try:
            while True:
                await self.queue.get()
        except asyncio.CancelledError:
            self.queue = None

    async def stop(self):
        self._task.cancel()
        await self._task
"""

SPAWNS = """\
import asyncio


def create_task(coro, *, name=None):
    loop = asyncio.get_running_loop()
    return loop.create_task(coro, name=name)
"""

RUNS = """\
async def create_task(coro, *, name=None):
    return await coro
"""


def _project(tmp_path: Path, util: str) -> Path:
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "util.py").write_text(util)
    sender = package / "sender.py"
    sender.write_text(SENDER)
    return sender


def _lint(sender: Path, index: ProjectIndex | None = None):  # type: ignore[no-untyped-def]
    index = index or ProjectIndex()
    view = index.view(str(sender))
    result = lint_text(sender.read_text(), settings_for({}, select=("AIO603",)), str(sender), project=view)
    return [line for line, _ in findings(result)], view


def test_a_project_spawner_makes_a_task_body(tmp_path: Path) -> None:
    sender = _project(tmp_path, SPAWNS)
    lines, view = _lint(sender)
    assert lines == []
    assert view is not None and str(tmp_path / "pkg" / "util.py") in dict(view.dependencies(str(sender)))


def test_a_function_that_awaits_what_it_is_handed_is_no_spawner(tmp_path: Path) -> None:
    sender = _project(tmp_path, RUNS)
    lines, _ = _lint(sender)
    assert lines == [14]


def test_without_a_project_the_use_is_unknown(tmp_path: Path) -> None:
    sender = _project(tmp_path, SPAWNS)
    result = lint_text(sender.read_text(), settings_for({}, select=("AIO603",)), None)
    assert [line for line, _ in findings(result)] == [14]


def test_the_spawner_scan_is_cached_per_index(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sender = _project(tmp_path, SPAWNS)
    read = ProjectIndex._read
    scanned: list[str] = []
    monkeypatch.setattr(ProjectIndex, "_read", staticmethod(lambda path: (scanned.append(path), read(path))[1]))
    index = ProjectIndex()
    _lint(sender, index)
    _lint(sender, index)
    assert scanned.count(str(tmp_path / "pkg" / "util.py")) == 1
    (tmp_path / "pkg" / "util.py").write_text(RUNS + "\n")  # a changed file is read again
    lines, _ = _lint(sender, index)
    assert lines == [14]


# (id, source with the coroutine function `body`, how `body` runs)
HOW_RUN = [
    ("awaited", "async def body(): ...\nasync def f(): await body()", Run.HELPER),
    ("task", "async def body(): ...\ndef f(): asyncio.create_task(body())", Run.TASK),
    (
        "task-awaited",
        "async def body(): ...\nasync def f():\n    t = asyncio.create_task(body())\n    await t",
        Run.AWAITED,
    ),
    (
        "task-cancelled-then-awaited",
        "async def body(): ...\nasync def f():\n    t = asyncio.create_task(body())\n    t.cancel()\n    await t",
        Run.TASK,
    ),
    (
        "task-awaited-then-cancelled",
        "async def body(): ...\nasync def f():\n    t = asyncio.create_task(body())\n    await t\n    t.cancel()",
        Run.AWAITED,
    ),
    (
        "task-gathered",
        "async def body(): ...\nasync def f():\n    t = asyncio.create_task(body())\n    await asyncio.gather(t)",
        Run.TASK,
    ),
    (
        "task-shielded",
        "async def body(): ...\nasync def f():\n    t = asyncio.create_task(body())\n    await asyncio.shield(t)",
        Run.TASK,
    ),
    (
        "attribute-awaited",
        "class C:\n    def start(self): self._t = asyncio.create_task(self.body())\n    async def body(self): ...\n"
        "    async def close(self): await self._t",
        Run.AWAITED,
    ),
    (
        "attribute-cancelled-then-awaited",
        "class C:\n    def start(self): self._t = asyncio.create_task(self.body())\n    async def body(self): ...\n"
        "    async def close(self):\n        self._t.cancel()\n        await self._t",
        Run.TASK,
    ),
    (
        "attribute-of-another-class",
        "class C:\n    def start(self): self._t = asyncio.create_task(self.body())\n    async def body(self): ...\n"
        "class D:\n    async def close(self): await self._t",
        Run.TASK,
    ),
    (
        "task-group-awaited",
        "async def body(): ...\nasync def f():\n    async with asyncio.TaskGroup() as tg:\n"
        "        t = tg.create_task(body())\n        await t",
        Run.AWAITED,
    ),
    (
        "task-group",
        "async def body(): ...\nasync def f():\n    async with asyncio.TaskGroup() as tg:\n"
        "        t = tg.create_task(body())\n    print(t.result())",
        Run.TASK,
    ),
    ("start-soon", "async def body(x): ...\nasync def f(tg): tg.start_soon(body, 1)", Run.TASK),
    ("start-soon-keyword", "async def body(x): ...\nasync def f(tg): tg.start_soon(func=body)", Run.HELPER),
    ("start-with-task-status", "async def body(*, task_status): ...\nasync def f(tg): await tg.start(body)", Run.TASK),
    ("start-without-task-status", "async def body(): ...\nasync def f(server): await server.start(body)", Run.HELPER),
    ("executor", "async def body(): ...\nasync def f(loop): await loop.run_in_executor(None, body)", Run.HELPER),
]


@pytest.mark.parametrize(("source", "expected"), [r[1:] for r in HOW_RUN], ids=[r[0] for r in HOW_RUN])
def test_how_run(source: str, expected: Run) -> None:
    sem = Semantic.of(cst.parse_module("import asyncio\n" + textwrap.dedent(source) + "\n"))
    body = next(n for n in sem.nodes() if isinstance(n, cst.FunctionDef) and n.name.value == "body")
    assert sem.how_run(body) is expected


OWNER = """\
import asyncio


async def body():
    try:
        await asyncio.sleep(10)
    except asyncio.CancelledError:
        print("body stopped")


async def owner():
    task = asyncio.create_task(body())
    await task
    print("owner went on")


async def main():
    running = asyncio.create_task(owner())
    await asyncio.sleep(0.01)
    running.cancel()
    try:
        await running
    except asyncio.CancelledError:
        print("owner cancelled")


asyncio.run(main())
"""


def _run(program: str) -> str:
    return subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, timeout=60, check=True
    ).stdout


def test_an_awaited_task_loses_its_owners_cancellation_and_the_fix_restores_it() -> None:
    settings = settings_for({"unsafe-fixes": True}, select=("AIO603",))
    assert [line for line, _ in findings(lint_text(OWNER, settings, None))] == [7]
    assert _run(OWNER) == "body stopped\nowner went on\n"  # the owner's cancellation is lost
    fixed = fix(OWNER, settings).new
    assert fixed is not None
    assert _run(fixed) == "body stopped\nowner cancelled\n"
