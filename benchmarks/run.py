"""Compare asynclint with its peers, side by side, on real code nobody here wrote.

    python benchmarks/run.py                      # default corpora, results printed
    python benchmarks/run.py --write              # ... and written to benchmarks/RESULTS.md
    python benchmarks/run.py /some/dir --repeat 5 # any directories as corpora

It builds its own environments under benchmarks/.env/ (once; reused after), because flake8
runs every installed plugin whatever `--select` says: plain flake8 (the `--select E9` baseline),
flake8 + asynclint, flake8 + flake8-async, and one with ruff, Fixit and the corpus packages.
Each corpus is copied to a scratch directory so no tool sees a project config or a cache it did
not make.  Every command runs `--repeat` times (the slow peers `--slow-repeat` times),
interleaved round by round so machine noise hits all tools alike; medians and ratios are printed.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
ENV = HERE / ".env"
CORPUS_PACKAGES = ["aiohttp", "aiokafka", "discord.py", "aiogram"]
CORPUS_IMPORT_NAMES = ["aiohttp", "aiokafka", "discord", "aiogram"]
ENVIRONMENTS = {
    "main": [str(ROOT), "ruff", "fixit", *CORPUS_PACKAGES],
    "flake8": ["flake8"],
    "flake8-asynclint": ["flake8", str(ROOT)],
    "flake8-async": ["flake8", "flake8-async"],
}
PARSE_SCRIPT = """
import sys, libcst
from asynclint.config import Settings
from asynclint.engine import select_rules
from asynclint.discovery import collect_files
files = collect_files(["."]).files
only_candidates = sys.argv[1] == "candidates"
for path in files:
    data = open(path, "rb").read()
    if only_candidates and not select_rules(Settings(), path, data):
        continue
    try:
        libcst.parse_module(data)
    except Exception:
        pass
"""


def bin_of(env: str, name: str) -> str:
    return str(ENV / env / "bin" / name)


def ensure_environments(rebuild: bool) -> None:
    for name, packages in ENVIRONMENTS.items():
        target = ENV / name
        if target.exists() and not rebuild and (target / ".ready").exists():
            continue
        shutil.rmtree(target, ignore_errors=True)
        print(f"building environment {name} ...", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "venv", str(target)], check=True)
        subprocess.run([bin_of(name, "pip"), "install", "--quiet", *packages], check=True)
        (target / ".ready").write_text("")
    # The environments are reused, but asynclint itself must be the checkout being measured.
    for name, packages in ENVIRONMENTS.items():
        if str(ROOT) in packages:
            subprocess.run(
                [bin_of(name, "pip"), "install", "--quiet", "--no-deps", "--force-reinstall", str(ROOT)], check=True
            )


def site_packages(env: str) -> Path:
    out = subprocess.run(
        [bin_of(env, "python"), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    )
    return Path(out.stdout.strip())


def default_corpora() -> dict[str, list[Path]]:
    packages = site_packages("main")
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    return {
        "asyncio packages (aiohttp, aiokafka, discord.py, aiogram)": [packages / name for name in CORPUS_IMPORT_NAMES],
        "CPython standard library (few async files)": [stdlib],
    }


def copy_corpus(sources: list[Path], scratch: Path) -> tuple[int, int]:
    files = lines = 0
    for source in sources:
        destination = scratch / source.name
        shutil.copytree(source, destination, ignore=shutil.ignore_patterns("site-packages", "__pycache__", "*.pyc"))
    for path in scratch.rglob("*.py"):
        files += 1
        lines += path.read_bytes().count(b"\n")
    return files, lines


@dataclass
class Command:
    label: str
    argv: list[str]
    slow: bool = False
    before: list[str] | None = None  # run (untimed) before each timed run: e.g. clear a cache
    times: list[float] = field(default_factory=list)


def commands(jobs: int) -> list[Command]:
    asynclint = bin_of("main", "asynclint")
    python = bin_of("main", "python")
    clear = ["rm", "-rf", ".asynclint_cache"]
    return [
        Command("libcst parse, every file (1 process)", [python, "-c", PARSE_SCRIPT, "all"]),
        Command("libcst parse, pre-checked files only (1 process)", [python, "-c", PARSE_SCRIPT, "candidates"]),
        Command(f"asynclint check, cold, -j {jobs}", [asynclint, "check", ".", "-q", "-j", str(jobs)], before=clear),
        Command("asynclint check, cold, -j 1", [asynclint, "check", ".", "-q", "-j", "1"], before=clear),
        Command(f"asynclint check, warm, -j {jobs}", [asynclint, "check", ".", "-q", "-j", str(jobs)]),
        Command("flake8 --select E9 (baseline)", [bin_of("flake8", "flake8"), "--select", "E9", "."]),
        Command("flake8 --select AIO (asynclint)", [bin_of("flake8-asynclint", "flake8"), "--select", "AIO", "."]),
        Command(
            "flake8 --select ASYNC (flake8-async)",
            [bin_of("flake8-async", "flake8"), "--select", "ASYNC", "."],
            slow=True,
        ),
        Command(
            "ruff --select ASYNC,RUF006, cold",
            [bin_of("main", "ruff"), "check", "--select", "ASYNC,RUF006", "--no-cache", "--exit-zero", "-q", "."],
        ),
        Command(
            "ruff --select ASYNC,RUF006, warm",
            [bin_of("main", "ruff"), "check", "--select", "ASYNC,RUF006", "--exit-zero", "-q", "."],
        ),
        Command("fixit lint", [bin_of("main", "fixit"), "lint", "."], slow=True),
    ]


def run_corpus(name: str, sources: list[Path], args: argparse.Namespace) -> str:
    jobs = args.jobs or len(os.sched_getaffinity(0))
    with tempfile.TemporaryDirectory(prefix="asynclint-bench-") as scratch_name:
        scratch = Path(scratch_name)
        files, lines = copy_corpus(sources, scratch)
        print(f"\n== {name}: {files} files, {lines:,} lines", file=sys.stderr)
        cmds = commands(jobs)
        # Warm caches exist before the first timed warm run.
        for warmup in (cmds[4], cmds[9]):
            subprocess.run(warmup.argv, cwd=scratch, capture_output=True, check=False)
        for round_ in range(args.repeat):
            for cmd in cmds:
                if cmd.slow and round_ >= args.slow_repeat:
                    continue
                if cmd.before:
                    subprocess.run(cmd.before, cwd=scratch, check=False)
                start = time.perf_counter()
                done = subprocess.run(cmd.argv, cwd=scratch, capture_output=True, check=False)
                cmd.times.append(time.perf_counter() - start)
                if done.returncode not in (0, 1):
                    print(
                        f"   {cmd.label}: exit {done.returncode}: {done.stderr.decode(errors='replace')[-300:]}",
                        file=sys.stderr,
                    )
                print(f"   round {round_ + 1}: {cmd.label}: {cmd.times[-1]:.2f}s", file=sys.stderr)
                # Warm runs must stay warm: re-run the cold ones' cache afterwards.
                if cmd.before:
                    subprocess.run(cmds[4].argv, cwd=scratch, capture_output=True, check=False)
        return report(name, files, lines, cmds, jobs)


def report(name: str, files: int, lines: int, cmds: list[Command], jobs: int) -> str:
    median = {c.label: statistics.median(c.times) for c in cmds if c.times}
    cold = median[f"asynclint check, cold, -j {jobs}"]
    warm = median[f"asynclint check, warm, -j {jobs}"]
    rows = [
        f"### {name}",
        "",
        f"{files} files, {lines:,} lines.",
        "",
        "| command | median s | runs |",
        "|---|---:|---:|",
    ]
    rows += [f"| {c.label} | {median[c.label]:.3f} | {len(c.times)} |" for c in cmds if c.times]
    parse_all = median["libcst parse, every file (1 process)"]
    flake8_overhead = median["flake8 --select AIO (asynclint)"] - median["flake8 --select E9 (baseline)"]
    ratios = [
        ("cold asynclint / bare libcst parse (target <= 1.5)", cold / parse_all),
        ("flake8-async / cold asynclint (target >= 15)", median["flake8 --select ASYNC (flake8-async)"] / cold),
        ("Fixit / cold asynclint (target >= 8)", median["fixit lint"] / cold),
        ("flake8 AIO overhead over E9 / bare libcst parse (target <= 1.5)", flake8_overhead / parse_all),
        ("warm asynclint / warm ruff (target <= 3)", warm / median["ruff --select ASYNC,RUF006, warm"]),
        (
            "cold asynclint / cold ruff (target <= 3 on a tree with few async files)",
            cold / median["ruff --select ASYNC,RUF006, cold"],
        ),
    ]
    rows += ["", "| ratio | value |", "|---|---:|"] + [f"| {label} | {value:.2f} |" for label, value in ratios]
    return "\n".join(rows) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpora", nargs="*", type=Path, help="directories to use instead of the default corpora")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--slow-repeat", type=int, default=1, help="runs of flake8-async and Fixit (minutes each)")
    parser.add_argument("-j", "--jobs", type=int, default=0)
    parser.add_argument("--rebuild", action="store_true", help="rebuild the benchmark environments")
    parser.add_argument("--write", action="store_true", help="write benchmarks/RESULTS.md")
    parser.add_argument("--only", metavar="TEXT", help="only the default corpora whose name contains TEXT")
    args = parser.parse_args()
    ensure_environments(args.rebuild)
    corpora = {str(p): [p.resolve()] for p in args.corpora} if args.corpora else default_corpora()
    if args.only:
        corpora = {name: sources for name, sources in corpora.items() if args.only.lower() in name.lower()}
    sections = [run_corpus(name, sources, args) for name, sources in corpora.items()]
    versions = subprocess.run(
        [bin_of("main", "python"), "-m", "pip", "list", "--format", "freeze"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    wanted = ("asynclint", "libcst", "ruff", "fixit", *CORPUS_PACKAGES)
    pinned = [line for line in versions.splitlines() if line.split("==")[0].lower() in wanted]
    for env in ("flake8-async", "flake8"):
        out = subprocess.run(
            [bin_of(env, "pip"), "list", "--format", "freeze"], capture_output=True, text=True, check=False
        ).stdout
        pinned += [line for line in out.splitlines() if line.split("==")[0].lower() in ("flake8", "flake8-async")]
    machine = (
        f"{platform.platform()}, Python {platform.python_version()}, {os.cpu_count()} CPUs "
        f"({len(os.sched_getaffinity(0))} available)"
    )
    text = "\n".join(
        [
            "# Benchmark results",
            "",
            f"`python benchmarks/run.py --write`, {time.strftime('%Y-%m-%d')}, on {machine}.",
            f"Tools: {', '.join(sorted(set(pinned)))}.",
            "",
            *sections,
        ]
    )
    print(text)
    if args.write:
        existing = (HERE / "RESULTS.md").read_text() if (HERE / "RESULTS.md").exists() else ""
        notes = existing.partition("<!-- notes -->")[2]
        (HERE / "RESULTS.md").write_text(text + "\n<!-- notes -->" + notes)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
