"""What the public may see: published plans and certified results, nothing else.

One rule, in one place, for the public pages and the open data package: a plan
is shown only when ``published``; a figure only when the OIV has certified the
indicator's values for that period (validated values may still be returned,
so they count as not yet published). The figures are the engine's, through
:func:`cruscotto.web.measurements.selectors.evaluate_period` evaluated for the
public (``actor=None``), so uncertified indicators are also left out of every
roll-up.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from typing import Any

from django.utils import timezone

from cruscotto.core import plan as core
from cruscotto.core.messages import Message
from cruscotto.core.rollup import NodeScore
from cruscotto.core.scoring import IndicatorResult
from cruscotto.core.target_structure import describe_reading
from cruscotto.core.workflow import State
from cruscotto.io.opendata import OpenData
from cruscotto.web.measurements import models as mm
from cruscotto.web.measurements.choices import PeriodKind
from cruscotto.web.measurements.readings import InForce, readings_in_force
from cruscotto.web.measurements.selectors import (
    CertifiedFigure,
    PeriodEvaluation,
    active_records,
    compiled_plan,
    evaluate_period,
    plan_data,
)
from cruscotto.web.plans import models as pm
from cruscotto.web.plans.selectors import readable_plans, stored_plan


def published_plans() -> list[pm.Plan]:
    """The published plans, the most recent first."""
    return list(readable_plans(None).select_related("organisation")
                .order_by("-first_year", "-last_year", "key"))


def published_plan(key: str) -> pm.Plan:
    """The published plan ``key``; ``Plan.DoesNotExist`` for any other."""
    return readable_plans(None).select_related("organisation").get(key=key)


@dataclass(frozen=True)
class YearResults:
    """One plan year as the public sees it: the certified records, and the roll-up of
    the certified figures only (the stored ``public`` results)."""

    year: int
    period: mm.Period
    evaluation: PeriodEvaluation
    #: indicators whose values for the year are certified (the only ones shown)
    certified: frozenset[str]
    #: (indicator code, period id) -> the certification in force
    records: dict[tuple[str, int], mm.CertifiedRecord] = field(repr=False, compare=False)
    #: indicator code -> unit
    units: dict[str, str] = field(repr=False, compare=False)

    @cached_property
    def figures(self) -> dict[str, CertifiedFigure]:
        """indicator code -> its figure as certified (worked out when first read: a page
        shows one year's)."""
        out: dict[str, CertifiedFigure] = {}
        ev = self.evaluation.evaluation
        for code in self.certified:
            rec = self.records.get((code, self.period.pk))
            if rec is not None:
                out[code] = CertifiedFigure.of_record(rec, self.units.get(code, ""))
            elif isinstance(r := ev.indicators.get(code), IndicatorResult):
                out[code] = CertifiedFigure.of_result(r, self.units.get(code, ""))
        return out

    def result(self, code: str) -> CertifiedFigure | None:
        return self.figures.get(code) if code in self.certified else None


def year_results(db: pm.Plan, plan: core.Plan | None = None) -> list[YearResults]:
    """Every plan year with a year-end period, oldest first, as the public sees it."""
    years = (plan if plan is not None else stored_plan(db.pk)).years
    effective, compiled = compiled_plan(db.pk)  # targets as revised, once per revision
    out = []
    data = plan_data(db.pk, year_ends_only=True)
    records = active_records(db.pk, figures_only=True)  # what the figures read
    units = {i.code: i.unit for i in effective.indicators}
    for period in data.periods:
        if period.kind != PeriodKind.YEAR_END or period.year not in years:
            continue
        ev = evaluate_period(plan_id=db.pk, period=period, actor=None, plan=effective,
                             compiled=compiled, data=data)
        certified = frozenset(c for c, s in ev.states.items()
                              if s is State.CERTIFIED and c not in ev.hidden)
        out.append(YearResults(period.year, period, ev, certified, records, units))
    return out


# -- open data ----------------------------------------------------------------------

def open_data(*, plan_key: str | None = None) -> OpenData:
    """The rows of the open data package: published plans, certified results only."""
    plans = published_plans()
    if plan_key is not None:
        plans = [p for p in plans if p.key == plan_key]
    tables: dict[str, list[dict[str, Any]]] = {}

    def add(name: str, row: dict[str, Any]) -> None:
        tables.setdefault(name, []).append(row)

    publishers: list[str] = []
    for db in plans:
        plan = stored_plan(db.pk)
        key = db.key
        if plan.organisation.name not in publishers:
            publishers.append(plan.organisation.name)
        add("piani", {
            "piano": key, "ente": plan.organisation.name,
            "codice_ente": plan.organisation.code or None, "titolo": plan.title,
            "primo_anno": db.first_year, "ultimo_anno": db.last_year,
            "soglia_verde": plan.bands.green, "soglia_gialla": plan.bands.yellow,
            "pubblicato_il": db.published_at.date() if db.published_at else None})
        for ms in plan.missions:
            add("missioni", {"piano": key, "codice": ms.code, "nome": ms.name})
            for pg in ms.programmes:
                add("programmi", {"piano": key, "missione": ms.code, "codice": pg.code,
                                  "nome": pg.name, "budget_euro": pg.budget})
        for pv in plan.public_values:
            add("valori_pubblici", {
                "piano": key, "codice": pv.code, "titolo": pv.title,
                "descrizione": pv.description or None, "bes": ";".join(pv.bes) or None,
                "sdg": ";".join(pv.sdgs) or None,
                "obiettivi_strategici": ";".join(pv.strategic_codes) or None})
        for so in plan.strategic_objectives:
            of = plan.public_value_of(so.code)
            add("obiettivi_strategici", {
                "piano": key, "codice": so.code, "titolo": so.title,
                "descrizione": so.narrative or None,
                "missioni": ";".join(so.mission_codes) or None,
                "valore_pubblico": of.code if of is not None else None})
        for oo in plan.operational_objectives:
            add("obiettivi_operativi", {
                "piano": key, "codice": oo.code, "obiettivo_strategico": oo.strategic_code,
                "titolo": oo.title, "area": oo.area or None,
                "missione": oo.mission_code or None, "programma": oo.programme_code or None})
        centre_key = {c.name: c.key for c in plan.centres}
        for c in plan.centres:
            add("centri_responsabilita", {"piano": key, "chiave": c.key, "nome": c.name})
        for ind in plan.indicators:
            add("indicatori", {
                "piano": key, "codice": ind.code, "nome": ind.name,
                "descrizione": ind.description or None, "tipologia": ind.kind or None,
                "unita_misura": ind.unit or None,
                "algoritmo_calcolo": ind.formula_text or None,
                "formula": ind.formula or None,
                "polarita": ind.polarity.value if ind.polarity else None,
                "peso": ind.weight, "obiettivo_strategico": ind.strategic_code,
                "obiettivo_operativo": ind.operational_code or None,
                "missione": ind.mission_code or None,
                "programma": ind.programme_code or None,
                "centri_responsabilita": ";".join(centre_key.get(n, n) for n in ind.centres)
                or None,
                "fonti_dati": ";".join(ind.data_sources) or None})
        for ind in plan.indicators:
            if not ind.definitions:
                continue  # one formula for the whole plan: the row of «indicatori» says it
            for year in plan.years:
                d = ind.in_force(year)
                add("formule_per_anno", {
                    "piano": key, "indicatore": ind.code, "anno": year,
                    "in_vigore_dal": d.from_year, "formula": d.formula or None,
                    "algoritmo_calcolo": d.formula_text or None,
                    "unita_misura": d.unit or None,
                    "polarita": d.polarity.value if d.polarity else None})
        revisions = _latest_revisions(db.pk)
        in_force = readings_in_force(db.pk)
        for ind in plan.indicators:
            for year, text in ind.targets.items():
                rev = revisions.get((ind.code, year))
                add("target", {
                    "piano": key, "indicatore": ind.code, "anno": year,
                    "target_originale": text,
                    "target_rimodulato": rev.text if rev else None,
                    "motivazione_rimodulazione": rev.justification if rev else None,
                    "data_rimodulazione": rev.revised_on if rev else None,
                    **_reading_cells(in_force.get((ind.code, year)), ind, year)})
        for yr in year_results(db, plan):
            if not yr.certified:
                continue  # nothing certified for the year: nothing to publish
            for ind in plan.indicators:
                r = yr.result(ind.code)
                if r is None:
                    continue
                add("risultati_indicatori", _indicator_row(key, yr, r))
            ev = yr.evaluation.evaluation
            nodes: list[tuple[str, NodeScore]] = [("organisation", ev.organisation)]
            nodes += [("mission", n) for n in ev.missions.values()]
            nodes += [("strategic", n) for n in ev.strategic.values()]
            nodes += [("operational", n) for n in ev.operational.values()]
            nodes += [("centre", n) for n in ev.centres.values()]
            for level, n in nodes:
                add("risultati_aggregati", {
                    "piano": key, "anno": yr.year, "livello": level,
                    "codice": _node_code(level, n.code, centre_key, plan),
                    "raggiungimento_percentuale": n.achievement, "stato": n.status.value,
                    "indicatori_conteggiati": len(n.counted)})
            for pv in plan.public_values:
                if (n := ev.public_values.get(pv.code)) is not None:
                    add("risultati_valori_pubblici", {
                        "piano": key, "valore_pubblico": pv.code, "anno": yr.year,
                        "raggiungimento_percentuale": n.achievement,
                        "stato": n.status.value, "indicatori_conteggiati": len(n.counted)})
    return OpenData(publisher=", ".join(publishers) or "Cruscotto",
                    plans=[p.key for p in plans], tables=tables)


def _node_code(level: str, code: str, centre_key: dict[str, str], plan: core.Plan) -> str:
    if level == "centre":
        return centre_key.get(code, code)
    if level == "organisation":
        return code or plan.organisation.code or plan.organisation.name
    return code


def _indicator_row(key: str, yr: YearResults, r: CertifiedFigure) -> dict[str, Any]:
    value = r.value
    return {
        "piano": key, "indicatore": r.code, "anno": yr.year,
        "data_rilevazione": yr.period.end_date,
        "valore": value if isinstance(value, Decimal) else None,
        "valore_si_no": value if isinstance(value, bool) else None,
        "target": r.target or None,
        "raggiungimento_percentuale": r.achievement,
        "target_raggiunto": r.met,
        "stato": r.status, "esito": r.outcome,
        # open data are Italian, whoever asks (the engine's message without translation)
        "motivo": (r.reason.render() if isinstance(r.reason, Message) else r.reason) or None}


def _reading_cells(reading: InForce | None, ind: core.Indicator, year: int
                   ) -> dict[str, Any]:
    """The target row's reading in force: its source and, for a structured reading, the
    reading in words (Italian, whoever asks) and the day it was set; never who set it."""
    if reading is None:
        return {"lettura": "text", "lettura_impostata": None, "lettura_impostata_il": None}
    structured = ind.readings.get(year) if reading.source == "set" else None
    return {"lettura": reading.source,
            "lettura_impostata": describe_reading(structured).render() if structured else None,
            "lettura_impostata_il": (timezone.localtime(reading.set_at).date()
                                     if structured is not None and reading.set_at else None)}


def _latest_revisions(plan_id: int) -> dict[tuple[str, int], mm.TargetRevision]:
    out: dict[tuple[str, int], mm.TargetRevision] = {}
    for rev in mm.TargetRevision.objects.filter(indicator__plan_id=plan_id).select_related(
            "indicator").order_by("revised_at", "pk"):
        out[(rev.indicator.code, rev.year)] = rev
    return out

