"""`--format sarif`: SARIF 2.1.0 for GitHub code scanning, Azure DevOps, IDE viewers and other SARIF tools.

- `tool.driver.rules` describes every known rule (not only those that fired): short and full description,
  help (the rule's docstring as markdown), default level, category and tags.
- Each result has a region, `partialFingerprints["piplLint/v1"]` (line-independent, so alerts survive
  line shifts), the call trace as a `codeFlow`, where a helper it leads into collects as
  `relatedLocations` (numbered from 1, with their note), and the edits of an autofix as `fixes`.
- Paths are relative to `%SRCROOT%`, declared in `originalUriBaseIds` as the scan root.
- Findings hidden by an in-source suppression (`inSource`) or by the baseline (`external`) are kept as
  suppressed results; files that could not be analysed are `toolExecutionNotifications`.
- Keys are sorted so that output is byte-stable for a given input.
"""

from __future__ import annotations

import json
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import quote

from pipl_lint.coverage import unread_warning
from pipl_lint.findings import Diagnostic, Finding, Severity, TraceStep
from pipl_lint.formats import CheckOutput

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SRCROOT = "%SRCROOT%"
FINGERPRINT_KEY = "piplLint/v1"
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def _artifact(path: str) -> dict[str, Any]:
    if PurePosixPath(path).is_absolute():  # outside the scan root
        return {"uri": "file://" + quote(path)}
    return {"uri": quote(path), "uriBaseId": SRCROOT}


def _location(path: str, line: int, column: int = 0, end_line: int = 0, end_column: int = 0,
              message: str | None = None) -> dict[str, Any]:
    physical: dict[str, Any] = {"artifactLocation": _artifact(path)}
    if line >= 1:
        region: dict[str, Any] = {"startLine": line}
        if column >= 1:
            region["startColumn"] = column
        if end_line >= line:
            region["endLine"] = end_line
            if end_column >= 1 and (end_line > line or end_column > column):
                region["endColumn"] = end_column
        physical["region"] = region
    out: dict[str, Any] = {"physicalLocation": physical}
    if message:
        out["message"] = {"text": message}
    return out


def _root_uri(root: str) -> str:
    text = root.replace("\\", "/")
    if not text.startswith("/"):
        text = "/" + text  # C:/x → /C:/x
    return "file://" + quote(text.rstrip("/") + "/")


def rule_descriptor(rule: Any, lang: str = "en") -> dict[str, Any]:
    """A `reportingDescriptor` from a registered rule: the same text as `pipl-lint explain`."""
    from pipl_lint.ruleapi import parse_sections

    m = rule.meta
    explanation = rule.explanation_in(lang)
    summary = rule.summary_in(lang)
    sections = parse_sections(explanation)
    what = sections.get("What it does", summary)
    return {
        "id": m.id,
        "name": m.name,
        "shortDescription": {"text": summary},
        "fullDescription": {"text": what},
        "help": {"text": explanation, "markdown": explanation},
        "defaultConfiguration": {"level": LEVELS[m.severity]},
        "properties": {
            "category": m.category.value,
            "tags": ["privacy", m.category.value],
            "precision": "medium",
            "problem.severity": LEVELS[m.severity] if m.severity != Severity.INFO else "recommendation",
            "references": list(m.references),
            "fixable": m.fixable,
        },
    }


def _code_flow(trace: tuple[TraceStep, ...]) -> dict[str, Any]:
    steps = [{"location": _location(s.path, s.line, message=s.note), "executionOrder": i + 1}
             for i, s in enumerate(trace)]
    return {"threadFlows": [{"locations": steps}], "message": {"text": "How the code gets here"}}


def _fixes(f: Finding) -> list[dict[str, Any]]:
    if not f.edits:
        return []
    by_path: dict[str, list[dict[str, Any]]] = {}
    for e in f.edits:
        by_path.setdefault(e.path, []).append({
            "deletedRegion": {"charOffset": e.start, "charLength": e.end - e.start},
            "insertedContent": {"text": e.text},
        })
    unsafe = any(e.applicability != "safe" for e in f.edits)
    changes = [{"artifactLocation": _artifact(p), "replacements": reps} for p, reps in sorted(by_path.items())]
    return [{"description": {"text": f.fix}, "artifactChanges": changes,
             "properties": {"applicability": "unsafe" if unsafe else "safe"}}]


def result(f: Finding, rule_index: dict[str, int], suppression: str | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {
        "ruleId": f.rule,
        "level": LEVELS[f.severity],
        "message": {"text": f.message},
        "locations": [_location(f.path, f.span.line, f.span.column, f.span.end_line, f.span.end_column)],
        "partialFingerprints": {FINGERPRINT_KEY: f.fingerprint},
        "properties": {"name": f.name, "category": f.category.value, "fix": f.fix,
                       "references": list(f.references)},
    }
    if f.variants:
        out["properties"]["variants"] = list(f.variants)
    if f.rule in rule_index:
        out["ruleIndex"] = rule_index[f.rule]
    if f.related:
        out["relatedLocations"] = [
            {**_location(r.path, r.span.line, r.span.column, r.span.end_line, r.span.end_column,
                         f"collects here: {r.note}"), "id": i + 1}
            for i, r in enumerate(f.related)]
    if f.trace:
        out["codeFlows"] = [_code_flow(f.trace)]
    fixes = _fixes(f)
    if fixes:
        out["fixes"] = fixes
    if suppression:
        out["suppressions"] = [{"kind": suppression}]
    return out


def _notification(d: Diagnostic) -> dict[str, Any]:
    return {
        "level": "warning",
        "message": {"text": f"could not analyse fully: {d.message}"},
        "locations": [_location(d.path, d.line, d.column)],
    }


def _invocation(report: CheckOutput) -> dict[str, Any]:
    """Success, a notification per file not analysed fully, and what was read (`properties.coverage`, the
    same object as `summary.coverage` in the JSON output), with a notification when sources went unread."""
    notes = [_notification(d) for d in report.diagnostics]
    out: dict[str, Any] = {"executionSuccessful": report.successful}
    if report.coverage is not None:
        out["properties"] = {"coverage": report.coverage.as_dict()}
        warning = unread_warning(report.coverage)
        if warning:
            notes.append({"level": "warning", "message": {"text": warning},
                          "descriptor": {"id": "coverage"}})
    out["toolExecutionNotifications"] = notes
    return out


def build(report: CheckOutput) -> dict[str, Any]:
    """The SARIF log as a dict (for tests and tools that post-process it)."""
    rules = sorted(report.rules, key=lambda r: r.meta.id)
    index = {r.meta.id: i for i, r in enumerate(rules)}
    results = [result(f, index) for f in report.findings]
    results += [result(f, index, "inSource") for f in report.suppressed_findings]
    results += [result(f, index, "external") for f in report.baselined_findings]
    run = {
        "tool": {"driver": {
            "name": "pipl-lint",
            "version": report.version,
            "semanticVersion": report.version,
            "rules": [rule_descriptor(r, report.lang) for r in rules],
        }},
        "originalUriBaseIds": {SRCROOT: {"uri": _root_uri(report.root)}},
        "columnKind": "unicodeCodePoints",
        "results": results,
        "invocations": [_invocation(report)],
    }
    return {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}


def render(report: CheckOutput) -> str:
    return json.dumps(build(report), ensure_ascii=False, indent=2, sort_keys=True) + "\n"
