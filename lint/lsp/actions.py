"""Code actions for the findings under the cursor: the rule's fix when it has edits (offered only while
the document matches the file on disk, which the edits refer to), and a suppression comment."""

from __future__ import annotations

from lsprotocol import types

from pipl_lint.lsp.convert import finding_to_diagnostic, fix_action, suppress_action
from pipl_lint.lsp.state import PiplServer


def _overlaps(a: types.Range, b: types.Range) -> bool:
    def key(p: types.Position) -> tuple[int, int]:
        return p.line, p.character

    return key(a.start) <= key(b.end) and key(b.start) <= key(a.end)


def register(server: PiplServer) -> None:
    @server.feature(types.TEXT_DOCUMENT_CODE_ACTION,
                    types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix]))
    def code_action(ls: PiplServer, params: types.CodeActionParams) -> list[types.CodeAction]:
        analysis = ls.analysis
        uri = params.text_document.uri
        rel = analysis.rel(uri) if analysis else None
        if analysis is None or rel is None:
            return []
        doc = ls.workspace.get_text_document(uri)
        out: list[types.CodeAction] = []
        texts: dict[str, str] = {}
        for f in analysis.findings(rel):
            diag = finding_to_diagnostic(f, doc.lines, analysis.root, ls.units)
            if not _overlaps(diag.range, params.range):
                continue
            for e in f.edits:
                if e.path not in texts and (text := analysis.disk_text(e.path)) is not None:
                    texts[e.path] = text
            if texts.get(rel, doc.source) == doc.source:  # unsaved changes: the offsets may be stale
                action = fix_action(f, uri, texts, analysis.root, diag, ls.units)
                if action is not None:
                    out.append(action)
            out.append(suppress_action(f, uri, doc.lines, diag))
        return out
