"""String resources and layouts, read with the same hardened XML parser as manifests."""

from __future__ import annotations

from dataclasses import dataclass, field

from pipl_lint.parse.xml import XmlElement


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


@dataclass
class Resources:
    strings: dict[str, list[StringRes]] = field(default_factory=dict)  # name -> every translation
    layouts: list[Layout] = field(default_factory=list)
    assets: list[tuple[str, str]] = field(default_factory=list)  # (path, text) of small text assets

    def add_strings(self, path: str, root: XmlElement | None) -> None:
        if root is None:
            return
        for el in root.children:
            if el.tag == "string":
                name = el.get("name") or ""
                text = el.text
                self.strings.setdefault(name, []).append(StringRes(name, text, path, el.line))

    def text(self, ref: str) -> str:
        """All translations of `@string/x` / `R.string.x` / `x`, joined."""
        name = ref.rsplit("/", 1)[-1].rsplit(".", 1)[-1]
        return " ".join(s.text for s in self.strings.get(name, ()))

    def all_text(self) -> str:
        return " ".join(s.text for group in self.strings.values() for s in group)

