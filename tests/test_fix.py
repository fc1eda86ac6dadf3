"""`check --fix`, `--unsafe-fixes` and `--diff`: the edits themselves (encodings, line breaks, conflicts,
applicability) and round trips on a copy of examples/leaky-app: fix, re-run, the finding is gone, the file
is otherwise byte-identical, and a second run changes nothing."""

from __future__ import annotations

import codecs
import shutil
from pathlib import Path

import pytest

from pipl_lint import fixes
from pipl_lint.commands.check import CheckOptions, run_check
from pipl_lint.config import Config
from pipl_lint.engine import run
from pipl_lint.findings import Applicability, Category, Edit, Finding, Severity, Span
from pipl_lint.parse.xml import parse_xml
from pipl_lint.registry import all_rules, lookup
from tests.conftest import EXAMPLES, ROOT

MANIFEST = "app/src/main/AndroidManifest.xml"
APP_KT = "app/src/main/java/com/example/dailynews/DailyNewsApp.kt"


def _finding(*edits: Edit, line: int = 1) -> Finding:
    return Finding("EC104", "sdk-collection-enabled-by-manifest", Category.EARLY_COLLECTION, Severity.ERROR,
                   edits[0].path if edits else "f.xml", Span(line, 1, line, 2), f"m{line}", "fix", (), edits=edits)


@pytest.fixture
def leaky(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "leaky-app"
    shutil.copytree(EXAMPLES / "leaky-app", root)
    monkeypatch.chdir(root)
    return root


def _findings(root: Path, *rules: str) -> list[Finding]:
    chosen = [r for r in all_rules() if not rules or r.meta.id in rules]
    return run([root], root, Config(), chosen).findings


# --- the edits ------------------------------------------------------------------------------------------------

def test_apply_edits_back_to_front() -> None:
    text = "0123456789"
    edits = [Edit("f", 2, 4, "ab"), Edit("f", 0, 0, ">"), Edit("f", 9, 10, "")]
    assert fixes.apply_edits(text, edits) == ">01ab45678"
    with pytest.raises(fixes.FixError):
        fixes.apply_edits(text, [Edit("f", 5, 11, "")])


def test_plan_skips_conflicts_dedupes_and_respects_applicability() -> None:
    a = _finding(Edit("f.xml", 10, 10, "A"), line=1)
    same = _finding(Edit("f.xml", 10, 10, "A"), line=2)  # the same edit: fixed together
    clash = _finding(Edit("f.xml", 10, 10, "B"), line=3)  # another insertion at the same point: next pass
    unsafe = _finding(Edit("f.xml", 50, 52, "u", Applicability.UNSAFE), line=4)
    plan = fixes.plan([clash, unsafe, same, a])
    assert plan.edits == {"f.xml": [Edit("f.xml", 10, 10, "A")]}
    assert plan.fixed == [a, same] and plan.skipped_unsafe == 1
    assert fixes.plan([unsafe], unsafe=True).edits == {"f.xml": [unsafe.edits[0]]}


@pytest.mark.parametrize(("encoding", "bom"), [("utf-8", b""), ("utf-8", codecs.BOM_UTF8),
                                               ("utf-16-le", codecs.BOM_UTF16_LE)])
def test_file_encoding_bom_and_crlf_are_kept(tmp_path: Path, encoding: str, bom: bytes) -> None:
    original = "<a>\r\n  <b/>\r\n</a>\r\n"
    (tmp_path / "f.xml").write_bytes(bom + original.encode(encoding))
    at = original.index("\r\n  <b/>")
    plan = fixes.plan([_finding(Edit("f.xml", at, at, "\n  <c/>"))])
    changes, problems = fixes.changes(tmp_path, plan)
    assert problems == []
    assert fixes.write(tmp_path, changes) == 1
    data = (tmp_path / "f.xml").read_bytes()
    assert data == bom + "<a>\r\n  <c/>\r\n  <b/>\r\n</a>\r\n".encode(encoding)


def test_files_that_do_not_round_trip_are_left_alone(tmp_path: Path) -> None:
    (tmp_path / "f.xml").write_bytes(b"<a>\xff\xfe broken</a>\n")
    changes, problems = fixes.changes(tmp_path, fixes.plan([_finding(Edit("f.xml", 0, 0, "x"))]))
    assert changes == [] and "round-trip" in problems[0]
    assert (tmp_path / "f.xml").read_bytes() == b"<a>\xff\xfe broken</a>\n"


def test_diff_shows_without_writing(tmp_path: Path) -> None:
    (tmp_path / "f.xml").write_text("<a>\n</a>\n")
    changes, _ = fixes.changes(tmp_path, fixes.plan([_finding(Edit("f.xml", 4, 4, "  <b/>\n"))]))
    diff = fixes.unified_diff(changes)
    assert diff.startswith("--- a/f.xml\n+++ b/f.xml\n") and "+  <b/>\n" in diff
    assert (tmp_path / "f.xml").read_text() == "<a>\n</a>\n"


# --- round trips on the example app ---------------------------------------------------------------------------

def test_safe_fix_round_trip(leaky: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = (leaky / MANIFEST).read_bytes()
    kotlin_before = (leaky / APP_KT).read_bytes()
    edits = [e for f in _findings(leaky, "EC104") for e in f.edits]
    assert edits, "EC104 offers an edit on the leaky app"
    code = run_check(CheckOptions(select=("EC104",), fix=True, no_cache=True, format="json"))
    assert code == 0  # both Firebase findings are fixed; nothing is left to fail
    assert "Fixed 1 problem in 1 file" in capsys.readouterr().err
    after = (leaky / MANIFEST).read_bytes()
    inserted = edits[0].text.encode()
    at = len(before.decode("utf-8")[: edits[0].start].encode())
    assert after == before[:at] + inserted + before[at:]  # everything else byte-identical
    assert (leaky / APP_KT).read_bytes() == kotlin_before  # the unsafe fix was not applied
    assert _findings(leaky, "EC104") == []
    assert parse_xml(after.decode()).errors == ()
    run_check(CheckOptions(select=("EC104",), fix=True, no_cache=True, format="json"))
    assert (leaky / MANIFEST).read_bytes() == after  # idempotent


def test_unsafe_fix_round_trip(leaky: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = (leaky / APP_KT).read_text("utf-8")
    assert run_check(CheckOptions(select=("EC102",), fix=True, no_cache=True)) == 1
    assert "1 more with --unsafe-fixes" in capsys.readouterr().err
    assert (leaky / APP_KT).read_text("utf-8") == before
    run_check(CheckOptions(select=("EC102",), fix=True, unsafe_fixes=True, no_cache=True))
    after = (leaky / APP_KT).read_text("utf-8")
    assert after == before.replace("UMConfigure.init(", "UMConfigure.preInit(").replace(
        "            UMConfigure.DEVICE_TYPE_PHONE,\n            \"\",\n", "")
    remaining = _findings(leaky, "EC102")
    assert remaining and not any("UMConfigure" in f.message for f in remaining)


def test_diff_writes_nothing_and_fix_converges(leaky: Path, capsys: pytest.CaptureFixture[str]) -> None:
    snapshot = {p: p.read_bytes() for p in leaky.rglob("*") if p.is_file()}
    assert run_check(CheckOptions(diff=True, no_cache=True)) == 1
    diff = capsys.readouterr().out
    assert f"--- a/{MANIFEST}" in diff and "+        <meta-data android:name=\"firebase_" in diff
    assert {p: p.read_bytes() for p in leaky.rglob("*") if p.is_file()} == snapshot
    run_check(CheckOptions(fix=True, no_cache=True, quiet=True))
    capsys.readouterr()
    assert run_check(CheckOptions(diff=True, no_cache=True)) == 0  # nothing safe left to fix
    assert capsys.readouterr().out == ""
    for f in _findings(leaky):
        assert not fixes.allowed(f, unsafe=False), f"{f.rule} still offers a safe fix after --fix"


def test_fix_and_diff_together_is_a_usage_error() -> None:
    from pipl_lint.errors import UsageError

    with pytest.raises(UsageError):
        run_check(CheckOptions(paths=(EXAMPLES / "leaky-app",), fix=True, diff=True))


# --- documentation agrees with the code ------------------------------------------------------------------------

def test_fix_safety_sections_agree_with_fixable() -> None:
    for rule in all_rules():
        doc = rule.doc.split("## Fix safety", 1)
        text = doc[1].split("\n## ", 1)[0].strip() if len(doc) == 2 else ""
        if rule.meta.fixable:
            assert text and not text.startswith("No automatic fix"), f"{rule.meta.id}: describe its fix's safety"
        else:
            assert not text or text.startswith("No automatic fix"), f"{rule.meta.id}: fixable=False but {text[:40]}"


def test_unsafe_fixes_are_documented_as_unsafe(leaky: Path) -> None:
    unsafe_rules = {f.rule for f in _findings(leaky) if any(e.applicability == Applicability.UNSAFE
                                                             for e in f.edits)}
    assert "EC102" in unsafe_rules
    for rule_id in unsafe_rules:
        rule = lookup(rule_id)
        assert rule is not None and "unsafe" in rule.doc.split("## Fix safety", 1)[1].split("\n## ", 1)[0]


def test_pre_commit_hook_never_edits_by_default() -> None:
    hooks = (ROOT / ".pre-commit-hooks.yaml").read_text("utf-8")
    assert "--fix" not in hooks and "--unsafe-fixes" not in hooks


# --- fix hygiene (issue 15 item 5) --------------------------------------------------------------------------------

def _project(root: Path, manifest_body: str, dependencies: str = "") -> Path:
    (root / "app/src/main/java/com/acme").mkdir(parents=True)
    (root / "settings.gradle").write_text("include ':app'\n", encoding="utf-8")
    (root / "app/build.gradle").write_text(
        "plugins { id 'com.android.application' }\n"
        "android {\n    namespace 'com.acme'\n    defaultConfig { minSdk 24; targetSdk 34 }\n}\n"
        f"dependencies {{\n{dependencies}}}\n", encoding="utf-8")
    (root / MANIFEST).write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<manifest xmlns:android="http://schemas.android.com/apk/res/android"\n'
        '    xmlns:tools="http://schemas.android.com/tools">\n'
        f"{manifest_body}"
        '    <application android:name=".App" />\n'
        "</manifest>\n", encoding="utf-8")
    (root / "app/src/main/java/com/acme/App.kt").write_text(
        "package com.acme\n\nclass App : android.app.Application()\n", encoding="utf-8")
    return root


def test_a_deletion_that_empties_its_line_removes_the_line(tmp_path: Path) -> None:
    for nl in ("\n", "\r\n"):
        (tmp_path / "f.xml").write_bytes(f"<a>{nl}    <b />  {nl}    <c />{nl}</a>{nl}".encode())
        start = (tmp_path / "f.xml").read_bytes().decode().index("<b />")
        change = fixes.change_for(tmp_path, "f.xml", [Edit("f.xml", start, start + 5, "")])
        assert change.after == f"<a>{nl}    <c />{nl}</a>{nl}"
        inline = fixes.change_for(tmp_path, "f.xml", [Edit("f.xml", start, start + 1, "")])
        assert inline.after == f"<a>{nl}    b />  {nl}    <c />{nl}</a>{nl}"  # the line keeps other text


def test_typo_fix_never_declares_a_permission_twice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = _project(tmp_path / "p",
                    '    <uses-permission android:name="android.permission.READ_CONTACT" />\n'
                    '    <uses-permission android:name="android.permission.READ_CONTACTS" />\n')
    monkeypatch.chdir(root)
    run_check(CheckOptions(select=("EP203",), fix=True, unsafe_fixes=True, no_cache=True, quiet=True))
    text = (root / MANIFEST).read_text("utf-8")
    assert text.count('"android.permission.READ_CONTACTS"') == 1 and "READ_CONTACT\"" not in text
    assert '    <uses-permission android:name="android.permission.READ_CONTACTS" />\n' in text
    assert "\n\n" not in text and parse_xml(text).errors == ()


def test_typo_fix_replaces_the_name_when_the_right_one_is_missing(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    root = _project(tmp_path / "p", '    <uses-permission android:name="android.permission.READ_CONTACT" />\n')
    monkeypatch.chdir(root)
    run_check(CheckOptions(select=("EP203",), fix=True, unsafe_fixes=True, no_cache=True, quiet=True))
    assert '<uses-permission android:name="android.permission.READ_CONTACTS" />' in (root / MANIFEST).read_text()


def test_max_sdk_fix_does_not_trade_a_warning_for_declared_unused(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    root = _project(tmp_path / "p", '    <uses-permission android:name="android.permission.READ_EXTERNAL_STORAGE" />\n')
    monkeypatch.chdir(root)
    before = {f.rule for f in _findings(root, "EP201", "EP205")}
    (legacy,) = _findings(root, "EP205")
    assert legacy.edits == () and "Remove" in legacy.fix
    run_check(CheckOptions(fix=True, no_cache=True, quiet=True))
    assert {f.rule for f in _findings(root, "EP201", "EP205")} <= before


def test_diff_shows_every_pass_that_fix_applies(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    """Two SDKs merge permissions the app does not use: both removals insert after `<manifest>`, so `--fix`
    needs two passes, and `--diff` must show both."""
    deps = "    implementation 'com.umeng.umsdk:common:9.6.7'\n    implementation 'com.qq.e.union:union:4.560.1430'\n"
    root = _project(tmp_path / "p", "", deps)
    monkeypatch.chdir(root)
    assert run_check(CheckOptions(diff=True, no_cache=True)) == 1
    shown = [line[1:] for line in capsys.readouterr().out.splitlines() if line.startswith("+ ")]
    before = (root / MANIFEST).read_text("utf-8")
    run_check(CheckOptions(fix=True, no_cache=True, quiet=True))
    after = (root / MANIFEST).read_text("utf-8")
    added = [line for line in after.splitlines() if line not in before.splitlines()]
    assert len(added) == 2 and sorted(shown) == sorted(added)
