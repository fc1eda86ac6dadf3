"""A dangerous or special permission is declared, but nothing in the project uses or requests it.

## What it does
For every `<uses-permission>` of a runtime (dangerous) or special-access permission in the project's
manifests — main, flavour and debug source sets of the app and of library modules — looks for anything
that needs it: a catalogued API, content URI, `content://` string or intent action (Kotlin or Java, in any
module), a manifest component that only works with it, a runtime request, or a
catalogued SDK among the dependencies that is known to use it. Reports the declaration when there is none (a
permission check alone is none: nothing ever asks for the permission, so it is never granted).
An SDK whose own feature needs it (`feature_permissions` in the SDK catalog: locating for a location SDK,
notifications for a push SDK) uses it: nothing is reported. So does a library call that uses the permission for
the app's own feature and collects nothing (a QR scanner view opening the camera, a BLE library scanning: API
entries in `apis.toml`), a hard-coded shared-storage path (`/sdcard`), and location read in a service, receiver,
job or worker, which is a use of `ACCESS_BACKGROUND_LOCATION`. When only an SDK is known to possibly use it,
the finding is `info` and names the SDK. A runtime request whose permissions could not be resolved may
ask for any dangerous permission, so it keeps them all from being reported. An unused permission that Google Play
or the Chinese app-list rules restrict (EP204) or that lacks its `maxSdkVersion` (EP205) is reported here too: those
rules say why its declaration is reviewed or outdated, this one that nothing needs it — delete it.

## Why is this bad?
Declaring permissions unrelated to the app's functions is over-collection: 191号文 四.1 ("打开的可收集个人信
息权限与现有业务功能无关"), 337号 (7) 过度索取权限, 164号 (一)2 超范围收集, PIPL Art. 6 (minimum necessity), and
the TC260 permission guide's first principle (do not declare permissions unrelated to business functions).
Test agencies read the manifest: every dangerous permission there must be explained in the privacy policy.
A dangerous permission that nothing requests is also never granted on Android 6+, so it is dead weight.

## Example
```xml
<uses-permission android:name="android.permission.RECORD_AUDIO" />   <!-- no recorder anywhere -->
```

## Use instead
Delete the line. If a library merges it in, remove it from the merged manifest:
```xml
<uses-permission android:name="android.permission.RECORD_AUDIO" tools:node="remove" />
```
If an SDK needs it for a feature you use, keep it and list it, with the SDK, in the privacy policy.

## Fix safety
No automatic fix: removing a permission can break a feature the analysis cannot see.

## Limitations
Only APIs, URIs, strings and intents in `rules/data/apis.toml` and SDKs in `rules/data/sdks.toml` count as
uses; reflection, native code, JavaScript bridges and uncatalogued libraries are invisible. A special-access
permission that the catalog knows no API for is not reported. Permissions that another rule of this family
owns are left to it: store-restricted ones (`permission-store-restricted`), legacy storage and Bluetooth ones
without `maxSdkVersion` (`legacy-permission-unbounded`), never-grantable and unknown names. Permissions that
are only requested at runtime are reported by `permission-requested-unused`.

## References
- 191号文 四.1
- 337号 (7) 过度索取权限
- 164号 (一)2 超范围收集个人信息
- PIPL Art. 6
- TC260-PG-20204A §3 (minimum necessity)
"""

from __future__ import annotations

from collections.abc import Iterator

from pipl_lint.findings import Category, Finding, Severity
from pipl_lint.ruleapi import Context, RuleMeta
from pipl_lint.rules.excessive_permission._common import (
    CAMERA,
    alternative,
    capture_only,
    code,
    covered,
    declaration_finding,
    fix_text,
    merged_note,
    permission,
    say,
    sdk_names,
)

META = RuleMeta(
    id="EP201",
    name="permission-declared-unused",
    category=Category.EXCESSIVE_PERMISSION,
    severity=Severity.WARNING,
    summary="A dangerous or special permission is declared but nothing in the project uses or requests it",
    fix="Remove the <uses-permission> (or remove it from the merged manifest with tools:node=\"remove\")",
    references=("191号文 四.1", "337号 (7)", "164号 (一)2", "PIPL Art. 6", "TC260-PG-20204A §3"),
    messages={
        "sdk-only": "Nothing in the project's code uses {permission}; only {sdks} is known to need it",
        "unused": "{permission} is declared but nothing in the project uses or requests it",
    },
    fixes={
        "sdk-only": "Keep {permission} only if you use the {sdks} feature that needs it, and disclose it with the SDK "
                    "in the privacy policy; otherwise remove it.{alternative}{merged}",
        "remove": "Remove the {permission} declaration.{alternative}{merged}",
    },
)


def check(ctx: Context) -> Iterator[Finding]:
    usage = ctx.permission_usage
    for decl in usage.live():
        perm = permission(ctx, decl.name)
        if perm is None or perm.protection not in ("dangerous", "special") or perm.never_grantable:
            continue
        if perm.protection == "special" and not covered(ctx, decl.name):
            continue  # the catalog cannot tell how it is used
        uses = usage.uses(decl.name)
        # A check alone (`checkSelfPermission` before reading the Wi-Fi MAC) neither uses nor asks for it.
        if any(u.kind not in ("sdk", "check") for u in uses) or (decl.name == CAMERA and capture_only(ctx)):
            continue  # used, requested, or owned by camera-for-capture-intent-only
        sdks = [u for u in uses if u.kind == "sdk"]
        params = {"permission": code(decl.name), "alternative": alternative(perm),
                  "merged": merged_note(usage, decl.name)}
        if sdks:
            yield declaration_finding(
                ctx, META, decl, say(ctx, META, "sdk-only", sdks=sdk_names(sdks), **params),
                fix=fix_text(ctx, META, "sdk-only", sdks=sdk_names(sdks), **params), severity=Severity.INFO)
            continue
        yield declaration_finding(ctx, META, decl, say(ctx, META, "unused", **params),
                                  fix=fix_text(ctx, META, "remove", **params))
