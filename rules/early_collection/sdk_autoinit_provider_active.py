"""An SDK starts itself through a merged ContentProvider before the app can ask for consent.

## What it does
For catalogued SDKs among the dependencies that merge an auto-initialising ContentProvider
(`com.google.firebase.provider.FirebaseInitProvider`, `com.facebook.internal.FacebookInitProvider`,
`io.sentry.android.core.SentryInitProvider`, `com.google.android.gms.ads.MobileAdsInitProvider` …),
reports when the app neither removes the provider (`tools:node="remove"`) nor sets the SDK switch that
neutralises it. The finding is on the `<application>` of the manifest that ships the dependency, as EC104's:
the app module that declares it (also one made an app by a convention plugin), and the flavour's manifest for
a flavour's dependency (`fullImplementation` → `src/full/AndroidManifest.xml`) when it has one (its trace
then names the main manifest's `<application>` that the flavour's merges into). A dependency version from
before the SDK merged its provider (sentry-android 1.x) is not reported.

The app's own androidx.startup initializers count too: an `Initializer` registered under the merged
`androidx.startup.InitializationProvider` (`<meta-data android:name="com.example.StatsInitializer"
android:value="androidx.startup"/>`) whose `create()` reaches a catalogued SDK's init call with no consent
check on the way (`UMConfigure.init`, not the allowed `UMConfigure.preInit`) is reported on that `<provider>`
element, once per initializer: the provider starts the SDK before `Application.onCreate`, as the SDK's own
provider would. (The init call itself is `sdk-init-before-consent`'s finding.)

An SDK no declared dependency names counts when the app shows it ships it (its code imports the SDK's classes,
or its manifest sets the SDK's own switch or app-id key: see `sdk-collection-enabled-by-manifest`).

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
output present, the merged manifest is not yet consulted for providers of uncatalogued SDKs. An initializer is
followed only through the calls the reachability walk resolves, and only an initializer class of the project's
sources (not one a library AAR registers).

## References
- 191号文 三.1, 五.1
- PIPL Art. 13
"""

from __future__ import annotations

from collections.abc import Iterator

from pipl_lint.findings import Category, Finding, Severity, TraceStep
from pipl_lint.model.entrypoints import STARTUP_PROVIDER
from pipl_lint.ruleapi import Context, RuleMeta
from pipl_lint.rules.early_collection._common import (
    app_meta_data,
    main_application,
    merged_into,
    removed_components,
    shipped_sdks,
)

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
    messages={"self-start": "{sdk} ({coordinate}) starts itself through `{provider}` before the app runs",
              "initializer": "{sdk} is started by the androidx.startup initializer `{initializer}` "
                             "(`{call}`), which `InitializationProvider` runs before Application.onCreate"},
    fixes={
        "initializer": "Remove `{initializer}` from the InitializationProvider's <meta-data> (or the provider with "
                       "`tools:node=\"remove\"`) and initialise {sdk} after consent",
        "switch-or-remove": "Set {switch} or remove `{provider}` with `tools:node=\"remove\"` and initialise {sdk} "
                            "after consent",
        "remove": "Remove `{provider}` with `tools:node=\"remove\"` and initialise {sdk} after consent",
    },
)


def check(ctx: Context) -> Iterator[Finding]:
    meta = app_meta_data(ctx)
    removed = removed_components(ctx)
    seen: set[str] = set()
    for found in shipped_sdks(ctx):
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
                fix=fix, trace=merged_into(ctx, manifest),
                anchor=provider.name)
    yield from _initializers(ctx)


def _initializers(ctx: Context) -> Iterator[Finding]:
    """The app's androidx.startup initializers (`<meta-data android:value="androidx.startup">` under the
    merged `InitializationProvider`) whose `create()` starts a catalogued SDK with no consent check on the way:
    the provider runs them before Application.onCreate, as an SDK's own provider. Reported on the `<provider>`
    element of the manifest that registers the initializer, once per initializer."""
    paths = {m.path: m for m in ctx.variant_manifests()}
    seen: set[tuple[str, int]] = set()
    for reached, site, _state in ctx.pre_consent.open_sites(lambda _fid, s: ctx.sdk_calls.may_match(s, "init")):
        entry = reached.entry
        if entry.kind != "startup" or entry.path not in paths or (entry.path, entry.line) in seen:
            continue
        hit = ctx.sdk_calls.match(reached.fid, site, roles=("init",))
        if hit is None:
            continue
        sdk, _role, call = hit
        if call.keeps_off([a.text for a in site.args]):
            continue  # started so that it collects nothing (`TrackingConsent.PENDING`)
        provider = next((c for c in paths[entry.path].components if c.cls == STARTUP_PROVIDER and not c.removed
                         and any(md.element.line == entry.line for md in c.meta_data)), None)
        if provider is None:
            continue
        seen.add((entry.path, entry.line))
        initializer = (entry.this_cls or "").rsplit(".", 1)[-1] or entry.path
        shown = f"{call.owner_simple}.{call.method}"
        trace = (*ctx.pre_consent.trace(reached, site, f"`{site.qualified}` initialises {sdk.name}"),)
        trace = (TraceStep(entry.path, entry.line, f"registers `{initializer}`"), *trace[1:]) if trace else trace
        yield ctx.finding(
            META, entry.path, ctx.element_span(provider.element),
            ctx.say(META, "initializer", sdk=sdk.name, initializer=initializer, call=shown),
            fix=ctx.fix_text(META, "initializer", initializer=initializer, sdk=sdk.name),
            trace=trace, anchor=f"{STARTUP_PROVIDER}|{entry.this_cls or entry.line}|{sdk.id}")
