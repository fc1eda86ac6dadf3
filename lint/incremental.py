"""Incremental reuse of a project's results after an edit that moves code without changing it.

After a run, the engine remembers (`remember`) each project's source files with the content key of the summary
it used, and the run's results. The next run whose other inputs are the same (manifests, Gradle files,
configuration, rules, tool version: the stat part of the run key) and whose file list is the same compares
the summaries of the files that changed (`reuse`). When a changed file's summary equals the previous one in
everything but positions — the same declarations, calls, guards, constants, strings, in the same order — the
analysis sees the same program, only moved, and the previous results are reused with their positions moved
to the new ones (`Shift`). Anything the step cannot prove moves exactly makes the engine analyse again:

- positions are paired field by field, in order; the pairs must be an order-preserving one-to-one map of
  lines and of (line, column) points (the analysis compares positions, it never measures distances between
  them), and a call's text must keep its length (a message may quote it);
- a changed file whose read problems differ (they quote positions); a suppression comment covers the line
  after it, so that line is paired too: code moved between a comment and the line it covers breaks the map;
- a finding, trace step or diagnostic in a changed file at a position no summary recorded, or with edits there
  (edits are character offsets in the text);
- a message, fix, anchor or trace note that may quote a moved position of a changed file: any number that is
  a moved line or column, in a finding located in that file or whose trace passes through it (`(line 31)`
  names a guard on the path), and `App.kt:31` (the file's name, a colon, a moved line) in any finding.
  Messages quote positions only in these two ways (an invariant the rules keep; the random-edit test checks
  it);
- more than `MAX_CHANGED` changed files.

The result is what a cold run gives, byte for byte (tests/test_incremental.py checks it after random edits).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

import msgspec

from pipl_lint.findings import Diagnostic, Finding, Span, TraceStep
from pipl_lint.model.summary import FileSummary

if TYPE_CHECKING:
    from pipl_lint.cache import Cache

MAX_CHANGED = 8
POSITION_FIELDS = frozenset({"line", "column", "end_line", "end_column", "start", "end"})
_NUMBER = re.compile(r"\d+")


class Remembered(msgspec.Struct, array_like=True):
    projects: list[list[tuple[str, str]]]  # per project: (relative path, summary content key), in load order
    payload: bytes  # the engine's encoded run results


class Mismatch(Exception):
    """The previous results cannot be moved exactly: analyse again."""


class Shift:
    """Where the positions of one file's previous summary are in its new one."""

    def __init__(self) -> None:
        self.lines: dict[int, int] = {}
        self.points: dict[tuple[int, int], tuple[int, int]] = {}
        self._kept_columns: set[int] = set()  # lines whose recorded columns all stayed (see `check`)

    def pair_line(self, old: int, new: int) -> None:
        if self.lines.setdefault(old, new) != new:
            raise Mismatch

    def pair_point(self, old: tuple[int, int], new: tuple[int, int]) -> None:
        if self.points.setdefault(old, new) != new:
            raise Mismatch

    def check(self) -> None:
        for pairs in (self.lines.items(), self.points.items()):
            ordered = sorted(pairs)
            if any(a[1] >= b[1] for a, b in itertools.pairwise(ordered)):
                raise Mismatch  # not order-preserving and one-to-one
        self._kept_columns = set(self.lines)
        for (line, col), (_new_line, new_col) in self.points.items():
            if col != new_col:
                self._kept_columns.discard(line)

    @property
    def moved(self) -> set[int]:
        """The lines that moved, and the columns that did (a message might quote either)."""
        return {old for old, new in self.lines.items() if old != new} | \
            {old[1] for old, new in self.points.items() if old[1] != new[1]}

    def line(self, old: int) -> int:
        if old not in self.lines:
            raise Mismatch
        return self.lines[old]

    def point(self, line: int, column: int) -> tuple[int, int]:
        found = self.points.get((line, column))
        if found is not None:
            return found
        if line in self._kept_columns:  # a line that moved whole: every column on it stays
            return self.lines[line], column
        raise Mismatch


def compare(old: Any, new: Any) -> Shift:
    """The shift from `old` to `new` (decoded cache entries: problems, summary), or Mismatch."""
    (old_problems, old_summary), (new_problems, new_summary) = old, new
    if old_problems != new_problems or old_summary is None or new_summary is None:
        raise Mismatch
    from pipl_lint.summaries import for_analysis

    shift = Shift()
    _walk(for_analysis(old_summary), for_analysis(new_summary), shift)
    shift.check()
    return shift


def _walk(a: Any, b: Any, shift: Shift) -> None:
    if type(a) is not type(b):
        raise Mismatch
    if isinstance(a, msgspec.Struct):
        pos: dict[str, tuple[int, int]] = {}
        top = isinstance(a, FileSummary)
        for name in a.__struct_fields__:
            x, y = getattr(a, name), getattr(b, name)
            if name in POSITION_FIELDS and type(x) is int:
                pos[name] = (x, y)
            elif top and name == "refs":  # per function: (name, first line)
                if len(x) != len(y):
                    raise Mismatch
                for xs, ys in zip(x, y, strict=True):
                    if len(xs) != len(ys):
                        raise Mismatch
                    for (xn, xl), (yn, yl) in zip(xs, ys, strict=True):
                        if xn != yn:
                            raise Mismatch
                        shift.pair_line(xl, yl)
            elif top and name == "suppressions":  # (first line, last line, text); a comment also covers the next line
                if len(x) != len(y):
                    raise Mismatch
                for (xf, xl, xt), (yf, yl, yt) in zip(x, y, strict=True):
                    if xt != yt:
                        raise Mismatch
                    shift.pair_line(xf, yf)
                    shift.pair_line(xl, yl)
                    if xt.lstrip().startswith(("//", "/*")):
                        shift.pair_line(xl + 1, yl + 1)
            elif top and name == "syntax_errors":  # (line, column)
                if len(x) != len(y):
                    raise Mismatch
                for (xl, xc), (yl, yc) in zip(x, y, strict=True):
                    shift.pair_line(xl, yl)
                    shift.pair_point((xl, xc), (yl, yc))
            else:
                _walk(x, y, shift)
        _pair(pos, shift)
    elif isinstance(a, (tuple, list)):
        if len(a) != len(b):
            raise Mismatch
        for x, y in zip(a, b, strict=True):
            _walk(x, y, shift)
    elif isinstance(a, dict):
        if a.keys() != b.keys():
            raise Mismatch
        for k in a:
            _walk(a[k], b[k], shift)
    elif a != b:
        raise Mismatch


def _pair(pos: dict[str, tuple[int, int]], shift: Shift) -> None:
    for name in ("line", "end_line"):
        if name in pos:
            shift.pair_line(*pos[name])
    for line, col in (("line", "column"), ("end_line", "end_column")):
        if line in pos and col in pos:
            shift.pair_point((pos[line][0], pos[col][0]), (pos[line][1], pos[col][1]))
    if "start" in pos and "end" in pos and pos["end"][0] - pos["start"][0] != pos["end"][1] - pos["start"][1]:
        raise Mismatch  # the code inside changed: a message quoting it would too


def move_findings(findings: Iterable[Finding], shifts: dict[str, Shift]) -> list[Finding]:
    moved = {path: {str(n) for n in s.moved} for path, s in shifts.items()}
    lines = {path: {str(old) for old, new in s.lines.items() if old != new} for path, s in shifts.items()}
    quoted = {path: re.compile(rf"(?<![\w.-]){re.escape(path.rsplit('/', 1)[-1])}:(\d+)") for path in moved}
    out = []
    for f in findings:
        texts = [f.message, f.fix, f.anchor, *(s.note for s in f.trace),
                 *(t for tr in f.translations for t in (tr.message, tr.fix)),
                 *(t for r in f.related for t in (r.note, r.anchor, *(s.note for s in r.trace)))]
        touched = {f.path, *(s.path for s in f.trace), *(r.path for r in f.related),
                   *(s.path for r in f.related for s in r.trace)}
        for path in moved:
            numbers, risky = (_NUMBER.findall, moved[path]) if path in touched else (quoted[path].findall, lines[path])
            if risky and any(m in risky for text in texts for m in numbers(text)):
                raise Mismatch
        if any(e.path in shifts for e in f.edits):
            raise Mismatch  # edits are character offsets
        span = _move_span(f.path, f.span, shifts)
        trace = _move_trace(f.trace, shifts)
        related = tuple(replace(r, span=_move_span(r.path, r.span, shifts), trace=_move_trace(r.trace, shifts))
                        for r in f.related)
        if span is f.span and trace == f.trace and related == f.related:
            out.append(f)
        else:
            out.append(replace(f, span=span, trace=trace, related=related))
    return out


def _move_span(path: str, span: Span, shifts: dict[str, Shift]) -> Span:
    shift = shifts.get(path)
    if shift is None:
        return span
    line, column = shift.point(span.line, span.column)
    end_line, end_column = shift.point(span.end_line, span.end_column)
    return Span(line, column, end_line, end_column)


def _move_trace(trace: tuple[TraceStep, ...], shifts: dict[str, Shift]) -> tuple[TraceStep, ...]:
    return tuple(TraceStep(s.path, shifts[s.path].line(s.line), s.note) if s.path in shifts else s for s in trace)


def move_diagnostics(diagnostics: Iterable[Diagnostic], shifts: dict[str, Shift]) -> list[Diagnostic]:
    out = []
    for d in diagnostics:
        shift = shifts.get(d.path)
        if shift is not None and d.line:
            line, column = shift.point(d.line, d.column) if d.column else (shift.line(d.line), 0)
            d = replace(d, line=line, column=column)
        out.append(d)
    return out


def changed_files(before: Sequence[tuple[str, str]], now: Sequence[tuple[str, str]]) -> list[tuple[str, str, str]]:
    """(path, old key, new key) of the files whose summary changed; Mismatch when the file lists differ."""
    if len(before) != len(now) or any(a[0] != b[0] for a, b in zip(before, now, strict=True)):
        raise Mismatch
    changed = [(a[0], a[1], b[1]) for a, b in zip(before, now, strict=True) if a[1] != b[1]]
    if len(changed) > MAX_CHANGED:
        raise Mismatch
    return changed


def shifts_for(cache: Cache, changed: Sequence[tuple[str, str, str]],
               new_entries: dict[str, bytes]) -> dict[str, Shift]:
    from pipl_lint.cache import decode_entry

    old = cache.get_summary_raw([k for _p, k, _n in changed])
    shifts: dict[str, Shift] = {}
    for path, old_key, _new_key in changed:
        if old_key not in old:
            raise Mismatch  # pruned from the cache
        try:
            shifts[path] = compare(decode_entry(old[old_key]), decode_entry(new_entries[path]))
        except (ValueError, TypeError):
            raise Mismatch from None
    return shifts

