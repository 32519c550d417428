from __future__ import annotations

from typing import TYPE_CHECKING, Any

from asynclint.asyncio_api import AS_COMPLETED, AS_COMPLETED_YIELDS_INPUTS_SINCE
from asynclint.rule import FixAvailability, FixFacts, Rule, Safety

if TYPE_CHECKING:
    import libcst as cst
else:
    from asynclint._lazy import cst


class AsCompletedOrdered(Rule):
    """Flags code that pairs `asyncio.as_completed()` results with its inputs by position.

    ## What it does
    Reports `asyncio.as_completed(...)` when its results are matched to the inputs as if they came
    back in input order:
    - `zip(inputs, asyncio.as_completed(aws))` (pairing with `itertools.count()` is fine);
    - `for i, fut in enumerate(asyncio.as_completed(aws)):` whose body indexes something with `i`
      (`urls[i]`, `results[i] = ...`): `i` counts completions (0 for the first to finish), it is
      not the position of `fut`'s input; an `i` only printed or counted is fine;
    - a list collected in completion order (`[await f for f in as_completed(aws)]`, or a loop
      appending `await f`) that the function then zips with something or indexes.
    Not reported: results that carry their own key (`name, size = await fut`) and are used
    through it.

    Also reported, at the lookup: in `for fut in asyncio.as_completed(tasks):` (or `for i, fut in
    enumerate(asyncio.as_completed(tasks)):`), looking `fut` up
    among the inputs (`tasks[fut]`, `tasks.pop(fut)`, `fut in tasks`, `next(k for k, v in
    tasks.items() if v is fut)`, `if task == fut` in a loop over `tasks`). A plain `for` yields
    new coroutines in every Python version, never one of the inputs, so the lookup never matches
    (`KeyError`, `ValueError`, `None`). From Python 3.13, `async for` over `as_completed()`
    yields the input futures and tasks themselves; that is not reported.

    ## Why is this bad?
    `as_completed()` yields awaitables in the order the work *finishes*, not the order it was
    given. Pairing by position attributes each result to the wrong input as soon as one
    finishes out of order, silently. And what a plain `for` gets is a new awaitable for "the
    next one to finish" (unlike `concurrent.futures.as_completed()`, which yields its inputs),
    so mapping it back to its input by identity fails.

    ## Example
    ```python
    import asyncio

    async def size(url):
        await asyncio.sleep(len(url) / 100)
        return len(url)

    async def main(urls):
        sizes = [await f for f in asyncio.as_completed([size(u) for u in urls])]
        return dict(zip(urls, sizes))
    ```

    ## Use instead
    ```python
    import asyncio

    async def size(url):
        await asyncio.sleep(len(url) / 100)
        return len(url)

    async def main(urls):
        sizes = await asyncio.gather(*[size(u) for u in urls])
        return dict(zip(urls, sizes))
    ```

    ## Fix safety
    Unsafe, and only when the loop does nothing but collect results: the list comprehension
    becomes `await asyncio.gather(...)`, the appending loop `results.extend(await
    asyncio.gather(...))`. `gather()` keeps argument order, so the pairing is right, but results
    are now all available at once instead of one by one, and the first error propagates the same
    way while the other awaitables keep running. No fix with `timeout=`, or where results are used
    inside the loop.

    For a lookup, when the target is Python 3.13 or later, the loop is in a coroutine and the
    inputs are a container built once from task or future calls (`{asyncio.create_task(...): u
    for u in urls}`): unsafe, `for` becomes `async for`, which yields the input tasks, so the
    lookup now matches and the code after it runs for the first time; `await fut` still gives
    the result, and a `timeout=` now raises from the loop header instead of from `await fut`.
    No fix otherwise (coroutine inputs come back wrapped in new tasks).
    """

    CODE = "AIO502"
    NAME = "as-completed-ordered"
    SINCE = "0.4.0"
    TRIGGERS = (("as_completed",),)
    MESSAGE = "`asyncio.as_completed()` {what}"
    FIX = FixFacts(
        title="Collect the results with `asyncio.gather()`, which keeps input order",
        availability=FixAvailability.SOMETIMES,
        safety=Safety.UNSAFE,
    )

    def visit_Call(self, node: cst.Call) -> None:
        if self.sem.qualified_name(node.func) != AS_COMPLETED:
            return
        arg = self.sem.parent(node)
        call = self.sem.parent(arg) if isinstance(arg, cst.Arg) else None
        if isinstance(call, cst.Call):
            called = self.sem.qualified_name(call.func)
            if called == "builtins.zip" and self._zipped_with_inputs(call, arg):
                self.report(node, what=_COMPLETION_ORDER)
            elif called == "builtins.enumerate" and arg is call.args[0]:
                index = self._index_addresses(call)
                if index is not None:
                    self.report(node, what=_ENUMERATED.format(index=index))
                    return
                loop = self.sem.parent(call)
                if isinstance(loop, cst.For) and loop.iter is call and loop.asynchronous is None:
                    lookup = self._lookup_among_inputs(node, loop, _enumerated_target(loop.target))
                    if lookup is not None:  # no fix: `async for` cannot go through `enumerate()`
                        self.report(lookup, what=_NEVER_MATCHES)
            return
        lookup = self._lookup_among_inputs(node)
        if lookup is not None:
            self.report(lookup, fix=self._async_for_fix(node), what=_NEVER_MATCHES)
            return
        collected = self._collected(node)
        if collected is None:
            return
        results, statement = collected
        if self._used_by_position(results, statement):
            self.report(node, fix=self._fix(node, statement), what=_COMPLETION_ORDER)

    # -- uses ------------------------------------------------------------------------------
    def _zipped_with_inputs(self, zipped: cst.Call, own: Any) -> bool:
        others = [a for a in zipped.args if a is not own]
        if not others:
            return False
        # `zip(itertools.count(1), as_completed(...))` numbers results as they come: fine.
        return not all(
            isinstance(a.value, cst.Call) and self.sem.qualified_name(a.value.func) == "itertools.count" for a in others
        )

    def _index_addresses(self, enumerated: cst.Call) -> str | None:
        """The index `i` of `for i, f in enumerate(as_completed(...))` when the body indexes with it."""
        loop = self.sem.parent(enumerated)
        if not isinstance(loop, cst.For) or loop.iter is not enumerated:
            return None
        target = loop.target
        if not isinstance(target, cst.Tuple) or not isinstance(target.elements[0].value, cst.Name):
            return None
        index = target.elements[0].value.value
        found = any(self._indexes_with(node, index) for node in self.sem.descendants(loop.body))
        return index if found else None

    def _indexes_with(self, node: Any, index: str) -> bool:
        if not isinstance(node, cst.Subscript):
            return False
        value = self.sem.single_index(node)
        return isinstance(value, cst.Name) and value.value == index

    def _collected(self, call: cst.Call) -> tuple[str, Any] | None:
        """(results name, the collecting statement) for `r = [await f for f in as_completed(...)]`
        and `for f in as_completed(...): r.append(await f)`."""
        parent = self.sem.parent(call)
        if isinstance(parent, cst.CompFor) and parent.iter is call and parent.inner_for_in is None and not parent.ifs:
            comprehension = self.sem.parent(parent)
            assign = self.sem.parent(comprehension)
            if (
                isinstance(comprehension, cst.ListComp)
                and self._awaits_target(comprehension.elt, parent.target)
                and isinstance(assign, cst.Assign)
                and len(assign.targets) == 1
                and isinstance(assign.targets[0].target, cst.Name)
            ):
                return assign.targets[0].target.value, comprehension
            return None
        if (
            isinstance(parent, cst.For)
            and parent.iter is call
            and parent.asynchronous is None
            and parent.orelse is None
        ):
            body = parent.body.body
            if len(body) != 1 or not isinstance(body[0], cst.SimpleStatementLine) or len(body[0].body) != 1:
                return None
            small = body[0].body[0]
            value = small.value if isinstance(small, cst.Expr) else None
            if (
                isinstance(value, cst.Call)
                and isinstance(value.func, cst.Attribute)
                and value.func.attr.value == "append"
                and isinstance(value.func.value, cst.Name)
                and len(value.args) == 1
                and self._awaits_target(value.args[0].value, parent.target)
            ):
                return value.func.value.value, parent
        return None

    @staticmethod
    def _awaits_target(expression: Any, target: Any) -> bool:
        return (
            isinstance(expression, cst.Await)
            and isinstance(expression.expression, cst.Name)
            and isinstance(target, cst.Name)
            and expression.expression.value == target.value
        )

    def _used_by_position(self, results: str, statement: Any) -> bool:
        """Is the collected list zipped with something or indexed later in the function?"""
        function = self.sem.enclosing_function(statement)
        if function is None:
            return False
        start = self.sem.order(statement)
        for read in self.sem.binding_in(function, results).reads:
            if self.sem.order(read) < start or self.sem.is_inside(read, statement):
                continue
            parent = self.sem.parent(read)
            if isinstance(parent, cst.Arg):
                zipped = self.sem.parent(parent)
                if (
                    isinstance(zipped, cst.Call)
                    and self.sem.qualified_name(zipped.func) == "builtins.zip"
                    and len(zipped.args) > 1
                ):
                    return True
            if (
                isinstance(parent, cst.Subscript)
                and parent.value is read
                and isinstance(self.sem.single_index(parent), cst.Name)
            ):
                return True
        return False

    # -- looking the yielded awaitable up among the inputs --------------------------------
    def _lookup_among_inputs(self, call: cst.Call, loop: Any = None, target: Any = None) -> Any:
        """In `for fut in as_completed(tasks):` (or `for i, fut in enumerate(as_completed(tasks)):`,
        given its `loop` and `fut` as `target`), the first lookup of `fut` among `tasks` (by
        identity or equality: `tasks[fut]`, `tasks.pop(fut)`, `fut in tasks`, `v is fut` over
        `tasks.items()`), which can never match: a plain `for` yields new coroutines."""
        if loop is None:
            loop = self.sem.parent(call)
            if not isinstance(loop, cst.For) or loop.iter is not call or loop.asynchronous is not None:
                return None
            target = loop.target
        if not isinstance(target, cst.Name) or len(call.args) < 1 or call.args[0].keyword or call.args[0].star:
            return None
        inputs = self._container(call.args[0].value)
        if inputs is None:
            return None
        name = target.value
        reads = []
        for node in self.sem.descendants(loop.body):
            if isinstance(node, cst.Name) and node.value == name:
                if self.sem.is_store(node):
                    return None  # `fut` rebound in the body: later reads may be anything
                if self.sem.is_reference(node):
                    reads.append(node)
        return next((read for read in reads if self._looks_up(read, inputs, loop)), None)

    def _container(self, expression: Any) -> str | None:
        """The source of the container `expression` goes over: `tasks` for `tasks`,
        `tasks.values()`, `list(tasks)`; None for anything else (a literal, a comprehension)."""
        while isinstance(expression, cst.Call):
            func = expression.func
            if isinstance(func, cst.Attribute) and func.attr.value in _VIEWS and not expression.args:
                expression = func.value
            elif self.sem.qualified_name(func) in _COPIES and len(expression.args) == 1:
                expression = expression.args[0].value
            else:
                return None
        if isinstance(expression, cst.Name) or (
            isinstance(expression, cst.Attribute) and isinstance(expression.value, cst.Name)
        ):
            return self.sem.code_for(expression)
        return None

    def _looks_up(self, read: Any, inputs: str, loop: cst.For) -> bool:
        parent = self.sem.parent(read)
        code = self.sem.code_for
        if isinstance(parent, cst.Index):
            subscript = self.sem.parent(self.sem.parent(parent))
            return (
                isinstance(subscript, cst.Subscript)
                and self.sem.single_index(subscript) is read
                and code(subscript.value) == inputs
            )
        if isinstance(parent, cst.Arg) and parent.keyword is None and not parent.star:
            called = self.sem.parent(parent)
            func = called.func if isinstance(called, cst.Call) else None
            return (
                isinstance(func, cst.Attribute)
                and func.attr.value in _LOOKUP_METHODS
                and called.args[0] is parent
                and self._container(func.value) == inputs
            )
        if isinstance(parent, cst.Comparison) and parent.left is read and len(parent.comparisons) == 1:
            target = parent.comparisons[0]
            if isinstance(target.operator, (cst.In, cst.NotIn)):
                return self._container(target.comparator) == inputs
            return self._compared_with_input(target.comparator, inputs, loop)
        if isinstance(parent, cst.ComparisonTarget) and parent.comparator is read:
            comparison = self.sem.parent(parent)
            if len(comparison.comparisons) == 1:
                return self._compared_with_input(comparison.left, inputs, loop)
        return False

    def _compared_with_input(self, other: Any, inputs: str, loop: cst.For) -> Any:
        """`v is fut` / `v == fut` where `v` is a target of a loop or comprehension over the inputs
        (inside the `as_completed` loop)."""
        if not isinstance(other, cst.Name):
            return False
        comparison = self.sem.parent(other)
        if isinstance(comparison, cst.ComparisonTarget):
            comparison = self.sem.parent(comparison)
        operator = comparison.comparisons[0].operator
        if not isinstance(operator, (cst.Is, cst.IsNot, cst.Equal, cst.NotEqual)):
            return False
        for ancestor in self.sem.ancestors(other):
            if ancestor is loop:
                return False
            over = [ancestor] if isinstance(ancestor, cst.For) else []
            if isinstance(ancestor, (cst.GeneratorExp, cst.ListComp, cst.SetComp, cst.DictComp)):
                for_in: Any = ancestor.for_in
                while for_in is not None:
                    over.append(for_in)
                    for_in = for_in.inner_for_in
            for each in over:
                targets = each.target.elements if isinstance(each.target, cst.Tuple) else [each.target]
                if any(isinstance(t, cst.Element) and _is_name(t.value, other.value) for t in targets) or (
                    _is_name(each.target, other.value)
                ):
                    return self._container(each.iter) == inputs
        return False

    def _async_for_fix(self, call: cst.Call) -> Any:
        """From 3.13, `async for` yields the inputs themselves, so the lookup matches when they are
        futures or tasks (a coroutine input comes back as a new task: no fix)."""
        loop = self.sem.parent(call)
        if self.sem.target_at(loop) < AS_COMPLETED_YIELDS_INPUTS_SINCE or self.sem.enclosing_coroutine(loop) is None:
            return None
        if self.sem.in_generator_expression(loop) or not self._holds_futures(call.args[0].value):
            return None
        return self.make_fix(
            Safety.UNSAFE,
            [(loop, loop.with_changes(asynchronous=cst.Asynchronous()))],
            title="Iterate with `async for`, which yields the input tasks (Python 3.13+)",
        )

    def _holds_futures(self, expression: Any) -> bool:
        """Is the container built once from task or future calls (`{asyncio.create_task(...): x}`)?"""
        while isinstance(expression, cst.Call) and isinstance(expression.func, cst.Attribute):
            expression = expression.func.value  # `tasks.keys()`
        if not isinstance(expression, cst.Name):
            return False
        binding = self.sem.binding(expression)
        value = binding.value if binding is not None else None
        if isinstance(value, cst.DictComp):
            return self.sem.is_future_call(value.key)
        if isinstance(value, (cst.ListComp, cst.SetComp)):
            return self.sem.is_future_call(value.elt)
        if isinstance(value, (cst.List, cst.Set)):
            return bool(value.elements) and all(self.sem.is_future_call(e.value) for e in value.elements)
        return False

    # -- fix -------------------------------------------------------------------------------
    def _fix(self, call: cst.Call, statement: Any) -> Any:
        if len(call.args) != 1 or call.args[0].keyword is not None or call.args[0].star:
            return None
        gather = self.sem.module_attribute(call, "asyncio", "gather")
        if gather is None:
            return None
        func, imports = gather
        source = call.args[0].value
        if isinstance(source, (cst.List, cst.Tuple)) and not any(
            isinstance(e, cst.StarredElement) for e in source.elements
        ):
            args = [cst.Arg(value=e.value) for e in source.elements]
        else:
            args = [cst.Arg(value=source, star="*")]
        gathered = cst.Await(expression=cst.Call(func=func, args=args))
        if isinstance(statement, cst.ListComp):
            return self.make_fix(Safety.UNSAFE, [(statement, gathered)], imports=imports)
        append = statement.body.body[0].body[0].value
        extend = append.with_changes(
            func=append.func.with_changes(attr=cst.Name("extend")), args=[cst.Arg(value=gathered)]
        )
        line = statement.body.body[0].with_changes(body=[cst.Expr(value=extend)], leading_lines=statement.leading_lines)
        if statement.body.header.comment is not None:  # keep the `for` line's comment
            line = line.with_changes(trailing_whitespace=statement.body.header)
        return self.make_fix(Safety.UNSAFE, [(statement, line)], imports=imports)


_COMPLETION_ORDER = "yields in completion order, not in input order"
_ENUMERATED = (
    "yields in completion order: the `enumerate()` index `{index}` counts completions, it is not the input's position"
)
_NEVER_MATCHES = "yields new awaitables, not its inputs: this lookup never matches"
_VIEWS = frozenset({"values", "keys", "items", "copy"})
_COPIES = frozenset({"builtins.list", "builtins.tuple", "builtins.set", "builtins.frozenset", "builtins.sorted"})
_LOOKUP_METHODS = frozenset({"get", "pop", "index", "remove", "discard", "count", "setdefault"})
"""Container methods that look their first argument up by equality (identity for futures)."""


def _enumerated_target(target: Any) -> Any:
    """`fut` of `for i, fut in enumerate(...)` (None for any other target)."""
    if isinstance(target, cst.Tuple) and len(target.elements) == 2 and isinstance(target.elements[1], cst.Element):
        return target.elements[1].value
    return None


def _is_name(node: Any, name: str) -> bool:
    return isinstance(node, cst.Name) and node.value == name
