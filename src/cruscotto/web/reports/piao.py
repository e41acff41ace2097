"""The performance section of the PIAO ("2.2 Performance") as a Word document.

The PIAO (*Piano integrato di attività e organizzazione*, D.L. 80/2021) holds the
performance plan in its section 2.2: the public value the administration pursues
(*valore pubblico*, when the plan states it), its strategic objectives, the
operational objectives with their indicators, each with its calculation rule,
its starting value (*baseline*), its yearly targets and its responsibility
centres. This module writes that section from a stored plan, in one language
(labels through the catalogue; the plan's own words as the plan writes them),
with the report's Word tooling (:mod:`cruscotto.web.reports.word`): Word heading
styles (the document's outline), tables whose header row repeats on every page.

The starting value is the indicator's figure in the plan's baseline period (the
year before its first), as stored results give it on the *validated* basis
(validated and certified values: what a document for adoption may quote); "—"
where there is none. Numbers are written the Italian way in both languages.
A target whose reading is not its text's own full reading says which one is in force,
in its cell, as the Relazione does ("Lettura del target: lettura impostata il …", or
"letto solo in parte: non valutato").
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from django.utils import translation
from django.utils.translation import gettext as _
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.shared import Mm

from cruscotto.core import plan as core
from cruscotto.core.piao import reference_name
from cruscotto.core.scoring import IndicatorResult
from cruscotto.core.values import NotComputable, NotMeasured
from cruscotto.io.evaluation_out import display_value, format_figure
from cruscotto.web.measurements import models as mm
from cruscotto.web.measurements.choices import PeriodKind
from cruscotto.web.measurements.readings import InForce, readings_in_force
from cruscotto.web.measurements.selectors import compiled_plan, evaluate_period
from cruscotto.web.plans import models as pm
from cruscotto.web.reports.data import VALIDATED, basis_actor
from cruscotto.web.reports.word import _page_numbers, _table

__all__ = ["CONTENT_TYPE", "LANGUAGES", "PiaoData", "file_name", "piao_data", "piao_docx"]

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
LANGUAGES = ("it", "en")
#: the numbers of the columns that hold figures (right-aligned): baseline and targets
_FIXED_COLUMNS = 3


@dataclass(frozen=True)
class PiaoData:
    plan: core.Plan
    key: str
    #: the baseline period's year, and each indicator's value there as people read it
    baseline_year: int | None
    baseline: dict[str, str]
    #: (indicator code, year) -> the reading in force of a target not read fully from
    #: its text (a structured reading the planning office set, or a text read in part)
    readings: dict[tuple[str, int], InForce] = field(default_factory=dict)


def piao_data(plan_id: int) -> PiaoData:
    """The plan in force and its indicators' starting values (validated basis)."""
    db = pm.Plan.objects.only("pk", "key").get(pk=plan_id)
    # the plan in force (target revisions applied), as the stored results read it
    plan, compiled = compiled_plan(plan_id)
    period = (
        mm.Period.objects.filter(plan_id=plan_id, kind=PeriodKind.BASELINE)
        .order_by("-end_date")
        .first()
    )
    baseline: dict[str, str] = {}
    if period is not None:
        pe = evaluate_period(
            plan_id=plan_id,
            period=period,
            actor=basis_actor(VALIDATED),
            plan=plan,
            compiled=compiled,
        )
        units = {i.code: i.unit for i in plan.indicators}
        # a growth target compares quantities: the formula gives a quantity, not a percent
        growth = {
            sp.code for sp in compiled.specs if any(t.needs_previous for t in sp.targets.values())
        }
        for code, r in pe.evaluation.indicators.items():
            if (
                isinstance(r, IndicatorResult)
                and code not in pe.hidden
                and not isinstance(r.value, NotMeasured | NotComputable)
            ):
                baseline[code] = (
                    format_figure(r.value, percent=False)
                    if code in growth
                    else display_value(r, units.get(code, ""))
                )
    return PiaoData(plan, db.key, period.year if period is not None else None, baseline,
                    readings_in_force(plan_id, plan))


def file_name(data: PiaoData, lang: str) -> str:
    years = f"{min(data.plan.years)}-{max(data.plan.years)}"
    return f"piao-performance-{data.key}-{years}-{lang}.docx"


def piao_docx(data: PiaoData, lang: str) -> bytes:
    """The section as a .docx, every label in ``lang`` (``it`` or ``en``)."""
    if lang not in LANGUAGES:
        raise ValueError(lang)
    with translation.override(lang):
        return _render(data, lang)


def _render(data: PiaoData, lang: str) -> bytes:
    plan = data.plan
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    section.left_margin = section.right_margin = Mm(15)
    title = _("Sezione 2.2 Performance del PIAO")
    doc.core_properties.title = f"{title} · {plan.title}"
    doc.core_properties.author = plan.organisation.name
    doc.core_properties.language = "en-GB" if lang == "en" else "it-IT"
    _page_numbers(section)

    doc.add_paragraph(plan.organisation.name).runs[0].bold = True
    doc.add_paragraph(plan.title)
    doc.add_heading(_("2.2 Performance"), level=1)
    years = ", ".join(str(y) for y in plan.years)
    doc.add_paragraph(
        _(
            "Obiettivi e indicatori di performance del piano, anni %(years)s: "
            "per ogni indicatore l'algoritmo di calcolo, il valore di partenza, "
            "il target di ogni anno e i centri di responsabilità."
        )
        % {"years": years}
    )

    if plan.public_values:
        doc.add_heading(_("Valore pubblico"), level=2)
        for pv in plan.public_values:
            doc.add_heading(f"{pv.code} {pv.title}", level=3)
            if pv.description:
                doc.add_paragraph(pv.description)
            if pv.bes:
                doc.add_paragraph(
                    _("Domini BES: %(list)s")
                    % {"list": "; ".join(reference_name(c, lang) for c in pv.bes)}
                )
            if pv.sdgs:
                doc.add_paragraph(
                    _("Obiettivi di sviluppo sostenibile (SDG): %(list)s")
                    % {"list": "; ".join(reference_name(c, lang) for c in pv.sdgs)}
                )
            objectives = [
                f"{c} {plan.strategic(c).title}"
                for c in pv.strategic_codes
                if c in {s.code for s in plan.strategic_objectives}
            ]
            if objectives:
                doc.add_paragraph(
                    _("Obiettivi strategici: %(list)s") % {"list": "; ".join(objectives)}
                )

    heads = _headers(data)
    doc.add_heading(_("Obiettivi strategici e operativi"), level=2)
    by_code = sorted(plan.indicators, key=lambda i: core.code_sort_key(i.code))
    for so in plan.strategic_objectives:
        doc.add_heading(
            _("Obiettivo strategico %(code)s %(title)s") % {"code": so.code, "title": so.title},
            level=3,
        )
        if so.narrative:
            doc.add_paragraph(so.narrative)
        pv = plan.public_value_of(so.code)
        if pv is not None:
            doc.add_paragraph(
                _("Valore pubblico: %(code)s %(title)s") % {"code": pv.code, "title": pv.title}
            )
        direct = [i for i in by_code if i.strategic_code == so.code and not i.operational_code]
        if direct:
            _table(
                doc,
                _("Indicatori dell'obiettivo strategico %(code)s") % {"code": so.code},
                heads,
                [_row(data, i) for i in direct],
                numeric=_numeric(data),
            )
        for oo in sorted(
            (o for o in plan.operational_objectives if o.strategic_code == so.code),
            key=lambda o: core.code_sort_key(o.code),
        ):
            doc.add_heading(
                _("Obiettivo operativo %(code)s %(title)s") % {"code": oo.code, "title": oo.title},
                level=4,
            )
            mine = [i for i in by_code if i.operational_code == oo.code]
            if mine:
                _table(
                    doc,
                    _("Indicatori dell'obiettivo operativo %(code)s") % {"code": oo.code},
                    heads,
                    [_row(data, i) for i in mine],
                    numeric=_numeric(data),
                )
            else:
                doc.add_paragraph(_("Nessun indicatore."))
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _headers(data: PiaoData) -> list[str]:
    base = (
        _("Valore di partenza (%(year)s)") % {"year": data.baseline_year}
        if data.baseline_year is not None
        else _("Valore di partenza")
    )
    return [
        _("Codice"),
        _("Indicatore"),
        _("Algoritmo di calcolo"),
        base,
        *(_("Target %(year)s") % {"year": y} for y in data.plan.years),
        _("Centri di responsabilità"),
    ]


def _numeric(data: PiaoData) -> tuple[int, ...]:
    return tuple(range(_FIXED_COLUMNS, _FIXED_COLUMNS + 1 + len(data.plan.years)))


def _row(data: PiaoData, ind: core.Indicator) -> list[str]:
    name = f"{ind.name} ({ind.unit})" if ind.unit else ind.name
    return [
        ind.code,
        name,
        ind.formula_text or "—",
        data.baseline.get(ind.code, "—"),
        *(_target(data, ind, y) for y in data.plan.years),
        "; ".join(ind.centres) or "—",
    ]


def _target(data: PiaoData, ind: core.Indicator, year: int) -> str:
    """The year's target as the plan writes it and, when its reading is not the text's
    own full reading, which one is in force (as the Relazione marks it: a document for
    adoption and publication says when the reading was set, not who set it)."""
    text = ind.targets.get(year)
    if not text:
        return "—"
    reading = data.readings.get((ind.code, year))
    if reading is None:
        return text
    return f"{text} ({_('Lettura del target')}: {reading.title(who=False)})"
