from __future__ import annotations

from typing import TYPE_CHECKING

from asynclint.asyncio_api import BLOCKING_CALLS
from asynclint.rule import Fix, FixAvailability, FixFacts, Rule, Safety

if TYPE_CHECKING:
    import libcst as cst
else:
    from asynclint._lazy import cst


class BlockingCall(Rule):
    """Flags well-known blocking calls made directly inside a coroutine.

    ## What it does
    Reports calls, inside an `async def`, of functions that block the thread on network, process
    or disk work: the `requests` verbs and `requests.request`, `httpx`'s synchronous verbs,
    `urllib.request.urlopen`, `subprocess.run/call/check_call/check_output/getoutput/
    getstatusoutput` and `subprocess.Popen` (it forks and waits for the exec), `os.system`,
    `os.popen`, `os.wait*`, `input()`, `socket.create_connection` and `shutil.copy*/move/rmtree/
    make_archive/unpack_archive`. Names are resolved through imports and aliases. Projects add
    their own with `blocking-calls = ["mypkg.db.query"]`. Calls in a nested `def` or `lambda`, and
    functions handed to `asyncio.to_thread` or `run_in_executor`, are not reported. Test files
    (the `test-paths` setting: `tests/`, `test_*.py`, `conftest.py`, ...) are not checked.

    ## Why is this bad?
    While the call waits, the event loop is stopped: every other task, timeout and connection
    stalls with it.

    ## Example
    ```python
    import subprocess

    async def build():
        subprocess.run(["make"], check=True)
    ```

    ## Use instead
    ```python
    import asyncio
    import subprocess

    async def build():
        await asyncio.to_thread(subprocess.run, ["make"], check=True)
    ```

    ## Fix safety
    Unsafe. The call moves to a worker thread and the coroutine gets a new suspension point:
    other tasks run meanwhile, the function must be thread-safe, and cancelling the coroutine no
    longer stops the work. Offered only when the target Python has `asyncio.to_thread` (3.9+),
    and not inside a generator expression. An asyncio-native replacement (`aiohttp`,
    `asyncio.create_subprocess_exec`) is often better; the fix is the general-purpose one.
    """

    CODE = "AIO202"
    NAME = "blocking-call"
    SINCE = "0.1.0"
    IN_TESTS = False
    EQUIVALENTS = (
        "ruff ASYNC210",
        "ruff ASYNC212",
        "ruff ASYNC220",
        "ruff ASYNC221",
        "ruff ASYNC222",
        "flake8-async ASYNC210",
        "flake8-async ASYNC212",
        "flake8-async ASYNC22x",
        "flake8-async ASYNC250",
    )
    NEEDS_COROUTINE = True
    MESSAGE = "`{name}()` blocks the event loop in coroutine `{func}`"
    FIX = FixFacts(
        title="Run it in a thread with `await asyncio.to_thread(...)`",
        availability=FixAvailability.SOMETIMES,
        safety=Safety.UNSAFE,
    )

    def visit_Call(self, node: cst.Call) -> None:
        coroutine = self.sem.enclosing_coroutine(node)
        if coroutine is None:
            return
        qualified = self.sem.qualified_name(node.func)
        if qualified is None or not (qualified in BLOCKING_CALLS or qualified in self.settings.blocking_calls):
            return
        name = qualified.removeprefix("builtins.")
        self.report(node, fix=self._fix(node), name=name, func=coroutine.name)

    def _fix(self, node: cst.Call) -> Fix | None:
        if self.settings.target_version < (3, 9) or self.sem.in_generator_expression(node):
            return None
        to_thread = self.sem.module_attribute(node, "asyncio", "to_thread")
        if to_thread is None:
            return None
        func, imports = to_thread
        call = cst.Call(func=func, args=[cst.Arg(value=node.func.with_changes(lpar=[], rpar=[])), *node.args])
        return self.make_fix(Safety.UNSAFE, [(node, self.sem.awaited(node, call))], imports)
