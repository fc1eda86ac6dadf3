"""The AndroidManifest.xml model: permissions, the application, components, meta-data, queries."""

from __future__ import annotations

from dataclasses import dataclass

from pipl_lint.parse.xml import XmlDocument, XmlElement

COMPONENT_TAGS = ("activity", "activity-alias", "service", "receiver", "provider")


@dataclass(frozen=True, slots=True)
class MetaData:
    name: str
    value: str | None
    resource: str | None
    tools_node: str | None
    element: XmlElement


@dataclass(frozen=True, slots=True)
class IntentFilter:
    actions: tuple[str, ...]
    categories: tuple[str, ...]
    schemes: tuple[str, ...]
    element: XmlElement


@dataclass(frozen=True, slots=True)
class Component:
    kind: str  # activity | activity-alias | service | receiver | provider
    name: str  # as written
    cls: str  # fully qualified
    exported: bool | None
    enabled: bool
    permission: str | None
    authorities: str | None
    target_activity: str | None  # activity-alias target, fully qualified
    tools_node: str | None
    intent_filters: tuple[IntentFilter, ...]
    meta_data: tuple[MetaData, ...]
    element: XmlElement

    @property
    def removed(self) -> bool:
        return self.tools_node == "remove"

    @property
    def is_launcher(self) -> bool:
        return any(
            "android.intent.action.MAIN" in f.actions and "android.intent.category.LAUNCHER" in f.categories
            for f in self.intent_filters
        )

    @property
    def actions(self) -> frozenset[str]:
        return frozenset(a for f in self.intent_filters for a in f.actions)

    @property
    def effectively_exported(self) -> bool:
        return self.exported if self.exported is not None else bool(self.intent_filters)


@dataclass(frozen=True, slots=True)
class UsesPermission:
    name: str
    max_sdk: int | None
    tools_node: str | None
    sdk23: bool  # <uses-permission-sdk-23>
    flags: str | None  # android:usesPermissionFlags
    element: XmlElement

    @property
    def removed(self) -> bool:
        return self.tools_node == "remove"


@dataclass(frozen=True, slots=True)
class Application:
    name: str | None
    cls: str | None
    attrs: dict[str, str]
    meta_data: tuple[MetaData, ...]
    element: XmlElement


@dataclass(frozen=True, slots=True)
class Manifest:
    path: str  # relative to the scan root
    package: str | None
    min_sdk: int | None
    target_sdk: int | None
    application: Application | None
    permissions: tuple[UsesPermission, ...]
    components: tuple[Component, ...]
    queries_packages: tuple[str, ...]
    queries_intents: tuple[str, ...]
    root: XmlElement | None
    errors: tuple[str, ...]

    def meta_data(self) -> tuple[MetaData, ...]:
        return self.application.meta_data if self.application else ()

    def launcher_activities(self) -> tuple[Component, ...]:
        found = []
        for c in self.components:
            alias = c.kind == "activity-alias" and c.target_activity
            if c.is_launcher and (alias or c.kind == "activity"):
                found.append(c)
        return tuple(found)


def resolve_class(name: str | None, package: str | None) -> str | None:
    """`.App` → `com.x.App`; `App` → `com.x.App`; a dotted name is already qualified."""
    if not name:
        return None
    name = name.strip()
    if name.startswith("."):
        return f"{package}{name}" if package else name[1:]
    if "." not in name and package:
        return f"{package}.{name}"
    return name


def _bool(text: str | None) -> bool | None:
    if text is None:
        return None
    t = text.strip().lower()
    if t == "true":
        return True
    if t == "false":
        return False
    return None


def _int(text: str | None) -> int | None:
    try:
        return int(text.strip()) if text else None
    except ValueError:
        return None


def _meta(el: XmlElement) -> tuple[MetaData, ...]:
    return tuple(
        MetaData(m.get("android:name") or "", m.get("android:value"), m.get("android:resource"),
                 m.get("tools:node"), m)
        for m in el.find_all("meta-data")
    )


def _filters(el: XmlElement) -> tuple[IntentFilter, ...]:
    out = []
    for f in el.find_all("intent-filter"):
        actions = tuple(a.get("android:name") or "" for a in f.find_all("action"))
        cats = tuple(c.get("android:name") or "" for c in f.find_all("category"))
        schemes = tuple(d.get("android:scheme") or "" for d in f.find_all("data") if d.get("android:scheme"))
        out.append(IntentFilter(actions, cats, schemes, f))
    return tuple(out)


def build_manifest(path: str, doc: XmlDocument, namespace: str | None = None) -> Manifest:
    """Build the model; `namespace` (from Gradle) resolves `.Name` when the manifest has no package."""
    root = doc.root
    if root is None or root.tag != "manifest":
        errors = doc.errors or ("the root element is not <manifest>",)
        return Manifest(path, namespace, None, None, None, (), (), (), (), root, errors)
    package = root.get("package") or namespace
    perms: list[UsesPermission] = []
    for tag in ("uses-permission", "uses-permission-sdk-23", "uses-permission-sdk-m"):
        for el in root.find_all(tag):
            name = el.get("android:name")
            if name:
                perms.append(UsesPermission(name.strip(), _int(el.get("android:maxSdkVersion")),
                                            el.get("tools:node"), tag != "uses-permission",
                                            el.get("android:usesPermissionFlags"), el))
    perms.sort(key=lambda p: p.element.start)
    min_sdk = target_sdk = None
    for el in root.find_all("uses-sdk"):
        min_sdk = _int(el.get("android:minSdkVersion"))
        target_sdk = _int(el.get("android:targetSdkVersion"))
    app = None
    components: list[Component] = []
    for app_el in root.find_all("application"):
        name = app_el.get("android:name")
        app = Application(name, resolve_class(name, package), dict(app_el.attrs), _meta(app_el), app_el)
        for child in app_el.children:
            if child.tag not in COMPONENT_TAGS:
                continue
            cname = child.get("android:name") or ""
            target = resolve_class(child.get("android:targetActivity"), package)
            components.append(Component(
                kind=child.tag, name=cname, cls=resolve_class(cname, package) or cname,
                exported=_bool(child.get("android:exported")),
                enabled=_bool(child.get("android:enabled")) is not False,
                permission=child.get("android:permission"), authorities=child.get("android:authorities"),
                target_activity=target, tools_node=child.get("tools:node"),
                intent_filters=_filters(child), meta_data=_meta(child), element=child,
            ))
    q_pkgs: list[str] = []
    q_intents: list[str] = []
    for q in root.find_all("queries"):
        q_pkgs += [p.get("android:name") or "" for p in q.find_all("package")]
        for intent in q.find_all("intent"):
            q_intents += [a.get("android:name") or "" for a in intent.find_all("action")]
    return Manifest(path, package, min_sdk, target_sdk, app, tuple(perms), tuple(components),
                    tuple(q_pkgs), tuple(q_intents), root, doc.errors)
