"""A tiny, language-neutral AST for Gradle build scripts.

Both the Groovy DSL parser (:mod:`pipl_lint.parse.groovy`) and the Kotlin DSL converter
(:mod:`pipl_lint.parse.gradle_kts`) produce this AST, so that the interpreter
(:mod:`pipl_lint.project.gradle`) is written once.

The model is deliberately small:

* a script is a sequence of statements, each either a :class:`Call` (``android { ... }``,
  ``implementation 'g:n:v'``, ``id("x")``) or an :class:`Assign` (``minSdk = 24``, ``val x = "1"``,
  ``def x = 1``, ``ext.x = 1``);
* values are Python scalars (``str`` keeps string templates verbatim, e.g. ``"com.x:y:$ver"``), dotted
  references (:class:`Ref`), nested calls, map and list literals, or :class:`Unknown` for anything the
  model does not cover (arithmetic, conditionals, closures used as values, ...).

Conventions shared by both front ends:

* ``Call.receiver`` is the compact source text of the expression before the last ``.`` (whitespace
  removed), e.g. ``"buildTypes"`` for ``buildTypes.release { }`` or ``'buildTypes.getByName("debug")'``
  for ``buildTypes.getByName("debug").apply { }``; ``None`` when there is no receiver.
* Plugin-style chains ``id 'x' version '1.0' apply false`` (Groovy) and ``id("x") version "1.0" apply
  false`` (Kotlin infix) become a single ``Call("id", args=("x", Arg("version", "1.0"),
  Arg("apply", False)))``.
* Kotlin's ``a to b`` and other infix calls become ``Call(name="to", receiver=None, args=(a, b))``;
  ``mapOf(...)``/``listOf(...)`` (and their mutable/array/set variants) become :class:`MapValue` /
  :class:`ListValue`.
* ``x += v`` becomes ``Call("plusAssign", receiver="x", args=(v,))`` (likewise ``minusAssign``).
* Index access with a literal key is folded into the dotted path: ``extra["x"]`` → ``Ref("extra.x")``,
  ``ext['x'] = 1`` → ``Assign("ext.x", 1)``.
* Lines and columns are 1-based; columns count characters, not bytes.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "Arg",
    "Assign",
    "Call",
    "ListValue",
    "MapValue",
    "ParseError",
    "Ref",
    "Script",
    "Statement",
    "Unknown",
    "Value",
    "collection_literal",
    "compact",
    "walk_calls",
]


@dataclass(frozen=True, slots=True)
class Ref:
    """A dotted identifier path, e.g. ``libs.firebase.analytics`` or ``rootProject.ext.minSdk``."""

    path: str


@dataclass(frozen=True, slots=True)
class Unknown:
    """An expression the model does not represent; ``text`` is (a prefix of) its source text."""

    text: str


@dataclass(frozen=True, slots=True)
class MapValue:
    items: tuple[tuple[str, Value], ...]

    def get(self, key: str) -> Value:
        for k, v in self.items:
            if k == key:
                return v
        return None


@dataclass(frozen=True, slots=True)
class ListValue:
    items: tuple[Value, ...]


@dataclass(frozen=True, slots=True)
class Arg:
    """A call argument; ``name`` is set for named arguments (``group: 'x'`` / ``group = "x"``)."""

    name: str | None
    value: Value


@dataclass(frozen=True, slots=True)
class Call:
    name: str
    receiver: str | None
    args: tuple[Arg, ...]
    closure: tuple[Statement, ...] | None
    line: int
    column: int

    @property
    def positional(self) -> tuple[Value, ...]:
        return tuple(a.value for a in self.args if a.name is None)

    def named(self, name: str) -> Value:
        for a in self.args:
            if a.name == name:
                return a.value
        return None

    def has_named(self, name: str) -> bool:
        return any(a.name == name for a in self.args)


@dataclass(frozen=True, slots=True)
class Assign:
    target: str
    value: Value
    line: int
    column: int


@dataclass(frozen=True, slots=True)
class ParseError:
    line: int
    column: int
    message: str


Value = str | int | float | bool | None | Ref | Call | MapValue | ListValue | Unknown
Statement = Call | Assign


@dataclass(frozen=True, slots=True)
class Script:
    statements: tuple[Statement, ...]
    errors: tuple[ParseError, ...]


def walk_calls(statements: tuple[Statement, ...]) -> list[Call]:
    """All calls at statement level, depth first (closure bodies included), without recursion."""
    out: list[Call] = []
    stack: list[Statement] = list(reversed(statements))
    while stack:
        stmt = stack.pop()
        if isinstance(stmt, Call):
            out.append(stmt)
            if stmt.closure:
                stack.extend(reversed(stmt.closure))
    return out


_LIST_FUNCTIONS = frozenset(
    {
        "listOf", "mutableListOf", "arrayListOf", "arrayOf", "setOf", "mutableSetOf", "hashSetOf",
        "linkedSetOf", "listOfNotNull",
    }
)
_MAP_FUNCTIONS = frozenset({"mapOf", "mutableMapOf", "hashMapOf", "linkedMapOf"})


def collection_literal(name: str, receiver: str | None, args: tuple[Arg, ...]) -> Value | None:
    """``listOf(a, b)`` → ``ListValue``; ``mapOf("a" to 1)`` → ``MapValue``; anything else → ``None``."""
    if receiver is not None:
        return None
    if name in _LIST_FUNCTIONS:
        return ListValue(tuple(a.value for a in args))
    if name in _MAP_FUNCTIONS:
        items: list[tuple[str, Value]] = []
        for a in args:
            pair = a.value
            if not (isinstance(pair, Call) and pair.name == "to" and len(pair.args) == 2):
                return None
            key = pair.args[0].value
            if not isinstance(key, str | int | Ref):
                return None
            items.append((key.path if isinstance(key, Ref) else str(key), pair.args[1].value))
        return MapValue(tuple(items))
    return None


def compact(text: str) -> str:
    """Source text with whitespace removed, except a single space between two word characters."""
    parts = text.split()
    if len(parts) <= 1:
        return parts[0] if parts else ""
    out = [parts[0]]
    for part in parts[1:]:
        prev = out[-1][-1]
        if (prev.isalnum() or prev in "_$") and (part[0].isalnum() or part[0] in "_$"):
            out.append(" ")
        out.append(part)
    return "".join(out)
