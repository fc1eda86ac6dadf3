"""The inventory as CSV for spreadsheets: one file, three tables.

Each table has its own header row and is separated from the next by an empty line; the first column is
`section`: `personal_information`, `sdks` or `permissions` on every data row (the header rows say `section`),
so a program can split the file on it and a person sees three blocks. UTF-8 with a byte-order mark (Excel then reads
Chinese correctly) and CRLF line ends. Cells that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`
first) are prefixed with `'`.
"""

from __future__ import annotations

import csv
import io

from pipl_lint.inventory import Inventory
from pipl_lint.inventory_report.table import tables

BOM = "\ufeff"
SECTION = "section"
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def safe(value: str) -> str:
    value = " ".join(value.split())
    return "'" + value if value.startswith(_FORMULA) else value


def render(inv: Inventory, lang: str) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    for i, t in enumerate(tables(inv, lang)):
        if i:
            writer.writerow([])
        writer.writerow([SECTION, *(safe(c) for c in t.columns)])
        for row in t.rows:
            writer.writerow([t.id, *(safe(c) for c in row.cells)])
    return BOM + buf.getvalue()
