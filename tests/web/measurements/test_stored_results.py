"""Stored results: the write paths keep them current, readers never recompute, and a
reader is told when a stored figure is older than the data.

6.4.1 (centre A) is the growth of the social followers over the year before:
41,200 in 2020, 47,380 in 2021 is +15% against +20%, 75%.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from cruscotto.cli import main
from cruscotto.web.measurements import models as mm
from cruscotto.web.measurements import results
from cruscotto.web.measurements.services import (
    ValueInput,
    do_set_value,
    do_submit,
    do_validate,
)

from .conftest import People

KEY = "cciaa-mimblo-2021-2023"
PAGE = f"/plans/{KEY}/indicators/6.4.1/"


@pytest.fixture(autouse=True)
def fast_hasher(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def followers(people: People, period: mm.Period, n: str) -> None:
    do_set_value(user=people.officer_a, period=period,
                 item=ValueInput("6.4.1", "follower_social", Decimal(n)))


def stored(people: People, visibility: str, period: mm.Period | None = None
           ) -> dict[str, Any]:
    row = mm.ResultSet.objects.get(plan=people.plan, period=period or people.year_end,
                                   visibility=visibility)
    return dict(row.figures["indicators"]["6.4.1"], token=row.token)


def achievement_cell(html: str) -> str:
    """The 2021 achievement on the indicator page."""
    m = re.search(r'data-period="2021-12-31">.*?data-figure="achievement">([^<]*)', html,
                  re.S)
    assert m is not None
    return m.group(1).strip()


def test_saving_a_value_recomputes_the_stored_result_in_the_same_write(
        people: People) -> None:
    followers(people, people.baseline, "41200")
    followers(people, people.year_end, "47380")
    assert stored(people, "office")["achievement"] == "75"
    assert stored(people, "office")["status"] == "yellow"
    # the year end again: the stored figure follows at once
    followers(people, people.year_end, "49440")
    assert stored(people, "office")["achievement"] == "100"
    assert stored(people, "office")["status"] == "green"
    # the 2020 value: the 2021 figure reads it (a growth), so it is recomputed too
    followers(people, people.baseline, "44000")
    # (49.440 - 44.000) / 44.000 = 12,36…% of +20%: 61,818…, shown 61,82
    assert stored(people, "office")["achievement"] == "61.82"


def test_what_each_visibility_stores_follows_the_workflow(people: People) -> None:
    followers(people, people.baseline, "41200")
    followers(people, people.year_end, "47380")
    for visibility in ("public", "reader"):
        fig = stored(people, visibility)
        assert fig["achievement"] is None and fig["outcome"] == "not_computable"
        # the reason is stored as a message, in no reader's language yet
        assert fig["reason"] == {"template": "valori non ancora validati", "params": {}}
    do_submit(user=people.officer_a, period=people.year_end, indicator="6.4.1",
              gap_explanation="meno follower del previsto")
    do_validate(user=people.planning, period=people.year_end, indicator="6.4.1")
    assert stored(people, "reader")["achievement"] == "75"
    assert stored(people, "public")["reason"] == {
        "template": "valori non ancora certificati", "params": {}}


def test_pages_read_the_stored_results_without_recomputing(
        client: Client, people: People) -> None:
    followers(people, people.baseline, "41200")
    followers(people, people.year_end, "47380")
    before = {v: stored(people, v)["token"] for v in ("public", "reader", "office")}
    client.force_login(people.planning)
    assert client.get(PAGE).status_code == 200
    assert client.get(f"/plans/{KEY}/dashboard/").status_code == 200
    assert client.get(f"/api/plans/{KEY}/periods/2021-12-31/evaluation").status_code == 200
    client.logout()
    assert client.get(f"/trasparenza/{KEY}/2021/").status_code == 200
    # the same stored sets: nothing was recomputed, nothing written
    assert {v: stored(people, v)["token"] for v in before} == before


def test_a_reader_is_told_when_a_stored_figure_is_older_than_the_data(
        client: Client, people: People, capsys: pytest.CaptureFixture[str]) -> None:
    followers(people, people.baseline, "41200")
    followers(people, people.year_end, "47380")
    client.force_login(people.planning)
    page = client.get(PAGE).content.decode()
    assert "data-stale-results" not in page
    assert achievement_cell(page).startswith("75")
    # a change made around the services (a manual fix in the database, a script)
    mm.Value.objects.filter(period=people.year_end, variable="follower_social").update(
        number=Decimal("49440"))
    page = client.get(PAGE).content.decode()
    assert "data-stale-results" in page
    assert "i dati sono cambiati da allora" in page
    assert "cruscotto results refresh" in page
    assert achievement_cell(page).startswith("75")  # the stored figure, said to be old
    # in English too
    page = client.get(PAGE, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "the data have changed since" in page
    assert main(["results", "refresh", "--plan", KEY]) == 0
    out = capsys.readouterr().out
    m = re.match(rf"{KEY}: (\d+) result sets recomputed \((\d+) were stale\)", out)
    assert m is not None, out
    # the 2021 year end's three visibilities at least (and the periods reading it)
    assert int(m.group(2)) >= 3
    assert results.stale_sets(people.plan.pk) == 0
    page = client.get(PAGE).content.decode()
    assert "data-stale-results" not in page
    assert achievement_cell(page).startswith("100")


def test_a_set_missing_is_computed_when_first_read(client: Client, people: People) -> None:
    followers(people, people.baseline, "41200")
    followers(people, people.year_end, "47380")
    mm.ResultSet.objects.filter(plan=people.plan).delete()  # as after a restore
    client.force_login(people.planning)
    page = client.get(PAGE).content.decode()
    assert achievement_cell(page).startswith("75")
    assert "data-stale-results" not in page
    assert stored(people, "office")["achievement"] == "75"


def test_a_centre_sees_its_own_drafts_on_top_of_what_readers_see(
        client: Client, people: People) -> None:
    followers(people, people.baseline, "41200")
    followers(people, people.year_end, "47380")
    client.force_login(people.officer_a)  # centre A: 6.4.1 is theirs
    assert achievement_cell(client.get(PAGE).content.decode()).startswith("75")
    mine = mm.ResultSet.objects.filter(plan=people.plan, visibility__startswith="drafts:")
    assert mine.exists()
    client.force_login(people.officer_b)  # centre B: a draft of centre A is not shown
    page = client.get(PAGE).content.decode()
    assert not achievement_cell(page).startswith("75")
    # the next write of the period drops the centre's set: computed again when read
    followers(people, people.year_end, "49440")
    assert not mine.filter(period=people.year_end).exists()
    client.force_login(people.officer_a)
    assert achievement_cell(client.get(PAGE).content.decode()).startswith("100")


def test_refresh_recomputes_every_period(people: People) -> None:
    followers(people, people.baseline, "41200")
    n = results.refresh(people.plan.pk)
    periods = mm.Period.objects.filter(plan=people.plan).count()
    assert n == 3 * periods
    assert mm.ResultSet.objects.filter(plan=people.plan).count() == 3 * periods


def test_the_public_reads_each_figure_as_the_oiv_certified_it(
        client: Client, people: People) -> None:
    from cruscotto.web.measurements.services import do_certify
    from cruscotto.web.public.selectors import open_data

    followers(people, people.baseline, "41200")
    followers(people, people.year_end, "47380")
    do_submit(user=people.officer_a, period=people.year_end, indicator="6.4.1",
              gap_explanation="meno follower del previsto")
    do_validate(user=people.planning, period=people.year_end, indicator="6.4.1")
    do_certify(user=people.oiv, period=people.year_end, indicator="6.4.1")
    rec = mm.CertifiedRecord.objects.get(indicator_code="6.4.1", superseded_at=None)
    assert rec.result["achievement"] == "75"
    # make the record tell itself apart from a recomputation (around its guard, for the
    # test only): what the public reads is the record
    mm.CertifiedRecord.objects.filter(pk=rec.pk).update(
        result=dict(rec.result, achievement="74.5"))
    page = client.get(f"/trasparenza/{KEY}/2021/").content.decode()
    row = re.search(r'data-indicator="6.4.1">.*?data-figure="achievement">([^<]*)', page, re.S)
    assert row is not None and row.group(1).strip() == "74,5%"
    api = client.get(f"/api/plans/{KEY}/periods/2021-12-31/indicators/6.4.1/evaluation")
    assert api.status_code == 200 and api.json()["achievement"] == "74.5"
    rows = [r for r in open_data(plan_key=KEY).tables["risultati_indicatori"]
            if r["indicatore"] == "6.4.1"]
    assert [r["raggiungimento_percentuale"] for r in rows] == [Decimal("74.5")]
    # signed-in readers read the stored results (the same inputs: 75)
    client.force_login(people.viewer)
    assert achievement_cell(client.get(PAGE).content.decode()).startswith("75")


def test_what_a_reader_may_see_is_never_stale(client: Client, people: People) -> None:
    followers(people, people.baseline, "41200")
    followers(people, people.year_end, "47380")
    do_submit(user=people.officer_a, period=people.year_end, indicator="6.4.1",
              gap_explanation="meno follower del previsto")
    do_validate(user=people.planning, period=people.year_end, indicator="6.4.1")
    client.force_login(people.viewer)
    assert achievement_cell(client.get(PAGE).content.decode()).startswith("75")
    # the state goes back to draft around the services: the stored set for readers
    # would still show the figure; it is not served, it is computed again
    mm.Measurement.objects.filter(period=people.year_end, indicator__code="6.4.1").update(
        state="draft")
    page = client.get(PAGE).content.decode()
    assert not achievement_cell(page).startswith("75")
    assert "data-stale-results" not in page
