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
changes and plan changes (every period of the plan). A write of values patches
each affected set from its stored figures (:func:`refresh_written`: only the
indicators reading a changed value scored again, only their roll-up nodes averaged
again) and leaves the evaluation with its derivation to be built by its first
reader (:func:`stored`). Several writes in one
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
import copyreg
import dataclasses
import datetime
import hashlib
import importlib
import pickle
import pkgutil
import sys
import uuid
from collections.abc import Iterable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import DatabaseError, IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

import cruscotto.core
from cruscotto.core import plan as core
from cruscotto.core.evaluation import CompiledPlan, evaluate_plan
from cruscotto.core.messages import Message
from cruscotto.core.rollup import (
    Level,
    NodeDef,
    NodeScore,
    PlanEvaluation,
    node_defs,
    score_node,
)
from cruscotto.core.scoring import IndicatorSpec, Outcome, score_indicator
from cruscotto.core.values import VarKey, to_data
from cruscotto.core.workflow import Actor, State, can_read_drafts, public_states
from cruscotto.web.measurements import models as mm
from cruscotto.web.measurements.choices import PeriodKind
from cruscotto.web.measurements.plandata import compiled_plan, plan_data, plan_revision
from cruscotto.web.plans import models as pm

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
    digests = data.digests
    hit = digests.get("ends")
    if hit is None or hit[0] is not data.periods:
        hit = digests["ends"] = (data.periods, {
            p.year: p.pk for p in data.periods
            if p.kind in (PeriodKind.YEAR_END, PeriodKind.BASELINE)})
    ends = hit[1]

    def digest(kind: str, of: dict[Any, Any], pid: int) -> str:
        # kept with the object digested: a copy of the data with other values
        # (refresh_written's data before a write) shares this dict, not the entry
        part = of.get(pid)
        got = digests.get((kind, pid))
        if got is None or got[0] is not part:
            items = (part or {}).items()
            got = digests[(kind, pid)] = (part, _digest(
                items if kind == "v" else ((c, s.value) for c, s in items)))
        return str(got[1])

    def values(pid: int) -> str:
        return digest("v", data.values, pid)

    def state_digest(pid: int) -> str:
        return digest("s", data.states, pid)

    parts = [revision, ENGINE, str(period.pk), str(period.year), values(period.pk),
             state_digest(period.pk) if states else "-"]
    for y in sorted(_years_read(compiled, period.year) - {period.year}):
        if y in ends:
            parts.append(f"{y}:{ends[y]}:{values(ends[y])}")
    return hashlib.sha1("|".join(parts).encode()).hexdigest()


# -- computing and storing -------------------------------------------------------------

def _hide(compiled: CompiledPlan, reasons: dict[str, str]) -> CompiledPlan:
    """Leave the indicators ``reasons`` names out: not computable, for that reason."""
    hide = set(reasons)
    errors = dict(compiled.errors)
    for c, reason in reasons.items():
        # a message: it reads in the language of whoever is shown the figure
        errors.setdefault(c, Message(reason))
    return replace(compiled, specs=tuple(s for s in compiled.specs if s.code not in hide),
                   errors=errors)


class StoredReason:
    """A reason as a stored set holds it (:func:`message_data`), carried through a
    roll-up recomputed from stored figures (:func:`_patched`) unchanged."""

    __slots__ = ("data",)

    def __init__(self, data: object) -> None:
        self.data = data


def message_data(m: object) -> object:
    """A reason as stored: a message as ``{"template", "params"}``, text as text."""
    if type(m) is str:
        return m
    if isinstance(m, Message):
        return {"template": m.template,
                "params": {k: message_data(v) for k, v in m.params.items()}}
    if isinstance(m, StoredReason):
        return m.data
    return m if m is None or isinstance(m, str | int | float | bool) else str(m)


def _indicator_figure(r: Any, reason: object) -> dict[str, Any]:
    exact = getattr(r, "exact_achievement", None)
    return {"value": to_data(getattr(r, "value", None)), "outcome": r.outcome.value,
            "achievement": to_data(r.achievement),
            # what the roll-up averages (decision 0008): kept so that re-averaging a node
            # after a write gives what a whole recompute gives
            "exact_achievement": None if exact is None else to_data(exact),
            "status": getattr(getattr(r, "status", None), "value", "not_available"),
            "met": getattr(r, "met", None), "reason": reason}


def _node_figure(n: NodeScore, reason: Any) -> dict[str, Any]:
    return {"achievement": to_data(n.achievement), "status": n.status.value,
            "weight": to_data(n.weight), "counted": list(n.counted),
            "left_out": [{"indicator": lo.indicator,
                          "reason": reason(lo.indicator, lo.reason)} for lo in n.left_out]}


def _reasons(hidden: dict[str, str]) -> Any:
    def reason(code: str, text: object) -> object:
        if code in hidden:
            return message_data(Message(hidden[code]))
        return message_data(text)
    return reason


def figures(ev: PlanEvaluation, hidden: dict[str, str]) -> dict[str, Any]:
    """The set's figures as plain data: every indicator and every roll-up node."""
    reason = _reasons(hidden)
    indicators = {code: _indicator_figure(r, reason(code, r.reason))
                  for code, r in ev.indicators.items()}
    out = {"year": ev.year, "indicators": indicators,
           "operational": {k: _node_figure(v, reason) for k, v in ev.operational.items()},
           "strategic": {k: _node_figure(v, reason) for k, v in ev.strategic.items()},
           "missions": {k: _node_figure(v, reason) for k, v in ev.missions.items()},
           "centres": {k: _node_figure(v, reason) for k, v in ev.centres.items()},
           "organisation": _node_figure(ev.organisation, reason)}
    if ev.public_values:  # the PIAO's valore pubblico level, when the plan has it
        out["public_values"] = {k: _node_figure(v, reason)
                                for k, v in ev.public_values.items()}
    return out


# -- recomputing after a write of values: only what reads them ---------------------------

@dataclass(frozen=True, slots=True)
class _Figure:
    """An indicator's stored figure as the roll-up reads it (:class:`~.rollup.Scored`)."""

    outcome: Outcome
    achievement: Decimal | None
    reason: StoredReason | None
    exact_achievement: Decimal | None = None


#: the tables of ``figures`` by roll-up level
_TABLES = {Level.OPERATIONAL: "operational", Level.STRATEGIC: "strategic",
           Level.MISSION: "missions", Level.CENTRE: "centres",
           Level.PUBLIC_VALUE: "public_values"}


@dataclass(frozen=True)
class _Shape:
    """What a compiled plan's roll-up looks like, worked out once per compiled plan:
    its nodes and, for each indicator, the nodes it is averaged in."""

    defs: tuple[NodeDef, ...]
    member_of: dict[str, tuple[int, ...]]
    specs: dict[str, IndicatorSpec]
    #: year -> (variable, year read) -> the indicators scoring ``year`` read it
    readers: dict[int, dict[VarKey, frozenset[str]]]


#: id of a compiled plan -> (it, its shape); the compiled plan is kept with its entry
_SHAPES: dict[int, tuple[CompiledPlan, _Shape]] = {}


def _shape(compiled: CompiledPlan) -> _Shape:
    hit = _SHAPES.get(id(compiled))
    if hit is not None and hit[0] is compiled:
        return hit[1]
    defs = node_defs(compiled.placements)
    member_of: dict[str, list[int]] = {}
    for i, d in enumerate(defs):
        for p in d.members:
            member_of.setdefault(p.indicator, []).append(i)
    shape = _Shape(defs, {c: tuple(ix) for c, ix in member_of.items()},
                   {s.code: s for s in compiled.specs}, {})
    if len(_SHAPES) > 16:
        _SHAPES.clear()
    _SHAPES[id(compiled)] = (compiled, shape)
    return shape


def _readers(shape: _Shape, compiled: CompiledPlan, year: int) -> dict[VarKey, frozenset[str]]:
    got = shape.readers.get(year)
    if got is None:
        by_key: dict[VarKey, set[str]] = {}
        for spec in compiled.specs:
            for key in spec.needs(year):
                by_key.setdefault(key, set()).add(spec.code)
        got = shape.readers[year] = {k: frozenset(v) for k, v in by_key.items()}
    return got


def _patched(previous: dict[str, Any], *, compiled: CompiledPlan, year: int,
             inputs: Any, keys: set[VarKey], hidden: dict[str, str]) -> dict[str, Any]:
    """The figures of a set computed before ``keys`` changed (``previous``, current
    until then), with only what reads them recomputed: the indicators whose inputs
    include one of ``keys`` scored again, the roll-up nodes they are averaged in
    averaged again; everything else as stored. The same figures as :func:`figures` of a
    whole evaluation (tests/web/measurements/test_partial_results.py)."""
    shape = _shape(compiled)
    readers = _readers(shape, compiled, year)
    codes = set()
    for key in keys:
        codes |= readers.get(key, frozenset())
    codes -= set(hidden)
    out = dict(previous)
    if not codes:
        return out
    reason = _reasons(hidden)
    indicators = dict(previous["indicators"])
    results: dict[str, Any] = {}
    for code, fig in indicators.items():
        ach = fig["achievement"]
        why = fig["reason"]
        exact = fig.get("exact_achievement")
        results[code] = _Figure(Outcome(fig["outcome"]),
                                Decimal(ach) if ach is not None else None,
                                StoredReason(why) if why is not None else None,
                                Decimal(exact) if exact is not None else None)
    for code in codes:
        r = score_indicator(shape.specs[code], inputs, year, bands=compiled.bands)
        results[code] = r
        indicators[code] = _indicator_figure(r, reason(code, r.reason))
    out["indicators"] = indicators
    nodes = sorted({i for c in codes for i in shape.member_of.get(c, ())})
    tables = {name: dict(previous[name]) for name in _TABLES.values() if name in previous}
    for i in nodes:
        d = shape.defs[i]
        fig = _node_figure(score_node(d, results, year=year, bands=compiled.bands), reason)
        if d.level is Level.ORGANISATION:
            out["organisation"] = fig
        else:
            tables[_TABLES[d.level]][d.code] = fig
    out.update(tables)
    return out


#: evaluations this process loaded or computed, by set token (oldest dropped first)
_LOADED: dict[str, PlanEvaluation] = {}
_LOADED_KEPT = 256


def _keep(token: str, ev: PlanEvaluation) -> None:
    if len(_LOADED) >= _LOADED_KEPT:
        _LOADED.pop(next(iter(_LOADED)))
    _LOADED[token] = ev


def _evaluate(compiled: CompiledPlan, data: Any, period: mm.Period,
              reasons: dict[str, str], memo: dict[Any, Any]) -> PlanEvaluation:
    key = (period.pk, frozenset(reasons.items()))
    ev = memo.get(key)
    if ev is None:  # visibilities hiding the same indicators share one evaluation
        ev = memo[key] = evaluate_plan(_hide(compiled, reasons) if reasons else compiled,
                                       data.inputs(period), year=period.year)
    return ev


def _pickled(ev: PlanEvaluation) -> bytes:
    return pickle.dumps(ev, protocol=pickle.HIGHEST_PROTOCOL)


def _build(*, plan_id: int, period: mm.Period, scope: Scope, plan: core.Plan,
           compiled: CompiledPlan, data: Any, revision: str,
           memo: dict[Any, Any], pickled: bool = False
           ) -> tuple[mm.ResultSet, PlanEvaluation]:
    """A set computed whole. The evaluation (the derivation the pages show) is pickled
    only with ``pickled`` (a reader filling a missing set): a write stores the figures
    and keeps the evaluation in this process; another process builds it when it first
    reads the set (:func:`stored`), from the same data (or finds the set stale)."""
    s = stamp(data, period, revision=revision, compiled=compiled,
              states=scope.drafts is not None)
    reasons = scope.hidden(plan, data.states.get(period.pk, {}))
    ev = _evaluate(compiled, data, period, reasons, memo)
    # visibilities hiding the same indicators share the evaluation: stored once each
    stored_as = memo.get(("stored", id(ev)))
    if stored_as is None:
        stored_as = memo[("stored", id(ev))] = (
            figures(ev, reasons), _pickled(ev) if pickled else b"")
    row = mm.ResultSet(
        plan_id=plan_id, period_id=period.pk, visibility=scope.key, token=uuid.uuid4().hex,
        plan_revision=revision, engine=ENGINE, stamp=s, computed_at=timezone.now(),
        hidden={c: message_data(Message(t)) for c, t in reasons.items()},
        figures=stored_as[0], evaluation=stored_as[1])
    return row, ev


def _lock(plan_id: int) -> None:
    """One refresh of a plan at a time: a second writer waits, then reads what the first
    committed (PostgreSQL; SQLite has one writer anyway)."""
    list(pm.Plan.objects.select_for_update().filter(pk=plan_id).values_list("pk"))


@transaction.atomic
def refresh(plan_id: int, period_ids: Iterable[int] | None = None, *,
            states_only: bool = False) -> int:
    """Recompute the eager sets of ``plan_id`` (of ``period_ids``, or every period) and
    drop its other sets of those periods (recomputed when next read); returns the
    number of sets written. ``states_only``: only workflow states changed, so the
    office's sets (which hide nothing) stay. Atomic (inside the caller's transaction,
    if any)."""
    _lock(plan_id)
    plan, compiled = compiled_plan(plan_id)
    revision = plan_revision(plan_id, compiled)
    data = plan_data(plan_id)
    wanted = None if period_ids is None else set(period_ids)
    periods = [p for p in data.periods if wanted is None or p.pk in wanted]
    if not periods:
        return 0
    memo: dict[Any, PlanEvaluation] = {}
    rows: list[tuple[mm.ResultSet, PlanEvaluation | None]] = []
    scopes = (PUBLIC, READER) if states_only else EAGER
    for period in periods:
        for scope in scopes:
            rows.append(_build(plan_id=plan_id, period=period, scope=scope, plan=plan,
                               compiled=compiled, data=data, revision=revision, memo=memo))
    return _replace(plan_id, [p.pk for p in periods], rows, keep_office=states_only)


def _replace(plan_id: int, period_ids: list[int],
             rows: list[tuple[mm.ResultSet, PlanEvaluation | None]], *,
             keep_office: bool = False) -> int:
    old = mm.ResultSet.objects.filter(plan_id=plan_id, period_id__in=period_ids)
    (old.exclude(visibility=OFFICE.key) if keep_office else old).delete()
    mm.ResultSet.objects.bulk_create([r for r, _ in rows])
    for row, ev in rows:
        if ev is not None:
            _keep(row.token, ev)
    return len(rows)


#: a variable that had no value before a write (see :func:`touched`)
ABSENT = object()
#: more values than this written at once: every affected set is computed whole
PATCH_LIMIT = 200


@transaction.atomic
def refresh_written(plan_id: int, writes: dict[int, dict[str, Any]]) -> int:
    """After values were written (``writes``: period id -> variable -> its value before,
    :data:`ABSENT` if it had none): recompute the eager sets of the periods reading
    them, each patched from its stored figures (:func:`_patched`: only the indicators
    reading a changed value scored again, only their roll-up nodes averaged again)
    when it was current before the write, else computed whole. The evaluation with
    its derivation is not built here (see :func:`_build`). Returns the sets written."""
    _lock(plan_id)
    plan, compiled = compiled_plan(plan_id)
    revision = plan_revision(plan_id, compiled)
    data = plan_data(plan_id)
    by_pk = {p.pk: p for p in data.periods}
    changed: dict[int, set[VarKey]] = {}
    for wpid, before in writes.items():
        if wpid not in by_pk:
            continue
        keys = {(v, by_pk[wpid].year) for v in before}
        for apid in affected(data, compiled, by_pk[wpid]):
            changed.setdefault(apid, set()).update(keys)
    if not changed:
        return 0
    # the data as they were before the writes: a stored set is patched only if it was
    # current then (its stamp); one that was stale is computed whole
    old_values = dict(data.values)
    for wpid, before in writes.items():
        vals = dict(old_values.get(wpid, {}))
        for var, was in before.items():
            if was is ABSENT:
                vals.pop(var, None)
            else:
                vals[var] = was
        old_values[wpid] = vals
    old_data = replace(data, values=old_values, memo={})
    previous = {(r[1], r[2]): r for r in mm.ResultSet.objects.filter(
        plan_id=plan_id, period_id__in=list(changed),
        visibility__in=[s.key for s in EAGER]).values_list(
        "pk", "period_id", "visibility", "plan_revision", "engine", "stamp", "hidden")}
    memo: dict[Any, Any] = {}
    built: list[tuple[mm.ResultSet, PlanEvaluation | None]] = []
    #: (period, what it hides) -> the rows to patch with the same figures, by new stamp
    patch: dict[tuple[int, frozenset[tuple[str, str]]], dict[str, list[Any]]] = {}
    #: rows whose figures nothing written reads (everything that does is hidden): new stamp
    same: list[tuple[Any, str]] = []
    dropped: list[int] = []
    shape = _shape(compiled)
    periods = [p for p in data.periods if p.pk in changed]
    for period in periods:
        readers = _readers(shape, compiled, period.year)
        reading = set().union(*(readers.get(k, frozenset()) for k in changed[period.pk]))
        for scope in EAGER:
            states = scope.drafts is not None
            reasons = scope.hidden(plan, data.states.get(period.pk, {}))
            row = previous.get((period.pk, scope.key))
            if row is None or row[3] != revision or row[4] != ENGINE \
                    or not _same_hidden(row[6], reasons) or row[5] != stamp(
                    old_data, period, revision=revision, compiled=compiled, states=states):
                if row is not None:
                    dropped.append(row[0])
                built.append(_build(plan_id=plan_id, period=period, scope=scope, plan=plan,
                                    compiled=compiled, data=data, revision=revision,
                                    memo=memo))
                continue
            new_stamp = stamp(data, period, revision=revision, compiled=compiled,
                              states=states)
            if reading <= set(reasons):  # its figures and evaluation are as they were
                same.append((row, new_stamp))
            else:
                patch.setdefault((period.pk, frozenset(reasons.items())), {}).setdefault(
                    new_stamp, []).append(row)
    now = timezone.now()
    if dropped:
        mm.ResultSet.objects.filter(pk__in=dropped).delete()
    # a centre's own drafts on top: made again when next read
    mm.ResultSet.objects.filter(plan_id=plan_id, period_id__in=list(changed)).exclude(
        visibility__in=[s.key for s in EAGER]).delete()
    for row, new_stamp in same:
        mm.ResultSet.objects.filter(pk=row[0]).update(stamp=new_stamp, computed_at=now)
    if patch:
        # the stored figures of one row per group (the others have the same)
        wanted = {next(iter(by_stamp.values()))[0][0]: key for key, by_stamp in patch.items()}
        stored_figures = dict(mm.ResultSet.objects.filter(pk__in=list(wanted)).values_list(
            "pk", "figures"))
        by_pk = {p.pk: p for p in periods}
        for pk, (pid, hidden) in wanted.items():
            figs = _patched(stored_figures[pk], compiled=compiled, year=by_pk[pid].year,
                            inputs=data.inputs(by_pk[pid]), keys=changed[pid],
                            hidden=dict(hidden))
            for new_stamp, rows in patch[(pid, hidden)].items():
                # a new token: this process's copy of the old evaluation is not read again
                mm.ResultSet.objects.filter(pk__in=[r[0] for r in rows]).update(
                    figures=figs, stamp=new_stamp, computed_at=now,
                    token=uuid.uuid4().hex, evaluation=b"")
    mm.ResultSet.objects.bulk_create([r for r, _ in built])
    for row_obj, ev in built:
        if ev is not None:
            _keep(row_obj.token, ev)
    return len(built) + len(same) + sum(
        len(rows) for by_stamp in patch.values() for rows in by_stamp.values())


def stale_sets(plan_id: int) -> int:
    """How many stored sets of ``plan_id`` are older than the data (or missing a plan
    revision or engine they were computed for)."""
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


@dataclass
class _Pending:
    """What the writes of a batch touched in one plan."""

    #: period ids to recompute (None: every period)
    periods: set[int] | None
    #: only workflow states changed
    states_only: bool
    #: values written (period id -> variable -> value before), None: not only values
    writes: dict[int, dict[str, Any]] | None


#: within a batch: plan id -> what its writes touched
_PENDING: ContextVar[dict[int, _Pending] | None] = ContextVar(
    "cruscotto_results_pending", default=None)


def _run(plan_id: int, p: _Pending) -> None:
    if p.writes is not None and not p.states_only and sum(
            len(b) for b in p.writes.values()) <= PATCH_LIMIT:
        refresh_written(plan_id, p.writes)
    else:
        refresh(plan_id, p.periods, states_only=p.states_only)


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
        for plan_id, p in pending.items():
            _run(plan_id, p)
    finally:
        _PENDING.reset(token)


def touched(plan_id: int, period: mm.Period | None = None, *, reads: bool = True,
            before: dict[str, Any] | None = None) -> None:
    """A write changed values (or, with ``reads=False``, only workflow states) of
    ``period`` (None: the plan or its periods): recompute what reads them, now or at
    the end of the current batch. ``before``: the values written, variable -> value
    before the write (:data:`ABSENT`: none), so that only what reads them is
    recomputed (:func:`refresh_written`)."""
    pending = _PENDING.get()
    if period is None:
        ids: set[int] | None = None
    elif not reads:
        ids = {period.pk}
    else:
        ids = set(affected(_periods_only(plan_id), compiled_plan(plan_id)[1], period))
    writes = {period.pk: dict(before)} if (
        period is not None and reads and before is not None) else None
    new = _Pending(ids, not reads, writes)
    if pending is None:
        _run(plan_id, new)
        return
    was = pending.get(plan_id)
    if was is None:
        pending[plan_id] = new
        return
    merged = None
    if was.writes is not None and writes is not None:
        merged = {pid: dict(b) for pid, b in was.writes.items()}
        for pid, b in writes.items():
            into = merged.setdefault(pid, {})
            for var, value in b.items():
                into.setdefault(var, value)  # the value before the first write counts
    pending[plan_id] = _Pending(
        None if was.periods is None or ids is None else was.periods | ids,
        was.states_only and not reads, merged)


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
    lazy: list[tuple[mm.Period, Any]] = []
    if need:
        by_pk = {p.pk: p for p in periods}
        for pk, blob in mm.ResultSet.objects.filter(pk__in=list(need)).values_list(
                "pk", "evaluation"):
            if blob:
                _keep(need[pk][2], pickle.loads(bytes(blob)))
            else:  # stored by a write without its derivation: built now, once
                lazy.append((by_pk[need[pk][1]], need[pk]))
    memo_ev: dict[Any, PlanEvaluation] = {}
    for period, row in lazy:
        reasons = scope.hidden(plan, data.states.get(period.pk, {}))
        if not _same_hidden(row[7], reasons) or row[5] != stamp(
                data, period, revision=revision, compiled=compiled,
                states=scope.drafts is not None):
            continue  # the data changed since: computed again below, as if missing
        # the same data as the figures stored: the same evaluation
        ev = _evaluate(compiled, data, period, reasons, memo_ev)
        _keep(row[2], ev)
        with contextlib.suppress(DatabaseError), transaction.atomic():
            mm.ResultSet.objects.filter(pk=row[0], token=row[2]).update(
                evaluation=_pickled(ev))
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
        made = [_build(plan_id=plan_id, period=p, scope=scope, plan=plan, compiled=compiled,
                       data=data, revision=revision, memo=memo_ev, pickled=True)
                for p in build]
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
