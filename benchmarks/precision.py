"""Precision review: asynclint's findings on real asyncio packages, next to its peers', with verdicts.

    python benchmarks/precision.py                 # build what is missing, run the tools, print the review
    python benchmarks/precision.py --write         # ... and write "## Precision review" into RESULTS.md
    python benchmarks/precision.py --stub          # ... and add empty entries to verdicts.toml for new findings
    python benchmarks/precision.py --show-unreviewed  # print each finding without a verdict, with its code
    python benchmarks/precision.py --baseline 752e071  # ... and per rule, what changed since that revision

Everything it builds lives in benchmarks/.precision/ (gitignored):
  corpus/<name>/   each pinned package, `pip install --no-deps --target` (wheel), or the package and
                   its tests from the sdist; only the package's sources (no *.dist-info, no bin/)
  env/<tool>/      one virtualenv per peer (flake8 loads every installed plugin: flake8-async gets its own)
  scratch/         an empty config for asynclint and pyright's config, so no project config is read
  baseline/<sha>/  the asynclint package of a --baseline revision (git archive), run the same way
  cache/           each tool's raw output and times, keyed by the tool's version and the corpus's hash
                   (asynclint's "version" is a hash of its source files, so an edit reruns it)

Every tool gets the same explicit list of files (every *.py of the corpus), with the corpus root as
the working directory, so paths compare as they are. asynclint runs with `--select ALL` and the
default target (py310: the corpus packages support 3.9/3.10). Findings are matched across tools by
file + line. The verdicts in benchmarks/verdicts.toml are keyed by code, path, the stripped text of
the finding's line and the occurrence of that text among the same code's findings in the file, so a
version bump that only shifts lines keeps them.
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import io
import json
import os
import platform
import re
import resource
import shutil
import subprocess
import sys
import tarfile
import time
import tomllib
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
WORK = HERE / ".precision"
CORPUS = WORK / "corpus"
ENV = WORK / "env"
SCRATCH = WORK / "scratch"
CACHE = WORK / "cache"
BASELINES = WORK / "baseline"
VERDICTS = HERE / "verdicts.toml"
RESULTS = HERE / "RESULTS.md"

# name -> (requirement, source). "wheel": `pip install --no-deps --target`; "sdist": the sdist's
# package directory and its tests directory (for the test code the wheel leaves out).
PACKAGES: dict[str, tuple[str, str]] = {
    "aiohttp": ("aiohttp==3.14.5", "wheel"),
    "aiokafka": ("aiokafka==0.14.0", "wheel"),
    "discord.py": ("discord.py==2.7.1", "wheel"),
    "aiogram": ("aiogram==3.31.0", "wheel"),
    "asyncpg": ("asyncpg==0.32.0", "wheel"),
    "zeroconf": ("zeroconf==0.154.0", "wheel"),
    "uvicorn": ("uvicorn==0.54.0", "wheel"),
    "sanic": ("sanic==25.12.1", "wheel"),
    "aiosmtpd": ("aiosmtpd==1.4.6", "wheel"),  # its wheel ships aiosmtpd/tests/
    "aioredis": ("aioredis==2.0.1", "wheel"),
    "aiofiles": ("aiofiles==25.1.0", "wheel"),
    "websockets": ("websockets==17.4", "wheel"),
    "httpx": ("httpx==0.28.1", "wheel"),
    "httpcore": ("httpcore==1.0.9", "wheel"),
    "prefect": ("prefect==3.9.1", "wheel"),
    "janus": ("janus==2.0.0", "sdist"),  # janus/ and tests/ from the sdist
}
# Trees inside a package that are not its code: prefect's bundled alembic migrations (generated,
# synchronous) are left out; everything else of prefect/ stays.
SKIP_DIRS = {"prefect": ["prefect/server/database/_migrations"]}

PEERS = {
    "ruff": ["ruff==0.17.6"],
    "flake8-async": ["flake8==7.5.0", "flake8-async==26.8.1"],
    "pyright": ["pyright==1.1.414"],
}

# Peer codes and the asynclint rule(s) that cover the same mistake. Overlaps are computed per group.
MAPPING: list[tuple[str, tuple[str, ...], dict[str, tuple[str, ...]]]] = [
    ("dangling task", ("AIO101",), {"ruff": ("RUF006",), "flake8-async": ("ASYNC300",)}),
    ("time.sleep in a coroutine", ("AIO201",), {"ruff": ("ASYNC251",), "flake8-async": ("ASYNC251",)}),
    (
        "blocking call (HTTP, processes, input)",
        ("AIO202",),
        {
            "ruff": ("ASYNC210", "ASYNC212", "ASYNC220", "ASYNC221", "ASYNC222", "ASYNC250"),
            "flake8-async": ("ASYNC210", "ASYNC211", "ASYNC212", "ASYNC220", "ASYNC221", "ASYNC222", "ASYNC250"),
        },
    ),
    ("blocking file I/O", ("AIO203",), {"ruff": ("ASYNC230", "ASYNC240"), "flake8-async": ("ASYNC230", "ASYNC240")}),
    ("cancellation swallowed", ("AIO603",), {"flake8-async": ("ASYNC103", "ASYNC104")}),
    (
        "coroutine never awaited",
        ("AIO401", "AIO402", "AIO403"),
        {"pyright": ("reportUnusedCoroutine", "never-awaited")},
    ),
]
# pyright's other never-awaited diagnostic: a coroutine used as a truth value (reported under
# reportUnnecessaryComparison, which basic mode leaves off, so the config turns it on; the rest of
# that rule's findings are not mapped).
NEVER_AWAITED = re.compile(r"^Conditional expression references coroutine")


def sh(argv: list[str], **kw) -> subprocess.CompletedProcess:
    return subprocess.run(argv, check=True, **kw)


# ---------------------------------------------------------------- building


def build_corpus(rebuild: bool) -> None:
    CORPUS.mkdir(parents=True, exist_ok=True)
    for name, (requirement, source) in PACKAGES.items():
        target = CORPUS / name
        stamp = target / ".requirement"
        if target.exists() and not rebuild and stamp.exists() and stamp.read_text() == requirement:
            continue
        shutil.rmtree(target, ignore_errors=True)
        print(f"corpus: {requirement} ({source})", file=sys.stderr)
        if source == "wheel":
            sh(
                [
                    sys.executable,
                    "-m",
                    "pip",
                    "install",
                    "--quiet",
                    "--no-deps",
                    "--no-compile",
                    "--target",
                    str(target),
                    requirement,
                ],
                stdout=subprocess.DEVNULL,
            )
            for extra in list(target.iterdir()):
                if extra.name.endswith((".dist-info", ".egg-info")) or extra.name in ("bin", "__pycache__"):
                    shutil.rmtree(extra) if extra.is_dir() else extra.unlink()
        else:
            download = WORK / "sdists"
            download.mkdir(parents=True, exist_ok=True)
            sh(
                [
                    sys.executable,
                    "-m",
                    "pip",
                    "download",
                    "--quiet",
                    "--no-deps",
                    "--no-binary",
                    ":all:",
                    "-d",
                    str(download),
                    requirement,
                ],
                stdout=subprocess.DEVNULL,
            )
            dist, version = requirement.split("==")
            archive = next(download.glob(f"{dist.replace('-', '_')}-{version}.tar.gz"), None) or next(
                download.glob(f"{dist}-{version}.tar.gz")
            )
            target.mkdir(parents=True)
            with tarfile.open(archive) as tar:
                top = f"{archive.name[: -len('.tar.gz')]}/"
                keep = (f"{top}{dist}/", f"{top}tests/")
                members = [m for m in tar.getmembers() if m.name.startswith(keep) and (m.isfile() or m.isdir())]
                for member in members:
                    member.name = member.name[len(top) :]
                tar.extractall(target, members=members, filter="data")
        for skip in SKIP_DIRS.get(name, []):
            shutil.rmtree(target / skip, ignore_errors=True)
        stamp.write_text(requirement)


def build_envs(rebuild: bool) -> None:
    for name, packages in PEERS.items():
        target = ENV / name
        ready = target / ".ready"
        if ready.exists() and ready.read_text() == repr(packages) and not rebuild:
            continue
        shutil.rmtree(target, ignore_errors=True)
        print(f"environment: {name}", file=sys.stderr)
        sh([sys.executable, "-m", "venv", str(target)])
        sh([str(target / "bin" / "pip"), "install", "--quiet", *packages])
        ready.write_text(repr(packages))


def corpus_files() -> list[str]:
    files = []
    for name in PACKAGES:
        for path in sorted((CORPUS / name).rglob("*.py")):
            if "__pycache__" not in path.parts:
                files.append(path.relative_to(CORPUS).as_posix())
    return files


def corpus_hash(files: list[str]) -> str:
    digest = hashlib.sha256()
    for rel in files:
        digest.update(rel.encode() + b"\0" + hashlib.sha256((CORPUS / rel).read_bytes()).digest())
    return digest.hexdigest()[:16]


def asynclint_hash() -> str:
    digest = hashlib.sha256()
    for path in sorted((ROOT / "asynclint").rglob("*.py")):
        digest.update(path.relative_to(ROOT).as_posix().encode() + b"\0" + path.read_bytes())
    return "src-" + digest.hexdigest()[:16]


def tool_version(tool: str) -> str:
    if tool == "asynclint":
        return asynclint_hash()
    pins = " ".join(PEERS[tool])
    if tool == "pyright":  # its findings depend on the settings too
        pins += " config-" + hashlib.sha256(json.dumps(pyright_config(), sort_keys=True).encode()).hexdigest()[:8]
    return pins


# ---------------------------------------------------------------- running


@dataclass
class Finding:
    tool: str
    code: str
    path: str  # relative to CORPUS
    line: int
    message: str
    text: str = ""  # stripped source line
    occurrence: int = 0
    anchor: int = 0  # the line matched against other tools' findings (0: `line`)

    @property
    def key(self) -> tuple:
        return (self.tool, self.code, self.path, self.text, self.occurrence)


@dataclass
class Run:
    tool: str
    version: str
    wall: float
    cpu: float
    findings: list[Finding] = field(default_factory=list)
    note: str = ""


def timed(argv: list[str], cwd: Path, env: dict | None = None) -> tuple[subprocess.CompletedProcess, float, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(argv, cwd=cwd, capture_output=True, env=env, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return done, wall, cpu


def rel(path: str) -> str:
    p = Path(path)
    if p.is_absolute():
        try:
            return p.resolve().relative_to(CORPUS.resolve()).as_posix()
        except ValueError:
            return p.as_posix()
    return p.as_posix().removeprefix("./")


def baseline_tree(rev: str) -> tuple[Path, str]:
    """The `asynclint` package of revision `rev` of this repository, unpacked once (git archive)."""
    sha = sh(["git", "rev-parse", "--verify", f"{rev}^{{commit}}"], cwd=ROOT, capture_output=True).stdout.decode()
    sha = sha.strip()
    tree = BASELINES / sha
    if not (tree / "asynclint" / "__init__.py").exists():
        tree.mkdir(parents=True, exist_ok=True)
        archive = subprocess.run(["git", "archive", sha, "asynclint"], cwd=ROOT, capture_output=True, check=True)
        with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
            tar.extractall(tree, filter="data")
    return tree, sha


def run_asynclint(files: list[str], jobs: int, root: Path = ROOT, version: str | None = None) -> Run:
    SCRATCH.mkdir(parents=True, exist_ok=True)
    config = SCRATCH / "pyproject.toml"
    config.write_text("[tool.asynclint]\n")  # an empty table: the defaults, and no project's settings
    env = dict(os.environ, PYTHONPATH=str(root) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    argv = [
        sys.executable,
        "-m",
        "asynclint",
        "check",
        "--output-format",
        "json",
        "--select",
        "ALL",
        "--no-cache",
        "--config",
        str(config),
        "-j",
        str(jobs),
        "-q",
        *files,
    ]
    done, wall, cpu = timed(argv, CORPUS, env)
    if done.returncode not in (0, 1):
        raise SystemExit(f"asynclint failed ({done.returncode}): {done.stderr.decode()[-2000:]}")
    findings = [
        Finding("asynclint", d["code"], rel(d["path"]), d["line"], d["message"]) for d in json.loads(done.stdout)
    ]
    return Run("asynclint", version or tool_version("asynclint"), wall, cpu, findings)


def run_ruff(files: list[str], jobs: int) -> Run:
    ruff = ENV / "ruff" / "bin" / "ruff"
    argv = [
        str(ruff),
        "check",
        "--isolated",
        "--no-cache",
        "--select",
        "ASYNC,RUF006",
        "--output-format",
        "json",
        "--exit-zero",
        "--target-version",
        "py310",
        *files,
    ]
    done, wall, cpu = timed(argv, CORPUS)
    if done.returncode != 0:
        raise SystemExit(f"ruff failed: {done.stderr.decode()[-2000:]}")
    findings = [
        Finding("ruff", d["code"] or "E999", rel(d["filename"]), d["location"]["row"], d["message"])
        for d in json.loads(done.stdout)
    ]
    return Run("ruff", tool_version("ruff"), wall, cpu, findings)


FLAKE8_LINE = re.compile(r"^(?P<path>.+?):(?P<line>\d+):(?P<col>\d+): (?P<code>[A-Z]+\d+) (?P<msg>.*)$")


def run_flake8_async(files: list[str], jobs: int) -> Run:
    flake8 = ENV / "flake8-async" / "bin" / "flake8"
    base = [str(flake8), "--isolated", "--select", "ASYNC", "--jobs", str(jobs)]
    done, wall, cpu = timed(base + files, CORPUS)
    note = ""
    out = done.stdout.decode(errors="replace")
    if done.returncode not in (0, 1):
        # flake8-async parses with libcst; a file libcst rejects ends flake8's whole run. Then run
        # file by file in chunks and leave out the files that fail (named in the note).
        failed, chunks, out = [], [files[i : i + 200] for i in range(0, len(files), 200)], ""
        while chunks:
            chunk = chunks.pop()
            sub, w, c = timed(base + chunk, CORPUS)
            wall, cpu = wall + w, cpu + c
            if sub.returncode in (0, 1):
                out += sub.stdout.decode(errors="replace")
            elif len(chunk) == 1:
                failed.append(chunk[0])
            else:
                chunks += [chunk[: len(chunk) // 2], chunk[len(chunk) // 2 :]]
        note = f"flake8-async failed on {len(failed)} file(s), left out: {', '.join(sorted(failed))}"
    findings = []
    for line in out.splitlines():
        m = FLAKE8_LINE.match(line)
        if m:
            findings.append(Finding("flake8-async", m["code"], rel(m["path"]), int(m["line"]), m["msg"]))
    return Run("flake8-async", tool_version("flake8-async"), wall, cpu, findings, note)


def pyright_config() -> dict:
    return {
        "include": ["../corpus"],  # pyright takes only paths relative to the config's directory
        "exclude": ["**/__pycache__"],
        "extraPaths": [f"../corpus/{name}" for name in PACKAGES],
        "typeCheckingMode": "basic",
        "pythonVersion": "3.11",
        "reportUnusedCoroutine": "error",
        "reportUnnecessaryComparison": "warning",  # for "coroutine which always evaluates to True"
    }


def run_pyright(files: list[str], jobs: int) -> Run:
    SCRATCH.mkdir(parents=True, exist_ok=True)
    config = SCRATCH / "pyrightconfig.json"
    config.write_text(json.dumps(pyright_config(), indent=2))
    pyright = ENV / "pyright" / "bin" / "pyright"
    env = dict(os.environ, PYRIGHT_PYTHON_CACHE_DIR=str(ENV / "pyright-node"))
    # The pyright wrapper fetches its node package once; do that untimed.
    subprocess.run([str(pyright), "--version"], capture_output=True, env=env, check=False, cwd=SCRATCH)
    argv = [str(pyright), "--outputjson", "-p", str(config), "--threads", str(jobs)]
    done, wall, cpu = timed(argv, SCRATCH, env)
    try:
        report = json.loads(done.stdout)
    except json.JSONDecodeError:
        raise SystemExit(
            f"pyright failed ({done.returncode}): {done.stdout.decode()[-1000:]} {done.stderr.decode()[-1000:]}"
        ) from None
    wanted = set(files)
    findings = []
    for d in report.get("generalDiagnostics", []):
        path = rel(d["file"])
        if path not in wanted:
            continue
        rule = d.get("rule") or d.get("severity", "error")
        findings.append(Finding("pyright", rule, path, d["range"]["start"]["line"] + 1, d["message"]))
    return Run(
        "pyright",
        tool_version("pyright"),
        wall,
        cpu,
        findings,
        f"{report.get('summary', {}).get('filesAnalyzed', '?')} files analysed",
    )


RUNNERS = {"asynclint": run_asynclint, "ruff": run_ruff, "flake8-async": run_flake8_async, "pyright": run_pyright}


def run_cached(tool: str, files: list[str], chash: str, jobs: int, force: bool, baseline: str = "") -> Run:
    if baseline:
        tree, sha = baseline_tree(baseline)
        tool, version = f"asynclint@{sha[:12]}", f"rev-{sha[:12]}"
    else:
        version = tool_version(tool)
    key = hashlib.sha256(f"{tool}\0{version}\0{chash}\0{jobs}".encode()).hexdigest()[:16]
    cache = CACHE / f"{tool}-{key}.json"
    if cache.exists() and not force:
        data = json.loads(cache.read_text())
        return Run(
            data["tool"],
            data["version"],
            data["wall"],
            data["cpu"],
            [Finding(**f) for f in data["findings"]],
            data.get("note", ""),
        )
    print(f"running {tool} ...", file=sys.stderr)
    result = run_asynclint(files, jobs, tree, version) if baseline else RUNNERS[tool](files, jobs)
    CACHE.mkdir(parents=True, exist_ok=True)
    cache.write_text(
        json.dumps(
            {
                "tool": result.tool,
                "version": result.version,
                "wall": result.wall,
                "cpu": result.cpu,
                "note": result.note,
                "findings": [vars(f) for f in result.findings],
            }
        )
    )
    print(
        f"   {tool}: {len(result.findings)} findings, {result.wall:.1f}s wall, {result.cpu:.1f}s CPU", file=sys.stderr
    )
    return result


# Peer codes reported on a statement inside an `except` handler, where asynclint reports the
# handler itself: they are matched by the line of the enclosing `except`.
REPORTED_INSIDE_HANDLER = {("flake8-async", "ASYNC104")}
EXCEPT_LINE = re.compile(r"^(\s*)except\b")


def anchor_line(f: Finding, lines: list[str]) -> int:
    if (f.tool, f.code) not in REPORTED_INSIDE_HANDLER or not 0 < f.line <= len(lines):
        return f.line
    indent = len(lines[f.line - 1]) - len(lines[f.line - 1].lstrip())
    for number in range(f.line - 1, 0, -1):
        m = EXCEPT_LINE.match(lines[number - 1])
        if m and len(m.group(1)) < indent:
            return number
    return f.line


def annotate(findings: list[Finding]) -> None:
    """Fill each finding's line text and its occurrence index (stable keys for the verdicts)."""
    lines: dict[str, list[str]] = {}
    seen: Counter = Counter()
    for f in sorted(findings, key=lambda f: (f.tool, f.code, f.path, f.line)):
        if f.path not in lines:
            try:
                lines[f.path] = (CORPUS / f.path).read_text(encoding="utf-8", errors="replace").splitlines()
            except OSError:
                lines[f.path] = []
        text = lines[f.path][f.line - 1].strip() if 0 < f.line <= len(lines[f.path]) else ""
        f.text = text
        f.anchor = anchor_line(f, lines[f.path])
        base = (f.tool, f.code, f.path, text)
        f.occurrence = seen[base]
        seen[base] += 1


# ---------------------------------------------------------------- verdicts

VERDICT_KINDS = ("true", "false", "debatable")


def load_verdicts() -> tuple[dict[tuple, dict], dict[tuple, dict]]:
    if not VERDICTS.exists():
        return {}, {}
    data = tomllib.loads(VERDICTS.read_text())
    own = {("asynclint", e["code"], e["path"], e["text"], e.get("occurrence", 0)): e for e in data.get("asynclint", [])}
    peer = {(e["tool"], e["code"], e["path"], e["text"], e.get("occurrence", 0)): e for e in data.get("peer", [])}
    return own, peer


def toml_str(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid TOML basic string


def write_verdicts(own: dict[tuple, dict], peer: dict[tuple, dict]) -> None:
    out = [
        "# Verdicts on asynclint's findings (and on peers' findings asynclint misses) over the",
        "# precision corpus of benchmarks/precision.py. Edit `verdict` (true / false / debatable) and",
        "# `why`; `line` is only where it was last seen. Entries are matched by tool, code, path, the",
        "# stripped text of the line and the occurrence of that text (so shifted lines keep them).",
        "# true: a real asyncio bug or risk per RULES.md. false: a false alarm. debatable: tests,",
        "# deliberate shutdown paths, intent unknowable from the code.",
        "# [[peer]] true: asynclint should catch it; false: the peer is wrong there; debatable.",
        "",
    ]
    for table, entries in (("asynclint", own), ("peer", peer)):
        for key in sorted(entries):
            e = entries[key]
            out.append(f"[[{table}]]")
            if table == "peer":
                out.append(f"tool = {toml_str(e['tool'])}")
                out.append(f"maps = {toml_str(e.get('maps', ''))}")
            out.append(f"code = {toml_str(e['code'])}")
            out.append(f"path = {toml_str(e['path'])}")
            out.append(f"text = {toml_str(e['text'])}")
            out.append(f"occurrence = {e.get('occurrence', 0)}")
            out.append(f"line = {e.get('line', 0)}")
            out.append(f"verdict = {toml_str(e.get('verdict', ''))}")
            out.append(f"why = {toml_str(e.get('why', ''))}")
            out.append("")
    VERDICTS.write_text("\n".join(out))


# ---------------------------------------------------------------- analysis


def peer_groups(tool: str, code: str, message: str) -> list[int]:
    groups = []
    for i, (_, _, peers) in enumerate(MAPPING):
        codes = peers.get(tool, ())
        if code in codes or (tool == "pyright" and "never-awaited" in codes and NEVER_AWAITED.search(message)):
            groups.append(i)
    return groups


@dataclass
class Review:
    runs: dict[str, Run]
    files: int
    lines: int
    chash: str
    own_verdicts: dict[tuple, dict]
    peer_verdicts: dict[tuple, dict]
    overlap: list[dict] = field(default_factory=list)
    peer_only: list[tuple[Finding, str]] = field(default_factory=list)


def analyse(runs: dict[str, Run], files: list[str], chash: str) -> Review:
    own_v, peer_v = load_verdicts()
    lines = sum((CORPUS / f).read_bytes().count(b"\n") for f in files)
    review = Review(runs, len(files), lines, chash, own_v, peer_v)
    aio = runs["asynclint"].findings
    for i, (label, codes, peers) in enumerate(MAPPING):
        ours = {(f.path, f.line) for f in aio if f.code in codes}
        for tool in peers:
            if tool not in runs:
                continue
            theirs_f = [f for f in runs[tool].findings if i in peer_groups(tool, f.code, f.message)]
            theirs = {(f.path, f.anchor or f.line) for f in theirs_f}
            review.overlap.append(
                {
                    "label": label,
                    "codes": codes,
                    "tool": tool,
                    "peer_codes": sorted({f.code for f in theirs_f}) or list(peers[tool]),
                    "ours": len(ours),
                    "theirs": len(theirs),
                    "both": len(ours & theirs),
                    "only_ours": len(ours - theirs),
                    "only_theirs": len(theirs - ours),
                }
            )
            for f in theirs_f:
                if (f.path, f.anchor or f.line) not in ours:
                    review.peer_only.append((f, "/".join(codes)))
    return review


def verdict_of(entries: dict[tuple, dict], f: Finding) -> str:
    e = entries.get(f.key)
    return (e or {}).get("verdict", "") or ""


def rule_table(review: Review) -> list[str]:
    aio = review.runs["asynclint"].findings
    by_code = defaultdict(list)
    for f in aio:
        by_code[f.code].append(f)
    peer_counts: dict[str, list[str]] = defaultdict(list)
    for o in review.overlap:
        # A group of several rules (the never-awaited ones) is shown once, on its first rule.
        group = f" [vs {'+'.join(o['codes'])}]" if len(o["codes"]) > 1 else ""
        peer_counts[o["codes"][0]].append(
            f"{o['tool']} {'/'.join(o['peer_codes'])}: {o['theirs']} (both {o['both']}, "
            f"only asynclint {o['only_ours']}, only peer {o['only_theirs']}){group}"
        )
    rows = [
        "| rule | findings | true | false | debatable | unreviewed | precision* | peers (mapped codes; same file+line) |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    codes = sorted(set(by_code) | set(peer_counts))
    for code in codes:
        fs = by_code.get(code, [])
        kinds = Counter(verdict_of(review.own_verdicts, f) for f in fs)
        judged = kinds["true"] + kinds["false"]
        precision = f"{kinds['true'] / judged:.0%}" if judged else "-"
        unreviewed = len(fs) - sum(kinds[k] for k in VERDICT_KINDS)
        rows.append(
            f"| {code} | {len(fs)} | {kinds['true']} | {kinds['false']} | {kinds['debatable']} | {unreviewed} "
            f"| {precision} | {'; '.join(dict.fromkeys(peer_counts.get(code, []))) or '-'} |"
        )
    total = Counter(verdict_of(review.own_verdicts, f) for f in aio)
    judged = total["true"] + total["false"]
    rows.append(
        f"| all | {len(aio)} | {total['true']} | {total['false']} | {total['debatable']} | "
        f"{len(aio) - sum(total[k] for k in VERDICT_KINDS)} | "
        f"{format(total['true'] / judged, '.0%') if judged else '-'} | |"
    )
    return rows


def peer_table(review: Review) -> list[str]:
    rows = ["| tool | code | findings |", "|---|---|---:|"]
    for tool, run in review.runs.items():
        if tool == "asynclint":
            continue
        for code, n in sorted(Counter(f.code for f in run.findings).items()):
            rows.append(f"| {tool} | {code} | {n} |")
    return rows


def peer_only_table(review: Review) -> list[str]:
    rows = [
        "| peer code | asynclint rule | peer-only | true (asynclint should) | false (peer wrong) | debatable | unreviewed |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    groups: dict[tuple, Counter] = defaultdict(Counter)
    for f, maps in review.peer_only:
        groups[(f"{f.tool} {f.code}", maps)][verdict_of(review.peer_verdicts, f) or "unreviewed"] += 1
    for (code, maps), c in sorted(groups.items()):
        rows.append(
            f"| {code} | {maps} | {sum(c.values())} | {c['true']} | {c['false']} | {c['debatable']} | {c['unreviewed']} |"
        )
    return rows


def _same(f: Finding) -> tuple:
    return (f.code, f.path, f.text, f.occurrence)


def change_table(review: Review, before: Run) -> list[str]:
    """Findings per rule, the baseline revision's and this checkout's, with what each gained or lost."""
    now = review.runs["asynclint"].findings
    old_keys, new_keys = {_same(f) for f in before.findings}, {_same(f) for f in now}
    codes = sorted({f.code for f in now} | {f.code for f in before.findings})
    rows = [
        f"| rule | before ({before.version}) | after | gained | of them true / false / debatable | lost |",
        "|---|---:|---:|---:|---|---:|",
    ]
    for code in codes:
        old = [f for f in before.findings if f.code == code]
        new = [f for f in now if f.code == code]
        gained = [f for f in new if _same(f) not in old_keys]
        lost = [f for f in old if _same(f) not in new_keys]
        kinds = Counter(verdict_of(review.own_verdicts, f) for f in gained)
        rows.append(
            f"| {code} | {len(old)} | {len(new)} | {len(gained)} | "
            f"{kinds['true']} / {kinds['false']} / {kinds['debatable']} | {len(lost)} |"
        )
    rows.append(f"| all | {len(before.findings)} | {len(now)} | | | |")
    return rows


def change_list(review: Review, before: Run) -> list[str]:
    """Each finding gained or lost since the baseline, with its verdict."""
    now = review.runs["asynclint"].findings
    old_keys, new_keys = {_same(f) for f in before.findings}, {_same(f) for f in now}
    out = []
    for sign, found, others in (("+", now, old_keys), ("-", before.findings, new_keys)):
        for f in sorted(found, key=lambda f: (f.code, f.path, f.line)):
            if _same(f) in others:
                continue
            entry = review.own_verdicts.get(("asynclint", *_same(f)), {})
            verdict = entry.get("verdict") or "unreviewed"
            out.append(f"- {sign} {f.code} `{f.path}:{f.line}` `{f.text[:80]}` [{verdict}] {entry.get('why', '')}")
    return out


def times_table(review: Review) -> list[str]:
    rows = ["| tool | version | findings | wall s | CPU s | note |", "|---|---|---:|---:|---:|---|"]
    for tool, run in review.runs.items():
        rows.append(
            f"| {tool} | {run.version} | {len(run.findings)} | {run.wall:.1f} | {run.cpu:.1f} | {run.note[:200]} |"
        )
    return rows


def text_report(review: Review, show_unreviewed: bool, before: Run | None = None) -> str:
    aio = review.runs["asynclint"].findings
    out = [f"corpus: {review.files} files, {review.lines:,} lines (hash {review.chash})", ""]
    if before is not None:
        out += [*change_table(review, before), "", *change_list(review, before), ""]
    out += [*times_table(review), "", *rule_table(review), "", "peer findings by code:", *peer_table(review)]
    out += ["", "peer findings asynclint misses on mapped rules:", *peer_only_table(review)]
    new = [f for f in aio if verdict_of(review.own_verdicts, f) not in VERDICT_KINDS]
    new_peer = [f for f, _ in review.peer_only if verdict_of(review.peer_verdicts, f) not in VERDICT_KINDS]
    current = {f.key for f in aio} | {f.key for f, _ in review.peer_only}
    gone = [e for k, e in {**review.own_verdicts, **review.peer_verdicts}.items() if k not in current]
    out += [
        "",
        f"asynclint findings without a verdict: {len(new)}; peer-only findings without a verdict: {len(new_peer)}",
    ]
    if show_unreviewed:
        for f in new + new_peer:
            out.append(f"  {f.path}:{f.line}: {f.tool} {f.code} {f.message}")
            out.append(f"      {f.text}")
    out.append(f"verdict entries whose finding disappeared: {len(gone)}")
    for e in gone:
        out.append(
            f"  {e.get('tool', 'asynclint')} {e['code']} {e['path']} (line {e.get('line')}): {e['text']!r} [{e.get('verdict')}]"
        )
    falses = [f for f in aio if verdict_of(review.own_verdicts, f) == "false"]
    if falses:
        out += ["", "false findings:"]
        for f in sorted(falses, key=lambda f: (f.code, f.path, f.line)):
            out.append(f"  {f.code} {f.path}:{f.line}: {f.text}  -- {review.own_verdicts[f.key].get('why', '')}")
    return "\n".join(out)


def markdown(review: Review, before: Run | None = None) -> str:
    versions = ", ".join(req for req, _ in PACKAGES.values())
    peers = ", ".join(p for pins in PEERS.values() for p in pins)
    aio = review.runs["asynclint"].findings
    falses = sorted(
        (f for f in aio if verdict_of(review.own_verdicts, f) == "false"), key=lambda f: (f.code, f.path, f.line)
    )
    rows = [
        "## Precision review",
        "",
        (
            f"`python benchmarks/precision.py --write`, {datetime.date.today().isoformat()}, on {platform.platform()}, "
            f"Python {platform.python_version()}, {len(os.sched_getaffinity(0))} CPUs."
        ),
        f"Corpus ({review.files} files, {review.lines:,} lines, hash {review.chash}): {versions}.",
        f"Peers: {peers}. asynclint: this checkout ({review.runs['asynclint'].version}), `--select ALL`, target py310.",
        (
            "Verdicts: `benchmarks/verdicts.toml` (true = a real asyncio bug or risk; false = a false alarm; "
            "debatable = tests, deliberate shutdown paths, intent the code does not show). Precision* = true / (true + false)."
        ),
        "",
        "### Per rule",
        "",
    ]
    rows += rule_table(review)
    rows += ["", "### Peer findings asynclint misses (mapped rules), with verdicts", "", *peer_only_table(review)]
    if before is not None:
        rows += ["", f"### Before and after (`--baseline`: asynclint at {before.version})", ""]
        rows += [*change_table(review, before), "", *change_list(review, before)]
    rows += ["", "### Times (one run each, the corpus's explicit file list)", "", *times_table(review)]
    if falses:
        rows += ["", "### False findings", ""]
        for f in falses:
            rows.append(f"- {f.code} `{f.path}:{f.line}` `{f.text[:100]}`: {review.own_verdicts[f.key].get('why', '')}")
    return "\n".join(rows) + "\n"


def write_results(section: str) -> None:
    start, end = "<!-- precision:start -->", "<!-- precision:end -->"
    text = RESULTS.read_text() if RESULTS.exists() else "# Benchmark results\n"
    block = f"{start}\n{section}{end}\n"
    if start in text and end in text:
        before, _, rest = text.partition(start)
        _, _, after = rest.partition(end)
        text = before + block + after.lstrip("\n")
    else:
        if "<!-- notes -->" not in text:
            text += "\n<!-- notes -->\n"  # benchmarks/run.py --write keeps what follows this marker
        text = text.rstrip("\n") + "\n\n" + block
    RESULTS.write_text(text)


def stub(review: Review) -> int:
    current = {f.key for f in review.runs["asynclint"].findings} | {f.key for f, _ in review.peer_only}
    # An empty entry whose finding is gone is dropped; a reviewed one is kept (and reported).
    own = {k: e for k, e in review.own_verdicts.items() if e.get("verdict") or k in current}
    peer = {k: e for k, e in review.peer_verdicts.items() if e.get("verdict") or k in current}
    added = 0
    for f in review.runs["asynclint"].findings:
        e = own.setdefault(f.key, {"code": f.code, "path": f.path, "text": f.text, "occurrence": f.occurrence})
        added += "verdict" not in e
        e.setdefault("verdict", "")
        e.setdefault("why", "")
        e["line"] = f.line
    for f, maps in review.peer_only:
        e = peer.setdefault(
            f.key, {"tool": f.tool, "code": f.code, "path": f.path, "text": f.text, "occurrence": f.occurrence}
        )
        added += "verdict" not in e
        e.setdefault("verdict", "")
        e.setdefault("why", "")
        e["maps"] = maps
        e["line"] = f.line
    write_verdicts(own, peer)
    return added


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tools", default="asynclint,ruff,flake8-async,pyright", help="comma-separated (default: all)")
    parser.add_argument("--rerun", default="", help="comma-separated tools to run again even if cached")
    parser.add_argument("--rebuild", action="store_true", help="reinstall the corpus and the environments")
    parser.add_argument("-j", "--jobs", type=int, default=len(os.sched_getaffinity(0)))
    parser.add_argument(
        "--stub",
        action="store_true",
        help="add empty entries for new findings to verdicts.toml "
        "(and refresh the line hints); reviewed entries whose finding disappeared are kept, empty ones dropped",
    )
    parser.add_argument("--show-unreviewed", action="store_true")
    parser.add_argument("--write", action="store_true", help="write the section into benchmarks/RESULTS.md")
    parser.add_argument(
        "--baseline",
        metavar="REV",
        default="",
        help="also run asynclint as of git revision REV and list, per rule, the findings gained and lost since",
    )
    args = parser.parse_args()
    build_corpus(args.rebuild)
    build_envs(args.rebuild)
    files = corpus_files()
    chash = corpus_hash(files)
    rerun = set(filter(None, args.rerun.split(",")))
    runs = {}
    for tool in args.tools.split(","):
        runs[tool] = run_cached(tool, files, chash, args.jobs, tool in rerun)
    before = run_cached("asynclint", files, chash, args.jobs, False, args.baseline) if args.baseline else None
    for run in [*runs.values(), *([before] if before else [])]:
        annotate(run.findings)
    review = analyse(runs, files, chash)
    if args.stub:
        print(f"verdicts.toml: {stub(review)} new entries", file=sys.stderr)
        review = analyse(runs, files, chash)
    print(text_report(review, args.show_unreviewed, before))
    if args.write:
        write_results(markdown(review, before))
        print(f"wrote {RESULTS.relative_to(ROOT)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
