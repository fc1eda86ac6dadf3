"""An advertising or personalisation SDK offers hosts no public opt-out.

## What it does
Reports an SDK module that serves ads or personalised content — its code reads the advertising ID (OAID,
GAID), or its public classes or functions are named for ads, recommendations or personalisation — when none
of its public functions turns personalisation off (`setPersonalizedEnabled(false)`, `setAdPersonalization`,
`optOut`, `setLimitAdTracking`, `disablePersonalization`, `setPersonalRecommend` …).

## Why is this bad?
PIPL Art. 24 gives users the right to refuse automated decision-making used for personalised push and
marketing, and requires an option that is not targeted at their personal characteristics; the
recommendation-algorithm rules require an easy way to turn personalisation off. A host can only offer
that switch if the SDK does.

## Example
```kotlin
class AdBanner(private val context: Context) {
    fun loadPersonalizedAd(slot: String) { … AdvertisingIdClient.getAdvertisingIdInfo(context).id … }
}
```

## Use instead
```kotlin
object AdSettings {
    @JvmStatic fun setPersonalizedAdsEnabled(enabled: Boolean) { personalized = enabled }
}
```

## Fix safety
No automatic fix.

## Limitations
Whether an SDK personalises is read from the advertising-ID reads and from names; an opt-out is recognised
by its name only, not by what it does.

## References
- PIPL Art. 24
- 《互联网信息服务算法推荐管理规定》 Art. 17 [M]
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from pipl_lint.findings import Category, Finding, Severity, Span
from pipl_lint.i18n import Msg
from pipl_lint.model.sdk_modules import OPT_OUT, is_public_api, sdk_modules
from pipl_lint.ruleapi import Context, RuleMeta
from pipl_lint.rules.sdk_provider._common import pi_read

META = RuleMeta(
    id="SD606",
    name="sdk-personalization-optout-missing",
    category=Category.SDK_PROVIDER,
    severity=Severity.WARNING,
    summary="An advertising or personalisation SDK offers hosts no public opt-out",
    fix="Add a public switch that turns personalised ads/recommendations off (and honour it where the SDK "
        "targets)",
    references=("PIPL Art. 24",),
    messages={
        "missing": "`{cls}` serves {what}, and no public function of the SDK turns personalisation off",
    },
)

AD_NAME = re.compile(r"(^|[a-z_])(Ad|Ads|Advert\w*|Interstitial|Recommend\w*|Personali[sz]\w*)"
                     r"([A-Z_]|$)")



def check(ctx: Context) -> Iterator[Finding]:
    for sdk in sdk_modules(ctx):
        public = [f for f in ctx.index.all_functions() if sdk.owns(f) and is_public_api(ctx, f)]
        if any(OPT_OUT.match(ctx.index.function(f).name) and ctx.index.function(f).params for f in public):
            continue
        ad_id = next(((f, s) for f in ctx.index.all_functions() if sdk.owns(f) for s in ctx.index.sites_of(f)
                      if (hit := pi_read(ctx, f, s)) is not None and hit[0].pi_kind == "advertising-id"), None)
        named = [f for f in public if AD_NAME.search(ctx.index.function(f).name)
                 or AD_NAME.search(ctx.index.function(f).owner.rsplit(".", 1)[-1])]
        if ad_id is None and not named:
            continue
        fid = ad_id[0] if ad_id is not None else named[0]
        owner = ctx.index.function(fid).owner
        entry = ctx.index.classes.get(owner)
        what = Msg("ads or recommendations", "广告或推荐内容")
        if ad_id is not None:
            what = Msg("personalised ads (it reads the advertising ID)", "个性化广告（读取广告标识符）")
        if entry is not None:
            decl, fi = entry
            path, span = ctx.index.files[fi].path, Span.point(decl.line, decl.column)
        else:
            path, span = ctx.path_of(fid), Span.point(ctx.index.function(fid).line, 1)
        yield ctx.finding(META, path, span, ctx.say(META, "missing", cls=owner.rsplit(".", 1)[-1], what=what),
                          anchor=owner)
