"""Inline suppressions, and which findings they hide.

Forms (a rule is named by id, name or category; several are separated by commas):
- `// pipl-lint: ignore[EC101] reason` or `/* … */` in Kotlin and Java files, and
  `<!-- pipl-lint: ignore[EP201] reason -->` in XML: cover the comment's own lines and the next line, so
  the comment may trail the reported line or sit on the line above it. `ignore[all]` covers every rule.
- `@Suppress("EC101")` / `@SuppressLint("pi-api-before-consent")` / `@SuppressWarnings(...)` on a
  declaration (class, function, property, local): cover the whole declaration. `@file:Suppress(...)`
  covers the file. Strings that name no pipl-lint rule (Android Lint's own ids) are ignored.
- `tools:ignore="EP201"` on an XML element: covers the element and its children, as in Android Lint.
  Android Lint's `all` is not taken to mean pipl-lint's rules; write `pipl-lint` for that.

Gradle build files are not covered yet (the Gradle parser keeps no comments): use the baseline or
`ignore` in the configuration there. Only comments can carry a reason; `suppression-without-reason`
(SP501) reports comments without one. Findings of the `suppression` category are hidden only by naming
their rule explicitly.

A finding on the call that leads into a helper (it has related locations: where the helper collects) is
hidden by a suppression on its own line, or when every one of its collecting lines carries one (so a
suppression written at the collecting call, where such findings were reported before, still works, and
one on only some of the collecting calls does not hide the others).

`collect(ctx)` reads only the Context (the parsed model), so rules may use it too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pipl_lint.findings import Category, Diagnostic, Finding

if TYPE_CHECKING:
    from pipl_lint.ruleapi import Context, Rule

# Regexes over the text of a comment or annotation (never over code).
IGNORE = re.compile(r"pipl-lint:\s*ignore\[([^\]]*)\](.*)", re.S)
ANNOTATION_STRING = re.compile(r'"([^"\\]*)"')
ALL = "all"
REASON_TRIM = " \t\r\n-–—:;,.*/#<>!"
WHOLE_FILE = 10**9


@dataclass(frozen=True, slots=True)
class Suppression:
    path: str
    first_line: int  # lines covered (inclusive)
    last_line: int
    rules: frozenset[str]
    reason: str
    line: int  # where the suppression is written
    kind: str  # comment | annotation | tools-ignore
    text: str = ""  # as written, for messages

    def covers(self, f: Finding) -> bool:
        """The suppression is on the finding's own line and names it."""
        return self.covers_at(f, f.path, f.span.line)

    def covers_at(self, f: Finding, path: str, line: int) -> bool:
        """The suppression is at `path:line` (the finding's, or one of its related locations') and names it."""
        if path != self.path or not (self.first_line <= line <= self.last_line):
            return False
        if f.category == Category.SUPPRESSION:
            return bool(self.rules & {f.rule, f.name})
        return bool(self.rules & {f.rule, f.name, f.category.value, ALL})

    @property
    def label(self) -> str:
        return f"ignore[{', '.join(sorted(self.rules))}]" if self.kind == "comment" else self.text


def _reason(tail: str) -> str:
    tail = tail.strip()
    for end in ("*/", "-->"):
        if tail.endswith(end):
            tail = tail[: -len(end)]
    tail = " ".join(tail.split()).strip(REASON_TRIM)
    return tail if any(ch.isalnum() for ch in tail) else ""


def parse_comment(path: str, first: int, last: int, text: str) -> Suppression | None:
    """A `pipl-lint: ignore[...]` comment; None for any other comment."""
    m = IGNORE.search(text)
    if m is None:
        return None
    rules = frozenset(r.strip() for r in m.group(1).split(",") if r.strip())
    return Suppression(path, first, last + 1, rules, _reason(m.group(2)), first, "comment",
                       " ".join(text.split())[:120])


def known_keys() -> frozenset[str]:
    from pipl_lint.registry import all_rules

    return rule_keys(all_rules())


def _rule_key(key: str, known: frozenset[str]) -> str | None:
    """A pipl-lint rule key inside an annotation or tools:ignore, or None for other tools' ids
    (Android Lint's `HardwareIds` or `all`, ktlint's `ktlint:…`)."""
    key = key.strip()
    if key == "pipl-lint":
        return ALL
    if key.startswith("pipl-lint:"):
        return key.removeprefix("pipl-lint:").strip() or ALL
    return key if key in known else None


def parse_annotation(path: str, first: int, last: int, text: str, known: frozenset[str]) -> Suppression | None:
    if not text.startswith("@") or "Suppress" not in text.split("(", 1)[0]:
        return None
    rules = frozenset(k for k in (_rule_key(s, known) for s in ANNOTATION_STRING.findall(text)) if k)
    if not rules:
        return None
    if text.startswith("@file:"):
        first, last = 1, WHOLE_FILE
    return Suppression(path, first, last, rules, "", first, "annotation", text.split("(", 1)[0])


def _subtree_last_line(el: Any) -> int:
    return max((c.end_line for c in el.iter()), default=el.end_line)


def _xml(path: str, root: Any, known: frozenset[str]) -> Iterator[Suppression]:
    for first, last, text in getattr(root, "suppressions", ()):
        s = parse_comment(path, first, last, text)
        if s is not None:
            yield s
    for el in root.iter():
        value = el.get("tools:ignore")
        if not value:
            continue
        rules = frozenset(k for k in (_rule_key(v, known) for v in value.split(",")) if k)
        if rules:
            yield Suppression(path, el.line, _subtree_last_line(el), rules, "", el.line, "tools-ignore",
                              f'tools:ignore="{value}"')


def _code(path: str, entries: Iterable[tuple[int, int, str]], known: frozenset[str]) -> Iterator[Suppression]:
    for first, last, text in entries:
        stripped = text.lstrip()
        if stripped.startswith(("//", "/*")):
            s = parse_comment(path, first, last, stripped)
        else:
            s = parse_annotation(path, first, last, stripped, known)
        if s is not None:
            yield s


def collect(ctx: Context, paths: frozenset[str] | None = None) -> list[Suppression]:
    """Every suppression in the project's sources, manifests and layouts (only in `paths` when given)."""
    def wanted(p: str) -> bool:
        return paths is None or p in paths

    known = known_keys()
    out: list[Suppression] = []
    for fs in ctx.index.files:
        if wanted(fs.path):
            out += _code(fs.path, fs.suppressions, known)
    manifest_paths: set[str] = set()
    for m in ctx.manifests:
        manifest_paths.add(m.path)
        if m.root is not None and wanted(m.path):
            out += _xml(m.path, m.root, known)
    other_xml = paths is None or any(p.endswith(".xml") and p not in manifest_paths for p in paths)
    if other_xml:
        for layout in ctx.resources.layouts:
            if wanted(layout.path):
                out += _xml(layout.path, layout.root, known)
    return out


def hides(sups: list[Suppression], f: Finding) -> bool:
    """On the finding's line, or on every one of its related locations."""
    return any(s.covers(f) for s in sups) or (bool(f.related) and all(
        any(s.covers_at(f, r.path, r.span.line) for s in sups) for r in f.related))


def _used(s: Suppression, f: Finding) -> bool:
    return s.covers(f) or any(s.covers_at(f, r.path, r.span.line) for r in f.related)


def apply_suppressions(findings: list[Finding], ctx: Context) -> tuple[list[Finding], list[Finding], list[Diagnostic]]:
    """(kept, suppressed, notes)."""
    if not findings:
        return [], [], []
    sups = collect(ctx, frozenset(p for f in findings for p in (f.path, *(r.path for r in f.related))))
    kept: list[Finding] = []
    dropped: list[Finding] = []
    for f in findings:
        (dropped if hides(sups, f) else kept).append(f)
    return kept, dropped, []


def rule_keys(rules: Iterable[Rule]) -> frozenset[str]:
    return frozenset(k for r in rules for k in (r.meta.id, r.meta.name, r.meta.category.value))


def unused(suppressions: Iterable[Suppression], suppressed: Iterable[Finding], ran: Iterable[Rule],
           known: Iterable[Rule]) -> list[tuple[Suppression, str]]:
    """Suppressions that hid nothing in this run, with why. A suppression naming a rule that did not
    run (`--select`/`--ignore`) is left out: it may still be needed."""
    ran_keys = rule_keys(ran)
    known_keys = rule_keys(known)
    hidden = list(suppressed)
    out: list[tuple[Suppression, str]] = []
    for s in suppressions:
        unknown = sorted(k for k in s.rules if k != ALL and k not in known_keys)
        if unknown:
            out.append((s, f"names no pipl-lint rule: {', '.join(unknown)}"))
            continue
        if any(k != ALL and k not in ran_keys for k in s.rules) or (ALL in s.rules and ran_keys != known_keys):
            continue
        if not any(_used(s, f) for f in hidden):
            out.append((s, "hides no finding"))
    return sorted(out, key=lambda t: (t[0].path, t[0].line))
