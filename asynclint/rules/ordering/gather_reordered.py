from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from asynclint.asyncio_api import GATHER, TASK_FACTORIES
from asynclint.rule import FixAvailability, FixFacts, Rule, Safety

if TYPE_CHECKING:
    import libcst as cst
else:
    from asynclint._lazy import cst


class GatherReordered(Rule):
    """Flags re-sorting `asyncio.gather()` results back into the order they were submitted in.

    ## What it does
    Reports `results.sort()` and `sorted(results)` in the function that got `results` from
    `await asyncio.gather(...)`, when the sort key is the submission position: each gathered call
    is handed the `enumerate()` or `range()` index of a comprehension, the (same-module) coroutine
    or method (`self.fetch(i, url)`) returns that index in a tuple, and the sort orders by that
    tuple element (no key: the first one; `key=lambda r: r[0]`; `key=operator.itemgetter(0)`); or
    the key looks the result's input up among the inputs the comprehension went over
    (`key=lambda r: urls.index(r[1])`, `key=lambda page: urls.index(page.url)`), with or without an
    index. Sorting by anything the coroutine computed (a score, a size, a name) is not reported.

    ## Why is this bad?
    `asyncio.gather()` returns its results in the order of its arguments, however the tasks
    finish. The position bookkeeping and the sort are dead weight that suggest the opposite to the
    next reader, and cost an `O(n log n)` pass over the results.

    ## Example
    ```python
    import asyncio

    async def fetch(i, url):
        await asyncio.sleep(0)
        return i, url.upper()

    async def main(urls):
        results = await asyncio.gather(*(fetch(i, url) for i, url in enumerate(urls)))
        results.sort()
        return [body for _, body in results]
    ```

    ## Use instead
    ```python
    import asyncio

    async def fetch(i, url):
        await asyncio.sleep(0)
        return i, url.upper()

    async def main(urls):
        results = await asyncio.gather(*(fetch(i, url) for i, url in enumerate(urls)))
        return [body for _, body in results]
    ```

    ## Fix safety
    Unsafe: the fix drops the sort (`results.sort()` is removed; `sorted(results, ...)` becomes
    `results`, the same list rather than a copy). That keeps the behaviour only as long as the
    coroutine really returns the index it was given, which asynclint checked in this version of
    the code; the position bookkeeping is left for a person to remove.
    """

    CODE = "AIO501"
    NAME = "gather-reordered"
    SINCE = "0.4.0"
    TRIGGERS = (("gather",), ("sort",))
    NEEDS_COROUTINE = True
    MESSAGE = "`asyncio.gather()` already keeps argument order: this sort is redundant"
    FIX = FixFacts(title="Drop the sort", availability=FixAvailability.SOMETIMES, safety=Safety.UNSAFE)

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if isinstance(func, cst.Attribute) and func.attr.value == "sort" and isinstance(func.value, cst.Name):
            results, keywords = func.value, node.args
            if any(arg.keyword is None for arg in keywords):
                return
        elif self.sem.qualified_name(func) == "builtins.sorted" and node.args and node.args[0].keyword is None:
            results, keywords = cast(Any, node.args[0].value), node.args[1:]
            if not isinstance(results, cst.Name):
                return
        else:
            return
        if any(arg.keyword is not None and arg.keyword.value == "reverse" for arg in keywords):
            return
        key = next((arg.value for arg in keywords if arg.keyword is not None and arg.keyword.value == "key"), None)
        gathered = self._gathered_calls(results, node)
        if gathered is None:
            return
        call, index_name, inputs = gathered
        if not self._sorts_by_position(key, call, index_name, inputs):
            return
        self.report(node, fix=self._fix(node, results, key))

    # -- what was gathered -----------------------------------------------------------------
    def _gathered_calls(self, results: cst.Name, sort: cst.Call) -> tuple[cst.Call, str | None, Any] | None:
        """(the gathered call, the index variable it gets or None, the inputs iterated) or None."""
        function = self.sem.enclosing_function(results)
        binding = self.sem.binding(results)
        if function is None or binding is None or binding.scope is not function:
            return None
        values = binding.values
        # `results = sorted(results)` is the one other binding allowed.
        others = [v for v in values if v is not sort]
        if len(others) != 1 or binding.assignments != len(values):
            return None
        value = others[0]
        if not isinstance(value, cst.Await) or not isinstance(value.expression, cst.Call):
            return None
        gather = value.expression
        if self.sem.qualified_name(gather.func) != GATHER or len(gather.args) != 1 or gather.args[0].star != "*":
            return None
        source = gather.args[0].value
        if isinstance(source, cst.Name):  # `tasks = [...]` then `gather(*tasks)`
            bound = self.sem.binding_in(function, source.value)
            if bound.assignments != 1 or len(bound.values) != 1:
                return None
            source = bound.values[0]
        if not isinstance(source, (cst.GeneratorExp, cst.ListComp)) or source.for_in.inner_for_in is not None:
            return None
        element = source.elt
        if isinstance(element, cst.Call) and self.sem.qualified_name(element.func) in TASK_FACTORIES and element.args:
            element = element.args[0].value
        if not isinstance(element, cst.Call):
            return None
        index = self._index_variable(source.for_in)
        if index is None:
            # `for url in urls`: no position is handed on, but a key can still look it up.
            if isinstance(source.for_in.target, cst.Name):
                return element, None, source.for_in.iter
            return None
        return element, index[0], index[1]

    def _index_variable(self, for_in: cst.CompFor) -> tuple[str, Any] | None:
        """`for i, x in enumerate(xs)` -> ("i", xs); `for i in range(len(xs))` -> ("i", xs)."""
        iterable = for_in.iter
        if not isinstance(iterable, cst.Call) or not iterable.args:
            return None
        called = self.sem.qualified_name(iterable.func)
        target = for_in.target
        if called == "builtins.enumerate" and isinstance(target, cst.Tuple) and len(target.elements) == 2:
            first = target.elements[0].value
            if isinstance(first, cst.Name) and len(iterable.args) == 1:
                return first.value, iterable.args[0].value
        if called == "builtins.range" and isinstance(target, cst.Name) and len(iterable.args) == 1:
            bound = iterable.args[0].value
            inputs = None
            if isinstance(bound, cst.Call) and self.sem.qualified_name(bound.func) == "builtins.len" and bound.args:
                inputs = bound.args[0].value
            return target.value, inputs
        return None

    # -- the sort key ----------------------------------------------------------------------
    def _sorts_by_position(self, key: Any, call: cst.Call, index: str | None, inputs: Any) -> bool:
        if key is not None and self._looks_up_position(key, inputs):
            return True
        element = self._key_element(key)
        if element is None or index is None:
            return False
        position = self._argument_position(call, index)
        if position is None:
            return False
        return self._returned_parameter(call, position, element)

    def _key_element(self, key: Any) -> int | None:
        """Which tuple element the sort orders by: 0 without a key, `r[k]`, `itemgetter(k)`."""
        if key is None:
            return 0
        if isinstance(key, cst.Lambda) and len(key.params.params) == 1:
            param = key.params.params[0].name.value
            body = key.body
            if isinstance(body, cst.Subscript) and isinstance(body.value, cst.Name) and body.value.value == param:
                index = self.sem.single_index(body)
                return int(index.value) if isinstance(index, cst.Integer) else None
            return None
        if (
            isinstance(key, cst.Call)
            and self.sem.qualified_name(key.func) == "operator.itemgetter"
            and len(key.args) == 1
        ):
            value = key.args[0].value
            return int(value.value) if isinstance(value, cst.Integer) else None
        return None

    def _looks_up_position(self, key: Any, inputs: Any) -> bool:
        """`key=lambda r: urls.index(...)` where `urls` are the enumerated inputs."""
        if inputs is None or not isinstance(key, cst.Lambda):
            return False
        body = key.body
        code = self.sem.code_for
        if not (
            isinstance(body, cst.Call)
            and isinstance(body.func, cst.Attribute)
            and body.func.attr.value == "index"
            and code(body.func.value) == code(inputs)
            and len(key.params.params) == 1
        ):
            return False
        # The looked-up value comes from the result (`urls.index(r.url)`), not a constant.
        param = key.params.params[0].name.value
        return any(
            isinstance(node, cst.Name) and node.value == param
            for arg in body.args
            for node in (arg.value, *self.sem.descendants(arg.value))
        )

    @staticmethod
    def _argument_position(call: cst.Call, index: str) -> int | str | None:
        for position, arg in enumerate(call.args):
            if isinstance(arg.value, cst.Name) and arg.value.value == index and not arg.star:
                return arg.keyword.value if arg.keyword is not None else position
        return None

    def _returned_parameter(self, call: cst.Call, position: int | str, element: int) -> bool:
        """Does the coroutine `call` calls return, at tuple `element`, the parameter at `position`?"""
        definition = self.sem.called_definition(call.func)
        if definition is None:
            return False
        if definition.asynchronous is None or definition.decorators:
            return False
        params = list(definition.params.posonly_params) + list(definition.params.params)
        if isinstance(call.func, cst.Attribute):
            params = params[1:]  # `self.fetch(i, url)`: the method's first parameter is `self`
        if isinstance(position, int):
            if position >= len(params):
                return False
            parameter = params[position].name.value
        else:
            parameter = position
            if parameter not in {p.name.value for p in (*params, *definition.params.kwonly_params)}:
                return False
        returns = [n for n in self.sem.descendants(definition.body, into_scopes=False) if isinstance(n, cst.Return)]
        if not returns:
            return False
        for statement in returns:
            value = statement.value
            if not isinstance(value, cst.Tuple) or element >= len(value.elements):
                return False
            item = value.elements[element].value
            if not (isinstance(item, cst.Name) and item.value == parameter):
                return False
        body_scope = self.sem.scope_of(returns[0].value)
        return self.sem.binding_in(body_scope, parameter).assignments == 1  # the parameter is never reassigned

    # -- fix -------------------------------------------------------------------------------
    def _fix(self, node: cst.Call, results: cst.Name, key: Any) -> Any:
        fix = self._edit(node, results)
        if fix is None:
            return None
        drop = self.sem.import_of(self.sem.root_name(key.func)) if isinstance(key, cst.Call) else None
        return self.make_fix(Safety.UNSAFE, [fix], drop_imports=(drop,) if drop else ())

    def _edit(self, node: cst.Call, results: cst.Name) -> tuple[Any, Any] | None:
        parent = self.sem.parent(node)
        line = self.sem.parent(parent)
        whole_line = isinstance(line, cst.SimpleStatementLine) and len(line.body) == 1
        if isinstance(parent, cst.Expr):  # `results.sort()`
            return (line, self.sem.removed_statement(line)) if whole_line else None
        if isinstance(parent, cst.Assign) and len(parent.targets) == 1 and whole_line:
            target = parent.targets[0].target
            if isinstance(target, cst.Name) and target.value == results.value:  # `results = sorted(results)`
                return (line, self.sem.removed_statement(line))
        return (node, results.with_changes(lpar=node.lpar, rpar=node.rpar))
