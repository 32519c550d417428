"""The flake8 plugin through the real `flake8` command.

Other flake8 plugins may be installed beside ours (the `dev` extra installs flake8-bugbear): the
tests compare only the codes they are about, and the one test on files another plugin may crash
on (flake8-async does on files libcst rejects) runs flake8 with our plugin and its own checkers only.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from expectations import ROOT

BLOCKING = "import time\n\n\nasync def main():\n    time.sleep(1)\n"
# flake8 itself, with every plugin but ours and its own checkers filtered out of its plugin finder.
ALONE = (
    "import sys, flake8.plugins.finder as finder; found = finder.find_plugins; "
    "finder.find_plugins = lambda *a: [p for p in found(*a) if p.package in ('flake8', 'pyflakes', 'pycodestyle', 'asynclint')]; "
    "from flake8.main.cli import main; sys.argv[0] = 'flake8'; main()"
)


def flake8(*args: str, cwd: Path, alone: bool = False) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-c", ALONE] if alone else [sys.executable, "-m", "flake8"]
    return subprocess.run([*command, "--no-show-source", *args], cwd=cwd, capture_output=True, text=True, timeout=300)


def parse(output: str, prefixes: tuple[str, ...] = ("AIO",)) -> set[tuple[str, int, int, str]]:
    """Findings whose code has one of `prefixes` (other plugins' codes are not ours to check)."""
    found = set()
    for line in output.splitlines():
        path, row, col, rest = line.split(":", 3)
        code = rest.split()[0]
        if code.startswith(prefixes):
            found.add((Path(path).as_posix(), int(row), int(col), code))
    return found


def test_flake8_and_cli_agree_on_the_fixtures() -> None:
    out = flake8("--select", "AIO", "fixtures", cwd=ROOT)
    assert out.returncode == 1, out.stderr
    cli = subprocess.run(
        [sys.executable, "-m", "asynclint", "check", "fixtures", "--format", "json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    ours = {(d["path"], d["line"], d["column"], d["code"]) for d in json.loads(cli.stdout)}
    # flake8 runs no plugin on a file Python cannot parse (its E999): AIO311's fixture, whose
    # `asyncio.async(...)` only asynclint's token pre-step reads, is the CLI's alone.
    before_the_parse = {row for row in ours if row[0].startswith("fixtures/AIO311_")}
    assert before_the_parse
    assert ours and parse(out.stdout) == ours - before_the_parse


def test_config_file_options_and_noqa(tmp_path: Path) -> None:
    (tmp_path / "m.py").write_text(
        "import time\nimport mydb\n\n\nasync def main():\n"
        "    time.sleep(1)\n    mydb.query()\n    time.sleep(2)  # noqa: AIO201\n"
    )
    (tmp_path / ".flake8").write_text(
        "[flake8]\nasynclint-blocking-calls = mydb.query, other.call\nasynclint-target-version = py311\n"
    )
    found = parse(flake8("--select", "AIO", "m.py", cwd=tmp_path).stdout)
    assert found == {("m.py", 6, 5, "AIO201"), ("m.py", 7, 5, "AIO202")}
    # Codes pass flake8's validation in config files.
    (tmp_path / ".flake8").write_text(
        "[flake8]\nextend-ignore = AIO202,AIO302\nasynclint-blocking-calls = mydb.query\n"
    )
    out = flake8("--select", "AIO", "m.py", cwd=tmp_path)
    assert parse(out.stdout) == {("m.py", 6, 5, "AIO201")}, out.stderr


def test_bad_target_version_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "m.py").write_text(BLOCKING)
    out = flake8("--select", "AIO", "--asynclint-target-version", "3.11", "m.py", cwd=tmp_path)
    assert out.returncode != 0 and "expected a version like 'py310'" in out.stderr


def test_unparseable_files_do_not_crash_flake8(tmp_path: Path) -> None:
    (tmp_path / "rejected.py").write_text("async def f(): pass\n(x): int = 1\n")
    (tmp_path / "broken.py").write_text("def f(:\n")
    (tmp_path / "m.py").write_text(BLOCKING)
    # flake8-async, for one, fails on the file libcst rejects, and flake8 then reports nothing.
    out = flake8("--select", "AIO,E999", ".", cwd=tmp_path, alone=True)
    assert "Traceback" not in out.stderr
    codes = {(Path(p).name, code) for p, _, _, code in parse(out.stdout, ("AIO", "E999"))}
    assert codes == {("rejected.py", "AIO001"), ("broken.py", "E999"), ("m.py", "AIO201")}


def test_parallel_jobs(tmp_path: Path) -> None:
    for i in range(6):
        (tmp_path / f"m{i}.py").write_text(BLOCKING)
    out = flake8("--select", "AIO", "-j", "2", ".", cwd=tmp_path)
    assert len(parse(out.stdout)) == 6, out.stderr


def test_opt_in_rules_need_their_full_code(tmp_path: Path) -> None:
    (tmp_path / "m.py").write_text("async def load(path):\n    return open(path).read()\n")
    assert parse(flake8("m.py", cwd=tmp_path).stdout) == set()
    assert parse(flake8("--select", "AIO", "m.py", cwd=tmp_path).stdout) == set()
    expected = {("m.py", 2, 12, "AIO203")}
    assert parse(flake8("--select", "AIO203", "m.py", cwd=tmp_path).stdout) == expected
    assert parse(flake8("--extend-select", "AIO203", "m.py", cwd=tmp_path).stdout) == expected


def test_test_paths_apply_under_flake8(tmp_path: Path) -> None:
    """The blocking-call family skips test files under flake8 as in the CLI (`test-paths`)."""
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_m.py").write_text(BLOCKING)
    (tmp_path / "m.py").write_text(BLOCKING)
    assert parse(flake8("--select", "AIO", ".", cwd=tmp_path).stdout) == {("m.py", 5, 5, "AIO201")}
    (tmp_path / "pyproject.toml").write_text("[tool.asynclint]\ntest-paths = []\n")
    found = parse(flake8("--select", "AIO", ".", cwd=tmp_path).stdout)
    assert found == {("m.py", 5, 5, "AIO201"), ("tests/test_m.py", 5, 5, "AIO201")}
