"""`asynclint server` end to end: a real LSP client (pygls) drives it over stdio."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from lsprotocol import types as t
from pygls.lsp.client import LanguageClient

SOURCE = (
    "import asyncio\nimport time\n\n\nasync def main():\n    asyncio.create_task(main())\n    time.sleep(1)  # wait\n"
)


def apply(text: str, edit: t.WorkspaceEdit) -> str:
    """Apply a WorkspaceEdit's text edits (line/character in UTF-16, ASCII here) to `text`."""
    (change,) = edit.document_changes
    lines = text.splitlines(keepends=True)

    def offset(position: t.Position) -> int:
        return sum(len(line) for line in lines[: position.line]) + position.character

    for text_edit in sorted(change.edits, key=lambda e: offset(e.range.start), reverse=True):
        start, end = offset(text_edit.range.start), offset(text_edit.range.end)
        text = text[:start] + text_edit.new_text + text[end:]
    return text


async def session(tmp_path: Path) -> None:
    client = LanguageClient("test-client", "1")
    published: asyncio.Queue[t.PublishDiagnosticsParams] = asyncio.Queue()

    @client.feature(t.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def on_diagnostics(params: t.PublishDiagnosticsParams) -> None:
        published.put_nowait(params)

    await client.start_io(sys.executable, "-m", "asynclint", "server", cwd=str(tmp_path))
    try:
        await client.initialize_async(
            t.InitializeParams(capabilities=t.ClientCapabilities(), root_uri=tmp_path.as_uri())
        )
        client.initialized(t.InitializedParams())
        uri = (tmp_path / "app.py").as_uri()
        client.text_document_did_open(
            t.DidOpenTextDocumentParams(
                text_document=t.TextDocumentItem(uri=uri, language_id="python", version=1, text=SOURCE)
            )
        )
        params = await asyncio.wait_for(published.get(), 60)
        by_code = {d.code: d for d in params.diagnostics}
        assert set(by_code) == {"AIO101", "AIO201"}
        dangling = by_code["AIO101"]
        assert (dangling.range.start.line, dangling.range.start.character) == (5, 4)
        assert dangling.source == "asynclint"

        async def actions(diagnostic: t.Diagnostic | None, only: list[str] | None = None) -> list[t.CodeAction]:
            rng = (
                diagnostic.range
                if diagnostic
                else t.Range(start=t.Position(line=0, character=0), end=t.Position(line=0, character=0))
            )
            context = t.CodeActionContext(diagnostics=[diagnostic] if diagnostic else [], only=only)
            result = await client.text_document_code_action_async(
                t.CodeActionParams(text_document=t.TextDocumentIdentifier(uri=uri), range=rng, context=context)
            )
            return list(result or [])

        # Quick fix for the dangling task: only that fix.
        quick = [a for a in await actions(dangling) if a.kind == t.CodeActionKind.QuickFix]
        fix = next(a for a in quick if "noqa" not in a.title)
        assert fix.is_preferred and "(unsafe)" not in fix.title
        fixed = apply(SOURCE, fix.edit)
        assert "_background_tasks.add(task)" in fixed and "    time.sleep(1)  # wait\n" in fixed

        # The blocking sleep's fix is unsafe: offered, and labelled so.
        sleep_fix = next(a for a in await actions(by_code["AIO201"]) if "noqa" not in a.title)
        assert "(unsafe)" in sleep_fix.title and not sleep_fix.is_preferred
        assert "    await asyncio.sleep(1)  # wait\n" in apply(SOURCE, sleep_fix.edit)

        noqa = next(a for a in await actions(by_code["AIO201"]) if "noqa" in a.title)
        suppressed = apply(SOURCE, noqa.edit)
        assert "    time.sleep(1)  # wait  # noqa: AIO201\n" in suppressed

        # source.fixAll.asynclint applies what `asynclint fix` would: the safe fixes.
        (fix_all,) = await actions(None, only=["source.fixAll"])
        assert fix_all.kind == "source.fixAll.asynclint"
        all_fixed = apply(SOURCE, fix_all.edit)
        assert "_background_tasks.add(task)" in all_fixed and "time.sleep(1)" in all_fixed

        # Editing the document re-publishes: after the noqa, only AIO101 is left.
        client.text_document_did_change(
            t.DidChangeTextDocumentParams(
                text_document=t.VersionedTextDocumentIdentifier(uri=uri, version=2),
                content_changes=[t.TextDocumentContentChangeWholeDocument(text=suppressed)],
            )
        )
        params = await asyncio.wait_for(published.get(), 60)
        assert [d.code for d in params.diagnostics] == ["AIO101"]
        await client.shutdown_async(None)
        client.exit(None)
    finally:
        await client.stop()


def test_language_server_end_to_end(tmp_path: Path) -> None:
    asyncio.run(session(tmp_path))


def test_server_without_pygls_says_how_to_get_it() -> None:
    import subprocess

    code = (
        "import sys\nsys.modules['pygls'] = None\nfrom asynclint.cli import main\nraise SystemExit(main(['server']))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 2
    assert "pip install 'asynclint[lsp]'" in out.stderr and "Traceback" not in out.stderr
