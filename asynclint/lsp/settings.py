"""Settings for each document: its `pyproject.toml`, re-read when it changes, under the client's.

The file config is cached per directory, keyed by the `stat` of every `pyproject.toml` from that
directory up, so editing, creating or deleting one is seen on the next lint (a few `stat` calls)
without trusting the client to send `workspace/didChangeWatchedFiles`.

A broken config does what ruff's server does: the document gets the default settings, and the
person is told, once per distinct error (`window/showMessage`).  The client's settings
(`initializationOptions`, `workspace/didChangeConfiguration`) use the `[tool.asynclint]` names
and override the file's; invalid ones are reported and not applied.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from asynclint.config import ConfigError, Settings, load_settings, parse_target, validate_selectors
from asynclint.registry import codes

CLIENT_KEYS = ("select", "ignore", "extend-select", "target-version", "unsafe-fixes")
_MAX_DIRECTORIES = 256
_Stat = tuple[int, int, int] | None


def _config_stats(directory: str) -> tuple[_Stat, ...]:
    stats: list[_Stat] = []
    for folder in (directory, *map(str, Path(directory).parents)):
        try:
            info = os.stat(os.path.join(folder, "pyproject.toml"))
        except OSError:
            stats.append(None)
        else:
            stats.append((info.st_mtime_ns, info.st_size, info.st_ino))
    return tuple(stats)


def client_overrides(options: Any) -> dict[str, Any]:
    """The client's settings -> `Settings.with_overrides` arguments; ConfigError when invalid.

    Accepted as the table itself or under an `asynclint` (or `settings`) key, as editors nest them.
    """
    if not options:
        return {}
    if isinstance(options, dict):
        for key in ("asynclint", "settings"):
            if isinstance(options.get(key), dict):
                options = options[key]
    if not isinstance(options, dict):
        raise ConfigError(f"client settings: expected an object, got {type(options).__name__}")
    unknown = set(options) - set(CLIENT_KEYS)
    if unknown:
        raise ConfigError(
            f"client settings: unknown option(s) {', '.join(sorted(unknown))} (known: {', '.join(CLIENT_KEYS)})"
        )
    changes: dict[str, Any] = {}
    for key in ("select", "ignore", "extend-select"):
        if key in options:
            value = options[key]
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise ConfigError(f"client settings: {key}: expected a list of strings")
            selectors = tuple(v.strip().upper() for v in value)
            validate_selectors(selectors, codes(), f"client settings: {key}")
            changes[key.replace("-", "_")] = selectors
    if "target-version" in options:
        changes["target_version"] = parse_target(str(options["target-version"]), "client settings: target-version")
    if "unsafe-fixes" in options:
        if not isinstance(options["unsafe-fixes"], bool):
            raise ConfigError("client settings: unsafe-fixes: expected true or false")
        changes["unsafe_fixes"] = options["unsafe-fixes"]
    return changes


class SettingsStore:
    """Thread-safe: the lint worker and the message loop both ask it."""

    def __init__(self, report: Callable[[str], None]) -> None:
        self._report = report  # called once per distinct problem, from any thread
        self._lock = threading.Lock()
        self._files: dict[str, tuple[tuple[_Stat, ...], Settings]] = {}
        self._overrides: dict[str, Any] = {}
        self._reported: set[str] = set()

    def set_client(self, options: Any) -> None:
        try:
            overrides = client_overrides(options)
        except ConfigError as error:
            self._once(f"asynclint: {error}; client settings not applied")
            overrides = {}
        with self._lock:
            self._overrides = overrides

    def forget(self) -> None:
        with self._lock:
            self._files.clear()

    def for_path(self, path: str | None) -> Settings:
        with self._lock:
            overrides = dict(self._overrides)
        if not path:
            return Settings().with_overrides(**overrides)
        directory = os.path.dirname(os.path.abspath(path))
        stats = _config_stats(directory)
        with self._lock:
            cached = self._files.get(directory)
        if cached is not None and cached[0] == stats:
            base = cached[1]
        else:
            try:
                base = load_settings(Path(directory))
            except ConfigError as error:
                self._once(f"asynclint: {error}; using the default settings")
                base = Settings()
            with self._lock:
                if len(self._files) >= _MAX_DIRECTORIES:
                    self._files.clear()
                self._files[directory] = (stats, base)
        return base.with_overrides(**overrides)

    def _once(self, message: str) -> None:
        with self._lock:
            if message in self._reported:
                return
            self._reported.add(message)
        self._report(message)
