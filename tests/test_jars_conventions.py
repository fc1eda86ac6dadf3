"""Jars and convention plugins: a jar is an SDK of the app only when a `fileTree`/`files`/flatDir
dependency of a shipped configuration includes it; a combined vendor jar holds every SDK it names; the
dependencies that convention plugins in `build-logic`/`buildSrc` add belong to the modules that apply them."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipl_lint.catalogs import load_catalog
from pipl_lint.config import Config
from pipl_lint.engine import build_context
from pipl_lint.findings import Diagnostic
from pipl_lint.project.discover import discover
from pipl_lint.project.files import FileReader
from pipl_lint.summaries import SummaryStore
from tests.conftest import BARE_MANIFEST, write_tree

COMBINED = "AMap3DMap_9.7.0_AMapSearch_9.7.0_AMapLocation_6.3.0_20230526.jar"


def sdks(root: Path) -> set[tuple[str, str, str]]:
    """(module, sdk id, where) of every catalogued SDK the context sees."""
    root = root.resolve()
    reader = FileReader(root)
    diags: list[Diagnostic] = []
    found = discover((root,), root, reader)
    out: set[tuple[str, str, str]] = set()
    for project in found.projects:
        ctx = build_context(project, root, Config(), reader, SummaryStore(reader, 5.0), diags)
        out |= {(s.module.name, s.sdk_id, s.path) for s in ctx.sdks}
    return out


def app(root: Path, dependencies: str, jars: tuple[str, ...] = (COMBINED, "bugly_crash_4.1.9.jar")) -> None:
    write_tree(root, {
        "settings.gradle": "include ':app'\n",
        "app/build.gradle": f"apply plugin: 'com.android.application'\ndependencies {{\n{dependencies}\n}}\n",
        "app/src/main/AndroidManifest.xml": BARE_MANIFEST,
    })
    (root / "app/libs").mkdir()
    for jar in jars:
        (root / "app/libs" / jar).write_bytes(b"PK\x03\x04")


def test_combined_jar_is_every_sdk_it_names() -> None:
    catalog = load_catalog()
    assert [s.id for s in catalog.sdks_for_jar(f"app/libs/{COMBINED}")] == ["amap-map", "amap-search", "amap-location"]
    assert [s.id for s in catalog.sdks_for_jar("AMapNavi_7.1.0_AMap3DMap_7.1.0_20190918.jar")] == [
        "amap-navi", "amap-map"]
    assert [s.id for s in catalog.sdks_for_jar("AMap_Location_V6.4.0_20230808.jar")] == ["amap-location"]
    assert [s.id for s in catalog.sdks_for_jar("GDTUnionSDK.4.22.584.min.jar")] == ["gdt"]
    assert catalog.sdks_for_jar("commons-io_2.6.jar") == ()


@pytest.mark.parametrize("dependencies", [
    "implementation fileTree(dir: 'libs', include: ['*.jar'])",
    "implementation fileTree(include: ['*.jar', '*.aar'], dir: 'libs')",
    "compile fileTree('libs')",
    "implementation fileTree(dir: \"$projectDir/libs\", include: ['**/*.jar'])",
    f"implementation files('libs/{COMBINED}', 'libs/bugly_crash_4.1.9.jar')",
])
def test_jars_a_shipped_file_dependency_covers(tmp_path: Path, dependencies: str) -> None:
    app(tmp_path, dependencies)
    assert {(m, s) for m, s, _p in sdks(tmp_path)} == {
        (":app", "amap-map"), (":app", "amap-search"), (":app", "amap-location"), (":app", "bugly")}


def test_kts_file_tree(tmp_path: Path) -> None:
    app(tmp_path, "")
    (tmp_path / "app/build.gradle").unlink()
    (tmp_path / "app/build.gradle.kts").write_text(
        'plugins { id("com.android.application") }\n'
        'dependencies { implementation(fileTree(mapOf("dir" to "libs", "include" to listOf("*.jar")))) }\n')
    assert (":app", "bugly", "app/libs/bugly_crash_4.1.9.jar") in sdks(tmp_path)


@pytest.mark.parametrize("dependencies", [
    "",  # the jars lie in libs/ but nothing includes them
    "implementation 'androidx.core:core:1.12.0'",
    "compileOnly fileTree(dir: 'libs', include: ['*.jar'])",  # compiled against, not shipped
    "testImplementation fileTree(dir: 'libs', include: ['*.jar'])",
    "implementation fileTree(dir: 'libs', include: ['*.aar'])",  # only aars
    "implementation files('libs/other.jar')",
])
def test_jars_no_shipped_dependency_covers_are_not_sdks(tmp_path: Path, dependencies: str) -> None:
    app(tmp_path, dependencies)
    assert sdks(tmp_path) == set()


def test_only_the_listed_file(tmp_path: Path) -> None:
    app(tmp_path, "implementation files('libs/bugly_crash_4.1.9.jar')")
    assert {s for _m, s, _p in sdks(tmp_path)} == {"bugly"}


def test_flatdir_aar(tmp_path: Path) -> None:
    app(tmp_path, "implementation(name: 'alipaySdk-15.8.03', ext: 'aar')", jars=("alipaySdk-15.8.03.aar",))
    assert {s for _m, s, _p in sdks(tmp_path)} == {"alipay"}


def test_eclipse_layout_ships_all_of_libs(tmp_path: Path) -> None:
    write_tree(tmp_path, {"AndroidManifest.xml": BARE_MANIFEST, "src/com/acme/A.java": "package com.acme; class A {}"})
    (tmp_path / "libs").mkdir()
    (tmp_path / "libs" / COMBINED).write_bytes(b"PK")
    assert {s for _m, s, _p in sdks(tmp_path)} == {"amap-map", "amap-search", "amap-location"}


CATALOG = """
[versions]
umeng = "9.6.8"
[libraries]
umeng-common = { module = "com.umeng.umsdk:common", version.ref = "umeng" }
umeng-asms = { module = "com.umeng.umsdk:asms", version = "1.8.0" }
bugly = "com.tencent.bugly:crashreport:4.1.9"
androidx-core = "androidx.core:core-ktx:1.12.0"
[bundles]
umeng = ["umeng-common", "umeng-asms"]
[plugins]
acme-android-application = { id = "acme.android.application" }
acme-android-library = { id = "acme.android.library" }
"""

BINARY_PLUGIN = """package com.acme.buildlogic

import org.gradle.api.Plugin
import org.gradle.api.Project
import org.gradle.api.artifacts.VersionCatalogsExtension
import org.gradle.kotlin.dsl.dependencies
import org.gradle.kotlin.dsl.getByType

class AndroidApplicationConventionPlugin : Plugin<Project> {
    override fun apply(target: Project) {
        with(target) {
            pluginManager.apply("com.android.application")
            pluginManager.apply("acme.analytics")
            val libs = extensions.getByType<VersionCatalogsExtension>().named("libs")
            dependencies {
                add("implementation", libs.findLibrary("androidx-core").get())
                add("implementation", libs.findBundle("umeng").get())
                add("testImplementation", "com.tencent.bugly:crashreport:4.1.9")
            }
            configurePush()
        }
    }
}
"""

HELPER = """package com.acme.buildlogic

import org.gradle.api.Project

internal fun Project.configurePush() {
    dependencies.add("implementation", "cn.jiguang.sdk:jpush:5.0.0")
}
"""

JAVA_PLUGIN = """package com.acme.buildlogic;

import org.gradle.api.Plugin;
import org.gradle.api.Project;

public class AndroidLibraryConventionPlugin implements Plugin<Project> {
    @Override
    public void apply(Project project) {
        project.getPluginManager().apply("com.android.library");
        project.getDependencies().add("api", "com.tencent.bugly:crashreport:4.1.9");
    }
}
"""


def convention_project(root: Path, logic: str) -> None:
    write_tree(root, {
        "settings.gradle.kts": f'pluginManagement {{ includeBuild("{logic}") }}\ninclude(":app", ":core", ":plain")\n',
        "gradle/libs.versions.toml": CATALOG,
        f"{logic}/settings.gradle.kts": 'rootProject.name = "build-logic"\ninclude(":convention")\n',
        f"{logic}/convention/build.gradle.kts": """
plugins { `kotlin-dsl` }
gradlePlugin {
    plugins {
        register("androidApplication") {
            id = "acme.android.application"
            implementationClass = "AndroidApplicationConventionPlugin"
        }
        register("androidLibrary") {
            id = libs.plugins.acme.android.library.get().pluginId
            id = "acme.android.library"
            implementationClass = "com.acme.buildlogic.AndroidLibraryConventionPlugin"
        }
    }
}
""",
        f"{logic}/convention/src/main/kotlin/com/acme/buildlogic/AndroidApplicationConventionPlugin.kt": BINARY_PLUGIN,
        f"{logic}/convention/src/main/kotlin/com/acme/buildlogic/Push.kt": HELPER,
        f"{logic}/convention/src/main/java/com/acme/buildlogic/AndroidLibraryConventionPlugin.java": JAVA_PLUGIN,
        f"{logic}/convention/src/main/kotlin/acme.analytics.gradle.kts":
            'dependencies {\n    "implementation"("com.umeng.umsdk:common:9.6.8")\n    add("implementation", '
            '"com.tencent.bugly:crashreport:4.1.9")\n}\n',
        "app/build.gradle.kts": "plugins { alias(libs.plugins.acme.android.application) }\n",
        "app/src/main/AndroidManifest.xml": BARE_MANIFEST,
        "core/build.gradle.kts": 'plugins { id("acme.android.library") }\n',
        "core/src/main/AndroidManifest.xml": BARE_MANIFEST,
        "plain/build.gradle.kts": 'plugins { id("com.android.library") }\n',
        "plain/src/main/AndroidManifest.xml": BARE_MANIFEST,
    })


@pytest.mark.parametrize("logic", ["build-logic", "gradle/build-logic"])
def test_convention_plugins_attribute_their_dependencies(tmp_path: Path, logic: str) -> None:
    convention_project(tmp_path, logic)
    found = {(m, s, p) for m, s, p in sdks(tmp_path) if not p.startswith(("app/build", "core/build"))}
    plugin = f"{logic}/convention/src/main/kotlin/com/acme/buildlogic/AndroidApplicationConventionPlugin.kt"
    assert (":app", "umeng", plugin) in found  # a bundle through libs.findBundle
    assert (":app", "jpush", f"{logic}/convention/src/main/kotlin/com/acme/buildlogic/Push.kt") in found  # helper
    assert (":app", "bugly", f"{logic}/convention/src/main/kotlin/acme.analytics.gradle.kts") in found  # applied
    assert (":core", "bugly",
            f"{logic}/convention/src/main/java/com/acme/buildlogic/AndroidLibraryConventionPlugin.java") in found
    assert not any(m == ":plain" for m, _s, _p in found)
    # testImplementation of bugly in the binary plugin is not shipped
    assert (":app", "bugly", plugin) not in found


def test_convention_plugins_from_the_cache_give_a_cold_runs_findings(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """A check after a source edit takes the convention plugins from the cache (`engine.stored_build_logic`, not
    parsed again), and its findings are a cold run's: the SDKs still attributed to the plugin files that add them."""
    from pipl_lint.commands.check import CheckOptions, run_check
    from pipl_lint.model import conventions
    from tests.edits import Clock

    convention_project(tmp_path, "build-logic")
    write_tree(tmp_path, {"app/src/main/java/a/App.kt": "package a\n\nclass App {\n    fun run() {}\n}\n"})
    root = tmp_path.resolve()
    clock = Clock()
    for path in root.rglob("*"):
        clock.stamp(path)
    monkeypatch.chdir(root)
    reads: list[Path] = []
    real = conventions.convention_plugins
    monkeypatch.setattr(conventions, "convention_plugins", lambda *a: reads.append(a[0].root) or real(*a))
    out = tmp_path / "out.json"

    def report(no_cache: bool) -> bytes:
        code = run_check(CheckOptions(paths=(root,), format="json", output=out, no_cache=no_cache, quiet=True))
        assert code in (0, 1)
        return out.read_bytes()

    report(no_cache=False)
    first = len(reads)  # once per project (the included build-logic build is one too)
    assert first
    app = root / "app/src/main/java/a/App.kt"
    app.write_text(app.read_text().replace("fun run() {}", "fun run() { go() }"))
    clock.stamp(app)
    warm = report(no_cache=False)
    assert len(reads) == first  # the second run took the plugins from the cache
    assert warm == report(no_cache=True)
    assert b"AndroidApplicationConventionPlugin.kt" in warm and b"Push.kt" in warm


def test_buildsrc_precompiled_script_plugin(tmp_path: Path) -> None:
    write_tree(tmp_path, {
        "settings.gradle": "include ':app'\n",
        "buildSrc/build.gradle.kts": "plugins { `kotlin-dsl` }\n",
        "buildSrc/src/main/kotlin/acme-push.gradle.kts":
            'plugins { id("com.android.library") }\n'
            'dependencies { implementation("cn.jiguang.sdk:jpush:5.0.0") }\n',
        "app/build.gradle": "plugins {\n    id 'com.android.application'\n    id 'acme-push'\n}\n",
        "app/src/main/AndroidManifest.xml": BARE_MANIFEST,
    })
    assert sdks(tmp_path) == {(":app", "jpush", "buildSrc/src/main/kotlin/acme-push.gradle.kts")}


BUILDSRC_LIBS = '''package com.acme.build

object Versions {
    const val UMENG = "9.6.8"
}

object Libs {
    const val FIREBASE_ANALYTICS = "com.google.firebase:firebase-analytics-ktx"
    const val UMENG = "com.umeng.umsdk:common:${Versions.UMENG}"
    const val ALIAS = FIREBASE_ANALYTICS
    const val CYCLE = Libs.CYCLE
    val bugly = "com.tencent.bugly:crashreport:" + unknownVersion()
    object Push {
        val jpush = "cn.jiguang.sdk:jpush:$JPUSH_VERSION"
    }
}
'''


def test_buildsrc_constants_name_dependencies(tmp_path: Path) -> None:
    write_tree(tmp_path, {
        "settings.gradle.kts": 'include(":app", ":lib")\n',
        "buildSrc/build.gradle.kts": "plugins { `kotlin-dsl` }\n",
        "buildSrc/src/main/java/Libs.kt": BUILDSRC_LIBS,
        "buildSrc/src/main/java/Deps.java": 'public class Deps {\n'
            '    public static final String V = "4.1.9";\n'
            '    public static final String BUGLY = "com.tencent.bugly:crashreport:" + V;\n'
            '    public static class Push { public static final String JPUSH = "cn.jiguang.sdk:jpush:5.0.0"; }\n}\n',
        "app/build.gradle.kts": 'plugins { id("com.android.application") }\ndependencies {\n'
            "    implementation(Libs.UMENG)\n    api(com.acme.build.Libs.ALIAS)\n    implementation(Libs.CYCLE)\n"
            "    implementation(Libs.NOT_THERE)\n    testImplementation(Libs.bugly)\n}\n",
        "app/src/main/AndroidManifest.xml": BARE_MANIFEST,
        "lib/build.gradle": "apply plugin: 'com.android.library'\ndependencies {\n"
            "    implementation Deps.Push.JPUSH\n    implementation Deps.BUGLY\n"
            "    implementation Libs.Push.jpush\n}\n",
        "lib/src/main/AndroidManifest.xml": BARE_MANIFEST,
    })
    assert sdks(tmp_path) == {(":app", "umeng", "app/build.gradle.kts"),
                              (":app", "firebase-analytics", "app/build.gradle.kts"),
                              (":lib", "jpush", "lib/build.gradle")}


def test_buildsrc_constant_values(tmp_path: Path) -> None:
    """Templates resolve through other constants; an unknown part ends the value (the version is left out);
    a Java concatenation, a cycle and an unknown name resolve to nothing (the reference is kept)."""
    from pipl_lint.model.conventions import constants, with_constants

    test_buildsrc_constants_name_dependencies(tmp_path)
    root = tmp_path.resolve()
    reader = FileReader(root)
    diags: list[Diagnostic] = []
    project = discover((root,), root, reader).projects[0]
    values = constants(project, reader, diags)
    assert values["Libs.UMENG"] == values["com.acme.build.Libs.UMENG"] == "com.umeng.umsdk:common:9.6.8"
    assert values["Libs.ALIAS"] == "com.google.firebase:firebase-analytics-ktx"
    assert values["Libs.bugly"] == "com.tencent.bugly:crashreport:"
    assert values["Libs.Push.jpush"] == "cn.jiguang.sdk:jpush:$JPUSH_VERSION"  # Kotlin `$x`: a literal version
    assert values["Deps.Push.JPUSH"] == "cn.jiguang.sdk:jpush:5.0.0"
    assert "Libs.CYCLE" not in values and "Deps.BUGLY" not in values
    app = next(m for m in with_constants(project, values).modules if m.name == ":app")
    assert app.build is not None
    found = {d.reference: d.coordinate for d in app.build.dependencies}
    assert found == {"Libs.UMENG": "com.umeng.umsdk:common:9.6.8",
                     "com.acme.build.Libs.ALIAS": "com.google.firebase:firebase-analytics-ktx",
                     "Libs.CYCLE": None, "Libs.NOT_THERE": None,
                     "Libs.bugly": "com.tencent.bugly:crashreport"}


APP_PLUGIN = "build-logic/convention/src/main/kotlin/com/acme/buildlogic/AndroidApplicationConventionPlugin.kt"


def app_and_library_modules(root: Path) -> tuple[set[str], set[str]]:
    root = root.resolve()
    reader = FileReader(root)
    apps: set[str] = set()
    libraries: set[str] = set()
    for project in discover((root,), root, reader).projects:
        ctx = build_context(project, root, Config(), reader, SummaryStore(reader, 5.0), [])
        apps |= {m.name for m in ctx.app_modules()}
        libraries |= {m.name for m in ctx.project.modules if m.build is not None and m.build.is_library}
    return apps, libraries


@pytest.mark.parametrize("applies", [
    'pluginManager.apply("com.android.application")',
    'with(pluginManager) {\n                apply("com.android.application")\n            }',
    'plugins.apply("com.android.application")',
])
def test_a_convention_plugin_that_applies_the_android_plugin_makes_an_app(tmp_path: Path, applies: str) -> None:
    """`:app` applies only `acme.android.application`, whose class applies `com.android.application` (nowinandroid's
    `with(pluginManager) { apply(...) }` too): `:app` is an application module, `:core` (through the Java plugin) a
    library, `:plain` a library by its own build."""
    convention_project(tmp_path, "build-logic")
    plugin = tmp_path / APP_PLUGIN
    plugin.write_text(BINARY_PLUGIN.replace('pluginManager.apply("com.android.application")', applies))
    apps, libraries = app_and_library_modules(tmp_path)
    assert apps == {":app"}
    assert libraries == {":core", ":plain"}


def test_a_convention_plugin_that_applies_no_android_plugin_makes_no_app(tmp_path: Path) -> None:
    convention_project(tmp_path, "build-logic")
    plugin = tmp_path / APP_PLUGIN
    plugin.write_text(BINARY_PLUGIN.replace('pluginManager.apply("com.android.application")',
                                            'apply(from = "com.android.application")'))
    apps, libraries = app_and_library_modules(tmp_path)
    assert apps == set()
    assert libraries == {":core", ":plain"}


FORWARDING_PLUGIN = """package com.acme.buildlogic

import org.gradle.api.Plugin
import org.gradle.api.Project

class PushConventionPlugin : Plugin<Project> {
    override fun apply(target: Project): Unit = with(target) {
        val libs = CatalogWrapper(extensions.getByType<VersionCatalogsExtension>().named("libs"))
        dependencies {
            chinaImplementation(libs.getLibrary("bugly"))
            chinaImplementation(platform(libs.getLibrary("umeng-common")))
            chinaImplementation("cn.jiguang.sdk:jpush:5.0.0")
        }
    }
}
"""

FORWARDING_HELPERS = """package com.acme.buildlogic

internal fun DependencyHandlerScope.chinaImplementation(dependency: Any) =
    add("chinaImplementation", dependency)

internal class CatalogWrapper(private val libs: VersionCatalog) {
    fun getLibrary(alias: String): Provider<MinimalExternalModuleDependency> = libs.findLibrary(alias).get()
}
"""


def test_a_helper_that_forwards_its_parameter_adds_what_its_caller_passes(tmp_path: Path) -> None:
    """nain57's shape: `chinaImplementation(libs.getLibrary("bugly"))` in the plugin, where `chinaImplementation`
    is the build logic's `add("chinaImplementation", dependency)` and `getLibrary` its `findLibrary` wrapper; the
    module applies the plugin with `apply(plugin = libs.plugins.acme.push.get().pluginId)` inside an `if`. Each
    dependency is reported where the plugin names it, not on the helper's `add` line."""
    logic = "build-logic/convention"
    write_tree(tmp_path, {
        "settings.gradle.kts": 'pluginManagement { includeBuild("build-logic") }\ninclude(":app")\n',
        "gradle/libs.versions.toml": CATALOG + 'acme-push = { id = "acme.push" }\n',
        "build-logic/settings.gradle.kts": 'include(":convention")\n',
        f"{logic}/build.gradle.kts": 'gradlePlugin { plugins { register("push") { id = "acme.push"\n'
                                     '    implementationClass = "com.acme.buildlogic.PushConventionPlugin" } } }\n',
        f"{logic}/src/main/kotlin/com/acme/buildlogic/PushConventionPlugin.kt": FORWARDING_PLUGIN,
        f"{logic}/src/main/kotlin/com/acme/buildlogic/Helpers.kt": FORWARDING_HELPERS,
        "app/build.gradle.kts": 'plugins { id("com.android.application") }\n'
                                'if (project.hasProperty("china")) {\n'
                                '    apply(plugin = libs.plugins.acme.push.get().pluginId)\n}\n',
        "app/src/main/AndroidManifest.xml": BARE_MANIFEST,
    })
    plugin = f"{logic}/src/main/kotlin/com/acme/buildlogic/PushConventionPlugin.kt"
    found = sdks(tmp_path)
    assert {(":app", "bugly", plugin), (":app", "umeng", plugin), (":app", "jpush", plugin)} <= found
    assert not any(p.endswith("Helpers.kt") for _m, _s, p in found)
