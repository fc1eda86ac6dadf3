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
from pipl_lint.summaries import Loaded, SummaryStore

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
    """A SummaryStore that shows how many of the files to parse are done."""

    def __init__(self, progress: Progress, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.progress = progress
        if progress.enabled:
            self.on_parsed = progress.files

    def load(self, files: Sequence[tuple[str, Path, str]], diags: list[Diagnostic]) -> Loaded:
        out = super().load(files, diags)
        self.progress.show("running the rules", force=True)
        return out
