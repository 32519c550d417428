"""Deferred imports of libcst.

Rule modules are imported by the registry just to read their codes and docs (`asynclint rules`,
selection, the flake8 option set-up).  libcst costs ~0.2 s to import, so those modules refer to it
through these proxies and the real import happens on first attribute access, i.e. when a file
is actually parsed.
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any


class _LazyModule:
    __slots__ = ("_module", "_name")

    def __init__(self, name: str) -> None:
        self._name = name
        self._module: ModuleType | None = None

    def __getattr__(self, attr: str) -> Any:
        module = self._module
        if module is None:
            module = self._module = importlib.import_module(self._name)
        return getattr(module, attr)

    def __repr__(self) -> str:
        state = "loaded" if self._module is not None else "not loaded"
        return f"<lazy module {self._name!r} ({state})>"


cst: Any = _LazyModule("libcst")
"""`libcst`, imported on first use."""
