"""Variants as a model: flavour dimensions × build types from Groovy and KTS, every `sourceSets` form
(the folders it adds are read), per-variant source sets and configurations, and variant selection."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipl_lint.project.discover import discover
from pipl_lint.project.files import FileReader
from pipl_lint.project.gradle import read_build_script
from pipl_lint.project.variants import configuration_source_set, describe, module_variants, select
from tests.conftest import BARE_MANIFEST, write_tree

GROOVY = Path("build.gradle")
KTS = Path("build.gradle.kts")


def dirs(path: Path, source: str) -> dict[str, dict[str, tuple[str, ...]]]:
    build = read_build_script(path, source)
    assert not build.errors, build.errors
    return {d.name: {k: v for k in ("java", "res", "assets", "manifests") if (v := getattr(d, k))}
            for d in build.source_dirs}


# (path, android { ... } body, expected source-set folders)
SOURCE_SET_FORMS = [
    (GROOVY, "sourceSets { pub { java.srcDirs = ['src/bugly', 'src/amap', 'src/proprietary'] } }",
     {"pub": {"java": ("src/bugly", "src/amap", "src/proprietary")}}),
    (GROOVY, "sourceSets { main { java.srcDir 'src/extra' } }", {"main": {"java": ("src/extra",)}}),
    (GROOVY, "sourceSets { main { java { srcDirs 'a', 'b' } } }", {"main": {"java": ("a", "b")}}),
    (GROOVY, "sourceSets { main { kotlin.srcDirs += 'src/main/kt' } }", {"main": {"java": ("src/main/kt",)}}),
    (GROOVY, "sourceSets { main { java.srcDirs += [\"$projectDir/gen\"] } }", {"main": {"java": ("gen",)}}),
    (GROOVY, "sourceSets { main { manifest.srcFile 'src/AndroidManifest.xml' } }",
     {"main": {"manifests": ("src/AndroidManifest.xml",)}}),
    (GROOVY, "sourceSets { china { res.srcDirs = ['res-cn'] ; assets.srcDirs = ['as-cn'] } }",
     {"china": {"res": ("res-cn",), "assets": ("as-cn",)}}),
    (GROOVY, "sourceSets.main.java.srcDirs = ['src']", {"main": {"java": ("src",)}}),
    (GROOVY, "sourceSets.getByName('release') { java.srcDir '${rootDir}/shared/src' }",
     {"release": {"java": ("$rootDir/shared/src",)}}),
    (KTS, 'sourceSets { getByName("main") { java.srcDirs("src/x", "src/y") } }',
     {"main": {"java": ("src/x", "src/y")}}),
    (KTS, 'sourceSets { getByName("main") { kotlin.setSrcDirs(listOf("src/k")) } }', {"main": {"java": ("src/k",)}}),
    (KTS, 'sourceSets { named("china") { java.srcDir(file("src/bugly")) } }', {"china": {"java": ("src/bugly",)}}),
    (KTS, 'sourceSets { getByName("main").java.srcDirs += listOf("z") }', {"main": {"java": ("z",)}}),
    (KTS, 'sourceSets["main"].java.srcDir("src/idx")', {"main": {"java": ("src/idx",)}}),
    (KTS, 'sourceSets["main"].kotlin.srcDirs(project.file("src/kk"))', {"main": {"java": ("src/kk",)}}),
    (KTS, 'sourceSets.getByName("main") { manifest.srcFile("m/AndroidManifest.xml") }',
     {"main": {"manifests": ("m/AndroidManifest.xml",)}}),
    (KTS, 'sourceSets { create("pub") { java { setSrcDirs(listOf("src/bugly", "src/amap")) } } }',
     {"pub": {"java": ("src/bugly", "src/amap")}}),
    (KTS, 'sourceSets { getByName("main") { res.srcDirs("res2") } }', {"main": {"res": ("res2",)}}),
    (GROOVY, "sourceSets['main'].java.srcDirs = ['x']", {"main": {"java": ("x",)}}),
    (GROOVY, "sourceSets.main { java.srcDirs 'y' }", {"main": {"java": ("y",)}}),
    (GROOVY, "sourceSets { main { java.srcDirs = [\"${projectDir}/a\", file('b')] } }", {"main": {"java": ("a", "b")}}),
    (GROOVY, 'sourceSets { debug.assets.srcDirs += files("$projectDir/schemas".toString()) }',
     {"debug": {"assets": ("schemas",)}}),
    (GROOVY, "sourceSets { main { jniLibs.srcDirs = ['libs'] } }", {}),
    (KTS, 'sourceSets.named("main") { java.srcDir("x") }', {"main": {"java": ("x",)}}),
    (KTS, 'sourceSets { getByName("main").apply { java.srcDirs("q") } }', {"main": {"java": ("q",)}}),
    (KTS, 'sourceSets["china"].apply { java.srcDirs(listOf("src/bugly")) }', {"china": {"java": ("src/bugly",)}}),
    (KTS, 'sourceSets.getByName("main").java.setSrcDirs(listOf("w"))', {"main": {"java": ("w",)}}),
    (KTS, 'sourceSets { getByName("main") { java { srcDir("src/gen") } } }', {"main": {"java": ("src/gen",)}}),
]


@pytest.mark.parametrize(("path", "body", "expected"), SOURCE_SET_FORMS, ids=[b for _p, b, _e in SOURCE_SET_FORMS])
def test_source_set_forms(path: Path, body: str, expected: dict) -> None:
    assert dirs(path, "android {\n" + body + "\n}\n") == expected


def test_top_level_android_source_sets_and_variables() -> None:
    src = "def extra = 'src/gen'\nandroid.sourceSets.main.java.srcDirs += [extra]\n"
    assert dirs(GROOVY, src) == {"main": {"java": ("src/gen",)}}


FLAVOURS = {
    GROOVY: """
android {
  flavorDimensions "market", "tier"
  productFlavors {
    china { dimension "market" }
    overseas { dimension "market" }
    free { dimension 'tier' }
    paid { dimension 'tier' }
  }
  buildTypes { release { } staging { } }
}
""",
    KTS: """
android {
  flavorDimensions += listOf("market", "tier")
  productFlavors {
    create("china") { dimension = "market" }
    register("overseas") { dimension = "market" }
    create("free") { dimension = "tier" }
    create("paid") { dimension = "tier" }
  }
  buildTypes { getByName("release") { }; create("staging") { } }
}
""",
}


@pytest.mark.parametrize("path", [GROOVY, KTS])
def test_dimensions_times_build_types(path: Path) -> None:
    build = read_build_script(path, FLAVOURS[path])
    assert build.dimensions == ("market", "tier")
    assert build.flavor_dimensions == {"china": "market", "overseas": "market", "free": "tier", "paid": "tier"}
    variants = {v.name: v for v in module_variants(build)}
    assert len(variants) == 2 * 2 * 3
    v = variants["chinaFreeRelease"]
    assert v.flavors == ("china", "free") and v.build_type == "release" and v.shipped
    assert v.source_sets == ("chinaFreeRelease", "release", "chinaFree", "china", "free", "main")
    assert not variants["overseasPaidDebug"].shipped
    shipped, unknown = select(tuple(variants.values()))
    assert {s.name for s in shipped} == {n for n in variants if not n.endswith("Debug")} and not unknown
    chosen, unknown = select(tuple(variants.values()), ["china", "overseasPaidDebug", "nope"])
    assert {c.name for c in chosen} == {"chinaFreeRelease", "chinaPaidRelease", "chinaFreeStaging",
                                        "chinaPaidStaging", "overseasPaidDebug"}
    assert unknown == ["nope"]
    release = [v for v in variants.values() if v.build_type == "release"]
    assert describe(["chinaFreeRelease", "chinaPaidRelease"], release) == ("china",)
    assert describe(["chinaFreeRelease"], release) == ("chinaFreeRelease",)


def test_kts_delegated_flavours_keep_their_dimension() -> None:
    build = read_build_script(KTS, 'android {\n flavorDimensions += listOf("tier", "market")\n productFlavors {\n'
                                   ' val china by creating { dimension = "market" }\n'
                                   ' val free by creating { dimension = "tier" } }\n'
                                   ' sourceSets { val main by getting { java.srcDir("gen") } } }')
    assert build.flavor_dimensions == {"china": "market", "free": "tier"}
    assert [v.name for v in module_variants(build)] == ["freeChinaDebug", "freeChinaRelease"]
    assert [(d.name, d.java) for d in build.source_dirs] == [("main", ("gen",))]


def test_no_flavours_gives_the_build_types() -> None:
    assert [v.name for v in module_variants(None)] == ["debug", "release"]
    single = read_build_script(GROOVY, "android { productFlavors { a {}\n b {} } }")
    assert [v.name for v in module_variants(single)] == ["aDebug", "aRelease", "bDebug", "bRelease"]


@pytest.mark.parametrize(("configuration", "source_set"), [
    ("implementation", "main"), ("api", "main"), ("chinaImplementation", "china"),
    ("releaseApi", "release"), ("chinaReleaseRuntimeOnly", "chinaRelease"), ("debugImplementation", "debug"),
    ("overseasCompileOnly", "overseas"), ("compile", "main"),
])
def test_configuration_source_set(configuration: str, source_set: str) -> None:
    assert configuration_source_set(configuration) == source_set




@pytest.mark.parametrize("kts", [False, True])
def test_declared_source_folders_are_read(tmp_path: Path, kts: bool) -> None:
    """The silent miss of issue 13: a flavour's `src/bugly` folder, a `$rootDir` folder, a moved manifest."""
    if kts:
        build = """plugins { id("com.android.application") }
android {
  productFlavors { create("pub") { }; create("china") { } }
  sourceSets {
    getByName("pub") { java.srcDirs("src/bugly", "src/amap") }
    getByName("main") { java.srcDir("${rootDir}/shared/java"); manifest.srcFile("meta/AndroidManifest.xml") }
    getByName("china") { res.srcDirs("res-cn") }
  }
}
"""
    else:
        build = """apply plugin: 'com.android.application'
android {
  productFlavors { pub { }
    china { } }
  sourceSets {
    pub { java.srcDirs = ['src/bugly', 'src/amap'] }
    main { java.srcDir "$rootDir/shared/java"; manifest.srcFile 'meta/AndroidManifest.xml' }
    china.res.srcDirs = ['res-cn']
  }
}
"""
    write_tree(tmp_path, {
        "settings.gradle" + (".kts" if kts else ""): "include(\":app\")\n",
        "app/build.gradle" + (".kts" if kts else ""): build,
        "app/src/main/java/a/App.kt": "package a\nclass App\n",
        "app/src/main/AndroidManifest.xml": BARE_MANIFEST,
        "app/meta/AndroidManifest.xml": BARE_MANIFEST,
        "app/src/bugly/com/x/BuglyInit.java": "package com.x; class BuglyInit {}",
        "app/src/amap/com/x/Loc.kt": "package com.x\nclass Loc\n",
        "shared/java/s/Shared.kt": "package s\nclass Shared\n",
        "app/res-cn/values/strings.xml": "<resources/>",
    })
    found = discover([tmp_path], tmp_path, FileReader(tmp_path))
    (project,) = found.projects
    (app,) = project.modules
    sets = {ss.name: ss for ss in app.source_sets}
    rel = sorted(p.relative_to(tmp_path).as_posix() for p in app.sources())
    assert rel == ["app/src/amap/com/x/Loc.kt", "app/src/bugly/com/x/BuglyInit.java", "app/src/main/java/a/App.kt",
                   "shared/java/s/Shared.kt"]
    assert {p.name for p in sets["pub"].sources} == {"Loc.kt", "BuglyInit.java"}
    assert sets["main"].manifest == tmp_path / "app/meta/AndroidManifest.xml"
    assert [p.relative_to(tmp_path).as_posix() for p in sets["china"].strings] == ["app/res-cn/values/strings.xml"]


def test_a_folder_in_two_source_sets_is_read_once(tmp_path: Path) -> None:
    write_tree(tmp_path, {
        "build.gradle": "android { sourceSets { a.java.srcDirs = ['common']\n b.java.srcDirs = ['common'] } }",
        "src/main/AndroidManifest.xml": BARE_MANIFEST,
        "common/C.kt": "class C\n",
    })
    (project,) = discover([tmp_path], tmp_path, FileReader(tmp_path)).projects
    (mod,) = project.modules
    assert [p.name for p in mod.sources()] == ["C.kt"]


def test_declared_folders_outside_the_scan_root_are_not_read(tmp_path: Path) -> None:
    root = tmp_path / "proj"
    write_tree(tmp_path, {
        "proj/build.gradle": "android { sourceSets { main.java.srcDirs = ['../outside', '/etc'] } }",
        "proj/src/main/AndroidManifest.xml": BARE_MANIFEST,
        "outside/O.kt": "class O\n",
    })
    (project,) = discover([root], root, FileReader(root)).projects
    assert list(project.modules[0].sources()) == []


# -- variants end to end: source folders read, merge order, per-variant findings and their labels ---------

VARIANT_FIXTURES = Path(__file__).parent / "fixtures" / "variants"


def findings(case: str, **config: object) -> list[tuple[str, str, int, tuple[str, ...]]]:
    from pipl_lint.config import Config
    from pipl_lint.engine import run
    from pipl_lint.registry import all_rules

    root = VARIANT_FIXTURES / case
    result = run([root], root, Config(**config), all_rules())  # type: ignore[arg-type]
    assert not result.internal_error, result.diagnostics
    return sorted((f.rule, f.path, f.span.line, f.variants) for f in result.findings)


def test_flavour_only_findings_say_which_flavour() -> None:
    """Bugly starts only in the `china` flavour's `src/bugly` folder (a `sourceSets` folder: read, labelled);
    Firebase Analytics is an `overseasImplementation` dependency; Crashlytics is `debugImplementation` only."""
    got = findings("flavoured")
    # reported on App.onCreate's call into the helper in src/bugly (its trace passes there: `china` only)
    assert ("EC102", "app/src/main/java/com/acme/App.kt", 8, ("china",)) in got
    assert ("EC104", "app/src/main/AndroidManifest.xml", 4, ("overseas",)) in got
    assert ("EC105", "app/src/main/AndroidManifest.xml", 4, ("overseas",)) in got
    assert all(f[3] == ("overseas",) for f in got if f[0] == "EP211")
    assert not any("Crashlytics" in str(f) for f in got)


def test_a_flavour_dependency_is_reported_on_the_flavour_manifest() -> None:
    """The `overseas` flavour has its own manifest: Firebase Analytics, an `overseasImplementation` dependency, is
    reported there by both manifest rules (the switch goes there; the provider ships with that flavour only)."""
    got = findings("flavour-manifest")
    assert ("EC104", "app/src/overseas/AndroidManifest.xml", 4, ("overseas",)) in got
    assert ("EC105", "app/src/overseas/AndroidManifest.xml", 4, ("overseas",)) in got
    assert not any(f[0] in ("EC104", "EC105") and f[1] == "app/src/main/AndroidManifest.xml" for f in got)


def test_a_flavour_manifest_finding_names_the_main_application_it_merges_into() -> None:
    """The flavour's `<application>` merges into the main manifest's, where the app's shared switches go: both
    manifest rules name it as a trace step (the finding stays on the flavour's manifest)."""
    from pipl_lint.config import Config
    from pipl_lint.engine import run
    from pipl_lint.registry import all_rules

    root = VARIANT_FIXTURES / "flavour-manifest"
    result = run([root], root, Config(), [r for r in all_rules() if r.meta.id in ("EC104", "EC105")])
    got = [f for f in result.findings if f.path == "app/src/overseas/AndroidManifest.xml"]
    assert {f.rule for f in got} == {"EC104", "EC105"}
    for f in got:
        assert [(s.path, s.line) for s in f.trace] == [("app/src/main/AndroidManifest.xml", 4)]


def test_flavour_only_findings_in_json_sarif_and_text(tmp_path: Path) -> None:
    import json
    import subprocess
    import sys

    exe = str(Path(sys.executable).parent / "pipl-lint")
    root = VARIANT_FIXTURES / "flavoured"
    out = subprocess.run([exe, "check", "--no-cache", "-f", "json", "."], cwd=root, capture_output=True, text=True,
                         timeout=120)
    doc = json.loads(out.stdout)
    bugly = next(f for f in doc["findings"] if f["rule"] == "EC102")
    assert bugly["variants"] == ["china"]
    assert all(f["variants"] == [] for f in doc["findings"] if f["rule"] == "CF301")
    sarif = subprocess.run([exe, "check", "--no-cache", "-f", "sarif", "."], cwd=root, capture_output=True,
                           text=True, timeout=120)
    results = json.loads(sarif.stdout)["runs"][0]["results"]
    assert next(r for r in results if r["ruleId"] == "EC102")["properties"]["variants"] == ["china"]
    text = subprocess.run([exe, "check", "--no-cache", "."], cwd=root, capture_output=True, text=True, timeout=120)
    assert "starts the SDK (`CrashReport.initCrashReport`) before the user consents (reached from" in text.stdout
    assert "collects at app/src/bugly/com/acme/SdkStarter.java:8" in text.stdout
    assert "`App.onCreate`) [china]" in text.stdout
    only = subprocess.run([exe, "check", "--no-cache", "-f", "json", "--variant", "chinaRelease", "."], cwd=root,
                          capture_output=True, text=True, timeout=120)
    rules = {(f["rule"], tuple(f["variants"])) for f in json.loads(only.stdout)["findings"]}
    assert ("EC102", ()) in rules and not any(r in ("EC104", "EC105") for r, _v in rules)


def test_variant_selection_from_the_config() -> None:
    got = findings("flavoured", variants=("overseas",))
    assert not any(f[0] == "EC102" for f in got)
    assert ("EC104", "app/src/main/AndroidManifest.xml", 4, ()) in got
    debug = findings("flavoured", variants=("chinaDebug",))  # a debug variant when asked for by name
    assert ("EC102", "app/src/main/java/com/acme/App.kt", 8, ()) in debug


def test_unknown_variant_is_a_note_and_the_default_is_kept() -> None:
    from pipl_lint.config import Config
    from pipl_lint.engine import run
    from pipl_lint.registry import all_rules

    root = VARIANT_FIXTURES / "flavoured"
    result = run([root], root, Config(variants=("nope",)), all_rules())
    assert any("no variant named nope" in d.message for d in result.diagnostics)
    assert any(f.rule == "EC102" and f.variants == ("china",) for f in result.findings)


def test_manifests_merge_in_android_priority_with_tools_markers() -> None:
    """main sets `firebase_analytics_collection_enabled=false`; `china` overrides it with `true` and
    `tools:replace` (flavour wins: collecting), `intl` removes it with `tools:node="remove"` (default: on),
    `eu` only adds the ad-ID sub-switch (main's `false` still applies: off)."""
    got = findings("merge-order")
    ec104 = [f for f in got if f[0] == "EC104"]
    # `china` sets the switch to the collecting value: reported on that element; `intl` leaves it absent
    assert ec104 == [("EC104", "app/src/china/AndroidManifest.xml", 5, ("china",)),
                     ("EC104", "app/src/main/AndroidManifest.xml", 4, ("intl",))]
    # `china` also removes Firebase's self-starting provider with `tools:node="remove"`
    assert [f for f in got if f[0] == "EC105"] == [("EC105", "app/src/main/AndroidManifest.xml", 4, ("intl",))]


def test_a_firebase_sub_switch_does_not_turn_analytics_off() -> None:
    got = findings("sub-switch")
    assert ("EC104", "src/main/AndroidManifest.xml", 4, ()) in got


def test_identical_findings_across_variants_are_reported_once() -> None:
    got = findings("flavoured", variants=("overseasRelease", "overseasDebug"))
    assert [f for f in got if f[0] == "EC105"] == [("EC105", "app/src/main/AndroidManifest.xml", 4, ())]


@pytest.mark.parametrize(("path", "body", "debuggable"), [
    (GROOVY, "staging { initWith debug }\n beta { debuggable true }\n prod { initWith debug; debuggable false }",
     ("debug", "staging", "beta")),
    (KTS, 'create("screenshots") { initWith(getByName("debug")) }\n create("qa") { isDebuggable = true }',
     ("debug", "screenshots", "qa")),
    (KTS, 'create("benchmark") { initWith(buildTypes.getByName("release")) }', ("debug",)),
])
def test_debuggable_build_types_do_not_ship(path: Path, body: str, debuggable: tuple[str, ...]) -> None:
    build = read_build_script(path, "android {\n buildTypes {\n" + body + "\n }\n}\n")
    assert build.debuggable_build_types == debuggable
    shipped = {v.build_type for v in module_variants(build) if v.shipped}
    assert shipped == set(build.build_types) - set(debuggable) | {"release"}


def test_a_flavour_removal_leaves_the_permission_in_the_other_flavours() -> None:
    """Umeng merges READ_PHONE_STATE; only the `china` manifest removes it: the `overseas` build still has it."""
    got = findings("flavour-removal")
    assert ("EP211", "app/build.gradle", 12, ("overseas",)) in got


def test_library_manifests_merge_below_the_app(tmp_path: Path) -> None:
    from pipl_lint.config import Config
    from pipl_lint.engine import run
    from pipl_lint.registry import lookup

    meta = '<manifest xmlns:android="http://schemas.android.com/apk/res/android"><application>' \
           '<meta-data android:name="{}" android:value="{}" /></application></manifest>'
    write_tree(tmp_path, {
        "settings.gradle": "include ':app', ':core'\n",
        "app/build.gradle": "apply plugin: 'com.android.application'\nandroid { namespace 'com.acme' }\n"
                            "dependencies {\n implementation project(':core')\n"
                            " implementation 'com.google.firebase:firebase-analytics:21.5.0'\n}\n",
        "app/src/main/AndroidManifest.xml": BARE_MANIFEST,
        "core/build.gradle": "apply plugin: 'com.android.library'\n",
        "core/src/main/AndroidManifest.xml": meta.format("firebase_analytics_collection_deactivated", "false"),
        "core/src/debug/AndroidManifest.xml": meta.format("firebase_analytics_collection_enabled", "false"),
    })
    rule = lookup("EC104")
    assert rule is not None
    result = run([tmp_path], tmp_path, Config(), [rule])
    assert not result.internal_error, result.diagnostics
    got = sorted((f.path, f.anchor) for f in result.findings)
    # the library's debug-only switch does not ship; its main manifest's unsafe value does
    assert got == [("app/src/main/AndroidManifest.xml", "firebase-analytics|launch"),
                   ("core/src/main/AndroidManifest.xml",
                    "firebase-analytics|firebase_analytics_collection_deactivated")]


def test_variants_config_key_and_cli_option(tmp_path: Path) -> None:
    import shutil
    import subprocess
    import sys

    from pipl_lint.config import ConfigError, load_config

    cfg = tmp_path / "pipl-lint.toml"
    cfg.write_text('variants = ["overseas"]\n')
    assert load_config(cfg).variants == ("overseas",)
    cfg.write_text("variants = \"overseas\"\n")
    with pytest.raises(ConfigError):
        load_config(cfg)
    root = tmp_path / "app"
    shutil.copytree(VARIANT_FIXTURES / "flavoured", root)
    (root / "pipl-lint.toml").write_text('variants = ["overseas"]\n')
    exe = str(Path(sys.executable).parent / "pipl-lint")
    from_config = subprocess.run([exe, "check", "--no-cache", "-f", "concise", "."], cwd=root, capture_output=True,
                                 text=True, timeout=120)
    assert "EC102" not in from_config.stdout and "EC104" in from_config.stdout
    from_cli = subprocess.run([exe, "check", "--no-cache", "-f", "concise", "--variant", "china", "."], cwd=root,
                              capture_output=True, text=True, timeout=120)
    assert "EC102" in from_cli.stdout and "EC104" not in from_cli.stdout


def test_per_variant_rules_run_once_per_distinct_manifest_and_dependency_set(tmp_path: Path) -> None:
    from pipl_lint.project.variants import VariantScope

    write_tree(tmp_path, {
        "build.gradle": "apply plugin: 'com.android.application'\n"
                        "android { productFlavors { play {}\n huawei {}\n oppo {}\n vivo {} } }\n"
                        "dependencies { implementation 'a:b:1'\n huaweiImplementation 'com.huawei.hms:push:6'\n"
                        " debugImplementation 'c:d:1' }\n",
        "src/main/AndroidManifest.xml": BARE_MANIFEST,
        "src/oppo/AndroidManifest.xml": BARE_MANIFEST,
        "src/vivo/java/V.kt": "class V\n",
    })
    (project,) = discover([tmp_path], tmp_path, FileReader(tmp_path)).projects
    scope = VariantScope(project, lambda p: p.relative_to(tmp_path).as_posix())
    selected, _ = select(scope.variants)
    groups = sorted(sorted(v.name for v in g) for g in scope.manifest_dependency_groups(selected))
    assert groups == [["huaweiRelease"], ["oppoRelease"], ["playRelease", "vivoRelease"]]
    assert scope.of_file("src/vivo/java/V.kt") == {"vivoDebug", "vivoRelease"}
    assert scope.of_file("build.gradle", 7) == {"huaweiDebug", "huaweiRelease"}
    assert scope.of_file("build.gradle", 8) == {"playDebug", "huaweiDebug", "oppoDebug", "vivoDebug"}


@pytest.mark.parametrize("fmt", ["github", "gitlab", "checkstyle", "grouped", "concise"])
def test_variant_label_in_every_text_carrying_format(fmt: str) -> None:
    import subprocess
    import sys

    exe = str(Path(sys.executable).parent / "pipl-lint")
    out = subprocess.run([exe, "check", "--no-cache", "-f", fmt, "."], cwd=VARIANT_FIXTURES / "flavoured",
                         capture_output=True, text=True, timeout=120)
    assert "App.onCreate`) [china]" in out.stdout


def test_flavour_jars_count_only_for_their_flavour(tmp_path: Path) -> None:
    """A jar that only `chinaImplementation files(...)` ships is not an SDK of the overseas variants."""
    from pipl_lint.config import Config
    from pipl_lint.engine import run
    from pipl_lint.registry import all_rules

    (tmp_path / "settings.gradle").write_text("include ':app'\n")
    app = tmp_path / "app"
    (app / "libs").mkdir(parents=True)
    (app / "libs" / "AMap_Location_V6.1.0_20230101.jar").write_bytes(b"PK\x03\x04")
    (app / "build.gradle").write_text(
        "apply plugin: 'com.android.application'\nandroid {\n  namespace 'com.acme'\n"
        "  flavorDimensions 'market'\n"
        "  productFlavors { china { dimension 'market' }; overseas { dimension 'market' } }\n}\n"
        "dependencies { chinaImplementation files('libs/AMap_Location_V6.1.0_20230101.jar') }\n")
    (app / "src" / "main").mkdir(parents=True)
    (app / "src" / "main" / "AndroidManifest.xml").write_text(
        '<manifest xmlns:android="http://schemas.android.com/apk/res/android"><application/></manifest>')

    def sdks(*variants: str) -> set[str]:
        result = run([tmp_path], tmp_path, Config(variants=variants), all_rules(), keep_contexts=True)
        return {s.sdk_id for s in result.contexts[0].sdks}

    assert "amap-location" in sdks("china")
    assert "amap-location" not in sdks("overseas")
