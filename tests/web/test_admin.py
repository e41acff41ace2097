"""The admin, for the planning office: staff only, in Italian, every plan model."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission, User
from django.test import Client

from cruscotto.core.plan import Plan
from cruscotto.web.plans import models as m
from cruscotto.web.plans.services import write_plan

from . import pages

pytestmark = pytest.mark.django_db

PLAN_MODELS = [
    m.Organisation, m.Plan, m.Mission, m.Programme, m.StrategicObjective,
    m.StrategicObjectiveMission, m.OperationalObjective, m.Indicator, m.IndicatorTarget,
    m.IndicatorCentre, m.IndicatorDataSource, m.ResponsibilityCentre, m.DataSource,
]


@pytest.fixture
def stored(small_plan: Plan) -> Plan:
    write_plan(plan=small_plan)
    return small_plan


def login(client: Client, *, staff: bool, superuser: bool = False, perms: tuple[str, ...] = ()
          ) -> Client:
    user = User.objects.create_user("persona", password="x", is_staff=staff,
                                    is_superuser=superuser)
    user.user_permissions.set(Permission.objects.filter(codename__in=perms))
    client.force_login(user)
    return client


@pytest.mark.parametrize("who", ["anonymous", "officer without staff status"])
def test_people_outside_the_planning_office_are_sent_to_the_login(
    client: Client, stored: Plan, who: str
) -> None:
    if who != "anonymous":
        login(client, staff=False)
    response = client.get("/admin/plans/indicator/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_staff_see_only_what_they_have_permission_for(client: Client, stored: Plan) -> None:
    login(client, staff=True, perms=("view_indicator",))
    assert client.get("/admin/plans/indicator/").status_code == 200
    assert client.get("/admin/plans/mission/").status_code == 403


def test_the_planning_office_sees_the_plan_models_in_italian(
    client: Client, stored: Plan
) -> None:
    login(client, staff=True, superuser=True)
    text = pages.text(client.get("/admin/"))
    for label in ("Piani della performance", "Obiettivi strategici", "Obiettivi operativi",
                  "Indicatori", "Centri di responsabilità", "Fonti dati", "Missioni",
                  "Programmi"):
        assert label in text
    text = pages.text(client.get("/admin/plans/indicator/"))
    assert "3.1.1 Grado di utilizzo del budget per l'innovazione" in text


@pytest.mark.parametrize("model", PLAN_MODELS, ids=lambda model: model.__name__)
def test_every_plan_model_has_a_working_list_and_form(
    client: Client, stored: Plan, model: type
) -> None:
    login(client, staff=True, superuser=True)
    base = f"/admin/plans/{model._meta.model_name}/"
    assert client.get(base).status_code == 200
    assert client.get(f"{base}{model.objects.first().pk}/change/").status_code == 200
    assert client.get(f"{base}?q=3").status_code == 200
