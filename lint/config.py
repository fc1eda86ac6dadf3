"""`pipl-lint.toml` (or `.pipl-lint.toml`, or `[tool.pipl-lint]` in pyproject.toml): found automatically, for
each project the nearest one at or above its root (`Configs`), validated strictly (unknown keys, wrong types and
values outside the accepted ones are errors with file and line).
Every option is declared once in OPTIONS with its type, default and documentation; the README table and
the language server read the same declarations.
"""

from __future__ import annotations

import functools
import math
import os
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from pipl_lint.findings import Severity

CONFIG_NAMES = ("pipl-lint.toml", ".pipl-lint.toml")
MAX_CONFIG_BYTES = 1024 * 1024


class ConfigError(Exception):
    """A configuration problem; the message names the file (and line when known)."""


@dataclass(frozen=True, slots=True)
class Option:
    key: str  # dotted: "consent.predicates"
    kind: type | tuple[type, ...]
    doc: str
    example: str


OPTIONS: tuple[Option, ...] = (
    Option("select", list, "Only run these rules (ids, names or categories).", 'select = ["early-collection"]'),
    Option("ignore", list, "Never run these rules (ids, names or categories).", 'ignore = ["EP210"]'),
    Option("fail-on", str, "Lowest severity that makes the exit code 1: error, warning or info.",
           'fail-on = "warning"'),
    Option("exclude", list, "Glob patterns (relative to the configuration file's folder) of files and folders "
           "to skip.",
           'exclude = ["**/generated/**", "legacy/**"]'),
    Option("app-category", (str, int), "The app's type among the 39 of "
           "《常见类型移动互联网应用程序必要个人信息范围规定》 (number, English key or Chinese name); enables the "
           "necessary-PI checks.", 'app-category = "news"'),
    Option("variants", list, "Build variants to analyse: variant names (`chinaRelease`), or a flavour or build "
           "type standing for every shipped variant that has it (default: every non-debug variant).",
           'variants = ["china"]'),
    Option("max-file-size", int, "Files larger than this many bytes are skipped with a diagnostic.",
           "max-file-size = 5000000"),
    Option("parse-timeout", (int, float), "Seconds one Kotlin/Java file may take to parse and summarise "
           "(a file stopped while parsing is skipped, one stopped while summarising keeps what was read; either "
           "way a note names it). A file never holds the scan longer than this plus half of it (at least 1 s).",
           "parse-timeout = 5"),
    Option("severity", dict, "Per-rule severity overrides.", '[severity]\n"EP210" = "warning"'),
    Option("consent.predicates", list, "The project's own consent-check functions or fields "
           "(`Class.method` or `method`); code they guard counts as after consent.",
           'predicates = ["PrivacyStore.isAgreed"]'),
    Option("permissions.rerequest-interval-hours", (int, float), "Minimum hours before a refused permission "
           "may be asked for again (store practice, often 48).", "rerequest-interval-hours = 48"),
    Option("permissions.require-rationale", bool, "Report permission requests with no purpose shown first.",
           "require-rationale = true"),
    Option("permissions.wrappers", list, "The project's own permission-request helpers (`Class.method`); "
           "their first string/array argument is the permission list.", 'wrappers = ["PermissionHelper.ask"]'),
    Option("suppressions.require-reason", bool, "Report `pipl-lint: ignore[...]` comments that give no reason.",
           "require-reason = true"),
    Option("distribution", str, "Where the app is distributed: google-play, china-stores, both (default) or "
           "elsewhere (neither: its own site, GitHub releases, F-Droid only). For an app not on Google Play a "
           "Play-only restriction is at most a warning, with the reason; for one on neither, a restricted "
           "permission the app uses is not reported.",
           'distribution = "china-stores"'),
    Option("policy.paths", list, "Privacy-policy files to compare with the SDKs and PI found in code.",
           'paths = ["app/src/main/assets/privacy.html"]'),
    Option("sdk-modules", list, "Modules to lint as SDKs for host apps (`sdk-provider` rules, `report --sdk`) "
           "besides the published library modules found by themselves.", 'sdk-modules = [":tracker"]'),
    Option("public-api", list, "The SDK's init/start functions the host calls (`Class.method` or `method`); "
           "default: every public function of an SDK module.", 'public-api = ["Tracker.init", "Tracker.start"]'),
)
_BY_KEY = {o.key: o for o in OPTIONS}
DISTRIBUTIONS = ("google-play", "china-stores", "both", "elsewhere")
_TABLES = {"severity", "consent", "permissions", "suppressions", "policy"}


@dataclass(frozen=True, slots=True)
class Config:
    path: Path | None = None
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    fail_on: Severity = Severity.ERROR
    exclude: tuple[str, ...] = ()
    app_category: str | None = None
    max_file_size: int = 5 * 1024 * 1024
    parse_timeout: float = 5.0
    severity: dict[str, Severity] = field(default_factory=dict)
    consent_predicates: tuple[str, ...] = ()
    rerequest_interval_hours: float = 48.0
    require_rationale: bool = True
    permission_wrappers: tuple[str, ...] = ()
    require_reason: bool = True
    policy_paths: tuple[str, ...] = ()
    variants: tuple[str, ...] = ()
    distribution: str = "both"  # google-play | china-stores | both | elsewhere
    sdk_modules: tuple[str, ...] = ()  # module paths linted as SDKs (":tracker")
    public_api: tuple[str, ...] = ()  # the SDK's init/start functions ("Tracker.init")

    def with_overrides(self, **kw: Any) -> Config:
        return replace(self, **{k: v for k, v in kw.items() if v is not None})

    def fingerprint(self) -> str:
        return repr((self.exclude, self.consent_predicates, self.permission_wrappers, self.max_file_size))


def find_config(start: Path) -> Path | None:
    """The nearest config file in `start` or its parents (stopping at a repository root)."""
    for d in (start, *start.parents):
        for name in CONFIG_NAMES:
            if (d / name).is_file():
                return _inside_folder(d / name)
        pyproject = d / "pyproject.toml"
        if pyproject.is_file() and _inside_folder(pyproject, raising=False) is not None:
            try:
                tool = _read_toml(pyproject)[1].get("tool")
            except ConfigError:
                tool = None
            if isinstance(tool, dict) and "pipl-lint" in tool:
                return pyproject
        if (d / ".git").exists():
            break
    return None


class Configs:
    """Which configuration applies to each project, whatever the working folder: `fixed` (from `--config`) for
    every project, else the nearest configuration file at or above the project's root (as ruff does for each
    file). `overrides` (the command line's `--select`, `--fail-on`, ...) apply on top of each; `ignore` is
    added to each configuration's own."""

    def __init__(self, fixed: Config | None = None, overrides: dict[str, Any] | None = None) -> None:
        self.fixed = fixed
        self.overrides = {k: v for k, v in (overrides or {}).items() if v is not None}
        self._by_file = functools.lru_cache(maxsize=None)(self._load)

    def _load(self, path: Path | None) -> Config:
        config = load_config(path) if path is not None else Config()
        kw = dict(self.overrides)
        if "ignore" in kw:
            kw["ignore"] = config.ignore + tuple(kw["ignore"])
        return config.with_overrides(**kw)

    def with_overrides(self, **kw: Any) -> Configs:
        return Configs(self.fixed, {**self.overrides, **kw})

    def for_folder(self, folder: Path) -> Config:
        """The configuration of the project rooted at `folder` (or of a file in it)."""
        if self.fixed is not None:
            return self._by_file(self.fixed.path) if self.fixed.path else self.fixed.with_overrides(**self.overrides)
        return self._by_file(find_config(Path(os.path.abspath(folder))))


def scan_root_patterns(config: Config, scan_root: Path) -> tuple[str, ...]:
    """`config.exclude` (relative to the configuration file's folder) made relative to `scan_root`."""
    if config.path is None or not config.exclude:
        return config.exclude
    folder = Path(os.path.abspath(config.path.parent))
    root = Path(os.path.abspath(scan_root))
    if folder == root:
        return config.exclude
    if root in folder.parents:  # the configuration is below the scan root: its patterns get its folder in front
        prefix = folder.relative_to(root).as_posix() + "/"
        return tuple(prefix + pattern.removeprefix("./") for pattern in config.exclude)
    if folder in root.parents:  # above: a pattern for the scan root's folder loses that part; `**/x` stays
        prefix = root.relative_to(folder).as_posix() + "/"
        return tuple(pattern[len(prefix):] if pattern.startswith(prefix) else pattern
                     for pattern in config.exclude if pattern.startswith((prefix, "*")))
    return config.exclude


def _inside_folder(path: Path, raising: bool = True) -> Path | None:
    """`path`, unless it is a link to a file outside its own folder (a repository could otherwise make
    the linter read, and quote keys of, any TOML file on the machine); pass `--config` to use such a file."""
    real = os.path.realpath(path)
    folder = os.path.realpath(path.parent)
    if real.startswith(folder.rstrip(os.sep) + os.sep):
        return path
    if raising:
        raise ConfigError(f"{path}: a link to a file outside its folder; not read (pass it with --config)")
    return None


def _read_toml(path: Path) -> tuple[str, dict[str, Any]]:
    """The text and table of a TOML file; every problem is a ConfigError naming the file."""
    try:
        if path.stat().st_size > MAX_CONFIG_BYTES:
            raise ConfigError(f"{path}: over {MAX_CONFIG_BYTES:,} bytes; not a configuration file")
        raw_bytes = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror or exc}") from None
    try:
        text = raw_bytes.decode("utf-8-sig")
        return text, tomllib.loads(text)
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    except (RecursionError, MemoryError):
        raise ConfigError(f"{path}: invalid TOML: arrays or tables nested too deeply") from None


def _line_of(text: str, key: str) -> int:
    leaf = key.rsplit(".", 1)[-1]
    for i, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        for candidate in (leaf, f'"{leaf}"'):
            if stripped.startswith(candidate) and stripped[len(candidate):].lstrip().startswith("="):
                return i
    return 0


def _where(path: Path, text: str, key: str) -> str:
    line = _line_of(text, key)
    return f"{path}:{line}" if line else str(path)


SEVERITIES = "error, warning or info"


def unknown_app_category(value: str | int) -> str | None:
    """Why `value` names none of the app categories (with the accepted values), or None when it names one."""
    from pipl_lint.catalogs import load_catalog

    types = load_catalog().app_types
    if load_catalog().app_type(value) is not None:
        return None
    keys = ", ".join(t.key for t in types)
    return (f"unknown app category {value!r}: accepted are a number 1-{len(types)}, a Chinese name from "
            f"《常见类型移动互联网应用程序必要个人信息范围规定》 or one of the keys {keys}")


def _check_values(path: Path, text: str, flat: dict[str, Any]) -> None:
    """Every enumerated or ranged value is one of its accepted values; the error names the file, the line and
    what is accepted."""
    from pipl_lint.registry import RegistryError, all_rules, select

    def fail(key: str, problem: str) -> ConfigError:
        return ConfigError(f"{_where(path, text, key)}: {problem}")

    if "fail-on" in flat and flat["fail-on"].strip().lower() not in ("error", "warning", "info"):
        raise fail("fail-on", f"`fail-on`: unknown severity {flat['fail-on']!r} (accepted: {SEVERITIES})")
    for rule, value in flat.get("severity", {}).items():
        if not isinstance(value, str) or value.strip().lower() not in ("error", "warning", "info"):
            raise fail(rule, f"`severity`: unknown severity {value!r} for {rule} (accepted: {SEVERITIES})")
    for key in ("select", "ignore"):
        for name in flat.get(key, ()):
            try:
                select((name,), ())
            except RegistryError:
                raise fail(key, f"`{key}`: unknown rule or category {name!r} (accepted: the rule ids, names and "
                           "categories that `pipl-lint rules` lists)") from None
    rule_keys = {key for r in all_rules() for key in (r.meta.id, r.meta.name)}
    for name in flat.get("severity", {}):
        if name not in rule_keys:
            raise fail(name, f"`severity`: unknown rule {name!r} (accepted: the rule ids and names that "
                       "`pipl-lint rules` lists)")
    for key in ("max-file-size", "parse-timeout", "permissions.rerequest-interval-hours"):
        if key in flat and not (flat[key] > 0 and math.isfinite(flat[key])):
            raise fail(key, f"`{key}` = {flat[key]!r}: must be a positive finite number")
    if "app-category" in flat and (problem := unknown_app_category(flat["app-category"])):
        raise fail("app-category", f"`app-category`: {problem}")


def load_config(path: Path) -> Config:
    text, data = _read_toml(path)
    if path.name == "pyproject.toml":
        tool = data.get("tool", {})
        data = tool.get("pipl-lint", {}) if isinstance(tool, dict) else {}
        if not isinstance(data, dict):
            raise ConfigError(f"{path}: `[tool.pipl-lint]` must be a table")
    flat: dict[str, Any] = {}
    for key, value in data.items():
        if key in _TABLES and key != "severity":
            if not isinstance(value, dict):
                raise ConfigError(f"{_where(path, text, key)}: `{key}` must be a table")
            for sub, v in value.items():
                flat[f"{key}.{sub}"] = v
        else:
            flat[key] = value
    for key, value in flat.items():
        opt = _BY_KEY.get(key)
        if opt is None:
            known = ", ".join(o.key for o in OPTIONS)
            shown = key if len(key) <= 80 else key[:80] + "…"
            raise ConfigError(f"{_where(path, text, key)}: unknown option `{shown}` (known: {known})")
        kinds = opt.kind if isinstance(opt.kind, tuple) else (opt.kind,)
        if (isinstance(value, bool) and bool not in kinds) or not isinstance(value, kinds):
            want = " or ".join(k.__name__ for k in kinds)
            raise ConfigError(f"{_where(path, text, key)}: `{key}` must be {want}, not {type(value).__name__}")
        if isinstance(value, list) and not all(isinstance(v, str) for v in value):
            raise ConfigError(f"{_where(path, text, key)}: `{key}` must be a list of strings")
    _check_values(path, text, flat)
    severity = {str(k): Severity.parse(str(v)) for k, v in flat.get("severity", {}).items()}
    fail_on = Severity.parse(flat["fail-on"]) if "fail-on" in flat else Severity.ERROR
    category = flat.get("app-category")
    if flat.get("distribution", "both") not in DISTRIBUTIONS:
        raise ConfigError(f"{_where(path, text, 'distribution')}: `distribution` must be one of "
                          f"{', '.join(DISTRIBUTIONS)}, not {flat['distribution']!r}")
    defaults = Config()
    return Config(
        path=path,
        select=tuple(flat.get("select", ())),
        ignore=tuple(flat.get("ignore", ())),
        fail_on=fail_on,
        exclude=tuple(flat.get("exclude", ())),
        app_category=str(category) if category is not None else None,
        max_file_size=int(flat.get("max-file-size", defaults.max_file_size)),
        parse_timeout=float(flat.get("parse-timeout", defaults.parse_timeout)),
        severity=severity,
        consent_predicates=tuple(flat.get("consent.predicates", ())),
        rerequest_interval_hours=float(flat.get("permissions.rerequest-interval-hours", 48.0)),
        require_rationale=bool(flat.get("permissions.require-rationale", True)),
        permission_wrappers=tuple(flat.get("permissions.wrappers", ())),
        require_reason=bool(flat.get("suppressions.require-reason", True)),
        policy_paths=tuple(flat.get("policy.paths", ())),
        variants=tuple(flat.get("variants", ())),
        distribution=str(flat.get("distribution", "both")),
        sdk_modules=tuple(flat.get("sdk-modules", ())),
        public_api=tuple(flat.get("public-api", ())),
    )
