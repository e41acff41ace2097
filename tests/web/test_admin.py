"""The admin, for the planning office: staff only, in Italian, every plan model."""

from __future__ import annotations

from decimal import Decimal

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
    m.Variable,
]


@pytest.fixture
def stored(encoded_plan: Plan) -> Plan:
    write_plan(plan=encoded_plan)
    return encoded_plan


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
                  "Programmi", "Variabili"):
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


def test_the_planning_office_sees_and_corrects_how_an_indicator_is_computed(
    client: Client, stored: Plan
) -> None:
    login(client, staff=True, superuser=True)
    ind = m.Indicator.objects.get(code="6.0.1")
    url = f"/admin/plans/indicator/{ind.pk}/change/"
    text = pages.text(client.get(url))
    for label in ("Calcolo", "Formula", "Misure", "Polarità", "Polarità dedotta", "Peso"):
        assert label in text
    page = client.get(url).content.decode()
    assert "costi_struttura / proventi_correnti" in page
    assert 'value="1.125000"' in page
    assert '<option value="lower" selected>più basso è meglio</option>' in page

    form = client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update({
        "plan": ind.plan_id, "strategic": ind.strategic_id, "mission": ind.mission_id or "",
        "operational": "", "measures": "[]", "polarity_inferred": "",
        "weight": "-1", "formula": "costi_struttura / proventi",
        "targets-TOTAL_FORMS": "0", "targets-INITIAL_FORMS": "0",
        "centre_links-TOTAL_FORMS": "0", "centre_links-INITIAL_FORMS": "0",
        "data_source_links-TOTAL_FORMS": "0", "data_source_links-INITIAL_FORMS": "0",
    })
    response = client.post(url, data)
    assert response.status_code == 200  # the form again, with the error
    assert "Il peso non può essere negativo." in pages.text(response)
    data["weight"] = "0.5"
    data["measures"] = '{"spesa": "x"}'
    assert "Scrivere le misure come" in pages.text(client.post(url, data))
    data["measures"] = '[["spesa", "speso"]]'
    assert client.post(url, data).status_code == 302
    ind.refresh_from_db()
    assert (ind.formula, ind.weight, ind.measures, ind.polarity_inferred) == (
        "costi_struttura / proventi", Decimal("0.5"), [["spesa", "speso"]], False)


def test_the_planning_office_sees_the_variables_and_their_sources(
    client: Client, stored: Plan
) -> None:
    login(client, staff=True, superuser=True)
    text = pages.text(client.get("/admin/plans/variable/"))
    assert "imprese_assistite" in text and "Ufficio estero" in text
    assert "sì/no" in text
