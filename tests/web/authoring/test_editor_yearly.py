"""The plan editor: an indicator's per-year definitions and declared baselines."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.urls import reverse

from cruscotto.web.measurements import authoring
from cruscotto.web.plans import models as pm
from cruscotto.web.plans.selectors import read_plan

from .. import pages
from ..measurements.conftest import People
from .test_editor import _client, _indicator_form

CODE = "6.4.1"


def _url(people: People) -> str:
    return reverse("plans:edit", args=[people.plan.key, "indicator", CODE])


def _definition(n: int = 0, **fields: str) -> dict[str, str]:
    row = {"year": "", "formula": "", "formula_text": "", "unit": "", "polarity": "",
           "measures": "", **fields}
    return {f"def-{n}-{k}": v for k, v in row.items()}


def _baseline(n: int = 0, **fields: str) -> dict[str, str]:
    row = {"value": "", "date": "", "label": "", **fields}
    return {f"bl-{n}-{k}": v for k, v in row.items()}


def test_a_definition_from_2022_is_added_and_the_indicator_page_shows_it(
        people: People) -> None:
    client = _client(people.planning)
    page = client.get(_url(people)).content.decode()
    assert "Definizioni per anno" in page and 'name="def-0-formula"' in page

    r = client.post(_url(people), _indicator_form(people, CODE, **_definition(
        year="2022", formula="follower_social / 2", formula_text="Follower per canale",
        unit="follower per canale")))

    assert r.status_code == 302, r.content.decode()[:2000]
    ind = read_plan(people.plan.pk).indicator(CODE)
    assert ind.in_force(2021).formula == ind.formula
    assert ind.in_force(2023).formula == "follower_social / 2"
    shown = pages.text(client.get(f"/plans/{people.plan.key}/indicators/{CODE}/"))
    assert "dal 2022: nuova formula Follower per canale" in shown
    assert "follower per canale" in shown
    # the stored row comes back in the form, with an empty one to add another
    page = client.get(_url(people)).content.decode()
    assert 'value="follower_social / 2"' in page and 'name="def-1-formula"' in page

    # changed, then removed
    form = _indicator_form(people, CODE, **_definition(0, year="2023",
                                                       formula="follower_social / 3"))
    assert client.post(_url(people), form).status_code == 302
    assert [(d.from_year, d.formula) for d in read_plan(people.plan.pk).indicator(
        CODE).definitions] == [(2023, "follower_social / 3")]
    form = _indicator_form(people, CODE, **_definition(0, year="2023",
                                                       formula="follower_social / 3"))
    form["def-0-remove"] = "1"
    assert client.post(_url(people), form).status_code == 302
    assert read_plan(people.plan.pk).indicator(CODE).definitions == []


def test_a_bad_formula_a_year_outside_the_plan_and_a_repeated_year_are_refused_in_place(
        people: People) -> None:
    client = _client(people.planning)
    before = read_plan(people.plan.pk)
    for rows, said in (
        (_definition(year="2022", formula="follower_social +"),
         "Definizione per anno, riga 1: Formula"),
        (_definition(year="2030", formula="follower_social"), "«2030» non è un anno del piano"),
        (_definition(formula="follower_social"), "Definizione per anno, riga 1: Dal"),
        (_definition(year="2022", formula="follower_social", formula_text="x" * 32_768),
         "Testo troppo lungo: al massimo 32767 caratteri."),
        ({**_definition(0, year="2022", formula="follower_social"),
          **_definition(1, year="2022", formula="follower_social * 2")},
         "Due definizioni dal 2022: una sola per anno"),
    ):
        for headers in ({}, {"hx-request": "true"}):
            r = client.post(_url(people), _indicator_form(people, CODE, **rows),
                            headers=headers)
            page = r.content.decode()
            assert r.status_code == 400 and "Nulla è stato salvato." in page, said
            assert said in page
            # what was typed stays in the form
            assert f'value="{rows["def-0-formula"]}"' in page and (
                'value="2022" selected' in page) == (rows["def-0-year"] == "2022")
    assert read_plan(people.plan.pk) == before


def test_a_definition_s_formula_is_checked_as_it_is_typed(people: People) -> None:
    client = _client(people.planning)
    url = reverse("plans:formula_check", args=[people.plan.key])
    r = client.post(url, {"field": "def-1-formula", "def-1-formula": "follower_social +"},
                    headers={"hx-request": "true"})
    page = r.content.decode()
    assert page.lstrip().startswith('<div id="def-1-formula-check"')
    assert "La formula non si legge" in page
    r = client.post(url, {"field": "def-1-formula", "def-1-formula": "follower_social * 2"},
                    headers={"hx-request": "true"})
    assert "Formula corretta" in r.content.decode()
    # without JavaScript: the row's button posts the whole form, naming its field
    page = client.get(_url(people)).content.decode()
    assert f"{url}?field=def-0-formula" in page
    r = client.post(f"{url}?field=def-0-formula", {"formula": "follower_social",
                                                   "def-0-formula": "follower_social +"})
    assert "<html" in r.content.decode() and "La formula non si legge" in r.content.decode()


def test_a_baseline_added_is_what_the_target_compares_with(people: People) -> None:
    client = _client(people.planning)
    target = {"target-2023": "Incremento del 10% rispetto alla baseline"}
    r = client.post(_url(people), _indicator_form(people, CODE, **target))
    assert r.status_code == 302
    missing = "«alla baseline» nomina una baseline che il piano non dichiara"
    assert missing in pages.text(client.get(_url(people)))  # nothing to compare with yet

    r = client.post(_url(people), _indicator_form(people, CODE, **target, **_baseline(
        value="20.000", date="2021-11-30", label="monitoraggio di novembre 2021")))
    assert r.status_code == 302, r.content.decode()[:3000]
    ind = read_plan(people.plan.pk).indicator(CODE)
    assert [(b.value, b.date, b.label) for b in ind.baselines] == [
        (Decimal("20000"), datetime.date(2021, 11, 30), "monitoraggio di novembre 2021")]
    page = client.get(_url(people))
    assert missing not in pages.text(page) and 'data-severity="error"' not in page.content.decode()
    shown = pages.text(client.get(f"/plans/{people.plan.key}/indicators/{CODE}/"))
    assert "Baseline 20.000 al 30/11/2021 (monitoraggio di novembre 2021)" in shown


def test_a_baseline_out_of_bounds_or_of_no_date_is_refused_in_place(people: People) -> None:
    client = _client(people.planning)
    for row, said in (
        (_baseline(value="1" * 16, date="2021-11-30"), "fuori dall'intervallo ammesso"),
        (_baseline(value="12,5", date="31/02/2021"), "«31/02/2021» non è una data"),
        (_baseline(value="4.200.00", date="2021-11-30"), "non è un numero valido"),
        (_baseline(value="--5", date="2021-11-30"), "«--5» non è un numero"),
        (_baseline(date="2021-11-30", label="senza valore"),
         "Baseline, riga 1: Valore Campo obbligatorio."),
    ):
        r = client.post(_url(people), _indicator_form(people, CODE, **row))
        page = pages.text(r)
        assert r.status_code == 400 and said in page and "Baseline, riga 1" in page


def test_after_adoption_a_new_definition_is_a_plan_version(people: People) -> None:
    authoring.adopt(plan=people.plan, act="Delibera 45/2021", on=datetime.date(2021, 1, 31))
    client = _client(people.planning)
    r = client.post(_url(people), _indicator_form(people, CODE, **_definition(
        year="2022", formula="follower_social / 2")))
    assert r.status_code == 302, r.content.decode()[:2000]
    version = pm.PlanVersion.objects.get(plan=people.plan, number=2)
    assert version.action == "edit"
    assert [(c["kind"], c["field"], c["new"]) for c in version.changes] == [
        ("added", "definitions.2022", "follower_social / 2")]

    r = client.post(_url(people), _indicator_form(people, CODE, **_definition(
        year="2022", formula="follower_social / 3"), **_baseline(
        value="992.721.372", date="30/11/2021", label="monitoraggio")))
    assert r.status_code == 302, r.content.decode()[:2000]

    # the versions page says what changed, field by field, in words
    r = client.get(reverse("plans:versions", args=[people.plan.key]) + "?a=2&b=3")
    shown = pages.text(r)
    assert ("indicatore 6.4.1 definizione dal 2022, formula follower_social / 2 "
            "follower_social / 3") in shown
    assert "aggiunto indicatore 6.4.1 baseline del 30/11/2021 — 992.721.372" in shown
    assert "baseline del 30/11/2021, descrizione — monitoraggio" in shown
    assert "{" not in shown  # no raw data
    en = pages.text(client.get(reverse("plans:versions", args=[people.plan.key])
                               + "?a=2&b=3", headers={"accept-language": "en"}))
    assert "definition from 2022, formula" in en and "baseline of 30/11/2021" in en
