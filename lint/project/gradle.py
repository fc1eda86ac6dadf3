"""Facts from Gradle build and settings scripts, read statically (Gradle is never run).

Both DSLs are parsed into the shared AST (:mod:`pipl_lint.parse.gradle_ast`) and interpreted here:

* :func:`read_build_script` → plugins, application/library kind, namespace, application id, SDK levels,
  product flavours, build types and declared dependencies (resolved through the version catalog);
* :func:`read_settings` → included projects, remapped project directories, root project name and the
  version-catalog files the settings script names.

Every statement is addressed by its *key*: the names of the enclosing configuration blocks plus its
own (dotted) name, e.g. ``("android", "defaultConfig", "minSdk")`` for ``android { defaultConfig {
minSdk = 24 } }``, ``android.defaultConfig.minSdk = 24`` and ``android.defaultConfig { minSdkVersion 24
}`` alike.  Named-container calls (``getByName("release")``, ``create("free")``, ``register(...)``,
``named(...)``, ``maybeCreate(...)``) contribute their name argument, and scope functions (``.apply
{ }``, ``.run { }``) contribute nothing.

Values are resolved through simple ``val``/``def`` variables and ``ext``/``extra`` properties defined in
the same script, the ``properties`` passed in (``gradle.properties`` or the root project's ``ext``), and
``libs.versions.*`` of the version catalog; anything else is left unresolved (``None`` for SDK levels).
A dependency notation that stays an unresolved reference keeps it (``Dependency.reference``): the string
constants of the build logic's sources (``buildSrc``'s ``object Libs { const val X = "g:n" }``) resolve it
later (:func:`resolve_reference`, ``pipl_lint.model.conventions.constants``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

from pipl_lint.parse.gradle_ast import (
    Arg,
    Assign,
    Call,
    ListValue,
    MapValue,
    ParseError,
    Ref,
    Script,
    Statement,
    Unknown,
    Value,
)
from pipl_lint.parse.gradle_kts import parse_kts
from pipl_lint.parse.groovy import FUNCTION_PREFIX, parse_expression, parse_groovy
from pipl_lint.project.version_catalog import CatalogLibrary, VersionCatalog, normalize_alias

__all__ = [
    "BuildScript",
    "Dependency",
    "Settings",
    "SourceDirs",
    "parse_gradle_script",
    "read_build_script",
    "read_settings",
    "resolve_reference",
]

APPLICATION_PLUGINS = frozenset({"com.android.application", "android"})
LIBRARY_PLUGINS = frozenset(
    {
        "com.android.library",
        "android-library",
        "com.android.dynamic-feature",
        "com.android.kotlin.multiplatform.library",
    }
)
KOTLIN_MULTIPLATFORM = "org.jetbrains.kotlin.multiplatform"
DEFAULT_CATALOG = "gradle/libs.versions.toml"

# Used only when a `libs.plugins.*` alias cannot be resolved through a catalog (none given, or the alias
# is missing from it): the aliases Android Studio's templates generate.
_WELL_KNOWN_PLUGIN_ALIASES = {
    "android.application": "com.android.application",
    "android.library": "com.android.library",
    "android.dynamic.feature": "com.android.dynamic-feature",
    "android.test": "com.android.test",
    "kotlin.android": "org.jetbrains.kotlin.android",
    "jetbrains.kotlin.android": "org.jetbrains.kotlin.android",
    "kotlin.jvm": "org.jetbrains.kotlin.jvm",
    "jetbrains.kotlin.jvm": "org.jetbrains.kotlin.jvm",
    "kotlin.multiplatform": KOTLIN_MULTIPLATFORM,
    "kotlin.compose": "org.jetbrains.kotlin.plugin.compose",
    "compose.compiler": "org.jetbrains.kotlin.plugin.compose",
    "kotlin.kapt": "org.jetbrains.kotlin.kapt",
    "kotlin.serialization": "org.jetbrains.kotlin.plugin.serialization",
    "kotlin.parcelize": "org.jetbrains.kotlin.plugin.parcelize",
}

_CONTAINER_METHODS = frozenset({"getByName", "create", "register", "named", "maybeCreate", "findByName"})
_SCOPE_FUNCTIONS = frozenset({"apply", "run", "also", "with", "invoke", "let", "configure"})
_NOT_CONTAINER_ELEMENTS = frozenset(
    {"all", "configureEach", "each", "forEach", "whenObjectAdded", "matching", "withType", "configure",
     "names", "getNames", "findAll", "?"}
)
_CREATING_DELEGATES = frozenset({"creating", "getting", "registering", "existing"})
_NOT_DEPENDENCIES = frozenset(
    {"constraints", "components", "modules", "attributesSchema", "artifactTypes", "registerTransform",
     "ext", "extra", "plusAssign"}
)
_VALUE_ACCESSORS = frozenset(
    {"get", "getOrNull", "orNull", "toInt", "toInteger", "toString", "toLong", "trim", "toIntOrNull",
     "intValue", "getOrElse", "requiredVersion"}
)
_PROPERTY_LOOKUPS = frozenset({"findProperty", "property", "gradleProperty", "getProperty"})
_PROPERTY_DELEGATES = frozenset({"project", "settings", "rootProject"})
_REF_PREFIXES = ("this.", "rootProject.", "project.", "settings.", "gradle.", "ext.", "extra.",
                 "properties.", "extensions.extraProperties.", "extraProperties.")
_COMPILE_SDK_KEYS = frozenset(
    {("android", "compileSdk"), ("android", "compileSdkVersion"), ("android", "compileSdk", "version")}
)
# Blocks whose `x = ...` / `def x = ...` / `val x = ...` are taken as variables (besides the top level).
_VARIABLE_SCOPES = frozenset(
    {("buildscript",), ("ext",), ("buildscript", "ext"), ("dependencies",), ("buildscript", "dependencies")}
)
_MAX_RESOLVE_DEPTH = 16
# `sourceSets { x { <kind>.<setter> ... } }`: which folders a statement adds.
_SOURCE_KINDS = {"java": "java", "kotlin": "java", "res": "res", "assets": "assets", "manifest": "manifests"}
_DIR_SETTERS = frozenset({"srcDirs", "srcDir", "setSrcDirs", "srcFile", "setSrcFile"})
_INTERPOLATION = re.compile(r"(?<!\\)\$(?:\{([^{}]*)\}|([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*))")
_IDENTIFIER_PATH = re.compile(r"[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*")


@dataclass(frozen=True, slots=True)
class Dependency:
    configuration: str
    group: str | None
    name: str | None
    version: str | None
    project: str | None
    catalog_alias: str | None
    files: str | None
    platform: bool
    line: int
    column: int
    file_patterns: tuple[str, ...] = ()  # `include` globs of a `fileTree` (none: every file under `files`)
    # A notation that is a reference the script cannot resolve (`Libs.FIREBASE_ANALYTICS`, `Deps.Umeng.common`),
    # as written: a constant of the build logic's sources may name it (see `resolve_reference`).
    reference: str | None = None

    @property
    def coordinate(self) -> str | None:
        """``group:name[:version]`` when group and name are known."""
        if not (self.group and self.name):
            return None
        return f"{self.group}:{self.name}" + (f":{self.version}" if self.version else "")


@dataclass(frozen=True, slots=True)
class SourceDirs:
    """Folders a ``sourceSets { <name> { ... } }`` block adds to a source set, as written (relative to the
    module folder, or starting with ``$rootDir/`` for the project root). Every form adds: the conventional
    ``src/<name>/java`` folders are read too (over-reading beats a silent miss)."""

    name: str  # main, a flavour, a build type, a variant ...
    java: tuple[str, ...]  # java.srcDirs / kotlin.srcDirs / srcDir / setSrcDirs / += ...
    res: tuple[str, ...]
    assets: tuple[str, ...]
    manifests: tuple[str, ...]  # manifest.srcFile


@dataclass(frozen=True, slots=True)
class BuildScript:
    path: Path
    plugins: tuple[str, ...]
    is_application: bool
    is_library: bool
    namespace: str | None
    application_id: str | None
    min_sdk: int | None
    target_sdk: int | None
    compile_sdk: int | None
    flavors: tuple[str, ...]
    build_types: tuple[str, ...]
    dependencies: tuple[Dependency, ...]
    errors: tuple[ParseError, ...]
    # Flavour -> its dimension (as declared; "" when none), the declared dimensions in priority order,
    # and the folders the `sourceSets` blocks add (see lint/project/variants.py).
    flavor_dimensions: dict[str, str] = field(default_factory=dict)
    dimensions: tuple[str, ...] = ()
    source_dirs: tuple[SourceDirs, ...] = ()
    # Build types that produce debuggable builds: `debug`, and those with `debuggable true` or `initWith debug`
    # (unless they set `debuggable false`). Their variants do not ship.
    debuggable_build_types: tuple[str, ...] = ("debug",)
    # Boolean `buildConfigField`s: (where: "defaultConfig", "buildType:<name>" or "flavor:<name>", field, value).
    build_config_flags: tuple[tuple[str, str, bool], ...] = ()
    # The script's `ext` properties with a string value (maps flattened: `versions.sentry`); a root script's are
    # the sub-projects' too (`"io.sentry:sentry-android:$sentry_version"`).
    extra: dict[str, str] = field(default_factory=dict)
    # Scripts applied with `apply from: "config.gradle"` (as written; the root's define versions in their `ext`).
    applied_scripts: tuple[str, ...] = ()

    def flags_off_when_shipped(self) -> frozenset[str]:
        """`BuildConfig` booleans that are false in every build type that ships (a build type's own value, else
        defaultConfig's, and no flavour turns them on): `DEBUG`, and fields such as `LOG_DEBUG`."""
        shipped = [b for b in (self.build_types or ("release",)) if b not in self.debuggable_build_types] or \
            ["release"]
        default = {name: value for where, name, value in self.build_config_flags if where == "defaultConfig"}
        own: dict[str, dict[str, bool]] = {}
        flavors_on = {name for where, name, value in self.build_config_flags if where.startswith("flavor:") and value}
        for where, name, value in self.build_config_flags:
            if where.startswith("buildType:"):
                own.setdefault(where.split(":", 1)[1], {})[name] = value
        names = set(default) | {n for values in own.values() for n in values}
        off = {n for n in names - flavors_on
               if all(own.get(b, {}).get(n, default.get(n, True)) is False for b in shipped)}
        return frozenset({"DEBUG", *off})


@dataclass(frozen=True, slots=True)
class Settings:
    path: Path
    includes: tuple[str, ...]
    project_dirs: dict[str, str]
    root_name: str | None
    catalog_files: tuple[str, ...]
    errors: tuple[ParseError, ...]
    # `include` arguments that could not be evaluated statically (`include(":$it")` in a loop, a computed
    # list): the module list is then incomplete and discovery falls back to looking at the folders.
    unresolved_includes: tuple[str, ...] = ()
    included_builds: tuple[str, ...] = ()  # `includeBuild("build-logic")`, also inside `pluginManagement`


def parse_gradle_script(path: Path, text: str | bytes) -> Script:
    """Parse with the Kotlin front end for ``*.kts``, the Groovy one otherwise."""
    return parse_kts(text) if path.name.endswith(".kts") else parse_groovy(text)


# -- statement keys -------------------------------------------------------------------------------


def _split_top_level(text: str) -> list[str]:
    """Split an expression's text at '.' outside brackets and quotes: ``a(x.y).b`` → ``["a(x.y)", "b"]``."""
    parts: list[str] = []
    depth, quote, start = 0, "", 0
    i = 0
    while i < len(text):
        c = text[i]
        if quote:
            if c == "\\":
                i += 1
            elif c == quote:
                quote = ""
        elif c in "'\"":
            quote = c
        elif c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
        elif c == "." and depth == 0:
            parts.append(text[start:i].lstrip("?").rstrip("?!"))
            start = i + 1
        i += 1
    parts.append(text[start:].rstrip("?!"))
    return parts


def _first_string(args: tuple[Arg, ...]) -> str | None:
    for arg in args:
        if arg.name is None:
            return arg.value if isinstance(arg.value, str) else None
    return None


def _call_segments(name: str, args: tuple[Arg, ...]) -> tuple[str, ...]:
    if name in _CONTAINER_METHODS:
        element = _first_string(args)
        return (element,) if element is not None else ("?",)
    if name in _SCOPE_FUNCTIONS and not args:
        return ()
    if name in ("project", "findProject"):
        path = _first_string(args)
        return (f"project({path})",) if path is not None else ("?",)
    return (name,)


@lru_cache(maxsize=4096)
def _text_segments(text: str) -> tuple[str, ...]:
    """Key segments of a receiver / assignment-target text such as ``buildTypes.getByName("x")``."""
    if _IDENTIFIER_PATH.fullmatch(text):
        segments = tuple(text.split("."))
    else:
        out: list[str] = []
        for part in _split_top_level(text):
            value = parse_expression(part) if part else Unknown(part)
            if isinstance(value, Ref) and _IDENTIFIER_PATH.fullmatch(value.path):
                out.extend(value.path.split("."))
            elif isinstance(value, Call) and value.receiver is None:
                out.extend(_call_segments(value.name, value.args))
            else:
                out.append("?")
        segments = tuple(out)
    while segments and segments[0] in ("this", "project"):
        segments = segments[1:]
    return segments


def _statement_key(stmt: Statement) -> tuple[str, ...]:
    if isinstance(stmt, Assign):
        return _text_segments(stmt.target)
    receiver = _text_segments(stmt.receiver) if stmt.receiver else ()
    return receiver + _call_segments(stmt.name, stmt.args)


# Receivers of a script function that declares dependencies in the `dependencies { }` block that calls it.
_DEPENDENCY_RECEIVERS = frozenset({"DependencyHandlerScope", "DependencyHandler", ""})


def _walk(statements: tuple[Statement, ...]) -> Iterator[tuple[tuple[str, ...], tuple[str, ...], Statement]]:
    """(context key, statement key, statement) for every statement, depth first in source order."""
    stack: list[tuple[tuple[str, ...], Statement]] = [((), s) for s in reversed(statements)]
    while stack:
        context, stmt = stack.pop()
        key = context + _statement_key(stmt)
        yield context, key, stmt
        if isinstance(stmt, Call) and stmt.closure:
            stack.extend((key, s) for s in reversed(stmt.closure))


def _single_value(stmt: Statement) -> tuple[bool, Value]:
    """``x = v`` / ``x v`` / ``x(v)`` → (True, v); anything else → (False, None)."""
    if isinstance(stmt, Assign):
        return True, stmt.value
    if stmt.closure is None and len(stmt.args) == 1 and stmt.args[0].name is None:
        return True, stmt.args[0].value
    return False, None


# -- value resolution -----------------------------------------------------------------------------


# The names a script's extra properties are set through (`ext.x = …`, `ext { x = … }`, `extra["x"] = …`).
_EXTRA_SCOPES = ("ext", "extra", "extraProperties")


class _Resolver:
    """Resolves values through script variables, ``ext``/``extra`` properties, properties, the catalog."""

    def __init__(self, catalog: VersionCatalog | None, properties: Mapping[str, str] | None) -> None:
        self.catalog = catalog
        self.properties: Mapping[str, str] = properties or {}
        self.env: dict[str, Value] = {}
        self.memo: dict[tuple[str, bool], Value] = {}
        self.extra: list[str] = []  # names set as `ext`/`extra` properties (sub-projects see them)

    def define(self, context: tuple[str, ...], stmt: Statement) -> None:
        """Record ``val x = ...``, ``def x = ...``, ``ext.x = ...``, ``ext { x = ... }``, ``extra["x"] = ...``,
        ``ext.set("x", ...)`` and ``val x by extra(...)``/``by project``."""
        if isinstance(stmt, Assign):
            target = _text_segments(stmt.target)
            if not target or "?" in target:
                return
            scope = context + target[:-1]
            if len(target) == 1 and (not context or context in _VARIABLE_SCOPES):
                self.assign(target[0], stmt.value)
                if context and context[-1] in _EXTRA_SCOPES:  # `ext { x = … }`
                    self.extra.append(target[0])
            elif scope and scope[-1] in _EXTRA_SCOPES:
                self.assign(target[-1], stmt.value)
                self.extra.append(target[-1])
        elif stmt.name == "set" and stmt.receiver and len(stmt.args) == 2:
            receiver = _text_segments(stmt.receiver)
            name = stmt.args[0].value
            if receiver and receiver[-1] in _EXTRA_SCOPES and isinstance(name, str):
                self.assign(name, stmt.args[1].value)
                self.extra.append(name)

    def extra_values(self) -> dict[str, str]:
        """The `ext` properties that resolve to strings, maps flattened (`ext.versions = [sentry: '1.7']` gives
        `versions.sentry`): what a sub-project's script can refer to."""
        out: dict[str, str] = {}

        def add(name: str, value: Value, depth: int) -> None:
            value = self.resolve(value)
            if isinstance(value, bool):
                return
            if isinstance(value, (str, int)):
                out[name] = str(value)  # `targetSdkVersion: 32` is read as a property's text
            elif isinstance(value, MapValue) and depth < 3:
                for key, item in value.items:
                    add(f"{name}.{key}", item, depth + 1)

        for name in dict.fromkeys(self.extra):
            if name in self.env:
                add(name, self.env[name], 0)
        return out

    def assign(self, name: str, value: Value) -> None:
        if isinstance(value, Ref) and value.path in _PROPERTY_DELEGATES:  # `val x: String by project`
            if name in self.properties:
                self.env[name] = self.properties[name]
            return
        if isinstance(value, Call) and value.name == "extra" and value.receiver is None and value.args:
            value = value.args[0].value  # `val x by extra("v")`
        self.env[name] = value

    def resolve(self, value: Value, depth: int = 0) -> Value:
        if depth > _MAX_RESOLVE_DEPTH:
            return Unknown("<too deep>")
        if isinstance(value, str):
            return self.interpolate(value, depth)
        if isinstance(value, Ref):
            return self.resolve_path(value.path, depth)
        if isinstance(value, Call):
            return self.resolve_call(value, depth)
        return value

    def resolve_call(self, call: Call, depth: int) -> Value:
        positional = call.positional
        if call.name in _VALUE_ACCESSORS and call.receiver and not positional:
            inner = self.resolve(parse_expression(call.receiver), depth + 1)
            if call.name in ("toInt", "toInteger", "toLong", "intValue", "toIntOrNull") and isinstance(inner, str):
                return int(inner.strip()) if inner.strip().isdecimal() else inner
            if call.name == "toString" and isinstance(inner, int | float) and not isinstance(inner, bool):
                return str(inner)
            return inner
        if call.name in _PROPERTY_LOOKUPS and len(positional) == 1 and isinstance(positional[0], str):
            return self.resolve_path(positional[0], depth + 1, allow_unresolved=False)
        if call.name in ("parseInt", "valueOf") and call.receiver in ("Integer", "java.lang.Integer"):
            inner = self.resolve(positional[0], depth + 1) if positional else None
            return int(inner) if isinstance(inner, str) and inner.strip().isdecimal() else inner
        if call.name in ("get", "getAt", "getProperty") and call.receiver and len(positional) == 1:
            key = self.resolve(positional[0], depth + 1)
            if isinstance(key, str):
                return self.resolve_path(f"{call.receiver}.{key}", depth + 1)
        if call.name in ("release", "preview") and call.receiver is None and len(positional) == 1:
            return self.resolve(positional[0], depth + 1)  # compileSdk { version = release(36) }
        return call

    def resolve_path(self, path: str, depth: int, allow_unresolved: bool = True) -> Value:
        """Memoised (linear time on adversarial chains of variables; a cycle resolves to Unknown)."""
        key = (path, allow_unresolved)
        if key in self.memo:
            return self.memo[key]
        self.memo[key] = Unknown(f"<cycle: {path}>")
        result = self.lookup(path, depth, allow_unresolved)
        self.memo[key] = result
        return result

    def lookup(self, path: str, depth: int, allow_unresolved: bool) -> Value:
        if path.startswith("libs.versions.") and self.catalog is not None:
            version = self.catalog.version(path)
            if version is not None:
                return version
        stripped = path
        changed = True
        while changed:
            changed = False
            for prefix in _REF_PREFIXES:
                if stripped.startswith(prefix):
                    stripped = stripped[len(prefix) :]
                    changed = True
        parts = stripped.split(".")
        for end in range(len(parts), 0, -1):
            head = ".".join(parts[:end])
            if head in self.env:
                value = self.resolve(self.env[head], depth + 1)
                for key in parts[end:]:
                    if not isinstance(value, MapValue):
                        return Ref(path) if allow_unresolved else None
                    value = self.resolve(value.get(key), depth + 1)
                return value
        if stripped in self.properties:
            return self.properties[stripped]
        return Ref(path) if allow_unresolved else None

    def interpolate(self, text: str, depth: int) -> str:
        if "$" not in text:
            return text
        return _INTERPOLATION.sub(lambda m: self.substitute(m, depth), text)

    def substitute(self, match: re.Match[str], depth: int) -> str:
        braced, bare = match.group(1), match.group(2)
        if braced is not None:
            value = self.resolve(parse_expression(braced.strip()), depth + 1)
            return self.scalar_text(value) or match.group(0)
        parts = bare.split(".")
        for end in range(len(parts), 0, -1):  # Groovy `$a.b` reads a.b, Kotlin `$a.b` only a
            text = self.scalar_text(self.resolve_path(".".join(parts[:end]), depth + 1))
            if text is not None:
                rest = ".".join(parts[end:])
                return text + (f".{rest}" if rest else "")
        return match.group(0)

    @staticmethod
    def scalar_text(value: Value) -> str | None:
        if isinstance(value, bool):
            return str(value).lower()
        if isinstance(value, str | int | float):
            return str(value)
        return None

    def string(self, value: Value) -> str | None:
        resolved = self.resolve(value)
        return resolved if isinstance(resolved, str) else None

    def sdk(self, value: Value) -> int | None:
        resolved = self.resolve(value)
        if isinstance(resolved, bool):
            return None
        if isinstance(resolved, int):
            return resolved
        if isinstance(resolved, float) and resolved.is_integer():
            return int(resolved)
        if isinstance(resolved, str):
            text = resolved.strip()
            text = text.removeprefix("android-")
            if ":" in text:  # 'Google Inc.:Google APIs:23'
                text = text.rsplit(":", 1)[1]
            if text.isdecimal():
                return int(text)
        return None


# -- build scripts ---------------------------------------------------------------------------------


def _coordinates(notation: str) -> tuple[str | None, str | None, str | None]:
    base = notation.strip().split("@", 1)[0]
    parts = base.split(":")
    if len(parts) == 1:
        return None, parts[0] or None, None
    group, name = parts[0] or None, parts[1] or None
    version = parts[2] if len(parts) > 2 and parts[2] else None
    return group, name, version


def resolve_reference(dependency: Dependency, constants: Mapping[str, str]) -> Dependency:
    """The dependency with the coordinates of the string constant its unresolved reference names
    (`Libs.FIREBASE_ANALYTICS` → ``com.google.firebase:firebase-analytics-ktx``); unchanged when it has
    no reference or no constant of that name holds a ``group:name[:version]``."""
    value = constants.get(dependency.reference) if dependency.reference else None
    if value is None:
        return dependency
    group, name, version = _coordinates(value)
    if not (group and name):
        return dependency
    return replace(dependency, group=group, name=name, version=version)


def _module_relative(path: str) -> str:
    """``$projectDir/x`` → ``x``; ``${rootDir}/x`` → ``$rootDir/x``; other paths as written."""
    path = path.strip().replace("\\", "/")
    for prefix in ("$projectDir/", "${projectDir}/", "${project.projectDir}/", "$project.projectDir/",
                   "${projectDir.path}/", "${projectDir.absolutePath}/"):
        if path.startswith(prefix):
            return path[len(prefix) :]
    for prefix in ("$rootDir/", "${rootDir}/", "${rootProject.projectDir}/", "$rootProject.projectDir/",
                   "${rootDir.path}/", "${rootDir.absolutePath}/"):
        if path.startswith(prefix):
            return "$rootDir/" + path[len(prefix) :]
    return path


def _project_path(path: str) -> str:
    path = path.strip()
    return path if path.startswith(":") else f":{path}"


class _BuildInterpreter:
    def __init__(self, resolver: _Resolver) -> None:
        self.r = resolver
        self.plugins: list[str] = []
        self.applied_scripts: list[str] = []
        self.namespace: str | None = None
        self.application_id: str | None = None
        self.min_sdk: int | None = None
        self.target_sdk: int | None = None
        self.compile_sdk: int | None = None
        self.flavors: list[str] = []
        self.build_types: list[str] = []
        self.dependencies: list[Dependency] = []
        self.android_target = False
        self.flavor_dimensions: dict[str, str] = {}
        self.dimensions: list[str] = []
        self.source_dirs: dict[str, dict[str, list[str]]] = {}
        self.debuggable: dict[str, bool] = {"debug": True}  # build type -> debuggable (declared or inherited)
        self.build_config_flags: list[tuple[str, str, bool]] = []
        self.explicit_debuggable: set[str] = set()

    # plugins

    def plugin_request(self, stmt: Call) -> None:
        if stmt.named("apply") is False:
            return  # declared for sub-projects, not applied here
        positional = stmt.positional
        if stmt.name == "id" and positional:
            plugin = self.plugin_id(positional[0])
        elif stmt.name == "kotlin" and positional:
            suffix = self.r.string(positional[0])
            plugin = f"org.jetbrains.kotlin.{suffix}" if suffix else None
        elif stmt.name == "alias" and positional:
            plugin = self.plugin_alias(positional[0])
        elif not stmt.args and stmt.closure is None and stmt.receiver is None:
            plugin = stmt.name  # `java`, `application`, `` `kotlin-android` ``
        else:
            plugin = None
        self.add_plugin(plugin)

    def plugin_alias(self, value: Value) -> str | None:
        if isinstance(value, Call) and value.name == "get" and value.receiver:
            value = parse_expression(value.receiver)
        if not isinstance(value, Ref):
            return None
        if self.r.catalog is not None:
            resolved = self.r.catalog.resolve_plugin(value.path)
            if resolved is not None:
                return resolved
        alias = normalize_alias(value.path)
        for prefix in ("libs.plugins.", "plugins."):
            alias = alias.removeprefix(prefix)
        return _WELL_KNOWN_PLUGIN_ALIASES.get(alias)

    def plugin_id(self, value: Value) -> str | None:
        """A plugin id as written, or `libs.plugins.android.application.get().pluginId`: the catalog alias's."""
        plugin = self.r.string(value)
        if plugin is None and isinstance(value, Ref) and value.path.endswith(".get().pluginId"):
            plugin = self.plugin_alias(Ref(value.path.removesuffix(".get().pluginId")))
        return plugin

    def applied_plugin(self, stmt: Call) -> None:
        """``apply plugin: 'x'`` / ``apply(plugin = "x")`` (also a catalog alias's id) / ``plugins.apply("x")``."""
        if stmt.has_named("from"):  # `apply from: "config.gradle"`: a script whose `ext` the project shares
            script = self.r.string(stmt.named("from"))
            if script and script not in self.applied_scripts:
                self.applied_scripts.append(script)
        elif stmt.has_named("plugin"):
            self.add_plugin(self.plugin_id(stmt.named("plugin")))
        elif stmt.positional:
            value = stmt.positional[0]
            if isinstance(value, MapValue):  # apply(mapOf("plugin" to "x"))
                self.add_plugin(self.r.string(value.get("plugin")))
            else:
                self.add_plugin(self.r.string(value))

    def add_plugin(self, plugin: str | None) -> None:
        if plugin and plugin not in self.plugins:
            self.plugins.append(plugin)

    # android block

    def android_property(self, key: tuple[str, ...], stmt: Statement) -> None:
        ok, value = _single_value(stmt)
        if not ok:
            return
        if key == ("android", "namespace"):
            self.namespace = self.r.string(value) or self.namespace
        elif key in _COMPILE_SDK_KEYS:
            self.compile_sdk = self.r.sdk(value) or self.compile_sdk
        elif key[:2] == ("android", "defaultConfig") and len(key) == 3:
            name = key[2]
            if name == "applicationId":
                self.application_id = self.r.string(value) or self.application_id
            elif name in ("minSdk", "minSdkVersion"):
                self.min_sdk = self.r.sdk(value) or self.min_sdk
            elif name in ("targetSdk", "targetSdkVersion"):
                self.target_sdk = self.r.sdk(value) or self.target_sdk

    def container_element(self, key: tuple[str, ...], stmt: Statement) -> None:
        """Elements of ``android.buildTypes`` / ``android.productFlavors``."""
        if len(key) != 3 or key[0] != "android" or key[1] not in ("buildTypes", "productFlavors"):
            return
        if isinstance(stmt, Assign):  # `val staging by creating { }`
            declared = isinstance(stmt.value, Call) and stmt.value.name in _CREATING_DELEGATES
        else:  # `release { }`, `create("x") { }`, `register("x")`, `getByName("x").apply { }`
            declared = stmt.closure is not None or stmt.name in _CONTAINER_METHODS
        target = self.build_types if key[1] == "buildTypes" else self.flavors
        name = key[2]
        if declared and name not in _NOT_CONTAINER_ELEMENTS and name not in target:
            target.append(name)

    # variants: flavour dimensions and source sets

    def build_config_field(self, key: tuple[str, ...], stmt: Statement) -> None:
        """``buildConfigField "boolean", "LOG_DEBUG", "false"`` in defaultConfig, a build type or a flavour."""
        if key[-1:] != ("buildConfigField",) or not isinstance(stmt, Call) or len(stmt.positional) != 3:
            return
        if key[:2] == ("android", "defaultConfig") and len(key) == 3:
            where = "defaultConfig"
        elif len(key) == 4 and key[1] in ("buildTypes", "productFlavors") and key[2] not in _NOT_CONTAINER_ELEMENTS:
            where = f"{'buildType' if key[1] == 'buildTypes' else 'flavor'}:{key[2]}"
        else:
            return
        kind, name, value = (self.r.string(v) for v in stmt.positional)
        if kind in ("boolean", "Boolean") and name and value in ("true", "false"):
            self.build_config_flags.append((where, name, value == "true"))

    def variant_property(self, key: tuple[str, ...], stmt: Statement) -> None:
        if key[:1] != ("android",) or len(key) < 2:
            return
        if (len(key) == 3 and isinstance(stmt, Assign) and isinstance(stmt.value, Call)
                and stmt.value.name in _CREATING_DELEGATES and stmt.value.closure):
            for _context, inner, inner_stmt in _walk(stmt.value.closure):  # `val china by creating { ... }`
                self.variant_property(key + inner, inner_stmt)
            return
        if key[1] in ("flavorDimensions", "flavorDimensionList"):
            if isinstance(stmt, Assign):
                values: list[Value] = [stmt.value]
            elif len(key) == 2 or key[2] in ("plusAssign", "add", "addAll"):
                values = list(stmt.positional)
            else:
                return
            for name in self.strings(values):
                if name not in self.dimensions:
                    self.dimensions.append(name)
        elif key[1] == "productFlavors" and len(key) == 4 and key[3] in ("dimension", "flavorDimension"):
            ok, value = _single_value(stmt)
            name = self.r.string(value) if ok else None
            if name and key[2] not in _NOT_CONTAINER_ELEMENTS:
                self.flavor_dimensions[key[2]] = name
        elif key[1] == "sourceSets" and len(key) >= 5 and key[2] not in _NOT_CONTAINER_ELEMENTS:
            self.source_set_property(key[2], key[3:], stmt)
        elif key[1] == "buildTypes" and len(key) == 4 and key[2] not in _NOT_CONTAINER_ELEMENTS:
            self.build_type_property(key[2], key[3], stmt)

    def build_type_property(self, name: str, prop: str, stmt: Statement) -> None:
        """``debuggable true`` / ``isDebuggable = true`` / ``initWith debug`` / ``initWith(getByName("debug"))``."""
        ok, value = _single_value(stmt)
        if not ok:
            return
        if prop in ("debuggable", "isDebuggable"):
            resolved = self.r.resolve(value)
            if isinstance(resolved, bool):
                self.debuggable[name] = resolved
                self.explicit_debuggable.add(name)
        elif prop == "initWith" and name not in self.explicit_debuggable:
            source = None
            if isinstance(value, Ref):
                source = value.path.rsplit(".", 1)[-1]
            elif isinstance(value, Call) and value.name in _CONTAINER_METHODS:
                source = self.r.string(value.positional[0]) if value.positional else None
            if source is not None:
                self.debuggable[name] = self.debuggable.get(source, False)

    def source_set_property(self, name: str, rest: tuple[str, ...], stmt: Statement) -> None:
        """``java.srcDirs = [...]``, ``java.srcDir 'x'``, ``kotlin.setSrcDirs(listOf(...))``,
        ``srcDirs += ...``, ``manifest.srcFile '...'``, ``res.srcDirs(...)`` in a source set's block."""
        kind = _SOURCE_KINDS.get(rest[0])
        setter = rest[1] if len(rest) > 1 else ""
        if kind is None or setter not in _DIR_SETTERS or len(rest) > 3:
            return
        if len(rest) == 3 and rest[2] not in ("plusAssign", "add", "addAll"):
            return
        values: list[Value] = [stmt.value] if isinstance(stmt, Assign) else list(stmt.positional)
        found = self.source_dirs.setdefault(name, {})
        bucket = found.setdefault(kind, [])
        for path in self.strings(values):
            if path not in bucket:
                bucket.append(path)

    def strings(self, values: list[Value], depth: int = 0) -> Iterator[str]:
        """The paths / names in ``'a'``, ``['a', 'b']``, ``listOf(...)``, ``file('a')``, ``files(...)``,
        ``"$projectDir/a"``; unresolvable values are skipped."""
        for value in values:
            if depth > 8:
                return
            if isinstance(value, Ref):
                value = self.r.resolve(value)
            if isinstance(value, ListValue):
                yield from self.strings(list(value.items), depth + 1)
            elif isinstance(value, Call) and value.name in ("file", "files", "File", "layout", "dir"):
                yield from self.strings([v for v in value.positional if not isinstance(v, Ref)][-1:]
                                        if value.name != "files" else list(value.positional), depth + 1)
            elif isinstance(value, Call) and value.name in ("listOf", "setOf", "arrayOf"):
                yield from self.strings(list(value.positional), depth + 1)
            else:
                text = self.r.string(value)
                if text:
                    yield _module_relative(text)

    # dependencies

    def dependency_configuration(self, key: tuple[str, ...], stmt: Call) -> str | None:
        if stmt.name in _NOT_DEPENDENCIES or not stmt.args or key[-1] != stmt.name:
            return None
        scope = key[:-1]
        if scope in (("dependencies",), ("buildscript", "dependencies")):
            return stmt.name
        if len(scope) == 4 and scope[:2] == ("kotlin", "sourceSets") and scope[3] == "dependencies":
            source_set = scope[2]
            return source_set + stmt.name[:1].upper() + stmt.name[1:]  # androidMainImplementation
        return None

    def declare(self, configuration: str, stmt: Call) -> None:
        args = stmt.args
        if stmt.name == "add" and args and isinstance(self.r.resolve(args[0].value), str):
            configuration = str(self.r.resolve(args[0].value))
            args = args[1:]
        named = {a.name: a.value for a in args if a.name is not None}
        if "name" in named or "group" in named or "module" in named:
            self.add_map_notation(configuration, MapValue(tuple(named.items())), stmt, False)
        for arg in args:
            closure_argument = isinstance(arg.value, Unknown) and arg.value.text.startswith("{")
            if arg.name is None and not closure_argument:  # `implementation('g:n:v', { exclude ... })`
                self.add_notation(configuration, arg.value, stmt, False, 0)

    def new(self, configuration: str, stmt: Call, platform: bool, patterns: tuple[str, ...] = (),
            **fields: str | None) -> None:
        dependency = Dependency(
            configuration=configuration,
            group=fields.get("group"),
            name=fields.get("name"),
            version=fields.get("version"),
            project=fields.get("project"),
            catalog_alias=fields.get("catalog_alias"),
            files=fields.get("files"),
            platform=platform,
            line=stmt.line,
            column=stmt.column,
            file_patterns=patterns,
            reference=fields.get("reference"),
        )
        self.dependencies.append(dependency)

    def add_library(
        self, configuration: str, library: CatalogLibrary, stmt: Call, platform: bool
    ) -> None:
        self.new(configuration, stmt, platform, group=library.group, name=library.name,
                 version=library.version, catalog_alias=library.alias)

    def add_map_notation(self, configuration: str, value: MapValue, stmt: Call, platform: bool) -> None:
        group = self.r.string(value.get("group"))
        name = self.r.string(value.get("name"))
        module = self.r.string(value.get("module"))
        if module and not name:
            group, name, _ = _coordinates(module)
        if value.get("path") is not None and not name:  # project(path: ':x') spelled as a map
            path = self.r.string(value.get("path"))
            self.new(configuration, stmt, platform, project=_project_path(path) if path else None)
            return
        self.new(configuration, stmt, platform, group=group, name=name,
                 version=self.r.string(value.get("version")))

    def add_notation(self, configuration: str, value: Value, stmt: Call, platform: bool, depth: int) -> None:
        if depth > 8:
            self.new(configuration, stmt, platform)
            return
        if isinstance(value, Ref):
            if self.add_accessor(configuration, value.path, stmt, platform):
                return
            resolved = self.r.resolve(value)
            if resolved != value:
                self.add_notation(configuration, resolved, stmt, platform, depth + 1)
            else:
                self.new(configuration, stmt, platform, reference=value.path)
        elif isinstance(value, str):
            group, name, version = _coordinates(self.r.resolve(value) or value)  # type: ignore[arg-type]
            self.new(configuration, stmt, platform, group=group, name=name, version=version)
        elif isinstance(value, MapValue):
            self.add_map_notation(configuration, value, stmt, platform)
        elif isinstance(value, ListValue):
            for item in value.items:
                self.add_notation(configuration, item, stmt, platform, depth + 1)
        elif isinstance(value, Call):
            self.add_call_notation(configuration, value, stmt, platform, depth)
        else:
            self.new(configuration, stmt, platform)

    def add_accessor(self, configuration: str, path: str, stmt: Call, platform: bool) -> bool:
        """``libs.x.y`` / ``libs.bundles.x`` / ``projects.feature.login``; True when handled."""
        if path.startswith("projects."):
            self.new(configuration, stmt, platform, project=":" + path[len("projects.") :].replace(".", ":"))
            return True
        if not path.startswith("libs.") or path.startswith("libs.versions."):
            return False
        catalog = self.r.catalog
        if path.startswith("libs.bundles."):
            bundle = catalog.bundle(path) if catalog is not None else None
            if bundle is None:
                self.new(configuration, stmt, platform, catalog_alias=normalize_alias(path[len("libs.") :]))
            for library in bundle or ():
                self.add_library(configuration, library, stmt, platform)
            return True
        library = catalog.library(path) if catalog is not None else None
        if library is not None:
            self.add_library(configuration, library, stmt, platform)
        else:
            self.new(configuration, stmt, platform, catalog_alias=normalize_alias(path[len("libs.") :]))
        return True

    def add_call_notation(self, configuration: str, call: Call, stmt: Call, platform: bool, depth: int) -> None:
        positional = call.positional
        name = call.name
        if name in ("project", "findProject") and call.receiver is None:
            path = self.r.string(positional[0] if positional else call.named("path"))
            self.new(configuration, stmt, platform, project=_project_path(path) if path else None)
        elif name in ("platform", "enforcedPlatform") and positional:
            self.add_notation(configuration, positional[0], stmt, True, depth + 1)
        elif name == "fileTree":
            source = positional[0] if positional else None
            directory = source.get("dir") if isinstance(source, MapValue) else source
            if call.has_named("dir"):
                directory = call.named("dir")
            include = call.named("include") if call.has_named("include") else \
                source.get("include") if isinstance(source, MapValue) else None
            items = include.items if isinstance(include, ListValue) else (include,) if include is not None else ()
            patterns = tuple(p for p in (self.r.string(i) for i in items) if p)
            self.new(configuration, stmt, platform, patterns, files=self.r.string(directory))
        elif name in ("files", "file") and call.receiver is None:
            paths = [self.r.string(p) for p in positional] or [None]
            for path in paths:
                self.new(configuration, stmt, platform, files=path)
        elif name == "kotlin" and call.receiver is None and positional:
            module = self.r.string(positional[0])
            version = self.r.string(positional[1]) if len(positional) > 1 else None
            self.new(configuration, stmt, platform, group="org.jetbrains.kotlin",
                     name=f"kotlin-{module}" if module else None, version=version)
        elif name in ("testFixtures", "variantOf") and positional:
            self.add_notation(configuration, positional[0], stmt, platform, depth + 1)
        elif name in ("get", "toString") and call.receiver and not positional:
            self.add_notation(configuration, parse_expression(call.receiver), stmt, platform, depth + 1)
        elif name == "findBundle" and call.receiver == "libs" and positional and self.r.catalog is not None:
            alias = self.r.string(positional[0])
            for library in (self.r.catalog.bundle(alias) if alias else None) or ():
                self.add_library(configuration, library, stmt, platform)
        elif name == "findLibrary" and call.receiver == "libs" and positional and self.r.catalog is not None:
            alias = self.r.string(positional[0])
            library = self.r.catalog.library(alias) if alias else None
            if library is not None:
                self.add_library(configuration, library, stmt, platform)
            else:
                self.new(configuration, stmt, platform, catalog_alias=normalize_alias(alias) if alias else None)
        else:
            resolved = self.r.resolve(call)
            if resolved != call and not isinstance(resolved, Call):
                self.add_notation(configuration, resolved, stmt, platform, depth + 1)
            else:
                self.new(configuration, stmt, platform)

    # driver

    def run(self, script: Script) -> None:
        entries = list(_walk(script.statements))
        for context, _key, stmt in entries:
            self.r.define(context, stmt)
        # The script's own functions that declare dependencies (`fun DependencyHandlerScope.firebaseDeps() {…}`).
        helpers = {s.name.removeprefix(FUNCTION_PREFIX): s.closure for s in script.statements
                   if isinstance(s, Call) and s.name.startswith(FUNCTION_PREFIX) and s.closure
                   and (s.receiver or "").rsplit(".", 1)[-1] in _DEPENDENCY_RECEIVERS}
        for context, key, stmt in entries:
            if isinstance(stmt, Call):
                self.call(context, key, stmt)
                body = helpers.get(stmt.name) if context == ("dependencies",) and not stmt.receiver else None
                if body:  # a call of one of them in `dependencies { }`: its body declares them there (once)
                    helpers.pop(stmt.name)
                    for inner_context, inner_key, inner in _walk(body):
                        if isinstance(inner, Call):
                            self.call(context + inner_context, context + inner_key, inner)
            self.android_property(key, stmt)
            self.container_element(key, stmt)
            self.variant_property(key, stmt)
            self.build_config_field(key, stmt)

    def call(self, context: tuple[str, ...], key: tuple[str, ...], stmt: Call) -> None:
        if context == ("plugins",) and not stmt.receiver:
            self.plugin_request(stmt)
        elif key in (("apply",), ("plugins", "apply"), ("pluginManager", "apply")) and context in ((), ("plugins",)):
            if context == () or stmt.receiver:
                self.applied_plugin(stmt)
        elif key[:1] == ("kotlin",) and key[-1] in ("androidTarget", "android", "androidLibrary"):
            self.android_target = True
        configuration = self.dependency_configuration(key, stmt)
        if configuration is not None:
            self.declare(configuration, stmt)

    def is_library(self) -> bool:
        plugins = set(self.plugins)
        if plugins & LIBRARY_PLUGINS:
            return True
        return KOTLIN_MULTIPLATFORM in plugins and self.android_target and not plugins & APPLICATION_PLUGINS


def _extra_values(resolver: _Resolver) -> dict[str, str]:
    try:
        return resolver.extra_values()
    except Exception:  # noqa: BLE001 - defensive, as the interpreter's run
        return {}


def read_build_script(
    path: Path,
    text: str,
    catalog: VersionCatalog | None = None,
    properties: Mapping[str, str] | None = None,
) -> BuildScript:
    """Facts of one module (or root) build script; never raises."""
    script = parse_gradle_script(path, text)
    interpreter = _BuildInterpreter(_Resolver(catalog, properties))
    errors = list(script.errors)
    try:
        interpreter.run(script)
    except Exception as exc:  # noqa: BLE001 - defensive: partial facts beat a crash
        errors.append(ParseError(1, 1, f"internal interpreter error: {exc!r}"))
    plugins = tuple(interpreter.plugins)
    return BuildScript(
        path=path,
        plugins=plugins,
        is_application=bool(set(plugins) & APPLICATION_PLUGINS),
        is_library=interpreter.is_library(),
        namespace=interpreter.namespace,
        application_id=interpreter.application_id,
        min_sdk=interpreter.min_sdk,
        target_sdk=interpreter.target_sdk,
        compile_sdk=interpreter.compile_sdk,
        flavors=tuple(interpreter.flavors),
        build_types=tuple(interpreter.build_types),
        dependencies=tuple(interpreter.dependencies),
        errors=tuple(errors),
        flavor_dimensions=dict(interpreter.flavor_dimensions),
        debuggable_build_types=tuple(b for b, on in interpreter.debuggable.items() if on),
        build_config_flags=tuple(interpreter.build_config_flags),
        dimensions=tuple(interpreter.dimensions),
        extra=_extra_values(interpreter.r),
        applied_scripts=tuple(interpreter.applied_scripts),
        source_dirs=tuple(
            SourceDirs(name, tuple(kinds.get("java", ())), tuple(kinds.get("res", ())),
                       tuple(kinds.get("assets", ())), tuple(kinds.get("manifests", ())))
            for name, kinds in interpreter.source_dirs.items()
        ),
    )


def read_properties(text: str) -> dict[str, str]:
    """The ``key=value`` pairs of a ``gradle.properties`` file (Java properties: ``=``, ``:`` or a blank
    separates key and value; ``#``/``!`` comment lines; a trailing backslash continues the line; ``\\uXXXX``
    escapes). Never raises; lines it cannot read are left out."""
    out: dict[str, str] = {}
    logical = ""
    for raw in text.splitlines():
        line = raw.lstrip()
        if not logical and (not line or line[0] in "#!"):
            continue
        trailing = len(line) - len(line.rstrip("\\"))
        if trailing % 2:
            logical += line[:-1]
            continue
        logical += line
        match = _PROPERTY.match(logical)
        logical = ""
        if match is not None:
            out[_unescape(match.group(1))] = _unescape(match.group(2).strip())
    return out


_PROPERTY = re.compile(r"((?:[^\\\s=:]|\\.)+)\s*[=:\s]?\s*(.*)", re.DOTALL)
_ESCAPE = re.compile(r"\\(u[0-9a-fA-F]{4}|.)")


def _unescape(text: str) -> str:
    def one(m: re.Match[str]) -> str:
        code = m.group(1)
        if code.startswith("u") and len(code) == 5:
            point = int(code[1:], 16)
            return m.group(0) if 0xD800 <= point <= 0xDFFF else chr(point)  # no lone surrogates in our text
        return {"t": "\t", "n": "\n", "r": "\r", "f": "\f"}.get(code, code)

    return _ESCAPE.sub(one, text)


# -- settings -------------------------------------------------------------------------------------


def _strip_root_prefix(path: str) -> str:
    for prefix in ("$rootDir/", "${rootDir}/", "${rootProject.projectDir}/", "$settingsDir/", "${settingsDir}/",
                   "${rootDir.path}/", "${rootDir.absolutePath}/"):
        if path.startswith(prefix):
            return path[len(prefix) :]
    return path


class _SettingsInterpreter:
    def __init__(self, resolver: _Resolver) -> None:
        self.r = resolver
        self.includes: list[str] = []
        self.project_dirs: dict[str, str] = {}
        self.renames: dict[str, str] = {}
        self.root_name: str | None = None
        self.catalog_files: list[str] = []
        self.unresolved: list[str] = []
        self.included_builds: list[str] = []

    def run(self, script: Script) -> None:
        entries = list(_walk(script.statements))
        for context, _key, stmt in entries:
            self.r.define(context, stmt)
        loop_items: dict[int, tuple[Value, ...]] = {}
        self.loops(script.statements, loop_items, 0)
        for context, key, stmt in entries:
            if isinstance(stmt, Assign):
                self.assignment(key, stmt)
            elif key[-1:] == ("include",) and (stmt.receiver is None or key == ("settings", "include")):
                # at the top level, or nested in a block (`gradle.with { include ... }`, a loop body)
                items = loop_items.get(id(stmt))
                for arg in stmt.args:
                    resolved = self.r.string(arg.value)
                    if items is not None and (resolved is None or "$" in resolved):
                        for item in items:
                            self.include(_loop_value(arg.value, item))
                    else:
                        self.include(arg.value)
            elif stmt.name == "from" and "versionCatalogs" in context and stmt.positional:
                self.catalog(stmt.positional[0])
            elif key[-1:] == ("includeBuild",) and stmt.receiver is None and stmt.positional:
                build = self.r.string(stmt.positional[0])
                if build and build not in self.included_builds:
                    self.included_builds.append(_strip_root_prefix(build))

    def loops(self, statements: tuple[Statement, ...], out: dict[int, tuple[Value, ...]], depth: int) -> None:
        """Statements inside `[...].each { }` / `listOf(...).forEach { }` over a list the script spells out: the
        list's items, for `include ":$it"` / `include(it)` in the body."""
        for stmt in statements:
            if not isinstance(stmt, Call) or not stmt.closure or depth > 8:
                continue
            items: tuple[Value, ...] | None = None
            if stmt.name in ("each", "forEach") and stmt.receiver and not stmt.args:
                listed = self.r.resolve(parse_expression(stmt.receiver))
                if isinstance(listed, ListValue) and len(listed.items) <= 1000:
                    items = listed.items
            if items is not None:
                for inner in _walk(stmt.closure):
                    out[id(inner[2])] = items
            self.loops(stmt.closure, out, depth + 1)

    def include(self, value: Value, depth: int = 0) -> None:
        if isinstance(value, Unknown) and value.text.startswith("*") and depth < 4:  # include(*modules)
            spread = value.text[1:].removesuffix(".toTypedArray()").removesuffix(".toArray()")
            value = self.r.resolve(parse_expression(spread))
        if isinstance(value, ListValue):
            for item in value.items:
                self.include(item, depth + 1)
            return
        path = self.r.string(value)
        if path is None or "$" in path:
            text = path if path is not None else getattr(value, "text", None) or getattr(value, "path", None)
            self.unresolved.append(str(text if text is not None else value)[:80])
            return
        if path:
            for part in path.split(","):  # include 'a,b' is not Gradle, but cheap to tolerate
                part = part.strip()
                if part and _project_path(part) not in self.includes:
                    self.includes.append(_project_path(part))

    def assignment(self, key: tuple[str, ...], stmt: Assign) -> None:
        if key == ("rootProject", "name"):
            self.root_name = self.r.string(stmt.value) or self.root_name
        elif len(key) == 2 and key[0].startswith("project(") and key[1] == "projectDir":
            directory = self.directory(stmt.value)
            if directory is not None:
                self.project_dirs[_project_path(key[0][len("project(") : -1])] = directory
        elif len(key) == 2 and key[0].startswith("project(") and key[1] == "name":
            name = self.r.string(stmt.value)
            if name and ":" not in name and "$" not in name:
                self.renames[_project_path(key[0][len("project(") : -1])] = name

    def directory(self, value: Value) -> str | None:
        if isinstance(value, Call) and value.name in ("file", "File", "files") and value.positional:
            strings = [self.r.string(v) for v in value.positional]
            last = strings[-1]
            return _strip_root_prefix(last) if last else None
        if isinstance(value, Call) and value.name == "resolve" and value.positional:  # rootDir.resolve("x")
            path = self.r.string(value.positional[0])
            return _strip_root_prefix(path) if path else None
        text = self.r.string(value)
        return _strip_root_prefix(text) if text else None

    def catalog(self, value: Value) -> None:
        if isinstance(value, Call) and value.name in ("files", "file"):
            for item in value.positional:
                path = self.r.string(item)
                if not path:
                    continue
                path = _strip_root_prefix(path)
                normalised = path.removeprefix("./")
                if normalised != DEFAULT_CATALOG and normalised not in self.catalog_files:
                    self.catalog_files.append(normalised)


_LOOP_VARIABLE = re.compile(r"\$(?:\{([A-Za-z_]\w*)\}|([A-Za-z_]\w*))")


def _loop_value(value: Value, item: Value) -> Value:
    """`it` / `":$it"` / `":${name}"` in a loop body with the loop variable replaced by `item` (one variable)."""
    if isinstance(value, Ref) and "." not in value.path:
        return item
    if isinstance(value, str) and isinstance(item, str) and len(_LOOP_VARIABLE.findall(value)) == 1:
        return _LOOP_VARIABLE.sub(lambda _m: item, value)
    return value


def _layout(includes: list[str], explicit: dict[str, str],
            renames: dict[str, str]) -> tuple[tuple[str, ...], dict[str, str]]:
    """Each included project's path and folder as Gradle lays them out: the folder is the `projectDir` the
    settings give it, else its parent project's folder plus its own name; `project(":a").name = "B"` makes the
    project `:B` and keeps its folder `a`, so a later `include ":B:core"` lives in `a/core`."""
    folders: dict[str, str] = {}

    def folder(path: str) -> str:
        if path in folders:
            return folders[path]
        if path in explicit:
            return explicit[path]
        parent, _, name = path.rpartition(":")
        base = folder(parent) if parent else ""
        return f"{base}/{name}" if base else name

    paths: list[str] = []
    for include in includes:
        where = folder(include)
        parent = include.rpartition(":")[0]
        final = f"{parent}:{renames[include]}" if include in renames else include
        folders.setdefault(final, where)
        if final not in paths:
            paths.append(final)
    moved = {p: folders[p] for p in paths if folders[p] != p.strip(":").replace(":", "/")}
    return tuple(paths), {**explicit, **moved}


def read_settings(path: Path, text: str) -> Settings:
    """Facts of a ``settings.gradle`` / ``settings.gradle.kts``; never raises."""
    script = parse_gradle_script(path, text)
    interpreter = _SettingsInterpreter(_Resolver(None, None))
    errors = list(script.errors)
    try:
        interpreter.run(script)
    except Exception as exc:  # noqa: BLE001 - defensive
        errors.append(ParseError(1, 1, f"internal interpreter error: {exc!r}"))
    includes, project_dirs = _layout(interpreter.includes, interpreter.project_dirs, interpreter.renames)
    return Settings(
        path=path,
        includes=includes,
        project_dirs=project_dirs,
        root_name=interpreter.root_name,
        catalog_files=tuple(interpreter.catalog_files),
        errors=tuple(errors),
        unresolved_includes=tuple(interpreter.unresolved),
        included_builds=tuple(interpreter.included_builds),
    )
