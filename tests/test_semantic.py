"""The semantic model itself, table-driven: which binding each read refers to (LEGB, class and
comprehension scopes, global/nonlocal, walrus, match), and what the binding knows."""

from __future__ import annotations

import textwrap
from typing import Any

import libcst as cst
import pytest

from asynclint.semantic import Binding, Semantic


def _sem(source: str) -> Semantic:
    return Semantic.of(cst.parse_module(textwrap.dedent(source)))


def _reads(sem: Semantic, name: str) -> list[Any]:
    """The Name nodes reading `name`, in source order."""
    found = [n for n in sem.nodes() if isinstance(n, cst.Name) and n.value == name and sem.is_reference(n)]
    return sorted(found, key=sem.order)


# (id, source, name, which read (0 = first), the scope the read resolves to: its name, or None
# for a name bound nowhere (a builtin))
RESOLUTION = [
    ("local", "def f():\n    x = 1\n    return x\n", "x", 0, "f"),
    ("global read", "x = 1\ndef f():\n    return x\n", "x", 0, "<module>"),
    ("enclosing", "def f():\n    x = 1\n    def g():\n        return x\n", "x", 0, "f"),
    ("builtin", "def f():\n    return len\n", "len", 0, None),
    ("class body sees its own names", "class C:\n    x = 1\n    y = x\n", "x", 0, "C"),
    (
        "methods skip the class scope",
        "x = 0\nclass C:\n    x = 1\n    def m(self):\n        return x\n",
        "x",
        0,
        "<module>",
    ),
    ("global declaration", "x = 0\ndef f():\n    global x\n    x = 1\n    return x\n", "x", 0, "<module>"),
    (
        "nonlocal declaration",
        "def f():\n    x = 0\n    def g():\n        nonlocal x\n        x = 1\n        return x\n",
        "x",
        0,
        "f",
    ),
    ("comprehension variable", "def f(xs):\n    return [x for x in xs]\n", "x", 0, "<comprehension>"),
    (
        "comprehension's first iterable is outside",
        "xs = []\ndef f():\n    return [x for x in xs]\n",
        "xs",
        0,
        "<module>",
    ),
    (
        "comprehension in a class skips the class",
        "x = 0\nclass C:\n    x = 1\n    ys = [x for _ in range(3)]\n",
        "x",
        0,
        "<module>",
    ),
    ("walrus in a comprehension binds outside it", "def f(xs):\n    [y := x for x in xs]\n    return y\n", "y", 0, "f"),
    ("parameter", "def f(a):\n    return a\n", "a", 0, "f"),
    ("default is evaluated outside", "a = 1\ndef f(a=a):\n    return a\n", "a", 0, "<module>"),
    ("lambda parameter", "f = lambda a: a\n", "a", 0, "<lambda>"),
    (
        "match capture",
        "def f(p):\n    match p:\n        case [a, *rest]:\n            return a, rest\n",
        "rest",
        0,
        "f",
    ),
    (
        "match mapping rest",
        "def f(p):\n    match p:\n        case {'k': v, **others}:\n            return others\n",
        "others",
        0,
        "f",
    ),
    ("except as", "def f():\n    try:\n        pass\n    except E as e:\n        return e\n", "e", 0, "f"),
    ("import in a function", "def f():\n    import json\n    return json\n", "json", 0, "f"),
    ("bound later in the module is still the module's", "def f():\n    return g\ng = 1\n", "g", 0, "<module>"),
]


@pytest.mark.parametrize(
    ("source", "name", "which", "expected"), [r[1:] for r in RESOLUTION], ids=[r[0] for r in RESOLUTION]
)
def test_reads_resolve_to_the_binding_python_would_use(
    source: str, name: str, which: int, expected: str | None
) -> None:
    sem = _sem(source)
    binding = sem.binding(_reads(sem, name)[which])
    assert (binding.scope.name if binding is not None else None) == expected


# (id, source, name, the binding's properties asked of its module- or function-level scope)
FACTS = [
    ("assigned once", "x = f()\n", "x", {"assigned_once": True, "assignments": 1, "is_import": False}),
    ("assigned twice", "x = 1\nx = 2\n", "x", {"assigned_once": False, "assignments": 2, "value": None}),
    ("one import", "import asyncio\n", "asyncio", {"is_import": True, "assigned_once": False, "assignments": 0}),
    (
        "import and assignment",
        "import a\na = 1\n",
        "a",
        {"is_import": False, "is_imported": True, "assigned_once": False},
    ),
    ("a def", "def f():\n    pass\n", "f", {"assigned_once": True, "is_local": False}),
    ("a class", "class C:\n    pass\n", "C", {"assigned_once": True}),
    ("augmented assignment counts", "x = 1\nx += 1\n", "x", {"assignments": 2}),
    ("for target", "for i in range(3):\n    pass\n", "i", {"assignments": 1, "values": []}),
    ("annotated with a value", "x: int = 1\n", "x", {"assigned_once": True}),
]


@pytest.mark.parametrize(("source", "name", "facts"), [r[1:] for r in FACTS], ids=[r[0] for r in FACTS])
def test_what_a_binding_knows(source: str, name: str, facts: dict[str, object]) -> None:
    sem = _sem(source)
    binding = sem.binding_in(sem.module_scope, name)
    assert {key: getattr(binding, key) for key in facts} == facts


def test_value_definitions_and_reads() -> None:
    sem = _sem(
        "import asyncio\nloop = asyncio.get_running_loop()\ndef f():\n    return loop\nasync with x() as r:\n    pass\n"
    )
    loop = sem.binding_in(sem.module_scope, "loop")
    assert sem.code_for(loop.value) == "asyncio.get_running_loop()"
    assert loop.reads == [] and len(sem.reads_of(loop)) == 1  # read only from a nested scope
    assert sem.is_read(loop) and sem.used_in_nested_scope(loop)
    assert sem.binding_in(sem.module_scope, "r").by_async_with
    f = sem.binding_in(sem.module_scope, "f")
    assert f.function is not None and f.function.name.value == "f" and f.klass is None
    assert [b.name for b in sem.bindings_in(sem.module_scope)] == ["loop", "f", "r", "asyncio"]


def test_called_definition() -> None:
    sem = _sem(
        """
        async def fetch(url):
            return url

        class Crawler:
            async def page(self, url):
                return url

            async def crawl(self, other):
                fetch(1); self.page(2); other.page(3); self.missing(4)

        fetch = fetch
        """
    )
    calls = sorted((n for n in sem.nodes() if isinstance(n, cst.Call)), key=sem.order)
    found = [sem.called_definition(c.func) for c in calls]
    assert found[0] is None  # `fetch` is bound twice: which def runs is not known
    assert found[1] is not None and found[1].name.value == "page"
    assert found[2:] == [None, None]  # an unknown receiver, a method the class lacks


def test_parameters_callees_and_loops() -> None:
    sem = _sem(
        """
        import asyncio

        async def work():
            pass

        class C:
            async def run(self):
                pass

            async def start(self, loop, tasks, *rest, key=None, **more):
                tasks = list(tasks)
                here = asyncio.get_running_loop()
                other = 1
                async with make() as loop2:
                    pass
                return work(), self.run(), self.missing(), here, loop, self._loop, other, loop2
        """
    )
    start = next(s for s in (sem.scope_of(n) for n in sem.nodes()) if s.name == "start")
    params = {name: sem.binding_in(start, name).is_parameter for name in ("loop", "tasks", "rest", "key", "more")}
    assert params == dict.fromkeys(params, True)
    assert not sem.binding_in(start, "here").is_parameter and not sem.binding_in(sem.module_scope, "C").is_parameter
    returned = next(n for n in sem.nodes() if isinstance(n, cst.Return)).value.elements
    calls = [element.value for element in returned[:3]]
    definitions = [sem.called_definition(call.func) for call in calls]
    assert [d.name.value if d is not None else None for d in definitions] == ["work", "run", None]
    loops = [sem.is_event_loop(element.value) for element in returned[3:]]
    assert loops == [True, True, True, False, False]


def test_bindings_compare_by_name_and_scope() -> None:
    sem = _sem("x = 1\ndef f():\n    return x + x\n")
    first, second = (sem.binding(n) for n in _reads(sem, "x"))
    assert first == second == Binding("x", sem.module_scope)
    assert len({first, second}) == 1


QUALIFIED = [
    ("import as", "import asyncio as aio\naio.sleep", "asyncio.sleep"),
    ("from import", "from asyncio import sleep as nap\nnap", "asyncio.sleep"),
    ("submodule folds", "import asyncio.tasks\nasyncio.tasks.create_task", "asyncio.create_task"),
    ("builtin", "print", "builtins.print"),
    ("rebound name is unknown", "import asyncio\nasyncio = None\nasyncio.sleep", None),
    ("relative", "from .store import save\nsave", ".store.save"),
]


@pytest.mark.parametrize(("source", "expected"), [r[1:] for r in QUALIFIED], ids=[r[0] for r in QUALIFIED])
def test_qualified_names(source: str, expected: str | None) -> None:
    module = cst.parse_module(source + "\n")
    sem = Semantic.of(module)
    last = module.body[-1].body[0].value
    assert sem.qualified_name(last) == expected


def test_fresh_names_avoid_every_scope_below() -> None:
    sem = _sem("task = 1\ndef f():\n    task_1 = 2\n    def g():\n        task_2 = 3\n")
    assert sem.fresh_name("task") == "task_3"
    f = sem.binding_in(sem.module_scope, "f").function
    assert sem.fresh_name("task", f.body.body[0]) == "task"
