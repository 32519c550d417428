"""Finds every rule in `asynclint.rules` (a subpackage per family, one rule per module), and checks
the catalogue is sound.

What a rule declares is checked here, so a wrong declaration fails loudly instead of silently:
codes, names, handler names, fix facts and `SINCE` when the catalogue is built (no libcst needed), and that each
`visit_<Node>` names a libcst node class in `handler_classes`, which imports libcst and so runs
only when the engine is about to parse (a warm cached run never imports libcst).
"""

from __future__ import annotations

import functools
import importlib
import pkgutil
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from asynclint import __version__
from asynclint.rule import FixAvailability, FixFacts, Rule, Safety

if TYPE_CHECKING:
    import libcst as cst
else:
    from asynclint._lazy import cst

_CODE = re.compile(r"^AIO[0-9]{3}$")
_NAME = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_VISIT = "visit_"


class RegistryError(Exception):
    pass


@dataclass(frozen=True)
class Redirect:
    """A rule that was renamed or split: its old code and name stand for the rules it became, as
    ruff keeps redirects for renamed rules, so a configuration or `# noqa` written for it keeps
    meaning what it meant.

    As a selector (`select`, `extend-select`, `ignore`, `per-file-ignores`, `extend-safe-fixes`,
    `# noqa:` and `# asynclint: noqa:`) the old code covers every rule in `into`, one step less
    specifically than a rule's own full code: `ignore = ["AIO309"]` with
    `extend-select = ["AIO312"]` still runs AIO312.  Names are not selectors (only codes and
    prefixes are), so the old name is for `asynclint rule NAME` and the docs."""

    code: str
    name: str
    into: tuple[str, ...]


REDIRECTS: tuple[Redirect, ...] = (
    # It named a release and bundled two pitfalls; AIO309 kept the one with a fix.
    Redirect("AIO309", "deprecated-in-3-14", into=("AIO309", "AIO312")),
)
_REDIRECTED: dict[str, tuple[str, ...]] = {r.code: r.into for r in REDIRECTS}


def redirected(selector: str) -> tuple[str, ...]:
    """The codes an old code stands for besides its own prefix matches (() for any other selector)."""
    return _REDIRECTED.get(selector, ())


def redirect_named(code_or_name: str) -> Redirect | None:
    """The redirect whose old name is `code_or_name` (spelled as `get_rule` accepts names)."""
    wanted = code_or_name.strip().lower().replace(".", "-")
    return next((r for r in REDIRECTS if r.name == wanted), None)


def redirects_into(rule: type[Rule]) -> tuple[Redirect, ...]:
    """The redirects that stand for `rule` (the rules it was renamed or split from)."""
    return tuple(r for r in REDIRECTS if rule.CODE in r.into)


@functools.cache
def all_rules() -> tuple[type[Rule], ...]:
    import asynclint.rules as package

    found: list[type[Rule]] = []
    # One family per subpackage (`rules/tasks/` holds 1xx, ...), one rule per module; modules whose
    # name starts with `_` are a family's helpers.
    for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
        if info.ispkg or info.name.rpartition(".")[2].startswith("_"):
            continue
        module = importlib.import_module(info.name)
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, Rule) and value.__module__ == module.__name__:
                found.append(value)
    codes: dict[str, type[Rule]] = {}
    names: dict[str, type[Rule]] = {}
    for rule in found:
        if not _CODE.match(getattr(rule, "CODE", "")):
            raise RegistryError(f"{rule.__name__}: code {getattr(rule, 'CODE', None)!r} is not AIO + 3 digits")
        if not _NAME.match(getattr(rule, "NAME", "")):
            raise RegistryError(f"{rule.__name__}: name {getattr(rule, 'NAME', None)!r} is not kebab-case")
        for key, table in ((rule.CODE, codes), (rule.NAME, names)):
            if key in table:
                raise RegistryError(f"{key} is used by both {table[key].__name__} and {rule.__name__}")
            table[key] = rule
        check_handler_names(rule)
        check_fix(rule)
        check_since(rule)
    check_redirects(REDIRECTS, codes, names)
    return tuple(sorted(found, key=lambda r: r.CODE))


def check_redirects(
    redirects: tuple[Redirect, ...], codes: dict[str, type[Rule]], names: dict[str, type[Rule]]
) -> None:
    """A redirect leads to rules that exist, and its old name is no rule's name; its old code is
    retired (no rule has it) or kept by one of the rules it leads to (a split)."""
    for redirect in redirects:
        where = f"redirect {redirect.code} {redirect.name}"
        if not redirect.into or any(code not in codes for code in redirect.into):
            raise RegistryError(f"{where}: leads to {redirect.into}, not to registered rules")
        if redirect.name in names:
            raise RegistryError(f"{where}: its old name is {names[redirect.name].__name__}'s name")
        if redirect.code in codes and redirect.code not in redirect.into:
            raise RegistryError(
                f"{where}: its old code is {codes[redirect.code].__name__}'s, which it does not lead to"
            )


_VERSION = re.compile(r"^([0-9]+)\.([0-9]+)\.([0-9]+)$")


def check_since(rule: type[Rule]) -> None:
    """`SINCE` names a release that exists: a version no newer than this one."""
    where = f"{rule.__name__} ({getattr(rule, 'CODE', '?')})"
    since = getattr(rule, "SINCE", None)
    if since is None:
        raise RegistryError(f'{where}: no SINCE: declare the release that first has the rule (SINCE = "{__version__}")')
    match = _VERSION.match(since) if isinstance(since, str) else None
    current = _VERSION.match(__version__)
    if match is None or current is None:
        raise RegistryError(f"{where}: SINCE = {since!r} is not a version like '0.1.0'")
    if tuple(map(int, match.groups())) > tuple(map(int, current.groups())):
        raise RegistryError(f"{where}: SINCE = {since!r} is newer than this release, {__version__}")


_RETIRED_FIX_ATTRIBUTES = ("FIX_TITLE", "FIX_AVAILABILITY", "FIX_SAFETY")


def check_fix(rule: type[Rule]) -> None:
    """`FIX` is None (no fix: availability NONE) or a `FixFacts` whose availability is SOMETIMES or
    ALWAYS, with a safety and a title; the three attributes it replaced are no longer read."""
    where = f"{rule.__name__} ({getattr(rule, 'CODE', '?')})"
    retired = [attr for attr in _RETIRED_FIX_ATTRIBUTES if hasattr(rule, attr)]
    if retired:
        raise RegistryError(f"{where}: {', '.join(retired)} is no longer read: declare FIX = FixFacts(...)")
    fix = rule.FIX
    if fix is None:
        return
    if not isinstance(fix, FixFacts):
        raise RegistryError(f"{where}: FIX is {fix!r}, not a FixFacts or None")
    if fix.availability not in (FixAvailability.SOMETIMES, FixAvailability.ALWAYS):
        raise RegistryError(f"{where}: a fix available {fix.availability!r} is no fix: declare FIX = None")
    if not isinstance(fix.safety, Safety) or not isinstance(fix.title, str) or not fix.title:
        raise RegistryError(f"{where}: FIX needs a Safety and a title, got {fix!r}")


def check_handler_names(rule: type[Rule]) -> None:
    """Reject handlers the engine would never call: it dispatches only `visit_<Node>` methods."""
    for attr in dir(rule):
        if attr.startswith("leave_"):
            raise RegistryError(
                f"{rule.__name__} ({getattr(rule, 'CODE', '?')}): `{attr}` would never run: the engine calls only "
                "`visit_<Node>` methods (rules run batched from one walk, with no leave step)"
            )


_HANDLER_CLASSES: dict[type[Rule], tuple[tuple[type, str], ...]] = {}


def handler_classes(rule: type[Rule]) -> tuple[tuple[type, str], ...]:
    """[(libcst node class, method name)] for a rule's `visit_<Node>` methods.

    Imports libcst: the engine asks just before it parses.  Raises RegistryError for a
    `visit_<X>` whose X is not a libcst node class (`visit_Calls` would otherwise fail on
    every file)."""
    found = _HANDLER_CLASSES.get(rule)
    if found is None:
        check_handler_names(rule)
        pairs = []
        for attr in dir(rule):
            if not attr.startswith(_VISIT):
                continue
            node_class = getattr(cst, attr[len(_VISIT) :], None)
            if not (isinstance(node_class, type) and issubclass(node_class, cst.CSTNode)):
                raise RegistryError(
                    f"{rule.__name__} ({getattr(rule, 'CODE', '?')}): `{attr}` names no libcst node class "
                    f"(`libcst.{attr[len(_VISIT) :]}` is not a CSTNode subclass)"
                )
            pairs.append((node_class, attr))
        found = _HANDLER_CLASSES[rule] = tuple(pairs)
    return found


def get_rule(code_or_name: str) -> type[Rule] | None:
    wanted = code_or_name.strip()
    for rule in all_rules():
        if rule.CODE == wanted.upper() or rule.NAME == wanted.lower().replace(".", "-"):
            return rule
    return None


def codes() -> list[str]:
    return [rule.CODE for rule in all_rules()]
