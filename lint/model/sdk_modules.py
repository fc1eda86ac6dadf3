"""SDK modules: library modules a project publishes for host apps, their entry points and consent switch.

A module is an SDK when it applies an Android library plugin (or `java-library` / `kotlin("jvm")` and its
code imports Android APIs) and is published — `maven-publish`, `com.vanniktech.maven.publish`, a
`publishing { }` block, a `POM_ARTIFACT_ID` in its `gradle.properties` — or when `sdk-modules` names it. An
application module never is; an unpublished library module of an app is not, unless named.

What an SDK runs by itself (`auto_entries`): the ContentProviders and androidx.startup initializers of its
own manifests (created before the host's `Application.onCreate`), its receivers for system broadcasts, and
the static/companion initialisers of its classes (they run on the first touch of the class, before any
switch on it can be set). What the host calls (`api_entries`): the public functions of public classes
(Kotlin `internal`/`private`, Java members without `public`, overrides of framework callbacks and component
classes are not API), or the functions `public-api` names.

The consent switch (`switches`) is a public function the host calls with the user's decision:
`setPrivacyAgreed(boolean)`, `setAgreePrivacy`, `updatePrivacyAgree(ctx, boolean)`, `setAuth(ctx, boolean)` …:
named so, with a boolean (or int) among at most three parameters. Code
counts as after consent where a check of the state dominates it: the app-side consent model
(`model/consent.py`) with the switch's own names added as predicates — the fields of the switch's class
that sound like it, and the functions that read them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, TypeVar

from pipl_lint.i18n import Msg
from pipl_lint.model.consent import ConsentModel
from pipl_lint.model.entrypoints import STARTUP_PROVIDER, SYSTEM_BROADCASTS
from pipl_lint.model.index import FnId, ProgramIndex
from pipl_lint.model.manifest import Manifest
from pipl_lint.model.reach import Entry, PreConsent
from pipl_lint.model.summary import Guard
from pipl_lint.project.discover import Module, Project
from pipl_lint.project.publication import ANDROID_LIBRARY, JVM_LIBRARY, Publication, named, publication

# The host's consent switch: a setter taking the user's decision (a boolean, an int code or a consent enum).
SWITCH_NAME = re.compile(
    r"^(set|update|change|notify|grant|mark|enable)_?(is)?_?(user)?_?"
    r"(privacy|agree|agreed|consent|auth|authorized|authorize|grant|granted|accept|accepted|gdpr|pipl|compliance|"
    r"data_?collect|collect(ion)?_?enabled|tracking_?(enabled|consent|allowed)|opt_?(in|out)|"
    r"(imei|android_?id|oaid|gaid|advertising_?id|mac(_?address)?|device_?id|location|imsi|iccid|serial|"
    r"app_?list|installed_?apps)_?(enabled|collect\w*|track\w*|read\w*))"
    r"\w*$|^opt_?(in|out)\w*$", re.IGNORECASE)
SETTER_PREFIX = re.compile(r"^(set|update|change|notify|grant|mark|enable)_?", re.IGNORECASE)
# An action without argument that is the decision itself: `optInTracking()` / `optOutTracking()`,
# `enableDataCollect()` (after a config option that starts the SDK collecting nothing), `grantConsent()`.
SWITCH_ACTION = re.compile(r"^(opt_?(in|out)|(enable|disable)_?data_?collect|(grant|revoke|give|withdraw)_?consent|"
                           r"(accept|agree)_?privacy)\w*$", re.IGNORECASE)
# What an `enableX()` / `disableX()` pair must be about to count as a switch.
PAIR_SUBJECT = re.compile(r"collect|track|read|analytics|sdk|consent|privacy", re.IGNORECASE)
# A parameter that carries the decision at init: `getInstance(ctx, token, optOutTrackingDefault)`.
SWITCH_PARAM = re.compile(r"^(opt_?(in|out)\w*|\w*(consent|privacy_?agreed?|data_?collection_?enabled)\w*)$",
                          re.IGNORECASE)
SWITCH_FIELD = re.compile(r"agree|consent|privacy|auth|grant|accept|gdpr|pipl|data_?collect|collection_?enabled|"
                          r"tracking_?enabled|opt_?(ed)?_?(in|out)", re.IGNORECASE)
# A state that holds when the user refused: the guarded code runs when it is false.
REFUSAL_STATE = re.compile(r"opt(ed)?_?out|disabled?(?![a-z])|do_?not|dont|is_?sdk_?disable", re.IGNORECASE)
NOT_STATE = re.compile(r"host|server|path|endpoint|domain", re.IGNORECASE)  # where it sends, not whether
NOT_SWITCH = re.compile(r"url|text|listener|callback|dialog|view|token|key|secret|header", re.IGNORECASE)
# Public functions that turn personalisation off, and pre-inits (initialise without collecting).
OPT_OUT = re.compile(r"^(set|enable|disable|update)?_?(is)?_?(personali[sz]|limitAd|adPersonali[sz]|"
                     r"personalRecommend|programmaticRecommend|recommend|adTracking|targeted|optOut|doNotTrack|"
                     r"ad_?personal)\w*$|^optOut\w*|^opt_?out", re.IGNORECASE)
# Functions a host calls to start the SDK: their classes are its entry classes.
ENTRY_NAME = re.compile(r"^(init|initialize|initWith\w*|initSdk|start|startWith\w*|startSdk|getInstance|sharedInstance|"
                        r"with)$")
PRE_INIT = re.compile(r"^pre_?init\w*$", re.IGNORECASE)
# Component and callback base classes: their overrides are called by the framework, not by the host.
COMPONENT_BASES = ("android.content.ContentProvider", "android.content.BroadcastReceiver", "android.app.Service",
                   "android.app.Activity", "androidx.work.Worker", "androidx.work.ListenableWorker",
                   "androidx.work.CoroutineWorker", "androidx.startup.Initializer", "android.app.Application",
                   "android.app.job.JobService", "java.util.TimerTask")

_T = TypeVar("_T")


class SdkContext(Protocol):
    """What this module reads from the rule context (`pipl_lint.ruleapi.Context`)."""

    def memo(self, key: str, build: Callable[[], _T]) -> _T: ...

    project: Project
    index: ProgramIndex
    module_manifests: list[tuple[Module, Manifest]]
    rel: Callable[[Path], str]

    @property
    def config(self) -> Any: ...
    @property
    def consent(self) -> ConsentModel: ...


def memo(ctx: SdkContext, key: str, build: Callable[[], _T]) -> _T:
    return ctx.memo("sdk-provider:" + key, build)


@dataclass(frozen=True, slots=True)
class SdkModule:
    module: Module
    publication: Publication
    files: frozenset[int]  # index file numbers of the module's shipped sources
    manifests: tuple[Manifest, ...]  # its shipped (non-debug) manifests

    @property
    def name(self) -> str:
        p = self.publication
        return p.name or p.artifact or self.module.name.rsplit(":", 1)[-1] or self.module.dir.name

    def owns(self, fid: FnId) -> bool:
        return fid.file in self.files


@dataclass(frozen=True, slots=True)
class Switch:
    """A consent switch: the public setter and the state it keeps."""

    sdk: SdkModule = field(repr=False)
    fid: FnId
    name: str  # `Tracker.setPrivacyAgreed`
    state: tuple[str, ...]  # field / getter names that hold it


# --- which modules ----------------------------------------------------------------------------------------
def _imports_android(index: ProgramIndex, files: Iterable[int]) -> bool:
    return any(i.path.startswith(("android.", "androidx.")) for f in files for i in index.files[f].imports)


def sdk_modules(ctx: SdkContext) -> list[SdkModule]:
    """The project's SDK modules (memoised per context)."""
    return memo(ctx, "sdk_modules", lambda: _find(ctx))


def _find(ctx: SdkContext) -> list[SdkModule]:
    by_path = {fs.path: i for i, fs in enumerate(ctx.index.files)}
    out: list[SdkModule] = []
    for mod in ctx.project.modules:
        if mod.build is None or mod.is_application:
            continue
        files = frozenset(i for p in mod.sources() if (i := by_path.get(ctx.rel(p))) is not None)
        plugins = set(mod.build.plugins)
        is_named = named(ctx.config, mod)
        library = mod.build.is_library or bool(plugins & ANDROID_LIBRARY) or \
            (bool(plugins & JVM_LIBRARY) and _imports_android(ctx.index, files))
        if not (library or is_named):
            continue
        found = publication(mod, ctx.project.root, is_named)
        if found is None:
            continue
        manifests = tuple(m for owner, m in ctx.module_manifests
                          if owner is mod and "/src/debug/" not in f"/{m.path}" and "/src/test" not in f"/{m.path}")
        out.append(SdkModule(mod, found, files, manifests))
    return out


def sdk_of(ctx: SdkContext, fid: FnId) -> SdkModule | None:
    return next((s for s in sdk_modules(ctx) if s.owns(fid)), None)


# --- entry points -----------------------------------------------------------------------------------------
AUTO_WHAT: dict[str, tuple[str, str]] = {
    "provider": ("the SDK's ContentProvider `{label}` (created before the host's Application.onCreate)",
                 "SDK 的 ContentProvider `{label}`（早于宿主 Application.onCreate 创建）"),
    "startup": ("the SDK's androidx.startup initializer `{label}` (runs before the host's Application.onCreate)",
                "SDK 的 androidx.startup 初始化器 `{label}`（早于宿主 Application.onCreate 运行）"),
    "receiver": ("the SDK's receiver for {action} `{label}` (runs without the host app being opened)",
                 "SDK 的 {action} 广播接收器 `{label}`（无需打开宿主应用即运行）"),
    "static": ("the static initialiser `{label}` (runs on the first use of the class, before any switch on it "
               "can be set)", "静态初始化块 `{label}`（首次使用该类时即运行，早于任何开关的设置）"),
    "api": ("the public API `{label}`", "对外接口 `{label}`"),
}


def _entry(ctx: SdkContext, fid: FnId, kind: str, path: str, line: int, this_cls: str | None,
           **params: str) -> Entry:
    fn = ctx.index.function(fid)
    label = ctx.index.describe(fid) if fn.name.startswith("<") else f"{fn.owner.rsplit('.', 1)[-1]}.{fn.name}"
    en, zh = AUTO_WHAT[kind]
    return Entry(fid, kind, Msg(en.format(label=label, **params), zh.format(label=label, **params)), path, line,
                 this_cls)


def _members(index: ProgramIndex, cls: str, names: Iterable[str]) -> list[FnId]:
    out: list[FnId] = []
    for name in names:
        out += index.find_member(cls, name)
    return out


def auto_entries(ctx: SdkContext, sdk: SdkModule) -> list[Entry]:
    """What the SDK runs by itself in every host: providers, startup initializers, system-broadcast receivers
    of its manifests, and its static initialisers."""
    index = ctx.index
    out: list[Entry] = []
    for m in sdk.manifests:
        for c in m.components:
            if c.removed or not c.enabled:
                continue
            line = c.element.line
            if c.kind == "provider" and c.cls == STARTUP_PROVIDER:
                for md in c.meta_data:
                    if md.value == "androidx.startup" and md.tools_node != "remove" and md.name in index.classes:
                        out += [_entry(ctx, f, "startup", m.path, md.element.line, md.name)
                                for f in _members(index, md.name, ("<init>", "create"))]
            elif c.kind == "provider" and c.cls in index.classes:
                out += [_entry(ctx, f, "provider", m.path, line, c.cls)
                        for f in _members(index, c.cls, ("<init>", "onCreate"))]
            elif c.kind == "receiver" and c.cls in index.classes and c.actions & SYSTEM_BROADCASTS:
                action = sorted(c.actions & SYSTEM_BROADCASTS)[0].rsplit(".", 1)[-1]
                out += [_entry(ctx, f, "receiver", m.path, line, c.cls, action=action)
                        for f in _members(index, c.cls, ("<init>", "onReceive"))]
    for fid in index.all_functions():
        if sdk.owns(fid) and index.function(fid).name == "<clinit>" and \
                any(s.kind in ("call", "field", "new") for s in index.sites_of(fid)):
            fs = index.files[fid.file]
            out.append(_entry(ctx, fid, "static", fs.path, index.function(fid).line, None))
    return out


def _is_public_class(ctx: SdkContext, fqn: str, language: str) -> bool:
    index = ctx.index
    while fqn in index.classes:
        decl, _fi = index.classes[fqn]
        mods = set(decl.modifiers)
        if mods & {"private", "internal", "protected"}:
            return False
        if language == "java" and "public" not in mods and decl.kind not in ("companion",):
            outer = index.classes.get(decl.outer or "")
            if outer is None or outer[0].kind != "interface":
                return False
        if decl.outer is None:
            return True
        fqn = decl.outer
    return fqn.endswith("Kt") or language == "kotlin"  # a Kotlin file facade: top-level functions


def is_public_api(ctx: SdkContext, fid: FnId) -> bool:
    """A function the host can call: public, declared in a public class, not a framework callback."""
    index = ctx.index
    fn = index.function(fid)
    fs = index.files[fid.file]
    if fn.name.startswith(("<", "get:")) or fn.name == "get":
        return False
    mods = set(fn.modifiers)
    if mods & {"private", "internal", "protected", "override"}:
        return False
    if fs.language == "java" and "public" not in mods:
        owner = index.classes.get(fn.owner)
        if owner is None or owner[0].kind != "interface":
            return False
    if fn.owner in index.classes and index.is_subtype(fn.owner, *COMPONENT_BASES):
        return False
    return _is_public_class(ctx, fn.owner, fs.language)


def _configured(ctx: SdkContext, fid: FnId) -> bool:
    fn = ctx.index.function(fid)
    owner = fn.owner.rsplit(".", 1)[-1]
    for name in getattr(ctx.config, "public_api", ()):
        head, _, member = name.strip().rpartition(".")
        if member == fn.name and (not head or head in (owner, fn.owner) or fn.owner.endswith("." + head)):
            return True
    return False


def entry_classes(ctx: SdkContext, sdk: SdkModule) -> frozenset[str]:
    """The SDK's documented entry classes: the public classes of the module's top-level package (the shortest
    package among its sources: `com.example.tracker`, not `com.example.tracker.internal.util`), and the public
    classes with an entry function (`init`, `initialize`, `start…`, `getInstance`, `sharedInstance`, `with`) -
    with their nested and companion classes. Memoised."""
    def build() -> frozenset[str]:
        index = ctx.index
        packages = [index.files[f].package for f in sdk.files]
        top = min(packages, key=lambda p: (p.count("."), p)) if packages else ""
        out: set[str] = set()
        for f in sdk.files:
            fs = index.files[f]
            for decl in fs.classes:
                if fs.package == top and decl.outer is None and _is_public_class(ctx, decl.fqn, fs.language):
                    out.add(decl.fqn)
        for fid in index.all_functions():
            if sdk.owns(fid) and ENTRY_NAME.match(index.function(fid).name) and is_public_api(ctx, fid):
                out.add(index.function(fid).owner)
        # nested classes (companions, builders) of an entry class are part of it
        for fqn, (decl, _fi) in index.classes.items():
            outer = decl.outer
            while outer is not None and outer not in out:
                outer = index.classes[outer][0].outer if outer in index.classes else None
            if outer is not None:
                out.add(fqn)
        return frozenset(out)
    return memo(ctx, f"entry_classes:{sdk.module.name}", build)


def called_inside(ctx: SdkContext) -> frozenset[FnId]:
    """Functions that the code of the project's SDK modules itself calls (resolved calls and property reads, not
    calls by name only): helpers public for use across packages, not for the host. Memoised."""
    def build() -> frozenset[FnId]:
        files = frozenset().union(*(s.files for s in sdk_modules(ctx)))
        out: set[FnId] = set()
        for fid in ctx.index.all_functions():
            if fid.file in files:
                out |= {e.target for e in ctx.index.edges(fid)
                        if e.target != fid and e.how in ("exact", "virtual", "extension", "property")}
        return frozenset(out)
    return memo(ctx, "called_inside", build)


def api_entries(ctx: SdkContext, sdk: SdkModule) -> list[Entry]:
    """The functions a host app calls: those `public-api` names, else the public functions of the SDK's entry
    classes (`entry_classes`) that the SDK's own code does not call (`Adjust.initSdk`, not the
    `ActivityHandler.getInstance` it delegates to: what the SDK calls itself is reached from the host's call)."""
    configured = bool(getattr(ctx.config, "public_api", ()))
    entries = entry_classes(ctx, sdk) if not configured else frozenset()
    inside = called_inside(ctx) if not configured else frozenset()
    out: list[Entry] = []
    for fid in ctx.index.all_functions():
        if not sdk.owns(fid):
            continue
        if configured and not _configured(ctx, fid):
            continue
        if not configured and (ctx.index.function(fid).owner not in entries or fid in inside
                               or not is_public_api(ctx, fid)):
            continue
        fs = ctx.index.files[fid.file]
        out.append(_entry(ctx, fid, "api", fs.path, ctx.index.function(fid).line, None))
    return out


# --- the consent switch -----------------------------------------------------------------------------------
def switches(ctx: SdkContext, sdk: SdkModule) -> list[Switch]:
    """The SDK's public consent setters, with the state they keep (memoised)."""
    return memo(ctx, f"switches:{sdk.module.name}", lambda: _switches(ctx, sdk))


def _switch_kind(fn: Any) -> str | None:
    """How a function takes the host's decision: "setter" (`setPrivacyAgreed(true)`, `setTrackingConsent(GRANTED)`,
    `optOut(true)`), "action" (`optInTracking()`), "param" (`getInstance(ctx, token, optOutTrackingDefault)`)."""
    types = fn.param_types or ("",) * len(fn.params)
    if not fn.params:
        return "action" if SWITCH_ACTION.match(fn.name) and not NOT_SWITCH.search(fn.name) else None
    # the decision is a boolean, an int code or a consent enum: `setAuth(ctx, true)`, `setTrackingConsent(GRANTED)`
    if len(fn.params) <= 3 and SWITCH_NAME.match(fn.name) and not NOT_SWITCH.search(fn.name) and \
            (types == ("",) or any(t in ("boolean", "Boolean", "int", "Int") or "Consent" in t for t in types)):
        return "setter"
    if any(t in ("boolean", "Boolean") and SWITCH_PARAM.match(p) for p, t in zip(fn.params, types, strict=False)):
        return "param"
    return None


def _pairs(index: ProgramIndex, fids: Iterable[FnId]) -> set[FnId]:
    """Public functions without parameters that come in an on/off pair on one class: `readImei()` /
    `doNotReadImei()`, `enableDataCollection()` / `disableDataCollection()` (the pair, not its name, says
    that the host turns something on and off; `enable…`/`disable…` only for collecting, tracking or reading)."""
    by_owner: dict[str, dict[str, FnId]] = {}
    for fid in fids:
        fn = index.function(fid)
        if not fn.params:
            by_owner.setdefault(fn.owner, {})[fn.name] = fid
    out: set[FnId] = set()
    for names in by_owner.values():
        for name, fid in names.items():
            cap = name[:1].upper() + name[1:]
            off = names.get(f"doNot{cap}") or names.get(f"dont{cap}")
            rest = name[len("enable"):] if name.startswith("enable") else ""
            if off is None and rest and PAIR_SUBJECT.search(rest):
                off = names.get(f"disable{rest}")
            if off is not None:
                out |= {fid, off}
    return out


def _switches(ctx: SdkContext, sdk: SdkModule) -> list[Switch]:
    index = ctx.index
    out: list[Switch] = []
    public = [f for f in index.all_functions() if sdk.owns(f) and is_public_api(ctx, f)]
    pairs = _pairs(index, public)
    for fid in public:
        fn = index.function(fid)
        kind = _switch_kind(fn) or ("pair" if fid in pairs else None)
        if kind is None:
            continue
        owner = fn.owner
        decl = index.classes.get(owner)
        own_fields = list(dict.fromkeys(name for name, _t in (decl[0].fields if decl else ())))
        fields = [name for name in own_fields if SWITCH_FIELD.search(name)]
        if kind == "pair":  # the on/off pair keeps its state in a boolean of its class: `isImeiToBeRead`
            fields += [name for name, t in (decl[0].fields if decl else ()) if t in ("boolean", "Boolean")]
        # The names this class (and its file) reads in functions that sound like the state: `isAgreed()`.
        getters = [index.function(f).name for f in index.all_functions()
                   if index.function(f).owner == owner and f != fid and SWITCH_FIELD.search(index.function(f).name)
                   and _switch_kind(index.function(f)) is None]
        written = [name for name, _line in (index.files[fid.file].refs[fid.index]
                                            if fid.index < len(index.files[fid.file].refs) else ())]
        # the state a setter names: `setImeiEnabled` keeps `mImeiEnabled`, read through `isImeiEnabled()`
        stem = SETTER_PREFIX.sub("", fn.name).lower() if kind == "setter" else ""
        if len(stem) > 4:
            fields += [n for n in own_fields if n.lower().endswith(stem)]
            getters += [index.function(f).name for f in index.all_functions() if index.function(f).owner == owner
                        and f != fid and index.function(f).name.lower().endswith(stem) and not index.function(f).params]
        written = [w.rsplit(".", 1)[-1] for w in written]  # `AdjustImei.isImeiToBeRead = true`
        written = [w for w in written if (SWITCH_FIELD.search(w) or (kind == "pair" and w in own_fields))
                   and w not in fn.params]
        state = tuple(n for n in dict.fromkeys([*fields, *getters, *written])
                      if not NOT_SWITCH.search(n) and not NOT_STATE.search(n))
        name = f"{owner.rsplit('.', 1)[-1]}.{fn.name}"
        if kind == "param":
            name += "(" + ", ".join(p for p in fn.params if SWITCH_PARAM.match(p)) + ")"
        out.append(Switch(sdk, fid, name, state))
    return out


def product_switches(ctx: SdkContext, sdk: SdkModule) -> list[Switch]:
    """The module's own switches, else those of the other SDK modules of the project: a plugin module
    (`sdk-plugin-imei`) is switched by its core module's `setEnabled`/`optOut`, one product in one repository."""
    return switches(ctx, sdk) or [sw for other in sdk_modules(ctx) if other is not sdk for sw in switches(ctx, other)]


class SdkConsentModel(ConsentModel):
    """The app-side consent model with the SDK switches' states as predicates, and their polarity: an opt-out
    state (`optedOut`, `hasOptedOutTracking()`, `isSdkDisabled`) holds when the user refused, and
    `consent != GRANTED` when the user has not agreed."""

    def __init__(self, base: ConsentModel, index: ProgramIndex, extra: Iterable[str]) -> None:
        super().__init__(index, (*base.configured, *extra), base.flags_off)
        self.refusals = {n.rsplit(".", 1)[-1] for n in extra if REFUSAL_STATE.search(n)}

    def guard_state(self, guard: Guard) -> int:
        for atom in guard.atoms:
            names = {c.rsplit(".", 1)[-1].lstrip("!") for c in atom.calls} | set(atom.names)
            if names & self.refusals:
                return -1 if atom.positive else 1
            if "!=" in atom.text and "null" not in atom.text and self.atom_is_consent(atom):
                return -1 if atom.positive else 1  # `consent != TrackingConsent.GRANTED`
        return super().guard_state(guard)


def sdk_consent(ctx: SdkContext) -> ConsentModel:
    """The app-side consent model with every SDK switch's state added as a predicate (`SdkConsentModel`)."""
    def build() -> ConsentModel:
        extra = [n for sdk in sdk_modules(ctx) for sw in switches(ctx, sdk) for n in sw.state]
        base = ctx.consent
        if not extra:
            return base
        return SdkConsentModel(base, ctx.index, extra)
    return memo(ctx, "consent", build)


def auto_walk(ctx: SdkContext, sdk: SdkModule) -> PreConsent:
    """What the SDK's auto-init entry points reach without a consent check."""
    return memo(ctx, f"auto:{sdk.module.name}", lambda: PreConsent(ctx.index, sdk_consent(ctx),
                                                                     auto_entries(ctx, sdk)))


def api_walk(ctx: SdkContext, sdk: SdkModule) -> PreConsent:
    """What the SDK's public API reaches without a consent check."""
    return memo(ctx, f"api:{sdk.module.name}", lambda: PreConsent(ctx.index, sdk_consent(ctx),
                                                                    api_entries(ctx, sdk)))


def sdk_only(ctx: SdkContext) -> bool:
    """A repository of SDKs: no application module, and every module with code or a manifest is an SDK module.
    There the app rules have no app to judge (the host's view of the same code is the sdk-provider rules')."""
    if any(mod.is_application for mod in ctx.project.modules):
        return False
    sdks = {s.module.name for s in sdk_modules(ctx)}
    if not sdks:
        return False
    for mod in ctx.project.modules:
        if mod.name not in sdks and (next(mod.sources(), None) is not None or next(mod.manifests(), None) is not None):
            return False
    return True
