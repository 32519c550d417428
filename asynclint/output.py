"""How results are shown: one function per `--format`.  They print; they decide nothing."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import IO

from asynclint.engine import FileResult
from asynclint.rule import Diagnostic

JSON_SCHEMA_VERSION = 1


def text_line(path: str, d: Diagnostic) -> str:
    mark = "[*] " if d.applicable else ""
    return f"{path}:{d.line}:{d.column}: {d.code} {mark}{d.message}"


def write_text(results: Sequence[FileResult], out: IO[str]) -> None:
    for result in results:
        for d in result.diagnostics:
            out.write(text_line(result.path, d) + "\n")


def diagnostic_json(path: str, d: Diagnostic) -> dict[str, object]:
    return {
        "code": d.code,
        "name": d.name,
        "message": d.message,
        "path": path,
        "line": d.line,
        "column": d.column,
        "end_line": d.end_line,
        "end_column": d.end_column,
        "fix": None if d.fix_title is None else {"title": d.fix_title, "safety": d.fix_safety, "applicable": d.applicable},
    }


def write_json(results: Sequence[FileResult], out: IO[str]) -> None:
    items = [diagnostic_json(r.path, d) for r in results for d in r.diagnostics]
    json.dump(items, out, indent=2)
    out.write("\n")


def summary(results: Sequence[FileResult], *, fixing: bool = False) -> str:
    diagnostics = [d for r in results for d in r.diagnostics]
    count = len(diagnostics)
    fixed = sum(r.fixed for r in results)
    if fixing:
        if not count and not fixed:
            return "All checks passed!"
        noun = "error" if count + fixed == 1 else "errors"
        return f"Found {count + fixed} {noun} ({fixed} fixed, {count} remaining)."
    if not count:
        return "All checks passed!"
    lines = [f"Found {count} {'error' if count == 1 else 'errors'}."]
    fixable = sum(d.applicable for d in diagnostics)
    hidden = sum(1 for d in diagnostics if d.fix_safety == "unsafe" and not d.applicable)
    if fixable:
        lines.append(f"[*] {fixable} fixable with `asynclint fix`.")
    if hidden:
        lines.append(f"({hidden} more fixable with `asynclint fix --unsafe-fixes`.)")
    return "\n".join(lines)
