"""Diagnostics: analyse the project when a document is first opened, on every change and on every save
(debounced: a burst of keystrokes gives one analysis), then publish the findings of every open document.
Unsaved buffers are analysed from their in-memory text, so diagnostics follow the lines being edited; a
document edited again while an analysis runs waits for the next one (its diagnostics would be stale)."""

from __future__ import annotations

import asyncio
import os

from lsprotocol import types
from pygls.uris import to_fs_path

from pipl_lint.commands.staged import is_read
from pipl_lint.lsp.convert import finding_to_diagnostic
from pipl_lint.lsp.settings import parse_settings
from pipl_lint.lsp.state import Analysis, PiplServer


def snapshot(ls: PiplServer, analysis: Analysis) -> tuple[dict[str, bytes], dict[str, int | None]]:
    """The open documents whose text differs from the disk (real path → UTF-8 bytes), and every open
    document's version."""
    overlay: dict[str, bytes] = {}
    versions: dict[str, int | None] = {}
    for uri, doc in list(ls.workspace.text_documents.items()):
        versions[uri] = doc.version
        rel = analysis.rel(uri)
        path = to_fs_path(uri)
        if rel is not None and path is not None and analysis.disk_text(rel) != doc.source:
            overlay[os.path.realpath(path)] = doc.source.encode("utf-8", "surrogatepass")
    return overlay, versions


def publish(ls: PiplServer) -> None:
    analysis = ls.analysis
    if analysis is None:
        return
    open_uris = set(ls.workspace.text_documents)
    for uri in sorted(open_uris | ls.published):
        rel = analysis.rel(uri)
        if uri in open_uris and rel is not None:
            doc = ls.workspace.get_text_document(uri)
            if uri in analysis.versions and analysis.versions[uri] != doc.version:
                continue  # edited since the analysis started: the next analysis publishes it
            diags = [finding_to_diagnostic(f, doc.lines, analysis.root, ls.units) for f in analysis.findings(rel)]
            version = doc.version
        else:
            diags, version = [], None
        ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=diags,
                                                                           version=version))
        (ls.published.add if diags else ls.published.discard)(uri)


async def analyse(ls: PiplServer, uri: str) -> None:
    if ls.busy:
        ls.again = True
        return
    analysis = ls.analysis_for(uri)
    if analysis is None:
        return
    ls.busy = True
    try:
        while True:
            ls.again = False
            overlay, versions = snapshot(ls, analysis)
            try:
                await asyncio.get_running_loop().run_in_executor(None, analysis.run, overlay, versions)
            except Exception as exc:  # noqa: BLE001 - the editor must get a message, not a dead server
                ls.show(f"pipl-lint: analysis failed: {type(exc).__name__}: {exc}", types.MessageType.Error)
                return
            publish(ls)
            if not ls.again:
                break
    finally:
        ls.busy = False


def schedule(ls: PiplServer, uri: str) -> None:
    loop = asyncio.get_running_loop()
    if ls.timer is not None:
        ls.timer.cancel()
    ls.timer = loop.call_later(ls.settings.debounce, lambda: loop.create_task(analyse(ls, uri)))


def register(server: PiplServer) -> None:
    @server.feature(types.INITIALIZE)
    def initialize(ls: PiplServer, params: types.InitializeParams) -> None:
        ls.settings, ls.messages = parse_settings(params.initialization_options)

    @server.feature(types.INITIALIZED)
    def initialized(ls: PiplServer, _params: types.InitializedParams) -> None:
        for message in ls.messages:
            ls.show(message)
        ls.messages = []

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    async def did_open(ls: PiplServer, params: types.DidOpenTextDocumentParams) -> None:
        analysis, doc = ls.analysis, params.text_document
        rel = analysis.rel(doc.uri) if analysis is not None else None
        if analysis is not None and analysis.runs and rel is not None and analysis.disk_text(rel) == doc.text:
            publish(ls)  # already analysed, and the buffer is the file: show what is known
        else:
            schedule(ls, doc.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    async def did_change(ls: PiplServer, params: types.DidChangeTextDocumentParams) -> None:
        path = to_fs_path(params.text_document.uri)
        if path is not None and is_read(path):  # typing in a README needs no analysis
            schedule(ls, params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    async def did_save(ls: PiplServer, params: types.DidSaveTextDocumentParams) -> None:
        schedule(ls, params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: PiplServer, params: types.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        if uri in ls.published:
            ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))
            ls.published.discard(uri)
