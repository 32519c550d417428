from __future__ import annotations

from typing import TYPE_CHECKING, Any

from asynclint.asyncio_api import ASYNC_GENERATOR_ATTRIBUTES, COROUTINE_ATTRIBUTES
from asynclint.rule import FixAvailability, FixFacts, Rule, Safety
from asynclint.rules.unawaited._uses import hands_on, parameter_handed_on
from asynclint.semantic import Callee

if TYPE_CHECKING:
    import libcst as cst
else:
    from asynclint._lazy import cst


class CoroutineUsedAsValue(Rule):
    """Flags a coroutine call used where its result was meant: the value is the coroutine object.

    ## What it does
    Reports a call of a known coroutine function (see AIO401 for what is known) used as a truth
    value (`if`, `while`, `not`, `and`/`or`, `assert`, `bool()`, a conditional expression), formatted (an
    f-string, `str()`, `repr()`, `format()`, `print()`, `%`), in arithmetic or a comparison
    (`is None`, `!=`), subscripted, iterated with a plain `for`, handed to `len()`, `list()` and
    other builtins that need its result, or asked for an attribute that coroutine objects do not
    have. The same holds through a walrus (`if (page := fetch()) is not None:`) when nothing later
    awaits or hands on the name, and for an argument of a plain function of this module inside a
    condition (`if not valid(fetch_token()):`) when the function only uses that parameter as a
    value (one that returns it or passes it on may run it: `assert run(fetch())`). Introspection
    (`isinstance()`, `id()`) is not reported.

    ## Why is this bad?
    Without `await` the expression is the coroutine object, not its result: it is always true,
    formats as `<coroutine object ...>`, and compares, indexes and iterates wrongly or raises
    `TypeError`. The body never runs, and a `RuntimeWarning: coroutine ... was never awaited`
    follows later.

    ## Example
    ```python
    import asyncio

    async def is_ready():
        await asyncio.sleep(0)
        return False

    async def main():
        if is_ready():
            print("ready")
    ```

    ## Use instead
    ```python
    import asyncio

    async def is_ready():
        await asyncio.sleep(0)
        return False

    async def main():
        if await is_ready():
            print("ready")
    ```

    ## Fix safety
    Unsafe: the coroutine now runs (with its side effects and a suspension point) and the value
    changes to its result, as intended. Offered only directly inside a coroutine and outside
    generator expressions, where `await` is allowed and keeps the meaning; `await` is parenthesized
    where precedence needs it (`(await get()).value`).
    """

    CODE = "AIO402"
    NAME = "coroutine-used-as-value"
    SINCE = "0.3.0"
    EQUIVALENTS = ()
    TRIGGERS = (("async",),)
    MESSAGE = "Coroutine `{name}()` used as a value without `await`: {what}"
    FIX = FixFacts(title="Await the coroutine", availability=FixAvailability.SOMETIMES, safety=Safety.UNSAFE)

    def visit_Call(self, node: cst.Call) -> None:
        used = self._used_value(node)
        what = self._misuse(used) if used is not None else None
        if what is None or not self.sem.is_coroutine_call(node):
            return
        fix = None
        if self.sem.enclosing_coroutine(node) is not None and not self.sem.in_generator_expression(node):
            fix = self.make_fix(Safety.UNSAFE, [(node, self.sem.awaited(node, node))])
        self.report(node, fix=fix, name=self.sem.dotted_name(node.func) or "...", what=what)

    def _used_value(self, node: cst.Call) -> Any:
        """The expression whose value is the coroutine: the call, or the walrus binding it."""
        parent = self.sem.parent(node)
        if not isinstance(parent, cst.NamedExpr) or parent.value is not node:
            return node
        # `if (c := fetch()) is not None:` tests the coroutine; reported when nothing later
        # awaits or hands on `c` (then the author knew what `c` is).
        binding = self.sem.binding(parent.target) if isinstance(parent.target, cst.Name) else None
        if binding is None or self.sem.used_in_nested_scope(binding):
            return None
        if any(hands_on(self.sem, read) for read in binding.reads):
            return None
        return parent

    def _misuse(self, node: Any) -> str | None:
        parent = self.sem.parent(node)
        if isinstance(parent, (cst.If, cst.While, cst.IfExp, cst.Assert)) and parent.test is node:
            return "always true"
        if isinstance(parent, cst.UnaryOperation) and isinstance(parent.operator, cst.Not):
            return "always true"
        if isinstance(parent, cst.BooleanOperation):
            return "always true"
        if isinstance(parent, cst.FormattedStringExpression):
            return "formats as a coroutine object"
        if isinstance(parent, cst.Arg):
            return self._argument_misuse(parent)
        if isinstance(parent, (cst.Comparison, cst.ComparisonTarget)) and self._compared_with_none(node, parent):
            return "a coroutine object is never `None`"
        if isinstance(parent, (cst.BinaryOperation, cst.Comparison, cst.ComparisonTarget)):
            return "not its result"
        if isinstance(parent, cst.Subscript) and parent.value is node:
            return "not its result"
        if isinstance(parent, cst.For) and parent.iter is node and parent.asynchronous is None:
            return "not its result"
        if isinstance(parent, cst.CompFor) and parent.iter is node and parent.asynchronous is None:
            return "not its result"
        if isinstance(parent, cst.Attribute) and parent.value is node and parent.attr.value not in _OWN_ATTRIBUTES:
            return "not its result"
        return None

    def _argument_misuse(self, arg: cst.Arg) -> str | None:
        call = self.sem.parent(arg)
        if not isinstance(call, cst.Call) or arg.star:
            return None
        callee = self.sem.qualified_name(call.func)
        if arg.keyword is not None:
            callee = None  # `print(..., file=x)`: not what is formatted
        if callee in _FORMATTING:
            return "formats as a coroutine object"
        if callee == "builtins.bool":
            return "always true"
        if callee in _NEEDS_VALUE:
            return "not its result"
        if callee is not None and callee.startswith("builtins."):
            return None  # `isinstance(coro, ...)`, `id(coro)`: asking about the object itself
        # A plain function of this module that only uses its parameter as a value: in a condition
        # its result decides on the coroutine object (`if not valid(fetch_token()):`). One that
        # hands it on may run it (`assert run(fetch())`).
        if (
            self.sem.callee_kind(call.func) is Callee.PLAIN
            and self._in_condition(call)
            and parameter_handed_on(self.sem, call, arg) is False
        ):
            return "passed to a plain function in a condition"
        return None

    def _compared_with_none(self, node: Any, parent: Any) -> bool:
        if isinstance(parent, cst.ComparisonTarget):
            comparison = self.sem.parent(parent)
            targets = [parent] if comparison.left is not None else []
            other = comparison.left
        else:
            targets = list(parent.comparisons[:1])
            other = targets[0].comparator if targets else None
        return (
            len(targets) == 1
            and isinstance(targets[0].operator, (cst.Is, cst.IsNot))
            and isinstance(other, cst.Name)
            and other.value == "None"
        )

    def _in_condition(self, node: Any) -> bool:
        """Is `node` the test of an `if`/`while`/`assert`/conditional, perhaps under `not`/`and`/`or`?"""
        parent = self.sem.parent(node)
        while isinstance(parent, cst.BooleanOperation) or (
            isinstance(parent, cst.UnaryOperation) and isinstance(parent.operator, cst.Not)
        ):
            node, parent = parent, self.sem.parent(parent)
        return isinstance(parent, (cst.If, cst.While, cst.IfExp, cst.Assert)) and parent.test is node


_OWN_ATTRIBUTES = COROUTINE_ATTRIBUTES | ASYNC_GENERATOR_ATTRIBUTES
_FORMATTING = frozenset({"builtins.str", "builtins.format", "builtins.repr", "builtins.print"})
"""Builtins that format their argument: a coroutine prints as `<coroutine object ...>`."""
_NEEDS_VALUE = frozenset(
    {"builtins.len", "builtins.list", "builtins.tuple", "builtins.set", "builtins.sorted"}
    | {"builtins.int", "builtins.float"}
)
"""Builtins that raise `TypeError` on a coroutine object."""
