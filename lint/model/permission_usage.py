"""Which permissions the project declares, and what in the project uses each one.

A *use* is evidence that a permission is needed: a call, field or constructor from `apis.toml` that needs
it (Kotlin property syntax included), a content URI constant or a `content://…` string literal, an
intent action (`Intent.ACTION_CALL`, `"android.intent.action.CALL"`), a manifest component that only
works with it (a receiver for `SMS_RECEIVED`, a `foregroundServiceType`), a runtime request or check
(`requestPermissions`, ActivityResult launchers, PermissionX … and `checkSelfPermission`), or a
catalogued SDK among the dependencies that is known to need it (`sdk`: the SDK may use it;
`sdk-feature`: the SDK's own feature needs it per the vendor's integration guide and the code imports the
SDK's API, or a mediation adapter for it is among the module's dependencies — `com.anythink.sdk:adapter-admob`
drives Google Mobile Ads — so the SDK uses it).
A runtime request whose permissions could not be resolved is an `unresolved` use of every dangerous
permission the project declares and its code names somewhere (`Manifest.permission.X`, a literal, a
constant) or that share a permission group with one it names: it may ask for any of those, so none of them is
claimed unused because of it. When the code names some permissions, one outside their groups is not what such
a request asks for (a wrapper keyed by request codes);
when it names none (the list comes from a server), every declared one may be. Uses are project-wide: every
module's code merges into the app, Kotlin and Java alike.

Android rules the analysis follows:
- an API that accepts several permissions (`getLastKnownLocation`: fine *or* coarse; a MediaStore query:
  `READ_EXTERNAL_STORAGE` up to API 32, `READ_MEDIA_*` from 33) is a use of each of them, so a location
  API keeps both location permissions "used" (`fine-location-for-coarse-use` asks which one is needed);
- a content URI handed to a picker or editor intent (`Intent(ACTION_PICK, Contacts.CONTENT_URI)`) needs
  no permission: the other app reads the data, so it is recorded as an intent, not as a use;
- a `tools:node="remove"` in an application module's manifest (main or a flavour; not a debug-only one,
  release builds still get the permission) removes it from every manifest that merges into the app — a
  flavour's removal is taken as intended for the whole app; a `<uses-permission>` whose `maxSdkVersion` is
  below `minSdk` is dead.

`PermissionUsage.build(ctx)` works on anything that looks like `pipl_lint.ruleapi.Context`; rules reach
it as `ctx.permission_usage`, the compliance report reads the same object for its "used by" column.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Protocol, TypeVar

from pipl_lint.catalogs import ApiEntry, Catalog, Sdk
from pipl_lint.model.index import FnId, ProgramIndex
from pipl_lint.model.manifest import Component, Manifest, UsesPermission
from pipl_lint.model.matching import ApiMatcher
from pipl_lint.model.requests import PermissionRequest, RequestFinder
from pipl_lint.model.summary import Site
from pipl_lint.project.discover import Module

CODE_KINDS = frozenset({"api", "uri", "string", "intent", "manifest"})
REQUEST_KINDS = frozenset({"request", "check"})
# Calls that test a permission without asking for it.
CHECK_CALLS = frozenset({"checkSelfPermission", "checkPermission", "checkCallingOrSelfPermission",
                         "shouldShowRequestPermissionRationale", "hasPermissions", "isGranted",
                         "checkSelfPermissions", "hasSelfPermissions"})
# Intent actions whose target app does the reading or writing: a data URI handed to them needs no permission.
DELEGATING_ACTIONS = frozenset({"ACTION_PICK", "ACTION_INSERT", "ACTION_EDIT", "ACTION_VIEW", "ACTION_GET_CONTENT",
                                "ACTION_INSERT_OR_EDIT", "ACTION_SEND", "ACTION_SENDTO", "ACTION_DIAL",
                                "ACTION_OPEN_DOCUMENT"})
DELEGATING_STRINGS = frozenset({f"android.intent.action.{a[7:]}" for a in DELEGATING_ACTIONS})
LOCATION = frozenset({"android.permission.ACCESS_FINE_LOCATION", "android.permission.ACCESS_COARSE_LOCATION"})
BACKGROUND_LOCATION = "android.permission.ACCESS_BACKGROUND_LOCATION"
# Components that run with no activity in front (the user may not be looking at the app).
BACKGROUND_COMPONENTS = ("android.app.Service", "android.content.BroadcastReceiver", "android.app.job.JobService",
                         "androidx.work.ListenableWorker", "androidx.work.Worker", "androidx.work.CoroutineWorker",
                         "android.app.IntentService", "androidx.core.app.JobIntentService",
                         "androidx.lifecycle.LifecycleService")
GEOFENCE_APIS = frozenset({"geofencing-client-add-geofences"})  # apis.toml ids: geofences need background location
# Pickers of shared files (apis.toml ids; they need no permission from Android 10). Up to Android 9 the platform's
# guide has an app that reads media through them declare READ_EXTERNAL_STORAGE with maxSdkVersion 28
# (developer.android.com/training/data-storage/shared/documents-files), so a declaration bounded that way is used.
LEGACY_PICKERS = frozenset({"intent-action-get-content", "activity-result-get-content",
                            "activity-result-pick-visual-media", "activity-result-pick-multiple-visual-media"})
READ_STORAGE = "android.permission.READ_EXTERNAL_STORAGE"
LEGACY_STORAGE_MAX_API = 28  # scoped storage from Android 10 (API 29)
MERGED_DIRS = ("merged_manifests", "merged_manifest", "packaged_manifests")
ANDROID = "android.permission."


@dataclass(frozen=True, slots=True)
class Use:
    """One piece of evidence that a permission is needed, with where it is."""

    kind: str  # api | uri | string | intent | manifest | request | check | sdk | sdk-feature | unresolved
    path: str  # relative to the scan root
    line: int
    detail: str  # what uses it, ready for a message: "`TelephonyManager.getImei`", "Umeng (com.umeng…)"
    column: int = 1
    permissions: tuple[str, ...] = ()  # every permission that satisfies this use (any one of them, or all)
    mode: str = "any"  # any | all, as in apis.toml
    api: ApiEntry | None = None  # the catalog entry (api, uri, string, intent, manifest uses)
    sdk: str | None = None  # the catalogued SDK id (sdk uses)
    fid: FnId | None = field(default=None, compare=False)  # the function holding the site (code uses)
    site: Site | None = field(default=None, compare=False)

    @property
    def is_code(self) -> bool:
        return self.kind in CODE_KINDS

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}"


@dataclass(frozen=True, slots=True)
class Declaration:
    """A `<uses-permission>` in one of the project's manifests (or in a build-output merged manifest)."""

    module: Module
    manifest: Manifest
    entry: UsesPermission
    source_set: str  # main, debug, a flavour …; for build output, the variant ("cnRelease")
    merged: bool = False  # from build output

    @property
    def name(self) -> str:
        return self.entry.name

    @property
    def path(self) -> str:
        return self.manifest.path

    @property
    def line(self) -> int:
        return self.entry.element.line

    @property
    def is_debug(self) -> bool:
        """Declared only for debug builds (`src/debug/`, `src/cnDebug/`, a `…Debug` variant)."""
        return "debug" in self.source_set.lower()


class SdkDependency(Protocol):
    """A catalogued SDK found among the dependencies (`pipl_lint.ruleapi.ModuleSdk`)."""

    @property
    def sdk_id(self) -> str: ...
    @property
    def path(self) -> str: ...
    @property
    def line(self) -> int: ...
    @property
    def column(self) -> int: ...
    @property
    def coordinate(self) -> str: ...
    @property
    def module(self) -> Module: ...


T = TypeVar("T")


class UsageSources(Protocol):
    """What the analysis reads from the rule context."""

    index: ProgramIndex
    catalog: Catalog
    apis: ApiMatcher
    module_manifests: list[tuple[Module, Manifest]]
    merged: list[tuple[Module, Manifest]]
    rel: Callable[[Path], str]

    @property
    def sdks(self) -> Sequence[SdkDependency]: ...
    @property
    def permission_requests(self) -> list[PermissionRequest]: ...
    @property
    def request_finder(self) -> RequestFinder: ...
    def sites(self, *names: str) -> Iterator[tuple[FnId, Site]]: ...
    def min_sdk(self) -> int | None: ...
    def code_memo(self, key: object, build: Callable[[], T]) -> T: ...


class PermissionUsage:
    """Declarations and uses of every permission in one project."""

    def __init__(self, uses: Iterable[Use], declarations: Iterable[Declaration], removed: Iterable[str],
                 merges: dict[str, list[SdkDependency]], min_sdk: int | None) -> None:
        self.all_uses: list[Use] = sorted(set(uses), key=lambda u: (u.path, u.line, u.column, u.kind, u.detail))
        self.declarations: list[Declaration] = list(declarations)
        self.removed_names: frozenset[str] = frozenset(removed)
        self.min_sdk = min_sdk
        self.in_scope: Callable[[str], bool] = lambda _source_set: True  # source set in the analysed variant(s)
        self._merges = merges
        self._by_name: dict[str, list[Use]] = {}
        for use in self.all_uses:
            for name in use.permissions:
                self._by_name.setdefault(name, []).append(use)

    # --- building --------------------------------------------------------------------------------------
    @classmethod
    def build(cls, src: UsageSources) -> PermissionUsage:
        uses: list[Use] = []
        uses += src.code_memo(("permission-usage:code", src.min_sdk()), lambda: list(_code_uses(src)))
        uses += list(_background_location_uses(src, uses))
        uses += src.code_memo("permission-usage:strings", lambda: list(_string_uses(src)))
        uses += _manifest_uses(src)
        declarations = list(_declarations(src))
        uses += list(_legacy_picker_uses(uses, declarations))
        uses += _request_uses(src, _dangerous_declared(src, declarations))
        uses += _check_uses(src)
        uses += _sdk_uses(src)
        removed = {d.name for d in declarations if d.entry.removed and d.module.is_application
                   and not d.merged and not d.is_debug and _in_every_variant(src, d.source_set)}
        merges: dict[str, list[SdkDependency]] = {}
        for found in src.sdks:
            for name in src.catalog.sdk(found.sdk_id).merged_permissions:
                merges.setdefault(name, []).append(found)
        usage = cls(uses, declarations, removed, merges, src.min_sdk())
        usage.in_scope = getattr(src, "in_variant", usage.in_scope)
        return usage

    # --- questions -------------------------------------------------------------------------------------
    def uses(self, name: str) -> list[Use]:
        """Every use of `name`, in file order."""
        return list(self._by_name.get(name, ()))

    def code_uses(self, name: str) -> list[Use]:
        """Uses by the project's own code and manifests (no requests, no SDKs)."""
        return [u for u in self._by_name.get(name, ()) if u.is_code]

    def requests(self, name: str) -> list[Use]:
        """Runtime requests and permission checks naming `name`."""
        return [u for u in self._by_name.get(name, ()) if u.kind in REQUEST_KINDS]

    def sdk_uses(self, name: str) -> list[Use]:
        """Catalogued SDK dependencies known to need `name` (may use it, or use it for their feature)."""
        return [u for u in self._by_name.get(name, ()) if u.kind in ("sdk", "sdk-feature")]

    def is_used(self, name: str) -> bool:
        return bool(self._by_name.get(name))

    def catalog_uses(self) -> list[Use]:
        """Every code use that matched the catalog, including APIs that need no permission (capture intents,
        pickers) — for rules that ask *how* a feature is built."""
        return [u for u in self.all_uses if u.api is not None]

    def merged_by(self, name: str) -> list[SdkDependency]:
        """Catalogued SDK dependencies whose AAR manifest merges `name` into the app."""
        return list(self._merges.get(name, ()))

    def removed(self, name: str) -> bool:
        """The app removes `name` from the merged manifest (`tools:node="remove"` in one of its manifests)."""
        return name in self.removed_names

    def dead(self, decl: Declaration) -> bool:
        """`maxSdkVersion` below `minSdk`: the permission is never requested on any supported device."""
        max_sdk = decl.entry.max_sdk
        return max_sdk is not None and self.min_sdk is not None and max_sdk < self.min_sdk

    def live(self, *, merged: bool = False) -> list[Declaration]:
        """Declarations that reach the app: not `tools:node="remove"`, not removed by the app, not dead."""
        return [d for d in self.declarations if d.merged == merged and not d.entry.removed
                and not self.removed(d.name) and not self.dead(d)]

    def declared(self, name: str) -> list[Declaration]:
        """Live source declarations of `name`."""
        return [d for d in self.live() if d.name == name]

    def used_names(self) -> list[str]:
        return sorted(self._by_name)


# --- evidence ------------------------------------------------------------------------------------------------


def _code_uses(src: UsageSources) -> Iterator[Use]:
    index = src.index
    for fid, site in src.sites(*src.apis.names()):
        api = src.apis.match(fid, site)
        if api is None or api.kind == "string":
            continue
        path = index.files[fid.file].path
        kind = {"uri": "uri", "intent-action": "intent"}.get(api.kind, "api")
        perms = api.permissions
        if api.kind == "uri" and _handed_to_delegate(index, fid, site):
            kind, perms = "intent", ()
        if api.max_api is not None and (min_sdk := src.min_sdk()) is not None and min_sdk > api.max_api:
            perms = ()  # the app never runs where the member needs a permission
        name = {"uri": api.member, "constructor": api.owner_simple}.get(api.kind, f"{api.owner_simple}.{api.member}")
        yield Use(kind, path, site.line, f"`{name}`", site.column, perms, api.permission_mode, api, None, fid, site)


def _background_location_uses(src: UsageSources, uses: Iterable[Use]) -> Iterator[Use]:
    """Location read where no screen is in front (a service, a receiver, a job or worker) or a geofence: the app
    uses location in the background, which needs `ACCESS_BACKGROUND_LOCATION` (Android 10 and higher)."""
    if BACKGROUND_LOCATION not in src.catalog.permissions:
        return
    index = src.index
    for use in uses:
        if use.kind != "api" or use.fid is None or use.api is None or \
                not LOCATION & set(use.permissions) or use.api.kind == "field":
            continue
        if use.api.id in GEOFENCE_APIS:
            where = "a geofence"
        else:
            cls = _background_component(index, index.function(use.fid).owner)
            if cls is None:
                continue
            where = f"`{cls.rsplit('.', 1)[-1]}`"
        yield replace(use, kind="api", detail=f"{use.detail} in {where}", permissions=(BACKGROUND_LOCATION,),
                      mode="any")


def _legacy_picker_uses(uses: Iterable[Use], declarations: Iterable[Declaration]) -> Iterator[Use]:
    """A file/media picker when every `READ_EXTERNAL_STORAGE` of the project is bounded by maxSdkVersion 28 or
    lower: the documented legacy pattern (media read through a picker up to Android 9), so the permission is
    used. An unbounded declaration is not excused: from Android 10 a picker needs no permission."""
    reads = [d for d in declarations if d.name == READ_STORAGE and not d.merged and not d.entry.removed]
    if not reads or any(d.entry.max_sdk is None or d.entry.max_sdk > LEGACY_STORAGE_MAX_API for d in reads):
        return
    for use in uses:
        if use.api is not None and use.api.id in LEGACY_PICKERS:
            yield replace(use, kind="api", detail=f"{use.detail} (shared media up to Android 9)",
                          permissions=(READ_STORAGE,), mode="any")


def _background_component(index: ProgramIndex, owner: str) -> str | None:
    """The class (`owner` or one it is nested in) that runs without a screen: a service, receiver, job or worker."""
    cls: str | None = owner
    while cls:
        if index.is_subtype(cls, *BACKGROUND_COMPONENTS):
            return cls
        decl = index.class_of(cls)
        cls = decl.outer if decl is not None else None
    return None


def _handed_to_delegate(index: ProgramIndex, fid: FnId, site: Site) -> bool:
    """The URI is an argument of `Intent(ACTION_PICK, uri)` (or another delegating action)."""
    for other in index.sites_of(fid):
        if other.name != "Intent" or other.kind not in ("new", "call") or not (other.start <= site.start
                                                                             and site.end <= other.end):
            continue
        for arg in other.args:
            if any(r.rsplit(".", 1)[-1] in DELEGATING_ACTIONS for r in arg.refs) or \
                    any(s in DELEGATING_STRINGS for s in arg.strings):
                return True
    return False


def _string_matches(entry: ApiEntry, value: str) -> bool:
    """`content://…` and path entries match as prefixes, action and MIME strings exactly."""
    if entry.member.startswith(("content://", "/")):
        return value.startswith(entry.member)
    return value == entry.member


def _string_uses(src: UsageSources) -> Iterator[Use]:
    entries = src.apis.strings()
    exact = {e.member for e in entries}
    for fi, fs in enumerate(src.index.files):
        for lit in fs.strings:
            if lit.value not in exact and not lit.value.startswith(("content://", "/")):
                continue  # matches no entry (`_string_matches`): skip the scan of the catalog
            for entry in entries:
                if _string_matches(entry, lit.value):
                    fid = FnId(fi, lit.function) if lit.function >= 0 else None
                    yield Use("string", fs.path, lit.line, f'`"{lit.value}"`', lit.column, entry.permissions,
                              entry.permission_mode, entry, None, fid, None)
                    break


def _foreground_permissions(component: Component) -> list[str]:
    types = component.element.get("android:foregroundServiceType") or ""
    out: list[str] = []
    for t in (x.strip() for x in types.split("|") if x.strip()):
        snake = "".join("_" + c if c.isupper() else c.upper() for c in t)
        out.append(f"{ANDROID}FOREGROUND_SERVICE_{snake}")
    return [ANDROID + "FOREGROUND_SERVICE", *out] if out else []


def _manifest_uses(src: UsageSources) -> Iterator[Use]:
    """Components that only work with a permission: broadcast actions that need one, foreground services."""
    by_action = {e.member: e for e in src.apis.strings() if e.permissions and "." in e.member
                 and not e.member.startswith(("content://", "/"))}
    for _mod, manifest in src.module_manifests:
        for comp in manifest.components:
            if comp.removed:
                continue
            for action in sorted(comp.actions):
                entry = by_action.get(action)
                if entry is not None:
                    yield Use("manifest", manifest.path, comp.element.line,
                              f"`<{comp.kind}>` for `{action.rsplit('.', 1)[-1]}`", comp.element.column,
                              entry.permissions, entry.permission_mode, entry)
            perms = tuple(p for p in _foreground_permissions(comp) if p in src.catalog.permissions)
            if perms:
                yield Use("manifest", manifest.path, comp.element.line,
                          f"`<service>` `{comp.name}` (foregroundServiceType)", comp.element.column, perms, "all")


def _named_in_code(src: UsageSources) -> set[str]:
    """Permissions the project's code names anywhere: `Manifest.permission.X` (or a wrapper's `Permission.X`),
    an `"android.permission.X"` literal, a constant holding one. An unresolved request can only ask for these."""
    known = src.catalog.permissions
    texts: set[str] = set()  # each text once: the same references and literals recur throughout the code
    for fs in src.index.files:
        for site in fs.sites:
            for arg in site.args:
                texts.update(arg.refs)
                texts.update(arg.strings)
        texts.update(lit.value for lit in fs.strings)
        for const in fs.constants:
            texts.update(const.values)
    names: set[str] = set()
    for text in texts:
        head, _, last = text.rpartition(".")
        if head.lower().endswith("permission") and f"android.permission.{last}" in known:
            names.add(f"android.permission.{last}")
        elif text in known:
            names.add(text)
    return names


def _request_uses(src: UsageSources, dangerous: tuple[str, ...]) -> Iterator[Use]:
    named: set[str] | None = None
    for req in src.permission_requests:
        if req.unresolved:
            if named is None:  # the permissions the code names, widened to their groups (WRITE_ → READ_STORAGE)
                named = set(src.code_memo("permission-usage:named", lambda: frozenset(_named_in_code(src))))
                groups = {src.catalog.permissions[p].group for p in named} - {""}
                named |= {p for p in dangerous if src.catalog.permissions[p].group in groups}
            covered = tuple(p for p in dangerous if p in named) if named else dangerous
            yield _site_use("unresolved", src, req.fid, req.site, covered,
                            f"`{req.site.qualified}` (permissions not resolved: `{req.unresolved}`)")
        else:
            yield _site_use("request", src, req.fid, req.site, req.permissions, f"`{req.site.qualified}`")


def _dangerous_declared(src: UsageSources, declarations: Iterable[Declaration]) -> tuple[str, ...]:
    names = []
    for d in declarations:
        perm = src.catalog.permission(d.name)
        if perm is not None and perm.protection == "dangerous":
            names.append(d.name)
    return tuple(dict.fromkeys(names))


def _check_uses(src: UsageSources) -> Iterator[Use]:
    finder = src.request_finder
    for fid, site in src.sites(*CHECK_CALLS):
        if site.kind != "call":
            continue
        perms = finder.permissions_in(fid, site.args)
        if perms:
            yield _site_use("check", src, fid, site, tuple(perms), f"`{site.qualified}`")


def _site_use(kind: str, src: UsageSources, fid: FnId, site: Site, perms: tuple[str, ...], detail: str) -> Use:
    path = src.index.files[fid.file].path
    return Use(kind, path, site.line, detail, site.column, perms, "any", None, None, fid, site)


def _sdk_uses(src: UsageSources) -> Iterator[Use]:
    imported = {imp.path for fs in src.index.files for imp in fs.imports}
    for found in src.sdks:
        sdk = src.catalog.sdk(found.sdk_id)
        # The feature needs the permissions only when the app uses the SDK: its code imports the SDK's API.
        used = any(path == p or path.startswith(p + ".") for path in imported for p in sdk.packages) or \
            _mediated(found, sdk)
        feature = sdk.feature_permissions if used else ()
        if feature:
            yield Use("sdk-feature", found.path, found.line, f"{sdk.name} (`{found.coordinate}`)", found.column,
                      feature, "any", None, sdk.id)
        others = tuple(p for p in sdk.permissions if p not in feature)
        if others:
            yield Use("sdk", found.path, found.line, f"{sdk.name} (`{found.coordinate}`)", found.column,
                      others, "any", None, sdk.id)


def _mediated(found: SdkDependency, sdk: Sdk) -> bool:
    """The module also depends on a mediation adapter for the SDK (an artifact named `adapter`/`mediation` and
    one of the SDK's names): another ad SDK's API drives it."""
    build = found.module.build
    names = {"".join(c for c in n.lower() if c.isalnum()) for n in (sdk.name.split(" (")[0], *sdk.aliases)}
    names = {n for n in names if len(n) >= 4}
    for dep in build.dependencies if build is not None else ():
        artifact = "".join(c for c in (dep.name or "").lower() if c.isalnum())
        if ("adapter" in artifact or "mediation" in artifact) and any(n in artifact for n in names):
            return True
    return False


def _declarations(src: UsageSources) -> Iterator[Declaration]:
    for mod, manifest in src.module_manifests:
        ss = _source_set_of(src, mod, manifest)
        for entry in manifest.permissions:
            yield Declaration(mod, manifest, entry, ss)
    for mod, manifest in src.merged:
        variant = _variant_of(manifest.path)
        for entry in manifest.permissions:
            yield Declaration(mod, manifest, entry, variant, merged=True)


def _in_every_variant(src: UsageSources, source_set: str) -> bool:
    """Whether a `tools:node="remove"` in this source set's manifest counts: on a per-variant view, when the
    variant has the source set; on the union, only when every analysed variant has it (a flavour's removal
    does not remove the permission from the other flavours)."""
    known = getattr(src, "variant_sets", frozenset())
    if source_set not in known:
        return True
    variant = getattr(src, "variant", None)
    if variant is not None:
        return source_set in variant.source_sets
    return all(source_set in v.source_sets for v in getattr(src, "selected", ()))


def _source_set_of(src: UsageSources, mod: Module, manifest: Manifest) -> str:
    for ss in mod.source_sets:
        if ss.manifest is not None and src.rel(ss.manifest) == manifest.path:
            return ss.name
    return "main"


def _variant_of(path: str) -> str:
    parts = path.split("/")
    for i, part in enumerate(parts[:-1]):
        if part in MERGED_DIRS and i + 1 < len(parts) - 1:
            return parts[i + 1]
    return "merged"
