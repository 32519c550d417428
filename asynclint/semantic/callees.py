"""The callee oracle: is calling this a coroutine function, a plain function, or unknown?

`callee_kind(model, func, project)` is `Callee.COROUTINE` when the callee is *known* to be a
coroutine function (an `async def` of this module, reached by name or through `self.`/`cls.` and
base classes, one of another project module via the project index, one of asyncio's own, or a
coroutine method of an asyncio class whose receiver's type is known), `Callee.PLAIN` when it is
known to be a plain function, `Callee.UNKNOWN` otherwise.  Rules stay silent on unknown callees
rather than guess.
"""

from __future__ import annotations

import ast
import enum
from typing import TYPE_CHECKING, Any

from asynclint.asyncio_api import (
    COROUTINE_FUNCTIONS,
    COROUTINE_METHODS,
    FUTURE_FUNCTIONS,
    FUTURE_METHODS,
    RETURN_TYPES,
    THIRD_PARTY_COROUTINE_FUNCTIONS,
)
from asynclint.semantic.names import normalize, qualified_name
from asynclint.semantic.syntax import is_generator

if TYPE_CHECKING:
    import libcst as cst

    from asynclint.semantic.model import Model
    from asynclint.semantic.project import ModuleInfo, ProjectView
    from asynclint.semantic.scopes import Scope
else:
    from asynclint._lazy import cst


class Callee(enum.Enum):
    """What calling something is known to give."""

    COROUTINE = "coroutine"  # a coroutine function: the call makes a coroutine object
    PLAIN = "plain"  # a plain function (of the project, or a builtin): the call runs it
    UNKNOWN = "unknown"

    @classmethod
    def of(cls, is_async: bool | None) -> Callee:
        return cls.UNKNOWN if is_async is None else cls.COROUTINE if is_async else cls.PLAIN


KEEPING_DECORATORS = frozenset(
    {
        "builtins.staticmethod",
        "builtins.classmethod",
        "functools.wraps",
        "abc.abstractmethod",
        "typing.override",
        "typing_extensions.override",
    }
)
"""Decorators that leave a function what it was (a coroutine function stays one)."""
CAST_FUNCTIONS = frozenset({"typing.cast", "typing_extensions.cast"})
COROUTINE_TYPES = frozenset({"typing.Coroutine", "collections.abc.Coroutine", "typing_extensions.Coroutine"})
"""A plain `def` annotated to return one of these (or a module-level alias of one, discord.py's
`Response = Coroutine[Any, Any, T]`) makes a coroutine when called, as a coroutine function does."""
"""`cast(T, value)`: transparent to the oracle, its value is a T."""

# Builtins that are plain functions: handing a coroutine to one does not run it.
_BUILTIN_FUNCTIONS = frozenset(
    {"print", "repr", "str", "id", "type", "isinstance", "len", "bool", "hash", "format", "vars", "dir", "callable"}
)


def is_future_call(model: Model, call: Any) -> bool:
    """Is this call known to return a future or task rather than a coroutine?"""
    if not isinstance(call, cst.Call):
        return False
    if qualified_name(model, call.func) in FUTURE_FUNCTIONS:
        return True
    return isinstance(call.func, cst.Attribute) and call.func.attr.value in FUTURE_METHODS


def is_coroutine_call(model: Model, call: Any, project: ProjectView | None = None) -> bool:
    """Is this call known to create a coroutine object (its callee a coroutine function)?"""
    return isinstance(call, cst.Call) and _kind(model, call.func, project) is True


def callee_kind(model: Model, func: Any, project: ProjectView | None = None) -> Callee:
    """What calling `func` gives: a coroutine, a plain function's result, or unknown."""
    return Callee.of(_kind(model, func, project))


def imported_kind(model: Model, scope: Scope, name: str, project: ProjectView | None = None) -> Callee:
    """What calling a name bound only by one import gives (`from .api import fetch`: the kind of
    `fetch` in that module of the project, or asyncio's own); UNKNOWN for any other binding."""
    targets = scope.import_targets.get(name)
    if not targets or len(targets) != 1 or scope.assignment_counts.get(name, 0):
        return Callee.UNKNOWN
    target = normalize(next(iter(targets)))
    if target in COROUTINE_FUNCTIONS:
        return Callee.COROUTINE
    if project is None or target.startswith(("asyncio.", "builtins.")):
        return Callee.UNKNOWN
    qualified = project.absolute(target)
    return Callee.of(project.function(qualified)) if qualified is not None else Callee.UNKNOWN


def _kind(model: Model, func: Any, project: ProjectView | None = None) -> bool | None:
    """True: a coroutine function; False: a plain function (of the project, or a builtin); None: unknown.
    (The scans of the project index speak the same three values.)"""
    qualified = qualified_name(model, func)
    if qualified in COROUTINE_FUNCTIONS:
        return True
    if isinstance(func, cst.Name):
        scope = model.lookup(func.value, model.scope_of(func))
        if scope is not None and scope.defs.get(func.value) and not scope.import_targets.get(func.value):
            return _kind_in_scope(model, scope, func.value, project)
    if isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name):
        cls = class_of_receiver(model, func.value)
        if cls is not None:
            return _method_kind(model, cls, func.attr.value, project)
        typed = _receiver_type(model, func.value)
        if typed is not None:
            if typed in COROUTINE_METHODS:
                return True if func.attr.value in COROUTINE_METHODS[typed] else None
            kind = _class_kind_by_name(model, typed, func.attr.value, project)
            if kind is not None:
                return kind
    if isinstance(func, cst.Attribute):
        typed = expression_type(model, func.value, project)
        if typed is not None:
            return _typed_method_kind(model, typed, func.attr.value, project)
    if qualified is None:
        return None
    if qualified.startswith("builtins."):
        return False if qualified[len("builtins.") :] in _BUILTIN_FUNCTIONS else None
    if project is not None and not qualified.startswith("asyncio."):
        target = project.absolute(qualified)
        kind = project.function(target) if target is not None else None
        if kind is not None:
            return kind  # the scan of the project, or of the installed package, wins
    return True if qualified in THIRD_PARTY_COROUTINE_FUNCTIONS else None


def _kind_in_scope(model: Model, scope: Scope, name: str, project: ProjectView | None) -> bool | None:
    defs = scope.defs.get(name, [])
    if not defs or scope.assignment_counts.get(name, 0) != len(defs):
        return None
    kinds = {_def_kind(model, d, project) for d in defs}
    return kinds.pop() if len(kinds) == 1 else None


def _def_kind(model: Model, definition: Any, project: ProjectView | None) -> bool | None:
    if definition.asynchronous is not None and is_generator(definition):
        return None  # an async generator function: its call is iterated, never awaited
    is_async = definition.asynchronous is not None or _returns_coroutine(model, definition)
    for decorator in definition.decorators:
        expression = decorator.decorator
        called = isinstance(expression, cst.Call)
        if called:
            expression = expression.func
        if qualified_name(model, expression) in KEEPING_DECORATORS:
            continue
        if _is_async_wrapper(model, expression, project, called):
            is_async = True
            continue
        return None
    return is_async


def _returns_coroutine(model: Model, definition: Any) -> bool:
    """A plain `def` annotated `-> Coroutine[...]` (or an alias of it assigned once at module level)."""
    annotation = definition.returns.annotation if definition.returns is not None else None
    if isinstance(annotation, cst.Subscript):
        annotation = annotation.value
    if isinstance(annotation, cst.Name):
        scope = model.lookup(annotation.value, model.scope_of(annotation))
        values = scope.assigned_values.get(annotation.value, []) if scope is model.module_scope else []
        if len(values) == 1 and scope is not None and scope.assignment_counts.get(annotation.value) == 1:
            alias = values[0].value if isinstance(values[0], cst.Subscript) else values[0]
            return qualified_name(model, alias) in COROUTINE_TYPES
    return annotation is not None and qualified_name(model, annotation) in COROUTINE_TYPES


def _is_async_wrapper(model: Model, expression: Any, project: ProjectView | None, called: bool = False) -> bool:
    """A decorator of the project whose returned wrapper is an `async def` (`called`: a decorator
    factory, `@retry(times=3)`, whose decorator returns one)."""
    if isinstance(expression, cst.Name):
        scope = model.lookup(expression.value, model.scope_of(expression))
        defs = scope.defs.get(expression.value, []) if scope is not None else []
        if defs and not scope.import_targets.get(expression.value):  # type: ignore[union-attr]
            return len(defs) == 1 and _returns_async_wrapper(defs[0], 1 if called else 0)
    qualified = qualified_name(model, expression)
    if project is None or qualified is None or qualified.startswith(("builtins.", "asyncio.")):
        return False
    target = project.absolute(qualified)
    return target is not None and project.is_async_wrapper(target, called)


def _returns_async_wrapper(definition: Any, factories: int = 0) -> bool:
    """`def deco(fn): async def wrapper(...): ...; return wrapper`; with `factories=1`, a plain
    `def retry(times):` returning such a decorator."""
    body = definition.body.body if isinstance(definition.body, cst.IndentedBlock) else []
    if factories and definition.asynchronous is not None:
        return False
    if factories:
        inner = {
            s.name.value
            for s in body
            if isinstance(s, cst.FunctionDef) and s.asynchronous is None and _returns_async_wrapper(s, factories - 1)
        }
    else:
        inner = {s.name.value for s in body if isinstance(s, cst.FunctionDef) and s.asynchronous is not None}
    returns = [
        s.body[0]
        for s in body
        if isinstance(s, cst.SimpleStatementLine) and len(s.body) == 1 and isinstance(s.body[0], cst.Return)
    ]
    return (
        bool(inner) and bool(returns) and all(isinstance(r.value, cst.Name) and r.value.value in inner for r in returns)
    )


def _method_kind(model: Model, cls: Scope, name: str, project: ProjectView | None, seen: int = 0) -> bool | None:
    """A method's kind, looked up in the class and then its bases (same module or project)."""
    if name in cls.defs:
        return _kind_in_scope(model, cls, name, project)
    if name in cls.assignment_counts or seen > 8:
        return None
    for base in cls.node.bases:
        kind = _base_method_kind(model, base.value, name, project, seen + 1)
        if kind is not None:
            return kind
    return None


def _base_method_kind(model: Model, base: Any, name: str, project: ProjectView | None, seen: int) -> bool | None:
    if isinstance(base, cst.Name):
        scope = model.lookup(base.value, model.scope_of(base))
        classes = scope.class_defs.get(base.value, []) if scope is not None else []
        if len(classes) == 1 and scope is not None and scope.assignment_counts.get(base.value) == 1:
            return _method_kind(model, model.scopes[classes[0].body], name, project, seen)
    qualified = qualified_name(model, base)
    if project is None or qualified is None or qualified.startswith(("builtins.", "asyncio.")):
        return None
    target = project.absolute(qualified)
    return _project_method_kind(project, target, name, seen) if target is not None else None


def _project_method_kind(project: ProjectView, qualified: str, name: str, seen: int) -> bool | None:
    info = project.klass(qualified)
    if info is None or seen > 8:
        return None
    if name in info.methods:
        return info.methods[name]
    for base in info.bases:
        kind = _project_method_kind(project, base, name, seen + 1)
        if kind is not None:
            return kind
    return None


def _class_kind_by_name(model: Model, typed: str, method: str, project: ProjectView | None) -> bool | None:
    """A method of a class named by its qualified name (`<module>.Name` for this module's)."""
    if typed.startswith("<local>."):
        scope = model.module_scope
        name = typed[len("<local>.") :]
        classes = scope.class_defs.get(name, [])
        if len(classes) == 1 and scope.assignment_counts.get(name) == 1:
            return _method_kind(model, model.scopes[classes[0].body], method, project)
        return None
    if project is None:
        return None
    target = project.absolute(typed)
    return _project_method_kind(project, target, method, 0) if target is not None else None


def _receiver_type(model: Model, receiver: Any) -> str | None:
    """The class of a local variable, known from its parameter annotation or its one assignment."""
    scope = model.lookup(receiver.value, model.scope_of(receiver))
    if scope is None:
        return None
    annotation = None
    if scope.is_function() and scope.kind == "function":
        params = scope.node.params
        for param in [*params.posonly_params, *params.params, *params.kwonly_params]:
            if param.name.value == receiver.value and param.annotation is not None:
                annotation = param.annotation.annotation
    if annotation is not None:
        return _type_name(model, annotation)
    values = scope.assigned_values.get(receiver.value, [])
    if len(values) != 1 or scope.assignment_counts.get(receiver.value) != 1:
        return None
    value = values[0]
    if isinstance(value, cst.Await):
        value = value.expression
    if not isinstance(value, cst.Call):
        return None
    qualified = qualified_name(model, value.func)
    if qualified in RETURN_TYPES:
        return RETURN_TYPES[qualified]
    return _type_name(model, value.func)


def _type_name(model: Model, expression: Any) -> str | None:
    if isinstance(expression, cst.SimpleString):
        return None
    if isinstance(expression, cst.Name):
        # A class of this module, bound by its `class` statement alone.
        scope = model.lookup(expression.value, model.scope_of(expression))
        if scope is model.module_scope and len(scope.class_defs.get(expression.value, ())) == 1:
            if scope.assignment_counts.get(expression.value) == 1 and expression.value not in scope.import_targets:
                return "<local>." + expression.value
    qualified = qualified_name(model, expression)
    if qualified is None or qualified.startswith("builtins."):
        return None  # not one import's name, or a builtin (`str`, `dict`): no coroutine methods
    return qualified


def class_of_receiver(model: Model, receiver: Any) -> Scope | None:
    """The class scope `self`/`cls` refers to in a method of that class, else None."""
    function = model.enclosing_function(receiver)
    # Look through nested functions and lambdas: `self` is a closure variable there.
    while function is not None and not function.binds(receiver.value):
        outer = function.parent
        function = outer.function_scope if outer is not None else None
    if function is None or function.kind != "function" or function.parent is None:
        return None
    if function.parent.kind != "class":
        return None
    params = function.node.params
    positional = [*params.posonly_params, *params.params]
    if (
        not positional
        or positional[0].name.value != receiver.value
        or function.assignment_counts.get(receiver.value, 0) != 1
    ):
        return None
    decorators = {qualified_name(model, d.decorator) for d in function.node.decorators}
    if "builtins.staticmethod" in decorators:
        return None
    return function.parent


# ---------------------------------------------------------------------------- the type oracle
# Receivers whose class a light checker would know: annotations (parameters, locals, class
# attributes), one assignment of a constructor call or of a function's annotated result, `async with
# X() as y` through `__aenter__`, attribute chains through the classes' facts (`self.a.b.m()`),
# module-level instances. The classes' facts come from the cheap `ast` scans of the project index
# (the linted file's own text included), so every module is read the same way.

_MAX_DEPTH = 8


class _Own:
    """The linted file's own scan (from its text, when first needed), its view, and its `async
    with` targets; one per model."""

    def __init__(self, model: Model, project: ProjectView | None) -> None:
        from asynclint.semantic.project import ProjectIndex, ProjectView

        self.project = project
        self.model = model
        view = project if project is not None else ProjectView(ProjectIndex(), None)
        view.own = self.info
        self.view = view
        self._scanner: Any = None
        self._with_items: dict[tuple[Scope, str], list[Any]] = {}
        self.types: dict[Any, str | None] = {}
        self._annotations: dict[Any, str | None] = {}

    def info(self) -> ModuleInfo:
        from asynclint.semantic.project import ModuleInfo, _Scanner

        if self._scanner is None:
            model, view = self.model, self.view
            self._scanner = _Scanner(view.module, view.path or "<own>", view.is_package)
            source = model.source if model.source is not None else model.module.code
            if view.path is not None:
                # `_annotation` resolves through the scan's imports: the shared scan's serve.
                self._scanner.info = view.index.scan_source(view.path, view.module, source)
            else:
                try:
                    tree = ast.parse(source)
                except (SyntaxError, ValueError, RecursionError, MemoryError):
                    self._scanner.info = ModuleInfo(view.module, "<own>")
                else:
                    self._scanner.run(tree)
        info: ModuleInfo = self._scanner.info
        return info

    def with_items(self, model: Model, scope: Scope, name: str) -> list[Any]:
        """The `async with` statements binding `name` in function `scope`, as (statement, item)."""
        if name not in scope.async_with_names or scope.kind != "function":
            return []
        key = (scope, name)
        if key not in self._with_items:
            found: list[Any] = []
            blocks = (cst.BaseStatement, cst.BaseSuite, cst.ExceptHandler, cst.ExceptStarHandler, cst.Else)
            todo: list[Any] = [scope.node.body]
            while todo:  # statements only, not nested functions or classes: they bind their own
                node = todo.pop()
                if isinstance(node, (cst.FunctionDef, cst.ClassDef)):
                    continue
                if isinstance(node, cst.With) and node.asynchronous is not None:
                    found.extend(
                        (node, item)
                        for item in node.items
                        if item.asname is not None
                        and isinstance(item.asname.name, cst.Name)
                        and item.asname.name.value == name
                    )
                if not isinstance(node, cst.SimpleStatementLine):
                    todo.extend(c for c in node.children if isinstance(c, (*blocks, cst.Finally, cst.MatchCase)))
            self._with_items[key] = found
        return self._with_items[key]

    def annotation(self, model: Model, annotation: Any) -> str | None:
        """The class an annotation of this module names (resolved through its imports)."""
        if annotation not in self._annotations:
            self._annotations[annotation] = self._annotation(model, annotation)
        return self._annotations[annotation]

    def _annotation(self, model: Model, annotation: Any) -> str | None:
        try:
            parsed = ast.parse(model.module.code_for_node(annotation).strip(), mode="eval").body
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            return None
        self.info()
        return self.view.resolve_type(self._scanner._annotation(parsed))


def _own(model: Model, project: ProjectView | None) -> _Own:
    own: _Own | None = getattr(model, "_asynclint_own", None)
    if own is None or own.project is not project:
        own = _Own(model, project)
        setattr(model, "_asynclint_own", own)  # noqa: B010 (a cache the model does not declare)
    return own


def _dotted(model: Model, expression: Any, view: ProjectView) -> str | None:
    """An absolute dotted name for an expression: `<local>.X` for this module's own top-level
    classes and functions, imports resolved (relative ones too)."""
    if isinstance(expression, cst.Name):
        scope = model.lookup(expression.value, model.scope_of(expression))
        if scope is model.module_scope and not scope.import_targets.get(expression.value):
            known = scope.class_defs.get(expression.value) or scope.defs.get(expression.value)
            return "<local>." + expression.value if known else None
    qualified = qualified_name(model, expression)
    if qualified is None or qualified.startswith("builtins."):
        return None
    return qualified if qualified.startswith("asyncio.") else view.absolute(qualified)


def expression_type(model: Model, expression: Any, project: ProjectView | None, depth: int = 0) -> str | None:
    """The class of an expression's value, when a light checker would know it; else None."""
    if depth > _MAX_DEPTH:
        return None
    own = _own(model, project)
    if depth == 0:  # rules ask about the same receivers: remember the answers for this file
        if expression not in own.types:
            own.types[expression] = _expression_type(model, expression, own, 0)
        return own.types[expression]
    return _expression_type(model, expression, own, depth)


def _expression_type(model: Model, expression: Any, own: _Own, depth: int) -> str | None:
    project = own.project
    view = own.view
    if isinstance(expression, cst.Name):
        cls = class_of_receiver(model, expression)
        if cls is not None:
            top = cls.parent is model.module_scope and len(model.module_scope.class_defs.get(cls.name, ())) == 1
            return "<local>." + cls.name if top else None
        return _name_type(model, expression, own, depth)
    if isinstance(expression, cst.Attribute):
        base = expression_type(model, expression.value, project, depth + 1)
        if base is not None:
            return view.attribute_type(base, expression.attr.value)
        dotted = _dotted(model, expression, view)
        return view.instance_type(dotted) if dotted is not None and not dotted.startswith("asyncio.") else None
    if isinstance(expression, cst.Await) and isinstance(expression.expression, cst.Call):
        return _call_type(model, expression.expression, True, own, depth)
    if isinstance(expression, cst.Call):
        return _call_type(model, expression, False, own, depth)
    return None


def _name_type(model: Model, name: Any, own: _Own, depth: int) -> str | None:
    scope = model.lookup(name.value, model.scope_of(name))
    if scope is None:
        return None
    if scope.import_targets.get(name.value):
        dotted = _dotted(model, name, own.view)
        return own.view.instance_type(dotted) if dotted is not None and not dotted.startswith("asyncio.") else None
    if scope.kind == "function":
        params = scope.node.params
        for param in [*params.posonly_params, *params.params, *params.kwonly_params]:
            if param.name.value == name.value:
                if scope.assignment_counts.get(name.value, 0) != 1 or param.annotation is None:
                    return None
                return own.annotation(model, param.annotation.annotation)
    if scope.assignment_counts.get(name.value, 0) != 1 or scope.defs.get(name.value):
        return None
    values = scope.assigned_values.get(name.value, [])
    if len(values) == 1:
        statement = model.parents.get(values[0])
        if isinstance(statement, cst.AnnAssign):
            return own.annotation(model, statement.annotation.annotation)
        return expression_type(model, values[0], own.project, depth + 1)
    items = own.with_items(model, scope, name.value)
    if len(items) == 1 and isinstance(items[0][0], cst.With):
        statement, item = items[0]
        entered = expression_type(model, item.item, own.project, depth + 1)
        return own.view.entered_type(entered, statement.asynchronous is not None) if entered is not None else None
    return None


def _call_type(model: Model, call: Any, awaited: bool, own: _Own, depth: int) -> str | None:
    qualified = qualified_name(model, call.func)
    if qualified in CAST_FUNCTIONS:
        if awaited or not call.args:
            return None
        return own.annotation(model, call.args[0].value)
    if isinstance(call.func, cst.Attribute):
        base = expression_type(model, call.func.value, own.project, depth + 1)
        if base is not None:
            return own.view.method_result(base, call.func.attr.value, awaited)
    dotted = _dotted(model, call.func, own.view)
    return own.view.call_result(dotted, awaited) if dotted is not None else None


def _typed_method_kind(model: Model, typed: str, method: str, project: ProjectView | None) -> bool | None:
    if typed.startswith("<local>."):
        kind = _class_kind_by_name(model, typed, method, project)
        if kind is not None:
            return kind
    return _own(model, project).view.method_kind(typed, method)
