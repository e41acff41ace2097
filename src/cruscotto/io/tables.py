"""Plain tables written as CSV or XLSX for a spreadsheet, with formula-like text made inert.

A cell whose text begins with ``=``, ``+``, ``-`` or ``@`` would run as a
formula when the file is opened in a spreadsheet (CSV injection). In CSV
such text is written with a leading apostrophe, as spreadsheets show text;
in XLSX it is stored as a text cell, never as a formula.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from decimal import Decimal

from cruscotto.io.cells import inert

__all__ = ["Cell", "inert", "to_csv", "to_xlsx"]

Cell = str | int | Decimal | None


def to_csv(header: Sequence[str], rows: Sequence[Sequence[Cell]]) -> bytes:
    """UTF-8 CSV (with a byte-order mark, so spreadsheets read the accents)."""
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow([inert(h) for h in header])
    for row in rows:
        w.writerow(["" if c is None else inert(c) if isinstance(c, str) else c for c in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(header: Sequence[str], rows: Sequence[Sequence[Cell]], *, title: str) -> bytes:
    """An XLSX workbook with one sheet; text cells are text, never formulas."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = title[:31]
    for r, row in enumerate([list(header), *rows], start=1):
        for c, value in enumerate(row, start=1):
            cell = ws.cell(row=r, column=c)
            if isinstance(value, str):
                cell.value = inert(value)
                cell.data_type = "s"  # "=1+1" stays the text "'=1+1", never a formula
            else:
                cell.value = value
            if r == 1:
                cell.font = Font(bold=True)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
