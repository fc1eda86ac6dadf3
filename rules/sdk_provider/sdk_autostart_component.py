"""An SDK's manifest makes every host app start by itself or be woken by other apps.

## What it does
Reports components in an SDK module's manifest that start the host without the user: receivers for boot,
connectivity, package and screen broadcasts (`BOOT_COMPLETED`, `CONNECTIVITY_CHANGE`, `USER_PRESENT` …),
and exported services or receivers with an intent filter for the SDK's own actions, through which other
apps that embed the same SDK wake this one (关联启动).

## Why is this bad?
Self-start and chained start are named violations of their own (164号 (二) 自启动、关联启动), and the
merger puts the SDK's components into every host, which is then held responsible. The SDK guidance asks SDK
providers not to wake other apps and to let hosts turn such behaviour off (TC260-PG-20205A; T/CSAC
006-2023).

## Example
```xml
<receiver android:name=".BootReceiver" android:exported="true">
    <intent-filter><action android:name="android.intent.action.BOOT_COMPLETED" /></intent-filter>
</receiver>
```

## Use instead
```xml
<!-- no boot receiver; if a feature needs one, ship it disabled (android:enabled="false") and give hosts an
     API that enables it after consent -->
```

## Fix safety
No automatic fix.

## Limitations
Components declared `android:enabled="false"` or removed with `tools:node="remove"` are not reported;
components registered at run time (`registerReceiver`) are not seen.

## References
- 164号 (二)
- TC260-PG-20205A (draft for comments, 2020-09): title and scope read, clauses not [P]
- T/CSAC 006-2023: scope read (App and SDK providers, design to exit), clauses not [P]
"""

from __future__ import annotations

from collections.abc import Iterator

from pipl_lint.findings import Category, Finding, Severity
from pipl_lint.model.entrypoints import SYSTEM_BROADCASTS
from pipl_lint.model.sdk_modules import sdk_modules
from pipl_lint.ruleapi import Context, RuleMeta

META = RuleMeta(
    since="0.2.0",
    id="SD604",
    name="sdk-autostart-component",
    category=Category.SDK_PROVIDER,
    severity=Severity.WARNING,
    summary="An SDK's manifest makes every host app start by itself or be woken by other apps",
    fix="Drop the component, or ship it disabled and let the host enable it after consent",
    references=("164号 (二)", "TC260-PG-20205A", "T/CSAC 006-2023"),
    messages={
        "autostart": "`{component}` starts every host app on {actions}, without the user opening it",
        "wakeup": "`{component}` is exported with the action {actions}: other apps that embed the SDK can wake "
                  "every host app through it",
    },
)


def check(ctx: Context) -> Iterator[Finding]:
    for sdk in sdk_modules(ctx):
        for manifest in sdk.manifests:
            for c in manifest.components:
                if c.removed or not c.enabled or c.kind not in ("receiver", "service"):
                    continue
                short = c.cls.rsplit(".", 1)[-1]
                system = sorted(c.actions & SYSTEM_BROADCASTS)
                if c.kind == "receiver" and system:
                    actions = ", ".join(a.rsplit(".", 1)[-1] for a in system)
                    msg = ctx.say(META, "autostart", component=short, actions=actions)
                elif c.effectively_exported and not c.permission and \
                        (own := sorted(a for a in c.actions if not a.startswith("android."))):
                    msg = ctx.say(META, "wakeup", component=short, actions=", ".join(f"`{a}`" for a in own))
                else:
                    continue
                yield ctx.finding(META, manifest.path, ctx.element_span(c.element), msg, anchor=c.cls)
