"""Query budgets of the evaluation pages: a fixed number of queries, whatever the cards."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from cruscotto.web.evaluations import services
from cruscotto.web.plans import models as pm

from ..measurements.conftest import CENTRE_A, People
from .cards import objective
from .conftest import user

BUDGET = 20


def _count(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def _pages(demo: People) -> dict[str, tuple[str, str]]:
    key = demo.plan.key
    return {"overview": ("demo-controllo", f"/plans/{key}/riepilogo-valutazioni/2021/"),
            "evaluator": ("demo-segretario", f"/plans/{key}/valutazioni/2021/"),
            "card": ("demo-controllo", f"/plans/{key}/valutazioni/2021/demo-responsabile/"),
            "mine": ("demo-responsabile", f"/plans/{key}/valutazioni/"),
            "awards": ("", f"/trasparenza/{key}/premi/2021/")}


def test_the_pages_cost_the_same_with_more_cards(demo: People) -> None:
    clients: dict[str, Any] = {}
    for name in ("demo-controllo", "demo-segretario", "demo-responsabile", ""):
        clients[name] = Client()
        if name:
            clients[name].force_login(user(name))
    pages = _pages(demo)
    for who, url in pages.values():  # warm the process's caches (compiled plan)
        clients[who].get(url)
    before = {p: _count(clients[who], url) for p, (who, url) in pages.items()}
    centre = pm.ResponsibilityCentre.objects.get(plan=demo.plan, name=CENTRE_A)
    for i in range(12):
        person = get_user_model().objects.create_user(username=f"persona{i}")
        services.create_card(plan=demo.plan, year=2021, person=person, category="personale",
                             evaluator=user("demo-segretario"), centres=[centre],
                             objectives=[objective(), objective("Secondo")])
    after = {p: _count(clients[who], url) for p, (who, url) in pages.items()}
    assert after == before
    assert max(after.values()) <= BUDGET, after
