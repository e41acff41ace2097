"""`cruscotto demo`: one person per role, 2021 values through the workflow, marked demo."""

from __future__ import annotations

import pytest
from django.test import Client

from cruscotto.data import default_plan
from cruscotto.web.measurements import models as mm
from cruscotto.web.measurements.demo import load_demo
from cruscotto.web.plans.services import set_published, write_plan

pytestmark = pytest.mark.django_db


def test_it_loads_people_and_values_marked_as_demo_and_is_safe_to_repeat(
        client: Client) -> None:
    plan = write_plan(plan=default_plan())
    users = load_demo(plan=plan)
    assert {u.username for u in users} >= {"demo-admin", "demo-controllo", "demo-oiv",
                                           "demo-lettore", "demo-referente"}
    values = mm.Value.objects.filter(period__plan=plan)
    # 55 rows in the file; oneri_correnti_netti serves 6.0.2 and 6.0.3, stored once
    assert values.count() == 54 and not values.filter(is_demo=False).exists()
    states = dict(mm.Measurement.objects.filter(period__end_date="2021-12-31").values_list(
        "indicator__code", "state"))
    assert states["3.1.1"] == "certified" and states["6.4.3"] == "submitted"
    assert states.get("4.2.2", "draft") == "draft"
    load_demo(plan=plan)
    assert mm.Value.objects.filter(period__plan=plan).count() == 54
    set_published(plan=plan, published=True)  # as `cruscotto plan load-default` does
    page = client.get("/plans/cciaa-mimblo-2021-2023/indicators/3.1.1/").content.decode()
    assert "dati dimostrativi" in page
    api = client.get("/api/plans/cciaa-mimblo-2021-2023/periods/2021-12-31/values").json()
    assert api["values"] and all(v["is_demo"] for v in api["values"])
