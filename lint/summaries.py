"""Turn source files into summaries: read, look up the cache, parse the misses (in worker processes that
are ended at the time limit, see `pipl_lint.workers`), store them back. Never raises for bad input; output
order is the input order."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipl_lint.findings import Diagnostic
from pipl_lint.model.summary import FileSummary, Site
from pipl_lint.project.files import FileReader

if TYPE_CHECKING:
    from pipl_lint.workers import Outcome


def _workers() -> int:
    try:
        return max(1, min(len(os.sched_getaffinity(0)), 8))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, min(os.cpu_count() or 1, 8))


class SummaryStore:
    def __init__(self, reader: FileReader, timeout: float, cache: object | None = None,
                 jobs: int | None = None) -> None:
        self.reader = reader
        self.timeout = timeout
        self.cache = cache  # a pipl_lint.cache.Cache, or None
        self.jobs = jobs if jobs is not None else _workers()  # worker processes; 0: parse in this process
        self.files_summarized = 0
        self.files_parsed = 0
        self.on_parsed: Callable[[int, int], None] | None = None  # (parsed so far, to parse) as files finish
        # False once a time limit or a parser crash decided a file's result: such results are not cached, and
        # neither is the run's (a quieter machine may read the file whole).
        self.complete = True
        # Digest of every summary produced, in order: equal digests mean equal analysis input even when file
        # bytes changed (a comment or whitespace edit), so a previous run's results can be reused.
        self.digest = hashlib.blake2b(digest_size=20)

    def summarize(self, files: Sequence[tuple[str, Path, str]], diags: list[Diagnostic]) -> list[FileSummary]:
        """`files` are (relative path, path, language); the result keeps their order."""
        return self.load(files, diags).decode(diags)

    def load(self, files: Sequence[tuple[str, Path, str]], diags: list[Diagnostic]) -> Loaded:
        """Read, look up and parse the files; their summaries stay encoded until `Loaded.decode` (so that an
        unchanged analysis input can be recognised from `self.digest` without decoding anything)."""
        from pipl_lint.cache import content_key

        jobs: list[tuple[str, bytes, str, str]] = []  # rel, data, lang, key
        for rel, path, lang in files:
            data = self.reader.read_bytes(path, diags)
            if data is not None:
                jobs.append((rel, data, lang, content_key(data, path.name, lang)))
        hits = self.cache.get_summary_raw([k for *_r, k in jobs]) if self.cache is not None else {}
        misses = [(rel, data, lang, self.timeout) for rel, data, lang, key in jobs if key not in hits]
        fresh = iter(self._parse(misses))
        new: list[tuple[str, bytes]] = []
        entries: list[tuple[str, bytes, tuple[str, bytes, str, float]]] = []
        for rel, data, lang, key in jobs:
            self.files_summarized += 1
            if key in hits:
                encoded = hits[key]
            else:
                outcome = next(fresh)
                encoded = outcome.entry
                if outcome.cacheable:
                    new.append((key, encoded))
                else:
                    self.complete = False
            self.digest.update(rel.encode("utf-8", "surrogateescape") + b"\0" + encoded)
            entries.append((rel, encoded, (rel, data, lang, self.timeout)))
        if self.cache is not None:
            self.cache.put_summaries(new)
            self.cache.touch([k for *_r, k in jobs if k in hits])
        return Loaded(entries, [k for *_r, k in jobs])

    def _parse(self, misses: list[tuple[str, bytes, str, float]]) -> list[Outcome]:
        from pipl_lint.workers import BoundedPool, work

        self.files_parsed += len(misses)
        total, report = len(misses), self.on_parsed
        if self.jobs <= 0:  # in this process, without the hard time limit: for profiling only
            return [work(m) for m in misses]
        return BoundedPool(self.jobs).run(misses, None if report is None else lambda done: report(done, total))


class Loaded:
    """Encoded summaries of one project, decoded on demand."""

    def __init__(self, entries: list[tuple[str, bytes, tuple[str, bytes, str, float]]],
                 keys: list[str] | None = None) -> None:
        self.entries = entries
        self.keys = keys or []  # the content key of each entry (see `cache.content_key`)
        self.paths = [rel for rel, _e, _j in entries]
        self.decoded = False

    @property
    def files(self) -> list[tuple[str, str]]:
        """(relative path, content key) of each entry, in order."""
        return list(zip(self.paths, self.keys, strict=True))

    def decode(self, diags: list[Diagnostic]) -> list[FileSummary]:
        """The summaries, in order. Decoding consumes the entries: their encoded summaries and the files' bytes are
        let go, so that the analysis does not hold a project's code three times over (bytes, encoded and decoded
        summaries: on a 280,000-line app 12 and 30 MB besides the decoded ones). Decode once."""
        from pipl_lint.cache import decode_entry
        from pipl_lint.workers import work

        if self.decoded:
            raise RuntimeError("these summaries were decoded already")
        self.decoded = True
        entries, self.entries = self.entries, []
        out: list[FileSummary] = []
        memo: dict[Any, Any] = {}
        for rel, encoded, job in entries:
            try:
                problems, summary = decode_entry(encoded)
            except (ValueError, TypeError):  # msgspec errors subclass these: a crafted or stale entry
                problems, summary = decode_entry(work(job).entry)
            diags.extend(Diagnostic(rel, problem) for problem in problems)
            if summary is not None:
                summary = shared(for_analysis(summary), memo)
                out.append(summary if summary.path == rel else _with_path(summary, rel))
        del entries
        _return_freed_memory()
        return out


def _return_freed_memory() -> None:
    """glibc keeps what Python frees from its heap (the encoded entries are mostly small `malloc` blocks) for
    later `malloc`s, but Python's small objects - nearly all of a decoded summary and of the analysis - come from
    separately mapped arenas that cannot reuse it: hand it back to the system (meshtastic: 34 MB of peak memory).
    Elsewhere (musl, macOS) nothing is done."""
    import ctypes

    try:
        ctypes.CDLL(None).malloc_trim(0)
    except (OSError, AttributeError):  # pragma: no cover - not glibc
        pass


def shared(summary: FileSummary, memo: dict[Any, Any]) -> FileSummary:
    """The summary with its sites' equal parts held once (`memo`: the parts seen so far, shared across the files of
    one project). The extractor builds the guards and deferred contexts of the sites in one block from the same
    objects, but MessagePack writes each site's copy and decoding makes a new object of each: a third of the
    decoded summaries of a large app was such copies, and the kind, name and receiver strings of its sites another
    tenth. Equal values throughout: the analysis cannot tell the difference."""
    import msgspec

    keep = memo.setdefault
    replace = msgspec.structs.replace
    sites = [replace(s, kind=keep(s.kind, s.kind), name=keep(s.name, s.name), receiver=keep(s.receiver, s.receiver),
                     rtype=keep(s.rtype, s.rtype), guards=keep(s.guards, s.guards),
                     deferred=keep(s.deferred, s.deferred))
             for s in summary.sites]
    return replace(summary, sites=tuple(sites))


# Logging calls: a call of one of these on the imported logger, whose arguments hold no other call, reaches no
# project code, collects nothing and decides nothing. The analysis does not see it (`for_analysis`), so adding
# or removing one changes only positions and the incremental step moves the previous results.
LOGGERS = {"Log": "android.util.Log", "Timber": "timber.log.Timber"}
LOG_CALLS = frozenset({"v", "d", "i", "w", "e", "wtf"})


def for_analysis(summary: FileSummary) -> FileSummary:
    """The summary as the analysis reads it: without logging calls (`LOG_CALLS` on `LOGGERS`, imported under
    their own names, in a file that declares no class of that name) whose arguments contain no other site, and
    without the string literals inside them; a function's read of the logger's name is dropped too when no
    site it keeps reads that name, and otherwise dated at the first site kept that reads it. A function of the
    summary alone, used for cold and warm runs alike."""
    loggers = {imp.simple for imp in summary.imports
               if not imp.wildcard and not imp.static and LOGGERS.get(imp.simple) == imp.path}
    if not loggers or not any(s.kind == "call" and s.name in LOG_CALLS and s.receiver in loggers
                              for s in summary.sites):
        return summary
    loggers -= {c.name for c in summary.classes}
    by_function: dict[int, list[Site]] = {}
    for site in summary.sites:
        by_function.setdefault(site.function, []).append(site)
    dropped: set[int] = set()  # id() of dropped sites
    spans: list[tuple[int, tuple[int, int], tuple[int, int]]] = []  # function, start, end of each
    for site in summary.sites:
        if site.kind != "call" or site.name not in LOG_CALLS or site.receiver not in loggers or site.function < 0:
            continue
        if any(other is not site and site.start <= other.start and other.end <= site.end
               for other in by_function[site.function]):
            continue  # an argument calls something: keep the whole call
        dropped.add(id(site))
        spans.append((site.function, (site.line, site.column), (site.end_line, site.end_column)))
    if not dropped:
        return summary
    import msgspec

    sites = tuple(s for s in summary.sites if id(s) not in dropped)
    strings = tuple(lit for lit in summary.strings
                    if not any(fn == lit.function and start <= (lit.line, lit.column) <= end
                               for fn, start, end in spans))
    refs = list(summary.refs)
    for fn in {fn for fn, _start, _end in spans}:
        if fn >= len(refs):
            continue
        kept = [s for s in by_function[fn] if id(s) not in dropped]
        dropped_lines = {start[0] for f, start, _end in spans if f == fn}
        out: list[tuple[str, int]] = []
        later: list[tuple[str, int]] = []  # first read by a call left out: now first read by the first call kept
        for name, line in refs[fn]:
            if name in loggers:
                reads = [s.line for s in kept if s.receiver == name or any(name in a.refs for a in s.args)]
                if not reads:
                    continue  # read only by the calls left out
                if line in dropped_lines:
                    later.append((name, min(reads)))
                    continue
            out.append((name, line))
        for name, line in later:  # in first-read order, as the extractor lists them
            at = next((i for i, (_n, other) in enumerate(out) if other >= line), len(out))
            out.insert(at, (name, line))
        refs[fn] = tuple(out)
    return msgspec.structs.replace(summary, sites=sites, strings=strings, refs=tuple(refs))


def _with_path(summary: FileSummary, rel: str) -> FileSummary:
    import msgspec

    return msgspec.structs.replace(summary, path=rel)
