"""`--format text`: `path:line:col: severity rule message`, the line with a caret, where a helper it leads
into collects (`collects at path:line`), the trace, the fix."""

from __future__ import annotations

from pipl_lint.coverage import describe, unread_warning
from pipl_lint.findings import Finding, Severity
from pipl_lint.formats import CheckOutput

COLORS = {Severity.ERROR: "\033[1;31m", Severity.WARNING: "\033[1;33m", Severity.INFO: "\033[1;36m"}
MAX_NOTES = 20
BOLD, DIM, RESET = "\033[1m", "\033[2m", "\033[0m"


def _paint(text: str, code: str, on: bool) -> str:
    return f"{code}{text}{RESET}" if on else text


def render_finding(f: Finding, report: CheckOutput) -> list[str]:
    c = report.color
    head = (f"{_paint(f'{f.path}:{f.span.line}:{f.span.column}:', BOLD, c)} "
            f"{_paint(str(f.severity), COLORS[f.severity], c)} {_paint(f.rule, BOLD, c)} [{f.name}] {f.message}"
            f"{f.variant_label}")
    out = [head]
    src = report.source_line(f.path, f.span.line)
    if src is not None:
        gutter = f"{f.span.line:>5} | "
        text = src.rstrip("\n").expandtabs(4)
        out.append(gutter + text)
        width = max(1, (f.span.end_column - f.span.column) if f.span.end_line == f.span.line else
                    len(text) - f.span.column + 1)
        out.append(" " * (len(gutter) - 2) + "| " + " " * (f.span.column - 1) + _paint("^" * min(width, 80),
                                                                                       COLORS[f.severity], c))
    for r in f.related:
        out.append(f"      {_paint('collects at', BOLD, c)} {r.path}:{r.span.line}  {r.note}")
    if f.trace:
        out.append("      path:")
        for i, step in enumerate(f.trace):
            out.append(f"        {i + 1}. {step.path}:{step.line}  {step.note}")
    out.append(f"      {_paint('fix:', BOLD, c)} {f.fix}")
    if f.references:
        out.append(f"      {_paint('see:', DIM, c)} {'; '.join(f.references)}")
    return out


def render(report: CheckOutput) -> str:
    lines: list[str] = []
    for f in report.findings:
        lines += render_finding(f, report)
        lines.append("")
    syntax = [d for d in report.diagnostics if d.message.startswith("syntax errors")]
    others = [d for d in report.diagnostics if d not in syntax]
    for d in others[:MAX_NOTES]:
        where = f"{d.path}:{d.line}:{d.column}" if d.line else d.path
        lines.append(f"{where}: {_paint('note', DIM, report.color)} could not analyse fully: {d.message}")
    if len(others) > MAX_NOTES:
        lines.append(f"… and {len(others) - MAX_NOTES} more notes (`--format json` lists them all)")
    if syntax:
        shown = ", ".join(f"{d.path}:{d.message.split('first at ')[-1].split(')')[0]}" for d in syntax[:3])
        more = f" and {len(syntax) - 3} more" if len(syntax) > 3 else ""
        lines.append(f"{_paint('note', DIM, report.color)} {len(syntax)} file{'s' if len(syntax) != 1 else ''} "
                     f"contain syntax the grammar could not parse; the rest of each file was analysed: "
                     f"{shown}{more}")
    lines += summary(report)
    return "\n".join(lines) + "\n"


def summary(report: CheckOutput) -> list[str]:
    """The closing lines of every text format: the counts, what was read (and what was not), then a warning
    when sources were left unread."""
    counts = report.counts()
    total = len(report.findings)
    parts = [f"{counts[k]} {k}{'s' if counts[k] != 1 and k != 'info' else ''}" for k in ("error", "warning", "info")]
    line = f"Found {total} problem{'s' if total != 1 else ''} ({', '.join(parts)})" if total else "No problems found"
    extra = []
    if report.coverage is not None:
        extra.append(describe(report.coverage))
    elif report.files:
        extra.append(f"{report.files} source files")
    if report.suppressed:
        extra.append(f"{report.suppressed} suppressed")
    if report.baselined or report.baseline_gone:
        extra.append(f"{report.baselined} in the baseline, {report.baseline_gone} baseline entries gone")
    if report.diagnostics:
        n = len(report.diagnostics)
        extra.append(f"{n} file{'s' if n != 1 else ''} not fully analysed")
    if extra:
        line += " — " + ", ".join(extra)
    out = [line + "."]
    warning = unread_warning(report.coverage) if report.coverage is not None else None
    if warning:
        out.append(_paint(warning, COLORS[Severity.WARNING], report.color))
    return out
