"""An SDK starts itself through a merged ContentProvider before the app can ask for consent.

## What it does
For catalogued SDKs among the dependencies that merge an auto-initialising ContentProvider
(`com.google.firebase.provider.FirebaseInitProvider`, `com.facebook.internal.FacebookInitProvider`,
`io.sentry.android.core.SentryInitProvider`, `com.google.android.gms.ads.MobileAdsInitProvider` …),
reports when the app neither removes the provider (`tools:node="remove"`) nor sets the SDK switch that
neutralises it. The finding is on the `<application>` of the manifest that ships the dependency, as EC104's:
the app module that declares it (also one made an app by a convention plugin), and the flavour's manifest for
a flavour's dependency (`fullImplementation` → `src/full/AndroidManifest.xml`) when it has one. A dependency
version from before the SDK merged its provider (sentry-android 1.x) is not reported.

## Why is this bad?
ContentProviders are created before `Application.onCreate`, so the SDK initialises — and may collect —
before any code of the app runs, let alone a privacy dialog (191号文 三.1, 五.1).

## Example
```kotlin
dependencies { implementation("io.sentry:sentry-android:7.14.0") }   // no manifest changes
```

## Use instead
```xml
<meta-data android:name="io.sentry.auto-init" android:value="false" />
<!-- or -->
<provider android:name="io.sentry.android.core.SentryInitProvider"
          android:authorities="${applicationId}.SentryInitProvider" tools:node="remove" />
```
and initialise the SDK in code after consent.

## Fix safety
No automatic fix: removing a provider requires initialising the SDK manually.

## Limitations
Providers are taken from the catalog (`autoinit_providers` in `rules/data/sdks.toml`); with Gradle build
output present, the merged manifest is not yet consulted for providers of uncatalogued SDKs.

## References
- 191号文 三.1, 五.1
- PIPL Art. 13
"""

from __future__ import annotations

from collections.abc import Iterator

from pipl_lint.findings import Category, Finding, Severity
from pipl_lint.ruleapi import Context, RuleMeta
from pipl_lint.rules.early_collection._common import app_meta_data, main_application, removed_components

META = RuleMeta(
    id="EC105",
    name="sdk-autoinit-provider-active",
    category=Category.EARLY_COLLECTION,
    severity=Severity.WARNING,
    summary="An SDK's auto-initialising ContentProvider is left active",
    fix=('Disable the SDK\'s auto-init switch or remove its provider with tools:node="remove", then initialise '
         "after consent"),
    references=("191号文 三.1", "191号文 五.1", "PIPL Art. 13"),
    per_variant=True,
    messages={"self-start": "{sdk} ({coordinate}) starts itself through `{provider}` before the app runs"},
    fixes={
        "switch-or-remove": "Set {switch} or remove `{provider}` with `tools:node=\"remove\"` and initialise {sdk} "
                            "after consent",
        "remove": "Remove `{provider}` with `tools:node=\"remove\"` and initialise {sdk} after consent",
    },
)


def check(ctx: Context) -> Iterator[Finding]:
    meta = app_meta_data(ctx)
    removed = removed_components(ctx)
    seen: set[str] = set()
    for found in ctx.sdks:
        # Where EC104 reports the SDK: the manifest of the app and source set that ship the dependency.
        app = main_application(ctx, found.module, found.source_set)
        if app is None:
            continue
        manifest, app_el = app
        sdk = ctx.catalog.sdk(found.sdk_id)
        if not sdk.starts_itself(found.version):
            continue  # a version that merges no self-starting provider (sentry-android 1.x)
        flags = {f.name: f for f in sdk.manifest_flags}
        for provider in sdk.autoinit_providers:
            if provider.name in removed or provider.name in seen:
                continue
            seen.add(provider.name)
            if any(name in flags and meta.get(name, (None,))[0] == flags[name].safe for name in provider.disabled_by):
                continue
            switch = ", ".join(f"`{n}`=`{flags[n].safe}`" for n in provider.disabled_by if n in flags)
            fix = ctx.fix_text(META, "switch-or-remove" if switch else "remove", switch=switch,
                               provider=provider.name, sdk=sdk.name)
            yield ctx.finding(
                META, manifest.path, ctx.element_span(app_el),
                ctx.say(META, "self-start", sdk=sdk.name, coordinate=found.coordinate,
                        provider=provider.name.rsplit(".", 1)[-1]),
                fix=fix,
                anchor=provider.name)
