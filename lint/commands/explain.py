"""`pipl-lint explain RULE`: what the rule detects, why it matters, how to fix it, what it cannot see."""

from __future__ import annotations

import sys

from pipl_lint import exitcodes
from pipl_lint.errors import UsageError
from pipl_lint.registry import lookup


def run_explain(key: str) -> int:
    rule = lookup(key)
    if rule is None:
        raise UsageError(f"unknown rule {key!r} (see `pipl-lint rules`)")
    m = rule.meta
    head = f"{m.id} {m.name} — {m.summary}\n"
    meta = (f"category: {m.category.value}   default severity: {m.severity}   "
            f"autofix: {'yes' if m.fixable else 'no'}   since: {m.since}\n")
    refs = "references: " + "; ".join(m.references) + "\n"
    sys.stdout.write(head + meta + refs + "\n" + rule.explanation + "\n")
    return exitcodes.OK
