"""Reads of measurement: inputs for the engine, evaluations, "my updates", history.

Collect, fetch, evaluate: the plan is compiled once, the values of the
periods needed are fetched in one query, and the engine evaluates in memory.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, replace
from typing import Any

from django.utils.translation import gettext

from cruscotto.core import plan as core
from cruscotto.core.evaluation import (
    CompiledPlan,
    compile_plan,
    evaluate_plan,
    indicator_inputs,
)
from cruscotto.core.rollup import PlanEvaluation
from cruscotto.core.scoring import IndicatorResult
from cruscotto.core.workflow import Actor, Role, State, can_read_drafts, public_states
from cruscotto.web.measurements import models as mm
from cruscotto.web.measurements.choices import PeriodKind
from cruscotto.web.plans import models as pm
from cruscotto.web.plans.selectors import read_plan

#: states whose values every signed-in reader of the plan sees; the public
#: (anonymous) sees certified values only: see ``public_states``
PUBLISHED_STATES = (State.VALIDATED, State.CERTIFIED)


#: indicator code -> the inputs its formula and measures read
reads_by_indicator = indicator_inputs


def effective_plan(plan_id: int) -> core.Plan:
    """The stored plan with every target revision applied (the latest per year)."""
    plan = read_plan(plan_id)
    revisions = mm.TargetRevision.objects.filter(indicator__plan_id=plan_id).order_by(
        "revised_at", "pk").values_list("indicator__code", "year", "text")
    latest: dict[tuple[str, int], str] = {}
    for code, year, text in revisions:
        latest[(code, year)] = text
    for (code, year), text in latest.items():
        plan.indicator(code).targets[year] = text
    return plan


def _year_end_periods(plan_id: int) -> dict[int, mm.Period]:
    return {p.year: p for p in mm.Period.objects.filter(
        plan_id=plan_id, kind__in=(PeriodKind.YEAR_END, PeriodKind.BASELINE))}


def inputs_for(plan_id: int, period: mm.Period) -> dict[tuple[str, int], Any]:
    """``(variable, year) -> value`` for evaluating ``period``: one query.

    The period's own year takes the period's values; earlier years their
    year-end (or baseline) values, as growth targets compare with them.
    """
    ends = _year_end_periods(plan_id)
    use = {y: p.pk for y, p in ends.items() if y != period.year}
    use[period.year] = period.pk
    by_period = {pk: y for y, pk in use.items()}
    out: dict[tuple[str, int], Any] = {}
    for pid, variable, number, yes_no in mm.Value.objects.filter(
            period_id__in=list(by_period)).values_list(
            "period_id", "variable", "number", "yes_no"):
        out[(variable, by_period[pid])] = yes_no if yes_no is not None else number
    return out


def states_for(plan_id: int, period: mm.Period) -> dict[str, State]:
    return {code: State(s) for code, s in mm.Measurement.objects.filter(
        period=period, indicator__plan_id=plan_id).values_list("indicator__code", "state")}


def may_read_values(*, actor: Actor, plan_id: int, period: mm.Period,
                    indicator: core.Indicator) -> bool:
    """May ``actor`` read the indicator's values (and documents) in ``period``?

    Drafts: its centre, the planning office, the OIV, administrators; from
    validation on, anyone.
    """
    if can_read_drafts(actor, centres=indicator.centres):
        return True
    state = mm.Measurement.objects.filter(
        indicator__plan_id=plan_id, indicator__code=indicator.code, period=period
    ).values_list("state", flat=True).first()
    return State(state or State.DRAFT) in public_states(actor)


@dataclass(frozen=True)
class PeriodEvaluation:
    period: mm.Period
    plan: core.Plan
    evaluation: PlanEvaluation
    states: dict[str, State]
    #: indicators whose values were hidden from this reader (not validated yet)
    hidden: frozenset[str]


def evaluate_period(*, plan_id: int, period: mm.Period, actor: Actor | None = None,
                    include_drafts: bool = False, plan: core.Plan | None = None,
                    compiled: CompiledPlan | None = None) -> PeriodEvaluation:
    """The whole plan evaluated at ``period`` as ``actor`` may see it.

    Values of indicators not yet validated count only for those who may read
    drafts (their centre, the planning office, the OIV) or with
    ``include_drafts``; for others those indicators are *not computable*
    ("values not validated yet") and left out of the roll-up. The public
    (an anonymous ``actor``, or ``None``) sees certified values only:
    validated values count as not yet published ("values not certified yet"). ``plan`` (the
    :func:`effective_plan`) and ``compiled`` may be passed by a caller that
    evaluates several periods, so the plan is read and compiled once.
    """
    plan = plan if plan is not None else effective_plan(plan_id)
    compiled = compiled if compiled is not None else compile_plan(plan)
    states = states_for(plan_id, period)
    hidden: set[str] = set()
    if not include_drafts:
        shown = public_states(actor)
        for ind in plan.indicators:
            st = states.get(ind.code, State.DRAFT)
            if st in shown:
                continue
            if actor is not None and can_read_drafts(actor, centres=ind.centres):
                continue
            hidden.add(ind.code)
    if hidden:
        compiled = _hide(compiled, {
            c: gettext("valori non ancora certificati") if states.get(c) is State.VALIDATED
            else gettext("valori non ancora validati") for c in hidden})
    evaluation = evaluate_plan(compiled, inputs_for(plan_id, period), year=period.year)
    return PeriodEvaluation(period, plan, evaluation, states, frozenset(hidden))


def _hide(compiled: CompiledPlan, reasons: dict[str, str]) -> CompiledPlan:
    """Leave the indicators ``reasons`` names out: not computable, for that reason."""
    hide = set(reasons)
    errors = dict(compiled.errors)
    for c, reason in reasons.items():
        errors.setdefault(c, reason)
    return replace(compiled, specs=tuple(s for s in compiled.specs if s.code not in hide),
                   errors=errors)


def evaluate_indicator(*, plan_id: int, period: mm.Period, code: str,
                       include_drafts: bool = False, actor: Actor | None = None,
                       plan: core.Plan | None = None) -> IndicatorResult | None:
    ev = evaluate_period(plan_id=plan_id, period=period, actor=actor,
                         include_drafts=include_drafts, plan=plan)
    r = ev.evaluation.indicators.get(code)
    return r if isinstance(r, IndicatorResult) else None


@dataclass(frozen=True)
class VisibleValue:
    """A stored value as one reader may see it, with the indicators reading it."""

    value: mm.Value
    #: every indicator whose formula or measures read the variable, in plan order
    read_by: tuple[str, ...]


def visible_values(*, plan_id: int, period: mm.Period, actor: Actor | None = None
                   ) -> list[VisibleValue]:
    """The values of ``period`` that ``actor`` may see, by variable.

    A value is plan-wide (several indicators may read it), so it is seen when
    at least one indicator reading it is validated or certified (certified
    for the public), or is one whose drafts ``actor`` may read (its centre,
    the planning office, the OIV): the rule :func:`evaluate_period` applies
    to the figures. A value no
    indicator reads is seen only by those who read every draft.
    """
    plan = read_plan(plan_id)
    reads = reads_by_indicator(plan)
    states = states_for(plan_id, period)
    shown = public_states(actor)
    readable = {
        ind.code for ind in plan.indicators
        if states.get(ind.code, State.DRAFT) in shown
        or (actor is not None and can_read_drafts(actor, centres=ind.centres))}
    sees_orphans = actor is not None and can_read_drafts(actor, centres=())
    out: list[VisibleValue] = []
    for value in mm.Value.objects.filter(period=period).select_related(
            "updated_by").order_by("variable"):
        readers = tuple(ind.code for ind in plan.indicators
                        if value.variable in reads.get(ind.code, ()))
        if readable.intersection(readers) or (not readers and sees_orphans):
            out.append(VisibleValue(value, readers))
    return out


@dataclass(frozen=True)
class Update:
    """One thing a person must supply: an indicator's values for a period."""

    indicator: core.Indicator
    period: mm.Period
    state: State
    late: bool
    #: inputs still empty
    missing: tuple[str, ...]
    #: why the planning office returned the values (state ``returned``)
    reason: str = ""


def my_updates(*, user: Any, plan_id: int, today: datetime.date | None = None
               ) -> list[Update]:
    """What ``user``'s centres must still supply or fix, soonest deadline first."""
    today = today or datetime.date.today()
    centres = set(mm.CentreMembership.objects.filter(
        user=user, centre__plan_id=plan_id).values_list("centre__name", flat=True))
    if not centres:
        return []
    plan = read_plan(plan_id)
    reads = reads_by_indicator(plan)
    periods = list(mm.Period.objects.filter(plan_id=plan_id).exclude(
        kind=PeriodKind.BASELINE).order_by("deadline", "end_date"))
    states: dict[tuple[str, int], State] = {}
    reasons: dict[tuple[str, int], str] = {}
    for code, pid, s, why in mm.Measurement.objects.filter(
            indicator__plan_id=plan_id).values_list(
            "indicator__code", "period_id", "state", "return_reason"):
        states[(code, pid)] = State(s)
        reasons[(code, pid)] = why
    filled = {(v, pid) for v, pid in mm.Value.objects.filter(
        period__plan_id=plan_id).exclude(number=None, yes_no=None).values_list(
        "variable", "period_id")}
    out: list[Update] = []
    for period in periods:
        for ind in plan.indicators:
            if not centres & set(ind.centres) or period.year not in ind.targets:
                continue
            state = states.get((ind.code, period.pk), State.DRAFT)
            if state not in (State.DRAFT, State.RETURNED):
                continue
            missing = tuple(sorted(n for n in reads.get(ind.code, ())
                                   if (n, period.pk) not in filled))
            late = period.deadline is not None and period.deadline < today
            out.append(Update(ind, period, state, late, missing,
                              reasons.get((ind.code, period.pk), "")
                              if state is State.RETURNED else ""))
    return out


@dataclass(frozen=True)
class QueueItem:
    """A measurement waiting for someone's action: its indicator, period and version."""

    code: str
    name: str
    centres: tuple[str, ...]
    period: mm.Period
    state: State
    version: int
    gap_explanation: str
    forecast: str
    since: datetime.datetime

    @property
    def token(self) -> str:
        """How a bulk form names the item: ``code@period id@version``."""
        return f"{self.code}@{self.period.pk}@{self.version}"


@dataclass(frozen=True)
class Queue:
    """What waits for one person in a plan: to fill, to validate, to certify."""

    to_fill: list[Update]
    to_validate: list[QueueItem]
    to_certify: list[QueueItem]
    may_validate: bool
    may_certify: bool

    @property
    def empty(self) -> bool:
        return not (self.to_fill or self.to_validate or self.to_certify)


def measurements_in_state(*, plan_id: int, state: State) -> list[QueueItem]:
    """The plan's measurements in ``state``, by period then indicator code.

    Reads the stored workflow states (``Measurement``) only: a queue does not
    evaluate the plan.
    """
    rows = (mm.Measurement.objects.filter(indicator__plan_id=plan_id, state=state.value)
            .select_related("indicator", "period")
            .order_by("period__end_date", "indicator__position", "indicator__code"))
    centres: dict[int, list[str]] = {}
    for ind_id, centre in pm.IndicatorCentre.objects.filter(
            indicator__plan_id=plan_id).values_list("indicator_id", "centre__name"):
        centres.setdefault(ind_id, []).append(centre)
    return [QueueItem(
        code=m.indicator.code, name=m.indicator.name,
        centres=tuple(sorted(centres.get(m.indicator_id, ()))), period=m.period,
        state=State(m.state), version=m.version, gap_explanation=m.gap_explanation,
        forecast=m.forecast, since=m.updated_at) for m in rows]


def queue(*, user: Any, plan_id: int, actor: Actor, today: datetime.date | None = None
          ) -> Queue:
    """Everything waiting for ``user`` (seen as ``actor``) in the plan.

    Centres: what they must supply or fix (returned values with the reason,
    overdue first in evidence); the planning office: submitted values to
    validate; the OIV: validated values to certify. The permission is the
    workflow's own (:func:`cruscotto.core.workflow.can`).
    """
    may_validate = bool(actor.roles & {Role.PLANNING, Role.ADMIN})
    may_certify = Role.OIV in actor.roles
    return Queue(
        to_fill=my_updates(user=user, plan_id=plan_id, today=today),
        to_validate=measurements_in_state(plan_id=plan_id, state=State.SUBMITTED)
        if may_validate else [],
        to_certify=measurements_in_state(plan_id=plan_id, state=State.VALIDATED)
        if may_certify else [],
        may_validate=may_validate, may_certify=may_certify)


def history(*, plan_id: int, code: str) -> list[mm.AuditEvent]:
    """Every recorded change of an indicator, oldest first."""
    return list(mm.AuditEvent.objects.filter(plan_id=plan_id, indicator_code=code)
                .select_related("period").order_by("at", "pk"))


def comments(*, plan_id: int, code: str, period: mm.Period) -> list[mm.AuditEvent]:
    """The thread of an indicator in a period, oldest first (from the audit trail)."""
    return list(mm.AuditEvent.objects.filter(plan_id=plan_id, indicator_code=code,
                                             period=period, action="comment")
                .order_by("at", "pk"))


def target_revisions(*, plan_id: int, code: str) -> list[mm.TargetRevision]:
    return list(mm.TargetRevision.objects.filter(indicator__plan_id=plan_id,
                                                 indicator__code=code)
                .order_by("year", "revised_at", "pk"))


def plan_id_of(key: str) -> int:
    return int(pm.Plan.objects.values_list("pk", flat=True).get(key=key))


@dataclass(frozen=True)
class PeriodFigure:
    """One period of an indicator as a reader may see it (for the indicator page)."""

    period: mm.Period
    state: State
    result: IndicatorResult | None
    hidden: bool
    is_demo: bool


def indicator_figures(*, plan_id: int, code: str, actor: Actor | None) -> list[PeriodFigure]:
    """Every measured period of the indicator (not the baseline), oldest first.

    The figures are the engine's, as ``actor`` may see them: values not yet
    validated are hidden from those who may not read drafts.
    """
    out: list[PeriodFigure] = []
    demo = set(mm.Measurement.objects.filter(
        indicator__plan_id=plan_id, indicator__code=code, is_demo=True).values_list(
        "period_id", flat=True))
    plan = effective_plan(plan_id)
    if code not in {i.code for i in plan.indicators}:
        return out
    compiled = compile_plan(plan)
    for period in mm.Period.objects.filter(plan_id=plan_id).exclude(
            kind=PeriodKind.BASELINE).order_by("end_date"):
        if period.year not in plan.indicator(code).targets:
            continue
        ev = evaluate_period(plan_id=plan_id, period=period, actor=actor, plan=plan,
                             compiled=compiled)
        r = ev.evaluation.indicators.get(code)
        out.append(PeriodFigure(period, ev.states.get(code, State.DRAFT),
                                r if isinstance(r, IndicatorResult) else None,
                                code in ev.hidden, period.pk in demo))
    return out


@dataclass(frozen=True)
class CampaignRow:
    """One indicator of a campaign: its centres and workflow state in the period."""

    code: str
    name: str
    centres: tuple[str, ...]
    state: State
    late: bool


@dataclass(frozen=True)
class CentreProgress:
    """How far one centre is in a campaign: its indicators by state."""

    centre: str
    total: int
    by_state: dict[State, int]
    late: int

    @property
    def sent(self) -> int:
        """Indicators submitted or further on (what the centre had to do)."""
        return self.total - self.by_state.get(State.DRAFT, 0) - self.by_state.get(
            State.RETURNED, 0)

    @property
    def percent(self) -> int:
        return round(100 * self.sent / self.total) if self.total else 100


@dataclass(frozen=True)
class Campaign:
    period: mm.Period
    rows: list[CampaignRow]
    centres: list[CentreProgress]
    by_state: dict[State, int]


#: a campaign's states in workflow order
CAMPAIGN_STATES = (State.DRAFT, State.RETURNED, State.SUBMITTED, State.VALIDATED,
                   State.CERTIFIED)


def campaign(*, plan_id: int, period: mm.Period, today: datetime.date | None = None
             ) -> Campaign:
    """Every indicator measured in ``period`` with its stored workflow state.

    An indicator is late when the period's deadline has passed and its
    centre has not submitted it (draft or returned). Reads the states only:
    nothing is evaluated.
    """
    today = today or datetime.date.today()
    plan = read_plan(plan_id)
    states = {code: State(s) for code, s in mm.Measurement.objects.filter(
        period=period, indicator__plan_id=plan_id).values_list("indicator__code", "state")}
    overdue = period.deadline is not None and period.deadline < today
    rows: list[CampaignRow] = []
    for ind in plan.indicators:
        if period.year not in ind.targets:
            continue
        state = states.get(ind.code, State.DRAFT)
        rows.append(CampaignRow(ind.code, ind.name, tuple(ind.centres), state,
                                overdue and state in (State.DRAFT, State.RETURNED)))
    per_centre: dict[str, list[CampaignRow]] = {}
    for r in rows:
        for c in r.centres:
            per_centre.setdefault(c, []).append(r)
    centres = []
    for name in sorted(per_centre):
        mine = per_centre[name]
        counts: dict[State, int] = {}
        for r in mine:
            counts[r.state] = counts.get(r.state, 0) + 1
        centres.append(CentreProgress(name, len(mine), counts, sum(r.late for r in mine)))
    totals: dict[State, int] = {}
    for r in rows:
        totals[r.state] = totals.get(r.state, 0) + 1
    return Campaign(period, rows, centres, totals)
