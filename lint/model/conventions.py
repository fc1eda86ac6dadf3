"""Dependencies that convention plugins add, attributed to the modules that apply them.

Multi-module apps keep their build logic in `build-logic/` or `buildSrc/` (or any `includeBuild`):
* binary plugins — `class X : Plugin<Project>` in Kotlin/Java, registered in that build's build file with
  `gradlePlugin { plugins { register("x") { id = "acme.android.app"; implementationClass = "X" } } }` — which
  call `dependencies.add("implementation", "g:n:v")`, `add("implementation", libs.findLibrary("x").get())`,
  `add("api", libs.findBundle("x").get())`, `implementation(libs.x.y)` (type-safe accessors), directly or in
  top-level helper functions they call;
* precompiled script plugins — `src/main/kotlin/acme.android.app.gradle.kts` (id: the file name, with the
  package as prefix when there is one), read like any build script.

A plugin that applies another (`pluginManager.apply("acme.android.lib")`, `plugins { id(...) }`) passes on
that plugin's dependencies. Sources are parsed with tree-sitter (the same summaries as app code) and the
scripts with our Gradle readers; nothing is run. `libs.*` resolves through the main project's catalog.

The build logic's string constants name dependencies too (`constants`, `with_constants`): a module's
`implementation(Libs.FIREBASE_ANALYTICS)` / `implementation Deps.UMENG` whose reference the build script cannot
resolve takes the value of the constant of that name in the build logic's sources — Kotlin `const val` /
`val` of an `object` (nested objects: `Deps.Firebase.analytics`), Java `static final String` (nested classes),
named as written in build files (`Libs.X`, with or without the package). A value may be a string, another
such constant, a Kotlin template or `+` concatenation of those (`"g:n:${Versions.X}"`); a part that does not
resolve ends the value there, so `"g:n:${unknown}"` still names `g:n` (the catalog matches group and name).
Java concatenations are not read (the reference stays unresolved, as do references to anything else).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from pipl_lint.findings import Diagnostic
from pipl_lint.model.source import LANGUAGE_OF_SUFFIX, summarize
from pipl_lint.model.summary import Arg, FileSummary
from pipl_lint.parse.gradle_ast import Assign, Call, Ref, Script, Statement
from pipl_lint.project.discover import SKIP_DIRS, Module, Project
from pipl_lint.project.files import FileReader
from pipl_lint.project.gradle import (
    APPLICATION_PLUGINS,
    LIBRARY_PLUGINS,
    Dependency,
    parse_gradle_script,
    read_build_script,
    resolve_reference,
)
from pipl_lint.project.version_catalog import VersionCatalog

if TYPE_CHECKING:
    from tree_sitter import Node

BUILD_LOGIC_DIRS = ("buildSrc", "build-logic", "gradle/build-logic", "build-conventions", "plugins")
SCRIPT_PLUGIN_SUFFIXES = (".gradle.kts", ".gradle")
_DSL_CONFIGURATIONS = frozenset({"implementation", "api", "compile", "runtimeOnly", "releaseImplementation"})
MAX_FILES = 500  # per build-logic folder
# Bumped when what the readers below make of the same build logic changes (the cached results are kept by it).
READER_VERSION = 2  # 2: plugins applied by `with(pluginManager) { apply(...) }`, forwarding helpers
PARSE_TIMEOUT = 5.0


@dataclass
class ConventionPlugin:
    id: str
    path: str  # the plugin's file (relative to the scan root)
    dependencies: list[tuple[str, Dependency]] = field(default_factory=list)  # (file that adds it, dependency)
    applies: list[str] = field(default_factory=list)  # other plugin ids it applies
    script: bool = False  # a precompiled script plugin (its id may have a package prefix)


@dataclass(frozen=True, slots=True)
class ConventionDependency:
    """A dependency a module gets from a convention plugin it applies."""

    plugin: str
    path: str
    dependency: Dependency


def inputs(project: Project) -> list[Path]:
    """The build-logic files (for the run cache key: a changed convention plugin changes the analysis)."""
    return [p for top in build_logic_dirs(project) for p in _files(top)
            if p.name.endswith((*SCRIPT_PLUGIN_SUFFIXES, *LANGUAGE_OF_SUFFIX))]


def build_logic_dirs(project: Project) -> list[Path]:
    names = list(BUILD_LOGIC_DIRS)
    if project.settings is not None:
        names += list(project.settings.included_builds)
    out: list[Path] = []
    root_real = os.path.realpath(project.root)
    for name in names:
        d = project.root / name
        try:
            real = os.path.realpath(d)
        except (OSError, ValueError):
            continue
        if (real == root_real or not real.startswith(root_real + os.sep)) or not d.is_dir():
            continue
        if Path(real) not in out:
            out.append(Path(real))
    return out


def _files(top: Path) -> Iterator[Path]:
    count = 0
    for dirpath, dirnames, filenames in os.walk(top, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS)
        for name in sorted(filenames):
            count += 1
            if count > MAX_FILES:
                return
            yield Path(dirpath) / name


def convention_plugins(project: Project, reader: FileReader,
                       diags: list[Diagnostic]) -> dict[str, ConventionPlugin]:
    """Every convention plugin of the project's build logic, by plugin id."""
    catalog = project.catalog
    plugins: dict[str, ConventionPlugin] = {}
    registrations: dict[str, str] = {}  # implementation class (as written) -> id
    files: dict[str, _SourceFile] = {}
    for top in build_logic_dirs(project):
        for path in _files(top):
            name = path.name
            in_sources = "src" in path.relative_to(top).parts
            if name in ("build.gradle.kts", "build.gradle") and not in_sources:
                text = reader.read_text(path, diags)
                if text is not None:
                    registrations.update(_registrations(parse_gradle_script(path, text), catalog))
            elif in_sources and name.endswith(SCRIPT_PLUGIN_SUFFIXES) and not name.startswith("settings."):
                text = reader.read_text(path, diags)
                if text is None:
                    continue
                script = read_build_script(path, text, catalog)
                plugin_id = name.removesuffix(".kts").removesuffix(".gradle")
                rel = reader.rel(path)
                plugins[plugin_id] = ConventionPlugin(plugin_id, rel, [(rel, d) for d in script.dependencies],
                                                      list(script.plugins), script=True)
            elif in_sources and path.suffix in LANGUAGE_OF_SUFFIX:
                data = reader.read_bytes(path, diags)
                if data is not None:
                    result = summarize(reader.rel(path), data, LANGUAGE_OF_SUFFIX[path.suffix], PARSE_TIMEOUT)
                    if result.summary is not None:
                        lang = LANGUAGE_OF_SUFFIX[path.suffix]
                        files[result.summary.path] = _source_file(result.summary, data, lang, catalog)
    lookups = _library_lookups(files)
    for source in files.values():
        for cls in source.summary.classes:
            if "Plugin" not in cls.supertypes:
                continue
            plugin_id = registrations.get(cls.fqn) or registrations.get(cls.name)
            if plugin_id is None:
                continue
            plugin = ConventionPlugin(plugin_id, source.summary.path)
            _read_plugin_class(plugin, cls.fqn, source.summary, files, lookups, catalog)
            plugins[plugin_id] = plugin
    return plugins


def _registrations(script: Script, catalog: VersionCatalog | None) -> dict[str, str]:
    """`implementationClass` → `id` of every `gradlePlugin { plugins { ... } }` entry (an id may come from the
    catalog: `id = libs.plugins.acme.app.get().pluginId`)."""
    out: dict[str, str] = {}

    def visit(statements: Iterable[Statement], depth: int) -> None:
        values: dict[str, str] = {}
        for stmt in statements:
            if isinstance(stmt, Assign):
                key = stmt.target.rsplit(".", 1)[-1]
                value = stmt.value
                if isinstance(value, Ref):
                    value = _catalog_plugin(value.path, catalog)
                elif isinstance(value, Call) and value.receiver and not value.args:
                    value = _catalog_plugin(f"{value.receiver}.{value.name}()", catalog)
                if isinstance(value, str):
                    values[key] = value
            elif isinstance(stmt, Call):
                if stmt.closure is None and len(stmt.args) == 1 and isinstance(stmt.args[0].value, str):
                    values[stmt.name] = stmt.args[0].value  # Groovy `id 'x'`
                if stmt.closure and depth < 8:
                    visit(stmt.closure, depth + 1)
        if "id" in values and "implementationClass" in values:
            out[values["implementationClass"]] = values["id"]

    visit(script.statements, 0)
    return out


def _read_plugin_class(plugin: ConventionPlugin, fqn: str, summary: FileSummary, files: dict[str, _SourceFile],
                       lookups: frozenset[str], catalog: VersionCatalog | None) -> None:
    """The dependencies and plugins of the class's code, and of the top-level helpers it calls (by name). A helper
    that forwards its parameter (`fun DependencyHandlerScope.playImplementation(dep) = add("playImplementation", dep)`)
    adds what its caller passes; `lookups` are the build logic's catalog-lookup functions (`_library_lookups`)."""
    # (file, function index, the arguments its parameters were given, the call that gave them)
    todo: list[tuple[str, int, dict[str, Arg], tuple[str, _Call] | None]] = [
        (summary.path, i, {}, None) for i, f in enumerate(summary.functions)
        if f.owner == fqn or f.owner.startswith(fqn + ".")]
    done: set[tuple[str, int, tuple[str, ...]]] = set()
    while todo:
        path, index, passed, caller = todo.pop()
        key = (path, index, tuple(f"{name}={arg.text}" for name, arg in passed.items()))
        if key in done or len(done) > 200:
            continue
        done.add(key)
        source = files[path]
        for call in source.calls:
            if call.function != index:
                continue
            if call.applies is not None:
                plugin.applies.append(call.applies)
            elif call.configuration is not None and call.notation is not None:
                forwarded = passed.get(call.notation.strip())
                if forwarded is None or caller is None:
                    at, notation = (path, call), call.notation
                else:  # reported where the caller names the library
                    at, notation = caller, _notation(forwarded, lookups)
                plugin.dependencies += [(at[0], d) for d in _dependencies(call.configuration, notation,
                                                                          at[1].line, at[1].column, catalog)]
            for other in files.values():
                for i, f in enumerate(other.summary.functions):
                    if f.name == call.name and f.owner.endswith("Kt"):
                        todo.append((other.summary.path, i, dict(zip(f.params, call.args, strict=False)),
                                     (path, call)))


def _library_lookups(files: dict[str, _SourceFile]) -> frozenset[str]:
    """Build-logic functions that look a library up in the version catalog by the name they are given
    (`fun getLibrary(alias: String) = libs.findLibrary(alias).get()`)."""
    out: set[str] = set()
    for source in files.values():
        functions = source.summary.functions
        for site in source.summary.sites:
            if site.name == "findLibrary" and site.function >= 0 and len(site.args) == 1 and \
                    site.args[0].text.strip() in functions[site.function].params:
                out.add(functions[site.function].name)
    return frozenset(out)


def _notation(arg: Arg, lookups: frozenset[str]) -> str:
    """A dependency argument passed to a forwarding helper, as the Gradle reader reads it: a catalog lookup
    through one of the build logic's own functions (`libs.getLibrary("x")`, `platform(libs.getLibrary("x"))`)
    becomes `libs.findLibrary("x").get()`."""
    if len(arg.strings) == 1 and any(c.rsplit(".", 1)[-1] in lookups for c in arg.calls):
        found = f'libs.findLibrary("{arg.strings[0]}").get()'
        return f"platform({found})" if "platform" in arg.calls else found
    return arg.text


@dataclass(frozen=True, slots=True)
class _Call:
    function: int
    name: str
    line: int
    column: int
    configuration: str | None = None  # a dependency added to this configuration ...
    notation: str | None = None  # ... with this notation (source text)
    applies: str | None = None  # a plugin applied
    args: tuple[Arg, ...] = ()  # the call's arguments (for a helper that forwards a parameter)


@dataclass
class _SourceFile:
    summary: FileSummary
    calls: list[_Call]


def _source_file(summary: FileSummary, data: bytes, lang: str, catalog: VersionCatalog | None) -> _SourceFile:
    calls: list[_Call] = []
    for site in summary.sites:
        if site.kind != "call":
            continue
        call = _Call(site.function, site.name, site.line, site.column, args=site.args)
        receiver, args = site.receiver, site.args
        if site.name == "apply" and args and (receiver is None or receiver.endswith(
                ("pluginManager", "getPluginManager()", "plugins", "getPlugins()"))):
            # `pluginManager.apply("x")`, `apply(plugin = "x")`, and `apply("x")` in `with(pluginManager) { }` or
            # `plugins { }` (a plugin id is the only string a bare `apply` takes; a script is `apply(from = …)`)
            applied = _plugin_id(args[0], catalog)
            if applied and (receiver is not None or args[0].label in ("plugin", None)):
                call = replace(call, applies=applied)
        elif site.name == "id" and receiver is None and len(args) == 1 and _literal(args[0]):
            call = replace(call, applies=_literal(args[0]))  # plugins { id("x") }
        elif site.name == "alias" and receiver is None and len(args) == 1:
            call = replace(call, applies=_plugin_id(args[0], catalog))
        elif site.name == "add" and len(args) >= 2 and _literal(args[0]) is not None and \
                (receiver is None or receiver.endswith(("dependencies", "getDependencies()"))):
            call = replace(call, configuration=_literal(args[0]), notation=args[1].text)
        elif site.name in _DSL_CONFIGURATIONS and receiver is None and len(args) == 1:
            call = replace(call, configuration=site.name, notation=args[0].text)
        calls.append(call)
    if lang == "kotlin":
        calls += _string_invocations(summary, data)
    return _SourceFile(summary, calls)


def _string_invocations(summary: FileSummary, data: bytes) -> list[_Call]:
    """Kotlin DSL `"implementation"(libs.x)`: a call whose callee is a string literal (the extractor keeps
    no site for it: there is no name to resolve)."""
    from pipl_lint.model.source import ParseTimeout, parse

    try:
        tree = parse(data, "kotlin", PARSE_TIMEOUT)
    except ParseTimeout:
        return []
    out: list[_Call] = []
    stack = [tree.root_node]
    while stack:
        node = stack.pop()
        if node.type == "call_expression" and node.child_count == 2 and node.children[0].type == "string_literal":
            callee, arguments = node.children
            parts = [c for c in callee.children if c.type == "string_content"]
            values = [c for c in arguments.children if c.type == "value_argument"]
            if len(parts) == 1 and len(callee.named_children) == 1 and len(values) == 1:
                line, column = node.start_point[0] + 1, node.start_point[1] + 1
                out.append(_Call(_enclosing(summary, line), "", line, column,
                                 configuration=data[parts[0].start_byte:parts[0].end_byte].decode("utf-8", "replace"),
                                 notation=data[values[0].start_byte:values[0].end_byte].decode("utf-8", "replace")))
        stack.extend(reversed(node.children))
    return out


def _enclosing(summary: FileSummary, line: int) -> int:
    best, start = -1, -1
    for i, f in enumerate(summary.functions):
        if f.line <= line <= f.end_line and f.line >= start:
            best, start = i, f.line
    return best


def _plugin_id(arg: Arg, catalog: VersionCatalog | None) -> str | None:
    literal = _literal(arg)
    if literal is not None:
        return literal
    return _catalog_plugin(arg.text, catalog)


def _catalog_plugin(text: str, catalog: VersionCatalog | None) -> str | None:
    """`libs.plugins.x.y.get().pluginId` / `.getPluginId()` / `libs.plugins.x.y` → the catalog's plugin id."""
    text = text.strip()
    for suffix in (".getPluginId()", ".pluginId", ".get()"):
        text = text.removesuffix(suffix)
    if catalog is None or not text.startswith("libs.plugins."):
        return None
    return catalog.resolve_plugin(text)


def _literal(arg: Arg) -> str | None:
    text = arg.text.strip()
    if len(arg.strings) == 1 and text.startswith('"') and text.endswith('"') and not arg.calls:
        return arg.strings[0]
    return None


def _dependencies(configuration: str, notation: str, line: int, column: int,
                  catalog: VersionCatalog | None) -> list[Dependency]:
    """The notation read by the Gradle reader, as if written in a build script's `dependencies { }` (one
    place understands coordinates, `libs.*` accessors, `findLibrary`/`findBundle`, `platform`, `project`)."""
    if "\n" in configuration or '"' in configuration or len(notation) > 500:
        return []
    snippet = f'dependencies {{\n    add("{configuration}", {notation})\n}}\n'
    script = read_build_script(Path("convention.gradle.kts"), snippet, catalog)
    return [replace(d, line=line, column=column) for d in script.dependencies]


def module_dependencies(project: Project,
                        plugins: dict[str, ConventionPlugin]) -> dict[str, list[ConventionDependency]]:
    """Module name → the dependencies its convention plugins add (transitively through plugins they apply)."""
    out: dict[str, list[ConventionDependency]] = {}
    for mod in project.modules:
        found = [ConventionDependency(plugin.id, path, d)
                 for plugin in _applied(mod, plugins) for path, d in plugin.dependencies]
        if found:
            out[mod.name] = found
    return out


def with_android_plugins(project: Project, plugins: dict[str, ConventionPlugin]) -> Project:
    """The project with each module an application (or a library) when a convention plugin it applies applies
    `com.android.application` (`com.android.library`), directly or through the plugins it applies in turn:
    `plugins { alias(libs.plugins.acme.android.application) }` makes `:app` an app as `id("com.android.application")`
    would."""
    modules = []
    for mod in project.modules:
        build = mod.build
        if build is not None and not build.is_application and not build.is_library:
            ids = {applied for plugin in _applied(mod, plugins) for applied in plugin.applies}
            if ids & APPLICATION_PLUGINS:
                mod = replace(mod, build=replace(build, is_application=True))
            elif ids & LIBRARY_PLUGINS:
                mod = replace(mod, build=replace(build, is_library=True))
        modules.append(mod)
    return replace(project, modules=tuple(modules))


def _applied(mod: Module, plugins: dict[str, ConventionPlugin]) -> list[ConventionPlugin]:
    """The convention plugins the module applies, and those they apply, each once."""
    if mod.build is None or not plugins:
        return []
    out: list[ConventionPlugin] = []
    seen: set[str] = set()
    stack = list(mod.build.plugins)
    while stack:
        plugin = _lookup(plugins, stack.pop())
        if plugin is None or plugin.id in seen:
            continue
        seen.add(plugin.id)
        out.append(plugin)
        stack += plugin.applies
    return out


def _lookup(plugins: dict[str, ConventionPlugin], plugin_id: str) -> ConventionPlugin | None:
    """By id; a precompiled script plugin in a package is `package.file-name`."""
    found = plugins.get(plugin_id)
    if found is not None:
        return found
    return next((p for key, p in plugins.items() if p.script and plugin_id.endswith("." + key)), None)


# -- constants ------------------------------------------------------------------------------------

_MAX_CONSTANT_DEPTH = 8
_Part = tuple[bool, str]  # (a reference?, text): the pieces of a constant's value, in order


def constants(project: Project, reader: FileReader, diags: list[Diagnostic]) -> dict[str, str]:
    """Name (`Libs.X`, `Deps.Firebase.analytics`, `com.acme.Libs.X`) → value of the build logic's string
    constants (see the module docstring)."""
    raw: dict[str, list[_Part]] = {}
    scopes: dict[str, str] = {}  # constant name -> its owner's name (references inside resolve there first)
    for top in build_logic_dirs(project):
        for path in _files(top):
            if "src" not in path.relative_to(top).parts or path.suffix not in LANGUAGE_OF_SUFFIX:
                continue
            data = reader.read_bytes(path, diags)
            if data is None:
                continue
            lang = LANGUAGE_OF_SUFFIX[path.suffix]
            result = summarize(reader.rel(path), data, lang, PARSE_TIMEOUT)
            if result.summary is None:
                continue
            package = result.summary.package
            found = [(c.owner, c.name, [(":" not in c.values[0], c.values[0])])  # a coordinate, or a name
                     for c in result.summary.constants if "#" not in c.owner and len(c.values) == 1]
            if lang == "kotlin":
                found += _kotlin_templates(data, package)
            for owner, name, parts in found:
                short = owner.removeprefix(package + ".") if package else owner
                for key in {f"{owner}.{name}", f"{short}.{name}"}:
                    raw.setdefault(key, parts)
                    scopes.setdefault(key, short)
    memo: dict[str, str | None] = {}
    out: dict[str, str] = {}
    for key in raw:
        value = _constant_value(key, raw, scopes, memo, 0)
        if value:
            out[key] = value
    return out


def _constant_value(key: str, raw: dict[str, list[_Part]], scopes: dict[str, str],
                    memo: dict[str, str | None], depth: int) -> str | None:
    """The constant's text; a reference to a string constant is replaced by its value, and the first one that
    is not (or a cycle) ends the text there. A summary's lone value is a reference when it names a constant."""
    if depth > _MAX_CONSTANT_DEPTH or key not in raw:
        return None
    if key in memo:
        return memo[key]
    memo[key] = None  # a cycle ends here
    memo[key] = value = _constant_text(key, raw, scopes, memo, depth)
    return value


def _constant_text(key: str, raw: dict[str, list[_Part]], scopes: dict[str, str],
                   memo: dict[str, str | None], depth: int) -> str | None:
    text = ""
    for is_ref, part in raw[key]:
        if not is_ref:
            text += part
            continue
        scope = scopes[key]
        candidates = [f"{'.'.join(scope.split('.')[:i])}.{part}" for i in range(scope.count(".") + 1, 0, -1)]
        target = next((c for c in [*candidates, part] if c in raw), None)
        value = _constant_value(target, raw, scopes, memo, depth + 1) if target is not None else None
        if value is None:
            if len(raw[key]) == 1 and ":" not in part and target is None:
                return part  # a summary's literal without a colon (a version): no constant of that name
            return text or None
        text += value
    return text


def _kotlin_templates(data: bytes, package: str) -> list[tuple[str, str, list[_Part]]]:
    """(owner, name, parts) of the properties of Kotlin classes and objects initialised with a string template
    or a `+` concatenation of strings and references (the summaries keep no value for those)."""
    from pipl_lint.model.source import ParseTimeout, parse

    try:
        tree = parse(data, "kotlin", PARSE_TIMEOUT)
    except ParseTimeout:
        return []

    def text(node: Node) -> str:
        return data[node.start_byte:node.end_byte].decode("utf-8", "replace")

    def parts(node: Node, depth: int) -> list[_Part]:
        if depth > _MAX_CONSTANT_DEPTH:
            return [(True, "")]
        if node.type == "string_literal":
            out: list[_Part] = []
            for c in node.children:
                if c.type == "string_content":
                    out.append((False, text(c)))
                elif c.type == "interpolation":
                    inner = c.named_children
                    if len(inner) != 1 or inner[0].type not in ("identifier", "navigation_expression"):
                        return [*out, (True, "")]  # not a name: the value ends here
                    out.append((True, text(inner[0])))
            return out
        if node.type in ("identifier", "navigation_expression"):
            return [(True, text(node))]
        if node.type == "binary_expression" and node.child_count == 3 and node.children[1].type == "+":
            return parts(node.children[0], depth + 1) + parts(node.children[2], depth + 1)
        return [(True, "")]  # not a string or a name: the value ends here

    out: list[tuple[str, str, list[_Part]]] = []
    stack: list[tuple[Node, str]] = [(tree.root_node, package)]
    while stack:
        node, owner = stack.pop()
        if node.type in ("object_declaration", "class_declaration", "companion_object"):
            name = next((text(c) for c in node.children if c.type in ("identifier", "type_identifier")), None)
            owner = f"{owner}.{name}" if owner and name else name or owner
        elif node.type == "property_declaration" and owner != package:
            declaration = next((c for c in node.children if c.type == "variable_declaration"), None)
            value = node.children[-1] if node.child_count else None
            if declaration is not None and value is not None and value.type in ("string_literal",
                                                                                 "binary_expression"):
                found = parts(value, 0)
                has_template = value.type == "binary_expression" or any(is_ref for is_ref, _ in found)
                if found and has_template and declaration.named_children:
                    out.append((owner, text(declaration.named_children[0]), found))
            continue
        elif node.type in ("function_declaration", "lambda_literal", "anonymous_initializer"):
            continue
        stack.extend((c, owner) for c in node.children)
    return out


def with_constants(project: Project, values: Mapping[str, str]) -> Project:
    """The project with every dependency whose reference names a build-logic constant resolved."""
    if not values:
        return project
    modules = []
    for mod in project.modules:
        if mod.build is not None and any(d.reference for d in mod.build.dependencies):
            build = replace(mod.build, dependencies=tuple(resolve_reference(d, values)
                                                          for d in mod.build.dependencies))
            mod = replace(mod, build=build)
        modules.append(mod)
    return replace(project, modules=tuple(modules))


def convention_constants(found: dict[str, list[ConventionDependency]],
                         values: Mapping[str, str]) -> dict[str, list[ConventionDependency]]:
    """The convention plugins' dependencies with references to build-logic constants resolved."""
    return {name: [replace(c, dependency=resolve_reference(c.dependency, values)) for c in deps]
            for name, deps in found.items()}
