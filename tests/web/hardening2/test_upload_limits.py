"""Issue 11, 4 and 7: an upload costs what its content is worth, checked before reading.

Reproductions against main: a 4.9 KB XLSX declaring ``A1:XFD1048576`` with one far cell
(about 590 s of CPU), a shared-strings bomb (116 MB decompressed), a 400 KB CSV of ``x``
lines (600,000 problems, a 135 MB page); a formula cell without a cached value read as
empty (clearing the stored value); an UTF-16 CSV refused as binary.
"""

from __future__ import annotations

import io
import zipfile
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import Workbook

from cruscotto.web.measurements import models as mm
from cruscotto.web.measurements.services import ValueInput, do_set_values
from tests.web.measurements.conftest import People
from tests.web.measurements.uploading import HEADER, nothing_written, upload, xlsx_file

#: problems listed in a report (cruscotto.web.measurements.uploads.MAX_PROBLEMS)
MAX_PROBLEMS = 200


def _rewrite(data: bytes, member: str, change: object) -> bytes:
    """The XLSX ``data`` with one member's XML changed by ``change(xml) -> xml``."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == member:
                content = change(content)  # type: ignore[operator]
            dst.writestr(info.filename, content)
    return out.getvalue()


def _one_row_xlsx() -> bytes:
    return xlsx_file([("3.1.1", "budget_innovazione", 2021, 5, "")]).read()


def test_a_sheet_declaring_the_whole_grid_is_refused_before_reading(people: People) -> None:
    def far(xml: bytes) -> bytes:
        xml = xml.replace(b'<dimension ref="A1:E2"/>', b'<dimension ref="A1:XFD1048576"/>')
        return xml.replace(b"</sheetData>",
                           b'<row r="1048576"><c r="XFD1048576" t="n"><v>1</v></c></row>'
                           b"</sheetData>")
    data = _rewrite(_one_row_xlsx(), "xl/worksheets/sheet1.xml", far)
    assert len(data) < 10_000
    report = upload(people, SimpleUploadedFile("valori.xlsx", data))
    assert [p.message for p in report.problems] == [
        "il foglio dichiara l'area A1:XFD1048576: al massimo 50 colonne e 200.000 righe"]
    assert nothing_written()


def test_a_far_cell_without_a_dimension_is_read_within_the_bounds(people: People) -> None:
    """Without the declared dimension openpyxl does not pad; the far rows are empty rows
    and count towards the row limit, the far column is beyond the columns read."""
    def far(xml: bytes) -> bytes:
        xml = xml.replace(b'<dimension ref="A1:E2"/>', b"")
        return xml.replace(b"</sheetData>",
                           b'<row r="300000"><c r="XFD300000" t="n"><v>1</v></c></row>'
                           b"</sheetData>")
    data = _rewrite(_one_row_xlsx(), "xl/worksheets/sheet1.xml", far)
    report = upload(people, SimpleUploadedFile("valori.xlsx", data))
    assert [p.message for p in report.problems] == ["il file ha più di 200.000 righe"]
    assert nothing_written()


def test_a_shared_strings_bomb_is_refused_before_reading(people: People) -> None:
    """A shared-strings table of 12 MB of repeated text, compressed to a few KB, wired
    into the workbook as Excel does (content type and relationship)."""
    sst = (b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats'
           b'.org/spreadsheetml/2006/main"><si><t>x</t></si>'
           + (b"<si><t>" + b"A" * 1000 + b"</t></si>") * 12_000 + b"</sst>")
    data = _rewrite(_one_row_xlsx(), "[Content_Types].xml", lambda xml: xml.replace(
        b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
        b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'))
    data = _rewrite(data, "xl/_rels/workbook.xml.rels", lambda xml: xml.replace(
        b"</Relationships>", b'<Relationship Id="rIdSst" Type="http://schemas.openxmlformats'
        b'.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
        b"</Relationships>"))
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, src.read(info.filename))
        dst.writestr("xl/sharedStrings.xml", sst)
    data = out.getvalue()
    assert len(data) < 400_000
    report = upload(people, SimpleUploadedFile("valori.xlsx", data))
    assert len(report.problems) == 1
    assert report.problems[0].message.startswith("i testi del foglio Excel occupano")
    assert nothing_written()


def test_a_csv_of_garbage_lines_reports_the_first_200_problems_and_the_count(
        client: Client, people: People) -> None:
    data = b"indicator,variable,year,value\n" + b"x\n" * 200_000
    report = upload(people, SimpleUploadedFile("valori.csv", data))
    assert len(report.problems) == MAX_PROBLEMS
    assert report.problem_count > MAX_PROBLEMS
    assert nothing_written()
    client.force_login(people.officer_a)
    r = client.post("/plans/cciaa-mimblo-2021-2023/upload/",
                    {"file": SimpleUploadedFile("valori.csv", data)})
    assert len(r.content) < 2_000_000
    assert "Sono elencati i primi 200" in r.content.decode()


def test_a_formula_without_a_computed_value_is_refused_not_read_as_empty(people: People
                                                                         ) -> None:
    do_set_values(user=people.officer_a, period=people.year_end, items=[
        ValueInput("3.1.1", "budget_innovazione", Decimal(5))])
    wb = Workbook()
    ws = wb.active
    ws.append(list(HEADER))
    ws.append(["3.1.1", "budget_innovazione", 2021, "=2+3", ""])
    buf = io.BytesIO()
    wb.save(buf)  # openpyxl writes the formula with no cached value, as a script would
    report = upload(people, SimpleUploadedFile("valori.xlsx", buf.getvalue()))
    assert [p.message for p in report.problems] == [
        "la cella D2 contiene una formula senza valore calcolato: letta vuota "
        "cancellerebbe il valore"]
    assert mm.Value.objects.get(variable="budget_innovazione").number == 5


def test_an_utf16_csv_from_excel_is_read(people: People) -> None:
    text = "\t".join(HEADER) + "\r\n" + "3.1.1\tbudget_innovazione\t2021\t9500000\t\r\n"
    data = text.encode("utf-16")  # Excel's "Testo Unicode": BOM, tabs
    report = upload(people, SimpleUploadedFile("valori.txt", data))
    assert report.problems == [] and report.changed == 1
    assert mm.Value.objects.get(variable="budget_innovazione").number == 9500000
