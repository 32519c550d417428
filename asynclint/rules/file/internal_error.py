from __future__ import annotations

from asynclint.rule import Rule


class InternalError(Rule):
    """Reported by the engine when asynclint itself failed on a file.

    ## What it does
    Reports that a rule crashed on this file (the message names the rule and the exception), that
    the fixes produced code that libcst cannot parse, or that does not compile while the original
    does (the file is then left unchanged), or that the worker analysing the file died or ran past
    the per-file time limit. The run goes on with the other rules and files, and the exit code is 2.
    A file that cannot be analysed is AIO001, and one whose fixes cannot be written back is AIO003.

    ## Why is this bad?
    It is a bug in asynclint (or libcst), never in your code: please report it with the file.

    ## Example
    ```python
    # any file on which a rule crashes
    ```

    ## Use instead
    ```python
    # nothing to change in your code; report the crash
    ```

    ## Fix safety
    No fix.
    """

    CODE = "AIO002"
    NAME = "internal-error"
    SINCE = "0.1.0"
    MESSAGE = "asynclint failed on this file: {reason}"
