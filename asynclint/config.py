"""Settings: one frozen value, read from `[tool.asynclint]` and overridden by the command line.

`load_settings(start, config_file=None)` is the one loader every face calls (CLI, flake8 plugin,
codemods, language server); whatever the file holds, it returns `Settings` or raises one
`ConfigError` whose message is a single line.

Rule selection is ruff's: each source (the config file, then the command line) is one
`Selection`; within a source the most specific selector wins (`ALL` < `AIO` < `AIO2` < `AIO201`,
`ignore` winning a tie); a source that sets `select` replaces what earlier sources chose, one that
only extends or ignores adjusts it.  `ALL` selects every rule, opt-in ones included; `AIO` and
shorter prefixes select only the rules that are on by default.  Per-file ignores always win.
The old code of a renamed or split rule (`registry.REDIRECTS`) selects what it became, just less
specifically than the new rule's own code.
"""

from __future__ import annotations

import configparser
import fnmatch
import functools
import os
import re
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from asynclint.registry import redirected

if TYPE_CHECKING:
    from asynclint.rule import Rule

DEFAULT_TARGET = (3, 10)  # the oldest CPython still in use
DEFAULT_EXCLUDES = (
    ".bzr",
    ".direnv",
    ".eggs",
    ".git",
    ".hg",
    ".mypy_cache",
    ".nox",
    ".pants.d",
    ".pytype",
    ".ruff_cache",
    ".svn",
    ".tox",
    ".venv",
    "__pypackages__",
    "_build",
    "buck-out",
    "dist",
    "node_modules",
    "venv",
    "__pycache__",
    ".asynclint_cache",
    ".pytest_cache",
)
DEFAULT_TEST_PATHS = ("tests/*", "test/*", "*/tests/*", "*/test/*", "test_*.py", "*_test.py", "conftest.py")
"""Files of the test role (pytest's and ruff users' usual `per-file-ignores` globs): rules with
`IN_TESTS = False` (the blocking-call family) do not run on them."""
_TARGET = re.compile(r"^py3(\d{1,2})$")
_CODE_PREFIX = re.compile(r"^(ALL|AIO[0-9]{0,3})$")
ALL = "ALL"


class ConfigError(Exception):
    """Bad configuration or command-line selection: exit code 2.  The message is one line."""

    def __init__(self, message: str) -> None:
        super().__init__(" ".join(message.splitlines()))


def parse_target(value: str, where: str = "target-version") -> tuple[int, int]:
    match = _TARGET.match(value.strip().lower())
    if not match:
        prefix = f"{where}: " if where else ""
        raise ConfigError(f"{prefix}expected a version like 'py310' or 'py311', got {value!r}")
    return 3, int(match.group(1))


def target_from_requires_python(spec: str) -> tuple[int, int] | None:
    """The oldest 3.x a `requires-python` specifier admits, e.g. '>=3.9,<4' -> (3, 9)."""
    lowest: tuple[int, int] | None = None
    for clause in spec.split(","):
        match = re.match(r"\s*(>=|~=|==|>)\s*3\.(\d{1,3})(?!\d)", clause)
        if not match:
            continue
        minor = int(match.group(2))  # `>3.9` still admits 3.9.1, so it counts as 3.9
        if lowest is None or minor > lowest[1]:
            lowest = (3, minor)
    return lowest


def _reach(selector: str, code: str) -> int:
    """How specifically `selector` names `code`: -1 not at all, then `ALL` < `AIO` < `AIO2` <
    an old code redirected to it (a renamed or split rule's, see `registry.Redirect`) < `AIO201`."""
    if selector == ALL:
        return 0
    if code.startswith(selector):
        return 2 * len(selector)
    if code in redirected(selector):
        return 2 * len(code) - 1
    return -1


def _matches(selector: str, code: str) -> bool:
    return _reach(selector, code) >= 0


def _names_fully(selector: str, code: str) -> bool:
    """Does `selector` name the rule itself, as an opt-in rule needs?  `ALL`, its code or an old
    code redirected to it."""
    return selector in (ALL, code) or code in redirected(selector)


@dataclass(frozen=True)
class Selection:
    """One source's rule selection.  `select` None: the source did not set it (keep what came before)."""

    select: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()

    def decides(self, rule: type[Rule]) -> bool | None:
        """This source's say on the rule: its most specific matching selector (ignore wins a tie),
        or None when none matches.  Opt-in rules are selected by `ALL` or their full code only."""
        code = rule.CODE
        chosen = max(
            (
                _reach(s, code)
                for s in (*(self.select or ()), *self.extend_select)
                if rule.DEFAULT or _names_fully(s, code)
            ),
            default=-1,
        )
        ignored = max((_reach(s, code) for s in self.ignore), default=-1)
        if chosen < 0 and ignored < 0:
            return None
        return chosen > ignored

    def selectors(self) -> tuple[tuple[str, tuple[str, ...]], ...]:
        return (("select", self.select or ()), ("extend-select", self.extend_select), ("ignore", self.ignore))


@dataclass(frozen=True)
class Settings:
    # The config file's selection; `select` None means "the rules that are on by default".
    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()
    later_selections: tuple[Selection, ...] = ()
    """Sources layered over the config file's selection, in order (the command line)."""
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    target_version: tuple[int, int] = DEFAULT_TARGET
    unsafe_fixes: bool = False
    extend_safe_fixes: tuple[str, ...] = ()
    blocking_calls: tuple[str, ...] = ()
    test_paths: tuple[str, ...] = DEFAULT_TEST_PATHS
    """Globs of test files (matched as per-file-ignores are); `()` runs every rule on tests too."""
    site_packages: tuple[str, ...] = ()
    """Directories of installed packages the type oracle reads (as data, never imported) before
    the running interpreter's `sys.path`: another virtualenv's `site-packages`, absolute."""
    exclude: tuple[str, ...] = DEFAULT_EXCLUDES
    extend_exclude: tuple[str, ...] = ()
    force_exclude: bool = False
    """Exclude files named on the command line too (for pre-commit, which names every file)."""
    root: str = field(default=".", compare=False)
    """Directory that per-file-ignores patterns are relative to (the config file's)."""
    config_file: str | None = field(default=None, compare=False)
    line_length: int | None = None
    """`[tool.asynclint] line-length`: the limit for the lines a fix writes, over the one read
    from the linted file's ruff, black or flake8 configuration (`line_length_near`)."""

    def with_overrides(self, **changes: Any) -> Settings:
        return replace(self, **{k: v for k, v in changes.items() if v is not None})

    def with_selection(
        self, select: Sequence[str] | None = None, extend_select: Sequence[str] = (), ignore: Sequence[str] = ()
    ) -> Settings:
        """These settings with one more source's selection on top (a later `select` replaces)."""
        layer = Selection(None if select is None else tuple(select), tuple(extend_select), tuple(ignore))
        if layer == Selection():
            return self
        return replace(self, later_selections=(*self.later_selections, layer))

    def selections(self) -> tuple[Selection, ...]:
        return (Selection(self.select, self.extend_select, self.ignore), *self.later_selections)

    def is_selected(self, rule: type[Rule], extra_ignores: Sequence[str] = ()) -> bool:
        """ruff's resolution: start from the default rules, then let each source have its say."""
        if any(_matches(p, rule.CODE) for p in extra_ignores):
            return False
        selected = rule.DEFAULT
        for selection in self.selections():
            decision = selection.decides(rule)
            if selection.select is not None:
                selected = bool(decision)
            elif decision is not None:
                selected = decision
        return selected

    def ignores_for(self, path: str | None) -> tuple[str, ...]:
        if not path or not (self.per_file_ignores or self.test_paths):
            return ()
        relative = _relative(os.path.abspath(path), self.root)
        name = os.path.basename(path)
        codes: list[str] = []
        for pattern, pattern_codes in self.per_file_ignores:
            if fnmatch.fnmatch(relative, pattern) or fnmatch.fnmatch(name, pattern):
                codes.extend(pattern_codes)
        if self.test_paths:
            globs = _any_glob(self.test_paths)
            if globs.match(relative) or globs.match(name):
                codes.extend(_not_in_tests())
        return tuple(codes)

    def is_excluded(self, path: str, base: str | None = None) -> bool:
        """Is this file (or directory) excluded?  The one answer, for walking and `--force-exclude`.

        `base` is the directory being walked, when there is one; otherwise the file is seen from
        the project root (`root`), or on its own when it lies outside the root.  See `excludes`.
        """
        absolute = os.path.abspath(path)
        from_root = parts_below(absolute, self.root)
        names = parts_below(absolute, base) if base is not None else None
        if names:
            anchor = parts_below(os.path.abspath(base), self.root) if base is not None else None
            return self.excludes(names, None if anchor is None else (*anchor, *names))
        if from_root is not None:  # the root itself is never excluded by its own name
            return self.excludes(from_root, from_root)
        return self.excludes((os.path.basename(absolute),), None)

    def excludes(self, names: Sequence[str], from_root: Sequence[str] | None) -> bool:
        """A name pattern matches any of `names` (the file's and those of the directories between
        the walked directory, or the project root, and it); a pattern with a `/` matches the path
        relative to the root (`from_root`) or a directory above it up to where `names` start.
        `from_root` is None for a file outside the root: only names apply.
        """
        if self.excludes_names(names):
            return True
        if from_root is None:
            return False
        first = len(from_root) - len(names) + 1
        return any(self.excludes_path("/".join(from_root[:end])) for end in range(max(first, 1), len(from_root) + 1))

    def excludes_names(self, names: Iterable[str]) -> bool:
        plain, name_globs, _ = _compile_excludes((*self.exclude, *self.extend_exclude))
        names = list(names)
        if any(name in plain for name in names):
            return True
        return name_globs is not None and any(name_globs.match(name) for name in names)

    def excludes_path(self, relative: str) -> bool:
        """Does a pattern with a `/` match `relative` (a path relative to the project root, `/`-separated)?"""
        path_globs = _compile_excludes((*self.exclude, *self.extend_exclude))[2]
        return path_globs is not None and path_globs.match(relative) is not None

    def rules_for(self, rules: Iterable[type[Rule]], path: str | None = None) -> list[type[Rule]]:
        extra = self.ignores_for(path)
        return [rule for rule in rules if self.is_selected(rule, extra)]

    def fix_allowed(self, code: str, safety_value: str) -> bool:
        if safety_value == "safe":
            return True
        if safety_value == "unsafe":
            return self.unsafe_fixes or any(_matches(p, code) for p in self.extend_safe_fixes)
        return False


@functools.lru_cache(maxsize=64)
def _any_glob(patterns: tuple[str, ...]) -> re.Pattern[str]:
    """One regex matching what any of the fnmatch `patterns` matches (none: matches nothing)."""
    return re.compile("|".join(f"(?:{fnmatch.translate(p)})" for p in patterns) or "(?!)")


@functools.lru_cache(maxsize=1)
def _not_in_tests() -> tuple[str, ...]:
    from asynclint.registry import all_rules

    return tuple(rule.CODE for rule in all_rules() if not rule.IN_TESTS)


@functools.lru_cache(maxsize=64)
def _compile_excludes(
    patterns: tuple[str, ...],
) -> tuple[frozenset[str], re.Pattern[str] | None, re.Pattern[str] | None]:
    """(plain names, one regex for name globs, one for path globs): a set lookup for the common case."""
    names: set[str] = set()
    name_globs: list[str] = []
    path_globs: list[str] = []
    for pattern in patterns:
        if "/" in pattern.rstrip("/"):
            path_globs.append(fnmatch.translate(pattern.strip("/")))
        elif any(c in pattern for c in "*?["):
            name_globs.append(fnmatch.translate(pattern.rstrip("/")))
        else:
            names.add(pattern.rstrip("/"))

    def join(globs: list[str]) -> re.Pattern[str] | None:
        return re.compile("|".join(f"(?:{g})" for g in globs)) if globs else None

    return frozenset(names), join(name_globs), join(path_globs)


def parts_below(path: str, start: str) -> tuple[str, ...] | None:
    """The components of absolute `path` below directory `start`; None when it is not below it."""
    relative = _relative(path, start)
    if relative == ".":
        return ()
    if relative == ".." or relative.startswith("../") or os.path.isabs(relative):
        return None
    return tuple(relative.split("/"))


def _relative(path: str, start: str) -> str:
    try:
        return Path(os.path.relpath(path, os.path.abspath(start))).as_posix()
    except ValueError:  # another drive on Windows
        return Path(path).as_posix()


_KEYS = {
    "select",
    "ignore",
    "extend-select",
    "extend-ignore",
    "per-file-ignores",
    "target-version",
    "unsafe-fixes",
    "extend-safe-fixes",
    "blocking-calls",
    "test-paths",
    "site-packages",
    "exclude",
    "extend-exclude",
    "force-exclude",
    "line-length",
}


def _kind(value: Any) -> str:
    return {dict: "a table", list: "an array", str: "a string", bool: "a boolean"}.get(
        type(value), type(value).__name__
    )


def _strings(value: Any, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where}: expected a list of strings, got {_kind(value)}")
    return tuple(value)


def _codes(value: Any, where: str) -> tuple[str, ...]:
    return tuple(v.strip().upper() for v in _strings(value, where))


def _table(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ConfigError(f"{where}: expected a table, got {_kind(value)}")
    return value


def validate_selectors(selectors: Iterable[str], known_codes: Iterable[str], where: str) -> None:
    known = list(known_codes)
    for selector in selectors:
        if not _CODE_PREFIX.match(selector) or not any(_matches(selector, code) for code in known):
            raise ConfigError(f"{where}: unknown rule selector {selector!r}")


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    # ValueError: TOMLDecodeError, and integers too long to convert; RecursionError: deep nesting.
    except (OSError, UnicodeDecodeError, ValueError, RecursionError, MemoryError) as error:
        raise ConfigError(f"{path}: cannot read: {type(error).__name__}: {error}") from None


def _tables(data: dict[str, Any], path: Path) -> tuple[dict[str, Any] | None, dict[str, Any]]:
    """(the [tool.asynclint] table or None when absent, the [project] table), checking their shapes."""
    tool = _table(data.get("tool", {}), f"{path}: [tool]")
    project = _table(data.get("project", {}), f"{path}: [project]")
    if "asynclint" not in tool:
        return None, project
    return _table(tool["asynclint"], f"{path}: [tool.asynclint]"), project


def find_config(start: Path) -> tuple[Path | None, dict[str, Any], dict[str, Any]]:
    """Nearest pyproject.toml with a [tool.asynclint] table, walking up from `start`.

    Returns (file, its [tool.asynclint] table, its [project] table).  When no file has the table,
    the nearest pyproject.toml still supplies `requires-python`.
    """
    start = start if start.is_dir() else start.parent
    fallback: tuple[Path | None, dict[str, Any], dict[str, Any]] = (None, {}, {})
    for directory in (start, *start.parents):
        candidate = directory / "pyproject.toml"
        if not candidate.is_file():
            continue
        tool, project = _tables(_read_toml(candidate), candidate)
        if tool is not None:
            return candidate, tool, project
        if fallback[0] is None:
            fallback = (candidate, {}, project)
    return fallback


def settings_from_table(table: dict[str, Any], project: dict[str, Any], path: Path | None) -> Settings:
    """Settings from a [tool.asynclint] table (any shape: a wrong one is a ConfigError)."""
    where = f"{path}: [tool.asynclint]" if path else "[tool.asynclint]"
    unknown = set(table) - _KEYS
    if unknown:
        raise ConfigError(f"{where}: unknown option(s) {', '.join(sorted(unknown))}")
    settings = Settings(root=str(path.parent) if path else ".", config_file=str(path) if path else None)
    changes: dict[str, Any] = {}
    for key in ("select", "extend-select", "extend-safe-fixes"):
        if key in table:
            changes[key.replace("-", "_")] = _codes(table[key], f"{where} {key}")
    # extend-ignore is ignore's other name, as in ruff: an ignore never undoes an earlier one.
    ignores = [_codes(table[key], f"{where} {key}") for key in ("ignore", "extend-ignore") if key in table]
    if ignores:
        changes["ignore"] = tuple(code for codes in ignores for code in codes)
    for key in ("blocking-calls", "test-paths", "exclude", "extend-exclude"):
        if key in table:
            changes[key.replace("-", "_")] = _strings(table[key], f"{where} {key}")
    if "line-length" in table:
        value = table["line-length"]
        if type(value) is not int or not 1 <= value <= 1000:
            raise ConfigError(f"{where} line-length: expected an integer from 1 to 1000, got {value!r}")
        changes["line_length"] = value
    if "site-packages" in table:
        base = path.parent if path else Path(".")
        changes["site_packages"] = tuple(
            str((base / entry).resolve()) for entry in _strings(table["site-packages"], f"{where} site-packages")
        )
    for key in ("unsafe-fixes", "force-exclude"):
        if key in table:
            if not isinstance(table[key], bool):
                raise ConfigError(f"{where} {key}: expected true or false, got {_kind(table[key])}")
            changes[key.replace("-", "_")] = table[key]
    if "per-file-ignores" in table:
        pfi = _table(table["per-file-ignores"], f"{where} per-file-ignores")
        changes["per_file_ignores"] = tuple(
            (glob, _codes(codes, f"{where} per-file-ignores {glob!r}")) for glob, codes in pfi.items()
        )
    if "target-version" in table:
        value = table["target-version"]
        if not isinstance(value, str):
            raise ConfigError(f"{where} target-version: expected a string like 'py311', got {_kind(value)}")
        changes["target_version"] = parse_target(value, f"{where} target-version")
    elif "requires-python" in project:
        spec = project["requires-python"]
        if not isinstance(spec, str):
            raise ConfigError(f"{path}: [project] requires-python: expected a string, got {_kind(spec)}")
        found = target_from_requires_python(spec)
        if found is not None:
            changes["target_version"] = found
    settings = replace(settings, **changes)
    check_selectors(settings, where)
    return settings


def check_selectors(settings: Settings, where: str) -> None:
    """Every selector names at least one rule (a typo must not silently select nothing)."""
    from asynclint.registry import codes

    known = codes()
    groups = [(name, selectors) for selection in settings.selections() for name, selectors in selection.selectors()]
    groups += [("extend-safe-fixes", settings.extend_safe_fixes)]
    groups += [(f"per-file-ignores {glob!r}", selectors) for glob, selectors in settings.per_file_ignores]
    for name, selectors in groups:
        validate_selectors(selectors, known, f"{where} {name}")


DEFAULT_LINE_LENGTH = 88  # ruff's and black's
FLAKE8_LINE_LENGTH = 79  # flake8's and pycodestyle's own default


def _toml_quietly(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError, RecursionError, MemoryError):
        return {}


def _length(value: Any) -> int | None:
    return value if type(value) is int and 1 <= value <= 1000 else None


def _ini_length(path: Path) -> int | None:
    """flake8's limit from an ini file's [flake8] section (its own default 79 when the section
    leaves it out and keeps E501), else the [pycodestyle]/[pep8] section's; None without either."""
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    try:
        parser.read_string(path.read_text(encoding="utf-8", errors="replace"))
    except (OSError, configparser.Error):
        return None
    for section in ("flake8", "pycodestyle", "pep8"):
        if not parser.has_section(section):
            continue
        for key in ("max-line-length", "max_line_length"):
            if parser.has_option(section, key):
                try:
                    return _length(int(parser.get(section, key).strip()))
                except ValueError:
                    return None
        ignored = " ".join(parser.get(section, key, fallback="") for key in ("ignore", "extend-ignore"))
        if section == "flake8" and not re.search(r"\bE(5|50|501)?\b", ignored):
            return FLAKE8_LINE_LENGTH
    return None


def _lengths_in(directory: Path) -> list[tuple[int, str]]:
    """The line lengths the tools configured in `directory` enforce (ruff and black default to 88)."""
    found: list[tuple[int, str]] = []
    for name in ("ruff.toml", ".ruff.toml"):
        path = directory / name
        if path.is_file():
            value = _length(_toml_quietly(path).get("line-length"))
            found.append((value or DEFAULT_LINE_LENGTH, name))
            break
    path = directory / "pyproject.toml"
    if path.is_file():
        tool = _toml_quietly(path).get("tool", {})
        tool = tool if isinstance(tool, dict) else {}
        for name in ("ruff", "black"):
            table = tool.get(name)
            if isinstance(table, dict) and not (name == "ruff" and found):
                value = _length(table.get("line-length"))
                found.append((value or DEFAULT_LINE_LENGTH, f"pyproject.toml [tool.{name}]"))
    for name in (".flake8", "setup.cfg", "tox.ini"):
        path = directory / name
        if path.is_file():
            value = _ini_length(path)
            if value is not None:
                found.append((value, name))
                break
    return found


@functools.lru_cache(maxsize=512)
def line_length_near(directory: str) -> tuple[int, str]:
    """(the line length, where it comes from) for files in `directory`: the nearest directory
    (walking up) whose ruff (`ruff.toml`, `.ruff.toml`, `[tool.ruff]`), black (`[tool.black]`) or
    flake8 (`.flake8`, `setup.cfg`, `tox.ini`) configuration is there gives it, the smallest of
    them when several are, so that every one of those tools stays satisfied; 88 when none is.
    The files are read as data, never run."""
    start = Path(directory)
    for candidate in (start, *start.parents):
        found = _lengths_in(candidate)
        if found:
            return min(found)
    return DEFAULT_LINE_LENGTH, "default"


def line_length_for(settings: Settings, path: str | None) -> int:
    """The limit for lines a fix writes in the file at `path` (`[tool.asynclint] line-length` wins)."""
    if settings.line_length is not None:
        return settings.line_length
    if path is None or path == "-":
        return line_length_near(os.getcwd())[0]
    return line_length_near(os.path.dirname(os.path.abspath(path)))[0]


def load_settings(start: Path, config_file: Path | None = None) -> Settings:
    """The settings for files under `start` (or from `config_file`): the one loader of every face."""
    if config_file is not None:
        table, project = _tables(_read_toml(config_file), config_file)
        return settings_from_table(table or {}, project, config_file)
    path, table, project = find_config(start.resolve())
    return settings_from_table(table, project, path)
