"""The type oracle (asynclint.semantic.project + callees): receivers whose class a light checker
knows from annotations and assignments elsewhere in the project, table-driven on small project
trees written to tmp_path. Each row's `app/main.py` marks the lines AIO401 must report."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from expectations import annotations, describe, findings, settings_for

from asynclint.config import load_settings
from asynclint.engine import lint_text
from asynclint.semantic.project import ProjectIndex

STORE = """
class Store:
    async def commit(self): ...
    def flush(self): ...
    async def __aenter__(self) -> "Self":
        return self
    async def __aexit__(self, *exc): ...
"""
STORE_IMPORTS = "from typing import Self\n"

CASES: dict[str, dict[str, str]] = {
    "annotated-attribute": {
        "app/models.py": "class Result:\n    async def finish(self): ...\n    def close(self): ...\n",
        "app/main.py": """
            from app.models import Result

            class Job:
                _result: Result

                async def run(self):
                    self._result.finish()  # error: AIO401
                    self._result.close()
        """,
    },
    "init-assignment": {
        "app/store.py": STORE_IMPORTS + STORE,
        "app/main.py": """
            from .store import Store

            class Service:
                def __init__(self):
                    self.store = Store()

                async def run(self):
                    self.store.commit()  # error: AIO401
                    self.store.flush()
        """,
    },
    "none-first-then-instance": {
        "app/store.py": STORE_IMPORTS + STORE,
        "app/main.py": """
            from .store import Store

            class Service:
                def __init__(self):
                    self.store = None

                async def start(self):
                    self.store = Store()

                async def run(self):
                    self.store.commit()  # error: AIO401
        """,
    },
    "two-attribute-chain": {
        "app/plugins.py": """
            class DnsPlugin:
                async def write_hosts(self): ...

            class PluginManager:
                def __init__(self, config):
                    self.dns = DnsPlugin()
        """,
        "app/main.py": """
            from app.plugins import PluginManager

            class Core:
                def __init__(self, config):
                    self.plugins = PluginManager(config)

                async def reload(self):
                    self.plugins.dns.write_hosts()  # error: AIO401
        """,
    },
    "parameter-annotations": {
        "app/conn.py": "class Connection:\n    async def close(self, code): ...\n",
        "app/main.py": """
            from typing import Optional, Union
            from app.conn import Connection
            import app.conn

            async def a(peer: Connection):
                peer.close(1000)  # error: AIO401

            async def b(peer: Optional[Connection]):
                peer.close(1000)  # error: AIO401

            async def c(peer: Connection | None):
                peer.close(1000)  # error: AIO401

            async def d(peer: "Connection"):
                peer.close(1000)  # error: AIO401

            async def e(peer: "app.conn.Connection | None"):
                peer.close(1000)  # error: AIO401

            async def f(peer: Union[Connection, int]):
                peer.close(1000)

            async def g(peer: Connection):
                peer = other()  # the declared type wins, as in a type checker
                peer.close(1000)  # error: AIO401
        """,
    },
    "type-checking-import": {
        "app/conn.py": "class Connection:\n    async def close(self, code): ...\n",
        "app/main.py": """
            from __future__ import annotations
            from typing import TYPE_CHECKING

            if TYPE_CHECKING:
                from app.conn import Connection

            async def handler(peer: Connection):
                peer.close(1000)  # error: AIO401

            class Session:
                peer: Connection | None

                async def stop(self):
                    self.peer.close(1000)  # error: AIO401
        """,
    },
    "return-annotation": {
        "app/store.py": STORE_IMPORTS + STORE + "\n\ndef open_store() -> Store:\n    return Store()\n"
        "\n\nasync def connect() -> Store:\n    return Store()\n",
        "app/main.py": """
            from app.store import open_store, connect

            async def main():
                db = open_store()
                db.commit()  # error: AIO401
                other = await connect()
                other.commit()  # error: AIO401
                pending = connect()
                pending.commit()
        """,
    },
    "async-with-aenter-self": {
        "app/store.py": STORE_IMPORTS + STORE,
        "app/main.py": """
            from app.store import Store

            async def main():
                async with Store() as db:
                    db.commit()  # error: AIO401
                    db.flush()
        """,
    },
    "base-class-in-another-module": {
        "app/base.py": "class BaseConn:\n    async def close(self): ...\n",
        "app/conn.py": "from .base import BaseConn\n\nclass Conn(BaseConn):\n    pass\n",
        "app/main.py": """
            from app.conn import Conn

            class Client:
                def __init__(self):
                    self.conn = Conn()

                async def stop(self):
                    self.conn.close()  # error: AIO401
        """,
    },
    "re-export": {
        "app/core/__init__.py": "from .impl import Store\n",
        "app/core/impl.py": STORE_IMPORTS + STORE,
        "app/main.py": """
            from app.core import Store

            async def main(store: Store):
                store.commit()  # error: AIO401

            class Service:
                def __init__(self):
                    self.store = Store()

                async def run(self):
                    self.store.commit()  # error: AIO401
        """,
    },
    "typing-cast": {
        "app/store.py": STORE_IMPORTS + STORE,
        "app/main.py": """
            import typing
            from typing import cast
            from app.store import Store

            async def main(thing):
                db = cast(Store, thing)
                db.commit()  # error: AIO401
                typing.cast("Store", thing).commit()  # error: AIO401
        """,
    },
    "decorator-factory": {
        "app/retrying.py": """
            import functools

            def retry(times):
                def decorate(fn):
                    @functools.wraps(fn)
                    async def wrapper(*args, **kwargs):
                        return await fn(*args, **kwargs)
                    return wrapper
                return decorate

            @retry(times=3)
            def fetch():
                ...
        """,
        "app/main.py": """
            from app.retrying import fetch, retry

            @retry(times=2)
            def local():
                ...

            async def main():
                fetch()  # error: AIO401
                local()  # error: AIO401
        """,
    },
    "asyncio-class-attribute": {
        "app/main.py": """
            import asyncio

            class Waiter:
                def __init__(self):
                    self._event = asyncio.Event()
                    self._queue: asyncio.Queue[int] = asyncio.Queue()

                async def run(self):
                    self._event.wait()  # error: AIO401
                    self._event.set()
                    self._queue.get()  # error: AIO401
                    self._queue.get_nowait()
        """,
    },
    "module-level-instance": {
        "app/db.py": STORE_IMPORTS + STORE + "\n\nstore = Store()\n",
        "app/main.py": """
            from app.db import store
            import app.db

            async def main():
                store.commit()  # error: AIO401
                app.db.store.commit()  # error: AIO401
                store.flush()
        """,
    },
    "property-and-call": {
        "app/store.py": STORE_IMPORTS
        + STORE
        + """
class Handler:
    async def __call__(self): ...

class Holder:
    handler: Handler

    @property
    def store(self) -> Store:
        return Store()
""",
        "app/main.py": """
            from app.store import Holder

            async def main(holder: Holder):
                holder.store.commit()  # error: AIO401
                holder.handler()  # error: AIO401
                holder.store.flush()
        """,
    },
    "plain-def-returning-a-coroutine": {
        "app/http.py": """
            from typing import TYPE_CHECKING, Any, Awaitable, Coroutine, TypeVar

            if TYPE_CHECKING:
                T = TypeVar("T")
                Response = Coroutine[Any, Any, T]

            class HTTPClient:
                def edit_channel(self, channel_id) -> Response[dict]:
                    return self.request(channel_id)

                def raw(self) -> "Coroutine[Any, Any, None]":
                    return self.request(0)

                def later(self) -> Awaitable[None]:
                    return self.request(0)

                async def request(self, channel_id): ...
        """,
        "app/main.py": """
            from app.http import HTTPClient

            class Channel:
                def __init__(self, http: HTTPClient):
                    self.http = http

                async def edit(self):
                    self.http.edit_channel(1)  # error: AIO401
                    self.http.raw()  # error: AIO401
                    self.http.later()
        """,
    },
    # ---------------------------------------------------------------- unknown stays unknown
    "getattr-is-unknown": {
        "app/proxy.py": "class Proxy:\n    def __getattr__(self, name): ...\n",
        "app/main.py": """
            from app.proxy import Proxy

            async def main(proxy: Proxy):
                proxy.close()
        """,
    },
    "conflicting-assignments": {
        "app/store.py": STORE_IMPORTS + STORE + "\n\nclass Other:\n    def commit(self): ...\n",
        "app/main.py": """
            from app.store import Store, Other

            class Service:
                def __init__(self):
                    self.db = Store()

                def reset(self):
                    self.db = Other()

                async def run(self):
                    self.db.commit()
        """,
    },
    "instance-attribute-shadows-method": {
        "app/store.py": STORE_IMPORTS
        + STORE.replace(
            "    def flush(self): ...",
            "    def flush(self): ...\n    def __init__(self):\n        self.commit = self.flush",
        ),
        "app/main.py": """
            from app.store import Store

            async def main(store: Store):
                store.commit()
        """,
    },
    "import-alternatives-are-unknown": {
        "app/fast.py": "class Store:\n    async def commit(self): ...\n",
        "app/slow.py": "class Store:\n    def commit(self): ...\n",
        "app/compat.py": """
            try:
                from .slow import Store
            except ImportError:
                from .fast import Store

            try:
                from .slow import Store as Fallback
            except ImportError:
                class Fallback:
                    async def commit(self): ...
        """,
        "app/main.py": """
            from app.compat import Store, Fallback

            async def main(store: Store, fallback: Fallback):
                store.commit()
                fallback.commit()
        """,
    },
    "unknown-base": {
        "app/conn.py": "from somewhere_else import Base\n\nclass Conn(Base):\n    def send(self): ...\n",
        "app/main.py": """
            from app.conn import Conn

            async def main(conn: Conn):
                conn.close()
                conn.send()
        """,
    },
    "async-generators-are-not-coroutine-functions": {
        "app/feed.py": """
            class Feed:
                async def items(self):
                    yield 1
                async def close(self):
                    def inner():
                        yield 2  # a nested generator's yield: close stays a coroutine function
            async def stream():
                yield 3
        """,
        "app/main.py": """
            from app.feed import Feed, stream

            async def main(feed: Feed):
                feed.items()
                stream()
                feed.close()  # error: AIO401
        """,
    },
    "local-shadowing-and-reassigned": {
        "app/store.py": STORE_IMPORTS + STORE,
        "app/main.py": """
            from app.store import Store

            async def main(flag):
                db = Store()
                if flag:
                    db = object()
                db.commit()
        """,
    },
}


def _write(root: Path, files: dict[str, str]) -> None:
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    for directory in {(root / r).parent for r in files}:
        while directory != root:
            (directory / "__init__.py").touch(exist_ok=True)
            directory = directory.parent


@pytest.mark.parametrize("name", sorted(CASES))
def test_oracle(name: str, tmp_path: Path) -> None:
    _write(tmp_path, CASES[name])
    main = tmp_path / "app" / "main.py"
    text = main.read_text(encoding="utf-8")
    view = ProjectIndex().view(str(main))
    got = findings(lint_text(text, settings_for({}, select=("AIO401",)), str(main), project=view))
    assert describe(got) == describe(annotations(text))


FAKE_PACKAGE = {
    "fakeaio/__init__.py": "from .core import connect, Client\n",
    "fakeaio/core.py": """
                class Client:
                    async def send(self, data): ...
                    def sync_send(self, data): ...
                    async def __aenter__(self) -> "Client":
                        return self

                def connect() -> Client:
                    raise RuntimeError("never imported")
            """,
    "fakeaio/core.pyi": """
                class Client:
                    async def send(self, data: bytes) -> None: ...
                    def sync_send(self, data: bytes) -> None: ...
                    async def flush(self) -> None: ...
                    async def __aenter__(self) -> Client: ...
                def connect() -> Client: ...
            """,
}
USES_FAKE_PACKAGE = """
    import fakeaio

    async def main():
        client = fakeaio.connect()
        client.send(b"x")  # error: AIO401
        client.flush()  # error: AIO401
        client.sync_send(b"x")
        async with fakeaio.Client() as other:
            other.send(b"y")  # error: AIO401
"""


def test_third_party_package_read_from_sys_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = tmp_path / "site"
    _write(site, FAKE_PACKAGE)
    project = tmp_path / "proj"
    _write(project, {"app/main.py": USES_FAKE_PACKAGE})
    monkeypatch.setattr(sys, "path", [str(site), *sys.path])
    main = project / "app" / "main.py"
    text = main.read_text(encoding="utf-8")
    view = ProjectIndex().view(str(main))
    assert view is not None
    got = findings(lint_text(text, settings_for({}, select=("AIO401",)), str(main), project=view))
    assert describe(got) == describe(annotations(text))
    assert str(site / "fakeaio" / "core.pyi") in view.consulted  # the stub won, and is a dependency
    assert "fakeaio" not in sys.modules  # read, never imported


def test_third_party_package_read_from_configured_site_packages(tmp_path: Path) -> None:
    _write(tmp_path / "env" / "site", FAKE_PACKAGE)
    _write(tmp_path, {"app/main.py": USES_FAKE_PACKAGE})
    (tmp_path / "pyproject.toml").write_text('[tool.asynclint]\nsite-packages = ["env/site"]\n', encoding="utf-8")
    settings = load_settings(tmp_path).with_selection(select=("AIO401",))
    assert settings.site_packages == (str((tmp_path / "env" / "site").resolve()),)
    main = tmp_path / "app" / "main.py"
    text = main.read_text(encoding="utf-8")
    assert describe(findings(lint_text(text, settings, str(main)))) == describe(annotations(text))
    unconfigured = settings_for({}, select=("AIO401",))
    assert describe(findings(lint_text(text, unconfigured, str(main)))) == []


INSTALLED_THIRD_PARTY = {
    # An installed package's scan answers first; the catalogue's facts fill in what it leaves unknown.
    "aiofiles/__init__.py": """
                class SyncFile:
                    def write(self, data) -> int: ...

                class Opener:
                    async def __aenter__(self) -> SyncFile: ...

                def open(path) -> Opener: ...
            """,
    "aiosqlite/__init__.py": "from .core import connect\n",
    "aiosqlite/core.py": """
                class Connection:
                    def __init__(self, database):
                        self.database = database

                def connect(database):
                    return Connection(database)
            """,
}
USES_INSTALLED_THIRD_PARTY = """
    import aiofiles
    import aiosqlite

    async def main(path):
        async with aiofiles.open(path) as f:
            f.write("x")  # this aiofiles's scan says the entered file is a SyncFile
        async with aiosqlite.connect(path) as db:
            db.commit()  # error: AIO401
"""


def test_installed_package_scan_wins_over_third_party_facts(tmp_path: Path) -> None:
    _write(tmp_path / "site", INSTALLED_THIRD_PARTY)
    _write(tmp_path, {"app/main.py": USES_INSTALLED_THIRD_PARTY})
    main = tmp_path / "app" / "main.py"
    text = main.read_text(encoding="utf-8")
    view = ProjectIndex().view(str(main))
    assert view is not None
    view.extra_paths = (str(tmp_path / "site"),)
    got = findings(lint_text(text, settings_for({}, select=("AIO401",)), str(main), project=view))
    assert describe(got) == describe(annotations(text))
    assert str(tmp_path / "site" / "aiofiles" / "__init__.py") in view.consulted
    # Not installed: the catalogue's aiofiles facts answer (the file's `write` is a coroutine).
    bare = ProjectIndex().view(str(main))
    got = findings(lint_text(text, settings_for({}, select=("AIO401",)), str(main), project=bare))
    assert sorted(got) == [(6, "AIO401"), (8, "AIO401")]


RULE_CASES: dict[str, dict[str, str]] = {
    # Every rule that asks "is this a coroutine function?" gets the oracle's answers.
    "every-rule-asks-the-oracle": {
        "app/store.py": STORE_IMPORTS + STORE,
        "app/api.py": "async def fetch(n):\n    return n\n\ndef plain(n):\n    return n\n",
        "app/main.py": """
            import asyncio
            from app.api import fetch, plain
            from app.store import Store

            class Service:
                def __init__(self):
                    self.store = Store()

                async def run(self):
                    if self.store.commit():  # error: AIO402
                        pass
                    pending = self.store.commit()  # error: AIO403
                    kept = self.store.commit()
                    await kept
                    asyncio.ensure_future(self.store.commit())  # error: AIO304
                    await asyncio.wait([self.store.commit()])  # error: AIO307
                    fetch = asyncio.create_task(fetch(1))  # error: AIO601
                    await fetch

            async def other():
                plain = asyncio.create_task(plain(1))
                await plain
        """,
    },
}


@pytest.mark.parametrize("name", sorted(RULE_CASES))
def test_rules_ask_the_oracle(name: str, tmp_path: Path) -> None:
    _write(tmp_path, RULE_CASES[name])
    main = tmp_path / "app" / "main.py"
    text = main.read_text(encoding="utf-8")
    settings = settings_for({}, select=("AIO304", "AIO307", "AIO401", "AIO402", "AIO403", "AIO601"))
    got = findings(lint_text(text, settings, str(main), project=ProjectIndex().view(str(main))))
    assert describe(got) == describe(annotations(text))


def test_cached_results_follow_an_attribute_type_in_another_module(tmp_path: Path) -> None:
    """The result cache's dependencies include every module the oracle read for a type: changing
    the class `__init__` assigns in another module changes the cached answer for main.py."""
    _write(tmp_path, {name: CASES["two-attribute-chain"][name] for name in ("app/plugins.py", "app/main.py")})
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    command = [sys.executable, "-m", "asynclint", "check", "--select", "AIO401", "app/main.py"]

    def count() -> int:
        result = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=120, env=env)
        return result.stdout.count("AIO401")

    assert count() == 1
    assert count() == 1  # from the cache
    plugins = tmp_path / "app" / "plugins.py"
    text = plugins.read_text(encoding="utf-8")
    plugins.write_text(text + "\n\nclass Files:\n    def write_hosts(self): ...\n", encoding="utf-8")
    assert count() == 1  # another class added: same answer
    plugins.write_text(
        plugins.read_text(encoding="utf-8").replace("self.dns = DnsPlugin()", "self.dns = Files()"), encoding="utf-8"
    )
    assert count() == 0


def test_answers_do_not_depend_on_how_asynclint_was_started(tmp_path: Path) -> None:
    """`python -m asynclint` puts the working directory on `sys.path`; the console script does
    not. A checkout's own package must not count as installed under one and not the other."""
    _write(tmp_path, {"pkg/conn.py": "class Conn:\n    async def close(self): ...\n"})
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_conn.py").write_text(
        "from pkg.conn import Conn\n\n\nasync def test_close(conn: Conn):\n    conn.close()\n", encoding="utf-8"
    )
    script = Path(sys.executable).parent / "asynclint"
    argv = ["check", "--select", "AIO401", "--no-cache", "--output-format", "concise", "tests/test_conn.py"]
    by_module = subprocess.run([sys.executable, "-m", "asynclint", *argv], cwd=tmp_path, capture_output=True, text=True)
    by_script = subprocess.run([str(script), *argv], cwd=tmp_path, capture_output=True, text=True)
    assert by_module.returncode == by_script.returncode
    assert by_module.stdout == by_script.stdout
