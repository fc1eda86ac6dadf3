"""Inline suppressions: comment, annotation and XML forms, which findings they hide, reasons
(`suppression-without-reason`), unused suppressions, and a round trip on a copy of examples/leaky-app."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from pipl_lint.commands.check import CheckOptions, run_check
from pipl_lint.config import Config
from pipl_lint.engine import run
from pipl_lint.findings import Category, Finding, Related, Severity, Span
from pipl_lint.registry import all_rules, lookup
from pipl_lint.suppress import Suppression, known_keys, parse_annotation, parse_comment, unused
from tests.conftest import EXAMPLES, FIXTURES

APP_KT = "app/src/main/java/com/example/dailynews/DailyNewsApp.kt"
PROVIDER = "app/src/main/java/com/example/dailynews/tracking/TrackingProvider.java"
MANIFEST = "app/src/main/AndroidManifest.xml"


def _f(rule: str = "EC101", line: int = 5, path: str = "A.kt",
       category: Category = Category.EARLY_COLLECTION) -> Finding:
    name = {"EC101": "pi-api-before-consent", "SP501": "suppression-without-reason"}.get(rule, "x-y")
    return Finding(rule, name, category, Severity.ERROR, path, Span(line, 1, line, 2), "m", "f", ())


@pytest.mark.parametrize(("text", "rules", "reason"), [
    ("// pipl-lint: ignore[EC101] consent checked in BaseActivity", {"EC101"}, "consent checked in BaseActivity"),
    ("// pipl-lint: ignore[EC101, pi-api-before-consent]", {"EC101", "pi-api-before-consent"}, ""),
    ("/* pipl-lint: ignore[EC101] */", {"EC101"}, ""),
    ("/* pipl-lint: ignore[EC101] — */", {"EC101"}, ""),
    ("/* pipl-lint:ignore[all] migration only */", {"all"}, "migration only"),
    ("<!-- pipl-lint: ignore[EP201] used by the barcode scanner -->", {"EP201"}, "used by the barcode scanner"),
    ("/*\n * pipl-lint: ignore[EC102]\n * the SDK is our own\n */", {"EC102"}, "the SDK is our own"),
])
def test_comment_forms(text: str, rules: set[str], reason: str) -> None:
    s = parse_comment("A.kt", 4, 4 + text.count("\n"), text)
    assert s is not None and s.rules == rules and s.reason == reason
    assert (s.first_line, s.last_line) == (4, 5 + text.count("\n"))  # its own lines and the next one


def test_ordinary_comments_are_not_suppressions() -> None:
    assert parse_comment("A.kt", 1, 1, "// pipl-lint found this once; keep an eye on it") is None


def test_annotations_keep_only_pipl_lint_keys() -> None:
    known = known_keys()
    s = parse_annotation("A.kt", 3, 9, '@SuppressLint("HardwareIds", "EC101", "pi-api-before-consent")', known)
    assert s is not None and s.rules == {"EC101", "pi-api-before-consent"} and (s.first_line, s.last_line) == (3, 9)
    assert parse_annotation("A.kt", 3, 9, '@Suppress("UNCHECKED_CAST", "all")', known) is None
    assert parse_annotation("A.kt", 3, 9, '@Suppress("ktlint:standard:max-line-length")', known) is None
    whole = parse_annotation("A.kt", 1, 1, '@file:Suppress("pipl-lint:EC106")', known)
    assert whole is not None and whole.covers(_f("EC106", 4000))


def test_covers_by_id_name_category_and_all() -> None:
    def sup(*rules: str) -> Suppression:
        return Suppression("A.kt", 4, 5, frozenset(rules), "r", 4, "comment")

    assert sup("EC101").covers(_f()) and sup("pi-api-before-consent").covers(_f())
    assert sup("early-collection").covers(_f()) and sup("all").covers(_f())
    assert not sup("EC102").covers(_f()) and not sup("EC101").covers(_f(line=6))
    assert not sup("EC101").covers(_f(path="B.kt"))
    # meta findings about suppressions are hidden only when named
    meta = _f("SP501", 5, category=Category.SUPPRESSION)
    assert not sup("all").covers(meta) and sup("SP501").covers(meta)


def test_unused_suppressions() -> None:
    rules = all_rules()
    ec101 = [r for r in rules if r.meta.id == "EC101"]
    used = Suppression("A.kt", 4, 5, frozenset({"EC101"}), "r", 4, "comment")
    idle = Suppression("A.kt", 10, 11, frozenset({"EC101"}), "r", 10, "comment")
    typo = Suppression("A.kt", 20, 21, frozenset({"EC999"}), "r", 20, "comment")
    other = Suppression("A.kt", 30, 31, frozenset({"EC102"}), "r", 30, "comment")  # EC102 did not run
    found = unused([used, idle, typo, other], [_f()], ec101, rules)
    assert [(s.line, why) for s, why in found] == [(10, "hides no finding"), (20, "names no pipl-lint rule: EC999")]


def test_require_reason_can_be_turned_off() -> None:
    case = FIXTURES / "rules" / "suppression-without-reason" / "bad"
    rule = lookup("SP501")
    assert rule is not None
    assert run([case], case, Config(), [rule]).findings
    assert run([case], case, Config(require_reason=False), [rule]).findings == []


# --- round trip on the example app ---------------------------------------------------------------------------

def _insert_before(path: Path, needle: str, line: str) -> None:
    lines = path.read_text("utf-8").splitlines(keepends=True)
    i = next(n for n, text in enumerate(lines) if needle in text)
    indent = lines[i][: len(lines[i]) - len(lines[i].lstrip())]
    lines.insert(i, indent + line + "\n")
    path.write_text("".join(lines), "utf-8")


def _append_to_line(path: Path, needle: str, tail: str) -> None:
    lines = path.read_text("utf-8").splitlines(keepends=True)
    i = next(n for n, text in enumerate(lines) if needle in text)
    lines[i] = lines[i].rstrip("\n") + tail + "\n"
    path.write_text("".join(lines), "utf-8")


@pytest.fixture(scope="module")
def round_trip(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[Finding], object, Path]:
    root = tmp_path_factory.mktemp("suppress") / "leaky-app"
    shutil.copytree(EXAMPLES / "leaky-app", root)
    before = run([root], root, Config(), all_rules()).findings
    perm = next(f for f in before if f.path == MANIFEST and f.rule.startswith("EP") and f.span.line == 9)
    _insert_before(root / APP_KT, "UMConfigure.init(", "// pipl-lint: ignore[EC102] preInit is wired in PrivacyDialog")
    _append_to_line(root / APP_KT, "JPushInterface.init(this)", " // pipl-lint: ignore[sdk-init-before-consent]")
    _insert_before(root / PROVIDER, "public boolean onCreate()", '@android.annotation.SuppressLint("EC101")')
    _insert_before(root / MANIFEST, "<application", "<!-- pipl-lint: ignore[EC104] enabled after consent in App -->")
    text = (root / MANIFEST).read_text("utf-8")
    ignored = text.replace("<uses-permission\n", f'<uses-permission tools:ignore="{perm.rule}"\n', 1)
    (root / MANIFEST).write_text(ignored, "utf-8")
    _insert_before(root / APP_KT, "CrashReport.setUserId", "// pipl-lint: ignore[EC106, EC999] nothing to hide here")
    after = run([root], root, Config(), all_rules())
    return before, after, root


def test_suppressions_hide_exactly_their_findings(round_trip: tuple) -> None:
    before, after, _root = round_trip
    hidden = {f.fingerprint for f in after.suppressed}
    expected = {f.fingerprint for f in before if
                (f.rule == "EC102" and ("UMConfigure" in f.message or "JPushInterface" in f.message))
                or (f.rule == "EC101" and f.path == PROVIDER)
                or (f.rule == "EC104")
                or (f.path == MANIFEST and f.span.line == 9 and f.rule.startswith("EP"))}
    assert hidden == expected and len(expected) >= 7
    still = {f.fingerprint for f in after.findings if f.rule != "SP501"}
    assert still == {f.fingerprint for f in before} - expected  # line shifts do not change anything else


def test_reasonless_suppression_is_reported(round_trip: tuple) -> None:
    _before, after, _root = round_trip
    (sp,) = [f for f in after.findings if f.rule == "SP501"]
    assert sp.path == APP_KT and sp.message == "`pipl-lint: ignore[sdk-init-before-consent]` gives no reason"
    lines = (_root / APP_KT).read_text("utf-8").splitlines()
    assert "JPushInterface.init(this)" in lines[sp.span.line - 1]


def test_show_unused_suppressions(round_trip: tuple, monkeypatch: pytest.MonkeyPatch,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    _before, _after, root = round_trip
    monkeypatch.chdir(root)
    run_check(CheckOptions(show_unused_suppressions=True, no_cache=True, quiet=True, format="json"))
    err = capsys.readouterr().err.splitlines()
    unused_lines = [line for line in err if "unused suppression" in line]
    assert len(unused_lines) == 1
    assert unused_lines[0].startswith(f"{APP_KT}:") and "names no pipl-lint rule: EC999" in unused_lines[0]


def test_text_summary_counts_suppressed(round_trip: tuple, monkeypatch: pytest.MonkeyPatch,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    _before, after, root = round_trip
    monkeypatch.chdir(root)
    run_check(CheckOptions(no_cache=True, format="grouped"))
    assert f"{len(after.suppressed)} suppressed" in capsys.readouterr().out


HELPERS = FIXTURES / "rules" / "pi-api-before-consent" / "bad-helper-entry-calls-java"
SRC = "src/com/acme"


def _helper_run(tmp_path: Path, edits: list[tuple[str, str, str]]) -> tuple[list[Finding], list[Finding]]:
    """EC101 on a copy of the helper fixture after appending `tail` to the line of `file` holding `needle`:
    (reported, suppressed) as (path, line) of each finding."""
    root = tmp_path / "app"
    shutil.copytree(HELPERS, root)
    for file, needle, tail in edits:
        _append_to_line(root / SRC / file, needle, tail)
    rule = lookup("EC101")
    assert rule is not None
    result = run([root], root, Config(), [rule])
    return result.findings, result.suppressed


def _where(findings: list[Finding]) -> set[tuple[str, int]]:
    return {(f.path.rsplit("/", 1)[-1], f.span.line) for f in findings}


def test_a_suppression_at_the_collecting_call_hides_every_finding_that_leads_there(tmp_path: Path) -> None:
    """Findings moved from the collecting call to the entry calls that lead into the helper: a comment written
    where they were reported before still hides them (all three entry calls), and nothing else."""
    kept, hidden = _helper_run(tmp_path, [("DeviceIdUtil.java", "tm.getImei()", " // pipl-lint: ignore[EC101] test")])
    assert _where(hidden) == {("App.java", 12), ("SplashActivity.java", 10), ("InitProvider.java", 11)}
    assert _where(kept) == {("App.java", 13), ("App.java", 14)}


def test_a_suppression_at_the_entry_call_hides_that_finding_only(tmp_path: Path) -> None:
    suppression = " // pipl-lint: ignore[EC101] reviewed"
    kept, hidden = _helper_run(tmp_path, [("SplashActivity.java", "setTitle(", suppression)])
    assert _where(hidden) == {("SplashActivity.java", 10)}
    assert {("App.java", 12), ("InitProvider.java", 11)} <= _where(kept)


def test_a_suppression_on_some_collecting_calls_does_not_hide_the_others(tmp_path: Path) -> None:
    one = [("DeviceProfile.java", "tm.getSubscriberId()", " // pipl-lint: ignore[EC101] not shipped")]
    kept, hidden = _helper_run(tmp_path, one)
    assert not hidden and ("App.java", 13) in _where(kept)
    every = [("DeviceProfile.java", needle, " // pipl-lint: ignore[EC101] not shipped")
             for needle in ("tm.getSubscriberId()", "tm.getSimSerialNumber()", "Settings.Secure.ANDROID_ID);",
                            "getMacAddress()", "lm.getLastKnownLocation")]
    kept, hidden = _helper_run(tmp_path / "every", every)
    assert _where(hidden) == {("App.java", 13)}


def test_a_suppression_at_a_related_location_is_used() -> None:
    f = replace(_f(line=5), related=(Related("B.kt", Span(9, 1, 9, 2), "`x` reads IMEI"),))
    at_read = parse_comment("B.kt", 9, 9, "// pipl-lint: ignore[EC101] checked")
    elsewhere = parse_comment("B.kt", 20, 20, "// pipl-lint: ignore[EC101] checked")
    assert at_read is not None and elsewhere is not None
    ec101 = lookup("EC101")
    assert ec101 is not None
    assert [s.line for s, _why in unused([at_read, elsewhere], [f], [ec101], all_rules())] == [20]


def test_a_helper_many_entry_calls_lead_to_is_reported_where_it_collects() -> None:
    """More than three entry calls into one helper: one finding in the helper (one change there fixes every
    caller) whose message says how many calls reach it, not one finding per call."""
    root = FIXTURES / "rules" / "pi-api-before-consent" / "bad-helper-many-entry-calls-java"
    rule = lookup("EC101")
    assert rule is not None
    found = run([root], root, Config(), [rule]).findings
    assert _where(found) == {("Api.java", 11)}
    assert "reached before consent from 4 calls in entry code" in found[0].message
    assert not found[0].related
