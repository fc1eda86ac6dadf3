"""Immutable values every layer shares: severities, categories, findings, trace steps and diagnostics."""

from __future__ import annotations

import enum
import hashlib
from dataclasses import dataclass, field, replace


class Severity(enum.IntEnum):
    """How bad a finding is; ordered so that `>=` compares against the failing threshold."""

    INFO = 1
    WARNING = 2
    ERROR = 3

    @classmethod
    def parse(cls, text: str) -> Severity:
        try:
            return cls[text.strip().upper()]
        except KeyError:
            raise ValueError(f"unknown severity {text!r} (expected error, warning or info)") from None

    def __str__(self) -> str:
        return self.name.lower()


class Category(enum.StrEnum):
    """Every rule belongs to exactly one category (see docs/architecture.md)."""

    EARLY_COLLECTION = "early-collection"
    EXCESSIVE_PERMISSION = "excessive-permission"
    CONSENT_FLOW = "consent-flow"
    DISCLOSURE = "disclosure"
    SDK_PROVIDER = "sdk-provider"  # an SDK (published library module) linted for what it owes its host apps
    SUPPRESSION = "suppression"  # meta rules about the suppression comments themselves


@dataclass(frozen=True, slots=True)
class Span:
    """A 1-based, end-inclusive-line / end-exclusive-column region of a file."""

    line: int
    column: int
    end_line: int
    end_column: int

    @classmethod
    def point(cls, line: int, column: int) -> Span:
        return cls(line, column, line, column + 1)


@dataclass(frozen=True, slots=True)
class TraceStep:
    """One hop of the path that reaches a finding, entry point first."""

    path: str
    line: int
    note: str


@dataclass(frozen=True, slots=True)
class Related:
    """Another place a finding is about. A finding on the call in pre-consent entry code that leads into a
    helper names, as related locations, where the helper collects (`collects at File:line`). `anchor` is the
    line-free identity the finding had when it was reported at that place (its earlier fingerprint); `trace`
    the path that reaches it, entry point first (the finding's own trace is its first related location's)."""

    path: str
    span: Span
    note: str
    anchor: str = ""
    trace: tuple[TraceStep, ...] = ()


@dataclass(frozen=True, slots=True)
class Translation:
    lang: str
    message: str
    fix: str


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem in one place. `path` is relative to the scan root with `/` separators."""

    rule: str
    name: str
    category: Category
    severity: Severity
    path: str
    span: Span
    message: str
    fix: str
    references: tuple[str, ...]
    trace: tuple[TraceStep, ...] = ()
    # Text that identifies the finding without line numbers (enclosing declaration, call text ...);
    # feeds the fingerprint so baselines survive line shifts.
    anchor: str = ""
    # Machine-applicable edits, if the rule can fix the problem safely (see lint/fixes.py).
    edits: tuple[Edit, ...] = field(default=(), compare=False)
    # The message and fix in other languages (English is canonical: fingerprints never change with it).
    translations: tuple[Translation, ...] = field(default=(), compare=False)
    # The analysed variants the finding holds for, when not all of them (`china`, `chinaRelease`); empty:
    # every analysed variant. Not part of the identity: one problem is one finding whatever its variants.
    variants: tuple[str, ...] = field(default=(), compare=False)
    # Where the problem also is: the collecting calls a helper makes when the finding sits on the entry call
    # that leads into it (see docs/output.md#related-locations).
    related: tuple[Related, ...] = ()

    def localized(self, lang: str) -> Finding:
        """This finding with its message and fix in `lang` (same fingerprint)."""
        for t in self.translations:
            if t.lang == lang:
                return replace(self, message=t.message, fix=t.fix, anchor=self.anchor or self.message)
        return self

    @property
    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.path, self.span.line, self.span.column, self.rule, self.message)

    @property
    def fingerprint(self) -> str:
        """Stable id: rule + path + anchor (or message), never a line number."""
        basis = "\x1f".join((self.rule, self.path, self.anchor or self.message))
        return hashlib.sha256(basis.encode("utf-8")).hexdigest()[:32]

    @property
    def legacy_fingerprints(self) -> tuple[str, ...]:
        """The fingerprints this finding had when it was reported at each related location (before findings
        moved to the entry call): a baseline written then still accepts it when it accepts all of them."""
        return tuple(dict.fromkeys(
            hashlib.sha256("\x1f".join((self.rule, r.path, r.anchor)).encode("utf-8")).hexdigest()[:32]
            for r in self.related if r.anchor))

    @property
    def variant_label(self) -> str:
        """` [china, chinaPaidRelease]` when the finding holds for some analysed variants only; else ``""``."""
        return f" [{', '.join(self.variants)}]" if self.variants else ""

    def touches(self, paths: frozenset[str]) -> bool:
        """True when the finding sits in, collects in, or its trace passes through, one of `paths`."""
        return self.path in paths or any(step.path in paths for step in self.trace) or \
            any(r.path in paths for r in self.related)


class Applicability(enum.StrEnum):
    """Whether `--fix` may apply an edit on its own (`safe`) or only with `--unsafe-fixes` (`unsafe`:
    it changes behaviour, so the developer must finish the change by hand)."""

    SAFE = "safe"
    UNSAFE = "unsafe"


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace characters [start, end) of the decoded text of `path` (relative to the scan root) with
    `text`. The edits of one finding form one fix and are applied together or not at all."""

    path: str
    start: int
    end: int
    text: str
    applicability: Applicability = Applicability.SAFE


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """A file the tool could not read fully (or a configuration problem). Never stops the run."""

    path: str
    message: str
    line: int = 0
    column: int = 0

    @property
    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.path, self.line, self.column, self.message)
