"""`pipl-lint check`: analyse the projects under PATHS and report."""

from __future__ import annotations

import functools
import os
import sys
import tempfile
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from pipl_lint import __version__, exitcodes
from pipl_lint.config import Config, ConfigError, Configs, load_config
from pipl_lint.errors import UsageError
from pipl_lint.findings import Severity
from pipl_lint.formats import FORMATS, CheckOutput, formatter
from pipl_lint.io import write_text
from pipl_lint.progress import Progress, ProgressStore
from pipl_lint.registry import RegistryError, RuleIndex, rule_index, select

if TYPE_CHECKING:
    from pipl_lint.baseline import Baseline
    from pipl_lint.cache import Cache
    from pipl_lint.commands.staged import StagedScope
    from pipl_lint.engine import RunResult
    from pipl_lint.findings import Finding
    from pipl_lint.fixes import FileChange
    from pipl_lint.project.discover import Project
    from pipl_lint.ruleapi import Rule


@dataclass(frozen=True, slots=True)
class CheckOptions:
    paths: tuple[Path, ...] = ()
    format: str = "text"
    output: Path | None = None
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    fail_on: str | None = None
    config: Path | None = None
    no_cache: bool = False
    quiet: bool = False
    baseline: Path | None = None  # report only findings not in this baseline file
    fix: bool = False  # apply safe fixes (and unsafe ones with unsafe_fixes)
    unsafe_fixes: bool = False
    diff: bool = False  # show the fixes as a unified diff; write nothing
    diff_base: str | None = None  # report only findings new since the merge base with this git revision
    show_unused_suppressions: bool = False
    progress: bool | None = None  # None: on when stderr is a terminal
    lang: str | None = None  # zh | en; None: from the locale
    staged: bool = False  # pre-commit: also what the staged deletions and renames break (commands/staged.py)
    variants: tuple[str, ...] = ()  # --variant: overrides the config's `variants`


def scan_root_for(paths: tuple[Path, ...]) -> Path:
    cwd = Path.cwd().resolve()
    resolved = [p.resolve() for p in paths]
    if all(p == cwd or cwd in p.parents for p in resolved):
        return cwd
    common = Path(os.path.commonpath([str(p if p.is_dir() else p.parent) for p in resolved]))
    return common


def _split(values: tuple[str, ...]) -> tuple[str, ...]:
    """`--select EC101,EC102 --select consent-flow` → each key once."""
    return tuple(dict.fromkeys(v.strip() for value in values for v in value.split(",") if v.strip()))


def resolve_configs(opts: CheckOptions, scan_root: Path, **more: object) -> tuple[Configs, Config]:
    """Every project's configuration (see `Configs`), and the run's own: that of the first path given (or of
    the scan root), which decides what applies to the run as a whole (`exclude` while looking for projects,
    `max-file-size`, `parse-timeout`)."""
    fixed = None
    if opts.config is not None:
        if not opts.config.is_file():
            raise UsageError(f"config file not found: {opts.config}")
        fixed = load_config(opts.config)
    overrides: dict[str, object] = dict(more)
    if opts.select:
        overrides["select"] = _split(opts.select)
    if opts.ignore:
        overrides["ignore"] = _split(opts.ignore)  # added to each project's own (see Configs)
    if opts.variants:
        overrides["variants"] = _split(opts.variants)
    if opts.fail_on:
        try:
            overrides["fail_on"] = Severity.parse(opts.fail_on)
        except ValueError as exc:
            raise UsageError(str(exc)) from None
    configs = Configs(fixed, overrides)
    starts = [p.resolve() if p.is_dir() else p.resolve().parent for p in opts.paths] or [scan_root]
    found = [configs.for_folder(s) for s in starts]
    return configs, next((c for c in found if c.path is not None), found[0])


class SourceLines:
    """Lines of files under the scan root, read once, for the text formatter's code excerpts."""

    def __init__(self, root: Path) -> None:
        self.root = root

    @functools.lru_cache(maxsize=256)  # noqa: B019 - one instance per run
    def lines(self, rel: str) -> list[str] | None:
        from pipl_lint.parse.decode import BinaryFile, decode

        try:
            path = (self.root / rel).resolve()
            if self.root not in path.parents or path.stat().st_size > 5 * 1024 * 1024:
                return None
            return decode(path.read_bytes()).text.splitlines()
        except (OSError, BinaryFile, ValueError):
            return None

    def __call__(self, rel: str, line: int) -> str | None:
        lines = self.lines(rel)
        if lines is None or not 1 <= line <= len(lines):
            return None
        return lines[line - 1]


MAX_FIX_PASSES = 5


@dataclass(frozen=True, slots=True)
class Setup:
    """What every analysis of one `check` needs, resolved once."""

    paths: tuple[Path, ...]
    scan_root: Path
    config: Config  # the run's own (see `resolve_configs`)
    rules: Sequence[Rule]  # those of the run's own configuration (a `Selection`: imported when first used)
    only: frozenset[str] | None
    configs: Configs = field(default_factory=Configs)  # each project's
    rules_for: Callable[[Config], Sequence[Rule]] | None = None  # None: the rules each configuration selects
    index: RuleIndex | None = None  # the rule index (see `registry.rule_index`)

    def project(self, root: Path) -> tuple[Config, Sequence[Rule]]:
        """The configuration and the rules for the project at `root` (analysed from `scan_root`)."""
        config = self.configs.for_folder(root)
        return config, self.rules_for(config) if self.rules_for else select(config.select, config.ignore, self.index)

    def fail_on(self, finding: Finding, projects: list[Project]) -> Severity:
        """The failing severity of the configuration of the project the finding is in."""
        path = self.scan_root / finding.path
        roots = sorted((p.root for p in projects), key=lambda r: len(r.parts), reverse=True)
        root = next((r for r in roots if r == path or r in path.parents), None)
        return self.configs.for_folder(root).fail_on if root is not None else self.config.fail_on


@dataclass
class Outcome:
    result: RunResult
    findings: list[Finding]  # what is reported
    baselined: list[Finding] = field(default_factory=list)
    baseline_gone: int = 0
    preexisting: int = 0  # hidden by --diff-base: already there at the base revision


def prepare(opts: CheckOptions) -> Setup:
    if opts.format not in FORMATS:
        raise UsageError(f"unknown format {opts.format!r} (choose from {', '.join(FORMATS)})")
    paths = opts.paths or (Path("."),)
    for p in paths:
        if not p.exists():
            raise UsageError(f"no such file or folder: {p}")
    scan_root = scan_root_for(paths)
    try:
        configs, config = resolve_configs(replace(opts, paths=paths), scan_root)
        cache = open_cache(scan_root, config, opts)
        try:
            index = rule_index(cache)
        finally:
            if cache is not None:
                cache.close()
        rules = select(config.select, config.ignore, index)
    except (ConfigError, RegistryError) as exc:
        raise UsageError(str(exc)) from None
    files = [p for p in paths if p.is_file()]
    only = frozenset(Path(os.path.relpath(p.resolve(), scan_root)).as_posix() for p in files) if files else None
    return Setup(tuple(paths), scan_root, config, rules, only, configs, index=index)


def open_cache(scan_root: Path, config: Config, opts: CheckOptions) -> Cache | None:
    if opts.no_cache:
        return None
    from pipl_lint.cache import Cache
    from pipl_lint.catalogs import catalog_fingerprint

    return Cache(scan_root, f"{__version__}|{catalog_fingerprint()}|{config.fingerprint()}")


def run_engine(setup: Setup, opts: CheckOptions, progress: Progress | None = None, *,
               paths: tuple[Path, ...] | None = None, scan_root: Path | None = None,
               keep_contexts: bool = False, use_cache: bool = True) -> RunResult:
    from pipl_lint.engine import run
    from pipl_lint.project.files import FileReader

    scan_root = scan_root or setup.scan_root
    config = setup.config
    cache = open_cache(scan_root, config, opts) if use_cache else None
    store = None
    if progress is not None and progress.enabled:
        store = ProgressStore(progress, FileReader(scan_root, config.max_file_size), config.parse_timeout, cache)
    def project(root: Path) -> tuple[Config, Sequence[Rule]]:  # an exported old tree: the configuration of today's
        return setup.project(setup.scan_root / root.relative_to(scan_root))

    try:
        return run(list(paths or setup.paths), scan_root, config, setup.rules, setup.only, store, cache=cache,
                   keep_contexts=keep_contexts, per_project=setup.project if scan_root == setup.scan_root else project)
    except (ConfigError, RegistryError) as exc:  # a project's own configuration file
        raise UsageError(str(exc)) from None
    finally:
        if cache is not None:
            cache.close()
        if progress is not None:
            progress.clear()


def diff_base_scope(setup: Setup, opts: CheckOptions, progress: Progress) -> tuple[Setup, Counter[str]]:
    """Narrow the run to files changed since the merge base with `--diff-base`, and the fingerprints of
    the findings that were already there at the merge base (analysed from a temporary export)."""
    from pipl_lint import vcs

    assert opts.diff_base
    try:
        root = vcs.repo_root(setup.scan_root)
        base = vcs.merge_base(root, opts.diff_base)
        changed = vcs.relative_to_scan_root(root, vcs.changed_files(root, base), setup.scan_root)
        sub = vcs.subdir_of(root, setup.scan_root)
    except vcs.VcsError as exc:
        raise UsageError(f"--diff-base {opts.diff_base}: {exc}") from None
    only = changed if setup.only is None else setup.only & changed
    setup = replace(setup, only=only)
    old: Counter[str] = Counter()
    if not only:
        return setup, old
    with tempfile.TemporaryDirectory(prefix="pipl-lint-base-") as tmp:
        try:
            old_root = vcs.export_tree(root, base, sub, Path(tmp)).resolve()
        except vcs.VcsError as exc:
            raise UsageError(f"--diff-base {opts.diff_base}: {exc}") from None
        old_paths = tuple(old_root / os.path.relpath(p.resolve(), setup.scan_root) for p in setup.paths)
        old_paths = tuple(p for p in old_paths if p.exists())
        if old_paths:
            progress.label = f"{opts.diff_base}: "
            result = run_engine(setup, opts, progress, paths=old_paths, scan_root=old_root, use_cache=False)
            progress.label = ""
            old.update(f.fingerprint for f in result.findings)
    return setup, old


def analyse(setup: Setup, opts: CheckOptions, progress: Progress, old: Counter[str] | None,
            baseline: Baseline | None, keep_contexts: bool = False, staged: StagedScope | None = None) -> Outcome:
    if staged is None:
        result = run_engine(setup, opts, progress, keep_contexts=keep_contexts)
        outcome = Outcome(result, list(result.findings))
    else:
        result = run_engine(replace(setup, only=None), opts, progress, keep_contexts=keep_contexts)
        outcome = Outcome(result, staged.select(result.findings))
    if old is not None:
        left = Counter(old)
        kept = []
        for f in outcome.findings:
            if left[f.fingerprint] > 0:
                left[f.fingerprint] -= 1
                outcome.preexisting += 1
            else:
                kept.append(f)
        outcome.findings = kept
    if baseline is not None:
        from pipl_lint.baseline import apply as apply_baseline

        filtered = apply_baseline(outcome.findings, baseline, setup.only)
        outcome.findings, outcome.baselined, outcome.baseline_gone = \
            filtered.new, filtered.baselined, len(filtered.gone)
    return outcome


def apply_fixes(setup: Setup, opts: CheckOptions, progress: Progress, outcome: Outcome,
                redo: Callable[[Setup], Outcome]) -> tuple[Outcome, int | None]:
    """`--fix` (re-analysing after each pass until nothing is left to fix) or `--diff` (the same passes on a
    scratch copy of the scan root, shown as one diff against the real files; nothing written: returns the exit
    code). Both apply the same fixes, including those that only appear after a first pass."""
    from pipl_lint import fixes

    if opts.diff:
        with tempfile.TemporaryDirectory(prefix="diff-", dir=_scratch_parent(setup.scan_root)) as tmp:
            scratch = _scratch_copy(setup, Path(tmp))
            _outcome, fixed, written = _fix_passes(scratch, opts, outcome, redo)
            changes = [c for c in (_compare(setup.scan_root, scratch.scan_root, rel) for rel in sorted(written))
                       if c is not None]
        sys.stdout.write(fixes.unified_diff(changes))
        _fix_note(f"{fixed} fixable", fixes.plan(outcome.findings, False).skipped_unsafe
                  if not opts.unsafe_fixes else 0, opts)
        return outcome, exitcodes.FINDINGS if changes else exitcodes.OK
    outcome, fixed, written = _fix_passes(setup, opts, outcome, redo)
    files = len(written)
    _fix_note(f"Fixed {fixed} problem{'s' if fixed != 1 else ''} in {files} file{'s' if files != 1 else ''}",
              fixes.plan(outcome.findings, False).skipped_unsafe if not opts.unsafe_fixes else 0, opts)
    return outcome, None


def _fix_passes(setup: Setup, opts: CheckOptions, outcome: Outcome,
                redo: Callable[[Setup], Outcome]) -> tuple[Outcome, int, set[str]]:
    """Apply fixes under `setup.scan_root`, re-analysing after each pass, until none is left (at most
    MAX_FIX_PASSES): (the last outcome, how many findings were fixed, the files written)."""
    from pipl_lint import fixes

    fixed = 0
    written: set[str] = set()
    for _ in range(MAX_FIX_PASSES):
        chosen = fixes.plan(outcome.findings, opts.unsafe_fixes)
        changes, problems = fixes.changes(setup.scan_root, chosen)
        for problem in problems:
            sys.stderr.write(f"pipl-lint: {problem}\n")
        changes = [c for c in changes if c.after != c.before]
        if not changes:
            break
        fixes.write(setup.scan_root, changes)
        written.update(c.path for c in changes)
        fixed += len(chosen.fixed)
        outcome = redo(setup)
    return outcome, fixed, written


def _scratch_parent(scan_root: Path) -> Path | None:
    """Where `--diff` puts its scratch copy: in the scan root's cache folder (pipl-lint stays inside the
    folder it checks), or the system's temporary folder when that cannot be used."""
    from pipl_lint.cache import CACHE_DIR

    folder = scan_root / CACHE_DIR
    try:
        if not folder.is_symlink():
            folder.mkdir(exist_ok=True)
            if folder.is_dir() and not folder.is_symlink():
                return folder
    except OSError:
        pass
    return None


def _scratch_copy(setup: Setup, tmp: Path) -> Setup:
    """The same check on a copy of the scan root (folders and regular files only: no links, pipes or devices,
    no VCS data, no cache), for `--diff`. Files that cannot be copied are left out; fixes edit regular files."""
    import shutil
    import stat

    from pipl_lint.cache import CACHE_DIR

    def copy_regular(src: str, dst: str) -> None:
        if stat.S_ISREG(os.stat(src, follow_symlinks=False).st_mode):  # no pipes, sockets or devices
            shutil.copy2(src, dst)

    def skipped(folder: str, names: list[str]) -> set[str]:
        return {n for n in names if n in (".git", ".hg", ".svn", CACHE_DIR) or os.path.islink(os.path.join(folder, n))}

    copy = tmp / (setup.scan_root.name or "root")
    try:
        shutil.copytree(setup.scan_root, copy, copy_function=copy_regular, ignore=skipped)
    except shutil.Error:
        pass  # unreadable files: the analysis reports them
    paths = tuple(copy / os.path.relpath(p.resolve(), setup.scan_root) for p in setup.paths)
    return replace(setup, scan_root=copy, paths=paths)


def _compare(root: Path, scratch: Path, rel: str) -> FileChange | None:
    """The change `--fix` would make to `root/rel`: its text now and in the fixed scratch copy."""
    from pipl_lint import fixes

    try:
        before = fixes.read_text(root / rel)
        after = fixes.read_text(scratch / rel)
    except fixes.FixError as exc:
        sys.stderr.write(f"pipl-lint: {exc}\n")
        return None
    return fixes.FileChange(rel, before, after, b"") if before != after else None


def _fix_note(head: str, unsafe: int, opts: CheckOptions) -> None:
    if opts.quiet and not unsafe:
        return
    more = f"; {unsafe} more with --unsafe-fixes (they change behaviour: review them)" if unsafe else ""
    sys.stderr.write(f"pipl-lint: {head}{more}.\n")


def report_unused_suppressions(setup: Setup, result: RunResult) -> None:
    from pipl_lint import suppress
    from pipl_lint.registry import all_rules

    found = [s for ctx in result.contexts for s in suppress.collect(ctx, setup.only)]
    for s, why in suppress.unused(found, result.suppressed, setup.rules, all_rules()):
        sys.stderr.write(f"{s.path}:{s.line}: unused suppression `{s.label}` ({why})\n")


# What the pre-commit hook passes (`.pre-commit-hooks.yaml`): such files outside any Android project are not
# an error (a staged build file of another part of a monorepo), they have nothing to check.
HOOK_SUFFIXES = (".kt", ".kts", ".java", ".gradle", ".toml", ".xml", ".jar", ".aar")


def binary_arguments(paths: tuple[Path, ...]) -> list[Path]:
    """The file arguments whose content is not text (an APK, an image): pipl-lint reads source, not builds."""
    from pipl_lint.parse.decode import BinaryFile, decode

    binary = []
    for p in paths:
        if not p.is_file() or p.suffix.lower() in (".jar", ".aar"):  # library archives: their names are read
            continue
        try:
            with p.open("rb") as f:
                decode(f.read(65536))
        except BinaryFile:
            binary.append(p)
        except (OSError, ValueError):
            continue
    return binary


def nothing_analysed(paths: tuple[Path, ...], result: RunResult) -> tuple[str, int] | None:
    """(one line, exit code) when no Android project was found under `paths` or nothing could be read: a
    linter that read nothing must not say "No problems found"."""
    if result.projects and result.coverage.anything_read:
        return None
    where = ", ".join(f"`{p}`" for p in paths[:3]) + (f" and {len(paths) - 3} more" if len(paths) > 3 else "")
    if not result.projects:
        if paths and all(p.is_file() and p.name.endswith(HOOK_SUFFIXES) for p in paths):
            return (f"nothing to check: {where} {'is' if len(paths) == 1 else 'are'} not part of an Android project "
                    "(no settings.gradle, build file or AndroidManifest.xml above)", exitcodes.OK)
        if any(p.is_file() and not p.name.endswith(HOOK_SUFFIXES) for p in paths):
            return (f"nothing was analysed: {where} is not a Kotlin, Java, manifest or Gradle file of an Android "
                    "project", exitcodes.ERROR)
        return (f"no Android project found in {where} (a folder with settings.gradle[.kts], a build.gradle[.kts], "
                "or an AndroidManifest.xml with Java/Kotlin sources); nothing was analysed", exitcodes.ERROR)
    return (f"nothing could be read in {where}: no source file, manifest or Gradle file of the project could be "
            "read (`--format json` lists why); nothing was analysed", exitcodes.ERROR)


def run_check(opts: CheckOptions) -> int:
    gone = None
    if opts.staged:
        from pipl_lint.commands import staged

        if opts.diff_base:
            raise UsageError("--staged checks the staged change set against HEAD and --diff-base the work tree "
                             "against a revision: choose one")
        gone = staged.removed(Path.cwd())
        if not opts.paths and not gone.roots:
            return exitcodes.OK  # nothing the analysis reads is staged
        opts = replace(opts, paths=staged.staged_paths(opts, gone))
    setup = prepare(opts)
    binary = [] if opts.staged else binary_arguments(setup.paths)  # a commit is never blocked for it
    if binary and len(binary) == len(setup.paths):
        names = ", ".join(f"`{p}`" for p in binary[:3]) + (f" and {len(binary) - 3} more" if len(binary) > 3 else "")
        what = "is a binary file" if len(binary) == 1 else "are binary files"
        sys.stderr.write(f"pipl-lint: nothing was analysed: {names} {what}, not Kotlin, Java, XML or Gradle source "
                         "(pipl-lint reads a project's source, not a build)\n")
        return exitcodes.ERROR
    if opts.diff and opts.fix:
        raise UsageError("--fix writes the fixes and --diff only shows them: choose one")
    progress = Progress(enabled=False if opts.quiet or opts.progress is False else None)
    baseline = None
    if opts.baseline is not None:
        from pipl_lint.baseline import BaselineError
        from pipl_lint.baseline import load as load_baseline

        try:
            baseline = load_baseline(opts.baseline)
        except BaselineError as exc:
            raise UsageError(str(exc)) from None
    old = None
    if opts.diff_base:
        setup, old = diff_base_scope(setup, opts, progress)
    keep = opts.show_unused_suppressions
    scope = None
    if gone is not None and gone.roots:
        from pipl_lint.commands import staged

        scope = staged.scope(setup, opts, gone)
        setup = replace(setup, only=scope.files)

    def redo(where: Setup = setup) -> Outcome:
        return analyse(where, opts, progress, old, baseline, keep, scope)

    outcome = redo()
    nothing = nothing_analysed(setup.paths, outcome.result)
    if nothing is not None:
        message, code = nothing
        if opts.staged:  # the pre-commit hook: files outside any Android project have nothing to check
            code = exitcodes.OK
        if code != exitcodes.OK or not opts.quiet:
            sys.stderr.write(f"pipl-lint: {message}\n")
        return code
    if scope is not None and gone is not None:
        staged.note(outcome.findings, scope, gone, opts.quiet)
    if opts.fix or opts.diff:
        outcome, code = apply_fixes(setup, opts, progress, outcome, redo)
        if code is not None:
            return code
    result = outcome.result
    if keep:
        report_unused_suppressions(setup, result)
    if outcome.preexisting and not opts.quiet:
        sys.stderr.write(f"pipl-lint: {outcome.preexisting} findings already present at the merge base with "
                         f"{opts.diff_base} are not shown.\n")
    return emit(setup, opts, outcome)


def emit(setup: Setup, opts: CheckOptions, outcome: Outcome) -> int:
    from pipl_lint.i18n import parse_language
    from pipl_lint.registry import all_rules

    result, config, scan_root = outcome.result, setup.config, setup.scan_root
    try:
        lang = parse_language(opts.lang)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    suppressed = [f.localized(lang) for f in result.suppressed if setup.only is None or f.touches(setup.only)]
    report = CheckOutput(
        version=__version__, root=str(scan_root), findings=tuple(f.localized(lang) for f in outcome.findings),
        diagnostics=tuple(result.diagnostics), files=result.files_read, projects=len(result.projects),
        suppressed=len(suppressed), baselined=len(outcome.baselined), baseline_gone=outcome.baseline_gone,
        fail_on=config.fail_on, source_line=SourceLines(scan_root),
        color=opts.output is None and opts.format == "text" and sys.stdout.isatty() and "NO_COLOR" not in os.environ,
        rules=all_rules() if opts.format == "sarif" else (), suppressed_findings=tuple(suppressed),
        baselined_findings=tuple(f.localized(lang) for f in outcome.baselined), successful=not result.internal_error,
        lang=lang, coverage=result.coverage,
    )
    text = formatter(opts.format)(report)
    if opts.quiet and opts.format == "text":
        text = "\n".join(line for line in text.splitlines() if not line.startswith(("Found ", "No problems"))) + "\n"
    if opts.output is not None:
        write_text(opts.output, text)
    else:
        sys.stdout.write(text)
    if result.internal_error:
        return exitcodes.ERROR
    failing = [f for f in outcome.findings if f.severity >= setup.fail_on(f, result.projects)]
    return exitcodes.FINDINGS if failing else exitcodes.OK
