"""Entry points that run before consent, and what they reach.

`PreConsent` walks the call graph breadth first from every entry point, following only calls that are
neither gated by consent, nor deferred to a user action, nor guarded by a condition that is false on first
launch (`model/conditions.py`), and keeps the first (shortest) path to each
function so that every finding can show the hops from the entry point to the collecting call.
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Callable, Iterator
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
    "sink": " (log sink installed here: every log line of the app reaches it from now on)",
    "answered": " (permission result: the framework calls it when the user answers the permission dialog)",
    "injected": " (injected: the DI container builds it here)",
    "provided": " (injected through this provider)",
    "injected-any": " (injected: binding not resolved, every project implementation assumed)",
    "located": " (service locator: built when first asked for; every project implementation assumed)",
}


# Edges along which the framework, not the app's code, runs the callee (a component start, a registered
# observer, a fragment's lifecycle): the callee is where the app's own code starts again, like an entry point.
DISPATCH = frozenset({"component", "fragment", "callback", "sink", "answered"})


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


@dataclass(frozen=True, slots=True)
class EntryCall:
    """A call in pre-consent entry code that leads into a helper: the line to move behind consent.

    `caller` is the function the framework runs (an entry point, or a function reached through framework
    dispatch, see DISPATCH); `edges` are the calls from it to the function that collects, the entry call
    first (its shortest chain)."""

    caller: Reached
    edges: tuple[Edge, ...]

    @property
    def edge(self) -> Edge:
        return self.edges[0]

    @property
    def key(self) -> tuple[int, int]:
        """The line to move (file, line): one call reached for several running classes, or two calls on one
        line that start the same thing (`startActivity(Intent(this, X::class.java))`), are one entry call."""
        return self.edges[0].file, self.edges[0].line


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
        self._callers: dict[tuple[FnId, str | None], list[tuple[tuple[FnId, str | None], Edge]]] | None = None
        self._framework: set[tuple[FnId, str | None]] = set()
        self._direct: set[tuple[FnId, str | None]] = set()
        self._by_fid: dict[FnId, list[tuple[FnId, str | None]]] = defaultdict(list)
        self._entry_calls: dict[FnId, list[EntryCall]] = {}

    def _walk(self) -> None:
        queue: deque[tuple[FnId, str | None]] = deque()
        states, reached = self._states, self.reached
        for e in self.entries:
            state = (e.fid, e.this_cls)
            if state not in states:
                r = Reached(e.fid, e, None, (), e.this_cls)
                states[state] = r
                reached.setdefault(e.fid, r)
                queue.append(state)
        edges_in, site_state, closed = self.index.edges_in, self.consent.state, self._closed
        while queue:
            state = queue.popleft()
            fid, this_cls = state
            here = states[state]
            for edge in edges_in(fid, this_cls):
                callee_cls = this_cls if edge.this_cls == SAME else edge.this_cls
                target = (edge.target, callee_cls)
                if target in states:
                    continue
                notes = here.notes
                site = edge.site
                if site is not None:
                    st = site_state(site)
                    if closed(fid, site, st):
                        continue
                    notes = notes + st.notes
                r = Reached(edge.target, here.entry, edge, notes, callee_cls, state)
                states[target] = r
                reached.setdefault(edge.target, r)
                queue.append(target)

    def _closed(self, fid: FnId, site: Site, st: SiteState) -> bool:
        """The site does not run before consent: a user action, (when the walk stops there) consent-gated, or
        behind a guard that is false on first launch."""
        return st.user_action or (st.gated and self.stop_at_consent) or \
            self.first_launch.off_guard(fid, site) is not None

    def functions(self) -> Iterator[Reached]:
        yield from self.reached.values()

    def open_sites(self, want: Callable[[FnId, Site], bool] | None = None) \
            -> Iterator[tuple[Reached, Site, SiteState]]:
        """Every site in a pre-consent function that itself runs before consent; with `want`, only the sites it
        accepts, tested first (a rule after catalogued calls asks for sites of their names: the consent state and
        first-launch guards of the others are never computed)."""
        for r in self.reached.values():
            for site in self.index.sites_of(r.fid):
                if want is not None and not want(r.fid, site):
                    continue
                st = self.consent.state(site)
                if self._closed(r.fid, site, st):
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

    def _graph(self) -> None:
        """The walked graph reversed (callee state -> [(caller state, edge)], open calls only), the entry code
        (`_framework`: the entry points' functions, with the overrides that inherited entry code calls on `this`
        — `BaseActivity.onCreate` run for the launcher calls the launcher's `initSettings()` — and the
        superclass's method an entry override chains to, `super.onCreate()` into an app base class), and the
        code the framework runs (`_direct`: that, and likewise what open DISPATCH edges start)."""
        callers: dict[tuple[FnId, str | None], list[tuple[tuple[FnId, str | None], Edge]]] = defaultdict(list)
        framework = {(e.fid, e.this_cls) for e in self.entries}
        dispatched: set[tuple[FnId, str | None]] = set()
        answered: set[tuple[FnId, str | None]] = set()
        template: list[tuple[tuple[FnId, str | None], tuple[FnId, str | None]]] = []
        for state in self._states:
            fid, this_cls = state
            self._by_fid[fid].append(state)
            for edge in self.index.edges_in(fid, this_cls):
                if edge.site is not None and self._closed(fid, edge.site, self.consent.state(edge.site)):
                    continue
                target = (edge.target, this_cls if edge.this_cls == SAME else edge.this_cls)
                if target not in self._states:
                    continue
                callers[target].append((state, edge))
                if edge.how in DISPATCH:
                    dispatched.add(target)
                if edge.how == "answered":  # the user's answer to a permission dialog starts it: its calls are
                    answered.add(target)    # the lines to move, not the request

                elif edge.this_cls == SAME and (self._overrides(fid, edge.target) or self._chains_up(fid, edge)):
                    template.append((state, target))
        self._callers = callers
        self._framework = self._with_templates(framework | answered, template)
        self._direct = self._with_templates(framework | dispatched, template)

    @staticmethod
    def _with_templates(states: set[tuple[FnId, str | None]],
                        template: list[tuple[tuple[FnId, str | None], tuple[FnId, str | None]]]) \
            -> set[tuple[FnId, str | None]]:
        out = set(states)
        grown = True
        while grown:
            grown = False
            for state, target in template:
                if state in out and target not in out:
                    out.add(target)
                    grown = True
        return out

    def _chains_up(self, caller: FnId, edge: Edge) -> bool:
        """`super.onCreate()` in `onCreate`: the superclass's version of the method the framework runs."""
        return edge.site is not None and edge.site.receiver == "super" and \
            self.index.function(edge.target).name == self.index.function(caller).name

    def _overrides(self, caller: FnId, callee: FnId) -> bool:
        """`callee` is declared in a subclass of `caller`'s class (a template method's override)."""
        base, sub = self.index.function(caller).owner, self.index.function(callee).owner
        return sub != base and self.index.is_subtype(sub, base)

    def entry_calls(self, fid: FnId) -> list[EntryCall]:
        """Every call in an entry point's code that leads to `fid` along open calls (through framework dispatch
        too: the `startActivity(...)` that starts a screen whose helper collects), each with its shortest chain;
        empty when `fid` is code the framework runs itself — an entry point's, or what an open DISPATCH edge
        starts (a started activity's `onCreate`): its collecting calls are the lines to move."""
        if fid in self._entry_calls:
            return self._entry_calls[fid]
        if self._callers is None:
            self._graph()
        assert self._callers is not None
        starts = self._by_fid.get(fid, [])
        out: dict[tuple[int, int], EntryCall] = {}
        if not any(s in self._direct for s in starts):
            # Breadth first backwards: `toward` holds, per state, the call by which it leads to `fid`.
            toward: dict[tuple[FnId, str | None], tuple[Edge, tuple[FnId, str | None]] | None] = \
                {s: None for s in starts}
            queue = deque(starts)
            while queue:
                state = queue.popleft()
                for caller, edge in self._callers.get(state, ()):
                    if caller in self._framework:
                        edges = [edge]
                        step = toward[state]
                        while step is not None:
                            edges.append(step[0])
                            step = toward[step[1]]
                        call = EntryCall(self._states[caller], tuple(edges))
                        out.setdefault(call.key, call)
                    elif caller not in toward:
                        toward[caller] = (edge, state)
                        queue.append(caller)
        self._entry_calls[fid] = list(out.values())
        return self._entry_calls[fid]

    def call_trace(self, call: EntryCall, fid: FnId, site: Site, site_note: str) -> tuple[TraceStep, ...]:
        """The path through an entry call: to the function that makes it (`trace`), then each call of its
        chain, the collecting site last."""
        steps = list(self.trace(call.caller))
        for edge in call.edges:
            fs = self.index.files[edge.file]
            steps.append(TraceStep(fs.path, edge.line,
                                   f"calls `{self.index.describe(edge.target)}`{HOW_NOTES.get(edge.how, '')}"))
        steps.append(TraceStep(self.index.files[fid.file].path, site.line, site_note))
        return tuple(steps)
