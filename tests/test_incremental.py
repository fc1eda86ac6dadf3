"""Incremental runs equal cold runs (issue 17): after each of a seeded sequence of random edits, additions,
deletions and renames across Kotlin, Java, manifest and Gradle files, `check` with the cache (which reuses
moved results when it can prove them exact, see `pipl_lint.incremental`) writes the same JSON, byte for byte,
as `check --no-cache`; so do sequences of edits that all change what the analysis reads (new calls, statements,
functions, imports, deleted functions and files, renamed files, permissions, dependencies), and the language
server's analysis, which keeps decoded summaries and build-logic readings in memory between runs
(`engine.Session`). New seeds and real apps: benchmarks/incremental_fuzz.py."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from pipl_lint import engine, incremental
from pipl_lint.commands.check import CheckOptions, run_check
from pipl_lint.findings import Category, Diagnostic, Finding, Related, Severity, Span, TraceStep
from pipl_lint.model.source import summarize
from pipl_lint.summaries import for_analysis
from tests.conftest import EXAMPLES
from tests.edits import Clock, edit_sequence


def _report(root: Path, out: Path, no_cache: bool) -> bytes:
    code = run_check(CheckOptions(paths=(root,), format="json", output=out, no_cache=no_cache, quiet=True))
    assert code in (0, 1, 2)
    return out.read_bytes()


def _count_moved(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """What each run's `engine._moved_run` returns, in order (True: the previous results were reused, moved)."""
    moved: list[bool] = []
    real = engine._moved_run

    def counting(*args: object) -> bool:
        moved.append(real(*args))  # type: ignore[arg-type]
        return moved[-1]

    monkeypatch.setattr(engine, "_moved_run", counting)
    return moved


def _warm_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
               app: str = "leaky-app") -> tuple[Path, Path, list[bool], bytes]:
    """A copy of an example, checked once with the cache (its report: the first), from its own folder, with
    `_count_moved` watching the runs that follow. Returns (root, the report's path, moved, the first report)."""
    root = tmp_path / app
    shutil.copytree(EXAMPLES / app, root)
    monkeypatch.chdir(root)
    moved = _count_moved(monkeypatch)
    out = tmp_path / "out.json"
    return root, out, moved, _report(root, out, no_cache=False)


def test_random_edits_give_what_a_cold_run_gives(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "leaky-app"
    shutil.copytree(EXAMPLES / "leaky-app", root)
    Clock().stamp(root / "settings.gradle.kts")
    monkeypatch.chdir(root)
    moved = _count_moved(monkeypatch)
    out = tmp_path / "out.json"
    _report(root, out, no_cache=False)
    log: list[str] = []

    def compare(step: int, what: str) -> None:
        log.append(what)
        tried = len(moved)
        warm = _report(root, out, no_cache=False)
        cold = _report(root, out, no_cache=True)
        assert warm == cold, f"step {step}: {what}\n" + "\n".join(log)
        if "unused function" in what and len(moved) > tried:
            unused.append(moved[-1])

    unused: list[bool] = []  # the incremental step's verdict after each unused function added or removed
    edit_sequence(root, seed=17, steps=30, after_each=compare)
    assert moved.count(True) >= 5, log  # the incremental step was really taken
    assert moved.count(False) >= 3, log  # and so was the full analysis
    assert unused.count(True) >= 3, log  # unused functions added and removed: the results were moved


def test_code_edits_give_what_a_cold_run_gives(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every edit changes the analysis's input: the warm run (cache, incremental step) and the language server's
    analysis (an `engine.Session` kept across the whole sequence) give what a cold run gives."""
    pytest.importorskip("pygls")
    from pipl_lint.config import Config
    from pipl_lint.lsp.state import Analysis

    root = (tmp_path / "leaky-app").resolve()
    shutil.copytree(EXAMPLES / "leaky-app", root)
    Clock().stamp(root / "settings.gradle.kts")
    monkeypatch.chdir(root)
    out = tmp_path / "out.json"
    _report(root, out, no_cache=False)
    server = Analysis(root, Config(), use_cache=False)  # with the cache, the warm run's stored results would answer
    server.run()
    log: list[str] = []
    decoded: list[int] = []  # files the server decoded per run
    real = engine.Session.decode

    def counting(self: engine.Session, sources: engine.Loaded, diags: list[Diagnostic]) -> list[object]:
        before = set(self.decoded)
        summaries = real(self, sources, diags)
        if self is server._session:
            decoded.append(len(set(self.decoded) - before))
        return summaries  # type: ignore[return-value]

    monkeypatch.setattr(engine.Session, "decode", counting)
    moved = _count_moved(monkeypatch)
    calls: list[tuple[str, list[bool]]] = []  # each call added, and what the incremental step did

    def compare(step: int, what: str) -> None:
        log.append(what)
        tried = len(moved)
        warm = _report(root, out, no_cache=False)
        if what.startswith("call at"):
            calls.append((what, moved[tried:]))
        cold = _report(root, out, no_cache=True)
        assert warm == cold, f"step {step}: {what}\n" + "\n".join(log)
        server.run()
        fresh = Analysis(root, Config(), use_cache=False)
        fresh.run()
        assert (server.by_path, server.diagnostics) == (fresh.by_path, fresh.diagnostics), \
            f"step {step}: {what}\n" + "\n".join(log)

    edit_sequence(root, seed=70, steps=14, after_each=compare, code=True)
    # The seed was chosen for its mix: calls, a statement, a function added and one deleted, a file added, renamed
    # and deleted, a permission in a manifest, dependencies in Gradle files.
    for kind in ("call at", "probe", "add a function", "delete a function", "add Copy", "rename ", "delete ",
                 "AndroidManifest.xml", "build.gradle.kts"):
        assert any(kind in what for what in log), (kind, log)
    # The server decoded only what changed since its previous run: one file (two when a file was added).
    assert decoded and max(decoded) <= 2
    # Calls added (of project functions, of APIs and SDK inits the rules look for): the incremental step refused them.
    assert len(calls) >= 2 and all(tried == [False] for _what, tried in calls), calls


SETTINGS = 'include(":app")\n'
APP_GRADLE = 'plugins { id("com.android.application") }\ndependencies {\n    implementation(Libs.SDK)\n}\n'


def _build_logic_project(root: Path) -> None:
    """An app whose dependency is a buildSrc constant (`Libs.SDK`, no SDK until an edit makes it Umeng's)."""
    from tests.conftest import BARE_MANIFEST, write_tree

    write_tree(root, {
        "settings.gradle.kts": SETTINGS, "app/build.gradle.kts": APP_GRADLE,
        "buildSrc/build.gradle.kts": "plugins { `kotlin-dsl` }\n",
        "buildSrc/src/main/java/Libs.kt": 'object Libs {\n    const val SDK = "com.example:none:1.0"\n}\n',
        "app/src/main/AndroidManifest.xml": BARE_MANIFEST,
        "app/src/main/java/a/App.kt": "package a\n\nclass App {\n    fun run() {}\n}\n",
    })


def test_the_language_server_reads_build_logic_again_only_when_it_changes(tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """The build logic's constants and convention plugins are kept in memory while their files and unsaved buffers
    are the same; an unsaved edit of a constant is read, and the result is a cold run's of the same text."""
    pytest.importorskip("pygls")
    import os

    from pipl_lint.config import Config
    from pipl_lint.lsp.state import Analysis
    from pipl_lint.model import conventions

    _build_logic_project(tmp_path)
    root = tmp_path.resolve()
    reads: list[str] = []
    real = conventions.constants
    monkeypatch.setattr(conventions, "constants", lambda *a: reads.append("constants") or real(*a))
    server = Analysis(root, Config(), use_cache=True)
    server.run()
    app = root / "app/src/main/java/a/App.kt"
    server.run(overlay={os.path.realpath(app): app.read_bytes().replace(b"fun run() {}", b"fun run() { go() }")})
    assert reads == ["constants"]  # a source edit: the build logic is not read again
    assert not any(f.path == "app/build.gradle.kts" for fs in server.by_path.values() for f in fs)
    libs = root / "buildSrc/src/main/java/Libs.kt"
    umeng = libs.read_bytes().replace(b"com.example:none:1.0", b"com.umeng.umsdk:common:9.4.7")
    server.run(overlay={os.path.realpath(libs): umeng})
    assert reads == ["constants", "constants"]
    assert any(f.path == "app/build.gradle.kts" for fs in server.by_path.values() for f in fs)
    libs.write_bytes(umeng)
    cold = Analysis(root, Config(), use_cache=False)
    cold.run()
    assert (server.by_path, server.diagnostics) == (cold.by_path, cold.diagnostics)


def test_check_takes_the_build_logic_from_the_cache_until_it_changes(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """After a source edit, `check` reads the build logic's constants and convention plugins from the cache (it
    does not parse buildSrc again); an edit of a build-logic file reads them again, and the results are a cold
    run's."""
    from pipl_lint.model import conventions

    _build_logic_project(tmp_path)
    root = tmp_path.resolve()
    clock = Clock()
    for path in root.rglob("*"):
        clock.stamp(path)
    monkeypatch.chdir(root)
    reads: list[str] = []
    constants, plugins = conventions.constants, conventions.convention_plugins
    monkeypatch.setattr(conventions, "constants", lambda *a: reads.append("constants") or constants(*a))
    monkeypatch.setattr(conventions, "convention_plugins", lambda *a: reads.append("plugins") or plugins(*a))
    out = tmp_path / "out.json"
    _report(root, out, no_cache=False)
    assert reads == ["constants", "plugins"]
    app = root / "app/src/main/java/a/App.kt"
    app.write_text(app.read_text().replace("fun run() {}", "fun run() { go() }"))
    clock.stamp(app)
    _report(root, out, no_cache=False)
    assert reads == ["constants", "plugins"]  # a source edit: the build logic comes from the cache
    libs = root / "buildSrc/src/main/java/Libs.kt"
    libs.write_text(libs.read_text().replace("com.example:none:1.0", "com.umeng.umsdk:common:9.4.7"))
    clock.stamp(libs)
    warm = _report(root, out, no_cache=False)
    assert reads == ["constants", "plugins"] * 2
    assert b"app/build.gradle.kts" in warm  # the SDK the changed constant names is found
    assert warm == _report(root, out, no_cache=True)


def test_a_log_call_added_moves_the_results(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Adding or removing a logging call (which the analysis does not read) reuses the previous results, moved, and
    they are what a cold run gives; a log call whose argument calls something analyses again (so does one that is
    the function's first read of a name such as `TAG`: the function's reads change)."""
    root, out, moved, _first = _warm_copy(tmp_path, monkeypatch)
    service = root / "app/src/main/java/com/example/dailynews/sync/SyncService.kt"
    receiver = root / "app/src/main/java/com/example/dailynews/sync/BootReceiver.java"
    original, clock = service.read_text("utf-8"), Clock()
    destroy = "    override fun onDestroy() {\n"
    for path, old, new, expect in (
        (service, destroy, destroy + '        Log.v("sync", "bye")\n', True),
        (receiver, '"Boot completed, starting sync");\n', '"Boot completed, starting sync");\n'
                                                         '        Log.d(TAG, "boot " + 1);\n', True),
        (service, '        Log.v("sync", "bye")\n', "", True),  # removed again
        (service, destroy, destroy + "        Log.v(TAG, name())\n", False),
    ):
        text = path.read_text("utf-8")
        assert old in text
        path.write_text(text.replace(old, new, 1), "utf-8")
        clock.stamp(path)
        warm = _report(root, out, no_cache=False)
        assert moved[-1] is expect, (path.name, new)
        assert warm == _report(root, out, no_cache=True), (path.name, new)
    assert service.read_text("utf-8") != original


APP = "app/src/main/java/com/example/dailynews"
VIEW_MODEL = f"{APP}/ui/feed/FeedViewModel.kt"
LOGIN = f"{APP}/ui/login/LoginActivity.java"
DEVICE_ID = "analytics/src/main/java/com/example/dailynews/analytics/DeviceIdProvider.java"
LAYOUT = "app/src/main/res/layout/activity_login.xml"
KT_END = "\n}\n"  # the end of FeedViewModel's class
JAVA_END = "\n}\n"


def _edit(root: Path, rel: str, old: str, new: str, clock: Clock) -> None:
    path = root / rel
    text = path.read_text("utf-8") if path.exists() else ""
    at = text.rindex(old) if old.startswith("\n}") else text.index(old)  # a class's end: the file's last brace
    path.write_text(text[:at] + new + text[at + len(old):], "utf-8")
    clock.stamp(path)


# (file, old text, new text, the previous results are reused): each step's warm run must equal a cold run, and take
# the incremental step exactly when it says so.
UNUSED_FUNCTIONS = [
    # Functions that nothing uses: added, removed, one replaced by another, in Kotlin (top level and member) and Java.
    (VIEW_MODEL, KT_END, "\n}\n\nfun quietTopLevel(): Int = 1\n", True),
    (VIEW_MODEL, KT_END, "\n    private fun quietMember(x: Int): Int {\n        return 2\n    }\n}\n", True),
    (VIEW_MODEL, "fun quietTopLevel(): Int = 1\n", "fun quietRenamed(): Int = 2\n", True),
    (VIEW_MODEL, "\n    private fun quietMember(x: Int): Int {\n        return 2\n    }\n", "\n", True),
    (DEVICE_ID, JAVA_END,
     "\n\n    static int quietJava() {\n        return 3;\n    }\n\n    void quietToo() {\n    }\n}\n",
     True),  # two, so that removing one gives a state not seen before
    (DEVICE_ID, "\n    static int quietJava() {\n        return 3;\n    }\n", "\n", True),
    # Called from the same file (the call first: a change the analysis reads; then the function it names).
    (VIEW_MODEL, "    fun refresh() {\n", "    fun refresh() {\n        quietCalled()\n", False),
    (VIEW_MODEL, KT_END, "\n    fun quietCalled() {\n    }\n}\n", False),
    # Called from another file, and named by a function reference.
    (LOGIN, "savedInstanceState) {\n", "savedInstanceState) {\n        FeedViewModelKt.quietOther();\n", False),
    (VIEW_MODEL, KT_END, "\n}\n\nfun quietOther(): Int = 4\n", False),
    (VIEW_MODEL, "    fun refresh() {\n", "    fun refresh() {\n        val f = ::quietReferenced\n", False),
    (VIEW_MODEL, KT_END, "\n}\n\nfun quietReferenced(): Int = 5\n", False),
    # An override, an annotation, a call inside: the analysis may see the function whatever its name.
    (VIEW_MODEL, KT_END, "\n    override fun quietOverride() {\n    }\n}\n", False),
    (VIEW_MODEL, KT_END, "\n    @JavascriptInterface\n    fun quietBridge(): Int = 6\n}\n", False),
    (VIEW_MODEL, KT_END, "\n    fun quietCaller() {\n        refresh()\n    }\n}\n", False),
    # A Java method of a class with a supertype (an override needs no annotation), one named like a lifecycle method.
    (LOGIN, JAVA_END, "\n\n    public void quietJavaOverride() {\n    }\n}\n", False),
    (LOGIN, JAVA_END, "\n\n    protected void onCreate(int flags) {\n    }\n}\n", False),
    # Named in a layout (`android:onClick`), the layout first.
    (LAYOUT, 'android:orientation="vertical"', 'android:orientation="vertical"\n    android:onClick="quietWired"',
     False),
    (VIEW_MODEL, KT_END, "\n    fun quietWired(v: Int) {\n    }\n}\n", False),
    # Named like what a rule looks for (`SIGN_UP_FUNCTION`).
    (VIEW_MODEL, KT_END, "\n}\n\nfun signUp(): Int = 7\n", False),
    # In an SDK module (configured as one first): its public functions are its API.
    (".pipl-lint.toml", "", 'sdk-modules = [":analytics"]\n', False),
    (DEVICE_ID, JAVA_END, "\n\n    public static int quietApi() {\n        return 8;\n    }\n}\n", False),
]


def test_unused_functions_added_or_removed_reuse_the_results(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A function nothing uses, added or removed, changes only positions for the analysis: the previous results are
    reused (`incremental.inert_functions`, `incremental.Unread`); a function something names, or that the platform
    may call, or that holds a call, makes the analysis run again. Either way the results are a cold run's."""
    root, out, moved, _first = _warm_copy(tmp_path, monkeypatch)
    clock = Clock()
    for step, (rel, old, new, expect) in enumerate(UNUSED_FUNCTIONS):
        _edit(root, rel, old, new, clock)
        moved.clear()
        warm = _report(root, out, no_cache=False)
        assert moved == [expect], (step, new)  # tried once (a layout changed: nothing to move results from)
        assert warm == _report(root, out, no_cache=True), (step, new)


COMPLIANT_APP = "app/src/main/java/com/example/dailynews/DailyNewsApp.kt"
ON_CREATE = "        super.onCreate()\n"
IMEI = "(getSystemService(TELEPHONY_SERVICE) as android.telephony.TelephonyManager).deviceId"
# (example app, file, old text, new text, what the warm run does): edits that add (or remove) a call the analysis
# resolves. The incremental step cannot prove such an edit invisible (a new caller changes what "every caller" of the
# callee means, a call may make code reachable, use a permission or start an SDK): the analysis runs again
# (`ANALYSES`: the incremental step was tried and refused), and gives a cold run's results. An edit back to a state
# analysed before takes that run's stored results (`STORED`: the incremental step is not even tried).
ANALYSES, STORED = [False], []
CALL_EDITS = [
    # What the benchmark's "a function with a call appended" does: a new function that calls the file's first one.
    ("leaky-app", VIEW_MODEL, KT_END, "\n}\n\nfun quietCallsRefresh(): Int {\n    refresh()\n    return 1\n}\n",
     ANALYSES),
    ("leaky-app", VIEW_MODEL, "\n}\n\nfun quietCallsRefresh(): Int {\n    refresh()\n    return 1\n}\n", KT_END,
     STORED),
    ("leaky-app", LOGIN, JAVA_END, "\n\n    void quietCallsCreate() {\n        onCreate(null);\n    }\n}\n", ANALYSES),
    # A platform API a rule looks for, in a function nothing calls and where it runs at startup.
    ("leaky-app", VIEW_MODEL, KT_END,
     "\n}\n\nfun quietImei(tm: android.telephony.TelephonyManager): String = tm.deviceId\n", ANALYSES),
    ("leaky-app", DEVICE_ID, JAVA_END, "\n\n    String quietImei(android.telephony.TelephonyManager tm) {\n"
                                      "        return tm.getDeviceId();\n    }\n}\n", ANALYSES),
    ("compliant-app", COMPLIANT_APP, ON_CREATE, ON_CREATE + f"        val imei = {IMEI}\n", ANALYSES),
    ("compliant-app", COMPLIANT_APP, f"        val imei = {IMEI}\n", "", STORED),
    # An SDK's init before consent, then the call moved behind the consent check.
    ("compliant-app", COMPLIANT_APP, ON_CREATE,
     ON_CREATE + "        UMConfigure.init(this, BuildConfig.UMENG_APP_KEY, BuildConfig.UMENG_CHANNEL, "
                 "UMConfigure.DEVICE_TYPE_PHONE, \"\")\n", ANALYSES),
    ("compliant-app", COMPLIANT_APP, "            SdkBootstrap.initAll(this)\n",
     "            SdkBootstrap.initAll(this)\n            UMConfigure.submitPolicyGrantResult(this, true)\n", ANALYSES),
]


@pytest.mark.parametrize("app", ["leaky-app", "compliant-app"])
def test_calls_added_or_removed_give_what_a_cold_run_gives(app: str, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """A call added or removed - to a project function, to a platform API a rule looks for, to an SDK's init - makes
    the analysis run again (the incremental step tries and refuses), with the results of a cold run."""
    root, out, moved, first = _warm_copy(tmp_path, monkeypatch, app)
    clock = Clock()
    seen = [first]
    for step, (example, rel, old, new, expect) in enumerate(CALL_EDITS):
        if example != app:
            continue
        _edit(root, rel, old, new, clock)
        moved.clear()
        warm = _report(root, out, no_cache=False)
        assert moved == expect, (step, new)
        assert warm == _report(root, out, no_cache=True), (step, new)
        seen.append(warm)
    assert len(set(seen)) > 1  # some of the calls changed the findings


def test_the_catalog_is_read_from_the_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A run that analyses takes the parsed catalog from the cache (`engine.stored_catalog`) while the tool version
    and the catalog files are the same; a stored catalog of other files, or one that does not decode, is parsed
    again. The results are those of a run that parses it."""
    import sqlite3

    from pipl_lint import catalogs
    from pipl_lint.cache import CACHE_DIR, DB_NAME

    root = tmp_path / "leaky-app"
    shutil.copytree(EXAMPLES / "leaky-app", root)
    monkeypatch.chdir(root)
    parsed: list[int] = []
    real = catalogs.load_catalog
    monkeypatch.setattr(catalogs, "load_catalog", lambda: parsed.append(1) or real())
    out = tmp_path / "out.json"
    clock = Clock()

    def analyse(step: int) -> None:  # after a code edit; each run as a new process (nothing kept in memory)
        _edit(root, VIEW_MODEL, KT_END, f"\n    fun caller{step}() {{\n        refresh()\n    }}\n}}\n", clock)
        monkeypatch.setattr(engine, "_catalog", [])
        warm = _report(root, out, no_cache=False)
        monkeypatch.setattr(engine, "_catalog", [])
        assert warm == _report(root, out, no_cache=True)  # which parses the catalog: no cache

    analyse(1)
    assert len(parsed) == 2  # parsed, and stored
    analyse(2)
    assert len(parsed) == 3  # the cold run's only
    from pipl_lint.cache import Cache

    monkeypatch.setattr(engine, "_catalog", [])
    decoded = engine.stored_catalog(Cache(root, "another namespace"))  # (the meta table is kept across namespaces)
    assert len(parsed) == 3 and decoded == real() and decoded is not real()
    assert all(any(sdk is s for s in decoded.sdks)  # the indexes hold the entries themselves
               for calls in decoded.sdk_calls_by_method.values() for sdk, _role, _call in calls)
    db = sqlite3.connect(root / CACHE_DIR / DB_NAME)
    stored = db.execute("SELECT v FROM meta WHERE k='catalog'").fetchone()[0]
    for planted in (stored.replace(b"0.", b"9.", 1), b"\x93\x01\x02\x03", stored[:-9]):  # other version; garbage
        with db:
            db.execute("UPDATE meta SET v=? WHERE k='catalog'", (planted,))
        before = len(parsed)
        analyse(3 + len(parsed))
        assert len(parsed) == before + 2  # parsed again (and stored again)
    db.close()


KOTLIN = b"""package a

class App {
    fun onCreate() {
        start()
        if (agreed()) {
            other()
        }
    }
}
"""


def _shift(old: bytes, new: bytes) -> incremental.Shift:
    a, b = summarize("A.kt", old, "kotlin"), summarize("A.kt", new, "kotlin")
    return incremental.compare((tuple(a.problems), a.summary), (tuple(b.problems), b.summary))


def test_a_moved_summary_gives_a_line_map() -> None:
    shift = _shift(KOTLIN, KOTLIN.replace(b"    fun onCreate", b"\n    fun onCreate"))
    assert shift.line(5) == 6 and shift.line(3) == 3
    assert shift.point(5, 9) == (6, 9)
    assert 5 in shift.moved and 3 not in shift.moved


@pytest.mark.parametrize("new", [
    KOTLIN.replace(b"start()", b"begin()"),  # another call
    KOTLIN.replace(b"start()", b"start(1)"),  # other arguments
    KOTLIN.replace(b"start()", b"start(\n        )"),  # the call's text changed length
    KOTLIN.replace(b"agreed()", b"!agreed()"),  # another guard
    KOTLIN.replace(b"        start()\n", b"        start(); other()\n"),  # a call added
])
def test_a_changed_summary_is_no_move(new: bytes) -> None:
    with pytest.raises(incremental.Mismatch):
        _shift(KOTLIN, new)


LOGGED = KOTLIN.replace(b"package a\n", b"package a\n\nimport android.util.Log\nimport timber.log.Timber\n")


@pytest.mark.parametrize("log", [
    b'Log.d("a", "b")', b'Timber.wtf("b")', b'Log.w("a", "b $x")', b'Log.i("a", "b" + 1)',
])
def test_a_log_call_is_not_analysed(log: bytes) -> None:
    new = LOGGED.replace(b"        start()\n", b"        " + log + b"\n        start()\n")
    seen, before = for_analysis(summarize("A.kt", new, "kotlin").summary), summarize("A.kt", LOGGED, "kotlin").summary
    assert [s.name for s in seen.sites] == [s.name for s in before.sites] == ["start", "agreed", "other"]
    assert seen.strings == before.strings == () and seen.refs == before.refs
    shift = _shift(LOGGED, new)  # only positions changed: the previous results move
    assert shift.line(8) == 9 and shift.line(9) == 10


def test_a_log_call_before_one_that_is_analysed_moves() -> None:
    """A function that already logs something the analysis reads (`${user.name}` is a property read) reads the
    name `Log` from that call on, whether or not a plain log call comes first."""
    before = LOGGED.replace(b"        start()\n", b'        start(count)\n        Log.d("a", "${user.name}")\n')
    after = before.replace(b"        start(count)\n", b'        Log.i("a", "b")\n        start(count)\n')
    assert _shift(before, after).line(9) == 10


@pytest.mark.parametrize("new", [
    LOGGED.replace(b"        start()\n", b'        Log.d("a", deviceId())\n        start()\n'),  # a call inside
    LOGGED.replace(b"        start()\n", b'        Log.v("a", "b")\n        start()\n')
    .replace(b"class App {", b"class App {\n    class Log"),  # a class of that name
    KOTLIN.replace(b"        start()\n", b'        Log.d("a", "b")\n        start()\n'),  # not imported
    LOGGED.replace(b"        start()\n", b'        Log.println(4, "a", "b")\n        start()\n'),  # another method
])
def test_other_log_calls_are_analysed(new: bytes) -> None:
    with pytest.raises(incremental.Mismatch):
        _shift(LOGGED, new)


def _inert(source: bytes, path: str = "A.kt") -> list[str]:
    summary = summarize(path, source, "kotlin" if path.endswith(".kt") else "java").summary
    assert summary is not None
    return [summary.functions[i].name for i in incremental.inert_functions(summary)]


def test_what_an_inert_function_is() -> None:
    top = b"package a\n\nfun first() {\n    start()\n}\n"
    assert _inert(top + b"\nfun quiet(): Int = 1\n") == ["quiet"]
    # The first function of a file facade with others after it: the analysis may locate the facade by it.
    assert _inert(top.replace(b"fun first", b"fun quiet(): Int = 1\n\nfun first")) == []
    assert _inert(b"package a\n\nfun quiet(): Int = 1\n") == ["quiet"]  # the only one
    assert _inert(KOTLIN.replace(b"class App {\n", b"class App {\n    fun quiet() {}\n")) == ["quiet"]
    for held in (b"fun quiet() { class Local }", b"fun quiet() = other()", b"fun quiet() = \"text\"",
                 b"fun quiet() { val x = y }", b"override fun quiet() {}", b"@Composable fun quiet() {}",
                 b"operator fun quiet() {}", b"open fun quiet() {}", b"fun `quiet one`() {}"):
        assert _inert(KOTLIN.replace(b"class App {\n", b"class App {\n    " + held + b"\n")) == [], held
    java = b"package a;\n\nclass A {\n    void quiet() {}\n}\n"
    assert _inert(java, "A.java") == ["quiet"]
    assert _inert(java.replace(b"class A {", b"class A extends Activity {"), "A.java") == []  # may override
    assert _inert(java.replace(b"    void", b"    @JavascriptInterface\n    void"), "A.java") == []


def test_a_suppression_comment_keeps_the_line_it_covers() -> None:
    before = KOTLIN.replace(b"        start()", b"        // pipl-lint: ignore[EC101] ok\n        start()")
    with pytest.raises(incremental.Mismatch):  # code moved away from the comment: it no longer covers it
        _shift(before, before.replace(b"ok\n", b"ok\n\n"))
    assert _shift(before, b"\n" + before).line(6) == 7  # both moved


def _finding(path: str, line: int, message: str = "m", trace: tuple[TraceStep, ...] = ()) -> Finding:
    return Finding("EC101", "pi-api-before-consent", Category.EARLY_COLLECTION, Severity.ERROR, path,
                   Span(line, 9, line, 16), message, "f", (), trace)


def test_findings_move_or_refuse() -> None:
    shift = _shift(KOTLIN, KOTLIN.replace(b"    fun onCreate", b"\n    fun onCreate"))
    shifts = {"A.kt": shift}
    moved = incremental.move_findings([_finding("A.kt", 5, trace=(TraceStep("A.kt", 4, "n"),))], shifts)
    assert moved[0].span == Span(6, 9, 6, 16) and moved[0].trace[0].line == 5
    assert incremental.move_findings([_finding("B.kt", 5, "at B.kt:5")], shifts)[0].span.line == 5
    for refused in (_finding("A.kt", 5, "guard (line 7) is no consent check"),  # a moved line, quoted
                    _finding("B.kt", 5, "see A.kt:7"),  # quoted by file name from another file
                    _finding("B.kt", 5, "x (line 7)", trace=(TraceStep("A.kt", 4, "n"),)),  # on its trace
                    _finding("A.kt", 2)):  # a position no summary recorded
        with pytest.raises(incremental.Mismatch):
            incremental.move_findings([refused], shifts)
    assert incremental.move_findings([_finding("B.kt", 5, "x (line 7)")], shifts)  # another file's line 7
    # Related locations move too, and what they say is checked like the finding's own text.
    related = Related("A.kt", Span(5, 9, 5, 16), "collects here", trace=(TraceStep("A.kt", 4, "n"),))
    found = incremental.move_findings([replace(_finding("B.kt", 3), related=(related,))], shifts)[0]
    assert found.related[0].span == Span(6, 9, 6, 16) and found.related[0].trace[0].line == 5
    with pytest.raises(incremental.Mismatch):
        incremental.move_findings([replace(_finding("B.kt", 3), related=(replace(related, note="(line 7)"),))],
                                  shifts)
    assert incremental.move_diagnostics([Diagnostic("A.kt", "d", 5, 9)], shifts)[0].line == 6


LEAK = """
    fun collectEarly() {
        val id = android.provider.Settings.Secure.getString(
            contentResolver, android.provider.Settings.Secure.ANDROID_ID)
    }
"""


def test_the_language_server_moves_results_of_unsaved_buffers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The language server's analysis (an overlay of unsaved buffers) takes the same incremental step, and gives
    what a cold run of the same text on disk gives."""
    pytest.importorskip("pygls")
    import os

    from pipl_lint.config import Config
    from pipl_lint.lsp.state import Analysis

    root = (tmp_path / "compliant-app").resolve()
    shutil.copytree(EXAMPLES / "compliant-app", root)
    app = root / "app/src/main/java/com/example/dailynews/DailyNewsApp.kt"
    text = app.read_text("utf-8").replace("super.onCreate()", "super.onCreate()\n        collectEarly()", 1)
    app.write_text(text.rstrip().rstrip("}") + LEAK + "}\n", "utf-8")
    moved = _count_moved(monkeypatch)
    analysis = Analysis(root, Config(), use_cache=True)
    analysis.run()
    edited = b"// one\n// two\n// three\n" + app.read_bytes()
    analysis.run(overlay={os.path.realpath(app): edited})
    assert moved[-1] is True
    in_memory = {rel: [(f.span, f.rule, f.message) for f in fs] for rel, fs in analysis.by_path.items()}
    assert in_memory and all(f.span.line > 3 for fs in analysis.by_path.values() for f in fs)
    app.write_bytes(edited)
    cold = Analysis(root, Config(), use_cache=False)
    cold.run()
    assert in_memory == {rel: [(f.span, f.rule, f.message) for f in fs] for rel, fs in cold.by_path.items()}


def test_a_run_marks_the_summaries_it_used(tmp_path: Path) -> None:
    """`Cache.touch` dates the entries a run used (entries unused for `PRUNE_AFTER` are pruned), at most once a day
    per entry, in statements of 500 keys."""
    import time

    from pipl_lint.cache import Cache

    cache = Cache(tmp_path, "touch")
    assert cache.db is not None
    keys = [f"k{i}" for i in range(1200)]
    cache.put_summaries((k, b"entry") for k in keys)
    hour_ago, long_ago = time.time() - 3600, time.time() - 10 * 24 * 3600
    with cache.db:
        cache.db.execute("UPDATE summaries SET used=?", (long_ago,))
        cache.db.execute("UPDATE summaries SET used=? WHERE k IN ('k5', 'k1150')", (hour_ago,))
    cache.touch([*keys[:1199], "absent"])
    used = dict(cache.db.execute("SELECT k, used FROM summaries"))
    assert used.pop("k5") == used.pop("k1150") == hour_ago  # used within the day: not written again
    assert used.pop("k1199") == long_ago  # not used by this run
    assert len(used) == 1197 and all(t > hour_ago for t in used.values())
