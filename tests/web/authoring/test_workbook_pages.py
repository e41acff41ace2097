"""The plan as a workbook in the browser: download, change in Excel, upload, see the diff."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from cruscotto.web.measurements import authoring
from cruscotto.web.measurements import models as mm
from cruscotto.web.plans import models as pm

from ..measurements.conftest import People
from .workbook import changed, set_cell, upload

NEW_NAME = "Utilizzo del budget per la semplificazione (rinominato)"


def _client(user: object) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _download(client: Client, key: str) -> bytes:
    r = client.get(reverse("plans:workbook", args=[key]))
    assert r.status_code == 200
    assert r["Content-Disposition"].endswith('.xlsx"')
    return r.content


def _edit(wb: object) -> None:
    set_cell(wb, "Indicatori", "1.1.1", "Nome", NEW_NAME)
    set_cell(wb, "Indicatori", "1.1.1", "Target 2022", ">=95%")


def test_an_adopted_plan_changed_in_excel_comes_back_as_a_new_version_with_its_diff(
        people: People) -> None:
    authoring.adopt(plan=people.plan, act="Delibera n. 45/2021",
                    on=datetime.date(2021, 1, 31))
    client = _client(people.planning)
    data = changed(_download(client, people.plan.key), _edit)

    r = client.post(reverse("plans:manage", args=[people.plan.key]), {
        "action": "upload", "file": upload(data), "reason": "rimodulazione di metà anno"})

    assert r.status_code == 200
    page = r.content.decode()
    assert "È la versione 2 del piano adottato." in page
    assert NEW_NAME in page and "&gt;=95%" in page  # the diff: name and target, before/after
    ind = pm.Indicator.objects.get(plan=people.plan, code="1.1.1")
    assert ind.name == NEW_NAME
    # the adopted target stays; the change is a revision with the reason given
    assert ind.targets.get(year=2022).text == ">=80%"
    rev = mm.TargetRevision.objects.get(indicator=ind, year=2022)
    assert (rev.previous_text, rev.text, rev.justification) == (
        ">=80%", ">=95%", "rimodulazione di metà anno")
    assert authoring.in_force(people.plan.pk).indicator("1.1.1").targets[2022] == ">=95%"
    assert mm.AuditEvent.objects.filter(plan=people.plan, action="plan_import",
                                        indicator_code="1.1.1").count() == 2

    # the versions page compares version 1 (adopted) with version 2, field by field
    r = client.get(reverse("plans:versions", args=[people.plan.key]))
    assert r.status_code == 200
    page = r.content.decode()
    assert 'data-field="name"' in page and 'data-field="targets.2022"' in page
    assert "rimodulazione di metà anno" in page

    # exported again, the workbook holds the targets in force: unchanged, no new version
    again = _download(client, people.plan.key)
    r = client.post(reverse("plans:manage", args=[people.plan.key]), {
        "action": "upload", "file": upload(again)})
    assert r.status_code == 200
    assert "Il file è uguale al piano: nessuna modifica." in r.content.decode()
    assert pm.PlanVersion.objects.filter(plan=people.plan).count() == 2


def test_a_target_of_an_adopted_plan_changed_without_a_reason_is_refused(
        people: People) -> None:
    authoring.adopt(plan=people.plan, act="Delibera n. 45/2021",
                    on=datetime.date(2021, 1, 31))
    client = _client(people.planning)
    data = changed(_download(client, people.plan.key), _edit)

    r = client.post(reverse("plans:manage", args=[people.plan.key]),
                    {"action": "upload", "file": upload(data)})

    assert r.status_code == 400
    assert "richiede una motivazione (1.1.1 2022)" in r.content.decode()
    assert pm.Indicator.objects.get(plan=people.plan, code="1.1.1").name != NEW_NAME
    assert not mm.TargetRevision.objects.exists()


def test_a_bad_workbook_is_reported_by_sheet_row_and_column_and_nothing_is_written(
        people: People) -> None:
    client = _client(people.planning)
    revision = pm.Plan.objects.get(pk=people.plan.pk).revision

    def spoil(wb: object) -> None:
        set_cell(wb, "Indicatori", "1.1.1", "Nome", NEW_NAME)
        set_cell(wb, "Indicatori", "1.1.2", "Polarità", "sideways")

    data = changed(_download(client, people.plan.key), spoil)
    r = client.post(reverse("plans:manage", args=[people.plan.key]),
                    {"action": "upload", "file": upload(data)})

    assert r.status_code == 400
    page = r.content.decode()
    assert "Nulla è stato salvato." in page
    assert "valore «sideways» non ammesso" in page and "Polarità" in page
    assert pm.Plan.objects.get(pk=people.plan.pk).revision == revision
    assert pm.Indicator.objects.get(plan=people.plan, code="1.1.1").name != NEW_NAME

    # in English on request, through the catalogue
    client.cookies["django_language"] = "en"
    r = client.post(reverse("plans:manage", args=[people.plan.key]),
                    {"action": "upload", "file": upload(data)}, headers={"accept-language": "en"})
    page = r.content.decode()
    assert r.status_code == 400
    assert "Nothing was saved." in page
    assert "value “sideways” not allowed" in page


def test_with_htmx_the_outcome_replaces_the_panel(people: People) -> None:
    client = _client(people.planning)
    r = client.post(reverse("plans:manage", args=[people.plan.key]),
                    {"action": "upload", "file": upload(b"not a workbook")},
                    headers={"hx-request": "true"})
    assert r.status_code == 400
    page = r.content.decode()
    assert page.lstrip().startswith('<div id="authoring-panel">')
    assert "il file Excel non si può leggere" in page


def test_the_centres_and_the_public_cannot_reach_the_workbook(people: People) -> None:
    for user in (people.officer_a, people.oiv, people.viewer):
        client = _client(user)
        assert client.get(reverse("plans:workbook", args=[people.plan.key])).status_code == 403
        assert client.get(reverse("plans:manage", args=[people.plan.key])).status_code == 403
    anonymous = Client().get(reverse("plans:manage", args=[people.plan.key]))
    assert anonymous.status_code == 302 and "login" in anonymous["Location"]


@pytest.mark.parametrize("years", ["2025-2027"])
def test_a_new_plan_is_imported_from_a_workbook_with_its_periods(
        people: People, years: str) -> None:
    client = _client(people.planning)

    def other_plan(wb: object) -> None:
        ws = wb["Piano"]  # type: ignore[index]
        for row in ws.iter_rows(min_row=2):
            if row[0].value == "Ente":
                row[1].value = "Comune di Prova"
            elif row[0].value == "Codice dell'ente":
                row[1].value = "comune-prova"
            elif row[0].value == "Anni (uno per riga)":
                row[1].value = "2025\n2026\n2027"
        ws = wb["Indicatori"]  # type: ignore[index]
        headers = [c.value for c in ws[1]]
        for y_old, y_new in ((2021, 2025), (2022, 2026), (2023, 2027)):
            ws.cell(row=1, column=headers.index(f"Target {y_old}") + 1).value = f"Target {y_new}"

    data = changed(_download(client, people.plan.key), other_plan)
    r = client.post(reverse("plans:import"), {"file": upload(data)})

    assert r.status_code == 200, r.content.decode()[:2000]
    new = pm.Plan.objects.get(organisation__code="comune-prova")
    assert (new.first_year, new.last_year, new.status) == (2025, 2027, "draft")
    assert mm.Period.objects.filter(plan=new, kind="year_end").count() == 3
    assert reverse("plans:manage", args=[new.key]) in r.content.decode()
    # the other plan is untouched
    assert pm.Plan.objects.get(pk=people.plan.pk).first_year == 2021


def test_an_indicator_with_measurements_cannot_be_removed_by_a_workbook(
        people: People) -> None:
    from cruscotto.web.measurements.demo import load_demo

    load_demo(plan=people.plan)
    client = _client(people.planning)

    def drop(wb: object) -> None:
        ws = wb["Indicatori"]  # type: ignore[index]
        row = next(r[0].row for r in ws.iter_rows(min_row=2) if r[0].value == "6.4.1")
        ws.delete_rows(row)

    data = changed(_download(client, people.plan.key), drop)
    r = client.post(reverse("plans:manage", args=[people.plan.key]),
                    {"action": "upload", "file": upload(data)})

    assert r.status_code == 400
    assert "Non si può togliere dal piano" in r.content.decode()
    assert pm.Indicator.objects.filter(plan=people.plan, code="6.4.1").exists()


def test_a_plan_with_a_repeated_code_is_refused_in_words(people: People) -> None:
    client = _client(people.planning)

    def repeat(wb: object) -> None:
        set_cell(wb, "Indicatori", "6.4.2", "Codice", "6.4.1")

    data = changed(_download(client, people.plan.key), repeat)
    r = client.post(reverse("plans:manage", args=[people.plan.key]),
                    {"action": "upload", "file": upload(data)})
    assert r.status_code == 400
    assert "indicatore «6.4.1»: codice ripetuto" in r.content.decode()
