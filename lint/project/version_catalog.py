"""Reader for Gradle version catalogs (``gradle/libs.versions.toml``), using the stdlib ``tomllib``.

Supported library notations::

    [libraries]
    a = "g:n:1.0"                                        # plain string (version optional)
    b = { module = "g:n", version.ref = "x" }            # version reference
    c = { module = "g:n", version = "1.0" }
    d = { group = "g", name = "n", version = { strictly = "1.0" } }   # rich version
    e = { module = "g:n" }                               # no version (managed by a BOM)

Plugins are ``{ id = "x", version.ref = "y" }`` or ``"x:1.0"``; bundles are lists of library aliases.
Aliases are normalised the way Gradle generates accessors: ``-`` and ``_`` become ``.``, so
``firebase-analytics`` is looked up as ``firebase.analytics`` (``libs.firebase.analytics``).

The reader never raises; problems become :class:`ParseError` entries.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipl_lint.parse.gradle_ast import ParseError

__all__ = ["CatalogLibrary", "VersionCatalog", "normalize_alias", "read_version_catalog"]

_TOML_POSITION = re.compile(r"\(at line (\d+), column (\d+)\)")
_RICH_VERSION_KEYS = ("strictly", "require", "prefer")


def normalize_alias(alias: str) -> str:
    """``firebase-analytics`` / ``firebase_analytics`` / ``libs.firebase.analytics`` → ``firebase.analytics``."""
    return alias.replace("-", ".").replace("_", ".")


@dataclass(frozen=True, slots=True)
class CatalogLibrary:
    alias: str
    group: str
    name: str
    version: str | None

    @property
    def coordinate(self) -> str:
        return f"{self.group}:{self.name}" + (f":{self.version}" if self.version else "")


@dataclass(frozen=True, slots=True)
class VersionCatalog:
    libraries: dict[str, CatalogLibrary]
    plugins: dict[str, str]
    bundles: dict[str, tuple[str, ...]]
    errors: tuple[ParseError, ...]
    versions: dict[str, str] = field(default_factory=dict)  # [versions] alias (normalised) -> version
    plugin_versions: dict[str, str] = field(default_factory=dict)  # plugin alias -> version

    @staticmethod
    def _strip(ref: str, *prefixes: str) -> str:
        ref = normalize_alias(ref.strip())
        for prefix in prefixes:
            if ref.startswith(prefix):
                return ref[len(prefix) :]
        return ref

    def library(self, ref: str) -> CatalogLibrary | None:
        """``libs.firebase.analytics`` or ``firebase.analytics`` (or ``firebase-analytics``) → library."""
        key = self._strip(ref, "libs.")
        if key.endswith(".get") and key not in self.libraries:
            key = key[: -len(".get")]
        return self.libraries.get(key)

    def bundle(self, ref: str) -> tuple[CatalogLibrary, ...] | None:
        """``libs.bundles.x`` or ``x`` → the bundle's libraries (unknown aliases are dropped)."""
        key = self._strip(ref, "libs.bundles.", "bundles.")
        aliases = self.bundles.get(key)
        if aliases is None:
            return None
        return tuple(self.libraries[a] for a in aliases if a in self.libraries)

    def resolve_plugin(self, ref: str) -> str | None:
        """``libs.plugins.android.application`` or ``android.application`` → plugin id."""
        return self.plugins.get(self._strip(ref, "libs.plugins.", "plugins."))

    def version(self, ref: str) -> str | None:
        """``libs.versions.minSdk`` or ``minSdk`` → version string."""
        key = self._strip(ref, "libs.versions.", "versions.")
        if key.endswith(".get") and key not in self.versions:
            key = key[: -len(".get")]
        return self.versions.get(key)


def _line_of(text: str, key: str) -> int:
    """Best-effort line of ``key = ...`` (tomllib does not report positions of values)."""
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.lstrip()
        if stripped.startswith((key, f'"{key}"')):
            rest = stripped[len(key) :].lstrip('"').lstrip()
            if rest.startswith(("=", ".")):
                return number
    return 1


class _Reader:
    def __init__(self, text: str) -> None:
        self.text = text
        self.errors: list[ParseError] = []
        self.raw_versions: dict[str, Any] = {}

    def error(self, key: str, message: str) -> None:
        self.errors.append(ParseError(_line_of(self.text, key), 1, message))

    def table(self, data: dict[str, Any], name: str) -> dict[str, Any]:
        value = data.get(name, {})
        if not isinstance(value, dict):
            self.error(name, f"[{name}] must be a table")
            return {}
        return value

    def rich_version(self, value: Any, key: str, depth: int = 0) -> str | None:
        if isinstance(value, str):
            return value or None
        if isinstance(value, dict) and depth < 8:
            if "ref" in value:
                return self.version_ref(value["ref"], key, depth + 1)
            preferred = value.get("prefer")
            if isinstance(preferred, str) and preferred:
                return preferred
            for rich in _RICH_VERSION_KEYS:
                if isinstance(value.get(rich), str) and value[rich]:
                    return value[rich]
            return None
        if value is not None:
            self.error(key, f"{key}: unsupported version notation {value!r}")
        return None

    def version_ref(self, ref: Any, key: str, depth: int = 0) -> str | None:
        if not isinstance(ref, str):
            self.error(key, f"{key}: version.ref must be a string")
            return None
        if ref not in self.raw_versions:
            normalised = {normalize_alias(k): v for k, v in self.raw_versions.items()}
            if normalize_alias(ref) not in normalised:
                self.error(key, f"{key}: unknown version reference {ref!r}")
                return None
            return self.rich_version(normalised[normalize_alias(ref)], key, depth + 1)
        return self.rich_version(self.raw_versions[ref], key, depth + 1)

    def versions(self, data: dict[str, Any]) -> dict[str, str]:
        self.raw_versions = self.table(data, "versions")
        out: dict[str, str] = {}
        for alias, value in self.raw_versions.items():
            resolved = self.rich_version(value, alias)
            if resolved is not None:
                out[normalize_alias(alias)] = resolved
        return out

    def entry_version(self, entry: dict[str, Any], alias: str) -> str | None:
        if "version" not in entry:
            return None
        return self.rich_version(entry["version"], alias)

    def library(self, alias: str, entry: Any) -> CatalogLibrary | None:
        key = normalize_alias(alias)
        if isinstance(entry, str):
            parts = entry.split(":")
            if len(parts) < 2 or not parts[0] or not parts[1]:
                self.error(alias, f"{alias}: invalid library notation {entry!r}")
                return None
            return CatalogLibrary(key, parts[0], parts[1], parts[2] if len(parts) > 2 and parts[2] else None)
        if not isinstance(entry, dict):
            self.error(alias, f"{alias}: invalid library entry")
            return None
        group, name = entry.get("group"), entry.get("name")
        module = entry.get("module")
        if isinstance(module, str):
            group, _, name = module.partition(":")
        if not (isinstance(group, str) and group and isinstance(name, str) and name):
            self.error(alias, f"{alias}: library needs 'module' or 'group' and 'name'")
            return None
        return CatalogLibrary(key, group, name, self.entry_version(entry, alias))

    def plugin(self, alias: str, entry: Any) -> tuple[str, str | None] | None:
        if isinstance(entry, str):
            plugin_id, _, version = entry.partition(":")
            return (plugin_id, version or None) if plugin_id else None
        if isinstance(entry, dict) and isinstance(entry.get("id"), str) and entry["id"]:
            return entry["id"], self.entry_version(entry, alias)
        self.error(alias, f"{alias}: plugin needs an 'id'")
        return None

    def bundle(self, alias: str, entry: Any, libraries: dict[str, CatalogLibrary]) -> tuple[str, ...]:
        if not isinstance(entry, list) or not all(isinstance(item, str) for item in entry):
            self.error(alias, f"{alias}: a bundle must be a list of library aliases")
            return ()
        members = tuple(normalize_alias(item) for item in entry)
        for member, original in zip(members, entry, strict=True):
            if member not in libraries:
                self.error(alias, f"{alias}: unknown library {original!r} in bundle")
        return members


def read_version_catalog(path: Path, text: str) -> VersionCatalog:
    """Read a ``libs.versions.toml``; never raises (invalid TOML → an empty catalog with an error)."""
    del path  # kept for symmetry with the other readers (and future error reporting)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = _TOML_POSITION.search(str(exc))
        if match:
            line, column = int(match.group(1)), int(match.group(2))
        else:
            line, column = max(text.count("\n"), 0) + 1, 1
        return VersionCatalog({}, {}, {}, (ParseError(line, column, f"invalid TOML: {exc}"),))
    except Exception as exc:  # noqa: BLE001 - defensive (e.g. surrogates in the text)
        return VersionCatalog({}, {}, {}, (ParseError(1, 1, f"invalid TOML: {exc}"),))
    reader = _Reader(text)
    versions = reader.versions(data)
    libraries: dict[str, CatalogLibrary] = {}
    for alias, entry in reader.table(data, "libraries").items():
        library = reader.library(alias, entry)
        if library is not None:
            libraries[library.alias] = library
    plugins: dict[str, str] = {}
    plugin_versions: dict[str, str] = {}
    for alias, entry in reader.table(data, "plugins").items():
        plugin = reader.plugin(alias, entry)
        if plugin is not None:
            plugins[normalize_alias(alias)] = plugin[0]
            if plugin[1]:
                plugin_versions[normalize_alias(alias)] = plugin[1]
    bundles = {
        normalize_alias(alias): reader.bundle(alias, entry, libraries)
        for alias, entry in reader.table(data, "bundles").items()
    }
    return VersionCatalog(libraries, plugins, bundles, tuple(reader.errors), versions, plugin_versions)
