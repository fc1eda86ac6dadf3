"""Project discovery on the layouts developers have: Groovy, KTS + version catalog, flavours,
manifest-only (Eclipse/Ant), several apps under one root, and a single file walking up to its project."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipl_lint.project.discover import discover, find_root
from pipl_lint.project.files import FileReader
from pipl_lint.project.gradle import read_properties
from tests.conftest import BARE_MANIFEST, EXAMPLES, write_tree


def run(root: Path, *paths: Path):
    return discover(paths or (root,), root, FileReader(root))


def test_groovy_project_with_flavours(tmp_path: Path) -> None:
    write_tree(tmp_path, {
        "settings.gradle": "include ':app', ':lib'\ninclude ':feature:news'\n",
        "app/build.gradle": """
apply plugin: 'com.android.application'
android {
    namespace 'com.acme'
    compileSdkVersion 34
    defaultConfig { applicationId "com.acme.app"; minSdkVersion 21; targetSdkVersion 33 }
    flavorDimensions 'market'
    productFlavors { cn { dimension 'market' } global { dimension 'market' } }
}
dependencies {
    implementation 'com.umeng.umsdk:common:9.6.8'
    implementation project(':lib')
    implementation group: 'cn.jiguang.sdk', name: 'jpush', version: '5.0.0'
}
""",
        "app/src/main/AndroidManifest.xml": BARE_MANIFEST,
        "app/src/cn/AndroidManifest.xml": BARE_MANIFEST,
        "app/src/debug/AndroidManifest.xml": BARE_MANIFEST,
        "app/src/main/java/com/acme/App.java": "package com.acme; class App {}",
        "app/src/cn/kotlin/com/acme/Push.kt": "package com.acme\nobject Push",
        "app/src/main/res/values/strings.xml": "<resources/>",
        "app/src/main/res/values-zh-rCN/strings.xml": "<resources/>",
        "lib/build.gradle": "plugins { id 'com.android.library' }\nandroid { namespace 'com.acme.lib' }",
        "lib/src/main/AndroidManifest.xml": BARE_MANIFEST,
        "feature/news/build.gradle": "plugins { id 'com.android.library' }",
    })
    found = run(tmp_path)
    assert len(found.projects) == 1
    project = found.projects[0]
    assert project.kind == "gradle"
    mods = {m.name: m for m in project.modules}
    assert set(mods) == {":app", ":lib", ":feature:news"}
    app = mods[":app"]
    assert app.is_application and not mods[":lib"].is_application
    assert app.build is not None
    assert (app.build.min_sdk, app.build.target_sdk, app.build.compile_sdk) == (21, 33, 34)
    assert app.namespace == "com.acme"
    assert {ss.name for ss in app.source_sets} == {"main", "cn", "debug"}
    assert {ss.name for ss in app.source_sets if ss.manifest} == {"main", "cn", "debug"}
    assert sorted(p.name for p in app.sources()) == ["App.java", "Push.kt"]
    main = next(ss for ss in app.source_sets if ss.name == "main")
    assert len(main.strings) == 2
    coords = {(d.group, d.name) for d in app.build.dependencies if d.group}
    assert {("com.umeng.umsdk", "common"), ("cn.jiguang.sdk", "jpush")} <= coords
    assert any(d.project == ":lib" for d in app.build.dependencies)


def test_gradle_properties_values_referenced_from_build_scripts(tmp_path: Path) -> None:
    # The project's and the module's gradle.properties (the module's wins), as build scripts reference them:
    # `targetSdkVersion TARGET_SDK_VERSION as int`, `"${APP_ID}"`, `.toInteger()`; Java-properties syntax.
    write_tree(tmp_path, {
        "settings.gradle": "include ':app'\n",
        "gradle.properties": "/*** BuildVersion ***/\nMIN_SDK_VERSION=14\nTARGET_SDK_VERSION = 25\n"
                             "! comment\nAPP_ID: com.acme.\\\n    app\nCOMPILE_SDK_VERSION 30\n",
        "app/gradle.properties": "COMPILE_SDK_VERSION=31\n",
        "app/build.gradle": """
apply plugin: 'com.android.application'
android {
    compileSdkVersion COMPILE_SDK_VERSION.toInteger()
    defaultConfig {
        applicationId "${APP_ID}"
        minSdkVersion MIN_SDK_VERSION as int
        targetSdkVersion TARGET_SDK_VERSION as int
    }
}
""",
        "app/src/main/AndroidManifest.xml": BARE_MANIFEST,
    })
    app = next(m for m in run(tmp_path).projects[0].modules if m.name == ":app")
    assert app.build is not None
    assert (app.build.min_sdk, app.build.target_sdk, app.build.compile_sdk) == (14, 25, 31)
    assert app.build.application_id == "com.acme.app"


def test_kotlin_dsl_reads_gradle_properties_of_a_single_module_project(tmp_path: Path) -> None:
    write_tree(tmp_path, {
        "gradle.properties": "targetSdk=33\n",
        "build.gradle.kts": 'plugins { id("com.android.application") }\n'
                            'android { defaultConfig { targetSdk = (property("targetSdk") as String).toInt() } }\n',
        "src/main/AndroidManifest.xml": BARE_MANIFEST,
    })
    module = run(tmp_path).projects[0].modules[0]
    assert module.build is not None and module.build.target_sdk == 33


def test_kts_with_version_catalog(tmp_path: Path) -> None:
    write_tree(tmp_path, {
        "settings.gradle.kts": 'rootProject.name = "acme"\ninclude(":app", ":core")\n',
        "gradle/libs.versions.toml": """
[versions]
umeng = "9.6.8"
[libraries]
umeng-common = { module = "com.umeng.umsdk:common", version.ref = "umeng" }
bugly = { group = "com.tencent.bugly", name = "crashreport", version = "4.1.9" }
appsflyer = "com.appsflyer:af-android-sdk:6.14.0"
[plugins]
android-application = { id = "com.android.application", version = "8.5.0" }
""",
        "app/build.gradle.kts": """
plugins { alias(libs.plugins.android.application) }
android {
    namespace = "com.acme"
    compileSdk = 34
    defaultConfig { minSdk = 24; targetSdk = 34 }
}
dependencies {
    implementation(libs.umeng.common)
    implementation(libs.bugly)
    implementation(libs.appsflyer)
    implementation(project(":core"))
}
""",
        "app/src/main/AndroidManifest.xml": BARE_MANIFEST,
        "core/build.gradle.kts": 'plugins { id("com.android.library") }',
        "core/src/main/kotlin/com/acme/core/Ids.kt": "package com.acme.core\nobject Ids",
    })
    project = run(tmp_path).projects[0]
    app = next(m for m in project.modules if m.name == ":app")
    assert app.is_application and app.build is not None and app.build.target_sdk == 34
    coords = {(d.group, d.name, d.version) for d in app.build.dependencies if d.group}
    assert ("com.umeng.umsdk", "common", "9.6.8") in coords
    assert ("com.tencent.bugly", "crashreport", "4.1.9") in coords
    assert ("com.appsflyer", "af-android-sdk", "6.14.0") in coords
    core = next(m for m in project.modules if m.name == ":core")
    assert [p.name for p in core.sources()] == ["Ids.kt"]


def test_manifest_only_layout(tmp_path: Path) -> None:
    write_tree(tmp_path, {
        "legacy/AndroidManifest.xml": BARE_MANIFEST,
        "legacy/src/com/acme/Main.java": "package com.acme; class Main {}",
        "legacy/res/values/strings.xml": "<resources/>",
    })
    project = run(tmp_path).projects[0]
    assert project.kind == "manifest-only"
    (module,) = project.modules
    assert module.is_application
    assert [p.name for p in module.sources()] == ["Main.java"]


def test_several_apps_under_one_root(tmp_path: Path) -> None:
    for name in ("one", "two"):
        write_tree(tmp_path / name, {
            "settings.gradle": "include ':app'",
            "app/build.gradle": "apply plugin: 'com.android.application'",
            "app/src/main/AndroidManifest.xml": BARE_MANIFEST,
        })
    write_tree(tmp_path, {"sample/AndroidManifest.xml": BARE_MANIFEST, "sample/src/A.java": "class A {}"})
    roots = sorted(p.root.name for p in run(tmp_path).projects)
    assert roots == ["one", "sample", "two"]


def test_file_walks_up_to_its_project() -> None:
    src = next((EXAMPLES / "leaky-app").rglob("DailyNewsApp.kt"))
    root, kind = find_root(src.parent, EXAMPLES.parent)
    assert (root, kind) == ((EXAMPLES / "leaky-app").resolve(), "gradle")


def test_examples_are_discovered_with_their_modules() -> None:
    project = run(EXAMPLES / "leaky-app").projects[0]
    assert {m.name for m in project.modules} == {":app", ":core", ":analytics"}
    analytics = next(m for m in project.modules if m.name == ":analytics")
    assert analytics.build is not None and analytics.build.path.name == "build.gradle"  # Groovy module


def test_gradle_properties_reader_edge_cases() -> None:
    text = ("# comment\n! other comment\n   \nA=1\nB : two words \nC three\nD=\\u53cb\\u76df\nE=\\uD800x\n"
            "F=first \\\n    second\nG=ends with backslash\\\\\nkey.with\\=equals=v\nH=\\\nnext=line\n=novalue\n")
    props = read_properties(text)
    assert props["A"] == "1" and props["B"] == "two words" and props["C"] == "three"
    assert props["D"] == "友盟" and props["E"] == "\\uD800x"  # a lone surrogate stays as written
    assert props["F"] == "first second" and props["G"] == "ends with backslash\\"
    assert props["key.with=equals"] == "v" and props["H"] == "next=line"  # a trailing backslash joins the next line
    assert read_properties("\x00\xff" * 1000 + "\\") is not None  # never raises


def test_string_resources_in_any_values_file_are_read(tmp_path: Path) -> None:
    """Android reads `<string>`s from every XML file of a `values*` folder (`eula.xml`, `privacy.xml`), not only
    `strings.xml`: a policy text kept there is the app's, in Gradle and manifest-only layouts alike."""
    from pipl_lint.model.resources import Resources

    eula = '<resources><string name="eula_text">Read our Privacy Policy</string></resources>'
    write_tree(tmp_path / "gradle", {
        "settings.gradle": "include ':app'",
        "app/build.gradle": "plugins { id 'com.android.application' }",
        "app/src/main/AndroidManifest.xml": BARE_MANIFEST,
        "app/src/main/res/values/strings.xml": '<resources><string name="app">Acme</string></resources>',
        "app/src/main/res/values/eula.xml": eula,
        "app/src/main/res/values/colors.xml": '<resources><color name="a">#fff</color></resources>',
    })
    write_tree(tmp_path / "legacy", {
        "AndroidManifest.xml": BARE_MANIFEST,
        "res/values/eula.xml": eula,
    })
    for root in (tmp_path / "gradle", tmp_path / "legacy"):
        (module,) = [m for m in run(root).projects[0].modules if m.is_application]
        files = [p for ss in module.source_sets for p in ss.strings]
        assert "eula.xml" in [p.name for p in files]
        reader = FileReader(root)
        resources = Resources(strings=files, read_text=lambda p, r=reader: r.read_text(p, []))
        assert resources.text("eula_text") == "Read our Privacy Policy"


@pytest.mark.parametrize(("root_build", "name", "notation"), [
    ("build.gradle", "build.gradle", "\"io.sentry:sentry-android:$sentry_version\""),
    ("build.gradle", "build.gradle", "\"io.sentry:sentry-android:${versions.sentry}\""),
    ("build.gradle.kts", "build.gradle.kts", "\"io.sentry:sentry-android:${rootProject.extra[\"sentry_version\"]}\""),
])
def test_a_root_projects_ext_properties_resolve_in_its_modules(tmp_path: Path, root_build: str, name: str,
                                                                notation: str) -> None:
    """Gradle looks a property up in the project, then its parents: the root build's `ext` versions are the
    modules' (Groovy `ext.x = …`, a map `ext.versions = [sentry: …]`, Kotlin `extra["x"] = …`)."""
    root = {
        "build.gradle": "buildscript {\n    ext.sentry_version = '1.7.16'\n    ext.versions = [sentry: '1.7.16']\n}\n",
        "build.gradle.kts": 'extra["sentry_version"] = "1.7.16"\n',
    }[root_build]
    app = f"implementation({notation})" if name.endswith(".kts") else f"implementation {notation}"
    write_tree(tmp_path, {
        "settings.gradle" + (".kts" if name.endswith(".kts") else ""): "include(':app')\n".replace(
            "'", '"' if name.endswith(".kts") else "'"),
        root_build: root,
        f"app/{name}": f"plugins {{ id(\"com.android.application\") }}\ndependencies {{\n    {app}\n}}\n",
        "app/src/main/AndroidManifest.xml": BARE_MANIFEST,
    })
    reader = FileReader(tmp_path.resolve())
    project = discover([tmp_path.resolve()], tmp_path.resolve(), reader).projects[0]
    app_module = next(m for m in project.modules if m.name == ":app")
    assert app_module.build is not None
    assert [d.coordinate for d in app_module.build.dependencies] == ["io.sentry:sentry-android:1.7.16"]


def test_a_config_script_the_root_applies_gives_the_modules_their_versions(tmp_path: Path) -> None:
    """The common `config.gradle` layout: the root build applies it, its `ext { android = [...] }` map is read by
    the modules as `rootProject.ext.android.targetSdkVersion` (an integer there)."""
    write_tree(tmp_path, {
        "settings.gradle": "include ':app'\n",
        "build.gradle": 'apply from: "config.gradle"\nbuildscript { repositories { google() } }\n',
        "config.gradle": "ext {\n    umengVersion = '9.6.8'\n    android = [\n        targetSdkVersion : 32,\n"
                         "        minSdkVersion : 21,\n    ]\n}\n",
        "app/build.gradle": "apply plugin: 'com.android.application'\nandroid {\n    defaultConfig {\n"
                            "        minSdkVersion rootProject.ext.android.minSdkVersion\n"
                            "        targetSdkVersion rootProject.ext.android.targetSdkVersion\n    }\n}\n"
                            'dependencies {\n    implementation "com.umeng.umsdk:common:$umengVersion"\n}\n',
        "app/src/main/AndroidManifest.xml": BARE_MANIFEST,
    })
    reader = FileReader(tmp_path.resolve())
    project = discover([tmp_path.resolve()], tmp_path.resolve(), reader).projects[0]
    app = next(m for m in project.modules if m.name == ":app")
    assert app.build is not None
    assert (app.build.target_sdk, app.build.min_sdk) == (32, 21)
    assert [d.coordinate for d in app.build.dependencies] == ["com.umeng.umsdk:common:9.6.8"]
    assert tmp_path.resolve() / "config.gradle" in project.gradle_files  # a change to it invalidates the cache
