"""AIO603's task-body question across modules: a project function that schedules its first
parameter as a task (aiokafka's `util.create_task`) makes what it is handed a task body."""

from __future__ import annotations

from pathlib import Path

import pytest
from expectations import findings, settings_for

from asynclint.engine import lint_text
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
