"""The cache: same results warm and cold, rebuilt when corrupt or crafted, ignored by git, bypassed by
--no-cache, safe when runs overlap."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import msgspec
import pytest

from pipl_lint.cache import CACHE_DIR, DB_NAME, Cache, content_key
from tests.conftest import EXAMPLES

PIPL_LINT = str(Path(sys.executable).parent / "pipl-lint")


def check(root: Path, *extra: str) -> tuple[int, str]:
    out = subprocess.run([PIPL_LINT, "check", ".", "-f", "json", *extra], cwd=root, capture_output=True, text=True,
                         timeout=120)
    assert "Traceback" not in out.stderr, out.stderr
    return out.returncode, out.stdout


@pytest.fixture
def app(tmp_path: Path) -> Path:
    root = tmp_path / "leaky"
    shutil.copytree(EXAMPLES / "leaky-app", root)
    return root


def findings(stdout: str) -> list[tuple[str, int, str]]:
    return [(f["path"], f["line"], f["rule"]) for f in json.loads(stdout)["findings"]]


def collecting(stdout: str) -> list[tuple[str, int, str]]:
    """Where the findings' related locations are (the collecting calls in helpers)."""
    return [(r["path"], r["line"], f["rule"]) for f in json.loads(stdout)["findings"] for r in f["related"]]


def test_warm_equals_cold_and_edits_are_seen(app: Path) -> None:
    code1, cold = check(app)
    assert (app / CACHE_DIR / DB_NAME).is_file()
    code2, warm = check(app)
    assert (code1, findings(cold)) == (code2, findings(warm))
    app_kt = next(app.rglob("DailyNewsApp.kt"))
    app_kt.write_text(app_kt.read_text().replace("UMConfigure.init(", "UMConfigure.preInit(", 1))
    _code3, edited = check(app)
    assert len(findings(edited)) == len(findings(cold)) - 1
    assert findings(edited) == findings(check(app, "--no-cache")[1])


def test_cache_folder_is_ignored_by_git(app: Path) -> None:
    subprocess.run(["git", "init", "-q"], cwd=app, check=True)
    check(app)
    status = subprocess.run(["git", "status", "--porcelain", "--ignored"], cwd=app, capture_output=True, text=True)
    assert f"!! {CACHE_DIR}/" in status.stdout
    untracked = subprocess.run(["git", "status", "--porcelain"], cwd=app, capture_output=True, text=True).stdout
    assert CACHE_DIR not in untracked


def test_no_cache_writes_nothing(app: Path) -> None:
    check(app, "--no-cache")
    assert not (app / CACHE_DIR).exists()


@pytest.mark.parametrize("content", [b"", b"SQLite format 3\x00" + b"\xff" * 100, b"not a database at all" * 50])
def test_corrupt_or_truncated_database_is_rebuilt(app: Path, content: bytes) -> None:
    _c, expected = check(app, "--no-cache")
    (app / CACHE_DIR).mkdir()
    (app / CACHE_DIR / DB_NAME).write_bytes(content)
    code, out = check(app)
    assert code == 1 and findings(out) == findings(expected)
    code, out = check(app)  # and the rebuilt cache works
    assert findings(out) == findings(expected)


def test_crafted_entries_are_rejected_not_trusted(app: Path) -> None:
    """A repository can ship a cache: entries that do not decode to a summary are misses, and entries
    are keyed by content hash so a planted 'summary' of another file is never used for this one."""
    _c, expected = check(app, "--no-cache")
    cache = Cache(app, "ns")
    src = next(app.rglob("DailyNewsApp.kt"))
    key = content_key(src.read_bytes(), src.name, "kotlin")
    cache.put_summaries([(key, b"\x93garbage"), ("other", msgspec.msgpack.encode({"__reduce__": "os.system"}))])
    cache.close()
    _code, out = check(app)
    assert findings(out) == findings(expected)


def test_planted_symlink_cache_folder_is_not_followed(app: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (app / CACHE_DIR).symlink_to(outside, target_is_directory=True)
    code, _out = check(app)
    assert code == 1
    assert list(outside.iterdir()) == []


def test_overlapping_runs(app: Path) -> None:
    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda _i: check(app), range(4)))
    assert len({tuple(findings(out)) for _c, out in results}) == 1


def test_comment_only_edit_reuses_results_and_real_edit_does_not(app: Path) -> None:
    _c, cold = check(app)
    src = next(app.rglob("DeviceIdProvider.java"))
    src.write_text(src.read_text() + "\n// a trailing comment changes no summary\n")
    _c, after_comment = check(app)
    assert findings(after_comment) == findings(cold)
    text = src.read_text()
    src.write_text("// a new first line shifts every position\n" + text)
    _c, after_shift = check(app)
    # its reads are reported on the entry calls that lead into it, with the reads as related locations
    shifted = [f for f in collecting(after_shift) if f[0].endswith("DeviceIdProvider.java")]
    original = [f for f in collecting(cold) if f[0].endswith("DeviceIdProvider.java")]
    assert shifted and [line for _p, line, _r in shifted] == [line + 1 for _p, line, _r in original]
