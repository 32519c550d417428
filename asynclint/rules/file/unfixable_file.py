from __future__ import annotations

from asynclint.rule import Rule


class UnfixableFile(Rule):
    """Reported by the engine when a file's findings have fixes that cannot be applied to it.

    ## What it does
    Reports, once per file and beside its other findings, that asynclint analysed the file but
    cannot write fixes back into it, because libcst does not reproduce it exactly: a last line of
    only spaces, a lone carriage return in a comment, old Mac (CR-only) line endings, or a form
    feed in the indentation. Only files with a finding that would otherwise be fixed get it; those
    findings are then not marked `[*]` in `check`, and `fix` leaves the file untouched. It counts
    as a finding (exit code 1), not as an internal error.

    ## Why is this bad?
    `fix` would silently change nothing, or change bytes you did not ask it to touch. Say so, so
    the fixes can be applied by hand or the file normalised first.

    ## Example
    ```python
    import time

    async def main():
        time.sleep(1)
    # and then a last line of only spaces, without a newline
    ```

    ## Use instead
    ```python
    import asyncio

    async def main():
        await asyncio.sleep(1)
    ```

    ## Fix safety
    No fix: normalise the file (strip trailing whitespace, use `\\n` or `\\r\\n` line endings,
    indent without form feeds), then run `asynclint fix` again.
    """

    CODE = "AIO003"
    NAME = "unfixable-file"
    SINCE = "0.1.0"
    MESSAGE = "file cannot be fixed: {reason}"
