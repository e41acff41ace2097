"""The rolling plan: 2021-2023 rolled into 2022-2024, one series across both plans."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from cruscotto.cli import main
from cruscotto.web.measurements import authoring, services
from cruscotto.web.measurements import models as mm
from cruscotto.web.measurements.demo import load_demo
from cruscotto.web.measurements.selectors import indicator_figures, inputs_for
from cruscotto.web.plans import models as pm
from cruscotto.web.plans.selectors import read_plan

from ..measurements.conftest import People


def _roll_from_the_page(people: People) -> pm.Plan:
    client = Client()
    client.force_login(people.planning)
    r = client.post(reverse("plans:manage", args=[people.plan.key]),
                    {"action": "roll", "years": "2022-2024"})
    assert r.status_code == 200, r.content.decode()[:3000]
    new = pm.Plan.objects.get(first_year=2022, last_year=2024)
    assert reverse("plans:manage", args=[new.key]) in r.content.decode()
    return new


def test_rolling_carries_the_plan_over_and_keeps_the_old_one(people: People) -> None:
    before = read_plan(people.plan.pk)
    new = _roll_from_the_page(people)

    rolled = read_plan(new.pk)
    assert rolled.years == [2022, 2023, 2024]
    assert "2022-2024" in rolled.title
    assert [i.code for i in rolled.indicators] == [i.code for i in before.indicators]
    assert [v.name for v in rolled.variables] == [v.name for v in before.variables]
    assert [c.name for c in rolled.centres] == [c.name for c in before.centres]
    # the shared years' targets carried over, the new year left to fill
    assert rolled.indicator("6.4.1").targets == {2022: "+20%", 2023: "+20%"}
    assert read_plan(people.plan.pk) == before  # the old plan is intact
    assert new.previous_id == people.plan.pk and new.status == "draft"
    old_ids = dict(pm.Indicator.objects.filter(plan=people.plan).values_list("code", "identity"))
    new_ids = dict(pm.Indicator.objects.filter(plan=new).values_list("code", "identity"))
    assert old_ids == new_ids
    assert mm.Period.objects.filter(plan=new, kind="baseline", year=2021).exists()
    assert mm.AuditEvent.objects.filter(plan=new, action="plan_roll").exists()


def test_targets_are_copied_into_the_new_years_on_request(people: People) -> None:
    result = authoring.roll_plan(plan=people.plan, years=[2022, 2023, 2024],
                                 copy_targets=True)
    assert read_plan(result.plan.pk).indicator("6.4.1").targets == {
        2022: "+20%", 2023: "+20%", 2024: "+20%"}


def test_a_plan_of_the_same_years_is_not_rolled_twice(people: People) -> None:
    authoring.roll_plan(plan=people.plan, years=[2022, 2023, 2024])
    with pytest.raises(authoring.AuthoringError, match="esiste già"):
        authoring.roll_plan(plan=people.plan, years=[2022, 2023, 2024])


def test_the_new_plan_reads_the_series_across_plans(people: People) -> None:
    load_demo(plan=people.plan)
    new = _roll_from_the_page(people)
    year_end_2022 = mm.Period.objects.get(plan=new, year=2022, kind="year_end")

    # the growth target of 2022 compares with 2021, the last year of the old plan
    assert inputs_for(new.pk, year_end_2022)[("follower_social", 2021)] == Decimal(47380)
    admin = get_user_model().objects.get(username="demo-admin")
    services.do_set_values(user=admin, period=year_end_2022, items=[
        services.ValueInput("6.4.1", "follower_social", Decimal(60000))])
    figures = {f.period.year: f for f in indicator_figures(
        plan_id=new.pk, code="6.4.1", actor=_actor(admin, new))
        if not f.period.is_interim}
    result = figures[2022].result
    assert result is not None and result.status.value == "green"  # +26.6% against +20%

    # the new plan's indicator page shows 2021, measured under the old plan
    client = Client()
    client.force_login(people.planning)
    page = client.get(reverse("plans:indicator", args=[new.key, "6.4.1"])).content.decode()
    assert 'data-period="2021-12-31"' in page and "data-earlier-plan" in page
    assert "piano 2021-2023" in page
    assert 'data-period="2022-12-31"' in page


def _actor(user: object, plan: pm.Plan) -> object:
    from cruscotto.web.measurements.permissions import actor_for

    return actor_for(user, plan.pk)


def test_roll_and_versions_from_the_command_line(people: People, capsys: pytest.CaptureFixture[str]
                                                 ) -> None:
    assert main(["plan", "roll", people.plan.key, "--years", "2022-2024", "--copy-targets"]) == 0
    out = capsys.readouterr().out
    assert "36 indicators carried over" in out and f"{people.plan.key} is unchanged" in out
    new = pm.Plan.objects.get(first_year=2022)
    assert main(["plan", "adopt", new.key, "--act", "Delibera 7/2022", "--date",
                 "31/01/2022"]) == 0
    assert main(["plan", "versions", new.key]) == 0
    assert "version 1: adopted" in capsys.readouterr().out
    assert main(["plan", "roll", people.plan.key, "--years", "2020"]) == 2
    assert "2022-2024" in capsys.readouterr().err


def test_the_series_across_plans_costs_a_fixed_number_of_queries(people: People,
                                                                 settings: Any) -> None:
    """The earlier plan's periods cost the reads of one more plan (the indicator there by
    its identity, its revision, its data token (its periods, states and values are kept
    by the process while the token is the same), its stored results; the reader's roles
    in both plans are read at once): four queries, whatever the size of either plan."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.PAGE_CACHE_BYTES = 0  # the view's own reads, not a page served kept

    load_demo(plan=people.plan)
    new = authoring.roll_plan(plan=people.plan, years=[2022, 2023, 2024]).plan
    client = Client()
    client.force_login(people.planning)
    counts = []
    for key in (people.plan.key, new.key):
        url = reverse("plans:indicator", args=[key, "6.4.1"])
        client.get(url)  # what a process keeps (caches) is filled
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        counts.append(len(ctx.captured_queries))
    # the earlier plan: its indicator by identity, revision, periods, states, values,
    # stored results
    assert counts[1] - counts[0] == 4


def test_the_planning_office_of_another_organisation_stores_no_plan_of_this_one(
        people: People) -> None:
    """Roles belong to an organisation: the planning office of another organisation may
    import plans of its own, never a plan (new years or not) of this organisation."""
    from dataclasses import replace

    from django.core.exceptions import PermissionDenied

    from cruscotto.web.accounts.models import OrgRole

    other = pm.Organisation.objects.create(name="Unione dei comuni di Altrove")
    outsider = get_user_model().objects.create_user(username="altrove")
    OrgRole.objects.create(user=outsider, organisation=other, role="planning")
    plan = read_plan(people.plan.pk)
    plans_before = pm.Plan.objects.count()

    with pytest.raises(PermissionDenied):
        authoring.store_plan(plan=replace(plan, years=[2024, 2025, 2026]), user=outsider)
    with pytest.raises(PermissionDenied):
        authoring.roll_plan(plan=people.plan, years=[2022, 2023, 2024], user=outsider)

    assert pm.Plan.objects.count() == plans_before
    assert authoring.may_author(outsider, organisation_id=other.pk)
    assert not authoring.may_author(outsider, organisation_id=people.plan.organisation_id)
