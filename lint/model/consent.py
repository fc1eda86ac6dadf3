"""The consent model: which conditions read the user's answer to the privacy dialog, and which
callbacks run only after a user action or after the user agreed.

A consent predicate is recognised three ways: configured names (`consent.predicates`), project
functions whose name or body reads a stored agreement (SharedPreferences / MMKV / DataStore keys such
as `privacy_agreed`), and identifiers or keys in the condition itself. Guards that are not consent
(process checks, `BuildConfig.DEBUG`, `savedInstanceState == null`, delays) never match.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from pipl_lint.i18n import Msg
from pipl_lint.model.index import FnId, ProgramIndex
from pipl_lint.model.summary import Atom, Deferred, Guard, Site

CONSENT_WORD = re.compile(
    r"(?<!dis)(?<!not)(?<!un)(agree|consent|privacy|policy|protocol|accept|gdpr|"
    r"(?<!不)同意|隐私|协议|授权)", re.IGNORECASE)
AGREE_WORD = re.compile(r"(?<!dis)(?<!not)(?<!un)(agree|accept|consent|(?<!不)同意|grant(?!ed?Permission))",
                        re.IGNORECASE)
REFUSE_WORD = re.compile(r"disagree|refuse|reject|decline|deny|不同意|拒绝", re.IGNORECASE)
PREFS_READS = frozenset({"getBoolean", "decodeBool", "getInt", "getString", "getLong", "contains",
                         "decodeInt", "decodeString", "getBool", "get", "first", "data"})
USER_CALL = re.compile(
    r"^((set|add)On\w*Listener|set(Positive|Negative|Neutral)Button|clickable|combinedClickable|"
    r"onClick|registerForActivityResult|rememberLauncherForActivityResult|setOnClickListener|"
    r"doOn\w*(Click|Text)\w*|setOnPreferenceClickListener|IconButton|TextButton|Button|OutlinedButton|"
    r"setItems|setSingleChoiceItems|setMultiChoiceItems|setAction)$")
USER_LABEL = re.compile(
    r"^on(Click|LongClick|DoubleClick|Agree|Accept|Confirm|Consent|Positive|Negative|Dismiss\w*|"
    r"Checked\w*|Check\w*|Select\w*|Item\w*Click|Value\w*|Tap|Press\w*|Allow|Deny|Disagree|Reject|"
    r"Cancel|Ok|Yes|No|Submit|Touch|MenuItemClick|PreferenceClick|Navigation\w*|EditorAction|Key)\w*$")


def is_user_deferred(d: Deferred) -> bool:
    return bool(USER_CALL.match(d.call) or USER_LABEL.match(d.label))


def is_agree_deferred(d: Deferred) -> bool:
    """A callback that runs when the user agrees (`onAgree`, `btnAgree.setOnClickListener`, 同意)."""
    for text in (d.call, d.receiver, d.label, d.supertype):
        if text and AGREE_WORD.search(text) and not REFUSE_WORD.search(text):
            return True
    return False


@dataclass(frozen=True, slots=True)
class SiteState:
    """How a site relates to consent at the point where it is written."""

    gated: bool  # dominated by a true consent predicate, or inside an agree callback
    user_action: bool  # inside a click/selection callback: runs on a user action, not by itself (nor ever
    #                    in shipped builds: code only for debug builds, see ConsentModel.flags_off)
    notes: tuple[Msg, ...]  # why it is still open: non-consent guards, delays, threads ...
    refused_branch: bool  # inside a branch where consent is known to be false


class ConsentModel:
    def __init__(self, index: ProgramIndex, predicates: Iterable[str] = (),
                 flags_off: frozenset[str] = frozenset({"DEBUG"})) -> None:
        self.index = index
        # `BuildConfig` booleans false in every shipped build (DEBUG, buildConfigFields such as LOG_DEBUG): code
        # that runs only when one is true is not in the app users get.
        self.flags_off = flags_off
        self.configured = {p.strip() for p in predicates if p.strip()}
        self.configured_simple = {p.rsplit(".", 1)[-1] for p in self.configured}
        self._predicate_functions: set[str] | None = None
        self._states: dict[int, tuple[Site, SiteState]] = {}

    # --- predicates -------------------------------------------------------------------------------------
    def predicate_functions(self) -> set[str]:
        """Names of project functions that read a stored agreement (or are named like it)."""
        if self._predicate_functions is None:
            names: set[str] = set()
            for fid in self.index.all_functions():
                fn = self.index.function(fid)
                if fn.name.startswith("<"):
                    continue
                plain = fn.name[4:] if fn.name.startswith("get:") else fn.name
                if self.reads_agreement(fid) or (CONSENT_WORD.search(plain) and _looks_boolean(plain)):
                    names.add(plain)
            self._predicate_functions = names
        return self._predicate_functions

    def reads_agreement(self, fid: FnId) -> bool:
        for site in self.index.sites_of(fid):
            if site.name in PREFS_READS or site.name.startswith(("decode", "get")):
                for arg in site.args:
                    if any(CONSENT_WORD.search(s) for s in arg.strings):
                        return True
                    if any(CONSENT_WORD.search(r) and r[:1].isupper() and not _resource_id(r) for r in arg.refs):
                        return True  # a key constant such as KEY_PRIVACY_AGREED
        return False

    def atom_is_consent(self, atom: Atom) -> bool:
        for call in atom.calls:
            simple = call.rsplit(".", 1)[-1]
            if call in self.configured or simple in self.configured_simple:
                return True
            if simple in self.predicate_functions():
                return True
            if simple in PREFS_READS and any(CONSENT_WORD.search(s) for s in atom.strings):
                return True
        if atom.text in self.configured:
            return True
        for name in atom.names:
            if name in self.configured_simple or (CONSENT_WORD.search(name) and not name[:1].isupper()
                                                   and name not in ("policy",)):
                return True
            if name in self.predicate_functions():
                return True
        return any(CONSENT_WORD.search(s) for s in atom.strings) and bool(atom.calls)

    def _debug_only(self, guard: Guard) -> bool:
        """The guarded code runs only when a BuildConfig flag that shipped builds have off is on."""
        for atom in guard.atoms:
            head, _, flag = atom.text.strip().rpartition(".")
            if atom.positive and flag in self.flags_off and (head == "BuildConfig" or head.endswith(".BuildConfig")):
                return True
        return False

    def guard_state(self, guard: Guard) -> int:
        """+1 when the guard proves consent was given, -1 when it proves it was not, 0 otherwise."""
        for atom in guard.atoms:
            if self.atom_is_consent(atom):
                return 1 if atom.positive else -1
        return 0

    # --- sites ------------------------------------------------------------------------------------------
    def state(self, site: Site) -> SiteState:
        """How `site` relates to consent (memoised: every rule asks about the same sites)."""
        key = id(site)
        cached = self._states.get(key)
        if cached is None or cached[0] is not site:
            cached = (site, self._state(site))
            self._states[key] = cached
        return cached[1]

    def _state(self, site: Site) -> SiteState:
        notes: list[Msg] = []
        user = False
        for d in site.deferred:
            if is_agree_deferred(d):
                # Runs when the user agrees, whatever held where the callback was registered.
                return SiteState(True, False, (), False)
            if is_user_deferred(d):
                user = True
            elif d.call:
                notes.append(_continuation_note(d))
        if any(self._debug_only(g) for g in site.guards):
            return SiteState(False, True, (), False)
        gated = False
        refused = False
        for g in site.guards:
            s = self.guard_state(g)
            if s > 0:
                gated = True
            elif s < 0:
                refused = True
            elif g.atoms and any(_meaningful(a) for a in g.atoms):
                notes.insert(0, Msg(f"`{_short(g)}` (line {g.line}) is not a consent check",
                                    f"`{_short(g)}`（第 {g.line} 行）不是同意检查"))
        return SiteState(gated and not refused, user, tuple(notes), refused)


def _resource_id(ref: str) -> bool:
    """`R.string.privacy_policy_url`, `android.R.id.x`: a resource id, not a stored key."""
    return ref.startswith("R.") or ".R." in ref


def _looks_boolean(name: str) -> bool:
    return name.startswith(("is", "has", "can", "should", "did", "was", "get", "check", "user")) or \
        name.endswith(("ed", "Agreed", "Accepted", "Granted", "Given"))


def _meaningful(atom: Atom) -> bool:
    """Worth naming in a message: a call or flag, not a null check or instance-state test."""
    return "null" not in atom.text and "savedInstanceState" not in atom.text and bool(atom.calls or atom.names)


def _short(g: Guard) -> str:
    def show(a: Atom) -> str:
        if a.positive:
            return a.text
        return f"!({a.text})" if " " in a.text else f"!{a.text}"

    text = " && ".join(show(a) for a in g.atoms)
    return text if len(text) <= 60 else text[:57] + "..."


def _continuation_note(d: Deferred) -> Msg:
    target = f"{d.receiver}.{d.call}" if d.receiver else d.call
    if d.call in ("postDelayed", "sendEmptyMessageDelayed", "schedule", "delay", "postAtTime"):
        return Msg(f"runs later through `{target}` (a delay is not consent)",
                   f"经 `{target}` 延后运行（延迟不等于同意）")
    return Msg(f"runs through `{target}`", f"经 `{target}` 运行")
