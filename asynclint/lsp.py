"""`asynclint server`: a language server over stdio (pygls; `pip install asynclint[lsp]`).

Diagnostics on open, change and save; per finding a quick fix (its own fix only; unsafe ones
say so in their title) and a `# noqa: CODE` action; `source.fixAll.asynclint` applies what
`asynclint fix` would (safe fixes, or unsafe ones too with `unsafe-fixes = true`).  Settings come
from the `pyproject.toml` nearest each document, as for the CLI.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from lsprotocol import types as t
from pygls.lsp.server import LanguageServer

from asynclint import __version__
from asynclint.config import ConfigError, Settings, load_settings
from asynclint.engine import fix_one, fix_text, lint_text
from asynclint.rule import Diagnostic
from asynclint.suppression import noqa_codes

FIX_ALL = "source.fixAll.asynclint"
SOURCE = "asynclint"


@functools.lru_cache(maxsize=64)
def _settings_for(directory: str) -> Settings:
    try:
        return load_settings(Path(directory))
    except ConfigError:
        return Settings()


def _settings(document: Any) -> Settings:
    path = document.path
    return _settings_for(str(Path(path).parent)) if path else Settings()


def _client_position(document: Any, line: int, column: int) -> t.Position:
    """Our 1-based line and code-point column -> the client's position (UTF-16 by default)."""
    position = t.Position(line=line - 1, character=column - 1)
    try:
        return document.position_codec.position_to_client_units(document.lines, position)
    except (AttributeError, IndexError):
        return position


def _to_lsp(document: Any, d: Diagnostic) -> t.Diagnostic:
    return t.Diagnostic(
        range=t.Range(start=_client_position(document, d.line, d.column), end=_client_position(document, d.end_line, d.end_column)),
        message=d.message,
        severity=t.DiagnosticSeverity.Warning if d.code not in ("AIO001", "AIO002") else t.DiagnosticSeverity.Error,
        code=d.code,
        source=SOURCE,
        data={"line": d.line, "column": d.column, "fix": d.fix_title, "safety": d.fix_safety},
    )


def _whole_document_edit(document: Any, new_text: str) -> t.WorkspaceEdit:
    lines = document.source.splitlines(keepends=True)
    end = t.Position(line=len(lines), character=0)
    edit = t.TextEdit(range=t.Range(start=t.Position(line=0, character=0), end=end), new_text=new_text)
    versioned = t.OptionalVersionedTextDocumentIdentifier(uri=document.uri, version=document.version)
    return t.WorkspaceEdit(document_changes=[t.TextDocumentEdit(text_document=versioned, edits=[edit])])


def _noqa_edit(document: Any, line_index: int, code: str) -> t.WorkspaceEdit:
    line = document.lines[line_index].rstrip("\r\n")
    codes = noqa_codes(line)
    if codes is not None and codes and "*" not in codes:
        # Extend an existing `# noqa: A, B` rather than adding a second comment.
        new_line = line.rstrip() + f", {code}"
    else:
        new_line = line + f"  # noqa: {code}"
    start = t.Position(line=line_index, character=0)
    end = _client_position(document, line_index + 1, len(line) + 1)
    edit = t.TextEdit(range=t.Range(start=start, end=end), new_text=new_line)
    versioned = t.OptionalVersionedTextDocumentIdentifier(uri=document.uri, version=document.version)
    return t.WorkspaceEdit(document_changes=[t.TextDocumentEdit(text_document=versioned, edits=[edit])])


def create_server() -> LanguageServer:
    server = LanguageServer("asynclint", __version__, text_document_sync_kind=t.TextDocumentSyncKind.Incremental)

    def publish(uri: str) -> None:
        document = server.workspace.get_text_document(uri)
        diagnostics = lint_text(document.source, _settings(document), document.path)
        server.text_document_publish_diagnostics(
            t.PublishDiagnosticsParams(uri=uri, version=document.version, diagnostics=[_to_lsp(document, d) for d in diagnostics])
        )

    @server.feature(t.TEXT_DOCUMENT_DID_OPEN)
    def did_open(params: t.DidOpenTextDocumentParams) -> None:
        publish(params.text_document.uri)

    @server.feature(t.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(params: t.DidChangeTextDocumentParams) -> None:
        publish(params.text_document.uri)

    @server.feature(t.TEXT_DOCUMENT_DID_SAVE)
    def did_save(params: t.DidSaveTextDocumentParams) -> None:
        publish(params.text_document.uri)

    @server.feature(t.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(params: t.DidCloseTextDocumentParams) -> None:
        server.text_document_publish_diagnostics(t.PublishDiagnosticsParams(uri=params.text_document.uri, diagnostics=[]))

    @server.feature(
        t.TEXT_DOCUMENT_CODE_ACTION,
        t.CodeActionOptions(code_action_kinds=[t.CodeActionKind.QuickFix, FIX_ALL]),
    )
    def code_action(params: t.CodeActionParams) -> list[t.CodeAction]:
        document = server.workspace.get_text_document(params.text_document.uri)
        only = params.context.only

        def wanted(kind: str) -> bool:
            return only is None or any(kind == o or kind.startswith(f"{o}.") for o in only)

        settings = _settings(document)
        actions: list[t.CodeAction] = []
        for diagnostic in params.context.diagnostics:
            if diagnostic.source != SOURCE or not isinstance(diagnostic.data, dict) or not wanted(t.CodeActionKind.QuickFix):
                continue
            code, data = str(diagnostic.code), diagnostic.data
            if data.get("fix"):
                new_text = fix_one(document.source, settings, document.path, code, data["line"], data["column"])
                if new_text is not None:
                    unsafe = " (unsafe)" if data.get("safety") == "unsafe" else ""
                    actions.append(
                        t.CodeAction(
                            title=f"{code}: {data['fix']}{unsafe}",
                            kind=t.CodeActionKind.QuickFix,
                            diagnostics=[diagnostic],
                            edit=_whole_document_edit(document, new_text),
                            is_preferred=not unsafe,
                        )
                    )
            actions.append(
                t.CodeAction(
                    title=f"{code}: Disable for this line (# noqa: {code})",
                    kind=t.CodeActionKind.QuickFix,
                    diagnostics=[diagnostic],
                    edit=_noqa_edit(document, diagnostic.range.start.line, code),
                )
            )
        if wanted(FIX_ALL):
            outcome = fix_text(document.source, settings, document.path)
            if outcome.text != document.source:
                actions.append(
                    t.CodeAction(title="asynclint: Fix all auto-fixable problems", kind=FIX_ALL, edit=_whole_document_edit(document, outcome.text))
                )
        return actions

    return server


def main() -> int:
    create_server().start_io()
    return 0
