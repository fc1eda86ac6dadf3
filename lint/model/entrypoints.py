"""What runs before the user can see, let alone answer, a privacy dialog.

From the manifests and the code: the Application (attachBaseContext, onCreate, its initialisers and
companion/static initialisers) — also when the manifest cannot be read; every ContentProvider's
onCreate (providers start before Application.onCreate); androidx.startup initializers registered
through InitializationProvider meta-data in any module's manifest; the launcher activity's
onCreate/onPostCreate/onStart/onResume/onPostResume (its own or inherited from an app base class); receivers for
boot and other system broadcasts.
"""

from __future__ import annotations

from collections.abc import Iterable

from pipl_lint.i18n import Msg
from pipl_lint.model.index import FnId, ProgramIndex
from pipl_lint.model.manifest import Manifest
from pipl_lint.model.reach import Entry

APPLICATION = "android.app.Application"
PROVIDER = "android.content.ContentProvider"
INITIALIZER = "androidx.startup.Initializer"
STARTUP_PROVIDER = "androidx.startup.InitializationProvider"
SYSTEM_BROADCASTS = frozenset({
    "android.intent.action.BOOT_COMPLETED", "android.intent.action.LOCKED_BOOT_COMPLETED",
    "android.intent.action.QUICKBOOT_POWERON", "android.intent.action.MY_PACKAGE_REPLACED",
    "android.intent.action.PACKAGE_ADDED", "android.intent.action.PACKAGE_REPLACED",
    "android.intent.action.PACKAGE_REMOVED", "android.net.conn.CONNECTIVITY_CHANGE",
    "android.intent.action.USER_PRESENT", "android.intent.action.SCREEN_ON", "android.intent.action.SCREEN_OFF",
    "android.intent.action.ACTION_POWER_CONNECTED", "android.intent.action.ACTION_POWER_DISCONNECTED",
    "android.intent.action.TIME_SET", "android.intent.action.TIMEZONE_CHANGED", "android.intent.action.DATE_CHANGED",
    "android.net.wifi.STATE_CHANGE", "android.net.wifi.WIFI_STATE_CHANGED", "android.intent.action.PHONE_STATE",
    "android.provider.Telephony.SMS_RECEIVED", "android.intent.action.NEW_OUTGOING_CALL",
    "android.intent.action.MEDIA_MOUNTED", "android.intent.action.BATTERY_CHANGED",
})
# `<inject>`: the fields Hilt/Dagger injects into the component as it is created (see the extractors).
APP_METHODS = ("<init>", "<clinit>", "<inject>", "attachBaseContext", "onCreate")
# How each kind of entry point is named in messages: (English, Chinese).
WHAT: dict[str, tuple[str, str]] = {
    "application": ("Application (runs at process start, before any UI)",
                    "Application（进程启动时运行，早于任何界面）"),
    "application-subclass": ("Application subclass (runs at process start)", "Application 子类（进程启动时运行）"),
    "startup": ("androidx.startup initializer (runs before Application.onCreate)",
                "androidx.startup 初始化器（早于 Application.onCreate 运行）"),
    "provider": ("ContentProvider (created before Application.onCreate)",
                 "ContentProvider（早于 Application.onCreate 创建）"),
    "provider-subclass": ("ContentProvider subclass (created before Application.onCreate)",
                          "ContentProvider 子类（早于 Application.onCreate 创建）"),
    "launcher": ("launcher activity", "启动页 Activity"),
    "receiver": ("receiver for {action} (runs without the app being opened)",
                 "{action} 广播接收器（无需打开应用即运行）"),
}
LAUNCHER_METHODS = ("<init>", "<clinit>", "<inject>", "onCreate", "onPostCreate", "onStart", "onResume", "onPostResume")


def _short(fqn: str) -> str:
    return fqn.rsplit(".", 1)[-1]


def _class_location(index: ProgramIndex, fqn: str) -> tuple[str, int]:
    entry = index.classes.get(fqn)
    if entry is None:
        return "", 0
    decl, fi = entry
    return index.files[fi].path, decl.line


def _module_of(manifest_path: str) -> str:
    """The folder of the module a manifest belongs to (`app/` for `app/src/main/AndroidManifest.xml`; "" at the
    root)."""
    head, sep, _tail = manifest_path.rpartition("/src/")
    return f"{head}/" if sep and head else ""


def _in_module(index: ProgramIndex, found: list[tuple[str, FnId]], module: str | None) -> list[tuple[str, FnId]]:
    """When a component's method is declared in several modules under one class name (a separate app module, a
    Compose Multiplatform rewrite next to the legacy app, both with `org.acme.App`), the manifest's own module's
    declaration is the one its app compiles: keep only those, when it has some (an inherited method declared in
    a library module stays)."""
    if not module:
        return found
    own = [(name, fid) for name, fid in found if index.files[fid.file].path.startswith(module)]
    return own or found


def _methods(index: ProgramIndex, cls: str, names: Iterable[str], module: str | None = None) \
        -> list[tuple[str, FnId]]:
    out: list[tuple[str, FnId]] = []
    for name in names:
        if name in ("<init>", "<clinit>"):
            found = index.members.get((cls, name), [])
            if name == "<clinit>":
                comp = index.companion(cls)
                if comp:
                    found = [*found, *index.members.get((comp, "<clinit>"), []),
                             *index.members.get((comp, "<init>"), [])]
        else:
            found = index.find_member(cls, name)
        out += _in_module(index, [(name, f) for f in found], module)
    return out


def _unnamed_applications_may_run(manifests: list[Manifest], named: set[str]) -> bool:
    """Whether an Application subclass no manifest names can still be the one that runs. Android runs only
    the class `<application android:name>` names: when a manifest names a project class, or the app's own
    manifest (the one with a launcher activity) names none, every other subclass is dead code (a leftover
    `MyApplication` never registered). Otherwise (a name the project does not declare, such as a framework
    class or a `${placeholder}`, or no app manifest at all) each subclass is assumed to run."""
    if named:
        return False
    app_manifests = [m for m in manifests if m.application is not None and m.launcher_activities()]
    # A name the index cannot resolve may still be (or extend) a project class.
    return not app_manifests or any(m.application is not None and m.application.cls for m in app_manifests)


def unregistered_applications(index: ProgramIndex, manifests: Iterable[Manifest]) -> frozenset[str]:
    """The project's Application subclasses Android never creates (see `_unnamed_applications_may_run`):
    their code runs only where other code calls it, never as a component."""
    manifests = list(manifests)
    named = {m.application.cls for m in manifests if m.application is not None and m.application.cls
             and m.application.cls in index.classes}
    if _unnamed_applications_may_run(manifests, named):
        return frozenset()
    return frozenset(fqn for fqn in index.classes if fqn not in named and index.is_subtype(fqn, APPLICATION))


def find_entries(index: ProgramIndex, manifests: Iterable[Manifest]) -> list[Entry]:
    entries: list[Entry] = []
    seen: set[tuple[FnId, str, str | None]] = set()

    def add(fid: FnId, kind: str, note: Msg, path: str, line: int, this_cls: str | None) -> None:
        if (fid, kind, this_cls) not in seen:
            seen.add((fid, kind, this_cls))
            entries.append(Entry(fid, kind, note, path, line, this_cls))

    def add_class(cls: str, kind: str, methods: Iterable[str], what: str, path: str, line: int,
                  module: str | None = None, **params: str) -> None:
        for name, fid in _methods(index, cls, methods, module):
            label = index.describe(fid) if name.startswith("<") else f"{_short(index.function(fid).owner)}.{name}"
            en = WHAT[what][0].format(**params) + f" `{label}`"
            zh = WHAT[what][1].format(**params) + f" `{label}`"
            add(fid, kind, Msg(en, zh), path, line, cls)

    apps: set[str] = set()
    manifests = list(manifests)
    for m in manifests:
        if m.application is not None and m.application.cls and m.application.cls in index.classes:
            apps.add(m.application.cls)
            el = m.application.element
            add_class(m.application.cls, "application", APP_METHODS, "application", m.path, el.line,
                      _module_of(m.path))
    for fqn in list(index.classes) if _unnamed_applications_may_run(manifests, apps) else ():
        if fqn not in apps and index.is_subtype(fqn, APPLICATION):
            apps.add(fqn)
            path, line = _class_location(index, fqn)
            add_class(fqn, "application", APP_METHODS, "application-subclass", path, line)

    providers: set[str] = set()
    for m in manifests:
        for c in m.components:
            if c.removed or not c.enabled:
                continue
            el = c.element
            if c.kind == "provider" and c.cls == STARTUP_PROVIDER:
                for md in c.meta_data:
                    if md.value == "androidx.startup" and md.tools_node != "remove":
                        cls = md.name
                        if cls in index.classes:
                            add_class(cls, "startup", ("<init>", "create"), "startup", m.path, md.element.line,
                                      _module_of(m.path))
            elif c.kind == "provider" and c.cls in index.classes:
                providers.add(c.cls)
                add_class(c.cls, "provider", ("<init>", "<inject>", "onCreate"), "provider", m.path, el.line,
                          _module_of(m.path))
            elif c.kind in ("activity", "activity-alias") and c.is_launcher:
                target = c.target_activity if c.kind == "activity-alias" else c.cls
                if target and target in index.classes:
                    add_class(target, "launcher", LAUNCHER_METHODS, "launcher", m.path, el.line, _module_of(m.path))
            elif c.kind == "receiver" and c.cls in index.classes and c.actions & SYSTEM_BROADCASTS:
                action = sorted(c.actions & SYSTEM_BROADCASTS)[0].rsplit(".", 1)[-1]
                add_class(c.cls, "receiver", ("<init>", "<inject>", "onReceive"), "receiver", m.path, el.line,
                          _module_of(m.path), action=action)
    readable = [m for m in manifests if m.root is not None and m.root.tag == "manifest"]
    for fqn in list(index.classes) if not readable else ():
        # Without a readable manifest, assume every ContentProvider subclass is declared.
        if fqn not in providers and index.is_subtype(fqn, PROVIDER):
            path, line = _class_location(index, fqn)
            add_class(fqn, "provider", ("<init>", "<inject>", "onCreate"), "provider-subclass", path, line)
    return entries
