"""Gradle build/settings scripts and version catalogs, read statically (Groovy and Kotlin DSL)."""

from __future__ import annotations

import random
from pathlib import Path
from textwrap import dedent

import pytest

from pipl_lint.parse import gradle_kts
from pipl_lint.parse.gradle_ast import Arg, Assign, Call, ListValue, MapValue, Ref, Script, Unknown, walk_calls
from pipl_lint.parse.gradle_kts import parse_kts
from pipl_lint.parse.groovy import parse_expression, parse_groovy
from pipl_lint.project.gradle import BuildScript, Dependency, read_build_script, read_settings
from pipl_lint.project.version_catalog import CatalogLibrary, VersionCatalog, read_version_catalog

FIXTURES = Path(__file__).parent / "fixtures" / "gradle"
GROOVY = Path("build.gradle")
KTS = Path("build.gradle.kts")

CATALOG_TOML = """
[versions]
agp = "8.2.0"
minSdk = "23"
compileSdk = "34"
firebase-bom = "32.7.0"

[libraries]
firebase-bom = { module = "com.google.firebase:firebase-bom", version.ref = "firebase-bom" }
firebase-analytics = { module = "com.google.firebase:firebase-analytics" }
androidx-core-ktx = { group = "androidx.core", name = "core-ktx", version = "1.12.0" }
okhttp = "com.squareup.okhttp3:okhttp:4.12.0"

[bundles]
network = ["okhttp", "androidx-core-ktx"]

[plugins]
android-application = { id = "com.android.application", version.ref = "agp" }
android-library = "com.android.library:8.2.0"
"""


@pytest.fixture(autouse=True)
def _short_tree_sitter_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    """Some degenerate inputs make tree-sitter-kotlin give up only at its time budget: keep it short here."""
    monkeypatch.setattr(gradle_kts, "PARSE_BUDGET_SECONDS", 0.03)


@pytest.fixture(scope="module")
def catalog() -> VersionCatalog:
    result = read_version_catalog(Path("gradle/libs.versions.toml"), CATALOG_TOML)
    assert result.errors == ()
    return result


def build(source: str, path: Path, catalog: VersionCatalog | None = None, **properties: str) -> BuildScript:
    return read_build_script(path, dedent(source), catalog, properties or None)


def first(script: Script) -> Call | Assign:
    assert script.errors == (), script.errors
    assert script.statements, "no statement parsed"
    return script.statements[0]


def args(*values: object, **named: object) -> tuple[Arg, ...]:
    return tuple(Arg(None, v) for v in values) + tuple(Arg(k, v) for k, v in named.items())  # type: ignore[arg-type]


def strip_positions(value: object) -> object:
    """Calls compared without line/column (positions are tested separately)."""
    if isinstance(value, Call):
        closure = None if value.closure is None else tuple(strip_positions(s) for s in value.closure)
        return ("call", value.name, value.receiver,
                tuple((a.name, strip_positions(a.value)) for a in value.args), closure)
    if isinstance(value, Assign):
        return ("assign", value.target, strip_positions(value.value))
    if isinstance(value, ListValue):
        return ListValue(tuple(strip_positions(v) for v in value.items))  # type: ignore[misc]
    if isinstance(value, MapValue):
        return MapValue(tuple((k, strip_positions(v)) for k, v in value.items))  # type: ignore[misc]
    return value


def call(name: str, /, *values: object, receiver: str | None = None, closure: tuple | None = None,
         **named: object) -> tuple:
    """The expected shape of a :class:`Call` (see :func:`strip_positions`)."""
    return ("call", name, receiver, tuple((a.name, a.value) for a in args(*values, **named)), closure)


# -- the Groovy parser ------------------------------------------------------------------------------

GROOVY_STATEMENTS = [
    ("implementation 'a:b:c'", call("implementation", "a:b:c")),
    ('implementation "a:b:$ver"', call("implementation", "a:b:$ver")),
    ("implementation '''a:b:c'''", call("implementation", "a:b:c")),
    ('implementation """a:b:${v.x}"""', call("implementation", "a:b:${v.x}")),
    ("implementation project(':lib')", call("implementation", call("project", ":lib"))),
    ("implementation(project(path: ':lib'))", call("implementation", call("project", path=":lib"))),
    ("implementation group: 'g', name: 'n', version: 'v'", call("implementation", group="g", name="n", version="v")),
    ("apply plugin: 'com.android.application'", call("apply", plugin="com.android.application")),
    ("id 'x' version '1.0' apply false", call("id", "x", version="1.0", apply=False)),
    ("id('x') version('1.0')", call("id", "x", version="1.0")),
    ("implementation(libs.x.y)", call("implementation", Ref("libs.x.y"))),
    ("implementation libs.x.y", call("implementation", Ref("libs.x.y"))),
    ("implementation platform('g:n:1')", call("implementation", call("platform", "g:n:1"))),
    ("implementation enforcedPlatform(libs.bom)", call("implementation", call("enforcedPlatform", Ref("libs.bom")))),
    (
        "implementation fileTree(dir: 'libs', include: ['*.jar'])",
        call("implementation", call("fileTree", dir="libs", include=ListValue(("*.jar",)))),
    ),
    (
        "x = [dir: 'libs', n: [1, 2.5, -3]]",
        ("assign", "x", MapValue((("dir", "libs"), ("n", ListValue((1, 2.5, -3)))))),
    ),
    ("x = [:]", ("assign", "x", MapValue(()))),
    ("minSdkVersion = 21", ("assign", "minSdkVersion", 21)),
    ("targetSdk 34", call("targetSdk", 34)),
    ("minSdkVersion(21)", call("minSdkVersion", 21)),
    ("ext.x = true", ("assign", "ext.x", True)),
    ("ext['y'] = null", ("assign", "ext.y", None)),
    ("def v = '1.0'", ("assign", "v", "1.0")),
    ("final String v = 'a' + 'b'", ("assign", "v", "ab")),
    ("String v = \"x\"", ("assign", "v", "x")),
    ("project(':x').projectDir = new File(rootDir, 'libs/x')",
     ("assign", "project(':x').projectDir", call("File", Ref("rootDir"), "libs/x"))),
    ("sourceCompatibility JavaVersion.VERSION_17", call("sourceCompatibility", Ref("JavaVersion.VERSION_17"))),
    ("release { minifyEnabled true }", call("release", closure=(call("minifyEnabled", True),))),
    ("buildTypes.release { }", call("release", receiver="buildTypes", closure=())),
    ('create("x") { }', call("create", "x", closure=())),
    ("google()", call("google")),
    ("'freeImplementation'('a:b:c')", call("freeImplementation", "a:b:c")),
    ("java", call("java")),
    ("task clean(type: Delete) { delete rootProject.buildDir }",
     call("task", call("clean", type=Ref("Delete"), closure=(call("delete", Ref("rootProject.buildDir")),)))),
    (
        "tasks.register('x', Copy) { from 'a' }",
        call("register", "x", Ref("Copy"), receiver="tasks", closure=(call("from", "a"),)),
    ),
    ("flavorDimensions += 'tier'", call("plusAssign", "tier", receiver="flavorDimensions")),
    ("foo(\n  'a',\n  'b'\n)", call("foo", "a", "b")),
    ("foo 'a',\n    'b'", call("foo", "a", "b")),
    ("x = y\n    .z()", ("assign", "x", call("z", receiver="y"))),
    ("versionCode 0x1F", call("versionCode", 31)),
    ("versionCode 1_000L", call("versionCode", 1000)),
    ("x = a ? b : c", ("assign", "x", Unknown("a?b:c"))),
    ("x = 'a\\'b\\n'", ("assign", "x", "a'b\n")),
    ("x = /slashy\\/string/", ("assign", "x", "slashy/string")),
    ("x = 'a'; y = 2", ("assign", "x", "a")),
    ("println \"v=${a.b}\" // trailing comment", call("println", "v=${a.b}")),
    ("/* block\n comment */ foo 1", call("foo", 1)),
]


@pytest.mark.parametrize(("source", "expected"), GROOVY_STATEMENTS, ids=[s for s, _ in GROOVY_STATEMENTS])
def test_groovy_statement_forms(source: str, expected: object) -> None:
    assert strip_positions(first(parse_groovy(source))) == expected


def test_groovy_closures_nest_and_keep_statement_order() -> None:
    script = parse_groovy(dedent("""\
        android {
            productFlavors { free { dimension 'tier' } paid { dimension 'tier' } }
            buildscript { dependencies { classpath 'a:b:1' } }
        }
        """))
    assert script.errors == ()
    (android,) = script.statements
    assert isinstance(android, Call) and android.closure is not None
    flavors = android.closure[0]
    assert isinstance(flavors, Call) and flavors.closure is not None
    assert [s.name for s in flavors.closure if isinstance(s, Call)] == ["free", "paid"]


def test_groovy_control_flow_bodies_are_spliced_and_declarations_skipped() -> None:
    script = parse_groovy(dedent("""\
        import groovy.json.JsonSlurper
        if (project.hasProperty('ci')) {
            a 1
        } else if (x) b 2
        else { c 3 }
        for (f in files) { d 4 }
        try { e 5 } catch (Exception ex) { f 6 } finally { g 7 }
        switch (x) { case 1: h 8; break }
        class Helper { def run() { i 9 } }
        def helper(String s) { j 10 }
        @groovy.transform.Field int k = 11
        """))
    names = [s.name if isinstance(s, Call) else s.target for s in script.statements]
    assert names == ["a", "b", "c", "d", "e", "f", "g", "k"]
    assert script.errors == ()


def test_groovy_positions_are_one_based() -> None:
    script = parse_groovy("dependencies {\n    implementation 'a:b:c'\n}\n")
    deps = script.statements[0]
    assert isinstance(deps, Call) and deps.closure is not None
    implementation = deps.closure[0]
    assert (deps.line, deps.column) == (1, 1)
    assert (implementation.line, implementation.column) == (2, 5)


def test_walk_calls_visits_closures_depth_first() -> None:
    script = parse_groovy("a { b { c() }\n d() }\ne()")
    assert [c.name for c in walk_calls(script.statements)] == ["a", "b", "c", "d", "e"]


def test_kotlin_file_annotations_and_declarations_are_tolerated_by_the_groovy_parser() -> None:
    script = parse_groovy('@file:Suppress("x")\nimport a.b.C\nfun f(): Int = 1\nval x: String by project\nfoo()')
    assert script.errors == ()
    assert [strip_positions(s) for s in script.statements] == [("assign", "x", Ref("project")), call("foo")]


def test_parse_expression_for_receiver_texts() -> None:
    assert parse_expression('buildTypes.getByName("debug")') == Call(
        "getByName", "buildTypes", (Arg(None, "debug"),), None, 1, 1
    )
    assert parse_expression("libs.versions.minSdk") == Ref("libs.versions.minSdk")
    assert isinstance(parse_expression("foo("), Unknown)


# -- the Kotlin DSL converter ---------------------------------------------------------------------

KTS_STATEMENTS = [
    ('id("com.android.application")', call("id", "com.android.application")),
    ("alias(libs.plugins.android.application)", call("alias", Ref("libs.plugins.android.application"))),
    ('kotlin("android")', call("kotlin", "android")),
    ("`kotlin-android`", call("kotlin-android")),
    ('id("x") version "1.0" apply false', call("id", "x", version="1.0", apply=False)),
    ("alias(libs.plugins.x) apply false", call("alias", Ref("libs.plugins.x"), apply=False)),
    ('id("x").version("1.0").apply(false)', call("id", "x", version="1.0", apply=False)),
    ('namespace = "x"', ("assign", "namespace", "x")),
    ("compileSdk = 34", ("assign", "compileSdk", 34)),
    ("compileSdkVersion(33)", call("compileSdkVersion", 33)),
    ('getByName("release") { isMinifyEnabled = true }',
     call("getByName", "release", closure=(("assign", "isMinifyEnabled", True),))),
    ('create("free") { dimension = "tier" }', call("create", "free", closure=(("assign", "dimension", "tier"),))),
    ('flavorDimensions += "tier"', call("plusAssign", "tier", receiver="flavorDimensions")),
    ('implementation("g:n:v")', call("implementation", "g:n:v")),
    ('implementation("g:n:$ver")', call("implementation", "g:n:$ver")),
    ('implementation("g:n:${v.x}")', call("implementation", "g:n:${v.x}")),
    ('implementation(project(":core"))', call("implementation", call("project", ":core"))),
    ("implementation(platform(libs.firebase.bom))", call("implementation", call("platform", Ref("libs.firebase.bom")))),
    (
        'implementation(group = "g", name = "n", version = "v")',
        call("implementation", group="g", name="n", version="v"),
    ),
    (
        'implementation(fileTree(mapOf("dir" to "libs", "include" to listOf("*.jar"))))',
        call("implementation", call("fileTree", MapValue((("dir", "libs"), ("include", ListValue(("*.jar",))))))),
    ),
    ('"freeImplementation"("g:n:v")', call("freeImplementation", "g:n:v")),
    ('add("implementation", "g:n:v")', call("add", "implementation", "g:n:v")),
    ('val x = "1.0"', ("assign", "x", "1.0")),
    ("val x: Int = -1", ("assign", "x", -1)),
    ('extra["x"] = 1', ("assign", "extra.x", 1)),
    ('rootProject.name = "x"', ("assign", "rootProject.name", "x")),
    ('project(":x").projectDir = file("libs/x")', ("assign", 'project(":x").projectDir', call("file", "libs/x"))),
    ('include(":app", ":core")', call("include", ":app", ":core")),
    ("minSdk = libs.versions.minSdk.get().toInt()",
     ("assign", "minSdk", call("toInt", receiver="libs.versions.minSdk.get()"))),
    ('val s = "a\\"b\\$c"', ("assign", "s", 'a"b\\$c')),
    ('tasks.register<Copy>("x") { }', call("register", "x", receiver="tasks", closure=())),
]


@pytest.mark.parametrize(("source", "expected"), KTS_STATEMENTS, ids=[s for s, _ in KTS_STATEMENTS])
def test_kts_statement_forms(source: str, expected: object) -> None:
    assert strip_positions(first(parse_kts(source))) == expected


@pytest.mark.parametrize(("source", "expected"), KTS_STATEMENTS, ids=[s for s, _ in KTS_STATEMENTS])
def test_groovy_parser_tolerates_the_same_kotlin_statements(source: str, expected: object) -> None:
    """The Groovy parser salvages broken Kotlin regions, so it must read Kotlin DSL the same way."""
    assert strip_positions(first(parse_groovy(source))) == expected


def test_kts_positions_count_characters_not_bytes() -> None:
    script = parse_kts('val s = "ü"; implementation("a:b:c")\n')
    assert [(s.line, s.column) for s in script.statements] == [(1, 1), (1, 14)]


def test_kts_control_flow_is_spliced() -> None:
    script = parse_kts(dedent("""\
        if (hasProperty("x")) { a(1) } else { b(2) }
        for (i in 1..3) { c(3) }
        try { d(4) } catch (e: Exception) { e(5) } finally { f(6) }
        fun helper() { g(7) }
        """))
    # a function's body is not spliced: it is kept as the declaration (`fun:helper`), run only where it is called
    assert [s.name for s in script.statements if isinstance(s, Call)] == ["a", "b", "c", "d", "e", "f", "fun:helper"]


# -- plugins ----------------------------------------------------------------------------------------

PLUGIN_CASES = [
    (GROOVY, "plugins { id 'com.android.application' }", ("com.android.application",)),
    (GROOVY, "plugins { id('com.android.library') }", ("com.android.library",)),
    (GROOVY, "plugins { id 'com.android.application' version '8.1.0' apply false }", ()),
    (GROOVY, "plugins { alias(libs.plugins.android.application) }", ("com.android.application",)),
    (GROOVY, "apply plugin: 'com.android.application'\napply plugin: 'kotlin-android'",
     ("com.android.application", "kotlin-android")),
    (GROOVY, "subprojects { apply plugin: 'x' }", ()),
    (KTS, 'plugins { id("com.android.application") }', ("com.android.application",)),
    (KTS, "plugins { alias(libs.plugins.android.library) }", ("com.android.library",)),
    (KTS, 'plugins { kotlin("android"); kotlin("plugin.serialization") }',
     ("org.jetbrains.kotlin.android", "org.jetbrains.kotlin.plugin.serialization")),
    (KTS, "plugins { `kotlin-android`; java }", ("kotlin-android", "java")),
    (KTS, 'plugins { id("x") version "1.0" apply false }', ()),
    (KTS, "plugins { alias(libs.plugins.android.application) apply false }", ()),
    (KTS, 'apply(plugin = "com.android.application")', ("com.android.application",)),
    (KTS, 'plugins.apply("com.android.library")', ("com.android.library",)),
    # the catalog alias's plugin id, as Habitica writes it
    (KTS, "plugins { id(libs.plugins.android.application.get().pluginId) }", ("com.android.application",)),
]


@pytest.mark.parametrize(("path", "source", "expected"), PLUGIN_CASES)
def test_plugins(path: Path, source: str, expected: tuple[str, ...], catalog: VersionCatalog) -> None:
    assert build(source, path, catalog).plugins == expected


@pytest.mark.parametrize(
    ("path", "source", "application", "library"),
    [
        (KTS, 'plugins { id("com.android.application") }', True, False),
        (KTS, 'plugins { id("com.android.library") }', False, True),
        (KTS, 'plugins { id("com.android.dynamic-feature") }', False, True),
        (GROOVY, "apply plugin: 'android-library'", False, True),
        (KTS, 'plugins { kotlin("multiplatform"); id("com.android.library") }', False, True),
        (KTS, 'plugins { kotlin("multiplatform") }\nkotlin { androidTarget() }', False, True),
        (KTS, 'plugins { kotlin("multiplatform") }\nkotlin { jvm() }', False, False),
        (KTS, 'plugins { kotlin("jvm") }', False, False),
    ],
)
def test_application_and_library_kind(path: Path, source: str, application: bool, library: bool) -> None:
    script = build(source, path)
    assert (script.is_application, script.is_library) == (application, library)


def test_plugin_alias_without_catalog_falls_back_to_template_aliases() -> None:
    script = build("plugins { alias(libs.plugins.android.application); alias(libs.plugins.unknown) }", KTS)
    assert script.plugins == ("com.android.application",)


# -- android { } properties -------------------------------------------------------------------------

SDK_CASES = [
    (GROOVY, "android { compileSdkVersion 34\n defaultConfig { minSdkVersion 21\n targetSdkVersion 33 } }", {},
     (21, 33, 34)),
    (GROOVY, "android { compileSdk 34\n defaultConfig { minSdk 21\n targetSdk 33 } }", {}, (21, 33, 34)),
    (GROOVY, "android { compileSdk = 34\n defaultConfig { minSdk = 21; targetSdk = 33 } }", {}, (21, 33, 34)),
    (GROOVY, "android { compileSdkVersion(34)\n defaultConfig { minSdkVersion(21) } }", {}, (21, None, 34)),
    (GROOVY, "android { compileSdkVersion 'android-34' }", {}, (None, None, 34)),
    (GROOVY, "android { compileSdkVersion 'Google Inc.:Google APIs:23' }", {}, (None, None, 23)),
    (GROOVY, "def minVersion = 19\nandroid { defaultConfig { minSdkVersion minVersion } }", {}, (19, None, None)),
    (GROOVY, "ext { targetSdk = 31 }\nandroid { defaultConfig { targetSdkVersion targetSdk } }", {}, (None, 31, None)),
    (GROOVY, "ext.versions = [minSdk: 22]\nandroid { defaultConfig { minSdkVersion versions.minSdk } }",
     {}, (22, None, None)),
    (GROOVY, "android { defaultConfig { minSdkVersion rootProject.ext.minSdkVersion } }",
     {"minSdkVersion": "23"}, (23, None, None)),
    (GROOVY, "android { defaultConfig { minSdkVersion project.property('minSdk') as int } }",
     {"minSdk": "25"}, (25, None, None)),
    (GROOVY, "android { defaultConfig { minSdkVersion Integer.parseInt(findProperty('minSdk')) } }",
     {"minSdk": "26"}, (26, None, None)),
    (GROOVY, "android.defaultConfig.minSdkVersion 21\nandroid.compileSdkVersion = 30", {}, (21, None, 30)),
    (GROOVY, "android { defaultConfig { minSdkVersion computeMinSdk() } }", {}, (None, None, None)),
    (KTS, "android { compileSdk = 34\n defaultConfig { minSdk = 24; targetSdk = 34 } }", {}, (24, 34, 34)),
    (KTS, "android { compileSdkVersion(33)\n defaultConfig { minSdkVersion(21); targetSdkVersion(33) } }",
     {}, (21, 33, 33)),
    (KTS, 'android { compileSdkVersion("android-34") }', {}, (None, None, 34)),
    (KTS, "val min = 21\nandroid { defaultConfig { minSdk = min } }", {}, (21, None, None)),
    (KTS, 'extra["minSdk"] = 22\nandroid { defaultConfig { minSdk = extra["minSdk"] as Int } }', {}, (22, None, None)),
    (KTS, 'val target by extra(33)\nandroid { defaultConfig { targetSdk = target } }', {}, (None, 33, None)),
    (KTS, "android { compileSdk = libs.versions.compileSdk.get().toInt()\n"
          " defaultConfig { minSdk = libs.versions.minSdk.get().toInt() } }", {}, (23, None, 34)),
    (KTS, 'android { defaultConfig { minSdk = (property("minSdk") as String).toInt() } }',
     {"minSdk": "27"}, (27, None, None)),
    (KTS, 'val minSdkVer: String by project\nandroid { defaultConfig { minSdk = minSdkVer.toInt() } }',
     {"minSdkVer": "28"}, (28, None, None)),
    (KTS, 'android { defaultConfig { minSdk = providers.gradleProperty("minSdk").get().toInt() } }',
     {"minSdk": "29"}, (29, None, None)),
    (KTS, "android { compileSdk { version = release(36) } }", {}, (None, None, 36)),
    (KTS, "android.defaultConfig.minSdk = 21", {}, (21, None, None)),
    (KTS, "android { defaultConfig { minSdk = computeMinSdk() } }", {}, (None, None, None)),
    (KTS, 'android { defaultConfig { minSdk = if (ci) 21 else 23 } }', {}, (None, None, None)),
    (KTS, "android { productFlavors { create(\"x\") { minSdk = 30 } } }", {}, (None, None, None)),
]


@pytest.mark.parametrize(("path", "source", "properties", "expected"), SDK_CASES)
def test_sdk_levels(
    path: Path, source: str, properties: dict[str, str], expected: tuple, catalog: VersionCatalog
) -> None:
    script = build(source, path, catalog, **properties)
    assert (script.min_sdk, script.target_sdk, script.compile_sdk) == expected
    assert script.errors == ()


IDENTITY_CASES = [
    (GROOVY, "android { namespace 'com.x'\n defaultConfig { applicationId 'com.x.app' } }", ("com.x", "com.x.app")),
    (GROOVY, "android { namespace = 'com.x'\n defaultConfig { applicationId = 'com.x.app' } }", ("com.x", "com.x.app")),
    (GROOVY, "def base = 'com.x'\nandroid { namespace \"$base\"\n defaultConfig { applicationId \"${base}.app\" } }",
     ("com.x", "com.x.app")),
    (KTS, 'android { namespace = "com.x"\n defaultConfig { applicationId = "com.x.app" } }', ("com.x", "com.x.app")),
    (KTS, 'val base = "com.x"\nandroid { namespace = base\n defaultConfig { applicationId = "$base.app" } }',
     ("com.x", "com.x.app")),
    (KTS, 'android { defaultConfig { applicationId = "com.$unknown" } }', (None, "com.$unknown")),
]


@pytest.mark.parametrize(("path", "source", "expected"), IDENTITY_CASES)
def test_namespace_and_application_id(path: Path, source: str, expected: tuple) -> None:
    script = build(source, path)
    assert (script.namespace, script.application_id) == expected


CONTAINER_CASES = [
    (GROOVY, "android { productFlavors { free { } paid { } }\n buildTypes { release { } debug { } } }",
     ("free", "paid"), ("release", "debug")),
    (GROOVY, "android {\n productFlavors {\n  free {\n   dimension 'tier'\n  }\n  paid {}\n }\n}",
     ("free", "paid"), ()),
    (GROOVY, "android { buildTypes { create('staging') { }\n maybeCreate('qa')\n all { } } }", (), ("staging", "qa")),
    (GROOVY, "android { buildTypes.release { minifyEnabled true } }", (), ("release",)),
    (KTS, 'android { productFlavors { create("free") { dimension = "tier" }; register("paid") } }',
     ("free", "paid"), ()),
    (KTS, 'android { buildTypes { getByName("release") { }\n release { }\n named("debug") { } } }',
     (), ("release", "debug")),
    (KTS, 'android { buildTypes.getByName("debug").apply { isDebuggable = true } }', (), ("debug",)),
    (KTS, "android { buildTypes { val staging by creating { } } }", (), ("staging",)),
    (KTS, "android { buildTypes { configureEach { } } }", (), ()),
    (KTS, 'android { defaultConfig { } }\nbuildTypes { create("notAndroid") }', (), ()),
]


@pytest.mark.parametrize(("path", "source", "flavors", "build_types"), CONTAINER_CASES)
def test_flavors_and_build_types(path: Path, source: str, flavors: tuple, build_types: tuple) -> None:
    script = build(source, path)
    assert (script.flavors, script.build_types) == (flavors, build_types)


# -- dependencies -----------------------------------------------------------------------------------


def dep(configuration: str = "implementation", group: str | None = None, name: str | None = None,
        version: str | None = None, *, project: str | None = None, alias: str | None = None,
        files: str | None = None, platform: bool = False) -> tuple:
    return (configuration, group, name, version, project, alias, files, platform)


def facts(dependency: Dependency) -> tuple:
    d = dependency
    return (d.configuration, d.group, d.name, d.version, d.project, d.catalog_alias, d.files, d.platform)


DEPENDENCY_CASES = [
    ("'g:n:1'", '"g:n:1"', [dep("implementation", "g", "n", "1")]),
    ("'g:n'", '"g:n"', [dep("implementation", "g", "n")]),
    ("'g:n:1@aar'", '"g:n:1@aar"', [dep("implementation", "g", "n", "1")]),
    ("\"g:n:$v\"", '"g:n:$v"', [dep("implementation", "g", "n", "9")]),
    ("\"g:n:${v}\"", '"g:n:${v}"', [dep("implementation", "g", "n", "9")]),
    ("\"g:n:$missing\"", '"g:n:$missing"', [dep("implementation", "g", "n", "$missing")]),
    ("project(':core')", 'project(":core")', [dep(project=":core")]),
    ("project(path: ':core')", 'project(path = ":core")', [dep(project=":core")]),
    ("projects.feature.login", "projects.feature.login", [dep(project=":feature:login")]),
    ("libs.firebase.analytics", "libs.firebase.analytics",
     [dep("implementation", "com.google.firebase", "firebase-analytics", alias="firebase.analytics")]),
    ("libs.androidx.core.ktx", "libs.androidx.core.ktx",
     [dep("implementation", "androidx.core", "core-ktx", "1.12.0", alias="androidx.core.ktx")]),
    ("libs.not.there", "libs.not.there", [dep(alias="not.there")]),
    ("libs.bundles.network", "libs.bundles.network",
     [dep("implementation", "com.squareup.okhttp3", "okhttp", "4.12.0", alias="okhttp"),
      dep("implementation", "androidx.core", "core-ktx", "1.12.0", alias="androidx.core.ktx")]),
    ("platform(libs.firebase.bom)", "platform(libs.firebase.bom)",
     [dep("implementation", "com.google.firebase", "firebase-bom", "32.7.0", alias="firebase.bom", platform=True)]),
    ("platform('g:bom:1')", 'platform("g:bom:1")', [dep("implementation", "g", "bom", "1", platform=True)]),
    ("enforcedPlatform('g:bom:1')", 'enforcedPlatform("g:bom:1")',
     [dep("implementation", "g", "bom", "1", platform=True)]),
    ("group: 'g', name: 'n', version: 'v'", 'group = "g", name = "n", version = "v"',
     [dep("implementation", "g", "n", "v")]),
    ("fileTree(dir: 'libs', include: ['*.jar'])", 'fileTree(mapOf("dir" to "libs", "include" to listOf("*.jar")))',
     [dep(files="libs")]),
    ("fileTree('libs')", 'fileTree("libs")', [dep(files="libs")]),
    ("files('libs/a.jar', 'libs/b.jar')", 'files("libs/a.jar", "libs/b.jar")',
     [dep(files="libs/a.jar"), dep(files="libs/b.jar")]),
    ("lib", "lib", [dep("implementation", "x", "lib", "2")]),
    ("kotlin('stdlib')", 'kotlin("stdlib")', [dep("implementation", "org.jetbrains.kotlin", "kotlin-stdlib")]),
    ("'a:b:1', 'c:d:2'", '"a:b:1", "c:d:2"',
     [dep("implementation", "a", "b", "1"), dep("implementation", "c", "d", "2")]),
    ("gradleApi()", "gradleApi()", [dep()]),
]


@pytest.mark.parametrize(("groovy", "kotlin", "expected"), DEPENDENCY_CASES, ids=[g for g, _, _ in DEPENDENCY_CASES])
def test_dependency_notations(groovy: str, kotlin: str, expected: list[tuple], catalog: VersionCatalog) -> None:
    groovy_script = build(f"def v = '9'\ndef lib = 'x:lib:2'\ndependencies {{\n  implementation {groovy}\n}}\n",
                          GROOVY, catalog)
    kts_script = build(f'val v = "9"\nval lib = "x:lib:2"\ndependencies {{\n  implementation({kotlin})\n}}\n',
                       KTS, catalog)
    assert [facts(d) for d in groovy_script.dependencies] == expected
    assert [facts(d) for d in kts_script.dependencies] == expected
    assert groovy_script.errors == () and kts_script.errors == ()


CONFIGURATION_CASES = [
    (GROOVY, "dependencies { freeImplementation 'a:b:1' }", ["freeImplementation"]),
    (GROOVY, "dependencies { kapt 'a:b:1'\n debugImplementation 'a:b:1'\n testImplementation 'a:b:1' }",
     ["kapt", "debugImplementation", "testImplementation"]),
    (GROOVY, "buildscript { dependencies { classpath 'com.android.tools.build:gradle:8.1.0' } }", ["classpath"]),
    (GROOVY, "dependencies { implementation('a:b:1') { exclude group: 'x' } }", ["implementation"]),
    (GROOVY, "dependencies { androidTestImplementation('a:b:1', { exclude group: 'x' }) }",
     ["androidTestImplementation"]),
    (GROOVY, "dependencies { add('implementation', 'a:b:1') }", ["implementation"]),
    (GROOVY, "dependencies.add('api', 'a:b:1')", ["api"]),
    (GROOVY, "allprojects { dependencies { implementation 'a:b:1' } }", []),
    (GROOVY, "dependencies { constraints { implementation 'a:b:1' } }", []),
    (KTS, 'dependencies { "freeImplementation"("a:b:1") }', ["freeImplementation"]),
    (KTS, 'dependencies { add("ksp", "a:b:1") }', ["ksp"]),
    (KTS, 'dependencies { implementation("a:b:1") { isTransitive = false } }', ["implementation"]),
    (KTS, 'buildscript { dependencies { classpath("a:b:1") } }', ["classpath"]),
    (KTS, 'kotlin { sourceSets { androidMain.dependencies { implementation("a:b:1") } } }',
     ["androidMainImplementation"]),
    (KTS, 'kotlin { sourceSets { commonMain { dependencies { api("a:b:1") } } } }', ["commonMainApi"]),
    (KTS, 'subprojects { dependencies { implementation("a:b:1") } }', []),
]


@pytest.mark.parametrize(("path", "source", "expected"), CONFIGURATION_CASES)
def test_dependency_configurations(path: Path, source: str, expected: list[str]) -> None:
    script = build(source, path)
    assert [d.configuration for d in script.dependencies] == expected
    coordinates = {(d.group, d.name, d.version) for d in script.dependencies if d.configuration != "classpath"}
    assert coordinates <= {("a", "b", "1")}


@pytest.mark.parametrize(
    ("path", "source"),
    [
        (GROOVY, "dependencies {\n  def lifecycle = '2.6.1'\n  implementation \"a:b:$lifecycle\"\n}"),
        (KTS, 'dependencies {\n  val lifecycle = "2.6.1"\n  implementation("a:b:$lifecycle")\n}'),
        (KTS, 'dependencies {\n  val bom = platform("a:b:2.6.1")\n  implementation(bom)\n}'),
        (GROOVY, "ext.deps = [b: 'a:b:2.6.1']\ndependencies { implementation deps.b }"),
        (GROOVY, "buildscript { ext { v = '2.6.1' } }\ndependencies { implementation \"a:b:${v}\" }"),
        (KTS, 'val v by extra("2.6.1")\ndependencies { implementation("a:b:$v") }'),
        (KTS, 'extra.set("v", "2.6.1")\ndependencies { implementation("a:b:${extra["v"]}") }'),
    ],
)
def test_dependency_versions_through_variables(path: Path, source: str) -> None:
    (dependency,) = build(source, path).dependencies
    assert dependency.coordinate == "a:b:2.6.1"


def test_dependency_positions() -> None:
    groovy = build("dependencies {\n    implementation 'a:b:1'\n}\n", GROOVY)
    kts = build('dependencies {\n    implementation("a:b:1")\n}\n', KTS)
    assert [(d.line, d.column) for d in groovy.dependencies] == [(2, 5)]
    assert [(d.line, d.column) for d in kts.dependencies] == [(2, 5)]


# -- realistic fixtures ---------------------------------------------------------------------------


def test_groovy_fixture_build_script() -> None:
    path = FIXTURES / "app.build.gradle"
    script = read_build_script(path, path.read_text(), properties={"compileSdkVersion": "34"})
    assert script.errors == ()
    assert script.plugins == ("com.android.application", "kotlin-android", "kotlin-kapt")
    assert script.is_application and not script.is_library
    assert (script.namespace, script.application_id) == ("com.example.groovyapp", "com.example.groovyapp")
    assert (script.min_sdk, script.target_sdk, script.compile_sdk) == (21, 33, 34)
    assert script.flavors == ("free", "paid")
    assert script.build_types == ("release", "debug")
    coordinates = [(d.configuration, d.coordinate or d.project or d.files) for d in script.dependencies]
    assert coordinates == [
        ("classpath", "com.android.tools.build:gradle:8.1.0"),
        ("classpath", "org.jetbrains.kotlin:kotlin-gradle-plugin:1.9.0"),
        ("implementation", "libs"),
        ("implementation", "org.jetbrains.kotlin:kotlin-stdlib:1.9.0"),
        ("implementation", "androidx.appcompat:appcompat:1.6.1"),
        ("implementation", ":lib"),
        ("implementation", "com.google.firebase:firebase-bom:32.7.0"),
        ("implementation", "com.google.firebase:firebase-analytics"),
        ("implementation", "com.squareup.okhttp3:okhttp:4.12.0"),
        ("kapt", "com.google.dagger:dagger-compiler:2.48"),
        ("freeImplementation", "com.google.android.gms:play-services-ads:22.6.0"),
        ("debugImplementation", "com.squareup.leakcanary:leakcanary-android:2.12"),
        ("testImplementation", "junit:junit:4.13.2"),
        ("androidTestImplementation", "androidx.test.espresso:espresso-core:3.5.1"),
    ]
    assert [d.platform for d in script.dependencies].count(True) == 1


def test_kts_fixture_build_script() -> None:
    catalog_path = FIXTURES / "libs.versions.toml"
    fixture_catalog = read_version_catalog(catalog_path, catalog_path.read_text())
    assert fixture_catalog.errors == ()
    path = FIXTURES / "app.build.gradle.kts"
    script = read_build_script(path, path.read_text(), fixture_catalog)
    assert script.errors == ()
    assert script.plugins == (
        "com.android.application", "org.jetbrains.kotlin.android", "org.jetbrains.kotlin.kapt",
        "com.google.gms.google-services", "maven-publish",
    )
    assert (script.namespace, script.application_id) == ("com.example.ktsapp", "com.example.ktsapp")
    assert (script.min_sdk, script.target_sdk, script.compile_sdk) == (24, 34, 34)
    assert script.flavors == ("google", "huawei")
    assert script.build_types == ("release", "staging")
    rows = [(d.configuration, d.coordinate or d.project or d.files, d.catalog_alias, d.platform)
            for d in script.dependencies]
    assert rows == [
        ("implementation", ":core", None, False),
        ("implementation", "androidx.core:core-ktx:1.12.0", "androidx.core.ktx", False),
        ("implementation", "androidx.compose.ui:ui", "compose.ui", False),
        ("implementation", "androidx.compose.material3:material3", "compose.material3", False),
        ("implementation", "com.google.firebase:firebase-bom:32.7.0", "firebase.bom", True),
        ("implementation", "com.google.firebase:firebase-analytics", "firebase.analytics", False),
        ("implementation", "com.squareup.retrofit2:retrofit:2.9.0", None, False),
        ("implementation", "libs", None, False),
        ("googleImplementation", "com.google.android.gms:play-services-location:21.0.1", None, False),
        ("kapt", "com.google.dagger:hilt-compiler:2.48", None, False),
        ("testImplementation", "junit:junit:4.13.2", "junit", False),
    ]


# -- settings -------------------------------------------------------------------------------------

SETTINGS_CASES = [
    ("settings.gradle", "include ':app', ':core'", (":app", ":core")),
    ("settings.gradle", "include ':app'\ninclude ':core'\ninclude ':feature:login'",
     (":app", ":core", ":feature:login")),
    ("settings.gradle", "include 'app'", (":app",)),
    ("settings.gradle", "include('app', 'lib')", (":app", ":lib")),
    ("settings.gradle", "include(['a', 'b'])", (":a", ":b")),
    ("settings.gradle", "def name = 'dyn'\ninclude \":$name\"", (":dyn",)),
    ("settings.gradle", "if (ci) { include ':ci' } else { include ':local' }", (":ci", ":local")),
    ("settings.gradle.kts", 'include(":app", ":core")', (":app", ":core")),
    ("settings.gradle.kts", 'include(":app")\ninclude(":core")', (":app", ":core")),
    ("settings.gradle.kts", 'include("app")', (":app",)),
    ("settings.gradle.kts", 'include(\n    ":a",\n    ":b",\n)', (":a", ":b")),
    ("settings.gradle.kts", 'listOf(":x").forEach { include(it) }', (":x",)),  # a loop over a spelled-out list
]


@pytest.mark.parametrize(("name", "source", "expected"), SETTINGS_CASES)
def test_settings_includes(name: str, source: str, expected: tuple[str, ...]) -> None:
    settings = read_settings(Path(name), source)
    assert settings.includes == expected
    assert settings.errors == ()


PROJECT_DIR_CASES = [
    ("settings.gradle", "project(':x').projectDir = file('libs/x')", {":x": "libs/x"}),
    ("settings.gradle", "project(':x').projectDir = new File(rootDir, 'libs/x')", {":x": "libs/x"}),
    ("settings.gradle", "project(':x').projectDir = new File(settingsDir, '../shared/x')", {":x": "../shared/x"}),
    ("settings.gradle", "project(':x').projectDir = file(\"$rootDir/libs/x\")", {":x": "libs/x"}),
    ("settings.gradle", "project('x').projectDir = file('libs/x')", {":x": "libs/x"}),
    ("settings.gradle.kts", 'project(":x").projectDir = file("libs/x")', {":x": "libs/x"}),
    ("settings.gradle.kts", 'project(":x").projectDir = File(rootDir, "libs/x")', {":x": "libs/x"}),
    ("settings.gradle.kts", 'project(":a:b").projectDir = file("modules/b")', {":a:b": "modules/b"}),
    # a child of a project whose folder moved lives in that folder
    ("settings.gradle", "include ':a', ':a:b'\nproject(':a').projectDir = file('libs/a')",
     {":a": "libs/a", ":a:b": "libs/a/b"}),
]


RENAME_CASES = [
    # `project(':x').name = 'Y'` makes the project `:Y` and keeps its folder; its children follow (OneSignal's SDK)
    ("settings.gradle", "include ':onesignal'\nproject(':onesignal').name = \"OneSignal\"\ninclude ':OneSignal:core'\n",
     (":OneSignal", ":OneSignal:core"), {":OneSignal": "onesignal", ":OneSignal:core": "onesignal/core"}),
    ("settings.gradle.kts", 'include(":lib")\nproject(":lib").name = "library"\n', (":library",), {":library": "lib"}),
    # a rename with a folder of its own
    ("settings.gradle", "include ':x'\nproject(':x').name = 'core'\nproject(':x').projectDir = file('libs/x')\n",
     (":core",), {":x": "libs/x", ":core": "libs/x"}),
    # no rename: the folder is the path
    ("settings.gradle", "include ':a:b'\n", (":a:b",), {}),
]


@pytest.mark.parametrize(("name", "source", "includes", "dirs"), RENAME_CASES)
def test_settings_renames(name: str, source: str, includes: tuple[str, ...], dirs: dict[str, str]) -> None:
    settings = read_settings(Path(name), source)
    assert (settings.includes, settings.project_dirs) == (includes, dirs)


@pytest.mark.parametrize(("name", "source", "expected"), PROJECT_DIR_CASES)
def test_settings_project_dirs(name: str, source: str, expected: dict[str, str]) -> None:
    assert read_settings(Path(name), source).project_dirs == expected


def test_settings_full_kts() -> None:
    source = dedent("""\
        pluginManagement {
            repositories { google(); mavenCentral(); gradlePluginPortal() }
            plugins { id("com.android.application") version "8.2.0" }
        }
        dependencyResolutionManagement {
            repositoriesMode.set(RepositoriesMode.FAIL_ON_PROJECT_REPOS)
            versionCatalogs {
                create("libs") { from(files("gradle/libs.versions.toml")) }
                create("deps") { from(files("../shared/deps.versions.toml")) }
            }
        }
        rootProject.name = "My App"
        include(":app")
        include(":core")
        """)
    settings = read_settings(Path("settings.gradle.kts"), source)
    assert settings.root_name == "My App"
    assert settings.includes == (":app", ":core")
    assert settings.catalog_files == ("../shared/deps.versions.toml",)
    assert settings.errors == ()


def test_settings_full_groovy() -> None:
    source = dedent("""\
        pluginManagement { repositories { google() } }
        dependencyResolutionManagement {
            versionCatalogs { tools { from(files('gradle/tools.versions.toml')) } }
        }
        rootProject.name = 'legacy'
        include ':app', ':lib'
        project(':lib').projectDir = new File(rootDir, 'third_party/lib')
        """)
    settings = read_settings(Path("settings.gradle"), source)
    assert settings.root_name == "legacy"
    assert settings.includes == (":app", ":lib")
    assert settings.project_dirs == {":lib": "third_party/lib"}
    assert settings.catalog_files == ("gradle/tools.versions.toml",)


# -- version catalogs ------------------------------------------------------------------------------


def test_version_catalog_library_forms() -> None:
    path = FIXTURES / "libs.versions.toml"
    result = read_version_catalog(path, path.read_text())
    assert result.errors == ()
    assert result.libraries["androidx.core.ktx"] == CatalogLibrary(
        "androidx.core.ktx", "androidx.core", "core-ktx", "1.12.0"
    )
    assert result.libraries["compose.bom"].version == "2024.02.00"  # version.ref
    assert result.libraries["compose.ui"] == CatalogLibrary("compose.ui", "androidx.compose.ui", "ui", None)
    assert result.libraries["firebase.bom"].version == "32.7.0"  # ref to a rich version
    assert result.libraries["junit"] == CatalogLibrary("junit", "junit", "junit", "4.13.2")  # plain string
    assert result.libraries["kotlin.stdlib"].version == "1.9.22"  # inline rich version, '_' normalised
    assert result.bundles["compose"] == ("compose.ui", "compose.material3")
    assert result.plugins == {
        "android.application": "com.android.application",
        "android.library": "com.android.library",
        "kotlin.android": "org.jetbrains.kotlin.android",
    }
    assert result.versions["minSdk"] == "24"


@pytest.mark.parametrize(
    ("ref", "expected"),
    [
        ("libs.firebase.analytics", "firebase-analytics"),
        ("firebase.analytics", "firebase-analytics"),
        ("firebase-analytics", "firebase-analytics"),
        ("libs.nope", None),
    ],
)
def test_version_catalog_library_lookup(ref: str, expected: str | None, catalog: VersionCatalog) -> None:
    library = catalog.library(ref)
    assert (library.name if library else None) == expected


def test_version_catalog_plugin_lookup(catalog: VersionCatalog) -> None:
    assert catalog.resolve_plugin("libs.plugins.android.application") == "com.android.application"
    assert catalog.resolve_plugin("android.library") == "com.android.library"
    assert catalog.resolve_plugin("libs.plugins.nope") is None


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("[versions]\nagp = \n", 2),
        ("[libraries]\nx = { module = 'a:b' \n", 2),
        ("[libraries\n", 1),
    ],
)
def test_version_catalog_invalid_toml_reports_position(text: str, line: int) -> None:
    result = read_version_catalog(Path("libs.versions.toml"), text)
    assert result.libraries == {} and len(result.errors) == 1
    assert result.errors[0].line == line


def test_version_catalog_semantic_errors_do_not_raise() -> None:
    text = dedent("""\
        libraries = 3
        [versions]
        a = 1
        [plugins]
        p = { version = "1" }
        [bundles]
        b = ["missing"]
        c = "not-a-list"
        """)
    result = read_version_catalog(Path("libs.versions.toml"), text)
    assert result.libraries == {} and result.plugins == {}
    assert len(result.errors) >= 4

    text = '[libraries]\nx = { module = "a:b", version.ref = "nope" }\ny = { group = "g" }\nz = "bad"\n'
    result = read_version_catalog(Path("libs.versions.toml"), text)
    assert result.libraries["x"].version is None
    assert set(result.libraries) == {"x"}
    assert [e.line for e in result.errors] == [2, 3, 4]


# -- robustness -----------------------------------------------------------------------------------

BROKEN_GROOVY = """\
plugins {
    id 'com.android.application'
}
android {
    namespace 'com.broken'
    defaultConfig {
        minSdkVersion 21
        targetSdkVersion 'unterminated
    buildTypes { release { } }
}
dependencies {
    implementation 'a:b:1'
    implementation('c:d:2'
    ]]] @@@ \x00\x07 garbage ))))
    implementation 'e:f:3'
}
"""

BROKEN_KTS = """\
plugins {
    id("com.android.application")
}
android {
    namespace = "com.broken"
    defaultConfig {
        minSdk = 21
        targetSdk = "unterminated
    buildTypes { release { } }
}
dependencies {
    implementation("a:b:1")
    implementation("c:d:2"
    ]]] @@@ \x00\x07 garbage ))))
    implementation("e:f:3")
}
"""


@pytest.mark.parametrize(("path", "source"), [(GROOVY, BROKEN_GROOVY), (KTS, BROKEN_KTS)])
def test_broken_build_script_gives_partial_facts_and_errors(path: Path, source: str) -> None:
    script = read_build_script(path, source)
    assert script.errors
    assert all(e.line >= 1 and e.column >= 1 for e in script.errors)
    assert not any("internal" in e.message for e in script.errors)
    assert script.plugins == ("com.android.application",)
    assert script.namespace == "com.broken"
    assert script.min_sdk == 21
    coordinates = [d.coordinate for d in script.dependencies]
    assert "a:b:1" in coordinates and "e:f:3" in coordinates


@pytest.mark.parametrize(
    "source",
    [
        "",
        "}",
        "{{{{",
        "((((",
        "'",
        '"""',
        "/*",
        "android {",
        "dependencies { implementation project(",
        "\x00\xff\ufffd",
        "a = = = b",
        "x.y.",
        "@",
        "def",
        "def (",
        "if (",
        "else",
        "[1, 2",
        "foo bar baz qux",
        "include ':a',",
        "`unterminated",
        "$/dollar slashy/$",
        "a ?.",
        "1.2.3.4",
        "new",
        "class",
        "\\\n",
        "@a " * 3000,
        "a." * 3000,
        "a.b().c" * 1000,
        "x = 1 + " * 3000,
        "x = a to " * 3000,
        "else " * 100,
    ],
)
@pytest.mark.parametrize("path", [GROOVY, KTS])
def test_degenerate_inputs_never_raise(path: Path, source: str) -> None:
    script = read_build_script(path, source)
    settings = read_settings(path, source)
    assert not any("internal" in e.message for e in script.errors + settings.errors)


@pytest.mark.parametrize(
    "opener", ["{", "(", "[", "foo {", "a(", "[[", "x = (", "if (a) ", "for (x) ", "-", "!", "x = a ? "]
)
@pytest.mark.parametrize("parse", [parse_groovy, parse_kts])
def test_deep_nesting_is_bounded(opener: str, parse) -> None:  # type: ignore[no-untyped-def]
    script = parse(opener * 5000)
    assert script.errors
    assert not any("internal" in e.message for e in script.errors)


@pytest.mark.parametrize("parse", [parse_groovy, parse_kts])
def test_nesting_limit_is_reported_and_the_ast_stays_shallow(parse) -> None:  # type: ignore[no-untyped-def]
    assert parse("x = " + "a(" * 60 + ")" * 60).errors == ()
    assert parse("a {\n" * 60 + "}\n" * 60).errors == ()
    for source in ("x = " + "a(" * 150 + ")" * 150, "a {\n" * 150 + "}\n" * 150, "x = " + "[" * 150 + "]" * 150):
        script = parse(source)
        assert any("nesting deeper" in e.message for e in script.errors)
        assert repr(script) and script == parse(source) and hash(script)  # recursive dataclass methods are safe


def test_error_count_is_capped() -> None:
    script = parse_groovy("a {\n" * 2000)
    assert 1 < len(script.errors) <= 101
    assert "too many" in script.errors[-1].message


def _mutations(source: str, count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    alphabet = "{}()[]'\"\\/$*.,:;=\n \t@#`~?!<>+-0123456789abcXYZ\x00\u00e9\u4e2d"
    out = []
    for _ in range(count):
        chars = list(source)
        for _ in range(rng.randint(1, 8)):
            op = rng.random()
            position = rng.randrange(len(chars) + 1)
            if op < 0.4 and chars:
                del chars[min(position, len(chars) - 1) : position + rng.randint(1, 12)]
            elif op < 0.8:
                chars[position:position] = rng.choice(alphabet) * rng.randint(1, 3)
            else:  # duplicate a slice somewhere else
                start = rng.randrange(len(chars) or 1)
                chars[position:position] = chars[start : start + rng.randint(1, 40)]
        out.append("".join(chars))
    return out


@pytest.mark.parametrize(
    ("path", "fixture"),
    [(GROOVY, "app.build.gradle"), (KTS, "app.build.gradle.kts")],
)
def test_random_mutations_never_raise(path: Path, fixture: str, catalog: VersionCatalog) -> None:
    source = (FIXTURES / fixture).read_text()
    for mutated in _mutations(source, 100, seed=20240611):
        script = read_build_script(path, mutated, catalog)
        assert not any("internal" in e.message for e in script.errors), mutated
        settings = read_settings(path, mutated)
        assert not any("internal" in e.message for e in settings.errors), mutated


def test_tree_sitter_time_budget_falls_back_to_the_tolerant_parser() -> None:
    """A stray backtick makes tree-sitter-kotlin's error recovery run for ~30 s on this small file."""
    path = FIXTURES / "pathological.gradle.kts"
    script = read_build_script(path, path.read_text())  # without the budget: ~30 s (pytest-timeout fails it)
    assert "fallback" in script.errors[0].message
    assert script.plugins == ("com.android.application",)
    assert [d.configuration for d in script.dependencies][-3:] == ["googleImplementation", "kapt", "testImplementation"]


def test_bytes_that_are_not_utf8_are_tolerated() -> None:
    data = b"android { namespace '\xff\xfe' }\ndependencies { implementation 'a:b:1' }\n"
    assert parse_groovy(data).statements
    assert parse_kts(data).statements


@pytest.mark.parametrize(("path", "fixture"), [(GROOVY, "app.build.gradle"), (KTS, "app.build.gradle.kts")])
def test_large_build_script_is_read_whole(path: Path, fixture: str) -> None:
    """Speed is measured in benchmarks/, not here; this checks that nothing of a long script is dropped."""
    source = (FIXTURES / fixture).read_text()
    copies = 5000 // source.count("\n") + 1
    parse = parse_kts if path.suffix == ".kts" else parse_groovy
    assert len(parse("\n".join([source] * copies)).statements) == copies * len(parse(source).statements)


@pytest.mark.parametrize(("path", "text"), [
    (GROOVY, 'android {\n defaultConfig { buildConfigField "boolean", "ANALYTICS", "true" }\n buildTypes {\n'
             '  release { buildConfigField "boolean", "LOG_DEBUG", "false" }\n'
             '  debug { buildConfigField "boolean", "LOG_DEBUG", "true" }\n'
             '  staging { initWith debug; buildConfigField "boolean", "TRACE", "true" }\n }\n'
             ' productFlavors { china { buildConfigField "boolean", "ANALYTICS", "false" } }\n}\n'),
    (KTS, 'android {\n defaultConfig { buildConfigField("boolean", "ANALYTICS", "true") }\n buildTypes {\n'
          '  getByName("release") { buildConfigField("boolean", "LOG_DEBUG", "false") }\n'
          '  getByName("debug") { buildConfigField("boolean", "LOG_DEBUG", "true") }\n'
          '  create("staging") { initWith(getByName("debug")); buildConfigField("boolean", "TRACE", "true") }\n }\n'
          ' productFlavors { create("china") { buildConfigField("boolean", "ANALYTICS", "false") } }\n}\n'),
])
def test_build_config_flags_off_in_shipped_builds(path: Path, text: str) -> None:
    """DEBUG, and a field false in every non-debuggable build type; ANALYTICS is on by default, TRACE only in a
    debuggable build type (so not declared false anywhere that ships: kept as possibly on)."""
    script = read_build_script(path, text)
    assert ("buildType:release", "LOG_DEBUG", False) in script.build_config_flags
    assert script.flags_off_when_shipped() == {"DEBUG", "LOG_DEBUG"}


@pytest.mark.parametrize(("name", "text"), [
    ("build.gradle", "dependencies {\n    implementation Libs.FIREBASE\n    api Deps.Push.jpush\n}\n"),
    ("build.gradle.kts", "dependencies {\n    implementation(Libs.FIREBASE)\n    api(Deps.Push.jpush)\n}\n"),
])
def test_unresolved_reference_notation_is_kept(name: str, text: str) -> None:
    from pipl_lint.project.gradle import resolve_reference

    deps = read_build_script(Path(name), text).dependencies
    assert [(d.reference, d.group) for d in deps] == [("Libs.FIREBASE", None), ("Deps.Push.jpush", None)]
    values = {"Libs.FIREBASE": "com.google.firebase:firebase-analytics:22.1.0", "Deps.Push.jpush": "1.0"}
    resolved = [resolve_reference(d, values) for d in deps]
    assert resolved[0].coordinate == "com.google.firebase:firebase-analytics:22.1.0"
    assert resolved[1] == deps[1]  # not a coordinate: left as it was


SCRIPT_FUNCTION = """\
    plugins { id("com.android.application") }
    dependencies {
        implementation("androidx.core:core-ktx:1.12.0")
        firebaseDependencies(true)
    }
    fun DependencyHandlerScope.firebaseDependencies(enabled: Boolean) {
        if (enabled) {
            implementation("com.google.firebase:firebase-analytics:22.1.2")
        } else {
            compileOnly("com.google.firebase:firebase-crashlytics:19.0.0")
        }
    }
    fun DependencyHandlerScope.neverCalled() {
        implementation("com.example:never:1.0")
    }
    fun version(): String = "1.0"
    """


def test_dependencies_declared_in_a_script_function_are_read_where_it_is_called() -> None:
    """`fun DependencyHandlerScope.x() { … }` called in `dependencies { }`: its body declares them there, both
    branches of its conditions; a function nothing calls declares nothing."""
    script = build(SCRIPT_FUNCTION, Path("app/build.gradle.kts"))
    declared = {(d.configuration, d.group, d.name) for d in script.dependencies if d.group}
    assert ("implementation", "com.google.firebase", "firebase-analytics") in declared
    assert ("compileOnly", "com.google.firebase", "firebase-crashlytics") in declared
    assert ("implementation", "androidx.core", "core-ktx") in declared
    assert not any(d.group == "com.example" for d in script.dependencies)
    assert script.errors == ()


def test_the_groovy_parser_keeps_a_kotlin_script_function_with_its_body() -> None:
    """The fallback parser (when tree-sitter gives up on a Kotlin script) keeps the same declaration."""
    script = parse_groovy(dedent(SCRIPT_FUNCTION))
    functions = {s.name: s for s in script.statements if isinstance(s, Call) and s.name.startswith("fun:")}
    assert set(functions) == {"fun:firebaseDependencies", "fun:neverCalled"}  # `= expression` bodies are skipped
    assert functions["fun:firebaseDependencies"].receiver == "DependencyHandlerScope"
    assert [c.name for c in walk_calls(functions["fun:firebaseDependencies"].closure or ())] == \
        ["implementation", "compileOnly"]
