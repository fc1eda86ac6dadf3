"""The app starts another app's service, receiver or activity by itself (关联启动).

## What it does
Finds intents aimed at another app's component — `ComponentName("com.other", …)`, `setClassName("com.other",
…)`, `setPackage("com.other")`, `getLaunchIntentForPackage("com.other")` with a package that is not the app's
own (from the manifests and Gradle `namespace`/`applicationId`) — that are then started with
`startService`, `startForegroundService`, `bindService`, `sendBroadcast` or `startActivity` in the same
function, outside a click or other user action — in the function itself or, for a helper
(`WeChatShareUtil.shareToFriends`), in every project caller up to two levels (a share button's listener).

## Why is this bad?
Waking other apps in the background (关联启动) keeps them — and the SDKs inside them — running without the
user's knowledge. It is item 6 of MIIT 164号 ("APP频繁自启动和关联启动"), and MIIT 26号 forbids chained start, wake-up,
calling or updating of other apps without need. Test agencies check it (T/TAF 078.10).

## Example
```kotlin
val intent = Intent().setComponent(ComponentName("com.partner.app", "com.partner.app.SyncService"))
startService(intent)                 // in Application.onCreate
```

## Use instead
Never start another app's services or receivers in the background; open another app only when the user asks:
```kotlin
binding.openInPartnerApp.setOnClickListener {
    packageManager.getLaunchIntentForPackage("com.partner.video")?.let(::startActivity)
}
```

## Fix safety
No automatic fix.

## Limitations
The intent and the start call must be in the same function; packages built at run time or read from
configuration are not resolved. Starts inside SDK binaries (push SDKs waking each other) are covered by
`sdk-wakeup-enabled` for catalogued SDKs only.

## References
- 164号 (二)6 APP频繁自启动和关联启动
- MIIT 26号 (no chained start of other apps)
- T/TAF 078.10
"""

from __future__ import annotations

from collections.abc import Iterator

from pipl_lint.findings import Category, Finding, Severity
from pipl_lint.i18n import Msg
from pipl_lint.model.index import FnId
from pipl_lint.model.summary import Site
from pipl_lint.ruleapi import Context, RuleMeta
from pipl_lint.rules.consent_flow._common import memo, on_user_action, say

META = RuleMeta(
    id="CF315",
    name="chained-start-other-app",
    category=Category.CONSENT_FLOW,
    severity=Severity.WARNING,
    summary="The app starts another app's component by itself (chained start)",
    fix="Do not start other apps' services or receivers; open another app only on an explicit user action",
    references=("164号 (二)6", "MIIT 26号", "T/TAF 078.10"),
    messages={"starts": "`{call}` starts a {kind} of another app (`{package}`) without a user action"},
)

TARGETS = frozenset({"ComponentName", "setClassName", "setPackage", "getLaunchIntentForPackage", "setComponent"})
SERVICE, RECEIVER, ACTIVITY = Msg("service", "服务"), Msg("receiver", "广播接收器"), Msg("activity", "Activity")
STARTS = {"startService": SERVICE, "startForegroundService": SERVICE, "bindService": SERVICE,
          "sendBroadcast": RECEIVER, "sendOrderedBroadcast": RECEIVER, "startActivity": ACTIVITY,
          "startActivities": ACTIVITY}
# Platform handlers that apps open on purpose (stores, settings, browsers) are not chained starts.
PLATFORM = ("android", "com.android.", "com.google.android.", "com.android.vending")


def check(ctx: Context) -> Iterator[Finding]:
    own = _own_packages(ctx)
    by_fn: dict[FnId, list[Site]] = {}
    for fid, site in ctx.sites(*sorted(TARGETS)):
        by_fn.setdefault(fid, []).append(site)
    for fid, targets in by_fn.items():
        others = [p for site in targets if (p := _package(ctx, fid, site)) and not _own(p, own)]
        if not others:
            continue
        for site in ctx.index.sites_of(fid):
            kind = STARTS.get(site.name)
            if kind is None or site.kind != "call" or on_user_action(ctx, fid, site):
                continue  # opened on the user's tap (a share button), here or in every caller
            message = say(ctx, META, "starts", call=site.qualified, kind=kind, package=others[0])
            yield ctx.site_finding(META, fid, site, message)


def _package(ctx: Context, fid: FnId, site: Site) -> str:
    """The package literal (or constant) a component/package call names first."""
    if site.name == "setComponent" or not site.args:
        return ""
    arg = site.args[0]
    if arg.strings and arg.text.strip().startswith('"'):
        return arg.strings[0] if "." in arg.strings[0] and not arg.strings[0].startswith(PLATFORM) else ""
    if len(arg.refs) == 1 and arg.refs[0] not in ctx.index.function(fid).params:  # a parameter: chosen by the caller
        values = ctx.request_finder.constant(fid, arg.refs[0])
        if values and values[0].count(".") >= 1 and " " not in values[0] and not values[0].startswith(PLATFORM):
            return values[0] if not values[0][:1].isupper() else ""
    return ""


def _own(package: str, own: set[str]) -> bool:
    return any(package == p or package.startswith(p + ".") for p in own)


def _own_packages(ctx: Context) -> set[str]:
    def build() -> set[str]:
        out = {m.package for m in ctx.manifests if m.package}
        for mod in ctx.project.modules:
            if mod.build is not None:
                out |= {p for p in (mod.build.namespace, mod.build.application_id) if p}
        return out

    return memo(ctx, "own_packages", build)
