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
import sys
import sysconfig
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field

from asynclint.asyncio_api import (
    COROUTINE_METHODS,
    RETURN_TYPES,
    THIRD_PARTY_COROUTINE_METHODS,
    THIRD_PARTY_ENTERED_TYPES,
    THIRD_PARTY_RETURN_TYPES,
)
from asynclint.semantic.callees import CAST_FUNCTIONS, COROUTINE_TYPES, KEEPING_DECORATORS

_MAX_HOPS = 8  # re-export chains followed (`pkg/__init__.py` importing from `.core`, ...)


@dataclass
class ClassInfo:
    methods: dict[str, bool | None] = field(default_factory=dict)
    """name -> True (coroutine function), False (plain function), None (unknown)."""
    bases: list[str] = field(default_factory=list)
    """Base classes as absolute dotted names, as far as the module's imports say."""
    attributes: dict[str, str | None] = field(default_factory=dict)
    """Attribute -> its type (a type expression, see `_Scanner`), None when unknown: declared by
    annotations (class level or `self.x: T`), else what every `self.x = ...` of the class agrees on;
    properties give their return annotation."""
    returns: dict[str, str | None] = field(default_factory=dict)
    """Method -> the type its return annotation names (`Self` and `return self`: the class)."""
    dynamic: bool = False
    """Defines `__getattr__`: a name not found may still be there."""


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
    factories: set[str] = field(default_factory=set)
    """Decorator factories defined here (`@retry(times=3)`) whose decorator returns an `async def`."""
    returns: dict[str, str | None] = field(default_factory=dict)
    """Function -> the type its return annotation names."""
    instances: dict[str, str | None] = field(default_factory=dict)
    """Module-level variable -> its type (its annotation, or what its assignments agree on)."""
    external: bool = False
    """Read from an installed package (not the project): only its coroutine functions are trusted."""
    ambiguous: set[str] = field(default_factory=set)
    """Names bound by two different imports (`try: from a import X` / `except ImportError: from b
    import X`) or by an import and a `def`/`class`: which one runs is not known."""
    modules: set[str] = field(default_factory=set)
    """Absolute dotted names that the module's top-level imports may load (`from a.b import c`:
    `a`, `a.b` and `a.b.c`, which may be a submodule): which other modules' code runs with it."""


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


_OPTIONAL = frozenset({"typing.Optional", "typing_extensions.Optional"})
_UNION = frozenset({"typing.Union", "typing_extensions.Union"})
_TRANSPARENT = frozenset(
    {"typing.ClassVar", "typing.Final", "typing.Annotated", "typing_extensions.Annotated", "typing_extensions.Final"}
)
_SELF = frozenset({"typing.Self", "typing_extensions.Self"})
_PROPERTIES = frozenset({"builtins.property", "functools.cached_property"})
_NONE = "None"
"""The type expression of `None` (dropped from unions: an attribute set to None first is Optional)."""


class _Scanner:
    """The cheap scan of one module.

    Types are recorded as *type expressions*, resolved lazily by `ProjectView.resolve_type`:
    `pkg.mod.Store` (the class, or whatever that dotted name is), `pkg.mod.make()` (what calling it
    gives: the class for a class, the return annotation for a plain function) and `pkg.mod.open()@`
    (what awaiting its call gives: the return annotation of a coroutine function)."""

    def __init__(self, name: str, path: str, is_package: bool) -> None:
        self.info = ModuleInfo(name, path)
        self.is_package = is_package
        self.assigned: set[str] = set()
        self.coroutine_aliases: set[str] = set()

    def run(self, tree: ast.Module) -> ModuleInfo:
        info = self.info
        statements = list(_top_level(tree.body))
        values: dict[str, list[str | None]] = {}
        declared: dict[str, list[str | None]] = {}
        for node in statements:  # imports first: decorators and bases are resolved through them
            if isinstance(node, ast.Import):
                for alias in node.names:
                    bound = alias.asname or alias.name.split(".")[0]
                    self._import(bound, alias.name if alias.asname else bound)
                    _add_packages(info.modules, alias.name)
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
                        self._import(alias.asname or alias.name, target)
                        _add_packages(info.modules, target)
            elif isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
                assigned = node.targets if isinstance(node, ast.Assign) else [node.target]
                for expression in assigned:
                    for leaf in ast.walk(expression):
                        if isinstance(leaf, ast.Name):
                            self.assigned.add(leaf.id)
        for node in statements:
            if isinstance(node, (ast.Assign, ast.AnnAssign)):
                self._record(node, values, declared, {})
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                if len(targets) == 1 and isinstance(targets[0], ast.Name) and self._is_coroutine_type(node.value):
                    self.coroutine_aliases.add(targets[0].id)
        for node in statements:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                if _returns_async_wrapper(node):
                    info.wrappers.add(node.name)
                elif _returns_async_wrapper_factory(node):
                    info.factories.add(node.name)
        for node in statements:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                _merge(info.functions, node.name, self._kind(node))
                _merge_type(info.returns, node.name, self._annotation(node.returns))
            elif isinstance(node, ast.ClassDef):
                info.classes[node.name] = self._class(node)
        for name in self.assigned:
            if name in info.functions:
                info.functions[name] = None
        info.ambiguous.update(n for n in [*info.functions, *info.classes] if n in info.imports)
        for name in info.ambiguous:
            info.imports.pop(name, None)
            info.functions.pop(name, None)
            info.classes.pop(name, None)
        for name in set(values) | set(declared):
            if name not in info.functions and name not in info.classes:
                info.instances[name] = _agreed(declared.get(name), values.get(name, []))
        return info

    def _import(self, bound: str, target: str) -> None:
        imports = self.info.imports
        previous = imports.get(bound, target)
        typing_twins = {previous.rpartition(".")[0], target.rpartition(".")[0]} <= {"typing", "typing_extensions"}
        if previous != target and not (typing_twins and previous.rpartition(".")[2] == target.rpartition(".")[2]):
            self.info.ambiguous.add(bound)
        imports[bound] = target

    def _class(self, node: ast.ClassDef) -> ClassInfo:
        cls = ClassInfo(bases=[b for b in (self._qualified(base) for base in node.bases) if b])
        own = f"{self.info.name}.{node.name}"
        values: dict[str, list[str | None]] = {}
        declared: dict[str, list[str | None]] = {}
        for item in _top_level(node.body):
            if isinstance(item, (ast.Assign, ast.AnnAssign)):
                self._record(item, values, declared, {})
            if not isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            if item.name == "__getattr__":
                cls.dynamic = True
            decorators = {self._qualified(_decorator(d)) for d in item.decorator_list}
            returned = self._annotation(item.returns, own)
            if returned is None and item.returns is None and _returns_self(item):
                returned = own
            if decorators & _PROPERTIES:
                declared.setdefault(item.name, []).append(returned)
                continue
            _merge(cls.methods, item.name, self._kind(item))
            _merge_type(cls.returns, item.name, returned)
            if "builtins.staticmethod" in decorators or not item.args.args:
                continue
            receiver = item.args.args[0].arg
            params = _Params(self, [*item.args.args[1:], *item.args.kwonlyargs], own)
            for statement in _own_statements(item.body, nested=True):
                if isinstance(statement, (ast.Assign, ast.AnnAssign)):
                    self._record(statement, values, declared, params, receiver)
        for name in set(values) | set(declared):
            if name not in cls.methods:
                cls.attributes[name] = _agreed(declared.get(name), values.get(name, []))
            else:
                cls.methods[name] = None  # `self.close = ...` shadows the method: unknown
        return cls

    def _record(
        self,
        node: ast.Assign | ast.AnnAssign,
        values: dict[str, list[str | None]],
        declared: dict[str, list[str | None]],
        params: Mapping[str, str | None],
        receiver: str | None = None,
    ) -> None:
        """Record what `name = value` (or `receiver.name = value` in a method) says of `name`'s type."""
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        for target in targets:
            if receiver is not None:
                name = (
                    target.attr
                    if isinstance(target, ast.Attribute)
                    and isinstance(target.value, ast.Name)
                    and target.value.id == receiver
                    else None
                )
            else:
                name = target.id if isinstance(target, ast.Name) else None
            if name is None:
                for leaf in ast.walk(target):  # `self.a, self.b = ...`: unknown
                    if receiver is not None and isinstance(leaf, ast.Attribute):
                        if isinstance(leaf.value, ast.Name) and leaf.value.id == receiver:
                            values.setdefault(leaf.attr, []).append(None)
                    elif receiver is None and isinstance(leaf, ast.Name):
                        values.setdefault(leaf.id, []).append(None)
                continue
            if isinstance(node, ast.AnnAssign):
                declared.setdefault(name, []).append(self._annotation(node.annotation))
            if node.value is not None:
                values.setdefault(name, []).append(self._value(node.value, params))

    def _value(self, value: ast.expr, params: Mapping[str, str | None]) -> str | None:
        """The type expression of an assigned value, None when unknown."""
        if isinstance(value, ast.Constant) and value.value is None:
            return _NONE
        if isinstance(value, ast.Name) and value.id in params:
            return params[value.id]
        awaited = isinstance(value, ast.Await)
        if awaited:
            value = value.value  # type: ignore[attr-defined]
        if not isinstance(value, ast.Call):
            return None
        callee = self._qualified(value.func)
        if callee is None or (callee.startswith("builtins.") and callee != "builtins.super"):
            return None
        if callee in CAST_FUNCTIONS and value.args and not awaited:
            return self._annotation(value.args[0])
        return callee + ("()@" if awaited else "()")

    def _annotation(self, node: ast.expr | None, own: str | None = None, depth: int = 0) -> str | None:
        """The class an annotation names (Optional/`X | None` unwrapped, strings parsed), or None."""
        if node is None or depth > 4:
            return None
        if isinstance(node, ast.Constant):
            if not isinstance(node.value, str):
                return None
            try:
                parsed = ast.parse(node.value.strip(), mode="eval").body
            except (SyntaxError, ValueError, RecursionError, MemoryError):
                return None
            return self._annotation(parsed, own, depth + 1)
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
            sides = [s for s in (node.left, node.right) if not (isinstance(s, ast.Constant) and s.value is None)]
            return self._annotation(sides[0], own, depth + 1) if len(sides) == 1 else None
        if isinstance(node, ast.Subscript):
            generic = self._qualified(node.value)
            members = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
            if generic in _OPTIONAL or generic in _UNION:
                members = [m for m in members if not (isinstance(m, ast.Constant) and m.value is None)]
                return self._annotation(members[0], own, depth + 1) if len(members) == 1 else None
            if generic in _TRANSPARENT:
                return self._annotation(members[0], own, depth + 1) if members else None
            node = node.value
        if not isinstance(node, (ast.Name, ast.Attribute)):
            return None
        qualified = self._qualified(node)
        if qualified in _SELF:
            return own
        if qualified is None or qualified.startswith(("builtins.", "typing.", "typing_extensions.", "collections.")):
            return None
        return qualified

    def _is_coroutine_type(self, node: ast.expr | None, depth: int = 0) -> bool:
        """Does an annotation name a coroutine (`Coroutine[Any, Any, T]`, an alias of it)?"""
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and depth < 2:
            try:
                node = ast.parse(node.value.strip(), mode="eval").body
            except (SyntaxError, ValueError, RecursionError, MemoryError):
                return False
            return self._is_coroutine_type(node, depth + 1)
        if isinstance(node, ast.Subscript):
            node = node.value
        if isinstance(node, ast.Name) and node.id in self.coroutine_aliases:
            return True
        return isinstance(node, (ast.Name, ast.Attribute)) and self._qualified(node) in COROUTINE_TYPES

    def _kind(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> bool | None:
        if isinstance(node, ast.AsyncFunctionDef) and _yields(node):
            return None  # an async generator function: its call is iterated, never awaited
        is_async = isinstance(node, ast.AsyncFunctionDef) or self._is_coroutine_type(node.returns)
        for decorator in node.decorator_list:
            expression = _decorator(decorator)
            qualified = self._qualified(expression)
            if qualified in KEEPING_DECORATORS:
                continue
            if isinstance(expression, ast.Name):
                local = self.info.factories if isinstance(decorator, ast.Call) else self.info.wrappers
                if expression.id in local:
                    is_async = True
                    continue
            return None
        return is_async

    def _qualified(self, node: ast.expr) -> str | None:
        parts: list[str] = []
        while isinstance(node, ast.Attribute):
            parts.insert(0, node.attr)
            node = node.value
        if not isinstance(node, ast.Name) or node.id in self.info.ambiguous:
            return None
        head = self.info.imports.get(node.id)
        if head is None:
            import builtins

            head = f"builtins.{node.id}" if hasattr(builtins, node.id) else f"{self.info.name}.{node.id}"
        return ".".join([head, *parts])


class _Params(Mapping[str, "str | None"]):
    """A method's parameters -> their annotations' types, resolved only when a value reads one."""

    def __init__(self, scanner: _Scanner, args: list[ast.arg], own: str) -> None:
        self._args = {a.arg: a.annotation for a in args}
        self._scanner, self._own = scanner, own

    def __getitem__(self, name: str) -> str | None:
        return self._scanner._annotation(self._args[name], self._own)

    def __contains__(self, name: object) -> bool:
        return name in self._args

    def __iter__(self) -> Iterator[str]:
        return iter(self._args)

    def __len__(self) -> int:
        return len(self._args)


def _decorator(node: ast.expr) -> ast.expr:
    return node.func if isinstance(node, ast.Call) else node


def _returns_self(node: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """Every `return` of the method returns its first parameter (`__aenter__` returning `self`)."""
    if not node.args.args:
        return False
    receiver = node.args.args[0].arg
    returns = [s for s in _own_statements(node.body) if isinstance(s, ast.Return)]
    return bool(returns) and all(isinstance(r.value, ast.Name) and r.value.id == receiver for r in returns)


def _own_statements(body: list[ast.stmt], nested: bool = False) -> list[ast.stmt]:
    """The statements of a function body, nested blocks included, nested functions' (`nested`)
    or not; never nested classes'. Only statement lists are visited: far cheaper than `ast.walk`."""
    out: list[ast.stmt] = []
    todo = list(body)
    functions = (ast.FunctionDef, ast.AsyncFunctionDef)
    while todo:
        node = todo.pop()
        out.append(node)
        kind = type(node)
        if kind in _SIMPLE_STATEMENTS or kind is ast.ClassDef or (not nested and kind in functions):
            continue
        for name in ("body", "orelse", "finalbody"):
            block = getattr(node, name, None)
            if block:
                todo.extend(block)
        for handler in getattr(node, "handlers", ()) or getattr(node, "cases", ()):
            todo.extend(handler.body)
    return out


_SIMPLE_STATEMENTS = frozenset(
    {
        ast.Assign, ast.AnnAssign, ast.AugAssign, ast.Expr, ast.Return, ast.Pass, ast.Raise, ast.Import,
        ast.ImportFrom, ast.Delete, ast.Global, ast.Nonlocal, ast.Assert, ast.Break, ast.Continue,
    }
)  # fmt: skip


def _merge_type(table: dict[str, str | None], name: str, kind: str | None) -> None:
    table[name] = kind if name not in table or table[name] == kind else None


def _agreed(declared: list[str | None] | None, values: list[str | None]) -> str | None:
    """The one type that the annotations, or else every assigned value, agree on (None: unknown)."""
    if declared:
        found = set(declared)
    else:
        found = {v for v in values if v != _NONE}
    return found.pop() if len(found) == 1 else None


def _yields(function: ast.AsyncFunctionDef) -> bool:
    """A `yield` of the function's own (not of a nested def, lambda or class)."""
    todo: list[ast.AST] = list(function.body)
    while todo:
        node = todo.pop()
        if isinstance(node, (ast.Yield, ast.YieldFrom)):
            return True
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            todo.extend(ast.iter_child_nodes(node))
    return False


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


def _returns_async_wrapper_factory(node: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """`def retry(times): def deco(fn): async def wrapper(...): ...; return wrapper; return deco`."""
    if isinstance(node, ast.AsyncFunctionDef):
        return False
    inner = {s.name for s in node.body if isinstance(s, ast.FunctionDef) and _returns_async_wrapper(s)}
    returns = [s for s in node.body if isinstance(s, ast.Return)]
    return bool(inner) and bool(returns) and all(isinstance(r.value, ast.Name) and r.value.id in inner for r in returns)


def _add_packages(modules: set[str], dotted: str) -> None:
    """`a.b.c` and the packages it is imported through (`a`, `a.b`): their `__init__` runs too."""
    parts = dotted.split(".")
    modules.update(".".join(parts[:n]) for n in range(1, len(parts) + 1))


def _calls_outside_coroutines(tree: ast.Module, qualified: str) -> bool:
    """Does the module call `qualified` (`asyncio.get_event_loop`) with no arguments where no
    `async def` directly holds the call (module level, plain functions, lambdas, even one nested
    in a coroutine), the way `Semantic.calls_outside_coroutines` counts? Imports are read
    wherever they are (a function's `import asyncio` too): a loose lookup, for a fact whose only
    use is to withhold a fix."""
    aliases: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    aliases[alias.asname] = alias.name
                else:
                    top = alias.name.split(".")[0]
                    aliases[top] = top
        elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
            for alias in node.names:
                aliases[alias.asname or alias.name] = f"{node.module}.{alias.name}"
    # A module-level `if __name__ == "__main__":` block does not run when the module is imported.
    todo: list[tuple[ast.AST, bool]] = [(node, False) for node in tree.body if not _is_main_guard(node)]
    while todo:
        node, in_coroutine = todo.pop()
        if isinstance(node, ast.AsyncFunctionDef):
            in_coroutine = True
        elif isinstance(node, (ast.FunctionDef, ast.Lambda)):
            in_coroutine = False
        elif isinstance(node, ast.Call) and not in_coroutine and not node.args and not node.keywords:
            parts: list[str] = []
            func = node.func
            while isinstance(func, ast.Attribute):
                parts.insert(0, func.attr)
                func = func.value
            if isinstance(func, ast.Name) and func.id in aliases:
                if ".".join([aliases[func.id], *parts]) == qualified:
                    return True
        todo.extend((child, in_coroutine) for child in ast.iter_child_nodes(node))
    return False


def _is_main_guard(node: ast.stmt) -> bool:
    """`if __name__ == "__main__":` (with no `else`, which would run on import)."""
    if not isinstance(node, ast.If) or node.orelse:
        return False
    test = node.test
    return (
        isinstance(test, ast.Compare)
        and isinstance(test.left, ast.Name)
        and test.left.id == "__name__"
        and len(test.ops) == 1
        and isinstance(test.ops[0], ast.Eq)
        and isinstance(test.comparators[0], ast.Constant)
        and test.comparators[0].value == "__main__"
    )


_TOP_MARKERS = ("pyproject.toml", "setup.py", "setup.cfg", "tox.ini", "pytest.ini", ".git")


def _top_directory(directory: str) -> str | None:
    """The first directory from `directory` up that holds a project marker (where pytest's
    rootdir would be), None when there is none within a few levels."""
    for _ in range(16):
        if any(os.path.exists(os.path.join(directory, marker)) for marker in _TOP_MARKERS):
            return directory
        parent = os.path.dirname(directory)
        if parent == directory:
            return None
        directory = parent
    return None


class ProjectIndex:
    """The scans of a project's modules, shared by every file linted with it; owned by its caller.

    Answers are cached: a module's facts until its size or mtime changes, where a module lives
    (or that it does not exist) until `forget` or `clear` says the tree changed.
    """

    def __init__(self) -> None:
        self._scanned: dict[str, tuple[tuple[int, int] | None, ModuleInfo | None, str | None]] = {}
        """path -> (its stat when scanned, its facts, the SHA-256 of the bytes scanned)."""
        self._found: dict[tuple[str, str], str | None] = {}
        self._site: list[str] | None = None
        self._calls: dict[tuple[str, str], tuple[tuple[int, int] | None, bool, str | None]] = {}
        """(path, qualified) -> (its stat when read, does it call it outside a coroutine, SHA-256)."""

    def view(self, path: str | None) -> ProjectView | None:
        """What one linted file sees of its project (None for stdin or no path)."""
        if not path or path == "-":
            return None
        return ProjectView(self, os.path.abspath(path))

    def forget(self, path: str) -> None:
        """A file was created, changed or deleted: drop what was learned from (or about) it."""
        self._scanned.pop(os.path.abspath(path), None)
        self._calls = {key: value for key, value in self._calls.items() if key[0] != os.path.abspath(path)}
        self._found.clear()  # "not found" answers and package directories may change with it

    def clear(self) -> None:
        self._scanned.clear()
        self._calls.clear()
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

    def search_paths(self, extra: tuple[str, ...] = ()) -> list[str]:
        """Where installed packages are looked for: configured directories first, then the running
        interpreter's `sys.path` (its standard library left out: asyncio's facts are the catalogue's)."""
        if self._site is None:
            stdlib = {os.path.abspath(sysconfig.get_paths()[k]) for k in ("stdlib", "platstdlib")}
            # `python -m asynclint` puts the working directory first on `sys.path`; the console
            # script puts its own bin directory there. Neither is an installed package, and the
            # answers must not depend on how asynclint was started (aiohttp's tests: its checkout
            # read as if installed under `-m` only).
            here = os.getcwd()
            self._site = [
                os.path.abspath(entry)
                for entry in sys.path
                if entry
                and os.path.abspath(entry) != here
                and os.path.isdir(entry)
                and os.path.abspath(entry) not in stdlib
                and not os.path.abspath(entry).startswith(tuple(os.path.join(s, "lib-dynload") for s in stdlib))
            ]
        return [*(os.path.abspath(e) for e in extra), *self._site]

    def find_external(self, root: str, dotted: str, extra: tuple[str, ...]) -> str | None:
        """The file of installed module `dotted` (stub packages, then `.pyi` next to `.py`), or None.

        Found the way `importlib.machinery.PathFinder` would walk the search path, but only by
        looking at files: nothing is imported, so nothing of the package runs."""
        key = ("<site>" + "\0".join(extra), dotted)
        if key not in self._found:
            found = None
            parts = dotted.split(".")
            for directory in self.search_paths(extra):
                if directory == root:
                    continue  # the project itself
                stub = os.path.join(directory, parts[0] + "-stubs", *parts[1:])
                plain = os.path.join(directory, *parts)
                for candidate in (
                    stub + ".pyi",
                    os.path.join(stub, "__init__.pyi"),
                    plain + ".pyi",
                    os.path.join(plain, "__init__.pyi"),
                    plain + ".py",
                    os.path.join(plain, "__init__.py"),
                ):
                    if os.path.isfile(candidate):
                        found = candidate
                        break
                if found is not None or os.path.isdir(os.path.join(directory, parts[0])):
                    break  # the first directory that has the package is the one Python imports
            self._found[key] = found
        return self._found[key]

    def in_project(self, root: str, top: str, consulted: dict[str, str | None]) -> bool:
        """Is `top` a module or package directly under the project root? (cached: a hot question)"""
        key = (root, "/" + top)
        if key not in self._found:
            self._found[key] = top if os.path.isdir(os.path.join(root, top)) else None
        return self._found[key] is not None or self.find_module(root, top, consulted) is not None

    def scan(self, path: str, name: str, consulted: dict[str, str | None], external: bool = False) -> ModuleInfo | None:
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
                is_package = os.path.basename(path) in ("__init__.py", "__init__.pyi")
                info = _Scanner(name, path, is_package).run(tree)
                info.external = external
        self._scanned[path] = (stat, info, digest)
        consulted[path] = digest
        return info

    def scan_source(self, path: str, name: str, source: str) -> ModuleInfo:
        """A linted file's own facts, from its text (an editor's buffer may differ from the disk).
        Shared with the scans of the file as another module's import when the bytes are the same,
        so a file is parsed with `ast` once per index either way."""
        data = source.encode("utf-8", "surrogatepass")
        digest = hashlib.sha256(data).hexdigest()
        cached = self._scanned.get(path)
        if cached is not None and cached[2] == digest and cached[1] is not None:
            return cached[1]
        try:
            tree = ast.parse(data, path)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            return ModuleInfo(name, path)
        info = _Scanner(name, path, os.path.basename(path) in ("__init__.py", "__init__.pyi")).run(tree)
        stat = _stat(path)
        if stat is not None and self._read(path, parse=False)[1] == digest:
            self._scanned[path] = (stat, info, digest)  # the file on disk says the same
        return info

    def calls_outside_coroutines(self, path: str, qualified: str, consulted: dict[str, str | None]) -> bool:
        """Does the module at `path` call `qualified` outside a coroutine (see the function of that
        name)? Cached per module until its size or mtime changes; a file without the name's text
        is not parsed."""
        key = (path, qualified)
        stat = _stat(path)
        cached = self._calls.get(key)
        if cached is None or cached[0] != stat:
            found, digest = False, None
            try:
                with open(path, "rb") as handle:
                    data = handle.read()
            except OSError:
                data = None
            if data is not None:
                digest = hashlib.sha256(data).hexdigest()
                if qualified.rpartition(".")[2].encode() in data:
                    try:
                        found = _calls_outside_coroutines(ast.parse(data, path), qualified)
                    except (SyntaxError, ValueError, RecursionError, MemoryError):
                        found = False
            cached = self._calls[key] = (stat, found, digest)
        consulted[path] = cached[2]
        return cached[1]

    @staticmethod
    def _read(path: str, parse: bool = True) -> tuple[ast.Module | None, str | None]:
        """The module's syntax tree (None when it cannot be read or parsed) and its bytes' hash."""
        try:
            with open(path, "rb") as handle:
                data = handle.read()
        except OSError:
            return None, None
        digest = hashlib.sha256(data).hexdigest()
        if not parse:
            return None, digest
        try:
            return ast.parse(data, path), digest
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            return None, digest


class ProjectView:
    """Answers for one linted file: what its imports name in other modules of its project, and in
    the installed packages it imports; the types a light checker would know of them."""

    def __init__(self, index: ProjectIndex, path: str | None, extra_paths: tuple[str, ...] = ()) -> None:
        self.index = index
        self.path = path
        if path is None:  # no file (stdin): the module itself, and installed packages
            self.root, self.module, self.is_package = "", "<local>", False
        else:
            self.root, self.module, self.is_package = locate(path)
        self.extra_paths = extra_paths
        """Configured directories of installed packages (`site-packages`), searched first."""
        self.consulted: dict[str, str | None] = {}
        """Every other path looked at: path -> the SHA-256 of the bytes scanned (None for a path
        only looked for, or one that could not be read). The result cache's dependency list."""
        self.own: Callable[[], ModuleInfo] | None = None
        """The linted file's own facts, from its text (not the file on disk: an editor's buffer),
        scanned when first asked for."""
        self._own: ModuleInfo | None = None
        self._resolved: dict[str, tuple[ModuleInfo, list[str]] | None] = {}

    def dependencies(self, own: str) -> list[tuple[str, str | None]]:
        own = os.path.abspath(own)
        return sorted((p, digest) for p, digest in self.consulted.items() if p != own)

    def absolute(self, qualified: str) -> str | None:
        return absolute(qualified, self.module, self.is_package)

    def modules_calling(self, qualified: str) -> list[str]:
        """The files whose code runs in the linted file's process and calls `qualified` (asyncio's
        `get_event_loop`) outside a coroutine: the project modules its top-level imports load
        (`from tests.utils import make_client`, `from .helpers import run`, and the packages they
        are imported through), and, for a pytest test module (`test_*.py`, `*_test.py`,
        `conftest.py`), the `conftest.py` files from its directory up to the project's top (the
        first directory up with a `pyproject.toml`, `setup.py`, `setup.cfg`, `tox.ini`,
        `pytest.ini` or `.git`), which pytest loads into the same process. Only direct imports
        are followed. Each module is read once per index; each path is recorded as consulted."""
        if self.path is None:
            return []
        if self._own is None and self.own is not None:
            self._own = self.own()
        own = self._own if self._own is not None else self.index.scan(self.path, self.module, {})
        if own is None:
            return []
        directory = os.path.dirname(self.path)
        top = _top_directory(directory)
        roots = [self.root] if top in (None, self.root) else [self.root, top]
        paths: list[str] = []
        for dotted in sorted(own.modules):
            for root in roots:
                path = self.index.find_module(root, dotted, self.consulted)
                if path is not None:
                    if path != self.path and path not in paths:
                        paths.append(path)
                    break
        name = os.path.basename(self.path)
        if name == "conftest.py" or (name.endswith(".py") and (name.startswith("test_") or name.endswith("_test.py"))):
            while True:
                conftest = os.path.join(directory, "conftest.py")
                self.consulted.setdefault(conftest, None)
                if conftest != self.path and os.path.isfile(conftest) and conftest not in paths:
                    paths.append(conftest)
                parent = os.path.dirname(directory)
                if top is None or directory == top or parent == directory:
                    break
                directory = parent
        return [p for p in paths if self.index.calls_outside_coroutines(p, qualified, self.consulted)]

    def function(self, qualified: str) -> bool | None:
        """True/False when `qualified` (absolute) names a coroutine/plain function of the project
        (of an installed package: True only, a plain function there may return an awaitable)."""
        found = self._resolve(qualified)
        if found is None:
            return None
        info, rest = found
        kind = None
        if len(rest) == 1:
            kind = info.functions.get(rest[0])
        elif len(rest) == 2 and rest[0] in info.classes:
            kind = self.method_kind(f"{info.name}.{rest[0]}", rest[1])
        return None if info.external and kind is False else kind

    def klass(self, qualified: str) -> ClassInfo | None:
        found = self._klass(qualified)
        return found[1] if found is not None else None

    def is_async_wrapper(self, qualified: str, called: bool = False) -> bool:
        """Is `qualified` a decorator whose wrapper is an `async def` (`called`: a factory of one)?"""
        found = self._resolve(qualified)
        if found is None or len(found[1]) != 1:
            return False
        return found[1][0] in (found[0].factories if called else found[0].wrappers)

    # ------------------------------------------------------------------------------ types
    def resolve_type(self, expression: str | None, hops: int = 0) -> str | None:
        """The class (its defining module's dotted name, or an asyncio class of the catalogue) that
        a type expression of a scan names, or None when unknown."""
        if expression is None or hops > _MAX_HOPS:
            return None
        if expression.endswith("()@"):
            return self.call_result(expression[:-3], True, hops + 1)
        if expression.endswith("()"):
            return self.call_result(expression[:-2], False, hops + 1)
        if expression.startswith("asyncio."):
            return expression
        found = self._klass(expression, hops)
        if found is None and (expression in THIRD_PARTY_COROUTINE_METHODS or expression in THIRD_PARTY_ENTERED_TYPES):
            return expression  # a third-party class of the catalogue, not found installed
        return found[0] if found is not None else None

    def call_result(self, callee: str, awaited: bool, hops: int = 0) -> str | None:
        """The class of what calling (and, `awaited`, awaiting the call of) `callee` gives."""
        scanned = self._call_result(callee, awaited, hops)
        if scanned is None and callee in THIRD_PARTY_RETURN_TYPES:
            return THIRD_PARTY_RETURN_TYPES[callee][awaited]
        return scanned

    def _call_result(self, callee: str, awaited: bool, hops: int) -> str | None:
        if callee.startswith("asyncio."):
            if awaited:
                return None
            return RETURN_TYPES.get(callee, callee if callee in COROUTINE_METHODS else None)
        if hops > _MAX_HOPS:
            return None
        found = self._resolve(callee)
        if found is None:
            return None
        info, rest = found
        if len(rest) == 1 and rest[0] in info.classes:
            return None if awaited else f"{info.name}.{rest[0]}"
        if len(rest) == 1 and rest[0] in info.functions:
            kind = info.functions[rest[0]]
            if kind is not None and kind is awaited:
                return self.resolve_type(info.returns.get(rest[0]), hops + 1)
            return None
        if len(rest) == 2 and rest[0] in info.classes:  # `Store.open()`: a classmethod or staticmethod
            return self.method_result(f"{info.name}.{rest[0]}", rest[1], awaited, hops + 1)
        return None

    def instance_type(self, qualified: str) -> str | None:
        """The class of a module-level variable of another module (`from .db import store`)."""
        found = self._resolve(qualified)
        if found is None or len(found[1]) != 1:
            return None
        info, (name,) = found
        return self.resolve_type(info.instances.get(name)) if name in info.instances else None

    def method_kind(self, cls: str, name: str, hops: int = 0) -> bool | None:
        """Is method `name` of class `cls` (canonical, see `resolve_type`) a coroutine function?"""
        if cls in COROUTINE_METHODS:
            return True if name in COROUTINE_METHODS[cls] else None
        scanned = self._method_kind(cls, name, hops)
        if scanned is None and name in THIRD_PARTY_COROUTINE_METHODS.get(cls, ()):
            return True
        return scanned

    def _method_kind(self, cls: str, name: str, hops: int) -> bool | None:
        member = self._member(cls, name)
        if member is None or hops > _MAX_HOPS:
            return None
        owner, info, external = member
        if name in info.methods:
            kind = info.methods[name]
            return None if external and kind is False else kind
        # An attribute holding a callable object: calling it calls its class's `__call__`.
        held = self.resolve_type(info.attributes.get(name))
        return self.method_kind(held, "__call__", hops + 1) if held is not None and held != owner else None

    def method_result(self, cls: str, name: str, awaited: bool, hops: int = 0) -> str | None:
        """The class of what calling (and awaiting) method `name` of class `cls` gives."""
        scanned = self._method_result(cls, name, awaited, hops)
        if scanned is None and f"{cls}.{name}" in THIRD_PARTY_RETURN_TYPES:
            return THIRD_PARTY_RETURN_TYPES[f"{cls}.{name}"][awaited]
        return scanned

    def _method_result(self, cls: str, name: str, awaited: bool, hops: int) -> str | None:
        member = self._member(cls, name)
        if member is None or name not in member[1].methods:
            return None
        kind = member[1].methods[name]
        if kind is None or kind is not awaited:
            return None
        return self.resolve_type(member[1].returns.get(name), hops + 1)

    def attribute_type(self, cls: str, name: str) -> str | None:
        """The class of attribute `name` of an instance of `cls` (declared, or assigned alike)."""
        member = self._member(cls, name)
        if member is None or name not in member[1].attributes:
            return None
        return self.resolve_type(member[1].attributes[name])

    def entered_type(self, cls: str, asynchronous: bool) -> str | None:
        """What `async with cls_instance as x` (or `with`) binds to `x`: `__aenter__`'s result."""
        scanned = self.method_result(cls, "__aenter__" if asynchronous else "__enter__", asynchronous)
        if scanned is None and asynchronous:
            return THIRD_PARTY_ENTERED_TYPES.get(cls)
        return scanned

    def _member(self, cls: str, name: str, seen: int = 0) -> tuple[str, ClassInfo, bool] | None:
        """The class (canonical name, facts, external?) that defines `name` for `cls`, through its
        bases in order; None when not found (a base unknown, `__getattr__`, or really absent)."""
        found = self._klass(cls)
        if found is None or seen > _MAX_HOPS:
            return None
        owner, info, external = found
        if name in info.methods or name in info.attributes:
            return owner, info, external
        for base in info.bases:
            if base in COROUTINE_METHODS or base.startswith("builtins."):
                return None  # asyncio's classes: `method_kind` asks the catalogue; builtins: unknown
            member = self._member(base, name, seen + 1)
            if member is not None:
                return member
        return None

    def _klass(self, qualified: str, hops: int = 0) -> tuple[str, ClassInfo, bool] | None:
        found = self._resolve(qualified, hops)
        if found is None or len(found[1]) != 1 or found[1][0] not in found[0].classes:
            return None
        info, (name,) = found
        return f"{info.name}.{name}", info.classes[name], info.external

    def _resolve(self, qualified: str, hops: int = 0) -> tuple[ModuleInfo, list[str]] | None:
        """The module (of the project, the file itself, or an installed package) that defines
        `qualified`, and the attribute path inside it (memoized for this file: every path it
        consulted is recorded the first time)."""
        if hops:
            return self._resolve_uncached(qualified, hops)
        if qualified not in self._resolved:
            self._resolved[qualified] = self._resolve_uncached(qualified, 0)
        return self._resolved[qualified]

    def _resolve_uncached(self, qualified: str, hops: int) -> tuple[ModuleInfo, list[str]] | None:
        parts = qualified.split(".")
        if hops > _MAX_HOPS or len(parts) < 2 or not parts[0] or parts[0] in ("asyncio", "builtins"):
            return None
        index, consulted = self.index, self.consulted
        own = self.own is not None and (parts[0] == "<local>" or qualified.startswith(self.module + "."))
        external = not own and (not self.root or not index.in_project(self.root, parts[0], consulted))
        for cut in range(len(parts) - 1, 0, -1):
            dotted = ".".join(parts[:cut])
            if own:
                if dotted not in ("<local>", self.module):
                    continue
                if self._own is None and self.own is not None:
                    self._own = self.own()
                info = self._own
            else:
                if external:
                    path = index.find_external(self.root, dotted, self.extra_paths)
                else:
                    path = index.find_module(self.root, dotted, consulted)
                if path is None:
                    continue
                info = index.scan(path, dotted, consulted, external)
            if info is None:
                return None
            rest = parts[cut:]
            head = rest[0]
            if head in info.ambiguous:
                return None
            if (
                head in info.functions
                or head in info.classes
                or head in info.wrappers
                or head in info.factories
                or head in info.instances
            ):
                return info, rest
            if head in info.imports:  # a re-export: follow it
                return self._resolve(".".join([info.imports[head], *rest[1:]]), hops + 1)
            return None
        return None
