"""AIO303's fix across modules: `asyncio.run()` leaves the thread with no current event loop, so
the fix is withheld when a project module that the linted file imports, or (for a test module) a
`conftest.py` up its tree, calls `asyncio.get_event_loop()` outside a coroutine; project trees in
tmp_path."""

from __future__ import annotations

import os
import textwrap
from pathlib import Path

import pytest
from expectations import settings_for

from asynclint.engine import lint_text
from asynclint.semantic.project import ProjectIndex

DRIVER = """
    import asyncio
    {imports}

    async def main():
        await asyncio.sleep(0)

    def test_main():
        loop = asyncio.get_event_loop()
        loop.run_until_complete(main())
"""
SYNC_HELPER = "import asyncio\n\ndef make_client():\n    return asyncio.get_event_loop()\n"
ASYNC_HELPER = "import asyncio\n\nasync def make_client():\n    return asyncio.get_event_loop()\n"
ALIASED_HELPER = (
    "from asyncio import get_event_loop as current\n\ndef run(coro):\n    return current().run_until_complete(coro)\n"
)
MODULE_LEVEL_HELPER = "import asyncio\n\nLOOP = asyncio.get_event_loop()\n"
CONFTEST = "import asyncio\nimport pytest\n\n@pytest.fixture\ndef loop():\n    return asyncio.get_event_loop()\n"

# name -> (files, linted file, is the fix offered?)
CASES: dict[str, tuple[dict[str, str], str, bool]] = {
    "absolute-import-of-a-helper": (
        {
            "tests/__init__.py": "",
            "tests/utils.py": SYNC_HELPER,
            "tests/test_app.py": "from tests.utils import make_client",
        },
        "tests/test_app.py",
        False,
    ),
    "relative-import-of-a-helper": (
        {"tests/__init__.py": "", "tests/helpers.py": ALIASED_HELPER, "tests/test_app.py": "from .helpers import run"},
        "tests/test_app.py",
        False,
    ),
    "module-import-of-a-helper": (
        {"tests/__init__.py": "", "tests/utils.py": MODULE_LEVEL_HELPER, "tests/test_app.py": "import tests.utils"},
        "tests/test_app.py",
        False,
    ),
    "helper-without-a-package-root": (
        {
            "pyproject.toml": "",
            "tests/utils.py": SYNC_HELPER,
            "tests/test_app.py": "from tests.utils import make_client",
        },
        "tests/test_app.py",
        False,
    ),
    "conftest-in-the-same-directory": (
        {"pyproject.toml": "", "tests/conftest.py": CONFTEST, "tests/test_app.py": ""},
        "tests/test_app.py",
        False,
    ),
    "conftest-up-the-tree": (
        {"pyproject.toml": "", "conftest.py": CONFTEST, "tests/unit/test_app.py": ""},
        "tests/unit/test_app.py",
        False,
    ),
    # Near misses: the fix is still offered.
    "helper-calls-it-in-a-coroutine": (
        {
            "tests/__init__.py": "",
            "tests/utils.py": ASYNC_HELPER,
            "tests/test_app.py": "from tests.utils import make_client",
        },
        "tests/test_app.py",
        True,
    ),
    "helper-drives-a-loop-only-as-a-script": (
        {
            "tests/__init__.py": "",
            "tests/utils.py": SYNC_HELPER.replace("def make_client():\n    return", 'if __name__ == "__main__":\n   '),
            "tests/test_app.py": "import tests.utils",
        },
        "tests/test_app.py",
        True,
    ),
    "helper-with-an-else-to-its-main-guard": (
        {
            "tests/__init__.py": "",
            "tests/utils.py": 'import asyncio\n\nif __name__ == "__main__":\n    pass\nelse:\n    asyncio.get_event_loop()\n',
            "tests/test_app.py": "import tests.utils",
        },
        "tests/test_app.py",
        False,
    ),
    "helper-not-imported": (
        {"tests/__init__.py": "", "tests/utils.py": SYNC_HELPER, "tests/test_app.py": ""},
        "tests/test_app.py",
        True,
    ),
    "helper-with-the-name-in-a-comment": (
        {
            "tests/__init__.py": "",
            "tests/utils.py": "# asyncio.get_event_loop() is deprecated\nimport asyncio\nnew = asyncio.new_event_loop\n",
            "tests/test_app.py": "from tests.utils import new",
        },
        "tests/test_app.py",
        True,
    ),
    "conftest-of-a-plain-script": (  # not a test module: pytest does not load conftest.py for it
        {"pyproject.toml": "", "conftest.py": CONFTEST, "scripts/run.py": ""},
        "scripts/run.py",
        True,
    ),
    "conftest-above-the-project-top": (
        {"conftest.py": CONFTEST, "project/pyproject.toml": "", "project/tests/test_app.py": ""},
        "project/tests/test_app.py",
        True,
    ),
    "conftest-of-a-sibling-directory": (
        {"pyproject.toml": "", "other/conftest.py": CONFTEST, "tests/test_app.py": ""},
        "tests/test_app.py",
        True,
    ),
}


def _write(root: Path, files: dict[str, str], linted: str) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if name == linted:
            text = textwrap.dedent(DRIVER.format(imports=text)).lstrip()
        path.write_text(text, encoding="utf-8")
    return root / linted


def _aio303(path: Path, index: ProjectIndex | None = None) -> list[tuple[int, bool, str]]:
    settings = settings_for({"unsafe-fixes": True}, select=("AIO303",))
    index = index or ProjectIndex()
    text = path.read_text(encoding="utf-8")
    found = lint_text(text, settings, str(path), project=index.view(str(path)))
    return [(d.line, d.fix_title is not None, d.message) for d in found if d.code == "AIO303"]


@pytest.mark.parametrize("name", sorted(CASES))
def test_fix_withheld_for_other_modules_calls(tmp_path: Path, name: str) -> None:
    files, linted, offered = CASES[name]
    path = _write(tmp_path, files, linted)
    (found,) = _aio303(path)
    assert found[0] == 8  # the driver is reported either way
    assert found[1] is offered, found[2]
    if not offered:
        assert "same process" in found[2]


def test_the_result_follows_the_helper(tmp_path: Path) -> None:
    files, linted, _ = CASES["absolute-import-of-a-helper"]
    path = _write(tmp_path, files, linted)
    index = ProjectIndex()
    view = index.view(str(path))
    settings = settings_for({"unsafe-fixes": True}, select=("AIO303",))
    lint_text(path.read_text(encoding="utf-8"), settings, str(path), project=view)
    helper = str(tmp_path / "tests" / "utils.py")
    assert view is not None and view.consulted.get(helper) is not None  # the result cache's dependency
    assert _aio303(path, index)[0][1] is False
    (tmp_path / "tests" / "utils.py").write_text(ASYNC_HELPER + "\n", encoding="utf-8")  # new size: rescanned
    assert _aio303(path, index)[0][1] is True
    os.remove(tmp_path / "tests" / "utils.py")
    index.forget(helper)
    assert _aio303(path, index)[0][1] is True


def test_each_helper_is_read_once_per_index(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files, linted, _ = CASES["absolute-import-of-a-helper"]
    path = _write(tmp_path, files, linted)
    second = tmp_path / "tests" / "test_other.py"
    second.write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    parsed: list[str] = []
    import asynclint.semantic.project as project

    real = project._calls_outside_coroutines
    monkeypatch.setattr(
        project, "_calls_outside_coroutines", lambda tree, name: (parsed.append(name), real(tree, name))[1]
    )
    index = ProjectIndex()
    assert _aio303(path, index)[0][1] is False
    assert _aio303(second, index)[0][1] is False
    assert parsed == ["asyncio.get_event_loop"]


def test_the_cli_cache_follows_the_helper(tmp_path: Path) -> None:
    import subprocess
    import sys

    files, linted, _ = CASES["absolute-import-of-a-helper"]
    _write(tmp_path, files, linted)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    command = [sys.executable, "-m", "asynclint", "check", "--select", "AIO303", "--unsafe-fixes", linted]

    def output() -> str:
        return subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=120, env=env).stdout

    assert "same process" in output()
    assert "same process" in output()  # from the cache
    (tmp_path / "tests" / "utils.py").write_text(ASYNC_HELPER, encoding="utf-8")
    assert "same process" not in output()
