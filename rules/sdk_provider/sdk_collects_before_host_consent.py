"""An SDK's public API reads personal information without checking the host's consent switch.

## What it does
In an SDK module, finds personal-information reads on a path from a public function the host calls (the
public functions of the SDK's entry classes that its own code does not call; or the init/start functions
`public-api` names) that no check of the SDK's consent switch dominates. When the SDK has a switch
(`setPrivacyAgreed(boolean)`, `setAgreePrivacy`, `updatePrivacyAgree`, `setAuth`, `setDataCollectionEnabled`,
`setImeiEnabled`, `optOut(boolean)`, `optInTracking()`/`optOutTracking()`, `setTrackingConsent(GRANTED)`, an
init argument such as `optOutTrackingDefault` …) the finding says it is not honoured on that path; when it
has none, that the SDK offers hosts no way to defer collection until the user has agreed. Reads that the SDK's own
auto-init already reaches are reported by `sdk-collects-on-autoinit` instead.

## Why is this bad?
The host can only comply if the SDK waits for it: it must be able to initialise the SDK at start and tell
it, later, that the user agreed. SDKs such as AMap (`updatePrivacyAgree`), Baidu (`setAgreePrivacy`), JPush
(`setAuth`) and Umeng (`submitPolicyGrantResult`) added such switches after MIIT's enforcement campaigns
named SDKs that collect before consent (164号 (一)1; TC260-PG-20205A; T/CSAC 006-2023).

## Example
```kotlin
object Tracker {
    private var privacyAgreed = false
    fun setPrivacyAgreed(agreed: Boolean) { privacyAgreed = agreed }   // stored, never read
    fun start(ctx: Context) { location = lm.getLastKnownLocation(GPS_PROVIDER) }
}
```

## Use instead
```kotlin
object Tracker {
    fun start(ctx: Context) {
        if (!privacyAgreed) return            // collects nothing until the host passes consent
        location = lm.getLastKnownLocation(GPS_PROVIDER)
    }
}
```

## Fix safety
No automatic fix.

## Limitations
Public API is read from visibility modifiers (Kotlin `internal`/`private` and Java non-`public` members are not
API; overrides of framework callbacks are not either), limited to the entry classes: the public classes of the
module's top-level package and those with an `init`/`start…`/`getInstance`/`sharedInstance`/`with` function,
minus what the SDK itself calls. A helper the SDK calls only through reflection stays an entry. A function the
host calls only after consent by contract (documented, not checked) is still reported: name the init functions
with `public-api`. The switch's state is recognised by name (privacy/agree/consent/auth/grant/data-collection/
opt-out fields and getters of the setter's class, the field a setter names: `setImeiEnabled` →
`isImeiEnabled()`, the boolean of an on/off pair's class) and by the app-side consent model. A catalogued call
that is the SDK's own function of that name (`context.deviceInfo().getDeviceId()`) and
`InetAddress.getHostAddress` in a function that walks no local interface (a server's address) are not reads.

## References
- 164号 (一)1
- TC260-PG-20205A (draft for comments, 2020-09): title and scope read, clauses not [P]
- T/CSAC 006-2023: scope read (App and SDK providers, design to exit), clauses not [P]
- PIPL Art. 13
"""

from __future__ import annotations

from collections.abc import Iterator

from pipl_lint.findings import Category, Finding, Severity
from pipl_lint.model.sdk_modules import api_walk, auto_walk, sdk_modules
from pipl_lint.ruleapi import Context, RuleMeta
from pipl_lint.rules.sdk_provider._common import sdk_reads, switch_names

META = RuleMeta(
    since="0.2.0",
    id="SD602",
    name="sdk-collects-before-host-consent",
    category=Category.SDK_PROVIDER,
    severity=Severity.ERROR,
    summary="An SDK's public API reads personal information without checking the host's consent switch",
    fix="Check the SDK's consent switch before collecting; without one, add a switch (default off) and a "
        "pre-init that collects nothing",
    references=("164号 (一)1", "TC260-PG-20205A", "T/CSAC 006-2023", "PIPL Art. 13"),
    messages={
        "ignored": "`{call}` reads {kind} on a path from {entry} that no check of the consent switch {switch} guards",
        "none": "`{call}` reads {kind} on a path from {entry}, and the SDK offers hosts no consent switch to defer "
                "it until the user agrees",
    },
    fixes={
        "ignored": "Return early unless the state {switch} stores says the user agreed, before `{call}` runs",
        "none": "Add a public consent switch (e.g. `setPrivacyAgreed(Boolean)`, default off) and a pre-init that "
                "collects nothing; read {kind} only after the host passed `true`",
    },
)


def check(ctx: Context) -> Iterator[Finding]:
    for sdk in sdk_modules(ctx):
        auto = auto_walk(ctx, sdk)
        walk = api_walk(ctx, sdk)
        switch = switch_names(ctx, sdk)
        for reached, site, call, kind in sdk_reads(ctx, sdk, walk):
            if reached.fid in auto.reached:
                continue  # SD601's: collected from auto-init, whatever the host calls
            key = "ignored" if switch else "none"
            message = ctx.say(META, key, call=call, kind=kind, entry=reached.entry.note, switch=switch)
            fix = ctx.fix_text(META, key, call=call, kind=kind, switch=switch)
            trace = walk.trace(reached, site, f"`{site.qualified}` reads {kind.en}")
            yield ctx.site_finding(META, reached.fid, site, message, fix=fix, trace=trace)
