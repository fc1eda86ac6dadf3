"""The inventory as CSV for spreadsheets: one table, one header row.

The first column, `table`, says which list a row belongs to (`personal_information`, `sdks` or `permissions`);
the other columns are those of the three lists, each once, in order (a row leaves the columns of the other lists
empty). One table imports as one sheet, where a filter on `table` shows one list, and it can be piped. UTF-8
with a byte-order mark (Excel then reads Chinese correctly) and CRLF line ends. Cells that a spreadsheet would
run as a formula (`=`, `+`, `-`, `@` first) are prefixed with `'`.
"""

from __future__ import annotations

import csv
import io

from pipl_lint.compliance.inventory import Inventory
from pipl_lint.compliance.table import tables

BOM = "\ufeff"
TABLE = "table"
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def safe(value: str) -> str:
    value = " ".join(value.split())
    return "'" + value if value.startswith(_FORMULA) else value


def render(inv: Inventory, lang: str) -> str:
    lists = tables(inv, lang)
    columns = list(dict.fromkeys(c for t in lists for c in t.columns))
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow([TABLE, *(safe(c) for c in columns)])
    for t in lists:
        at = [columns.index(c) for c in t.columns]
        for row in t.rows:
            line = [""] * len(columns)
            for i, value in zip(at, row.cells, strict=True):
                line[i] = safe(value)
            writer.writerow([t.id, *line])
    return BOM + buf.getvalue()
