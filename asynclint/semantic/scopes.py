"""Scopes and what binds a name in one: the records the walk fills and `Binding`, the one view of
them that rules get (through `Semantic.binding`)."""

from __future__ import annotations

from typing import Any, Literal

ScopeKind = Literal["module", "class", "function", "lambda", "comprehension"]


class Scope:
    """A module, class, function, lambda or comprehension scope.

    Rules read only `kind`, `node`, `parent`, `is_async`, `name` and the methods; what binds a
    name here is asked through `Semantic.binding` (the dicts below are the walk's records).
    """

    __slots__ = (
        "assigned_values",
        "assignment_counts",
        "async_with_names",
        "class_defs",
        "declarations",
        "defs",
        "import_targets",
        "is_async",
        "kind",
        "name",
        "name_reads",
        "node",
        "parent",
    )

    def __init__(self, kind: ScopeKind, node: Any, parent: Scope | None, is_async: bool = False) -> None:
        self.kind = kind
        self.node = node
        self.parent = parent
        self.is_async = is_async
        self.name: str = node.name.value if kind in ("function", "class") else "<" + kind + ">"
        self.assignment_counts: dict[str, int] = {}
        """name -> how many non-import statements bind it here (assignments, `def`, `for`, `as`, ...)."""
        self.import_targets: dict[str, set[str]] = {}
        """name -> the dotted names it is imported as (`.m.f` for a relative import)."""
        self.name_reads: dict[str, list[Any]] = {}
        """name -> the Name nodes that read it in this scope (not in nested ones)."""
        self.declarations: dict[str, str] = {}
        """name -> "global" | "nonlocal"."""
        self.assigned_values: dict[str, list[Any]] = {}
        """name -> the values of plain `name = value` (and `name: T = value`) statements."""
        self.async_with_names: set[str] = set()
        """names bound by `async with ... as name`."""
        self.defs: dict[str, list[Any]] = {}
        """name -> the `def`s that bind it here."""
        self.class_defs: dict[str, list[Any]] = {}
        """name -> the `class`es that bind it here."""

    def __repr__(self) -> str:
        return f"<Scope {self.kind} {self.name}>"

    def binds(self, name: str) -> bool:
        return name in self.assignment_counts or name in self.import_targets

    def is_function(self) -> bool:
        return self.kind in ("function", "lambda")

    @property
    def function_scope(self) -> Scope | None:
        """This scope, or the function a comprehension sits in; None at module or class level."""
        scope: Scope | None = self
        while scope is not None and scope.kind == "comprehension":
            scope = scope.parent
        return scope if scope is not None and scope.is_function() else None

    @property
    def binding_scope(self) -> Scope:
        """Where a walrus in this scope binds: the nearest scope that is not a comprehension."""
        scope = self
        while scope.kind == "comprehension" and scope.parent is not None:
            scope = scope.parent
        return scope


class Binding:
    """Everything that binds one name in one scope, and the reads of it there.

    The questions rules used to answer by hand from a scope's dicts ("bound exactly once, by a
    plain assignment, never declared global, never imported") are properties here.
    """

    __slots__ = ("name", "scope")

    def __init__(self, name: str, scope: Scope) -> None:
        self.name = name
        self.scope = scope

    def __repr__(self) -> str:
        return f"<Binding {self.name} in {self.scope!r}>"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Binding) and other.name == self.name and other.scope is self.scope

    def __hash__(self) -> int:
        return hash((self.name, id(self.scope)))

    @property
    def assignments(self) -> int:
        """How many non-import statements bind the name (a `def`, a class and `x = ...` each count)."""
        return self.scope.assignment_counts.get(self.name, 0)

    @property
    def import_targets(self) -> frozenset[str]:
        return frozenset(self.scope.import_targets.get(self.name, ()))

    @property
    def is_import(self) -> bool:
        """Bound only by imports, all of one target."""
        return not self.assignments and len(self.scope.import_targets.get(self.name, ())) == 1

    @property
    def is_imported(self) -> bool:
        """Bound by at least one import (perhaps also otherwise)."""
        return bool(self.scope.import_targets.get(self.name))

    @property
    def declared(self) -> str | None:
        """ "global" or "nonlocal" when the scope declares the name so."""
        return self.scope.declarations.get(self.name)

    @property
    def is_local(self) -> bool:
        """A variable of a function or lambda (not module, class or comprehension level)."""
        return self.scope.is_function()

    @property
    def is_parameter(self) -> bool:
        """A parameter of its function or lambda (perhaps also assigned in the body)."""
        if not self.scope.is_function():
            return False
        params = self.scope.node.params
        every = [*params.posonly_params, *params.params, *params.kwonly_params]
        every += [params.star_arg, params.star_kwarg]  # a `ParamStar` or `MaybeSentinel` when absent
        return any(getattr(getattr(param, "name", None), "value", None) == self.name for param in every)

    @property
    def assigned_once(self) -> bool:
        """Bound by exactly one statement and no import or `global`/`nonlocal` declaration."""
        return self.assignments == 1 and not self.is_imported and self.declared is None

    @property
    def values(self) -> list[Any]:
        """The values of the plain `name = value` statements binding it (any number)."""
        return self.scope.assigned_values.get(self.name, [])

    @property
    def value(self) -> Any:
        """The one value it is ever given, when its only binding is `name = value`; else None."""
        values = self.values
        return values[0] if len(values) == 1 and self.assigned_once else None

    @property
    def definitions(self) -> list[Any]:
        """The `def`s that bind it here."""
        return self.scope.defs.get(self.name, [])

    @property
    def only_definitions(self) -> list[Any]:
        """The `def`s binding it when nothing else does (no assignment, no import); else []."""
        defs = self.definitions
        if defs and self.assignments == len(defs) and not self.is_imported:
            return defs
        return []

    @property
    def function(self) -> Any:
        """The one `def` when that is its only binding; else None."""
        defs = self.only_definitions
        return defs[0] if len(defs) == 1 else None

    @property
    def class_definitions(self) -> list[Any]:
        """The `class`es binding it when nothing else does; else []."""
        classes = self.scope.class_defs.get(self.name, [])
        if classes and self.assignments == len(classes) and not self.is_imported:
            return classes
        return []

    @property
    def klass(self) -> Any:
        """The one `class` statement when that is its only binding; else None."""
        classes = self.class_definitions
        return classes[0] if len(classes) == 1 else None

    @property
    def by_async_with(self) -> bool:
        """Bound (at least once) by `async with ... as name`."""
        return self.name in self.scope.async_with_names

    @property
    def reads(self) -> list[Any]:
        """The Name nodes reading it in its own scope (nested scopes: `Semantic.is_read`)."""
        return self.scope.name_reads.get(self.name, [])
