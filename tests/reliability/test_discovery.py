"""What discovery promises on anyone's tree:

- linting a tree never runs a program it names: a `core.fsmonitor` hook in its `.git/config` does
  not run for `check` or `fix`;
- `.gitignore` files, `.git/info/exclude` and the global excludes file mean what they mean to git
  (a table checked against the real `git check-ignore`), and an unpacked sdist's own .gitignore
  keeps git's anchoring (`/test*.py` ignores root-level files only, not `tests/`);
- excludes hold everywhere: a path exclude inside a git checkout, a directory-name exclude for
  files named with `--force-exclude`, and so through the pre-commit hooks (tests/test_precommit.py);
- odd files never hang a run: a FIFO named `x.py` or `.gitignore` in a walked tree is passed over,
  a FIFO named on the command line is an error (exit 2) and the other paths are still checked;
- nothing outside the paths given is written: a symlink to a file outside them is skipped with a
  message (exit code as if it were not there), unless `--follow-symlinks`; a file reached through
  two names is fixed once.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from asynclint import discovery
from asynclint.config import Settings

DANGLING = "import asyncio\n\n\nasync def main():\n    asyncio.create_task(main())\n"
FIXED_MARK = "_background_tasks.add(task)"
needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="needs git to compare with")


def asynclint(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    # The timeout is only there to turn a hang into a failure.
    return subprocess.run(
        [sys.executable, "-m", "asynclint", *args], cwd=cwd, capture_output=True, text=True, timeout=300, check=False
    )


def reported(out: subprocess.CompletedProcess[str]) -> set[str]:
    return {d["path"] for d in json.loads(out.stdout)}


def git(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, env=env, check=False)


# ------------------------------------------------------------------------------ no code execution
@needs_git
@pytest.mark.parametrize("command", ["check", "fix"])
def test_a_trees_fsmonitor_hook_never_runs(tmp_path: Path, command: str) -> None:
    tree = tmp_path / "tree"
    tree.mkdir()
    assert git("init", "-q", cwd=tree).returncode == 0
    hook = tree / "hook.sh"
    marker = tmp_path / "MARKER"
    hook.write_text(f"#!/bin/sh\ntouch '{marker}'\necho 0\n")
    hook.chmod(0o755)
    assert git("config", "core.fsmonitor", str(hook), cwd=tree).returncode == 0
    (tree / ".gitignore").write_text("ignored/\n")
    (tree / "ignored").mkdir()
    (tree / "ignored" / "m.py").write_text(DANGLING)
    (tree / "app.py").write_text(DANGLING)
    out = asynclint(command, "--no-cache", "--format", "json", ".", cwd=tree)
    assert not marker.exists(), "discovery ran the tree's fsmonitor hook"
    assert out.returncode in (0, 1), out.stderr
    if command == "check":
        assert reported(out) == {"app.py"}  # the .gitignore still holds without git
    else:
        assert FIXED_MARK in (tree / "app.py").read_text()
        assert FIXED_MARK not in (tree / "ignored" / "m.py").read_text()


# ------------------------------------------------------------------------------ git's rules
# (ignore files, path, is it a directory, ignored?).  Keys starting with `~/` are in $HOME.
CASES: list[tuple[dict[str, str], str, bool, bool]] = [
    ({".gitignore": "*.log"}, "x.log", False, True),
    ({".gitignore": "*.log"}, "a/b/x.log", False, True),
    ({".gitignore": "*.log"}, "x.logs", False, False),
    ({".gitignore": "/x.py"}, "x.py", False, True),
    ({".gitignore": "/x.py"}, "a/x.py", False, False),
    ({".gitignore": "/test*.py"}, "tests/test_a.py", False, False),
    ({".gitignore": "/test*.py"}, "test_a.py", False, True),
    ({".gitignore": "a/b"}, "a/b", False, True),
    ({".gitignore": "a/b"}, "c/a/b", False, False),
    ({".gitignore": "build/"}, "build", True, True),
    ({".gitignore": "build/"}, "build", False, False),
    ({".gitignore": "build/"}, "x/build/m.py", False, True),
    ({".gitignore": "build"}, "x/build", True, True),
    ({".gitignore": "**/foo"}, "foo", False, True),
    ({".gitignore": "**/foo"}, "a/b/foo", False, True),
    ({".gitignore": "**/foo/bar"}, "x/foo/bar", False, True),
    ({".gitignore": "a/**/b"}, "a/b", False, True),
    ({".gitignore": "a/**/b"}, "a/x/y/b", False, True),
    ({".gitignore": "a/**/b"}, "x/a/b", False, False),
    ({".gitignore": "a/**"}, "a/x/y.py", False, True),
    ({".gitignore": "a/**"}, "a", True, False),
    ({".gitignore": "a/**/"}, "a/x", True, True),
    ({".gitignore": "a/**/"}, "a/x.py", False, False),
    ({".gitignore": "**"}, "a/b.py", False, True),
    ({".gitignore": "foo**/bar"}, "foox/y/bar", False, True),
    ({".gitignore": "x/a**b"}, "x/a/b", False, False),
    ({".gitignore": "a/**\n!a/keep.py"}, "a/keep.py", False, False),
    ({".gitignore": "a/\n!a/keep.py"}, "a/keep.py", False, True),  # a parent directory is excluded
    ({".gitignore": "*.py\n!keep.py"}, "keep.py", False, False),
    ({".gitignore": "!keep.py\n*.py"}, "keep.py", False, True),  # the last matching line wins
    ({".gitignore": "*\n!*/\n!*.py"}, "a/b.py", False, False),
    ({".gitignore": "x/a*b"}, "x/a/b", False, False),  # `*` does not match `/`
    ({".gitignore": "x/a*b"}, "x/acb", False, True),
    ({".gitignore": "x/a?b"}, "x/a/b", False, False),
    ({".gitignore": "x/a?b"}, "x/acb", False, True),
    ({".gitignore": "x/a[/]b"}, "x/a/b", False, False),
    ({".gitignore": "[abc].py"}, "b.py", False, True),
    ({".gitignore": "[!abc].py"}, "b.py", False, False),
    ({".gitignore": "[!abc].py"}, "d.py", False, True),
    ({".gitignore": "[^abc].py"}, "d.py", False, True),
    ({".gitignore": "[a-c]x.py"}, "bx.py", False, True),
    ({".gitignore": "[a-c]x.py"}, "dx.py", False, False),
    ({".gitignore": "[[:digit:]]*.py"}, "1a.py", False, True),
    ({".gitignore": "[[:digit:]]*.py"}, "a1.py", False, False),
    ({".gitignore": "[]].py"}, "].py", False, True),
    ({".gitignore": "x["}, "x[", False, False),  # unterminated: matches nothing
    ({".gitignore": "\\#x.py"}, "#x.py", False, True),
    ({".gitignore": "#x.py"}, "#x.py", False, False),  # a comment
    ({".gitignore": "\\!x.py"}, "!x.py", False, True),
    ({".gitignore": "\\*.py"}, "a.py", False, False),
    ({".gitignore": "x.py   "}, "x.py", False, True),  # trailing spaces are trimmed
    ({".gitignore": "x.py\\ "}, "x.py ", False, True),  # unless escaped
    ({".gitignore": "x.py\\ "}, "x.py", False, False),
    ({".gitignore": "*.py\r\n"}, "a.py", False, True),
    ({"a/.gitignore": "/m.py"}, "a/m.py", False, True),
    ({"a/.gitignore": "/m.py"}, "m.py", False, False),
    ({"a/.gitignore": "/m.py"}, "a/b/m.py", False, False),
    ({"a/.gitignore": "b/c.py"}, "a/b/c.py", False, True),
    ({".gitignore": "*.py", "a/.gitignore": "!m.py"}, "a/m.py", False, False),  # the deeper file wins
    ({".gitignore": "!m.py", "a/.gitignore": "*.py"}, "a/m.py", False, True),
    ({".git/info/exclude": "*.tmp.py"}, "x.tmp.py", False, True),
    ({"~/.config/git/ignore": "*.glob.py"}, "a/x.glob.py", False, True),
    ({"~/.config/git/ignore": "*.py", ".gitignore": "!keep.py"}, "keep.py", False, False),
    (
        {"~/.gitconfig": "[core]\n\texcludesFile = ~/my-ignore ; mine\n", "~/my-ignore": "*.mine.py"},
        "x.mine.py",
        False,
        True,
    ),
]


@needs_git
@pytest.mark.parametrize(("files", "path", "is_dir", "ignored"), CASES, ids=[f"{c[0]}-{c[1]}" for c in CASES])
def test_ignore_rules_agree_with_git(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, files: dict[str, str], path: str, is_dir: bool, ignored: bool
) -> None:
    repo, home = tmp_path / "repo", tmp_path / "home"
    repo.mkdir()
    home.mkdir()
    env = {"PATH": os.environ["PATH"], "HOME": str(home), "GIT_CONFIG_NOSYSTEM": "1"}
    assert git("init", "-q", cwd=repo, env=env).returncode == 0
    for name, text in files.items():
        target = home / name[2:] if name.startswith("~/") else repo / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(text.encode())
    entry = repo / path
    entry.parent.mkdir(parents=True, exist_ok=True)
    entry.mkdir() if is_dir else entry.touch()

    by_git = git("check-ignore", "--no-index", "-q", path, cwd=repo, env=env)
    assert by_git.returncode in (0, 1), by_git.stderr
    assert (by_git.returncode == 0) == ignored, "the table disagrees with git"
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    assert discovery.is_ignored(str(entry)) == ignored
    if not is_dir and path.endswith(".py"):  # and the walk agrees
        collected = {Path(f) for f in discovery.collect_files([str(repo)], Settings(root=str(repo))).files}
        assert (entry in collected) == (not ignored)


def test_an_sdist_keeps_its_gitignore_with_gits_anchoring(tmp_path: Path) -> None:
    sdist = tmp_path / "asyncpg-0.29.0"
    (sdist / "tests").mkdir(parents=True)
    (sdist / ".gitignore").write_text("/test*.py\n__pycache__/\n")
    (sdist / "test_root.py").write_text(DANGLING)
    (sdist / "tests" / "test_pool.py").write_text(DANGLING)
    (sdist / "tests" / ".gitignore").write_text("/generated_*.py\n")
    (sdist / "tests" / "generated_x.py").write_text(DANGLING)
    out = asynclint("check", "--no-cache", "--format", "json", ".", cwd=sdist)
    assert reported(out) == {"tests/test_pool.py"}, out.stderr


# ------------------------------------------------------------------------------ excludes
@needs_git
def test_a_path_exclude_holds_inside_a_git_checkout(tmp_path: Path) -> None:
    assert git("init", "-q", cwd=tmp_path).returncode == 0
    (tmp_path / "pyproject.toml").write_text('[tool.asynclint]\nextend-exclude = ["src/pkg/generated"]\n')
    (tmp_path / "src" / "pkg" / "generated" / "deep").mkdir(parents=True)
    (tmp_path / "src" / "pkg" / "m.py").write_text(DANGLING)
    (tmp_path / "src" / "pkg" / "generated" / "g.py").write_text(DANGLING)
    (tmp_path / "src" / "pkg" / "generated" / "deep" / "g.py").write_text(DANGLING)
    out = asynclint("check", "--no-cache", "--format", "json", ".", cwd=tmp_path)
    assert reported(out) == {"src/pkg/m.py"}, out.stderr
    # From a subdirectory too: the pattern stays relative to the project root.
    out = asynclint("check", "--no-cache", "--format", "json", "pkg", cwd=tmp_path / "src")
    assert reported(out) == {"pkg/m.py"}, out.stderr


def test_force_exclude_applies_directory_name_excludes_to_files_named(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.asynclint]\nextend-exclude = ["generated", "legacy/*.py"]\n')
    named = [
        "generated/m.py",
        "src/generated/deep/m.py",
        "node_modules/pkg/m.py",
        ".venv/lib/m.py",
        "legacy/old.py",
        "src/m.py",
    ]
    for name in named:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(DANGLING)
    out = asynclint("check", "--no-cache", "--force-exclude", "--format", "json", *named, cwd=tmp_path)
    assert reported(out) == {"src/m.py"}, out.stderr
    # Without --force-exclude a file named is checked whatever the excludes say.
    out = asynclint("check", "--no-cache", "--format", "json", *named, cwd=tmp_path)
    assert reported(out) == set(named), out.stderr


def test_is_excluded_is_the_walks_own_answer(tmp_path: Path) -> None:
    settings = Settings(root=str(tmp_path), extend_exclude=("generated", "src/pkg/gen2", "*.pb.py"))
    for name in ("src/pkg/generated/a.py", "src/pkg/gen2/x/b.py", "src/pkg/c.pb.py", "src/pkg/ok.py", "dist/ok.py"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(DANGLING)
    walked = {
        Path(f).relative_to(tmp_path).as_posix() for f in discovery.collect_files([str(tmp_path)], settings).files
    }
    assert walked == {"src/pkg/ok.py"}
    for name in ("src/pkg/generated/a.py", "src/pkg/gen2/x/b.py", "src/pkg/c.pb.py", "dist/ok.py"):
        assert settings.is_excluded(str(tmp_path / name))
    assert not settings.is_excluded(str(tmp_path / "src/pkg/ok.py"))
    # A directory named is a root: names above it do not exclude what is below it.
    assert discovery.collect_files([str(tmp_path / "dist")], settings).files == [str(tmp_path / "dist" / "ok.py")]


# ------------------------------------------------------------------------------ odd files
needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")


@needs_fifo
def test_fifos_in_a_walked_tree_never_hang_the_run(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    os.mkfifo(tmp_path / "x.py")
    os.mkfifo(tmp_path / ".gitignore")
    os.mkfifo(tmp_path / "sub" / ".gitignore")
    (tmp_path / "app.py").write_text(DANGLING)
    (tmp_path / "sub" / "m.py").write_text(DANGLING)
    out = asynclint("check", "--no-cache", "--format", "json", ".", cwd=tmp_path)
    assert out.returncode == 1, out.stderr
    assert reported(out) == {"app.py", "sub/m.py"}


@needs_fifo
def test_a_fifo_named_is_an_error_and_the_rest_is_checked(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "x.py")
    (tmp_path / "app.py").write_text(DANGLING)
    out = asynclint("check", "--no-cache", "--format", "json", "x.py", "app.py", cwd=tmp_path)
    assert out.returncode == 2
    assert "asynclint: error: x.py: not a regular file" in out.stderr
    assert reported(out) == {"app.py"}


# ------------------------------------------------------------------------------ symlinks
needs_symlinks = pytest.mark.skipif(sys.platform == "win32", reason="symlinks need privileges on Windows")


@needs_symlinks
def test_fix_never_writes_through_a_symlink_to_outside_the_paths_given(tmp_path: Path) -> None:
    outside, project = tmp_path / "outside", tmp_path / "project"
    outside.mkdir()
    project.mkdir()
    (outside / "target.py").write_text(DANGLING)
    (outside / "pkg").mkdir()
    (outside / "pkg" / "m.py").write_text(DANGLING)
    (project / "link.py").symlink_to(outside / "target.py")
    (project / "vendor").symlink_to(outside / "pkg")
    (project / "clean.py").write_text("x = 1\n")

    out = asynclint("fix", "--no-cache", "project", cwd=tmp_path)
    assert out.returncode == 0, out.stderr  # skipping a link is not an error
    assert (outside / "target.py").read_text() == DANGLING
    assert (outside / "pkg" / "m.py").read_text() == DANGLING
    assert "asynclint: skipped project/link.py: symlink to a file outside the paths given\n" in out.stderr
    assert "asynclint: skipped project/vendor: symlink to a directory outside the paths given\n" in out.stderr
    assert out.stderr.count("asynclint: skipped") == 2

    # `check` says so too, and -q keeps quiet.
    check = asynclint("check", "--no-cache", "project", cwd=tmp_path)
    assert check.returncode == 0 and check.stderr.count("asynclint: skipped") == 2, check.stderr
    assert "skipped" not in asynclint("check", "--no-cache", "-q", "project", cwd=tmp_path).stderr

    # A symlink named on the command line is held to the same rule...
    named = asynclint("fix", "--no-cache", "project/link.py", cwd=tmp_path)
    assert "asynclint: skipped project/link.py: symlink to a file outside the paths given" in named.stderr
    assert (outside / "target.py").read_text() == DANGLING
    # ...and naming the target's directory too puts it inside the paths given.
    both = asynclint("check", "--no-cache", "--format", "json", "project/link.py", "outside", cwd=tmp_path)
    assert reported(both) == {"project/link.py", "outside/pkg/m.py"}, both.stderr

    followed = asynclint("fix", "--no-cache", "--follow-symlinks", "project", cwd=tmp_path)
    assert followed.returncode == 0, followed.stderr
    assert "skipped" not in followed.stderr
    assert FIXED_MARK in (outside / "target.py").read_text()
    assert FIXED_MARK in (outside / "pkg" / "m.py").read_text()


@needs_symlinks
def test_a_file_reached_through_two_names_is_collected_and_fixed_once(tmp_path: Path) -> None:
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "real.py").write_text(DANGLING)
    (tmp_path / "pkg" / "alias.py").symlink_to("real.py")
    (tmp_path / "again").symlink_to("pkg", target_is_directory=True)
    (tmp_path / "loop").mkdir()
    (tmp_path / "loop" / "up").symlink_to("..", target_is_directory=True)
    out = asynclint("check", "--no-cache", "--format", "json", ".", "pkg/real.py", cwd=tmp_path)
    assert out.returncode == 1 and out.stderr == ""
    assert len(json.loads(out.stdout)) == 1, out.stdout
    fixed = asynclint("fix", "--no-cache", "--follow-symlinks", ".", cwd=tmp_path)
    assert fixed.returncode == 0, fixed.stderr
    assert (tmp_path / "pkg" / "real.py").read_text().count(FIXED_MARK) == 1


def test_a_directory_named_that_git_ignores_is_walked_with_its_own_rules_only(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / ".gitignore").write_text("vendor/\nbuild/\n*.gen.py\n")
    pkg = tmp_path / "vendor" / "pkg"
    (pkg / "build").mkdir(parents=True)
    (pkg / "build" / "m.py").write_text(DANGLING)
    (pkg / "x.gen.py").write_text(DANGLING)
    (pkg / ".gitignore").write_text("/skip.py\n")
    (pkg / "skip.py").write_text(DANGLING)
    assert sorted(discovery.collect_files([str(pkg)]).files) == [str(pkg / "build" / "m.py"), str(pkg / "x.gen.py")]
    # A repository nested in the tree has its own rules, not the outer ones.
    nested = tmp_path / "src" / "nested"
    (nested / ".git").mkdir(parents=True)
    (nested / "y.gen.py").write_text(DANGLING)
    (tmp_path / "src" / "z.gen.py").write_text(DANGLING)
    assert discovery.collect_files([str(tmp_path / "src")]).files == [str(nested / "y.gen.py")]


def test_stubs_are_collected_beside_their_modules(tmp_path: Path) -> None:
    # A migration changes the `.pyi` that declares a module's coroutines as well as the module.
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    for name in ("__init__.py", "__init__.pyi", "notes.txt", "mod.pyc", "mod.pyi~"):
        (pkg / name).write_text("")
    assert sorted(discovery.collect_files([str(pkg)]).files) == [str(pkg / "__init__.py"), str(pkg / "__init__.pyi")]
