"""Match code sites against the catalogs: Android PI/permission APIs and SDK calls.

A cheap name filter first (the catalog is indexed by member name), then the owner is confirmed from
what the index knows about the receiver (its guessed type, a static type/object name, the imports), the
way Android Lint confirms `isMemberInClass` after `getApplicableMethodNames`.
"""

from __future__ import annotations

from collections.abc import Callable

from pipl_lint.catalogs import ApiEntry, Catalog, Sdk, SdkCall
from pipl_lint.model.extract_base import FACTORY_NAMES
from pipl_lint.model.index import FnId, ProgramIndex
from pipl_lint.model.summary import Site, getter_of

# Personal-information kinds that identify no one alone (device model/OS, carrier name): the compliance report
# lists them; no rule reports them as collection.
LOW_SENSITIVITY = ("device-model", "carrier")
# Calls that read a content provider: a content URI counts as collection only when it is queried.
QUERY_CALLS = frozenset({"query", "managedQuery", "CursorLoader", "ContentResolverCompat.query"})


# What a launcher query names: `Intent(ACTION_MAIN).addCategory(CATEGORY_LAUNCHER)` resolved with no package lists
# the installed apps.
_LAUNCHER_WORDS = ("ACTION_MAIN", "CATEGORY_LAUNCHER", "CATEGORY_HOME", "CATEGORY_LEANBACK_LAUNCHER",
                   "android.intent.action.MAIN", "android.intent.category.LAUNCHER", "android.intent.category.HOME")
_EXPLICIT = ("setPackage", "setComponent", "setClassName", "setClass")


def _names_launcher(site: Site) -> bool:
    return any(w.endswith(_LAUNCHER_WORDS) for a in site.args for w in (*a.refs, *a.strings))


def _names_action(site: Site) -> bool:
    """`Intent(ACTION_VIEW, uri)`, `Intent("android.intent.action.SEND")`, or an action of the app's own as its
    first argument (`Intent(FOX_MMM_OPEN_EXTERNAL, uri)`, `Intent("com.acme.OPEN")`)."""
    if any(w.rsplit(".", 1)[-1].startswith("ACTION_") for a in site.args for w in a.refs) or \
            any(w.startswith("android.intent.action.") for a in site.args for w in a.strings):
        return True
    if not site.args:
        return False
    first = site.args[0]
    text = first.text.strip()
    if len(first.strings) == 1 and text.startswith('"') and "." in first.strings[0]:
        return True
    last = text.rsplit(".", 1)[-1]
    return bool(first.refs) and not first.calls and last.isupper() and any(c.isalpha() for c in last)


def queries_one_intent(index: ProgramIndex, fid: FnId, site: Site) -> bool:
    """A package query (`queryIntentActivities(intent, …)`) that asks about one app or one kind of request, not
    the installed-app list: the intent names a package or class (`Intent().setPackage(pkg)`,
    `Intent(ctx, X::class.java)`), or the function builds it for one action other than the launcher's
    (`Intent(ACTION_VIEW, uri)`: the browsers that can open a link; an action of the app's own,
    `Intent(OPEN_EXTERNAL, uri)`: the helper apps that handle it) and names no launcher category. An intent
    built elsewhere (a parameter) is taken as an app-list read."""
    if any(call.rsplit(".", 1)[-1] in _EXPLICIT for arg in site.args for call in arg.calls) or \
            any(ref.endswith(("::class.java", ".class")) for arg in site.args for ref in arg.refs):
        return True
    if not site.args:
        return False
    name = site.args[0].text.strip()
    before = [s for s in index.sites_of(fid) if s.line <= site.line and s is not site]
    if any(_names_launcher(s) for s in (*before, site)):
        return False
    if name.isidentifier() and any(s.name in _EXPLICIT and s.receiver == name for s in before):
        return True  # `intent.setPackage(pkg)` before the query
    return any(s.name == "Intent" and s.kind in ("new", "call") and _names_action(s) for s in before)


def kotlin_property(getter: str) -> str | None:
    """`getDeviceId` → `deviceId`, `getSSID` → `ssid`, `isWifiEnabled` → `isWifiEnabled`."""
    if getter.startswith("is") and getter[2:3].isupper():
        return getter
    if not (getter.startswith("get") and getter[3:4].isupper()):
        return None
    rest = getter[3:]
    run = 0
    while run < len(rest) and rest[run].isupper():
        run += 1
    if run == len(rest):
        return rest.lower()
    if run > 1:
        run -= 1  # "URLPath" → "urlPath"
    return rest[:run].lower() + rest[run:]


def suffix_match(written: str, qualified: str) -> bool:
    """`Settings.Secure` matches `android.provider.Settings.Secure`; `Secure` does too."""
    w = written.split(".")
    q = qualified.split(".")
    return len(w) <= len(q) and q[-len(w):] == w


def _qualified_member(api: ApiEntry) -> str:
    """`android.provider.ContactsContract.Contacts` + `ContactsContract.Contacts.CONTENT_URI` → the full path."""
    package = api.owner[: len(api.owner) - len(api.owner_simple)].rstrip(".")
    return f"{package}.{api.member}" if package else api.member


class ApiMatcher:
    def __init__(self, index: ProgramIndex, catalog: Catalog) -> None:
        self.index = index
        self.catalog = catalog
        self.by_name: dict[str, list[ApiEntry]] = {}
        for api in catalog.apis:
            if api.kind in ("method", "constructor"):
                names = [api.member]  # constructors: the class's simple name
                prop = kotlin_property(api.member) if api.kind == "method" else None
                if prop:
                    names.append(prop)
            elif api.kind in ("field", "intent-action"):
                names = [api.member]
            elif api.kind == "uri":
                names = [api.member.rsplit(".", 1)[-1]]
            else:
                continue
            for n in names:
                self.by_name.setdefault(n, []).append(api)
        self._kinds_by_name = {n: frozenset(api.pi_kind for api in apis) for n, apis in self.by_name.items()}
        self._matched: dict[int, tuple[Site, ApiEntry | None]] = {}
        self._own: frozenset[str] | None = None

    def _project_declares(self, name: str) -> bool:
        """A project class declares a member of this name (`getDeviceId()`, a `deviceId` property): on a receiver
        of unknown type, `x.getDeviceId()` / `x.deviceId` is more likely the project's own than the platform's."""
        if self._own is None:
            own: set[str] = set()
            for fs in self.index.files:
                for fn in fs.functions:
                    if not fn.name.startswith("<"):
                        plain = fn.name.removeprefix("get:")
                        own.add(plain)
                        if plain != fn.name:
                            own.add(getter_of(plain))
                for cls in fs.classes:
                    for field_name, _type in cls.fields:
                        own.update((field_name, getter_of(field_name)))
            self._own = frozenset(own)
        return name in self._own

    def names(self, pi_kind: str | None = None) -> frozenset[str]:
        """The member names the catalog lists (with an entry that reads `pi_kind`)."""
        return frozenset(n for n, kinds in self._kinds_by_name.items() if pi_kind is None or pi_kind in kinds)

    def may_match(self, site: Site, pi_kind: str | None = None) -> bool:
        """The name test `match` starts with: the catalog has an entry of the site's name (reading `pi_kind`).
        False means `match` finds nothing (nothing of that kind)."""
        kinds = self._kinds_by_name.get(site.name)
        return kinds is not None and (pi_kind is None or pi_kind in kinds)

    def _owner_ok(self, fid: FnId, site: Site, api: ApiEntry) -> bool | None:
        """True: the receiver is the API's owner; False: it is something else; None: unknown."""
        if site.receiver is None:
            scoped = site.rtype or self._scope_type(fid, site)  # `with(tm) { deviceId }`: the scope's receiver
            if scoped:
                owner = api.owner if api.kind != "uri" else api.member.rsplit(".", 1)[0]
                return suffix_match(scoped, owner) or suffix_match(owner.rsplit(".", 1)[-1], scoped)
            return None
        cls, _static = self.index.receiver_class(fid, site)
        if cls is None:
            # An untyped variable named after the type (`subscriptionInfo.number`, `mWallpaperManager`).
            simple = api.owner.rsplit(".", 1)[-1].lower()
            recv = site.receiver.rsplit(".", 1)[-1]
            if not (recv.isidentifier() and len(simple) > 4 and recv.lower().endswith(simple)):
                return None
            declared = self.index.declared_type(fid, recv, outer=False)  # `callback: (Boolean) -> Unit` is no Callback
            return True if declared is None or suffix_match(declared, api.owner) else None
        if cls in self.index.classes:
            # A project class: its own methods are not the platform API, unless it extends the owner.
            return self.index.is_subtype(cls, api.owner)
        owner = api.owner
        if api.kind == "uri":
            owner = api.member.rsplit(".", 1)[0]
        return suffix_match(cls.split("<")[0], owner) or suffix_match(owner.rsplit(".", 1)[-1], cls)

    def _scope_type(self, fid: FnId, site: Site) -> str | None:
        """The type a scope function makes the implicit receiver: `with(NotificationManagerCompat.from(ctx)) {
        notify() }`, `X.getInstance(ctx).apply { … }` (a type named before a factory call, or a type itself)."""
        if not site.deferred or site.deferred[-1].kind != "lambda":
            return None
        scope = site.deferred[-1]
        text = ""
        if scope.call in ("apply", "run") and scope.receiver:
            text = scope.receiver
        elif scope.call == "with":
            for other in self.index.sites_of(fid):
                if other.name == "with" and other.kind == "call" and other.line == scope.line and other.args:
                    text = other.args[0].text
                    break
        head = text.split("(", 1)[0].strip()
        prefix, _, last = head.rpartition(".")
        if prefix and last in FACTORY_NAMES and prefix.rsplit(".", 1)[-1][:1].isupper():
            return prefix
        return head if head[:1].isupper() and "(" not in text else None

    def match(self, fid: FnId, site: Site) -> ApiEntry | None:
        """The catalog entry the site (in function `fid`) is a use of, or None (memoised: rules and models ask about
        the same sites)."""
        if site.name not in self.by_name:
            return None
        known = self._matched.get(id(site))
        if known is None or known[0] is not site:
            known = self._matched[id(site)] = (site, self._match(fid, site))
        return known[1]

    def _match(self, fid: FnId, site: Site) -> ApiEntry | None:
        for api in self.by_name.get(site.name, ()):
            if api.kind == "method" and site.kind not in ("call", "reference", "field"):
                continue
            if api.kind == "method" and site.kind == "field" and site.name == api.member:
                continue  # a field that happens to share the method's name
            if api.kind == "constructor" and site.kind not in ("new", "call"):
                continue
            if api.kind in ("field", "uri", "intent-action") and site.kind != "field":
                continue
            if api.args_contain and not any(any(a in arg.text for a in api.args_contain) for arg in site.args) \
                    and (api.pi_kind is not None or not self._named_nearby(fid, site, api.args_contain)):
                continue  # a read of personal information must name what it reads; a permission use may be nearby
            if api.kind == "constructor":
                resolved = self.index.resolve_type(site.name, fid.file, self.index.function(fid).owner)
                if resolved in self.index.classes or not suffix_match(site.name, api.owner):
                    continue
                if api.match == "owner" and self._imports_other(fid, site.name, api.owner):
                    continue  # `Scanner(System.in)` with `import java.util.Scanner` is not Kable's scanner
                return api
            ok = self._owner_ok(fid, site, api)
            if ok is False:
                continue
            if ok is None and (api.match != "name" or self._project_declares(site.name)):
                continue
            return api
        return None

    def _named_nearby(self, fid: FnId, site: Site, tokens: tuple[str, ...]) -> bool:
        """An argument that is a local or a call (`insert(uri, values)`, `insert(getFilePath(), values)`) may
        carry what `args_contain` asks for: the function names it before the call, or a project function it
        calls names it (`val uri = MediaStore.Images.Media.EXTERNAL_CONTENT_URI`, a helper returning that URI)."""
        if not any(arg.text.replace("()", "").replace(".", "").isidentifier() for arg in site.args[:1]):
            return False

        def names(s: Site) -> bool:
            text = f"{s.receiver or ''}.{s.name}"
            return any(t in text or any(t in a.text for a in s.args) for t in tokens)

        if any(names(other) for other in self.index.sites_of(fid) if other.line <= site.line and other is not site):
            return True
        for edge in self.index.edges(fid):
            if edge.line <= site.line and edge.target != fid and edge.how == "exact" and \
                    any(names(other) for other in self.index.sites_of(edge.target)):
                return True
        return False

    def _imports_other(self, fid: FnId, name: str, owner: str) -> bool:
        """The file imports `name` explicitly, from another class than `owner`."""
        for imp in self.index.file_of(fid).imports:
            if not imp.wildcard and not imp.static and imp.simple == name:
                return not suffix_match(owner, imp.path) and not suffix_match(imp.path, owner)
        return False

    def uri_api(self, ref: str) -> ApiEntry | None:
        """The content-URI entry a reference such as `ContactsContract.Contacts.CONTENT_URI` names."""
        ref = ref.strip().lstrip("!")
        for api in self.by_name.get(ref.rsplit(".", 1)[-1], ()):
            if api.kind == "uri" and "." in ref and suffix_match(ref, api.owner.rsplit(".", 1)[0] + "." + api.member
                                                                   if "." not in api.member else
                                                                   _qualified_member(api)):
                return api
        return None

    def strings(self) -> list[ApiEntry]:
        return [a for a in self.catalog.apis if a.kind == "string"]


class SdkMatcher:
    """Which SDK call (init / preinit / agree / disable / wakeup) a site is, if any."""

    def _initialiser(self, fid: FnId, name: str) -> str | None:
        """The reference a property of `fid`'s class is initialised with (`Firebase.analytics`), if any."""
        owner = self.index.function(fid).owner
        return next((c.values[0] for c in self.index.files[fid.file].constants
                     if c.owner == owner and c.name == name and len(c.values) == 1), None)

    def _lazy_factory(self, fid: FnId, name: str) -> str | None:
        """`X.getInstance` when the getter of property `name` of `fid`'s class (a `by lazy { … }` or `get() = …`)
        obtains its value from one class's factory (`FirebaseRemoteConfig.getInstance()`), else None."""
        owner = self.index.function(fid).owner
        found = {s.qualified for g in self.index.find_member(owner, f"get:{name}", up=False)
                 for s in self.index.sites_of(g) if s.kind == "call" and s.static and s.receiver
                 and s.name in FACTORY_NAMES and s.receiver[:1].isupper() and "." not in s.receiver}
        return found.pop() if len(found) == 1 else None

    def __init__(self, index: ProgramIndex, catalog: Catalog,
                 depends_on: Callable[[str], bool] | None = None) -> None:
        self.index = index
        self.catalog = catalog
        # Whether the project's dependencies include an SDK (by catalog id): a project class declared under the
        # SDK's own name is a stand-in only then (`_receiver_is`).
        self.depends_on = depends_on

    def _candidates(self, site: Site) -> tuple[tuple[Sdk, str, SdkCall], ...]:
        if site.kind not in ("call", "field", "new", "reference"):
            return ()
        candidates = self.catalog.sdk_calls_by_method.get(site.name, ())
        if not candidates and site.kind == "field":
            candidates = self.catalog.sdk_calls_by_method.get(getter_of(site.name), ())
        return candidates

    def may_match(self, site: Site, role: str | None = None) -> bool:
        """The name test `match` starts with: the catalog has an SDK call (of `role`) of the site's name. False
        means `match` finds nothing."""
        return any(role is None or r == role for _sdk, r, _call in self._candidates(site))

    def match(self, fid: FnId, site: Site, roles: tuple[str, ...] = ()) -> tuple[Sdk, str, SdkCall] | None:
        candidates = self._candidates(site)
        for sdk, role, call in candidates:
            if roles and role not in roles:
                continue
            if self._receiver_is(fid, site, call, sdk.id):
                return sdk, role, call
        return None

    def matches(self, fid: FnId, site: Site, roles: tuple[str, ...] = ()) -> list[tuple[Sdk, str, SdkCall]]:
        """Every catalogued SDK call the site is (`FirebaseApp.initializeApp` starts each Firebase SDK)."""
        return [(sdk, role, call) for sdk, role, call in self._candidates(site)
                if (not roles or role in roles) and self._receiver_is(fid, site, call, sdk.id)]

    def _receiver_is(self, fid: FnId, site: Site, call: SdkCall, sdk_id: str = "") -> bool:
        owner = call.owner
        if site.kind == "new":
            return suffix_match(site.name, owner) and \
                self.index.resolve_type(site.name, fid.file, None) not in self.index.classes
        if site.receiver is None:
            if site.kind == "call" and site.name == call.method == owner.rsplit(".", 1)[-1]:
                # A Kotlin constructor call (`AMapLocationClient(ctx)`): the class must not be a project class.
                return self.index.resolve_type(site.name, fid.file, None) not in self.index.classes
            scope = site.deferred[-1] if site.deferred else None
            if scope is not None and scope.call in ("apply", "run") and scope.receiver and \
                    owner.rsplit(".", 1)[-1] in scope.receiver.split("(", 1)[0].split("."):
                # `AppsFlyerLib.getInstance().apply { start(ctx) }`: the scope function's receiver is `this`.
                return True
            # An unqualified call: only through a static import of the owner's member.
            fs = self.index.files[fid.file]
            return any(i.path == f"{owner}.{site.name}" or (i.wildcard and i.path == owner) for i in fs.imports)
        receiver = site.receiver
        cls, _static = self.index.receiver_class(fid, site)
        if cls is None and receiver.isidentifier():
            # `private val analytics = Firebase.analytics` … `analytics.setAnalyticsCollectionEnabled(…)`: the
            # property's initialiser says what it holds (or its lazy initialiser: `by lazy {
            # FirebaseRemoteConfig.getInstance().apply { … } }`).
            receiver = self._initialiser(fid, receiver) or self._lazy_factory(fid, receiver) or receiver
        ktx = receiver.split("(", 1)[0].split(".")
        if len(ktx) == 2 and ktx[0] == "Firebase" and ktx[1][:1].islower():
            # Firebase KTX accessors: `Firebase.analytics` is FirebaseAnalytics, `Firebase.crashlytics` …
            return owner.rsplit(".", 1)[-1] == "Firebase" + ktx[1][:1].upper() + ktx[1][1:]
        if cls is None:
            # Chains such as `PushManager.getInstance().initialize(ctx)` or `Firebase.analytics.x()`.
            head = receiver.split("(", 1)[0].split(".")
            return owner.rsplit(".", 1)[-1] in head
        if cls in self.index.classes:
            # A project class is not the SDK - unless it declares the SDK's own class under its own name while
            # the project depends on the SDK: a stand-in for the builds without it (a flavour's no-op
            # `com.google.firebase.analytics.FirebaseAnalytics`); the other builds call the SDK itself.
            return cls == owner and self.depends_on is not None and self.depends_on(sdk_id)
        return suffix_match(cls.split("<")[0], owner) or suffix_match(owner.rsplit(".", 1)[-1], cls)
