"""AIO401-AIO403 across the modules of a project (tests/project): absolute, relative, aliased and
re-exported imports, base classes from another module, the same answers from every face."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from expectations import ROOT, annotations, describe, findings, settings_for

from asynclint.engine import lint_text
from asynclint.semantic.project import ProjectIndex, absolute

PROJECT = ROOT / "tests" / "project"
CHECKOUT = PROJECT / "shop" / "handlers" / "checkout.py"
CODES = ("AIO401", "AIO402", "AIO403")


def _expected() -> list[str]:
    return describe(annotations(CHECKOUT.read_text(encoding="utf-8")))


def test_engine_resolves_other_modules() -> None:
    settings = settings_for({}, select=CODES)
    got = findings(lint_text(CHECKOUT.read_text(encoding="utf-8"), settings, str(CHECKOUT)))
    assert describe(got) == _expected()


def test_without_a_path_only_the_module_itself_is_known() -> None:
    settings = settings_for({}, select=CODES)
    got = findings(lint_text(CHECKOUT.read_text(encoding="utf-8"), settings, None))
    assert describe(got) == []  # every coroutine function here lives in another module


def test_each_module_is_scanned_once_per_index(monkeypatch: pytest.MonkeyPatch) -> None:
    scanned: list[str] = []
    read = ProjectIndex._read
    monkeypatch.setattr(ProjectIndex, "_read", staticmethod(lambda path: (scanned.append(path), read(path))[1]))
    settings = settings_for({}, select=CODES)
    text = CHECKOUT.read_text(encoding="utf-8")
    index = ProjectIndex()
    first = lint_text(text, settings, str(CHECKOUT), project=index.view(str(CHECKOUT)))
    assert scanned and len(scanned) == len(set(scanned))
    before = len(scanned)
    again = [lint_text(text, settings, str(CHECKOUT), project=index.view(str(CHECKOUT))) for _ in range(2)]
    assert len(scanned) == before
    assert again == [first, first]
    lint_text(text, settings, str(CHECKOUT), project=ProjectIndex().view(str(CHECKOUT)))
    assert len(scanned) == 2 * before  # a new index (a new run) reads the files again


def _lines(output: str, prefix: str) -> list[str]:
    found = []
    for line in output.splitlines():
        if line.startswith(prefix):
            number, code = line[len(prefix) :].split(":")[0], line.split(" ")[1]
            found.append(f"line {number}: {code}")
    return sorted(found)


def test_cli_and_flake8_agree(tmp_path: Path) -> None:
    copy = tmp_path / "project"
    shutil.copytree(PROJECT, copy)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    cli = subprocess.run(
        [sys.executable, "-m", "asynclint", "check", "--no-cache", "--select", ",".join(CODES), "shop"],
        cwd=copy,
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    flake8 = subprocess.run(
        [sys.executable, "-m", "flake8", "--select", "AIO4", "shop"],
        cwd=copy,
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    prefix = os.path.join("shop", "handlers", "checkout.py") + ":"
    assert _lines(cli.stdout, prefix) == _expected(), cli.stdout + cli.stderr
    assert _lines(flake8.stdout, prefix) == _expected(), flake8.stdout + flake8.stderr
    others = [
        line for line in (cli.stdout + flake8.stdout).splitlines() if ".py:" in line and not line.startswith(prefix)
    ]
    assert others == []


def test_cached_results_follow_the_modules_they_read(tmp_path: Path) -> None:
    copy = tmp_path / "project"
    shutil.copytree(PROJECT, copy)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    command = [sys.executable, "-m", "asynclint", "check", "--select", "AIO401", "shop/handlers/checkout.py"]

    def count() -> int:
        result = subprocess.run(command, cwd=copy, capture_output=True, text=True, timeout=120, env=env)
        return result.stdout.count("AIO401")

    assert count() == 8
    assert count() == 8  # from the cache
    store = copy / "shop" / "store.py"
    text = store.read_text(encoding="utf-8").replace("async def save_order", "def save_order")
    store.write_text(
        text.replace("    await asyncio.sleep(0)\n\n\ndef format", "    return None\n\n\ndef format", 1),
        encoding="utf-8",
    )
    assert count() == 2  # save_order is a plain function now: only self.close() and audit() remain


@pytest.mark.parametrize(
    ("target", "module", "is_package", "expected"),
    [
        (".core.f", "pkg.sub.use", False, "pkg.sub.core.f"),
        ("..core.f", "pkg.sub.use", False, "pkg.core.f"),
        (".core", "pkg.sub", True, "pkg.sub.core"),
        ("..", "pkg.sub.use", False, "pkg"),
        ("...x", "pkg.use", False, None),
        ("pkg.core", "anything", False, "pkg.core"),
    ],
)
def test_relative_imports(target: str, module: str, is_package: bool, expected: str | None) -> None:
    assert absolute(target, module, is_package) == expected
