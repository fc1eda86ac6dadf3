"""`ACCESS_FINE_LOCATION` is declared, but the code only asks for approximate (city-level) location.

## What it does
Reports `ACCESS_FINE_LOCATION` when the project's location code explicitly settles for approximate location —
`LocationManager.NETWORK_PROVIDER`, `Priority.PRIORITY_BALANCED_POWER_ACCURACY` / `PRIORITY_LOW_POWER`,
`Criteria.ACCURACY_COARSE`, AMap or Baidu `Battery_Saving` mode — and nothing needs precise location: no
`GPS_PROVIDER`, `PRIORITY_HIGH_ACCURACY`, `Criteria.ACCURACY_FINE`, AMap/Baidu `Hight_Accuracy` or
`Device_Sensors` mode, and no API that only works with the fine permission (cell info, Wi-Fi scan results,
Bluetooth scans before Android 12, geofences). A runtime request for fine location is not a need.

## Why is this bad?
Precise location is sensitive personal information (行踪轨迹, PIPL Art. 28) and collecting more precision than
the feature uses breaks minimum necessity (PIPL Art. 6; 191号文 四.1). Since Android 12 users can grant
approximate location anyway, so a weather card or "local news" must work with it.

## Example
```kotlin
option.locationMode = AMapLocationClientOption.AMapLocationMode.Battery_Saving   // network positioning only
```
```xml
<uses-permission android:name="android.permission.ACCESS_FINE_LOCATION" />
<uses-permission android:name="android.permission.ACCESS_COARSE_LOCATION" />
```

## Use instead
```xml
<uses-permission android:name="android.permission.ACCESS_COARSE_LOCATION" />
```
and request only `ACCESS_COARSE_LOCATION` at runtime. If a location SDK merges `ACCESS_FINE_LOCATION`, remove
it with `tools:node="remove"`.

## Fix safety
No automatic fix: the runtime requests must change with the declaration.

## Limitations
Heuristic: the accuracy is read from constants in the code (`rules/data/apis.toml` accuracy entries); when
the accuracy comes from configuration, a server or an SDK default, nothing is reported. Navigation or
tracking SDKs that need precise location internally are not known to the catalog — suppress with the reason.

## References
- PIPL Art. 6, Art. 28
- 191号文 四.1
- Android: request location permissions (approximate location, Android 12)
"""

from __future__ import annotations

from collections.abc import Iterator

from pipl_lint.findings import Category, Finding, Severity
from pipl_lint.model.permission_usage import Use
from pipl_lint.ruleapi import Context, RuleMeta
from pipl_lint.rules.excessive_permission._common import (
    COARSE,
    FINE,
    declaration_finding,
    fix_text,
    merged_note,
    say,
    where,
)

META = RuleMeta(
    id="EP208",
    name="fine-location-for-coarse-use",
    category=Category.EXCESSIVE_PERMISSION,
    severity=Severity.INFO,
    summary="ACCESS_FINE_LOCATION is declared although the code only asks for approximate location",
    fix="Declare and request ACCESS_COARSE_LOCATION only",
    references=("PIPL Art. 6", "PIPL Art. 28", "191号文 四.1"),
    messages={
        "coarse-only": "`ACCESS_FINE_LOCATION` is declared, but the code only asks for approximate location ({uses})",
    },
    fixes={
        "coarse-only": "Declare and request only `ACCESS_COARSE_LOCATION`; on Android 12+ users may grant approximate "
                       "location anyway.{merged}",
    },
)

LOCATION = frozenset({FINE, COARSE})


def check(ctx: Context) -> Iterator[Finding]:
    usage = ctx.permission_usage
    decls = usage.declared(FINE)
    if not decls:
        return
    code_uses = usage.code_uses(FINE) + usage.code_uses(COARSE)
    if any(_needs_fine(u) for u in code_uses):
        return
    coarse = list(dict.fromkeys(u for u in code_uses if _asks_coarse(u)))
    if not coarse:
        return
    message = say(ctx, META, "coarse-only", uses=where(coarse))
    fix = fix_text(ctx, META, "coarse-only", merged=merged_note(usage, FINE))
    for decl in decls:
        yield declaration_finding(ctx, META, decl, message, fix=fix)


def _needs_fine(use: Use) -> bool:
    """An API or setting that works only with (or asks for the precision of) the fine permission."""
    return FINE in use.permissions and COARSE not in use.permissions


def _asks_coarse(use: Use) -> bool:
    """An accuracy setting (a constant whose permissions are location permissions only) that accepts coarse."""
    return use.api is not None and use.api.kind == "field" and COARSE in use.permissions \
        and set(use.permissions) <= LOCATION
