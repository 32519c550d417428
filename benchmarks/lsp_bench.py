"""Language server figures: `asynclint server` against one in-process `lint_text`, and `ruff server`.

`python benchmarks/lsp_bench.py [--lines 2000] [--nvim]`.  A pygls client drives each server over
stdio (pushed diagnostics) on a generated file of about `--lines` lines with findings; CPU time is
the server process's (user + system, from /proc), RSS its VmRSS.  Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from lsprotocol import types as t
from pygls.lsp.client import LanguageClient

from asynclint.config import Settings
from asynclint.engine import lint_text

BLOCK = '''

async def handler_{n}(queue, loop):
    asyncio.create_task(queue.put({n}))
    time.sleep(0.1)
    data = await queue.get()
    if data is None:
        return None
    for item in range(10):
        await asyncio.sleep(0)
    return data
'''


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


async def measure(command: list[str], text: str, root: Path, edits: int) -> dict[str, float]:
    client = LanguageClient("bench", "1")
    published: asyncio.Queue[tuple[float, t.PublishDiagnosticsParams]] = asyncio.Queue()

    @client.feature(t.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def on_diagnostics(params: t.PublishDiagnosticsParams) -> None:
        published.put_nowait((time.perf_counter(), params))

    await client.start_io(*command, cwd=str(root))
    assert client._server is not None
    pid = client._server.pid
    resolve = t.CodeActionClientCapabilities(resolve_support=t.ClientCodeActionResolveOptions(properties=["edit"]))
    capabilities = t.ClientCapabilities(text_document=t.TextDocumentClientCapabilities(code_action=resolve))
    # pygls' client cannot decode every server's reply (lsprotocol rejects ruff 0.17's notebook
    # selector), and then waits for ever: bound it.
    await asyncio.wait_for(client.initialize_async(t.InitializeParams(capabilities=capabilities, root_uri=root.as_uri())), 60)
    client.initialized(t.InitializedParams())
    uri = (root / "app.py").as_uri()
    version = 1
    client.text_document_did_open(t.DidOpenTextDocumentParams(text_document=t.TextDocumentItem(uri=uri, language_id="python", version=1, text=text)))

    latest: list[t.Diagnostic] = []

    async def until(version: int) -> float:
        while True:
            at, params = await asyncio.wait_for(published.get(), 300)
            if params.version in (version, None):  # ruff's server sends no version
                latest[:] = params.diagnostics
                return at

    def change(new_text: str) -> int:
        nonlocal version
        version += 1
        client.text_document_did_change(
            t.DidChangeTextDocumentParams(
                text_document=t.VersionedTextDocumentIdentifier(uri=uri, version=version),
                content_changes=[t.TextDocumentContentChangeWholeDocument(text=new_text)],
            )
        )
        return version

    await until(1)
    figures: dict[str, float] = {}
    single: list[float] = []
    cpu: list[float] = []
    for n in range(7):
        before, start = cpu_seconds(pid), time.perf_counter()
        single.append(await until(change(text + f"x = {n}\n")) - start)
        cpu.append(cpu_seconds(pid) - before)
    figures["change -> diagnostics, median ms"] = statistics.median(single) * 1000
    figures["change -> diagnostics, server CPU ms"] = statistics.median(cpu) * 1000

    before = cpu_seconds(pid)
    for n in range(20):
        last = change(text + f"y = {n}\n")
        await asyncio.sleep(0.05)
    sent = time.perf_counter() - 0.05
    figures["burst of 20: last edit -> diagnostics ms"] = (await until(last) - sent) * 1000
    figures["burst of 20: server CPU ms"] = (cpu_seconds(pid) - before) * 1000

    diagnostic = latest[0]
    request = t.CodeActionParams(
        text_document=t.TextDocumentIdentifier(uri=uri), range=diagnostic.range, context=t.CodeActionContext(diagnostics=[diagnostic])
    )
    timings = []
    for _ in range(5):
        start = time.perf_counter()
        await client.text_document_code_action_async(request)
        timings.append(time.perf_counter() - start)
    figures["code-action request, median ms"] = statistics.median(timings) * 1000
    actions = await client.text_document_code_action_async(request) or []
    fix = next(a for a in actions if isinstance(a, t.CodeAction) and a.kind == t.CodeActionKind.QuickFix and a.edit is None)
    start = time.perf_counter()
    await client.code_action_resolve_async(fix)
    figures["codeAction/resolve of one quick fix, ms"] = (time.perf_counter() - start) * 1000

    rss_start = rss_mb(pid)
    for n in range(edits):
        last = change(text + f"z = {n}\n")
    await until(last)
    figures[f"RSS before / after {edits} edits, MB"] = rss_start
    figures["RSS after, MB"] = rss_mb(pid)
    await client.shutdown_async(None)
    client.exit(None)
    await client.stop()
    return figures


def nvim_latency(text: str, root: Path) -> float | None:
    """ms from an edit to the next diagnostics in headless Neovim (its own LSP client)."""
    nvim = shutil.which("nvim")
    if nvim is None:
        return None
    (root / "nvim.py").write_text(text)
    script = root / "bench.lua"
    script.write_text(
        f"""
local uv = vim.uv or vim.loop
vim.cmd('edit {root / 'nvim.py'}')
local done, t0, results = false, 0, {{}}
vim.api.nvim_create_autocmd('DiagnosticChanged', {{ callback = function()
  if t0 > 0 and #vim.diagnostic.get(0) > 0 then table.insert(results, (uv.hrtime() - t0) / 1e6); t0 = 0 end
end }})
vim.lsp.start({{ name = 'asynclint', cmd = {{ '{sys.executable}', '-m', 'asynclint', 'server' }}, root_dir = '{root}' }})
vim.wait(60000, function() return #vim.diagnostic.get(0) > 0 end, 20)
for i = 1, 5 do
  t0 = uv.hrtime()
  vim.api.nvim_buf_set_lines(0, -1, -1, false, {{ 'x' .. i .. ' = 1' }})
  vim.wait(60000, function() return t0 == 0 end, 5)
end
table.sort(results)
io.stdout:write(string.format('%.1f\\n', results[3]))
vim.cmd('qa!')
"""
    )
    out = subprocess.run([nvim, "--headless", "--clean", "-l", str(script)], capture_output=True, text=True, timeout=600, cwd=root)
    try:
        return float((out.stdout or out.stderr).strip().splitlines()[-1])
    except (ValueError, IndexError):
        print(out.stdout, out.stderr, file=sys.stderr)
        return None


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lines", type=int, default=2000)
    parser.add_argument("--edits", type=int, default=1400)
    parser.add_argument("--nvim", action="store_true")
    args = parser.parse_args()
    text = make_source(args.lines)
    settings = Settings()
    lint_text(text, settings, "app.py")  # warm: imports, rule registry
    wall, cpu = [], []
    for _ in range(5):
        start, start_cpu = time.perf_counter(), time.process_time()
        lint_text(text, settings, "app.py")
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    print(f"{text.count(chr(10))} lines; one warm lint_text: {statistics.median(wall) * 1000:.0f} ms wall, {statistics.median(cpu) * 1000:.0f} ms CPU\n")
    servers = {"asynclint server": [sys.executable, "-m", "asynclint", "server"]}
    ruff = shutil.which("ruff") or str(Path(sys.executable).with_name("ruff"))
    if Path(ruff).exists():
        servers["ruff server"] = [ruff, "server"]
    results = {}
    for name, command in servers.items():
        with tempfile.TemporaryDirectory() as root:
            if name.startswith("ruff"):
                Path(root, "pyproject.toml").write_text('[tool.ruff.lint]\nselect = ["ASYNC", "RUF006"]\n')
            try:
                results[name] = asyncio.run(measure(command, text, Path(root), args.edits))
            except Exception as error:  # noqa: BLE001 - report the other server's figures anyway
                print(f"{name}: not measured: {type(error).__name__}: {error}", file=sys.stderr)
    names = list(results)
    print("| figure | " + " | ".join(names) + " |")
    print("|---|" + "---:|" * len(names))
    for key in results[names[0]]:
        print(f"| {key} | " + " | ".join(f"{results[n][key]:.1f}" for n in names) + " |")
    if args.nvim:
        with tempfile.TemporaryDirectory() as root:
            print(f"\nheadless Neovim, edit -> diagnostics (median of 5): {nvim_latency(text, Path(root))} ms")


if __name__ == "__main__":
    main()
