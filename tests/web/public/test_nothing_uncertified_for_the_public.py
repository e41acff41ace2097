"""Across the plan pages and the API, the public never sees an uncertified figure;
a signed-in viewer still sees validated ones."""

from __future__ import annotations

import pytest
from django.test import Client

from cruscotto.io.evaluation_out import display_value
from cruscotto.web.measurements.selectors import evaluate_indicator
from cruscotto.web.plans.services import set_published

from .. import pages
from .conftest import UNCERTIFIED, VALIDATED_ONLY, Demo

pytestmark = pytest.mark.django_db

KEY = "cciaa-mimblo-2021-2023"
API = f"/api/plans/{KEY}/periods/2021-12-31"


def figure(demo: Demo, code: str) -> str:
    r = evaluate_indicator(plan_id=demo.plan.pk, period=demo.year_end, code=code,
                           include_drafts=True)
    assert r is not None
    return display_value(r, "")


def measured_row(client: Client, code: str) -> str:
    response = client.get(f"/plans/{KEY}/indicators/{code}/")
    assert response.status_code == 200
    text = pages.text(response)
    return text[text.index("Misurazione"):text.index("Centri di responsabilità",
                                                     text.index("Misurazione"))]


def test_the_indicator_page_hides_validated_values_from_the_public(client: Client,
                                                                   demo: Demo) -> None:
    row = measured_row(client, VALIDATED_ONLY)
    assert "non ancora certificato" in row
    client.force_login(demo.viewer)
    row = measured_row(client, VALIDATED_ONLY)
    assert "non ancora certificato" not in row and "validato" in row


def test_a_certified_value_is_public(client: Client, demo: Demo) -> None:
    row = measured_row(client, "3.1.1")
    assert "certificato" in row and "%" in row


def test_the_anonymous_api_carries_no_uncertified_value(client: Client, demo: Demo) -> None:
    ev = client.get(API + "/evaluation").json()
    hidden = set(ev["hidden"])
    assert UNCERTIFIED | {VALIDATED_ONLY} <= hidden
    assert hidden.isdisjoint(demo.certified)
    for ind in ev["indicators"]:
        if ind["code"] in hidden:
            assert ind["outcome"] == "not_computable", ind["code"]
            assert ind["achievement"] is None and ind["formula"] is None, ind["code"]
    assert set(ev["organisation"]["counted"]) <= demo.certified
    values = client.get(API + "/values").json()
    readers = {c for v in values["values"] for c in v["read_by"]}
    assert readers and readers & demo.certified
    # a value read only by uncertified indicators is not listed
    assert all(set(v["read_by"]) & demo.certified for v in values["values"])

    client.force_login(demo.viewer)
    ev = client.get(API + "/evaluation").json()
    assert VALIDATED_ONLY not in ev["hidden"]
    assert VALIDATED_ONLY in ev["organisation"]["counted"]


def test_nothing_of_an_unpublished_plan_is_public(client: Client, demo: Demo) -> None:
    set_published(plan=demo.plan, published=False)
    for url in (f"/plans/{KEY}/", f"/plans/{KEY}/indicators/3.1.1/", f"/plans/{KEY}/centres/",
                f"/plans/{KEY}/search/?q=budget", f"/api/plans/{KEY}", API + "/values",
                API + "/evaluation", f"/trasparenza/{KEY}/2021/",
                # the dashboards and the report (these once leaked: they read the plan
                # without asking whether the reader may)
                f"/plans/{KEY}/dashboard/", f"/plans/{KEY}/strategic/3/",
                f"/plans/{KEY}/operational/3.1/",
                f"/plans/{KEY}/report/",
                f"/plans/{KEY}/report/download/xlsx/?period=2021-12-31"):
        assert client.get(url).status_code == 404, url
    assert f"/plans/{KEY}/" not in pages.links(client.get("/")).values()
    assert client.get("/trasparenza/opendata/piani.csv").content.decode().count("\n") == 1
    client.force_login(demo.viewer)
    assert client.get(f"/plans/{KEY}/indicators/3.1.1/").status_code == 200
    assert client.get(API + "/evaluation").status_code == 200
    for url in (f"/plans/{KEY}/dashboard/", f"/plans/{KEY}/strategic/3/",
                f"/plans/{KEY}/report/"):
        assert client.get(url).status_code == 200, url
