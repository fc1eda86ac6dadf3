"""A permission or service that app stores restrict is declared: its declaration alone gets reviewed.

## What it does
Reports declarations that Google Play restricts, or that Chinese regulators read as app-list collection:
- SMS and Call Log permissions (`READ_SMS`, `RECEIVE_SMS`, `SEND_SMS`, `READ_CALL_LOG` …) when no manifest
  component makes the app a default SMS, Phone, caller-ID or Assistant handler (error);
- `MANAGE_EXTERNAL_STORAGE` (error);
- `QUERY_ALL_PACKAGES`, `com.android.permission.GET_INSTALLED_APPS`, `PACKAGE_USAGE_STATS`,
  `REQUEST_INSTALL_PACKAGES`, `ACCESS_BACKGROUND_LOCATION`, `READ_MEDIA_IMAGES`/`READ_MEDIA_VIDEO`,
  `USE_EXACT_ALARM` (warning);
- `SYSTEM_ALERT_WINDOW` and `WRITE_SETTINGS` (info);
- services bound as an accessibility service or a notification listener (warning), on the `<service>` line.
The message says when nothing in the project uses the permission, and the fix names the alternative API.

Store context: with `distribution = "china-stores"` (the app is not on Google Play) a Google Play-only
restriction (SMS/Call Log, all files, installing packages, background location, photo/video, exact alarms) is
at most a warning, and the message gives the reason: Chinese stores still review these permissions for minimum
necessity. With `distribution = "elsewhere"` (neither Google Play nor Chinese stores: GitHub releases, the app's
own site) no store restricts them: a Play-only restriction, package visibility or an app-list permission that
the app uses is not reported, and one that nothing uses is a warning with the reason. A use that is the app's
core feature is an `info` that says so: call-log or SMS data read by code while a receiver for incoming SMS or
calls exists (a forwarder, blocker or backup tool), an accessibility service declared with a description for the
user. An overlay permission the app checks (`canDrawOverlays`) and uses for its own overlay window is not
reported.

## Why is this bad?
Google Play rejects or removes apps that declare these permissions without an approved core use and a
Permissions Declaration Form (SMS/Call Log, All files access, package visibility, background location,
`REQUEST_INSTALL_PACKAGES`, photo and video, exact alarms, AccessibilityService). The installed-app list is a
top MIIT finding (337号 (3) 常用软件应用列表; T/TAF 077.6 and 108). The store reads the manifest, so an unused
declaration is enough to be rejected.

## Example
```xml
<uses-permission android:name="android.permission.READ_SMS" />   <!-- for OTP auto-fill -->
<uses-permission android:name="android.permission.QUERY_ALL_PACKAGES" />
```

## Use instead
```kotlin
SmsRetriever.getClient(context).startSmsUserConsent(null)   // one-time codes, no SMS permission
```
```xml
<queries><package android:name="com.tencent.mm" /></queries>   <!-- only the apps you need -->
```
Use SAF (`ACTION_OPEN_DOCUMENT`) or MediaStore instead of all-files access, the photo picker
(`PickVisualMedia`) instead of `READ_MEDIA_IMAGES`, foreground location instead of background location,
the app store instead of a self-updater, inexact alarms or WorkManager instead of exact alarms.

## Fix safety
No automatic fix: dropping the permission removes the feature built on it.

## Limitations
Whether the app qualifies for a Play exception (a real default SMS app, a file manager, a launcher that
needs every package) cannot be seen from source; suppress the finding with the reason when it does.
Debug-only manifests are skipped: stores never see debug builds. Where the app is distributed comes from
configuration only (`distribution`, default `both`); core-feature detection reads the manifest and the
catalogued APIs, not the app's store listing, and an accessibility service's description is looked for on
the `<service>` element, not in its configuration XML. Default-handler detection looks for the
role's intent filter (`SMS_DELIVER`, `RESPOND_VIA_MESSAGE`, `DIAL`, `InCallService`, `CallScreeningService`,
`VoiceInteractionService`), not for the role being granted.

## References
- Google Play: SMS and Call Log permissions; All files access; Package visibility (QUERY_ALL_PACKAGES);
  REQUEST_INSTALL_PACKAGES; Background location; Photo and video permissions; Exact alarm; AccessibilityService API
- 337号 (3) 常用软件应用列表; T/TAF 077.6, T/TAF 108-2022
- 191号文 四.1
- TC260-PG-20204A Annex B (Android special sensitive permissions)
"""

from __future__ import annotations

from collections.abc import Iterator

from pipl_lint.findings import Category, Finding, Severity
from pipl_lint.i18n import Msg
from pipl_lint.model.manifest import Component
from pipl_lint.model.permission_usage import Use
from pipl_lint.ruleapi import Context, RuleMeta
from pipl_lint.rules.excessive_permission._common import (
    ACCESSIBILITY,
    BACKGROUND,
    COARSE,
    FINE,
    NOTIFICATION_LISTENER,
    code,
    declaration_finding,
    fix_text,
    is_debug_path,
    merged_note,
    say,
    sdk_names,
    store_restriction,
    where,
    with_severity,
)

META = RuleMeta(
    id="EP204",
    name="permission-store-restricted",
    category=Category.EXCESSIVE_PERMISSION,
    severity=Severity.ERROR,
    summary="A permission or service that Google Play or Chinese app-list rules restrict is declared",
    fix="Remove it, or use the alternative API; keep it only for an approved core use",
    references=("Google Play restricted permissions", "337号 (3)", "T/TAF 108-2022", "191号文 四.1",
                "TC260-PG-20204A Annex B"),
    messages={
        "restricted": "{permission} is {why}{note}",
        "accessibility": "`{component}` is an accessibility service, which reads the screen content of every app; "
                         "Google Play allows it only for genuine accessibility tools, with a prominent disclosure",
        "accessibility-described": "`{component}` is an accessibility service, which reads the screen content of "
                                   "every app; it is declared with a description for the user, so it looks like a "
                                   "core feature: Google Play still allows it only for genuine accessibility tools, "
                                   "with a prominent disclosure",
        "notification-listener": "`{component}` is a notification listener, which reads every notification "
                                 "(messages, codes, names)",
        # Notes after "restricted": what uses the permission.
        "note-used": "; used by {uses}",
        "note-with-foreground": "; {uses} requests it together with foreground location, which Android 11 and later "
                                "ignore",
        "note-requested": "; requested by {uses}",
        "note-sdk-only": "; nothing in the project's code uses it (only {sdks} lists it)",
        "note-unused": "; nothing in the project uses it",
    },
    fixes={
        "remove": "Remove the {permission} declaration.{alternative}{merged}",
        "keep-core": "{alternative}Keep it only for an approved core use, and declare that use.{merged}",
        "accessibility": "Remove the service unless the app is an accessibility tool; disclose what it reads and get "
                         "consent before enabling it",
        "notification-listener": "Remove the listener unless it is a core companion or wearable feature; disclose it "
                                 "and get consent before asking the user to enable it",
    },
)

SERVICE_REFERENCES = {
    "accessibility": ("Google Play AccessibilityService API policy", "191号文 四.1"),
    "notification-listener": ("191号文 四.1", "PIPL Art. 6"),
}


def check(ctx: Context) -> Iterator[Finding]:
    usage = ctx.permission_usage
    for decl in usage.live():
        restriction = store_restriction(ctx, decl)
        if restriction is None:
            continue
        note, unused = _usage_note(ctx, usage.uses(decl.name))
        alt = restriction.alternative
        merged = merged_note(usage, decl.name)
        if unused:
            fix = fix_text(ctx, META, "remove", permission=code(decl.name), merged=merged,
                               alternative=Msg(f" {alt.en}", alt.zh) if alt.en else Msg(""))
        else:
            fix = fix_text(ctx, META, "keep-core", merged=merged,
                               alternative=Msg(f"{alt.en} ", alt.zh) if alt.en else Msg(""))
        message = say(ctx, META, "restricted", permission=code(decl.name), why=restriction.why, note=note)
        yield declaration_finding(ctx, META, decl, message, fix=fix, severity=restriction.severity,
                                  references=restriction.references)
    for manifest in ctx.manifests:
        if is_debug_path(manifest.path):
            continue
        for comp in manifest.components:
            kind = _service_kind(comp)
            if kind is None:
                continue
            described = kind == "accessibility" and _described(comp)
            message = say(ctx, META, "accessibility-described" if described else kind, component=comp.name)
            finding = ctx.finding(META, manifest.path, ctx.element_span(comp.element), message,
                                  fix=fix_text(ctx, META, kind), anchor=f"{kind}|{comp.cls}",
                                  references=SERVICE_REFERENCES[kind])
            yield with_severity(ctx, META, finding, Severity.INFO if described else Severity.WARNING)


def _usage_note(ctx: Context, uses: list[Use]) -> tuple[Msg, bool]:
    """(`; used by …` / `; requested by …` / `; only <SDK> …` / `; nothing … uses it`, whether nothing uses it)."""
    in_code = [u for u in uses if u.is_code or u.kind == "sdk-feature"]
    requests = [u for u in uses if u.kind in ("request", "check", "unresolved")]
    sdks = [u for u in uses if u.kind == "sdk"]
    if in_code:
        return say(ctx, META, "note-used", uses=where(in_code)), False
    if requests:
        together = [u for u in requests if u.kind == "request" and BACKGROUND in u.permissions
                    and {FINE, COARSE} & set(u.permissions)]
        if together:
            return say(ctx, META, "note-with-foreground", uses=where(together, 1)), False
        return say(ctx, META, "note-requested", uses=where(requests)), False
    if sdks:
        return say(ctx, META, "note-sdk-only", sdks=sdk_names(sdks)), True
    return say(ctx, META, "note-unused"), True


def _described(comp: Component) -> bool:
    """An accessibility service declared as a feature the user turns on knowingly: a description on the
    `<service>` and the `android.accessibilityservice` configuration."""
    return bool(comp.element.get("android:description")) and \
        any(m.name == "android.accessibilityservice" for m in comp.meta_data)


def _service_kind(comp: Component) -> str | None:
    if comp.kind != "service" or comp.removed:
        return None
    marks = {comp.permission or "", *comp.actions}
    if marks & set(ACCESSIBILITY):
        return "accessibility"
    if marks & set(NOTIFICATION_LISTENER):
        return "notification-listener"
    return None
