"""An SDK's "user agreed to the privacy policy" switch is set to a hard-coded `true` before consent.

## What it does
Finds an SDK's privacy-consent call — AMap `updatePrivacyAgree(ctx, true)`, Baidu
`SDKInitializer.setAgreePrivacy(ctx, true)`, Tencent `setUserAgreePrivacy(true)`, JPush
`JCollectionAuth.setAuth(ctx, true)`, Umeng `submitPolicyGrantResult(ctx, true)`, GeTui
`setPrivacyPolicyStrategy`, MobTech `submitPolicyGrantResult(true)`, GDT `setAgreePrivacyStrategy(true)` … —
whose consent argument is the literal `true` on a path that runs before the user consents — or anywhere
at all when the app never asks for consent (no code reads a stored agreement): then nobody has agreed,
whichever screen makes the call (but not in an Application subclass the manifest never names: Android never
creates it, nor behind a stored data-collection switch that is off until the user turns it on -
`if (prefs.crashReportingEnabled) setCrashlyticsCollectionEnabled(true)` with the getter reading
`getBoolean("crash_reporting", false)`: the user's opt-in is the agreement passed on).

## Why is this bad?
These switches exist so that the SDK collects nothing until the user agrees. Passing `true` at start-up
tells the SDK the user agreed when they have not: the SDK starts collecting and the app misrepresents
consent (191号文 三.1, 三.4 "以默认选择同意隐私政策等非明示方式征求用户同意", 三.7). Public code shows this pattern
very often.

## Example
```kotlin
AMapLocationClient.updatePrivacyShow(this, true, true)
AMapLocationClient.updatePrivacyAgree(this, true)   // in Application.onCreate
```

## Use instead
```kotlin
AMapLocationClient.updatePrivacyShow(this, true, true)
AMapLocationClient.updatePrivacyAgree(this, PrivacyStore.isAgreed(this))
```

## Fix safety
No automatic fix: the stored-consent expression is the project's own.

It also finds the switch set from a stored setting whose default is `true` — `prefs.getBoolean(KEY, true)`,
a preference object's property (`preferenceStore.getBoolean("analytics", true)`) whose `.changes()` flow is
collected at start, a DataStore value `?: true` / `stateIn(…, true)` — passed directly, through a helper's
parameter (`TelemetryConfig::setAnalyticsEnabled`, `updateAnalyticsConsent(prefs.analyticsAllowed.value)`), or
as the value of a flow it collects (`enabled.collect { analytics.setAnalyticsCollectionEnabled(it) }`, where
`enabled` is a property initialised with `prefs.sendUsageStatistics`, an override of an interface's property):
on first launch nothing is stored, so the SDK is told the user agreed although nobody was asked. The default
is shown as a related location.

It also finds the switch given the negation of a `BuildConfig` flag that every shipped build has off
(`setCrashlyticsCollectionEnabled(!BuildConfig.DEBUG)`, `BuildConfig.DEBUG.not()`, a `buildConfigField` false in
release): in every build that reaches users it is `true`.

## Limitations
A literal `true`, the negation of a release-off `BuildConfig` flag, or a stored setting whose default is `true`
(one hop through a parameter), is reported; other variables that are always true are not recognised. When the app has a
consent check, a hard-coded `true` in code that runs only after it (a map screen the user opens) is taken
as covered by that consent. Calls listed in
`rules/data/sdks.toml` (`agree` entries with the position of their boolean argument) are known. A project class
declared under the SDK's own name (a no-op stand-in a build flavour without the SDK compiles against) is taken
for the SDK when the project depends on the SDK: the other builds call the real one.

## References
- 191号文 三.1, 三.4, 三.7
- PIPL Art. 14 (consent must be voluntary and explicit)
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from pipl_lint.catalogs import Sdk, SdkCall
from pipl_lint.findings import Category, Finding, Related, Severity, Span
from pipl_lint.model.conditions import COLLECTION_SWITCH, READS_WITH_DEFAULT
from pipl_lint.model.entrypoints import unregistered_applications
from pipl_lint.model.index import FnId
from pipl_lint.model.summary import Guard, Site
from pipl_lint.ruleapi import Context, RuleMeta

META = RuleMeta(
    id="EC103",
    name="sdk-privacy-flag-hardcoded",
    category=Category.EARLY_COLLECTION,
    severity=Severity.ERROR,
    summary="An SDK's privacy-consent switch is hard-coded to `true` before the user consents",
    fix="Pass the stored consent (`PrivacyStore.isAgreed(ctx)`), or call it with `true` only from the agree callback",
    references=("191号文 三.1", "191号文 三.4", "191号文 三.7", "PIPL Art. 14"),
    messages={"hardcoded": "{sdk}: `{call}` tells the SDK the user agreed (`true`) before the user has consented "
                           "(reached from {entry})",
              "never-asked": "{sdk}: `{call}` tells the SDK the user agreed (`true`), but the app never asks for "
                             "consent: no code reads a stored agreement",
              "default-on": "{sdk}: `{call}` is given `{value}`, a stored setting that defaults to `true`: on first "
                            "launch the SDK is told the user agreed before anybody asked (reached from {entry})",
              "release": "{sdk}: `{call}` is given `{value}`, which is `true` in every shipped build: the SDK is told "
                         "the user agreed before the user has consented (reached from {entry})"},
)


def _hardcoded(ctx: Context, fid: FnId, site: Site) -> tuple[Sdk, SdkCall] | None:
    hit = ctx.sdk_calls.match(fid, site, roles=("agree",))
    if hit is None:
        return None
    sdk, _role, call = hit
    if call.arg is None or call.arg >= len(site.args):
        return None
    text = site.args[call.arg].text.strip()
    if text != "true" and not _true_when_shipped(text, ctx.consent.flags_off):
        return None
    return sdk, call


def _true_when_shipped(text: str, flags_off: frozenset[str]) -> bool:
    """`!BuildConfig.DEBUG`, `BuildConfig.DEBUG.not()`: the negation of a BuildConfig flag that every shipped build
    has off (DEBUG, a buildConfigField false in release) is `true` in every build that reaches users."""
    flat = "".join(text.split())
    if flat.startswith("!"):
        flat = flat[1:]
        if flat.startswith("(") and flat.endswith(")"):
            flat = flat[1:-1]
    elif flat.endswith(".not()"):
        flat = flat[: -len(".not()")]
    else:
        return False
    head, _, flag = flat.rpartition(".")
    return flag in flags_off and (head == "BuildConfig" or head.endswith(".BuildConfig"))


# Calls whose lambda receives the values of the flow (LiveData) they are called on.
COLLECTORS = frozenset({"collect", "collectLatest", "onEach", "observe", "observeForever", "subscribe"})
# Reads through a stored value's holder that say nothing about its default.
_FLOW_STEPS = frozenset({"changes", "value", "get", "first", "firstOrNull", "asFlow", "asStateFlow", "data",
                         "collectAsState", "getValue", "isEnabled", "enabled", "it", "this"})


def _default_on(ctx: Context, fid: FnId, site: Site) -> tuple[Sdk, SdkCall, str, FnId, Site] | None:
    """An agree call whose consent argument is a stored setting read with the default `true`: directly, or
    through the parameter of the function it is in (its callers' arguments, or the flow a reference to it is
    collected from). Returns what names the value and where its default is written."""
    hit = ctx.sdk_calls.match(fid, site, roles=("agree",))
    if hit is None:
        return None
    sdk, _role, call = hit
    if call.arg is None or call.arg >= len(site.args):
        return None
    value = site.args[call.arg].text.strip()
    if value in ("true", "false") or not value:
        return None
    fn = ctx.index.function(fid)
    sources: list[tuple[FnId, str]] = []
    if value in fn.params:
        i = fn.params.index(value)
        for caller, csite in ctx.index.by_site_name.get(fn.name, ()):
            if caller not in ctx.pre_consent.reached or fid not in {t for t, _h in ctx.index.resolve(caller, csite)}:
                continue
            if csite.kind == "call" and i < len(csite.args):
                sources.append((caller, csite.args[i].text))
            elif csite.kind == "reference" and csite.deferred:  # `.onEach(Config::setEnabled)`: the flow's value
                sources.append((caller, csite.deferred[-1].receiver))
    elif site.deferred and site.deferred[-1].kind == "lambda" and site.deferred[-1].call in COLLECTORS and \
            site.deferred[-1].receiver and (value == "it" or value.isidentifier()):
        # `flow.collect { setAnalyticsCollectionEnabled(it) }`: the value is the flow's
        sources.append((fid, site.deferred[-1].receiver))
    else:
        sources.append((fid, value))
    for src_fid, text in sources:
        found = _stored_default_true(ctx, src_fid, text)
        if found is not None:
            return sdk, call, text.replace("\n", " ").strip(), found[0], found[1]
    return None


def _true_default(site: Site) -> bool:
    """`getBoolean(KEY, true)`, `stateIn(scope, started, true)`, `map { it[KEY] ?: true }`."""
    if site.kind != "call" or not site.args:
        return False
    last = site.args[-1].text.strip()
    if site.name in READS_WITH_DEFAULT and len(site.args) >= 2 and last == "true":
        return True
    if site.name == "stateIn" and last == "true":
        return True
    return any(a.text.replace(" ", "").rstrip("}").endswith("?:true") for a in site.args)


def _false_default(site: Site) -> bool:
    if site.kind != "call" or not site.args:
        return False
    last = site.args[-1].text.strip()
    return (site.name in READS_WITH_DEFAULT and len(site.args) >= 2 and last == "false") or \
        (site.name == "stateIn" and last == "false") or \
        any(a.text.replace(" ", "").rstrip("}").endswith("?:false") for a in site.args)


def _stored_default_true(ctx: Context, fid: FnId, text: str, hops: int = 2) -> tuple[FnId, Site] | None:
    """Where `text` (`prefs.getBoolean(K, true)`, `privacyPreferences.analytics .changes()`,
    `analyticsPrefs.analyticsAllowed.value`) gets a default `true`: a read in `fid` itself, or the
    initialiser or getter of the property it names, in a class that declares it (or overrides it:
    `override val sendUsageStatistics = dataStore.data.map { it[PREF_SEND_USAGE_STATISTICS] ?: true }`), or,
    through a property of `fid`'s class initialised with another one (`val enabled = prefs.sendUsageStatistics`),
    where that one gets it."""
    for s in ctx.index.sites_of(fid):
        if _true_default(s) and s.qualified in text:
            return fid, s
    words = [w.strip("()?!") for w in text.replace("?.", ".").replace(" ", "").split(".")]
    props = [w for w in words if w.isidentifier() and w[:1].islower() and w not in _FLOW_STEPS]
    owner = ctx.index.function(fid).owner
    for prop in reversed(props):
        alias = next((c for c in ctx.index.files[fid.file].constants if c.owner == owner and c.name == prop
                      and len(c.values) == 1 and "." in c.values[0]), None)
        if alias is not None and hops > 0:
            found = _stored_default_true(ctx, fid, alias.values[0], hops - 1)
            if found is not None:
                return found
        for fqn, (decl, _fi) in ctx.index.classes.items():
            if prop not in dict(decl.fields) and not any(
                    prop in dict(d.fields) for a in ctx.index.ancestors(fqn)
                    if (d := ctx.index.class_of(a)) is not None):
                continue
            getter = ctx.index.find_member(fqn, f"get:{prop}", up=False)
            for g in getter:
                hit = next((s for s in ctx.index.sites_of(g) if _true_default(s)), None)
                if hit is not None:
                    return g, hit
            inits = ctx.index.find_member(fqn, "<init>", up=False)
            reads = [(f, s) for f in inits for s in ctx.index.sites_of(f) if _true_default(s) or _false_default(s)]
            named = [(f, s) for f, s in reads if any(prop.lower() == v.lower() for a in s.args for v in a.strings)
                     or any(_key_of(ref).endswith(_key_of(prop)) for a in s.args for ref in a.refs)]
            pick = named or reads
            if pick and all(_true_default(s) for _f, s in pick):
                return pick[0]
    return None


def _key_of(name: str) -> str:
    """`PREF_SEND_USAGE_STATISTICS` and `sendUsageStatistics` both give `sendusagestatistics`."""
    return "".join(ch for ch in name.rsplit(".", 1)[-1] if ch.isalnum()).lower()


def check(ctx: Context) -> Iterator[Finding]:
    pc = ctx.pre_consent
    reported: set[int] = set()
    for reached, site, _state in pc.open_sites(lambda _fid, s: ctx.sdk_calls.may_match(s, "agree")):
        hit = _hardcoded(ctx, reached.fid, site)
        if hit is None:
            stored = _default_on(ctx, reached.fid, site)
            if stored is not None:
                sdk, call, value, dfid, dsite = stored
                reported.add(id(site))
                message = ctx.say(META, "default-on", sdk=sdk.name, call=f"{call.owner_simple}.{call.method}",
                                  value=value[:80], entry=reached.entry.note)
                span = Span(dsite.line, dsite.column, dsite.end_line, dsite.end_column)
                same = dfid == reached.fid and dsite.line == site.line  # `set…(prefs.getBoolean(K, true))`
                note = "the stored setting defaults to `true` here"
                related = () if same else (Related(ctx.path_of(dfid), span, note),)
                finding = ctx.site_finding(META, reached.fid, site, message,
                                           trace=pc.trace(reached, site, f"`{site.qualified}(…)`"))
                yield replace(finding, related=related)
            continue
        sdk, call = hit
        reported.add(id(site))
        value = site.args[call.arg].text.strip() if call.arg is not None else "true"
        key = "hardcoded" if value == "true" else "release"
        message = ctx.say(META, key, sdk=sdk.name, call=f"{call.owner_simple}.{call.method}",
                          entry=reached.entry.note, value=value[:80])
        trace = pc.trace(reached, site, f"`{site.qualified}(…, {value[:80]})`")
        yield ctx.site_finding(META, reached.fid, site, message, trace=trace)
    if ctx.consent.asks_for_consent():
        return  # the app asks: code that runs after its check is covered by the answer
    dead = unregistered_applications(ctx.index, ctx.manifests)  # Android never creates them
    # Behind a stored data-collection switch that is off until the user turns it on (`if (prefs.crashReportsOn)
    # setCrashlyticsCollectionEnabled(true)`, default `false`): the user's opt-in is the agreement it passes on.
    first_launch = pc.first_launch
    candidates = [(fid, site, hit) for fid in ctx.index.all_functions() for site in ctx.index.sites_of(fid)
                  if id(site) not in reported and (hit := _hardcoded(ctx, fid, site)) is not None
                  and not ctx.consent.state(site).gated and not _in_classes(ctx.index.function(fid).owner, dead)
                  and not _opted_in(first_launch.off_guard(fid, site))]
    for fid, site, (sdk, call) in candidates:
        message = ctx.say(META, "never-asked", sdk=sdk.name, call=f"{call.owner_simple}.{call.method}")
        yield ctx.site_finding(META, fid, site, message)


def _opted_in(guard: Guard | None) -> bool:
    """A guard false on first launch that tests a stored data-collection switch (`crashReportingEnabled`,
    `getBoolean("analytics_enabled", false)`): only the user's opt-in turns it on."""
    return guard is not None and any(COLLECTION_SWITCH.search(t) for a in guard.atoms
                                     for t in (a.text, *a.names, *a.strings))


def _in_classes(owner: str, classes: frozenset[str]) -> bool:
    return owner in classes or any(owner.startswith(c + ".") for c in classes)
