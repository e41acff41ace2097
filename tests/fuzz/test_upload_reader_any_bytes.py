"""The web upload reader (CSV and XLSX, before any database work): any bytes give a
table or problems in the report, never an exception, and never more than the limits.

Bounded here; `make fuzz` runs it with the ``fuzz`` Hypothesis profile.
"""

from __future__ import annotations

import io
import zipfile

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from cruscotto.web.measurements.uploads import MAX_PROBLEMS, UploadReport, _open

from .strategies import CSV_TOKENS, examples, soup

SLOW = [HealthCheck.too_slow, HealthCheck.data_too_large]


def _template() -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(["indicator", "variable", "year", "value", "period", "version"])
    ws.append(["3.1.1", "budget_innovazione", 2021, "=2+3", "", 0])
    ws.append(["3.1.1", "contabilizzato_innovazione", 2021, 1.5, "30/06/2021", 1])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


TEMPLATE = _template()
MEMBERS = zipfile.ZipFile(io.BytesIO(TEMPLATE)).namelist()


@st.composite
def damaged_xlsx(draw: st.DrawFn) -> bytes:
    """The template with one member's bytes cut, flipped or replaced."""
    src = zipfile.ZipFile(io.BytesIO(TEMPLATE))
    target = draw(st.sampled_from(MEMBERS))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in MEMBERS:
            data = src.read(name)
            if name == target:
                how = draw(st.sampled_from(["cut", "flip", "replace"]))
                if how == "cut":
                    data = data[: draw(st.integers(0, len(data)))]
                elif how == "flip" and data:
                    i = draw(st.integers(0, len(data) - 1))
                    data = data[:i] + bytes([data[i] ^ draw(st.integers(1, 255))]) + data[i + 1:]
                else:
                    data = draw(st.binary(max_size=200))
            dst.writestr(name, data)
    return out.getvalue()


def _read_all(name: str, data: bytes) -> UploadReport:
    report = UploadReport(filename=name)
    table = _open(name, data, report)
    if table is not None:
        try:
            for _n, _row in table.rows:
                pass
        finally:
            if table.close is not None:
                table.close()
    assert len(report.problems) <= MAX_PROBLEMS
    for p in report.problems:
        assert p.message
    return report


@settings(max_examples=examples(300), suppress_health_check=SLOW, deadline=None)
@given(st.one_of(st.binary(max_size=300), soup(CSV_TOKENS, 40).map(str.encode),
                 st.text(max_size=200).map(lambda t: t.encode("utf-16"))))
def test_any_bytes_as_csv(data: bytes) -> None:
    _read_all("valori.csv", data)


@settings(max_examples=examples(150), suppress_health_check=SLOW, deadline=None)
@given(st.one_of(damaged_xlsx(), st.binary(max_size=300).map(lambda b: b"PK\x03\x04" + b)))
def test_any_bytes_as_xlsx(data: bytes) -> None:
    _read_all("valori.xlsx", data)
