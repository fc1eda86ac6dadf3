"""String resources, layouts and text assets, read with the hardened XML parser when a rule first asks."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from pipl_lint.parse.xml import XmlElement, parse_xml, parse_xml_root
from pipl_lint.project.discover import ASSET_SUFFIXES

MAX_ASSET_BYTES = 2 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class StringRes:
    name: str
    text: str
    path: str
    line: int


@dataclass(frozen=True, slots=True)
class Layout:
    name: str  # file stem: activity_login
    path: str
    root: XmlElement


def _wanted_locale(folder: str) -> bool:
    """`values`, `values-zh-rCN`, `values-b+zh+Hans`, `values-en-rGB`, `values-night` … but not `values-fr`."""
    parts = folder.split("-")[1:]
    if not parts:
        return True
    lang = parts[0]
    if lang.startswith("b+"):
        lang = lang[2:].split("+")[0]
    return len(lang) != 2 or lang in ("zh", "en")


def string_elements(text: str) -> list[tuple[str, str, int]]:
    """(name, text, line) of every `<string>` in a strings.xml, with the hardened parser but without
    the position tokenizer (string files can be large and only lines are needed)."""
    root = parse_xml_root(text)
    if root is None:
        return []
    out = []
    for el in root.iter("string"):
        name = el.get("name") or ""
        value = "".join(t for t in el.itertext() if isinstance(t, str))[:4000]
        out.append((name, value, el.sourceline or 1))
    return out


class Resources:
    """Lazily loaded resources of one project. `read_text(path)` returns None (and records a diagnostic)
    for files that cannot be read; `rel(path)` gives the path relative to the scan root."""

    def __init__(self, strings: list[Path] | None = None, layouts: list[Path] | None = None,
                 assets: list[Path] | None = None, read_text: Callable[[Path], str | None] | None = None,
                 rel: Callable[[Path], str] | None = None) -> None:
        self._string_files = strings or []
        self._layout_files = layouts or []
        self._asset_files = assets or []
        self._read = read_text or (lambda _p: None)
        self._rel = rel or (lambda p: p.as_posix())

    @functools.cached_property
    def strings(self) -> dict[str, list[StringRes]]:
        """name → its default, Chinese and English texts (other locales say nothing new to a rule)."""
        out: dict[str, list[StringRes]] = {}
        for path in self._string_files:
            if not _wanted_locale(path.parent.name):
                continue
            text = self._read(path)
            if text is None:
                continue
            rel = self._rel(path)
            for name, value, line in string_elements(text):
                out.setdefault(name, []).append(StringRes(name, value, rel, line))
        return out

    @functools.cached_property
    def layouts(self) -> list[Layout]:
        out: list[Layout] = []
        for path in self._layout_files:
            text = self._read(path)
            doc = parse_xml(text) if text is not None else None
            if doc is not None and doc.root is not None:
                out.append(Layout(path.stem, self._rel(path), doc.root))
        return out

    @functools.cached_property
    def assets(self) -> list[tuple[str, str]]:
        """(path, text) of small text assets (privacy policies and the like)."""
        out: list[tuple[str, str]] = []
        for path in self._asset_files:
            if path.suffix.lower() not in ASSET_SUFFIXES:
                continue
            try:
                if path.stat().st_size > MAX_ASSET_BYTES:
                    continue
            except OSError:
                continue
            text = self._read(path)
            if text is not None:
                out.append((self._rel(path), text))
        return out

    def text(self, ref: str) -> str:
        """All translations of `@string/x` / `R.string.x` / `x`, joined."""
        name = ref.rsplit("/", 1)[-1].rsplit(".", 1)[-1]
        return " ".join(s.text for s in self.strings.get(name, ()))

    def all_text(self) -> str:
        return " ".join(s.text for group in self.strings.values() for s in group)
