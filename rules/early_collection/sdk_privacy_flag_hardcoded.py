"""An SDK's "user agreed to the privacy policy" switch is set to a hard-coded `true` before consent.

## What it does
Finds an SDK's privacy-consent call — AMap `updatePrivacyAgree(ctx, true)`, Baidu
`SDKInitializer.setAgreePrivacy(ctx, true)`, Tencent `setUserAgreePrivacy(true)`, JPush
`JCollectionAuth.setAuth(ctx, true)`, Umeng `submitPolicyGrantResult(ctx, true)`, GeTui
`setPrivacyPolicyStrategy`, MobTech `submitPolicyGrantResult(true)`, GDT `setAgreePrivacyStrategy(true)` … —
whose consent argument is the literal `true` on a path that runs before the user consents — or anywhere
at all when the app never asks for consent (no code reads a stored agreement): then nobody has agreed,
whichever screen makes the call.

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
Only literal `true` is reported; a variable that is always true is not recognised. When the app has a
consent check, a hard-coded `true` in code that runs only after it (a map screen the user opens) is taken
as covered by that consent. Calls listed in
`rules/data/sdks.toml` (`agree` entries with the position of their boolean argument) are known.

## References
- 191号文 三.1, 三.4, 三.7
- PIPL Art. 14 (consent must be voluntary and explicit)
"""

from __future__ import annotations

from collections.abc import Iterator

from pipl_lint.catalogs import Sdk, SdkCall
from pipl_lint.findings import Category, Finding, Severity
from pipl_lint.model.index import FnId
from pipl_lint.model.summary import Site
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
                             "consent: no code reads a stored agreement"},
)


def _hardcoded(ctx: Context, fid: FnId, site: Site) -> tuple[Sdk, SdkCall] | None:
    hit = ctx.sdk_calls.match(fid, site, roles=("agree",))
    if hit is None:
        return None
    sdk, _role, call = hit
    if call.arg is None or call.arg >= len(site.args) or site.args[call.arg].text.strip() != "true":
        return None
    return sdk, call


def check(ctx: Context) -> Iterator[Finding]:
    pc = ctx.pre_consent
    reported: set[int] = set()
    for reached, site, _state in pc.open_sites():
        hit = _hardcoded(ctx, reached.fid, site)
        if hit is None:
            continue
        sdk, call = hit
        reported.add(id(site))
        message = ctx.say(META, "hardcoded", sdk=sdk.name, call=f"{call.owner_simple}.{call.method}",
                          entry=reached.entry.note)
        trace = pc.trace(reached, site, f"`{site.qualified}(…, true)`")
        yield ctx.site_finding(META, reached.fid, site, message, trace=trace)
    candidates = [(fid, site, hit) for fid in ctx.index.all_functions() for site in ctx.index.sites_of(fid)
                  if id(site) not in reported and (hit := _hardcoded(ctx, fid, site)) is not None
                  and not ctx.consent.state(site).gated]
    if not candidates or _asks_for_consent(ctx):
        return  # the app asks: code that runs after its check is covered by the answer
    for fid, site, (sdk, call) in candidates:
        message = ctx.say(META, "never-asked", sdk=sdk.name, call=f"{call.owner_simple}.{call.method}")
        yield ctx.site_finding(META, fid, site, message)


def _asks_for_consent(ctx: Context) -> bool:
    """Some code reads a stored agreement (or a configured consent check exists)."""
    consent = ctx.consent
    return bool(consent.configured or consent.predicate_functions()) or \
        any(consent.reads_agreement(fid) for fid in ctx.index.all_functions())
