from __future__ import annotations

from typing import TYPE_CHECKING, Any

from asynclint.asyncio_api import TASK_GROUP, UNGROUPED_EXCEPTIONS
from asynclint.rule import FixAvailability, FixFacts, Rule, Safety
from asynclint.rules.cancellation._groups import group_misuses

if TYPE_CHECKING:
    import libcst as cst
else:
    from asynclint._lazy import cst

# Handlers for these still run around a TaskGroup: they catch the group itself, or TaskGroup
# lets them through ungrouped (cancellation from outside, KeyboardInterrupt, SystemExit).
_CATCH_GROUP = frozenset(
    {"builtins.Exception", "builtins.BaseException", "builtins.ExceptionGroup", "builtins.BaseExceptionGroup"}
)
_GROUP_TYPES = frozenset({"builtins.ExceptionGroup", "builtins.BaseExceptionGroup"})


class TaskgroupExcept(Rule):
    """Flags `except SomeError:` around a `TaskGroup`, which only ever raises exception groups.

    ## What it does
    Reports the handlers of a `try:` whose body is an `async with asyncio.TaskGroup()` block when
    they name plain exception types (`except ValueError:`, `except (KeyError, OSError):`). Not
    reported: `except*` handlers, `except Exception`/`BaseException`/`ExceptionGroup` (they catch
    the group), `except asyncio.CancelledError`, `KeyboardInterrupt` and `SystemExit` (which a
    TaskGroup lets through ungrouped), and a `try` whose body does other work that could raise
    the plain exception itself.

    ## Why is this bad?
    When a task of the group (or the block itself) raises, the TaskGroup cancels the rest and
    raises an `ExceptionGroup` holding the errors. `except ValueError:` does not match an
    `ExceptionGroup`, so the handler never runs and the error escapes.

    ## Example
    ```python
    import asyncio

    async def parse(text):
        return int(text)

    async def main():
        try:
            async with asyncio.TaskGroup() as tg:
                tg.create_task(parse("x"))
        except ValueError:
            print("bad input")
    ```

    ## Use instead
    ```python
    import asyncio

    async def parse(text):
        return int(text)

    async def main():
        try:
            async with asyncio.TaskGroup() as tg:
                tg.create_task(parse("x"))
        except* ValueError:
            print("bad input")
    ```

    ## Fix safety
    Unsafe: the fix turns every handler of that `try` into an `except*` handler, so a handler
    can now run once for the matching part of a group while the rest propagates, and a name
    bound with `as` is now the group. It is offered only when every handler can be converted:
    each names a type (no bare `except:`), none names an exception group (a `TypeError` in
    `except*`), none names `CancelledError`, `KeyboardInterrupt` or `SystemExit` (`except*` would
    re-raise them wrapped in a group, so a cancelled task would end with an error instead), none
    contains `return`, `break` or `continue` (a `SyntaxError` in `except*`),
    none reads an attribute from its `as` name that groups lack; and only when the target is
    Python 3.11 or newer.
    """

    CODE = "AIO602"
    NAME = "taskgroup-except"
    SINCE = "0.4.0"
    TRIGGERS = (("TaskGroup",),)
    NEEDS_COROUTINE = True
    MESSAGE = "`except {type}` never runs: a TaskGroup raises an ExceptionGroup"
    FIX = FixFacts(
        title="Use `except*` for every handler of this `try`",
        availability=FixAvailability.SOMETIMES,
        safety=Safety.UNSAFE,
    )

    def visit_Try(self, node: cst.Try) -> None:
        if not self._only_a_taskgroup(node.body.body):
            return
        dead = [handler for handler in node.handlers if self._never_runs(handler)]
        if not dead:
            return
        fix = self._fix(node)
        for handler in dead:
            if handler.type is not None:  # a dead handler names a type
                self.report(handler.type, fix=fix, type=self.sem.code_for(handler.type))

    # -- detection ------------------------------------------------------------------------
    def _only_a_taskgroup(self, statements: Any) -> bool:
        """Is the try body a TaskGroup block and nothing else that could raise on its own?"""
        groups = 0
        for statement in statements:
            if isinstance(statement, cst.With) and statement.asynchronous is not None:
                first = statement.items[0].item
                if isinstance(first, cst.Call) and self.sem.qualified_name(first.func) == TASK_GROUP:
                    groups += 1
                    continue
            if not self._inert(statement):
                return False
        return groups > 0

    def _inert(self, statement: Any) -> bool:
        if not isinstance(statement, cst.SimpleStatementLine):
            return False
        for small in statement.body:
            if isinstance(small, cst.Pass):
                continue
            if isinstance(small, cst.Expr) and isinstance(small.value, (cst.SimpleString, cst.ConcatenatedString)):
                continue
            if isinstance(small, cst.Assign) and all(isinstance(t.target, cst.Name) for t in small.targets):
                if isinstance(small.value, (cst.Name, cst.BaseNumber, cst.SimpleString)) or (
                    isinstance(small.value, (cst.List, cst.Dict, cst.Set, cst.Tuple)) and not small.value.elements
                ):
                    continue
            return False
        return True

    def _never_runs(self, handler: cst.ExceptHandler) -> bool:
        if handler.type is None:
            return False
        kinds = self._kinds(handler.type)
        return kinds is not None and all(kind == "plain" for kind in kinds)

    def _kinds(self, expression: Any) -> list[str] | None:
        """ "plain" / "group" / "ungrouped" for each type a handler names; None when unknown."""
        kinds = []
        for element in self.sem.handler_types(expression):
            if isinstance(element, cst.StarredElement) or not isinstance(element, (cst.Name, cst.Attribute)):
                return None
            qualified = self.sem.qualified_name(element)
            if qualified is None:
                qualified = self._local_class(element)
                if qualified is None:
                    return None
            if qualified in _CATCH_GROUP or qualified.endswith("ExceptionGroup"):
                kinds.append("group")
            elif qualified in UNGROUPED_EXCEPTIONS:
                kinds.append("ungrouped")
            else:
                kinds.append("plain")
        return kinds

    def _local_class(self, element: Any) -> str | None:
        """A class of this module: "ExceptionGroup" when it derives from a group, else its name."""
        if not isinstance(element, cst.Name):
            return None
        binding = self.sem.binding(element)
        classes = binding.class_definitions if binding is not None else []
        if not classes:
            return None
        for base in classes[0].bases:
            name = self.sem.dotted_name(base.value) or ""
            if name.endswith("ExceptionGroup") or not name:
                return "ExceptionGroup"  # a group subclass, or a base we cannot read: assume it may be
        return element.value

    # -- fix ------------------------------------------------------------------------------
    def _fix(self, node: cst.Try) -> Any:
        if self.sem.target_at(node) < (3, 11):
            return None
        handlers = []
        for handler in node.handlers:
            if handler.type is None or self.sem.jumps_out(handler.body):
                return None
            kinds = self._kinds(handler.type)
            if kinds is None or "ungrouped" in kinds:
                return None  # `except* CancelledError: raise` would re-raise cancellation inside a group
            if any(self.sem.qualified_name(t) in _GROUP_TYPES for t in self.sem.handler_types(handler.type)):
                return None
            if any(self._local_class(t) == "ExceptionGroup" for t in self.sem.handler_types(handler.type)):
                return None
            if group_misuses(self.sem, handler):
                return None
            handlers.append(
                cst.ExceptStarHandler(
                    body=handler.body,
                    type=handler.type,
                    name=handler.name,
                    leading_lines=handler.leading_lines,
                    whitespace_after_except=cst.SimpleWhitespace(""),
                    whitespace_after_star=handler.whitespace_after_except
                    if handler.whitespace_after_except.value
                    else cst.SimpleWhitespace(" "),
                    whitespace_before_colon=handler.whitespace_before_colon,
                )
            )
        replacement = cst.TryStar(
            body=node.body,
            handlers=handlers,
            orelse=node.orelse,
            finalbody=node.finalbody,
            leading_lines=node.leading_lines,
            whitespace_before_colon=node.whitespace_before_colon,
        )
        return self.make_fix(Safety.UNSAFE, [(node, replacement)])
