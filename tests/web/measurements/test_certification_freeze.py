"""A certified figure never moves: every write path that would change it is refused.

The demo certifies 6.4.1 for 2021 (followers +20% over 2020: 41,200 → 47,380,
+15%, achievement 75%, yellow). A new 2020 value, a revised 2021 target, an
admin edit of the target or a plan re-import would each change that figure:
each is refused with a message naming the figure and what would change, and
nothing is written. The planning office reopens the figure with a reason;
then the write goes through and the old certification stays visible.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.test import Client

from cruscotto.data import default_plan
from cruscotto.web.measurements import models as mm
from cruscotto.web.measurements import services
from cruscotto.web.measurements.certification import CertifiedChange
from cruscotto.web.measurements.demo import load_demo
from cruscotto.web.measurements.selectors import evaluate_indicator
from cruscotto.web.plans import models as pm
from cruscotto.web.plans.choices import PolarityChoices
from cruscotto.web.plans.services import write_plan
from cruscotto.web.plans.signals import content_changed

from .conftest import CENTRE_A, CENTRE_B, People
from .uploading import csv_file, upload

REFUSED_IT = ("6.4.1 2021 è certificato: riaprilo prima di modificare il valore 2020 di "
              "follower_social")
REFUSED_EN = "6.4.1 2021 is certified: reopen it before changing the 2020 value of follower_social"


@pytest.fixture(autouse=True)
def fast_hasher(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def demo(people: People) -> People:
    load_demo(plan=people.plan)
    return people


def public_figure(people: People) -> tuple[Any, Any, str]:
    """6.4.1 2021 as the public sees it: (value, achievement, status)."""
    r = evaluate_indicator(plan_id=people.plan.pk, period=people.year_end, code="6.4.1")
    assert r is not None
    return r.value, r.achievement, r.status.value


def followers_2020(people: People) -> Decimal | None:
    return mm.Value.objects.get(period=people.baseline, variable="follower_social").number


def put(client: Client, people: People, value: int, lang: str = "it") -> tuple[int, Any]:
    version = mm.Value.objects.get(variable="follower_social", period=people.baseline).version
    r = client.put(f"/api/plans/{people.plan.key}/periods/2020-12-31/values",
                   data=json.dumps([{"indicator": "6.4.1", "variable": "follower_social",
                                     "value": value, "expected_version": version}]),
                   content_type="application/json", headers={"Accept-Language": lang})
    return r.status_code, r.json()


def signed_in(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_the_demo_certifies_6_4_1_with_what_it_read(demo: People) -> None:
    assert public_figure(demo) == (Decimal("47380"), Decimal("75"), "yellow")
    rec = mm.CertifiedRecord.objects.get(indicator_code="6.4.1", period=demo.year_end)
    assert {(i["variable"], i["year"], i["value"]) for i in rec.inputs} == {
        ("follower_social", 2020, "41200"), ("follower_social", 2021, "47380")}
    assert rec.target == "+20%" and rec.certified_by == "demo-oiv" and rec.active
    assert rec.result["achievement"] == "75"


def test_an_api_put_of_the_baseline_value_is_refused(demo: People) -> None:
    before = public_figure(demo)
    status, body = put(signed_in(demo.officer_a), demo, 30000)
    assert (status, body["detail"]) == (400, REFUSED_IT)
    assert followers_2020(demo) == Decimal("41200")
    assert public_figure(demo) == before
    assert not mm.ValueVersion.objects.filter(value__variable="follower_social",
                                              value__period=demo.baseline,
                                              version=2).exists()


def test_the_refusal_speaks_english_to_an_english_reader(demo: People) -> None:
    status, body = put(signed_in(demo.officer_a), demo, 30000, lang="en")
    assert (status, body["detail"]) == (400, REFUSED_EN)


def test_a_csv_upload_into_the_baseline_is_refused_and_writes_nothing(demo: People) -> None:
    before = public_figure(demo)
    report = upload(demo, csv_file([("6.4.1", "follower_social", 2020, 30000, "")]))
    assert report.stored == 0
    assert any(REFUSED_IT in p.message for p in report.problems), report.problems
    assert followers_2020(demo) == Decimal("41200")
    assert public_figure(demo) == before


def test_a_target_revision_is_refused(demo: People) -> None:
    before = public_figure(demo)
    with pytest.raises(CertifiedChange) as refused:
        services.do_revise_target(user=demo.planning, plan_id=demo.plan.pk, indicator="6.4.1",
                                  year=2021, text="+10%", justification="rimodulazione")
    assert str(refused.value) == ("6.4.1 2021 è certificato: riaprilo prima di modificare il "
                                  "target 2021")
    assert not mm.TargetRevision.objects.filter(indicator__code="6.4.1").exists()
    assert public_figure(demo) == before


def test_an_admin_edit_of_the_target_is_refused_and_shown(demo: People) -> None:
    before = public_figure(demo)
    admin = get_user_model().objects.get(username="demo-admin")
    target = pm.IndicatorTarget.objects.get(indicator__plan=demo.plan, indicator__code="6.4.1",
                                            year=2021)
    url = f"/admin/plans/indicatortarget/{target.pk}/change/"
    response = signed_in(admin).post(url, {
        "indicator": target.indicator_id, "position": target.position, "year": 2021,
        "text": "+10%"}, follow=True)
    page = response.content.decode()
    assert "6.4.1 2021 è certificato: riaprilo prima di modificare il target 2021" in page
    target.refresh_from_db()
    assert target.text == "+20%"
    assert public_figure(demo) == before


def test_a_plan_reimport_that_changes_the_target_is_refused(demo: People) -> None:
    before = public_figure(demo)
    plan = default_plan()
    plan.indicator("6.4.1").targets[2021] = "+10%"
    with pytest.raises(CertifiedChange, match="6.4.1 2021 è certificato: riaprilo prima di "
                                              "modificare il target 2021"):
        write_plan(plan=plan)
    assert pm.IndicatorTarget.objects.get(indicator__code="6.4.1", year=2021).text == "+20%"
    assert public_figure(demo) == before
    write_plan(plan=default_plan())  # the same plan again changes no certified figure


def test_reopening_lets_the_write_through_and_keeps_the_old_record(demo: People) -> None:
    services.do_reopen(user=demo.planning, period=demo.year_end, indicator="6.4.1",
                       reason="follower 2020 contati due volte")
    status, body = put(signed_in(demo.officer_a), demo, 39500)
    assert status == 200, body
    assert followers_2020(demo) == Decimal("39500")
    old = mm.CertifiedRecord.objects.get(indicator_code="6.4.1", period=demo.year_end)
    assert not old.active and old.superseded_reason == "follower 2020 contati due volte"
    page = Client().get(f"/plans/{demo.plan.key}/indicators/6.4.1/").content.decode()
    assert 'id="certifications"' in page
    assert "riaperto il" in page and "follower 2020 contati due volte" in page
    assert "follower_social 2020 = 41200" in page
    # certified again, it is frozen again, on the new figure
    admin = get_user_model().objects.get(username="demo-admin")
    oiv = get_user_model().objects.get(username="demo-oiv")
    services.do_submit(user=admin, period=demo.year_end, indicator="6.4.1",
                       gap_explanation="meno follower del previsto")
    services.do_validate(user=demo.planning, period=demo.year_end, indicator="6.4.1")
    services.do_certify(user=oiv, period=demo.year_end, indicator="6.4.1")
    assert mm.CertifiedRecord.objects.filter(indicator_code="6.4.1").count() == 2
    status, body = put(signed_in(demo.officer_a), demo, 30000)
    assert status == 400 and "6.4.1 2021 è certificato" in body["detail"]


def test_a_certified_record_is_never_changed_or_deleted(demo: People) -> None:
    rec = mm.CertifiedRecord.objects.get(indicator_code="6.4.1", period=demo.year_end)
    rec.target = "+1%"
    with pytest.raises(PermissionError):
        rec.save()
    with pytest.raises(PermissionError):
        rec.delete()


# -- a variable shared by two centres ---------------------------------------------------

@pytest.fixture
def shared(people: People) -> People:
    """6.0.2 (centre A) and 6.0.3 (centre B) both read oneri_correnti_netti."""
    plan = default_plan()
    plan.indicator("6.0.2").centres = [CENTRE_A]
    plan.indicator("6.0.3").centres = [CENTRE_B]
    write_plan(plan=plan)
    load_demo(plan=people.plan)
    return people


def test_a_shared_value_written_by_centre_b_cannot_move_a_certified_figure_of_a(
        shared: People) -> None:
    p = shared
    before = evaluate_indicator(plan_id=p.plan.pk, period=p.year_end, code="6.0.2")
    services.do_reopen(user=p.planning, period=p.year_end, indicator="6.0.3", reason="errore")
    r = signed_in(p.officer_b).put(
        f"/api/plans/{p.plan.key}/periods/2021-12-31/values",
        data=json.dumps([{"indicator": "6.0.3", "variable": "oneri_correnti_netti",
                          "value": 80000000, "expected_version": oneri_version(p)}]),
        content_type="application/json")
    assert r.status_code == 400 and "6.0.2" in r.json()["detail"]
    after = evaluate_indicator(plan_id=p.plan.pk, period=p.year_end, code="6.0.2")
    assert before is not None and after is not None and before.value == after.value


def oneri_version(p: People) -> int:
    return int(mm.Value.objects.get(period=p.year_end, variable="oneri_correnti_netti").version)


def test_a_shared_value_written_by_centre_b_cannot_move_a_validated_figure_of_a(
        shared: People) -> None:
    p = shared
    admin = get_user_model().objects.get(username="demo-admin")
    for code in ("6.0.2", "6.0.3"):
        services.do_reopen(user=p.planning, period=p.year_end, indicator=code, reason="errore")
    services.do_submit(user=admin, period=p.year_end, indicator="6.0.2", gap_explanation="x")
    services.do_validate(user=p.planning, period=p.year_end, indicator="6.0.2")
    r = signed_in(p.officer_b).put(
        f"/api/plans/{p.plan.key}/periods/2021-12-31/values",
        data=json.dumps([{"indicator": "6.0.3", "variable": "oneri_correnti_netti",
                          "value": 80000000, "expected_version": oneri_version(p)}]),
        content_type="application/json")
    assert r.status_code == 400
    assert r.json()["detail"] == (
        f"6.0.2 2021 è validato ed è di {CENTRE_A}: chiedi al controllo di gestione di "
        "restituirlo prima di modificare il valore 2021 di oneri_correnti_netti")
    value = mm.Value.objects.get(period=p.year_end, variable="oneri_correnti_netti")
    assert value.number == Decimal("91500000")
    # centre A's own officer may still correct it only after a return: not B's business
    services.do_return(user=p.planning, period=p.year_end, indicator="6.0.2", reason="rivedere")
    r = signed_in(p.officer_b).put(
        f"/api/plans/{p.plan.key}/periods/2021-12-31/values",
        data=json.dumps([{"indicator": "6.0.3", "variable": "oneri_correnti_netti",
                          "value": 80000000, "expected_version": oneri_version(p)}]),
        content_type="application/json")
    assert r.status_code == 200, r.json()


def test_a_change_of_the_formula_and_polarity_is_refused(demo: People) -> None:
    """What an admin save of the indicator does: the row saved, then the plan changed."""
    ind = pm.Indicator.objects.get(plan=demo.plan, code="6.4.1")
    with pytest.raises(CertifiedChange, match="6.4.1 2021 è certificato: riaprilo prima di "
                                              "modificare la formula, modificare l'unità di "
                                              "misura o la polarità"), transaction.atomic():
        ind.formula = "follower_social * 2"
        ind.polarity = PolarityChoices.LOWER
        ind.save()
        content_changed(demo.plan.pk)
    ind.refresh_from_db()
    assert ind.formula != "follower_social * 2"


def test_what_the_public_reads_is_what_was_certified(demo: People) -> None:
    """Every certified figure of the demo, as the public API gives it, is its record's."""
    records = list(mm.CertifiedRecord.objects.filter(plan=demo.plan, superseded_at=None))
    assert len(records) > 20
    body = Client().get(f"/api/plans/{demo.plan.key}/periods/2021-12-31/evaluation").json()
    shown = {r["code"]: r for r in body["indicators"]}

    def same(a: Any) -> Any:
        return a if isinstance(a, bool) or a is None else Decimal(str(a))

    for rec in records:
        public = shown[rec.indicator_code]
        assert public["state"] == "certified"
        assert same(public["achievement"]) == same(rec.result["achievement"]), rec.indicator_code
        assert same(public["value"]) == same(rec.result["value"]), rec.indicator_code
