"""Certification freezes a figure: the record, and the guard every write passes.

Certifying (``services.do_certify``) stores a :class:`~.models.CertifiedRecord`:
the indicator's result for the period and exactly what it was computed from —
every ``(variable, year)`` the engine reads for it (the previous year's values
a growth target compares with included), with the period each came from, its
value and its version; the target text in force (original or revised); the
formula and measures; the status bands.

:func:`guard` runs inside every write transaction that could move a figure
(values from the pages, the API, CSV/XLSX uploads, baseline values; target
revisions; admin edits of the plan's rows; a plan re-import; period changes).
It compares each active record with the state after the write and raises
:class:`CertifiedChange` naming every certified figure that would change and
why: the transaction rolls back, nothing is written. The planning office first
reopens the figure with a reason (``services.do_reopen``: the record is
marked superseded and stays in the indicator's history), then it must be
certified again.

:func:`check_validated` protects a *validated* figure the same way against a
value written by a person of another centre (a variable shared by two
centres' indicators, or a year another centre's growth target reads).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from cruscotto.core import plan as core
from cruscotto.core.evaluation import CompiledPlan
from cruscotto.core.messages import Message
from cruscotto.core.values import VarKey
from cruscotto.core.workflow import Actor, Role, State, WorkflowError
from cruscotto.web.measurements import models as mm
from cruscotto.web.measurements.choices import PeriodKind
from cruscotto.web.measurements.selectors import _carried, compiled_plan, evaluate_period
from cruscotto.web.plans.signals import ChangeRefused

__all__ = ["CertifiedChange", "check_validated", "guard", "record", "supersede"]


class CertifiedChange(WorkflowError, ChangeRefused):
    """A write refused because it would change a certified (or another centre's
    validated) figure; the text names the figures and what would change."""


_text = mm.stored_text


def _sources(plan_id: int, period: mm.Period,
             ends: dict[int, int]) -> dict[int, int]:
    """year -> the period whose values evaluating ``period`` reads (as ``inputs_for``)."""
    use = {y: pk for y, pk in ends.items() if y != period.year}
    use[period.year] = period.pk
    return use


def _year_ends(plan_id: int) -> dict[int, int]:
    return dict(mm.Period.objects.filter(
        plan_id=plan_id, kind__in=(PeriodKind.YEAR_END, PeriodKind.BASELINE)).values_list(
        "year", "pk"))


def _reads(compiled: CompiledPlan, code: str, year: int) -> frozenset[VarKey]:
    try:
        return compiled.spec(code).needs(year)
    except KeyError:
        return frozenset()


def _formula(plan: core.Plan, code: str, year: int) -> dict[str, Any] | None:
    """The definition in force in ``year`` (an indicator's formula may change from a year on)."""
    try:
        d = plan.indicator(code).in_force(year)
    except KeyError:
        return None
    return {"formula": d.formula, "measures": dict(sorted(d.measures.items())),
            # how the value is read against the target (percent or not; at least/at most)
            "unit": d.unit, "polarity": d.polarity.value if d.polarity else ""}


def _bands(plan: core.Plan) -> dict[str, str]:
    return {"green": _text(plan.bands.green), "yellow": _text(plan.bands.yellow)}


def _target(plan: core.Plan, code: str, year: int) -> str:
    try:
        return plan.indicator(code).targets.get(year, "")
    except KeyError:
        return ""


def _values(plan_id: int, wanted: set[tuple[int, str]]) -> dict[tuple[int, str], mm.Value]:
    """(period id, variable) -> the stored value, for ``wanted``: one query."""
    if not wanted:
        return {}
    variables = {v for _, v in wanted}
    return {(v.period_id, v.variable): v for v in mm.Value.objects.filter(
        period__plan_id=plan_id, variable__in=variables).only(
        "period_id", "variable", "number", "yes_no", "version")
        if (v.period_id, v.variable) in wanted}


def _carried_values(plan_id: int, reads: list[tuple[str, int]], first_year: int
                    ) -> dict[tuple[str, int], mm.Value]:
    """(variable, year) -> the previous plan's year-end value a rolled plan reads for a
    year before its first (as ``selectors.inputs_for``): one query, none when ``reads``
    has no such year."""
    early = {v for v, y in reads if y < first_year}
    if not early:
        return {}
    return {(v.variable, v.period.year): v for v in mm.Value.objects.filter(
        _carried(plan_id), variable__in=early).select_related("period").only(
        "period_id", "period__year", "variable", "number", "yes_no", "version")}


def _source_value(stored: dict[tuple[int, str], mm.Value],
                  carried: dict[tuple[str, int], mm.Value], variable: str, year: int,
                  pid: int | None) -> tuple[int | None, mm.Value | None]:
    """The period and the value an input is read from: the plan's own period where it
    holds the value, else the previous plan's year end (a rolled plan's first years)."""
    value = stored.get((pid, variable)) if pid is not None else None
    if value is None and (variable, year) in carried:
        value = carried[(variable, year)]
        return value.period_id, value
    return pid, value


def record(*, plan_id: int, period: mm.Period, code: str, user: Any) -> mm.CertifiedRecord:
    """Store what is certified: the figure and everything it was computed from."""
    plan, compiled = compiled_plan(plan_id)
    ev = evaluate_period(plan_id=plan_id, period=period, include_drafts=True,
                         plan=plan, compiled=compiled, fresh=True)
    result = ev.evaluation.indicators.get(code)
    sources = _sources(plan_id, period, _year_ends(plan_id))
    keys = sorted(_reads(compiled, code, period.year), key=lambda k: (k[1], k[0]))
    stored = _values(plan_id, {(sources[y], v) for v, y in keys if y in sources})
    carried = _carried_values(plan_id, keys, min(plan.years))
    inputs = []
    for variable, year in keys:
        pid, value = _source_value(stored, carried, variable, year, sources.get(year))
        inputs.append({"variable": variable, "year": year, "period": pid,
                       "value": _text(value.data) if value else "",
                       "version": value.version if value else 0})
    data = result.as_dict() if result is not None and hasattr(result, "as_dict") else {}
    if data and result is not None and result.reason is not None:
        # the reason as a message (template and parameters): read in the reader's language
        data["reason"] = (result.reason.to_json() if isinstance(result.reason, Message)
                          else str(result.reason))
    return mm.CertifiedRecord.objects.create(
        plan_id=plan_id, period=period, indicator_code=code, result=data,
        inputs=inputs, target=_target(plan, code, period.year),
        formula=_formula(plan, code, period.year) or {}, bands=_bands(plan),
        certified_by=getattr(user, "username", "") or str(user))


def supersede(*, period: mm.Period, code: str, user: Any, reason: str) -> int:
    """Mark the active record of ``code`` in ``period`` superseded (it stays in history)."""
    rows = list(mm.CertifiedRecord.objects.filter(
        period=period, indicator_code=code, superseded_at=None))
    for row in rows:
        row.superseded_at = timezone.now()
        row.superseded_by = getattr(user, "username", "") or str(user)
        row.superseded_reason = reason
        row.save(update_fields=["superseded_at", "superseded_by", "superseded_reason"])
    return len(rows)


def _figure(row: mm.CertifiedRecord) -> str:
    return f"{row.indicator_code} {row.period.year}" if row.period.kind != PeriodKind.INTERIM \
        else f"{row.indicator_code} {row.period.end_date:%d/%m/%Y}"


def guard(plan_id: int) -> None:
    """Refuse (raise :class:`CertifiedChange`) if the state now differs from what an
    active certified record of ``plan_id`` was computed from, or of a plan rolled from
    it (its first years' growth targets read this plan's year ends)."""
    rows = list(mm.CertifiedRecord.objects.filter(
        Q(plan_id=plan_id) | Q(plan__previous_id=plan_id), superseded_at=None
    ).select_related("period", "plan"))
    if not rows:
        return
    by_plan: dict[int, list[mm.CertifiedRecord]] = defaultdict(list)
    for row in rows:
        by_plan[row.plan_id].append(row)
    problems: list[str] = []
    for pid, plan_rows in by_plan.items():
        problems += _guard_plan(pid, plan_rows, later=pid != plan_id)
    if problems:
        raise CertifiedChange("; ".join(problems))


def _guard_plan(plan_id: int, rows: list[mm.CertifiedRecord], *, later: bool) -> list[str]:
    """What would move the figures ``rows`` of ``plan_id`` certify (``later``: a plan
    rolled from the one written, named in the refusal)."""
    plan, compiled = compiled_plan(plan_id)
    ends = _year_ends(plan_id)
    wanted: set[tuple[int, str]] = set()
    now_reads: dict[int, list[tuple[str, int, int | None]]] = {}
    for row in rows:
        sources = _sources(plan_id, row.period, ends)
        reads = [(v, y, sources.get(y)) for v, y in _reads(compiled, row.indicator_code,
                                                            row.period.year)]
        now_reads[row.pk] = reads
        wanted |= {(pid, v) for v, _, pid in reads if pid is not None}
        wanted |= {(i["period"], i["variable"]) for i in row.inputs if i["period"]}
    stored = _values(plan_id, wanted)
    carried = _carried_values(plan_id, [(v, y) for reads in now_reads.values()
                                        for v, y, _pid in reads], min(plan.years))
    problems: list[str] = []
    for row in rows:
        what: list[str] = []
        formula = _formula(plan, row.indicator_code, row.period.year)
        if formula is None:
            what.append(_("togliere l'indicatore dal piano"))
        else:
            if (formula["formula"], formula["measures"]) != (
                    row.formula.get("formula"), row.formula.get("measures")):
                what.append(_("modificare la formula"))
            if (formula["unit"], formula["polarity"]) != (
                    row.formula.get("unit"), row.formula.get("polarity")):
                what.append(_("modificare l'unità di misura o la polarità"))
        if _target(plan, row.indicator_code, row.period.year) != row.target:
            what.append(_("modificare il target %(year)s") % {"year": row.period.year})
        if _bands(plan) != row.bands:
            what.append(_("modificare le soglie del semaforo"))
        before = {(i["variable"], i["year"]): i for i in row.inputs}
        for variable, year, pid in now_reads[row.pk]:
            was = before.get((variable, year))
            _pid, value = _source_value(stored, carried, variable, year, pid)
            now = _text(value.data) if value is not None else ""
            # the value is what counts (a period created empty where none was changes nothing)
            if was is None or was["value"] != now:
                what.append(_("modificare il valore %(year)s di %(var)s") % {
                    "year": year, "var": variable})
        if what:
            figure = _figure(row)
            if later:
                figure = _("%(figure)s del piano %(plan)s") % {"figure": figure,
                                                              "plan": row.plan.key}
            problems.append(_("%(figure)s è certificato: riaprilo prima di %(what)s") % {
                "figure": figure, "what": ", ".join(dict.fromkeys(what))})
    return problems


def check_validated(*, plan_id: int, period: mm.Period, variables: set[str],
                    actor: Actor) -> None:
    """Refuse values of ``variables`` in ``period`` that a *validated* figure of a
    centre ``actor`` is not in reads (the planning office and administrators may)."""
    if not variables or actor.roles & {Role.PLANNING, Role.ADMIN}:
        return
    validated = list(mm.Measurement.objects.filter(
        indicator__plan_id=plan_id, state=State.VALIDATED).select_related("period").values_list(
        "indicator__code", "period_id", "period__year", "period__end_date", "period__kind"))
    if not validated:
        return
    plan, compiled = compiled_plan(plan_id)
    ends = _year_ends(plan_id)
    problems: dict[str, list[str]] = defaultdict(list)
    for code, pid, year, end, kind in validated:
        try:
            owners = plan.indicator(code).centres
        except KeyError:
            continue
        if actor.in_centres(owners):
            continue
        use = {y: p for y, p in ends.items() if y != year}
        use[year] = pid
        for variable, read_year in _reads(compiled, code, year):
            if variable in variables and use.get(read_year) == period.pk:
                figure = f"{code} {year}" if kind != PeriodKind.INTERIM \
                    else f"{code} {end:%d/%m/%Y}"
                problems[figure].append(_("il valore %(year)s di %(var)s") % {
                    "year": read_year, "var": variable})
    if problems:
        raise CertifiedChange("; ".join(
            _("%(figure)s è validato ed è di %(centres)s: chiedi al controllo di gestione di "
              "restituirlo prima di modificare %(what)s") % {
                "figure": figure, "what": ", ".join(dict.fromkeys(what)),
                "centres": ", ".join(plan.indicator(figure.split()[0]).centres)}
            for figure, what in problems.items()))


def on_plan_changed(sender: Any, *, plan_id: int, **kwargs: Any) -> None:
    """``plans.signals.plan_changed``: a plan's content changed; refuse if a certified
    figure would move."""
    guard(plan_id)
