"""A legacy storage or Bluetooth permission is declared for every Android version, although the project's
targetSdk only needs it on old ones.

## What it does
Reports `WRITE_EXTERNAL_STORAGE` (targetSdk ≥ 29), `READ_EXTERNAL_STORAGE` (targetSdk ≥ 33) and `BLUETOOTH` /
`BLUETOOTH_ADMIN` (targetSdk ≥ 31), and AccountManager's `MANAGE_ACCOUNTS`, `AUTHENTICATE_ACCOUNTS` and
`USE_CREDENTIALS` (targetSdk ≥ 23: the platform checks them only up to API 22) declared without
`android:maxSdkVersion` — or with a higher one than the target makes necessary — and offers the bound: `28`
for `WRITE_EXTERNAL_STORAGE` (`29` when the app opts into `requestLegacyExternalStorage`), `32` for
`READ_EXTERNAL_STORAGE`, `30` for the Bluetooth pair, `22` for the account permissions. The targetSdk
comes from Gradle (`targetSdk`/`targetSdkVersion`) or `<uses-sdk>`.

## Why is this bad?
With scoped storage, apps write their own files and MediaStore entries without `WRITE_EXTERNAL_STORAGE`;
apps targeting Android 13 read other apps' media through `READ_MEDIA_*` or the photo picker; apps targeting
Android 12 use `BLUETOOTH_SCAN`/`BLUETOOTH_CONNECT`. Left unbounded, the legacy permissions still show up in
the app's permission list on every device, are counted by test agencies as requested storage access
(191号文 四.1, PIPL Art. 6), and invite code paths that read shared storage on old devices.

## Example
```xml
<uses-permission android:name="android.permission.READ_EXTERNAL_STORAGE" />
<uses-permission android:name="android.permission.WRITE_EXTERNAL_STORAGE" />
```

## Use instead
```xml
<uses-permission android:name="android.permission.READ_EXTERNAL_STORAGE" android:maxSdkVersion="32" />
<uses-permission android:name="android.permission.WRITE_EXTERNAL_STORAGE" android:maxSdkVersion="28" />
<uses-permission android:name="android.permission.READ_MEDIA_IMAGES" />   <!-- only if the picker is not enough -->
```
Prefer the photo picker (`ActivityResultContracts.PickVisualMedia`), SAF (`ACTION_OPEN_DOCUMENT`) and
app-specific directories (`getExternalFilesDir`), which need no permission at all.

## Fix safety
`--fix` adds (or lowers) `android:maxSdkVersion`. It is safe: for the project's targetSdk the permission has
no effect on the newer releases it stops being requested on. Code that reads shared storage on Android 10+
without MediaStore or SAF was already broken there. A dangerous permission that nothing in the project uses
gets no edit: bounding it would only turn this finding into `permission-declared-unused`; remove it instead.

## Limitations
Without a targetSdk (no Gradle build file and no `<uses-sdk>`) nothing is reported. When nothing in the
project uses the permission the message says so: delete it instead of bounding it. Library manifests are
reported on their own lines; a bound there may need `tools:replace="android:maxSdkVersion"` in the app when
another library declares it unbounded.

## References
- 191号文 四.1
- PIPL Art. 6
- Android storage updates (scoped storage, API 29/30), granular media permissions (API 33), Bluetooth
  permissions (API 31)
"""

from __future__ import annotations

from collections.abc import Iterator

from pipl_lint.findings import Category, Finding, Severity
from pipl_lint.model.permission_usage import Declaration
from pipl_lint.ruleapi import Context, RuleMeta
from pipl_lint.rules.excessive_permission._common import (
    attribute_edit,
    code,
    declaration_finding,
    fix_text,
    legacy_bound,
    merged_note,
    permission,
    say,
    unused_note,
)

META = RuleMeta(
    id="EP205",
    name="legacy-permission-unbounded",
    category=Category.EXCESSIVE_PERMISSION,
    severity=Severity.WARNING,
    summary="A legacy storage or Bluetooth permission lacks the android:maxSdkVersion its targetSdk allows",
    fix='Add android:maxSdkVersion (28 for WRITE_EXTERNAL_STORAGE, 32 for READ_EXTERNAL_STORAGE, 30 for BLUETOOTH)',
    references=("191号文 四.1", "PIPL Art. 6", "Android scoped storage / granular media / Bluetooth permissions"),
    fixable=True,
    messages={
        "never-needed": "{permission} is never needed with minSdk {min_sdk}: {reason}",
        "unbounded": "{permission} {state}: targetSdk {target}, and {reason}{unused}",
        "state-none": "has no `android:maxSdkVersion`",
        "state-value": "has `android:maxSdkVersion=\"{current}\"`",
    },
    fixes={
        "remove": "Remove the {permission} declaration.{merged}",
        "remove-or-bound": "Remove the {permission} declaration, or bound it with {attr}{merged}",
        "bound": "Add {attr} to the declaration{merged}",
    },
)


def check(ctx: Context) -> Iterator[Finding]:
    usage = ctx.permission_usage
    target = ctx.target_sdk()
    min_sdk = ctx.min_sdk()
    for decl in usage.live():
        bound = legacy_bound(ctx, decl)
        if bound is None:
            continue
        name = code(decl.name)
        merged = merged_note(usage, decl.name)
        if min_sdk is not None and bound.max_sdk < min_sdk:
            yield declaration_finding(
                ctx, META, decl, say(ctx, META, "never-needed", permission=name, min_sdk=min_sdk, reason=bound.reason),
                fix=fix_text(ctx, META, "remove", permission=name, merged=merged))
            continue
        attr = f'`android:maxSdkVersion="{bound.max_sdk}"`'
        current = decl.entry.max_sdk
        state = say(ctx, META, "state-none") if current is None else say(ctx, META, "state-value", current=current)
        unused = not usage.is_used(decl.name)
        fix = fix_text(ctx, META, "remove-or-bound" if unused else "bound", permission=name, attr=attr, merged=merged)
        # Bounding a declaration that nothing uses would only trade this warning for permission-declared-unused:
        # no edit then (the fix text says to remove it).
        edits = () if _unused_once_bounded(ctx, decl) else attribute_edit(decl, "android:maxSdkVersion",
                                                                           str(bound.max_sdk))
        yield declaration_finding(
            ctx, META, decl,
            say(ctx, META, "unbounded", permission=name, state=state, target=target, reason=bound.reason,
                    unused=unused_note(usage, decl.name)),
            fix=fix, edits=edits)


def _unused_once_bounded(ctx: Context, decl: Declaration) -> bool:
    """permission-declared-unused would report the declaration once it is bounded: a dangerous or special
    permission with no use other than an SDK that may use it."""
    perm = permission(ctx, decl.name)
    if perm is None or perm.protection not in ("dangerous", "special"):
        return False
    return not any(u.kind != "sdk" for u in ctx.permission_usage.uses(decl.name))
