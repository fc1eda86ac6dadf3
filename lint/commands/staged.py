"""`check --staged` (the pre-commit hook): the staged files pre-commit passes, plus what the staged deletions
and renames break.

pre-commit passes only added and modified files, so a commit that deletes the consent dialog would check
nothing. Here the staged change set is read from git (`git diff --cached --name-status -M`); each project
that loses a file (deleted, or renamed away) is analysed as staged and as it is at HEAD, and every finding
of that project that HEAD did not have is reported, whichever file it sits in: removing the consent gate
is refused with the `consent-gate-missing` finding it causes. pre-commit runs hooks on a work tree equal to
the index (unstaged changes stashed), so the work tree is the staged project.

A commit that touches nothing the analysis reads (only `README.md`) analyses nothing.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from pipl_lint import vcs
from pipl_lint.errors import UsageError
from pipl_lint.project.discover import find_root

if TYPE_CHECKING:
    from pipl_lint.commands.check import CheckOptions, Setup
    from pipl_lint.findings import Finding

# What the analysis reads: sources, manifests and resources, Gradle files and catalogs, configuration,
# library jars; plus policy texts (assets, raw resources).
READ_SUFFIXES = frozenset({".kt", ".kts", ".java", ".gradle", ".toml", ".xml", ".jar", ".aar"})
POLICY_FOLDERS = frozenset({"assets", "raw"})


def is_read(path: str) -> bool:
    p = Path(path)
    return p.suffix in READ_SUFFIXES or bool(POLICY_FOLDERS & set(p.parts[:-1]))


@dataclass(frozen=True, slots=True)
class Removed:
    """The relevant files the staged change set takes away (deleted, or renamed away), and the roots of
    the projects (in the work tree) that held them."""

    repo: Path
    files: tuple[str, ...]  # relative to the repository root
    roots: tuple[Path, ...]


def removed(cwd: Path) -> Removed:
    try:
        repo = vcs.repo_root(cwd)
        changes = vcs.staged_changes(repo)
    except vcs.VcsError as exc:
        raise UsageError(f"--staged: {exc}") from None
    files = tuple(sorted({c.old if c.status == "R" and c.old else c.path for c in changes
                          if c.status == "D" or (c.status == "R" and c.old)}))
    files = tuple(f for f in files if is_read(f))
    top = cwd.resolve()
    roots: dict[Path, None] = {}
    for f in files:
        folder = (repo / f).parent
        while not folder.is_dir() and folder != repo:
            folder = folder.parent  # git removes folders left empty
        if not (folder == top or top in folder.parents):
            continue  # outside the folder checked
        root, _kind = find_root(folder, top)
        if root is not None:
            roots[root] = None
    outer = [r for r in roots if not any(o != r and o in r.parents for o in roots)]
    return Removed(repo, files, tuple(sorted(outer)))


@dataclass(frozen=True, slots=True)
class StagedScope:
    """Which findings a `--staged` run reports: those in or through the staged files (as for file arguments),
    and those of the projects that lost files that HEAD did not have."""

    files: frozenset[str]  # the staged files given, relative to the scan root
    projects: tuple[str, ...]  # roots of the projects that lost files, relative to the scan root
    old: Counter[str]  # fingerprints of those projects' findings at HEAD

    def _in_projects(self, f: Finding) -> bool:
        return any(p == "." or f.path == p or f.path.startswith(p + "/") for p in self.projects)

    def select(self, findings: Iterable[Finding]) -> list[Finding]:
        left = Counter(self.old)
        kept = []
        for f in findings:
            if self._in_projects(f) and left[f.fingerprint] > 0:
                left[f.fingerprint] -= 1
                if f.touches(self.files):
                    kept.append(f)
            elif f.touches(self.files) or self._in_projects(f):
                kept.append(f)
        return kept


def staged_paths(opts: CheckOptions, gone: Removed) -> tuple[Path, ...]:
    """The paths to analyse: the staged files given and the roots of the projects that lost files."""
    return (*opts.paths, *(Path(os.path.relpath(r)) for r in gone.roots))


def scope(setup: Setup, opts: CheckOptions, gone: Removed) -> StagedScope:
    """Analyse the projects that lost files as they are at HEAD (from a temporary export; unchanged files'
    summaries come from the cache) and keep their findings' fingerprints."""
    from pipl_lint.commands.check import open_cache
    from pipl_lint.engine import run
    from pipl_lint.project.files import FileReader
    from pipl_lint.summaries import SummaryStore

    scan_root = setup.scan_root
    files = frozenset(Path(os.path.relpath(p.resolve(), scan_root)).as_posix() for p in setup.paths if p.is_file())
    projects = tuple(Path(os.path.relpath(r, scan_root)).as_posix() for r in gone.roots)
    old: Counter[str] = Counter()
    with tempfile.TemporaryDirectory(prefix="pipl-lint-head-") as tmp:
        try:
            sub = vcs.subdir_of(gone.repo, scan_root)
            for r in gone.roots:
                vcs.export_tree(gone.repo, "HEAD", vcs.subdir_of(gone.repo, r), Path(tmp))
        except vcs.VcsError as exc:
            raise UsageError(f"--staged: {exc}") from None
        old_root = (Path(tmp) / (sub if sub != "." else "")).resolve()
        old_paths = [old_root / p for p in projects if (old_root / p).is_dir()]
        if old_paths:
            cache = open_cache(scan_root, setup.config, opts)  # summaries are keyed by content
            try:
                store = SummaryStore(FileReader(old_root, setup.config.max_file_size), setup.config.parse_timeout,
                                     cache)
                result = run(old_paths, old_root, setup.config, setup.rules, None, store)
            finally:
                if cache is not None:
                    cache.close()
            old.update(f.fingerprint for f in result.findings)
    return StagedScope(files, projects, old)


def note(selected: list[Finding], staged: StagedScope, gone: Removed, quiet: bool) -> None:
    new = [f for f in selected if not f.touches(staged.files)]
    if quiet or not new:
        return
    shown = ", ".join(gone.files[:3]) + (f" and {len(gone.files) - 3} more" if len(gone.files) > 3 else "")
    sys.stderr.write(f"pipl-lint: this commit deletes or renames {shown}; {len(new)} finding"
                     f"{'s' if len(new) != 1 else ''} outside the staged files {'are' if len(new) != 1 else 'is'} "
                     "new since HEAD.\n")
