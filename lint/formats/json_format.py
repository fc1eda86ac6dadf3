"""`--format json`: the contract in docs/architecture.md (one object; findings, errors, summary)."""

from __future__ import annotations

import json
from typing import Any

from pipl_lint.findings import Finding
from pipl_lint.formats import CheckOutput


def finding_dict(f: Finding) -> dict[str, Any]:
    return {
        "rule": f.rule,
        "name": f.name,
        "category": f.category.value,
        "severity": str(f.severity),
        "path": f.path,
        "line": f.span.line,
        "column": f.span.column,
        "end_line": f.span.end_line,
        "end_column": f.span.end_column,
        "message": f.message,
        "fix": f.fix,
        "references": list(f.references),
        "trace": [{"path": s.path, "line": s.line, "note": s.note} for s in f.trace],
        "related": [{"path": r.path, "line": r.span.line, "column": r.span.column, "end_line": r.span.end_line,
                     "end_column": r.span.end_column, "note": r.note,
                     "trace": [{"path": s.path, "line": s.line, "note": s.note} for s in r.trace]}
                    for r in f.related],
        "fingerprint": f.fingerprint,
        "variants": list(f.variants),
    }


def render(report: CheckOutput) -> str:
    by_category: dict[str, int] = {}
    for f in report.findings:
        by_category[f.category.value] = by_category.get(f.category.value, 0) + 1
    doc = {
        "version": report.version,
        "root": report.root,
        "findings": [finding_dict(f) for f in report.findings],
        "errors": [{"path": d.path, "message": d.message, "line": d.line, "column": d.column}
                   for d in report.diagnostics],
        "summary": {
            "findings": len(report.findings),
            "by_severity": report.counts(),
            "by_category": dict(sorted(by_category.items())),
            "errors": len(report.diagnostics),
            "files": report.files,
            "projects": report.projects,
            "suppressed": report.suppressed,
            "baselined": report.baselined,
            "baseline_gone": report.baseline_gone,
            "fail_on": str(report.fail_on),
        },
    }
    if report.coverage is not None:
        doc["summary"]["coverage"] = report.coverage.as_dict()  # type: ignore[index]
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
