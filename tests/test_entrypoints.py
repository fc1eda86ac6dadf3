"""Entry points (`model/entrypoints.py`) that the fixture harness cannot tell apart by the lines it reports."""

from __future__ import annotations

import textwrap
from pathlib import Path

from pipl_lint.config import Config
from pipl_lint.engine import build_context
from pipl_lint.project.discover import discover
from pipl_lint.project.files import FileReader
from pipl_lint.summaries import SummaryStore

APP = """
package org.acme

import android.app.Application

class App : Application() {
    override fun onCreate() {
        super.onCreate()
    }
}
"""
MANIFEST = """<?xml version="1.0" encoding="utf-8"?>
<manifest xmlns:android="http://schemas.android.com/apk/res/android">
    <application android:name="org.acme.App" />
</manifest>
"""
BUILD = 'plugins { id("com.android.application") }\nandroid { namespace = "org.acme" }\n'


def _write(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")


def test_each_manifest_starts_its_own_modules_class(tmp_path: Path) -> None:
    """Two app modules (a legacy app and its Compose Multiplatform rewrite) both declare `org.acme.App`: each
    manifest's Application entry is its own module's class, not both."""
    files = {"settings.gradle.kts": 'include(":app")\ninclude(":composeApp")\n'}
    for module in ("app", "composeApp"):
        files |= {f"{module}/build.gradle.kts": BUILD, f"{module}/src/main/AndroidManifest.xml": MANIFEST,
                  f"{module}/src/main/java/org/acme/App.kt": APP}
    _write(tmp_path, files)
    reader = FileReader(tmp_path, 5_000_000)
    project = discover([tmp_path], tmp_path, reader).projects[0]
    ctx = build_context(project, tmp_path, Config(), reader, SummaryStore(reader, 5.0), [])
    started = {(e.path.split("/")[0], ctx.index.files[e.fid.file].path.split("/")[0])
               for e in ctx.entries if ctx.index.function(e.fid).name == "onCreate"}
    assert started == {("app", "app"), ("composeApp", "composeApp")}
