"""Which files a run looks at: directories walked for `*.py` and `*.pyi` (stubs: a migration that
turns `@asyncio.coroutine` functions into `async def` changes the stub that declares them too),
without running anything the tree names.

Discovery never runs git or any other program: git runs whatever `core.fsmonitor` a tree's
`.git/config` names, so asking git would let a tarball or a shared folder run commands as whoever
lints it.  git's ignore rules are implemented here instead, from files that are only read:
`.gitignore` at every level, `.git/info/exclude` and the user's global excludes file.  Like ruff,
the rules are patterns only: a tracked file that matches an ignore pattern is skipped too.

What a walk never does:
- open anything but a regular file (a FIFO named `x.py` or `.gitignore` would block forever);
- enter a directory that is excluded, ignored or a virtualenv (a `pyvenv.cfg` beside it);
- collect a file, or enter a directory, through a symlink whose target lies outside the paths
  given, unless `follow_symlinks` (so `fix` never writes outside them, as black promises);
- collect a file twice under two names (files are deduplicated by their real path).
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from asynclint.config import Settings, parts_below
from asynclint.source import read_file

PYTHON_SUFFIXES = (".py", ".pyi")
"""What a walk collects: modules and their stubs."""


@dataclass
class Discovery:
    """What `collect_files` found: files to check, errors for paths named, and symlinks skipped."""

    files: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    """`PATH: reason` for a path named that is missing or not a regular file (exit 2)."""
    skipped: list[str] = field(default_factory=list)
    """`LINK: reason` for each symlink not followed because its target is outside the paths given."""


def read_regular(path: str, *, follow_symlinks: bool = True) -> bytes | None:
    """The bytes of `path` when it is a regular file, else None (missing, unreadable, FIFO, device...)."""
    try:
        return read_file(path, follow_symlinks=follow_symlinks)[0]
    except (OSError, ValueError):
        return None


# ------------------------------------------------------------------------------ git's patterns
_CLASSES = {
    "alnum": "a-zA-Z0-9",
    "alpha": "a-zA-Z",
    "blank": " \\t",
    "cntrl": "\\x00-\\x1f\\x7f",
    "digit": "0-9",
    "graph": "\\x21-\\x7e",
    "lower": "a-z",
    "print": "\\x20-\\x7e",
    "punct": re.escape("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"),
    "space": " \\t\\n\\r\\f\\v",
    "upper": "A-Z",
    "xdigit": "0-9A-Fa-f",
}


class _NoMatch(Exception):
    """git's wildmatch aborts on this pattern (an unterminated `[`, a trailing `\\`): it matches nothing."""


def _bracket(pattern: str, i: int) -> tuple[str, int]:
    """Translate the `[...]` starting at pattern[i]; returns (regex, index after it). As git's wildmatch."""
    i += 1
    negated = i < len(pattern) and pattern[i] in "!^"
    if negated:
        i += 1
    items: list[str] = []
    previous = ""  # the last single character, which a `-` can start a range from
    first = True
    while True:
        if i >= len(pattern):
            raise _NoMatch
        c = pattern[i]
        if c == "]" and not first:
            i += 1
            break
        first = False
        if c == "\\":
            i += 1
            if i >= len(pattern):
                raise _NoMatch
            previous = pattern[i]
            items.append(re.escape(previous))
        elif c == "-" and previous and i + 1 < len(pattern) and pattern[i + 1] != "]":
            i += 1
            end = pattern[i]
            if end == "\\":
                i += 1
                if i >= len(pattern):
                    raise _NoMatch
                end = pattern[i]
            if previous <= end:  # a reversed range matches nothing in git
                items.append(f"{re.escape(previous)}-{re.escape(end)}")
            previous = ""
        elif c == "[" and pattern.startswith(":", i + 1):
            close = pattern.find("]", i + 2)
            if close < 0:
                raise _NoMatch
            if close - 1 < i + 2 or pattern[close - 1] != ":":  # no `:]`: a literal `[`
                previous = "["
                items.append(re.escape("["))
            else:
                name = pattern[i + 2 : close - 1]
                if name not in _CLASSES:
                    raise _NoMatch
                items.append(_CLASSES[name])
                previous = ""
                i = close
        else:
            previous = c
            items.append(re.escape(c))
        i += 1
    body = "".join(items)
    # With git's WM_PATHNAME a bracket never matches `/`, negated or not.
    if negated:
        return f"[^/{body}]", i
    return (f"(?!/)[{body}]" if body else "(?!)"), i


def _translate(pattern: str, *, name_only: bool) -> str:
    """One gitignore pattern (negation, trailing `/` and leading `/` already removed) as a regex."""
    out: list[str] = []
    n = len(pattern)
    # git compares the literal prefix (up to the first wildcard) on its own and hands the rest to
    # wildmatch, so a `**` right after that prefix counts as at the start of the pattern.
    literal = next((k for k, c in enumerate(pattern) if c in "*?[\\"), n)
    i = 0
    while i < n:
        c = pattern[i]
        if c == "*":
            j = i
            while j < n and pattern[j] == "*":
                j += 1
            starts = i == 0 or i == literal or pattern[i - 1] == "/"
            if (
                not name_only
                and j - i >= 2
                and starts
                and (j == n or pattern[j] == "/" or pattern.startswith("\\/", j))
            ):
                if j == n:
                    out.append(".*")  # `dir/**`: everything inside
                elif pattern[j] == "/":
                    out.append("(?:.*/)?")  # `**/`: zero or more directories
                    j += 1
                else:
                    out.append(".*")
            else:
                out.append("[^/]*")
            i = j
        elif c == "?":
            out.append("[^/]")
            i += 1
        elif c == "[":
            regex, i = _bracket(pattern, i)
            out.append(regex)
        elif c == "\\":
            if i + 1 >= n:
                raise _NoMatch
            out.append(re.escape(pattern[i + 1]))
            i += 2
        else:
            out.append(re.escape(c))
            i += 1
    return "".join(out)


def _trim_trailing_spaces(line: str) -> str:
    """git's rule: trailing spaces go unless the first of them is escaped with a backslash."""
    last_space = -1
    i = 0
    while i < len(line):
        c = line[i]
        if c == " ":
            if last_space < 0:
                last_space = i
        elif c == "\\":
            i += 1
            if i >= len(line):
                return line
            last_space = -1
        else:
            last_space = -1
        i += 1
    return line[:last_space] if last_space >= 0 else line


@dataclass(frozen=True)
class Patterns:
    """One ignore file, compiled to one regex per kind of entry; the last matching line decides."""

    files: re.Pattern[str] | None
    dirs: re.Pattern[str] | None
    files_negated: tuple[bool, ...]
    dirs_negated: tuple[bool, ...]

    @classmethod
    def parse(cls, text: str) -> Patterns:
        file_rules: list[tuple[str, bool]] = []
        dir_rules: list[tuple[str, bool]] = []
        for raw in text.removeprefix("\ufeff").split("\n"):
            line = raw.removesuffix("\r")
            if not line or line.startswith("#"):
                continue
            line = _trim_trailing_spaces(line)
            negated = line.startswith("!")
            if negated:
                line = line[1:]
            directory_only = line.endswith("/")
            if directory_only:
                line = line[:-1]
            if not line:
                continue
            # A slash at the start or in the middle anchors the pattern to the file's directory;
            # otherwise it matches a name at any depth.
            name_only = "/" not in line
            try:
                regex = _translate(line.removeprefix("/"), name_only=name_only)
            except _NoMatch:
                continue
            if name_only:
                regex = f"(?:.*/)?{regex}"
            dir_rules.append((regex, negated))
            if not directory_only:
                file_rules.append((regex, negated))

        def compile_(rules: list[tuple[str, bool]]) -> tuple[re.Pattern[str] | None, tuple[bool, ...]]:
            if not rules:
                return None, ()
            rules = rules[::-1]  # the first alternative to match is then the last line that matches
            regex = re.compile("|".join(f"({r})" for r, _ in rules), re.DOTALL)
            return regex, tuple(negated for _, negated in rules)

        files, files_negated = compile_(file_rules)
        dirs, dirs_negated = compile_(dir_rules)
        return cls(files, dirs, files_negated, dirs_negated)

    def verdict(self, relative: str, is_dir: bool) -> bool | None:
        """True: ignored; False: re-included by a `!` line; None: no line matches `relative`."""
        regex, negated = (self.dirs, self.dirs_negated) if is_dir else (self.files, self.files_negated)
        match = regex.fullmatch(relative) if regex is not None else None
        if match is None or match.lastindex is None:
            return None
        return not negated[match.lastindex - 1]


_EMPTY = Patterns(None, None, (), ())


def _patterns_in(path: str, *, follow_symlinks: bool) -> Patterns | None:
    data = read_regular(path, follow_symlinks=follow_symlinks)
    if data is None:
        return None
    patterns = Patterns.parse(data.decode("utf-8", "surrogateescape"))
    return None if patterns == _EMPTY else patterns


# ------------------------------------------------------------------------------ git's files
def _config_value(text: str) -> str:
    """A git config value: quotes removed, escapes applied, a `#`/`;` comment cut."""
    out: list[str] = []
    quoted = False
    i = 0
    text = text.strip()
    while i < len(text):
        c = text[i]
        if c == '"':
            quoted = not quoted
        elif c == "\\" and i + 1 < len(text):
            i += 1
            out.append({"n": "\n", "t": "\t", "b": "\b"}.get(text[i], text[i]))
        elif c in "#;" and not quoted:
            break
        else:
            out.append(c)
        i += 1
    return "".join(out).strip()


def _excludes_file_setting(text: str) -> str | None:
    """`core.excludesFile` in one git config file, read as text (includes are not followed)."""
    value: str | None = None
    section = ""
    for raw in text.splitlines():
        line = raw.strip()
        if line.startswith("["):
            end = line.find("]")
            if end < 0:
                continue
            section = line[1:end].strip().lower()
            line = line[end + 1 :].strip()
        if section != "core" or not line or line.startswith(("#", ";")):
            continue
        key, sep, rest = line.partition("=")
        if sep and key.strip().lower() == "excludesfile":
            value = _config_value(rest)
    return value


def _global_excludes(home: str, xdg: str) -> Patterns | None:
    config_home = xdg or os.path.join(home, ".config")
    setting: str | None = None
    # git reads the XDG file, then ~/.gitconfig: the later one wins.
    for config in (os.path.join(config_home, "git", "config"), os.path.join(home, ".gitconfig")):
        data = read_regular(config)
        if data is not None:
            setting = _excludes_file_setting(data.decode("utf-8", "surrogateescape")) or setting
    if setting is None:
        path = os.path.join(config_home, "git", "ignore")
    elif setting.startswith("~"):
        path = (
            home + setting[1:]
            if setting.startswith(("~/", "~" + os.sep)) or setting == "~"
            else os.path.expanduser(setting)
        )
    else:
        path = setting
    return _patterns_in(path, follow_symlinks=True)


def _git_dir(directory: str) -> str | None:
    """The git directory of a work tree whose top is `directory`, or None if it is not one."""
    dot_git = os.path.join(directory, ".git")
    try:
        info = os.lstat(dot_git)
    except OSError:
        return None
    if stat.S_ISDIR(info.st_mode):
        return dot_git
    data = read_regular(dot_git, follow_symlinks=False) if stat.S_ISREG(info.st_mode) else None
    if data is None or not data.startswith(b"gitdir:"):
        return None
    target = data[len(b"gitdir:") :].decode("utf-8", "surrogateescape").strip()
    return os.path.join(directory, target)


def _work_tree(directory: str) -> tuple[str, str] | None:
    """(top, git directory) of the work tree holding the real path `directory`: `.git` looked for upward."""
    while True:
        git_dir = _git_dir(directory)
        if git_dir is not None:
            return directory, git_dir
        parent = os.path.dirname(directory)
        if parent == directory:
            return None
        directory = parent


def _repository_patterns(git_dir: str, global_excludes: Patterns | None) -> tuple[Patterns, ...]:
    """The repository-wide lists, lowest precedence first: the global excludes, then info/exclude."""
    common = git_dir
    pointer = read_regular(os.path.join(git_dir, "commondir"))  # a linked worktree shares info/
    if pointer is not None:
        common = os.path.join(git_dir, pointer.decode("utf-8", "surrogateescape").strip())
    info = _patterns_in(os.path.join(common, "info", "exclude"), follow_symlinks=True)
    return tuple(p for p in (global_excludes, info) if p is not None)


# ------------------------------------------------------------------------------ the walk
_Levels = tuple[tuple[str, Patterns], ...]
"""Ignore lists in force, lowest precedence first: (their directory relative to the ignore root, patterns)."""


def _ignored(levels: _Levels, relative: str, is_dir: bool) -> bool:
    # The deepest list with a matching line decides, as in git.
    for directory, patterns in reversed(levels):
        verdict = patterns.verdict(relative[len(directory) + 1 :] if directory else relative, is_dir)
        if verdict is not None:
            return verdict
    return False


@dataclass(frozen=True)
class _Place:
    """A directory being walked, and what is in force there."""

    path: str  # as it will be printed: `pkg/sub`, or `/abs/pkg/sub` when the user gave an absolute path
    real: str  # its real path, which the real paths of the files in it extend
    levels: _Levels
    relative: str  # from the ignore root (its work tree's top, else the directory walked)
    names: tuple[str, ...]  # from the directory walked
    from_root: tuple[str, ...] | None  # from the project root, None outside it
    ancestors: frozenset[str]  # real paths of the directories above, so a symlink loop ends

    def child(self, name: str, levels: _Levels, real: str | None = None) -> _Place:
        path = name if self.path in (".", "./") else os.path.join(self.path, name)
        return _Place(
            path,
            real or os.path.join(self.real, name),
            levels,
            f"{self.relative}/{name}" if self.relative else name,
            (*self.names, name),
            (*self.from_root, name) if self.from_root is not None else None,
            self.ancestors | {self.real},
        )


class _Walker:
    def __init__(self, settings: Settings, roots: Sequence[str], follow_symlinks: bool) -> None:
        self.settings = settings
        self.roots = roots  # real locations of the paths given
        self.follow_symlinks = follow_symlinks
        self.global_excludes = _global_excludes(os.path.expanduser("~"), os.environ.get("XDG_CONFIG_HOME", ""))
        self.gitignores: dict[str, Patterns | None] = {}
        self.skipped: list[str] = []

    def inside_given(self, real: str) -> bool:
        return any(real == root or real.startswith(root.rstrip(os.sep) + os.sep) for root in self.roots)

    def gitignore(self, real_directory: str) -> Patterns | None:
        # git does not follow a symlinked .gitignore in the work tree; neither do we.
        if real_directory not in self.gitignores:
            path = os.path.join(real_directory, ".gitignore")
            self.gitignores[real_directory] = _patterns_in(path, follow_symlinks=False)
        return self.gitignores[real_directory]

    def levels_down_to(self, top: str, git_dir: str, parts: Sequence[str]) -> _Levels | None:
        """The ignore lists in force in directory `top/parts...` of a work tree, or None when that
        directory or one above it is ignored (the lists of `top/parts...` itself not included)."""
        levels: _Levels = tuple(("", p) for p in _repository_patterns(git_dir, self.global_excludes))
        for depth in range(len(parts)):
            own = self.gitignore(os.path.join(top, *parts[:depth]))
            if own is not None:
                levels = (*levels, ("/".join(parts[:depth]), own))
            if _ignored(levels, "/".join(parts[: depth + 1]), True):
                return None
        return levels

    def walk(self, top: str) -> list[tuple[str, str]]:
        """(path, real path) of the Python files below directory `top`, sorted by path."""
        real = os.path.realpath(top)
        levels: _Levels = ()
        relative = ""
        tree = _work_tree(real)
        if tree is not None:
            parts = parts_below(real, tree[0]) or ()
            found_levels = self.levels_down_to(tree[0], tree[1], parts)
            # A directory named that git ignores is walked as if outside a work tree: only the
            # .gitignore files inside it apply (a checkout or an sdist inside an ignored folder).
            if found_levels is not None:
                levels, relative = found_levels, "/".join(parts)
        from_root = parts_below(os.path.abspath(top), self.settings.root)
        found: list[tuple[str, str]] = []
        self.visit(_Place(top, real, levels, relative, (), from_root, frozenset()), found, is_top=True)
        return sorted(found)

    def visit(self, place: _Place, found: list[tuple[str, str]], *, is_top: bool = False) -> None:
        try:
            with os.scandir(place.path) as scan:
                entries = sorted(scan, key=lambda e: e.name)
        except OSError:
            return
        present = {e.name: e for e in entries}
        levels = place.levels
        if not is_top:
            venv = present.get("pyvenv.cfg")
            if venv is not None and venv.is_file():
                return  # a virtualenv
            git_dir = _git_dir(place.path) if ".git" in present else None
            if git_dir is not None:
                # A nested repository has its own rules, as git applies them there.
                levels = tuple(("", p) for p in _repository_patterns(git_dir, self.global_excludes))
                place = _Place(place.path, place.real, levels, "", place.names, place.from_root, place.ancestors)
        own = self.gitignore(place.real) if ".gitignore" in present else None
        if own is not None:
            levels = (*levels, (place.relative, own))
        prefix = f"{place.relative}/" if place.relative else ""
        for entry in entries:
            name = entry.name
            try:
                link = entry.is_symlink()
                is_dir = not link and entry.is_dir(follow_symlinks=False)
                is_file = not link and not is_dir and entry.is_file(follow_symlinks=False)
            except OSError:
                continue
            if name == ".git" or not (link or is_dir or (is_file and name.endswith(PYTHON_SUFFIXES))):
                continue  # FIFOs, sockets, devices, and files that are not Python
            from_root = (*place.from_root, name) if place.from_root is not None else None
            if self.settings.excludes((*place.names, name), from_root):
                continue
            # git sees a symlink as a file, so a directory-only pattern never matches one.
            if levels and _ignored(levels, prefix + name, is_dir):
                continue
            if is_file:
                found.append(
                    (
                        name if place.path in (".", "./") else os.path.join(place.path, name),
                        os.path.join(place.real, name),
                    )
                )
            elif is_dir:
                self.visit(place.child(name, levels), found)
            else:
                self.link(place, name, levels, found)

    def link(self, place: _Place, name: str, levels: _Levels, found: list[tuple[str, str]]) -> None:
        path = name if place.path in (".", "./") else os.path.join(place.path, name)
        try:
            info = os.stat(path)
        except OSError:
            return  # a dangling link
        real = os.path.realpath(path)
        inside = self.inside_given(real)
        if stat.S_ISREG(info.st_mode) and name.endswith(PYTHON_SUFFIXES):
            if inside or self.follow_symlinks:
                found.append((path, real))
            else:
                self.skipped.append(f"{path}: symlink to a file outside the paths given")
        elif stat.S_ISDIR(info.st_mode):
            if inside:
                return  # walked where it really is, under its own excludes and ignore rules
            if not self.follow_symlinks:
                self.skipped.append(f"{path}: symlink to a directory outside the paths given")
            elif real not in place.ancestors and real != place.real:  # a link back up would never end
                self.visit(place.child(name, levels, real), found)


def _location(path: str) -> str:
    """Where a named path really is, without following the path itself if it is a symlink."""
    head, name = os.path.split(os.path.abspath(path))
    return os.path.join(os.path.realpath(head), name)


def collect_files(
    paths: Iterable[str], settings: Settings | None = None, *, follow_symlinks: bool = False
) -> Discovery:
    """The Python files under `paths`, in a stable sorted order per path given, each file once.

    Files named explicitly are checked even when excluded, unless `settings.force_exclude`.
    """
    if settings is None:
        settings = Settings()
    result = Discovery()
    given: list[tuple[str, bool]] = []  # (path, is it a directory)
    for raw in paths:
        if settings.force_exclude and settings.is_excluded(raw):
            continue
        try:
            mode = os.stat(raw).st_mode
        except FileNotFoundError:
            result.errors.append(f"{raw}: No such file or directory")
            continue
        except (OSError, ValueError) as error:
            result.errors.append(f"{raw}: {getattr(error, 'strerror', None) or error}")
            continue
        if not (stat.S_ISDIR(mode) or stat.S_ISREG(mode)):
            result.errors.append(f"{raw}: not a regular file")
            continue
        given.append((raw, stat.S_ISDIR(mode)))
    walker = _Walker(
        settings, [os.path.realpath(raw) if is_dir else _location(raw) for raw, is_dir in given], follow_symlinks
    )
    seen: set[str] = set()
    for raw, is_dir in given:
        if is_dir:
            candidates = walker.walk(raw)
        else:
            real = os.path.realpath(raw)
            if real != _location(raw) and not follow_symlinks and not walker.inside_given(real):
                walker.skipped.append(f"{raw}: symlink to a file outside the paths given")
                continue
            candidates = [(raw, real)]
        for path, real in candidates:
            if real not in seen:
                seen.add(real)
                result.files.append(path)
    result.skipped = list(dict.fromkeys(walker.skipped))
    return result


def is_ignored(path: str) -> bool:
    """Do git's ignore rules exclude `path` (or a directory above it, up to its work tree's top)?

    Outside a work tree nothing says so: False.  Reads files only, like the walk.
    """
    directory = os.path.realpath(os.path.dirname(os.path.abspath(path)))
    tree = _work_tree(directory)
    if tree is None:
        return False
    top, git_dir = tree
    walker = _Walker(Settings(), (), False)
    parts = parts_below(directory, top) or ()
    levels = walker.levels_down_to(top, git_dir, parts)
    if levels is None:
        return True
    own = walker.gitignore(directory)
    if own is not None:
        levels = (*levels, ("/".join(parts), own))
    entry = os.path.join(directory, os.path.basename(path))
    return _ignored(
        levels, "/".join((*parts, os.path.basename(path))), os.path.isdir(entry) and not os.path.islink(entry)
    )
