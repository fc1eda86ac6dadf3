"""Which jar/aar files a module ships: those a `fileTree`/`files`/flatDir dependency of a shipped
configuration covers. A jar that lies in `libs/` but no dependency includes is not part of the app."""

from __future__ import annotations

import os
from collections.abc import Iterator
from fnmatch import fnmatchcase
from pathlib import Path

from pipl_lint.project.discover import Module
from pipl_lint.project.gradle import Dependency

ARCHIVES = (".jar", ".aar")
# Configurations whose files never reach the APK (prefixes, lower case).
NOT_SHIPPED = ("test", "androidtest", "classpath", "kapt", "ksp", "annotationprocessor", "compileonly",
               "provided", "lintchecks", "lintpublish", "detektplugins", "coreLibraryDesugaring".lower())
_MODULE_PREFIXES = ("$projectDir/", "${projectDir}/", "${project.projectDir}/", "$project.projectDir/")
_ROOT_PREFIXES = ("$rootDir/", "${rootDir}/", "${rootProject.projectDir}/", "$rootProject.projectDir/")
MAX_FILES = 2000  # per fileTree: a tree of build output pointed at by mistake must not stall the run


def ships(configuration: str) -> bool:
    """Whether dependencies of `configuration` are packaged into the app (`implementation`, `api`,
    `releaseImplementation`, `cnImplementation`, old `compile` ...)."""
    lower = configuration.lower()
    return not lower.startswith(NOT_SHIPPED) and not lower.endswith(("compileonly", "annotationprocessor"))


def shipped_jars(module: Module, project_root: Path, scan_root: Path) -> Iterator[tuple[Path, Dependency | None]]:
    """(archive, the dependency that includes it) for every jar/aar the module ships, each once. A module
    without a build file (Eclipse/Ant) ships everything in its `libs/`."""
    if module.build is None:
        for jar in module.jars:
            yield jar, None
        return
    seen: set[Path] = set()
    for dep in module.build.dependencies:
        if not ships(dep.configuration):
            continue
        for jar in _covered(dep, module, project_root, scan_root):
            if jar not in seen:
                seen.add(jar)
                yield jar, dep


def _covered(dep: Dependency, module: Module, project_root: Path, scan_root: Path) -> Iterator[Path]:
    if dep.files is None and dep.group is None and dep.name:  # flatDir: implementation(name: 'x', ext: 'aar')
        yield from (j for j in module.jars if j.stem == dep.name)
        return
    if dep.files is None:
        return
    target = _resolve(dep.files.replace("\\", "/"), module.dir, project_root)
    if target is None:  # a computed path: over-approximate with the module's own libs/
        yield from module.jars
        return
    if not _inside(target, scan_root):
        return
    if target.is_file():
        if target.suffix.lower() in ARCHIVES:
            yield target
        return
    if not target.is_dir():
        return
    count = 0
    for dirpath, dirnames, filenames in os.walk(target, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if d not in ("build", ".git"))
        for name in sorted(filenames):
            path = Path(dirpath) / name
            if path.suffix.lower() not in ARCHIVES:
                continue
            rel = path.relative_to(target).as_posix()
            if _included(rel, dep.file_patterns):
                count += 1
                if count > MAX_FILES:
                    return
                yield path


def _resolve(text: str, module_dir: Path, project_root: Path) -> Path | None:
    for prefix in _MODULE_PREFIXES:
        if text.startswith(prefix):
            return module_dir / text[len(prefix) :]
    for prefix in _ROOT_PREFIXES:
        if text.startswith(prefix):
            return project_root / text[len(prefix) :]
    if "$" in text or not text.strip():
        return None
    return module_dir / text


def _inside(path: Path, scan_root: Path) -> bool:
    try:
        real = os.path.realpath(path)
    except (OSError, ValueError):
        return False
    root = os.path.realpath(scan_root)
    return real == root or real.startswith(root.rstrip(os.sep) + os.sep)


def _included(rel: str, patterns: tuple[str, ...]) -> bool:
    """Ant-style `include` globs as Gradle reads them: `*` stays within a folder, `**/` spans folders. No
    pattern: every file of the tree."""
    if not patterns:
        return True
    for pattern in patterns:
        if "/" not in rel:
            if fnmatchcase(rel, pattern.removeprefix("**/")):
                return True
        elif "/" in pattern and fnmatchcase(rel, pattern):  # `**/*.jar`, `sdk/*.aar`
            return True
    return False
