from __future__ import annotations

from typing import TYPE_CHECKING, Any

from asynclint.asyncio_api import COROUTINE_ATTRIBUTES
from asynclint.rule import FixAvailability, FixFacts, Rule, Safety

if TYPE_CHECKING:
    import libcst as cst
else:
    from asynclint._lazy import cst


class CoroutineUsedAsValue(Rule):
    """Flags a coroutine call used where its result was meant: the value is the coroutine object.

    ## What it does
    Reports a call of a known coroutine function (see AIO401 for what is known) used as a truth
    value (`if`, `while`, `not`, `and`/`or`, `assert`, `bool()`, a conditional expression), formatted (an
    f-string, `str()`, `format()`, `%`), in arithmetic or a comparison, subscripted, iterated with
    a plain `for`, or asked for an attribute that coroutine objects do not have.

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
        what = self._misuse(node)
        if what is None or not self.sem.is_coroutine_call(node):
            return
        fix = None
        if self.sem.enclosing_coroutine(node) is not None and not self.sem.in_generator_expression(node):
            fix = self.make_fix(Safety.UNSAFE, [(node, self.sem.awaited(node, node))])
        self.report(node, fix=fix, name=self.sem.dotted_name(node.func) or "...", what=what)

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
            call = self.sem.parent(parent)
            callee = self.sem.qualified_name(call.func) if isinstance(call, cst.Call) else None
            if callee in ("builtins.str", "builtins.format"):
                return "formats as a coroutine object"
            if callee == "builtins.bool":
                return "always true"
            return None
        if isinstance(parent, (cst.BinaryOperation, cst.Comparison, cst.ComparisonTarget)):
            return "not its result"
        if isinstance(parent, cst.Subscript) and parent.value is node:
            return "not its result"
        if isinstance(parent, cst.For) and parent.iter is node and parent.asynchronous is None:
            return "not its result"
        if isinstance(parent, cst.CompFor) and parent.iter is node and parent.asynchronous is None:
            return "not its result"
        if isinstance(parent, cst.Attribute) and parent.value is node and parent.attr.value not in COROUTINE_ATTRIBUTES:
            return "not its result"
        return None
