"""`pipl-lint check`: analyse the projects under PATHS and report."""

from __future__ import annotations

import functools
import os
import sys
from dataclasses import dataclass, replace
from pathlib import Path

from pipl_lint import __version__, exitcodes
from pipl_lint.config import Config, ConfigError, find_config, load_config
from pipl_lint.errors import UsageError
from pipl_lint.findings import Severity
from pipl_lint.io import atomic_write_text
from pipl_lint.registry import RegistryError, select
from pipl_lint.report import FORMATS, Report, formatter


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


def resolve_config(opts: CheckOptions, scan_root: Path) -> Config:
    if opts.config is not None:
        if not opts.config.is_file():
            raise UsageError(f"config file not found: {opts.config}")
        config = load_config(opts.config)
    else:
        starts = [p.resolve() if p.is_dir() else p.resolve().parent for p in opts.paths] or [scan_root]
        found = next((c for c in (find_config(s) for s in starts) if c is not None), None)
        config = load_config(found) if found else Config()
    overrides: dict[str, object] = {}
    if opts.select:
        overrides["select"] = _split(opts.select)
    if opts.ignore:
        overrides["ignore"] = tuple(config.ignore) + _split(opts.ignore)
    if opts.fail_on:
        try:
            overrides["fail_on"] = Severity.parse(opts.fail_on)
        except ValueError as exc:
            raise UsageError(str(exc)) from None
    return config.with_overrides(**overrides)


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


def run_check(opts: CheckOptions) -> int:
    from pipl_lint.engine import run

    if opts.format not in FORMATS:
        raise UsageError(f"unknown format {opts.format!r} (choose from {', '.join(FORMATS)})")
    paths = opts.paths or (Path("."),)
    for p in paths:
        if not p.exists():
            raise UsageError(f"no such file or folder: {p}")
    scan_root = scan_root_for(paths)
    try:
        config = resolve_config(replace(opts, paths=paths), scan_root)
        rules = select(config.select, config.ignore)
    except (ConfigError, RegistryError) as exc:
        raise UsageError(str(exc)) from None
    files = [p for p in paths if p.is_file()]
    only = frozenset(Path(os.path.relpath(p.resolve(), scan_root)).as_posix() for p in files) if files else None
    cache = None
    if not opts.no_cache:
        from pipl_lint.cache import Cache
        from pipl_lint.catalogs import load_catalog

        cache = Cache(scan_root, f"{__version__}|{load_catalog().fingerprint()}|{config.fingerprint()}")
    try:
        result = run(list(paths), scan_root, config, rules, only, cache=cache)
    finally:
        if cache is not None:
            cache.close()
    report = Report(
        version=__version__, root=str(scan_root), findings=tuple(result.findings),
        diagnostics=tuple(result.diagnostics), files=result.files_read, projects=len(result.projects),
        suppressed=len(result.suppressed), fail_on=config.fail_on, source_line=SourceLines(scan_root),
        color=opts.output is None and opts.format == "text" and sys.stdout.isatty() and "NO_COLOR" not in os.environ,
    )
    text = formatter(opts.format)(report)
    if opts.quiet and opts.format == "text":
        text = "\n".join(line for line in text.splitlines() if not line.startswith(("Found ", "No problems"))) + "\n"
    if opts.output is not None:
        atomic_write_text(opts.output, text)
    else:
        sys.stdout.write(text)
    if result.internal_error:
        return exitcodes.ERROR
    failing = [f for f in result.findings if f.severity >= config.fail_on]
    return exitcodes.FINDINGS if failing else exitcodes.OK
