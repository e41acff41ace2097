"""Reads of the individual evaluation: the SMVP, the certified achievements, the cards.

One read path: a card's organisational components are the roll-up of the
OIV's certified records (``measurements.CertifiedRecord``, the figures as
certified, never recomputed from today's values), and its score is
:func:`cruscotto.core.appraisal.score_card`'s. Pages, exports and the
transparency aggregate all read here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from cruscotto.core.appraisal import (
    CardScore,
    CardState,
    Scheme,
    SchemeError,
    check_differentiation,
    distribute_pool,
    parse_scheme,
    score_card,
)
from cruscotto.core.messages import Message, gettext_noop, msg
from cruscotto.core.rollup import NodeScore, PlanEvaluation, placements_from_plan, roll_up
from cruscotto.core.scoring import Assessment, Outcome, assess
from cruscotto.core.targets import Polarity, TargetError, parse_target
from cruscotto.core.values import NotMeasured
from cruscotto.io.values_csv import parse_value
from cruscotto.web.measurements import models as mm
from cruscotto.web.measurements.choices import PeriodKind
from cruscotto.web.measurements.selectors import effective_plan

from . import models as em


def scheme_for(organisation_id: int, year: int) -> Scheme | None:
    """The SMVP of the organisation for the year (None: not configured)."""
    data = em.Scheme.objects.filter(organisation_id=organisation_id, year=year).values_list(
        "data", flat=True).first()
    if data is None:
        return None
    try:
        return parse_scheme(data)
    except SchemeError:  # stored only when valid; a later rule change shows as not configured
        return None


# -- the certified achievements ----------------------------------------------------------

@dataclass(frozen=True)
class _Certified:
    """A certified record's result as the roll-up reads it."""

    outcome: Outcome
    achievement: Decimal | None
    reason: str
    #: the exact achievement (records certified before it was kept have none: the roll-up
    #: then averages the figure as certified)
    exact_achievement: Decimal | None = None


def certified_evaluation(plan_id: int, year: int) -> PlanEvaluation | None:
    """The plan's year rolled up from the OIV's certified records in force (None: the
    plan has no year-end period for the year). Indicators not certified are left out,
    each listed with its reason, as everywhere else."""
    period = mm.Period.objects.filter(plan_id=plan_id, year=year,
                                      kind=PeriodKind.YEAR_END).first()
    if period is None:
        return None
    results: dict[str, _Certified] = {}
    for code, result in mm.CertifiedRecord.objects.filter(
            plan_id=plan_id, period=period, superseded_at=None).values_list(
            "indicator_code", "result"):
        ach, exact = result.get("achievement"), result.get("exact_achievement")
        results[code] = _Certified(Outcome(result.get("outcome", "not_computable")),
                                   Decimal(ach) if ach is not None else None,
                                   str(result.get("reason", "")),
                                   Decimal(exact) if exact is not None else None)
    plan = effective_plan(plan_id)
    return roll_up(placements_from_plan(plan), results, year=year, bands=plan.bands)


# -- a card -------------------------------------------------------------------------------

@dataclass(frozen=True)
class ObjectiveRow:
    objective: em.Objective
    achievement: Decimal | None
    assessment: Assessment | None
    problem: Message | None
    target_text: str


def objective_row(obj: em.Objective, year: int) -> ObjectiveRow:
    """An individual objective assessed with the engine's rule book (the plan's targets)."""
    try:
        target = parse_target(obj.target, unit=obj.unit, polarity=Polarity(obj.polarity),
                              year=year)
    except TargetError as exc:
        return ObjectiveRow(obj, None, None, msg(gettext_noop(
            "il target «%(text)s» non si legge: %(reason)s"), text=obj.target,
            reason=getattr(exc, "reason", exc.message)), obj.target)
    if not obj.actual.strip():
        return ObjectiveRow(obj, None, None, Message(gettext_noop("risultato non inserito")),
                            target.describe("it"))
    try:
        actual = parse_value(obj.actual)
    except ValueError as exc:
        problem = exc.args[0] if exc.args and isinstance(exc.args[0], Message) \
            else Message(str(exc))
        return ObjectiveRow(obj, None, None, problem, target.describe("it"))
    if target.percent and isinstance(actual, Decimal) and not isinstance(actual, bool) \
            and not obj.actual.strip().endswith("%"):
        # a result of a percentage target may be written 60 as well as 60%
        actual = actual / 100
    a = assess(target, actual if actual is not None else NotMeasured((("risultato", year),)))
    return ObjectiveRow(obj, a.achievement, a,
                        None if a.achievement is not None else Message(a.working),
                        target.describe("it"))


@dataclass(frozen=True)
class CentreFigure:
    name: str
    node: NodeScore | None


@dataclass(frozen=True)
class CardView:
    card: em.Card
    scheme: Scheme | None
    score: CardScore | None
    objectives: list[ObjectiveRow]
    organisation: NodeScore | None
    centres: list[CentreFigure]
    #: why the card has no score at all (no SMVP, unknown category)
    problem: Message | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def category_name(self) -> str:
        if self.scheme is None:
            return self.card.category
        try:
            return self.scheme.category(self.card.category).name
        except KeyError:
            return self.card.category


def _scores(raw: Any) -> dict[str, int | None]:
    return {str(k): (int(v) if isinstance(v, int) else None) for k, v in (raw or {}).items()}


def card_view(card: em.Card, *, scheme: Scheme | None = None,
              evaluation: PlanEvaluation | None = None, lookup: bool = True) -> CardView:
    """The card scored, with the derivation of every component.

    ``scheme`` and ``evaluation`` may be passed by a caller that reads many cards.
    """
    if scheme is None and lookup:
        scheme = scheme_for(card.plan.organisation_id, card.year)
    if evaluation is None and lookup:
        evaluation = certified_evaluation(card.plan_id, card.year)
    objectives = [objective_row(o, card.year) for o in card.objectives.all()]
    centres = [CentreFigure(c.name, evaluation.centres.get(c.name) if evaluation else None)
               for c in card.centres.all()]
    org = evaluation.organisation if evaluation else None
    if scheme is None:
        return CardView(card, None, None, objectives, org, centres, Message(gettext_noop(
            "il SMVP dell'anno non è configurato")))
    try:
        category = scheme.category(card.category)
    except KeyError:
        return CardView(card, scheme, None, objectives, org, centres, msg(gettext_noop(
            "la categoria «%(code)s» non è nel SMVP dell'anno"), code=card.category))
    score = score_card(
        category,
        organisation=org.achievement if org else None,
        centres=[(c.name, c.node.achievement if c.node else None) for c in centres],
        objectives=[(r.objective.title, r.objective.weight, r.achievement)
                    for r in objectives],
        behaviours=_scores(card.behaviour_scores), scale_top=scheme.top_score,
        bands=scheme.bands)
    return CardView(card, scheme, score, objectives, org, centres)


def _cards(plan_id: int, year: int) -> Any:
    return (em.Card.objects.filter(plan_id=plan_id, year=year)
            .select_related("person", "evaluator", "plan")
            .prefetch_related("objectives", "centres").order_by("person__username"))


def card_for(*, plan_id: int, year: int, username: str) -> em.Card | None:
    return _cards(plan_id, year).filter(person__username=username).first()


def views_of(cards: Iterable[em.Card], plan_id: int, year: int, scheme: Scheme | None
             ) -> list[CardView]:
    evaluation = certified_evaluation(plan_id, year)
    return [card_view(c, scheme=scheme, evaluation=evaluation, lookup=False) for c in cards]


def evaluator_cards(*, user: Any, plan_id: int, year: int) -> list[em.Card]:
    return list(_cards(plan_id, year).filter(evaluator=user))


def all_cards(*, plan_id: int, year: int) -> list[em.Card]:
    return list(_cards(plan_id, year))


def my_cards(*, user: Any, plan_id: int) -> list[em.Card]:
    return list(em.Card.objects.filter(plan_id=plan_id, person=user).order_by("-year"))


def history(card: em.Card) -> list[em.CardEvent]:
    return list(card.events.order_by("at", "pk"))


# -- the distribution, the differentiation check, the pool ---------------------------------

@dataclass(frozen=True)
class BandCount:
    code: str
    name: str
    coefficient: Decimal
    count: int
    amount: Decimal


@dataclass(frozen=True)
class CategoryDistribution:
    code: str
    name: str
    cards: int
    scored: int
    final: int
    bands: list[BandCount]
    pool: Decimal | None
    paid: Decimal
    spread: Decimal | None


@dataclass(frozen=True)
class Distribution:
    categories: list[CategoryDistribution]
    #: the differentiation rules' problems (empty: the distribution is differentiated)
    problems: list[Message]
    #: card id -> share of its category's pool (final cards only)
    shares: dict[int, Decimal]
    is_demo: bool


def distribution(views: list[CardView], scheme: Scheme, *, final_only: bool = False
                 ) -> Distribution:
    """Cards by category and band, the differentiation check, and the pool's shares.

    The pool is shared among the *final* cards of a category; the check reads every
    card with a total (``final_only``: the final ones, as published).
    """
    cats: list[CategoryDistribution] = []
    totals: dict[str, list[Decimal]] = {}
    shares: dict[int, Decimal] = {}
    for cat in scheme.categories:
        mine = [v for v in views if v.card.category == cat.code]
        scored = [v for v in mine if v.score is not None and v.score.total is not None
                  and (not final_only or v.card.state == CardState.FINAL)]
        final = [v for v in scored if v.card.state == CardState.FINAL]
        totals[cat.name] = [v.score.total for v in scored if v.score and v.score.total
                            is not None]
        if cat.pool is not None:
            shares |= {int(k): s for k, s in distribute_pool(cat.pool, [
                (str(v.card.pk), v.score.total, v.score.band.coefficient)
                for v in final if v.score and v.score.total is not None and v.score.band
            ]).items()}
        counts = []
        for b in scheme.bands:
            inside = [v for v in scored if v.score and v.score.band and
                      v.score.band.code == b.code]
            counts.append(BandCount(b.code, b.name, b.coefficient, len(inside),
                                    sum((shares.get(v.card.pk, Decimal(0)) for v in inside),
                                        Decimal(0))))
        values = totals[cat.name]
        cats.append(CategoryDistribution(
            cat.code, cat.name, len(mine), len(scored), len(final), counts, cat.pool,
            sum((shares.get(v.card.pk, Decimal(0)) for v in final), Decimal(0)),
            (max(values) - min(values)) if values else None))
    problems = check_differentiation(scheme.differentiation, scheme.bands, totals)
    return Distribution(cats, problems, shares, any(v.card.is_demo for v in views))
