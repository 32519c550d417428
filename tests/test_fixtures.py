"""Every fixtures/<CODE>_<name>/ passes the four checks of RULES.md's "Fixtures" section."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from expectations import ROOT, annotations, describe, findings, fix, load_manifest, settings_for

from asynclint.engine import lint_text

FIXTURES = sorted(p for p in (ROOT / "fixtures").iterdir() if p.is_dir())
RUN_TIMEOUT = 60  # seconds; each program is meant to take well under one


def _ids(paths: list[Path]) -> list[str]:
    return [p.name for p in paths]


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


@pytest.mark.parametrize("fixture", FIXTURES, ids=_ids(FIXTURES))
def test_before_findings_match_annotations(fixture: Path) -> None:
    manifest = load_manifest(fixture / "fixture.toml")
    text = _read(fixture / "before.py")
    got = findings(lint_text(text, settings_for(manifest), str(fixture / "before.py")))
    expected = annotations(text, "error")
    assert expected, "before.py must annotate at least one finding"
    assert describe(got) == describe(expected)


@pytest.mark.parametrize("fixture", FIXTURES, ids=_ids(FIXTURES))
def test_fix_produces_after(fixture: Path, update_fixtures: bool) -> None:
    manifest = load_manifest(fixture / "fixture.toml")
    if manifest.get("after") == "manual":
        pytest.skip("after.py is written by hand for a rule without a fix")
    outcome = fix(_read(fixture / "before.py"), settings_for(manifest), str(fixture / "before.py"))
    assert outcome.new is not None and outcome.fixed > 0, "the fixture's fixes should apply"
    after = fixture / "after.py"
    if update_fixtures:
        after.write_text(outcome.new, encoding="utf-8")
    assert outcome.new == _read(after)


@pytest.mark.parametrize("fixture", FIXTURES, ids=_ids(FIXTURES))
def test_after_is_clean_and_stable(fixture: Path) -> None:
    manifest = load_manifest(fixture / "fixture.toml")
    settings = settings_for(manifest)
    text = _read(fixture / "after.py")
    got = findings(lint_text(text, settings, str(fixture / "after.py")))
    assert describe(got) == describe(annotations(text, "expect"))
    assert fix(text, settings).new is None, "fixing after.py again must change nothing"


def _run(path: Path, *flags: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    return subprocess.run(
        [sys.executable, *flags, path.name],
        cwd=path.parent,
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT,
        env=env,
    )


@pytest.mark.parametrize("fixture", FIXTURES, ids=_ids(FIXTURES))
def test_programs_show_the_pitfall_and_the_cure(fixture: Path) -> None:
    manifest = load_manifest(fixture / "fixture.toml")
    proof = manifest.get("proof")
    assert proof in ("pitfall", "equivalent"), "fixture.toml must say proof = 'pitfall' or 'equivalent'"
    expected_before = manifest.get("before", {})
    expected_after = manifest.get("after-run", {})
    before = _run(fixture / "before.py")
    after = _run(fixture / "after.py", "-W", "error")
    assert after.returncode == 0, after.stderr
    assert after.stderr == "", "after.py must stay silent under -W error"
    assert after.stdout == expected_after["stdout"]
    if proof == "equivalent":
        assert before.returncode == 0, before.stderr
        assert before.stdout == after.stdout
        return
    if "stdout" in expected_before:
        assert before.stdout == expected_before["stdout"]
    assert before.stdout != after.stdout or expected_before.get("stderr-contains"), "the pitfall must be observable"
    for needle in expected_before.get("stderr-contains", []):
        assert needle in before.stderr, f"before.py should show {needle!r}; stderr was:\n{before.stderr}"
    if "returncode" in expected_before:
        assert before.returncode == expected_before["returncode"], before.stderr
