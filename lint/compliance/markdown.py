"""The inventory as Markdown: a header, a summary, and the three lists as pipe tables."""

from __future__ import annotations

import re

from pipl_lint import __version__
from pipl_lint.compliance import labels as L
from pipl_lint.compliance.inventory import Inventory
from pipl_lint.compliance.table import Table, facts, summary, tables

_TAG_START = re.compile(r"<(?=[A-Za-z/!?])")


def cell(value: str) -> str:
    """One table cell: no line breaks; pipes escaped, and `<` where it could start an HTML tag."""
    text = " ".join(value.split())
    return _TAG_START.sub("&lt;", text.replace("\\", "\\\\").replace("|", "\\|")) or " "


def table(t: Table, lang: str, level: int = 2) -> list[str]:
    """A table as Markdown lines: its heading at `level`, its note when it has one, then the rows."""
    out = [f"{'#' * level} {t.title}", "", *([t.note, ""] if t.note else [])]
    if not t.rows:
        return [*out, f"*{L.text(lang, 'no_rows')}*", ""]
    out.append("| " + " | ".join(cell(c) for c in t.columns) + " |")
    out.append("|" + "---|" * len(t.columns))
    out += ["| " + " | ".join(cell(c) for c in row.cells) + " |" for row in t.rows]
    return [*out, ""]


def render(inv: Inventory, lang: str) -> str:
    out = [f"# {L.text(lang, 'title')}", "", L.text(lang, "draft_note"), ""]
    out += [f"- **{cell(k)}**: {cell(v)}" for k, v in facts(inv, lang, __version__)]
    out += ["", f"## {L.text(lang, 'summary')}", ""]
    out += [f"- {cell(s.label)}: **{s.value}**" for s in summary(inv, lang)]
    out.append("")
    for t in tables(inv, lang):
        out += table(t, lang)
    return "\n".join(out).rstrip("\n") + "\n"
