"""A target revision (rimodulazione) is a new version: the original stays."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from cruscotto.core.workflow import WorkflowError
from cruscotto.web.measurements import models as mm
from cruscotto.web.measurements.selectors import (
    effective_plan,
    evaluate_indicator,
    target_revisions,
)
from cruscotto.web.measurements.services import ValueInput, do_revise_target, do_set_value

from .conftest import People


def test_the_planning_office_revises_a_target_and_the_engine_uses_it(people: People) -> None:
    for var, val in (("budget_innovazione", "9500000"),
                     ("contabilizzato_innovazione", "7600000")):
        do_set_value(user=people.officer_a, period=people.year_end,
                     item=ValueInput("3.1.1", var, Decimal(val)))
    before = evaluate_indicator(plan_id=people.plan.pk, period=people.year_end, code="3.1.1",
                                include_drafts=True)
    assert before is not None and before.met is False  # 80% against >=90%
    do_revise_target(user=people.planning, plan_id=people.plan.pk, indicator="3.1.1",
                     year=2021, text=">=80%",
                     justification="bando sospeso per tre mesi (delibera n. 12/2021)")
    after = evaluate_indicator(plan_id=people.plan.pk, period=people.year_end, code="3.1.1",
                               include_drafts=True)
    assert after is not None and after.met is True and after.target.text == ">=80%"
    [rev] = target_revisions(plan_id=people.plan.pk, code="3.1.1")
    assert (rev.previous_text, rev.text) == (">=90%", ">=80%")
    assert effective_plan(people.plan.pk).indicator("3.1.1").targets[2022] == ">=90%"
    event = mm.AuditEvent.objects.get(action="target_revision")
    assert (event.old, event.new) == (">=90%", ">=80%") and "delibera" in event.reason


def test_only_the_planning_office_revises_and_always_with_a_reason(people: People) -> None:
    with pytest.raises(PermissionDenied):
        do_revise_target(user=people.manager_a, plan_id=people.plan.pk, indicator="3.1.1",
                         year=2021, text=">=80%", justification="troppo alto")
    with pytest.raises(WorkflowError, match="richiede una motivazione"):
        do_revise_target(user=people.planning, plan_id=people.plan.pk, indicator="3.1.1",
                         year=2021, text=">=80%", justification="")
    with pytest.raises(WorkflowError, match="non si legge"):
        do_revise_target(user=people.planning, plan_id=people.plan.pk, indicator="3.1.1",
                         year=2021, text=">80 percento", justification="x")
    assert not mm.TargetRevision.objects.exists()
