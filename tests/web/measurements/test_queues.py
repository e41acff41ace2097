"""Queues on "I miei aggiornamenti": the planning office validates what the
centres submitted, the OIV certifies what was validated, in bulk after a
confirmation page; centres see what was returned to them and why."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client

from cruscotto.web.measurements import models as mm
from cruscotto.web.measurements.demo import load_demo
from cruscotto.web.measurements.services import ValueInput, do_return, do_set_values

from .conftest import People


@pytest.fixture
def demo(people: People) -> People:
    load_demo(plan=people.plan)
    return people


def client_for(user: object) -> Client:
    c = Client()
    c.force_login(user)  # type: ignore[arg-type]
    return c


def state(people: People, code: str) -> str:
    return mm.Measurement.objects.get(indicator__code=code, period=people.year_end).state


def tokens(people: People, *codes: str) -> list[str]:
    out = []
    for code in codes:
        m = mm.Measurement.objects.get(indicator__code=code, period=people.year_end)
        out.append(f"{code}@{people.year_end.pk}@{m.version}")
    return out


def test_it_lists_the_demo_submissions_for_the_planning_office(demo: People) -> None:
    page = client_for(demo.planning).get(f"/plans/{demo.plan.key}/updates/")
    html = page.content.decode()
    section = html[html.index('id="to-validate"'):html.index('id="to-fill"')]
    assert "Da validare: 2 indicatori inviati dai centri" in section
    assert 'data-code="6.4.3"' in section and 'data-code="3.3.1"' in section
    assert 'id="to-certify"' not in html  # the planning office does not certify


def test_it_validates_in_bulk_after_a_confirmation(demo: People) -> None:
    c = client_for(demo.planning)
    url = f"/plans/{demo.plan.key}/updates/bulk/"
    items = tokens(demo, "6.4.3", "3.3.1")
    confirm = c.post(url, {"action": "validate", "item": items})
    assert confirm.status_code == 200
    html = confirm.content.decode()
    assert "Stai per validare 2 indicatori." in html
    assert "6.4.3" in html and "3.3.1" in html
    assert state(demo, "6.4.3") == state(demo, "3.3.1") == "submitted"  # nothing done yet

    done = c.post(url, {"action": "validate", "item": items, "confirm": "1"})
    assert done.status_code == 302
    assert state(demo, "6.4.3") == state(demo, "3.3.1") == "validated"
    queue = c.get(done["Location"]).content.decode()
    assert "2 indicatori validati." in queue
    assert "Nessun valore in attesa di validazione." in queue
    # each went through the workflow service: one audit event each
    assert mm.AuditEvent.objects.filter(action="validate", username="planning").count() == 2


def test_the_oiv_certifies_from_its_queue(demo: People) -> None:
    c = client_for(demo.planning)
    c.post(f"/plans/{demo.plan.key}/updates/bulk/",
           {"action": "validate", "item": tokens(demo, "6.4.3"), "confirm": "1"})
    oiv = client_for(demo.oiv)
    html = oiv.get(f"/plans/{demo.plan.key}/updates/").content.decode()
    section = html[html.index('id="to-certify"'):]
    assert 'data-code="6.4.3"' in section and 'data-code="3.3.1"' not in section
    assert 'id="to-validate"' not in html
    confirm = oiv.post(f"/plans/{demo.plan.key}/updates/bulk/",
                       {"action": "certify", "item": tokens(demo, "6.4.3")})
    assert "Stai per certificare 1 indicatore" in confirm.content.decode()
    oiv.post(f"/plans/{demo.plan.key}/updates/bulk/",
             {"action": "certify", "item": tokens(demo, "6.4.3"), "confirm": "1"})
    assert state(demo, "6.4.3") == "certified"


def test_a_stale_item_undoes_the_whole_bulk_action(demo: People) -> None:
    items = tokens(demo, "6.4.3", "3.3.1")
    # someone returns 3.3.1 between the queue and the confirmation
    m = mm.Measurement.objects.get(indicator__code="3.3.1", period=demo.year_end)
    do_return(user=demo.planning, period=demo.year_end, indicator="3.3.1",
              reason="manca un dato", expected_version=m.version)
    answer = client_for(demo.planning).post(
        f"/plans/{demo.plan.key}/updates/bulk/",
        {"action": "validate", "item": items, "confirm": "1"})
    assert answer.status_code == 400
    html = answer.content.decode()
    assert 'role="alert"' in html and "3.3.1: ora non si può validare i valori" in html
    assert "Nessun indicatore è stato cambiato." in html
    assert state(demo, "6.4.3") == "submitted"  # not validated: all or nothing


def test_bulk_return_does_not_exist(demo: People) -> None:
    answer = client_for(demo.planning).post(
        f"/plans/{demo.plan.key}/updates/bulk/",
        {"action": "return", "item": tokens(demo, "6.4.3"), "confirm": "1"})
    assert answer.status_code == 404
    assert state(demo, "6.4.3") == "submitted"


def test_the_oiv_cannot_validate_nor_the_planning_office_certify(demo: People) -> None:
    url = f"/plans/{demo.plan.key}/updates/bulk/"
    refused = client_for(demo.oiv).post(
        url, {"action": "validate", "item": tokens(demo, "6.4.3"), "confirm": "1"})
    assert refused.status_code == 403
    refused = client_for(demo.planning).post(
        url, {"action": "certify", "item": tokens(demo, "6.4.3"), "confirm": "1"})
    assert refused.status_code == 403
    assert state(demo, "6.4.3") == "submitted"


def test_a_centre_sees_what_was_returned_and_why(demo: People) -> None:
    m = mm.Measurement.objects.get(indicator__code="3.3.1", period=demo.year_end)
    do_return(user=demo.planning, period=demo.year_end, indicator="3.3.1",
              reason="il numeratore non torna", expected_version=m.version)
    centre = m.indicator.centres.first()
    mm.CentreMembership.objects.create(user=demo.officer_b, centre=centre, role="officer")
    html = client_for(demo.officer_b).get(f"/plans/{demo.plan.key}/updates/").content.decode()
    assert "Motivo: il numeratore non torna" in html
    assert 'data-returned="true"' in html


def test_signing_in_lands_on_the_queue(demo: People) -> None:
    c = Client()
    answer = c.post("/accounts/login/", {"username": "planning", "password": "pw-planning"})
    assert answer.status_code == 302
    landing = c.get(answer["Location"])
    assert landing.status_code == 302
    assert landing["Location"] == f"/plans/{demo.plan.key}/updates/"


def test_an_interim_submission_needs_the_year_end_forecast(people: People) -> None:
    do_set_values(user=people.officer_a, period=people.interim, items=[
        ValueInput("3.1.1", "budget_innovazione", Decimal("9500000")),
        ValueInput("3.1.1", "contabilizzato_innovazione", Decimal("9000000"))])
    c = client_for(people.officer_a)
    url = f"/plans/{people.plan.key}/indicators/3.1.1/periods/{people.interim.end_date}/"
    refused = c.post(url, {"action": "submit", "gap_explanation": "in corso"},
                     HTTP_HX_REQUEST="true")
    assert refused.status_code == 400
    assert "indica la previsione di fine anno" in refused.content.decode()
    assert mm.Measurement.objects.get(indicator__code="3.1.1",
                                      period=people.interim).state == "draft"
    ok = c.post(url, {"action": "submit", "gap_explanation": "in corso",
                      "forecast": "100% a dicembre"})
    assert ok.status_code == 302
    assert mm.Measurement.objects.get(indicator__code="3.1.1",
                                      period=people.interim).state == "submitted"


def test_the_planning_office_sees_the_targets_to_revise_until_one_is_recorded(
        people: People) -> None:
    from cruscotto.web.measurements.services import do_revise_target
    from cruscotto.web.plans import models as pm

    target = pm.IndicatorTarget.objects.get(indicator__plan=people.plan, indicator__code="3.1.1",
                                           year=2022)
    target.text = "Almeno 125 amministrazioni e almeno 2.800 soggetti"
    target.save()
    url = f"/plans/{people.plan.key}/updates/"
    html = client_for(people.planning).get(url).content.decode()
    section = html[html.index('id="to-revise"'):html.index('id="to-fill"')]
    assert "Da rimodulare: 1 target che il sistema non sa leggere" in section
    assert 'data-code="3.1.1"' in section and "2022" in section
    assert "letto solo in parte" in section and "seconda soglia" in section
    assert "#revise-target" in section
    english = client_for(people.planning).get(url, headers={"accept-language": "en"})
    assert "only partly read" in english.content.decode()
    # a centre has no such list; the planning office's empties once a revision reads
    assert 'id="to-revise"' not in client_for(people.officer_a).get(url).content.decode()
    do_revise_target(user=people.planning, plan_id=people.plan.pk, indicator="3.1.1", year=2022,
                     text=">= 125", justification="codifica della prima soglia")
    html = client_for(people.planning).get(url).content.decode()
    assert "Ogni target del piano è leggibile" in html
