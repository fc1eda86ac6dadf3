"""What the Kotlin and Java extractors share: the walk state and the builders of a FileSummary.

An extractor walks the tree once, depth first, keeping stacks of the enclosing class, function, guards
(conditions that must hold), deferred contexts (lambdas, anonymous classes) and loops. Every call,
object creation, property/field read and function reference becomes a `Site` that remembers them.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import NamedTuple

from tree_sitter import Node

from pipl_lint.model.summary import (
    Arg,
    Atom,
    BoolVar,
    ClassDecl,
    Constant,
    Deferred,
    FileSummary,
    Function,
    Guard,
    Import,
    Site,
    StringLit,
)

MAX_DEPTH = 400
MAX_TEXT = 200
MAX_ARG_ITEMS = 24
MAX_ERRORS = 20
CLOCK_EVERY = 1024  # visits between two looks at the clock

# Factories whose result has the receiver's type: X.getInstance(), X.from(ctx), X.with(...)
FACTORY_NAMES = frozenset({
    "getInstance", "instance", "get", "getDefault", "getDefaultAdapter", "from", "with", "newInstance",
    "getClient", "create", "builder", "getService", "obtain", "shared", "sharedInstance",
})
# Well-known Android getters (Kotlin property or Java method form) and the type they return.
KNOWN_GETTERS: dict[str, str] = {
    "packageManager": "PackageManager", "getPackageManager": "PackageManager",
    "contentResolver": "ContentResolver", "getContentResolver": "ContentResolver",
    "connectionInfo": "WifiInfo", "getConnectionInfo": "WifiInfo",
    "defaultAdapter": "BluetoothAdapter", "getDefaultAdapter": "BluetoothAdapter",
    "adapter": "BluetoothAdapter",
    "bluetoothLeScanner": "BluetoothLeScanner", "getBluetoothLeScanner": "BluetoothLeScanner",
    "getFusedLocationProviderClient": "FusedLocationProviderClient",
    "primaryClip": "ClipData", "getPrimaryClip": "ClipData",
    "applicationContext": "Context", "getApplicationContext": "Context",
    "resources": "Resources", "getResources": "Resources",
}
# Context.XXX_SERVICE constants and the manager they return from getSystemService.
SERVICE_TYPES: dict[str, str] = {
    "TELEPHONY_SERVICE": "TelephonyManager", "WIFI_SERVICE": "WifiManager",
    "CLIPBOARD_SERVICE": "ClipboardManager", "LOCATION_SERVICE": "LocationManager",
    "ACTIVITY_SERVICE": "ActivityManager", "USAGE_STATS_SERVICE": "UsageStatsManager",
    "SENSOR_SERVICE": "SensorManager", "ACCOUNT_SERVICE": "AccountManager",
    "BLUETOOTH_SERVICE": "BluetoothManager", "CAMERA_SERVICE": "CameraManager",
    "CONNECTIVITY_SERVICE": "ConnectivityManager", "TELEPHONY_SUBSCRIPTION_SERVICE": "SubscriptionManager",
    "VIBRATOR_SERVICE": "Vibrator", "POWER_SERVICE": "PowerManager", "ALARM_SERVICE": "AlarmManager",
    "NOTIFICATION_SERVICE": "NotificationManager", "AUDIO_SERVICE": "AudioManager",
    "TELECOM_SERVICE": "TelecomManager", "KEYGUARD_SERVICE": "KeyguardManager",
}
EXIT_CALLS = frozenset({"finish", "finishAffinity", "finishAndRemoveTask", "exitProcess", "exit", "killProcess"})


@dataclass(slots=True)
class ClassBuilder:
    fqn: str
    name: str
    kind: str
    supertypes: list[str]
    outer: str | None
    line: int
    column: int
    modifiers: tuple[str, ...]
    fields: dict[str, str] = field(default_factory=dict)


class Collector:
    """Gathers what an argument or a condition reads while the walk passes through it."""

    __slots__ = ("calls", "refs", "strings")

    def __init__(self) -> None:
        self.strings: list[str] = []
        self.refs: list[str] = []
        self.calls: list[str] = []


# A site as the walk meets it, a plain tuple (one is made per site; a NamedTuple's constructor is a Python call):
# (kind, name, receiver, rtype, static, receiver_ident, args, node, function, guards, deferred, in_loop), where
# receiver_ident is a simple identifier receiver whose type may be a field of the class; `finish` completes it
# (positions, a field's type) into a `Site`.
PendingSite = tuple[str, str, "str | None", "str | None", bool, "str | None", "list[Arg]", Node, int,
                    "tuple[Guard, ...]", "tuple[Deferred, ...]", bool]


class CallContext(NamedTuple):
    """The call whose argument the walk is in (a tuple: one is made per argument, cheaply)."""

    name: str
    receiver: str
    label: str | None
    sam: str  # a SAM-constructor or anonymous type written at the call ("Runnable", "OnClickListener")
    implicit: str | None = None  # Kotlin: type of `this` inside the call's lambda (`with(tm) { }`, `tm.run { }`)


class Extractor:
    """Language-neutral walk state; subclasses implement `visit`."""

    language = ""

    def __init__(self, path: str, src: bytes) -> None:
        self.path = path
        self.src = src
        # The bytes as a str of one character per byte (latin-1): byte offsets index it, and a slice that is
        # ASCII (`str.isascii()` is a flag check) is already the text; only other slices are decoded as UTF-8.
        self.is_ascii = src.isascii()
        self.chars = src.decode("latin-1")
        self.package = ""
        self.imports: list[Import] = []
        self.classes: list[ClassBuilder] = []
        self.class_stack: list[ClassBuilder] = []
        self.functions: list[Function] = []
        self.function_keys: dict[tuple[str, str], int] = {}
        self.locals: list[dict[str, str]] = []
        # Per function: what a local's initialiser reads, when it is one plain read (`val on = prefs.isOn()`).
        self.local_values: list[dict[str, Collector]] = []
        self.element_types: dict[str, str] = {}  # Kotlin: element type of collection-typed properties and locals
        self.refs: list[dict[str, int]] = []
        self.current = -1
        self.guards: list[Guard] = []
        self.deferred: list[Deferred] = []
        self.ctx: list[CallContext | None] = []
        self.implicit: list[str] = []  # Kotlin: types of the implicit receivers of the enclosing scope lambdas
        self.collectors: list[Collector] = []
        self.loops = 0
        self.pending: list[PendingSite] = []
        self.pending_writes: list[PendingSite] = []  # assignments to names (FileSummary.writes)
        self.bools: list[BoolVar] = []  # boolean fields with their initial values
        self.local_names: dict[str, list[tuple[int, int]]] = {}  # local name -> (function, line) declaring it
        self.constants: list[Constant] = []
        self.strings: list[StringLit] = []
        self.suppressions: list[tuple[int, int, str]] = []
        self.errors: list[tuple[int, int]] = []
        self.too_deep = False
        self.facade = ""
        self.deadline = math.inf  # time.perf_counter() value after which the walk stops
        self.timed_out = False
        self.visits = 0
        self._by_fqn: dict[str, ClassBuilder] | None = None

    def out_of_time(self) -> bool:
        """True once the deadline has passed (checked every CLOCK_EVERY visits); the walk then unwinds and
        the summary holds what was seen so far. (The extractors' `visit` has this inlined.)"""
        self.visits += 1
        if not self.timed_out and not self.visits % CLOCK_EVERY:
            self.clock_ran_out()
        return self.timed_out

    def clock_ran_out(self) -> bool:
        """Look at the clock (every CLOCK_EVERY visits): True, and `timed_out` set, once past the deadline."""
        if time.perf_counter() > self.deadline:
            self.timed_out = True
        return self.timed_out

    # --- text and positions ------------------------------------------------------------------------
    def text(self, node: Node | None, limit: int = MAX_TEXT) -> str:
        """The node's source text with whitespace runs collapsed, capped at `limit` characters."""
        if node is None:
            return ""
        start = node.start_byte
        end = node.end_byte
        if end - start > limit * 4:
            end = start + limit * 4
        text = self.chars[start:end]
        if not text.isascii():
            text = text.encode("latin-1").decode("utf-8", "replace")
        if len(text) > 8 and ("  " in text or (not text.isprintable() and ("\n" in text or "\t" in text
                                                                         or "\r" in text))):
            text = " ".join(text.split())
        return text if len(text) <= limit else text[:limit]

    def raw_text(self, node: Node) -> str:
        """The node's source text as written (invalid UTF-8 replaced), from the latin-1 view: only a slice that is
        not ASCII is decoded."""
        text = self.chars[node.start_byte : node.end_byte]
        return text if text.isascii() else text.encode("latin-1").decode("utf-8", "replace")

    def column(self, node: Node) -> int:
        """1-based character column of the node's start."""
        return self.char_column(node.start_byte, node.start_point[1])

    def end_column(self, node: Node) -> int:
        return self.char_column(node.end_byte, node.end_point[1])

    def char_column(self, offset: int, byte_column: int) -> int:
        """1-based character column of byte `offset`, `byte_column` bytes into its line."""
        if self.is_ascii:
            return byte_column + 1
        seg = self.chars[offset - byte_column : offset]
        return (len(seg) if seg.isascii() else len(seg.encode("latin-1").decode("utf-8", "replace"))) + 1

    # --- scopes ------------------------------------------------------------------------------------
    @property
    def owner(self) -> str:
        return self.class_stack[-1].fqn if self.class_stack else self.facade

    def qualify(self, name: str) -> str:
        if self.class_stack:
            return f"{self.class_stack[-1].fqn}.{name}"
        return f"{self.package}.{name}" if self.package else name

    def push_class(self, name: str, kind: str, supertypes: Iterable[str], node: Node,
                   modifiers: tuple[str, ...] = ()) -> ClassBuilder:
        outer = self.class_stack[-1].fqn if self.class_stack else None
        cb = ClassBuilder(self.qualify(name), name, kind, [s for s in supertypes if s], outer,
                          node.start_point[0] + 1, self.column(node), modifiers)
        self.classes.append(cb)
        self.class_stack.append(cb)
        return cb

    def pop_class(self) -> None:
        self.class_stack.pop()

    def function_index(self, name: str, node: Node, params: tuple[str, ...] = (),
                       param_types: tuple[str, ...] = (), extension: str | None = None,
                       modifiers: tuple[str, ...] = (), owner: str | None = None,
                       merge: bool = False) -> int:
        """Create a function (or reuse the merged pseudo-function `<init>`/`<clinit>` of the owner)."""
        owner = owner or self.owner
        key = (owner, name)
        if merge and key in self.function_keys:
            return self.function_keys[key]
        self.functions.append(Function(name, owner, params, param_types, extension,
                                       node.start_point[0] + 1, self.column(node), node.end_point[0] + 1,
                                       modifiers))
        self.locals.append(dict(zip(params, param_types, strict=False)))
        self.local_values.append({})
        self.refs.append({})
        idx = len(self.functions) - 1
        if merge:
            self.function_keys[key] = idx
        return idx

    def enter_function(self, idx: int) -> tuple[int, list[Guard], list[Deferred], list[CallContext | None], int]:
        saved = (self.current, self.guards, self.deferred, self.ctx, self.loops)
        self.current, self.guards, self.deferred, self.ctx, self.loops = idx, [], [], [], 0
        return saved

    def leave_function(self, saved: tuple[int, list[Guard], list[Deferred], list[CallContext | None], int]) -> None:
        self.current, self.guards, self.deferred, self.ctx, self.loops = saved

    def declare_local(self, name: str, type_text: str | None) -> None:
        if type_text and 0 <= self.current < len(self.locals):
            self.locals[self.current][name] = type_text

    def local_type(self, name: str) -> str | None:
        if 0 <= self.current < len(self.locals):
            return self.locals[self.current].get(name)
        return None

    # --- collectors ----------------------------------------------------------------------------------
    def collect_string(self, value: str) -> None:
        for c in self.collectors:
            if len(c.strings) < MAX_ARG_ITEMS:
                c.strings.append(value)

    def collect_ref(self, ref: str) -> None:
        for c in self.collectors:
            if len(c.refs) < MAX_ARG_ITEMS:
                c.refs.append(ref)

    def collect_call(self, call: str) -> None:
        for c in self.collectors:
            if len(c.calls) < MAX_ARG_ITEMS:
                c.calls.append(call)

    def add_ref(self, name: str, node: Node) -> None:
        current = self.current
        if 0 <= current < len(self.refs):
            refs = self.refs[current]
            if name not in refs:
                refs[name] = node.start_point[0] + 1
        if self.collectors:
            self.collect_ref(name)

    def add_string(self, value: str, node: Node) -> None:
        value = value[:300]
        self.strings.append(StringLit(value, node.start_point[0] + 1, self.column(node), self.current))
        self.collect_string(value)

    # --- sites ---------------------------------------------------------------------------------------
    def add_site(self, kind: str, name: str, receiver: str | None, rtype: str | None, static: bool,
                 receiver_ident: str | None, args: list[Arg], node: Node) -> None:
        self.pending.append((kind, name, receiver, rtype, static, receiver_ident, args, node, self.current,
                             tuple(self.guards), tuple(self.deferred), self.loops > 0))

    def add_write(self, name: str, receiver: str | None, value: Node | None, node: Node) -> None:
        """An assignment `name = value` (`receiver.name = value`): a site of kind "assign" whose argument is the
        value as written (FileSummary.writes)."""
        text = self.text(value, 60) if value is not None else ""
        self.pending_writes.append(("assign", name, receiver, None, False, None, [Arg(text, None, (), ())], node,
                                    self.current, tuple(self.guards), tuple(self.deferred), self.loops > 0))

    def add_bool(self, name: str, type_text: str | None, value: Node | None, line: int) -> None:
        """A property or field: recorded with its initial value when it is a boolean (declared so, or initialised
        with a boolean literal)."""
        text = self.text(value, 60) if value is not None else ""
        if name and (type_text in ("Boolean", "boolean") or text in ("true", "false")):
            self.bools.append(BoolVar(self.owner, name, text, -1, line))

    def add_local_name(self, name: str, line: int) -> None:
        """A local declared in the current function (kept when it hides a boolean field of the file)."""
        if name and self.current >= 0:
            self.local_names.setdefault(name, []).append((self.current, line))

    def remember_local_value(self, name: str, value: Node | None, plain: frozenset[str],
                             gather: Callable[[Node, Collector, int], None]) -> None:
        """Record what a local's initialiser reads when it is one plain read - a name or a call chain, no
        operator (`val start = PreferenceHelper.getInstance().shouldStartOnBoot()`; `plain` names the node
        types that are), so that a condition on the local reads it too (`if (start)`). A local initialised
        with anything else is forgotten."""
        if not (0 <= self.current < len(self.local_values)) or not name:
            return
        values = self.local_values[self.current]
        if value is None or value.type not in plain or value.end_byte - value.start_byte > 200:
            values.pop(name, None)
            return
        col = Collector()
        gather(value, col, 0)
        values[name] = col

    def make_atoms(self, positive: bool, parts: list[tuple[str, bool, Collector]]) -> tuple[Atom, ...]:
        values = self.local_values[self.current] if 0 <= self.current < len(self.local_values) else {}
        out: list[Atom] = []
        for text, pos, c in parts:
            calls, refs, strings = list(c.calls), list(c.refs), list(c.strings)
            local = text.lstrip("!").strip().removesuffix(" != null").removesuffix(" == null").strip()
            # A condition that is a local (or its null test), or tests one (`TextUtils.isEmpty(saved)`,
            # `!saved.equals("0")`): it reads what the local's initialiser read.
            for name in [local] if local in values else [r for r in c.refs if r in values][:2]:
                v = values[name]
                calls += [x for x in v.calls if x not in calls][:MAX_ARG_ITEMS]
                refs += [x for x in v.refs if x not in refs][:MAX_ARG_ITEMS]
                strings += [x for x in v.strings if x not in strings][:MAX_ARG_ITEMS]
            out.append(Atom(text, pos == positive, tuple(calls), tuple(refs), tuple(strings)))
        return tuple(out)

    def context_deferred(self, kind: str, label: str | None = None, supertype: str = "",
                         line: int = 0) -> Deferred:
        ctx = self.ctx[-1] if self.ctx else None
        if ctx is None:
            return Deferred(kind, "", "", label or "", supertype, line)
        sam = supertype or ctx.sam
        if ctx.sam and len(self.ctx) > 1 and self.ctx[-2] is not None:
            outer = self.ctx[-2]
            assert outer is not None
            return Deferred(kind, outer.name, outer.receiver, label or outer.label or "", sam, line)
        return Deferred(kind, ctx.name, ctx.receiver, label or ctx.label or "", sam, line)

    def record_error(self, node: Node) -> None:
        if len(self.errors) < MAX_ERRORS:
            self.errors.append((node.start_point[0] + 1, self.column(node)))

    # --- result --------------------------------------------------------------------------------------
    def field_type(self, function: int, ident: str) -> str | None:
        if function < 0 or function >= len(self.functions):
            return None
        owner: str | None = self.functions[function].owner
        if self._by_fqn is None or len(self._by_fqn) != len(self.classes):
            self._by_fqn = {c.fqn: c for c in self.classes}
        by_fqn = self._by_fqn
        while owner and owner in by_fqn:
            cb = by_fqn[owner]
            if ident in cb.fields:
                return cb.fields[ident]
            owner = cb.outer
        return None

    def finish(self) -> FileSummary:
        sites = []
        column = self.char_column
        ascii_ = self.is_ascii
        for kind, name, receiver, rtype, static, ident, args, n, function, guards, deferred, in_loop in self.pending:
            if rtype is None and ident:
                rtype = self.field_type(function, ident)
            start, end = n.start_point, n.end_point
            start_byte, end_byte = n.start_byte, n.end_byte
            sites.append(Site(
                kind, name, receiver, rtype, static and rtype is None, tuple(args),
                start[0] + 1, start[1] + 1 if ascii_ else column(start_byte, start[1]),
                end[0] + 1, end[1] + 1 if ascii_ else column(end_byte, end[1]),
                function, guards, deferred, in_loop, start_byte, end_byte,
            ))
        writes = tuple(
            Site(kind, name, receiver, rtype, static, tuple(args), n.start_point[0] + 1,
                 column(n.start_byte, n.start_point[1]), n.end_point[0] + 1, column(n.end_byte, n.end_point[1]),
                 function, guards, deferred, in_loop, n.start_byte, n.end_byte)
            for kind, name, receiver, rtype, static, _ident, args, n, function, guards, deferred, in_loop
            in self.pending_writes)
        field_names = {b.name for b in self.bools}
        bools = (*self.bools, *(BoolVar(self.functions[f].owner, name, "", f, line)
                                for name in field_names for f, line in self.local_names.get(name, ())))
        classes = tuple(
            ClassDecl(c.fqn, c.name, c.kind, tuple(c.supertypes), c.outer, c.line, c.column,
                      tuple(sorted(c.fields.items())), c.modifiers)
            for c in self.classes
        )
        return FileSummary(
            self.path, self.language, self.package, tuple(self.imports), classes, tuple(self.functions),
            tuple(sites), tuple(self.constants), tuple(self.strings),
            tuple(sorted(set(self.suppressions))), tuple(self.errors), self.facade,
            tuple(tuple(r.items()) for r in self.refs), bools, writes,
        )


def strip_type(text: str) -> str:
    """`Map<String, Int>?` → `Map`; `com.x.Foo.Bar<T>` → `com.x.Foo.Bar`; `Foo[]` → `Foo`."""
    text = text.strip()
    cut = len(text)
    for ch in "<?[( ":
        i = text.find(ch)
        if 0 <= i < cut:
            cut = i
    return text[:cut].strip().lstrip("@")


def is_type_name(text: str) -> bool:
    """A dotted path whose last or first segment looks like a type (`Settings.Secure`, `Foo`)."""
    if not text or not all(p.isidentifier() for p in text.split(".")):
        return False
    parts = text.split(".")
    return any(p[:1].isupper() for p in parts)
