"""Turn source files into summaries: read, parse, extract — one file at a time, never raising.

This is the seam where caching and parallel parsing plug in (see `pipl_lint.cache`).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from pipl_lint.findings import Diagnostic
from pipl_lint.model.source import summarize
from pipl_lint.model.summary import FileSummary
from pipl_lint.project.files import FileReader


class SummaryStore:
    def __init__(self, reader: FileReader, timeout: float) -> None:
        self.reader = reader
        self.timeout = timeout
        self.files_summarized = 0

    def summarize(self, files: Sequence[tuple[str, Path, str]], diags: list[Diagnostic]) -> list[FileSummary]:
        """`files` are (relative path, path, language); the result keeps their order."""
        out: list[FileSummary] = []
        for rel, path, lang in files:
            data = self.reader.read_bytes(path, diags)
            if data is None:
                continue
            result = summarize(rel, data, lang, self.timeout)
            self.files_summarized += 1
            for problem in result.problems:
                diags.append(Diagnostic(rel, problem))
            if result.summary is not None:
                out.append(result.summary)
        return out
