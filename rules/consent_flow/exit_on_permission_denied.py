"""The app closes itself when the user refuses a permission.

## What it does
Finds exit calls — `finishAffinity()`, `finishAndRemoveTask()`, `System.exit`, `exitProcess`,
`Process.killProcess`, `moveTaskToBack(true)`, and `finish()` of the launcher or of a screen that opens by
itself at startup (when no other screen of the app is opened instead: sending the user to the system's
settings, `Intent(Settings.ACTION_APPLICATION_DETAILS_SETTINGS)`, leaves the app closed; a screen opened from a
launcher shortcut, a notification's `PendingIntent` or a callback registered in a click handler does not) — in
the refusal branch of a permission request's result callback (`onRequestPermissionsResult`, an ActivityResult
callback's `!granted` branch, EasyPermissions `onPermissionsDenied`, PermissionX/XXPermissions/Dexter/RxPermissions
denial callbacks), directly or in a project function called there, but not inside a further button the user taps.

Configuration: with `app-category` set, requests for permissions whose personal information is necessary
for the basic function of that app type are not reported (the law allows refusing the basic function
when necessary information is refused).

## Why is this bad?
"不给权限不让用" is category 5 of the MIIT campaign (337号 (5): the app exits or closes when the user refuses a
permission), 191号文 四.2 (refusing business functions because non-necessary permissions were declined), PIPL
Art. 16 (no refusal of products or services because consent was refused, unless necessary) and Art. 4 of the
necessary-PI regulation ("App不得因为用户不同意提供非必要个人信息，而拒绝用户使用其基本功能服务"). Test agencies check
exactly this (T/TAF 078.4 不给权限APP退出或关闭); Huawei AppGallery's review FAQ §5.1 rejects it.

## Example
```kotlin
override fun onRequestPermissionsResult(requestCode: Int, permissions: Array<out String>, grantResults: IntArray) {
    super.onRequestPermissionsResult(requestCode, permissions, grantResults)
    if (grantResults.all { it == PackageManager.PERMISSION_GRANTED }) openMain() else finish()
}
```

## Use instead
```kotlin
private val location = registerForActivityResult(ActivityResultContracts.RequestPermission()) { granted ->
    if (granted) showLocalWeather() else showCityPicker()   // only the weather card degrades
}
```

## Fix safety
No automatic fix.

## Limitations
Refusal branches are recognised as described for `permission-rerequest-after-denial`. An app that does not
exit but makes every screen unusable (a non-cancellable dialog that only leads to the settings page) is not
recognised. `finish()` of a screen the user opened is not reported: leaving the feature that needs the
permission is an acceptable way to degrade.

## References
- 337号 (5) 不给权限不让用
- 191号文 四.2
- PIPL Art. 16
- 《常见类型移动互联网应用程序必要个人信息范围规定》 第四条
- T/TAF 078.4; Huawei AppGallery review FAQ §5.1
"""

from __future__ import annotations

from collections.abc import Iterator

from pipl_lint.findings import Category, Finding, Severity
from pipl_lint.i18n import Msg
from pipl_lint.model.requests import ResultCallback, refusal_branch
from pipl_lint.ruleapi import Context, RuleMeta
from pipl_lint.rules.consent_flow._common import (
    Exit,
    all_callbacks,
    category_name,
    exits_in,
    names,
    necessary,
    perm_short,
    say,
    short,
    startup_screens,
)

META = RuleMeta(
    id="CF306",
    name="exit-on-permission-denied",
    category=Category.CONSENT_FLOW,
    severity=Severity.ERROR,
    summary="The app closes when the user refuses a permission",
    fix="Keep the app running: degrade only the feature that needs the permission and offer an alternative",
    references=("337号 (5)", "191号文 四.2", "PIPL Art. 16", "必要个人信息范围规定 第四条", "T/TAF 078.4",
                "Huawei AppGallery review FAQ §5.1"),
    messages={
        "exits": "`{exit}` {effect} when the user refuses {what}{why}",
        "exits-via": "`{call}()` reaches `{exit}`, which {effect}, when the user refuses {what}{why}",
        # {effect}
        "closes-screen": "closes `{screen}` (opened at startup)",
        "ends-app": "ends the app",
        # {what}
        "any-of": "any of {permissions}",
        "one": "{permissions}",
        "a-permission": "a permission",
        # {why}
        "not-necessary": " (not necessary for a {app_type} app)",
    },
)


def check(ctx: Context) -> Iterator[Finding]:
    screens = startup_screens(ctx)
    seen: set[tuple[str, int]] = set()
    for cb, perms in all_callbacks(ctx):
        if perms and all(necessary(ctx, p) for p in perms):
            continue
        sites = [s for s in cb.sites(ctx.index) if refusal_branch(s, cb)]
        if not sites:
            continue
        exits, opens = exits_in(ctx, cb.fid, sites, own=cb.inner)
        owner = ctx.index.function(cb.fid).owner
        for ex in exits:
            if ex.site.name == "finish" and (opens or owner not in screens):
                continue
            finding = _finding(ctx, cb, perms, ex, owner)
            key = (finding.path, finding.span.line)
            if key not in seen:
                seen.add(key)
                yield finding


def _finding(ctx: Context, cb: ResultCallback, perms: tuple[str, ...], ex: Exit, owner: str) -> Finding:
    listed = names([perm_short(p) for p in perms], code=True)
    what = say(ctx, META, "any-of" if len(perms) > 1 else "one", permissions=listed) if perms else \
        say(ctx, META, "a-permission")
    effect = say(ctx, META, "closes-screen", screen=short(owner)) if ex.site.name == "finish" else \
        say(ctx, META, "ends-app")
    if ex.via is None:
        message = say(ctx, META, "exits", exit=ex.how, effect=effect, what=what, why=_why(ctx, perms))
        return ctx.site_finding(META, ex.fid, ex.site, message)
    message = say(ctx, META, "exits-via", call=ex.via.qualified, exit=ex.how, effect=effect, what=what,
                      why=_why(ctx, perms))
    return ctx.site_finding(META, cb.fid, ex.via, message)


def _why(ctx: Context, perms: tuple[str, ...]) -> Msg | str:
    if not perms or not ctx.config.app_category:
        return ""
    optional = [perm_short(p) for p in perms if necessary(ctx, p) is False]
    return say(ctx, META, "not-necessary", app_type=category_name(ctx)) if optional else ""
