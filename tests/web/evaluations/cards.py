"""Cards for the measurement tests' people (the permission matrix, the page tests).

officer_a (centre A, *personale*) is evaluated by manager_a, complete and in draft;
officer_b (centre B, *personale*) has no evaluator; manager_a (*dirigenti*) is
evaluated by demo-segretario, the OIV proposing. The shipped example SMVP for 2021.
"""

from __future__ import annotations

from typing import Any

import yaml
from django.contrib.auth import get_user_model

from cruscotto.web.evaluations import models as em
from cruscotto.web.evaluations import services
from cruscotto.web.evaluations.demo import EXAMPLE
from cruscotto.web.plans import models as pm

from ..measurements.conftest import CENTRE_A, CENTRE_B, People


def objective(title: str = "Pratiche evase", target: str = "≥ 90%", actual: str = "95",
              **kw: Any) -> dict[str, Any]:
    return {"title": title, "target": target, "actual": actual, "unit": "percentuale",
            "polarity": "higher", "weight": 1, **kw}


def make_cards(people: People) -> dict[str, em.Card]:
    plan = people.plan
    if not em.Scheme.objects.filter(organisation=plan.organisation, year=2021).exists():
        services.configure(organisation=plan.organisation,
                           data=yaml.safe_load(EXAMPLE.read_text("utf-8")))
    centre = {c.name: c for c in pm.ResponsibilityCentre.objects.filter(plan=plan)}
    secretary, _ = get_user_model().objects.get_or_create(username="segretario")
    a = services.create_card(plan=plan, year=2021, person=people.officer_a,
                             category="personale", evaluator=people.manager_a,
                             centres=[centre[CENTRE_A]], objectives=[objective()])
    em.Card.objects.filter(pk=a.pk).update(behaviour_scores={
        "collaborazione": 4, "orientamento_utenza": 3, "affidabilita": 5})
    b = services.create_card(plan=plan, year=2021, person=people.officer_b,
                             category="personale", evaluator=None,
                             centres=[centre[CENTRE_B]], objectives=[objective()])
    m = services.create_card(plan=plan, year=2021, person=people.manager_a,
                             category="dirigenti", evaluator=secretary,
                             centres=[centre[CENTRE_A]], objectives=[objective()])
    return {"own": em.Card.objects.get(pk=a.pk), "other": b, "manager": m}
