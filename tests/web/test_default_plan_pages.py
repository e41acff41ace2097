"""The shipped plan, loaded as a user does, shown on every page."""

from __future__ import annotations

import pytest
from django.test import Client

from cruscotto.cli import main
from cruscotto.data import default_plan

from . import pages

pytestmark = pytest.mark.django_db

PLAN = "/plans/cciaa-mimblo-2021-2023/"


@pytest.fixture
def loaded(capsys) -> None:
    assert main(["plan", "load-default"]) == 0
    capsys.readouterr()


def test_the_overview_shows_the_36_indicators(client: Client, loaded: None) -> None:
    response = client.get(PLAN)
    text = pages.text(response)
    assert "Camera di Commercio di Milano Monza Brianza Lodi" in text
    assert "4 missioni 6 obiettivi strategici 17 obiettivi operativi 36 indicatori" in text
    assert "budget € 19.350.072" in text
    indicator_links = [href for href in pages.links(response).values()
                       if href.startswith(f"{PLAN}indicators/")]
    assert len(set(indicator_links)) == 36
    # objective 3 sits under missions 011 and 016
    assert text.count("Obiettivo strategico 3 ·") == 2


def test_every_indicator_and_centre_page_opens(client: Client, loaded: None) -> None:
    plan = default_plan()
    for ind in plan.indicators:
        response = client.get(f"{PLAN}indicators/{ind.code}/")
        assert response.status_code == 200, ind.code
        assert f"Fonte: riga {ind.source.line}" in pages.text(response), ind.code
    for centre in plan.centres:
        response = client.get(f"{PLAN}centres/{centre.key}/")
        assert response.status_code == 200, centre.key
        assert f"{len(plan.indicators_of_centre(centre.name))} indicator" in pages.text(response)
