"""An SDK's "user agreed to the privacy policy" switch is set to a hard-coded `true` before consent.

## What it does
Finds an SDK's privacy-consent call — AMap `updatePrivacyAgree(ctx, true)`, Baidu
`SDKInitializer.setAgreePrivacy(ctx, true)`, Tencent `setUserAgreePrivacy(true)`, JPush
`JCollectionAuth.setAuth(ctx, true)`, Umeng `submitPolicyGrantResult(ctx, true)`, GeTui
`setPrivacyPolicyStrategy`, MobTech `submitPolicyGrantResult(true)`, GDT `setAgreePrivacyStrategy(true)` … —
whose consent argument is the literal `true` on a path that runs before the user consents.

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

## Limitations
Only literal `true` is reported; a variable that is always true is not recognised. Calls listed in
`rules/data/sdks.toml` (`agree` entries with the position of their boolean argument) are known.

## References
- 191号文 三.1, 三.4, 三.7
- PIPL Art. 14 (consent must be voluntary and explicit)
"""

from __future__ import annotations

from collections.abc import Iterator

from pipl_lint.findings import Category, Finding, Severity
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
                           "(reached from {entry})"},
)


def check(ctx: Context) -> Iterator[Finding]:
    pc = ctx.pre_consent
    for reached, site, _state in pc.open_sites():
        hit = ctx.sdk_calls.match(reached.fid, site, roles=("agree",))
        if hit is None:
            continue
        sdk, _role, call = hit
        if call.arg is None or not site.args:
            continue
        try:
            arg = site.args[call.arg]
        except IndexError:
            continue
        if arg.text.strip() != "true":
            continue
        message = ctx.say(META, "hardcoded", sdk=sdk.name, call=f"{call.owner_simple}.{call.method}",
                          entry=reached.entry.note)
        trace = pc.trace(reached, site, f"`{site.qualified}(…, true)`")
        yield ctx.site_finding(META, reached.fid, site, message, trace=trace)
