"""The one vocabulary rules speak: `Semantic`, what a rule asks as `self.sem`.

Every question a rule may ask about the module it checks is a method here, named as the question,
grouped by what it answers:

- structure: `parent`, `ancestors`, `is_inside`, `statement_of`, `order`, `nodes`;
- scopes: `scope_of`, `module_scope`, `enclosing_function`, `enclosing_coroutine`,
  `in_generator_expression`;
- bindings (`Binding`: assigned once, its value, its reads, import or local): `binding`,
  `binding_at`, `binding_in`, `bindings_in`, `values_of`, `reads_of`, `is_read`, `used_in_nested_scope`,
  `is_reference`, `is_store`, `mentions`, `imports`;
- names: `qualified_name`, `resolves_to`, `module_alias`, `fresh_name`, `import_of`,
  `dotted_name`, `root_name`;
- version guards: `target_at`, `runs_only_below`;
- syntax predicates: `descendants`, `suspends`, `suspends_in`, `handler_types`, `single_index`,
  `jumps_out`, `always_raises`;
- callees (`Callee`: coroutine / plain / unknown): `callee_kind`, `is_coroutine_call`,
  `is_future_call`, `called_definition`, `is_event_loop`; how a coroutine function is run
  (`Run`: task body / helper / awaited task): `how_run`;
- fix building blocks: `module_attribute`, `awaited`, `removed_statement`, `parse_expression`,
  `parse_statement`, `parse_small_statement`, `code_for`, `without_codes`.

The modules below answer them: `model` (the walk, parents, scopes), `scopes` (`Scope`,
`Binding`), `names`, `guards`, `syntax`, `callees`, `project` (other modules of the project,
through a `ProjectIndex` its caller owns) and `fixes`.  Asyncio facts live in
`asynclint.asyncio_api`, never here or in a rule.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from asynclint import asyncio_api
from asynclint.semantic import callees, fixes, guards, names, syntax, usage
from asynclint.semantic.callees import Callee, callee_kind, is_coroutine_call, is_future_call
from asynclint.semantic.model import Model
from asynclint.semantic.project import ProjectIndex, ProjectView
from asynclint.semantic.scopes import Binding, Scope
from asynclint.semantic.usage import Run

if TYPE_CHECKING:
    import libcst as cst

    from asynclint.rule import ImportRequest
else:
    from asynclint._lazy import cst

__all__ = ["Binding", "Callee", "Model", "ProjectIndex", "ProjectView", "Run", "Scope", "Semantic"]

Version = tuple[int, int]


class Semantic:
    """What is known about one parsed module, asked as questions. Rules get one as `self.sem`."""

    def __init__(
        self,
        module: cst.Module,
        model: Model,
        target_version: Version = (3, 9),
        project: ProjectView | None = None,
    ) -> None:
        self.module = module
        self._model = model
        self._target = target_version
        self.project = project
        """The linted file's view of its project (other modules), None without a path."""

    @classmethod
    def of(cls, module: cst.Module, target_version: Version = (3, 9), project: ProjectView | None = None) -> Semantic:
        """The facade over a fresh walk of `module` (for tests and one-off questions)."""
        return cls(module, Model(module), target_version, project)

    # ------------------------------------------------------------------------- structure
    def parent(self, node: Any) -> Any:
        """The node that directly holds `node` (None for the module)."""
        return self._model.parents.get(node)

    def ancestors(self, node: Any) -> Iterator[Any]:
        """`node`'s parent, its parent, ... up to the module."""
        return self._model.ancestors(node)

    def is_inside(self, node: Any, ancestor: Any) -> bool:
        """Is `node` `ancestor` itself or somewhere inside it?"""
        return self._model.is_inside(node, ancestor)

    def statement_of(self, node: Any) -> Any:
        """The innermost statement (simple or compound) holding `node`."""
        return self._model.statement_of(node)

    def order(self, node: Any) -> int:
        """Where `node` comes in source order: compare two nodes' `order` to ask which runs first
        in straight-line code."""
        return self._model.order(node)

    def depth(self, node: Any) -> int:
        return self._model.depth(node)

    def nodes(self) -> Iterable[Any]:
        """Every node of the module, in source order."""
        return self._model.parents.keys()

    # ---------------------------------------------------------------------------- scopes
    @property
    def module_scope(self) -> Scope:
        return self._model.module_scope

    def scope_of(self, node: Any) -> Scope:
        """The scope `node` is evaluated in."""
        return self._model.scope_of(node)

    def body_scope(self, definition: Any) -> Scope:
        """The scope of a `def`'s or `class`'s body."""
        return self._model.scopes[definition.body]

    def enclosing_function(self, node: Any) -> Scope | None:
        """The function or lambda whose body directly holds `node` (comprehensions see through)."""
        return self._model.enclosing_function(node)

    def enclosing_coroutine(self, node: Any) -> Scope | None:
        """The `async def` whose body directly holds `node`; None in a nested def, lambda or class."""
        return self._model.enclosing_coroutine(node)

    def in_generator_expression(self, node: Any) -> bool:
        return self._model.in_generator_expression(node)

    # -------------------------------------------------------------------------- bindings
    def binding(self, name: Any) -> Binding | None:
        """What the variable a Name node refers to is bound by, in the scope that binds it
        (Python's LEGB, class bodies skipped). None for a name bound nowhere (a builtin)."""
        scope = self._model.lookup(name.value, self._model.scope_of(name))
        return Binding(name.value, scope) if scope is not None else None

    def binding_at(self, name: str, at: Any) -> Binding | None:
        """What `name` refers to when read at node `at`; None when bound nowhere."""
        scope = self._model.lookup(name, self._model.scope_of(at))
        return Binding(name, scope) if scope is not None else None

    def binding_in(self, scope: Scope, name: str) -> Binding:
        """`name` as bound in `scope` itself (perhaps not at all: then `assignments` is 0)."""
        return Binding(name, scope)

    def bindings_in(self, scope: Scope) -> Iterator[Binding]:
        """Every name bound in `scope` itself, in the order first bound."""
        for name in dict.fromkeys([*scope.assignment_counts, *scope.import_targets]):
            yield Binding(name, scope)

    def values_of(self, expression: Any) -> list[Any] | None:
        """Every value the program assigns to `expression`: a variable (`x = ...` statements), or
        an attribute of `self` in a method (`self.x = ...` in any method of the class). None when
        that cannot be known (anything else, or a name bound otherwise too: a parameter, a loop)."""
        if isinstance(expression, cst.Name):
            binding = self.binding(expression)
            if binding is None or binding.assignments != len(binding.values) or binding.is_imported:
                return None
            return binding.values
        if not (isinstance(expression, cst.Attribute) and isinstance(expression.value, cst.Name)):
            return None
        klass = callees.class_of_receiver(self._model, expression.value)
        if klass is None:
            return None
        values: list[Any] = []
        for node in syntax.descendants(klass.node.body):
            if isinstance(node, (cst.Assign, cst.AnnAssign, cst.AugAssign)):
                targets = [t.target for t in node.targets] if isinstance(node, cst.Assign) else [node.target]
                for target in targets:
                    if (
                        isinstance(target, cst.Attribute)
                        and target.attr.value == expression.attr.value
                        and isinstance(target.value, cst.Name)
                        and target.value.value == expression.value.value
                    ):
                        if not isinstance(node, (cst.Assign, cst.AnnAssign)) or node.value is None:
                            return None
                        values.append(node.value)
        return values

    def called_definition(self, func: Any) -> Any:
        """The `def` that calling `func` runs, when this module says which: a name bound only by
        that `def`, or `self.name`/`cls.name` in a method of the class that defines `name` itself
        (bases are not searched). None otherwise."""
        if isinstance(func, cst.Name):
            binding = self.binding(func)
            return binding.function if binding is not None else None
        if isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name):
            klass = callees.class_of_receiver(self._model, func.value)
            return Binding(func.attr.value, klass).function if klass is not None else None
        return None

    def import_targets_of(self, binding: Binding) -> set[str]:
        """What an import-only binding is imported as, normalized (`{"typing.Any"}`); empty when
        the name is also bound otherwise."""
        if binding.assignments:
            return set()
        return {names.normalize(t) for t in binding.import_targets}

    def is_read(self, binding: Binding) -> bool:
        """Is the variable read in its scope or any scope nested in it?"""
        return self._model.is_read(binding.name, binding.scope)

    def used_in_nested_scope(self, binding: Binding) -> bool:
        """Is the variable read (or declared global/nonlocal) in a scope nested in its own?"""
        return self._model.used_in_nested_scope(binding.name, binding.scope)

    def reads_of(self, binding: Binding) -> list[Any]:
        """Every Name reading the variable: in its scope, then in the scopes nested in it."""
        found = list(binding.reads)
        model = self._model
        for inner in model.nested_scopes(binding.scope):
            reads = inner.name_reads.get(binding.name)
            if reads and model.lookup(binding.name, inner) is binding.scope:
                found.extend(reads)
        return found

    def is_reference(self, name: Any) -> bool:
        """Is this Name a read of a variable (not an attribute's name, a keyword or a target)?"""
        return self._model.is_reference(name)

    def is_store(self, name: Any) -> bool:
        """Is this Name the target of a binding (assignment, `for`, `as`, import, `def`)?"""
        return self._model.is_store(name)

    def imports(self, module: str) -> bool:
        """Does the module import `module` or a name from it (`import trio`, `from trio import x`),
        anywhere?"""
        prefix = module + "."
        for scope in (self.module_scope, *self._model.nested_scopes(self.module_scope)):
            for targets in scope.import_targets.values():
                if any(t == module or t.startswith(prefix) for t in targets):
                    return True
        return False

    def mentions(self, name: str) -> bool:
        """Does the module use `name` anywhere as a variable name (bound, read or imported)?"""
        return name in self._model.all_names

    # ----------------------------------------------------------------------------- names
    def qualified_name(self, node: Any) -> str | None:
        """What an expression refers to through imports: `aio.sleep` -> `asyncio.sleep`
        (`builtins.x` for a name bound nowhere; None when not one import's name)."""
        return names.qualified_name(self._model, node)

    def resolves_to(self, node: Any, *qualified: str) -> bool:
        return names.qualified_name(self._model, node) in qualified

    def calls_outside_coroutines(self, qualified: str) -> list[Any]:
        """The calls of `qualified` in this module that no `async def` directly holds (module
        level, plain functions, lambdas), in source order; one pass over the module per name."""
        cache: dict[str, list[Any]] = self.__dict__.setdefault("_calls_outside_coroutines", {})
        found = cache.get(qualified)
        if found is None:
            last = qualified.rsplit(".", 1)[-1]
            found = []
            for node in self.nodes():
                if not isinstance(node, cst.Call):
                    continue
                tail = node.func.attr if isinstance(node.func, cst.Attribute) else node.func
                if not (isinstance(tail, cst.Name) and tail.value == last):
                    continue  # cheap before the name lookups
                if self.enclosing_coroutine(node) is None and names.qualified_name(self._model, node.func) == qualified:
                    found.append(node)
            cache[qualified] = found
        return found

    def modules_calling_outside_coroutines(self, qualified: str) -> list[str]:
        """The other files of the project that run in this module's process (the project modules
        it imports; for a test module, the `conftest.py` files up its tree) and call `qualified`
        outside a coroutine; [] without a project (stdin). See `ProjectView.modules_calling`."""
        return self.project.modules_calling(qualified) if self.project is not None else []

    def module_alias(self, module: str, at: Any) -> tuple[str | None, bool]:
        """How code at `at` can refer to `module`: (name, needs an import); (None, False) if taken."""
        return names.module_alias(self._model, module, at)

    def fresh_name(self, base: str, at: Any = None) -> str:
        """A name free to bind at `at` (in the whole module without `at`)."""
        return names.fresh_name(self._model, base, at)

    def import_of(self, name: Any) -> ImportRequest | None:
        """The import that binds the Name `name` (for `Fix.drop_imports`), or None."""
        return names.import_of(self._model, name)

    dotted_name = staticmethod(syntax.dotted_name)
    root_name = staticmethod(syntax.root_name)

    # -------------------------------------------------------------------- version guards
    def target_at(self, node: Any) -> Version:
        """The oldest Python the code at `node` must run on (the target, raised by version guards)."""
        return guards.target_at(self._model, node, self._target)

    def runs_only_below(self, node: Any, version: Version) -> bool:
        """Does a version guard keep `node` off every Python from `version` on?"""
        return guards.runs_only_below(self._model, node, version)

    # ----------------------------------------------------------------- syntax predicates
    descendants = staticmethod(syntax.descendants)
    suspends = staticmethod(syntax.suspends)
    suspends_in = staticmethod(syntax.suspends_in)
    handler_types = staticmethod(syntax.handler_types)
    single_index = staticmethod(syntax.single_index)
    jumps_out = staticmethod(syntax.jumps_out)
    always_raises = staticmethod(syntax.always_raises)

    # --------------------------------------------------------------------------- callees
    def callee_kind(self, func: Any) -> Callee:
        """Is calling `func` known to make a coroutine, known to run a plain function, or unknown?"""
        return callee_kind(self._model, func, self.project)

    def imported_kind(self, binding: Binding) -> Callee:
        """What calling a name bound by one import gives (a coroutine function of another module
        of the project, or asyncio's); UNKNOWN for any other binding."""
        return callees.imported_kind(self._model, binding.scope, binding.name, self.project)

    def is_coroutine_call(self, call: Any) -> bool:
        """Is this a call known to create a coroutine object?"""
        return is_coroutine_call(self._model, call, self.project)

    def is_future_call(self, call: Any) -> bool:
        """Is this a call known to return a future or task rather than a coroutine?"""
        return is_future_call(self._model, call)

    def is_event_loop(self, expression: Any) -> bool:
        """Is `expression` an event loop: a `get_running_loop()`-like call, a variable assigned
        one, or a name or attribute called `loop`/`_loop` (not bound by `async with ... as`)?"""
        factories = asyncio_api.LOOP_FACTORIES
        if isinstance(expression, cst.Call):
            return self.qualified_name(expression.func) in factories
        if isinstance(expression, cst.Attribute):
            return expression.attr.value in asyncio_api.LOOP_NAMES
        if isinstance(expression, cst.Name):
            binding = self.binding(expression)
            values = binding.values if binding is not None else []
            if any(isinstance(v, cst.Call) and self.qualified_name(v.func) in factories for v in values):
                return True
            # `async with X() as loop` binds something else that merely has the name.
            by_async_with = binding is not None and binding.by_async_with
            return expression.value in asyncio_api.LOOP_NAMES and not by_async_with
        return False

    def how_run(self, function: Any) -> Run:
        """Is the coroutine function `function` only ever scheduled as a task (`Run.TASK`), or
        awaited, passed on, an async generator or of unknown use (`Run.HELPER`), or a task its
        owner awaits without cancelling it first (`Run.AWAITED`)? (`usage`)"""
        return usage.how_run(self._model, function, self.project)

    # ---------------------------------------------------------------- fix building blocks
    def module_attribute(self, at: Any, module: str, attr: str) -> tuple[Any, tuple[ImportRequest, ...]] | None:
        """An expression for `module.attr` usable at `at` and the import it needs; None if the
        module's name is taken there."""
        return fixes.module_attribute(self._model, at, module, attr)

    def awaited(self, original: Any, expression: Any) -> Any:
        """`await expression` in the place of `original`, parenthesized where precedence needs it."""
        return fixes.awaited(self._model, original, expression)

    def removed_statement(self, statement: Any) -> Any:
        """What replaces a deleted statement: nothing, or `pass` when its block would be empty."""
        return fixes.removed_statement(self._model, statement)

    without_codes = staticmethod(fixes.without_codes)

    def parse_expression(self, code: str) -> cst.BaseExpression:
        return cst.parse_expression(code, config=self.module.config_for_parsing)

    def parse_statement(self, code: str) -> cst.BaseStatement:
        return cst.parse_statement(code, config=self.module.config_for_parsing)

    def parse_small_statement(self, code: str) -> cst.BaseSmallStatement:
        """One simple statement (`x = 1`, `tasks.add(t)`), for a line's `body`."""
        line = self.parse_statement(code + "\n")
        assert isinstance(line, cst.SimpleStatementLine), code
        return line.body[0]

    def code_for(self, node: Any) -> str:
        """The source text of `node`."""
        return self.module.code_for_node(node)
