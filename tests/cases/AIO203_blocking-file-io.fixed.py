# Lint-only case file for AIO203 (opt-in, selected by the .toml): file and file-system calls
# inside a coroutine. Every unannotated line asserts silence.
import io
import os
import os.path
import shutil
import tempfile
from os.path import exists
from pathlib import Path


async def handler(path: Path, name, data):
    with open(name) as handle:  # error: AIO203
        handle.read()
    io.open(name)  # error: AIO203
    path.read_text()  # error: AIO203
    path.exists()  # error: AIO203
    (path / "sub").mkdir(parents=True)  # error: AIO203
    Path(name).is_file()  # error: AIO203
    for child in path.iterdir():  # error: AIO203
        print(child)
    list(path.rglob("*.py"))  # error: AIO203
    os.path.exists(name)  # error: AIO203
    os.path.getsize(name)  # error: AIO203
    exists(name)  # error: AIO203
    os.remove(name)  # error: AIO203
    os.listdir(".")  # error: AIO203
    with tempfile.NamedTemporaryFile() as temporary:  # error: AIO203
        temporary.write(data)
    os.path.join(name, "x")  # a string operation: no file system
    os.path.basename(name)
    os.getcwd()
    path.name
    path.with_suffix(".txt")
    shutil.which("git")


async def not_a_path(thing, store):
    thing.exists()  # unknown receiver: not known to be a Path
    store.open()
    await store.stat()


def sync(path: Path):
    path.exists()  # not in a coroutine
    os.remove("x")


async def deferred(path: Path):
    def later():
        return path.exists()  # a nested function runs elsewhere (perhaps in a thread)

    return later
