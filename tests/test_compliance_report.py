"""`pipl-lint report` on the two examples: exactly the SDKs and PI kinds they contain, the same rows in every
format, an HTML page that renders in a real headless Chromium without console errors and filters, and the
policy-drift rules (DS401/DS402) on copies of the examples."""

from __future__ import annotations

import csv
import io
import json
import os
import select
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import pytest

from pipl_lint.commands.report import ReportOptions, build
from pipl_lint.compliance import renderer
from pipl_lint.compliance.csv_format import BOM, safe
from pipl_lint.compliance.inventory import Inventory
from pipl_lint.compliance.table import tables
from pipl_lint.config import Config
from pipl_lint.engine import run
from pipl_lint.registry import lookup
from pipl_lint.rules.disclosure._common import Policy, _prepare, kind_mention, plain_text, policy
from tests.conftest import EXAMPLES, ROOT

PIPL_LINT = str(Path(sys.executable).parent / "pipl-lint")

# From examples/leaky-app/README.md (the six SDK products: Umeng, JPush with its JCore base, Bugly, AMap location,
# AppsFlyer, Firebase Analytics + Crashlytics) and the code both examples share.
SDKS = {"umeng", "jpush", "jcore", "bugly", "amap-location", "appsflyer", "firebase-analytics", "firebase-crashlytics"}
# leaky-app: IMEI (#8, #13), Android ID (#5, #10), installed apps (#9, #13), last location (#11), Wi-Fi info and
# MAC (#10), the camera capture intent (#25), the clipboard (#12), Build.BRAND/MODEL in DeviceInfoCollector (#8).
LEAKY_PI = {"device-id", "android-id", "installed-apps", "location", "wifi-info", "mac-address", "camera", "clipboard",
            "device-model"}
# compliant-app: the "paste link" button reads the clipboard; SdkBootstrap hands Build.MODEL to Bugly.
COMPLIANT_PI = {"clipboard", "device-model"}


def _report(name: str, category: str | None = "news", root: Path = EXAMPLES) -> Inventory:
    return build(ReportOptions(paths=(root / name,), app_category=category, no_cache=True))


@pytest.fixture(scope="module")
def leaky() -> Inventory:
    return _report("leaky-app")


@pytest.fixture(scope="module")
def compliant() -> Inventory:
    return _report("compliant-app")


def _json(inv: Inventory, lang: str = "en") -> dict[str, Any]:
    return json.loads(renderer("json")(inv, lang))  # type: ignore[no-any-return]


def _rel(inv: Inventory, path: str) -> str:
    return path.removeprefix(inv.projects[0].rstrip("/") + "/") if inv.projects[0] != "." else path


# --- the JSON lists exactly what the examples contain -------------------------------------------------------------


def test_leaky_app_inventory(leaky: Inventory) -> None:
    doc = _json(leaky)
    assert {"personal_information", "sdks", "permissions"} <= set(doc)
    assert {s["id"] for s in doc["sdks"]} == SDKS
    assert {p["pi_kind"] for p in doc["personal_information"]} == LEAKY_PI
    assert set(doc["pi_kinds"]) == LEAKY_PI
    rows = {(_rel(leaky, p["path"]), p["line"]): p for p in doc["personal_information"]}
    android_id = rows[("app/src/main/java/com/example/dailynews/DailyNewsApp.kt", 23)]
    assert android_id["pi_kind"] == "android-id" and android_id["timing"] == "before-consent"
    assert android_id["purpose"] is None and android_id["module"] == ":app"
    assert {"kind": "application", "component": "com.example.dailynews.DailyNewsApp"}.items() <= \
        android_id["entry_points"][0].items()
    imei = rows[("analytics/src/main/java/com/example/dailynews/analytics/DeviceIdProvider.java", 38)]
    assert imei["module"] == ":analytics" and "android.permission.READ_PHONE_STATE" in imei["permissions"]
    assert {e["kind"] for e in imei["entry_points"]} >= {"application", "receiver"}
    camera = rows[("app/src/main/java/com/example/dailynews/ui/comment/CommentActivity.java", 78)]
    assert camera["timing"] == "user-action"
    sdks = {s["id"]: s for s in doc["sdks"]}
    assert sdks["umeng"]["consent"] == "before-consent"
    assert sdks["umeng"]["versions"] == ["9.8.5", "1.8.7.2"] and sdks["umeng"]["vendor_zh"]
    assert ("UMConfigure.init", 31) in {(i["call"], i["line"]) for i in sdks["umeng"]["initialisation"]}
    assert sdks["firebase-analytics"]["versions"] == ["BoM 33.3.0"]
    # AnalyticsInitializer calls FirebaseAnalytics.getInstance before consent (collection is not off in the manifest)
    assert sdks["firebase-analytics"]["consent"] == "before-consent"
    assert all(s["policy_url"].startswith("https://") for s in doc["sdks"])
    perms = {p["short"]: p for p in doc["permissions"]}
    assert perms["READ_CONTACTS"]["necessity"] == "not-necessary"  # news apps need no personal information
    assert perms["READ_PHONE_STATE"]["declared"][0]["status"] == "declared"
    assert "umeng" in perms["READ_PHONE_STATE"]["merged_by_sdks"]
    assert perms["WAKE_LOCK"]["declared"] == [] and perms["WAKE_LOCK"]["in_app"]  # merged by the SDKs' manifests
    assert doc["privacy_policies"] == []  # the leaky app ships no policy text
    assert all(p["disclosed_in_policy"] is None for p in doc["personal_information"])


def test_compliant_app_inventory(compliant: Inventory) -> None:
    doc = _json(compliant)
    assert {s["id"] for s in doc["sdks"]} == SDKS
    assert {p["pi_kind"] for p in doc["personal_information"]} == COMPLIANT_PI
    assert all(p["timing"] != "before-consent" for p in doc["personal_information"])
    assert {s["consent"] for s in doc["sdks"]} <= {"after-consent", "user-action"}
    assert [_rel(compliant, p) for p in doc["privacy_policies"]] == ["app/src/main/assets/privacy_policy.html"]
    assert all(s["disclosed_in_policy"] is True for s in doc["sdks"])
    assert all(p["disclosed_in_policy"] is True for p in doc["personal_information"])
    removed = {p["short"] for p in doc["permissions"] if not p["in_app"]}
    assert {"READ_PHONE_STATE", "ACCESS_FINE_LOCATION", "QUERY_ALL_PACKAGES"} <= removed


# --- every format shows the same rows --------------------------------------------------------------------------


def _markdown_tables(text: str) -> dict[str, list[list[str]]]:
    out: dict[str, list[list[str]]] = {}
    title = ""
    for line in text.splitlines():
        if line.startswith("## "):
            title = line[3:]
            out[title] = []
        elif line.startswith("| ") and title:
            out[title].append([c.strip().replace("\\|", "|") for c in line[2:-2].split(" | ")])
    return {k: v[1:] for k, v in out.items() if v}  # without the header row ("|---|" lines do not start "| ")


def _csv_tables(text: str, inv: Inventory, lang: str) -> dict[str, list[list[str]]]:
    """Each list's rows, in its own columns, from the one CSV table (its first column names the list)."""
    assert text.startswith(BOM)
    header, *rows = csv.reader(io.StringIO(text[len(BOM):]))
    assert header[0] == "table" and len(set(header)) == len(header)
    own = {t.id: [header.index(c) for c in t.columns] for t in tables(inv, lang)}
    out: dict[str, list[list[str]]] = {}
    for row in rows:
        assert len(row) == len(header) and row[0] in own
        out.setdefault(row[0], []).append([row[i] for i in own[row[0]]])
    return out


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("example", ["leaky", "compliant"])
def test_markdown_and_csv_agree_with_json(example: str, lang: str, request: pytest.FixtureRequest) -> None:
    inv: Inventory = request.getfixturevalue(example)
    doc = _json(inv, lang)
    md = _markdown_tables(renderer("markdown")(inv, lang))
    sheet = _csv_tables(renderer("csv")(inv, lang), inv, lang)
    titles = {t.id: t.title for t in tables(inv, lang)}
    locations = [f"{_rel(inv, p['path'])}:{p['line']}" for p in doc["personal_information"]]
    sdk_names = [s["name"] for s in doc["sdks"]]
    permissions = [p["name"].removeprefix("android.permission.") for p in doc["permissions"]]
    for rows in (md.get(titles["personal_information"], []), sheet.get("personal_information", [])):
        assert [r[5] for r in rows] == locations
        assert [r[4] for r in rows] == [p["timing_label"] for p in doc["personal_information"]]
    for rows in (md[titles["sdks"]], sheet["sdks"]):
        assert [r[0] for r in rows] == sdk_names
        assert [r[8] for r in rows] == [s["consent_label"] for s in doc["sdks"]]
    for rows in (md[titles["permissions"]], sheet["permissions"]):
        assert [r[0] for r in rows] == permissions
    assert md[titles["sdks"]] == [[" ".join(c.split()) for c in r] for r in sheet["sdks"]]


def test_chinese_headings_use_the_regulators_terms(leaky: Inventory) -> None:
    text = renderer("markdown")(leaky, "zh")
    terms = ("已收集个人信息清单", "与第三方共享个人信息清单（第三方SDK目录）", "个人信息类型", "收集目的/场景",
             "是否在同意前", "SDK名称", "开发者/运营方", "版本", "用途类别", "收集的个人信息", "所需权限",
             "初始化位置", "是否经同意", "隐私政策链接", "待补充", "同意前", "用户操作时")
    for term in terms:
        assert term in text, term
    assert "to be filled in" in renderer("markdown")(leaky, "en")


def test_csv_is_excel_friendly() -> None:
    assert safe("=HYPERLINK(1)") == "'=HYPERLINK(1)" and safe("-1") == "'-1" and safe("a\nb") == "a b"
    text = renderer("csv")(Inventory(("p",), None, None, ()), "zh")
    assert text.startswith(BOM) and "\r\n" in text


def test_markdown_escapes_cells() -> None:
    from pipl_lint.compliance.markdown import cell

    assert cell("a|b\nc") == "a\\|b c"
    assert cell("<script>x</script> a < b") == "&lt;script>x&lt;/script> a < b"


def test_html_escapes_every_value(leaky: Inventory) -> None:
    from dataclasses import replace

    evil = replace(leaky, projects=('<img src=x onerror="alert(1)">',))
    page = renderer("html")(evil, "en")
    assert "<img src=x" not in page and "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in page
    assert "http://" not in page.split("<body>")[0]  # nothing loaded from anywhere
    assert "Content-Security-Policy" in page and "default-src &#x27;none&#x27;" in page


# --- the command ---------------------------------------------------------------------------------------------


def _cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([PIPL_LINT, *args], cwd=ROOT, capture_output=True, text=True, timeout=120,
                          env={**os.environ, **(env or {})})


def test_cli_writes_the_report(tmp_path: Path) -> None:
    out = tmp_path / "inventory.json"
    done = _cli("report", "examples/compliant-app", "--format", "json", "--output", str(out), "--lang", "en",
                "--no-cache")
    assert done.returncode == 0, done.stderr
    assert done.stdout == ""
    assert {s["id"] for s in json.loads(out.read_text("utf-8"))["sdks"]} == SDKS
    zh = _cli("report", "examples/compliant-app", "--no-cache",
              env={"LC_ALL": "", "LC_MESSAGES": "", "LANG": "zh_CN.UTF-8", "LANGUAGE": ""})
    assert zh.returncode == 0 and "已收集个人信息清单" in zh.stdout
    for bad in (["--format", "pdf"], ["--lang", "fr"], ["--app-category", "no-such-type"]):
        done = _cli("report", "examples/compliant-app", "--no-cache", *bad)
        assert done.returncode == 2 and "error" in done.stderr, bad


def test_a_report_of_nothing_is_an_error(tmp_path: Path) -> None:
    """Before, an empty folder gave an empty inventory and exit 0: compliance staff would file a list of nothing."""
    done = _cli("report", str(tmp_path), "--no-cache")
    assert done.returncode == 2 and done.stdout == ""
    assert "no Android project found" in done.stderr and done.stderr.count("\n") == 1


# --- the HTML page in a real browser ---------------------------------------------------------------------------


def _chromium() -> str | None:
    for name in (os.environ.get("PIPL_LINT_CHROMIUM", ""), "chromium", "chromium-browser", "google-chrome",
                 "google-chrome-stable"):
        found = shutil.which(name) if name else None
        if found:
            return found
    return None


class Chromium:
    """A tiny Chrome DevTools Protocol client over `--remote-debugging-pipe` (fd 3: commands in, fd 4: out;
    NUL-terminated JSON), so no WebSocket library and no network port are needed."""

    def __init__(self, binary: str) -> None:
        self.profile = tempfile.TemporaryDirectory(prefix="pipl-lint-chromium-")
        commands_r, self.commands = os.pipe()
        self.replies, replies_w = os.pipe()

        def wire() -> None:  # in the child: the pipe ends become fds 3 and 4
            a, b = os.dup(commands_r), os.dup(replies_w)
            os.dup2(a, 3)
            os.dup2(b, 4)

        self.proc = subprocess.Popen(
            [binary, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             "--disable-extensions", "--remote-debugging-pipe", f"--user-data-dir={self.profile.name}",
             "about:blank"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, close_fds=False,
            preexec_fn=wire)  # the only way to hand a child fixed descriptor numbers
        os.close(commands_r)
        os.close(replies_w)
        self.buffer = b""
        self.last_id = 0
        self.events: list[dict[str, Any]] = []
        self.session: str | None = None

    def send(self, method: str, params: dict[str, Any] | None = None, timeout: float = 30) -> dict[str, Any]:
        self.last_id += 1
        msg: dict[str, Any] = {"id": self.last_id, "method": method, "params": params or {}}
        if self.session and not method.startswith(("Target.", "Browser.")):
            msg["sessionId"] = self.session
        os.write(self.commands, json.dumps(msg).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            reply = self._read(deadline)
            if reply.get("id") == self.last_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})  # type: ignore[no-any-return]
            self.events.append(reply)

    def _read(self, deadline: float) -> dict[str, Any]:
        while b"\0" not in self.buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("no answer from Chromium")
            ready, _, _ = select.select([self.replies], [], [], left)
            if ready:
                chunk = os.read(self.replies, 1 << 16)
                if not chunk:
                    raise EOFError("Chromium closed the pipe")
                self.buffer += chunk
        raw, self.buffer = self.buffer.split(b"\0", 1)
        return json.loads(raw)  # type: ignore[no-any-return]

    def open(self, url: str) -> None:
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        self.session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Runtime", "Log", "Page"):
            self.send(f"{domain}.enable")
        self.send("Page.navigate", {"url": url})
        deadline = time.monotonic() + 30
        while not any(e.get("method") == "Page.loadEventFired" for e in self.events):
            self.events.append(self._read(deadline))

    def eval(self, expression: str) -> Any:
        result = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True})
        assert "exceptionDetails" not in result, result["exceptionDetails"]
        return result["result"].get("value")

    def problems(self) -> list[str]:
        out = []
        for e in self.events:
            method, params = e.get("method"), e.get("params", {})
            if method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert", "warning"):
                out.append(f"console.{params['type']}: {params.get('args')}")
            elif method == "Runtime.exceptionThrown":
                out.append(f"exception: {params.get('exceptionDetails')}")
            elif method == "Log.entryAdded" and params.get("entry", {}).get("level") in ("error", "warning"):
                out.append(f"log: {params['entry'].get('text')}")
        return out

    def close(self) -> None:
        try:
            self.send("Browser.close", timeout=5)
        except (OSError, RuntimeError, TimeoutError, EOFError):
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        os.close(self.commands)
        os.close(self.replies)
        self.profile.cleanup()


@pytest.fixture(scope="module")
def browser() -> Any:
    binary = _chromium()
    if binary is None:
        pytest.skip("no Chromium to render the HTML report (Debian: apt-get install -y chromium; or set "
                    "PIPL_LINT_CHROMIUM to a Chrome/Chromium binary)")
    chromium = Chromium(binary)
    yield chromium
    chromium.close()


def test_html_renders_without_console_errors_and_filters(browser: Chromium, leaky: Inventory,
                                                         tmp_path_factory: pytest.TempPathFactory) -> None:
    doc = _json(leaky, "zh")
    page = tmp_path_factory.mktemp("html") / "leaky.html"
    page.write_text(renderer("html")(leaky, "zh"), "utf-8")
    browser.open(page.as_uri())
    assert browser.eval("document.title").startswith("个人信息保护合规清单")
    assert browser.eval("document.querySelectorAll('#sdks tbody tr').length") == len(doc["sdks"]) == 8
    assert browser.eval("document.querySelectorAll('#personal_information tbody tr').length") == \
        len(doc["personal_information"])
    assert browser.eval("performance.getEntriesByType('resource').length") == 0  # self-contained
    assert browser.eval("getComputedStyle(document.querySelector('th')).position") == "sticky"  # the CSS applied
    visible = "document.querySelectorAll('#{0} tbody tr:not([hidden])').length"
    # Filter the SDK table by text, then clear the filter.
    shown = browser.eval("""(() => { const i = document.querySelector('#sdks input[type=search]');
        i.value = 'umeng'; i.dispatchEvent(new Event('input'));
        return document.querySelector('#sdks .shown-n').textContent; })()""")
    assert shown == "1" and browser.eval(visible.format("sdks")) == 1
    browser.eval("""(() => { const i = document.querySelector('#sdks input[type=search]');
        i.value = ''; i.dispatchEvent(new Event('input')); })()""")
    assert browser.eval(visible.format("sdks")) == 8
    # Filter the PI table by timing.
    browser.eval("""(() => { const s = document.querySelector('#personal_information select');
        s.value = 'user-action'; s.dispatchEvent(new Event('change')); })()""")
    assert browser.eval(visible.format("personal_information")) == \
        sum(p["timing"] == "user-action" for p in doc["personal_information"]) > 0
    # Sort by a column, twice.
    browser.eval("document.querySelector('#sdks th').click(); document.querySelector('#sdks th').click()")
    assert browser.eval("document.querySelector('#sdks th').getAttribute('aria-sort')") == "descending"
    assert browser.problems() == []


# --- policy drift (DS401, DS402) -------------------------------------------------------------------------------

POLICY_WITHOUT_APPSFLYER = """<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>隐私政策</title>
</head><body><h1>每日新闻隐私政策</h1>
<p>我们收集：设备标识符（IMEI、Android ID）、已安装应用列表、位置信息、WLAN 信息与 MAC 地址、设备型号，
以及你拍摄的评论照片（相机）。</p>
<table><tr><th>SDK名称</th><th>提供方</th></tr>
<tr><td>友盟+ 统计SDK</td><td>友盟同欣（北京）科技有限公司</td></tr>
<tr><td>极光推送SDK</td><td>深圳市和讯华谷信息技术有限公司</td></tr>
<tr><td>腾讯 Bugly</td><td>深圳市腾讯计算机系统有限公司</td></tr>
<tr><td>高德定位SDK</td><td>高德软件有限公司</td></tr>
<tr><td>Firebase Analytics / Crashlytics</td><td>Google LLC</td></tr>
</table></body></html>
"""


def _copy(example: str, dest: Path) -> Path:
    return Path(shutil.copytree(EXAMPLES / example, dest / example, ignore=shutil.ignore_patterns(".pipl-lint-cache")))


def _drift(root: Path) -> set[tuple[str, int, str]]:
    rules = [lookup("DS401"), lookup("DS402")]
    result = run([root], root, Config(), [r for r in rules if r is not None])
    assert not result.internal_error, result.diagnostics
    return {(f.path, f.span.line, f.rule) for f in result.findings}


def test_drift_catches_an_sdk_added_to_the_code_but_not_to_the_policy(tmp_path: Path) -> None:
    app = _copy("leaky-app", tmp_path)
    assets = app / "app" / "src" / "main" / "assets"
    assets.mkdir(parents=True)
    (assets / "privacy_policy.html").write_text(POLICY_WITHOUT_APPSFLYER, "utf-8")
    assert _drift(app) == {
        ("app/build.gradle.kts", 96, "DS401"),  # AppsFlyer: in the code, not in the policy
        ("app/src/main/java/com/example/dailynews/ui/splash/SplashActivity.kt", 52, "DS402"),  # the clipboard
    }
    inv = _report("leaky-app", root=tmp_path)
    assert {s.id for s in inv.sdks if s.disclosed is False} == {"appsflyer"}
    assert {c.pi_kind for c in inv.personal_information if c.disclosed is False} == {"clipboard"}


def test_drift_is_silent_on_the_compliant_app_because_its_policy_lists_everything() -> None:
    root = EXAMPLES / "compliant-app"
    result = run([root], root, Config(), [], keep_contexts=True)
    assert policy(result.contexts[0]) is not None  # silence below is not for want of a policy
    assert _drift(root) == set()
    assert _drift(EXAMPLES / "leaky-app") == set()  # no policy text in the leaky app: nothing to compare


def _policy(text: str) -> Policy:
    return _prepare([("privacy.html", text)])


def test_policy_text_matching() -> None:
    assert plain_text("<p>A&nbsp;B</p><script>var x = 'IMEI'</script><!-- OAID -->") == "a b"
    from pipl_lint.catalogs import load_catalog

    kinds = load_catalog().pi_kinds
    pol = _policy("<p>我们不收集 IMEI 与通讯录。我们收集 Android ID（用于统计）。</p>"
                  "<p>We do not collect your contacts.</p><p>I am a path.</p>"
                  "<p>（“粘贴”按钮仅在你点击时读取一次剪贴板）</p>")
    assert kind_mention(pol, kinds["device-id"]) == "denied"
    assert kind_mention(pol, kinds["contacts"]) == "denied"
    assert kind_mention(pol, kinds["android-id"]) == "yes"
    assert kind_mention(pol, kinds["clipboard"]) == "yes"  # brackets end the denial's clause
    assert kind_mention(pol, kinds["sms"]) is None
    assert pol.mention(["AMap"]) is None  # ASCII terms match whole words only ("I am a path")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_not_necessary_count_needs_an_app_category(compliant: Inventory, lang: str) -> None:
    from dataclasses import replace

    from pipl_lint.compliance import labels as L
    from pipl_lint.compliance.table import summary

    label, needs = L.text(lang, "sum_not_necessary"), L.text(lang, "sum_needs_category")
    assert "app-category" in needs
    assert {s.label: s.value for s in summary(compliant, lang)}[label] == 1  # with a category: a count
    for setting in (None, "newz"):  # none, or one that names no known category
        uncategorised = replace(compliant, app_category=None, category_setting=setting)
        assert {s.label: s.value for s in summary(uncategorised, lang)}[label] == needs
        assert f"- {label}: **{needs}**" in renderer("markdown")(uncategorised, lang)
        assert f'<span class="n">{needs}</span><span class="l">{label}</span>' in renderer("html")(uncategorised, lang)
