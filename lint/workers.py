"""Parse and summarise source files in worker processes that are ended when a file takes too long.

tree-sitter's progress callback stops most slow parses, and the extractors check a deadline, but neither can
interrupt an external scanner stuck in C, a pathological error recovery between two callbacks, or a crash
of the native parser. So every file is parsed in a child process: the parent hands each worker a few files
at a time, notes when the worker started its current file (the moment the previous answer arrived), and
kills a worker whose current file has run past the hard limit. That file gets a diagnostic, the worker is
replaced, and the worker's other files are handed out again. One file can never hold a scan or a commit for
longer than the hard limit; a crash of the parser costs one file, not the run.

Workers are forked where the platform allows it and the process has one thread (cheap: the parent's modules
are already loaded), and started from a fork server otherwise (see `_context`). The answer for each file is
its cache entry, MessagePack-encoded.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from typing import Any

Job = tuple[str, bytes, str, float]  # relative path, bytes, language, per-file time budget in seconds


@dataclass(frozen=True, slots=True)
class Outcome:
    entry: bytes  # the encoded cache entry: (problems, summary)
    cacheable: bool  # False when a time limit or a crash decided the result (a quieter machine may do better)


def hard_limit(budget: float) -> float:
    """Seconds after which a worker still busy with one file is ended: the cooperative budget (parse and
    summary together) plus a grace of half of it, at least one second, for the cooperative stops to act."""
    return budget + max(1.0, budget / 2)


def work(job: Job) -> Outcome:
    """One file → its cache entry (in a worker, or in-process as the fallback)."""
    from pipl_lint.cache import encode_entry
    from pipl_lint.model.source import summarize

    rel, data, lang, budget = job
    try:
        result = summarize(rel, data, lang, budget)
    except Exception as exc:  # noqa: BLE001 - an extractor bug costs this file, never the run
        return _stopped(f"internal error while summarising ({type(exc).__name__}: {exc}); the file was not analysed")
    return Outcome(encode_entry(result.problems, result.summary), not result.timed_out)


def _context() -> Any:
    """`fork` from a single-threaded process (cheap: the parent's modules are inherited). With other threads
    running (the language server answers on the main thread while the analysis runs in another), a forked
    child could inherit a lock some other thread holds - multiprocessing's child start-up closes stdin, whose
    lock the server's reading thread holds - and hang: start workers from a fork server (or fresh
    interpreters) instead."""
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    if "forkserver" in methods:
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["pipl_lint.workers", "pipl_lint.model.source", "pipl_lint.model.extract_kotlin",
                                    "pipl_lint.model.extract_java", "pipl_lint.cache"])
        return ctx
    return multiprocessing.get_context("spawn")  # pragma: no cover - platforms without fork


def _preload(langs: set[str]) -> None:
    """Load the grammars and extractors once here, so that forked workers inherit them instead of each
    loading its own."""
    from pipl_lint.model.source import parser

    for lang in langs:
        parser(lang)
        if lang == "kotlin":
            import pipl_lint.model.extract_kotlin
        else:
            import pipl_lint.model.extract_java
    import pipl_lint.cache  # noqa: F401


def _stopped(why: str) -> Outcome:
    from pipl_lint.cache import encode_entry

    return Outcome(encode_entry((why,), None), False)


def _die_with_parent() -> None:
    """Linux: the kernel ends this worker when the process that started it dies (killed mid-scan, say), so
    no worker is left behind blocked on a pipe nobody reads."""
    try:
        import ctypes
        import signal

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, int(signal.SIGKILL), 0, 0, 0)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # pragma: no cover - not Linux
        pass


def _serve(conn: Connection, inherited: Sequence[Connection] = (), parent: int = 0) -> None:
    """Worker loop: receive lists of (index, job), answer (index, entry, cacheable) for each, in order.
    `inherited`: the parent's ends of the other workers' pipes, which a forked child holds and must close
    (else a worker whose parent died waits forever for a peer that never closes)."""
    _die_with_parent()
    # What the worker inherited (the parent's modules and discovery) lives as long as it does: out of the
    # collector's sight, full collections during the extraction's many small objects do not traverse it again
    # and again (about 5% of a worker's time on a large app) and do not write to the shared pages.
    gc.freeze()
    for other in inherited:
        other.close()
    if parent and os.getppid() != parent:  # the parent died before the death signal was set up
        return
    try:
        while True:
            batch = conn.recv()
            if batch is None:
                return
            for index, job in batch:
                outcome = work(job)
                conn.send((index, outcome.entry, outcome.cacheable))
    except (EOFError, KeyboardInterrupt, BrokenPipeError):
        return


@dataclass
class _Worker:
    process: Any  # multiprocessing.process.BaseProcess
    conn: Connection
    inflight: deque[int] = field(default_factory=deque)
    since: float = 0.0  # when the worker started its current file


class BoundedPool:
    """Runs jobs in up to `size` worker processes; see the module docstring."""

    def __init__(self, size: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.size = max(1, size)
        self.clock = clock
        self.ctx: Any = _context()
        self.killed = 0  # workers ended at the hard limit or found dead, for tests and notes

    def _start(self, workers: Sequence[_Worker] = ()) -> _Worker:
        parent, child = self.ctx.Pipe(duplex=True)
        forked = self.ctx.get_start_method() == "fork"
        inherited = [parent, *(w.conn for w in workers)] if forked else []
        process = self.ctx.Process(target=_serve, args=(child, inherited, os.getpid() if forked else 0), daemon=True)
        process.start()
        child.close()
        return _Worker(process, parent)

    @staticmethod
    def _stop(worker: _Worker, kill: bool = False) -> None:
        if kill:
            worker.process.kill()
        else:
            try:
                worker.conn.send(None)
            except (OSError, ValueError):
                worker.process.kill()
        worker.conn.close()
        worker.process.join(timeout=5)
        if worker.process.is_alive():  # pragma: no cover - a worker that ignores the end of its input
            worker.process.kill()
            worker.process.join()

    def run(self, jobs: Sequence[Job], on_done: Callable[[int], None] | None = None) -> list[Outcome]:
        """The outcome of every job, in input order. `on_done(n)` is called as each job finishes, with the
        number finished so far. The largest files are handed out first, so that no worker is left with a long
        one at the end while the others have nothing to do."""
        if not jobs:
            return []
        _preload({job[2] for job in jobs})
        results: list[Outcome | None] = [None] * len(jobs)
        pending: deque[int] = deque(sorted(range(len(jobs)), key=lambda i: -len(jobs[i][1])))
        chunk = max(1, min(8, len(jobs) // (self.size * 8)))
        workers: list[_Worker] = []
        for _ in range(min(self.size, len(jobs))):
            workers.append(self._start(workers))
        done = 0
        try:
            while done < len(jobs):
                now = self.clock()
                for w in workers:
                    if not w.inflight and pending:
                        batch = [pending.popleft() for _ in range(min(chunk, len(pending)))]
                        w.inflight.extend(batch)
                        w.since = now
                        w.conn.send([(i, jobs[i]) for i in batch])
                busy = [w for w in workers if w.inflight]
                nearest = min(w.since + hard_limit(jobs[w.inflight[0]][3]) for w in busy)
                ready = wait([w.conn for w in busy], timeout=max(0.0, nearest - self.clock()))
                for w in busy:
                    if w.conn in ready:
                        try:
                            index, entry, cacheable = w.conn.recv()
                        except (EOFError, OSError):  # the worker died: the parser crashed on its file
                            self._replace(w, workers, jobs, results, pending, crashed=True)
                        else:
                            results[index] = Outcome(entry, cacheable)
                            w.inflight.popleft()
                            w.since = self.clock()
                    elif self.clock() - w.since > hard_limit(jobs[w.inflight[0]][3]):
                        self._replace(w, workers, jobs, results, pending, crashed=False)
                    else:
                        continue
                    done += 1
                    if on_done is not None:
                        on_done(done)
        finally:
            for w in workers:
                self._stop(w, kill=bool(w.inflight))
        return [r for r in results if r is not None]

    def _replace(self, w: _Worker, workers: list[_Worker], jobs: Sequence[Job], results: list[Outcome | None],
                 pending: deque[int], crashed: bool) -> None:
        """End worker `w`, give its current file a diagnostic and its other files back."""
        index = w.inflight.popleft()
        budget = jobs[index][3]
        if crashed:
            why = "the parser crashed on this file; the file was not analysed"
        else:
            why = (f"parsing and summarising took longer than {budget:g} s and was stopped; the file was not "
                   "analysed (set `parse-timeout` in pipl-lint.toml)")
        results[index] = _stopped(why)
        pending.extendleft(reversed(w.inflight))
        w.inflight.clear()
        self._stop(w, kill=True)
        self.killed += 1
        workers[workers.index(w)] = self._start([other for other in workers if other is not w])
