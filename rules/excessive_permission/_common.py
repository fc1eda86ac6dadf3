"""What the excessive-permission rules share: placing a finding on a `<uses-permission>` line, wording,
store restrictions and legacy bounds (so that one declaration gets one finding), default-handler
components, what runs at startup, and `tools:node="remove"` edits.

Division of work between the rules, so that a declaration is reported once for one problem:
- the declaration itself is the problem: `permission-never-grantable`, `permission-name-unknown`,
  `permission-store-restricted`, `legacy-permission-unbounded` — these also say when nothing uses it;
- nothing uses it: `permission-declared-unused` (no code, no request, at most an SDK),
  `permission-requested-unused` (only requested or checked);
- it is used, but more than the use needs: `read-phone-state-for-identifiers`,
  `camera-for-capture-intent-only`, `fine-location-for-coarse-use`, `permission-not-necessary-for-category`;
- it only arrives from libraries: `merged-permission-unused` (build output), `sdk-merged-dangerous-permission`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import TypeVar

from pipl_lint.catalogs import Permission
from pipl_lint.findings import Edit, Finding, Severity
from pipl_lint.i18n import Msg, tidy
from pipl_lint.model.manifest import Manifest
from pipl_lint.model.permission_usage import Declaration, PermissionUsage, Use
from pipl_lint.model.reach import PreConsent
from pipl_lint.ruleapi import Context, RuleMeta

T = TypeVar("T")

ANDROID = "android.permission."
FINE = ANDROID + "ACCESS_FINE_LOCATION"
COARSE = ANDROID + "ACCESS_COARSE_LOCATION"
BACKGROUND = ANDROID + "ACCESS_BACKGROUND_LOCATION"
CAMERA = ANDROID + "CAMERA"
TOOLS_NS = "http://schemas.android.com/tools"
# apis.toml entries that hand the capture to another app (no permission unless CAMERA is declared).
CAPTURE_DELEGATES = frozenset({
    "intent-action-image-capture", "intent-action-video-capture", "string-action-image-capture",
    "string-action-video-capture", "activity-result-take-picture", "activity-result-take-picture-preview",
    "activity-result-capture-video", "gms-code-scanner-get-client",
})
# PI kinds whose normal-level permissions still matter when a library merges them in.
IDENTIFIER_KINDS = frozenset({"advertising-id", "device-id"})

# Components that make an app a default handler (Google Play's SMS / Call Log exceptions).
SMS_HANDLER_ACTIONS = frozenset({"android.provider.Telephony.SMS_DELIVER",
                                 "android.provider.Telephony.WAP_PUSH_DELIVER",
                                 "android.intent.action.RESPOND_VIA_MESSAGE"})
PHONE_HANDLER_ACTIONS = frozenset({"android.intent.action.DIAL", "android.telecom.InCallService",
                                   "android.telecom.CallScreeningService"})
ASSISTANT_ACTIONS = frozenset({"android.service.voice.VoiceInteractionService"})
ACCESSIBILITY = ("android.permission.BIND_ACCESSIBILITY_SERVICE", "android.accessibilityservice.AccessibilityService")
NOTIFICATION_LISTENER = ("android.permission.BIND_NOTIFICATION_LISTENER_SERVICE",
                         "android.service.notification.NotificationListenerService")


def memo(ctx: Context, key: str, build: Callable[[], T]) -> T:
    """A value computed once per Context and shared by the rules of this category."""
    return ctx.memo("excessive-permission:" + key, build)


# --- wording -------------------------------------------------------------------------------------------------


def short(name: str) -> str:
    """`android.permission.CAMERA` → `CAMERA`; other namespaces keep their full name."""
    return name[len(ANDROID):] if name.startswith(ANDROID) else name


def code(name: str) -> str:
    return f"`{short(name)}`"


def say(ctx: Context, meta: RuleMeta, key: str, **params: object) -> Msg:
    """`ctx.say`, tidied."""
    return tidy(ctx.say(meta, key, **params))


def fix_text(ctx: Context, meta: RuleMeta, key: str, **params: object) -> Msg:
    """`ctx.fix_text`, tidied."""
    return tidy(ctx.fix_text(meta, key, **params))


def listing(items: Iterable[str | Msg], limit: int = 2) -> Msg:
    """`A and B`, `A, B and 3 more` (Chinese: `A 和 B`, `A、B 及另外 3 项`)."""
    msgs = [i if isinstance(i, Msg) else Msg(i) for i in dict.fromkeys(items)]
    shown = msgs[:limit]
    more = len(msgs) - limit
    en = [m.en for m in shown]
    zh = [m.get("zh") for m in shown]
    if more > 0:
        return Msg(", ".join(en) + f" and {more} more", "、".join(zh) + f" 及另外 {more} 项")
    if len(shown) > 1:
        return Msg(", ".join(en[:-1]) + " and " + en[-1], "、".join(zh[:-1]) + " 和 " + zh[-1])
    return Msg(", ".join(en), "、".join(zh))


def where(uses: Iterable[Use], limit: int = 2) -> Msg:
    """`TelephonyManager.getImei` (DeviceIdProvider.java:38) and 1 more — one entry per line of code."""
    first: dict[tuple[str, int], Use] = {}
    for u in uses:
        first.setdefault((u.path, u.line), u)
    return listing((Msg(f"{u.detail} ({u.path.rsplit('/', 1)[-1]}:{u.line})",
                        f"{u.detail}（{u.path.rsplit('/', 1)[-1]}:{u.line}）") for u in first.values()), limit)


def sdk_names(uses: Iterable[Use]) -> Msg:
    return listing((u.detail.split(" (", 1)[0] for u in uses), 2)


def is_debug_path(path: str) -> bool:
    """`app/src/debug/AndroidManifest.xml`, `app/src/cnDebug/…`: a debug-only source set."""
    parts = path.split("/")
    return "src" in parts[:-1] and "debug" in parts[parts.index("src") + 1].lower()


def remove_line(name: str) -> str:
    return f'`<uses-permission android:name="{name}" tools:node="remove" />`'


def artifact(coordinate: str) -> str:
    """`com.umeng.umsdk:common:9.8.5` → `com.umeng.umsdk:common`."""
    return ":".join(coordinate.split(":")[:2])


def merged_note(usage: PermissionUsage, name: str) -> Msg:
    """` com.umeng.umsdk:common also merges it: …` when deleting the line is not enough."""
    sdks = list(dict.fromkeys(f"`{artifact(s.coordinate)}`" for s in usage.merged_by(name)))
    if not sdks:
        return Msg("")
    verb = "merges" if len(sdks) == 1 else "merge"
    shown = listing(sdks)
    return Msg(f" {shown.en} also {verb} it from the library manifest: declare {remove_line(name)} in the app "
               f"manifest instead of deleting the line.",
               f"{shown.get('zh')} 也会从库清单中合并该权限：请在应用清单中声明 {remove_line(name)}，"
               f"而不是删除这一行。")


def alternative(perm: Permission | None) -> Msg:
    """` <the catalog's alternative>` after a fix sentence (the Chinese one when permissions.toml has it)."""
    if perm is None or not perm.alternative:
        return Msg("")
    return Msg(f" {perm.alternative}", perm.alternative_zh or None)


# --- findings on declarations --------------------------------------------------------------------------------


def with_severity(ctx: Context, meta: RuleMeta, finding: Finding, severity: Severity | None) -> Finding:
    """A finding with its own severity, unless the configuration sets one for the rule."""
    if severity is None or meta.id in ctx.config.severity or meta.name in ctx.config.severity:
        return finding
    return replace(finding, severity=severity)


def declaration_finding(ctx: Context, meta: RuleMeta, decl: Declaration, message: str | Msg, *, fix: str | Msg,
                        severity: Severity | None = None, edits: tuple[Edit, ...] = (),
                        references: tuple[str, ...] = ()) -> Finding:
    span = ctx.element_span(decl.entry.element)
    finding = ctx.finding(meta, decl.path, span, message, fix=fix, anchor=decl.name, edits=edits,
                          references=references)
    return with_severity(ctx, meta, finding, severity)


def permission(ctx: Context, name: str) -> Permission | None:
    return ctx.catalog.permissions.get(name)


def covered(ctx: Context, name: str) -> bool:
    """The catalog knows how code uses `name`: some API, URI, string or intent action in apis.toml needs it."""
    def build() -> frozenset[str]:
        return frozenset(p for api in ctx.catalog.apis for p in api.permissions)
    return name in memo(ctx, "covered", build)


def capture_only(ctx: Context) -> list[Use]:
    """The capture intents / delegated scanners that are the project's only camera use (empty otherwise)."""
    usage = ctx.permission_usage
    if any(u.kind not in ("request", "check", "unresolved") for u in usage.uses(CAMERA)):
        return []
    return [u for u in usage.catalog_uses() if u.api is not None and u.api.id in CAPTURE_DELEGATES]


def requested_unused(ctx: Context, name: str) -> bool:
    """Only runtime requests and checks name it, although the catalog knows what would use it. An SDK that may
    only collect with it (in its `permissions`, not its `feature_permissions`) does not count: asking the user
    for a permission that only an SDK's own collection uses is still asking for nothing the app does."""
    uses = [u for u in ctx.permission_usage.uses(name) if u.kind != "unresolved"  # may ask for anything
            and not (u.kind == "sdk" and u.sdk is not None and name not in ctx.catalog.sdk(u.sdk).feature_permissions)]
    if not uses or any(u.kind not in ("request", "check") for u in uses) or not covered(ctx, name):
        return False
    if not any(u.kind == "request" for u in uses):
        return False  # only checked, never asked for: nothing grants it (permission-declared-unused)
    perm = permission(ctx, name)
    if perm is None or perm.protection != "dangerous":
        return False
    return not (name == CAMERA and capture_only(ctx))


def unused_note(usage: PermissionUsage, name: str) -> Msg:
    return Msg("") if usage.is_used(name) else Msg("; nothing in the project uses it", "；项目中也没有任何代码使用它")


def merge_relevant(perm: Permission | None) -> bool:
    """A permission worth removing when only a library brings it: dangerous, special or store-restricted, or a
    normal one that unlocks a persistent identifier (`AD_ID`)."""
    if perm is None:
        return False
    return perm.protection in ("dangerous", "special") or bool(perm.restricted) or perm.pi_kind in IDENTIFIER_KINDS


def app_uses(usage: PermissionUsage, name: str) -> list[Use]:
    """Uses by the project itself: code, manifests, requests and checks (not SDKs)."""
    return [u for u in usage.uses(name) if u.kind not in ("sdk", "sdk-feature")]


def source_declared(usage: PermissionUsage, name: str) -> bool:
    """Declared in one of the project's own manifests of the analysed variant(s), or removed from every
    analysed variant (a removal in one flavour's or a debug manifest leaves the permission in the others)."""
    return any(d.name == name and not d.merged and usage.in_scope(d.source_set)
               and (not d.entry.removed or usage.removed(name)) for d in usage.declarations)


# --- store restrictions (permission-store-restricted owns these declarations) -----------------------------------


@dataclass(frozen=True, slots=True)
class Restriction:
    severity: Severity
    why: Msg  # "restricted by Google Play to …" (follows "`NAME` is")
    alternative: Msg
    references: tuple[str, ...]


PLAY_SMS = ("Google Play SMS and Call Log permissions policy", "191号文 四.1")
PLAY_FILES = ("Google Play All files access policy", "191号文 四.1")
PLAY_PACKAGES = ("Google Play package visibility (QUERY_ALL_PACKAGES) policy", "337号 (3)", "T/TAF 077.6",
                 "191号文 四.1")
CN_APP_LIST = ("337号 (3)", "T/TAF 108-2022", "191号文 四.1")
PLAY_INSTALL = ("Google Play REQUEST_INSTALL_PACKAGES policy", "26号", "191号文 四.1")
PLAY_BACKGROUND = ("Google Play background location policy", "191号文 四.1")
PLAY_MEDIA = ("Google Play photo and video permissions policy", "191号文 四.1")
PLAY_ALARM = ("Google Play exact alarm permission policy",)
OVERLAY = ("191号文 四.1", "TC260-PG-20204A Annex B")

# Why a store restricts a permission, by restriction tag: (English, Chinese, severity, references). The
# English follows "`NAME` is"; the Chinese follows "`NAME` ".
RESTRICTIONS: dict[str, tuple[str, str, Severity, tuple[str, ...]]] = {
    "play-all-files": ("restricted by Google Play to file managers, backup and antivirus apps (All files access)",
                       "受 Google Play 限制，仅限文件管理、备份和杀毒类应用使用（所有文件访问权限）",
                       Severity.ERROR, PLAY_FILES),
    "play-package-visibility": ("restricted by Google Play (package visibility) and reveals the installed-app list, "
                                "which Chinese regulators treat as personal information (337号 (3))",
                                "受 Google Play 限制（软件包可见性），且会暴露已安装应用列表，而国内监管部门将其视为"
                                "个人信息（337号 (3)）",
                                Severity.WARNING, PLAY_PACKAGES),
    "cn-app-list": ("a permission to read other apps' data (the app list or usage history), which Chinese regulators "
                    "treat as personal information (337号 (3), T/TAF 108)",
                    "是读取其他应用数据（应用列表或使用记录）的权限，国内监管部门将这些数据视为个人信息"
                    "（337号 (3)、T/TAF 108）",
                    Severity.WARNING, CN_APP_LIST),
    "play-install-packages": ("restricted by Google Play to apps whose core function is installing packages",
                              "受 Google Play 限制，仅限以安装应用为核心功能的应用使用",
                              Severity.WARNING, PLAY_INSTALL),
    "play-background-location": ("restricted by Google Play (background location needs a declaration and a "
                                 "prominent disclosure)",
                                 "受 Google Play 限制（后台位置信息需要提交权限声明并进行显著披露）",
                                 Severity.WARNING, PLAY_BACKGROUND),
    "play-photo-video": ("restricted by Google Play to apps that need broad photo and video access; one-off picks "
                         "must use the photo picker",
                         "受 Google Play 限制，仅限需要广泛访问照片和视频的应用使用；一次性选取必须使用照片选择器",
                         Severity.WARNING, PLAY_MEDIA),
    "play-exact-alarm": ("restricted by Google Play to alarm-clock and calendar apps",
                         "受 Google Play 限制，仅限闹钟和日历类应用使用",
                         Severity.WARNING, PLAY_ALARM),
    "special-access": ("a special access (drawing over other apps, changing system settings) that the user must "
                       "grant on a settings page",
                       "是一项特殊访问权限（在其他应用上层显示、修改系统设置），必须由用户在设置页面中手动授予",
                       Severity.INFO, OVERLAY),
}
HANDLER_ROLES = {"SMS": ("SMS or Assistant", "短信或助理"),
                 "CALL_LOG": ("Phone, caller-ID or Assistant", "电话、来电显示或助理")}


def _actions(ctx: Context) -> frozenset[str]:
    def build() -> frozenset[str]:
        return frozenset(a for m in ctx.manifests for c in m.components if not c.removed for a in c.actions)
    return memo(ctx, "actions", build)


def default_handler(ctx: Context, group: str) -> bool:
    """The project declares the component of a default SMS (`SMS`) or Phone/caller-ID (`CALL_LOG`) handler,
    or of an assistant — the roles Google Play accepts for these permissions."""
    actions = _actions(ctx)
    wanted = SMS_HANDLER_ACTIONS if group == "SMS" else PHONE_HANDLER_ACTIONS
    return bool(actions & (wanted | ASSISTANT_ACTIONS))


def store_restriction(ctx: Context, decl: Declaration) -> Restriction | None:
    """Why Google Play (or Chinese app-list rules) restrict this declaration, if they do, in the app's store
    context (see `_in_context`). Debug-only declarations never reach a store."""
    perm = permission(ctx, decl.name)
    if perm is None or decl.is_debug:
        return None
    alt = Msg(perm.alternative, perm.alternative_zh or None)
    tags = set(perm.restricted)
    if "play-sms-calllog" in tags:
        group = "SMS" if perm.group == "SMS" else "CALL_LOG"
        if default_handler(ctx, group):
            return None
        role, role_zh = HANDLER_ROLES[group]
        why = Msg(f"restricted by Google Play to the default {role} app, and the project declares no such handler",
                  f"受 Google Play 限制，仅限默认{role_zh}应用使用，而项目没有声明此类处理组件")
        return _in_context(ctx, decl.name, Restriction(Severity.ERROR, why, alt, PLAY_SMS), "play-sms-calllog")
    tag = next((t for t in RESTRICTIONS if t in tags), None)
    if tag == "play-exact-alarm" and perm.short != "USE_EXACT_ALARM":
        tag = None
    if tag is None and perm.short in ("SYSTEM_ALERT_WINDOW", "WRITE_SETTINGS"):
        tag = "special-access"
    if tag is None:
        return None
    if tag == "special-access" and core_use(ctx, decl.name) is not None:
        return None  # checked and used as designed (an overlay the app draws); the user grants it in settings
    en, zh, severity, references = RESTRICTIONS[tag]
    return _in_context(ctx, decl.name, Restriction(severity, Msg(en, zh), alt, references), tag)


# Restrictions that only Google Play imposes (package visibility is also the Chinese app-list rule).
PLAY_ONLY = frozenset({"play-sms-calllog", "play-all-files", "play-install-packages", "play-background-location",
                       "play-photo-video", "play-exact-alarm"})
# Broadcasts that make SMS / call-log access a background feature of the app (forwarders, call blockers, backup).
SMS_CALL_FEATURE_ACTIONS = frozenset({"android.provider.Telephony.SMS_RECEIVED", "android.intent.action.PHONE_STATE",
                                      "android.intent.action.NEW_OUTGOING_CALL"})
# Restrictions that Chinese stores and regulators impose (the app list), on top of Google Play's.
CN_STORE_TAGS = frozenset({"play-package-visibility", "cn-app-list"})
OVERLAY_CHECK, OVERLAY_WINDOW = "settings-can-draw-overlays", "window-type-application-overlay"  # apis.toml ids


def _in_context(ctx: Context, name: str, r: Restriction, tag: str) -> Restriction | None:
    """The restriction in the app's store context: an `info` for the app's core feature; for an app not on Google
    Play, a Play-only restriction is at most a warning, with the reason (Chinese stores still review the same
    permissions for minimum necessity, 191号文 四.1, and installs, 26号). An app on neither (`distribution =
    "elsewhere"`: GitHub releases, its own site) has no store that restricts the permission: a use is not
    reported, package visibility and the app-list permissions included; nothing using it stays a warning."""
    core = core_use(ctx, name)
    if core is not None:
        why = Msg(f"{r.why.en}; the app's core feature uses it ({core.en}): keep it and declare that use",
                  f"{r.why.get('zh')}；应用的核心功能使用了它（{core.get('zh')}）：保留并申报该用途")
        return replace(r, severity=Severity.INFO, why=why)
    stores_not_reached = {"china-stores": PLAY_ONLY, "elsewhere": PLAY_ONLY | CN_STORE_TAGS}
    if tag not in stores_not_reached.get(ctx.config.distribution, ()):
        return r
    usage = ctx.permission_usage
    if ctx.config.distribution == "elsewhere" and any(u.is_code or u.kind == "sdk-feature" for u in usage.uses(name)):
        return None
    why = Msg(f"{r.why.en} (the app is not distributed on Google Play: configured `distribution`)",
              f"{r.why.get('zh')}（应用不在 Google Play 上架：已配置 `distribution`）")
    return replace(r, severity=min(r.severity, Severity.WARNING), why=why)


def core_use(ctx: Context, name: str) -> Msg | None:
    """How the app's core feature uses `name`, when the code shows it: an overlay window drawn after a
    `canDrawOverlays` check (SYSTEM_ALERT_WINDOW), or SMS / call-log data read by code that a receiver for
    incoming SMS or calls starts (a forwarder, blocker or backup tool); None otherwise."""
    usage = ctx.permission_usage
    ids = {u.api.id: u for u in usage.catalog_uses() if u.api is not None}
    short_name = name.rsplit(".", 1)[-1]
    if short_name == "SYSTEM_ALERT_WINDOW":
        window = ids.get(OVERLAY_WINDOW)
        if OVERLAY_CHECK in ids and window is not None:
            return Msg(f"an overlay window ({window.path.rsplit('/', 1)[-1]}:{window.line}) after `canDrawOverlays`",
                       f"`canDrawOverlays` 检查后显示悬浮窗（{window.path.rsplit('/', 1)[-1]}:{window.line}）")
        return None
    perm = permission(ctx, name)
    if perm is None or "play-sms-calllog" not in perm.restricted:
        return None
    receiver = _actions(ctx) & SMS_CALL_FEATURE_ACTIONS
    reads = [u for u in usage.code_uses(name) if u.kind != "manifest"]
    if receiver and reads:
        action = sorted(receiver)[0].rsplit(".", 1)[-1]
        return Msg(f"a receiver for `{action}` and {reads[0].detail} ({reads[0].path.rsplit('/', 1)[-1]}:"
                   f"{reads[0].line})",
                   f"`{action}` 接收器及 {reads[0].detail}（{reads[0].path.rsplit('/', 1)[-1]}:{reads[0].line}）")
    return None


# --- legacy bounds (legacy-permission-unbounded owns these declarations) -------------------------------------------


@dataclass(frozen=True, slots=True)
class Bound:
    max_sdk: int  # the android:maxSdkVersion to declare
    reason: Msg  # why newer releases do not need the permission


# AccountManager's permissions of API 22 and before (GET_ACCOUNTS aside): not checked from Android 6.0 (API 23).
ACCOUNT_PERMISSIONS = frozenset({"MANAGE_ACCOUNTS", "AUTHENTICATE_ACCOUNTS", "USE_CREDENTIALS"})


def legacy_bound(ctx: Context, decl: Declaration) -> Bound | None:
    """The `android:maxSdkVersion` the project's targetSdk makes possible, when the declaration lacks it."""
    perm = permission(ctx, decl.name)
    target = ctx.target_sdk()
    if perm is None or not perm.legacy_max_sdk or target is None:
        return None
    bound = perm.legacy_max_sdk
    if perm.short == "WRITE_EXTERNAL_STORAGE":
        if target < 29:
            return None
        bound = 29 if _legacy_storage(ctx) else 28
        release = 11 if bound == 29 else 10
        reason = Msg(f"with scoped storage the app does not need it from Android {release} (API {bound + 1}) on",
                     f"使用分区存储后，应用从 Android {release}（API {bound + 1}）起不再需要它")
    elif perm.short == "READ_EXTERNAL_STORAGE":
        if target < 33:
            return None
        reason = Msg("apps targeting Android 13 get media through `READ_MEDIA_*` or the photo picker there",
                     "以 Android 13 为目标的应用在该版本上通过 `READ_MEDIA_*` 或照片选择器获取媒体文件")
    elif perm.short in ("BLUETOOTH", "BLUETOOTH_ADMIN"):
        if target < 31:
            return None
        reason = Msg("apps targeting Android 12 use `BLUETOOTH_SCAN`/`BLUETOOTH_CONNECT` from API 31 on",
                     "以 Android 12 为目标的应用从 API 31 起改用 `BLUETOOTH_SCAN`/`BLUETOOTH_CONNECT`")
    elif perm.short in ACCOUNT_PERMISSIONS:
        if target < 23:
            return None
        reason = Msg("`AccountManager` checks it only up to Android 5.1 (API 22); from Android 6.0 it does nothing",
                     "`AccountManager` 只在 Android 5.1（API 22）及以下检查它；从 Android 6.0 起它不起任何作用")
    else:
        return None
    current = decl.entry.max_sdk
    if current is not None and current <= bound:
        return None
    return Bound(bound, reason)


def _legacy_storage(ctx: Context) -> bool:
    return any(m.application is not None and m.application.attrs.get("android:requestLegacyExternalStorage") == "true"
               for m in ctx.variant_manifests())  # shipped manifests only


# --- startup ---------------------------------------------------------------------------------------------------


def startup_reach(ctx: Context) -> PreConsent:
    """What runs at startup without a user action (after consent too: a launcher that asks right after the
    privacy dialog still asks at startup)."""
    return memo(ctx, "startup", lambda: PreConsent(ctx.index, ctx.consent, ctx.entries, stop_at_consent=False))


def at_startup(ctx: Context, use: Use) -> bool:
    if use.fid is None or use.site is None:
        return False
    if use.fid not in startup_reach(ctx).reached:
        return False
    return not ctx.consent.state(use.site).user_action


# --- edits -------------------------------------------------------------------------------------------------------


def main_manifest(ctx: Context) -> Manifest | None:
    """The app's main manifest (where `tools:node="remove"` lines go)."""
    for module, manifest in ctx.module_manifests:
        if module.is_application and manifest.path.endswith("src/main/AndroidManifest.xml"):
            return manifest
    apps = ctx.app_manifests()
    return apps[0] if len(apps) == 1 else None


def remove_edit(manifest: Manifest | None, name: str) -> tuple[Edit, ...]:
    """Insert the `tools:node="remove"` line right after `<manifest …>` when the tools namespace is declared."""
    root = manifest.root if manifest is not None else None
    if manifest is None or root is None or root.self_closing or not _declares_tools(root.attr_spans, root.attrs):
        return ()
    indent = " " * 4
    text = f'\n{indent}<uses-permission android:name="{name}" tools:node="remove" />'
    return (Edit(manifest.path, root.end, root.end, text),)


def _declares_tools(spans: dict[str, tuple[int, int]], attrs: dict[str, str]) -> bool:
    return "xmlns:tools" in spans or attrs.get("xmlns:tools") == TOOLS_NS


def attribute_edit(decl: Declaration, attribute: str, value: str) -> tuple[Edit, ...]:
    """Set `attribute` on the declaration: replace its value, or add it after the last attribute."""
    el = decl.entry.element
    if attribute in el.attr_spans:
        start, end = el.attr_spans[attribute]
        return (Edit(decl.path, start, end, value),)
    if not el.attr_spans:
        return ()
    last = max(end for _start, end in el.attr_spans.values())  # the closing quote of the last value
    return (Edit(decl.path, last + 1, last + 1, f' {attribute}="{value}"'),)
