"""One run: discover → read and parse → index → rules → suppress → filter → sorted findings.

The engine owns no analysis logic: it builds a `Context` per project and hands it to every selected
rule. A crash inside a rule becomes an internal-error diagnostic (exit code 2) without hiding what the
other rules found.
"""

from __future__ import annotations

import traceback
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pipl_lint.catalogs import load_catalog
from pipl_lint.config import Config
from pipl_lint.findings import Diagnostic, Finding
from pipl_lint.model.index import ProgramIndex
from pipl_lint.model.manifest import Manifest, build_manifest
from pipl_lint.model.resources import Layout, Resources
from pipl_lint.model.source import LANGUAGE_OF_SUFFIX
from pipl_lint.model.summary import FileSummary
from pipl_lint.parse.xml import parse_xml
from pipl_lint.project.discover import Module, Project, discover
from pipl_lint.project.files import FileReader
from pipl_lint.ruleapi import Context, Rule
from pipl_lint.summaries import SummaryStore
from pipl_lint.suppress import apply_suppressions

ASSET_SUFFIXES = (".html", ".htm", ".txt", ".md")
MAX_ASSET_BYTES = 2 * 1024 * 1024


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


def read_manifest(reader: FileReader, path: Path, namespace: str | None,
                  diags: list[Diagnostic]) -> Manifest | None:
    text = reader.read_text(path, diags)
    if text is None:
        return None
    doc = parse_xml(text)
    rel = reader.rel(path)
    if doc.errors:
        diags.append(Diagnostic(rel, f"XML problem: {doc.errors[0]}"))
    return build_manifest(rel, doc, namespace)


def _resources(project: Project, reader: FileReader, diags: list[Diagnostic]) -> Resources:
    res = Resources()
    for mod in project.modules:
        for ss in mod.source_sets:
            if ss.is_test:
                continue
            for path in ss.strings:
                text = reader.read_text(path, diags)
                if text is not None:
                    doc = parse_xml(text)
                    res.add_strings(reader.rel(path), doc.root)
            for path in ss.layouts:
                text = reader.read_text(path, diags)
                if text is not None:
                    doc = parse_xml(text)
                    if doc.root is not None:
                        res.layouts.append(Layout(path.stem, reader.rel(path), doc.root))
            for path in ss.assets:
                if path.suffix.lower() in ASSET_SUFFIXES:
                    try:
                        if path.stat().st_size > MAX_ASSET_BYTES:
                            continue
                    except OSError:
                        continue
                    text = reader.read_text(path, diags)
                    if text is not None:
                        res.assets.append((reader.rel(path), text))
    return res


def build_context(project: Project, scan_root: Path, config: Config, reader: FileReader,
                  store: SummaryStore, diags: list[Diagnostic]) -> Context:
    manifests: list[tuple[Module, Manifest]] = []
    for mod in project.modules:
        for _ss, path in mod.manifests():
            m = read_manifest(reader, path, mod.namespace, diags)
            if m is not None:
                manifests.append((mod, m))
    sources = [p for mod in project.modules for p in mod.sources()]
    summaries: list[FileSummary] = store.summarize(
        [(reader.rel(p), p, LANGUAGE_OF_SUFFIX[p.suffix]) for p in sources], diags)
    index = ProgramIndex(summaries)
    ctx = Context(project, scan_root, config, load_catalog(), index, manifests,
                  _resources(project, reader, diags), reader.rel)
    ctx.merged = [(mod, m) for mod in project.modules for path in mod.merged_manifests
                  if (m := read_manifest(reader, path, mod.namespace, diags)) is not None]
    return ctx


def run(paths: Sequence[Path], scan_root: Path, config: Config, rules: Iterable[Rule],
        only_files: frozenset[str] | None = None, store: SummaryStore | None = None) -> RunResult:
    scan_root = scan_root.resolve()
    reader = FileReader(scan_root, config.max_file_size)
    result = RunResult(scan_root)
    store = store or SummaryStore(reader, config.parse_timeout)
    found = discover(paths, scan_root, reader, config.exclude)
    result.diagnostics += found.diagnostics
    result.projects = found.projects
    rules = list(rules)
    for project in found.projects:
        ctx = build_context(project, scan_root, config, reader, store, result.diagnostics)
        result.contexts.append(ctx)
        produced: list[Finding] = []
        for rule in rules:
            try:
                produced += list(rule.check(ctx))
            except Exception as exc:  # noqa: BLE001 - one broken rule must not hide the others
                result.internal_error = True
                where = traceback.extract_tb(exc.__traceback__)[-1]
                result.diagnostics.append(Diagnostic(
                    reader.rel(project.root) or ".",
                    f"internal error in rule {rule.meta.id} ({rule.meta.name}): {type(exc).__name__}: {exc} "
                    f"at {Path(where.filename).name}:{where.lineno}"))
        kept, suppressed, notes = apply_suppressions(produced, ctx)
        result.findings += kept
        result.suppressed += suppressed
        result.diagnostics += notes
    result.files_read = store.files_summarized
    if only_files is not None:
        result.findings = [f for f in result.findings if f.touches(only_files)]
    result.findings = sorted(set(result.findings), key=lambda f: f.sort_key)
    result.diagnostics = sorted(set(result.diagnostics), key=lambda d: d.sort_key)
    return result
