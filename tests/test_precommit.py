"""The hook for real: `pre-commit run` in a temporary git repository holding an example app."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

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


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    repo = tmp_path / "app"
    shutil.copytree(EXAMPLES / "compliant-app", repo)
    git(repo, "init", "-q", "-b", "main")
    git(repo, "config", "user.email", "dev@example.com")
    git(repo, "config", "user.name", "Dev")
    (repo / ".pre-commit-config.yaml").write_text(f"""repos:
  - repo: local
    hooks:
      - id: pipl-lint
        name: pipl-lint
        entry: {PIPL_LINT} check
        language: system
        files: (\\.kt|\\.kts|\\.java|\\.gradle|\\.toml|\\.xml)$
        require_serial: true
""")
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
