"""`asynclint server`: a language server over stdio (pygls; `pip install asynclint[lsp]`).

What an editor gets:
- diagnostics, pulled (`textDocument/diagnostic`) when the client can pull, else pushed, never
  both (ruff's server does the same); each links its code to its rule page (`codeDescription`);
  excluded files get none;
- linting off the message loop, debounced, newest text only (`linting`); requests are answered
  while a lint runs;
- code actions at once, with their edits computed on `codeAction/resolve` (eagerly, for the
  diagnostics in the requested range only, when the client cannot resolve): a quick fix per
  finding (its own fix only; unsafe ones say so in their title), a `# noqa: CODE` action, and
  `source.fixAll.asynclint` (what `asynclint fix` would apply); every edit is minimal (`text`);
- hover on a code in a `# noqa:` comment: the rule's summary and docs;
- settings from the nearest `pyproject.toml`, re-read when it changes, under the client's
  (`settings`);
- a request whose params do not fit the protocol gets an InvalidParams error reply (pygls drops
  it without one).
"""

from __future__ import annotations

import asyncio
import logging
import os
import re
import time
from typing import Any

from lsprotocol import types as t
from pygls.exceptions import JsonRpcException, JsonRpcInvalidParams
from pygls.lsp.server import LanguageServer
from pygls.protocol import LanguageServerProtocol
from pygls.uris import to_fs_path as uri_to_path
from pygls.workspace import TextDocument

from asynclint import __version__
from asynclint.docs import rule_docs
from asynclint.engine import Action, Request, process
from asynclint.lsp.linting import DEBOUNCE_SECONDS, QUIET_SECONDS, Linter, Result, Snapshot
from asynclint.lsp.settings import SettingsStore
from asynclint.lsp.text import LineIndex, minimal_edits
from asynclint.registry import get_rule
from asynclint.rule import Diagnostic
from asynclint.suppression import noqa_codes

FIX_ALL = "source.fixAll.asynclint"
SOURCE = "asynclint"
_NOQA_COMMENT = re.compile(r"#\s*noqa\s*:", re.I)
_CODE = re.compile(r"[A-Z]+[0-9]+", re.I)
logger = logging.getLogger(__name__)


class _Rejected:
    """A request already answered with an error while it was being decoded."""

    jsonrpc = None


_REJECTED = _Rejected()


class AsyncLintProtocol(LanguageServerProtocol):
    """pygls decodes each message inside `json.loads`; when the params do not fit, it raises there
    and its read loop only logs it, so the client waits for ever.  Answer such requests here."""

    def structure_message(self, data: dict[str, Any]) -> Any:
        try:
            return super().structure_message(data)
        except JsonRpcException as error:
            if "id" not in data or "method" not in data:
                raise  # a notification (no reply allowed) or a response: nothing to answer
            cause = error.__cause__ or error
            message = f"invalid params for {data['method']}: {cause}"
            code = JsonRpcInvalidParams.CODE if isinstance(error, JsonRpcInvalidParams) else error.code
            self._send_response(data["id"], error=t.ResponseError(code=code, message=message))
            return _REJECTED

    def handle_message(self, message: Any) -> None:
        if message is not _REJECTED:
            super().handle_message(message)


def rule_url(code: str) -> str | None:
    from asynclint.docs import rule_url as page

    rule = get_rule(code)
    return page(rule) if rule is not None else None


def to_lsp(index: LineIndex, d: Diagnostic) -> t.Diagnostic:
    url = rule_url(d.code)
    return t.Diagnostic(
        range=t.Range(start=index.to_client(d.line, d.column), end=index.to_client(d.end_line, d.end_column)),
        message=d.message,
        severity=t.DiagnosticSeverity.Error if d.code in ("AIO001", "AIO002") else t.DiagnosticSeverity.Warning,
        code=d.code,
        code_description=t.CodeDescription(href=url) if url else None,
        source=SOURCE,
        data={"line": d.line, "column": d.column, "fix": d.fix_title, "safety": d.fix_safety},
    )


def _workspace_edit(document: TextDocument, edits: list[t.TextEdit]) -> t.WorkspaceEdit:
    versioned = t.OptionalVersionedTextDocumentIdentifier(uri=document.uri, version=document.version)
    return t.WorkspaceEdit(document_changes=[t.TextDocumentEdit(text_document=versioned, edits=list(edits))])


def noqa_edit(index: LineIndex, line_index: int, code: str) -> t.TextEdit:
    """An insertion at the end of the line: a new noqa comment for `code`, or `, code` onto an existing list."""
    line = index.lines[line_index]
    codes = noqa_codes(line)
    if codes:
        if "*" not in codes:
            # Extend an existing list of codes rather than adding a second comment.
            start, new_text = len(line.rstrip()), f", {code}"
        else:
            start, new_text = len(line), f"  # noqa: {code}"
    else:
        start, new_text = len(line), f"  # noqa: {code}"
    begin = index.to_client(line_index + 1, start + 1)
    end = index.to_client(line_index + 1, len(line) + 1)
    return t.TextEdit(range=t.Range(start=begin, end=end), new_text=new_text)


def _overlaps(a: t.Range, b: t.Range) -> bool:
    return (a.start.line, a.start.character) <= (b.end.line, b.end.character) and (b.start.line, b.start.character) <= (
        a.end.line,
        a.end.character,
    )


class AsyncLintServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__(
            "asynclint",
            __version__,
            text_document_sync_kind=t.TextDocumentSyncKind.Incremental,
            protocol_cls=AsyncLintProtocol,
        )
        self.settings = SettingsStore(self._report_problem)
        self.linter = Linter(self.settings.for_path, self._deliver)
        self.pull = False
        self.resolve = False
        self._loop: asyncio.AbstractEventLoop | None = None
        self._changed: dict[str, float] = {}
        """When each document last changed."""
        self._after_quiet: set[str] = set()
        """Documents whose last change came after a quiet spell: linted without waiting."""
        self._waiters: dict[str, list[asyncio.Future[Result]]] = {}

    # -------------------------------------------------------------------------- plumbing
    def _report_problem(self, message: str) -> None:
        params = t.ShowMessageParams(type=t.MessageType.Error, message=message)
        if self._loop is None:
            self.window_show_message(params)
        else:
            self._loop.call_soon_threadsafe(self.window_show_message, params)

    def _deliver(self, result: Result) -> None:
        loop = self._loop
        if loop is not None and not loop.is_closed():
            loop.call_soon_threadsafe(self._on_result, result)

    def snapshot(self, uri: str) -> Snapshot:
        document = self.workspace.get_text_document(uri)
        return Snapshot(uri, document.version, document.source, document.path or None)

    def is_open(self, uri: str) -> bool:
        return uri in self.workspace.text_documents

    def lsp_diagnostics(self, result: Result) -> list[t.Diagnostic]:
        index = LineIndex(result.snapshot.text, self.workspace.position_codec)
        return [to_lsp(index, d) for d in result.diagnostics]

    def _on_result(self, result: Result) -> None:
        uri = result.snapshot.uri
        if not self.is_open(uri):
            return
        current = self.snapshot(uri)
        if result.snapshot.version != current.version or result.snapshot.text is not current.text:
            # Stale: never published.  A pull still waiting needs the current text linted.
            if self._waiters.get(uri):
                self.schedule(current, self.quiet_delay(uri))
            return
        for waiter in self._waiters.pop(uri, []):
            if not waiter.done():
                waiter.set_result(result)
        if not self.pull:
            self.text_document_publish_diagnostics(
                t.PublishDiagnosticsParams(
                    uri=uri, version=result.snapshot.version, diagnostics=self.lsp_diagnostics(result)
                )
            )

    def changed(self, uri: str) -> None:
        now = time.monotonic()
        previous = self._changed.get(uri)
        if previous is None or now - previous > QUIET_SECONDS:
            self._after_quiet.add(uri)
        else:
            self._after_quiet.discard(uri)
        self._changed[uri] = now

    def closed(self, uri: str) -> None:
        self.linter.forget(uri)
        self._changed.pop(uri, None)
        self._after_quiet.discard(uri)

    def quiet_delay(self, uri: str) -> float:
        """How long a lint of the current text should wait: not at all after a quiet spell, else
        until the edits pause for `DEBOUNCE_SECONDS`."""
        if uri in self._after_quiet:
            return 0.0
        return max(0.0, self._changed.get(uri, 0.0) + DEBOUNCE_SECONDS - time.monotonic())

    def schedule(self, snapshot: Snapshot, delay: float) -> None:
        self.linter.schedule(snapshot, delay)

    def relint_all(self) -> None:
        """After a settings change: every open document, or ask a pulling client to pull again."""
        if self.pull:
            workspace = self.client_capabilities.workspace
            if workspace and workspace.diagnostics and workspace.diagnostics.refresh_support:
                self.workspace_diagnostic_refresh(None)
            return
        for uri in list(self.workspace.text_documents):
            self.schedule(self.snapshot(uri), 0)

    async def result_for(self, uri: str) -> Result:
        snapshot = self.snapshot(uri)
        settings = self.settings.for_path(snapshot.path)
        cached = self.linter.cached(snapshot, settings)
        if cached is not None:
            return cached
        waiter: asyncio.Future[Result] = asyncio.get_running_loop().create_future()
        self._waiters.setdefault(uri, []).append(waiter)
        self.schedule(snapshot, self.quiet_delay(uri))
        return await waiter


def _register(server: AsyncLintServer) -> None:
    @server.feature(t.INITIALIZE)
    def initialize(params: t.InitializeParams) -> None:
        server._loop = asyncio.get_running_loop()
        document = params.capabilities.text_document
        server.pull = bool(document and document.diagnostic)
        server.resolve = bool(
            document
            and document.code_action
            and document.code_action.resolve_support
            and "edit" in document.code_action.resolve_support.properties
        )
        server.settings.set_client(params.initialization_options)

    @server.feature(t.INITIALIZED)
    def initialized(params: t.InitializedParams) -> None:
        workspace = server.client_capabilities.workspace
        watched = workspace.did_change_watched_files if workspace else None
        if watched and watched.dynamic_registration:
            # pyproject.toml: the settings; *.py: other modules a document's findings depend on.
            options = t.DidChangeWatchedFilesRegistrationOptions(
                watchers=[
                    t.FileSystemWatcher(glob_pattern="**/pyproject.toml"),
                    t.FileSystemWatcher(glob_pattern="**/*.py"),
                ]
            )
            registration = t.Registration(
                id="asynclint-pyproject", method=t.WORKSPACE_DID_CHANGE_WATCHED_FILES, register_options=options
            )
            server.client_register_capability(t.RegistrationParams(registrations=[registration]))

    @server.feature(t.WORKSPACE_DID_CHANGE_CONFIGURATION)
    def did_change_configuration(params: t.DidChangeConfigurationParams) -> None:
        server.settings.set_client(params.settings)
        server.relint_all()

    @server.feature(t.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def did_change_watched_files(params: t.DidChangeWatchedFilesParams) -> None:
        paths = [path for path in (uri_to_path(change.uri) for change in params.changes) if path is not None]
        if not paths or any(os.path.basename(path) == "pyproject.toml" for path in paths):
            server.settings.forget()
        server.linter.files_changed(paths)
        server.relint_all()

    @server.feature(t.TEXT_DOCUMENT_DID_OPEN)
    def did_open(params: t.DidOpenTextDocumentParams) -> None:
        if not server.pull:
            server.schedule(server.snapshot(params.text_document.uri), 0)

    @server.feature(t.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(params: t.DidChangeTextDocumentParams) -> None:
        uri = params.text_document.uri
        server.changed(uri)
        if not server.pull:
            server.schedule(server.snapshot(uri), server.quiet_delay(uri))

    @server.feature(t.TEXT_DOCUMENT_DID_SAVE)
    def did_save(params: t.DidSaveTextDocumentParams) -> None:
        # The saved file is on disk now: documents that import from it are linted again.
        path = uri_to_path(params.text_document.uri)
        server.linter.files_changed([path] if path is not None else [])
        server.relint_all()

    @server.feature(t.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(params: t.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        server.closed(uri)
        for waiter in server._waiters.pop(uri, []):
            waiter.cancel()
        if not server.pull:
            server.text_document_publish_diagnostics(t.PublishDiagnosticsParams(uri=uri, diagnostics=[]))

    @server.feature(
        t.TEXT_DOCUMENT_DIAGNOSTIC,
        t.DiagnosticOptions(identifier=SOURCE, inter_file_dependencies=False, workspace_diagnostics=False),
    )
    async def diagnostic(params: t.DocumentDiagnosticParams) -> t.DocumentDiagnosticReport:
        result = await server.result_for(params.text_document.uri)
        result_id = f"{result.snapshot.version}:{hash(result.settings)}"
        if params.previous_result_id == result_id:
            return t.RelatedUnchangedDocumentDiagnosticReport(result_id=result_id)
        return t.RelatedFullDocumentDiagnosticReport(items=server.lsp_diagnostics(result), result_id=result_id)

    @server.feature(
        t.TEXT_DOCUMENT_CODE_ACTION,
        t.CodeActionOptions(code_action_kinds=[t.CodeActionKind.QuickFix, FIX_ALL], resolve_provider=True),
    )
    async def code_action(params: t.CodeActionParams) -> list[t.CodeAction]:
        uri = params.text_document.uri
        document = server.workspace.get_text_document(uri)
        index = LineIndex(document.source, server.workspace.position_codec)
        only = params.context.only

        def wanted(kind: str) -> bool:
            return only is None or any(kind == o or kind.startswith(f"{o}.") for o in only)

        actions: list[t.CodeAction] = []
        for diagnostic in params.context.diagnostics:
            if (
                diagnostic.source != SOURCE
                or not isinstance(diagnostic.data, dict)
                or not wanted(t.CodeActionKind.QuickFix)
            ):
                continue
            code, data = str(diagnostic.code), diagnostic.data
            if data.get("fix") and data.get("safety") != "display-only":
                unsafe = " (unsafe)" if data.get("safety") == "unsafe" else ""
                action = t.CodeAction(
                    title=f"{code}: {data['fix']}{unsafe}",
                    kind=t.CodeActionKind.QuickFix,
                    diagnostics=[diagnostic],
                    is_preferred=not unsafe,
                    data={"uri": uri, "code": code, "line": data.get("line"), "column": data.get("column")},
                )
                if not server.resolve:
                    if not _overlaps(diagnostic.range, params.range):
                        continue
                    action = await resolve(action)
                actions.append(action)
            line_index = index.from_client(diagnostic.range.start)[0]
            actions.append(
                t.CodeAction(
                    title=f"{code}: Disable for this line (# noqa: {code})",
                    kind=t.CodeActionKind.QuickFix,
                    diagnostics=[diagnostic],
                    edit=_workspace_edit(document, [noqa_edit(index, line_index, code)]),
                )
            )
        # Computing fix-all eagerly costs a fix loop over the whole file: without resolve, only
        # when it is asked for by kind (fix-on-save asks for `source.fixAll`), not for a lightbulb.
        asked = only is not None or server.resolve
        if asked and wanted(FIX_ALL) and _may_fix(server.linter.latest(uri)):
            action = t.CodeAction(
                title="asynclint: Fix all auto-fixable problems", kind=FIX_ALL, data={"uri": uri, "all": True}
            )
            if not server.resolve:
                action = await resolve(action)
                if action.edit is None:
                    return actions
            actions.append(action)
        return actions

    @server.feature(t.CODE_ACTION_RESOLVE)
    async def resolve(action: t.CodeAction) -> t.CodeAction:
        data = action.data if isinstance(action.data, dict) else {}
        uri = data.get("uri")
        if not isinstance(uri, str) or not server.is_open(uri):
            return action
        document = server.workspace.get_text_document(uri)
        source, path = document.source, document.path or None
        settings = server.settings.for_path(path)
        if data.get("all"):
            request = Request(source, settings, path, action=Action.FIX, project=server.linter.project.view(path))
        elif isinstance(data.get("line"), int) and isinstance(data.get("column"), int):
            finding = (str(data.get("code")), data["line"], data["column"])
            project = server.linter.project.view(path)
            request = Request(source, settings, path, action=Action.FIX_ONE, finding=finding, project=project)
        else:
            return action
        new_text = (await asyncio.to_thread(process, request)).new
        if new_text is None or not server.is_open(uri):
            return action
        edits = minimal_edits(source, new_text, server.workspace.position_codec)
        action.edit = _workspace_edit(document, edits)
        return action

    @server.feature(t.TEXT_DOCUMENT_HOVER)
    def hover(params: t.HoverParams) -> t.Hover | None:
        document = server.workspace.get_text_document(params.text_document.uri)
        index = LineIndex(document.source, server.workspace.position_codec)
        line_index, column = index.from_client(params.position)
        line = index.lines[line_index]
        comment = _NOQA_COMMENT.search(line)
        if comment is None:
            return None
        for match in _CODE.finditer(line, comment.end()):
            if match.start() > column:
                break
            rule = get_rule(match.group())
            if column <= match.end() and rule is not None:
                start, end = (
                    index.to_client(line_index + 1, match.start() + 1),
                    index.to_client(line_index + 1, match.end() + 1),
                )
                text = (
                    f"**{rule.CODE}** `{rule.NAME}`: {rule.summary()}\n\n{rule_docs(rule)}"
                    f"\n\n[Rule page]({rule_url(rule.CODE)})"
                )
                return t.Hover(
                    contents=t.MarkupContent(kind=t.MarkupKind.Markdown, value=text),
                    range=t.Range(start=start, end=end),
                )
        return None


def _may_fix(result: Result | None) -> bool:
    """Offer fix-all when the last lint saw a fix `asynclint fix` would apply (or none ran yet)."""
    return result is None or any(d.applicable for d in result.diagnostics)


def create_server() -> AsyncLintServer:
    server = AsyncLintServer()
    _register(server)
    return server


def main() -> int:
    create_server().start_io()
    return 0
