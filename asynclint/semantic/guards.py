"""Version guards: which Pythons run a piece of code, as far as `sys.version_info` tests say."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from asynclint.semantic.names import qualified_name

if TYPE_CHECKING:
    import libcst as cst

    from asynclint.semantic.model import Model
else:
    from asynclint._lazy import cst

Version = tuple[int, int]


def version_bounds(model: Model, node: Any) -> tuple[Version | None, Version | None]:
    """The Pythons `node` runs on, as far as enclosing `sys.version_info` guards say.

    (lowest, below): `if sys.version_info >= (3, 11):` gives its body (3, 11) as the lowest
    and its `else` (3, 11) as the exclusive upper bound; `<` the other way round.  `and`-ed
    tests all count for the body; a name bound once at module level to such a test counts
    as the test.  Guards count in conditional expressions, in `and`/`or` (`v < (3, 14) and
    old()`: `old()` runs only below 3.14), and as early exits (`if v < (3, 11): return` before
    the code).  None where nothing is known.
    """
    low: Version | None = None
    high: Version | None = None

    def holds(test: Any, branch: bool) -> None:
        """`test` is known to be `branch` where `node` runs."""
        nonlocal low, high
        tests = _version_tests(model, test)
        if branch is False and (len(tests) > 1 or isinstance(test, cst.BooleanOperation)):
            return  # the `else` of `a and b` only knows that one of them failed
        for at_least, version in tests:
            if at_least == branch:  # body of `>=`, or `else` of `<`
                low = version if low is None else max(low, version)
            else:
                high = version if high is None else min(high, version)

    child = node
    for parent in model.ancestors(node):
        if isinstance(parent, (cst.If, cst.IfExp)):
            if child is parent.body:
                holds(parent.test, True)
            elif child is parent.orelse:
                holds(parent.test, False)
        elif isinstance(parent, cst.BooleanOperation) and child is parent.right:
            # `v >= (3, 11) and new()`: the right runs only when the left is true; `or`: when false.
            holds(parent.left, isinstance(parent.operator, cst.And))
        elif isinstance(parent, (cst.IndentedBlock, cst.Module)):
            # `if sys.version_info < (3, 11): return ...` earlier in the block: what follows runs
            # only when the test was false.
            for statement in parent.body:
                if statement is child:
                    break
                if isinstance(statement, cst.If) and statement.orelse is None and _always_leaves(statement.body):
                    holds(statement.test, False)
        child = parent
    return low, high


def _always_leaves(block: Any) -> bool:
    """Does this block end in `return`, `raise`, `break` or `continue` (so code after the `if`
    holding it runs only when its test was false)?"""
    body = block.body
    last = body[-1] if body else None  # a line of an indented block, or a one-line suite's statement
    if isinstance(last, cst.SimpleStatementLine):
        last = last.body[-1] if last.body else None
    return isinstance(last, (cst.Return, cst.Raise, cst.Break, cst.Continue))


def _version_tests(model: Model, test: Any, depth: int = 0) -> list[tuple[bool, Version]]:
    """[(True for `>= version`, False for `< version`)] that must all hold for `test` to be true."""
    if isinstance(test, cst.BooleanOperation):
        if isinstance(test.operator, cst.And):
            return _version_tests(model, test.left, depth) + _version_tests(model, test.right, depth)
        return []
    if isinstance(test, cst.Name) and depth == 0:
        values = model.module_scope.assigned_values.get(test.value, [])
        if len(values) == 1 and model.lookup(test.value, model.scope_of(test)) is model.module_scope:
            return _version_tests(model, values[0], depth + 1)
        return []
    if not isinstance(test, cst.Comparison) or len(test.comparisons) != 1:
        return []
    left, target = test.left, test.comparisons[0]
    operator, right = type(target.operator), target.comparator
    if _is_version_info(model, right):
        left, right = right, left
        operator = _flipped().get(operator, operator)
    if not _is_version_info(model, left):
        return []
    version = _version_tuple(right)
    if version is None:
        return []
    if operator in (cst.GreaterThanEqual, cst.GreaterThan):
        return [(True, version)]
    if operator in (cst.LessThan, cst.LessThanEqual):
        return [(False, version)]
    return []


def _is_version_info(model: Model, node: Any) -> bool:
    if isinstance(node, cst.Subscript):  # sys.version_info[:2]
        node = node.value
    return qualified_name(model, node) == "sys.version_info"


def runs_only_below(model: Model, node: Any, version: Version) -> bool:
    """Does a version guard keep `node` off every Python from `version` on?"""
    high = version_bounds(model, node)[1]
    return high is not None and high <= version


def target_at(model: Model, node: Any, target: Version) -> Version:
    """The oldest Python that runs `node`: the project's target, raised by enclosing guards."""
    low = version_bounds(model, node)[0]
    return max(target, low) if low is not None else target


def _version_tuple(node: Any) -> Version | None:
    """`(3, 11)` or `(3, 11, 2)` as (major, minor); None for anything else."""
    if not isinstance(node, cst.Tuple) or len(node.elements) < 2:
        return None
    numbers = []
    for element in node.elements[:2]:
        if not isinstance(element.value, cst.Integer):
            return None
        numbers.append(int(element.value.value))
    return numbers[0], numbers[1]


_FLIPPED: dict[type, type] = {}


def _flipped() -> dict[type, type]:
    """`a < b` is `b > a`: the operator seen from the other side (filled once libcst is loaded)."""
    if not _FLIPPED:
        _FLIPPED.update(
            {
                cst.GreaterThanEqual: cst.LessThanEqual,
                cst.LessThanEqual: cst.GreaterThanEqual,
                cst.GreaterThan: cst.LessThan,
                cst.LessThan: cst.GreaterThan,
            }
        )
    return _FLIPPED
