"""Build variants: build types × product-flavour dimensions, read statically from the Gradle files.

A variant (``chinaFreeRelease``) is one flavour per dimension plus a build type. Its source sets, highest
merge priority first, are the variant itself, the build type, the flavour combination (with two or more
dimensions), each flavour in dimension order, then ``main`` — Android's order for manifests and
resources. Dependencies reach a variant through ``implementation`` (``main``) and
``<sourceSet>Implementation`` (``chinaImplementation``, ``releaseApi``, ``chinaReleaseRuntimeOnly`` ...).

A variant ships unless its build type is debuggable (``debug``, ``debuggable true``, ``initWith debug``).
`select` picks the variants a run analyses: the shipped ones by default, or those the user names (a
variant name, or a flavour or build type standing for every shipped variant that has it).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from pipl_lint.project.gradle import BuildScript

if TYPE_CHECKING:
    from pipl_lint.project.discover import Project

MAX_VARIANTS = 256  # hostile scripts: dimensions × flavours × build types stay bounded
DEFAULT_BUILD_TYPES = ("debug", "release")
_CONFIGURATION_SUFFIXES = ("Implementation", "Api", "CompileOnly", "RuntimeOnly", "Compile", "Provided", "Apk",
                           "CompileOnlyApi")


def _cap(name: str) -> str:
    return name[:1].upper() + name[1:]


@dataclass(frozen=True, slots=True)
class Variant:
    name: str  # chinaFreeRelease
    flavors: tuple[str, ...]  # one per dimension, in dimension priority order
    build_type: str
    debuggable: bool = False  # `debug`, or a build type that is `debuggable true` / `initWith debug`

    @property
    def source_sets(self) -> tuple[str, ...]:
        """Source-set names, highest merge priority first."""
        out = [self.name, self.build_type]
        if len(self.flavors) > 1:
            out.append(self.flavors[0] + "".join(_cap(f) for f in self.flavors[1:]))
        out += self.flavors
        out.append("main")
        return tuple(dict.fromkeys(out))

    @property
    def shipped(self) -> bool:
        return not self.debuggable

    @property
    def tokens(self) -> tuple[str, ...]:
        return (*self.flavors, self.build_type)


def module_variants(build: BuildScript | None) -> tuple[Variant, ...]:
    """Every variant of a module (``debug`` and ``release`` exist even when undeclared)."""
    build_types = list(DEFAULT_BUILD_TYPES)
    flavors: list[str] = []
    debuggable: tuple[str, ...] = ("debug",)
    if build is not None:
        build_types += [b for b in build.build_types if b not in build_types]
        flavors = list(build.flavors)
        debuggable = build.debuggable_build_types
    if not flavors:
        return tuple(Variant(b, (), b, b in debuggable) for b in build_types)
    assert build is not None
    dimensions = list(build.dimensions)
    for f in flavors:
        dim = build.flavor_dimensions.get(f, "")
        if dim and dim not in dimensions:
            dimensions.append(dim)
    if not dimensions:
        dimensions = [""]
    groups: dict[str, list[str]] = {d: [] for d in dimensions}
    for f in flavors:
        dim = build.flavor_dimensions.get(f, "")
        groups[dim if dim in groups else dimensions[0]].append(f)
    lists = [g for g in groups.values() if g]
    out: list[Variant] = []
    for combo in itertools.product(*lists):
        for b in build_types:
            name = combo[0] + "".join(_cap(f) for f in combo[1:]) + _cap(b)
            out.append(Variant(name, tuple(combo), b, b in debuggable))
            if len(out) >= MAX_VARIANTS:
                return tuple(out)
    return tuple(out)


def configuration_source_set(configuration: str) -> str:
    """``implementation`` → ``main``; ``chinaReleaseImplementation`` → ``chinaRelease``."""
    for suffix in sorted(_CONFIGURATION_SUFFIXES, key=len, reverse=True):
        if configuration.endswith(suffix) and len(configuration) > len(suffix):
            prefix = configuration[: -len(suffix)]
            return prefix[:1].lower() + prefix[1:]
    return "main"


def select(variants: Sequence[Variant], wanted: Iterable[str] = ()) -> tuple[tuple[Variant, ...], list[str]]:
    """(the variants to analyse, names that matched nothing). Default: the shipped variants."""
    wanted = [w.strip() for w in wanted if w.strip()]
    shipped = [v for v in variants if v.shipped] or list(variants)
    if not wanted:
        return tuple(shipped), []
    chosen: list[Variant] = []
    unknown: list[str] = []
    for w in wanted:
        exact = [v for v in variants if v.name == w]
        by_token = [v for v in shipped if w in v.tokens] or [v for v in variants if w in v.tokens]
        hit = exact or by_token
        if not hit:
            unknown.append(w)
        chosen += [v for v in hit if v not in chosen]
    return (tuple(chosen) if chosen else tuple(shipped)), unknown


def describe(names: Iterable[str], selected: Sequence[Variant]) -> tuple[str, ...]:
    """A short label for a subset of the selected variants: the one flavour or build type that stands
    for exactly that subset (``china``), else the variant names."""
    subset = set(names)
    by_name = {v.name: v for v in selected}
    tokens = dict.fromkeys(t for v in selected if v.name in subset for t in v.tokens)
    for token in tokens:
        if {v.name for v in selected if token in v.tokens} == subset:
            return (token,)
    return tuple(v for v in by_name if v in subset)


class VariantScope:
    """Which of a project's variants contain each file, and each dependency declaration.

    The variants are those of the application modules (a library's source set counts for the app variants
    that have its name). A file in source sets no variant has (an unrecognised folder) or in no source set
    (build files, jars) belongs to every variant; a dependency belongs to the variants that have its
    configuration's source set."""

    def __init__(self, project: Project, rel: Callable[[Path], str]) -> None:
        variants: dict[str, Variant] = {}
        for mod in project.modules:
            if mod.is_application:
                for v in module_variants(mod.build):
                    variants.setdefault(v.name, v)
        if not variants:
            variants = {v.name: v for v in module_variants(None)}
        self.variants: tuple[Variant, ...] = tuple(variants.values())
        self.known_sets = frozenset(s for v in self.variants for s in v.source_sets)
        self.file_sets: dict[str, set[str]] = {}
        self.manifest_sets: set[str] = set()  # source sets with a manifest (of any module)
        for mod in project.modules:
            for ss in mod.source_sets:
                if ss.is_test:
                    continue
                files = [*ss.sources, *ss.strings, *ss.layouts, *ss.assets]
                if ss.manifest is not None:
                    files.append(ss.manifest)
                    self.manifest_sets.add(ss.name)
                for f in files:
                    self.file_sets.setdefault(rel(f), set()).add(ss.name)
        self.dependency_sets: dict[tuple[str, int], set[str]] = {}
        for mod in project.modules:
            if mod.build is not None:
                path = rel(mod.build.path)
                for dep in mod.build.dependencies:
                    key = (path, dep.line)
                    self.dependency_sets.setdefault(key, set()).add(configuration_source_set(dep.configuration))

    def manifest_dependency_groups(self, selected: Sequence[Variant]) -> list[list[Variant]]:
        """The selected variants grouped by what a per-variant rule can see: the source sets, in priority
        order, that hold a manifest or declare a dependency. Variants of one group merge the same manifests
        and dependencies, so per-variant rules run once per group (eight store flavours that differ only in
        code: one run)."""
        relevant = self.manifest_sets | {s for sets in self.dependency_sets.values() for s in sets}
        groups: dict[tuple[str, ...], list[Variant]] = {}
        for v in selected:
            key = tuple(s for s in v.source_sets if s in relevant)
            groups.setdefault(key, []).append(v)
        return list(groups.values())

    def _of_sets(self, sets: Iterable[str]) -> frozenset[str]:
        sets = set(sets)
        if not sets or sets - self.known_sets:
            return frozenset(v.name for v in self.variants)
        return frozenset(v.name for v in self.variants if sets & set(v.source_sets))

    def of_file(self, path: str, line: int = 0) -> frozenset[str]:
        """The variants a file (or the dependency declared at `path:line`) is part of."""
        if (path, line) in self.dependency_sets:
            return self._of_sets(self.dependency_sets[(path, line)])
        return self._of_sets(self.file_sets.get(path, ()))

    def of_finding(self, path: str, line: int, trace_paths: Iterable[str]) -> frozenset[str]:
        """The variants that contain the finding's file and every file on its trace."""
        out = self.of_file(path, line)
        for p in trace_paths:
            out &= self.of_file(p)
        return out
