"""Several dangerous permissions of different groups are requested together at startup.

## What it does
Finds one runtime permission request (any form recognised by `permission-request-at-startup`) that runs
at startup without a user action and asks for dangerous permissions from two or more different permission
groups at once (location + contacts, camera + phone …). Permissions of the same group asked together —
`ACCESS_FINE_LOCATION` with `ACCESS_COARSE_LOCATION`, as Android recommends — count once.

Configuration: with `app-category` set, only permissions whose personal information is not necessary for
the basic function of that app type (《常见类型移动互联网应用程序必要个人信息范围规定》 第五条) are counted.

## Why is this bad?
A burst of system dialogs at launch forces the user to accept several unrelated permissions before using
the app. MIIT 26号 forbids asking users to agree in one go to several non-necessary permissions
("不得要求用户一揽子同意打开多个非必要权限"); test agencies report it as 过度申请权限 (T/TAF 078.4) and 337号 (7)
lists permissions asked for at first launch.

## Example
```java
ActivityCompat.requestPermissions(this, new String[]{
        Manifest.permission.ACCESS_FINE_LOCATION,
        Manifest.permission.READ_CONTACTS,
        Manifest.permission.READ_PHONE_STATE}, REQ_ALL);   // in the launcher's onCreate
```

## Use instead
```java
binding.inviteFriends.setOnClickListener(v -> contactsPermission.launch(Manifest.permission.READ_CONTACTS));
binding.nearby.setOnClickListener(v -> locationPermission.launch(Manifest.permission.ACCESS_COARSE_LOCATION));
```

## Fix safety
No automatic fix.

## Limitations
Groups come from `rules/data/permissions.toml` (runtime groups of regulations.md §5.1). Only one request
call is looked at: the same permissions asked in several calls in a row at startup are reported by
`permission-request-at-startup`, not here. Permissions held in variables whose value is chosen at run time
(`if (SDK_INT >= 33) READ_MEDIA_IMAGES else READ_EXTERNAL_STORAGE`) are not counted.

## References
- MIIT 26号 (不得要求用户一揽子同意打开多个非必要权限)
- 337号 (7) 过度索取权限; T/TAF 078.4 过度申请权限
"""

from __future__ import annotations

from collections.abc import Iterator

from pipl_lint.findings import Category, Finding, Severity
from pipl_lint.i18n import Msg
from pipl_lint.ruleapi import Context, RuleMeta
from pipl_lint.rules.consent_flow._common import (
    category_name,
    dangerous,
    names,
    necessary,
    perm_short,
    requests_at_startup,
    say,
    startup,
)

META = RuleMeta(
    id="CF303",
    name="bulk-permission-request",
    category=Category.CONSENT_FLOW,
    severity=Severity.ERROR,
    summary="Dangerous permissions of several groups are requested together at startup",
    fix="Split the request: ask for each permission from the feature that needs it, when the user starts it",
    references=("MIIT 26号", "337号 (7)", "T/TAF 078.4"),
    messages={
        "bulk": "`{call}` asks for {kind}permissions of {count} groups at once at startup{category}: {groups}",
        "non-necessary": "non-necessary ",
        "for-category": " for a {app_type} app",
    },
)


def check(ctx: Context) -> Iterator[Finding]:
    reach = startup(ctx)
    for req, reached in requests_at_startup(ctx):
        perms = [p for p in dangerous(ctx, req.permissions) if necessary(ctx, p) is not True]
        groups: dict[str, list[str]] = {}
        for p in perms:
            perm = ctx.catalog.permission(p)
            groups.setdefault((perm.group if perm else "") or perm_short(p), []).append(perm_short(p))
        if len(groups) < 2:
            continue
        kind = say(ctx, META, "non-necessary") if ctx.config.app_category else ""
        category = say(ctx, META, "for-category", app_type=category_name(ctx)) if category_name(ctx) else ""
        listed = names([Msg(f"{g} ({', '.join(ps)})", f"{g}（{'、'.join(ps)}）") for g, ps in groups.items()], limit=4)
        message = say(ctx, META, "bulk", call=req.site.qualified, kind=kind, count=len(groups), category=category,
                          groups=listed)
        trace = reach.trace(reached, req.site, f"`{req.site.qualified}` asks for "
                                               f"{names([perm_short(p) for p in perms], code=True).en}")
        yield ctx.site_finding(META, req.fid, req.site, message, trace=trace)
