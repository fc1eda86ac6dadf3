"""A dependency SDK collects from first launch because its manifest switch is missing or on.

## What it does
For every catalogued SDK among the Gradle dependencies whose data collection is controlled by
`<meta-data>` switches under `<application>` — Firebase Analytics (`firebase_analytics_collection_enabled`),
Crashlytics (`firebase_crashlytics_collection_enabled`), Performance, Cloud Messaging
(`firebase_messaging_auto_init_enabled`), Facebook (`com.facebook.sdk.AutoInitEnabled`,
`AutoLogAppEventsEnabled`, `AdvertiserIDCollectionEnabled`), Sentry (`io.sentry.auto-init`,
`io.sentry.send-default-pii`), HMS Push (`push_kit_auto_init_enabled`) … — reports when the app's
manifests leave the SDK collecting from the first launch: the switch is absent and defaults to on (reported
on `<application>`, or on the SDK's app-id `<meta-data>` — `com.facebook.sdk.ApplicationId` — when the app sets
it: that is what starts the SDK), or it is set to the collecting value (reported on that `<meta-data>`
element; when that is a master switch, only there). A switch set to the collecting value is reported even when
the SDK is not among the project's own dependencies (it comes through a library or an AAR): the app names the
SDK's switch, so the SDK ships. For an app distributed only outside China, Consent Mode's `eu_consent_policy`
(denied by default in the EEA, the UK and Switzerland) counts as off for the `google_analytics_default_allow_*`
switches; in China it is granted, so it is reported there.

An SDK no declared dependency names counts as shipped when the app itself shows it (it comes through a library
from another build, `implementation("com.example:app-toolkit:1.0") { isTransitive = true }`): its shipped code
imports a class of the SDK's packages that the project does not define itself (a stub of the same name is not
the SDK), or the variant's manifests set one of the SDK's own switches (one no other catalogued SDK shares),
whatever the value. Its absent switches are then reported as for a dependency. (An app key is no such evidence:
several generations of a vendor's SDK read the same `UMENG_APPKEY`.)

An SDK that starts from its app key in the manifest and has no switch at all (the legacy Umeng analytics SDK,
`com.umeng.analytics:analytics`: its first `MobclickAgent.onResume` reads `UMENG_APPKEY` and starts the session;
there is no init call to hold back) is reported on that key's `<meta-data>`: give the key in code after consent.

## Why is this bad?
These SDKs start themselves through merged ContentProviders; without the switch they collect and upload
identifiers before the app can show its privacy dialog (191号文 三.1, 五.1; PIPL Art. 13; Google Play User
Data policy).

## Example
```xml
<application android:name=".App">   <!-- firebase-analytics is a dependency; no switch: reported here -->
    <meta-data android:name="com.facebook.sdk.AutoLogAppEventsEnabled" android:value="true" />  <!-- reported here -->
</application>
```

## Use instead
```xml
<application android:name=".App">
    <meta-data android:name="firebase_analytics_collection_enabled" android:value="false" />
</application>
```
and after consent: `FirebaseAnalytics.getInstance(ctx).setAnalyticsCollectionEnabled(true)`.

## Fix safety
`--fix` inserts the missing `<meta-data>` with its safe value as the first child of `<application>`; this
is safe (it only disables collection until the app enables it after consent) but the app must then enable
collection after consent, or the SDK stays off.

## Limitations
Only SDKs found in Gradle dependencies (or `libs/` jars, or shown by the app's imports and switches as above)
and listed with manifest switches (or a starting app key) in `rules/data/sdks.toml` are checked, and not a
dependency version from before the SDK started itself (the catalog's `autostart_since`:
`io.sentry:sentry-android:1.7.16` starts only with `Sentry.init` in code). A version
the root project keeps in `ext` (`"io.sentry:sentry-android:$sentry_version"`) is read from there.
Checked per shipped variant on the variant's manifests in Android's merge priority
(build type > flavour > main; `tools:node="remove"` honoured) and its dependencies; debug-only manifests
and dependencies do not ship. The finding goes on the manifest of the app module that ships the SDK, of the
source set its configuration names (`fullImplementation`: the `full` flavour's manifest; the finding's trace then
names the main manifest's `<application>` that the flavour's merges into). A module whose build
applies the application plugin only through a convention plugin is the app when that plugin applies
`com.android.application`, or else when its manifest declares the launcher activity. Only a master switch
(one that stops the SDK's self-start) counts as "collection off"; a sub-switch such as
`google_analytics_adid_collection_enabled=false` does not.

## References
- 191号文 三.1, 五.1
- PIPL Art. 13
- Google Play User Data policy
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pipl_lint.catalogs import ManifestFlag, Sdk
from pipl_lint.findings import Category, Edit, Finding, Severity
from pipl_lint.i18n import Msg
from pipl_lint.ruleapi import Context, RuleMeta
from pipl_lint.rules.consent_flow._common import outside_china
from pipl_lint.rules.early_collection._common import (
    app_meta_data,
    launches,
    main_application,
    merged_into,
    shipped_sdks,
)

META = RuleMeta(
    id="EC104",
    name="sdk-collection-enabled-by-manifest",
    category=Category.EARLY_COLLECTION,
    severity=Severity.ERROR,
    summary="An SDK dependency collects from first launch: its manifest switch is missing or on",
    fix="Add the SDK's collection switch with its safe value under <application>, and enable collection after consent",
    references=("191号文 三.1", "191号文 五.1", "PIPL Art. 13", "Google Play User Data policy"),
    fixable=True,
    per_variant=True,
    messages={
        "unsafe-value": "{sdk}: `{flag}` is `{value}`; set it to `{safe}`",
        "on-at-launch": "{sdk} ({coordinate}, {where}) collects from first launch: none of {names} is set",
        "key-starts": "{sdk} ({coordinate}, {where}) starts from the app key `{appkey}` in the manifest on its first "
                      "call, with no switch to keep it off",
    },
    fixes={
        "set-value": "Set `{flag}` to `{safe}`. {note}",
        "add-switches": "Add {names} under <application>, then enable collection after consent. {sdk_fix}",
    },
)


def check(ctx: Context) -> Iterator[Finding]:
    meta = app_meta_data(ctx)
    seen: set[str] = set()
    # Switches set to the collecting value of an SDK no declared dependency names are reported as they are; the
    # SDKs the app shows it ships otherwise (`shipped_sdks`) are checked for absent switches below.
    declared = {found.sdk_id for found in ctx.sdks}
    yield from _explicit_only(ctx, meta, declared)
    for found in shipped_sdks(ctx):
        if found.sdk_id in seen or (not ctx.app_modules() and not launches(ctx, found.module)):
            continue
        seen.add(found.sdk_id)
        sdk = ctx.catalog.sdk(found.sdk_id)
        if not sdk.starts_itself(found.version):
            continue  # a version before its self-start (sentry-android 1.x): only its init in code starts it
        if not sdk.manifest_flags:
            yield from _key_without_switch(ctx, sdk, found, meta)
            continue
        gating = [f for f in sdk.manifest_flags if f.default_enabled]
        # Only a master switch (one that stops the SDK's self-start, or the only switch) turns all collection
        # off; a sub-switch such as `google_analytics_adid_collection_enabled=false` does not.
        masters = {n for p in sdk.autoinit_providers for n in p.disabled_by} or {f.name for f in gating}
        if gating and any(_safe(ctx, f, meta.get(f.name, (None,))[0]) for f in sdk.manifest_flags if f.name in masters):
            gating = []  # collection is off at launch
        gating = [f for f in gating if not _safe(ctx, f, meta.get(f.name, (None,))[0])]  # name only what is still on
        # A switch set explicitly to the collecting value is reported on its own <meta-data>, the line to change.
        # When that is a master switch, the switches left absent change nothing: that element is the fix.
        explicit = [f for f in gating if meta.get(f.name, (None,))[0] is not None]
        gating = [] if any(f.name in masters for f in explicit) else [f for f in gating if f not in explicit]
        unsafe = [(f, meta[f.name]) for f in sdk.manifest_flags
                  if f.name in meta and meta[f.name][0] is not None and not _safe(ctx, f, meta[f.name][0])
                  and (not f.default_enabled or f in explicit)]
        for flag, (value, element) in unsafe if found.sdk_id in declared else ():
            yield from _unsafe_value(ctx, sdk, flag, value, element)
        app = main_application(ctx, found.module, found.source_set)
        if not gating or app is None:
            continue
        manifest, app_el = app
        # The SDK's app-id <meta-data> (`com.facebook.sdk.ApplicationId`) is what starts it: the line to look at.
        key = meta.get(sdk.manifest_key) if sdk.manifest_key else None
        at = next(((m, key[1]) for m in ctx.variant_manifests() if key is not None
                   and key[1] in list(m.root.iter())), (manifest, app_el))
        shown = [f"`{f.name}`=`{f.safe}`" for f in gating]
        names = ", ".join(shown[:2]) + (f" (+{len(shown) - 2} more)" if len(shown) > 2 else "")
        missing = [f for f in gating if f.name not in meta]
        edits: tuple[Edit, ...] = ()
        if missing and not app_el.self_closing and app_el.end > 0:
            indent = " " * (app_el.column - 1 + 4)
            text = "".join(f'\n{indent}<meta-data android:name="{f.name}" android:value="{f.safe}" />'
                           for f in missing)
            edits = (Edit(manifest.path, app_el.end, app_el.end, text),)
        where = f"{found.path}:{found.line}"
        yield ctx.finding(
            META, at[0].path, ctx.element_span(at[1]),
            ctx.say(META, "on-at-launch", sdk=sdk.name, coordinate=found.coordinate, where=where, names=names),
            fix=ctx.fix_text(META, "add-switches", names=", ".join(shown), sdk_fix=Msg(sdk.fix, sdk.fix_zh or None)),
            trace=merged_into(ctx, at[0]), anchor=f"{sdk.id}|launch", edits=edits)


def _key_without_switch(ctx: Context, sdk: Sdk, found: Any, meta: dict[str, tuple[str | None, Any]]) \
        -> Iterator[Finding]:
    """An SDK that starts from its app key in the manifest and has no switch to keep it off (the legacy Umeng
    analytics SDK: its first `MobclickAgent.onResume` reads `UMENG_APPKEY` and starts the session, with no init
    call the app could hold back): the key's `<meta-data>` is the line to change (give the key in code after
    consent)."""
    value, element = meta.get(sdk.manifest_key, (None, None)) if sdk.manifest_key else (None, None)
    manifest = next((m for m in ctx.variant_manifests() if element is not None and element in list(m.root.iter())),
                    None)
    if value is None or manifest is None:
        return
    yield ctx.finding(
        META, manifest.path, ctx.element_span(element),
        ctx.say(META, "key-starts", sdk=sdk.name, coordinate=found.coordinate, where=f"{found.path}:{found.line}",
                appkey=sdk.manifest_key),
        fix=Msg(sdk.fix, sdk.fix_zh or None), trace=merged_into(ctx, manifest), anchor=f"{sdk.id}|key")


def _explicit_only(ctx: Context, meta: dict[str, tuple[str | None, Any]], found: set[str]) -> Iterator[Finding]:
    """Switches the app's manifest sets to the collecting value for an SDK that is not among the dependencies
    the project declares (it comes through a library, a BOM in another build, an AAR): the app names the SDK's
    own switch, so the SDK ships; the element is the line to change. Absent switches are not reported for it."""
    for sdk in ctx.catalog.sdks:
        if sdk.id in found or not any(f.name in meta for f in sdk.manifest_flags):
            continue
        for flag in sdk.manifest_flags:
            value, element = meta.get(flag.name, (None, None))
            if value is None or _safe(ctx, flag, value) or not flag.default_enabled:
                continue
            yield from _unsafe_value(ctx, sdk, flag, value, element)


def _unsafe_value(ctx: Context, sdk: Sdk, flag: ManifestFlag, value: str, element: Any) -> Iterator[Finding]:
    """The finding on the `<meta-data>` element that sets `flag` to the collecting `value`: the line to change."""
    manifest = next((m for m in ctx.variant_manifests() if element in list(m.root.iter())), None)
    if manifest is not None:
        yield ctx.finding(
            META, manifest.path, ctx.element_span(element),
            ctx.say(META, "unsafe-value", sdk=sdk.name, flag=flag.name, value=value, safe=flag.safe),
            fix=ctx.fix_text(META, "set-value", flag=flag.name, safe=flag.safe, note=flag.note),
            anchor=f"{sdk.id}|{flag.name}")


def _safe(ctx: Context, flag: ManifestFlag, value: str | None) -> bool:
    """The switch's value keeps collection off (Consent Mode's `eu_consent_policy` too, for an app distributed
    only outside China)."""
    return value == flag.safe or (value in flag.safe_outside_china and outside_china(ctx))
