"""Conditions whose value on first launch is known, wherever they sit on a path.

Before the user answers the privacy dialog the app has just been installed: nothing the user chooses later
is stored yet, and the components start with the intents the launcher or the app's own start-up code sends.
A condition that holds only when a keyed value is present is false then:
- a stored switch read with the default `false` (`prefs.getBoolean(START_ON_BOOT, false)`, `mmkv.decodeBool(KEY)`,
  `Boolean.valueOf(get(KEY, "false"))`);
- an intent extra (`intent.getBooleanExtra(LOG_ONCE, false)`, `extras.getBoolean(LOG_ONCE)`,
  `bundle.get(LOG_ONCE) != null`, `getStringExtra(ROUTE) != null`),
read directly, through a local initialised with that read (`boolean start = helper.shouldStartOnBoot();
if (start)`), or through a short project getter that returns it (or that only compares a stored setting with
values other than its default: `getMode().equals("custom")`); a value a project function reads from the
Intent it is given (`routeFromIntent(intent) != null`: the launcher's intent has no extras); a signed-in user
(`isLoggedIn()`, `currentUserId(ctx) ?: return`) in an app that asks for consent (signing in comes after it)
- unless code that itself runs before consent stores or puts something other than `false` under that key
outside a user action. Code that runs only when such a condition holds does not run before consent,
whichever function on the path holds the condition (the boot receiver, a callee's early return, a service's
intent handler).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from pipl_lint.model.consent import ConsentModel
from pipl_lint.model.index import FnId, ProgramIndex
from pipl_lint.model.summary import Arg, Atom, Guard, Site

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
NOT_NULL = " != null"
IS_NULL = " == null"
GETTER_MAX_LINES = 6  # a getter that returns a stored switch is a line or three


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
        self._property_index: dict[str, list[FnId]] | None = None
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
        if atom.positive and self._setting_differs(fid, atom, text):
            return True
        if atom.positive and _signed_in(atom, text) and self.consent.asks_for_consent():
            return True  # signing in comes after the privacy dialog (an app that never asks: no such order)
        # `bundle.get(K) != null` must hold, or `getStringExtra(K) == null` must not (`if (… == null) return`).
        present = text.endswith(NOT_NULL if atom.positive else IS_NULL)
        if not (atom.positive or present) or not atom.calls or self.consent.atom_is_consent(atom):
            return False
        if present:
            text = text[:-len(NOT_NULL)].strip()
        if text.isidentifier():  # a local whose initialiser the extractor merged into the atom
            return any(self._call_off(fid, call, present) for call in atom.calls)
        return any(_is_whole_call(text, call) and self._call_off(fid, call, present) for call in atom.calls)


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
        return out

    def assume_on(self, keys: set[tuple[str, ...]]) -> None:
        self.on |= keys
        self._getters.clear()
        self._off.clear()

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
            if default is not None and _is_value(default) and not self._same_value(default, value):
                return True
        return False

    def _setting_default(self, fid: FnId, atom: Atom, read: str) -> str | None:
        """The default a setting read is written with: a keyed read in this function (`read` is that whole call,
        or a local initialised with it), or a short getter or Kotlin property getter returning one."""
        if read.isidentifier() and atom.calls:  # a local: the extractor merged its initialiser's calls
            calls = list(atom.calls)
        else:
            calls = [c for c in atom.calls if _is_whole_call(read, c)]
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
        keys = [a for a in args[:-1] if a.strings or a.refs][-1:]
        key = _key(keys[0]) if keys else ()
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
    def _call_off(self, fid: FnId, call: str, present: bool) -> bool:
        name = call.rsplit(".", 1)[-1]
        if name in KEYED_READS:
            sites = [s for s in self.index.sites_of(fid) if s.kind == "call" and s.qualified == call]
            return bool(sites) and all(self._read_off(s, present) for s in sites)
        if present:
            return self._intent_reader_off(name)
        return self._getter_off(name)

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
        keys = [a for a in (args if len(args) == 1 else args[:-1]) if a.strings or a.refs][-1:]
        key = _key(keys[0]) if ok and keys else ()  # `get(context, KEY, false)`: the key is the last before
        if not key or key in self.on:
            return False
        self.used.add(key)
        return True

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


def _key(arg: Arg) -> tuple[str, ...]:
    """What names a stored key: its literals, else its last reference (`Keys.START_ON_BOOT` → START_ON_BOOT)."""
    if arg.strings:
        return tuple(arg.strings)
    if not arg.refs:
        return ()
    return (max(arg.refs, key=lambda r: r.count(".")).rsplit(".", 1)[-1],)


def _is_whole_call(text: str, call: str) -> bool:
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


def _compared(text: str) -> tuple[str, str] | None:
    """The two sides of `a == b` (`===`) or `a.equals(b)` at the top level of a condition, else None."""
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
        elif depth == 0 and text.startswith("==", i) and not text.startswith("==", i - 1) and \
                (i == 0 or text[i - 1] not in "!<>="):
            op_end = i + (3 if text.startswith("===", i) else 2)
            return text[:i].strip(), text[op_end:].strip()
    if text.endswith(")") and ".equals(" in text:
        head, _, arg = text.rpartition(".equals(")
        if _is_whole_call(text, head + ".equals"):
            return head.strip(), arg[:-1].strip()
    return None


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
    names = [c.rsplit(".", 1)[-1] for c in atom.calls if _is_whole_call(text.removesuffix(NOT_NULL).strip(), c)]
    bare = text.removesuffix(NOT_NULL).strip()
    if bare.replace(".", "").replace("_", "").isalnum():
        names.append(bare.rsplit(".", 1)[-1])  # `isLogin`, `session.currentUser != null`
    return any(SIGNED_IN.match(n) for n in names)


def _dynamic_key(arg: Arg, params: tuple[str, ...]) -> bool:
    """The key is a lower-case local or parameter (`key`), not a literal or a constant."""
    text = arg.text.strip()
    return not arg.strings and text.isidentifier() and text[:1].islower() and text not in params
