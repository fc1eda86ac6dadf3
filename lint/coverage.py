"""What one run read: how many source files (per language), manifests, Gradle files and modules were read
and how many could not be. Every output carries it, so that "no problems" never hides "nothing read"."""

from __future__ import annotations

from typing import Any

import msgspec

# Kinds of input, in the order they are shown. Source languages first (`SOURCE_KINDS`).
SOURCE_KINDS = ("kotlin", "java")
KINDS = (*SOURCE_KINDS, "manifest", "gradle")
LABELS = {"kotlin": "Kotlin", "java": "Java", "manifest": "manifest", "gradle": "Gradle file"}
UNREAD_WARNING_RATIO = 0.10  # above this share of unread source files, the text output says so last


class Coverage(msgspec.Struct, frozen=True, array_like=True):
    """Counts of one run. A file is *read* when it could be decoded and parsed (syntax errors in a part of it
    still count as read: the rest was analysed); *unread* when it could not (binary, mis-encoded, too large,
    unreadable, a parse that timed out, XML with no recoverable root)."""

    projects: int = 0
    modules: int = 0
    read: dict[str, int] = msgspec.field(default_factory=dict)
    unread: dict[str, int] = msgspec.field(default_factory=dict)

    def __add__(self, other: Coverage) -> Coverage:
        return Coverage(self.projects + other.projects, self.modules + other.modules,
                        _sum(self.read, other.read), _sum(self.unread, other.unread))

    @property
    def sources_read(self) -> int:
        return sum(self.read.get(k, 0) for k in SOURCE_KINDS)

    @property
    def sources_unread(self) -> int:
        return sum(self.unread.get(k, 0) for k in SOURCE_KINDS)

    @property
    def anything_read(self) -> bool:
        return any(self.read.values())

    def unread_share(self) -> float:
        total = self.sources_read + self.sources_unread
        return self.sources_unread / total if total else 0.0

    def as_dict(self) -> dict[str, Any]:
        """The JSON shape (docs/output.md: `summary.coverage`)."""
        def pair(kind: str) -> dict[str, int]:
            return {"read": self.read.get(kind, 0), "unread": self.unread.get(kind, 0)}

        return {
            "projects": self.projects,
            "modules": self.modules,
            "sources": {
                "read": self.sources_read,
                "unread": self.sources_unread,
                "by_language": {k: pair(k) for k in SOURCE_KINDS},
            },
            "manifests": pair("manifest"),
            "gradle_files": pair("gradle"),
        }


def counted(kind: str, read: int, unread: int) -> Coverage:
    return Coverage(read={kind: read} if read else {}, unread={kind: unread} if unread else {})


def _sum(a: dict[str, int], b: dict[str, int]) -> dict[str, int]:
    out = dict(a)
    for k, v in b.items():
        out[k] = out.get(k, 0) + v
    return out


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def describe(c: Coverage) -> str:
    """`read 12 source files (10 Kotlin, 2 Java), 2 manifests and 3 Gradle files in 2 modules; could not read
    1 Java file, 1 manifest` — for the text summary line."""
    langs = [f"{c.read[k]} {LABELS[k]}" for k in SOURCE_KINDS if c.read.get(k)]
    text = f"read {_plural(c.sources_read, 'source file')}" + (f" ({', '.join(langs)})" if len(langs) > 1 else "")
    text += (f", {_plural(c.read.get('manifest', 0), 'manifest')} and "
             f"{_plural(c.read.get('gradle', 0), 'Gradle file')} in {_plural(c.modules, 'module')}")
    unread = [_plural(c.unread[k], LABELS[k] + (" file" if k in SOURCE_KINDS else "")) for k in KINDS
              if c.unread.get(k)]
    if unread:
        text += f"; could not read {', '.join(unread)}"
    return text


def unread_warning(c: Coverage) -> str | None:
    """The last line of the text output when more than 10% of the source files could not be read."""
    if c.unread_share() <= UNREAD_WARNING_RATIO:
        return None
    total = c.sources_read + c.sources_unread
    return (f"Warning: {c.sources_unread} of {total} source files ({c.unread_share():.0%}) could not be read; "
            "the results above do not cover them (the notes say why).")
