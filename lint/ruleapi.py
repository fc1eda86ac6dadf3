"""What a rule needs: its metadata type, the analysis context it checks, and a finding builder.

A rule is one module under `rules/<category>/` holding a docstring in fixed sections (What it does /
Why is this bad? / Example / Use instead / Fix safety / Limitations / References), a `META` and a
`check(ctx)` generator. Rules import this module, the model and the catalogs — never the engine.
"""

from __future__ import annotations

import copy
import functools
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pipl_lint import i18n
from pipl_lint.catalogs import Catalog, Sdk
from pipl_lint.config import Config
from pipl_lint.findings import Applicability, Category, Edit, Finding, Severity, Span, TraceStep, Translation
from pipl_lint.model.consent import ConsentModel
from pipl_lint.model.consent_flow import agreed_keys, consent_uis
from pipl_lint.model.conventions import ConventionDependency
from pipl_lint.model.entrypoints import find_entries
from pipl_lint.model.index import FnId, ProgramIndex
from pipl_lint.model.manifest import Manifest
from pipl_lint.model.matching import ApiMatcher, SdkMatcher
from pipl_lint.model.permission_usage import PermissionUsage
from pipl_lint.model.reach import Entry, PreConsent
from pipl_lint.model.requests import PermissionRequest, RequestFinder
from pipl_lint.model.resources import Resources
from pipl_lint.model.summary import Site
from pipl_lint.project.discover import Module, Project
from pipl_lint.project.gradle import Dependency
from pipl_lint.project.variants import Variant, configuration_source_set

_M = TypeVar("_M")

RULE_ID = re.compile(r"^[A-Z]{2}\d{3}$")
RULE_NAME = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)+$")
SECTIONS = ("What it does", "Why is this bad?", "Example", "Use instead", "Fix safety", "Limitations",
            "References")
REQUIRED_SECTIONS = ("What it does", "Why is this bad?", "Use instead", "Limitations")


@dataclass(frozen=True, slots=True)
class RuleMeta:
    id: str  # EC101: category letters + number; never reused
    name: str  # kebab-case, names the bad pattern: "pi-api-before-consent"
    category: Category
    severity: Severity
    summary: str  # one line
    fix: str  # the generic fix; findings usually carry a specific one
    references: tuple[str, ...]  # regulation / policy citations ("PIPL Art. 13", "191号文 三.1")
    since: str = "0.1.0"
    fixable: bool = False
    # Run once per analysed variant instead of once on the union of all variants: rules whose verdict
    # depends on the variant's merged manifest or dependencies (see docs/architecture.md, Variants).
    per_variant: bool = False
    # Named English templates of the rule's messages and specific fixes (`ctx.say`, `ctx.fix_text`); their
    # Chinese renderings live in rules/data/i18n/zh.toml under the rule id.
    messages: Mapping[str, str] = field(default_factory=dict, compare=False)
    fixes: Mapping[str, str] = field(default_factory=dict, compare=False)


@dataclass(frozen=True, slots=True)
class Rule:
    meta: RuleMeta
    doc: str
    check: Callable[[Context], Iterator[Finding]]
    module: str

    @property
    def sections(self) -> dict[str, str]:
        return parse_sections(self.doc)

    @property
    def explanation(self) -> str:
        return self.doc.strip()

    def explanation_in(self, lang: str) -> str:
        return i18n.rule_text(self.meta.id, "explanation", lang, self.explanation)

    def summary_in(self, lang: str) -> str:
        return i18n.rule_text(self.meta.id, "summary", lang, self.meta.summary)

    def fix_in(self, lang: str) -> str:
        return i18n.rule_text(self.meta.id, "fix", lang, self.meta.fix)


def parse_sections(doc: str) -> dict[str, str]:
    """`## Heading` → text, in the order written."""
    out: dict[str, str] = {}
    current = ""
    lines: list[str] = []
    for line in doc.strip().splitlines():
        if line.startswith("## "):
            if current:
                out[current] = "\n".join(lines).strip()
            current, lines = line[3:].strip(), []
        else:
            lines.append(line)
    if current:
        out[current] = "\n".join(lines).strip()
    return out


@dataclass(frozen=True, slots=True)
class ModuleSdk:
    """A catalogued SDK found among a module's dependencies."""

    sdk_id: str
    module: Module
    dependency: Dependency | None  # None when found as a jar/aar in libs/
    path: str  # the build file (or jar) relative to the scan root
    line: int
    column: int
    coordinate: str

    @property
    def version(self) -> str | None:
        """The dependency's version as declared (None for a jar, or when it has none)."""
        return self.dependency.version if self.dependency else None

    @property
    def source_set(self) -> str:
        """The source set that ships it: its configuration's (`fullImplementation` → `full`), `main` for a jar."""
        return configuration_source_set(self.dependency.configuration) if self.dependency else "main"


class Context:
    """Everything rules may read about one project, computed lazily and shared between rules."""

    def __init__(self, project: Project, scan_root: Path, config: Config, catalog: Catalog,
                 index: ProgramIndex, manifests: list[tuple[Module, Manifest]], resources: Resources,
                 rel: Callable[[Path], str]) -> None:
        self.project = project
        self.scan_root = scan_root
        self.config = config
        self.catalog = catalog
        self.index = index
        self.module_manifests = manifests
        self.resources = resources
        # module name -> dependencies added by the convention plugins it applies (model/conventions.py)
        self.convention_dependencies: dict[str, list[ConventionDependency]] = {}
        self.rel = rel
        self.apis = ApiMatcher(index, catalog)
        self.sdk_calls = SdkMatcher(index, catalog, lambda sdk_id: any(s.sdk_id == sdk_id for s in self.sdks))
        self.merged: list[tuple[Module, Manifest]] = []  # build-output merged manifests, when present
        self.manifest_sets: dict[str, str] = {}  # manifest path -> its source set's name
        self.variant: Variant | None = None  # set on the per-variant views (`for_variant`)
        self.variant_sets: frozenset[str] = frozenset()  # source-set names some variant of the project has
        self.selected: tuple[Variant, ...] = ()  # the analysed variants (empty: no variant information)
        self._memo: dict[str, Any] = {}  # `memo`: values models and rule families compute once per context
        self._code_memo: dict[object, Any] = {}  # `code_memo`: the same dict in every variant view

    def for_variant(self, variant: Variant) -> Context:
        """A view of this context restricted to one variant: its manifests and dependencies. Everything
        computed on the union (index, consent model, reachability) is shared, not recomputed."""
        view = copy.copy(self)
        for name in ("sdks", "permission_usage"):  # the variant's own dependencies and manifests
            view.__dict__.pop(name, None)
        view.variant = variant
        view._memo = {}  # memoised values may depend on the variant's manifests and dependencies
        return view

    def memo(self, key: str, build: Callable[[], _M]) -> _M:
        """A value computed once per context (per variant view) and shared by whoever asks for it: the models
        and the rule families. Keys are namespaced by their owner (`consent-flow:startup`,
        `excessive-permission:startup`), so two owners never read each other's value."""
        if key not in self._memo:
            self._memo[key] = build()
        return self._memo[key]  # type: ignore[no-any-return]

    def code_memo(self, key: object, build: Callable[[], _M]) -> _M:
        """Like `memo`, for values that depend only on the code and the catalogs, not on the variant's manifests
        or dependencies: computed once per project and shared by its variant views."""
        if key not in self._code_memo:
            self._code_memo[key] = build()
        return self._code_memo[key]  # type: ignore[no-any-return]

    def in_variant(self, source_set: str) -> bool:
        """Whether a source set (of any module) is part of the current variant (of some analysed variant,
        on the union). A name no variant has
        (an unused or unrecognised folder) counts as everywhere: over-reading beats a silent miss."""
        if source_set not in self.variant_sets:
            return True
        if self.variant is None:  # the union: in some analysed variant
            return not self.selected or any(source_set in v.source_sets for v in self.selected)
        return source_set in self.variant.source_sets

    # --- manifests and modules -------------------------------------------------------------------------
    @property
    def manifests(self) -> list[Manifest]:
        return [m for _mod, m in self.module_manifests]

    def app_manifests(self) -> list[Manifest]:
        """Manifests of application modules (and of manifest-only projects), main source sets first."""
        apps = [m for mod, m in self.module_manifests if mod.is_application]
        return sorted(apps, key=lambda m: "/src/main/" not in f"/{m.path}")

    def variant_manifests(self) -> list[Manifest]:
        """The manifests the current variant merges, highest priority first (Android's merger: the app's
        variant > build type > flavour combination > flavours in dimension order > main, then the library
        modules' in the same order). Without a variant: every shipped manifest (no debug or test) of some
        analysed variant, variant-specific ones before main, the app's before the libraries'."""
        order = self.variant.source_sets if self.variant is not None else ()

        def rank(item: tuple[Module, Manifest]) -> tuple[bool, float]:
            mod, m = item
            name = self.manifest_sets.get(m.path, "main")
            if self.variant is None:
                return (not mod.is_application, float(name == "main"))
            return (not mod.is_application,
                    order.index(name) if name in order else len(order) - 1.5)  # unknown sets: just above main

        chosen = [(mod, m) for mod, m in self.module_manifests
                  if self.in_variant(name := self.manifest_sets.get(m.path, "main"))
                  and (self.variant is not None or name != "debug")]
        return [m for _mod, m in sorted(chosen, key=rank)]

    def app_modules(self) -> list[Module]:
        return [m for m in self.project.modules if m.is_application]

    def target_sdk(self) -> int | None:
        values = [m.build.target_sdk for m in self.app_modules() if m.build and m.build.target_sdk]
        values += [m.target_sdk for m in self.app_manifests() if m.target_sdk]
        return max(values) if values else None

    def min_sdk(self) -> int | None:
        values = [m.build.min_sdk for m in self.app_modules() if m.build and m.build.min_sdk]
        values += [m.min_sdk for m in self.app_manifests() if m.min_sdk]
        return min(values) if values else None

    @functools.cached_property
    def sdks(self) -> list[ModuleSdk]:
        """Catalogued SDKs among the Gradle dependencies (also those convention plugins add) and the shipped
        jars of every module."""
        from pipl_lint.project.jars import shipped_jars, ships

        out: list[ModuleSdk] = []
        for mod in self.project.modules:
            if mod.build is not None:
                path = self.rel(mod.build.path)
                for dep in mod.build.dependencies:
                    if not self.in_variant(configuration_source_set(dep.configuration)):
                        continue
                    if not dep.group or dep.configuration.lower().startswith(("test", "androidtest", "classpath",
                                                                             "kapt", "ksp", "annotation")):
                        continue
                    sdk = self._sdk_for(dep.group, dep.name)
                    if sdk is not None:
                        coord = ":".join(x for x in (dep.group, dep.name, dep.version) if x)
                        out.append(ModuleSdk(sdk.id, mod, dep, path, dep.line, dep.column, coord))
            for conv in self.convention_dependencies.get(mod.name, ()):
                dep = conv.dependency
                if not self.in_variant(configuration_source_set(dep.configuration)):
                    continue
                if dep.group and ships(dep.configuration):
                    sdk = self._sdk_for(dep.group, dep.name)
                    if sdk is not None:
                        coord = ":".join(x for x in (dep.group, dep.name, dep.version) if x)
                        out.append(ModuleSdk(sdk.id, mod, dep, conv.path, max(dep.line, 1), max(dep.column, 1),
                                             coord))
            for jar, jar_dep in shipped_jars(mod, self.project.root, self.scan_root):
                if jar_dep is not None and not self.in_variant(configuration_source_set(jar_dep.configuration)):
                    continue
                for sdk in self.catalog.sdks_for_jar(jar.name):
                    out.append(ModuleSdk(sdk.id, mod, None, self.rel(jar), 1, 1, jar.name))
        return out

    def _sdk_for(self, group: str, artifact: str | None) -> Sdk | None:
        """`catalog.sdk_for_coordinate`, asked once per coordinate (the variant views share the answers)."""
        return self.code_memo(("sdk-for-coordinate", group, artifact),
                              lambda: self.catalog.sdk_for_coordinate(group, artifact))

    def sdk_present(self, sdk_id: str) -> ModuleSdk | None:
        return next((s for s in self.sdks if s.sdk_id == sdk_id), None)

    # --- code ------------------------------------------------------------------------------------------
    @functools.cached_property
    def consent(self) -> ConsentModel:
        off: set[str] = {"DEBUG"}
        builds = [m.build for m in self.project.modules if m.build is not None]
        if builds:  # a flag counts as off when every module that declares it has it off in shipped builds
            declared = [(b.flags_off_when_shipped(), {n for _w, n, _v in b.build_config_flags}) for b in builds]
            names = set().union(*(d for _o, d in declared))
            off |= {n for n in names if all(n in o for o, d in declared if n in d)}
        named = ConsentModel(self.index, self.config.consent_predicates, frozenset(off))
        learned = agreed_keys(self, named.key_texts)
        screens = frozenset(ui.owner for ui in consent_uis(self) if ui.agree and ui.policy)
        if (not learned or all(named.is_consent_key([t]) for t in learned)) and not screens:
            return named
        return ConsentModel(self.index, self.config.consent_predicates, frozenset(off), learned, screens)

    @functools.cached_property
    def entries(self) -> list[Entry]:
        return find_entries(self.index, self.manifests)

    @functools.cached_property
    def pre_consent(self) -> PreConsent:
        return PreConsent(self.index, self.consent, self.entries)

    @functools.cached_property
    def request_finder(self) -> RequestFinder:
        return RequestFinder(self.index, self.config.permission_wrappers)

    @functools.cached_property
    def permission_requests(self) -> list[PermissionRequest]:
        """Every runtime permission request in the project's code, with its resolved permissions."""
        return list(self.request_finder.requests())

    @functools.cached_property
    def permission_usage(self) -> PermissionUsage:
        """Declared permissions and what uses each (code, manifests, requests, SDKs); see model/permission_usage.py."""
        return PermissionUsage.build(self)

    def sites(self, *names: str) -> Iterator[tuple[FnId, Site]]:
        """Every site whose simple name is one of `names` (the engine indexes them once)."""
        for name in names:
            yield from self.index.by_site_name.get(name, ())

    def path_of(self, fid: FnId) -> str:
        return self.index.files[fid.file].path

    # --- findings --------------------------------------------------------------------------------------
    def say(self, meta: RuleMeta, key: str, **params: object) -> i18n.Msg:
        """The rule's message `key` (a template in `META.messages`) in English and Chinese."""
        return i18n.say(meta.id, "messages", key, meta.messages[key], params)

    def fix_text(self, meta: RuleMeta, key: str, **params: object) -> i18n.Msg:
        """The rule's specific fix `key` (a template in `META.fixes`) in English and Chinese."""
        return i18n.say(meta.id, "fixes", key, meta.fixes[key], params)

    def finding(self, meta: RuleMeta, path: str, span: Span, message: str | i18n.Msg, *,
                fix: str | i18n.Msg | None = None, trace: tuple[TraceStep, ...] = (), anchor: str = "",
                references: tuple[str, ...] = (), edits: tuple[Edit, ...] = ()) -> Finding:
        severity = self.config.severity.get(meta.id) or self.config.severity.get(meta.name) or meta.severity
        if fix is None:
            fix = i18n.Msg(meta.fix, i18n.rule_text(meta.id, "fix", "zh", "") or None)
        msg = message if isinstance(message, i18n.Msg) else i18n.Msg(message)
        fx = fix if isinstance(fix, i18n.Msg) else i18n.Msg(fix)
        translations: tuple[Translation, ...] = ()
        if msg.zh or fx.zh:
            translations = (Translation("zh", msg.get("zh"), fx.get("zh")),)
        return Finding(meta.id, meta.name, meta.category, severity, path, span, msg.en, fx.en,
                       references or meta.references, trace, anchor, edits, translations)

    def site_anchor(self, fid: FnId, site: Site) -> str:
        """A site's line-free identity: the enclosing function and the call as written."""
        fn = self.index.function(fid)
        return f"{fn.owner}.{fn.name}|{site.qualified}"

    def site_finding(self, meta: RuleMeta, fid: FnId, site: Site, message: str | i18n.Msg,
                     **kw: object) -> Finding:
        span = Span(site.line, site.column, site.end_line, site.end_column)
        return self.finding(meta, self.path_of(fid), span, message,
                            anchor=str(kw.pop("anchor", self.site_anchor(fid, site))), **kw)  # type: ignore[arg-type]

    def element_span(self, element: object) -> Span:
        line = getattr(element, "line", 1)
        col = getattr(element, "column", 1)
        end_line = getattr(element, "end_line", line)
        end_col = getattr(element, "end_column", col + 1)
        return Span(line, col, end_line, end_col)

    # --- edits for --fix -------------------------------------------------------------------------------
    @functools.cached_property
    def _source_texts(self) -> dict[str, tuple[str, bytes] | None]:
        return {}

    def _source(self, path: str) -> tuple[str, bytes] | None:
        """(decoded text, its UTF-8 bytes) of a file under the scan root, read once per run."""
        if path not in self._source_texts:
            from pipl_lint.parse.decode import BinaryFile, decode

            try:
                decoded = decode((self.scan_root / path).read_bytes())
                self._source_texts[path] = (decoded.text, decoded.utf8)
            except (OSError, BinaryFile):
                self._source_texts[path] = None
        return self._source_texts[path]

    def site_code(self, fid: FnId, site: Site) -> str | None:
        """The source text of a site (for rules that build edits); None when the file cannot be read
        or no longer matches the parsed summary."""
        src = self._source(self.path_of(fid))
        if src is None or site.end > len(src[1]) or site.start > site.end:
            return None
        return src[1][site.start : site.end].decode("utf-8", "surrogatepass")

    def site_edit(self, fid: FnId, site: Site, text: str, *, start: int = 0, end: int | None = None,
                  applicability: Applicability = Applicability.SAFE) -> Edit | None:
        """An edit replacing characters [start, end) of the site's own code (default: all of it) with
        `text`. Sites know UTF-8 byte offsets; edits use character offsets of the decoded file."""
        code = self.site_code(fid, site)
        src = self._source(self.path_of(fid))
        if code is None or src is None:
            return None
        end = len(code) if end is None else end
        if not 0 <= start <= end <= len(code):
            return None
        base = len(src[1][: site.start].decode("utf-8", "surrogatepass"))
        return Edit(self.path_of(fid), base + start, base + end, text, applicability)
