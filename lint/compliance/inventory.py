"""The compliance inventory of one project, built from its analysis `Context`: data only, no I/O.

Three lists, the drafts of what MIIT asks apps to publish (191号文 二.1; PIPL Art. 23; GB/T 43435):
- **personal information** (已收集个人信息清单): every place the code reads personal information through a
  catalogued Android API — PI kind, API, permission, file:line, module, the entry points that reach it, and
  when it runs (before consent, after consent, on a user action, or not reached from any entry point);
- **SDKs** (与第三方共享个人信息清单 / 第三方SDK目录): every catalogued data-collecting SDK among the Gradle
  dependencies and `libs/` jars, with what its vendor documents it collects, where the code initialises it
  and whether that is behind consent;
- **permissions**: declared (source manifests), merged (build output, when present; and what the SDKs'
  manifests are known to merge), what uses each one, and whether it is necessary for the configured app
  category (《常见类型移动互联网应用程序必要个人信息范围规定》).

Collection points follow `pi-api-before-consent` (EC101): Android API calls and field reads of the PI catalog,
content URIs only when queried, SDK calls excluded (they are the SDK list), installed-app queries for one
named package excluded. Constructors and intent actions of system pickers and cameras are the user's own
action. Code in debug-only source sets is left out: it does not ship.

Timing uses the consent model of the rules: a walk from the entry points (Application, providers,
androidx.startup initializers, the launcher activity, system-broadcast receivers — plus, for this report,
every other activity and fragment, which the user opens) that records, per function, the earliest moment
it can run: `before-consent` (no consent check or user action on the way), `after-consent` (behind a
consent check or in an agree callback), `user-action` (inside a click/selection callback, or in a screen the
user opens), `unknown` (no known entry point reaches it: SDK callbacks, reflection, dead code).
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace

from pipl_lint.catalogs import ApiEntry, AppType, Catalog, SdkCall
from pipl_lint.i18n import Msg
from pipl_lint.model.index import FnId, ProgramIndex
from pipl_lint.model.matching import QUERY_CALLS, queries_one_intent
from pipl_lint.model.permission_usage import Declaration, PermissionUsage
from pipl_lint.model.summary import Site
from pipl_lint.project.discover import Module
from pipl_lint.ruleapi import Context, ModuleSdk

TIMINGS = ("before-consent", "after-consent", "user-action", "unknown")
BEFORE, AFTER, USER, UNKNOWN = range(4)
# The earliest of the SDK's init/agree calls; without any: "auto-start" when the SDK can start itself through a
# provider it merges, else "no-init-call".
SDK_CONSENT = (*TIMINGS, "auto-start", "no-init-call")
SDK_ROLES = ("init", "agree")
NECESSITY = ("necessary", "not-necessary", "not-judged", "no-category")
DECLARATION_STATUS = ("declared", "removed", "dead", "debug-only")

# Catalog owners whose constructors/actions hand the collection to a system UI the user operates.
USER_MEDIATED_OWNERS = ("ActivityResultContracts", "ScanContract", "MediaStore")
SCREEN_BASES = ("android.app.Activity", "androidx.fragment.app.Fragment", "android.app.Fragment",
                "androidx.fragment.app.DialogFragment", "androidx.appcompat.app.AppCompatActivity",
                "androidx.activity.ComponentActivity", "androidx.fragment.app.FragmentActivity")
SCREEN_METHODS = ("<init>", "onCreate", "onCreateView", "onViewCreated", "onActivityCreated", "onStart",
                  "onResume", "onAttach", "onPostCreate")
COMPONENT_METHODS = ("<init>", "onCreate", "onStartCommand", "onBind", "onReceive", "onHandleIntent", "doWork")
ENTRY_ORDER = ("application", "provider", "startup", "launcher", "receiver", "screen", "component")
JAR_VERSION = re.compile(r"[-_]v?(\d+(?:\.\d+)+[\w.-]*?)\.(?:jar|aar)$", re.IGNORECASE)


# --- rows ------------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class EntryRef:
    """An entry point that reaches a collection point: its kind and the component class."""

    kind: str  # application | provider | startup | launcher | receiver | screen | component
    component: str  # fully qualified class
    path: str  # where it is declared (manifest or class file)
    line: int

    @property
    def simple(self) -> str:
        return self.component.rsplit(".", 1)[-1]


@dataclass(frozen=True, slots=True)
class Collection:
    """One collection point: a row of 已收集个人信息清单."""

    project: str
    pi_kind: str
    sensitive: bool
    api: str  # as written in messages: "TelephonyManager.getImei", "query(ContactsContract.Contacts.CONTENT_URI)"
    api_id: str  # the apis.toml entry id
    permissions: tuple[str, ...]
    path: str
    line: int
    column: int
    module: str
    function: str  # "DeviceIdProvider.getDeviceId"
    entry_points: tuple[EntryRef, ...]
    timing: str  # one of TIMINGS
    notes: tuple[Msg, ...] = ()  # why it is still open: non-consent guards, delays ... (English and Chinese)
    disclosed: bool | None = None  # mentioned by the privacy policy; None: no policy found or not checked


@dataclass(frozen=True, slots=True)
class SdkDeclaration:
    module: str
    path: str
    line: int
    coordinate: str  # group:artifact[:version], or the jar's file name
    version: str  # "" when unknown; "BoM 33.3.0" when a platform dependency manages it
    source: str  # gradle | jar


@dataclass(frozen=True, slots=True)
class SdkInit:
    """A call that starts an SDK (`init`) or tells it the user agreed (`agree`)."""

    role: str  # init | agree
    call: str  # "UMConfigure.init"
    path: str
    line: int
    function: str
    timing: str


@dataclass(frozen=True, slots=True)
class SdkRow:
    """One SDK: a row of 与第三方共享个人信息清单 / 第三方SDK目录."""

    project: str
    id: str
    name: str
    vendor: str
    vendor_zh: str
    category: str
    declarations: tuple[SdkDeclaration, ...]
    pi_kinds: tuple[str, ...]  # documented by the vendor (catalog)
    permissions: tuple[str, ...]  # documented by the vendor (catalog)
    inits: tuple[SdkInit, ...]
    consent: str  # one of SDK_CONSENT: when the earliest init/agree call runs
    auto_start: tuple[str, ...]  # providers/initializers the SDK merges to start itself (catalog)
    policy_url: str
    disclosed: bool | None = None

    @property
    def versions(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(d.version for d in self.declarations if d.version))

    @property
    def coordinates(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(_without_version(d) for d in self.declarations))


@dataclass(frozen=True, slots=True)
class PermissionDecl:
    path: str
    line: int
    source_set: str
    status: str  # one of DECLARATION_STATUS


@dataclass(frozen=True, slots=True)
class PermissionUseRef:
    kind: str  # api | uri | string | intent | manifest | request | check | sdk
    detail: str
    path: str
    line: int
    sdk: str | None = None  # the SDK id of an `sdk` use


USE_ORDER = ("api", "uri", "string", "intent", "manifest", "request", "check", "unresolved", "sdk-feature",
             "sdk")


def _use_refs(usage: PermissionUsage, name: str) -> tuple[PermissionUseRef, ...]:
    """What uses a permission: code and manifest first, then requests and checks, then each SDK once."""
    refs: list[PermissionUseRef] = []
    sdks: set[str] = set()
    for u in sorted(usage.uses(name), key=lambda u: (_rank(USE_ORDER, u.kind), u.path, u.line)):
        if is_debug_path(u.path) or (u.sdk is not None and u.sdk in sdks):
            continue
        if u.sdk is not None:
            sdks.add(u.sdk)
        refs.append(PermissionUseRef(u.kind, u.detail, u.path, u.line, u.sdk))
    return tuple(dict.fromkeys(refs))


@dataclass(frozen=True, slots=True)
class PermissionRow:
    project: str
    name: str
    short: str
    protection: str  # normal | dangerous | signature | privileged | special | unknown
    pi_kind: str | None
    declared: tuple[PermissionDecl, ...]  # source manifests
    merged: bool | None  # in a build-output merged manifest; None without build output
    merged_by_sdks: tuple[str, ...]  # SDK ids whose AAR manifest merges it (catalog)
    used_by: tuple[PermissionUseRef, ...]
    necessity: str  # one of NECESSITY

    @property
    def in_app(self) -> bool:
        """Reaches the app: a live source declaration, the merged manifest, or an SDK merge not removed."""
        if self.merged is not None:
            return self.merged
        return any(d.status in ("declared", "sdk-merged") for d in self.declared) or \
            (bool(self.merged_by_sdks) and not any(d.status == "removed" for d in self.declared))


@dataclass(frozen=True, slots=True)
class AppCategory:
    number: int
    key: str
    name_zh: str
    name_en: str
    necessary_pi_kinds: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Inventory:
    projects: tuple[str, ...]
    app_category: AppCategory | None
    category_setting: str | None  # as configured, also when it names no known type
    policies: tuple[str, ...]  # privacy-policy files compared (see the disclosure rules)
    personal_information: tuple[Collection, ...] = ()
    sdks: tuple[SdkRow, ...] = ()
    permissions: tuple[PermissionRow, ...] = ()
    catalog: Catalog | None = field(default=None, compare=False, repr=False)

    def pi_kinds(self) -> tuple[str, ...]:
        """The PI kinds collected in code, in catalog order."""
        found = {c.pi_kind for c in self.personal_information}
        order = list(self.catalog.pi_kinds) if self.catalog else sorted(found)
        return tuple(k for k in order if k in found)

    def sdk_ids(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(s.id for s in self.sdks))


# --- building --------------------------------------------------------------------------------------------------


def build_inventory(ctx: Context, policies: Iterable[str] = ()) -> Inventory:
    """The inventory of one project."""
    project = ctx.rel(ctx.project.root) or "."
    timing = Timing(ctx)
    app_type = ctx.catalog.app_type(ctx.config.app_category) if ctx.config.app_category else None
    return Inventory(
        projects=(project,),
        app_category=_category(app_type),
        category_setting=ctx.config.app_category,
        policies=tuple(policies),
        personal_information=tuple(_collections(ctx, timing, project)),
        sdks=tuple(_sdks(ctx, timing, project)),
        permissions=tuple(_permissions(ctx, project, app_type)),
        catalog=ctx.catalog,
    )


def merge(inventories: Iterable[Inventory]) -> Inventory:
    """One inventory for several projects (rows keep their `project`)."""
    items = list(inventories)
    if not items:
        return Inventory((), None, None, ())
    first = items[0]
    return Inventory(
        projects=tuple(p for i in items for p in i.projects),
        app_category=first.app_category,
        category_setting=first.category_setting,
        policies=tuple(p for i in items for p in i.policies),
        personal_information=tuple(r for i in items for r in i.personal_information),
        sdks=tuple(r for i in items for r in i.sdks),
        permissions=tuple(r for i in items for r in i.permissions),
        catalog=first.catalog,
    )


def with_disclosure(inv: Inventory, sdk_disclosed: dict[tuple[str, str], bool],
                    kind_disclosed: dict[tuple[str, str], bool]) -> Inventory:
    """Fill in the `disclosed` columns: (project, SDK id / PI kind) → mentioned by the privacy policy."""
    return replace(
        inv,
        sdks=tuple(replace(s, disclosed=sdk_disclosed.get((s.project, s.id))) for s in inv.sdks),
        personal_information=tuple(replace(c, disclosed=kind_disclosed.get((c.project, c.pi_kind)))
                                   for c in inv.personal_information),
    )


def _category(app_type: AppType | None) -> AppCategory | None:
    if app_type is None:
        return None
    return AppCategory(app_type.number, app_type.key, app_type.name_zh, app_type.name_en,
                       app_type.necessary_pi_kinds)


# --- timing and entry points -----------------------------------------------------------------------------------


class Timing:
    """When each function can first run (see the module docstring) and which entry points reach it."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.index: ProgramIndex = ctx.index
        self.entries: list[tuple[EntryRef, FnId, int]] = list(self._entries())
        self.level: dict[FnId, int] = self._walk()
        self._reach: dict[EntryRef, set[FnId]] = {}

    def _entries(self) -> Iterator[tuple[EntryRef, FnId, int]]:
        index = self.index
        startup: set[str] = set()
        for e in self.ctx.entries:
            cls = index.function(e.fid).owner
            startup.add(cls)
            yield EntryRef(e.kind, _outer_class(index, cls), e.path, e.line), e.fid, BEFORE
        for mod_manifest in self.ctx.manifests:
            for comp in mod_manifest.components:
                cls = comp.target_activity if comp.kind == "activity-alias" else comp.cls
                if comp.removed or not cls or cls in startup or cls not in index.classes:
                    continue
                startup.add(cls)
                screen = comp.kind in ("activity", "activity-alias")
                ref = EntryRef("screen" if screen else "component", cls, mod_manifest.path, comp.element.line)
                for fid in _methods(index, cls, SCREEN_METHODS if screen else COMPONENT_METHODS):
                    yield ref, fid, USER if screen else UNKNOWN
        for fqn, (decl, fi) in index.classes.items():
            if fqn in startup or decl.kind not in ("class", "object") or not index.is_subtype(fqn, *SCREEN_BASES):
                continue
            ref = EntryRef("screen", fqn, index.files[fi].path, decl.line)
            for fid in _methods(index, fqn, SCREEN_METHODS):
                yield ref, fid, USER

    def site_level(self, site: Site) -> int:
        state = self.ctx.consent.state(site)
        if state.user_action:
            return USER
        return AFTER if state.gated else BEFORE

    def _walk(self) -> dict[FnId, int]:
        """Dial's algorithm with max instead of sum: the least, over paths, of the latest step."""
        level: dict[FnId, int] = {}
        buckets: list[deque[FnId]] = [deque() for _ in TIMINGS]
        for _ref, fid, start in self.entries:
            if start < level.get(fid, len(TIMINGS)):
                level[fid] = start
                buckets[start].append(fid)
        for current, bucket in enumerate(buckets):
            while bucket:
                fid = bucket.popleft()
                if level.get(fid) != current:
                    continue
                for edge in self.index.edges(fid):
                    step = max(current, self.site_level(edge.site) if edge.site is not None else BEFORE)
                    if step < level.get(edge.target, len(TIMINGS)):
                        level[edge.target] = step
                        buckets[step].append(edge.target)
        return level

    def at(self, fid: FnId, site: Site) -> int:
        return max(self.level.get(fid, UNKNOWN), self.site_level(site))

    def reaching(self, fid: FnId) -> tuple[EntryRef, ...]:
        """Entry points from which `fid` is reachable at all, in ENTRY_ORDER."""
        refs = dict.fromkeys(ref for ref, _fid, _start in self.entries)
        found = [ref for ref in refs if fid in self._reached_from(ref)]
        return tuple(sorted(found, key=lambda r: (_rank(ENTRY_ORDER, r.kind), r.component)))

    def _reached_from(self, ref: EntryRef) -> set[FnId]:
        seen = self._reach.get(ref)
        if seen is None:
            starts = [fid for r, fid, _start in self.entries if r == ref]
            seen = set(starts)
            queue = deque(starts)
            while queue:
                for edge in self.index.edges(queue.popleft()):
                    if edge.target not in seen:
                        seen.add(edge.target)
                        queue.append(edge.target)
            self._reach[ref] = seen
        return seen

    def notes(self, fid: FnId, site: Site) -> tuple[Msg, ...]:
        """Why a before-consent site is not protected (the same notes EC101 prints)."""
        reached = self.ctx.pre_consent.reached.get(fid)
        state = self.ctx.consent.state(site)
        notes = (*(reached.notes if reached else ()), *state.notes)
        return tuple(dict.fromkeys(n if isinstance(n, Msg) else Msg(str(n)) for n in notes))[:3]


def _rank(order: tuple[str, ...], value: str) -> int:
    return order.index(value) if value in order else len(order)


def _outer_class(index: ProgramIndex, cls: str) -> str:
    """A companion or nested object's outermost class (entry points are named by their component)."""
    decl = index.class_of(cls)
    while decl is not None and decl.outer and decl.kind in ("companion", "object"):
        cls = decl.outer
        decl = index.class_of(cls)
    return cls


def _methods(index: ProgramIndex, cls: str, names: Iterable[str]) -> list[FnId]:
    out: list[FnId] = []
    for name in names:
        found = index.members.get((cls, name), []) if name.startswith("<") else index.find_member(cls, name)
        out += [f for f in found if f not in out]
    return out


# --- personal information --------------------------------------------------------------------------------------


def is_debug_path(path: str) -> bool:
    """Code or manifests only in debug builds (`src/debug/`, `src/cnDebug/`)."""
    parts = path.split("/")
    return any(parts[i] == "src" and parts[i + 1].lower().endswith("debug") for i in range(len(parts) - 1))


def collection_api(ctx: Context, fid: FnId, site: Site) -> tuple[ApiEntry, str] | None:
    """The PI API a site reads and how to name it (the selection of EC101 plus system pickers/cameras)."""
    if ctx.sdk_calls.match(fid, site) is not None:
        return None
    api = ctx.apis.match(fid, site)
    if api is not None and api.pi_kind is not None:
        if api.kind in ("method", "field"):
            if api.pi_kind == "installed-apps" and queries_one_intent(ctx.index, fid, site):
                return None
            return api, f"{api.owner_simple}.{api.member}"
        if api.kind == "constructor" or (api.kind == "intent-action" and _user_mediated(api)):
            name = api.owner_simple if api.kind == "constructor" else f"{api.owner_simple}.{api.member}"
            return api, name
    if site.name in QUERY_CALLS and site.args:
        first = site.args[0]
        for ref in first.refs:
            uri = ctx.apis.uri_api(ref)
            if uri is not None and uri.pi_kind is not None:
                return uri, f"query({uri.member})"
        for text in first.strings:
            for entry in ctx.apis.strings():
                if entry.pi_kind and entry.member.startswith("content://") and text.startswith(entry.member):
                    return entry, f'query("{entry.member}")'
    return None


def _user_mediated(api: ApiEntry) -> bool:
    return api.kind in ("constructor", "intent-action") and api.owner_simple.split(".")[0] in USER_MEDIATED_OWNERS


def collection_points(ctx: Context) -> Iterator[tuple[FnId, Site, ApiEntry, str]]:
    """Every collection point of the project's shipped code, in file order."""
    names = set(ctx.apis.names()) | QUERY_CALLS
    seen: set[tuple[FnId, int, int, str]] = set()
    found: list[tuple[FnId, Site, ApiEntry, str]] = []
    for fid, site in ctx.sites(*sorted(names)):
        if (fid, site.start, site.end, site.name) in seen or is_debug_path(ctx.path_of(fid)):
            continue
        hit = collection_api(ctx, fid, site)
        if hit is not None:
            seen.add((fid, site.start, site.end, site.name))
            found.append((fid, site, *hit))
    found.sort(key=lambda t: (ctx.path_of(t[0]), t[1].line, t[1].column))
    return iter(found)


def _collections(ctx: Context, timing: Timing, project: str) -> Iterator[Collection]:
    catalog = ctx.catalog
    modules = _module_dirs(ctx)
    for fid, site, api, name in collection_points(ctx):
        path = ctx.path_of(fid)
        level = USER if _user_mediated(api) else timing.at(fid, site)
        kind = catalog.pi_kinds[api.pi_kind or ""]
        yield Collection(
            project=project, pi_kind=kind.id, sensitive=kind.sensitive, api=name, api_id=api.id,
            permissions=api.permissions, path=path, line=site.line, column=site.column,
            module=_module_of(modules, path), function=ctx.index.describe(fid),
            entry_points=timing.reaching(fid), timing=TIMINGS[level],
            notes=timing.notes(fid, site) if level == BEFORE else (),
        )


def _module_dirs(ctx: Context) -> list[tuple[str, str]]:
    dirs = [(ctx.rel(m.dir), m.name) for m in ctx.project.modules]
    return sorted(dirs, key=lambda d: -len(d[0]))


def _module_of(dirs: list[tuple[str, str]], path: str) -> str:
    for prefix, name in dirs:
        if not prefix or prefix == "." or path.startswith(prefix.rstrip("/") + "/"):
            return name
    return ":"


# --- SDKs ------------------------------------------------------------------------------------------------------


def _version(found: ModuleSdk, mod: Module) -> str:
    dep = found.dependency
    if dep is None:
        m = JAR_VERSION.search(found.coordinate)
        return m.group(1) if m else ""
    if dep.version:
        return dep.version
    if mod.build is not None:
        for other in mod.build.dependencies:
            if other.platform and other.group == dep.group and other.version:
                return f"BoM {other.version}"
    return ""


def _without_version(d: SdkDeclaration) -> str:
    if d.source == "jar":
        return d.coordinate
    return ":".join(d.coordinate.split(":")[:2])


def sdk_inits(ctx: Context) -> Iterator[tuple[str, str, FnId, Site, str]]:
    """(SDK id, role, function, site, call as written) of every catalogued init/agree call in shipped code."""
    names = sorted({call.method for sdk in ctx.catalog.sdks for role, call in sdk.calls() if role in SDK_ROLES})
    seen: set[tuple[FnId, int, int, str]] = set()
    for fid, site in ctx.sites(*names):
        if (fid, site.start, site.end, site.name) in seen or is_debug_path(ctx.path_of(fid)):
            continue
        seen.add((fid, site.start, site.end, site.name))
        for sdk, role, call in _sdk_matches(ctx, fid, site):
            shown = call.owner_simple if call.method == call.owner_simple.rsplit(".", 1)[-1] else \
                f"{call.owner_simple}.{call.method}"
            yield sdk, role, fid, site, shown


def _sdk_matches(ctx: Context, fid: FnId, site: Site) -> Iterator[tuple[str, str, SdkCall]]:
    """Every SDK a call belongs to (`JCollectionAuth.setAuth` is both JPush's and JCore's agree call)."""
    seen: set[str] = set()
    for role in SDK_ROLES:
        for sdk, found_role, call in ctx.catalog.sdk_calls_by_method.get(site.name, ()):
            if found_role != role or sdk.id in seen:
                continue
            if role == "agree" and _literal_arg(site, call.arg) == "false":
                continue  # `submitPolicyGrantResult(ctx, false)`: a withdrawal, not an agreement
            hit = ctx.sdk_calls.match(fid, site, roles=(role,))
            if hit is not None and hit[2].owner == call.owner:
                seen.add(sdk.id)
                yield sdk.id, role, call


def _literal_arg(site: Site, index: int | None) -> str | None:
    if index is None or not -len(site.args) <= index < len(site.args):
        return None
    return site.args[index].text.strip()


def _sdks(ctx: Context, timing: Timing, project: str) -> Iterator[SdkRow]:
    by_id: dict[str, list[SdkDeclaration]] = {}
    for found in ctx.sdks:
        decl = SdkDeclaration(found.module.name, found.path, found.line, found.coordinate,
                              _version(found, found.module), "gradle" if found.dependency else "jar")
        rows = by_id.setdefault(found.sdk_id, [])
        if decl not in rows:
            rows.append(decl)
    inits: dict[str, list[SdkInit]] = {}
    present = {found.sdk_id for found in ctx.sdks}
    for sdk_id, role, fid, site, shown in sdk_inits(ctx):
        if sdk_id not in present:
            continue
        inits.setdefault(sdk_id, []).append(SdkInit(role, shown, ctx.path_of(fid), site.line, ctx.index.describe(fid),
                                                    TIMINGS[timing.at(fid, site)]))
    for sdk_id, decls in by_id.items():
        sdk = ctx.catalog.sdk(sdk_id)
        calls = tuple(sorted(inits.get(sdk_id, ()), key=lambda i: (i.path, i.line)))
        fallback = "auto-start" if sdk.autoinit_providers else "no-init-call"
        consent = min((i.timing for i in calls), key=TIMINGS.index, default=fallback)
        yield SdkRow(
            project=project, id=sdk.id, name=sdk.name, vendor=sdk.vendor, vendor_zh=sdk.vendor_zh,
            category=sdk.category, declarations=tuple(decls), pi_kinds=sdk.pi_kinds, permissions=sdk.permissions,
            inits=calls, consent=consent, auto_start=tuple(p.name for p in sdk.autoinit_providers),
            policy_url=sdk.policy_url,
        )


# --- permissions -----------------------------------------------------------------------------------------------


def _status(usage: PermissionUsage, decl: Declaration) -> str:
    if decl.entry.removed or usage.removed(decl.name):
        return "removed"
    if usage.dead(decl):
        return "dead"
    return "debug-only" if decl.is_debug else "declared"


def _necessity(ctx: Context, name: str, app_type: AppType | None) -> str:
    if app_type is None:
        return "no-category"
    perm = ctx.catalog.permission(name)
    if perm is None or perm.pi_kind is None or perm.protection != "dangerous":
        return "not-judged"
    return "necessary" if perm.pi_kind in app_type.necessary_pi_kinds else "not-necessary"


def _permissions(ctx: Context, project: str, app_type: AppType | None) -> Iterator[PermissionRow]:
    usage = ctx.permission_usage
    source: dict[str, list[PermissionDecl]] = {}
    merged_names: set[str] = set()
    for decl in usage.declarations:
        if decl.merged:
            merged_names.add(decl.name)
            continue
        source.setdefault(decl.name, []).append(PermissionDecl(decl.path, decl.line, decl.source_set,
                                                               _status(usage, decl)))
    has_build_output = bool(ctx.merged)
    sdk_merges = {name: tuple(dict.fromkeys(s.sdk_id for s in usage.merged_by(name)))
                  for name in {p for s in ctx.sdks for p in ctx.catalog.sdk(s.sdk_id).merged_permissions}}
    names = set(source) | merged_names | set(sdk_merges)
    rows: list[PermissionRow] = []
    for name in names:
        perm = ctx.catalog.permission(name)
        uses = _use_refs(usage, name)
        rows.append(PermissionRow(
            project=project, name=name, short=name.rsplit(".", 1)[-1],
            protection=perm.protection if perm else "unknown", pi_kind=perm.pi_kind if perm else None,
            declared=tuple(source.get(name, ())), merged=(name in merged_names) if has_build_output else None,
            merged_by_sdks=sdk_merges.get(name, ()), used_by=uses, necessity=_necessity(ctx, name, app_type),
        ))
    rows.sort(key=lambda r: (r.protection != "dangerous", r.name))
    yield from rows
