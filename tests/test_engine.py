"""The engine: bad input, byte-exact writes, crash isolation, overlapping fixes, lazy import."""

from __future__ import annotations

import codecs
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from asynclint import engine
from asynclint.config import Settings
from asynclint.engine import Action, Outcome, Request, lint_text, process
from asynclint.rules.blocking.blocking_sleep import BlockingSleep
from asynclint.runner import Options, run
from asynclint.semantic import Semantic

FIX = Options(fix=True, cache=False)

UNSAFE = Settings(unsafe_fixes=True)
BLOCKING = "import time\n\nasync def main():\n    time.sleep(1)\n"
FIXED = "import asyncio\nimport time\n\nasync def main():\n    await asyncio.sleep(1)\n"


def codes(diagnostics: list) -> list[str]:
    return [d.code for d in diagnostics]


def fix(source: str | bytes, settings: Settings, path: str | None = None) -> Outcome:
    return process(Request(source, settings, path, action=Action.FIX))


def lint(data: bytes, settings: Settings) -> list:
    return process(Request(data, settings)).diagnostics


# -- bad input --------------------------------------------------------------------------------
def test_syntax_error_is_one_aio001_with_cpython_words() -> None:
    (d,) = lint_text("async def f(:\n    pass\n", Settings())
    assert (d.code, d.line) == ("AIO001", 1)
    assert d.message.startswith("syntax error:")


def test_valid_python_libcst_rejects_is_reported_as_such() -> None:
    (d,) = lint_text("(x): int = 1\nasync def f(): pass\n", Settings())
    assert d.code == "AIO001"
    assert "valid Python that libcst cannot parse" in d.message


def test_undecodable_and_binary_files() -> None:
    (d,) = lint(b"x = '\xff\xfe'\nasync def f(): pass\n", Settings())
    assert d.code == "AIO001" and "cannot decode" in d.message
    (d,) = lint(b"\x00\x01binary async def", Settings())
    assert d.code == "AIO001" and "binary" in d.message
    assert fix(b"x = '\xff'\nasync def f(): pass\n", UNSAFE).new is None


def test_aio001_can_be_ignored_per_file() -> None:
    settings = Settings(per_file_ignores=(("broken_*.py", ("AIO001",)),))
    assert lint_text("async def f(:\n", settings, "broken_one.py") == []
    assert codes(lint_text("async def f(:\n", settings, "other.py")) == ["AIO001"]


def test_deeply_nested_code_is_analysed() -> None:
    chain = " + ".join(["time.sleep(1)"] * 600)
    diagnostics = lint_text(f"import time\nasync def f():\n    x = {chain}\n", Settings())
    assert codes(diagnostics) == ["AIO201"] * 600


# -- fixing keeps the file's bytes conventions -------------------------------------------------
def test_fix_keeps_crlf() -> None:
    outcome = fix(BLOCKING.replace("\n", "\r\n").encode(), UNSAFE)
    assert outcome.fixed == 1
    assert outcome.new == FIXED.replace("\n", "\r\n").encode()


def test_fix_keeps_bom() -> None:
    assert fix(codecs.BOM_UTF8 + BLOCKING.encode(), UNSAFE).new == codecs.BOM_UTF8 + FIXED.encode()


def test_fix_keeps_pep263_encoding() -> None:
    source = "# -*- coding: latin-1 -*-\n" + BLOCKING + "NAME = 'café'\n"
    new = fix(source.encode("latin-1"), UNSAFE).new
    assert new is not None
    assert new.decode("latin-1") == "# -*- coding: latin-1 -*-\n" + FIXED + "NAME = 'café'\n"


def test_fix_file_keeps_mode_and_writes_through_symlinks(tmp_path: Path) -> None:
    target = tmp_path / "real.py"
    target.write_text(BLOCKING)
    target.chmod(0o751)
    link = tmp_path / "link.py"
    link.symlink_to(target)
    (result,) = run([str(link)], UNSAFE, FIX)
    assert result.fixed == 1 and result.original == BLOCKING.encode()
    assert link.is_symlink()
    assert target.read_text() == FIXED
    assert stat.S_IMODE(target.stat().st_mode) == 0o751
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".asynclint")] == []


def test_fix_refuses_what_libcst_cannot_reproduce() -> None:
    source = BLOCKING.rstrip("\n") + "\r"  # a final lone CR
    outcome = fix(source, UNSAFE)
    assert outcome.new is None
    assert codes(outcome.diagnostics) == ["AIO003", "AIO201"]  # the file cannot be fixed: not an internal error
    assert not any(d.applicable for d in outcome.diagnostics)


def test_only_safe_fixes_without_unsafe_fixes() -> None:
    assert fix(BLOCKING, Settings()).new is None
    assert fix(BLOCKING, Settings(extend_safe_fixes=("AIO201",))).new == FIXED


def test_outer_fix_wins_and_inner_fix_follows_next_pass() -> None:
    source = "import asyncio, time\n\nasync def main(wrap):\n    asyncio.create_task(wrap(time.sleep(1)))\n"
    outcome = fix(source, UNSAFE)
    assert outcome.fixed == 2 and outcome.new is not None
    assert "task = asyncio.create_task(wrap(await asyncio.sleep(1)))" in outcome.new
    assert "_background_tasks.add(task)" in outcome.new
    assert fix(outcome.new, UNSAFE).new is None


def test_noqa_suppresses_findings_and_their_fixes() -> None:
    lines = [
        "import time",
        "async def main():",
        "    time.sleep(1)  # noqa",
        "    time.sleep(2)  # noqa: AIO201",
        "    time.sleep(3)  # noqa: AIO2",
        "    time.sleep(4)  # noqa: E501",
        "    time.sleep(5)",
    ]
    source = "\n".join(lines) + "\n"
    assert [d.line for d in lint_text(source, Settings())] == [6, 7]
    assert lint_text(source, Settings(), noqa=False)[0].line == 3
    fixed = fix(source, UNSAFE).new
    assert fixed is not None
    assert "time.sleep(1)  # noqa" in fixed and "await asyncio.sleep(5)" in fixed


# -- failures inside asynclint ------------------------------------------------------------------
def test_crashing_rule_is_aio002_and_other_rules_still_report(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(self: BlockingSleep, node: object) -> None:
        raise ValueError("boom")

    monkeypatch.setattr(BlockingSleep, "visit_Call", boom)
    engine._HANDLERS.clear()
    source = "import asyncio, requests, time\nasync def main():\n    requests.get('u')\n    asyncio.create_task(main())\n    time.sleep(1)\n"
    diagnostics = lint_text(source, Settings())
    engine._HANDLERS.clear()
    assert sorted(codes(diagnostics)) == ["AIO002", "AIO101", "AIO202"]
    (crash,) = [d for d in diagnostics if d.code == "AIO002"]
    assert "AIO201" in crash.message and "ValueError: boom" in crash.message


def test_fix_that_does_not_compile_is_reverted(monkeypatch: pytest.MonkeyPatch) -> None:
    # Pretend AIO201 also fires in sync code: its `await` would not compile there.
    monkeypatch.setattr(Semantic, "enclosing_coroutine", lambda self, node: self.module_scope)
    source = "import time\ntime.sleep(1)  # no async def here\n"
    outcome = fix(source, UNSAFE)
    assert outcome.new is None and outcome.fixed == 0
    assert "AIO002" in codes(outcome.diagnostics)


def test_importing_asynclint_does_not_import_libcst() -> None:
    code = (
        "import sys, asynclint, asynclint.cli, asynclint.flake8_plugin, asynclint.registry\n"
        "asynclint.registry.all_rules()\n"
        "print('libcst' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_module_level_insert_goes_after_docstring_and_imports() -> None:
    source = '"""Doc."""\nfrom __future__ import annotations\nimport asyncio\nX = 1\n\nasync def f():\n    asyncio.create_task(f())\n'
    text = fix(source, Settings()).new
    assert text is not None
    assert text.startswith(
        '"""Doc."""\nfrom __future__ import annotations\nimport asyncio\nfrom typing import Any\n\n'
        "_background_tasks: set[asyncio.Task[Any]] = set()\n\nX = 1\n"
    )
    # A second dangling task later reuses the same set.
    again = fix(text + "\nasync def g():\n    asyncio.create_task(f())\n", Settings()).new
    assert again is not None and again.count("_background_tasks: set[asyncio.Task[Any]] = set()") == 1


def test_module_level_insert_goes_after_imports_in_try_blocks() -> None:
    # Imports split by an optional one: the set goes after the last, so none becomes E402.
    source = (
        "import asyncio\ntry:\n    import ssl\nexcept ImportError:\n    ssl = None\n"
        "log = 1\nfrom os import path\n\n\nasync def f():\n    asyncio.create_task(f())\n"
    )
    text = fix(source, Settings()).new
    assert text is not None
    assert "from os import path\n\n_background_tasks: set[asyncio.Task[Any]] = set()\n\n\nasync def f" in text


def test_the_task_set_annotation_is_quoted_before_3_9_and_left_out_when_any_is_taken() -> None:
    source = "import asyncio\n\n\nasync def f():\n    asyncio.create_task(f())\n"
    old = fix(source, Settings(target_version=(3, 8))).new
    assert old is not None and '_background_tasks: "set[asyncio.Task[Any]]" = set()' in old
    taken = fix("Any = object\n" + source, Settings()).new
    assert taken is not None and "_background_tasks = set()" in taken and "typing" not in taken


def test_failed_write_is_an_error_and_leaves_the_file_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "m.py"
    path.write_text(BLOCKING)

    def refuse(src: str, dst: str) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("asynclint.source.os.replace", refuse)
    (result,) = run([str(path)], UNSAFE, FIX)
    assert result.error and "cannot write" in result.error
    assert path.read_text() == BLOCKING
    assert [p.name for p in tmp_path.iterdir()] == ["m.py"]


def test_targeted_positions_equal_libcst_position_provider() -> None:
    import libcst as cst
    from expectations import ROOT

    from asynclint.positions import positions

    sources = [
        *(ROOT / "fixtures").glob("*/*.py"),
        *(ROOT / "tests" / "cases").glob("*.py"),
        *(ROOT / "asynclint").glob("*.py"),
    ]
    sources.append(Path(cst.__file__).with_name("_nodes") / "expression.py")
    for path in sources:
        text = (
            path.read_text(encoding="utf-8").replace("\n", "\r\n")
            if path.name == "engine.py"
            else path.read_text(encoding="utf-8")
        )
        if "asyncio.async(" in text:
            continue  # AIO311's inputs: a syntax error since 3.7, on purpose
        module = cst.parse_module(text)
        wrapper = cst.MetadataWrapper(module, unsafe_skip_copy=True)
        expected = wrapper.resolve(cst.metadata.PositionProvider)
        nodes = list(expected.keys())
        got = positions(module, nodes)
        for node in nodes:
            r = expected[node]
            assert got[node] == (r.start.line, r.start.column, r.end.line, r.end.column), (path, node)


def test_files_that_cannot_have_findings_are_not_parsed() -> None:
    code = (
        "import sys\n"
        "from asynclint.config import Settings\n"
        "from asynclint.engine import Action, Outcome, Request, process\n"
        "assert process(Request(b'def f(:\\n', Settings())) == Outcome([])\n"
        "fix = Request(b'import time\\ntime.sleep(1)\\n', Settings(unsafe_fixes=True), action=Action.FIX)\n"
        "assert process(fix) == Outcome([])\n"
        "print('libcst' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_a_bug_outside_the_rules_is_aio002_not_an_exception(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object) -> None:
        raise KeyError("analysis bug")

    monkeypatch.setattr(engine, "Model", broken)
    assert codes(lint_text(BLOCKING, Settings())) == ["AIO002"]
    outcome = fix(BLOCKING, UNSAFE)
    assert outcome.new is None and codes(outcome.diagnostics) == ["AIO002"]


def test_a_failure_in_a_later_fix_pass_keeps_the_original(monkeypatch: pytest.MonkeyPatch) -> None:
    real = engine._lint_module
    calls = []

    def second_pass_fails(*args: object, **kwargs: object) -> object:
        calls.append(1)
        if len(calls) == 2:
            raise KeyError("bug in pass 2")
        return real(*args, **kwargs)

    monkeypatch.setattr(engine, "_lint_module", second_pass_fails)
    outcome = fix(BLOCKING, UNSAFE)
    assert outcome.new is None and codes(outcome.diagnostics) == ["AIO002"]


def test_fixing_prints_no_syntax_warnings_about_the_users_code() -> None:
    source = BLOCKING + "\nflag = 1 is not 2\n"
    code = f"from asynclint.engine import Action, Request, process\nfrom asynclint.config import Settings\nprocess(Request({source!r}, Settings(unsafe_fixes=True), action=Action.FIX))\n"
    out = subprocess.run([sys.executable, "-W", "default", "-c", code], capture_output=True, text=True, check=True)
    assert out.stderr == ""


def test_one_fix_run_reaches_the_fixed_point_when_a_fix_makes_another_rule_apply() -> None:
    # The file has no `async def` until AIO305's fix writes one; then AIO302 applies, in the same
    # run (aiozmq needed a second run for 8 lines).
    source = (
        "import asyncio\n\n\n@asyncio.coroutine\ndef serve():\n"
        "    loop = asyncio.get_event_loop()\n    yield from asyncio.sleep(0)\n    return loop\n"
    )
    settings = Settings(target_version=(3, 11), unsafe_fixes=True)
    text = fix(source, settings).new
    assert text is not None and "async def serve" in text and "asyncio.get_running_loop()" in text
    assert fix(text, settings).new is None
