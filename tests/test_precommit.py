"""The hook for real: `pre-commit run` in a temporary git repository holding an example app."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.conftest import EXAMPLES, ROOT

PIPL_LINT = Path(sys.executable).parent / "pipl-lint"
LEAK = """
    fun collectEarly() {
        val id = android.provider.Settings.Secure.getString(
            contentResolver, android.provider.Settings.Secure.ANDROID_ID)
    }
"""


def git(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, text=True)


def pre_commit(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pre_commit", *args], cwd=repo, capture_output=True, text=True)


def local_hook_config() -> str:
    """The published hook (`.pre-commit-hooks.yaml`) as a `repo: local` hook running this environment's
    pipl-lint, so that its entry, `files` and `always_run` are what the tests exercise."""
    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert hook["entry"].startswith("pipl-lint ")
    hook = {**hook, "entry": f"{PIPL_LINT} {hook['entry'].removeprefix('pipl-lint ')}", "language": "system"}
    hook.pop("minimum_pre_commit_version", None)
    return yaml.safe_dump({"repos": [{"repo": "local", "hooks": [hook]}]})


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    repo = tmp_path / "app"
    shutil.copytree(EXAMPLES / "compliant-app", repo)
    git(repo, "init", "-q", "-b", "main")
    git(repo, "config", "user.email", "dev@example.com")
    git(repo, "config", "user.name", "Dev")
    (repo / ".pre-commit-config.yaml").write_text(local_hook_config())
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "compliant app")
    return repo


def test_hook_blocks_a_leak_and_passes_the_fix(repo: Path) -> None:
    app = next(repo.rglob("DailyNewsApp.kt"))
    original = app.read_text()
    # Call a new helper from Application.onCreate, unguarded: a pre-consent read of ANDROID_ID.
    leaky = original.replace("super.onCreate()", "super.onCreate()\n        collectEarly()", 1)
    leaky = leaky.rstrip().rstrip("}") + LEAK + "}\n"
    app.write_text(leaky)
    git(repo, "add", str(app))
    blocked = pre_commit(repo, "run")
    assert blocked.returncode == 1, blocked.stdout + blocked.stderr
    assert "EC101" in blocked.stdout and "pi-api-before-consent" in blocked.stdout
    assert "fix:" in blocked.stdout and "ANDROID_ID" in blocked.stdout
    app.write_text(original)
    git(repo, "add", str(app))
    passed = pre_commit(repo, "run")
    assert passed.returncode == 0, passed.stdout + passed.stderr


def test_commit_is_refused_through_installed_hook(repo: Path) -> None:
    installed = pre_commit(repo, "install")
    assert installed.returncode == 0, installed.stderr
    manifest = repo / "app" / "src" / "main" / "AndroidManifest.xml"
    privileged = '<uses-permission android:name="android.permission.READ_PRIVILEGED_PHONE_STATE" />'
    manifest.write_text(manifest.read_text().replace("<application", f"{privileged}\n    <application", 1))
    git(repo, "add", "-A")
    commit = subprocess.run(["git", "commit", "-m", "permission"], cwd=repo, capture_output=True, text=True)
    assert commit.returncode != 0
    assert "READ_PRIVILEGED_PHONE_STATE" in commit.stdout + commit.stderr


def test_hook_manifest_is_valid() -> None:
    hooks = str(ROOT / ".pre-commit-hooks.yaml")
    result = subprocess.run([sys.executable, "-m", "pre_commit", "validate-manifest", hooks],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


DIALOG = "app/src/main/java/com/example/dailynews/ui/privacy/PrivacyConsentDialog.kt"


@pytest.mark.parametrize("how", ["rm", "mv"])
def test_commit_deleting_the_consent_dialog_is_refused(repo: Path, how: str) -> None:
    """pre-commit passes no deleted file: before `always_run` and `check --staged`, this commit ran no hook
    ("(no files to check) Skipped") and the next full check reported CF301. Renaming it out of the sources
    (`.kt.orig`) is a deletion too."""
    assert pre_commit(repo, "install").returncode == 0
    if how == "rm":
        git(repo, "rm", "-q", DIALOG)
    else:
        git(repo, "mv", DIALOG, DIALOG + ".orig")
    commit = subprocess.run(["git", "commit", "-m", "drop the dialog"], cwd=repo, capture_output=True, text=True)
    out = commit.stdout + commit.stderr
    assert commit.returncode != 0, out
    assert "CF301" in out and "consent-gate-missing" in out, out
    assert "PrivacyConsentDialog.kt" in out  # the note says which deletion broke it
    assert git(repo, "rev-list", "--count", "HEAD").stdout.strip() == "1"


def test_commit_renaming_the_consent_dialog_passes(repo: Path) -> None:
    assert pre_commit(repo, "install").returncode == 0
    (repo / DIALOG).parent.with_name("consent").mkdir()
    git(repo, "mv", DIALOG, DIALOG.replace("ui/privacy/PrivacyConsentDialog", "ui/consent/ConsentDialog"))
    commit = subprocess.run(["git", "commit", "-m", "move the dialog"], cwd=repo, capture_output=True, text=True)
    assert commit.returncode == 0, commit.stdout + commit.stderr


def test_deleting_a_file_that_breaks_nothing_passes(repo: Path) -> None:
    git(repo, "rm", "-q", "app/src/main/res/menu/menu_main.xml")
    result = pre_commit(repo, "run")
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_commit_touching_no_analysed_file_analyses_nothing(repo: Path) -> None:
    (repo / "README.md").write_text("notes\n")
    git(repo, "add", "README.md")
    result = pre_commit(repo, "run")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Passed" in result.stdout  # the hook ran (always_run) ...
    assert not (repo / ".pipl-lint-cache").exists()  # ... and read no project


def readme_hook_config() -> dict[str, object]:
    """The `.pre-commit-config.yaml` snippet of the README, parsed."""
    readme = (ROOT / "README.md").read_text("utf-8")
    blocks = re.findall(r"```yaml\n(# \.pre-commit-config\.yaml\n.*?)```", readme, re.S)
    assert len(blocks) == 1, "the README shows one .pre-commit-config.yaml"
    config = yaml.safe_load(blocks[0])
    assert isinstance(config, dict)
    return config


def test_the_readme_hook_config_installs_and_runs(tmp_path: Path) -> None:
    """The README's snippet as a user copies it, with this repository's path for the URL and its HEAD for
    the commit: pre-commit clones the repository at that commit, installs the hook from
    `.pre-commit-hooks.yaml` into its own virtualenv (from the package index: pipl-lint's dependencies) and
    runs it. It tests what is committed, not uncommitted edits."""
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    if head.returncode != 0:
        pytest.skip("not a git checkout of pipl-lint")
    config = readme_hook_config()
    (entry,) = config["repos"]  # type: ignore[misc]
    assert [h["id"] for h in entry["hooks"]] == ["pipl-lint"]
    entry["repo"], entry["rev"] = str(ROOT), head.stdout.strip()
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home")}  # one install for both runs
    outcomes = {}
    for example in ("leaky-app", "compliant-app"):
        repo = tmp_path / example
        shutil.copytree(EXAMPLES / example, repo)
        git(repo, "init", "-q", "-b", "main")
        (repo / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config))
        git(repo, "add", "-A")
        outcomes[example] = subprocess.run([sys.executable, "-m", "pre_commit", "run", "--all-files"], cwd=repo,
                                           capture_output=True, text=True, env=env, timeout=900)
    leaky, compliant = outcomes["leaky-app"], outcomes["compliant-app"]
    assert leaky.returncode == 1, leaky.stdout + leaky.stderr
    assert "EC102 [sdk-init-before-consent]" in leaky.stdout and "Failed" in leaky.stdout
    assert compliant.returncode == 0, compliant.stdout + compliant.stderr
    assert "Passed" in compliant.stdout


def test_staged_change_set_is_read_from_git(tmp_path: Path) -> None:
    from pipl_lint import vcs

    repo = tmp_path / "r"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    (repo / "a b.kt").write_text("class A\n")
    (repo / "gone.xml").write_text("<x/>\n")
    git(repo, "add", "-A")
    assert {(c.status, c.path) for c in vcs.staged_changes(repo)} == {("A", "a b.kt"), ("A", "gone.xml")}  # unborn
    git(repo, "-c", "user.email=d@example.com", "-c", "user.name=D", "commit", "-q", "-m", "one")
    git(repo, "rm", "-q", "gone.xml")
    (repo / "sub").mkdir()
    git(repo, "mv", "a b.kt", "sub/ä.kt")
    (repo / "new.kt").write_text("class N\n")
    git(repo, "add", "new.kt")
    assert sorted(vcs.staged_changes(repo), key=lambda c: c.path) == [
        vcs.Change("D", "gone.xml"), vcs.Change("A", "new.kt"), vcs.Change("R", "sub/ä.kt", "a b.kt")]


def test_staged_outside_a_git_repository_is_a_usage_error(tmp_path: Path) -> None:
    result = subprocess.run([str(PIPL_LINT), "check", "--staged"], cwd=tmp_path, capture_output=True, text=True,
                            env={**os.environ, "GIT_CEILING_DIRECTORIES": str(tmp_path.parent)})
    assert result.returncode == 2
    assert result.stderr.startswith("pipl-lint: error: --staged: ") and "not a git repository" in result.stderr
