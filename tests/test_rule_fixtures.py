"""Every rule against its own fixture projects: `bad/` cases fire exactly on the marked lines, `good/`
cases stay silent. Markers are comments: `// expect: EC101` on the line that must be reported, `// collects:
EC101` on each related location of those findings (the collecting calls a helper makes, reported on the
entry call that leads into it)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipl_lint.config import Config, load_config
from pipl_lint.engine import run
from pipl_lint.findings import Severity
from pipl_lint.registry import all_rules, lookup
from tests.conftest import COLLECTS, FIXTURES, expectations, fixture_dirs

CASES = list(fixture_dirs())


def _rule_of(case: Path) -> str:
    rule = lookup(case.parent.name)
    assert rule is not None, f"fixture folder {case.parent.name} names no rule"
    return rule.meta.id


def _findings(case: Path, rule_id: str) -> tuple[set[tuple[str, int, str]], set[tuple[str, int, str]]]:
    # A case may carry its own configuration (`pipl-lint.toml`, e.g. `distribution`).
    config = load_config(case / "pipl-lint.toml") if (case / "pipl-lint.toml").is_file() else Config()
    if (case / "category.txt").is_file():
        config = config.with_overrides(app_category=(case / "category.txt").read_text().strip())
    rule = lookup(rule_id)
    assert rule is not None
    result = run([case], case, config, [rule])
    assert not result.internal_error, result.diagnostics
    return ({(f.path, f.span.line, f.rule) for f in result.findings},
            {(r.path, r.span.line, f.rule) for f in result.findings for r in f.related})


@pytest.mark.parametrize("case", CASES, ids=[f"{c.parent.name}/{c.name}" for c in CASES])
def test_fixture(case: Path) -> None:
    rule_id = _rule_of(case)
    got, related = _findings(case, rule_id)
    want = {e for e in expectations(case) if e[2] == rule_id}
    collects = {e for e in expectations(case, COLLECTS) if e[2] == rule_id}
    if case.name.startswith("good"):
        assert not want, "good fixtures must not carry expect markers"
        assert got == set(), f"{rule_id} fired on a good fixture: {sorted(got)}"
    else:
        assert want, "bad fixtures must mark at least one expected finding"
        assert got == want, f"missing {sorted(want - got)}; unexpected {sorted(got - want)}"
        assert related == collects, \
            f"related: missing {sorted(collects - related)}; unexpected {sorted(related - collects)}"


def test_every_rule_has_good_and_bad_fixtures() -> None:
    names = {r.meta.name for r in all_rules()}
    base = FIXTURES / "rules"
    for name in sorted(names):
        cases = {p.name.split("-")[0] for p in (base / name).iterdir()} if (base / name).is_dir() else set()
        assert {"bad", "good"} <= cases, f"rule {name} needs tests/fixtures/rules/{name}/bad*/ and good*/"


def test_rationale_on_user_action_names_the_miit_requirement_outside_google_play() -> None:
    """CF304 for a request on a tap, in an app distributed in China: the message says why it is still reported
    (MIIT's synchronous-purpose requirement) and the fix says how to meet it; a request at startup keeps the
    plain message."""
    base = FIXTURES / "rules" / "permission-request-without-rationale"
    rule = lookup("CF304")
    assert rule is not None
    china = run([base / "bad-china-user-action-java"], base / "bad-china-user-action-java",
                load_config(base / "bad-china-user-action-java" / "pipl-lint.toml"), [rule]).findings
    assert china and all("on a user action" in f.message and "MIIT" in f.message for f in china)
    assert all("purpose banner" in f.fix for f in china)
    startup = run([base / "bad-play-startup-java"], base / "bad-play-startup-java", Config(), [rule]).findings
    assert startup and all("without first showing why" in f.message for f in startup)


UNDECIDED = {  # fixture -> {(file, line): the condition a warning names}; every other finding stays an error
    ("pi-api-before-consent", "bad-undecided-condition-kotlin"): {
        ("src/com/acme/App.kt", 20): 'ServerSwitch.isOpen("collect_ids")',
        ("src/com/acme/App.kt", 24): 'prefs.getString("map", defaultMap()) == "amap"',
        ("src/com/acme/App.kt", 28): 'mode == 2',  # a local holding the stored setting: its read is followed
        ("src/com/acme/App.kt", 47): 'intent.getStringExtra("from") == "push"'},
    ("pi-api-before-consent", "bad-undecided-condition-java"): {
        ("src/com/acme/App.java", 17): 'RemoteFlags.enabled("collect_ids")',
        ("src/com/acme/App.java", 20): 'getInt("mode", Defaults.mode()) == 2',
        ("src/com/acme/SplashActivity.java", 11): '"push".equals(getIntent().getStringExtra("from"))'},
    ("pi-api-before-consent", "bad-task-listener-kotlin"): {
        ("src/com/acme/App.kt", 17): 'remoteConfig.getBoolean("collect_ids")'},
    ("pi-api-before-consent", "bad-task-listener-java"): {
        ("src/com/acme/App.java", 17): 'remoteConfig.getBoolean("collect_ids")'},
    ("sdk-init-before-consent", "bad-undecided-condition-kotlin"): {
        ("src/com/acme/App.kt", 17): 'ServerSwitch.isOpen("push")',
        ("src/com/acme/App.kt", 20): 'getString("crash_reports", channel()) == "on"'},
    ("sdk-init-before-consent", "bad-undecided-condition-java"): {
        ("src/com/acme/App.java", 17): 'RemoteFlags.enabled("push")'},
}


@pytest.mark.parametrize("folder", sorted(UNDECIDED), ids=lambda f: "/".join(f))
def test_undecided_condition_lowers_the_severity(folder: tuple[str, str]) -> None:
    """A path behind a condition first launch does not decide (a server's switch, a setting whose default the code
    does not show, an intent extra) is a warning whose message names the condition; behind a process check, the OS
    version, a thread or a delay it stays an error. A severity configured for the rule is kept as configured."""
    case = FIXTURES / "rules" / folder[0] / folder[1]
    rule = lookup(folder[0])
    assert rule is not None
    findings = run([case], case, Config(), [rule]).findings
    lowered = {(f.path, f.span.line): f for f in findings if f.severity is Severity.WARNING}
    assert set(lowered) == set(UNDECIDED[folder])
    for where, condition in UNDECIDED[folder].items():
        message = lowered[where].message
        assert condition in message and "does not decide on first launch" in message, message
        zh = lowered[where].localized("zh").message
        assert "首次启动时代码无法确定该条件" in zh and "警告" in zh, zh
    assert all(f.severity is Severity.ERROR for f in findings if (f.path, f.span.line) not in lowered)
    configured = Config().with_overrides(severity={rule.meta.id: Severity.ERROR})
    kept = run([case], case, configured, [rule]).findings
    assert len(kept) == len(findings) and all(f.severity is Severity.ERROR for f in kept)


OPT_OUT = {  # fixture -> {(file, line): (the condition, where its default `true` is written)}
    ("sdk-init-before-consent", "bad-opt-out-setting-kotlin"): {
        ("src/com/acme/App.kt", 16): ("settings.isStatsEnabled", "src/com/acme/Settings.kt", 11),
        ("src/com/acme/App.kt", 19): ("settings.crashReportsOn()", "src/com/acme/Settings.kt", 11),
        ("src/com/acme/App.kt", 22): ('getBoolean("push_consent", true)', "src/com/acme/App.kt", 21)},
    ("sdk-init-before-consent", "bad-opt-out-setting-java"): {
        ("src/com/acme/App.java", 13): ("Privacy.hasAnalyticsConsent(this)", "src/com/acme/Privacy.java", 17),
        ("src/com/acme/App.java", 16): ('getBooleanPref(this, "push_enabled", true)', "src/com/acme/App.java", 15)},
    ("pi-api-before-consent", "bad-opt-out-setting-kotlin"): {
        ("src/com/acme/App.kt", 13): ("settings.shareDeviceInfo", "src/com/acme/Settings.kt", 10)},
}


@pytest.mark.parametrize("folder", sorted(OPT_OUT), ids=lambda f: "/".join(f))
def test_opt_out_setting_is_named(folder: tuple[str, str]) -> None:
    """Collection behind a stored setting whose default is `true` (an opt-out) stays an error; the message says the
    condition holds on first launch, and the trace ends where the default is written."""
    case = FIXTURES / "rules" / folder[0] / folder[1]
    rule = lookup(folder[0])
    assert rule is not None
    findings = {(f.path, f.span.line): f for f in run([case], case, Config(), [rule]).findings}
    assert set(OPT_OUT[folder]) <= set(findings)
    for where in set(findings) - set(OPT_OUT[folder]):  # other conditions are not said to default to `true`
        assert "defaults to `true`" not in findings[where].message, findings[where].message
    for where, (condition, path, line) in OPT_OUT[folder].items():
        f = findings[where]
        assert f.severity is Severity.ERROR
        assert condition in f.message and "defaults to `true`" in f.message and "an opt-out" in f.message, f.message
        assert "默认为 `true`" in f.localized("zh").message
        assert (f.trace[-1].path, f.trace[-1].line) == (path, line)
