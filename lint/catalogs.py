"""Typed, validated access to the reviewed data catalogs shipped in ``pipl_lint.rules/data``.

The five TOML files are the single source of truth for PI kinds, PI source / permission-using
APIs, data-collecting SDKs, Android permissions and the 39 app types of the CAC necessary-PI
regulation. :func:`load_catalog` parses and cross-checks them once per process; every schema
violation is reported as ``<file>: <entry id>: <problem>`` in a :class:`CatalogError`.
"""

from __future__ import annotations

import functools
import hashlib
import re
import tomllib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

__all__ = [
    "API_KINDS",
    "CONFIDENCE",
    "DATA_FILES",
    "PERMISSION_PROTECTIONS",
    "RESTRICTED_TAGS",
    "SDK_CALL_ROLES",
    "SDK_CATEGORIES",
    "ApiEntry",
    "AppType",
    "AutoInitProvider",
    "Catalog",
    "CatalogError",
    "ManifestFlag",
    "Permission",
    "PiKind",
    "Sdk",
    "SdkCall",
    "load_catalog",
    "load_catalog_from",
]

DATA_FILES = ("pi_kinds.toml", "permissions.toml", "apis.toml", "sdks.toml", "app_types.toml")
"""The catalog files, in the order they are loaded and fingerprinted."""

CONFIDENCE = frozenset({"V", "P", "M"})
API_KINDS = frozenset({"method", "field", "constructor", "uri", "string", "intent-action"})
SDK_CATEGORIES = frozenset(
    {
        "analytics", "push", "crash", "location", "map", "ads", "attribution", "social",
        "identifier", "monitoring", "login", "payment", "webview", "hotfix", "feedback", "backend", "im",
    }
)
SDK_CALL_ROLES = ("init", "preinit", "agree", "disable", "wakeup")
PERMISSION_PROTECTIONS = frozenset({"normal", "dangerous", "signature", "privileged", "special", "unknown"})
RESTRICTED_TAGS = frozenset(
    {
        "play-sms-calllog", "play-package-visibility", "play-all-files", "play-install-packages",
        "play-background-location", "play-photo-video", "play-exact-alarm", "play-accessibility",
        "cn-app-list",
    }
)
ANDROID_PERMISSION_PREFIX = "android.permission."

_KEBAB = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_IDENT = re.compile(r"^[A-Za-z_$][\w$]*$")
_QUALIFIED = re.compile(r"^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)+$")
_PERMISSION = re.compile(r"^[A-Za-z_][\w]*(?:\.[A-Za-z_][\w]*)+$")
_COORDINATE = re.compile(r"^[\w.*-]+(?::[\w.*-]+)?$")


class CatalogError(Exception):
    """A catalog file is missing, is not valid TOML or violates the schema.

    ``str(error)`` holds one ``<file>: <entry id>: <problem>`` line per problem;
    :attr:`problems` holds the same lines as a tuple.
    """

    def __init__(self, problems: Iterable[str]) -> None:
        self.problems: tuple[str, ...] = tuple(problems)
        super().__init__("\n".join(self.problems))


# --------------------------------------------------------------------------------------------
# Records
# --------------------------------------------------------------------------------------------


def _simple_name(qualified: str) -> str:
    """Return the class part of a qualified name: ``android.provider.Settings.Secure`` -> ``Settings.Secure``.

    Nested classes keep their outer classes, as they are written in source code; a name with no
    capitalised segment falls back to its last segment.
    """
    parts = qualified.split(".")
    for index, part in enumerate(parts):
        if part[:1].isupper():
            return ".".join(parts[index:])
    return parts[-1]


@dataclass(frozen=True, slots=True)
class PiKind:
    """A kind of personal information (``pi_kinds.toml``)."""

    id: str
    label_en: str
    label_zh: str
    sensitive: bool
    description_en: str
    aliases: tuple[str, ...] = ()  # other names a privacy policy may use (matched by the disclosure rules)


@dataclass(frozen=True, slots=True)
class ApiEntry:
    """An Android API that reads PI and/or needs a permission (``apis.toml``).

    ``owner_simple`` is the owner without its package (``Settings.Secure``). ``member`` is a
    method, field or constant name, the class's simple name for constructors, the constant path
    for ``uri`` entries and the literal prefix for ``string`` entries.
    """

    id: str
    owner: str
    owner_simple: str
    member: str
    kind: str
    pi_kind: str | None
    permissions: tuple[str, ...]
    permission_mode: str
    match: str
    args_contain: tuple[str, ...]
    min_api: int | None
    notes: str
    source: str
    confidence: str
    # The highest API level on which the member needs its permissions (legacy storage: WRITE_EXTERNAL_STORAGE
    # for a download into a public folder up to API 28); None: on every level.
    max_api: int | None = None
    # The highest API level on which the member reads personal information (`getRunningAppProcesses`: other apps'
    # processes up to API 21, only the caller's own since); None: on every level.
    pi_max_api: int | None = None

    @property
    def lookup_key(self) -> str:
        """The key of this entry in :attr:`Catalog.apis_by_member`."""
        return self.member.rsplit(".", 1)[-1] if self.kind == "uri" else self.member


@dataclass(frozen=True, slots=True)
class SdkCall:
    """One SDK call. A constructor is written with ``method`` = the class's simple name.

    ``arg`` is the 0-based index of the relevant argument (negative counts from the end, for
    overloads that add leading parameters); ``value`` is the literal that argument must have. For an init
    call, ``arg`` + ``value`` name a safe argument (`|`-separated alternatives): given it, the SDK starts
    without collecting or sending (Datadog `initialize(ctx, config, TrackingConsent.PENDING)`); an alternative
    with `=` is a named argument the argument's expression passes (Amplitude
    `Amplitude(Configuration(key, ctx, optOut = true))`).

    ``manifest_gated`` (init calls): the call hands out or starts an SDK that its manifest master switch governs
    (Firebase `FirebaseAnalytics.getInstance`, `FirebaseApp.initializeApp`): with that switch at its safe value
    the SDK collects nothing until the app turns it on at run time, and the call starts only what the app's
    dependencies ship.
    """

    owner: str
    owner_simple: str
    method: str
    arg: int | None
    value: str | None
    manifest_gated: bool = False
    # (init calls) a setter on the options object the init's configuration lambda receives, and the value
    # (`|`-separated alternatives) that keeps the SDK from sending anything: Sentry `options.dsn = ""`.
    off_option: str | None = None
    off_value: str | None = None

    def keeps_off(self, args: Sequence[str]) -> bool:
        """The call is given its safe argument: `TrackingConsent.PENDING` (or `PENDING` statically imported)."""
        if self.arg is None or self.value is None:
            return False
        i = self.arg if self.arg >= 0 else len(args) + self.arg
        if not 0 <= i < len(args):
            return False
        text = args[i].strip()
        flat = "".join(text.split())
        return any(("".join(v.split()) in flat) if "=" in v else (text == v or v.endswith("." + text)
                                                                  or text.endswith("." + v))
                   for v in self.value.split("|"))


@dataclass(frozen=True, slots=True)
class ManifestFlag:
    """An ``<application>`` ``<meta-data>`` switch of an SDK."""

    name: str
    safe: str
    default_enabled: bool
    note: str
    # Other values that keep collection off where the app is distributed outside China: Consent Mode's
    # `eu_consent_policy` denies by default in the EEA, the UK and Switzerland (granted elsewhere, China included).
    safe_outside_china: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class AutoInitProvider:
    """A ContentProvider / startup initializer an SDK merges to start itself.

    ``disabled_by`` names the SDK's manifest flags that neutralise it; empty means only
    ``tools:node="remove"`` does.
    """

    name: str
    disabled_by: tuple[str, ...]


def _coordinate_score(pattern: str, group: str, artifact: str | None) -> tuple[int, int] | None:
    """Rank how specifically ``pattern`` matches a Maven coordinate, or ``None`` if it does not.

    Exact artifact > artifact glob > ``group:*`` > bare group; ties go to the longer literal text.
    A query without an artifact only matches bare-group and ``group:*`` patterns.
    """
    group_pattern, _, artifact_pattern = pattern.partition(":")
    if not fnmatchcase(group, group_pattern):
        return None
    literal = len(pattern.replace("*", ""))
    if not artifact_pattern:
        return (0, literal)
    if artifact_pattern == "*":
        return (1, literal)
    if artifact is None or not fnmatchcase(artifact, artifact_pattern):
        return None
    return (3 if "*" not in artifact_pattern else 2, literal)


def _jar_score(pattern: str, filename: str) -> int | None:
    """Literal length of ``pattern`` if it matches the file's base name (case-insensitively)."""
    base = filename.replace("\\", "/").rsplit("/", 1)[-1].lower()
    return len(pattern.replace("*", "")) if fnmatchcase(base, pattern.lower()) else None


@dataclass(frozen=True, slots=True)
class Sdk:
    """A data-collecting third-party SDK (``sdks.toml``)."""

    id: str
    name: str
    vendor: str
    vendor_zh: str
    category: str
    coordinates: tuple[str, ...]
    jar_patterns: tuple[str, ...]
    packages: tuple[str, ...]
    policy_url: str
    pi_kinds: tuple[str, ...]
    permissions: tuple[str, ...]
    merged_permissions: tuple[str, ...]
    personalized_ads: bool
    init: tuple[SdkCall, ...]
    preinit: tuple[SdkCall, ...]
    agree: tuple[SdkCall, ...]
    disable: tuple[SdkCall, ...]
    wakeup: tuple[SdkCall, ...]
    manifest_flags: tuple[ManifestFlag, ...]
    autoinit_providers: tuple[AutoInitProvider, ...]
    fix: str
    source: str
    confidence: str
    fix_zh: str = ""  # the fix in Simplified Chinese (optional; English is shown when empty)
    aliases: tuple[str, ...] = ()  # product names a privacy policy may use (matched by the disclosure rules)
    # Permissions the SDK's own feature needs (vendor integration docs): the SDK uses them, so they are not unused.
    feature_permissions: tuple[str, ...] = ()
    # The <meta-data> that configures the SDK (its app id): what makes it start itself from the manifest, so a
    # missing switch is reported there when the app sets it.
    manifest_key: str = ""
    # The first version that starts itself (its providers and manifest switches); an older dependency version
    # starts only when the app's code calls its init ("" = every version).
    autostart_since: str = ""

    def starts_itself(self, version: str | None) -> bool:
        """Whether a dependency at `version` merges the SDK's self-start (an unknown or unparsable version: yes)."""
        if not self.autostart_since or not version:
            return True
        have, since = _numeric_version(version), _numeric_version(self.autostart_since)
        return have is None or since is None or have >= since

    def coordinate_score(self, group: str, artifact: str | None) -> tuple[int, int] | None:
        """Best specificity with which one of :attr:`coordinates` matches, or ``None``."""
        scores = (_coordinate_score(pattern, group, artifact) for pattern in self.coordinates)
        return max((score for score in scores if score is not None), default=None)

    def matches_coordinate(self, group: str, artifact: str | None) -> bool:
        """Whether the Maven ``group[:artifact]`` belongs to this SDK (``*`` wildcards, bare groups)."""
        return self.coordinate_score(group, artifact) is not None

    def jar_score(self, filename: str) -> int | None:
        """Best literal length with which one of :attr:`jar_patterns` matches, or ``None``."""
        scores = (_jar_score(pattern, filename) for pattern in self.jar_patterns)
        return max((score for score in scores if score is not None), default=None)

    def matches_jar(self, filename: str) -> bool:
        """Whether a jar/aar file name (a path is fine) matches one of :attr:`jar_patterns`."""
        return self.jar_score(filename) is not None

    def calls(self) -> Iterable[tuple[str, SdkCall]]:
        """Every call of this SDK with its role, in role order."""
        for role in SDK_CALL_ROLES:
            for call in getattr(self, role):
                yield role, call


@dataclass(frozen=True, slots=True)
class Permission:
    """An Android permission (``permissions.toml``)."""

    name: str
    short: str
    protection: str
    group: str
    pi_kind: str | None
    added_api: int | None
    restricted: tuple[str, ...]
    never_grantable: bool
    legacy_max_sdk: int
    alternative: str
    source: str
    confidence: str
    alternative_zh: str = ""  # the alternative in Simplified Chinese (optional; English is shown when empty)

    @property
    def dangerous(self) -> bool:
        """Whether this is a runtime (dangerous) permission."""
        return self.protection == "dangerous"


@dataclass(frozen=True, slots=True)
class AppType:
    """One of the 39 app types of 《常见类型移动互联网应用程序必要个人信息范围规定》 (``app_types.toml``)."""

    number: int
    key: str
    name_zh: str
    name_en: str
    basic_function_zh: str
    necessary_pi_zh: tuple[str, ...]
    necessary_pi_kinds: tuple[str, ...]
    notes: str
    source: str
    confidence: str


@dataclass(frozen=True, slots=True)
class Catalog:
    """All catalogs, cross-validated, with lookup indexes."""

    pi_kinds: dict[str, PiKind]
    apis: tuple[ApiEntry, ...]
    sdks: tuple[Sdk, ...]
    permissions: dict[str, Permission]
    app_types: tuple[AppType, ...]
    apis_by_member: dict[str, tuple[ApiEntry, ...]]
    sdk_calls_by_method: dict[str, tuple[tuple[Sdk, str, SdkCall], ...]]
    digest: str = field(default="", repr=False, compare=False)

    @classmethod
    def of(cls, pi_kinds: dict[str, PiKind], apis: tuple[ApiEntry, ...], sdks: tuple[Sdk, ...],
           permissions: dict[str, Permission], app_types: tuple[AppType, ...], digest: str) -> Catalog:
        """The catalog of these entries, with its lookup indexes built (from the files, or from the cache)."""
        return cls(pi_kinds=pi_kinds, apis=apis, sdks=sdks, permissions=permissions, app_types=app_types,
                   apis_by_member=_index_apis(apis), sdk_calls_by_method=_index_sdk_calls(sdks), digest=digest)

    def sdk(self, id: str) -> Sdk:
        """The SDK with this id; ``KeyError`` if there is none."""
        for sdk in self.sdks:
            if sdk.id == id:
                return sdk
        raise KeyError(id)

    def sdk_for_coordinate(self, group: str, artifact: str | None) -> Sdk | None:
        """The SDK whose coordinate pattern matches ``group[:artifact]`` most specifically."""
        best: tuple[tuple[int, int], Sdk] | None = None
        for sdk in self.sdks:
            score = sdk.coordinate_score(group, artifact)
            if score is not None and (best is None or score > best[0]):
                best = (score, sdk)
        return best[1] if best else None

    def sdk_for_jar(self, filename: str) -> Sdk | None:
        """The SDK whose jar pattern matches the file name most specifically."""
        best: tuple[int, Sdk] | None = None
        for sdk in self.sdks:
            score = sdk.jar_score(filename)
            if score is not None and (best is None or score > best[0]):
                best = (score, sdk)
        return best[1] if best else None

    def sdks_for_jar(self, filename: str) -> tuple[Sdk, ...]:
        """Every SDK in a jar/aar: vendors ship combined jars whose name lists each part after an underscore
        (`AMap3DMap_9.7.0_AMapSearch_9.7.0_AMapLocation_6.3.0_20230526.jar`: map, search and location), so
        the name and each of its parts that starts with a letter after `_` are matched, most specific first."""
        base = filename.replace("\\", "/").rsplit("/", 1)[-1]
        parts = [base] + [base[i + 1 :] for i, c in enumerate(base) if c == "_" and base[i + 1 : i + 2].isalpha()]
        found: list[Sdk] = []
        for part in parts:
            scored = [(score, sdk) for sdk in self.sdks if (score := sdk.jar_score(part)) is not None]
            best = max((score for score, _sdk in scored), default=None)
            # equal patterns in several entries mean one jar ships them all (BaiduLBS_Android.jar: map + location)
            found += [sdk for score, sdk in scored if score == best and sdk not in found]
        return tuple(found)

    def permission(self, name: str) -> Permission | None:
        """A permission by full name, or by short name in the ``android.permission.`` namespace."""
        name = name.strip()
        found = self.permissions.get(name)
        if found is None and "." not in name:
            found = self.permissions.get(ANDROID_PERMISSION_PREFIX + name)
        return found

    def app_type(self, ref: str | int) -> AppType | None:
        """An app type by number, key, ``name_zh`` (the trailing 类 is optional) or ``name_en``."""
        if isinstance(ref, int) or (isinstance(ref, str) and ref.strip().isdigit()):
            number = int(ref)
            return next((t for t in self.app_types if t.number == number), None)
        wanted = ref.strip().casefold()
        for app_type in self.app_types:
            names = {app_type.key, app_type.name_zh, app_type.name_zh.removesuffix("类"), app_type.name_en}
            if wanted in {n.casefold() for n in names}:
                return app_type
        return None

    def fingerprint(self) -> str:
        """SHA-256 (hex) of the raw bytes of all data files, for cache invalidation."""
        return self.digest


# --------------------------------------------------------------------------------------------
# Parsing and validation
# --------------------------------------------------------------------------------------------

_T = TypeVar("_T")
_MISSING = object()


class _Problems:
    """Collects ``<file>: <entry id>: <problem>`` lines."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def add(self, file: str, entry: str, problem: str) -> None:
        self.lines.append(f"{file}: {entry}: {problem}")


class _Entry:
    """Typed accessors over one TOML table that record problems and reject unknown keys."""

    def __init__(self, problems: _Problems, file: str, raw: Mapping[str, Any], label: str) -> None:
        self.problems, self.file, self.raw, self.label = problems, file, raw, label
        self.seen: set[str] = set()

    def fail(self, problem: str) -> None:
        self.problems.add(self.file, self.label, problem)

    def _get(self, key: str, kind: type | tuple[type, ...], type_name: str, required: bool) -> Any:
        self.seen.add(key)
        value = self.raw.get(key, _MISSING)
        if value is _MISSING:
            if required:
                self.fail(f"missing required key '{key}'")
            return _MISSING
        if isinstance(value, bool) and kind is not bool:
            self.fail(f"'{key}' must be {type_name}, got a boolean")
            return _MISSING
        if not isinstance(value, kind):
            self.fail(f"'{key}' must be {type_name}, got {type(value).__name__}")
            return _MISSING
        return value

    def text(self, key: str, default: str | None = None, *, choices: Iterable[str] | None = None,
             pattern: re.Pattern[str] | None = None, nonempty: bool = False) -> str:
        value = self._get(key, str, "a string", default is None)
        if value is _MISSING:
            return default or ""
        if nonempty and not value.strip():
            self.fail(f"'{key}' must not be empty")
        if choices is not None and value not in choices:
            self.fail(f"'{key}' = {value!r} is not one of {sorted(choices)}")
        if pattern is not None and not pattern.match(value):
            self.fail(f"'{key}' = {value!r} is malformed")
        return value

    def optional_text(self, key: str) -> str | None:
        value = self._get(key, str, "a string", False)
        return None if value is _MISSING else value

    def flag(self, key: str, default: bool | None = None) -> bool:
        value = self._get(key, bool, "a boolean", default is None)
        return bool(default) if value is _MISSING else value

    def integer(self, key: str, default: int | None = None, *, required: bool = False,
                low: int | None = None, high: int | None = None) -> int | None:
        value = self._get(key, int, "an integer", required)
        if value is _MISSING:
            return default
        if (low is not None and value < low) or (high is not None and value > high):
            self.fail(f"'{key}' = {value} is out of range")
        return value

    def texts(self, key: str, *, required: bool = False, pattern: re.Pattern[str] | None = None,
              choices: Iterable[str] | None = None) -> tuple[str, ...]:
        value = self._get(key, list, "a list of strings", required)
        if value is _MISSING:
            return ()
        if not all(isinstance(item, str) for item in value):
            self.fail(f"'{key}' must be a list of strings")
            return ()
        for item in value:
            if pattern is not None and not pattern.match(item):
                self.fail(f"'{key}' item {item!r} is malformed")
            if choices is not None and item not in choices:
                self.fail(f"'{key}' item {item!r} is not one of {sorted(choices)}")
        if len(set(value)) != len(value):
            self.fail(f"'{key}' has duplicate items")
        return tuple(value)

    def tables(self, key: str) -> list[Mapping[str, Any]]:
        value = self._get(key, list, "an array of tables", False)
        if value is _MISSING:
            return []
        if not all(isinstance(item, dict) for item in value):
            self.fail(f"'{key}' must be an array of tables ([[...{key}]])")
            return []
        return value

    def provenance(self) -> tuple[str, str]:
        return self.text("source", nonempty=True), self.text("confidence", choices=CONFIDENCE)

    def finish(self) -> None:
        unknown = sorted(set(self.raw) - self.seen)
        if unknown:
            self.fail(f"unknown key(s) {', '.join(repr(k) for k in unknown)}")


def _entries(problems: _Problems, file: str, document: Mapping[str, Any], array: str,
             id_key: str) -> Iterable[_Entry]:
    """Yield one :class:`_Entry` per ``[[array]]`` table; reject other top-level keys."""
    for key in sorted(set(document) - {array}):
        problems.add(file, "-", f"unknown top-level key {key!r} (expected only [[{array}]] tables)")
    tables = document.get(array, [])
    if not isinstance(tables, list) or not all(isinstance(t, dict) for t in tables):
        problems.add(file, "-", f"'{array}' must be an array of tables ([[{array}]])")
        return
    for index, raw in enumerate(tables, start=1):
        ident = raw.get(id_key)
        label = str(ident) if isinstance(ident, str | int) and not isinstance(ident, bool) else f"#{index}"
        yield _Entry(problems, file, raw, label)


def _unique(problems: _Problems, file: str, items: Iterable[tuple[str, str]], what: str) -> None:
    """Report repeated values; ``items`` are (entry label, value) pairs."""
    seen: dict[str, str] = {}
    for label, value in items:
        if value in seen:
            problems.add(file, label, f"duplicate {what} {value!r} (also in {seen[value]})")
        else:
            seen[value] = label


def _parse_pi_kinds(problems: _Problems, doc: Mapping[str, Any]) -> list[PiKind]:
    file, out = "pi_kinds.toml", []
    for e in _entries(problems, file, doc, "kind", "id"):
        kind = PiKind(
            id=e.text("id", pattern=_KEBAB), label_en=e.text("label_en", nonempty=True),
            label_zh=e.text("label_zh", nonempty=True), sensitive=e.flag("sensitive"),
            description_en=e.text("description_en", nonempty=True), aliases=e.texts("aliases"),
        )
        e.provenance()
        e.finish()
        out.append(kind)
    _unique(problems, file, ((k.id, k.id) for k in out), "id")
    return out


def _parse_permissions(problems: _Problems, doc: Mapping[str, Any]) -> list[tuple[Permission, _Entry]]:
    file, out = "permissions.toml", []
    for e in _entries(problems, file, doc, "permission", "name"):
        name = e.text("name", pattern=_PERMISSION)
        protection = e.text("protection", choices=PERMISSION_PROTECTIONS)
        source, confidence = e.provenance()
        permission = Permission(
            name=name, short=name.rsplit(".", 1)[-1], protection=protection, group=e.text("group", ""),
            pi_kind=e.optional_text("pi_kind"), added_api=e.integer("added_api", low=1),
            restricted=e.texts("restricted", choices=RESTRICTED_TAGS), never_grantable=e.flag("never_grantable", False),
            legacy_max_sdk=e.integer("legacy_max_sdk", 0, low=0) or 0, alternative=e.text("alternative", ""),
            source=source, confidence=confidence, alternative_zh=e.text("alternative_zh", ""),
        )
        if permission.never_grantable and protection not in ("signature", "privileged"):
            e.fail("never_grantable = true needs protection 'signature' or 'privileged'")
        e.finish()
        out.append((permission, e))
    _unique(problems, file, ((p.name, p.name) for p, _ in out), "name")
    return out


def _parse_apis(problems: _Problems, doc: Mapping[str, Any]) -> list[tuple[ApiEntry, _Entry]]:
    file, out = "apis.toml", []
    for e in _entries(problems, file, doc, "api", "id"):
        kind = e.text("kind", choices=API_KINDS)
        owner = e.text("owner", pattern=_QUALIFIED)
        member = e.text("member", nonempty=True)
        if kind in ("method", "field", "constructor", "intent-action") and member and not _IDENT.match(member):
            e.fail(f"'member' = {member!r} must be a plain identifier for kind {kind!r}")
        if kind == "uri" and member and not re.match(r"^[\w$]+(?:\.[\w$]+)+$", member):
            e.fail(f"'member' = {member!r} must be a constant path such as 'ContactsContract.Contacts.CONTENT_URI'")
        entry_id = e.text("id", pattern=_KEBAB)
        pi_kind = e.optional_text("pi_kind")
        permissions = e.texts("permissions", pattern=_PERMISSION)
        mode = e.text("permission_mode", "any", choices=("any", "all"))
        match = e.text("match", choices=("name", "owner"))
        args = e.texts("args_contain")
        min_api = e.integer("min_api", low=1)
        max_api = e.integer("max_api", low=1)
        pi_max_api = e.integer("pi_max_api", low=1)
        notes = e.text("notes", "")
        source, confidence = e.provenance()
        out.append((ApiEntry(
            id=entry_id, owner=owner, owner_simple=_simple_name(owner) if owner else "", member=member, kind=kind,
            pi_kind=pi_kind, permissions=permissions, permission_mode=mode, match=match, args_contain=args,
            min_api=min_api, notes=notes, source=source, confidence=confidence, max_api=max_api,
            pi_max_api=pi_max_api,
        ), e))
        e.finish()
    _unique(problems, file, ((a.id, a.id) for a, _ in out), "id")
    return out


def _parse_call(parent: _Entry, raw: Mapping[str, Any], role: str, index: int) -> SdkCall:
    e = _Entry(parent.problems, parent.file, raw, f"{parent.label} [{role} #{index}]")
    owner = e.text("owner", pattern=_QUALIFIED)
    method = e.text("method", pattern=_IDENT)
    arg = e.integer("arg")
    value = e.optional_text("value")
    gated = e.flag("manifest_gated", False)
    off_option = e.optional_text("off_option")
    off_value = e.optional_text("off_value")
    e.finish()
    if (off_option is None) != (off_value is None):
        e.fail("'off_option' and 'off_value' go together")
    if off_option is not None and role != "init":
        e.fail("'off_option' is for init calls")
    if role == "agree" and arg is None:
        e.fail("an agree call needs 'arg' (index of the boolean consent argument)")
    if value is not None and arg is None:
        e.fail("'value' needs 'arg'")
    if gated and role != "init":
        e.fail("'manifest_gated' is for init calls")
    return SdkCall(owner=owner, owner_simple=_simple_name(owner) if owner else "", method=method, arg=arg, value=value,
                   manifest_gated=gated, off_option=off_option, off_value=off_value)


def _parse_sdks(problems: _Problems, doc: Mapping[str, Any]) -> list[tuple[Sdk, _Entry]]:
    file, out = "sdks.toml", []
    for e in _entries(problems, file, doc, "sdk", "id"):
        calls = {
            role: tuple(_parse_call(e, raw, role, i) for i, raw in enumerate(e.tables(role), start=1))
            for role in SDK_CALL_ROLES
        }
        flags = []
        for i, raw in enumerate(e.tables("manifest_flag"), start=1):
            f = _Entry(problems, file, raw, f"{e.label} [manifest_flag #{i}]")
            flags.append(ManifestFlag(name=f.text("name", nonempty=True), safe=f.text("safe"),
                                      default_enabled=f.flag("default_enabled"), note=f.text("note", ""),
                                      safe_outside_china=f.texts("safe_outside_china")))
            f.finish()
        providers = []
        for i, raw in enumerate(e.tables("autoinit_provider"), start=1):
            p = _Entry(problems, file, raw, f"{e.label} [autoinit_provider #{i}]")
            name = p.text("name", pattern=_QUALIFIED)
            providers.append(AutoInitProvider(name=name, disabled_by=p.texts("disabled_by")))
            p.finish()
        source, confidence = e.provenance()
        sdk = Sdk(
            id=e.text("id", pattern=_KEBAB), name=e.text("name", nonempty=True), vendor=e.text("vendor", nonempty=True),
            vendor_zh=e.text("vendor_zh", ""), category=e.text("category", choices=SDK_CATEGORIES),
            coordinates=e.texts("coordinates", pattern=_COORDINATE), jar_patterns=e.texts("jar_patterns"),
            packages=e.texts("packages", pattern=_QUALIFIED), policy_url=e.text("policy_url", ""),
            pi_kinds=e.texts("pi_kinds"), permissions=e.texts("permissions", pattern=_PERMISSION),
            merged_permissions=e.texts("merged_permissions", pattern=_PERMISSION),
            personalized_ads=e.flag("personalized_ads", False), manifest_flags=tuple(flags),
            autoinit_providers=tuple(providers), fix=e.text("fix", nonempty=True), source=source,
            fix_zh=e.text("fix_zh", ""), aliases=e.texts("aliases"),
            feature_permissions=e.texts("feature_permissions", pattern=_PERMISSION),
            manifest_key=e.text("manifest_key", ""), confidence=confidence,
            autostart_since=e.text("autostart_since", ""), **calls,
        )
        if not (sdk.coordinates or sdk.jar_patterns or sdk.packages):
            e.fail("needs at least one of 'coordinates', 'jar_patterns' or 'packages' to be recognisable")
        if not (sdk.init or sdk.autoinit_providers or sdk.manifest_flags or sdk.agree):
            e.fail("needs at least one init/agree call, autoinit_provider or manifest_flag")
        flag_names = {f.name for f in flags}
        for provider in providers:
            for name in sorted(set(provider.disabled_by) - flag_names):
                e.fail(f"autoinit_provider {provider.name!r}: disabled_by {name!r} is not a manifest_flag here")
        _unique(problems, file, ((e.label, f.name) for f in flags), "manifest_flag")
        e.finish()
        out.append((sdk, e))
    _unique(problems, file, ((s.id, s.id) for s, _ in out), "id")
    return out


def _parse_app_types(problems: _Problems, doc: Mapping[str, Any]) -> list[tuple[AppType, _Entry]]:
    file, out = "app_types.toml", []
    for e in _entries(problems, file, doc, "type", "key"):
        source, confidence = e.provenance()
        app_type = AppType(
            number=e.integer("number", required=True, low=1, high=39) or 0, key=e.text("key", pattern=_KEBAB),
            name_zh=e.text("name_zh", nonempty=True), name_en=e.text("name_en", nonempty=True),
            basic_function_zh=e.text("basic_function_zh", nonempty=True),
            necessary_pi_zh=e.texts("necessary_pi_zh", required=True), necessary_pi_kinds=e.texts("necessary_pi_kinds"),
            notes=e.text("notes", ""), source=source, confidence=confidence,
        )
        e.finish()
        out.append((app_type, e))
    for attr in ("number", "key", "name_zh", "name_en"):
        _unique(problems, file, ((t.key, str(getattr(t, attr))) for t, _ in out), attr)
    return out


def _check_refs(entry: _Entry, what: str, values: Iterable[str | None], known: Mapping[str, object],
                catalog_file: str) -> None:
    for value in values:
        if value is not None and value not in known:
            entry.fail(f"{what} {value!r} is not in {catalog_file}")


def _index_apis(apis: Iterable[ApiEntry]) -> dict[str, tuple[ApiEntry, ...]]:
    return _group(apis, lambda api: api.lookup_key)


def _index_sdk_calls(sdks: Iterable[Sdk]) -> dict[str, tuple[tuple[Sdk, str, SdkCall], ...]]:
    triples = [(sdk, role, call) for sdk in sdks for role, call in sdk.calls()]
    return _group(triples, lambda triple: triple[2].method)


def _group(items: Iterable[_T], key: Callable[[_T], str]) -> dict[str, tuple[_T, ...]]:
    grouped: dict[str, list[_T]] = {}
    for item in items:
        grouped.setdefault(key(item), []).append(item)
    return {k: tuple(v) for k, v in grouped.items()}


def _build(raw_files: Mapping[str, bytes]) -> Catalog:
    """Parse, validate and index the five catalog files given as raw bytes."""
    problems = _Problems()
    docs: dict[str, dict[str, Any]] = {}
    for name in DATA_FILES:
        data = raw_files.get(name)
        if data is None:
            problems.add(name, "-", "file is missing")
            docs[name] = {}
            continue
        try:
            docs[name] = tomllib.loads(data.decode("utf-8"))
        except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            problems.add(name, "-", f"cannot be parsed: {exc}")
            docs[name] = {}

    pi_kinds = {k.id: k for k in _parse_pi_kinds(problems, docs["pi_kinds.toml"])}
    permission_rows = _parse_permissions(problems, docs["permissions.toml"])
    permissions = {p.name: p for p, _ in permission_rows}
    api_rows = _parse_apis(problems, docs["apis.toml"])
    sdk_rows = _parse_sdks(problems, docs["sdks.toml"])
    type_rows = _parse_app_types(problems, docs["app_types.toml"])

    for permission, entry in permission_rows:
        _check_refs(entry, "pi_kind", [permission.pi_kind], pi_kinds, "pi_kinds.toml")
    for api, entry in api_rows:
        _check_refs(entry, "pi_kind", [api.pi_kind], pi_kinds, "pi_kinds.toml")
        _check_refs(entry, "permission", api.permissions, permissions, "permissions.toml")
    for sdk, entry in sdk_rows:
        _check_refs(entry, "pi_kind", sdk.pi_kinds, pi_kinds, "pi_kinds.toml")
        _check_refs(entry, "permission", sdk.permissions + sdk.merged_permissions + sdk.feature_permissions,
                    permissions, "permissions.toml")
    for app_type, entry in type_rows:
        _check_refs(entry, "pi_kind", app_type.necessary_pi_kinds, pi_kinds, "pi_kinds.toml")
        if not app_type.necessary_pi_zh and app_type.necessary_pi_kinds:
            entry.fail("necessary_pi_kinds must be empty when necessary_pi_zh is empty")

    if problems.lines:
        raise CatalogError(problems.lines)

    apis = tuple(api for api, _ in api_rows)
    sdks = tuple(sdk for sdk, _ in sdk_rows)
    return Catalog.of(pi_kinds, apis, sdks, permissions,
                      tuple(sorted((t for t, _ in type_rows), key=lambda t: t.number)), _digest(raw_files))


def _digest(raw_files: Mapping[str, bytes]) -> str:
    digest = hashlib.sha256()
    for name in DATA_FILES:
        digest.update(name.encode() + b"\0" + raw_files.get(name, b"") + b"\0")
    return digest.hexdigest()


@functools.cache
def _shipped_files() -> dict[str, bytes]:
    data = resources.files("pipl_lint.rules") / "data"
    raw: dict[str, bytes] = {}
    for name in DATA_FILES:
        resource = data / name
        if resource.is_file():
            raw[name] = resource.read_bytes()
    return raw


@functools.cache
def load_catalog() -> Catalog:
    """The catalog shipped with pipl-lint (parsed once per process)."""
    return _build(_shipped_files())


@functools.cache
def catalog_fingerprint() -> str:
    """`load_catalog().fingerprint()` without parsing the catalog (a warm run that reuses its results never
    needs the catalog itself)."""
    return _digest(_shipped_files())


def load_catalog_from(path: Path) -> Catalog:
    """Load and validate the five catalog files from the directory ``path`` (not cached)."""
    path = Path(path)
    if not path.is_dir():
        raise CatalogError([f"{path}: -: not a directory"])
    return _build({name: (path / name).read_bytes() for name in DATA_FILES if (path / name).is_file()})


def _numeric_version(text: str) -> tuple[int, ...] | None:
    """`1.7.16` → (1, 7, 16); `2.0.0-beta01` → (2, 0, 0); None when it does not start with a number (`$v`, `+`)."""
    parts: list[int] = []
    for piece in text.strip().split("."):
        digits = ""
        for ch in piece:
            if not ch.isdigit():
                break
            digits += ch
        if not digits:
            break
        parts.append(int(digits))
        if len(digits) < len(piece):
            break
    return tuple(parts) if parts else None
