"""A data-collecting SDK is initialised before the user consents.

## What it does
Finds the initialisation calls of catalogued SDKs (Umeng `UMConfigure.init`, `JPushInterface.init`, Bugly
`CrashReport.initCrashReport`, AppsFlyer `start`, `FirebaseApp.initializeApp`, `SentryAndroid.init`,
`MobileAds.initialize` …) that run before consent: in an entry point (Application, ContentProvider,
androidx.startup initializer, launcher activity, boot receiver) or anything they call, without a consent
check. The SDKs' "pre-init" calls that their vendors allow before consent (`UMConfigure.preInit`) are
not reported. An init inside a helper (`UmengHelper.init()`, `InitManager.initSdks()`) is reported on the
call in the entry code that leads into it (the line to move behind consent), with the init calls as
related locations ("collects at File:line"); one finding per entry call, listing the SDKs it starts. An
init in a helper that more than three entry calls lead to is reported where it is, once, with the number of
calls in the message.

Conditions along the path count as for `pi-api-before-consent`: an init behind a condition false on first
launch (a switch off by default, a boolean field that starts `false` and only an ad's callback sets) is not
reported; one behind a condition the code does not decide on first launch (a server's switch, an intent extra,
a setting whose default it does not show) is a warning that names the condition; one behind a stored setting
whose default is `true` (`prefs.getBoolean(SEND_STATS, true)`, the app's helper or a short getter or Kotlin
property returning such a read, also under a key named like consent) stays an error: it holds on first launch, an
opt-out and not consent, and the message says so, with the default as the trace's last step. A severity configured
for the rule applies to every finding.

A consent check may sit in a project wrapper that takes the code as a lambda (`inline fun analyticsSafe(block:
() -> Unit) { if (agreed()) block() }`, `if (!agreed()) return; Firebase.analytics.block()`): an init in the lambda
handed to it is gated when every invocation of that parameter in the wrapper is (see `model/consent.py`).

An init right after the SDK's own privacy switch is handed the stored answer in the same block
(`StatService.setAuthorizedState(this, agreed); StatService.start(this)`) is not reported: without an agreement
the SDK collects nothing (a switch hard-coded on is EC103's, and the init stays reported).
Likewise an init the SDK's own off switch keeps silent on first launch, set in the same function from the user's
stored opt-in: its catalogued disable call (`GoogleAnalytics.getInstance(ctx).setAppOptOut(!statsOn)`, before or
after the init; also split over an `if`/`else` whose other branch disables it outright) or the catalogued off
option of the init's configuration lambda (Sentry `SentryAndroid.init(ctx) { it.dsn = if (statsOn) DSN else "" }`),
where the opt-in is false on first launch (a stored read with the default `false`, directly, through a local or the
app's getter, or the consent answer). A setting whose default is `true` is an opt-out: the init stays reported, as
it does when the switch is set only in one branch (`if (BuildConfig.DEBUG) setAppOptOut(!statsOn)`).

Firebase is started in code too: `FirebaseApp.initializeApp` / `Firebase.initialize` (every Firebase SDK among the
dependencies), `FirebaseAnalytics.getInstance` / `Firebase.analytics` (the instance that logs events),
`FirebaseCrashlytics.getInstance` / `Firebase.crashlytics` (the instance that sends log lines, keys and non-fatal
exceptions) — reported for the SDKs among the app's dependencies whose manifest master switch does not keep them
off (`firebase_analytics_collection_enabled=false`: nothing is collected until the app turns collection on), and
not when the instance is only obtained to set the SDK's own switch
(`FirebaseAnalytics.getInstance(ctx).setAnalyticsCollectionEnabled(false)`).

What runs before consent includes a log sink the entry code installs — a Timber tree it plants
(`Timber.plant(CrashReportTree())`), a writer it installs in a logger (`AppLog.install(writer)`,
`addLogWriter(writer)`): its `log` receives every log line from then on, so an SDK call there is reported
where it is, with the installing call on its path.

## Why is this bad?
An SDK collects device identifiers, location or app lists as soon as it is initialised; the app is liable
for what its SDKs collect (191号文 五.1 "通过客户端嵌入的第三方代码、插件等方式向第三方提供个人信息"; 164号 targets
SDKs explicitly; PIPL Art. 13, Art. 23). Vendors' own compliance guides require initialisation after the
user agrees.

## Example
```kotlin
override fun onCreate() {
    super.onCreate()
    UMConfigure.init(this, KEY, "official", UMConfigure.DEVICE_TYPE_PHONE, "")   // reported here
    InitManager.initSdks(this)   // reported here; "collects at" the inits inside it
}
```

## Use instead
```kotlin
override fun onCreate() {
    super.onCreate()
    UMConfigure.preInit(this, KEY, "official")          // allowed before consent
    if (PrivacyStore.isAgreed(this)) SdkBootstrap.initAll(this)
}
// the privacy dialog's agree button: PrivacyStore.setAgreed(ctx, true); SdkBootstrap.initAll(ctx)
```

## Fix safety
For Umeng, `--unsafe-fixes` rewrites `UMConfigure.init(ctx, key, channel, type, secret)` to the
vendor-sanctioned `UMConfigure.preInit(ctx, key, channel)`. The fix is **unsafe**: it changes behaviour,
as the SDK no longer starts until you call `UMConfigure.submitPolicyGrantResult(ctx, true)` and
`UMConfigure.init(...)` from the agree callback (and at launch when the stored consent is true) — add
that call yourself. Plain `--fix` never applies it. Other SDKs have no automatic fix.

## Limitations
Only SDK calls listed in the catalog (`rules/data/sdks.toml`) are known; an SDK started from a binary, by
reflection or by its own ContentProvider is reported by `sdk-autoinit-provider-active` and
`sdk-collection-enabled-by-manifest` instead. Consent checks are recognised as described for
`pi-api-before-consent`. An init given the argument that keeps the SDK from collecting or sending (Datadog
`initialize(ctx, config, TrackingConsent.PENDING)`; a catalog `value` on the init call) is not reported.
An off switch is followed only when one condition chooses its value (`!on`, `if (on) A else B`, `on ? A : B`);
a value computed otherwise (`setAppOptOut(shouldOptOut())`) leaves the init reported.

## References
- 191号文 三.1, 五.1; 164号 (一)1
- PIPL Art. 13, Art. 23
- GB/T 41391-2022 6.6; GB/T 43435-2023
"""

from __future__ import annotations

from collections.abc import Iterator

from pipl_lint.catalogs import Sdk, SdkCall
from pipl_lint.findings import Applicability, Category, Edit, Finding, Severity
from pipl_lint.i18n import Msg, join
from pipl_lint.model.consent_flow import is_fixed, value
from pipl_lint.model.index import FnId
from pipl_lint.model.summary import Arg, Guard, Site
from pipl_lint.ruleapi import Context, RuleMeta
from pipl_lint.rules.early_collection._common import (
    Collecting,
    app_meta_data,
    at_severity,
    by_entry_call,
    callee,
    entry_call_finding,
    listing,
    lowered,
    manifest_off,
    many_callers,
    opt_out,
    path_notes,
    with_opt_out,
)

META = RuleMeta(
    id="EC102",
    name="sdk-init-before-consent",
    category=Category.EARLY_COLLECTION,
    severity=Severity.ERROR,
    summary="A data-collecting SDK is initialised before the user consents",
    fix="Initialise the SDK in the agree callback and, on later launches, only when the stored consent is true",
    references=("191号文 三.1", "191号文 五.1", "164号 (一)1", "PIPL Art. 13", "PIPL Art. 23"),
    fixable=True,
    messages={
        "starts": "{sdk}: `{call}` starts the SDK before the user consents (reached from {entry}){notes}",
        "leads-to": "{sdks}: `{callee}` starts the SDK ({calls}) before the user consents (reached from {entry})"
                    "{notes}",
    },
)

# Init calls with a vendor "pre-init" that may run before consent: (owner, method) → (pre-init method,
# how many leading arguments it takes, how many the init call has).
PRE_INIT = {("com.umeng.commonsdk.UMConfigure", "init"): ("preInit", 3, 5)}


def pre_init_edits(ctx: Context, fid: FnId, site: Site, call: SdkCall) -> tuple[Edit, ...]:
    """Rename the call to its pre-init and drop the arguments the pre-init does not take (unsafe)."""
    spec = PRE_INIT.get((call.owner, call.method))
    code = ctx.site_code(fid, site)
    if spec is None or code is None or len(site.args) != spec[2]:
        return ()
    name_at = code.find(f".{site.name}", len(site.receiver or "")) + 1
    pos = code.find("(", name_at)
    if name_at <= 0 or pos < 0:
        return ()
    ends: list[int] = []
    for arg in site.args:  # the parsed arguments, located in order inside the call's own text
        at = code.find(arg.text, pos)
        if at < 0:
            return ()
        pos = at + len(arg.text)
        ends.append(pos)
    unsafe = Applicability.UNSAFE
    edits = (ctx.site_edit(fid, site, spec[0], start=name_at, end=name_at + len(site.name), applicability=unsafe),
             ctx.site_edit(fid, site, "", start=ends[spec[1] - 1], end=ends[-1], applicability=unsafe))
    return tuple(e for e in edits if e is not None) if all(edits) else ()


def _switched_by_answer(ctx: Context, fid: FnId, init: Site, sdk_id: str) -> bool:
    """Just before the init, in the same block, the SDK's own privacy switch is handed the stored answer, not a
    literal (`StatService.setAuthorizedState(this, state == Agreed)`): without an agreement it collects nothing."""
    for site in ctx.index.sites_of(fid):
        if site.line > init.line or site.deferred != init.deferred or site is init:
            continue
        hit = ctx.sdk_calls.match(fid, site, roles=("agree",))
        if hit is None or hit[0].id != sdk_id:
            continue
        call = hit[2]
        args = site.args
        arg = args[call.arg] if call.arg is not None and -len(args) <= call.arg < len(args) else None
        if arg is not None and not is_fixed(value(arg)):
            return True
    return False


def _off_first(ctx: Context, fid: FnId, arg: Arg, off: str) -> bool:
    """On first launch the argument has the value that keeps the SDK off (`off`, `|`-separated alternatives): it is
    that literal, or one condition chooses it (`!analyticsOn`, `if (analyticsOn) DSN else ""`: `Arg.choice`) and
    that condition is false on first launch - the user's stored opt-in, read with the default `false` (directly,
    through a local or the app's getter), or the consent answer itself. A setting on by default (an opt-out) or
    one the code does not decide does not count."""
    values = [v.strip() for v in off.split("|")]
    if value(arg) in values:
        return True
    if arg.choice is None:
        return False
    atom, _when, other = arg.choice
    if other.strip() not in values:
        return False
    first = ctx.pre_consent.first_launch
    if first.default_on(fid, atom) is not None:
        return False  # `getBoolean(SEND_STATS, true)`: on before anybody was asked
    return ctx.consent.atom_is_consent(atom) or first.atom_off(fid, atom)


def _switched_off_by_answer(ctx: Context, fid: FnId, init: Site, sdk_id: str, call: SdkCall) -> bool:
    """In the same function as the init, the SDK is kept off on first launch by its own switch handed the stored
    opt-in: its catalogued disable call (`GoogleAnalytics.getInstance(ctx).setAppOptOut(!analyticsOn)`, also in
    both branches of an `if`/`else`, one of them `setAppOptOut(true)`), or the option of the init's configuration
    lambda that keeps it from sending (`SentryAndroid.init(ctx) { it.dsn = if (analyticsOn) DSN else "" }`)."""
    covered: list[Guard | None] = []
    for site in ctx.index.sites_of(fid):
        if site is init or site.kind != "call":
            continue
        extra = [g for g in site.guards if g not in init.guards]
        if len(extra) > 1 or (extra and extra[0].kind not in ("if", "else")):
            continue
        if call.off_option and site.name == call.off_option and len(site.args) == 1 and \
                site.deferred[:-1] == init.deferred and site.deferred and \
                (site.deferred[-1].call, site.deferred[-1].receiver, site.deferred[-1].line) == \
                (init.name, init.receiver or "", init.line):
            if not extra and _off_first(ctx, fid, site.args[0], call.off_value or ""):
                return True
            continue
        if site.deferred != init.deferred or not ctx.sdk_calls.may_match(site, "disable"):
            continue
        hit = ctx.sdk_calls.match(fid, site, roles=("disable",))
        if hit is None or hit[0].id != sdk_id or hit[2].arg is None or hit[2].value is None:
            continue
        off = hit[2]
        args = site.args
        if not -len(args) <= off.arg < len(args) or not _off_first(ctx, fid, args[off.arg], off.value):
            continue
        covered.append(extra[0] if extra else None)
    if None in covered:
        return True
    # `if (BuildConfig.DEBUG) setAppOptOut(true) else setAppOptOut(!analyticsOn)`: both branches keep it off
    return any(g is not None and h is not None and g.line == h.line and {g.kind, h.kind} == {"if", "else"}
               for g in covered for h in covered)


def _switch_receiver(ctx: Context, fid: FnId, init: Site) -> bool:
    """The instance is obtained only to set the SDK's own switch: `FirebaseAnalytics.getInstance(ctx)
    .setAnalyticsCollectionEnabled(false)` (a disable call, or an agree call, which is EC103's)."""
    for site in ctx.index.sites_of(fid):
        if site is init or site.start != init.start or site.end <= init.end:
            continue
        if ctx.sdk_calls.match(fid, site, roles=("disable", "agree")) is not None:
            return True
    return False


def _gated_sdks(ctx: Context, fid: FnId, site: Site) -> list[Sdk]:
    """For a `manifest_gated` init (`FirebaseApp.initializeApp`, `FirebaseAnalytics.getInstance`): the SDKs it
    starts collecting — those among the app's dependencies whose manifest master switch is not set to keep them
    off (with it off, nothing is collected until the app turns the SDK on at run time). Empty also when the
    instance is only obtained to set the SDK's own switch."""
    if _switch_receiver(ctx, fid, site):
        return []
    present = {s.sdk_id for s in ctx.sdks}
    meta = app_meta_data(ctx)
    out: list[Sdk] = []
    for sdk, _role, call in ctx.sdk_calls.matches(fid, site, roles=("init",)):
        if call.manifest_gated and sdk.id in present and not manifest_off(sdk, meta) and sdk not in out:
            out.append(sdk)
    return out


def check(ctx: Context) -> Iterator[Finding]:
    pc = ctx.pre_consent
    hits: list[Collecting] = []
    calls: dict[tuple[FnId, int], SdkCall] = {}
    fixes: dict[str, Msg] = {}
    started: dict[tuple[FnId, int], list[str]] = {}  # the SDKs each init starts (several: `FirebaseApp.initializeApp`)
    for reached, site, state in pc.open_sites(lambda _fid, s: ctx.sdk_calls.may_match(s, "init")):
        hit = ctx.sdk_calls.match(reached.fid, site, roles=("init",))
        if hit is None:
            continue
        sdk, _role, call = hit
        sdks = [sdk]
        if call.manifest_gated:
            sdks = _gated_sdks(ctx, reached.fid, site)
            if not sdks:
                continue
            sdk = sdks[0]
        if call.keeps_off([a.text for a in site.args]):
            continue  # `Datadog.initialize(ctx, config, TrackingConsent.PENDING)`: starts, sends nothing
        if _switched_by_answer(ctx, reached.fid, site, sdk.id):
            continue  # `StatService.setAuthorizedState(ctx, agreed); StatService.start(ctx)`: the SDK's own switch
        if _switched_off_by_answer(ctx, reached.fid, site, sdk.id, call):
            continue  # `newTracker(…); setAppOptOut(!analyticsOn)`: off until the user opts in
        shown = f"{call.owner_simple}(…)" if call.method == call.owner_simple.rsplit(".", 1)[-1] else \
            f"{call.owner_simple}.{call.method}"
        calls[(reached.fid, site.start)] = call
        if sdk.fix:
            fixes[sdk.id] = Msg(sdk.fix, sdk.fix_zh or None)
        names = ", ".join(s.name for s in sdks)
        started[(reached.fid, site.start)] = [s.name for s in sdks]
        hits.append(Collecting(reached, site, state, shown, Msg(names), sdk.id,
                               f"`{site.qualified}` initialises {names}"))
    for entry_call, group in by_entry_call(ctx, hits):
        first = group[0]
        condition, severity = lowered(ctx, META, group)
        default = opt_out(ctx, first)
        notes = path_notes(first.reached, first.state, condition, severity, default)
        sdk_ids = list(dict.fromkeys(h.key for h in group))
        fix = fixes.get(sdk_ids[0]) if len(sdk_ids) == 1 else None
        edits = tuple(e for h in group for e in pre_init_edits(ctx, h.reached.fid, h.site,
                                                               calls[(h.reached.fid, h.site.start)]))
        if entry_call is None:
            notes = join(notes, many_callers(ctx, first), sep="", sep_zh="")
            message = ctx.say(META, "starts", sdk=first.what, call=first.call, entry=first.reached.entry.note,
                              notes=notes)
            trace = pc.trace(first.reached, first.site, first.note)
            finding = ctx.site_finding(META, first.reached.fid, first.site, message, fix=fix, trace=trace,
                                       edits=edits)
            yield at_severity(with_opt_out(finding, default), severity)
            continue
        _whats, shown = listing(group)
        names = dict.fromkeys(n for h in group for n in started[(h.reached.fid, h.site.start)])
        sdks = join(*(Msg(n) for n in names), sep=", ", sep_zh="、")
        message = ctx.say(META, "leads-to", sdks=sdks, callee=callee(ctx, entry_call),
                          calls=shown, entry=entry_call.caller.entry.note, notes=notes)
        finding = entry_call_finding(ctx, META, entry_call, group, message, fix, edits)
        yield at_severity(with_opt_out(finding, default), severity)
