"""Safe writes: report files (`-o`), baselines and `--fix` edits are written atomically (a temporary file in the
same folder, fsync, rename), keep the file's mode and encoding, and a run killed at any moment — including in
the middle of writing — leaves each file either as it was or completely written, never partial. The temporary
file a killed run leaves behind (`.<name>.<pid>.<random>.tmp`) is removed by the next write to that file.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipl_lint.io import WriteError, remove_stale_temporaries, write_bytes, write_text
from pipl_lint.parse.decode import decode
from pipl_lint.parse.xml import parse_xml
from tests.conftest import EXAMPLES

PIPL_LINT = str(Path(sys.executable).parent / "pipl-lint")
MANIFEST = "app/src/main/AndroidManifest.xml"


def temporaries(target: Path) -> list[Path]:
    return [p for p in target.parent.iterdir() if p.name.startswith(f".{target.name}.") and p.name.endswith(".tmp")]


def kill_when_writing(args: list[str], cwd: Path, target: Path, timeout: float = 60) -> bool:
    """Run `args`; SIGKILL it the moment its temporary file for `target` appears. True when the kill landed in
    the middle of the write (the temporary file existed), False when the run finished first."""
    proc = subprocess.Popen(args, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    prefix = f".{target.name}."
    deadline = time.monotonic() + timeout
    try:
        while proc.poll() is None and time.monotonic() < deadline:
            if any(n.startswith(prefix) and n.endswith(".tmp") for n in os.listdir(target.parent)):
                proc.send_signal(signal.SIGKILL)
                proc.wait()
                return True
        return False
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def kill_after(args: list[str], cwd: Path, seconds: float) -> None:
    proc = subprocess.Popen(args, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        proc.wait(seconds)
    except subprocess.TimeoutExpired:
        proc.send_signal(signal.SIGKILL)
        proc.wait()


@pytest.fixture(scope="module")
def big_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project whose report is large (thousands of findings), so a write takes long enough to be hit."""
    root = tmp_path_factory.mktemp("big")
    (root / "AndroidManifest.xml").write_text(
        '<manifest xmlns:android="http://schemas.android.com/apk/res/android" package="com.acme">'
        '<application android:name=".App"/></manifest>')
    calls = "".join(f"    android.os.Build.getSerial() // {i}\n" for i in range(4000))
    (root / "App.kt").write_text(f"package com.acme\nclass App : android.app.Application() {{\n"
                                 f"  override fun onCreate() {{\n{calls}  }}\n}}\n")
    return root


def test_report_killed_at_any_moment_is_old_or_complete(big_project: Path) -> None:
    report = big_project / "out" / "report.json"
    report.parent.mkdir(exist_ok=True)
    args = [PIPL_LINT, "check", ".", "--select", "EC101", "--no-cache", "-f", "json", "-o", str(report)]
    start = time.monotonic()
    subprocess.run(args, cwd=big_project, check=False, timeout=120)
    full_seconds = time.monotonic() - start
    complete = report.read_bytes()
    json.loads(complete)
    old = b'{"old": "report"}\n'
    report.write_bytes(old)
    rng = random.Random(8)
    mid_write = 0
    for attempt in range(6):
        if attempt < 3:
            landed = kill_when_writing(args, big_project, report)
            if landed:
                assert temporaries(report), "a kill during the write leaves its temporary file"
            mid_write += landed
        else:
            kill_after(args, big_project, rng.uniform(0.05, full_seconds * 1.2))
        now = report.read_bytes()
        assert now in (old, complete), f"partial report after kill {attempt}: {len(now)} bytes"
        if now == complete:
            report.write_bytes(old)
    assert mid_write >= 1, "no kill landed during the write"
    subprocess.run(args, cwd=big_project, check=False, timeout=120)
    assert report.read_bytes() == complete
    assert temporaries(report) == [], "the next write removes what killed runs left behind"


def test_baseline_killed_at_any_moment_is_old_or_complete(big_project: Path, tmp_path: Path) -> None:
    root = tmp_path / "p"
    shutil.copytree(big_project, root, ignore=shutil.ignore_patterns("out", ".pipl-lint-cache"))
    baseline = root / "baseline.json"
    args = [PIPL_LINT, "baseline", ".", "--select", "EC101", "--no-cache", "-o", str(baseline)]
    subprocess.run(args, cwd=root, check=True, timeout=120, capture_output=True)
    complete = baseline.read_bytes()
    old = json.dumps({"version": 1, "tool": "pipl-lint", "current": {}, "manually_suppressed": {}}).encode()
    for attempt in range(3):
        baseline.write_bytes(old)
        if attempt < 2:
            kill_when_writing(args, root, baseline)
        else:
            kill_after(args, root, 0.2 + 0.3 * attempt)
        assert baseline.read_bytes() in (old, complete)


def _leaky(tmp_path: Path, name: str) -> Path:
    root = tmp_path / name
    shutil.copytree(EXAMPLES / "leaky-app", root, ignore=shutil.ignore_patterns(".pipl-lint-cache"))
    return root


def _snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and ".pipl-lint-cache" not in p.parts}


def test_fix_killed_at_any_moment_leaves_whole_files(tmp_path: Path) -> None:
    reference = _leaky(tmp_path, "reference")
    original = _snapshot(reference)
    args = [PIPL_LINT, "check", ".", "--fix", "--no-cache", "-q"]
    subprocess.run(args, cwd=reference, timeout=120, capture_output=True)
    fixed = _snapshot(reference)
    changed = {rel for rel in fixed if fixed[rel] != original[rel]}
    assert MANIFEST in changed
    for attempt in range(3):
        root = _leaky(tmp_path, f"killed{attempt}")
        if attempt < 2:
            kill_when_writing(args, root, root / MANIFEST)
        else:
            kill_after(args, root, 0.6)
        now = _snapshot(root)
        extra = set(now) - set(original)
        assert all(Path(rel).name.startswith(".") and rel.endswith(".tmp") for rel in extra), extra
        for rel in changed & set(now):
            if rel.endswith(".xml"):
                assert parse_xml(decode(now[rel]).text).errors == (), f"{rel} is not whole after kill {attempt}"
        assert {rel for rel in now if rel in original and now[rel] != original[rel]} <= changed
        subprocess.run(args, cwd=root, timeout=120, capture_output=True)  # finishing the job gives the same
        assert _snapshot(root) == fixed


def test_fix_keeps_mode_encoding_and_line_endings(tmp_path: Path) -> None:
    reference = _leaky(tmp_path, "reference")
    subprocess.run([PIPL_LINT, "check", ".", "--fix", "--no-cache", "-q"], cwd=reference, capture_output=True)
    expected = (reference / MANIFEST).read_text("utf-8")
    root = _leaky(tmp_path, "utf16")
    manifest = root / MANIFEST
    text = manifest.read_text("utf-8").replace('encoding="utf-8"', 'encoding="utf-16"')
    manifest.write_bytes(text.replace("\n", "\r\n").encode("utf-16"))  # BOM + UTF-16 LE + CRLF
    manifest.chmod(0o640)
    subprocess.run([PIPL_LINT, "check", ".", "--fix", "--no-cache", "-q"], cwd=root, capture_output=True)
    data = manifest.read_bytes()
    assert data.startswith(b"\xff\xfe")
    after = data[2:].decode("utf-16-le")
    assert after != text.replace("\n", "\r\n"), "the fixes were applied"
    assert "\n" not in after.replace("\r\n", "")
    assert after.replace("\r\n", "\n") == expected.replace('encoding="utf-8"', 'encoding="utf-16"')
    assert stat.S_IMODE(manifest.stat().st_mode) == 0o640


def test_report_file_keeps_its_mode_and_a_new_one_follows_the_umask(tmp_path: Path) -> None:
    kept = tmp_path / "kept.json"
    kept.write_text("old")
    kept.chmod(0o640)
    write_text(kept, "new")
    assert kept.read_text() == "new" and stat.S_IMODE(kept.stat().st_mode) == 0o640
    mask = os.umask(0o027)
    try:
        write_text(tmp_path / "new.json", "x")
    finally:
        os.umask(mask)
    assert stat.S_IMODE((tmp_path / "new.json").stat().st_mode) == 0o640


def test_failed_writes_leave_the_original_and_no_temporary(tmp_path: Path) -> None:
    folder = tmp_path / "report.json"
    folder.mkdir()  # os.replace onto a folder fails after the temporary file is written
    (folder / "keep").write_text("k")
    with pytest.raises(WriteError, match="cannot write"):
        write_bytes(folder, b"data")
    assert (folder / "keep").read_text() == "k" and temporaries(folder) == []
    with pytest.raises(WriteError, match="cannot write"):
        write_bytes(tmp_path / "missing" / "r.json", b"data")
    out = subprocess.run([PIPL_LINT, "check", str(EXAMPLES / "compliant-app"), "--no-cache", "-o",
                          str(tmp_path / "missing" / "r.json")], cwd=tmp_path, capture_output=True, text=True)
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert out.stderr.startswith("pipl-lint: error: cannot write")


def test_only_temporaries_of_dead_writers_are_removed(tmp_path: Path) -> None:
    target = tmp_path / "r.json"
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    stale = tmp_path / f".r.json.{dead.stdout.strip()}.abc.tmp"
    live = tmp_path / f".r.json.{os.getpid()}.def.tmp"  # a writer still at work
    other = tmp_path / ".r.json.notapid.tmp"
    for p in (stale, live, other):
        p.write_text("partial")
    assert remove_stale_temporaries(target) == [stale]
    assert live.exists() and other.exists()


# --- what `-o` does with paths that are not regular files ---------------------------------------------------

WRITERS = {  # every command that writes a file: its arguments before the output path
    "check": ["check", str(EXAMPLES / "compliant-app"), "--no-cache", "-f", "json", "-o"],
    "report": ["report", str(EXAMPLES / "compliant-app"), "--no-cache", "-f", "json", "-o"],
    "baseline": ["baseline", str(EXAMPLES / "compliant-app"), "--no-cache", "-o"],
}


@pytest.mark.parametrize("command", sorted(WRITERS))
def test_a_fifo_is_written_through_not_replaced(tmp_path: Path, command: str) -> None:
    fifo = tmp_path / "out.fifo"
    os.mkfifo(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)  # a reader is there, so the writer's open does not block
    try:
        out = subprocess.run([PIPL_LINT, *WRITERS[command], str(fifo)], cwd=tmp_path, capture_output=True,
                             text=True, timeout=120)
        chunks = []
        while chunk := os.read(reader, 1 << 16):  # the writer has exited: everything is in the pipe, then EOF
            chunks.append(chunk)
    finally:
        os.close(reader)
    assert out.returncode == 0, out.stderr
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert isinstance(json.loads(b"".join(chunks)), dict)
    assert temporaries(fifo) == []


def test_a_terminal_is_written_through(tmp_path: Path) -> None:
    master, slave = os.openpty()
    try:
        out = subprocess.run([PIPL_LINT, "check", str(EXAMPLES / "compliant-app"), "--no-cache", "-o",
                              os.ttyname(slave)], cwd=tmp_path, capture_output=True, text=True, timeout=120)
        os.set_blocking(master, False)
        shown = os.read(master, 1 << 16).decode()
    finally:
        os.close(slave)
        os.close(master)
    assert out.returncode == 0, out.stderr
    assert "No problems found" in shown


@pytest.mark.parametrize("command", sorted(WRITERS))
def test_a_symlink_is_followed_and_kept(tmp_path: Path, command: str) -> None:
    target = tmp_path / "reports" / "out.json"
    target.parent.mkdir()
    target.write_text('{"version": 1}')  # a valid (empty) baseline, so `baseline` may overwrite it
    link = tmp_path / "link.json"
    link.symlink_to(target)
    out = subprocess.run([PIPL_LINT, *WRITERS[command], str(link)], cwd=tmp_path, capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 0, out.stderr
    assert link.is_symlink() and link.resolve() == target.resolve()
    assert json.loads(target.read_text()) != {"version": 1}
    assert temporaries(link) == [] and temporaries(target) == []


def test_a_dangling_symlink_creates_its_target(tmp_path: Path) -> None:
    link = tmp_path / "link.json"
    link.symlink_to(tmp_path / "new.json")
    write_text(link, "x")
    assert link.is_symlink() and (tmp_path / "new.json").read_text() == "x"


def test_dev_stdout_prints(tmp_path: Path) -> None:
    out = subprocess.run([PIPL_LINT, "check", str(EXAMPLES / "compliant-app"), "--no-cache", "-f", "json", "-o",
                          "/dev/stdout"], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["findings"] == []


def test_dev_stdout_redirected_to_a_file_keeps_the_shells_file(tmp_path: Path) -> None:
    """`pipl-lint check -o /dev/stdout > out.json`: the report goes into the file the shell opened."""
    redirected = tmp_path / "out.json"
    with redirected.open("wb") as fh:
        inode = os.fstat(fh.fileno()).st_ino
        out = subprocess.run([PIPL_LINT, "check", str(EXAMPLES / "compliant-app"), "--no-cache", "-f", "json",
                              "-o", "/dev/stdout"], cwd=tmp_path, stdout=fh, stderr=subprocess.PIPE, timeout=120)
    assert out.returncode == 0, out.stderr
    assert redirected.stat().st_ino == inode
    assert json.loads(redirected.read_text())["findings"] == []


def _never_replace(monkeypatch: pytest.MonkeyPatch) -> None:
    """Device nodes must never be replaced: make any attempt fail loudly instead of doing it."""
    import pipl_lint.io

    def refuse(*_args: object) -> None:
        raise AssertionError("tried to replace a device node")

    monkeypatch.setattr(pipl_lint.io, "_replace", refuse)
    monkeypatch.setattr(os, "replace", refuse)


def test_a_character_device_is_written_through(monkeypatch: pytest.MonkeyPatch) -> None:
    _never_replace(monkeypatch)
    write_text(Path("/dev/null"), "report")
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full")
def test_a_full_device_is_a_clear_error_with_exit_2(monkeypatch: pytest.MonkeyPatch,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    from pipl_lint.cli import app

    _never_replace(monkeypatch)
    with pytest.raises(WriteError, match="cannot write /dev/full: No space left on device"):
        write_text(Path("/dev/full"), "report")
    with pytest.raises(SystemExit) as exit_:  # the command line, in this process (replacing stays impossible)
        app(["check", str(EXAMPLES / "compliant-app"), "--no-cache", "-o", "/dev/full"])
    assert exit_.value.code == 2
    assert capsys.readouterr().err == "pipl-lint: error: cannot write /dev/full: No space left on device\n"
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode)


def test_a_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(WriteError, match="a folder"):
        write_text(tmp_path, "x")
