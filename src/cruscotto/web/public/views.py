"""The public section (*Amministrazione trasparente – Performance*): no login.

Only published plans and certified results, read through :mod:`.selectors`
(the same rule as the open data package, which these pages offer for
download). Every figure is the engine's; the views only arrange it.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import translation
from django.views.decorators.http import require_GET

from cruscotto.core import plan as core
from cruscotto.core.piao import reference_name
from cruscotto.core.rollup import NodeScore
from cruscotto.io.opendata import RESOURCES, italian_name, render, zip_package
from cruscotto.web import display
from cruscotto.web.measurements.page_cache import cached_page
from cruscotto.web.measurements.readings import InForce, readings_in_force
from cruscotto.web.plans import models as pm
from cruscotto.web.plans.selectors import stored_plan
from cruscotto.web.reports import documents
from cruscotto.web.reports.editions import editions, file_response
from cruscotto.web.reports.models import Edition

from . import selectors

#: the files of the package, and how each is served
FILES = {"datapackage.json": "application/json"} | {
    f"{r.name}.{ext}": mime for r in RESOURCES
    for ext, mime in (("csv", "text/csv; charset=utf-8"),
                      ("json", "application/json"))}
#: the Italian spreadsheet variant of each CSV (``;``, comma decimals, dd/mm/yyyy, BOM)
ITALIAN_FILES = [italian_name(r.name) for r in RESOURCES]
SERVED = FILES | {name: "text/csv; charset=utf-8" for name in ITALIAN_FILES}


@dataclass(frozen=True)
class IndicatorRow:
    indicator: core.Indicator
    #: None: the values for the year are not certified (nothing shown)
    result: selectors.CertifiedFigure | None
    value: str
    target: str
    #: the reading of the target in force, when not the text's own full reading
    reading: InForce | None = None
    #: the achievement and the status in words, as the one display module writes them
    #: (worked out once per row and page, not per cell)
    shown: str = ""
    status_label: str = ""


@dataclass(frozen=True)
class Node:
    """An objective or mission with its certified roll-up."""

    code: str
    title: str
    score: NodeScore | None
    indicators: list[IndicatorRow]
    children: list[Node]

    @property
    def achievement(self) -> Decimal | None:
        return self.score.achievement if self.score else None

    @property
    def status(self) -> str:
        return self.score.status.value if self.score else "not_available"


def _plan_or_404(key: str) -> pm.Plan:
    try:
        return selectors.published_plan(key)
    except pm.Plan.DoesNotExist:
        raise Http404("no published plan") from None


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    return TemplateResponse(request, "public/index.html", {
        "plans": selectors.published_plans(),
        "files": list(FILES), "italian_files": ITALIAN_FILES,
    })


@require_GET
@cached_page
def plan(request: HttpRequest, key: str, year: int | None = None) -> HttpResponse:
    db = _plan_or_404(key)
    core_plan = stored_plan(db.pk)
    years = selectors.year_results(db, core_plan)
    with_results = [y for y in years if y.certified]
    if year is None:
        if with_results:  # the latest year with certified results
            return redirect("public:plan_year", key=key, year=with_results[-1].year)
        chosen = None
    else:
        chosen = next((y for y in years if y.year == year), None)
        if chosen is None and year not in core_plan.years:
            raise Http404("not a year of the plan")
    context = {
        "db_plan": db, "plan": core_plan, "public_key": key, "year": year,
        "years": [(y.year, bool(y.certified)) for y in years],
        "files": list(FILES), "italian_files": ITALIAN_FILES,
        # the approved editions of the Relazione, every year, latest first
        "editions": editions(db.pk),
        # the plan's official documents still published, PDFs first
        "documents": documents.public_documents(db.pk),
    }
    if chosen is not None and chosen.certified:
        context.update(_results(core_plan, chosen))
    return TemplateResponse(request, "public/plan.html", context)


def _results(plan: core.Plan, yr: selectors.YearResults) -> dict[str, object]:
    ev = yr.evaluation.evaluation
    effective = {i.code: i for i in yr.evaluation.plan.indicators}
    in_force = readings_in_force(yr.period.plan_id, yr.evaluation.plan)
    labels = display.status_labels()  # the words once per page
    made: dict[str, IndicatorRow] = {}

    def row(ind: core.Indicator) -> IndicatorRow:
        if (done := made.get(ind.code)) is not None and done.indicator is ind:
            return done  # listed under an objective and counted below: built once
        r = yr.result(ind.code)
        target = effective[ind.code].targets.get(yr.year, "")
        shown = label = ""
        if r is not None and r.achievement is not None:
            shown = display.percent(r.achievement, missing="—")
            label = labels.get(r.status) or display.status_label(r.status)
        out = made[ind.code] = IndicatorRow(
            ind, r, r.shown if r else "", r.target if r else target,
            in_force.get((ind.code, yr.year)), shown, label)
        return out

    tree = core.plan_tree(plan)
    missions = []
    for m in tree:
        strategic = []
        for s in m.strategic:
            ops = [Node(o.objective.code, o.objective.title,
                        ev.operational.get(o.objective.code),
                        [row(i) for i in o.indicators], []) for o in s.operational]
            strategic.append(Node(s.objective.code, s.objective.title,
                                  ev.strategic.get(s.objective.code),
                                  [row(i) for i in s.indicators], ops))
        missions.append(Node(m.mission.code, m.mission.name, ev.missions.get(m.mission.code),
                             [], strategic))
    rows = [row(i) for i in plan.indicators]
    counts = {s: sum(1 for r in rows if r.result and r.result.status == s)
              for s in ("green", "yellow", "red", "not_available")}
    lang = (translation.get_language() or "it")[:2]
    # the public values (PIAO) with their certified roll-up; none for a plan without them
    public_values = [{
        "code": pv.code, "title": pv.title, "objectives": list(pv.strategic_codes),
        "references": [reference_name(c, lang) for c in (*pv.bes, *pv.sdgs)],
        "achievement": n.achievement if n else None,
        "status": n.status.value if n else "not_available",
    } for pv in plan.public_values for n in (ev.public_values.get(pv.code),)]
    return {"organisation": ev.organisation, "missions": missions,
            "public_values": public_values,
            "certified_count": len(yr.certified), "indicator_count": len(plan.indicators),
            "status_counts": counts}


@require_GET
def opendata_zip(request: HttpRequest, key: str | None = None) -> HttpResponse:
    if key is not None:
        _plan_or_404(key)
    data = selectors.open_data(plan_key=key)
    response = HttpResponse(zip_package(data), content_type="application/zip")
    name = f"opendata-{key}.zip" if key else "opendata-performance.zip"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_GET
def opendata_file(request: HttpRequest, name: str) -> HttpResponse:
    if name not in SERVED:
        raise Http404("no such open data file")
    content = render(selectors.open_data())[name]
    response = HttpResponse(content, content_type=SERVED[name])
    if not name.endswith(".json"):
        response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_GET
def edition_file(request: HttpRequest, key: str, pk: int, fmt: str) -> HttpResponse:
    """A file of an approved edition of the Relazione, as the Giunta approved it."""
    db = _plan_or_404(key)
    try:
        edition = Edition.objects.get(pk=pk, plan=db)
    except Edition.DoesNotExist:
        raise Http404("no such edition") from None
    return file_response(edition, fmt)


@require_GET
def document_file(request: HttpRequest, key: str, pk: int) -> HttpResponse:
    """An official document of the plan, as the planning office published it (a
    withdrawn document is no longer public)."""
    db = _plan_or_404(key)
    doc = documents.readable_document(None, db.pk, pk)  # the public's: the page's rule
    if doc is None:
        raise Http404("no such document")
    return documents.file_response(doc)
