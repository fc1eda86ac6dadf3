"""An SDK reads personal information from code that runs by itself in every host app.

## What it does
In an SDK module (a published library module, or one `sdk-modules` names), finds personal-information
reads reachable, with no check of the SDK's consent switch on the way, from what the SDK starts by itself:
the ContentProviders and androidx.startup initializers of its own manifest (created before the host's
`Application.onCreate`), its receivers for system broadcasts (boot, connectivity) and the static or
companion initialisers of its classes.

## Why is this bad?
Every host app merges the SDK's manifest, so these run before the host can show its privacy dialog, let
alone pass the user's answer to the SDK. The SDK guidance asks SDK providers not to collect before the host
app has obtained consent, and to offer hosts a way to initialise later; regulators find such SDKs by running
the host app for the first time (164号 (一)1; TC260-PG-20205A; T/CSAC 006-2023).

## Example
```kotlin
class TrackerInitProvider : ContentProvider() {
    override fun onCreate(): Boolean { Tracker.init(context!!); return true }   // runs in every host at start
}
object Tracker {
    fun init(ctx: Context) { deviceId = Settings.Secure.getString(ctx.contentResolver, ANDROID_ID) }
}
```

## Use instead
```kotlin
object Tracker {
    fun preInit(ctx: Context) { appContext = ctx.applicationContext }   // collects nothing
    fun setPrivacyAgreed(agreed: Boolean) { this.agreed = agreed; if (agreed) start() }
}
// no auto-init provider: the host calls preInit at start and setPrivacyAgreed(true) after consent
```

## Fix safety
No automatic fix: removing the provider means hosts must initialise the SDK in code.

## Limitations
Sees the SDK's own source code only, not what its binary dependencies do. A check of the consent switch is
recognised by the state the switch setter keeps (its class's fields and getters named like privacy/agree/
consent/auth) and by the app-side consent model; a check it does not recognise can be named in
`consent.predicates`.

## References
- 164号 (一)1
- TC260-PG-20205A (draft for comments, 2020-09): title and scope read, clauses not [P]
- T/CSAC 006-2023: scope read (App and SDK providers, design to exit), clauses not [P]
- PIPL Art. 13
"""

from __future__ import annotations

from collections.abc import Iterator

from pipl_lint.findings import Category, Finding, Severity
from pipl_lint.model.sdk_modules import auto_walk, sdk_modules
from pipl_lint.ruleapi import Context, RuleMeta
from pipl_lint.rules.sdk_provider._common import sdk_reads

META = RuleMeta(
    since="0.2.0",
    id="SD601",
    name="sdk-collects-on-autoinit",
    category=Category.SDK_PROVIDER,
    severity=Severity.ERROR,
    summary="An SDK reads personal information from code that starts by itself in every host app",
    fix="Do not collect from the SDK's provider, initializer, boot receiver or static initialiser: offer a pre-init "
        "that collects nothing and start collecting when the host passes the user's consent",
    references=("164号 (一)1", "TC260-PG-20205A", "T/CSAC 006-2023", "PIPL Art. 13"),
    messages={
        "reads": "`{call}` reads {kind} from {entry}, before any host app can ask the user",
    },
)


def check(ctx: Context) -> Iterator[Finding]:
    for sdk in sdk_modules(ctx):
        walk = auto_walk(ctx, sdk)
        for reached, site, call, kind in sdk_reads(ctx, sdk, walk):
            message = ctx.say(META, "reads", call=call, kind=kind, entry=reached.entry.note)
            trace = walk.trace(reached, site, f"`{site.qualified}` reads {kind.en}")
            yield ctx.site_finding(META, reached.fid, site, message, trace=trace)
