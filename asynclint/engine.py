"""Source in, diagnostics (and fixed source) out.  The only place that parses or changes trees.

One entry for every face: `process(Request) -> Outcome`.  A request says what to do with one
file (lint it, fix it, or apply the fix of one finding) to its text or bytes; the outcome holds
the diagnostics, the new source (None when unchanged) and the number of fixes applied.  Per
request the rules are selected (the byte-level pre-check) once, bytes are decoded once, and one
guard turns whatever fails into a file-level diagnostic, leaving the source as it was.

Per file: one libcst parse, one walk of our own (`asynclint.semantic.Model`) that also collects the nodes the
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
import enum
import itertools
import os
import re
import sys
import threading
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Generic, TypeVar, cast

from asynclint.config import Settings, line_length_for
from asynclint.layout import add_imports, holds_imports, wrap_written
from asynclint.positions import positions
from asynclint.registry import RegistryError, all_rules, get_rule, handler_classes
from asynclint.rule import Diagnostic, Fix, Rule, RuleContext, Safety
from asynclint.semantic import Model, ProjectIndex, ProjectView, Semantic
from asynclint.semantic.tokens import AsyncName, async_names, rename_ensure_future, shift
from asynclint.source import SourceText, UndecodableSource, decode
from asynclint.suppression import ALL as NOQA_ALL
from asynclint.suppression import Suppressions, file_noqa_codes

if TYPE_CHECKING:
    import libcst as cst
else:
    from asynclint._lazy import cst

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


# ------------------------------------------------------------------------------ requests
class Action(enum.Enum):
    """What a request asks of the engine."""

    LINT = "lint"
    FIX = "fix"
    """Apply every applicable fix (the settings say which are), pass after pass."""
    FIX_ONE = "fix-one"
    """Apply the fix of one finding, unsafe ones too: the person chose it (an editor's quick fix)."""


S = TypeVar("S", str, bytes)


@dataclass(frozen=True)
class Request(Generic[S]):
    """One file's work for `process`."""

    source: S
    """The file's bytes (decoded here, and a fix encoded back as they were: PEP 263 cookie, BOM),
    or its text, already decoded and without a BOM."""
    settings: Settings
    path: str | None = None
    action: Action = Action.LINT
    finding: tuple[str, int, int] | None = None
    """For FIX_ONE, and only then: the finding whose fix to apply, as (code, line, column)."""
    noqa: bool = True
    """Honour `# noqa` comments (flake8 runs with them off when told to disable its own)."""
    rules: tuple[type[Rule], ...] | None = None
    """The rules to run, when the caller has already chosen them for this content with
    `select_rules` (the runner does, before it hands a file to a worker); None: chosen here."""
    project: ProjectView | None = None
    """The file's view of its project index (other modules' coroutine functions), from the
    caller's index; None: a fresh index for this request alone."""

    def __post_init__(self) -> None:
        if (self.action is Action.FIX_ONE) != (self.finding is not None):
            raise ValueError("a Request names a finding exactly when its action is FIX_ONE")


@dataclass(frozen=True)
class Outcome(Generic[S]):
    """What `process` made of a request."""

    diagnostics: list[Diagnostic]
    """In order of position.  LINT: the findings; FIX: the findings the fixes left; FIX_ONE: the
    findings of the finding's code, before its fix.  With any file-level one (AIO001-AIO003)."""
    new: S | None = None
    """The source after fixing, as the request gave it (text, or bytes encoded as they were read);
    None when nothing changed, always for LINT."""
    fixed: int = 0
    """How many fixes `new` holds."""


def process(request: Request[S]) -> Outcome[S]:
    """Do what the request asks for one file: select the rules (the pre-check), decode, parse,
    lint and fix, each once.  Whatever fails in the file, or in asynclint outside its rule
    catalogue, becomes a file-level diagnostic, and the source stays as it was."""
    settings, path = request.settings, request.path
    rules = select_rules(settings, path, request.source) if request.rules is None else request.rules
    if request.finding is not None:
        rules = tuple(rule for rule in rules if rule.CODE == request.finding[0])
    if not rules:
        return Outcome([])  # cannot contain a finding: not decoded, no thread hop, no libcst import
    try:
        text, source = _decoded(request.source)
        if request.noqa and file_noqa_codes(text) is NOQA_ALL:
            return Outcome([])
        if request.project is None:  # one view for every fix pass
            request = replace(request, project=ProjectIndex().view(path))
        return _deep(_analyse, request, text, source, _checked(rules))
    except RegistryError:
        raise  # a bug in asynclint's catalogue: stop the run with its message (see `_checked`)
    except _Stop as stop:
        diagnostics = _report_file_level(settings, path, stop.diagnostic)
    except RecursionError:
        diagnostics = _report_file_level(settings, path, _file_diagnostic("AIO001", "too deeply nested to analyse"))
    except MemoryError:
        diagnostics = _report_file_level(settings, path, out_of_memory(memory_limit()))
    except Exception as error:  # a bug outside the rules must not take down the host (flake8, a worker, an editor)
        diagnostics = [internal_error(f"{type(error).__name__}: {error}")]
    return Outcome(diagnostics)


def lint_text(
    text: str, settings: Settings, path: str | None = None, *, noqa: bool = True, project: ProjectView | None = None
) -> list[Diagnostic]:
    """The findings in source text (already decoded, no BOM): a LINT request's diagnostics."""
    return process(Request(text, settings, path, noqa=noqa, project=project)).diagnostics


def _decoded(source: str | bytes) -> tuple[str, SourceText | None]:
    """The text to parse, and how to encode it back (None: the request gave text)."""
    if isinstance(source, str):
        return source, None
    try:
        decoded = decode(source)
    except UndecodableSource as error:
        raise _Stop(_file_diagnostic("AIO001", f"cannot decode: {error}")) from None
    return decoded.text, decoded


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


def _parse(text: str, path: str | None) -> cst.Module:
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


def _unfixable(module: cst.Module, text: str) -> str | None:
    """Why fixes cannot be applied to this file, or None when they can."""
    if module.code != text:
        return "libcst does not reproduce this file exactly"
    try:
        module.config_for_parsing  # noqa: B018 - fix templates are parsed with it; it validates the file's indent
    except ValueError as error:  # a form feed in the indentation
        return f"libcst cannot write code in this file's layout ({error})"
    return None


def _honest(
    diagnostics: list[Diagnostic], module: cst.Module, text: str, settings: Settings, path: str | None
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


def _checked(rules: Sequence[type[Rule]]) -> Sequence[type[Rule]]:
    """The rules, once every `visit_<Node>` of theirs names a libcst node class.

    Just before a parse, and not in the registry: checking needs libcst, which a warm cached run
    never imports.  A RegistryError is a bug in asynclint's catalogue and must stop the run with
    its message, not become an AIO002 on every file: `process`'s guard lets it through."""
    for rule in rules:
        handler_classes(rule)
    return rules


@dataclass
class _Pass:
    """One lint of one parsed module."""

    module: cst.Module
    model: Model
    diagnostics: list[Diagnostic]


def _lint_module(
    module: cst.Module,
    text: str,
    settings: Settings,
    rules: Sequence[type[Rule]],
    noqa: bool,
    path: str | None = None,
    *,
    project: ProjectView | None = None,
) -> _Pass:
    handlers: dict[type, list[tuple[type[Rule], Callable[[Any], None]]]] = {}
    reports: list[tuple[type[Rule], Any, str, Fix | None]] = []
    for rule_class in rules:
        for node_class, _ in handler_classes(rule_class):
            handlers.setdefault(node_class, [])
    model = Model(module, handlers.keys())
    model.source = text
    if project is None:
        project = ProjectIndex().view(path)  # a caller that keeps no index: this file's own
    if project is not None and settings.site_packages:
        project.extra_paths = settings.site_packages
    sem = Semantic(module, model, settings.target_version, project)
    context = RuleContext(sem=sem, settings=settings, reports=reports)
    for rule_class in rules:
        instance = rule_class(context)
        for node_class, method in handler_classes(rule_class):
            handlers[node_class].append((rule_class, getattr(instance, method)))

    crashed: dict[type[Rule], BaseException] = {}
    for node in model.wanted_nodes:
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
    for rule_class, failure in crashed.items():
        message = f"rule {rule_class.CODE} ({rule_class.NAME}) crashed: {type(failure).__name__}: {failure}"
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
    return _Pass(module, model, diagnostics)


def select_rules(
    settings: Settings, path: str | None, content: bytes | str, *, precheck: bool = True
) -> tuple[type[Rule], ...]:
    """The selected rules that could fire on this content (the cheap byte-level pre-check); none:
    the file cannot have a finding, and need not even be decoded.

    `precheck=False` skips the pre-check (`TRIGGERS`, `NEEDS_COROUTINE`): every selected rule
    runs, which must never change a result (tests/test_meta.py holds the corpus to that)."""
    rules = settings.rules_for(all_rules(), path)
    return tuple(
        rule
        for rule in rules
        if (_handler_names(rule) or rule.CODE in _BEFORE_THE_PARSE) and (not precheck or rule.triggered(content))
    )


_BEFORE_THE_PARSE = frozenset({"AIO311"})
"""Rules without node handlers that still need the file: the engine's token pre-step answers them."""


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


def _order(d: Diagnostic) -> tuple[int, int, str]:
    return (d.line, d.column, d.code)


# ------------------------------------------------------------------------------ fixing
def _choose(result: _Pass) -> list[Fix]:
    """Non-overlapping applicable fixes; on overlap the outer one wins (the rest wait a pass)."""
    model = result.model
    candidates = []
    for diagnostic in result.diagnostics:
        if diagnostic.applicable and diagnostic.fix is not None:
            targets = [target for target, _ in diagnostic.fix.edits]
            depth = min(model.depth(t) for t in targets) if targets else 0
            candidates.append((depth, diagnostic.line, diagnostic.column, diagnostic.fix, targets))
    candidates.sort(key=lambda c: c[:3])
    taken: set[Any] = set()  # targets of the chosen fixes
    covered: set[Any] = set()  # and their ancestors
    chosen: list[Fix] = []
    for _, _, _, fix, targets in candidates:
        inside_taken = any(t in taken or any(a in taken for a in model.ancestors(t)) for t in targets)
        if inside_taken or any(t in covered for t in targets):
            continue
        taken.update(targets)
        for target in targets:
            covered.update(model.ancestors(target))
        chosen.append(fix)
    return chosen


def _apply(module: cst.Module, model: Model, fixes: Sequence[Fix]) -> cst.Module:
    replacements: dict[Any, Any] = {}
    on_path: set[Any] = set()
    for fix in fixes:
        for target, replacement in fix.edits:
            replacements[target] = replacement
            on_path.update(model.ancestors(target))

    class Replace(cst.CSTTransformer):
        def on_visit(self, node: Any) -> bool:
            return node in on_path

        def on_leave(self, original: Any, updated: Any) -> Any:
            return replacements.get(original, updated)

    new = module.visit(Replace())
    imports = [request for fix in fixes for request in fix.imports]
    if imports:
        new = add_imports(new, imports)
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


def _is_import_line(statement: Any, position: int) -> bool:
    """An import statement line (the module docstring counts, in first position)."""
    return isinstance(statement, cst.SimpleStatementLine) and all(
        isinstance(s, (cst.Import, cst.ImportFrom))
        or (position == 0 and isinstance(s, cst.Expr) and isinstance(s.value, cst.SimpleString))
        for s in statement.body
    )


def _after_imports(body: list[Any]) -> int:
    """Where module-level statements a fix adds go: after the last import of the module's
    opening (imports in `try`/`if` blocks and assignments between imports included), before its
    first `def` or `class`, so no import that follows them becomes E402."""
    index = 0
    for i, statement in enumerate(body):
        if _is_import_line(statement, i) or holds_imports(statement):
            index = i + 1
        elif isinstance(statement, (cst.FunctionDef, cst.ClassDef)) or not isinstance(
            statement, (cst.SimpleStatementLine, cst.Try, cst.If)
        ):
            break
    return index


def _insert_after_imports(module: cst.Module, statements: list[str]) -> cst.Module:
    existing = {module.code_for_node(s).strip() for s in module.body}
    new_nodes = [
        cst.parse_statement(code, config=module.config_for_parsing)
        for code in statements
        if code.strip() not in existing
    ]
    if not new_nodes:
        return module
    body = list(module.body)
    index = _after_imports(body)
    # One blank line before the first inserted statement when it follows imports.
    if index > 0:
        new_nodes[0] = new_nodes[0].with_changes(leading_lines=[cst.EmptyLine()])
    if index < len(body) and not body[index].leading_lines:
        body[index] = body[index].with_changes(leading_lines=[cst.EmptyLine()])
    return module.with_changes(body=[*body[:index], *new_nodes, *body[index:]])


# ------------------------------------------------------------------------------ one request
class _Reverted(Exception):
    """The fixes are not applied: the file keeps its source, and AIO002 says why (the message)."""


def _analyse(request: Request[S], text: str, source: SourceText | None, rules: Sequence[type[Rule]]) -> Outcome[S]:
    """Parse, lint and, if asked, fix (in the deep-stack thread; `process` guards it)."""
    settings, path = request.settings, request.path
    original = text
    renamed: list[AsyncName] = []
    try:
        module = _parse(text, path)
    except _Stop as stop:
        recovered = _rename_async(request, text, stop, rules)
        if isinstance(recovered, Outcome):
            return recovered
        text, module, renamed = recovered
        rules = _with_rules_for(text, rules, request.settings, request.path)
    first: _Pass = _lint_module(module, text, settings, rules, request.noqa, path, project=request.project)
    if request.action is Action.LINT or _unfixable(module, text) is not None:
        return Outcome(sorted(_honest(first.diagnostics, module, text, settings, path), key=_order))
    try:
        if request.finding is not None:
            limit = line_length_for(settings, path)
            new_text, diagnostics, fixed = _fix_one(module, text, first, request.finding, path, limit)
        else:
            new_text, diagnostics, fixed = _fix_all(module, text, first, request, rules)
    except _Reverted as reverted:
        unfixed: list[Diagnostic] = [replace(d, applicable=False) for d in first.diagnostics]
        return Outcome(sorted([*unfixed, _file_diagnostic("AIO002", str(reverted))], key=_order))
    fixed += len(renamed)
    if new_text == original:
        return Outcome(diagnostics)
    if source is None:
        return cast("Outcome[S]", Outcome(diagnostics, new_text, fixed))
    try:
        return cast("Outcome[S]", Outcome(diagnostics, source.encode(new_text), fixed))
    except UnicodeEncodeError as error:
        message = f"fixed code cannot be encoded as {source.encoding} ({error}); file left unchanged"
        return Outcome([*sorted(first.diagnostics, key=_order), _file_diagnostic("AIO002", message)])


def _with_rules_for(text: str, rules: Sequence[type[Rule]], settings: Settings, path: str | None) -> list[type[Rule]]:
    """`rules` and those the pre-check picks for `text`, which a fix or a rename wrote: one run
    must reach the fixed point (AIO305 writes the `async def` that AIO302 needs)."""
    running = {rule.CODE for rule in rules}
    newly = [r for r in _checked(select_rules(settings, path, text)) if r.CODE not in running]
    return [*rules, *newly]


def _rename_async(
    request: Request[S], text: str, stop: _Stop, rules: Sequence[type[Rule]]
) -> Outcome[S] | tuple[str, cst.Module, list[AsyncName]]:
    """The file did not parse. If `async` used as a name (a syntax error since 3.7) is why:
    when fixing, the renamed text and its parse, to fix on; when linting, the findings of the
    renamed text at their places in the original, beside AIO311's; else `stop` stands."""
    settings, path = request.settings, request.path
    found = _async_names(settings, path, text, request.noqa)
    if not found:
        raise stop
    renamed = [n for n in found if n.fixable]
    fixing = request.action is Action.FIX and bool(renamed)
    blocked = len(renamed) < len(found)  # another `async` name keeps the file unparseable
    reports: list[Diagnostic] = [_async_name_diagnostic(n, settings, blocked) for n in found]
    if blocked:
        reports += _report_file_level(settings, path, stop.diagnostic)
        return Outcome(sorted(reports, key=_order))
    text = rename_ensure_future(text, renamed)
    module = _parse(text, path)
    if fixing:
        return text, module, renamed
    rules = _with_rules_for(text, rules, request.settings, request.path)
    linted = _lint_module(module, text, settings, rules, request.noqa, path, project=request.project)
    for diagnostic in _honest(linted.diagnostics, module, text, settings, path):
        reports.append(_moved(diagnostic, renamed))
    return Outcome(sorted(reports, key=_order))


def _async_names(settings: Settings, path: str | None, text: str, noqa: bool) -> list[AsyncName]:
    """The uses of `async` as a name that AIO311 reports here (selected, not suppressed)."""
    rule = get_rule("AIO311")
    if rule is None or not settings.is_selected(rule, settings.ignores_for(path)):
        return []
    found = async_names(text)
    if noqa and found:
        suppressions = Suppressions(text)
        found = [n for n in found if not suppressions.suppresses("AIO311", n.line)]
    return found


def _async_name_diagnostic(name: AsyncName, settings: Settings, blocked: bool) -> Diagnostic:
    rule = get_rule("AIO311")
    assert rule is not None and rule.FIX is not None
    end = name.column + len("async") + 1
    message = rule.MESSAGE.format(what=name.what)
    if not name.fixable:
        return Diagnostic(rule.CODE, rule.NAME, message, name.line, name.column + 1, name.line, end)
    applicable = settings.fix_allowed(rule.CODE, rule.FIX.safety.value) and not blocked
    safety = rule.FIX.safety.value
    return Diagnostic(
        rule.CODE, rule.NAME, message, name.line, name.column + 1, name.line, end, rule.FIX.title, safety, applicable
    )


def _moved(diagnostic: Diagnostic, renamed: list[AsyncName]) -> Diagnostic:
    """A finding on the renamed text, at its place in the original."""
    column = shift(diagnostic.line, diagnostic.column - 1, renamed) + 1
    end = shift(diagnostic.end_line, diagnostic.end_column - 1, renamed) + 1
    return replace(diagnostic, column=column, end_column=end)


def _fix_all(
    module: cst.Module, text: str, first: _Pass, request: Request[S], rules: Sequence[type[Rule]]
) -> tuple[str, list[Diagnostic], int]:
    """(text, the findings left, fixes applied) after lint -> apply until nothing changes, at most
    `MAX_PASSES` times.  Raises _Reverted."""
    original, result, fixed = text, first, 0
    limit = line_length_for(request.settings, request.path)
    for _ in range(MAX_PASSES):
        chosen = _choose(result)
        if not chosen:
            break
        new_text, new_module = _applied(module, result.model, chosen, limit)
        if new_text == text:
            break
        text, module, fixed = new_text, new_module, fixed + len(chosen)
        # A fix can make another rule apply (AIO305 writes the `async def` that AIO302 needs):
        # the pre-check looks at the new text, so one run reaches the fixed point.
        rules = _with_rules_for(text, rules, request.settings, request.path)
        result = _lint_module(
            module, text, request.settings, rules, request.noqa, request.path, project=request.project
        )
    if text != original:
        _check_compiles(original, text, request.path)
    return text, sorted(result.diagnostics, key=_order), fixed


def _fix_one(
    module: cst.Module, text: str, first: _Pass, finding: tuple[str, int, int], path: str | None, limit: int
) -> tuple[str, list[Diagnostic], int]:
    """(text, the findings, 1) with the fix of `finding` applied, whatever the settings allow;
    the text unchanged when that finding has no fix to apply.  Raises _Reverted."""
    diagnostics = sorted(first.diagnostics, key=_order)
    fixes = [d.fix for d in diagnostics if (d.code, d.line, d.column) == finding and d.fix is not None]
    if not fixes or fixes[0].safety is Safety.DISPLAY_ONLY:
        return text, diagnostics, 0
    new_text, _ = _applied(module, first.model, fixes[:1], limit)
    _check_compiles(text, new_text, path)
    return new_text, diagnostics, 1


def _applied(module: cst.Module, model: Model, fixes: Sequence[Fix], limit: int) -> tuple[str, cst.Module]:
    """The code with `fixes` applied (the lines they wrote wrapped at `limit`), and its parse.
    Raises _Reverted."""
    try:
        new_text = wrap_written(module.code, _apply(module, model, fixes).code, limit)
        # With the original's parser config, so the output is read as the same grammar.
        return new_text, cst.parse_module(new_text, config=module.config_for_parsing)
    except MemoryError:
        raise
    except Exception as error:
        raise _Reverted(f"fix failed and was not applied: {type(error).__name__}: {error}") from None


def _check_compiles(original: str, new_text: str, path: str | None) -> None:
    """Raises _Reverted when the fixed code does not compile.

    libcst parsed the output; compile() adds the checks it lacks (names bound twice, `await`
    outside a coroutine), but only where this Python compiles the original: code for a newer
    Python, or with a compile error of its own, cannot tell."""
    if not _compiles(original, path):
        return
    try:
        _quiet_compile(new_text, path)
    except (SyntaxError, ValueError) as error:
        raise _Reverted(f"fixes produced code that does not compile ({error}); file left unchanged") from None
