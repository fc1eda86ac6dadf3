"""The consent flow as the app builds it: what runs by itself at startup (before or after consent), the
first-run consent UI (the dialog, activity or composable that shows the policy, its agree and refuse
handlers), how the app exits, who calls a function, and the texts of the resources code uses.

The consent-flow rules read it through the functions here; every result is computed once per context
(`memo`). It works on anything that looks like `pipl_lint.ruleapi.Context` (`FlowContext`). Regular
expressions run only over resource text and string literals, never over source code.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Protocol, TypeVar

from pipl_lint.i18n import Msg
from pipl_lint.model.consent import (
    AGREE_WORD,
    CONSENT_WORD,
    KEY_WRITES,
    REFUSE_WORD,
    UI_NAME,
    YES_LABEL,
    ConsentModel,
    is_agree_deferred,
    is_refuse_answer,
    is_user_deferred,
    key_argument,
)
from pipl_lint.model.index import FnId, ProgramIndex
from pipl_lint.model.reach import Entry, PreConsent, Reached
from pipl_lint.model.requests import PermissionRequest
from pipl_lint.model.resources import Resources
from pipl_lint.model.summary import Arg, Atom, Deferred, FileSummary, Site
from pipl_lint.parse.xml import XmlElement


class FlowContext(Protocol):
    """What the consent-flow model reads (`pipl_lint.ruleapi.Context` has it all)."""

    def memo(self, key: str, build: Callable[[], T]) -> T: ...

    index: ProgramIndex
    resources: Resources

    @property
    def consent(self) -> ConsentModel: ...

    @property
    def entries(self) -> list[Entry]: ...

    @property
    def pre_consent(self) -> PreConsent: ...

    @property
    def permission_requests(self) -> list[PermissionRequest]: ...

    def sites(self, *names: str) -> Iterator[tuple[FnId, Site]]: ...

    def path_of(self, fid: FnId) -> str: ...


T = TypeVar("T")

# Text of string resources and literals (not code).
# The policy itself, not any mention of privacy ("搜集用户隐私信息", "local control and privacy first").
POLICY_TEXT = re.compile(r"[隐隱]私(政策|协议|協議|条款|條款|保护|保護|权|權|声明|聲明|指引|说明|說明|设置|》)|"
                         r"《[^》]*[隐隱]私|个人信息保护|個人信息保護|privacy[\W_]*(policy|policies|notice|statement|terms|agreement|"
                         r"center|centre|settings|html?\b)", re.IGNORECASE)
AGREEMENT_TEXT = re.compile(r"隐私|隱私|协议|協議|政策|条款|同意|privacy|policy|terms|agreement|consent",
                            re.IGNORECASE)
AGREE_TEXT = re.compile(r"(?<!不)同意|(?<!dis)agree|accept|允许并继续|接受", re.IGNORECASE)
# The call an answer listener makes when the user agrees (`listener.agree()`, `onAccept()`, `agreeClick()`).
AGREE_CALL = re.compile(r"^(on_?)?(agree|accept|consent)(ed|d)?_?(click|clicked)?$", re.IGNORECASE)
# A consent dialog's button that leaves (`退出`, `Exit`): its way to refuse.
EXIT_TEXT = re.compile(r"^\s*(退出|exit|quit)", re.IGNORECASE)
WITHDRAW_NAME = re.compile(r"withdraw|revoke|cancel|撤回|撤销|取消", re.IGNORECASE)
REFUSE_TEXT = re.compile(r"不同意|拒绝|暂不使用|不使用|disagree|decline|reject|refuse|don't agree|do not agree",
                         re.IGNORECASE)

SCREEN_BASES = ("android.app.Activity", "androidx.appcompat.app.AppCompatActivity",
                "androidx.activity.ComponentActivity", "androidx.fragment.app.FragmentActivity")
FRAGMENT_BASES = ("androidx.fragment.app.Fragment", "android.app.Fragment",
                  "androidx.fragment.app.DialogFragment")
# Launcher callbacks that run without a user action on the launcher's own UI (the answer to its own
# permission dialog or started activity).
LAUNCHER_CALLBACKS = ("onRequestPermissionsResult", "onActivityResult", "onWindowFocusChanged", "onPostResume")

POSITIVE_CALLS = frozenset({"setPositiveButton", "positiveButton", "setNeutralButton", "neutralButton",
                            "setPositive", "setConfirm"})
NEGATIVE_CALLS = frozenset({"setNegativeButton", "negativeButton", "setNegative", "setCancel"})
COMPOSE_BUTTONS = frozenset({"Button", "TextButton", "OutlinedButton", "ElevatedButton", "FilledTonalButton",
                             "FilledButton", "ClickableText"})
START_CALLS = frozenset({"startActivity", "startActivities", "startActivityForResult", "navigate", "navigateTo"})


def memo(ctx: FlowContext, key: str, build: Callable[[], T]) -> T:
    """A value computed once per context and shared by the rules that ask for it."""
    return ctx.memo("consent-flow:" + key, build)


def short(fqn: str) -> str:
    return fqn.rsplit(".", 1)[-1]


def value(arg: Arg) -> str:
    """An argument's expression without its Kotlin `name =` label."""
    text = arg.text.strip()
    if arg.label and text.startswith(arg.label):
        text = text[len(arg.label):].lstrip().removeprefix("=").strip()
    return text



# --- what runs automatically at startup --------------------------------------------------------------------

def launcher_classes(ctx: FlowContext) -> set[str]:
    return {ctx.index.function(e.fid).owner for e in ctx.entries if e.kind == "launcher"}


def startup(ctx: FlowContext) -> PreConsent:
    """Everything that runs at startup without a user action, before or after consent: the pre-consent entry
    points, the launcher's lifecycle and callbacks, the screens it opens by itself (component starts) and the
    fragments those screens create (the index's fragment edges). Stops only at user actions (clicks, dialog
    buttons, result callbacks). The launcher's `onRequestPermissionsResult` / `onActivityResult` count only once
    something at startup asks for a result (a permission request, a `startActivityForResult`): the answer to a
    request the user's tap made (start a track, connect a printer) is part of that tap."""
    def build() -> PreConsent:
        index = ctx.index
        entries: list[Entry] = list(ctx.entries)
        answers: list[tuple[str, Entry]] = []  # result callbacks: they run at startup only after a startup ask
        for e in ctx.entries:
            if e.kind != "launcher":
                continue
            owner = index.function(e.fid).owner
            for name in LAUNCHER_CALLBACKS:
                for fid in index.find_member(owner, name):
                    label = f"`{short(owner)}.{name}`"
                    entry = Entry(fid, "launcher", Msg(f"launcher activity {label}", f"启动页 Activity {label}"),
                                  e.path, e.line)
                    if name in RESULT_ASKS:
                        answers.append((name, entry))
                    else:
                        entries.append(entry)
        while True:
            reach = PreConsent(index, ctx.consent, entries, stop_at_consent=False)
            due = [(name, entry) for name, entry in answers if _asked_at_startup(ctx, reach, RESULT_ASKS[name])]
            if not due:
                return reach
            entries += [entry for _name, entry in due]
            answers = [a for a in answers if a not in due]

    return memo(ctx, "startup", build)


# The launcher's result callbacks and what asks for the result: `onRequestPermissionsResult` runs at startup only
# when a permission request does, `onActivityResult` only when a screen is started for a result.
RESULT_ASKS = {"onRequestPermissionsResult": "permission", "onActivityResult": "startActivityForResult"}


def _asked_at_startup(ctx: FlowContext, reach: PreConsent, ask: str) -> bool:
    """Something reached at startup, not on a user action, asks for the result: a permission request (`ask` ==
    "permission"), or a `startActivityForResult` call."""
    if ask == "permission":
        return any(reach.reached.get(r.fid) is not None and not ctx.consent.state(r.site).user_action
                   for r in ctx.permission_requests)
    return any(reach.reached.get(fid) is not None and not ctx.consent.state(site).user_action
               for fid, site in ctx.sites(ask) if site.kind == "call")


def requests_at_startup(ctx: FlowContext) -> list[tuple[PermissionRequest, Reached]]:
    """Permission requests that run at startup without a user action, with how they are reached; not those
    composed only when the UI state asks for them (`composed_on_state`)."""
    def build() -> list[tuple[PermissionRequest, Reached]]:
        reach = startup(ctx)
        out = []
        for req in ctx.permission_requests:
            reached = reach.reached.get(req.fid)
            if reached is None or ctx.consent.state(req.site).user_action:
                continue
            if never_fed(ctx, req.site):
                continue  # in an observer of a value nothing sets: it never runs
            if in_user_handler(ctx, req.fid, req.site):
                continue  # a lambda a control's callback invokes (`Settings(onToggle = { launch() })`): the user's tap
            if composed_on_state(ctx, reach, reached) is not None or stored_for_later(ctx, req.fid, req.site):
                continue
            out.append((req, reached))
        return out

    return memo(ctx, "requests_at_startup", build)


def _words(text: str) -> list[str]:
    """The identifiers in a text (`Intent(this, HomeActivity::class.java)` → Intent, this, HomeActivity, class,
    java); no pattern, so that the incremental step's vocabulary does not take every name as read."""
    return "".join(ch if ch.isalnum() or ch in "_$" else " " for ch in text).split()



def unstarted_activities(ctx: FlowContext) -> set[str]:
    """Activities (qualified names) that ask for a permission and cannot run: declared in an app module's
    manifest (of an app that has a launcher activity) without an intent filter and not exported (no other app,
    launcher or deep link starts them), no activity alias targets them, no project class extends them, and no
    code outside them names them - no `Intent(ctx, X::class.java)`, `X.start(…)`, import, class-name string
    (reflection, a router), navigation graph or shortcut XML. Dead screens: what they ask for never runs."""
    def build() -> set[str]:
        pairs = list(getattr(ctx, "module_manifests", ()))
        manifests = [m for _mod, m in pairs]
        apps = [m for mod, m in pairs if mod.is_application]
        if not any(m.launcher_activities() for m in apps):
            return set()  # a library (or no launcher): the apps using it may start its screens
        index = ctx.index
        candidates: list[str] = []
        aliased = {c.target_activity for m in manifests for c in m.components if c.target_activity}
        for m in apps:
            for c in m.components:
                if c.kind != "activity" or c.intent_filters or c.exported or c.cls in aliased:
                    continue
                entry = index.classes.get(c.cls)
                if entry is None or any(True for _ in index.subtypes(c.cls)):
                    continue
                candidates.append(c.cls)
        # Only the screens that ask for a permission matter (CF304 asks about its requests): the search below
        # reads every text of the project, so it looks for those names only.
        askers = {index.function(req.fid).owner for req in ctx.permission_requests}
        candidates = [cls for cls in candidates if any(_inside(owner, cls) for owner in askers)]
        if not candidates:
            return set()
        simples = {cls.rsplit(".", 1)[-1] for cls in candidates}
        named: dict[str, set[str]] = {}  # candidate's simple name -> classes (owners) whose code names it

        def owner_of(fs: FileSummary, function: int) -> str:
            return fs.functions[function].owner if 0 <= function < len(fs.functions) else fs.facade

        for fs in index.files:
            texts: list[tuple[str, str]] = []  # (text, the class whose code it is)
            for site in (*fs.sites, *fs.writes):
                owner = owner_of(fs, site.function)
                texts.append((f"{site.name} {site.receiver or ''} {site.rtype or ''}", owner))
                texts += ((" ".join((arg.text, *arg.refs, *arg.strings)), owner) for arg in site.args)
            texts += ((" ".join(c.values), c.owner) for c in fs.constants)
            texts += ((lit.value, owner_of(fs, lit.function)) for lit in fs.strings)
            texts.append((" ".join(i.path for i in fs.imports), fs.facade))  # an import names it for the file
            texts += ((" ".join(name for name, _line in refs), owner_of(fs, i)) for i, refs in enumerate(fs.refs))
            # Splitting into words is what costs: only the texts of a file that holds a candidate's name are split.
            blob = "\n".join(text for text, _owner in texts)
            present = {simple for simple in simples if simple in blob}
            if not present:
                continue
            for text, owner in texts:
                if any(simple in text for simple in present):
                    for w in _words(text):
                        if w in present:
                            named.setdefault(w, set()).add(owner)
        xml_text = _graph_xml_text(ctx)
        out = set()
        for cls in candidates:
            simple = cls.rsplit(".", 1)[-1]
            if simple in xml_text or any(not _inside(o, cls) for o in named.get(simple, ())):
                continue
            out.add(cls)
        return out

    return memo(ctx, "unstarted_activities", build)


def _graph_xml_text(ctx: FlowContext) -> str:
    """The text of navigation graphs and `res/xml` files (shortcuts) of the project's source sets."""
    project = getattr(ctx, "project", None)
    texts: list[str] = []
    for module in getattr(project, "modules", ()):
        for ss in module.source_sets:
            if ss.manifest is None:
                continue
            res = ss.manifest.parent / "res"
            for pattern in ("navigation*/*.xml", "xml*/*.xml"):
                for path in sorted(res.glob(pattern))[:200]:
                    try:
                        texts.append(path.read_text(encoding="utf-8", errors="replace")[:200_000])
                    except OSError:
                        continue
    return "\n".join(texts)


def in_unstarted_activity(ctx: FlowContext, fid: FnId) -> bool:
    """`fid` belongs to an activity nothing can start (`unstarted_activities`), or to a class nested in one."""
    owner = ctx.index.function(fid).owner
    return any(_inside(owner, cls) for cls in unstarted_activities(ctx))


def _inside(owner: str, cls: str) -> bool:
    return owner == cls or owner.startswith((cls + ".", cls + "$"))


def before_consent(ctx: FlowContext, req: PermissionRequest) -> bool:
    """The request also runs before the user consents (it is reached without passing a consent check)."""
    if ctx.pre_consent.reached.get(req.fid) is None:
        return False
    state = ctx.consent.state(req.site)
    return not state.gated and not state.user_action


def stored_for_later(ctx: FlowContext, fid: FnId, site: Site) -> bool:
    """`site` sits in a function value that is kept for later rather than run: a lambda assigned to a property
    (`binding.reminders.showNotifPermission = { … }`, `remember { { launcher.launch(p) } }`) or handed to a
    project function that stores its parameter without calling it (`viewModel.setPermissionInfo(ok) { … }`).
    When it runs (usually on a tap elsewhere) is not known."""
    for d in site.deferred:
        if d.kind not in ("lambda", "anonymous", "reference"):
            continue
        if not d.call:
            return True
        if _kept_by_callee(ctx, fid, d):
            return True
    return False


def _kept_by_callee(ctx: FlowContext, fid: FnId, d: Deferred) -> bool:
    calls = [s for s in ctx.index.sites_of(fid) if s.name == d.call and s.kind == "call" and s.line <= d.line
             and d.line <= s.end_line]
    targets = [t for s in calls[:1] for t, how in ctx.index.resolve(fid, s) if how == "exact"]
    if not targets:
        return False
    for target in targets:
        fn = ctx.index.function(target)
        if not fn.params:
            return False
        param = d.label if d.label in fn.params else fn.params[-1]  # a named argument, else the trailing lambda
        for s in ctx.index.sites_of(target):
            if s.name == param or (s.receiver or "").rstrip("?!") == param:
                return False  # called here (`callback()`, `callback.invoke()`, Java `callback.run()`)
            if any(param in a.refs for a in s.args):
                return False  # passed on: who calls it is not followed
    return True


# What a condition on a permission's own state reads (`if (!status.isGranted) LaunchedEffect { launch() }` asks
# at startup whatever the screen's state), lower-cased.
PERMISSION_STATE = re.compile(r"grant|permission|status|rationale|savedinstancestate")


def composed_on_state(ctx: FlowContext, reach: PreConsent, r: Reached) -> Site | None:
    """The call on the path to `r` where a composable composes the next step only in one branch of a condition
    on its UI state (`when (pendingRequest) { is Improv -> ImprovPrompt(…) }`, `if (state.showScanner)`): the
    screen shows it when an event sets that state (usually the user's), not by itself at startup. Conditions on
    the permission's own state, on a first-run flag or on consent do not count; None when there is none."""
    hops = reach.hops(r)
    for before, h in pairwise(hops):
        site = h.via.site if h.via is not None else None
        caller = ctx.index.function(before.fid)
        if site is None or not caller.name[:1].isupper() or ctx.index.files[before.fid.file].language != "kotlin":
            continue  # Compose functions are named in PascalCase
        for g in site.guards:
            if g.kind not in ("if", "when", "early-return", "else"):
                continue
            if not g.atoms and g.kind == "when":
                return site  # `when (state) { is X -> … }`
            if g.atoms and not any(_not_ui_state(ctx, a) for a in g.atoms):
                return site
    return None


def _not_ui_state(ctx: FlowContext, atom: Atom) -> bool:
    if PERMISSION_STATE.search(atom.text.lower()):
        return True
    return bool(ctx.consent.atom_is_consent(atom) or ctx.consent.first_run_flag(atom))


def startup_screens(ctx: FlowContext) -> set[str]:
    """Activities and fragments whose lifecycle runs at startup without a user action."""
    def build() -> set[str]:
        index = ctx.index
        out = set(launcher_classes(ctx))
        for r in startup(ctx).functions():
            fn = index.function(r.fid)
            if fn.name in ("onCreate", "onStart", "onResume", "onViewCreated", "onCreateView") and \
                    (index.is_subtype(fn.owner, *SCREEN_BASES) or index.is_fragment(fn.owner)):
                out.add(fn.owner)
        return out

    return memo(ctx, "startup_screens", build)


# --- exits -------------------------------------------------------------------------------------------------

def exit_call(site: Site) -> str | None:
    """`finish()`, `finishAffinity()`, `System.exit`, `exitProcess`, `Process.killProcess`,
    `moveTaskToBack(true)` → how the call is written; None for anything else."""
    if site.kind != "call":
        return None
    recv = site.receiver or ""
    name = site.name
    if name in ("finish", "finishAffinity", "finishAndRemoveTask", "exitProcess"):
        return f"{name}()" if name != "finish" or not recv else f"{recv}.{name}()"
    if name == "exit" and (recv.endswith("System") or "Runtime" in recv):
        return f"{recv}.exit"
    if name == "killProcess" and "Process" in recv:
        return "Process.killProcess"
    if name == "moveTaskToBack" and site.args and value(site.args[0]) == "true":
        return "moveTaskToBack(true)"
    return None


def continues(site: Site) -> bool:
    """The code opens another screen (so a `finish()` next to it does not close the app)."""
    return site.kind == "call" and site.name in START_CALLS


SETTINGS_ACTIONS = ("Settings.ACTION_", "android.provider.Settings.ACTION_")


def _system_settings(start: Site, sites: list[Site]) -> bool:
    """`startActivity(intent)` opens the system's settings (`Intent(Settings.ACTION_APPLICATION_DETAILS_SETTINGS)`,
    built in the call or in the same function): the app itself does not go on."""
    def settings_intent(args: Iterable[Arg]) -> bool:
        return any(r.startswith(SETTINGS_ACTIONS) for a in args for r in a.refs)

    if not start.args:
        return False
    if settings_intent(start.args[:1]):
        return True
    built = [s for s in sites if s.name == "Intent" and s.kind in ("new", "call") and s.line <= start.line]
    return bool(built) and all(settings_intent(s.args) for s in built)


@dataclass(frozen=True, slots=True)
class Exit:
    fid: FnId  # where the exit call is
    site: Site
    how: str
    via: Site | None  # the call in the handler that leads to it (None when the exit is in the handler)


def exits_in(ctx: FlowContext, fid: FnId, sites: Iterable[Site], *, own: Callable[[Site], tuple[Deferred, ...]],
             depth: int = 2) -> tuple[list[Exit], bool]:
    """Exit calls that run directly in `sites` (not inside a further listener or dialog button: `own(site)`
    gives the deferred contexts of a site that belong to the handler itself) or in project functions they
    call directly, up to `depth` levels. Also tells whether another screen is opened on the way."""
    exits: list[Exit] = []
    opens = False
    seen: set[FnId] = {fid}

    def walk(f: FnId, items: Iterable[Site], via: Site | None, inner: Callable[[Site], tuple[Deferred, ...]],
             level: int) -> None:
        nonlocal opens
        listed = list(items)
        for site in listed:
            if any(is_user_deferred(d) or _is_dialog_button(d) for d in inner(site)):
                continue
            if continues(site) and not _system_settings(site, listed):
                opens = True
            how = exit_call(site)
            if how is not None:
                exits.append(Exit(f, site, how, via))
                continue
            if site.kind not in ("call", "new"):
                continue
            # The app's own exit helper (`AppManager.getAppManager().AppExit()` → `finishAllActivity()` → each
            # activity's `finish()`) is followed deeper: its name says what it does, and its loop sits lower down.
            deeper = level < depth + 2 and bool(EXIT_HELPER.match(site.name) or
                                                EXIT_HELPER.match(ctx.index.function(f).name))
            if level >= depth and not deeper:
                continue
            for target, _how in ctx.index.resolve(f, site):
                if target in seen:
                    continue
                seen.add(target)
                walk(target, ctx.index.sites_of(target), via or site, lambda s: s.deferred, level + 1)

    walk(fid, sites, None, own, 0)
    return exits, opens


# The words of a view's name that say which answer it gives (`ll_sure`, `btnOk`; `tvCancel`, `btn_exit`).
CONFIRM_VIEW_WORDS = frozenset({"sure", "ok", "okay", "confirm", "yes", "enter", "accept", "agree", "allow"})
CANCEL_VIEW_WORDS = frozenset({"cancel", "no", "exit", "quit", "refuse", "reject", "disagree", "deny", "unagree"})


def _view_name(receiver: str) -> str:
    """The view a listener is set on: `ll_sure`, `binding.llSure` → `llSure`, `findViewById(R.id.ll_sure)` →
    `ll_sure`."""
    if "R.id." in receiver:
        rest = receiver.rsplit("R.id.", 1)[1]
        return "".join(ch for ch in rest.split(")")[0] if ch.isalnum() or ch == "_")
    return receiver.rsplit(".", 1)[-1]


def identifier_words(text: str) -> list[str]:
    """`mTvPressSpeech` → m, tv, press, speech; `R.id.btn_scan` → r, id, btn, scan; `btnOK` → btn, ok; Chinese
    text stays whole: the lower-case words of names and ids."""
    spaced = re.sub(r"([a-z0-9])([A-Z])", r"\1 \2", text)
    return [w.lower() for w in re.split(r"[^0-9A-Za-z\u4e00-\u9fff]+", spaced) if w]


# The app's own "close everything" helpers (`AppExit()`, `exitApp()`, `finishAllActivity()`, `killAll()`).
EXIT_HELPER = re.compile(r"^((app)?exit(app|application)?|finishAll\w*|(kill|quit|close)(App|All)\w*)$", re.IGNORECASE)


def _is_dialog_button(d: Deferred) -> bool:
    return d.call in POSITIVE_CALLS or d.call in NEGATIVE_CALLS


# --- callers ------------------------------------------------------------------------------------------------

def callers(ctx: FlowContext, fid: FnId) -> list[tuple[FnId, Site]]:
    """Call sites that resolve to `fid` (looked up by the callee's name, so only candidate sites are resolved)."""
    table: dict[FnId, list[tuple[FnId, Site]]] = memo(ctx, "callers", dict)
    found = table.get(fid)
    if found is None:
        name = ctx.index.function(fid).name
        found = [(caller, site) for caller, site in ctx.sites(name)
                 if site.kind in ("call", "new", "reference") and caller != fid
                 and any(t == fid for t, _how in ctx.index.resolve(caller, site))]
        table[fid] = found
    return found


# Overrides the framework calls when the user acts (a Java listener class, a menu, a preference screen).
USER_METHODS = frozenset({"onClick", "onLongClick", "onItemClick", "onCheckedChanged", "onOptionsItemSelected",
                          "onContextItemSelected", "onMenuItemClick", "onNavigationItemSelected",
                          "onPreferenceChange", "onPreferenceClick", "onPreferenceTreeClick", "onSwitchChanged",
                          "onSharedPreferenceChanged",
                          # the user's answer to a permission dialog (as `registerForActivityResult` callbacks)
                          "onRequestPermissionsResult"})


# Coroutine builders run their block right where they are written: a `scope.launch { … }` inside a click handler
# runs because of the click.
COROUTINE_CALLS = frozenset({"launch", "async", "withContext", "runBlocking", "coroutineScope", "supervisorScope"})
# Kotlin scope functions and inline iteration run their block right away, where they are written.
INLINE_CALLS = frozenset({"let", "run", "apply", "also", "with", "use", "takeIf", "takeUnless", "forEach",
                          "synchronized"})
# Observers of a value (LiveData, Flow): the block runs when something sets the value.
OBSERVER_CALLS = frozenset({"observe", "observeForever", "collect", "collectLatest"})
# How a LiveData / Flow value is set (`state.value = x` reads as a `value` field site).
STATE_SETTERS = frozenset({"value", "setValue", "postValue", "emit", "tryEmit", "send", "trySend"})


def on_user_action(ctx: FlowContext, fid: FnId, site: Site, depth: int = 2) -> bool:
    """`site` runs because the user acted: it sits in a click, toggle (checked-change), preference-change,
    menu-item or Compose `onClick` handler, or in a function that every caller (up to `depth` levels) calls
    from one. A function nobody in the project calls runs on a user action only when it is itself such a
    handler (`onClick(View)`, `onOptionsItemSelected`). A coroutine block (`scope.launch { … }`) runs where it
    is written; an observer of a LiveData / Flow value (`vm.requests.observe(owner) { … }`, `flow.collect { … }`)
    runs on the user's action when every place in the project that sets the value does so on one (the state a
    tap sets)."""
    return _on_user_action(ctx, fid, site, depth, set())


# The answers of the app's own dialog set through a Java setter of its callback property (`dlg.setOnGrant(() -> …)`
# for Kotlin's `var onGrant: (() -> Unit)?` that its button's click invokes): the user's tap on that answer.
ANSWER_SETTER = re.compile(r"^setOn(Grant|Confirm\w*|Positive\w*|Ok|Okay|Allow|Accept\w*|Agree\w*|Continue|Proceed|Yes|"
                           r"Sure|Negative\w*|Cancel\w*|Deny|Later|Dismiss\w*)(Click\w*|Callback|Action)?$")


def answer_setter(d: Deferred) -> str:
    """The callback property a lambda handed to `setOnGrant(…)` sets (`onGrant`), or ""."""
    return "on" + d.call[5:] if ANSWER_SETTER.match(d.call) else ""


def in_user_handler(ctx: FlowContext, fid: FnId, site: Site) -> bool:
    """`site`'s own context in its function makes it run on a user action: a listener, a lambda handed to a project
    function that invokes it from a control's callback (`SettingsContent(onToggle = { … })` whose `Switch` calls
    `onToggle`), an observer of a value only the user's actions set, a snackbar action - its callers and the
    function's own name not considered (a startup walk reaching the function does not reach that code)."""
    return _on_user_action(ctx, fid, site, 0, set(), by_name=False)


def _on_user_action(ctx: FlowContext, fid: FnId, site: Site, depth: int, seen: set[FnId],
                    states: int = 1, by_name: bool = True) -> bool:
    if any(is_user_deferred(d) or answer_setter(d) for d in site.deferred):
        return True
    if any(a.positive and "ActionPerformed" in a.text for g in site.guards for a in g.atoms):
        return True  # `if (snackbar.showSnackbar(…) == SnackbarResult.ActionPerformed)`: the user tapped its action
    for d in reversed(site.deferred):  # innermost first
        if d.kind == "lambda" and (d.call in COROUTINE_CALLS or d.call in INLINE_CALLS):
            continue
        if d.call in OBSERVER_CALLS and states > 0:
            return _state_set_on_user_action(ctx, d, seen, states - 1)
        if d.kind == "lambda" and d.call and _click_stream(ctx, d):
            return True  # `view.sendIntent.filter { … }` where `sendIntent` is `send.clicks()`: runs on the tap
        if d.kind == "lambda" and d.call:
            return _lambda_run_on_user_action(ctx, fid, d, depth, seen, states)
        if d.call or d.kind in ("lambda", "anonymous"):
            return False  # another callback (a result, a timer): not known to be the user's act
    if states > 0 and _composed_on_user_state(ctx, fid, site, seen, states - 1):
        return True
    if by_name and ctx.index.function(fid).name in USER_METHODS:
        return True
    if depth <= 0 or fid in seen:
        return False
    seen.add(fid)
    found = callers(ctx, fid)
    # A call the index matched only by name (`Row.Builder().setEnabled(…)` for a view model's `setEnabled`) does not
    # count when calls resolved by type reach the function.
    exact = [(c, s) for c, s in found if any(t == fid and how == "exact" for t, how in ctx.index.resolve(c, s))]
    found = exact or found
    return bool(found) and all(_on_user_action(ctx, caller, call, depth - 1, seen, states) for caller, call in found)


# RxBinding's streams of a view's user events (`send.clicks()`, `list.itemClicks()`, `toggle.checkedChanges()`).
CLICK_STREAMS = frozenset({"clicks", "longClicks", "itemClicks", "itemLongClicks", "checkedChanges",
                           "navigationClicks", "itemSelections", "editorActions", "menuItemClicks", "touches"})


def _click_stream(ctx: FlowContext, d: Deferred) -> bool:
    """`d` is an operator's lambda (`filter`, `map`, `subscribe` …) on a stream held in a property every project
    initialiser of which is a view's user events (`override val sendIntent by lazy { send.clicks() }`,
    `Observable.merge(camera.clicks(), label.clicks())`): it runs when the user taps."""
    head = _stream_head(d.receiver)
    if not head:
        return False
    getters = _getters(ctx).get(head, [])
    return bool(getters) and all(any(s.kind == "call" and s.name in CLICK_STREAMS for s in ctx.index.sites_of(g))
                                 for g in getters)


def _stream_head(receiver: str) -> str:
    """The property a call chain starts from: `view.sendIntent .filter { … }` → `sendIntent`, `intents` →
    `intents`; "" when the chain starts with a call."""
    head = ""
    for part in receiver.split("."):
        part = part.strip().removesuffix("?").removesuffix("!!")
        if not part.isidentifier():
            break
        head = part
    return head if head and head not in ("this", "it") else ""


def _getters(ctx: FlowContext) -> dict[str, list[FnId]]:
    def build() -> dict[str, list[FnId]]:
        table: dict[str, list[FnId]] = {}
        for fid in ctx.index.all_functions():
            name = ctx.index.function(fid).name
            if name.startswith("get:"):
                table.setdefault(name[4:], []).append(fid)
        return table

    return memo(ctx, "property_getters", build)


RESET_VALUES = frozenset({"null", "false", "emptyList()", "\"\""})


def _composed_on_user_state(ctx: FlowContext, fid: FnId, site: Site, seen: set[FnId], states: int) -> bool:
    """`site` runs in a composable only while a state of its own holds a value (`bitmap?.let { … }`,
    `if (saving)`, `if (picked != null)`), and every assignment in the composable that gives the state a value
    (not `null` / `false`) is on a user action (`IconButton(onClick = { scope.launch { bitmap = capture() } })`):
    it runs after the user's tap, not when the screen is composed."""
    fn = ctx.index.function(fid)
    if "@Composable" not in fn.modifiers:
        return False
    names = {d.receiver for d in site.deferred if d.call in INLINE_CALLS and d.receiver.isidentifier()}
    for g in site.guards:
        if g.kind not in ("if", "when"):
            continue
        for atom in g.atoms:
            text = atom.text.replace(" ", "")
            if atom.positive and text.isidentifier():
                names.add(text)
            elif atom.positive and text.endswith(("!=null", "==true")) and text[:-6].isidentifier():
                names.add(text[:-6])
    if not names:
        return False
    writes = [w for w in ctx.index.files[fid.file].writes if w.function == fid.index and w.receiver is None]
    for name in names:
        setting = [w for w in writes if w.name == name and w.args and w.args[-1].text.strip() not in RESET_VALUES]
        if setting and all(_on_user_action(ctx, fid, w, 0, set(seen), states) for w in setting):
            return True
    return False


def _lambda_run_on_user_action(ctx: FlowContext, fid: FnId, d: Deferred, depth: int, seen: set[FnId],
                               states: int) -> bool:
    """A lambda handed to a project function (`SensorView(onSetEnabled = { … })`) runs where that function
    invokes its parameter: on a user action when every invocation (at least one) is on one, following the
    parameter when it is handed on (`Row(onSetEnabled = onSetEnabled)`)."""
    calls = [s for s in ctx.index.sites_of(fid) if s.name == d.call and s.kind in ("call", "new")
             and s.line <= d.line <= s.end_line]
    targets = [t for s in calls[:1] for t, how in ctx.index.resolve(fid, s) if how == "exact"]
    if not targets:
        return False
    for target in targets:
        fn = ctx.index.function(target)
        if not fn.params or target in seen:
            return False
        param = d.label if d.label in fn.params else fn.params[-1]
        # each function's parameters are followed once along a path (not across sibling lambdas)
        if not _param_run_on_user_action(ctx, target, param, depth, seen | {target}, states, 3):
            return False
    return True


def _param_run_on_user_action(ctx: FlowContext, fid: FnId, param: str, depth: int, seen: set[FnId],
                              states: int, hops: int) -> bool:
    found = False
    for s in ctx.index.sites_of(fid):
        if (s.kind == "call" and s.receiver is None and s.name == param) or \
                (s.kind == "call" and s.name == "invoke" and (s.receiver or "").rstrip("?!") == param):
            if not _on_user_action(ctx, fid, s, depth, seen, states):
                return False
            found = True
            continue
        handed = [a for a in s.args if value(a) == param]  # `Row(onSetEnabled = onSetEnabled)`, `Row(onToggle)`
        if not handed:
            continue
        targets = [t for t, how in ctx.index.resolve(fid, s) if how == "exact"] if hops > 0 else []
        if not targets and handed[0].label and not ctx.index.resolve(fid, s) and \
                is_user_deferred(Deferred("lambda", s.name, s.receiver or "", handed[0].label, "", s.line)):
            found = True  # a library control's user callback (`Switch(onCheckedChange = onToggle)`)
            continue
        if not targets:
            return False  # handed to something the linter does not follow
        for target in targets:
            fn = ctx.index.function(target)
            label = handed[0].label
            inner = label if label in fn.params else None
            if inner is None or target in seen or \
                    not _param_run_on_user_action(ctx, target, inner, depth, seen | {target}, states, hops - 1):
                return False
            found = True
    return found


def _state_name(receiver: str) -> str:
    """`viewModel.permissionRequests` → `permissionRequests`; `_state`/`mState` → `state`; "" for a call result."""
    last = receiver.replace("?", "").replace("!!", "").rsplit(".", 1)[-1]
    if not last.isidentifier():
        return ""
    if last.startswith("_"):
        last = last.lstrip("_")
    elif len(last) > 1 and last[0] == "m" and last[1].isupper():
        last = last[1].lower() + last[2:]
    return last


def _state_set_on_user_action(ctx: FlowContext, observer: Deferred, seen: set[FnId], states: int) -> bool:
    """Every place in the project that sets the value `observer` observes (at least one) does so on a user
    action; sets written inside an observer of the same value (resets after handling it) do not count."""
    name = _state_name(observer.receiver)
    if not name:
        return False
    found = False
    for fid, site in ctx.sites(*STATE_SETTERS):
        if site.kind == "field" and site.name != "value":
            continue
        if _state_name(site.receiver or "") != name:
            continue
        if any(d.call in OBSERVER_CALLS and _state_name(d.receiver) == name for d in site.deferred):
            continue
        if not _on_user_action(ctx, fid, site, 2, set(seen), states):
            return False
        found = True
    return found


# Holders of a value that code sets (`MutableLiveData`, an MVVM `SingleLiveEvent`, `MutableStateFlow`, an Rx subject):
# an observer of one runs only once something sets it.
MUTABLE_HOLDERS = frozenset({"MutableLiveData", "SingleLiveEvent", "SingleLiveData", "LiveEvent", "MutableStateFlow",
                             "MutableSharedFlow", "Channel", "PublishSubject", "BehaviorSubject", "PublishRelay",
                             "BehaviorRelay", "UnicastSubject"})
# How such a value is set, besides STATE_SETTERS (`event.call()`, Rx `onNext`, `accept`, `state.update { … }`).
HOLDER_SETTERS = STATE_SETTERS | frozenset({"call", "onNext", "accept", "update", "offer"})


def never_fed(ctx: FlowContext, site: Site) -> bool:
    """`site` runs in an observer (`vm.uc.showDialog.observe(this, v -> …)`) of a value the project holds in a
    mutable holder (a field typed `SingleLiveEvent`, `MutableLiveData` …) that nothing in the project sets - no
    `call()`, `setValue`, `postValue`, `value =`, `emit`, `onNext` on it, and the holder is not handed elsewhere:
    the observer never runs (its only triggers commented out)."""
    for d in site.deferred:
        if d.call not in OBSERVER_CALLS:
            continue
        name = _state_name(d.receiver)
        if name and name in _holder_fields(ctx) and name not in _fed_holders(ctx):
            return True
    return False


def _holder_fields(ctx: FlowContext) -> set[str]:
    """State names (`_state_name`) of fields every declaration of which is a mutable holder."""
    def build() -> set[str]:
        kinds: dict[str, set[bool]] = {}
        for decl, _fi in ctx.index.classes.values():
            for name, type_text in decl.fields:
                simple = type_text.split("<", 1)[0].rstrip("?").rsplit(".", 1)[-1]
                kinds.setdefault(_state_name(name), set()).add(simple in MUTABLE_HOLDERS)
        return {name for name, held in kinds.items() if held == {True}}

    return memo(ctx, "holder_fields", build)


def _fed_holders(ctx: FlowContext) -> set[str]:
    """State names something in the project sets (a setter call or `value =` on them) or hands on as an argument."""
    def build() -> set[str]:
        out: set[str] = set()
        for fs in ctx.index.files:
            for site in fs.sites:
                if site.name in HOLDER_SETTERS and site.receiver:
                    out.add(_state_name(site.receiver))
                for arg in site.args:
                    out.update(_state_name(r) for r in arg.refs)
            for w in fs.writes:
                if w.name == "value" and w.receiver:
                    out.add(_state_name(w.receiver))
                out.update(_state_name(r) for a in w.args for r in a.refs)
        out.discard("")
        return out

    return memo(ctx, "fed_holders", build)


# --- text of resources used by code -----------------------------------------------------------------------

def string_refs(site: Site) -> list[str]:
    """`R.string.x` names a site reads or passes (`getString(R.string.x)`, `stringResource(R.string.x)`)."""
    out = []
    if site.kind == "field" and (site.receiver or "").endswith("R.string"):
        out.append(site.name)
    for arg in site.args:
        for ref in arg.refs:
            head, _, name = ref.rpartition(".")
            if head.endswith("R.string") and name:
                out.append(name)
    return out


def res_text(ctx: FlowContext, name: str) -> str:
    return ctx.resources.text(name)


def layout_names(site: Site) -> list[str]:
    """Layouts a site inflates: `XBinding.inflate` → `x`, `R.layout.x` → `x`."""
    out = []
    if site.name in ("inflate", "bind") and (site.receiver or "").endswith("Binding"):
        out.append(_snake(short(site.receiver or "")[: -len("Binding")]))
    for arg in site.args:
        for ref in arg.refs:
            head, _, name = ref.rpartition(".")
            if head.endswith("R.layout") and name:
                out.append(name)
    if site.kind == "field" and (site.receiver or "").endswith("R.layout"):
        out.append(site.name)
    return out


def _snake(camel: str) -> str:
    out = []
    for i, ch in enumerate(camel):
        if ch.isupper() and i:
            out.append("_")
        out.append(ch.lower())
    return "".join(out)


def layout_texts(ctx: FlowContext, name: str) -> list[str]:
    """Texts (resolved `@string/` references and literals) of every element of the layout `name`."""
    out = []
    for layout in ctx.resources.layouts:
        if layout.name != name:
            continue
        for el in layout.root.iter():
            out += element_texts(ctx, el)
    return out


def element_texts(ctx: FlowContext, el: XmlElement) -> list[str]:
    out = []
    for key in ("android:text", "android:hint", "app:title", "android:title", "android:contentDescription"):
        value = el.get(key)
        if not value:
            continue
        if value.startswith("@string/"):
            out.append(res_text(ctx, value) or value)
        else:
            out.append(value)
    return out


def arg_texts(ctx: FlowContext, args: Iterable[Arg], skip_lambdas: bool = False) -> list[str]:
    """String literals and string-resource texts (and names) among a call's arguments."""
    out: list[str] = []
    for arg in args:
        text = arg.text.lstrip()
        if skip_lambdas and (text.startswith("{") or "->" in text):
            continue
        out += list(arg.strings)
        for ref in arg.refs:
            head, _, name = ref.rpartition(".")
            if head.endswith("R.string") and name:
                out += [name, res_text(ctx, name)]
    return out


# --- data-collection settings ----------------------------------------------------------------------------------

# Writes of an on/off setting (SharedPreferences, MMKV, DataStore helpers).
SWITCH_WRITES = frozenset({"putBoolean", "setBoolean", "encode", "saveBoolean", "writeBoolean"})
# Names of a stored setting that switches data collection on or off (over keys, constants and R.string names).
COLLECTION_SETTING = re.compile(r"crash.?report|send.?crash|crashlytics|analytic|telemetry|tracking|"
                                r"usage.?(data|stat|report)|diagnostic|statistic|data.?collect|personali[sz]ed.?ad",
                                re.IGNORECASE)
# Setters named for a data-collection switch (`setAnalyticsEnabled`, `setCrashlyticsCollectionEnabled`); stricter
# than a key's name: `setEdgeTrackingEnabled` is a swipe gesture.
COLLECTION_SETTER = re.compile(r"crash.?report|send.?crash|crashlytics|analytic|telemetry|usage.?(data|stat|report)|"
                               r"data.?collect|"
                               r"personali[sz]ed.?ad|(user|ad|app).?tracking", re.IGNORECASE)
# A setter that switches collection off when handed `true` (`setAnalyticsDisabled(true)`, `setOptOut(true)`).
NEGATED_SETTER = re.compile(r"disable|opt.?out|optout", re.IGNORECASE)


def collection_key(arg: Arg) -> bool:
    """The key argument names a data-collection setting by its own name (`PREF_CRASH_REPORTING_DISABLED`,
    `getString(R.string.pref_analytics_key)`), not by a class it sits in (`FirebaseAnalytics.Param.ITEM_ID`)."""
    refs = [r for r in arg.refs if not any(o.startswith(r + ".") for o in arg.refs)]  # whole paths only
    return any(COLLECTION_SETTING.search(k.rsplit(".", 1)[-1]) for k in (*arg.strings, *refs))


def is_literal(text: str) -> bool:
    return text in ("true", "false", "null", "") or text.startswith(('"', "'")) or text[:1].isdigit()


def is_fixed(text: str) -> bool:
    """A value the build fixes, not one the user sets: a literal, `BuildConfig.DEBUG`, a constant (`ENABLED`)."""
    last = text.lstrip("!").rsplit(".", 1)[-1]
    return is_literal(text) or text.lstrip("!").startswith("BuildConfig.") or (last.isupper() and len(last) > 1)


def collection_write(site: Site) -> tuple[Arg, bool] | None:
    """The argument a call stores into a data-collection setting, and whether storing `true` turns collection
    off: `putBoolean(PREF_ANALYTICS, x)`, `setAnalyticsEnabled(x)`, `setAnalyticsCollectionEnabled(x)`,
    `setCrashReportingDisabled(x)`; None for any other call."""
    if site.kind != "call" or not site.args:
        return None
    name = site.name.rsplit(".", 1)[-1]
    if name in SWITCH_WRITES:
        # the key: the first argument, or one after the Context a static helper takes (`setBoolean(ctx, KEY, v)`)
        key = next((a for a in site.args[:-1] if collection_key(a)), None)
        if len(site.args) >= 2 and key is not None:
            return site.args[-1], any(NEGATED_SETTER.search(k) for k in (*key.strings, *key.refs))
        return None
    if len(site.args) == 1 and name.startswith(("set", "enable", "update")) and COLLECTION_SETTER.search(name):
        return site.args[0], bool(NEGATED_SETTER.search(name))
    if name == "updateData" and len(site.args) == 1 and collection_store(site.receiver or ""):
        # a typed DataStore of the setting: `analyticsConsentStore.updateData { true }`
        text = value(site.args[0]).removeprefix("{").removesuffix("}").strip()
        arg = site.args[0]
        return Arg(text, None, arg.strings, arg.refs, arg.calls), bool(NEGATED_SETTER.search(site.receiver or ""))
    return None


def collection_store(receiver: str) -> bool:
    """The receiver is a store of one data-collection setting, named for it (`analyticsConsentStore`,
    `crashReportsPref`): a typed DataStore the app reads with `.data` and writes with `updateData { … }`."""
    last = receiver.replace("?", "").replace("!!", "").rsplit(".", 1)[-1]
    return last.isidentifier() and bool(COLLECTION_SETTING.search(last))


def collection_writes(ctx: FlowContext) -> list[tuple[FnId, Site, Arg, bool]]:
    """Every call that stores a data-collection setting (`collection_write`), with its function."""
    def build() -> list[tuple[FnId, Site, Arg, bool]]:
        out = []
        for name, sites in ctx.index.by_site_name.items():
            if name not in SWITCH_WRITES and not COLLECTION_SETTER.search(name) and name != "updateData":
                continue
            for fid, site in sites:
                written = collection_write(site)
                if written is not None:
                    out.append((fid, site, *written))
        return out

    return memo(ctx, "collection_writes", build)


def collection_choices(ctx: FlowContext) -> list[ConsentUi]:
    """Screens that ask the user whether to share usage or crash data: a class (or Compose file) with one user
    action that turns a data-collection setting on and another that turns it off (`Allow` →
    `setAnalyticsEnabled(true)`, `No thanks` → `setAnalyticsEnabled(false)`; `grant` → `saveThenLaunchHome(true)`
    whose callee stores its parameter into `pref_analytics_reporting_key`; `userConsentPreference(true)` /
    `(false)`, a call named for the consent answer; `analyticsConsentStore.updateData { true }` in a view model's
    `on…` function the screen's button gets by reference). A Settings switch stores the value the user set in one
    action and is not such a choice; on a first-run onboarding or setup screen (`first_run_screen`) it is, as are
    both sides of one radio group. `policy` is empty: the screen need not show the policy."""
    return memo(ctx, "collection_choices", lambda: _find_collection_choices(ctx))


def _find_collection_choices(ctx: FlowContext) -> list[ConsentUi]:
    storing = _storing_functions(ctx)
    if not collection_writes(ctx):
        return []
    out: list[ConsentUi] = []
    for owner, fids in _functions_by_owner(ctx).items():
        first_run = first_run_screen(ctx, owner)
        turns: dict[str, dict[Deferred | FnId, Handler]] = {"on": {}, "off": {}, "choose": {}, "set": {}}
        for fid in fids:
            event = _event_function(ctx, fid)
            for site in ctx.index.sites_of(fid):
                handler = next((d for d in reversed(site.deferred) if is_user_deferred(d)), None)
                how = _turns(ctx, fid, site, storing) if handler is not None or event is not None else None
                if how is not None and handler is not None:
                    turns[how].setdefault(handler, Handler(fid, handler, _describe(handler)))
                elif how is not None and event is not None:
                    turns[how].setdefault(fid, Handler(fid, None, event))
        agree = {**turns["on"], **turns["choose"]}
        # A way to turn collection off (`No thanks`, `Deny all`) next to one that turns it on or stores what the
        # user chose: a Settings switch alone (one action storing the switch's value) is not such a choice. An
        # action that only turns it on (`Yes, send crash reports`) is one when the setting starts off.
        declines = bool(turns["off"]) or (bool(turns["on"]) and _starts_off(ctx) and bool(storing))
        if first_run:
            # The first-run onboarding or setup screen asks: a switch there whose value its action stores
            # (`putBoolean(KEY_CRASH_REPORTS, crashSwitch.isChecked)`) is the user's answer, and so are the two
            # sides of one radio group (`when (checkedId) { R.id.enable -> … true; R.id.disable -> … false }`).
            agree = {**agree, **turns["set"]}
            declines = declines or bool(turns["set"] or turns["choose"])
        elif not set(agree).isdisjoint(turns["off"]):
            continue
        if not (agree and declines):
            continue
        handlers = [*agree.values(), *turns["off"].values()]
        path, line, col = _owner_location(ctx, owner, fids)
        within = None
        if owner not in ctx.index.classes:  # a Compose file: the call that holds the actions (`AlertDialog(…)`)
            fids = list(dict.fromkeys(h.fid for h in handlers))
            calls = [_enclosing_call(ctx, h) for h in handlers]
            if len(fids) == 1 and all(calls):
                within = (min(c.line for c in calls if c), max(c.end_line for c in calls if c))
                path, line, col = ctx.path_of(fids[0]), within[0], 1
        title = ctx.index.function(fids[0]).name if within is not None else ""
        out.append(ConsentUi(owner, path, line, col, "", list(agree.values()), list(turns["off"].values()),
                             fids, within=within, title=title))
    return out


def _event_function(ctx: FlowContext, fid: FnId) -> Msg | None:
    """A view model's event function that the screen hands to a button by reference (`onContinueWithAnalytics`,
    passed as `onContinue = viewModel::onContinueWithAnalytics`): it runs when the user taps. None otherwise."""
    name = ctx.index.function(fid).name
    if not (name.startswith("on") and name[2:3].isupper()):
        return None
    if not any(site.kind == "reference" for _caller, site in callers(ctx, fid)):
        return None
    return Msg(f"`{name}`", f"`{name}`")


def _enclosing_call(ctx: FlowContext, h: Handler) -> Site | None:
    """The outermost call of the handler's function that the handler's lambdas sit in."""
    if h.deferred is None:
        return None
    sites = ctx.index.sites_of(h.fid)
    target = next((s for s in sites if h.deferred in s.deferred), None)
    if target is None or not target.deferred:
        return None
    return _call_of(target.deferred[0], sites)


def _storing_functions(ctx: FlowContext) -> dict[FnId, bool]:
    """Functions that store one of their parameters into a data-collection setting, directly or through a
    function they hand it to (one level): whether storing `true` turns collection off."""
    direct: dict[FnId, bool] = {}
    for fid, _site, arg, negated in collection_writes(ctx):
        if value(arg).lstrip("!") in ctx.index.function(fid).params:
            direct.setdefault(fid, negated != value(arg).startswith("!"))
    out = dict(direct)
    for fid, negated in direct.items():
        for caller, call in callers(ctx, fid):
            params = ctx.index.function(caller).params
            if any(value(a) in params for a in call.args):
                out.setdefault(caller, negated)
    return out


def _turns(ctx: FlowContext, fid: FnId, site: Site, storing: dict[FnId, bool], depth: int = 0) -> str | None:
    """What a call does to data collection: "on" / "off" (stores a literal that turns it on or off), "choose"
    (hands what the user set to a function that stores it), or None. A call of the function's own callback
    parameter (`onConfirmButton(false, false, false)`) acts through what its callers pass for it
    (`onConfirmButton = model::setFirstLaunch`)."""
    written = collection_write(site)
    if written is not None:
        text = value(written[0])
        if text not in ("true", "false"):
            return "set" if not is_fixed(text) and depth == 0 else None  # the value the user set (a switch)
        return "on" if (text == "true") != written[1] else "off"
    if site.kind != "call":
        return None
    if depth == 0 and len(site.args) == 1 and value(site.args[0]) in ("true", "false") and \
            CONSENT_SETTER.search(site.name) and not UI_NAME.search(site.name) and not REFUSE_WORD.search(site.name):
        # `viewModel.userConsentPreference(true)` / `(false)`, `setTrackingConsent(false)`: the answer, however the
        # app stores it (a subject its view model observes)
        return "on" if value(site.args[0]) == "true" else "off"
    resolved = [t for t, _how in ctx.index.resolve(fid, site)]
    targets = [t for t in resolved if t in storing]
    if not targets and site.name in ctx.index.function(fid).params:
        targets = [t for t in _passed_functions(ctx, fid, site.name) if t in storing]
    if not targets or not site.args:
        if depth < 2:  # `masterClick()` → `acceptCrash(app)` → `setSendCrash(true)`: what the callee does
            for t in resolved:
                for inner in ctx.index.sites_of(t):
                    if not inner.deferred and (how := _turns(ctx, t, inner, storing, depth + 1)) in ("on", "off"):
                        return how
        return None
    literals = {value(a) for a in site.args if value(a) in ("true", "false")}
    if not literals:
        return "choose" if any(not is_fixed(value(a)) for a in site.args) else None
    if len(literals) != 1 or len(literals) != len({value(a) for a in site.args}):
        return None  # `set(true, false)`, `set(true, x)`: mixed
    return "on" if (literals.pop() == "true") != storing[targets[0]] else "off"


# Names of the screens an app shows once, on first run, before its main screen (`OnboardingFragment`, `SetupActivity`,
# `IntroPageAnalytics`, `WelcomeActivity`, `FirstRunWizard`).
FIRST_RUN_SCREEN = re.compile(r"onboard|setup|intro(?!duc)|welcome|tutorial|wizard|get_?started|"
                              r"first_?(run|launch|start|time|use)", re.IGNORECASE)


def first_run_screen(ctx: FlowContext, owner: str) -> bool:
    """The class (or Compose file) is a first-run onboarding, setup or welcome screen, by its name or its
    enclosing class's (`OnboardingFragment.Page`), not a Settings screen."""
    names = [short(owner)]
    decl = ctx.index.class_of(owner)
    if decl is not None and decl.outer:
        names.append(short(decl.outer))
    return any(FIRST_RUN_SCREEN.search(n) and not SETTINGS_SCREEN.search(n) for n in names)


SETTINGS_SCREEN = re.compile(r"setting|preference|prefs|option", re.IGNORECASE)


# A call that records the user's consent answer by name (`userConsentPreference`, `setTrackingConsent`,
# `updateConsentGiven`): one boolean literal says which.
CONSENT_SETTER = re.compile(r"consent", re.IGNORECASE)


def _starts_off(ctx: FlowContext) -> bool:
    """Every read of a data-collection setting gives `false` while nothing is stored
    (`getBoolean(getString(R.string.send_crash), false)`), and there is one."""
    reads = [s for name in ("getBoolean", "decodeBool", "getBool") for _fid, s in ctx.sites(name)
             if s.kind == "call" and len(s.args) >= 1 and collection_key(s.args[0])]
    return bool(reads) and all(len(s.args) >= 2 and value(s.args[-1]) == "false" for s in reads)


def _passed_functions(ctx: FlowContext, fid: FnId, param: str) -> list[FnId]:
    """Project functions the callers of `fid` pass as its parameter `param` by reference (`model::setFirstLaunch`,
    `this::save`)."""
    out: list[FnId] = []
    for _caller, call in callers(ctx, fid):
        for arg in call.args:
            text = value(arg)
            if arg.label == param and "::" in text:
                out += ctx.index.by_name.get(text.rsplit("::", 1)[1].strip(), [])
    return out


# --- a consent management platform ---------------------------------------------------------------------------

# Google's User Messaging Platform (the consent form AdMob apps show: GDPR/TCF in the EEA, US state notices):
# the form it shows and keeps the answer of, the form to change that answer later, and the check that ads may be
# requested. https://developers.google.com/admob/android/privacy
CMP_FORMS = frozenset({"loadAndShowConsentFormIfRequired", "loadConsentForm"})
CMP_OPTIONS = frozenset({"showPrivacyOptionsForm"})
CMP_OWNERS = ("UserMessagingPlatform", "ConsentForm", "consentForm")


def consent_platform(ctx: FlowContext) -> tuple[bool, bool]:
    """(the app shows a consent management platform's form, it lets the user reopen it to change the answer)."""
    def build() -> tuple[bool, bool]:
        def called(names: frozenset[str]) -> bool:
            return any(s.kind == "call" and (s.receiver or "").rsplit(".", 1)[-1] in CMP_OWNERS
                       for _fid, s in ctx.sites(*names))
        return called(CMP_FORMS), called(CMP_OPTIONS)

    return memo(ctx, "consent_platform", build)


# --- the first-run consent UI -------------------------------------------------------------------------------

@dataclass
class Handler:
    fid: FnId
    deferred: Deferred | None  # None: the whole function is the handler (a WebView bridge method)
    what: Msg  # "`binding.disagreeButton` click", "the dialog's negative button"
    # A branch of an answer callback (`PrivacyDialog(this) { isAgree -> if (isAgree) … else finish() }`): the
    # answer's name and the side (True: where it holds).
    branch: tuple[str, bool] | None = None

    def contains(self, site: Site) -> bool:
        if site.function != self.fid.index or (self.deferred is not None and self.deferred not in site.deferred):
            return False
        if self.branch is None:
            return True
        # the innermost test of the answer decides (an outer `if (!isAgree)` on a local of the same name does not)
        tests = [a.positive for g in site.guards for a in g.atoms if a.text.strip() == self.branch[0]]
        return bool(tests) and tests[-1] == self.branch[1]

    def inner(self, site: Site) -> tuple[Deferred, ...]:
        if self.deferred is None:
            return site.deferred
        return site.deferred[site.deferred.index(self.deferred) + 1:]


@dataclass
class ConsentUi:
    owner: str  # the class (or Kotlin file facade) that shows it
    path: str
    line: int
    column: int
    policy: str  # the text that shows it is about the privacy policy
    agree: list[Handler] = field(default_factory=list)
    refuse: list[Handler] = field(default_factory=list)
    functions: list[FnId] = field(default_factory=list)
    # Handlers that store the user's own choice (`putBoolean(KEY_CONSENT, analyticsSwitch)` on "save my choices"):
    # a way to decline as well as to agree.
    choose: list[Handler] = field(default_factory=list)
    # Lines of `functions` the UI occupies when it is one call among others in a Compose file (the
    # `AlertDialog(…)` of a screen); None: all of them.
    within: tuple[int, int] | None = None
    title: str = ""  # what to call it when not its class (`GalleryScreen`'s dialog)
    # Known only by its dialog class's name (`PrivacyDialog`): the texts come from elsewhere (a server).
    named_only: bool = False

    @property
    def name(self) -> str:
        return self.title or short(self.owner)


def consent_uis(ctx: FlowContext) -> list[ConsentUi]:
    """Classes (or Compose files) that show privacy-policy text with an agree action: the first-run privacy
    dialog, activity or composable. `refuse` lists its disagree handlers (empty when it has none)."""
    return memo(ctx, "consent_uis", lambda: _find_consent_uis(ctx))


def _find_consent_uis(ctx: FlowContext) -> list[ConsentUi]:
    out: list[ConsentUi] = []
    bridges = _bridge_handlers(ctx)
    for owner, fids in _functions_by_owner(ctx).items():
        agree: list[Handler] = []
        refuse: list[Handler] = []
        choose: list[Handler] = []
        for fid in fids:
            a, r = _handlers(ctx, fid)
            agree += a
            refuse += r
            choose += _choice_handlers(ctx, fid, {h.deferred for h in a + r})
            # A button that acts only once the agreement box is ticked: it agrees, and the box left unticked is
            # the way not to.
            for h in _ticked_handlers(ctx, fid):
                if h.deferred not in {x.deferred for x in refuse}:
                    if h.deferred not in {x.deferred for x in agree}:
                        agree.append(h)
                    choose.append(h)
        for kind, h in bridges.get(owner, ()):
            (agree if kind == "agree" else refuse).append(h)
        if not agree:
            continue
        built = _dialogs_built(ctx, agree + refuse)
        # Its layout is a data-binding one that binds its buttons to the handlers it keeps in fields: that layout's
        # texts are what it shows.
        bound = any(h.deferred is not None and h.deferred.kind == "lambda" and not h.deferred.call and
                    bool(_bound_click_texts(ctx, h.deferred.label)) for h in agree + refuse)
        policy = _policy_text(ctx, fids, bound) or _policy_text(ctx, _handed_to(ctx, agree + refuse)) or \
            _policy_text(ctx, built)
        named = "" if policy else _policy_named(ctx, built, agree + refuse)
        if not (policy or named):
            continue
        path, line, col = _owner_location(ctx, owner, fids)
        out.append(ConsentUi(owner, path, line, col, policy or named, agree, refuse, fids, choose,
                             named_only=bool(named)))
    return out


def _functions_by_owner(ctx: FlowContext) -> dict[str, list[FnId]]:
    """The project's functions by the class (or file facade) that declares them; a companion counts as its class."""
    def build() -> dict[str, list[FnId]]:
        by_owner: dict[str, list[FnId]] = {}
        for fid in ctx.index.all_functions():
            by_owner.setdefault(_top_owner(ctx, ctx.index.function(fid).owner), []).append(fid)
        return by_owner

    return memo(ctx, "functions_by_owner", build)


def agreed_keys(ctx: FlowContext, key_texts: Callable[[Iterable[str], Iterable[str]], list[str]]) -> frozenset[str]:
    """What the consent UIs' agree actions store a mark under (`true`, `"0"`, a version: `setParam(IS_NEED_SERCERT,
    true)` in the `sureClick()` the agree button calls, two calls deep): the stored agreement, however it is named.
    `key_texts` says what a key argument names (`ConsentModel.key_texts`)."""
    out: set[str] = set()
    for ui in consent_uis(ctx):
        todo = [(h.fid, s, 0) for h in ui.agree for s in ctx.index.sites_of(h.fid) if h.contains(s)]
        seen: set[FnId] = set()
        while todo:
            fid, site, depth = todo.pop()
            if site.kind != "call":
                continue
            if KEY_WRITES.match(site.name) and len(site.args) >= 2 and _marks(value(site.args[-1])):
                key = key_argument(site.args[:-1]) or site.args[0]
                out.update(t for t in key_texts(key.strings, key.refs) if len(t) > 3)
                continue
            if depth >= 2:
                continue
            for target, _how in ctx.index.resolve(fid, site):
                if target not in seen:
                    seen.add(target)
                    todo += [(target, s, depth + 1) for s in ctx.index.sites_of(target)]
    return frozenset(out)


def _marks(text: str) -> bool:
    """A stored value that marks something done: `true`, a non-empty string (`"0"`, the version name), a number
    other than 0."""
    if text == "true":
        return True
    if text[:1] in ('"', "'"):
        return len(text.strip("\"'")) > 0
    return text.rstrip("LlFf").isdigit() and text.rstrip("LlFf").strip("0") != ""


def _choice_handlers(ctx: FlowContext, fid: FnId, known: set[Deferred]) -> list[Handler]:
    """User actions (a "save my choices" button) that store the consent from a value — the switch the user set,
    off until turned on — rather than a literal `true`: the user can decline there."""
    out: dict[Deferred, Handler] = {}
    for site in ctx.index.sites_of(fid):
        if site.kind != "call" or not KEY_WRITES.match(site.name) or len(site.args) < 2:
            continue
        if not any(CONSENT_WORD.search(k) for k in (*site.args[0].strings, *site.args[0].refs)):
            continue
        written = value(site.args[-1])
        if is_literal(written):
            continue
        for d in reversed(site.deferred):
            if is_user_deferred(d):
                if d not in known:
                    out.setdefault(d, Handler(fid, d, _describe(d)))
                break
    return list(out.values())


def _ticked_handlers(ctx: FlowContext, fid: FnId) -> list[Handler]:
    """Click handlers whose action runs only when a check box is ticked (`if (!cbAgree.isChecked()) return;`,
    `if (mCheck.isChecked) { … } else toast(…)`): on a screen that shows the policy, the box is the agreement
    ("I have read and agree to the Privacy Policy") and the button goes on only with it."""
    out: dict[Deferred, Handler] = {}
    for site in ctx.index.sites_of(fid):
        if not any(_ticked(a) or _toggled_field(ctx, fid, a, None) for g in site.guards for a in g.atoms):
            continue
        d = next((d for d in reversed(site.deferred) if is_user_deferred(d)), None)
        if d is None or d in out or d.call in ("setOnCheckedChangeListener", "onCheckedChange") or \
                _sign_in(d.receiver):
            continue
        if any(g.line >= d.line and (_ticked(a) or _toggled_field(ctx, fid, a, d)) for g in site.guards
               for a in g.atoms):
            out[d] = Handler(fid, d, _describe(d))
    if out and _sign_in(short(ctx.index.function(fid).owner)):
        return []  # the terms box of a sign-in or registration form: consent to an account, not the first-run gate
    return list(out.values())


SIGN_IN = re.compile(r"登录|注册|账号")
# Words of a class or view named for signing in or registering (`SignGuideActivity`, `btnLogin`, `nextStepBtn` of
# a `RegisterView`).
SIGN_IN_WORDS = frozenset({"login", "logon", "signin", "signup", "sign", "register", "registration", "regist"})


def _sign_in(name: str) -> bool:
    words = identifier_words(name)
    return bool(SIGN_IN.search(name) or set(words) & SIGN_IN_WORDS or
                any(a == "log" and b in ("in", "on") for a, b in pairwise(words)))


def _toggled_field(ctx: FlowContext, fid: FnId, atom: Atom, handler: Deferred | None) -> bool:
    """An agreement box drawn by the app (an image that swaps its checked / unchecked picture): a boolean field of
    the class that starts `false` and is set `true` only in another view's click handler (`ivAgree.setOnClickListener
    { agreed = !agreed }`), held (`if (agreed) { … } else toast(…)`)."""
    name = atom.text.strip().removeprefix("this.")
    if not atom.positive or not name.isidentifier():
        return False
    fs = ctx.index.files[fid.file]
    owner = ctx.index.function(fid).owner
    if not any(b.function < 0 and b.owner == owner and b.name == name and b.value in ("", "false") for b in fs.bools):
        return False
    on = [w for w in fs.writes if w.name == name and w.function >= 0 and w.receiver in (None, "this") and w.args and
          w.args[-1].text.strip() not in ("false", "")]
    if not on:
        return False
    for w in on:
        d = next((d for d in reversed(w.deferred) if is_user_deferred(d)), None)
        if d is None or d == handler or d.receiver == (handler.receiver if handler is not None else None):
            return False
    return True


def _ticked(atom: Atom) -> bool:
    """`cbAgree.isChecked()`, `binding.agreeBox.isChecked`, held: a check box the user ticked."""
    text = atom.text.strip().removesuffix("()")
    head, _, last = text.rpartition(".")
    return atom.positive and last == "isChecked" and head.replace(".", "").replace("_", "").isalnum()


def only_uses(ctx: FlowContext, ui: ConsentUi, uis: list[ConsentUi]) -> bool:
    """Every agree action of `ui` is handed to another consent UI (`TermsScreen(onAgreed = { … })` in a screen
    that embeds it): `ui` uses that UI rather than being one."""
    others = {f for other in uis if other is not ui for f in other.functions}
    targets = [_handed_to(ctx, [h]) for h in ui.agree]
    return bool(others) and all(t and set(t) <= others for t in targets)


def _handed_to(ctx: FlowContext, handlers: list[Handler]) -> list[FnId]:
    """Project functions the handlers are handed to (`ConsentDialog(onAgree = { … })` → `ConsentDialog`)."""
    out: list[FnId] = []
    for h in handlers:
        if h.deferred is None:
            continue
        call = _call_of(h.deferred, ctx.index.sites_of(h.fid))
        if call is not None:
            out += [t for t, _how in ctx.index.resolve(h.fid, call) if t not in out]
    return out


def _bridge_handlers(ctx: FlowContext) -> dict[str, list[tuple[str, Handler]]]:
    """A WebView consent page: the methods of an object handed to `addJavascriptInterface` that the page calls
    to agree or refuse (`agree()`, `disagree()`), by the class that registers it."""
    index = ctx.index
    out: dict[str, list[tuple[str, Handler]]] = {}
    for fid, site in ctx.sites("addJavascriptInterface"):
        if site.kind != "call" or not site.args:
            continue
        owner = index.function(fid).owner
        text = value(site.args[0]).removeprefix("new ").strip()
        name = owner if text in ("this", f"{short(owner)}.this", "this@" + short(owner)) else text.split("(", 1)[0]
        cls = name if name in index.classes else index.resolve_type(name, fid.file, owner)
        if not cls or cls not in index.classes:
            continue
        for method in functions_of(ctx, cls):
            fn = index.function(method)
            kind = "refuse" if REFUSE_WORD.search(fn.name) else "agree" if AGREE_WORD.search(fn.name) else ""
            if kind and not fn.name.startswith(("is", "has", "get", "<")):
                label = f"`{short(cls)}.{fn.name}`"
                what = Msg(f"{label} (called by the web page)", f"{label}（由网页调用）")
                out.setdefault(_top_owner(ctx, owner), []).append((kind, Handler(method, None, what)))
    return out


POLICY_CLASS = re.compile(r"privacy|policy|protocol|agreement|隐私|协议", re.IGNORECASE)
# What a callback handed the user's answer is handed to: a dialog, or something named for the policy.
ANSWERING = re.compile(r"dialog|popup|sheet|privacy|policy|protocol|agreement|consent|隐私|协议", re.IGNORECASE)


def _policy_named(ctx: FlowContext, built: list[FnId], handlers: list[Handler]) -> str:
    """The dialog the handlers answer is a project class named for the policy (`PrivacyDialog(this, data) { isAgree
    -> … }`) and both answers are handled: its text may come from a server, its name says what it shows."""
    if {h.branch[1] for h in handlers if h.branch} != {True, False}:
        return ""
    for fid in built:
        name = short(ctx.index.function(fid).owner)
        if POLICY_CLASS.search(name):
            return name
    return ""


def _dialogs_built(ctx: FlowContext, handlers: list[Handler]) -> list[FnId]:
    """Functions of the project classes created where the handlers are registered (`AgreementPolicyDialog(this)`
    whose `setPositive { … }` / `setNegative { … }` they are): the dialog shows its texts itself."""
    out: list[FnId] = []
    for fid in dict.fromkeys(h.fid for h in handlers):
        owner = ctx.index.function(fid).owner
        for site in ctx.index.sites_of(fid):
            if site.kind not in ("new", "call") or site.receiver is not None or not site.name[:1].isupper():
                continue
            cls = ctx.index.resolve_type(site.name, fid.file, owner)
            if cls and cls in ctx.index.classes:
                out += [f for f in functions_of(ctx, cls) if f not in out]
    return out


def _top_owner(ctx: FlowContext, owner: str) -> str:
    """A companion object counts as its class."""
    decl = ctx.index.class_of(owner)
    if decl is not None and decl.kind == "companion" and decl.outer:
        return decl.outer
    return owner


def _owner_location(ctx: FlowContext, owner: str, fids: list[FnId]) -> tuple[str, int, int]:
    entry = ctx.index.classes.get(owner)
    if entry is not None:
        decl, fi = entry
        return ctx.index.files[fi].path, decl.line, decl.column
    fn = ctx.index.function(fids[0])
    return ctx.path_of(fids[0]), fn.line, fn.column


def _handlers(ctx: FlowContext, fid: FnId) -> tuple[list[Handler], list[Handler]]:
    agree: dict[Deferred, Handler] = {}
    refuse: dict[Deferred, Handler] = {}
    sites = list(ctx.index.sites_of(fid))
    seen: set[Deferred] = set()  # the sites of one block share their deferred contexts: each is judged once
    for site in sites:
        for d in site.deferred:
            if d in seen:
                continue
            seen.add(d)
            kind = _button_kind(ctx, d, sites, ctx.index.function(fid).owner)
            if kind == "agree":
                agree[d] = Handler(fid, d, _describe(d))
            elif kind == "refuse":
                refuse[d] = Handler(fid, d, _describe(d))
    for kind, h in _passed_on(ctx, fid, sites):
        table = agree if kind == "agree" else refuse
        table.setdefault(h.deferred, h)
    for kind, h in _answer_branches(sites, fid, seen):
        assert h.deferred is not None
        (agree if kind == "agree" else refuse).setdefault(h.deferred, h)
    params = ctx.index.function(fid).params
    if params:
        # A button that calls the composable's own callback parameter (`Button(onClick = { onDisagree() })`):
        # what the callers pass for it (`WelcomeDialog(onDisagree = { finish() })`) is that button's action too.
        for table in (agree, refuse):
            for h in list(table.values()):
                for site in sites:
                    if site.kind == "call" and site.receiver is None and site.name in params and h.contains(site):
                        for passed in _caller_lambdas(ctx, fid, site.name, 0):
                            table.setdefault(passed.deferred, passed)
    by_id = _view_id_branches(ctx, fid, sites)
    return list(agree.values()) + by_id["agree"], list(refuse.values()) + by_id["refuse"]


def _view_id_branches(ctx: FlowContext, fid: FnId, sites: list[Site]) -> dict[str, list[Handler]]:
    """The cases of a screen's own `onClick(View v)` (`switch (v.getId()) { case R.id.button_agree: … }`), by the
    view each tests: its id (`button_agree`, `btn_disagree`) or its layout text (同意, 不同意, 退出)."""
    out: dict[str, list[Handler]] = {"agree": [], "refuse": []}
    if ctx.index.function(fid).name not in ("onClick", "onViewClicked"):
        return out
    atoms = {a.text for s in sites for g in s.guards for a in g.atoms if a.positive and "R.id." in a.text}
    for text in sorted(atoms):
        view = text.rsplit("R.id.", 1)[1].strip(" )")
        if not view.isidentifier():
            continue
        kind = "refuse" if REFUSE_WORD.search(view) else "agree" if AGREE_WORD.search(view) else \
            _label_kind(view_texts(ctx, view))
        if kind:
            what = Msg(f"`{view}` click", f"`{view}` 的点击事件")
            out[kind].append(Handler(fid, None, what, (text, True)))
    return out


def _answer_branches(sites: list[Site], fid: FnId, deferred: set[Deferred]) -> list[tuple[str, Handler]]:
    """A callback handed the user's answer (`PrivacyDialog(this) { isAgree -> if (isAgree) agree() else finish() }`,
    `onResult(agreed: Boolean)`): its two sides, by the branch on the answer (an identifier named for agreeing)."""
    out: list[tuple[str, Handler]] = []
    innermost = {s.deferred[-1] for s in sites if s.deferred}
    for d in deferred & innermost:
        if d.kind not in ("lambda", "anonymous") or \
                not any(ANSWERING.search(t) for t in (d.call, d.receiver, d.supertype) if t):
            continue  # only a callback handed to a dialog answers (not a branch on the app's own state)
        names = {a.text.strip() for s in sites if s.deferred and s.deferred[-1] == d for g in s.guards
                 for a in g.atoms if a.text.strip().isidentifier() and AGREE_WORD.search(a.text)}
        if len(names) != 1:
            continue
        name = names.pop()
        for positive, kind in ((True, "agree"), (False, "refuse")):
            if any(a.text.strip() == name and a.positive == positive for s in sites if d in s.deferred
                   for g in s.guards for a in g.atoms):
                side = Msg(f"the `{name}` side of the answer callback", f"应答回调中 `{name}` 为真的分支") if positive \
                    else Msg(f"the `!{name}` side of the answer callback", f"应答回调中 `{name}` 为假的分支")
                out.append((kind, Handler(fid, d, side, (name, positive))))
    return out


def _passed_on(ctx: FlowContext, fid: FnId, sites: list[Site], depth: int = 0) -> list[tuple[str, Handler]]:
    """Agree/refuse actions a composable hands on from its own parameters (`TermsScreen(onAgree = { … },
    onDecline = onDeclined)`): the lambdas its callers pass for that parameter, followed up to three callers
    up (`SplashApp(onDeclined = { finish() })`)."""
    params = ctx.index.function(fid).params
    out: list[tuple[str, Handler]] = []
    if not params:
        return out
    for site in sites:
        if site.kind not in ("call", "new"):
            continue
        for arg in site.args:
            if not arg.label or value(arg) not in params:
                continue
            kind = "refuse" if REFUSE_WORD.search(arg.label) else "agree" if AGREE_WORD.search(arg.label) else ""
            if not kind and site.name.endswith("Button") and arg.label == "onClick":
                # `ASTextButton(onClick = onClickDismiss) { Text(stringResource(R.string.common_refuse)) }`
                kind = _label_kind([t for t in arg_texts(ctx, site.args) if t])
            if kind:
                out += [(kind, h) for h in _caller_lambdas(ctx, fid, value(arg), depth)]
    return out


def _caller_lambdas(ctx: FlowContext, fid: FnId, param: str, depth: int) -> list[Handler]:
    """The lambdas callers of `fid` pass as its parameter `param` (by name), following parameters passed on."""
    if depth >= 3:
        return []
    out: list[Handler] = []
    for caller, call in callers(ctx, fid):
        for arg in call.args:
            if arg.label != param:
                continue
            inner = value(arg)
            caller_params = ctx.index.function(caller).params
            if inner in caller_params:
                out += _caller_lambdas(ctx, caller, inner, depth + 1)
                continue
            for s in ctx.index.sites_of(caller):
                d = next((d for d in s.deferred if d.label == param and d.call == call.name
                          and call.line <= d.line <= call.end_line), None)
                if d is not None:
                    out.append(Handler(caller, d, _describe(d)))
                    break
    return out


def _button_kind(ctx: FlowContext, d: Deferred, sites: list[Site], owner: str = "") -> str:
    """"agree" / "refuse" / "" for a deferred context: by the text of the button it belongs to
    (`setNegativeButton(R.string.disagree)`, `TextButton(onClick = …) { Text("同意") }`), by the button of a
    dialog that shows the policy, or by its receiver, label or call (`btnDisagree`, `onAgree =`)."""
    if d.kind == "lambda" and not d.call and d.label:
        # A click handler kept in a field that a data-binding layout binds to a view
        # (`app:onClickCall="@{dialog.onExitClick}"` on the 退出 button): that view's text says what it does.
        bound = _bound_click_texts(ctx, d.label)
        kind = _label_kind(bound) or ("refuse" if any(EXIT_TEXT.search(t) for t in bound) else "")
        if kind:
            return kind
    if not (is_user_deferred(d) or d.kind == "anonymous"):
        return ""
    call = _call_of(d, sites)
    if d.call in POSITIVE_CALLS or d.call in NEGATIVE_CALLS:
        label = arg_texts(ctx, call.args[:1]) if call is not None else []
        kind = _label_kind(label)
        if kind or call is None or not _policy_dialog(ctx, call, sites):
            return kind
        return "agree" if d.call in ("setPositiveButton", "positiveButton") else \
            "refuse" if d.call in NEGATIVE_CALLS else ""
    texts = [t for t in (d.receiver, d.label, d.call) if t]
    if any(REFUSE_WORD.search(t) for t in texts):
        return "refuse"
    if d.receiver and d.call in ("setOnClickListener", "setOnClickListener$default", "onClick", "clicks") and \
            not any(AGREE_WORD.search(t) for t in texts):
        texts = view_texts(ctx, d.receiver, owner)
        kind = _label_kind(texts) or ("refuse" if any(EXIT_TEXT.search(t) for t in texts) else "")
        if kind:
            return kind  # `tvCloseApp.setOnClickListener`: the layout's text says 不同意并退出
    if any(WITHDRAW_NAME.search(t) for t in texts):
        if call is not None and d.label and any(a.label and a.label != d.label and
                                                 (AGREE_WORD.search(a.label) or YES_LABEL.match(a.label))
                                                 for a in call.args):
            return "refuse"  # `PrivacyPolicy(cancelClick = { … }, agreeClick = { … })`, `onConfirm`/`onCancel`
        return ""  # withdrawing consent (Settings), not the first-run dialog
    if is_agree_deferred(d):
        return "agree"
    if is_refuse_answer(d):
        return "refuse"
    if d.receiver and d.call in ("setOnClickListener", "onClick", "clicks"):
        # a view named for its answer (`ll_sure`, `btnOk`, `tvCancel`) whose layout text did not say (a container)
        words = set(identifier_words(_view_name(d.receiver)))
        if words & CANCEL_VIEW_WORDS:
            return "refuse"
        if words & CONFIRM_VIEW_WORDS:
            return "agree"
    if d.call in COMPOSE_BUTTONS and call is not None:
        return _label_kind([t for t in arg_texts(ctx, call.args) if t])
    # A button named for nothing that calls the dialog's listener for an answer (`tvCancel` → `listener.noAgree()`,
    # `tvOk` → `listener.agree()`).
    called = [s.name for s in sites if s.kind == "call" and s.deferred and s.deferred[-1] == d]
    if any(REFUSE_WORD.search(n) for n in called):
        return "refuse"
    if any(AGREE_CALL.match(n) for n in called):
        return "agree"
    return ""


def view_texts(ctx: FlowContext, receiver: str, owner: str = "") -> list[str]:
    """Texts of the layout views a click receiver is named after: `binding.tvCloseApp`, `tv_close_app`,
    `mBtnDisagree` → the view `@+id/tv_close_app` / `btn_disagree` (view binding derives its names from the ids;
    hand-written code names its locals after them). A field named with other widget words than its id
    (`@BindView(R.id.go_main) Button mGoMainBt`, `mTry` for `bt_try`) is matched against the views of the layouts
    its class (`owner`) inflates, by the words that are not widget words, when one view has them."""
    table = memo(ctx, "view_texts", lambda: _texts_by_view_id(ctx))
    name = receiver.rsplit(".", 1)[-1].strip()
    if not name.isidentifier():
        return []
    for candidate in dict.fromkeys((name, _snake(name), _snake(name.removeprefix("m")) if name[1:2].isupper()
                                    else name)):
        if candidate in table:
            return table[candidate]
    if not owner:
        return []
    words = _view_words(name.removeprefix("m") if name[1:2].isupper() else name)
    if not words:
        return []
    found = [texts for view, texts in _owner_view_texts(ctx, owner).items() if _view_words(view) == words]
    return found[0] if len(found) == 1 else []


# Words of a view's name or id that say what kind of widget it is, not which one (`mGoMainBt`, `bt_try`, `tvAgree`).
WIDGET_WORDS = frozenset({"bt", "btn", "button", "tv", "txt", "text", "textview", "iv", "img", "image", "view",
                          "ll", "rl", "cl", "fl", "layout", "lay", "cb", "checkbox", "sw", "switch", "ib", "fab"})


def _view_words(name: str) -> frozenset[str]:
    return frozenset(identifier_words(name)) - WIDGET_WORDS


def _owner_view_texts(ctx: FlowContext, owner: str) -> dict[str, list[str]]:
    """The texts of the views with an id in the layouts a class inflates or names (`R.layout.activity_notice`,
    `ActivityNoticeBinding.inflate`), by view id."""
    def build() -> dict[str, dict[str, list[str]]]:
        return {}

    cache = memo(ctx, "owner_view_texts", build)
    found = cache.get(owner)
    if found is None:
        names = {n for fid in functions_of(ctx, owner) for site in ctx.index.sites_of(fid) for n in layout_names(site)}
        found = {}
        for layout in ctx.resources.layouts:
            if layout.name not in names:
                continue
            for el in layout.root.iter():
                view_id = el.get("android:id") or ""
                if view_id.startswith(("@+id/", "@id/")):
                    texts = element_texts(ctx, el)
                    if texts:
                        found.setdefault(view_id.split("/", 1)[1], []).extend(texts)
        cache[owner] = found
    return found


def _texts_by_view_id(ctx: FlowContext) -> dict[str, list[str]]:
    table: dict[str, list[str]] = {}
    for layout in ctx.resources.layouts:
        for el in layout.root.iter():
            view_id = el.get("android:id") or ""
            if view_id.startswith(("@+id/", "@id/")):
                texts = element_texts(ctx, el)
                if texts:
                    table.setdefault(view_id.split("/", 1)[1], []).extend(texts)
    return table


def bound_layouts(ctx: FlowContext) -> dict[str, list[str]]:
    """Data-binding layouts by the classes they declare a variable of (`<data><variable name="dialog"
    type="com.x.PrivacyDialog"/></data>`): the class binds itself into that layout, whose texts it shows."""
    def build() -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for layout in ctx.resources.layouts:
            for el in layout.root.iter("variable"):
                cls = (el.get("type") or "").strip()
                if cls and layout.name not in out.get(cls, []):
                    out.setdefault(cls, []).append(layout.name)
        return out

    return memo(ctx, "bound_layouts", build)


def _bound_click_texts(ctx: FlowContext, name: str) -> list[str]:
    """Texts of the layout views whose data-binding expressions name the field `name` (`@{dialog.onExitClick}`,
    `@{() -> vm.onAgree.call()}`)."""
    def build() -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for layout in ctx.resources.layouts:
            if not any(True for _ in layout.root.iter("variable")):
                continue
            for el in layout.root.iter():
                texts = element_texts(ctx, el)
                if not texts:
                    continue
                for key, attr in el.attrs.items():
                    if not attr.startswith("@{") or key.startswith("android:text"):
                        continue
                    for word in re.findall(r"\.\s*([A-Za-z_]\w*)", attr):
                        out.setdefault(word, []).extend(texts)
        return out

    return memo(ctx, "bound_click_texts", build).get(name, [])


def _label_kind(texts: list[str]) -> str:
    # `拒  绝`, `同　意`: Chinese labels are spaced out for width; the words are the same
    texts = texts + ["".join(t.split()) for t in texts if any("\u4e00" <= ch <= "\u9fff" for ch in t)]
    if any(REFUSE_TEXT.search(t) for t in texts):
        return "refuse"
    if any(AGREE_TEXT.search(t) for t in texts):
        return "agree"
    return ""


def _policy_dialog(ctx: FlowContext, call: Site, sites: list[Site]) -> bool:
    """The dialog builder chain around a button call sets a title or message naming the privacy policy."""
    return any(site.name in ("setTitle", "setMessage", "setView", "title", "message")
               and call.line <= site.line <= call.end_line and site.deferred == call.deferred
               and any(POLICY_TEXT.search(t) for t in arg_texts(ctx, site.args)) for site in sites)


def _call_of(d: Deferred, sites: Iterable[Site]) -> Site | None:
    """The call a deferred context is handed to."""
    for site in sites:
        if site.name == d.call and (site.receiver or "") == d.receiver and site.line <= d.line <= site.end_line:
            return site
    return None


def _describe(d: Deferred) -> Msg:
    if d.call in NEGATIVE_CALLS:
        return Msg("the dialog's negative button", "对话框的否定按钮")
    if d.call in POSITIVE_CALLS:
        return Msg("the dialog's positive button", "对话框的肯定按钮")
    if d.receiver and d.call:
        if d.label and d.kind == "anonymous" and "Listener" not in d.call:  # `setCallback(new Callback() { no() })`
            return Msg(f"`{d.label}()` of `{d.receiver}`'s callback", f"`{d.receiver}` 回调的 `{d.label}()`")
        if d.label:
            return Msg(f"`{d.receiver}` {d.label}", f"`{d.receiver}` 的 {d.label} 回调")
        return Msg(f"`{d.receiver}` click", f"`{d.receiver}` 的点击事件")
    if d.label:
        return Msg(f"`{d.label}`", f"`{d.label}` 回调")
    return Msg(f"`{d.call}`", f"`{d.call}` 回调")


def _policy_text(ctx: FlowContext, fids: list[FnId], bound: bool = False) -> str:
    """A string (resource, literal or layout text) used by these functions that names the privacy policy; with
    `bound`, also the texts of the data-binding layouts that declare their class as a variable."""
    seen_layouts: set[str] = set()
    for fid in fids:
        fs = ctx.index.file_of(fid)
        for lit in fs.strings:
            if lit.function == fid.index and POLICY_TEXT.search(lit.value):
                return lit.value
        found = _imported_property_text(ctx, fid)
        if found:
            return found
        for layout in bound_layouts(ctx).get(ctx.index.function(fid).owner, ()) if bound else ():
            if layout not in seen_layouts:
                seen_layouts.add(layout)
                found = next((t for t in layout_texts(ctx, layout) if POLICY_TEXT.search(t)), "")
                if found:
                    return found
        for site in ctx.index.sites_of(fid):
            for name in string_refs(site):
                text = res_text(ctx, name)
                if POLICY_TEXT.search(text) or POLICY_TEXT.search(name):
                    return text or name
            if site.kind == "field":  # a property holding the texts (`legalPages[1].url`)
                for target, _how in ctx.index.resolve(fid, site):
                    if ctx.index.function(target).name.startswith(("<clinit>", "get:")):
                        for lit in ctx.index.file_of(target).strings:
                            if lit.function == target.index and POLICY_TEXT.search(lit.value):
                                return lit.value
            for layout in layout_names(site):
                if layout in seen_layouts:
                    continue
                seen_layouts.add(layout)
                for text in layout_texts(ctx, layout):
                    if POLICY_TEXT.search(text):
                        return text
    return ""


def _imported_property_text(ctx: FlowContext, fid: FnId) -> str:
    """Policy text held by a top-level property the function reads by its imported name (`legalPages[1].url`
    with `import com.x.content.legalPages`): the literals of the initialisers of that package's files."""
    fs = ctx.index.file_of(fid)
    refs = {name for name, _line in fs.refs[fid.index]} if fid.index < len(fs.refs) else set()
    packages = set()
    for imp in fs.imports:
        package, _, name = imp.path.rpartition(".")
        if not imp.wildcard and name in refs and name[:1].islower():
            packages.add(package)
    if not packages:
        return ""
    table: dict[str, list[FnId]] = memo(ctx, "top_level_initialisers", lambda: _top_level_initialisers(ctx))
    for package in packages:
        for init in table.get(package, ()):
            for lit in ctx.index.file_of(init).strings:
                if lit.function == init.index and POLICY_TEXT.search(lit.value):
                    return lit.value
    return ""


def _top_level_initialisers(ctx: FlowContext) -> dict[str, list[FnId]]:
    """The `<clinit>` of every Kotlin file facade, by package."""
    out: dict[str, list[FnId]] = {}
    for fid in ctx.index.all_functions():
        fn = ctx.index.function(fid)
        fs = ctx.index.file_of(fid)
        if fn.name == "<clinit>" and fn.owner == fs.facade and fs.language == "kotlin":
            out.setdefault(fs.package, []).append(fid)
    return out


def functions_of(ctx: FlowContext, owner: str) -> list[FnId]:
    """Functions declared in a class (or file facade)."""
    def build() -> dict[str, list[FnId]]:
        table: dict[str, list[FnId]] = {}
        for fid in ctx.index.all_functions():
            table.setdefault(ctx.index.function(fid).owner, []).append(fid)
        return table

    return memo(ctx, "functions_by_owner", build).get(owner, [])
