"""An SDK schedules periodic work that reads personal information, and hosts cannot turn it off.

## What it does
In an SDK module, finds periodic schedules — `PeriodicWorkRequestBuilder` / `PeriodicWorkRequest.Builder`
(WorkManager), `AlarmManager.setRepeating` / `setInexactRepeating`, `Timer.schedule(task, delay, period)` /
`scheduleAtFixedRate`, `ScheduledExecutorService.scheduleAtFixedRate` / `scheduleWithFixedDelay` — whose work
reads personal information without a check of the SDK's consent switch, when no public function of the
SDK cancels the schedule (`cancelUniqueWork`, `cancelAllWorkByTag`, `AlarmManager.cancel`, `Timer.cancel`,
`shutdown` …).

## Why is this bad?
Collection "at a frequency beyond what the service needs" is a named violation (164号 (一)1 超频次收集), and a
host that withdraws consent must be able to stop the SDK (PIPL Art. 15; T/CSAC 006-2023 covers the SDK's
exit). Periodic work outlives the screen that started it: without an off switch the host cannot honour
a withdrawal.

## Example
```kotlin
fun init(ctx: Context) {
    WorkManager.getInstance(ctx).enqueue(PeriodicWorkRequestBuilder<UploadWorker>(15, MINUTES).build())
}   // UploadWorker.doWork reads the Wi-Fi BSSID; nothing public cancels it
```

## Use instead
```kotlin
fun stop(ctx: Context) = WorkManager.getInstance(ctx).cancelUniqueWork("tracker-upload")
// and in doWork: if (!Tracker.isPrivacyAgreed()) return Result.success()
```

## Fix safety
No automatic fix.

## Limitations
The work is found through the worker or task class the schedule names (a type argument, `X.class`,
`X::class.java`, an object created in the call) or a lambda or anonymous task handed to it; an alarm's
work through the receivers and services the scheduling function names. A cancel call counts when some
public function reaches it, whatever it cancels.

## References
- 164号 (一)1
- PIPL Art. 15
- T/CSAC 006-2023: scope read (App and SDK providers, design to exit), clauses not [P]
"""

from __future__ import annotations

from collections.abc import Iterator

from pipl_lint.catalogs import ApiEntry
from pipl_lint.findings import Category, Finding, Severity
from pipl_lint.model.index import FnId
from pipl_lint.model.reach import Entry, PreConsent
from pipl_lint.model.sdk_modules import SdkModule, api_entries, sdk_consent, sdk_modules
from pipl_lint.model.summary import Site
from pipl_lint.ruleapi import Context, RuleMeta
from pipl_lint.rules.sdk_provider._common import kind_label, may_read, pi_read

META = RuleMeta(
    since="0.2.0",
    id="SD605",
    name="sdk-periodic-collection-without-off-switch",
    category=Category.SDK_PROVIDER,
    severity=Severity.WARNING,
    summary="An SDK schedules periodic work that reads personal information, and hosts cannot turn it off",
    fix="Give hosts a public stop/disable function that cancels the schedule, and check the consent switch in "
        "the periodic work",
    references=("164号 (一)1", "PIPL Art. 15", "T/CSAC 006-2023"),
    messages={
        "periodic": "`{call}` schedules work that reads {kind} (`{read}`) periodically, and no public function of "
                    "the SDK cancels it",
    },
)

WORKERS = ("androidx.work.Worker", "androidx.work.ListenableWorker", "androidx.work.CoroutineWorker")
TASKS = ("java.util.TimerTask", "java.lang.Runnable", "java.util.concurrent.Callable")
COMPONENTS = ("android.content.BroadcastReceiver", "android.app.Service", "android.app.job.JobService")
WORK_METHODS = ("doWork", "startWork", "run", "call", "onReceive", "onStartCommand", "onHandleIntent",
                "onHandleWork", "onStartJob")
CANCELS = frozenset({"cancelUniqueWork", "cancelAllWork", "cancelAllWorkByTag", "cancelWorkById", "cancel",
                     "shutdown", "shutdownNow", "purge"})


def _periodic(site: Site) -> bool:
    if site.kind not in ("call", "new"):
        return False
    if site.name == "PeriodicWorkRequestBuilder":
        return True
    if site.name == "Builder" and "PeriodicWorkRequest" in (site.receiver or ""):
        return True
    if site.name in ("setRepeating", "setInexactRepeating", "scheduleAtFixedRate", "scheduleWithFixedDelay"):
        return True
    return site.name == "schedule" and len(site.args) == 3 and (site.rtype or "").endswith("Timer")


def _named_classes(ctx: Context, fid: FnId, site: Site, bases: tuple[str, ...], whole_function: bool) -> list[str]:
    """Project classes of `bases` the schedule names: in its code (type argument, `X.class`, `X()`) or, for
    alarms, anywhere in the scheduling function."""
    texts = [ctx.site_code(fid, site) or ""]
    texts += [ref for a in site.args for ref in a.refs] + [a.text for a in site.args]
    if whole_function:
        texts += [ref for s in ctx.index.sites_of(fid) for a in s.args for ref in a.refs]
    words = {w for t in texts for w in t.replace("::", ".").replace("<", " ").replace(">", " ").replace("(", " ")
             .replace(".", " ").replace(",", " ").split()}
    owner = ctx.index.function(fid).owner
    found = []
    for word in words:
        cls = ctx.index.resolve_type(word, fid.file, owner)
        if cls in ctx.index.classes and ctx.index.is_subtype(cls, *bases):
            found.append(cls)
    return sorted(found)


def _work(ctx: Context, fid: FnId, site: Site) -> list[FnId]:
    """The functions the schedule runs periodically."""
    alarm = site.name in ("setRepeating", "setInexactRepeating")
    bases = COMPONENTS if alarm else (*WORKERS, *TASKS)
    out: list[FnId] = []
    for cls in _named_classes(ctx, fid, site, bases, alarm):
        for name in WORK_METHODS:
            out += ctx.index.find_member(cls, name)
    if not alarm:  # a lambda or anonymous task handed to the call: its calls, walked inline
        for edge in ctx.index.edges(fid):
            if edge.site is not None and _handed_to(edge.site, site):
                out.append(edge.target)
    return out


def _inline_reads(ctx: Context, fid: FnId, site: Site) -> Iterator[Site]:
    for s in ctx.index.sites_of(fid):
        if _handed_to(s, site):
            yield s


def _handed_to(inner: Site, call: Site) -> bool:
    """`inner` is in a lambda or anonymous task handed to `call`."""
    return any(d.call == call.name and call.line <= d.line <= call.end_line for d in inner.deferred)


def _can_cancel(ctx: Context, sdk: SdkModule) -> bool:
    walk = PreConsent(ctx.index, sdk_consent(ctx), api_entries(ctx, sdk), stop_at_consent=False)
    return any(s.kind == "call" and s.name in CANCELS for r in walk.functions() for s in ctx.index.sites_of(r.fid))


def _reads(ctx: Context, fid: FnId, site: Site) -> tuple[ApiEntry, str] | None:
    """The first personal-information read of the work a schedule runs, unless a consent check guards it."""
    consent = sdk_consent(ctx)
    for inner in _inline_reads(ctx, fid, site):
        if not consent.state(inner).gated and (hit := pi_read(ctx, fid, inner)) is not None:
            return hit
    entries = [Entry(w, "periodic", "", ctx.path_of(w), ctx.index.function(w).line) for w in _work(ctx, fid, site)]
    for reached, inner, _state in PreConsent(ctx.index, consent, entries).open_sites(lambda _f, s: may_read(ctx, s)):
        if (hit := pi_read(ctx, reached.fid, inner)) is not None:
            return hit
    return None


def check(ctx: Context) -> Iterator[Finding]:
    for sdk in sdk_modules(ctx):
        found = [(fid, site, hit) for fid in ctx.index.all_functions() if sdk.owns(fid)
                 for site in ctx.index.sites_of(fid) if _periodic(site) and (hit := _reads(ctx, fid, site))]
        if not found or _can_cancel(ctx, sdk):
            continue
        for fid, site, (api, call) in found:
            yield ctx.site_finding(META, fid, site, ctx.say(META, "periodic", call=site.name,
                                                            kind=kind_label(ctx, api), read=call))
