"""The plan diff tells per-year definitions and baselines apart, field by field."""

from __future__ import annotations

import copy
import datetime
from decimal import Decimal

from cruscotto.core.plan import Baseline, YearDefinition
from cruscotto.io.interchange import plan_to_dict
from cruscotto.io.plan_diff import ADDED, CHANGED, REMOVED, Change, diff_plans
from tests.conftest import make_encoded_plan


def test_definitions_and_baselines_changed_are_named_by_year_and_date() -> None:
    before = make_encoded_plan()
    ind = before.indicator("3.1.1")
    ind.definitions = [YearDefinition(2022, "a / b")]
    after = copy.deepcopy(before)
    new = after.indicator("3.1.1")
    new.definitions = [YearDefinition(2022, "a / c", unit="percentuale"),
                       YearDefinition(2023, "z", measures={"spesa": "speso"})]
    new.baselines = [Baseline(Decimal("992721372"), datetime.date(2023, 11, 30),
                              "monitoraggio di novembre 2023")]

    changes = diff_plans(plan_to_dict(before), plan_to_dict(after))

    assert changes == [
        Change(CHANGED, "indicator", "3.1.1", "definitions.2022.formula", "a / b", "a / c"),
        Change(CHANGED, "indicator", "3.1.1", "definitions.2022.unit", "", "percentuale"),
        Change(ADDED, "indicator", "3.1.1", "definitions.2023", new="z"),
        Change(CHANGED, "indicator", "3.1.1", "definitions.2023.measures.spesa", "", "speso"),
        Change(ADDED, "indicator", "3.1.1", "baselines.2023-11-30", new="992721372"),
        Change(CHANGED, "indicator", "3.1.1", "baselines.2023-11-30.label", "",
               "monitoraggio di novembre 2023"),
    ]
    assert not any(c.is_target for c in changes)

    back = diff_plans(plan_to_dict(after), plan_to_dict(before))
    assert Change(REMOVED, "indicator", "3.1.1", "definitions.2023", old="z") in back
    assert Change(REMOVED, "indicator", "3.1.1", "baselines.2023-11-30",
                  old="992721372") in back
    # nothing when nothing changed, and an old snapshot without them is no change
    assert diff_plans(plan_to_dict(after), plan_to_dict(after)) == []
    bare = plan_to_dict(make_encoded_plan())
    for i in bare["indicators"]:
        i.pop("definitions", None)
        i.pop("baselines", None)
    assert diff_plans(bare, plan_to_dict(make_encoded_plan())) == []
