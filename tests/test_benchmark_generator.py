"""The benchmark generator (benchmarks/generate.py): a small tree parses cleanly, has the 3:1 language mix,
and pipl-lint reports exactly its planted pre-consent leaks. Tests the generator, never speed."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from tests.conftest import ROOT

PIPL_LINT = Path(sys.executable).parent / "pipl-lint"
LINES = 3000


def load_generator() -> ModuleType:
    name = "pipl_bench_generate"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, ROOT / "benchmarks" / "generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up while the file executes
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    out = tmp_path_factory.mktemp("bench") / "tree"
    summary = load_generator().generate(out, lines=LINES, seed=1, check=True)
    return out, summary


def marks(entries: list[dict]) -> set[tuple[str, str, int]]:
    return {(e["rule"], e["path"], e["line"]) for e in entries}


def test_generated_tree_parses_without_error_nodes(tree: tuple[Path, dict]) -> None:
    out, summary = tree
    assert summary["parse_check"]["error_nodes"] == 0, summary["parse_check"]
    assert json.loads((out / "generated.json").read_text("utf-8"))["lines"] == summary["lines"]


def test_generated_tree_has_the_requested_size_and_language_mix(tree: tuple[Path, dict]) -> None:
    _out, summary = tree
    assert 0.8 * LINES <= summary["lines"] <= 1.5 * LINES
    assert 2.5 <= summary["kotlin"]["lines"] / summary["java"]["lines"] <= 3.5
    assert len(summary["modules"]) >= 4


def test_pipl_lint_reports_the_planted_leaks_and_nothing_else(tree: tuple[Path, dict]) -> None:
    out, summary = tree
    planted, safe = marks(summary["planted"]), marks(summary["safe"])
    assert {r for r, _p, _l in planted} == {"EC101", "EC102"}
    assert {r for r, _p, _l in safe} == {"EC101", "EC102"}
    proc = subprocess.run([str(PIPL_LINT), "check", str(out), "--format", "json", "--select", "early-collection",
                           "--no-cache"], cwd=out, capture_output=True, text=True, check=False)
    assert proc.returncode == 1, proc.stderr
    doc = json.loads(proc.stdout)
    # A leak planted in a helper is reported on the entry call that leads into it, the planted line being a
    # related location (where it collects).
    where = {(f["rule"], f["path"], f["line"]): {(f["rule"], r["path"], r["line"]) for r in f["related"]}
             for f in doc["findings"]}
    found = set(where) | {r for rel in where.values() for r in rel}
    assert planted <= found, f"planted leaks not reported: {sorted(planted - found)}"
    assert not safe & found, f"guarded / unreachable sites reported: {sorted(safe & found)}"
    stray = {f for f, rel in where.items() if f[0] in ("EC101", "EC102") and not ({f} | rel) & planted}
    assert not stray, f"filler code reported: {sorted(stray)}"
    assert all(f["category"] == "early-collection" for f in doc["findings"])


def test_generator_is_deterministic() -> None:
    gen = load_generator()
    first = gen.Generator(1500, 7).generate()
    second = gen.Generator(1500, 7).generate()
    assert first.files == second.files
    assert first.planted == second.planted
    assert gen.Generator(1500, 8).generate().files != first.files
