#!/usr/bin/env python3
"""Generate a deterministic synthetic multi-module Android project for benchmarking pipl-lint.

    python benchmarks/generate.py OUT_DIR --lines 300000 [--seed 1]

The tree looks like a real app: a Gradle build (settings, root build, version catalog, module builds in
both KTS and Groovy), an `:app` module with an Application, a launcher activity behind a privacy dialog,
a ContentProvider, an androidx.startup initializer and a boot receiver, flavour and debug manifests,
feature / core / util modules (about one per 15,000 lines), Kotlin and Java at about 3:1 by lines, file
sizes from 50 to 600 lines with a few 2,000-line files, and call chains across files, modules and
languages.

Personal-information reads and SDK initialisations are planted on purpose: some run before consent
(`planted` in `generated.json`, each with the rule that must report it), some are behind a consent
check, behind a user action or in dead code (`safe`: nothing may be reported there). The filler code
never touches a catalogued API, so every early-collection finding must be a planted one.

Only the standard library is needed to generate; tree-sitter (a pipl-lint dependency) is used afterwards
to count ERROR/MISSING nodes in the generated Kotlin and Java (`--no-check` skips that).
"""

from __future__ import annotations

import argparse
import json
import math
import random
import shutil
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

GENERATOR_VERSION = 1
LINES_PER_MODULE = 15_000
JAVA_SHARE = 0.25  # Kotlin:Java = 3:1 by lines
PKG = "com.bench"

FEATURE_NOUNS = (
    "order", "cart", "article", "comment", "profile", "message", "payment", "coupon", "invoice", "ticket",
    "video", "playlist", "review", "store", "delivery", "route", "wallet", "reward", "banner", "topic",
    "feed", "booking", "recipe", "course", "lesson", "quiz", "badge", "survey", "draft", "folder", "note",
    "task", "team", "score", "trip", "hotel", "flight", "seat", "menu", "dish", "album", "podcast", "forum",
    "chat", "gift", "member", "shelf", "movie", "game", "news", "weather", "coin", "fund", "bill", "parcel",
    "ride", "pet", "garden", "book", "poem", "song", "market", "auction", "voucher", "lottery", "habit",
)
CORE_TOPICS = (
    "common", "network", "data", "database", "ui", "model", "auth", "config", "image", "storage", "cache",
    "navigation", "design", "session", "logging", "sync", "search", "resources", "paging", "download",
    "upload", "media", "render", "theme", "feature-flags", "experiments", "router", "domain", "metrics",
)
UTIL_TOPICS = (
    "text", "time", "io", "json", "collections", "math", "format", "hash", "ktx", "concurrent", "lang",
    "units", "diff", "retry", "validation", "encoding", "random", "graph", "compress", "bits",
)
VERBS = (
    "load", "refresh", "compute", "build", "format", "merge", "resolve", "apply", "render", "validate",
    "normalize", "sync", "fetch", "restore", "prepare", "transform", "sort", "group", "summarize",
    "update", "clear", "reset", "attach", "bind", "mark", "queue", "prune", "rank", "split", "find",
    "toggle", "persist", "hydrate", "emit", "dispatch", "reconcile", "compact", "expire", "evict",
    "batch", "diff", "patch", "flatten", "collapse", "expand", "shift", "trim", "filter", "lookup",
)
SUFFIXES = ("Items", "Summary", "Page", "Cache", "State", "Entries", "Snapshot", "Batch", "Index", "Stats",
            "Filters", "Queue", "Header", "Details", "Labels", "Counts", "Rows", "Slots", "Links", "Ranks")
CLASS_SUFFIXES = {
    "repository": ("Repository", "Store", "DataSource", "Loader", "Service", "Manager", "Coordinator"),
    "object": ("Registry", "Cache", "Formatter", "Tracker", "Dispatcher", "Config", "Catalog", "Router"),
    "viewmodel": ("ViewModel",),
    "models": ("Models", "Entities", "Types"),
    "interface": ("Source", "Gateway", "Engine", "Backend", "Channel"),
    "extensions": ("Extensions", "Ext", "Helpers", "Functions"),
    "activity": ("Activity",),
    "jutil": ("Utils", "Helper", "Compat", "Codec", "Math"),
    "jhelper": ("Helper", "Controller", "Processor", "Client", "Worker", "Presenter", "Mapper"),
    "jadapter": ("Adapter",),
    "jactivity": ("Activity",),
}

RUNTIME_PERMISSIONS = ("CAMERA", "ACCESS_COARSE_LOCATION", "RECORD_AUDIO", "READ_MEDIA_IMAGES", "POST_NOTIFICATIONS")
KT_TYPES = ("String", "Int", "Boolean", "Long", "List<String>")
JAVA_OF = {"String": "String", "Int": "int", "Boolean": "boolean", "Long": "long", "List<String>": "List<String>",
           "Unit": "void"}
PARAM_NAMES = {
    "String": ("id", "key", "label", "query", "slug", "title", "code", "tag"),
    "Int": ("count", "page", "index", "limit", "offset", "size", "level"),
    "Boolean": ("force", "verbose", "strict", "visible", "cached"),
    "Long": ("timestamp", "since", "delayMs", "version"),
    "List<String>": ("items", "keys", "ids", "names", "lines"),
}
LOCAL_NAMES = {
    "String": ("text", "summary", "caption", "token", "result", "line", "output", "header"),
    "Int": ("total", "counter", "width", "score", "hits", "misses", "depth"),
    "Boolean": ("ready", "changed", "valid", "matched", "dirty"),
    "Long": ("elapsed", "started", "deadline", "stamp"),
    "List<String>": ("rows", "picked", "values", "chunks", "parts"),
}


# ----------------------------------------------------------------------------------------------------
# Model of what has been generated so far (for calls across files and modules)
# ----------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Method:
    name: str
    params: tuple[tuple[str, str], ...]  # (name, Kotlin type)
    ret: str  # Kotlin type or "Unit"
    jvm_static: bool = False  # Kotlin object member with @JvmStatic (Java calls it without INSTANCE)


@dataclass
class Api:
    """A class, object or file facade that other files may call."""

    package: str
    simple: str
    lang: str  # kotlin | java
    style: str  # object | instance | static | companion | toplevel | extension
    methods: list[Method]
    iface: str | None = None  # declared type (interface) for fields holding an instance

    @property
    def fqn(self) -> str:
        return f"{self.package}.{self.simple}"


@dataclass
class Module:
    name: str  # feature-order
    kind: str  # app | feature | core | util
    noun: str  # order / network / text
    package: str
    build: str  # kts | groovy
    src_dir: str  # java | kotlin (where .kt files go)
    deps: list[Module] = field(default_factory=list)
    apis: list[Api] = field(default_factory=list)
    activities: list[tuple[str, str]] = field(default_factory=list)  # (fqn, layout)
    layouts: dict[str, list[str]] = field(default_factory=dict)  # layout name -> view ids
    models: list[tuple[str, str]] = field(default_factory=list)  # (package, data class simple name)
    sdk_deps: set[str] = field(default_factory=set)
    permissions: list[str] = field(default_factory=list)
    budget: int = 0

    @property
    def gradle(self) -> str:
        return f":{self.name}"

    @property
    def dir(self) -> str:
        return self.name

    def src(self, lang: str, source_set: str = "main") -> str:
        sub = self.src_dir if lang == "kotlin" else "java"
        return f"{self.dir}/src/{source_set}/{sub}"


@dataclass
class Mark:
    rule: str
    path: str
    line: int
    what: str
    how: str


@dataclass
class Tree:
    files: dict[str, str] = field(default_factory=dict)
    planted: list[Mark] = field(default_factory=list)
    safe: list[Mark] = field(default_factory=list)
    lines: dict[str, int] = field(default_factory=lambda: {"kotlin": 0, "java": 0})

    def add(self, path: str, lines: list[str]) -> None:
        if path in self.files:
            raise ValueError(f"generated twice: {path}")
        self.files[path] = "\n".join(lines) + "\n"
        lang = {".kt": "kotlin", ".java": "java"}.get(path[path.rfind("."):])
        if lang:
            self.lines[lang] += len(lines)

    def source_lines(self, lang: str) -> int:
        return self.lines[lang]


def camel(*words: str) -> str:
    out = "".join(w[:1].upper() + w[1:] for part in words for w in part.replace("-", " ").split())
    return out


def lower_camel(*words: str) -> str:
    c = camel(*words)
    return c[:1].lower() + c[1:]


def pkg_path(package: str) -> str:
    return package.replace(".", "/")


# ----------------------------------------------------------------------------------------------------
# Function bodies
# ----------------------------------------------------------------------------------------------------
@dataclass
class Collab:
    api: Api
    recv: str | None  # receiver expression in the file's language; None for top-level functions


class FileGen:
    """One source file: its imports, collaborators, class-level fields and a statement generator."""

    def __init__(self, rng: random.Random, lang: str, module: Module, package: str, simple: str,
                 collabs: list[Api]) -> None:
        self.rng = rng
        self.lang = lang
        self.module = module
        self.package = package
        self.simple = simple
        self.imports: set[str] = set()
        self.fields: list[str] = []
        self.features: set[str] = set()  # scope, handler, cache, executor
        self.scope_expr = "scope"  # the coroutine scope (`viewModelScope` in a ViewModel)
        self.collabs: list[Collab] = []
        self.own: list[Method] = []  # methods of this class defined so far (callable from later ones)
        self.used_names: set[str] = set()
        for api in collabs:
            self._add_collab(api)

    # --- collaborators --------------------------------------------------------------------------------
    def imp(self, fqn: str) -> None:
        if fqn.rsplit(".", 1)[0] != self.package:
            self.imports.add(fqn)

    def _add_collab(self, api: Api) -> None:
        kt = self.lang == "kotlin"
        if api.style in ("object", "static", "companion"):
            self.imp(api.fqn)
            self.collabs.append(Collab(api, api.simple))
        elif api.style == "instance":
            name = lower_camel(api.simple)
            if name in self.used_names:
                return
            self.used_names.add(name)
            self.imp(api.fqn)
            declared = api.simple
            if api.iface:
                self.imp(f"{api.package}.{api.iface}")
                declared = api.iface
            if kt:
                self.fields.append(f"private val {name}: {declared} = {api.simple}()")
            else:
                self.fields.append(f"private final {declared} {name} = new {api.simple}();")
            self.collabs.append(Collab(api, name))
        elif api.style in ("toplevel", "extension"):
            if kt:
                for m in api.methods:
                    self.imp(f"{api.package}.{m.name}")
                self.collabs.append(Collab(api, None))
            else:
                self.imp(api.fqn)
                self.collabs.append(Collab(api, api.simple))

    def need(self, feature: str) -> bool:
        """Ask for a class-level helper (coroutine scope, main handler, cache map, executor)."""
        if feature in self.features:
            return True
        kt = self.lang == "kotlin"
        if feature == "scope" and kt:
            self.imports.update({"kotlinx.coroutines.CoroutineScope", "kotlinx.coroutines.Dispatchers",
                                 "kotlinx.coroutines.SupervisorJob", "kotlinx.coroutines.launch"})
            self.fields.append("private val scope = CoroutineScope(SupervisorJob() + Dispatchers.Default)")
        elif feature == "handler":
            self.imports.update({"android.os.Handler", "android.os.Looper"})
            self.fields.append("private val mainHandler = Handler(Looper.getMainLooper())" if kt else
                               "private final Handler mainHandler = new Handler(Looper.getMainLooper());")
        elif feature == "cache":
            if kt:
                self.fields.append("private val cache = mutableMapOf<String, String>()")
            else:
                self.imports.update({"java.util.Map", "java.util.HashMap"})
                self.fields.append("private final Map<String, String> cache = new HashMap<>();")
        elif feature == "executor" and not kt:
            self.imports.update({"java.util.concurrent.ExecutorService", "java.util.concurrent.Executors"})
            self.fields.append("private final ExecutorService executor = Executors.newSingleThreadExecutor();")
        else:
            return False
        self.features.add(feature)
        return True

    # --- expressions ----------------------------------------------------------------------------------
    def literal(self, typ: str) -> str:
        r = self.rng
        kt = self.lang == "kotlin"
        if typ == "String":
            return f'"{self.module.noun}_{r.choice(VERBS)}_{r.randint(1, 99)}"'
        if typ == "Int":
            return str(r.choice((0, 1, 2, 3, 5, 8, 10, 16, 20, 32, 50, 64, 100)))
        if typ == "Boolean":
            return r.choice(("true", "false"))
        if typ == "Long":
            return r.choice(("1_000L", "250L", "60_000L", "0L")) if kt else r.choice(("1000L", "250L", "0L"))
        if typ == "List<String>":
            a, b = r.sample(VERBS, 2)
            if kt:
                return f'listOf("{a}", "{b}")'
            self.imports.add("java.util.Arrays")
            return f'Arrays.asList("{a}", "{b}")'
        raise ValueError(typ)

    def value(self, typ: str, scope: list[tuple[str, str]]) -> str:
        same = [n for n, t in scope if t == typ]
        if same and self.rng.random() < 0.7:
            return self.rng.choice(same)
        return self.literal(typ)

    def cond(self, scope: list[tuple[str, str]]) -> str:
        r = self.rng
        kt = self.lang == "kotlin"
        opts: list[str] = []
        for n, t in scope:
            if t == "Int":
                opts.append(f"{n} > {r.randint(0, 9)}")
                opts.append(f"{n} % 2 == 0")
            elif t == "String":
                opts.append(f"{n}.isNotEmpty()" if kt else f"!{n}.isEmpty()")
                opts.append(f'{n}.startsWith("{r.choice(VERBS)}")')
            elif t == "Boolean":
                opts.append(n)
                opts.append(f"!{n}")
            elif t == "List<String>":
                opts.append(f"{n}.isEmpty()")
                opts.append(f"{n}.size > {r.randint(1, 5)}" if kt else f"{n}.size() > {r.randint(1, 5)}")
            elif t == "Long":
                opts.append(f"{n} > 0L")
        if not opts:
            opts.append("System.currentTimeMillis() % 2 == 0L" if kt else "System.currentTimeMillis() % 2 == 0")
        c = r.choice(opts)
        if len(opts) > 1 and r.random() < 0.3:
            c = f"{c} {r.choice(('&&', '||'))} {r.choice(opts)}"
        return c

    def call_options(self) -> list[tuple[Collab | None, Method]]:
        opts: list[tuple[Collab | None, Method]] = [(c, m) for c in self.collabs for m in c.api.methods]
        opts += [(None, m) for m in self.own]
        return opts

    def call(self, target: tuple[Collab | None, Method], scope: list[tuple[str, str]]) -> str:
        collab, m = target
        params = list(m.params)
        kt = self.lang == "kotlin"
        if collab is not None and collab.api.style == "extension" and kt:
            recv_arg = self.value(params[0][1], scope)
            args = ", ".join(self.value(t, scope) for _n, t in params[1:])
            if not recv_arg.isidentifier():
                recv_arg = f"({recv_arg})"
            return f"{recv_arg}.{m.name}({args})"
        args = ", ".join(self.value(t, scope) for _n, t in params)
        if collab is None or collab.recv is None:
            return f"{m.name}({args})"
        recv = collab.recv
        if not kt and collab.api.lang == "kotlin" and collab.api.style == "object" and not m.jvm_static:
            recv = f"{recv}.INSTANCE"
        return f"{recv}.{m.name}({args})"

    def fresh(self, typ: str, scope: list[tuple[str, str]]) -> str:
        taken = {n for n, _ in scope}
        base = self.rng.choice(LOCAL_NAMES[typ])
        name, i = base, 2
        while name in taken:
            name, i = f"{base}{i}", i + 1
        return name

    # --- statements -----------------------------------------------------------------------------------
    def statements(self, scope: list[tuple[str, str]], count: int, depth: int = 0) -> list[str]:
        out: list[str] = []
        for _ in range(count):
            out += self.statement(scope, depth)
        return out

    def statement(self, scope: list[tuple[str, str]], depth: int) -> list[str]:
        kinds = ["call", "call", "call", "log", "builder"]
        if depth < 2:
            kinds += ["if", "if", "loop", "switch", "try", "async", "lambda"]
        if self.lang == "kotlin":
            kinds += ["template", "chain"] + (["model"] if self.module.models else [])
        else:
            kinds += ["generic", "ternary"]
        kind = self.rng.choice(kinds)
        return getattr(self, f"{'kt' if self.lang == 'kotlin' else 'j'}_{kind}")(scope, depth)

    # Kotlin --------------------------------------------------------------------------------------------
    def kt_call(self, scope: list[tuple[str, str]], depth: int) -> list[str]:
        opts = self.call_options()
        if not opts:
            return self.kt_log(scope, depth)
        target = self.rng.choice(opts)
        expr = self.call(target, scope)
        ret = target[1].ret
        if ret == "Unit":
            return [expr]
        name = self.fresh(ret, scope)
        scope.append((name, ret))
        return [f"val {name} = {expr}"]

    def kt_log(self, scope: list[tuple[str, str]], depth: int) -> list[str]:
        self.imports.add("android.util.Log")
        names = [n for n, t in scope if t in ("String", "Int", "Long", "Boolean")]
        detail = f" ${self.rng.choice(names)}" if names else ""
        level = self.rng.choice(("d", "d", "i", "v"))
        return [f'Log.{level}(TAG, "{self.rng.choice(VERBS)} {self.module.noun}{detail}")']

    def kt_builder(self, scope: list[tuple[str, str]], depth: int) -> list[str]:
        name = self.fresh("String", scope)
        parts = [self.value(t, scope) for t in self.rng.sample(("String", "Int", "Long"), 2)]
        lines = ["val sb = StringBuilder()" if "sb" not in {n for n, _ in scope} else "sb.clear()"]
        scope.append(("sb", "StringBuilder"))
        lines.append(f"sb.append({parts[0]}).append('/').append({parts[1]})")
        lines.append(f"val {name} = sb.toString()")
        scope.append((name, "String"))
        return lines

    def kt_template(self, scope: list[tuple[str, str]], depth: int) -> list[str]:
        name = self.fresh("String", scope)
        bits = []
        for n, t in scope:
            if t in ("String", "Int", "Long"):
                bits.append(f"${n}" if self.rng.random() < 0.5 else f"${{{n}}}")
            elif t == "List<String>":
                bits.append(f"${{{n}.size}}")
        self.rng.shuffle(bits)
        text = " ".join(bits[:3]) or "${System.currentTimeMillis()}"
        scope.append((name, "String"))
        return [f'val {name} = "{self.module.noun} {text}"']

    def kt_chain(self, scope: list[tuple[str, str]], depth: int) -> list[str]:
        src = self.value("List<String>", scope)
        name = self.fresh("List<String>", scope)
        scope.append((name, "List<String>"))
        steps = self.rng.sample((".filter { it.isNotBlank() }", ".map { it.trim() }", ".distinct()",
                                 ".sortedBy { it.length }", ".map { item -> item.lowercase() }",
                                 f".take({self.rng.randint(3, 30)})", ".filterNot { it.startsWith(\"#\") }"), 3)
        if self.rng.random() < 0.5:
            return [f"val {name} = {src}{''.join(steps)}"]
        return [f"val {name} = {src}", *(f"    {s}" for s in steps)]

    def kt_model(self, scope: list[tuple[str, str]], depth: int) -> list[str]:
        package, simple = self.rng.choice(self.module.models)
        self.imp(f"{package}.{simple}")
        name = lower_camel(simple)
        taken = {n for n, _ in scope}
        if name in taken:
            name += str(len(scope))
        scope.append((name, simple))
        return [f"val {name} = {simple}(id = {self.value('String', scope)}, "
                f"title = {self.value('String', scope)}, count = {self.value('Int', scope)})",
                *self.kt_log([(f"{{{name}.title}}", "String")], depth)]

    def kt_if(self, scope: list[tuple[str, str]], depth: int) -> list[str]:
        lines = [f"if ({self.cond(scope)}) {{"]
        lines += ind(self.statements(list(scope), self.rng.randint(1, 3), depth + 1))
        if self.rng.random() < 0.6:
            lines.append("} else {")
            lines += ind(self.statements(list(scope), self.rng.randint(1, 2), depth + 1))
        lines.append("}")
        return lines

    def kt_loop(self, scope: list[tuple[str, str]], depth: int) -> list[str]:
        src = self.value("List<String>", scope)
        inner = [*scope, ("item", "String")]
        body = ["if (item.isBlank()) continue", *self.statements(inner, self.rng.randint(1, 2), depth + 1)]
        return [f"for (item in {src}) {{", *ind(body), "}"]

    def kt_switch(self, scope: list[tuple[str, str]], depth: int) -> list[str]:
        subject = self.value("Int", scope)
        name = self.fresh("String", scope)
        s = self.value("String", scope)
        scope.append((name, "String"))
        return [f"val {name} = when ({subject} % 4) {{",
                f'    0 -> "{self.rng.choice(VERBS)}"',
                f'    1 -> "{self.module.noun}-${{{subject} + 1}}"',
                f"    2 -> {s}.uppercase()",
                f'    else -> "{self.rng.choice(VERBS)}"',
                "}"]

    def kt_try(self, scope: list[tuple[str, str]], depth: int) -> list[str]:
        self.imports.add("android.util.Log")
        exc = self.rng.choice(("IllegalStateException", "IllegalArgumentException", "RuntimeException"))
        return ["try {", *ind(self.statements(list(scope), self.rng.randint(1, 2), depth + 1)),
                f"}} catch (e: {exc}) {{", f'    Log.w(TAG, "{self.rng.choice(VERBS)} failed: ${{e.message}}", e)',
                "}"]

    def kt_async(self, scope: list[tuple[str, str]], depth: int) -> list[str]:
        if self.rng.random() < 0.5 and self.need("scope"):
            body = self.statements(list(scope), self.rng.randint(1, 2), depth + 1)
            if self.rng.random() < 0.5:
                self.imports.update({"kotlinx.coroutines.withContext"})
                inner = self.statements(list(scope), 1, depth + 1)
                body = ["withContext(Dispatchers.IO) {", *ind(inner), "}", *body]
            return [f"{self.scope_expr}.launch {{", *ind(body), "}"]
        self.need("handler")
        body = self.statements(list(scope), self.rng.randint(1, 2), depth + 1)
        if self.rng.random() < 0.5:
            return ["mainHandler.post {", *ind(body), "}"]
        return ["mainHandler.postDelayed({", *ind(body), f"}}, {self.rng.choice((100, 250, 500))}L)"]

    def kt_lambda(self, scope: list[tuple[str, str]], depth: int) -> list[str]:
        s = self.value("String", scope)
        if not s.isidentifier():
            s = f"({s})"
        self.need("cache")
        body = [f"cache[key] = {self.value('String', scope)}",
                *self.statements([*scope, ("key", "String")], 1, depth + 1)]
        return [f"{s}.takeIf {{ it.isNotEmpty() }}?.let {{ key ->", *ind(body), "}"]

    # Java ----------------------------------------------------------------------------------------------
    def j_call(self, scope: list[tuple[str, str]], depth: int) -> list[str]:
        opts = self.call_options()
        if not opts:
            return self.j_log(scope, depth)
        target = self.rng.choice(opts)
        expr = self.call(target, scope)
        ret = target[1].ret
        if ret == "Unit":
            return [f"{expr};"]
        name = self.fresh(ret, scope)
        scope.append((name, ret))
        if ret == "List<String>":
            self.imports.add("java.util.List")
        return [f"{JAVA_OF[ret]} {name} = {expr};"]

    def j_log(self, scope: list[tuple[str, str]], depth: int) -> list[str]:
        self.imports.add("android.util.Log")
        names = [n for n, t in scope if t in ("String", "Int", "Long", "Boolean")]
        detail = f' + " " + {self.rng.choice(names)}' if names else ""
        return [f'Log.{self.rng.choice(("d", "d", "i"))}(TAG, "{self.rng.choice(VERBS)} {self.module.noun}"{detail});']

    def j_builder(self, scope: list[tuple[str, str]], depth: int) -> list[str]:
        name = self.fresh("String", scope)
        sb = "sb" if "sb" not in {n for n, _ in scope} else f"sb{len(scope)}"
        scope.append((sb, "StringBuilder"))
        parts = [self.value(t, scope) for t in self.rng.sample(("String", "Int", "Long"), 2)]
        scope.append((name, "String"))
        return [f"StringBuilder {sb} = new StringBuilder();",
                f"{sb}.append({parts[0]}).append('/').append({parts[1]});",
                f"String {name} = {sb}.toString();"]

    def j_ternary(self, scope: list[tuple[str, str]], depth: int) -> list[str]:
        name = self.fresh("String", scope)
        line = f'String {name} = {self.cond(scope)} ? "{self.rng.choice(VERBS)}" : {self.value("String", scope)};'
        scope.append((name, "String"))
        return [line]

    def j_generic(self, scope: list[tuple[str, str]], depth: int) -> list[str]:
        self.imports.update({"java.util.Map", "java.util.HashMap", "java.util.List", "java.util.ArrayList"})
        name = "buckets" if "buckets" not in {n for n, _ in scope} else f"buckets{len(scope)}"
        scope.append((name, "Map"))
        return [f"Map<String, List<Integer>> {name} = new HashMap<>();",
                f"{name}.computeIfAbsent({self.value('String', scope)}, k -> new ArrayList<>())"
                f".add({self.value('Int', scope)});"]

    def j_if(self, scope: list[tuple[str, str]], depth: int) -> list[str]:
        lines = [f"if ({self.cond(scope)}) {{", *ind(self.statements(list(scope), self.rng.randint(1, 3), depth + 1))]
        if self.rng.random() < 0.6:
            lines += ["} else {", *ind(self.statements(list(scope), self.rng.randint(1, 2), depth + 1))]
        return [*lines, "}"]

    def j_loop(self, scope: list[tuple[str, str]], depth: int) -> list[str]:
        self.imports.add("java.util.List")
        src = self.value("List<String>", scope)
        var = "item" if "item" not in {n for n, _ in scope} else f"entry{depth}"
        inner = [*scope, (var, "String")]
        body = [f"if ({var}.isEmpty()) {{", "    continue;", "}",
                *self.statements(inner, self.rng.randint(1, 2), depth + 1)]
        return [f"for (String {var} : {src}) {{", *ind(body), "}"]

    def j_switch(self, scope: list[tuple[str, str]], depth: int) -> list[str]:
        subject = self.value("Int", scope)
        name = self.fresh("String", scope)
        lines = [f'String {name} = "{self.rng.choice(VERBS)}";', f"switch ({subject} % 3) {{",
                 "    case 0:", f'        {name} = "{self.module.noun}";', "        break;",
                 "    case 1:", f"        {name} = {self.value('String', scope)}.toUpperCase();", "        break;",
                 "    default:", "        break;", "}"]
        scope.append((name, "String"))
        return lines

    def j_try(self, scope: list[tuple[str, str]], depth: int) -> list[str]:
        self.imports.add("android.util.Log")
        exc = self.rng.choice(("IllegalStateException", "IllegalArgumentException", "RuntimeException"))
        return ["try {", *ind(self.statements(list(scope), self.rng.randint(1, 2), depth + 1)),
                f"}} catch ({exc} e) {{", f'    Log.w(TAG, "{self.rng.choice(VERBS)} failed", e);', "}"]

    def j_async(self, scope: list[tuple[str, str]], depth: int) -> list[str]:
        body = self.statements(list(scope), self.rng.randint(1, 2), depth + 1)
        if self.rng.random() < 0.5:
            self.need("executor")
            return ["executor.execute(new Runnable() {", "    @Override", "    public void run() {",
                    *ind(body, 2), "    }", "});"]
        self.need("handler")
        return ["mainHandler.post(() -> {", *ind(body), "});"]

    def j_lambda(self, scope: list[tuple[str, str]], depth: int) -> list[str]:
        self.need("cache")
        key = self.value("String", scope)
        return [f"cache.put({key}, {self.value('String', scope)});",
                f"String cached = cache.get({key});" if "cached" not in {n for n, _ in scope} else
                f"cache.remove({key});"]


def ind(lines: list[str], levels: int = 1) -> list[str]:
    pad = "    " * levels
    return [pad + ln if ln else ln for ln in lines]


# ----------------------------------------------------------------------------------------------------
# Methods and classes
# ----------------------------------------------------------------------------------------------------
def new_method(rng: random.Random, taken: set[str], noun: str, jvm_static: bool = False) -> Method:
    while True:
        name = rng.choice(VERBS) + camel(noun) + (rng.choice(SUFFIXES) if rng.random() < 0.7 else "")
        if name not in taken:
            taken.add(name)
            break
    nparams = rng.choice((0, 1, 1, 2, 2, 2, 3))
    params: list[tuple[str, str]] = []
    used: set[str] = set()
    for _ in range(nparams):
        t = rng.choice(KT_TYPES)
        n = rng.choice(PARAM_NAMES[t])
        if n not in used:
            used.add(n)
            params.append((n, t))
    ret = rng.choice(("Unit", "Unit", "String", "Int", "Boolean", "List<String>", "Long"))
    return Method(name, tuple(params), ret, jvm_static)


def kt_return(fg: FileGen, m: Method, scope: list[tuple[str, str]]) -> list[str]:
    if m.ret == "Unit":
        return []
    return [f"return {fg.value(m.ret, scope)}"]


def j_return(fg: FileGen, m: Method, scope: list[tuple[str, str]]) -> list[str]:
    if m.ret == "Unit":
        return []
    return [f"return {fg.value(m.ret, scope)};"]


def kt_signature(m: Method) -> str:
    params = ", ".join(f"{n}: {t}" for n, t in m.params)
    ret = "" if m.ret == "Unit" else f": {m.ret}"
    return f"fun {m.name}({params}){ret}"


def j_signature(fg: FileGen, m: Method, static: bool, visibility: str = "public") -> str:
    params = []
    for n, t in m.params:
        if t == "List<String>":
            fg.imports.add("java.util.List")
        ann = "@NonNull " if t in ("String", "List<String>") and fg.rng.random() < 0.5 else ""
        if ann:
            fg.imports.add("androidx.annotation.NonNull")
        params.append(f"{ann}{JAVA_OF[t]} {n}")
    if m.ret == "List<String>":
        fg.imports.add("java.util.List")
    return f"{visibility} {'static ' if static else ''}{JAVA_OF[m.ret]} {m.name}({', '.join(params)})"


def kdoc(rng: random.Random, m: Method, noun: str) -> list[str]:
    if rng.random() < 0.55:
        return []
    first = f"/** {camel(m.name.split(noun.capitalize())[0] or 'handle')}s the {noun} data for the current screen. */"
    if rng.random() < 0.5:
        return [first]
    lines = ["/**", f" * {camel(m.name[:1])}{m.name[1:]} for {noun}: keeps the cached copy in sync.", " *"]
    lines += [f" * @param {n} the {n} to use" for n, _ in m.params]
    return [*lines, " */"]


def kt_method_lines(fg: FileGen, m: Method, modifiers: str = "", override: bool = False) -> list[str]:
    rng = fg.rng
    scope = list(m.params)
    out = kdoc(rng, m, fg.module.noun)
    if m.jvm_static:
        out.append("@JvmStatic")
    prefix = (modifiers + " " if modifiers else "") + ("override " if override else "")
    if m.ret in ("Boolean", "Int") and m.params != () and rng.random() < 0.2:
        return [*out, f"{prefix}{kt_signature(m)} = {fg.cond(scope) if m.ret == 'Boolean' else fg.value('Int', scope)}"]
    body = fg.statements(scope, rng.randint(2, 7)) + kt_return(fg, m, scope)
    return [*out, f"{prefix}{kt_signature(m)} {{", *ind(body), "}"]


def j_method_lines(fg: FileGen, m: Method, static: bool, override: bool = False) -> list[str]:
    scope = list(m.params)
    out = kdoc(fg.rng, m, fg.module.noun)
    if override:
        out.append("@Override")
    if m.ret in ("String", "List<String>") and fg.rng.random() < 0.5:
        fg.imports.add("androidx.annotation.NonNull")
        out.append("@NonNull")
    body = fg.statements(scope, fg.rng.randint(2, 7)) + j_return(fg, m, scope)
    return [*out, f"{j_signature(fg, m, static)} {{", *ind(body), "}"]


def header(lang: str, package: str, imports: set[str]) -> list[str]:
    end = "" if lang == "kotlin" else ";"
    lines = [f"package {package}{end}", ""]
    lines += [f"import {i}{end}" for i in sorted(imports)]
    return [*lines, ""] if imports else lines


def fill_methods(fg: FileGen, target: int, make: Callable[[Method], list[str]], base: int) -> list[str]:
    """Generate members with `make(method)` until the file reaches about `target` lines."""
    body: list[str] = []
    taken: set[str] = set()
    while base + len(body) + len(fg.fields) + len(fg.imports) < target:
        m = new_method(fg.rng, taken, fg.module.noun, jvm_static=False)
        body += ["", *make(m)]
        fg.own.append(m)
    return body


# --- Kotlin files -----------------------------------------------------------------------------------
def kt_class_file(fg: FileGen, kind: str, target: int) -> tuple[list[str], Api | None]:
    rng = fg.rng
    simple = fg.simple
    public: list[Method] = []

    def make(m: Method) -> list[str]:
        private = rng.random() < 0.25
        if not private:
            public.append(m)
        return kt_method_lines(fg, m, "private" if private else "")

    if kind == "object":
        def make_obj(m: Method) -> list[str]:
            m2 = Method(m.name, m.params, m.ret, jvm_static=rng.random() < 0.4)
            public.append(m2)
            return kt_method_lines(fg, m2)
        members = fill_methods(fg, target, make_obj, 8)
        lines = [f"object {simple} {{", f'    private const val TAG = "{simple}"',
                 *ind(fg.fields), *ind(members), "}"]
        api = Api(fg.package, simple, "kotlin", "object", public)
    elif kind == "viewmodel":
        fg.imports.update({"androidx.lifecycle.ViewModel", "androidx.lifecycle.viewModelScope",
                           "androidx.lifecycle.LiveData", "androidx.lifecycle.MutableLiveData",
                           "kotlinx.coroutines.launch", "kotlinx.coroutines.Dispatchers",
                           "kotlinx.coroutines.withContext"})
        fg.features.add("scope")
        fg.scope_expr = "viewModelScope"
        fields = ["private val _items = MutableLiveData<List<String>>(emptyList())",
                  "val items: LiveData<List<String>> = _items",
                  "private val _loading = MutableLiveData(false)",
                  "val loading: LiveData<Boolean> = _loading"]
        refresh = ["fun refresh(page: Int) {", "    _loading.value = true", "    viewModelScope.launch {",
                   "        val loaded = withContext(Dispatchers.IO) {",
                   f"            listOf(\"{fg.module.noun}-$page\", \"{fg.module.noun}-${{page + 1}}\")",
                   "        }", "        _items.value = loaded", "        _loading.value = false", "    }", "}"]
        members = fill_methods(fg, target, make, 20)
        lines = [f"class {simple} : ViewModel() {{", *ind(fields), *ind(fg.fields), "", *ind(refresh),
                 *ind(members), "", "    companion object {", f'        private const val TAG = "{simple}"',
                 "    }", "}"]
        public.append(Method("refresh", (("page", "Int"),), "Unit"))
        api = Api(fg.package, simple, "kotlin", "instance", public)
    else:  # repository-like class with a companion
        members = fill_methods(fg, target, make, 16)
        ctor = f"class {simple}(\n    private val pageSize: Int = {rng.choice((10, 20, 25, 50))},\n" \
               f"    private val retries: Int = {rng.randint(1, 4)}\n) {{"
        props = ["var lastRefresh: Long = 0L", "    private set",
                 f"val name: String get() = \"{simple}#$pageSize\""]
        lines = [*ctor.split("\n"), *ind(fg.fields), *ind(props), *ind(members), "",
                 "    companion object {", f'        private const val TAG = "{simple}"',
                 f"        const val MAX_ITEMS = {rng.choice((50, 100, 200))}", "",
                 "        @JvmStatic", f"        fun create(): {simple} = {simple}()", "    }", "}"]
        api = Api(fg.package, simple, "kotlin", "instance", public)
    return [*header("kotlin", fg.package, fg.imports), *kdoc_class(rng, simple, fg.module.noun), *lines], api


def kdoc_class(rng: random.Random, simple: str, noun: str) -> list[str]:
    if rng.random() < 0.4:
        return []
    return ["/**", f" * {simple}: part of the {noun} feature.", " *",
            f" * Keeps {noun} state consistent between the cache and the screen.", " */"]


def kt_models_file(fg: FileGen, target: int) -> tuple[list[str], Api | None]:
    rng = fg.rng
    noun = camel(fg.module.noun)
    lines: list[str] = []
    taken: set[str] = set()
    i = 0
    while len(lines) + 6 < target:
        i += 1
        name = f"{noun}{rng.choice(SUFFIXES).rstrip('s')}{i}"
        if name in taken:
            continue
        taken.add(name)
        shape = rng.random()
        if shape < 0.55:
            extra = [f"    val {p}: {t} = {fg.literal(t)}," for p, t in
                     rng.sample([("tags", "List<String>"), ("updatedAt", "Long"), ("pinned", "Boolean"),
                                 ("rank", "Int"), ("note", "String")], rng.randint(0, 3))]
            lines += ["", f"data class {name}(", "    val id: String,", "    val title: String,",
                      "    val count: Int = 0,", *extra, ") {",
                      "    val isEmpty: Boolean get() = count == 0", "",
                      '    fun describe(): String = "$title x$count"', "}"]
            fg.module.models.append((fg.package, name))
        elif shape < 0.8:
            values = rng.sample(("PENDING", "ACTIVE", "DONE", "FAILED", "ARCHIVED", "HIDDEN", "DRAFT"), 4)
            lines += ["", f"enum class {name}(val code: Int) {{",
                      *[f"    {v}({j}){',' if j < 3 else ';'}" for j, v in enumerate(values)], "",
                      "    fun label(): String = name.lowercase()", "", "    companion object {",
                      f"        fun of(code: Int): {name} = values().firstOrNull {{ it.code == code }} ?: {values[0]}",
                      "    }", "}"]
        else:
            lines += ["", f"sealed class {name} {{",
                      f"    data class Success(val items: List<String>) : {name}()",
                      f"    data class Failure(val message: String, val code: Int) : {name}()",
                      f"    object Loading : {name}()", "}", "",
                      f"fun {name}.summary(): String = when (this) {{",
                      f'    is {name}.Success -> "${{items.size}} items"',
                      f'    is {name}.Failure -> "error $code: $message"', f'    {name}.Loading -> "loading"', "}"]
    return [*header("kotlin", fg.package, fg.imports), *lines[1:]], None


def kt_interface_file(fg: FileGen, target: int) -> tuple[list[str], Api | None]:
    rng = fg.rng
    iface = fg.simple
    impl = rng.choice(("Default", "Remote", "Local", "Cached")) + iface
    taken: set[str] = set()
    methods = [new_method(rng, taken, fg.module.noun) for _ in range(rng.randint(2, 4))]
    decl = [f"interface {iface} {{", *[f"    {kt_signature(m)}" for m in methods], "}"]
    body: list[str] = []
    for m in methods:
        body += ["", *kt_method_lines(fg, m, override=True)]
    extra = fill_methods(fg, target - len(decl) - len(body), lambda m: kt_method_lines(fg, m, "private"), 10)
    cls = [f"class {impl} : {iface} {{", f'    private val tag = "{impl}"', *ind(fg.fields), *ind(body),
           *ind(extra), "", "    private companion object {", f'        const val TAG = "{impl}"', "    }", "}"]
    lines = [*header("kotlin", fg.package, fg.imports), *decl, "", *cls]
    return lines, Api(fg.package, impl, "kotlin", "instance", methods, iface=iface)


def kt_extensions_file(fg: FileGen, target: int) -> tuple[list[str], Api | None]:
    rng = fg.rng
    noun = fg.module.noun
    out: list[str] = []
    ext: list[Method] = []
    top: list[Method] = []
    taken: set[str] = set()
    fg.imports.add("android.util.Log")
    out.append(f'private const val TAG = "{fg.simple}"')
    while len(out) + len(fg.imports) + 4 < target:
        if rng.random() < 0.4:
            name = rng.choice(("to", "as", "with", "into")) + camel(noun) + rng.choice(SUFFIXES)
            if name in taken:
                continue
            taken.add(name)
            m = Method(name, (("value", "String"), ("limit", "Int")), "String")
            out += ["", f"fun String.{name}(limit: Int): String {{",
                    "    val trimmed = trim().take(limit)", *ind(fg.statements([("trimmed", "String"),
                                                                                ("limit", "Int")], 2)),
                    f'    return "{noun}:$trimmed"', "}"]
            ext.append(m)
        else:
            m = new_method(rng, taken, noun)
            out += ["", *kt_method_lines(fg, m)]
            top.append(m)
    facade = fg.simple + "Kt"
    api_top = Api(fg.package, facade, "kotlin", "toplevel", top)
    if ext:
        fg.module.apis.append(Api(fg.package, facade, "kotlin", "extension", ext))
    return [*header("kotlin", fg.package, fg.imports), *out], api_top


def kt_activity_file(fg: FileGen, target: int, layout: str, ids: list[str], r_package: str,
                     perm: str | None) -> list[str]:
    rng = fg.rng
    simple = fg.simple
    fg.imports.update({"android.os.Bundle", "android.widget.Button", "androidx.appcompat.app.AppCompatActivity",
                       f"{r_package}.R"})
    fg.need("handler")
    taken: set[str] = set()
    clicks: list[str] = []
    extra: list[str] = []
    for vid in ids:
        if perm and vid.endswith("_permission"):
            # A permission asked for when the user taps the feature's button, with the answer handled.
            fg.imports.update({"android.Manifest", "androidx.core.app.ActivityCompat",
                               "android.content.pm.PackageManager"})
            clicks += [f"findViewById<Button>(R.id.{vid}).setOnClickListener {{",
                       f"    ActivityCompat.requestPermissions(this, arrayOf(Manifest.permission.{perm}), "
                       "REQUEST_PERMISSION)", "}"]
            extra = ["", "override fun onRequestPermissionsResult(",
                     "    requestCode: Int,", "    permissions: Array<out String>,", "    grantResults: IntArray",
                     ") {", "    super.onRequestPermissionsResult(requestCode, permissions, grantResults)",
                     "    val granted = grantResults.firstOrNull() == PackageManager.PERMISSION_GRANTED",
                     "    if (requestCode == REQUEST_PERMISSION && !granted) {",
                     '        title = "$TAG (limited)"', "    }", "}"]
            continue
        body = fg.statements([], rng.randint(1, 2), 1)
        clicks += [f"findViewById<Button>(R.id.{vid}).setOnClickListener {{", *ind(body), "}"]
    on_create = ["override fun onCreate(savedInstanceState: Bundle?) {", "    super.onCreate(savedInstanceState)",
                 f"    setContentView(R.layout.{layout})", *ind(clicks),
                 "    mainHandler.post { title = TAG }", "}"]
    members: list[str] = []
    while len(on_create) + len(members) + len(fg.imports) + len(fg.fields) + 12 < target:
        m = new_method(rng, taken, fg.module.noun)
        members += ["", *kt_method_lines(fg, m, "private")]
        fg.own.append(m)
    lines = [f"class {simple} : AppCompatActivity() {{", *ind(fg.fields), "", *ind(on_create), "",
             "    override fun onDestroy() {", "        mainHandler.removeCallbacksAndMessages(null)",
             "        super.onDestroy()", "    }", *ind(extra), *ind(members), "", "    companion object {",
             f'        private const val TAG = "{simple}"', "        private const val REQUEST_PERMISSION = 41",
             "    }", "}"]
    return [*header("kotlin", fg.package, fg.imports), *lines]


# --- Java files -------------------------------------------------------------------------------------
def j_class_file(fg: FileGen, kind: str, target: int) -> tuple[list[str], Api | None]:
    rng = fg.rng
    simple = fg.simple
    public: list[Method] = []
    static = kind == "jutil"

    def make(m: Method) -> list[str]:
        private = rng.random() < 0.2
        if not private:
            public.append(m)
        lines = j_method_lines(fg, m, static)
        if private:
            lines = [ln.replace("public ", "private ", 1) if ln.startswith("public ") else ln for ln in lines]
        return lines

    members = fill_methods(fg, target, make, 18)
    extra: list[str] = []
    if static:
        extra += ["", "@Nullable", "public static <T extends Comparable<T>> T maxOf(@NonNull List<T> values) {",
                  "    T best = null;", "    for (T value : values) {",
                  "        if (best == null || value.compareTo(best) > 0) {", "            best = value;", "        }",
                  "    }", "    return best;", "}"]
        fg.imports.update({"androidx.annotation.Nullable", "androidx.annotation.NonNull", "java.util.List"})
        lines = [f"public final class {simple} {{", f'    private static final String TAG = "{simple}";', "",
                 f"    private {simple}() {{", "    }", *ind(members), *ind(extra), "}"]
        fields_ok = [f for f in fg.fields if "static" in f]
        if fg.fields and len(fields_ok) != len(fg.fields):
            # a utility class keeps no instance state: make its helpers static
            lines[2:2] = ind([f.replace("private final", "private static final") for f in fg.fields])
        api = Api(fg.package, simple, "java", "static", public)
    else:
        extra += ["", "public interface Listener {", "    void onChanged(@NonNull String key, int count);", "}",
                  "", "static final class Pair<A, B> {", "    final A first;", "    final B second;", "",
                  "    Pair(A first, B second) {", "        this.first = first;", "        this.second = second;",
                  "    }", "}"]
        fg.imports.add("androidx.annotation.NonNull")
        lines = [f"public class {simple} {{", f'    private static final String TAG = "{simple}";',
                 *ind(fg.fields), "    @Nullable", "    private Listener listener;", "",
                 f"    public {simple}() {{", "    }", "",
                 "    public void setListener(@Nullable Listener listener) {", "        this.listener = listener;",
                 "    }", *ind(members), *ind(extra), "}"]
        fg.imports.add("androidx.annotation.Nullable")
        api = Api(fg.package, simple, "java", "instance", public)
    return [*header("java", fg.package, fg.imports), *kdoc_java(rng, simple, fg.module.noun), *lines], api


def kdoc_java(rng: random.Random, simple: str, noun: str) -> list[str]:
    if rng.random() < 0.5:
        return []
    return ["/**", f" * {simple} for the {noun} screens.", " */"]


def j_adapter_file(fg: FileGen, target: int) -> tuple[list[str], Api | None]:
    simple = fg.simple
    fg.imports.update({"android.view.LayoutInflater", "android.view.View", "android.view.ViewGroup",
                       "android.widget.TextView", "androidx.annotation.NonNull",
                       "androidx.recyclerview.widget.RecyclerView", "java.util.ArrayList", "java.util.List"})
    head = [f"public class {simple} extends RecyclerView.Adapter<{simple}.Holder> {{",
            f'    private static final String TAG = "{simple}";',
            "    private final List<String> items = new ArrayList<>();", *ind(fg.fields), "",
            "    public void submit(@NonNull List<String> next) {", "        items.clear();",
            "        items.addAll(next);", "        notifyDataSetChanged();", "    }", "",
            "    @NonNull", "    @Override",
            "    public Holder onCreateViewHolder(@NonNull ViewGroup parent, int viewType) {",
            "        View view = LayoutInflater.from(parent.getContext())",
            "                .inflate(android.R.layout.simple_list_item_1, parent, false);",
            "        return new Holder(view);", "    }", "", "    @Override",
            "    public void onBindViewHolder(@NonNull Holder holder, int position) {",
            "        final String item = items.get(position);", "        holder.title.setText(item);",
            "        holder.itemView.setOnClickListener(new View.OnClickListener() {", "            @Override",
            "            public void onClick(View v) {",
            *ind(fg.statements([("item", "String"), ("position", "Int")], 2, 1), 4), "            }",
            "        });", "    }", "", "    @Override", "    public int getItemCount() {",
            "        return items.size();", "    }"]
    public: list[Method] = []

    def make(m: Method) -> list[str]:
        public.append(m)
        return j_method_lines(fg, m, False)

    members = fill_methods(fg, target - len(head) - 10, make, 0)
    tail = ["", "    static final class Holder extends RecyclerView.ViewHolder {", "        final TextView title;", "",
            "        Holder(@NonNull View itemView) {", "            super(itemView);",
            "            title = itemView.findViewById(android.R.id.text1);", "        }", "    }", "}"]
    lines = [*header("java", fg.package, fg.imports), *head, *ind(members), *tail]
    return lines, Api(fg.package, simple, "java", "instance", public)


def j_activity_file(fg: FileGen, target: int, layout: str, ids: list[str], r_package: str,
                    perm: str | None) -> list[str]:
    rng = fg.rng
    simple = fg.simple
    fg.imports.update({"android.os.Bundle", "android.view.View", "androidx.appcompat.app.AppCompatActivity",
                       "androidx.annotation.Nullable", f"{r_package}.R"})
    clicks: list[str] = []
    for vid in ids:
        if perm and vid.endswith("_permission"):
            fg.imports.update({"android.Manifest", "android.util.Log",
                               "androidx.activity.result.ActivityResultLauncher",
                               "androidx.activity.result.contract.ActivityResultContracts"})
            fg.fields += ["private final ActivityResultLauncher<String> permissionLauncher =",
                          "        registerForActivityResult(new ActivityResultContracts.RequestPermission(),",
                          "                granted -> {",
                          '            Log.d(TAG, "permission granted: " + granted);', "        });"]
            clicks += [f"findViewById(R.id.{vid}).setOnClickListener(new View.OnClickListener() {{",
                       "    @Override", "    public void onClick(View v) {",
                       f"        permissionLauncher.launch(Manifest.permission.{perm});", "    }", "});"]
            continue
        body = fg.statements([], rng.randint(1, 2), 1)
        clicks += [f"findViewById(R.id.{vid}).setOnClickListener(new View.OnClickListener() {{",
                   "    @Override", "    public void onClick(View v) {", *ind(body, 2), "    }", "});"]
    on_create = ["@Override", "protected void onCreate(@Nullable Bundle savedInstanceState) {",
                 "    super.onCreate(savedInstanceState);", f"    setContentView(R.layout.{layout});", *ind(clicks),
                 "}"]
    members: list[str] = []
    taken: set[str] = set()
    while len(on_create) + len(members) + len(fg.imports) + len(fg.fields) + 8 < target:
        m = new_method(rng, taken, fg.module.noun)
        members += ["", *(ln.replace("public ", "private ", 1) if ln.startswith("public ") else ln
                          for ln in j_method_lines(fg, m, False))]
        fg.own.append(m)
    lines = [f"public class {simple} extends AppCompatActivity {{",
             f'    private static final String TAG = "{simple}";',
             *ind(fg.fields), "", *ind(on_create), *ind(members), "}"]
    return [*header("java", fg.package, fg.imports), *lines]


# ----------------------------------------------------------------------------------------------------
# The generator
# ----------------------------------------------------------------------------------------------------
class Generator:
    def __init__(self, lines: int, seed: int) -> None:
        self.target = lines
        self.seed = seed
        self.rng = random.Random(seed)
        self.tree = Tree()
        self.modules = self._layout_modules()
        self.app = self.modules[0]
        self.class_names: set[str] = set()

    # --- modules --------------------------------------------------------------------------------------
    def _layout_modules(self) -> list[Module]:
        rng = self.rng
        n = max(4, round(self.target / LINES_PER_MODULE))
        n_util = max(1, round(n * 0.15))
        n_core = max(1, round(n * 0.25))
        n_feature = max(1, n - 1 - n_util - n_core)
        app = Module("app", "app", "app", f"{PKG}.app", "kts", "java")
        utils = [Module(f"util-{t}", "util", t, f"{PKG}.util.{t.replace('-', '')}", "groovy" if i % 2 else "kts",
                        "java") for i, t in enumerate(_names(UTIL_TOPICS, n_util))]
        cores = [Module(f"core-{t}", "core", t.replace("-", ""), f"{PKG}.core.{t.replace('-', '')}",
                        "groovy" if i % 3 == 2 else "kts", "kotlin" if i % 4 == 3 else "java")
                 for i, t in enumerate(_names(CORE_TOPICS, n_core))]
        features = [Module(f"feature-{t}", "feature", t, f"{PKG}.feature.{t}", "groovy" if i % 4 == 1 else "kts",
                           "kotlin" if i % 5 == 4 else "java")
                    for i, t in enumerate(_names(FEATURE_NOUNS, n_feature))]
        for i, u in enumerate(utils):
            u.deps = utils[max(0, i - 2):i]
        for i, c in enumerate(cores):
            c.deps = [*cores[max(0, i - 3):i], *rng.sample(utils, min(len(utils), 2))]
            if cores[0] not in c.deps and c is not cores[0]:
                c.deps.insert(0, cores[0])
        for f in features:
            picked = rng.sample(cores[1:], min(len(cores) - 1, 3)) if len(cores) > 1 else []
            f.deps = [cores[0], *picked, *rng.sample(utils, min(len(utils), 2))]
        app.deps = [*features, *cores, *utils]
        modules = [app, *utils, *cores, *features]
        weights = {"app": 0.5, "util": 0.8, "core": 1.1, "feature": 1.0}
        planted = 400 + 110 * len(features)
        budget = max(self.target - planted, 200)
        total_w = sum(weights[m.kind] for m in modules)
        for m in modules:
            m.budget = round(budget * weights[m.kind] / total_w)
        return modules

    @property
    def features(self) -> list[Module]:
        return [m for m in self.modules if m.kind == "feature"]

    @property
    def cores(self) -> list[Module]:
        return [m for m in self.modules if m.kind == "core"]

    @property
    def utils(self) -> list[Module]:
        return [m for m in self.modules if m.kind == "util"]

    # --- filler -----------------------------------------------------------------------------------------
    def unique_class(self, module: Module, base: str) -> str:
        name, i = base, 2
        while f"{module.package}:{name}" in self.class_names:
            name, i = f"{base}{i}", i + 1
        self.class_names.add(f"{module.package}:{name}")
        return name

    def file_size(self) -> int:
        return int(math.exp(self.rng.uniform(math.log(50), math.log(600))))

    def pick_lang(self, module: Module) -> str:
        kt = self.tree.source_lines("kotlin") + self.expected_planted[0]
        java = self.tree.source_lines("java") + self.expected_planted[1]
        share = java / max(1, kt + java)
        bias = {"util": 0.35, "core": 0.28, "feature": 0.2, "app": 0.2}[module.kind]
        p = min(0.9, max(0.02, bias + 3 * (JAVA_SHARE - share)))
        return "java" if self.rng.random() < p else "kotlin"

    def collaborators(self, module: Module) -> list[Api]:
        rng = self.rng
        pool_same = module.apis[-40:]
        pool_deps = [a for d in module.deps for a in d.apis[-25:]]
        out: list[Api] = []
        for _ in range(rng.randint(2, 5)):
            pool = pool_same if pool_same and (rng.random() < 0.55 or not pool_deps) else pool_deps
            if pool:
                api = rng.choice(pool)
                if api not in out and api.methods:
                    out.append(api)
        return out

    def subpackage(self, module: Module, kind: str) -> str:
        sub = {"models": "model", "viewmodel": "ui", "activity": "ui", "jactivity": "ui", "jadapter": "ui",
               "interface": "data", "repository": "data", "jhelper": "domain", "jutil": "util",
               "extensions": "util", "object": "internal"}[kind]
        return f"{module.package}.{sub}"

    def filler_file(self, module: Module, size: int) -> int:
        rng = self.rng
        lang = self.pick_lang(module)
        if lang == "kotlin":
            kinds = ["repository", "repository", "object", "object", "interface", "extensions", "models"]
            if module.kind in ("feature", "app"):
                kinds += ["viewmodel", "activity"]
        else:
            kinds = ["jutil", "jhelper", "jhelper"]
            if module.kind in ("feature", "app"):
                kinds += ["jadapter", "jactivity"]
        kind = rng.choice(kinds)
        if size > 1000:
            kind = "repository" if lang == "kotlin" else "jhelper"
        if kind == "models" and size > 300:
            size = 300
        package = self.subpackage(module, kind)
        if kind in ("activity", "jactivity", "viewmodel", "jadapter"):
            modifier = rng.choice(("List", "Detail", "Edit", "Search", "History", ""))
        elif kind == "interface":
            modifier = ""
        else:
            modifier = rng.choice(("", "Remote", "Local", "Paged", "Shared", "Batch"))
        base = camel(module.noun) + modifier + rng.choice(CLASS_SUFFIXES[kind])
        simple = self.unique_class(module, base)
        fg = FileGen(rng, lang, module, package, simple, self.collaborators(module))
        api: Api | None = None
        if kind in ("activity", "jactivity"):
            layout = "activity_" + _snake(simple.removesuffix("Activity"))
            ids = [f"{_snake(simple.removesuffix('Activity'))}_{w}" for w in rng.sample(
                ("refresh", "more", "share", "filter", "sort", "retry", "close"), rng.randint(1, 3))]
            perm = None
            if rng.random() < 0.35:
                perm = rng.choice(RUNTIME_PERMISSIONS)
                ids.append(f"{_snake(simple.removesuffix('Activity'))}_permission")
                if f"android.permission.{perm}" not in module.permissions:
                    module.permissions.append(f"android.permission.{perm}")
            module.layouts[layout] = ids
            module.activities.append((f"{package}.{simple}", layout))
            if kind == "activity":
                lines = kt_activity_file(fg, size, layout, ids, module.package, perm)
            else:
                lines = j_activity_file(fg, size, layout, ids, module.package, perm)
        elif kind == "models":
            lines, api = kt_models_file(fg, size)
        elif kind == "interface":
            lines, api = kt_interface_file(fg, size)
        elif kind == "extensions":
            lines, api = kt_extensions_file(fg, size)
        elif lang == "kotlin":
            lines, api = kt_class_file(fg, kind, size)
        elif kind == "jadapter":
            lines, api = j_adapter_file(fg, size)
        else:
            lines, api = j_class_file(fg, kind, size)
        if api is not None and api.methods:
            module.apis.append(api)
        ext = ".kt" if lang == "kotlin" else ".java"
        self.tree.add(f"{module.src(lang)}/{pkg_path(package)}/{simple}{ext}", lines)
        return len(lines)

    def fill(self) -> None:
        rng = self.rng
        self.expected_planted = (260 + 55 * len(self.features), 150 + 40 * len(self.features))
        big = max(0, round(self.target / 75_000)) if self.target >= 20_000 else 0
        big_modules = set(rng.sample(range(1, len(self.modules)), min(big, len(self.modules) - 1)))
        order = [*self.utils, *self.cores, *self.features, self.app]
        for module in order:
            written = 0
            if self.modules.index(module) in big_modules:
                written += self.filler_file(module, rng.randint(1900, 2150))
            while written < module.budget:
                size = min(self.file_size(), max(50, module.budget - written + 20))
                written += self.filler_file(module, size)

    def balance(self) -> None:
        """Top up the language that is behind so that Kotlin:Java stays close to 3:1."""
        for _ in range(50):
            kt = self.tree.source_lines("kotlin")
            java = self.tree.source_lines("java")
            want_java = (kt + java) * JAVA_SHARE
            if abs(java - want_java) < max(0.012 * (kt + java), 40):
                return
            module = self.rng.choice(self.utils + self.cores)
            size = int(min(600, max(50, abs(java - want_java))))
            self.expected_planted = (0, 0)
            lang_needed = "java" if java < want_java else "kotlin"
            saved = self.pick_lang
            self.pick_lang = lambda _m, _l=lang_needed: _l  # type: ignore[method-assign]
            try:
                self.filler_file(module, size)
            finally:
                self.pick_lang = saved  # type: ignore[method-assign]

    # --- run --------------------------------------------------------------------------------------------
    def generate(self) -> Tree:
        self.fill()
        Planter(self).plant()
        self.balance()
        Scaffold(self).write()
        return self.tree


def _names(pool: tuple[str, ...], n: int) -> list[str]:
    out = list(pool[:n])
    i = 2
    while len(out) < n:
        out += [f"{p}{i}" for p in pool[: n - len(out)]]
        i += 1
    return out


def _snake(name: str) -> str:
    out = ""
    for i, ch in enumerate(name):
        if ch.isupper() and i:
            out += "_"
        out += ch.lower()
    return out


# ----------------------------------------------------------------------------------------------------
# Planted personal-information reads and SDK initialisations
# ----------------------------------------------------------------------------------------------------
SDK_INITS = (
    ("UMConfigure.init({ctx}, \"5f0c1a2b3c4d5e6f7a8b9c0d\", \"official\", UMConfigure.DEVICE_TYPE_PHONE, \"\")",
     "com.umeng.commonsdk.UMConfigure", "UMConfigure.init", "umeng"),
    ("JPushInterface.init({ctx})", "cn.jpush.android.api.JPushInterface", "JPushInterface.init", "jpush"),
    ("CrashReport.initCrashReport({ctx}, \"a1b2c3d4e5\", false)", "com.tencent.bugly.crashreport.CrashReport",
     "CrashReport.initCrashReport", "bugly"),
    ("AppsFlyerLib.getInstance().start({ctx})", "com.appsflyer.AppsFlyerLib", "AppsFlyerLib.start", "appsflyer"),
)


class Src:
    """A planted source file being written, with markers resolved to line numbers."""

    def __init__(self, gen: Generator, module: Module, lang: str, package: str, simple: str,
                 source_set: str = "main") -> None:
        self.gen = gen
        self.lang = lang
        self.package = package
        self.simple = simple
        self.imports: set[str] = set()
        self.lines: list[str] = []
        self.marks: list[tuple[int, str, str, str, bool]] = []  # (index in body, rule, what, how, leak)
        ext = ".kt" if lang == "kotlin" else ".java"
        self.path = f"{module.src(lang, source_set)}/{pkg_path(package)}/{simple}{ext}"
        gen.class_names.add(f"{package}:{simple}")

    def add(self, *lines: str) -> Src:
        self.lines += lines
        return self

    def mark(self, line: str, rule: str, what: str, how: str, leak: bool) -> Src:
        self.marks.append((len(self.lines), rule, what, how, leak))
        self.lines.append(line)
        return self

    def write(self) -> None:
        head = header(self.lang, self.package, {i for i in self.imports if i.rsplit(".", 1)[0] != self.package})
        for idx, rule, what, how, leak in self.marks:
            m = Mark(rule, self.path, len(head) + idx + 1, what, how)
            (self.gen.tree.planted if leak else self.gen.tree.safe).append(m)
        self.gen.tree.add(self.path, [*head, *self.lines])


class Planter:
    def __init__(self, gen: Generator) -> None:
        self.gen = gen
        self.rng = random.Random(gen.seed * 7919 + 17)
        self.common = gen.cores[0]

    def plant(self) -> None:
        self.privacy_store()
        self.process_info()
        self.app_files()
        for i, f in enumerate(self.gen.features):
            self.feature_entry(i, f)

    # --- shared helpers ---------------------------------------------------------------------------------
    def privacy_store(self) -> None:
        s = Src(self.gen, self.common, "kotlin", self.common.package, "PrivacyStore")
        s.imports.update({"android.content.Context"})
        s.add("/**", " * The user's answer to the first-run privacy dialog (个人信息保护指引).", " */",
              "object PrivacyStore {", '    private const val PREFS = "app_settings"',
              '    private const val KEY_PRIVACY_AGREED = "privacy_agreed"', "", "    @JvmStatic",
              "    fun isAgreed(context: Context): Boolean =",
              "        context.getSharedPreferences(PREFS, Context.MODE_PRIVATE).getBoolean(KEY_PRIVACY_AGREED, false)",
              "", "    @JvmStatic", "    fun setAgreed(context: Context, agreed: Boolean) {",
              "        context.getSharedPreferences(PREFS, Context.MODE_PRIVATE)",
              "            .edit()", "            .putBoolean(KEY_PRIVACY_AGREED, agreed)", "            .apply()",
              "    }", "}").write()

    def process_info(self) -> None:
        s = Src(self.gen, self.common, "kotlin", self.common.package, "ProcessInfo")
        s.imports.update({"android.app.Application", "android.content.Context", "android.os.Build"})
        s.add("object ProcessInfo {", "    @JvmStatic", "    fun isMainProcess(context: Context): Boolean {",
              "        if (Build.VERSION.SDK_INT >= Build.VERSION_CODES.P) {",
              "            return Application.getProcessName() == context.packageName", "        }",
              "        return true", "    }", "}").write()

    # --- PI helpers in other modules --------------------------------------------------------------------
    def pi_function(self, module: Module, lang: str, simple: str, fn: str, api: str, leak: bool, how: str,
                    static_java: bool = True) -> Src:
        """A class in `module` whose `fn(context)` reads personal information through `api`."""
        s = Src(self.gen, module, lang, f"{module.package}.device", simple)
        kt = lang == "kotlin"
        s.imports.add("android.content.Context")
        body: list[tuple[str, str | None]] = []  # (line, what) — `what` marks the PI line
        if api == "device-id":
            s.imports.add("android.telephony.TelephonyManager")
            if kt:
                body += [("val telephony = context.getSystemService(Context.TELEPHONY_SERVICE) as TelephonyManager",
                          None), ("return telephony.deviceId.orEmpty()", "TelephonyManager.getDeviceId")]
            else:
                body += [("TelephonyManager telephony = (TelephonyManager) "
                          "context.getSystemService(Context.TELEPHONY_SERVICE);", None),
                         ("String id = telephony.getDeviceId();", "TelephonyManager.getDeviceId"),
                         ('return id == null ? "" : id;', None)]
        elif api == "android-id":
            s.imports.add("android.provider.Settings")
            if kt:
                body += [("val resolver = context.contentResolver", None),
                         ("return Settings.Secure.getString(resolver, Settings.Secure.ANDROID_ID).orEmpty()",
                          "Settings.Secure.getString")]
            else:
                body += [("String id = Settings.Secure.getString(context.getContentResolver(), "
                          "Settings.Secure.ANDROID_ID);", "Settings.Secure.getString"),
                         ('return id == null ? "" : id;', None)]
        elif api == "installed-apps":
            if kt:
                body += [("val packages = context.packageManager.getInstalledPackages(0)",
                          "PackageManager.getInstalledPackages"),
                         ('return packages.joinToString(",") { it.packageName }', None)]
            else:
                s.imports.update({"android.content.pm.PackageInfo", "java.util.List"})
                body += [("List<PackageInfo> packages = context.getPackageManager().getInstalledPackages(0);",
                          "PackageManager.getInstalledPackages"),
                         ("StringBuilder names = new StringBuilder();", None),
                         ("for (PackageInfo info : packages) {", None),
                         ("    names.append(info.packageName).append(',');", None), ("}", None),
                         ("return names.toString();", None)]
        else:  # location
            s.imports.update({"android.location.LocationManager", "android.annotation.SuppressLint"})
            if kt:
                body += [("val manager = context.getSystemService(Context.LOCATION_SERVICE) as LocationManager",
                          None),
                         ("val last = manager.getLastKnownLocation(LocationManager.NETWORK_PROVIDER)",
                          "LocationManager.getLastKnownLocation"),
                         ('return if (last == null) "" else "${last.latitude},${last.longitude}"', None)]
            else:
                s.imports.add("android.location.Location")
                body += [("LocationManager manager = (LocationManager) "
                          "context.getSystemService(Context.LOCATION_SERVICE);", None),
                         ("Location last = manager.getLastKnownLocation(LocationManager.NETWORK_PROVIDER);",
                          "LocationManager.getLastKnownLocation"),
                         ('return last == null ? "" : last.getLatitude() + "," + last.getLongitude();', None)]
        if kt:
            s.add(f"object {simple} {{", f'    private const val TAG = "{simple}"', "")
            if api == "location":
                s.add('    @SuppressLint("MissingPermission")')
            s.add("    @JvmStatic", f"    fun {fn}(context: Context): String {{")
        else:
            s.add(f"public final class {simple} {{", f"    private {simple}() {{", "    }", "")
            if api == "location":
                s.add('    @SuppressLint("MissingPermission")')
            s.add(f"    public static String {fn}(Context context) {{")
        for line, what in body:
            if what:
                s.mark(f"        {line}", "EC101", what, how, leak)
            else:
                s.add(f"        {line}")
        s.add("    }", "}")
        return s

    # --- :app -------------------------------------------------------------------------------------------
    def app_files(self) -> None:
        gen = self.gen
        app = gen.app
        util0 = gen.utils[0]
        core_last = gen.cores[-1]
        pkg = app.package
        store = f"{self.common.package}.PrivacyStore"

        # The SDKs start here once the user agreed: from the dialog's agree button, or at launch when stored.
        s = Src(gen, app, "kotlin", f"{pkg}.sdk", "SdkBootstrap")
        s.imports.update({"android.content.Context", "com.umeng.commonsdk.UMConfigure",
                          "cn.jpush.android.api.JPushInterface", "com.appsflyer.AppsFlyerLib"})
        s.add("/** Starts the analytics and push SDKs. Call only after the user agreed to the privacy policy. */",
              "object SdkBootstrap {", "    @JvmStatic", "    fun initAll(context: Context) {")
        for code, _imp, what, _sdk in (SDK_INITS[0], SDK_INITS[1], SDK_INITS[3]):
            s.mark("        " + code.format(ctx="context"), "EC102", what,
                   "only called behind PrivacyStore.isAgreed and from the privacy dialog's onAgree", False)
        s.add("    }", "}").write()

        s = Src(gen, app, "kotlin", pkg, "BenchApplication")
        s.imports.update({"android.app.Application", "android.util.Log", f"{pkg}.sdk.SdkBootstrap",
                          f"{pkg}.wiring.AppWiring", store, "com.tencent.bugly.crashreport.CrashReport",
                          "com.umeng.commonsdk.UMConfigure"})
        s.add("class BenchApplication : Application() {", "", "    override fun onCreate() {",
              "        super.onCreate()", '        UMConfigure.preInit(this, UMENG_KEY, CHANNEL)',
              "        if (PrivacyStore.isAgreed(this)) {", "            SdkBootstrap.initAll(this)", "        }")
        s.mark("        CrashReport.initCrashReport(applicationContext, BUGLY_APP_ID, false)", "EC102",
               "CrashReport.initCrashReport", "unguarded in Application.onCreate", True)
        s.add("        AppWiring.install(this)", '        Log.i(TAG, "application created")', "    }", "",
              "    companion object {", '        private const val TAG = "BenchApplication"',
              '        const val UMENG_KEY = "5f0c1a2b3c4d5e6f7a8b9c0d"', '        const val CHANNEL = "official"',
              '        const val BUGLY_APP_ID = "a1b2c3d4e5"', "    }", "}").write()

        s = Src(gen, app, "kotlin", f"{pkg}.wiring", "AppWiring")
        s.imports.update({"android.app.Application", "android.util.Log"})
        s.add("/** Wires every feature module at process start. */", "object AppWiring {",
              '    private const val TAG = "AppWiring"', "", "    @JvmStatic",
              "    fun install(app: Application) {")
        for f in gen.features:
            entry = f"{f.package}.{camel(f.noun)}FeatureEntry"
            s.imports.add(entry)
            s.add(f"        {camel(f.noun)}FeatureEntry.install(app)")
        for line in self.filler_calls(app, s, "kotlin", gen.cores[-1:] + gen.utils[:1], 3):
            s.add("        " + line)
        s.add('        Log.d(TAG, "features installed")', "    }", "}").write()

        s = Src(gen, app, "kotlin", f"{pkg}.consent", "PrivacyDialog")
        s.imports.update({"android.app.Activity", "androidx.appcompat.app.AlertDialog", f"{pkg}.R"})
        s.add("/** The first-run privacy dialog: nothing is collected until the user taps Agree. */",
              "object PrivacyDialog {",
              "    fun show(activity: Activity, onAgree: () -> Unit, onDisagree: () -> Unit) {",
              "        AlertDialog.Builder(activity)", "            .setTitle(R.string.privacy_title)",
              "            .setMessage(R.string.privacy_message)", "            .setCancelable(false)",
              "            .setPositiveButton(R.string.privacy_agree) { _, _ -> onAgree() }",
              "            .setNegativeButton(R.string.privacy_disagree) { _, _ -> onDisagree() }",
              "            .show()", "    }", "}").write()

        s = Src(gen, app, "kotlin", f"{pkg}.launch", "LaunchActivity")
        s.imports.update({"android.content.Intent", "android.os.Bundle", "androidx.appcompat.app.AppCompatActivity",
                          f"{pkg}.R", f"{pkg}.consent.PrivacyDialog", f"{pkg}.home.HomeActivity",
                          f"{pkg}.sdk.SdkBootstrap", store})
        s.add("class LaunchActivity : AppCompatActivity() {", "",
              "    override fun onCreate(savedInstanceState: Bundle?) {",
              "        super.onCreate(savedInstanceState)", "        setContentView(R.layout.activity_launch)",
              "        if (!PrivacyStore.isAgreed(this)) {", "            PrivacyDialog.show(this, onAgree = {",
              "                PrivacyStore.setAgreed(this, true)",
              "                SdkBootstrap.initAll(applicationContext)", "                openHome()",
              "            }, onDisagree = { finish() })", "            return", "        }", "        openHome()",
              "    }", "", "    private fun openHome() {",
              "        startActivity(Intent(this, HomeActivity::class.java))", "        finish()", "    }", "}").write()

        s = Src(gen, app, "kotlin", f"{pkg}.home", "HomeActivity")
        s.imports.update({"android.content.Intent", "android.os.Bundle", "android.widget.Button",
                          "androidx.appcompat.app.AppCompatActivity", f"{pkg}.R"})
        s.add("class HomeActivity : AppCompatActivity() {", "",
              "    override fun onCreate(savedInstanceState: Bundle?) {",
              "        super.onCreate(savedInstanceState)", "        setContentView(R.layout.activity_home)")
        for f in gen.features:
            if f.activities:
                fqn, _layout = f.activities[0]
                s.imports.add(fqn)
                simple = fqn.rsplit(".", 1)[1]
                s.add(f"        findViewById<Button>(R.id.open_{f.noun}).setOnClickListener {{",
                      f"            startActivity(Intent(this, {simple}::class.java))", "        }")
        s.add("    }", "}").write()
        app.layouts["activity_home"] = [f"open_{f.noun}" for f in gen.features if f.activities]
        app.layouts["activity_launch"] = ["launch_logo"]

        s = Src(gen, app, "kotlin", f"{pkg}.startup", "MetricsInitializer")
        s.imports.update({"android.content.Context", "androidx.startup.Initializer", "com.appsflyer.AppsFlyerLib",
                          "cn.jpush.android.api.JPushInterface", store})
        s.add("/** Registered with androidx.startup: runs before Application.onCreate. */",
              "class MetricsInitializer : Initializer<Unit> {", "", "    override fun create(context: Context) {",
              "        val appsFlyer = AppsFlyerLib.getInstance()",
              '        appsFlyer.init("kq9Wf2mXcBenchAF", null, context)')
        s.mark("        appsFlyer.start(context)", "EC102", "AppsFlyerLib.start",
               "unguarded in an androidx.startup initializer", True)
        s.add("        if (PrivacyStore.isAgreed(context)) {")
        s.mark("            JPushInterface.init(context)", "EC102", "JPushInterface.init",
               "behind PrivacyStore.isAgreed", False)
        s.add("        }", "    }", "",
              "    override fun dependencies(): List<Class<out Initializer<*>>> = emptyList()", "}").write()

        s = Src(gen, app, "java", f"{pkg}.provider", "MetricsProvider")
        s.imports.update({"android.content.ContentProvider", "android.content.ContentValues", "android.content.Context",
                          "android.database.Cursor", "android.net.Uri", "android.provider.Settings",
                          "android.util.Log", "androidx.annotation.NonNull", "androidx.annotation.Nullable"})
        s.add("public class MetricsProvider extends ContentProvider {",
              '    private static final String TAG = "MetricsProvider";', "    private String installKey;", "",
              "    @Override", "    public boolean onCreate() {", "        Context context = getContext();",
              "        if (context == null) {", "            return false;", "        }")
        s.mark("        installKey = Settings.Secure.getString(context.getContentResolver(), "
               "Settings.Secure.ANDROID_ID);", "EC101", "Settings.Secure.getString",
               "unguarded in ContentProvider.onCreate", True)
        s.add('        Log.d(TAG, "provider ready");', "        return true;", "    }")
        for sig, ret in (("Cursor query(@NonNull Uri uri, @Nullable String[] projection, @Nullable String selection, "
                          "@Nullable String[] selectionArgs, @Nullable String sortOrder)", "null"),
                         ("String getType(@NonNull Uri uri)", "null"),
                         ("Uri insert(@NonNull Uri uri, @Nullable ContentValues values)", "null"),
                         ("int delete(@NonNull Uri uri, @Nullable String selection, @Nullable String[] selectionArgs)",
                          "0"),
                         ("int update(@NonNull Uri uri, @Nullable ContentValues values, @Nullable String selection, "
                          "@Nullable String[] selectionArgs)", "0")):
            s.add("", *(["    @Nullable"] if ret == "null" else []), "    @Override", f"    public {sig} {{",
                  f"        return {ret};", "    }")
        s.add("}").write()

        # Boot receiver (Java) -> :core (Kotlin) -> :util (Java): last known location before consent.
        loc = self.pi_function(util0, "java", "LastPlaceCache", "lastKnownPlace", "location", True,
                               "BootReceiver.onReceive -> RefreshScheduler.scheduleNext (Kotlin) -> "
                               "LastPlaceCache.lastKnownPlace (Java), unguarded")
        loc.write()
        s = Src(gen, core_last, "kotlin", f"{core_last.package}.schedule", "RefreshScheduler")
        s.imports.update({"android.content.Context", "android.util.Log", f"{loc.package}.{loc.simple}"})
        s.add("object RefreshScheduler {", '    private const val TAG = "RefreshScheduler"', "", "    @JvmStatic",
              "    fun scheduleNext(context: Context) {", "        val place = LastPlaceCache.lastKnownPlace(context)",
              '        Log.d(TAG, "next refresh near $place")', "    }", "}").write()
        audit = self.pi_function(core_last, "java", "InstalledAppsAudit", "collect", "installed-apps", False,
                                 "BootReceiver.onReceive, behind PrivacyStore.isAgreed")
        audit.write()
        s = Src(gen, app, "java", f"{pkg}.boot", "BootReceiver")
        s.imports.update({"android.content.BroadcastReceiver", "android.content.Context", "android.content.Intent",
                          store, f"{core_last.package}.schedule.RefreshScheduler", f"{audit.package}.{audit.simple}"})
        s.add("public class BootReceiver extends BroadcastReceiver {", "    @Override",
              "    public void onReceive(Context context, Intent intent) {",
              "        if (!Intent.ACTION_BOOT_COMPLETED.equals(intent.getAction())) {", "            return;",
              "        }", "        RefreshScheduler.scheduleNext(context);",
              "        if (PrivacyStore.isAgreed(context)) {", "            InstalledAppsAudit.collect(context);",
              "        }", "    }", "}").write()

        # Debug build type: a debug-only screen.
        s = Src(gen, app, "kotlin", f"{pkg}.debug", "DebugPanelActivity", source_set="debug")
        s.imports.update({"android.os.Bundle", "android.util.Log", "androidx.appcompat.app.AppCompatActivity"})
        s.add("class DebugPanelActivity : AppCompatActivity() {",
              "    override fun onCreate(savedInstanceState: Bundle?) {",
              "        super.onCreate(savedInstanceState)", '        Log.d("DebugPanel", "opened")', "    }",
              "}").write()

    def filler_calls(self, module: Module, s: Src, lang: str, extra: list[Module], n: int) -> list[str]:
        """Calls from an entry point into ordinary code, so that much of the project runs at start-up."""
        pool = [a for a in module.apis if a.style in ("object", "static", "companion", "instance") and a.methods]
        pool += [a for m in extra for a in m.apis if a.style in ("object", "static", "instance") and a.methods]
        out: list[str] = []
        fg = FileGen(self.rng, lang, module, s.package, s.simple, [])
        for api in self.rng.sample(pool, min(n, len(pool))):
            m = self.rng.choice(api.methods)
            args = ", ".join(fg.literal(t) for _n, t in m.params)
            s.imports.add(api.fqn)
            if api.iface:
                s.imports.add(f"{api.package}.{api.iface}")
            s.imports.update(fg.imports)
            fg.imports.clear()
            if api.style == "instance":
                recv = f"{api.simple}()" if lang == "kotlin" else f"new {api.simple}()"
            elif lang == "java" and api.lang == "kotlin" and api.style == "object" and not m.jvm_static:
                recv = f"{api.simple}.INSTANCE"
            else:
                recv = api.simple
            out.append(f"{recv}.{m.name}({args})" + (";" if lang == "java" else ""))
        return out

    # --- feature entries --------------------------------------------------------------------------------
    def feature_entry(self, i: int, f: Module) -> None:
        gen = self.gen
        lang = "kotlin" if i % 2 == 0 else "java"
        kt = lang == "kotlin"
        name = f"{camel(f.noun)}FeatureEntry"
        s = Src(gen, f, lang, f.package, name)
        store = f"{self.common.package}.PrivacyStore"
        s.imports.update({"android.app.Application", "android.util.Log"})
        if kt:
            s.add("/** Called by AppWiring at process start. */", f"object {name} {{",
                  f'    private const val TAG = "{camel(f.noun)}Feature"', "", "    @JvmStatic",
                  "    fun install(app: Application) {")
        else:
            s.add("/** Called by AppWiring at process start. */", f"public final class {name} {{",
                  f'    private static final String TAG = "{camel(f.noun)}Feature";', "", f"    private {name}() {{",
                  "    }", "", "    public static void install(Application app) {")
        for line in self.filler_calls(f, s, lang, [], self.rng.randint(2, 4)):
            s.add("        " + line)
        self.leak_pattern(i, f, s)
        self.safe_pattern(i, f, s, store)
        s.add('        Log.d(TAG, "installed");' if not kt else '        Log.d(TAG, "installed")', "    }", "}")
        s.write()

    def sdk_line(self, s: Src, k: int, ctx: str) -> tuple[str, str, str]:
        code, imp, what, sdk = SDK_INITS[k % len(SDK_INITS)]
        s.imports.add(imp)
        return code.format(ctx=ctx) + ("" if s.lang == "kotlin" else ";"), what, sdk

    def leak_pattern(self, i: int, f: Module, s: Src) -> None:
        kt = s.lang == "kotlin"
        semi = "" if kt else ";"
        noun = camel(f.noun)
        variant = i % 4
        apis = ("device-id", "android-id", "installed-apps", "location")
        api = apis[(i // 4) % 4]
        if variant == 0:
            # Cross-module chain: feature -> core (other language) -> util (back to the entry's language).
            core = self.rng.choice([c for c in f.deps if c.kind == "core"])
            util = self.rng.choice([u for u in f.deps if u.kind == "util"])
            mid_lang = "java" if kt else "kotlin"
            pi = self.pi_function(util, s.lang, f"{noun}DeviceSignals", f"read{noun}Signal", api, True,
                                  f"{s.simple}.install -> {noun}SignalReport.build ({mid_lang}, :{core.name}) -> "
                                  f"{noun}DeviceSignals ({s.lang}, :{util.name}), unguarded")
            pi.write()
            mid = Src(self.gen, core, mid_lang, f"{core.package}.report", f"{noun}SignalReport")
            mid.imports.update({"android.content.Context", f"{pi.package}.{pi.simple}"})
            if mid_lang == "kotlin":
                mid.add(f"object {noun}SignalReport {{", "    @JvmStatic", "    fun build(context: Context): String {",
                        f"        val signal = {noun}DeviceSignals.read{noun}Signal(context)",
                        f'        return "{f.noun}:" + signal', "    }", "}")
            else:
                mid.add(f"public final class {noun}SignalReport {{", f"    private {noun}SignalReport() {{", "    }",
                        "", "    public static String build(Context context) {",
                        f"        String signal = {noun}DeviceSignals.read{noun}Signal(context);",
                        f'        return "{f.noun}:" + signal;', "    }", "}")
            mid.write()
            s.imports.add(f"{mid.package}.{mid.simple}")
            s.add(f"        {'val' if kt else 'String'} report = {noun}SignalReport.build(app){semi}")
        elif variant == 1:
            code, what, sdk = self.sdk_line(s, i // 4, "app")
            f.sdk_deps.add(sdk)
            s.mark(f"        {code}", "EC102", what, f"unguarded in {s.simple}.install", True)
        elif variant == 2:
            pi = self.pi_function(f, s.lang, f"{noun}AppScanner", f"scan{noun}Apps", "installed-apps", True,
                                  f"{s.simple}.install -> Handler.postDelayed -> {noun}AppScanner (a delay is not "
                                  "consent)")
            pi.write()
            s.imports.update({"android.os.Handler", "android.os.Looper", f"{pi.package}.{pi.simple}"})
            if kt:
                s.add("        Handler(Looper.getMainLooper()).postDelayed({",
                      f"            {noun}AppScanner.scan{noun}Apps(app)", "        }, 2_000L)")
            else:
                s.add("        new Handler(Looper.getMainLooper()).postDelayed(new Runnable() {",
                      "            @Override", "            public void run() {",
                      f"                {noun}AppScanner.scan{noun}Apps(app);", "            }", "        }, 2000L);")
        else:
            pi = self.pi_function(f, s.lang, f"{noun}LocationWarmup", f"prime{noun}Location",
                                  apis[(i // 4 + 3) % 4], True,
                                  f"{s.simple}.install -> {noun}LocationWarmup inside `if (isMainProcess)` "
                                  "(not a consent check)")
            pi.write()
            s.imports.update({f"{self.common.package}.ProcessInfo", f"{pi.package}.{pi.simple}"})
            s.add("        if (ProcessInfo.isMainProcess(app)) {",
                  f"            {noun}LocationWarmup.prime{noun}Location(app){semi}", "        }")

    def safe_pattern(self, i: int, f: Module, s: Src, store: str) -> None:
        kt = s.lang == "kotlin"
        semi = "" if kt else ";"
        noun = camel(f.noun)
        variant = i % 5
        s.imports.add(store)
        if variant == 0:
            code, what, sdk = self.sdk_line(s, i // 5 + 1, "app")
            f.sdk_deps.add(sdk)
            s.add("        if (PrivacyStore.isAgreed(app)) {")
            s.mark(f"            {code}", "EC102", what, "behind PrivacyStore.isAgreed", False)
            s.add("        }")
        elif variant == 1:
            pi = self.pi_function(f, "java" if kt else "kotlin", f"{noun}Audit", f"collect{noun}Id", "android-id",
                                  False, f"{s.simple}.install behind PrivacyStore.isAgreed")
            pi.write()
            s.imports.add(f"{pi.package}.{pi.simple}")
            s.add("        if (PrivacyStore.isAgreed(app)) {", f"            {noun}Audit.collect{noun}Id(app){semi}",
                  "        }")
        elif variant == 2:
            code, what, sdk = self.sdk_line(s, i // 5 + 2, "app")
            f.sdk_deps.add(sdk)
            s.add("        if (!PrivacyStore.isAgreed(app)) {",
                  f'            Log.d(TAG, "waiting for consent"){semi}', "            return" + semi, "        }")
            s.mark(f"        {code}", "EC102", what, "after an early return when PrivacyStore.isAgreed is false", False)
        elif variant == 3:
            pi = self.pi_function(f, s.lang, f"{noun}Nearby", f"lookup{noun}Nearby", "location", False,
                                  "only called from a click listener")
            pi.write()
            self.click_only(f, pi, f"lookup{noun}Nearby")
        else:
            pi = self.pi_function(f, "kotlin" if kt else "java", f"{noun}LegacyIds", f"legacy{noun}Id", "device-id",
                                  False, "dead code: never called")
            pi.write()

    def click_only(self, f: Module, pi: Src, fn_name: str) -> None:
        """A small screen whose button (a user action) calls the PI helper."""
        simple = f"{camel(f.noun)}NearbyActivity"
        layout = f"activity_{f.noun}_nearby"
        s = Src(self.gen, f, "kotlin", f"{f.package}.ui", simple)
        s.imports.update({"android.os.Bundle", "android.widget.Button", "android.widget.TextView",
                          "androidx.appcompat.app.AppCompatActivity", f"{f.package}.R", f"{pi.package}.{pi.simple}"})
        s.add(f"class {simple} : AppCompatActivity() {{", "    override fun onCreate(savedInstanceState: Bundle?) {",
              "        super.onCreate(savedInstanceState)", f"        setContentView(R.layout.{layout})",
              f"        findViewById<Button>(R.id.{f.noun}_nearby).setOnClickListener {{",
              f"            findViewById<TextView>(R.id.{f.noun}_place).text = {pi.simple}.{fn_name}(this)",
              "        }", "    }", "}").write()
        f.layouts[layout] = [f"{f.noun}_nearby", f"{f.noun}_place"]
        f.activities.append((f"{f.package}.ui.{simple}", layout))


# ----------------------------------------------------------------------------------------------------
# Gradle files, manifests, resources
# ----------------------------------------------------------------------------------------------------
SDK_LIBS = {
    "umeng": ("umeng-common", "com.umeng.umsdk:common", "9.8.5"),
    "jpush": ("jpush", "cn.jiguang.sdk:jpush", "5.7.0"),
    "bugly": ("bugly-crashreport", "com.tencent.bugly:crashreport", "4.1.9.3"),
    "appsflyer": ("appsflyer", "com.appsflyer:af-android-sdk", "6.14.2"),
}
APP_PERMISSIONS = (
    "android.permission.INTERNET", "android.permission.ACCESS_NETWORK_STATE", "android.permission.ACCESS_WIFI_STATE",
    "android.permission.READ_PHONE_STATE", "android.permission.ACCESS_COARSE_LOCATION",
    "android.permission.ACCESS_FINE_LOCATION", "android.permission.CAMERA", "android.permission.POST_NOTIFICATIONS",
    "android.permission.RECEIVE_BOOT_COMPLETED", "android.permission.VIBRATE", "android.permission.WAKE_LOCK",
    "android.permission.FOREGROUND_SERVICE", "android.permission.READ_MEDIA_IMAGES",
    "android.permission.RECORD_AUDIO", "android.permission.READ_CONTACTS", "android.permission.QUERY_ALL_PACKAGES",
    "android.permission.BLUETOOTH_CONNECT", "android.permission.SCHEDULE_EXACT_ALARM",
)


class Scaffold:
    def __init__(self, gen: Generator) -> None:
        self.gen = gen
        self.tree = gen.tree
        self.rng = random.Random(gen.seed * 31 + 5)

    def write(self) -> None:
        self.settings()
        self.root_build()
        self.catalog()
        for m in self.gen.modules:
            self.module_build(m)
            self.manifest(m)
            self.resources(m)
        self.app_variant_manifests()

    def settings(self) -> None:
        mods = self.gen.modules
        lines = ["pluginManagement {", "    repositories {", "        google()", "        mavenCentral()",
                 "        gradlePluginPortal()", "    }", "}", "", "dependencyResolutionManagement {",
                 "    repositoriesMode.set(RepositoriesMode.FAIL_ON_PROJECT_REPOS)", "    repositories {",
                 "        google()", "        mavenCentral()", "    }", "}", "", 'rootProject.name = "BenchApp"', "",
                 'include(":app")']
        for kind in ("core", "util", "feature"):
            group = [m for m in mods if m.kind == kind]
            for j in range(0, len(group), 4):
                lines.append("include(" + ", ".join(f'"{m.gradle}"' for m in group[j:j + 4]) + ")")
        self.tree.add("settings.gradle.kts", lines)
        self.tree.add("gradle.properties", ["org.gradle.jvmargs=-Xmx4g", "android.useAndroidX=true",
                                            "kotlin.code.style=official", "android.nonTransitiveRClass=true"])

    def root_build(self) -> None:
        self.tree.add("build.gradle.kts", [
            "// Top-level build file.", "plugins {", "    alias(libs.plugins.android.application) apply false",
            "    alias(libs.plugins.android.library) apply false", "    alias(libs.plugins.kotlin.android) apply false",
            "}"])

    def catalog(self) -> None:
        libs = [("androidx-core-ktx", "androidx.core:core-ktx", "1.13.1"),
                ("androidx-appcompat", "androidx.appcompat:appcompat", "1.7.0"),
                ("androidx-annotation", "androidx.annotation:annotation", "1.8.2"),
                ("androidx-recyclerview", "androidx.recyclerview:recyclerview", "1.3.2"),
                ("androidx-lifecycle-viewmodel-ktx", "androidx.lifecycle:lifecycle-viewmodel-ktx", "2.8.6"),
                ("androidx-lifecycle-livedata-ktx", "androidx.lifecycle:lifecycle-livedata-ktx", "2.8.6"),
                ("androidx-activity-ktx", "androidx.activity:activity-ktx", "1.9.2"),
                ("androidx-startup-runtime", "androidx.startup:startup-runtime", "1.1.1"),
                ("material", "com.google.android.material:material", "1.12.0"),
                ("kotlinx-coroutines-android", "org.jetbrains.kotlinx:kotlinx-coroutines-android", "1.8.1"),
                ("okhttp", "com.squareup.okhttp3:okhttp", "4.12.0"), ("junit", "junit:junit", "4.13.2"),
                *SDK_LIBS.values()]
        lines = ["[versions]", 'agp = "8.5.2"', 'kotlin = "1.9.24"']
        for alias, _coord, version in libs:
            lines.append(f'{lower_camel(alias)} = "{version}"')
        lines += ["", "[libraries]"]
        for alias, coord, _version in libs:
            group, name = coord.split(":")
            lines.append(f'{alias} = {{ group = "{group}", name = "{name}", version.ref = "{lower_camel(alias)}" }}')
        lines += ["", "[bundles]", 'androidx-ui = ["androidx-core-ktx", "androidx-appcompat", "material", '
                  '"androidx-recyclerview"]', "", "[plugins]",
                  'android-application = { id = "com.android.application", version.ref = "agp" }',
                  'android-library = { id = "com.android.library", version.ref = "agp" }',
                  'kotlin-android = { id = "org.jetbrains.kotlin.android", version.ref = "kotlin" }']
        self.tree.add("gradle/libs.versions.toml", lines)

    def deps(self, m: Module) -> list[tuple[str, str]]:
        """(configuration, notation) in catalog form `libs.x.y` or project form `:name`."""
        out = [("implementation", f"project:{d.gradle}") for d in m.deps]
        out += [("implementation", "libs.androidx.core.ktx"), ("implementation", "libs.androidx.annotation"),
                ("implementation", "libs.kotlinx.coroutines.android")]
        if m.kind in ("feature", "app"):
            out += [("implementation", "libs.bundles.androidx.ui"),
                    ("implementation", "libs.androidx.lifecycle.viewmodel.ktx"),
                    ("implementation", "libs.androidx.lifecycle.livedata.ktx"),
                    ("implementation", "libs.androidx.activity.ktx")]
        if m.kind == "core" and m.noun == "network":
            out.append(("api", "libs.okhttp"))
        sdks = sorted(SDK_LIBS) if m.kind == "app" else sorted(m.sdk_deps)
        out += [("implementation", "libs." + SDK_LIBS[s][0].replace("-", ".")) for s in sdks]
        if m.kind == "app":
            out.append(("implementation", "libs.androidx.startup.runtime"))
        out.append(("testImplementation", "libs.junit"))
        return out

    def module_build(self, m: Module) -> None:
        app = m.kind == "app"
        plugin = "android.application" if app else "android.library"
        if m.build == "kts":
            lines = ["plugins {", f"    alias(libs.plugins.{plugin})", "    alias(libs.plugins.kotlin.android)", "}",
                     "",
                     "android {", f'    namespace = "{m.package}"', "    compileSdk = 34", "", "    defaultConfig {"]
            if app:
                lines += [f'        applicationId = "{m.package}"', "        minSdk = 24", "        targetSdk = 34",
                          "        versionCode = 100", '        versionName = "1.0.0"']
            else:
                lines += ["        minSdk = 24", '        consumerProguardFiles("consumer-rules.pro")']
            lines += ["    }", ""]
            if app:
                lines += ['    flavorDimensions += "market"', "    productFlavors {", '        create("cn") {',
                          '            dimension = "market"', "        }", '        create("global") {',
                          '            dimension = "market"', '            applicationIdSuffix = ".global"',
                          "        }",
                          "    }", "", "    buildTypes {", "        release {", "            isMinifyEnabled = true",
                          '            proguardFiles(getDefaultProguardFile("proguard-android-optimize.txt"), '
                          '"proguard-rules.pro")', "        }", "    }", ""]
            lines += ["    compileOptions {", "        sourceCompatibility = JavaVersion.VERSION_17",
                      "        targetCompatibility = JavaVersion.VERSION_17", "    }", "    kotlinOptions {",
                      '        jvmTarget = "17"', "    }", "}", "", "dependencies {"]
            for conf, dep in self.deps(m):
                project = dep.startswith("project:")
                lines.append(f'    {conf}(project("{dep[8:]}"))' if project else f"    {conf}({dep})")
            lines.append("}")
            self.tree.add(f"{m.dir}/build.gradle.kts", lines)
        else:
            lines = ["plugins {", "    id 'com.android.library'", "    id 'org.jetbrains.kotlin.android'", "}", "",
                     "android {", f"    namespace '{m.package}'", "    compileSdk 34", "", "    defaultConfig {",
                     "        minSdk 24", "    }", "", "    compileOptions {",
                     "        sourceCompatibility JavaVersion.VERSION_17",
                     "        targetCompatibility JavaVersion.VERSION_17", "    }", "}", "", "dependencies {"]
            for conf, dep in self.deps(m):
                lines.append(f"    {conf} project('{dep[8:]}')" if dep.startswith("project:") else f"    {conf} {dep}")
            lines.append("}")
            self.tree.add(f"{m.dir}/build.gradle", lines)

    def manifest(self, m: Module) -> None:
        path = f"{m.dir}/src/main/AndroidManifest.xml"
        head = ['<?xml version="1.0" encoding="utf-8"?>',
                '<manifest xmlns:android="http://schemas.android.com/apk/res/android"',
                '    xmlns:tools="http://schemas.android.com/tools">']
        if m.kind == "app":
            perms = self.rng.sample(APP_PERMISSIONS[3:], self.rng.randint(9, 14))
            perms = [*APP_PERMISSIONS[:3], *sorted(perms, key=APP_PERMISSIONS.index)]
            body = [f'    <uses-permission android:name="{p}" />' for p in perms]
            pkg = m.package
            body += ["", "    <application", '        android:name=".BenchApplication"',
                     '        android:allowBackup="false"', '        android:icon="@drawable/ic_launcher"',
                     '        android:label="@string/app_name"', '        android:theme="@style/Theme.Bench">', "",
                     "        <activity", '            android:name=".launch.LaunchActivity"',
                     '            android:exported="true">', "            <intent-filter>",
                     '                <action android:name="android.intent.action.MAIN" />',
                     '                <category android:name="android.intent.category.LAUNCHER" />',
                     "            </intent-filter>", "        </activity>",
                     '        <activity android:name=".home.HomeActivity" android:exported="false" />',
                     *[f'        <activity android:name="{fqn}" android:exported="false" />'
                       for fqn, _ in m.activities],
                     "", "        <provider", '            android:name=".provider.MetricsProvider"',
                     f'            android:authorities="{pkg}.metrics"', '            android:exported="false" />', "",
                     "        <provider", '            android:name="androidx.startup.InitializationProvider"',
                     '            android:authorities="${applicationId}.androidx-startup"',
                     '            android:exported="false"', '            tools:node="merge">',
                     "            <meta-data",
                     f'                android:name="{pkg}.startup.MetricsInitializer"',
                     '                android:value="androidx.startup" />', "        </provider>", "",
                     "        <receiver", '            android:name=".boot.BootReceiver"',
                     '            android:exported="false">', "            <intent-filter>",
                     '                <action android:name="android.intent.action.BOOT_COMPLETED" />',
                     "            </intent-filter>", "        </receiver>", "    </application>"]
        elif m.activities:
            body = []
            if m.permissions:
                body += [f'    <uses-permission android:name="{p}" />' for p in m.permissions] + [""]
            body += ["    <application>",
                     *[f'        <activity android:name="{fqn}" android:exported="false" />'
                       for fqn, _ in m.activities],
                     "    </application>"]
        else:
            self.tree.add(path, [*head[:2], '    xmlns:tools="http://schemas.android.com/tools" />'])
            return
        self.tree.add(path, [*head, "", *body, "", "</manifest>"])

    def app_variant_manifests(self) -> None:
        app = self.gen.app
        self.tree.add(f"{app.dir}/src/cn/AndroidManifest.xml", [
            '<?xml version="1.0" encoding="utf-8"?>',
            '<manifest xmlns:android="http://schemas.android.com/apk/res/android">', "    <application>",
            '        <meta-data android:name="JPUSH_CHANNEL" android:value="official" />',
            '        <meta-data android:name="UMENG_CHANNEL" android:value="official" />', "    </application>",
            "</manifest>"])
        self.tree.add(f"{app.dir}/src/debug/AndroidManifest.xml", [
            '<?xml version="1.0" encoding="utf-8"?>',
            '<manifest xmlns:android="http://schemas.android.com/apk/res/android">', "    <application>",
            f'        <activity android:name="{app.package}.debug.DebugPanelActivity" android:exported="false" />',
            "    </application>", "</manifest>"])

    def resources(self, m: Module) -> None:
        res = f"{m.dir}/src/main/res"
        if m.kind == "app":
            self.tree.add(f"{res}/values/strings.xml", [
                '<?xml version="1.0" encoding="utf-8"?>', "<resources>",
                '    <string name="app_name">Bench</string>',
                '    <string name="privacy_title">个人信息保护指引</string>',
                '    <string name="privacy_message">请您阅读并同意《用户协议》和《隐私政策》。'
                '我们会在您同意后才初始化统计、推送和崩溃分析 SDK。</string>',
                '    <string name="privacy_agree">同意</string>', '    <string name="privacy_disagree">不同意</string>',
                "</resources>"])
            self.tree.add(f"{res}/values/themes.xml", [
                '<?xml version="1.0" encoding="utf-8"?>', "<resources>",
                '    <style name="Theme.Bench" parent="Theme.Material3.DayNight.NoActionBar" />', "</resources>"])
            self.tree.add(f"{res}/drawable/ic_launcher.xml", [
                '<vector xmlns:android="http://schemas.android.com/apk/res/android" android:width="48dp"',
                '    android:height="48dp" android:viewportWidth="48" android:viewportHeight="48">',
                '    <path android:fillColor="#3F51B5" android:pathData="M0,0h48v48h-48z" />', "</vector>"])
        elif m.layouts:
            self.tree.add(f"{res}/values/strings.xml", [
                '<?xml version="1.0" encoding="utf-8"?>', "<resources>",
                f'    <string name="{m.noun}_title">{camel(m.noun)}</string>',
                f'    <string name="{m.noun}_empty">No {m.noun} yet</string>', "</resources>"])
        for layout, ids in sorted(m.layouts.items()):
            views = []
            for vid in ids:
                tag = "TextView" if vid.endswith(("_place", "_logo")) else "Button"
                views += [f"    <{tag}", f'        android:id="@+id/{vid}"',
                          '        android:layout_width="wrap_content"',
                          '        android:layout_height="wrap_content"',
                          f'        android:text="{vid.replace("_", " ")}" />']
            self.tree.add(f"{res}/layout/{layout}.xml", [
                '<?xml version="1.0" encoding="utf-8"?>',
                '<LinearLayout xmlns:android="http://schemas.android.com/apk/res/android"',
                '    android:layout_width="match_parent"', '    android:layout_height="match_parent"',
                '    android:orientation="vertical">', *views, "</LinearLayout>"])


# ----------------------------------------------------------------------------------------------------
# Checking and summary
# ----------------------------------------------------------------------------------------------------
def source_files(root: Path) -> Iterator[Path]:
    for path in sorted(root.rglob("*")):
        if path.suffix in (".kt", ".java") and path.is_file() and ".git" not in path.parts:
            yield path


def count_errors(root: Path) -> dict[str, object]:
    """Parse every .kt/.java file with tree-sitter; count ERROR and MISSING nodes."""
    import tree_sitter_java
    import tree_sitter_kotlin
    from tree_sitter import Language, Parser

    parsers = {".kt": Parser(Language(tree_sitter_kotlin.language())),
               ".java": Parser(Language(tree_sitter_java.language()))}
    errors = 0
    bad_files: list[str] = []
    lines = 0
    for path in source_files(root):
        data = path.read_bytes()
        lines += data.count(b"\n")
        tree = parsers[path.suffix].parse(data)
        if not tree.root_node.has_error:
            continue
        n = 0
        stack = [tree.root_node]
        while stack:
            node = stack.pop()
            if node.is_error or node.is_missing:
                n += 1
            elif node.has_error:
                stack.extend(node.children)
        errors += n
        bad_files.append(path.relative_to(root).as_posix())
    return {"error_nodes": errors, "files_with_errors": len(bad_files), "first_bad_files": bad_files[:10],
            "error_nodes_per_100k_lines": round(errors * 100_000 / max(1, lines), 3)}


def summarize(tree: Tree, lines: int, seed: int) -> dict[str, object]:
    def stats(suffix: str) -> tuple[int, int, int]:
        texts = [t for p, t in tree.files.items() if p.endswith(suffix)]
        return len(texts), sum(t.count("\n") for t in texts), sum(len(t.encode()) for t in texts)

    kf, kl, kb = stats(".kt")
    jf, jl, jb = stats(".java")
    other = [p for p in tree.files if not p.endswith((".kt", ".java"))]
    modules = sorted({p.split("/", 1)[0] for p in tree.files if "/" in p and not p.startswith("gradle/")})
    return {
        "generator_version": GENERATOR_VERSION, "seed": seed, "lines_requested": lines,
        "files": kf + jf, "lines": kl + jl, "bytes": kb + jb,
        "kotlin": {"files": kf, "lines": kl, "bytes": kb}, "java": {"files": jf, "lines": jl, "bytes": jb},
        "kotlin_java_line_ratio": round(kl / max(1, jl), 3),
        "other_files": len(other), "modules": modules,
        "planted": [m.__dict__ for m in tree.planted], "safe": [m.__dict__ for m in tree.safe],
    }


def generate(out: Path, lines: int = 300_000, seed: int = 1, check: bool = True) -> dict[str, object]:
    """Write the project into `out` (which must be empty or absent) and return the summary."""
    if out.exists() and any(out.iterdir()):
        raise FileExistsError(f"{out} is not empty")
    started = time.perf_counter()
    tree = Generator(lines, seed).generate()
    for rel, text in tree.files.items():
        path = out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    summary = summarize(tree, lines, seed)
    summary["generate_seconds"] = round(time.perf_counter() - started, 3)
    if check:
        summary["parse_check"] = count_errors(out)
    (out / "generated.json").write_text(json.dumps(summary, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return summary


def print_summary(s: dict[str, object], out: Path) -> None:
    k, j = s["kotlin"], s["java"]
    planted = s["planted"]
    by_rule: dict[str, int] = {}
    for p in planted:  # type: ignore[union-attr]
        by_rule[p["rule"]] = by_rule.get(p["rule"], 0) + 1
    print(f"generated {out}")
    print(f"  modules:  {len(s['modules'])}")  # type: ignore[arg-type]
    print(f"  sources:  {s['files']} files, {s['lines']:,} lines, {s['bytes'] / 1e6:.2f} MB")
    print(f"  Kotlin:   {k['files']} files, {k['lines']:,} lines; Java: {j['files']} files, "  # type: ignore[index]
          f"{j['lines']:,} lines (Kotlin:Java {s['kotlin_java_line_ratio']}:1)")  # type: ignore[index]
    print(f"  other:    {s['other_files']} files (Gradle, manifests, resources)")
    print(f"  planted pre-consent leaks: {len(planted)} ({', '.join(f'{r} {n}' for r, n in sorted(by_rule.items()))});"
          f" safe (guarded, user action, dead code): {len(s['safe'])}")  # type: ignore[arg-type]
    pc = s.get("parse_check")
    if isinstance(pc, dict):
        print(f"  tree-sitter: {pc['error_nodes']} ERROR/MISSING nodes in {pc['files_with_errors']} files "
              f"({pc['error_nodes_per_100k_lines']} per 100k lines)")
    print(f"  took {s['generate_seconds']} s to generate")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out", type=Path, help="output folder (must be empty or absent)")
    ap.add_argument("--lines", type=int, default=300_000, help="Kotlin+Java lines to generate (default 300000)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--force", action="store_true", help="delete OUT first if it holds a generated tree")
    ap.add_argument("--no-check", action="store_true", help="skip the tree-sitter error-node count")
    args = ap.parse_args(argv)
    if args.force and args.out.exists():
        if not (args.out / "generated.json").is_file():
            print(f"refusing to delete {args.out}: it has no generated.json", file=sys.stderr)
            return 2
        shutil.rmtree(args.out)
    try:
        summary = generate(args.out, args.lines, args.seed, check=not args.no_check)
    except FileExistsError as exc:
        print(f"error: {exc} (use --force to replace a generated tree)", file=sys.stderr)
        return 2
    print_summary(summary, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
