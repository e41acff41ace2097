"""What an uploaded spreadsheet may cost, checked before it is read.

A values file is small: a few thousand rows of six columns. An XLSX is a zip,
so its size in bytes bounds nothing: a 4.9 KB file can declare a sheet of
``A1:XFD1048576`` (openpyxl then pads every row to 16,384 cells), a 390 KB one can
hold 116 MB of shared strings. Before openpyxl sees the file, :func:`xlsx_problems`
reads the zip's directory and the first sheet's header and refuses:

- more than :data:`MAX_UNCOMPRESSED` bytes once decompressed (all members);
- shared strings bigger than :data:`MAX_SHARED_STRINGS` bytes;
- a sheet dimension of more than :data:`MAX_COLUMNS` columns or
  ``MAX_ROWS + 1`` rows;
- formula cells with no value computed by the spreadsheet (openpyxl would read
  them as empty, which would clear the stored value): each is named.

Each limit is a setting (docs/deployment.md, "Limits").
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from io import BytesIO

from django.conf import settings

__all__ = ["MAX_COLUMNS", "XlsxProblem", "formula_cells_without_value", "settings_limit",
           "xlsx_problems"]

_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="([A-Z]+)?(\d+)?(?::([A-Z]+)(\d+))?"')
_SHEET = re.compile(rb'<(?:\w+:)?sheet\b[^>]*?\br:id="([^"]+)"|<(?:\w+:)?sheet\b[^>]*?'
                    rb'\bid="([^"]+)"')
_REL = re.compile(rb'<Relationship\b[^>]*?\bId="([^"]+)"[^>]*?\bTarget="([^"]+)"'
                  rb'|<Relationship\b[^>]*?\bTarget="([^"]+)"[^>]*?\bId="([^"]+)"')
#: a cell holding a formula: its reference, and whether a cached <v> follows
_CELL = re.compile(rb'<(?:\w+:)?c\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)', re.S)
_REF = re.compile(rb'\br="([A-Z]+\d+)"')


def settings_limit(name: str) -> int:
    """A limit from the settings (docs/deployment.md), or its default here."""
    return int(getattr(settings, name, DEFAULTS[name]))


@dataclass(frozen=True, slots=True)
class XlsxProblem:
    #: "size", "shared", "dimension" or "formula"
    kind: str
    #: for "formula": the cell (D5); for "dimension": the declared range
    where: str = ""
    amount: int = 0


def _column_number(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + (ord(ch) - 64)
    return n


def first_sheet(zf: zipfile.ZipFile) -> str | None:
    """The member name of the workbook's first sheet (as openpyxl reads it)."""
    try:
        book = zf.read("xl/workbook.xml")
        rels = zf.read("xl/_rels/workbook.xml.rels")
    except KeyError:
        return None
    m = _SHEET.search(book)
    if m is None:
        return None
    rid = m.group(1) or m.group(2)
    for r in _REL.finditer(rels):
        ident, target = (r.group(1), r.group(2)) if r.group(1) else (r.group(4), r.group(3))
        if ident == rid:
            t = target.decode("utf-8", "replace").lstrip("/")
            return t if t.startswith("xl/") else "xl/" + t
    return None


def xlsx_problems(data: bytes, *, max_rows: int) -> list[XlsxProblem]:
    """Why the XLSX ``data`` is too costly to read (empty: read it). Never raises."""
    try:
        zf = zipfile.ZipFile(BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return []  # openpyxl says "not readable", in the reader's own words
    total = sum(i.file_size for i in infos)
    if total > settings_limit("CRUSCOTTO_UPLOAD_MAX_UNCOMPRESSED"):
        return [XlsxProblem("size", amount=total)]
    shared = sum(i.file_size for i in infos if i.filename.endswith("sharedStrings.xml"))
    if shared > settings_limit("CRUSCOTTO_UPLOAD_MAX_SHARED_STRINGS"):
        return [XlsxProblem("shared", amount=shared)]
    sheet = first_sheet(zf)
    if sheet is None:
        return []
    try:
        with zf.open(sheet) as f:
            head = f.read(4096)
    except (KeyError, zipfile.BadZipFile, OSError, ValueError, EOFError):
        return []
    m = _DIMENSION.search(head)
    if m is not None:
        last_col = m.group(3) or m.group(1) or "A"
        last_row = int(m.group(4) or m.group(2) or 1)
        if _column_number(last_col.decode()) > MAX_COLUMNS or last_row > max_rows + 1:
            return [XlsxProblem("dimension", where=m.group(0).split(b'"')[1].decode())]
    return []


def formula_cells_without_value(data: bytes, limit: int) -> list[str]:
    """The first ``limit`` cells of the first sheet holding a formula and no computed value.

    Call only after :func:`xlsx_problems` passed (the sheet's size is bounded).
    """
    try:
        zf = zipfile.ZipFile(BytesIO(data))
        sheet = first_sheet(zf)
        xml = zf.read(sheet) if sheet else b""
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, EOFError):
        return []
    if b"<f" not in xml and b":f" not in xml:
        return []
    cells: list[str] = []
    for m in _CELL.finditer(xml):
        inner = m.group(2) or b""
        if not re.search(rb"<(?:\w+:)?f\b", inner):
            continue
        v = re.search(rb"<(?:\w+:)?v>(.*?)</(?:\w+:)?v>", inner, re.S)
        if v is None or not v.group(1).strip():
            ref = _REF.search(m.group(1))
            cells.append(ref.group(1).decode() if ref else "?")
            if len(cells) >= limit:
                break
    return cells


#: all members of the zip, decompressed
MAX_UNCOMPRESSED = 50 * 2**20
#: the shared strings table, decompressed
MAX_SHARED_STRINGS = 10 * 2**20
#: columns of the values sheet (the template has six)
MAX_COLUMNS = 50
#: seconds of checking per file before it is refused
TIME_BUDGET = 60
DEFAULTS = {"CRUSCOTTO_UPLOAD_MAX_UNCOMPRESSED": MAX_UNCOMPRESSED,
            "CRUSCOTTO_UPLOAD_MAX_SHARED_STRINGS": MAX_SHARED_STRINGS,
            "CRUSCOTTO_UPLOAD_TIME_BUDGET": TIME_BUDGET}
