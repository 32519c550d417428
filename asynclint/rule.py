"""What a rule is, and the values it hands back: diagnostics and fixes.

A rule never changes a tree, reads a file or prints.  It looks at the nodes it asks for
(`visit_<NodeType>` methods, dispatched by the engine from its single walk), asks `self.sem`
(`asynclint.semantic.Semantic`, the one vocabulary) what names refer to and where it is, and calls
`report()`, optionally with a `Fix` value that the engine may later apply.
"""

from __future__ import annotations

import enum
import functools
import inspect
import re
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    import libcst as cst

    from asynclint.config import Settings
    from asynclint.semantic import Semantic


class Safety(enum.Enum):
    """How much a fix may change what the program does (ruff's definitions)."""

    SAFE = "safe"  # keeps runtime behaviour and comments: applied by `asynclint fix`
    UNSAFE = "unsafe"  # may change what runs or when: applied with --unsafe-fixes
    DISPLAY_ONLY = "display-only"  # shown, never applied


class FixAvailability(enum.Enum):
    NONE = "none"
    SOMETIMES = "sometimes"
    ALWAYS = "always"


@dataclass(frozen=True)
class FixFacts:
    """What a rule declares about its fix, in one place: the title `make_fix` gives a fix by
    default, whether every finding gets one (`ALWAYS`) or only some (`SOMETIMES`), and the safety
    where one is offered (decided per site, never safer than this; shown in the docs).

    A rule without a fix declares `FIX = None`, which is what `FixAvailability.NONE` means: the
    registry rejects any other way of saying it."""

    title: str
    availability: FixAvailability
    safety: Safety


@dataclass(frozen=True)
class ImportRequest:
    """`import module` (obj None) or `from module import obj [as asname]`, added once if missing."""

    module: str
    obj: str | None = None
    asname: str | None = None


@dataclass(frozen=True, eq=False)
class Fix:
    """A fix as a value: which original nodes to replace with what, and what the module needs.

    `edits` pairs an original node (by identity) with its replacement: a node, a
    `FlattenSentinel` (several statements for one) or `RemovalSentinel`.
    `module_statements` are top-level statements (source text) placed once after the import block.
    `drop_imports` are imports the edits may have left unused: each is removed if nothing
    refers to it any more (`ImportRequest("asyncio", "coroutine")` for `from asyncio import coroutine`).
    """

    title: str
    safety: Safety
    edits: tuple[tuple[Any, Any], ...]
    imports: tuple[ImportRequest, ...] = ()
    module_statements: tuple[str, ...] = ()
    drop_imports: tuple[ImportRequest, ...] = ()


@dataclass(frozen=True)
class Diagnostic:
    """One finding. Lines and columns are 1-based; the end is exclusive.

    Plain data (picklable, JSON-able) but for `fix`, the value the engine applies, which stays in
    the process that parsed the file (`portable()` drops it).
    """

    code: str
    name: str
    message: str
    line: int
    column: int
    end_line: int
    end_column: int
    fix_title: str | None = None
    fix_safety: str | None = None
    """"safe", "unsafe" or "display-only" when the finding has a fix."""
    applicable: bool = False
    """True when `asynclint fix` would apply the fix under the current settings."""
    fix: Fix | None = field(default=None, compare=False, repr=False)

    def portable(self) -> Diagnostic:
        return replace(self, fix=None) if self.fix is not None else self


@dataclass
class RuleContext:
    """What the engine hands every rule instance for one file."""

    sem: Semantic
    settings: Settings
    reports: list[tuple[type[Rule], Any, str, Fix | None]]


_SECTION = re.compile(r"^## (.+)$", re.M)
_ASYNC_DEF = re.compile(r"async\s+def\b")
_ASYNC_DEF_BYTES = re.compile(rb"async\s+def\b")


@functools.cache
def _bytes_pattern(pattern: re.Pattern[str]) -> re.Pattern[bytes]:
    return re.compile(pattern.pattern.encode(), pattern.flags & ~re.UNICODE)


def _in_bytes(word: str | re.Pattern[str], content: bytes) -> bool:
    if isinstance(word, str):
        return word.encode() in content
    return _bytes_pattern(word).search(content) is not None


def _in_text(word: str | re.Pattern[str], content: str) -> bool:
    return word in content if isinstance(word, str) else word.search(content) is not None


DOC_SECTIONS = ("What it does", "Why is this bad?", "Example", "Use instead", "Fix safety")
"""The docstring's sections, in order.  The pages add `## Since`, rendered from `SINCE`."""


class Rule:
    """Base class of every rule: subclasses set the class attributes and define `visit_<Node>`."""

    CODE: ClassVar[str]
    NAME: ClassVar[str]
    MESSAGE: ClassVar[str]
    SINCE: ClassVar[str]
    """The release that first had the rule ("0.1.0"): never newer than `asynclint.__version__`."""
    FIX: ClassVar[FixFacts | None] = None
    """The rule's fix: its default title, availability and safety; None when it has none."""
    DEFAULT: ClassVar[bool] = True
    """False for opt-in rules: selected only when their full code is named."""
    IN_TESTS: ClassVar[bool] = True
    """False for rules that do not run on test files (the `test-paths` setting): blocking a test's
    own event loop stalls nothing that the test does not wait for anyway."""
    TRIGGERS: ClassVar[tuple[tuple[str | re.Pattern[str], ...], ...]] = ()
    """Words the file must contain for the rule to possibly fire: each group needs one of its
    words (a compiled pattern stands for a word that has many spellings, `except\\s*:`). Checked
    on the raw bytes before anything is parsed; () means always run."""

    EQUIVALENTS: ClassVar[tuple[str, ...]] = ()
    """Codes of other tools that flag the same pattern ("ruff RUF006"), for configuring them together."""
    NEEDS_COROUTINE: ClassVar[bool] = False
    """True for rules that only fire inside an `async def`: files without one are skipped."""
    DEPRECATED_IN: ClassVar[tuple[int, int] | None] = None
    """The Python that deprecated or removed what the rule flags: code that a version guard keeps
    on older Pythons (`if sys.version_info < (3, 10):`) is not reported."""

    @classmethod
    def fix_availability(cls) -> FixAvailability:
        return FixAvailability.NONE if cls.FIX is None else cls.FIX.availability

    @classmethod
    def triggered(cls, content: bytes | str) -> bool:
        if isinstance(content, bytes):
            words = all(any(_in_bytes(word, content) for word in group) for group in cls.TRIGGERS)
            return words and (not cls.NEEDS_COROUTINE or _ASYNC_DEF_BYTES.search(content) is not None)
        words = all(any(_in_text(word, content) for word in group) for group in cls.TRIGGERS)
        return words and (not cls.NEEDS_COROUTINE or _ASYNC_DEF.search(content) is not None)

    def __init__(self, ctx: RuleContext) -> None:
        self.ctx = ctx
        self.sem = ctx.sem
        """Every question about the module: see `asynclint.semantic.Semantic`."""
        self.settings = ctx.settings

    # -- reporting -------------------------------------------------------------------------
    def report(self, node: cst.CSTNode, *, fix: Fix | None = None, message: str | None = None, **fmt: str) -> None:
        if self.DEPRECATED_IN is not None and self.sem.runs_only_below(node, self.DEPRECATED_IN):
            return
        text = message if message is not None else self.MESSAGE.format(**fmt)
        self.ctx.reports.append((type(self), node, text, fix))

    def make_fix(
        self,
        safety: Safety,
        edits: list[tuple[Any, Any]] | tuple[tuple[Any, Any], ...],
        imports: tuple[ImportRequest, ...] = (),
        module_statements: tuple[str, ...] = (),
        title: str | None = None,
        drop_imports: tuple[ImportRequest, ...] = (),
    ) -> Fix:
        return Fix(
            title or (self.FIX.title if self.FIX is not None else ""),
            safety,
            tuple(edits),
            tuple(imports),
            tuple(module_statements),
            tuple(drop_imports),
        )

    # -- documentation --------------------------------------------------------------------
    @classmethod
    def docs(cls) -> str:
        return inspect.cleandoc(cls.__doc__ or "")

    @classmethod
    def summary(cls) -> str:
        return cls.docs().split("\n", 1)[0]

    @classmethod
    def doc_sections(cls) -> dict[str, str]:
        text = cls.docs()
        parts = _SECTION.split(text)
        # parts = [summary, title1, body1, title2, body2, ...]
        return {parts[i].strip(): parts[i + 1].strip() for i in range(1, len(parts) - 1, 2)}

    @classmethod
    def doc_code_block(cls, section: str) -> str | None:
        body = cls.doc_sections().get(section, "")
        match = re.search(r"```python\n(.*?)```", body, re.S)
        return match.group(1) if match else None
