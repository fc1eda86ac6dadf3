"""`pipl-lint baseline`: write the current findings to a baseline file (atomically), keeping the
`manually_suppressed` section of an existing one."""

from __future__ import annotations

import sys
from pathlib import Path

from pipl_lint import baseline, exitcodes
from pipl_lint.commands.check import CheckOptions, prepare, run_engine
from pipl_lint.errors import UsageError
from pipl_lint.progress import Progress


def run_baseline(opts: CheckOptions, output: Path) -> int:
    setup = prepare(opts)
    keep = None
    if output.is_file():  # a FIFO or a device is written to, never read
        try:
            keep = baseline.load(output)
        except baseline.BaselineError as exc:
            raise UsageError(f"{exc}; not overwriting it") from None
    result = run_engine(setup, opts, Progress())
    new = baseline.from_findings(result.findings, keep)
    baseline.write(output, new)
    manual = f", {len(new.manually_suppressed)} manually suppressed kept" if new.manually_suppressed else ""
    sys.stderr.write(f"pipl-lint: wrote {len(result.findings)} findings ({len(new.current)} entries{manual}) "
                     f"to {output}\n")
    if result.internal_error:
        return exitcodes.ERROR
    return exitcodes.OK
