"""The inventory as one self-contained HTML page for compliance staff.

Inline CSS and a little vanilla JavaScript (filtering by text and by timing/consent/protection, sorting by a
column); nothing is loaded from anywhere — a Content-Security-Policy with the hashes of the inline style and
script forbids every other source. Every value is HTML-escaped. Links to the SDKs' privacy policies are plain
`https://` links.
"""

from __future__ import annotations

import base64
import hashlib
import re
from html import escape

from pipl_lint import __version__
from pipl_lint.compliance import labels as L
from pipl_lint.compliance.inventory import Inventory
from pipl_lint.compliance.table import Row, Table, facts, summary, tables

# Per table: the row tag the select filters on, its labels, and the column that shows it.
FILTER_TAG = {"personal_information": ("timing", L.TIMING, 4), "sdks": ("consent", L.SDK_CONSENT, 8),
              "permissions": ("protection", L.PROTECTION, 1)}
# Per table: (row tag, column) shown as a coloured pill.
PILLS = {"personal_information": (("timing", 4),), "sdks": (("consent", 8),),
         "permissions": (("protection", 1), ("necessity", 8))}

STYLE = """
:root { --fg: #1f2328; --muted: #59636e; --line: #d1d9e0; --head: #f6f8fa; --bad: #b42318; --bad-bg: #fef3f2;
  --ok: #1a7f37; --warn: #9a6700; }
* { box-sizing: border-box; }
body { margin: 0; padding: 24px 28px 48px; color: var(--fg); background: #fff; line-height: 1.5;
  font: 14px/1.5 system-ui, -apple-system, "Segoe UI", "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC",
  "Noto Sans SC", sans-serif; }
h1 { font-size: 22px; margin: 0 0 8px; }
h2 { font-size: 18px; margin: 32px 0 6px; }
.note { color: var(--muted); max-width: 80em; margin: 4px 0 10px; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 12px 0; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; word-break: break-all; }
ul.cards { list-style: none; display: flex; flex-wrap: wrap; gap: 10px; padding: 0; margin: 8px 0; }
ul.cards li { border: 1px solid var(--line); border-radius: 8px; padding: 8px 14px; min-width: 150px; }
ul.cards li .n { display: block; font-size: 24px; font-weight: 600; }
ul.cards li.alert.hot { border-color: var(--bad); background: var(--bad-bg); }
ul.cards li.alert.hot .n { color: var(--bad); }
ul.cards li.note .n { font-size: 14px; font-weight: 400; max-width: 260px; }
nav.toc a { margin-right: 16px; }
.controls { display: flex; flex-wrap: wrap; gap: 12px; align-items: center; margin: 8px 0; }
.controls input, .controls select { font: inherit; padding: 4px 8px; border: 1px solid var(--line);
  border-radius: 6px; }
.controls input { min-width: 260px; }
.shown { color: var(--muted); }
.scroll { overflow-x: auto; border: 1px solid var(--line); border-radius: 8px; }
table { border-collapse: collapse; width: 100%; }
th, td { border-bottom: 1px solid var(--line); padding: 6px 8px; text-align: left; vertical-align: top; }
th { background: var(--head); position: sticky; top: 0; cursor: pointer; white-space: nowrap; user-select: none; }
th[aria-sort="ascending"]::after { content: " \\25B2"; }
th[aria-sort="descending"]::after { content: " \\25BC"; }
td { max-width: 34em; overflow-wrap: anywhere; }
tbody tr:nth-child(even) { background: #fbfcfd; }
tr.hot td:first-child { box-shadow: inset 3px 0 0 var(--bad); }
.pill { display: inline-block; border-radius: 10px; padding: 0 8px; white-space: nowrap; background: var(--head); }
.pill.bad { color: var(--bad); background: var(--bad-bg); }
.pill.ok { color: var(--ok); }
.empty { color: var(--muted); font-style: italic; }
code { font: 12px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; background: var(--head);
  border-radius: 4px; padding: 0 3px; }
@media print { .controls, nav.toc { display: none; } th { position: static; } }
"""

SCRIPT = """
(function () {
  "use strict";
  function apply(section) {
    var input = section.querySelector("input[type=search]");
    var select = section.querySelector("select");
    var words = (input ? input.value : "").toLowerCase().split(/\\s+/).filter(Boolean);
    var tag = select ? select.getAttribute("data-tag") : null;
    var want = select ? select.value : "";
    var shown = 0;
    section.querySelectorAll("tbody tr").forEach(function (row) {
      var text = row.textContent.toLowerCase();
      var ok = words.every(function (w) { return text.indexOf(w) !== -1; }) &&
        (!want || row.getAttribute("data-" + tag) === want);
      row.hidden = !ok;
      if (ok) { shown += 1; }
    });
    var out = section.querySelector(".shown-n");
    if (out) { out.textContent = String(shown); }
  }
  function sort(th) {
    var table = th.closest("table");
    var body = table.tBodies[0];
    var index = Array.prototype.indexOf.call(th.parentNode.children, th);
    var descending = th.getAttribute("aria-sort") === "ascending";
    table.querySelectorAll("th").forEach(function (h) { h.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", descending ? "descending" : "ascending");
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = a.cells[index].textContent, y = b.cells[index].textContent;
      var c = x.localeCompare(y, undefined, { numeric: true });
      return descending ? -c : c;
    });
    rows.forEach(function (r) { body.appendChild(r); });
  }
  document.querySelectorAll("section.inv").forEach(function (section) {
    section.querySelectorAll("input, select").forEach(function (el) {
      el.addEventListener("input", function () { apply(section); });
      el.addEventListener("change", function () { apply(section); });
    });
    section.querySelectorAll("th").forEach(function (th) {
      th.addEventListener("click", function () { sort(th); });
    });
    apply(section);
  });
})();
"""

_CODE = re.compile(r"`([^`<>]+)`")
BAD = {"before-consent", "not-necessary", "dangerous"}
GOOD = {"after-consent", "user-action", "necessary"}
HOT = {"before-consent", "not-necessary"}  # rows marked with a red edge


def csp_hash(source: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(source.encode("utf-8")).digest()).decode("ascii") + "'"


def esc(value: object) -> str:
    return escape(str(value), quote=True)


def rich(value: str) -> str:
    """Escaped cell text with `code` spans shown as code."""
    return _CODE.sub(r"<code>\1</code>", esc(value))


def _cell(row: Row, index: int, value: str, t: Table) -> str:
    url = row.links.get(index)
    if url:
        return f'<td><a href="{esc(url)}" rel="noopener noreferrer" target="_blank">{esc(value)}</a></td>'
    for tag, column in PILLS[t.id]:
        code = row.tags.get(tag, "")
        if index == column and code:
            kind = "bad" if code in BAD else "ok" if code in GOOD else ""
            return f'<td><span class="pill {kind}">{esc(value)}</span></td>'
    return f"<td>{rich(value)}</td>"


def _row(row: Row, t: Table) -> str:
    attrs = "".join(f' data-{esc(k)}="{esc(v)}"' for k, v in row.tags.items())
    hot = ' class="hot"' if HOT & set(row.tags.values()) else ""
    cells = "".join(_cell(row, i, v, t) for i, v in enumerate(row.cells))
    return f"<tr{hot}{attrs}>{cells}</tr>"


def _controls(t: Table, lang: str) -> str:
    tag, names, column = FILTER_TAG[t.id]
    present = list(dict.fromkeys(r.tags.get(tag, "") for r in t.rows if r.tags.get(tag)))
    order = list(names[lang if lang in names else "en"])
    present.sort(key=lambda code: order.index(code) if code in order else len(order))
    options = f'<option value="">{esc(L.text(lang, "all"))}</option>' + "".join(
        f'<option value="{esc(code)}">{esc(L.pick(names, lang, code))}</option>' for code in present)
    return (f'<div class="controls"><label>{esc(L.text(lang, "filter"))} '
            f'<input type="search" placeholder="{esc(L.text(lang, "filter_placeholder"))}" '
            f'aria-label="{esc(L.text(lang, "filter"))}: {esc(t.title)}"></label>'
            f'<select data-tag="{esc(tag)}" aria-label="{esc(t.columns[column])}">{options}</select>'
            f'<span class="shown">{esc(L.text(lang, "shown"))} <span class="shown-n">{len(t.rows)}</span> / '
            f'{len(t.rows)}</span></div>')


def _table(t: Table, lang: str) -> str:
    head = f'<section class="inv" id="{esc(t.id)}"><h2>{esc(t.title)}</h2><p class="note">{esc(t.note)}</p>'
    if not t.rows:
        return head + f'<p class="empty">{esc(L.text(lang, "no_rows"))}</p></section>'
    ths = "".join(f'<th scope="col">{esc(c)}</th>' for c in t.columns)
    rows = "\n".join(_row(r, t) for r in t.rows)
    return (head + _controls(t, lang) + f'<div class="scroll"><table id="t-{esc(t.id)}"><thead><tr>{ths}</tr></thead>'
            f"<tbody>\n{rows}\n</tbody></table></div></section>")


def render(inv: Inventory, lang: str) -> str:
    all_tables = tables(inv, lang)
    dl = "".join(f"<dt>{esc(k)}</dt><dd>{esc(v)}</dd>" for k, v in facts(inv, lang, __version__))
    cards = "".join(
        f'<li class="{"alert" if s.alert else ""}{" hot" if s.alert and isinstance(s.value, int) and s.value else ""}'
        f'{"" if isinstance(s.value, int) else " note"}">'
        f'<span class="n">{esc(str(s.value))}</span><span class="l">{esc(s.label)}</span></li>'
        for s in summary(inv, lang))
    toc = "".join(f'<a href="#{esc(t.id)}">{esc(t.title)} ({len(t.rows)})</a>' for t in all_tables)
    body = "\n".join(_table(t, lang) for t in all_tables)
    header = (f"<header><h1>{esc(L.text(lang, 'title'))}</h1><p class=\"note\">{esc(L.text(lang, 'draft_note'))}</p>"
              f'<dl class="facts">{dl}</dl></header>\n')
    body = (f'<section id="summary"><h2>{esc(L.text(lang, "summary"))}</h2><ul class="cards">{cards}</ul></section>\n'
            f'<nav class="toc">{toc}</nav>\n{body}\n')
    return page(lang, L.text(lang, "title"), ", ".join(inv.projects), header + body, SCRIPT)


def page(lang: str, title: str, subject: str, body: str, script: str | None = None) -> str:
    """One self-contained page: the reports' style, a CSP that allows only it (and `script`), `body` as given."""
    csp = (f"default-src 'none'; style-src {csp_hash(STYLE)}; "
           + (f"script-src {csp_hash(script)}; " if script else "")
           + "img-src data:; base-uri 'none'; form-action 'none'")
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{"zh-CN" if lang == "zh" else "en"}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{esc(csp)}">\n'
        f'<meta name="generator" content="pipl-lint {esc(__version__)}">\n'
        f"<title>{esc(title)} — {esc(subject)}</title>\n"
        f"<style>{STYLE}</style>\n</head>\n<body>\n"
        + body
        + (f"<script>{script}</script>\n" if script else "")
        + "</body>\n</html>\n"
    )


def plain_table(t: Table, lang: str) -> str:
    """A table with a third-level heading and no filter controls (the SDK sheet's)."""
    head = f'<section class="inv"><h3>{esc(t.title)}</h3>'
    if not t.rows:
        return head + f'<p class="empty">{esc(L.text(lang, "no_rows"))}</p></section>'
    ths = "".join(f'<th scope="col">{esc(c)}</th>' for c in t.columns)
    rows = "\n".join("<tr>" + "".join(f"<td>{rich(v)}</td>" for v in r.cells) + "</tr>" for r in t.rows)
    return (head + f'<div class="scroll"><table><thead><tr>{ths}</tr></thead><tbody>\n{rows}\n</tbody></table>'
            "</div></section>")
