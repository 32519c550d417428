"""Compare asynclint with its peers, side by side, on real code nobody here wrote.

    python benchmarks/run.py                      # default corpora, results printed
    python benchmarks/run.py --write              # ... and written to benchmarks/RESULTS.md
    python benchmarks/run.py /some/dir --repeat 5 # any directories as corpora
    python benchmarks/run.py --baseline REV       # ... and asynclint built from git revision REV beside it

It builds its own environments under benchmarks/.env/ (once; reused after), because flake8
runs every installed plugin whatever `--select` says: plain flake8 (the `--select E9` baseline),
flake8 + asynclint, flake8 + flake8-async, and one with ruff, Fixit and the corpus packages.
Each corpus is copied to a scratch directory so no tool sees a project config or a cache it did
not make.  Every command runs `--repeat` times (the slow peers `--slow-repeat` times),
interleaved round by round so machine noise hits all tools alike.  Each run records its wall time
and its CPU time (user + system of the process and every process it waited for, from
`getrusage(RUSAGE_CHILDREN)` around it): on a shared machine the wall time is noisy, the CPU time
much less.  Medians, min-max spreads and ratios of both are printed.

`--baseline REV` also builds asynclint from that git revision of this repository (`git archive`
into benchmarks/.env/, a venv with the same libcst as the main one, kept after) and runs the
asynclint commands for both builds, each in its own copy of the corpus (so each has its own
cache), in pairs whose order alternates round by round; "this checkout / REV" ratios follow.

`--write` replaces only this script's part of RESULTS.md: the sections of the corpora it ran
(other corpora's sections stay), before the `<!-- notes -->` marker; what follows that marker
(notes, and the sections other scripts write) is kept as it is.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import shlex
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
RESULTS = HERE / "RESULTS.md"
NOTES = "<!-- notes -->"  # RESULTS.md: this script's part is what comes before it
TITLE = "# Benchmark results"
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
THIS = "this checkout"


def bin_of(env: str, name: str) -> str:
    return str(ENV / env / "bin" / name)


def git(*args: str) -> str:
    return subprocess.run(["git", "-C", str(ROOT), *args], capture_output=True, text=True, check=True).stdout.strip()


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


def installed_version(env: str, package: str) -> str:
    out = subprocess.run(
        [bin_of(env, "python"), "-c", f"import importlib.metadata as m; print(m.version({package!r}))"],
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout.strip()


@dataclass
class Build:
    """One asynclint build: the environment it is installed in and the name its rows carry."""

    env: str
    name: str  # "this checkout" or the baseline's short commit
    commit: str  # the full commit (for this checkout: HEAD, "+ changes" when the tree differs)


def this_build() -> Build:
    try:
        head = git("rev-parse", "HEAD")
        dirty = git("status", "--porcelain", "--", "asynclint", "pyproject.toml")
    except (OSError, subprocess.CalledProcessError):
        return Build("main", THIS, "unknown")
    return Build("main", THIS, head + (" + uncommitted changes" if dirty else ""))


def ensure_baseline(rev: str, rebuild: bool) -> Build:
    """asynclint from git revision `rev` of this repository, in its own venv (kept after)."""
    commit = git("rev-parse", "--verify", f"{rev}^{{commit}}")
    short = git("rev-parse", "--short", commit)
    env = f"baseline-{commit[:12]}"
    target, source = ENV / env, ENV / f"{env}-src"
    # The same libcst as the main environment: only asynclint's own code may differ.
    libcst = installed_version("main", "libcst")
    ready = target / ".ready"
    if not rebuild and ready.exists() and ready.read_text() == libcst:
        return Build(env, short, commit)
    print(f"building environment {env} (asynclint at {rev} = {short}, libcst {libcst}) ...", file=sys.stderr)
    shutil.rmtree(target, ignore_errors=True)
    shutil.rmtree(source, ignore_errors=True)
    source.mkdir(parents=True)
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", commit], capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(source)], input=archive, check=True)
    subprocess.run([sys.executable, "-m", "venv", str(target)], check=True)
    subprocess.run([bin_of(env, "pip"), "install", "--quiet", str(source), f"libcst=={libcst}"], check=True)
    ready.write_text(libcst)
    return Build(env, short, commit)


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
    key: str  # what the ratios look it up by
    label: str
    argv: list[str]
    slow: bool = False
    before: list[str] | None = None  # run (untimed) before each timed run: e.g. clear a cache
    after: list[str] | None = None  # run (untimed) after each timed run: e.g. re-make that cache
    build: Build | None = None  # the asynclint build it measures, if it is one of asynclint's own commands
    scratch: str = THIS  # which copy of the corpus it runs in (each asynclint build has its own cache)
    times: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)


def asynclint_commands(build: Build, jobs: int, tagged: bool) -> list[Command]:
    asynclint = bin_of(build.env, "asynclint")
    name = f"asynclint ({build.name})" if tagged else "asynclint"
    clear = ["rm", "-rf", ".asynclint_cache"]
    warm = [asynclint, "check", ".", "-q", "-j", str(jobs)]
    common = {"build": build, "scratch": build.name}
    return [
        # Warm runs must stay warm: the cold ones' cache is made again after them.
        Command("cold", f"{name} check, cold, -j {jobs}", warm, before=clear, after=warm, **common),
        Command("cold1", f"{name} check, cold, -j 1", [*warm[:-1], "1"], before=clear, after=warm, **common),
        Command("warm", f"{name} check, warm, -j {jobs}", warm, **common),
    ]


def peer_commands() -> tuple[list[Command], list[Command]]:
    python = bin_of("main", "python")
    before = [
        Command("parse", "libcst parse, every file (1 process)", [python, "-c", PARSE_SCRIPT, "all"]),
        Command(
            "parse-pre", "libcst parse, pre-checked files only (1 process)", [python, "-c", PARSE_SCRIPT, "candidates"]
        ),
    ]
    after = [
        Command("flake8-e9", "flake8 --select E9 (baseline)", [bin_of("flake8", "flake8"), "--select", "E9", "."]),
        Command(
            "flake8-aio",
            "flake8 --select AIO (asynclint)",
            [bin_of("flake8-asynclint", "flake8"), "--select", "AIO", "."],
        ),
        Command(
            "flake8-async",
            "flake8 --select ASYNC (flake8-async)",
            [bin_of("flake8-async", "flake8"), "--select", "ASYNC", "."],
            slow=True,
        ),
        Command(
            "ruff-cold",
            "ruff --select ASYNC,RUF006, cold",
            [bin_of("main", "ruff"), "check", "--select", "ASYNC,RUF006", "--no-cache", "--exit-zero", "-q", "."],
        ),
        Command(
            "ruff-warm",
            "ruff --select ASYNC,RUF006, warm",
            [bin_of("main", "ruff"), "check", "--select", "ASYNC,RUF006", "--exit-zero", "-q", "."],
        ),
        Command("fixit", "fixit lint", [bin_of("main", "fixit"), "lint", "."], slow=True),
    ]
    return before, after


@dataclass
class Corpus:
    name: str
    text: str


def timed(argv: list[str], cwd: Path) -> tuple[float, float, subprocess.CompletedProcess[bytes]]:
    """Wall seconds and CPU seconds (user + system of the child and all it waited for) of one run."""
    # Nothing else in this process waits for children meanwhile, so the delta is this run's alone.
    start_usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(argv, cwd=cwd, capture_output=True, check=False)
    wall = time.perf_counter() - start
    end_usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (end_usage.ru_utime - start_usage.ru_utime) + (end_usage.ru_stime - start_usage.ru_stime)
    return wall, cpu, done


def run_corpus(name: str, sources: list[Path], args: argparse.Namespace, builds: list[Build], header: str) -> Corpus:
    jobs = args.jobs or len(os.sched_getaffinity(0))
    tagged = len(builds) > 1
    with tempfile.TemporaryDirectory(prefix="asynclint-bench-") as scratch_name:
        scratches: dict[str, Path] = {}
        for build in builds:
            scratches[build.name] = Path(scratch_name) / build.name.replace(" ", "-")
            scratches[build.name].mkdir()
            files, lines = copy_corpus(sources, scratches[build.name])
        print(f"\n== {name}: {files} files, {lines:,} lines", file=sys.stderr)
        first, last = peer_commands()
        # Per asynclint command, one Command per build, the baseline's first.
        pairs = list(zip(*(asynclint_commands(b, jobs, tagged) for b in reversed(builds)), strict=True))
        cmds = [*first, *(c for pair in pairs for c in pair), *last]
        # Warm caches exist before the first timed warm run.
        for warmup in cmds:
            if warmup.key in ("warm", "ruff-warm"):
                subprocess.run(warmup.argv, cwd=scratches[warmup.scratch], capture_output=True, check=False)
        for round_ in range(args.repeat):
            # The pairs alternate which build goes first, so neither always runs on the other's heels.
            ordered = [*first, *(c for pair in pairs for c in (pair if round_ % 2 == 0 else pair[::-1])), *last]
            for cmd in ordered:
                if cmd.slow and round_ >= args.slow_repeat:
                    continue
                cwd = scratches[cmd.scratch]
                if cmd.before:
                    subprocess.run(cmd.before, cwd=cwd, check=False)
                wall, cpu, done = timed(cmd.argv, cwd)
                cmd.times.append(wall)
                cmd.cpu.append(cpu)
                if done.returncode not in (0, 1):
                    print(
                        f"   {cmd.label}: exit {done.returncode}: {done.stderr.decode(errors='replace')[-300:]}",
                        file=sys.stderr,
                    )
                print(f"   round {round_ + 1}: {cmd.label}: {wall:.2f}s wall, {cpu:.2f}s CPU", file=sys.stderr)
                if cmd.after:
                    subprocess.run(cmd.after, cwd=cwd, capture_output=True, check=False)
        return Corpus(name, report(name, header, files, lines, cmds, builds))


def spread(values: list[float], digits: int = 3) -> str:
    return "-" if len(values) < 2 else f"{min(values):.{digits}f}-{max(values):.{digits}f}"


def report(name: str, header: str, files: int, lines: int, cmds: list[Command], builds: list[Build]) -> str:
    ran = [c for c in cmds if c.times]
    wall = {(c.key, c.scratch): statistics.median(c.times) for c in ran}
    cpu = {(c.key, c.scratch): statistics.median(c.cpu) for c in ran}
    rows = [
        f"### {name}",
        "",
        header,
        "",
        f"{files} files, {lines:,} lines.",
        "",
        "| command | wall s (median) | CPU s (median) | wall min-max | CPU min-max | runs |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    rows += [
        f"| {c.label} | {statistics.median(c.times):.3f} | {statistics.median(c.cpu):.3f} | "
        f"{spread(c.times)} | {spread(c.cpu)} | {len(c.times)} |"
        for c in ran
    ]

    def ratio(numerator: str, denominator: str, medians: dict[tuple[str, str], float]) -> str:
        top, bottom = medians.get((numerator, THIS)), medians.get((denominator, THIS))
        return "-" if top is None or bottom is None or bottom <= 0 else f"{top / bottom:.2f}"

    def overhead(medians: dict[tuple[str, str], float]) -> str:
        keys = [(k, THIS) for k in ("flake8-aio", "flake8-e9", "parse")]
        if any(k not in medians for k in keys):
            return "-"
        return f"{(medians[keys[0]] - medians[keys[1]]) / medians[keys[2]]:.2f}"

    ratios = [
        ("cold asynclint / bare libcst parse (target <= 1.5)", "cold", "parse"),
        ("flake8-async / cold asynclint (target >= 15)", "flake8-async", "cold"),
        ("Fixit / cold asynclint (target >= 8)", "fixit", "cold"),
        ("warm asynclint / warm ruff (target <= 3)", "warm", "ruff-warm"),
        ("cold asynclint / cold ruff (target <= 3 on a tree with few async files)", "cold", "ruff-cold"),
    ]
    table = [(label, ratio(top, bottom, wall), ratio(top, bottom, cpu), "") for label, top, bottom in ratios]
    table.insert(
        3,
        ("flake8 AIO overhead over E9 / bare libcst parse (target <= 1.5)", overhead(wall), overhead(cpu), ""),
    )
    for baseline in builds[1:]:
        for key in ("cold", "cold1", "warm"):
            mine = next(c for c in ran if c.key == key and c.scratch == THIS)
            theirs = next(c for c in ran if c.key == key and c.scratch == baseline.name)
            # Each round ran the two one after the other: the per-round ratios show the noise.
            walls = [a / b for a, b in zip(mine.times, theirs.times, strict=True)]
            cpus = [a / b for a, b in zip(mine.cpu, theirs.cpu, strict=True)]
            label = f"asynclint {THIS} / {baseline.name}: " + mine.label.partition(") ")[2]
            table.append(
                (
                    label,
                    f"{wall[key, THIS] / wall[key, baseline.name]:.2f}",
                    f"{cpu[key, THIS] / cpu[key, baseline.name]:.2f}",
                    f"wall {spread(walls, 2)}; CPU {spread(cpus, 2)}",
                )
            )
    if len(builds) > 1:
        rows += ["", "| ratio | wall | CPU | per-round ratios (min-max) |", "|---|---:|---:|---|"]
        rows += [f"| {label} | {w} | {c} | {r} |" for label, w, c, r in table]
    else:
        rows += ["", "| ratio | wall | CPU |", "|---|---:|---:|"]
        rows += [f"| {label} | {w} | {c} |" for label, w, c, _ in table]
    return "\n".join(rows) + "\n"


def merge_results(existing: str, corpora: list[Corpus]) -> str:
    """RESULTS.md with this run's corpus sections in place of the earlier ones of the same corpora.

    Only the part before `<!-- notes -->` is this script's: sections of corpora not run this time
    stay there, and everything from the marker on is kept byte for byte.  A file without the marker
    keeps all its text after the new part.
    """
    if NOTES in existing:
        ours, _, rest = existing.partition(NOTES)
        rest = NOTES + rest
    else:
        ours, rest = "", existing.removeprefix(TITLE).lstrip("\n")
        rest = NOTES + "\n\n" + rest if rest else NOTES + "\n"
    kept: list[tuple[str, str]] = []  # (corpus name, section text) of the earlier run, in order
    for chunk in ("\n" + ours).split("\n### ")[1:]:
        kept.append((chunk.partition("\n")[0].strip(), "### " + chunk.rstrip("\n") + "\n"))
    new = {c.name: c.text for c in corpora}
    sections = [new.pop(name, text) for name, text in kept] + list(new.values())
    return "\n".join([TITLE, "", *sections]) + "\n" + rest


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpora", nargs="*", type=Path, help="directories to use instead of the default corpora")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--slow-repeat", type=int, default=1, help="runs of flake8-async and Fixit (minutes each)")
    parser.add_argument("-j", "--jobs", type=int, default=0)
    parser.add_argument("--rebuild", action="store_true", help="rebuild the benchmark environments")
    parser.add_argument("--write", action="store_true", help="write this run's sections into benchmarks/RESULTS.md")
    parser.add_argument("--only", metavar="TEXT", help="only the default corpora whose name contains TEXT")
    parser.add_argument(
        "--baseline",
        metavar="REV",
        help="also run asynclint built from this git revision of the repository, beside this checkout's",
    )
    args = parser.parse_args()
    ensure_environments(args.rebuild)
    builds = [this_build()]
    if args.baseline:
        builds.append(ensure_baseline(args.baseline, args.rebuild))
    corpora = {str(p): [p.resolve()] for p in args.corpora} if args.corpora else default_corpora()
    if args.only:
        corpora = {name: sources for name, sources in corpora.items() if args.only.lower() in name.lower()}
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
        f"({len(os.sched_getaffinity(0))} available, load average {os.getloadavg()[0]:.1f} at the start)"
    )
    command = shlex.join(["python", "benchmarks/run.py", *sys.argv[1:]])
    lines = [
        f"`{command}`, {time.strftime('%Y-%m-%d')}, on {machine}.",
        f"Tools: {', '.join(sorted(set(pinned)))}.",
        f"asynclint ({THIS}): {builds[0].commit}.",
    ]
    lines += [f"asynclint ({b.name}): {b.commit} (`--baseline {args.baseline}`)." for b in builds[1:]]
    lines.append(
        "CPU s is user + system time of the command and every process it waited for (its workers); "
        "wall and CPU are medians of the runs, min-max their spread."
    )
    header = "\n".join(lines)
    sections = [run_corpus(name, sources, args, builds, header) for name, sources in corpora.items()]
    print("\n".join([TITLE, "", *(c.text for c in sections)]))
    if args.write:
        existing = RESULTS.read_text() if RESULTS.exists() else ""
        RESULTS.write_text(merge_results(existing, sections))
        print(f"wrote {RESULTS.relative_to(ROOT)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
