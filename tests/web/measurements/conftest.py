"""The base case of the measurement tests: the seed plan stored, and its people.

Three people as in every view test (a manager of centre A, an officer of
centre A, someone of centre B), plus the planning office, the OIV and a
viewer. Centre A owns 3.1.1 (with "Tutela del mercato e ambiente") and 6.4.1;
centre B owns 4.2.2.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.utils import translation

from cruscotto.data import default_plan
from cruscotto.web.measurements import models as mm
from cruscotto.web.measurements.services import ensure_periods
from cruscotto.web.plans import models as pm
from cruscotto.web.plans.services import set_published, write_plan

CENTRE_A = "Comunicazione sistemi informativi e sviluppo delle imprese"
CENTRE_B = "Risorse e patrimonio"


@dataclass
class People:
    plan: pm.Plan
    year_end: mm.Period
    interim: mm.Period
    baseline: mm.Period
    manager_a: Any
    officer_a: Any
    officer_b: Any
    planning: Any
    oiv: Any
    viewer: Any


def make_people(*, published: bool = True) -> People:
    """The people of a stored seed plan, published (as the demo's) unless told otherwise."""
    plan = set_published(plan=write_plan(plan=default_plan()), published=published)
    periods = {(p.year, p.kind): p for p in ensure_periods(plan=plan)}
    User = get_user_model()

    def user(name: str) -> Any:
        return User.objects.create_user(username=name, password="pw-" + name)

    def member(u: Any, centre: str, role: str) -> None:
        mm.CentreMembership.objects.create(
            user=u, centre=pm.ResponsibilityCentre.objects.get(plan=plan, name=centre),
            role=role)

    people = People(
        plan=plan, year_end=periods[(2021, "year_end")], interim=periods[(2021, "interim")],
        baseline=periods[(2020, "baseline")],
        manager_a=user("manager_a"), officer_a=user("officer_a"), officer_b=user("officer_b"),
        planning=user("planning"), oiv=user("oiv"), viewer=user("viewer"))
    member(people.manager_a, CENTRE_A, "manager")
    member(people.officer_a, CENTRE_A, "officer")
    member(people.officer_b, CENTRE_B, "officer")
    mm.OrgRole.objects.create(user=people.planning, role="planning", organisation=plan.organisation)
    mm.OrgRole.objects.create(user=people.oiv, role="oiv", organisation=plan.organisation)
    mm.OrgRole.objects.create(user=people.viewer, role="viewer", organisation=plan.organisation)
    return people


@pytest.fixture
def people(db: None) -> People:
    return make_people()


@pytest.fixture(autouse=True)
def italian() -> Iterator[None]:
    """Services called outside a request speak the default language, Italian.

    (A request of an earlier test asking for English leaves English active in
    the thread: Django's LocaleMiddleware activates a language and never resets it.)
    """
    with translation.override("it"):
        yield
