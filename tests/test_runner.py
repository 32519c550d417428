"""The runner at repository scale: crash-proof pool, stable order, cache, excludes, bad inputs."""

from __future__ import annotations

import importlib.util
import json
import multiprocessing
import subprocess
import sys
import time
from pathlib import Path

import pytest

from asynclint import runner
from asynclint.config import Settings
from asynclint.discovery import collect_files
from asynclint.runner import Options, run

BLOCKING = "import time\n\n\nasync def main():\n    time.sleep(1)\n"


def _misbehave(path: str, data: bytes, settings: Settings, fix: bool, *rest: object) -> object:
    name = Path(path).name
    if name.startswith("segv"):
        import ctypes
        import faulthandler

        # pytest's faulthandler writes to the terminal, past output capture: send the report to
        # a file beside the input instead, for the test to read.
        faulthandler.enable(open(Path(path).with_suffix(".fault"), "w"))
        ctypes.string_at(0)  # a real segmentation fault in the worker
    if name.startswith("hang"):
        time.sleep(600)
    if name.startswith("raise"):
        raise LookupError("a bug outside the engine")
    if name.startswith("memory"):
        raise MemoryError
    if name.startswith("slow"):
        time.sleep(0.5)
    return ORIGINAL_WORK(path, data, settings, fix, *rest)


ORIGINAL_WORK = runner._work
PACKAGE = str(Path(runner.__file__).resolve().parent)


@pytest.fixture
def misbehaving_workers(monkeypatch: pytest.MonkeyPatch) -> None:
    if "fork" not in multiprocessing.get_all_start_methods():
        pytest.skip("needs fork to hand the patched worker to the pool")
    monkeypatch.setattr(runner, "_work", _misbehave)
    monkeypatch.setattr(runner, "_context", lambda: multiprocessing.get_context("fork"))


def test_dead_hung_and_failing_workers_are_replaced(tmp_path: Path, misbehaving_workers: None) -> None:
    names = ["a.py", "segv.py", "b.py", "hang.py", "c.py", "raise.py", "d.py", "memory.py"]
    for name in names:
        (tmp_path / name).write_text(BLOCKING)
    files = [str(tmp_path / n) for n in names]
    results = run(files, Settings(), Options(jobs=2, timeout=2, cache=False))
    assert [Path(r.path).name for r in results] == names
    by_name = {Path(r.path).name: r for r in results}
    for good in ("a.py", "b.py", "c.py", "d.py"):
        assert [d.code for d in by_name[good].diagnostics] == ["AIO201"]
    (segv,) = by_name["segv.py"].diagnostics
    assert segv.code == "AIO002" and "SIGSEGV" in segv.message
    assert "Fatal Python error: Segmentation fault" in (tmp_path / "segv.fault").read_text()
    (hang,) = by_name["hang.py"].diagnostics
    assert hang.code == "AIO002" and "per-file limit of 2 s" in hang.message
    (failed,) = by_name["raise.py"].diagnostics
    assert failed.code == "AIO002" and "LookupError: a bug outside the engine" in failed.message
    (memory,) = by_name["memory.py"].diagnostics  # out of memory is the file's size, not a bug: AIO001
    assert memory.code == "AIO001" and "GB of memory" in memory.message


def test_results_keep_input_order_whatever_finishes_first(tmp_path: Path, misbehaving_workers: None) -> None:
    names = ["slow1.py", "a.py", "slow2.py", "b.py", "c.py"]
    for name in names:
        (tmp_path / name).write_text(BLOCKING)
    results = run([str(tmp_path / n) for n in names], Settings(), Options(jobs=2, cache=False))
    assert [Path(r.path).name for r in results] == names


BAD_INPUTS = {
    "libcst_rejects.py": "async def f(): pass\n(x): int = 1\n",
    "syntax_error.py": "async def f(:\n",
    "long_expression.py": "async def f(): pass\nx = " + " + ".join(["a"] * 20000) + "\n",
    "deep_chain.py": "async def f(): pass\nx = a" + ".b" * 3000 + "\n",
    "nested_parens.py": "async def f(): pass\nx = " + "(" * 1500 + "1" + ")" * 1500 + "\n",
    "trailing_space_line.py": BLOCKING + "   ",
    "lone_cr.py": BLOCKING.rstrip("\n") + "\r",
}
BAD_BYTES = {"undecodable.py": b"async def f(): pass\nx = '\xff\xfe'\n", "binary.py": b"async def\x00\x01\x02"}


def _bad_tree(root: Path) -> dict[str, bytes]:
    for name, text in BAD_INPUTS.items():
        (root / name).write_bytes(text.encode())
    for name, data in BAD_BYTES.items():
        (root / name).write_bytes(data)
    (root / "normal.py").write_text(BLOCKING)
    (root / "dangling.py").write_text("import asyncio\n\n\nasync def main():\n    asyncio.create_task(main())\n")
    return {p.name: p.read_bytes() for p in root.iterdir()}


def test_bad_inputs_end_to_end(tmp_path: Path) -> None:
    before = _bad_tree(tmp_path)
    command = [sys.executable, "-m", "asynclint"]
    out = subprocess.run(
        [*command, "check", ".", "--format", "json", "--no-cache"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert "Traceback" not in out.stderr
    found = json.loads(out.stdout)
    per_file: dict[str, list[str]] = {}
    for d in found:
        per_file.setdefault(d["path"], []).append(d["code"])
    # 1,500 nested parentheses: CPython refuses more than 200, so it is a syntax error before libcst sees it.
    for name in (
        "libcst_rejects.py",
        "syntax_error.py",
        "long_expression.py",
        "undecodable.py",
        "binary.py",
        "nested_parens.py",
    ):
        assert per_file[name] == ["AIO001"], name
    assert per_file["normal.py"] == ["AIO201"] and per_file["dangling.py"] == ["AIO101"]
    assert per_file["trailing_space_line.py"] == ["AIO201"] and per_file["lone_cr.py"] == ["AIO201"]
    assert "deep_chain.py" not in per_file  # analysed, nothing to report

    fixed = subprocess.run(
        [*command, "fix", "--unsafe-fixes", ".", "--no-cache"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert "Traceback" not in fixed.stderr
    assert fixed.returncode == 1  # lone_cr.py cannot be reproduced by libcst: AIO003, untouched
    after = {p.name: p.read_bytes() for p in tmp_path.iterdir() if p.suffix == ".py"}
    for name in (*BAD_INPUTS, *BAD_BYTES):
        if name != "trailing_space_line.py":
            assert after[name] == before[name], name
    assert b"await asyncio.sleep(1)" in after["normal.py"]
    assert b"await asyncio.sleep(1)" in after["trailing_space_line.py"]
    compile(after["trailing_space_line.py"], "t", "exec")

    # Two inputs break flake8 before or beside our plugin, whatever --select says: its own
    # ast.parse of the 3,000-deep chain (RecursionError during ast construction) and pyflakes on
    # the 20,000-term expression. Each is run alone: any failure must not come from asynclint.
    # flake8-async, where installed beside us, parses with libcst and fails (taking flake8's whole
    # run down) on valid Python that libcst rejects: that file is then left out of the shared run.
    flake8 = [sys.executable, "-m", "flake8", "--select", "AIO,E999"]
    breaking = ("deep_chain.py", "long_expression.py")
    libcst_peer = importlib.util.find_spec("flake8_async") is not None
    left_out = (*breaking, "libcst_rejects.py") if libcst_peer else breaking
    rest = subprocess.run(
        [*flake8, "--extend-exclude", ",".join(left_out), "."],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert "Traceback" not in rest.stderr and "failed during execution" not in rest.stderr, rest.stderr
    codes = {(Path(line.split(":")[0]).name, line.split()[1]) for line in rest.stdout.splitlines()}
    assert {("syntax_error.py", "E999"), ("lone_cr.py", "AIO201")} <= codes
    assert libcst_peer or ("libcst_rejects.py", "AIO001") in codes
    for name in breaking:
        alone = subprocess.run([*flake8, name], cwd=tmp_path, capture_output=True, text=True, timeout=600)
        # Not a frame of ours (by the package's path: the checkout itself may be named asynclint).
        assert PACKAGE not in alone.stderr and "AIO" not in alone.stderr, alone.stderr


def test_cache_skips_unchanged_files_and_sees_changes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "m.py"
    path.write_text(BLOCKING)
    monkeypatch.chdir(tmp_path)
    first = run([str(path)], Settings(), Options(jobs=1))
    cache = tmp_path / ".asynclint_cache"
    assert (cache / "CACHEDIR.TAG").read_text().startswith("Signature: 8a477f597d28d172789f06886806bc55")
    assert (cache / ".gitignore").read_text() == "*\n"

    def no_analysis(*args: object) -> object:
        raise AssertionError("an unchanged file was analysed again")

    monkeypatch.setattr(runner, "_pool", no_analysis)
    assert run([str(path)], Settings(), Options(jobs=1)) == first
    monkeypatch.undo()
    monkeypatch.chdir(tmp_path)
    path.write_text(BLOCKING + "\nasync def other():\n    time.sleep(2)\n")
    assert len(run([str(path)], Settings(), Options(jobs=1))[0].diagnostics) == 2
    # Other settings get their own entries.
    assert run([str(path)], Settings(ignore=("AIO201",)), Options(jobs=1))[0].diagnostics == []


def test_no_cache_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "m.py").write_text(BLOCKING)
    monkeypatch.chdir(tmp_path)
    run([str(tmp_path / "m.py")], Settings(), Options(jobs=1, cache=False))
    assert not (tmp_path / ".asynclint_cache").exists()


def test_excludes(tmp_path: Path) -> None:
    for directory in ("src", "src/generated", "build"):
        (tmp_path / directory).mkdir(parents=True, exist_ok=True)
        (tmp_path / directory / "m.py").write_text(BLOCKING)
    settings = Settings(root=str(tmp_path), extend_exclude=("generated", "build/*.py"))
    files = collect_files([str(tmp_path)], settings).files
    assert sorted(Path(f).relative_to(tmp_path).as_posix() for f in files) == ["src/m.py"]
    named = str(tmp_path / "build" / "m.py")
    assert collect_files([named], settings).files == [named]
    forced = Settings(root=str(tmp_path), extend_exclude=("build/*.py",), force_exclude=True)
    assert collect_files([named], forced).files == []


def test_a_project_under_a_folder_named_like_an_exclude_is_still_checked(tmp_path: Path) -> None:
    project = tmp_path / "dist" / "project"
    project.mkdir(parents=True)
    (project / "m.py").write_text(BLOCKING)
    assert collect_files([str(project)], Settings(root=str(project))).files == [str(project / "m.py")]
