from __future__ import annotations

from asynclint.rule import Rule


class UnanalysableFile(Rule):
    """Reported by the engine when a file cannot be analysed at all.

    ## What it does
    Reports, once per file and instead of any other finding, a file asynclint could not analyse:
    a syntax error (with CPython's own message and position), bytes that are not text in the
    file's declared encoding, a binary file, valid Python that libcst's parser rejects (such as
    `(x): int = 1`), code nested too deeply to analyse (CPython's own parser is asked first: it
    refuses more than 200 nested brackets, and libcst would need gigabytes for such code), a
    statement too large to analyse, or a file that needs more memory than a worker may use. It
    counts as a finding (exit code 1), and `fix` leaves such a file untouched. Code for a newer
    Python than the one running asynclint is analysed when libcst can parse it. Under flake8, a
    file flake8 itself cannot parse gets flake8's `E999` instead.

    ## Why is this bad?
    Nothing in the file was checked, so a clean result would be a lie. Say so, and go on with the
    other files.

    ## Example
    ```python
    (x): int = 1
    ```

    ## Use instead
    ```python
    x: int = 1
    ```

    ## Fix safety
    No fix: the file has to be repaired by hand (or excluded with `per-file-ignores`).
    """

    CODE = "AIO001"
    NAME = "unanalysable-file"
    SINCE = "0.1.0"
    MESSAGE = "file could not be analysed: {reason}"
