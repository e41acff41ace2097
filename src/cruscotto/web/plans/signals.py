"""What the plans app tells the layers above when a plan's content changes.

``plan_changed`` is sent, inside the writing transaction, after every change
of a plan's content: a (re-)import through ``services.write_plan``, an admin
edit, a target revision. Receivers may refuse the change by raising: the
transaction rolls back and nothing is written (the measurements app refuses a
change that would move a certified figure). ``plans`` never imports the apps
above it: they connect here.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import Signal

from . import models as m

#: ``plan_id``: the plan whose content changed (sent inside the transaction)
plan_changed = Signal()


class ChangeRefused(Exception):
    """What a receiver of :data:`plan_changed` raises to refuse the change; its text
    (translated) says what would change and what to do first."""


def content_changed(plan_id: int) -> None:
    """Give the plan a new revision and tell the receivers (they may refuse by raising)."""
    m.Plan.objects.filter(pk=plan_id).update(revision=m.new_revision())
    plan_changed.send(sender=m.Plan, plan_id=plan_id)


#: rows that make up a plan's content, and how to find their plan
_PLAN_OF: dict[type[Any], Any] = {
    m.Mission: lambda o: o.plan_id,
    m.Programme: lambda o: m.Mission.objects.filter(pk=o.mission_id).values_list(
        "plan_id", flat=True).first(),
    m.ResponsibilityCentre: lambda o: o.plan_id,
    m.DataSource: lambda o: o.plan_id,
    m.StrategicObjective: lambda o: o.plan_id,
    m.StrategicObjectiveMission: lambda o: m.StrategicObjective.objects.filter(
        pk=o.strategic_id).values_list("plan_id", flat=True).first(),
    m.OperationalObjective: lambda o: o.plan_id,
    m.Indicator: lambda o: o.plan_id,
    m.IndicatorTarget: lambda o: m.Indicator.objects.filter(pk=o.indicator_id).values_list(
        "plan_id", flat=True).first(),
    m.IndicatorCentre: lambda o: m.Indicator.objects.filter(pk=o.indicator_id).values_list(
        "plan_id", flat=True).first(),
    m.IndicatorDataSource: lambda o: m.Indicator.objects.filter(
        pk=o.indicator_id).values_list("plan_id", flat=True).first(),
    m.Variable: lambda o: o.plan_id,
}


def plan_of(instance: Any) -> int | None:
    if isinstance(instance, m.Plan):
        return int(instance.pk) if instance.pk is not None else None
    find = _PLAN_OF.get(type(instance))
    return find(instance) if find is not None else None


def _row_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    """A row saved or deleted one by one (the admin, a shell): a new revision.

    ``write_plan`` writes in bulk (no signals) and calls :func:`content_changed`
    once; the admin calls it once per saved form (``admin.PlanContentAdmin``), so
    this only keeps the revision honest for writes that go round both.
    """
    if kwargs.get("raw"):
        return
    plan_id = plan_of(instance)
    if plan_id is not None:
        m.Plan.objects.filter(pk=plan_id).update(revision=m.new_revision())


def connect() -> None:
    for model in _PLAN_OF:
        post_save.connect(_row_changed, sender=model, dispatch_uid=f"revision-{model.__name__}")
        post_delete.connect(_row_changed, sender=model,
                            dispatch_uid=f"revision-del-{model.__name__}")
