"""Conditions whose value on first launch is known, wherever they sit on a path.

Before the user answers the privacy dialog the app has just been installed: nothing the user chooses later
is stored yet, and the components start with the intents the launcher or the app's own start-up code sends.
A condition that holds only when a keyed value is present is false then:
- a stored switch read with the default `false` (`prefs.getBoolean(START_ON_BOOT, false)`, `mmkv.decodeBool(KEY)`,
  `Boolean.valueOf(get(KEY, "false"))`);
- an intent extra (`intent.getBooleanExtra(LOG_ONCE, false)`, `extras.getBoolean(LOG_ONCE)`,
  `bundle.get(LOG_ONCE) != null`, `getStringExtra(ROUTE) != null`),
read directly, through a local initialised with that read (`boolean start = helper.shouldStartOnBoot(); if
(start)`), through the app's own boolean preference helper (`SharedPrefs.getBooleanPreference(ctx, KEY, false)`,
or its short overload that passes `false` on), or through a short project getter that returns it (or that only
compares a stored setting with values other than its default: `getMode().equals("custom")`, also through
`Objects.equals(prefs.getString(K, null), "v2")`); a value a project
function reads from the Intent it is given (`routeFromIntent(intent) != null`: the launcher's intent has no
extras); a signed-in user (`isLoggedIn()`, `currentUserId(ctx) ?: return`) in an app that asks for consent
(signing in comes after it)
- unless code that itself runs before consent stores or puts something other than `false` under that key
outside a user action. Likewise a boolean field of the running class (or a companion/static one) that starts
`false` (`private var canJump = false`, a Java `boolean` field without initialiser) - the splash-ad template,
`if (canJump) goMain()` with `canJump = true` only in the ad's `onAdDismissed` - unless code that runs before
consent sets it to something but `false` (see `FirstLaunch.field_off`). Code that runs only when such a
condition holds does not run before consent, whichever function on the path holds the condition (the boot
receiver, a callee's early return, a service's intent handler). A Kotlin property's getter or a parameterless
getter that only returns another such getter (`fun crashReportsOn() = isStatsEnabled`) counts too - in an app
that never asks for consent only when the switch names data collection (an opt-in: `_opt_in`).

The other way round, a stored switch read with the default `true` (`prefs.getBoolean(SEND_STATS, true)`, the
app's helper called with `true`, a short getter or Kotlin property that returns such a read) holds on first
launch (`FirstLaunch.default_on`): what it guards runs before anybody was asked - an opt-out, not consent, whatever
the key is named. The early-collection rules say so and end the trace where the default is written.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence

from pipl_lint.model.consent import USER_LABEL, ConsentModel, is_whole_call, key_argument, reads_true_default
from pipl_lint.model.index import FnId, ProgramIndex
from pipl_lint.model.summary import Arg, Atom, BoolVar, Guard, Site, getter_of, setter_of

# Keyed boolean reads whose last argument is the default (`getBoolean(key, false)`, `SPUtils.get(key, false)`,
# `getBooleanExtra(key, false)`).
READS_WITH_DEFAULT = frozenset({"getBoolean", "getBool", "decodeBool", "get", "getValue", "getBooleanValue",
                                "readBoolean", "getPreferenceBoolean", "getSPBoolean", "getBooleanExtra"})
# Keyed reads without a default: false (`decodeBool(key)`, Bundle `getBoolean(key)`) or null when absent.
BOOLEAN_WITHOUT_DEFAULT = frozenset({"decodeBool", "getBoolean"})
NULL_WHEN_ABSENT = frozenset({"get", "getString", "getStringExtra", "getSerializableExtra", "getParcelableExtra",
                              "getBundleExtra", "getSerializable", "getParcelable", "getBundle", "decodeString",
                              "getCharSequenceExtra", "getStringArrayExtra", "getStringArrayListExtra"})
KEYED_READS = READS_WITH_DEFAULT | BOOLEAN_WITHOUT_DEFAULT | NULL_WHEN_ABSENT
# The app's own preference helpers for a boolean (`SPUtils.getBooleanPreference(ctx, KEY, false)`, `getBool(KEY)`).
BOOLEAN_HELPER = re.compile(r"^(get|read|decode|load|query)\w*(Bool|Boolean)\w*$")
WRITES = frozenset({"putBoolean", "encode", "put", "putValue", "setBoolean", "putBool", "setValue", "save",
                    "saveBoolean", "writeBoolean", "putPreferenceBoolean", "set", "putString", "putExtra",
                    "putSerializable", "putParcelable", "putBundle", "putStringArrayListExtra"})
FALSE_TEXTS = frozenset({"false", '"false"'})  # `getBoolean(K, false)`; `Boolean.valueOf(get(K, "false"))`
# Reads of a setting with a default (`getString(PROVIDER, "gaode")`, `decodeInt(MODE, 0)`).
SETTING_READS = frozenset({"getString", "getInt", "getLong", "decodeString", "decodeInt", "decodeLong", "get",
                           "getValue"})
# A signed-in user: nobody has signed in on first launch (signing in is a user action, after the policy);
# `isTrueLogin` (a real account, not a guest), `isNewLogin` (a sign-in just happened), `hasAuthentication` too.
SIGNED_IN = re.compile(r"^(is|has)(True|Real|Already|New|Valid)?(User)?"
                       r"(Logged(In)?|Login(ed)?|SignedIn|Authenticated|Authed|Authentication|Auth)$|"
                       r"^(get)?(current|loggedIn|signedIn|login)(User|Account|Member|Uid)(Id|Info)?$", re.IGNORECASE)
# A stored key that says a user has signed in (`is_login`, `isLoggedIn`, `KEY_LOGIN_STATE`, `signed_in`).
SIGNED_IN_KEY = re.compile(r"log_?in|logged|sign(ed)?_?in", re.IGNORECASE)
NOT_NULL = " != null"
IS_NULL = " == null"
# A stored switch for data collection (`analytics_enabled`, `send_crash_reports`, `usageStatistics`).
COLLECTION_SWITCH = re.compile(r"crash.?report|send.?crash|crashlytics|analytic|telemetry|tracking|"
                               r"usage.?(data|stat|report)|diagnostic|statistic|data.?collect", re.IGNORECASE)
GETTER_MAX_LINES = 6  # a getter that returns a stored switch is a line or three
# What is the same on every first launch - the process, the OS version, the build, the thread, a permission (granted
# or not, it is no consent), a null or instance test: a condition on it decides nothing (`FirstLaunch.undecided`).
ENVIRONMENT = re.compile(r"SDK_INT|\bBuild\b|BuildConfig|[Pp]rocess|[Pp]ackageName|Looper|Thread|DEBUG|isDebug|"
                         r"[Pp]ermission|PERMISSION|instanceof|savedInstanceState|\bnull\b")
# A value a server or a remote configuration sends (`RemoteConfig.getBoolean("x")`, `AppSwitch.isOpen()`).
SERVER_WORDS = re.compile(r"remote|server|cloud|online|switch|toggle|feature|experiment|abtest|ab_test", re.IGNORECASE)
# What the app is handed or has stored: an intent's extras, a fragment's arguments, settings.
INPUT_WORDS = re.compile(r"intent|extra|argument|bundle|pref|setting", re.IGNORECASE)
EXTRA_READS = frozenset({"hasExtra", "getQueryParameter", "getData", "contains", "getStringSet"})
# An intent's action: the component's intent filter decides it (a boot receiver gets BOOT_COMPLETED, the launcher MAIN).
ACTION_READS = ("getAction()", ".action", "action")
# A field among the keys (`FirstLaunch.on`/`used`): (FIELD, its name).
FIELD = "<field>"
# An ad's events (`onAdDismissed`, `onADDismissed`, `onNoAD`, `onSplashAdClose`): they come once the ad has shown
# or failed, not on the start-up path itself (an ad SDK started before consent is reported where it starts).
AD_EVENT = re.compile(r"^on(No)?(Splash)?(Ad|AD)(?![a-z])\w*$|^onSplash[A-Z]\w*$")
# Functions that set a field and run with the object, called or not.
INITIALISERS = frozenset({"<init>", "<clinit>", "<inject>"})
MAX_CALLERS = 64  # sites of a name looked at to tell whether project code calls a function of that name


class FirstLaunch:
    """Which guards are false on first launch. Optimistic at first: every stored switch read with the default
    off is off; `PreConsent` then asks which of the switches it relied on code it reached writes on
    (`turned_on`), marks those on and walks again, until nothing changes."""

    def __init__(self, index: ProgramIndex, consent: ConsentModel) -> None:
        self.index = index
        self.consent = consent
        self.on: set[tuple[str, ...]] = set()  # keys that code running before consent stores something but false in
        self.used: set[tuple[str, ...]] = set()  # keys found off so far
        self._getters: dict[str, bool] = {}
        self._getter_reads: dict[tuple[str, bool, str, int, bool], tuple[FnId, Site] | None] = {}
        self._property_index: dict[str, list[FnId]] | None = None
        self._bools: dict[str, list[tuple[int, BoolVar]]] | None = None  # name -> (file, declaration)
        self._writes: dict[str, list[tuple[FnId, Site]]] | None = None  # name -> assignments to it
        self._starts_false: dict[tuple[int, str, str, str], bool] = {}
        self._callers: dict[FnId, bool] = {}
        self._getter_fields: dict[tuple[str, bool], frozenset[str]] = {}
        # off_guard's answers while `on` stays the same, by function and guards: the sites of one block share
        # their guards object (`summaries.shared`), and walks ask about the same sites again and again.
        self._off: dict[tuple[FnId, int], tuple[tuple[Guard, ...], Guard | None]] = {}

    def off_guard(self, fid: FnId, site: Site) -> Guard | None:
        """The first guard of `site` (in function `fid`) that is false on first launch, or None."""
        guards = site.guards
        if not guards:
            return None
        key = (fid, id(guards))
        known = self._off.get(key)
        if known is not None and known[0] is guards:
            return known[1]
        found = next((g for g in guards if g.atoms and any(self.atom_off(fid, a) for a in g.atoms)), None)
        self._off[key] = (guards, found)
        return found

    def atom_off(self, fid: FnId, atom: Atom) -> bool:
        """The atom must hold for the guarded code to run, and it holds only when a keyed value is present
        that nothing running before consent stores unasked."""
        text = atom.text.strip()
        if atom.positive and self.field_off(fid, text):
            return True
        if atom.positive and self._setting_differs(fid, atom, text):
            return True
        if atom.positive and self._property_off(fid, text):
            return True
        if atom.positive and _signed_in(atom, text) and self.consent.asks_for_consent():
            return True  # signing in comes after the privacy dialog (an app that never asks: no such order)
        if SERVER_WORDS.search(" ".join((*atom.calls, *atom.names))):
            return False  # a server's or remote configuration's value (`remoteConfig.getBoolean(K)`): not stored
        # `bundle.get(K) != null` must hold, or `getStringExtra(K) == null` must not (`if (… == null) return`).
        present = text.endswith(NOT_NULL if atom.positive else IS_NULL)
        if not (atom.positive or present) or not atom.calls or self.consent.atom_is_consent(atom):
            return False
        if present:
            text = text[:-len(NOT_NULL)].strip()
        if text.isidentifier():  # a local whose initialiser the extractor merged into the atom
            return any(self._call_off(fid, call, present) for call in atom.calls)
        return any(is_whole_call(text, call) and self._call_off(fid, call, present, text) for call in atom.calls)


    def turned_on(self, reached: Iterable[FnId]) -> set[tuple[str, ...]]:
        """Keys not yet on that a function in `reached` (code that runs before consent) stores something other
        than `false` under, outside a user action."""
        fids = set(reached)
        out: set[tuple[str, ...]] = set()
        for name in WRITES:
            for fid, s in self.index.by_site_name.get(name, ()):
                if fid not in fids or len(s.args) < 2 or s.args[-1].text in FALSE_TEXTS:
                    continue
                key = _key(s.args[-2])
                if not key or key in self.on:
                    continue
                st = self.consent.state(s)
                if not (st.user_action or st.gated) and self.off_guard(fid, s) is None:
                    out.add(key)
        return out | self._fields_set(fids)

    def assume_on(self, keys: set[tuple[str, ...]]) -> None:
        self.on |= keys
        self._getters.clear()
        self._getter_reads.clear()
        self._off.clear()

    # --- conditions first launch does not decide ----------------------------------------------------------
    def undecided(self, fid: FnId, guard: Guard) -> Atom | None:
        """An atom of `guard` (a condition on the path that is not a consent check, in function `fid`) whose value
        on first launch the code does not decide: a server's or a remote configuration's switch, an intent extra or
        argument that must be there, a stored setting whose default is not a literal, a comparison of such a value
        with another (`prefs.locationProvider == AMAP` when the getter's default cannot be read). None when every
        atom is about the environment (the process, the OS version, the build, a permission: the same on every
        first launch), holds by a known default (`default_on`: also through the app's getters) or by the launcher's
        intent having no extras, tests a parameter or
        a signed-in user (nobody, on first launch), or is a project check the model cannot see into (then it may
        well hold)."""
        for atom in guard.atoms:
            text = atom.text.strip()
            if not text or ENVIRONMENT.search(text) or self.consent.atom_is_consent(atom) or _signed_in(atom, text):
                continue
            if self.default_on(fid, atom) is not None:
                continue  # a setting on by default: it holds on first launch
            said = " ".join((*atom.calls, *atom.names))
            if SERVER_WORDS.search(said):
                return atom
            sides = _compared(text)
            if sides is not None and (_is_value(sides[0]) or _is_value(sides[1])):
                read = sides[0] if _is_value(sides[1]) else sides[1]
                if read.endswith(ACTION_READS) or (not atom.positive and INPUT_WORDS.search(read)):
                    continue  # the component's intent filter decides the action; absent extras differ from a value
                stored = any(_reads_key(c.rsplit(".", 1)[-1]) and (c in read or read.isidentifier())
                             for c in atom.calls)
                if not (stored or INPUT_WORDS.search(read)):
                    continue  # a value that is not handed in nor stored (`cameras.size == 0`, `mIndex == ANY`)
                default = self._setting_default(fid, atom, read)
                if read in self.index.function(fid).params or (default is not None and _is_value(default)):
                    continue  # decided by the caller, or by the setting's default
                return atom
            sites = [x for x in self.index.sites_of(fid) if x.kind == "call" and x.qualified in atom.calls]
            if any(_decided_read(x) for x in sites):
                continue  # `getBoolean(KEY, true)`, `decodeBool("cached_id")`: the default, or what start-up stored
            # `context.getString(R.string.api_key)` is the build's resource, not a stored setting
            resources = {x.qualified for x in sites if len(x.args) == 1 and _resource_read(x)} \
                if sides is None else set()
            if any(_reads_key(c.rsplit(".", 1)[-1]) for c in atom.calls if c not in resources) or \
                    (atom.positive and INPUT_WORDS.search(said)):
                return atom
        return None

    # --- a setting on by default ------------------------------------------------------------------------------
    def default_on(self, fid: FnId, atom: Atom) -> tuple[FnId, Site] | None:
        """Where the atom (a condition the guarded code needs, in function `fid`) gets the value `true` on first
        launch from a stored setting's default: a keyed read with the default `true` (`prefs.getBoolean(SEND_STATS,
        true)`, the app's helper `getBoolean(R.string.p_stats, true)`, through a local initialised with it), or a
        short project getter or Kotlin property that returns one (`val isTrackingEnabled get() =
        getBoolean(R.string.p_stats, true)`, `fun analyticsOn() = settings.isTrackingEnabled`). Nothing is stored
        on first launch, so the condition holds: an opt-out setting, not consent. None otherwise."""
        if not atom.positive:
            return None
        text = atom.text.strip()
        for call in atom.calls:
            if not (text.isidentifier() or is_whole_call(text, call)):
                continue
            sites = self._call_sites(fid, call, "" if text.isidentifier() else text)
            if sites and all(reads_true_default(s) for s in sites):
                return fid, sites[0]
            if not sites or not is_whole_call(text, call) or any(_keyed_read(s) for s in sites):
                continue  # a read with another default (or none) says so itself
            found = self._getter_on(call.rsplit(".", 1)[-1], False)
            if found is not None:
                return found
        if text.replace(".", "").replace("_", "").isalnum():
            last = text.rsplit(".", 1)[-1]  # `preferences.isTrackingEnabled`, `settings.analyticsOn`
            if last[:1].islower() and not (last == text and self._hidden_by_local(fid, last)):
                return self._getter_on(last, True)
        return None

    def _call_sites(self, fid: FnId, call: str, text: str) -> list[Site]:
        """The sites in `fid` of `call`; with `text`, only those whose call text is `text` (its arguments too,
        whitespace aside): the call the condition is, not the same helper's other reads."""
        return [s for s in self.index.sites_of(fid) if s.kind == "call" and s.qualified == call and
                (not text or _same_text(text, f"{call}({', '.join(a.text for a in s.args)})"))]

    def _getter_on(self, name: str, prop: bool) -> tuple[FnId, Site] | None:
        """The default-`true` read every short project getter named `name` (a Kotlin property's `get() = …` with
        `prop`) returns, directly or through another such getter."""
        return self._getter_read(name, prop, reads_true_default)

    def _getter_read(self, name: str, prop: bool, test: Callable[[Site], bool], hops: int = 2,
                     params: bool = True) -> tuple[FnId, Site] | None:
        """The one keyed read every short project getter named `name` (a Kotlin property's `get() = …` with
        `prop`) returns, when `test` holds for it: the getter reads it itself (with a key of its own, not one a
        parameter hands in), or only returns another such getter (`fun crashReportsOn() = isStatsEnabled`, `hops`
        more). None otherwise (memoised while `on` stays the same)."""
        key = (name, prop, test.__name__, hops, params)
        if key not in self._getter_reads:
            self._getter_reads[key] = None  # recursion guard
            self._getter_reads[key] = self._find_getter_read(name, prop, test, hops, params)
        return self._getter_reads[key]

    def _find_getter_read(self, name: str, prop: bool, test: Callable[[Site], bool], hops: int,
                          params: bool) -> tuple[FnId, Site] | None:
        fids = self._property_getters(name) if prop else list(self.index.by_name.get(name, ()))
        if prop and not fids:
            fids = list(self.index.by_name.get(getter_of(name), ()))  # a Java getter read as a property
        if not fids or len(fids) > 4:
            return None
        found: tuple[FnId, Site] | None = None
        for f in fids:
            fn = self.index.function(f)
            sites = [x for x in self.index.sites_of(f) if x.kind in ("call", "field")]
            if fn.end_line - fn.line > GETTER_MAX_LINES or (fn.params and not params):
                return None
            bare = {n for n, _line in self.index.files[f.file].refs[f.index]} - {"true", "false", "null", "this"}
            if not sites and not bare:
                continue  # an interface's or an abstract declaration: its implementations decide
            reads = [x for x in sites if x.kind == "call" and _keyed_read(x)]
            hit: tuple[FnId, Site] | None = None
            if len(reads) == 1 and test(reads[0]) and not set(_stored_key(reads[0].args[:-1])) & set(fn.params):
                hit = (f, reads[0])
            elif not reads and hops > 0 and not fn.params:
                # `fun crashReportsOn() = settings.isStatsEnabled`: one read of another getter, nothing else
                outer = [x for x in sites if not any(y.receiver and y.receiver.startswith(x.qualified)
                                                     for y in sites if y is not x)]
                if len(outer) == 1 and not outer[0].args and outer[0].name != name:
                    hit = self._getter_read(outer[0].name, outer[0].kind == "field", test, hops - 1, params)
                elif not outer and len(bare) == 1 and (other := next(iter(bare))) != name:
                    hit = self._getter_read(other, True, test, hops - 1, params)  # `= isStatsEnabled`: a property
            if hit is None:
                return None
            found = found or hit
        return found

    # --- a field that starts false -------------------------------------------------------------------------
    def field_off(self, fid: FnId, text: str) -> bool:
        """`canJump`, `this.canJump`, `Splash.sReady` (the condition that must hold): a boolean field of the class
        `fid` runs in (its own, an ancestor's, an outer class's, a companion's or the file's top-level one, or the
        named class's) that starts `false`, and that code running before consent has not been found to set. An
        app that never asks for consent has no "before": everything runs, nothing is off."""
        if text.endswith("()"):
            return self._field_getter_off(text[:-2].rpartition(".")[2], False)
        head, _, name = text.rpartition(".")
        if not name.isidentifier() or (FIELD, name) in self.on or not self.consent.asks_for_consent():
            return False
        if head and head != "this" and not (head[:1].isupper() and all(p.isidentifier() for p in head.split("."))):
            return False
        fn = self.index.function(fid)
        if not head and (name in fn.params or self._hidden_by_local(fid, name)):
            return False
        key = (fid.file, fn.owner, head, name)
        found = self._starts_false.get(key)
        if found is None:
            found = self._declared_false(fid, fn.owner, head, name)
            self._starts_false[key] = found
        if found:
            self.used.add((FIELD, name))
            return True
        return self._field_getter_off(name, True)

    def _field_getter_off(self, name: str, prop: bool) -> bool:
        """`isJumpToTarget()`, `Splash.isReady()`, a Kotlin property `isReady` with `get() = ready`: every project
        getter of that name is short, takes nothing, calls nothing and only returns a field that starts `false`,
        and none of these fields is on."""
        if not name.isidentifier() or not self.consent.asks_for_consent():
            return False
        key = (name, prop)
        if key not in self._getter_fields:
            self._getter_fields[key] = self._returned_fields(name, prop)
        fields = self._getter_fields[key]
        if not fields or any((FIELD, f) in self.on for f in fields):
            return False
        self.used |= {(FIELD, f) for f in fields}
        return True

    def _returned_fields(self, name: str, prop: bool) -> frozenset[str]:
        """The fields the getters named `name` return, when each only returns one that starts `false`; else empty."""
        fids = self._property_getters(name) if prop else list(self.index.by_name.get(name, ()))
        if not fids or len(fids) > 4:
            return frozenset()
        fields: set[str] = set()
        for f in fids:
            fn = self.index.function(f)
            sites = self.index.sites_of(f)
            if fn.params or fn.end_line - fn.line > GETTER_MAX_LINES or \
                    any(x.kind != "field" or x.receiver != "this" for x in sites):
                return frozenset()
            read = {n for n, _line in self.index.files[f.file].refs[f.index]} - {"true", "false", "null", "this"}
            read |= {x.name for x in sites}
            if len(read) != 1:
                return frozenset()
            field = read.pop()
            if self._hidden_by_local(f, field) or not self._declared_false(f, fn.owner, "", field):
                return frozenset()
            fields.add(field)
        return frozenset(fields)

    def _declared_false(self, fid: FnId, owner: str, head: str, name: str) -> bool:
        """The field the name reads is declared (in every place it may be) with the value `false` or none."""
        if head and head != "this":
            cls = self.index.resolve_type(head, fid.file, owner)
            owners = {cls, self.index.companion(cls) or cls}
        else:
            owners = set()
            at: str | None = owner
            while at and at not in owners:  # the class, its outer classes, with their ancestors and companions
                owners |= {at, *self.index.ancestors(at)}
                decl = self.index.class_of(at)
                at = decl.outer if decl is not None else None
            owners |= {c for o in list(owners) if (c := self.index.companion(o))}
            owners.add(self.index.files[fid.file].facade)
        decls = [b for _fi, b in self._bool_table().get(name, ()) if b.owner in owners]
        return bool(decls) and all(b.value in ("", "false") for b in decls)

    def _hidden_by_local(self, fid: FnId, name: str) -> bool:
        return any(fi == fid.file and b.function == fid.index for fi, b in self._bool_table().get(name, ()))

    def _bool_table(self) -> dict[str, list[tuple[int, BoolVar]]]:
        if self._bools is None:
            table: dict[str, list[tuple[int, BoolVar]]] = {}
            for fi, fs in enumerate(self.index.files):
                for b in fs.bools:
                    table.setdefault(b.name, []).append((fi, b))
            self._bools = table
        return self._bools

    def _fields_set(self, reached: set[FnId]) -> set[tuple[str, ...]]:
        """Boolean fields (by name) not yet on that code running before consent sets (see `_sets`)."""
        out: set[tuple[str, ...]] = set()
        for name, decls in self._bool_table().items():
            key = (FIELD, name)
            if key not in self.on and any(b.function < 0 and b.value in ("", "false") for _fi, b in decls) and \
                    any(self._sets(fid, s, reached) for fid, s in self._writes_of(name)):
                out.add(key)
        return out

    def _writes_of(self, name: str) -> list[tuple[FnId, Site]]:
        """Assignments to `name` anywhere (any class's field of that name: over-approximate), and the calls of its
        setter (`setCanJump(true)`: Java code setting a Kotlin property)."""
        if self._writes is None:
            table: dict[str, list[tuple[FnId, Site]]] = {}
            for fi, fs in enumerate(self.index.files):
                for w in fs.writes:
                    if w.function >= 0:
                        table.setdefault(w.name, []).append((FnId(fi, w.function), w))
            self._writes = table
        setter = setter_of(name)
        return [*self._writes.get(name, ()),
                *((f, s) for f, s in self.index.by_site_name.get(setter, ()) if s.kind == "call" and s.args)]

    def _sets(self, fid: FnId, site: Site, reached: set[FnId]) -> bool:
        """The write may run before consent with a value other than `false`: in a function the walk reached (or
        an initialiser), where it is open; or in a function nothing in the project calls (the framework or a
        library may: unknown, so counted) - not in an ad's event (AD_EVENT) or a user's action."""
        if site.args[-1].text.strip() in FALSE_TEXTS:
            return False
        fn = self.index.function(fid)
        if AD_EVENT.match(fn.name) or USER_LABEL.match(fn.name) or any(AD_EVENT.match(d.label) for d in site.deferred):
            return False
        st = self.consent.state(site)
        if st.user_action or st.gated or self.off_guard(fid, site) is not None:
            return False
        return fid in reached or fn.name in INITIALISERS or not self._called(fid)

    def _called(self, fid: FnId) -> bool:
        """Some project call resolves to `fid` (then the walk decides whether it runs before consent)."""
        found = self._callers.get(fid)
        if found is None:
            sites = self.index.by_site_name.get(self.index.function(fid).name, ())
            found = len(sites) <= MAX_CALLERS and \
                any(fid in {t for t, _how in self.index.resolve(f, s)} for f, s in sites)
            self._callers[fid] = found
        return found

    # --- a setting compared with a value --------------------------------------------------------------------
    def _setting_differs(self, fid: FnId, atom: Atom, text: str) -> bool:
        """`prefs.locationProvider == AMAP`, `getString(PROVIDER, "gaode").equals("amap")`: a stored setting read
        with a literal default, compared with another literal or constant - false until the user picks it."""
        sides = _compared(text)
        if sides is None or self.consent.atom_is_consent(atom):
            return False
        for read, value in (sides, sides[::-1]):
            if not _is_value(value):
                continue
            default = self._setting_default(fid, atom, read)
            # a default of `null` (`getString(K, null)`) is no stored value either: it differs from every literal
            if default is not None and (_is_value(default) or default == "null") and \
                    not self._same_value(default, value):
                return True
        return False

    def _setting_default(self, fid: FnId, atom: Atom, read: str) -> str | None:
        """The default a setting read is written with: a keyed read in this function (`read` is that whole call,
        or a local initialised with it), or a short getter or Kotlin property getter returning one."""
        if read.isidentifier() and atom.calls:  # a local: the extractor merged its initialiser's calls
            calls = list(atom.calls)
        else:
            calls = [c for c in atom.calls if is_whole_call(read, c)]
        for call in calls:
            name = call.rsplit(".", 1)[-1]
            if name in SETTING_READS:
                sites = [x for x in self.index.sites_of(fid) if x.kind == "call" and x.qualified == call]
                found = {d for x in sites if (d := self._read_default(x)) is not None}
                if len(found) == 1 and len(sites) == len([x for x in sites if self._read_default(x)]):
                    return found.pop()
            elif (d := self._getter_default(name, False)) is not None:
                return d
        last = read.rsplit(".", 1)[-1]
        if not calls and read.replace(".", "").replace("_", "").isalnum() and last[:1].islower():
            return self._getter_default(last, True)  # `settings.locationProvider`
        return None

    def _read_default(self, site: Site) -> str | None:
        """The default of `getString(KEY, "gaode")` (its key not stored before consent), else None."""
        args = site.args
        if site.name not in SETTING_READS or len(args) not in (2, 3):
            return None
        key = _stored_key(args[:-1])
        if not key or key in self.on:
            return None
        self.used.add(key)
        return args[-1].text.strip()

    def _getter_default(self, name: str, prop: bool) -> str | None:
        """The default of the one keyed read a short parameterless project getter (`getProvider()`, a Kotlin
        property's `get() = …`) returns; None when there are several getters or reads."""
        fids = self._property_getters(name) if prop else list(self.index.by_name.get(name, ()))
        if not fids or len(fids) > 4:
            return None
        found: set[str] = set()
        for f in fids:
            fn = self.index.function(f)
            reads = [x for x in self.index.sites_of(f) if x.kind == "call" and x.name in SETTING_READS]
            if fn.end_line - fn.line > GETTER_MAX_LINES or fn.params or len(reads) != 1:
                return None
            d = self._read_default(reads[0])
            if d is None:
                return None
            found.add(d)
        return found.pop() if len(found) == 1 else None

    def _property_getters(self, name: str) -> list[FnId]:
        if self._property_index is None:
            table: dict[str, list[FnId]] = {}
            for (_owner, fname), fids in self.index.members.items():
                if fname.startswith("get:"):
                    table.setdefault(fname[4:], []).extend(fids)
            self._property_index = table
        return self._property_index.get(name, [])

    def _same_value(self, a: str, b: str) -> bool:
        """Two literals or constants that may hold the same value (`AMAP` and `"amap"` when AMAP = "amap")."""
        if a == b or a.rsplit(".", 1)[-1] == b.rsplit(".", 1)[-1]:
            return True
        va = {a.strip('"')} | set(self.consent.constant_values(a))
        vb = {b.strip('"')} | set(self.consent.constant_values(b))
        return bool(va & vb)

    # --- one call ---------------------------------------------------------------------------------------
    def _call_off(self, fid: FnId, call: str, present: bool, text: str = "") -> bool:
        name = call.rsplit(".", 1)[-1]
        if name in KEYED_READS:
            # a chain over several lines (`PreferenceManager\n.getDefaultSharedPreferences(ctx)\n.getBoolean`):
            # the condition and the call site may keep its line breaks differently
            flat = "".join(call.split())
            sites = [s for s in self.index.sites_of(fid) if s.kind == "call" and s.name == name and
                     (s.qualified == call or "".join(s.qualified.split()) == flat)]
            return bool(sites) and all(self._read_off(s, present) for s in sites)
        if not present and BOOLEAN_HELPER.match(name):
            # the call the condition is (`getBooleanPreference(this, R.string.A)`, not the same helper's other reads)
            sites = self._call_sites(fid, call, text)
            if sites and all(self._helper_read_off(s) for s in sites):
                return True
        if present:
            return self._intent_reader_off(name)
        return self._getter_off(name) or \
            self._opt_in(name, self._getter_read(name, False, self._off_by_default, params=False))

    def _off_by_default(self, site: Site) -> bool:
        return self._read_off(site, False)

    def _property_off(self, fid: FnId, text: str) -> bool:
        """`settings.isStatsEnabled` whose getter returns a stored switch off by default (`get() =
        prefs.getBoolean(SEND_STATS, false)`), directly or through another getter (`_opt_in` says when)."""
        if not text.replace(".", "").replace("_", "").isalnum() or "." not in text:
            return False
        last = text.rsplit(".", 1)[-1]
        return last[:1].islower() and \
            self._opt_in(last, self._getter_read(last, True, self._off_by_default, params=False))

    def _opt_in(self, name: str, found: tuple[FnId, Site] | None) -> bool:
        """A getter's switch, off by default, that keeps what it guards from running on first launch: in an app that
        asks for consent, any; in one that never does, only a switch for data collection (`analyticsEnabled`,
        `crash_reports`: the user's opt-in is the consent to it) - a flag such as `open_guide` is set by using the
        app, and what it guards then runs unasked."""
        if found is None:
            return False
        if self.consent.asks_for_consent():
            return True
        key = key_argument(found[1].args[:-1])
        texts = [name, *(self.consent.key_texts(key.strings, key.refs) if key is not None else ())]
        return any(COLLECTION_SWITCH.search(t) for t in texts)

    def _compares_off(self, fid: FnId) -> bool:
        """`return getMode().equals("custom") || getMode().equals("static")`: every comparison in the getter
        tests a setting (read with a literal default, not yet stored) against another value - all false until
        the user picks one."""
        sites = [s for s in self.index.sites_of(fid) if s.kind == "call"]
        compares = [s for s in sites if s.name in ("equals", "equalsIgnoreCase", "contentEquals") and s.receiver
                    and len(s.args) == 1]
        if not compares:
            return False
        getters: set[str] = set()
        for s in compares:
            recv = s.receiver.strip()
            getter = recv[:-2].rsplit(".", 1)[-1] if recv.endswith("()") else ""
            default = self._getter_default(getter, False) if getter.isidentifier() else None
            value = s.args[0].text.strip()
            if default is None or not _is_value(value) or self._same_value(default, value):
                return False
            getters.add(getter)
        # nothing else in the getter: only the setting reads and their comparisons
        return all(s in compares or s.name in getters for s in sites)

    def _intent_reader_off(self, name: str) -> bool:
        """`routeFromIntent(intent) != null`: every project function of that name takes an Intent and reads its
        extras (`getStringExtra`, `extras.get` …), keys nothing before consent puts. The launcher's intent
        carries no extras, so the value the app checks for null is null on first launch."""
        fids = self.index.by_name.get(name, ())
        if not fids or len(fids) > 4:
            return False
        for f in fids:
            fn = self.index.function(f)
            if not any(t.rstrip("?").rsplit(".", 1)[-1] == "Intent" for t in fn.param_types):
                return False
            reads = [s for s in self.index.sites_of(f) if s.kind == "call" and s.name in NULL_WHEN_ABSENT
                     and s.name.endswith("Extra") and len(s.args) == 1]
            # A key the function is handed (`lookup { key -> intent.getStringExtra(key) }`) names nothing: the
            # launcher's intent has no extras at all. A named key counts while nothing puts it before consent.
            if not reads or not all(_dynamic_key(s.args[0], fn.params) or self._read_off(s, True) for s in reads):
                return False
        return True

    def _read_off(self, site: Site, present: bool) -> bool:
        """A keyed read that is false (or, with `present`, null) until something stores the key."""
        args = site.args
        name = site.name
        if present:
            ok = len(args) == 1 and name in NULL_WHEN_ABSENT
        elif len(args) == 1:
            ok = name in BOOLEAN_WITHOUT_DEFAULT
        else:
            ok = len(args) in (2, 3) and name in READS_WITH_DEFAULT and args[-1].text in FALSE_TEXTS
        return ok and self._key_off(args if len(args) == 1 else args[:-1])

    def _key_off(self, args: tuple[Arg, ...] | list[Arg]) -> bool:
        """The stored key these arguments name (`get(context, KEY, false)`: the last one before the default) is not
        stored before consent. A signed-in flag (`is_login`) is so only in an app that asks for consent: in one that
        never does, the user signs in and every later start runs what it guards without consent."""
        key = _stored_key(args)
        if not key or key in self.on:
            return False
        if any(SIGNED_IN_KEY.search(k) for k in key) and not self.consent.asks_for_consent():
            return False
        self.used.add(key)
        return True

    def _helper_read_off(self, site: Site) -> bool:
        """The app's own preference helper read with the default `false` (`SharedPrefs.getBooleanPreference(ctx,
        R.string.KEY, false)`), or through its overload that passes `false` on (`getBooleanPreference(ctx,
        R.string.KEY)` whose body is `return getBooleanPreference(context, stringId, false);`)."""
        args = site.args
        if len(args) >= 2 and args[-1].text.strip() in FALSE_TEXTS:
            return self._key_off(args[:-1])
        fids = [f for f in self.index.by_name.get(site.name, ()) if len(self.index.function(f).params) == len(args)]
        if not args or not fids or len(fids) > 4:
            return False
        for f in fids:
            fn = self.index.function(f)
            delegates = [s for s in self.index.sites_of(f) if s.kind == "call" and s.name == site.name]
            if fn.end_line - fn.line > GETTER_MAX_LINES or not delegates or not all(
                    len(d.args) == len(args) + 1 and d.args[-1].text.strip() in FALSE_TEXTS and
                    [a.text.strip() for a in d.args[:-1]] == list(fn.params) for d in delegates):
                return False
        return self._key_off(args)

    def _getter_off(self, name: str) -> bool:
        """A short project function named `name` (every one of that name) that returns a stored switch off by
        default: `fun shouldStartOnBoot() = prefs.getBoolean(START_ON_BOOT, false)`."""
        found = self._getters.get(name)
        if found is not None:
            return found
        self._getters[name] = False  # recursion guard
        fids = self.index.by_name.get(name, ())
        ok = bool(fids) and len(fids) <= 4
        for f in fids if ok else ():
            fn = self.index.function(f)
            reads = [s for s in self.index.sites_of(f)
                     if s.kind == "call" and s.name in READS_WITH_DEFAULT | BOOLEAN_WITHOUT_DEFAULT and s.args]
            if fn.end_line - fn.line > GETTER_MAX_LINES or fn.params or \
                    not ((reads and all(self._read_off(s, False) for s in reads)) or self._compares_off(f)):
                ok = False
                break
        self._getters[name] = ok
        return ok


def _resource_read(site: Site) -> bool:
    """`getString(R.string.api_key)`: a resource of the build, the same on every first launch."""
    return site.name in ("getString", "getText") and len(site.args) == 1 and \
        site.args[0].text.strip().startswith(("R.string.", "android.R.string."))


def _keyed_read(site: Site) -> bool:
    """A read of a stored value by key (a setting), with or without a default."""
    return bool(site.args) and (site.name in KEYED_READS or site.name in SETTING_READS or
                                bool(BOOLEAN_HELPER.match(site.name)))


def _same_text(a: str, b: str) -> bool:
    """The same source text but for blanks (a call's text as the condition and as the site's parts give it)."""
    return "".join(a.split()) == "".join(b.split())


def _stored_key(args: Sequence[Arg]) -> tuple[str, ...]:
    """What names the stored key among a keyed read's arguments before its default (`consent.key_argument`)."""
    arg = key_argument(args)
    return _key(arg) if arg is not None else ()


def _key(arg: Arg) -> tuple[str, ...]:
    """What names a stored key: its literals, else its last reference (`Keys.START_ON_BOOT` → START_ON_BOOT)."""
    if arg.strings:
        return tuple(arg.strings)
    if not arg.refs:
        return ()
    return (max(arg.refs, key=lambda r: r.count(".")).rsplit(".", 1)[-1],)


def _top_level(text: str) -> Iterator[tuple[int, str]]:
    """(index, character) of the characters of a condition's text outside brackets and string literals."""
    depth = 0
    quoted = False
    for i, ch in enumerate(text):
        if ch == '"':
            quoted = not quoted
        elif quoted:
            continue
        elif ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        elif depth == 0:
            yield i, ch


def _compared(text: str) -> tuple[str, str] | None:
    """The two sides of `a == b` (`===`), `a.equals(b)` or `Objects.equals(a, b)` at the top level of a condition,
    else None."""
    for i, _ch in _top_level(text):
        if text.startswith("==", i) and not text.startswith("==", i - 1) and (i == 0 or text[i - 1] not in "!<>="):
            op_end = i + (3 if text.startswith("===", i) else 2)
            return text[:i].strip(), text[op_end:].strip()
    for helper in EQUALS_HELPERS:  # `Objects.equals(prefs.getString(K, null), "v2")`, `TextUtils.equals(a, b)`
        if text.startswith(helper + "(") and is_whole_call(text, helper):
            inner = text[len(helper) + 1:-1]
            commas = [i for i, ch in _top_level(inner) if ch == ","]
            if len(commas) == 1:
                return inner[:commas[0]].strip(), inner[commas[0] + 1:].strip()
    if text.endswith(")") and ".equals(" in text:
        head, _, arg = text.rpartition(".equals(")
        if is_whole_call(text, head + ".equals"):
            return head.strip(), arg[:-1].strip()
    return None


EQUALS_HELPERS = ("Objects.equals", "java.util.Objects.equals", "TextUtils.equals", "android.text.TextUtils.equals",
                  "StringUtils.equals")


def _reads_key(name: str) -> bool:
    return name in KEYED_READS or name in SETTING_READS or name in EXTRA_READS or name.endswith("Extra")


def _decided_read(site: Site) -> bool:
    """A read whose value on first launch the call shows: a key and a literal or constant default
    (`getBoolean(KEY, true)`, `SPUtils.get(ctx, "is_login", false)`), or one named key read by a keyed getter
    (`decodeBool("cached_id")`: absent then, or what start-up code stored)."""
    args = site.args
    if len(args) == 1:
        return _reads_key(site.name) and _is_value(args[0].text.strip())
    last = args[-1].text.strip() if args else ""
    return len(args) >= 2 and (last in ("true", "false") or _is_value(last)) and \
        any(a.strings or a.refs for a in args[:-1])


def _is_value(text: str) -> bool:
    """A literal (`"amap"`, `2`) or a constant (`AMAP`, `Provider.AMAP`, `LocationType.GAODE`)."""
    if not text:
        return False
    if text.startswith('"') and text.endswith('"') and text.count('"') == 2:
        return True
    if text.lstrip("-").replace("L", "").isdigit():
        return True
    last = text.rsplit(".", 1)[-1]
    return last.isidentifier() and last.upper() == last and any(c.isalpha() for c in last) and \
        all(p.isidentifier() for p in text.split("."))


def _signed_in(atom: Atom, text: str) -> bool:
    """`isLoggedIn()`, `currentUserId(ctx) != null`, `AccountManager.isLogin`: holds only when a user has signed
    in, which nobody has on first launch. Not its negation (`!isLogin()`, `currentUser() == null`)."""
    if text.startswith("!") or IS_NULL in text or "==" in text.replace(NOT_NULL, ""):
        return False
    names = [c.rsplit(".", 1)[-1] for c in atom.calls if is_whole_call(text.removesuffix(NOT_NULL).strip(), c)]
    bare = text.removesuffix(NOT_NULL).strip()
    if bare.replace(".", "").replace("_", "").isalnum():
        names.append(bare.rsplit(".", 1)[-1])  # `isLogin`, `session.currentUser != null`
    return any(SIGNED_IN.match(n) for n in names)


def _dynamic_key(arg: Arg, params: tuple[str, ...]) -> bool:
    """The key is a lower-case local or parameter (`key`), not a literal or a constant."""
    text = arg.text.strip()
    return not arg.strings and text.isidentifier() and text[:1].islower() and text not in params
