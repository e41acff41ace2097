"""The structured reading of a target, set in the browser beside its text; stored with
the plan (interchange → database → interchange unchanged); the pages say which reading
is in force and who set it."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.test import Client
from django.urls import reverse

from cruscotto.core.scoring import Outcome, score_indicator
from cruscotto.core.target_structure import TargetReading
from cruscotto.data import default_plan
from cruscotto.io.interchange import dumps, loads
from cruscotto.web.measurements import authoring
from cruscotto.web.measurements import models as mm
from cruscotto.web.measurements.selectors import compiled_plan
from cruscotto.web.measurements.services import do_revise_target
from cruscotto.web.plans import models as pm
from cruscotto.web.plans.selectors import read_plan

from ..measurements.conftest import People

#: from the corpus (pt2024, open data, 2024): refused as partly read at "55"
TWO_CATALOGUES = ("Documentazione di 22.000 dataset e servizi nel catalogo geodati.gov.it "
                  "e di 55.000 dataset nel catalogo dati.gov.it")
FORM = {"operator": "compound",
        "part-1-operator": "at_least", "part-1-value": "80", "part-1-unit": "percent",
        "part-2-operator": "at_least", "part-2-value": "55000", "part-2-unit": "number",
        "part-2-measure": "budget_innovazione", "part-2-label": "dataset su dati.gov.it"}


def _client(user: object) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _partly_read(people: People) -> None:
    plan = read_plan(people.plan.pk)
    plan.indicator("3.1.1").targets[2021] = TWO_CATALOGUES
    authoring.store_plan(plan=plan, user=people.planning, key=people.plan.key)


def test_a_reading_set_in_the_editor_gets_a_partly_read_target_scored(
        people: People) -> None:
    _partly_read(people)
    client = _client(people.planning)
    edit = client.get(reverse("plans:edit", args=[people.plan.key, "indicator", "3.1.1"]))
    page = edit.content.decode()
    assert 'data-reading="partly" id="reading-2021"' in page
    assert "letto solo in parte: non valutato" in page
    spec = compiled_plan(people.plan.pk)[1].spec("3.1.1")
    assert 2021 in spec.partly_read

    url = reverse("plans:reading", args=[people.plan.key, "3.1.1", 2021])
    assert client.get(url).status_code == 200
    # the preview shows the reading the engine will score, and saves nothing
    r = client.post(url, {**FORM, "action": "preview"})
    assert r.status_code == 200
    page = r.content.decode()
    assert 'id="preview"' in page
    assert "almeno 80% e budget_innovazione almeno 55.000 dataset su dati.gov.it" in page
    assert read_plan(people.plan.pk).indicator("3.1.1").readings == {}

    r = client.post(url, {**FORM, "action": "save"})
    assert r.status_code == 302 and r["Location"].endswith("?saved=1")
    stored = read_plan(people.plan.pk).indicator("3.1.1")
    assert stored.targets[2021] == TWO_CATALOGUES  # the text stays as written
    assert stored.readings[2021].parts[1] == TargetReading(
        operator="at_least", value=Decimal(55000), measure="budget_innovazione",
        label="dataset su dati.gov.it")

    spec = compiled_plan(people.plan.pk)[1].spec("3.1.1")
    assert 2021 not in spec.target_errors and 2021 in spec.reading_years
    inputs = {("contabilizzato_innovazione", 2021): Decimal(90),
              ("budget_innovazione", 2021): Decimal(100)}
    result = score_indicator(spec, inputs, 2021)
    assert result.outcome is Outcome.SCORED and result.met is False  # 100 < 55.000
    # who set it, on the editor, the reading page, the lint and the indicator page
    page = client.get(r["Location"]).content.decode()
    assert 'data-state="set"' in page and "lettura impostata da planning il " in page
    edit = client.get(reverse("plans:edit", args=[people.plan.key, "indicator", "3.1.1"]))
    assert "lettura impostata da planning il " in edit.content.decode()
    assert "target-partly-read" not in {f.kind for f in authoring.lint(
        authoring.in_force(people.plan.pk), people.plan.pk)}
    (note,) = [f for f in authoring.lint(authoring.in_force(people.plan.pk), people.plan.pk)
               if f.kind == "target-reading-set"]
    assert "lettura impostata da planning il " in str(note.text)
    shown = client.get(reverse("plans:indicator", args=[people.plan.key, "3.1.1"]))
    assert "lettura impostata da planning il " in shown.content.decode()
    other = shown.content.decode().split('data-reading="read"')
    assert len(other) == 3  # 2022 and 2023 are read from their text
    assert "letto dal testo" in other[1]
    # the public sees when, not who
    public = Client().get(reverse("plans:indicator", args=[people.plan.key, "3.1.1"]))
    assert "lettura impostata il " in public.content.decode()
    assert "planning" not in public.content.decode().split("Target per anno")[1].split(
        "Misurazione")[0]

    # the change is audited field by field (where "who set it" is read from)
    assert mm.AuditEvent.objects.filter(
        plan=people.plan, field__startswith="indicator 3.1.1 readings.2021").exists()

    r = client.post(url, {"action": "remove"})
    assert r.status_code == 302
    assert read_plan(people.plan.pk).indicator("3.1.1").readings == {}
    assert 2021 in compiled_plan(people.plan.pk)[1].spec("3.1.1").partly_read


def test_a_reading_that_cannot_be_used_is_refused_naming_why(people: People) -> None:
    _partly_read(people)
    client = _client(people.planning)
    url = reverse("plans:reading", args=[people.plan.key, "3.1.1", 2021])
    before = read_plan(people.plan.pk)
    r = client.post(url, {**FORM, "part-2-measure": "", "part-2-value": "1000000000000",
                          "part-1-measure": "inesistente", "action": "save"})
    assert r.status_code == 400
    page = r.content.decode()
    assert "Nulla è stato salvato." in page
    assert "fuori dall&#x27;intervallo ammesso" in page or "fuori dall'intervallo" in page
    assert "la misura «inesistente» non è tra quelle dell&#x27;indicatore" in page
    assert read_plan(people.plan.pk) == before


def test_only_the_planning_office_sets_a_reading(people: People) -> None:
    _partly_read(people)
    url = reverse("plans:reading", args=[people.plan.key, "3.1.1", 2021])
    assert _client(people.manager_a).post(url, {**FORM, "action": "save"}).status_code == 403
    assert read_plan(people.plan.pk).indicator("3.1.1").readings == {}
    assert _client(people.planning).get(
        reverse("plans:reading", args=[people.plan.key, "3.1.1", 2030])).status_code == 404


def test_a_plan_file_with_readings_is_stored_and_exported_unchanged(people: People) -> None:
    plan = default_plan()
    ind = plan.indicator("3.1.1")
    ind.targets[2021] = TWO_CATALOGUES
    ind.readings[2021] = TargetReading.from_data({
        "operator": "compound", "parts": [
            {"operator": "at_least", "value": "80", "unit": "percent"},
            {"operator": "at_least", "value": "55000", "measure": "budget_innovazione",
             "label": "dataset su dati.gov.it"}]})
    ind.readings[2023] = TargetReading.from_data({
        "operator": "growth", "value": "30", "unit": "percent", "base": "year_target",
        "base_year": 2022, "deadline": "2023-12-31"})
    for fmt in ("yaml", "json"):
        text = dumps(plan, fmt)  # type: ignore[arg-type]
        assert "readings" in text
        authoring.store_plan(plan=loads(text, fmt), user=people.planning,  # type: ignore[arg-type]
                             key=people.plan.key)
        assert dumps(read_plan(people.plan.pk), fmt) == text  # type: ignore[arg-type]


def test_in_an_adopted_plan_a_reading_needs_a_reason_and_makes_a_version(
        people: People) -> None:
    authoring.adopt(plan=people.plan, act="Delibera 45/2021", on=datetime.date(2021, 1, 31))
    client = _client(people.planning)
    url = reverse("plans:reading", args=[people.plan.key, "3.1.1", 2022])
    form = {"operator": "at_least", "value": "85", "unit": "percent", "action": "save"}
    r = client.post(url, form)
    assert r.status_code == 400
    assert "cambiare la lettura di un target ne cambia la valutazione" in r.content.decode()
    assert read_plan(people.plan.pk).indicator("3.1.1").readings == {}
    r = client.post(url, {**form, "reason": "la soglia concordata con il centro"})
    assert r.status_code == 302
    version = pm.PlanVersion.objects.filter(plan=people.plan).order_by("-number").first()
    assert version is not None and version.reason == "la soglia concordata con il centro"
    assert version.username == "planning"
    assert any(c["field"].startswith("readings.2022") for c in version.changes)
    # the text (">=90%") reads otherwise: the lint warns, the reading is scored
    kinds = {f.kind for f in authoring.lint(authoring.in_force(people.plan.pk), people.plan.pk)
             if f.subject == "3.1.1"}
    assert {"target-reading-set", "target-reading-disagrees"} <= kinds


def test_the_measurement_page_says_which_reading_is_in_force(people: People) -> None:
    client = _client(people.planning)
    url = reverse("measurements:measure",
                  args=[people.plan.key, "3.1.1", people.year_end.end_date.isoformat()])
    assert 'data-reading="read">(letto dal testo)' in client.get(url).content.decode()
    _partly_read(people)
    assert 'data-reading="partly">(letto solo in parte: non valutato)' in client.get(
        url).content.decode()
    client.post(reverse("plans:reading", args=[people.plan.key, "3.1.1", 2021]),
                {**FORM, "action": "save"})
    page = client.get(url).content.decode()
    assert f"{TWO_CATALOGUES} <small" in page
    assert 'data-reading="set">(lettura impostata da planning il ' in page


def test_a_reading_is_of_the_text_not_of_a_revision(people: People) -> None:
    authoring.adopt(plan=people.plan, act="Delibera 45/2021", on=datetime.date(2021, 1, 31))
    client = _client(people.planning)
    url = reverse("plans:reading", args=[people.plan.key, "3.1.1", 2022])
    client.post(url, {"operator": "at_least", "value": "85", "unit": "percent",
                      "action": "save", "reason": "soglia concordata"})
    assert 2022 in compiled_plan(people.plan.pk)[1].spec("3.1.1").reading_years
    do_revise_target(user=people.planning, plan_id=people.plan.pk, indicator="3.1.1",
                     year=2022, text=">=80%", justification="bando rinviato")
    # the revised text is in force, read from itself: the old reading no longer applies
    spec = compiled_plan(people.plan.pk)[1].spec("3.1.1")
    assert 2022 not in spec.reading_years and spec.targets[2022].threshold == Decimal("0.8")
    r = client.post(url, {"operator": "at_least", "value": "70", "unit": "percent",
                          "action": "save", "reason": "x"})
    assert r.status_code == 400 and "è stato rimodulato" in r.content.decode()


def test_removing_a_target_in_the_editor_removes_its_reading(people: People) -> None:
    from .test_editor import _indicator_form

    client = _client(people.planning)
    client.post(reverse("plans:reading", args=[people.plan.key, "3.1.1", 2023]),
                {"operator": "at_least", "value": "95", "unit": "percent", "action": "save"})
    assert 2023 in read_plan(people.plan.pk).indicator("3.1.1").readings
    form = _indicator_form(people, "3.1.1")
    form.pop("target-2023")
    r = client.post(reverse("plans:edit", args=[people.plan.key, "indicator", "3.1.1"]), form)
    assert r.status_code == 302
    ind = read_plan(people.plan.pk).indicator("3.1.1")
    assert 2023 not in ind.targets and ind.readings == {}
