"""An advertising or personalisation SDK offers hosts no public opt-out.

## What it does
Reports an SDK module that serves ads or personalised content — its public classes or functions are named
for ad views, banners, interstitial/rewarded/splash/native ads, recommendations or personalisation
(`BannerAdView`, `loadAd()`, `RecommendFeed`) — when none of its public functions turns personalisation
off (`setPersonalizedEnabled(false)`, `setAdPersonalization`, `optOut`, `setLimitAdTracking`,
`disablePersonalization`, `setPersonalRecommend` …).

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
Whether an SDK personalises is read from names; reading the advertising ID alone does not make an SDK an
ad SDK (analytics and attribution SDKs read it to measure), it only makes the message say so. An opt-out is
recognised by its name only, not by what it does.

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
    since="0.2.0",
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

# What serves ads or personalised content: ad views, loaders and slots, banner/interstitial/rewarded/splash/native
# ads, recommendation and personalisation classes; `loadAd()`/`showInterstitial()`. Not an advertising-ID getter
# or an attribution class (`AdsActivateDataLoader`, `getAdvertisingId`): reading the ID is measured, not serving.
AD_CLASS = re.compile(r"(Ad|Ads)(View|Loader|Slot|Unit|Request|Sdk|Manager|Client)$|Banner(Ad|View)|Interstitial|"
                      r"Reward(ed)?(Video|Ad)|(Splash|Native|Feed|Draw|Express)Ads?(View)?$|Recommend|Personali[sz]")
AD_FUNCTION = re.compile(r"^(load|show|request|fetch|render|display)\w*(Ad|Ads|Banner|Interstitial|RewardedVideo)$|"
                         r"Recommend|Personali[sz]")


def check(ctx: Context) -> Iterator[Finding]:
    for sdk in sdk_modules(ctx):
        public = [f for f in ctx.index.all_functions() if sdk.owns(f) and is_public_api(ctx, f)]
        if any(OPT_OUT.match(ctx.index.function(f).name) and ctx.index.function(f).params for f in public):
            continue
        ad_id = next(((f, s) for f in ctx.index.all_functions() if sdk.owns(f) for s in ctx.index.sites_of(f)
                      if (hit := pi_read(ctx, f, s)) is not None and hit[0].pi_kind == "advertising-id"), None)
        named = [f for f in public if AD_FUNCTION.search(ctx.index.function(f).name)
                 or AD_CLASS.search(ctx.index.function(f).owner.rsplit(".", 1)[-1])]
        if not named:
            continue  # reading the advertising ID alone is measurement or attribution, not serving ads
        fid = named[0]
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
