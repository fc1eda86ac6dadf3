"""Inline suppressions: `// pipl-lint: ignore[rule] reason` on the line or the line above,
`<!-- pipl-lint: ignore[rule] reason -->`, `tools:ignore="rule"` in XML, and `@SuppressLint("rule")` /
`@Suppress("rule")` on a declaration. A rule is named by id or name; `all` matches every rule.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipl_lint.findings import Diagnostic, Finding

IGNORE = re.compile(r"pipl-lint:\s*ignore\[([^\]]*)\]\s*(.*)")
ANNOTATION_ARGS = re.compile(r'"([^"]+)"')


@dataclass(frozen=True, slots=True)
class Suppression:
    path: str
    first_line: int  # lines covered (inclusive)
    last_line: int
    rules: frozenset[str]
    reason: str
    source_line: int
    kind: str  # comment | annotation | tools-ignore

    def covers(self, f: Finding) -> bool:
        if f.path != self.path or not (self.first_line <= f.span.line <= self.last_line):
            return False
        return bool(self.rules & {f.rule, f.name, "all"})


def _from_comment(path: str, first: int, text: str) -> Suppression | None:
    m = IGNORE.search(text)
    if m is None:
        return None
    rules = frozenset(r.strip() for r in m.group(1).split(",") if r.strip())
    reason = m.group(2).strip().removesuffix("*/").removesuffix("-->").strip()
    # A comment covers its own line and the next one (comment-above style).
    return Suppression(path, first, first + 1, rules, reason, first, "comment")


def collect(ctx: object) -> list[Suppression]:
    """Every suppression in the project's sources, manifests and layouts."""
    out: list[Suppression] = []
    index = getattr(ctx, "index")
    for fs in index.files:
        for first, last, text in fs.suppressions:
            if "pipl-lint" in text and text.lstrip().startswith(("//", "/*")):
                s = _from_comment(fs.path, first, text)
                if s is not None:
                    out.append(s)
            elif text.startswith("@"):
                rules = frozenset(ANNOTATION_ARGS.findall(text))
                out.append(Suppression(fs.path, first, last, rules, "annotation", first, "annotation"))
    for m in getattr(ctx, "manifests"):
        if m.root is None:
            continue
        for el in m.root.iter():
            ignore = el.get("tools:ignore")
            if ignore:
                rules = frozenset(r.strip() for r in ignore.split(","))
                out.append(Suppression(m.path, el.line, el.end_line, rules, "tools:ignore", el.line,
                                       "tools-ignore"))
    return out


def apply_suppressions(findings: list[Finding], ctx: object) -> tuple[list[Finding], list[Finding], list[Diagnostic]]:
    sups = collect(ctx)
    kept: list[Finding] = []
    dropped: list[Finding] = []
    for f in findings:
        if any(s.covers(f) for s in sups):
            dropped.append(f)
        else:
            kept.append(f)
    return kept, dropped, []
