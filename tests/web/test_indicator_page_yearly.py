"""The indicator page shows a formula that changes from a year on, and the declared baselines;
both survive storing the plan in the database."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.test import Client

from cruscotto.core.plan import Baseline, Plan, Polarity, YearDefinition
from cruscotto.io.interchange import dumps
from cruscotto.web.plans import selectors

from . import pages

pytestmark = pytest.mark.django_db

PLAN = "/plans/cciaa-pr-2021-2023/"


@pytest.fixture
def stored(small_plan: Plan) -> Plan:
    ind = small_plan.indicator("3.2.1")
    ind.formula = "imprese_assistite"
    ind.definitions = [YearDefinition(
        2022, "imprese_assistite / imprese_iscritte",
        formula_text="Imprese assistite / imprese iscritte", unit="percentuale",
        polarity=Polarity.HIGHER_IS_BETTER)]
    ind.baselines = [Baseline(Decimal("1250"), datetime.date(2021, 11, 30),
                              "monitoraggio di novembre 2021")]
    pages.store_published(small_plan)
    return small_plan


def test_the_page_says_which_formula_holds_from_which_year(client: Client, stored: Plan) -> None:
    text = pages.text(client.get(f"{PLAN}indicators/3.2.1/"))
    assert ("Definizione per anno dal 2022: nuova formula Imprese assistite / imprese iscritte "
            "( imprese_assistite / imprese_iscritte ); unità di misura: percentuale; "
            "polarità: più alto è meglio") in text
    assert "Baseline 1.250 al 30/11/2021 (monitoraggio di novembre 2021)" in text
    # an indicator without them shows neither
    other = pages.text(client.get(f"{PLAN}indicators/3.1.1/"))
    assert "Definizione per anno" not in other and "Baseline" not in other


def test_the_page_is_in_english_for_an_english_reader(client: Client, stored: Plan) -> None:
    text = pages.text(client.get(f"{PLAN}indicators/3.2.1/",
                                 headers={"accept-language": "en-GB,en;q=0.9"}))
    assert "from 2022: new formula Imprese assistite / imprese iscritte" in text
    assert "1,250 at 30/11/2021" in text


def test_the_stored_plan_gives_back_the_definitions_and_baselines(stored: Plan) -> None:
    back = selectors.stored_plan("cciaa-pr-2021-2023")
    assert dumps(back, "json") == dumps(stored, "json")
    assert back.indicator("3.2.1").in_force(2023).unit == "percentuale"
