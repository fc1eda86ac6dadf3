"""Per-file summaries of Kotlin and Java sources: what the whole-project analysis needs, nothing more.

A summary depends only on the file's bytes (and the extractor version), so it can be cached by content
hash. The types are frozen msgspec Structs encoded as arrays: the cache decodes them against these exact
types (fast, and a crafted cache entry can only fail validation, never run code).
"""

from __future__ import annotations

import msgspec

SUMMARY_VERSION = 21  # 17: `with(property) { … }` types; 18: a lambda stored in a field is labelled by its name;
# 19: also Kotlin calls' type arguments are refs of the function (`startScreen<DetailActivity>()`); 20: a `let` /
# `also` lambda's parameter carries what its receiver read; 21: also an argument that chooses its value by one
# condition records the choice (`Arg.choice`)


class Import(msgspec.Struct, frozen=True, array_like=True, gc=False):
    path: str  # com.x.Foo, com.x.Foo.bar (static / top-level function), com.x (wildcard)
    alias: str | None
    static: bool
    wildcard: bool

    @property
    def simple(self) -> str:
        return self.alias or self.path.rsplit(".", 1)[-1]


class Atom(msgspec.Struct, frozen=True, array_like=True, gc=False):
    """One conjunct of a guard condition, with what it reads."""

    text: str
    positive: bool  # the guarded code runs when the atom is true (False: when it is false)
    calls: tuple[str, ...]  # callee names (with receiver text: "Prefs.isAgreed") called inside
    names: tuple[str, ...]  # identifiers read inside
    strings: tuple[str, ...]  # string literals inside


class Guard(msgspec.Struct, frozen=True, array_like=True, gc=False):
    kind: str  # if | else | when | early-return | loop-condition
    atoms: tuple[Atom, ...]  # all hold where the guard applies
    line: int


class Deferred(msgspec.Struct, frozen=True, array_like=True, gc=False):
    """Code that does not run where it is written: a lambda, anonymous class or function reference."""

    kind: str  # lambda | anonymous | reference
    call: str  # name of the call it is handed to ("setOnClickListener", "post", "launch"); "" if none
    receiver: str  # receiver text of that call
    label: str  # named-argument label, or the anonymous class's method name ("onClick")
    supertype: str  # anonymous class supertype / SAM-constructor name
    line: int


class Arg(msgspec.Struct, frozen=True, array_like=True, gc=False):
    text: str
    label: str | None
    strings: tuple[str, ...]  # string literals inside
    refs: tuple[str, ...]  # identifiers and dotted paths inside (Manifest.permission.CAMERA, PERMS)
    calls: tuple[str, ...] = ()  # calls made inside the argument ("Intent().setPackage")
    # An argument whose value one condition chooses: (the condition, as a guard's atom that must hold - a local's
    # initialiser merged in as for guards -, the value written when it holds, the value otherwise):
    # `!enabled` -> (enabled, "false", "true"); `if (enabled) DSN else ""` / `enabled ? DSN : ""` -> (enabled,
    # "DSN", '""'). None for any other argument.
    choice: tuple[Atom, str, str] | None = None


class Site(msgspec.Struct, frozen=True, array_like=True, gc=False):
    """A call, object creation, field/property read or function reference."""

    kind: str  # call | new | field | reference
    name: str  # simple member name; for `new`, the class name as written
    receiver: str | None  # receiver text, None when implicit
    rtype: str | None  # type of the receiver guessed from local declarations, casts and factories
    static: bool  # the receiver is a type or object name (static / object / companion access)
    args: tuple[Arg, ...]
    line: int
    column: int
    end_line: int
    end_column: int
    function: int  # index into FileSummary.functions; -1 at file level
    guards: tuple[Guard, ...]
    deferred: tuple[Deferred, ...]  # enclosing deferred contexts, outermost first
    in_loop: bool
    start: int  # byte offsets in the UTF-8 text (for fixes)
    end: int

    @property
    def qualified(self) -> str:
        return f"{self.receiver}.{self.name}" if self.receiver else self.name


class Function(msgspec.Struct, frozen=True, array_like=True, gc=False):
    name: str  # onCreate, <init> (constructors + initialisers), <clinit> (static/companion), get:prop
    owner: str  # FQN of the declaring class, or the file facade (com.x.UtilKt) for top-level functions
    params: tuple[str, ...]
    param_types: tuple[str, ...]
    extension: str | None  # receiver type of an extension function/property
    line: int
    column: int
    end_line: int
    modifiers: tuple[str, ...]  # override, static, private, suspend ..., then its annotations: @Composable, @Provides


class ClassDecl(msgspec.Struct, frozen=True, array_like=True, gc=False):
    fqn: str
    name: str
    kind: str  # class | interface | object | companion | enum | annotation | record
    supertypes: tuple[str, ...]  # as written, generics stripped
    outer: str | None
    line: int
    column: int
    fields: tuple[tuple[str, str], ...]  # (name, type text) of properties/fields with a known type
    modifiers: tuple[str, ...]


class Constant(msgspec.Struct, frozen=True, array_like=True, gc=False):
    """A property or field initialised with strings / constant references (or an array of them)."""

    owner: str
    name: str
    values: tuple[str, ...]  # string literal contents and dotted references, in order
    line: int


class StringLit(msgspec.Struct, frozen=True, array_like=True, gc=False):
    value: str
    line: int
    column: int
    function: int


class BoolVar(msgspec.Struct, frozen=True, array_like=True, gc=False):
    """A boolean variable as declared: a property or field with the value it starts with (`private var canJump =
    false`; a Java `boolean` field without initialiser starts `false`: value ""), function -1; or a local of a
    function (its index) that hides a boolean field of the same name declared in the file."""

    owner: str  # the declaring class (the file facade for a top-level property)
    name: str
    value: str  # the initialiser as written ("false", "true", "BuildConfig.DEBUG"); "" when none
    function: int  # -1 for a field; the function that declares the local
    line: int


class FileSummary(msgspec.Struct, frozen=True, array_like=True, gc=False):
    path: str  # relative to the scan root
    language: str  # kotlin | java
    package: str
    imports: tuple[Import, ...]
    classes: tuple[ClassDecl, ...]
    functions: tuple[Function, ...]
    sites: tuple[Site, ...]
    constants: tuple[Constant, ...]
    strings: tuple[StringLit, ...]
    suppressions: tuple[tuple[int, int, str], ...]  # (first line, last line, text) of pipl-lint comments / @Suppress
    syntax_errors: tuple[tuple[int, int], ...]  # (line, column) of the first ERROR/MISSING nodes
    facade: str  # the class that holds top-level declarations (com.x.UtilKt / the Java class)
    refs: tuple[tuple[tuple[str, int], ...], ...]  # per function: bare names read, with the first line
    bools: tuple[BoolVar, ...] = ()  # boolean fields and properties with their initial values
    # Assignments to a name or a field (`canJump = true`, `this.canJump = true`, `Splash.sReady = true`) as sites
    # of kind "assign": name is the assigned name, receiver the text before it, args the value. Kept apart from
    # `sites` (nothing resolves them as calls); `model/conditions.py` reads them.
    writes: tuple[Site, ...] = ()


def getter_of(prop: str) -> str:
    """The JVM getter of a Kotlin property or field `prop` (`deviceId` -> `getDeviceId`)."""
    return "get" + prop[:1].upper() + prop[1:]


def setter_of(prop: str) -> str:
    """The JVM setter of a Kotlin property `prop` (`enabled` -> `setEnabled`, `isEnabled` -> `setEnabled`): what an
    assignment `x.prop = v` is recorded as, and what Java code calls to set it."""
    bare = prop[2:] if prop.startswith("is") and prop[2:3].isupper() else prop
    return "set" + bare[:1].upper() + bare[1:]
