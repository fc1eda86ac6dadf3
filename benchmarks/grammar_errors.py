"""How often do the Kotlin and Java grammars fail on real code, and how many calls does extraction lose there?

    .venv/bin/python benchmarks/grammar_errors.py /work/corpus [more folders] [--jobs N] [--json out.json]
        [--tests] [--show-missed] [--raw-identifiers]

Walks the folders for `.kt` and `.java` files (skipping build output and, unless `--tests`, the test source
sets pipl-lint does not analyse), parses each with tree-sitter exactly as `pipl-lint check` does (same
decoding, same time limit) and runs the extractor. Per language it reports:

- files: how many were parsed, how many timed out, and the share with ERROR or MISSING nodes;
- call sites: every call the tree shows (Kotlin `call_expression`, Java `method_invocation` and
  `object_creation_expression`; a trailing-lambda wrapper counts once) plus the *bare call shapes* inside error
  regions that the grammar did not build into a call node (a name followed by `(` that is not a declaration);
- `in error`: the share of call sites inside error subtrees; `lost`: inside an error subtree and missing from
  the extractor's sites (matched by start offset for call nodes, by line and name for bare call shapes);
- `missed elsewhere`, for contrast: call nodes outside error subtrees that are not sites (annotation
  arguments, which never run, are most of what remains);
- declarations (`class X`, `object X`, `fun x`) that error recovery left as loose tokens in an ERROR node,
  and how many of them the extractor still declares.

This is a measurement script, not a test; numbers go into the closing note of the hostile-input issue.
To compare with another version of the extractor, put that version's `pipl_lint` first on PYTHONPATH.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from tree_sitter import Node, Query, QueryCursor

from pipl_lint.model.source import LANGUAGE_OF_SUFFIX, ParseTimeout, kotlin_parse_input, language, parse, summarize
from pipl_lint.parse.decode import BinaryFile, decode

SKIP_DIRS = {".git", "build", ".gradle", ".idea", "node_modules", "out", ".cxx"}
# Source sets pipl-lint does not analyse (tests); `--tests` includes them.
TEST_SETS = ("test", "androidTest", "testFixtures", "commonTest", "jvmTest", "androidUnitTest", "iosTest",
             "androidInstrumentedTest", "testDebug", "testRelease", "sharedTest", "integrationTest")
CALL_NODES = {"kotlin": ("call_expression",), "java": ("method_invocation", "object_creation_expression")}
IDENTIFIERS = {"identifier", "simple_identifier", "type_identifier"}
# A name before `(` preceded by one of these is a declaration (or an annotation after `@`), not a call.
DECLARES = {"fun", "class", "interface", "object", "constructor", "init", "void", "@interface", "enum", "record",
            "int", "long", "boolean", "char", "byte", "short", "float", "double"}
TIMEOUT = 5.0
RAW_IDENTIFIERS = False  # --raw-identifiers: give tree-sitter-kotlin non-ASCII identifiers as written


@dataclass
class Stats:
    files: int = 0
    timeouts: int = 0
    unreadable: int = 0
    with_errors: int = 0
    error_nodes: int = 0
    missing_nodes: int = 0
    calls: int = 0  # call nodes + bare call shapes in error regions
    calls_in_error: int = 0
    calls_lost: int = 0  # in an error region and not among the extractor's sites
    calls_missed: int = 0  # outside error regions and not among the extractor's sites (coverage, for contrast)
    bare_shapes: int = 0  # call shapes the grammar did not turn into call nodes
    flattened: int = 0  # class/object/fun headers the grammar left as loose tokens in an ERROR node
    recovered: int = 0  # ... that the extractor still declared (a class or function of that name and line)
    examples: list[str] = field(default_factory=list)

    def add(self, other: Stats) -> None:
        for name in ("files", "timeouts", "unreadable", "with_errors", "error_nodes", "missing_nodes", "calls",
                     "calls_in_error", "calls_lost", "calls_missed", "bare_shapes", "flattened", "recovered"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.examples += other.examples[: max(0, 8 - len(self.examples))]


def sources(folders: list[Path], tests: bool = False) -> Iterator[Path]:
    for folder in folders:
        for dirpath, dirnames, filenames in os.walk(folder):
            in_src = Path(dirpath).name == "src"
            dirnames[:] = sorted(d for d in dirnames
                                 if d not in SKIP_DIRS and (tests or not in_src or d not in TEST_SETS))
            for name in sorted(filenames):
                if name.endswith((".kt", ".java")):
                    yield Path(dirpath) / name


def _queries(lang: str) -> Query:
    return Query(language(lang), " ".join(f"({t}) @call" for t in CALL_NODES[lang]))


def _is_lambda_wrapper(node: Node) -> bool:
    """`f(x) { ... }` is a call_expression around the call `f(x)`: count the call once."""
    kids = node.children
    return bool(kids) and kids[0].type == "call_expression" and all(k.type == "annotated_lambda" for k in kids[1:])


def _error_regions(root: Node) -> list[Node]:
    found: list[Node] = []
    stack = [root]
    while stack:
        node = stack.pop()
        if node.is_error or node.is_missing:
            found.append(node)
            continue
        stack.extend(c for c in node.children if c.has_error or c.is_missing)
    return found


def _inside(node: Node, regions: list[tuple[int, int]]) -> bool:
    return any(a <= node.start_byte and node.end_byte <= b for a, b in regions)


def _leaves(node: Node) -> Iterator[Node]:
    stack = [node]
    while stack:
        n = stack.pop()
        if n.child_count == 0:
            yield n
        else:
            stack.extend(reversed(n.children))


def _text(node: Node, data: bytes) -> str:
    """The node's source (never `Node.text`: pipl-lint releases the parser's copy of the text)."""
    return data[node.start_byte : node.end_byte].decode("utf-8", "replace")


def _bare_shapes(region: Node, lang: str, data: bytes) -> Iterator[tuple[int, str]]:
    """(line, name) of `name(` token pairs in an error region that belong to no call node and are not the head
    of a declaration (`fun T.name(`, `void name(`, `String name(`, `context(`, `@Annotation(`)."""
    calls = CALL_NODES[lang]
    prev: Node | None = None
    before: Node | None = None
    declaring = False  # since a `fun`/`class`/... keyword, before the `(`, `=` or `{` that ends its head
    for leaf in _leaves(region):
        if leaf.type in ("comment", "line_comment", "block_comment", "multiline_comment"):
            continue
        if leaf.type == "(" and prev is not None and prev.type in IDENTIFIERS:
            parent = prev.parent
            in_call = False
            while parent is not None and parent.start_byte >= region.start_byte:
                if parent.type in calls:
                    in_call = True
                    break
                parent = parent.parent
            declared = declaring or (before is not None and (
                before.type in DECLARES or before.type in IDENTIFIERS or before.type in (">", "]", "?", "@")))
            # `: Base(` / `, Base(` in a class header: a superclass constructor, not a call site
            declared = declared or (prev.parent is not None and prev.parent.type == "user_type"
                                    and before is not None and before.type in (":", ","))
            first_on_line = before is None or before.start_point[0] < prev.start_point[0]
            modifier = _text(prev, data) == "context" and first_on_line  # `context(x: T)` before a declaration
            if not in_call and not declared and not modifier:
                yield prev.start_point[0] + 1, _text(prev, data)
        if leaf.type in DECLARES:
            declaring = True
        elif leaf.type in ("(", "=", "{", ";") or (prev is not None and leaf.start_point[0] != prev.start_point[0]):
            declaring = False
        before, prev = prev, leaf


def _flattened(region: Node, data: bytes) -> Iterator[tuple[int, str]]:
    """(line, name) of declaration headers (`class X`, `object X`, `fun X`) lying loose in an ERROR node."""
    kids = region.children
    for i, c in enumerate(kids[:-1]):
        if c.type in ("class", "object", "interface", "fun"):
            j = i + 1
            while j < len(kids) - 1 and kids[j].type in ("user_type", ".", "type_parameters"):
                j += 1  # `fun <T> Receiver.name(`
            if kids[j].type in IDENTIFIERS:
                yield kids[j].start_point[0] + 1, _text(kids[j], data)


def measure(path: Path) -> tuple[str, Stats]:
    lang = LANGUAGE_OF_SUFFIX[path.suffix]
    stats = Stats(files=1)
    try:
        decoded = decode(path.read_bytes())
    except (OSError, BinaryFile):
        stats.unreadable = 1
        return lang, stats
    data = decoded.utf8
    try:
        tree = parse(kotlin_parse_input(data) if lang == "kotlin" and not RAW_IDENTIFIERS else data, lang, TIMEOUT)
    except ParseTimeout:
        stats.timeouts = 1
        return lang, stats
    root = tree.root_node
    call_nodes = [n for n in QueryCursor(_queries(lang)).captures(root).get("call", ())
                  if not _is_lambda_wrapper(n)]
    stats.calls = len(call_nodes)
    result = summarize(path.name, data, lang, TIMEOUT)
    sites = result.summary.sites if result.summary is not None else ()
    starts = {s.start for s in sites if s.kind in ("call", "new")}
    named = {(s.line, s.name) for s in sites if s.kind in ("call", "new")}
    regions = _error_regions(root) if root.has_error else []
    spans = [(r.start_byte, r.end_byte) for r in regions if r.is_error]
    for node in call_nodes:
        if _inside(node, spans):
            stats.calls_in_error += 1
            if node.start_byte not in starts:
                stats.calls_lost += 1
        elif node.start_byte not in starts:
            stats.calls_missed += 1
            if len(stats.examples) < 3 and "--show-missed" in sys.argv:
                stats.examples.append(f"{path}:{node.start_point[0] + 1} missed {_text(node, data)[:60]!r}")
    if not root.has_error:
        return lang, stats
    stats.with_errors = 1
    stats.error_nodes = sum(1 for r in regions if r.is_error)
    stats.missing_nodes = sum(1 for r in regions if r.is_missing)
    declared = {(f.line, f.name) for f in result.summary.functions} if result.summary is not None else set()
    declared |= {(c.line, c.name) for c in result.summary.classes} if result.summary is not None else set()
    for region in regions:
        if not region.is_error:
            continue
        for line, name in _flattened(region, data):
            stats.flattened += 1
            stats.recovered += (line, name) in declared
        for line, name in _bare_shapes(region, lang, data):
            stats.bare_shapes += 1
            stats.calls += 1
            stats.calls_in_error += 1
            if (line, name) not in named:
                stats.calls_lost += 1
                if len(stats.examples) < 3:
                    stats.examples.append(f"{path}:{line} {name}(")
    return lang, stats


def _work(path: Path) -> tuple[str, Stats]:
    try:
        return measure(path)
    except Exception as exc:  # noqa: BLE001 - a measurement must not stop on one file; count it
        print(f"{path}: {type(exc).__name__}: {exc}", file=sys.stderr)
        return LANGUAGE_OF_SUFFIX[path.suffix], Stats(files=1, unreadable=1)


def pct(a: int, b: int) -> str:
    return f"{100 * a / b:.2f}%" if b else "-"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("folders", nargs="+", type=Path)
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--json", type=Path, help="also write the numbers as JSON")
    ap.add_argument("--tests", action="store_true", help="include test source sets (pipl-lint skips them)")
    ap.add_argument("--show-missed", action="store_true", help="list calls missed outside error regions too")
    ap.add_argument("--raw-identifiers", action="store_true",
                    help="parse Kotlin without the ASCII placeholders for non-ASCII identifiers (the old way)")
    args = ap.parse_args(argv)
    global RAW_IDENTIFIERS
    RAW_IDENTIFIERS = args.raw_identifiers  # read by the forked workers too
    paths = list(sources(args.folders, args.tests))
    start = time.perf_counter()
    totals: dict[str, Stats] = {"kotlin": Stats(), "java": Stats()}
    if args.jobs > 1:
        import multiprocessing

        with multiprocessing.get_context("fork").Pool(args.jobs) as pool:
            results = pool.imap_unordered(_work, paths, chunksize=16)
            for lang, stats in results:
                totals[lang].add(stats)
    else:
        for path in paths:
            lang, stats = _work(path)
            totals[lang].add(stats)
    seconds = time.perf_counter() - start
    tops = Counter(p.relative_to(f).parts[0] for f in args.folders for p in paths if f in p.parents)
    where = f"{len(args.folders)} folders"
    if len(args.folders) == 1:
        where = f"{len(tops)} projects under {args.folders[0]}"
    print(f"{len(paths)} files in {where}, {seconds:.0f} s")
    print(f"{'':8} {'files':>7} {'errors':>8} {'timeouts':>9} {'calls':>9} {'in error':>9} {'lost':>9} {'bare':>7}"
          f" {'missed elsewhere':>17}")
    for lang, s in totals.items():
        print(f"{lang:8} {s.files:>7} {pct(s.with_errors, s.files):>8} {s.timeouts:>9} {s.calls:>9} "
              f"{pct(s.calls_in_error, s.calls):>9} {pct(s.calls_lost, s.calls):>9} {s.bare_shapes:>7}"
              f" {pct(s.calls_missed, s.calls):>17}")
        if s.flattened:
            print(f"    declarations flattened into ERROR nodes: {s.flattened}, recovered by the extractor: "
                  f"{s.recovered} ({pct(s.recovered, s.flattened)})")
        for example in s.examples[:3]:
            print(f"    lost: {example}")
    if args.json:
        args.json.write_text(json.dumps({k: {n: v for n, v in vars(s).items()} for k, s in totals.items()},
                                        indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
