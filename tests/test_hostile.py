"""Hostile and broken input: the run never crashes, never hangs, never leaks, never writes outside the project.

For every input of the hostile repository (tests/hostile) the run must name the file in a diagnostic — in the
text, JSON and SARIF reports — analyse the rest of the project as if the input were not there, exit 0 or 1
without a traceback, quote nothing from outside the project, connect to nothing, and stay within time and
memory bounds. Further tests cover the limits (`max-file-size`, `parse-timeout`), every encoding, files that
vanish or cannot be read during the scan, hostile `pipl-lint.toml` files and crafted cache folders.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pytest

from pipl_lint.config import Config
from pipl_lint.engine import run
from pipl_lint.registry import select
from tests import hostile
from tests.conftest import EXAMPLES, FIXTURES

PIPL_LINT = str(Path(sys.executable).parent / "pipl-lint")
SECRET = "TOP-SECRET-CONTENT-4242"
MAX_RSS_BYTES = 1536 * 1024 * 1024


@dataclass
class Scan:
    code: int
    stdout: str
    stderr: str
    seconds: float


def scan(root: Path, *args: str, timeout: float = 120) -> Scan:
    start = time.perf_counter()
    out = subprocess.run([PIPL_LINT, "check", ".", "--no-progress", *args], cwd=root, capture_output=True,
                         text=True, errors="replace", timeout=timeout)
    seconds = time.perf_counter() - start
    assert "Traceback" not in out.stderr, out.stderr
    return Scan(out.returncode, out.stdout, out.stderr, seconds)


# --- the hostile repository ----------------------------------------------------------------------------------

@dataclass
class Hostile:
    root: Path
    expects: list[hostile.Expect]
    outside: Path  # the folder around the repository: the secret, a marker folder
    server: socket.socket
    scans: dict[str, Scan]


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Hostile]:
    outside = tmp_path_factory.mktemp("hostile")
    secret = outside / "secret.txt"
    secret.write_text(SECRET)
    root = outside / "repo"
    root.mkdir()
    (root / ".git").mkdir()  # the configuration search stops here
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    server.setblocking(False)
    expects = hostile.build(root, secret, server.getsockname()[1], outside)
    scans = {fmt: scan(root, "--no-cache", "-f", fmt) for fmt in ("json", "sarif", "text")}
    yield Hostile(root, expects, outside, server, scans)
    server.close()


def test_every_hostile_input_is_named_in_a_diagnostic(repo: Hostile) -> None:
    result = repo.scans["json"]
    assert result.code in (0, 1), result.stderr
    doc = json.loads(result.stdout)
    messages: dict[str, list[str]] = {}
    for e in doc["errors"]:
        messages.setdefault(e["path"], []).append(e["message"])
    missing = [(e.path, e.needle, messages.get(e.path)) for e in repo.expects
               if e.needle is not None and not any(e.needle in m for m in messages.get(e.path, []))]
    assert not missing
    counts = hostile.counts(repo.expects)
    print(f"\nhostile inputs: {sum(counts.values())} ({', '.join(f'{k} {v}' for k, v in sorted(counts.items()))})")


def test_the_rest_of_the_project_is_still_analysed(repo: Hostile, tmp_path: Path) -> None:
    """The leaky app's own findings are exactly those of a clean copy: hostile neighbours change nothing."""
    clean = tmp_path / "clean"
    shutil.copytree(EXAMPLES / "leaky-app", clean, ignore=shutil.ignore_patterns(".pipl-lint-cache"))
    expected = {(f["path"], f["line"], f["rule"]) for f in json.loads(scan(clean, "--no-cache", "-f", "json").stdout)
                ["findings"] if f["rule"].startswith("EC")}
    doc = json.loads(repo.scans["json"].stdout)
    got = {(f["path"].removeprefix("leaky/"), f["line"], f["rule"]) for f in doc["findings"]
           if f["path"].startswith("leaky/") and "/hostile/" not in f["path"] and f["rule"].startswith("EC")}
    assert expected and got == expected
    manifests = sum(1 for e in repo.expects if e.kind == "manifest")
    assert doc["summary"]["projects"] == manifests + 2  # each manifest folder, the leaky app, the Gradle one


def test_sarif_and_text_name_the_same_files(repo: Hostile) -> None:
    sarif = json.loads(repo.scans["sarif"].stdout)
    notes = sarif["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    uris = {loc["physicalLocation"]["artifactLocation"]["uri"] for n in notes for loc in n.get("locations", [])}
    text = repo.scans["text"].stdout
    for e in repo.expects:
        if e.needle is None:
            continue
        assert quote(e.path) in uris, e.path
        assert e.path in text or "more notes" in text, e.path
    assert repo.scans["sarif"].code == repo.scans["json"].code == repo.scans["text"].code


def test_nothing_leaks_and_nothing_runs(repo: Hostile) -> None:
    for result in repo.scans.values():
        assert SECRET not in result.stdout + result.stderr
        assert "root:x:0:0" not in result.stdout  # /etc/passwd through a link, an entity or an include
    assert not list(repo.outside.glob(f"{hostile.MARKER}*")), "a Gradle file was executed"
    with pytest.raises(BlockingIOError):
        repo.server.accept()  # nothing connected to the URLs in entities, DTDs, includes or Gradle files
    assert sorted(p.name for p in repo.outside.iterdir()) == ["Outside.kt", "repo", "secret.txt"]


def test_bounded_memory(repo: Hostile) -> None:
    """Time is bounded by `scan`'s timeout (a hang fails there) and per file by the worker processes
    (tests/test_workers.py); no verdict here depends on the machine's speed."""
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024  # KiB on Linux
    assert peak < MAX_RSS_BYTES, f"{peak / 2**20:.0f} MiB"


# --- encodings -----------------------------------------------------------------------------------------------

def _app(root: Path, callees: list[str]) -> None:
    (root / "AndroidManifest.xml").write_text(
        f'<manifest {hostile.ANDROID} package="com.acme"><application android:name=".App"/></manifest>')
    calls = "".join(f"    {c}.read()\n" for c in callees)
    (root / "App.kt").write_text(f"package com.acme\nclass App : android.app.Application() {{\n"
                                 f"  override fun onCreate() {{\n{calls}  }}\n}}\n")


ENCODINGS: dict[str, tuple[str, bytes, str]] = {  # object name -> (codec, prefix, newline)
    "Utf8": ("utf-8", b"", "\n"),
    "Utf8Bom": ("utf-8", b"\xef\xbb\xbf", "\n"),
    "Utf16LeBom": ("utf-16-le", b"\xff\xfe", "\n"),
    "Utf16BeBom": ("utf-16-be", b"\xfe\xff", "\n"),
    "Utf16Le": ("utf-16-le", b"", "\n"),
    "Utf16Be": ("utf-16-be", b"", "\n"),
    "Utf32LeBom": ("utf-32-le", b"\xff\xfe\x00\x00", "\n"),
    "Utf32BeBom": ("utf-32-be", b"\x00\x00\xfe\xff", "\n"),
    "Utf32Le": ("utf-32-le", b"", "\n"),
    "Utf32Be": ("utf-32-be", b"", "\n"),
    "Crlf": ("utf-8", b"", "\r\n"),
    "Latin1": ("latin-1", b"", "\n"),
}


def test_every_encoding_is_analysed_at_the_right_line(tmp_path: Path) -> None:
    _app(tmp_path, [*ENCODINGS, "Mixed"])
    expected = set()
    for name, (codec, prefix, nl) in ENCODINGS.items():
        text = (f"package com.acme\n// façade é 隐私\nobject {name} {{\n    fun read(): String =\n"
                "        android.os.Build.getSerial()\n}\n")
        if codec == "latin-1":
            text = text.replace("隐私", "")
        (tmp_path / f"{name}.kt").write_bytes(prefix + text.replace("\n", nl).encode(codec))
        expected.add((f"{name}.kt", 5))
    mixed = ("package com.acme\r\nobject Mixed {\n    fun read(): String =\r\n"
             "        android.os.Build.getSerial()\n}\r\n")
    (tmp_path / "Mixed.kt").write_bytes(mixed.encode())
    expected.add(("Mixed.kt", 4))
    result = scan(tmp_path, "--no-cache", "-f", "json", "--select", "EC101")
    doc = json.loads(result.stdout)
    # reported on the calls in App.onCreate, each read (in its own encoding) a related location
    assert {(r["path"], r["line"]) for f in doc["findings"] for r in f["related"]} == expected
    assert {(f["path"], f["line"]) for f in doc["findings"]} == {("App.kt", 4 + i) for i in range(len(expected))}
    notes = {e["path"]: e["message"] for e in doc["errors"]}
    assert "UTF-16-LE without a byte-order mark" in notes["Utf16Le.kt"]
    assert "UTF-32-BE without a byte-order mark" in notes["Utf32Be.kt"]
    assert "invalid UTF-8" in notes["Latin1.kt"]
    assert "Utf16LeBom.kt" not in notes and "Crlf.kt" not in notes


# --- limits --------------------------------------------------------------------------------------------------

def test_file_size_limit_is_configurable(tmp_path: Path) -> None:
    _app(tmp_path, ["Big"])
    body = "".join(f"    val v{i} = {i}\n" for i in range(300))
    (tmp_path / "Big.kt").write_text(f"package com.acme\nobject Big {{\n{body}    fun read() = "
                                     "android.os.Build.getSerial()\n}\n")
    size = (tmp_path / "Big.kt").stat().st_size
    doc = json.loads(scan(tmp_path, "--no-cache", "-f", "json", "--select", "EC101").stdout)
    assert [r["path"] for f in doc["findings"] for r in f["related"]] == ["Big.kt"]  # reached from App.kt
    (tmp_path / "pipl-lint.toml").write_text(f"max-file-size = {size - 1}\n")
    result = scan(tmp_path, "--no-cache", "-f", "json", "--select", "EC101")
    doc = json.loads(result.stdout)
    assert doc["findings"] == [] and result.code == 0
    assert [(e["path"], f"{size:,} bytes is over the {size - 1:,}-byte limit" in e["message"])
            for e in doc["errors"]] == [("Big.kt", True)]


def test_parse_timeout_stops_pathological_error_recovery(tmp_path: Path) -> None:
    """tree-sitter-kotlin's error recovery goes exponential on this input (minutes); the timeout stops it."""
    pathological = FIXTURES / "gradle" / "pathological.gradle.kts"
    if not pathological.is_file():
        pytest.skip("the pathological input is kept with the Gradle fixtures")
    _app(tmp_path, ["Other"])
    (tmp_path / "Other.kt").write_text("package com.acme\nobject Other { fun read() = android.os.Build.getSerial() }\n")
    (tmp_path / "Slow.kt").write_bytes(pathological.read_bytes())
    (tmp_path / "pipl-lint.toml").write_text("parse-timeout = 0.5\n")
    result = scan(tmp_path, "--no-cache", "-f", "json", "--select", "EC101")
    doc = json.loads(result.stdout)
    assert [r["path"] for f in doc["findings"] for r in f["related"]] == ["Other.kt"]  # reached from App.kt
    notes = {e["path"]: e["message"] for e in doc["errors"]}
    assert "took longer than 0.5 s and was stopped" in notes["Slow.kt"]  # minutes without the limit


def test_summarising_time_is_bounded_too(tmp_path: Path) -> None:
    """A huge generated file that parses quickly is summarised only as far as the same budget allows."""
    _app(tmp_path, [])
    body = "".join(f"    fun f{i}(a: Int) = a + {i} * android.os.Build.VERSION.SDK_INT + g(a).h(a)\n"
                   for i in range(40_000))
    (tmp_path / "Generated.kt").write_text(f"package com.acme\nobject Generated {{\n{body}}}\n")
    (tmp_path / "pipl-lint.toml").write_text("parse-timeout = 0.2\nmax-file-size = 50000000\n")
    result = scan(tmp_path, "--no-cache", "-f", "json")
    notes = {e["path"]: e["message"] for e in json.loads(result.stdout)["errors"]}
    assert "took longer than 0.2 s and was stopped" in notes["Generated.kt"]


# --- files that change under the scan ------------------------------------------------------------------------

def _copy(tmp_path: Path, name: str = "leaky-app") -> Path:
    root = tmp_path / name
    shutil.copytree(EXAMPLES / name, root, ignore=shutil.ignore_patterns(".pipl-lint-cache"))
    return root.resolve()


def test_files_vanishing_during_the_scan(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Files found by discovery are gone when they are read: each is a diagnostic; the run goes on."""
    import pipl_lint.engine as engine

    root = _copy(tmp_path)
    real = engine.discover_cached
    gone = ["app/src/main/java/com/example/dailynews/ui/feed/FeedAdapter.kt",
            "core/src/main/AndroidManifest.xml", "app/src/main/res/values/strings.xml"]

    def discover_then_delete(*args: object, **kwargs: object) -> object:
        found = real(*args, **kwargs)  # type: ignore[arg-type]
        for rel in gone:
            (root / rel).unlink()
        shutil.rmtree(root / "app/src/main/java/com/example/dailynews/ui/login")
        return found

    monkeypatch.setattr(engine, "discover_cached", discover_then_delete)
    result = run([root], root, Config(), select((), ()))
    assert not result.internal_error
    vanished = {d.path for d in result.diagnostics if "disappeared during the scan" in d.message}
    assert {gone[0], gone[1], "app/src/main/java/com/example/dailynews/ui/login/LoginActivity.java"} <= vanished
    assert {"EC101", "EC102"} <= {f.rule for f in result.findings}


def test_unreadable_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import pipl_lint.project.files as files

    root = _copy(tmp_path)
    locked = root / "app/src/main/java/com/example/dailynews/ui/feed/FeedAdapter.kt"
    locked_manifest = root / "core/src/main/AndroidManifest.xml"
    for p in (locked, locked_manifest):
        p.chmod(0)
    if os.geteuid() == 0:  # root reads anything: refuse these two the way the kernel would for others
        real_open = os.open

        def refusing_open(path: object, flags: int, *args: object) -> int:
            if str(path) in (str(locked), str(locked_manifest)):
                raise PermissionError(13, "Permission denied", str(path))
            return real_open(path, flags, *args)  # type: ignore[arg-type]

        monkeypatch.setattr(files.os, "open", refusing_open)
    result = run([root], root, Config(), select((), ()))
    assert not result.internal_error
    denied = {d.path for d in result.diagnostics if d.message == "skipped: permission denied"}
    assert denied == {"app/src/main/java/com/example/dailynews/ui/feed/FeedAdapter.kt",
                      "core/src/main/AndroidManifest.xml"}
    assert {"EC101", "EC102"} <= {f.rule for f in result.findings}


# --- configuration -------------------------------------------------------------------------------------------

HOSTILE_CONFIGS: dict[str, bytes | None] = {
    "nested-arrays": b"select = " + b"[" * 50_000 + b"]" * 50_000,
    "nested-tables": b"x = " + b"{a=" * 20_000 + b"1" + b"}" * 20_000,
    "nan": b"parse-timeout = nan",
    "inf": b"parse-timeout = inf",
    "negative": b"max-file-size = -5",
    "binary": b"\x00\x01\x02\xff\xfe",
    "utf16": "select = ['EC101']".encode("utf-16"),
    "not-toml": b"<manifest/>",
    "unknown-key": b"x" * 10_000 + b" = 1",
    "wrong-type": b'exclude = "build"',
    "huge": b"# " + b"x" * (2 * 1024 * 1024),
    "link-outside": None,
}


@pytest.mark.parametrize("name", sorted(HOSTILE_CONFIGS))
def test_hostile_config_is_refused_with_the_file_named(tmp_path: Path, name: str) -> None:
    root = tmp_path / "p"
    root.mkdir()
    (root / ".git").mkdir()
    _app(root, [])
    config = root / "pipl-lint.toml"
    data = HOSTILE_CONFIGS[name]
    if data is None:
        (tmp_path / "elsewhere.toml").write_text(f'select = ["EC101"]\n"{SECRET}" = 1\n')
        config.symlink_to(tmp_path / "elsewhere.toml")
    else:
        config.write_bytes(data)
    result = scan(root, "--no-cache", timeout=60)
    assert result.code == 2
    assert result.stderr.startswith(f"pipl-lint: error: {config}")
    assert len(result.stderr) < 1000 and SECRET not in result.stderr


def test_config_with_a_byte_order_mark_is_read(tmp_path: Path) -> None:
    _app(tmp_path, [])
    (tmp_path / ".git").mkdir()
    (tmp_path / "pipl-lint.toml").write_bytes(b"\xef\xbb\xbfselect = ['EC101']\n")
    assert scan(tmp_path, "--no-cache").code == 0


# --- a crafted cache folder ----------------------------------------------------------------------------------

CACHE_PLANTS: dict[str, tuple[str, ...]] = {  # one scenario per run; plants that can coexist go together
    "sidecar-links": ("wal-link", "shm-link", "journal-link", "tag-link", "gitignore-link"),
    "db-link": ("db-link",),
    "fifos": ("db-fifo", "wal-fifo"),
    "db-folder": ("db-folder",),
    "cache-is-a-file": ("cache-is-a-file",),
}


def _plant(cache: Path, outside: Path, victim: Path, plant: str) -> None:
    db = cache / "cache.sqlite3"
    links = {"db-link": db, "wal-link": Path(f"{db}-wal"), "shm-link": Path(f"{db}-shm"),
             "journal-link": Path(f"{db}-journal"), "gitignore-link": cache / ".gitignore"}
    if plant in links:
        links[plant].symlink_to(victim)
    elif plant == "tag-link":
        (cache / "CACHEDIR.TAG").symlink_to(outside / "created-through-link")
    elif plant == "db-fifo":
        os.mkfifo(db)
    elif plant == "wal-fifo":
        os.mkfifo(f"{db}-wal")
    elif plant == "db-folder":
        db.mkdir()
    else:
        cache.rmdir()
        cache.write_text("not a folder")


@pytest.fixture(scope="module")
def compliant_findings(tmp_path_factory: pytest.TempPathFactory) -> list[object]:
    root = _copy(tmp_path_factory.mktemp("compliant"), "compliant-app")
    return json.loads(scan(root, "--no-cache", "-f", "json").stdout)["findings"]


@pytest.mark.parametrize("scenario", sorted(CACHE_PLANTS))
def test_crafted_cache_folder_is_neither_followed_nor_trusted(tmp_path: Path, scenario: str,
                                                              compliant_findings: list[object]) -> None:
    root = _copy(tmp_path, "compliant-app")
    outside = tmp_path / "outside"
    outside.mkdir()
    victim = outside / "victim"
    victim.write_bytes(b"VICTIM")
    cache = root / ".pipl-lint-cache"
    cache.mkdir()
    for plant in CACHE_PLANTS[scenario]:
        _plant(cache, outside, victim, plant)
    for _ in range(2):  # a cold run, then a warm one
        result = scan(root, "-f", "json", timeout=60)
        assert result.code in (0, 1) and json.loads(result.stdout)["findings"] == compliant_findings
    assert victim.read_bytes() == b"VICTIM"
    assert sorted(p.name for p in outside.iterdir()) == ["victim"]


# --- parse quality: extraction recovers around syntax errors -------------------------------------------------

def _sites(src: str) -> tuple[object, set[tuple[str, str, int]]]:
    from pipl_lint.model.source import summarize

    summary = summarize("a/Sample.kt", src.encode(), "kotlin", 5.0).summary
    assert summary is not None
    owner = {i: f"{f.owner.rsplit('.', 1)[-1]}.{f.name}" for i, f in enumerate(summary.functions)}
    return summary, {(owner.get(s.function, "<file>"), s.name, s.line) for s in summary.sites if s.kind == "call"}


def test_declarations_flattened_by_a_syntax_error_are_recovered() -> None:
    """New syntax (context parameters) makes tree-sitter-kotlin give up on the whole class: its header and
    members become loose tokens of an ERROR node. The class, its supertype and its methods are re-declared,
    and calls whose argument lists were flattened are still sites."""
    summary, sites = _sites(
        "package a\n"
        "class Boot(private val s: Service) : BroadcastReceiver() {\n"
        "    override fun onReceive(context: Context?, intent: Intent?) {\n"
        "        android.os.Build.getSerial()\n"
        "    }\n"
        "    companion object {\n"
        "        context(service: T)\n"
        "        fun <T> register() where T : Service { }\n"
        "    }\n"
        "}\n")
    assert summary.syntax_errors  # type: ignore[attr-defined]
    classes = {c.name: c.supertypes for c in summary.classes}  # type: ignore[attr-defined]
    assert classes["Boot"] == ("BroadcastReceiver",)
    assert ("Boot.onReceive", "getSerial", 4) in sites


def test_calls_in_defaults_delegation_setters_and_commented_conditions_are_sites() -> None:
    """Found while measuring extraction on real code (benchmarks/grammar_errors.py): these calls were missed."""
    _summary, sites = _sites(
        "package a\n"
        "class A(val id: String = Build.getSerial()) : Base(seed()), Api by makeApi() {\n"
        "    var v: Int = 0\n"
        "        set(value) { field = value; track(value) }\n"
        "    fun f(x: String = dflt()) {\n"
        "        if (ok\n"
        "            && ready // a comment between the condition and the block\n"
        "        ) {\n"
        "            g()\n"
        "        }\n"
        "    }\n"
        "}\n"
        "class M : Base(), Api by Impl() {\n"  # the grammar reads this body as a lambda passed to Impl()
        "    val route get() = 1\n"
        "    fun h() { k() }\n"
        "}\n")
    assert {("A.<init>", "getSerial", 2), ("A.<init>", "seed", 2), ("A.<init>", "makeApi", 2),
            ("A.set:v", "track", 4), ("A.f", "dflt", 5), ("A.f", "g", 9), ("M.h", "k", 15),
            ("M.<init>", "Impl", 13)} <= sites


def test_grammar_error_benchmark_runs(capsys: pytest.CaptureFixture[str]) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    try:
        from benchmarks.grammar_errors import main
    finally:
        sys.path.pop(0)
    assert main([str(EXAMPLES), "--jobs", "1"]) == 0
    out = capsys.readouterr().out
    assert "kotlin" in out and "java" in out


def test_parsed_sources_are_not_kept_in_memory() -> None:
    """py-tree-sitter never releases what a parse's read callback returns; the text must not stay alive
    (a long scan or the language server would keep every file it ever parsed)."""
    import gc
    import tracemalloc

    from pipl_lint.model.source import parse, summarize

    body = "".join(f"    fun f{i}() = android.os.Build.getSerial()\n" for i in range(4_000))
    data = f"object O {{\n{body}}}\n".encode()  # ~200 KB
    assert summarize("a/O.kt", data, "kotlin", 5.0).summary is not None
    assert sys.getrefcount(data) == 2  # the name and the call's argument: nothing else holds the text
    gc.collect()
    tracemalloc.start()
    try:
        base = tracemalloc.get_traced_memory()[0]
        for i in range(12):
            parse(data + str(i).encode(), "kotlin", 5.0)
        gc.collect()
        growth = tracemalloc.get_traced_memory()[0] - base
    finally:
        tracemalloc.stop()
    assert growth < 300_000, f"{growth:,} bytes kept after 12 parses of {len(data):,} bytes"
