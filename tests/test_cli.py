"""The command line as users run it: a real subprocess, exit codes, JSON contract, usage errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, ROOT

PIPL_LINT = str(Path(sys.executable).parent / "pipl-lint")


def cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([PIPL_LINT, *args], cwd=cwd, capture_output=True, text=True, timeout=120)


def test_version() -> None:
    out = cli("--version")
    assert out.returncode == 0
    assert out.stdout.startswith("pipl-lint ")


def test_leaky_app_fails_with_every_category() -> None:
    out = cli("check", "examples/leaky-app", "--format", "json")
    assert out.returncode == 1, out.stderr
    doc = json.loads(out.stdout)
    assert set(doc) == {"version", "root", "findings", "errors", "summary"}
    categories = {f["category"] for f in doc["findings"]}
    assert {"early-collection", "excessive-permission", "consent-flow"} <= categories
    for f in doc["findings"]:
        assert {"rule", "name", "category", "severity", "path", "line", "column", "end_line", "end_column",
                "message", "fix", "references", "trace"} <= set(f)
        assert f["severity"] in ("error", "warning", "info")
        assert not f["path"].startswith("/") and "\\" not in f["path"]
        assert f["line"] >= 1 and f["column"] >= 1 and f["fix"] and f["references"]
        for step in f["trace"]:
            assert set(step) == {"path", "line", "note"}


def test_compliant_app_is_clean() -> None:
    out = cli("check", "examples/compliant-app")
    assert out.returncode == 0, out.stdout


def test_text_output_shows_caret_fix_and_reference() -> None:
    out = cli("check", "examples/leaky-app", "--select", "EC102")
    assert out.returncode == 1
    assert "error EC102 [sdk-init-before-consent]" in out.stdout
    assert "^^^" in out.stdout and "fix: " in out.stdout and "see: " in out.stdout and "path:" in out.stdout


def test_fail_on_controls_exit_code() -> None:
    # EC106 (clipboard) is a warning: it fails only with --fail-on warning.
    assert cli("check", "examples/leaky-app", "--select", "EC106").returncode == 0
    assert cli("check", "examples/leaky-app", "--select", "EC106", "--fail-on", "warning").returncode == 1


def test_output_file(tmp_path: Path) -> None:
    target = tmp_path / "report.json"
    out = cli("check", "examples/leaky-app", "-f", "json", "-o", str(target))
    assert out.returncode == 1 and out.stdout == ""
    assert json.loads(target.read_text())["summary"]["findings"] > 0


def test_rules_json_lists_every_rule_with_category() -> None:
    out = cli("rules", "--format", "json")
    assert out.returncode == 0
    rules = json.loads(out.stdout)
    assert len({r["id"] for r in rules}) == len(rules) >= 6
    for r in rules:
        assert r["category"] in ("early-collection", "excessive-permission", "consent-flow", "disclosure",
                                 "sdk-provider", "suppression")
        assert r["summary"] and r["explanation"] and r["references"]


def test_explain() -> None:
    out = cli("explain", "pi-api-before-consent")
    assert out.returncode == 0
    assert "## Why is this bad?" in out.stdout and "191号文" in out.stdout and "## Limitations" in out.stdout


@pytest.mark.parametrize("args, message", [
    (("check", "--format", "yaml", "examples/leaky-app"), "unknown format"),
    (("check", "--select", "NO999", "examples/leaky-app"), "unknown rule"),
    (("check", "--fail-on", "fatal", "examples/leaky-app"), "unknown severity"),
    (("check", "does/not/exist"), "no such file"),
    (("explain", "nope"), "unknown rule"),
    (("check", "--bogus-flag"), "No such option"),
])
def test_usage_errors_exit_2_without_traceback(args: tuple[str, ...], message: str) -> None:
    out = cli(*args)
    assert out.returncode == 2
    assert message in out.stderr
    assert "Traceback" not in out.stderr + out.stdout


@pytest.mark.parametrize("content, message", [
    ('selekt = ["EC101"]\n', "unknown option `selekt`"),
    ('fail-on = 3\n', "`fail-on` must be str"),
    ('[consent]\npredicates = "isAgreed"\n', "`consent.predicates` must be list"),
    ('select = [\n', "invalid TOML"),
    ('max-file-size = -1\n', "positive"),
    ('[severity]\nEC101 = "fatal"\n', "unknown severity"),
])
def test_config_errors_name_the_file(tmp_path: Path, content: str, message: str) -> None:
    (tmp_path / "pipl-lint.toml").write_text(content)
    (tmp_path / "AndroidManifest.xml").write_text('<manifest package="a"/>')
    out = cli("check", str(tmp_path))
    assert out.returncode == 2, out.stdout
    assert message in out.stderr and "pipl-lint.toml" in out.stderr
    assert "Traceback" not in out.stderr


# every enumerated or ranged option: (config text, what the error must say); the bad value is on line 2
INVALID_VALUES = [
    ('app-category = "newz"', "`app-category`: unknown app category 'newz': accepted are a number 1-39"),
    ("app-category = 99", "`app-category`: unknown app category 99: accepted are a number 1-39"),
    ("app-category = 0", "`app-category`: unknown app category 0: accepted are a number 1-39, a Chinese name"),
    ('fail-on = "fatal"', "`fail-on`: unknown severity 'fatal' (accepted: error, warning or info)"),
    ('[severity]\nEC101 = "fatal"',
     "`severity`: unknown severity 'fatal' for EC101 (accepted: error, warning or info)"),
    ('[severity]\nEC999 = "warning"', "`severity`: unknown rule 'EC999' (accepted: the rule ids and names"),
    ('select = ["EC999"]', "`select`: unknown rule or category 'EC999' (accepted: the rule ids, names and categories"),
    ('ignore = ["early-colection"]', "`ignore`: unknown rule or category 'early-colection'"),
    ("max-file-size = 0", "`max-file-size` = 0: must be a positive finite number"),
    ("parse-timeout = -1.5", "`parse-timeout` = -1.5: must be a positive finite number"),
    ("parse-timeout = inf", "`parse-timeout` = inf: must be a positive finite number"),
    ("[permissions]\nrerequest-interval-hours = 0",
     "`permissions.rerequest-interval-hours` = 0: must be a positive finite number"),
]


@pytest.mark.parametrize("content, message", INVALID_VALUES)
def test_invalid_config_values_exit_2_with_line_and_accepted_values(tmp_path: Path, content: str,
                                                                    message: str) -> None:
    config = tmp_path / "pipl-lint.toml"
    text = content if content.startswith("[") else f"# line 1\n{content}"
    config.write_text(text + "\n")
    (tmp_path / "AndroidManifest.xml").write_text('<manifest package="a"/>')
    for args in (("check", str(tmp_path)), ("report", str(tmp_path))):
        out = cli(*args)
        assert out.returncode == 2, (args, out.stdout)
        assert out.stderr.startswith(f"pipl-lint: error: {config}:2: {message}"), out.stderr
        assert out.stderr.count("\n") == 1


def test_report_app_category_option_lists_the_accepted_values() -> None:
    out = cli("report", "examples/compliant-app", "--app-category", "newz")
    assert out.returncode == 2
    assert out.stderr.startswith("pipl-lint: error: --app-category: unknown app category 'newz': accepted are")
    assert "news" in out.stderr


def test_config_error_reports_line(tmp_path: Path) -> None:
    (tmp_path / "pipl-lint.toml").write_text('fail-on = "error"\n\nexclud = ["x"]\n')
    out = cli("check", str(tmp_path))
    assert out.returncode == 2 and "pipl-lint.toml:3" in out.stderr


def test_config_is_found_and_applied(tmp_path: Path) -> None:
    import shutil

    app = tmp_path / "app"
    shutil.copytree(EXAMPLES / "leaky-app", app)
    (app / "pipl-lint.toml").write_text('select = ["EC106"]\n')
    out = cli("check", str(app), "-f", "json")
    rules = {f["rule"] for f in json.loads(out.stdout)["findings"]}
    assert rules == {"EC106"}


ANDROID_CONFIG = '''select = ["EC101", "EC106", "EP201"]
ignore = ["EC101"]
fail-on = "warning"
exclude = ["analytics/**"]
'''


@pytest.fixture(scope="module")
def repo_with_android_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A repository whose Android project is in `android/`, with its configuration there."""
    import shutil

    repo = tmp_path_factory.mktemp("repo")
    shutil.copytree(EXAMPLES / "leaky-app", repo / "android")
    (repo / "android" / "pipl-lint.toml").write_text(ANDROID_CONFIG)
    (repo / "README.md").write_text("docs\n")
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
    return repo


def _found(out: subprocess.CompletedProcess[str], prefix: str = "") -> set[tuple[str, str, int]]:
    return {(f["rule"], prefix + f["path"], f["line"]) for f in json.loads(out.stdout)["findings"]}


def test_each_project_uses_its_nearest_config_whatever_the_working_folder(repo_with_android_folder: Path) -> None:
    repo = repo_with_android_folder
    from_root = cli("check", "-f", "json", "--no-cache", cwd=repo)
    named = cli("check", "android", "-f", "json", "--no-cache", cwd=repo)
    inside = cli("check", "-f", "json", "--no-cache", cwd=repo / "android")
    assert from_root.returncode == named.returncode == inside.returncode == 1, (from_root.stderr, inside.stderr)
    found = _found(from_root)
    assert found == _found(named) == _found(inside, "android/")
    assert {rule for rule, _path, _line in found} == {"EC106", "EP201"}  # EC101 ignored, only the selection
    assert not any(path.startswith("android/analytics/") for _rule, path, _line in found)  # its `exclude`
    # the hook's form: the staged files, from the repository's root
    files = sorted({path for _rule, path, _line in found} | {"android/app/src/main/AndroidManifest.xml"})
    hook = cli("check", "-f", "json", "--no-cache", *files, cwd=repo)
    assert hook.returncode == 1 and _found(hook) == found


def test_config_option_overrides_every_projects_own(repo_with_android_folder: Path, tmp_path: Path) -> None:
    strict = tmp_path / "strict.toml"
    strict.write_text('select = ["EC101"]\n')
    from_root = cli("check", "-f", "json", "--no-cache", "--config", str(strict), cwd=repo_with_android_folder)
    inside = cli("check", "-f", "json", "--no-cache", "--config", str(strict), cwd=repo_with_android_folder / "android")
    assert from_root.returncode == inside.returncode == 1
    assert _found(from_root) == _found(inside, "android/")
    assert {rule for rule, _path, _line in _found(from_root)} == {"EC101"}
    # analytics/ is not excluded now: its IMEI reads are found (reported on the entry calls that lead there)
    related = [r["path"] for f in json.loads(from_root.stdout)["findings"] for r in f["related"]]
    assert any(path.startswith("android/analytics/") for path in related)


def test_editing_a_projects_config_is_seen_by_a_cached_run_from_the_root(tmp_path: Path) -> None:
    import shutil

    shutil.copytree(EXAMPLES / "leaky-app", tmp_path / "android")
    config = tmp_path / "android" / "pipl-lint.toml"
    config.write_text('select = ["EC106"]\n')
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    assert {r for r, _p, _l in _found(cli("check", "-f", "json", cwd=tmp_path))} == {"EC106"}
    config.write_text('select = ["EC102"]\n')
    assert {r for r, _p, _l in _found(cli("check", "-f", "json", cwd=tmp_path))} == {"EC102"}


@pytest.mark.parametrize("args", [("rules",), ("report", "examples/compliant-app", "--no-cache")])
def test_md_is_markdown(args: tuple[str, ...]) -> None:
    short, long = cli(*args, "-f", "md"), cli(*args, "--format", "markdown")
    assert short.returncode == long.returncode == 0, short.stderr
    assert short.stdout == long.stdout and short.stdout.startswith("# ")


@pytest.mark.parametrize("args, message", [
    (("chek",), "pipl-lint: error: No such command 'chek'. Did you mean 'check'? (see `pipl-lint -h`)"),
    (("check", "--nope"), "pipl-lint: error: No such option: --nope"),
    (("check", "-f"), "pipl-lint: error: Option '-f' requires an argument"),
    (("explain",), "pipl-lint: error: Missing argument 'rule' (see `pipl-lint explain -h`)"),
])
def test_command_line_mistakes_are_one_line_like_every_usage_error(args: tuple[str, ...], message: str) -> None:
    out = cli(*args)
    assert out.returncode == 2 and out.stdout == ""
    assert out.stderr.startswith(message) and out.stderr.count("\n") == 1, out.stderr


def test_help_and_no_arguments_still_show_the_help() -> None:
    assert cli("check", "-h").returncode == 0 and "--diff-base" in cli("check", "-h").stdout
    bare = cli()
    assert bare.returncode == 2 and "Usage: pipl-lint" in bare.stdout + bare.stderr
