"""A reliability probe: asynclint run on much code it never saw, on broken code, and killed mid-write.

    python benchmarks/probe.py                    # every part, on the stdlib and this venv's site-packages
    python benchmarks/probe.py --parts kills,hostile --kills 32
    python benchmarks/probe.py --write            # ... and the summary into benchmarks/RESULTS.md

Parts (each prints one table row or a few):
- sweep:   `check` then `fix --unsafe-fixes` on a scratch copy of the corpus: internal errors (AIO002),
           fixed files that no longer compile, files a second `fix` still changes (no convergence).
- mutants: seeded random damage to corpus files (lines dropped, duplicated, cut, bytes inserted,
           brackets added, indentation broken): `check` must give no AIO002 and no traceback.
- kills:   `fix` SIGKILLed at a random moment, again and again: every file must hold either its old
           bytes or its fixed bytes, no worker may outlive its parent, and the next run must leave
           none of our temporary files behind.
- hostile: deeply nested input that once took gigabytes in libcst: peak memory of the whole run
           and the code it reports.
Nothing here is timed against a threshold; the figures are for people to read and compare.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import signal
import subprocess
import sys
import sysconfig
import tempfile
import time
import warnings
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
ASYNCLINT = [sys.executable, "-m", "asynclint"]
# The checkout being probed, whatever asynclint the interpreter has installed.
os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))


def _run(args: list[str], cwd: Path, timeout: float = 3600) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*ASYNCLINT, *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        errors="replace",
        check=False,
    )


def _copy_python_files(sources: list[Path], target: Path, limit: int | None = None) -> int:
    """Copy every `*.py` below `sources` (no symlinks, no caches) into `target`; the count."""
    count = 0
    for source in sources:
        for path in sorted(source.rglob("*.py")):
            if limit is not None and count >= limit:
                return count
            if path.is_symlink() or not path.is_file() or "__pycache__" in path.parts:
                continue
            destination = target / source.name / path.relative_to(source)
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, destination)
            count += 1
    return count


def _compiles(data: bytes) -> bool:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            compile(data, "<probe>", "exec", dont_inherit=True)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    return True


def _snapshot(tree: Path) -> dict[str, bytes]:
    return {str(p.relative_to(tree)): p.read_bytes() for p in tree.rglob("*.py") if p.is_file()}


def _findings(output: str) -> list[dict[str, object]]:
    try:
        rows = json.loads(output)
    except ValueError:
        return []
    return rows if isinstance(rows, list) else []


# ------------------------------------------------------------------------------ parts
# Every fix, unsafe ones and the opt-in AIO203 included, so every fix gets exercised.
FIX_ALL = ["fix", "--no-cache", "--unsafe-fixes", "--extend-select", "AIO203", "-q", "--exit-zero", "."]


def sweep(corpus: list[Path], scratch: Path) -> list[str]:
    tree = scratch / "sweep"
    files = _copy_python_files(corpus, tree)
    started = time.monotonic()
    check = _run(
        [
            "check",
            "--no-cache",
            "--format",
            "json",
            "--exit-zero",
            "--extend-select",
            "AIO203",
            ".",
        ],
        tree,
    )
    check_seconds = time.monotonic() - started
    rows = _findings(check.stdout)
    codes = Counter(str(r["code"]) for r in rows)
    internal = [f"{r['path']}: {r['message']}" for r in rows if r["code"] == "AIO002"]
    before = _snapshot(tree)
    started = time.monotonic()
    fix = _run(FIX_ALL, tree)
    fix_seconds = time.monotonic() - started
    after = _snapshot(tree)
    changed = [name for name in before if after.get(name) != before[name]]
    broken = [name for name in changed if _compiles(before[name]) and not _compiles(after[name])]
    again = _run(FIX_ALL, tree)
    unconverged = [name for name, data in _snapshot(tree).items() if after.get(name) != data]
    lines = [
        (
            f"| sweep | {files:,} files | check {check_seconds:.0f} s, exit {check.returncode}: "
            f"{sum(codes.values()):,} findings, AIO001 {codes['AIO001']}, AIO002 {codes['AIO002']} | "
            f"fix {fix_seconds:.0f} s, exit {fix.returncode}: {len(changed)} files changed, {len(broken)} no longer compile, "
            f"{len(unconverged)} changed again by a second fix (exit {again.returncode}) |"
        ),
    ]
    lines += [f"|  | internal error | {message} | |" for message in internal[:10]]
    lines += [f"|  | broken by fix | {name} | |" for name in broken[:10]]
    lines += [f"|  | not converged | {name} | |" for name in unconverged[:10]]
    if "Traceback" in check.stderr + fix.stderr:
        lines.append("|  | traceback on stderr | see a rerun | |")
    return lines


_DAMAGE = ("drop", "duplicate", "cut", "bytes", "bracket", "indent")


def _mutate(data: bytes, rng: random.Random) -> bytes:
    lines = data.splitlines(keepends=True) or [b""]
    kind = rng.choice(_DAMAGE)
    at = rng.randrange(len(lines))
    if kind == "drop":
        del lines[at]
    elif kind == "duplicate":
        lines.insert(at, lines[at])
    elif kind == "cut":
        return data[: rng.randrange(len(data) + 1)]
    elif kind == "bytes":
        position = rng.randrange(len(data) + 1)
        return data[:position] + bytes(rng.randrange(256) for _ in range(rng.randint(1, 4))) + data[position:]
    elif kind == "bracket":
        line = lines[at]
        position = rng.randrange(len(line) + 1)
        lines[at] = line[:position] + rng.choice([b"(", b")", b"[", b"{", b"]"]) + line[position:]
    else:
        lines[at] = b"  " + lines[at] if rng.random() < 0.5 else lines[at].lstrip()
    return b"".join(lines)


def mutants(corpus: list[Path], scratch: Path, count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    sources = [p for root in corpus for p in sorted(root.rglob("*.py")) if p.is_file() and not p.is_symlink()]
    # Files that can hold findings, so the damage reaches the parser and the rules.
    sources = [p for p in sources if b"async" in p.read_bytes()[:200_000]]
    tree = scratch / "mutants"
    tree.mkdir()
    for index in range(count):
        data = rng.choice(sources).read_bytes()
        (tree / f"m{index:05d}.py").write_bytes(b"import asyncio\n" + _mutate(data, rng))
    started = time.monotonic()
    check = _run(["check", "--no-cache", "--format", "json", "--exit-zero", "."], tree)
    seconds = time.monotonic() - started
    rows = _findings(check.stdout)
    codes = Counter(str(r["code"]) for r in rows)
    internal = sorted({f"{r['path']}: {r['message']}" for r in rows if r["code"] == "AIO002"})
    lines = [
        (
            f"| mutants | {count:,} damaged files (seed {seed}) | check {seconds:.0f} s, exit {check.returncode}: "
            f"AIO001 {codes['AIO001']}, AIO002 {codes['AIO002']}, traceback {'yes' if 'Traceback' in check.stderr else 'no'} | |"
        )
    ]
    lines += [f"|  | internal error | {message} | |" for message in internal[:10]]
    return lines


def _our_processes(marker: str) -> list[int]:
    """Pids of live processes whose command line names `marker` (the scratch tree)."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            cmdline = Path("/proc", entry, "cmdline").read_bytes()
            state = Path("/proc", entry, "stat").read_text().split(") ", 1)[1].split()[0]
        except OSError:
            continue
        if marker.encode() in cmdline and state != "Z":
            found.append(int(entry))
    return found


def kills(scratch: Path, trials: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    base = scratch / "kills-base"
    for fixture in sorted((ROOT / "fixtures").glob("*/before.py")):
        for copy in range(6):
            target = base / f"{fixture.parent.name}_{copy}.py"
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(fixture, target)
    original = _snapshot(base)
    reference = scratch / "kills-reference"
    shutil.copytree(base, reference)
    started = time.monotonic()
    _run(["fix", "--no-cache", "--unsafe-fixes", "-q", "--exit-zero", "."], reference)
    full_run = time.monotonic() - started
    fixed = _snapshot(reference)
    damaged = orphans = leftovers = 0
    for trial in range(trials):
        tree = scratch / f"kill-{trial}"
        shutil.copytree(base, tree)
        process = subprocess.Popen(
            [*ASYNCLINT, "fix", "--no-cache", "--unsafe-fixes", "-q", str(tree)],
            cwd=tree,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(rng.uniform(0.0, full_run))
        process.send_signal(signal.SIGKILL if trial % 2 == 0 else signal.SIGTERM)
        process.wait()
        deadline = time.monotonic() + 10
        while _our_processes(str(tree)) and time.monotonic() < deadline:
            time.sleep(0.1)
        survivors = _our_processes(str(tree))
        if survivors:
            orphans += 1
            for pid in survivors:
                os.kill(pid, signal.SIGKILL)
        for name, data in _snapshot(tree).items():
            if data not in (original[name], fixed[name]):
                damaged += 1
        _run(["fix", "--no-cache", "-q", "--exit-zero", "."], tree)
        leftovers += sum(1 for p in tree.rglob(".asynclint-*") if p.is_file())
        shutil.rmtree(tree, ignore_errors=True)
    return [
        (
            f"| kills | {trials} runs of `fix` on {len(original)} files, SIGKILL/SIGTERM at random in a {full_run:.1f} s run "
            f"(seed {seed}) | damaged files {damaged}, runs with workers left alive {orphans}, "
            f"our temp files left after the next run {leftovers} | |"
        )
    ]


def hostile(scratch: Path) -> list[str]:
    tree = scratch / "hostile"
    tree.mkdir()
    cases = {
        "parens.py": "import asyncio\nx = " + "(" * 10_000 + "1" + ")" * 10_000 + "\n",
        "lambdas.py": "import asyncio\nf = " + "lambda: " * 10_000 + "1\n",
    }
    lines = []
    for name, text in cases.items():
        (tree / name).write_text(text)
        command = [
            *ASYNCLINT,
            "check",
            "--no-cache",
            "--format",
            "json",
            "--exit-zero",
            name,
        ]
        probe = (
            "import resource, subprocess, sys\n"
            f"p = subprocess.run({command!r}, capture_output=True, text=True)\n"
            "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
            "print(peak, p.returncode, p.stdout.replace(chr(10), ' '))\n"
        )
        started = time.monotonic()
        out = subprocess.run(
            [sys.executable, "-c", probe],
            cwd=tree,
            capture_output=True,
            text=True,
            timeout=900,
            check=False,
        )
        seconds = time.monotonic() - started
        peak, code, report = out.stdout.split(" ", 2) if out.stdout.count(" ") >= 2 else ("0", "?", out.stdout)
        rows = _findings(report)
        said = "; ".join(f"{r['code']} {r['message']}" for r in rows) or report.strip()[:120]
        lines.append(
            f"| hostile | {name}: {len(text.encode()) // 1024} KB | peak RSS of the largest process "
            f"{int(peak) / 1024:,.0f} MB, {seconds:.1f} s, exit {code} | {said} |"
        )
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "corpus",
        nargs="*",
        type=Path,
        help="directories of Python code (default: stdlib + site-packages)",
    )
    parser.add_argument("--parts", default="sweep,mutants,kills,hostile")
    parser.add_argument("--mutants", type=int, default=2000)
    parser.add_argument("--kills", type=int, default=32)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--write",
        action="store_true",
        help="put the summary into benchmarks/RESULTS.md",
    )
    args = parser.parse_args()
    corpus = args.corpus or [
        Path(sysconfig.get_paths()["stdlib"]),
        Path(sysconfig.get_paths()["purelib"]),
    ]
    parts = set(args.parts.split(","))
    rows = ["| part | input | outcome | reported |", "|---|---|---|---|"]
    with tempfile.TemporaryDirectory(prefix="asynclint-probe-") as scratch_name:
        scratch = Path(scratch_name)
        if "sweep" in parts:
            rows += sweep(corpus, scratch)
        if "mutants" in parts:
            rows += mutants(corpus, scratch, args.mutants, args.seed)
        if "kills" in parts:
            rows += kills(scratch, args.kills, args.seed)
        if "hostile" in parts:
            rows += hostile(scratch)
    soft, _ = resource.getrlimit(resource.RLIMIT_AS)
    header = (
        f"`python benchmarks/probe.py --parts {args.parts}`, {time.strftime('%Y-%m-%d')}, Python "
        f"{sys.version.split()[0]}, {os.cpu_count()} CPUs, corpus: {', '.join(str(c) for c in corpus)}"
        f"{'' if soft == resource.RLIM_INFINITY else f', address-space limit {soft}'}."
    )
    summary = "\n".join([header, "", *rows])
    print(summary)
    if args.write:
        results = HERE / "RESULTS.md"
        text = results.read_text(encoding="utf-8")
        start, end = "<!-- probe -->", "<!-- /probe -->"
        block = f"{start}\n## Reliability probe\n\n{summary}\n{end}"
        if start in text and end in text:
            text = text[: text.index(start)] + block + text[text.index(end) + len(end) :]
        else:
            text = text.rstrip("\n") + "\n\n" + block + "\n"
        results.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
