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
from typing import NamedTuple

from django.db.models import Count, Max, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from cruscotto.core.findings import Finding
from cruscotto.core.piao import reference_name
from cruscotto.core.plan import Plan
from cruscotto.core.rollup import NodeScore, code_key
from cruscotto.core.scoring import IndicatorResult, Outcome, Status, assess
from cruscotto.core.targets import is_percent_unit
from cruscotto.core.values import NotComputable, Value
from cruscotto.core.workflow import Actor, Role, State, public_states
from cruscotto.io.evaluation_out import display_value, italian_numbers, working_text
from cruscotto.web import display
from cruscotto.web.measurements import models as mm
from cruscotto.web.measurements import results
from cruscotto.web.measurements.choices import PeriodKind
from cruscotto.web.measurements.plandata import plan_findings
from cruscotto.web.measurements.readings import readings_in_force
from cruscotto.web.measurements.selectors import (
    compiled_plan,
    evaluate_period,
    public_figures,
)
from cruscotto.web.plans import models as pm
from cruscotto.web.plans.selectors import stored_plan
from cruscotto.web.reports.narrative import Narrative, Text
from cruscotto.web.reports.narrative import current as narrative_for

__all__ = ["BASES", "Report", "ReportError", "allowed_bases", "build_report",
           "report_periods"]

#: the basis of a report: which values its figures count
CERTIFIED, VALIDATED, ALL = "certified", "validated", "all"
BASES = (CERTIFIED, VALIDATED, ALL)


def basis_actor(basis: str) -> Actor | None:
    """The reader whose view of the values a basis is (``None``: every state).

    The one visibility rule (:func:`~cruscotto.core.workflow.public_states`)
    decides what each basis counts: certified values are what the public sees,
    validated and certified what a signed-in reader without a centre sees.
    """
    if basis == CERTIFIED:
        return Actor.public()
    if basis == VALIDATED:
        return Actor()
    if basis == ALL:
        return None
    raise ReportError(_("Base %(basis)s sconosciuta: attesa una tra %(bases)s.") % {
        "basis": basis, "bases": ", ".join(BASES)})


def basis_states(basis: str) -> tuple[str, ...]:
    """The workflow states whose values a report on ``basis`` counts, in workflow order."""
    actor = basis_actor(basis)
    shown = set(State) if actor is None else public_states(actor)
    order = (State.DRAFT, State.RETURNED, State.SUBMITTED, State.VALIDATED, State.CERTIFIED)
    return tuple(s.value for s in (*order, *(s for s in State if s not in order))
                 if s in shown)


def allowed_bases(actor: Actor) -> tuple[str, ...]:
    """The bases ``actor`` may ask for: the public certified values only; signed-in
    readers validated ones too; who reads every centre's drafts (the planning office,
    the OIV, administrators) every state."""
    if actor.anonymous:
        return (CERTIFIED,)
    if Role.PLANNING in actor.roles or Role.OIV in actor.roles or Role.ADMIN in actor.roles:
        return BASES
    return (CERTIFIED, VALIDATED)


def basis_label(basis: str) -> str:
    return {CERTIFIED: _("valori certificati"),
            VALIDATED: _("valori validati e certificati"),
            ALL: _("tutti i valori, anche non ancora validati")}[basis]


def basis_slug(basis: str) -> str:
    """The basis in a file name (Italian in both languages: a stable name)."""
    return {CERTIFIED: "certificati", VALIDATED: "validati", ALL: "tutti"}[basis]


class ReportError(Exception):
    """A report that cannot be made as asked (unknown year or period): says why."""


#: the one display module's label of a status (cruscotto.web.display)
status_label = display.status_label


#: ... and of a measurement's workflow state
state_label = display.state_label


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
    #: why there is no achievement ("" when scored)
    reason: str
    forecast: str = ""
    at_risk: bool = False
    #: the scored result whose working :attr:`explanation` writes (None: not scored)
    explained: IndicatorResult | None = field(default=None, repr=False, compare=False)
    #: the report's language (the working is written in it)
    lang: str = "it"
    #: which reading of the target is in force, when not the text's own full reading
    #: (a published document: when it was set, not who)
    reading: str = ""

    @property
    def explanation(self) -> str:
        """The engine's working in the report's language (Italian numbers in Italian),
        written when read (the spreadsheet only)."""
        return working_text(self.explained, self.lang) if self.explained is not None else ""

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
    #: the engine's node, whose weighted average :attr:`working` writes (None: none)
    score: NodeScore | None = field(default=None, repr=False, compare=False)

    @property
    def working(self) -> str:
        """The engine's weighted average with its numbers (Italian numbers), written when
        read: no renderer shows it, and writing every node's terms was most of the
        report's time."""
        if self.achievement is None or self.score is None:
            return _("nessun indicatore con un grado di raggiungimento")
        return italian_numbers(self.score.working)

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
    #: the planning office's comment on the objective (the narrative), if written
    comment: Text | None = None


@dataclass(frozen=True)
class PublicValueSection:
    """A public value (valore pubblico, PIAO) with its references and its strategic
    objectives; its figure is the stored roll-up node above those objectives."""

    node: NodeRow
    description: str
    #: the BES domains and the SDGs it cites, each as "code name" in the report's language
    bes: tuple[str, ...]
    sdgs: tuple[str, ...]
    objectives: tuple[NodeRow, ...]


@dataclass(frozen=True)
class CentreSection:
    node: NodeRow
    indicators: tuple[IndicatorRow, ...]

    @property
    def codes(self) -> str:
        """The codes of the centre's indicators: ``1.1.1, 1.1.2``."""
        return ", ".join(r.code for r in self.indicators)


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
    #: which values the figures count: certified, validated (and certified), all
    basis: str
    #: the workflow states whose values the figures include
    states_included: tuple[str, ...]
    #: the last change of any value or measurement of the period
    data_date: datetime.date | None
    #: when the values were read (local time)
    read_at: datetime.datetime
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
    #: indicators whose values are not certified yet (counted or not, by the basis)
    not_validated: tuple[IndicatorRow, ...]
    at_risk: tuple[IndicatorRow, ...] = field(default=())
    #: the text the planning office wrote for the year (year-end reports only)
    narrative: Narrative = field(default_factory=Narrative)
    #: an approved edition: its number and act ("" for a draft)
    edition: int = 0
    act: str = ""
    #: the plan's public values (PIAO), none for a plan without the level
    public_values: tuple[PublicValueSection, ...] = field(default=())

    @property
    def approval_text(self) -> str:
        """``Edizione 2, approvata con Delibera di Giunta n. 45 del 18/06/2022``; ``""``
        for a draft."""
        if not self.edition:
            return ""
        return _("Edizione %(n)s, approvata con %(act)s") % {"n": self.edition,
                                                            "act": self.act}

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
    def generated_on(self) -> datetime.date:
        return self.read_at.date()

    @property
    def generated_text(self) -> str:
        return date_text(self.generated_on)

    @property
    def read_text(self) -> str:
        """When the values were read: ``27/11/2026 alle 19:05``."""
        return _("%(date)s alle %(time)s") % {"date": date_text(self.read_at.date()),
                                               "time": self.read_at.strftime("%H:%M")}

    @property
    def basis_label(self) -> str:
        return basis_label(self.basis)

    @property
    def basis_text(self) -> str:
        states = ", ".join(state_label(s) for s in self.states_included)
        return _("%(basis)s (stati inclusi: %(states)s); ultima modifica dei dati il "
                 "%(date)s; dati letti il %(read)s.") % {
            "basis": basis_label(self.basis).capitalize(), "states": states,
            "date": self.data_date_text, "read": self.read_text}


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
    # the engine's reason (an Italian message, in the language in use): "non misurato:
    # manca …" naming the inputs by their label, "non calcolabile: …"
    return str(r.reason or "")


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


class _Noted(NamedTuple):
    """What a report reads of a measurement."""

    forecast: str
    gap_explanation: str
    updated_at: datetime.datetime
    is_demo: bool


def build_report(*, plan_key: str, year: int, date: datetime.date | None = None,
                 basis: str = CERTIFIED, include_drafts: bool = False,
                 now: datetime.datetime | None = None, db_plan: pm.Plan | None = None,
                 period: mm.Period | None = None, original: Plan | None = None) -> Report:
    """The report of ``plan_key`` for ``year`` (or its interim ``date``) on ``basis``.

    ``basis`` says which values count: ``certified`` (what the public sees),
    ``validated`` (validated and certified) or ``all`` (every state, marked;
    ``include_drafts`` is the same). The values left out are listed in the
    data-quality annex. Who may ask for which basis is :func:`allowed_bases`.
    A page that has already read the plan (``db_plan``, and as stored, ``original``)
    and chosen the ``period`` passes them.
    """
    if include_drafts:
        basis = ALL
    reader = basis_actor(basis)
    if db_plan is None:
        db_plan = pm.Plan.objects.get(key=plan_key)
    if period is None:
        period = _period(db_plan.pk, year, date)
    plan, compiled = compiled_plan(db_plan.pk)
    if original is None:
        original = stored_plan(db_plan.pk)
    as_stored = {i.code: i for i in original.indicators}
    pe = evaluate_period(plan_id=db_plan.pk, period=period, actor=reader,
                         include_drafts=reader is None, plan=plan, compiled=compiled)
    ev = pe.evaluation
    # what the report reads of each measurement, as plain rows (no model instances)
    measurements = {code: _Noted(*rest) for code, *rest in mm.Measurement.objects.filter(
        period=period).order_by().values_list(
        "indicator__code", "forecast", "gap_explanation", "updated_at", "is_demo")}
    interim = period.kind == PeriodKind.INTERIM
    # the public report shows each figure as the OIV certified it (its record)
    certified = public_figures(pe) if results.scope_for(
        reader, plan, include_drafts=reader is None) is results.PUBLIC else {}

    rows: dict[str, IndicatorRow] = {}
    in_force = readings_in_force(db_plan.pk, plan)
    lang = (translation.get_language() or "it")[:2]
    for ind in plan.indicators:
        r = ev.indicators.get(ind.code)
        reading = in_force.get((ind.code, year))
        res = r if isinstance(r, IndicatorResult) else None
        fig = certified.get(ind.code)
        hidden = ind.code in pe.hidden
        m = measurements.get(ind.code)
        state = pe.states.get(ind.code, State.DRAFT).value
        value: Value = res.value if res is not None else NotComputable("no result")
        forecast = m.forecast if m is not None and not hidden else ""
        scored = res is not None and res.outcome is Outcome.SCORED and not hidden
        unit = ind.in_force(year).unit  # a definition may change it from a year on
        rows[ind.code] = IndicatorRow(
            code=ind.code, name=ind.name, unit=unit, centres=tuple(ind.centres),
            target=fig.target if fig is not None else ind.targets.get(year, ""),
            original_target=(as_stored[ind.code].targets.get(year, "")
                             if as_stored[ind.code].targets.get(year)
                             != ind.targets.get(year) else ""),
            value=value,
            value_text=(fig.shown if fig is not None else display_value(res, unit)
                        if res is not None and not hidden else "—"),
            percent=is_percent_unit(unit) and not (
                res is not None and res.target is not None and res.target.needs_previous),
            achievement=(fig.achievement if fig is not None
                         else res.achievement if res is not None else None),
            status=(fig.status if fig is not None else res.status.value if res is not None
                    else Status.NOT_AVAILABLE.value),
            outcome=(fig.outcome if fig is not None else res.outcome.value if res is not None
                     else Outcome.NOT_COMPUTABLE.value),
            state=state, hidden=hidden,
            gap_note=(m.gap_explanation if m is not None and not hidden else ""),
            explained=res if scored else None,
            lang=lang,
            reason=_reason(res, hidden, year),
            forecast=forecast,
            at_risk=interim and not hidden and _at_risk(res, forecast, unit),
            reading=reading.title(who=False) if reading is not None else "",
        )

    def node(n: NodeScore, title: str) -> NodeRow:
        return NodeRow(code=n.code, title=title, achievement=n.achievement,
                       status=n.status.value, counted=len(n.counted),
                       left_out=tuple(lo.indicator for lo in n.left_out), score=n)

    org = node(ev.organisation, plan.organisation.name)
    missions = tuple(node(n, plan.mission(code).name) for code, n in ev.missions.items())
    strategic = tuple(node(n, plan.strategic(code).title) for code, n in ev.strategic.items())
    narrative = (Narrative() if interim else narrative_for(
        db_plan.pk, year, objective_titles={n.code: n.title for n in strategic}))
    # every code's sort key worked out once (not once per objective and centre)
    keys = {i.code: code_key(i.code) for i in plan.indicators}
    sections = []
    for s_row in strategic:
        so = plan.strategic(s_row.code)
        codes = sorted((i.code for i in plan.indicators if i.strategic_code == so.code),
                       key=keys.__getitem__)
        sections.append(Section(s_row, so.narrative, tuple(so.mission_codes),
                                tuple(rows[c] for c in codes),
                                narrative.objectives.get(s_row.code)))
    by_strategic = {n.code: n for n in strategic}
    public_values = tuple(
        PublicValueSection(
            node=(node(ev.public_values[pv.code], pv.title) if pv.code in ev.public_values
                  else NodeRow(code=pv.code, title=pv.title, achievement=None,
                               status=Status.NOT_AVAILABLE.value, counted=0, left_out=())),
            description=pv.description,
            bes=tuple(reference_name(c, lang) for c in pv.bes),
            sdgs=tuple(reference_name(c, lang) for c in pv.sdgs),
            objectives=tuple(by_strategic[c] for c in pv.strategic_codes if c in by_strategic))
        for pv in plan.public_values)
    centres = tuple(
        CentreSection(node(n, code), tuple(rows[c] for c in sorted(
            (i.code for i in plan.indicators if code in i.centres), key=keys.__getitem__)))
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

    ordered = sorted(rows.values(), key=lambda r: keys[r.code])
    values = mm.Value.objects.filter(period=period).aggregate(
        m=Max("updated_at"), demo=Count("pk", filter=Q(is_demo=True)))
    stamps = [x for x in (values["m"], *(m.updated_at for m in measurements.values()))
              if x is not None]
    return Report(
        organisation=plan.organisation.name, plan_title=plan.title, plan_key=plan_key,
        year=year, period_date=period.end_date, interim=interim,
        basis=basis, states_included=basis_states(basis),
        data_date=(timezone.localtime(max(stamps)).date() if stamps else None),
        read_at=timezone.localtime(now or timezone.now()),
        is_demo=any(m.is_demo for m in measurements.values()) or bool(values["demo"]),
        organisation_node=org,
        status_counts=tuple((s.value, counts[s.value]) for s in Status),
        missions=missions, strategic=strategic, sections=tuple(sections), centres=centres,
        revisions=revisions, findings=plan_findings(db_plan.pk, plan),
        not_scored=tuple(r for r in ordered if r.achievement is None),
        not_validated=tuple(r for r in ordered if r.state != State.CERTIFIED.value),
        at_risk=tuple(r for r in ordered if r.at_risk),
        narrative=narrative,
        public_values=public_values,
    )

