"""The catalogue holds together: every rule has its fixture, full docs, working examples."""

from __future__ import annotations

import functools
import re
from pathlib import Path

import libcst as cst
import pytest
from expectations import ROOT, corpus, fix, key, load_manifest, settings_for

from asynclint import engine
from asynclint.config import Settings
from asynclint.docs import render_readme, rule_docs, rule_file, rule_pages
from asynclint.engine import Action, Request, lint_text, process
from asynclint.registry import RegistryError, all_rules, check_fix, check_handler_names, check_since, handler_classes
from asynclint.rule import DOC_SECTIONS, Diagnostic, FixAvailability, FixFacts, Rule, Safety

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
    assert rule.FIX is None or rule.FIX.title != rule.MESSAGE


@pytest.mark.parametrize("rule", RULES, ids=[r.CODE for r in RULES])
def test_triggers_are_groups_of_words(rule: type[Rule]) -> None:
    import re

    assert isinstance(rule.TRIGGERS, tuple)
    for group in rule.TRIGGERS:
        assert isinstance(group, tuple) and group
        assert all((isinstance(w, str) and w) or (isinstance(w, re.Pattern) and w.pattern) for w in group)


# -- declarations the harness checks ------------------------------------------------------
@pytest.mark.parametrize("rule", RULES, ids=[r.CODE for r in RULES])
def test_every_handler_names_a_libcst_node_class(rule: type[Rule]) -> None:
    for node_class, method in handler_classes(rule):
        assert issubclass(node_class, cst.CSTNode) and method == f"visit_{node_class.__name__}"


class _VisitsNoNode(Rule):
    CODE, NAME, MESSAGE = "AIO998", "visits-no-node", "never reported"

    def visit_Calls(self, node: object) -> None:  # a typo for `visit_Call`
        raise AssertionError("never dispatched")


class _Leaves(Rule):
    CODE, NAME, MESSAGE = "AIO999", "leaves", "never reported"

    def leave_Call(self, node: object) -> None:
        raise AssertionError("never dispatched")


def test_a_visit_of_no_libcst_node_class_is_rejected(monkeypatch: pytest.MonkeyPatch) -> None:
    message = r"_VisitsNoNode \(AIO998\): `visit_Calls` names no libcst node class"
    with pytest.raises(RegistryError, match=message):
        handler_classes(_VisitsNoNode)
    # The engine asks before it parses, outside the per-file `try`: the run stops with the
    # message instead of reporting AIO002 on every file.
    monkeypatch.setattr(engine, "all_rules", lambda: (_VisitsNoNode,))
    with pytest.raises(RegistryError, match=message):
        lint_text("x = 1\n", Settings(select=("AIO998",)))
    with pytest.raises(RegistryError, match=message):
        fix("x = 1\n", Settings(select=("AIO998",)))


def test_a_leave_handler_is_rejected() -> None:
    message = r"_Leaves \(AIO999\): `leave_Call` would never run: the engine calls only `visit_<Node>`"
    with pytest.raises(RegistryError, match=message):
        check_handler_names(_Leaves)  # what `all_rules()` runs on every rule it registers
    with pytest.raises(RegistryError, match=message):
        handler_classes(_Leaves)


class _OldFixAttributes(Rule):
    CODE, NAME, MESSAGE = "AIO997", "old-fix-attributes", "never reported"
    FIX_TITLE = "Do the thing"


class _FixNotFacts(Rule):
    CODE, NAME, MESSAGE = "AIO996", "fix-not-facts", "never reported"
    FIX = "Do the thing"  # type: ignore[assignment]


class _FixAvailableNever(Rule):
    CODE, NAME, MESSAGE = "AIO995", "fix-available-never", "never reported"
    FIX = FixFacts(title="Do the thing", availability=FixAvailability.NONE, safety=Safety.SAFE)


class _FixWithoutTitle(Rule):
    CODE, NAME, MESSAGE = "AIO994", "fix-without-title", "never reported"
    FIX = FixFacts(title="", availability=FixAvailability.ALWAYS, safety=Safety.SAFE)


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        (_OldFixAttributes, r"_OldFixAttributes \(AIO997\): FIX_TITLE is no longer read: declare FIX = FixFacts"),
        (_FixNotFacts, r"_FixNotFacts \(AIO996\): FIX is 'Do the thing', not a FixFacts or None"),
        (_FixAvailableNever, r"_FixAvailableNever \(AIO995\): a fix available .*NONE.* is no fix: declare FIX = None"),
        (_FixWithoutTitle, r"_FixWithoutTitle \(AIO994\): FIX needs a Safety and a title"),
    ],
    ids=["old-attributes", "not-facts", "available-never", "no-title"],
)
def test_a_bad_fix_declaration_is_rejected(rule: type[Rule], message: str) -> None:
    with pytest.raises(RegistryError, match=message):
        check_fix(rule)  # what `all_rules()` runs on every rule it registers


@functools.cache
def _corpus_findings() -> dict[str, list[tuple[Path, Diagnostic]]]:
    found: dict[str, list[tuple[Path, Diagnostic]]] = {}
    for path, settings in corpus():
        for diagnostic in lint_text(path.read_text(encoding="utf-8"), settings, str(path)):
            found.setdefault(diagnostic.code, []).append((path.relative_to(ROOT), diagnostic))
    return found


_LESS_SAFE = {Safety.SAFE: 0, Safety.UNSAFE: 1, Safety.DISPLAY_ONLY: 2}


@pytest.mark.parametrize("rule", RULES, ids=[r.CODE for r in RULES])
def test_fix_availability_and_safety_hold_over_the_corpus(rule: type[Rule]) -> None:
    """ALWAYS: every finding of the rule in the corpus carries a fix; NONE: none does.  A fix is
    never safer than `FIX.safety` (it is what `asynclint fix` may apply unasked); a site whose
    fix is less safe is one the `## Fix safety` section owns up to."""
    found = _corpus_findings().get(rule.CODE, [])
    if rule in VISITING:
        assert found, f"no file of the corpus exercises {rule.CODE}"
    if rule.fix_availability() is FixAvailability.ALWAYS:
        assert [f"{p}:{d.line}" for p, d in found if d.fix_safety is None] == [], (
            "declared ALWAYS, reported without a fix"
        )
    if rule.fix_availability() is FixAvailability.NONE:
        assert [f"{p}:{d.line}" for p, d in found if d.fix_safety is not None] == [], (
            "declared NONE, reported with a fix"
        )
    safeties = {Safety(d.fix_safety) for _, d in found if d.fix_safety is not None}
    if rule.FIX is None:
        assert not safeties
        return
    safer = [
        f"{p}:{d.line} {d.fix_safety}"
        for p, d in found
        if d.fix_safety and _LESS_SAFE[Safety(d.fix_safety)] < _LESS_SAFE[rule.FIX.safety]
    ]
    assert safer == [], f"declared {rule.FIX.safety.value}, offered a safer fix"
    for safety in safeties - {rule.FIX.safety}:
        assert safety.value in rule.doc_sections()["Fix safety"].lower(), (
            f"`## Fix safety` never says when the fix is {safety.value}"
        )


CORPUS = corpus()


@pytest.mark.parametrize(("path", "settings"), CORPUS, ids=[str(p.relative_to(ROOT)) for p, _ in CORPUS])
def test_the_pre_check_never_changes_a_result(path: Path, settings: Settings) -> None:
    """With the byte-level pre-check off (every selected rule runs, whatever its `TRIGGERS` and
    `NEEDS_COROUTINE`), each file lints and fixes exactly as it does normally: a wrong trigger
    word would otherwise be a silent missed alarm."""
    text = path.read_text(encoding="utf-8")
    every = engine.select_rules(settings, str(path), text, precheck=False)
    for action in (Action.LINT, Action.FIX):
        unfiltered = process(Request(text, settings, str(path), action=action, rules=every))
        assert unfiltered == process(Request(text, settings, str(path), action=action))


@pytest.mark.parametrize("rule", VISITING, ids=[r.CODE for r in VISITING])
def test_every_rule_has_a_fixture(rule: type[Rule]) -> None:
    directory = ROOT / "fixtures" / key(rule)
    for name in ("before.py", "after.py", "fixture.toml"):
        assert (directory / name).is_file(), f"missing {directory.name}/{name}"
    assert load_manifest(directory / "fixture.toml").get("rule") == rule.CODE


def test_every_fixture_belongs_to_a_rule() -> None:
    expected = {key(r) for r in RULES}
    assert {p.name for p in (ROOT / "fixtures").iterdir() if p.is_dir()} <= expected


_CASE = re.compile(
    r"(?P<key>AIO[0-9]{3}_[a-z0-9-]+?)(?:_(?P<variant>[a-z0-9]+(?:-[a-z0-9]+)*))?(?:\.fixed)?\.(?:py|toml)"
)


def test_every_file_is_named_by_its_rule_key() -> None:
    """Fixtures, case files and rule pages spell a rule one way, `<CODE>_<name>` (a case file may
    add `_<variant>`, e.g. `AIO303_legacy-loop-driver_py311.py`); a `.fixed.py` or `.toml` has
    its case beside it."""
    keys = {key(rule) for rule in RULES}
    assert all(rule_file(rule) == f"{key(rule)}.md" for rule in RULES)
    misnamed = []
    for path in sorted((ROOT / "tests" / "cases").iterdir()):
        match = _CASE.fullmatch(path.name)
        if match is None or match["key"] not in keys:
            misnamed.append(path.name)
        elif not path.name.endswith(".py") or path.name.endswith(".fixed.py"):
            case = path.name.removesuffix(".fixed.py").removesuffix(".toml") + ".py"
            assert (path.parent / case).is_file(), f"{path.name} has no {case}"
    assert misnamed == [], "a case file is named <CODE>_<name>[_<variant>].py for a rule"


@pytest.mark.parametrize("rule", VISITING, ids=[r.CODE for r in VISITING])
def test_docstring_examples_run(rule: type[Rule]) -> None:
    """`Example` is reported, `Use instead` is not, and the fix turns one into the other.

    Examples are written for the newest Python a fix may need (AIO308's alias needs 3.11)."""
    settings = settings_for({"unsafe-fixes": True, "target-version": "py311"}).with_overrides(
        select=(rule.CODE,), extend_select=(rule.CODE,)
    )
    example, instead = rule.doc_code_block("Example"), rule.doc_code_block("Use instead")
    assert example and instead
    assert any(d.code == rule.CODE for d in lint_text(example, settings))
    assert not any(d.code == rule.CODE for d in lint_text(instead, settings))
    if rule.FIX is not None:
        assert fix(example, settings).new == instead


FIXING = [rule for rule in VISITING if rule.FIX is not None]


@pytest.mark.parametrize("rule", FIXING, ids=[r.CODE for r in FIXING])
def test_unsafe_fixes_wait_for_unsafe_fixes(rule: type[Rule]) -> None:
    """The docstring example's fix is applied without `--unsafe-fixes` exactly when it is safe,
    and the finding says so."""
    settings = settings_for({"target-version": "py311"}).with_overrides(select=(rule.CODE,), extend_select=(rule.CODE,))
    example = rule.doc_code_block("Example")
    assert example
    found = [d for d in lint_text(example, settings) if d.code == rule.CODE]
    assert rule.FIX is not None
    assert found and all(d.fix_safety == rule.FIX.safety.value for d in found if d.fix_safety)
    changed = fix(example, settings).new is not None
    assert changed == (rule.FIX.safety is Safety.SAFE)
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
    """`SINCE` names a release that exists: this one or an earlier one; the pages say it."""
    from asynclint import __version__

    assert _version(rule.SINCE) <= _version(__version__)
    assert rule_docs(rule).startswith(f"{rule.docs()}\n\n## Since\n{rule.SINCE}")
    assert "## Since" not in rule.docs(), "the docstring's `## Since` is rendered from SINCE now"


class _NoSince(Rule):
    CODE, NAME, MESSAGE = "AIO993", "no-since", "never reported"


class _SinceNotAVersion(Rule):
    CODE, NAME, MESSAGE, SINCE = "AIO992", "since-not-a-version", "never reported", "v0.1"


class _SinceTooNew(Rule):
    CODE, NAME, MESSAGE, SINCE = "AIO991", "since-too-new", "never reported", "99.0.0"


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        (_NoSince, r"_NoSince \(AIO993\): no SINCE: declare the release that first has the rule"),
        (_SinceNotAVersion, r"_SinceNotAVersion \(AIO992\): SINCE = 'v0.1' is not a version like '0.1.0'"),
        (_SinceTooNew, r"_SinceTooNew \(AIO991\): SINCE = '99.0.0' is newer than this release"),
    ],
    ids=["missing", "not-a-version", "too-new"],
)
def test_a_bad_since_is_rejected(rule: type[Rule], message: str) -> None:
    with pytest.raises(RegistryError, match=message):
        check_since(rule)  # what `all_rules()` runs on every rule it registers


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
