"""Reads of measurement: inputs for the engine, evaluations, "my updates", history.

Collect, fetch, evaluate: the plan is compiled once, the values of the
periods needed are fetched in one query, and the engine evaluates in memory.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Q

from cruscotto.core import plan as core
from cruscotto.core.evaluation import (
    CompiledPlan,
    indicator_inputs,
)
from cruscotto.core.messages import Message
from cruscotto.core.rollup import PlanEvaluation
from cruscotto.core.scoring import IndicatorResult
from cruscotto.core.workflow import Actor, Role, State, can_read_drafts, public_states
from cruscotto.io.evaluation_out import display_record, display_value
from cruscotto.web.measurements import models as mm
from cruscotto.web.measurements import results
from cruscotto.web.measurements.choices import PeriodKind
from cruscotto.web.measurements.plandata import (
    _COMPILED,
    PlanData,
    _carried,
    compiled_plan,
    effective_plan,
    plan_data,
    plan_revision,
)
from cruscotto.web.plans import models as pm
from cruscotto.web.plans.selectors import stored_plan

__all__ = ["PlanData", "compiled_plan", "effective_plan", "plan_data", "plan_revision"]

#: indicator code -> the inputs its formula and measures read
reads_by_indicator = indicator_inputs


def _year_end_periods(plan_id: int) -> dict[int, mm.Period]:
    return {p.year: p for p in mm.Period.objects.filter(
        plan_id=plan_id, kind__in=(PeriodKind.YEAR_END, PeriodKind.BASELINE))}


def inputs_for(plan_id: int, period: mm.Period) -> dict[tuple[str, int], Any]:
    """``(variable, year) -> value`` for evaluating ``period``: one query.

    The period's own year takes the period's values; earlier years their
    year-end (or baseline) values, as growth targets compare with them (for a
    rolled plan, the previous plan's year ends where its own baseline is empty).
    """
    ends = _year_end_periods(plan_id)
    use = {y: p.pk for y, p in ends.items() if y != period.year}
    use[period.year] = period.pk
    by_period = {pk: y for y, pk in use.items()}
    out: dict[tuple[str, int], Any] = {}
    carried: dict[tuple[str, int], Any] = {}
    for pid, year, variable, number, yes_no in mm.Value.objects.filter(
            Q(period_id__in=list(by_period)) | _carried(plan_id)).values_list(
            "period_id", "period__year", "variable", "number", "yes_no"):
        value = yes_no if yes_no is not None else number
        if pid in by_period:
            out[(variable, by_period[pid])] = value
        elif year != period.year:
            carried[(variable, year)] = value
    return {**carried, **out}


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
    #: the stored figures are older than the data (docs/read-path.md, "Stale")
    stale: bool = False
    computed_at: datetime.datetime | None = None


def evaluate_period(*, plan_id: int, period: mm.Period, actor: Actor | None = None,
                    include_drafts: bool = False, plan: core.Plan | None = None,
                    compiled: CompiledPlan | None = None, data: PlanData | None = None,
                    fresh: bool = False) -> PeriodEvaluation:
    """The whole plan evaluated at ``period`` as ``actor`` may see it, from the
    stored results (:mod:`.results`): the engine is not called here, except to
    fill a set missing or computed for another plan revision.

    Values of indicators not yet validated count only for those who may read
    drafts (their centre, the planning office, the OIV) or with
    ``include_drafts``; for others those indicators are *not computable*
    ("values not validated yet") and left out of the roll-up. The public
    (an anonymous ``actor``, or ``None``) sees certified values only:
    validated values count as not yet published ("values not certified yet").
    A caller that reads several periods passes ``data`` (:func:`plan_data`), so
    values, states and the stored sets are read once for all of them. ``fresh``:
    never a stale set (for the services, which check what they are about to write).
    """
    hit = _COMPILED.get(plan_id)
    if plan is None or compiled is None or hit is None or hit[1] is not plan \
            or hit[2] is not compiled:  # not this process's current copy: ask (one query)
        cached_plan, cached = compiled_plan(plan_id)
        if (plan is not None and plan is not cached_plan) or (
                compiled is not None and compiled is not cached):
            raise ValueError("evaluate_period reads the stored results of the effective plan")
        plan, compiled = cached_plan, cached
    if data is None:  # one period: the year ends it may read, and itself
        data = plan_data(plan_id, year_ends_only=True, also=period)
    # the same reader for every period a page shows: worked out once
    scope_key = ("scope", actor, include_drafts, id(plan))
    scope = data.memo.get(scope_key)
    if scope is None or scope[0] is not plan:
        scope = data.memo[scope_key] = (
            plan, results.scope_for(actor, plan, include_drafts=include_drafts))
    scope = scope[1]
    got = results.stored(plan_id=plan_id, periods=[period], scope=scope, plan=plan,
                         compiled=compiled, data=data,
                         revision=plan_revision(plan_id, compiled), fresh=fresh)[period.pk]
    return PeriodEvaluation(period, plan, got.evaluation,
                            data.states.get(period.pk, {}), got.hidden, got.stale,
                            got.computed_at)


def evaluate_indicator(*, plan_id: int, period: mm.Period, code: str,
                       include_drafts: bool = False, actor: Actor | None = None,
                       plan: core.Plan | None = None, fresh: bool = False
                       ) -> IndicatorResult | None:
    ev = evaluate_period(plan_id=plan_id, period=period, actor=actor,
                         include_drafts=include_drafts, plan=plan, fresh=fresh)
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
    plan = stored_plan(plan_id)
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
    plan = stored_plan(plan_id)
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
    #: the planning office: targets the engine cannot read, waiting for a revision
    to_revise: list[TargetToRevise] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.to_fill or self.to_validate or self.to_certify or self.to_revise)


@dataclass(frozen=True)
class TargetToRevise:
    """A plan year's target the engine cannot read (or reads only in part): the indicator
    is not scored that year until the planning office records a revision encoding it."""

    code: str
    name: str
    year: int
    text: str
    #: why it cannot be read (the engine's message, in the reader's language when shown)
    reason: Message
    #: the year-end period of that year: its values page has the revision form
    period: mm.Period | None


def targets_to_revise(plan_id: int) -> list[TargetToRevise]:
    """Every plan year's target that the engine cannot score as written, revisions applied
    (a recorded revision that reads leaves the list)."""
    plan, compiled = compiled_plan(plan_id)
    year_end = {p.year: p for p in mm.Period.objects.filter(
        plan_id=plan_id, kind=PeriodKind.YEAR_END)}
    out = []
    for spec in sorted(compiled.specs, key=lambda s: core.code_sort_key(s.code)):
        for year, why in sorted(spec.target_errors.items()):
            if year in plan.years:
                out.append(TargetToRevise(spec.code, spec.name, year,
                                          plan.indicator(spec.code).targets.get(year, ""),
                                          why, year_end.get(year)))
    return out


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
    validate, and targets the engine cannot read, to revise; the OIV: validated values
    to certify. The permission is the
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
        may_validate=may_validate, may_certify=may_certify,
        to_revise=targets_to_revise(plan_id) if may_validate else [])


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
    #: the whole plan at that period, as the reader may see it (for the derivation)
    evaluation: PeriodEvaluation | None = None


def indicator_figures(*, plan_id: int, code: str, actor: Actor | None) -> list[PeriodFigure]:
    """Every measured period of the indicator (not the baseline), oldest first.

    The figures are the engine's, as ``actor`` may see them: values not yet
    validated are hidden from those who may not read drafts.
    """
    out: list[PeriodFigure] = []
    plan, compiled = compiled_plan(plan_id)
    if code not in {i.code for i in plan.indicators}:
        return out
    data = plan_data(plan_id)
    for period in data.periods:
        if period.kind == PeriodKind.BASELINE or period.year not in plan.indicator(code).targets:
            continue
        ev = evaluate_period(plan_id=plan_id, period=period, actor=actor, plan=plan,
                             compiled=compiled, data=data)
        r = ev.evaluation.indicators.get(code)
        out.append(PeriodFigure(period, ev.states.get(code, State.DRAFT),
                                r if isinstance(r, IndicatorResult) else None,
                                code in ev.hidden, (code, period.pk) in data.demo, ev))
    return out


def certified_records(*, plan_id: int, code: str, unit: str) -> list[dict[str, Any]]:
    """Every certification of ``code`` (in force and reopened), newest first, display-ready:
    the figure as certified, the inputs it was computed from, who and when. Certified
    figures are public: every reader sees them."""
    out = []
    for rec in mm.CertifiedRecord.objects.filter(
            plan_id=plan_id, indicator_code=code).select_related("period").order_by(
            "-certified_at", "-pk"):
        # the unit the record froze: the one in force in its year
        value, achievement = display_record(rec.result, rec.formula.get("unit", unit))
        out.append({"period": rec.period, "value": value, "achievement": achievement,
                    "target": rec.target, "inputs": rec.inputs,
                    "certified_at": rec.certified_at, "certified_by": rec.certified_by,
                    "superseded_at": rec.superseded_at, "superseded_by": rec.superseded_by,
                    "superseded_reason": rec.superseded_reason})
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
    plan = stored_plan(plan_id)
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


@dataclass(frozen=True)
class CertifiedFigure:
    """An indicator's figure as the OIV certified it (its :class:`~mm.CertifiedRecord`):
    what the public pages, the public report and the open data show."""

    code: str
    #: the value as the engine gave it: Decimal, bool, or None (not measured/computable)
    value: Decimal | bool | None
    #: the value for people (Italian format; a growth with its change)
    shown: str
    achievement: Decimal | None
    met: bool | None
    status: str
    outcome: str
    #: why there is no achievement: a message (it reads in the reader's language), or
    #: the text of a record stored before messages were kept as such
    reason: Message | str
    #: the target text in force when certified (original or revised)
    target: str

    @classmethod
    def of_record(cls, rec: mm.CertifiedRecord, unit: str) -> CertifiedFigure:
        r = rec.result
        raw = r.get("value")
        value = raw if isinstance(raw, bool) else (
            Decimal(str(raw)) if isinstance(raw, str | int | float) else None)
        ach = r.get("achievement")
        return cls(code=rec.indicator_code, value=value,
                   shown=display_record(r, unit)[0],
                   achievement=Decimal(str(ach)) if ach is not None else None,
                   met=r.get("met"), status=str(r.get("status") or "not_available"),
                   outcome=str(r.get("outcome") or ""), reason=_reason(r.get("reason")),
                   target=rec.target)

    @classmethod
    def of_result(cls, r: IndicatorResult, unit: str) -> CertifiedFigure:
        """A certified state without a record (data written around the services): the
        stored public figure, computed from the certified values."""
        value = r.value if isinstance(r.value, Decimal | bool) else None
        return cls(code=r.code, value=value, shown=display_value(r, unit),
                   achievement=r.achievement, met=r.met, status=r.status.value,
                   outcome=r.outcome.value, reason=r.reason or "",
                   target=r.target.text if r.target else "")


def _reason(stored: object) -> Message | str:
    """A record's reason: a message stored as ``{"template", "params"}``, or text."""
    if isinstance(stored, dict) and "template" in stored:
        return Message.from_json(stored)
    return str(stored or "")


#: what showing a certified figure reads of its record (``CertifiedFigure.of_record``)
FIGURE_FIELDS = ("period", "indicator_code", "result", "target", "certified_at")


def active_records(plan_id: int, period: mm.Period | None = None, *,
                   figures_only: bool = False) -> dict[tuple[str, int], mm.CertifiedRecord]:
    """(indicator code, period id) -> the certification in force (of ``period`` only, if
    given): one query. ``figures_only``: only what showing the figure reads (not the
    inputs, formula and bands it was computed from)."""
    rows = mm.CertifiedRecord.objects.filter(plan_id=plan_id, superseded_at=None)
    if period is not None:
        rows = rows.filter(period=period)
    if figures_only:
        rows = rows.only(*FIGURE_FIELDS)
    return {(r.indicator_code, r.period_id): r for r in rows.order_by("certified_at", "pk")}


def public_figures(pe: PeriodEvaluation) -> dict[str, CertifiedFigure]:
    """indicator code -> its figure as certified, for every indicator the public sees in
    ``pe`` (a public evaluation): the record in force, else (a certified state with no
    record: data written around the services) the stored public figure."""
    records = active_records(pe.period.plan_id, pe.period)
    units = {i.code: i.unit for i in pe.plan.indicators}
    out: dict[str, CertifiedFigure] = {}
    for code, state in pe.states.items():
        if state is not State.CERTIFIED or code in pe.hidden:
            continue
        rec = records.get((code, pe.period.pk))
        if rec is not None:
            out[code] = CertifiedFigure.of_record(rec, units.get(code, ""))
        elif isinstance(r := pe.evaluation.indicators.get(code), IndicatorResult):
            out[code] = CertifiedFigure.of_result(r, units.get(code, ""))
    return out

