"""Public values in the browser: the planning office edits them; the overview groups the
strategic objectives under them; the dashboard shows their achievement. A plan without
them looks as before."""

from __future__ import annotations

import html
from typing import Any

import pytest
from django.test import Client

from cruscotto.web.display import percent
from cruscotto.web.measurements.authoring import in_force
from cruscotto.web.measurements.demo import load_demo
from cruscotto.web.measurements.selectors import evaluate_period

from ..measurements.conftest import People


@pytest.fixture(autouse=True)
def fast_hasher(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def office(people: People) -> Client:
    client = Client()
    client.force_login(people.planning)
    return client


def new_value(client: Client, people: People, **form: Any) -> Any:
    return client.post(f"/plans/{people.plan.key}/edit/public-value/new/", form)


def test_the_planning_office_creates_a_public_value_and_the_overview_groups_under_it(
    people: People,
) -> None:
    client = office(people)
    r = new_value(
        client,
        people,
        code="VP1",
        title="Imprese competitive",
        description="Più imprese innovative",
        strategic=["1", "3"],
        bes=["BES4"],
        sdgs=["SDG8", "SDG9"],
    )
    assert r.status_code == 302 and r.url.endswith("/edit/public-value/VP1/?saved=1")
    pv = in_force(people.plan.pk).public_values[0]
    assert (pv.code, pv.strategic_codes, pv.bes, pv.sdgs) == (
        "VP1",
        ["1", "3"],
        ["BES4"],
        ["SDG8", "SDG9"],
    )
    page = client.get(f"/plans/{people.plan.key}/").content.decode()
    assert 'id="public-values"' in page
    assert "VP1 · Imprese competitive" in page
    assert "BES4 Benessere economico; SDG8 Lavoro dignitoso e crescita economica" in page
    assert f'href="/plans/{people.plan.key}/strategic/3/"' in page
    # each grouped objective names its public value (3 is under two missions: twice)
    assert page.count('class="public-value-of"') == 3
    english = client.get(
        f"/plans/{people.plan.key}/", headers={"Accept-Language": "en"}
    ).content.decode()
    assert "Public value" in english and "SDG8 Decent work and economic growth" in english
    assert "Valore pubblico" not in english


def test_a_plan_without_public_values_has_no_such_section(people: People) -> None:
    client = office(people)
    page = client.get(f"/plans/{people.plan.key}/").content.decode()
    assert 'id="public-values"' not in page and "public-value-of" not in page
    load_demo(plan=people.plan)
    dash = client.get(f"/plans/{people.plan.key}/dashboard/?year=2021").content.decode()
    assert 'id="public-values"' not in dash


def test_the_editor_shows_the_lint_on_an_objective_under_two_public_values(people: People) -> None:
    client = office(people)
    assert (
        new_value(client, people, code="VP1", title="Imprese", strategic=["3"]).status_code == 302
    )
    page = client.get(f"/plans/{people.plan.key}/edit/public-value/new/").content.decode()
    assert "già nel valore pubblico VP1" in page
    assert (
        new_value(client, people, code="VP2", title="Territorio", strategic=["3", "5"]).status_code
        == 302
    )
    page = html.unescape(
        client.get(f"/plans/{people.plan.key}/edit/public-value/VP2/").content.decode()
    )
    assert (
        "l'obiettivo strategico 3 è sotto i valori pubblici VP1 e VP2: un obiettivo "
        "appartiene al più a un valore pubblico"
    ) in page
    manage = html.unescape(client.get(f"/plans/{people.plan.key}/manage/").content.decode())
    assert "Gli errori impediscono l'adozione del piano." in manage
    assert "sotto i valori pubblici VP1 e VP2" in manage


def test_a_form_missing_its_title_or_repeating_a_code_is_refused(people: People) -> None:
    client = office(people)
    r = new_value(client, people, code="VP1", title="", strategic=["3"])
    assert r.status_code == 400
    assert "Campo obbligatorio." in r.content.decode()
    assert in_force(people.plan.pk).public_values == []
    assert new_value(client, people, code="VP1", title="Uno").status_code == 302
    r = new_value(client, people, code="VP1", title="Due")
    assert r.status_code == 400
    assert "valore pubblico «VP1»: codice ripetuto" in r.content.decode()
    assert [pv.title for pv in in_force(people.plan.pk).public_values] == ["Uno"]


def test_a_public_value_is_removed(people: People) -> None:
    client = office(people)
    new_value(client, people, code="VP1", title="Uno", strategic=["3"])
    r = client.post(
        f"/plans/{people.plan.key}/edit/public-value/VP1/", {"action": "remove", "title": "Uno"}
    )
    assert r.status_code == 302
    assert in_force(people.plan.pk).public_values == []
    assert client.get(f"/plans/{people.plan.key}/edit/public-value/VP1/").status_code == 404


def test_the_dashboard_shows_each_public_value_from_the_stored_results(people: People) -> None:
    load_demo(plan=people.plan)
    client = office(people)
    before = evaluate_period(
        plan_id=people.plan.pk, period=people.year_end, include_drafts=True
    ).evaluation
    new_value(client, people, code="VP1", title="Imprese competitive", strategic=["1", "3"])
    new_value(client, people, code="VP2", title="Un ente efficiente", strategic=["6"])
    page = client.get(f"/plans/{people.plan.key}/dashboard/?year=2021").content.decode()
    assert 'id="public-values"' in page and 'id="table-public-values"' in page
    after = evaluate_period(
        plan_id=people.plan.pk, period=people.year_end, include_drafts=True
    ).evaluation
    table = page[page.index('id="table-public-values"') :]
    table = table[: table.index("</table>")]
    assert "VP1 · Imprese competitive" in table and "VP2 · Un ente efficiente" in table
    vp2 = after.public_values["VP2"]
    assert vp2.achievement is not None and percent(vp2.achievement) in table
    # VP2 is objective 6 alone: the same figure; and every other level is unchanged
    assert vp2.achievement == after.strategic["6"].achievement
    assert before.public_values == {}
    assert after.organisation == before.organisation
    assert after.strategic == before.strategic and after.missions == before.missions
