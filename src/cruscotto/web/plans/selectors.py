"""Reads of plans: the database back to core objects, in a fixed number of queries."""

from __future__ import annotations

import datetime
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, QuerySet

from cruscotto.core import plan as core
from cruscotto.core.piao import public_value_from_data
from cruscotto.core.target_structure import TargetReading
from cruscotto.io.interchange import baselines_from_data, definitions_from_data

from . import models as m


@dataclass(frozen=True, slots=True)
class PlanSummary:
    """A stored plan as the list of plans shows it."""

    key: str
    title: str
    organisation: str
    years: list[int]
    indicator_count: int
    updated_at: datetime.datetime
    published: bool = False
    published_at: datetime.datetime | None = None


def is_public(user: Any) -> bool:
    """Nobody signed in: the public, who see published plans only."""
    return user is None or not getattr(user, "is_authenticated", False)


def readable_plans(user: Any) -> QuerySet[m.Plan]:
    """The plans ``user`` may read: every stored plan once signed in, the published
    ones for the public."""
    rows = m.Plan.objects.all()
    return rows.filter(published=True) if is_public(user) else rows


def readable_plan(user: Any, key: str) -> m.Plan:
    """The plan ``key`` if ``user`` may read it, else ``models.Plan.DoesNotExist``
    (an unpublished plan does not exist for the public)."""
    return readable_plans(user).get(key=key)


def list_plans(*, public: bool = False) -> list[PlanSummary]:
    """Every stored plan (``public``: the published ones), the most recent years first."""
    rows = (
        (m.Plan.objects.filter(published=True) if public else m.Plan.objects.all())
        .select_related("organisation")
        .annotate(indicator_count=Count("indicator"))
        .order_by("-first_year", "-last_year", "key")
    )
    return [
        PlanSummary(
            key=p.key, title=p.title, organisation=p.organisation.name, years=list(p.years),
            indicator_count=p.indicator_count, updated_at=p.updated_at,
            published=p.published, published_at=p.published_at)
        for p in rows
    ]


def plan_keys() -> list[str]:
    return list(m.Plan.objects.order_by("-first_year", "key").values_list("key", flat=True))


#: plan id -> (revision, the plan as stored): this process's copy, see :func:`stored_plan`
_STORED: dict[int, tuple[str, core.Plan]] = {}


def stored_plan(plan: int | str, *, published_only: bool = False) -> core.Plan:
    """:func:`read_plan`, read once per plan revision in this process: one query
    (the revision) when the plan has not changed since.

    ``Plan.revision`` changes in the same transaction as every change of the
    plan's content (``signals``), so a reader never gets an old plan. The plan
    returned is shared: callers must not change it.
    """
    lookup = {"pk": plan} if isinstance(plan, int) else {"key": plan}
    rows = m.Plan.objects.filter(published=True) if published_only else m.Plan.objects
    pk, revision = rows.values_list("pk", "revision").get(**lookup)
    hit = _STORED.get(pk)
    if hit is not None and hit[0] == revision:
        return hit[1]
    read = read_plan(pk)
    _STORED[pk] = (revision, read)
    return read


def read_plan(plan: int | str, *, published_only: bool = False) -> core.Plan:
    """The stored plan with primary key or key ``plan``, as a core ``Plan``.

    The exact inverse of ``services.write_plan``: every list in its order, every
    target and centre, every ``SourceRef``, the engine's reading (formulas,
    measures, polarities, weights, variables, status bands). Thirteen queries,
    whatever the size of the plan. Raises ``models.Plan.DoesNotExist`` for an
    unknown plan (and, with ``published_only``, for an unpublished one).

    Decimals come back equal to what was written, without the zeros the
    column pads them with (a weight written ``1.50`` reads ``1.5``).
    """
    lookup = {"pk": plan} if isinstance(plan, int) else {"key": plan}
    rows = m.Plan.objects.filter(published=True) if published_only else m.Plan.objects
    db = rows.select_related("organisation").get(**lookup)
    pid = db.pk

    centres = list(m.ResponsibilityCentre.objects.filter(plan_id=pid).order_by("position"))
    sources = list(m.DataSource.objects.filter(plan_id=pid).order_by("position"))
    centre_name = {c.pk: c.name for c in centres}
    source_name = {s.pk: s.name for s in sources}

    programmes: dict[int, list[core.Programme]] = defaultdict(list)
    for pg in m.Programme.objects.filter(mission__plan_id=pid).order_by("mission_id", "position"):
        programmes[pg.mission_id].append(core.Programme(
            code=pg.code, name=pg.name, budget=_budget(pg.budget), budget_text=pg.budget_text,
            source=_source(pg)))
    mission_rows = list(m.Mission.objects.filter(plan_id=pid).order_by("position"))
    mission_code = {ms.pk: ms.code for ms in mission_rows}
    missions = [
        core.Mission(code=ms.code, name=ms.name, programmes=programmes[ms.pk], source=_source(ms))
        for ms in mission_rows
    ]

    so_missions: dict[int, list[str]] = defaultdict(list)
    for so_id, ms_id in (
        m.StrategicObjectiveMission.objects.filter(strategic__plan_id=pid)
        .order_by("strategic_id", "position").values_list("strategic_id", "mission_id")
    ):
        so_missions[so_id].append(mission_code[ms_id])
    so_rows = list(m.StrategicObjective.objects.filter(plan_id=pid).order_by("position"))
    so_code = {so.pk: so.code for so in so_rows}
    strategic = [
        core.StrategicObjective(
            code=so.code, title=so.title, narrative=so.narrative,
            mission_codes=so_missions[so.pk], source=_source(so))
        for so in so_rows
    ]

    oo_rows = list(m.OperationalObjective.objects.filter(plan_id=pid).order_by("position"))
    oo_code = {oo.pk: oo.code for oo in oo_rows}
    operational = [
        core.OperationalObjective(
            code=oo.code, strategic_code=so_code[oo.strategic_id], title=oo.title, area=oo.area,
            mission_code=mission_code[oo.mission_id] if oo.mission_id else "",
            programme_code=oo.programme_code, source=_source(oo))
        for oo in oo_rows
    ]

    targets: dict[int, dict[int, str]] = defaultdict(dict)
    readings: dict[int, dict[int, TargetReading]] = defaultdict(dict)
    for ind_id, year, text, reading in (
        m.IndicatorTarget.objects.filter(indicator__plan_id=pid)
        .order_by("indicator_id", "position")
        .values_list("indicator_id", "year", "text", "reading")
    ):
        targets[ind_id][year] = text
        if reading is not None:
            readings[ind_id][year] = TargetReading.from_data(reading)
    ind_centres: dict[int, list[str]] = defaultdict(list)
    for ind_id, centre_id in (
        m.IndicatorCentre.objects.filter(indicator__plan_id=pid)
        .order_by("indicator_id", "position").values_list("indicator_id", "centre_id")
    ):
        ind_centres[ind_id].append(centre_name[centre_id])
    ind_sources: dict[int, list[str]] = defaultdict(list)
    for ind_id, source_id in (
        m.IndicatorDataSource.objects.filter(indicator__plan_id=pid)
        .order_by("indicator_id", "position").values_list("indicator_id", "data_source_id")
    ):
        ind_sources[ind_id].append(source_name[source_id])
    indicators = [
        core.Indicator(
            code=i.code, name=i.name, description=i.description, kind=i.kind, unit=i.unit,
            data_sources=ind_sources[i.pk],
            formula_text=i.formula_text, targets=targets[i.pk], centres=ind_centres[i.pk],
            strategic_code=so_code[i.strategic_id],
            operational_code=oo_code[i.operational_id] if i.operational_id else "",
            mission_code=mission_code[i.mission_id] if i.mission_id else "",
            programme_code=i.programme_code, source=_source(i),
            formula=i.formula, measures={name: text for name, text in i.measures},
            polarity=core.Polarity(i.polarity) if i.polarity else None,
            polarity_inferred=i.polarity_inferred, weight=_exact(i.weight),
            definitions=definitions_from_data(i.definitions),
            baselines=baselines_from_data(i.baselines),
            readings=readings[i.pk])
        for i in m.Indicator.objects.filter(plan_id=pid).order_by("position")
    ]
    variables = [
        core.Variable(
            name=v.name, label=v.label,
            source=source_name[v.source_id] if v.source_id is not None else "",
            kind=core.VariableKind(v.kind), unit=v.unit)
        for v in m.Variable.objects.filter(plan_id=pid).order_by("position")
    ]

    return core.Plan(
        organisation=core.Organisation(name=db.organisation.name, code=db.organisation.code),
        title=db.title,
        years=list(db.years),
        missions=missions,
        strategic_objectives=strategic,
        operational_objectives=operational,
        indicators=indicators,
        centres=[core.ResponsibilityCentre(key=c.key, name=c.name) for c in centres],
        data_sources=[core.DataSource(key=s.key, name=s.name) for s in sources],
        source=_source(db),
        variables=variables,
        bands=core.StatusBands(green=_exact(db.band_green), yellow=_exact(db.band_yellow)),
        public_values=[public_value_from_data(d) for d in db.public_values],
    )


def _source(row: m.SourceFields) -> core.SourceRef:
    return core.SourceRef(file=row.source_file, line=row.source_line)


def _budget(value: Decimal | None) -> Decimal | None:
    """Drop the cents the column adds to a whole amount (19350072.00 → 19350072)."""
    if value is None or value != value.to_integral_value():
        return value
    return value.quantize(Decimal(1))


def _exact(value: Decimal) -> Decimal:
    """The value without the zeros the column pads it with (1.500000 → 1.5, 2.000000 → 2)."""
    value = value.normalize()
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value


# -- search -------------------------------------------------------------------

def _fold(text: str) -> str:
    """Lower case without accents, so ``qualita`` finds ``Qualità``."""
    norm = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in norm if not unicodedata.combining(ch))


def exact_indicator(plan: core.Plan, query: str) -> core.Indicator | None:
    """The indicator whose code is exactly ``query`` (spaces around ignored)."""
    code = query.strip()
    return next((i for i in plan.indicators if i.code == code), None)


def search_indicators(plan: core.Plan, query: str) -> list[core.Indicator]:
    """Indicators matching every word of ``query``, in code order.

    A word matches an indicator when it is the indicator's code or a prefix of
    it at a dot (``3.1`` finds ``3.1.1`` but not ``13.1.2``), or when it occurs
    in the name or the description, ignoring case and accents.
    """
    words = [_fold(w) for w in query.split()]
    if not words:
        return []
    found = []
    for ind in plan.indicators:
        text = _fold(f"{ind.name}\n{ind.description}")
        if all(
            ind.code == w or ind.code.startswith(w.rstrip(".") + ".") or w in text
            for w in words
        ):
            found.append(ind)
    return sorted(found, key=lambda i: core.code_sort_key(i.code))
