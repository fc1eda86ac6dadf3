"""Runtime permission requests in every common form, the permissions each one asks for, and the code that
receives the user's answer.

Forms: `requestPermissions` (Activity/Fragment/`ActivityCompat`), ActivityResult launchers
(`registerForActivityResult(RequestPermission()/RequestMultiplePermissions())` or Compose
`rememberLauncherForActivityResult` + `launch(...)`), PermissionX, XXPermissions, AndPermission, utilcode
`PermissionUtils`, EasyPermissions, RxPermissions, Dexter, Accompanist (`rememberPermissionState` +
`launchPermissionRequest()`), PermissionsDispatcher's generated calls (`XPermissionsDispatcher.fooWithCheck(this)`,
`fooWithPermissionCheck()`: the permissions sit in the `@NeedsPermission` annotation, which the summaries do not
keep, so the request stays unresolved), other libraries' `requestPermission(...)` calls (not a project function, not
`UsbManager`'s), the project's own wrappers from configuration, and
project functions that pass a parameter on to one of these (found without configuration). Permission
arguments are resolved through `Manifest.permission.X`, string literals, wrapper constants (`Permission.CAMERA`)
and constants or arrays declared in the project (`val PERMS = arrayOf(...)`).

Each request knows its result callbacks: the registration's lambda, anonymous `ActivityResultCallback` or
function reference for launchers, `onRequestPermissionsResult` (and EasyPermissions' `onPermissionsDenied`)
for `requestPermissions`, and the lambdas or anonymous listeners handed to a wrapper chain (`request { }`,
`subscribe { }`, `withListener(...)`, `onDenied { }`). `refusal_branch` tells whether a site in a callback
runs only when the user refused.

Permission arguments built before the call are resolved too: local collections filled with `add`/`addAll`
(conditional adds included) or `Collections.addAll`, copied with `toArray(arr)`/`toTypedArray()`, loops over a
field array (`for (p in PERMS) list.add(p)`), calls whose value is a known permission or list (XXPermissions'
`PermissionLists.getXxxPermission()`, the `Permission.Group.*` / utilcode `PermissionConstants.*` groups, and
project functions: the permissions they mention), and state holders (`it.permissionList`: the named arguments
and the declaring class's initialisers of `permissionList`). A request whose permissions still cannot be
resolved is kept, with `permissions == ()` and the expression in `unresolved`, so rules can say so.

Limits: the summary does not record which property a `registerForActivityResult(...)` initialises, so a
`launch` is linked to the registrations of its composable or class, narrowed by contract (one permission or
several); a class with two launchers of the same contract links each `launch` to both callbacks. A loop
variable is resolved through the constants read on the line where it first appears (the loop header).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from pipl_lint.model.index import FnId, ProgramIndex
from pipl_lint.model.summary import Arg, Atom, Deferred, Site

ANDROID = "android.permission."
REGISTER_CALLS = frozenset({"registerForActivityResult", "rememberLauncherForActivityResult"})
PERMISSION_CONTRACTS = ("RequestMultiplePermissions", "RequestPermission")  # checked in this order
LAUNCHER_TYPES = ("ActivityResultLauncher", "ManagedActivityResultLauncher")
# (receiver head, call name, form) of wrapper-library calls whose arguments are permissions.
WRAPPER_CALLS: tuple[tuple[str, str, str], ...] = (
    ("PermissionX", "permissions", "PermissionX"),
    ("XXPermissions", "permission", "XXPermissions"),
    ("XXPermissions", "permissions", "XXPermissions"),
    ("AndPermission", "permission", "AndPermission"),
    ("PermissionUtils", "permission", "PermissionUtils"),
    ("PermissionUtils", "permissionGroup", "PermissionUtils"),
    ("EasyPermissions", "requestPermissions", "EasyPermissions"),
    ("Dexter", "withPermission", "Dexter"),
    ("Dexter", "withPermissions", "Dexter"),
)
# Accompanist (Compose): the launch call → the state that names the permissions.
ACCOMPANIST_LAUNCHES = {"launchPermissionRequest": "rememberPermissionState",
                        "launchMultiplePermissionRequest": "rememberMultiplePermissionsState"}
WRAPPER_CONSTANT_OWNERS = ("Permission", "Permissions", "PermissionConstants")
# Request calls of permission libraries the linter has no table for (`VMPermission.addPermission(bean)
# .requestPermission(ctx, cb)`): a request when the call is not the project's own function (nor USB's).
LIBRARY_REQUESTS = frozenset({"requestPermission", "requestRuntimePermission", "requestRuntimePermissions"})
# Permission groups of the wrapper libraries (XXPermissions/AndPermission `Permission.Group.X`, utilcode
# `PermissionConstants.X`): each stands for several permissions.
PERMISSION_GROUPS: dict[str, tuple[str, ...]] = {
    "CALENDAR": ("READ_CALENDAR", "WRITE_CALENDAR"),
    "CAMERA": ("CAMERA",),
    "CONTACTS": ("READ_CONTACTS", "WRITE_CONTACTS", "GET_ACCOUNTS"),
    "LOCATION": ("ACCESS_FINE_LOCATION", "ACCESS_COARSE_LOCATION"),
    "MICROPHONE": ("RECORD_AUDIO",),
    "PHONE": ("READ_PHONE_STATE", "READ_PHONE_NUMBERS", "CALL_PHONE", "READ_CALL_LOG", "WRITE_CALL_LOG",
              "ADD_VOICEMAIL", "USE_SIP", "PROCESS_OUTGOING_CALLS", "ANSWER_PHONE_CALLS"),
    "SENSORS": ("BODY_SENSORS",),
    "SMS": ("SEND_SMS", "RECEIVE_SMS", "READ_SMS", "RECEIVE_WAP_PUSH", "RECEIVE_MMS"),
    "STORAGE": ("READ_EXTERNAL_STORAGE", "WRITE_EXTERNAL_STORAGE"),
    "CALL_LOG": ("READ_CALL_LOG", "WRITE_CALL_LOG", "PROCESS_OUTGOING_CALLS"),
    "BLUETOOTH": ("BLUETOOTH_SCAN", "BLUETOOTH_CONNECT", "BLUETOOTH_ADVERTISE"),
}
# Calls that put permissions into a local collection, and builders whose arguments are the elements.
ADD_CALLS = frozenset({"add", "addAll", "plus", "plusElement", "push", "offer", "addFirst", "addLast"})
BUILDER_CALLS = frozenset({"arrayOf", "listOf", "mutableListOf", "arrayListOf", "setOf", "mutableSetOf",
                           "hashSetOf", "listOfNotNull", "asList", "of", "ofNotNull", "add", "addAll"})
NOT_PERMISSIONS = frozenset({"this", "null", "true", "false", "context", "activity", "requireActivity", "fragment"})
COPY_CALLS = frozenset({"toArray", "copyInto"})  # Java `list.toArray(arr)`: `arr` gets the list's elements
RX_CALLS = ("request", "requestEach", "requestEachCombined", "ensure", "ensureEach", "ensureEachCombined")
RESULT_OVERRIDES = ("onRequestPermissionsResult", "onPermissionsGranted", "onPermissionsDenied", "onRationaleDenied")
# Callbacks (overrides, anonymous methods, chain calls) that run only when the user refused.
REFUSAL_CALLBACKS = frozenset({
    "onDenied", "onPermissionDenied", "onPermissionsDenied", "onRationaleDenied", "onNeverAskAgain",
    "onForwardToSettings", "onPermanentlyDenied", "onDeniedForever",
})
# Chain calls that only prepare or explain the request: not where the answer arrives.
CHAIN_SETUP = frozenset({"permission", "permissions", "permissionGroup", "with", "init", "withContext",
                         "withActivity", "runtime", "explainReasonBeforeRequest", "onExplainRequestReason",
                         "interceptor", "description", "rationale", "check", "start"})
REFUSAL_WORDS = ("denied", "deny", "refus", "reject", "declin")
GRANT_WORDS = ("granted", "allowed", "haspermission", "hasselfpermission")


@dataclass(frozen=True, slots=True)
class ResultCallback:
    """Code that runs with the user's answer: the sites of `fid` inside `deferred` (the whole function when
    `deferred` is None)."""

    fid: FnId
    deferred: Deferred | None
    label: str  # onRequestPermissionsResult, onDenied, registerForActivityResult, subscribe ...
    params: tuple[str, ...]  # names that carry the answer (`granted`, `result`, `grantResults`, `it`)
    refusal_only: bool  # runs only when the user refused (onDenied, onPermissionsDenied)
    request_code: str = ""  # the request's code, to skip `if (requestCode == OTHER)` branches

    def contains(self, site: Site) -> bool:
        if site.function != self.fid.index:
            return False
        if self.deferred is not None and self.deferred not in site.deferred:
            return False
        return not self.request_code or not _other_request_code(site, self.request_code)

    def inner(self, site: Site) -> tuple[Deferred, ...]:
        """The deferred contexts inside the callback that enclose `site` (nested listeners, dialogs)."""
        if self.deferred is None:
            return site.deferred
        return site.deferred[site.deferred.index(self.deferred) + 1:]

    def sites(self, index: ProgramIndex) -> Iterator[Site]:
        for site in index.sites_of(self.fid):
            if self.contains(site):
                yield site


@dataclass(frozen=True, slots=True)
class Registration:
    """`registerForActivityResult(RequestPermission())` / Compose `rememberLauncherForActivityResult(...)`."""

    fid: FnId
    site: Site
    contract: str  # RequestPermission | RequestMultiplePermissions
    callbacks: tuple[ResultCallback, ...]


@dataclass(frozen=True, slots=True)
class PermissionRequest:
    fid: FnId
    site: Site
    permissions: tuple[str, ...]  # fully qualified names, without duplicates (literals before constants)
    # requestPermissions | launcher | PermissionX | XXPermissions | AndPermission | PermissionUtils |
    # EasyPermissions | RxPermissions | Dexter | Accompanist | PermissionsDispatcher | wrapper | library
    form: str
    rationale_in_call: bool  # the call itself carries an explanation (EasyPermissions' rationale text)
    contract: str = ""  # launchers: RequestPermission | RequestMultiplePermissions
    registration: Registration | None = None  # launchers: where the launcher was registered
    callbacks: tuple[ResultCallback, ...] = ()  # where the answer arrives (empty when not found)
    wrapper: FnId | None = None  # a project function that was called to make the request
    unresolved: str = ""  # the permission expression when none of its permissions could be resolved

    @property
    def key(self) -> tuple[FnId, int]:
        return self.fid, self.site.start


def normalise(ref: str) -> str | None:
    """`Manifest.permission.CAMERA` / `android.Manifest.permission.CAMERA` / `Permission.CAMERA` /
    `"android.permission.CAMERA"` → `android.permission.CAMERA`; anything else → None."""
    ref = ref.strip().strip('"')
    if ref.startswith(ANDROID) or ref.startswith("com.android.permission.") or \
            ref.startswith("com.google.android.gms.permission."):
        return ref
    parts = ref.split(".")
    if len(parts) >= 2 and parts[-2] == "permission" and parts[-1].isupper():
        return ANDROID + parts[-1]
    if len(parts) >= 2 and parts[-2] in ("Permission", "Permissions", "PermissionConstants") and \
            parts[-1].replace("_", "").isupper():
        return ANDROID + parts[-1]
    return None


# --- the user's answer ----------------------------------------------------------------------------------

def grant_sense(atom: Atom, params: Iterable[str] = ()) -> bool | None:
    """What the atom being true says about the answer: True = granted, False = refused, None = unrelated."""
    low = atom.text.lower()
    negated = "!=" in atom.text
    if any(w in low for w in REFUSAL_WORDS):
        return negated
    names = set(params)
    if any(w in low for w in GRANT_WORDS) or atom.text in names or names.intersection(atom.names):
        return not negated
    return None


def refusal_branch(site: Site, callback: ResultCallback) -> bool:
    """The site runs only when the user refused (a denial callback, or the `!granted` branch of one)."""
    if callback.refusal_only:
        return True
    for guard in site.guards:
        for atom in guard.atoms:
            sense = grant_sense(atom, callback.params)
            if sense is not None and sense != atom.positive:
                return True
    return False


def _other_request_code(site: Site, code: str) -> bool:
    """The site sits in a branch for another request code (`if (requestCode == REQ_OTHER)`)."""
    for guard in site.guards:
        for atom in guard.atoms:
            if "requestCode" not in atom.text:
                continue
            equal = ("==" in atom.text and atom.positive) or ("!=" in atom.text and not atom.positive)
            if equal and code not in atom.text:
                return True
    return False


def lambda_params(arg: Arg) -> tuple[str, ...]:
    """`{ granted -> ... }` → ("granted",); `(a, b) -> ...` → ("a", "b"); `{ ... }` → ("it",)."""
    text = arg.text.strip()
    head, arrow, _ = text.partition("->")
    if not arrow:
        return ("it",) if text.startswith("{") else ()
    head = head.strip().lstrip("{").strip().strip("()")
    names = []
    for part in head.split(","):
        name = part.split(":")[0].strip().split(" ")[-1]
        if name.isidentifier():
            names.append(name)
    return tuple(names)


def _is_lambda(arg: Arg) -> bool:
    text = arg.text.lstrip()
    if text.startswith("new ") and "{" in text:
        return "[]" not in text.split("{", 1)[0]  # an anonymous class, not `new String[]{...}`
    return text.startswith(("{", "object")) or "->" in text


def _contract(site: Site) -> str:
    for arg in site.args:
        if _is_lambda(arg):
            continue
        for contract in PERMISSION_CONTRACTS:
            if contract in arg.text:
                return contract
    return ""


def chain_text(text: str) -> str:
    """A call chain's text without the line breaks and indentation between its calls."""
    return "".join(text.split())


def _list_like(type_text: str) -> bool:
    """A parameter that can carry permission names: String, arrays, lists, sets, or untyped."""
    return type_text in ("", "String", "Array", "List", "MutableList", "ArrayList", "Collection", "Set",
                         "Iterable", "CharSequence")


def _usb(site: Site) -> bool:
    """`UsbManager.requestPermission(device, pendingIntent)`: a USB device grant, not a runtime permission."""
    text = f"{site.receiver or ''} {site.rtype or ''}".lower()
    return "usb" in text or any("intent" in a.text.lower() for a in site.args)


def _code_only(site: Site) -> bool:
    """`Shizuku.requestPermission(SHIZUKU_PERMISSION_REQUEST_CODE)`: a library's own grant asked with only a request
    code (no permission named or passed), not an Android runtime permission."""
    texts = [a.text.strip() for a in site.args]
    return bool(texts) and all(t.isdigit() or "CODE" in t.upper() or "REQUEST" in t.upper() for t in texts) and \
        not any("perm" in r.lower() and "code" not in r.lower() for a in site.args for r in a.refs)


def _permission_text(args: list[Arg], form: str, receiver: str = "") -> str:
    """The argument that should name the permissions of an unresolved request (for messages)."""
    cands = [a.text.strip() for a in args if not _is_lambda(a) and a.text.strip() not in NOT_PERMISSIONS
             and not a.text.strip().startswith(("this@", "requireActivity", "requireContext", "getActivity"))
             and not a.text.strip().isdigit() and not a.text.strip().rsplit(".", 1)[-1].isupper()
             and "REQUEST" not in a.text and "CODE" not in a.text.upper()]
    if form == "EasyPermissions" and len(args) > 3:
        cands = [a.text.strip() for a in args[3:]]
    cands = [c for c in cands if "perm" in c.lower()] or ([receiver] if "perm" in receiver.lower() else cands)
    text = " ".join((cands[0] if cands else (args[0].text.strip() if args else "")).split())
    return text if len(text) <= 60 else text[:57] + "..."


def _group(ref: str) -> list[str]:
    """`Permission.Group.STORAGE` / `PermissionConstants.LOCATION` → the group's permissions."""
    parts = ref.split(".")
    if len(parts) >= 2 and (parts[-2] == "Group" or parts[-2] == "PermissionConstants") and \
            parts[-1] in PERMISSION_GROUPS:
        return [ANDROID + p for p in PERMISSION_GROUPS[parts[-1]]]
    return []


def _snake(camel: str) -> str:
    """`ReadPhoneNumbers` → `READ_PHONE_NUMBERS`."""
    out = ""
    for i, c in enumerate(camel):
        if c.isupper() and i and not camel[i - 1].isupper():
            out += "_"
        out += c.upper()
    return out


def _dispatcher_method(site: Site) -> str:
    """PermissionsDispatcher's generated request: `SplashActivityPermissionsDispatcher.skipToActivityWithCheck(this,
    …)` (Java, 2.x), `…WithPermissionCheck(this, …)` (Java, 3+), `skipToActivityWithPermissionCheck(…)` (a Kotlin
    extension): the method it wraps (`skipToActivity`), or ""."""
    for suffix in ("WithPermissionCheck", "WithCheck"):
        if site.name.endswith(suffix) and len(site.name) > len(suffix) and \
                (suffix == "WithPermissionCheck" or _head(site).endswith("PermissionsDispatcher")):
            return site.name[: -len(suffix)]
    return ""


def _head(site: Site) -> str:
    return (site.receiver or "").split("(", 1)[0].split(".")[0].strip()


class RequestFinder:
    def __init__(self, index: ProgramIndex, wrappers: Iterable[str] = ()) -> None:
        self.index = index
        self.wrappers = {w.rsplit(".", 1)[-1]: w for w in wrappers}
        self._constants: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
        self._scope_cache: dict[str, list[str]] = {}
        self._holder_cache: dict[str, list[str]] = {}
        for fs in index.files:
            for c in fs.constants:
                self._constants.setdefault(c.name, []).append((c.owner, c.values))

    # --- permission arguments ------------------------------------------------------------------------------
    def constant(self, fid: FnId, name: str) -> tuple[str, ...] | None:
        fn = self.index.function(fid)
        cands = self._constants.get(name.rsplit(".", 1)[-1])
        if not cands:
            return None
        local = f"{fn.owner}#{fn.name}"
        for owner, values in cands:
            if owner == local:
                return values
        owner_cls = name.rsplit(".", 1)[0] if "." in name else None
        scopes = self._scopes(fn.owner)
        for owner, values in cands:
            if owner in scopes or (owner_cls and owner.endswith(owner_cls)):
                return values
        if len(cands) == 1:
            return cands[0][1]
        return None

    def _scopes(self, owner: str) -> list[str]:
        """The class, its companion, its outer classes (and theirs), nearest first."""
        cached = self._scope_cache.get(owner)
        if cached is not None:
            return cached
        out: list[str] = []
        cls: str | None = owner
        while cls and cls in self.index.classes:
            out.append(cls)
            comp = self.index.companion(cls)
            if comp:
                out.append(comp)
            decl = self.index.class_of(cls)
            cls = decl.outer if decl else None
        self._scope_cache[owner] = out or [owner]
        return self._scope_cache[owner]

    def _declared_in(self, owner: str, member: str) -> bool:
        """A project class named like `owner` declares the constant `member`."""
        simple = owner.rsplit(".", 1)[-1]
        return any(o.rsplit(".", 1)[-1] == simple for o, _values in self._constants.get(member, ()))

    def permissions_in(self, fid: FnId, args: Iterable[Arg], depth: int = 0) -> list[str]:
        out: list[str] = []
        for arg in args:
            found: list[str] = []
            for s in arg.strings:
                n = normalise(s)
                if n:
                    found.append(n)
            for ref in arg.refs:
                if not any(other.startswith(ref + ".") for other in arg.refs):  # `Manifest` of `Manifest.permission.X`
                    found += self._element(fid, ref, arg.text, depth) or self.resolve_ref(fid, ref, depth)
            if not found:
                for call in arg.calls:
                    found += self.resolve_call(fid, call, depth)
            out += found
        return list(dict.fromkeys(out))

    def _element(self, fid: FnId, ref: str, text: str, depth: int) -> list[str]:
        """`PERMS[1]` of a constant array (`static String[] PERMS = {CAMERA, RECORD_AUDIO}`): that element only."""
        at = re.search(re.escape(ref) + r"\s*\[\s*(\d+)\s*\]", text)
        values = self.constant(fid, ref) if at is not None else None
        if at is None or not values or int(at.group(1)) >= len(values):
            return []
        return self.resolve_ref(fid, values[int(at.group(1))], depth + 1)

    def resolve_ref(self, fid: FnId, ref: str, depth: int = 0) -> list[str]:
        if depth > 5:
            return []
        owner, _, member = ref.rpartition(".")
        if owner.rsplit(".", 1)[-1] in WRAPPER_CONSTANT_OWNERS and self._declared_in(owner, member):
            return self._resolve_values(fid, ref, self.constant(fid, ref) or (), depth)  # the project's own
        group = _group(ref)
        if group:
            return group
        n = normalise(ref)
        if n:
            return [n]
        if not ref.replace(".", "").replace("_", "").isalnum():
            return []
        values = self.constant(fid, ref)
        if values is not None:
            found = self._resolve_values(fid, ref, values, depth)
            if found:
                return found
        if ref.isidentifier() and ref not in NOT_PERMISSIONS:
            return self._collection(fid, ref, depth) or self._loop_source(fid, ref, depth)
        if member and not member.isupper() and owner[:1].islower() and member != "permission":
            return self._state_holder(member, depth)  # `state.permissionList`, `it.permissions`
        return []

    def resolve_call(self, fid: FnId, call: str, depth: int = 0) -> list[str]:
        """The permissions a call inside a permission argument returns: XXPermissions' `PermissionLists` getters,
        or the permissions a project function it resolves to mentions."""
        if depth > 5:
            return []
        head, _, name = call.rpartition(".")
        if head.rsplit(".", 1)[-1] == "PermissionLists" and name.startswith("get") and name.endswith("Permission"):
            return [ANDROID + _snake(name[3:-len("Permission")])]
        out: list[str] = []
        for site in self.index.sites_of(fid):
            if site.kind != "call" or site.qualified != call or site.name in COPY_CALLS:
                continue
            for target, _how in self.index.resolve(fid, site):
                out += self.mentioned(target, depth + 1)
            break
        return list(dict.fromkeys(out))

    def mentioned(self, fid: FnId, depth: int = 0) -> list[str]:
        """Every permission a function names (`Manifest.permission.X`, literals, collection elements and the
        constants it reads): what a project function that builds a permission list returns."""
        if depth > 5:
            return []
        out: list[str] = []
        for site in self.index.sites_of(fid):
            if site.kind == "field" and site.receiver:
                n = normalise(site.qualified)
                if n:
                    out.append(n)
            elif site.kind == "call" and site.name in BUILDER_CALLS:
                out += self.permissions_in(fid, site.args, depth + 1)
        fs = self.index.files[fid.file]
        out += [n for lit in fs.strings if lit.function == fid.index for n in [normalise(lit.value)] if n]
        if fid.index < len(fs.refs):
            for name, _line in fs.refs[fid.index]:
                if name[:1].isupper() and name.replace("_", "").isupper():  # a constant it reads
                    values = self.constant(fid, name)
                    out += self._resolve_values(fid, name, values or (), depth + 1)
        return list(dict.fromkeys(out))

    def _collection(self, fid: FnId, name: str, depth: int) -> list[str]:
        """A local collection or array: what is added to it (`list.add(X)`, `Collections.addAll(list, …)`), or
        for a Java array filled by `list.toArray(arr)`, the list's elements."""
        out: list[str] = []
        for site in self.index.sites_of(fid):
            if site.kind != "call" or not site.args:
                continue
            if site.receiver == name and site.name in ADD_CALLS:
                out += self.permissions_in(fid, site.args, depth + 1)
            elif site.name == "addAll" and site.receiver in ("Collections", "java.util.Collections") and \
                    name in site.args[0].refs:
                out += self.permissions_in(fid, site.args[1:], depth + 1)
            elif site.name in COPY_CALLS and site.receiver and site.receiver != name and \
                    any(name in a.refs for a in site.args):
                out += self.resolve_ref(fid, site.receiver, depth + 1)
        return list(dict.fromkeys(out))

    def _loop_source(self, fid: FnId, name: str, depth: int) -> list[str]:
        """A loop variable (`for (p in PERMS)`): the constants read on the line where it first appears."""
        fs = self.index.files[fid.file]
        if fid.index >= len(fs.refs):
            return []
        refs = fs.refs[fid.index]
        line = next((ln for n, ln in refs if n == name), None)
        if line is None or not any(s.in_loop and s.line >= line for s in self.index.sites_of(fid)):
            return []
        out: list[str] = []
        for other, ln in refs:
            if ln == line and other != name:
                values = self.constant(fid, other)
                out += self._resolve_values(fid, other, values or (), depth + 1)
        return list(dict.fromkeys(out))

    def _state_holder(self, member: str, depth: int) -> list[str]:
        """`state.permissionList` read from a state holder: what the project classes declaring a `permissionList`
        field initialise it with, and the values passed as `permissionList = …` to their constructors or
        `copy(...)`."""
        cached = self._holder_cache.get(member)
        if cached is not None:
            return cached
        self._holder_cache[member] = []  # a cycle resolves to nothing
        out: list[str] = []
        holders = {"copy"}
        for fs in self.index.files:
            for cls in fs.classes:
                if any(f == member for f, _t in cls.fields):
                    holders.add(cls.name)
                    for init in self.index.initialisers(cls.fqn):
                        for site in self.index.sites_of(init):
                            if site.kind == "call" and site.name in BUILDER_CALLS:
                                out += self.permissions_in(init, site.args, depth + 1)
        if len(holders) == 1:
            self._holder_cache[member] = []
            return []  # no project class holds it
        for fi, fs in enumerate(self.index.files):
            for site in fs.sites:
                if site.function < 0 or site.name not in holders:
                    continue
                for arg in site.args:
                    if arg.label == member:
                        out += self.permissions_in(FnId(fi, site.function), [arg], depth + 1)
        self._holder_cache[member] = list(dict.fromkeys(out))
        return self._holder_cache[member]
    def _resolve_values(self, fid: FnId, ref: str, values: Iterable[str], depth: int) -> list[str]:
        out: list[str] = []
        for v in values:
            if v != ref:
                out += self.resolve_ref(fid, v, depth + 1)
        return out

    # --- forms -----------------------------------------------------------------------------------------------
    def form_of(self, fid: FnId, site: Site) -> str:
        """The request form of a call site, or "" when it is not a permission request."""
        if site.kind == "call" and site.name in ACCOMPANIST_LAUNCHES:
            return "Accompanist" if self._accompanist_states(fid, site) else ""
        if site.kind == "call" and _dispatcher_method(site) and \
                not any(how == "exact" for _t, how in self.index.resolve(fid, site)):
            return "PermissionsDispatcher"  # (generated at build time: never a function of the project's sources)
        if site.kind != "call" or not site.args:
            return ""
        head = _head(site)
        name = site.name
        if name == "requestPermissions":
            return "EasyPermissions" if head == "EasyPermissions" else "requestPermissions"
        if name == "launch":
            return "launcher" if self._is_launcher(fid, site) else ""
        for h, n, form in WRAPPER_CALLS:
            if head == h and name == n:
                return form
        if name in RX_CALLS and ((site.rtype or "").endswith("RxPermissions") or head == "RxPermissions"
                                 or "rxpermission" in (site.receiver or "").lower()):
            return "RxPermissions"
        if name in self.wrappers:
            return "wrapper"
        if name in LIBRARY_REQUESTS and not _usb(site) and not _code_only(site) and \
                all(how == "by-name" for _t, how in self.index.resolve(fid, site)):
            return "library"  # not the project's own function (a by-name guess does not count)
        return ""

    def _accompanist_states(self, fid: FnId, site: Site) -> list[Site]:
        """Accompanist `rememberPermissionState(...)` / `rememberMultiplePermissionsState(...)` in the same
        composable that a `launchPermissionRequest()` / `launchMultiplePermissionRequest()` call launches."""
        wanted = ACCOMPANIST_LAUNCHES[site.name]
        return [s for s in self.index.sites_of(fid) if s.kind == "call" and s.name == wanted]

    def _is_launcher(self, fid: FnId, site: Site) -> bool:
        if all(_is_lambda(a) for a in site.args):
            return False  # a coroutine `scope.launch { }`
        if self.registrations_for(fid, site):
            return True
        if (site.rtype or "").endswith(LAUNCHER_TYPES):
            return True
        return "permission" in (site.receiver or "").lower()

    def classify(self, fid: FnId, site: Site) -> PermissionRequest | None:
        form = self.form_of(fid, site)
        if not form:
            return None
        args = [a for a in site.args if not _is_lambda(a)] if form == "launcher" else list(site.args)
        states = self._accompanist_states(fid, site) if form == "Accompanist" else []
        if states:
            args = [a for state in states for a in state.args if not _is_lambda(a)]
        if form == "PermissionsDispatcher":
            # The permissions are in the `@NeedsPermission` annotation of the method the generated call wraps; its
            # `@OnShowRationale` method (the one that calls `request.proceed()`) explains after a refusal.
            owner = self.index.function(fid).owner
            fs = self.index.files[fid.file]
            explains = any(s.name == "proceed" for i, fn in enumerate(fs.functions) if fn.owner == owner
                           for s in self.index.sites_of(FnId(fid.file, i)))
            return PermissionRequest(fid, site, (), form, explains,
                                     unresolved=f"@NeedsPermission of {_dispatcher_method(site)}")
        perms = self.permissions_in(fid, args)
        unresolved = ""
        if not perms:
            if fid in self.wrapper_functions:
                return None  # the project's own wrapper: each call of it is the request
            if any(len(self.index.function(t).params) == len(site.args) for t, _how in self.index.resolve(fid, site)):
                return None  # a project method named like a request (`requestPermissions(callback)`): its body asks
            if form == "launcher" and _other_contract(site):
                return None  # a launcher of another contract in the same class (an Intent, a Uri …)
            unresolved = _permission_text(args, form, site.receiver or "")
        contract = ""
        registration = None
        if states:
            callbacks = tuple(cb for state in states for cb in self._lambda_args(fid, state))
        elif form == "launcher":
            regs = self.registrations_for(fid, site)
            registration = regs[0] if len(regs) == 1 else None
            contract = regs[0].contract if regs else ""
            callbacks = tuple(cb for r in regs for cb in r.callbacks)
        else:
            callbacks = self.callbacks_of(fid, site, form)
        return PermissionRequest(fid, site, tuple(perms), form, form == "EasyPermissions", contract,
                                 registration, callbacks, unresolved=unresolved)

    def requests(self) -> Iterator[PermissionRequest]:
        yield from self._requests

    @functools.cached_property
    def _requests(self) -> list[PermissionRequest]:
        names = {"requestPermissions", "launch", *(n for _h, n, _f in WRAPPER_CALLS), *RX_CALLS, *self.wrappers,
                 *ACCOMPANIST_LAUNCHES, *LIBRARY_REQUESTS}
        names |= {n for n in self.index.by_site_name if n.endswith(("WithPermissionCheck", "WithCheck"))}
        out: list[PermissionRequest] = []
        for fid, site in self._sites_named(names):
            req = self.classify(fid, site)
            if req is not None:
                out.append(req)
        out += self._wrapper_requests()
        return out

    # --- launchers -------------------------------------------------------------------------------------------
    @functools.cached_property
    def registrations(self) -> list[Registration]:
        out: list[Registration] = []
        for fid, site in self._sites_named(set(REGISTER_CALLS)):
            if site.kind == "call":
                contract = _contract(site)
                if contract:
                    out.append(Registration(fid, site, contract, self._registration_callbacks(fid, site)))
        return out

    @functools.cached_property
    def _registrations_by_owner(self) -> dict[str, list[Registration]]:
        table: dict[str, list[Registration]] = {}
        for r in self.registrations:
            table.setdefault(self.index.function(r.fid).owner, []).append(r)
        return table

    def registrations_for(self, fid: FnId, site: Site) -> list[Registration]:
        """The registrations a `launch` call most likely uses: the same composable first, then the class (and its
        outer classes); narrowed by whether one or several permissions are launched."""
        if site.name != "launch" or not self.registrations:
            return []
        cands = [r for r in self.registrations if r.fid == fid]
        if not cands:
            for scope in self._scopes(self.index.function(fid).owner):
                cands = self._registrations_by_owner.get(scope, [])
                if cands:
                    break
        if len(cands) > 1:
            args = [a for a in site.args if not _is_lambda(a)]
            multi = any(a.text.startswith(("arrayOf", "new String[", "listOf", "mutableListOf", "{"))
                        for a in args) or len(self.permissions_in(fid, args)) > 1
            wanted = "RequestMultiplePermissions" if multi else "RequestPermission"
            narrowed = [r for r in cands if r.contract == wanted]
            cands = narrowed or cands
        return cands

    def _registration_callbacks(self, fid: FnId, site: Site) -> tuple[ResultCallback, ...]:
        params: tuple[str, ...] = ()
        for arg in site.args:
            if _is_lambda(arg):
                params = lambda_params(arg) or tuple(arg.refs[:1])
        out = list(self._handed_callbacks(fid, site, site.name, params))
        for ref in self.index.sites_of(fid):
            if ref.kind == "reference" and ref.deferred and ref.deferred[-1].call == site.name and \
                    site.line <= ref.line <= site.end_line:
                for target, _how in self.index.resolve(fid, ref):
                    fn = self.index.function(target)
                    out.append(ResultCallback(target, None, fn.name, fn.params[:1], False))
        return tuple(out)

    def _handed_callbacks(self, fid: FnId, site: Site, call: str, params: tuple[str, ...],
                          receiver: str | None = None) -> Iterator[ResultCallback]:
        """Lambdas and anonymous classes handed to the call `site` (one callback per anonymous method)."""
        seen: set[Deferred] = set()
        for inner in self.index.sites_of(fid):
            for d in inner.deferred:
                if d in seen or d.call != call or not site.line <= d.line <= site.end_line or d.kind == "reference":
                    continue
                if receiver is not None and d.receiver != receiver:
                    continue
                seen.add(d)
                label = d.label or call
                yield ResultCallback(fid, d, label, params, label in REFUSAL_CALLBACKS or call in REFUSAL_CALLBACKS)
                break

    # --- callbacks of the other forms -------------------------------------------------------------------------
    def callbacks_of(self, fid: FnId, site: Site, form: str) -> tuple[ResultCallback, ...]:
        if form in ("requestPermissions", "EasyPermissions"):
            code = self._request_code(fid, site, form)
            owner = self.index.function(fid).owner
            out: list[ResultCallback] = []
            for scope in self._scopes(owner):
                for name in RESULT_OVERRIDES:
                    for target in self.index.find_member(scope, name):
                        fn = self.index.function(target)
                        params = fn.params[2:3] if name == "onRequestPermissionsResult" else fn.params[1:2]
                        out.append(ResultCallback(target, None, name, params, name in REFUSAL_CALLBACKS,
                                                  code if name == "onRequestPermissionsResult" else ""))
                if out:
                    break
            return tuple(out)
        if form in ("wrapper", "library"):
            return tuple(self._lambda_args(fid, site))
        # Chains: PermissionX / XXPermissions / AndPermission / PermissionUtils / RxPermissions / Dexter.
        prefix = chain_text(f"{site.receiver}.{site.name}" if site.receiver else site.name)
        out = []
        for later in self.index.sites_of(fid):
            if later.kind != "call" or later.name in CHAIN_SETUP or later is site:
                continue
            if not chain_text(later.receiver or "").startswith(prefix):
                continue
            params = next((lambda_params(a) for a in later.args if _is_lambda(a)), ())
            out += self._handed_callbacks(fid, later, later.name, params, later.receiver)
        return tuple(out)

    def _lambda_args(self, fid: FnId, site: Site) -> Iterator[ResultCallback]:
        params = next((lambda_params(a) for a in site.args if _is_lambda(a)), ())
        yield from self._handed_callbacks(fid, site, site.name, params, site.receiver or "")

    def _request_code(self, fid: FnId, site: Site, form: str) -> str:
        args = list(site.args)
        if form == "EasyPermissions" and len(args) > 2:
            return args[2].text.strip()
        rest = [a for a in args if not self.permissions_in(fid, [a]) and a.text.strip() not in ("this", "activity")]
        if not rest:
            return ""
        text = rest[-1].text.strip()
        simple = text.rsplit(".", 1)[-1]
        return simple if simple.isdigit() or simple.replace("_", "").isupper() else ""

    def result_overrides(self) -> Iterator[ResultCallback]:
        """Every `onRequestPermissionsResult` / `onPermissionsDenied` in the project, linked to a request or not."""
        for name in RESULT_OVERRIDES:
            for target in self.index.by_name.get(name, ()):
                fn = self.index.function(target)
                params = fn.params[2:3] if name == "onRequestPermissionsResult" else fn.params[1:2]
                yield ResultCallback(target, None, name, params, name in REFUSAL_CALLBACKS)

    def _sites_named(self, names: set[str]) -> list[tuple[FnId, Site]]:
        """Sites with one of `names`, in file and source order (from the index's name table)."""
        found = [pair for name in names for pair in self.index.by_site_name.get(name, ())]
        found.sort(key=lambda pair: (pair[0].file, pair[1].start, pair[1].end))
        return found

    # --- the project's own wrappers -----------------------------------------------------------------------
    @functools.cached_property
    def wrapper_functions(self) -> dict[FnId, tuple[int, ...]]:
        """Project functions that pass one of their parameters on as the permissions of a request they cannot
        resolve themselves: function → indexes of those parameters. Wrappers of wrappers are found too."""
        found: dict[FnId, tuple[int, ...]] = {}
        names = {"requestPermissions", "launch", *(n for _h, n, _f in WRAPPER_CALLS), *RX_CALLS, *self.wrappers,
                 *LIBRARY_REQUESTS}
        for _ in range(3):
            added = False
            wrapper_names = {self.index.function(w).name for w in found}
            for fid, site in self._sites_named(names | wrapper_names):
                    if site.kind != "call" or fid in found:
                        continue
                    if any(not d.call and d.kind in ("lambda", "anonymous") for d in site.deferred):
                        continue  # `remember { { launcher.launch(perms) } }`: a request function handed back for later
                    form = self.form_of(fid, site) if site.name in names else ""
                    inner = bool(form) and not (form == "launcher" and _other_contract(site))
                    if not inner and site.name in wrapper_names:
                        inner = any(t in found for t, _how in self.index.resolve(fid, site))
                    if not inner or self.permissions_in(fid, [a for a in site.args if not _is_lambda(a)]):
                        continue
                    fn = self.index.function(fid)
                    used = tuple(i for i, p in enumerate(fn.params)
                                 if _list_like(fn.param_types[i] if i < len(fn.param_types) else "")
                                 and any(p in a.refs for a in site.args if not _is_lambda(a)))
                    if used:
                        found[fid] = used
                        added = True
            if not added:
                break
        return found

    def _wrapper_targets(self, fid: FnId, site: Site, names: set[str],
                         wrappers: dict[FnId, tuple[int, ...]]) -> list[tuple[FnId, str]]:
        if site.name not in names:
            return []
        return [(t, how) for t, how in self.index.resolve(fid, site) if t in wrappers]

    def _wrapper_requests(self) -> list[PermissionRequest]:
        wrappers = self.wrapper_functions
        if not wrappers:
            return []
        names = {self.index.function(w).name for w in wrappers}
        out: list[PermissionRequest] = []
        for fid, site in self._sites_named(names):
                if site.kind != "call":
                    continue
                for target, _how in self._wrapper_targets(fid, site, names, wrappers):
                    if fid in wrappers:
                        break  # a wrapper calling a wrapper: the outer call is the request
                    positional = [a for a in site.args if not _is_lambda(a)]
                    chosen = [positional[i] for i in wrappers[target] if i < len(positional)] or positional
                    perms = self.permissions_in(fid, chosen)
                    unresolved = "" if perms else _permission_text(chosen, "wrapper")
                    callbacks = tuple(self._lambda_args(fid, site)) + self._inner_callbacks(target)
                    out.append(PermissionRequest(fid, site, tuple(perms), "wrapper", False, "", None,
                                                 callbacks, target, unresolved))
                    break
        return out

    def _inner_callbacks(self, wrapper: FnId) -> tuple[ResultCallback, ...]:
        out: list[ResultCallback] = []
        for site in self.index.sites_of(wrapper):
            form = self.form_of(wrapper, site) if site.kind == "call" else ""
            if form == "launcher":
                out += [cb for r in self.registrations_for(wrapper, site) for cb in r.callbacks]
            elif form:
                out += self.callbacks_of(wrapper, site, form)
        return tuple(out)


def _other_contract(site: Site) -> bool:
    """A `launch(...)` whose launcher is not shown to be a permission contract and whose argument is an Intent, a
    Uri or a request builder (`resultLauncher.launch(Intent(this, X::class.java))`)."""
    first = site.args[0].text if site.args else ""
    return "permission" not in f"{site.receiver} {first}".lower() or \
        any(w in first for w in ("Intent", "Uri", "Request.Builder"))
