"""The plan editor: objectives, indicators, variables, targets and centres in the browser."""

from __future__ import annotations

import datetime

from django.test import Client
from django.urls import reverse

from cruscotto.web.measurements import authoring
from cruscotto.web.measurements import models as mm
from cruscotto.web.plans import models as pm
from cruscotto.web.plans.selectors import read_plan

from ..measurements.conftest import People


def _client(user: object) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _indicator_form(people: People, code: str, **changes: str) -> dict[str, object]:
    """The editor's form for ``code`` as it comes, with ``changes``."""
    ind = read_plan(people.plan.pk).indicator(code)
    form: dict[str, object] = {
        "name": ind.name, "description": ind.description, "kind": ind.kind, "unit": ind.unit,
        "strategic": ind.strategic_code, "operational": ind.operational_code,
        "formula_text": ind.formula_text, "formula": ind.formula,
        "data_sources": "\n".join(ind.data_sources),
        "measures": "\n".join(f"{k}={v}" for k, v in ind.measures.items()),
        "polarity": ind.polarity.value if ind.polarity else "",
        "weight": str(ind.weight), "centres": list(ind.centres),
        **{f"target-{y}": t for y, t in ind.targets.items()},
    }
    if ind.polarity_inferred:
        form["polarity_inferred"] = "1"
    form.update(changes)
    return form


def test_the_planning_office_renames_an_indicator_and_the_change_is_audited(
        people: People) -> None:
    client = _client(people.planning)
    url = reverse("plans:edit", args=[people.plan.key, "indicator", "6.4.1"])
    assert client.get(url).status_code == 200

    r = client.post(url, _indicator_form(people, "6.4.1", name="Follower sui social"))

    assert r.status_code == 302 and r["Location"].endswith("?saved=1")
    assert read_plan(people.plan.pk).indicator("6.4.1").name == "Follower sui social"
    event = mm.AuditEvent.objects.get(plan=people.plan, action="plan_edit")
    assert (event.indicator_code, event.field, event.new) == (
        "6.4.1", "indicator 6.4.1 name", "Follower sui social")
    assert "Salvato." in client.get(r["Location"]).content.decode()


def test_a_formula_that_cannot_be_read_is_refused_naming_the_field(people: People) -> None:
    client = _client(people.planning)
    url = reverse("plans:edit", args=[people.plan.key, "indicator", "6.4.1"])
    before = read_plan(people.plan.pk)

    r = client.post(url, _indicator_form(people, "6.4.1", formula="follower_social +",
                                         name="Nome nuovo"))

    assert r.status_code == 400
    page = r.content.decode()
    assert "Nulla è stato salvato." in page and "Formula" in page and "column" in page
    assert 'value="Nome nuovo"' in page  # what was typed stays in the form
    assert read_plan(people.plan.pk) == before


def test_an_adopted_plan_s_target_changes_only_as_a_revision_with_a_reason(
        people: People) -> None:
    authoring.adopt(plan=people.plan, act="Delibera 45/2021", on=datetime.date(2021, 1, 31))
    client = _client(people.planning)
    url = reverse("plans:edit", args=[people.plan.key, "indicator", "6.4.1"])

    r = client.post(url, _indicator_form(people, "6.4.1", **{"target-2022": "+25%"}))
    assert r.status_code == 400
    assert "richiede una motivazione" in r.content.decode()

    r = client.post(url, _indicator_form(people, "6.4.1", **{"target-2022": "+25%"},
                                         reason="nuovi canali social"))
    assert r.status_code == 302
    assert mm.TargetRevision.objects.get(indicator__plan=people.plan, year=2022).text == "+25%"
    version = pm.PlanVersion.objects.get(plan=people.plan, number=2)
    assert version.action == "edit" and version.changes[0]["field"] == "targets.2022"


def test_new_objectives_indicators_variables_and_centres(people: People) -> None:
    client = _client(people.planning)
    key = people.plan.key

    def post(kind: str, data: dict[str, object]) -> None:
        r = client.post(reverse("plans:edit", args=[key, kind, "new"]), data)
        assert r.status_code == 302, r.content.decode()[:3000]

    post("centre", {"name": "Ufficio nuovo"})
    post("variable", {"name": "pratiche_chiuse", "label": "Pratiche chiuse", "kind": "number",
                      "source": "Protocollo"})
    post("strategic", {"code": "9", "title": "Nuovo obiettivo", "missions": ["011"]})
    post("operational", {"code": "9.1", "title": "Nuovo operativo", "strategic": "9"})
    post("indicator", {"code": "9.1.1", "name": "Pratiche chiuse", "strategic": "9",
                       "operational": "9.1", "formula": "pratiche_chiuse", "polarity": "higher",
                       "weight": "1", "centres": ["Ufficio nuovo"], "target-2021": ">=100"})

    plan = read_plan(people.plan.pk)
    ind = plan.indicator("9.1.1")
    assert (ind.operational_code, ind.centres, ind.targets) == (
        "9.1", ["Ufficio nuovo"], {2021: ">=100"})
    assert plan.variable("pratiche_chiuse").source == "Protocollo"
    assert plan.strategic("9").mission_codes == ["011"]


def test_an_indicator_under_an_unknown_objective_is_refused(people: People) -> None:
    client = _client(people.planning)
    r = client.post(reverse("plans:edit", args=[people.plan.key, "indicator", "new"]), {
        "code": "8.1.1", "name": "Orfano", "strategic": "8", "weight": "1"})
    assert r.status_code == 400
    assert "indicatore 8.1.1: obiettivo strategico «8» non presente nel piano" in (
        r.content.decode())
    assert not pm.Indicator.objects.filter(code="8.1.1").exists()


def test_the_formula_is_checked_as_it_is_typed_and_previewed(people: People) -> None:
    from cruscotto.web.measurements.demo import load_demo

    load_demo(plan=people.plan)
    client = _client(people.planning)
    url = reverse("plans:formula_check", args=[people.plan.key])
    htmx = {"hx-request": "true"}

    r = client.post(url, {"formula": "follower_social / 2"}, headers=htmx)
    page = r.content.decode()
    assert r.status_code == 200 and page.lstrip().startswith('<div id="formula-check"')
    assert "Formula corretta" in page
    assert "Con i valori di fine 2021" in page and "23.690" in page

    r = client.post(url, {"formula": "follower_social +"}, headers=htmx)
    assert "La formula non si legge" in r.content.decode()

    r = client.post(url, {"formula": "mai_dichiarata * 2"}, headers=htmx)
    assert "variabile non dichiarata nel piano" in r.content.decode()

    # without JavaScript: a page of its own
    r = client.post(url, {"formula": "follower_social"})
    assert "<html" in r.content.decode()


def test_the_editor_is_for_the_planning_office(people: People) -> None:
    url = reverse("plans:edit", args=[people.plan.key, "indicator", "6.4.1"])
    for user in (people.officer_a, people.oiv, people.viewer):
        assert _client(user).get(url).status_code == 403
        assert _client(user).post(url, {"name": "x"}).status_code == 403
    assert _client(people.planning).get(
        reverse("plans:edit", args=[people.plan.key, "indicator", "99.9.9"])).status_code == 404


def test_the_editor_shows_what_the_plan_check_finds_on_the_entity(people: People) -> None:
    client = _client(people.planning)
    page = client.get(reverse("plans:edit", args=[people.plan.key, "indicator", "6.5.3"])
                      ).content.decode()
    assert 'id="entity-lint"' in page and 'data-severity="info"' in page
    manage = client.get(reverse("plans:manage", args=[people.plan.key])).content.decode()
    assert "0 errori" in manage


def test_an_error_found_by_the_plan_check_blocks_the_adoption(people: People) -> None:
    client = _client(people.planning)
    url = reverse("plans:edit", args=[people.plan.key, "indicator", "6.4.1"])
    assert client.post(url, _indicator_form(people, "6.4.1", formula="mai_dichiarata * 2")
                       ).status_code == 302
    manage = reverse("plans:manage", args=[people.plan.key])
    r = client.post(manage, {"action": "adopt", "act": "Delibera 45/2021",
                             "adopted_on": "31/01/2021"})
    assert r.status_code == 400
    assert "Il controllo del piano trova 1 errore" in r.content.decode()
    assert pm.Plan.objects.get(pk=people.plan.pk).status == "draft"

    assert client.post(url, _indicator_form(people, "6.4.1", formula="follower_social")
                       ).status_code == 302
    r = client.post(manage, {"action": "adopt", "act": "Delibera 45/2021",
                             "adopted_on": "31/01/2021"})
    assert r.status_code == 200
    assert "Piano adottato: Delibera 45/2021 del 31/01/2021" in r.content.decode()
    db = pm.Plan.objects.get(pk=people.plan.pk)
    assert (db.status, db.adoption_act, db.adopted_on) == (
        "adopted", "Delibera 45/2021", datetime.date(2021, 1, 31))
    assert pm.PlanVersion.objects.get(plan=db).number == 1


def test_only_an_adopted_plan_is_published_from_its_page(people: People) -> None:
    client = _client(people.planning)
    manage = reverse("plans:manage", args=[people.plan.key])
    assert client.post(manage, {"action": "unpublish"}).status_code == 200
    assert not pm.Plan.objects.get(pk=people.plan.pk).published
    r = client.post(manage, {"action": "publish"})
    assert r.status_code == 400 and "adotta prima il piano" in r.content.decode()
    authoring.adopt(plan=people.plan, act="Delibera 45/2021", on=datetime.date(2021, 1, 31))
    assert client.post(manage, {"action": "publish"}).status_code == 200
    assert pm.Plan.objects.get(pk=people.plan.pk).published
    actions = mm.AuditEvent.objects.filter(
        plan=people.plan, action__in=("plan_withdrawn", "plan_published"))
    assert list(actions.values_list("action", flat=True)) == [
        "plan_withdrawn", "plan_published"]
