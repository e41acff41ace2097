"""A card's workflow through its page: each step by the right person, audited; refusals
visible (no-JS and htmx), naming the field; a stale form refused; flat distributions
refused before closing."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from cruscotto.web.evaluations import models as em
from cruscotto.web.evaluations import selectors, services
from cruscotto.web.plans import models as pm

from ..measurements.conftest import CENTRE_A, People
from .cards import make_cards, objective


@pytest.fixture
def cards(people: People) -> dict[str, em.Card]:
    return make_cards(people)


def _post(user: Any, people: People, name: str, data: dict[str, str], *,
          htmx: bool = False) -> Any:
    c = Client()
    c.force_login(user)
    card = em.Card.objects.get(person__username=name, year=2021)
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    return c.post(f"/plans/{people.plan.key}/valutazioni/2021/{name}/",
                  {"version": str(card.version), **data}, **headers)


def test_shared_acknowledged_and_final_each_step_by_its_person(people: People,
                                                                cards: Any) -> None:
    assert _post(people.manager_a, people, "officer_a", {
        "action": "evaluate", "score-collaborazione": "4", "score-orientamento_utenza": "3",
        "score-affidabilita": "5", "interview_on": "10/02/2022",
        "evaluator_notes": "colloquio svolto"}).status_code == 302
    assert _post(people.officer_a, people, "officer_a", {
        "action": "self", "self-collaborazione": "5", "evaluated_notes": "le mie note",
    }).status_code == 302
    # the person cannot share their own card: refused, nothing changes
    assert _post(people.officer_a, people, "officer_a", {"action": "share"}
                 ).status_code == 403
    assert _post(people.manager_a, people, "officer_a", {"action": "share"}
                 ).status_code == 302
    assert _post(people.officer_a, people, "officer_a", {"action": "acknowledge"}
                 ).status_code == 302
    assert _post(people.planning, people, "officer_a", {"action": "finalise"}
                 ).status_code == 302
    card = em.Card.objects.get(pk=cards["own"].pk)
    assert card.state == "final"
    assert card.evaluator_notes == "colloquio svolto"
    assert card.evaluated_notes == "le mie note"
    assert card.final is not None and card.final["band"] in {"A", "B", "C", "D"}
    steps = list(card.events.values_list("action", "username"))
    assert ("share", "manager_a") in steps
    assert ("acknowledge", "officer_a") in steps
    assert ("finalise", "planning") in steps
    page = Client()
    page.force_login(people.officer_a)
    text = page.get(f"/plans/{people.plan.key}/valutazioni/2021/officer_a/").content.decode()
    assert "Definitiva".lower() in text.lower() and "le mie note" in text
    history = text[text.index('id="card-history"'):]
    for step in ("condivisa con il valutato", "presa visione", "resa definitiva"):
        assert step in history


def test_a_contested_card_needs_a_reason_and_goes_back_to_the_evaluator(
        people: People, cards: Any) -> None:
    _post(people.manager_a, people, "officer_a", {"action": "share"})
    refused = _post(people.officer_a, people, "officer_a", {"action": "contest"})
    assert refused.status_code == 400
    text = refused.content.decode()
    assert 'id="card-message"' in text and "Motivazione" in text
    assert em.Card.objects.get(pk=cards["own"].pk).state == "shared"
    assert _post(people.officer_a, people, "officer_a", {
        "action": "contest", "reason": "il punteggio dei comportamenti è basso"}
    ).status_code == 302
    assert em.Card.objects.get(pk=cards["own"].pk).contest_reason.startswith("il punteggio")
    assert _post(people.manager_a, people, "officer_a", {
        "action": "revise", "reason": "conciliazione: rivedo i comportamenti"}
    ).status_code == 302
    assert em.Card.objects.get(pk=cards["own"].pk).state == "draft"


def test_a_refusal_names_the_field_with_htmx_too(people: People, cards: Any) -> None:
    data = {"action": "evaluate", "score-collaborazione": "9"}
    no_js = _post(people.manager_a, people, "officer_a", data)
    assert no_js.status_code == 400
    assert "non è un livello della scala (ammessi: 1, 2, 3, 4, 5)" in no_js.content.decode()
    htmx = _post(people.manager_a, people, "officer_a", data, htmx=True)
    assert htmx.status_code == 400
    text = htmx.content.decode()
    assert text.lstrip().startswith('<div id="card-panel">')
    assert 'data-field="score-collaborazione"' in text
    assert 'aria-invalid="true"' in text
    bad_date = _post(people.manager_a, people, "officer_a",
                     {"action": "evaluate", "interview_on": "31/02/2022"})
    assert "non è una data" in bad_date.content.decode()


def test_a_stale_form_is_refused(people: People, cards: Any) -> None:
    c = Client()
    c.force_login(people.manager_a)
    url = f"/plans/{people.plan.key}/valutazioni/2021/officer_a/"
    old = em.Card.objects.get(pk=cards["own"].pk).version
    assert c.post(url, {"version": str(old), "action": "evaluate",
                        "evaluator_notes": "prima"}).status_code == 302
    stale = c.post(url, {"version": str(old), "action": "evaluate",
                         "evaluator_notes": "seconda"})
    assert stale.status_code == 400
    assert "modificata da qualcun altro" in stale.content.decode()
    assert em.Card.objects.get(pk=cards["own"].pk).evaluator_notes == "prima"


def test_a_manager_card_is_shared_only_after_the_oiv_proposal(people: People,
                                                              cards: Any) -> None:
    m = cards["manager"]
    em.Card.objects.filter(pk=m.pk).update(behaviour_scores={
        "leadership": 4, "differenziazione": 3, "problem_solving": 4, "collaborazione": 4})
    secretary = m.evaluator
    with pytest.raises(services.Refused, match="l'OIV propone"):
        services.transition(user=secretary, card_id=m.pk, version=None, action="share")
    assert _post(people.oiv, people, "manager_a", {
        "action": "propose", "oiv_proposal": "proposta motivata"}).status_code == 302
    services.transition(user=secretary, card_id=m.pk, version=None, action="share")
    assert em.Card.objects.get(pk=m.pk).state == "shared"


def test_a_flat_distribution_is_refused_before_closing(people: People, cards: Any) -> None:
    from django.contrib.auth import get_user_model

    centre = pm.ResponsibilityCentre.objects.get(plan=people.plan, name=CENTRE_A)
    same = {"collaborazione": 4, "orientamento_utenza": 3, "affidabilita": 5}
    for i in range(5):
        u = get_user_model().objects.create_user(username=f"impiegato{i}")
        c = services.create_card(plan=people.plan, year=2021, person=u,
                                 category="personale", evaluator=people.manager_a,
                                 centres=[centre], objectives=[objective()])
        em.Card.objects.filter(pk=c.pk).update(behaviour_scores=same)
    services.transition(user=people.manager_a, card_id=cards["own"].pk, version=None,
                        action="share")
    services.transition(user=people.officer_a, card_id=cards["own"].pk, version=None,
                        action="acknowledge")
    refused = _post(people.planning, people, "officer_a", {"action": "finalise"})
    assert refused.status_code == 400
    text = refused.content.decode()
    assert "regole di differenziazione" in text
    assert "Personale non dirigente: le 6 schede usano 1 fasce" in text
    assert em.Card.objects.get(pk=cards["own"].pk).state == "acknowledged"
    # the overview says the same, with the chart and its table
    c = Client()
    c.force_login(people.planning)
    page = c.get(f"/plans/{people.plan.key}/riepilogo-valutazioni/2021/").content.decode()
    assert "<svg" in page and 'role="img"' in page
    assert 'id="differentiation"' in page and "le 6 schede usano 1 fasce" in page


def test_an_objective_is_assessed_with_the_plans_rule_book(people: People,
                                                           cards: Any) -> None:
    card = cards["own"]
    em.Objective.objects.filter(card=card).update(target="≥ 80%", actual="60")
    view = selectors.card_view(em.Card.objects.get(pk=card.pk))
    # at least 80: 100 × 60 / 80 = 75
    assert view.objectives[0].achievement == Decimal(75)
    em.Objective.objects.filter(card=card).update(target="entro marzo e poi si vedrà")
    view = selectors.card_view(em.Card.objects.get(pk=card.pk))
    assert view.objectives[0].achievement is None
    assert view.score is not None and view.score.total is None


def test_texts_are_bounded(people: People, cards: Any) -> None:
    refused = _post(people.manager_a, people, "officer_a",
                    {"action": "evaluate", "evaluator_notes": "x" * 4001})
    assert refused.status_code == 400
    assert "al massimo 4000 caratteri" in refused.content.decode()


def test_the_personnel_office_reads_and_closes_a_contested_card_with_its_outcome(
        people: People, cards: Any) -> None:
    from django.contrib.auth import get_user_model

    hr = get_user_model().objects.create_user(username="personale")
    em.StaffRole.objects.create(user=hr, role="hr", organisation=people.plan.organisation)
    c = Client()
    c.force_login(hr)
    assert c.get(f"/plans/{people.plan.key}/riepilogo-valutazioni/2021/").status_code == 200
    services.transition(user=people.manager_a, card_id=cards["own"].pk, version=None,
                        action="share")
    services.transition(user=people.officer_a, card_id=cards["own"].pk, version=None,
                        action="contest", reason="non concordo")
    without = _post(hr, people, "officer_a", {"action": "finalise"})
    assert without.status_code == 400
    assert "esito della conciliazione" in without.content.decode()
    assert _post(hr, people, "officer_a", {
        "action": "finalise", "reason": "conciliazione: valutazione confermata"}
    ).status_code == 302
    card = em.Card.objects.get(pk=cards["own"].pk)
    assert card.state == "final"
    assert card.events.filter(action="finalise", username="personale",
                              reason__startswith="conciliazione").exists()
    # an administrator as such does not read cards
    admin = get_user_model().objects.create_superuser(username="capo", password="x")
    c.force_login(admin)
    assert c.get(f"/plans/{people.plan.key}/valutazioni/2021/officer_a/").status_code == 403
