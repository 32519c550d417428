"""flake8 face: `flake8 --select AIO`.  Reports only: fixes need the original bytes (the CLI's job).

flake8 hands plugins the file's lines with newlines normalized and the BOM stripped; that text is
linted as is.  flake8 applies its own selection and per-file-ignores, so the plugin runs every
rule and leaves filtering to flake8, with one exception: an opt-in rule runs only when its full
code is named in `select`/`extend-select` (flake8 would enable it for `--select AIO`, the CLI
would not; this keeps the two faces in agreement).  Opt-in codes are also added to flake8's
default ignore list, so a plain `flake8` run leaves them off.

Suppression comments are asynclint's own on top of flake8's (unless `--disable-noqa`), so every
comment the CLI honours works here too: flake8 compares `# noqa:` codes case-sensitively, and
knows nothing of `# asynclint: noqa`.

The rest of the settings (target version, blocking calls) come from the same loader as the CLI's:
a broken `[tool.asynclint]` or a bad `--asynclint-target-version` is a flake8 usage error (exit 2,
argparse's usage line and one `flake8: error: ...` line), never a silent fallback to defaults.
"""

from __future__ import annotations

import argparse
import ast
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from asynclint import __version__
from asynclint.config import ConfigError, Settings, load_settings, parse_target


def _target(value: str) -> tuple[int, int]:
    """argparse type of --asynclint-target-version: flake8 applies it to config-file values too."""
    try:
        return parse_target(value, where="")
    except ConfigError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


if TYPE_CHECKING:
    from asynclint.semantic.project import ProjectIndex


class Plugin:
    name = "asynclint"
    version = __version__

    _settings: Settings | None = None
    _noqa = True

    def __init__(self, tree: ast.AST, lines: list[str], filename: str) -> None:
        self.lines = lines
        self.filename = filename

    @classmethod
    def add_options(cls, option_manager: Any) -> None:
        from asynclint.registry import all_rules

        option_manager.add_option(
            "--asynclint-target-version",
            default=None,
            type=_target,
            parse_from_config=True,
            help="Python version the checked code must run on, e.g. py310 (default: asynclint's "
            "config, else requires-python, else py310)",
        )
        option_manager.add_option(
            "--asynclint-blocking-calls",
            default=[],
            parse_from_config=True,
            comma_separated_list=True,
            help="extra dotted names of blocking functions for AIO202, comma separated",
        )
        opt_in = [rule.CODE for rule in all_rules() if not rule.DEFAULT]
        if opt_in:
            option_manager.extend_default_ignore(opt_in)

    @classmethod
    def parse_options(cls, option_manager: Any, options: Any, filenames: Sequence[str]) -> None:
        try:
            base = load_settings(Path.cwd())
        except ConfigError as error:
            option_manager.parser.error(f"asynclint: {error}")
        target = options.asynclint_target_version
        blocking = tuple(options.asynclint_blocking_calls or ()) or base.blocking_calls
        named = {code.strip().upper() for code in (*(options.select or ()), *(options.extend_select or ()))}
        cls._noqa = not options.disable_noqa
        cls._settings = Settings(
            extend_select=tuple(code for code in _opt_in_codes() if code in named),
            target_version=target or base.target_version,
            blocking_calls=blocking,
            test_paths=base.test_paths,
            root=base.root,
        )

    def run(self) -> Iterator[tuple[int, int, str, type]]:
        from asynclint.engine import lint_text

        settings = self._settings or Settings()
        text = "".join(self.lines)
        project = _project_index().view(self.filename)
        for d in lint_text(text, settings, self.filename, noqa=self._noqa, project=project):
            yield d.line, d.column - 1, f"{d.code} {d.message}", type(self)


def _opt_in_codes() -> tuple[str, ...]:
    from asynclint.registry import all_rules

    return tuple(rule.CODE for rule in all_rules() if not rule.DEFAULT)


_INDEX: list[ProjectIndex] = []


def _project_index() -> ProjectIndex:
    """The project index of this flake8 run: flake8 makes a plugin instance per file, and a
    process (each of its `--jobs` workers) lives for one run."""
    if not _INDEX:
        from asynclint.semantic.project import ProjectIndex

        _INDEX.append(ProjectIndex())
    return _INDEX[0]
