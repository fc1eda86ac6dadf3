"""The baseline: file format, matching by fingerprint (never by line), counts, gone entries, manual
entries kept on regeneration, and a round trip on a copy of examples/leaky-app."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from pipl_lint import baseline
from pipl_lint.commands.baseline import run_baseline
from pipl_lint.commands.check import CheckOptions, run_check
from pipl_lint.errors import UsageError
from pipl_lint.findings import Category, Finding, Related, Severity, Span
from tests.conftest import EXAMPLES

APP_KT = "app/src/main/java/com/example/dailynews/DailyNewsApp.kt"
PROVIDER = "app/src/main/java/com/example/dailynews/tracking/TrackingProvider.java"


def _f(line: int, anchor: str = "A.onCreate|x", path: str = "A.kt") -> Finding:
    return Finding("EC101", "pi-api-before-consent", Category.EARLY_COLLECTION, Severity.ERROR, path,
                   Span(line, 1, line, 2), "`x` reads PI", "fix", (), anchor=anchor)


def test_entries_have_no_line_numbers_and_count_duplicates() -> None:
    b = baseline.from_findings([_f(3), _f(9), _f(4, "B.run|y")])
    assert len(b.current) == 2
    doc = json.loads(baseline.dumps(b))
    assert doc["version"] == 1 and set(doc) == {"version", "tool", "current", "manually_suppressed"}
    for entry in doc["current"].values():
        assert set(entry) <= {"rule", "name", "path", "message", "count"} and "line" not in json.dumps(entry)
    assert doc["current"][_f(3).fingerprint]["count"] == 2


def test_apply_matches_by_fingerprint_up_to_the_count() -> None:
    b = baseline.from_findings([_f(3), _f(4, "gone|z")])
    out = baseline.apply([_f(30), _f(31), _f(7, "new|n")], b)
    assert [f.span.line for f in out.baselined] == [30]
    assert sorted(f.span.line for f in out.new) == [7, 31]  # a second identical finding is new
    assert out.gone == [_f(4, "gone|z").fingerprint]
    partial = baseline.apply([], b, scope=frozenset({"other.kt"}))
    assert partial.gone == []  # a partial run cannot tell that entries for other files are gone


def _moved(line: int, *reads: str, entry: str = "App.onCreate|Helper.read") -> Finding:
    """A finding on the entry call `entry` in App.kt that leads to `reads` in Helper.kt (related locations)."""
    related = tuple(Related("Helper.kt", Span(10 + i, 1, 10 + i, 2), f"`{r}` reads PI", f"Helper.read|{r}")
                    for i, r in enumerate(reads))
    return replace(_f(line, f"{entry}>{'|'.join(sorted(x.anchor for x in related))}", "App.kt"), related=related)


def test_findings_moved_to_the_entry_call_keep_their_old_baseline_entries() -> None:
    """A baseline written when the reads in a helper were reported where they are still accepts the findings
    now reported on the entry calls that lead there, without using its entries up or counting them as gone."""
    old = baseline.from_findings([_f(10, "Helper.read|tm.imei", "Helper.kt"), _f(11, "Helper.read|mac", "Helper.kt")])
    from_app = _moved(5, "tm.imei", "mac")
    from_splash = _moved(9, "tm.imei", "mac", entry="Splash.onCreate|Helper.read")
    assert from_app.fingerprint != from_splash.fingerprint  # two entry calls, two findings
    assert set(from_app.legacy_fingerprints) == set(old.current)
    out = baseline.apply([from_app, from_splash], old)
    assert out.baselined == [from_app, from_splash] and out.new == [] and out.gone == []
    # A read the old baseline did not accept makes the finding new.
    grown = _moved(5, "tm.imei", "mac", "wifi.ssid")
    assert baseline.apply([grown], old).new == [grown]
    # A regenerated baseline has the new fingerprints, which survive line shifts.
    again = baseline.from_findings([from_app, from_splash])
    assert set(again.current) == {from_app.fingerprint, from_splash.fingerprint}
    assert baseline.apply([_moved(40, "tm.imei", "mac")], again).baselined


def test_manual_entries_survive_regeneration(tmp_path: Path) -> None:
    path = tmp_path / "baseline.json"
    manual = {_f(1, "manual|m").fingerprint: {"rule": "EC101", "name": "n", "path": "A.kt", "message": "m",
                                               "reason": "reviewed: runs after consent"}}
    baseline.write(path, baseline.Baseline({}, manual))
    again = baseline.from_findings([_f(1, "manual|m"), _f(2)], keep=baseline.load(path))
    assert again.manually_suppressed == manual and list(again.current) == [_f(2).fingerprint]
    assert baseline.apply([_f(5, "manual|m")], again).baselined  # manual entries hide findings too


@pytest.mark.parametrize(("content", "message"), [
    (None, "not found"), ("{", "not JSON"), ('{"version": 7}', "not a version-1"),
    ('{"version": 1, "current": []}', "`current` must be an object"),
])
def test_bad_baseline_files(tmp_path: Path, content: str | None, message: str) -> None:
    path = tmp_path / "b.json"
    if content is not None:
        path.write_text(content)
    with pytest.raises(baseline.BaselineError, match=message):
        baseline.load(path)


def test_round_trip_on_the_leaky_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "leaky-app"
    shutil.copytree(EXAMPLES / "leaky-app", root)
    monkeypatch.chdir(root)
    bl = tmp_path / "pipl-lint-baseline.json"
    assert run_baseline(CheckOptions(no_cache=True), bl) == 0
    assert "wrote " in capsys.readouterr().err
    entries = json.loads(bl.read_text("utf-8"))["current"]
    assert len(entries) > 20

    # Nothing new: exit 0, everything baselined.
    assert run_check(CheckOptions(baseline=bl, no_cache=True, format="json")) == 0
    summary = json.loads(capsys.readouterr().out)["summary"]
    assert summary["findings"] == 0 and summary["baselined"] >= len(entries) and summary["baseline_gone"] == 0

    # Lines shift, one problem is added, one file's problems are removed.
    kt = root / APP_KT
    text = kt.read_text("utf-8").replace(
        "        DeviceInfoCollector.collect(this)\n",
        "        DeviceInfoCollector.collect(this)\n"
        "        val again = Settings.Secure.getString(contentResolver, Settings.Secure.ANDROID_ID)\n")
    kt.write_text("// moved down\n\n" + text, "utf-8")
    removed = sum(1 for e in entries.values() if e["path"] == PROVIDER)
    (root / PROVIDER).unlink()
    assert run_check(CheckOptions(baseline=bl, no_cache=True, format="json")) == 1
    doc = json.loads(capsys.readouterr().out)
    (new,) = doc["findings"]
    assert new["rule"] == "EC101" and new["path"] == APP_KT and new["line"] == 60
    assert doc["summary"]["baseline_gone"] >= removed >= 1

    # The text summary says both numbers.
    run_check(CheckOptions(baseline=bl, no_cache=True))
    assert f"in the baseline, {doc['summary']['baseline_gone']} baseline entries gone" in capsys.readouterr().out


def test_missing_baseline_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="pipl-lint baseline"):
        run_check(CheckOptions(paths=(EXAMPLES / "compliant-app",), baseline=tmp_path / "none.json", no_cache=True))


# --- the baseline with the pre-commit hook (as docs/integrations.md shows it) -------------------------------

HOOK_WITH_BASELINE = """repos:
  - repo: local
    hooks:
      - id: pipl-lint
        name: pipl-lint
        entry: {exe} check
        language: system
        files: (\\.kt|\\.kts|\\.java|\\.gradle|\\.toml|\\.xml)$
        require_serial: true
        args: [--baseline, pipl-lint-baseline.json]
"""


def test_hook_with_baseline_reports_only_new_findings(tmp_path: Path) -> None:
    import subprocess
    import sys

    exe = Path(sys.executable).parent / "pipl-lint"

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(list(args), cwd=repo, capture_output=True, text=True, timeout=300)

    repo = tmp_path / "repo"
    shutil.copytree(EXAMPLES / "leaky-app", repo / "android")
    (repo / ".pre-commit-config.yaml").write_text(HOOK_WITH_BASELINE.format(exe=exe))
    for args in (("init", "-q", "-b", "main"), ("config", "user.email", "dev@example.com"),
                 ("config", "user.name", "Dev")):
        run("git", *args)
    made = run(str(exe), "baseline")  # from the repository's root, where pre-commit runs the hook
    assert made.returncode == 0 and (repo / "pipl-lint-baseline.json").is_file(), made.stderr
    run("git", "add", "-A")
    assert run("git", "commit", "-q", "-m", "app and baseline").returncode == 0
    # touching files that have baselined findings passes
    provider = repo / "android" / "analytics/src/main/java/com/example/dailynews/analytics/DeviceIdProvider.java"
    app = repo / "android" / APP_KT
    provider.write_text(provider.read_text("utf-8") + "// touched\n", "utf-8")
    app.write_text(app.read_text("utf-8") + "// touched\n", "utf-8")
    run("git", "add", "-A")
    old_only = run(sys.executable, "-m", "pre_commit", "run", "--verbose")
    assert old_only.returncode == 0, old_only.stdout + old_only.stderr
    assert "in the baseline" in old_only.stdout
    # a new problem is reported, and only it
    app.write_text(app.read_text("utf-8").replace(
        "super.onCreate()", "super.onCreate()\n        android.os.Build.getSerial()", 1), "utf-8")
    run("git", "add", "-A")
    new = run(sys.executable, "-m", "pre_commit", "run")
    assert new.returncode == 1, new.stdout + new.stderr
    assert "getSerial" in new.stdout and new.stdout.count(" error EC") == 1, new.stdout
