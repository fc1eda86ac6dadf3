"""Personal information read before the user consents.

## What it does
Finds calls to Android APIs that read personal information — device identifiers, Android ID, advertising
IDs, installed or running apps, location, Wi-Fi/cell data, contacts, call log, SMS, calendar, accounts,
phone number, camera, microphone, sensors, media — that run before the user has agreed to the privacy
policy: in the Application, a ContentProvider, an androidx.startup initializer, the launcher activity's
lifecycle, a boot receiver, or anything they call (across files, modules, Kotlin and Java) without first
checking the stored consent.

Where it is reported: on the line to move behind consent. A read in the entry code itself is reported
where it is; a read inside a helper (`DeviceIdUtil.getImei()`) is reported on the call in the entry code
that leads into the helper, with the reads as related locations ("collects at File:line") and the path
through them. A helper reached from three entry calls gives three findings; everything one entry call
leads to gives one finding that lists what is read. A helper that more than three entry calls lead to (the
network helper every request of the launcher goes through) is reported where it reads, once, with the
number of calls in the message: one change there fixes every caller.

Conditions along the path count wherever they are (the entry point, a callee's early return): code that runs
only when something is false on first launch is not reported — a switch read with the default off, an intent
extra nobody puts, a signed-in user, a setting compared with a value other than its default, a boolean field
that starts `false` and that nothing running before consent sets (the splash-ad `canJump` that only the ad's
`onAdDismissed` sets). A read that runs only when a condition holds that the code does not decide on first
launch — a server's or remote switch, an intent extra that must be there, a setting whose default the code does
not show — is reported one severity lower (a warning), with the condition in the message: it may well run
before consent. Conditions that hold the same way on every first launch (the main process, the OS version, a
permission check), threads, delays and callbacks keep the error. So does a stored setting whose default is
`true` — `prefs.getBoolean(SHARE_DIAGNOSTICS, true)`, the app's own helper called with `true`, a short getter or
Kotlin property that returns such a read (`val isTrackingEnabled get() = getBoolean(R.string.p_stats, true)`),
even a key named like consent: nothing is stored on first launch, so it holds, an opt-out and not consent; the
message says so and the trace ends where the default is written (a getter or property with the default `false`
is off, like the direct read). A severity configured for the rule (`[severity] EC101 = "error"`) applies to every
finding.

Not personal information: a `WifiInfo` asked in the same expression only for the link's speed, signal or frequency
(`wm.connectionInfo.linkSpeed`), a package query for one intent (`queryIntentActivities` of an `ACTION_VIEW`
intent, or of an action of the app's own: `Intent(OPEN_EXTERNAL, uri)`), UI-only sensor reads (below), and the
running apps (`getRunningAppProcesses`, `getRunningTasks`, `getRecentTasks`) when the app's minSdk is above the
last Android version that returned other apps' (5.1 and 5.0): on every device it runs on, the call returns only
the app's own processes and tasks.

## Why is this bad?
Collecting personal information before consent is the finding MIIT and app-store reviewers report most
often (191号文 三.1 "在征得用户同意前就开始收集个人信息或打开可收集个人信息的权限"; 337号 category 1; 164号
(一)). PIPL Art. 13 makes consent the legal basis; test agencies record every such read at first launch
(IMEI, IMSI, MAC, app list, location, contacts …) before the dialog is even shown.

## Example
```kotlin
class App : Application() {
    override fun onCreate() {
        super.onCreate()
        val tm = getSystemService(TELEPHONY_SERVICE) as TelephonyManager
        Analytics.deviceId = tm.imei          // runs before any dialog: reported here
        DeviceIdUtil.collect(this)            // reported here, "collects at DeviceIdUtil.kt:12"
    }
}
```

## Use instead
```kotlin
class App : Application() {
    override fun onCreate() {
        super.onCreate()
        if (PrivacyStore.isAgreed(this)) onConsent()   // later launches
    }
    fun onConsent() { Analytics.deviceId = AppIds.installationId(this) }   // random UUID, no IMEI
}
// and call onConsent() from the privacy dialog's agree button
```

## Fix safety
No automatic fix: moving code behind consent changes behaviour.

## Limitations
Sees only source code in the project: not reflection, code loaded at run time, native code, or what an SDK
binary does inside (SDK initialisation is covered by `sdk-init-before-consent`). A consent check is
recognised by configuration (`consent.predicates`), by the stored key it reads (`privacy`, `agree`,
`consent`, `隐私`, `协议`…, also through a local or a `let` / `also` lambda parameter it was read into: `getInt(
KEY_PRIVACY, 0).let { v -> if (v == 0) showTerms() else openHome() }`, where a stored number still at zero is no
answer yet) or by its name; a check it does not recognise is reported as not a consent check — configure it.
Clipboard reads are reported by `clipboard-read-in-lifecycle`.

Sensor reads that only drive the UI — the accelerometer, gravity or rotation sensors for an animation or a
tilt effect, the light sensor for brightness — are not personal-information collection unless their values
leave the device or are stored: a sensor read is reported when it asks for another sensor (step counter,
significant motion …), when the sensor type cannot be read from the code, or when the listener's
`onSensorChanged` writes, sends, uploads or tracks what it gets.

A package query (`queryIntentActivities`) reads the installed-app list when its intent is the launcher's
(`ACTION_MAIN` + `CATEGORY_LAUNCHER`) or is built elsewhere; a query for one app (`setPackage`, a class) or for
the handlers of one action (`Intent(ACTION_VIEW, uri)`: the browsers for Custom Tabs) is not reported.

## References
- 191号文 三.1; 337号 (1) 私自收集个人信息; 164号 (一)1 违规收集个人信息
- PIPL Art. 13, Art. 14
- GB/T 41391-2022 6.4
"""

from __future__ import annotations

from collections.abc import Iterator

from pipl_lint.catalogs import ApiEntry
from pipl_lint.findings import Category, Finding, Severity
from pipl_lint.i18n import Msg, join
from pipl_lint.model.index import FnId
from pipl_lint.model.matching import LOW_SENSITIVITY, QUERY_CALLS, queries_one_intent
from pipl_lint.model.summary import Site
from pipl_lint.ruleapi import Context, RuleMeta
from pipl_lint.rules.early_collection._common import (
    Collecting,
    at_severity,
    by_entry_call,
    callee,
    entry_call_finding,
    listing,
    lowered,
    many_callers,
    opt_out,
    path_notes,
    with_opt_out,
)

META = RuleMeta(
    id="EC101",
    name="pi-api-before-consent",
    category=Category.EARLY_COLLECTION,
    severity=Severity.ERROR,
    summary="A personal-information API runs before the user consents to the privacy policy",
    fix="Move the call after consent (agree callback or stored-consent check)",
    references=("191号文 三.1", "337号 (1)", "164号 (一)1", "PIPL Art. 13"),
    messages={
        "reads": "`{call}` reads {kind} before the user consents (reached from {entry}){notes}",
        "leads-to": "`{callee}` reads {kinds} ({calls}) before the user consents (reached from {entry}){notes}",
    },
    fixes={
        "generic": "Run it only after consent: in the privacy dialog's agree callback, behind your stored-consent "
                   "check (`if (PrivacyStore.isAgreed(ctx))`), or when the user opens the feature that needs it.",
        "device-id": "Do not read hardware identifiers (IMEI/MEID/IMSI/ICCID/serial): they are unavailable to "
                     "normal apps from Android 10 and regulators treat any attempt as collection. Use an "
                     "app-scoped random UUID, or OAID after consent.",
        "mac-address": "Do not read MAC addresses; use an app-scoped random UUID.",
        "android-id": "Read ANDROID_ID only after consent, or replace it with an app-scoped random UUID.",
        "advertising-id": "Read the advertising ID / OAID only after consent and respect the user's opt-out.",
        "installed-apps": "Do not enumerate installed apps; query only the package you need (declared in "
                          "<queries>) and only after consent.",
        "running-apps": "Do not list running apps or tasks; normal apps do not need them.",
        "location": "Request and read location only after consent, when the user opens the feature that needs it.",
        "phone-number": "Do not read the phone number; ask the user to type it and verify it by SMS code.",
    },
)



def _api_at(ctx: Context, fid: FnId, site: Site) -> tuple[ApiEntry, str] | None:
    """The PI API a site reads, with how to name it; None for other SDK calls (reported by EC102). An SDK call
    that apis.toml lists as reading personal information (AMap `AMapLocationClient.startLocation`: the
    device's location) is both: the SDK starts (EC102) and reads it (here)."""
    api = ctx.apis.match(fid, site)
    if ctx.sdk_calls.match(fid, site) is not None and (api is None or api.kind not in ("method", "field")):
        return None
    # Constructors (ActivityResult contracts such as TakePicture/PickContact, AudioRecord) collect nothing
    # until launched or started by the user or a later call.
    if api is not None and api.kind in ("method", "field"):
        if api.pi_max_api is not None and (min_sdk := ctx.min_sdk()) is not None and min_sdk > api.pi_max_api:
            return None  # on every device the app runs on it reads only the app's own (`getRunningAppProcesses`)
        if api.pi_kind == "installed-apps" and queries_one_intent(ctx.index, fid, site):
            return None
        if api.pi_kind == "wifi-info" and _link_metrics_only(ctx, fid, site):
            return None
        return api, f"{api.owner_simple}.{api.member}"
    if site.name in QUERY_CALLS and site.args:
        for ref in site.args[0].refs:
            uri = ctx.apis.uri_api(ref)
            if uri is not None:
                return uri, f"query({uri.member})"
    return None


# What a `WifiInfo` tells about the link, not about the network or the device (no SSID, BSSID, MAC or IP).
LINK_METRICS = frozenset({"getLinkSpeed", "linkSpeed", "getRssi", "rssi", "getFrequency", "frequency",
                          "getTxLinkSpeedMbps", "txLinkSpeedMbps", "getRxLinkSpeedMbps", "rxLinkSpeedMbps",
                          "getWifiStandard", "wifiStandard"})


def _link_metrics_only(ctx: Context, fid: FnId, site: Site) -> bool:
    """`wm.getConnectionInfo().getLinkSpeed()`: the call's result is only asked for link metrics, in the same
    expression (a `WifiInfo` kept in a variable may be asked for anything)."""
    call = f"{site.receiver}.{site.name}" if site.receiver else site.name
    chained = [s for s in ctx.index.sites_of(fid) if s.receiver is not None and s.line == site.line and
               s.receiver.replace("()", "").replace("?", "") == call]
    return bool(chained) and all(s.name in LINK_METRICS for s in chained)


# Sensors whose values apps use to animate or adjust the UI (tilt, shake, brightness).
UI_SENSORS = frozenset({"TYPE_ACCELEROMETER", "TYPE_GRAVITY", "TYPE_LINEAR_ACCELERATION", "TYPE_LIGHT",
                        "TYPE_ROTATION_VECTOR", "TYPE_GAME_ROTATION_VECTOR", "TYPE_ORIENTATION", "TYPE_GYROSCOPE",
                        "TYPE_MAGNETIC_FIELD", "TYPE_PROXIMITY"})
# Calls through which a listener's values leave the device or are stored.
KEEPS = ("put", "encode", "write", "save", "insert", "upload", "send", "enqueue", "execute", "track", "report",
         "onEvent", "logEvent", "store", "record")


def _ui_only_sensor(ctx: Context, fid: FnId) -> bool:
    """The function reads only UI sensors (`Sensor.TYPE_ACCELEROMETER`, `TYPE_LIGHT` …), and the
    `onSensorChanged` of its class or of an anonymous listener in it neither stores nor sends the values."""
    sites = list(ctx.index.sites_of(fid))
    types = {ref.rsplit(".", 1)[-1] for s in sites for a in s.args for ref in a.refs
             if ref.rsplit(".", 1)[-1].startswith("TYPE_")}
    if not types or not types <= UI_SENSORS:
        return False
    listeners = [s for s in sites if any(d.label == "onSensorChanged" for d in s.deferred)]
    for other in ctx.index.find_member(ctx.index.function(fid).owner, "onSensorChanged"):
        listeners += ctx.index.sites_of(other)
    return not any(s.kind == "call" and s.name.startswith(KEEPS) for s in listeners)


def check(ctx: Context) -> Iterator[Finding]:
    pc = ctx.pre_consent
    hits: list[Collecting] = []
    for reached, site, state in pc.open_sites(lambda _fid, s: ctx.apis.may_match(s) or s.name in QUERY_CALLS):
        hit = _api_at(ctx, reached.fid, site)
        if hit is None or hit[0].pi_kind in (None, "clipboard", *LOW_SENSITIVITY):
            continue
        if hit[0].pi_kind == "sensors" and _ui_only_sensor(ctx, reached.fid):
            continue
        api, call = hit
        kind = ctx.catalog.pi_kinds[api.pi_kind or ""]
        hits.append(Collecting(reached, site, state, call, Msg(kind.label_en, kind.label_zh), api.pi_kind or "",
                               f"`{site.qualified}` reads {kind.label_en}"))
    for entry_call, group in by_entry_call(ctx, hits):
        first = group[0]
        condition, severity = lowered(ctx, META, group)
        default = opt_out(ctx, first)
        notes = path_notes(first.reached, first.state, condition, severity, default)
        fix = ctx.fix_text(META, "generic")
        specific = [ctx.fix_text(META, k) for k in dict.fromkeys(h.key for h in group) if k in META.fixes]
        if specific:
            fix = join(*specific, fix, sep_zh="")
        if entry_call is None:
            notes = join(notes, many_callers(ctx, first), sep="", sep_zh="")
            message = ctx.say(META, "reads", call=first.call, kind=first.what, entry=first.reached.entry.note,
                              notes=notes)
            trace = pc.trace(first.reached, first.site, first.note)
            finding = ctx.site_finding(META, first.reached.fid, first.site, message, fix=fix, trace=trace)
            yield at_severity(with_opt_out(finding, default), severity)
            continue
        kinds, calls = listing(group)
        message = ctx.say(META, "leads-to", callee=callee(ctx, entry_call), kinds=kinds,
                          calls=calls, entry=entry_call.caller.entry.note, notes=notes)
        yield at_severity(with_opt_out(entry_call_finding(ctx, META, entry_call, group, message, fix), default),
                          severity)
