"""Pure converters between pipl-lint values and LSP types (no server state, no I/O).

Positions: pipl-lint columns are 1-based code points; LSP characters are 0-based code units of the
negotiated encoding (UTF-16 unless the client chose another), so converters take the line's text and a
unit counter.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from lsprotocol import types

from pipl_lint.findings import Applicability, Edit, Finding, Related, Severity

SOURCE = "pipl-lint"
SEVERITIES = {
    Severity.ERROR: types.DiagnosticSeverity.Error,
    Severity.WARNING: types.DiagnosticSeverity.Warning,
    Severity.INFO: types.DiagnosticSeverity.Information,
}
Units = Callable[[str], int]


def utf16_units(text: str) -> int:
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def position(lines: list[str], line: int, column: int, units: Units = utf16_units) -> types.Position:
    """1-based line and code-point column → LSP position (clamped to the document)."""
    row = max(0, line - 1)
    text = lines[row] if row < len(lines) else ""
    return types.Position(row, units(text.rstrip("\r\n")[: max(0, column - 1)]))


def offset_position(text: str, offset: int, units: Units = utf16_units) -> types.Position:
    """Character offset into `text` → LSP position."""
    offset = max(0, min(offset, len(text)))
    row = text.count("\n", 0, offset)
    start = text.rfind("\n", 0, offset) + 1
    return types.Position(row, units(text[start:offset]))


def path_uri(root: Path, path: str) -> str:
    return (root / path).resolve().as_uri()


def _related_range(f: Finding, r: Related, lines: list[str], units: Units) -> types.Range:
    """A related location's range: exact in the finding's own document; in another file (whose text the
    converter does not have) its lines, from their start."""
    if r.path == f.path:
        return types.Range(position(lines, r.span.line, r.span.column, units),
                           position(lines, r.span.end_line, r.span.end_column, units))
    return types.Range(types.Position(max(0, r.span.line - 1), 0), types.Position(max(0, r.span.end_line - 1), 0))


def finding_to_diagnostic(f: Finding, lines: list[str], root: Path, units: Units = utf16_units) -> types.Diagnostic:
    s = f.span
    end_line, end_column = (s.end_line, s.end_column) if (s.end_line, s.end_column) > (s.line, s.column) else \
        (s.line, s.column + 1)
    collects = [types.DiagnosticRelatedInformation(
        location=types.Location(path_uri(root, r.path), _related_range(f, r, lines, units)),
        message=f"collects here: {r.note}") for r in f.related]
    related = collects + [types.DiagnosticRelatedInformation(
        location=types.Location(path_uri(root, step.path),
                                types.Range(types.Position(max(0, step.line - 1), 0),
                                            types.Position(max(0, step.line - 1), 0))),
        message=f"{i + 1}. {step.note}") for i, step in enumerate(f.trace)]
    return types.Diagnostic(
        range=types.Range(position(lines, s.line, s.column, units), position(lines, end_line, end_column, units)),
        message=f"{f.message}\nfix: {f.fix}",
        severity=SEVERITIES[f.severity],
        code=f.rule,
        source=SOURCE,
        related_information=related or None,
        data={"fingerprint": f.fingerprint, "name": f.name},
    )


def edit_to_text_edit(e: Edit, text: str, units: Units = utf16_units) -> types.TextEdit:
    return types.TextEdit(types.Range(offset_position(text, e.start, units), offset_position(text, e.end, units)),
                          e.text)


def fix_action(f: Finding, uri: str, texts: dict[str, str], root: Path, diagnostic: types.Diagnostic | None,
               units: Units = utf16_units) -> types.CodeAction | None:
    """The finding's edits as a quick fix; None if a file they touch is not available (`texts`: path →
    current text of the files on disk, which the edits' offsets refer to)."""
    if not f.edits or any(e.path not in texts for e in f.edits):
        return None
    unsafe = any(e.applicability != Applicability.SAFE for e in f.edits)
    changes: dict[str, list[types.TextEdit]] = {}
    for e in f.edits:
        changes.setdefault(path_uri(root, e.path), []).append(edit_to_text_edit(e, texts[e.path], units))
    title = f"Fix {f.rule}{' (unsafe: changes behaviour)' if unsafe else ''}: {f.fix.split('. ')[0][:80]}"
    return types.CodeAction(title=title, kind=types.CodeActionKind.QuickFix,
                            diagnostics=[diagnostic] if diagnostic else None,
                            edit=types.WorkspaceEdit(changes=changes), is_preferred=not unsafe)


def suppress_action(f: Finding, uri: str, lines: list[str], diagnostic: types.Diagnostic | None) -> types.CodeAction:
    """Insert a `pipl-lint: ignore[RULE]` comment above the reported line (the reason is left to the
    developer; `suppression-without-reason` reminds them)."""
    row = max(0, f.span.line - 1)
    current = lines[row] if row < len(lines) else ""
    indent = current[: len(current) - len(current.lstrip())]
    newline = "\r\n" if current.endswith("\r\n") else "\n"
    comment = f"<!-- pipl-lint: ignore[{f.rule}] -->" if f.path.endswith(".xml") else \
        f"// pipl-lint: ignore[{f.rule}] "
    edit = types.TextEdit(types.Range(types.Position(row, 0), types.Position(row, 0)), f"{indent}{comment}{newline}")
    return types.CodeAction(title=f"Suppress {f.rule} on this line (add the reason)",
                            kind=types.CodeActionKind.QuickFix,
                            diagnostics=[diagnostic] if diagnostic else None,
                            edit=types.WorkspaceEdit(changes={uri: [edit]}))


def hover_markdown(findings: list[Finding], explanation: Callable[[str], str]) -> str:
    parts = []
    for f in findings:
        parts.append(f"**{f.rule} {f.name}** — {f.message}\n\n**Fix:** {f.fix}\n\n{explanation(f.rule)}")
    return "\n\n---\n\n".join(parts)
