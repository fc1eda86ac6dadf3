"""Hostile and broken files never stop the run: each becomes a diagnostic naming the file, the rest of the
project is still checked, and nothing from an external entity leaks into any output."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES

PIPL_LINT = str(Path(sys.executable).parent / "pipl-lint")
SECRET = "TOP-SECRET-CONTENT-4242"

XXE = """<?xml version="1.0"?>
<!DOCTYPE manifest [<!ENTITY leak SYSTEM "file://{secret}"> <!ENTITY remote SYSTEM "http://127.0.0.1:9/x">]>
<manifest xmlns:android="http://schemas.android.com/apk/res/android" package="com.evil">
    <application android:label="&leak;&remote;" />
</manifest>
"""
BOMB = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
<!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
<!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
<!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
<!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
<!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">]>
<manifest package="com.bomb"><application android:label="&lol9;"/></manifest>
"""
TRUNCATED = '<manifest xmlns:android="http://schemas.android.com/apk/res/android" package="a">\n<application android:na'


@pytest.fixture
def app(tmp_path: Path) -> Path:
    app = tmp_path / "app"
    shutil.copytree(EXAMPLES / "leaky-app", app)
    return app


def check(path: Path, *extra: str) -> tuple[int, dict[str, object], str]:
    out = subprocess.run([PIPL_LINT, "check", str(path), "-f", "json", *extra], capture_output=True, text=True,
                         timeout=120)
    assert "Traceback" not in out.stderr
    return out.returncode, json.loads(out.stdout), out.stdout + out.stderr


def test_hostile_manifests_and_sources_become_diagnostics(app: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET)
    core_manifest = app / "core/src/main/AndroidManifest.xml"
    core_manifest.write_text(XXE.replace("{secret}", str(secret)))
    (app / "analytics/src/main/AndroidManifest.xml").write_text(BOMB)
    (app / "app/src/debug/AndroidManifest.xml").write_text(TRUNCATED)
    src = app / "app/src/main/java/com/example/dailynews"
    (src / "Binary.kt").write_bytes(b"\x7fELF\x02\x01\x01\x00\x00\x00\x00" + bytes(range(256)) * 4)
    (src / "Utf16.java").write_bytes("package com.example.dailynews;\nclass Utf16 {}\n".encode("utf-16"))
    (src / "Latin1.kt").write_bytes("package com.example.dailynews\n// caf\xe9\nobject Latin1\n".encode("latin-1"))
    code, doc, raw = check(app)
    assert code in (0, 1)
    assert SECRET not in raw
    errors = {e["path"]: e["message"] for e in doc["errors"]}  # type: ignore[union-attr]
    assert "core/src/main/AndroidManifest.xml" in errors
    assert "analytics/src/main/AndroidManifest.xml" in errors
    assert "app/src/debug/AndroidManifest.xml" in errors
    assert "binary" in errors["app/src/main/java/com/example/dailynews/Binary.kt"]
    assert "UTF-8" in errors["app/src/main/java/com/example/dailynews/Latin1.kt"]
    # The rest of the project is still analysed: the planted leaks are still found.
    rules = {f["rule"] for f in doc["findings"]}  # type: ignore[union-attr]
    assert {"EC101", "EC102", "EC103"} <= rules


def test_utf16_source_is_read(tmp_path: Path) -> None:
    root = tmp_path / "p"
    root.mkdir()
    (root / "AndroidManifest.xml").write_text(
        '<manifest xmlns:android="http://schemas.android.com/apk/res/android" package="com.acme">'
        '<application android:name=".App"/></manifest>')
    code = ("package com.acme\nclass App : android.app.Application() {\n  override fun onCreate() {\n"
            "    android.os.Build.getSerial()\n  }\n}\n")
    (root / "App.kt").write_bytes(code.encode("utf-16"))
    rc, doc, _raw = check(root, "--select", "EC101")
    assert rc == 1
    assert [(f["path"], f["line"]) for f in doc["findings"]] == [("App.kt", 4)]  # type: ignore[index]
