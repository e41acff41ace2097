"""Read-only pages of a plan. Every page reads through ``selectors`` (core objects).

The read pages need no login: signed-in people read every stored plan, the
public only the published ones (an unpublished plan is a 404 for them) and,
of a published plan, only certified values. Editing is in the admin, which
requires staff.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Subquery
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from django_htmx.middleware import HtmxDetails

from cruscotto.core import plan as core
from cruscotto.core.numbers import rounded
from cruscotto.core.targets import format_number
from cruscotto.io.evaluation_out import display_value, explain_text
from cruscotto.io.svg_charts import Series, trend_chart
from cruscotto.web.accounts.permissions import actor_for, actors_for
from cruscotto.web.display import state_label
from cruscotto.web.plans import models, selectors
from cruscotto.web.plans.choices import PolarityChoices

from .dashboard import (
    Figure,
    bars_svg,
    indicator_links,
    percent,
    plan_figures,
    status_counts,
    status_labels,
    trend,
)
from .page_cache import cached_page
from .piao_views import public_value_bars, public_value_rows
from .plandata import compiled_of
from .readings import reading_states
from .selectors import (
    certified_records,
    evaluate_period,
    indicator_figures,
    target_revisions,
)


class HtmxHttpRequest(HttpRequest):
    """A request as ``django_htmx.middleware.HtmxMiddleware`` leaves it (for type checkers)."""

    htmx: HtmxDetails


def _plan_or_404(request: HttpRequest, key: str) -> core.Plan:
    try:
        return selectors.stored_plan(key, published_only=selectors.is_public(request.user))
    except models.Plan.DoesNotExist:
        raise Http404("unknown plan") from None


def _yearly(ind: core.Indicator) -> dict[str, Any]:
    """The indicator's later definitions and declared baselines, in words for the page."""
    polarity = dict(PolarityChoices.choices)
    return {
        "later_definitions": [{
            "from_year": d.from_year, "formula": d.formula,
            "formula_text": d.formula_text,
            "unit": d.unit,
            "polarity": polarity.get(d.polarity.value, "") if d.polarity else "",
        } for d in sorted(ind.definitions, key=lambda d: d.from_year)],
        "baselines": [{"value": b.value, "date": b.date, "label": b.label}
                      for b in ind.baselines],
    }


@dataclass(frozen=True, slots=True)
class CentreRow:
    centre: core.ResponsibilityCentre
    indicator_count: int


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    plans = selectors.list_plans(public=selectors.is_public(request.user))
    return TemplateResponse(request, "plans/home.html", {"plans": plans})


@require_GET
@cached_page
def overview(request: HttpRequest, key: str) -> HttpResponse:
    plan = _plan_or_404(request, key)
    tree = core.plan_tree(plan)
    shown = {
        i.code
        for m in tree for s in m.strategic
        for i in [*s.indicators, *(i for o in s.operational for i in o.indicators)]
    }
    return TemplateResponse(request, "plans/overview.html", {
        "key": key,
        "plan": plan,
        "tree": tree,
        # e.g. under a strategic objective listed under no mission: still reachable
        "unplaced": [i for i in plan.indicators if i.code not in shown],
        "public_values": public_value_rows(plan),
        # every indicator's link at once (one reverse, not one per indicator)
        "links": indicator_links(key, [i.code for i in plan.indicators]),
    })


@require_GET
@cached_page
def indicator(request: HttpRequest, key: str, code: str) -> HttpResponse:
    plan = _plan_or_404(request, key)
    try:
        ind = plan.indicator(code)
    except KeyError:
        raise Http404("unknown indicator") from None
    mission = plan.mission(ind.mission_code) if ind.mission_code else None
    programme = next(
        (p for p in mission.programmes if p.code == ind.programme_code), None
    ) if mission else None
    strategic = plan.strategic(ind.strategic_code)
    operational = plan.operational(ind.operational_code) if ind.operational_code else None
    centres = {c.name: c for c in plan.centres}
    # the plan's row once: the sections below read its id (no query each)
    plan_id, previous_id, first_year = models.Plan.objects.values_list(
        "pk", "previous_id", "first_year").get(key=key)
    revised = {r.year: r for r in target_revisions(plan_id=plan_id, code=ind.code)}
    figures, raw = _figures(request, plan_id, previous_id, first_year, key, ind)
    return TemplateResponse(request, "plans/indicator.html", {
        "figures": figures,
        "certifications": certified_records(plan_id=plan_id, code=ind.code, unit=ind.unit),
        **_indicator_chart(plan_id, ind, raw),
        **_derivation(request, plan_id, ind, raw),
        **_yearly(ind),
        "key": key,
        "plan": plan,
        "indicator": ind,
        "strategic": strategic,
        "operational": operational,
        "overview_mission": _overview_mission(ind, strategic, operational),
        "mission": mission,
        "programme": programme,
        "programme_code": ind.programme_code,
        "centres": [centres[name] for name in ind.centres],
        # every plan year, so a year without a target shows as such
        "targets": [(year, ind.targets.get(year), revised.get(year)) for year in plan.years],
        "has_revisions": bool(revised),
        "reading_states": reading_states(
            plan, plan_id, ind.code, revised={y: r.text for y, r in revised.items()},
            who=bool(getattr(request.user, "is_authenticated", False))),
    })


@dataclass(frozen=True)
class _Earlier:
    """A plan this one was rolled from, with the same indicator in it (by identity)."""

    pk: int
    key: str
    code: str
    unit: str
    #: the years shown from it: those before the first year of the plan rolled from it
    before: int
    label: str


def _earlier_plans(request: HttpRequest, plan_id: int, previous_id: int | None,
                   first_year: int, code: str) -> list[_Earlier]:
    """The plans this one was rolled from, nearest first, that hold the indicator and the
    reader may read: one query each."""
    out: list[_Earlier] = []
    while previous_id is not None:
        earlier = models.Indicator.objects.filter(
            plan_id=previous_id, identity=Subquery(models.Indicator.objects.filter(
                plan_id=plan_id, code=code).values("identity")[:1])).select_related(
            "plan").only("code", "unit", "plan__key", "plan__published", "plan__first_year",
                         "plan__last_year", "plan__previous_id").first()
        if earlier is None:
            break
        previous = earlier.plan
        if selectors.is_public(request.user) and not previous.published:
            break
        out.append(_Earlier(previous.pk, previous.key, earlier.code, earlier.unit, first_year,
                            f"{previous.first_year}-{previous.last_year}"))
        plan_id, previous_id, first_year, code = (
            previous.pk, previous.previous_id, previous.first_year, earlier.code)
    return out


def _figures(request: HttpRequest, plan_id: int, previous_id: int | None, first_year: int,
             key: str, ind: core.Indicator) -> tuple[list[dict[str, object]], list[Any]]:
    """The indicator's measured periods, as the reader may see them (engine figures);
    for a rolled plan, preceded by the earlier plans' periods (one series)."""
    earlier = _earlier_plans(request, plan_id, previous_id, first_year, ind.code)
    # the reader in every plan of the series at once
    actors = actors_for(request.user, [plan_id, *(e.pk for e in earlier)])
    rows, raw = _plan_figures(plan_id, key, ind.code, ind.unit, actors[plan_id],
                              unit_of=lambda year: ind.in_force(year).unit)
    limit = first_year
    for e in earlier:  # nearest first: each plan's years before the next plan's first
        limit = min(limit, e.before)
        before, _raw = _plan_figures(e.pk, e.key, e.code, e.unit, actors[e.pk])
        rows = [{**r, "earlier": e.label} for r in before
                if r["period"].year < limit] + rows  # type: ignore[attr-defined]
    return rows, raw


def _plan_figures(plan_id: int, key: str, code: str, unit: str, actor: Any,
                  unit_of: Callable[[int], str] | None = None,
                  ) -> tuple[list[dict[str, object]], list[Any]]:
    rows = []
    raw = indicator_figures(plan_id=plan_id, code=code, actor=actor)
    for f in raw:
        r = f.result
        rows.append({
            "period": f.period, "state": f.state.value, "hidden": f.hidden,
            "state_label": state_label(f.state),
            "is_demo": f.is_demo, "key": key, "code": code,
            # the unit in force in the figure's year (a definition may change it)
            "value": display_value(r, unit_of(r.year) if unit_of else unit)
            if r is not None and not f.hidden else "",
            "target": r.target.text if r is not None and r.target else "",
            "achievement": r.achievement if r is not None else None,
            "status": r.status.value if r is not None else "not_available",
        })
    return rows, raw


def _indicator_chart(plan_id: int, ind: core.Indicator, raw: list[Any]) -> dict[str, Any]:
    """Actual against target across the periods (interim dates hollow), from the engine.

    Where every target has a numeric bound the chart shows the value compared
    (for a growth target, the growth) and the bound; otherwise (milestones,
    compound targets) the achievement against 100%.
    """



    if not raw:
        return {"chart_svg": None}
    # the targets as the engine reads them (revisions applied), also where the
    # reader may not see the value
    first = next((f.evaluation for f in raw if f.evaluation is not None), None)
    compiled = compiled_of(plan_id, first.plan if first is not None else None)
    try:
        spec_targets = compiled.spec(ind.code).targets
    except KeyError:
        spec_targets = {}
    targets = [spec_targets.get(f.period.year) for f in raw]
    numeric = all(t is not None and t.threshold is not None and not t.parts
                  for t in targets)
    scale = Decimal(100) if numeric and any(t.percent for t in targets if t) else Decimal(1)
    actual: list[Decimal | None] = []
    bound: list[Decimal | None] = []
    for f, t in zip(raw, targets, strict=True):
        r = f.result
        shown: Decimal | None = None
        if r is not None and not f.hidden:
            if numeric:
                a = r.assessment
                v = a.compared if a is not None else r.value
                if isinstance(v, Decimal) and not isinstance(v, bool):
                    shown = v * scale
            else:
                shown = r.achievement
        actual.append(shown)
        bound.append(t.threshold * scale if numeric and t is not None and t.threshold
                     is not None else (Decimal(100) if not numeric else None))
    labels = [f.period.end_date.strftime("%d/%m/%Y") for f in raw]
    hollow = [f.period.is_interim for f in raw]
    as_percent = scale == 100 or not numeric
    if numeric:
        series = [Series(_("Valore"), actual), Series(_("Target"), bound)]
        title = _("Valore e target dell'indicatore %(code)s per periodo") % {"code": ind.code}
    else:
        series = [Series(_("Grado di raggiungimento"), actual), Series(_("Target"), bound)]
        title = _("Grado di raggiungimento dell'indicatore %(code)s per periodo") % {
            "code": ind.code}

    def fmt(v: Decimal | None) -> str:
        if v is None:
            return _("n.d.")
        if as_percent:
            return percent(v)
        r = rounded(v, 2)
        return _("fuori scala") if r is None else format_number(r.normalize())
    return {
        "chart_svg": _trend(labels, series, title, _(
            "Punti pieni: fine anno; punti vuoti: monitoraggio intermedio. I valori sono "
            "anche nella tabella che segue."), percent=as_percent, hollow=hollow),
        "chart_labels": labels,
        "chart_rows": [(s.name, [fmt(v) for v in s.values]) for s in series],
    }


def _derivation(request: HttpRequest, plan_id: int, ind: core.Indicator, raw: list[Any]
                ) -> dict[str, Any]:
    """How the figure of one period was obtained (the engine's explanation), as the reader may
    see it. ``?period=YYYY-MM-DD`` picks the period; else the latest one with a figure."""



    if not raw:
        return {"derivation": None}
    chosen = None
    asked = request.GET.get("period", "")
    if asked:
        try:
            day = datetime.date.fromisoformat(asked)
        except ValueError:
            day = None
        chosen = next((f for f in raw if f.period.end_date == day), None)
    if chosen is None:
        scored = [f for f in raw if f.result is not None and not f.hidden
                  and f.result.achievement is not None]
        chosen = scored[-1] if scored else raw[-1]
    ev = chosen.evaluation  # evaluated with the figures, for the same reader
    if ev is None:
        ev = evaluate_period(plan_id=plan_id, period=chosen.period,
                             actor=actor_for(request.user, plan_id))

    lang = "en" if (get_language() or "it").startswith("en") else "it"
    return {"derivation": explain_text(ev.plan, ev.evaluation, ind.code, lang=lang),
            "derivation_period": chosen.period,
            "derivation_periods": [f.period for f in raw]}


def _overview_mission(
    ind: core.Indicator, so: core.StrategicObjective, oo: core.OperationalObjective | None
) -> str:
    """The mission under which the overview shows the indicator's parents (for anchors)."""
    if oo is not None and oo.mission_code:
        return oo.mission_code
    if ind.mission_code in so.mission_codes:
        return ind.mission_code
    return so.mission_codes[0] if so.mission_codes else ""


@require_GET
def centre_list(request: HttpRequest, key: str) -> HttpResponse:
    plan = _plan_or_404(request, key)
    rows = [CentreRow(c, len(plan.indicators_of_centre(c.name))) for c in plan.centres]
    rows.sort(key=lambda r: r.centre.name.casefold())
    return TemplateResponse(request, "plans/centre_list.html", {
        "key": key, "plan": plan, "rows": rows,
    })


@require_GET
@cached_page
def centre(request: HttpRequest, key: str, centre_key: str) -> HttpResponse:
    plan = _plan_or_404(request, key)
    found = next((c for c in plan.centres if c.key == centre_key), None)
    if found is None:
        raise Http404("unknown centre")
    indicators = sorted(
        plan.indicators_of_centre(found.name), key=lambda i: core.code_sort_key(i.code))

    figs = plan_figures(key=key, plan_id=_plan_id(key), user=request.user)
    year, year_error = _year(request, figs)
    ev = figs.evaluation(year)
    node = ev.centres.get(found.name) if ev is not None else None
    rows = figs.indicator_rows(year, [i.code for i in indicators])
    x_labels, series = trend(figs, [(found.name, lambda e: e.centres.get(found.name))])
    return TemplateResponse(request, "plans/centre.html", {
        "key": key, "plan": plan, "centre": found, "indicators": indicators,
        "year": year, "errors": [year_error] if year_error else [],
        "figure": figs.node_figure(node, label=found.name) if node is not None else None,
        "rows": rows, "counts": status_counts(rows),
        "rows_svg": _bars([_row_figure(r) for r in rows], _(
            "Raggiungimento degli indicatori di %(name)s, anno %(year)s") % {
            "name": found.name, "year": year}, _(
            "Barre orizzontali: grado di raggiungimento e stato di ogni indicatore del "
            "centro.")) if rows else None,
        "trend_svg": _trend(x_labels, series, _("Andamento per anno di %(name)s")
                            % {"name": found.name}, _("Grado di raggiungimento per anno; i "
                                                      "valori sono anche nella tabella che "
                                                      "segue.")),
        "trend_rows": [(s.name, [percent(v) for v in s.values]) for s in series],
        "trend_years": x_labels,
        "is_demo": any(r.is_demo for r in rows),
    })


def _row_figure(r: Any) -> Any:

    return Figure(r.code, f"{r.code} · {r.name}", r.achievement, r.status, r.href)


@require_GET
def search(request: HtmxHttpRequest, key: str) -> HttpResponse:
    plan = _plan_or_404(request, key)
    query = request.GET.get("q", "").strip()
    # htmx asks only for the results as the user types; the page is the same view
    # (a history restore after a cache miss needs the whole page again)
    typing = bool(request.htmx) and not request.htmx.history_restore_request
    exact = selectors.exact_indicator(plan, query) if query else None
    if exact is not None and not typing:
        return redirect(reverse("plans:indicator", args=[key, exact.code]))
    results = selectors.search_indicators(plan, query)
    template = "plans/search.html#results" if typing else "plans/search.html"
    return TemplateResponse(request, template, {
        "key": key, "plan": plan, "query": query, "results": results,
    })


# -- dashboards --------------------------------------------------------------------

def _readable_plan_id(request: HttpRequest, key: str) -> int:
    """The plan's id if the reader may read it: for the public an unpublished plan
    does not exist (404)."""
    try:
        # the id only: the same query as readable_plan, without the row's other columns
        return int(selectors.readable_plans(request.user).values_list("pk", flat=True)
                   .get(key=key))
    except models.Plan.DoesNotExist:
        raise Http404("unknown plan") from None


def _plan_id(key: str) -> int:
    """The plan's id, for helpers of a view that has already checked the reader."""
    try:
        return int(models.Plan.objects.values_list("pk", flat=True).get(key=key))
    except models.Plan.DoesNotExist:
        raise Http404("unknown plan") from None


def _year(request: HttpRequest, figs: Any) -> tuple[int, str]:
    """The year asked for (``?year=``), else the default; with an error to show."""
    raw = request.GET.get("year", "").strip()
    if not raw:
        return figs.default_year(), ""
    if raw.isdigit() and int(raw) in figs.plan.years:
        return int(raw), ""
    years = ", ".join(str(y) for y in figs.plan.years)
    return figs.default_year(), _("Anno %(value)s non valido: il piano copre gli anni "
                                  "%(years)s.") % {"value": raw, "years": years}


def _svg(text: str) -> Any:

    # the module escapes every text it writes (svg_charts uses html.escape)
    return mark_safe(text)  # noqa: S308


def _bars(figures: list[Any], title: str, desc: str) -> Any:

    return bars_svg([f.bar() for f in figures], title, desc)


def _trend(x_labels: list[str], series: list[Any], title: str, desc: str, *,
           percent: bool = True, hollow: list[bool] | None = None) -> Any:

    return _svg(trend_chart(x_labels, series, title=title, desc=desc, percent=percent,
                            hollow=hollow or [], missing=_("n.d.")))


@require_GET
@cached_page
def dashboard(request: HttpRequest, key: str) -> HttpResponse:

    plan_id = _readable_plan_id(request, key)
    figs = plan_figures(key=key, plan_id=plan_id, user=request.user)
    plan = figs.plan
    year, year_error = _year(request, figs)
    errors = [year_error] if year_error else []
    mission = request.GET.get("mission", "").strip()
    if mission and mission not in {m.code for m in plan.missions}:
        errors.append(_("Missione %(value)s non presente nel piano.") % {"value": mission})
        mission = ""
    centre_key = request.GET.get("centre", "").strip()
    centre_obj = next((c for c in plan.centres if c.key == centre_key), None)
    if centre_key and centre_obj is None:
        errors.append(_("Centro di responsabilità %(value)s non presente nel piano.")
                      % {"value": centre_key})
    status = request.GET.get("status", "").strip()
    labels = status_labels()
    if status and status not in labels:
        errors.append(_("Stato %(value)s non valido: scegliere verde, giallo, rosso o n.d.")
                      % {"value": status})
        status = ""

    ev = figs.evaluation(year)
    scope = [p.indicator for p in figs.placements.values()
             if (not mission or p.mission == mission)
             and (centre_obj is None or centre_obj.name in p.centres)]
    rows = figs.indicator_rows(year, scope)
    counts = status_counts(rows)
    headline = []
    mission_bars: list[Any] = []
    strategic_bars: list[Any] = []
    trend_svg = None
    trend_rows: list[Any] = []
    if ev is not None:
        headline.append((_("Ente"), figs.node_figure(ev.organisation, label=_("Ente"))))
        if mission and mission in ev.missions:
            headline.append((_("Missione"), figs.node_figure(ev.missions[mission], year=year)))
        if centre_obj is not None and centre_obj.name in ev.centres:
            headline.append((_("Centro"), figs.node_figure(
                ev.centres[centre_obj.name], label=centre_obj.name)))
        mission_bars = [figs.node_figure(n, year=year) for code, n in ev.missions.items()
                        if not mission or code == mission]
        if mission and mission in ev.missions:
            strategic_bars = [f for f in figs.child_figures(ev.missions[mission], year)]
        else:
            strategic_bars = [figs.node_figure(n, year=year) for n in ev.strategic.values()]
        if centre_obj is not None:
            mine = {figs.placements[c].strategic for c in scope}
            strategic_bars = [f for f in strategic_bars if f.code in mine]
        if status:
            mission_bars = [f for f in mission_bars if f.status == status]
            strategic_bars = [f for f in strategic_bars if f.status == status]
    shown_rows = [r for r in rows if not status or r.status == status]
    picks: list[tuple[str, Any]] = [(_("Ente"), lambda e: e.organisation)]
    for m in plan.missions:
        if not mission or m.code == mission:
            picks.append((_("Missione %(code)s") % {"code": m.code},
                          lambda e, c=m.code: e.missions.get(c)))
    x_labels, series = trend(figs, picks)
    trend_svg = _trend(x_labels, series, _("Andamento del grado di raggiungimento per anno"),
                       _("Ente e missioni, anni %(first)s-%(last)s; i valori sono anche "
                         "nella tabella che segue.") % {"first": x_labels[0],
                                                        "last": x_labels[-1]})
    trend_rows = [(s.name, [percent(v) for v in s.values]) for s in series]
    return TemplateResponse(request, "plans/dashboard.html", {
        "key": key, "plan": plan, "year": year, "errors": errors,
        "filters": {"year": year, "mission": mission, "centre": centre_key, "status": status},
        "statuses": list(labels.items()),
        "centres": sorted(plan.centres, key=lambda c: c.name.casefold()),
        "evaluated": ev is not None,
        "headline": headline, "counts": counts, "rows": shown_rows,
        "mission_bars": mission_bars, "strategic_bars": strategic_bars,
        "mission_svg": _bars(mission_bars, _("Raggiungimento per missione, anno %(year)s")
                             % {"year": year}, _("Barre orizzontali: grado di raggiungimento "
                                                 "e stato di ogni missione.")),
        "strategic_svg": _bars(strategic_bars, _("Raggiungimento per obiettivo strategico, "
                                                 "anno %(year)s") % {"year": year},
                               _("Barre orizzontali: grado di raggiungimento e stato di ogni "
                                 "obiettivo strategico.")),
        "trend_svg": trend_svg, "trend_years": x_labels, "trend_rows": trend_rows,
        "is_demo": any(r.is_demo for r in rows),
        **_public_value_chart(figs, ev, year, mission or centre_key or status),
    })


def _public_value_chart(figs: Any, ev: Any, year: int, filtered: str) -> dict[str, Any]:
    """The public values' bars (a plan with the PIAO level, unfiltered); nothing otherwise."""
    bars = [] if filtered else public_value_bars(figs, ev, year)
    if not bars:
        return {}
    return {"public_value_bars": bars, "public_value_svg": _bars(
        bars, _("Raggiungimento per valore pubblico, anno %(year)s") % {"year": year},
        _("Barre orizzontali: grado di raggiungimento e stato di ogni valore pubblico."))}


def _node_page(request: HttpRequest, key: str, level: str, code: str) -> HttpResponse:

    plan_id = _readable_plan_id(request, key)
    figs = plan_figures(key=key, plan_id=plan_id, user=request.user)
    plan = figs.plan
    try:
        obj: Any = plan.strategic(code) if level == "strategic" else plan.operational(code)
    except KeyError:
        raise Http404("unknown objective") from None
    year, year_error = _year(request, figs)
    ev = figs.evaluation(year)
    table = "strategic" if level == "strategic" else "operational"
    node = getattr(ev, table).get(code) if ev is not None else None
    figure = figs.node_figure(node, year=year) if node is not None else None
    children = figs.child_figures(node, year) if node is not None else []
    codes = [p.indicator for p in figs.placements.values()
             if (p.strategic if level == "strategic" else p.operational) == code]
    rows = figs.indicator_rows(year, codes)
    title = figs.title(level, code)
    x_labels, series = trend(figs, [(title, lambda e: getattr(e, table).get(code))])
    # a strategic objective under several missions: its part under each (engine's scopes)
    by_mission = []
    if ev is not None and level == "strategic":
        for m_code, m_node in ev.missions.items():
            for c in m_node.children:
                if c.code == code:
                    by_mission.append((figs.title("mission", m_code), c.achievement,
                                       ev.bands.status(c.achievement).value))
    labels = status_labels()
    return TemplateResponse(request, "plans/objective.html", {
        "key": key, "plan": plan, "level": level, "objective": obj, "title": title,
        "year": year, "errors": [year_error] if year_error else [],
        "strategic": plan.strategic(obj.strategic_code) if level == "operational" else None,
        # the public value (PIAO) the strategic objective serves, if the plan states one
        "public_value": plan.public_value_of(code) if level == "strategic" else None,
        "figure": figure, "children": children, "rows": rows,
        "counts": status_counts(rows),
        "by_mission": [(name, percent(a), s, labels[s]) for name, a, s in by_mission],
        "children_svg": _bars(children, _("Raggiungimento delle componenti di %(name)s, "
                                          "anno %(year)s") % {"name": title, "year": year},
                              _("Barre orizzontali: grado di raggiungimento e stato di ogni "
                                "componente.")) if children else None,
        "trend_svg": _trend(x_labels, series, _("Andamento per anno di %(name)s")
                            % {"name": title}, _("Grado di raggiungimento per anno; i valori "
                                                 "sono anche nella tabella che segue.")),
        "trend_rows": [(s.name, [percent(v) for v in s.values]) for s in series],
        "trend_years": x_labels,
        "is_demo": any(r.is_demo for r in rows),
    })


@require_GET
@cached_page
def strategic(request: HttpRequest, key: str, code: str) -> HttpResponse:
    return _node_page(request, key, "strategic", code)


@require_GET
@cached_page
def operational(request: HttpRequest, key: str, code: str) -> HttpResponse:
    return _node_page(request, key, "operational", code)
