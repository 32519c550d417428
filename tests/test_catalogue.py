"""Each asyncio fact is declared once (in `asynclint/asyncio_api.py`), and rules speak one vocabulary.

These read the source: a table of asyncio names copied into a rule, a rule reading a scope's
records or another rule's module, would let the families drift apart again.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from asynclint import asyncio_api

PACKAGE = Path(asyncio_api.__file__).parent
CATALOGUE = Path(asyncio_api.__file__)
RULES = sorted((PACKAGE / "rules").rglob("*.py"))
CODE = sorted(p for p in PACKAGE.rglob("*.py") if p != CATALOGUE)
# What the walk records in a Scope: rules ask `self.sem.binding(...)` instead.
SCOPE_RECORDS = {
    "assignment_counts",
    "import_targets",
    "name_reads",
    "declarations",
    "assigned_values",
    "async_with_names",
    "defs",
    "class_defs",
}


def _strings(node: ast.AST) -> list[str]:
    return [n.value for n in ast.walk(node) if isinstance(n, ast.Constant) and isinstance(n.value, str)]


def _docstrings(tree: ast.Module) -> set[int]:
    """ids of the docstring constants (module, class, function): prose, not facts."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                found.add(id(body[0].value))
    return found


def _qualified_literals(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    prose = _docstrings(tree)
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in prose
        and node.value.startswith("asyncio.")
        and len(node.value) > len("asyncio.")
    ]


@pytest.mark.parametrize("path", CODE, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_asyncio_names_are_declared_only_in_the_catalogue(path: Path) -> None:
    assert _qualified_literals(path) == [], f"declare these in {CATALOGUE.name} and import them"


def _tables(path: Path) -> dict[str, frozenset[str]]:
    """Module-level constants that are collections of strings: name -> its strings."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = {}
    for node in tree.body:
        if isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            value = node.value
            if isinstance(value, ast.Call) and value.args:
                value = value.args[0]  # frozenset({...})
            if isinstance(value, (ast.Set, ast.List, ast.Tuple, ast.Dict)):
                strings = frozenset(_strings(value))
                if len(strings) >= 2:
                    for target in targets:
                        if isinstance(target, ast.Name):
                            found[f"{path.relative_to(PACKAGE)}:{target.id}"] = strings
    return found


def test_no_table_is_declared_twice() -> None:
    tables: dict[str, frozenset[str]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        tables.update(_tables(path))
    seen: dict[frozenset[str], str] = {}
    twice = []
    for name, strings in tables.items():
        if strings in seen:
            twice.append((seen[strings], name))
        seen.setdefault(strings, name)
    assert twice == []


def test_the_catalogue_check_finds_a_copied_table(tmp_path: Path) -> None:
    rule = tmp_path / "rule.py"
    rule.write_text(
        '"""asyncio.create_task in prose is fine."""\n_F = ("asyncio.create_task", "asyncio.ensure_future")\n'
    )
    assert [name for _, name in _qualified_literals(rule)] == ["asyncio.create_task", "asyncio.ensure_future"]


@pytest.mark.parametrize("path", RULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_rules_ask_the_facade(path: Path) -> None:
    """No rule reads what the walk records in a Scope, keeps the old `self.analysis`, or imports
    another rule (a family's helpers live in its `_*.py` modules)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    problems = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in SCOPE_RECORDS | {"analysis", "ctx"}:
            problems.append(f"line {node.lineno}: .{node.attr}")
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("asynclint."):
            module = node.module
            forbidden = ("asynclint.semantic.", "asynclint.rules.")
            helper = module.rpartition(".")[2].startswith("_")
            if module.startswith(forbidden) and not helper:
                problems.append(f"line {node.lineno}: from {module}")
    assert problems == []
