"""An SDK's mutual wake-up (waking and being woken by other apps) is left on.

## What it does
For catalogued SDKs among the dependencies that have a wake-up switch (`wakeup` calls in
`rules/data/sdks.toml`, e.g. JPush/JCore `JCollectionAuth.enableAutoWakeup(ctx, false)`), reports:

- the dependency, when the app never calls the switch with its safe value;
- a call of the switch with another value (`enableAutoWakeup(ctx, true)`).

## Why is this bad?
Push SDKs keep their process alive by waking, and being woken by, other apps that embed the same SDK —
chained start (关联启动) that the user never sees. It is item 6 of MIIT 164号 ("APP频繁自启动和关联启动") and MIIT
26号 forbids waking other apps without need. JCore offers `JCollectionAuth.enableAutoWakeup` to turn it off.

## Example
```kotlin
JCollectionAuth.setAuth(ctx, true)
JPushInterface.init(ctx)                      // mutual wake-up stays on
```

## Use instead
```kotlin
JCollectionAuth.setAuth(ctx, true)
JCollectionAuth.enableAutoWakeup(ctx, false)  // no waking of / by other apps
JPushInterface.init(ctx)
```

## Fix safety
No automatic fix.

## Limitations
Only SDKs whose wake-up switch is catalogued are checked; wake-up configured in an SDK's server console or
its merged manifest components is not seen. The call is not required to run before the SDK's
initialisation.

## References
- 164号 (二)6 APP频繁自启动和关联启动
- MIIT 26号 (no wake-up of other apps)
"""

from __future__ import annotations

from collections.abc import Iterator

from pipl_lint.catalogs import Sdk, SdkCall
from pipl_lint.findings import Category, Finding, Severity, Span
from pipl_lint.i18n import Msg
from pipl_lint.model.index import FnId
from pipl_lint.model.summary import Site
from pipl_lint.ruleapi import Context, ModuleSdk, RuleMeta
from pipl_lint.rules.consent_flow._common import fix_text, say, value

META = RuleMeta(
    id="CF314",
    name="sdk-wakeup-enabled",
    category=Category.CONSENT_FLOW,
    severity=Severity.WARNING,
    summary="An SDK's mutual wake-up with other apps is left on",
    fix="Turn the SDK's wake-up off in code before initialising it (JPush: "
        "`JCollectionAuth.enableAutoWakeup(ctx, false)`)",
    references=("164号 (二)6", "MIIT 26号"),
    messages={
        "called-with": "`{call}` is called with `{value}`: mutual wake-up with other apps stays on ({sdks})",
        "never-off": "{sdks} wake and can be woken by other apps: `{call}` is never called with `{value}`",
        "never-off-one": "{sdks} wakes and can be woken by other apps: `{call}` is never called with `{value}`",
    },
    fixes={
        "turn-off": "Call `{call}({args}{value})` before initialising the SDK, so it neither wakes other apps nor is "
                    "woken by them",
    },
)


def check(ctx: Context) -> Iterator[Finding]:
    calls = _wakeup_calls(ctx)
    switches: dict[tuple[str, str], tuple[SdkCall, list[tuple[Sdk, ModuleSdk]]]] = {}
    for found in ctx.sdks:
        sdk = ctx.catalog.sdk(found.sdk_id)
        for call in sdk.wakeup:
            key = (call.owner, call.method)
            switches.setdefault(key, (call, []))[1].append((sdk, found))
    for key, (call, users) in switches.items():
        sites = calls.get(key, [])
        safe = [s for s in sites if _value(s[1], call) == call.value]
        for fid, site in sites:
            written = _value(site, call)
            if call.value is not None and written is not None and written != call.value:
                message = say(ctx, META, "called-with", call=f"{call.owner_simple}.{call.method}", value=written,
                                  sdks=_names(users))
                yield ctx.site_finding(META, fid, site, message, fix=_fix(ctx, call))
        if safe or (sites and call.value is None):
            continue
        sdk, found = users[0]
        span = Span(found.line, found.column, found.line, found.column + 1)
        message = say(ctx, META, "never-off-one" if len(users) == 1 else "never-off", sdks=_names(users),
                          call=f"{call.owner_simple}.{call.method}", value=call.value)
        yield ctx.finding(META, found.path, span, message, fix=_fix(ctx, call), anchor=f"{sdk.id}|{call.method}")


def _wakeup_calls(ctx: Context) -> dict[tuple[str, str], list[tuple[FnId, Site]]]:
    out: dict[tuple[str, str], list[tuple[FnId, Site]]] = {}
    methods = {c.method for s in ctx.catalog.sdks for c in s.wakeup}
    for fid, site in ctx.sites(*sorted(methods)):
        hit = ctx.sdk_calls.match(fid, site, roles=("wakeup",))
        if hit is not None:
            out.setdefault((hit[2].owner, hit[2].method), []).append((fid, site))
    return out


def _value(site: Site, call: SdkCall) -> str | None:
    if call.arg is None:
        return None
    try:
        return value(site.args[call.arg])
    except IndexError:
        return None


def _names(users: list[tuple[Sdk, ModuleSdk]]) -> Msg:
    out = list(dict.fromkeys(sdk.name.split(" (", 1)[0] for sdk, _found in users))
    if len(out) <= 2:
        return Msg(" and ".join(out), " 和 ".join(out))
    return Msg(f"{out[0]}, {out[1]} and {len(out) - 2} more", f"{out[0]}、{out[1]} 及另外 {len(out) - 2} 项")


def _fix(ctx: Context, call: SdkCall) -> Msg:
    return fix_text(ctx, META, "turn-off", call=f"{call.owner_simple}.{call.method}", args="ctx, " * (call.arg or 0),
                        value=call.value)
