"""Formatters: pure functions from a CheckOutput to text. No analysis, no filtering, no I/O."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from pipl_lint.coverage import Coverage
from pipl_lint.findings import Diagnostic, Finding, Severity

if TYPE_CHECKING:
    from pipl_lint.ruleapi import Rule


@dataclass(frozen=True, slots=True)
class CheckOutput:
    """What a formatter may use: the findings, the diagnostics and a few facts about the run."""

    version: str
    root: str
    findings: tuple[Finding, ...]
    diagnostics: tuple[Diagnostic, ...]
    files: int = 0
    projects: int = 0
    suppressed: int = 0
    baselined: int = 0
    baseline_gone: int = 0
    fail_on: Severity = Severity.ERROR
    source_line: Callable[[str, int], str | None] = field(default=lambda _p, _l: None)
    color: bool = False
    # For formats that describe the whole run (SARIF): every known rule, the findings hidden by an
    # in-source suppression or by the baseline (kept as suppressed results), and whether the run completed.
    rules: tuple[Rule, ...] = ()
    suppressed_findings: tuple[Finding, ...] = ()
    baselined_findings: tuple[Finding, ...] = ()
    successful: bool = True
    lang: str = "en"  # findings arrive already localised; formatters use it for rule texts (SARIF help)
    coverage: Coverage | None = None  # what was read and what could not be (None: not known, e.g. in tests)

    def counts(self) -> dict[str, int]:
        out = {str(s): 0 for s in (Severity.ERROR, Severity.WARNING, Severity.INFO)}
        for f in self.findings:
            out[str(f.severity)] += 1
        return out


def formatter(name: str) -> Callable[[CheckOutput], str]:
    """The formatter for `--format name` (imported on demand to keep start-up fast)."""
    import importlib

    module_name, _, function = FORMATS[name].partition(":")
    module = importlib.import_module(f"pipl_lint.formats.{module_name}")
    return getattr(module, function or "render")  # type: ignore[no-any-return]


FORMATS: dict[str, str] = {
    "text": "text",
    "json": "json_format",
    "sarif": "sarif",
    "github": "github",
    "gitlab": "gitlab",
    "checkstyle": "checkstyle",
    "grouped": "grouped",
    "concise": "grouped:render_concise",
}
