from __future__ import annotations

from typing import TYPE_CHECKING, Any

from asynclint.asyncio_api import (
    FILESYSTEM_FUNCTIONS,
    OPEN_FUNCTIONS,
    PATH_FILESYSTEM_METHODS,
    PATH_IO_METHODS,
    PATH_TYPES,
)
from asynclint.rule import Rule

if TYPE_CHECKING:
    import libcst as cst
else:
    from asynclint._lazy import cst


class BlockingFileIo(Rule):
    """Flags file I/O done directly inside a coroutine (opt-in).

    ## What it does
    Reports, inside an `async def`: `open(...)` (builtin or `io.open`); the `pathlib.Path`
    methods that read, write or ask the file system (`read_text`, `write_bytes`, `open`,
    `exists`, `is_file`, `is_dir`, `stat`, `unlink`, `mkdir`, `iterdir`, `glob`, `rglob`,
    `rename`, ...) called on a `Path` (a `Path(...)` call, a `path / "name"` built from one, a
    variable assigned one, or a parameter annotated `Path`); `os.path` metadata calls (`exists`,
    `isfile`, `isdir`, `getsize`, `getmtime`, ...); `os.remove`, `rename`, `replace`, `listdir`,
    `scandir`, `walk`, `makedirs`, `stat` and the like; and `tempfile`'s files and directories.
    The rule is opt-in: select it with `extend-select = ["AIO203"]`. Test files (the
    `test-paths` setting: `tests/`, `test_*.py`, `conftest.py`, ...) are not checked.

    ## Why is this bad?
    Local file access is usually quick, which is why the rule is not on by default, but it
    blocks the event loop for as long as the disk, a network filesystem or a named pipe makes it
    wait, and every other task waits with it.

    ## Example
    ```python
    async def load(path):
        with open(path) as handle:
            return handle.read()
    ```

    ## Use instead
    ```python
    import asyncio

    def read(path):
        with open(path) as handle:
            return handle.read()

    async def load(path):
        return await asyncio.to_thread(read, path)
    ```

    ## Fix safety
    No fix: the file handle usually lives across several statements, so moving the work to a
    thread means choosing what goes into the threaded function. `asyncio.to_thread` or a library
    such as aiofiles are the usual answers.
    """

    CODE = "AIO203"
    NAME = "blocking-file-io"
    SINCE = "0.1.0"
    IN_TESTS = False
    EQUIVALENTS = ("ruff ASYNC230", "ruff ASYNC240", "flake8-async ASYNC230", "flake8-async ASYNC240")
    TRIGGERS = (("open", "read_", "write_", "os", "Path", "tempfile"),)
    NEEDS_COROUTINE = True
    MESSAGE = "`{name}()` does blocking file I/O in coroutine `{func}`"
    DEFAULT = False

    def visit_Call(self, node: cst.Call) -> None:
        coroutine = self.sem.enclosing_coroutine(node)
        if coroutine is None:
            return
        func = node.func
        qualified = self.sem.qualified_name(func)
        if qualified in OPEN_FUNCTIONS:
            self.report(node, name="open", func=coroutine.name)
        elif qualified in FILESYSTEM_FUNCTIONS:
            self.report(node, name=qualified, func=coroutine.name)
        elif (
            isinstance(func, cst.Attribute)
            and (func.attr.value in PATH_IO_METHODS or func.attr.value in PATH_FILESYSTEM_METHODS)
            and self._is_path(func.value)
        ):
            self.report(node, name=f"Path.{func.attr.value}", func=coroutine.name)

    def _is_path(self, node: Any, depth: int = 0) -> bool:
        if depth > 10:
            return False
        if isinstance(node, cst.Call):
            return self.sem.resolves_to(node.func, *PATH_TYPES)
        if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.Divide):
            return self._is_path(node.left, depth + 1)
        if isinstance(node, cst.Name):
            if any(self._is_path(value, depth + 1) for value in self._values(node)):
                return True
            return self._annotated_path(node)
        return False

    def _values(self, name: cst.Name) -> list[Any]:
        binding = self.sem.binding(name)
        return binding.values if binding is not None else []

    def _annotated_path(self, name: cst.Name) -> bool:
        binding = self.sem.binding(name)
        scope = binding.scope if binding is not None else None
        if scope is None or scope.kind != "function":
            return False
        params = scope.node.params
        for param in (*params.posonly_params, *params.params, *params.kwonly_params):
            if param.name.value == name.value and param.annotation is not None:
                return self.sem.resolves_to(param.annotation.annotation, *PATH_TYPES)
        return False
