"""Roll-up: achievement of objectives, missions, centres and the organisation.

Every level is the **weighted average of the indicators below it**, each
indicator with its own weight (1 unless the plan says otherwise)::

    achievement(node) = Σ weight_i × achievement_i / Σ weight_i

over the indicators below the node that were scored. An indicator with no
target, not measured or not computable is *left out* of the average (not
counted as zero) and listed with its reason at every level above it.

Averaging the indicators directly is the same as averaging the children
(objectives) weighted by the total weight of their scored indicators, which
is how the explanation shows it: each node lists its children, their
achievement and the weight they carry.

Levels: operational objective (its indicators), strategic objective (its
operational objectives and the indicators hanging on it directly), mission
(the strategic objectives as they appear under it: objective 3 under mission
011 counts only its 011 indicators), responsibility centre (its indicators;
an indicator shared by several centres counts fully for each) and the
organisation (every indicator once).
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from decimal import Decimal, localcontext
from typing import Protocol

from cruscotto.core.formula import DECIMAL_CONTEXT
from cruscotto.core.messages import Message, gettext_noop, msg
from cruscotto.core.numbers import rounded
from cruscotto.core.plan import Plan
from cruscotto.core.scoring import (
    DEFAULT_BANDS,
    IndicatorResult,
    IndicatorSpec,
    Outcome,
    Status,
    StatusBands,
    score_indicator,
    shown_achievement,
)
from cruscotto.core.values import Inputs, VarKey, format_value, to_data

__all__ = [
    "Contribution",
    "Level",
    "LeftOut",
    "NodeDef",
    "NodeScore",
    "PlanEvaluation",
    "Placement",
    "Scored",
    "evaluate",
    "exact_of",
    "needs",
    "node_defs",
    "placements_from_plan",
    "roll_up",
    "score_node",
]


class Level(enum.StrEnum):
    INDICATOR = "indicator"
    OPERATIONAL = "operational"
    STRATEGIC = "strategic"
    MISSION = "mission"
    CENTRE = "centre"
    ORGANISATION = "organisation"
    #: the PIAO's *valore pubblico*, above strategic objectives (only when the plan has it)
    PUBLIC_VALUE = "public_value"


@dataclass(frozen=True, slots=True)
class Placement:
    """Where an indicator sits in the plan, and how much it weighs."""

    indicator: str
    strategic: str
    #: "" for an indicator hanging directly on its strategic objective (x.0.y)
    operational: str = ""
    mission: str = ""
    centres: tuple[str, ...] = ()
    weight: Decimal = Decimal(1)
    #: the public value (valore pubblico) grouping its strategic objective; "" for none
    public_value: str = ""

    def __post_init__(self) -> None:
        if not isinstance(self.weight, Decimal) or not self.weight.is_finite() \
                or self.weight < 0:
            raise ValueError(f"indicator {self.indicator}: the weight must be a "
                             f"non-negative Decimal, got {self.weight!r}")


def placements_from_plan(
    plan: Plan, weights: Mapping[str, Decimal] | None = None
) -> list[Placement]:
    """One :class:`Placement` per indicator of ``plan``.

    Weights are the indicators' own (1 unless the plan says otherwise);
    ``weights`` overrides them by code.

    The mission is the indicator's own, else its operational objective's,
    else its strategic objective's when that objective is under one mission.
    """
    ops = {o.code: o for o in plan.operational_objectives}
    strat = {s.code: s for s in plan.strategic_objectives}
    out: list[Placement] = []
    for ind in plan.indicators:
        mission = ind.mission_code
        if not mission and ind.operational_code in ops:
            mission = ops[ind.operational_code].mission_code
        if not mission and ind.strategic_code in strat:
            codes = strat[ind.strategic_code].mission_codes
            mission = codes[0] if len(codes) == 1 else ""
        out.append(Placement(
            indicator=ind.code, strategic=ind.strategic_code,
            operational=ind.operational_code, mission=mission,
            centres=tuple(dict.fromkeys(ind.centres)),
            weight=Decimal((weights or {}).get(ind.code, ind.weight)),
            public_value=_public_value_code(plan, ind.strategic_code),
        ))
    return out


def _public_value_code(plan: Plan, strategic_code: str) -> str:
    pv = plan.public_value_of(strategic_code) if plan.public_values else None
    return pv.code if pv is not None else ""


class Scored(Protocol):
    """What the roll-up needs of an indicator's result (an :class:`IndicatorResult`)."""

    @property
    def outcome(self) -> Outcome: ...

    @property
    def achievement(self) -> Decimal | None: ...

    @property
    def reason(self) -> Message | None: ...


def exact_of(r: Scored) -> Decimal | None:
    """The exact achievement of a result (``exact_achievement``), or its shown one when
    it keeps no other (a result stored before exact achievements were kept)."""
    exact: Decimal | None = getattr(r, "exact_achievement", None)
    return r.achievement if exact is None else exact


@dataclass(frozen=True, slots=True)
class LeftOut:
    """An indicator not counted in an average, and why."""

    indicator: str
    outcome: Outcome | None
    reason: Message


@dataclass(frozen=True, slots=True)
class Contribution:
    """A child of a node as it enters the node's average."""

    level: Level
    code: str
    #: as shown (:func:`~cruscotto.core.scoring.shown_achievement`)
    achievement: Decimal | None
    #: the weight it carries: an indicator's own, an objective's scored indicators' total
    weight: Decimal
    #: its part of the node's total weight (None when it carries none)
    share: Decimal | None
    #: "" normally; e.g. "mission 011" when only part of the child counts here
    scope: str = ""


@dataclass(frozen=True, slots=True)
class NodeScore:
    level: Level
    code: str
    year: int
    #: the weighted average as shown (:func:`~cruscotto.core.scoring.shown_achievement`)
    achievement: Decimal | None
    #: the status of the exact average
    status: Status
    #: the total weight of the indicators counted
    weight: Decimal
    #: indicators counted
    counted: tuple[str, ...]
    children: tuple[Contribution, ...]
    left_out: tuple[LeftOut, ...]
    #: the average's terms, (weight, achievement) of each indicator counted, in order:
    #: what :attr:`working` is written from, only when someone reads it (the exact
    #: achievements; the working shows them as shown)
    terms: tuple[tuple[Decimal, Decimal], ...]
    #: the exact weighted average (the status and the levels above use it)
    exact_achievement: Decimal | None = None
    bands: StatusBands = DEFAULT_BANDS

    @property
    def working(self) -> str:
        """The average with its numbers, for people (written on demand: formatting every
        node's terms eagerly was most of the roll-up's time, docs/performance.md)."""
        if not self.terms:
            return str(msg(gettext_noop("nessun indicatore valutato: nessun raggiungimento")))
        if self.achievement is None:
            return str(msg(gettext_noop("i pesi degli indicatori valutati sommano a 0")))
        sums = " + ".join(f"{format_value(w)} × {format_value(_shown(a, self.bands))}"
                          for w, a in self.terms)
        return f"({sums}) / {format_value(self.weight)} = {format_value(self.achievement)}"

    def as_dict(self) -> dict[str, object]:
        data = {f.name: to_data(getattr(self, f.name)) for f in fields(self)
                if f.name not in ("terms", "bands")}
        data["working"] = self.working
        return data


@dataclass(frozen=True, slots=True)
class PlanEvaluation:
    """A whole plan evaluated for one year: every indicator and every level."""

    year: int
    indicators: Mapping[str, Scored]
    operational: Mapping[str, NodeScore]
    strategic: Mapping[str, NodeScore]
    missions: Mapping[str, NodeScore]
    centres: Mapping[str, NodeScore]
    organisation: NodeScore
    bands: StatusBands = DEFAULT_BANDS
    #: results for indicators no placement mentions (not rolled up)
    unplaced: tuple[str, ...] = ()
    #: placed indicators with no result at all
    unscored: tuple[str, ...] = ()
    #: the public values (valore pubblico) of a plan that has the level; empty otherwise
    public_values: Mapping[str, NodeScore] = field(default_factory=dict)

    def node(self, level: Level, code: str = "") -> NodeScore:
        table: Mapping[str, NodeScore] = {
            Level.OPERATIONAL: self.operational, Level.STRATEGIC: self.strategic,
            Level.MISSION: self.missions, Level.CENTRE: self.centres,
            Level.PUBLIC_VALUE: self.public_values,
        }.get(level, {"": self.organisation})
        return table[code]

    def as_dict(self) -> dict[str, object]:
        def ind(r: Scored) -> object:
            if isinstance(r, IndicatorResult):
                return r.as_dict()
            return {"outcome": r.outcome.value, "achievement": to_data(r.achievement),
                    "reason": str(r.reason) if r.reason is not None else ""}

        data: dict[str, object] = {
            "year": self.year,
            "bands": self.bands.as_dict(),
            "indicators": {k: ind(v) for k, v in self.indicators.items()},
            "operational": {k: v.as_dict() for k, v in self.operational.items()},
            "strategic": {k: v.as_dict() for k, v in self.strategic.items()},
            "missions": {k: v.as_dict() for k, v in self.missions.items()},
            "centres": {k: v.as_dict() for k, v in self.centres.items()},
            "organisation": self.organisation.as_dict(),
            "unplaced": list(self.unplaced),
            "unscored": list(self.unscored),
        }
        if self.public_values:  # a plan without the level reads exactly as before
            data["public_values"] = {k: v.as_dict() for k, v in self.public_values.items()}
        return data


def _exact(x: Decimal) -> Decimal:
    # drop the last-digit noise of the division (so that an average of equal scores is
    # that score); beyond the display range it is kept whole (shown as out of range)
    first = rounded(x, 12)
    if first is None:
        return x
    return first.to_integral_value() if first == first.to_integral_value() \
        else first.normalize()


def _shown(x: Decimal, bands: StatusBands) -> Decimal:
    shown = shown_achievement(x, bands)
    return x if shown is None else shown


_OUTCOME = {
    Outcome.SCORED: msg(gettext_noop("valutato")),
    Outcome.NO_TARGET: msg(gettext_noop("nessun target")),
    Outcome.NOT_MEASURED: msg(gettext_noop("non misurato")),
    Outcome.NOT_COMPUTABLE: msg(gettext_noop("non calcolabile")),
}


class _Roller:
    def __init__(self, placements: Sequence[Placement], results: Mapping[str, Scored],
                 year: int, bands: StatusBands) -> None:
        self.year = year
        self.bands = bands
        self.results = results
        self.placements = list(placements)
        seen: set[str] = set()
        for p in self.placements:
            if p.indicator in seen:
                raise ValueError(f"indicator {p.indicator} is placed twice")
            seen.add(p.indicator)

    def counted(self, p: Placement) -> bool:
        r = self.results.get(p.indicator)
        return r is not None and r.outcome is Outcome.SCORED and r.achievement is not None

    def average(self, members: Iterable[Placement]
                ) -> tuple[Decimal | None, Decimal, tuple[tuple[Decimal, Decimal], ...]]:
        """The weighted average over ``members`` (those scored), its weight, its terms.

        The terms, (weight, achievement) of each member counted, are kept as numbers:
        :attr:`NodeScore.working` formats them only when an explanation is read.
        """
        num, den = Decimal(0), Decimal(0)
        terms: list[tuple[Decimal, Decimal]] = []
        with localcontext(DECIMAL_CONTEXT):
            for p in members:
                if not self.counted(p):
                    continue
                a = exact_of(self.results[p.indicator])
                assert a is not None
                num += p.weight * a
                den += p.weight
                terms.append((p.weight, a))
            if not terms or den == 0:
                return None, den, tuple(terms)
            return _exact(num / den), den, tuple(terms)

    def left_out(self, members: Iterable[Placement]) -> tuple[LeftOut, ...]:
        out: list[LeftOut] = []
        for p in members:
            if self.counted(p):
                continue
            r = self.results.get(p.indicator)
            if r is None:
                out.append(LeftOut(p.indicator, None,
                                   msg(gettext_noop("nessun risultato per l'anno"))))
            else:
                out.append(LeftOut(p.indicator, r.outcome, r.reason or _OUTCOME[r.outcome]))
        return tuple(sorted(out, key=lambda x: _code_key(x.indicator)))

    def node(self, level: Level, code: str, members: list[Placement],
             children: list[_Child]) -> NodeScore:
        ach, weight, terms = self.average(members)
        contributions = []
        for c_level, c_code, c_members, scope in children:
            c_ach, c_weight, _t = self.average(c_members)
            share = (c_weight / weight).quantize(Decimal("0.0001")) \
                if weight and c_ach is not None else None
            contributions.append(Contribution(
                c_level, c_code, None if c_ach is None else _shown(c_ach, self.bands),
                c_weight, share, scope))
        return NodeScore(
            level=level, code=code, year=self.year,
            achievement=None if ach is None else _shown(ach, self.bands),
            status=self.bands.status(ach), weight=weight,
            counted=tuple(p.indicator for p in members if self.counted(p)),
            children=tuple(contributions), left_out=self.left_out(members), terms=terms,
            exact_achievement=ach, bands=self.bands,
        )


def code_key(code: str) -> tuple[tuple[int, str], ...]:
    """Sort codes numerically part by part (``3.10`` after ``3.2``); names by text."""
    return tuple((int(p), "") if p.isdigit() else (-1, p) for p in code.split("."))


_code_key = code_key


_Child = tuple[Level, str, list[Placement], str]


def _group(
    items: Iterable[Placement], key: Callable[[Placement], str]
) -> dict[str, list[Placement]]:
    out: dict[str, list[Placement]] = {}
    for p in items:
        out.setdefault(key(p), []).append(p)
    return out


@dataclass(frozen=True, slots=True)
class NodeDef:
    """One node of the roll-up as the plan's placements define it: which indicators it
    averages and which children its explanation lists (see :func:`node_defs`)."""

    level: Level
    code: str
    members: tuple[Placement, ...]
    children: tuple[tuple[Level, str, tuple[Placement, ...], str], ...]


def node_defs(placements: Sequence[Placement]) -> tuple[NodeDef, ...]:
    """Every node of the roll-up of ``placements``, in the order :func:`roll_up` builds
    them: it depends on the plan only, so a caller scoring the same plan again may keep
    it (and recompute only the nodes an indicator it re-scored belongs to)."""
    seen: set[str] = set()
    for p in placements:
        if p.indicator in seen:
            raise ValueError(f"indicator {p.indicator} is placed twice")
        seen.add(p.indicator)
    ps = sorted(placements, key=lambda p: _code_key(p.indicator))
    out: list[NodeDef] = []

    def define(level: Level, code: str, members: list[Placement],
               children: list[_Child]) -> None:
        out.append(NodeDef(level, code, tuple(members), tuple(
            (c_level, c_code, tuple(c_members), scope)
            for c_level, c_code, c_members, scope in children)))

    def indicator_children(members: list[Placement]) -> list[_Child]:
        return [(Level.INDICATOR, p.indicator, [p], "") for p in members]

    for code, members in sorted(_group((p for p in ps if p.operational),
                                       lambda p: p.operational).items(),
                                key=lambda kv: _code_key(kv[0])):
        define(Level.OPERATIONAL, code, members, indicator_children(members))

    def strategic_children(members: list[Placement]) -> list[_Child]:
        kids: list[_Child] = []
        for op_code, op_members in sorted(_group(members, lambda p: p.operational).items(),
                                          key=lambda kv: _code_key(kv[0] or "0")):
            if op_code:
                kids.append((Level.OPERATIONAL, op_code, op_members, ""))
            else:
                kids.extend(indicator_children(op_members))
        return kids

    for code, members in sorted(_group(ps, lambda p: p.strategic).items(),
                                key=lambda kv: _code_key(kv[0])):
        define(Level.STRATEGIC, code, members, strategic_children(members))

    for m_code, members in sorted(_group((p for p in ps if p.mission),
                                         lambda p: p.mission).items()):
        kids: list[_Child] = []
        for s_code, s_members in sorted(_group(members, lambda p: p.strategic).items(),
                                        key=lambda kv: _code_key(kv[0])):
            whole = [p for p in ps if p.strategic == s_code]
            scope = f"mission {m_code}" if len(whole) != len(s_members) else ""
            kids.append((Level.STRATEGIC, s_code, s_members, scope))
        define(Level.MISSION, m_code, members, kids)

    by_centre: dict[str, list[Placement]] = {}
    for p in ps:
        for c in p.centres:
            by_centre.setdefault(c, []).append(p)
    for c, members in sorted(by_centre.items()):
        define(Level.CENTRE, c, members, indicator_children(members))

    # the PIAO's public values (only when the plan has them): above strategic objectives
    for pv_code, members in sorted(_group((p for p in ps if p.public_value),
                                          lambda p: p.public_value).items(),
                                   key=lambda kv: _code_key(kv[0])):
        define(Level.PUBLIC_VALUE, pv_code, members,
               [(Level.STRATEGIC, s_code, s_members, "")
                for s_code, s_members in sorted(_group(members, lambda p: p.strategic).items(),
                                                key=lambda kv: _code_key(kv[0]))])

    define(Level.ORGANISATION, "", ps,
           [(Level.STRATEGIC, code, members, "")
            for code, members in sorted(_group(ps, lambda p: p.strategic).items(),
                                        key=lambda kv: _code_key(kv[0]))])
    return tuple(out)


def score_node(d: NodeDef, results: Mapping[str, Scored], *, year: int,
               bands: StatusBands = DEFAULT_BANDS) -> NodeScore:
    """One node of :func:`node_defs` averaged over ``results`` (as :func:`roll_up` does)."""
    return _score_node(_Roller((), results, year, bands), d)


def _score_node(r: _Roller, d: NodeDef) -> NodeScore:
    return r.node(d.level, d.code, list(d.members),
                  [(lv, code, list(members), scope) for lv, code, members, scope in d.children])


def roll_up(
    placements: Sequence[Placement],
    results: Mapping[str, Scored],
    *,
    year: int,
    bands: StatusBands = DEFAULT_BANDS,
    defs: Sequence[NodeDef] | None = None,
) -> PlanEvaluation:
    """Average indicator results up every level of the plan (see the module doc).

    ``defs``: :func:`node_defs` of ``placements``, when the caller keeps them."""
    if defs is None:
        defs = node_defs(placements)
    tables: dict[Level, dict[str, NodeScore]] = {
        Level.OPERATIONAL: {}, Level.STRATEGIC: {}, Level.MISSION: {}, Level.CENTRE: {},
        Level.ORGANISATION: {}, Level.PUBLIC_VALUE: {}}
    r = _Roller((), results, year, bands)
    for d in defs:
        tables[d.level][d.code] = _score_node(r, d)
    placed = {p.indicator for p in placements}
    order = sorted(placements, key=lambda p: _code_key(p.indicator))
    return PlanEvaluation(
        year=year, indicators=dict(results), operational=tables[Level.OPERATIONAL],
        strategic=tables[Level.STRATEGIC], missions=tables[Level.MISSION],
        centres=tables[Level.CENTRE], organisation=tables[Level.ORGANISATION][""],
        bands=bands,
        unplaced=tuple(sorted((c for c in results if c not in placed), key=_code_key)),
        unscored=tuple(p.indicator for p in order if p.indicator not in results),
        public_values=tables[Level.PUBLIC_VALUE],
    )


def needs(specs: Iterable[IndicatorSpec], year: int) -> frozenset[VarKey]:
    """Every ``(variable, year)`` scoring ``specs`` for ``year`` may read.

    Collect, fetch, evaluate: call this, fetch those values in one query,
    then call :func:`evaluate`.
    """
    keys: set[VarKey] = set()
    for s in specs:
        keys |= s.needs(year)
    return frozenset(keys)


def evaluate(
    specs: Iterable[IndicatorSpec],
    placements: Sequence[Placement],
    inputs: Inputs,
    *,
    year: int,
    bands: StatusBands = DEFAULT_BANDS,
) -> PlanEvaluation:
    """Score every indicator for ``year`` and roll the results up."""
    results: dict[str, Scored] = {
        s.code: score_indicator(s, inputs, year, bands=bands) for s in specs
    }
    return roll_up(placements, results, year=year, bands=bands)
