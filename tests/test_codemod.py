"""The codemod commands through `python -m libcst.tool` itself, as a migration would run them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from asynclint import codemod
from asynclint.registry import all_rules

SOURCE = "import asyncio\nimport time\n\n\nasync def main():\n    asyncio.create_task(main())\n    time.sleep(1)\n"


def libcst_tool(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "libcst.tool", "codemod", *args], cwd=cwd, capture_output=True, text=True, timeout=300
    )


def test_one_command_per_fixable_rule() -> None:
    fixable = {f"{r.__name__}Command" for r in all_rules() if r.FIX is not None}
    assert set(codemod.COMMANDS) == fixable | {"FixAllCommand"}
    for name in codemod.COMMANDS:
        assert getattr(codemod, name).__module__ == "asynclint.codemod"


def test_single_rule_command_applies_only_its_safe_fix(tmp_path: Path) -> None:
    path = tmp_path / "m.py"
    path.write_text(SOURCE)
    out = libcst_tool("-x", "asynclint.codemod.DanglingTaskCommand", "--no-format", "-j", "1", str(path), cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    text = path.read_text()
    assert "_background_tasks.add(task)" in text and "    time.sleep(1)\n" in text


def test_unsafe_fixes_are_opt_in_and_match_the_cli(tmp_path: Path) -> None:
    for name in ("a.py", "b.py"):
        (tmp_path / name).write_text(SOURCE)
    out = libcst_tool(
        "-x", "asynclint.codemod.BlockingSleepCommand", "--no-format", str(tmp_path / "a.py"), cwd=tmp_path
    )
    assert out.returncode == 0 and (tmp_path / "a.py").read_text() == SOURCE  # unsafe: not applied
    out = libcst_tool(
        "-x", "asynclint.codemod.FixAllCommand", "--no-format", "--unsafe-fixes", str(tmp_path / "a.py"), cwd=tmp_path
    )
    assert out.returncode == 0, out.stderr
    cli = subprocess.run(
        [sys.executable, "-m", "asynclint", "fix", "--unsafe-fixes", "--no-cache", "b.py"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert cli.returncode == 0, cli.stdout
    assert (tmp_path / "a.py").read_text() == (tmp_path / "b.py").read_text() != SOURCE


def test_target_version_withholds_fixes_the_target_lacks(tmp_path: Path) -> None:
    source = "import requests\n\n\nasync def main():\n    requests.get('u')\n"
    path = tmp_path / "m.py"
    path.write_text(source)
    libcst_tool(
        "-x",
        "asynclint.codemod.BlockingCallCommand",
        "--no-format",
        "--unsafe-fixes",
        "--target-version",
        "py38",
        str(path),
        cwd=tmp_path,
    )
    assert path.read_text() == source  # asyncio.to_thread needs 3.9
    libcst_tool(
        "-x",
        "asynclint.codemod.BlockingCallCommand",
        "--no-format",
        "--unsafe-fixes",
        "--target-version",
        "py311",
        str(path),
        cwd=tmp_path,
    )
    assert "await asyncio.to_thread(requests.get, 'u')" in path.read_text()


def test_through_a_codemod_config_file(tmp_path: Path) -> None:
    (tmp_path / ".libcst.codemod.yaml").write_text(
        "generated_code_marker: '@generated'\nformatter: ['black', '-']\nblacklist_patterns: []\nmodules:\n  - 'asynclint'\nrepo_root: '.'\n"
    )
    path = tmp_path / "m.py"
    path.write_text(SOURCE)
    out = libcst_tool("codemod.FixAllCommand", "--no-format", str(path), cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert "_background_tasks.add(task)" in path.read_text()


def test_unparseable_input_is_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "m.py"
    path.write_text("async def f(): pass\n(x): int = 1\n")
    out = libcst_tool("-x", "asynclint.codemod.FixAllCommand", "--no-format", str(path), cwd=tmp_path)
    assert "Traceback" not in out.stdout
    assert path.read_text() == "async def f(): pass\n(x): int = 1\n"


def test_readme_codemod_list_is_current() -> None:
    import re

    from asynclint.docs import CODEMODS_END, CODEMODS_START, codemod_list

    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    assert CODEMODS_START in readme and CODEMODS_END in readme
    listed = readme.partition(CODEMODS_START)[2].partition(CODEMODS_END)[0]
    assert listed == "\n" + codemod_list(), "run `python -m asynclint.docs` to regenerate the README's codemod list"
    assert re.findall(r"^- `(\w+)`", listed, re.M) == list(codemod.COMMANDS)
