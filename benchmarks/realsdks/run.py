"""Measure the sdk-provider rules on the labelled real-SDK corpus (issue 18).

The real-app runner (`benchmarks/realapps/run.py`) with the `sdk-provider` category added, SDK kinds, its
labels in `benchmarks/realsdks/apps` and snapshots in `/work/realsdks`; every option of that runner works the
same (`--only`, `--json`, `--compare`, `--reuse`, `--list-unreviewed`, `--all` …). Every SDK is a tuning SDK:
the corpus is too small to hold any back.
"""

from __future__ import annotations

import importlib.util
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

HERE = Path(__file__).resolve().parent
SDK_KINDS = frozenset({"analytics", "attribution", "push", "session-replay", "ads-attribution", "plugins"})


def load_runner() -> ModuleType:
    """The real-app runner, with the sdk-provider category and the SDK kinds added."""
    spec = importlib.util.spec_from_file_location("realapps_run", HERE.parent / "realapps" / "run.py")
    assert spec is not None and spec.loader is not None
    runner = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("realapps_run", runner)
    spec.loader.exec_module(runner)
    runner.CATEGORIES = (*runner.CATEGORIES, "sdk-provider")
    runner.RULE_PREFIX = {**runner.RULE_PREFIX, "SD": "sdk-provider"}
    runner.KINDS = runner.KINDS | SDK_KINDS
    runner.RULE_RE = re.compile(r"(EC|EP|CF|SD)\d{3}")
    return runner


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not any(a == "--apps-dir" or a.startswith("--apps-dir=") for a in args):
        args += ["--apps-dir", str(HERE / "apps")]
    if not any(a == "--work" or a.startswith("--work=") for a in args):
        args += ["--work", "/work/realsdks"]
    return int(load_runner().main(args))


if __name__ == "__main__":
    sys.exit(main())
