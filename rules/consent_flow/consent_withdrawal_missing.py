"""The user cannot withdraw consent: nothing resets the stored agreement and switches the SDKs off.

## What it does
In an app that collects personal information (data SDKs, personal-information APIs, runtime permissions),
looks for a withdrawal path:

- a **reset of the stored agreement**: a SharedPreferences / MMKV write of `false` to (or removal of) a
  `privacy`/`agree`/`consent`/`隐私`/`协议` key, or a call such as `PrivacyStore.setAgreed(ctx, false)` /
  `revokeConsent()` to a project function that writes such a key;
- **the SDKs switched off** from there (the same function or what it calls): the catalogued disable calls of
  the SDKs among the dependencies — `JCollectionAuth.setAuth(ctx, false)`,
  `UMConfigure.submitPolicyGrantResult(ctx, false)`, `AMapLocationClient.updatePrivacyAgree(ctx, false)`,
  `AppsFlyerLib.getInstance().stop(true, ctx)`, `FirebaseAnalytics.setAnalyticsCollectionEnabled(false)` …

Reports the app (at the Application class) when there is no reset at all, and the reset when it switches off
none of the SDKs that have a disable call. An SDK collection switch set from a value rather than a literal
(`setAnalyticsCollectionEnabled(enabled)` driven by a Settings preference) is a way to withdraw, and so is
enough; so is a stored setting that names data collection written from the user's value
(`putBoolean(PREF_CRASH_REPORTING_DISABLED, !enabled)`, `putBoolean(getString(R.string.pref_analytics_key), on)`:
a crash-report or analytics switch that the collecting code reads). A write that names the UI
(`setShowPrivacyHint(false)`) is not a reset.

Like `consent-gate-missing`, an app distributed only outside China (`google-play`, `elsewhere`) with no catalogued
data SDK is not reported: its own code reads personal information for the feature the user opens, asked with
runtime permissions, and no consent was asked that could be withdrawn.

For an app distributed only outside China, Google's consent platform's privacy options form
(`UserMessagingPlatform.showPrivacyOptionsForm`) is the way back: the user changes the answer there.

## Why is this bad?
PIPL Art. 15 gives individuals the right to withdraw consent and requires a convenient way to do it
("应当提供便捷的撤回同意的方式"); 191号文 三.8 makes the lack of one a violation. Withdrawing only in the UI, while
the SDKs keep collecting, withdraws nothing.

## Example
```kotlin
// Settings offers push, cache and logout — no 撤回同意
```

## Use instead
```kotlin
private fun withdrawConsent() {
    PrivacyStore.setAgreed(this, false)
    JCollectionAuth.setAuth(this, false)
    UMConfigure.submitPolicyGrantResult(this, false)
    FirebaseAnalytics.getInstance(this).setAnalyticsCollectionEnabled(false)
    restartConsentFlow()                                      // back to the privacy dialog, basic mode
}
```

## Fix safety
No automatic fix.

## Limitations
Whether the reset is reachable from a Settings entry the user can find is not checked, nor whether every
SDK is switched off (one catalogued disable call is enough). Disable calls of SDKs missing from
`rules/data/sdks.toml` are not known. Consent stored on a server only is not seen.

## References
- PIPL Art. 15
- 191号文 三.8
"""

from __future__ import annotations

from collections.abc import Iterator

from pipl_lint.findings import Category, Finding, Severity, TraceStep
from pipl_lint.model.consent import CONSENT_WORD, UI_NAME
from pipl_lint.model.index import FnId
from pipl_lint.model.summary import Site
from pipl_lint.ruleapi import Context, RuleMeta
from pipl_lint.rules.consent_flow._common import (
    app_anchor,
    collection_switch_written,
    consent_expected,
    consent_platform,
    fix_text,
    is_literal,
    memo,
    names,
    outside_china,
    say,
    short,
    value,
    what_collects,
)

META = RuleMeta(
    id="CF310",
    name="consent-withdrawal-missing",
    category=Category.CONSENT_FLOW,
    severity=Severity.WARNING,
    summary="The user has no way to withdraw consent (stored agreement reset and SDKs switched off)",
    fix="Add 撤回同意 to Settings: set the stored agreement back, call the SDKs' disable APIs, delete local "
        "personal data and return to the consent screen",
    references=("PIPL Art. 15", "191号文 三.8"),
    messages={
        "no-reset": "{what} collect personal information, but nothing lets the user withdraw consent: no code sets the "
                    "stored agreement back",
        "sdks-on": "`{call}` withdraws consent but switches off none of the SDKs ({sdks}) that keep collecting",
    },
    fixes={"disable-sdks": "Call the SDKs' disable APIs next to the reset ({calls}), then restart the consent flow"},
)

WRITES = frozenset({"putBoolean", "putInt", "putString", "putLong", "encode", "remove", "removeValueForKey",
                    "removeKey", "set", "setBoolean", "edit"})
RESET_NAMES = ("revoke", "withdraw", "clear", "reset", "remove", "delete", "cancel")
def check(ctx: Context) -> Iterator[Finding]:
    what, _evidence = what_collects(ctx, brief=True)
    if not what.en or not consent_expected(ctx):
        return  # (outside China with no data SDK: no consent was asked, so there is none to withdraw)
    if outside_china(ctx) and consent_platform(ctx)[1]:
        return  # the consent platform's privacy options form (`showPrivacyOptionsForm`) changes the answer
    resets = _resets(ctx)
    if not resets:
        if _user_switch(ctx):
            return
        anchor = app_anchor(ctx)
        if anchor is None:
            return
        message = say(ctx, META, "no-reset", what=what)
        yield ctx.finding(META, anchor.path, anchor.span, message, trace=_settings_trace(ctx),
                          anchor="consent-withdrawal")
        return
    switchable = _switchable_sdks(ctx)
    if not switchable:
        return
    if any(_disables_sdk(ctx, fid) for fid, _site in resets):
        return
    fid, site = resets[0]
    calls = names([f"{c.owner_simple}.{c.method}" for _sdk, c in switchable], code=True)
    message = say(ctx, META, "sdks-on", call=site.qualified, sdks=names([_sdk_name(s) for s, _c in switchable]))
    fix = fix_text(ctx, META, "disable-sdks", calls=calls)
    yield ctx.site_finding(META, fid, site, message, fix=fix)


# --- resets of the stored agreement --------------------------------------------------------------------------

def _resets(ctx: Context) -> list[tuple[FnId, Site]]:
    def build() -> list[tuple[FnId, Site]]:
        writers = _agreement_writers(ctx)
        out: list[tuple[FnId, Site]] = []
        for fid in ctx.index.all_functions():
            for site in ctx.index.sites_of(fid):
                if site.kind == "call" and (_direct_reset(site) or _calls_reset(ctx, fid, site, writers)):
                    out.append((fid, site))
        return out

    return memo(ctx, "consent_resets", build)


def _user_switch(ctx: Context) -> bool:
    """An SDK's collection switch is set from a value, not a literal (`setAnalyticsCollectionEnabled(enabled)`
    from a Settings preference), or a collection setting is stored from one (`putBoolean(PREF_CRASH_REPORTING,
    enabled)`, `putBoolean(getString(R.string.pref_analytics_key), value)`): the user can switch it off, which
    withdraws consent for what it drives."""
    def build() -> bool:
        if collection_switch_written(ctx):
            return True
        present = {s.sdk_id for s in ctx.sdks}
        for _fid, site in ctx.sites(*ctx.catalog.sdk_calls_by_method):
            if site.kind != "call":
                continue
            # By method name among the SDKs the app depends on: the receiver is often a KTX extension
            # (`Firebase.analytics`) that the catalog's owner does not name.
            for sdk, role, call in ctx.catalog.sdk_calls_by_method[site.name]:
                arg = getattr(call, "arg", None)
                if sdk.id not in present or role not in ("disable", "agree") or arg is None or arg >= len(site.args):
                    continue
                recv = site.receiver or ""
                if recv.isidentifier() and recv[:1].isupper() and recv != getattr(call, "owner_simple", recv):
                    continue  # another class's method of the same name (`MobSDK.submitPolicyGrantResult`)
                text = value(site.args[arg])
                if not is_literal(text):
                    return True
        return False

    return memo(ctx, "user_switch", build)


def _keys(site: Site) -> list[str]:
    return [s for a in site.args for s in a.strings] + [r for a in site.args for r in a.refs]


def _consent_key(site: Site) -> bool:
    return any(CONSENT_WORD.search(k) and not k.startswith("R.") for k in _keys(site))


def _direct_reset(site: Site) -> bool:
    """`putBoolean(KEY_PRIVACY_AGREED, false)`, `encode("agree_privacy", false)`, `remove(KEY_AGREED)`."""
    if site.kind != "call" or site.name not in WRITES or not _consent_key(site):
        return False
    if site.name.startswith("remove"):
        return True
    return any(value(a) == "false" for a in site.args[1:])


def _agreement_writers(ctx: Context) -> set[FnId]:
    """Project functions that write a stored agreement (any value)."""
    return {fid for fid, s in ctx.sites(*WRITES) if s.kind == "call" and _consent_key(s)}


def _calls_reset(ctx: Context, fid: FnId, site: Site, writers: set[FnId]) -> bool:
    """`PrivacyStore.setAgreed(ctx, false)` / `ConsentManager.revoke()` on a project function that writes it."""
    if site.kind != "call":
        return False
    literal_false = any("false" in a.text and value(a) == "false" for a in site.args)
    named_reset = site.name.lower().startswith(RESET_NAMES) and bool(CONSENT_WORD.search(site.name))
    if not (literal_false or named_reset):
        return False
    if UI_NAME.search(site.name):
        return False  # `setShowPrivacyHint(false)`, `clearPrivacyDialog()`: the UI, not the stored answer
    return any(t in writers for t, _how in ctx.index.resolve(fid, site))


# --- SDKs switched off ----------------------------------------------------------------------------------------

def _switchable_sdks(ctx: Context) -> list[tuple[object, object]]:
    """(SDK, one of its disable calls) for every catalogued SDK among the dependencies that has one."""
    out = []
    seen: set[str] = set()
    for found in ctx.sdks:
        sdk = ctx.catalog.sdk(found.sdk_id)
        if sdk.id in seen or not sdk.disable:
            continue
        seen.add(sdk.id)
        out.append((sdk, sdk.disable[0]))
    return out


def _sdk_name(sdk: object) -> str:
    return str(getattr(sdk, "name", "")).split(" (", 1)[0]


def _disables_sdk(ctx: Context, start: FnId, depth: int = 3) -> bool:
    todo = [(start, 0)]
    seen: set[FnId] = set()
    while todo:
        fid, level = todo.pop()
        if fid in seen:
            continue
        seen.add(fid)
        for site in ctx.index.sites_of(fid):
            hit = ctx.sdk_calls.match(fid, site, roles=("disable", "agree"))
            if hit is not None and _switches_off(site, hit[1], hit[2]):
                return True
            if level < depth and site.kind in ("call", "new"):
                todo += [(t, level + 1) for t, _how in ctx.index.resolve(fid, site)]
    return False


def _switches_off(site: Site, role: str, call: object) -> bool:
    arg = getattr(call, "arg", None)
    wanted = getattr(call, "value", None)
    if arg is None:
        return role == "disable"
    try:
        text = value(site.args[arg])
    except IndexError:
        return False
    if role == "agree":
        return text == "false"
    return wanted is None or text == wanted


def _settings_trace(ctx: Context) -> tuple[TraceStep, ...]:
    for fqn, (decl, fi) in ctx.index.classes.items():
        if "Setting" in decl.name and decl.kind == "class":
            return (TraceStep(ctx.index.files[fi].path, decl.line,
                              f"`{short(fqn)}` offers no way to withdraw consent"),)
    return ()
