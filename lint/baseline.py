"""The baseline: accepted findings of an existing codebase, so that only new ones are reported.

A JSON file with two sections keyed by the line-independent finding fingerprint (detekt-style):
`current` — what `pipl-lint baseline` found — and `manually_suppressed` — reviewed false positives a
person moved there (kept when the baseline is regenerated). Each entry carries rule, name, path and
message for humans; no line numbers, so edits above a finding do not revive it. When several findings
share a fingerprint, `count` says how many are accepted and further ones are reported as new.

Findings that moved: an early-collection finding whose collecting call sits in a helper is reported on the
entry call that leads into it (`Finding.related` names the collecting calls). A baseline written when it was
reported at the collecting call still accepts it: a finding none of whose own fingerprint is left is baselined
when the baseline has every one of its `legacy_fingerprints` (one per collecting call, as they were). Such an
entry is not used up (the one old finding now stands for each entry call that reaches the helper) and does not
count as gone. `pipl-lint baseline` writes the new fingerprints; regenerate it to drop the old ones.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipl_lint.findings import Finding
from pipl_lint.io import write_text

VERSION = 1
SECTIONS = ("current", "manually_suppressed")


class BaselineError(Exception):
    """The baseline file cannot be read or is not a pipl-lint baseline."""


@dataclass(frozen=True, slots=True)
class Baseline:
    current: dict[str, dict[str, Any]] = field(default_factory=dict)
    manually_suppressed: dict[str, dict[str, Any]] = field(default_factory=dict)

    def allowance(self) -> Counter[str]:
        """How many findings with each fingerprint the baseline accepts."""
        out: Counter[str] = Counter()
        for section in (self.current, self.manually_suppressed):
            for fp, entry in section.items():
                out[fp] = max(out[fp], int(entry.get("count", 1)))
        return out


@dataclass(frozen=True, slots=True)
class Filtered:
    new: list[Finding]
    baselined: list[Finding]
    gone: list[str]  # fingerprints of `current` entries no finding matched


def entry(f: Finding, count: int = 1) -> dict[str, Any]:
    out: dict[str, Any] = {"rule": f.rule, "name": f.name, "path": f.path, "message": f.message}
    if count > 1:
        out["count"] = count
    return out


def from_findings(findings: Iterable[Finding], keep: Baseline | None = None) -> Baseline:
    """A baseline of `findings`; `manually_suppressed` entries of `keep` are carried over."""
    counts: Counter[str] = Counter()
    first: dict[str, Finding] = {}
    for f in findings:
        counts[f.fingerprint] += 1
        first.setdefault(f.fingerprint, f)
    manual = dict(keep.manually_suppressed) if keep else {}
    current = {fp: entry(f, counts[fp]) for fp, f in first.items() if fp not in manual}
    return Baseline(current, manual)


def dumps(baseline: Baseline) -> str:
    doc = {
        "version": VERSION,
        "tool": "pipl-lint",
        "current": dict(sorted(baseline.current.items(), key=lambda kv: (kv[1]["path"], kv[1]["rule"], kv[0]))),
        "manually_suppressed": dict(sorted(baseline.manually_suppressed.items())),
    }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def write(path: Path, baseline: Baseline) -> None:
    write_text(path, dumps(baseline))


def load(path: Path) -> Baseline:
    try:
        doc = json.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        raise BaselineError(f"baseline file not found: {path} (create it with `pipl-lint baseline -o {path}`)") \
            from None
    except (OSError, UnicodeDecodeError) as exc:
        raise BaselineError(f"{path}: cannot read the baseline: {exc}") from None
    except json.JSONDecodeError as exc:
        raise BaselineError(f"{path}: not JSON (line {exc.lineno}): {exc.msg}") from None
    if not isinstance(doc, dict) or doc.get("version") != VERSION:
        raise BaselineError(f"{path}: not a version-{VERSION} pipl-lint baseline")
    sections: dict[str, dict[str, dict[str, Any]]] = {}
    for name in SECTIONS:
        section = doc.get(name, {})
        if not isinstance(section, dict) or not all(isinstance(v, dict) for v in section.values()):
            raise BaselineError(f"{path}: `{name}` must be an object of fingerprint → entry")
        sections[name] = section
    return Baseline(sections["current"], sections["manually_suppressed"])


def apply(findings: Iterable[Finding], baseline: Baseline, scope: frozenset[str] | None = None) -> Filtered:
    """Split findings into new and baselined. `gone` counts `current` entries nothing matched; with a
    `scope` (a partial run: some files only), only entries for paths in the scope can be gone."""
    left = baseline.allowance()
    new: list[Finding] = []
    old: list[Finding] = []
    matched: set[str] = set()
    accepted = set(left)
    for f in findings:
        legacy = f.legacy_fingerprints
        if left[f.fingerprint] > 0:
            left[f.fingerprint] -= 1
            old.append(f)
            matched.add(f.fingerprint)
        elif legacy and accepted.issuperset(legacy):
            old.append(f)
            matched.update(legacy)
        else:
            new.append(f)
    gone = [fp for fp, e in baseline.current.items()
            if fp not in matched and (scope is None or e.get("path") in scope)]
    return Filtered(new, old, sorted(gone))
