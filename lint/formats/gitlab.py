"""`--format gitlab`: GitLab Code Quality report (a JSON array of Code Climate issues).

Save it as the `codequality` report artifact of a job; GitLab shows new and fixed findings in the merge
request widget and on the diff. `fingerprint` is the line-independent finding fingerprint (made unique
when two findings share it), so an issue moved by an edit is not shown as fixed-and-new.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from pipl_lint.findings import Finding, Severity
from pipl_lint.formats import CheckOutput

SEVERITIES = {Severity.ERROR: "critical", Severity.WARNING: "major", Severity.INFO: "info"}


def issue(f: Finding, fingerprint: str) -> dict[str, Any]:
    body = f"{f.message}{f.variant_label}\n\n**Fix:** {f.fix}"
    if f.related:
        body += "\n\n**Collects at:**\n" + "\n".join(f"- `{r.path}:{r.span.line}` {r.note}" for r in f.related)
    if f.trace:
        body += "\n\n**Path:**\n" + "\n".join(f"{i + 1}. `{t.path}:{t.line}` {t.note}" for i, t in enumerate(f.trace))
    if f.references:
        body += "\n\n**See:** " + "; ".join(f.references)
    return {
        "type": "issue",
        "check_name": f"{f.rule} {f.name}",
        "description": f"{f.rule} {f.message}{f.variant_label}",
        "content": {"body": body},
        "categories": ["Security"],
        "severity": SEVERITIES[f.severity],
        "fingerprint": fingerprint,
        "location": {"path": f.path, "lines": {"begin": f.span.line, "end": max(f.span.end_line, f.span.line)}},
    }


def render(report: CheckOutput) -> str:
    seen: dict[str, int] = {}
    issues = []
    for f in report.findings:
        n = seen.get(f.fingerprint, 0)
        seen[f.fingerprint] = n + 1
        fp = f.fingerprint if n == 0 else hashlib.sha256(f"{f.fingerprint}:{n}".encode()).hexdigest()[:32]
        issues.append(issue(f, fp))
    return json.dumps(issues, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
