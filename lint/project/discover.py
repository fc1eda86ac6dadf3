"""Find the Android projects under the given paths and lay out their modules, without running Gradle.

A Gradle project is a folder with `settings.gradle[.kts]`; its modules come from `include`. A module
without a settings file (a build file alone) is a one-module project, plus the module folders below it when
there are any (a checkout without its settings file, said in a note); so is a folder with an
`AndroidManifest.xml` and Java/Kotlin sources but no Gradle files (Eclipse/Ant layout, samples).
"""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from pipl_lint.findings import Diagnostic
from pipl_lint.project.files import FileReader, printable
from pipl_lint.project.gradle import (
    BuildScript,
    Settings,
    SourceDirs,
    read_build_script,
    read_properties,
    read_settings,
)
from pipl_lint.project.version_catalog import VersionCatalog, read_version_catalog

SETTINGS_FILES = ("settings.gradle.kts", "settings.gradle")
BUILD_FILES = ("build.gradle.kts", "build.gradle")
PROPERTIES_FILE = "gradle.properties"
SOURCE_SUFFIXES = (".kt", ".java")
ASSET_SUFFIXES = (".html", ".htm", ".txt", ".md")  # text assets the rules read (privacy policies)
SKIP_DIRS = frozenset({".git", ".gradle", ".idea", "build", "node_modules", ".pipl-lint-cache", "out",
                       ".cxx", ".externalNativeBuild", "__pycache__", ".venv", "venv", "captures"})


@dataclass(frozen=True, slots=True)
class SourceSet:
    name: str  # main, debug, release, a flavour, test, androidTest ...
    manifest: Path | None
    sources: tuple[Path, ...]
    strings: tuple[Path, ...]  # res/values*/*.xml (string resources may be in any of them)
    layouts: tuple[Path, ...]  # res/layout*/*.xml
    assets: tuple[Path, ...]  # files under assets/ (policy texts)

    @property
    def is_test(self) -> bool:
        return self.name.startswith(("test", "androidTest")) or self.name in ("testFixtures",)


@dataclass(frozen=True, slots=True)
class Module:
    name: str  # ":app"; ":" for a root or manifest-only module
    dir: Path
    build: BuildScript | None
    source_sets: tuple[SourceSet, ...]
    merged_manifests: tuple[Path, ...]  # build output, when present
    jars: tuple[Path, ...]  # libs/*.jar|aar

    @property
    def is_application(self) -> bool:
        if self.build is not None:
            return self.build.is_application
        return True  # manifest-only layouts are apps

    @property
    def namespace(self) -> str | None:
        if self.build is None:
            return None
        return self.build.namespace or self.build.application_id

    def manifests(self) -> Iterator[tuple[SourceSet, Path]]:
        for ss in self.source_sets:
            if ss.manifest is not None and not ss.is_test:
                yield ss, ss.manifest

    def sources(self) -> Iterator[Path]:
        """Every shipped source file once (a folder may belong to several source sets)."""
        seen: set[Path] = set()
        for ss in self.source_sets:
            if not ss.is_test:
                for p in ss.sources:
                    if p not in seen:
                        seen.add(p)
                        yield p


@dataclass(frozen=True, slots=True)
class Project:
    root: Path
    kind: str  # gradle | module | manifest-only
    settings: Settings | None
    catalog: VersionCatalog | None
    modules: tuple[Module, ...]
    gradle_files: tuple[Path, ...]  # settings, build scripts and catalogs read
    gradle_unread: tuple[Path, ...] = ()  # those that could not be read (binary, too large, unreadable)

    def files(self) -> Iterator[Path]:
        yield from self.gradle_files
        for m in self.modules:
            for ss in m.source_sets:
                if ss.manifest is not None:
                    yield ss.manifest
                yield from ss.sources
                yield from ss.strings
                yield from ss.layouts


@dataclass
class Discovery:
    projects: list[Project] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)


class Walker:
    """os.walk over a tree that skips build output, VCS folders, excluded globs and outside links.

    It also records what discovery looked at (`seen_dirs`: every folder whose entries were listed or probed;
    `seen_files`: every file whose content was read), so that a cached discovery can be checked with a stat of
    each instead of a new walk (`lint/project/discover_cache.py`)."""

    def __init__(self, scan_root: Path, excludes: Iterable[str] = ()) -> None:
        self.scan_root = scan_root
        self.excludes = tuple(excludes)
        self.real_root = os.path.realpath(scan_root)
        self._root_prefix = self.real_root.rstrip(os.sep) + os.sep
        self.seen_dirs: set[str] = set()
        self.seen_files: set[str] = set()

    def listed(self, folder: Path) -> None:
        """Discovery depends on the entries of `folder`."""
        self.seen_dirs.add(str(folder))

    def probe(self, path: Path, levels: int = 1) -> None:
        """Discovery depends on whether `path` exists (and what it is): on its folder's entries, and on those of
        `levels - 1` folders above (a probe of `d/src/main/AndroidManifest.xml` depends on `d`, `d/src` ...),
        and on every link on the way (re-pointing a link changes the entries of its folder)."""
        parent = path.parent
        for _ in range(levels):
            text = str(parent)
            if text != self.real_root and not text.startswith(self._root_prefix):
                break  # above the scan root: discovery looks at nothing there
            self.seen_dirs.add(text)
            parent = parent.parent

    def is_file(self, path: Path) -> bool:
        self.probe(path)
        return path.is_file()

    def read(self, path: Path) -> None:
        """Discovery depends on the content of `path`."""
        self.probe(path)
        self.seen_files.add(str(path))

    def inside(self, path: Path) -> bool:
        """True when `path`, links resolved, is in the scan root (links leading out are not followed)."""
        try:
            real = os.path.realpath(path)
        except (OSError, ValueError):
            return False
        return real == self.real_root or real.startswith(self.real_root.rstrip(os.sep) + os.sep)

    def is_dir(self, path: Path) -> bool:
        """A folder inside the scan root."""
        self.probe(path)
        return path.is_dir() and self.inside(path)

    def iterdir(self, folder: Path) -> list[Path]:
        self.listed(folder)
        return sorted(folder.iterdir())

    def excluded(self, path: Path) -> bool:
        try:
            rel = path.relative_to(self.scan_root).as_posix()
        except ValueError:
            return False
        return any(fnmatch.fnmatch(rel, pat) or fnmatch.fnmatch(rel + "/", pat) for pat in self.excludes)

    def walk(self, top: Path) -> Iterator[tuple[Path, list[str], list[str]]]:
        if not self.inside(top):
            return
        self.probe(top)
        for dirpath, dirnames, filenames in os.walk(top, followlinks=False, onerror=None):
            self.seen_dirs.add(dirpath)
            d = Path(dirpath)
            dirnames[:] = sorted(n for n in dirnames if n not in SKIP_DIRS and not self.excluded(d / n))
            yield d, dirnames, sorted(n for n in filenames if not self.excluded(d / n))


def _sources_in(base: Path, walker: Walker) -> list[Path]:
    """Kotlin/Java files below a `java`/`kotlin` folder."""
    out: list[Path] = []
    if walker.is_dir(base):
        for d, _dirs, files in walker.walk(base):
            out += [d / f for f in files if f.endswith(SOURCE_SUFFIXES)]
    return out


def _value_files(names: Iterable[str]) -> list[str]:
    """The XML files of a `values*` folder that may hold `<string>`s: Android reads every one (`strings.xml`,
    `eula.xml`, `privacy.xml` …), `strings.xml` first."""
    return sorted((n for n in names if n.endswith(".xml")), key=lambda n: (n != "strings.xml", n))


def _res_files(res: Path, walker: Walker) -> tuple[list[Path], list[Path]]:
    """(`values*/*.xml`, `layout*/*.xml`) of a `res` folder."""
    strings: list[Path] = []
    layouts: list[Path] = []
    if walker.is_dir(res):
        for d in walker.iterdir(res):
            if d.name.startswith("values") and walker.is_dir(d):
                present = [p.name for p in walker.iterdir(d) if walker.is_file(p) and not walker.excluded(p)]
                strings += [d / n for n in _value_files(present)]
            elif d.name.startswith("layout") and walker.is_dir(d):
                layouts += [p for p in walker.iterdir(d) if p.suffix == ".xml" and not walker.excluded(p)]
    return strings, layouts


def _assets_in(base: Path, walker: Walker) -> list[Path]:
    out: list[Path] = []
    if walker.is_dir(base):
        for d, _dirs, files in walker.walk(base):
            out += [d / f for f in files]
    return out


def _source_set(ss_dir: Path, walker: Walker) -> SourceSet:
    manifest = ss_dir / "AndroidManifest.xml"
    walker.listed(ss_dir)
    sources = _sources_in(ss_dir / "java", walker) + _sources_in(ss_dir / "kotlin", walker)
    strings, layouts = _res_files(ss_dir / "res", walker)
    assets = _assets_in(ss_dir / "assets", walker)
    return SourceSet(ss_dir.name, manifest if manifest.is_file() and not walker.excluded(manifest) else None,
                     tuple(sources), tuple(strings), tuple(layouts), tuple(assets))


def _declared_dir(module_dir: Path, written: str, walker: Walker) -> Path:
    """A `sourceSets` path: relative to the module, absolute, or `$rootDir/...` (the nearest folder
    above the module with a settings file)."""
    if written.startswith("$rootDir/"):
        root = next((d for d in (module_dir, *module_dir.parents)
                     if any(walker.is_file(d / s) for s in SETTINGS_FILES)), module_dir)
        path = root / written[len("$rootDir/") :]
    else:
        path = module_dir / written
    walker.probe(path, len(path.parts))  # `../x`, links on the way
    return path


def _with_declared(ss: SourceSet | None, dirs: SourceDirs, module_dir: Path, walker: Walker) -> SourceSet:
    """A source set extended with the folders its `sourceSets { name { ... } }` block adds (every form adds;
    `manifest.srcFile` replaces the conventional manifest when the file exists)."""
    sources = list(ss.sources) if ss else []
    strings = list(ss.strings) if ss else []
    layouts = list(ss.layouts) if ss else []
    assets = list(ss.assets) if ss else []
    manifest = ss.manifest if ss else None
    for written in dirs.java:
        base = _declared_dir(module_dir, written, walker)
        if not walker.excluded(base):
            sources += _sources_in(base, walker)
    for written in dirs.res:
        more_strings, more_layouts = _res_files(_declared_dir(module_dir, written, walker), walker)
        strings += more_strings
        layouts += more_layouts
    for written in dirs.assets:
        assets += _assets_in(_declared_dir(module_dir, written, walker), walker)
    for written in dirs.manifests:
        path = _declared_dir(module_dir, written, walker)
        if walker.is_file(path) and walker.inside(path) and not walker.excluded(path):
            manifest = path
    return SourceSet(dirs.name, manifest, *(tuple(dict.fromkeys(x)) for x in (sources, strings, layouts, assets)))


def _merged_manifests(module_dir: Path, walker: Walker) -> tuple[Path, ...]:
    inter = module_dir / "build" / "intermediates"
    found: list[Path] = []
    for name in ("merged_manifests", "merged_manifest", "packaged_manifests"):
        base = inter / name
        if walker.is_dir(base):
            for dirpath, _dirs, _files in os.walk(base):  # what rglob lists (it follows no links either)
                walker.listed(Path(dirpath))
            found += sorted(p for p in base.rglob("AndroidManifest.xml") if p.is_file())
    return tuple(found)


def _jars(module_dir: Path, walker: Walker) -> tuple[Path, ...]:
    libs = module_dir / "libs"
    if not walker.is_dir(libs):
        return ()
    return tuple(p for p in walker.iterdir(libs) if p.suffix in (".jar", ".aar") and p.is_file())


def _module(name: str, module_dir: Path, build: BuildScript | None, walker: Walker) -> Module:
    sets: list[SourceSet] = []
    src = module_dir / "src"
    if walker.is_dir(src):
        for ss_dir in walker.iterdir(src):
            if ss_dir.is_dir() and not ss_dir.is_symlink() and not walker.excluded(ss_dir):
                sets.append(_source_set(ss_dir, walker))
    for dirs in build.source_dirs if build is not None else ():
        at = next((i for i, ss in enumerate(sets) if ss.name == dirs.name), None)
        extended = _with_declared(sets[at] if at is not None else None, dirs, module_dir, walker)
        if at is None:
            sets.append(extended)
        else:
            sets[at] = extended
    return Module(name, module_dir, build, tuple(sets), _merged_manifests(module_dir, walker),
                  _jars(module_dir, walker))


def _manifest_only_module(root: Path, walker: Walker, name: str = ":") -> Module:
    sources: list[Path] = []
    strings: list[Path] = []
    layouts: list[Path] = []
    for d, _dirs, files in walker.walk(root):
        sources += [d / f for f in files if f.endswith(SOURCE_SUFFIXES)]
        if d.parent.name == "res" and d.name.startswith("values"):
            strings += [d / n for n in _value_files(files)]
        if d.parent.name == "res" and d.name.startswith("layout"):
            layouts += [d / f for f in files if f.endswith(".xml")]
    ss = SourceSet("main", root / "AndroidManifest.xml", tuple(sources), tuple(strings), tuple(layouts), ())
    return Module(name, root, None, (ss,), _merged_manifests(root, walker), _jars(root, walker))


def discover(paths: Iterable[Path], scan_root: Path, reader: FileReader,
             excludes: Iterable[str] = (), walker: Walker | None = None) -> Discovery:
    """Find every project under `paths` (folders) or containing them (files). `walker` (a new one by default)
    records what was looked at."""
    walker = walker or Walker(scan_root, excludes)
    result = Discovery()
    roots: dict[Path, str] = {}  # project root -> kind
    for p in paths:
        walker.probe(p, len(p.parts))
        p = p.resolve()
        walker.probe(p, len(p.parts))
        if p.is_file():
            root, kind = find_root(p.parent, scan_root, walker)
            if root is not None:
                roots.setdefault(root, kind)
            continue
        for root, kind in _roots_below(p, walker):
            roots.setdefault(root, kind)
    # A root inside another Gradle project's module tree belongs to that project (no nested duplicates),
    # unless it has its own settings file (an included/independent build).
    ordered = sorted(roots.items(), key=lambda kv: len(kv[0].parts))
    kept: list[tuple[Path, str]] = []
    for root, kind in ordered:
        if kind != "gradle" and any(_inside(root, r) for r, _k in kept):
            continue
        kept.append((root, kind))
    for root, kind in kept:
        result.projects.append(_load(root, kind, reader, walker, result.diagnostics))
    return result


def _inside(child: Path, parent: Path) -> bool:
    return child != parent and parent in child.parents


def find_root(start: Path, scan_root: Path, walker: Walker | None = None) -> tuple[Path | None, str]:
    """Walk up from `start` to the nearest settings file, else the nearest module or manifest folder."""
    module: Path | None = None
    manifest_dir: Path | None = None
    top = scan_root.resolve()
    for d in (start, *start.parents):
        if walker is not None:
            walker.listed(d)
        if any((d / s).is_file() for s in SETTINGS_FILES):
            return d, "gradle"
        if module is None and any((d / b).is_file() for b in BUILD_FILES):
            module = d
        if manifest_dir is None and (d / "AndroidManifest.xml").is_file() and d.name not in ("main",):
            manifest_dir = d
        if d == top or (d / ".git").exists():
            break
    if module is not None:
        return module, "module"
    if manifest_dir is not None:
        return manifest_dir, "manifest-only"
    return None, ""


def _roots_below(top: Path, walker: Walker) -> Iterator[tuple[Path, str]]:
    gradle_roots: list[Path] = []
    module_roots: list[Path] = []
    for d, dirnames, files in walker.walk(top):
        names = set(files)
        if names & set(SETTINGS_FILES):
            gradle_roots.append(d)
            yield d, "gradle"
        elif names & set(BUILD_FILES):
            module_roots.append(d)
        elif "AndroidManifest.xml" in names and d.name != "main" and d.parent.name != "src" and \
                not any(_inside(d, r) or d == r for r in gradle_roots + module_roots):
            yield d, "manifest-only"
        if d.name == "src":
            dirnames[:] = []  # sources are collected per module
    for m in module_roots:
        if not any(_inside(m, r) or m == r for r in gradle_roots) and not any(_inside(m, o) for o in module_roots):
            yield m, "module"


def _load(root: Path, kind: str, reader: FileReader, walker: Walker,
          diags: list[Diagnostic]) -> Project:
    gradle_files: list[Path] = []
    unread: list[Path] = []
    if kind == "manifest-only":
        return Project(root, kind, None, None, (_manifest_only_module(root, walker),), ())
    settings = None
    settings_path: Path | None = None
    if kind == "gradle":
        settings_path = spath = next(root / s for s in SETTINGS_FILES if walker.is_file(root / s))
        walker.read(spath)
        text = reader.read_text(spath, diags)
        if text is not None:
            settings = read_settings(spath, text)
            _report(settings.errors, spath, reader, diags)
            gradle_files.append(spath)
        else:
            unread.append(spath)
    catalog = None
    catalog_paths = [root / "gradle" / "libs.versions.toml"]
    if settings is not None:
        catalog_paths += [root / c for c in settings.catalog_files]
    for cpath in catalog_paths:
        if catalog is None and walker.is_file(cpath):
            walker.read(cpath)
            text = reader.read_text(cpath, diags)
            if text is not None:
                catalog = read_version_catalog(cpath, text)
                _report(catalog.errors, cpath, reader, diags)
                gradle_files.append(cpath)
            else:
                unread.append(cpath)
    root_properties = _properties(root, reader, walker, diags, gradle_files)
    module_dirs: list[tuple[str, Path]] = []
    if settings is not None:
        for inc in settings.includes:
            rel = settings.project_dirs.get(inc) or inc.strip(":").replace(":", "/")
            mdir = _module_dir(root, rel, walker)
            if mdir is None:
                diags.append(Diagnostic(reader.rel(spath), f"module `{printable(inc[:200])}` is outside the project "
                                        "or not a usable folder; not read"))
            else:
                module_dirs.append((inc, mdir))
    if any(walker.is_file(root / b) for b in BUILD_FILES):
        module_dirs.insert(0, (":", root))
    fallback: list[tuple[str, Path]] = []
    if settings_path is not None and (settings is None or settings.errors or settings.unresolved_includes):
        fallback = _fallback_modules(root, {d for _n, d in module_dirs}, walker)
        module_dirs += fallback
        diags.append(Diagnostic(reader.rel(settings_path), _fallback_note(settings, fallback)))
    elif kind == "module":
        # A build file with no settings file beside it (a checkout without settings.gradle, a copied folder): Gradle
        # would build this folder alone, but the modules below it are the app's code. Read them, and say so.
        fallback = _fallback_modules(root, {root}, walker)
        if fallback:
            module_dirs += fallback
            bpath = next(root / b for b in BUILD_FILES if walker.is_file(root / b))
            diags.append(Diagnostic(reader.rel(bpath), _no_settings_note(fallback)))
    modules: list[Module] = []
    root_extra: dict[str, str] = {}
    for name, mdir in module_dirs:
        walker.probe(mdir)
        if not mdir.is_dir():
            if name != ":" and settings_path is not None:
                diags.append(Diagnostic(reader.rel(settings_path), f"module `{printable(name[:200])}`: its folder "
                                        f"`{printable(reader.rel(mdir)[:200])}` does not exist; not read"))
            continue
        walker.listed(mdir)
        if (name, mdir) in fallback and not any((mdir / b).is_file() for b in BUILD_FILES) \
                and (mdir / "AndroidManifest.xml").is_file():
            modules.append(_manifest_only_module(mdir, walker, name))
            continue
        build = None
        bpath = next((mdir / b for b in BUILD_FILES if (mdir / b).is_file()), None)
        if bpath is not None:
            walker.read(bpath)
            text = reader.read_text(bpath, diags)
            if text is not None:
                properties = {**root_properties, **root_extra,
                              **_properties(mdir, reader, walker, diags, gradle_files)} \
                    if mdir != root else root_properties
                build = read_build_script(bpath, text, catalog, properties)
                if mdir == root:  # the root project's `ext` properties are every sub-project's
                    root_extra = {**_applied_extra(root, build, catalog, root_properties, reader, walker, diags,
                                                   gradle_files), **build.extra}
                _report(build.errors, bpath, reader, diags)
                gradle_files.append(bpath)
            else:
                unread.append(bpath)
        module = _module(name, mdir, build, walker)
        if name == ":" and not module.source_sets and len(module_dirs) > 1:
            continue  # the usual root build file with no sources of its own
        modules.append(module)
    return Project(root, kind, settings, catalog, tuple(modules), tuple(gradle_files), tuple(unread))


def _applied_extra(root: Path, build: BuildScript, catalog: VersionCatalog | None, properties: dict[str, str],
                   reader: FileReader, walker: Walker, diags: list[Diagnostic],
                   gradle_files: list[Path]) -> dict[str, str]:
    """The `ext` properties of the scripts the root build applies (`apply from: "config.gradle"`, a file of the
    project): `ext { android = [targetSdkVersion: 32] }` there is `rootProject.ext.android.targetSdkVersion`."""
    out: dict[str, str] = {}
    for written in build.applied_scripts[:8]:
        if "://" in written or "$" in written:
            continue  # a URL or a computed path: not read
        path = (root / written).resolve()
        if not path.is_relative_to(root.resolve()) or not walker.is_file(path):
            continue
        walker.read(path)
        text = reader.read_text(path, diags)
        if text is None:
            continue
        gradle_files.append(path)
        out.update(read_build_script(path, text, catalog, properties).extra)
    return out


def _properties(folder: Path, reader: FileReader, walker: Walker, diags: list[Diagnostic],
                gradle_files: list[Path]) -> dict[str, str]:
    """The project properties of `folder`'s `gradle.properties` (`TARGET_SDK_VERSION=25`, referenced from the
    build scripts as `targetSdkVersion TARGET_SDK_VERSION as int`); {} without one."""
    path = folder / PROPERTIES_FILE
    if not walker.is_file(path):
        return {}
    walker.read(path)
    text = reader.read_text(path, diags)
    if text is None:
        return {}
    gradle_files.append(path)
    return read_properties(text)


def _fallback_modules(root: Path, known: set[Path], walker: Walker) -> list[tuple[str, Path]]:
    """Folders below `root` that look like modules — a build file, `src/main/AndroidManifest.xml`, or an
    `AndroidManifest.xml` beside Java/Kotlin sources — for when the settings file could not be read fully.
    Independent builds (their own settings file), `buildSrc` and `build-logic` are not modules of the app."""
    found: list[tuple[str, Path]] = []
    real_known = {Path(os.path.realpath(d)) for d in known}
    for d, dirnames, files in walker.walk(root):
        if d == root:
            dirnames[:] = [n for n in dirnames if n not in ("buildSrc", "build-logic", "gradle")]
            continue
        names = set(files)
        if names & set(SETTINGS_FILES):
            dirnames[:] = []  # an independent build, discovered as a project of its own
            continue
        if "src" in dirnames:
            dirnames.remove("src")  # sources are collected per module
        if Path(os.path.realpath(d)) in real_known:
            continue
        walker.probe(d / "src" / "main" / "AndroidManifest.xml", 3)
        module = bool(names & set(BUILD_FILES)) or (d / "src" / "main" / "AndroidManifest.xml").is_file()
        if not module and "AndroidManifest.xml" in names and d.name != "main":
            module = _has_sources(d, walker)
        if module:
            found.append((":" + d.relative_to(root).as_posix().replace("/", ":"), d))
    return found


def _has_sources(top: Path, walker: Walker) -> bool:
    return any(f.endswith(SOURCE_SUFFIXES) for _d, _dirs, files in walker.walk(top) for f in files)


def _fallback_note(settings: Settings | None, fallback: list[tuple[str, Path]]) -> str:
    if settings is None:
        why = "could not be read"
    elif settings.errors:
        why = "could not be parsed fully"
        if settings.includes:
            why += f"; the modules it names that were read ({_names(settings.includes)}) are analysed"
    else:
        why = f"names modules in a way pipl-lint cannot evaluate (`include` of {_names(settings.unresolved_includes)})"
    if fallback:
        return (f"settings {why}; also analysed {len(fallback)} folder{'s' if len(fallback) != 1 else ''} with a "
                f"build file or an AndroidManifest.xml and sources: {_names(tuple(n for n, _d in fallback))}")
    return f"settings {why}; no other folder with a build file or an AndroidManifest.xml and sources was found"


def _no_settings_note(fallback: list[tuple[str, Path]]) -> str:
    n = len(fallback)
    return (f"no settings.gradle[.kts] beside this build file, so Gradle would build this folder alone; also analysed "
            f"{n} folder{'s' if n != 1 else ''} below it with a build file or an AndroidManifest.xml and sources, as "
            f"modules of one project: {_names(tuple(name for name, _d in fallback))}")


def _names(names: tuple[str, ...], limit: int = 8) -> str:
    shown = ", ".join(f"`{printable(n[:100])}`" for n in names[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")


def _module_dir(root: Path, rel: str, walker: Walker) -> Path | None:
    """The folder of an included module, links resolved; None when it leads outside the scan root or
    cannot be resolved (a NUL byte, a link loop)."""
    walker.probe(root / rel, len((root / rel).parts))  # `..`, and links on the way
    try:
        mdir = Path(os.path.realpath(root / rel))
    except (OSError, ValueError):
        return None
    walker.probe(mdir, len(mdir.parts))
    if not walker.inside(mdir):
        return None
    return mdir


def _report(errors: Iterable[object], path: Path, reader: FileReader, diags: list[Diagnostic]) -> None:
    errs = list(errors)
    if errs:
        first = errs[0]
        line = getattr(first, "line", 0)
        col = getattr(first, "column", 0)
        msg = getattr(first, "message", str(first))
        more = f" (and {len(errs) - 1} more)" if len(errs) > 1 else ""
        diags.append(Diagnostic(reader.rel(path), f"could not fully parse: {msg}{more}", line, col))
