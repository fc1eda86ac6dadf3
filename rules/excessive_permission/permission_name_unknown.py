"""A `<uses-permission>` names a permission that Android does not define: a typo or a made-up name.

## What it does
Checks every declared name that looks like a platform permission — `android.permission.*`, near-misses of
that prefix (`android.permissions.`, `andriod.permission.`), the code spelling `Manifest.permission.X`, a bare
`CAMERA` — against every permission AOSP has defined from API 4 to 36 (`rules/data/permissions.toml`). An
unknown name is reported with the closest real one (case-insensitive match first, then the most similar
name); a name in another namespace is reported only when it is one typo away from a known permission.

## Why is this bad?
A misspelt permission grants nothing: the feature it was meant for silently fails (or asks for the wrong
thing), and the manifest no longer says what the app really collects — the privacy policy and the
permission list shown to users (26号 informed installation) drift apart from the code.

## Example
```xml
<uses-permission android:name="android.permission.READ_CONTACT" />
```

## Use instead
```xml
<uses-permission android:name="android.permission.READ_CONTACTS" />
```
— or delete the line if the feature does not need the permission.

## Fix safety
`--unsafe-fixes` replaces the name with the suggested one: that grants a real permission the app did not
have before, so review it. When the suggested permission is already declared in the same manifest, the fix
removes the misspelt declaration instead, so the manifest never declares one permission twice.

## Limitations
Vendor permissions (`com.huawei.*`, `com.xiaomi.*` …) and the app's own permissions are not checked unless
they are one typo away from a catalogued name. Permissions added after API 36 are unknown until the catalog
is updated.

## References
- 191号文 二.1, 四.1
- 26号 (permission list shown at installation)
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator

from pipl_lint.findings import Applicability, Category, Edit, Finding, Severity
from pipl_lint.i18n import Msg
from pipl_lint.model.permission_usage import Declaration
from pipl_lint.ruleapi import Context, RuleMeta
from pipl_lint.rules.excessive_permission._common import ANDROID, declaration_finding, fix_text, memo, say

META = RuleMeta(
    id="EP203",
    name="permission-name-unknown",
    category=Category.EXCESSIVE_PERMISSION,
    severity=Severity.WARNING,
    summary="A declared permission name is misspelt or unknown to Android",
    fix="Use the real permission name, or remove the declaration",
    references=("191号文 二.1", "191号文 四.1", "26号"),
    fixable=True,
    messages={
        "did-you-mean": "`{name}` is not an Android permission (did you mean `{suggestion}`)",
        "grants-nothing": "`{name}` is not an Android permission: it grants nothing",
    },
    fixes={
        "replace": "Replace it with `{suggestion}`, or remove it if the feature does not need it",
        "remove": "Remove it, or declare the permission the feature really needs",
        "remove-duplicate": "Remove it: `{suggestion}` is already declared in this manifest",
    },
)

CODE_PREFIXES = ("android.Manifest.permission.", "Manifest.permission.")
PREFIX_SIMILARITY = 0.85
# Other namespaces of the platform and of Google's services, close in spelling to `android.permission.` but
# real: Android Automotive (`android.car.permission.CAR_SPEED`) and the like are never "not a permission".
OTHER_PLATFORM_NAMESPACES = (
    "android.car.permission.", "android.car.hvac.permission.", "com.android.voicemail.permission.",
    "com.android.alarm.permission.", "com.android.launcher.permission.", "com.android.browser.permission.",
    "com.google.android.gms.permission.", "com.google.android.c2dm.permission.",
    "com.google.android.providers.gsf.permission.", "com.google.android.finsky.permission.",
)
NAME_SIMILARITY = 0.8
FOREIGN_SIMILARITY = 0.92


def check(ctx: Context) -> Iterator[Finding]:
    known = memo(ctx, "known-names", lambda: sorted(ctx.catalog.permissions))
    lowered = memo(ctx, "known-lower", lambda: {n.lower(): n for n in known})
    for decl in ctx.permission_usage.declarations:
        name = decl.name
        if decl.merged or decl.entry.removed or name in ctx.catalog.permissions:
            continue
        suggestion, platform = _suggest(name, known, lowered)
        if not platform and suggestion is None:
            continue
        if suggestion is not None:
            duplicate = any(p.name == suggestion for p in decl.manifest.permissions)
            yield _finding(ctx, decl, say(ctx, META, "did-you-mean", name=name, suggestion=suggestion),
                           fix_text(ctx, META, "remove-duplicate" if duplicate else "replace", suggestion=suggestion),
                           suggestion, duplicate)
        else:
            yield _finding(ctx, decl, say(ctx, META, "grants-nothing", name=name), fix_text(ctx, META, "remove"), None)


def _suggest(name: str, known: list[str], lowered: dict[str, str]) -> tuple[str | None, bool]:
    """(closest known name or None, whether the name claims to be a platform permission)."""
    for prefix in CODE_PREFIXES:
        if name.startswith(prefix):
            candidate = ANDROID + name[len(prefix):]
            return (candidate if candidate in lowered.values() else None), True
    if "." not in name:
        candidate = lowered.get((ANDROID + name).lower())
        return candidate, True
    exact = lowered.get(name.lower())
    if exact is not None:
        return exact, True
    head, _, tail = name.rpartition(".")
    platform = head + "." not in OTHER_PLATFORM_NAMESPACES and \
        difflib.SequenceMatcher(None, head.lower() + ".", ANDROID).ratio() >= PREFIX_SIMILARITY
    if platform:
        candidate = lowered.get((ANDROID + tail).lower())
        if candidate is not None:
            return candidate, True
        shorts = [k[len(ANDROID):] for k in known if k.startswith(ANDROID)]
        close = difflib.get_close_matches(tail.upper(), shorts, 1, NAME_SIMILARITY)
        return (ANDROID + close[0] if close else None), True
    close = difflib.get_close_matches(name, known, 1, FOREIGN_SIMILARITY)
    return (close[0] if close else None), False


def _finding(ctx: Context, decl: Declaration, message: Msg, fix: Msg, suggestion: str | None,
             duplicate: bool = False) -> Finding:
    """The finding, with an unsafe edit: the name replaced by the suggestion, or, when the suggestion is
    already declared in the same manifest, the misspelt declaration removed (never two of one permission)."""
    edits: tuple[Edit, ...] = ()
    el = decl.entry.element
    span = el.attr_spans.get("android:name")
    if duplicate:
        if el.self_closing:  # the offsets cover the start tag only
            edits = (Edit(decl.path, el.start, el.end, "", Applicability.UNSAFE),)
    elif suggestion is not None and span is not None:
        edits = (Edit(decl.path, span[0], span[1], suggestion, Applicability.UNSAFE),)
    return declaration_finding(ctx, META, decl, message, fix=fix, edits=edits)
