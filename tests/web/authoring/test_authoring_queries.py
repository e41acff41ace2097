"""Query budgets of the authoring pages: a fixed number of queries, small plan or big.

The same fixture as ``tests/web/test_query_budgets.py`` (the seed plan and a
generated plan of 400 indicators).
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from cruscotto.io.interchange import plan_to_dict
from cruscotto.web.measurements import authoring
from cruscotto.web.plans import models as pm

from ..test_query_budgets import BUDGET, _count, plans  # noqa: F401 - the fixture

#: (page) -> queries, the same on both plans
EXPECTED = {"manage": 10, "versions": 5, "edit": 6, "formula": 9}


def _pages(key: str, code: str, strategic: str, centre: str) -> dict[str, str]:
    return {
        "manage": f"/plans/{key}/manage/",
        "versions": f"/plans/{key}/versions/",
        "edit": f"/plans/{key}/edit/indicator/{code}/",
        "formula": f"/plans/{key}/edit/formula/?formula=a+%2B+b",
    }


@pytest.mark.parametrize("page", list(EXPECTED))
def test_the_authoring_pages_cost_a_fixed_number_of_queries(
        plans: dict[str, Any], page: str, db: None) -> None:  # noqa: F811
    client = Client()
    client.force_login(plans["people"].planning)
    counts = {}
    for label in ("seed", "synthetic"):
        key = plans[label][0]
        db_plan = pm.Plan.objects.get(key=key)
        snapshot = plan_to_dict(authoring.in_force(db_plan.pk))
        for n in (1, 2):  # two versions to compare
            pm.PlanVersion.objects.create(plan=db_plan, number=n, action="edit",
                                          snapshot=snapshot, changes=[])
        counts[label] = _count(client, _pages(*plans[label])[page])
    print(page, counts)
    assert counts["seed"] == counts["synthetic"] <= BUDGET
    assert counts["seed"] == EXPECTED[page]
