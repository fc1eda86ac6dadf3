"""Personalised recommendations or ads with no switch for the user to turn them off.

## What it does
Finds personalisation in the app — catalogued ad SDKs that personalise ads (GDT/优量汇, Pangle, Kuaishou,
Mintegral, Google Mobile Ads, Facebook), code that turns it on (`personalized = true`,
`setPersonalizedEnabled(true)`), or texts shown to the user about it (个性化推荐, 个性化广告, 为你推荐,
猜你喜欢, "picked for you", "personalised recommendations") — and looks for a user-facing opt-out: a switch,
checkbox or button handler whose view, label or code names personalisation
(`personalizedSwitch.setOnCheckedChangeListener`, `onPersonalizedChange =`,
`FeedSettings.setPersonalizedEnabled(...)`), or that calls an ad SDK's personalisation switch
(`GlobalSetting.setPersonalizedState(1)`, `KsAdSDK.setPersonalRecommend(false)` …). Reports the app once,
at the Application class, with where the personalisation was found.

For an app distributed only outside China, Google's consent form together with its privacy options form
(User Messaging Platform) asks about personalised ads and lets the user change the answer: that is the switch.

## Why is this bad?
PIPL Art. 24 ¶2 requires information pushed by automated decision-making to come with an option that does
not target personal characteristics, or a convenient way to refuse. 191号文 三.6 makes targeted push without a
non-targeted option a violation, and forcing users into targeted push is category 4 of the MIIT campaign
(337号 (4), 164号 (一)).

## Example
```kotlin
val articles = api.feed(page = 1, personalized = true, clientId = deviceId)   // always personalised
```

## Use instead
```kotlin
binding.personalizedSwitch.setOnCheckedChangeListener { _, on -> FeedSettings.setPersonalizedEnabled(this, on) }
// and in the feed:
val personalized = PrivacyStore.isAgreed(app) && FeedSettings.isPersonalizedEnabled(app)
val articles = api.feed(page = 1, personalized = personalized, clientId = if (personalized) installId else null)
```

## Fix safety
No automatic fix.

## Limitations
An opt-out in a preferences XML screen (`SwitchPreference`) or a server-side setting page is not seen, nor
whether the switch is honoured by the server and the SDKs. Java calls pass `true` positionally, so only
named Kotlin arguments and `set…Personali…(true)` calls count as code evidence.

## References
- PIPL Art. 24
- 191号文 三.6
- 337号 (4); 164号 (一)
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from pipl_lint.findings import Category, Finding, Severity, TraceStep
from pipl_lint.i18n import Msg, join
from pipl_lint.model.consent import is_user_deferred
from pipl_lint.model.index import FnId
from pipl_lint.model.summary import Site
from pipl_lint.ruleapi import Context, RuleMeta
from pipl_lint.rules.consent_flow._common import app_anchor, consent_platform, outside_china, say, short, value

META = RuleMeta(
    id="CF311",
    name="personalization-optout-missing",
    category=Category.CONSENT_FLOW,
    severity=Severity.WARNING,
    summary="Personalised recommendations or ads have no user-facing opt-out",
    fix="Add a 个性化推荐 / personalised-ads switch in Settings that the feed and the ad SDKs honour",
    references=("PIPL Art. 24", "191号文 三.6", "337号 (4)", "164号 (一)"),
    messages={
        "no-switch": "Personalised content or ads ({evidence}) have no switch for the user to turn them off",
        # {evidence}
        "turned-on": "{setting} in `{function}`",
        "sdk-ads": "{sdk} personalises ads",
        "text": '"{text}"',
    },
)

# Over resource texts and string literals only.
PERSONAL_TEXT = re.compile(r"个性化(推荐|广告|内容|服务|资讯)|为你推荐|为您推荐|猜你喜欢|"
                           r"(picked|recommended|chosen) for you|"
                           r"personali[sz]ed (recommendation|content|ad|feed|news|stor)", re.IGNORECASE)
# Over identifiers (names of views, labels, functions, arguments), lower-cased.
PERSONAL_NAME = ("personali", "personalrecommend", "personal_recommend", "个性化", "adtracking", "ad_tracking",
                 "limitad")
SETTERS = ("set", "enable", "disable", "toggle", "update", "save", "opt", "turn")


def check(ctx: Context) -> Iterator[Finding]:
    evidence = _evidence(ctx)
    if not evidence or _opt_out(ctx):
        return
    if outside_china(ctx) and all(consent_platform(ctx)):
        return  # the consent platform's form asks about personalised ads, and its options form changes it
    anchor = app_anchor(ctx)
    if anchor is None:
        return
    what = join(*(note for _path, _line, note in evidence[:2]), sep="; ", sep_zh="；")
    message = say(ctx, META, "no-switch", evidence=what)
    trace = tuple(TraceStep(path, line, note.en) for path, line, note in evidence[:4])
    yield ctx.finding(META, anchor.path, anchor.span, message, trace=trace, anchor="personalization-optout")


def _evidence(ctx: Context) -> list[tuple[str, int, Msg]]:
    out: list[tuple[str, int, Msg]] = []
    for fid in ctx.index.all_functions():
        for site in ctx.index.sites_of(fid):
            note = _turns_on(site)
            if note:
                fn = ctx.index.function(fid)
                out.append((ctx.path_of(fid), site.line,
                            say(ctx, META, "turned-on", setting=note, function=f"{short(fn.owner)}.{fn.name}")))
    for found in ctx.sdks:
        sdk = ctx.catalog.sdk(found.sdk_id)
        if sdk.personalized_ads:
            out.append((found.path, found.line, say(ctx, META, "sdk-ads", sdk=sdk.name.split(" (", 1)[0])))
    for group in ctx.resources.strings.values():
        for res in group:
            if PERSONAL_TEXT.search(res.text):
                out.append((res.path, res.line, say(ctx, META, "text", text=_clip(res.text))))
                break
    return out


def _turns_on(site: Site) -> str:
    """`personalized = true` (a named argument) or `setPersonalizedEnabled(true)`."""
    if site.kind != "call":
        return ""
    for arg in site.args:  # (`"true" in arg.text` first: the cheap test)
        if arg.label and "true" in arg.text and any(w in arg.label.lower() for w in PERSONAL_NAME) and \
                value(arg) == "true":
            return f"`{arg.label} = true`"
    if not site.args or "true" not in site.args[-1].text:
        return ""
    low = site.name.lower()
    if low.startswith(("set", "enable")) and any(w in low for w in PERSONAL_NAME) and value(site.args[-1]) == "true":
        return f"`{site.name}(true)`"
    return ""


def _opt_out(ctx: Context) -> bool:
    for fid in ctx.index.all_functions():
        sites = list(ctx.index.sites_of(fid))
        for site in sites:
            for d in site.deferred:
                if not is_user_deferred(d):
                    continue
                if _names_personal(d.receiver, d.label, d.call) or _switches_sdk(ctx, fid, site) or \
                        (site.name.lower().startswith(SETTERS) and _names_personal(site.name)):
                    return True
            if site.kind == "call" and site.name in ("Switch", "Checkbox", "SwitchPreference") and \
                    any(_names_personal(*a.refs, a.label or "") for a in site.args):
                return True
    return False


def _names_personal(*texts: str) -> bool:
    return any(w in t.lower() for t in texts if t for w in PERSONAL_NAME)


def _switches_sdk(ctx: Context, fid: FnId, site: Site) -> bool:
    hit = ctx.sdk_calls.match(fid, site, roles=("disable",))
    return hit is not None and hit[0].personalized_ads


def _clip(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 30 else text[:27] + "..."
