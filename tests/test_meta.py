"""The catalogue holds together: every rule has its fixture, full docs, working examples."""

from __future__ import annotations

import re

import pytest

from annotations import ROOT, load_manifest, settings_for
from asynclint.docs import render_readme, rule_pages
from asynclint.engine import fix_text, lint_text
from asynclint.registry import all_rules
from asynclint.rule import DOC_SECTIONS, FixAvailability, Rule

RULES = all_rules()
VISITING = [rule for rule in RULES if any(attr.startswith("visit_") for attr in dir(rule))]


def test_codes_and_names_are_unique_and_well_formed() -> None:
    assert len({r.CODE for r in RULES}) == len(RULES) == len({r.NAME for r in RULES})
    for rule in RULES:
        assert re.fullmatch(r"AIO[0-9]{3}", rule.CODE)
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", rule.NAME)


@pytest.mark.parametrize("rule", RULES, ids=[r.CODE for r in RULES])
def test_docstring_has_every_section_in_order(rule: type[Rule]) -> None:
    sections = list(rule.doc_sections())
    assert sections == list(DOC_SECTIONS)
    assert all(rule.doc_sections()[s] for s in sections)


@pytest.mark.parametrize("rule", RULES, ids=[r.CODE for r in RULES])
def test_messages(rule: type[Rule]) -> None:
    assert not rule.MESSAGE.endswith(".") and len(rule.MESSAGE) < 80
    assert (rule.FIX_TITLE is None) == (rule.FIX_AVAILABILITY is FixAvailability.NONE) == (rule.FIX_SAFETY is None)
    assert rule.FIX_TITLE != rule.MESSAGE


@pytest.mark.parametrize("rule", RULES, ids=[r.CODE for r in RULES])
def test_triggers_are_groups_of_words(rule: type[Rule]) -> None:
    assert isinstance(rule.TRIGGERS, tuple)
    for group in rule.TRIGGERS:
        assert isinstance(group, tuple) and group and all(isinstance(w, str) and w for w in group)


@pytest.mark.parametrize("rule", VISITING, ids=[r.CODE for r in VISITING])
def test_every_rule_has_a_fixture(rule: type[Rule]) -> None:
    directory = ROOT / "fixtures" / f"{rule.CODE}_{rule.NAME}"
    for name in ("before.py", "after.py", "fixture.toml"):
        assert (directory / name).is_file(), f"missing {directory.name}/{name}"
    assert load_manifest(directory / "fixture.toml").get("rule") == rule.CODE


def test_every_fixture_belongs_to_a_rule() -> None:
    expected = {f"{r.CODE}_{r.NAME}" for r in VISITING}
    assert {p.name for p in (ROOT / "fixtures").iterdir() if p.is_dir()} <= expected


@pytest.mark.parametrize("rule", VISITING, ids=[r.CODE for r in VISITING])
def test_docstring_examples_run(rule: type[Rule]) -> None:
    """`Example` is reported, `Use instead` is not, and the fix turns one into the other.

    Examples are written for the newest Python a fix may need (AIO308's alias needs 3.11)."""
    settings = settings_for({"unsafe-fixes": True, "target-version": "py311"}).with_overrides(select=(rule.CODE,), extend_select=(rule.CODE,))
    example, instead = rule.doc_code_block("Example"), rule.doc_code_block("Use instead")
    assert example and instead
    assert any(d.code == rule.CODE for d in lint_text(example, settings))
    assert not any(d.code == rule.CODE for d in lint_text(instead, settings))
    if rule.FIX_AVAILABILITY is not FixAvailability.NONE:
        assert fix_text(example, settings).text == instead


FIXING = [rule for rule in VISITING if rule.FIX_AVAILABILITY is not FixAvailability.NONE]


@pytest.mark.parametrize("rule", FIXING, ids=[r.CODE for r in FIXING])
def test_unsafe_fixes_wait_for_unsafe_fixes(rule: type[Rule]) -> None:
    """The docstring example's fix is applied without `--unsafe-fixes` exactly when it is safe,
    and the finding says so."""
    settings = settings_for({"target-version": "py311"}).with_overrides(select=(rule.CODE,), extend_select=(rule.CODE,))
    example = rule.doc_code_block("Example")
    assert example
    found = [d for d in lint_text(example, settings) if d.code == rule.CODE]
    assert found and all(d.fix_safety == rule.FIX_SAFETY.value for d in found if d.fix_safety)  # type: ignore[union-attr]
    changed = fix_text(example, settings).text != example
    assert changed == (rule.FIX_SAFETY.value == "safe")  # type: ignore[union-attr]
    assert all(d.applicable == changed for d in found if d.fix_safety)


def test_readme_rule_table_is_current() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert render_readme(text) == text, "run `python -m asynclint.docs` to regenerate the README's rule table"


def test_rule_pages_are_current() -> None:
    pages = ROOT / "docs" / "rules"
    found = {p.name: p.read_text(encoding="utf-8") for p in pages.glob("*.md")}
    assert found == rule_pages(), "run `python -m asynclint.docs` to regenerate docs/rules/"


def _version(text: str) -> tuple[int, ...]:
    assert re.fullmatch(r"[0-9]+\.[0-9]+\.[0-9]+", text), text
    return tuple(int(part) for part in text.split("."))


@pytest.mark.parametrize("rule", RULES, ids=[r.CODE for r in RULES])
def test_no_rule_is_newer_than_the_version(rule: type[Rule]) -> None:
    """`## Since` names a release that exists: this one or an earlier one."""
    from asynclint import __version__

    assert _version(rule.doc_sections()["Since"].strip()) <= _version(__version__)


def test_one_version_source() -> None:
    """`asynclint --version`, the package metadata, the changelog and the tag name agree."""
    import subprocess
    import sys
    import tomllib

    from asynclint import __version__

    out = subprocess.run([sys.executable, "-m", "asynclint", "--version"], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == f"asynclint {__version__}"
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert "version" not in project and project["dynamic"] == ["version"]
    assert f"## [{__version__}]" in (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    # Tags are `v` + the version; the README's pre-commit example pins the current one.
    assert f"rev: v{__version__}" in (ROOT / "README.md").read_text(encoding="utf-8")
    assert "v<version>" in (ROOT / "docs" / "releasing.md").read_text(encoding="utf-8")


def test_one_home() -> None:
    """The package metadata's URLs and the links in SARIF and the language server name one home."""
    import tomllib

    from asynclint.docs import HOME_URL, RULES_URL

    urls = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["urls"]
    assert urls["Homepage"] == HOME_URL and urls["Documentation"] == RULES_URL
    assert all(url.startswith(HOME_URL) for url in urls.values())
