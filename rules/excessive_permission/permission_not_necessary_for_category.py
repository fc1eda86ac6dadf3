"""A dangerous permission collects personal information outside the app category's necessary PI.

## What it does
Runs only when `app-category` is configured (one of the 39 types of 《常见类型移动互联网应用程序必要个人信
息范围规定》: number, English key or Chinese name). For every used dangerous permission whose personal-information
kind (location, contacts, phone state, camera, microphone, media, SMS …) is not among that type's necessary
personal information, reports the declaration as needing an optional-feature path. The finding is `info`;
it becomes an `error` when the permission is requested at startup — from the Application, a provider, an
initializer or the launcher activity, or anything they call without a user action — because the basic
function is then gated on it.

## Why is this bad?
Necessary PI is what the basic function cannot run without (Art. 3); for 13 types — news, short video,
browsers, utilities, e-books … — it is nothing at all, and only map, ride-hailing and vehicle-sharing apps
need location. "App不得因为用户不同意提供非必要个人信息，而拒绝用户使用其基本功能服务" (Art. 4); asking for such
permissions at first launch is the 337号 (7) pattern and 191号文 四.2 when refusal blocks the app.

## Example
```kotlin
// app-category = "news"; the splash screen asks for contacts before anything else
ActivityCompat.requestPermissions(this, arrayOf(Manifest.permission.READ_CONTACTS), REQ)
```

## Use instead
Keep the permission only for the optional feature, ask when the user opens that feature, explain the purpose
first, and keep the basic function working when the answer is no:
```kotlin
inviteButton.setOnClickListener { explainThen { pickContact.launch(null) } }   // ACTION_PICK: no permission
```

## Fix safety
No automatic fix.

## Limitations
The PI kind of each permission comes from `rules/data/permissions.toml`; permissions without one (e.g.
`POST_NOTIFICATIONS`, `CALL_PHONE`) are not judged. Phone numbers and other typed-in data are necessary for
many types but need no permission, so they never make a permission necessary. Permissions that nothing uses,
or that are only requested, are left to `permission-declared-unused` and `permission-requested-unused`.
Debug-only manifests are skipped.

## References
- 《常见类型移动互联网应用程序必要个人信息范围规定》 Art. 3, 4, 5
- 191号文 四.1, 四.2
- 337号 (7) 过度索取权限
- PIPL Art. 6
"""

from __future__ import annotations

from collections.abc import Iterator

from pipl_lint.catalogs import AppType
from pipl_lint.findings import Category, Finding, Severity
from pipl_lint.i18n import Msg
from pipl_lint.ruleapi import Context, RuleMeta
from pipl_lint.rules.excessive_permission._common import (
    at_startup,
    code,
    declaration_finding,
    fix_text,
    permission,
    requested_unused,
    say,
    where,
)

META = RuleMeta(
    id="EP209",
    name="permission-not-necessary-for-category",
    category=Category.EXCESSIVE_PERMISSION,
    severity=Severity.INFO,
    summary="A dangerous permission collects PI outside the configured app category's necessary PI",
    fix="Keep it for an optional feature only: ask when that feature opens, explain why, degrade on refusal",
    references=("NPI Art. 3", "NPI Art. 4", "NPI Art. 5", "191号文 四.1", "191号文 四.2", "337号 (7)", "PIPL Art. 6"),
    messages={
        "not-necessary": "{permission} ({kind}) is not necessary personal information for {app_type}{startup}",
        "at-startup": ", yet it is requested at startup ({uses})",
    },
    fixes={
        "optional": "Keep {permission} for an optional feature only: request it when the user opens that feature, "
                    "explain the purpose first, and keep the basic function ({basic_function}) working when it is "
                    "refused",
    },
)


def check(ctx: Context) -> Iterator[Finding]:
    if not ctx.config.app_category:
        return
    app_type = ctx.catalog.app_type(ctx.config.app_category)
    if app_type is None:
        return
    usage = ctx.permission_usage
    for decl in usage.live():
        perm = permission(ctx, decl.name)
        if decl.is_debug or perm is None or perm.protection != "dangerous" or perm.pi_kind is None:
            continue
        if perm.pi_kind in app_type.necessary_pi_kinds:
            continue
        uses = usage.uses(decl.name)
        if not any(u.kind in ("api", "uri", "string", "intent", "manifest", "request", "check") for u in uses) \
                or requested_unused(ctx, decl.name):
            continue  # owned by permission-declared-unused / permission-requested-unused
        label = ctx.catalog.pi_kinds[perm.pi_kind]
        kind = Msg(label.label_en.lower(), label.label_zh)
        startup = [u for u in usage.requests(decl.name) if u.kind == "request" and at_startup(ctx, u)]
        message = say(ctx, META, "not-necessary", permission=code(decl.name), kind=kind, app_type=_type(app_type),
                          startup=say(ctx, META, "at-startup", uses=where(startup)) if startup else "")
        yield declaration_finding(
            ctx, META, decl, message,
            fix=fix_text(ctx, META, "optional", permission=code(decl.name), basic_function=app_type.basic_function_zh),
            severity=Severity.ERROR if startup else None)


def _type(app_type: AppType) -> Msg:
    """`新闻资讯类 (News)` in English, `新闻资讯类 App` in Chinese."""
    if app_type.necessary_pi_zh:
        return Msg(f"{app_type.name_zh} ({app_type.name_en})", f"{app_type.name_zh} App")
    return Msg(f"{app_type.name_zh} ({app_type.name_en}), which needs none",
               f"{app_type.name_zh} App（无须个人信息即可使用其基本功能服务）")
