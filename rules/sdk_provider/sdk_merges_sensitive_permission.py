"""An SDK's manifest declares a dangerous or store-restricted permission that merges into every host.

## What it does
Reports each `<uses-permission>` in an SDK module's manifest that is dangerous (runtime), store-restricted
(Google Play's SMS/call-log, package-visibility, exact-alarm or accessibility policies; the Chinese stores'
app-list rule) or never grantable to a normal app. It is an error when the SDK's own code never uses the
permission (no API, content URI, intent, request or check of it); otherwise a warning asking to document
it and let hosts remove it. A dangerous permission that gives access to no personal information
(`POST_NOTIFICATIONS`, `CALL_PHONE`) and that the SDK uses is not reported: the host asks for it at runtime,
when the user decides, and it discloses nothing about the user.

## Why is this bad?
The manifest merger copies the SDK's permissions into every host app, where reviewers hold the host
responsible for each one (164号 (一); 191号文 四). A permission the SDK does not use is pure over-reach; one
it uses for an optional feature should be documented in the SDK's disclosure so hosts that do not use the
feature can remove it with `tools:node="remove"` (TC260-PG-20205A; GB/T 43435-2023 asks SDK operators to
publish the permissions they request and why).

## Example
```xml
<uses-permission android:name="android.permission.READ_CONTACTS" />   <!-- no code of the SDK reads contacts -->
```

## Use instead
```xml
<!-- declare nothing the SDK does not use; document optional permissions and let hosts add them -->
```

## Fix safety
No automatic fix.

## Limitations
Uses are found in the SDK module's source code; a permission only its binary dependencies use is reported
as unused. Normal permissions (`INTERNET`, `ACCESS_NETWORK_STATE`) are not reported.

## References
- 164号 (一)
- 191号文 四
- GB/T 43435-2023 [V existence]
- TC260-PG-20205A (draft for comments, 2020-09): title and scope read, clauses not [P]
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from pipl_lint.findings import Category, Finding, Severity
from pipl_lint.i18n import Msg
from pipl_lint.model.sdk_modules import sdk_modules
from pipl_lint.ruleapi import Context, RuleMeta

META = RuleMeta(
    since="0.2.0",
    id="SD603",
    name="sdk-merges-sensitive-permission",
    category=Category.SDK_PROVIDER,
    severity=Severity.WARNING,
    summary="An SDK declares a dangerous or store-restricted permission that merges into every host app",
    fix="Remove permissions the SDK does not use; document the others and let hosts remove them",
    references=("164号 (一)", "191号文 四", "GB/T 43435-2023", "TC260-PG-20205A"),
    messages={
        "unused": "`{permission}` ({why}) merges into every host app, and no code of the SDK uses it",
        "used": "`{permission}` ({why}) merges into every host app (used by {use})",
    },
    fixes={
        "unused": "Remove `{permission}` from the SDK's manifest",
        "used": "List `{permission}` and the feature that needs it in the SDK's disclosure, and tell hosts they may "
                "remove it with `tools:node=\"remove\"` when they do not use that feature",
    },
)

USES = frozenset({"api", "uri", "string", "intent", "request", "check"})


def _why(ctx: Context, name: str) -> Msg | None:
    perm = ctx.catalog.permission(name)
    if perm is None:
        return None
    if perm.dangerous:
        return Msg("dangerous", "危险权限")
    if perm.restricted:
        return Msg("store-restricted: " + ", ".join(perm.restricted), "应用商店限制：" + ", ".join(perm.restricted))
    if perm.never_grantable:
        return Msg("not grantable to normal apps", "普通应用无法获得")
    return None


def _runtime_without_pi(ctx: Context, name: str) -> bool:
    perm = ctx.catalog.permission(name)
    return perm is not None and perm.dangerous and not perm.pi_kind and not perm.restricted


def check(ctx: Context) -> Iterator[Finding]:
    for sdk in sdk_modules(ctx):
        paths = {ctx.index.files[f].path for f in sdk.files}
        for manifest in sdk.manifests:
            for p in manifest.permissions:
                if p.removed:
                    continue
                why = _why(ctx, p.name)
                if why is None:
                    continue
                uses = [u for u in ctx.permission_usage.uses(p.name) if u.kind in USES and u.path in paths]
                if uses and _runtime_without_pi(ctx, p.name):
                    continue
                short = p.name.rsplit(".", 1)[-1]
                key = "used" if uses else "unused"
                msg = ctx.say(META, key, permission=short, why=why, use=uses[0].detail if uses else "")
                fix = ctx.fix_text(META, key, permission=short)
                finding = ctx.finding(META, manifest.path, ctx.element_span(p.element), msg, fix=fix, anchor=p.name)
                if not uses and not (META.id in ctx.config.severity or META.name in ctx.config.severity):
                    finding = replace(finding, severity=Severity.ERROR)  # an unused one is an error
                yield finding
