"""SDK-provider mode: which modules are SDKs, the examples (leaky-sdk, compliant-sdk), the unchanged app examples,
and the disclosure sheet of `pipl-lint report --sdk` (Markdown, JSON, and the HTML page in a real browser)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from pipl_lint.config import Config
from pipl_lint.engine import run
from pipl_lint.model.sdk_modules import api_entries, auto_entries, sdk_modules, switches
from pipl_lint.registry import lookup
from tests.conftest import EXAMPLES, ROOT, expectations
from tests.test_compliance_report import Chromium, _chromium


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pipl_lint", *args], cwd=ROOT, capture_output=True, text=True,
                          check=False)


def _context(root: Path, config: Config | None = None) -> Any:
    result = run([root], root, config or Config(), [], keep_contexts=True)
    return result.contexts[0]


def _project(tmp_path: Path, build: str, properties: str = "", name: str = "build.gradle.kts") -> Path:
    tmp_path.mkdir(parents=True, exist_ok=True)
    (tmp_path / "settings.gradle.kts").write_text('include(":lib")\n')
    src = tmp_path / "lib/src/main/java/com/acme"
    src.mkdir(parents=True)
    (tmp_path / "lib" / name).write_text(build)
    if properties:
        (tmp_path / "lib/gradle.properties").write_text(properties)
    (tmp_path / "lib/src/main/AndroidManifest.xml").write_text(
        '<manifest xmlns:android="http://schemas.android.com/apk/res/android"/>\n')
    (src / "Api.kt").write_text("package com.acme\n\nimport android.content.Context\n\n"
                                "object Api {\n    fun init(ctx: Context) = Unit\n"
                                "    internal fun hidden() = Unit\n    fun setAgreePrivacy(agree: Boolean) = Unit\n}\n")
    return tmp_path


LIBRARY = 'plugins {\n    id("com.android.library")\n%s}\n'


@pytest.mark.parametrize(("build", "properties", "how"), [
    (LIBRARY % '    `maven-publish`\n', "", "maven-publish"),
    (LIBRARY % '    id("com.vanniktech.maven.publish")\n', "", "com.vanniktech.maven.publish"),
    (LIBRARY % "" + 'publishing {\n    publications { create<MavenPublication>("r") { artifactId = "x" } }\n}\n', "",
     "publishing block"),
    (LIBRARY % "", "POM_ARTIFACT_ID=lib\n", "POM_ARTIFACT_ID"),
])
def test_published_library_is_an_sdk(tmp_path: Path, build: str, properties: str, how: str) -> None:
    ctx = _context(_project(tmp_path, build, properties))
    [sdk] = sdk_modules(ctx)
    assert sdk.publication.how == how
    names = {ctx.index.function(e.fid).name for e in api_entries(ctx, sdk)}
    assert names == {"init", "setAgreePrivacy"}  # `internal` is not API
    assert [s.name for s in switches(ctx, sdk)] == ["Api.setAgreePrivacy"]


def test_publication_coordinates(tmp_path: Path) -> None:
    build = (LIBRARY % '    id("com.vanniktech.maven.publish")\n' + 'group = "com.acme"\nversion = "0.9"\n'
             'mavenPublishing {\n    coordinates("com.acme.sdk", "acme-core", "1.4.2")\n}\n')
    [sdk] = sdk_modules(_context(_project(tmp_path, build, "POM_NAME=Acme Core\nPOM_DEVELOPER_NAME=Acme Ltd\n")))
    p = sdk.publication
    assert (p.coordinate, p.name, p.provider, sdk.name) == ("com.acme.sdk:acme-core:1.4.2", "Acme Core", "Acme Ltd",
                                                            "Acme Core")
    groovy = "plugins { id 'com.android.library'; id 'maven-publish' }\ngroup = 'org.x'\nversion = '3.0'\n"
    [sdk] = sdk_modules(_context(_project(tmp_path / "g", groovy, "POM_ARTIFACT_ID=x-core\n", "build.gradle")))
    assert sdk.publication.coordinate == "org.x:x-core:3.0"


def test_unpublished_library_and_app_are_not_sdks_unless_named(tmp_path: Path) -> None:
    root = _project(tmp_path, LIBRARY % "")
    assert sdk_modules(_context(root)) == []
    [sdk] = sdk_modules(_context(root, Config(sdk_modules=(":lib",))))
    assert sdk.publication.how == "sdk-modules"
    app = tmp_path / "lib/build.gradle.kts"
    app.write_text('plugins {\n    id("com.android.application")\n    `maven-publish`\n}\n')
    assert sdk_modules(_context(root, Config(sdk_modules=(":lib",)))) == []


def test_public_api_option_names_the_init_functions(tmp_path: Path) -> None:
    ctx = _context(_project(tmp_path, LIBRARY % '    `maven-publish`\n'), Config(public_api=("Api.init",)))
    [sdk] = sdk_modules(ctx)
    assert [ctx.index.function(e.fid).name for e in api_entries(ctx, sdk)] == ["init"]


def test_leaky_sdk_reports_every_planted_problem() -> None:
    out = _cli("check", "examples/leaky-sdk", "--format", "json", "--no-cache")
    assert out.returncode == 1, out.stderr
    got = {(f["path"], f["line"], f["rule"]) for f in json.loads(out.stdout)["findings"]}  # SD6xx only: no app here
    want = {(f"examples/leaky-sdk/{p}", line, rule) for p, line, rule in expectations(EXAMPLES / "leaky-sdk")}
    assert got == want
    assert {r for _p, _l, r in want} == {"SD601", "SD602", "SD603", "SD604", "SD605", "SD606"}
    ctx = _context(EXAMPLES / "leaky-sdk")
    [sdk] = sdk_modules(ctx)
    assert {e.kind for e in auto_entries(ctx, sdk)} == {"provider", "receiver"}


def test_app_with_a_published_library_runs_both_sets(tmp_path: Path) -> None:
    """A published library inside an app repository: the app rules see the SDK's code as part of the app (EC101 from
    the app's view of the provider) and the sdk-provider rules judge the SDK on its own terms (SD601)."""
    root = tmp_path / "repo"
    shutil.copytree(EXAMPLES / "leaky-sdk", root)
    (root / "settings.gradle.kts").write_text('include(":tracker", ":app")\n')
    app = root / "app/src/main"
    app.mkdir(parents=True)
    (root / "app/build.gradle.kts").write_text('plugins { id("com.android.application") }\n'
                                                'dependencies { implementation(project(":tracker")) }\n')
    (app / "AndroidManifest.xml").write_text('<manifest xmlns:android="http://schemas.android.com/apk/res/android">'
                                             '<application/></manifest>\n')
    out = _cli("check", str(root), "--format", "json", "--no-cache")
    rules = {f["rule"] for f in json.loads(out.stdout)["findings"]}
    assert {"SD601", "EC101"} <= rules


def test_compliant_sdk_is_clean() -> None:
    out = _cli("check", "examples/compliant-sdk", "--no-cache")
    assert out.returncode == 0, out.stdout


@pytest.mark.parametrize("example", ["leaky-app", "compliant-app"])
def test_app_examples_have_no_sdk_modules(example: str) -> None:
    assert sdk_modules(_context(EXAMPLES / example)) == []


def test_report_sdk_markdown_and_json() -> None:
    md = _cli("report", "--sdk", "examples/leaky-sdk", "--lang", "zh", "--no-cache")
    assert md.returncode == 0, md.stderr
    for text in ("Leaky Tracker SDK", "Leaky Analytics Ltd.", "2.3.1", "`Tracker.setPrivacyAgreed`",
                 "android.permission.READ_CONTACTS", "待补充", "关闭个性化接口**: 无"):
        assert text in md.stdout
    doc = json.loads(_cli("report", "--sdk", "examples/compliant-sdk", "-f", "json", "--lang", "en",
                          "--no-cache").stdout)
    [sdk] = doc["sdks"]
    assert sdk["coordinate"] == "com.tidy:tracker:1.0.0"
    assert sdk["pre_init"] == ["Tracker.preInit"] and sdk["opt_out"] == ["AdSettings.setPersonalizedAdsEnabled"]
    assert {p["kind"] for p in sdk["personal_information"]} >= {"android-id", "location", "advertising-id"}
    none = _cli("report", "--sdk", "examples/compliant-app", "--no-cache")
    assert none.returncode == 2 and "no SDK module found" in none.stderr
    assert _cli("report", "--sdk", "examples/leaky-sdk", "-f", "csv", "--no-cache").returncode == 2


@pytest.fixture(scope="module")
def browser() -> Any:
    binary = _chromium()
    if binary is None:
        pytest.skip("no Chromium to render the HTML report (set PIPL_LINT_CHROMIUM)")
    chromium = Chromium(binary)
    yield chromium
    chromium.close()


def test_report_sdk_html_renders(browser: Chromium, tmp_path: Path) -> None:
    page = tmp_path / "sdk.html"
    out = _cli("report", "--sdk", "examples/leaky-sdk", "-f", "html", "--lang", "zh", "-o", str(page), "--no-cache")
    assert out.returncode == 0, out.stderr
    browser.open(page.as_uri())
    assert browser.eval("document.title").startswith("SDK 个人信息处理规则说明")
    assert browser.eval("document.querySelectorAll('section.sdk').length") == 1
    assert browser.eval("document.querySelectorAll('section.sdk table')[1].tBodies[0].rows.length") == 6
    assert browser.eval("performance.getEntriesByType('resource').length") == 0
    assert browser.eval("getComputedStyle(document.querySelector('th')).position") == "sticky"
    assert browser.problems() == []


def test_hostile_publication_files_never_crash(tmp_path: Path) -> None:
    """Binary or outside-pointing gradle.properties and an unparsable publishing block: still an SDK, no crash."""
    root = _project(tmp_path / "p", LIBRARY % '    `maven-publish`\n' + "publishing {{{ \xff",
                    properties="")
    (root / "lib/gradle.properties").write_bytes(b"\xff\xfe\x00POM_NAME=\x00\n" * 100)
    outside = tmp_path / "outside.properties"
    outside.write_text("POM_NAME=secret\n")
    (root / "gradle.properties").symlink_to(outside)
    ctx = _context(root)
    [sdk] = sdk_modules(ctx)
    assert sdk.publication.how == "maven-publish" and sdk.publication.name != "secret"


def test_publication_through_an_applied_script(tmp_path: Path) -> None:
    """sensorsdata/sa-sdk-android: `apply from: "../script_config/maven.gradle"` applies maven-publish."""
    root = _project(tmp_path, "apply plugin: 'com.android.library'\napply from: '../scripts/maven.gradle'\n",
                    name="build.gradle")
    (root / "scripts").mkdir()
    (root / "scripts/maven.gradle").write_text("apply plugin: 'signing'\napply plugin: 'maven-publish'\n")
    [sdk] = sdk_modules(_context(root))
    assert sdk.publication.how == "maven-publish (apply from)"
    # a script outside the project, or one that publishes nothing, does not make an SDK
    outside = _project(tmp_path / "o", "apply plugin: 'com.android.library'\napply from: '../../../x.gradle'\n",
                       name="build.gradle")
    (tmp_path / "x.gradle").write_text("apply plugin: 'maven-publish'\n")
    assert sdk_modules(_context(outside)) == []


SWITCH_CASES = [
    ("fun setDataCollectionEnabled(enabled: Boolean) = Unit", "Api.setDataCollectionEnabled"),
    ("fun setImeiEnabled(enabled: Boolean) = Unit", "Api.setImeiEnabled"),
    ("fun optOut(optOut: Boolean) = Unit", "Api.optOut"),
    ("fun optOutTracking() = Unit", "Api.optOutTracking"),
    ("fun enableDataCollect() = Unit", "Api.enableDataCollect"),
    ("fun setTrackingConsent(consent: TrackingConsent) = Unit", "Api.setTrackingConsent"),
    ("fun getInstance(token: String, optOutTrackingDefault: Boolean) = Unit", "Api.getInstance(optOutTrackingDefault)"),
    ("fun readImei() = Unit\n    fun doNotReadImei() = Unit", "Api.readImei"),
]


@pytest.mark.parametrize(("member", "name"), SWITCH_CASES)
def test_consent_switch_shapes(tmp_path: Path, member: str, name: str) -> None:
    root = _project(tmp_path, LIBRARY % '    `maven-publish`\n')
    (root / "lib/src/main/java/com/acme/Api.kt").write_text(
        f"package com.acme\n\nenum class TrackingConsent {{ GRANTED }}\n\nobject Api {{\n    {member}\n"
        "    fun setDebugEnabled(enabled: Boolean) = Unit\n    fun setServerUrl(url: String) = Unit\n}\n")
    ctx = _context(root)
    [sdk] = sdk_modules(ctx)
    assert name in [s.name for s in switches(ctx, sdk)]
    assert not {"Api.setDebugEnabled", "Api.setServerUrl"} & {s.name for s in switches(ctx, sdk)}


def test_api_entries_are_the_entry_classes_the_sdk_does_not_call_itself(tmp_path: Path) -> None:
    root = _project(tmp_path, LIBRARY % '    `maven-publish`\n')
    util = root / "lib/src/main/java/com/acme/internal"
    util.mkdir()
    (util / "Ids.kt").write_text("package com.acme.internal\n\nobject Ids {\n    fun read() = Unit\n}\n")
    (root / "lib/src/main/java/com/acme/Api.kt").write_text(
        "package com.acme\n\nimport com.acme.internal.Ids\n\nobject Api {\n    fun init() { setup() }\n"
        "    fun setup() = Ids.read()\n}\n")
    ctx = _context(root)
    [sdk] = sdk_modules(ctx)
    assert {ctx.index.function(e.fid).name for e in api_entries(ctx, sdk)} == {"init"}


def test_opt_out_pair_ignored_is_reported_as_ignored_switch() -> None:
    case = ROOT / "tests/fixtures/rules/sdk-collects-before-host-consent/bad-opt-in-out-ignored-kotlin"
    result = run([case], case, Config(), [lookup("SD602")])
    [finding] = [f for f in result.findings if f.rule == "SD602"]
    assert "`Analytics.optInTracking`" in finding.message and "offers hosts no consent switch" not in finding.message
