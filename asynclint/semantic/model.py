"""The semantic model of one module, built in ONE light walk of our own.

libcst's `ScopeProvider` and `QualifiedNameProvider` answer the same questions but cost about 12x
the parse itself (measured on aiohttp: 35 s against 3.0 s), and libcst's own visitor machinery
rebuilds every node it passes.  This module walks the dataclass fields of the tree iteratively
(no recursion, so deep code cannot overflow the stack here) and records:

- the parent of every node, and the scope every node sits in;
- per scope: what binds each name (assignments, imports with their targets, `def`s, classes,
  plain values), the names read, `global`/`nonlocal` declarations;
- the nodes of the types the selected rules asked for, in walk order, for dispatch.

Rules never see this class: they ask `Semantic` (the facade in `asynclint.semantic`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from asynclint.semantic.scopes import Scope
from asynclint.semantic.syntax import dotted_name

if TYPE_CHECKING:
    import libcst as cst
else:
    from asynclint._lazy import cst

# Fields that hold only punctuation or whitespace: never worth walking into.
_SKIP_FIELDS = frozenset(
    {
        "lpar",
        "rpar",
        "lbracket",
        "rbracket",
        "lbrace",
        "rbrace",
        "leading_lines",
        "header",
        "footer",
        "semicolon",
        "comma",
        "colon",
        "equal",
        "star",
        "dot",
        "arrow",
        "operator",
        "asynchronous",
        "lines_after_decorators",
        "trailing_whitespace",
        "newline",
        "whitespace",
        "first_line",
        "empty_lines",
        "encoding",
        "default_indent",
        "default_newline",
        "has_trailing_newline",
        "value_whitespace",
    }
)
_FIELDS: dict[type, tuple[str, ...]] = {}


def _fields(node_type: type) -> tuple[str, ...]:
    names = _FIELDS.get(node_type)
    if names is None:
        names = tuple(
            f.name
            for f in dataclasses.fields(node_type)
            if f.name not in _SKIP_FIELDS and not f.name.startswith("whitespace")
        )
        _FIELDS[node_type] = names
    return names


class Model:
    """Facts about one parsed module. Build with `Model(module, wanted_types)`."""

    def __init__(self, module: cst.Module, wanted: Iterable[type] = ()) -> None:
        self.module = module
        self.source: str | None = None
        """The module's text when the caller has it (else `module.code` regenerates it)."""
        self.parents: dict[Any, Any] = {}
        self.scopes: dict[Any, Scope] = {}
        self.wanted_nodes: list[Any] = []
        self.all_names: set[str] = set()
        self.module_scope = Scope("module", module, None)
        self._children_of: dict[Scope, list[Scope]] | None = None
        self._order: dict[Any, int] | None = None
        _init_special()
        self._walk(module, frozenset(wanted))

    # ------------------------------------------------------------------------------ walk
    def _walk(self, module: Any, wanted: frozenset[type]) -> None:
        parents = self.parents
        scopes = self.scopes
        wanted_nodes = self.wanted_nodes
        special = _SPECIAL
        CSTNode = cst.CSTNode
        Name = cst.Name
        stack: list[tuple[Any, Any, Scope]] = [(module, None, self.module_scope)]
        # Names already given a role (stored, attribute names, keywords): not reads.
        self._roles: dict[Any, str] = {}
        roles = self._roles
        pop, push = stack.pop, stack.append
        while stack:
            node, parent, scope = pop()
            parents[node] = parent
            scopes[node] = scope
            node_type = type(node)
            if node_type in wanted:
                wanted_nodes.append(node)
            if node_type is Name:
                role = roles.get(node)
                if role != "skip":
                    self.all_names.add(node.value)
                if role is None:
                    scope.name_reads.setdefault(node.value, []).append(node)
                continue
            handler = special.get(node_type)
            if handler is not None:
                # The handler pushes the children itself, with the right scopes.
                handler(self, node, scope, push)
                continue
            children = []
            for name in _fields(node_type):
                value = getattr(node, name)
                if isinstance(value, CSTNode):
                    children.append(value)
                elif type(value) is tuple or type(value) is list:
                    children.extend(v for v in value if isinstance(v, CSTNode))
            for child in reversed(children):
                push((child, node, scope))

    # -- helpers for the special-node handlers --------------------------------------------
    def _children(self, node: Any, scope: Scope, push: Any, skip: tuple[str, ...] = ()) -> None:
        CSTNode = cst.CSTNode
        children = []
        for name in _fields(type(node)):
            if name in skip:
                continue
            value = getattr(node, name)
            if isinstance(value, CSTNode):
                children.append(value)
            elif type(value) is tuple or type(value) is list:
                children.extend(v for v in value if isinstance(v, CSTNode))
        for child in reversed(children):
            push((child, node, scope))

    def _bind(self, scope: Scope, name: str) -> None:
        target = self._binding_scope(scope, name)
        target.assignment_counts[name] = target.assignment_counts.get(name, 0) + 1

    def _binding_scope(self, scope: Scope, name: str) -> Scope:
        declared = scope.declarations.get(name)
        if declared == "global":
            return self.module_scope
        if declared == "nonlocal":
            outer = scope.parent
            while outer is not None and not (outer.is_function() and outer.binds(name)):
                outer = outer.parent
            return outer or scope
        return scope

    def _store_target(self, target: Any, scope: Scope) -> None:
        """Record the names a target expression binds; nested reads are left to the walk."""
        if isinstance(target, cst.Name):
            self._roles[target] = "store"
            self._bind(scope, target.value)
        elif isinstance(target, (cst.Tuple, cst.List)):
            for element in target.elements:
                self._store_target(element.value, scope)
        elif isinstance(target, cst.StarredElement):
            self._store_target(target.value, scope)

    def _skip(self, node: Any) -> None:
        """Not a variable reference (an attribute or keyword name): neither a read nor a name taken."""
        if isinstance(node, cst.Name):
            self._roles[node] = "skip"

    # ------------------------------------------------------------------------------ queries
    def scope_of(self, node: Any) -> Scope:
        return self.scopes.get(node, self.module_scope)

    def enclosing_function(self, node: Any) -> Scope | None:
        """The function or lambda whose body directly holds `node` (comprehensions see through)."""
        return self.scope_of(node).function_scope

    def enclosing_coroutine(self, node: Any) -> Scope | None:
        """The `async def` whose body directly holds `node`; None in a nested def, lambda or class."""
        function = self.enclosing_function(node)
        if function is not None and function.kind == "function" and function.is_async:
            return function
        return None

    def in_generator_expression(self, node: Any) -> bool:
        scope: Scope | None = self.scope_of(node)
        while scope is not None and scope.kind == "comprehension":
            if isinstance(scope.node, cst.GeneratorExp):
                return True
            scope = scope.parent
        return False

    def ancestors(self, node: Any) -> Iterator[Any]:
        parent = self.parents.get(node)
        while parent is not None:
            yield parent
            parent = self.parents.get(parent)

    def order(self, node: Any) -> int:
        """Where `node` comes in source order (a pre-order index): compare two nodes' `order`
        to ask which one runs first in straight-line code."""
        index = self._order
        if index is None:
            # The walk recorded every node's parent in pre-order; dicts keep that order.
            index = self._order = {node: i for i, node in enumerate(self.parents)}
        return index.get(node, -1)

    def is_inside(self, node: Any, ancestor: Any) -> bool:
        """Is `node` `ancestor` itself or somewhere inside it?"""
        return node is ancestor or any(a is ancestor for a in self.ancestors(node))

    def statement_of(self, node: Any) -> Any:
        """The innermost statement (simple or compound) holding `node`."""
        for candidate in (node, *self.ancestors(node)):
            if isinstance(candidate, (cst.BaseSmallStatement, cst.BaseCompoundStatement)):
                return candidate
        return None

    def depth(self, node: Any) -> int:
        return sum(1 for _ in self.ancestors(node))

    def lookup(self, name: str, scope: Scope) -> Scope | None:
        """The scope that binds `name` as seen from `scope` (Python's LEGB, classes skipped)."""
        declared = scope.declarations.get(name)
        if declared == "global":
            return self.module_scope if self.module_scope.binds(name) else None
        current: Scope | None = scope
        first = True
        while current is not None:
            # A class body's names are visible only to the class body itself.
            if (first or current.kind != "class") and current.binds(name) and current.declarations.get(name) is None:
                return current
            first = False
            current = current.parent
        return None

    def is_reference(self, name: Any) -> bool:
        """Is this Name a read of a variable (not an attribute's name, a keyword or a target)?"""
        return self._roles.get(name) is None

    def is_store(self, name: Any) -> bool:
        """Is this Name the target of a binding (assignment, `for`, `as`, import, `def`)?"""
        return self._roles.get(name) == "store"

    def is_read(self, name: str, scope: Scope) -> bool:
        """Is `name`, bound in `scope`, read there or in any scope nested inside it?"""
        return name in scope.name_reads or self.used_in_nested_scope(name, scope)

    def used_in_nested_scope(self, name: str, scope: Scope) -> bool:
        """Is `name`, bound in `scope`, read (or declared global/nonlocal) in a scope nested in it?"""
        for inner in self.nested_scopes(scope):
            if (name in inner.name_reads and self.lookup(name, inner) is scope) or inner.declarations.get(name):
                return True
        return False

    def nested_scopes(self, scope: Scope) -> Iterator[Scope]:
        cache = self._children_of
        if cache is None:
            cache = self._children_of = {}
            for child in set(self.scopes.values()):
                if child.parent is not None:
                    cache.setdefault(child.parent, []).append(child)
        todo = list(cache.get(scope, ()))
        while todo:
            inner = todo.pop()
            yield inner
            todo.extend(cache.get(inner, ()))


# ---------------------------------------------------------------------------- special nodes
# Each handler records bindings/roles and pushes children with the scope they evaluate in.


def _function_def(a: Model, node: Any, scope: Scope, push: Any) -> None:
    a._roles[node.name] = "store"
    a.all_names.add(node.name.value)
    a._bind(scope, node.name.value)
    a._binding_scope(scope, node.name.value).defs.setdefault(node.name.value, []).append(node)
    inner = Scope("function", node, scope, is_async=node.asynchronous is not None)
    a.scopes[node.body] = inner
    push((node.body, node, inner))
    _parameters(a, node.params, node, scope, inner, push)
    if node.returns is not None:
        push((node.returns, node, scope))
    for decorator in reversed(node.decorators):
        push((decorator, node, scope))
    type_parameters = getattr(node, "type_parameters", None)  # PEP 695, libcst >= 1.3
    if type_parameters is not None:
        push((type_parameters, node, inner))


def _parameters(a: Model, params: Any, owner: Any, outer: Scope, inner: Scope, push: Any) -> None:
    a.parents[params] = owner
    a.scopes[params] = inner
    all_params = [*params.posonly_params, *params.params, *params.kwonly_params]
    for extra in (params.star_arg, params.star_kwarg):
        if isinstance(extra, cst.Param):
            all_params.append(extra)
    for param in all_params:
        a.parents[param] = params
        a.scopes[param] = inner
        a._roles[param.name] = "store"
        a.all_names.add(param.name.value)
        a.parents[param.name] = param
        a.scopes[param.name] = inner
        a._bind(inner, param.name.value)
        if param.default is not None:
            push((param.default, param, outer))
        if param.annotation is not None:
            push((param.annotation, param, outer))


def _lambda(a: Model, node: Any, scope: Scope, push: Any) -> None:
    inner = Scope("lambda", node, scope)
    push((node.body, node, inner))
    _parameters(a, node.params, node, scope, inner, push)


def _class_def(a: Model, node: Any, scope: Scope, push: Any) -> None:
    a._roles[node.name] = "store"
    a.all_names.add(node.name.value)
    a._bind(scope, node.name.value)
    a._binding_scope(scope, node.name.value).class_defs.setdefault(node.name.value, []).append(node)
    inner = Scope("class", node, scope)
    push((node.body, node, inner))
    for arg in reversed([*node.bases, *node.keywords]):
        push((arg, node, scope))
    for decorator in reversed(node.decorators):
        push((decorator, node, scope))


def _comprehension(a: Model, node: Any, scope: Scope, push: Any) -> None:
    inner = Scope("comprehension", node, scope)
    for_in = node.for_in
    a.parents[for_in] = node
    a.scopes[for_in] = inner
    # The outermost iterable is evaluated in the enclosing scope; the rest inside.
    _comp_for(a, for_in, inner, push, first_iter_scope=scope)
    if isinstance(node, cst.DictComp):
        push((node.value, node, inner))
        push((node.key, node, inner))
    else:
        push((node.elt, node, inner))


def _comp_for(a: Model, comp: Any, inner: Scope, push: Any, first_iter_scope: Scope) -> None:
    a._store_target(comp.target, inner)
    if comp.inner_for_in is not None:
        a.parents[comp.inner_for_in] = comp
        a.scopes[comp.inner_for_in] = inner
        _comp_for(a, comp.inner_for_in, inner, push, first_iter_scope=inner)
    for if_ in reversed(comp.ifs):
        push((if_, comp, inner))
    push((comp.iter, comp, first_iter_scope))
    push((comp.target, comp, inner))


def _assign_target(a: Model, node: Any, scope: Scope, push: Any) -> None:
    a._store_target(node.target, scope)
    if isinstance(node.target, cst.Name):
        assign = a.parents.get(node)
        if isinstance(assign, cst.Assign):
            a._binding_scope(scope, node.target.value).assigned_values.setdefault(node.target.value, []).append(
                assign.value
            )
    a._children(node, scope, push)


def _ann_assign(a: Model, node: Any, scope: Scope, push: Any) -> None:
    a._store_target(node.target, scope)
    if isinstance(node.target, cst.Name) and node.value is not None:
        a._binding_scope(scope, node.target.value).assigned_values.setdefault(node.target.value, []).append(node.value)
    a._children(node, scope, push)


def _aug_assign(a: Model, node: Any, scope: Scope, push: Any) -> None:
    # `x += 1` reads and binds x: the Name stays a read, and the binding is recorded.
    if isinstance(node.target, cst.Name):
        a._bind(scope, node.target.value)
    a._children(node, scope, push)


def _store_target_then_children(a: Model, node: Any, scope: Scope, push: Any) -> None:
    """`for target in ...` and `del target`: the target's names are bound, not read."""
    a._store_target(node.target, scope)
    a._children(node, scope, push)


def _as_name(a: Model, node: Any, scope: Scope, push: Any) -> None:
    a._store_target(node.name, scope)
    item = a.parents.get(node)
    if isinstance(item, cst.WithItem) and isinstance(node.name, cst.Name):
        statement = a.parents.get(item)
        if isinstance(statement, cst.With) and statement.asynchronous is not None:
            a._binding_scope(scope, node.name.value).async_with_names.add(node.name.value)
    a._children(node, scope, push)


def _named_expr(a: Model, node: Any, scope: Scope, push: Any) -> None:
    # The walrus binds in the nearest enclosing non-comprehension scope.
    target_scope = scope
    while target_scope.kind == "comprehension" and target_scope.parent is not None:
        target_scope = target_scope.parent
    if isinstance(node.target, cst.Name):
        a._roles[node.target] = "store"
        a._bind(target_scope, node.target.value)
    a._children(node, scope, push)


def _global(a: Model, node: Any, scope: Scope, push: Any) -> None:
    kind = "global" if isinstance(node, cst.Global) else "nonlocal"
    for item in node.names:
        a._skip(item.name)
        a.all_names.add(item.name.value)
        scope.declarations[item.name.value] = kind
    a._children(node, scope, push)


def _attribute(a: Model, node: Any, scope: Scope, push: Any) -> None:
    a._skip(node.attr)
    a._children(node, scope, push)


def _arg(a: Model, node: Any, scope: Scope, push: Any) -> None:
    if node.keyword is not None:
        a._skip(node.keyword)
    a._children(node, scope, push)


def _import(a: Model, node: Any, scope: Scope, push: Any) -> None:
    # Nothing inside an import statement is a read.
    for alias in node.names:
        full = dotted_name(alias.name)
        if full is None:
            continue
        if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
            bound, target = alias.asname.name.value, full
        else:
            bound = target = full.split(".")[0]
        scope_for = a._binding_scope(scope, bound)
        scope_for.import_targets.setdefault(bound, set()).add(target)
        a.all_names.add(bound)


def _import_from(a: Model, node: Any, scope: Scope, push: Any) -> None:
    if isinstance(node.names, cst.ImportStar):
        return
    module = dotted_name(node.module) if node.module is not None else ""
    # `from .m import f` -> ".m.f", `from . import m` -> ".m", `from ..m import f` -> "..m.f":
    # the leading dots are the level, the rest a dotted path below that package.
    dots = "." * len(node.relative)
    prefix = dots + module if module else dots
    for alias in node.names:
        if not isinstance(alias.name, cst.Name):
            continue
        name = alias.name.value
        bound = name
        if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
            bound = alias.asname.name.value
        scope_for = a._binding_scope(scope, bound)
        target = (prefix + name if prefix.endswith(".") else f"{prefix}.{name}") if prefix else name
        scope_for.import_targets.setdefault(bound, set()).add(target)
        a.all_names.add(bound)


def _match_as(a: Model, node: Any, scope: Scope, push: Any) -> None:
    if node.name is not None:
        a._store_target(node.name, scope)
    a._children(node, scope, push)


def _match_star(a: Model, node: Any, scope: Scope, push: Any) -> None:
    if node.name is not None:
        a._store_target(node.name, scope)


def _match_mapping(a: Model, node: Any, scope: Scope, push: Any) -> None:
    if node.rest is not None:
        a._store_target(node.rest, scope)
    a._children(node, scope, push)


def _match_keyword(a: Model, node: Any, scope: Scope, push: Any) -> None:
    a._skip(node.key)
    a._children(node, scope, push)


class _SpecialTable(dict):
    """Node type -> handler, filled on first use (libcst is imported lazily)."""

    def __missing__(self, key: Any) -> None:
        return None


_SPECIAL: dict[type, Any] = _SpecialTable()


def _init_special() -> None:
    if _SPECIAL:
        return
    table: dict[type, Any] = {
        cst.FunctionDef: _function_def,
        cst.Lambda: _lambda,
        cst.ClassDef: _class_def,
        cst.ListComp: _comprehension,
        cst.SetComp: _comprehension,
        cst.DictComp: _comprehension,
        cst.GeneratorExp: _comprehension,
        cst.AssignTarget: _assign_target,
        cst.AnnAssign: _ann_assign,
        cst.AugAssign: _aug_assign,
        cst.For: _store_target_then_children,
        cst.AsName: _as_name,
        cst.NamedExpr: _named_expr,
        cst.Del: _store_target_then_children,
        cst.Global: _global,
        cst.Nonlocal: _global,
        cst.Attribute: _attribute,
        cst.Arg: _arg,
        cst.Import: _import,
        cst.ImportFrom: _import_from,
        cst.MatchAs: _match_as,
        cst.MatchStar: _match_star,
        cst.MatchMapping: _match_mapping,
        cst.MatchKeywordElement: _match_keyword,
    }
    _SPECIAL.update(table)
