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
# Bounds for hostile documents (lxml's own: depth 256, text nodes 10 MB, no entity expansion).
MAX_ELEMENTS = 100_000  # elements kept; the rest of a bigger document is dropped with an error
MAX_ATTRIBUTES = 256  # attributes read per element (lxml reads attribute values in quadratic time)
TAG_WINDOW = 256  # how far ahead of the last matched start tag an element's tag is looked for
MAX_TEXT = 4000


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


# Start-tag names; everything else that begins with `<` is skipped by `_skip_token` with str.find, so that
# unterminated comments, CDATA sections or processing instructions cost one linear scan, not one per `<`.
_NAME = re.compile(r"<([^\s/>!?<]+)")
# (opening, closing) of the tokens whose content is skipped; an unterminated one runs to the end.
_SKIPPED = (("<!--", "-->"), ("<![CDATA[", "]]>"), ("<?", "?>"))
_ATTR = re.compile(r"""\s*(?:([^\s=/><]+)\s*=\s*(?:"([^"]*)"|'([^']*)')|(/?>))""")


def scan_start_tags(text: str, comments: list[tuple[int, int]] | None = None,
                    limit: int | None = None) -> list[StartTag]:
    """Every start tag in document order, with the spans of its attribute values.

    A tokenizer over the XML text (not source code): comments, CDATA, processing instructions, the
    DOCTYPE and end tags are skipped; a broken tag ends where the next `<` begins. Linear time; stops
    after `limit` tags.
    """
    tags: list[StartTag] = []
    pos = 0
    n = len(text)
    while limit is None or len(tags) < limit:
        pos = text.find("<", pos)
        if pos < 0:
            break
        m = _NAME.match(text, pos)
        if m is None:
            end = _skip_token(text, pos)
            if comments is not None and text.startswith("<!--", pos):
                comments.append((pos, end))
            pos = end
            continue
        name = m.group(1)
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


def _skip_token(text: str, pos: int) -> int:
    """End of the comment, CDATA, PI, DOCTYPE, declaration or end tag at `pos` (not a start tag)."""
    n = len(text)
    for opening, closing in _SKIPPED:
        if text.startswith(opening, pos):
            end = text.find(closing, pos + len(opening))
            return n if end < 0 else end + len(closing)
    if text.startswith("<!DOCTYPE", pos):
        gt = text.find(">", pos)
        bracket = text.find("[", pos, gt if gt >= 0 else n)
        if bracket >= 0:  # an internal subset: up to its `]`, then the `>`
            close = text.find("]", bracket)
            gt = text.find(">", close) if close >= 0 else -1
        return n if gt < 0 else gt + 1
    # `</x>`, `<!ELEMENT ...>` or a stray `<`: up to the `>`, or to the next `<` when it is broken.
    lt = text.find("<", pos + 1)
    gt = text.find(">", pos + 1, n if lt < 0 else lt)
    if gt >= 0:
        return gt + 1
    return n if lt < 0 else lt


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
        return (el.text or "")[:MAX_TEXT]
    parts: list[str] = []
    size = 0
    for t in el.itertext():
        if isinstance(t, str):
            parts.append(t)
            size += len(t)
            if size >= MAX_TEXT:
                break
    return "".join(parts)[:MAX_TEXT]


def _attributes(el: etree._Element, errors: list[str]) -> dict[str, str]:
    keys = el.keys()
    if len(keys) <= MAX_ATTRIBUTES:
        return {_qname(k): v for k, v in el.attrib.items()}
    if len(errors) < MAX_ERRORS:
        errors.append(f"line {el.sourceline}: <{_qname(el.tag)}> has {len(keys):,} attributes; only the first "
                      f"{MAX_ATTRIBUTES} were read")
    return {_qname(k): el.get(k, "") for k in keys[:MAX_ATTRIBUTES]}


def _qname(name: str) -> str:
    if name.startswith("{"):
        ns, _, local = name[1:].partition("}")
        prefix = _PREFIXES.get(ns)
        return f"{prefix}:{local}" if prefix else local
    return name


def parse_xml_root(text: str, errors: list[str] | None = None) -> etree._Element | None:
    """The hardened lxml root of `text` (None when nothing could be recovered); never raises.
    For callers that need neither positions nor the XmlElement tree (e.g. big strings.xml files)."""
    errors = [] if errors is None else errors
    parser = _parser()
    data = text.encode("utf-8", "surrogatepass")
    if data.lstrip().startswith(b"<?xml"):
        end = data.find(b"?>")
        data = b'<?xml version="1.0" encoding="UTF-8"?>' + data[end + 2 :] if end > 0 else data
    try:
        return etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        errors.append(str(exc))
    except (ValueError, MemoryError) as exc:  # pragma: no cover - defensive
        errors.append(f"unreadable XML: {exc}")
    return None


XINCLUDE_NS = ("http://www.w3.org/2001/XInclude", "http://www.w3.org/2003/XInclude")


def _unsupported(root: etree._Element) -> list[str]:
    """Notes for what a hostile document may try and we never do: load a DTD, expand entities, XInclude."""
    notes = []
    info = root.getroottree().docinfo
    if info.doctype or info.internalDTD is not None:
        notes.append("a DOCTYPE was ignored: DTDs, external files and entities are never loaded or expanded")
    if next(root.iter(*(f"{{{ns}}}*" for ns in XINCLUDE_NS)), None) is not None:
        notes.append("XInclude elements were not processed: included files are never read")
    return notes


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
    errors += _unsupported(root)
    comments: list[tuple[int, int]] = []
    tags = scan_start_tags(text, comments, MAX_ELEMENTS + TAG_WINDOW)
    lines = _Lines(text)
    cursor = [0]
    count = [0]

    def build(el: etree._Element) -> XmlElement | None:
        if not isinstance(el.tag, str):
            return None
        count[0] += 1
        if count[0] > MAX_ELEMENTS:
            if count[0] == MAX_ELEMENTS + 1:
                errors.append(f"more than {MAX_ELEMENTS:,} elements; the rest of the document was not read")
            return None
        tag = _qname(el.tag)
        local = tag.split(":")[-1]
        found: StartTag | None = None
        for idx in range(cursor[0], min(len(tags), cursor[0] + TAG_WINDOW)):
            if tags[idx].name.split(":")[-1] == local:
                found = tags[idx]
                cursor[0] = idx + 1
                break
        attrs = _attributes(el, errors)
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
