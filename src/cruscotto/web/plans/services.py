"""Writes of plans: the only path from a core ``Plan`` to the database."""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from decimal import Decimal
from typing import Any, TypeVar

from django.db import models, transaction

from cruscotto.core import plan as core
from cruscotto.core.piao import public_value_to_data
from cruscotto.core.plan import PlanError, check_plan, slugify
from cruscotto.core.workflow import Role
from cruscotto.io.interchange import yearly_to_data
from cruscotto.web.accounts.permissions import actor_for, organisations_with_role

from . import models as m
from . import signals

#: budgets are stored with cents, up to 13 integer digits (max_digits=15)
_BUDGET_LIMIT = Decimal(10) ** 13
_PLAN_KEY_ORG_LENGTH = 200

ModelT = TypeVar("ModelT", bound=models.Model)


@transaction.atomic
def write_plan(*, plan: core.Plan, key: str | None = None) -> m.Plan:
    """Store ``plan``, or raise :class:`PlanError` and leave the database untouched.

    A plan with the identity of a stored one (same organisation, same first and
    last year) replaces it in place: entities are matched by their codes (centres
    and data sources by key), changed fields are updated, new entities created
    and entities no longer in the plan deleted. Rows that survive keep their
    primary keys, so data recorded against an indicator outlives a re-import.

    ``key``, when given, is the stored plan's key instead of the one made from
    the organisation and the years; refused when another plan holds it.
    """
    check_plan(plan)
    problems = storage_problems(plan)
    if problems:
        raise PlanError("the plan cannot be stored", problems)

    org = _organisation(plan.organisation)
    first, last = min(plan.years), max(plan.years)
    db_plan = (
        m.Plan.objects.select_for_update()
        .filter(organisation=org, first_year=first, last_year=last)
        .first()
    )
    if db_plan is None:
        db_plan = m.Plan(organisation=org, first_year=first, last_year=last)
    if key is not None:
        if slugify(key) != key or not key or len(key) > m.KEY_LENGTH:
            raise PlanError("the plan cannot be stored", [
                f"key {key[:40]!r}: expected lower-case letters, digits and hyphens"])
        if m.Plan.objects.filter(key=key).exclude(pk=db_plan.pk).exists():
            raise PlanError("the plan cannot be stored", [
                f"key {key!r} is the key of another stored plan"])
    db_plan.key = key if key is not None else _free_plan_key(plan_key(plan), db_plan.pk)
    db_plan.title = plan.title
    db_plan.years = list(plan.years)
    db_plan.band_green = plan.bands.green
    db_plan.band_yellow = plan.bands.yellow
    db_plan.source_file = plan.source.file
    db_plan.source_line = plan.source.line
    db_plan.public_values = [public_value_to_data(pv) for pv in plan.public_values]
    db_plan.save()
    _Writer(db_plan, plan).run()
    # a new revision; the layers above may refuse the change (a certified figure)
    signals.content_changed(db_plan.pk)
    return db_plan


def plan_key(plan: core.Plan) -> str:
    """The plan's key in URLs and on the command line: ``<organisation>-<first>-<last>``."""
    org = slugify(plan.organisation.code or plan.organisation.name)[:_PLAN_KEY_ORG_LENGTH]
    years = f"{min(plan.years)}-{max(plan.years)}" if plan.years else "x"
    return f"{org or 'piano'}-{years}"


def storage_problems(plan: core.Plan) -> list[str]:
    """What ``check_plan`` accepts but the database could not hold faithfully."""
    problems: list[str] = []
    if not plan.years:
        problems.append("the plan has no years")
    for y in plan.years:
        if not 1 <= y <= 32767:
            problems.append(f"plan year {y} out of range")

    def too_long(kind: str, value: str, limit: int) -> None:
        if len(value) > limit:
            problems.append(f"{kind} {value[:40]!r}...: longer than {limit} characters")

    def fits(kind: str, name: str, what: str, value: Decimal, digits: int, places: int) -> None:
        if not value.is_finite() or abs(value) >= Decimal(10) ** (digits - places) or (
                value != value.quantize(Decimal(1).scaleb(-places))):
            problems.append(f"{kind} {name}: {what} {value} must have at most "
                            f"{digits - places} digits and {places} decimals")

    too_long("organisation code", plan.organisation.code, m.CODE_LENGTH)
    too_long("organisation name", plan.organisation.name, m.KEY_LENGTH)
    refs: list[tuple[str, core.SourceRef]] = [("plan", plan.source)]
    for mission in plan.missions:
        too_long("mission code", mission.code, m.CODE_LENGTH)
        refs.append((f"mission {mission.code}", mission.source))
        seen: set[str] = set()
        for prog in mission.programmes:
            too_long("programme code", prog.code, m.CODE_LENGTH)
            too_long("programme budget text", prog.budget_text, 100)
            refs.append((f"programme {mission.code}/{prog.code}", prog.source))
            if prog.code in seen:
                problems.append(f"mission {mission.code}: duplicate programme code {prog.code!r}")
            seen.add(prog.code)
            if prog.budget is not None and (
                not prog.budget.is_finite()
                or abs(prog.budget) >= _BUDGET_LIMIT
                or prog.budget != prog.budget.quantize(Decimal("0.01"))
            ):
                problems.append(
                    f"programme {mission.code}/{prog.code}: budget {prog.budget} must have "
                    f"at most 13 digits and 2 decimals")
    for so in plan.strategic_objectives:
        too_long("strategic objective code", so.code, m.CODE_LENGTH)
        refs.append((f"strategic objective {so.code}", so.source))
        for mc in _duplicates(so.mission_codes):
            problems.append(f"strategic objective {so.code}: mission {mc!r} listed twice")
    for oo in plan.operational_objectives:
        too_long("operational objective code", oo.code, m.CODE_LENGTH)
        too_long("programme code", oo.programme_code, m.CODE_LENGTH)
        refs.append((f"operational objective {oo.code}", oo.source))
    for ind in plan.indicators:
        too_long("indicator code", ind.code, m.CODE_LENGTH)
        too_long("programme code", ind.programme_code, m.CODE_LENGTH)
        refs.append((f"indicator {ind.code}", ind.source))
        for name in _duplicates(ind.centres):
            problems.append(f"indicator {ind.code}: centre {name!r} listed twice")
        for name in _duplicates(ind.data_sources):
            problems.append(f"indicator {ind.code}: data source {name!r} listed twice")
        fits("indicator", ind.code, "weight", ind.weight, m.WEIGHT_DIGITS, m.WEIGHT_PLACES)
    for what, value in (("green", plan.bands.green), ("yellow", plan.bands.yellow)):
        fits("status band", what, "threshold", value, m.BAND_DIGITS, m.BAND_PLACES)
    for v in plan.variables:
        too_long("variable name", v.name, m.NAME_LENGTH)
    for pv in plan.public_values:
        too_long("public value code", pv.code, m.CODE_LENGTH)
    for c in plan.centres:
        too_long("centre key", c.key, m.KEY_LENGTH)
    for s in plan.data_sources:
        too_long("data source key", s.key, m.KEY_LENGTH)
    for key in _duplicates(s.key for s in plan.data_sources):
        problems.append(f"duplicate data source key {key!r}")
    for what, ref in refs:
        too_long(f"{what}: source file", ref.file, m.KEY_LENGTH)
        if ref.line is not None and ref.line < 0:
            problems.append(f"{what}: negative source line {ref.line}")
    return problems


def _duplicates(values: Iterable[str]) -> list[str]:
    seen: set[str] = set()
    dupes: list[str] = []
    for v in values:
        if v in seen and v not in dupes:
            dupes.append(v)
        seen.add(v)
    return dupes


def _organisation(org: core.Organisation) -> m.Organisation:
    if org.code:
        db_org, _ = m.Organisation.objects.get_or_create(code=org.code, defaults={"name": org.name})
    else:
        db_org, _ = m.Organisation.objects.get_or_create(code="", name=org.name)
    if db_org.name != org.name:
        db_org.name = org.name
        db_org.save(update_fields=["name"])
    return db_org


def _free_plan_key(key: str, plan_pk: int | None) -> str:
    """``key``, or ``key-2``, ``key-3``... when another plan already uses it."""
    others = m.Plan.objects.all() if plan_pk is None else m.Plan.objects.exclude(pk=plan_pk)
    candidate, n = key, 2
    while others.filter(key=candidate).exists():
        candidate, n = f"{key}-{n}", n + 1
    return candidate


def _sync(
    model: type[ModelT],
    existing: Iterable[ModelT],
    key_of: Any,
    wanted: Mapping[Hashable, dict[str, Any]],
) -> tuple[dict[Hashable, ModelT], list[int]]:
    """Make the rows of ``model`` match ``wanted`` (key → field values by attname).

    Returns the rows by key and the primary keys of the rows to delete; the
    caller deletes them once no kept row refers to them any more.
    """
    current = {key_of(obj): obj for obj in existing}
    rows: dict[Hashable, ModelT] = {}
    to_create: list[ModelT] = []
    to_update: list[ModelT] = []
    fields: set[str] = set()
    for key, values in wanted.items():
        obj = current.get(key)
        if obj is None:
            obj = model(**values)
            to_create.append(obj)
        else:
            changed = [f for f, v in values.items() if getattr(obj, f) != v]
            if changed:
                for f in changed:
                    setattr(obj, f, values[f])
                fields.update(changed)
                to_update.append(obj)
        rows[key] = obj
    if to_create:
        model._default_manager.bulk_create(to_create)
    if to_update:
        # bulk_update takes field names; our values use attnames (mission_id)
        names = sorted({f[:-3] if f.endswith("_id") else f for f in fields})
        model._default_manager.bulk_update(to_update, names)
    stale = [obj.pk for key, obj in current.items() if key not in wanted]
    return rows, stale


def _source(ref: core.SourceRef) -> dict[str, Any]:
    return {"source_file": ref.file, "source_line": ref.line}


class _Writer:
    """Brings the rows of one stored plan in line with a core plan."""

    def __init__(self, db_plan: m.Plan, plan: core.Plan) -> None:
        self.db_plan = db_plan
        self.plan = plan
        self.stale: list[tuple[type[models.Model], list[int]]] = []

    def run(self) -> None:
        p, plan, pid = self.db_plan, self.plan, self.db_plan.pk

        centres = self._sync(
            m.ResponsibilityCentre, m.ResponsibilityCentre.objects.filter(plan=p),
            lambda o: o.key,
            {c.key: {"plan_id": pid, "key": c.key, "name": c.name, "position": n}
             for n, c in enumerate(plan.centres)})
        centre_by_name = {c.name: centres[c.key] for c in plan.centres}

        sources = self._sync(
            m.DataSource, m.DataSource.objects.filter(plan=p), lambda o: o.key,
            {s.key: {"plan_id": pid, "key": s.key, "name": s.name, "position": n}
             for n, s in enumerate(plan.data_sources)})
        source_by_name = {s.name: sources[s.key] for s in plan.data_sources}

        self._sync(
            m.Variable, m.Variable.objects.filter(plan=p), lambda o: o.name,
            {v.name: {"plan_id": pid, "name": v.name, "label": v.label,
                      "source_id": source_by_name[v.source].pk if v.source else None,
                      "kind": str(v.kind), "unit": v.unit, "position": n}
             for n, v in enumerate(plan.variables)})

        missions = self._sync(
            m.Mission, m.Mission.objects.filter(plan=p), lambda o: o.code,
            {ms.code: {"plan_id": pid, "code": ms.code, "name": ms.name, "position": n,
                       **_source(ms.source)}
             for n, ms in enumerate(plan.missions)})

        self._sync(
            m.Programme, m.Programme.objects.filter(mission__plan=p),
            lambda o: (o.mission_id, o.code),
            {(missions[ms.code].pk, pg.code): {
                "mission_id": missions[ms.code].pk, "code": pg.code, "name": pg.name,
                "budget": pg.budget, "budget_text": pg.budget_text, "position": n,
                **_source(pg.source)}
             for ms in plan.missions for n, pg in enumerate(ms.programmes)})

        strategic = self._sync(
            m.StrategicObjective, m.StrategicObjective.objects.filter(plan=p),
            lambda o: o.code,
            {so.code: {"plan_id": pid, "code": so.code, "title": so.title,
                       "narrative": so.narrative, "position": n, **_source(so.source)}
             for n, so in enumerate(plan.strategic_objectives)})

        self._sync(
            m.StrategicObjectiveMission,
            m.StrategicObjectiveMission.objects.filter(strategic__plan=p),
            lambda o: (o.strategic_id, o.mission_id),
            {(strategic[so.code].pk, missions[mc].pk): {
                "strategic_id": strategic[so.code].pk, "mission_id": missions[mc].pk,
                "position": n}
             for so in plan.strategic_objectives for n, mc in enumerate(so.mission_codes)})

        def mission_id(code: str) -> int | None:
            return missions[code].pk if code else None

        operational = self._sync(
            m.OperationalObjective, m.OperationalObjective.objects.filter(plan=p),
            lambda o: o.code,
            {oo.code: {"plan_id": pid, "code": oo.code,
                       "strategic_id": strategic[oo.strategic_code].pk,
                       "title": oo.title, "area": oo.area,
                       "mission_id": mission_id(oo.mission_code),
                       "programme_code": oo.programme_code, "position": n,
                       **_source(oo.source)}
             for n, oo in enumerate(plan.operational_objectives)})

        indicators = self._sync(
            m.Indicator, m.Indicator.objects.filter(plan=p), lambda o: o.code,
            {ind.code: {
                "plan_id": pid, "code": ind.code, "name": ind.name,
                "description": ind.description, "kind": ind.kind, "unit": ind.unit,
                "formula_text": ind.formula_text,
                "formula": ind.formula,
                "measures": [[name, text] for name, text in ind.measures.items()],
                "polarity": str(ind.polarity) if ind.polarity is not None else "",
                "polarity_inferred": ind.polarity_inferred,
                "weight": ind.weight,
                **yearly_to_data(ind),
                "strategic_id": strategic[ind.strategic_code].pk,
                "operational_id": (
                    operational[ind.operational_code].pk if ind.operational_code else None),
                "mission_id": mission_id(ind.mission_code),
                "programme_code": ind.programme_code, "position": n, **_source(ind.source)}
             for n, ind in enumerate(plan.indicators)})

        self._sync(
            m.IndicatorTarget, m.IndicatorTarget.objects.filter(indicator__plan=p),
            lambda o: (o.indicator_id, o.year),
            {(indicators[ind.code].pk, year): {
                "indicator_id": indicators[ind.code].pk, "year": year, "text": text,
                "position": n, "reading": _reading_data(ind, year)}
             for ind in plan.indicators for n, (year, text) in enumerate(ind.targets.items())})

        self._sync(
            m.IndicatorCentre, m.IndicatorCentre.objects.filter(indicator__plan=p),
            lambda o: (o.indicator_id, o.centre_id),
            {(indicators[ind.code].pk, centre_by_name[name].pk): {
                "indicator_id": indicators[ind.code].pk,
                "centre_id": centre_by_name[name].pk, "position": n}
             for ind in plan.indicators for n, name in enumerate(ind.centres)})

        self._sync(
            m.IndicatorDataSource, m.IndicatorDataSource.objects.filter(indicator__plan=p),
            lambda o: (o.indicator_id, o.data_source_id),
            {(indicators[ind.code].pk, source_by_name[name].pk): {
                "indicator_id": indicators[ind.code].pk,
                "data_source_id": source_by_name[name].pk, "position": n}
             for ind in plan.indicators for n, name in enumerate(ind.data_sources)})

        # Children before the parents they point to (references are RESTRICT).
        for model, pks in reversed(self.stale):
            if pks:
                model._default_manager.filter(pk__in=pks).delete()

    def _sync(
        self,
        model: type[ModelT],
        existing: Iterable[ModelT],
        key_of: Any,
        wanted: Mapping[Hashable, dict[str, Any]],
    ) -> dict[Hashable, ModelT]:
        rows, stale = _sync(model, existing, key_of, wanted)
        self.stale.append((model, stale))
        return rows


# -- publication ------------------------------------------------------------------------

class NotAllowed(Exception):
    """The person may not do this (the message says why)."""


def may_publish(user: Any, plan_id: int | None = None) -> bool:
    """The planning office and administrators of the plan's organisation publish it
    (``plan_id`` None: of any organisation, to offer the action at all)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if plan_id is None:
        return bool(getattr(user, "is_superuser", False)
                    or organisations_with_role(user, Role.PLANNING, Role.ADMIN))
    return bool(actor_for(user, plan_id).roles & {Role.PLANNING, Role.ADMIN})


@transaction.atomic
def set_published(*, plan: m.Plan, published: bool, user: Any = None) -> m.Plan:
    """Publish ``plan`` (its certified results become public) or withdraw it.

    ``user`` is the person asking (the admin action); ``None`` is the operator
    at the command line, who is trusted as for ``cruscotto plan import``.
    Publishing again keeps the first publication date.
    """
    from django.utils import timezone

    if user is not None and not may_publish(user, plan.pk):
        raise NotAllowed("only the planning office and administrators publish plans")
    db = m.Plan.objects.select_for_update().get(pk=plan.pk)
    if published and not db.published:
        db.published_at = timezone.now()
    elif not published:
        db.published_at = None
    db.published = published
    db.save(update_fields=["published", "published_at", "updated_at"])
    return db


def _reading_data(ind: core.Indicator, year: int) -> dict[str, Any] | None:
    """The structured reading beside the target of ``year`` as stored (None: none)."""
    reading = ind.readings.get(year)
    return reading.to_data() if reading is not None else None
