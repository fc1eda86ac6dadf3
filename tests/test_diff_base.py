"""`check --diff-base REV` in a real git repository (a copy of examples/leaky-app): only findings that are
new since the merge base and touch changed files; plus the progress line on a terminal."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from pipl_lint import vcs
from pipl_lint.commands.check import CheckOptions, run_check
from pipl_lint.errors import UsageError
from pipl_lint.progress import Progress
from tests.conftest import EXAMPLES

APP_KT = "app/src/main/java/com/example/dailynews/DailyNewsApp.kt"


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", "-c",
                           "commit.gpgsign=false", *args], cwd=cwd, check=True, capture_output=True,
                          text=True, timeout=60).stdout


@pytest.fixture(scope="module")
def base_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("diff-base") / "repo"
    shutil.copytree(EXAMPLES / "leaky-app", root / "android")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "base")
    return root


@pytest.fixture
def repo(base_repo: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The base repository on a fresh `feature` branch with a clean work tree."""
    git(base_repo, "checkout", "-q", "-f", "-B", "feature", "main")
    git(base_repo, "clean", "-q", "-f", "-d")
    monkeypatch.chdir(base_repo / "android")
    return base_repo


def _json(capsys: pytest.CaptureFixture[str]) -> dict:
    return json.loads(capsys.readouterr().out)


def test_only_new_findings_in_changed_files(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    kt = repo / "android" / APP_KT
    kt.write_text("// shifted\n" + kt.read_text("utf-8").replace(
        "        DeviceInfoCollector.collect(this)\n",
        "        DeviceInfoCollector.collect(this)\n"
        "        val again = Settings.Secure.getString(contentResolver, Settings.Secure.ANDROID_ID)\n"), "utf-8")
    git(repo, "commit", "-q", "-am", "feature work")
    assert run_check(CheckOptions(diff_base="main", no_cache=True, format="json")) == 1
    captured = capsys.readouterr()
    doc = json.loads(captured.out)
    assert [(f["rule"], f["path"], f["line"]) for f in doc["findings"]] == [("EC101", APP_KT, 59)]
    assert "already present at the merge base with main are not shown" in captured.err


def test_untracked_and_uncommitted_changes_count(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    new = repo / "android" / "app/src/main/java/com/example/dailynews/Extra.kt"
    new.write_text("package com.example.dailynews\n\nobject Extra\n", "utf-8")
    changed = vcs.changed_files(repo, vcs.merge_base(repo, "main"))
    assert changed == ["android/app/src/main/java/com/example/dailynews/Extra.kt"]
    assert run_check(CheckOptions(diff_base="main", no_cache=True, format="json")) == 0
    assert _json(capsys)["findings"] == []


def test_nothing_changed_reports_nothing(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_check(CheckOptions(diff_base="main", no_cache=True, format="json")) == 0
    assert _json(capsys)["findings"] == []


def test_a_folder_that_is_new_since_the_base(repo: Path, monkeypatch: pytest.MonkeyPatch,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    shutil.copytree(EXAMPLES / "leaky-app", repo / "fresh")
    monkeypatch.chdir(repo / "fresh")
    assert run_check(CheckOptions(diff_base="main", no_cache=True, format="json")) == 1
    assert _json(capsys)["findings"]  # everything in a new folder is new


def test_unknown_revision_is_a_usage_error(repo: Path) -> None:
    with pytest.raises(UsageError, match="--diff-base no-such-branch"):
        run_check(CheckOptions(diff_base="no-such-branch", no_cache=True))


def test_outside_a_repository_is_a_usage_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(EXAMPLES / "compliant-app", tmp_path / "app")
    monkeypatch.chdir(tmp_path / "app")
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    with pytest.raises(UsageError, match="--diff-base main"):
        run_check(CheckOptions(diff_base="main", no_cache=True))


# --- progress --------------------------------------------------------------------------------------------------

class Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_on_a_terminal_is_redrawn_and_erased() -> None:
    tty = Tty()
    p = Progress(tty)
    assert p.enabled
    p.files(10, 20)
    p.files(20, 20)
    p.clear()
    out = tty.getvalue()
    assert "\rpipl-lint: 10/20 files parsed" in out and "20/20 files parsed" in out
    assert out.endswith("\r") and "\n" not in out


def test_progress_is_silent_when_piped() -> None:
    piped = io.StringIO()
    p = Progress(piped)
    assert not p.enabled
    p.files(1, 2)
    p.show("running the rules", force=True)
    p.clear()
    assert piped.getvalue() == ""


# --- what to do when the revision or its history is missing -------------------------------------------------

def _pipl_lint(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    import sys

    return subprocess.run([str(Path(sys.executable).parent / "pipl-lint"), *args], cwd=cwd, capture_output=True,
                          text=True, timeout=120)


def test_unknown_revision_says_to_name_one_that_exists(repo: Path) -> None:
    out = _pipl_lint(repo / "android", "check", "--no-cache", "--diff-base", "no-such-branch")
    assert out.returncode == 2 and out.stdout == ""
    assert out.stderr == ("pipl-lint: error: --diff-base no-such-branch: no revision 'no-such-branch' in this "
                          "repository: name a branch, tag or commit that exists (a branch only on the remote is "
                          "`origin/no-such-branch`, after `git fetch origin no-such-branch`)\n")


@pytest.mark.parametrize("single_branch", [True, False])
def test_shallow_clone_says_to_fetch_more_history(base_repo: Path, tmp_path: Path, single_branch: bool) -> None:
    git(base_repo, "checkout", "-q", "-f", "-B", "feature", "main")
    (base_repo / "android" / "NOTES.md").write_text("feature\n")
    git(base_repo, "add", "-A")
    git(base_repo, "commit", "-q", "-m", "feature work")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "1", "--branch", "feature",
        "--single-branch" if single_branch else "--no-single-branch", base_repo.as_uri(), str(clone))
    rev = "main" if single_branch else "origin/main"
    out = _pipl_lint(clone / "android", "check", "--no-cache", "--diff-base", rev)
    assert out.returncode == 2 and out.stdout == "" and out.stderr.count("\n") == 1, out.stderr
    assert out.stderr.startswith(f"pipl-lint: error: --diff-base {rev}: ")
    assert "shallow clone" in out.stderr and "`git fetch --unshallow`" in out.stderr
