from __future__ import annotations

from typing import TYPE_CHECKING, Any

from asynclint.asyncio_api import AS_COMPLETED
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
      (`urls[i]`, `results[i] = ...`); an `i` only printed or counted is fine;
    - a list collected in completion order (`[await f for f in as_completed(aws)]`, or a loop
      appending `await f`) that the function then zips with something or indexes.
    Not reported: results that carry their own key (`name, size = await fut`) and are used
    through it.

    ## Why is this bad?
    `as_completed()` yields awaitables in the order the work *finishes*, not the order it was
    given. Pairing by position attributes each result to the wrong input as soon as one
    finishes out of order, silently.

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
    """

    CODE = "AIO502"
    NAME = "as-completed-ordered"
    SINCE = "0.4.0"
    TRIGGERS = (("as_completed",),)
    MESSAGE = "`asyncio.as_completed()` yields in completion order, not in input order"
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
                self.report(node)
            elif called == "builtins.enumerate" and self._index_addresses(call):
                self.report(node)
            return
        collected = self._collected(node)
        if collected is None:
            return
        results, statement = collected
        if self._used_by_position(results, statement):
            self.report(node, fix=self._fix(node, statement))

    # -- uses ------------------------------------------------------------------------------
    def _zipped_with_inputs(self, zipped: cst.Call, own: Any) -> bool:
        others = [a for a in zipped.args if a is not own]
        if not others:
            return False
        # `zip(itertools.count(1), as_completed(...))` numbers results as they come: fine.
        return not all(
            isinstance(a.value, cst.Call) and self.sem.qualified_name(a.value.func) == "itertools.count" for a in others
        )

    def _index_addresses(self, enumerated: cst.Call) -> bool:
        """`for i, f in enumerate(as_completed(...))` whose body indexes with `i`."""
        loop = self.sem.parent(enumerated)
        if not isinstance(loop, cst.For) or loop.iter is not enumerated:
            return False
        target = loop.target
        if not isinstance(target, cst.Tuple) or not isinstance(target.elements[0].value, cst.Name):
            return False
        index = target.elements[0].value.value
        return any(self._indexes_with(node, index) for node in self.sem.descendants(loop.body))

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
