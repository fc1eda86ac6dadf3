"""Parsing is bounded for real: a cancelled parse leaves nothing behind for the next file, and a file whose
parse or summary ignores the cooperative time limit (a native scanner stuck in C, a pathological recovery
between two progress callbacks) or crashes the parser costs that one file, never the scan.

The stuck and crashing files are simulated by replacing `pipl_lint.workers.work` before the workers are forked
(they inherit it): the parent cannot tell a Python sleep from a C loop, and neither can the time limit.
"""

from __future__ import annotations

import faulthandler
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import pipl_lint.workers as workers
from pipl_lint.cache import Cache, decode_entry
from pipl_lint.config import Config
from pipl_lint.engine import run
from pipl_lint.model.source import ParseTimeout, parse
from pipl_lint.registry import select
from pipl_lint.workers import BoundedPool, Job, hard_limit
from tests.conftest import FIXTURES

PATHOLOGICAL = (FIXTURES / "gradle" / "pathological.gradle.kts").read_bytes()  # minutes of error recovery
SMALL = b"package a\nclass X {\n  fun f(tm: TelephonyManager) = tm.deviceId\n}\n"
real_work = workers.work


def _tree_in_a_fresh_process(data: bytes) -> str:
    code = ("import sys\nfrom pipl_lint.model.source import parse\n"
            "print(str(parse(sys.stdin.buffer.read(), 'kotlin', 60).root_node))")
    return subprocess.run([sys.executable, "-c", code], input=data, capture_output=True, check=True).stdout.decode()


def test_a_parse_after_a_cancelled_parse_is_a_fresh_parse() -> None:
    with pytest.raises(ParseTimeout):
        parse(PATHOLOGICAL, "kotlin", 0.05)
    tree = parse(SMALL, "kotlin", 60)
    assert tree.root_node.end_byte == len(SMALL)  # before the fix: the cancelled input's tree was resumed
    assert str(tree.root_node) + "\n" == _tree_in_a_fresh_process(SMALL)


def _jobs(names: list[str], budget: float) -> list[Job]:
    return [(name, SMALL.replace(b"X", name.removesuffix(".kt").encode()), "kotlin", budget) for name in names]


def _stuck_on(name: str, how: str):
    def work(job: Job) -> workers.Outcome:
        if job[0] == name:
            if how == "hang":
                time.sleep(10**6)  # as a native scanner stuck in C would: no deadline is ever looked at
            elif how == "crash":
                faulthandler.disable()  # pytest's handler would print the worker's stack
                os.kill(os.getpid(), signal.SIGSEGV)
            else:
                os._exit(3)
        return real_work(job)
    return work


@pytest.mark.parametrize(("how", "needle"), [
    ("hang", "took longer than 0.2 s and was stopped"),
    ("crash", "the parser crashed on this file"),
    ("exit", "the parser crashed on this file"),
])
def test_one_stuck_or_crashing_file_costs_only_that_file(monkeypatch: pytest.MonkeyPatch, how: str,
                                                         needle: str) -> None:
    monkeypatch.setattr(workers, "work", _stuck_on("Bad.kt", how))
    names = [f"F{i}.kt" for i in range(5)] + ["Bad.kt"] + [f"G{i}.kt" for i in range(14)]
    pool = BoundedPool(2)
    finished: list[int] = []
    outcomes = pool.run(_jobs(names, 0.2), finished.append)
    assert len(outcomes) == len(names) and finished[-1] == len(names)
    assert pool.killed == 1
    for name, outcome in zip(names, outcomes, strict=True):
        problems, summary = decode_entry(outcome.entry)
        if name == "Bad.kt":
            assert summary is None and needle in problems[0] and not outcome.cacheable
        else:  # in order, whole, and each one its own file
            assert summary is not None and summary.path == name and outcome.cacheable
            assert [c.name for c in summary.classes] == [name.removesuffix(".kt")]


def _recording(log: Path):
    def work(job: Job) -> workers.Outcome:
        with log.open("a") as out:
            out.write(job[0] + "\n")
        return real_work(job)
    return work


def test_the_pool_hands_out_the_largest_files_first_and_answers_in_input_order(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """One worker works in the order files were handed out: largest first. The outcomes come back in input order."""
    log = tmp_path / "order"
    monkeypatch.setattr(workers, "work", _recording(log))
    names = [f"F{i}.kt" for i in range(12)]
    jobs = [(name, SMALL.replace(b"X", name.removesuffix(".kt").encode()) + b"// pad\n" * (i * 7 % 5), "kotlin", 60.0)
            for i, name in enumerate(names)]
    outcomes = BoundedPool(1).run(jobs)
    assert [o.entry for o in outcomes] == [real_work(job).entry for job in jobs]
    assert log.read_text().split() == [jobs[i][0] for i in sorted(range(len(jobs)), key=lambda i: -len(jobs[i][1]))]


def test_the_hard_limit_leaves_room_for_the_cooperative_stops() -> None:
    assert hard_limit(5) == 7.5 and hard_limit(0.2) == 1.2


def _project(root: Path) -> None:
    (root / "AndroidManifest.xml").write_text(
        '<manifest xmlns:android="http://schemas.android.com/apk/res/android" package="com.acme">'
        '<application android:name=".App"/></manifest>')
    (root / "App.kt").write_text("package com.acme\nclass App : android.app.Application() {\n"
                                 "  override fun onCreate() { Other.read(); Stuck.read() }\n}\n")
    (root / "Other.kt").write_text("package com.acme\nobject Other { fun read() = android.os.Build.getSerial() }\n")
    (root / "Stuck.kt").write_text("package com.acme\nobject Stuck { fun read() = 1 }\n")


def test_a_scan_goes_on_past_a_stuck_file_and_does_not_cache_its_result(tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    _project(tmp_path)
    config = Config(parse_timeout=0.2)
    rules = select(config.select, config.ignore)
    monkeypatch.setattr(workers, "work", _stuck_on("Stuck.kt", "hang"))
    cache = Cache(tmp_path, "test")
    first = run([tmp_path], tmp_path, config, rules, cache=cache)
    # reported on App.onCreate's call, collecting in Other.kt
    assert [(f.rule, f.path, [r.path for r in f.related]) for f in first.findings if f.rule == "EC101"] == \
        [("EC101", "App.kt", ["Other.kt"])]
    assert any(d.path == "Stuck.kt" and "was stopped" in d.message for d in first.diagnostics)
    monkeypatch.setattr(workers, "work", real_work)  # a quieter machine: the file is read whole this time
    second = run([tmp_path], tmp_path, config, rules, cache=Cache(tmp_path, "test"))
    assert not [d for d in second.diagnostics if d.path == "Stuck.kt"]


def test_the_command_line_reports_a_stopped_file_by_name(tmp_path: Path) -> None:
    """End to end through the CLI with a genuinely slow file (cooperative stop or the hard limit)."""
    _project(tmp_path)
    (tmp_path / "Stuck.kt").write_bytes(PATHOLOGICAL)
    (tmp_path / "pipl-lint.toml").write_text("parse-timeout = 0.3\n")
    out = subprocess.run([sys.executable, "-m", "pipl_lint", "check", ".", "--no-cache", "-f", "json"],
                         cwd=tmp_path, capture_output=True, text=True, timeout=240)
    doc = json.loads(out.stdout)
    notes = {e["path"]: e["message"] for e in doc["errors"]}
    assert "took longer than 0.3 s and was stopped" in notes["Stuck.kt"]
    assert [r["path"] for f in doc["findings"] if f["rule"] == "EC101" for r in f["related"]] == ["Other.kt"]


def test_a_pool_started_from_another_thread_does_not_fork_that_thread() -> None:
    """The language server analyses in a worker thread while its main thread blocks reading stdin: forking
    there would copy a held lock into the child (which then hangs). Such pools use the fork server."""
    import threading

    out: list[list[workers.Outcome]] = []
    pool_ctx: list[str] = []
    reader, writer = os.pipe()

    def analyse() -> None:
        pool = BoundedPool(2)
        pool_ctx.append(pool.ctx.get_start_method())
        out.append(pool.run(_jobs(["A.kt", "B.kt", "C.kt"], 60)))
        os.write(writer, b"x")

    thread = threading.Thread(target=analyse)
    thread.start()
    assert os.read(reader, 1) == b"x"  # the main thread blocks in a read, as the server does
    thread.join()
    assert pool_ctx == ["forkserver"]
    names = [decode_entry(o.entry)[1].path for o in out[0]]  # type: ignore[union-attr]
    assert names == ["A.kt", "B.kt", "C.kt"]


PARENT = """
import sys, time
import pipl_lint.workers as workers
def stuck(job):
    time.sleep(10**6)
workers.work = stuck
pool = workers.BoundedPool(2)
start = pool._start
def started(*a, **k):
    w = start(*a, **k)
    print(w.process.pid, flush=True)
    return w
pool._start = started
pool.run([("a.kt", b"", "kotlin", 600.0), ("b.kt", b"", "kotlin", 600.0)])
"""


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split()[2] != "Z"
    except OSError:
        return False


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
def test_workers_do_not_outlive_a_killed_scan() -> None:
    """A scan killed mid-run (Ctrl-C, a CI timeout, kill -9) leaves no worker behind: before, orphaned workers
    blocked forever on a pipe another worker kept open."""
    proc = subprocess.Popen([sys.executable, "-c", PARENT], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    pids = [int(proc.stdout.readline()) for _ in range(2)]
    assert all(_alive(pid) for pid in pids)
    proc.kill()
    proc.wait()
    deadline = time.monotonic() + 30  # the kernel ends them at once; the bound only keeps a failure finite
    while any(_alive(pid) for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(_alive(pid) for pid in pids)
