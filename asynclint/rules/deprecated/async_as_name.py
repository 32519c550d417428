from __future__ import annotations

from asynclint.rule import FixAvailability, FixFacts, Rule, Safety


class AsyncAsName(Rule):
    """Reported by the engine when `async` is used as a plain name, a syntax error since 3.7.

    ## What it does
    Reports `async` used where Python 3.7 and later see a keyword: `asyncio.async(coro)` (the old
    spelling of `asyncio.ensure_future`), an attribute, function, parameter or keyword argument
    named `async`. Such a file cannot be parsed at all, so asynclint finds these sites with a
    token-level pre-step before libcst; once the `asyncio.async(` calls are renamed, the file's
    other rules run on it as usual (AIO001 is reported only when the file still does not parse).
    Under flake8 the file is E999 and no plugin runs on it: use `asynclint check` or `fix`.

    ## Why is this bad?
    Since Python 3.7 `async` is a reserved keyword: the module fails to import with a
    `SyntaxError`, and every migration tool that parses it gives up on the whole file.

    ## Example
    ```python
    import asyncio

    def start(coro):
        return asyncio.async(coro)
    ```

    ## Use instead
    ```python
    import asyncio

    def start(coro):
        return asyncio.ensure_future(coro)
    ```

    ## Fix safety
    Safe for `asyncio.async(`: `ensure_future` is the same function under its later name (added
    in 3.4.4, when `async` was deprecated). Other names called `async` are reported without a fix:
    renaming a parameter, attribute or function changes an interface that callers use.
    """

    CODE = "AIO311"
    NAME = "async-as-name"
    SINCE = "0.5.0"
    TRIGGERS = (("async",),)
    MESSAGE = "`async` is a keyword since Python 3.7: {what} is a syntax error"
    FIX = FixFacts(
        title="Replace with `asyncio.ensure_future(`", availability=FixAvailability.SOMETIMES, safety=Safety.SAFE
    )
