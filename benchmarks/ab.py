"""Two builds of pipl-lint, timed in turns on the same edits of a real app: what changed between them, on a shared
machine.

`run.py` times one build at a time; on a machine that other work shares, two such runs minutes apart differ by more
than most changes (session 7: parse-only and cold times moved by 5-30 % between two runs of the same build). Here
the app is copied once per build (each with its own cache), both caches are filled, and then, pair after pair, the
same edit is made to both copies and each build checks its copy, the order alternating from pair to pair. It prints
the medians of wall and CPU (user + system) seconds per build, and stops when the two builds' findings differ.

    .venv/bin/python benchmarks/ab.py --old /tmp/old/.venv/bin/pipl-lint --new .venv/bin/pipl-lint \\
        /work/realapps/meshtastic-meshtastic-android-10d52c8e33 --edit call --edit code --pairs 5

Edits (run.py's): `call` a function with a call appended, `code` a function nothing calls appended, `line` a line
inserted after the package line, `comment` a comment appended, `log` a log call added (to the first file that
imports a logger).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import CACHE_DIRS, EDIT_NAMES, EDITS, Run, pick_app_edit_target, pick_log_edit_target, run_process


def findings(run: Run) -> list[tuple[str, str, int, int]]:
    """(rule, path, line, column) of each finding of a `check --format json` run."""
    data = json.loads(run.stdout)
    return sorted((f["rule"], f["path"], f["line"], f["column"]) for f in data["findings"])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("app", type=Path, help="an extracted app (copied; the original is not touched)")
    ap.add_argument("--old", required=True, help="the pipl-lint executable of the build to compare against")
    ap.add_argument("--new", required=True, help="the pipl-lint executable of the build under test")
    ap.add_argument("--edit", action="append", choices=sorted(EDITS), help="edit kind (repeatable; default: call)")
    ap.add_argument("--pairs", type=int, default=5, help="runs of each build per edit kind")
    args = ap.parse_args(argv)
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # as installed: byte-compiled modules (see run.py)
    builds = {"old": os.path.abspath(args.old), "new": os.path.abspath(args.new)}  # run from the copies
    print(f"{args.app.name}, load average {', '.join(f'{x:.2f}' for x in os.getloadavg())} before", file=sys.stderr)
    with tempfile.TemporaryDirectory(prefix="pipl-ab-") as tmp:
        roots = {}
        for name in builds:
            roots[name] = Path(tmp) / name / args.app.name
            shutil.copytree(args.app, roots[name], symlinks=True, ignore=shutil.ignore_patterns(".git", *CACHE_DIRS))
        rows = []
        for kind in args.edit or ["call"]:
            times: dict[str, list[Run]] = {name: [] for name in builds}
            # Pair 0 is not timed: it fills the caches (and what the cache builds once, such as the vocabulary of
            # the incremental step).
            for pair in range(args.pairs + 1):
                order = list(builds) if pair % 2 == 0 else list(reversed(builds))
                seen = {}
                for name in order:
                    root = roots[name]
                    target = pick_log_edit_target(root) if kind == "log" else pick_app_edit_target(root)
                    if target is None:
                        raise SystemExit(f"no file for the edit {kind!r}")
                    EDITS[kind](target, f"ab {pair}")
                    run = run_process([builds[name], "check", ".", "--format", "json"], root, 0, env)
                    if run.returncode not in (0, 1):
                        raise SystemExit(f"{name}: exit code {run.returncode}\n{run.stderr[-2000:]}")
                    if pair:
                        times[name].append(run)
                    seen[name] = findings(run)
                if seen["old"] != seen["new"]:
                    print(f"the builds' findings differ after {kind!r} edit {pair}", file=sys.stderr)
                    return 1
                if pair:
                    print(f"{kind} {pair}/{args.pairs}: " + ", ".join(
                        f"{name} {times[name][-1].seconds:.2f} s" for name in builds), file=sys.stderr)
            rows.append((kind, {name: (statistics.median(r.seconds for r in runs),
                                       statistics.median(r.cpu_s for r in runs)) for name, runs in times.items()}))
    print(f"load average {', '.join(f'{x:.2f}' for x in os.getloadavg())} after", file=sys.stderr)
    print(f"| {args.app.name}: edit | old wall | new wall | old CPU | new CPU |\n|---|---:|---:|---:|---:|")
    for kind, medians in rows:
        print(f"| {EDIT_NAMES[kind]} | {medians['old'][0]:.2f} | {medians['new'][0]:.2f} | "
              f"{medians['old'][1]:.2f} | {medians['new'][1]:.2f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
