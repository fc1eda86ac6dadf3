"""A dependency SDK is known to merge a dangerous or identifier permission that the project does not use.

## What it does
When there is no Gradle build output to read (see `merged-permission-unused`), uses the SDK catalog instead:
for every catalogued SDK among the dependencies whose AAR manifest merges a dangerous, special-access or
store-restricted permission, or `AD_ID` / `ACCESS_ADSERVICES_AD_ID` (`merged_permissions` in
`rules/data/sdks.toml`), reports it on the dependency line when the project neither declares nor removes the
permission and nothing in its code, manifests or runtime requests uses it. A permission the SDK's own feature
needs while the app uses the SDK (`feature_permissions`: an ad SDK's advertising ID, when the code imports the
SDK or a mediation adapter for it such as `com.anythink.sdk:adapter-admob` is a dependency) is not reported.
`--fix` adds the `tools:node="remove"` line to the app's main manifest when it declares the `tools` namespace.

## Why is this bad?
The permission ends up in the shipped app although no feature of the app needs it: the SDK gets a grant (or,
for `AD_ID`, the advertising identifier) the app never decided to give, and the privacy policy's permission
list misses it (191号文 二.1, 四.1, 五.1; 164号 (一) holds SDKs to the same rules; GB/T 43435-2023 requires SDKs
to state their permissions). Google Play's advertising-ID guidance is to remove `AD_ID` from apps that do not
use the advertising ID, and children's apps must.

## Example
```kotlin
dependencies { implementation("com.umeng.umsdk:common:9.8.5") }   // merges READ_PHONE_STATE
```

## Use instead
```xml
<uses-permission android:name="android.permission.READ_PHONE_STATE" tools:node="remove" />
<uses-permission android:name="com.google.android.gms.permission.AD_ID" tools:node="remove" />
```

## Fix safety
`--fix` adds the `tools:node="remove"` line: the SDK loses the permission; check that the SDK features you use
still work (most Chinese analytics SDKs degrade gracefully without `READ_PHONE_STATE`).

## Limitations
Only catalogued SDKs, and only the permissions the catalog says their AAR merges: the real merged manifest
(build output) is authoritative and used by `merged-permission-unused` when present. SDK versions are not
distinguished.

## References
- 191号文 二.1, 四.1, 五.1
- 164号 (一) (App and SDK)
- GB/T 43435-2023 (SDK permissions)
- Google Play advertising ID policy (AD_ID)
"""

from __future__ import annotations

from collections.abc import Iterator

from pipl_lint.findings import Category, Finding, Severity, Span
from pipl_lint.i18n import Msg
from pipl_lint.ruleapi import Context, RuleMeta
from pipl_lint.rules.excessive_permission._common import (
    app_uses,
    artifact,
    code,
    fix_text,
    listing,
    main_manifest,
    merge_relevant,
    permission,
    remove_edit,
    remove_line,
    say,
    source_declared,
)

META = RuleMeta(
    id="EP211",
    name="sdk-merged-dangerous-permission",
    category=Category.EXCESSIVE_PERMISSION,
    severity=Severity.INFO,
    summary="A dependency SDK merges a dangerous or identifier permission that the project does not use",
    fix='Remove it from the merged manifest with <uses-permission android:name="…" tools:node="remove" />',
    references=("191号文 二.1", "191号文 四.1", "191号文 五.1", "164号 (一)", "GB/T 43435-2023",
                "Google Play advertising ID policy"),
    fixable=True,
    per_variant=True,
    messages={
        "merges": "{sdk} (`{coordinate}`) merges {permission} into the app{also}, and nothing in the project uses it",
        "also": " (so do {sdks})",
    },
    fixes={
        "remove": "Add {line} to {manifest}; if a feature you use needs it, declare it yourself and list it with the "
                  "SDK in the privacy policy",
    },
)

MAIN_MANIFEST = Msg("the app's main manifest", "应用的主清单")


def check(ctx: Context) -> Iterator[Finding]:
    if ctx.merged:
        return  # the real merged manifest is read by merged-permission-unused
    usage = ctx.permission_usage
    target = main_manifest(ctx)
    names = sorted({p for found in ctx.sdks for p in ctx.catalog.sdk(found.sdk_id).merged_permissions})
    for name in names:
        if not merge_relevant(permission(ctx, name)) or source_declared(usage, name) or app_uses(usage, name) \
                or any(u.kind == "sdk-feature" for u in usage.uses(name)):
            continue  # the SDK's own feature needs it (an ad SDK's advertising ID): the app uses it through the SDK
        sdks = usage.merged_by(name)
        first = sdks[0]
        others = [f"`{artifact(s.coordinate)}`" for s in sdks[1:]
                  if artifact(s.coordinate) != artifact(first.coordinate)]
        also = say(ctx, META, "also", sdks=listing(dict.fromkeys(others))) if others else ""
        sdk = ctx.catalog.sdk(first.sdk_id)
        yield ctx.finding(
            META, first.path, Span.point(first.line, first.column),
            say(ctx, META, "merges", sdk=sdk.name.split(" (")[0], coordinate=first.coordinate, permission=code(name),
                    also=also),
            fix=fix_text(ctx, META, "remove", line=remove_line(name),
                             manifest=target.path if target is not None else MAIN_MANIFEST),
            anchor=f"sdk-merged|{name}", edits=remove_edit(target, name))
