"""What the result cache promises: it never lies and never breaks a run.

- A file edited while `check` runs is analysed again by the next run: the entry keeps the stat
  taken before the bytes were read, never one taken after.
- git's racy rule: a stat signature whose times are within 2 s of when it was taken never answers
  without reading the file, so an edit of the same size in the same timestamp tick is seen; an
  older one does answer by stat alone.
- A result that depends on other project modules (AIO4xx reads them) is reused by the next run
  even when those modules were written just before (a fresh checkout): a racy dependency is
  checked by the hash of the bytes the worker read, so only a real change of it is a miss.
- A corrupted cache (any entry of the wrong shape or types, deep nesting, bytes that are not JSON,
  a FIFO in its place) is a miss or an empty cache: never a traceback, never a hang, never a
  wrong result, and the next run repairs it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any, cast

import pytest

from asynclint import engine, runner
from asynclint.cache import RACY, RACY_NS, signature
from asynclint.config import Settings
from asynclint.rule import Rule
from asynclint.runner import Options, run

SOURCE = "import asyncio\nimport time\n\n\nasync def main():\n    loop = asyncio.get_event_loop()\n    time.sleep(1)\n    return loop\n"
FINDINGS = ["AIO302", "AIO201"]
# The same size, other findings: only AIO201.
SAME_SIZE = SOURCE.replace("asyncio.get_event_loop()", "asyncio.xet_event_loop()")
assert len(SAME_SIZE) == len(SOURCE)


def found(path: Path) -> list[str]:
    (result,) = run([str(path)], Settings(), Options(jobs=1))
    return [d.code for d in result.diagnostics]


def entry(directory: Path) -> list[Any]:
    (file,) = (directory / ".asynclint_cache").glob("*.json")
    return cast(list[Any], json.loads(file.read_text())[os.path.join(os.path.realpath(directory), "m.py")])


# ------------------------------------------------------------------------------ racy dependencies
USES_STORE = "from shop.store import save\n\n\nasync def main():\n    save(1)\n"
STORE = "async def save(n):\n    return n\n"
# The same size: `save` is no longer a coroutine function, so AIO401 goes away.
PLAIN_STORE = "def       save(n):\n    return n\n"
assert len(PLAIN_STORE) == len(STORE)


def _project(root: Path) -> Path:
    (root / "shop").mkdir()
    (root / "shop" / "__init__.py").write_text("")
    (root / "shop" / "store.py").write_text(STORE)
    (root / "shop" / "app.py").write_text(USES_STORE)
    return root / "shop" / "app.py"


def test_a_fresh_checkouts_dependencies_do_not_force_a_second_analysis(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    app = _project(tmp_path)  # every file just written: all signatures racy
    assert found(app) == ["AIO401"]

    def no_analysis(*args: object) -> object:
        raise AssertionError("analysed again: the cached result should have answered")

    monkeypatch.setattr(runner, "_pool", no_analysis)
    assert found(app) == ["AIO401"]


def test_a_racy_dependency_changed_in_the_same_tick_is_a_miss(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    app = _project(tmp_path)
    store = tmp_path / "shop" / "store.py"
    assert found(app) == ["AIO401"]
    before = store.stat()
    store.write_text(PLAIN_STORE)  # same size, and the same mtime, as within one coarse tick
    os.utime(store, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert found(app) == []


# ------------------------------------------------------------------------------ stale results
def test_an_edit_made_while_check_runs_is_seen_by_the_next_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "m.py"
    path.write_text(SOURCE)
    real = engine.select_rules

    def edit_after_reading(settings: Settings, name: str | None, data: bytes) -> tuple[type[Rule], ...]:
        path.write_text("x = 1\n")  # the user saves right after asynclint read the file
        return real(settings, name, data)

    monkeypatch.setattr(engine, "select_rules", edit_after_reading)
    assert found(path) == FINDINGS  # the bytes that were read
    monkeypatch.setattr(engine, "select_rules", real)
    assert found(path) == []
    assert found(path) == []


def test_a_same_size_edit_with_the_same_mtime_is_seen(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "m.py"
    path.write_text(SOURCE)
    assert found(path) == FINDINGS
    before = path.stat()
    path.write_text(SAME_SIZE)  # within one timestamp tick of a coarse filesystem, as it were
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert found(path) == ["AIO201"]


def test_racy_signatures_never_answer_by_stat_and_old_ones_do(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    now = 1_700_000_000 * 10**9
    for mtime, ctime, expected in [
        (now - RACY_NS - 1, now - RACY_NS - 1, [10, now - RACY_NS - 1, now - RACY_NS - 1, 7]),
        (now - RACY_NS + 1, now - 60 * 10**9, RACY),
        (now - 60 * 10**9, now - 1, RACY),  # a chmod or a restored mtime still counts
        (now + 10**9, now + 10**9, RACY),  # a clock behind the filesystem's
    ]:
        stat = SimpleNamespace(st_size=10, st_mtime_ns=mtime, st_ctime_ns=ctime, st_ino=7)
        assert signature(cast(os.stat_result, stat), now) == expected

    monkeypatch.chdir(tmp_path)
    path = tmp_path / "m.py"
    path.write_text(SOURCE)
    assert found(path) == FINDINGS
    assert entry(tmp_path)[2] == RACY  # just written
    reads: list[str] = []
    real_read = runner.read_file

    def counted(name: str) -> tuple[bytes, os.stat_result]:
        reads.append(name)
        return real_read(name)

    monkeypatch.setattr(runner, "read_file", counted)
    assert found(path) == FINDINGS and len(reads) == 1  # racy: read again (and hashed)
    real_time = runner.time.time_ns
    monkeypatch.setattr(runner.time, "time_ns", lambda: real_time() + 10 * RACY_NS)  # seconds later
    assert found(path) == FINDINGS and len(reads) == 2
    assert entry(tmp_path)[2] != RACY
    assert found(path) == FINDINGS and len(reads) == 2  # answered by stat alone


# ------------------------------------------------------------------------------ corrupted caches
def _with(index: int, value: Any) -> Callable[[list[Any]], Any]:
    return lambda good: [value if i == index else part for i, part in enumerate(good)]


def _row(column: int, value: Any) -> Callable[[list[Any]], Any]:
    return lambda good: [
        good[0],
        [[value if i == column else v for i, v in enumerate(good[1][0])], *good[1][1:]],
        *good[2:],
    ]


DEEP = 100_000
# (name, the whole file's bytes, KEY standing for m.py's key) or (name, m.py's entry made from the good one)
WHOLE: list[tuple[str, bytes]] = [
    ("not JSON", b"{"),
    ("empty", b""),
    ("not UTF-8", b'\xff\xfe{"a": 1}'),
    ("a list", b"[]"),
    ("an integer", b"7"),
    ("null", b"null"),
    ("deeply nested", b"[" * DEEP + b"]" * DEEP),
    ("a 5000-digit integer", b"1" * 5000),
    ("a deeply nested entry", b"{KEY: " + b"[" * DEEP + b"]" * DEEP + b"}"),
]
ENTRIES: list[tuple[str, Callable[[list[Any]], Any]]] = [
    ("an object", lambda good: {"hash": good[0]}),
    ("an integer", lambda good: 3),
    ("null", lambda good: None),
    ("a string", lambda good: "entry"),
    ("too short", lambda good: good[:1]),
    ("too long", lambda good: [*good, []]),
    ("nested rows", lambda good: [good[0], [[good[1]]], *good[2:]]),
    ("a hash that is a number", _with(0, 12)),
    ("rows an integer", _with(1, 5)),
    ("a row that is an object", _with(1, [{"code": "AIO302"}])),
    ("a row too short", _with(1, [["AIO302", "name"]])),
    ("a line that is a string", _row(3, "6")),
    ("a code that is null", _row(0, None)),
    ("a column that is a float", _row(4, 1.5)),
    ("a line that is a boolean", _row(3, True)),
    ("applicable that is a number", _row(9, 1)),
    ("a stat of the wrong shape", _with(2, [1, 2])),
    ("a stat of strings", _with(2, ["a", "b", "c", "d"])),
    ("a stat that is an object", _with(2, {"size": 1})),
    ("dependencies an integer", _with(3, 5)),
    ("a dependency that is no pair", _with(3, [["time.py"]])),
    ("a dependency path that is a number", _with(3, [[1, None]])),
    ("a dependency stat that is a string", _with(3, [["time.py", "yesterday"]])),
]


@pytest.fixture(scope="module")
def good(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, list[Any]]:
    """The cache file's name and m.py's entry, from a real run."""
    directory = tmp_path_factory.mktemp("good")
    (directory / "m.py").write_text(SOURCE)
    assert asynclint(directory).returncode == 1
    (file,) = (directory / ".asynclint_cache").glob("*.json")
    return file.name, entry(directory)


def asynclint(cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "asynclint", "check", "-j", "1", "m.py"],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=600,
    )


def assert_checked_twice(directory: Path) -> None:
    for _ in range(2):
        out = asynclint(directory)
        assert out.returncode == 1 and out.stderr == "", out
        assert [line.split()[1] for line in out.stdout.splitlines() if line.startswith("m.py:")] == FINDINGS


@pytest.mark.parametrize("name, raw", WHOLE, ids=[name for name, _ in WHOLE])
def test_a_cache_file_that_cannot_be_parsed_is_empty(
    tmp_path: Path, good: tuple[str, list[Any]], name: str, raw: bytes
) -> None:
    (tmp_path / "m.py").write_text(SOURCE)
    (tmp_path / ".asynclint_cache").mkdir()
    key = json.dumps(os.path.join(os.path.realpath(tmp_path), "m.py")).encode()
    (tmp_path / ".asynclint_cache" / good[0]).write_bytes(raw.replace(b"KEY", key))
    assert_checked_twice(tmp_path)


@pytest.mark.parametrize("name, make", ENTRIES, ids=[name for name, _ in ENTRIES])
def test_a_bad_entry_is_a_miss(
    tmp_path: Path, good: tuple[str, list[Any]], name: str, make: Callable[[list[Any]], Any]
) -> None:
    (tmp_path / "m.py").write_text(SOURCE)
    (tmp_path / ".asynclint_cache").mkdir()
    key = os.path.join(os.path.realpath(tmp_path), "m.py")
    entries = {key: make(good[1]), "/elsewhere.py": 1}
    (tmp_path / ".asynclint_cache" / good[0]).write_text(json.dumps(entries))
    assert_checked_twice(tmp_path)


def test_a_fifo_in_place_of_the_cache_file_is_an_empty_cache(tmp_path: Path, good: tuple[str, list[Any]]) -> None:
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs here")
    (tmp_path / "m.py").write_text(SOURCE)
    (tmp_path / ".asynclint_cache").mkdir()
    os.mkfifo(tmp_path / ".asynclint_cache" / good[0])
    assert_checked_twice(tmp_path)
