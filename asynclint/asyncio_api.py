"""What asynclint knows about asyncio (and the blocking calls around it), declared once.

Every rule reads its asyncio facts from here, so two rules cannot disagree about, say, which APIs
drop their callback's result.  Names are qualified the way `Semantic.qualified_name` spells them:
`asyncio.create_task` (asyncio's submodules fold into `asyncio.`), `builtins.open`.  Method names
without a receiver (`"create_task"`) are for calls whose receiver's type is not known.
`tests/test_catalogue.py` fails when a table of these facts appears anywhere else.
"""

from __future__ import annotations

from collections.abc import Iterable


def _asyncio(names: Iterable[str]) -> frozenset[str]:
    return frozenset("asyncio." + name for name in names)


# asyncio re-exports the public names of these submodules: `asyncio.tasks.create_task` is
# `asyncio.create_task`.
SUBMODULES = frozenset(
    {
        "base_events", "base_futures", "base_subprocess", "base_tasks", "coroutines", "events",
        "exceptions", "futures", "locks", "protocols", "queues", "runners", "selector_events",
        "sslproto", "staggered", "streams", "subprocess", "taskgroups", "tasks", "threads",
        "timeouts", "transports", "unix_events", "windows_events",
    }
)  # fmt: skip

# ---------------------------------------------------------------------------------- tasks
TASK_FACTORIES = _asyncio(("create_task", "ensure_future"))
"""Functions that wrap a coroutine in a new task (the event loop keeps only a weak reference)."""
TASK_FACTORY_METHOD = "create_task"
"""The loop (and TaskGroup) method that makes a task."""
SCHEDULING_METHODS = frozenset({TASK_FACTORY_METHOD, "add_task"})
"""Methods that schedule the coroutine object they are handed as a task, whatever the receiver:
a loop's or TaskGroup's `create_task`, sanic's `app.add_task(coro)` (AIO603's task bodies)."""
TASK_STARTER_METHODS = frozenset({"start_soon"})
"""Methods that start the function they are handed (not a coroutine) as a task of a group:
anyio's `tg.start_soon(func, *args)` (and trio's nursery). anyio cancels by cancel scope, level
triggered: a child that swallows the cancellation and returns ends, the scope's host still
sees its own cancellation (checked with anyio 4 on the asyncio backend), so such a function is
an AIO603 task body. `loop.run_in_executor(None, func)` is not one: `func` runs in a thread."""
TASK_STATUS_STARTER = "start"
TASK_STATUS_PARAMETER = "task_status"
"""anyio's `await tg.start(func)` starts `func` as a task that reports readiness through its
`task_status` parameter: a `start` counts only for a function with that parameter."""
TASK_METHODS_RETURNING_NONE = frozenset({"add_done_callback", "set_name"})
"""Task methods that return None: `create_task(c).add_done_callback(f)` still drops the task."""
WEAK_SETS = frozenset({"weakref.WeakSet"})
"""Containers that hold a task without keeping it alive: `refs.add(task)` still drops it."""
TASK_GROUP = "asyncio.TaskGroup"
CREATE_TASK = "asyncio.create_task"
ENSURE_FUTURE = "asyncio.ensure_future"
FUTURE = "asyncio.Future"

# -------------------------------------------------------------------------------- the loop
LOOP_FACTORIES = _asyncio(("get_running_loop", "get_event_loop", "new_event_loop"))
"""Functions that return an event loop."""
LOOP_NAMES = frozenset({"loop", "_loop"})
"""Names code conventionally gives an event loop (`self._loop.create_task(...)`)."""
LOOP_SCHEDULERS = frozenset({"call_soon", "call_later", "call_at"})
"""Loop methods whose callback runs only once the loop gets control (not `call_soon_threadsafe`,
which another thread's loop may run at once)."""
SLEEP = "asyncio.sleep"
LOOP_SETUP = frozenset({"set_event_loop", "new_event_loop", "get_event_loop", "run_until_complete"})
"""Names of calls that set up (or drive) a loop outside `asyncio.run`."""
LOOP_CLEANUP = frozenset({"shutdown_asyncgens", "shutdown_default_executor"})
"""Loop coroutine methods that `asyncio.run` calls at the end."""
NEEDS_RUNNING_LOOP = _asyncio(("create_task", "get_running_loop", "current_task", "ensure_future"))
"""Calls that raise `RuntimeError` when no event loop is running (`ensure_future` of a coroutine)."""
RUN = "asyncio.run"
SET_EVENT_LOOP = "asyncio.set_event_loop"
GET_EVENT_LOOP = "asyncio.get_event_loop"
TEST_CASE = "unittest.TestCase"
"""A plain `unittest.TestCase` runs its fixtures with no event loop running (not
`IsolatedAsyncioTestCase`, whose runner has set its loop by then)."""
TEST_FIXTURE_METHODS = frozenset({"setUp", "tearDown", "setUpClass", "tearDownClass"})
TEST_MODULE_FIXTURES = frozenset({"setUpModule", "tearDownModule"})
NEW_EVENT_LOOP = "asyncio.new_event_loop"

# ----------------------------------------------------------------------------- callbacks
CALLBACK_METHODS = frozenset(
    {
        "call_soon",
        "call_soon_threadsafe",
        "call_later",
        "call_at",
        "add_done_callback",
        "add_signal_handler",
        "add_reader",
        "add_writer",
    }
)
"""Loop and future methods that call a callback and throw its return value away."""
CALLBACK_FUNCTIONS = frozenset({"signal.signal", "atexit.register", "threading.Thread", "threading.Timer"})
"""Functions that call a callback and throw its return value away."""

# ------------------------------------------------------------------- coroutines and futures
COROUTINE_FUNCTIONS = _asyncio(
    (
        "sleep",
        "wait",
        "wait_for",
        "open_connection",
        "start_server",
        "open_unix_connection",
        "start_unix_server",
        "create_subprocess_exec",
        "create_subprocess_shell",
        "to_thread",
        "staggered_race",
    )
)
"""asyncio's module-level coroutine functions: calling one gives a coroutine object."""

FUTURE_FUNCTIONS = _asyncio(
    ("ensure_future", "create_task", "gather", "shield", "wrap_future", "run_coroutine_threadsafe", "Future", "Task")
)
"""Calls that return a future or a task, never a coroutine (`asyncio.wait` accepts them)."""
FUTURE_METHODS = frozenset({"run_in_executor", "create_future", "create_task", "ensure_future", "gather", "shield"})
"""Methods (on a loop, whatever the receiver) that return a future or a task."""

RUNNERS = _asyncio(
    (
        "run",
        "gather",
        "wait",
        "wait_for",
        "shield",
        "create_task",
        "ensure_future",
        "as_completed",
        "run_coroutine_threadsafe",
        "timeout",
        "Task",
        "iscoroutine",
    )
)
"""asyncio APIs that run, schedule or inspect a coroutine handed to them (it is not dropped)."""
RUN_AS_COROUTINE = RUNNERS - _asyncio(("iscoroutine", "timeout"))
"""The `RUNNERS` that run what they are given as a coroutine (a generator handed to one is one)."""
RUNNER_METHODS = frozenset(
    {
        "create_task",
        "ensure_future",
        "run_until_complete",
        "run_coroutine_threadsafe",
        "gather",
        "wait",
        "wait_for",
        "shield",
    }
)
"""Methods that run a coroutine whatever their receiver (a loop, a task group, a module)."""

COROUTINE_ATTRIBUTES = frozenset(
    {
        "send",
        "throw",
        "close",
        "__await__",
        "cr_await",
        "cr_code",
        "cr_frame",
        "cr_running",
        "cr_origin",
        "cr_suspended",
        "__name__",
        "__qualname__",
    }
)
"""Attributes a coroutine object has: reading one is deliberate."""

ASYNC_GENERATOR_ATTRIBUTES = frozenset(
    {"__aiter__", "__anext__", "asend", "athrow", "aclose", "ag_await", "ag_code", "ag_frame", "ag_running"}
)
"""Attributes of an async generator object: reading one says the author knows what the call made
(an `async def` with `yield` the callee oracle took for a coroutine function; httpx's
`auth_flow.__anext__()`)."""

_STREAM_READ = ("read", "readline", "readexactly", "readuntil")
_LOOP_COROUTINES = (
    "sock_recv", "sock_recv_into", "sock_recvfrom", "sock_recvfrom_into", "sock_sendall", "sock_sendto",
    "sock_connect", "sock_accept", "sock_sendfile", "create_connection", "create_server",
    "create_unix_connection", "create_unix_server", "create_datagram_endpoint", "getaddrinfo",
    "getnameinfo", "connect_read_pipe", "connect_write_pipe", "subprocess_exec", "subprocess_shell",
    "shutdown_asyncgens", "shutdown_default_executor", "sendfile", "start_tls",
)  # fmt: skip
_QUEUE = frozenset({"get", "put", "join"})
COROUTINE_METHODS: dict[str, frozenset[str]] = {
    "asyncio.StreamWriter": frozenset({"drain", "wait_closed", "start_tls"}),
    "asyncio.StreamReader": frozenset(_STREAM_READ),
    "asyncio.Queue": _QUEUE,
    "asyncio.PriorityQueue": _QUEUE,
    "asyncio.LifoQueue": _QUEUE,
    "asyncio.Lock": frozenset({"acquire"}),
    "asyncio.Semaphore": frozenset({"acquire"}),
    "asyncio.BoundedSemaphore": frozenset({"acquire"}),
    "asyncio.Event": frozenset({"wait"}),
    "asyncio.Condition": frozenset({"wait", "wait_for", "acquire"}),
    "asyncio.Barrier": frozenset({"wait", "reset", "abort"}),
    "asyncio.subprocess.Process": frozenset({"wait", "communicate"}),
    "asyncio.Process": frozenset({"wait", "communicate"}),
    "asyncio.AbstractEventLoop": frozenset(_LOOP_COROUTINES),
    "asyncio.BaseEventLoop": frozenset(_LOOP_COROUTINES),
}
"""The coroutine methods of asyncio's classes, for receivers whose type is known."""

RETURN_TYPES = {
    "asyncio.get_running_loop": "asyncio.AbstractEventLoop",
    "asyncio.new_event_loop": "asyncio.AbstractEventLoop",
    "asyncio.get_event_loop": "asyncio.AbstractEventLoop",
    "asyncio.create_subprocess_exec": "asyncio.subprocess.Process",
    "asyncio.create_subprocess_shell": "asyncio.subprocess.Process",
}
"""The class of what asyncio functions return, where a rule may call methods on it."""

ASYNC_CONTEXT_PRIMITIVES = _asyncio(("Lock", "Semaphore", "BoundedSemaphore", "Condition"))
"""Synchronization primitives used as `async with x:`. Before 3.9 `with (yield from x):` (or
`with (await x):`) acquired them too; since 3.9 that is a `TypeError`."""
WAIT = "asyncio.wait"
GATHER = "asyncio.gather"
AS_COMPLETED = "asyncio.as_completed"
AS_COMPLETED_YIELDS_INPUTS_SINCE = (3, 13)
"""`async for` over `as_completed()` yields the input futures and tasks themselves (a coroutine
input: the task wrapping it) from 3.13; before, `as_completed()` has no `__aiter__`. A plain `for`
yields new coroutines in every version, which are never any of the inputs."""
WAIT_RETURN_EARLY = _asyncio(("FIRST_COMPLETED", "FIRST_EXCEPTION"))
"""`asyncio.wait(return_when=...)` values that leave tasks pending."""
COLLECTION_FILLERS = frozenset({"append", "add", "extend", "update", "insert"})
"""Methods that put tasks into a list or set without handing the collection to anyone."""

# -------------------------------------------------------------------------- exceptions
CANCELLED_ERROR = "asyncio.CancelledError"
TRIO = "trio"
"""A module that imports trio (and not asyncio) runs under trio: its cancellation is a
`trio.Cancelled` that trio re-delivers at every checkpoint, so a broad handler cannot lose it."""
UNGROUPED_EXCEPTIONS = frozenset(
    {CANCELLED_ERROR, "builtins.KeyboardInterrupt", "builtins.SystemExit", "builtins.GeneratorExit"}
)
"""What a TaskGroup lets through ungrouped (cancellation from outside, interpreter exits)."""
LOGGING_METHODS = frozenset({"debug", "info", "warning", "warn", "error", "exception", "critical", "fatal", "log"})
"""`logger.<method>(...)`: a caught exception passed only to these (`exc_info=exc`) is reported,
not handed on (AIO603)."""
SHIELD = "asyncio.shield"
"""`await asyncio.shield(task)` after `task.cancel()` still waits for the task it cancelled."""
SHOWING_CALLS = frozenset({"builtins.print", "builtins.str", "builtins.repr", "builtins.type", "builtins.format"})
"""Calls that only show a caught exception (or turn it into text for a log line)."""

# ------------------------------------------------------------ deprecated and removed APIs
COROUTINE_DECORATOR = "asyncio.coroutine"
"""`@asyncio.coroutine`: deprecated in 3.8, removed in 3.11."""
COROUTINE_WRAPPERS = frozenset({COROUTINE_DECORATOR, "types.coroutine"})
"""Calls that make a generator function a (generator-based) coroutine function."""
GENERATOR_TYPES = frozenset({"typing.Generator", "collections.abc.Generator"})
"""`Generator[Y, S, R]`, how a generator-based coroutine was annotated: `async def` says only `R`."""
LOOP_PARAMETER_REMOVED_IN = (3, 10)
"""The Python that removed the `loop=` parameter of `LOOP_PARAMETER_APIS` (deprecated in 3.8)."""
LOOP_PARAMETER_APIS = _asyncio(
    (
        "sleep",
        "gather",
        "wait",
        "wait_for",
        "shield",
        "as_completed",
        "Queue",
        "PriorityQueue",
        "LifoQueue",
        "Lock",
        "Event",
        "Condition",
        "Semaphore",
        "BoundedSemaphore",
        "Barrier",
        "open_connection",
        "start_server",
        "open_unix_connection",
        "start_unix_server",
        "create_subprocess_exec",
        "create_subprocess_shell",
    )
)
TASK_CLASSMETHODS_REMOVED_IN = (3, 9)
TASK_CLASSMETHODS = {"asyncio.Task.all_tasks": "all_tasks", "asyncio.Task.current_task": "current_task"}
"""`asyncio.Task.all_tasks()`/`current_task()` (removed in 3.9) -> the module function's name."""
JOINABLE_QUEUE_REMOVED_IN = (3, 5)
JOINABLE_QUEUE = {"asyncio.JoinableQueue": "Queue"}
"""`asyncio.JoinableQueue`, an alias of `Queue` (which has `join()` since 3.4.4), removed in 3.5."""
TIMEOUT_ERROR_ALIAS_SINCE = (3, 11)
TIMEOUT_ERROR_ALIASES = frozenset({"asyncio.TimeoutError"})
TIMEOUT_ERROR_MODULES = frozenset({"asyncio", "asyncio.exceptions"})
"""Modules `TimeoutError` is imported from as the alias."""
"""Since 3.11 the builtin `TimeoutError` is the same class (`asyncio.exceptions.TimeoutError` too)."""
DEPRECATED_IN_314 = (3, 14)
ISCOROUTINEFUNCTION = "asyncio.iscoroutinefunction"
"""Deprecated in 3.14 for `inspect.iscoroutinefunction`."""
POLICY_APIS = _asyncio(
    (
        "get_event_loop_policy",
        "set_event_loop_policy",
        "AbstractEventLoopPolicy",
        "BaseDefaultEventLoopPolicy",
        "DefaultEventLoopPolicy",
        "WindowsSelectorEventLoopPolicy",
        "WindowsProactorEventLoopPolicy",
    )
)
"""The event loop policy system, deprecated in 3.14 (a `loop_factory` replaces it)."""
TO_THREAD_SINCE = (3, 9)
# The third-party `async-timeout` package, kept beside asyncio's own facts: since 3.11 asyncio
# has the same context managers, and AIO310 moves code onto them.
ASYNC_TIMEOUT_SINCE = (3, 11)
ASYNC_TIMEOUT_FUNCTIONS = {"async_timeout.timeout": "timeout", "async_timeout.timeout_at": "timeout_at"}
"""`async_timeout` context managers -> the asyncio function (3.11) taking the same delay or deadline."""
ASYNC_TIMEOUT_LOOP_PARAMETER = "loop"
"""async-timeout before 4.0 took `loop=` (it could only be the running loop: any other raised on entry)."""

# ------------------------------------------------------------------------ blocking calls
BLOCKING_SLEEP = "time.sleep"
_HTTP_VERBS = ("get", "post", "put", "patch", "delete", "head", "options", "request")
BLOCKING_CALLS = frozenset(
    {
        *(f"requests.{verb}" for verb in _HTTP_VERBS),
        *(f"httpx.{verb}" for verb in (*_HTTP_VERBS, "stream")),
        "urllib.request.urlopen",
        *(
            f"subprocess.{name}"
            for name in ("run", "call", "check_call", "check_output", "getoutput", "getstatusoutput", "Popen")
        ),
        "os.system",
        "os.popen",
        *(f"os.{name}" for name in ("wait", "waitpid", "wait3", "wait4", "waitid")),
        "builtins.input",
        "socket.create_connection",
        *(
            f"shutil.{name}"
            for name in (
                "copy",
                "copy2",
                "copyfile",
                "copyfileobj",
                "copytree",
                "copymode",
                "copystat",
                "move",
                "rmtree",
                "make_archive",
                "unpack_archive",
            )
        ),
    }
)
"""Calls that block the thread (network, processes, terminal input, file trees)."""
OPEN_FUNCTIONS = frozenset({"builtins.open", "io.open"})
PATH_TYPES = frozenset({"pathlib.Path", "pathlib.PosixPath", "pathlib.WindowsPath"})
PATH_IO_METHODS = frozenset({"read_text", "write_text", "read_bytes", "write_bytes"})
"""`Path` methods that read or write a whole file."""
PATH_FILESYSTEM_METHODS = frozenset(
    {
        "open", "exists", "is_file", "is_dir", "is_symlink", "stat", "lstat", "unlink", "mkdir",
        "rmdir", "iterdir", "glob", "rglob", "touch", "rename", "replace", "chmod", "samefile",
        "owner", "group", "readlink", "symlink_to", "hardlink_to", "walk",
    }
)  # fmt: skip
"""`Path` methods that ask or change the file system (ruff's ASYNC240 list, and the writes)."""
FILESYSTEM_FUNCTIONS = frozenset(
    {
        *(
            f"os.path.{name}"
            for name in (
                "exists", "lexists", "isfile", "isdir", "islink", "ismount", "getsize", "getmtime",
                "getatime", "getctime", "samefile", "realpath",
            )
        ),
        *(
            f"os.{name}"
            for name in (
                "remove", "unlink", "rename", "renames", "replace", "listdir", "scandir", "walk",
                "makedirs", "mkdir", "rmdir", "removedirs", "stat", "lstat", "chmod", "chown",
                "link", "symlink", "readlink", "truncate", "utime", "access",
            )
        ),
        *(
            f"tempfile.{name}"
            for name in ("TemporaryFile", "NamedTemporaryFile", "TemporaryDirectory", "mkstemp", "mkdtemp")
        ),
    }
)  # fmt: skip
"""File-system calls that block on the disk (metadata, directory listings, renames, temporary files)."""

# ---------------------------------------------------------------------- third-party facts
# The async APIs of widely used asyncio libraries, for the type oracle when the package is not found
# installed where asynclint runs (pre-commit, pipx) or its scan cannot type them (aiofiles makes its
# file methods with `@delegate_to_executor` and picks the file class at run time). An installed
# package's own scan wins wherever it gives an answer. Each fact was read in the package's source
# (aiofiles 25.1.0, aiosqlite 0.22.1, redis 8.1.0, aiohttp 3.14.5) and, but for aiohttp, checked by
# running it. A wrong "coroutine" here is a false alarm in every project using the library: only
# what is a coroutine (or a `collections.abc.Coroutine` wrapping one that never runs unless
# awaited: aiosqlite's `Result`, aiohttp's request context managers) goes in.
_AIOFILES_FILE = "aiofiles.threadpool.AsyncFile"
"""No real class: `aiofiles.open` picks AsyncTextIOWrapper, AsyncBufferedIOBase, AsyncBufferedReader
or AsyncFileIO by the file's mode; every method named here is a coroutine in each that has it."""
_AIOFILES_OPENER = "aiofiles.base.AiofilesContextManager"
_AIOFILES_FILE_METHODS = (
    "close", "flush", "isatty", "peek", "read", "read1", "readall", "readinto", "readline", "readlines",
    "seek", "seekable", "tell", "truncate", "writable", "write", "writelines",
)  # fmt: skip
_AIOFILES_OS = (
    "access", "getcwd", "link", "listdir", "makedirs", "mkdir", "readlink", "remove", "removedirs", "rename",
    "renames", "replace", "rmdir", "scandir", "sendfile", "stat", "statvfs", "symlink", "unlink",
)  # fmt: skip
_AIOFILES_OSPATH = (
    "abspath", "exists", "getatime", "getctime", "getmtime", "getsize", "isdir", "isfile", "islink",
    "ismount", "samefile", "sameopenfile",
)  # fmt: skip
_AIOSQLITE_CONNECTION = (
    "backup", "close", "commit", "create_function", "cursor", "enable_load_extension", "execute",
    "execute_fetchall", "execute_insert", "executemany", "executescript", "interrupt", "load_extension",
    "rollback", "set_authorizer", "set_progress_handler", "set_trace_callback",
)  # fmt: skip
"""Not `iterdump`: an async generator (iterated, never awaited)."""
_AIOSQLITE_CURSOR = ("close", "execute", "executemany", "executescript", "fetchall", "fetchmany", "fetchone")
_AIOSQLITE_RESULT = "aiosqlite.context.Result"
"""What `@contextmanager` methods return: awaitable, an async context manager, a wrapped coroutine."""

_REDIS = ("redis.asyncio.Redis", "redis.asyncio.StrictRedis", "redis.asyncio.client.Redis")
_REDIS_PIPELINES = ("redis.asyncio.client.Pipeline",)
_REDIS_COMMANDS = (
    "aclose", "append", "blpop", "brpop", "close", "dbsize", "decr", "decrby", "delete", "eval", "evalsha",
    "exists", "expire", "expireat", "flushall", "flushdb", "get", "getdel", "getex", "getset", "hdel",
    "hexists", "hget", "hgetall", "hincrby", "hkeys", "hlen", "hmget", "hset", "hvals", "incr", "incrby",
    "info", "initialize", "keys", "llen", "lpop", "lpush", "lrange", "lrem", "ltrim", "mget", "mset",
    "persist", "pexpire", "ping", "psetex", "pttl", "publish", "rename", "rpop", "rpush", "sadd", "scan",
    "scard", "set", "setex", "setnx", "sismember", "smembers", "srem", "strlen", "ttl", "type", "unlink",
    "xack", "xadd", "xlen", "xread", "xreadgroup", "zadd", "zcard", "zincrby", "zrange", "zrangebyscore",
    "zrem", "zscore",
)  # fmt: skip
"""The most used commands of `redis.asyncio.Redis` (redis 8.1.0, each called and checked to give a
coroutine): plain `def`s returning `self.execute_command(...)`, an `async def` on this client. Not
`pipeline`, `pubsub`, `lock`, `monitor` (plain) nor `scan_iter` (an async generator)."""
_REDIS_PIPELINE = ("aclose", "execute", "reset")
"""A pipeline's commands are buffered (they return the pipeline) or, after `watch()`, run at once:
never a fact. Only `execute`, `reset` and `aclose` are always coroutines."""

_AIOHTTP_SESSIONS = ("aiohttp.ClientSession", "aiohttp.client.ClientSession")
_AIOHTTP_SESSION = ("close", "delete", "get", "head", "options", "patch", "post", "put", "request", "ws_connect")
"""aiohttp 3.14.5's `ClientSession`: `close` is an `async def`; the request methods return a
`_BaseRequestContextManager`, a `collections.abc.Coroutine` wrapping `self._request(...)`, so a bare
`session.get(url)` never sends the request."""

THIRD_PARTY_COROUTINE_FUNCTIONS = frozenset(
    {
        *(f"aiofiles.os.{name}" for name in _AIOFILES_OS),
        *(f"{module}.{name}" for module in ("aiofiles.ospath", "aiofiles.os.path") for name in _AIOFILES_OSPATH),
    }
)
"""Third-party coroutine functions (aiofiles.os's are `wrap(os.remove)`: an `async def` wrapper)."""

THIRD_PARTY_COROUTINE_METHODS: dict[str, frozenset[str]] = {
    _AIOFILES_FILE: frozenset(_AIOFILES_FILE_METHODS),
    **{
        f"aiofiles.threadpool.{module}.{cls}": frozenset(_AIOFILES_FILE_METHODS)
        for module, classes in (
            ("text", ("AsyncTextIOWrapper", "AsyncTextIndirectIOWrapper")),
            ("binary", ("AsyncBufferedIOBase", "AsyncBufferedReader", "AsyncFileIO")),
            ("binary", ("AsyncIndirectBufferedIOBase", "AsyncIndirectBufferedReader", "AsyncIndirectFileIO")),
        )
        for cls in classes
    },
    **{cls: frozenset(_AIOSQLITE_CONNECTION) for cls in ("aiosqlite.Connection", "aiosqlite.core.Connection")},
    **{cls: frozenset(_AIOSQLITE_CURSOR) for cls in ("aiosqlite.Cursor", "aiosqlite.cursor.Cursor")},
}
"""The coroutine methods of third-party classes (by every name they are imported as)."""
THIRD_PARTY_COROUTINE_METHODS.update(
    {
        **{cls: frozenset(_REDIS_COMMANDS) for cls in _REDIS},
        **{cls: frozenset(_REDIS_PIPELINE) for cls in _REDIS_PIPELINES},
        **{cls: frozenset(_AIOHTTP_SESSION) for cls in _AIOHTTP_SESSIONS},
    }
)

_OPENED = (_AIOFILES_OPENER, _AIOFILES_FILE)
_CONNECTED = ("aiosqlite.Connection", "aiosqlite.Connection")
_CURSOR = (_AIOSQLITE_RESULT, "aiosqlite.Cursor")
THIRD_PARTY_RETURN_TYPES: dict[str, tuple[str | None, str | None]] = {
    "aiofiles.open": _OPENED,
    "aiofiles.threadpool.open": _OPENED,
    "aiosqlite.connect": _CONNECTED,
    "aiosqlite.core.connect": _CONNECTED,
    **{
        f"{cls}.{method}": _CURSOR
        for cls in ("aiosqlite.Connection", "aiosqlite.core.Connection")
        for method in ("cursor", "execute", "executemany", "executescript")
    },
    **{
        f"{cls}.{method}": (None, "aiosqlite.Cursor")
        for cls in ("aiosqlite.Cursor", "aiosqlite.cursor.Cursor")
        for method in ("execute", "executemany", "executescript")
    },
}
"""Function or `Class.method` -> (the class of the call's value, of its awaited value)."""
THIRD_PARTY_RETURN_TYPES.update(
    {
        **dict.fromkeys(
            (*_REDIS, "redis.asyncio.from_url", "redis.asyncio.utils.from_url"), ("redis.asyncio.Redis", None)
        ),
        **{f"{cls}.from_url": ("redis.asyncio.Redis", None) for cls in _REDIS},
        **{f"{cls}.pipeline": ("redis.asyncio.client.Pipeline", None) for cls in _REDIS},
        **dict.fromkeys(_AIOHTTP_SESSIONS, ("aiohttp.ClientSession", None)),
    }
)

THIRD_PARTY_ENTERED_TYPES = {
    _AIOFILES_OPENER: _AIOFILES_FILE,
    _AIOSQLITE_RESULT: "aiosqlite.Cursor",
    "aiosqlite.Connection": "aiosqlite.Connection",
    "aiosqlite.core.Connection": "aiosqlite.Connection",
    "aiosqlite.Cursor": "aiosqlite.Cursor",
    "aiosqlite.cursor.Cursor": "aiosqlite.Cursor",
}
"""What `async with x as y` binds to `y` for a third-party class's `x`."""
THIRD_PARTY_ENTERED_TYPES.update(
    {
        **dict.fromkeys(_REDIS, "redis.asyncio.Redis"),
        **dict.fromkeys(_REDIS_PIPELINES, _REDIS_PIPELINES[0]),
        **dict.fromkeys(_AIOHTTP_SESSIONS, "aiohttp.ClientSession"),
    }
)
