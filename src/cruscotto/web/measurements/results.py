"""Stored results: the engine's figures per plan, period and visibility, kept current
by the write paths (docs/read-path.md, "Stored results").

A :class:`~.models.ResultSet` holds one plan evaluated for one period as one
*visibility* sees it:

- ``public``: certified values only (anonymous readers, the open data, the
  public report);
- ``reader``: validated and certified values (a signed-in reader, a centre for
  the indicators of other centres);
- ``office``: every value, drafts included (the planning office, the OIV,
  administrators; the services' own checks);
- ``drafts:<digest>``: a centre's own drafts on top of ``reader`` (its
  members read their own indicators' drafts and see them in the roll-up);
  computed when first read, dropped by the next write of the period.

Every write path recomputes what it affects **in its own transaction**
(:func:`touched`): saving values (the period written, and the periods of later
years whose growth targets read it), workflow actions (the period), period
changes and plan changes (every period of the plan). Several writes in one
transaction (an upload, a bulk validation, the demo) recompute once, at the end
of the outermost :func:`batch`.

A reader never calls the engine: :func:`stored` reads the sets of a plan
for one visibility in one query (the evaluations themselves come from a
per-process cache keyed by the set's token, or one more query). A set missing
(first read after a migration or a restore) or computed for another plan
revision or engine version is computed then and stored. A set whose *stamp*
(a digest of every value and state it was computed from) differs from the
data, because something wrote around the services, is served as it is and
marked **stale**: the page says when it was computed and that the data
changed since; ``cruscotto results refresh`` recomputes it.

Reasons are stored as messages (``{"template", "params"}`` in ``figures`` and
``hidden``), never as text translated for whoever wrote; the pickled evaluation
keeps them as :class:`~cruscotto.core.messages.Message`, which reads in the
language of whoever is shown it.
"""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import pickle
import sys
import uuid
from collections.abc import Iterable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

import cruscotto.core
from cruscotto.core import plan as core
from cruscotto.core.evaluation import CompiledPlan, evaluate_plan
from cruscotto.core.messages import Message
from cruscotto.core.rollup import NodeScore, PlanEvaluation
from cruscotto.core.values import to_data
from cruscotto.core.workflow import Actor, State, can_read_drafts, public_states
from cruscotto.web.measurements import models as mm
from cruscotto.web.measurements.choices import PeriodKind

__all__ = ["EAGER", "Scope", "Stored", "batch", "refresh", "scope_for", "stored", "touched"]


def _engine_version() -> str:
    """A digest of the engine's code (and of this module, which pickles it): a set
    pickled by other code is recomputed, never unpickled."""
    h = hashlib.sha1(sys.version.encode())
    for path in [*sorted(Path(cruscotto.core.__file__).parent.glob("*.py")), Path(__file__)]:
        h.update(path.read_bytes())
    return h.hexdigest()[:32]


ENGINE = _engine_version()


def _restore(cls: type, values: tuple[Any, ...]) -> Any:
    """Unpickle one of the core's frozen slotted dataclasses (see :func:`_fast_pickling`)."""
    obj = object.__new__(cls)
    for name, value in zip(_FIELDS[cls], values, strict=True):
        object.__setattr__(obj, name, value)
    return obj


#: the core's slotted dataclasses and their fields, in order
_FIELDS: dict[type, tuple[str, ...]] = {}


def _fast_pickling() -> None:
    """Pickle the core's slotted dataclasses as (class, field values). The default
    (``dataclasses._dataclass_getstate``) looks the fields up again for every object:
    most of the time of storing a 400-indicator evaluation (docs/performance.md)."""
    import copyreg
    import dataclasses
    import importlib
    import pkgutil

    for info in pkgutil.iter_modules(cruscotto.core.__path__):
        module = importlib.import_module(f"cruscotto.core.{info.name}")
        for obj in vars(module).values():
            if (isinstance(obj, type) and dataclasses.is_dataclass(obj)
                    and obj.__module__ == module.__name__ and "__slots__" in vars(obj)):
                names = tuple(f.name for f in dataclasses.fields(obj))
                _FIELDS[obj] = names
                copyreg.pickle(obj, lambda o, cls=obj, names=names: (
                    _restore, (cls, tuple(getattr(o, n) for n in names))))


_fast_pickling()

#: why an indicator counts as not computable for a reader (stored as message templates)
NOT_VALIDATED = gettext_noop("valori non ancora validati")
NOT_CERTIFIED = gettext_noop("valori non ancora certificati")


@dataclass(frozen=True)
class Scope:
    """Which values count for a reader: states shown to all, and the indicators whose
    drafts they also read (``None``: every indicator)."""

    key: str
    shown: frozenset[State]
    drafts: frozenset[str] | None

    def hidden(self, plan: core.Plan, states: dict[str, State]) -> dict[str, str]:
        """indicator code -> why it is left out (a message template), for these states."""
        if self.drafts is None:
            return {}
        out = {}
        for ind in plan.indicators:
            st = states.get(ind.code, State.DRAFT)
            if st in self.shown or ind.code in self.drafts:
                continue
            out[ind.code] = NOT_CERTIFIED if st is State.VALIDATED else NOT_VALIDATED
        return out


PUBLIC = Scope("public", frozenset({State.CERTIFIED}), frozenset())
READER = Scope("reader", frozenset({State.VALIDATED, State.CERTIFIED}), frozenset())
OFFICE = Scope("office", frozenset(State), None)
#: the visibilities every write recomputes at once
EAGER = (PUBLIC, READER, OFFICE)


def scope_for(actor: Actor | None, plan: core.Plan, *, include_drafts: bool = False
              ) -> Scope:
    """The visibility of ``actor`` (the rule of ``core.workflow``: ``public_states``
    for everyone, drafts for their centre, the planning office and the OIV)."""
    if include_drafts or (actor is not None and can_read_drafts(actor, centres=())):
        return OFFICE
    shown = public_states(actor)
    drafts = frozenset(i.code for i in plan.indicators
                       if actor is not None and can_read_drafts(actor, centres=i.centres))
    if not drafts:
        if shown == PUBLIC.shown:
            return PUBLIC
        if shown == READER.shown:
            return READER
    if len(drafts) == len(plan.indicators):
        return OFFICE
    digest = hashlib.sha1(("|".join(sorted(shown)) + "/" + "|".join(sorted(drafts))).encode())
    return Scope("drafts:" + digest.hexdigest()[:24], shown, drafts)


# -- stamps: what a set was computed from ----------------------------------------------

def _digest(items: Iterable[tuple[str, object]]) -> str:
    return hashlib.sha1("\n".join(sorted(f"{k}={v!r}" for k, v in items)).encode()
                        ).hexdigest()


#: (id of a compiled plan, year) -> the years its evaluation reads; the compiled plan
#: is kept with the entry so that its id cannot be reused
_YEARS: dict[tuple[int, int], tuple[CompiledPlan, frozenset[int]]] = {}


def _years_read(compiled: CompiledPlan, year: int) -> frozenset[int]:
    hit = _YEARS.get((id(compiled), year))
    if hit is not None and hit[0] is compiled:
        return hit[1]
    years = frozenset({year} | {y for _, y in compiled.needs(year)})
    if len(_YEARS) > 512:
        _YEARS.clear()
    _YEARS[(id(compiled), year)] = (compiled, years)
    return years


def stamp(data: Any, period: mm.Period, *, revision: str, compiled: CompiledPlan,
          states: bool = True) -> str:
    """A digest of everything evaluating ``period`` reads: the plan revision, the
    engine, the period's values and (for a visibility that hides by state,
    ``states``) its workflow states, and the year-end values of the other years its
    targets read (a growth reads the year before)."""
    memo = data.memo
    ends = memo.get("ends")
    if ends is None:
        ends = memo["ends"] = {p.year: p.pk for p in data.periods
                               if p.kind in (PeriodKind.YEAR_END, PeriodKind.BASELINE)}

    def values(pid: int) -> str:
        key = ("v", pid)
        if key not in memo:
            memo[key] = _digest(data.values.get(pid, {}).items())
        return str(memo[key])

    def state_digest(pid: int) -> str:
        key = ("s", pid)
        if key not in memo:
            memo[key] = _digest((c, s.value) for c, s in data.states.get(pid, {}).items())
        return str(memo[key])

    parts = [revision, ENGINE, str(period.pk), str(period.year), values(period.pk),
             state_digest(period.pk) if states else "-"]
    for y in sorted(_years_read(compiled, period.year) - {period.year}):
        if y in ends:
            parts.append(f"{y}:{ends[y]}:{values(ends[y])}")
    return hashlib.sha1("|".join(parts).encode()).hexdigest()


# -- computing and storing -------------------------------------------------------------

def message_data(m: object) -> object:
    """A reason as stored: a message as ``{"template", "params"}``, text as text."""
    if type(m) is str:
        return m
    if isinstance(m, Message):
        return {"template": m.template,
                "params": {k: message_data(v) for k, v in m.params.items()}}
    return m if m is None or isinstance(m, str | int | float | bool) else str(m)


def _hide(compiled: CompiledPlan, reasons: dict[str, str]) -> CompiledPlan:
    """Leave the indicators ``reasons`` names out: not computable, for that reason."""
    hide = set(reasons)
    errors = dict(compiled.errors)
    for c, reason in reasons.items():
        # a message: it reads in the language of whoever is shown the figure
        errors.setdefault(c, Message(reason))
    return replace(compiled, specs=tuple(s for s in compiled.specs if s.code not in hide),
                   errors=errors)


def figures(ev: PlanEvaluation, hidden: dict[str, str]) -> dict[str, Any]:
    """The set's figures as plain data: every indicator and every roll-up node."""
    def reason(code: str, text: object) -> object:
        if code in hidden:
            return message_data(Message(hidden[code]))
        return message_data(text)

    indicators = {}
    for code, r in ev.indicators.items():
        indicators[code] = {
            "value": to_data(getattr(r, "value", None)), "outcome": r.outcome.value,
            "achievement": to_data(r.achievement),
            "status": getattr(getattr(r, "status", None), "value", "not_available"),
            "met": getattr(r, "met", None), "reason": reason(code, r.reason)}

    def node(n: NodeScore) -> dict[str, Any]:
        return {"achievement": to_data(n.achievement), "status": n.status.value,
                "weight": to_data(n.weight), "counted": list(n.counted),
                "left_out": [{"indicator": lo.indicator,
                              "reason": reason(lo.indicator, lo.reason)} for lo in n.left_out]}

    out = {"year": ev.year, "indicators": indicators,
           "operational": {k: node(v) for k, v in ev.operational.items()},
           "strategic": {k: node(v) for k, v in ev.strategic.items()},
           "missions": {k: node(v) for k, v in ev.missions.items()},
           "centres": {k: node(v) for k, v in ev.centres.items()},
           "organisation": node(ev.organisation)}
    if ev.public_values:  # the PIAO's valore pubblico level, when the plan has it
        out["public_values"] = {k: node(v) for k, v in ev.public_values.items()}
    return out


#: evaluations this process loaded or computed, by set token (oldest dropped first)
_LOADED: dict[str, PlanEvaluation] = {}
_LOADED_KEPT = 256


def _keep(token: str, ev: PlanEvaluation) -> None:
    if len(_LOADED) >= _LOADED_KEPT:
        _LOADED.pop(next(iter(_LOADED)))
    _LOADED[token] = ev


def _evaluate(compiled: CompiledPlan, data: Any, period: mm.Period,
              reasons: dict[str, str], memo: dict[Any, Any], stamp_: str
              ) -> PlanEvaluation:
    key = (stamp_, frozenset(reasons.items()))
    ev = memo.get(key)
    if ev is None:  # visibilities hiding the same indicators share one evaluation
        ev = memo[key] = evaluate_plan(_hide(compiled, reasons) if reasons else compiled,
                                       data.inputs(period), year=period.year)
    return ev


def _build(*, plan_id: int, period: mm.Period, scope: Scope, plan: core.Plan,
           compiled: CompiledPlan, data: Any, revision: str,
           memo: dict[Any, Any]) -> tuple[mm.ResultSet, PlanEvaluation]:
    s = stamp(data, period, revision=revision, compiled=compiled,
              states=scope.drafts is not None)
    reasons = scope.hidden(plan, data.states.get(period.pk, {}))
    ev = _evaluate(compiled, data, period, reasons, memo, s)
    # visibilities hiding the same indicators share the evaluation: stored once each
    stored_as = memo.get(("stored", id(ev)))
    if stored_as is None:
        stored_as = memo[("stored", id(ev))] = (
            figures(ev, reasons), pickle.dumps(ev, protocol=pickle.HIGHEST_PROTOCOL))
    row = mm.ResultSet(
        plan_id=plan_id, period_id=period.pk, visibility=scope.key, token=uuid.uuid4().hex,
        plan_revision=revision, engine=ENGINE, stamp=s, computed_at=timezone.now(),
        hidden={c: message_data(Message(t)) for c, t in reasons.items()},
        figures=stored_as[0], evaluation=stored_as[1])
    return row, ev


@transaction.atomic
def refresh(plan_id: int, period_ids: Iterable[int] | None = None, *,
            states_only: bool = False) -> int:
    """Recompute the eager sets of ``plan_id`` (of ``period_ids``, or every period) and
    drop its other sets of those periods (recomputed when next read); returns the
    number of sets written. ``states_only``: only workflow states changed, so the
    office's sets (which hide nothing) stay. Atomic (inside the caller's transaction,
    if any)."""
    from cruscotto.web.measurements.selectors import compiled_plan, plan_data, plan_revision
    from cruscotto.web.plans import models as pm

    # one refresh of a plan at a time: a second writer waits, then reads what the first
    # committed (PostgreSQL; SQLite has one writer anyway)
    list(pm.Plan.objects.select_for_update().filter(pk=plan_id).values_list("pk"))
    plan, compiled = compiled_plan(plan_id)
    revision = plan_revision(plan_id, compiled)
    data = plan_data(plan_id)
    wanted = None if period_ids is None else set(period_ids)
    periods = [p for p in data.periods if wanted is None or p.pk in wanted]
    if not periods:
        return 0
    memo: dict[Any, PlanEvaluation] = {}
    rows: list[tuple[mm.ResultSet, PlanEvaluation]] = []
    scopes = (PUBLIC, READER) if states_only else EAGER
    for period in periods:
        for scope in scopes:
            rows.append(_build(plan_id=plan_id, period=period, scope=scope, plan=plan,
                               compiled=compiled, data=data, revision=revision, memo=memo))
    old = mm.ResultSet.objects.filter(plan_id=plan_id, period_id__in=[p.pk for p in periods])
    (old.exclude(visibility=OFFICE.key) if states_only else old).delete()
    mm.ResultSet.objects.bulk_create([r for r, _ in rows])
    for row, ev in rows:
        _keep(row.token, ev)
    return len(rows)


def stale_sets(plan_id: int) -> int:
    """How many stored sets of ``plan_id`` are older than the data (or missing a plan
    revision or engine they were computed for)."""
    from cruscotto.web.measurements.selectors import compiled_plan, plan_data, plan_revision

    _, compiled = compiled_plan(plan_id)
    revision = plan_revision(plan_id, compiled)
    data = plan_data(plan_id)
    periods = {p.pk: p for p in data.periods}
    n = 0
    for pid, visibility, rev, engine, s in mm.ResultSet.objects.filter(
            plan_id=plan_id).values_list(
            "period_id", "visibility", "plan_revision", "engine", "stamp"):
        if rev != revision or engine != ENGINE or s != stamp(
                data, periods[pid], revision=revision, compiled=compiled,
                states=visibility != OFFICE.key):
            n += 1
    return n


def affected(data: Any, compiled: CompiledPlan, period: mm.Period) -> list[int]:
    """The periods whose figures read values of ``period``: itself, and, for a year end
    or the baseline, the periods of the years whose targets read that year."""
    out = [period.pk]
    if period.kind in (PeriodKind.YEAR_END, PeriodKind.BASELINE):
        out += [p.pk for p in data.periods if p.pk != period.pk and p.year != period.year
                and period.year in _years_read(compiled, p.year)]
    return out


#: within a batch: plan id -> (period ids to recompute, None: every period; whether only
#: workflow states changed)
_PENDING: ContextVar[dict[int, tuple[set[int] | None, bool]] | None] = ContextVar(
    "cruscotto_results_pending", default=None)


@contextlib.contextmanager
def batch() -> Iterator[None]:
    """Several writes, one recomputation: what they touch is recomputed at the end of
    the outermost batch (inside the caller's transaction)."""
    if _PENDING.get() is not None:
        yield
        return
    token = _PENDING.set({})
    try:
        yield
        pending = _PENDING.get() or {}
        _PENDING.set(None)
        for plan_id, (periods, states_only) in pending.items():
            refresh(plan_id, periods, states_only=states_only)
    finally:
        _PENDING.reset(token)


def touched(plan_id: int, period: mm.Period | None = None, *, reads: bool = True) -> None:
    """A write changed values (or, with ``reads=False``, only workflow states) of
    ``period`` (None: the plan or its periods): recompute what reads them, now or at
    the end of the current batch."""
    pending = _PENDING.get()
    if period is None:
        ids: set[int] | None = None
    elif not reads:
        ids = {period.pk}
    else:
        from cruscotto.web.measurements.selectors import compiled_plan

        ids = set(affected(_periods_only(plan_id), compiled_plan(plan_id)[1], period))
    if pending is None:
        refresh(plan_id, ids, states_only=not reads)
        return
    if plan_id not in pending:
        pending[plan_id] = (ids, not reads)
        return
    was, was_states_only = pending[plan_id]
    pending[plan_id] = (None if was is None or ids is None else was | ids,
                        was_states_only and not reads)


@dataclass(frozen=True)
class _Periods:
    periods: list[mm.Period]


def _periods_only(plan_id: int) -> _Periods:
    return _Periods(list(mm.Period.objects.filter(plan_id=plan_id).order_by("end_date")))


def on_plan_changed(sender: Any, *, plan_id: int, **kwargs: Any) -> None:
    """``plans.signals.plan_changed`` (after the certification guard accepted it): the
    plan's content changed, every period's figures are recomputed."""
    touched(plan_id)


# -- reading ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Stored:
    """One stored set as a reader gets it."""

    evaluation: PlanEvaluation
    hidden: frozenset[str]
    #: the data changed since it was computed (something wrote around the services)
    stale: bool
    computed_at: datetime.datetime


#: the stale sets the current request was shown (for the page's notice)
_SEEN_STALE: ContextVar[list[datetime.datetime] | None] = ContextVar(
    "cruscotto_results_stale", default=None)


def stored(*, plan_id: int, periods: list[mm.Period], scope: Scope, plan: core.Plan,
           compiled: CompiledPlan, data: Any, revision: str, fresh: bool = False
           ) -> dict[int, Stored]:
    """period id -> the stored set of ``scope``, for ``periods``: one query for every
    period's set (kept with ``data``), one more for the evaluations asked for that this
    process has not loaded yet (none once it has). A set
    missing, or computed for another plan revision or engine, is computed and stored;
    with ``fresh`` (a service checking what it is about to write) so is a stale one."""
    memo = data.memo
    key = ("sets", scope.key)
    rows = memo.get(key)
    if rows is None:
        rows = memo[key] = {r[1]: r for r in mm.ResultSet.objects.filter(
            plan_id=plan_id, visibility=scope.key).values_list(
            "pk", "period_id", "token", "plan_revision", "engine", "stamp", "computed_at",
            "hidden")}
    out: dict[int, Stored] = {}
    build: list[mm.Period] = []
    usable = {pid: r for pid, r in rows.items() if r[3] == revision and r[4] == ENGINE}
    # the evaluations asked for that this process has not loaded since they changed
    need = {r[0]: r for p in periods if (r := usable.get(p.pk)) is not None
            and r[2] not in _LOADED}
    if need:
        for pk, blob in mm.ResultSet.objects.filter(pk__in=list(need)).values_list(
                "pk", "evaluation"):
            _keep(need[pk][2], pickle.loads(bytes(blob)))
    for period in periods:
        row = usable.get(period.pk)
        ev = _LOADED.get(row[2]) if row is not None else None
        if row is None or ev is None or not _same_hidden(row[7], scope.hidden(
                plan, data.states.get(period.pk, {}))):
            # missing, or it would show (or hide) figures the states now hide (or show):
            # a figure may be stale, what a reader may see never is
            build.append(period)
            continue
        got = _stored(ev, row, data, period, revision, compiled, note=not fresh,
                      states=scope.drafts is not None)
        if fresh and got.stale:
            build.append(period)
        else:
            out[period.pk] = got
    if build:
        memo_ev: dict[Any, PlanEvaluation] = {}
        made = [_build(plan_id=plan_id, period=p, scope=scope, plan=plan, compiled=compiled,
                       data=data, revision=revision, memo=memo_ev) for p in build]
        with contextlib.suppress(IntegrityError), transaction.atomic():
            # only what this reader found unusable: a writer's fresh set stays (and then
            # this insert is refused, harmlessly)
            mm.ResultSet.objects.filter(
                plan_id=plan_id, visibility=scope.key, period_id__in=[p.pk for p in build]
            ).exclude(plan_revision=revision, engine=ENGINE, stamp__in=[
                r.stamp for r, _ in made]).delete()
            mm.ResultSet.objects.bulk_create([r for r, _ in made])
        for row_obj, ev in made:
            _keep(row_obj.token, ev)
            rows[row_obj.period_id] = (row_obj.pk, row_obj.period_id, row_obj.token,
                                       row_obj.plan_revision, row_obj.engine, row_obj.stamp,
                                       row_obj.computed_at, row_obj.hidden)
            out[row_obj.period_id] = Stored(ev, frozenset(row_obj.hidden), False,
                                            row_obj.computed_at)
    return out


def _same_hidden(stored_hidden: dict[str, Any], now: dict[str, str]) -> bool:
    """Whether a stored set hides exactly the indicators ``now`` hides, for the same
    reasons."""
    if stored_hidden.keys() != now.keys():
        return False
    return all(isinstance(m, dict) and m.get("template") == now[c]
               for c, m in stored_hidden.items())


def _stored(ev: PlanEvaluation, row: Any, data: Any, period: mm.Period, revision: str,
            compiled: CompiledPlan, *, note: bool = True, states: bool = True) -> Stored:
    stale = row[5] != stamp(data, period, revision=revision, compiled=compiled,
                            states=states)
    if stale and note:
        seen = _SEEN_STALE.get()
        if seen is not None:
            seen.append(row[6])
    return Stored(ev, frozenset(row[7]), stale, row[6])


def start_request(**kwargs: Any) -> None:
    """``request_started``: nothing stale seen yet."""
    _SEEN_STALE.set([])


def context(request: Any) -> dict[str, Any]:
    """Template context: ``stale_results``, the oldest computation time of a stale set
    the page shows (None when every figure is current)."""
    seen = _SEEN_STALE.get()
    return {"stale_results": min(seen) if seen else None}
