"""Are two builds of asynclint the same on real code?  Findings and fixes, side by side.

    python benchmarks/compare.py OLD_VENV NEW_VENV DIR [DIR ...]

Runs `asynclint check --select ALL --output-format json` and `asynclint fix --diff
--unsafe-fixes --select ALL` with each build's `bin/asynclint` over each directory (no cache, from
a scratch copy so neither sees the other's cache), then prints every finding and every diff hunk
that only one build gives.  Exit 1 when they differ.  Used for refactors that must not change
behaviour (issue "one vocabulary for rule authors"); a detection change shows up here as the
findings it adds or removes.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path


def _run(venv: Path, args: list[str], cwd: Path) -> str:
    out = subprocess.run(
        [str(venv / "bin" / "asynclint"), *args, "--no-cache", "-q", "--select", "ALL", "."],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=3600,
    )
    return out.stdout


def _findings(venv: Path, directory: Path) -> set[tuple[str, int, int, str, str, str | None]]:
    rows = json.loads(_run(venv, ["check", "--output-format", "json"], directory) or "[]")
    return {(r["path"], r["line"], r["column"], r["code"], r["message"], (r["fix"] or {}).get("safety")) for r in rows}


def _diff(venv: Path, directory: Path) -> set[str]:
    return set(_run(venv, ["fix", "--diff", "--unsafe-fixes"], directory).split("\n@@"))


def main(argv: list[str]) -> int:
    old, new, *directories = (Path(a).resolve() for a in argv)
    different = False
    for directory in directories:
        with tempfile.TemporaryDirectory() as scratch:
            copy = Path(scratch) / directory.name
            shutil.copytree(directory, copy, ignore=shutil.ignore_patterns("__pycache__", ".asynclint_cache"))
            before, after = _findings(old, copy), _findings(new, copy)
            diff_before, diff_after = _diff(old, copy), _diff(new, copy)
        print(
            f"{directory}: {len(before)} findings before, {len(after)} after; fix hunks {len(diff_before)} / {len(diff_after)}"
        )
        for row in sorted(before - after):
            print("  - only before:", *row)
        for row in sorted(after - before):
            print("  + only after: ", *row)
        for hunk in sorted(diff_before ^ diff_after):
            print("  ~ fix differs:", hunk[:300].replace("\n", "\n    "))
        different = different or before != after or diff_before != diff_after
    return 1 if different else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
