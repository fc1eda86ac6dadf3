"""`--format grouped` (findings under their file, one line each, then where a helper the reported call
leads into collects: `collects at path:line`) and `--format concise` (one
`path:line:col: severity RULE [name] message` line per finding, for editors' error parsers and grep)."""

from __future__ import annotations

from pipl_lint.formats import CheckOutput
from pipl_lint.formats.text import BOLD, COLORS, DIM, _paint, summary


def render(report: CheckOutput) -> str:
    c = report.color
    by_file: dict[str, list[str]] = {}
    for f in report.findings:
        where = f"{f.span.line}:{f.span.column}"
        by_file.setdefault(f.path, []).append(
            f"  {where:<9} {_paint(f'{f.severity!s:<7}', COLORS[f.severity], c)} {_paint(f.rule, BOLD, c)}  "
            f"{f.message}{f.variant_label}")
        by_file[f.path] += [f"  {'':<9} {'':<7} {'':<5}  collects at {r.path}:{r.span.line}" for r in f.related]
    for d in report.diagnostics:
        by_file.setdefault(d.path, []).append(
            f"  {f'{d.line}:{d.column}' if d.line else '-':<9} {_paint('note   ', DIM, c)} could not analyse fully: "
            f"{d.message}")
    lines: list[str] = []
    for path, items in by_file.items():
        lines.append(_paint(path, BOLD, c))
        lines += items
        lines.append("")
    lines += summary(report)
    return "\n".join(lines) + "\n"


def render_concise(report: CheckOutput) -> str:
    lines = [f"{f.path}:{f.span.line}:{f.span.column}: {f.severity} {f.rule} [{f.name}] {f.message}{f.variant_label}"
             for f in report.findings]
    lines += [f"{d.path}:{d.line}:{d.column}: note could not analyse fully: {d.message}" for d in report.diagnostics]
    lines += summary(report)
    return "\n".join(lines) + "\n"
