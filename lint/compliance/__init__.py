"""Renderers of the compliance inventory (`pipl-lint report`): pure functions `render(Inventory, lang) -> str`.

JSON for machines, Markdown for review in a pull request, one self-contained HTML page for compliance staff, and
CSV (UTF-8 with a BOM, so that Excel reads the Chinese) for spreadsheets. Markdown, CSV and HTML print the same
tables (`table.py`), with the words of `labels.py`.
"""

from __future__ import annotations

from collections.abc import Callable

from pipl_lint.compliance.inventory import Inventory

FORMATS = ("json", "markdown", "html", "csv")


def renderer(fmt: str) -> Callable[[Inventory, str], str]:
    if fmt == "json":
        from pipl_lint.compliance.json_format import render
    elif fmt == "markdown":
        from pipl_lint.compliance.markdown import render
    elif fmt == "html":
        from pipl_lint.compliance.html import render
    elif fmt == "csv":
        from pipl_lint.compliance.csv_format import render
    else:
        raise ValueError(f"unknown report format {fmt!r}")
    return render
