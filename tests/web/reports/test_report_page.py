"""The report page: choose the year or period, read it, download it; in Italian or English."""

from __future__ import annotations

from django.test import Client

from cruscotto.core.plan import Plan
from cruscotto.web.plans.services import set_published, write_plan
from tests.web import pages


def test_it_offers_every_period_and_the_three_downloads(demo, client: Client) -> None:
    key = demo.plan.key
    response = client.get(f"/plans/{key}/report/")
    assert response.status_code == 200
    text = pages.text(response)
    assert "Relazione sulla Performance 2021" in text
    for year in (2021, 2022, 2023):
        assert f"Relazione {year} (fine anno)" in text
        assert f"Monitoraggio intermedio al 30/06/{year}" in text
    html = response.content.decode()
    for fmt in ("pdf", "docx", "xlsx"):
        assert f'href="/plans/{key}/report/download/{fmt}/?period=2021-12-31&amp;basis=certified"' \
                in html
    assert f'href="/plans/{key}/report/"' in html  # in the navigation of every plan page
    overview = client.get(f"/plans/{key}/").content.decode()
    assert f'href="/plans/{key}/report/"' in overview


def test_an_unknown_period_is_a_clear_error_on_the_page(demo, client: Client) -> None:
    response = client.get(f"/plans/{demo.plan.key}/report/", {"period": "2021-03-31"})
    assert response.status_code == 400
    assert "Il piano non ha un periodo al 31/03/2021." in pages.text(response)


def test_english_on_request(demo, client: Client) -> None:
    response = client.get(f"/plans/{demo.plan.key}/report/",
                          headers={"accept-language": "en"})
    text = pages.text(response)
    assert "Performance Report 2021" in text
    assert "Annex: data quality" in text and "Indicators by status" in text


def test_a_plan_without_periods_says_so(db: None, client: Client, small_plan: Plan) -> None:
    stored = set_published(plan=write_plan(plan=small_plan), published=True)
    text = pages.text(client.get(f"/plans/{stored.key}/report/"))
    assert "Il piano non ha ancora periodi di misurazione." in text
