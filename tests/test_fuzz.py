"""Property tests: no generated program crashes asynclint, and fixes always converge to valid code.

Derandomized, so CI runs the same examples every time; raise the counts locally with
`ASYNCLINT_FUZZ_EXAMPLES=2000 pytest tests/test_fuzz.py`.
"""

from __future__ import annotations

import os
import textwrap
import warnings

import hypothesmith
import pytest
from expectations import fix
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from asynclint.config import Settings
from asynclint.engine import lint_text

# hypothesmith compiles the programs it generates; their SyntaxWarnings are not ours.
pytestmark = pytest.mark.filterwarnings("ignore::SyntaxWarning")
EXAMPLES = int(os.environ.get("ASYNCLINT_FUZZ_EXAMPLES", "200"))
EVERYTHING = Settings(extend_select=("AIO203",), unsafe_fixes=True)
FUZZ = settings(
    max_examples=EXAMPLES,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large],
)


def _compiles(code: str) -> bool:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            compile(code, "<fuzz>", "exec", dont_inherit=True)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    return True


def _check_properties(code: str) -> None:
    diagnostics = lint_text(code, EVERYTHING)
    assert not [d for d in diagnostics if d.code == "AIO002"], diagnostics
    outcome = fix(code, EVERYTHING)
    assert not [d for d in outcome.diagnostics if d.code == "AIO002"], outcome.diagnostics
    if outcome.new is not None:
        assert _compiles(outcome.new), outcome.new
        assert fix(outcome.new, EVERYTHING).new is None, "fixing again must change nothing"


@pytest.mark.slow
@FUZZ
@given(hypothesmith.from_node())
def test_any_program(code: str) -> None:
    # The prefix makes the byte-level pre-check let every program through to every rule.
    _check_properties("import asyncio  # create_task sleep open\nasync def _prefix():\n    pass\n" + code)


# Real pitfalls and near misses, composed under random nesting, so the fixes get fuzzed too.
SNIPPETS = [
    "asyncio.create_task(work())",
    "aio.ensure_future(work())",
    "spawn(work()).add_done_callback(print)",
    "_ = asyncio.create_task(work())",
    "t = asyncio.create_task(work())",
    "keep.append(asyncio.create_task(work()))",
    "await asyncio.create_task(work())",
    "asyncio.get_running_loop().create_task(work())",
    "[asyncio.create_task(work()) for _ in range(2)]",
    "asyncio.create_task(work()) if flag else None",
    "loop.call_soon(lambda: asyncio.create_task(work()))",
    "time.sleep(0.1)",
    "snooze(0.1)",
    "x = requests.get(url).json()",
    "subprocess.run(['true'], check=True)",
    "data = [time.sleep(0) for _ in range(2)]",
    "total = sum(time.sleep(0) or 1 for _ in range(2))",
    "open(path).read()",
    "await asyncio.to_thread(time.sleep, 1)",
    "task = 1",
    "asyncio = None",
    "print(task, _background_tasks)",
]
WRAPPERS = [
    "{}",
    "if flag:\n{}",
    "for item in range(3):\n{}",
    "with ctx:\n{}",
    "try:\n{}\nexcept Exception:\n    pass",
    "def inner():\n{}",
    "async def inner():\n{}",
    "class Inner:\n{}",
    "while flag:\n{}\n    break",
]
HEADER = (
    "import asyncio\nimport asyncio as aio\nimport subprocess\nimport time\nfrom asyncio import create_task as spawn\n"
    "from time import sleep as snooze\nimport requests\n\nasync def work():\n    pass\n\n"
)


@st.composite
def _block(draw: st.DrawFn, depth: int = 0) -> str:
    lines = []
    for _ in range(draw(st.integers(1, 4))):
        if depth < 3 and draw(st.booleans()):
            inner = draw(_block(depth + 1))
            lines.append(draw(st.sampled_from(WRAPPERS)).format(textwrap.indent(inner, "    ")))
        else:
            lines.append(draw(st.sampled_from(SNIPPETS)))
    return "\n".join(lines)


@st.composite
def _module(draw: st.DrawFn) -> str:
    body = draw(_block())
    kind = draw(
        st.sampled_from(
            ["async def main(flag, ctx, url, path, keep, loop):\n", "def main(flag, ctx, url, path, keep, loop):\n", ""]
        )
    )
    return HEADER + (kind + textwrap.indent(body, "    ") if kind else body) + "\n"


@FUZZ
@given(_module())
def test_asyncio_programs(code: str) -> None:
    if not _compiles(code):  # e.g. `await` in a plain def: not what the linter is for
        return
    _check_properties(code)
    # The fixes leave nothing they could fix behind: only unfixable findings may remain.
    outcome = fix(code, EVERYTHING)
    assert all(not d.applicable for d in outcome.diagnostics), outcome.diagnostics
