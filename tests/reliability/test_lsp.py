"""What `asynclint server` promises an editor, checked against the real server process.

- A request whose params do not fit the protocol gets an InvalidParams error reply, and the
  server keeps answering afterwards.
- A diagnostic whose position lies past the end of the document is clamped into it: a code
  action for it is answered, never an internal error.
- Only the newest text of a document is linted; a result for an old version is never published.
- Clients that resolve code actions get the list without edits and each edit on resolve; every
  edit is minimal (only the lines that change), in UTF-16 positions.  Clients that cannot resolve
  get edits at once, but only for the diagnostics in the requested range.
- Clients that pull diagnostics are answered by `textDocument/diagnostic` (with an unchanged
  report when nothing changed) and get no pushed diagnostics; each diagnostic links to its
  rule's page.
- Hover on a code in `# noqa:` shows the rule's summary.
- Client settings (`initializationOptions`, `workspace/didChangeConfiguration`) override the
  file config; `pyproject.toml` is re-read when it changes; a broken one is reported once with
  `window/showMessage` and the defaults are used; excluded files get no diagnostics.
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from lsprotocol import types as t
from pygls.lsp.client import LanguageClient

from asynclint.config import Settings
from asynclint.engine import Action, Request, process
from asynclint.lsp import to_lsp
from asynclint.lsp.text import LineIndex, minimal_edits
from asynclint.rule import Diagnostic

SOURCE = (
    "import asyncio\nimport time\n\n\nasync def main():\n    asyncio.create_task(main())\n    time.sleep(1)  # wait\n"
)
TIMEOUT = 60  # an upper bound for hangs only


class Utf16:
    def client_num_units(self, string: str) -> int:
        return len(string.encode("utf-16-le")) // 2


def apply(text: str, edits: list[t.TextEdit]) -> str:
    """Apply text edits (UTF-16 positions) the way a client does."""
    lines = LineIndex(text, Utf16())
    ends = [len(line) for line in text.splitlines(keepends=True)]

    def offset(position: t.Position) -> int:
        line, column = lines.from_client(position)
        return sum(ends[:line]) + column

    for edit in sorted(edits, key=lambda e: offset(e.range.start), reverse=True):
        text = text[: offset(edit.range.start)] + edit.new_text + text[offset(edit.range.end) :]
    return text


class Session:
    def __init__(self, client: LanguageClient, root: Path) -> None:
        self.client = client
        self.root = root
        self.published: asyncio.Queue[t.PublishDiagnosticsParams] = asyncio.Queue()
        self.messages: list[t.ShowMessageParams] = []
        self.versions: dict[str, int] = {}

    def open(self, name: str, text: str) -> str:
        uri = (self.root / name).as_uri()
        self.versions[uri] = 1
        self.client.text_document_did_open(
            t.DidOpenTextDocumentParams(
                text_document=t.TextDocumentItem(uri=uri, language_id="python", version=1, text=text)
            )
        )
        return uri

    def change(self, uri: str, text: str) -> int:
        self.versions[uri] += 1
        self.client.text_document_did_change(
            t.DidChangeTextDocumentParams(
                text_document=t.VersionedTextDocumentIdentifier(uri=uri, version=self.versions[uri]),
                content_changes=[t.TextDocumentContentChangeWholeDocument(text=text)],
            )
        )
        return self.versions[uri]

    async def diagnostics(self, uri: str, version: int | None = None) -> list[t.Diagnostic]:
        """The next published diagnostics for `uri` (for `version`, when given)."""
        while True:
            params = await asyncio.wait_for(self.published.get(), TIMEOUT)
            if params.uri == uri and (version is None or params.version == version):
                return list(params.diagnostics)

    async def actions(
        self, uri: str, diagnostics: list[t.Diagnostic], rng: t.Range | None = None, only: list[str] | None = None
    ) -> list[t.CodeAction]:
        rng = rng or (
            diagnostics[0].range
            if diagnostics
            else t.Range(start=t.Position(line=0, character=0), end=t.Position(line=0, character=0))
        )
        result = await self.client.text_document_code_action_async(
            t.CodeActionParams(
                text_document=t.TextDocumentIdentifier(uri=uri),
                range=rng,
                context=t.CodeActionContext(diagnostics=diagnostics, only=only),
            )
        )
        return [a for a in result or [] if isinstance(a, t.CodeAction)]


@asynccontextmanager
async def server(
    root: Path, capabilities: t.ClientCapabilities | None = None, options: Any = None
) -> AsyncIterator[Session]:
    client = LanguageClient("reliability", "1")
    session = Session(client, root)

    @client.feature(t.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def on_diagnostics(params: t.PublishDiagnosticsParams) -> None:
        session.published.put_nowait(params)

    @client.feature(t.WINDOW_SHOW_MESSAGE)
    def on_message(params: t.ShowMessageParams) -> None:
        session.messages.append(params)

    await client.start_io(sys.executable, "-m", "asynclint", "server", cwd=str(root))
    try:
        await asyncio.wait_for(
            client.initialize_async(
                t.InitializeParams(
                    capabilities=capabilities or t.ClientCapabilities(),
                    root_uri=root.as_uri(),
                    initialization_options=options,
                )
            ),
            TIMEOUT,
        )
        client.initialized(t.InitializedParams())
        yield session
        await asyncio.wait_for(client.shutdown_async(None), TIMEOUT)
        client.exit(None)
    finally:
        if client._server is not None and client._server.returncode is None and sys.exc_info()[0] is not None:
            client._server.kill()  # a failed test must not wait for a server that was never told to exit
        await client.stop()


def run(test: Callable[[], Any]) -> None:
    asyncio.run(test())


def resolving() -> t.ClientCapabilities:
    resolve = t.ClientCodeActionResolveOptions(properties=["edit"])
    return t.ClientCapabilities(
        text_document=t.TextDocumentClientCapabilities(
            code_action=t.CodeActionClientCapabilities(resolve_support=resolve)
        )
    )


# ------------------------------------------------------------------------------ protocol
def _frame(message: dict[str, Any]) -> bytes:
    body = json.dumps(message).encode()
    return b"Content-Length: %d\r\n\r\n%s" % (len(body), body)


def _read(stream: Any) -> dict[str, Any]:
    length = 0
    while (header := stream.readline()) not in (b"\r\n", b""):
        if header.lower().startswith(b"content-length:"):
            length = int(header.split(b":")[1])
    return json.loads(stream.read(length))


def test_invalid_params_get_an_error_reply(tmp_path: Path) -> None:
    messages = [
        {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"capabilities": {}, "rootUri": None}},
        {"jsonrpc": "2.0", "method": "initialized", "params": {}},
        {"jsonrpc": "2.0", "id": 2, "method": "textDocument/hover", "params": {"textDocument": 5, "position": "here"}},
        {"jsonrpc": "2.0", "id": 3, "method": "shutdown"},
        {"jsonrpc": "2.0", "method": "exit"},
    ]
    process = subprocess.Popen(
        [sys.executable, "-m", "asynclint", "server"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=tmp_path,
    )
    try:
        assert process.stdin is not None and process.stdout is not None
        process.stdin.write(b"".join(_frame(m) for m in messages))
        process.stdin.flush()
        replies = {}
        while len(replies) < 3:
            reply = _read(process.stdout)
            if "id" in reply and "method" not in reply:
                replies[reply["id"]] = reply
        assert replies[2]["error"]["code"] == -32602
        assert "textDocument/hover" in replies[2]["error"]["message"]
        assert replies[3] == {"jsonrpc": "2.0", "id": 3, "result": None}
        assert process.wait(timeout=TIMEOUT) == 0
    finally:
        process.kill()
        process.communicate()


def test_a_diagnostic_past_the_end_is_clamped(tmp_path: Path) -> None:
    index = LineIndex("x = 1\ny = 2", Utf16())
    past = Diagnostic("AIO101", "dangling-task", "m", 40, 3, 41, 1)
    clamped = to_lsp(index, past)
    assert (clamped.range.start.line, clamped.range.start.character) == (1, 5)

    async def session() -> None:
        async with server(tmp_path) as s:
            uri = s.open("app.py", SOURCE)
            (_first, *_) = await s.diagnostics(uri)
            beyond = t.Range(start=t.Position(line=50, character=3), end=t.Position(line=50, character=9))
            stray = t.Diagnostic(
                range=beyond,
                message="old",
                code="AIO201",
                source="asynclint",
                data={"line": 51, "column": 4, "fix": None},
            )
            (noqa,) = await s.actions(uri, [stray], only=["quickfix"])
            (change,) = noqa.edit.document_changes
            assert apply(SOURCE, change.edits).endswith("  # noqa: AIO201")

    run(session)


def test_only_the_newest_text_is_published(tmp_path: Path) -> None:
    async def session() -> None:
        async with server(tmp_path) as s:
            uri = s.open("app.py", SOURCE)
            assert await s.diagnostics(uri, 1)
            for n in range(20):
                last = s.change(uri, SOURCE + f"x = {n}\n" + ("    " if n % 2 else ""))
            s.change(uri, SOURCE.replace("time.sleep(1)", "pass"))
            last += 1
            assert [d.code for d in await s.diagnostics(uri, last)] == ["AIO101"]
            await asyncio.wait_for(
                s.client.text_document_hover_async(
                    t.HoverParams(
                        text_document=t.TextDocumentIdentifier(uri=uri), position=t.Position(line=0, character=0)
                    )
                ),
                TIMEOUT,
            )
            seen = []
            while not s.published.empty():
                seen.append(s.published.get_nowait().version)
            assert seen == []  # nothing published after the newest version, for any older one

    run(session)


# ------------------------------------------------------------------------------ code actions
def test_code_actions_resolve_lazily_to_minimal_edits(tmp_path: Path) -> None:
    text = (
        "import asyncio\nimport time\n\n\nasync def main():\n    s = '😀'; asyncio.create_task(main())\n"
        + "    x = 1\n" * 50
    )

    async def session() -> None:
        async with server(tmp_path, resolving()) as s:
            uri = s.open("app.py", text)
            (dangling,) = await s.diagnostics(uri)
            assert (dangling.range.start.line, dangling.range.start.character) == (
                5,
                14,
            )  # the emoji is 2 UTF-16 units, not 1
            quick = [a for a in await s.actions(uri, [dangling], only=["quickfix"]) if "noqa" not in a.title]
            (fix,) = quick
            assert fix.edit is None and fix.data
            resolved = await asyncio.wait_for(s.client.code_action_resolve_async(fix), TIMEOUT)
            (change,) = resolved.edit.document_changes
            assert all(e.range.end.line - e.range.start.line <= 2 for e in change.edits)
            fixed = apply(text, change.edits)
            quick_fix = Request(
                text, Settings(), str(tmp_path / "app.py"), action=Action.FIX_ONE, finding=("AIO101", 6, 14)
            )
            assert fixed == process(quick_fix).new

            (fix_all,) = await s.actions(uri, [], only=["source.fixAll"])
            assert fix_all.edit is None
            resolved = await asyncio.wait_for(s.client.code_action_resolve_async(fix_all), TIMEOUT)
            assert apply(text, resolved.edit.document_changes[0].edits) == fixed

    run(session)


def test_eager_edits_only_for_the_requested_range(tmp_path: Path) -> None:
    async def session() -> None:
        async with server(tmp_path) as s:
            uri = s.open("app.py", SOURCE)
            diagnostics = await s.diagnostics(uri)
            by_code = {d.code: d for d in diagnostics}
            actions = await s.actions(uri, diagnostics, rng=by_code["AIO201"].range)
            fixes = [a for a in actions if a.kind == t.CodeActionKind.QuickFix and "noqa" not in a.title]
            assert [a.title.split(":")[0] for a in fixes] == ["AIO201"]
            assert "    await asyncio.sleep(1)  # wait\n" in apply(SOURCE, fixes[0].edit.document_changes[0].edits)

    run(session)


def test_minimal_edits_touch_only_changed_lines() -> None:
    old = "a\nb\nc\nd\ne"
    new = "a\nB\nc\nd\ne!\nf"
    edits = minimal_edits(old, new, Utf16())
    assert [(e.range.start.line, e.range.end.line) for e in edits] == [(1, 2), (4, 4)]
    assert apply(old, edits) == new


# ------------------------------------------------------------------------------ pull, hover
def test_pull_diagnostics_and_rule_links(tmp_path: Path) -> None:
    capabilities = t.ClientCapabilities(
        text_document=t.TextDocumentClientCapabilities(diagnostic=t.DiagnosticClientCapabilities())
    )

    async def session() -> None:
        async with server(tmp_path, capabilities) as s:
            uri = s.open("app.py", SOURCE)
            ident = t.TextDocumentIdentifier(uri=uri)
            report = await asyncio.wait_for(
                s.client.text_document_diagnostic_async(t.DocumentDiagnosticParams(text_document=ident)), TIMEOUT
            )
            assert sorted(d.code for d in report.items) == ["AIO101", "AIO201"]
            href = next(d for d in report.items if d.code == "AIO101").code_description.href
            assert href.endswith("docs/rules/AIO101_dangling-task.md")
            again = await asyncio.wait_for(
                s.client.text_document_diagnostic_async(
                    t.DocumentDiagnosticParams(text_document=ident, previous_result_id=report.result_id)
                ),
                TIMEOUT,
            )
            assert again.kind == "unchanged"
            assert s.published.empty()

    run(session)


def test_hover_on_a_noqa_code(tmp_path: Path) -> None:
    async def session() -> None:
        async with server(tmp_path) as s:
            uri = s.open("app.py", "import time\ntime.sleep(1)  # noqa: AIO101, AIO201\n")
            position = t.Position(line=1, character=len("time.sleep(1)  # noqa: AIO101, AIO2"))
            hover = await asyncio.wait_for(
                s.client.text_document_hover_async(
                    t.HoverParams(text_document=t.TextDocumentIdentifier(uri=uri), position=position)
                ),
                TIMEOUT,
            )
            assert (
                hover.contents.value.startswith("**AIO201** `blocking-sleep`") or "**AIO201**" in hover.contents.value
            )
            assert hover.range.start.character == len("time.sleep(1)  # noqa: AIO101, ")

    run(session)


# ------------------------------------------------------------------------------ settings
def test_client_settings_override_the_file(tmp_path: Path) -> None:
    async def session() -> None:
        async with server(tmp_path, options={"ignore": ["AIO201"]}) as s:
            uri = s.open("app.py", SOURCE)
            assert [d.code for d in await s.diagnostics(uri)] == ["AIO101"]
            s.client.workspace_did_change_configuration(
                t.DidChangeConfigurationParams(settings={"asynclint": {"select": ["AIO2"]}})
            )
            assert [d.code for d in await s.diagnostics(uri)] == ["AIO201"]
            s.client.workspace_did_change_configuration(t.DidChangeConfigurationParams(settings={"select": ["AIO999"]}))
            assert sorted(d.code for d in await s.diagnostics(uri)) == ["AIO101", "AIO201"]
            assert any("AIO999" in m.message for m in s.messages)

    run(session)


def test_pyproject_is_reread_when_it_changes(tmp_path: Path) -> None:
    config = tmp_path / "pyproject.toml"
    config.write_text('[tool.asynclint]\nignore = ["AIO101"]\n')

    async def session() -> None:
        async with server(tmp_path) as s:
            uri = s.open("app.py", SOURCE)
            assert [d.code for d in await s.diagnostics(uri)] == ["AIO201"]
            config.write_text('[tool.asynclint]\nignore = ["AIO201"]\n')
            s.client.workspace_did_change_watched_files(
                t.DidChangeWatchedFilesParams(changes=[t.FileEvent(uri=config.as_uri(), type=t.FileChangeType.Changed)])
            )
            assert [d.code for d in await s.diagnostics(uri)] == ["AIO101"]

    run(session)


def test_a_broken_config_is_reported_once_and_defaults_used(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.asynclint\n")

    async def session() -> None:
        async with server(tmp_path) as s:
            first = s.open("app.py", SOURCE)
            assert sorted(d.code for d in await s.diagnostics(first)) == ["AIO101", "AIO201"]
            second = s.open("other.py", SOURCE)
            assert await s.diagnostics(second)
            broken = [m for m in s.messages if "pyproject.toml" in m.message]
            assert (
                len(broken) == 1 and broken[0].type == t.MessageType.Error and "default settings" in broken[0].message
            )

    run(session)


def test_excluded_files_get_no_diagnostics(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.asynclint]\nextend-exclude = ["generated_*.py"]\n')

    async def session() -> None:
        async with server(tmp_path) as s:
            uri = s.open("generated_api.py", SOURCE)
            assert await s.diagnostics(uri) == []
            assert Settings(extend_exclude=("generated_*.py",)).is_excluded(str(tmp_path / "generated_api.py"))

    run(session)


# ------------------------------------------------------------------- the project index
def test_a_module_created_later_is_found_without_a_restart(tmp_path: Path) -> None:
    """`pkg/a.py` calls a coroutine imported from `.b` before `b.py` exists: nothing is known,
    nothing reported. Once `b.py` is created (saved from the editor, or by a tool, announced with
    `workspace/didChangeWatchedFiles`), the long-lived server reports AIO401 without a restart."""
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    user = "from .b import save\n\n\nasync def handle():\n    save()\n"
    module = "async def save():\n    pass\n"

    async def test() -> None:
        async with server(tmp_path) as s:
            uri = s.open("pkg/a.py", user)
            assert await s.diagnostics(uri) == []  # `save` is unknown: silent
            # A tool creates b.py; the client's file watcher announces it.
            (package / "b.py").write_text(module)
            s.client.workspace_did_change_watched_files(
                t.DidChangeWatchedFilesParams(
                    changes=[t.FileEvent(uri=(package / "b.py").as_uri(), type=t.FileChangeType.Created)]
                )
            )
            assert [d.code for d in await s.diagnostics(uri)] == ["AIO401"]
            # The editor changes b.py so that `save` is a plain function, and saves it.
            (package / "b.py").write_text("def save():\n    pass\n")
            b = s.open("pkg/b.py", "def save():\n    pass\n")
            s.client.text_document_did_save(t.DidSaveTextDocumentParams(text_document=t.TextDocumentIdentifier(uri=b)))
            while (found := await s.diagnostics(uri)) != []:
                assert [d.code for d in found] == ["AIO401"]  # the result from before the save, then none

    run(test)


def test_an_attribute_type_follows_the_module_that_declares_it(tmp_path: Path) -> None:
    """`self.plugins.dns.write_hosts()` in the open buffer of `pkg/a.py` (never saved) is typed
    through `pkg/b.py`'s `__init__` assignments; when b.py is saved with another class for `dns`,
    the server's index drops what it learned and the finding goes."""
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    user = (
        "from .b import Plugins\n\n\nclass Core:\n    def __init__(self):\n        self.plugins = Plugins()\n\n"
        "    async def reload(self):\n        self.plugins.dns.write_hosts()\n"
    )
    declared = (
        "class Dns:\n    async def write_hosts(self):\n        pass\n\n\nclass Files:\n    def write_hosts(self):\n"
        "        pass\n\n\nclass Plugins:\n    def __init__(self):\n        self.dns = {}()\n"
    )
    (package / "b.py").write_text(declared.format("Dns"))

    async def test() -> None:
        async with server(tmp_path) as s:
            uri = s.open("pkg/a.py", user)
            assert [d.code for d in await s.diagnostics(uri)] == ["AIO401"]
            (package / "b.py").write_text(declared.format("Files"))
            b = s.open("pkg/b.py", declared.format("Files"))
            s.client.text_document_did_save(t.DidSaveTextDocumentParams(text_document=t.TextDocumentIdentifier(uri=b)))
            while (found := await s.diagnostics(uri)) != []:
                assert [d.code for d in found] == ["AIO401"]  # the result from before the save, then none

    run(test)
