"""Runtime permission requests in every common form, and the permissions each one asks for.

Forms: `requestPermissions` (Activity/Fragment/`ActivityCompat`), ActivityResult launchers
(`registerForActivityResult(RequestPermission()/RequestMultiplePermissions())` or Compose
`rememberLauncherForActivityResult` + `launch(...)`), PermissionX, XXPermissions, EasyPermissions,
RxPermissions, Dexter, and the project's own wrappers from configuration. Permission arguments are
resolved through `Manifest.permission.X`, string literals, wrapper constants (`Permission.CAMERA`) and
constants or arrays declared in the project (`val PERMS = arrayOf(...)`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from pipl_lint.model.index import FnId, ProgramIndex
from pipl_lint.model.summary import Arg, Site

ANDROID = "android.permission."
LAUNCHER_CONTRACTS = ("RequestPermission", "RequestMultiplePermissions")
# (receiver head, call name) of wrapper-library calls whose arguments are permissions.
WRAPPER_CALLS: tuple[tuple[str, str, str], ...] = (
    ("PermissionX", "permissions", "PermissionX"),
    ("XXPermissions", "permission", "XXPermissions"),
    ("XXPermissions", "permissions", "XXPermissions"),
    ("EasyPermissions", "requestPermissions", "EasyPermissions"),
    ("Dexter", "withPermission", "Dexter"),
    ("Dexter", "withPermissions", "Dexter"),
)
RX_CALLS = ("request", "requestEach", "requestEachCombined", "ensure", "ensureEach", "ensureEachCombined")


@dataclass(frozen=True, slots=True)
class PermissionRequest:
    fid: FnId
    site: Site
    permissions: tuple[str, ...]  # fully qualified names, in order, without duplicates
    form: str  # requestPermissions | launcher | PermissionX | XXPermissions | EasyPermissions | RxPermissions | Dexter | wrapper
    rationale_in_call: bool  # the call itself carries an explanation (EasyPermissions' rationale text)


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


class RequestFinder:
    def __init__(self, index: ProgramIndex, wrappers: Iterable[str] = ()) -> None:
        self.index = index
        self.wrappers = {w.rsplit(".", 1)[-1]: w for w in wrappers}
        self._constants: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
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
        for owner, values in cands:
            if owner == fn.owner or (owner_cls and owner.endswith(owner_cls)):
                return values
        if len(cands) == 1:
            return cands[0][1]
        return None

    def permissions_in(self, fid: FnId, args: Iterable[Arg], depth: int = 0) -> list[str]:
        out: list[str] = []
        for arg in args:
            for s in arg.strings:
                n = normalise(s)
                if n:
                    out.append(n)
            for ref in arg.refs:
                out += self.resolve_ref(fid, ref, depth)
        return list(dict.fromkeys(out))

    def resolve_ref(self, fid: FnId, ref: str, depth: int = 0) -> list[str]:
        n = normalise(ref)
        if n:
            return [n]
        if depth > 3 or not ref.replace(".", "").replace("_", "").isalnum():
            return []
        values = self.constant(fid, ref)
        if values is None:
            return []
        out: list[str] = []
        for v in values:
            n = normalise(v)
            if n:
                out.append(n)
            elif v != ref:
                out += self.resolve_ref(fid, v, depth + 1)
        return out

    # --- requests --------------------------------------------------------------------------------------------
    def classify(self, fid: FnId, site: Site) -> PermissionRequest | None:
        if site.kind != "call" or not site.args:
            return None
        head = (site.receiver or "").split("(", 1)[0].split(".")[0]
        name = site.name
        form = ""
        rationale = False
        args = site.args
        if name == "requestPermissions" and head == "EasyPermissions":
            form, rationale = "EasyPermissions", True
        elif name == "requestPermissions":
            form = "requestPermissions"
        elif name == "launch":
            form = "launcher"
        elif any(head == h and name == n for h, n, _f in WRAPPER_CALLS):
            form = next(f for h, n, f in WRAPPER_CALLS if head == h and name == n)
        elif name in RX_CALLS and (site.rtype or "").endswith("RxPermissions"):
            form = "RxPermissions"
        elif name in RX_CALLS and "rxPermission" in (site.receiver or "").replace("R", "r", 1):
            form = "RxPermissions"
        elif name in self.wrappers:
            form = "wrapper"
        if not form:
            return None
        perms = self.permissions_in(fid, args)
        if not perms:
            return None
        return PermissionRequest(fid, site, tuple(perms), form, rationale)

    def requests(self) -> Iterator[PermissionRequest]:
        names = {"requestPermissions", "launch", *(n for _h, n, _f in WRAPPER_CALLS), *RX_CALLS, *self.wrappers}
        for fi, fs in enumerate(self.index.files):
            for site in fs.sites:
                if site.name in names and site.function >= 0:
                    req = self.classify(FnId(fi, site.function), site)
                    if req is not None:
                        yield req
