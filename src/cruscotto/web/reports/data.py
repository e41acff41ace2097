"""The data of a report: the annual *Relazione sulla Performance* or an interim monitoring.

:func:`build_report` reads the stored plan and values through the measurement
selectors, as one reader may see them, and returns plain data. Every figure is
the engine's (:class:`~cruscotto.core.rollup.PlanEvaluation` and its
:class:`~cruscotto.core.scoring.IndicatorResult`), never recomputed here; the
renderers (HTML/PDF, DOCX, XLSX) only format what this module returns.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db.models import Count, Max, Q
from django.utils.translation import gettext as _

from cruscotto.core.findings import Finding
from cruscotto.core.lint import lint_plan
from cruscotto.core.rollup import NodeScore, code_key
from cruscotto.core.scoring import IndicatorResult, Outcome, Status, assess
from cruscotto.core.targets import is_percent_unit
from cruscotto.core.values import NotComputable, Value
from cruscotto.core.workflow import Actor, State, can_read_drafts, public_states
from cruscotto.io.evaluation_out import display_value, italian_numbers, working_text
from cruscotto.web import display
from cruscotto.web.measurements import models as mm
from cruscotto.web.measurements import results
from cruscotto.web.measurements.choices import PeriodKind, StateChoices
from cruscotto.web.measurements.selectors import (
    compiled_plan,
    evaluate_period,
    public_figures,
)
from cruscotto.web.plans import models as pm
from cruscotto.web.plans.selectors import stored_plan

__all__ = ["Report", "ReportError", "build_report", "report_periods"]


class ReportError(Exception):
    """A report that cannot be made as asked (unknown year or period): says why."""


#: the one display module's label of a status (cruscotto.web.display)
status_label = display.status_label


def state_label(state: str) -> str:
    return str(StateChoices(state).label)


def percent_text(achievement: Decimal | None) -> str:
    """An achievement (0-100) the Italian way: ``92,5%``; ``—`` when there is none."""
    return display.percent(achievement, missing="—")


def date_text(d: datetime.date | None) -> str:
    return d.strftime("%d/%m/%Y") if d else "—"


@dataclass(frozen=True)
class IndicatorRow:
    code: str
    name: str
    unit: str
    centres: tuple[str, ...]
    #: the target in force for the year (revised, where it was), as written
    target: str
    #: the plan's original target, when a revision replaced it
    original_target: str
    #: the engine's value: Decimal, bool, NotMeasured, NotComputable
    value: Value
    value_text: str
    #: the value is a fraction shown as a percentage (``0,925`` → ``92,5%``)
    percent: bool
    achievement: Decimal | None
    status: str
    outcome: str
    #: workflow state of the measurement
    state: str
    #: values not shown to this reader (not validated yet)
    hidden: bool
    #: the gap explanation of the measurement ("" when none)
    gap_note: str
    #: the engine's working (Italian), or why there is no figure
    explanation: str
    #: why there is no achievement ("" when scored)
    reason: str
    forecast: str = ""
    at_risk: bool = False

    @property
    def achievement_text(self) -> str:
        return percent_text(self.achievement)

    @property
    def status_text(self) -> str:
        return status_label(self.status)

    @property
    def state_text(self) -> str:
        return state_label(self.state)

    @property
    def published(self) -> bool:
        """Validated or certified: what a signed-in reader sees (``public_states``)."""
        return State(self.state) in public_states(Actor())

    @property
    def number(self) -> Decimal | None:
        """The value as a number for a spreadsheet (None for yes/no and no value)."""
        v = self.value
        return v if isinstance(v, Decimal) else None


@dataclass(frozen=True)
class NodeRow:
    code: str
    title: str
    achievement: Decimal | None
    status: str
    counted: int
    left_out: tuple[str, ...]
    #: the engine's weighted average with its numbers (Italian)
    working: str

    @property
    def achievement_text(self) -> str:
        return percent_text(self.achievement)

    @property
    def status_text(self) -> str:
        return status_label(self.status)


@dataclass(frozen=True)
class Section:
    """A strategic objective with its indicators."""

    node: NodeRow
    narrative: str
    missions: tuple[str, ...]
    indicators: tuple[IndicatorRow, ...]


@dataclass(frozen=True)
class CentreSection:
    node: NodeRow
    indicators: tuple[IndicatorRow, ...]


@dataclass(frozen=True)
class Revision:
    code: str
    name: str
    year: int
    previous: str
    revised: str
    justification: str
    revised_on: datetime.date


@dataclass(frozen=True)
class Report:
    organisation: str
    plan_title: str
    plan_key: str
    year: int
    #: the period's date (31/12 for the year end)
    period_date: datetime.date
    interim: bool
    #: the workflow states whose values the figures include
    states_included: tuple[str, ...]
    #: values not validated yet count only for the reader's own centres
    drafts_of_own_centres_only: bool
    #: the last change of any value or measurement of the period
    data_date: datetime.date | None
    generated_on: datetime.date
    is_demo: bool
    organisation_node: NodeRow
    status_counts: tuple[tuple[str, int], ...]
    missions: tuple[NodeRow, ...]
    strategic: tuple[NodeRow, ...]
    sections: tuple[Section, ...]
    centres: tuple[CentreSection, ...]
    revisions: tuple[Revision, ...]
    findings: tuple[Finding, ...]
    #: indicators without an achievement (not measured, not computable, no target)
    not_scored: tuple[IndicatorRow, ...]
    #: indicators whose values are not validated or certified yet
    not_validated: tuple[IndicatorRow, ...]
    at_risk: tuple[IndicatorRow, ...] = field(default=())

    @property
    def indicators(self) -> tuple[IndicatorRow, ...]:
        seen: dict[str, IndicatorRow] = {}
        for s in self.sections:
            for r in s.indicators:
                seen.setdefault(r.code, r)
        return tuple(sorted(seen.values(), key=lambda r: code_key(r.code)))

    @property
    def title(self) -> str:
        if self.interim:
            return _("Monitoraggio intermedio al %(date)s") % {
                "date": date_text(self.period_date)}
        return _("Relazione sulla Performance %(year)s") % {"year": self.year}

    @property
    def period_text(self) -> str:
        return date_text(self.period_date)

    @property
    def data_date_text(self) -> str:
        return date_text(self.data_date)

    @property
    def generated_text(self) -> str:
        return date_text(self.generated_on)

    @property
    def basis_text(self) -> str:
        states = ", ".join(state_label(s) for s in self.states_included)
        if self.drafts_of_own_centres_only:
            return _("Valori inclusi: stati %(states)s (quelli non ancora validati solo per "
                     "gli indicatori dei propri centri); dati aggiornati al %(date)s.") % {
                "states": states, "date": self.data_date_text}
        return _("Valori inclusi: stati %(states)s; dati aggiornati al %(date)s.") % {
            "states": states, "date": self.data_date_text}


def report_periods(plan_id: int) -> list[mm.Period]:
    """The periods a report can be made for: year ends and interim dates, by date."""
    return list(mm.Period.objects.filter(plan_id=plan_id).exclude(
        kind=PeriodKind.BASELINE).order_by("end_date"))


def _period(plan_id: int, year: int, date: datetime.date | None) -> mm.Period:
    periods = report_periods(plan_id)
    if date is None:
        found = [p for p in periods if p.year == year and p.kind == PeriodKind.YEAR_END]
        if not found:
            years = sorted({p.year for p in periods})
            raise ReportError(_("Nessun periodo di fine anno per il %(year)s; anni "
                                "disponibili: %(years)s") % {
                "year": year, "years": ", ".join(map(str, years)) or "—"})
        return found[0]
    found = [p for p in periods if p.end_date == date]
    if not found or found[0].year != year:
        dates = ", ".join(date_text(p.end_date) for p in periods if p.year == year)
        raise ReportError(_("Nessun periodo al %(date)s nell'anno %(year)s; periodi "
                            "disponibili: %(dates)s") % {
            "date": date_text(date), "year": year, "dates": dates or "—"})
    return found[0]


def _reason(r: IndicatorResult | None, hidden: bool, year: int) -> str:
    if hidden:
        return _("valori non ancora validati")
    if r is None:
        return _("nessun risultato")
    if r.outcome is Outcome.SCORED:
        return ""
    if r.outcome is Outcome.NO_TARGET:
        return _("nessun target per il %(year)s") % {"year": year}
    if r.outcome is Outcome.NOT_MEASURED:
        missing = ", ".join(f"{n} ({y})" for n, y in r.missing)
        return _("non misurato: mancano %(inputs)s") % {"inputs": missing}
    why = r.reason.removeprefix("not computable: ")
    return _("non calcolabile: %(why)s") % {"why": italian_numbers(why)}


_NUMBER = re.compile(r"^\s*([-+]?[\d.]*\d(?:,\d+)?)\s*(%?)\s*$")


def forecast_value(text: str, unit: str) -> Decimal | bool | None:
    """A forecast written as a number (``1.234,5``, ``85%``) or yes/no; None otherwise."""
    t = text.strip().casefold()
    if t in ("sì", "si", "yes"):
        return True
    if t == "no":
        return False
    m = _NUMBER.match(text)
    if not m:
        return None
    try:
        n = Decimal(m.group(1).replace(".", "").replace(",", "."))
    except InvalidOperation:
        return None
    if m.group(2) or (is_percent_unit(unit) and abs(n) > 1):
        n = n / 100
    return n


def _at_risk(r: IndicatorResult | None, forecast: str, unit: str) -> bool:
    """Current status red or yellow, or a forecast the target's rule finds not met."""
    if r is None:
        return False
    if r.status in (Status.RED, Status.YELLOW):
        return True
    value = forecast_value(forecast, unit) if forecast else None
    if value is None or r.target is None:
        return False
    a = assess(r.target, value, previous=r.previous.value if r.previous else None)
    return a.met is False


def build_report(*, plan_key: str, year: int, date: datetime.date | None = None,
                 actor: Actor | None = None, include_drafts: bool = False,
                 today: datetime.date | None = None) -> Report:
    """The report of ``plan_key`` for ``year`` (or its interim ``date``) as ``actor`` sees it.

    Values not validated yet count only for readers who may see drafts (their
    centre, the planning office, the OIV) or with ``include_drafts``; they are
    listed in the data-quality annex either way.
    """
    db_plan = pm.Plan.objects.get(key=plan_key)
    period = _period(db_plan.pk, year, date)
    plan, compiled = compiled_plan(db_plan.pk)
    original = stored_plan(db_plan.pk)
    pe = evaluate_period(plan_id=db_plan.pk, period=period, actor=actor,
                         include_drafts=include_drafts, plan=plan, compiled=compiled)
    ev = pe.evaluation
    measurements = {m.indicator.code: m for m in mm.Measurement.objects.filter(
        period=period).select_related("indicator")}
    interim = period.kind == PeriodKind.INTERIM
    # the public report shows each figure as the OIV certified it (its record)
    certified = public_figures(pe) if results.scope_for(
        actor, plan, include_drafts=include_drafts) is results.PUBLIC else {}

    rows: dict[str, IndicatorRow] = {}
    for ind in plan.indicators:
        r = ev.indicators.get(ind.code)
        res = r if isinstance(r, IndicatorResult) else None
        fig = certified.get(ind.code)
        hidden = ind.code in pe.hidden
        m = measurements.get(ind.code)
        state = pe.states.get(ind.code, State.DRAFT).value
        value: Value = res.value if res is not None else NotComputable("no result")
        forecast = m.forecast if m is not None and not hidden else ""
        scored = res is not None and res.outcome is Outcome.SCORED and not hidden
        rows[ind.code] = IndicatorRow(
            code=ind.code, name=ind.name, unit=ind.unit, centres=tuple(ind.centres),
            target=fig.target if fig is not None else ind.targets.get(year, ""),
            original_target=(original.indicator(ind.code).targets.get(year, "")
                             if original.indicator(ind.code).targets.get(year)
                             != ind.targets.get(year) else ""),
            value=value,
            value_text=(fig.shown if fig is not None else display_value(res, ind.unit)
                        if res is not None and not hidden else "—"),
            percent=is_percent_unit(ind.unit) and not (
                res is not None and res.target is not None and res.target.needs_previous),
            achievement=(fig.achievement if fig is not None
                         else res.achievement if res is not None else None),
            status=(fig.status if fig is not None else res.status.value if res is not None
                    else Status.NOT_AVAILABLE.value),
            outcome=(fig.outcome if fig is not None else res.outcome.value if res is not None
                     else Outcome.NOT_COMPUTABLE.value),
            state=state, hidden=hidden,
            gap_note=(m.gap_explanation if m is not None and not hidden else ""),
            explanation=working_text(res) if scored and res is not None else "",
            reason=_reason(res, hidden, year),
            forecast=forecast,
            at_risk=interim and not hidden and _at_risk(res, forecast, ind.unit),
        )

    def node(n: NodeScore, title: str) -> NodeRow:
        return NodeRow(code=n.code, title=title, achievement=n.achievement,
                       status=n.status.value, counted=len(n.counted),
                       left_out=tuple(lo.indicator for lo in n.left_out),
                       working=(italian_numbers(n.working) if n.achievement is not None
                                else _("nessun indicatore con un grado di raggiungimento")))

    org = node(ev.organisation, plan.organisation.name)
    missions = tuple(node(n, plan.mission(code).name) for code, n in ev.missions.items())
    strategic = tuple(node(n, plan.strategic(code).title) for code, n in ev.strategic.items())
    sections = []
    for s_row in strategic:
        so = plan.strategic(s_row.code)
        codes = sorted((i.code for i in plan.indicators if i.strategic_code == so.code),
                       key=code_key)
        sections.append(Section(s_row, so.narrative, tuple(so.mission_codes),
                                tuple(rows[c] for c in codes)))
    centres = tuple(
        CentreSection(node(n, code), tuple(rows[c] for c in sorted(
            (i.code for i in plan.indicators if code in i.centres), key=code_key)))
        for code, n in ev.centres.items())
    counts: dict[str, int] = {s.value: 0 for s in Status}
    for r in rows.values():
        counts[r.status if not r.hidden else Status.NOT_AVAILABLE.value] += 1

    revisions = tuple(
        Revision(code=t.indicator.code, name=t.indicator.name, year=t.year,
                 previous=t.previous_text, revised=t.text, justification=t.justification,
                 revised_on=t.revised_on)
        for t in sorted(mm.TargetRevision.objects.filter(
            indicator__plan_id=db_plan.pk, year=year).select_related("indicator"),
            key=lambda t: (code_key(t.indicator.code), t.revised_at, t.pk)))

    ordered = sorted(rows.values(), key=lambda r: code_key(r.code))
    # the states this reader's figures count: the rule evaluate_period applies
    included = [s.value for s in State if s in public_states(actor)]
    readable = [include_drafts or (actor is not None and can_read_drafts(
        actor, centres=i.centres)) for i in plan.indicators]
    if any(readable):
        included = [State.DRAFT.value, State.RETURNED.value, State.SUBMITTED.value,
                    *included]
    values = mm.Value.objects.filter(period=period).aggregate(
        m=Max("updated_at"), demo=Count("pk", filter=Q(is_demo=True)))
    stamps = [x for x in (values["m"], *(m.updated_at for m in measurements.values()))
              if x is not None]
    return Report(
        organisation=plan.organisation.name, plan_title=plan.title, plan_key=plan_key,
        year=year, period_date=period.end_date, interim=interim,
        states_included=tuple(included),
        drafts_of_own_centres_only=any(readable) and not all(readable),
        data_date=max(stamps).date() if stamps else None,
        generated_on=today or datetime.date.today(),
        is_demo=any(m.is_demo for m in measurements.values()) or bool(values["demo"]),
        organisation_node=org,
        status_counts=tuple((s.value, counts[s.value]) for s in Status),
        missions=missions, strategic=strategic, sections=tuple(sections), centres=centres,
        revisions=revisions, findings=tuple(lint_plan(plan)),
        not_scored=tuple(r for r in ordered if r.achievement is None),
        not_validated=tuple(r for r in ordered if not r.published),
        at_risk=tuple(r for r in ordered if r.at_risk),
    )

