"""Whether a Gradle module is published as a library (an SDK for host apps): what its build script, its
`apply from:` scripts and its `gradle.properties` say (`publication`). Read by `model.sdk_modules`, and by the
incremental step without the program index (`may_publish`)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipl_lint.parse.gradle_ast import Assign, Call, Statement
from pipl_lint.project.discover import Module
from pipl_lint.project.gradle import parse_gradle_script, read_properties

ANDROID_LIBRARY = frozenset({"com.android.library", "android-library", "com.android.kotlin.multiplatform.library"})
JVM_LIBRARY = frozenset({"java-library", "org.jetbrains.kotlin.jvm", "kotlin"})
PUBLISH_PLUGINS = frozenset({"maven-publish", "com.vanniktech.maven.publish", "com.vanniktech.maven.publish.base",
                             "maven", "com.github.dcendents.android-maven", "com.jfrog.bintray"})
MAX_PROPERTIES_BYTES = 256 * 1024


@dataclass(frozen=True, slots=True)
class Publication:
    """What the build says about the published artifact (any part may be unknown)."""

    how: str  # maven-publish | com.vanniktech.maven.publish | publishing block | POM_ARTIFACT_ID | sdk-modules
    group: str | None = None
    artifact: str | None = None
    version: str | None = None
    name: str | None = None  # POM_NAME
    provider: str | None = None  # POM_DEVELOPER_NAME / POM_ORGANIZATION_NAME / the group

    @property
    def coordinate(self) -> str:
        return ":".join(x for x in (self.group, self.artifact, self.version) if x)


def _read_properties(path: Path, root: Path) -> dict[str, str]:
    """`key=value` lines of a gradle.properties inside `root` (never raises; a file too large, unreadable or
    reached through a link out of the project is empty)."""
    try:
        if not path.is_file() or path.stat().st_size > MAX_PROPERTIES_BYTES or \
                not path.resolve().is_relative_to(root.resolve()):
            return {}
        text = path.read_bytes().decode("utf-8", "replace")
    except OSError:
        return {}
    return read_properties(text)


def _statements(statements: Iterable[Statement]) -> Iterator[tuple[tuple[str, ...], Statement]]:
    """(names of the enclosing blocks, statement) for every statement, depth first in source order."""
    stack: list[tuple[tuple[str, ...], Statement]] = [((), s) for s in reversed(list(statements))]
    while stack:
        blocks, stmt = stack.pop()
        yield blocks, stmt
        if isinstance(stmt, Call) and stmt.closure:
            stack.extend(((*blocks, stmt.name), s) for s in reversed(stmt.closure))


def _script_publication(mod: Module, root: Path) -> tuple[bool, dict[str, str], set[str]]:
    """(the script has a `publishing { }` / `mavenPublishing { }` block, the coordinates it sets: in a publication,
    vanniktech's `coordinates(group, artifact, version)`, else the project's top-level `group =` / `version =`,
    the plugins its `apply from:` scripts apply). Scripts applied with `apply from: "../maven.gradle"` (inside
    the project, two levels deep at most) count as part of the module's script."""
    if mod.build is None:
        return False, {}, set()
    return _read_publication(mod.build.path, root, 0)


def _read_publication(path: Path, root: Path, depth: int) -> tuple[bool, dict[str, str], set[str]]:
    try:
        if not path.resolve().is_relative_to(root.resolve()) or path.stat().st_size > 4 * MAX_PROPERTIES_BYTES:
            return False, {}, set()
        script = parse_gradle_script(path, path.read_bytes())
    except (OSError, ValueError):
        return False, {}, set()
    block, coords, project, plugins = False, {}, {}, set()
    for context, stmt in _statements(script.statements):
        if isinstance(stmt, Call) and stmt.name in ("publishing", "mavenPublishing") and not context:
            block = True
        if isinstance(stmt, Call) and stmt.name == "apply" and not context:
            for arg in stmt.args:
                if arg.name == "plugin" and isinstance(arg.value, str):
                    plugins.add(arg.value)
                elif arg.name == "from" and isinstance(arg.value, str) and depth < 2 and \
                        "://" not in arg.value and arg.value.endswith((".gradle", ".gradle.kts")):
                    sub_block, sub_coords, sub_plugins = _read_publication(path.parent / arg.value, root, depth + 1)
                    block, plugins = block or sub_block, plugins | sub_plugins
                    for key, value in sub_coords.items():
                        coords.setdefault(key, value)
        if not context and isinstance(stmt, Assign) and stmt.target in ("group", "version", "project.group",
                                                                         "project.version") \
                and isinstance(stmt.value, str):
            project.setdefault("groupId" if stmt.target.endswith("group") else "version", stmt.value)
        if not any(c in ("publishing", "mavenPublishing", "publications") for c in context):
            continue
        if isinstance(stmt, Assign) and isinstance(stmt.value, str):
            coords.setdefault(stmt.target.rsplit(".", 1)[-1], stmt.value)
        elif isinstance(stmt, Call) and stmt.name in ("groupId", "artifactId", "version") and stmt.args and \
                isinstance(stmt.args[0].value, str):
            coords.setdefault(stmt.name, stmt.args[0].value)
        elif isinstance(stmt, Call) and stmt.name == "coordinates":
            values = [a.value for a in stmt.args if isinstance(a.value, str)]
            for key, value in zip(("groupId", "artifactId", "version"), values, strict=False):
                coords.setdefault(key, value)
    return block, {**project, **coords}, plugins


def publication(mod: Module, root: Path, named: bool) -> Publication | None:
    plugins = set(mod.build.plugins) if mod.build is not None else set()
    props = {**_read_properties(root / "gradle.properties", root),
             **_read_properties(mod.dir / "gradle.properties", root)}
    block, coords, applied = _script_publication(mod, root)
    how = next((p for p in sorted(plugins & PUBLISH_PLUGINS)), None) or \
        next((f"{p} (apply from)" for p in sorted(applied & PUBLISH_PLUGINS)), None)
    if how is None and block:
        how = "publishing block"
    if how is None and "POM_ARTIFACT_ID" in props:
        how = "POM_ARTIFACT_ID"
    if how is None and named:
        how = "sdk-modules"
    if how is None:
        return None
    group = coords.get("groupId") or coords.get("group") or props.get("GROUP") or props.get("POM_GROUP_ID")
    artifact = coords.get("artifactId") or props.get("POM_ARTIFACT_ID")
    version = coords.get("version") or props.get("VERSION_NAME") or props.get("POM_VERSION")
    provider = props.get("POM_DEVELOPER_NAME") or props.get("POM_ORGANIZATION_NAME") or group
    return Publication(how, group, artifact, version, props.get("POM_NAME"), provider)


def named(config: Any, mod: Module) -> bool:
    names = {n.strip() for n in getattr(config, "sdk_modules", ())}
    return mod.name in names or f":{mod.name.lstrip(':')}" in names or mod.dir.name in names


def may_publish(mod: Module, root: Path, config: Any) -> bool:
    """`mod` may be one of `model.sdk_modules.sdk_modules` (a superset read without the program index: a Java or
    Kotlin library is taken to import Android APIs). The incremental step asks it (`pipl_lint.incremental.Unread`):
    the public functions of an SDK are its API, seen by the analysis without anything calling them."""
    if mod.build is None or mod.is_application:
        return False
    is_named = named(config, mod)
    library = mod.build.is_library or bool(set(mod.build.plugins) & (ANDROID_LIBRARY | JVM_LIBRARY))
    return (library or is_named) and publication(mod, root, is_named) is not None
