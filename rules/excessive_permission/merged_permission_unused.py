"""A library merges a permission into the built app that nothing in the project uses (Gradle build output).

## What it does
When Gradle build output is present — `build/intermediates/merged_manifests/<variant>/AndroidManifest.xml`,
or the `merged_manifest` / `packaged_manifests` folders of recent Android Gradle Plugin versions — reads the
merged manifest of each application module and reports every dangerous, special-access or store-restricted
permission (and `AD_ID`) that reached it from a library: not declared in the project's own manifests, not
removed, and not used by the project's code, manifests or runtime requests. Catalogued SDKs known to merge
it are named. The finding is placed on the app's main manifest, where the fix goes, and `--fix` inserts the
`tools:node="remove"` line when the manifest declares the `tools` namespace. Debug variants are skipped when
a release variant was built.

## Why is this bad?
Permissions merged from AARs are part of the APK: stores, test agencies and users see them, and the SDK that
brought them may use them before or without consent (191号文 四.1, 五.1; 164号 (一) covers SDKs). The
developer never wrote them, so they are missing from the privacy policy's permission list (191号文 二.1).
The merger also adds `READ_PHONE_STATE` and storage permissions for libraries with an old or missing
`targetSdkVersion`.

## Example
```text
app/build/intermediates/merged_manifests/release/AndroidManifest.xml:
    <uses-permission android:name="android.permission.READ_PHONE_STATE" />   <!-- from an analytics AAR -->
```

## Use instead
```xml
<manifest xmlns:android="http://schemas.android.com/apk/res/android"
    xmlns:tools="http://schemas.android.com/tools">
    <uses-permission android:name="android.permission.READ_PHONE_STATE" tools:node="remove" />
```
If the SDK really needs it for a feature you use, declare it yourself and disclose it with the SDK.

## Fix safety
`--fix` adds the `tools:node="remove"` line; it only changes what the SDK may collect, but check the SDK
still works as you use it.

## Limitations
The build output may be stale: it reflects the last build, not the sources. Which library added a permission
is not read from the merger report; catalogued SDKs that merge it are named as likely sources. An SDK's own use
of the permission does not count as the app's use — that is the point of the rule.

## References
- 191号文 二.1, 四.1, 五.1
- 164号 (一) (App and SDK)
- GB/T 43435-2023 (SDK permissions)
- PIPL Art. 6
"""

from __future__ import annotations

from collections.abc import Iterator

from pipl_lint.findings import Category, Finding, Severity, Span
from pipl_lint.model.permission_usage import Declaration
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
    id="EP210",
    name="merged-permission-unused",
    category=Category.EXCESSIVE_PERMISSION,
    severity=Severity.WARNING,
    summary="A library merges a permission into the app (build output) that nothing in the project uses",
    fix='Remove it from the merged manifest with <uses-permission android:name="…" tools:node="remove" />',
    references=("191号文 二.1", "191号文 四.1", "191号文 五.1", "164号 (一)", "GB/T 43435-2023", "PIPL Art. 6"),
    fixable=True,
    messages={
        "merged": "{permission} reaches the {variants} build from a library{likely} ({where}), and nothing in the "
                  "project uses it",
        "likely": ", likely {sdks}",
    },
    fixes={
        "remove": "Add {line} to {manifest}; if a feature you use needs it, declare it yourself and list it in the "
                  "privacy policy",
    },
)


def check(ctx: Context) -> Iterator[Finding]:
    usage = ctx.permission_usage
    merged = [d for d in usage.live(merged=True) if d.module.is_application]
    if any(not d.is_debug for d in merged):
        merged = [d for d in merged if not d.is_debug]
    target = main_manifest(ctx)
    if target is None:
        return
    by_name: dict[str, list[Declaration]] = {}
    for decl in merged:
        by_name.setdefault(decl.name, []).append(decl)
    for name, decls in sorted(by_name.items()):
        if not merge_relevant(permission(ctx, name)) or source_declared(usage, name) or app_uses(usage, name):
            continue
        first = decls[0]
        sdks = list(dict.fromkeys(f"`{artifact(s.coordinate)}`" for s in usage.merged_by(name)))
        likely = say(ctx, META, "likely", sdks=listing(sdks)) if sdks else ""
        variants = listing(dict.fromkeys(d.source_set for d in decls), 3)
        span = ctx.element_span(target.root) if target.root is not None else Span.point(1, 1)
        yield ctx.finding(
            META, target.path, span,
            say(ctx, META, "merged", permission=code(name), variants=variants, likely=likely,
                    where=f"{first.path}:{first.line}"),
            fix=fix_text(ctx, META, "remove", line=remove_line(name), manifest=target.path),
            anchor=f"merged|{name}", edits=remove_edit(target, name))
