"""A dangerous permission is requested at runtime, but nothing in the project uses what it grants.

## What it does
Reports the `<uses-permission>` of a runtime permission that the code asks for (`requestPermissions`,
ActivityResult launchers, PermissionX, XXPermissions, EasyPermissions …) or checks, when no catalogued API,
content URI, `content://` string, intent action or manifest component that needs it appears anywhere in the
project, and no catalogued SDK among the dependencies needs it for its feature (a location SDK's locating).
An SDK that may merely collect with it (an analytics SDK reading the IMEI once `READ_PHONE_STATE` is
granted) does not count: the message names it. Only permissions the catalog knows uses for are judged. The
message points at the request.

## Why is this bad?
Asking for a permission is itself what 191号文 三.1 and 四.1 describe ("打开可收集个人信息的权限"): the user is
made to grant access to contacts, SMS or the microphone for nothing, often at first launch (337号 (7)). A request
without a use is typically left over from a removed feature or copied from a template.

## Example
```kotlin
ActivityCompat.requestPermissions(this, arrayOf(Manifest.permission.READ_CONTACTS), REQ)
// … and no ContactsContract query anywhere
```

## Use instead
Remove the request and the declaration. For one-off choices use a picker that needs no permission:
```kotlin
val pickContact = registerForActivityResult(ActivityResultContracts.PickContact()) { uri -> … }
```

## Fix safety
No automatic fix: the request code must be removed as well.

## Limitations
Uses inside uncatalogued libraries, reflection, JavaScript bridges and native code are invisible; a library
that needs a permission you request should be added to `rules/data/sdks.toml`, or the finding suppressed with
the reason. A `CAMERA` request that only serves a capture intent is `camera-for-capture-intent-only`.

## References
- 191号文 三.1, 四.1
- 337号 (7) 过度索取权限
- PIPL Art. 6
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
    merged_note,
    permission,
    requested_unused,
    say,
    sdk_names,
    where,
)

META = RuleMeta(
    id="EP212",
    name="permission-requested-unused",
    category=Category.EXCESSIVE_PERMISSION,
    severity=Severity.WARNING,
    summary="A dangerous permission is requested at runtime but nothing in the project uses what it grants",
    fix="Remove the runtime request and the <uses-permission>",
    references=("191号文 三.1", "191号文 四.1", "337号 (7)", "PIPL Art. 6"),
    messages={
        "requested-unused": "{permission} is requested ({uses}) but no code in the project uses what it grants"
                            "{kind}{sdks}",
        "sdks": "; only {sdks} may use it, for their own collection",
    },
    fixes={"remove": "Remove the {permission} request and declaration.{alternative}{merged}"},
)


def check(ctx: Context) -> Iterator[Finding]:
    usage = ctx.permission_usage
    for decl in usage.live():
        if not requested_unused(ctx, decl.name):
            continue
        perm = permission(ctx, decl.name)
        kind: Msg | str = ""
        if perm and perm.pi_kind:
            label = ctx.catalog.pi_kinds[perm.pi_kind]
            kind = Msg(f" ({label.label_en.lower()})", f"（{label.label_zh}）")
        sdks = [u for u in usage.sdk_uses(decl.name) if u.kind == "sdk"]
        yield declaration_finding(
            ctx, META, decl,
            say(ctx, META, "requested-unused", permission=code(decl.name), uses=where(usage.requests(decl.name)),
                kind=kind, sdks=say(ctx, META, "sdks", sdks=sdk_names(sdks)) if sdks else ""),
            fix=fix_text(ctx, META, "remove", permission=code(decl.name), alternative=alternative(perm),
                             merged=merged_note(usage, decl.name)))
