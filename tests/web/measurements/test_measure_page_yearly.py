"""The values page of a period shows the formula in force in its year, and asks for its inputs."""

from __future__ import annotations

from django.test import Client

from cruscotto.core.plan import YearDefinition
from cruscotto.data import default_plan
from cruscotto.web.plans.services import write_plan

from .. import pages
from .conftest import People

PLAN = "/plans/cciaa-mimblo-2021-2023"


def test_a_year_with_a_new_definition_shows_and_asks_for_its_formula(
        client: Client, people: People) -> None:
    plan = default_plan()
    plan.indicator("3.1.1").definitions = [YearDefinition(
        2022, "contabilizzato_innovazione / budget_innovazione / 2",
        formula_text="Metà del grado di utilizzo del budget")]
    write_plan(plan=plan)
    client.force_login(people.officer_a)
    text21 = pages.text(client.get(f"{PLAN}/indicators/3.1.1/periods/2021-12-31/"))
    assert "Metà del grado di utilizzo" not in text21  # 2021 keeps the plan's own rule
    text22 = pages.text(client.get(f"{PLAN}/indicators/3.1.1/periods/2022-12-31/"))
    assert ("Algoritmo di calcolo: Metà del grado di utilizzo del budget · "
            "contabilizzato_innovazione / budget_innovazione / 2 dal 2022") in text22
