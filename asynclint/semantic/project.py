"""The other modules of a linted file's project: which of their names are coroutine functions.

The never-awaited rules (AIO4xx) must know whether `from .store import save` is an `async def`.
The answer comes from that module's file, read with CPython's `ast` (a C parser, far cheaper than a
libcst parse, and all that is needed: top-level `def`s, classes, their methods, imports).  The
scans live in a `ProjectIndex` that its caller owns (one per run in the CLI's workers and in
flake8, one per workspace in the language server, which forgets a file when it is saved or changes
on disk): each module is scanned at most once per index (again only when its size or mtime
changed), and only when a rule asks about one of its names.  Each linted file gets a
`ProjectView` of the index, which records every path it consulted (for the result cache).

Modules are found the way Python would find them from the linted file: its package root is the
first directory up from it without an `__init__.py`; `pkg.mod` is `<root>/pkg/mod.py` or
`<root>/pkg/mod/__init__.py`; relative imports count from the file's own package.  What is not
found there (the standard library, third-party packages) is unknown, and unknown means no report.
"""

from __future__ import annotations

import ast
import hashlib
import os
from dataclasses import dataclass, field

from asynclint.semantic.callees import KEEPING_DECORATORS

_MAX_HOPS = 8  # re-export chains followed (`pkg/__init__.py` importing from `.core`, ...)


@dataclass
class ClassInfo:
    methods: dict[str, bool | None] = field(default_factory=dict)
    """name -> True (coroutine function), False (plain function), None (unknown)."""
    bases: list[str] = field(default_factory=list)
    """Base classes as absolute dotted names, as far as the module's imports say."""


@dataclass
class ModuleInfo:
    name: str
    path: str
    functions: dict[str, bool | None] = field(default_factory=dict)
    classes: dict[str, ClassInfo] = field(default_factory=dict)
    imports: dict[str, str] = field(default_factory=dict)
    """Bound name -> absolute dotted target (`from .core import f` in pkg -> `pkg.core.f`)."""
    wrappers: set[str] = field(default_factory=set)
    """Decorators defined here whose returned wrapper is an `async def`."""


def _stat(path: str) -> tuple[int, int] | None:
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return stat.st_size, stat.st_mtime_ns


def locate(path: str) -> tuple[str, str, bool]:
    """(package root, dotted module name, is a package `__init__`) of a file."""
    path = os.path.abspath(path)
    directory, filename = os.path.split(path)
    stem = filename[:-3] if filename.endswith(".py") else filename
    is_package = stem == "__init__"
    parts = [] if is_package else [stem]
    while os.path.isfile(os.path.join(directory, "__init__.py")):
        directory, package = os.path.split(directory)
        parts.insert(0, package)
        if not package:
            break
    return directory, ".".join(parts), is_package


def _candidates(root: str, dotted: str) -> tuple[str, str]:
    base = os.path.join(root, *dotted.split("."))
    return base + ".py", os.path.join(base, "__init__.py")


def absolute(target: str, module: str, is_package: bool) -> str | None:
    """`..core.f` seen from module `pkg.sub.use` -> `pkg.core.f`; absolute names pass through."""
    if not target.startswith("."):
        return target
    level = len(target) - len(target.lstrip("."))
    package = module.split(".") if is_package else module.split(".")[:-1]
    if level - 1 > len(package):
        return None
    base = package[: len(package) - (level - 1)]
    rest = target[level:]
    return ".".join([*base, rest]) if rest else ".".join(base) or None


class _Scanner:
    def __init__(self, name: str, path: str, is_package: bool) -> None:
        self.info = ModuleInfo(name, path)
        self.is_package = is_package
        self.assigned: set[str] = set()

    def run(self, tree: ast.Module) -> ModuleInfo:
        info = self.info
        statements = list(_top_level(tree.body))
        for node in statements:  # imports first: decorators and bases are resolved through them
            if isinstance(node, ast.Import):
                for alias in node.names:
                    bound = alias.asname or alias.name.split(".")[0]
                    info.imports[bound] = alias.name if alias.asname else bound
            elif isinstance(node, ast.ImportFrom):
                source = "." * node.level + (node.module or "")
                for alias in node.names:
                    if alias.name == "*":
                        continue
                    target = absolute(
                        source + alias.name if source.endswith(".") or not source else f"{source}.{alias.name}",
                        info.name,
                        self.is_package,
                    )
                    if target is not None:
                        info.imports[alias.asname or alias.name] = target
            elif isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
                assigned = node.targets if isinstance(node, ast.Assign) else [node.target]
                for expression in assigned:
                    for leaf in ast.walk(expression):
                        if isinstance(leaf, ast.Name):
                            self.assigned.add(leaf.id)
        for node in statements:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and _returns_async_wrapper(node):
                info.wrappers.add(node.name)
        for node in statements:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                _merge(info.functions, node.name, self._kind(node))
            elif isinstance(node, ast.ClassDef):
                cls = ClassInfo(bases=[b for b in (self._qualified(base) for base in node.bases) if b])
                for item in _top_level(node.body):
                    if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
                        _merge(cls.methods, item.name, self._kind(item))
                info.classes[node.name] = cls
        for name in self.assigned:
            if name in info.functions:
                info.functions[name] = None
        return info

    def _kind(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> bool | None:
        is_async = isinstance(node, ast.AsyncFunctionDef)
        for decorator in node.decorator_list:
            expression = decorator.func if isinstance(decorator, ast.Call) else decorator
            qualified = self._qualified(expression)
            if qualified in KEEPING_DECORATORS:
                continue
            if isinstance(expression, ast.Name) and expression.id in self.info.wrappers:
                is_async = True
                continue
            return None
        return is_async

    def _qualified(self, node: ast.expr) -> str | None:
        parts: list[str] = []
        while isinstance(node, ast.Attribute):
            parts.insert(0, node.attr)
            node = node.value
        if not isinstance(node, ast.Name):
            return None
        head = self.info.imports.get(node.id)
        if head is None:
            import builtins

            head = f"builtins.{node.id}" if hasattr(builtins, node.id) else f"{self.info.name}.{node.id}"
        return ".".join([head, *parts])


def _top_level(body: list[ast.stmt]) -> list[ast.stmt]:
    """Statements of a body, looking into `if`/`try` blocks (version guards, optional imports)."""
    out: list[ast.stmt] = []
    todo = list(reversed(body))
    while todo:
        node = todo.pop()
        if isinstance(node, ast.If):
            todo.extend(reversed([*node.body, *node.orelse]))
        elif isinstance(node, ast.Try):
            todo.extend(
                reversed([*node.body, *[s for h in node.handlers for s in h.body], *node.orelse, *node.finalbody])
            )
        else:
            out.append(node)
    return out


def _merge(table: dict[str, bool | None], name: str, kind: bool | None) -> None:
    if name in table and table[name] != kind:
        table[name] = None
    else:
        table[name] = kind


def _returns_async_wrapper(node: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """`def deco(fn): async def wrapper(...): ...; return wrapper` (possibly via functools.wraps)."""
    inner = {s.name for s in node.body if isinstance(s, ast.AsyncFunctionDef)}
    returns = [s for s in node.body if isinstance(s, ast.Return)]
    return bool(inner) and bool(returns) and all(isinstance(r.value, ast.Name) and r.value.id in inner for r in returns)


class ProjectIndex:
    """The scans of a project's modules, shared by every file linted with it; owned by its caller.

    Answers are cached: a module's facts until its size or mtime changes, where a module lives
    (or that it does not exist) until `forget` or `clear` says the tree changed.
    """

    def __init__(self) -> None:
        self._scanned: dict[str, tuple[tuple[int, int] | None, ModuleInfo | None, str | None]] = {}
        """path -> (its stat when scanned, its facts, the SHA-256 of the bytes scanned)."""
        self._found: dict[tuple[str, str], str | None] = {}

    def view(self, path: str | None) -> ProjectView | None:
        """What one linted file sees of its project (None for stdin or no path)."""
        if not path or path == "-":
            return None
        return ProjectView(self, os.path.abspath(path))

    def forget(self, path: str) -> None:
        """A file was created, changed or deleted: drop what was learned from (or about) it."""
        self._scanned.pop(os.path.abspath(path), None)
        self._found.clear()  # "not found" answers and package directories may change with it

    def clear(self) -> None:
        self._scanned.clear()
        self._found.clear()

    def find_module(self, root: str, dotted: str, consulted: dict[str, str | None]) -> str | None:
        """The file of module `dotted` under `root`, or None.

        Every candidate path is recorded as consulted, found or not: a module created later changes
        the answer, so cached results must notice it."""
        key = (root, dotted)
        candidates = _candidates(root, dotted)
        for candidate in candidates:
            consulted.setdefault(candidate, None)
        if key not in self._found:
            self._found[key] = next((c for c in candidates if os.path.isfile(c)), None)
        return self._found[key]

    def in_project(self, root: str, top: str, consulted: dict[str, str | None]) -> bool:
        """Is `top` a module or package directly under the project root? (cached: a hot question)"""
        key = (root, "/" + top)
        if key not in self._found:
            self._found[key] = top if os.path.isdir(os.path.join(root, top)) else None
        return self._found[key] is not None or self.find_module(root, top, consulted) is not None

    def scan(self, path: str, name: str, consulted: dict[str, str | None]) -> ModuleInfo | None:
        """The module's top-level facts, from the cache when the file did not change."""
        stat = _stat(path)
        cached = self._scanned.get(path)
        if cached is not None and cached[0] == stat:
            consulted[path] = cached[2]
            return cached[1]
        info = None
        digest = None
        if stat is not None:
            tree, digest = self._read(path)
            if tree is not None:
                info = _Scanner(name, path, os.path.basename(path) == "__init__.py").run(tree)
        self._scanned[path] = (stat, info, digest)
        consulted[path] = digest
        return info

    @staticmethod
    def _read(path: str) -> tuple[ast.Module | None, str | None]:
        """The module's syntax tree (None when it cannot be read or parsed) and its bytes' hash."""
        try:
            with open(path, "rb") as handle:
                data = handle.read()
        except OSError:
            return None, None
        digest = hashlib.sha256(data).hexdigest()
        try:
            return ast.parse(data, path), digest
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            return None, digest


class ProjectView:
    """Answers for one linted file: what its imports name in other modules of its project."""

    def __init__(self, index: ProjectIndex, path: str) -> None:
        self.index = index
        self.root, self.module, self.is_package = locate(path)
        self.consulted: dict[str, str | None] = {}
        """Every other path looked at: path -> the SHA-256 of the bytes scanned (None for a path
        only looked for, or one that could not be read). The result cache's dependency list."""

    def dependencies(self, own: str) -> list[tuple[str, str | None]]:
        own = os.path.abspath(own)
        return sorted((p, digest) for p, digest in self.consulted.items() if p != own)

    def absolute(self, qualified: str) -> str | None:
        return absolute(qualified, self.module, self.is_package)

    def function(self, qualified: str) -> bool | None:
        """True/False when `qualified` (absolute) names a coroutine/plain function of the project."""
        found = self._resolve(qualified)
        if found is None:
            return None
        info, rest = found
        if len(rest) == 1:
            return info.functions.get(rest[0])
        if len(rest) == 2 and rest[0] in info.classes:
            return info.classes[rest[0]].methods.get(rest[1])
        return None

    def klass(self, qualified: str) -> ClassInfo | None:
        found = self._resolve(qualified)
        if found is None or len(found[1]) != 1:
            return None
        return found[0].classes.get(found[1][0])

    def is_async_wrapper(self, qualified: str) -> bool:
        found = self._resolve(qualified)
        return found is not None and len(found[1]) == 1 and found[1][0] in found[0].wrappers

    def _resolve(self, qualified: str, hops: int = 0) -> tuple[ModuleInfo, list[str]] | None:
        """The project module that defines `qualified`, and the attribute path inside it."""
        parts = qualified.split(".")
        if hops > _MAX_HOPS or len(parts) < 2 or not parts[0]:
            return None
        index, consulted = self.index, self.consulted
        if not index.in_project(self.root, parts[0], consulted):
            return None  # not this project's (stdlib, third party): no scan
        for cut in range(len(parts) - 1, 0, -1):
            dotted = ".".join(parts[:cut])
            path = index.find_module(self.root, dotted, consulted)
            if path is None:
                continue
            info = index.scan(path, dotted, consulted)
            if info is None:
                return None
            rest = parts[cut:]
            head = rest[0]
            if head in info.functions or head in info.classes or head in info.wrappers:
                return info, rest
            if head in info.imports:  # a re-export: follow it
                return self._resolve(".".join([info.imports[head], *rest[1:]]), hops + 1)
            return None
        return None
