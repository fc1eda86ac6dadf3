"""Random exploration of the property tests (tests/test_properties.py), outside the default test run.

The default run is derandomized (the same cases every time); this command draws new random cases, many more
of them, and keeps what it finds in `.hypothesis/examples` (ignored by git) so that a failure replays on the
next run. Turn each input it finds into an `@example(...)` on the property, so the default run keeps it.

    .venv/bin/python benchmarks/fuzz.py                 # 2,000 cases per property
    .venv/bin/python benchmarks/fuzz.py --examples 20000 -k kotlin
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=2000, help="cases per property (default 2000)")
    parser.add_argument("-k", dest="keyword", default="", help="only the properties whose name matches")
    args = parser.parse_args(argv)
    env = {**os.environ, "PIPL_LINT_FUZZ": "1", "PIPL_LINT_FUZZ_EXAMPLES": str(args.examples)}
    command = [sys.executable, "-m", "pytest", "tests/test_properties.py", "-p", "no:cacheprovider",
               "--timeout", "0", "-q"]
    if args.keyword:
        command += ["-k", args.keyword]
    return subprocess.call(command, cwd=ROOT, env=env)


if __name__ == "__main__":
    sys.exit(main())
