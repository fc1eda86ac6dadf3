"""Tokenizer and recursive-descent parser for the Gradle Groovy DSL subset.

``tree-sitter-groovy`` cannot parse the most common Gradle line (``implementation project(':lib')``),
so this module implements a small, error-tolerant parser for the part of Groovy that build scripts use:

* statements separated by newlines / ``;`` (newlines inside ``( )`` and ``[ ]``, after a binary operator
  or ``,``, and before a line starting with ``.`` do not end a statement);
* method calls with parentheses, juxtaposed "command" arguments (``implementation 'g:n:v'``,
  ``apply plugin: 'x'``), command chains (``id 'x' version '1.0' apply false``), trailing closures,
  named arguments, dotted receivers, index access, ``new X(...)``;
* assignments (``x = v``, ``ext.x = v``, ``def x = v``, ``String x = v``) and ``+=``;
* literals: strings of every quoting style (GString templates are kept verbatim), numbers, booleans,
  ``null``, lists ``[a, b]`` and maps ``[k: v]``;
* control flow (``if``/``else``, ``for``, ``while``, ``try``/``catch``/``finally``): the bodies are
  parsed and their statements are spliced into the enclosing block (an over-approximation that suits a
  linter); ``switch``, class and method declarations are skipped.

It is also tolerant of Kotlin-DSL syntax (``val x = ...``, ``a to b``, ``name = value`` arguments,
backticked identifiers), which :mod:`pipl_lint.parse.gradle_kts` uses to salvage regions that
tree-sitter could not parse.

The parser never raises: problems are reported as :class:`ParseError` and parsing resumes at the next
statement.  Nesting deeper than :data:`MAX_DEPTH` is reported and skipped without recursion.
"""

from __future__ import annotations

import bisect
import re
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import lru_cache

from pipl_lint.parse.gradle_ast import (
    Arg,
    Assign,
    Call,
    ListValue,
    MapValue,
    ParseError,
    Ref,
    Script,
    Statement,
    Unknown,
    Value,
    collection_literal,
    compact,
)

__all__ = ["MAX_DEPTH", "MAX_ERRORS", "parse_expression", "parse_groovy", "parse_number", "recursion_headroom"]

# Nesting (brackets, closures, unary operators) deeper than this is reported and skipped.  It also bounds
# the depth of the AST, so that recursive dataclass repr/eq/hash on it stay far from the recursion limit.
MAX_DEPTH = 100
MAX_ERRORS = 100  # per file; one more error says the rest were dropped
_UNKNOWN_TEXT_LIMIT = 200

_ID, _STR, _NUM, _OP, _NL, _EOF = range(6)

_TOKEN_RE = re.compile(
    r"""
    [ \t\f\r\v\ufeff\u00a0]*     # leading blanks are folded into the next token's match
    (?:(?P<nl>\n)
    |(?P<lc>//[^\n]*)
    |(?P<bc>/\*)
    |(?P<num>0[xX][0-9a-fA-F_]+[lLgGiI]?|0[bB][01_]+[lLgGiI]?
        |\d[\d_]*(?:\.\d[\d_]*)?(?:[eE][+-]?\d+)?[lLgGiIdDfF]?)
    |(?P<id>(?:[^\W\d]|\$)(?:\w|\$)*)
    |(?P<bt>`[^`\n]*`)
    |(?P<sq3>''')|(?P<dq3>\"\"\")|(?P<sq>')|(?P<dq>")
    |(?P<op>\.\.<|\?\.|\*\.|\.&|\.\.|\?:|->|===|==~|==|!==|!=|<=>|<=|>=|&&|\|\||\+\+|--|\+=|-=|\*=|/=|%=
        |<<|>>>|>>|=~|::|\*\*|!!|[{}()\[\],.:;=+\-*/%<>!?&|^~@\#])
    |(?P<ws>\\\r?\n|\Z)
    |(?P<bad>.))
    """,
    re.VERBOSE | re.DOTALL,
)
_SQ_RE = re.compile(r"'((?:[^'\\\n]|\\.)*)'", re.DOTALL)
_DQ_RE = re.compile(r'"((?:[^"\\\n$]|\\.|\$(?!\{))*)"', re.DOTALL)
_SLASHY_RE = re.compile(r"/((?:[^/\\\n]|\\.)+)/", re.DOTALL)

# A newline right after one of these does not end the statement.
_CONTINUE_AFTER = frozenset(
    {".", "?.", "*.", "=", "+=", "-=", "*=", "/=", "+", "-", "*", "/", "%", "&&", "||", "?", "?:", ",",
     "==", "!=", "->", "..", ":", "=~", "==~", "<<"}
)
# A newline right before one of these does not end the statement (method chains on the next line).
_CONTINUE_BEFORE = frozenset({".", "?.", "*.", "?:", ".&"})
_SLASHY_AFTER = frozenset({"(", ",", "=", "[", ":", "{", ";", "!", "&&", "||", "?", "=~", "==~", "~", "->"})
_CLOSERS = {")": "(", "]": "[", "}": "{"}
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "0": "\0", "'": "'", '"': '"',
            "\\": "\\", "\n": ""}

_BINARY_PRECEDENCE = {
    "?:": 1, "||": 2, "&&": 3, "|": 4, "^": 5, "&": 6,
    "==": 7, "!=": 7, "===": 7, "!==": 7, "<=>": 7, "=~": 7, "==~": 7,
    "<": 8, ">": 8, "<=": 8, ">=": 8,
    "..": 9, "..<": 9,
    "<<": 10, ">>": 10, ">>>": 10,
    "+": 11, "-": 11,
    "*": 12, "/": 12, "%": 12,
    "**": 13,
}
_KEYWORD_BINARY = {"in": 8, "instanceof": 8}
_INFIX_PRECEDENCE = 9  # Kotlin infix calls (`a to b`), between comparison and shift
_UNARY = frozenset({"-", "+", "!", "~", "++", "--", "*", "&"})
_ASSIGN_OPS = {"+=": "plusAssign", "-=": "minusAssign", "*=": "timesAssign", "/=": "divAssign",
               "%=": "remAssign"}

_MODIFIERS = frozenset(
    {"def", "val", "var", "final", "static", "private", "public", "protected", "abstract", "const",
     "lateinit", "transient", "volatile", "internal", "override", "open"}
)
_PRIMITIVES = frozenset({"int", "long", "short", "byte", "char", "boolean", "double", "float", "void"})
_SKIPPED_DECLARATIONS = frozenset({"object", "typealias"})
# A Kotlin script's own function (`fun DependencyHandlerScope.firebaseDeps(enabled: Boolean) { … }`) is kept as a
# call named `fun:` + its name, with its receiver type and its body as the closure: the build reader expands a call
# to it where the script makes one (`dependencies { firebaseDeps(true) }`).
FUNCTION_PREFIX = "fun:"
_TYPE_DECLARATIONS = frozenset({"class", "interface", "enum", "trait"})
_LITERALS: dict[str, Value] = {"true": True, "false": False, "null": None}
# Identifiers that never start a juxtaposed (command) argument or a chained command.
_NOT_AN_ARGUMENT = frozenset(
    {"in", "as", "instanceof", "else", "catch", "finally", "by", "is", "to", "until", "step", "downTo"}
)
_CONTROL_EXPRESSIONS = frozenset({"if", "when", "try", "switch"})
_PLUGIN_REQUESTS = frozenset({"id", "kotlin", "alias"})


class _Seg:
    """One link of a postfix chain: ``name``, ``name(args)``, ``name { }``, ``name(args) { }``."""

    __slots__ = ("args", "closure", "name", "prefix_end", "pure")

    def __init__(self, name: str, prefix_end: int | None, pure: bool) -> None:
        self.name = name
        self.prefix_end = prefix_end  # source offset where the receiver text ends (before the '.')
        self.pure = pure
        self.args: tuple[Arg, ...] | None = None
        self.closure: tuple[Statement, ...] | None = None


class _Chain:
    """A primary expression followed by member accesses, calls, indexes and closures."""

    __slots__ = ("base", "end", "extra", "segs", "start")

    def __init__(self, start: int) -> None:
        self.start = start  # source offset
        self.end = start
        self.base: Value = None
        self.segs: list[_Seg] = []
        self.extra: list[Arg] = []

    def is_call(self) -> bool:
        return bool(self.segs) and (self.segs[-1].args is not None or self.segs[-1].closure is not None)

    def path_text(self, text: str) -> str:
        if not self.segs:
            return compact(text[self.start : self.end])[:_UNKNOWN_TEXT_LIMIT]
        if self.base is None and all(s.pure for s in self.segs) and not any(
            s.args is not None or s.closure is not None for s in self.segs
        ):
            return ".".join(s.name for s in self.segs)
        return compact(text[self.start : self.end])[:_UNKNOWN_TEXT_LIMIT]

    def plugin_request(self, position: Callable[[int], tuple[int, int]]) -> Call | None:
        """``id("x").version("1.0").apply(false)`` → ``Call("id", ("x", version="1.0", apply=False))``."""
        head, rest = self.segs[0], self.segs[1:]
        if self.base is not None or not rest or head.name not in _PLUGIN_REQUESTS or head.args is None:
            return None
        for seg in rest:
            if seg.name not in ("version", "apply") or seg.closure is not None or len(seg.args or ()) != 1:
                return None
        args = head.args + tuple(Arg(seg.name, seg.args[0].value) for seg in rest if seg.args) + tuple(self.extra)
        return Call(head.name, None, args, None, *position(self.start))

    def value(self, text: str, position: Callable[[int], tuple[int, int]]) -> Value:
        if not self.segs:
            return self.base
        request = self.plugin_request(position)
        if request is not None:
            return request
        last = self.segs[-1]
        if last.args is None and last.closure is None:
            return Ref(self.path_text(text))
        receiver = None
        if last.prefix_end is not None:
            receiver = compact(text[self.start : last.prefix_end])[:_UNKNOWN_TEXT_LIMIT]
        args = (last.args or ()) + tuple(self.extra)
        if last.closure is None:
            literal = collection_literal(last.name, receiver, args)
            if literal is not None:
                return literal
        return Call(last.name, receiver, args, last.closure, *position(self.start))


def _unescape(raw: str) -> str:
    if "\\" not in raw:
        return raw
    out: list[str] = []
    i, n = 0, len(raw)
    while i < n:
        c = raw[i]
        if c != "\\" or i + 1 >= n:
            out.append(c)
            i += 1
            continue
        nxt = raw[i + 1]
        if nxt == "u" and i + 6 <= n:
            try:
                out.append(chr(int(raw[i + 2 : i + 6], 16)))
                i += 6
                continue
            except ValueError:
                pass
        if nxt == "$":
            out.append("\\$")  # keep it visibly non-interpolated
        else:
            out.append(_ESCAPES.get(nxt, nxt))
        i += 2
    return "".join(out)


def _scan_gstring(text: str, i: int, quote: str) -> tuple[int, str, bool]:
    """Scan a double-quoted (possibly triple) string body from ``i``; returns (end, value, terminated)."""
    single = quote == '"'
    start, n = i, len(text)
    while i < n:
        c = text[i]
        if c == "\\":
            i += 2
            continue
        if c == '"' and text.startswith(quote, i):
            return i + len(quote), _unescape(text[start:i]), True
        if c == "\n" and single:
            break
        if c == "$" and i + 1 < n and text[i + 1] == "{":
            i = _skip_interpolation(text, i + 1, single)
            continue
        i += 1
    return min(i, n), _unescape(text[start : min(i, n)]), False


def _skip_interpolation(text: str, j: int, single: bool) -> int:
    """``text[j]`` is the ``{`` of ``${``; return the index after the matching ``}`` (or where it stops)."""
    depth, n = 0, len(text)
    while j < n:
        c = text[j]
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            if depth == 0:
                return j + 1
        elif c in "'\"":
            k = text.find(c, j + 1)
            newline = text.find("\n", j + 1)
            if k < 0 or (single and 0 <= newline < k):
                return j + 1
            j = k
        elif c == "\n" and single:
            return j
        j += 1
    return n


class _Lexer:
    """Turns source text into parallel token lists (kind, value, start offset, end offset)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.kinds: list[int] = []
        self.values: list[str] = []
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.errors: list[tuple[int, str]] = []
        self.stack: list[str] = []

    def emit(self, kind: int, value: str, start: int, end: int) -> None:
        self.kinds.append(kind)
        self.values.append(value)
        self.starts.append(start)
        self.ends.append(end)

    def run(self) -> None:
        text, n = self.text, len(self.text)
        pos = 0
        if text.startswith("#!"):
            pos = text.find("\n")
            pos = n if pos < 0 else pos
        match = _TOKEN_RE.match
        kinds, values, starts, ends = self.kinds, self.values, self.starts, self.ends
        stack = self.stack
        while pos < n:
            m = match(text, pos)
            assert m is not None  # the pattern ends with a catch-all alternative
            group, end = m.lastgroup, m.end()
            if group == "id" or group == "num":
                value = m.group(group)
                kinds.append(_ID if group == "id" else _NUM)
                values.append(value)
                starts.append(end - len(value))
                ends.append(end)
            elif group == "op":
                end = self.operator(m.group(group), end - len(m.group(group)), end)
            elif group == "nl":
                if (
                    kinds
                    and kinds[-1] != _NL
                    and (not stack or stack[-1] == "{")
                    and not (kinds[-1] == _OP and values[-1] in _CONTINUE_AFTER)
                ):
                    self.emit(_NL, "\n", end - 1, end)
            elif group in ("sq", "dq", "sq3", "dq3"):
                end = self.string(group, m.start(group))
            elif group == "lc" or group == "ws":
                pass
            elif group == "bc":
                close = text.find("*/", end)
                if close < 0:
                    self.errors.append((m.start(group), "unterminated comment"))
                    end = n
                else:
                    end = close + 2
            elif group == "bt":
                self.emit(_ID, m.group(group)[1:-1], m.start(group), end)
            else:
                self.errors.append((m.start(group), f"unexpected character {m.group(group)!r}"))
            pos = end
        for _ in range(4):  # sentinels make fixed lookahead safe
            self.emit(_EOF, "", n, n)

    def operator(self, op: str, pos: int, end: int) -> int:
        kinds, values = self.kinds, self.values
        if op == "/" and (
            not kinds
            or kinds[-1] == _NL
            or (kinds[-1] == _OP and values[-1] in _SLASHY_AFTER)
            or (kinds[-1] == _ID and values[-1] == "return")
        ):
            m = _SLASHY_RE.match(self.text, pos)
            if m:
                self.emit(_STR, m.group(1).replace("\\/", "/"), pos, m.end())
                return m.end()
        if op in ("(", "[", "{"):
            self.stack.append(op)
        elif op in _CLOSERS:
            opener = _CLOSERS[op]
            if opener in self.stack:
                while self.stack and self.stack.pop() != opener:
                    pass
        elif op in _CONTINUE_BEFORE and kinds and kinds[-1] == _NL:
            for lst in (self.kinds, self.values, self.starts, self.ends):
                lst.pop()
        self.emit(_OP, op, pos, end)
        return end

    def string(self, group: str, pos: int) -> int:
        text = self.text
        if group == "sq":
            m = _SQ_RE.match(text, pos)
            if m:
                self.emit(_STR, _unescape(m.group(1)), pos, m.end())
                return m.end()
            end = text.find("\n", pos)
            end = len(text) if end < 0 else end
            self.errors.append((pos, "unterminated string"))
            self.emit(_STR, _unescape(text[pos + 1 : end]), pos, end)
            return end
        if group == "dq":
            m = _DQ_RE.match(text, pos)
            if m:
                self.emit(_STR, _unescape(m.group(1)), pos, m.end())
                return m.end()
            end, value, ok = _scan_gstring(text, pos + 1, '"')
        elif group == "sq3":
            close = text.find("'''", pos + 3)
            ok = close >= 0
            end = close + 3 if ok else len(text)
            value = _unescape(text[pos + 3 : close if ok else end])
        else:
            end, value, ok = _scan_gstring(text, pos + 3, '"""')
        if not ok:
            self.errors.append((pos, "unterminated string"))
        self.emit(_STR, value, pos, end)
        return end


def _stack_depth() -> int:
    frame = sys._getframe()
    depth = 0
    while frame is not None:
        depth += 1
        frame = frame.f_back
    return depth


@contextmanager
def recursion_headroom(frames: int = MAX_DEPTH * 12 + 200) -> Iterator[None]:
    """Make sure ``frames`` more Python frames fit under the recursion limit (restored afterwards).

    The parsers bound their nesting by :data:`MAX_DEPTH`; each level costs a handful of frames, which
    can exceed CPython's default limit of 1000 when the caller is itself deep (e.g. under pytest).
    Since Python 3.11 pure-Python calls do not consume C stack, raising the limit is safe.
    """
    old = sys.getrecursionlimit()
    needed = _stack_depth() + frames
    if needed > old:
        sys.setrecursionlimit(needed)
    try:
        yield
    finally:
        if needed > old and sys.getrecursionlimit() == needed:  # unless someone else changed it meanwhile
            sys.setrecursionlimit(old)


class _Parser:
    """Recursive descent over the token arrays; ``self.i`` is the current token index."""

    def __init__(self, text: str, line_offset: int = 0, column_offset: int = 0) -> None:
        self.text = text
        lexer = _Lexer(text)
        lexer.run()
        # token kinds, values, start and end offsets (parallel lists: cheaper than token objects)
        self.k = lexer.kinds
        self.v = lexer.values
        self.s = lexer.starts
        self.e = lexer.ends
        # With unbalanced braces, a statement that starts a line at or left of the indentation of an
        # unclosed block's opening line is taken to be outside that block (error recovery only).
        self.indent_recovery = "{" in lexer.stack
        self.i = 0
        self.depth = 0
        self.line_offset = line_offset
        self.column_offset = column_offset
        self.line_starts = [0]
        find = text.find
        nl = find("\n")
        while nl >= 0:
            self.line_starts.append(nl + 1)
            nl = find("\n", nl + 1)
        self.errors: list[ParseError] = []
        for offset, message in lexer.errors:
            self.error_at(offset, message)
        self.top: list[Statement] = []
        self.eof_unclosed_reported = False
        # Assignments used as arguments (`include ':app',\n rootProject.name = 'x'`): Groovy runs them and
        # passes the assigned value; the statement being parsed emits them just before itself.
        self.argument_assignments: list[Assign] = []

    # -- positions and errors -------------------------------------------------------------------

    def position(self, offset: int) -> tuple[int, int]:
        idx = bisect.bisect_right(self.line_starts, offset) - 1
        column = offset - self.line_starts[idx] + 1
        if idx == 0:
            column += self.column_offset
        return idx + 1 + self.line_offset, column

    def error_at(self, offset: int, message: str) -> None:
        if len(self.errors) > MAX_ERRORS:
            return
        line, column = self.position(offset)
        if len(self.errors) == MAX_ERRORS:
            message = f"too many syntax errors; the rest are not reported (from here: {message})"
        self.errors.append(ParseError(line, column, message))

    def error(self, tok: int, message: str) -> None:
        self.error_at(self.s[tok], message)

    def describe(self, tok: int) -> str:
        kind = self.k[tok]
        if kind == _EOF:
            return "end of file"
        if kind == _NL:
            return "newline"
        if kind == _STR:
            return "string"
        return repr(self.v[tok])

    def is_op(self, tok: int, value: str) -> bool:
        return self.k[tok] == _OP and self.v[tok] == value

    def at_terminator(self) -> bool:
        kind = self.k[self.i]
        if kind in (_NL, _EOF):
            return True
        return kind == _OP and self.v[self.i] in (";", "}")

    def unclosed(self, open_tok: int) -> None:
        """Report an unclosed bracket; at end of file only the innermost one (no cascade of errors)."""
        if self.k[self.i] == _EOF:
            if self.eof_unclosed_reported:
                return
            self.eof_unclosed_reported = True
        self.error(open_tok, f"unclosed {self.v[open_tok]!r}")

    def enter(self) -> bool:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            self.error(self.i, f"nesting deeper than {MAX_DEPTH} levels; skipped")
            return False
        return True

    def unknown(self, start_tok: int) -> Unknown:
        end = self.e[self.i - 1] if self.i > start_tok else self.s[start_tok]
        return Unknown(compact(self.text[self.s[start_tok] : end])[:_UNKNOWN_TEXT_LIMIT])

    # -- skipping (iterative) ---------------------------------------------------------------------

    def skip_balanced(self) -> None:
        """At an opening bracket: move past its matching closer (or to EOF)."""
        k, v = self.k, self.v
        i, level, open_tok = self.i, 0, self.i
        while k[i] != _EOF:
            if k[i] == _OP:
                val = v[i]
                if val in ("(", "[", "{"):
                    level += 1
                elif val in _CLOSERS:
                    level -= 1
                    if level <= 0:
                        self.i = i + 1
                        return
            i += 1
        self.i = i
        self.unclosed(open_tok)

    def skip_statement(self) -> None:
        """Skip to the end of the current statement (newline or ';' at this level, or the block's '}')."""
        k, v = self.k, self.v
        i, level = self.i, 0
        while k[i] != _EOF:
            kind = k[i]
            if kind == _NL and level == 0:
                break
            if kind == _OP:
                val = v[i]
                if val in ("(", "[", "{"):
                    level += 1
                elif val in _CLOSERS:
                    if level == 0 and val == "}":
                        break
                    level = max(level - 1, 0)
                elif val == ";" and level == 0:
                    break
            i += 1
        if i == self.i and k[i] != _EOF and not (k[i] == _OP and v[i] == "}"):
            i += 1
        self.i = i

    def skip_expression(self) -> None:
        """Skip to the next ',', closer, ';' or newline at this level (iteratively)."""
        k, v = self.k, self.v
        i, level = self.i, 0
        while k[i] != _EOF:
            kind = k[i]
            if kind == _NL and level == 0:
                break
            if kind == _OP:
                val = v[i]
                if val in ("(", "[", "{"):
                    level += 1
                elif val in _CLOSERS:
                    if level == 0:
                        break
                    level -= 1
                elif level == 0 and val in (",", ";"):
                    break
            i += 1
        self.i = i

    def skip_newlines(self) -> None:
        while self.k[self.i] == _NL:
            self.i += 1

    # -- statements -------------------------------------------------------------------------------

    def parse_script(self) -> Script:
        self.block(top=True, out=self.top)
        return Script(tuple(self.top), tuple(self.errors))

    def line_indent(self, offset: int) -> tuple[int, bool]:
        """(indentation of the line containing ``offset``, whether ``offset`` is its first token)."""
        text = self.text
        start = text.rfind("\n", 0, offset) + 1
        j = start
        while j < offset and text[j] in " \t":
            j += 1
        return j - start, j == offset

    def block(self, top: bool, out: list[Statement], indent: int | None = None) -> list[Statement]:
        k, v = self.k, self.v
        while True:
            i = self.i
            kind = k[i]
            if kind == _NL:
                self.i += 1
                continue
            if kind == _EOF:
                return out
            if kind == _OP:
                val = v[i]
                if val == ";":
                    self.i += 1
                    continue
                if val == "}":
                    if not top:
                        return out
                    self.error(i, "unmatched '}'")
                    self.i += 1
                    continue
            if indent is not None:
                column, first = self.line_indent(self.s[i])
                if first and column <= indent:
                    if k[i - 1] == _NL:
                        self.i = i - 1  # leave the newline to terminate the enclosing statement
                    return out
            self.statement(out)
            if self.i == i:
                self.error(i, f"unexpected {self.describe(i)}")
                self.skip_statement()
            elif not self.at_terminator() and not self.is_op(self.i - 1, "}"):
                # (a statement may follow a closure on the same line: `free { } paid { }`)
                self.error(self.i, f"unexpected {self.describe(self.i)}")
                self.skip_statement()

    def closure(self) -> tuple[Statement, ...]:
        """At '{': parse a closure / block body up to and including its '}'."""
        open_tok = self.i
        if not self.enter():
            self.skip_balanced()
            self.depth -= 1
            return ()
        self.i += 1
        self.skip_closure_parameters()
        out: list[Statement] = []
        indent = self.line_indent(self.s[open_tok])[0] if self.indent_recovery else None
        self.block(top=False, out=out, indent=indent)
        if self.is_op(self.i, "}"):
            self.i += 1
        else:
            self.unclosed(open_tok)
        self.depth -= 1
        return tuple(out)

    def skip_closure_parameters(self) -> None:
        k, v = self.k, self.v
        j = self.i
        for _ in range(40):
            kind = k[j]
            if kind == _OP:
                if v[j] == "->":
                    self.i = j + 1
                    return
                if v[j] not in (",", ".", "<", ">", "?", "[", "]", ":", "(", ")"):
                    return
            elif kind != _ID:
                return
            j += 1

    def body(self, out: list[Statement]) -> None:
        """The body of if/for/while/try: a braced block or a single statement; spliced into ``out``."""
        self.skip_newlines()
        if self.is_op(self.i, "{"):
            out.extend(self.closure())
        elif not self.at_terminator():
            start = self.i
            if self.enter():  # `if (a) if (b) if (c) ...` nests without braces
                self.statement(out)
            self.depth -= 1
            if self.i == start:
                self.skip_statement()

    def skip_parens(self) -> None:
        if self.is_op(self.i, "("):
            self.skip_balanced()

    def statement(self, out: list[Statement]) -> None:
        outer, self.argument_assignments = self.argument_assignments, []
        at = len(out)
        try:
            self.plain_statement(out)
        finally:
            out[at:at] = self.argument_assignments
            self.argument_assignments = outer

    def plain_statement(self, out: list[Statement]) -> None:
        k, v = self.k, self.v
        while k[self.i] == _OP and v[self.i] == "@":  # annotations: `@Field int x = 1`
            self.skip_annotation()
            self.skip_newlines()
        i = self.i
        if self.at_terminator():
            return
        if k[i] == _ID:
            word = v[i]
            if word in _KEYWORD_HANDLERS:
                _KEYWORD_HANDLERS[word](self, out)
                return
            if word in _MODIFIERS or self.looks_like_typed_declaration():
                self.declaration(out)
                return
        elif k[i] == _OP and v[i] == "{":
            out.extend(self.closure())
            return
        self.expression_statement(out)

    def skip_annotation(self) -> None:
        self.i += 1
        if self.k[self.i] == _ID and self.v[self.i] == "interface":
            return  # `@interface X { }`: left to the type-declaration handler
        if self.k[self.i] == _ID and self.is_op(self.i + 1, ":"):  # Kotlin use-site target: `@file:Suppress`
            self.i += 2
        while self.k[self.i] == _ID:
            self.i += 1
            if not self.is_op(self.i, "."):
                break
            self.i += 1
        self.skip_parens()

    def keyword_if(self, out: list[Statement]) -> None:
        while True:
            self.i += 1
            self.skip_parens()
            self.body(out)
            j = self.i
            while self.k[j] == _NL or self.is_op(j, ";"):
                j += 1
            if not (self.k[j] == _ID and self.v[j] == "else"):
                return
            self.i = j + 1
            if self.k[self.i] == _ID and self.v[self.i] == "if":
                continue
            self.body(out)
            return

    def keyword_loop(self, out: list[Statement]) -> None:
        self.i += 1
        self.skip_parens()
        self.body(out)

    def keyword_do(self, out: list[Statement]) -> None:
        self.i += 1
        self.body(out)
        j = self.i
        while self.k[j] == _NL:
            j += 1
        if self.k[j] == _ID and self.v[j] == "while":
            self.i = j + 1
            self.skip_parens()

    def keyword_try(self, out: list[Statement]) -> None:
        self.i += 1
        self.skip_parens()  # try-with-resources
        self.body(out)
        while True:
            j = self.i
            while self.k[j] == _NL:
                j += 1
            if self.k[j] != _ID or self.v[j] not in ("catch", "finally"):
                return
            self.i = j + 1
            self.skip_parens()
            self.body(out)

    def keyword_skip_block(self, out: list[Statement]) -> None:
        """``switch (x) { ... }``, ``synchronized (x) { ... }``, ``when (x) { ... }``: skipped."""
        self.i += 1
        self.skip_parens()
        self.skip_newlines()
        if self.is_op(self.i, "{"):
            self.skip_balanced()

    def keyword_expression(self, out: list[Statement]) -> None:
        """``return x``, ``throw x``, ``assert x``: the expression is parsed and dropped."""
        self.i += 1
        if not self.at_terminator():
            self.expression(infix=True)

    def keyword_skip_statement(self, out: list[Statement]) -> None:
        self.i += 1
        self.skip_statement()

    def keyword_function(self, out: list[Statement]) -> None:
        """``fun [Receiver.]name(params)[: Type] { body }``: kept with its body; an expression body is skipped."""
        k, v = self.k, self.v
        start = self.i
        i = self.i + 1
        if self.is_op(i, "<"):
            while k[i] != _EOF and not self.is_op(i, ">"):
                i += 1
            i += 1
        names: list[str] = []
        while k[i] == _ID:
            names.append(v[i])
            if self.is_op(i + 1, "."):
                i += 2
                continue
            i += 1
            break
        if not names or not self.is_op(i, "("):
            self.i = start + 1
            self.skip_statement()
            return
        self.i = i
        self.skip_balanced()
        i = self.i
        while k[i] not in (_EOF, _NL) and not (k[i] == _OP and v[i] in ("{", "=", ";", "}")):
            i += 1
        self.i = i
        if not self.is_op(i, "{"):
            self.skip_statement()
            return
        body = self.closure()
        receiver = ".".join(names[:-1]) or None
        out.append(Call(FUNCTION_PREFIX + names[-1], receiver, (), body, *self.position(self.s[start])))

    def keyword_type_declaration(self, out: list[Statement]) -> None:
        k, v = self.k, self.v
        i = self.i + 1
        while k[i] != _EOF and not (k[i] == _OP and v[i] in ("{", "}")):
            if k[i] == _OP and v[i] in ("(", "["):
                self.i = i
                self.skip_balanced()
                i = self.i
                continue
            i += 1
        self.i = i
        if self.is_op(i, "{"):
            self.skip_balanced()

    def keyword_simple(self, out: list[Statement]) -> None:
        """``break``/``continue`` with an optional label; a stray ``else``."""
        if self.v[self.i] == "else":
            self.error(self.i, "'else' without 'if'")
        self.i += 1
        if self.k[self.i] == _ID:
            self.i += 1

    def skip_type(self, j: int) -> int | None:
        """If a type starts at token ``j`` return the index after it, else None."""
        k, v = self.k, self.v
        if k[j] != _ID:
            return None
        j += 1
        while k[j] == _OP and v[j] == "." and k[j + 1] == _ID:
            j += 2
        if k[j] == _OP and v[j] == "<":
            level = 0
            for _ in range(60):
                if k[j] == _OP and v[j] in ("<", ">", ">>", ">>>"):
                    level += {"<": 1, ">": -1, ">>": -2, ">>>": -3}[v[j]]
                    if level <= 0:
                        j += 1
                        break
                elif k[j] != _ID and not (k[j] == _OP and v[j] in (",", ".", "?", "*", "[", "]")):
                    return None
                j += 1
            else:
                return None
        while k[j] == _OP and v[j] == "[" and k[j + 1] == _OP and v[j + 1] == "]":
            j += 2
        if k[j] == _OP and v[j] == "?":
            j += 1
        return j

    def looks_like_typed_declaration(self) -> bool:
        word = self.v[self.i]
        if not (word[:1].isupper() or word in _PRIMITIVES):
            return False
        j = self.skip_type(self.i)
        if j is None or self.k[j] != _ID or self.v[j] in _NOT_AN_ARGUMENT:
            return False
        after = j + 1
        if self.k[after] in (_NL, _EOF):
            return True
        return self.k[after] == _OP and self.v[after] in ("=", "(", ";", "}")

    def declaration(self, out: list[Statement]) -> None:
        k, v = self.k, self.v
        position_tok = self.i  # `def x = 1` is reported at `def`, like the Kotlin converter does
        while k[self.i] == _ID and v[self.i] in _MODIFIERS:
            self.i += 1
        if self.is_op(self.i, "("):  # def (a, b) = [1, 2]
            self.skip_statement()
            return
        j = self.skip_type(self.i)
        if j is not None and k[j] == _ID and v[j] not in _NOT_AN_ARGUMENT:
            self.i = j
        while True:
            if k[self.i] != _ID:
                return
            name_tok = self.i
            self.i += 1
            if self.is_op(self.i, "("):  # method declaration
                self.skip_balanced()
                self.skip_method_body()
                return
            if self.is_op(self.i, ":"):  # Kotlin `val x: Type = ...`
                self.skip_kotlin_type()
            if self.is_op(self.i, "=") or (k[self.i] == _ID and v[self.i] == "by"):
                self.i += 1
                value = self.expression(infix=True)
                line, column = self.position(self.s[position_tok])
                out.append(Assign(v[name_tok], value, line, column))
            if not self.is_op(self.i, ","):
                return
            self.i += 1
            position_tok = self.i

    def skip_kotlin_type(self) -> None:
        k, v = self.k, self.v
        i, level = self.i + 1, 0
        while k[i] not in (_EOF, _NL):
            if k[i] == _OP:
                val = v[i]
                if val in ("(", "<", "["):
                    level += 1
                elif val in (")", ">", "]"):
                    level -= 1
                elif level <= 0 and val in ("=", ";", "}", "{", ","):
                    break
            elif k[i] == _ID and v[i] == "by" and level <= 0:
                break
            i += 1
        self.i = i

    def skip_method_body(self) -> None:
        k, v = self.k, self.v
        i = self.i
        while k[i] not in (_EOF, _NL) and not (k[i] == _OP and v[i] in ("{", "}", ";", "=")):
            i += 1
        self.i = i
        if self.is_op(i, "{"):
            self.skip_balanced()
        elif self.is_op(i, "="):
            self.i += 1
            self.expression(infix=True)

    def expression_statement(self, out: list[Statement]) -> None:
        start_tok = self.i
        chain = self.chain(infix=False)
        if chain is None:
            return
        k, v = self.k, self.v
        kind, val = k[self.i], v[self.i]
        if kind == _OP and val == "=" and chain.segs:
            self.i += 1
            value = self.expression(infix=True)
            out.append(Assign(chain.path_text(self.text), value, *self.position(chain.start)))
            return
        if kind == _OP and val in _ASSIGN_OPS and chain.segs:
            self.i += 1
            value = self.expression(infix=True)
            out.append(Call(_ASSIGN_OPS[val], chain.path_text(self.text), (Arg(None, value),), None,
                            *self.position(chain.start)))
            return
        if chain.segs and chain.segs[-1].closure is None:
            last = chain.segs[-1]
            if last.args is None and self.starts_command_argument(self.i):
                last.args = self.command_args()
                self.command_chain(chain)
                chain.end = self.e[self.i - 1]
            elif last.args is not None and k[self.i] == _ID:
                self.command_chain(chain)
                chain.end = self.e[self.i - 1]
            elif kind == _NL and self.is_op(self.i + 1, "{"):  # brace on the next line
                self.i += 1
                last.closure = self.closure()
                if last.args is None:
                    last.args = ()
        if not self.at_terminator() and not self.is_op(self.i - 1, "}"):
            # a binary expression used as a statement (`task x << { }`, `a == b`): parse and drop
            self.binary_rest(chain, start_tok, infix=False)
            return
        value = chain.value(self.text, self.position)
        if isinstance(value, Call):
            out.append(value)
        elif isinstance(value, Ref) and chain.base is None and len(chain.segs) == 1:
            out.append(Call(value.path, None, (), None, *self.position(chain.start)))

    def command_args(self) -> tuple[Arg, ...]:
        args = [self.argument(infix=False)]
        while self.is_op(self.i, ","):
            self.i += 1
            if self.at_terminator():
                break
            args.append(self.argument(infix=False))
        return tuple(args)

    def command_chain(self, chain: _Chain) -> None:
        """``id 'x' version '1.0' apply false``: fold ``version``/``apply`` into named arguments."""
        k, v = self.k, self.v
        while k[self.i] == _ID and v[self.i] not in _NOT_AN_ARGUMENT:
            name = v[self.i]
            nxt = self.i + 1
            if self.is_op(nxt, "("):
                self.i = nxt
                args = self.paren_args()
            elif self.starts_command_argument(nxt):
                self.i = nxt
                args = self.command_args()
            else:
                self.i = nxt
                return
            if len(args) == 1:
                chain.extra.append(Arg(name, args[0].value))
            else:
                chain.extra.append(Arg(name, ListValue(tuple(a.value for a in args))))

    def starts_command_argument(self, j: int) -> bool:
        kind = self.k[j]
        if kind in (_STR, _NUM):
            return True
        if kind == _ID:
            return self.v[j] not in _NOT_AN_ARGUMENT
        return False

    # -- expressions ------------------------------------------------------------------------------

    def expression(self, infix: bool) -> Value:
        if not self.enter():
            start = self.i
            self.skip_expression()
            self.depth -= 1
            return self.unknown(start)
        start = self.i
        value = self.binary(0, infix)
        if self.is_op(self.i, "?"):
            self.i += 1
            self.expression(infix)
            if self.is_op(self.i, ":"):
                self.i += 1
                self.expression(infix)
            value = self.unknown(start)
        self.depth -= 1
        return value

    def binary(self, min_precedence: int, infix: bool) -> Value:
        start = self.i
        left = self.unary(infix)
        return self.binary_loop(left, start, min_precedence, infix)

    def binary_rest(self, chain: _Chain, start_tok: int, infix: bool) -> None:
        left = chain.value(self.text, self.position)
        self.binary_loop(left, start_tok, 0, infix)
        if self.is_op(self.i, "?"):
            self.i += 1
            self.expression(infix)
            if self.is_op(self.i, ":"):
                self.i += 1
                self.expression(infix)

    def binary_loop(self, left: Value, start: int, min_precedence: int, infix: bool) -> Value:
        k, v = self.k, self.v
        while True:
            kind, val = k[self.i], v[self.i]
            if kind == _OP:
                precedence = _BINARY_PRECEDENCE.get(val)
                if precedence is None:
                    return left
            elif kind == _ID:
                if val == "as":
                    after = self.skip_type(self.i + 1)
                    self.i = after if after is not None else self.i + 1
                    continue
                precedence = _KEYWORD_BINARY.get(val)
                if precedence is None:
                    if not (infix and self.starts_operand(self.i + 1)):
                        return left
                    precedence = _INFIX_PRECEDENCE
            else:
                return left
            if precedence < min_precedence:
                return left
            op_tok = self.i
            self.i += 1
            right = self.binary(precedence + 1, infix)
            left = self.combine(op_tok, left, right, start)

    def starts_operand(self, j: int) -> bool:
        kind = self.k[j]
        if kind in (_STR, _NUM, _ID):
            return True
        return kind == _OP and self.v[j] in ("(", "[", "-", "!")

    def combine(self, op_tok: int, left: Value, right: Value, start: int) -> Value:
        op = self.v[op_tok]
        if op == "+" and isinstance(left, str) and isinstance(right, str):
            return left + right
        if self.k[op_tok] == _ID and op not in _KEYWORD_BINARY:
            line, column = self.position(self.s[start])
            return Call(op, None, (Arg(None, left), Arg(None, right)), None, line, column)
        return self.unknown(start)

    def unary(self, infix: bool) -> Value:
        k, v = self.k, self.v
        if k[self.i] == _OP and v[self.i] in _UNARY:
            start = self.i
            op = v[self.i]
            self.i += 1
            if op in ("-", "+") and k[self.i] == _NUM:
                number = parse_number(v[self.i])
                self.i += 1
                if isinstance(number, int | float) and not isinstance(number, bool):
                    return -number if op == "-" else number
                return self.unknown(start)
            if not self.enter():
                self.depth -= 1
                return self.unknown(start)
            self.unary(infix)
            self.depth -= 1
            return self.unknown(start)
        chain = self.chain(infix)
        if chain is None:
            if k[self.i] != _EOF:
                self.error(self.i, f"expected an expression, found {self.describe(self.i)}")
            return Unknown("")
        return chain.value(self.text, self.position)

    def chain(self, infix: bool) -> _Chain | None:
        """A primary expression and its postfix operators; None when no expression starts here."""
        k, v = self.k, self.v
        tok = self.i
        kind, val = k[tok], v[tok]
        chain = _Chain(self.s[tok])
        if kind == _ID:
            if val in _LITERALS and not self.is_op(tok + 1, "("):
                chain.base = _LITERALS[val]
                self.i += 1
            elif val == "new" and k[tok + 1] == _ID:
                chain.base = self.new_expression()
            elif val in _CONTROL_EXPRESSIONS:
                chain.base = self.control_expression()
            else:
                chain.segs.append(_Seg(val, None, True))
                self.i += 1
        elif kind == _STR:
            self.i += 1
            if self.is_op(self.i, "("):
                chain.segs.append(_Seg(val, None, True))
            else:
                chain.base = val
        elif kind == _NUM:
            chain.base = parse_number(val)
            self.i += 1
        elif kind == _OP and val == "(":
            self.i += 1
            chain.base = self.expression(infix=True)
            if self.is_op(self.i, ")"):
                self.i += 1
            else:
                self.unclosed(tok)
        elif kind == _OP and val == "[":
            chain.base = self.list_literal()
        elif kind == _OP and val == "{":
            self.skip_balanced()
            chain.base = self.unknown(tok)
        else:
            return None
        chain.end = self.e[self.i - 1]
        self.postfix(chain)
        return chain

    def postfix(self, chain: _Chain) -> None:
        k, v, e = self.k, self.v, self.e
        while k[self.i] == _OP:
            val = v[self.i]
            last = chain.segs[-1] if chain.segs else None
            if val == "(":
                if last is None or last.args is not None or last.closure is not None:
                    return
                last.args = self.paren_args()
            elif val == "{":
                if last is None or last.closure is not None:
                    return
                last.closure = self.closure()
                if last.args is None:
                    last.args = ()
            elif val in (".", "?.", "*.", ".&", "::"):
                nxt = self.i + 1
                if k[nxt] not in (_ID, _STR):
                    self.error(nxt, f"expected a name after {val!r}")
                    self.i = nxt
                    return
                chain.segs.append(_Seg(v[nxt], e[self.i - 1], val in (".", "?.")))
                self.i = nxt + 1
            elif val == "[":
                prefix_end = e[self.i - 1]
                index = self.index_expression()
                if isinstance(index, str | int) and not isinstance(index, bool):
                    chain.segs.append(_Seg(str(index), prefix_end, True))
                else:
                    chain.segs.append(_Seg("[]", prefix_end, False))
            elif val == "!!":
                self.i += 1
            elif val == "<" and chain.segs and self.generic_arguments_ahead():
                self.i = self.skip_type(self.i - 1) or self.i + 1
            else:
                return
            chain.end = e[self.i - 1]

    def generic_arguments_ahead(self) -> bool:
        """``register<Copy>(...)`` / ``withType<KotlinCompile> { }`` (Kotlin salvage)."""
        j = self.skip_type(self.i - 1)
        return j is not None and self.k[j] == _OP and self.v[j] in ("(", "{")

    def index_expression(self) -> Value:
        open_tok = self.i
        self.i += 1
        value = self.expression(infix=True) if not self.is_op(self.i, "]") else None
        while self.is_op(self.i, ","):
            self.i += 1
            self.expression(infix=True)
        if self.is_op(self.i, "]"):
            self.i += 1
        else:
            self.unclosed(open_tok)
        return value

    def new_expression(self) -> Value:
        start = self.i
        self.i += 1
        names = [self.v[self.i]]
        self.i += 1
        while self.is_op(self.i, ".") and self.k[self.i + 1] == _ID:
            names.append(self.v[self.i + 1])
            self.i += 2
        if self.is_op(self.i, "<"):
            after = self.skip_type(self.i - 1)
            if after is not None:
                self.i = after
        if not self.is_op(self.i, "("):
            return self.unknown(start)
        line, column = self.position(self.s[start])
        args = self.paren_args()
        if self.is_op(self.i, "{"):  # anonymous class body
            self.skip_balanced()
        return Call(names[-1], None, args, None, line, column)

    def control_expression(self) -> Value:
        """``if (c) a else b`` / ``when (x) { }`` / ``try { } catch ...`` in expression position."""
        start = self.i
        self.i += 1
        self.skip_parens()
        while True:
            self.skip_newlines()
            if self.is_op(self.i, "{"):
                self.skip_balanced()
            elif not self.at_terminator():
                self.expression(infix=True)
            j = self.i
            while self.k[j] == _NL:
                j += 1
            if self.k[j] == _ID and self.v[j] in ("else", "catch", "finally"):
                self.i = j + 1
                self.skip_parens()
                continue
            return self.unknown(start)

    def paren_args(self) -> tuple[Arg, ...]:
        open_tok = self.i
        self.i += 1
        args: list[Arg] = []
        k, v = self.k, self.v
        while True:
            kind, val = k[self.i], v[self.i]
            if kind == _OP and val == ")":
                self.i += 1
                break
            if kind == _EOF or (kind == _OP and val == "}"):
                self.unclosed(open_tok)
                break
            if kind == _OP and val == ",":
                self.i += 1
                continue
            start = self.i
            args.append(self.argument(infix=True))
            if k[self.i] == _EOF or (k[self.i] == _OP and v[self.i] in (",", ")", "}")):
                continue
            self.error(self.i, f"expected ',' or ')', found {self.describe(self.i)}")
            if self.i == start or not self.skip_to_closer(")"):
                self.i = max(self.i, start + 1)
        return tuple(args)

    def skip_to_closer(self, closer: str) -> bool:
        """Skip to ``closer`` at the current nesting level (not past an enclosing '}'); True if found."""
        k, v = self.k, self.v
        i, level = self.i, 0
        while k[i] != _EOF:
            if k[i] == _OP:
                val = v[i]
                if level == 0 and (val == closer or val == "}"):
                    self.i = i
                    return val == closer
                if val in ("(", "[", "{"):
                    level += 1
                elif val in _CLOSERS:
                    level = max(level - 1, 0)  # a stray closer is ignored
            i += 1
        self.i = i
        return False

    def argument(self, infix: bool) -> Arg:
        k, v, i = self.k, self.v, self.i
        if k[i] in (_ID, _STR, _NUM) and k[i + 1] == _OP:
            sep = v[i + 1]
            if sep == ":" or (sep == "=" and infix and k[i] == _ID):
                self.i = i + 2
                return Arg(v[i], self.expression(infix))
        value = self.expression(infix)
        if isinstance(value, Ref) and self.is_op(self.i, "="):  # `f 'a', x.y = 'b'`: assigns, passes 'b'
            self.i += 1
            assigned = self.expression(infix)
            self.argument_assignments.append(Assign(value.path, assigned, *self.position(self.s[i])))
            value = assigned
        return Arg(None, value)

    def list_literal(self) -> Value:
        open_tok = self.i
        self.i += 1
        k, v = self.k, self.v
        if self.is_op(self.i, ":") and self.is_op(self.i + 1, "]"):
            self.i += 2
            return MapValue(())
        items: list[Value] = []
        entries: list[tuple[str, Value]] = []
        while True:
            kind, val = k[self.i], v[self.i]
            if kind == _OP and val == "]":
                self.i += 1
                break
            if kind == _EOF or (kind == _OP and val == "}"):
                self.unclosed(open_tok)
                break
            if kind == _OP and val == ",":
                self.i += 1
                continue
            start = self.i
            if kind in (_ID, _STR, _NUM) and self.is_op(self.i + 1, ":"):
                self.i += 2
                entries.append((val, self.expression(infix=True)))
            else:
                items.append(self.expression(infix=True))
            if k[self.i] == _EOF or (k[self.i] == _OP and v[self.i] in (",", "]", "}")):
                continue
            self.error(self.i, f"expected ',' or ']', found {self.describe(self.i)}")
            if self.i == start or not self.skip_to_closer("]"):
                self.i = max(self.i, start + 1)
        if entries:
            return MapValue(tuple(entries))
        return ListValue(tuple(items))


_KEYWORD_HANDLERS = {
    "if": _Parser.keyword_if,
    "for": _Parser.keyword_loop,
    "while": _Parser.keyword_loop,
    "do": _Parser.keyword_do,
    "try": _Parser.keyword_try,
    "switch": _Parser.keyword_skip_block,
    "synchronized": _Parser.keyword_skip_block,
    "when": _Parser.keyword_skip_block,
    "return": _Parser.keyword_expression,
    "throw": _Parser.keyword_expression,
    "assert": _Parser.keyword_expression,
    "import": _Parser.keyword_skip_statement,
    "package": _Parser.keyword_skip_statement,
    "break": _Parser.keyword_simple,
    "continue": _Parser.keyword_simple,
    "else": _Parser.keyword_simple,
    **{word: _Parser.keyword_type_declaration for word in _TYPE_DECLARATIONS},
    **{word: _Parser.keyword_skip_statement for word in _SKIPPED_DECLARATIONS},
    "fun": _Parser.keyword_function,
}


def parse_number(text: str) -> int | float | Unknown:
    """A Groovy/Kotlin numeric literal (``1_000``, ``34L``, ``0x1F``, ``1.5f``, ``2u``) → int/float."""
    raw = text.replace("_", "")
    try:
        if raw[:2] in ("0x", "0X"):
            return int(raw[2:].rstrip("lLgGiIuU"), 16)
        if raw[:2] in ("0b", "0B"):
            return int(raw[2:].rstrip("lLgGiIuU"), 2)
        if raw[-1] in "fFdD" or "." in raw or "e" in raw or "E" in raw:
            return float(raw.rstrip("fFdDgG"))
        return int(raw.rstrip("lLgGiIuU"))
    except ValueError:
        return Unknown(text)


def _decode(text: str | bytes) -> str:
    if isinstance(text, bytes):
        return text.decode("utf-8", errors="replace")
    return text


def parse_groovy(text: str | bytes, *, line_offset: int = 0, column_offset: int = 0) -> Script:
    """Parse a Groovy Gradle script; never raises.

    ``line_offset``/``column_offset`` shift reported positions (used when parsing a fragment of a larger
    file: the fragment's first line is reported as line ``1 + line_offset``).
    """
    source = _decode(text)
    try:
        parser = _Parser(source, line_offset, column_offset)
    except Exception as exc:  # noqa: BLE001  # pragma: no cover - defensive: the lexer has a catch-all rule
        return Script((), (ParseError(1, 1, f"internal tokenizer error: {exc!r}"),))
    try:
        with recursion_headroom():
            return parser.parse_script()
    except Exception as exc:  # noqa: BLE001 - defensive: report instead of crashing the linter
        line, column = parser.position(parser.s[min(parser.i, len(parser.s) - 1)])
        errors = (*parser.errors, ParseError(line, column, f"internal parser error: {exc!r}"))
        return Script(tuple(parser.top), errors)


@lru_cache(maxsize=2048)
def parse_expression(text: str) -> Value:
    """Parse a single expression (e.g. a ``Call.receiver`` text); ``Unknown`` when it is not one."""
    try:
        parser = _Parser(text)
        with recursion_headroom():
            value = parser.expression(infix=True)
        if parser.errors or parser.k[parser.i] != _EOF:
            return Unknown(text)
        return value
    except Exception:  # noqa: BLE001 - defensive
        return Unknown(text)
