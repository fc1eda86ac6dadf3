"""A permission that Android never grants to an app installed from a store is declared.

## What it does
Reports `<uses-permission>` of signature and privileged permissions that an ordinary app can never hold:
`READ_PRIVILEGED_PHONE_STATE`, `INSTALL_PACKAGES`, `READ_LOGS`, `WRITE_SECURE_SETTINGS`, `MODIFY_PHONE_STATE`,
`BIND_*` permissions that protect a service, and every other AOSP permission whose protection level has no
`appop`, `role` or `pre23` path to an ordinary app (`rules/data/permissions.toml`, `never_grantable`).

## Why is this bad?
The declaration buys nothing — the system silently refuses it — but it shows intent: `READ_PRIVILEGED_PHONE_STATE`
is there to read hardware identifiers, `INSTALL_PACKAGES` to install silently, permissions unrelated to what a
store app can do (191号文 四.1; 26号 forbids silent download and installation). Android Lint reports the
same declarations as errors (`ProtectedPermissions`), and the code behind them (IMEI reads, `pm install`)
should go too.

## Example
```xml
<uses-permission android:name="android.permission.READ_PRIVILEGED_PHONE_STATE"
    tools:ignore="ProtectedPermissions" />
```

## Use instead
Delete the line and the code that needed it: an app-scoped random UUID (or OAID after consent) instead of
hardware identifiers; `REQUEST_INSTALL_PACKAGES` with `PackageInstaller` for a self-updater; protect your own
services with `android:permission="android.permission.BIND_…"` instead of requesting it.

## Fix safety
No automatic fix: deleting the line is safe for Android, but the code that relied on it needs review.

## Limitations
System apps and apps signed with the platform key can hold these permissions; pipl-lint assumes a store app.
Android Lint's `ProtectedPermissions` suppression (`tools:ignore`) does not silence this rule.

## References
- 191号文 四.1
- 26号 (no silent download or installation)
- Android platform permission protection levels (AOSP core/res/AndroidManifest.xml)
"""

from __future__ import annotations

from collections.abc import Iterator

from pipl_lint.findings import Category, Finding, Severity
from pipl_lint.i18n import Msg
from pipl_lint.ruleapi import Context, RuleMeta
from pipl_lint.rules.excessive_permission._common import (
    alternative,
    code,
    declaration_finding,
    fix_text,
    permission,
    say,
    unused_note,
)

META = RuleMeta(
    id="EP202",
    name="permission-never-grantable",
    category=Category.EXCESSIVE_PERMISSION,
    severity=Severity.ERROR,
    summary="A signature or privileged permission that store apps can never hold is declared",
    fix="Remove the <uses-permission> and the code that needed it",
    references=("191号文 四.1", "26号", "AOSP permission protection levels"),
    messages={
        "never-granted": "{permission} is {kind}: Android never grants it to apps installed from a store{unused}",
    },
    fixes={"remove": "Remove the {permission} declaration.{alternative}"},
)

KIND = {"signature": Msg("a signature permission", "签名级权限"),
        "privileged": Msg("a privileged (system-app) permission", "特权级（系统应用）权限")}
SYSTEM = Msg("a system permission", "系统权限")


def check(ctx: Context) -> Iterator[Finding]:
    usage = ctx.permission_usage
    for decl in usage.live():
        perm = permission(ctx, decl.name)
        if perm is None or not perm.never_grantable:
            continue
        kind = KIND.get(perm.protection, SYSTEM)
        yield declaration_finding(
            ctx, META, decl,
            say(ctx, META, "never-granted", permission=code(decl.name), kind=kind,
                    unused=unused_note(usage, decl.name)),
            fix=fix_text(ctx, META, "remove", permission=code(decl.name), alternative=alternative(perm)))
