"""`--format github`: GitHub Actions workflow commands, one annotation per finding.

`::error file=app/src/main/AndroidManifest.xml,line=44,endLine=44,col=5,endColumn=17,title=EC104 …::message`.
GitHub shows them on the pull request's changed lines. Paths must be relative to the repository root, so
run pipl-lint from there. Values are escaped as the runner expects: `%`, CR and LF everywhere, and `:` and
`,` in properties.
"""

from __future__ import annotations

from pipl_lint.findings import Finding, Severity
from pipl_lint.formats import CheckOutput

COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(kind: str, message: str, **props: object) -> str:
    parts = ",".join(f"{k}={escape_property(str(v))}" for k, v in props.items() if v not in (None, ""))
    return f"::{kind} {parts}::{escape_data(message)}" if parts else f"::{kind}::{escape_data(message)}"


def annotation(f: Finding) -> str:
    s = f.span
    props: dict[str, object] = {"file": f.path, "line": s.line, "endLine": s.end_line}
    if s.end_line == s.line:  # columns are only shown for single-line annotations
        props["col"] = s.column
        props["endColumn"] = s.end_column
    props["title"] = f"{f.rule} {f.name}"
    body = f"{f.message}{f.variant_label}\nfix: {f.fix}"
    for r in f.related:
        body += f"\ncollects at {r.path}:{r.span.line}: {r.note}"
    if f.trace:
        body += "\npath: " + " → ".join(f"{t.path}:{t.line}" for t in f.trace)
    return command(COMMANDS[f.severity], body, **props)


def render(report: CheckOutput) -> str:
    lines = [annotation(f) for f in report.findings]
    for d in report.diagnostics:
        props: dict[str, object] = {"file": d.path, "title": "pipl-lint could not analyse this file fully"}
        if d.line:
            props["line"] = d.line
        lines.append(command("warning", d.message, **props))
    counts = report.counts()
    lines.append(f"pipl-lint: {len(report.findings)} findings ({counts['error']} errors, {counts['warning']} "
                 f"warnings, {counts['info']} info)")
    return "\n".join(lines) + "\n"
