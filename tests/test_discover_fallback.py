"""Discovery degrades, never disappears: a settings file that cannot be read fully keeps the modules it
names that were read, adds every folder with a build file or an AndroidManifest.xml and sources, and says
so in a note naming the settings file. Also the Groovy forms that used to lose the whole module list."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipl_lint.project.discover import discover
from pipl_lint.project.files import FileReader
from pipl_lint.project.gradle import read_settings
from tests.conftest import BARE_MANIFEST, write_tree

APP = {
    "app/build.gradle": "apply plugin: 'com.android.application'\n",
    "app/src/main/AndroidManifest.xml": BARE_MANIFEST,
    "app/src/main/java/com/acme/App.java": "package com.acme; class App {}",
    "lib/build.gradle.kts": "plugins { id(\"com.android.library\") }\n",
    "lib/src/main/java/com/acme/Lib.java": "package com.acme; class Lib {}",
    "eclipse-lib/AndroidManifest.xml": BARE_MANIFEST,
    "eclipse-lib/src/com/acme/Old.java": "package com.acme; class Old {}",
    "docs/AndroidManifest.xml": BARE_MANIFEST,  # a manifest without sources is not a module
    "buildSrc/build.gradle.kts": "plugins { `kotlin-dsl` }\n",
    "build-logic/convention/build.gradle.kts": "plugins { `kotlin-dsl` }\n",
    "tools/other-build/settings.gradle": "include ':x'\n",
    "tools/other-build/x/build.gradle": "apply plugin: 'java'\n",
}


# An app module with AMap's privacy agreement hard-coded to true (EC103), for the end-to-end discovery cases.
AMAP_APP = {
    "app/build.gradle": "apply plugin: 'com.android.application'\n"
                        "dependencies { implementation 'com.amap.api:location:6.4.0' }\n",
    "app/src/main/AndroidManifest.xml": '<manifest xmlns:android="http://schemas.android.com/apk/res/android" '
                                        'package="com.acme"><application android:name=".App"/></manifest>',
    "app/src/main/java/com/acme/App.java": (
        "package com.acme;\n"
        "import android.app.Application;\n"
        "import com.amap.api.location.AMapLocationClient;\n"
        "public class App extends Application {\n"
        "    @Override public void onCreate() {\n"
        "        super.onCreate();\n"
        "        AMapLocationClient.updatePrivacyShow(this, true, true);\n"
        "        AMapLocationClient.updatePrivacyAgree(this, true);\n"
        "    }\n"
        "}\n"),
}


def modules(root: Path) -> tuple[dict[str, Path], list[str]]:
    found = discover((root,), root, FileReader(root))
    main = next(p for p in found.projects if p.root == root)
    notes = [f"{d.path}: {d.message}" for d in found.diagnostics]
    return {m.name: m.dir for m in main.modules}, notes


@pytest.mark.parametrize("name, text, expected", [
    # Groovy passes the value of an assignment used as an argument: `include(':app', rootProject.name = 'X')`
    ("settings.gradle", "include ':app',\nrootProject.name='X'\n", (":app", ":X")),
    ("settings.gradle", "include ':app',\n\n    rootProject.name = 'X'\ninclude ':lib'\n", (":app", ":X", ":lib")),
    ("settings.gradle", "include ':app', // the app\n        ':lib' /* and its library */\n", (":app", ":lib")),
    ("settings.gradle", "def modules = [':app', ':lib']\ninclude(*modules)\n", (":app", ":lib")),
    ("settings.gradle.kts", "val m = listOf(\":app\", \":lib\")\ninclude(*m.toTypedArray())\n", (":app", ":lib")),
    ("settings.gradle", "gradle.ext.with {\n    include ':app'\n}\n", (":app",)),
    # loops over a list the script spells out
    ("settings.gradle", "['app', 'lib'].each { include \":$it\" }\n", (":app", ":lib")),
    ("settings.gradle", "['app', 'lib'].each { name -> include \":${name}\" }\n", (":app", ":lib")),
    ("settings.gradle.kts", "listOf(\":app\", \":lib\").forEach { include(it) }\n", (":app", ":lib")),
    ("settings.gradle.kts", 'val mods = listOf("app", "lib")\nmods.forEach { include(":$it") }\n', (":app", ":lib")),
])
def test_settings_forms(name: str, text: str, expected: tuple[str, ...]) -> None:
    settings = read_settings(Path(name), text)
    assert settings.includes == expected
    assert not settings.errors and not settings.unresolved_includes


def test_assignment_in_an_argument_list_is_also_an_assignment() -> None:
    settings = read_settings(Path("settings.gradle"), "include ':app',\nrootProject.name='X'\n")
    assert settings.root_name == "X"


def test_unparseable_settings_fall_back_to_the_folders(tmp_path: Path) -> None:
    write_tree(tmp_path, {**APP, "settings.gradle": "include ':app'\ninclude ':lib' +\n) broken (\n"})
    mods, notes = modules(tmp_path)
    assert set(mods) == {":app", ":lib", ":eclipse-lib"}
    assert mods[":eclipse-lib"] == tmp_path / "eclipse-lib"
    note = next(n for n in notes if "also analysed" in n)
    assert note.startswith("settings.gradle: settings could not be parsed fully; the modules it names that were "
                           "read (`:app`) are analysed; also analysed 2 folders")
    assert "`:lib`" in note and "`:eclipse-lib`" in note


def test_included_but_unevaluated_modules_fall_back_to_the_folders(tmp_path: Path) -> None:
    write_tree(tmp_path, {**APP, "settings.gradle": "file('.').eachDir { dir -> include \":${dir.name}\" }\n"})
    mods, notes = modules(tmp_path)
    assert set(mods) == {":app", ":lib", ":eclipse-lib"}
    assert any("cannot evaluate (`include` of `:${dir.name}`)" in n for n in notes)


def test_unreadable_settings_fall_back_to_the_folders(tmp_path: Path) -> None:
    write_tree(tmp_path, APP)
    (tmp_path / "settings.gradle").write_bytes(b"\x00\x01\x02binary\x00" * 50)
    mods, notes = modules(tmp_path)
    assert {":app", ":lib", ":eclipse-lib"} <= set(mods)
    assert any(n.startswith("settings.gradle: settings could not be read; also analysed") for n in notes)


def test_the_folders_are_scanned_only_when_the_settings_are_incomplete(tmp_path: Path) -> None:
    write_tree(tmp_path, {**APP, "settings.gradle": "include ':app'\n"})
    mods, notes = modules(tmp_path)
    assert set(mods) == {":app"}  # lib is not part of this build: Gradle would not build it either
    assert not any("settings" in n for n in notes)


def test_a_root_build_file_without_settings_reads_the_modules_below_it(tmp_path: Path) -> None:
    """A checkout or copy without settings.gradle: Gradle would build the root folder alone, and discovery used to
    read 0 source files and report the project clean. The modules below are read as one project, and said so."""
    write_tree(tmp_path, {**APP, "build.gradle": "buildscript { repositories { google() } }\n"})
    mods, notes = modules(tmp_path)
    assert set(mods) == {":app", ":lib", ":eclipse-lib"}  # not buildSrc, build-logic, docs or the other build
    assert notes == ["build.gradle: no settings.gradle[.kts] beside this build file, so Gradle would build this folder "
                     "alone; also analysed 3 folders below it with a build file or an AndroidManifest.xml and "
                     "sources, as modules of one project: `:app`, `:eclipse-lib`, `:lib`"]


def test_a_module_folder_alone_has_no_note(tmp_path: Path) -> None:
    write_tree(tmp_path, {k.removeprefix("app/"): v for k, v in APP.items() if k.startswith("app/")})
    mods, notes = modules(tmp_path)
    assert set(mods) == {":"} and notes == []


def test_a_project_without_settings_is_analysed_not_reported_clean(tmp_path: Path) -> None:
    import json

    from tests.test_cli import cli

    write_tree(tmp_path, {**AMAP_APP, "build.gradle": "buildscript { repositories { google() } }\n"})
    out = cli("check", ".", "--format", "json", "--no-cache", cwd=tmp_path)
    doc = json.loads(out.stdout)
    assert doc["summary"]["coverage"]["sources"]["read"] == 1
    assert any(f["rule"] == "EC103" for f in doc["findings"]) and out.returncode == 1
    assert [e["path"] for e in doc["errors"]] == ["build.gradle"]
    text = cli("check", ".", "--no-cache", "--format", "concise", cwd=tmp_path).stdout.splitlines()
    assert text[-1].endswith("read 1 source file, 1 manifest and 2 Gradle files in 1 module, 1 file not fully "
                             "analysed.")


def test_the_issue_case_end_to_end(tmp_path: Path) -> None:
    """`include ':app',` + `rootProject.name='X'` on the next line used to leave 0 source files read."""
    write_tree(tmp_path, {**APP, "settings.gradle": "include ':app',\nrootProject.name='X'\n"})
    mods, notes = modules(tmp_path)
    assert set(mods) == {":app"}
    # Gradle includes `:X` too (the assignment's value), a project with no folder: said, not hidden
    assert notes == ["settings.gradle: module `:X`: its folder `X` does not exist; not read"]


def test_the_issue_app_is_analysed_not_reported_clean(tmp_path: Path) -> None:
    """The reported app: a settings file ending `include ':app',` + `rootProject.name='X'` and AMap's privacy
    agreement hard-coded to true. It used to be "No problems found", exit 0, 0 source files read."""
    import json

    from tests.test_cli import cli

    write_tree(tmp_path, {**AMAP_APP, "settings.gradle": "include ':app',\nrootProject.name='X'\n"})
    out = cli("check", ".", "--format", "json", "--no-cache", cwd=tmp_path)
    doc = json.loads(out.stdout)
    assert doc["summary"]["coverage"]["sources"]["read"] == 1
    assert any(f["rule"] == "EC103" and f["path"] == "app/src/main/java/com/acme/App.java" for f in doc["findings"])
    assert out.returncode == 1


def test_a_renamed_project_and_its_children_are_read_from_their_folders(tmp_path: Path) -> None:
    """OneSignal's SDK: `include ':onesignal'`, `project(':onesignal').name = "OneSignal"`, then
    `include ':OneSignal:core'`, which Gradle lays out in `onesignal/core`. Discovery used to look for
    `OneSignal/core`, find nothing and read no source at all."""
    write_tree(tmp_path, {
        "settings.gradle": "include ':onesignal'\nproject(':onesignal').name = \"OneSignal\"\n"
                           "include ':OneSignal:core'\n",
        "onesignal/build.gradle": "apply plugin: 'com.android.library'\n",
        "onesignal/core/build.gradle": "apply plugin: 'com.android.library'\n",
        "onesignal/core/src/main/java/com/onesignal/Core.java": "package com.onesignal; class Core {}",
    })
    mods, notes = modules(tmp_path)
    assert mods == {":OneSignal": tmp_path / "onesignal", ":OneSignal:core": tmp_path / "onesignal" / "core"}
    assert notes == []


def test_an_included_module_without_a_folder_is_named_not_skipped(tmp_path: Path) -> None:
    """A module the settings include whose folder is missing (a submodule not checked out) is said, not
    silently left out of "what was read"."""
    write_tree(tmp_path, {**{k: v for k, v in APP.items() if k.startswith("app/")},
                          "settings.gradle": "include ':app', ':sdk'\n"})
    mods, notes = modules(tmp_path)
    assert set(mods) == {":app"}
    assert notes == ["settings.gradle: module `:sdk`: its folder `sdk` does not exist; not read"]
