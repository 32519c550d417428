"""Source in, diagnostics (and fixed source) out.  The only place that parses or changes trees.

Per file: one libcst parse, one `Analysis` walk of our own that also collects the nodes the
selected rules asked for, then each rule's `visit_<Node>` handlers run over those nodes.  Positions
are computed only when something was reported.  Fixing repeats lint -> apply until nothing changes
(at most `MAX_PASSES`); the result must re-parse in libcst, and compile too when the running
Python compiles the original (code for a newer Python is checked by libcst alone), or the file is
left alone.

File-level findings: AIO001 when the file cannot be analysed (syntax error, undecodable, nesting
or size beyond what libcst can take, or more memory than the process may use), AIO002 when
asynclint itself failed, AIO003 when the file's findings cannot be fixed because libcst cannot
write it back exactly (then `check` does not mark them fixable either).

Everything runs in one worker thread with a large stack and a raised recursion limit, so deep but
valid code is analysed instead of given up (libcst's visitors and code generator recurse).
"""

from __future__ import annotations

import ast
import concurrent.futures
import itertools
import os
import re
import sys
import threading
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, TypeVar

from asynclint._lazy import cst
from asynclint.analysis import Analysis
from asynclint.config import Settings
from asynclint.positions import positions
from asynclint.registry import all_rules, get_rule, handler_classes
from asynclint.rule import Diagnostic, Fix, Rule, RuleContext
from asynclint.source import SourceText, UndecodableSource, decode
from asynclint.suppression import ALL as NOQA_ALL
from asynclint.suppression import Suppressions, file_noqa_codes

if TYPE_CHECKING:
    import libcst

MAX_PASSES = 10
_STACK_BYTES = 512 * 1024 * 1024
_RECURSION_LIMIT = 20_000
# libcst's parser is quadratic on long operator chains (measured with libcst 1.9: 2,000 terms
# 0.7 s, 4,000 terms 3.2 s, 20,000 terms over a minute; 8,000 crash an 8 MB stack).  Such code
# (generated tables, minified data) shows up as very long lines, which a regex finds at C speed;
# only then is CPython's much faster parser asked how large the largest statement is.
_LONG_LINE = re.compile(r"[^\r\n]{10000}")
MAX_STATEMENT_NODES = 12_000
# CPython's tokenizer refuses more than 200 nested brackets in every version (MAXLEVEL).
_TOO_MANY_PARENTHESES = "too many nested parentheses"
# Deep nesting needs brackets, lambdas, backslash continuations or a very long line; a file with
# none of these beyond ordinary counts cannot nest deeply, and skips CPython's parse (which would
# cost about a tenth of libcst's, on every file, for nothing).
_NOT_BRACKETS = re.compile(r"[^()\[\]{}]+")
_BRACKET_STEP = {"(": 1, "[": 1, "{": 1, ")": -1, "]": -1, "}": -1}
_DEEP_BRACKETS = 100
_MANY_LAMBDAS = 100
_MANY_CONTINUATIONS = 100
T = TypeVar("T")


class _Stop(Exception):
    """Analysis of this file ends here with one diagnostic (AIO001, AIO002 or AIO003)."""

    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic


def _file_diagnostic(code: str, message: str, line: int = 1, column: int = 1) -> Diagnostic:
    rule = get_rule(code)
    name = rule.NAME if rule is not None else code
    return Diagnostic(code, name, message, max(line, 1), max(column, 1), max(line, 1), max(column, 1))


def internal_error(message: str) -> Diagnostic:
    """AIO002 for a file: asynclint (not the file) failed."""
    return _file_diagnostic("AIO002", message)


def out_of_memory(limit: int | None) -> Diagnostic:
    """AIO001 for a file whose analysis needed more memory than the process may use."""
    if limit is None:
        return _file_diagnostic("AIO001", "ran out of memory while analysing")
    return _file_diagnostic(
        "AIO001", f"needs more than {limit / 2**30:.1f} GB of memory to analyse (the limit per worker)"
    )


def memory_limit() -> int | None:
    """This process's address-space limit in bytes (the runner sets one in each worker), or None."""
    try:
        import resource
    except ImportError:  # not on Unix
        return None
    soft, _ = resource.getrlimit(resource.RLIMIT_AS)
    return None if soft == resource.RLIM_INFINITY else soft


def is_candidate(content: bytes | str, settings: Settings, path: str | None = None) -> bool:
    """Could any selected rule fire on this content? (The cheap byte-level pre-check.)"""
    return bool(_selected(settings, path, content))


# ------------------------------------------------------------------------------ deep stack
_executor: concurrent.futures.ThreadPoolExecutor | None = None
_executor_pid = -1
_executor_lock = threading.Lock()


def _deep(fn: Callable[..., T], *args: Any) -> T:
    """Run `fn` in a thread with a big stack (recreated after a fork)."""
    global _executor, _executor_pid
    if threading.current_thread().name.startswith("asynclint-deep"):
        return fn(*args)
    with _executor_lock:
        if _executor is None or _executor_pid != os.getpid():
            previous = threading.stack_size()
            threading.stack_size(_STACK_BYTES)
            try:
                _executor = concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="asynclint-deep")
                _executor.submit(lambda: None).result()  # start the thread while the size is set
            finally:
                threading.stack_size(previous)
            _executor_pid = os.getpid()
    return _executor.submit(_with_recursion_limit, fn, *args).result()


def _with_recursion_limit(fn: Callable[..., T], *args: Any) -> T:
    # The limit is process-wide: raise it for our call only, so a host (flake8, an editor, a test
    # run) gets its own back.
    previous = sys.getrecursionlimit()
    sys.setrecursionlimit(max(previous, _RECURSION_LIMIT))
    try:
        return fn(*args)
    finally:
        sys.setrecursionlimit(previous)


# ------------------------------------------------------------------------------ parsing
def _quiet_compile(text: str, path: str | None, flags: int = 0) -> Any:
    """compile() without the SyntaxWarnings it prints about the user's code: not ours to report."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return compile(text, path or "<input>", "exec", flags=flags, dont_inherit=True)


def _syntax_error(error: SyntaxError) -> _Stop:
    return _Stop(_file_diagnostic("AIO001", f"syntax error: {error.msg}", error.lineno or 1, error.offset or 1))


def _may_nest_deeply(text: str) -> bool:
    """Could this text nest deeply enough to cost libcst's parser gigabytes? (C-speed checks only.)"""
    if _LONG_LINE.search(text) is not None or text.count("lambda") > _MANY_LAMBDAS:
        return True
    if text.count("\\\n") + text.count("\\\r") > _MANY_CONTINUATIONS:
        return True
    # Bracket depth, counted lexically (brackets in strings and comments too).  A file crafted to
    # hide its nesting from this count (closing brackets in strings) is still stopped by the
    # worker's memory limit; this check is there to make ordinary deep nesting cheap to refuse.
    steps = map(_BRACKET_STEP.__getitem__, _NOT_BRACKETS.sub("", text))
    return max(itertools.accumulate(steps), default=0) > _DEEP_BRACKETS


def _cpython_parse(text: str, path: str | None) -> SyntaxError | ValueError | None:
    """Ask CPython's parser first (C speed, about a tenth of libcst's parse), and keep its error.

    It refuses the nesting that makes libcst's parser take gigabytes (10,000 nested parentheses:
    10.6 GB; 2,983 nested lambdas, the most it accepts, cost libcst 1.7 GB).  A syntax error is
    kept, not reported: the code may be for a newer Python than this one, which libcst can parse.
    Asked only where the text may nest deeply; libcst finds syntax errors in the rest itself.
    """
    if not _may_nest_deeply(text):
        return None
    try:
        tree = _quiet_compile(text, path, ast.PyCF_ONLY_AST)
    except SyntaxError as error:
        if error.msg.startswith(_TOO_MANY_PARENTHESES):
            raise _syntax_error(error) from None
        return error
    except (MemoryError, RecursionError):  # its parser's stack overflowed
        raise _Stop(_file_diagnostic("AIO001", "too deeply nested to analyse")) from None
    except ValueError as error:  # null bytes (a SyntaxError from Python 3.12)
        return error
    if _LONG_LINE.search(text) is not None:
        largest = max((sum(1 for _ in ast.walk(statement)) for statement in tree.body), default=0)
        if largest > MAX_STATEMENT_NODES:
            message = f"a statement of {largest:,} syntax nodes is too large to analyse (limit {MAX_STATEMENT_NODES:,})"
            raise _Stop(_file_diagnostic("AIO001", message))
    return None


def _parse(text: str, path: str | None) -> libcst.Module:
    cpython_error = _cpython_parse(text, path)
    try:
        return cst.parse_module(text)
    except RecursionError:
        raise _Stop(_file_diagnostic("AIO001", "too deeply nested to analyse")) from None
    except (cst.ParserSyntaxError, cst.CSTValidationError) as error:
        # libcst's native parser accepts some code CPython rejects (`[x for*_ in y]`, which only
        # CPython's compiler refuses) and then fails to build its nodes: CSTValidationError.
        # Either way CPython's words say why.
        if cpython_error is None:
            try:
                _quiet_compile(text, path)
            except SyntaxError as compile_error:
                cpython_error = compile_error
            except (ValueError, RecursionError, MemoryError):
                pass
        if isinstance(cpython_error, SyntaxError):
            raise _syntax_error(cpython_error) from None
        if cpython_error is not None:
            raise _Stop(_file_diagnostic("AIO001", f"cannot be compiled: {cpython_error}")) from None
        if isinstance(error, cst.CSTValidationError):
            raise _Stop(_file_diagnostic("AIO001", f"valid Python that libcst cannot parse ({error})")) from None
        message = f"valid Python that libcst cannot parse (at line {error.editor_line}, column {error.editor_column})"
        raise _Stop(_file_diagnostic("AIO001", message, error.editor_line, error.editor_column)) from None


def _unfixable(module: libcst.Module, text: str) -> str | None:
    """Why fixes cannot be applied to this file, or None when they can."""
    if module.code != text:
        return "libcst does not reproduce this file exactly"
    try:
        module.config_for_parsing  # noqa: B018 - fix templates are parsed with it; it validates the file's indent
    except ValueError as error:  # a form feed in the indentation
        return f"libcst cannot write code in this file's layout ({error})"
    return None


def _honest(
    diagnostics: list[Diagnostic], module: libcst.Module, text: str, settings: Settings, path: str | None
) -> list[Diagnostic]:
    """The diagnostics, with no fix marked applicable that `fix` would not apply (and AIO003 saying why)."""
    if not any(d.applicable for d in diagnostics):
        return diagnostics
    reason = _unfixable(module, text)
    if reason is None:
        return diagnostics
    unfixable = _report_file_level(settings, path, _file_diagnostic("AIO003", f"findings cannot be fixed: {reason}"))
    return [*(replace(d, applicable=False) for d in diagnostics), *unfixable]


def _compiles(text: str, path: str | None) -> bool:
    try:
        _quiet_compile(text, path)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    return True


# ------------------------------------------------------------------------------ linting
_HANDLERS: dict[type[Rule], list[tuple[str, str]]] = {}


def _handler_names(rule: type[Rule]) -> list[tuple[str, str]]:
    """[(libcst node class name, method name)] for a rule's `visit_<Node>` methods.

    Names only, without libcst (the pre-check uses it); `_checked` resolves them before a parse."""
    names = _HANDLERS.get(rule)
    if names is None:
        names = [(attr[len("visit_") :], attr) for attr in dir(rule) if attr.startswith("visit_")]
        _HANDLERS[rule] = names
    return names


def _checked(rules: list[type[Rule]]) -> list[type[Rule]]:
    """The rules, once every `visit_<Node>` of theirs names a libcst node class.

    Here, outside the per-file `try`, and not in the registry: checking needs libcst, which a
    warm cached run never imports; a RegistryError is a bug in asynclint's catalogue and must
    stop the run with its message, not become an AIO002 on every file."""
    for rule in rules:
        handler_classes(rule)
    return rules


@dataclass
class _Pass:
    """One lint of one parsed module."""

    module: libcst.Module
    analysis: Analysis
    diagnostics: list[Diagnostic]


def _lint_module(
    module: libcst.Module,
    text: str,
    settings: Settings,
    rules: Sequence[type[Rule]],
    noqa: bool,
    path: str | None = None,
    *,
    project: Any = None,
) -> _Pass:
    handlers: dict[type, list[tuple[type[Rule], Callable[[Any], None]]]] = {}
    reports: list[tuple[type[Rule], Any, str, Fix | None]] = []
    for rule_class in rules:
        for node_class, _ in handler_classes(rule_class):
            handlers.setdefault(node_class, [])
    analysis = Analysis(module, handlers.keys())
    context = RuleContext(module=module, analysis=analysis, settings=settings, reports=reports, path=path)
    for rule_class in rules:
        instance = rule_class(context)
        for node_class, method in handler_classes(rule_class):
            handlers[node_class].append((rule_class, getattr(instance, method)))

    crashed: dict[type[Rule], BaseException] = {}
    for node in analysis.wanted_nodes:
        for rule_class, handle in handlers[type(node)]:
            if rule_class in crashed:
                continue
            try:
                handle(node)
            except MemoryError:
                raise  # not a bug in the rule: the file needs more memory than the process may use
            except Exception as error:  # a rule bug (RecursionError too) must not take the file or the run down
                crashed[rule_class] = error

    diagnostics: list[Diagnostic] = []
    for rule_class, error in crashed.items():
        message = f"rule {rule_class.CODE} ({rule_class.NAME}) crashed: {type(error).__name__}: {error}"
        diagnostics.append(_file_diagnostic("AIO002", message))
    if reports:
        spans = positions(module, (node for rule_class, node, _, _ in reports if rule_class not in crashed))
        suppressions = Suppressions(text) if noqa else None
        seen: set[tuple[str, int, int]] = set()
        for rule_class, node, message, fix in reports:
            if rule_class in crashed:
                continue
            line, column, end_line, end_column = spans[node]
            key = (rule_class.CODE, line, column)
            if key in seen:
                continue
            seen.add(key)
            if suppressions is not None and suppressions.suppresses(rule_class.CODE, line):
                continue
            applicable = fix is not None and settings.fix_allowed(rule_class.CODE, fix.safety.value)
            diagnostics.append(
                Diagnostic(
                    rule_class.CODE,
                    rule_class.NAME,
                    message,
                    line,
                    column + 1,
                    end_line,
                    end_column + 1,
                    fix.title if fix is not None else None,
                    fix.safety.value if fix is not None else None,
                    applicable,
                    fix,
                )
            )
    return _Pass(module, analysis, diagnostics)


def _selected(settings: Settings, path: str | None, content: bytes | str, *, precheck: bool = True) -> list[type[Rule]]:
    """The selected rules that could fire on this content (the cheap byte-level pre-check).

    `precheck=False` skips the pre-check (`TRIGGERS`, `NEEDS_COROUTINE`): every selected rule
    runs, which must never change a result (tests/test_meta.py holds the corpus to that)."""
    rules = settings.rules_for(all_rules(), path)
    return [rule for rule in rules if _handler_names(rule) and (not precheck or rule.triggered(content))]


def _report_file_level(settings: Settings, path: str | None, diagnostic: Diagnostic) -> list[Diagnostic]:
    """AIO001 and AIO003 honour selection (a project may ignore them for deliberately odd files)."""
    rule = get_rule(diagnostic.code)
    if (
        diagnostic.code in ("AIO001", "AIO003")
        and rule is not None
        and not settings.is_selected(rule, settings.ignores_for(path))
    ):
        return []
    return [diagnostic]


def lint_text(text: str, settings: Settings, path: str | None = None, *, noqa: bool = True) -> list[Diagnostic]:
    """Lint source text (already decoded, no BOM)."""
    rules = _selected(settings, path, text)
    if not rules or (noqa and file_noqa_codes(text) is NOQA_ALL):
        return []  # nothing to parse: no thread hop, no libcst import
    return _deep(_lint_text, text, settings, path, noqa, _checked(rules))


def _lint_text(
    text: str, settings: Settings, path: str | None, noqa: bool, rules: Sequence[type[Rule]] | None = None
) -> list[Diagnostic]:
    rules = _checked(_selected(settings, path, text)) if rules is None else rules
    if not rules:
        return []
    try:
        module = _parse(text, path)
        result = _lint_module(module, text, settings, rules, noqa, path)
        diagnostics = _honest(result.diagnostics, module, text, settings, path)
    except _Stop as stop:
        return _report_file_level(settings, path, stop.diagnostic)
    except RecursionError:
        return _report_file_level(settings, path, _file_diagnostic("AIO001", "too deeply nested to analyse"))
    except MemoryError:
        return _report_file_level(settings, path, out_of_memory(memory_limit()))
    except Exception as error:  # a bug outside the rules must not take down the host (flake8, a worker)
        return [internal_error(f"{type(error).__name__}: {error}")]
    return sorted(diagnostics, key=_order)


def _order(d: Diagnostic) -> tuple[int, int, str]:
    return (d.line, d.column, d.code)


def lint_bytes(data: bytes, settings: Settings, path: str | None = None, *, noqa: bool = True) -> list[Diagnostic]:
    if not _selected(settings, path, data):
        return []  # cannot contain a finding: not even decoded
    try:
        source = decode(data)
    except UndecodableSource as error:
        return _report_file_level(settings, path, _file_diagnostic("AIO001", f"cannot decode: {error}"))
    return lint_text(source.text, settings, path, noqa=noqa)


# ------------------------------------------------------------------------------ fixing
def _choose(result: _Pass) -> list[Fix]:
    """Non-overlapping applicable fixes; on overlap the outer one wins (the rest wait a pass)."""
    analysis = result.analysis
    candidates = []
    for diagnostic in result.diagnostics:
        if diagnostic.applicable and diagnostic.fix is not None:
            targets = [target for target, _ in diagnostic.fix.edits]
            depth = min(analysis.depth(t) for t in targets) if targets else 0
            candidates.append((depth, diagnostic.line, diagnostic.column, diagnostic.fix, targets))
    candidates.sort(key=lambda c: c[:3])
    taken: set[Any] = set()  # targets of the chosen fixes
    covered: set[Any] = set()  # and their ancestors
    chosen: list[Fix] = []
    for _, _, _, fix, targets in candidates:
        inside_taken = any(t in taken or any(a in taken for a in analysis.ancestors(t)) for t in targets)
        if inside_taken or any(t in covered for t in targets):
            continue
        taken.update(targets)
        for target in targets:
            covered.update(analysis.ancestors(target))
        chosen.append(fix)
    return chosen


def _apply(module: libcst.Module, analysis: Analysis, fixes: Sequence[Fix]) -> libcst.Module:
    replacements: dict[Any, Any] = {}
    on_path: set[Any] = set()
    for fix in fixes:
        for target, replacement in fix.edits:
            replacements[target] = replacement
            on_path.update(analysis.ancestors(target))

    class Replace(cst.CSTTransformer):  # type: ignore[misc,name-defined]
        def on_visit(self, node: Any) -> bool:
            return node in on_path

        def on_leave(self, original: Any, updated: Any) -> Any:
            return replacements.get(original, updated)

    new = module.visit(Replace())
    imports = [request for fix in fixes for request in fix.imports]
    if imports:
        from libcst.codemod import CodemodContext
        from libcst.codemod.visitors import AddImportsVisitor

        context = CodemodContext()
        for request in dict.fromkeys(imports):
            AddImportsVisitor.add_needed_import(context, request.module, request.obj, request.asname)
        new = AddImportsVisitor(context).transform_module(new)
    dropped = list(dict.fromkeys(request for fix in fixes for request in fix.drop_imports))
    if dropped:
        from libcst.codemod import CodemodContext
        from libcst.codemod.visitors import RemoveImportsVisitor

        context = CodemodContext()
        for request in dropped:
            RemoveImportsVisitor.remove_unused_import(context, request.module, request.obj, request.asname)
        new = RemoveImportsVisitor(context).transform_module(new)
    statements = list(dict.fromkeys(s for fix in fixes for s in fix.module_statements))
    if statements:
        new = _insert_after_imports(new, statements)
    return new


def _insert_after_imports(module: libcst.Module, statements: list[str]) -> libcst.Module:
    existing = {module.code_for_node(s).strip() for s in module.body}
    new_nodes = [
        cst.parse_statement(code, config=module.config_for_parsing)
        for code in statements
        if code.strip() not in existing
    ]
    if not new_nodes:
        return module
    body = list(module.body)
    index = 0
    for i, statement in enumerate(body):
        if isinstance(statement, cst.SimpleStatementLine) and all(
            isinstance(s, (cst.Import, cst.ImportFrom))
            or (i == 0 and isinstance(s, cst.Expr) and isinstance(s.value, cst.SimpleString))
            for s in statement.body
        ):
            index = i + 1
            continue
        break
    # One blank line before the first inserted statement when it follows imports.
    if index > 0:
        new_nodes[0] = new_nodes[0].with_changes(leading_lines=[cst.EmptyLine()])
    if index < len(body) and not body[index].leading_lines:
        body[index] = body[index].with_changes(leading_lines=[cst.EmptyLine()])
    return module.with_changes(body=[*body[:index], *new_nodes, *body[index:]])


@dataclass
class FixOutcome:
    text: str
    diagnostics: list[Diagnostic]
    fixed: int


def fix_text(text: str, settings: Settings, path: str | None = None) -> FixOutcome:
    rules = _selected(settings, path, text)
    if not rules or file_noqa_codes(text) is NOQA_ALL:
        return FixOutcome(text, [], 0)
    return _deep(_fix_text, text, settings, path, _checked(rules))


def _fix_text(text: str, settings: Settings, path: str | None, rules: Sequence[type[Rule]]) -> FixOutcome:
    original = text  # whatever fails below, this is what the file keeps
    try:
        module = _parse(text, path)
        if _unfixable(module, text) is not None:
            result = _lint_module(module, text, settings, rules, True, path)
            return FixOutcome(text, sorted(_honest(result.diagnostics, module, text, settings, path), key=_order), 0)
        fixed = 0
        for _ in range(MAX_PASSES):
            result = _lint_module(module, text, settings, rules, True, path)
            chosen = _choose(result)
            if not chosen:
                break
            try:
                new_text = _apply(module, result.analysis, chosen).code
                # With the original's parser config, so the output is read as the same grammar.
                new_module = cst.parse_module(new_text, config=module.config_for_parsing)
            except MemoryError:
                raise
            except Exception as error:
                message = f"fix failed and was not applied: {type(error).__name__}: {error}"
                return _unchanged(original, settings, path, rules, message)
            if new_text == text:
                break
            text, module, fixed = new_text, new_module, fixed + len(chosen)
        else:
            result = _lint_module(module, text, settings, rules, True, path)
        # libcst re-parsed every pass's output above; compile() adds the checks it lacks (names
        # bound twice, `await` outside a coroutine), but only where this Python compiles the
        # original: code for a newer Python, or with a compile error of its own, cannot tell.
        if text != original and _compiles(original, path):
            try:
                _quiet_compile(text, path)
            except (SyntaxError, ValueError) as error:
                message = f"fixes produced code that does not compile ({error}); file left unchanged"
                return _unchanged(original, settings, path, rules, message)
        return FixOutcome(text, sorted(result.diagnostics, key=_order), fixed)
    except _Stop as stop:
        return FixOutcome(original, _report_file_level(settings, path, stop.diagnostic), 0)
    except RecursionError:
        diagnostic = _file_diagnostic("AIO001", "too deeply nested to analyse")
        return FixOutcome(original, _report_file_level(settings, path, diagnostic), 0)
    except MemoryError:
        return FixOutcome(original, _report_file_level(settings, path, out_of_memory(memory_limit())), 0)
    except Exception as error:  # a bug outside the rules: report it, change nothing
        return FixOutcome(original, [internal_error(f"{type(error).__name__}: {error}")], 0)


def _unchanged(
    text: str, settings: Settings, path: str | None, rules: Sequence[type[Rule]], message: str
) -> FixOutcome:
    diagnostics = [replace(d, applicable=False) for d in _lint_text(text, settings, path, True, rules)]
    return FixOutcome(text, sorted([*diagnostics, _file_diagnostic("AIO002", message)], key=_order), 0)


def fix_one(text: str, settings: Settings, path: str | None, code: str, line: int, column: int) -> str | None:
    """The text with just the fix of the finding `code` at line:column applied (for an editor's
    quick fix), or None when there is no such fix or applying it would not compile.  Unsafe fixes
    are allowed here: the person chose this one fix."""
    rules = [rule for rule in _selected(settings, path, text) if rule.CODE == code]
    if not rules:
        return None
    return _deep(_fix_one, text, settings, path, _checked(rules), line, column)


def _fix_one(
    text: str, settings: Settings, path: str | None, rules: Sequence[type[Rule]], line: int, column: int
) -> str | None:
    try:
        module = _parse(text, path)
        if _unfixable(module, text) is not None:
            return None
        result = _lint_module(module, text, settings, rules, True, path)
        fixes = [d.fix for d in result.diagnostics if (d.line, d.column) == (line, column) and d.fix is not None]
        if not fixes or fixes[0].safety.value == "display-only":
            return None
        new_text = _apply(module, result.analysis, fixes[:1]).code
        cst.parse_module(new_text, config=module.config_for_parsing)
        if _compiles(text, path):
            _quiet_compile(new_text, path)
        return new_text
    except Exception:
        return None


def fix_bytes(data: bytes, settings: Settings, path: str | None = None) -> tuple[bytes | None, list[Diagnostic], int]:
    """(new bytes or None when unchanged, remaining diagnostics, number of fixes applied)."""
    if not _selected(settings, path, data):
        return None, [], 0
    try:
        source: SourceText = decode(data)
    except UndecodableSource as error:
        return None, _report_file_level(settings, path, _file_diagnostic("AIO001", f"cannot decode: {error}")), 0
    outcome = fix_text(source.text, settings, path)
    if outcome.text == source.text:
        return None, outcome.diagnostics, 0
    try:
        new_data = source.encode(outcome.text)
    except UnicodeEncodeError as error:
        message = f"fixed code cannot be encoded as {source.encoding} ({error}); file left unchanged"
        return None, [*lint_bytes(data, settings, path), _file_diagnostic("AIO002", message)], 0
    return new_data, outcome.diagnostics, outcome.fixed
