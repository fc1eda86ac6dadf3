"""Hardened XML reading: lxml with no network, no DTD loading and no entity expansion, plus exact
positions of every start tag and attribute value from a small tokenizer over the raw text.

libxml2 reports only the line where a start tag *ends*; findings and `--fix` edits need the offset of
the `<` and of each attribute value, so `scan_start_tags` walks the text once (skipping comments,
CDATA, processing instructions and the DOCTYPE) and `parse_xml` pairs its tags with lxml's elements
in document order.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace

from lxml import etree

ANDROID_NS = "http://schemas.android.com/apk/res/android"
TOOLS_NS = "http://schemas.android.com/tools"
_PREFIXES = {ANDROID_NS: "android", TOOLS_NS: "tools"}
MAX_ERRORS = 5


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        recover=True,
        remove_pis=True,
    )


@dataclass(frozen=True, slots=True)
class StartTag:
    name: str
    start: int  # offset of '<'
    end: int  # offset just past '>'
    attrs: dict[str, tuple[int, int]] = field(default_factory=dict)  # qname -> value [start, end)
    self_closing: bool = False


@dataclass(frozen=True, slots=True)
class XmlElement:
    """An element with its attributes keyed `prefix:local` (android:name, tools:node)."""

    tag: str
    attrs: dict[str, str]
    line: int
    column: int
    end_line: int
    end_column: int
    start: int  # offsets of the start tag in the decoded text
    end: int
    attr_spans: dict[str, tuple[int, int]]
    self_closing: bool
    children: tuple[XmlElement, ...] = ()
    text: str = ""  # all text inside, entities left unexpanded (capped)
    # On the root element only: `pipl-lint` comments of the document as (first line, last line, text),
    # the same shape as FileSummary.suppressions (see lint/suppress.py).
    suppressions: tuple[tuple[int, int, str], ...] = ()

    def get(self, key: str, default: str | None = None) -> str | None:
        return self.attrs.get(key, default)

    def iter(self, tag: str | None = None) -> Iterator[XmlElement]:
        if tag is None or self.tag == tag:
            yield self
        for child in self.children:
            yield from child.iter(tag)

    def find_all(self, tag: str) -> tuple[XmlElement, ...]:
        return tuple(c for c in self.children if c.tag == tag)


@dataclass(frozen=True, slots=True)
class XmlDocument:
    root: XmlElement | None
    errors: tuple[str, ...]
    text: str


# XML tokens that are not element start tags are matched first so that their content is skipped.
_TOKEN = re.compile(
    r"<!--.*?-->|<!\[CDATA\[.*?\]\]>|<\?.*?\?>|<!DOCTYPE(?:[^\[>]|\[.*?\])*>|<![^>]*>|</[^>]*>"
    r"|<([^\s/>!?<]+)",
    re.S,
)
_ATTR = re.compile(r"""\s*(?:([^\s=/><]+)\s*=\s*(?:"([^"]*)"|'([^']*)')|(/?>))""")


def scan_start_tags(text: str, comments: list[tuple[int, int]] | None = None) -> list[StartTag]:
    """Every start tag in document order, with the spans of its attribute values.

    A tokenizer over the XML text (not source code): comments, CDATA, processing instructions, the
    DOCTYPE and end tags are skipped; a broken tag ends where the next `<` begins.
    """
    tags: list[StartTag] = []
    pos = 0
    n = len(text)
    while True:
        m = _TOKEN.search(text, pos)
        if m is None:
            break
        name = m.group(1)
        if name is None:
            if comments is not None and text.startswith("<!--", m.start()):
                comments.append((m.start(), m.end()))
            pos = m.end()
            continue
        start = m.start()
        j = m.end()
        attrs: dict[str, tuple[int, int]] = {}
        closed = False
        self_closing = False
        while j < n:
            a = _ATTR.match(text, j)
            if a is None:
                break
            if a.group(4) is not None:
                closed = True
                self_closing = a.group(4) == "/>"
                j = a.end()
                break
            group = 2 if a.group(2) is not None else 3
            attrs[a.group(1)] = (a.start(group), a.end(group))
            j = a.end()
        if not closed:
            nxt = text.find("<", j)
            j = n if nxt < 0 else nxt
        tags.append(StartTag(name, start, j, attrs, self_closing))
        pos = max(j, m.end())
    return tags


class _Lines:
    """Offset → (line, column) for 1-based positions."""

    def __init__(self, text: str) -> None:
        self.starts = [0]
        pos = text.find("\n")
        while pos >= 0:
            self.starts.append(pos + 1)
            pos = text.find("\n", pos + 1)

    def position(self, offset: int) -> tuple[int, int]:
        lo, hi = 0, len(self.starts) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if self.starts[mid] <= offset:
                lo = mid
            else:
                hi = mid - 1
        return lo + 1, offset - self.starts[lo] + 1


def _text(el: etree._Element) -> str:
    """The element's text content (entities stay unexpanded), capped; cheap for leaf elements."""
    if len(el) == 0:
        return (el.text or "")[:4000]
    return "".join(t for t in el.itertext() if isinstance(t, str))[:4000]


def _qname(name: str) -> str:
    if name.startswith("{"):
        ns, _, local = name[1:].partition("}")
        prefix = _PREFIXES.get(ns)
        return f"{prefix}:{local}" if prefix else local
    return name


def parse_xml(text: str) -> XmlDocument:
    """Parse `text` safely; never raises. Broken documents give what could be recovered plus errors."""
    parser = _parser()
    errors: list[str] = []
    data = text.encode("utf-8", "surrogatepass")
    if data.lstrip().startswith(b"<?xml"):
        # lxml refuses str with an encoding declaration; re-declare as UTF-8 bytes.
        end = data.find(b"?>")
        data = b'<?xml version="1.0" encoding="UTF-8"?>' + data[end + 2 :] if end > 0 else data
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        root = None
        errors.append(str(exc))
    except (ValueError, MemoryError) as exc:  # pragma: no cover - defensive
        root = None
        errors.append(f"unreadable XML: {exc}")
    for entry in parser.error_log:
        if len(errors) >= MAX_ERRORS:
            break
        if entry.level_name in ("ERROR", "FATAL"):
            errors.append(f"line {entry.line}: {entry.message}")
    if root is None:
        if not errors:
            errors.append("no XML root element")
        return XmlDocument(None, tuple(errors), text)
    comments: list[tuple[int, int]] = []
    tags = scan_start_tags(text, comments)
    lines = _Lines(text)
    cursor = [0]

    def build(el: etree._Element) -> XmlElement | None:
        if not isinstance(el.tag, str):
            return None
        tag = _qname(el.tag)
        local = tag.split(":")[-1]
        found: StartTag | None = None
        for idx in range(cursor[0], len(tags)):
            if tags[idx].name.split(":")[-1] == local:
                found = tags[idx]
                cursor[0] = idx + 1
                break
        attrs = {_qname(k): v for k, v in el.attrib.items()}
        kids = tuple(c for c in (build(child) for child in el) if c is not None)
        text = _text(el)
        if found is None:
            line = el.sourceline or 1
            return XmlElement(tag, attrs, line, 1, line, 1, -1, -1, {}, False, kids, text)
        line, col = lines.position(found.start)
        end_line, end_col = lines.position(found.end)
        spans = {k: v for k, v in found.attrs.items()}
        return XmlElement(tag, attrs, line, col, end_line, end_col, found.start, found.end, spans,
                          found.self_closing, kids, text)

    try:
        built = build(root)
    except RecursionError:
        return XmlDocument(None, (*errors, "elements nested too deeply"), text)
    marked = tuple((lines.position(a)[0], lines.position(b - 1)[0], text[a:b]) for a, b in comments
                   if "pipl-lint" in text[a:b])
    if built is not None and marked:
        built = replace(built, suppressions=marked)
    return XmlDocument(built, tuple(errors), text)


def line_col(text: str, offset: int) -> tuple[int, int]:
    """1-based (line, column) of `offset` in `text`."""
    line = text.count("\n", 0, offset) + 1
    col = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, col
