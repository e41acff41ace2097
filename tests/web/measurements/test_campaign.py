"""The campaign overview: one period's indicators by state, each centre's
progress, the late ones in evidence, filters, and the same as CSV/XLSX."""

from __future__ import annotations

import csv
import datetime
import io

from django.test import Client
from openpyxl import load_workbook

from cruscotto.web.measurements import models as mm
from cruscotto.web.measurements.demo import load_demo
from tests.web import pages

from .conftest import CENTRE_B, People


def test_the_planning_office_follows_the_campaign(people: People) -> None:
    load_demo(plan=people.plan)
    mm.Period.objects.filter(pk=people.year_end.pk).update(deadline=datetime.date(2022, 1, 31))
    c = Client()
    c.force_login(people.planning)
    url = f"/plans/{people.plan.key}/periods/2021-12-31/campaign/"
    html = c.get(url).content.decode()
    # the demo: 6.4.3 and 3.3.1 submitted, 4.2.2 left in draft (and late)
    assert 'data-code="6.4.3" data-state="submitted"' in html
    assert 'data-code="3.3.1" data-state="submitted"' in html
    assert 'data-code="4.2.2" data-state="draft" data-late="true"' in html
    assert 'id="campaign-late"' in html
    late = c.get(url + "?late=1").content.decode()
    assert 'data-code="4.2.2"' in late and 'data-code="6.4.3"' not in late
    submitted = c.get(url + "?state=submitted").content.decode()
    assert submitted.count('data-state="submitted"') == 2 + 1  # two rows + the summary
    mine = c.get(url + "?centre=" + CENTRE_B).content.decode()
    assert 'data-code="4.2.2"' in mine and 'data-code="3.1.1"' not in mine

    answer = c.get(url + "?state=submitted&format=csv")
    assert answer["Content-Disposition"].endswith('2021-12-31.csv"')
    rows = list(csv.reader(io.StringIO(answer.content.decode("utf-8-sig"))))
    assert rows[0] == ["Indicatore", "Nome", "Centri", "Stato", "In ritardo"]
    assert sorted(r[0] for r in rows[1:]) == ["3.3.1", "6.4.3"]
    assert {r[3] for r in rows[1:]} == {"inviato"}
    book = load_workbook(io.BytesIO(c.get(url + "?format=xlsx").content))
    sheet = book.active
    assert sheet is not None
    codes = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert "4.2.2" in codes and len(codes) == html.count("<tr data-code=")


def test_a_centre_cannot_see_the_campaign(people: People) -> None:
    c = Client()
    c.force_login(people.officer_a)
    answer = c.get(f"/plans/{people.plan.key}/periods/2021-12-31/campaign/")
    assert answer.status_code == 403
    assert "Solo il controllo di gestione e l'OIV seguono la campagna." in pages.text(answer)
    assert "Accesso non consentito" in pages.text(answer)
