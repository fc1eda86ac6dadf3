"""The real-app corpus runner (benchmarks/realapps/run.py) on a local, fetch-like snapshot: a tiny Android
project committed to a real git repository and cloned bare under a mirror folder, labelled with violations
(found through the finding's line and through a trace step, and one missed) and clean traps (one flagged =
a false positive). Exact numbers, no network; also the strict validation of app files."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from tests.conftest import ROOT

PIPL_LINT = f"{sys.executable} -m pipl_lint"
REPO = "Example/TinyApp"
SLUG = "example-tinyapp"

PROJECT = {
    "settings.gradle": "rootProject.name = 'tiny'\ninclude ':app'\n",
    "app/build.gradle": """\
plugins {
    id 'com.android.application'
}

android {
    namespace 'com.example.tiny'
    compileSdk 34
    defaultConfig {
        applicationId 'com.example.tiny'
        minSdk 24
        targetSdk 34
    }
}

dependencies {
    implementation 'com.umeng.umsdk:common:9.6.8'
    implementation 'com.umeng.umsdk:asms:1.8.0'
}
""",
    "app/src/main/AndroidManifest.xml": """\
<?xml version="1.0" encoding="utf-8"?>
<manifest xmlns:android="http://schemas.android.com/apk/res/android">

    <uses-permission android:name="android.permission.INTERNET" />
    <uses-permission android:name="android.permission.READ_CONTACTS" />
    <uses-permission android:name="android.permission.CAMERA" />

    <application
        android:name=".TinyApp"
        android:label="Tiny">
        <activity
            android:name=".MainActivity"
            android:exported="true">
            <intent-filter>
                <action android:name="android.intent.action.MAIN" />
                <category android:name="android.intent.category.LAUNCHER" />
            </intent-filter>
        </activity>
    </application>
</manifest>
""",
    "app/src/main/java/com/example/tiny/TinyApp.java": """\
package com.example.tiny;

import android.app.Application;

import com.umeng.commonsdk.UMConfigure;

public class TinyApp extends Application {
    @Override
    public void onCreate() {
        super.onCreate();
        Analytics.start(this);
    }
}
""",
    "app/src/main/java/com/example/tiny/Analytics.java": """\
package com.example.tiny;

import android.content.Context;

import com.umeng.commonsdk.UMConfigure;

final class Analytics {
    private Analytics() {}

    static void start(Context context) {
        UMConfigure.init(context, "5f0000000000000000000000", "site", UMConfigure.DEVICE_TYPE_PHONE, "");
    }
}
""",
    "app/src/main/java/com/example/tiny/MainActivity.java": """\
package com.example.tiny;

import android.app.Activity;
import android.hardware.Camera;
import android.os.Bundle;
import android.view.View;

public class MainActivity extends Activity {
    @Override
    protected void onCreate(Bundle savedInstanceState) {
        super.onCreate(savedInstanceState);
        View shoot = new View(this);
        shoot.setOnClickListener(v -> Camera.open());
        setContentView(shoot);
    }
}
""",
}

# (file, line, category, rule, verdict): what each label says about the tiny project
LABELS = [
    # found on the finding's own line (the SDK init inside the helper)
    ("app/src/main/java/com/example/tiny/Analytics.java", 11, "early-collection", "EC102", "violation"),
    # found through a trace step: the call in Application.onCreate that must move
    ("app/src/main/java/com/example/tiny/TinyApp.java", 11, "early-collection", None, "violation"),
    # a violation the tool does not report (a miss)
    ("app/src/main/java/com/example/tiny/MainActivity.java", 12, "early-collection", "EC101", "violation"),
    # READ_CONTACTS: declared, nothing uses it
    ("app/src/main/AndroidManifest.xml", 5, "excessive-permission", "EP201", "violation"),
    # CAMERA is used (Camera.open on a click): a trap the tool rightly leaves alone
    ("app/src/main/AndroidManifest.xml", 6, "excessive-permission", None, "clean"),
    # the app has no consent gate: the tool reports CF301 on the Application class, labelled clean here to
    # make a false positive
    ("app/src/main/java/com/example/tiny/TinyApp.java", 7, "consent-flow", "CF301", "clean"),
]


def load_runner() -> ModuleType:
    name = "pipl_realapps_run"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, ROOT / "benchmarks" / "realapps" / "run.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up while the file executes
    spec.loader.exec_module(module)
    return module


def git(*args: str, cwd: Path) -> str:
    env = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.com", "HOME": str(cwd), "PATH": "/usr/bin:/bin"}
    done = subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True, check=True)
    return done.stdout.strip()


def label_toml(labels: list[tuple[str, int, str, str | None, str]]) -> str:
    out = []
    for file, line, category, rule, verdict in labels:
        out.append(f'[[label]]\nfile = "{file}"\nline = {line}\ncategory = "{category}"\n'
                   + (f'rule = "{rule}"\n' if rule else "") + f'verdict = "{verdict}"\nreason = "test"\n')
    return "\n".join(out)


def app_toml(commit: str, labels: str, *, heldout: bool = False, extra: str = "") -> str:
    return (f'repo = "{REPO}"\ncommit = "{commit}"\nsubdir = ""\nheldout = {str(heldout).lower()}\n'
            f'kinds = ["legacy-java", "no-consent-dialog"]\nsdks = ["umeng"]\nconsent = "none"\nnotes = ""\n'
            f"{extra}\n{labels}")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """(base folder with mirror/ and apps/, pinned commit) - a snapshot laid out as fetch lays it out."""
    base = tmp_path_factory.mktemp("realapps")
    src = base / "src"
    for rel, text in PROJECT.items():
        (src / rel).parent.mkdir(parents=True, exist_ok=True)
        (src / rel).write_text(text, encoding="utf-8")
    git("init", "-q", cwd=src)
    git("add", "-A", cwd=src)
    git("commit", "-q", "-m", "tiny app", cwd=src)
    commit = git("rev-parse", "HEAD", cwd=src)
    mirror = base / "mirror" / REPO.replace("/", "+")
    mirror.mkdir(parents=True)
    git("clone", "-q", "--bare", str(src), str(mirror / "repo"), cwd=base)
    (base / "apps").mkdir()
    (base / "apps" / f"{SLUG}.toml").write_text(app_toml(commit, label_toml(LABELS)), encoding="utf-8")
    return base, commit


def run(base: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    cmd = [sys.executable, str(ROOT / "benchmarks" / "realapps" / "run.py"), "--apps-dir", str(base / "apps"),
           "--mirror", str(base / "mirror"), "--work", str(base / "work"), "--pipl-lint", PIPL_LINT, *extra]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=600)


def test_runner_scores_the_snapshot_exactly(corpus: tuple[Path, str]) -> None:
    base, commit = corpus
    done = run(base, "--json", str(base / "out.json"))
    assert done.returncode == 0, done.stdout + done.stderr
    assert (base / "work" / f"{SLUG}-{commit[:10]}" / "settings.gradle").is_file()  # extracted outside any repo
    doc = json.loads((base / "out.json").read_text())
    app = doc["apps"][SLUG]
    assert app["status"] == "ok" and app["tool_errors"] == 0 and app["files"] >= 3
    assert app["shipped_sources"] == app["files"]  # every file of the shipped source folders was read
    cat = app["by_category"]
    ec, ep, cf = cat["early-collection"], cat["excessive-permission"], cat["consent-flow"]
    assert (ec["violations"], ec["cleans"], ec["found"], ec["fp"]) == (3, 0, 2, 0)
    assert ec["tp"] >= 1 and ec["precision"] == 1.0 and ec["recall"] == pytest.approx(2 / 3)
    assert (ep["violations"], ep["cleans"], ep["found"], ep["tp"], ep["fp"]) == (1, 1, 1, 1, 0)
    assert (cf["violations"], cf["cleans"], cf["found"], cf["tp"], cf["fp"]) == (0, 1, 0, 0, 1)
    assert cf["precision"] == 0.0 and cf["recall"] is None
    assert app["by_rule"]["EC101"]["violations"] == 1 and app["by_rule"]["EC101"]["found"] == 0
    # the label without a rule is credited to the rule of the finding that found it (through a trace step)
    assert app["by_rule"]["EC102"]["found"] == 2
    assert app["misses"] == [{"file": "app/src/main/java/com/example/tiny/MainActivity.java", "line": 12,
                              "rule": "EC101", "category": "early-collection"}]
    assert app["false_positives"] == [  # CF301 on the manifest matches the app-level label on the class
        {"file": "app/src/main/AndroidManifest.xml", "line": 8, "rule": "CF301"}
    ]
    # every finding is exactly one of TP, FP, unreviewed
    counted = sum(c["tp"] + c["fp"] + c["unreviewed"] for c in cat.values())
    assert counted == len(app["findings"])
    assert len(app["unreviewed"]) == sum(c["unreviewed"] for c in cat.values())
    assert doc["total"]["by_category"] == cat
    out = done.stdout
    assert "miss  app/src/main/java/com/example/tiny/MainActivity.java:12 EC101" in out
    assert "FP    app/src/main/AndroidManifest.xml:8 CF301" in out
    assert "peak RSS" in out and "files read" in out


def test_reuse_and_compare_rescore_a_stored_run(corpus: tuple[Path, str]) -> None:
    base, _commit = corpus
    stored = base / "stored.json"
    assert run(base, "--json", str(stored)).returncode == 0
    done = run(base, "--reuse", str(stored), "--compare", str(stored))
    assert done.returncode == 0, done.stderr
    line = next(ln for ln in done.stdout.splitlines() if ln.strip().startswith("consent-flow") and "->" in ln)
    assert line.split()[1:4] == ["0%", "->", "0%"]
    assert "before/after on 1 apps" in done.stdout


def test_unfetched_app_is_reported_and_skipped(corpus: tuple[Path, str], tmp_path: Path) -> None:
    base, _commit = corpus
    done = run(base, "--mirror", str(tmp_path))  # the later --mirror wins: an empty mirror
    assert done.returncode == 1
    assert f"not fetched: fetch github:{REPO}" in done.stdout
    assert run(base, "--heldout").returncode == 0  # no held-back app: nothing to skip


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda t: t.replace('reason = "test"', 'reason = "test"\nsevere = 1', 1), "label 0: unknown keys"),
        (lambda t: t.replace('verdict = "violation"', 'verdict = "bad"', 1), "label 0: verdict 'bad'"),
        (lambda t: t.replace('"early-collection"', '"privacy"', 1), "label 0: category 'privacy'"),
        (lambda t: t.replace("line = 11\n", "", 1), "label 0: missing ['line']"),
        (lambda t: t.replace('rule = "EP201"', 'rule = "EC102"', 1), "label 3: rule EC102 is not of category"),
        (lambda t: t.replace("line = 11\n", "line = true\n", 1), "label 0: line must be a int"),
        (lambda t: t.replace("heldout = false", "held_out = false"), "unknown keys ['held_out']"),
        (lambda t: t.replace('kinds = ["legacy-java"', 'kinds = ["ancient"'), "unknown kinds ['ancient']"),
        (lambda t: t.replace("heldout = false", 'heldout = false\ndistribution = "f-droid"'),
         "distribution 'f-droid' is not one of"),
        (lambda t: t + '\n[[label]]\nfile = "app/src/main/AndroidManifest.xml"\nline = 5\ncategory = '
         '"excessive-permission"\nrule = "EP201"\nverdict = "clean"\nreason = "r"\n', "label 6 contradicts label 3"),
        (lambda t: t + '\n[[label]]\nfile = "../x"\nline = 1\ncategory = "consent-flow"\nverdict = "clean"\n'
         'reason = "r"\n', "label 6: file '../x'"),
    ],
)
def test_invalid_app_files_exit_2_naming_file_and_label(
    corpus: tuple[Path, str], tmp_path: Path, change: object, message: str
) -> None:
    base, commit = corpus
    apps = tmp_path / "apps"
    apps.mkdir()
    text = app_toml(commit, label_toml(LABELS))
    assert callable(change)
    (apps / f"{SLUG}.toml").write_text(change(text), encoding="utf-8")
    done = run(base, "--apps-dir", str(apps))
    assert done.returncode == 2, done.stdout
    assert f"{apps / SLUG}.toml" in done.stderr and message in done.stderr


def test_app_file_must_be_named_after_its_repo(tmp_path: Path) -> None:
    runner = load_runner()
    path = tmp_path / "other.toml"
    path.write_text(app_toml("0" * 40, label_toml(LABELS)), encoding="utf-8")
    with pytest.raises(runner.AppFileError, match=f"must be named {SLUG}.toml"):
        runner.load_app(path)


def test_a_finding_is_credited_to_the_nearest_label_only() -> None:
    """Adjacent <uses-permission> lines: the finding on line 11 matches the label of line 11, not line 10's."""
    runner = load_runner()
    manifest = "app/src/main/AndroidManifest.xml"
    coarse = runner.Label(manifest, 10, "excessive-permission", None, "violation", "unused")
    fine = runner.Label(manifest, 11, "excessive-permission", "EP201", "clean", "used")
    on_fine = runner.Finding("EP201", "excessive-permission", manifest, 11, "unused FINE", ())
    result = runner.score([coarse, fine], [on_fine])
    assert [label for label, _rule in result.misses] == [coarse]
    assert [(f.line, label.line) for f, label in result.false_positives] == [(11, 11)]
    # with no label on its own line, the finding still matches a label one line away (the ±1 slack)
    result = runner.score([coarse], [on_fine])
    assert not result.misses and result.by_category["excessive-permission"].tp == 1


def test_a_manifest_finding_matches_only_a_label_about_its_own_permission() -> None:
    """The quirk of AiHeart and xuezhibao: a finding about the unlabelled permission of line 21 was scored
    against the label of line 20 about another permission (within the one-line slack)."""
    runner = load_runner()
    manifest = "app/src/main/AndroidManifest.xml"
    call = runner.Label(manifest, 20, "excessive-permission", None, "clean", "CALL_PHONE used: ACTION_CALL")
    policy = runner.Finding("EP201", "excessive-permission", manifest, 21,
                            "`ACCESS_NOTIFICATION_POLICY` is declared but nothing in the project uses it", ())
    result = runner.score([call], [policy])
    assert not result.false_positives and [f.line for f in result.unreviewed] == [21]
    # the same finding about the labelled permission still matches within the slack (full names too)
    same = runner.Finding("EP201", "excessive-permission", manifest, 21,
                          "`android.permission.CALL_PHONE` is declared but nothing uses it", ())
    assert runner.distance(call, same) == 1
    # a reason that names no permission matches by place only, as before
    vague = runner.Label(manifest, 20, "excessive-permission", None, "violation", "unused, see notes")
    assert runner.distance(vague, policy) == 1
    # off the manifest (a dependency line merging several permissions) the place decides
    gradle = runner.Label("app/build.gradle", 30, "excessive-permission", "EP211", "violation", "merges AD_ID")
    merged = runner.Finding("EP211", "excessive-permission", "app/build.gradle", 30,
                            "firebase merges `ACCESS_ADSERVICES_AD_ID`", ())
    assert runner.distance(gradle, merged) == 0


def test_committed_app_files_are_valid() -> None:
    """Every labelled app in the repository passes the strict validation (what run.py checks first)."""
    runner = load_runner()
    apps = runner.load_apps(ROOT / "benchmarks" / "realapps" / "apps")
    assert apps and all(app.labels for app in apps)
    assert len({app.slug for app in apps}) == len(apps)


def test_app_level_rules_match_anywhere_in_the_app() -> None:
    """CF301 is reported on the Application class; a label may sit on the manifest's <application>."""
    runner = load_runner()
    label = runner.Label("app/src/main/AndroidManifest.xml", 12, "consent-flow", "CF301", "violation", "no gate")
    finding = runner.Finding("CF301", "consent-flow", "app/src/main/java/a/App.kt", 9, "no gate", ())
    assert runner.distance(label, finding) == 0
    other = runner.Finding("CF304", "consent-flow", "app/src/main/java/a/App.kt", 9, "no rationale", ())
    assert runner.distance(label, other) is None
    local = runner.Label("app/src/main/AndroidManifest.xml", 12, "consent-flow", "CF313", "violation", "boot")
    assert runner.distance(local, runner.Finding("CF313", "consent-flow", "app/src/main/java/a/App.kt", 12, "",
                                                 ())) is None


def test_shipped_sources_are_counted_without_tests_debug_build_logic_or_unshipped_folders(tmp_path: Path) -> None:
    runner = load_runner()
    for rel in ("app/src/main/java/a/A.kt", "app/src/main/kotlin/a/B.java", "app/src/china/java/a/C.kt",
                "app/src/test/java/a/T.kt", "app/src/androidTest/java/a/U.kt", "app/src/debug/java/a/D.kt",
                "app/src/testDebug/java/a/V.kt", "app/build/generated/src/main/java/a/G.kt",
                "buildSrc/src/main/kotlin/P.kt", "library/src/main/java/a/L.java", "app/src/main/res/x.kt",
                "app/src/main/java/a/readme.txt"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("x")
    assert runner.count_shipped_sources(tmp_path) == 4  # A, B, C and the library's L
    assert runner.count_shipped_sources(tmp_path, ("library",)) == 3


def test_the_apps_distribution_reaches_the_tool_as_configuration(tmp_path: Path) -> None:
    """The runner hands `distribution` to pipl-lint with `--config` (a file outside the snapshot)."""
    runner = load_runner()
    fake, seen = tmp_path / "fake-lint", tmp_path / "seen.txt"
    fake.write_text(f"#!/bin/sh\nprev=\nfor a; do [ \"$prev\" = --config ] && cat \"$a\" >> {seen}; prev=$a; done\n"
                    "echo '{\"root\": \".\", \"findings\": []}'\n", encoding="utf-8")
    fake.chmod(0o755)
    snapshot = tmp_path / "snapshot"
    snapshot.mkdir()
    assert runner.run_tool([str(fake)], snapshot, "china-stores").status == "ok"
    assert seen.read_text(encoding="utf-8") == 'distribution = "china-stores"\n'
    assert runner.run_tool([str(fake)], snapshot).status == "ok"  # the default needs no configuration
    assert seen.read_text(encoding="utf-8") == 'distribution = "china-stores"\n'
    assert list(snapshot.iterdir()) == []


def test_findings_on_entry_calls_score_once_per_collecting_call() -> None:
    """A helper reached from two entry calls is two findings on the entry calls, each with the helper's reads as
    related locations (each with its own path); scored as before the findings moved: once per collecting call,
    with its shortest path. A clean label on a read is one false positive; labels on a read, or on the path to
    it, are found; a label on the path to another read is not this read's."""
    runner = load_runner()
    step, related = runner.Step, runner.Related
    app, splash, helper = "a/App.kt", "a/Splash.kt", "a/Ids.kt"
    app_path = (step("AndroidManifest.xml", 3), step(app, 5))
    to_imei = (*app_path, step(helper, 9))
    to_mac = (*app_path, step(helper, 4), step(helper, 12))
    from_app = runner.Finding("EC101", "early-collection", app, 5, "`Ids.read` reads …", to_imei,
                              (related(helper, 9, to_imei), related(helper, 12, to_mac)))
    splash_path = (step("AndroidManifest.xml", 8), step(splash, 7), step(splash, 20), step(splash, 30))
    to_imei_from_splash = (*splash_path, step(helper, 9))
    from_splash = runner.Finding("EC101", "early-collection", splash, 7, "`Ids.read` reads …", to_imei_from_splash,
                                 (related(helper, 9, to_imei_from_splash),))
    units = runner.units([from_app, from_splash])
    assert [(u.path, u.line, u.trace) for u in units] == [(helper, 9, to_imei), (helper, 12, to_mac)]
    clean = runner.Label(helper, 9, "early-collection", "EC101", "clean", "runs after consent")
    assert runner.score([clean], [from_app, from_splash]).by_category["early-collection"].fp == 1
    on_entry = runner.Label(app, 5, "early-collection", "EC101", "violation", "IMEI at launch")
    on_read = runner.Label(helper, 12, "early-collection", None, "violation", "MAC at launch")
    result = runner.score([on_entry, on_read], [from_app, from_splash])
    assert not result.misses and result.by_category["early-collection"].tp == 2
    on_mac_path = runner.Label(helper, 4, "early-collection", "EC101", "clean", "the MAC read's own call")
    result = runner.score([on_mac_path], [from_app, from_splash])
    assert [(f.path, f.line) for f, _label in result.false_positives] == [(helper, 12)]
