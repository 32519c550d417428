"""How results are shown: one function per `--format`.  They print; they decide nothing."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import IO

from asynclint.rule import Diagnostic, FileResult

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


# -- GitHub Actions workflow commands ----------------------------------------------------------
def _github_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _github_property(text: str) -> str:
    return _github_data(text).replace(":", "%3A").replace(",", "%2C")


def write_github(results: Sequence[FileResult], out: IO[str]) -> None:
    """`::error` annotations: GitHub shows each on the line it names in the pull request."""
    for result in results:
        for d in result.diagnostics:
            properties = ",".join(
                f"{key}={_github_property(str(value))}"
                for key, value in (
                    ("title", f"asynclint ({d.code})"),
                    ("file", result.path),
                    ("line", d.line),
                    ("col", d.column),
                    ("endLine", d.end_line),
                    ("endColumn", d.end_column),
                )
            )
            out.write(f"::error {properties}::{_github_data(text_line(result.path, d))}\n")


# -- SARIF 2.1.0 --------------------------------------------------------------------------------
def sarif(results: Sequence[FileResult]) -> dict[str, object]:
    from pathlib import Path

    from asynclint import __version__
    from asynclint.registry import all_rules

    rules = list(all_rules())
    index = {rule.CODE: i for i, rule in enumerate(rules)}
    sarif_results = []
    for result in results:
        uri = Path(result.path).as_posix()
        for d in result.diagnostics:
            item: dict[str, object] = {
                "ruleId": d.code,
                "level": "error",
                "message": {"text": d.message},
                "locations": [
                    {
                        "physicalLocation": {
                            "artifactLocation": {"uri": uri, **({"uriBaseId": "%SRCROOT%"} if not uri.startswith("/") else {})},
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
            if d.fix_title is not None:
                item["properties"] = {"fix": {"title": d.fix_title, "safety": d.fix_safety, "applicable": d.applicable}}
            sarif_results.append(item)
    driver = {
        "name": "asynclint",
        "version": __version__,
        "informationUri": "https://pypi.org/project/asynclint/",
        "rules": [
            {
                "id": rule.CODE,
                "name": rule.NAME,
                "shortDescription": {"text": rule.summary()},
                "fullDescription": {"text": rule.doc_sections().get("What it does", rule.summary())},
                "help": {"text": rule.docs(), "markdown": rule.docs()},
                "defaultConfiguration": {"enabled": rule.DEFAULT, "level": "error"},
            }
            for rule in rules
        ],
    }
    return {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{"tool": {"driver": driver}, "results": sarif_results}],
    }


def write_sarif(results: Sequence[FileResult], out: IO[str]) -> None:
    json.dump(sarif(results), out, indent=2)
    out.write("\n")


# -- --statistics ---------------------------------------------------------------------------------
def write_statistics(results: Sequence[FileResult], out: IO[str]) -> None:
    """One line per code, most frequent first: count, code, fixable mark, name."""
    counts: dict[str, list[int]] = {}
    names: dict[str, str] = {}
    for d in (d for r in results for d in r.diagnostics):
        entry = counts.setdefault(d.code, [0, 0])
        entry[0] += 1
        entry[1] += d.applicable
        names[d.code] = d.name
    for code, (count, fixable) in sorted(counts.items(), key=lambda item: (-item[1][0], item[0])):
        mark = "[*]" if fixable == count else "[-]" if fixable else "   "
        out.write(f"{count:>5}\t{code}\t{mark} {names[code]}\n")


FORMATS = {"text": write_text, "json": write_json, "github": write_github, "sarif": write_sarif}
