"""The permission-usage analysis (`ctx.permission_usage`) and what the excessive-permission rules build on
it that the fixture harness cannot see: per-finding severities, configuration overrides and `--fix` edits."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from pipl_lint.config import Config
from pipl_lint.engine import build_context, run
from pipl_lint.findings import Applicability, Finding, Severity
from pipl_lint.project.discover import discover
from pipl_lint.project.files import FileReader
from pipl_lint.registry import all_rules, lookup
from pipl_lint.ruleapi import Context
from pipl_lint.summaries import SummaryStore
from tests.conftest import EXAMPLES, FIXTURES

A = "android.permission."
RULES = FIXTURES / "rules"


def write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return root


def context(root: Path) -> Context:
    reader = FileReader(root, 5_000_000)
    project = discover([root], root, reader).projects[0]
    return build_context(project, root, Config(), reader, SummaryStore(reader, 5.0), [])


def findings(root: Path, rule: str, **config: object) -> list[Finding]:
    found = lookup(rule)
    assert found is not None
    result = run([root], root, Config(**config), [found])  # type: ignore[arg-type]
    assert not result.internal_error, result.diagnostics
    return result.findings


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Context:
    root = tmp_path_factory.mktemp("usage")
    write(root, {
        "settings.gradle.kts": 'rootProject.name = "acme"\ninclude(":app", ":lib")\n',
        "app/build.gradle.kts": """
            plugins { id("com.android.application") }
            android {
                namespace = "com.acme"
                defaultConfig { minSdk = 24; targetSdk = 34 }
                flavorDimensions += "market"
                productFlavors { create("cn") { dimension = "market" } }
            }
            dependencies {
                implementation(project(":lib"))
                implementation("com.umeng.umsdk:common:9.8.5")
            }
            """,
        "app/src/main/AndroidManifest.xml": """
            <manifest xmlns:android="http://schemas.android.com/apk/res/android"
                xmlns:tools="http://schemas.android.com/tools">
                <uses-permission android:name="android.permission.READ_CONTACTS" />
                <uses-permission android:name="android.permission.READ_SMS" tools:node="remove" />
                <uses-permission android:name="android.permission.READ_PHONE_NUMBERS" android:maxSdkVersion="22" />
                <application android:name=".App">
                    <receiver android:name=".Boot" android:exported="false">
                        <intent-filter><action android:name="android.intent.action.BOOT_COMPLETED" /></intent-filter>
                    </receiver>
                    <service android:name=".Tracker" android:foregroundServiceType="location|dataSync" />
                </application>
            </manifest>
            """,
        "app/src/debug/AndroidManifest.xml": """
            <manifest xmlns:android="http://schemas.android.com/apk/res/android"
                xmlns:tools="http://schemas.android.com/tools">
                <uses-permission android:name="android.permission.SYSTEM_ALERT_WINDOW" />
                <uses-permission android:name="android.permission.CALL_PHONE" tools:node="remove" />
            </manifest>
            """,
        "app/src/cn/AndroidManifest.xml": """
            <manifest xmlns:android="http://schemas.android.com/apk/res/android"
                xmlns:tools="http://schemas.android.com/tools">
                <uses-permission android:name="android.permission.RECORD_AUDIO" tools:node="remove" />
            </manifest>
            """,
        "app/src/main/java/com/acme/Contacts.kt": """
            package com.acme

            import android.Manifest
            import android.content.Intent
            import android.provider.ContactsContract
            import android.telephony.TelephonyManager
            import androidx.core.app.ActivityCompat
            import androidx.core.content.ContextCompat

            class Contacts : android.app.Activity() {
                fun all() = contentResolver.query(ContactsContract.Contacts.CONTENT_URI, null, null, null, null)
                fun pick() = startActivity(Intent(Intent.ACTION_PICK, ContactsContract.Data.CONTENT_URI))
                fun sms() = contentResolver.query(android.net.Uri.parse("content://sms/inbox"), null, null, null, null)
                fun imsi(tm: TelephonyManager) = tm.subscriberId
                fun ask() = ActivityCompat.requestPermissions(this, arrayOf(Manifest.permission.READ_CONTACTS), 1)
                fun has() = ContextCompat.checkSelfPermission(this, Manifest.permission.CAMERA)
            }
            """,
        "lib/build.gradle.kts": 'plugins { id("com.android.library") }\nandroid { namespace = "com.acme.lib" }\n',
        "lib/src/main/AndroidManifest.xml": """
            <manifest xmlns:android="http://schemas.android.com/apk/res/android">
                <uses-permission android:name="android.permission.READ_SMS" />
                <uses-permission android:name="android.permission.CALL_PHONE" />
                <uses-permission android:name="android.permission.RECORD_AUDIO" />
            </manifest>
            """,
        "lib/src/main/java/com/acme/lib/Dialer.java": """
            package com.acme.lib;

            import android.content.Intent;
            import android.net.Uri;

            public final class Dialer {
                public static Intent call(String number) {
                    return new Intent(Intent.ACTION_CALL, Uri.parse("tel:" + number));
                }
            }
            """,
        "app/build/intermediates/merged_manifests/cnRelease/AndroidManifest.xml": """
            <manifest xmlns:android="http://schemas.android.com/apk/res/android" package="com.acme">
                <uses-permission android:name="android.permission.READ_PHONE_STATE" />
            </manifest>
            """,
    })
    return context(root)


def kinds(ctx: Context, name: str) -> list[tuple[str, str]]:
    return [(u.kind, u.path.rsplit("/", 1)[-1]) for u in ctx.permission_usage.uses(A + name)]


def test_code_uses_across_languages_and_modules(project: Context) -> None:
    assert ("uri", "Contacts.kt") in kinds(project, "READ_CONTACTS")
    assert ("intent", "Dialer.java") in kinds(project, "CALL_PHONE")
    assert ("string", "Contacts.kt") in kinds(project, "READ_SMS")
    # Kotlin property syntax: `tm.subscriberId` is `getSubscriberId()`.
    imsi = [u for u in project.permission_usage.code_uses(A + "READ_PHONE_STATE")]
    assert [u.detail for u in imsi] == ["`TelephonyManager.getSubscriberId`"]
    assert imsi[0].api is not None and imsi[0].api.pi_kind == "device-id"


def test_a_uri_handed_to_a_picker_is_not_a_use(project: Context) -> None:
    picks = [u for u in project.permission_usage.catalog_uses() if u.detail.endswith("Data.CONTENT_URI`")]
    assert [(u.kind, u.permissions) for u in picks] == [("intent", ())]
    uses = project.permission_usage.code_uses(A + "READ_CONTACTS")
    assert [u.line for u in uses] == [11]


def test_requests_checks_manifest_and_sdk_uses(project: Context) -> None:
    usage = project.permission_usage
    assert [u.kind for u in usage.requests(A + "READ_CONTACTS")] == ["request"]
    assert [u.kind for u in usage.requests(A + "CAMERA")] == ["check"]
    assert ("manifest", "AndroidManifest.xml") in kinds(project, "RECEIVE_BOOT_COMPLETED")
    assert {A + "FOREGROUND_SERVICE", A + "FOREGROUND_SERVICE_LOCATION", A + "FOREGROUND_SERVICE_DATA_SYNC"} <= {
        n for n in usage.used_names()}
    umeng = usage.sdk_uses(A + "READ_PHONE_STATE")
    assert [u.sdk for u in umeng] == ["umeng"] and umeng[0].path == "app/build.gradle.kts"
    assert [s.sdk_id for s in usage.merged_by(A + "READ_PHONE_STATE")] == ["umeng"]


def test_declarations_removal_and_dead_entries(project: Context) -> None:
    usage = project.permission_usage
    assert usage.removed(A + "READ_SMS")
    live = {(d.name.rsplit(".", 1)[-1], d.source_set, d.path) for d in usage.live()}
    assert ("READ_CONTACTS", "main", "app/src/main/AndroidManifest.xml") in live
    assert ("CALL_PHONE", "main", "lib/src/main/AndroidManifest.xml") in live
    assert ("SYSTEM_ALERT_WINDOW", "debug", "app/src/debug/AndroidManifest.xml") in live
    # Removed by the app's main or flavour manifest, though a library declares it; dead below minSdk 24.
    assert not any(name in ("READ_SMS", "RECORD_AUDIO", "READ_PHONE_NUMBERS") for name, _ss, _p in live)
    # A debug-only removal leaves the permission in release builds.
    assert not usage.removed(A + "CALL_PHONE")
    assert [d.is_debug for d in usage.declared(A + "SYSTEM_ALERT_WINDOW")] == [True]


def test_merged_build_output_is_read(project: Context) -> None:
    merged = project.permission_usage.live(merged=True)
    assert [(d.name, d.source_set, d.merged) for d in merged] == [(A + "READ_PHONE_STATE", "cnRelease", True)]


# --- rule behaviour the fixture harness does not check ---------------------------------------------------------


def severities(found: list[Finding]) -> dict[int, Severity]:
    return {f.span.line: f.severity for f in found}


def test_category_rule_escalates_startup_requests() -> None:
    got = severities(findings(RULES / "permission-not-necessary-for-category" / "bad", "EP209", app_category="30"))
    assert got == {4: Severity.ERROR, 5: Severity.INFO}


def test_store_restrictions_have_their_own_severity() -> None:
    got = severities(findings(RULES / "permission-store-restricted" / "bad", "EP204"))
    assert got[4] == Severity.ERROR  # READ_SMS without a default SMS handler
    assert got[7] == Severity.WARNING  # QUERY_ALL_PACKAGES
    assert got[15] == Severity.INFO  # SYSTEM_ALERT_WINDOW


def test_configured_severity_wins_over_the_rules_own() -> None:
    found = findings(RULES / "permission-store-restricted" / "bad", "EP204",
                     severity={"permission-store-restricted": Severity.WARNING})
    assert {f.severity for f in found} == {Severity.WARNING}


def test_an_sdk_feature_needs_the_sdk_in_use() -> None:
    """A location SDK among the dependencies uses the location permissions only when the code calls it
    (issue 15 item 3): `bad-modules` depends on AMap location but never imports it, `good-sdk-feature` does."""
    assert findings(RULES / "permission-declared-unused" / "good-sdk-feature", "EP201") == []
    (amap,) = [f for f in findings(RULES / "permission-declared-unused" / "bad-modules", "EP201")
               if "ACCESS_FINE_LOCATION" in f.message]
    assert amap.severity == Severity.INFO


def test_sdk_only_use_is_info_and_names_the_sdk() -> None:
    found = findings(RULES / "permission-declared-unused" / "bad-modules", "EP201")
    amap = [f for f in found if "ACCESS_FINE_LOCATION" in f.message]
    assert len(amap) == 1 and amap[0].severity == Severity.INFO and "AMap" in amap[0].message
    assert all(f.severity == Severity.WARNING for f in found if f is not amap[0])


def apply(root: Path, finding: Finding) -> str:
    (edit,) = finding.edits
    text = (root / edit.path).read_text(encoding="utf-8")
    return text[: edit.start] + edit.text + text[edit.end:]


def test_max_sdk_edit_adds_or_lowers_the_bound() -> None:
    root = RULES / "legacy-permission-unbounded" / "bad"
    by_line = {(f.path, f.span.line): f for f in findings(root, "EP205")}
    added = apply(root, by_line[("app/src/main/AndroidManifest.xml", 3)])
    assert '"android.permission.READ_EXTERNAL_STORAGE" android:maxSdkVersion="32" />' in added
    lowered = apply(root, by_line[("app/src/main/AndroidManifest.xml", 4)])
    assert 'android:maxSdkVersion="28" />' in lowered and 'android:maxSdkVersion="32"' not in lowered


def test_misspelt_name_edit_is_unsafe() -> None:
    root = RULES / "permission-name-unknown" / "bad"
    (first,) = [f for f in findings(root, "EP203") if f.span.line == 3]
    assert first.edits[0].applicability == Applicability.UNSAFE
    assert '"android.permission.READ_CONTACTS"' in apply(root, first)


def test_remove_edit_needs_the_tools_namespace() -> None:
    with_tools = findings(RULES / "merged-permission-unused" / "bad", "EP210")
    assert with_tools and all(f.edits for f in with_tools)
    assert 'tools:node="remove" />' in apply(RULES / "merged-permission-unused" / "bad", with_tools[0])
    without = findings(RULES / "merged-permission-unused" / "bad-agp8", "EP210")
    assert without and not any(f.edits for f in without)


def test_examples_show_each_problem_and_the_compliant_app_none() -> None:
    leaky = {(f.rule, f.span.line) for f in findings_for(EXAMPLES / "leaky-app")
             if f.path == "app/src/main/AndroidManifest.xml"}
    assert {("EP201", 19), ("EP202", 9), ("EP202", 35), ("EP203", 42), ("EP204", 22), ("EP204", 31),
            ("EP205", 27), ("EP205", 28), ("EP206", 8), ("EP207", 26), ("EP208", 14)} <= leaky
    assert findings_for(EXAMPLES / "compliant-app") == []


def findings_for(root: Path) -> list[Finding]:
    rules = [r for r in all_rules() if r.meta.category.value == "excessive-permission"]
    result = run([root], root, Config(), rules)
    assert not result.internal_error, result.diagnostics
    return result.findings


def test_rule_data_references_exist() -> None:
    from pipl_lint.catalogs import load_catalog
    from pipl_lint.rules.excessive_permission._common import CAPTURE_DELEGATES

    missing = CAPTURE_DELEGATES - {api.id for api in load_catalog().apis}
    assert not missing


# --- store context (issue 15 item 4) ------------------------------------------------------------------------------

STORE_CONTEXT = RULES / "permission-store-restricted" / "bad-store-context"


def _severities(**config: object) -> dict[int, Severity]:
    return {f.span.line: f.severity for f in findings(STORE_CONTEXT, "EP204", **config)}


def test_core_feature_uses_are_info_and_say_so() -> None:
    found = {f.span.line: f for f in findings(STORE_CONTEXT, "EP204")}
    assert found[4].severity == Severity.INFO and "core feature" in found[4].message  # call-log forwarder
    assert found[15].severity == Severity.INFO and "description" in found[15].message  # described accessibility
    assert found[7].severity == Severity.ERROR  # READ_SMS, never read, no handler


def test_play_only_restrictions_are_warnings_off_google_play() -> None:
    both = _severities()
    off_play = _severities(distribution="china-stores")
    assert both[7] == Severity.ERROR and off_play[7] == Severity.WARNING
    assert both[8] == off_play[8] == Severity.WARNING  # background location: already a warning
    assert _severities(distribution="google-play") == both
    (sms,) = [f for f in findings(STORE_CONTEXT, "EP204", distribution="china-stores") if f.span.line == 7]
    assert "not distributed on Google Play" in sms.message


def test_an_overlay_the_app_checks_and_draws_is_not_reported() -> None:
    assert findings(RULES / "permission-store-restricted" / "good-overlay-core", "EP204") == []


def test_distribution_must_be_a_known_store_context(tmp_path: Path) -> None:
    from pipl_lint.config import ConfigError, load_config
    config = tmp_path / "pipl-lint.toml"
    config.write_text('distribution = "china-stores"\n', encoding="utf-8")
    assert load_config(config).distribution == "china-stores"
    config.write_text('distribution = "f-droid"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"pipl-lint\.toml:1: `distribution` must be one of"):
        load_config(config)


UNUSED = RULES / "permission-declared-unused"


def test_library_features_shared_storage_and_background_location_are_uses() -> None:
    """Issue 15: a library that opens the camera or scans for BLE devices for the app's own feature, a MediaStore
    insert whose URI comes through a local or a helper, a hard-coded `/sdcard` path, and location read in a
    service or a worker (background location)."""
    kt = context(UNUSED / "good-library-features-kotlin")
    assert kinds(kt, "CAMERA") == [("api", "ScanActivity.kt")]
    assert ("api", "ScanActivity.kt") in kinds(kt, "BLUETOOTH_SCAN")
    assert ("api", "ScanActivity.kt") in kinds(kt, "BLUETOOTH_CONNECT")
    assert ("api", "ScanActivity.kt") in kinds(kt, "WRITE_EXTERNAL_STORAGE")
    (background,) = kt.permission_usage.uses(A + "ACCESS_BACKGROUND_LOCATION")
    assert background.detail == "`LocationManager.requestLocationUpdates` in `TrackService`"
    java = context(UNUSED / "good-library-features-java")
    assert kinds(java, "CAMERA") == [("api", "PhotoActivity.java")]
    assert kinds(java, "REQUEST_INSTALL_PACKAGES") == [("api", "PhotoActivity.java")]
    storage = set(kinds(java, "WRITE_EXTERNAL_STORAGE"))
    assert {("api", "PhotoActivity.java"), ("string", "PhotoActivity.java")} <= storage
    assert [u.detail for u in java.permission_usage.uses(A + "ACCESS_BACKGROUND_LOCATION")] == [
        "`LocationManager.getLastKnownLocation` in `SyncWorker`"]


def test_library_lookalikes_are_not_uses() -> None:
    ctx = context(UNUSED / "bad-library-lookalikes")
    assert kinds(ctx, "BLUETOOTH_SCAN") == []  # java.util.Scanner
    assert kinds(ctx, "ACCESS_BACKGROUND_LOCATION") == []  # location on screen
    assert kinds(ctx, "WRITE_EXTERNAL_STORAGE") == []  # the app's own provider
    (ep204,) = [f for f in findings(UNUSED / "bad-library-lookalikes", "EP204") if "BACKGROUND" in f.message]
    assert ep204.span.line == 5 and "nothing in the project uses it" in ep204.message


def test_a_used_play_only_permission_is_a_warning_off_play_and_nothing_off_every_store() -> None:
    """Issue 15 item 4: Chinese stores still review it (a warning with the reason); an app on neither store has
    no store that restricts it (unused, it stays a warning)."""
    def lines(root: Path, **config: object) -> dict[int, Severity]:
        return {f.span.line: f.severity for f in findings(root, "EP204", **config)}
    java, kotlin = UNUSED / "good-library-features-java", UNUSED / "good-library-features-kotlin"
    assert lines(java) == {5: Severity.WARNING, 7: Severity.WARNING}  # install packages (Bugly), background
    assert lines(java, distribution="china-stores") == lines(java)
    assert lines(java, distribution="elsewhere") == {}
    assert lines(kotlin) == {7: Severity.WARNING} and lines(kotlin, distribution="elsewhere") == {}
    lookalikes = UNUSED / "bad-library-lookalikes"
    assert lines(lookalikes, distribution="elsewhere") == {5: Severity.WARNING}  # nothing uses it
    (off_play,) = findings(kotlin, "EP204", distribution="china-stores")
    assert "not distributed on Google Play" in off_play.message and "used by" in off_play.message


def test_package_visibility_is_a_chinese_store_rule_too(tmp_path: Path) -> None:
    root = write(tmp_path, {
        "AndroidManifest.xml": """
            <manifest xmlns:android="http://schemas.android.com/apk/res/android" package="com.acme">
                <uses-permission android:name="android.permission.QUERY_ALL_PACKAGES" />
                <application />
            </manifest>
            """,
        "src/com/acme/Extensions.kt": """
            package com.acme
            import android.content.pm.PackageManager
            fun extensions(pm: PackageManager) = pm.getInstalledPackages(0)
            """,
    })
    assert [f.span.line for f in findings(root, "EP204", distribution="china-stores")] == [2]
    assert findings(root, "EP204", distribution="elsewhere") == []


def test_an_ad_sdk_driven_by_a_mediation_adapter_uses_its_advertising_id(tmp_path: Path) -> None:
    """Issue 15 item 3: AdMob behind `adapter-admob` serves the app's ads, so its merged AD_ID is used; without
    the adapter (and no import) nothing uses it."""
    import shutil
    good = RULES / "sdk-merged-dangerous-permission" / "good-mediation"
    assert findings(good, "EP211") == []
    copy = shutil.copytree(good, tmp_path / "copy")
    build = copy / "ads" / "build.gradle"
    build.write_text(build.read_text(encoding="utf-8").replace("adapter-admob", "adapter-pangle"), encoding="utf-8")
    found = findings(copy, "EP211")
    assert found and all(f.path == "ads/build.gradle" and f.span.line == 7 for f in found)


def test_a_video_call_sdks_calls_use_microphone_camera_and_bluetooth() -> None:
    ctx = context(UNUSED / "good-video-call")
    for name in ("RECORD_AUDIO", "CAMERA", "BLUETOOTH_CONNECT"):
        assert {path for _kind, path in kinds(ctx, name)} == {"CallActivity.kt", "LegacyCallActivity.java"}, name


def test_a_read_of_personal_information_must_name_it_in_its_own_arguments(tmp_path: Path) -> None:
    """Only permission uses look for `args_contain` near the call (a MediaStore URI in a local): a second
    `Settings.Secure.getString` in a function that reads ANDROID_ID is not another ANDROID_ID read."""
    root = write(tmp_path, {
        "AndroidManifest.xml": """
            <manifest xmlns:android="http://schemas.android.com/apk/res/android" package="com.acme">
                <application />
            </manifest>
            """,
        "src/com/acme/Ids.kt": """
            package com.acme
            import android.content.ContentResolver
            import android.provider.Settings
            fun ids(cr: ContentResolver, key: String): List<String?> {
                val id = Settings.Secure.getString(cr, Settings.Secure.ANDROID_ID)
                val other = Settings.Secure.getString(cr, key)
                return listOf(id, other)
            }
            """,
    })
    reads = [u.line for u in context(root).permission_usage.catalog_uses()
             if u.api is not None and u.api.pi_kind == "android-id" and u.detail.endswith("getString`")]
    assert reads == [5]
