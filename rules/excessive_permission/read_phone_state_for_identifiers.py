"""`READ_PHONE_STATE` is declared only to read hardware identifiers, which Android 10 withholds.

## What it does
When the project targets API 29 or higher, reports `READ_PHONE_STATE` if every use of it is a device
identifier read — `TelephonyManager.getImei`/`getDeviceId`/`getMeid`/`getSubscriberId`/`getSimSerialNumber`,
`Build.getSerial`, `SubscriptionInfo.getIccId` (and `getLine1Number` from targetSdk 30, which then needs
`READ_PHONE_NUMBERS`), apart from catalogued SDKs that list device identifiers among what they collect. Call-state
and network-type uses (`listen`, `registerTelephonyCallback`, `getCallState`, `getDataNetworkType`) keep the
permission legitimate and silence the rule.

## Why is this bad?
From Android 10, IMEI, MEID, IMSI, ICCID and the serial number need `READ_PRIVILEGED_PHONE_STATE`, which store
apps never get: apps targeting API 29+ get a `SecurityException`, older targets get `null`. What the
permission still buys is those identifiers on Android 9 and older — exactly the non-resettable identifiers
that MIIT test agencies report (191号文 四.1; remediation lists "IMEI、IMSI、设备MAC地址…") and that Google
Play forbids linking to other data. The phone-permission dialog ("make and manage phone calls") also puts
users off for nothing.

## Example
```kotlin
val imei = telephonyManager.imei          // READ_PHONE_STATE declared for this alone
```

## Use instead
```kotlin
val id = InstallationId.get(context)      // app-scoped random UUID; OAID only after consent
```
Remove `READ_PHONE_STATE`; use `READ_BASIC_PHONE_STATE` (API 33, normal) when only the network type or call
state is needed. If an SDK merges it, remove it with
`<uses-permission android:name="android.permission.READ_PHONE_STATE" tools:node="remove" />`.

## Fix safety
No automatic fix: the identifier reads must be replaced in code.

## Limitations
Without a targetSdk nothing is reported. SDK behaviour comes from the catalog's summary of each SDK's
disclosure; an SDK that needs the permission for something else (carrier one-tap login) is treated as a
legitimate use. When only SDKs use the permission, `permission-declared-unused` reports it. Identifier
reads are recognised through `rules/data/apis.toml` (`pi_kind = "device-id"`).

## References
- 191号文 四.1
- PIPL Art. 6
- Android 10 privacy changes: restriction on non-resettable device identifiers
- Google Play User Data policy (persistent device identifiers)
"""

from __future__ import annotations

from collections.abc import Iterator

from pipl_lint.findings import Category, Finding, Severity
from pipl_lint.model.permission_usage import Use
from pipl_lint.ruleapi import Context, RuleMeta
from pipl_lint.rules.excessive_permission._common import (
    ANDROID,
    declaration_finding,
    fix_text,
    merged_note,
    say,
    where,
)

META = RuleMeta(
    id="EP206",
    name="read-phone-state-for-identifiers",
    category=Category.EXCESSIVE_PERMISSION,
    severity=Severity.WARNING,
    summary="READ_PHONE_STATE is only used for device identifiers that Android 10+ no longer returns",
    fix="Remove READ_PHONE_STATE and the identifier reads; use an app-scoped UUID (or OAID after consent)",
    references=("191号文 四.1", "PIPL Art. 6", "Android 10 device identifier restrictions",
                "Google Play User Data policy"),
    messages={
        "ids-only": "`READ_PHONE_STATE` is only used to read device identifiers ({uses}), which Android 10+ withholds "
                    "from apps (targetSdk {target})",
    },
    fixes={
        "remove": "Remove `READ_PHONE_STATE` and the identifier reads; identify the installation with an app-scoped "
                  "random UUID (or OAID after consent), and use `READ_BASIC_PHONE_STATE` if only network type or call "
                  "state is needed.{merged}",
    },
)

NAME = ANDROID + "READ_PHONE_STATE"


def check(ctx: Context) -> Iterator[Finding]:
    target = ctx.target_sdk()
    if target is None or target < 29:
        return
    usage = ctx.permission_usage
    decls = usage.declared(NAME)
    if not decls:
        return
    code_ids, _sdk_ids, other = _classify(ctx, usage.uses(NAME), target)
    if other or not code_ids:
        return  # a legitimate use, or no code use at all (permission-declared-unused owns SDK-only cases)
    message = say(ctx, META, "ids-only", uses=where(code_ids), target=target)
    fix = fix_text(ctx, META, "remove", merged=merged_note(usage, NAME))
    for decl in decls:
        yield declaration_finding(ctx, META, decl, message, fix=fix)


def _classify(ctx: Context, uses: list[Use], target: int) -> tuple[list[Use], list[Use], list[Use]]:
    """(identifier reads in code, SDKs that collect identifiers, every other use). Requests do not count."""
    code_ids: list[Use] = []
    sdk_ids: list[Use] = []
    other: list[Use] = []
    for u in uses:
        if u.kind in ("request", "check", "unresolved"):
            continue
        if u.kind in ("sdk", "sdk-feature"):
            sdk = ctx.catalog.sdk(u.sdk) if u.sdk else None
            collects_ids = sdk is not None and "device-id" in sdk.pi_kinds and sdk.category != "login"
            (sdk_ids if collects_ids else other).append(u)
        elif u.api is not None and (u.api.pi_kind == "device-id" or (u.api.pi_kind == "phone-number"
                                                                     and target >= 30)):
            code_ids.append(u)
        else:
            other.append(u)
    return code_ids, sdk_ids, other
