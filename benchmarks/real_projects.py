"""Run real projects' own test suites before and after `asynclint fix`.

    python benchmarks/real_projects.py                  # every project, table printed
    python benchmarks/real_projects.py --only janus     # one project (repeatable, or a,b)
    python benchmarks/real_projects.py --write          # ... and the "Real projects" section of RESULTS.md
    python benchmarks/real_projects.py --keep           # keep the scratch trees for a look

Two groups of projects, all from their PyPI sdists:

* old packages (written for Python 3.4-3.7): the suite runs on the pristine tree, then once
  more after the README's migration command (`asynclint fix --select AIO3 --unsafe-fixes
  --target-version py311`), run ONCE over the package and its tests. Convergence: the findings
  still carrying an applicable fix after that run, and the size of the diff a second run makes.
* modern projects: the suite runs on the pristine tree, after `asynclint fix` (safe fixes,
  the project's own target version) and, on a fresh copy, after `asynclint fix --unsafe-fixes`.
  Every test that passed before and fails after is re-run on trees fixed with one code at a
  time (`--select CODE`, each code whose fix was applicable in that mode) to name the rule.

Static checks: ruff (F401, E402, F841, RUF100, E501 at the project's own line length as asynclint
reads it, else 88; I001 with the project's isort settings where it uses isort or ruff's I) and mypy (only where the project ships a mypy config) before and after the safe fix (the
migration for old packages); findings are keyed by file, code and message (line numbers move),
and each new one is pinned on a rule the same way.

Everything downloaded or built lives in benchmarks/.projects/ (gitignored): sdists/, venvs/
and wheels/ are reused by later runs; results/ holds one JSON per project so a later
`--only X --write` keeps the other projects' last numbers. The unpacked trees are scratch in
$TMPDIR/asynclint-real-projects/ (or $REAL_PROJECTS_SCRATCH), outside this checkout so that
neither asynclint nor pytest reads the checkout's own pyproject.toml; removed unless --keep.
Test suites run one at a time, single process (`-p no:xdist`), each test under pytest-timeout.
"""

from __future__ import annotations

import argparse
import collections
import configparser
import datetime
import hashlib
import json
import os
import platform
import re
import shutil
import signal
import subprocess
import sys
import tarfile
import tempfile
import time
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
WORK = HERE / ".projects"
SDISTS = WORK / "sdists"
VENVS = WORK / "venvs"
# The unpacked trees live outside this checkout: inside it, asynclint would read the checkout's
# own [tool.asynclint] (target py311) for a project without one, and pytest its ini options.
TREES = Path(os.environ.get("REAL_PROJECTS_SCRATCH", Path(tempfile.gettempdir()) / "asynclint-real-projects"))
RESULTS_DIR = WORK / "results"
PLUGIN_DIR = WORK / "plugin"
WHEELS = WORK / "wheels"
RESULTS_MD = HERE / "RESULTS.md"
SECTION_START = "<!-- real-projects -->"
SECTION_END = "<!-- /real-projects -->"
MIGRATE = ["--select", "AIO3", "--unsafe-fixes", "--target-version", "py311"]  # README's command
RUFF_CODES = "F401,E402,F841,RUF100,E501"  # and I001 where the project sorts imports (isort_options)
TOOLS_DEPS = ["ruff"]

# A tiny pytest plugin: one JSON line per test outcome, written as it happens, so a suite that
# is killed at its time limit still leaves what it finished.  Works with pytest 3 and later.
PLUGIN = r"""
import json, os
_PATH = os.environ["REAL_PROJECTS_RESULTS"]
_SEEN = {}

def _crash(report):
    lr = getattr(report, "longrepr", None)
    crash = getattr(lr, "reprcrash", None)
    if crash is not None:
        return str(crash.message).splitlines()[0][:300] if crash.message else ""
    if isinstance(lr, tuple) and len(lr) == 3:
        return str(lr[2])[:300]
    text = str(lr or "").strip().splitlines()
    return text[-1][:300] if text else ""

def _write(nodeid, outcome, when, msg):
    with open(_PATH, "a") as f:
        f.write(json.dumps({"id": nodeid, "outcome": outcome, "when": when, "msg": msg}) + "\n")

def pytest_collectreport(report):
    if report.failed:
        _write(report.nodeid or "<collection>", "collect-error", "collect", _crash(report))

def pytest_runtest_logreport(report):
    xfail = hasattr(report, "wasxfail")
    if report.when == "call":
        if report.passed:
            outcome = "xpassed" if xfail else "passed"
        elif report.skipped:
            outcome = "xfailed" if xfail else "skipped"
        else:
            outcome = "failed"
    elif report.failed:
        outcome = "error"
    elif report.skipped:
        outcome = "xfailed" if xfail else "skipped"
    else:
        return
    _write(report.nodeid, outcome, report.when, _crash(report) if outcome in ("failed", "error") else "")
"""

PASS = {"passed", "xfailed", "skipped", "xpassed"}  # not a failure (skips are not counted as passes)


@dataclass
class Project:
    name: str  # what --only takes
    dist: str  # PyPI name
    version: str
    kind: str  # "old" | "modern"
    fix_paths: list[str]  # relative to the tree's root
    lib_paths: list[str]  # the package itself (mypy's targets)
    test_args: list[str] = field(default_factory=list)  # pytest arguments (paths, -k, --deselect)
    deps: list[str] = field(default_factory=list)  # the test venv's requirements
    env: dict[str, str] = field(default_factory=dict)
    timeout: int = 900  # whole suite, seconds
    test_timeout: int = 60  # one test, seconds (pytest-timeout)
    tests_from: tuple[str, str, str] | None = None  # (dist, version, dir): tests from another sdist
    so_from_wheel: bool = False  # copy compiled extensions from the same version's wheel
    mypy: bool = False  # the project ships a mypy config
    only_parse: bool = False  # aioredis 0.3.5: count AIO001 files before and after
    has_tests: bool = True
    create_files: dict[str, str] = field(default_factory=dict)  # files the tests expect from a checkout
    needs: list[str] = field(default_factory=list)  # programs the suite runs (checked before anything)
    selection: str = ""  # what part of the suite runs, and why
    note: str = ""

    @property
    def key(self) -> str:
        return self.name


PYTEST = "pytest"
TIMEOUT = "pytest-timeout"

PROJECTS: list[Project] = [
    # ---- old packages ------------------------------------------------------------------------
    Project(
        "janus-0.3.2",
        "janus",
        "0.3.2",
        "old",
        ["janus", "tests"],
        ["janus"],
        ["tests"],
        [PYTEST, TIMEOUT],
        timeout=600,
        test_timeout=10,
        selection="whole suite (tests/)",
    ),
    Project(
        "aiosmtpd-1.0",
        "aiosmtpd",
        "1.0",
        "old",
        ["aiosmtpd"],
        ["aiosmtpd"],
        ["aiosmtpd/tests"],
        [PYTEST, TIMEOUT, "atpublic"],
        timeout=900,
        test_timeout=15,
        selection="whole suite (aiosmtpd/tests, run by pytest instead of nose2; the docs' doctests are not collected)",
    ),
    Project(
        "aiozmq-0.9.0",
        "aiozmq",
        "0.9.0",
        "old",
        ["aiozmq", "tests"],
        ["aiozmq"],
        ["tests"],
        [PYTEST, TIMEOUT, "pyzmq", "msgpack"],
        timeout=1200,
        test_timeout=15,
        tests_from=("aiozmq", "1.0.0", "tests"),
        selection="aiozmq 0.9.0's sdist ships no tests: the tests/ of the 1.0.0 sdist (the first that ships them), run against 0.9.0's package",
    ),
    Project(
        "aioredis-1.3.1",
        "aioredis",
        "1.3.1",
        "old",
        ["aioredis", "tests"],
        ["aioredis"],
        ["tests", "--redis-server=/usr/bin/redis-server"],
        ["pytest<8", TIMEOUT, "async-timeout<4", "hiredis<3"],
        timeout=1500,
        test_timeout=30,
        needs=["/usr/bin/redis-server"],
        selection="whole suite against a local redis-server (Debian's `apt-get install redis-server`, 7.0) and "
        "redis-server --sentinel; pytest 7 (the conftest uses yield_fixture)",
    ),
    Project(
        "aioredis-0.3.5",
        "aioredis",
        "0.3.5",
        "old",
        ["aioredis", "tests"],
        ["aioredis"],
        only_parse=True,
        has_tests=False,
        selection="parse only: files with AIO001 before and after the migration",
    ),
    # ---- modern projects ---------------------------------------------------------------------
    Project(
        "discord.py",
        "discord.py",
        "2.7.1",
        "modern",
        ["discord", "tests"],
        ["discord"],
        ["tests"],
        [PYTEST, TIMEOUT, "pytest-asyncio", "pytest-mock", "aiohttp>=3.7.4,<4", "typing-extensions"],
        timeout=900,
        create_files={".gitignore": ""},
        selection="whole suite (tests/); an empty .gitignore is created because test_files.py opens the "
        "checkout's (the sdist has none)",
    ),
    Project(
        "aiosmtpd",
        "aiosmtpd",
        "1.4.6",
        "modern",
        ["aiosmtpd"],
        ["aiosmtpd"],
        ["aiosmtpd/tests", "-W", "ignore::DeprecationWarning"],
        [PYTEST, TIMEOUT, "pytest-asyncio", "pytest-mock", "atpublic", "attrs", "mypy"],
        timeout=1200,
        mypy=True,
        selection="aiosmtpd/tests (the qa/ tests check the sdist's own files and are left out)",
    ),
    Project(
        "zeroconf",
        "zeroconf",
        "0.154.0",
        "modern",
        ["src/zeroconf", "tests"],
        ["src/zeroconf"],
        ["tests", "-o", "pythonpath=src", "--ignore=tests/benchmarks"],
        [PYTEST, TIMEOUT, "pytest-asyncio", "ifaddr", "mypy"],
        timeout=1200,
        mypy=True,
        env={"SKIP_CYTHON": "1"},
        selection="whole suite but tests/benchmarks (codspeed benchmarks), pure Python (no Cython build)",
    ),
    Project(
        "uvicorn",
        "uvicorn",
        "0.54.0",
        "modern",
        ["uvicorn", "tests"],
        ["uvicorn"],
        ["tests", "-o", "filterwarnings=ignore::DeprecationWarning", "-o", "xfail_strict=true"],
        [
            PYTEST,
            TIMEOUT,
            "pytest-mock",
            "click",
            "h11",
            "httptools",
            "python-dotenv",
            "PyYAML",
            "uvloop",
            "watchfiles",
            "websockets",
            "wsproto",
            "a2wsgi",
            "httpx",
            "httpx2",
            "trustme",
            "cryptography",
            "typing-extensions",
            "mypy",
            "types-click",
            "types-pyyaml",
        ],
        timeout=1200,
        mypy=True,
        selection="whole suite, one process (its addopts' `-n 8` dropped)",
    ),
    Project(
        "aiohttp",
        "aiohttp",
        "3.14.5",
        "modern",
        ["aiohttp", "tests"],
        ["aiohttp"],
        [
            f"tests/{n}.py"
            for n in (
                "test_base_protocol",
                "test_client_functional",
                "test_client_request",
                "test_client_session",
                "test_client_ws_functional",
                "test_compression_utils",
                "test_connector",
                "test_flowcontrol_streams",
                "test_http_parser",
                "test_multipart",
                "test_proxy_functional",
                "test_run_app",
                "test_streams",
                "test_web_app",
                "test_web_request",
                "test_web_response",
                "test_web_runner",
                "test_web_server",
                "test_web_sendfile_functional",
                "test_web_urldispatcher",
                "test_urldispatch",
                "test_worker",
            )
        ]
        + ["-o", "filterwarnings=ignore::DeprecationWarning"],
        [
            PYTEST,
            TIMEOUT,
            "pytest-mock",
            "pytest-asyncio",
            "multidict",
            "yarl",
            "aiosignal",
            "frozenlist",
            "attrs",
            "propcache",
            "aiohappyeyeballs",
            "re-assert",
            "freezegun",
            "trustme",
            "brotli",
            "blockbuster",
            "proxy.py",
            "gunicorn",
            "mypy",
        ],
        timeout=1800,
        mypy=True,
        env={"AIOHTTP_NO_EXTENSIONS": "1"},
        selection="the 22 test files asynclint changes or that test a module it changes; pure Python (AIOHTTP_NO_EXTENSIONS=1)",
    ),
    Project(
        "aiokafka",
        "aiokafka",
        "0.14.0",
        "modern",
        ["aiokafka"],
        ["aiokafka"],
        deps=["mypy", "async-timeout", "packaging", "typing-extensions"],
        mypy=True,
        has_tests=False,
        selection="no test suite: no aiokafka sdist ships tests (0.5.2 to 0.14.0 checked); static checks only",
    ),
    Project(
        "asyncpg",
        "asyncpg",
        "0.32.0",
        "modern",
        ["asyncpg", "tests"],
        ["asyncpg"],
        [
            "tests/test_connect.py::TestConnectParams",
            "tests/test_connect.py::TestConnectionCleanup",
            "tests/test_scram.py",
            "tests/test_test.py",
            "tests/test_types.py",
        ],
        [PYTEST, TIMEOUT, "mypy", "distro"],
        timeout=600,
        so_from_wheel=True,
        mypy=True,
        selection="the test classes that need no PostgreSQL server (TestConnectParams, TestConnectionCleanup, "
        "test_scram, test_test, test_types); compiled extensions copied from the 0.32.0 wheel",
    ),
]


# ---- small helpers ------------------------------------------------------------------------------


def log(*parts: object) -> None:
    print(time.strftime("%H:%M:%S"), *parts, file=sys.stderr, flush=True)


def run(
    cmd: list[str],
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
    timeout: float = 600,
    check: bool = False,
) -> subprocess.CompletedProcess[str]:
    """Run in a new session; on timeout kill the whole process group."""
    full_env = {**os.environ, **(env or {})}
    proc = subprocess.Popen(
        cmd,
        cwd=cwd,
        env=full_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        errors="replace",
        start_new_session=True,
    )
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        out, err = proc.communicate()
        err += f"\n[timed out after {timeout:.0f} s]"
        result = subprocess.CompletedProcess(cmd, -9, out, err)
        if check:
            raise RuntimeError(f"{cmd[:4]} timed out") from None
        return result
    result = subprocess.CompletedProcess(cmd, proc.returncode, out, err)
    if check and proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd[:6])} ... exit {proc.returncode}: {err[-2000:]}")
    return result


def sdist_path(dist: str, version: str) -> Path:
    SDISTS.mkdir(parents=True, exist_ok=True)
    stem = re.sub(r"[-_.]+", "[-_.]", dist)
    pattern = re.compile(rf"^{stem}-{re.escape(version)}\.(tar\.gz|zip)$", re.I)
    for p in SDISTS.iterdir():
        if pattern.match(p.name):
            return p
    log(f"downloading {dist}=={version} (sdist)")
    run(
        [
            sys.executable,
            "-m",
            "pip",
            "download",
            "--quiet",
            "--no-deps",
            "--no-binary",
            ":all:",
            f"{dist}=={version}",
            "-d",
            str(SDISTS),
        ],
        timeout=900,
        check=True,
    )
    for p in SDISTS.iterdir():
        if pattern.match(p.name):
            return p
    raise RuntimeError(f"no sdist for {dist}=={version} in {SDISTS}")


def extract(archive: Path, dest: Path) -> Path:
    """Unpack an sdist into dest; return its top directory."""
    shutil.rmtree(dest, ignore_errors=True)
    dest.mkdir(parents=True)
    with tarfile.open(archive) as tar:
        tar.extractall(dest, filter="data")
    (top,) = [p for p in dest.iterdir() if p.is_dir()]
    return top


def venv_python(project: Project) -> Path:
    return VENVS / project.name / "bin" / "python"


def ensure_venv(name: str, deps: list[str], rebuild: bool = False) -> Path:
    target = VENVS / name
    stamp = hashlib.sha256(json.dumps([sys.version, deps]).encode()).hexdigest()[:16]
    ready = target / ".ready"
    if not rebuild and ready.exists() and ready.read_text() == stamp:
        return target / "bin" / "python"
    log(f"building venv {name}: {' '.join(deps)}")
    shutil.rmtree(target, ignore_errors=True)
    run([sys.executable, "-m", "venv", str(target)], check=True)
    py = target / "bin" / "python"
    if deps:
        run([str(py), "-m", "pip", "install", "--quiet", *deps], timeout=1800, check=True)
    ready.write_text(stamp)
    return py


def ensure_plugin() -> None:
    PLUGIN_DIR.mkdir(parents=True, exist_ok=True)
    path = PLUGIN_DIR / "real_projects_results.py"
    if not path.exists() or path.read_text() != PLUGIN:
        path.write_text(PLUGIN)


def asynclint(args: list[str], cwd: Path, timeout: float = 900) -> subprocess.CompletedProcess[str]:
    return run([sys.executable, "-m", "asynclint", *args], cwd=cwd, timeout=timeout)


def asynclint_version() -> str:
    out = run([sys.executable, "-m", "asynclint", "--version"]).stdout.strip()
    commit = run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"]).stdout.strip()
    dirty = run(["git", "-C", str(ROOT), "status", "--porcelain", "--", "asynclint"]).stdout.strip()
    return f"{out} (commit {commit}{', asynclint/ modified' if dirty else ''})"


COMMON = ["--no-cache", "-j", "2"]


def mode_options(project: Project, mode: str) -> list[str]:
    if project.kind == "old":
        return list(MIGRATE)
    return ["--unsafe-fixes"] if mode == "unsafe" else []


def with_select(options: list[str], code: str) -> list[str]:
    """The same options, the selection replaced by one code."""
    out, skip = [], False
    for opt in options:
        if skip:
            skip = False
            continue
        if opt == "--select":
            skip = True
            continue
        out.append(opt)
    return [*out, "--select", code]


def findings(project: Project, tree: Path, options: list[str]) -> list[dict]:
    res = asynclint(
        ["check", *COMMON, "--output-format", "json", "--exit-zero", *options, *project.fix_paths], cwd=tree
    )
    if res.returncode not in (0, 1):
        raise RuntimeError(f"asynclint check failed ({res.returncode}): {res.stderr[-2000:]}")
    return json.loads(res.stdout or "[]")


def fixable(found: list[dict]) -> list[dict]:
    return [f for f in found if f.get("fix") and f["fix"].get("applicable")]


def codes_by_file(found: list[dict]) -> dict[str, list[str]]:
    out: dict[str, set[str]] = collections.defaultdict(set)
    for f in fixable(found):
        out[f["path"]].add(f["code"])
    return {k: sorted(v) for k, v in sorted(out.items())}


def diff_size(text: str) -> int:
    return sum(1 for line in text.splitlines() if line[:1] in "+-" and not line.startswith(("+++", "---")))


# ---- trees --------------------------------------------------------------------------------------


class Trees:
    def __init__(self, project: Project, keep: bool):
        self.project = project
        self.keep = keep
        self.made: list[Path] = []

    def fresh(self, label: str) -> Path:
        p = self.project
        top = extract(sdist_path(p.dist, p.version), TREES / p.name / label)
        if p.tests_from:
            dist, version, sub = p.tests_from
            other = extract(sdist_path(dist, version), TREES / p.name / f"{label}.tests-src")
            shutil.rmtree(top / sub, ignore_errors=True)
            shutil.copytree(other / sub, top / sub)
            shutil.rmtree(other.parent)
        if p.so_from_wheel:
            wheel_dir = ensure_wheel(p)
            for so in wheel_dir.rglob("*.so"):
                rel = so.relative_to(wheel_dir)
                if (top / rel.parent).is_dir():
                    shutil.copy2(so, top / rel)
        for rel, text in p.create_files.items():
            (top / rel).write_text(text)
        self.made.append(top.parent)
        return top

    def cleanup(self) -> None:
        if not self.keep:
            shutil.rmtree(TREES / self.project.name, ignore_errors=True)


def ensure_wheel(project: Project) -> Path:
    target = WHEELS / f"{project.dist}-{project.version}"
    if not (target / ".ready").exists():
        shutil.rmtree(target, ignore_errors=True)
        run(
            [
                sys.executable,
                "-m",
                "pip",
                "install",
                "--quiet",
                "--no-deps",
                "--only-binary",
                ":all:",
                "--target",
                str(target),
                f"{project.dist}=={project.version}",
            ],
            timeout=900,
            check=True,
        )
        (target / ".ready").write_text("")
    return target


# ---- test suites --------------------------------------------------------------------------------


@dataclass
class SuiteRun:
    outcomes: dict[str, str]
    messages: dict[str, str]
    seconds: float
    exit_code: int
    timed_out: bool
    tail: str

    def count(self) -> dict[str, int]:
        c = collections.Counter(self.outcomes.values())
        return {k: c.get(k, 0) for k in ("passed", "failed", "error", "skipped", "xfailed", "xpassed", "collect-error")}

    def to_json(self) -> dict:
        return {
            "counts": self.count(),
            "seconds": round(self.seconds, 1),
            "exit_code": self.exit_code,
            "timed_out": self.timed_out,
            "tail": self.tail,
        }


def run_suite(project: Project, tree: Path, args: list[str] | None = None, timeout: float | None = None) -> SuiteRun:
    ensure_plugin()
    results = tree.parent / f"results-{time.time_ns()}.jsonl"
    env = {
        **project.env,
        "REAL_PROJECTS_RESULTS": str(results),
        "PYTHONPATH": str(PLUGIN_DIR),
        "PYTHONDONTWRITEBYTECODE": "1",
        "PY_COLORS": "0",
    }
    cmd = [
        str(venv_python(project)),
        "-m",
        "pytest",
        *(args if args is not None else project.test_args),
        "-p",
        "real_projects_results",
        "-p",
        "no:cacheprovider",
        "-p",
        "no:xdist",
        "-p",
        "no:cov",
        "-p",
        "no:randomly",
        "-o",
        "addopts=",
        "--timeout",
        str(project.test_timeout),
        "-q",
        "-rN",
        "--tb=native",
        "--continue-on-collection-errors",
    ]
    start = time.monotonic()
    res = run(cmd, cwd=tree, env=env, timeout=timeout or project.timeout)
    seconds = time.monotonic() - start
    outcomes: dict[str, str] = {}
    messages: dict[str, str] = {}
    rank = {"passed": 0, "skipped": 0, "xfailed": 0, "xpassed": 0, "failed": 2, "error": 1, "collect-error": 3}
    if results.exists():
        for line in results.read_text().splitlines():
            rec = json.loads(line)
            old = outcomes.get(rec["id"])
            if old is None or rank[rec["outcome"]] > rank[old]:
                outcomes[rec["id"]] = rec["outcome"]
                if rec["msg"]:
                    messages[rec["id"]] = rec["msg"]
        results.unlink()
    tail = "\n".join((res.stdout.strip().splitlines() or [""])[-1:] + res.stderr.strip().splitlines()[-3:])
    return SuiteRun(outcomes, messages, seconds, res.returncode, res.returncode == -9, tail[-800:])


def failed_ids(suite: SuiteRun) -> set[str]:
    return {k for k, v in suite.outcomes.items() if v not in PASS}


def new_failures(before: SuiteRun, after: SuiteRun) -> list[str]:
    """Tests that passed (or were skipped) before and fail or vanish after."""
    out = []
    for test, outcome in before.outcomes.items():
        if outcome != "passed":
            continue
        now = after.outcomes.get(test)
        if now is None:
            # a whole module may have stopped importing: the collection error names it
            module = test.split("::")[0]
            if after.outcomes.get(module) == "collect-error":
                out.append(test)
            elif not after.timed_out:
                out.append(test)
        elif now not in PASS:
            out.append(test)
    return sorted(out)


def top_causes(suite: SuiteRun, limit: int = 6) -> list[tuple[str, int]]:
    c = collections.Counter(
        re.sub(r"0x[0-9a-f]+", "0x...", suite.messages.get(t, "?"))[:160] for t in failed_ids(suite)
    )
    return c.most_common(limit)


def suite_options(project: Project) -> list[str]:
    """The project's pytest options (-o, -W, --redis-server=...), without its test paths."""
    opts, take_next = [], False
    for a in project.test_args:
        if take_next:
            opts.append(a)
            take_next = False
        elif a in ("-o", "-W", "-k", "-m", "--deselect"):
            opts.append(a)
            take_next = True
        elif a.startswith("-"):
            opts.append(a)
    return opts


def bisect(
    project: Project, trees: Trees, mode: str, applied: list[str], tests: list[str], budget_end: float
) -> dict[str, dict]:
    """For each test: which single code's fix reproduces its failure (or 'flaky' / 'combined')."""
    base = mode_options(project, mode)
    files = sorted({t.split("::")[0] for t in tests})
    args = [*(tests if len(tests) <= 150 else files), *suite_options(project)]
    verdict: dict[str, dict] = {t: {"codes": [], "confirmed": None} for t in tests}
    # 1. confirm on a tree fixed like the failing run
    tree = trees.fresh(f"bisect-{mode}-all")
    asynclint(["fix", *COMMON, *base, *project.fix_paths], cwd=tree)
    again = run_suite(project, tree, args, timeout=max(60, min(project.timeout, budget_end - time.time())))
    for t in tests:
        verdict[t]["confirmed"] = again.outcomes.get(t, "missing") not in PASS
    shutil.rmtree(tree.parent, ignore_errors=True)
    # 2. one code at a time
    for code in applied:
        if time.time() > budget_end:
            for t in tests:
                verdict[t].setdefault("unfinished", True)
            break
        tree = trees.fresh(f"bisect-{mode}-{code}")
        asynclint(["fix", *COMMON, *with_select(base, code), *project.fix_paths], cwd=tree)
        solo = run_suite(project, tree, args, timeout=max(60, min(project.timeout, budget_end - time.time())))
        for t in tests:
            if solo.outcomes.get(t, "missing") not in PASS:
                verdict[t]["codes"].append(code)
        shutil.rmtree(tree.parent, ignore_errors=True)
    return verdict


# ---- static checks ------------------------------------------------------------------------------


def line_length(tree: Path) -> tuple[int, str]:
    """The project's line length as asynclint itself reads it (its fixes wrap at that length),
    so that E501 here checks what the fix was asked to keep."""
    from asynclint.config import line_length_near

    return line_length_near(str(tree.resolve()))


def _isort_table(tree: Path) -> tuple[str, dict] | None:
    """("ruff", {}) when the project lints imports with ruff (an `I` selector or a
    [tool.ruff.lint.isort] table), ("isort", its settings) when it uses isort, else None."""
    data: dict = {}
    for name in ("ruff.toml", ".ruff.toml", "pyproject.toml"):
        path = tree / name
        if path.exists():
            try:
                loaded = tomllib.loads(path.read_text())
            except tomllib.TOMLDecodeError:
                continue
            table = loaded if name != "pyproject.toml" else loaded.get("tool", {}).get("ruff")
            if isinstance(table, dict):
                lint = table.get("lint", table)
                selectors = [*lint.get("select", []), *lint.get("extend-select", [])]
                if any(re.fullmatch(r"I(0(0(1)?)?)?|ALL", str(x)) for x in selectors) or "isort" in lint:
                    return "ruff", {}
            if name == "pyproject.toml":
                data = loaded.get("tool", {}).get("isort", {}) if isinstance(loaded.get("tool"), dict) else {}
                if data:
                    return "isort", data
    for name, sections in (
        (".isort.cfg", ("settings", "isort")),
        ("setup.cfg", ("isort", "tool:isort")),
        ("tox.ini", ("isort", "tool:isort")),
    ):
        path = tree / name
        if not path.exists():
            continue
        cfg = configparser.ConfigParser(interpolation=None, strict=False)
        try:
            cfg.read_string(path.read_text(errors="replace"))
        except configparser.Error:
            continue
        for section in sections:
            if cfg.has_section(section):
                return "isort", dict(cfg.items(section))
    return None


# isort options that change what ruff's I001 asks for, by ruff's names.
ISORT_KEYS = {
    "known_first_party": "known-first-party",
    "known_third_party": "known-third-party",
    "known_local_folder": "known-local-folder",
    "combine_as_imports": "combine-as-imports",
    "force_sort_within_sections": "force-sort-within-sections",
    "force_single_line": "force-single-line",
    "order_by_type": "order-by-type",
    "lines_after_imports": "lines-after-imports",
}


def isort_options(tree: Path) -> list[str] | None:
    """ruff options for checking I001 the way the project sorts imports, None when it does not."""
    found = _isort_table(tree)
    if found is None:
        return None
    kind, table = found
    if kind == "ruff":
        return []  # ruff reads the project's own [tool.ruff.lint.isort]
    options = ["--isolated"]
    for key, value in table.items():
        name = ISORT_KEYS.get(key.replace("-", "_"))
        if name is None:
            continue
        if isinstance(value, str):
            if name.startswith("known-"):
                value = [v.strip() for v in re.split(r"[,\n]", value) if v.strip()]
            elif value.strip().lower() in ("true", "false"):
                value = value.strip().lower() == "true"
            elif value.strip().lstrip("-").isdigit():
                value = int(value.strip())
        options += ["--config", f"lint.isort.{name} = {json.dumps(value)}"]
    return options


def ruff_findings(tree: Path, files: list[str], length: int) -> collections.Counter:
    ruff = VENVS / "_tools" / "bin" / "ruff"
    if not files:
        return collections.Counter()
    res = run(
        [
            str(ruff),
            "check",
            "--isolated",
            "--no-cache",
            "--select",
            RUFF_CODES,
            "--line-length",
            str(length),
            "--target-version",
            "py311",
            "--output-format",
            "json",
            "--exit-zero",
            *files,
        ],
        cwd=tree,
    )
    out = collections.Counter()
    for item in json.loads(res.stdout or "[]"):
        rel = os.path.relpath(item["filename"], tree)
        out[(rel, item["code"] or "syntax", item["message"])] += 1
    isort = isort_options(tree)
    if isort is not None:
        # I001 where the project sorts its imports, with its isort settings; the project's own
        # ruff config, when it has one, would otherwise be read by the run above's --isolated.
        res = run(
            [
                str(ruff),
                "check",
                *isort,
                "--no-cache",
                "--select",
                "I001",
                "--line-length",
                str(length),
                "--output-format",
                "json",
                "--exit-zero",
                *files,
            ],
            cwd=tree,
        )
        try:
            items = json.loads(res.stdout or "[]")
        except json.JSONDecodeError:
            items = [{"filename": str(tree), "code": "I001-not-run", "message": res.stderr.strip()[-200:]}]
        for item in items:
            rel = os.path.relpath(item["filename"], tree)
            out[(rel, item["code"] or "syntax", item["message"])] += 1
    return out


MYPY_LINE = re.compile(
    r"^(?P<path>[^:\n]+\.pyi?):(?P<line>\d+)(?::\d+)?: error: (?P<msg>.*?)(?:  \[(?P<code>[a-z-]+)\])?$"
)


def mypy_config(tree: Path) -> list[str]:
    for name in ("mypy.ini", ".mypy.ini"):
        if (tree / name).exists():
            return ["--config-file", name]
    py = tree / "pyproject.toml"
    if py.exists() and "[tool.mypy]" in py.read_text():
        return ["--config-file", "pyproject.toml"]
    cfg = tree / "setup.cfg"
    if cfg.exists() and "[mypy]" in cfg.read_text():
        return ["--config-file", "setup.cfg"]
    return []


def mypy_findings(project: Project, tree: Path, cache: Path) -> tuple[collections.Counter, str]:
    config = mypy_config(tree)
    res = run(
        [
            str(venv_python(project)),
            "-m",
            "mypy",
            *config,
            "--no-pretty",
            "--show-error-codes",
            "--no-error-summary",
            "--cache-dir",
            str(cache),
            *project.lib_paths,
        ],
        cwd=tree,
        timeout=1200,
        env={"MYPYPATH": ""},
    )
    out = collections.Counter()
    for line in res.stdout.splitlines():
        m = MYPY_LINE.match(line)
        if m:
            out[(m["path"], m["code"] or "", m["msg"])] += 1
    note = "" if res.returncode in (0, 1) else f"mypy exit {res.returncode}: {res.stderr.strip()[-300:]}"
    return out, note


def attribute_static(
    project: Project,
    trees: Trees,
    options: list[str],
    before: collections.Counter,
    after: collections.Counter,
    touched: dict,
    checker,
    label: str,
) -> list[dict]:
    """The findings the fix added (by file, code and message), each pinned on the code whose fix
    alone adds it too (re-checked on a tree fixed with `--select CODE` when several codes touched
    the file)."""
    new = after - before
    rows = []
    by_file: dict[str, list[tuple]] = collections.defaultdict(list)
    for key in sorted(new):
        by_file[key[0]].append(key)
    for path, keys in by_file.items():
        codes = touched.get(path, [])
        blamed: dict[tuple, list[str]] = {k: [] for k in keys}
        if len(codes) == 1:
            for k in keys:
                blamed[k] = list(codes)
        else:
            for code in codes:
                tree = trees.fresh(f"static-{label}-{code}")
                asynclint(["fix", *COMMON, *with_select(options, code), *project.fix_paths], cwd=tree)
                found = checker(tree)
                for k in keys:
                    if found[k] > before[k]:
                        blamed[k].append(code)
                shutil.rmtree(tree.parent, ignore_errors=True)
        for k in keys:
            rows.append(
                {
                    "file": k[0],
                    "check_code": k[1],
                    "message": k[2],
                    "count": new[k],
                    "rules": blamed[k] or codes,
                    "bisected": len(codes) > 1,
                }
            )
    return rows


# ---- one project --------------------------------------------------------------------------------


def run_project(project: Project, args: argparse.Namespace) -> dict:
    start = time.time()
    budget_end = start + args.budget_per_project
    result: dict = {
        "name": project.name,
        "dist": project.dist,
        "version": project.version,
        "kind": project.kind,
        "selection": project.selection,
        "date": datetime.date.today().isoformat(),
        "asynclint": asynclint_version(),
        "modes": {},
        "regressions": [],
        "static": {},
        "notes": [],
    }
    trees = Trees(project, args.keep)
    try:
        missing = [prog for prog in project.needs if not shutil.which(prog)]
        if missing and project.has_tests and not args.no_tests:
            raise RuntimeError(f"the suite needs {', '.join(missing)} (for redis: apt-get install redis-server)")
        if project.has_tests or project.mypy:
            ensure_venv(project.name, project.deps, args.rebuild)
        modes = ["before", "migrated"] if project.kind == "old" else ["before", "safe", "unsafe"]
        result["commands"] = {
            m: "asynclint fix " + " ".join(mode_options(project, m) + project.fix_paths) for m in modes[1:]
        }
        before_tree = trees.fresh("before")
        length, length_from = line_length(before_tree)
        result["line_length"] = f"{length} ({length_from})"
        fixed_trees: dict[str, Path] = {}
        suites: dict[str, SuiteRun] = {}
        for mode in modes:
            entry: dict = {}
            if mode == "before":
                tree = before_tree
                entry["files_with_fix"] = {}
            else:
                tree = trees.fresh(mode)
                options = mode_options(project, mode)
                pre = findings(project, tree, options)
                entry["files_with_fix"] = codes_by_file(pre)
                entry["fixable_before"] = len(fixable(pre))
                entry["codes"] = dict(collections.Counter(f["code"] for f in fixable(pre)))
                res = asynclint(["fix", *COMMON, *options, *project.fix_paths], cwd=tree)
                entry["fix_exit"] = res.returncode
                if res.returncode not in (0, 1):
                    entry["fix_stderr"] = res.stderr[-1500:]
                post = findings(project, tree, options)
                entry["fixable_after"] = len(fixable(post))
                entry["fixable_after_codes"] = dict(collections.Counter(f["code"] for f in fixable(post)))
                entry["internal_errors"] = sum(1 for f in post if f["code"] in ("AIO002", "AIO003"))
                second = asynclint(["fix", *COMMON, *options, "--diff", "--exit-zero", *project.fix_paths], cwd=tree)
                entry["second_run_diff_lines"] = diff_size(second.stdout)
                entry["second_run_files"] = sorted(set(re.findall(r"^\+\+\+ (?:b/)?(\S+)", second.stdout, re.M)))
                fixed_trees[mode] = tree
            if project.only_parse or project.kind == "old":
                found = findings(project, tree, ["--target-version", "py311"])
                entry["aio001_files"] = sorted({f["path"] for f in found if f["code"] == "AIO001"})
                if project.kind == "old" and mode == "before":
                    entry["aio001_hidden_by_select_AIO3"] = not any(
                        f["code"] == "AIO001" for f in findings(project, tree, MIGRATE)
                    )
            if project.has_tests and not args.no_tests:
                log(f"{project.name}: suite {mode}")
                suite = run_suite(project, tree)
                suites[mode] = suite
                entry["suite"] = suite.to_json()
                entry["top_failure_causes"] = top_causes(suite)
                entry["not_passing"] = {
                    t: f"{suite.outcomes[t]}: {suite.messages.get(t, '')}" for t in sorted(failed_ids(suite))[:500]
                }
                log(f"{project.name}: {mode}: {suite.count()} in {suite.seconds:.0f} s")
            result["modes"][mode] = entry
        # new failures and who caused them
        if "before" in suites:
            for mode in modes[1:]:
                if mode not in suites:
                    continue
                new = new_failures(suites["before"], suites[mode])
                result["modes"][mode]["new_failures"] = new
                if new and not args.no_bisect:
                    applied = sorted(result["modes"][mode]["codes"])
                    log(f"{project.name}: bisecting {len(new)} new failures in {mode} over {applied}")
                    verdict = bisect(project, trees, mode, applied, new, budget_end)
                    for test in new:
                        v = verdict[test]
                        result["regressions"].append(
                            {
                                "kind": "test",
                                "mode": mode,
                                "test": test,
                                "rules": v["codes"],
                                "confirmed": v["confirmed"],
                                "unfinished": v.get("unfinished", False),
                                "message": suites[mode].messages.get(test, ""),
                            }
                        )
        # static checks of the safe fix (the migration for old packages)
        if not args.no_static:
            static_mode = "migrated" if project.kind == "old" else "safe"
            fixed = fixed_trees[static_mode]
            touched = result["modes"][static_mode]["files_with_fix"]
            files = sorted(touched)
            ruff_before = ruff_findings(before_tree, files, length)
            ruff_after = ruff_findings(fixed, files, length)
            options = mode_options(project, static_mode)
            rows = attribute_static(
                project,
                trees,
                options,
                ruff_before,
                ruff_after,
                touched,
                lambda t: ruff_findings(t, files, length),
                "ruff",
            )
            isort = isort_options(before_tree)
            static = {
                "isort": "no" if isort is None else ("ruff's settings" if not isort else "isort's settings"),
                "files_checked": len(files),
                "ruff_before": sum(ruff_before.values()),
                "ruff_after": sum(ruff_after.values()),
                "ruff_new": rows,
            }
            if project.mypy and not args.no_mypy:
                log(f"{project.name}: mypy before/after")
                cache = WORK / "mypy-cache" / project.name
                m_before, note1 = mypy_findings(project, before_tree, cache)
                m_after, note2 = mypy_findings(project, fixed, cache)
                static.update(
                    {
                        "mypy_before": sum(m_before.values()),
                        "mypy_after": sum(m_after.values()),
                        "mypy_notes": [n for n in (note1, note2) if n],
                    }
                )
                static["mypy_new"] = attribute_static(
                    project,
                    trees,
                    options,
                    m_before,
                    m_after,
                    touched,
                    lambda t: mypy_findings(project, t, cache)[0],
                    "mypy",
                )
            else:
                static["mypy"] = "not run: the project ships no mypy config" if not project.mypy else "skipped"
            result["static"] = static
            log(f"{project.name}: new static findings by code: {new_by_code(static) or 'none'}")
            for row in static["ruff_new"]:
                result["regressions"].append({"kind": "ruff", "mode": static_mode, **row})
            for row in static.get("mypy_new", []):
                result["regressions"].append({"kind": "mypy", "mode": static_mode, **row})
        if args.no_tests and project.has_tests:
            carry_over_suites(project, result)
        # the diff each blamed code's fix makes on its own, for the report
        diffs: dict[str, str] = dict(result.get("fix_diffs", {}))
        for reg in result["regressions"]:
            for code in reg["rules"]:
                key = f"{reg['mode']}:{code}"
                if key not in diffs:
                    tree = trees.fresh(f"diff-{reg['mode']}-{code}")
                    res = asynclint(
                        [
                            "fix",
                            *COMMON,
                            *with_select(mode_options(project, reg["mode"]), code),
                            "--diff",
                            "--exit-zero",
                            *project.fix_paths,
                        ],
                        cwd=tree,
                    )
                    diffs[key] = res.stdout[:40000]
                    shutil.rmtree(tree.parent, ignore_errors=True)
        result["fix_diffs"] = diffs
    except Exception as exc:  # one project's trouble must not sink the others
        import traceback

        result["error"] = "".join(traceback.format_exception_only(type(exc), exc)).strip()[-1500:]
        log(f"{project.name}: ERROR {result['error']}")
        traceback.print_exc()
    finally:
        trees.cleanup()
    result["seconds"] = round(time.time() - start) + result.pop("carried_seconds", 0)
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    (RESULTS_DIR / f"{project.name}.json").write_text(json.dumps(result, indent=1, sort_keys=True))
    return result


def carry_over_suites(project: Project, result: dict) -> None:
    """--no-tests: keep the test results of the project's last run (marked as such)."""
    path = RESULTS_DIR / f"{project.name}.json"
    if not path.exists():
        return
    old = json.loads(path.read_text())
    for mode, entry in result["modes"].items():
        for key in ("suite", "top_failure_causes", "not_passing", "new_failures"):
            if key in old.get("modes", {}).get(mode, {}):
                entry[key] = old["modes"][mode][key]
    tests = [g for g in old.get("regressions", []) if g["kind"] == "test"]
    result["regressions"] = tests + result["regressions"]
    for key, diff in old.get("fix_diffs", {}).items():
        result.setdefault("fix_diffs", {}).setdefault(key, diff)
    result["notes"].append(f"test results carried over from the run of {old['date']} ({old['asynclint']})")
    result["carried_seconds"] = old.get("seconds", 0)


# ---- report -------------------------------------------------------------------------------------


def tests_in(entry: dict | None) -> int:
    if not entry or "suite" not in entry:
        return 0
    c = entry["suite"]["counts"]
    return sum(c[k] for k in ("passed", "failed", "error", "skipped", "xfailed", "xpassed"))


def fmt_suite(entry: dict | None, total: int) -> str:
    """'ok/total (details)': ok = passed + xfailed; total = the most tests any mode of the project ran."""
    if not entry or "suite" not in entry:
        return "n/a"
    s = entry["suite"]
    c = s["counts"]
    text = f"{c['passed'] + c['xfailed']}/{total}"
    parts = []
    if c["xfailed"]:
        parts.append(f"{c['passed']} passed + {c['xfailed']} xfail")
    for key, label in (("failed", "F"), ("error", "E"), ("skipped", "skip"), ("xpassed", "xpass")):
        if c[key]:
            parts.append(f"{c[key]} {label}")
    if c["collect-error"]:
        parts.append(f"{c['collect-error']} modules not importable")
    if s["timed_out"]:
        parts.append("TIMED OUT")
    return text + (f" ({', '.join(parts)})" if parts else "")


# A reader's explanation of a regression seen in a run, shown only when that regression is found
# again (project, rule, a substring of the test id or of the file).  Not results: the script
# finds and attributes every regression by itself; these lines only say why.
KNOWN_CAUSES: list[tuple[str, str, str, str]] = [
    (
        "zeroconf",
        "AIO603",
        "test_async_close_swallows_cancelled_setup",
        "the handler already re-raises unless the awaited task itself was cancelled "
        "(`if not self._setup_task.cancelled(): raise`), a deliberate swallow; the fix appends an "
        "unconditional `raise`, so closing before setup started now raises CancelledError",
    ),
    (
        "uvicorn",
        "AIO101",
        "uvicorn/lifespan/on.py",
        "the fix reads the task variable (`_background_tasks.add(main_lifespan_task)`) but keeps the line's "
        "`# noqa: F841`, now stale (RUF100); and the module-level `_background_tasks = set()` it adds has no "
        "annotation, which mypy requires in a typed module (var-annotated)",
    ),
    (
        "aiosmtpd",
        "AIO101",
        "aiosmtpd/controller.py",
        "the fix puts `_background_tasks = set()` after the first imports but above a `try: from socket import "
        "AF_UNIX` import block, so the imports below it are E402; the set has no annotation (mypy var-annotated); "
        "and the line keeps `# type: ignore[unused-awaitable]`, unused once the task is assigned (unused-ignore)",
    ),
    (
        "aiohttp",
        "AIO101",
        "tests/test_client_functional.py",
        "the fix puts `_background_tasks = set()` after `from unittest import mock`, above the module's "
        "`try: import brotlicffi ...` import blocks, so every import below it is E402",
    ),
    (
        "aiohttp",
        "AIO302",
        "tests/test_web_request.py",
        "`get_event_loop()` -> `get_running_loop()` is 2 characters longer and pushes a line past 88 (aiohttp's "
        "flake8 ignores E501 and uses bugbear's B950, 10% over, so its own lint would not complain)",
    ),
    (
        "aiohttp",
        "AIO302",
        "test_tcpsite_default_host",
        "the test patches `asyncio.get_event_loop` to hand TCPSite.start() a mock loop; after the fix start() "
        "calls `asyncio.get_running_loop()`, the patch no longer applies and the real loop's create_server runs "
        "instead of the mock's",
    ),
    (
        "aioredis-0.3.5",
        "AIO311",
        "aioredis/util.py",
        "not written by the fix: the two `raise StopAsyncIteration  # noqa` lines (for an old pyflakes) were "
        "already there; before the fix ruff reads only the syntax error of `asyncio.async` (a keyword since "
        "3.7), so the stale noqas show once AIO311 makes the file parse",
    ),
]

# The same for the failures left after a migration (project, a substring of the failure message).
FAILURE_NOTES: list[tuple[str, str, str]] = [
    (
        "janus-0.3.2",
        "can't be used in 'await' expression",
        "AIO305 turns `with (yield from self._async_mutex):` into `with (await self._async_mutex):`, which "
        "Python 3.9+ rejects (locks and conditions are no longer awaitable); `async with` is needed and no rule "
        "writes it. The timeouts are tests whose helper task died of the same TypeError (checked by hand on "
        "2026-12-01: the 4 `with (await ...):` lines rewritten as `async with ...:` give 70/70)",
    ),
    (
        "aioredis-1.3.1",
        "Passing coroutines is forbidden",
        "`asyncio.wait(tasks)` where `tasks` is a list filled by `tasks.append(self._connect_sentinel(...))` "
        "(aioredis/sentinel/pool.py): AIO307 does not see coroutines put in a list by append, so the sentinel "
        "tests still fail as before",
    ),
    (
        "aiosmtpd-1.0",
        "SSLEOFError",
        "STARTTLS: aiosmtpd 1.0 builds the private asyncio.sslproto.SSLProtocol by hand and swaps it under the "
        "transport; 3.11 rewrote sslproto, the likely cause (not checked further); "
        "if so, nothing a fixer can migrate",
    ),
    (
        "aioredis-1.3.1",
        "ERR DEBUG command not allowed",
        "redis 7 disables DEBUG by default (`enable-debug-command`), before and after the migration alike. Of the "
        "sentinel tests 3 still fail, on the server: `test_master__auth` expects redis 5's `ERR invalid password` "
        "where redis 7 says `WRONGPASS ...`; `test_auto_failover` needs `DEBUG SLEEP`; `test_failover_command`'s "
        "`SENTINEL FAILOVER` returns true but the master address does not change, also with its 2 s waits raised "
        "to 8 s (redis 7 sentinel; not examined further)",
    ),
]


def failure_note(name: str, message: str) -> str:
    for project, fragment, note in FAILURE_NOTES:
        if project == name and fragment in message:
            return note
    return ""


def known_cause(result: dict, reg: dict) -> str:
    where = reg.get("test") or reg.get("file") or ""
    for project, code, fragment, why in KNOWN_CAUSES:
        if project == result["name"] and code in reg["rules"] and fragment in where:
            return why
    return ""


def hunks(diff: str, path: str | None = None) -> list[str]:
    """The diff's hunks as text, each with its file name; only `path`'s when given."""
    out, current_file, current = [], None, None
    for line in diff.splitlines():
        if line.startswith("+++ "):
            current_file = re.sub(r"^\+\+\+ (?:b/)?", "", line).split("\t")[0]
            continue
        if line.startswith("--- "):
            continue
        if line.startswith("@@"):
            current = [f"{current_file} {line}"]
            if path is None or current_file == path:
                out.append(current)
            continue
        if current is not None:
            current.append(line)
    return ["\n".join(h) for h in out]


def short_hunk(result: dict, reg: dict, limit: int = 14) -> str:
    for code in reg["rules"]:
        diff = result.get("fix_diffs", {}).get(f"{reg['mode']}:{code}", "")
        found = hunks(diff, reg.get("file"))
        if reg.get("test") and found:
            # prefer the test's own file, then the module it is named after (test_web_runner -> web_runner.py)
            test_file = reg["test"].split("::")[0]
            module = "/" + os.path.basename(test_file).removeprefix("test_")
            preferred = [h for h in found if h.startswith(test_file + " ")] or [
                h for h in found if h.split(" ")[0].endswith(module)
            ]
            found = preferred + [h for h in found if h not in preferred]
        if found:
            lines = found[0].splitlines()
            more = f"\n... ({len(found)} hunks in all)" if len(found) > 1 else ""
            return "\n".join(lines[:limit]) + ("\n..." if len(lines) > limit else "") + more
    return ""


def new_by_code(static: dict) -> str:
    """ "E501 2, mypy var-annotated 1": the static findings the fix added, per check code."""
    counts: collections.Counter = collections.Counter()
    for kind in ("ruff_new", "mypy_new"):
        for row in static.get(kind, []):
            prefix = "mypy " if kind == "mypy_new" else ""
            counts[prefix + row["check_code"]] += row.get("count", 1)
    return ", ".join(f"{code} {n}" for code, n in sorted(counts.items()))


def report(results: list[dict]) -> str:
    lines: list[str] = []
    old = [r for r in results if r["kind"] == "old"]
    modern = [r for r in results if r["kind"] == "modern"]
    if old:
        lines += [
            "### Migration of old packages",
            "",
            "| package | suite before | after the migration | fixes applied | fixable left after 1 run | "
            "2nd run diff (lines) | AIO001 files before -> after |",
            "|---|---|---|---|---|---|---|",
        ]
        for r in old:
            b, m = r["modes"].get("before", {}), r["modes"].get("migrated", {})
            total = max(tests_in(b), tests_in(m))
            codes = ", ".join(f"{k} {v}" for k, v in sorted(m.get("codes", {}).items()))
            a001 = f"{len(b.get('aio001_files', []))} -> {len(m.get('aio001_files', []))}"
            lines.append(
                f"| {r['dist']} {r['version']} | {fmt_suite(b, total)} | {fmt_suite(m, total)} | {codes or '-'} | "
                f"{m.get('fixable_after', '?')} | {m.get('second_run_diff_lines', '?')} | {a001} |"
            )
        lines.append("")
    if modern:
        lines += [
            "### Modern projects",
            "",
            "| project | suite before | after safe fix | new failures | after unsafe fix | new failures | "
            "fixes (safe / unsafe) | 2nd run diff (safe / unsafe) |",
            "|---|---|---|---|---|---|---|---|",
        ]
        for r in modern:
            b, s, u = (r["modes"].get(k, {}) for k in ("before", "safe", "unsafe"))
            total = max(tests_in(b), tests_in(s), tests_in(u))

            def codes(e: dict) -> str:
                return ", ".join(f"{k} {v}" for k, v in sorted(e.get("codes", {}).items())) or "-"

            def nf(e: dict) -> str:
                return str(len(e["new_failures"])) if "new_failures" in e else "n/a"

            lines.append(
                f"| {r['dist']} {r['version']} | {fmt_suite(b, total)} | {fmt_suite(s, total)} | {nf(s)} | "
                f"{fmt_suite(u, total)} | {nf(u)} | {codes(s)} / {codes(u)} | "
                f"{s.get('second_run_diff_lines', '?')} / {u.get('second_run_diff_lines', '?')} |"
            )
        lines.append("")
    lines += [
        "### Static checks (ruff F401,E402,F841,RUF100,E501, I001 where the project sorts imports; "
        "mypy with the project's config)",
        "",
        "| project | files the fix changed | line length | I001 | ruff before -> after (those files) | new ruff | "
        "mypy before -> after | new mypy | new findings by code |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        st = r.get("static", {})
        if not st:
            continue
        mypy = f"{st['mypy_before']} -> {st['mypy_after']}" if "mypy_before" in st else st.get("mypy", "-")
        lines.append(
            f"| {r['dist']} {r['version']} | {st['files_checked']} | {r.get('line_length', '?')} | "
            f"{st.get('isort', '?')} | "
            f"{st['ruff_before']} -> {st['ruff_after']} | {sum(g.get('count', 1) for g in st['ruff_new'])} | {mypy} | "
            f"{sum(g.get('count', 1) for g in st.get('mypy_new', [])) if 'mypy_before' in st else '-'} | "
            f"{new_by_code(st) or 0} |"
        )
    lines.append("")
    regs = [(r, g) for r in results for g in r["regressions"]]
    shown: set[tuple] = set()
    lines += ["### Regressions (a fix that broke a test or added a static finding)", ""]
    if not regs:
        lines.append("None.")
    for r, g in regs:
        rules = ", ".join(g["rules"]) or "not reproduced by any single code"
        if g["kind"] == "test":
            state = "" if g.get("confirmed") else " (did not fail again on a re-run: flaky?)"
            lines.append(
                f"- {r['dist']} {r['version']}, {g['mode']} fix, test `{g['test']}`: {rules}{state}. "
                f"Fails with `{g['message'][:200]}`."
            )
        else:
            times = f" ({g['count']}x)" if g.get("count", 1) > 1 else ""
            lines.append(
                f"- {r['dist']} {r['version']}, {g['mode']} fix, {g['kind']} {g['check_code']}{times} in "
                f"`{g['file']}`: {rules}. `{g['message'][:200]}`"
            )
        why = known_cause(r, g)
        if why and (r["name"], why) not in shown:
            lines.append(f"  Why: {why}")
            shown.add((r["name"], why))
        elif why:
            lines.append("  Why: as above.")
        hunk = short_hunk(r, g)
        if hunk and (r["name"], hunk) not in shown:
            shown.add((r["name"], hunk))
            lines += ["", "  ```diff", *("  " + h for h in hunk.splitlines()), "  ```", ""]
    lines.append("")
    details = []
    for r in results:
        for note in r.get("notes", []):
            details.append(f"- {r['name']}: {note}")
        if r.get("error"):
            details.append(f"- {r['name']}: the run failed: {r['error'][:300]}")
        for mode, e in r["modes"].items():
            if e.get("fixable_after"):
                details.append(f"- {r['name']} {mode}: fixable findings left after one run: {e['fixable_after_codes']}")
            if e.get("second_run_files"):
                details.append(f"- {r['name']} {mode}: a second run still changes {', '.join(e['second_run_files'])}")
            if e.get("internal_errors"):
                details.append(f"- {r['name']} {mode}: {e['internal_errors']} AIO002/AIO003 after the fix")
            if e.get("aio001_files") and mode == "before":
                hidden = " (not reported under `--select AIO3`)" if e.get("aio001_hidden_by_select_AIO3") else ""
                details.append(f"- {r['name']}: AIO001 before: {', '.join(e['aio001_files'])}{hidden}")
            if r["kind"] == "old" and mode == "migrated" and e.get("top_failure_causes"):
                causes = "; ".join(f"{n}x `{msg[:110]}`" for msg, n in e["top_failure_causes"][:4])
                details.append(f"- {r['name']}: commonest failures left after the migration: {causes}")
                for msg, _ in e["top_failure_causes"][:4]:
                    note = failure_note(r["name"], msg)
                    if note:
                        details.append(f"  - {note}")
    if details:
        lines += ["### Details", "", *details, ""]
    return "\n".join(lines)


def header(results: list[dict]) -> str:
    versions = sorted({r["asynclint"] for r in results})
    load = os.getloadavg()[0]
    ruff_v = run([str(VENVS / "_tools" / "bin" / "ruff"), "--version"]).stdout.strip()
    lines = [
        "## Real projects",
        "",
        f"`python benchmarks/real_projects.py --write`, {datetime.date.today().isoformat()}, "
        f"{platform.system()}-{platform.release()} {platform.machine()}, Python {platform.python_version()}, "
        f"{os.cpu_count()} CPUs shared with other jobs (load {load:.1f} at the end), {', '.join(versions)}, {ruff_v}.",
        "",
        "Each project's sdist from PyPI, unpacked fresh for every run; its test suite in a venv of its own "
        "(one process, `-p no:xdist -o addopts=`, pytest-timeout per test). A pass is a test that passed or an expected failure (xfail) that failed; the total is the most tests "
        "any mode of the project ran; `F` failed, `E` errored in setup or teardown; a module that no longer imports is counted "
        "once. Commands, run once from the unpacked tree:",
        "",
        f"- old packages: `asynclint fix {' '.join(MIGRATE)} <package> <tests>` (the README's migration command)",
        "- modern projects: `asynclint fix <package> <tests>` (safe, the project's own target version), and on a "
        "fresh copy `asynclint fix --unsafe-fixes <package> <tests>`",
        "- a new failure is re-run on trees fixed with `--select CODE` for each code that had a fix, to name the rule",
        "",
        "What ran of each suite:",
        "",
    ]
    for r in results:
        build = r["asynclint"].removeprefix("asynclint ")  # each row says which build it ran
        lines.append(f"- {r['dist']} {r['version']}: {r['selection']} ({r['seconds']} s in all; {build}, {r['date']})")
    lines.append("")
    return "\n".join(lines)


def write_results(text: str) -> None:
    body = f"{SECTION_START}\n{text.rstrip()}\n{SECTION_END}\n"
    current = RESULTS_MD.read_text()
    if SECTION_START in current and SECTION_END in current:
        pre, rest = current.split(SECTION_START, 1)
        _, post = rest.split(SECTION_END, 1)
        current = pre + body + post.lstrip("\n")
    else:
        current = current.rstrip("\n") + "\n\n" + body
    RESULTS_MD.write_text(current)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument(
        "--only",
        action="append",
        default=[],
        help="project name(s), comma-separated or repeated: janus-0.3.2 (or janus), aiohttp, ...",
    )
    ap.add_argument("--write", action="store_true", help="replace the Real projects section of RESULTS.md")
    ap.add_argument("--keep", action="store_true", help="keep the scratch trees under .projects/trees/")
    ap.add_argument("--rebuild", action="store_true", help="rebuild the projects' venvs")
    ap.add_argument("--no-tests", action="store_true", help="skip the test suites")
    ap.add_argument("--no-static", action="store_true", help="skip ruff and mypy")
    ap.add_argument("--no-mypy", action="store_true", help="skip mypy")
    ap.add_argument("--no-bisect", action="store_true", help="do not re-run new failures per code")
    ap.add_argument("--report-only", action="store_true", help="print (and --write) the stored results")
    ap.add_argument(
        "--budget-per-project",
        type=int,
        default=3600,
        help="seconds after which a project's bisection stops (default 3600)",
    )
    args = ap.parse_args()
    wanted = {n for item in args.only for n in item.split(",") if n}
    names = {p.name for p in PROJECTS}

    def matches(project: Project, name: str) -> bool:
        # the exact name, else a version-less prefix: "janus" -> janus-0.3.2, "aioredis" -> both
        return project.name == name or (name not in names and project.name.startswith(name + "-"))

    unknown = {n for n in wanted if not any(matches(p, n) for p in PROJECTS)}
    if unknown:
        ap.error(f"unknown project(s) {sorted(unknown)}; known: {', '.join(sorted(names))}")
    selected = [p for p in PROJECTS if not wanted or any(matches(p, n) for n in wanted)]
    ensure_venv("_tools", TOOLS_DEPS)
    if not args.report_only:
        for project in selected:
            log(f"== {project.name}")
            r = run_project(project, args)
            log(f"== {project.name} done in {r['seconds']} s")
    stored = []
    for project in PROJECTS:  # the table keeps the fixed order, and every project's last run
        path = RESULTS_DIR / f"{project.name}.json"
        if path.exists():
            stored.append(json.loads(path.read_text()))
    text = header(stored) + "\n" + report(stored)
    print(text)
    if args.write:
        write_results(text)
        log(f"wrote {RESULTS_MD}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
