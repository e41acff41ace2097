"""Workbooks for the tests: the stored plan's, changed as a person would in Excel."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook


def changed(data: bytes, change: Callable[[Any], None]) -> bytes:
    wb = load_workbook(io.BytesIO(data))
    change(wb)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def set_cell(wb: Any, sheet: str, code: str, header: str, value: Any) -> None:
    """In ``sheet``, the row whose first column is ``code``: its ``header`` column."""
    ws = wb[sheet]
    headers = [c.value for c in ws[1]]
    for row in ws.iter_rows(min_row=2):
        if row[0].value == code:
            row[headers.index(header)].value = value
            return
    raise KeyError(code)


def upload(data: bytes, name: str = "piano.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")
