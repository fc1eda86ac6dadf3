"""Hover over a reported range: the finding, its fix and the rule's explanation (`pipl-lint explain`)."""

from __future__ import annotations

from lsprotocol import types

from pipl_lint.lsp.convert import finding_to_diagnostic, hover_markdown
from pipl_lint.lsp.state import PiplServer


def explanation(rule_id: str) -> str:
    from pipl_lint.registry import lookup

    rule = lookup(rule_id)
    return rule.explanation if rule else ""


def register(server: PiplServer) -> None:
    @server.feature(types.TEXT_DOCUMENT_HOVER)
    def hover(ls: PiplServer, params: types.HoverParams) -> types.Hover | None:
        analysis = ls.analysis
        rel = analysis.rel(params.text_document.uri) if analysis else None
        if analysis is None or rel is None:
            return None
        doc = ls.workspace.get_text_document(params.text_document.uri)
        pos = (params.position.line, params.position.character)
        hits = []
        for f in analysis.findings(rel):
            r = finding_to_diagnostic(f, doc.lines, analysis.root, ls.units).range
            if (r.start.line, r.start.character) <= pos <= (r.end.line, r.end.character):
                hits.append(f)
        if not hits:
            return None
        return types.Hover(types.MarkupContent(types.MarkupKind.Markdown, hover_markdown(hits, explanation)))
