"""Linting off the message loop: one worker, the newest text only, debounced, cached.

Each document has at most one pending job, replaced by every change, so a burst of edits costs
the lint already running plus one for the final text.  The first change after a quiet spell
(`QUIET_SECONDS`) is linted at once, as open and save are; a change that follows another closely
waits for a short pause (`DEBOUNCE_SECONDS`).  So one edit costs one lint and no wait, and a burst
costs the lint its first edit started plus one for its final text.  The worker hands results back to the message
loop, which publishes them only if they are still for the document's current version; so a result
for an old version is never sent, and the loop never waits for the engine.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from asynclint.config import Settings
from asynclint.engine import lint_text
from asynclint.rule import Diagnostic
from asynclint.semantic.project import ProjectIndex

DEBOUNCE_SECONDS = 0.1
QUIET_SECONDS = 0.5
logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Snapshot:
    uri: str
    version: int | None
    text: str
    path: str | None


@dataclass(frozen=True)
class Result:
    snapshot: Snapshot
    settings: Settings
    excluded: bool
    diagnostics: tuple[Diagnostic, ...]


class Linter:
    """`deliver(result)` is called on the worker thread; it must hop to the loop itself."""

    def __init__(self, settings_for: Callable[[str | None], Settings], deliver: Callable[[Result], None]) -> None:
        self._settings_for = settings_for
        self._deliver = deliver
        self._condition = threading.Condition()
        self._jobs: dict[str, tuple[float, Snapshot]] = {}
        self._results: dict[str, Result] = {}
        self._open: set[str] = set()
        self.project = ProjectIndex()
        """The workspace's project index (other modules' coroutine functions); `files_changed`
        keeps it true to the disk."""
        self.lints = 0
        """Engine runs so far (the benchmark and tests read it)."""
        self._thread = threading.Thread(target=self._run, name="asynclint-lsp-lint", daemon=True)
        self._thread.start()

    def schedule(self, snapshot: Snapshot, delay: float) -> None:
        with self._condition:
            due = time.monotonic() + delay
            pending = self._jobs.get(snapshot.uri)
            if pending is not None and delay > 0:
                due = max(due, pending[0])
            self._jobs[snapshot.uri] = (due, snapshot)
            self._open.add(snapshot.uri)
            self._condition.notify()

    def cached(self, snapshot: Snapshot, settings: Settings) -> Result | None:
        with self._condition:
            result = self._results.get(snapshot.uri)
        if result is None or result.snapshot.version != snapshot.version or result.snapshot.text is not snapshot.text:
            return None
        return result if result.settings == settings else None

    def latest(self, uri: str) -> Result | None:
        with self._condition:
            return self._results.get(uri)

    def files_changed(self, paths: list[str]) -> None:
        """Files were saved, created or deleted: what other documents' results said about them may
        be wrong now (a module that did not exist, a function that became a coroutine)."""
        for path in paths:
            self.project.forget(path)
        with self._condition:
            self._results.clear()

    def forget(self, uri: str) -> None:
        with self._condition:
            self._open.discard(uri)
            self._jobs.pop(uri, None)
            self._results.pop(uri, None)

    def _next(self) -> Snapshot:
        with self._condition:
            while True:
                if self._jobs:
                    uri, (due, snapshot) = min(self._jobs.items(), key=lambda item: item[1][0])
                    wait = due - time.monotonic()
                    if wait <= 0:
                        del self._jobs[uri]
                        return snapshot
                    self._condition.wait(wait)
                else:
                    self._condition.wait()

    def _run(self) -> None:
        while True:
            snapshot = self._next()
            try:
                self._deliver(self.lint(snapshot))
            except Exception:
                logger.exception("linting %s failed", snapshot.uri)

    def lint(self, snapshot: Snapshot) -> Result:
        settings = self._settings_for(snapshot.path)
        result = self.cached(snapshot, settings)
        if result is not None:
            return result
        excluded = snapshot.path is not None and settings.is_excluded(snapshot.path)
        diagnostics: tuple[Diagnostic, ...] = ()
        if not excluded:
            self.lints += 1
            project = self.project.view(snapshot.path)
            diagnostics = tuple(lint_text(snapshot.text, settings, snapshot.path, project=project))
        result = Result(snapshot, settings, excluded, diagnostics)
        with self._condition:
            if snapshot.uri in self._open:  # not closed while it was linted
                self._results[snapshot.uri] = result
        return result
