"""The template to fill in: the person's indicators, one row per input, current values."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import load_workbook

from cruscotto.web.measurements import models as mm
from cruscotto.web.measurements.services import ValueInput, do_set_value
from cruscotto.web.measurements.uploads import template_csv, template_rows, template_xlsx
from cruscotto.web.plans import models as pm

from .conftest import CENTRE_A, CENTRE_B, People
from .uploading import upload


def csv_rows(data: bytes) -> list[dict[str, str]]:
    text = data.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text), delimiter=";"))


def codes_of(centre: str, people: People) -> set[str]:
    return set(pm.Indicator.objects.filter(plan=people.plan, centres__name=centre)
               .values_list("code", flat=True))


def test_the_template_lists_only_the_user_s_indicators(people: People) -> None:
    rows = csv_rows(template_csv(template_rows(
        user=people.officer_a, plan_id=people.plan.pk, period=people.year_end)))
    assert {r["indicator"] for r in rows} == codes_of(CENTRE_A, people)
    assert "4.2.2" not in {r["indicator"] for r in rows}
    assert {(r["variable"], r["year"], r["period"]) for r in rows if r["indicator"] == "3.1.1"} \
        == {("budget_innovazione", "2021", ""), ("contabilizzato_innovazione", "2021", "")}
    b = {r.indicator for r in template_rows(user=people.officer_b, plan_id=people.plan.pk,
                                            period=people.year_end)}
    assert b == codes_of(CENTRE_B, people) and "3.1.1" not in b


def test_the_planning_office_gets_every_indicator(people: People) -> None:
    rows = template_rows(user=people.planning, plan_id=people.plan.pk, period=people.year_end)
    assert {r.indicator for r in rows} == set(
        pm.Indicator.objects.filter(plan=people.plan).values_list("code", flat=True))


@pytest.mark.parametrize("who", ["viewer", "oiv"])
def test_people_who_enter_no_values_get_no_template(people: People, who: str) -> None:
    with pytest.raises(PermissionDenied):
        template_rows(user=getattr(people, who), plan_id=people.plan.pk, period=people.year_end)


def test_the_template_carries_the_current_values_and_the_interim_date(people: People) -> None:
    do_set_value(user=people.officer_a, period=people.interim, item=ValueInput(
        "3.1.1", "budget_innovazione", Decimal("1234.5")))
    do_set_value(user=people.officer_a, period=people.interim, item=ValueInput(
        "6.4.2", "crm", True))
    rows = {(r["indicator"], r["variable"]): r for r in csv_rows(template_csv(template_rows(
        user=people.officer_a, plan_id=people.plan.pk, period=people.interim)))}
    assert rows[("3.1.1", "budget_innovazione")]["value"] == "1234,5"
    assert rows[("3.1.1", "budget_innovazione")]["period"] == "30/06/2021"
    assert rows[("6.4.2", "crm")]["value"] == "sì"
    assert rows[("3.1.1", "contabilizzato_innovazione")]["value"] == ""


def test_locked_indicators_are_left_out(people: People) -> None:
    mm.Measurement.objects.create(
        indicator=pm.Indicator.objects.get(plan=people.plan, code="3.1.1"),
        period=people.year_end, state="certified")
    rows = template_rows(user=people.officer_a, plan_id=people.plan.pk, period=people.year_end)
    assert "3.1.1" not in {r.indicator for r in rows} and rows


def test_the_xlsx_template_filled_in_and_uploaded_back_is_accepted(people: People) -> None:
    do_set_value(user=people.officer_a, period=people.year_end, item=ValueInput(
        "3.1.1", "budget_innovazione", Decimal("9500000")))
    rows = template_rows(user=people.officer_a, plan_id=people.plan.pk, period=people.year_end)
    wb = load_workbook(io.BytesIO(template_xlsx(rows, period=people.year_end)))
    ws = wb["valori"]
    header = [c.value for c in ws[1]]
    assert header[:5] == ["indicator", "variable", "year", "value", "period"]
    body = {(r[0], r[1]): r for r in ws.iter_rows(min_row=2, values_only=True)}
    assert {code for code, _ in body} == codes_of(CENTRE_A, people)
    assert body[("3.1.1", "budget_innovazione")][3] == 9500000
    for row in ws.iter_rows(min_row=2):
        if (row[0].value, row[1].value) == ("3.1.1", "contabilizzato_innovazione"):
            row[3].value = 8835000
    buf = io.BytesIO()
    wb.save(buf)
    report = upload(people, SimpleUploadedFile("modello.xlsx", buf.getvalue()))
    assert report.accepted, report.problems
    assert report.changed == 1
    assert mm.Value.objects.get(period=people.year_end,
                                variable="contabilizzato_innovazione").number == 8835000


def test_the_csv_template_uploaded_back_unchanged_changes_nothing(people: People) -> None:
    do_set_value(user=people.officer_a, period=people.year_end, item=ValueInput(
        "3.1.1", "budget_innovazione", Decimal("1234")))
    data = template_csv(template_rows(user=people.officer_a, plan_id=people.plan.pk,
                                      period=people.year_end))
    report = upload(people, SimpleUploadedFile("modello.csv", data))
    assert report.accepted, report.problems
    assert report.changed == 0 and mm.ValueVersion.objects.count() == 1


def test_the_template_downloads(people: People) -> None:
    client = Client()
    client.force_login(people.officer_a)
    url = f"/plans/{people.plan.key}/upload/template"
    csv_response = client.get(url + ".csv", {"period": "2021-12-31"})
    assert csv_response.status_code == 200
    assert "valori-" in csv_response["Content-Disposition"]
    assert {r["indicator"] for r in csv_rows(csv_response.content)} == codes_of(
        CENTRE_A, people)
    xlsx_response = client.get(url + ".xlsx", {"period": "2021-06-30"})
    assert xlsx_response.status_code == 200
    assert xlsx_response["Content-Type"].startswith("application/vnd.openxmlformats")
    client.force_login(people.viewer)
    assert client.get(url + ".csv").status_code == 403
    assert client.get(url + ".csv", {"period": "1999-12-31"}).status_code in (403, 404)
