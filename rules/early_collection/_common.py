"""Shared wording for the early-collection rules, and where their findings go.

Where a finding goes: a collecting call (a personal-information read, an SDK's init) that a helper makes is
reported on the call in pre-consent entry code that leads into the helper — the line the developer must move
behind consent — with the collecting calls as related locations ("collects at File:line"). The entry call is
the first call on the path in the entry point's own code (Application, ContentProvider, startup initializer,
launcher activity, receiver; `PreConsent.entry_calls`): when the path goes on through framework dispatch (a
component started, a fragment shown, an observer registered; `DISPATCH` in `model/reach.py`), that start is
the entry call, one line instead of one per started screen. A helper reached from three entry calls gives three
findings; everything one entry call leads to gives one finding per rule, listing what is collected. A collecting
call in code the framework runs itself (the entry point's, or a started component's lifecycle) is reported
where it is; so is one in a helper that more than `MAX_ENTRY_CALLS` entry calls lead to (a network helper the
launcher calls for every request): one change in the helper fixes them all, and the message says how many.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from itertools import pairwise

from pipl_lint.findings import Edit, Finding, Related, Severity, Span, TraceStep
from pipl_lint.i18n import Msg, join
from pipl_lint.model.consent import Note, SiteState
from pipl_lint.model.index import FnId
from pipl_lint.model.reach import EntryCall, PreConsent, Reached
from pipl_lint.model.summary import Atom, Site

SEVERITY_ZH = {Severity.ERROR: "错误", Severity.WARNING: "警告", Severity.INFO: "提示"}


def path_notes(reached: Reached, state: SiteState, undecided: Undecided | None = None,
               severity: Severity | None = None, opt_out: OptOut | None = None) -> Msg:
    """`; `isMainProcess()` (line 3) is not a consent check` — why a guard on the path did not help. With an
    `undecided` condition (see `undecided`), that condition comes first, said as what the finding depends on,
    with the lowered `severity`; with a setting on by default (`opt_out`), that one comes first, said as an
    opt-out."""
    shown = {u.note for u in (undecided, opt_out) if u is not None}
    notes = [n for n in dict.fromkeys((*reached.notes, *state.notes)) if n not in shown]
    parts: list[Msg] = []
    if opt_out is not None:
        cond, line = opt_out.condition, opt_out.line
        where = f"{opt_out.path.rsplit('/', 1)[-1]}:{opt_out.default_line}"
        parts.append(Msg(f"runs when `{cond}` (line {line}) holds, as it does on first launch: a setting that "
                         f"defaults to `true` ({where}), an opt-out, not consent",
                         f"当 `{cond}`（第 {line} 行）成立时运行，首次启动时即成立：该设置默认为 `true`（{where}），"
                         f"是可退出的默认开启，不是同意"))
    if undecided is not None and severity is not None:
        cond, line = undecided.condition, undecided.line
        parts.append(Msg(f"runs only when `{cond}` (line {line}) holds, which the code does not decide "
                         f"on first launch (so: {severity})",
                         f"仅当 `{cond}`（第 {line} 行）成立时运行，首次启动时代码无法确定该条件"
                         f"（故为{SEVERITY_ZH[severity]}）"))
    parts += notes[:2 - len(parts)]
    if not parts:
        return Msg("")
    body = join(*parts, sep="; ", sep_zh="；")
    return Msg("; " + body.en, "；" + body.get("zh"))


MAX_CONDITION = 100  # characters of a condition quoted in a message


@dataclass(frozen=True, slots=True)
class Undecided:
    """A condition on a path that first launch does not decide: the note that names its guard, and the part of
    the guard that is undecided (`atom`)."""

    note: Note
    atom: Atom
    line: int

    @property
    def condition(self) -> str:
        a = self.atom
        text = a.text if a.positive else (f"!({a.text})" if " " in a.text else f"!{a.text}")
        return text if len(text) <= MAX_CONDITION else text[:MAX_CONDITION - 3] + "..."


def undecided(ctx: object, hit: Collecting) -> Undecided | None:
    """The first condition on the path to a collecting call (each open call's guards, then the call's own) that
    first launch does not decide - an intent extra, a setting the user chose, a server's flag
    (`FirstLaunch.undecided`); None when the path's notes are only callbacks, threads, delays or conditions that
    hold on first launch (a process check, the OS version): these still run before consent."""
    pc = ctx.pre_consent
    for fid, note in _path_conditions(ctx, hit):
        assert note.guard is not None
        atom = pc.first_launch.undecided(fid, note.guard)
        if atom is not None:
            return Undecided(note, atom, note.guard.line)
    return None


def _path_conditions(ctx: object, hit: Collecting) -> Iterator[tuple[FnId, Note]]:
    """The condition notes on the path to a collecting call, in order: each open call's guards, then the call's
    own, with the function each sits in."""
    pc = ctx.pre_consent
    hops = pc.hops(hit.reached)
    steps = [(prev.fid, hop.via.site) for prev, hop in pairwise(hops)
             if hop.via is not None and hop.via.site is not None]
    steps.append((hit.reached.fid, hit.site))
    for fid, site in steps:
        for note in pc.consent.state(site).notes:
            if isinstance(note, Note) and note.kind == "condition" and note.guard is not None:
                yield fid, note


@dataclass(frozen=True, slots=True)
class OptOut:
    """A condition on a path that holds on first launch because it reads a stored setting whose default is `true`
    (`FirstLaunch.default_on`): the note that names its guard, the atom, and where the default is written."""

    note: Note
    atom: Atom
    line: int
    path: str
    default_line: int

    @property
    def condition(self) -> str:
        text = self.atom.text
        return text if len(text) <= MAX_CONDITION else text[:MAX_CONDITION - 3] + "..."

    @property
    def step(self) -> TraceStep:
        return TraceStep(self.path, self.default_line,
                         "the setting defaults to `true` here: it collects until the user switches it off")


def opt_out(ctx: object, hit: Collecting) -> OptOut | None:
    """The first condition on the path to a collecting call that a setting on by default satisfies on first launch
    (`prefs.getBoolean(SEND_STATS, true)`, `settings.isTrackingEnabled` whose getter reads one): the collection
    runs before anybody was asked, and the only control is switching it off."""
    pc = ctx.pre_consent
    for fid, note in _path_conditions(ctx, hit):
        assert note.guard is not None
        for atom in note.guard.atoms:
            found = pc.first_launch.default_on(fid, atom)
            if found is not None:
                dfid, dsite = found
                return OptOut(note, atom, note.guard.line, ctx.path_of(dfid), dsite.line)
    return None


def with_opt_out(finding: Finding, found: OptOut | None) -> Finding:
    """The finding with the setting's default as the last step of its trace (and of its related locations')."""
    if found is None:
        return finding
    step = found.step
    related = tuple(replace(r, trace=(*r.trace, step)) for r in finding.related)
    return replace(finding, trace=(*finding.trace, step), related=related)


def lowered(ctx: object, meta: object, hits: list[Collecting]) -> tuple[Undecided | None, Severity | None]:
    """(the undecided condition of the first hit, the severity one level below the rule's) when every hit is
    behind a condition first launch does not decide and no severity is configured for the rule; else (None, None).
    The path may well run before consent - the condition may hold - so it is reported, one level lower."""
    if meta.id in ctx.config.severity or meta.name in ctx.config.severity:
        return None, None
    found = [undecided(ctx, h) for h in hits]
    if not found or any(u is None for u in found):
        return None, None
    return found[0], Severity(max(Severity.INFO, meta.severity - 1))


def at_severity(finding: Finding, severity: Severity | None) -> Finding:
    """The finding at `severity` (from `lowered`), or as it is."""
    return finding if severity is None else replace(finding, severity=severity)


@dataclass(frozen=True, slots=True)
class Collecting:
    """A collecting call a rule found before consent: `call` names it in messages (`TelephonyManager.getImei`),
    `what` is what it collects (a PI kind's label, an SDK's name) and `key` its id, `note` describes it in
    traces and related locations."""

    reached: Reached
    site: Site
    state: SiteState
    call: str
    what: Msg
    key: str
    note: str


# More entry calls than this leading to one helper: the finding stays where the helper collects.
MAX_ENTRY_CALLS = 3


def by_entry_call(ctx: object, hits: Iterable[Collecting], pc: PreConsent | None = None) \
        -> Iterator[tuple[EntryCall | None, list[Collecting]]]:
    """The collecting calls grouped by the entry call that leads to them (in source order); a call in entry
    code itself, or in a helper more than MAX_ENTRY_CALLS entry calls lead to, comes alone, with None. `pc`: the
    walk the hits come from (default: the pre-consent walk)."""
    pc = pc or ctx.pre_consent
    groups: dict[tuple[int, int], tuple[EntryCall, list[Collecting]]] = {}
    for hit in hits:
        calls = pc.entry_calls(hit.reached.fid)
        if not calls or len(calls) > MAX_ENTRY_CALLS:
            yield None, [hit]
            continue
        for call in calls:
            groups.setdefault(call.key, (call, []))[1].append(hit)
    for call, group in groups.values():
        yield call, sorted(group, key=lambda h: (ctx.path_of(h.reached.fid), h.site.line, h.site.column))


def many_callers(ctx: object, hit: Collecting, pc: PreConsent | None = None) -> Msg:
    """`; reached before consent from 34 calls in entry code: change it here, once` for a helper reported where
    it collects because too many entry calls lead to it (see MAX_ENTRY_CALLS); else nothing."""
    n = len((pc or ctx.pre_consent).entry_calls(hit.reached.fid))
    if n <= MAX_ENTRY_CALLS:
        return Msg("")
    return Msg(f"; reached before consent from {n} calls in entry code: change it here, once",
               f"；入口代码中有 {n} 处调用在同意前到达此处：在这里修改一次即可")


def listing(hits: list[Collecting]) -> tuple[Msg, str]:
    """(what is collected, deduplicated: `IMEI/MEID、Android ID`; the calls: `` `A`, `B` ``)."""
    whats = list(dict.fromkeys(h.what for h in hits))
    calls = list(dict.fromkeys(h.call for h in hits))
    return join(*whats, sep=", ", sep_zh="、"), ", ".join(f"`{c}`" for c in calls)


def callee(ctx: object, call: EntryCall) -> str:
    """How messages name the function an entry call leads into: `DeviceIdUtil.getImei`."""
    return ctx.index.describe(call.edge.target).split(" (", 1)[0]


def entry_call_finding(ctx: object, meta: object, call: EntryCall, hits: list[Collecting], message: Msg,
                       fix: Msg | None, edits: tuple[Edit, ...] = (), pc: PreConsent | None = None) -> Finding:
    """The finding on an entry call: the collecting calls are its related locations, each with the path
    through the entry call to it; the finding's trace is the first one's. The anchor names the entry call
    and what it leads to (a new read in the helper is a new finding); each related location keeps the anchor
    its finding had when it was reported there, so older baselines still match (`Finding.legacy_fingerprints`)."""
    pc = pc or ctx.pre_consent

    def path_to(h: Collecting) -> tuple[TraceStep, ...]:
        own = next(c for c in pc.entry_calls(h.reached.fid) if c.key == call.key)  # the chain to h's function
        return pc.call_trace(own, h.reached.fid, h.site, h.note)

    related = tuple(Related(ctx.path_of(h.reached.fid),
                            Span(h.site.line, h.site.column, h.site.end_line, h.site.end_column),
                            h.note, ctx.site_anchor(h.reached.fid, h.site), path_to(h)) for h in hits)
    trace = related[0].trace
    caller, edge = call.caller.fid, call.edge
    leads_to = "|".join(sorted({r.anchor for r in related}))
    if edge.site is not None:
        finding = ctx.site_finding(meta, caller, edge.site, message, fix=fix, trace=trace, edits=edits,
                                   anchor=f"{ctx.site_anchor(caller, edge.site)}>{leads_to}")
    else:  # a property read by its bare name
        anchor = f"{ctx.index.describe(caller)}|{ctx.index.describe(edge.target)}>{leads_to}"
        finding = ctx.finding(meta, ctx.path_of(caller), Span.point(edge.line, 1), message, fix=fix, trace=trace,
                              edits=edits, anchor=anchor)
    return replace(finding, related=related)


def switched_off_at_launch(ctx: object) -> bool:
    """Every catalogued SDK among the dependencies that has a manifest master switch has it set to the value that
    keeps it from collecting (`firebase_analytics_collection_enabled=false`), and at least one does: what they
    collect waits for the app to turn them on (the SDK keeps that choice itself)."""
    meta = app_meta_data(ctx)
    seen = False
    for found in ctx.sdks:
        sdk = ctx.catalog.sdk(found.sdk_id)
        if not sdk.manifest_flags:
            continue
        if not manifest_off(sdk, meta):
            return False
        seen = True
    return seen


def manifest_off(sdk: object, meta: dict[str, tuple[str | None, object]]) -> bool:
    """The SDK's manifest master switch (one that stops its self-start, or any switch on by default) is set to the
    value that keeps it from collecting (`firebase_analytics_collection_enabled=false`); `meta`: `app_meta_data`."""
    masters = {n for p in sdk.autoinit_providers for n in p.disabled_by} or \
        {f.name for f in sdk.manifest_flags if f.default_enabled}
    return any(meta.get(f.name, (None,))[0] == f.safe for f in sdk.manifest_flags if f.name in masters)


def app_meta_data(ctx: object) -> dict[str, tuple[str | None, object]]:
    """`<meta-data>` under `<application>` as the variant's merged manifest has it: name -> (value, element).
    Android's priority: the variant's build-type manifest over its flavours' over main (`ctx.variant_manifests`);
    a higher-priority `tools:node="remove"` (or `removeAll`) drops the element, `replace`/`merge` keep the
    higher-priority value, as without a marker."""
    out: dict[str, tuple[str | None, object]] = {}
    decided: set[str] = set()
    for m in ctx.variant_manifests():
        for md in m.meta_data():
            if md.name in decided:
                continue
            decided.add(md.name)
            if md.tools_node in ("remove", "removeAll"):
                continue
            out[md.name] = (md.value if md.value is not None else md.resource, md.element)
    return out


def removed_components(ctx: object) -> set[str]:
    """Components the variant removes from the merged manifest with `tools:node="remove"`."""
    out: set[str] = set()
    for m in ctx.variant_manifests():
        for c in m.components:
            if c.removed:
                out.add(c.cls)
    return out


def launches(ctx: object, module: object) -> bool:
    """The module is an app: its build says so, or (when no module's build does - the application plugin applied
    through a convention plugin) its manifests declare the launcher activity."""
    if module.is_application:
        return True
    return not ctx.app_modules() and any(mod is module and m.launcher_activities() for mod, m in ctx.module_manifests)


def main_application(ctx: object, module: object | None = None,
                     source_set: str = "main") -> tuple[object, object] | None:
    """(manifest, <application> element) of the first app module's main manifest; with `module` (the module
    that declares an SDK dependency), that module's own when it is an app (a repository with a phone and a
    watch app reports each SDK on the manifest of the app that ships it), the manifest of `source_set` first
    (`fullImplementation` ships in the `full` flavour: its manifest)."""
    own = [m for mod, m in ctx.module_manifests if mod is module and launches(ctx, mod)]

    def rank(m: object) -> tuple[bool, bool]:
        name = ctx.manifest_sets.get(m.path, "main")
        return name != source_set, "/src/main/" not in f"/{m.path}"

    for m in [*sorted(own, key=rank), *ctx.app_manifests()]:
        if m.application is not None and "/src/debug/" not in f"/{m.path}":
            return m, m.application.element
    return None


def merged_into(ctx: object, manifest: object) -> tuple[TraceStep, ...]:
    """When `manifest` is a flavour's (or build type's) manifest of an app module, the step to the main
    manifest's `<application>` it merges into (the app's own `<application>`, where its name and the switches
    shared by every variant are): a flavour's SDK is configured in either. Empty for a main manifest."""
    if ctx.manifest_sets.get(manifest.path, "main") == "main":
        return ()
    owner = next((mod for mod, m in ctx.module_manifests if m is manifest), None)
    main = next((m for mod, m in ctx.module_manifests if mod is owner and m is not manifest
                 and ctx.manifest_sets.get(m.path, "main") == "main" and m.application is not None), None)
    if main is None:
        return ()
    name = ctx.manifest_sets.get(manifest.path, "")
    return (TraceStep(main.path, main.application.element.line,
                      f"the `{name}` manifest merges into this <application>"),)


@dataclass(frozen=True, slots=True)
class Shipped:
    """A catalogued SDK the app shows it ships though no dependency of the project names it (it comes through a
    library published elsewhere, with its own dependencies): the same fields the manifest rules read from a
    `ModuleSdk`."""

    sdk_id: str
    module: object
    path: str  # the manifest or source file that shows it
    line: int
    column: int
    coordinate: str  # how it is shown: "`google_analytics_default_allow_ad_storage` in the manifest"
    source_set: str = "main"
    dependency: None = None
    version: None = None


def shipped_sdks(ctx: object) -> list[object]:
    """The catalogued SDKs the variant ships, for the manifest rules: `ctx.sdks` (Gradle dependencies and jars),
    then those the app itself shows without a dependency the project declares - a library from another build
    (`implementation("com.example:app-toolkit:1.0") { isTransitive = true }`) brings them:
    - the app's shipped code imports a class of the package of one of the SDK's catalogued API classes (the owner
      of an init/agree/disable call, its provider) that the project does not define itself (a stub class of the
      same name in a flavour without the SDK is not the SDK); a package several catalogued SDKs share (by their
      calls or their API packages: `com.umeng.analytics.MobclickAgent` is in both generations of Umeng's SDK)
      says nothing;
    - the variant's manifests set one of the SDK's own `<meta-data>` switches (a switch name no other catalogued
      SDK shares: `firebase_data_collection_default_enabled` names no one SDK) to a value other than its safe one:
      an app configures collection only of an SDK it ships (a switch kept off may be a defensive copy). Not an
      app key: generations of one vendor's SDK read the same key.
    Memoised per variant view."""
    def build() -> list[object]:
        out: list[object] = list(ctx.sdks)
        have = {s.sdk_id for s in out}
        catalog = ctx.catalog
        owners: dict[str, list[str]] = {}
        for sdk in catalog.sdks:  # not an app key: generations of one vendor's SDK read the same `UMENG_APPKEY`
            for name in {f.name for f in sdk.manifest_flags}:
                owners.setdefault(name, []).append(sdk.id)
        meta = app_meta_data(ctx)
        safe = {f.name: f.safe for sdk in catalog.sdks for f in sdk.manifest_flags}
        shipped = {id(m) for m in ctx.variant_manifests()}
        for mod, m in ctx.module_manifests:
            if id(m) not in shipped:
                continue
            for md in m.meta_data():
                ids = owners.get(md.name, [])
                if len(ids) != 1 or ids[0] in have or md.name not in meta or meta[md.name][1] is not md.element:
                    continue
                if meta[md.name][0] in (None, safe[md.name]):
                    continue  # a switch kept off may be defensive, copied into an app that does not ship the SDK
                have.add(ids[0])
                out.append(Shipped(ids[0], mod, m.path, md.element.line, md.element.column,
                                   f"`{md.name}` in the manifest", ctx.manifest_sets.get(m.path, "main")))
        by_path = {fs.path: i for i, fs in enumerate(ctx.index.files)}
        # The packages of the SDK's catalogued API classes (`com.google.android.gms.ads` for `MobileAds`), not the
        # vendor's prefix: `com.facebook.drawee` (Fresco) is not the Facebook SDK, `com.google.android.gms.ads.
        # identifier` (the advertising-ID client) is not the ads SDK.
        by_package: dict[str, set[str]] = {}
        for sdk in catalog.sdks:
            for _role, call in sdk.calls():
                by_package.setdefault(call.owner.rsplit(".", 1)[0], set()).add(sdk.id)
        for sdk in catalog.sdks:
            for provider in (p.name for p in sdk.autoinit_providers):
                by_package.setdefault(provider.rsplit(".", 1)[0], set()).add(sdk.id)
        for pkg, ids in by_package.items():  # and every SDK whose API packages cover it: one class, two generations
            ids |= {sdk.id for sdk in catalog.sdks for p in sdk.packages if pkg == p or pkg.startswith(p + ".")}
        packages = {p: next(iter(ids)) for p, ids in by_package.items() if len(ids) == 1 and not ids & have}
        if not packages:
            return out
        for mod in ctx.project.modules:
            for ss in mod.source_sets:
                if ss.is_test or not ctx.in_variant(ss.name) or (ctx.variant is None and ss.name == "debug"):
                    continue
                for src in ss.sources:
                    i = by_path.get(ctx.rel(src))
                    if i is None:
                        continue
                    for imp in ctx.index.files[i].imports:
                        if imp.path in ctx.index.classes:
                            continue  # the project's own class (a stub of the SDK's API)
                        sdk_id = packages.get(imp.path if imp.wildcard else imp.path.rsplit(".", 1)[0])
                        if sdk_id is None or sdk_id in have:
                            continue
                        have.add(sdk_id)
                        out.append(Shipped(sdk_id, mod, ctx.index.files[i].path, 1, 1, f"`{imp.path}` imported",
                                           ss.name))
        return out
    return ctx.memo("early-collection:shipped-sdks", build)
