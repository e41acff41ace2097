"""Reads behind the dashboards: the engine's figures for every plan year, as one reader sees them.

Nothing here computes a figure: each year's year-end period goes through
:func:`cruscotto.web.measurements.selectors.evaluate_period` (actor-aware:
drafts of other centres stay hidden) and the pages pick nodes out of the
resulting :class:`~cruscotto.core.rollup.PlanEvaluation`. The plan is read
and compiled once per request.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from cruscotto.core import plan as core
from cruscotto.core.rollup import NodeScore, Placement, PlanEvaluation
from cruscotto.core.scoring import IndicatorResult, Outcome, Status
from cruscotto.io import svg_charts
from cruscotto.io.evaluation_out import display_value
from cruscotto.web import display
from cruscotto.web.accounts.permissions import actor_for
from cruscotto.web.measurements import models as mm
from cruscotto.web.measurements.choices import PeriodKind
from cruscotto.web.measurements.readings import InForce, readings_in_force
from cruscotto.web.measurements.selectors import (
    PeriodEvaluation,
    compiled_plan,
    evaluate_period,
    plan_data,
)

STATUSES = ("green", "yellow", "red", "not_available")


def bars_svg(bars: list[svg_charts.Bar], title: str, desc: str) -> Any:
    """Achievement bars with the interface's labels, ready for a template (pages and
    the report)."""
    from django.utils.safestring import mark_safe

    # the module escapes every text it writes (svg_charts uses html.escape)
    return mark_safe(svg_charts.achievement_bars(  # noqa: S308
        bars, title=title, desc=desc, status_labels=status_labels(),
        target_label=_("target"), threshold_label=_("soglia")))


#: the one display module's words and formats (cruscotto.web.display)
status_labels = display.status_labels
percent = display.percent


@dataclass(frozen=True)
class Figure:
    """A node's (or an indicator's) achievement and status, ready to show."""

    code: str
    label: str
    achievement: Decimal | None
    status: str
    href: str = ""
    #: how many indicators were counted, and left out (nodes only)
    counted: int = 0
    left_out: int = 0
    #: "mission 011" when only part of an objective counts here
    scope: str = ""

    @property
    def shown(self) -> str:
        return percent(self.achievement)

    @property
    def status_label(self) -> str:
        return display.status_label(self.status)

    def bar(self) -> svg_charts.Bar:
        return svg_charts.Bar(self.label, self.achievement, self.status)


@dataclass(frozen=True)
class IndicatorRow:
    code: str
    name: str
    value: str
    target: str
    achievement: Decimal | None
    status: str
    hidden: bool
    reason: str
    href: str
    is_demo: bool = False
    #: the reading of the target in force, when not the text's own full reading
    reading: InForce | None = None
    #: the status in words (the one display module's label, looked up once per page)
    status_label: str = ""

    @property
    def shown(self) -> str:
        return percent(self.achievement)


#: a code that goes into a URL as it is (no character to quote)
_PLAIN = re.compile(r"[A-Za-z0-9._-]+")
_SLOT = "CODE-SLOT"


def indicator_links(key: str, codes: list[str]) -> dict[str, str]:
    """code -> the link of the indicator's page in plan ``key``: one reverse for every
    plain code (put in its place), a reverse each for any other."""
    base = reverse("plans:indicator", args=[key, _SLOT])
    return {code: base.replace(_SLOT, code) if _PLAIN.fullmatch(code)
            else reverse("plans:indicator", args=[key, code]) for code in codes}


@dataclass
class PlanFigures:
    """The plan and its evaluation for every plan year that has a year-end period."""

    key: str
    plan_id: int
    plan: core.Plan
    placements: dict[str, Placement]
    years: dict[int, PeriodEvaluation] = field(default_factory=dict)
    demo: set[tuple[str, int]] = field(default_factory=set)
    _by_code: dict[str, core.Indicator] = field(default_factory=dict, repr=False)
    #: level -> the link of its page with :data:`_SLOT` for the code
    _links: dict[str, str] = field(default_factory=dict, repr=False)

    def evaluation(self, year: int) -> PlanEvaluation | None:
        pe = self.years.get(year)
        return pe.evaluation if pe is not None else None

    def default_year(self) -> int:
        """The latest plan year with a value in its year end, else the first."""
        # the years only (a few rows), not one row per value
        with_values = set(mm.Value.objects.filter(
            period__plan_id=self.plan_id, period__kind=PeriodKind.YEAR_END).values_list(
            "period__year", flat=True).order_by().distinct())
        years = [y for y in self.plan.years if y in with_values]
        return max(years) if years else self.plan.years[0]

    # -- links and labels ------------------------------------------------------
    def indicator(self, code: str) -> core.Indicator:
        """The plan's indicator ``code`` (KeyError if none): one look-up, not a search."""
        if len(self._by_code) != len(self.plan.indicators):
            self._by_code = {}
            for ind in self.plan.indicators:
                self._by_code.setdefault(ind.code, ind)
        return self._by_code[code]

    def href(self, level: str, code: str, year: int | None = None) -> str:
        names = {"strategic": "plans:strategic", "operational": "plans:operational",
                 "indicator": "plans:indicator"}
        if level in names and _PLAIN.fullmatch(code):
            # one reverse per level and page, the code put in its place (a plain code
            # needs no quoting): a page links hundreds of indicators
            base = self._links.get(level)
            if base is None:
                base = self._links[level] = reverse(names[level], args=[self.key, _SLOT])
            url = base.replace(_SLOT, code)
            return url + (f"?year={year}" if year and level != "indicator" else "")
        if level == "mission":
            url = reverse("plans:dashboard", args=[self.key]) + f"?mission={code}"
            return url + (f"&year={year}" if year else "")
        if level == "centre":
            c = next((c for c in self.plan.centres if c.name == code), None)
            return reverse("plans:centre", args=[self.key, c.key]) if c else ""
        if level not in names:
            return ""
        url = reverse(names[level], args=[self.key, code])
        return url + (f"?year={year}" if year and level != "indicator" else "")

    def title(self, level: str, code: str) -> str:
        try:
            if level == "mission":
                return _("Missione %(code)s · %(name)s") % {
                    "code": code, "name": self.plan.mission(code).name}
            if level == "strategic":
                return _("Obiettivo strategico %(code)s · %(name)s") % {
                    "code": code, "name": self.plan.strategic(code).title}
            if level == "operational":
                return _("Obiettivo operativo %(code)s · %(name)s") % {
                    "code": code, "name": self.plan.operational(code).title}
            if level == "indicator":
                return f"{code} · {self.indicator(code).name}"
        except KeyError:
            pass
        return code

    def node_figure(self, node: NodeScore, *, label: str = "", year: int | None = None
                    ) -> Figure:
        level = node.level.value
        return Figure(node.code, label or self.title(level, node.code), node.achievement,
                      node.status.value, self.href(level, node.code, year),
                      len(node.counted), len(node.left_out))

    def child_figures(self, node: NodeScore, year: int) -> list[Figure]:
        """The children of ``node`` as they enter its average (the engine's contributions)."""
        ev = self.evaluation(year)
        assert ev is not None
        out = []
        for c in node.children:
            level = c.level.value
            if level == "indicator":
                r = ev.indicators.get(c.code)
                status = r.status.value if isinstance(r, IndicatorResult) else "not_available"
            else:
                status = ev.bands.status(c.achievement).value
            out.append(Figure(c.code, self.title(level, c.code), c.achievement, status,
                              self.href(level, c.code, year), scope=c.scope))
        return out

    def indicator_rows(self, year: int, codes: list[str] | None = None) -> list[IndicatorRow]:
        pe = self.years.get(year)
        chosen = codes if codes is not None else [i.code for i in self.plan.indicators]
        rows = []
        in_force = readings_in_force(self.plan_id, self.plan)
        # the words once per page, not once per row
        labels = status_labels()
        hidden_reason, no_value = _("non ancora validato"), _("nessun valore")
        for code in sorted(chosen, key=core.code_sort_key):
            ind = self.indicator(code)
            r = pe.evaluation.indicators.get(code) if pe is not None else None
            hidden = pe is not None and code in pe.hidden
            if isinstance(r, IndicatorResult) and not hidden:
                value = display_value(r, ind.in_force(r.year).unit)
                achievement, status = r.achievement, r.status.value
                reason = "" if r.achievement is not None else _reason(r)
            else:
                value, achievement, status = "", None, Status.NOT_AVAILABLE.value
                reason = hidden_reason if hidden else no_value
            target = (r.target.text if isinstance(r, IndicatorResult) and r.target
                      else ind.targets.get(year, ""))
            rows.append(IndicatorRow(code, ind.name, value, target, achievement, status,
                                     hidden, reason, self.href("indicator", code),
                                     (code, year) in self.demo, in_force.get((code, year)),
                                     labels.get(status) or display.status_label(status)))
        return rows


#: why an indicator has no achievement (translated when shown: one look-up per row)
_REASONS = {Outcome.NO_TARGET: gettext_noop("nessun target per l'anno"),
            Outcome.NOT_MEASURED: gettext_noop("non misurato"),
            Outcome.NOT_COMPUTABLE: gettext_noop("non calcolabile")}


def _reason(r: IndicatorResult) -> str:
    text = _REASONS.get(r.outcome)
    return _(text) if text else ""


def plan_figures(*, key: str, plan_id: int, user: Any) -> PlanFigures:
    """Every plan year's year-end evaluation as ``user`` may see it (one plan read)."""
    plan, compiled = compiled_plan(plan_id)
    actor = actor_for(user, plan_id)
    out = PlanFigures(key, plan_id, plan, {p.indicator: p for p in compiled.placements})
    data = plan_data(plan_id, year_ends_only=True)
    year_ends = {p.pk: p for p in data.periods
                 if p.kind == PeriodKind.YEAR_END and p.year in plan.years}
    for period in year_ends.values():
        out.years[period.year] = evaluate_period(plan_id=plan_id, period=period, actor=actor,
                                                 plan=plan, compiled=compiled, data=data)
    out.demo = {(c, year_ends[pid].year) for c, pid in data.demo if pid in year_ends}
    return out


def status_counts(rows: list[IndicatorRow]) -> list[tuple[str, str, int]]:
    """(status, label, number of indicators) for every status, in traffic-light order."""
    counts = Counter(r.status for r in rows)
    labels = status_labels()
    return [(s, labels[s], counts.get(s, 0)) for s in STATUSES]


def trend(figs: PlanFigures, picks: list[tuple[str, Any]]) -> tuple[list[str], list[
        svg_charts.Series]]:
    """Achievement by plan year of the nodes ``picks`` (name, year -> NodeScore | None)."""
    years = list(figs.plan.years)
    series = []
    for name, pick in picks:
        values: list[Decimal | None] = []
        for y in years:
            ev = figs.evaluation(y)
            node = pick(ev) if ev is not None else None
            values.append(node.achievement if node is not None else None)
        series.append(svg_charts.Series(name, values))
    return [str(y) for y in years], series
