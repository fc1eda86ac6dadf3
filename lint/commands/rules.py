"""`pipl-lint rules`: every rule with its metadata."""

from __future__ import annotations

import json
import sys

from pipl_lint import exitcodes
from pipl_lint.errors import UsageError
from pipl_lint.registry import all_rules
from pipl_lint.ruleapi import Rule


def rule_dict(rule: Rule) -> dict[str, object]:
    m = rule.meta
    return {
        "id": m.id,
        "name": m.name,
        "category": m.category.value,
        "severity": str(m.severity),
        "summary": m.summary,
        "fix": m.fix,
        "references": list(m.references),
        "fixable": m.fixable,
        "since": m.since,
        "explanation": rule.explanation,
    }


def run_rules(fmt: str = "text") -> int:
    rules = all_rules()
    if fmt == "json":
        sys.stdout.write(json.dumps([rule_dict(r) for r in rules], ensure_ascii=False, indent=2) + "\n")
    elif fmt == "text":
        width = max(len(r.meta.name) for r in rules)
        current = None
        for r in sorted(rules, key=lambda r: (r.meta.category.value, r.meta.id)):
            if r.meta.category != current:
                current = r.meta.category
                sys.stdout.write(f"\n{current.value}\n")
            sys.stdout.write(f"  {r.meta.id}  {r.meta.name:<{width}}  {str(r.meta.severity):<7}  {r.meta.summary}\n")
    else:
        raise UsageError(f"unknown format {fmt!r} (choose text or json)")
    return exitcodes.OK
