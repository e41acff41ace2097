"""Synthetic plans and facts for the benchmarks, from a seeded RNG.

One plan (objectives, indicators, formulas, yearly targets as the plan
writes them) shared by ``orgs`` organisations, each supplying its own facts
(as the chambers of commerce share a common set of indicators). The mix of
indicators follows the seed plan's:

| kind        | formula                 | targets written as                       |
| ----------- | ----------------------- | ---------------------------------------- |
| ratio       | ``a / b``               | ``>=90%``, ``85%``, ``≥ 80%``           |
| ratio_lower | ``a / b`` (lower)       | ``<=36%``, ``36%``, ``al massimo 30%``   |
| growth      | ``x`` (vs ``x[t-1]``)   | ``+10%``, ``incremento del 15%``         |
| reduction   | ``x`` (lower)           | ``-3%``, ``riduzione del 5%``            |
| count       | ``x``                   | ``>=120``, ``Almeno 12``, ``>= 1.500``   |
| milestone   | ``fatto`` (yes/no)      | ``sì realizzazione``, ``sì``             |

Every target is also kept in structured form (``TargetSpec``) so that a
second evaluator (the DuckDB floor) reads the same plan without parsing the
texts. Some facts are missing (absent, or present as ``None``), some
denominators are 0 and some growth bases are 0: those indicator-years must
come out as "not measured" or "not computable", never as zero. A few
indicator-years have no target.

Variable names are plan-wide (docs/engine.md): some ratios share a
denominator (``oneri_correnti_3`` for strategic objective 3).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from decimal import Decimal

from cruscotto.core.targets import Polarity

__all__ = ["Fact", "Size", "SynthIndicator", "SynthPlan", "TargetSpec", "generate"]

#: what an organisation supplies for one (variable, year); ``None``: known missing
Fact = Decimal | bool | None

#: (kind, share of the indicators), as in the seed plan
MIX: tuple[tuple[str, float], ...] = (
    ("ratio", 0.32),
    ("ratio_lower", 0.10),
    ("growth", 0.14),
    ("reduction", 0.04),
    ("count", 0.22),
    ("milestone", 0.18),
)
MISSIONS = ("011", "012", "016", "032")
FIRST_YEAR = 2020

P_MISSING = 0.015       # a fact not supplied
P_ZERO_DEN = 0.01       # a denominator of 0
P_ZERO_BASE = 0.01      # a growth quantity of 0 (the next year cannot grow from it)
P_NO_TARGET = 0.02      # an indicator-year without target


@dataclass(frozen=True)
class Size:
    orgs: int = 100
    indicators: int = 400
    years: int = 5
    seed: int = 2021


@dataclass(frozen=True)
class TargetSpec:
    """A year's target: the text the engine parses, and what it means."""

    text: str
    #: ``at_least``, ``at_most``, ``growth``, ``milestone`` or ``none``
    kind: str
    #: the bound (a fraction for percentages), the signed growth rate, or None
    threshold: Decimal | None = None


@dataclass(frozen=True)
class SynthIndicator:
    code: str
    kind: str
    formula: str
    unit: str
    polarity: Polarity
    #: the variable the formula reads (numerator, quantity or yes/no)
    num: str
    #: the denominator of a ratio, else None
    den: str | None
    targets: dict[int, TargetSpec]
    strategic: str
    operational: str
    mission: str
    centres: tuple[str, ...]
    weight: Decimal


@dataclass
class SynthPlan:
    size: Size
    #: the evaluated years; facts also cover the year before the first
    years: tuple[int, ...]
    indicators: list[SynthIndicator]
    #: per organisation (0-based), ``(variable, year) -> value``
    facts: list[dict[tuple[str, int], Fact]] = field(default_factory=list)

    @property
    def evaluations(self) -> int:
        """Indicator-years scored by one full pass (every organisation and year)."""
        return len(self.facts) * len(self.indicators) * len(self.years)

    @property
    def variables(self) -> dict[str, str]:
        """Every variable name with its kind: ``number`` or ``yes_no``."""
        out: dict[str, str] = {}
        for ind in self.indicators:
            out[ind.num] = "yes_no" if ind.kind == "milestone" else "number"
            if ind.den:
                out[ind.den] = "number"
        return out


def _pct(x: Decimal) -> str:
    return f"{(x * 100).normalize():f}"


def _it_int(n: int) -> str:
    """An integer written the Italian way: 1.500."""
    return f"{n:,}".replace(",", ".")


def _target(rng: random.Random, kind: str, base: Decimal, year_index: int) -> TargetSpec:
    if rng.random() < P_NO_TARGET:
        return TargetSpec("", "none")
    if kind == "ratio":
        t = min(base + Decimal("0.05") * (year_index % 2), Decimal("0.95"))
        text = rng.choice((f">={_pct(t)}%", f"{_pct(t)}%", f"≥ {_pct(t)}%"))
        return TargetSpec(text, "at_least", t)
    if kind == "ratio_lower":
        t = max(base - Decimal("0.02") * (year_index % 3), Decimal("0.1"))
        text = rng.choice((f"<={_pct(t)}%", f"{_pct(t)}%", f"al massimo {_pct(t)}%"))
        return TargetSpec(text, "at_most", t)
    if kind == "growth":
        r = base
        text = rng.choice((f"+{_pct(r)}%", f"incremento del {_pct(r)}%"))
        return TargetSpec(text, "growth", r)
    if kind == "reduction":
        r = -base
        text = rng.choice((f"-{_pct(base)}%", f"riduzione del {_pct(base)}%"))
        return TargetSpec(text, "growth", r)
    if kind == "count":
        n = int(base) + int(base) * year_index // 10
        text = rng.choice((f">={n}", f"Almeno {n}", f">= {_it_int(n)}", _it_int(n)))
        return TargetSpec(text, "at_least", Decimal(n))
    text = rng.choice(("sì realizzazione", "sì"))
    return TargetSpec(text, "milestone")


def _plan(size: Size, rng: random.Random) -> list[SynthIndicator]:
    n = size.indicators
    years = range(FIRST_YEAR, FIRST_YEAR + size.years)
    n_strategic = max(2, n // 50)
    n_centres = max(2, n // 30)
    kinds = [k for k, _ in MIX]
    shares = [w for _, w in MIX]
    out: list[SynthIndicator] = []
    # strategic objectives take contiguous blocks of indicators; inside a block
    # about one in ten hangs directly on the objective (x.0.y), the others go
    # to operational objectives of about eight indicators
    for s in range(1, n_strategic + 1):
        lo, hi = (s - 1) * n // n_strategic, s * n // n_strategic
        block = hi - lo
        direct = max(1, block // 10)
        main_mission = MISSIONS[(s - 1) % len(MISSIONS)]
        other_mission = MISSIONS[s % len(MISSIONS)]
        op_missions: dict[int, str] = {}
        counters: dict[int, int] = {}
        for j in range(block):
            op = 0 if j < direct else 1 + (j - direct) // 8
            counters[op] = counters.get(op, 0) + 1
            code = f"{s}.{op}.{counters[op]}"
            if op not in op_missions:
                # one operational objective in five belongs to another mission,
                # so that missions cut across strategic objectives
                op_missions[op] = other_mission if op and rng.random() < 0.2 else main_mission
            kind = rng.choices(kinds, shares)[0]
            k = lo + j + 1
            den: str | None = None
            if kind in ("ratio", "ratio_lower"):
                num = f"a_{k:04d}"
                den = f"oneri_correnti_{s}" if rng.random() < 0.25 else f"b_{k:04d}"
                formula = f"{num} / {den}"
            elif kind == "milestone":
                num = f"fatto_{k:04d}"
                formula = num
            else:
                num = f"x_{k:04d}"
                formula = num
            if kind == "ratio":
                base = Decimal(rng.choice(range(60, 95, 5))) / 100
            elif kind == "ratio_lower":
                base = Decimal(rng.choice(range(20, 50, 2))) / 100
            elif kind == "growth":
                base = Decimal(rng.choice((5, 10, 10, 15, 20))) / 100
            elif kind == "reduction":
                base = Decimal(rng.choice((3, 5, 10))) / 100
            elif kind == "count":
                base = Decimal(rng.choice((2, 4, 12, 50, 120, 450, 1500)))
            else:
                base = Decimal(1)
            targets = {y: _target(rng, kind, base, i) for i, y in enumerate(years)}
            centres = [f"CDR{rng.randrange(n_centres) + 1:02d}"]
            if rng.random() < 0.2:
                centres.append(f"CDR{rng.randrange(n_centres) + 1:02d}")
            weight = Decimal(rng.choices((1, 2, 3), (0.75, 0.2, 0.05))[0])
            out.append(SynthIndicator(
                code=code, kind=kind, formula=formula,
                unit={"count": "numero", "milestone": "Realizzazione"}.get(kind, "percentuale"),
                polarity=(Polarity.LOWER_IS_BETTER if kind in ("ratio_lower", "reduction")
                          else Polarity.HIGHER_IS_BETTER),
                num=num, den=den, targets=targets, strategic=str(s),
                operational=f"{s}.{op}" if op else "", mission=op_missions[op],
                centres=tuple(dict.fromkeys(centres)), weight=weight,
            ))
    return out


def _facts(plan: list[SynthIndicator], size: Size, org: int) -> dict[tuple[str, int], Fact]:
    rng = random.Random(f"{size.seed}-org-{org}")
    # how well this organisation does overall, so that roll-ups differ
    form = rng.gauss(1.0, 0.08)
    base_year = FIRST_YEAR - 1
    all_years = range(base_year, FIRST_YEAR + size.years)
    facts: dict[tuple[str, int], Fact] = {}
    shared: dict[tuple[str, int], Decimal] = {}
    for ind in plan:
        for y in all_years:
            t = ind.targets.get(y) or ind.targets[FIRST_YEAR]
            if ind.kind in ("ratio", "ratio_lower"):
                assert ind.den is not None
                if (ind.den, y) in shared:
                    den = shared[(ind.den, y)]
                else:
                    den = Decimal(0) if rng.random() < P_ZERO_DEN else \
                        Decimal(rng.randrange(10_000, 5_000_000))
                    facts[(ind.den, y)] = den
                    if ind.den.startswith("oneri_correnti_"):
                        shared[(ind.den, y)] = den
                bound = float(t.threshold) if t.threshold is not None else 0.6
                aim = form if ind.kind == "ratio" else 2 - form
                frac = max(0.0, bound * rng.gauss(aim, 0.12))
                amount = den if den else Decimal(rng.randrange(10_000, 5_000_000))
                # amounts in euro and cents
                facts[(ind.num, y)] = (amount * Decimal(frac)).quantize(Decimal("0.01"))
            elif ind.kind in ("growth", "reduction"):
                prev = facts.get((ind.num, y - 1))
                if rng.random() < P_ZERO_BASE:
                    v = Decimal(0)
                elif not isinstance(prev, Decimal) or prev == 0:
                    v = Decimal(rng.randrange(50, 20_000))
                else:
                    rate = float(t.threshold) if t.threshold is not None else 0.1
                    step = rng.gauss(rate * form, abs(rate) * 0.8 + 0.02)
                    v = Decimal(max(0, round(float(prev) * (1 + step))))
                facts[(ind.num, y)] = v
            elif ind.kind == "count":
                n = float(t.threshold) if t.threshold is not None else 10.0
                facts[(ind.num, y)] = Decimal(max(0, round(n * rng.gauss(form, 0.2))))
            else:
                facts[(ind.num, y)] = rng.random() < 0.8 * form
    # some facts are not supplied: absent, or present as None
    for key in sorted(facts):
        if rng.random() < P_MISSING:
            if rng.random() < 0.5:
                del facts[key]
            else:
                facts[key] = None
    return facts


def generate(size: Size = Size()) -> SynthPlan:
    """The plan and every organisation's facts; the same ``size`` gives the same data."""
    rng = random.Random(f"{size.seed}-plan")
    plan = _plan(size, rng)
    years = tuple(range(FIRST_YEAR, FIRST_YEAR + size.years))
    out = SynthPlan(size=size, years=years, indicators=plan)
    out.facts = [_facts(plan, size, org) for org in range(size.orgs)]
    return out
