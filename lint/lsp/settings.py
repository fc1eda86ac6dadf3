"""Server settings from the client's `initializationOptions`.

```json
{"debounce": 0.3, "config": "path/to/pipl-lint.toml", "select": ["early-collection"], "ignore": ["EC106"],
 "app-category": "news", "consent": {"predicates": ["PrivacyStore.isAgreed"]},
 "suppressions": {"require-reason": true}, "cache": true}
```

Rule options use the keys and types of `pipl-lint.toml` (config.OPTIONS) and override the project's
configuration file. Every bad value is reported as one message and replaced by its default; settings
never stop the server.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pipl_lint.config import OPTIONS, Config
from pipl_lint.findings import Severity

# config.OPTIONS key → Config field, for the options an editor may override.
FIELDS = {
    "select": "select", "ignore": "ignore", "fail-on": "fail_on", "exclude": "exclude",
    "app-category": "app_category", "consent.predicates": "consent_predicates",
    "permissions.wrappers": "permission_wrappers", "permissions.require-rationale": "require_rationale",
    "permissions.rerequest-interval-hours": "rerequest_interval_hours",
    "suppressions.require-reason": "require_reason", "policy.paths": "policy_paths",
}
KINDS = {o.key: o.kind for o in OPTIONS}


DEFAULT_DEBOUNCE = 0.3


@dataclass(frozen=True, slots=True)
class ServerSettings:
    debounce: float = DEFAULT_DEBOUNCE  # seconds to wait after an open, a change or a save before analysing
    config: str | None = None  # explicit pipl-lint.toml; default: found from the workspace root
    cache: bool = True
    overrides: dict[str, Any] = field(default_factory=dict)  # Config field → value

    def apply(self, config: Config) -> Config:
        return config.with_overrides(**self.overrides)


def _flatten(options: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in options.items():
        full = f"{prefix}{key}"
        if isinstance(value, dict) and f"{full}." in {k[: len(full) + 1] for k in FIELDS}:
            out.update(_flatten(value, f"{full}."))
        else:
            out[full] = value
    return out


def _check_kind(key: str, value: Any) -> str | None:
    kinds = KINDS[key] if isinstance(KINDS[key], tuple) else (KINDS[key],)
    if (isinstance(value, bool) and bool not in kinds) or not isinstance(value, kinds):  # type: ignore[arg-type]
        return f"`{key}` must be {' or '.join(k.__name__ for k in kinds)}"  # type: ignore[union-attr]
    if isinstance(value, list) and not all(isinstance(v, str) for v in value):
        return f"`{key}` must be a list of strings"
    return None


def _rule_value(key: str, value: Any) -> tuple[Any, str | None]:
    if key == "fail-on":
        try:
            return Severity.parse(value), None
        except ValueError as exc:
            return None, str(exc)
    if key in ("select", "ignore"):
        from pipl_lint.registry import RegistryError, select

        try:
            select(tuple(value), ())
        except RegistryError as exc:
            return None, f"`{key}`: {exc}"
    if isinstance(value, list):
        return tuple(value), None
    if key == "app-category":
        return str(value), None
    return value, None


def parse_settings(options: Any) -> tuple[ServerSettings, list[str]]:
    """Settings from `initializationOptions`, and one message per value that was ignored."""
    if options is None:
        return ServerSettings(), []
    if not isinstance(options, dict):
        return ServerSettings(), ["initializationOptions must be an object; using the defaults"]
    problems: list[str] = []
    debounce, config, cache = DEFAULT_DEBOUNCE, None, True
    overrides: dict[str, Any] = {}
    for key, value in _flatten(options).items():
        if key == "debounce":
            if isinstance(value, int | float) and not isinstance(value, bool) and 0 <= value <= 10:
                debounce = float(value)
            else:
                problems.append("`debounce` must be a number of seconds from 0 to 10")
        elif key == "config":
            if isinstance(value, str) and value:
                config = value
            else:
                problems.append("`config` must be the path of a pipl-lint.toml")
        elif key == "cache":
            if isinstance(value, bool):
                cache = value
            else:
                problems.append("`cache` must be true or false")
        elif key in FIELDS:
            problem = _check_kind(key, value)
            parsed = None
            if problem is None:
                parsed, problem = _rule_value(key, value)
            if problem is None:
                overrides[FIELDS[key]] = parsed
            else:
                problems.append(problem)
        else:
            problems.append(f"unknown setting `{key}` (known: debounce, config, cache, {', '.join(FIELDS)})")
    return ServerSettings(debounce, config, cache, overrides), [f"pipl-lint: {p}; using the default" for p in problems]
