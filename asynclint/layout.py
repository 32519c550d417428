"""Where the code a fix adds goes, and how it is laid out: imports into the module's
standard-library group, in isort's order, and over-long lines a fix wrote wrapped the way
black and ruff format wrap them.  The engine calls these while it applies fixes; rules never do.
"""

from __future__ import annotations

import ast
import difflib
import io
import re
import sys
import tokenize
import warnings
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import libcst as cst

    from asynclint.rule import ImportRequest
else:
    from asynclint._lazy import cst

_STDLIB = frozenset(sys.stdlib_module_names)


# ------------------------------------------------------------------------------ imports
def _docstring(statement: Any) -> bool:
    return (
        isinstance(statement, cst.SimpleStatementLine)
        and len(statement.body) == 1
        and isinstance(statement.body[0], cst.Expr)
        and isinstance(statement.body[0].value, (cst.SimpleString, cst.ConcatenatedString))
    )


def _imports_of(statement: Any) -> list[Any] | None:
    """The import statements of a line that holds only imports, else None."""
    if not isinstance(statement, cst.SimpleStatementLine):
        return None
    if all(isinstance(s, (cst.Import, cst.ImportFrom)) for s in statement.body):
        return list(statement.body)
    return None


def _from_module(node: Any) -> str | None:
    """`from a.b import c` -> "a.b"; None for a relative import."""
    if node.relative or node.module is None:
        return None
    return cst.Module([]).code_for_node(node.module)


def _is_future(statement: Any) -> bool:
    imports = _imports_of(statement)
    return bool(imports) and all(
        isinstance(s, cst.ImportFrom) and _from_module(s) == "__future__" for s in imports or ()
    )


def holds_imports(statement: Any) -> bool:
    """A `try`/`if` whose blocks import (optional dependencies, `if TYPE_CHECKING:`)."""
    if not isinstance(statement, (cst.Try, cst.If)):
        return False
    blocks = [statement.body]
    if isinstance(statement, cst.Try):
        blocks += [h.body for h in statement.handlers]
    elif statement.orelse is not None:
        blocks.append(statement.orelse.body)
    return any(
        isinstance(block, cst.IndentedBlock) and any(_imports_of(line) for line in block.body) for block in blocks
    )


def _module_key(statement: Any) -> tuple[int, str] | None:
    """(0 for `import m`, 1 for `from m import x`; m lowercased) for a one-import line whose
    module is in the standard library, else None."""
    imports = _imports_of(statement)
    if not imports or len(imports) != 1:
        return None
    node = imports[0]
    if isinstance(node, cst.Import):
        names = [cst.Module([]).code_for_node(alias.name) for alias in node.names]
        if len(names) != 1:
            return None
        name, kind = names[0], 0
    else:
        module = _from_module(node)
        if module is None:
            return None
        name, kind = module, 1
    if name.split(".")[0] not in _STDLIB or name == "__future__":
        return None
    return kind, name.lower()


def _blank_before(statement: Any) -> bool:
    return any(line.comment is None for line in statement.leading_lines)


def _opening(body: list[Any]) -> tuple[int, int]:
    """(first index after the docstring and `__future__` imports, end of the module's opening:
    the statements before its first `def`, `class` or other compound statement)."""
    start = 0
    if body and _docstring(body[0]):
        start = 1
    while start < len(body) and _is_future(body[start]):
        start += 1
    end = start
    while end < len(body):
        statement = body[end]
        if isinstance(statement, cst.SimpleStatementLine) or holds_imports(statement):
            end += 1
        else:
            break
    return start, end


def _asname(alias: Any) -> str | None:
    return alias.asname.name.value if alias.asname and isinstance(alias.asname.name, cst.Name) else None


def _present(body: list[Any], request: ImportRequest) -> bool:
    for statement in body:
        for node in _imports_of(statement) or ():
            if request.obj is None and isinstance(node, cst.Import):
                for alias in node.names:
                    name = cst.Module([]).code_for_node(alias.name)
                    if name == request.module and _asname(alias) == request.asname:
                        return True
            elif request.obj is not None and isinstance(node, cst.ImportFrom) and _from_module(node) == request.module:
                if isinstance(node.names, cst.ImportStar):
                    continue
                for alias in node.names:
                    named = isinstance(alias.name, cst.Name) and alias.name.value == request.obj
                    if named and _asname(alias) == request.asname:
                        return True
    return False


def _member_key(name: str) -> tuple[int, str]:
    """isort's `order-by-type`: CONSTANTS, then Classes, then functions and variables."""
    if name.isupper() and len(name) > 1:
        kind = 0
    elif name[:1].isupper():
        kind = 1
    else:
        kind = 2
    return kind, name.lower()


def _alias_key(alias: Any) -> tuple[int, str]:
    return _member_key(alias.name.value if isinstance(alias.name, cst.Name) else "")


def _merged(node: Any, request: ImportRequest) -> Any:
    """`from m import a, c` with `b` added in sorted position (at the end when unsorted)."""
    names = list(node.names)
    asname = cst.AsName(name=cst.Name(request.asname)) if request.asname else None
    new = cst.ImportAlias(name=cst.Name(request.obj or ""), asname=asname)
    keys = [_alias_key(a) for a in names]
    at = len(names)
    if keys == sorted(keys):
        key = _member_key(request.obj or "")
        at = next((i for i, k in enumerate(keys) if k > key), len(names))
    plain_comma = cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
    if at < len(names):
        # The new alias takes the separator that led to the one it precedes.
        comma = names[at - 1].comma if at > 0 else plain_comma
        if isinstance(comma, cst.MaybeSentinel):
            comma = plain_comma
        if at == 0 and isinstance(names[0].comma, cst.Comma):
            comma = names[0].comma
        names.insert(at, new.with_changes(comma=comma))
    else:
        last = names[-1]
        between = names[-2].comma if len(names) > 1 else plain_comma
        if isinstance(between, cst.MaybeSentinel):
            between = plain_comma
        names[-1] = last.with_changes(comma=between)
        names.append(new.with_changes(comma=last.comma))
    return node.with_changes(names=names)


def _merge_into_existing(body: list[Any], start: int, end: int, request: ImportRequest) -> bool:
    for i in range(start, end):
        imports = _imports_of(body[i])
        if not imports or len(imports) != 1:
            continue
        node = imports[0]
        if isinstance(node, cst.ImportFrom) and not isinstance(node.names, cst.ImportStar):
            if _from_module(node) == request.module:
                body[i] = body[i].with_changes(body=[_merged(node, request)])
                return True
    return False


def _statement_for(request: ImportRequest, config: Any) -> Any:
    if request.obj is None:
        code = f"import {request.module}" + (f" as {request.asname}" if request.asname else "")
    else:
        code = f"from {request.module} import {request.obj}" + (f" as {request.asname}" if request.asname else "")
    return cst.parse_statement(code, config=config)


def _with_blank_lines(statement: Any, count: int) -> Any:
    """`statement` with at least `count` blank lines before it (its comments kept)."""
    lines = list(statement.leading_lines)
    blank = 0
    for line in lines:
        if line.comment is not None:
            break
        blank += 1
    if blank >= count:
        return statement
    return statement.with_changes(leading_lines=[cst.EmptyLine()] * (count - blank) + lines)


def _stdlib_group(body: list[Any], start: int, end: int) -> list[int]:
    """The indexes of the standard-library group: the first run of adjacent one-import stdlib
    lines, with the run of `from` lines after it when a blank line sets them apart (isort's
    `lines_between_types = 1`, sanic's style)."""
    group: list[int] = []
    kinds: list[int] = []
    for i in range(start, end):
        key = _module_key(body[i])
        if key is None:
            if group:
                break
            continue
        adjacent = bool(group) and i == group[-1] + 1
        if not group or (adjacent and not _blank_before(body[i])) or (adjacent and key[0] == 1 and set(kinds) == {0}):
            group.append(i)
            kinds.append(key[0])
            continue
        break
    return group


def _add_one(body: list[Any], request: ImportRequest, config: Any) -> list[Any]:
    if _present(body, request):
        return body
    start, end = _opening(body)
    if request.obj is not None and _merge_into_existing(body, start, end, request):
        return body
    new = _statement_for(request, config)
    top = request.module.split(".")[0]
    key = ((0 if request.obj is None else 1), request.module.lower()) if top in _STDLIB else None
    group = _stdlib_group(body, start, end)
    if group and key is not None:
        kinds = {i: k for i in group if (k := _module_key(body[i])) is not None}
        same = [i for i in group if kinds[i][0] == key[0]]
        later = next((i for i in same if kinds[i] > key), None)
        if later is not None:
            at = later
        elif same:
            at = same[-1] + 1
        else:  # the first `from` line goes after the plain imports, a plain one before the `from`s
            at = group[-1] + 1 if key[0] == 1 else group[0]
        starts_run = at in kinds and (at == group[0] or _blank_before(body[at]))
        if starts_run and (at == group[0] or kinds[at][0] == key[0]):
            # The new line opens the run: it takes the blank lines and comments before it.
            first = body[at]
            new = new.with_changes(leading_lines=first.leading_lines)
            body[at] = first.with_changes(leading_lines=[])
        return [*body[:at], new, *body[at:]]
    first_import = next((i for i in range(start, end) if _imports_of(body[i]) or holds_imports(body[i])), None)
    if first_import is not None:
        # A group of its own above the other imports (third-party, first-party, optional ones).
        first = body[first_import]
        comments_at = next((i for i, line in enumerate(first.leading_lines) if line.comment is not None), None)
        leading = list(first.leading_lines) if comments_at is None else list(first.leading_lines[:comments_at])
        rest = [] if comments_at is None else list(first.leading_lines[comments_at:])
        new = new.with_changes(leading_lines=leading)
        body[first_import] = first.with_changes(leading_lines=[cst.EmptyLine(), *rest])
        return [*body[:first_import], new, *body[first_import:]]
    # No imports: after the docstring and `__future__` imports, set apart by blank lines.
    if start > 0:
        new = new.with_changes(leading_lines=[cst.EmptyLine()])
    if start < len(body):
        following = body[start]
        compound = isinstance(following, (cst.FunctionDef, cst.ClassDef))
        body[start] = _with_blank_lines(following, 2 if compound else 1)
    return [*body[:start], new, *body[start:]]


def add_imports(module: cst.Module, requests: Iterable[ImportRequest]) -> cst.Module:
    """`module` with each requested import that it lacks: a name joins an existing `from m import`
    line; a new line goes into the standard-library group in sorted position (after
    `__future__`, before third-party and first-party imports), or above the other imports in a
    group of its own, or after the docstring when the module imports nothing."""
    body = list(module.body)
    for request in dict.fromkeys(requests):
        body = _add_one(body, request, module.config_for_parsing)
    return module.with_changes(body=body)


# ------------------------------------------------------------------------------ line length
_OPEN, _CLOSE = "([{", ")]}"
_FROM_IMPORT = re.compile(r"(?P<head>from\s+\S+\s+import)\s+(?P<names>[^()]+?)\s*$")
_DIRECTIVE = re.compile(r"#\s*(noqa|type:|pragma|pylint:|fmt:|mypy:|pyright:|isort:)", re.IGNORECASE)


def _tokens(content: str) -> list[tokenize.TokenInfo] | None:
    """The tokens of one physical line that is complete on its own (brackets balanced, no open
    string, no continuation), else None."""
    try:
        tokens = [
            t
            for t in tokenize.generate_tokens(io.StringIO(content).readline)
            if t.type not in (tokenize.NEWLINE, tokenize.NL, tokenize.ENDMARKER, tokenize.INDENT, tokenize.DEDENT)
        ]
    except (tokenize.TokenError, SyntaxError):
        return None
    if any(t.start[0] != 1 or t.end[0] != 1 for t in tokens):
        return None
    depth = 0
    for t in tokens:
        if t.type == tokenize.OP and t.string in _OPEN:
            depth += 1
        elif t.type == tokenize.OP and t.string in _CLOSE:
            depth -= 1
            if depth < 0:
                return None
    return tokens if depth == 0 else None


def _pairs(tokens: list[tokenize.TokenInfo]) -> list[tuple[int, int]]:
    """Indexes (open, close) of the top-level bracket pairs, in order."""
    pairs, stack = [], []
    for i, t in enumerate(tokens):
        if t.type != tokenize.OP:
            continue
        if t.string in _OPEN:
            stack.append(i)
        elif t.string in _CLOSE:
            start = stack.pop()
            if not stack:
                pairs.append((start, i))
    return pairs


_COMPOUND = frozenset(
    {"if", "elif", "else", "for", "while", "with", "try", "except", "finally", "def", "class", "async"}
)


def _several_statements(tokens: list[tokenize.TokenInfo]) -> bool:
    """`a; b` or a compound statement with its body on the line (`if x: y`): ruff format would
    first put each statement on a line of its own, which is more than a fix's wrap may do."""
    depth = 0
    compound = tokens[0].type == tokenize.NAME and tokens[0].string in _COMPOUND
    for i, t in enumerate(tokens):
        if t.type != tokenize.OP:
            continue
        if t.string in _OPEN:
            depth += 1
        elif t.string in _CLOSE:
            depth -= 1
        elif depth == 0 and (t.string == ";" or (compound and t.string == ":" and i < len(tokens) - 1)):
            return True
    return False


def _items(body: str) -> list[str] | None:
    """`body` split at its top-level commas (a trailing comma gives no empty item)."""
    tokens = _tokens(body)
    if tokens is None:
        return None
    items, depth, last = [], 0, 0
    for t in tokens:
        if t.type == tokenize.OP and t.string in _OPEN:
            depth += 1
        elif t.type == tokenize.OP and t.string in _CLOSE:
            depth -= 1
        elif t.type == tokenize.OP and t.string == "," and depth == 0:
            items.append(body[last : t.start[1]].strip())
            last = t.end[1]
    rest = body[last:].strip()
    if rest:
        items.append(rest)
    return items


def _split(content: str, indent: str, limit: int, depth: int = 0) -> list[str] | None:
    """`content` (a line without its indentation) as black's right-hand split writes it: the
    last bracket pair's contents on lines of their own, one item a line (with a trailing comma)
    when they do not fit on one; `def`/`class` lines split at their first bracket instead.
    None when the line has no bracket to split at."""
    if depth > 20:
        return None
    tokens = _tokens(content)
    if not tokens:
        return None
    comment = ""
    if tokens[-1].type == tokenize.COMMENT:
        comment = "  " + tokens[-1].string
        content = content[: tokens[-1].start[1]].rstrip()
        tokens = tokens[:-1]
    if any(t.type == tokenize.COMMENT for t in tokens) or _several_statements(tokens):
        return None
    pairs = [(o, c) for o, c in _pairs(tokens) if c > o + 1]
    if not pairs:
        return None
    first_word = tokens[0].string if tokens[0].string != "async" or len(tokens) < 2 else tokens[1].string
    opening, closing = pairs[0] if first_word in ("def", "class") else pairs[-1]
    head = content[: tokens[opening].end[1]]
    body = content[tokens[opening].end[1] : tokens[closing].start[1]].strip()
    tail = content[tokens[closing].start[1] :] + comment
    inner = indent + "    "
    items = _items(body)
    if items is None:
        return None
    magic_comma = body.endswith(",")
    if not magic_comma and len(inner) + len(body) <= limit:
        return [indent + head, inner + body, indent + tail]
    lines = [indent + head]
    if len(items) == 1 and not magic_comma:
        lines += _split(body, inner, limit, depth + 1) or [inner + body]
    else:
        subscript = tokens[opening].string == "[" and opening > 0 and tokens[opening - 1].type in (tokenize.NAME,)
        subscript = subscript or (
            tokens[opening].string == "[" and opening > 0 and tokens[opening - 1].string in (")", "]")
        )
        for n, item in enumerate(items):
            last = n == len(items) - 1
            line = item + ("," if not last or not (subscript and len(items) == 1) else "")
            if len(inner) + len(line) > limit:
                lines += _split(line, inner, limit, depth + 1) or [inner + line]
            else:
                lines.append(inner + line)
    lines.append(indent + tail)
    return lines


def wrap_line(line: str, limit: int) -> list[str] | None:
    """A physical line longer than `limit` split the way black splits it, or None when it
    cannot be (no bracket, a suppression comment that must stay on its line, tabs)."""
    content = line.lstrip(" ")
    indent = line[: len(line) - len(content)]
    if "\t" in line[: len(indent) + 1] or _DIRECTIVE.search(line):
        return None
    names = _FROM_IMPORT.match(content)
    if names is not None and not any(c in content for c in "(#;*\\"):
        # isort's and ruff's I001 form: one name a line, in parentheses, with a trailing comma.
        items = [item.strip() for item in names.group("names").split(",") if item.strip()]
        return [f"{indent}{names.group('head')} (", *(f"{indent}    {item}," for item in items), f"{indent})"]
    return _split(content, indent, limit)


def _same_tree(a: str, b: str) -> bool:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return ast.dump(ast.parse(a)) == ast.dump(ast.parse(b))
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False


def wrap_written(before: str, after: str, limit: int) -> str:
    """`after` with the lines a fix wrote (those not in `before`) that are longer than `limit`
    wrapped inside their brackets, as ruff format and black would; every other line as it was.
    Only the layout changes: the result must parse to the same tree, else `after` is returned."""
    old, new = before.splitlines(keepends=True), after.splitlines(keepends=True)
    if not any(len(line.rstrip("\r\n")) > limit for line in new):
        return after
    out: list[str] = []
    wrapped = False
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, _, _, j1, j2 in matcher.get_opcodes():
        for line in new[j1:j2]:
            text = line.rstrip("\r\n")
            split = wrap_line(text, limit) if tag != "equal" and len(text) > limit else None
            if split is None:
                out.append(line)
                continue
            ending = line[len(text) :] or "\n"
            out.extend(part + ending for part in split)
            wrapped = True
    if not wrapped:
        return after
    result = "".join(out)
    return result if _same_tree(after, result) else after
