"""libcst codemod commands: one per fixable rule (`DanglingTaskCommand`, ...) plus `FixAllCommand`.

    python -m libcst.tool codemod -x asynclint.codemod.DanglingTaskCommand --no-format src/
    python -m libcst.tool codemod -x asynclint.codemod.FixAllCommand --no-format --unsafe-fixes src/

or, with `modules: [asynclint]` in `.libcst.codemod.yaml`, `codemod codemod.FixAllCommand src/`.
They run the very engine `asynclint fix` runs (same fixes, safety, target version, re-parse and
compile checks), so the two never disagree; the output is exact, so pass `--no-format`.
libcst.tool reads each file as bytes and writes `Module.bytes`, which encodes `Module.encoding`
(the PEP 263 cookie, or `utf-8-sig` for a BOM): the fixed module carries the input's encoding,
so a latin-1, cp1252 or BOM file comes back byte for byte as `asynclint fix` writes it.
Settings come from the project's `[tool.asynclint]` (found from the working directory), and
`--unsafe-fixes` / `--target-version` override them.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import libcst as cst
from libcst.codemod import CodemodCommand, CodemodContext, SkipFile

from asynclint.config import ConfigError, load_settings, parse_target
from asynclint.engine import Action, Request, process
from asynclint.registry import all_rules
from asynclint.rule import FixFacts, Rule
from asynclint.semantic.project import ProjectIndex


class RuleCodemod(CodemodCommand):
    """Applies the fixes of `RULE` (or, with RULE None, of every selected rule)."""

    RULE: type[Rule] | None = None
    DESCRIPTION = "Apply asynclint's fixes."

    @staticmethod
    def add_args(arg_parser: argparse.ArgumentParser) -> None:
        arg_parser.add_argument("--unsafe-fixes", action="store_true", help="also apply unsafe fixes")
        arg_parser.add_argument(
            "--target-version", type=_target_version, default=None, help="Python the code must run on, e.g. py310"
        )

    def __init__(self, context: CodemodContext, unsafe_fixes: bool = False, target_version: str | None = None) -> None:
        super().__init__(context)
        try:
            settings = load_settings(Path.cwd())
            target = parse_target(target_version, "--target-version") if target_version else None
        except ConfigError as error:
            # libcst's runner turns an Exception here into a traceback per file; SystemExit (not an
            # Exception) stops the whole command before any file is written, with this one line.
            raise SystemExit(f"asynclint: error: {error}") from None
        if self.RULE is not None:
            settings = settings.with_selection(select=(self.RULE.CODE,))
        self.settings = settings.with_overrides(unsafe_fixes=True if unsafe_fixes else None, target_version=target)
        self.project = ProjectIndex()  # for every file this command instance transforms

    def transform_module_impl(self, tree: cst.Module) -> cst.Module:
        filename = self.context.filename
        request = Request(tree.code, self.settings, filename, action=Action.FIX, project=self.project.view(filename))
        outcome = process(request)
        for d in outcome.diagnostics:
            if d.code in ("AIO001", "AIO002", "AIO003"):
                self.warn(f"{d.code} {d.message}")
        if outcome.new is None:
            return tree
        try:
            outcome.new.encode(tree.encoding)
        except UnicodeEncodeError as error:  # as `asynclint fix` does: leave the file as it is
            raise SkipFile(f"fixed code cannot be encoded as {tree.encoding} ({error})") from None
        # A module parsed from text is UTF-8; the file's own encoding (and BOM) must be kept.
        return cst.parse_module(outcome.new).with_changes(encoding=tree.encoding)


def _target_version(value: str) -> str:
    """Checked while libcst.tool parses its arguments: a bad value is a one-line usage error
    before any file is touched, not a traceback per file."""
    try:
        parse_target(value)
    except ConfigError:
        raise argparse.ArgumentTypeError(f"expected a version like 'py310' or 'py311', got {value!r}") from None
    return value


def _command(rule: type[Rule], fix: FixFacts) -> type[RuleCodemod]:
    name = f"{rule.__name__}Command"
    namespace: dict[str, Any] = {
        "RULE": rule,
        "DESCRIPTION": f"{rule.CODE} {rule.NAME}: {fix.title}",
        "__module__": __name__,
        "__qualname__": name,
        "__doc__": f"Apply the fixes of {rule.CODE} ({rule.NAME}).",
    }
    return type(name, (RuleCodemod,), namespace)


class FixAllCommand(RuleCodemod):
    """Apply the fixes of every selected asynclint rule."""

    DESCRIPTION = "Apply the fixes of every selected asynclint rule (safe ones unless --unsafe-fixes)."


COMMANDS: dict[str, type[RuleCodemod]] = {"FixAllCommand": FixAllCommand}
for _rule in all_rules():
    if _rule.FIX is not None:
        COMMANDS[f"{_rule.__name__}Command"] = _command(_rule, _rule.FIX)
globals().update(COMMANDS)
# AIO309's codemod before the rule was split (`deprecated-in-3-14`): the split kept its fixes.
DeprecatedIn314Command = COMMANDS["AsyncioIscoroutinefunctionCommand"]
