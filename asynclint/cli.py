"""`asynclint check | fix | rule CODE | rules`: a thin face over the runner and the engine.

Exit codes: 0 nothing found; 1 findings (or, with `fix --diff`, changes to make); 2 a usage or
configuration error, a path that cannot be read, or an internal error (AIO002); 128 + the signal
when interrupted (130 for Ctrl-C, 143 for SIGTERM), after stopping the workers.  A reader that
closes the pipe early (`asynclint check | head -1`) changes nothing: the rest of the output is
dropped and the exit code is the run's own, as it would be for a reader that read it all.
"""

from __future__ import annotations

import argparse
import io
import os
import signal
import sys
import threading
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, cast

from asynclint import __version__
from asynclint.config import ConfigError, Settings, load_settings, parse_target, validate_selectors

if TYPE_CHECKING:
    from asynclint.output import View
    from asynclint.runner import FileResult

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
# `--format` predates `--output-format` and spells `concise` as `text`; both set one value, so
# the last one given wins, as with any repeated option.
OUTPUT_FORMATS = ("concise", "full", "json", "github", "gitlab", "sarif", "text")


class _Terminated(KeyboardInterrupt):
    """SIGTERM, raised like Ctrl-C so the same clean-up runs (the worker pool stops its workers)."""


def _terminate(signum: int, frame: object) -> None:
    raise _Terminated


def _split(values: list[str] | None, *, upper: bool = False) -> tuple[str, ...] | None:
    """Repeatable, comma-separated option values: ["AIO1,AIO2", "AIO3"] -> ("AIO1", "AIO2", "AIO3")."""
    if values is None:
        return None
    items = (item.strip() for value in values for item in value.split(","))
    return tuple(item.upper() if upper else item for item in items if item)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="asynclint",
        description="Find asyncio mistakes and rewrite them into the patterns the asyncio docs recommend.",
    )
    parser.add_argument("--version", action="version", version=f"asynclint {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def common(sub: argparse.ArgumentParser) -> None:
        sub.add_argument(
            "paths", nargs="*", default=["."], metavar="PATH", help="files or directories; '-' reads stdin"
        )
        sub.add_argument(
            "--select",
            action="append",
            metavar="CODES",
            help="comma-separated codes or prefixes (or ALL) to enable, replacing the config's selection",
        )
        sub.add_argument("--extend-select", action="append", metavar="CODES", help="add codes to the selection")
        sub.add_argument("--ignore", action="append", metavar="CODES", help="codes or prefixes to disable")
        sub.add_argument(
            "--extend-ignore", action="append", metavar="CODES", help="the same as --ignore (ruff's spelling)"
        )
        sub.add_argument("--target-version", metavar="pyXY", help="Python the linted code must run on (e.g. py310)")
        sub.add_argument(
            "--output-format", choices=OUTPUT_FORMATS, default="concise", help="how findings are shown (text: concise)"
        )
        sub.add_argument(
            "--format",
            dest="output_format",
            choices=OUTPUT_FORMATS,
            default=argparse.SUPPRESS,
            help="the same as --output-format",
        )
        sub.add_argument("--output-file", metavar="FILE", help="write the report to FILE instead of stdout")
        sub.add_argument(
            "--statistics",
            action="store_true",
            help="count findings per code instead of listing them (JSON with --output-format json)",
        )
        sub.add_argument(
            "--exit-zero", action="store_true", help="exit 0 even when there are findings (errors still exit 2)"
        )
        sub.add_argument("--stdin-filename", metavar="PATH", help="the name of the file read from stdin")
        sub.add_argument("--config", metavar="FILE", help="pyproject.toml to read [tool.asynclint] from")
        sub.add_argument(
            "--extend-safe-fixes", action="append", metavar="CODES", help="treat these unsafe fixes as safe"
        )
        sub.add_argument("-q", "--quiet", action="store_true", help="print findings only, no summary")
        sub.add_argument(
            "-j", "--jobs", type=int, default=0, metavar="N", help="worker processes (default: the CPUs available)"
        )
        sub.add_argument(
            "--file-timeout", type=float, default=None, metavar="SECONDS", help="per-file time limit (default 60)"
        )
        sub.add_argument(
            "--max-memory",
            type=float,
            default=None,
            metavar="GB",
            help=(
                "address space each worker may use"
                " (default: half the physical memory shared among the workers, at least 2)"
            ),
        )
        sub.add_argument("--no-cache", action="store_true", help="neither read nor write .asynclint_cache/")
        sub.add_argument("--exclude", action="append", metavar="GLOBS", help="replace the default excludes")
        sub.add_argument("--extend-exclude", action="append", metavar="GLOBS", help="exclude these too")
        sub.add_argument(
            "--force-exclude", action="store_true", help="apply excludes to files named on the command line"
        )
        sub.add_argument(
            "--follow-symlinks",
            action="store_true",
            help="also collect symlinks whose targets are outside the paths given",
        )

    check = commands.add_parser("check", help="report findings")
    common(check)
    check.add_argument("--unsafe-fixes", action="store_true", help="mark unsafe fixes as applicable in the output")

    fix = commands.add_parser("fix", help="apply fixes (safe ones unless --unsafe-fixes)")
    common(fix)
    fix.add_argument("--unsafe-fixes", action="store_true", help="also apply unsafe fixes")
    fix.add_argument("--diff", action="store_true", help="print a unified diff, write nothing")
    fix.add_argument(
        "--exit-non-zero-on-fix", action="store_true", help="exit 1 when files were changed (for pre-commit)"
    )
    fix.add_argument("--show-fixes", action="store_true", help="list the fixes applied, per file and code")

    rule = commands.add_parser("rule", help="explain a rule")
    rule.add_argument("code", metavar="CODE", help="a rule code (AIO101) or name (dangling-task)")
    commands.add_parser("rules", help="list all rules")
    commands.add_parser("server", help="run the language server over stdio (needs asynclint[lsp])")
    return parser


def _settings(args: argparse.Namespace) -> Settings:
    from asynclint.registry import codes

    if args.config:
        settings = load_settings(Path.cwd(), Path(args.config))
    else:
        first = args.stdin_filename if args.paths == ["-"] and args.stdin_filename else args.paths[0]
        start = Path(first) if first != "-" else Path.cwd()
        settings = load_settings(start.absolute() if start.exists() else Path.cwd())
    selection = {
        "--select": _split(args.select, upper=True),
        "--extend-select": _split(args.extend_select, upper=True),
        "--ignore": _split(args.ignore, upper=True),
        "--extend-ignore": _split(args.extend_ignore, upper=True),
        "--extend-safe-fixes": _split(args.extend_safe_fixes, upper=True),
    }
    known = codes()
    for option, selectors in selection.items():
        validate_selectors(selectors or (), known, option)
    # The command line is one more source over the config file's selection (ruff's layering).
    settings = settings.with_selection(
        select=selection["--select"],
        extend_select=selection["--extend-select"] or (),
        ignore=(*(selection["--ignore"] or ()), *(selection["--extend-ignore"] or ())),
    )
    overrides = {
        "extend_safe_fixes": selection["--extend-safe-fixes"],
        "target_version": parse_target(args.target_version, "--target-version") if args.target_version else None,
        "unsafe_fixes": True if args.unsafe_fixes else None,
        "exclude": _split(args.exclude),
        "extend_exclude": _split(args.extend_exclude),
        "force_exclude": True if args.force_exclude else None,
    }
    return settings.with_overrides(**overrides)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    out = cast(IO[str], Stdout(sys.stdout))
    try:
        if args.command == "rules":
            return _rules(out)
        if args.command == "rule":
            return _rule(args.code, out)
        if args.command == "server":
            try:
                from asynclint.lsp import main as serve
            except ImportError as error:
                print(
                    f"asynclint: error: the language server needs pygls: pip install 'asynclint[lsp]' ({error})",
                    file=sys.stderr,
                )
                return EXIT_ERROR
            return serve()
        settings = _settings(args)
    except ConfigError as error:
        print(f"asynclint: error: {error}", file=sys.stderr)
        return EXIT_ERROR
    # Only the main thread may set handlers; a host calling main() from another keeps its own.
    handling = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _terminate) if handling else None
    try:
        if args.command == "check":
            return _check(args, settings, out)
        return _fix(args, settings, out)
    except ConfigError as error:
        print(f"asynclint: error: {error}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt as interrupt:
        print("asynclint: interrupted", file=sys.stderr)
        return 128 + (signal.SIGTERM if isinstance(interrupt, _Terminated) else signal.SIGINT)
    finally:
        if handling:
            signal.signal(signal.SIGTERM, signal.SIG_DFL if previous is None else previous)


def _rules(out: IO[str]) -> int:
    from asynclint.registry import all_rules

    for rule in all_rules():
        default = "" if rule.DEFAULT else " (opt-in)"
        out.write(f"{rule.CODE}  {rule.NAME:<28} fix: {rule.fix_availability().value:<9} {rule.summary()}{default}\n")
    out.flush()
    return EXIT_CLEAN


def _rule(code: str, out: IO[str]) -> int:
    from asynclint.docs import redirect_note, rule_page
    from asynclint.registry import get_rule, redirect_named

    rule = get_rule(code)
    if rule is None:
        redirect = redirect_named(code)
        if redirect is None:
            print(f"asynclint: error: no rule {code!r} (see `asynclint rules`)", file=sys.stderr)
            return EXIT_ERROR
        # A renamed or split rule: say where it went, as ruff does for a redirected code.
        out.write(f"{redirect_note(redirect)}\n\n`asynclint rule CODE` shows each:\n\n")
        for new in redirect.into:
            found = get_rule(new)
            assert found is not None  # the registry checks that a redirect leads to rules
            out.write(f"{found.CODE}  {found.NAME:<28} {found.summary()}\n")
        out.flush()
        return EXIT_CLEAN

    out.write(rule_page(rule))
    out.flush()
    return EXIT_CLEAN


class Stdout(io.TextIOBase):
    """stdout as the faces write it: a reader that goes away early (`| head -1`) is no error.

    On the first BrokenPipeError, the descriptor is pointed at /dev/null (so the interpreter's
    own flush at exit has somewhere to go) and the rest of the output is dropped."""

    def __init__(self, stream: IO[str]) -> None:
        super().__init__()
        self.stream, self.gone = stream, False

    def _closed_by_reader(self) -> None:
        self.gone = True
        devnull = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(devnull, self.stream.fileno())
        except (OSError, ValueError, io.UnsupportedOperation):  # not a real descriptor: nothing flushes it later
            pass
        finally:
            os.close(devnull)

    def write(self, text: str) -> int:
        if not self.gone:
            try:
                self.stream.write(text)
            except BrokenPipeError:
                self._closed_by_reader()
        return len(text)

    def write_bytes(self, data: bytes) -> None:
        if not self.gone:
            try:
                self.stream.flush()
                self.stream.buffer.write(data)  # type: ignore[attr-defined]
            except BrokenPipeError:
                self._closed_by_reader()

    def flush(self) -> None:
        if not self.gone:
            try:
                self.stream.flush()
            except BrokenPipeError:
                self._closed_by_reader()

    def isatty(self) -> bool:
        return self.stream.isatty()


def _wants_color(stream: IO[str], environ: Mapping[str, str] = os.environ) -> bool:
    """Colour on a terminal only; NO_COLOR (no-color.org) wins over FORCE_COLOR, which allows a pipe."""
    if environ.get("NO_COLOR"):
        return False
    if environ.get("FORCE_COLOR"):
        return True
    return stream.isatty() and environ.get("TERM") != "dumb"


def _sources(stdin: bytes | None = None) -> Callable[[FileResult], str | None]:
    """The text a result's lines refer to: the fixed bytes, stdin, or the file on disk."""
    from asynclint.source import UndecodableSource, decode

    def source(result: FileResult) -> str | None:
        data = result.new_data if result.new_data is not None else stdin
        try:
            if data is None:
                with open(result.path, "rb") as handle:
                    data = handle.read()
            return decode(data).text
        except (OSError, UndecodableSource):
            return None

    return source


def _write(
    results: list[FileResult],
    args: argparse.Namespace,
    out: IO[str],
    settings: Settings,
    *,
    fixing: bool = False,
    stdin: bytes | None = None,
    fixes: list[tuple[str, dict[tuple[str, str], int]]] | None = None,
) -> None:
    from asynclint import output

    if args.output_file:
        # The whole report is made first, then written atomically: a crash while making it
        # leaves no empty or half-written file (and the previous report, if any, in place).
        from asynclint.source import write_atomically

        buffer = io.StringIO()
        _render(results, args, buffer, output.View(False, _sources(stdin), settings), fixing, fixes)
        try:
            write_atomically(args.output_file, buffer.getvalue().encode("utf-8"))
        except OSError as error:
            raise ConfigError(
                f"--output-file {output.display_path(args.output_file)}: {error.strerror or error}"
            ) from None
        return
    _render(results, args, out, output.View(_wants_color(out), _sources(stdin), settings), fixing, fixes)
    out.flush()


def _render(
    results: list[FileResult],
    args: argparse.Namespace,
    out: IO[str],
    view: View,
    fixing: bool,
    fixes: list[tuple[str, dict[tuple[str, str], int]]] | None,
) -> None:
    from asynclint import output

    form = "concise" if args.output_format == "text" else args.output_format
    if args.statistics:
        (output.write_statistics_json if form == "json" else output.write_statistics)(results, out, view)
        return
    output.FORMATS[form](results, out, view)
    if form in output.TEXT_FORMATS:
        if fixes:
            out.write(output.fixes_summary(fixes, view) + "\n\n")
        if not args.quiet:
            out.write(output.summary(results, fixing=fixing, view=view) + "\n")


def _exit_code(results: list[FileResult], errors: list[str], exit_zero: bool = False) -> int:
    if errors or any(r.error or r.internal_error for r in results):
        return EXIT_ERROR
    return EXIT_FINDINGS if any(r.diagnostics for r in results) and not exit_zero else EXIT_CLEAN


def _report_errors(errors: list[str]) -> None:
    for message in errors:
        print(f"asynclint: error: {message}", file=sys.stderr)


def _collect(args: argparse.Namespace, settings: Settings) -> tuple[list[str], list[str]]:
    """(files to check, errors), after saying which symlinks were not followed (unless -q)."""
    from asynclint.discovery import collect_files

    found = collect_files(args.paths, settings, follow_symlinks=args.follow_symlinks)
    if not args.quiet:
        for message in found.skipped:
            print(f"asynclint: skipped {message}", file=sys.stderr)
    return found.files, found.errors


def _options(args: argparse.Namespace, *, fix: bool, write: bool = True) -> Any:
    from asynclint.runner import DEFAULT_TIMEOUT, Options

    if args.jobs < 0 or (args.file_timeout is not None and args.file_timeout <= 0):
        raise ConfigError("--jobs and --file-timeout must be positive")
    # Below 1 GB not even an ordinary file fits beside the worker's 512 MB analysis stack.
    if args.max_memory is not None and not 1 <= args.max_memory < 2**20:
        raise ConfigError("--max-memory: expected a number of gigabytes, at least 1")
    timeout = args.file_timeout if args.file_timeout is not None else DEFAULT_TIMEOUT
    memory = int(args.max_memory * 2**30) if args.max_memory is not None else 0
    return Options(fix=fix, write=write, jobs=args.jobs, timeout=timeout, cache=not args.no_cache, max_memory=memory)


def _check(args: argparse.Namespace, settings: Settings, out: IO[str]) -> int:
    from asynclint.runner import run, run_stdin

    stdin = None
    if args.paths == ["-"]:
        stdin = sys.stdin.buffer.read()
        results = [run_stdin(stdin, args.stdin_filename, settings, fix=False)]
        errors: list[str] = []
    else:
        files, errors = _collect(args, settings)
        results = run(files, settings, _options(args, fix=False))
    errors += [r.error for r in results if r.error]
    _report_errors(errors)
    _write(results, args, out, settings, stdin=stdin)
    return _exit_code(results, errors, args.exit_zero)


def _fixes_applied(results: list[FileResult], settings: Settings) -> list[tuple[str, dict[tuple[str, str], int]]]:
    """For --show-fixes: per changed file, how many findings of each code the fixes took away
    (the original's findings less the fixed file's; counted here, only when asked for)."""
    from collections import Counter

    from asynclint.engine import Request, process

    applied = []
    for result in results:
        if result.new_data is None or result.original is None:
            continue
        before = Counter((d.code, d.name) for d in process(Request(result.original, settings, result.path)).diagnostics)
        before.subtract((d.code, d.name) for d in result.diagnostics)
        table = {key: count for key, count in before.items() if count > 0}
        if table:
            applied.append((result.path, table))
    return applied


def _fix(args: argparse.Namespace, settings: Settings, out: IO[str]) -> int:
    from asynclint.output import View, text_line
    from asynclint.runner import run, run_stdin

    if args.paths == ["-"]:
        data = sys.stdin.buffer.read()
        result = run_stdin(data, args.stdin_filename, settings, fix=True)
        code = _exit_code([result], [], args.exit_zero)
        if args.diff:
            _print_diff(result.path, data, result.new_data, out)
            out.flush()
            return code if code == EXIT_ERROR or result.new_data is None or args.exit_zero else EXIT_FINDINGS
        cast(Stdout, out).write_bytes(result.new_data if result.new_data is not None else data)
        out.flush()
        view = View(_wants_color(sys.stderr))
        for d in result.diagnostics:
            print(text_line(result.path, d, view), file=sys.stderr)
        return code

    files, errors = _collect(args, settings)
    progress = Progress(len(files)) if Progress.wanted(sys.stderr, len(files)) else None
    try:
        results = run(files, settings, _options(args, fix=True, write=not args.diff), progress)
    finally:
        if progress is not None:
            progress.close()
    errors += [r.error for r in results if r.error]
    _report_errors(errors)
    changed = [r for r in results if r.new_data is not None]
    if args.diff:
        for result in changed:
            _print_diff(result.path, result.original or b"", result.new_data, out)
        out.flush()
        if not args.quiet:
            fixes = sum(r.fixed for r in results)
            noun, files_noun = ("error" if fixes == 1 else "errors"), ("file" if len(changed) == 1 else "files")
            print(f"Would fix {fixes} {noun} in {len(changed)} {files_noun}.", file=sys.stderr)
        code = _exit_code(results, errors)
        if code == EXIT_ERROR:
            return code
        return EXIT_FINDINGS if changed and not args.exit_zero else EXIT_CLEAN
    applied = _fixes_applied(results, settings) if args.show_fixes else None
    _write(results, args, out, settings, fixing=True, fixes=applied)
    code = _exit_code(results, errors, args.exit_zero)
    if code == EXIT_CLEAN and changed and args.exit_non_zero_on_fix:
        return EXIT_FINDINGS
    return code


class Progress:
    """`fixing 120/3000 files` on one self-rewriting stderr line, for people at a terminal only."""

    MIN_FILES = 50

    @classmethod
    def wanted(cls, stream: IO[str], files: int, environ: dict[str, str] | None = None) -> bool:
        import os

        env: Mapping[str, str] = os.environ if environ is None else environ
        return files >= cls.MIN_FILES and stream.isatty() and not env.get("CI") and env.get("TERM") != "dumb"

    def __init__(self, total: int, stream: IO[str] | None = None) -> None:
        self.total, self.done, self.stream = total, 0, stream or sys.stderr

    def __call__(self, result: object) -> None:
        self.done += 1
        self.stream.write(f"\rfixing {self.done}/{self.total} files")
        self.stream.flush()

    def close(self) -> None:
        self.stream.write("\r\033[K")
        self.stream.flush()


def _print_diff(path: str, old: bytes, new: bytes | None, out: IO[str]) -> None:
    if new is None:
        return
    import difflib

    from asynclint.output import display_path
    from asynclint.source import decode

    before = decode(old)
    after_text = new.decode(before.encoding)
    if before.bom:
        after_text = after_text.lstrip("\ufeff")
    name = display_path(path)
    diff = difflib.unified_diff(
        before.text.splitlines(keepends=True),
        after_text.splitlines(keepends=True),
        fromfile=name,
        tofile=name,
    )
    for line in diff:
        out.write(line if line.endswith(("\n", "\r")) else line + "\n\\ No newline at end of file\n")
