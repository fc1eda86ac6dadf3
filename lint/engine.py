"""One run: discover → read and parse → index → rules → suppress → filter → sorted findings.

The engine owns no analysis logic: it builds a `Context` per project and hands it to every selected
rule. A crash inside a rule becomes an internal-error diagnostic (exit code 2) without hiding what the
other rules found.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import os
import traceback
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import msgspec

from pipl_lint.config import Config, scan_root_patterns
from pipl_lint.coverage import Coverage, counted
from pipl_lint.findings import Category, Diagnostic, Finding
from pipl_lint.project.discover import ASSET_SUFFIXES, SOURCE_SUFFIXES, Discovery, Module, Project
from pipl_lint.project.discovery_cache import discover_cached
from pipl_lint.project.files import FileReader
from pipl_lint.registry import rule_ids
from pipl_lint.summaries import Loaded, SummaryStore

if TYPE_CHECKING:  # the analysis is imported only when a run is not reused from the cache
    from pipl_lint import incremental
    from pipl_lint.cache import Cache
    from pipl_lint.catalogs import Catalog
    from pipl_lint.model.manifest import Manifest
    from pipl_lint.model.resources import Resources
    from pipl_lint.model.summary import FileSummary
    from pipl_lint.ruleapi import Context, Rule


_T = TypeVar("_T")


@dataclass
class RunResult:
    scan_root: Path
    findings: list[Finding] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    projects: list[Project] = field(default_factory=list)
    contexts: list[Context] = field(default_factory=list)
    internal_error: bool = False
    suppressed: list[Finding] = field(default_factory=list)
    files_read: int = 0
    coverage: Coverage = field(default_factory=Coverage)


def read_manifest(reader: FileReader, path: Path, namespace: str | None,
                  diags: list[Diagnostic]) -> Manifest | None:
    from pipl_lint.model.manifest import build_manifest
    from pipl_lint.parse.xml import parse_xml

    text = reader.read_text(path, diags)
    if text is None:
        return None
    doc = parse_xml(text)
    rel = reader.rel(path)
    if doc.errors:
        diags.append(Diagnostic(rel, f"XML problem: {doc.errors[0]}"))
    return build_manifest(rel, doc, namespace)


def _resources(project: Project, reader: FileReader, diags: list[Diagnostic]) -> Resources:
    from pipl_lint.model.resources import Resources

    sets = [ss for mod in project.modules for ss in mod.source_sets if not ss.is_test]
    return Resources(
        strings=[p for ss in sets for p in ss.strings],
        layouts=[p for ss in sets for p in ss.layouts],
        assets=[p for ss in sets for p in ss.assets],
        read_text=lambda path: reader.read_text(path, diags),
        rel=reader.rel,
    )


def load_project_sources(project: Project, reader: FileReader, store: SummaryStore,
                         diags: list[Diagnostic]) -> Loaded:
    from pipl_lint.model.source import LANGUAGE_OF_SUFFIX

    sources = [p for mod in project.modules for p in mod.sources()]
    return store.load([(reader.rel(p), p, LANGUAGE_OF_SUFFIX[p.suffix]) for p in sources], diags)


def build_context(project: Project, scan_root: Path, config: Config, reader: FileReader,
                  store: SummaryStore, diags: list[Diagnostic],
                  summaries: list[FileSummary] | None = None, session: Session | None = None) -> Context:
    from pipl_lint.model import conventions
    from pipl_lint.model.index import ProgramIndex
    from pipl_lint.ruleapi import Context

    def build_logic(what: str, read: Callable[[Project, FileReader, list[Diagnostic]], _T], kind: Any) -> _T:
        if session is not None:
            return session.build_logic(what, project, reader, diags, read)
        return stored_build_logic(store.cache, what, kind, project, reader, diags, read)  # type: ignore[arg-type]

    # `implementation(Libs.X)` -> buildSrc's `Libs.X`
    constants = build_logic("constants", conventions.constants, dict[str, str])
    project = conventions.with_constants(project, constants)
    plugins = build_logic("plugins", conventions.convention_plugins, dict[str, conventions.ConventionPlugin])
    project = conventions.with_android_plugins(project, plugins)
    manifests: list[tuple[Module, Manifest]] = []
    manifest_sets: dict[str, str] = {}
    for mod in project.modules:
        for ss, path in mod.manifests():
            m = read_manifest(reader, path, mod.namespace, diags)
            if m is not None:
                manifests.append((mod, m))
                manifest_sets.setdefault(m.path, ss.name)
    if summaries is None:
        summaries = load_project_sources(project, reader, store, diags).decode(diags)
    index = ProgramIndex(summaries)
    ctx = Context(project, scan_root, config, stored_catalog(store.cache), index, manifests,  # type: ignore[arg-type]
                  _resources(project, reader, diags), reader.rel)
    ctx.convention_dependencies = conventions.convention_constants(conventions.module_dependencies(
        project, plugins), constants)
    ctx.merged = [(mod, m) for mod in project.modules for path in mod.merged_manifests
                  if (m := read_manifest(reader, path, mod.namespace, diags)) is not None]
    ctx.manifest_sets = manifest_sets
    return ctx


def run_rules(ctx: Context, rules: Sequence[Rule], config: Config, diags: list[Diagnostic],
              rel_root: str) -> tuple[list[Finding], bool]:
    """Every rule on one project, per variant (docs/architecture.md, Variants): rules read the union of
    the variants' code once; a finding is kept for the selected variants that contain its file, its trace
    and its dependency, and rules marked `per_variant` run again on each selected variant's manifests and
    dependencies. A finding that holds for some selected variants only is labelled with them."""
    from pipl_lint.model.sdk_modules import sdk_only
    from pipl_lint.project.variants import VariantScope, describe, select

    if sdk_only(ctx):  # a repository of SDKs: the rules for SDK providers (and the suppression rules) only
        rules = [r for r in rules if r.meta.category in (Category.SDK_PROVIDER, Category.SUPPRESSION)]
    scope = VariantScope(ctx.project, ctx.rel)
    selected, unknown = select(scope.variants, config.variants)
    if unknown:
        diags.append(Diagnostic(rel_root, f"no variant named {', '.join(unknown)} (known: "
                                f"{', '.join(v.name for v in scope.variants)[:500]}); analysing "
                                f"{', '.join(v.name for v in selected)[:500]}"))
    ctx.variant_sets, ctx.selected = scope.known_sets, selected
    names = [v.name for v in selected]
    wanted = frozenset(names)
    found: dict[Finding, set[str]] = {}
    internal_error = False
    groups = scope.manifest_dependency_groups(selected)
    views: list[tuple[Context, set[str]]] = []
    for rule in sorted(rules, key=lambda r: r.meta.per_variant):  # union rules first: their caches are shared
        if rule.meta.per_variant and not views:
            views = [(ctx.for_variant(group[0]), {v.name for v in group}) for group in groups]
        for view, group_names in views if rule.meta.per_variant else [(ctx, set())]:
            try:
                for f in rule.check(view):
                    if view.variant is not None:
                        where = set(group_names)
                    else:
                        where = scope.of_finding(f.path, f.span.line, (t.path for t in f.trace)) & wanted
                    found.setdefault(f, set()).update(where)
            except Exception as exc:  # noqa: BLE001 - one broken rule must not hide the others
                internal_error = True
                tb = traceback.extract_tb(exc.__traceback__)[-1]
                diags.append(Diagnostic(
                    rel_root, f"internal error in rule {rule.meta.id} ({rule.meta.name}): {type(exc).__name__}: "
                    f"{exc} at {Path(tb.filename).name}:{tb.lineno}"))
                break
    out: list[Finding] = []
    for f, where in found.items():
        if not where:
            continue  # only in variants that are not analysed (debug-only code, an unselected flavour)
        label = () if where == wanted else describe(where, selected)
        out.append(replace(f, variants=label) if label else f)
    return out, internal_error


class Session:
    """What a long-lived process (the language server) keeps between runs of the same workspace: each source file's
    decoded summary and read problems, by relative path and content key (`cache.content_key`: a hash of the bytes
    read), so that a run decodes only the files that changed since the previous one. Reuses values only for
    identical inputs, so results are those of a run without it; entries the last run did not use are dropped."""

    def __init__(self) -> None:
        self.decoded: dict[tuple[str, str], tuple[list[Diagnostic], list[FileSummary]]] = {}
        self._build_logic: dict[tuple[str, str], tuple[str, list[Diagnostic], Any]] = {}

    def build_logic(self, what: str, project: Project, reader: FileReader, diags: list[Diagnostic],
                    read: Callable[[Project, FileReader, list[Diagnostic]], _T]) -> _T:
        """`read(project, reader, diags)`, one of the readers of the project's build logic (`model.conventions`:
        its string constants, its convention plugins), kept while the build-logic files (`conventions.inputs`:
        every file those readers open), their unsaved buffers and the project's version catalog are the same."""
        key = build_logic_key(project, reader)
        known = self._build_logic.get((what, str(project.root)))
        if known is None or known[0] != key:
            problems: list[Diagnostic] = []
            known = self._build_logic[what, str(project.root)] = (key, problems, read(project, reader, problems))
        diags += known[1]
        return known[2]  # type: ignore[no-any-return]

    def decode(self, sources: Loaded, diags: list[Diagnostic]) -> list[FileSummary]:
        """`sources.decode(diags)`, with the unchanged files' summaries kept from the previous run."""
        out: list[FileSummary] = []
        for entry, key in zip(sources.entries, sources.keys, strict=True):
            known = self.decoded.get((entry[0], key))
            if known is None:
                problems: list[Diagnostic] = []
                known = self.decoded[entry[0], key] = (problems, Loaded([entry], [key]).decode(problems))
            diags += known[0]
            out += known[1]
        return out

    def keep_only(self, loaded: Iterable[Loaded]) -> None:
        """Drop what none of `loaded` uses (deleted files, previous versions of edited ones)."""
        used = {(entry[0], key) for sources in loaded for entry, key in zip(sources.entries, sources.keys, strict=True)}
        self.decoded = {k: v for k, v in self.decoded.items() if k in used}


def build_logic_key(project: Project, reader: FileReader) -> str:
    """What the readers of a project's build logic (`model.conventions`) depend on: the build-logic files (every
    file those readers open, `conventions.inputs`), their unsaved buffers and the project's version catalog."""
    from pipl_lint.cache import stat_signature
    from pipl_lint.model import conventions

    dirs = [str(d) for d in conventions.build_logic_dirs(project)]
    unsaved = sorted((path, hashlib.blake2b(data, digest_size=20).hexdigest())
                     for path, data in reader.overlay.items() if any(path.startswith(d + os.sep) for d in dirs))
    return repr((dirs, stat_signature(conventions.inputs(project)), unsaved, repr(project.catalog),
                 str(reader.scan_root), reader.max_bytes))


def stored_build_logic(cache: Cache | None, what: str, kind: Any, project: Project, reader: FileReader,
                       diags: list[Diagnostic], read: Callable[[Project, FileReader, list[Diagnostic]], _T]) -> _T:
    """`read(project, reader, diags)`, one of the readers of the project's build logic, kept in the cache (a value
    of type `kind`, with the problems it reported) while `build_logic_key` is the same: a run after a source edit
    does not parse the build logic again."""
    if cache is None:
        return read(project, reader, diags)
    from pipl_lint import __version__
    from pipl_lint.model.conventions import READER_VERSION

    # what the readers make of the same files changes with the tool: its version and the readers' own
    basis = f"build-logic|{what}|{__version__}|{READER_VERSION}|{project.root}|{build_logic_key(project, reader)}"
    key = hashlib.blake2b(basis.encode("utf-8", "surrogateescape"), digest_size=20).hexdigest()
    raw = cache.get_run(key)
    if raw is not None:
        try:
            problems, value = msgspec.msgpack.decode(raw, type=tuple[list[Diagnostic], kind])
        except (msgspec.DecodeError, msgspec.ValidationError, ValueError, TypeError):
            pass
        else:
            diags += problems
            return value  # type: ignore[no-any-return]
    found: list[Diagnostic] = []
    value = read(project, reader, found)
    cache.put_run(key, msgspec.msgpack.encode((found, value)))
    diags += found
    return value


_CATALOG_KEY = "catalog"
_catalog: list[Catalog] = []  # the one this process uses, once read


def stored_catalog(cache: Cache | None) -> Catalog:
    """`catalogs.load_catalog()`, kept in the cache's `meta` table while the tool version and the catalog files (their
    fingerprint, `catalog_fingerprint`) are the same: parsing and checking the TOML files takes 0.12 s, decoding the
    stored entries (against their exact types, like every cache entry) and indexing them again 10 ms. Read once per
    process."""
    from pipl_lint import __version__, catalogs

    if _catalog:
        return _catalog[0]
    if cache is None:
        return catalogs.load_catalog()
    signature = repr((__version__, catalogs.catalog_fingerprint()))
    kind = tuple[str, dict[str, catalogs.PiKind], tuple[catalogs.ApiEntry, ...], tuple[catalogs.Sdk, ...],
                 dict[str, catalogs.Permission], tuple[catalogs.AppType, ...], str]
    raw = cache.get_meta(_CATALOG_KEY)
    if raw is not None:
        with contextlib.suppress(msgspec.DecodeError, msgspec.ValidationError, ValueError, TypeError):
            stored, pi_kinds, apis, sdks, permissions, app_types, digest = msgspec.msgpack.decode(raw, type=kind)
            if stored == signature:  # the indexes are built again: they hold the same entries, not copies
                _catalog.append(catalogs.Catalog.of(pi_kinds, apis, sdks, permissions, app_types, digest))
                return _catalog[0]
    catalog = catalogs.load_catalog()
    cache.put_meta(_CATALOG_KEY, msgspec.msgpack.encode((signature, catalog.pi_kinds, catalog.apis, catalog.sdks,
                                                         catalog.permissions, catalog.app_types, catalog.digest)))
    _catalog.append(catalog)
    return catalog


class _RunPayload(msgspec.Struct, array_like=True):
    findings: list[Finding]
    diagnostics: list[Diagnostic]
    suppressed: list[Finding]
    files_read: int
    projects: int
    coverage: Coverage  # required: an entry written before coverage existed is not reused


def _inputs(projects: Iterable[Project], configs: Iterable[Config]) -> list[Path]:
    from pipl_lint.model import conventions

    paths: list[Path] = [c.path for c in configs if c.path]
    for project in projects:
        paths += project.files()
        paths += conventions.inputs(project)
        for mod in project.modules:
            paths += mod.merged_manifests
            paths += mod.jars
            for ss in mod.source_sets:
                paths += ss.assets
    return sorted(set(paths))


class _RunKeys:
    """The keys under which one run's results are stored (docs/architecture.md, Warm runs); the inputs are
    listed and stat'ed once."""

    def __init__(self, scan_root: Path, config: Config, plans: list[tuple[Config, Sequence[Rule]]],
                 projects: list[Project]) -> None:
        from pipl_lint import __version__
        from pipl_lint.cache import stat_signature
        from pipl_lint.catalogs import catalog_fingerprint

        self.signature = stat_signature(_inputs(projects, [config, *(c for c, _rules in plans)]))
        # The files whose summaries the summaries digest covers (not the build logic's Kotlin and Java sources).
        self.sources = {str(p) for project in projects for mod in project.modules for ss in mod.source_sets
                        for p in ss.sources}
        self.basis = (__version__, catalog_fingerprint(), repr(config),
                      [(repr(c), list(rule_ids(rules))) for c, rules in plans],
                      sorted(str(p.root) for p in projects), str(scan_root))

    def key(self, summaries_digest: str | None = None) -> str:
        """Without `summaries_digest`: every input's stat signature (nothing at all changed). With it: the other
        inputs' stat signatures plus the digest of all source summaries (the sources changed only in ways the
        analysis cannot see, such as comments or trailing whitespace), or the incremental step's marker."""
        signature = self.signature if summaries_digest is None else \
            [s for s in self.signature if s[0] not in self.sources]
        basis = repr((*self.basis, signature, summaries_digest))
        return hashlib.blake2b(basis.encode("utf-8", "surrogateescape"), digest_size=20).hexdigest()

    def moved(self, overlay: Mapping[str, bytes] | None) -> str:
        """The key of the incremental step's record: every input but the sources (whose summaries it compares),
        with the content of unsaved buffers of other files (a manifest edited in the editor)."""
        unsaved = sorted((path, hashlib.blake2b(data, digest_size=20).hexdigest())
                         for path, data in (overlay or {}).items() if not path.endswith(SOURCE_SUFFIXES))
        return self.key(f"incremental {unsaved}")


def _cached_run(cache: Cache, key: str, result: RunResult, projects: list[Project]) -> bool:
    cached = cache.get_run(key)
    if cached is None:
        return False
    try:
        payload = msgspec.msgpack.decode(cached, type=_RunPayload)
    except (msgspec.DecodeError, msgspec.ValidationError, ValueError, TypeError):
        return False
    result.findings, result.diagnostics = payload.findings, payload.diagnostics
    result.suppressed, result.files_read = payload.suppressed, payload.files_read
    result.coverage = payload.coverage
    result.projects = projects
    return True


def project_coverage(project: Project, summaries: Iterable[FileSummary], ctx: Context) -> Coverage:
    """What of `project` was read: its (non-test) sources, manifests and Gradle files."""
    from pipl_lint.model.source import LANGUAGE_OF_SUFFIX

    coverage = Coverage(projects=1, modules=len(project.modules))
    total: dict[str, int] = {}
    for mod in project.modules:
        for path in mod.sources():
            lang = LANGUAGE_OF_SUFFIX[path.suffix]
            total[lang] = total.get(lang, 0) + 1
    read: dict[str, int] = {}
    for summary in summaries:
        lang = LANGUAGE_OF_SUFFIX.get(Path(summary.path).suffix)
        if lang is not None:
            read[lang] = read.get(lang, 0) + 1
    for lang, n in total.items():
        coverage += counted(lang, read.get(lang, 0), n - read.get(lang, 0))
    attempted = sum(1 for mod in project.modules for _m in mod.manifests())
    parsed = sum(1 for m in ctx.manifests if m.root is not None)
    coverage += counted("manifest", parsed, attempted - parsed)
    return coverage + counted("gradle", len(project.gradle_files), len(project.gradle_unread))


ProjectPlan = Callable[[Path], tuple[Config, Sequence["Rule"]]]
"""The configuration and the rules for the project rooted at a folder."""


def _discover(paths: Sequence[Path], scan_root: Path, reader: FileReader, config: Config,
              per_project: ProjectPlan | None,
              cache: Cache | None = None) -> tuple[Discovery, list[tuple[Config, Sequence[Rule]]]]:
    """The projects, found with the run's `exclude`; a project whose own configuration excludes other files is
    looked at again with those."""
    found = discover_cached(paths, scan_root, reader, scan_root_patterns(config, scan_root), cache)
    if per_project is None:
        return found, []
    projects: list[Project] = []
    plans: list[tuple[Config, Sequence[Rule]]] = []
    for project in found.projects:
        own, rules = per_project(project.root)
        if own.exclude and own != config:
            again = discover_cached([project.root], scan_root, reader, scan_root_patterns(own, scan_root), cache)
            found.diagnostics += [d for d in again.diagnostics if d not in found.diagnostics]
            again_projects = [p for p in again.projects if p.root == project.root]
        else:
            again_projects = [project]
        projects += again_projects
        plans += [(own, rules)] * len(again_projects)
    found.projects = projects
    return found, plans


def run(paths: Sequence[Path], scan_root: Path, config: Config, rules: Iterable[Rule],
        only_files: frozenset[str] | None = None, store: SummaryStore | None = None,
        cache: Cache | None = None, keep_contexts: bool = False, per_project: ProjectPlan | None = None,
        overlay: Mapping[str, bytes] | None = None, session: Session | None = None) -> RunResult:
    """Analyse the projects under `paths`. With a `cache`, unchanged files are not re-parsed and an
    unchanged project (same inputs, configuration, rules and tool version) is not re-analysed.

    `config` and `rules` apply to every project, unless `per_project` gives each project its own (the nearest
    configuration file); `config` still decides what applies to the run as a whole (`max-file-size`,
    `parse-timeout`, and `exclude` while looking for projects). `overlay` (real path → bytes) replaces files
    on disk (unsaved editor buffers); whole-run results, keyed by the files' stat signatures, are then
    neither reused nor stored, but the incremental step (`pipl_lint.incremental`) still applies. A `session` keeps
    decoded summaries in memory from one run to the next (`Session`)."""
    scan_root = scan_root.resolve()
    reader = FileReader(scan_root, config.max_file_size, overlay)
    result = RunResult(scan_root)
    store = store or SummaryStore(reader, config.parse_timeout, cache)
    found, plans = _discover(paths, scan_root, reader, config, per_project, cache)
    rules = rules if isinstance(rules, Sequence) else tuple(rules)
    plans = plans or [(config, rules)] * len(found.projects)
    run_keys: list[str] = []  # nothing changed; no summary changed
    reuse = cache is not None and not keep_contexts
    keys = _RunKeys(scan_root, config, plans, found.projects) if reuse else None
    if keys is not None and cache is not None and not overlay:
        run_keys.append(keys.key())
        if _cached_run(cache, run_keys[0], result, found.projects):
            return _only(result, only_files)
    result.diagnostics += found.diagnostics
    result.projects = found.projects
    loaded = [load_project_sources(p, reader, store, result.diagnostics) for p in found.projects]
    if keys is not None and cache is not None and not overlay:
        run_keys.append(keys.key(store.digest.hexdigest()))
        if _cached_run(cache, run_keys[1], result, found.projects):
            payload = cache.get_run(run_keys[1]) or b""
            cache.put_run(run_keys[0], payload)
            _remember(cache, keys.moved(overlay), loaded, payload)
            return _only(result, only_files)
    moved_key = keys.moved(overlay) if keys is not None else None
    if moved_key is not None and cache is not None and \
            _moved_run(cache, moved_key, loaded, result, found.projects, _unread(cache, found.projects, plans, reader)):
        payload = _encode(result)
        for key in run_keys:
            cache.put_run(key, payload)
        _remember(cache, moved_key, loaded, payload)
        return _only(result, only_files)
    from pipl_lint.suppress import apply_suppressions

    if session is not None:
        session.keep_only(loaded)
    for project, sources, (own, own_rules) in zip(found.projects, loaded, plans, strict=True):
        with _long_lived() as keep:
            summaries = sources.decode(result.diagnostics) if session is None else \
                session.decode(sources, result.diagnostics)
            keep()
            ctx = build_context(project, scan_root, own, reader, store, result.diagnostics, summaries, session)
            keep()
            result.coverage += project_coverage(project, summaries, ctx)
            result.contexts.append(ctx)
            produced, failed = run_rules(ctx, own_rules, own, result.diagnostics, reader.rel(project.root) or ".")
        result.internal_error |= failed
        kept, suppressed, notes = apply_suppressions(produced, ctx)
        result.findings += kept
        result.suppressed += suppressed
        result.diagnostics += notes
        if not keep_contexts:
            result.contexts.clear()
        del summaries, ctx  # not held while the next project is decoded: one project's analysis in memory at a time
    result.files_read = store.files_summarized
    result.findings = sorted(set(result.findings), key=lambda f: f.sort_key)
    result.diagnostics = sorted(set(result.diagnostics), key=lambda d: d.sort_key)
    if reuse and cache is not None and not result.internal_error and store.complete:
        payload = _encode(result)
        for key in run_keys:
            cache.put_run(key, payload)
        if moved_key is not None:
            _remember(cache, moved_key, loaded, payload)
    return _only(result, only_files)


@contextlib.contextmanager
def _long_lived() -> Iterator[Callable[[], None]]:
    """Gives `keep()`, which exempts every object that exists at that moment (a project's summaries, then its index
    and context: millions of objects, all alive until its rules are done) from the garbage collector's full
    collections, which would otherwise walk them again and again; they are collectable again afterwards. Meanwhile
    the collector does not run at all: decoding and analysing make little cyclic garbage (the peak memory of the 71
    corpus apps grew by 4 MB at most, the largest's not at all), and its thousand collections of young objects took
    0.1 s of 2 on a 280,000-line app.
    Changes no result, only the time."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield gc.freeze
    finally:
        gc.unfreeze()
        if enabled:
            gc.enable()


def _encode(result: RunResult) -> bytes:
    return msgspec.msgpack.encode(_RunPayload(result.findings, result.diagnostics, result.suppressed,
                                              result.files_read, len(result.projects), result.coverage))


def _remember(cache: Cache, key: str, loaded: list[Loaded], payload: bytes) -> None:
    """Keep the run's files and results for the incremental step of the next run (`pipl_lint.incremental`)."""
    from pipl_lint.incremental import Remembered

    cache.put_run(key, msgspec.msgpack.encode(Remembered([sources.files for sources in loaded], payload)))


def _moved_run(cache: Cache, key: str, loaded: list[Loaded], result: RunResult, projects: list[Project],
               unread: Callable[[dict[str, bytes]], incremental.Unread] | None = None) -> bool:
    """The previous run's results moved to the new positions, when the changed files' summaries differ from the
    previous ones in positions only, or also by functions nothing uses (`pipl_lint.incremental`); False when that
    cannot be proved."""
    from pipl_lint import incremental

    raw = cache.get_run(key)
    if raw is None:
        return False
    try:
        before = msgspec.msgpack.decode(raw, type=incremental.Remembered)
        previous = msgspec.msgpack.decode(before.payload, type=_RunPayload)
        if len(before.projects) != len(loaded):
            return False
        changed = [c for old, sources in zip(before.projects, loaded, strict=True)
                   for c in incremental.changed_files(old, sources.files)]
        entries = {rel: encoded for sources in loaded for rel, encoded, _job in sources.entries}
        shifts = incremental.shifts_for(cache, changed, entries, unread(entries) if unread is not None else None)
        findings = incremental.move_findings(previous.findings, shifts)
        suppressed = incremental.move_findings(previous.suppressed, shifts)
        diagnostics = incremental.move_diagnostics(previous.diagnostics, shifts)
    except (incremental.Mismatch, msgspec.DecodeError, msgspec.ValidationError, ValueError, TypeError):
        return False
    result.findings = sorted(findings, key=lambda f: f.sort_key)
    result.diagnostics = sorted(diagnostics, key=lambda d: d.sort_key)
    result.suppressed, result.files_read = suppressed, previous.files_read
    result.coverage, result.projects = previous.coverage, projects
    return True


def _unread(cache: Cache, projects: list[Project], plans: list[tuple[Config, Sequence[Rule]]],
            reader: FileReader) -> Callable[[dict[str, bytes]], incremental.Unread]:
    """What `incremental.Unread` searches for the names of functions an edit added or removed, read only when
    asked: the projects' manifests, layouts, string resources, text assets and configuration, and the source files
    of the modules that may be published SDKs (`publication.may_publish`, with the build logic's constants as
    stored by the previous run)."""
    from pipl_lint import incremental

    def texts() -> Iterator[bytes]:
        for config, _rules in plans:
            yield repr(config).encode("utf-8", "surrogateescape")
        for project in projects:
            for mod in project.modules:
                yield from (data for path in mod.merged_manifests if (data := reader.read_bytes(path, [])))
                for ss in mod.source_sets:
                    paths = [*([ss.manifest] if ss.manifest else []), *ss.layouts, *ss.strings,
                             *(p for p in ss.assets if p.suffix.lower() in ASSET_SUFFIXES)]
                    yield from (data for path in paths if (data := reader.read_bytes(path, [])))

    def sdk() -> set[str]:
        from pipl_lint.model import conventions
        from pipl_lint.project.publication import may_publish

        out: set[str] = set()
        for project, (config, _rules) in zip(projects, plans, strict=True):
            constants = stored_build_logic(cache, "constants", dict[str, str], project, reader, [],
                                           conventions.constants)
            built = conventions.with_constants(project, constants)
            out |= {reader.rel(p) for mod in built.modules if may_publish(mod, built.root, config)
                    for p in mod.sources()}
        return out

    return lambda entries: incremental.Unread(cache, entries, texts, sdk)


def _only(result: RunResult, only_files: frozenset[str] | None) -> RunResult:
    """Keep the findings located in, or whose trace passes through, the given files (pre-commit mode).
    The whole project is always analysed (and cached) first: cross-file facts need it."""
    if only_files is not None:
        result.findings = [f for f in result.findings if f.touches(only_files)]
    return result
