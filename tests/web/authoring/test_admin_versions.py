"""A correction by hand in the admin of an adopted plan is a version too, with its diff."""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.test import Client

from cruscotto.web.measurements import authoring
from cruscotto.web.measurements import models as mm
from cruscotto.web.plans import models as pm

from ..measurements.conftest import People


def test_an_admin_correction_of_an_adopted_plan_is_its_next_version(people: People) -> None:
    authoring.adopt(plan=people.plan, act="Delibera 45/2021", on=datetime.date(2021, 1, 31))
    admin = get_user_model().objects.create_user("capo", password="x", is_staff=True,
                                                  is_superuser=True)
    client = Client()
    client.force_login(admin)
    var = pm.Variable.objects.filter(plan=people.plan).order_by("position").first()
    assert var is not None
    url = f"/admin/plans/variable/{var.pk}/change/"
    form = client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update({"plan": people.plan.pk, "source": var.source_id or "",
                 "label": "Descrizione corretta a mano"})

    assert client.post(url, data).status_code == 302

    version = pm.PlanVersion.objects.get(plan=people.plan, number=2)
    assert (version.action, version.username) == ("admin", "capo")
    assert version.changes == [{"kind": "changed", "entity": "variable", "code": var.name,
                                "field": "label", "old": var.label,
                                "new": "Descrizione corretta a mano"}]
    assert mm.AuditEvent.objects.filter(plan=people.plan, action="plan_admin").count() == 1
