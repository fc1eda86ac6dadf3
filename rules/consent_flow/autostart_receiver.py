"""A broadcast receiver starts the app by itself on boot, network changes, unlock or package events.

## What it does
Finds `<receiver>` elements in the app's manifests (not removed, not disabled) whose intent filters listen for
broadcasts that fire without the user opening the app — boot (`BOOT_COMPLETED`, `LOCKED_BOOT_COMPLETED`,
`QUICKBOOT_POWERON`), connectivity (`CONNECTIVITY_CHANGE`, Wi-Fi state), unlock (`USER_PRESENT`,
`USER_UNLOCKED`), package events (`PACKAGE_ADDED`/`REPLACED`/`REMOVED`/`CHANGED`) and power
(`ACTION_POWER_CONNECTED`) — and that start work: their `onReceive` (or what it calls) starts a service or
activity, enqueues WorkManager/JobScheduler work, sets an alarm, initialises an SDK or reads personal
information. Receivers whose class is not in the project (an SDK's) are reported too, since their code
cannot be checked. `android:exported="false"` does not prevent system broadcasts from being delivered.
Broadcasts the system no longer delivers to manifest-declared receivers at the app's `targetSdk` are skipped:
`CONNECTIVITY_CHANGE` from 24, Wi-Fi state, `USER_PRESENT`, package and power events from 26 (Android 8's
implicit-broadcast limits), `SCREEN_ON` always. Work that runs only in the receiver's branch for another
action (`when (intent.action) { ACTION_STOP_SERVICE -> … }`) or only under a setting the user switched on
(`if (prefs.getBoolean("auto_backup", false))`) is not counted. What `onReceive` calls is followed three calls
deep with the class of the object each function runs on (a use case's base-class `execute()` runs that use
case's own `run()` override, not every subclass's). Enqueuing the app's own WorkManager worker (a `Worker`
whose companion or body makes the `enqueue…` call) counts only when that worker's `doWork` itself does work
(starts a component, initialises an SDK, reads personal information): a worker that re-registers geofences or
reminders after a reboot is not reported. An OkHttp/Retrofit `call.enqueue(callback)` is no scheduled work, and
the screen a notification's or alarm's `PendingIntent` opens (also through an Intent factory such as
`MainActivity.newIntent(ctx)`) runs only when the user taps it.

## Why is this bad?
Frequent self-start (自启动) and chained start (关联启动) is item 6 of MIIT 164号 ("APP频繁自启动和关联启动"), and MIIT
26号 forbids self-start and chained start, wake-up, calling or updating other apps without need. Test agencies
check it (T/TAF 078.10). A receiver that starts services on boot also runs code — and often SDKs — before
the user opens the app, let alone consents.

## Example
```xml
<receiver android:name=".sync.BootReceiver" android:exported="true">
    <intent-filter>
        <action android:name="android.intent.action.BOOT_COMPLETED" />
    </intent-filter>
</receiver>
```

## Use instead
Remove the receiver (and `RECEIVE_BOOT_COMPLETED`); schedule the work while the app runs, after consent —
WorkManager keeps its own schedule across reboots:
```kotlin
fun onConsentGiven(context: Context) {
    val sync = PeriodicWorkRequestBuilder<FeedSyncWorker>(12, TimeUnit.HOURS).build()
    WorkManager.getInstance(context).enqueueUniquePeriodicWork("feed-sync", ExistingPeriodicWorkPolicy.KEEP, sync)
}
```
Keep a boot receiver only for features that truly need one (alarms the user set, a VPN the user turned on).

## Fix safety
No automatic fix.

## Limitations
Receivers registered in code (`registerReceiver`) run only while the app runs and are not reported.
Receivers merged from SDK manifests are seen only when a merged manifest is present in the build output.
"Starts work" is judged from the project's own code; a receiver that only logs is not reported, nor one whose
work runs only under a setting the user chose (a condition on a value read from preferences or settings in the
same function: "start on boot", the device the user selected), nor one that only sets alarms again (alarms are
cleared on reboot: `AlarmManager.set…` with a `PendingIntent` for a receiver or a screen - reminders - not one
that starts a service), nor a home-screen widget (`AppWidgetProvider`:
it runs only for widgets the user placed) or a receiver that only sends a broadcast to itself. A setting read
in a callee, or whose name says nothing of preferences or settings, is not recognised. A worker is known only
when the class enqueuing it is the worker itself (or its companion); other WorkManager work is reported as
scheduled work without looking into the worker. A network request the receiver makes to the app's own server
is not counted as work.

## References
- 164号 (二)6 APP频繁自启动和关联启动
- MIIT 26号 (no self-start or chained start)
- T/TAF 078.10
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from pipl_lint.findings import Category, Finding, Severity
from pipl_lint.i18n import Msg
from pipl_lint.model.consent import KEY_WRITES, PREFS_READS
from pipl_lint.model.index import COMPONENT_STARTERS, SAME, FnId
from pipl_lint.model.manifest import Component
from pipl_lint.model.summary import Site
from pipl_lint.ruleapi import Context, RuleMeta
from pipl_lint.rules.consent_flow._common import say, short

META = RuleMeta(
    id="CF313",
    name="autostart-receiver",
    category=Category.CONSENT_FLOW,
    severity=Severity.WARNING,
    summary="A broadcast receiver starts the app's work on boot, network change, unlock or package events",
    fix="Remove the receiver (and RECEIVE_BOOT_COMPLETED), or do the work when the user opens the app",
    references=("164号 (二)6", "MIIT 26号", "T/TAF 078.10"),
    messages={
        "runs-on": "{kind} `{receiver}` runs on {events} {work}",
        # {kind}
        "exported": "Exported receiver",
        "receiver": "Receiver",
        # {work}
        "starts": "and starts `{component}`",
        "calls": "and calls `{call}`",
        "initialises": "and initialises {sdk}",
        "reads": "and reads {kind}",
        "not-in-project": "(its code is not in the project)",
    },
)

AUTOSTART: dict[str, str] = {
    "android.intent.action.BOOT_COMPLETED": "boot", "android.intent.action.LOCKED_BOOT_COMPLETED": "boot",
    "android.intent.action.QUICKBOOT_POWERON": "boot", "com.htc.intent.action.QUICKBOOT_POWERON": "boot",
    "android.intent.action.REBOOT": "boot",
    "android.net.conn.CONNECTIVITY_CHANGE": "network change", "android.net.wifi.STATE_CHANGE": "network change",
    "android.net.wifi.WIFI_STATE_CHANGED": "network change",
    "android.intent.action.USER_PRESENT": "unlock", "android.intent.action.USER_UNLOCKED": "unlock",
    "android.intent.action.SCREEN_ON": "screen on",
    "android.intent.action.PACKAGE_ADDED": "package event", "android.intent.action.PACKAGE_REPLACED": "package event",
    "android.intent.action.PACKAGE_REMOVED": "package event", "android.intent.action.PACKAGE_CHANGED": "package event",
    "android.intent.action.PACKAGE_FULLY_REMOVED": "package event",
    "android.intent.action.ACTION_POWER_CONNECTED": "power connected",
    "android.intent.action.ACTION_POWER_DISCONNECTED": "power disconnected",
}
# The events' action names as code writes them (`BOOT_COMPLETED`, `Intent.ACTION_BOOT_COMPLETED`).
AUTOSTART_NAMES = frozenset(a.rsplit(".", 1)[-1].removeprefix("ACTION_") for a in AUTOSTART)
# Implicit broadcasts no longer delivered to receivers declared in the manifest, from this targetSdk on
# (Android 7 for CONNECTIVITY_ACTION, Android 8's implicit-broadcast limits; SCREEN_ON never was).
UNDELIVERED_FROM: dict[str, int] = {
    "android.net.conn.CONNECTIVITY_CHANGE": 24, "android.net.wifi.STATE_CHANGE": 26,
    "android.net.wifi.WIFI_STATE_CHANGED": 26, "android.intent.action.USER_PRESENT": 26,
    "android.intent.action.SCREEN_ON": 1, "android.intent.action.PACKAGE_ADDED": 26,
    "android.intent.action.PACKAGE_REPLACED": 26, "android.intent.action.PACKAGE_REMOVED": 26,
    "android.intent.action.PACKAGE_CHANGED": 26, "android.intent.action.ACTION_POWER_CONNECTED": 26,
    "android.intent.action.ACTION_POWER_DISCONNECTED": 26,
}
EVENTS_ZH = {"boot": "开机", "network change": "网络变化", "unlock": "解锁", "screen on": "亮屏",
             "package event": "应用安装或卸载", "power connected": "接通电源", "power disconnected": "断开电源"}
WORK_CALLS = frozenset({"startService", "startForegroundService", "bindService", "startActivity", "startActivities",
                        "enqueue", "enqueueUniqueWork", "enqueueUniquePeriodicWork", "schedule", "setExact",
                        "setExactAndAllowWhileIdle", "setRepeating", "setInexactRepeating", "setAndAllowWhileIdle",
                        "setAlarmClock", "enqueueWork", "sendBroadcast"})


def check(ctx: Context) -> Iterator[Finding]:
    seen: set[str] = set()
    target = ctx.target_sdk()
    for manifest in ctx.manifests:  # library modules' receivers are merged into the app too
        if "/src/debug/" in f"/{manifest.path}":
            continue
        for comp in manifest.components:
            if comp.kind != "receiver" or comp.removed or not comp.enabled or comp.cls in seen:
                continue
            events = sorted({AUTOSTART[a] for a in comp.actions if a in AUTOSTART and _delivered(a, target)})
            if not events:
                continue
            work = _work(ctx, comp)
            if work is None:
                continue
            seen.add(comp.cls)
            kind = say(ctx, META, "exported" if comp.effectively_exported else "receiver")
            on = Msg(" / ".join(events), "、".join(EVENTS_ZH[e] for e in events))
            message = say(ctx, META, "runs-on", kind=kind, receiver=short(comp.cls), events=on, work=work)
            yield ctx.finding(META, manifest.path, ctx.element_span(comp.element), message, anchor=comp.cls)


def _other_action(site: Site) -> bool:
    """`site` runs only for an action that is no autostart event: a `when (intent.action) { STOP -> … }` entry or an
    `if (ACTION_X.equals(intent.getAction()))` branch naming an action none of AUTOSTART's."""
    for g in site.guards:
        for atom in g.atoms:
            if not atom.positive or "action" not in atom.text.lower():
                continue
            named = {n for n in atom.names if n.isupper() and len(n) > 3} | \
                {v.rsplit(".", 1)[-1] for v in atom.strings if v.rsplit(".", 1)[-1].isupper()}
            if named and not {n.removeprefix("ACTION_") for n in named} & AUTOSTART_NAMES:
                return True
    return False


def _delivered(action: str, target: int | None) -> bool:
    """The system still delivers `action` to a manifest-declared receiver of an app with this targetSdk."""
    return target is None or target < UNDELIVERED_FROM.get(action, 10_000)


def _work(ctx: Context, comp: Component) -> Msg | None:
    """How the receiver starts work ("and starts `SyncService`"), or None when its code does nothing of the kind,
    or only under a setting the user chose (`if (prefs.shouldStartOnBoot())`) or for its own class."""
    index = ctx.index
    cls = _project_class(ctx, comp.cls)
    if cls is None:
        return say(ctx, META, "not-in-project")
    if index.is_subtype(cls, "android.appwidget.AppWidgetProvider"):
        return None  # a home-screen widget: it runs only for widgets the user placed
    return _walk(ctx, [(fid, cls) for fid in index.find_member(cls, "onReceive")], cls, worker=False)


WORKER_BASES = ("androidx.work.Worker", "androidx.work.CoroutineWorker", "androidx.work.ListenableWorker",
                "androidx.work.RxWorker")
WORK_MANAGER_CALLS = frozenset({"enqueue", "enqueueUniqueWork", "enqueueUniquePeriodicWork"})


def _walk(ctx: Context, starts: list[tuple[FnId, str]], cls: str, worker: bool) -> Msg | None:
    """The first work the code from `starts` does (three calls deep), or None. Followed with the class of the object
    each function runs on (`interactor.execute()` into a base class's `execute`, whose `buildObservable()` is the
    interactor's own override, not every subclass's). `worker`: walking a scheduled worker's `doWork`."""
    index = ctx.index
    todo: list[tuple[FnId, str | None, int]] = [(fid, this_cls, 0) for fid, this_cls in starts]
    seen: set[tuple[FnId, str | None]] = set()
    while todo:
        fid, this_cls, depth = todo.pop()
        if (fid, this_cls) in seen:
            continue
        seen.add((fid, this_cls))
        sites = index.sites_of(fid)
        first_read = min((s.line for s in sites if s.kind == "call" and _reads_setting(s.qualified)), default=None)
        skipped: set[int] = set()
        for site in sites:
            if _setting_gated(site, first_read):
                skipped.add(id(site))
                continue  # runs only when the user switched it on (start on boot, a device the user chose)
            if depth == 0 and not worker and _other_action(site):
                skipped.add(id(site))
                continue  # the receiver's branch for another broadcast (`ACTION_STOP_SERVICE ->`), not the event
            found = _work_site(ctx, fid, site, cls)
            if found and site.kind == "call" and site.name in WORK_MANAGER_CALLS and not worker and \
                    _quiet_worker(ctx, fid, cls):
                found = None  # re-enqueues the app's own worker, which starts nothing, no SDK and reads no PI
            if found and not _rearms_alarm(site, sites):
                return found  # (alarms are cleared on reboot: setting them again is not work of its own)
            if found:
                skipped.add(id(site))  # the screen a notification's or alarm's PendingIntent opens runs later
        if depth >= 3:
            continue
        pending_only = _pending_only(sites)
        for edge in index.edges_in(fid, this_cls):
            site = edge.site
            if site is None or site.kind not in ("call", "new") or id(site) in skipped:
                continue
            if pending_only and _intent_factory(index.sites_of(edge.target)):
                continue  # `SettingsActivity.newIntent(ctx)` for a notification's PendingIntent: opened on a tap
            todo.append((edge.target, _runs_on(ctx, fid, site, edge.target, this_cls, edge.this_cls), depth + 1))
    return None


def _quiet_worker(ctx: Context, fid: FnId, receiver: str) -> bool:
    """The WorkManager call in `fid` schedules the worker that declares it (`companion object { fun enqueue(ctx) =
    WorkManager.getInstance(ctx).enqueueUniqueWork(…, OneTimeWorkRequestBuilder<RegisterGeofencesWork>()…) }`, a
    worker re-registering geofences or reminders after a reboot), and that worker's `doWork` does no work of its own
    (`_walk`): nothing started, no SDK initialised, no personal information read."""
    index = ctx.index
    owner = index.function(fid).owner
    decl = index.class_of(owner)
    worker = decl.outer if decl is not None and decl.kind == "companion" and decl.outer else owner
    if not index.is_subtype(worker, *WORKER_BASES):
        return False  # the worker is not known
    starts = [(f, worker) for name in ("doWork", "createWork", "startWork") for f in index.find_member(worker, name)]
    return bool(starts) and _walk(ctx, starts, receiver, worker=True) is None


def _runs_on(ctx: Context, fid: FnId, site: Site, target: FnId, this_cls: str | None, edge_cls: str | None) \
        -> str | None:
    """The class of the object `target` runs on when `site` calls it: the caller's own for a call on `this`, the
    edge's, else the declared type of the receiver when it is a project subclass of the callee's class (a field
    `updateAlarms: UpdateAlarms` calling the base class's `execute`)."""
    if edge_cls == SAME:
        return this_cls
    if edge_cls is not None:
        return edge_cls
    if not site.receiver:
        return None
    found, _static = ctx.index.receiver_class(fid, site)
    owner = ctx.index.function(target).owner
    return found if found and found != owner and owner in ctx.index.ancestors(found) else None


ALARM_CALLS = frozenset({"setExact", "setExactAndAllowWhileIdle", "setRepeating", "setInexactRepeating",
                         "setAndAllowWhileIdle", "setAlarmClock", "setWindow"})
# Reminders and notifications: an alarm that wakes a receiver or opens a screen (not one that starts a service).
PENDING_GETTERS = frozenset({"getBroadcast", "getActivity"})


def _rearms_alarm(site: Site, sites: Iterable[Site]) -> bool:
    """`site` sets an alarm (`alarmManager.setExactAndAllowWhileIdle(…)`), or builds the Intent of one: its
    function hands Intents only to `PendingIntent` getters (`Intent(ctx, ReminderReceiver::class.java)` for
    `PendingIntent.getBroadcast`), starting nothing itself."""
    if site.kind == "call" and site.name in ALARM_CALLS:
        return True
    if site.name not in COMPONENT_STARTERS:
        return False
    listed = list(sites)
    pending = any(s.name in PENDING_GETTERS and (s.receiver or "").endswith("PendingIntent") for s in listed)
    runs = any(s.kind == "call" and s.name in WORK_CALLS and s.name not in ALARM_CALLS for s in listed)
    return pending and not runs


def _pending_only(sites: list[Site]) -> bool:
    """The function hands Intents only to `PendingIntent` getters (a notification, an alarm): it starts nothing."""
    pending = any(s.name in PENDING_GETTERS and (s.receiver or "").endswith("PendingIntent") for s in sites)
    return pending and not any(s.kind == "call" and s.name in WORK_CALLS and s.name not in ALARM_CALLS
                               for s in sites)


def _intent_factory(sites: list[Site]) -> bool:
    """The function builds an Intent for a component (`Intent(ctx, X::class.java)`) and starts nothing itself."""
    return any(s.name in ("Intent", "ComponentName", "setClass", "setComponent", "setClassName") for s in sites) and \
        not any(s.kind == "call" and s.name in WORK_CALLS for s in sites)


# What a stored setting is read through (receiver or callee names), lower-cased.
SETTING_WORDS = ("pref", "setting", "mmkv", "datastore", "config")
# Conditions on the broadcast itself or the platform, not on anything the user chose.
NOT_SETTING = frozenset({"intent", "action", "extras", "SDK_INT", "VERSION", "Build"})


def _setting_gated(site: Site, first_read: int | None) -> bool:
    """`site` runs only under a condition that follows a stored setting read in the same function (the first
    such read is on line `first_read`): the condition reads the setting itself
    (`if (prefs.getBoolean("start_on_boot", false))`) or a value read from settings before it
    (`val start = PreferenceHelper.getInstance().shouldStartLoggingOnBootup(); if (start)`, an early return on
    the device address the user selected)."""
    for g in site.guards:
        if g.kind not in ("if", "when", "early-return"):
            continue
        for atom in g.atoms:
            if set(atom.names) & NOT_SETTING:
                continue  # `intent.action != BOOT_COMPLETED`, `Build.VERSION.SDK_INT >= 26`
            if any(_reads_setting(c) for c in atom.calls):
                return True
            if first_read is not None and first_read <= g.line:
                return True
    return False


def _reads_setting(call: str) -> bool:
    """`prefs.getBoolean`, `PreferenceHelper.getInstance().shouldStartLoggingOnBootup`, `meshPrefs.awaitDeviceAddress`
    (not writes: `prefs.edit().putBoolean`)."""
    head, _, name = call.rpartition(".")
    if KEY_WRITES.match(name) or name in ("edit", "apply", "commit"):
        return False
    low = call.lower()
    return any(w in low for w in SETTING_WORDS) and (bool(head) or name in PREFS_READS)


def _project_class(ctx: Context, cls: str) -> str | None:
    """The project class a manifest names; a `.relative` name whose package the build sets elsewhere (a
    convention plugin's `namespace`) is matched by its unique qualified suffix."""
    if cls in ctx.index.classes:
        return cls
    found = [fqn for fqn in ctx.index.classes if fqn.endswith(f".{cls}")]
    return found[0] if len(found) == 1 else None


def _http_enqueue(site: Site) -> bool:
    """`call.enqueue(callback)`: an OkHttp / Retrofit request run asynchronously, not WorkManager's `enqueue` (whose
    receiver is the `WorkManager` and whose argument a work request)."""
    if site.name != "enqueue":
        return False
    text = " ".join((site.receiver or "", site.rtype or "", *(a.text for a in site.args))).lower()
    return "work" not in text


def _work_site(ctx: Context, fid: FnId, site: Site, receiver: str) -> Msg | None:
    if site.kind in ("call", "new") and site.name in COMPONENT_STARTERS and site.args:
        started = [short(owner) for owner in dict.fromkeys(ctx.index.function(t).owner
                                                            for t, _how in ctx.index.component_targets(fid, site))
                   if owner != receiver]  # a broadcast to itself (a widget refreshing) starts nothing else
        if started:
            return say(ctx, META, "starts", component=started[0])
    if site.kind == "call" and site.name in WORK_CALLS and not _http_enqueue(site) and \
            not any(how == "exact" for _t, how in ctx.index.resolve(fid, site)):  # the project's own `schedule()`
        return say(ctx, META, "calls", call=site.qualified)
    sdk = ctx.sdk_calls.match(fid, site, roles=("init",))
    if sdk is not None:
        return say(ctx, META, "initialises", sdk=sdk[0].name.split(" (", 1)[0])
    api = ctx.apis.match(fid, site)
    if api is not None and api.pi_kind:
        label = ctx.catalog.pi_kinds[api.pi_kind]
        return say(ctx, META, "reads", kind=Msg(label.label_en.lower(), label.label_zh))
    return None
