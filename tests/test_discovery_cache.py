"""The cached discovery (issue 17): a warm run after any change to the project's layout reports exactly what a
cold run reports, and a warm run with nothing changed does not walk the tree again.

Each case writes a small Gradle project, sets every timestamp to a time in the past (a discovery made within
seconds of a change is not stored, see `discovery_cache._racy`), runs twice with the cache (the second run
must reuse the stored discovery), makes one change, and compares the cached run with `--no-cache`."""

from __future__ import annotations

import json
import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipl_lint.cli import app as cli_app
from pipl_lint.project import discovery_cache

SETTINGS = 'rootProject.name = "t"\ninclude(":app")\n'
BUILD = """plugins { id("com.android.application") }
android {
    namespace = "com.example.t"
}
"""
MANIFEST = """<manifest xmlns:android="http://schemas.android.com/apk/res/android">
    <application android:name="{name}" android:label="t" />
</manifest>
"""
APP = """package com.example.t

import android.app.Application

class App : Application() {
    override fun onCreate() {
        super.onCreate()
        Helper.start(this)
    }
}
"""
HELPER = """package com.example.t

import android.content.Context
import com.umeng.commonsdk.UMConfigure

object Helper {
    fun start(context: Context) {
        UMConfigure.init(context, "key", "channel", UMConfigure.DEVICE_TYPE_PHONE, "")
    }
}
"""
OTHER_APP = """package com.example.t

import android.app.Application

class Other : Application() {
    override fun onCreate() {
        super.onCreate()
    }
}
"""
DEBUG_MANIFEST = """<manifest xmlns:android="http://schemas.android.com/apk/res/android">
    <uses-permission android:name="android.permission.READ_PHONE_STATE" />
    <uses-permission android:name="android.permission.ACCESS_FINE_LOCATION" />
</manifest>
"""
SRC = "app/src/main/java/com/example/t"


def write(root: Path, rel: str, text: str) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "proj"
    write(root, "settings.gradle.kts", SETTINGS)
    write(root, "app/build.gradle.kts", BUILD)
    write(root, "app/src/main/AndroidManifest.xml", MANIFEST.format(name=".App"))
    write(root, f"{SRC}/App.kt", APP)
    monkeypatch.chdir(root)
    return root


class Runs:
    def __init__(self, root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        self.root = root
        self.walks = 0
        real = discovery_cache.discover

        def counting(*args: object, **kwargs: object) -> object:
            self.walks += 1
            return real(*args, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(discovery_cache, "discover", counting)
        self.stamp = time.time() - 1000

    def findings(self, *extra: str) -> list[tuple[str, int, str]]:
        result = CliRunner().invoke(cli_app, ["check", ".", "-f", "json", *extra])
        assert result.exit_code in (0, 1), result.output
        # a helper's reads are reported on the entry call that leads into it: their places are related locations
        return [where for f in json.loads(result.stdout)["findings"]
                for where in [(f["path"], f["line"], f["rule"]), *((r["path"], r["line"], f["rule"])
                                                                   for r in f["related"])]]

    def backdate(self, again: bool = False) -> None:
        """Every timestamp into the past, a different one each time unless `again` (as if the last change were
        long ago)."""
        if not again:
            self.stamp += 10
        for dirpath, dirnames, filenames in os.walk(self.root):
            for name in filenames + dirnames:
                os.utime(os.path.join(dirpath, name), (self.stamp, self.stamp), follow_symlinks=False)
        os.utime(self.root, (self.stamp, self.stamp))

    def settled(self) -> list[tuple[str, int, str]]:
        """Cached runs once nothing changed for a while: the second reuses the stored discovery."""
        self.backdate()
        first = self.findings()  # the first run may create the cache folder: the root changes
        self.backdate(again=True)
        assert self.findings() == first  # stores the discovery
        walks = self.walks
        assert self.findings() == first
        assert self.walks == walks, "a warm run with nothing changed walked the tree again"
        return first

    def after(self, change: Callable[[], object], differs: bool = True) -> list[tuple[str, int, str]]:
        before = self.settled()
        change()
        warm = self.findings()
        assert warm == self.findings("--no-cache")
        if differs:
            assert warm != before, "the change was meant to change the findings"
        return warm


def ec(found: list[tuple[str, int, str]]) -> list[tuple[str, int, str]]:
    return [f for f in found if f[2].startswith("EC")]


def test_source_file_added_deleted_renamed_in_existing_and_new_folders(project: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    runs = Runs(project, monkeypatch)
    assert not ec(runs.settled())
    # added to an existing folder
    assert ec(runs.after(lambda: write(project, f"{SRC}/Helper.kt", HELPER)))
    # renamed within the folder
    found = runs.after(lambda: (project / SRC / "Helper.kt").rename(project / SRC / "Helper2.kt"))
    assert any(f[0].endswith("Helper2.kt") for f in ec(found))
    # deleted
    assert not ec(runs.after(lambda: (project / SRC / "Helper2.kt").unlink()))
    # added in a new folder (two levels deep)
    found = runs.after(lambda: write(project, f"{SRC}/deep/er/Helper.kt", HELPER.replace(
        "package com.example.t", "package com.example.t\n// in a new folder")))
    assert any("deep/er" in f[0] for f in ec(found))
    # the new folder renamed
    found = runs.after(lambda: (project / SRC / "deep").rename(project / SRC / "moved"))
    assert any("moved/er" in f[0] for f in ec(found))
    # the folder deleted
    assert not ec(runs.after(lambda: shutil.rmtree(project / SRC / "moved")))


def test_settings_include_build_source_sets_and_manifest_changes(project: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    runs = Runs(project, monkeypatch)
    # a module that provides the helper, not yet included
    write(project, "lib/build.gradle.kts", 'plugins { id("com.android.library") }\n')
    write(project, "lib/src/main/java/com/example/t/Helper.kt", HELPER)
    # a folder that only a sourceSets block names
    write(project, "app/extra/com/example/t/Helper.kt", HELPER)
    assert not ec(runs.settled())
    # settings.gradle: include the module (the file is edited in place: its folder does not change)
    found = runs.after(lambda: write(project, "settings.gradle.kts", SETTINGS + 'include(":lib")\n'))
    assert any(f[0].startswith("lib/") for f in ec(found))
    assert not ec(runs.after(lambda: write(project, "settings.gradle.kts", SETTINGS)))
    # build.gradle: a sourceSets block adds a folder
    source_sets = BUILD.replace('namespace = "com.example.t"\n',
                                'namespace = "com.example.t"\n    sourceSets { getByName("main") { '
                                'java.srcDirs("extra") } }\n')
    found = runs.after(lambda: write(project, "app/build.gradle.kts", source_sets))
    assert any(f[0].startswith("app/extra/") for f in ec(found))
    # a file moved to a new folder under the folder only the sourceSets block names
    def move() -> None:
        (project / "app/extra/com/example/t/more").mkdir()
        (project / "app/extra/com/example/t/Helper.kt").rename(project / "app/extra/com/example/t/more/Helper.kt")

    found = runs.after(move)
    assert any(f[0].startswith("app/extra/com/example/t/more/") for f in ec(found))
    # the manifest: another Application class (edited in place), then a manifest in a new source set
    runs.after(lambda: (write(project, f"{SRC}/Other.kt", OTHER_APP),
                        write(project, "app/src/main/AndroidManifest.xml", MANIFEST.format(name=".Other"))),
               differs=False)
    runs.after(lambda: write(project, "app/src/debug/AndroidManifest.xml", DEBUG_MANIFEST), differs=False)


def test_version_catalog_change_is_seen(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    runs = Runs(project, monkeypatch)
    write(project, "gradle/libs.versions.toml", '[plugins]\nandroid-library = { id = "com.android.library" }\n'
                                                 'android-application = { id = "com.android.application" }\n')
    write(project, "app/build.gradle.kts", 'plugins { alias(libs.plugins.android.library) }\n'
                                           'android {\n    namespace = "com.example.t"\n}\n')
    write(project, f"{SRC}/Helper.kt", HELPER)
    runs.settled()
    # the catalog, edited in place, makes the module a library instead of an application: the discovered
    # module (its build script, read against the catalog) changes
    write(project, "gradle/libs.versions.toml", '[plugins]\nandroid-library = { id = "com.android.application" }\n')
    assert runs.findings() == runs.findings("--no-cache")
    walks = runs.walks
    runs.findings()
    assert runs.walks > walks, "a change made seconds ago must not be trusted to a stored discovery"


@pytest.mark.parametrize(("subsecond", "after_ns", "stored"), [
    (0.5, 50_000_000, False),  # a fine timestamp, 50 ms before the run: the same tick is possible
    (0.5, 200_000_000, True),
    (0.0, 2_000_000_000, False),  # a timestamp in whole seconds (FAT, HFS+): 2 s is not enough
    (0.0, 4_000_000_000, True),
])
def test_racy_discovery_is_not_stored(project: Path, monkeypatch: pytest.MonkeyPatch, subsecond: float,
                                      after_ns: int, stored: bool) -> None:
    runs = Runs(project, monkeypatch)
    runs.findings()  # creates the cache folder
    stamp = int(time.time()) - 1000 + subsecond
    for dirpath, dirnames, filenames in os.walk(project):
        for name in filenames + dirnames:
            os.utime(os.path.join(dirpath, name), (stamp, stamp))
    os.utime(project, (stamp, stamp))
    last_change = max(os.stat(os.path.join(d, n)).st_mtime_ns for d, ds, fs in os.walk(project) for n in ds + fs)
    monkeypatch.setattr(discovery_cache, "_now", lambda: last_change + after_ns)
    runs.findings()
    walks = runs.walks
    runs.findings()
    assert runs.walks == (walks if stored else walks + 1)


def test_a_safe_write_does_not_walk_again_but_a_relinked_folder_does(project: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """An editor's safe write (a new file renamed over the old one) changes the folder's time, not its entries:
    the stored discovery holds, checked by listing that one folder. A link re-pointed keeps its name: its
    target is part of the entries."""
    runs = Runs(project, monkeypatch)
    write(project, f"{SRC}/Helper.kt", HELPER)
    write(project, "other/src/main/java/com/example/t/Other.kt", HELPER)
    os.symlink("main", project / "app/src/alias")
    before = runs.settled()
    walks = runs.walks
    temp = project / SRC / ".App.kt.tmp"
    temp.write_text(APP + "\n// saved again\n", encoding="utf-8")  # below the finding: its line stays
    os.replace(temp, project / SRC / "App.kt")
    os.utime(project / SRC, (runs.stamp + 5, runs.stamp + 5))  # a time of its own, not a racy one
    assert runs.findings() == before
    assert runs.walks == walks, "a safe write walked the tree again"
    assert runs.findings() == runs.findings("--no-cache")
    walks = runs.walks  # --no-cache walks
    os.unlink(project / "app/src/alias")
    os.symlink("../../other/src/main", project / "app/src/alias")
    os.utime(project / "app/src", (runs.stamp + 6, runs.stamp + 6), follow_symlinks=False)
    runs.findings()
    assert runs.walks == walks + 1, "a re-pointed link was not seen"
