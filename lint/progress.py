"""Progress on stderr for long scans, only when stderr is a terminal: `pipl-lint: 1200/3518 files parsed`.

Silent when stderr is piped or redirected (CI logs, pre-commit, editors) and with `--quiet`. The line is
redrawn in place at most a few times a second and erased when the scan moves on, so it never mixes with
the report on stdout.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from pipl_lint.findings import Diagnostic
from pipl_lint.model.summary import FileSummary
from pipl_lint.summaries import SummaryStore

CHUNK = 256  # files per batch: large enough for the parallel parser, small enough to show movement
MIN_INTERVAL = 0.1  # seconds between redraws


class Progress:
    def __init__(self, stream: TextIO | None = None, enabled: bool | None = None, label: str = "") -> None:
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty() if enabled is None else enabled
        self.label = label
        self._last = 0.0
        self._shown = 0

    def show(self, text: str, force: bool = False) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if not force and now - self._last < MIN_INTERVAL:
            return
        self._last = now
        line = f"pipl-lint: {self.label}{text}"
        self.stream.write("\r" + line + " " * max(0, self._shown - len(line)))
        self.stream.flush()
        self._shown = len(line)

    def files(self, done: int, total: int) -> None:
        self.show(f"{done}/{total} files parsed", force=done == total)

    def clear(self) -> None:
        if self.enabled and self._shown:
            self.stream.write("\r" + " " * self._shown + "\r")
            self.stream.flush()
            self._shown = 0


class ProgressStore(SummaryStore):
    """A SummaryStore that parses in batches and reports each batch."""

    def __init__(self, progress: Progress, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.progress = progress

    def summarize(self, files: Sequence[tuple[str, Path, str]], diags: list[Diagnostic]) -> list[FileSummary]:
        if not self.progress.enabled or len(files) <= CHUNK:
            out = super().summarize(files, diags)
            self.progress.files(len(files), len(files))
            self.progress.show("running the rules", force=True)
            return out
        out = []
        for i in range(0, len(files), CHUNK):
            out += super().summarize(files[i : i + CHUNK], diags)
            self.progress.files(min(i + CHUNK, len(files)), len(files))
        self.progress.show("running the rules", force=True)
        return out
