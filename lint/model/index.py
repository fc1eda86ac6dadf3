"""The whole-project index: classes, functions and a call graph resolved across files, modules and the
Java/Kotlin boundary.

Resolution goes through imports, the same package, nested classes, `this`/`super`, supertypes, Kotlin
objects and companions, file facades (`UtilKt`), top-level and extension functions, property getters and
`by lazy`, and the receiver types the extractor guessed. Where it cannot be sure (a receiver of unknown
type, an interface call) it over-approximates and says so in the edge note.
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from pipl_lint.model.summary import Arg, ClassDecl, FileSummary, Function, Site

# Kotlin scope functions whose lambda has the call's receiver as `this`.
SCOPE_RECEIVERS = frozenset({"apply", "run", "with"})
COMMON_NAMES = frozenset({
    "init", "start", "stop", "get", "set", "run", "invoke", "apply", "let", "also", "with", "build", "create",
    "show", "dismiss", "equals", "hashCode", "toString", "onCreate", "onStart", "onResume", "onPause",
    "onStop", "onDestroy", "close", "execute", "submit", "post", "launch", "add", "remove", "put", "clear",
    "update", "load", "save", "open", "read", "write", "send", "call", "accept", "map", "filter",
    "forEach", "check", "setup", "onClick", "handle", "process", "register", "unregister", "enable",
    "disable", "reset", "release", "refresh", "bind", "unbind", "subscribe", "notify", "report", "track",
    "log", "d", "e", "i", "w", "v",
})
IMPLICIT_IMPORTS = ("java.lang", "kotlin", "kotlin.collections", "kotlin.io", "kotlin.text")
# Calls that start (or prepare to start) a component named by a class literal argument.
COMPONENT_STARTERS = frozenset({
    "startService", "startForegroundService", "bindService", "startActivity", "startActivityForResult",
    "startActivities", "enqueueWork", "Intent", "ComponentName", "setClass", "setComponent", "setClassName",
    "OneTimeWorkRequest", "PeriodicWorkRequest", "Builder", "from", "JobInfo",
})
# What a service locator calls on a service it has just built (Hub's `IHub.onCreate()`, ARouter's
# `IProvider.init(context)`).
LOCATOR_LIFECYCLE = ("onCreate", "init", "onInit")
# Calls whose class-literal argument names a component to start, not the type of what they return.
INTENT_BUILDERS = frozenset({"setClass", "setClassName", "setComponent", "putExtra", "startActivity",
                             "startService", "bindService", "startForegroundService", "navigate"})
# Calls that stop or cancel a component: an Intent built for them (`stopService(Intent(ctx, X::class.java))`)
# does not run X.
COMPONENT_STOPPERS = frozenset({
    "stopService", "unbindService", "stopSelf", "stopSelfResult", "cancel", "cancelWorkById",
    "cancelUniqueWork", "cancelAllWorkByTag",
})
# Calls that hand an Intent or a request to the system to run it.
COMPONENT_RUNNERS = frozenset({
    "startService", "startForegroundService", "bindService", "startActivity", "startActivityForResult",
    "startActivities", "startActivityIfNeeded", "startIntentSender", "enqueueWork", "enqueue", "enqueueUniqueWork",
    "enqueueUniquePeriodicWork", "schedule", "sendBroadcast", "sendOrderedBroadcast", "sendStickyBroadcast",
    "getService", "getForegroundService", "getActivity", "getActivities", "getBroadcast", "launch", "navigate",
    "setContentIntent", "setFullScreenIntent", "addAction", "startWork",
})
# An Intent handed to these is run later, when the user taps a launcher shortcut or a notification.
LATER_INTENTS = frozenset({"setIntent", "setIntents"})
PENDING_GETTERS = frozenset({"getActivity", "getActivities", "getService", "getForegroundService", "getBroadcast"})
FRAGMENTS = ("androidx.fragment.app.Fragment", "android.app.Fragment", "android.support.v4.app.Fragment")
# What runs when a created fragment is shown (added by a transaction, a pager adapter, a navigation host).
FRAGMENT_LIFECYCLE = ("<inject>", "onAttach", "onCreate", "onCreateView", "onViewCreated", "onActivityCreated",
                      "onStart", "onResume")
# A receiver of one of these types is a Context: an extension declared for Context applies to it.
CONTEXTS = frozenset({"Context", "ContextWrapper", "ContextThemeWrapper", "Application", "Activity", "Service",
                      "AppCompatActivity", "FragmentActivity", "ComponentActivity", "MultiDexApplication"})
# Registering an observer: the methods that then run as the app starts (for the launcher activity, the process).
CALLBACK_REGISTRARS: dict[str, tuple[str, ...]] = {
    "registerActivityLifecycleCallbacks": ("onActivityPreCreated", "onActivityCreated", "onActivityPostCreated",
                                           "onActivityStarted", "onActivityResumed"),
    # lifecycle.addObserver(obs), ProcessLifecycleOwner.get().lifecycle.addObserver(obs)
    "addObserver": ("onCreate", "onStart", "onResume", "onStateChanged"),
    # Run while the app is in use, the consent dialog included (a rotation, memory pressure).
    "registerComponentCallbacks": ("onConfigurationChanged", "onTrimMemory", "onLowMemory"),
    # OkHttp: runs for every request of the client built here (a client is built to be used).
    "addInterceptor": ("intercept",),
    "addNetworkInterceptor": ("intercept",),
}
# Installing a log sink: from then on every log call of the app reaches it (Timber `plant(tree, …)`, Kermit
# `addLogWriter(writer)`, a project logger's `install(writer)`): its `log` runs as the app starts logging.
LOG_SINK_REGISTRARS: dict[str, tuple[str, ...]] = {
    "plant": ("log",),
    "addLogWriter": ("log",),
    "install": ("log",),
}
# Kotlin Multiplatform source sets that never ship in the Android app.
NOT_ANDROID_SOURCE_SETS = ("jvmMain", "desktopMain", "iosMain", "jsMain", "wasmJsMain", "nativeMain", "appleMain",
                           "macosMain", "linuxMain", "mingwMain")
LIFECYCLE = ("<init>", "<inject>", "onCreate", "onStart", "onResume", "onPostCreate", "onPostResume", "onStartCommand",
             "onHandleIntent", "onHandleWork", "onBind", "doWork", "startWork", "onReceive", "onStartJob")


def argument_value(arg: Arg) -> str:
    """The argument's expression: `this` for Kotlin's named argument `observer = this`."""
    text = arg.text.strip()
    if arg.label and text.startswith(arg.label):
        rest = text[len(arg.label):].lstrip()
        if rest.startswith("="):
            return rest[1:].strip()
    return text


@dataclass(frozen=True, slots=True)
class FnId:
    file: int
    index: int


SAME = "="  # Edge.this_cls: the callee runs on the caller's own object (a call on `this`, `super` or unqualified)


@dataclass(frozen=True, slots=True)
class Edge:
    target: FnId
    file: int  # file of the call
    line: int
    how: str  # exact | virtual | by-name | extension | property | component | fragment | callback | sink | injected |
    #           injected-any | provided
    site: Site | None  # None for property reads by bare name
    # The class of the object the callee runs on, when the call tells it: a component start names it,
    # a constructor call creates it, SAME passes the caller's on; None: not known.
    this_cls: str | None = None


class ProgramIndex:
    def __init__(self, files: Iterable[FileSummary]) -> None:
        self.files: list[FileSummary] = list(files)
        self.classes: dict[str, tuple[ClassDecl, int]] = {}
        self.by_simple: dict[str, list[str]] = defaultdict(list)
        self.members: dict[tuple[str, str], list[FnId]] = defaultdict(list)
        self.toplevel: dict[tuple[str, str], list[FnId]] = defaultdict(list)
        self.extensions: dict[str, list[FnId]] = defaultdict(list)
        self.by_name: dict[str, list[FnId]] = defaultdict(list)
        self.facades: dict[str, int] = {}
        self.subclasses: dict[str, list[str]] = defaultdict(list)
        self._edges: dict[FnId, list[Edge]] = {}
        self._edges_in: dict[tuple[FnId, str], list[Edge]] = {}
        self._sites: list[list[list[Site]]] = []  # per file, per function index
        self._fids: list[list[FnId]] = []  # per file, per function index
        self.by_site_name: dict[str, list[tuple[FnId, Site]]] = {}
        self._supers: dict[str, tuple[str, ...]] = {}
        self._ancestors: dict[str, tuple[str, ...]] = {}
        self._types: dict[tuple[str, int, str | None], str] = {}
        self._imports: list[dict[str, str]] = []
        self._wildcards: list[tuple[str, ...]] = []
        self._providers: dict[str, list[FnId]] | None = None
        for fi, fs in enumerate(self.files):
            simple: dict[str, str] = {}
            wild: list[str] = []
            for imp in fs.imports:
                if imp.wildcard:
                    wild.append(imp.path)
                else:
                    simple[imp.simple] = imp.path
            self._imports.append(simple)
            self._wildcards.append(tuple(wild))
            self.facades.setdefault(fs.facade, fi)
            for c in fs.classes:
                self.classes.setdefault(c.fqn, (c, fi))
                self.by_simple[c.name].append(c.fqn)
            per_fn: list[list[Site]] = [[] for _ in fs.functions]
            fids = [FnId(fi, i) for i in range(len(fs.functions))]  # one per function, shared by its sites
            named = self.by_site_name
            count = len(per_fn)
            for site in fs.sites:
                f = site.function
                if 0 <= f < count:
                    per_fn[f].append(site)
                    entry = named.get(site.name)
                    if entry is None:
                        named[site.name] = [(fids[f], site)]
                    else:
                        entry.append((fids[f], site))
            self._sites.append(per_fn)
            self._fids.append(fids)
            for i, fn in enumerate(fs.functions):
                fid = fids[i]
                self.members[(fn.owner, fn.name)].append(fid)
                if fn.owner == fs.facade and fs.language == "kotlin":
                    self.toplevel[(fs.package, fn.name)].append(fid)
                if fn.extension:
                    self.extensions[fn.name].append(fid)
                if not fn.name.startswith(("<", "get:")):
                    self.by_name[fn.name].append(fid)
        self._member_names = frozenset(name for _owner, name in self.members)
        self._companions: dict[str, str] = {}
        for fqn, (decl, _fi) in self.classes.items():
            for s in self.supertypes(fqn):
                self.subclasses[s].append(fqn)
            if decl.kind == "companion" and decl.outer:
                self._companions.setdefault(decl.outer, fqn)

    # --- lookups -----------------------------------------------------------------------------------------
    def function(self, fid: FnId) -> Function:
        return self.files[fid.file].functions[fid.index]

    def file_of(self, fid: FnId) -> FileSummary:
        return self.files[fid.file]

    def all_functions(self) -> Iterator[FnId]:
        for fids in self._fids:
            yield from fids

    def class_of(self, fqn: str) -> ClassDecl | None:
        entry = self.classes.get(fqn)
        return entry[0] if entry else None

    def describe(self, fid: FnId) -> str:
        fn = self.function(fid)
        owner = fn.owner.rsplit(".", 1)[-1]
        if fn.name == "<init>":
            return f"{owner} (constructor and initialisers)"
        if fn.name == "<clinit>":
            return f"{owner} (static / companion initialisers)"
        if fn.name == "<inject>":
            return f"{owner} (injected fields)"
        if fn.name.startswith("get:"):
            return f"{owner}.{fn.name[4:]} (property initialiser)"
        return f"{owner}.{fn.name}"

    # --- types -----------------------------------------------------------------------------------------
    def resolve_type(self, text: str, file: int, context: str | None = None) -> str:
        """Resolve a type name as written in `file` to a FQN (a project class when one matches; memoised)."""
        if not text:
            return text
        key = (text, file, context)
        found = self._types.get(key)
        if found is None:
            found = self._types[key] = self._resolve_type(text, file, context)
        return found

    def _resolve_type(self, text: str, file: int, context: str | None) -> str:
        head, _, rest = text.partition(".")
        # Nested classes visible from the context class and its outer classes.
        ctx = context
        while ctx:
            cand = f"{ctx}.{text}"
            if cand in self.classes:
                return cand
            decl = self.class_of(ctx)
            ctx = decl.outer if decl else None
        if text in self.classes or text in self.facades:
            return text
        imports = self._imports[file] if 0 <= file < len(self._imports) else {}
        if head in imports:
            full = imports[head] + (f".{rest}" if rest else "")
            return full
        fs = self.files[file] if 0 <= file < len(self.files) else None
        if fs is not None:
            cand = f"{fs.package}.{text}" if fs.package else text
            if cand in self.classes or cand in self.facades:
                return cand
            for w in self._wildcards[file]:
                cand = f"{w}.{text}"
                if cand in self.classes:
                    return cand
        for fqn in self.by_simple.get(head, ()):
            # A unique project class of that name in a package the file imports with a wildcard.
            if not rest and len(self.by_simple[head]) == 1 and fs is not None and \
                    fqn.rsplit(".", 1)[0] in self._wildcards[file]:
                return fqn
        if fs is not None and self._wildcards[file]:
            return f"{self._wildcards[file][0]}.{text}" if not self._is_builtin(text) else text
        return text

    @staticmethod
    def _is_builtin(text: str) -> bool:
        return text in ("String", "Int", "Long", "Boolean", "Object", "Any", "Unit", "Void", "Integer")

    def supertypes(self, fqn: str) -> tuple[str, ...]:
        if fqn in self._supers:
            return self._supers[fqn]
        entry = self.classes.get(fqn)
        if entry is None:
            return ()
        decl, fi = entry
        out = tuple(self.resolve_type(s, fi, decl.outer or None) for s in decl.supertypes)
        self._supers[fqn] = out
        return out

    def ancestors(self, fqn: str) -> tuple[str, ...]:
        """Every supertype (project or external FQN as resolved), nearest first, each once (memoised)."""
        known = self._ancestors.get(fqn)
        if known is not None:
            return known
        seen = {fqn}
        out: list[str] = []
        todo = deque(self.supertypes(fqn))
        while todo:
            s = todo.popleft()
            if s in seen:
                continue
            seen.add(s)
            out.append(s)
            todo.extend(self.supertypes(s))
        self._ancestors[fqn] = found = tuple(out)
        return found

    def is_subtype(self, fqn: str, *bases: str) -> bool:
        """True when `fqn` extends one of `bases` (FQNs; an unresolved simple name also matches)."""
        simple = {b.rsplit(".", 1)[-1] for b in bases}
        return any(a in bases or (a.rsplit(".", 1)[-1] in simple and a not in self.classes)
                   for a in self.ancestors(fqn))

    def subtypes(self, fqn: str) -> Iterator[str]:
        seen = {fqn}
        todo = list(self.subclasses.get(fqn, ()))
        while todo:
            s = todo.pop()
            if s in seen:
                continue
            seen.add(s)
            yield s
            todo.extend(self.subclasses.get(s, ()))

    def find_member(self, cls: str, name: str, *, up: bool = True) -> list[FnId]:
        """Functions named `name` declared in `cls` or (with `up`) its nearest project ancestor."""
        if name not in self._member_names:
            return []
        found = list(self.members.get((cls, name), ()))
        if found or not up:
            return found
        for a in self.ancestors(cls):
            found = list(self.members.get((a, name), ()))
            if found:
                return found
        return []

    def companion(self, cls: str) -> str | None:
        return self._companions.get(cls)

    def initialisers(self, cls: str) -> list[FnId]:
        out = list(self.members.get((cls, "<init>"), ())) + list(self.members.get((cls, "<clinit>"), ()))
        comp = self.companion(cls)
        if comp:
            out += list(self.members.get((comp, "<clinit>"), ())) + list(self.members.get((comp, "<init>"), ()))
        return out

    # --- the call graph --------------------------------------------------------------------------------
    def edges(self, fid: FnId) -> list[Edge]:
        cached = self._edges.get(fid)
        if cached is not None:
            return cached
        fs = self.files[fid.file]
        fn = fs.functions[fid.index]
        out: list[Edge] = []
        for site in self._sites[fid.file][fid.index]:
            for target, how in self.resolve(fid, site):
                out.append(Edge(target, fid.file, site.line, how, site, self._runs_on(fid, site, target, how)))
        refs = fs.refs[fid.index] if fid.index < len(fs.refs) else ()
        for name, line in refs:
            targets = self.find_member(fn.owner, f"get:{name}")
            how = "property"
            if not targets and fn.owner in self.classes:  # `androidId` in a Context: an extension property
                found = self.extension_getters(name, fn.owner)
                targets, how = [t for t, _how in found], "extension"
            if not any(target != fid for target in targets):
                continue
            at = self._read_in(fid, name, line)
            for target in targets:
                if target != fid:
                    out.append(Edge(target, fid.file, line, how, at, SAME if how == "property" else None))
        self._edges[fid] = out
        return out

    def _read_in(self, fid: FnId, name: str, line: int) -> Site | None:
        """The site that reads property `name` on `line` (a call on it, else the innermost call it is an argument
        of: `add(R.id.container, mAdFragment)`): its guards and callbacks are the read's, so a getter (`by lazy`)
        reached in a branch or a listener runs there, not at the function's start. None when there is none."""
        best: Site | None = None
        for site in self._sites[fid.file][fid.index]:
            if site.line != line and not site.line <= line <= site.end_line:
                continue
            if site.receiver == name or (site.receiver or "").startswith(name + "."):
                return site
            if site.kind in ("call", "new") and any(name in a.refs for a in site.args) and \
                    (best is None or site.end - site.start < best.end - best.start):
                best = site
        return best

    def _runs_on(self, fid: FnId, site: Site, target: FnId, how: str) -> str | None:
        """Edge.this_cls for a resolved call (see Edge)."""
        callee = self.function(target)
        if how == "component":
            return self._started_class(fid, site, callee.owner)
        if how == "fragment":
            return self.resolve_type(site.name, fid.file, self.function(fid).owner)
        if how in ("callback", "sink", "answered", "injected", "injected-any", "located"):
            return callee.owner
        recv = site.receiver
        own = recv is None or recv in ("this", "super") or recv.startswith(("this@", "super@", "super<"))
        caller = self.function(fid).owner
        if own and site.kind != "new" and (callee.owner == caller or callee.owner in self.ancestors(caller)
                                           or caller in self.ancestors(callee.owner)):
            return SAME
        if callee.name == "<init>" and (site.kind == "new" or (recv is None and site.name[:1].isupper())):
            return callee.owner
        return None

    def _started_class(self, fid: FnId, site: Site, owner: str) -> str | None:
        """The component class named in a start call whose lifecycle method `owner` declares (itself or
        a subclass of it)."""
        return next((cls for cls in self.class_literals(fid, site) if cls == owner or owner in self.ancestors(cls)),
                    None)

    def edges_in(self, fid: FnId, this_cls: str | None) -> list[Edge]:
        """The edges of `fid` when the object it runs on is known to be a `this_cls`: calls on that object
        go to the override `this_cls` really has (not to every subclass's, as `edges` must assume)."""
        owner = self.function(fid).owner
        if this_cls is None or this_cls == owner or this_cls not in self.classes or \
                owner not in self.ancestors(this_cls):
            return self.edges(fid)
        key = (fid, this_cls)
        cached = self._edges_in.get(key)
        if cached is not None:
            return cached
        out: list[Edge] = []
        groups: dict[int, list[Edge]] = {}
        for e in self.edges(fid):
            if e.this_cls != SAME or e.site is None or e.how not in ("exact", "virtual"):
                out.append(e)
            else:
                groups.setdefault(id(e.site), []).append(e)
        for group in groups.values():
            site = group[0].site
            assert site is not None
            super_call = (site.receiver or "").startswith("super")
            targets = [] if super_call else self.find_member(this_cls, site.name)
            if targets:
                out += [Edge(t, group[0].file, group[0].line, "exact", site, SAME) for t in targets]
            else:  # `super.f()`, or a name the running class does not have: as resolved without it
                out += [e for e in group if e.how == "exact"] or group
        self._edges_in[key] = out
        return out

    def sites_of(self, fid: FnId) -> list[Site]:
        return self._sites[fid.file][fid.index]

    def receiver_class(self, fid: FnId, site: Site) -> tuple[str | None, bool]:
        """(FQN of the receiver's type/object, is-static) for a site, when it can be told."""
        fs = self.files[fid.file]
        fn = fs.functions[fid.index]
        recv = site.receiver
        if recv is None or recv in ("this",) or recv.startswith("this@"):
            return fn.owner, False
        if recv == "super" or recv.startswith("super@") or recv.startswith("super<"):
            return fn.owner, False
        if recv.endswith(("class)", "class.java)")):  # before the guess from a factory's name (`Locator.get(…)`)
            located = self._located_type(fid, site)
            if located is not None:
                return located, False
        if site.rtype:
            return self.resolve_type(site.rtype, fid.file, fn.owner), False
        if site.static:
            text = recv
            for suffix in (".INSTANCE", ".Companion"):
                if text.endswith(suffix):
                    text = text[: -len(suffix)]
            resolved = self.resolve_type(text, fid.file, fn.owner)
            if resolved not in self.classes and "." in text:
                # `Holder.FIELD.call()`: a static field of a project class, typed in its declaration.
                prefix, _, member = text.rpartition(".")
                owner = self.resolve_type(prefix, fid.file, fn.owner)
                decl = self.class_of(owner)
                if decl is not None:
                    ftype = dict(decl.fields).get(member)
                    if ftype:
                        return self.resolve_type(ftype, self.classes[owner][1], owner), False
            return resolved, True
        return None, False

    def _located_type(self, fid: FnId, site: Site) -> str | None:
        """A service-locator lookup as the receiver: `CoreManager.getImpl(ILocationApi.class).startLocation()`,
        `provider.get(MyViewModel::class.java).load()` — a method call (not a constructor, not an Intent
        builder) whose last argument is a class literal hands out an object of that class (a project type
        only: an interface then dispatches to its implementations)."""
        for other in self._sites[fid.file][fid.index]:
            if other.kind != "call" or other.start != site.start or other.end >= site.end or not other.args or \
                    not other.name[:1].islower() or other.name in INTENT_BUILDERS:
                continue
            owner = self.function(fid).owner
            for ref in other.args[-1].refs:
                cls = self._class_literal(ref, fid.file, owner)
                if cls is not None and cls in self.classes and other.args[-1].text.strip() == ref:
                    return cls
        return None

    def component_targets(self, fid: FnId, site: Site) -> list[tuple[FnId, str]]:
        """Lifecycle methods of a component started through an Intent/WorkRequest naming its class."""
        return [(t, "component") for cls in self.class_literals(fid, site) if cls in self.classes
                for method in LIFECYCLE for t in self.find_member(cls, method)]

    def class_literals(self, fid: FnId, site: Site) -> list[str]:
        """The classes the arguments of `site` name as literals (`X::class.java`, `X::class`, `X.class`), resolved;
        also through a `Class` field (`BaseSplash.sTargetClass`): the literals its class's setters are given."""
        owner = self.function(fid).owner
        out: list[str] = []
        for arg in site.args:
            for ref in arg.refs:
                literal = self._class_literal(ref, fid.file, owner)
                if literal is not None:
                    out.append(literal)
                elif not any(other.startswith(ref + ".") for other in arg.refs):
                    out += self._class_field_values(ref, fid.file, owner)
        return out

    def _class_literal(self, ref: str, file: int, owner: str) -> str | None:
        """`X::class.java`, `X::class` or `X.class`, resolved; None for any other reference."""
        if ref.endswith(("::class.java", "::class")):
            return self.resolve_type(ref.split("::", 1)[0], file, owner)
        if ref.endswith(".class"):
            return self.resolve_type(ref[: -len(".class")], file, owner)
        return None

    def _class_field_values(self, ref: str, file: int, context: str) -> list[str]:
        """`Base.sTargetClass` / `targetClass`, a field declared `Class<?>` (`KClass`): the class literals given to
        the setters of its class (`Base.setTargetClass(LoginActivity.class)`: functions of that class with a
        `Class` parameter whose name mentions the field's), resolved. The splash template names the screen it
        opens next in a static field the Application fills in."""
        head, _, name = ref.rpartition(".")
        cls = self.resolve_type(head, file, context) if head else context
        decl = self.class_of(cls)
        classes = [cls, *self.ancestors(cls)] if decl is not None else []
        for klass in [k for c in classes for k in (c, self._companions.get(c))]:
            d = self.class_of(klass) if klass else None
            ftype = dict(d.fields).get(name) if d is not None else None
            if ftype is not None:
                cls = klass
                break
        else:
            return []
        if not ftype.replace("?", "").strip().startswith(("Class", "KClass", "java.lang.Class")):
            return []
        stem = name.lstrip("_")
        stem = stem[1:] if len(stem) > 1 and stem[0] in "ms" and stem[1].isupper() else stem
        out: list[str] = []
        for (owner, fname), fids in self.members.items():
            if owner != cls or stem.lower() not in fname.lower():
                continue
            if not any(t.replace("?", "").strip().startswith(("Class", "KClass"))
                       for f in fids for t in self.function(f).param_types):
                continue
            for caller, call in self.by_site_name.get(fname, ()):
                if call.args:
                    caller_owner = self.function(caller).owner
                    out += [c for c in self._class_literals_only(caller, call, caller_owner) if c in self.classes]
        return list(dict.fromkeys(out))

    def _class_literals_only(self, fid: FnId, site: Site, owner: str) -> list[str]:
        """The class literals among the arguments of `site`, resolved (no `Class` fields followed)."""
        return [c for arg in site.args for ref in arg.refs
                if (c := self._class_literal(ref, fid.file, owner)) is not None]

    def is_fragment(self, cls: str) -> bool:
        """A Fragment subclass: AndroidX / support / platform, or through a library base whose name says so
        (`RxFragment`, `DaggerFragment`, `SupportFragment`, `BottomSheetDialogFragment` …)."""
        return self.is_subtype(cls, *FRAGMENTS) or any(
            a not in self.classes and a.rsplit(".", 1)[-1].endswith("Fragment") for a in self.ancestors(cls))

    def registered_callbacks(self, fid: FnId, site: Site) -> list[tuple[FnId, str]]:
        """`registerActivityLifecycleCallbacks(Tracker())`, `(tracker)` (a field), `(this)`;
        `lifecycle.addObserver(AppObserver())`: the observer's methods that run at start-up."""
        owner = self.function(fid).owner
        arg = site.args[0]
        text = argument_value(arg)
        if text == "this":
            cls: str | None = owner
        elif arg.calls and arg.calls[0][:1].isupper() and "." not in arg.calls[0]:
            cls = self.resolve_type(arg.calls[0], fid.file, owner)
        elif text.removeprefix("this.").isidentifier():
            decl = self.class_of(owner)
            ftype = dict(decl.fields).get(text.removeprefix("this.")) if decl is not None else None
            cls = self.resolve_type(ftype, fid.file, owner) if ftype else self._local_callback(fid, site)
        else:
            cls = None
        if cls is None or cls not in self.classes:
            return []
        return [(t, "callback") for m in CALLBACK_REGISTRARS[site.name] for t in self.find_member(cls, m)]

    def log_sinks(self, fid: FnId, site: Site) -> list[tuple[FnId, str]]:
        """`Timber.plant(Timber.DebugTree(), CrashlyticsTree(), fileTree)`, `Logger.install(CrashlyticsWriter())`:
        each argument that is a project class with the sink's method (`log`, declared in it or a project base)
        built here, or a field of that type: from this call on, the app's log lines reach it (`sink`)."""
        owner = self.function(fid).owner
        decl = self.class_of(owner)
        out: list[tuple[FnId, str]] = []
        for arg in site.args:
            text = argument_value(arg).removeprefix("this.")
            if arg.calls and arg.calls[0][:1].isupper() and text.startswith(arg.calls[0]):
                cls = self.resolve_type(arg.calls[0], fid.file, owner)
            elif text.isidentifier():
                ftype = dict(decl.fields).get(text) if decl is not None else None
                ftype = ftype or self.declared_type(fid, text)
                cls = self.resolve_type(ftype.rstrip("?"), fid.file, owner) if ftype else None
            else:
                cls = None
            if cls is None or cls not in self.classes:
                continue
            out += [(t, "sink") for m in LOG_SINK_REGISTRARS[site.name] for t in self.find_member(cls, m)]
        return out

    def _local_callback(self, fid: FnId, site: Site) -> str | None:
        """`val appUtil = AppLifecycle(this); registerActivityLifecycleCallbacks(appUtil)`: a local the function
        built before the call, when exactly one project class it constructs there has the callback's methods."""
        owner = self.function(fid).owner
        found: set[str] = set()
        for other in self._sites[fid.file][fid.index]:
            built = other.kind == "new" or (other.kind == "call" and other.receiver is None
                                            and other.name[:1].isupper())
            if other.line > site.line or other is site or not built:
                continue
            cls = self.resolve_type(other.name, fid.file, owner)
            if cls in self.classes and any(self.find_member(cls, m) for m in CALLBACK_REGISTRARS[site.name]):
                found.add(cls)
        return found.pop() if len(found) == 1 else None

    def _built_to_stop(self, fid: FnId, site: Site) -> bool:
        """True when the Intent (or component name) at `site` only serves to stop a component: it is written
        inside a stop call's arguments, or its function stops a component and hands nothing to the system
        to run (`val i = Intent(this, X::class.java); stopService(i)`)."""
        sites = self._sites[fid.file][fid.index]
        stops = [s for s in sites if s.name in COMPONENT_STOPPERS]
        if not stops:
            return False
        if any(s.start <= site.start and site.end <= s.end and s is not site for s in stops):
            return True
        return not any(s.name in COMPONENT_RUNNERS for s in sites)

    def _built_for_later(self, fid: FnId, site: Site) -> bool:
        """True when the Intent at `site` is written inside a launcher shortcut (`ShortcutInfo.Builder…
        .setIntent(Intent(this, X::class.java))`) or a `PendingIntent.getActivity(…)`: X runs when the user
        taps the shortcut or the notification, not here."""
        for s in self._sites[fid.file][fid.index]:
            if s is site or not (s.start <= site.start and site.end <= s.end):
                continue
            if s.name in LATER_INTENTS or (s.name in PENDING_GETTERS and (s.receiver or "").endswith("PendingIntent")):
                return True
        return False

    def resolve(self, fid: FnId, site: Site) -> list[tuple[FnId, str]]:
        out = self._resolve(fid, site)
        if site.name == "requestPermissions" and site.kind == "call" and site.args:
            out = out + self.permission_results(fid, site)
        if site.kind == "call" and site.args and site.name[:1].islower() and site.name not in INTENT_BUILDERS:
            out = out + self.located(fid, site)
        return out

    def located(self, fid: FnId, site: Site) -> list[tuple[FnId, str]]:
        """A service-locator lookup (`CoreManager.getImpl(ILocationApi.class)`, `provider.get(Vm::class.java)`: a
        method call whose last argument is a project class literal) builds what it hands out the first time it
        is asked: the class's initialisers; for an interface or abstract class, those of every concrete project
        implementation, with the lifecycle method the locator calls on a new service (`onCreate()`, ARouter's
        `init(context)`) - an over-approximation the trace says (`located`)."""
        arg = site.args[-1]
        if not arg.refs:
            return []
        owner = self.function(fid).owner
        cls = self._class_literal(arg.text.strip(), fid.file, owner) if arg.text.strip() in arg.refs else None
        decl = self.class_of(cls) if cls else None
        if cls is None or decl is None or decl.kind in ("annotation", "enum"):
            return []
        if decl.kind in ("class", "object") and "abstract" not in decl.modifiers:
            return [(t, "located") for t in self.initialisers(cls)]
        out: list[tuple[FnId, str]] = []
        for sub in sorted(self.subtypes(cls)):
            entry = self.classes.get(sub)
            if entry is None or entry[0].kind not in ("class", "object") or "abstract" in entry[0].modifiers:
                continue
            out += [(t, "located") for t in self.initialisers(sub)]
            out += [(t, "located") for name in LOCATOR_LIFECYCLE for t in self.members.get((sub, name), ())
                    if len(self.function(t).params) <= 1 and "private" not in self.function(t).modifiers]
        return out

    def permission_results(self, fid: FnId, site: Site) -> list[tuple[FnId, str]]:
        """`ActivityCompat.requestPermissions(activity, perms, code)`, `requestPermissions(perms, code)`: the
        framework calls the activity's (fragment's) `onRequestPermissionsResult` once the user answers the system
        dialog - which answers the permission, not the privacy policy."""
        fn = self.function(fid)
        if len(site.args) >= 3:
            text = site.args[0].text.strip()
        else:
            text = site.receiver or "this"
        if text == "this" or text.startswith("this@"):
            cls: str | None = fn.owner
        elif text.endswith(".this"):
            cls = self.resolve_type(text[:-len(".this")], fid.file, fn.owner)
        elif text.isidentifier():
            declared = self.declared_type(fid, text)
            cls = self.resolve_type(declared, fid.file, fn.owner) if declared else None
        else:
            cls = None
        if cls is None or cls not in self.classes:
            return []
        return [(t, "answered") for t in self.find_member(cls, "onRequestPermissionsResult")]

    def _resolve(self, fid: FnId, site: Site) -> list[tuple[FnId, str]]:
        fs = self.files[fid.file]
        fn = fs.functions[fid.index]
        name = site.name
        if site.kind in ("inject", "provides"):
            return self.injected(fid, site) if site.kind == "inject" else []
        if name in CALLBACK_REGISTRARS and site.args:
            registered = self.registered_callbacks(fid, site)
            if registered:
                return registered
        if name in LOG_SINK_REGISTRARS and site.args and site.kind == "call":
            sinks = self.log_sinks(fid, site)
            if sinks:
                return sinks
        if name in COMPONENT_STARTERS and site.args and not self._built_to_stop(fid, site) \
                and not self._built_for_later(fid, site):
            started = self.component_targets(fid, site)
            if started:
                return started
        if site.kind == "new" or (site.kind == "call" and site.receiver is None and name[:1].isupper()):
            cls = self.resolve_type(name, fid.file, fn.owner)
            if cls in self.classes:
                out = [(t, "exact") for t in self.initialisers(cls)]
                if self.is_fragment(cls):  # created to be shown: its lifecycle runs when it is
                    for method in FRAGMENT_LIFECYCLE:
                        out += [(t, "fragment") for t in self.find_member(cls, method)]
                return out
            if site.kind == "new":
                return []
        if site.kind == "field":
            cls, _static = self.receiver_class(fid, site)
            if cls and cls in self.classes:
                out = [(t, "property") for t in self.find_member(cls, f"get:{name}")]
                comp = self.companion(cls)
                if comp:
                    out += [(t, "property") for t in self.find_member(comp, f"get:{name}")]
                return out or self.extension_getters(name, cls)
            return self.extension_getters(name, cls)
        recv = site.receiver
        if recv is None or recv == "this" or recv.startswith("this@"):
            found = self._resolve_unqualified(fid, fs, fn, name)
            scope = site.deferred[-1] if recv is None and site.deferred else None
            if not found and scope is not None and scope.kind == "lambda" and scope.call in SCOPE_RECEIVERS \
                    and scope.receiver:
                # `lazyManager.get().apply { scheduleRefresh() }`: a member of the scope's receiver, whose type
                # the model does not know - a unique project method (or one hierarchy's) of that name
                return self._by_name(name, hierarchy=True)
            return found
        if recv == "super" or recv.startswith("super"):
            out = []
            for a in self.ancestors(fn.owner):
                found = self.members.get((a, name))
                if found:
                    out = [(t, "exact") for t in found]
                    break
            return out
        cls, static = self.receiver_class(fid, site)
        if cls and (cls in self.classes or cls in self.facades):
            return self._resolve_in_class(cls, name, static)
        if cls:
            # A known external type: only extension functions declared for it can be ours.
            simple = cls.rsplit(".", 1)[-1]
            return [(t, "extension") for t in self.extensions.get(name, ())
                    if (self.function(t).extension or "").rsplit(".", 1)[-1] == simple]
        # Unknown receiver: extension functions of that name, or a unique project method.
        ext = [(t, "extension") for t in self.extensions.get(name, ())]
        if ext:
            return ext
        return self._by_name(name)

    def _by_name(self, name: str, hierarchy: bool = False) -> list[tuple[FnId, str]]:
        """The project methods named `name` (not a common name) when one class declares them, or (`hierarchy`)
        one interface or base class and its subtypes (`WorkManager.scheduleRefresh` and
        `WorkManagerImpl.scheduleRefresh`)."""
        if name in COMMON_NAMES:
            return []
        cands = self.by_name.get(name, [])
        owners = {self.function(t).owner for t in cands}
        if len(owners) == 1 or (hierarchy and any(all(o == top or top in self.ancestors(o) for o in owners)
                                                  for top in owners)):
            return [(t, "by-name") for t in cands]
        return []

    # --- dependency injection ----------------------------------------------------------------------------
    def providers(self) -> dict[str, list[FnId]]:
        """Type FQN -> the `@Provides`/`@Binds` functions that provide it (their `provides` sites)."""
        if self._providers is None:
            table: dict[str, list[FnId]] = defaultdict(list)
            for fi, per_fn in enumerate(self._sites):
                for i, sites in enumerate(per_fn):
                    for site in sites:
                        if site.kind == "provides":
                            owner = self.files[fi].functions[i].owner
                            table[self.resolve_type(site.name, fi, owner)].append(FnId(fi, i))
            self._providers = dict(table)
        return self._providers

    def injected(self, fid: FnId, site: Site) -> list[tuple[FnId, str]]:
        """What the container runs to hand out the type an `inject` site names: its providers (`provided`);
        else a concrete project class's initialisers (`injected`); else, for an interface or abstract class
        bound where the model cannot see (generated modules, `@Binds` it could not read), the initialisers of
        every concrete project implementation (`injected-any`: an over-approximation the trace says)."""
        if self._is_builtin(site.name):  # `@Named("deviceId") String`: qualifiers decide, the model cannot
            return []
        cls = self.resolve_type(site.name, fid.file, self.function(fid).owner)
        provided = [(t, "provided") for t in self.providers().get(cls, ()) if t != fid]
        if provided:
            return provided
        decl = self.class_of(cls)
        if decl is None:
            return []
        if decl.kind in ("class", "object") and "abstract" not in decl.modifiers:
            return [(t, "injected") for t in self.initialisers(cls)]
        out: list[tuple[FnId, str]] = []
        for sub in sorted(self.subtypes(cls)):
            entry = self.classes.get(sub)
            if entry is None or entry[0].kind not in ("class", "object") or "abstract" in entry[0].modifiers:
                continue
            if any(f"/src/{sset}/" in f"/{self.files[entry[1]].path}" for sset in NOT_ANDROID_SOURCE_SETS):
                continue  # a Kotlin Multiplatform implementation for the desktop, iOS or the web
            out += [(t, "injected-any") for t in self.initialisers(sub)]
        return out

    def _resolve_in_class(self, cls: str, name: str, static: bool) -> list[tuple[FnId, str]]:
        if cls in self.facades and cls not in self.classes:
            fs = self.files[self.facades[cls]]
            return [(t, "exact") for t in self.toplevel.get((fs.package, name), ())]
        found = self.find_member(cls, name)
        if static:
            comp = self.companion(cls)
            if comp:
                found += self.find_member(comp, name)
        out = [(t, "exact") for t in found]
        decl = self.class_of(cls)
        if decl is not None and (decl.kind == "interface" or "abstract" in decl.modifiers or "open" in
                                 decl.modifiers or not found):
            for sub in self.subtypes(cls):
                out += [(t, "virtual") for t in self.members.get((sub, name), ())]
        if static or (decl is not None and decl.kind in ("object", "companion")):
            out += [(t, "exact") for t in self.members.get((cls, "<clinit>"), ())]
        return out

    def _resolve_unqualified(self, fid: FnId, fs: FileSummary, fn: Function,
                             name: str) -> list[tuple[FnId, str]]:
        owner: str | None = fn.owner
        while owner and owner in self.classes:
            found = self.find_member(owner, name)
            if found:
                out = [(t, "exact") for t in found]
                for sub in self.subtypes(owner):
                    out += [(t, "virtual") for t in self.members.get((sub, name), ())]
                return out
            comp = self.companion(owner)
            if comp:
                found = self.find_member(comp, name)
                if found:
                    return [(t, "exact") for t in found]
            decl = self.class_of(owner)
            owner = decl.outer if decl else None
        top = self.toplevel.get((fs.package, name))
        if top:
            return [(t, "exact") for t in top]
        imported = self._imports[fid.file].get(name)
        if imported:
            pkg, _, member = imported.rpartition(".")
            top = self.toplevel.get((pkg, member))
            if top:
                return [(t, "exact") for t in top]
            cls, _, member = imported.rpartition(".")
            if cls in self.classes:  # Java static import
                return [(t, "exact") for t in self.find_member(cls, member)]
        for w in self._wildcards[fid.file]:
            top = self.toplevel.get((w, name))
            if top:
                return [(t, "exact") for t in top]
        ext = self.extensions.get(name)
        if ext:
            return [(t, "extension") for t in ext]
        return self.invoked(fid, fn, name)

    def invoked(self, fid: FnId, fn: Function, name: str) -> list[tuple[FnId, str]]:
        """Kotlin `useCase(…)` where `useCase` is a property or parameter whose type has `operator fun invoke`."""
        ptype = self.declared_type(fid, name)
        if not ptype:
            return []
        cls = self.resolve_type(ptype, fid.file, fn.owner)
        return [(t, "exact") for t in self.find_member(cls, "invoke")] if cls in self.classes else []

    def declared_type(self, fid: FnId, name: str, outer: bool = True) -> str | None:
        """The type written for a parameter of `fid` or a field of its class (with `outer`, also of the classes
        around it) called `name`: "" for a parameter whose type is no class name (a Kotlin function type),
        None when no such declaration is there."""
        fn = self.function(fid)
        for param, ptype in zip(fn.params, fn.param_types, strict=False):
            if param == name:
                return ptype
        owner: str | None = fn.owner
        while owner and owner in self.classes:
            decl = self.class_of(owner)
            assert decl is not None
            found = dict(decl.fields).get(name)
            if found is not None or not outer:
                return found
            owner = decl.outer
        return None

    def extension_getters(self, name: str, receiver: str | None) -> list[tuple[FnId, str]]:
        """Extension properties `val X.name get() = …` a read of `name` on a `receiver` may run: those declared
        for its type or a supertype (Android's Context family counts as one), or all when its type is unknown."""
        found = self.extensions.get(f"get:{name}", ())
        if not found:
            return []
        if receiver is None:
            return [(t, "extension") for t in found]
        names = {receiver.rsplit(".", 1)[-1], *(a.rsplit(".", 1)[-1] for a in self.ancestors(receiver))}
        if names & CONTEXTS:
            names |= CONTEXTS
        return [(t, "extension") for t in found if (self.function(t).extension or "").rsplit(".", 1)[-1] in names]

