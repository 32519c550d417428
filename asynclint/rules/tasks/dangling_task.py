from __future__ import annotations

from typing import TYPE_CHECKING, Any

from asynclint.asyncio_api import (
    CALLBACK_METHODS,
    ENSURE_FUTURE,
    TASK_FACTORIES,
    TASK_FACTORY_METHOD,
    TASK_METHODS_RETURNING_NONE,
    WEAK_SETS,
)
from asynclint.rule import FixAvailability, FixFacts, ImportRequest, Rule, Safety

if TYPE_CHECKING:
    import libcst as cst
else:
    from asynclint._lazy import cst

_SET_BASE = "_background_tasks"


class DanglingTask(Rule):
    """Flags tasks created with `asyncio.create_task()` and friends whose result nobody keeps.

    ## What it does
    Reports `asyncio.create_task(...)`, `asyncio.ensure_future(...)` and `<loop>.create_task(...)`
    (a loop from `get_running_loop()`, `get_event_loop()`, `new_event_loop()`, or a variable or
    attribute named `loop`/`_loop`) whose task is thrown away: an expression statement (also inside
    a conditional expression or a list/set comprehension used as a statement), a chained
    `.add_done_callback(...)`, an assignment to `_` or to a local (annotated or not) that is read
    only to add done-callbacks or to put it in a `weakref.WeakSet` (neither keeps it alive), a
    `weak_refs.add(...)` of the call itself, or the value
    of a `lambda` given as a callback to `call_soon`, `call_later`, `call_at`, `add_done_callback`,
    `add_signal_handler`, `add_reader` or `add_writer`. `tg.create_task(...)` on a `TaskGroup` is
    not reported: the group keeps its tasks.

    ## Why is this bad?
    The event loop keeps only a weak reference to its tasks. A task that nothing else refers to
    can be garbage-collected before it finishes ("Task was destroyed but it is pending!"), and any
    exception it raises is never seen.

    ## Example
    ```python
    import asyncio

    async def main():
        asyncio.create_task(send_report())
    ```

    ## Use instead
    ```python
    import asyncio
    from typing import Any

    _background_tasks: set[asyncio.Task[Any]] = set()

    async def main():
        task = asyncio.create_task(send_report())
        _background_tasks.add(task)
        task.add_done_callback(_background_tasks.discard)
    ```

    ## Fix safety
    Safe. The fix follows the asyncio documentation: it keeps a strong reference in a module-level
    set (one per module, reused by later fixes) and removes it when the task is done, so the task
    lives exactly as long as it runs. The set is annotated for type checkers
    (`set[asyncio.Task[Any]]`, quoted for targets before 3.9, adding `from typing import Any`; left
    unannotated where `Any` means something else) and declared after the module's last opening
    import, those in `try`/`if` blocks included, so no import below it becomes E402. Suppressions
    the kept task makes stale leave the rewritten line (`# noqa: RUF006`, `# noqa: F841` for a
    variable that is now read, `# type: ignore[unused-awaitable]`); other codes on it stay. Nothing
    new runs and no suspension point is added. Tasks in conditional expressions, comprehensions,
    lambdas and a `WeakSet`'s `add(...)` are reported without a fix, because keeping them needs a
    restructuring that a person should choose.
    """

    CODE = "AIO101"
    NAME = "dangling-task"
    SINCE = "0.1.0"
    EQUIVALENTS = ("ruff RUF006",)
    TRIGGERS = (("create_task", "ensure_future"),)
    MESSAGE = "Task from `{func}()` is not kept and can be garbage-collected while running"
    FIX = FixFacts(
        title="Keep a reference to the task in a module-level set until it is done",
        availability=FixAvailability.SOMETIMES,
        safety=Safety.SAFE,
    )

    def visit_Call(self, node: cst.Call) -> None:
        func = self._task_factory(node)
        if func is None:
            return
        site = self._discarded(node)
        if site is None:
            return
        kind, statement = site
        fix = self._fix(node, kind, statement) if statement is not None else None
        self.report(node, fix=fix, func=func)

    # -- detection ------------------------------------------------------------------------
    def _task_factory(self, node: cst.Call) -> str | None:
        qualified = self.sem.qualified_name(node.func)
        if qualified in TASK_FACTORIES:
            if qualified == ENSURE_FUTURE and self._wraps_a_kept_future(node):
                return None
            return qualified
        func = node.func
        if (
            isinstance(func, cst.Attribute)
            and func.attr.value == TASK_FACTORY_METHOD
            and self.sem.is_event_loop(func.value)
        ):
            return "loop.create_task"
        return None

    def _wraps_a_kept_future(self, call: cst.Call) -> bool:
        """`ensure_future(task)` of a future or task that is kept elsewhere: it returns that same
        object, so dropping the result drops nothing (a coroutine would get a new task)."""
        if not call.args or call.args[0].keyword is not None or call.args[0].star:
            return False
        argument = call.args[0].value
        if not isinstance(argument, cst.Name):
            return False
        binding = self.sem.binding(argument)
        if binding is None or not binding.values:
            return False
        if any(self.sem.is_coroutine_call(v) for v in binding.values):
            return False  # `c = fetch(); ensure_future(c)`: a new task
        # Also read elsewhere (`refs.add(task)`, `return task`): the object is kept, and if it is
        # a future the result is that same object.
        return any(read is not argument for read in self.sem.reads_of(binding))

    def _discarded(self, call: cst.Call) -> tuple[str, Any] | None:
        """(how the task is dropped, the small statement to rewrite or None when not fixable)."""
        parent_of = self.sem.parent
        node: Any = call
        parent = parent_of(node)
        while isinstance(parent, cst.IfExp) and parent.test is not node:
            node, parent = parent, parent_of(parent)
        in_conditional = node is not call
        if isinstance(parent, cst.Expr):
            return ("statement", None if in_conditional else parent)
        if isinstance(parent, (cst.ListComp, cst.SetComp)) and parent.elt is node:
            return ("comprehension", None) if isinstance(parent_of(parent), cst.Expr) else None
        if isinstance(parent, cst.Lambda):
            return ("lambda", None) if self._is_ignored_callback(parent) else None
        if in_conditional:
            return None
        if (
            isinstance(parent, cst.Attribute)
            and parent.value is call
            and parent.attr.value in TASK_METHODS_RETURNING_NONE
        ):
            chained = parent_of(parent)
            if isinstance(chained, cst.Call) and chained.func is parent and isinstance(parent_of(chained), cst.Expr):
                return ("chained", parent_of(chained))
            return None
        if isinstance(parent, cst.Arg) and self._weakly_kept(call, parent):
            return ("weak", None)
        if isinstance(parent, cst.Assign) and len(parent.targets) == 1:
            return self._unused_target(parent, parent.targets[0].target)
        if isinstance(parent, cst.AnnAssign):
            return self._unused_target(parent, parent.target)
        return None

    def _unused_target(self, statement: Any, target: Any) -> tuple[str, Any] | None:
        if not isinstance(target, cst.Name):
            return None
        if target.value == "_":
            return ("underscore", statement)
        binding = self.sem.binding(target)
        if binding is None or not binding.is_local or binding.declared:
            return None  # module and class attributes live on; globals are read elsewhere
        if not all(self._keeps_nothing(read) for read in self.sem.reads_of(binding)):
            return None
        return ("unread", statement)

    def _keeps_nothing(self, read: cst.Name) -> bool:
        """A read that leaves the task unreferenced: `task.add_done_callback(f)` (the task refers
        to its callbacks, not they to it) or `weak_refs.add(task)` as statements."""
        parent = self.sem.parent(read)
        if isinstance(parent, cst.Attribute) and parent.value is read:
            call = self.sem.parent(parent)
            return (
                parent.attr.value in TASK_METHODS_RETURNING_NONE
                and isinstance(call, cst.Call)
                and call.func is parent
                and isinstance(self.sem.parent(call), cst.Expr)
            )
        return isinstance(parent, cst.Arg) and self._weakly_kept(read, parent)

    def _weakly_kept(self, value: Any, arg: cst.Arg) -> bool:
        """`refs.add(value)` as a statement, `refs` only ever a `weakref.WeakSet()`."""
        call = self.sem.parent(arg)
        if not (
            isinstance(call, cst.Call)
            and len(call.args) == 1
            and call.args[0] is arg
            and arg.keyword is None
            and not arg.star
            and isinstance(call.func, cst.Attribute)
            and call.func.attr.value == "add"
            and isinstance(self.sem.parent(call), cst.Expr)
        ):
            return False
        values = self.sem.values_of(call.func.value)
        return bool(values) and all(
            isinstance(v, cst.Call) and self.sem.qualified_name(v.func) in WEAK_SETS for v in values or ()
        )

    def _is_ignored_callback(self, lam: cst.Lambda) -> bool:
        arg = self.sem.parent(lam)
        call = self.sem.parent(arg)
        return (
            isinstance(arg, cst.Arg)
            and isinstance(call, cst.Call)
            and isinstance(call.func, cst.Attribute)
            and call.func.attr.value in CALLBACK_METHODS
        )

    # -- fix ------------------------------------------------------------------------------
    def _fix(self, call: cst.Call, kind: str, statement: Any) -> Any:
        keeper = self._keeper_set()
        if kind == "unread":
            target: Any = statement.targets[0].target if isinstance(statement, cst.Assign) else statement.target
            task = target.value
            new = [statement]
        else:
            task = self.sem.fresh_name("task", statement)
            new = [cst.Assign(targets=[cst.AssignTarget(target=cst.Name(task))], value=call)]
        new += [
            self.sem.parse_small_statement(f"{keeper}.add({task})"),
            self.sem.parse_small_statement(f"{task}.add_done_callback({keeper}.discard)"),
        ]
        if kind == "chained":
            new.append(statement.with_changes(value=statement.value.deep_replace(call, cst.Name(task))))
        declaration, imports = self._keeper_declaration(keeper, statement)
        return self.make_fix(
            Safety.SAFE,
            [self._replace_small_statement(statement, new, kind)],
            imports,
            module_statements=(declaration,),
        )

    def _fresh_comment(self, line: Any, kind: str) -> Any:
        """The line's trailing comment without the suppressions the fix made stale: ruff's RUF006
        and mypy's `unused-awaitable` (the task is kept now), F841 (the variable is read now)."""
        trailing = line.trailing_whitespace
        if trailing.comment is None:
            return trailing
        noqa = {"RUF006", "F841"} if kind == "unread" else {"RUF006"}
        comment = self.sem.without_codes(trailing.comment.value, noqa, {"unused-awaitable"})
        if comment == trailing.comment.value:
            return trailing
        if comment is None:
            return trailing.with_changes(whitespace=cst.SimpleWhitespace(""), comment=None)
        return trailing.with_changes(comment=cst.Comment(comment))

    def _keeper_declaration(self, keeper: str, at: Any) -> tuple[str, tuple[ImportRequest, ...]]:
        """`_background_tasks: set[asyncio.Task[Any]] = set()` (mypy asks for the annotation),
        quoted where the target's `set` cannot be subscripted (before 3.9); unannotated when the
        names it needs are taken by something else."""
        asyncio, needs_asyncio = self.sem.module_alias("asyncio", at)
        any_binding = self.sem.binding_at("Any", self.sem.module_scope.node)
        any_is_typing = any_binding is None or self.sem.import_targets_of(any_binding) == {"typing.Any"}
        if asyncio is None or not any_is_typing:
            return f"{keeper} = set()", ()
        annotation = f"set[{asyncio}.Task[Any]]"
        if self.sem.target_at(at) < (3, 9):
            annotation = f'"{annotation}"'
        imports = [ImportRequest("typing", "Any")]
        if needs_asyncio:
            imports.append(ImportRequest("asyncio"))
        return f"{keeper}: {annotation} = set()", tuple(imports)

    def _keeper_set(self) -> str:
        """The module's existing `_background_tasks = set()`, or a fresh name for a new one."""
        for binding in self.sem.bindings_in(self.sem.module_scope):
            name, values = binding.name, binding.values
            if (
                name.startswith(_SET_BASE)
                and binding.assignments == 1
                and len(values) == 1
                and isinstance(values[0], cst.Call)
                and isinstance(values[0].func, cst.Name)
                and values[0].func.value == "set"
                and not values[0].args
            ):
                return name
        return self.sem.fresh_name(_SET_BASE)

    def _replace_small_statement(self, statement: Any, new: list[Any], kind: str) -> tuple[Any, Any]:
        line = self.sem.parent(statement)
        if isinstance(line, cst.SimpleStatementLine) and len(line.body) == 1:
            # One statement per line: keep the original line's comment and blank lines on the first.
            first = line.with_changes(body=[new[0]], trailing_whitespace=self._fresh_comment(line, kind))
            rest = [cst.SimpleStatementLine(body=[s]) for s in new[1:]]
            return line, cst.FlattenSentinel([first, *rest])
        return statement, cst.FlattenSentinel(new)
