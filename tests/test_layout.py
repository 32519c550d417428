"""What fixes write: the line length read from the project's own tools' configuration, the
lines a fix wrote wrapped as ruff format wraps them, and added imports that keep ruff's I001
clean (checked with the real ruff of the dev environment)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from expectations import fix, load_manifest, settings_for

from asynclint.config import ConfigError, Settings, line_length_for, line_length_near, settings_from_table
from asynclint.layout import wrap_line, wrap_written

CASES = Path(__file__).parent / "cases"
RUFF = shutil.which("ruff", path=str(Path(sys.executable).parent)) or shutil.which("ruff")


def ruff(*args: str, stdin: str | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    if RUFF is None:
        pytest.fail("ruff is a dev dependency: pip install -e '.[dev]'")
    return subprocess.run([RUFF, *args], input=stdin, capture_output=True, text=True, cwd=cwd, check=False)


# ------------------------------------------------------------------------------ line length
@pytest.mark.parametrize(
    ("files", "expected"),
    [
        ({}, (88, "default")),
        ({"ruff.toml": "line-length = 100\n"}, (100, "ruff.toml")),
        ({".ruff.toml": "[lint]\nselect = ['E']\n"}, (88, ".ruff.toml")),
        ({"pyproject.toml": "[tool.ruff]\nline-length = 110\n"}, (110, "pyproject.toml [tool.ruff]")),
        ({"pyproject.toml": "[tool.black]\nline-length = 99\n"}, (99, "pyproject.toml [tool.black]")),
        ({"pyproject.toml": "[project]\nname = 'x'\n"}, (88, "default")),
        ({"setup.cfg": "[flake8]\nmax-line-length = 120\n"}, (120, "setup.cfg")),
        ({"tox.ini": "[flake8]\nmax_line_length = 95\n"}, (95, "tox.ini")),
        # flake8's own default when its section says nothing (asyncpg's .flake8).
        ({".flake8": "[flake8]\nselect = C90,E,F,W\n"}, (79, ".flake8")),
        # ... unless E501 is off, and then flake8 enforces no length.
        ({".flake8": "[flake8]\nignore = E203,E501\n"}, (88, "default")),
        ({"setup.cfg": "[pycodestyle]\nmax-line-length = 100\n"}, (100, "setup.cfg")),
        # Several tools in one directory: the smallest limit satisfies them all.
        (
            {"pyproject.toml": "[tool.black]\nline-length = 100\n", "setup.cfg": "[flake8]\nmax-line-length = 90\n"},
            (90, "setup.cfg"),
        ),
        ({"pyproject.toml": "not toml ["}, (88, "default")),
        ({"setup.cfg": "[flake8\nbroken"}, (88, "default")),
        ({"pyproject.toml": "[tool.ruff]\nline-length = 'long'\n"}, (88, "pyproject.toml [tool.ruff]")),
    ],
)
def test_line_length_near(tmp_path: Path, files: dict[str, str], expected: tuple[int, str]) -> None:
    root = tmp_path / "project"
    (root / "pkg").mkdir(parents=True)
    for name, text in files.items():
        (root / name).write_text(text)
    assert line_length_near(str(root / "pkg")) == expected


def test_the_nearest_configuration_wins(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.ruff]\nline-length = 120\n")
    inner = tmp_path / "sub"
    inner.mkdir()
    (inner / "ruff.toml").write_text("line-length = 72\n")
    assert line_length_near(str(inner)) == (72, "ruff.toml")
    assert line_length_for(Settings(), str(inner / "x.py")) == 72
    assert line_length_for(Settings(line_length=200), str(inner / "x.py")) == 200


def test_asynclint_line_length_setting() -> None:
    assert settings_from_table({"line-length": 100}, {}, None).line_length == 100
    for bad in ("100", 0, True, 5000):
        with pytest.raises(ConfigError, match="line-length"):
            settings_from_table({"line-length": bad}, {}, None)


# ------------------------------------------------------------------------------ wrapping
LONG_LINES = [
    "            tasks.append(asyncio.create_task(self._connect_sentinel(addr, timeout, pools)))",
    "        self._tasks.add(asyncio.create_task(self._connect_sentinel(address_one, timeout_value, pools_list, extra)))",
    "        x = d[asyncio.create_task(self._connect_sentinel(address_one, timeout_value, pools_list))]",
    "        self._background_tasks_for_connection.add(asyncio.get_running_loop().create_task(coro))",
    "        result = await asyncio.wait_for(self._protocol.query(query, args, limit, timeout), timeout=timeout)",
    "    async def connect(self, host, port, *, loop=None, timeout=None, ssl=None, server_hostname=None):",
    "    task = asyncio.create_task(self.handler(request, response, connection, protocol_version, t))  # why",
    '        await asyncio.to_thread(subprocess.run, ["git", "clone", repository, destination], check=True)',
]


@pytest.mark.parametrize("line", LONG_LINES)
@pytest.mark.parametrize("limit", [79, 88])
def test_wrap_is_what_ruff_format_writes(line: str, limit: int) -> None:
    code = line.strip()
    if code.startswith(("def ", "async def ")):
        source = f"class A:\n    {code}\n        pass\n"
    else:
        source = f"class A:\n    async def f(self):\n        {code}\n"
    formatted = ruff("format", "--isolated", "--line-length", str(limit), "-", stdin=source)
    assert formatted.returncode == 0, formatted.stderr
    assert wrap_written("", source, limit) == formatted.stdout


def test_a_long_from_import_is_wrapped_as_isort_does() -> None:
    line = "from typing import TYPE_CHECKING, Any, Callable, Dict, Iterable, List, Optional, Sequence, cast\n"
    sorted_ = ruff("check", "--isolated", "--select", "I001", "--fix", "--exit-zero", "-", stdin=line)
    assert wrap_written("", line, 88) == sorted_.stdout
    assert wrap_line("from m import *" + " " * 90, 88) is None


def test_only_the_lines_the_fix_wrote_are_wrapped() -> None:
    before = "x = call(aaaaaaaaaaaaaaaaaaaaa, bbbbbbbbbbbbbbbbbbbbbbbbbbbbb, ccccccccccccccccccccccc)\ny = 1\n"
    after = before.replace(
        "y = 1", "y = call(aaaaaaaaaaaaaaaaaaaaa, bbbbbbbbbbbbbbbbbbbbbbbbbbbbb, ccccccccccccccccccc)"
    )
    wrapped = wrap_written(before, after, 79)
    assert wrapped.startswith(before.splitlines()[0] + "\n")
    assert wrapped.splitlines()[1:] == [
        "y = call(",
        "    aaaaaaaaaaaaaaaaaaaaa, bbbbbbbbbbbbbbbbbbbbbbbbbbbbb, ccccccccccccccccccc",
        ")",
    ]


@pytest.mark.parametrize(
    "line",
    [
        "task = loop.create_task(self.handler(request, response, connection, version))  # noqa: F841",
        "task = loop.create_task(self.handler(request, response, connection, version))  # type: ignore[x]",
        "task = aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb",
        "text = 'a string with (brackets) that is long enough to go past the limit of the line here'",
        "call(one,",
        "if other: task = asyncio.create_task(work(aaaaaaaaaaaaaaaa)); _background_tasks.add(task)",
        "async def main(argument_one, argument_two): return await other(argument_one, argument_two)",
    ],
)
def test_lines_that_are_not_wrapped(line: str) -> None:
    assert wrap_line(line, 60) is None


def test_a_wrap_that_would_change_the_code_is_not_made() -> None:
    # Inside a triple-quoted string a "line" is text: splitting it would change the string.
    before = 'X = """\n"""\n'
    after = 'X = """\nfoo(aaaaaaaaaaaaaaaaaaaaaaaaaaaaa, bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb)\n"""\n'
    assert wrap_written(before, after, 60) == after


def test_fix_wraps_at_the_project_line_length(tmp_path: Path) -> None:
    (tmp_path / ".flake8").write_text("[flake8]\nselect = E,F,W\n")  # asyncpg's: flake8's 79
    path = tmp_path / "connection.py"
    source = (
        "import asyncio\n\n\nclass Connection:\n"
        "    def _process_notification(self, con_ref, pid, channel, payload):\n"
        "        for cb in self._listeners[channel]:\n"
        "            self._loop.create_task(cb.cb(con_ref, pid, channel, payload))\n"
    )
    path.write_text(source)
    new = fix(source, Settings(select=("AIO101",)), str(path)).new
    assert new is not None
    assert max(len(line) for line in new.splitlines()) <= 79
    assert "            task = self._loop.create_task(\n                cb.cb(con_ref, pid, channel, payload)\n" in new
    flake8 = subprocess.run(
        [sys.executable, "-m", "flake8", "--select", "E501", "--max-line-length", "79", "-"],
        input=new,
        capture_output=True,
        text=True,
        check=False,
    )
    assert flake8.stdout == ""


# ------------------------------------------------------------------------------ imports
IMPORT_CASES = sorted(CASES.glob("AIO*_import-*.fixed.py"))
# The isort settings each case's module is written in (ruff's defaults otherwise).
ISORT = {"AIO101_dangling-task_import-types-apart.fixed": ["--config", "lint.isort.lines-between-types = 1"]}


@pytest.mark.parametrize("fixed", IMPORT_CASES, ids=[p.stem for p in IMPORT_CASES])
def test_added_imports_keep_isort_clean(fixed: Path) -> None:
    """The case module is I001/F401/E402-clean, and so is what `asynclint fix` makes of it."""
    original = fixed.with_name(fixed.name.replace(".fixed.py", ".py"))
    text = original.read_text()
    settings = settings_for(load_manifest(original.with_suffix(".toml")), select=(original.name[:6],))
    new = fix(text, settings, str(original)).new
    assert new is not None and new != text
    for label, code in (("before", text), ("after", new)):
        out = ruff(
            "check",
            "--isolated",
            "--no-cache",
            "--select",
            "I001,F401,E402",
            "--config",
            "lint.isort.known-first-party=['mypackage']",
            *ISORT.get(fixed.stem, []),
            "-",
            stdin=code,
        )
        assert out.returncode == 0, f"{original.name} {label}: {out.stdout}"
