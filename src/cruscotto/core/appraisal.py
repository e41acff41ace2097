"""Individual performance under the SMVP: the system's rules, a card's score, the bonus.

Pure functions of plain data (no Django, no I/O), so the pages, the exports
and the tests compute a card the same way.

- :func:`parse_scheme` reads the *Sistema di misurazione e valutazione della
  performance* of one organisation and year (the shipped example is
  ``cruscotto/data/smvp_example.yaml``): categories with the weights of their
  components, the behaviour dictionary and its scale, the score bands
  (*fasce*) with their bonus coefficients, the rules against flat
  distributions, the bonus pool of each category.
- :func:`score_card` computes a card: four components, each an achievement
  from 0 to 100 times its weight::

      total = Σ weight_c × achievement_c / 100      (weights sum to 100)

  *organisation* and *centres* are the certified achievement of the
  organisation and of the person's centres (their average), *objectives* the
  weighted average of the individual objectives' achievements (the engine's
  rule book, :func:`cruscotto.core.scoring.assess`), *behaviours* the average
  of the behaviour scores as a percentage of the scale's top
  (``score / max × 100``). A component with weight 0 is left out; a component
  with a weight but no achievement leaves the card without a total (it says
  which, and why). Totals are rounded down to two decimals, as achievements.
- :func:`band_for` gives the band of a total (the first whose minimum it reaches).
- :func:`check_differentiation` refuses flat distributions: per category with at
  least ``min_cards`` cards, at least ``min_bands`` bands used, at most
  ``max_top_share`` % of the cards in the top band, and a spread of at least
  ``min_spread`` points between the highest and the lowest total.
- :func:`distribute_pool` shares a category's pool by ``total × coefficient``,
  in cents, the leftover cents to the largest remainders: the shares sum to the
  pool exactly (nothing is paid when every weight is 0).
"""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal, InvalidOperation, localcontext
from typing import Any

from cruscotto.core.formula import DECIMAL_CONTEXT
from cruscotto.core.messages import Message, gettext_noop, msg
from cruscotto.core.numbers import rounded

__all__ = [
    "COMPONENTS",
    "Band",
    "Behaviour",
    "CardScore",
    "CardState",
    "Category",
    "Component",
    "Differentiation",
    "Scheme",
    "SchemeError",
    "band_for",
    "check_differentiation",
    "distribute_pool",
    "parse_scheme",
    "score_card",
]

HUNDRED = Decimal(100)
CENT = Decimal("0.01")
#: the four components of a card, in the order they are shown
COMPONENTS = ("organisation", "centres", "objectives", "behaviours")
#: a pool is at most this many euros (the database column: 12 digits, 2 decimals)
POOL_LIMIT = Decimal(10) ** 10


class CardState(enum.StrEnum):
    """A card's workflow: draft → shared → acknowledged or contested → final."""

    DRAFT = "draft"
    SHARED = "shared"
    ACKNOWLEDGED = "acknowledged"
    CONTESTED = "contested"
    FINAL = "final"


@dataclass(frozen=True, slots=True)
class Behaviour:
    code: str
    name: str
    description: str = ""


@dataclass(frozen=True, slots=True)
class Level:
    """A level of the behaviour scale: a score and what it means."""

    score: int
    label: str


@dataclass(frozen=True, slots=True)
class Category:
    code: str
    name: str
    #: component -> weight (percent; the four sum to 100)
    weights: Mapping[str, Decimal]
    #: the behaviours the category is scored on (codes of the dictionary)
    behaviours: tuple[str, ...]
    #: the OIV proposes the evaluation (top managers, where the SMVP says so)
    oiv_proposes: bool = False
    #: the bonus pool of the category for the year, in euros (None: not set)
    pool: Decimal | None = None


@dataclass(frozen=True, slots=True)
class Band:
    code: str
    name: str
    #: the lowest total in the band
    minimum: Decimal
    #: the bonus coefficient of the band (0: no bonus)
    coefficient: Decimal


@dataclass(frozen=True, slots=True)
class Differentiation:
    """Rules against flat distributions, checked per category before closing."""

    #: categories with fewer cards are not checked (too few to differ)
    min_cards: int = 5
    #: at least this many bands used
    min_bands: int = 2
    #: at most this percentage of the cards in the top band
    max_top_share: Decimal = Decimal(50)
    #: at least this many points between the highest and the lowest total
    min_spread: Decimal = Decimal(5)


@dataclass(frozen=True, slots=True)
class Scheme:
    year: int
    categories: tuple[Category, ...]
    behaviours: tuple[Behaviour, ...]
    scale: tuple[Level, ...]
    #: highest minimum first
    bands: tuple[Band, ...]
    differentiation: Differentiation
    title: str = ""

    def category(self, code: str) -> Category:
        for c in self.categories:
            if c.code == code:
                return c
        raise KeyError(code)

    def behaviour(self, code: str) -> Behaviour:
        for b in self.behaviours:
            if b.code == code:
                return b
        raise KeyError(code)

    @property
    def top_score(self) -> int:
        return max(level.score for level in self.scale)

    @property
    def scores(self) -> tuple[int, ...]:
        return tuple(level.score for level in self.scale)


class SchemeError(ValueError):
    """A configuration that cannot be used: every problem found, each naming its place."""

    def __init__(self, problems: Sequence[Message]) -> None:
        self.problems = tuple(problems)
        super().__init__("; ".join(str(p) for p in problems))


# -- reading the configuration ----------------------------------------------------------

def _decimal(value: Any, where: str, problems: list[Message], *, low: Decimal = Decimal(0),
             high: Decimal = HUNDRED) -> Decimal:
    try:
        d = Decimal(str(value)) if not isinstance(value, bool) else None
    except (InvalidOperation, ValueError):
        d = None
    if d is None or not d.is_finite() or d < low or d > high:
        problems.append(msg(gettext_noop(
            "%(where)s: «%(value)s» non è un numero tra %(low)s e %(high)s"),
            where=where, value=value, low=low, high=high))
        return Decimal(0)
    return d


def _text(data: Mapping[str, Any], key: str, where: str, problems: list[Message],
          *, limit: int = 200, required: bool = True) -> str:
    value = data.get(key, "")
    if not isinstance(value, str | int) or (required and not str(value).strip()):
        problems.append(msg(gettext_noop("%(where)s: manca «%(key)s»"), where=where, key=key))
        return ""
    text = str(value).strip()
    if len(text) > limit:
        problems.append(msg(gettext_noop("%(where)s: «%(key)s» supera %(limit)s caratteri"),
                            where=where, key=key, limit=limit))
    return text


def _list(data: Mapping[str, Any], key: str, where: str, problems: list[Message]) -> list[Any]:
    value = data.get(key)
    if not isinstance(value, list) or not value:
        problems.append(msg(gettext_noop("%(where)s: «%(key)s» deve essere un elenco non "
                                         "vuoto"), where=where, key=key))
        return []
    return value


def parse_scheme(data: Any) -> Scheme:
    """The SMVP as plain data (read from YAML or JSON) checked and typed.

    Raises :class:`SchemeError` with every problem found (in Italian, translatable).
    """
    problems: list[Message] = []
    if not isinstance(data, Mapping):
        raise SchemeError([Message(gettext_noop(
            "la configurazione del SMVP deve essere una mappa di chiavi e valori"))])
    year = data.get("anno")
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        problems.append(msg(gettext_noop("«anno» deve essere un anno, trovato «%(value)s»"),
                            value=year))
        year = 0
    behaviours: list[Behaviour] = []
    for i, b in enumerate(_list(data, "comportamenti", "SMVP", problems), start=1):
        where = f"comportamenti[{i}]"
        if not isinstance(b, Mapping):
            problems.append(msg(gettext_noop("%(where)s: deve essere una mappa"), where=where))
            continue
        behaviours.append(Behaviour(_text(b, "codice", where, problems, limit=40),
                                    _text(b, "nome", where, problems),
                                    _text(b, "descrizione", where, problems, limit=1000,
                                          required=False)))
    codes = [b.code for b in behaviours]
    for c in sorted({c for c in codes if codes.count(c) > 1}):
        problems.append(msg(gettext_noop("comportamento «%(code)s» ripetuto"), code=c))
    scale: list[Level] = []
    for i, s in enumerate(_list(data, "scala", "SMVP", problems), start=1):
        where = f"scala[{i}]"
        if not isinstance(s, Mapping) or not isinstance(s.get("punteggio"), int) \
                or isinstance(s.get("punteggio"), bool) or not 0 <= s["punteggio"] <= 100:
            problems.append(msg(gettext_noop(
                "%(where)s: serve un «punteggio» intero da 0 a 100 e un'«etichetta»"),
                where=where))
            continue
        scale.append(Level(s["punteggio"], _text(s, "etichetta", where, problems)))
    scores = [level.score for level in scale]
    if scale and (len(set(scores)) != len(scores) or len(scores) < 2 or max(scores) == 0):
        problems.append(Message(gettext_noop(
            "la scala deve avere almeno due livelli con punteggi diversi, il più alto "
            "sopra 0")))
    categories: list[Category] = []
    for i, c in enumerate(_list(data, "categorie", "SMVP", problems), start=1):
        where = f"categorie[{i}]"
        if not isinstance(c, Mapping):
            problems.append(msg(gettext_noop("%(where)s: deve essere una mappa"), where=where))
            continue
        code = _text(c, "codice", where, problems, limit=40)
        raw = c.get("pesi")
        if not isinstance(raw, Mapping):
            problems.append(msg(gettext_noop("%(where)s: mancano i «pesi»"), where=where))
            raw = {}
        names = {"organizzazione": "organisation", "centri": "centres",
                 "obiettivi": "objectives", "comportamenti": "behaviours"}
        for k in raw:
            if k not in names:
                problems.append(msg(gettext_noop(
                    "%(where)s: peso «%(key)s» sconosciuto (ammessi: %(allowed)s)"),
                    where=where, key=k, allowed=", ".join(names)))
        weights = {en: _decimal(raw.get(it, 0), f"{where}.pesi.{it}", problems)
                   for it, en in names.items()}
        if sum(weights.values()) != HUNDRED:
            problems.append(msg(gettext_noop(
                "%(where)s: i pesi sommano a %(sum)s invece di 100"),
                where=where, sum=sum(weights.values())))
        wanted = c.get("comportamenti", codes)
        if not isinstance(wanted, list) or not all(isinstance(w, str) for w in wanted):
            problems.append(msg(gettext_noop(
                "%(where)s: «comportamenti» deve essere un elenco di codici"), where=where))
            wanted = []
        for w in wanted:
            if w not in codes:
                problems.append(msg(gettext_noop(
                    "%(where)s: il comportamento «%(code)s» non è nel dizionario"),
                    where=where, code=w))
        if weights["behaviours"] and not wanted:
            problems.append(msg(gettext_noop(
                "%(where)s: i comportamenti pesano ma non ne è indicato nessuno"),
                where=where))
        pool = c.get("fondo")
        categories.append(Category(
            code, _text(c, "nome", where, problems), weights, tuple(wanted),
            oiv_proposes=bool(c.get("proposta_oiv", False)),
            pool=None if pool is None else _decimal(pool, f"{where}.fondo", problems,
                                                    high=POOL_LIMIT - 1)))
    ccodes = [c.code for c in categories]
    for c in sorted({c for c in ccodes if ccodes.count(c) > 1}):
        problems.append(msg(gettext_noop("categoria «%(code)s» ripetuta"), code=c))
    bands: list[Band] = []
    for i, b in enumerate(_list(data, "fasce", "SMVP", problems), start=1):
        where = f"fasce[{i}]"
        if not isinstance(b, Mapping):
            problems.append(msg(gettext_noop("%(where)s: deve essere una mappa"), where=where))
            continue
        bands.append(Band(_text(b, "codice", where, problems, limit=40),
                          _text(b, "nome", where, problems),
                          _decimal(b.get("minimo"), f"{where}.minimo", problems),
                          _decimal(b.get("coefficiente"), f"{where}.coefficiente", problems,
                                   high=Decimal(10))))
    bands.sort(key=lambda b: b.minimum, reverse=True)
    if bands and bands[-1].minimum != 0:
        problems.append(Message(gettext_noop(
            "una fascia deve partire da 0, perché ogni punteggio abbia la sua fascia")))
    minima = [b.minimum for b in bands]
    if len(set(minima)) != len(minima):
        problems.append(Message(gettext_noop("due fasce hanno lo stesso minimo")))
    if any(bands[i].coefficient < bands[i + 1].coefficient for i in range(len(bands) - 1)):
        problems.append(Message(gettext_noop(
            "il coefficiente di una fascia non può superare quello di una fascia più alta")))
    rules = data.get("differenziazione", {})
    if not isinstance(rules, Mapping):
        problems.append(Message(gettext_noop("«differenziazione» deve essere una mappa")))
        rules = {}
    defaults = Differentiation()
    diff = Differentiation(
        min_cards=int(_decimal(rules.get("schede_minime", defaults.min_cards),
                               "differenziazione.schede_minime", problems,
                               low=Decimal(2), high=Decimal(10000))),
        min_bands=int(_decimal(rules.get("fasce_minime", defaults.min_bands),
                               "differenziazione.fasce_minime", problems,
                               low=Decimal(1), high=Decimal(max(len(bands), 1)))),
        max_top_share=_decimal(rules.get("quota_massima_fascia_alta",
                                         defaults.max_top_share),
                               "differenziazione.quota_massima_fascia_alta", problems),
        min_spread=_decimal(rules.get("scarto_minimo", defaults.min_spread),
                            "differenziazione.scarto_minimo", problems))
    if problems:
        raise SchemeError(problems)
    return Scheme(year, tuple(categories), tuple(behaviours), tuple(scale), tuple(bands),
                  diff, title=str(data.get("titolo", ""))[:200])


# -- a card's score -----------------------------------------------------------------------

def _floor(x: Decimal) -> Decimal:
    r = rounded(x, 2, ROUND_FLOOR)
    return x if r is None else r


def _show(x: Decimal) -> str:
    """A figure in a working: Italian decimal comma, no trailing zeros."""
    text = f"{x.normalize():f}" if x == x.to_integral_value() else f"{x:f}".rstrip("0")
    return text.replace(".", ",").rstrip(",")


@dataclass(frozen=True, slots=True)
class Component:
    """One component of a card: its weight, achievement, points and how it was reached."""

    name: str
    weight: Decimal
    achievement: Decimal | None
    #: weight × achievement / 100 (None: no achievement)
    points: Decimal | None
    #: the arithmetic, for people
    working: str
    #: why there is no achievement
    missing: Message | None = None


@dataclass(frozen=True, slots=True)
class CardScore:
    components: tuple[Component, ...]
    total: Decimal | None
    band: Band | None
    #: what keeps the card without a total
    missing: tuple[Message, ...]

    @property
    def working(self) -> str:
        counted = [c for c in self.components if c.weight]
        if self.total is None:
            return ""
        return " + ".join(f"{_show(c.weight)}% × {_show(c.achievement or Decimal(0))}"
                          for c in counted) + f" / 100 = {_show(self.total)}"


def _average(items: Sequence[tuple[Decimal, Decimal]]) -> tuple[Decimal | None, str]:
    """Weighted average of (weight, achievement) with its working."""
    den = sum((w for w, _a in items), Decimal(0))
    if not items or den == 0:
        return None, ""
    with localcontext(DECIMAL_CONTEXT):
        value = _floor(sum((w * a for w, a in items), Decimal(0)) / den)
    terms = " + ".join(f"{_show(w)} × {_show(a)}" for w, a in items)
    return value, f"({terms}) / {_show(den)} = {_show(value)}"


def score_card(
    category: Category,
    *,
    organisation: Decimal | None,
    centres: Sequence[tuple[str, Decimal | None]],
    objectives: Sequence[tuple[str, Decimal, Decimal | None]],
    behaviours: Mapping[str, int | None],
    scale_top: int,
    bands: Sequence[Band],
) -> CardScore:
    """Score a card of ``category``.

    ``organisation``: the organisation's certified achievement; ``centres``:
    (name, certified achievement) of the person's centres, averaged;
    ``objectives``: (title, weight, achievement) of the individual objectives;
    ``behaviours``: behaviour code -> score on the scale (None: not scored).
    """
    comps: list[Component] = []
    w = category.weights
    # organisation
    if organisation is None:
        comps.append(Component("organisation", w["organisation"], None, None, "",
                               Message(gettext_noop(
                                   "nessun risultato certificato dell'ente per l'anno"))))
    else:
        comps.append(Component("organisation", w["organisation"], organisation, None,
                               _show(organisation)))
    # centres: the plain average of the person's centres with a certified achievement
    scored = [(name, a) for name, a in centres if a is not None]
    if not centres:
        comps.append(Component("centres", w["centres"], None, None, "", Message(
            gettext_noop("la persona non è assegnata ad alcun centro"))))
    elif len(scored) != len(centres):
        missing = ", ".join(name for name, a in centres if a is None)
        comps.append(Component("centres", w["centres"], None, None, "", msg(gettext_noop(
            "nessun risultato certificato per: %(centres)s"), centres=missing)))
    else:
        avg, working = _average([(Decimal(1), a) for _n, a in scored])
        comps.append(Component("centres", w["centres"], avg, None, working))
    # individual objectives
    if not objectives:
        comps.append(Component("objectives", w["objectives"], None, None, "", Message(
            gettext_noop("nessun obiettivo individuale assegnato"))))
    else:
        unscored = [t for t, _w, a in objectives if a is None]
        if unscored:
            comps.append(Component("objectives", w["objectives"], None, None, "", msg(
                gettext_noop("obiettivi senza risultato: %(objectives)s"),
                objectives=", ".join(unscored))))
        else:
            avg, working = _average([(wt, a) for _t, wt, a in objectives if a is not None])
            comps.append(Component("objectives", w["objectives"], avg, None, working,
                                   None if avg is not None else Message(gettext_noop(
                                       "i pesi degli obiettivi sommano a 0"))))
    # behaviours: each score as a percentage of the scale's top, averaged
    wanted = category.behaviours
    missing_b = [c for c in wanted if behaviours.get(c) is None]
    if missing_b:
        comps.append(Component("behaviours", w["behaviours"], None, None, "", msg(
            gettext_noop("comportamenti non valutati: %(behaviours)s"),
            behaviours=", ".join(missing_b))))
    elif wanted:
        total_score = sum(int(behaviours[c] or 0) for c in wanted)
        with localcontext(DECIMAL_CONTEXT):
            ach = _floor(Decimal(total_score) * HUNDRED / (len(wanted) * scale_top))
        comps.append(Component("behaviours", w["behaviours"], ach, None,
                               f"{total_score} / ({len(wanted)} × {scale_top}) × 100 = "
                               f"{_show(ach)}"))
    else:
        comps.append(Component("behaviours", w["behaviours"], None, None, ""))
    out: list[Component] = []
    problems: list[Message] = []
    for c in comps:
        if not c.weight:
            out.append(Component(c.name, c.weight, c.achievement, None, c.working, None))
            continue
        if c.achievement is None:
            out.append(c)
            if c.missing is not None:
                problems.append(c.missing)
            continue
        with localcontext(DECIMAL_CONTEXT):
            points = c.weight * c.achievement / HUNDRED
        out.append(Component(c.name, c.weight, c.achievement, points,
                             c.working, None))
    total: Decimal | None = None
    if not problems:
        with localcontext(DECIMAL_CONTEXT):
            total = _floor(sum((c.points for c in out if c.points is not None), Decimal(0)))
    return CardScore(tuple(out), total, band_for(total, bands) if total is not None else None,
                     tuple(problems))


def band_for(total: Decimal, bands: Sequence[Band]) -> Band | None:
    """The band of ``total``: the highest whose minimum it reaches."""
    for b in sorted(bands, key=lambda b: b.minimum, reverse=True):
        if total >= b.minimum:
            return b
    return None


# -- rules against flat distributions ----------------------------------------------------

def check_differentiation(rules: Differentiation, bands: Sequence[Band],
                          totals: Mapping[str, Sequence[Decimal]]) -> list[Message]:
    """What makes the distribution of each category (category -> totals) too flat."""
    problems: list[Message] = []
    if not bands:
        return problems
    top = max(bands, key=lambda b: b.minimum)
    for category, values in sorted(totals.items()):
        n = len(values)
        if n < rules.min_cards:
            continue
        used = {b.code for t in values if (b := band_for(t, bands)) is not None}
        if len(used) < rules.min_bands:
            problems.append(msg(gettext_noop(
                "%(category)s: le %(n)s schede usano %(used)s fasce, ne servono almeno "
                "%(min)s"), category=category, n=n, used=len(used), min=rules.min_bands))
        in_top = sum(1 for t in values if t >= top.minimum)
        with localcontext(DECIMAL_CONTEXT):
            share = _floor(Decimal(in_top) * HUNDRED / n)
        if share > rules.max_top_share:
            problems.append(msg(gettext_noop(
                "%(category)s: %(share)s%% delle schede nella fascia più alta, al massimo "
                "%(max)s%%"), category=category, share=_show(share),
                max=_show(rules.max_top_share)))
        spread = max(values) - min(values)
        if spread < rules.min_spread:
            problems.append(msg(gettext_noop(
                "%(category)s: tra il punteggio più alto e il più basso ci sono %(spread)s "
                "punti, ne servono almeno %(min)s"), category=category, spread=_show(spread),
                min=_show(rules.min_spread)))
    return problems


# -- the bonus pool -----------------------------------------------------------------------

def distribute_pool(pool: Decimal, entries: Sequence[tuple[str, Decimal, Decimal]]
                    ) -> dict[str, Decimal]:
    """Share ``pool`` among ``entries`` (key, total, coefficient) by total × coefficient.

    In cents, rounded down, the leftover cents one each to the largest remainders
    (earlier entries first on a tie): the shares sum to the pool exactly, unless
    every weight is 0 (then nobody is paid).
    """
    weights = {k: max(t, Decimal(0)) * max(c, Decimal(0)) for k, t, c in entries}
    den = sum(weights.values(), Decimal(0))
    if den == 0 or pool <= 0:
        return {k: Decimal("0.00") for k, _t, _c in entries}
    cents = int((pool / CENT).to_integral_value(ROUND_FLOOR))
    with localcontext(DECIMAL_CONTEXT):
        raw = {k: Decimal(cents) * w / den for k, w in weights.items()}
    base = {k: int(v.to_integral_value(ROUND_FLOOR)) for k, v in raw.items()}
    left = cents - sum(base.values())
    order = sorted(weights, key=lambda k: (-(raw[k] - base[k]), list(weights).index(k)))
    for k in order[:left]:
        base[k] += 1
    return {k: (Decimal(v) * CENT).quantize(CENT) for k, v in base.items()}
