"""`--format checkstyle`: Checkstyle XML, read by Jenkins (Warnings NG), SonarQube, reviewdog, Danger …

`<checkstyle><file name="…"><error line= column= severity= message= source="pipl-lint.EC101"/></file>`; the
message ends with the fix and where a helper the reported call leads into collects (`collects at path:line`);
files and errors in the report's order, characters XML 1.0 cannot carry are dropped.
"""

from __future__ import annotations

import re
from xml.sax.saxutils import quoteattr

from pipl_lint.findings import Severity
from pipl_lint.formats import CheckOutput

SEVERITIES = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "info"}
_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _attr(text: object) -> str:
    return quoteattr(_INVALID.sub("", str(text)), {"\n": "&#10;", "\r": "&#13;", "\t": "&#9;"})


def render(report: CheckOutput) -> str:
    by_file: dict[str, list[str]] = {}
    for f in report.findings:
        collects = "".join(f"; collects at {r.path}:{r.span.line}" for r in f.related)
        by_file.setdefault(f.path, []).append(
            f"    <error line={_attr(f.span.line)} column={_attr(f.span.column)} "
            f"severity={_attr(SEVERITIES[f.severity])} "
            f"message={_attr(f'{f.message}{f.variant_label} (fix: {f.fix}{collects})')} "
            f"source={_attr(f'pipl-lint.{f.rule}.{f.name}')}/>")
    for d in report.diagnostics:
        by_file.setdefault(d.path, []).append(
            f"    <error line={_attr(d.line)} column={_attr(d.column)} severity=\"info\" "
            f"message={_attr('could not analyse fully: ' + d.message)} source=\"pipl-lint.diagnostic\"/>")
    out = ['<?xml version="1.0" encoding="UTF-8"?>', "<checkstyle version=\"4.3\">"]
    for path, errors in by_file.items():
        out.append(f"  <file name={_attr(path)}>")
        out += errors
        out.append("  </file>")
    out.append("</checkstyle>")
    return "\n".join(out) + "\n"
