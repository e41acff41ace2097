"""The home page: the stored plans, or how to load one."""

from __future__ import annotations

import pytest
from django.test import Client

from cruscotto.core.plan import Plan

from . import pages

pytestmark = pytest.mark.django_db


def test_without_plans_it_says_how_to_load_one(client: Client) -> None:
    text = pages.text(client.get("/"))
    assert "Nessun piano caricato" in text
    assert "cruscotto migrate cruscotto plan load-default" in text
    assert "cruscotto plan import piano.yaml" in text


def test_it_lists_the_stored_plans(client: Client, small_plan: Plan) -> None:
    pages.store_published(small_plan)
    response = client.get("/")
    text = pages.text(response)
    assert "Camera di Commercio di Prova · 2021–2023 · 4 indicatori" in text
    assert pages.links(response)["Piano della Performance 2021-2023"] == \
        "/plans/cciaa-pr-2021-2023/"
    assert "Nessun piano caricato" not in text
