"""How results are shown: one function per `--output-format`.  They print; they decide nothing.

Every format shows a path through `display_path`: a file name that is not UTF-8 (its bytes come in
as surrogate escapes) is shown with those bytes escaped (`\\xff`), so strict UTF-8 streams and JSON
parsers get valid text; SARIF percent-encodes them in its URIs instead.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING

from asynclint.rule import Diagnostic

if TYPE_CHECKING:
    from asynclint.config import Settings
    from asynclint.rule import Rule
    from asynclint.runner import FileResult

JSON_SCHEMA_VERSION = 1
_LINES = re.compile(r"\r\n|\r|\n")  # the line breaks the engine counts lines by


@dataclass(frozen=True)
class View:
    """What a format may need beyond the results: all of it supplied by the caller."""

    color: bool = False
    source: Callable[[FileResult], str | None] = lambda result: None
    """The text the result's line numbers refer to (the fixed text after `fix`), when it can be had."""
    settings: Settings | None = None
    """For SARIF `fixes`: the settings the findings were computed with."""


def display_path(path: str) -> str:
    """The path as valid text: bytes that are not UTF-8 are shown as `\\xNN`."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


# -- colour ---------------------------------------------------------------------------------------
_BOLD, _RED, _CYAN, _BLUE, _RESET = "\033[1m", "\033[31m", "\033[36m", "\033[34m", "\033[0m"


def _paint(view: View, text: str, *styles: str) -> str:
    return f"{''.join(styles)}{text}{_RESET}" if view.color else text


# -- concise (path:line:col: CODE message) -----------------------------------------------------------
def text_line(path: str, d: Diagnostic, view: View = View()) -> str:
    mark = f"[{_paint(view, '*', _CYAN)}] " if d.applicable else ""
    location = _paint(view, display_path(path), _BOLD)
    return f"{location}:{d.line}:{d.column}: {_paint(view, d.code, _BOLD, _RED)} {mark}{d.message}"


def write_text(results: Sequence[FileResult], out: IO[str], view: View = View()) -> None:
    for result in results:
        for d in result.diagnostics:
            out.write(text_line(result.path, d, view) + "\n")


# -- full (the concise line, then the source with the span underlined, then the fix title) -----------
CONTEXT_LINES = 2


def write_full(results: Sequence[FileResult], out: IO[str], view: View = View()) -> None:
    for result in results:
        if not result.diagnostics:
            continue
        text = view.source(result)
        lines = _LINES.split(text) if text is not None else []
        for d in result.diagnostics:
            out.write(text_line(result.path, d, view) + "\n")
            out.write("".join(line + "\n" for line in _frame(lines, d, view)))
            if d.fix_title is not None:
                out.write(f"  = {_paint(view, 'help', _BOLD, _CYAN)}: {d.fix_title}\n")
            out.write("\n")


def _frame(lines: list[str], d: Diagnostic, view: View) -> list[str]:
    """ruff's code frame: the span's lines (and a little context), each covered part underlined."""
    last = min(d.end_line, len(lines))
    if not 1 <= d.line <= last:
        return []
    first_shown = max(1, d.line - CONTEXT_LINES)
    while first_shown < d.line and not lines[first_shown - 1].strip():
        first_shown += 1
    last_shown = min(len(lines), last + CONTEXT_LINES)
    while last_shown > last and not lines[last_shown - 1].strip():
        last_shown -= 1
    width = len(str(last_shown))
    bar = _paint(view, "|", _BOLD, _BLUE)
    frame = [f"{' ' * width} {bar}"]
    underlined: list[int] = []
    for number in range(first_shown, last_shown + 1):
        line = lines[number - 1]
        frame.append(f"{_paint(view, str(number).rjust(width), _BOLD, _BLUE)} {bar} {line}")
        if not d.line <= number <= last:
            continue
        start = d.column - 1 if number == d.line else len(line) - len(line.lstrip())
        end = d.end_column - 1 if number == d.end_line else len(line)
        if end <= start:
            if number != d.line or number != last:
                continue
            end = start + 1  # an empty span (a file-level finding) still gets its caret
        # Tabs stay tabs under the line, so the carets line up whatever the terminal's tab width.
        indent = "".join(c if c == "\t" else " " for c in line[:start])
        frame.append(f"{' ' * width} {bar} {indent}{_paint(view, '^' * (end - start), _BOLD, _RED)}")
        underlined.append(len(frame) - 1)
    if underlined:
        frame[underlined[-1]] += f" {_paint(view, d.code, _BOLD, _RED)}"
    frame.append(f"{' ' * width} {bar}")
    return frame


# -- JSON -----------------------------------------------------------------------------------------
def diagnostic_json(path: str, d: Diagnostic) -> dict[str, object]:
    return {
        "code": d.code,
        "name": d.name,
        "message": d.message,
        "path": display_path(path),
        "line": d.line,
        "column": d.column,
        "end_line": d.end_line,
        "end_column": d.end_column,
        "fix": None
        if d.fix_title is None
        else {"title": d.fix_title, "safety": d.fix_safety, "applicable": d.applicable},
    }


def write_json(results: Sequence[FileResult], out: IO[str], view: View = View()) -> None:
    items = [diagnostic_json(r.path, d) for r in results for d in r.diagnostics]
    json.dump(items, out, indent=2)
    out.write("\n")


def summary(results: Sequence[FileResult], *, fixing: bool = False, view: View = View()) -> str:
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
        lines.append(f"[{_paint(view, '*', _CYAN)}] {fixable} fixable with `asynclint fix`.")
    if hidden:
        lines.append(f"({hidden} more fixable with `asynclint fix --unsafe-fixes`.)")
    return "\n".join(lines)


def fixes_summary(fixed: Sequence[tuple[str, dict[tuple[str, str], int]]], view: View = View()) -> str:
    """`--show-fixes`, as ruff prints it: the fixes applied, per file and code."""
    total = sum(sum(table.values()) for _, table in fixed)
    lines = [_paint(view, f"Fixed {total} {'error' if total == 1 else 'errors'}:", _BOLD)]
    for path, table in sorted(fixed, key=lambda item: item[0]):
        lines.append(f"{_paint(view, '-', _CYAN)} {_paint(view, display_path(path), _BOLD)}{_paint(view, ':', _CYAN)}")
        width = len(str(max(table.values())))
        for (code, name), count in sorted(table.items(), key=lambda item: (-item[1], item[0])):
            lines.append(f"    {count:>{width}} \u00d7 {_paint(view, code, _BOLD, _RED)} ({name})")
    return "\n".join(lines)


# -- GitHub Actions workflow commands ----------------------------------------------------------
def _github_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _github_property(text: str) -> str:
    return _github_data(text).replace(":", "%3A").replace(",", "%2C")


def write_github(results: Sequence[FileResult], out: IO[str], view: View = View()) -> None:
    """`::error` annotations: GitHub shows each on the line it names in the pull request."""
    for result in results:
        for d in result.diagnostics:
            properties = ",".join(
                f"{key}={_github_property(str(value))}"
                for key, value in (
                    ("title", f"asynclint ({d.code})"),
                    ("file", display_path(result.path)),
                    ("line", d.line),
                    ("col", d.column),
                    ("endLine", d.end_line),
                    ("endColumn", d.end_column),
                )
            )
            out.write(f"::error {properties}::{_github_data(text_line(result.path, d))}\n")


# -- GitLab Code Quality ------------------------------------------------------------------------------
def write_gitlab(results: Sequence[FileResult], out: IO[str], view: View = View()) -> None:
    """GitLab's Code Quality report (a CodeClimate subset): shown in merge requests.

    The fingerprint identifies a finding across runs: path, code and message, and a counter for
    identical findings in one file, so it survives edits that only move lines."""
    import hashlib

    items = []
    for result in results:
        path = display_path(result.path)
        seen: dict[tuple[str, str], int] = {}
        for d in result.diagnostics:
            repeat = seen[d.code, d.message] = seen.get((d.code, d.message), -1) + 1
            fingerprint = hashlib.sha256(f"{path}\0{d.code}\0{d.message}\0{repeat}".encode()).hexdigest()
            items.append(
                {
                    "description": f"{d.code} {d.message}",
                    "check_name": d.code,
                    "fingerprint": fingerprint,
                    "severity": _GITLAB_SEVERITY[_level(d.code)],
                    "location": {
                        "path": path,
                        "positions": {
                            "begin": {"line": d.line, "column": d.column},
                            "end": {"line": d.end_line, "column": d.end_column},
                        },
                    },
                }
            )
    json.dump(items, out, indent=2)
    out.write("\n")


# -- SARIF 2.1.0 --------------------------------------------------------------------------------
def level(rule: type[Rule]) -> str:
    """The SARIF level a rule's findings get (dashboards sort and gate on it).

    error: the program does something other than it says: tasks lost or never run (1xx, 4xx),
    results paired with the wrong inputs (5xx), errors and cancellation that go astray (6xx),
    and AIO002 (asynclint failed, so the file was not checked: never to be overlooked).
    warning: it works, but badly or not for long: blocking calls stall the loop (2xx), APIs
    deprecated or removed in newer Pythons (3xx), and AIO001 (a file that could not be analysed,
    often valid Python that libcst cannot parse).
    note: opt-in rules, which flag style or modernisation the project asked for.
    """
    if not rule.DEFAULT:
        return "note"
    if rule.CODE == "AIO002":
        return "error"
    return "warning" if rule.CODE[3] in "023" else "error"


_GITLAB_SEVERITY = {"error": "major", "warning": "minor", "note": "info"}


def _level(code: str) -> str:
    from asynclint.registry import get_rule

    rule = get_rule(code)
    return level(rule) if rule is not None else "error"


def _sarif_uri(path: str) -> str:
    """A URI reference for the path: `/` separators; `%` and bytes that are not UTF-8 percent-encoded."""
    from pathlib import PurePath

    text = PurePath(path).as_posix().replace("%", "%25")
    return "".join(f"%{ord(c) - 0xDC00:02X}" if "\udc80" <= c <= "\udcff" else c for c in text)


def _position(lines: list[str], index: int) -> tuple[int, int]:
    """SARIF line and column (1-based) of the start of line `index` (0-based) of `lines`
    (kept ends), or of the end of the text when `index` is past the last line."""
    if index < len(lines):
        return index + 1, 1
    if lines and not lines[-1].endswith(("\n", "\r")):
        return len(lines), len(lines[-1]) + 1
    return len(lines) + 1, 1


def _replacements(before: str, after: str) -> list[dict[str, object]]:
    """The changes from `before` to `after` as SARIF replacements of whole lines."""
    import difflib

    old, new = before.splitlines(keepends=True), after.splitlines(keepends=True)
    changes: list[dict[str, object]] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        (start_line, start_column), (end_line, end_column) = _position(old, i1), _position(old, i2)
        region = {"startLine": start_line, "startColumn": start_column, "endLine": end_line, "endColumn": end_column}
        changes.append({"deletedRegion": region, "insertedContent": {"text": "".join(new[j1:j2])}})
    return changes


def _sarif_fixes(result: FileResult, view: View) -> dict[Diagnostic, list[dict[str, object]]]:
    """Each fixable finding's own fix as SARIF `fixes`, computed here: results that come from the
    cache or a worker no longer hold the fix itself."""
    if view.settings is None or not any(d.fix_safety in ("safe", "unsafe") for d in result.diagnostics):
        return {}
    text = view.source(result)
    if text is None:
        return {}
    from asynclint.engine import Action, Request, process

    fixes: dict[Diagnostic, list[dict[str, object]]] = {}
    for d in result.diagnostics:
        if d.fix_safety not in ("safe", "unsafe"):
            continue
        finding = (d.code, d.line, d.column)
        fixed = process(Request(text, view.settings, result.path, action=Action.FIX_ONE, finding=finding)).new
        if fixed is None:
            continue
        title = d.fix_title if d.fix_safety == "safe" else f"{d.fix_title} (unsafe: review it)"
        change = {"artifactLocation": _artifact(result.path), "replacements": _replacements(text, fixed)}
        fixes[d] = [{"description": {"text": title}, "artifactChanges": [change]}]
    return fixes


def _artifact(path: str) -> dict[str, str]:
    uri = _sarif_uri(path)
    return {"uri": uri, **({"uriBaseId": "%SRCROOT%"} if not uri.startswith("/") else {})}


def sarif(results: Sequence[FileResult], view: View = View()) -> dict[str, object]:
    from asynclint import __version__
    from asynclint.docs import HOME_URL, rule_docs, rule_url
    from asynclint.registry import all_rules

    rules = list(all_rules())
    index = {rule.CODE: i for i, rule in enumerate(rules)}
    levels = {rule.CODE: level(rule) for rule in rules}
    sarif_results = []
    for result in results:
        fixes = _sarif_fixes(result, view)
        for d in result.diagnostics:
            item: dict[str, object] = {
                "ruleId": d.code,
                "level": levels.get(d.code, "error"),
                "message": {"text": d.message},
                "locations": [
                    {
                        "physicalLocation": {
                            "artifactLocation": _artifact(result.path),
                            "region": {
                                "startLine": d.line,
                                "startColumn": d.column,
                                "endLine": d.end_line,
                                "endColumn": d.end_column,
                            },
                        }
                    }
                ],
            }
            if d.code in index:
                item["ruleIndex"] = index[d.code]
            if d in fixes:
                item["fixes"] = fixes[d]
            if d.fix_title is not None:
                item["properties"] = {"fix": {"title": d.fix_title, "safety": d.fix_safety, "applicable": d.applicable}}
            sarif_results.append(item)
    driver = {
        "name": "asynclint",
        "version": __version__,
        "informationUri": HOME_URL,
        "rules": [
            {
                "id": rule.CODE,
                "name": rule.NAME,
                "shortDescription": {"text": rule.summary()},
                "fullDescription": {"text": rule.doc_sections().get("What it does", rule.summary())},
                "helpUri": rule_url(rule),
                "help": {"text": rule_docs(rule), "markdown": rule_docs(rule)},
                "defaultConfiguration": {"enabled": rule.DEFAULT, "level": levels[rule.CODE]},
            }
            for rule in rules
        ],
    }
    return {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        # Our columns count code points, not SARIF's default UTF-16 code units.
        "runs": [{"tool": {"driver": driver}, "columnKind": "unicodeCodePoints", "results": sarif_results}],
    }


def write_sarif(results: Sequence[FileResult], out: IO[str], view: View = View()) -> None:
    json.dump(sarif(results, view), out, indent=2)
    out.write("\n")


# -- --statistics ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Statistic:
    code: str
    name: str
    count: int
    fixable: int
    """How many of them `asynclint fix` would fix with the current settings."""


def statistics(results: Sequence[FileResult]) -> list[Statistic]:
    """Per code, most frequent first."""
    counts: dict[str, list[int]] = {}
    names: dict[str, str] = {}
    for d in (d for r in results for d in r.diagnostics):
        entry = counts.setdefault(d.code, [0, 0])
        entry[0] += 1
        entry[1] += d.applicable
        names[d.code] = d.name
    ordered = sorted(counts.items(), key=lambda item: (-item[1][0], item[0]))
    return [Statistic(code, names[code], count, fixable) for code, (count, fixable) in ordered]


def write_statistics(results: Sequence[FileResult], out: IO[str], view: View = View()) -> None:
    """One line per code: count, code, fixable mark ([*] all, [-] some), name."""
    for row in statistics(results):
        mark = "[*]" if row.fixable == row.count else "[-]" if row.fixable else "   "
        out.write(f"{row.count:>5}\t{row.code}\t{mark} {row.name}\n")


def write_statistics_json(results: Sequence[FileResult], out: IO[str], view: View = View()) -> None:
    """ruff's fields: `fixable` is true when `asynclint fix` would fix every one of them."""
    rows = [
        {"code": r.code, "name": r.name, "count": r.count, "fixable": r.fixable == r.count} for r in statistics(results)
    ]
    json.dump(rows, out, indent=2)
    out.write("\n")


FORMATS: dict[str, Callable[[Sequence[FileResult], IO[str], View], None]] = {
    "concise": write_text,
    "full": write_full,
    "json": write_json,
    "github": write_github,
    "gitlab": write_gitlab,
    "sarif": write_sarif,
}
TEXT_FORMATS = ("concise", "full")
