"""Language server figures: `asynclint server` and `ruff server` side by side, against one in-process `lint_text`.

`python benchmarks/lsp_bench.py [--lines 2000] [--edits 1400] [--nvim]`.

One minimal JSON-RPC client (Content-Length framing over the server's stdio, plain dicts, no
pygls types) drives both servers the same way, on the same generated file of about `--lines`
lines with findings.  Its capabilities have no pull diagnostics, so both servers push
`textDocument/publishDiagnostics`.  CPU time is the server process's (user + system of all its
threads, from /proc/PID/stat), RSS its VmRSS.  ruff runs with `select = ["ASYNC", "RUF006"]`.

`--nvim` also runs a headless Neovim session with its own LSP client attached to `asynclint
server` on a real file, and prints what it saw.

This is a benchmark, not a test: it prints figures and the targets beside them, and asserts
nothing about time.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from asynclint.config import Settings
from asynclint.engine import lint_text

BLOCK = """

async def handler_{n}(queue, loop):
    asyncio.create_task(queue.put({n}))
    time.sleep(0.1)
    data = await queue.get()
    if data is None:
        return None
    for item in range(10):
        await asyncio.sleep(0)
    return data
"""

TIMEOUT = 120.0  # seconds: any one reply or publish; a server that goes quiet fails its run, not the script
QUIET = 1.0  # seconds without a publish that end a burst when the server sends no versions
BURST, BURST_GAP = 20, 0.05

Json = dict[str, Any]


def make_source(lines: int) -> str:
    body = "import asyncio\nimport time\n"
    n = 0
    while body.count("\n") < lines:
        body += BLOCK.format(n=n)
        n += 1
    return body


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


# ------------------------------------------------------------------------------ raw LSP client
@dataclass
class Publish:
    at: float  # perf_counter when it was read
    version: int | None
    diagnostics: list[Json]


@dataclass
class RawClient:
    """Just enough of an LSP client: requests, notifications, replies to the server's requests."""

    process: asyncio.subprocess.Process
    published: asyncio.Queue[Publish] = field(default_factory=asyncio.Queue)
    _pending: dict[int, asyncio.Future[Any]] = field(default_factory=dict)
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    _reader: asyncio.Task[None] | None = None

    @classmethod
    async def start(cls, command: list[str], cwd: Path) -> RawClient:
        process = await asyncio.create_subprocess_exec(
            *command, cwd=cwd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
        )
        client = cls(process)
        client._reader = asyncio.create_task(client._read_loop())
        return client

    @property
    def pid(self) -> int:
        return self.process.pid

    def _send(self, message: Json) -> None:
        assert self.process.stdin is not None
        body = json.dumps({"jsonrpc": "2.0", **message}).encode()
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)

    def notify(self, method: str, params: Any) -> None:
        self._send({"method": method, "params": params})

    async def request(self, method: str, params: Any) -> Any:
        request_id = next(self._ids)
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._pending[request_id] = future
        self._send({"id": request_id, "method": method, "params": params})
        assert self.process.stdin is not None
        await self.process.stdin.drain()
        return await asyncio.wait_for(future, TIMEOUT)

    async def _read_loop(self) -> None:
        stream = self.process.stdout
        assert stream is not None
        try:
            while True:
                length = 0
                while (line := await stream.readline()) not in (b"\r\n", b"\n"):
                    if not line:
                        raise EOFError("server closed its stdout")
                    name, _, value = line.decode("ascii").partition(":")
                    if name.strip().lower() == "content-length":
                        length = int(value)
                self._dispatch(json.loads(await stream.readexactly(length)), time.perf_counter())
        except (EOFError, asyncio.IncompleteReadError) as error:
            for future in self._pending.values():
                if not future.done():
                    future.set_exception(EOFError(str(error)))

    def _dispatch(self, message: Json, at: float) -> None:
        if "method" not in message:  # a reply to one of ours
            future = self._pending.pop(message.get("id"), None)  # type: ignore[arg-type]
            if future is not None and not future.done():
                if "error" in message:
                    future.set_exception(RuntimeError(f"error reply: {message['error']}"))
                else:
                    future.set_result(message.get("result"))
        elif message["method"] == "textDocument/publishDiagnostics":
            params = message["params"]
            self.published.put_nowait(Publish(at, params.get("version"), params.get("diagnostics", [])))
        elif "id" in message:  # a request from the server: registerCapability, configuration, ...
            items = message.get("params", {}).get("items") if message["method"] == "workspace/configuration" else None
            self._send({"id": message["id"], "result": [None] * len(items) if items is not None else None})

    async def close(self) -> None:
        with contextlib.suppress(Exception):
            await self.request("shutdown", None)
            self.notify("exit", None)
        try:
            await asyncio.wait_for(self.process.wait(), 10)
        except TimeoutError:
            self.process.kill()
            await self.process.wait()
        if self._reader is not None:
            self._reader.cancel()


CAPABILITIES: Json = {
    # No `textDocument.diagnostic`: both servers push.
    "textDocument": {
        "synchronization": {"didSave": True, "dynamicRegistration": False},
        "publishDiagnostics": {"versionSupport": True, "codeDescriptionSupport": True, "dataSupport": True},
        "codeAction": {
            "codeActionLiteralSupport": {"codeActionKind": {"valueSet": ["quickfix", "source", "source.fixAll"]}},
            "resolveSupport": {"properties": ["edit"]},
            "dataSupport": True,
        },
    },
    "workspace": {"workspaceFolders": True},
    "general": {"positionEncodings": ["utf-16"]},
}


# ------------------------------------------------------------------------------ one server
@dataclass
class ServerFigures:
    single_ms: float = 0.0
    single_cpu_ms: float = 0.0
    burst_ms: float = 0.0
    burst_cpu_ms: float = 0.0
    burst_publishes: int = 0
    action_ms: float = 0.0
    action_count: int = 0
    resolve_ms: float | None = None
    rss_before: float = 0.0
    rss_after: float = 0.0
    findings: int = 0


class Session:
    def __init__(self, client: RawClient, uri: str, text: str) -> None:
        self.client, self.uri, self.text, self.version = client, uri, text, 1
        self.latest: list[Json] = []

    def open(self) -> None:
        item = {"uri": self.uri, "languageId": "python", "version": 1, "text": self.text}
        self.client.notify("textDocument/didOpen", {"textDocument": item})

    def change(self, new_text: str) -> int:
        self.version += 1
        self.client.notify(
            "textDocument/didChange",
            {"textDocument": {"uri": self.uri, "version": self.version}, "contentChanges": [{"text": new_text}]},
        )
        return self.version

    def drain(self) -> None:
        while not self.client.published.empty():
            self.client.published.get_nowait()

    async def next_publish(self, version: int) -> Publish:
        """The publish for `version`; a server that sends no version: the first one that comes."""
        while True:
            publish = await asyncio.wait_for(self.client.published.get(), TIMEOUT)
            if publish.version in (version, None):
                self.latest = publish.diagnostics
                return publish

    async def final_publish(self, version: int) -> tuple[Publish, int]:
        """After a burst: the publish for `version` (or, unversioned, the last before a quiet spell) and how many came."""
        count, last = 0, None
        while True:
            try:
                publish = await asyncio.wait_for(
                    self.client.published.get(), QUIET if last and last.version is None else TIMEOUT
                )
            except TimeoutError:
                assert last is not None
                return last, count
            count, last = count + 1, publish
            self.latest = publish.diagnostics
            if publish.version == version:
                return publish, count


async def measure(command: list[str], text: str, root: Path, edits: int, repeats: int) -> ServerFigures:
    client = await RawClient.start(command, root)
    figures = ServerFigures()
    try:
        await client.request(
            "initialize",
            {
                "processId": os.getpid(),
                "rootUri": root.as_uri(),
                "workspaceFolders": [{"uri": root.as_uri(), "name": root.name}],
                "capabilities": CAPABILITIES,
                "clientInfo": {"name": "lsp_bench"},
            },
        )
        client.notify("initialized", {})
        (root / "app.py").write_text(text)
        session = Session(client, (root / "app.py").as_uri(), text)
        pid = client.pid
        session.open()
        await session.next_publish(1)
        figures.findings = len(session.latest)

        # (a) one change -> its diagnostics
        wall, cpu = [], []
        for n in range(repeats):
            await asyncio.sleep(0.2)  # let the previous publish settle
            session.drain()
            before, start = cpu_seconds(pid), time.perf_counter()
            version = session.change(text + f"x = {n}\n")
            wall.append((await session.next_publish(version)).at - start)
            cpu.append(cpu_seconds(pid) - before)
        # CPU as the mean: /proc counts in clock ticks (10 ms), coarser than one of ruff's lints
        figures.single_ms, figures.single_cpu_ms = statistics.median(wall) * 1000, statistics.fmean(cpu) * 1000

        # (b) a burst of edits -> the final diagnostics
        await asyncio.sleep(0.5)
        session.drain()
        before = cpu_seconds(pid)
        for n in range(BURST):
            last = session.change(text + f"y = {n}\n")
            sent = time.perf_counter()
            if n < BURST - 1:
                await asyncio.sleep(BURST_GAP)
        publish, figures.burst_publishes = await session.final_publish(last)
        figures.burst_ms = (publish.at - sent) * 1000
        await asyncio.sleep(0.3)  # any lint still running is counted too
        figures.burst_cpu_ms = (cpu_seconds(pid) - before) * 1000

        # (c) a code-action request on the first finding (and one resolve where the list is lazy)
        diagnostic = session.latest[0]
        params = {
            "textDocument": {"uri": session.uri},
            "range": diagnostic["range"],
            "context": {"diagnostics": [diagnostic]},
        }
        timings: list[float] = []
        actions: list[Json] = []
        for _ in range(repeats):
            start = time.perf_counter()
            actions = await client.request("textDocument/codeAction", params) or []
            timings.append(time.perf_counter() - start)
        figures.action_ms, figures.action_count = statistics.median(timings) * 1000, len(actions)
        lazy = next(
            (
                a
                for a in actions
                if a.get("kind") == "quickfix" and "edit" not in a and "command" not in a and "data" in a
            ),
            None,
        )
        if lazy is not None:
            start = time.perf_counter()
            await client.request("codeAction/resolve", lazy)
            figures.resolve_ms = (time.perf_counter() - start) * 1000

        # (d) memory across many edits
        await asyncio.sleep(0.3)
        session.drain()
        figures.rss_before = rss_mb(pid)
        for n in range(edits):
            last = session.change(text + f"z = {n}\n")
            if n % 50 == 0:
                assert client.process.stdin is not None
                await client.process.stdin.drain()
        await session.final_publish(last)
        await asyncio.sleep(0.3)
        figures.rss_after = rss_mb(pid)
    finally:
        await client.close()
    return figures


# ------------------------------------------------------------------------------ headless Neovim
NVIM_LUA = r"""
-- Neovim 0.7 has no `-l` and no vim.lsp.start: the client is started and attached explicitly.
local out = assert(io.open(OUT, 'w'))
local function say(fmt, ...) out:write(string.format(fmt, ...) .. '\n'); out:flush() end
local uv = vim.uv or vim.loop
local ok, err = pcall(function()
  vim.cmd('edit ' .. vim.fn.fnameescape(FILE))
  local bufnr = vim.api.nvim_get_current_buf()
  vim.bo[bufnr].filetype = 'python'
  local t0 = uv.hrtime()
  local client_id = vim.lsp.start_client({ name = 'asynclint', cmd = CMD, root_dir = ROOT })
  assert(client_id, 'the client did not start')
  vim.lsp.buf_attach_client(bufnr, client_id)
  if not vim.wait(WAIT_MS, function() return #vim.diagnostic.get(bufnr) > 0 end, 10) then
    error('no diagnostics within ' .. WAIT_MS .. ' ms')
  end
  local diagnostics = vim.diagnostic.get(bufnr)
  say('attached: client %d, first diagnostics %.0f ms after start (server start-up + one lint)', client_id, (uv.hrtime() - t0) / 1e6)
  table.sort(diagnostics, function(a, b) return a.lnum < b.lnum or (a.lnum == b.lnum and tostring(a.code) < tostring(b.code)) end)
  for _, d in ipairs(diagnostics) do say('diagnostic %s line %d', tostring(d.code), d.lnum + 1) end
  -- An edit that adds a finding: wait for the count to change.
  local before = #diagnostics
  local start = uv.hrtime()
  vim.api.nvim_buf_set_lines(bufnr, -1, -1, false, { '', '', 'async def added():', '    time.sleep(1)' })
  if not vim.wait(WAIT_MS, function() return #vim.diagnostic.get(bufnr) ~= before end, 5) then
    error('diagnostics did not change within ' .. WAIT_MS .. ' ms of the edit')
  end
  local flags = (vim.lsp.get_client_by_id(client_id).config.flags or {})
  say('edit -> diagnostics: %.0f ms (%d -> %d; client didChange debounce %s ms)', (uv.hrtime() - start) / 1e6, before,
    #vim.diagnostic.get(bufnr), tostring(flags.debounce_text_changes or 150))
  -- Code actions on the first finding, with the LSP diagnostics rebuilt as the client's own does.
  local first = vim.diagnostic.get(bufnr, { lnum = diagnostics[1].lnum })
  local lsp = {}
  for _, d in ipairs(first) do
    local item = vim.tbl_extend('keep', (d.user_data or {}).lsp or {}, {
      range = { start = { line = d.lnum, character = d.col }, ['end'] = { line = d.end_lnum, character = d.end_col } },
      message = d.message, severity = d.severity, source = d.source, code = d.code,
    })
    table.insert(lsp, item)
  end
  local params = { textDocument = vim.lsp.util.make_text_document_params(bufnr), range = lsp[1].range, context = { diagnostics = lsp } }
  start = uv.hrtime()
  local replies = vim.lsp.buf_request_sync(bufnr, 'textDocument/codeAction', params, WAIT_MS)
  say('code actions on line %d in %.1f ms:', diagnostics[1].lnum + 1, (uv.hrtime() - start) / 1e6)
  for _, reply in pairs(replies or {}) do
    if reply.err then say('  error: %s', vim.inspect(reply.err)) end
    for _, action in ipairs(reply.result or {}) do say('  %s', action.title) end
  end
end)
if not ok then say('FAILED: %s', tostring(err)) end
out:close()
vim.lsp.stop_client(vim.lsp.get_active_clients(), true)
vim.cmd('qa!')
"""


def nvim_session(text: str, root: Path, timeout: float = 120.0) -> str:
    """What a headless Neovim session with asynclint attached printed (its own LSP client, pushed diagnostics)."""
    nvim = shutil.which("nvim")
    if nvim is None:
        return "nvim not installed"
    source, out, script = root / "app.py", root / "nvim.out", root / "session.lua"
    source.write_text(text)
    server = str(Path(sys.executable).with_name("asynclint"))
    header = (
        f"local FILE, OUT, ROOT = {json.dumps(str(source))}, {json.dumps(str(out))}, {json.dumps(str(root))}\n"
        f"local CMD, WAIT_MS = {{ {json.dumps(server)}, 'server' }}, {int(timeout * 1000 / 4)}\n"
    )
    script.write_text(header + NVIM_LUA)
    command = [nvim, "--headless", "--clean", "-n", "-i", "NONE", "-c", f"luafile {script}", "-c", "qa!"]
    try:
        subprocess.run(command, cwd=root, stdin=subprocess.DEVNULL, capture_output=True, timeout=timeout, check=False)
        ended = ""
    except subprocess.TimeoutExpired:
        ended = f"\n(nvim killed after {timeout:.0f} s)"
    return (out.read_text() if out.exists() else "(no output)") + ended


def summarize_nvim(output: str) -> str:
    lines = output.splitlines()
    found = [line.split() for line in lines if line.startswith("diagnostic ")]
    rest = [line for line in lines if not line.startswith("diagnostic ")]
    counts = Counter(code for _, code, _, _ in found)
    shown = ", ".join(f"{code} line {line}" for _, code, _, line in found[:6])
    summary = f"{len(found)} diagnostics ({', '.join(f'{c} x{n}' for c, n in sorted(counts.items()))}); first: {shown}"
    return "\n".join([rest[0] if rest else "", summary, *rest[1:]])


# ------------------------------------------------------------------------------ report
def tool_version(command: list[str]) -> str:
    try:
        return (
            subprocess.run(command, capture_output=True, text=True, timeout=30, check=False)
            .stdout.strip()
            .splitlines()[0]
        )
    except (OSError, subprocess.SubprocessError, IndexError):
        return "?"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lines", type=int, default=2000)
    parser.add_argument("--edits", type=int, default=1400)
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--nvim", action="store_true")
    args = parser.parse_args()
    text = make_source(args.lines)

    settings = Settings()
    lint_text(text, settings, "app.py")  # warm: imports, rule registry
    wall, cpu = [], []
    for _ in range(args.repeats):
        start, start_cpu = time.perf_counter(), time.process_time()
        findings = len(lint_text(text, settings, "app.py"))
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    lint_ms, lint_cpu_ms = statistics.median(wall) * 1000, statistics.median(cpu) * 1000

    ruff = shutil.which("ruff") or str(Path(sys.executable).with_name("ruff"))
    servers = {"asynclint server": [sys.executable, "-m", "asynclint", "server"]}
    if Path(ruff).exists():
        servers["ruff server"] = [ruff, "server"]
    print(
        f"{time.strftime('%Y-%m-%d')}, {platform.platform()}, Python {platform.python_version()}, {os.cpu_count()} CPUs"
    )
    print(f"ruff: {tool_version([ruff, '--version'])}")
    print(
        f"{text.count(chr(10))} lines, {findings} asynclint findings; one warm lint_text: {lint_ms:.0f} ms wall, {lint_cpu_ms:.0f} ms CPU\n"
    )

    results: dict[str, ServerFigures] = {}
    for name, command in servers.items():
        with tempfile.TemporaryDirectory() as root:
            if name.startswith("ruff"):
                Path(root, "pyproject.toml").write_text('[tool.ruff.lint]\nselect = ["ASYNC", "RUF006"]\n')
            try:
                results[name] = asyncio.run(measure(command, text, Path(root), args.edits, args.repeats))
            except Exception as error:
                print(f"{name}: not measured: {type(error).__name__}: {error}", file=sys.stderr)

    names = list(results)

    def row(label: str, cells: list[str], target: str = "") -> None:
        print(f"| {label} | " + " | ".join(cells) + f" | {target} |")

    print("| figure | " + " | ".join(names) + " | target (asynclint) |")
    print("|---|" + "---:|" * len(names) + "---|")
    get = results.__getitem__
    row("findings on open", [str(get(n).findings) for n in names])
    row(
        f"change -> diagnostics, median of {args.repeats}",
        [f"{get(n).single_ms:.1f} ms ({get(n).single_ms / lint_ms:.2f}x one lint)" for n in names],
        "<= 1.5x one lint",
    )
    row("change -> diagnostics, server CPU", [f"{get(n).single_cpu_ms:.0f} ms" for n in names])
    row(
        f"burst of {BURST} edits at {BURST_GAP * 1000:.0f} ms: last edit -> final diagnostics",
        [f"{get(n).burst_ms:.1f} ms ({get(n).burst_ms / lint_ms:.2f}x)" for n in names],
        "<= 1.5x one lint",
    )
    tick_ms = 1000 / os.sysconf("SC_CLK_TCK")

    def lints(figures: ServerFigures) -> str:
        if figures.single_cpu_ms < 2 * tick_ms:
            return f"{figures.burst_cpu_ms:.0f} ms (one lint is under the {tick_ms:.0f} ms clock tick)"
        return f"{figures.burst_cpu_ms:.0f} ms (~{figures.burst_cpu_ms / figures.single_cpu_ms:.1f} lints)"

    row("burst: server CPU (/ one change's CPU = lints run)", [lints(get(n)) for n in names], "<= 2 lints")
    row("burst: diagnostics published", [str(get(n).burst_publishes) for n in names])
    row(
        f"code-action request, median of {args.repeats} (actions returned)",
        [f"{get(n).action_ms:.1f} ms ({get(n).action_count})" for n in names],
        "< 50 ms",
    )
    row(
        "`codeAction/resolve` of one quick fix",
        [f"{r:.0f} ms" if (r := get(n).resolve_ms) is not None else "n/a (eager edits)" for n in names],
    )
    row(
        f"RSS before / after {args.edits} edits",
        [f"{get(n).rss_before:.1f} / {get(n).rss_after:.1f} MB" for n in names],
        "flat",
    )

    if args.nvim:
        with tempfile.TemporaryDirectory() as root:
            print(
                f"\nheadless Neovim ({tool_version(['nvim', '--version'])}), asynclint attached to {args.lines}-line app.py:"
            )
            output = nvim_session(text, Path(root))
            print(summarize_nvim(output))


if __name__ == "__main__":
    main()
