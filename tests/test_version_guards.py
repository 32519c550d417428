"""`semantic.guards.version_bounds`: which Pythons a line runs on, as its `sys.version_info` guards say."""

from __future__ import annotations

import libcst as cst
import pytest

from asynclint.semantic.guards import version_bounds
from asynclint.semantic.model import Model

SOURCE = """\
import sys
from sys import version_info as vi
PY311 = sys.version_info >= (3, 11)

if sys.version_info >= (3, 11):
    a = 1
else:
    b = 1
if sys.version_info < (3, 10):
    c = 1
elif sys.version_info < (3, 12):
    d = 1
else:
    e = 1
if (3, 9) <= sys.version_info[:2]:
    f = 1
if vi >= (3, 8) and sys.version_info < (3, 13):
    g = 1
else:
    h = 1
if PY311:
    i = 1
else:
    j = 1
k = 1 if sys.version_info > (3, 10) else 2
if sys.version_info >= (3, 11) or other:
    m = 1
if sys.version_info >= (3, 11) and other:
    n = 1
else:
    o = 1
if sys.platform == "win32":
    p = 1
"""


def _bounds() -> dict[str, tuple[object, object]]:
    module = cst.parse_module(SOURCE)
    model = Model(module, [cst.Name, cst.Integer])
    found = {}
    for node in model.wanted_nodes:
        if isinstance(node, cst.Name) and len(node.value) == 1 and node.value not in found:
            found[node.value] = version_bounds(model, node)
    ints = [n for n in model.wanted_nodes if isinstance(n, cst.Integer) and n.value in ("1", "2")]
    # The two branches of the conditional expression on the `k` line.
    found["k1"], found["k2"] = version_bounds(model, ints[-6]), version_bounds(model, ints[-5])
    return found


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("a", ((3, 11), None)),
        ("b", (None, (3, 11))),
        ("c", (None, (3, 10))),
        ("d", ((3, 10), (3, 12))),
        ("e", ((3, 12), None)),
        ("f", ((3, 9), None)),
        ("g", ((3, 8), (3, 13))),
        ("h", (None, None)),  # the `else` of `a and b`: either failed
        ("i", ((3, 11), None)),  # a module-level name bound once to a version test
        ("j", (None, (3, 11))),
        ("m", (None, None)),  # `or`: nothing known
        ("n", ((3, 11), None)),
        ("o", (None, None)),
        ("p", (None, None)),
    ],
)
def test_version_bounds(name: str, expected: tuple[object, object]) -> None:
    assert _bounds()[name] == expected


def test_conditional_expression_branches() -> None:
    bounds = _bounds()
    assert bounds["k1"] == ((3, 10), None) and bounds["k2"] == (None, (3, 10))


EXPRESSION_GUARDS = [
    ("right of and", "sys.version_info < (3, 14) and old()", (None, (3, 14))),
    ("right of or", "sys.version_info >= (3, 14) or old()", (None, (3, 14))),
    ("left of and knows nothing", "old() and sys.version_info < (3, 14)", (None, None)),
    ("nested in an or", "inspect.f(h) or (sys.version_info < (3, 14) and old())", (None, (3, 14))),
    ("or of two tests knows nothing on its right", "(sys.version_info < (3, 9) or x) or old()", (None, None)),
]


@pytest.mark.parametrize(
    ("expression", "expected"), [r[1:] for r in EXPRESSION_GUARDS], ids=[r[0] for r in EXPRESSION_GUARDS]
)
def test_guards_inside_boolean_expressions(expression: str, expected: tuple[object, object]) -> None:
    module = cst.parse_module(f"import sys\nresult = {expression}\n")
    model = Model(module, [cst.Call])
    (call,) = [n for n in model.wanted_nodes if isinstance(n.func, cst.Name) and n.func.value == "old"]
    assert version_bounds(model, call) == expected


EARLY_EXITS = [
    ("return below", "def f():\n    if sys.version_info < (3, 14):\n        return None\n    old()\n", ((3, 14), None)),
    ("raise at or above", "if sys.version_info >= (3, 11):\n    raise ImportError\nold()\n", (None, (3, 11))),
    ("one-line suite", "def f():\n    if sys.version_info < (3, 14): return\n    old()\n", ((3, 14), None)),
    (
        "an else branch: no early exit",
        "def f():\n    if sys.version_info < (3, 14):\n        return\n    else:\n        pass\n    old()\n",
        (None, None),
    ),
    (
        "a body that may fall through",
        "def f():\n    if sys.version_info < (3, 14):\n        log()\n    old()\n",
        (None, None),
    ),
    (
        "after the call: no effect",
        "def f():\n    old()\n    if sys.version_info < (3, 14):\n        return\n",
        (None, None),
    ),
]


@pytest.mark.parametrize(("source", "expected"), [r[1:] for r in EARLY_EXITS], ids=[r[0] for r in EARLY_EXITS])
def test_early_exits_guard_what_follows(source: str, expected: tuple[object, object]) -> None:
    module = cst.parse_module("import sys\n" + source)
    model = Model(module, [cst.Call])
    (call,) = [n for n in model.wanted_nodes if isinstance(n.func, cst.Name) and n.func.value == "old"]
    assert version_bounds(model, call) == expected
