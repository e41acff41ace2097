"""Issue 12, 6 (part): an upload never erases data by accident.

Reproduction from the issue: an XLSX template downloaded earlier, uploaded after a CSV,
blanked the values the CSV had just stored. Now templates carry each value's version
and a row whose value changed since the download is refused as a conflict naming the
current value; a blank cell never clears a stored value, the marker «cancella» does.
"""

from __future__ import annotations

import io
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from cruscotto.web.measurements import models as mm
from cruscotto.web.measurements.services import ValueInput, do_set_values
from cruscotto.web.measurements.uploads import template_rows, template_xlsx
from tests.web.measurements.conftest import People
from tests.web.measurements.uploading import csv_file, upload


def _number(name: str) -> Decimal | None:
    return mm.Value.objects.get(variable=name).number


def test_a_blank_cell_never_clears_a_stored_value(people: People) -> None:
    do_set_values(user=people.officer_a, period=people.year_end, items=[
        ValueInput("3.1.1", "budget_innovazione", Decimal(5))])
    report = upload(people, csv_file([("3.1.1", "budget_innovazione", 2021, "", "")]))
    assert report.problems == [] and report.changed == 0 and report.skipped == 1
    assert _number("budget_innovazione") == 5


def test_the_marker_clears_a_stored_value(people: People) -> None:
    do_set_values(user=people.officer_a, period=people.year_end, items=[
        ValueInput("3.1.1", "budget_innovazione", Decimal(5))])
    report = upload(people, csv_file([("3.1.1", "budget_innovazione", 2021, "cancella", "")]))
    assert report.problems == [] and report.changed == 1
    assert _number("budget_innovazione") is None


def test_an_old_template_after_a_csv_is_refused_as_a_conflict_naming_the_value(
        people: People) -> None:
    rows = template_rows(user=people.officer_a, plan_id=people.plan.pk,
                         period=people.year_end)
    old = template_xlsx(rows, period=people.year_end)  # downloaded first: nothing stored
    report = upload(people, csv_file([("3.1.1", "budget_innovazione", 2021, "9500000", ""),
                                      ("3.1.1", "contabilizzato_innovazione", 2021, "8835000",
                                       "")]))
    assert report.changed == 2
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(old))
    ws = wb["valori"]
    header = [c.value for c in ws[1]]
    assert header[:6] == ["indicator", "variable", "year", "value", "period", "version"]
    for row in ws.iter_rows(min_row=2):  # the person fills in one other value
        if row[1].value == "budget_innovazione":
            row[3].value = 9_600_000
    buf = io.BytesIO()
    wb.save(buf)
    report = upload(people, SimpleUploadedFile("modello.xlsx", buf.getvalue()))
    messages = [p.message for p in report.problems]
    assert any(m.startswith("budget_innovazione al 31/12/2021 è cambiata dopo che hai "
                            "scaricato il modello: ora vale 9.500.000 (versione 1, nel file 0)")
               for m in messages), messages
    assert len(messages) == 1  # the row left blank writes nothing: no conflict
    assert _number("budget_innovazione") == 9_500_000
    assert _number("contabilizzato_innovazione") == 8_835_000


def test_a_fresh_template_is_accepted(people: People) -> None:
    do_set_values(user=people.officer_a, period=people.year_end, items=[
        ValueInput("3.1.1", "budget_innovazione", Decimal(5))])
    rows = template_rows(user=people.officer_a, plan_id=people.plan.pk,
                         period=people.year_end)
    assert {r.variable: r.version for r in rows if r.indicator == "3.1.1"}[
        "budget_innovazione"] == 1
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(template_xlsx(rows, period=people.year_end)))
    ws = wb["valori"]
    for row in ws.iter_rows(min_row=2):
        if row[1].value == "budget_innovazione":
            row[3].value = 7
    buf = io.BytesIO()
    wb.save(buf)
    report = upload(people, SimpleUploadedFile("modello.xlsx", buf.getvalue()))
    assert report.problems == [] and report.changed == 1
    assert _number("budget_innovazione") == 7


def test_a_variable_read_by_two_indicators_is_one_write_in_a_template(people: People) -> None:
    """oneri_correnti_netti is read by 6.0.2 and 6.0.3: the template has a row for each,
    both with the version read; changing it in both rows stores it once, not a conflict."""
    from django.contrib.auth import get_user_model

    admin = get_user_model().objects.create_superuser("amministratore", password="pw")
    do_set_values(user=admin, period=people.year_end, items=[
        ValueInput("6.0.2", "oneri_correnti_netti", Decimal(100))])
    rows = [r for r in template_rows(user=admin, plan_id=people.plan.pk,
                                     period=people.year_end)
            if r.variable == "oneri_correnti_netti"]
    assert sorted(r.indicator for r in rows) == ["6.0.2", "6.0.3"]
    assert {r.version for r in rows} == {1}
    wrote = do_set_values(user=admin, period=people.year_end, items=[
        ValueInput(r.indicator, r.variable, Decimal(120), expected_version=r.version)
        for r in rows])
    assert {v.version for v in wrote} == {2}
    assert _number("oneri_correnti_netti") == 120
    assert mm.ValueVersion.objects.filter(value__variable="oneri_correnti_netti").count() == 2
