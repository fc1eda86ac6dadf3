"""Incremental reuse of a project's results after an edit that moves code, or adds or removes functions nothing uses.

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

A changed file may also differ by functions the edit added or removed that the analysis cannot see
(`compare_inert`): functions that hold nothing and could only be seen through their name (`inert_functions`) are
left out of the old and the new summary, the rest is compared as above, and `Unread.check` proves that nothing
names them: not the other files' summaries (searched in their encoded cache entries, which the run loaded anyway:
nothing is decoded and nothing more is remembered), the changed files' own, the manifests, layouts, resources and
configuration, nor the names and patterns of the analysis's own code (`vocabulary`, kept in the cache's `meta`
table), and their file is in no module that may be a published SDK. Their positions are paired with nothing, so a
finding there analyses again.

The result is what a cold run gives, byte for byte (tests/test_incremental.py checks it after random edits).
"""

from __future__ import annotations

import contextlib
import itertools
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

import msgspec

from pipl_lint.findings import Diagnostic, Finding, Span, TraceStep
from pipl_lint.model.summary import FileSummary, Function

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


def shifts_for(cache: Cache, changed: Sequence[tuple[str, str, str]], new_entries: dict[str, bytes],
               unread: Unread | None = None) -> dict[str, Shift]:
    """The shift of each changed file; with `unread`, a file may also differ by inert functions (`compare_inert`)."""
    from pipl_lint.cache import decode_entry

    old = cache.get_summary_raw([k for _p, k, _n in changed])
    shifts: dict[str, Shift] = {}
    dropped: dict[str, Inert] = {}
    for path, old_key, _new_key in changed:
        if old_key not in old:
            raise Mismatch  # pruned from the cache
        try:
            before, now = decode_entry(old[old_key]), decode_entry(new_entries[path])
            try:
                shifts[path] = compare(before, now)
            except Mismatch:
                if unread is None:
                    raise
                dropped[path] = compare_inert(before, now)
                shifts[path] = dropped[path].shift
        except (ValueError, TypeError):
            raise Mismatch from None
    if dropped and unread is not None:
        unread.check(dropped, {p: msgspec.msgpack.encode(dropped[p].summary) if p in dropped else new_entries[p]
                               for p, _o, _n in changed})
    return shifts


# --- functions the analysis cannot see --------------------------------------------------------------------------
# Modifiers with which only the program's own code calls a function. Anything else may make the platform, a
# framework or another class call it by its name alone: `override`, `operator`, `infix`, `open`, `abstract`,
# `external`, `actual`, and every annotation (`@Composable`, `@JavascriptInterface`, `@Provides`, `@Subscribe`).
ORDINARY_MODIFIERS = frozenset({"public", "private", "protected", "internal", "static", "final", "suspend", "inline",
                                "tailrec", "synchronized"})


def inert_functions(summary: FileSummary) -> list[int]:
    """The functions of `summary` (as the analysis reads it, `summaries.for_analysis`) that hold nothing the
    analysis reads and that only a use of their name could make it see (`Unread` checks the names):

    - no site, assignment, string, boolean or name read is attributed to it, and no other declaration (function,
      class, constant) lies within its lines, nor it within another function's (but a class's initialisers);
    - a plain name, and ordinary modifiers only (`ORDINARY_MODIFIERS`): not a constructor, initialiser or property
      accessor (`<init>`, `<clinit>`, `get:x`), no `override`, no annotation;
    - declared at the top level or in a class of this file; in Java, in a class without supertypes (an override
      needs no `@Override` there; methods of anonymous classes and object expressions are no functions of the
      summary at all);
    - when its owner is no class of this file (a file facade: `AppKt`), it is not the first function of that owner
      while other functions of it follow: the analysis locates a facade by its first function.
    """
    fns = summary.functions
    held = {s.function for s in summary.sites} | {s.function for s in summary.writes} | \
        {s.function for s in summary.strings} | {b.function for b in summary.bools} | \
        {i for i, refs in enumerate(summary.refs) if refs}
    classes = {c.fqn: c for c in summary.classes}
    others = [c.line for c in summary.classes] + [c.line for c in summary.constants]

    def plain(i: int) -> bool:
        fn = fns[i]
        decl = classes.get(fn.owner)
        if i in held or not fn.name.isidentifier() or not ORDINARY_MODIFIERS.issuperset(fn.modifiers) or \
                (decl is None and fn.owner != summary.facade) or \
                (summary.language != "kotlin" and (decl is None or decl.supertypes)):
            return False
        return not any(fn.line <= line <= fn.end_line for line in others) and \
            not any(j != i and (fn.line <= g.line <= fn.end_line or
                                (g.line <= fn.line <= g.end_line and not g.name.startswith("<")))
                    for j, g in enumerate(fns))  # a Kotlin class's `<init>` spans the class

    candidates = {i for i in range(len(fns)) if plain(i)}
    out = []
    for i in sorted(candidates):
        kept = [j for j, g in enumerate(fns) if g.owner == fns[i].owner and j not in candidates]
        if fns[i].owner in classes or not kept or kept[0] < i:
            out.append(i)
    return out


def without(summary: FileSummary, drop: Sequence[int]) -> FileSummary:
    """`summary` without the functions `drop` (which hold nothing: see `inert_functions`), the others renumbered."""
    if not drop:
        return summary
    gone = set(drop)
    number = {old: new for new, old in enumerate(i for i in range(len(summary.functions)) if i not in gone)}
    number[-1] = -1
    rep = msgspec.structs.replace
    return rep(summary,
               functions=tuple(f for i, f in enumerate(summary.functions) if i not in gone),
               refs=tuple(r for i, r in enumerate(summary.refs) if i not in gone),
               sites=tuple(rep(s, function=number[s.function]) for s in summary.sites),
               writes=tuple(rep(s, function=number[s.function]) for s in summary.writes),
               strings=tuple(rep(s, function=number[s.function]) for s in summary.strings),
               bools=tuple(rep(b, function=number[b.function]) for b in summary.bools))


class Inert(NamedTuple):
    shift: Shift
    summary: FileSummary  # the new summary without its inert functions
    names: set[str]  # of the inert functions left out of either summary
    facades: set[str]  # their owners that are no class of the file


def compare_inert(old: Any, new: Any) -> Inert:
    """Like `compare`, with the inert functions the edit added or removed left out. Their names are not checked
    here (`Unread.check`)."""
    (old_problems, old_summary), (new_problems, new_summary) = old, new
    if old_problems != new_problems or old_summary is None or new_summary is None:
        raise Mismatch
    from pipl_lint.summaries import for_analysis

    a, b = for_analysis(old_summary), for_analysis(new_summary)
    # Only the functions the edit added or removed (none of the other side is declared the same) are left out.
    keys_a, keys_b = {_declared(f) for f in a.functions}, {_declared(f) for f in b.functions}
    drop_a = [i for i in inert_functions(a) if _declared(a.functions[i]) not in keys_b]
    drop_b = [i for i in inert_functions(b) if _declared(b.functions[i]) not in keys_a]
    if not drop_a and not drop_b:
        raise Mismatch
    stripped = without(b, drop_b)
    shift = Shift()
    _walk(without(a, drop_a), stripped, shift)
    shift.check()
    gone = [a.functions[i] for i in drop_a] + [b.functions[i] for i in drop_b]
    classes = {c.fqn for c in b.classes}
    return Inert(shift, stripped, {f.name for f in gone}, {f.owner for f in gone if f.owner not in classes})


def _declared(fn: Function) -> tuple[Any, ...]:
    return fn.name, fn.owner, fn.params, fn.param_types, fn.extension, fn.modifiers


class Vocabulary(msgspec.Struct, array_like=True):
    """What the analysis's own code could find a function by: every identifier in a string constant of its
    modules (`"onRequestPermissionsResult"`, `LIFECYCLE`) and of its data files (the API catalogs), and every
    pattern its modules compile (`SIGN_UP_FUNCTION`, `CONSENT_WORD`: rules look for functions named so)."""

    signature: str  # the tool version and the stat signature of the files read
    names: list[str]
    patterns: list[tuple[str, int]]  # (pattern, flags)


_VOCABULARY_KEY = "incremental-vocabulary"
_IDENTIFIER = re.compile(r"[A-Za-z_$][\w$]*")


def _analysis_files() -> list[Path]:
    import pipl_lint
    import pipl_lint.rules

    here, rules = Path(pipl_lint.__file__).parent, Path(pipl_lint.rules.__file__).parent
    return sorted([*here.joinpath("model").glob("*.py"), here / "ruleapi.py", here / "suppress.py",
                   *rules.rglob("*.py"), *rules.rglob("*.toml")])


def vocabulary(cache: Cache) -> tuple[frozenset[str], Callable[[], list[re.Pattern[str]]]]:
    """`Vocabulary` of this installation, kept in the cache while its files are the same (built once: it imports
    every rule): its names, and a function that compiles its patterns (30 ms)."""
    from pipl_lint import __version__
    from pipl_lint.cache import stat_signature

    files = _analysis_files()
    signature = repr((__version__, stat_signature(files)))
    raw = cache.get_meta(_VOCABULARY_KEY)
    found: Vocabulary | None = None
    if raw is not None:
        with contextlib.suppress(msgspec.DecodeError, msgspec.ValidationError):
            found = msgspec.msgpack.decode(raw, type=Vocabulary)
    if found is None or found.signature != signature:
        found = _build_vocabulary(files, signature)
        cache.put_meta(_VOCABULARY_KEY, msgspec.msgpack.encode(found))
    patterns = found.patterns
    return frozenset(found.names), lambda: [re.compile(p, flags) for p, flags in patterns]


def _build_vocabulary(files: Sequence[Path], signature: str) -> Vocabulary:
    import ast
    import importlib
    import pkgutil

    import pipl_lint.model
    import pipl_lint.rules

    names: set[str] = set()
    for path in files:
        text = path.read_text("utf-8")
        if path.suffix == ".toml":
            names.update(_IDENTIFIER.findall(text))
            continue
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                names.update(_IDENTIFIER.findall(node.value))
    modules = [importlib.import_module(m.name) for pkg in (pipl_lint.model, pipl_lint.rules)
               for m in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + ".")]
    patterns: set[tuple[str, int]] = set()
    todo: list[Any] = [v for m in modules for v in vars(m).values()]
    seen: set[int] = set()
    while todo:
        value = todo.pop()
        if id(value) in seen:
            continue
        seen.add(id(value))
        if isinstance(value, re.Pattern) and isinstance(value.pattern, str):
            patterns.add((value.pattern, value.flags))
        elif isinstance(value, (tuple, list, frozenset, set)):
            todo.extend(value)
        elif isinstance(value, dict):
            todo.extend(value.values())
        elif isinstance(value, type) and value.__module__.startswith("pipl_lint."):
            todo.extend(vars(value).values())
    return Vocabulary(signature, sorted(names), sorted(patterns))


class Unread:
    """Proves that nothing names the inert functions an edit added or removed (`inert_functions`): the analysis
    finds a function by its name — a call, a function reference, a read, a guard, a constant, a string (reflection),
    an `android:onClick` in a layout, a manifest entry, the configuration, or a name or pattern of its own code
    (`vocabulary`) — and by its module when that may be a published SDK (whose public functions are its API).
    A search for the name's bytes in every other file's encoded summary (they are in memory already, nothing is
    decoded), in the changed files' summaries without those functions, and in the project's other inputs; a name
    found anywhere, even inside a longer one, is taken as used."""

    def __init__(self, cache: Cache, entries: dict[str, bytes], texts: Callable[[], Iterable[bytes]],
                 sdk: Callable[[], set[str]]) -> None:
        self.cache = cache
        self.entries = entries  # every source file's encoded summary (cache entry), by relative path
        self.texts = texts  # the project's manifests, layouts, strings, text assets and configuration
        self.sdk = sdk  # the source files of modules that may be SDK modules

    def check(self, dropped: dict[str, Inert], changed: dict[str, bytes]) -> None:
        """Mismatch unless nothing uses the functions `dropped` left out; `changed`: every changed file's summary,
        encoded, without its inert functions."""
        names = set().union(*(d.names for d in dropped.values()))
        known, patterns = vocabulary(self.cache)
        forms = names | {n.lower() for n in names}  # a rule may match a name lower-cased
        if {n.lower() for n in names} & {k.lower() for k in known}:  # the same name, in any case
            raise Mismatch
        others = [blob for path, blob in self.entries.items() if path not in changed]
        words = [n.encode("utf-8", "surrogateescape") for n in names]
        facades = [f.encode("utf-8", "surrogateescape") for d in dropped.values() for f in d.facades]
        # Searched blob by blob, in C (joining them first copied 60 MB on a 280,000-line app); the project's other
        # inputs read only when no summary names the functions.
        if _occurs(words, (*others, *changed.values())) or _occurs(facades, others) or _occurs(words, self.texts()):
            raise Mismatch  # used, or a facade shared with another file (`@JvmMultifileClass`)
        if any(p.search(n) for p in patterns() for n in forms) or set(dropped) & self.sdk():
            raise Mismatch


def _occurs(words: Sequence[bytes], blobs: Iterable[bytes]) -> bool:
    return any(word in blob for blob in blobs for word in words)
