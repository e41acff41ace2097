"""The evaluation pages in Chromium with axe-core (WCAG 2.1 AA), and a refusal the
person sees in the page (htmx) when a score is not on the scale."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from cruscotto.web.evaluations.demo import load_demo_cards
from cruscotto.web.measurements.demo import load_demo
from tests.web.measurements.conftest import make_people

from .conftest import axe_violations


def sign_in(page: Any, base: str, who: str) -> None:
    """A demo person (password: the username)."""
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Nome utente").fill(who)
    page.get_by_label("Password").fill(who)
    page.get_by_role("button", name="Accedi").last.click()
    expect(page.get_by_role("button", name="Esci")).to_be_visible()


@pytest.fixture
def site(transactional_db: None, live_server: Any) -> dict[str, str]:
    people = make_people()
    load_demo(plan=people.plan)
    load_demo_cards(plan=people.plan)
    return {"base": live_server.url, "key": people.plan.key}


def _clean(page: Any, url: str) -> list[Any]:
    response = page.goto(url)
    assert response is not None and response.status == 200, url
    return axe_violations(page)


def test_the_evaluation_pages_pass_axe(site: dict[str, str], page: Any) -> None:
    base, key = site["base"], site["key"]
    assert _clean(page, f"{base}/trasparenza/{key}/premi/2021/") == []
    sign_in(page, base, "demo-controllo")
    for path in (f"/plans/{key}/valutazioni/", f"/plans/{key}/riepilogo-valutazioni/2021/",
                 f"/plans/{key}/valutazioni/2021/demo-responsabile/"):
        assert _clean(page, base + path) == [], path
    sign_in(page, base, "demo-segretario")
    assert _clean(page, f"{base}/plans/{key}/valutazioni/2021/") == []
    assert _clean(page, f"{base}/plans/{key}/valutazioni/2021/demo-referente-b/") == []
    # a refusal shows in the page, where the evaluator is looking (htmx)
    page.get_by_label("Data del colloquio di feedback (gg/mm/aaaa)").fill("31/02/2022")
    page.get_by_role("button", name="Salva la valutazione").click()
    message = page.locator("#card-message")
    expect(message).to_contain_text("non è una data")
    assert axe_violations(page) == []
