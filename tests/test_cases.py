"""Annotated case files (tests/cases/*.py): near misses and every import form, lint and fix.

Each case is linted and compared with its `# error:` annotations exactly; when a sibling
`<name>.fixed.py` exists, the fixer's output must equal it and be stable and compile.
Settings come from an optional sibling `<name>.toml` (same keys as a fixture.toml); only the rule
the file is named after is selected unless that file says `select = [...]`.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from expectations import ROOT, annotations, describe, findings, fix, load_manifest, settings_for

from asynclint.engine import lint_text

CASES = sorted(p for p in (ROOT / "tests" / "cases").glob("*.py") if not p.name.endswith(".fixed.py"))


def _settings(case: Path):  # type: ignore[no-untyped-def]
    return settings_for(load_manifest(case.with_suffix(".toml")), select=(case.name[:6],))


@pytest.mark.parametrize("case", CASES, ids=[p.stem for p in CASES])
def test_case_findings(case: Path) -> None:
    text = case.read_text(encoding="utf-8")
    settings = _settings(case)
    assert describe(findings(lint_text(text, settings, str(case)))) == describe(annotations(text))


@pytest.mark.parametrize("case", CASES, ids=[p.stem for p in CASES])
def test_case_fixes(case: Path, update_fixtures: bool) -> None:
    fixed_path = case.with_name(case.stem + ".fixed.py")
    settings = _settings(case)
    text = case.read_text(encoding="utf-8")
    fixed = fix(text, settings, str(case)).new or text
    if update_fixtures:
        fixed_path.write_text(fixed, encoding="utf-8")
    if not fixed_path.exists():
        pytest.skip("no expected fix output for this case")
    assert fixed == fixed_path.read_text(encoding="utf-8")
    compile(fixed, str(fixed_path), "exec")
    assert fix(fixed, settings).new is None, "fixing again must change nothing"
