"""Shared by the fixture and case harnesses: what a file expects (its `# error:` and `# expect:`
annotation comments), the settings each harness lints it with, and fixing."""

from __future__ import annotations

import re
import tomllib
from collections import Counter
from pathlib import Path
from typing import Any

from asynclint.config import Settings, parse_target
from asynclint.engine import Action, Outcome, Request, process
from asynclint.registry import all_rules
from asynclint.rule import Rule

ROOT = Path(__file__).resolve().parent.parent
_MARK = re.compile(r"#\s*(error|expect):\s*(AIO[0-9]{3}(?:\s*,\s*AIO[0-9]{3})*)")


def key(rule: type[Rule]) -> str:
    """The one spelling of a rule in file names: `fixtures/<key>/`, `tests/cases/<key>[_<variant>].py`
    and `docs/rules/<key>.md`, e.g. `AIO101_dangling-task`."""
    return f"{rule.CODE}_{rule.NAME}"


def annotations(text: str, kind: str = "error") -> Counter[tuple[int, str]]:
    """(line, code) for every `# error: AIO101, AIO202` (or `# expect:`) comment."""
    found: Counter[tuple[int, str]] = Counter()
    for number, line in enumerate(text.splitlines(), start=1):
        for match in _MARK.finditer(line):
            if match.group(1) == kind:
                for code in match.group(2).split(","):
                    found[(number, code.strip())] += 1
    return found


def findings(diagnostics: list[Any]) -> Counter[tuple[int, str]]:
    return Counter((d.line, d.code) for d in diagnostics)


def load_manifest(path: Path) -> dict[str, Any]:
    return tomllib.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


def settings_for(manifest: dict[str, Any], select: tuple[str, ...] = ("AIO",)) -> Settings:
    """The selected rules (every rule, opt-in ones too, by default), with the manifest's fix,
    target and `test-paths` settings; a manifest's `select` list overrides `select`."""
    opt_in = tuple(rule.CODE for rule in all_rules() if not rule.DEFAULT)
    select = tuple(manifest.get("select", select))
    return Settings(
        select=select,
        extend_select=tuple(code for code in opt_in if any(code.startswith(s) for s in select)),
        unsafe_fixes=bool(manifest.get("unsafe-fixes", False)),
        target_version=parse_target(manifest["target-version"]) if "target-version" in manifest else (3, 10),
        blocking_calls=tuple(manifest.get("blocking-calls", ())),
        line_length=manifest.get("line-length"),
        # Case files live under tests/ but stand for any code: no test role unless they ask.
        test_paths=tuple(manifest.get("test-paths", ())),
    )


def fix(text: str, settings: Settings, path: str | None = None) -> Outcome[str]:
    """What `asynclint fix` makes of the text (`new` is None when it changes nothing)."""
    return process(Request(text, settings, path, action=Action.FIX))


def describe(counter: Counter[tuple[int, str]]) -> list[str]:
    return sorted(f"line {line}: {code}" for (line, code), n in counter.items() for _ in range(n))


def corpus() -> list[tuple[Path, Settings]]:
    """Every annotated file with the settings its harness lints it with: tests/cases/*.py (as
    test_cases.py: the rule the file is named after, or its .toml's `select`) and each
    fixture's before.py and after.py (as test_fixtures.py: every rule)."""
    files: list[tuple[Path, Settings]] = []
    for case in sorted((ROOT / "tests" / "cases").glob("*.py")):
        if not case.name.endswith(".fixed.py"):
            files.append((case, settings_for(load_manifest(case.with_suffix(".toml")), select=(case.name[:6],))))
    for fixture in sorted(p for p in (ROOT / "fixtures").iterdir() if p.is_dir()):
        settings = settings_for(load_manifest(fixture / "fixture.toml"))
        files.extend((fixture / name, settings) for name in ("before.py", "after.py"))
    return files
