"""Entry points that run before consent, and what they reach.

`PreConsent` walks the call graph breadth first from every entry point, following only calls that are
neither gated by consent, nor deferred to a user action, nor guarded by a condition that is false on first
launch (`model/conditions.py`), and keeps the first (shortest) path to each
function so that every finding can show the hops from the entry point to the collecting call.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass

from pipl_lint.findings import TraceStep
from pipl_lint.i18n import Msg
from pipl_lint.model.conditions import FirstLaunch
from pipl_lint.model.consent import ConsentModel, SiteState
from pipl_lint.model.index import SAME, Edge, FnId, ProgramIndex
from pipl_lint.model.summary import Site

HOW_NOTES = {
    "virtual": " (interface/open call: every project implementation assumed)",
    "by-name": " (receiver type unknown: resolved by name)",
    "extension": " (extension function)",
    "property": " (property read)",
    "component": "",
    "fragment": " (fragment lifecycle: runs when the fragment created here is shown)",
    "callback": " (registered callback: the framework calls it - as the first activity starts, for each request)",
    "injected": " (injected: the DI container builds it here)",
    "provided": " (injected through this provider)",
    "injected-any": " (injected: binding not resolved, every project implementation assumed)",
}


@dataclass(frozen=True, slots=True)
class Entry:
    """An entry point: `fid` runs before the user can consent."""

    fid: FnId
    kind: str  # application | provider | startup | launcher | receiver | service
    note: Msg | str  # "Application (runs at process start, before any UI) `DailyNewsApp.onCreate`"
    path: str  # where it is declared (manifest element or class)
    line: int
    this_cls: str | None = None  # the class of the running object (the declared component), when known


@dataclass(frozen=True, slots=True)
class Reached:
    fid: FnId
    entry: Entry
    via: Edge | None  # the edge that first reached fid (None for the entry itself)
    notes: tuple[Msg, ...]  # open-guard notes accumulated along the path
    this_cls: str | None = None  # the class of the object fid runs on along this path, when known
    prev_state: tuple[FnId, str | None] | None = None  # the caller's (function, running class)


class PreConsent:
    def __init__(self, index: ProgramIndex, consent: ConsentModel, entries: list[Entry],
                 stop_at_consent: bool = True) -> None:
        self.index = index
        self.consent = consent
        self.entries = entries
        self.stop_at_consent = stop_at_consent
        self.first_launch = FirstLaunch(index, consent)
        self.reached: dict[FnId, Reached] = {}  # the first (shortest) path to each function
        # Every (function, class of the object it runs on) reached: a base-class method run for the launcher
        # activity calls the launcher's overrides, run for another subclass that one's.
        self._states: dict[tuple[FnId, str | None], Reached] = {}
        self._walk()
        # Keys the code just reached stores (a switch turned on, an extra put): no longer off on first launch.
        # When the walk relied on one being off, walk again (each round turns at least one more on, so this ends).
        while on := self.first_launch.turned_on(self.reached):
            relied = bool(on & self.first_launch.used)
            self.first_launch.assume_on(on)
            if not relied:
                break
            self.reached, self._states = {}, {}
            self._walk()

    def _walk(self) -> None:
        queue: deque[tuple[FnId, str | None]] = deque()
        for e in self.entries:
            state = (e.fid, e.this_cls)
            if state not in self._states:
                r = Reached(e.fid, e, None, (), e.this_cls)
                self._states[state] = r
                self.reached.setdefault(e.fid, r)
                queue.append(state)
        while queue:
            state = queue.popleft()
            fid, this_cls = state
            here = self._states[state]
            for edge in self.index.edges_in(fid, this_cls):
                callee_cls = this_cls if edge.this_cls == SAME else edge.this_cls
                target = (edge.target, callee_cls)
                if target in self._states:
                    continue
                notes = here.notes
                if edge.site is not None:
                    st = self.consent.state(edge.site)
                    if st.user_action or (st.gated and self.stop_at_consent) or \
                            self.first_launch.off_guard(fid, edge.site) is not None:
                        continue
                    notes = notes + st.notes
                r = Reached(edge.target, here.entry, edge, notes, callee_cls, state)
                self._states[target] = r
                self.reached.setdefault(edge.target, r)
                queue.append(target)

    def functions(self) -> Iterator[Reached]:
        yield from self.reached.values()

    def open_sites(self) -> Iterator[tuple[Reached, Site, SiteState]]:
        """Every site in a pre-consent function that itself runs before consent."""
        for r in self.reached.values():
            for site in self.index.sites_of(r.fid):
                st = self.consent.state(site)
                if st.user_action or (st.gated and self.stop_at_consent) or \
                        self.first_launch.off_guard(r.fid, site) is not None:
                    continue
                yield r, site, st

    def hops(self, r: Reached) -> list[Reached]:
        """The path that reached `r`, from its entry point (first) to `r` (last)."""
        out: list[Reached] = []
        cur: Reached | None = r
        while cur is not None:
            out.append(cur)
            cur = self._states.get(cur.prev_state) if cur.prev_state is not None else None
        return out[::-1]

    def trace(self, r: Reached, site: Site | None = None, site_note: str = "") -> tuple[TraceStep, ...]:
        """Entry point first; one step per call hop; the collecting site last."""
        hops = self.hops(r)
        steps = [TraceStep(r.entry.path, r.entry.line, str(r.entry.note))]
        for h in hops[1:]:
            assert h.via is not None
            fs = self.index.files[h.via.file]
            steps.append(TraceStep(fs.path, h.via.line,
                                   f"calls `{self.index.describe(h.fid)}`{HOW_NOTES.get(h.via.how, '')}"))
        if site is not None:
            fs = self.index.files[r.fid.file]
            steps.append(TraceStep(fs.path, site.line, site_note or f"`{site.qualified}`"))
        return tuple(steps)
