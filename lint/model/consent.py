"""The consent model: which conditions read the user's answer to the privacy dialog, and which
callbacks run only after a user action or after the user agreed.

A consent predicate is recognised three ways: configured names (`consent.predicates`), project
functions that return or branch on a stored agreement (SharedPreferences / MMKV / DataStore keys such
as `privacy_agreed`, written directly or through a constant: `SpKey.PRIVACY`, a Kotlin `const val`, a
Java `static final`, an enum or object property, resolved through the constants the index records) or
are named like one, and identifiers or keys in the condition itself. A function that only writes the
key (the agree callback) or reads it inside a click listener is not a predicate, whatever its name
(`isPrivacyAgreed()` that stores the answer is the agree callback).

A first-run flag (`isFirstIn`, `first_launch`) counts as consent when the project shows the privacy
dialog in the first-run branch of a condition on that flag: the other branch runs after the user
answered. Guards that are not consent (process checks, `BuildConfig.DEBUG`, `savedInstanceState == null`,
delays) never match, nor does a consent-named switch read with the default `true` where the guarded code needs it
to hold (`if (prefs.getBoolean("analytics_consent", true))`, or a check whose consent reads all default to `true`):
it holds before anybody answered, an opt-out (`on_by_default`).

Code in a lambda handed to a project function that runs it only behind a consent check (`inline fun
analyticsSafe(block: () -> Unit) { if (agreed()) block() }`) is gated: every project function the call resolves
to must invoke the lambda's parameter (the labelled one, else every function-typed one), each invocation gated
(`_runs_under_consent`). A wrapper that also runs the lambda outside the check, only passes it on, or stores it,
does not gate it.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from pipl_lint.i18n import Msg
from pipl_lint.model.index import FnId, ProgramIndex
from pipl_lint.model.summary import Arg, Atom, Deferred, Guard, Site

CONSENT_WORD = re.compile(
    r"(?<!dis)(?<!not)(?<!un)(agree|consent|privacy|policy|protocol|accept|gdpr|"
    r"(?<!不)同意|隐私|协议|授权)", re.IGNORECASE)
# `agreement` names the document (`userAgreementTV`, `onAgreement` opening the terms), not the user agreeing.
AGREE_WORD = re.compile(r"(?<!dis)(?<!not)(?<!un)(?<!no)(?<!not_)(?<!no_)(agree(?!ment)|accept|consent|(?<!不)同意|"
                        r"grant(?!ed?Permission))", re.IGNORECASE)
REFUSE_WORD = re.compile(r"disagree|refuse|reject|decline|deny|(no|not|un)_?agree(?!ment)|不同意|拒绝", re.IGNORECASE)
# A consent management platform's check of its stored answer (Google UMP: `ConsentInformation.canRequestAds()`).
CMP_PREDICATES = frozenset({"canRequestAds"})
# A test that the stored answer is absent (`TextUtils.isEmpty(saved)`, `saved.isNullOrEmpty()`, `saved == null`,
# a stored number still at zero: `prefs.getInt(KEY_PRIVACY, 0) == 0`, 1 being the answer): it holds before the user
# has answered.
ABSENT = re.compile(r"\b(isEmpty|isNullOrEmpty|isBlank|isNullOrBlank)\s*\(|==\s*null\b|\bnull\s*==|"
                    r"==\s*0[lL]?(?![\w.])|(?<![\w.])0[lL]?\s*==")
PREFS_READS = frozenset({"getBoolean", "decodeBool", "getInt", "getString", "getLong", "contains",
                         "decodeInt", "decodeString", "getBool", "get", "first", "data"})
# Getters that take a file, class or resource name rather than a stored key.
NOT_KEY_READS = frozenset({"getSharedPreferences", "getDefaultSharedPreferences", "getInstance", "getSystemService",
                           "getApplicationContext", "getResources", "getIdentifier", "getPackageInfo",
                           "getApplicationInfo", "getText", "getQuantityString"})
KEY_WRITES = re.compile(r"^(put|encode|set|save|store|write|remove)[A-Z]?\w*$")
# Functions named like these act on the agreement (agree callbacks, setters, dialogs), they do not test it.
ACTION_NAME = re.compile(r"^(set|save|put|store|write|update|mark|record|on|handle|show|clear|reset|revoke|"
                         r"withdraw|do|agree|accept|init|start|open|request)(?![a-z])")
# Consent-sounding functions that test the UI, not the stored answer (`isPrivacyDialogShowing`, `getPolicyUrl`).
UI_NAME = re.compile(r"Dialog|Show(?!n)|Hint|Visible|Url|Link|Text|Page|View|Layout|Version", re.IGNORECASE)
FIRST_RUN = re.compile(r"first([\W_]*(in|launch|launched|run|open|opened|start|started|time|enter|use|boot|"
                       r"install|login|show|app|flag|key|guide|v?\d+))*$|首次|第一次", re.IGNORECASE)
# What the first-run branch shows when it is the privacy dialog (call, class, route or string names).
SHOWS_CONSENT = re.compile(r"(?<!dis)(agree|consent|privacy|policy|protocol|terms|隐私|协议|政策|条款)", re.IGNORECASE)
USER_CALL = re.compile(
    r"^((set|add)On\w*Listener|set(Positive|Negative|Neutral)Button|clickable|combinedClickable|"
    r"set(Positive|Negative|Neutral|Confirm|Cancel|Agree|Disagree|Refuse|Ok|Sure)(Btn|Button|Click\w*|Listener)?|"
    r"onClick|registerForActivityResult|rememberLauncherForActivityResult|rememberPermissionState|"
    r"rememberMultiplePermissionsState|setOnClickListener|"
    r"doOn\w*(Click|Text)\w*|setOnPreferenceClickListener|IconButton|TextButton|Button|OutlinedButton|"
    r"setItems|setSingleChoiceItems|setMultiChoiceItems|setAction)$")
USER_LABEL = re.compile(
    r"^on(Click|LongClick|DoubleClick|Agree|Accept|Confirm|Consent|Positive|Negative|Dismiss\w*|"
    r"Checked\w*|Check\w*|Select\w*|Item\w*Click|Value\w*|Tap|Press\w*|Allow|Deny|Disagree|Reject|"
    r"Cancel|Ok|Yes|No|Submit|Touch|MenuItemClick|PreferenceClick|Navigat\w*|EditorAction|Key|Declin\w*|"
    r"Refus\w*|Agreed|Accepted|Request\w*)\w*$|"
    r"^\w*(Click|Clicked|Tap|Tapped|Press|Pressed)$|^(agree|disagree|accept|decline|refuse|reject)\w*$")


# The answers of a dialog's own callback (`Callback { void yes(); void no(); }`, `onConfirm = { }`): the user's tap.
ANSWER_LABEL = re.compile(r"^(on)?(yes|no|ok|okay|cancel|confirm|sure|positive|negative)(click(ed)?)?$",
                          re.IGNORECASE)
YES_LABEL = re.compile(r"^(on)?(yes|ok|okay|confirm|sure|positive)(click(ed)?)?$", re.IGNORECASE)
NO_LABEL = re.compile(r"^(on)?(no|cancel|negative)(click(ed)?)?$", re.IGNORECASE)


# Navigation-graph destinations (`composable(route) { … }`): their content runs when something navigates there.
NAV_DESTINATIONS = frozenset({"composable", "dialog", "bottomSheet"})
NAV_HOSTS = frozenset({"NavHost", "navigation", "createGraph", "NavGraph", "AnimatedNavHost"})


# Lambdas that run only when the code before them threw (`runCatching { … }.getOrElse { … }`, `.onFailure`,
# Flow `.catch`, Rx `onErrorReturn`, `CompletableFuture.exceptionally`): not the first launch's normal path.
FAILURE_HANDLERS = frozenset({"getOrElse", "onFailure", "recover", "recoverCatching", "getOrDefault", "catch",
                              "onErrorReturn", "onErrorResumeNext", "onErrorReturnItem", "doOnError",
                              "exceptionally"})


# Handlers the runtime calls only when the app crashes (`Thread.setDefaultUncaughtExceptionHandler { t, e -> … }`).
CRASH_HANDLERS = frozenset({"setDefaultUncaughtExceptionHandler", "setUncaughtExceptionHandler"})


def is_failure_handler(d: Deferred) -> bool:
    return (d.kind == "lambda" and d.call in FAILURE_HANDLERS) or d.call in CRASH_HANDLERS


def is_event_callback_reference(d: Deferred) -> bool:
    """`SplashApp(onNext = this::exit)`: a function reference handed as an `on…` callback runs when that event
    happens (the user agrees, a screen finishes), not where it is handed over."""
    return d.kind == "reference" and d.label.startswith("on") and d.label[2:3].isupper()


def is_page_script_call(d: Deferred) -> bool:
    """Code handed to `addJavascriptInterface` (in the bridge object, or a lambda its constructor gets): it runs
    when the page's script calls the bridge (a share or pay button in an article), not by itself at start."""
    return d.call == "addJavascriptInterface"


# Listeners named like UI listeners that a task, a media player or the layout calls, not the user.
NOT_USER_CALLS = frozenset({"addOnSuccessListener", "addOnCompleteListener", "addOnFailureListener",
                            "addOnCanceledListener", "setOnPreparedListener", "setOnCompletionListener",
                            "setOnErrorListener", "setOnInfoListener", "addOnGlobalLayoutListener",
                            "addOnPreDrawListener", "addOnLayoutChangeListener", "addOnAttachStateChangeListener",
                            "setOnApplyWindowInsetsListener"})


def is_user_deferred(d: Deferred) -> bool:
    return d.call not in NOT_USER_CALLS and bool(USER_CALL.match(d.call) or USER_LABEL.match(d.label) or
                                                 (d.kind != "reference" and ANSWER_LABEL.match(d.label)))


def is_agree_deferred(d: Deferred) -> bool:
    """A callback that runs when the user agrees (`onAgree`, `btnAgree.setOnClickListener`, 同意), or the "yes" of
    a callback handed to the consent UI (`privacyPopup.setCallback(new PrivacyPopup.Callback() { void yes() … })`,
    `PolicyDialog(onConfirm = { … })`)."""
    for text in (d.call, d.receiver, d.label, d.supertype):
        if text and AGREE_WORD.search(text) and not REFUSE_WORD.search(text):
            return True
    return bool(YES_LABEL.match(d.label)) and _handed_to_consent_ui(d)


def is_refuse_answer(d: Deferred) -> bool:
    """The "no" of a callback handed to the consent UI (`PrivacyPopup.Callback { void no() }`)."""
    return bool(NO_LABEL.match(d.label)) and _handed_to_consent_ui(d)


def _handed_to_consent_ui(d: Deferred) -> bool:
    return d.kind != "reference" and any(t and SHOWS_CONSENT.search(t) for t in (d.supertype, d.receiver, d.call))


@dataclass(frozen=True, slots=True)
class Note(Msg):
    """Why a site is still open before consent: a condition the code branches on that is not a consent check
    (`kind` "condition", with its `guard`), or a way of running later that is no consent either - a callback,
    a thread, a delay (`kind` "deferred"). The early-collection rules lower a finding's severity when a
    condition on its path is one first launch does not decide (`FirstLaunch.undecided`)."""

    kind: str = "condition"  # condition | deferred
    guard: Guard | None = None

    @property
    def condition(self) -> str:
        """The condition as messages show it (`prefs.locationProvider == AMAP`, `!(isMainProcess())`)."""
        return _short(self.guard) if self.guard is not None else ""


@dataclass(frozen=True, slots=True)
class SiteState:
    """How a site relates to consent at the point where it is written."""

    gated: bool  # dominated by a true consent predicate, or inside an agree callback
    user_action: bool  # inside a click/selection callback: runs on a user action, not by itself (nor ever
    #                    in shipped builds: code only for debug builds, see ConsentModel.flags_off; nor on the
    #                    normal path: a failure handler, FAILURE_HANDLERS)
    notes: tuple[Note, ...]  # why it is still open: non-consent guards, delays, threads ...
    refused_branch: bool  # inside a branch where consent is known to be false


class ConsentModel:
    def __init__(self, index: ProgramIndex, predicates: Iterable[str] = (),
                 flags_off: frozenset[str] = frozenset({"DEBUG"}), learned_keys: frozenset[str] = frozenset(),
                 consent_screens: frozenset[str] = frozenset()) -> None:
        self.index = index
        # Classes that show the privacy policy with agree/refuse actions (`consent_flow.consent_uis`), by FQN: a
        # first-run branch that adds, starts or builds one shows the policy whatever the class is named
        # (`add(R.id.container, mPermissionFragment)` with `val mPermissionFragment by lazy { PermissionFragment() }`).
        self.consent_screens = consent_screens
        # Keys the consent UI's agree action stores `true` under, whatever they are named (`IS_NEED_SERCERT_STRING`):
        # see `pipl_lint.model.consent_flow.agreed_keys`.
        self.learned_keys = learned_keys
        # `BuildConfig` booleans false in every shipped build (DEBUG, buildConfigFields such as LOG_DEBUG): code
        # that runs only when one is true is not in the app users get.
        self.flags_off = flags_off
        self.configured = {p.strip() for p in predicates if p.strip()}
        self.configured_simple = {p.rsplit(".", 1)[-1] for p in self.configured}
        self._predicate_functions: set[str] | None = None
        self._start_routes: set[str] | None = None
        self._nav_calls: dict[tuple[str, int], list[Site]] | None = None
        self._states: dict[int, tuple[Site, SiteState]] = {}
        self._constants: dict[str, list[tuple[str, ...]]] | None = None
        self._constant_cache: dict[str, tuple[str, ...]] = {}
        self._first_run_cache: dict[Atom, str] = {}
        self._first_run_flags: set[str] | None = None
        self._asks: bool | None = None
        self._keyed: set[FnId] | None = None
        self._wrappers: dict[tuple[str, int, int, int], bool] = {}
        self._wrapping: set[FnId] = set()
        self._lambda_takers: dict[str, bool] = {}

    # --- stored keys ------------------------------------------------------------------------------------
    def constant_values(self, name: str) -> tuple[str, ...]:
        """The strings a project constant holds (`SpKey.PRIVACY`, `KEY_AGREE`, `Keys.AGREED.key` → their
        literals), through chains of constants; () for anything the project does not declare (memoised)."""
        if self._constants is None:
            table: dict[str, list[tuple[str, ...]]] = {}
            for fs in self.index.files:
                for c in fs.constants:
                    table.setdefault(c.name, []).append(c.values)
            self._constants = table
        simple = name.rsplit(".", 1)[-1]
        cached = self._constant_cache.get(simple)
        if cached is not None:
            return cached
        self._constant_cache[simple] = ()  # a cycle resolves to nothing
        out: list[str] = []
        for values in self._constants.get(simple, ())[:8]:
            for v in values[:8]:
                if v != name and v.replace(".", "").replace("_", "").isalnum() and v[:1].isupper():
                    out += self.constant_values(v) or [v]
                else:
                    out.append(v)
        found = tuple(dict.fromkeys(out))[:16]
        self._constant_cache[simple] = found
        return found

    def key_texts(self, strings: Iterable[str], refs: Iterable[str]) -> list[str]:
        """What a stored-key argument says: its literals, the constant names it reads (`SpKey.PRIVACY` →
        `PRIVACY`, `Keys.AGREED.key` → `AGREED`) and the values of the constants it reads."""
        out = list(strings)
        for ref in refs:
            if _resource_id(ref):
                continue
            parts = ref.split(".")
            for part in dict.fromkeys([p for p in parts if _constant_like(p)] + parts[-1:]):
                if _constant_like(part):
                    out.append(part)
                out += self.constant_values(part)
        return out

    def is_consent_key(self, texts: Iterable[str]) -> bool:
        return any(CONSENT_WORD.search(t) or t in self.learned_keys for t in texts)

    # --- predicates -------------------------------------------------------------------------------------
    def predicate_functions(self) -> set[str]:
        """Names of project functions that read a stored agreement (or are named like it)."""
        if self._predicate_functions is None:
            names: set[str] = set()
            keyed = self._keyed_functions()
            for fid in self.index.all_functions():
                fn = self.index.function(fid)
                if fn.name.startswith("<"):
                    continue
                plain = fn.name[4:] if fn.name.startswith("get:") else fn.name
                if ACTION_NAME.match(plain):
                    continue
                if fid in keyed and self.reads_agreement(fid):
                    names.add(plain)
                elif CONSENT_WORD.search(plain) and _looks_boolean(plain) and not UI_NAME.search(plain) \
                        and not (fid in keyed and self._uses_consent_key(fid)):
                    names.add(plain)  # named like a check, and not an agree callback that writes the key
            self._predicate_functions = names
        return self._predicate_functions

    def asks_for_consent(self) -> bool:
        """The app asks at all: some code reads a stored agreement, or a consent check is configured. An app that
        never asks has no order in which signing in follows the policy, and nobody ever agrees in it."""
        if self._asks is None:
            keyed = self._keyed_functions()
            self._asks = bool(self.configured or self.predicate_functions()) or \
                any(self.reads_agreement(fid) for fid in self.index.all_functions() if fid in keyed)
        return self._asks

    def _keyed_functions(self) -> set[FnId]:
        """Functions with a call that reads or writes a stored value by key: `reads_agreement` and
        `_uses_consent_key` are false for every other function."""
        if self._keyed is None:
            by_name = self.index.by_site_name
            self._keyed = {fid for name in by_name if _keyed(name) for fid, site in by_name[name]
                           if site.kind == "call" and site.args}
        return self._keyed

    def reads_agreement(self, fid: FnId) -> bool:
        """The function returns or branches on a stored agreement: it reads a consent key where it runs
        (not inside a click listener it registers) and does not write one (that is the agree callback)."""
        reads = False
        for site in self.index.sites_of(fid):
            if not site.args or site.kind != "call" or not _keyed(site.name):
                continue
            if any(is_user_deferred(d) or is_agree_deferred(d) for d in site.deferred):
                continue
            keys = self.key_texts([s for a in site.args for s in a.strings], [r for a in site.args for r in a.refs])
            if not self.is_consent_key(keys):
                continue
            if KEY_WRITES.match(site.name):
                return False
            if key_read(site.name):
                reads = True
        return reads

    def _uses_consent_key(self, fid: FnId) -> bool:
        """The function reads or writes a consent key somewhere (also inside listeners it registers)."""
        for site in self.index.sites_of(fid):
            if site.kind != "call" or not site.args or not _keyed(site.name):
                continue
            keys = self.key_texts([s for a in site.args for s in a.strings], [r for a in site.args for r in a.refs])
            if self.is_consent_key(keys):
                return True
        return False

    def atom_is_consent(self, atom: Atom) -> bool:
        for call in atom.calls:
            simple = call.rsplit(".", 1)[-1].lstrip("!")
            if simple in CMP_PREDICATES:
                return True  # `consentInformation.canRequestAds()`: the consent form's answer
            if call in self.configured or simple in self.configured_simple:
                return True
            if simple in self.predicate_functions():
                return True
            if key_read(simple) and self.is_consent_key(self.key_texts(atom.strings, _constant_names(atom))):
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

    def on_by_default(self, atom: Atom, line: int) -> bool:
        """A condition the guarded code needs that reads a stored switch with the default `true`
        (`prefs.getBoolean(ANALYTICS_CONSENT, true)` on line `line`, or a project check whose every consent read
        is one: `fun hasConsent() = prefs.getBoolean(KEY_CONSENT, true)`): nothing is stored on first launch, so it
        holds before anybody answered - an opt-out switch, whatever its key is named, not consent."""
        if not atom.positive:
            return False
        text = atom.text.strip()
        for call in atom.calls:
            if not is_whole_call(text, call):
                continue
            simple = call.rsplit(".", 1)[-1]
            sites = [s for _f, s in self.index.by_site_name.get(simple, ()) if s.line == line and s.qualified == call
                     and s.kind == "call"]
            if sites and all(reads_true_default(s) for s in sites):
                return True
            if not sites or simple not in self.predicate_functions():
                continue
            fids = self.index.by_name.get(simple, ())
            if fids and len(fids) <= 4 and all(self._defaults_true(f) for f in fids):
                return True
        return False

    def _defaults_true(self, fid: FnId) -> bool:
        """Every consent key the project check reads, it reads with the default `true` (and it reads one)."""
        reads = [s for s in self.index.sites_of(fid) if s.kind == "call" and s.args and key_read(s.name) and
                 self.is_consent_key(self.key_texts([x for a in s.args for x in a.strings],
                                                    [r for a in s.args for r in a.refs]))]
        params = self.index.function(fid).params
        return bool(reads) and all(reads_true_default(s) and key_argument(s.args[:-1]).text.strip() not in params
                                   for s in reads)

    def guard_state(self, guard: Guard) -> int:
        """+1 when the guard proves consent was given, -1 when it proves it was not, 0 otherwise (also for a
        consent-named switch that is on by default: `on_by_default`)."""
        for atom in guard.atoms:
            if self.atom_is_consent(atom) and not self.on_by_default(atom, guard.line):
                holds = atom.positive != bool(ABSENT.search(atom.text))  # `isEmpty(saved)` holds without an answer
                return 1 if holds else -1
            flag = self.first_run_flag(atom)
            if flag and flag in self.first_run_flags():
                return -1 if atom.positive else 1  # the first-run branch is the one without an answer yet
        return 0

    # --- first-run flags ---------------------------------------------------------------------------------
    def first_run_flag(self, atom: Atom) -> str:
        """The first-run flag an atom tests, lower-cased (`isFirstIn`, the key `first_launch`), or ""."""
        found = self._first_run_cache.get(atom)
        if found is None:
            found = self._first_run_flag(atom)
            self._first_run_cache[atom] = found
        return found

    def _first_run_flag(self, atom: Atom) -> str:
        for call in atom.calls:
            simple = call.rsplit(".", 1)[-1].lstrip("!")
            if key_read(simple):
                for key in self.key_texts(atom.strings, _constant_names(atom)):
                    if FIRST_RUN.search(key) and not CONSENT_WORD.search(key):
                        return key.lower()
        for name in (*atom.names, *(c.rsplit(".", 1)[-1].lstrip("!") for c in atom.calls)):
            if name[:1].islower() and FIRST_RUN.search(name) and not key_read(name):
                return name.lower()
        return ""

    def _builds_consent_screen(self, fid: FnId, site: Site) -> bool:
        """The site builds, starts or adds a consent screen: `PermissionFragment()`, `add(id, mPermissionFragment)`
        (a property of that type), `Intent(this, PermissionActivity::class.java)`."""
        owner = self.index.function(fid).owner
        names = [site.name] if site.kind == "new" or site.name[:1].isupper() else []
        for a in site.args:
            for ref in a.refs:
                if "::class" in ref or ref.endswith(".class"):
                    names.append(ref.split("::", 1)[0].removesuffix(".class"))
                elif ref.isidentifier():
                    declared = self.index.declared_type(fid, ref)
                    if declared:
                        names.append(declared)
        return any(self.index.resolve_type(n, fid.file, owner) in self.consent_screens for n in names if n)

    def first_run_flags(self) -> set[str]:
        """First-run flags whose first-run branch shows the privacy dialog somewhere in the project."""
        if self._first_run_flags is None:
            flags: set[str] = set()
            by_guards: dict[int, set[str]] = {}  # the sites of one block share their guards object
            for fid in self.index.all_functions():
                for site in self.index.sites_of(fid):
                    if not site.guards:
                        continue
                    found = by_guards.get(id(site.guards))
                    if found is None:
                        found = {self.first_run_flag(a) for g in site.guards for a in g.atoms if a.positive} - {""}
                        by_guards[id(site.guards)] = found
                    if found - flags and self._shows_consent(fid, site):
                        flags |= found
            self._first_run_flags = flags
        return self._first_run_flags

    def _shows_consent(self, fid: FnId, site: Site) -> bool:
        """The site opens the privacy dialog (`showPrivacyDialog()`, `PrivacyDialog(this).show()`,
        `Intent(this, AgreementActivity::class.java)`, `navigate("terms")`)."""
        if site.kind not in ("call", "new"):
            return False
        texts = [site.name, *(s for a in site.args for s in a.strings), *(r for a in site.args for r in a.refs)]
        if any(SHOWS_CONSENT.search(t) and not _resource_id(t) for t in texts):
            return True
        if self.consent_screens and self._builds_consent_screen(fid, site):
            return True
        return any(SHOWS_CONSENT.search(self.index.function(t).owner.rsplit(".", 1)[-1])
                   for t, _how in self.index.resolve(fid, site))

    # --- sites ------------------------------------------------------------------------------------------
    def start_routes(self) -> set[str]:
        """Route tokens of every `startDestination` (NavHost / nested `navigation` graphs) in the project."""
        if self._start_routes is None:
            routes: set[str] = set()
            for name in NAV_HOSTS:
                for _fid, s in self.index.by_site_name.get(name, ()):
                    start = [a for a in s.args if a.label == "startDestination"]
                    if not start and name in ("NavHost", "AnimatedNavHost") and len(s.args) > 1 and \
                            s.args[1].label is None:
                        start = [s.args[1]]  # NavHost(navController, "home") { … }
                    routes |= _tokens(start)
            self._start_routes = routes
        return self._start_routes

    def _start_destination(self, d: Deferred, site: Site) -> bool:
        """True unless the destination whose content `site` is in is known not to be a start destination
        (its route is not among the graphs' start destinations). Unknown: assumed to run at start."""
        if self._nav_calls is None:  # destination calls by (name, line), built once
            self._nav_calls = {}
            for name in NAV_DESTINATIONS:
                for _fid, call in self.index.by_site_name.get(name, ()):
                    self._nav_calls.setdefault((name, call.line), []).append(call)
        for call in self._nav_calls.get((d.call, d.line), ()):
            if call.start <= site.start and site.end <= call.end and call.args:
                route = _tokens(call.args[:1])
                return not route or bool(route & self.start_routes())
        return True

    def state(self, site: Site) -> SiteState:
        """How `site` relates to consent (memoised: every rule asks about the same sites)."""
        key = id(site)
        cached = self._states.get(key)
        if cached is None or cached[0] is not site:
            cached = (site, self._state(site))
            self._states[key] = cached
        return cached[1]

    def _state(self, site: Site) -> SiteState:
        notes: list[Note] = []
        user = False
        wrapped = False
        for d in site.deferred:
            if d.kind == "lambda" and d.call and self._runs_under_consent(d, site):
                wrapped = True
                continue
            if is_agree_deferred(d):
                # Runs when the user agrees, whatever held where the callback was registered (and on the user's
                # action when the callback is registered in a click handler: it never runs by itself).
                return SiteState(True, user, (), False)
            if is_user_deferred(d) or is_failure_handler(d) or is_page_script_call(d) or \
                    is_event_callback_reference(d) or (
                    d.kind == "lambda" and d.call in NAV_DESTINATIONS and not self._start_destination(d, site)):
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
            elif any(self.atom_is_consent(a) and self.on_by_default(a, g.line) for a in g.atoms):
                notes.insert(0, Note(f"`{_short(g)}` (line {g.line}) reads a switch that defaults to `true`: it holds "
                                     f"on first launch (an opt-out, not consent)",
                                     f"`{_short(g)}`（第 {g.line} 行）读取的开关默认为 `true`：首次启动时即成立"
                                     f"（是可退出的默认开启，不是同意）", "condition", g))
            elif g.atoms and any(_meaningful(a) for a in g.atoms):
                notes.insert(0, Note(f"`{_short(g)}` (line {g.line}) is not a consent check",
                                     f"`{_short(g)}`（第 {g.line} 行）不是同意检查", "condition", g))
        gated = gated or wrapped
        return SiteState(gated and not refused, user, tuple(notes), refused)

    def _runs_under_consent(self, d: Deferred, site: Site) -> bool:
        """A lambda handed to a project function that runs it only behind a consent check (`inline fun
        analyticsSafe(block: () -> Unit) { if (agreed()) block() }`, `Firebase.analytics.block()` after
        `if (!agreed()) return`): the lambda runs gated. Every project function the call resolves to must invoke
        the lambda's parameter (the labelled one, or else every function-typed one), and every invocation must be
        gated (in turn through such a wrapper)."""
        if not self._takes_lambdas(d.call):
            return False
        for fid, call in self.index.by_site_name.get(d.call, ()):
            if call.line != d.line or call.function != site.function or not (
                    call.start <= site.start and site.end <= call.end) or call.kind != "call":
                continue
            key = (d.call, d.line, fid.file, call.start)
            if key not in self._wrappers:
                self._wrappers[key] = False
                targets = [t for t, _how in self.index.resolve(fid, call)]
                self._wrappers[key] = bool(targets) and all(self._gates_lambda(t, d.label) for t in targets)
            return self._wrappers[key]
        return False

    def _takes_lambdas(self, name: str) -> bool:
        """Some project function named `name` has a function-typed parameter (most lambdas go to `let`, `launch`,
        `setOnClickListener`: no need to look for their call)."""
        known = self._lambda_takers.get(name)
        if known is None:
            known = any(t == "Function" or "->" in t for f in self.index.by_name.get(name, ())
                        for t in self.index.function(f).param_types)
            self._lambda_takers[name] = known
        return known

    def _gates_lambda(self, fid: FnId, label: str) -> bool:
        if fid in self._wrapping:
            return False
        fn = self.index.function(fid)
        params = [label] if label in fn.params else \
            [p for p, t in zip(fn.params, fn.param_types, strict=False) if t == "Function" or "->" in t]
        if not params:
            return False
        self._wrapping.add(fid)
        try:
            for p in params:
                calls = [s for s in self.index.sites_of(fid) if s.kind == "call" and (
                    s.name == p or (s.name == "invoke" and s.receiver == p))]
                if not calls or not all(self.state(s).gated for s in calls):
                    return False
            return True
        finally:
            self._wrapping.discard(fid)


def _tokens(args: Iterable[Arg]) -> set[str]:
    """What names a route: its string literals and the references in it (`Screen.Home.route` → also `Home`)."""
    out: set[str] = set()
    for a in args:
        out.update(a.strings)
        for ref in a.refs:
            if any(other.startswith(ref + ".") for other in a.refs):
                continue  # `Routes` of `Routes.SCAN`: the object, not the route
            parts = [p for p in ref.split(".") if p not in ("route", "name", "ROUTE")]
            out.update([ref, *parts[-1:]])
    return {t for t in out if t}


@functools.lru_cache(maxsize=1 << 16)
def _keyed(name: str) -> bool:
    """A call that writes or reads a stored value by key (memoised: the same names recur all over the code)."""
    return bool(KEY_WRITES.match(name)) or key_read(name)


def key_read(name: str) -> bool:
    """A call that reads a stored value by key (`getBoolean`, `decodeBool`, `SPUtils.get`, DataStore `first`), also
    through the app's own wrapper (`SharedPrefs.getBooleanPreference(ctx, R.string.KEY)`)."""
    return name in PREFS_READS or (name.startswith(("get", "decode")) and name not in NOT_KEY_READS
                                   and not name.endswith(("Extra", "Extras")))


def _constant_like(name: str) -> bool:
    """`PRIVACY`, `KEY_AGREE`, `SP_FIRST_IN`: a constant's (or enum entry's) name."""
    return name[:1].isupper() and name.upper() == name and any(c.isalpha() for c in name)


def _constant_names(atom: Atom) -> list[str]:
    """Constant-looking names a condition reads (`SpKey.PRIVACY` → `PRIVACY`)."""
    return [n for n in atom.names if _constant_like(n)]


def key_argument(args: Sequence[Arg]) -> Arg | None:
    """The stored key among the arguments before a keyed call's value or default: the last that names something (a
    literal or a reference), so the Context a static helper takes first is passed over (`put(ctx, KEY, v)`,
    `get(context, KEY, false)`, `saveString(mContext, "once", "0")`)."""
    return next((a for a in reversed(args) if a.strings or a.refs), None)


def is_whole_call(text: str, call: str) -> bool:
    """`text` is exactly one call of `call` - `prefs.getBoolean(K, false)`, not `prefs.getBoolean(K, false) || x`:
    after the callee the text is one balanced argument list."""
    if not text.startswith(call):
        return False
    rest = text[len(call):].strip()
    if not rest.startswith("(") or not rest.endswith(")"):
        return False
    depth = 0
    for i, ch in enumerate(rest):
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0 and i != len(rest) - 1:
                return False
    return depth == 0


def reads_true_default(site: Site) -> bool:
    """A keyed read of a stored setting whose default is `true`: `getBoolean(KEY, true)`, `decodeBool(KEY, true)`,
    the app's own helper `getBooleanPreference(ctx, KEY, true)` or `getBoolean(R.string.key, true)`. On first
    launch nothing is stored: it gives `true`."""
    if site.kind != "call" or len(site.args) < 2 or site.args[-1].text.strip() != "true" or not key_read(site.name):
        return False
    return key_argument(site.args[:-1]) is not None


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


def _continuation_note(d: Deferred) -> Note:
    target = f"{d.receiver}.{d.call}" if d.receiver else d.call
    if d.call in ("postDelayed", "sendEmptyMessageDelayed", "schedule", "delay", "postAtTime"):
        return Note(f"runs later through `{target}` (a delay is not consent)",
                    f"经 `{target}` 延后运行（延迟不等于同意）", "deferred")
    return Note(f"runs through `{target}`", f"经 `{target}` 运行", "deferred")
