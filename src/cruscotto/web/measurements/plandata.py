"""A plan as the engine reads it, and every period's values and states: read once.

``compiled_plan`` keeps the effective plan (targets as revised) and its compiled
form per plan revision in this process; ``plan_data`` fetches every period of a
plan with its workflow states and values in three queries, and keeps them in this
process per plan revision and *data token* (:mod:`.datatoken`): one query when
nothing changed. The selectors
(:mod:`.selectors`) and the stored results (:mod:`.results`) both read through
here (docs/read-path.md).
"""

from __future__ import annotations

import copy
import threading
from collections import OrderedDict
from dataclasses import dataclass, field, replace
from typing import Any

from django.db.models import F, Q

from cruscotto.core import plan as core
from cruscotto.core.evaluation import CompiledPlan, compile_plan, indicator_inputs
from cruscotto.core.findings import Finding
from cruscotto.core.lint import lint_plan
from cruscotto.core.workflow import State
from cruscotto.web.measurements import datatoken
from cruscotto.web.measurements import models as mm
from cruscotto.web.measurements.choices import PeriodKind
from cruscotto.web.plans import models as pm
from cruscotto.web.plans.selectors import stored_plan

__all__ = ["PlanData", "compiled_of", "compiled_plan", "effective_plan", "plan_data",
           "plan_findings", "plan_reads", "plan_revision"]


#: plan id -> (revision, effective plan, compiled plan): this process's copy
_COMPILED: dict[int, tuple[str, core.Plan, CompiledPlan]] = {}


def compiled_plan(plan_id: int) -> tuple[core.Plan, CompiledPlan]:
    """The effective plan (targets as revised) and its compiled form, read and
    compiled once per plan revision in this process: one query when unchanged.

    ``Plan.revision`` changes with every change of the plan's content in the
    same transaction (``plans.signals``), so a reader never gets an old plan.
    Callers must not change the objects returned (they are shared).
    """
    revision = pm.Plan.objects.filter(pk=plan_id).values_list("revision", flat=True).get()
    hit = _COMPILED.get(plan_id)
    if hit is not None and hit[0] == revision:
        return hit[1], hit[2]
    plan = _read_effective_plan(plan_id)
    compiled = compile_plan(plan)
    _COMPILED[plan_id] = (revision, plan, compiled)
    return plan, compiled


#: plan id -> (compiled plan, indicator code -> the inputs it reads): per plan revision
_READS: dict[int, tuple[CompiledPlan, dict[str, frozenset[str]]]] = {}


def plan_reads(plan_id: int) -> dict[str, frozenset[str]]:
    """indicator code -> every input its formula and measures read
    (:func:`~cruscotto.core.evaluation.indicator_inputs`), worked out once per plan
    revision in this process: one query when unchanged. Shared: callers never change it."""
    plan, compiled = compiled_plan(plan_id)
    hit = _READS.get(plan_id)
    if hit is not None and hit[0] is compiled:
        return hit[1]
    reads = {c: frozenset(n) for c, n in indicator_inputs(plan).items()}
    _READS[plan_id] = (compiled, reads)
    return reads


#: plan id -> (compiled plan, the lint's findings of the effective plan)
_FINDINGS: dict[int, tuple[CompiledPlan, tuple[Finding, ...]]] = {}


def plan_findings(plan_id: int, plan: core.Plan | None = None) -> tuple[Finding, ...]:
    """The lint's findings about the effective plan (:func:`~cruscotto.core.lint.lint_plan`),
    worked out once per plan revision in this process: one query when unchanged, none
    when ``plan`` is the effective plan :func:`compiled_plan` returned."""
    compiled = compiled_of(plan_id, plan)
    plan = _COMPILED[plan_id][1] if _COMPILED.get(plan_id, (None, None, None))[2] \
        is compiled else compiled_plan(plan_id)[0]
    hit = _FINDINGS.get(plan_id)
    if hit is not None and hit[0] is compiled:
        return hit[1]
    findings = tuple(lint_plan(plan))
    _FINDINGS[plan_id] = (compiled, findings)
    return findings


def compiled_of(plan_id: int, plan: core.Plan | None) -> CompiledPlan:
    """The compiled form of ``plan``, the effective plan :func:`compiled_plan` returned:
    no query when it is this process's current copy (else :func:`compiled_plan`)."""
    hit = _COMPILED.get(plan_id)
    if plan is not None and hit is not None and hit[1] is plan:
        return hit[2]
    return compiled_plan(plan_id)[1]


def plan_revision(plan_id: int, compiled: CompiledPlan) -> str:
    """The revision ``compiled`` (from :func:`compiled_plan`) was compiled for: no query
    when it is this process's current copy."""
    hit = _COMPILED.get(plan_id)
    if hit is not None and hit[2] is compiled:
        return hit[0]
    return str(pm.Plan.objects.filter(pk=plan_id).values_list("revision", flat=True).get())


def effective_plan(plan_id: int) -> core.Plan:
    """The stored plan with every target revision applied (the latest per year);
    shared, read-only (see :func:`compiled_plan`)."""
    return compiled_plan(plan_id)[0]


def _read_effective_plan(plan_id: int) -> core.Plan:
    plan = copy.deepcopy(stored_plan(plan_id))  # the stored copy is shared: never changed
    revisions = mm.TargetRevision.objects.filter(indicator__plan_id=plan_id).order_by(
        "revised_at", "pk").values_list("indicator__code", "year", "text")
    latest: dict[tuple[str, int], str] = {}
    for code, year, text in revisions:
        latest[(code, year)] = text
    for (code, year), text in latest.items():
        ind = plan.indicator(code)
        if ind.targets.get(year) != text:
            # a structured reading is of the text it was set beside, not of a revision
            ind.readings.pop(year, None)
        ind.targets[year] = text
    return plan


def _carried(plan_id: int) -> Q:
    """The year-end values of the plan ``plan_id`` was rolled from, for the years
    before its first year: a rolled plan's first-year growth targets compare with
    the previous plan's last year (its own baseline's values win where entered)."""
    return Q(period__plan__successors__id=plan_id, period__kind=PeriodKind.YEAR_END,
             period__year__lt=F("period__plan__successors__first_year"))


@dataclass(frozen=True)
class PlanData:
    """Every period of a plan with its workflow states and values, fetched at once
    (three queries, whatever the plan's size and number of periods), for a page
    that evaluates several periods."""

    periods: list[mm.Period]
    #: period id -> indicator code -> state
    states: dict[int, dict[str, State]]
    #: period id -> variable -> value as the engine reads it
    values: dict[int, dict[str, Any]]
    #: (indicator code, period id) of demonstration data
    demo: frozenset[tuple[str, int]]
    #: (variable, year) -> the year-end value of the plan this one was rolled from
    carried: dict[tuple[str, int], Any] = field(default_factory=dict)
    #: what one reader of these data worked out once (scopes, stored sets read): new
    #: for each caller of :func:`plan_data`
    memo: dict[Any, Any] = field(default_factory=dict, compare=False, repr=False)
    #: digests of these data (``results.stamp``), shared by every reader of the same
    #: data in this process; each entry keeps the object it digests and is used only
    #: while that object is still the one read (a copy with other values, as
    #: ``dataclasses.replace`` makes, digests its own)
    digests: dict[Any, Any] = field(default_factory=dict, compare=False, repr=False)

    def inputs(self, period: mm.Period) -> dict[tuple[str, int], Any]:
        """As :func:`inputs_for`: the period's own values, earlier years' year ends."""
        use = {p.year: p.pk for p in self.periods
               if p.kind in (PeriodKind.YEAR_END, PeriodKind.BASELINE) and p.year != period.year}
        use[period.year] = period.pk
        own = {(variable, year): data for year, pid in use.items()
               for variable, data in self.values.get(pid, {}).items()}
        if not self.carried:
            return own
        return {**{k: v for k, v in self.carried.items() if k[1] != period.year}, **own}


#: a workflow state by its stored value (a look-up, not an enum call per row)
_STATES = {s.value: s for s in State}


#: (plan id, year ends only, the other period read) -> (revision, data token, data):
#: the last data read in this process, newest last
_DATA: OrderedDict[tuple[int, bool, int | None], tuple[str, str, PlanData]] = OrderedDict()
#: how many of them are kept (a few plans, a few interim periods each)
DATA_KEPT = 48
#: a threaded server shares them between threads
_DATA_LOCK = threading.Lock()


def plan_data(plan_id: int, *, year_ends_only: bool = False,
              also: mm.Period | None = None) -> PlanData:
    """Every period of the plan with its states and values. With
    ``year_ends_only``, only the year ends and the baseline (a page of plan years:
    the dashboard, the objective and centre pages, the public plan page), and
    ``also`` if given (one period evaluated): what evaluating those reads, without
    the other interim dates' rows.

    One query when this process read them before and neither the plan's revision
    nor its data token (:mod:`.datatoken`, changed by the database with every write
    of a period, state or value of the plan or of the plan it was rolled from) has
    changed since; else four. The token is read first: data newer than their token
    can be kept under it, never older. Each call returns its own ``memo``; the rest
    is shared: callers never change it."""
    tokens = datatoken.read(plan_id)
    key = (plan_id, year_ends_only, also.pk if year_ends_only and also is not None else None)
    with _DATA_LOCK:
        hit = _DATA.get(key)
        if tokens is not None and hit is not None and hit[:2] == tokens:
            _DATA.move_to_end(key)
            return replace(hit[2], memo={})
    data = _read_data(plan_id, year_ends_only=year_ends_only, also=also)
    if tokens is not None:
        with _DATA_LOCK:
            _DATA[key] = (*tokens, data)
            _DATA.move_to_end(key)
            while len(_DATA) > DATA_KEPT:
                _DATA.popitem(last=False)
    return replace(data, memo={})


def _read_data(plan_id: int, *, year_ends_only: bool, also: mm.Period | None) -> PlanData:
    periods = mm.Period.objects.filter(plan_id=plan_id)
    measurements = mm.Measurement.objects.filter(indicator__plan_id=plan_id)
    values_of = Q(period__plan_id=plan_id)
    if year_ends_only:
        kinds = (PeriodKind.YEAR_END, PeriodKind.BASELINE)
        extra = [also.pk] if also is not None else []
        periods = periods.filter(Q(kind__in=kinds) | Q(pk__in=extra))
        measurements = measurements.filter(Q(period__kind__in=kinds) | Q(period_id__in=extra))
        values_of &= Q(period__kind__in=kinds) | Q(period_id__in=extra)
    period_list = list(periods.order_by("end_date"))
    states: dict[int, dict[str, State]] = {p.pk: {} for p in period_list}
    demo: set[tuple[str, int]] = set()
    for code, pid, state, is_demo in measurements.values_list(
            "indicator__code", "period_id", "state", "is_demo"):
        states[pid][code] = _STATES[state]
        if is_demo:
            demo.add((code, pid))
    values: dict[int, dict[str, Any]] = {p.pk: {} for p in period_list}
    carried: dict[tuple[str, int], Any] = {}
    for pid, year, variable, number, yes_no in mm.Value.objects.filter(
            values_of | _carried(plan_id)).values_list(
            "period_id", "period__year", "variable", "number", "yes_no"):
        value = yes_no if yes_no is not None else number
        if pid in values:
            values[pid][variable] = value
        else:
            carried[(variable, year)] = value
    return PlanData(period_list, states, values, frozenset(demo), carried)
