"""The language server end to end: `pipl-lint server` started as a subprocess and driven over its stdio
pipe by pygls's real LSP client — initialise, open leaky files, receive diagnostics, ask for code actions
and a hover. Plus the pure converters and the settings parser."""

from __future__ import annotations

import asyncio
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("pygls")

from lsprotocol import types
from pygls.lsp.client import LanguageClient

from pipl_lint.findings import Applicability, Category, Edit, Finding, Related, Severity, Span, TraceStep
from pipl_lint.lsp.convert import (
    edit_to_text_edit,
    finding_to_diagnostic,
    fix_action,
    offset_position,
    suppress_action,
)
from pipl_lint.lsp.settings import DEFAULT_DEBOUNCE, parse_settings
from tests.conftest import EXAMPLES

APP_KT = "app/src/main/java/com/example/dailynews/DailyNewsApp.kt"
MANIFEST = "app/src/main/AndroidManifest.xml"
TIMEOUT = 60


class Client(LanguageClient):
    def __init__(self) -> None:
        super().__init__("pipl-lint-test", "1")
        self.diagnostics: dict[str, list[types.Diagnostic]] = {}
        self.versions: dict[str, int | None] = {}
        self.messages: list[str] = []
        self.arrived = asyncio.Event()

        @self.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        def _diagnostics(params: types.PublishDiagnosticsParams) -> None:
            self.diagnostics[params.uri] = params.diagnostics
            self.versions[params.uri] = params.version
            self.arrived.set()

        @self.feature(types.WINDOW_SHOW_MESSAGE)
        def _message(params: types.ShowMessageParams) -> None:
            self.messages.append(params.message)

    async def wait_for(self, uri: str) -> list[types.Diagnostic]:
        async def loop() -> list[types.Diagnostic]:
            while uri not in self.diagnostics:
                self.arrived.clear()
                await self.arrived.wait()
            return self.diagnostics[uri]

        return await asyncio.wait_for(loop(), TIMEOUT)

    async def wait_for_version(self, uri: str, version: int) -> list[types.Diagnostic]:
        """The diagnostics published for `version` of the document (earlier ones are skipped)."""
        async def loop() -> list[types.Diagnostic]:
            while self.versions.get(uri) != version:
                self.arrived.clear()
                await self.arrived.wait()
            return self.diagnostics[uri]

        return await asyncio.wait_for(loop(), TIMEOUT)


def _open(client: Client, path: Path, language: str) -> str:
    uri = path.as_uri()
    client.text_document_did_open(types.DidOpenTextDocumentParams(
        types.TextDocumentItem(uri=uri, language_id=language, version=1, text=path.read_text("utf-8"))))
    return uri


async def _session(root: Path) -> dict[str, object]:
    client = Client()
    await client.start_io(sys.executable, "-m", "pipl_lint", "server")
    out: dict[str, object] = {}
    try:
        await asyncio.wait_for(client.initialize_async(types.InitializeParams(
            capabilities=types.ClientCapabilities(), root_uri=root.as_uri(), process_id=None,
            initialization_options={"debounce": 0.05, "cache": False, "debounce-typo": 1})), TIMEOUT)
        client.initialized(types.InitializedParams())
        kt = _open(client, root / APP_KT, "kotlin")
        out["kt"] = await client.wait_for(kt)
        manifest = _open(client, root / MANIFEST, "xml")
        diags = await client.wait_for(manifest)
        out["manifest"] = diags
        ec104 = next(d for d in diags if d.code == "EC104")
        out["actions"] = await asyncio.wait_for(client.text_document_code_action_async(types.CodeActionParams(
            types.TextDocumentIdentifier(manifest), ec104.range, types.CodeActionContext(diagnostics=[ec104]))),
            TIMEOUT)
        ec102 = next(d for d in out["kt"] if d.code == "EC102")  # type: ignore[attr-defined]
        out["kt_actions"] = await asyncio.wait_for(client.text_document_code_action_async(types.CodeActionParams(
            types.TextDocumentIdentifier(kt), ec102.range, types.CodeActionContext(diagnostics=[ec102]))), TIMEOUT)
        out["hover"] = await asyncio.wait_for(client.text_document_hover_async(types.HoverParams(
            types.TextDocumentIdentifier(kt), ec102.range.start)), TIMEOUT)
        out["messages"] = list(client.messages)
        await asyncio.wait_for(client.shutdown_async(None), TIMEOUT)
        client.exit(None)
    finally:
        await asyncio.wait_for(client.stop(), TIMEOUT)
    return out


@pytest.fixture(scope="module")
def session(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    root = tmp_path_factory.mktemp("lsp") / "leaky-app"
    shutil.copytree(EXAMPLES / "leaky-app", root)
    return asyncio.run(_session(root.resolve()))


def test_diagnostics_for_an_opened_kotlin_file(session: dict[str, object]) -> None:
    diags = session["kt"]
    assert isinstance(diags, list | tuple)
    codes = {d.code for d in diags}
    assert {"EC101", "EC102", "EC103"} <= codes
    umeng = next(d for d in diags if d.code == "EC102" and "UMConfigure" in d.message)
    assert umeng.range.start == types.Position(30, 8)  # line 31, column 9 (1-based)
    assert umeng.source == "pipl-lint"
    assert umeng.severity == types.DiagnosticSeverity.Error
    assert umeng.related_information and "DailyNewsApp.onCreate" in umeng.related_information[0].message


def test_diagnostics_for_the_manifest_and_a_safe_fix(session: dict[str, object]) -> None:
    assert any(d.code == "EC104" for d in session["manifest"])  # type: ignore[attr-defined]
    actions = session["actions"]
    assert isinstance(actions, list | tuple)
    fix = next(a for a in actions if a.title.startswith("Fix EC104"))
    assert fix.is_preferred
    (edits,) = fix.edit.changes.values()
    assert 'firebase_crashlytics_collection_enabled" android:value="false"' in edits[0].new_text
    assert edits[0].range.start == edits[0].range.end  # an insertion
    assert any(a.title.startswith("Suppress EC104") for a in actions)


def test_unsafe_fix_is_offered_but_not_preferred(session: dict[str, object]) -> None:
    actions = session["kt_actions"]
    assert isinstance(actions, list | tuple)
    fix = next(a for a in actions if a.title.startswith("Fix EC102"))
    assert "unsafe" in fix.title and not fix.is_preferred
    texts = sorted(e.new_text for edits in fix.edit.changes.values() for e in edits)
    assert texts == ["", "preInit"]


def test_hover_explains_the_rule(session: dict[str, object]) -> None:
    hover = session["hover"]
    assert isinstance(hover, types.Hover)
    text = hover.contents.value  # type: ignore[union-attr]
    assert "EC102 sdk-init-before-consent" in text and "## Why is this bad?" in text


def test_bad_settings_are_reported_and_ignored(session: dict[str, object]) -> None:
    assert any("debounce-typo" in m for m in session["messages"])  # type: ignore[attr-defined]


def test_server_without_pygls_says_how_to_install(tmp_path: Path) -> None:
    blocker = tmp_path / "pygls.py"
    blocker.write_text("raise ImportError('blocked for the test')\n")
    done = subprocess.run([sys.executable, "-c", f"import sys; sys.path.insert(0, {str(tmp_path)!r}); "
                           "from pipl_lint.cli import main; sys.argv = ['pipl-lint', 'server']; main()"],
                          capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
    assert done.returncode == 2
    assert done.stderr.strip() == "pipl-lint: error: the language server needs pygls: pip install 'pipl-lint[lsp]'"


LEAK = """
    fun collectEarly() {
        val id = android.provider.Settings.Secure.getString(
            contentResolver, android.provider.Settings.Secure.ANDROID_ID)
    }
"""


def _change(client: Client, uri: str, version: int, text: str) -> None:
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        types.VersionedTextDocumentIdentifier(version=version, uri=uri),
        [types.TextDocumentContentChangeWholeDocument(text=text)]))


async def _edit_session(root: Path, compliant: str, leaky: str) -> dict[int, list[types.Diagnostic]]:
    """Open the leaky file (as saved), then edit it without saving: three lines above the leak, then the fix."""
    client = Client()
    await client.start_io(sys.executable, "-m", "pipl_lint", "server")
    out: dict[int, list[types.Diagnostic]] = {}
    try:
        await asyncio.wait_for(client.initialize_async(types.InitializeParams(
            capabilities=types.ClientCapabilities(), root_uri=root.as_uri(), process_id=None,
            initialization_options={"debounce": 0.05, "cache": True})), TIMEOUT)
        client.initialized(types.InitializedParams())
        uri = _open(client, root / APP_KT, "kotlin")
        out[1] = await client.wait_for_version(uri, 1)
        _change(client, uri, 2, "// one\n// two\n// three\n" + leaky)
        out[2] = await client.wait_for_version(uri, 2)
        _change(client, uri, 3, compliant)
        out[3] = await client.wait_for_version(uri, 3)
        await asyncio.wait_for(client.shutdown_async(None), TIMEOUT)
        client.exit(None)
    finally:
        await asyncio.wait_for(client.stop(), TIMEOUT)
    return out


def test_unsaved_changes_are_diagnosed(tmp_path: Path) -> None:
    """Before, diagnostics waited for a save: after typing above a finding its squiggle sat on a stale line.
    The project's cache is on, so a run-cache hit keyed by the unchanged files on disk would show here."""
    root = tmp_path / "compliant-app"
    shutil.copytree(EXAMPLES / "compliant-app", root)
    app = root / APP_KT
    compliant = app.read_text("utf-8")
    leaky = compliant.replace("super.onCreate()", "super.onCreate()\n        collectEarly()", 1)
    leaky = leaky.rstrip().rstrip("}") + LEAK + "}\n"
    app.write_text(leaky, "utf-8")
    # Reported on the call in onCreate that leads into the helper; the read is its related location.
    line = next(i for i, text in enumerate(leaky.splitlines()) if text.strip() == "collectEarly()")
    reads = next(i for i, text in enumerate(leaky.splitlines()) if "Secure.getString" in text)
    diags = asyncio.run(_edit_session(root.resolve(), compliant, leaky))
    assert [(d.code, d.range.start.line) for d in diags[1]] == [("EC101", line)]
    collects = diags[1][0].related_information[0]
    assert collects.message.startswith("collects here: ") and collects.location.range.start.line == reads
    assert [(d.code, d.range.start.line) for d in diags[2]] == [("EC101", line + 3)]  # moved, not saved
    assert not diags[3]  # fixed in the buffer: cleared
    assert app.read_text("utf-8") == leaky  # nothing was written


# --- pure parts ---------------------------------------------------------------------------------------------

def _finding(**kw: object) -> Finding:
    base: dict[str, object] = dict(rule="EC101", name="pi-api-before-consent", category=Category.EARLY_COLLECTION,
                                   severity=Severity.WARNING, path="a/B.kt", span=Span(2, 3, 2, 9), message="m",
                                   fix="f", references=())
    base.update(kw)
    return Finding(**base)  # type: ignore[arg-type]


def test_columns_are_converted_to_utf16_units() -> None:
    lines = ["x\n", "😀é call()\n"]
    d = finding_to_diagnostic(_finding(span=Span(2, 4, 2, 10), trace=(TraceStep("a/B.kt", 1, "entry"),)),
                              lines, Path("/r"))
    assert d.range.start == types.Position(1, 4)  # the emoji is two UTF-16 units
    assert d.range.end == types.Position(1, 10)
    assert d.severity == types.DiagnosticSeverity.Warning and d.code == "EC101"


def test_related_locations_come_first_in_related_information() -> None:
    lines = ["x\n", "😀é call()\n"]
    f = _finding(span=Span(1, 1, 1, 2), trace=(TraceStep("a/B.kt", 1, "entry"),),
                 related=(Related("a/B.kt", Span(2, 4, 2, 10), "`call` reads IMEI"),
                          Related("a/Other.kt", Span(7, 5, 7, 9), "`x.y` reads MAC address")))
    d = finding_to_diagnostic(f, lines, Path("/r"))
    assert d.related_information is not None
    same, other, step = d.related_information
    assert same.message == "collects here: `call` reads IMEI"
    assert same.location.range.start == types.Position(1, 4) and same.location.range.end == types.Position(1, 10)
    assert other.location.uri.endswith("/a/Other.kt") and other.location.range.start == types.Position(6, 0)
    assert step.message == "1. entry"


def test_edits_become_text_edits_at_the_right_place() -> None:
    text = "ab\r\ncd😀e\n"
    assert offset_position(text, text.index("e")) == types.Position(1, 4)
    te = edit_to_text_edit(Edit("a/B.kt", 4, 6, "XY"), text)
    assert te.range.start == types.Position(1, 0) and te.range.end == types.Position(1, 2) and te.new_text == "XY"


def test_fix_action_needs_the_file_text_and_marks_unsafe() -> None:
    f = _finding(edits=(Edit("a/B.kt", 0, 1, "z", Applicability.UNSAFE),))
    assert fix_action(f, "file:///r/a/B.kt", {}, Path("/r"), None) is None
    action = fix_action(f, "file:///r/a/B.kt", {"a/B.kt": "abc"}, Path("/r"), None)
    assert action is not None and not action.is_preferred and "unsafe" in action.title


def test_suppress_action_keeps_indentation_and_comment_style() -> None:
    lines = ["class A {\n", "    call()\n"]
    kt = suppress_action(_finding(), "file:///r/a/B.kt", lines, None)
    (edits,) = kt.edit.changes.values()  # type: ignore[union-attr]
    assert edits[0].new_text == "    // pipl-lint: ignore[EC101] \n"
    xml = suppress_action(_finding(path="AndroidManifest.xml"), "file:///r/AndroidManifest.xml", lines, None)
    (edits,) = xml.edit.changes.values()  # type: ignore[union-attr]
    assert edits[0].new_text == "    <!-- pipl-lint: ignore[EC101] -->\n"


def test_settings_parse_into_config_overrides() -> None:
    settings, problems = parse_settings({"debounce": 0.2, "select": ["early-collection"], "app-category": 30,
                                         "consent": {"predicates": ["Privacy.isAgreed"]},
                                         "suppressions": {"require-reason": False}})
    assert problems == []
    assert settings.debounce == 0.2
    from pipl_lint.config import Config

    config = settings.apply(Config())
    assert config.select == ("early-collection",) and config.app_category == "30"
    assert config.consent_predicates == ("Privacy.isAgreed",) and config.require_reason is False


def test_bad_settings_fall_back_to_defaults() -> None:
    settings, problems = parse_settings({"debounce": "soon", "select": ["no-such-rule"], "fail-on": "fatal",
                                         "consent": {"predicates": [1]}, "colour": "red"})
    assert settings.debounce == DEFAULT_DEBOUNCE and settings.overrides == {}
    assert len(problems) == 5 and all(p.endswith("using the default") for p in problems)
    assert parse_settings("nonsense")[1] and parse_settings(None) == (type(settings)(), [])


async def _open_session(workspace: Path, file: Path) -> list[types.Diagnostic]:
    client = Client()
    await client.start_io(sys.executable, "-m", "pipl_lint", "server")
    try:
        await asyncio.wait_for(client.initialize_async(types.InitializeParams(
            capabilities=types.ClientCapabilities(), root_uri=workspace.as_uri(), process_id=None,
            initialization_options={"debounce": 0.05, "cache": False})), TIMEOUT)
        client.initialized(types.InitializedParams())
        uri = _open(client, file, "kotlin")
        diags = await client.wait_for_version(uri, 1)
        await asyncio.wait_for(client.shutdown_async(None), TIMEOUT)
        client.exit(None)
    finally:
        await asyncio.wait_for(client.stop(), TIMEOUT)
    return diags


def test_each_project_uses_its_nearest_config(tmp_path: Path) -> None:
    """The editor's workspace is the repository; the Android project below it has its own pipl-lint.toml (as
    `pipl-lint check` from the repository root and the hook use)."""
    workspace = tmp_path / "repo"
    root = workspace / "android"
    shutil.copytree(EXAMPLES / "compliant-app", root)
    app = root / APP_KT
    leaky = app.read_text("utf-8").replace("super.onCreate()", "super.onCreate()\n        collectEarly()", 1)
    app.write_text(leaky.rstrip().rstrip("}") + LEAK + "}\n", "utf-8")
    (root / "pipl-lint.toml").write_text('ignore = ["EC101"]\n')
    diags = asyncio.run(_open_session(workspace.resolve(), app.resolve()))
    assert "EC101" not in {d.code for d in diags}
    (root / "pipl-lint.toml").unlink()
    assert "EC101" in {d.code for d in asyncio.run(_open_session(workspace.resolve(), app.resolve()))}
