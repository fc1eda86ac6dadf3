"""Random exploration of the incremental step (tests/test_incremental.py runs one fixed seed on an example).

Copies a project, then for each seed makes random edits (tests/edits.py: Kotlin, Java, manifest and Gradle
edits, unused functions added and removed, file additions, deletions, renames) and after each compares
`check` with the cache against `check --no-cache`, byte for byte. Prints each step with the time of both runs and
whether the incremental step was taken; exits 1 on the first difference, leaving the copy and both reports for a
look.

    .venv/bin/python benchmarks/incremental_fuzz.py                       # examples/leaky-app, seeds 1-5
    .venv/bin/python benchmarks/incremental_fuzz.py --app /work/realapps/tuskyapp-tusky-43ae0bb455 \\
        --seeds 1 --steps 20
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipl_lint import engine  # noqa: E402
from pipl_lint.commands.check import CheckOptions, run_check  # noqa: E402
from tests.edits import Clock, edit_sequence  # noqa: E402


def explore(app: Path, seed: int, steps: int, taken: list[bool]) -> bool:
    """One seed: True when every step's cached run equalled the cold one."""
    work = Path(tempfile.mkdtemp(prefix=f"incremental-{seed}-"))
    root = work / "app"
    shutil.copytree(app, root, ignore=shutil.ignore_patterns(".git", ".pipl-lint-cache"))
    Clock().stamp(root)

    def report(out: Path, no_cache: bool) -> tuple[bytes, float]:
        start = time.perf_counter()
        run_check(CheckOptions(paths=(root,), format="json", output=out, no_cache=no_cache, quiet=True))
        return out.read_bytes(), time.perf_counter() - start

    report(work / "warm.json", False)
    failed: list[str] = []

    def step(n: int, what: str) -> None:
        if failed:
            return
        taken.clear()
        warm, t_warm = report(work / "warm.json", False)
        cold, t_cold = report(work / "cold.json", True)
        how = "moved" if taken and taken[-1] else "analysed"
        print(f"seed {seed} step {n:3}: warm {t_warm:6.2f} s ({how:8}) cold {t_cold:6.2f} s  {what}", flush=True)
        if warm != cold:
            failed.append(what)

    edit_sequence(root, seed, steps, step)
    if failed:
        print(f"DIFFERENT after {failed[0]!r}: see {work}/warm.json and {work}/cold.json")
        return False
    shutil.rmtree(work)
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--app", type=Path, default=ROOT / "examples" / "leaky-app")
    parser.add_argument("--seeds", default="1-5", help="a seed or a range (default 1-5)")
    parser.add_argument("--steps", type=int, default=40)
    args = parser.parse_args(argv)
    first, _, last = args.seeds.partition("-")
    taken: list[bool] = []
    real = engine._moved_run

    def counting(*a: object) -> bool:
        ok = real(*a)  # type: ignore[arg-type]
        taken.append(ok)
        return ok

    engine._moved_run = counting  # type: ignore[assignment]
    for seed in range(int(first), int(last or first) + 1):
        if not explore(args.app, seed, args.steps, taken):
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
