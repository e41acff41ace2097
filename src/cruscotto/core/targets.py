"""Targets as plans write them, read into structured data.

``parse_target(">=90%", unit="percentuale", polarity=Polarity.HIGHER_IS_BETTER)``
gives ``Target(kind=AT_LEAST, threshold=Decimal("0.9"), percent=True, ...)``.
Every form of the seed plan is read (see docs/engine.md, "Target forms"):
thresholds, bare values read through the indicator's polarity, growth and
reduction against the previous year, tolerance bands, milestones with a
label, a deadline or a spending cap, and "no target".

**Percentages are fractions.** A target written ``90%`` has threshold
``0.9``; a formula for a percentage indicator computes a ratio (``0.92``),
and the two are compared as they are. On an indicator whose unit is a
percentage, a number written without ``%`` is still read as a percentage
(``>=90`` means 90%), with a warning.

**Numbers are Italian**: ``4.293.180`` is four million, ``1.234,5`` has a
decimal comma. A number whose thousands groups are broken (``4.200.00``) is
refused with a :class:`TargetError`: it could be 4.200.000 or 4.200,00, and
guessing a spending cap is worse than asking.
"""

from __future__ import annotations

import enum
import re
import unicodedata
from dataclasses import dataclass, field, replace
from decimal import Decimal

from cruscotto.core.numbers import DIGITS, PLACES, VALUE_LIMIT, displayable, domain_problem
from cruscotto.core.values import to_data

__all__ = [
    "Deadline",
    "Polarity",
    "Target",
    "TargetError",
    "TargetKind",
    "format_number",
    "is_percent_unit",
    "parse_italian_number",
    "parse_target",
]


class Polarity(enum.StrEnum):
    """Which way is better for an indicator; decides how a bare target reads."""

    HIGHER_IS_BETTER = "higher"
    LOWER_IS_BETTER = "lower"
    #: neither: the value should stay at the target (a bare value is "exactly")
    TARGET_BAND = "band"


class TargetKind(enum.StrEnum):
    #: no target that year
    NONE = "none"
    AT_LEAST = "at_least"
    AT_MOST = "at_most"
    #: inside ``threshold ± tolerance``
    BAND = "band"
    #: a relative change against the previous year's actual (``threshold`` is the rate)
    GROWTH = "growth"
    #: something done (yes/no)
    MILESTONE = "milestone"
    #: every part must be met (a milestone and a spending cap)
    COMPOUND = "compound"


class TargetError(ValueError):
    """A target that cannot be read: where (1-based column), what was found, what fits."""

    def __init__(
        self, message: str, *, text: str, column: int, token: str = "", expected: str = ""
    ) -> None:
        self.message = message
        self.text = text
        self.column = column
        self.token = token
        self.expected = expected
        super().__init__(self.describe())

    def describe(self) -> str:
        found = repr(self.token) if self.token else "the end of the target"
        tail = f" (expected {self.expected}, found {found})" if self.expected else ""
        return f"target {self.text!r}, column {self.column}: {self.message}{tail}"

    def as_dict(self) -> dict[str, object]:
        return {
            "message": self.message,
            "text": self.text,
            "column": self.column,
            "token": self.token,
            "expected": self.expected,
        }


@dataclass(frozen=True, slots=True)
class Deadline:
    """A day of the plan year (``31/8``), or of a given year."""

    day: int
    month: int
    year: int | None = None

    def describe(self) -> str:
        base = f"{self.day:02d}/{self.month:02d}"
        return f"{base}/{self.year}" if self.year else base


@dataclass(frozen=True, slots=True)
class Target:
    """A structured target. Build it with :func:`parse_target`."""

    kind: TargetKind
    #: the text as written (for a part of a compound, the part's own text)
    text: str = ""
    #: AT_LEAST / AT_MOST: the bound; BAND: the centre; GROWTH: the signed rate (0.2, -0.03)
    threshold: Decimal | None = None
    #: BAND: the half-width, on the threshold's scale (or a fraction of the centre,
    #: see ``tolerance_relative``)
    tolerance: Decimal | None = None
    #: BAND: ``tolerance`` is a fraction of the centre (``50 ± 5%`` is 47,5-52,5)
    tolerance_relative: bool = False
    #: written as a percentage: ``threshold`` is a fraction (90% → 0.9)
    percent: bool = False
    #: an amount in euro
    currency: bool = False
    #: what the number counts, when written after it (``150 merchant``)
    unit_label: str = ""
    #: MILESTONE: what must happen (``realizzazione``, ``Avvio (go live)``)
    label: str = ""
    deadline: Deadline | None = None
    #: which value this part compares: "" is the indicator's value; otherwise the
    #: name of a measure or input (the spending a cap limits)
    measure: str = ""
    #: GROWTH, and BAND written "mantenimento ±x": measured against the previous year
    relative_to_previous: bool = False
    #: GROWTH: the goal is a reduction (``-3%``), so smaller is better
    decrease: bool = False
    #: a bare value whose direction came from the indicator's polarity
    implicit: bool = False
    parts: tuple[Target, ...] = ()
    #: what looked odd while reading (the target is still usable)
    warnings: tuple[str, ...] = field(default=(), compare=False)

    # -- what evaluation needs ---------------------------------------------
    @property
    def needs_previous(self) -> bool:
        """True when scoring needs the indicator's value for the previous year."""
        return self.relative_to_previous or any(p.needs_previous for p in self.parts)

    @property
    def measures(self) -> frozenset[str]:
        """Names of the measures (other than the indicator's value) the target compares."""
        own = {self.measure} if self.measure else set()
        return frozenset(own.union(*(p.measures for p in self.parts)))

    @property
    def is_milestone(self) -> bool:
        return self.kind is TargetKind.MILESTONE or any(p.is_milestone for p in self.parts)

    def all_warnings(self) -> tuple[str, ...]:
        out = list(self.warnings)
        for p in self.parts:
            out.extend(w for w in p.all_warnings() if w not in out)
        return tuple(out)

    # -- words ---------------------------------------------------------------
    def describe(self, lang: str = "it") -> str:
        """The target in plain Italian (``lang="it"``) or English (``"en"``)."""
        it = lang != "en"
        k = self.kind
        if k is TargetKind.NONE:
            return "nessun target per l'anno" if it else "no target for the year"
        if k is TargetKind.COMPOUND:
            return (" e " if it else " and ").join(p.describe(lang) for p in self.parts)
        if k is TargetKind.MILESTONE:
            text = "traguardo raggiunto (sì)" if it else "milestone reached (yes)"
            if self.label:
                text += f": {self.label}"
            if self.deadline:
                text += (" entro il " if it else " by ") + self.deadline.describe()
            return text
        if k is TargetKind.GROWTH:
            rate = self._amount(abs(self.threshold or Decimal(0)), lang)
            if self.threshold == 0:
                if self.decrease:
                    return ("non superiore al valore dell'anno precedente" if it
                            else "not above the previous year's value")
                return ("non inferiore al valore dell'anno precedente" if it
                        else "not below the previous year's value")
            if self.decrease:
                return (f"riduzione di almeno il {rate} rispetto all'anno precedente" if it
                        else f"a reduction of at least {rate} against the previous year")
            return (f"crescita di almeno il {rate} rispetto all'anno precedente" if it
                    else f"growth of at least {rate} over the previous year")
        if k is TargetKind.BAND:
            tol = self.tolerance or Decimal(0)
            if self.relative_to_previous:
                t = format_number(tol * 100, lang) + "%"
                return (f"entro ±{t} del valore dell'anno precedente" if it
                        else f"within ±{t} of the previous year's value")
            centre = self.threshold or Decimal(0)
            if tol == 0:
                return (f"esattamente {self._amount(centre, lang)}" if it
                        else f"exactly {self._amount(centre, lang)}")
            width = abs(centre) * tol if self.tolerance_relative else tol
            lo, hi = self._amount(centre - width, lang), self._amount(centre + width, lang)
            tol_text = (format_number(tol * 100, lang) + "%" if self.tolerance_relative
                        else self._amount(tol, lang, unit=False))
            c = self._amount(centre, lang, unit=False)
            return (f"tra {lo} e {hi} ({c} ± {tol_text})" if it
                    else f"between {lo} and {hi} ({c} ± {tol_text})")
        amount = self._amount(self.threshold or Decimal(0), lang)
        if k is TargetKind.AT_LEAST:
            text = f"almeno {amount}" if it else f"at least {amount}"
        else:
            text = f"al massimo {amount}" if it else f"at most {amount}"
        if self.measure:
            text = f"{self.measure} {text}" if it else f"{self.measure}: {text}"
        return text

    def _amount(self, value: Decimal, lang: str, *, unit: bool = True) -> str:
        if self.percent:
            text = format_number(value * 100, lang) + "%"
        else:
            text = format_number(value, lang)
        if self.currency:
            text = f"€ {text}"
        if unit and self.unit_label:
            text = f"{text} {self.unit_label}"
        return text

    def as_dict(self) -> dict[str, object]:
        data = to_data(self)
        assert isinstance(data, dict)
        data["description_it"] = self.describe("it")
        data["description_en"] = self.describe("en")
        return data


def format_number(value: Decimal, lang: str = "it") -> str:
    """``4293180`` → ``4.293.180`` (Italian) or ``4,293,180`` (English); no trailing zeros."""
    if not displayable(value):
        # never a 10^29-digit string, never an exception: say it cannot be shown
        return "out of range" if lang == "en" else "fuori scala"
    if value.adjusted() < -30:
        return f"{value:E}"
    q = value.normalize()
    text = f"{q:f}"
    sign = ""
    if text.startswith("-"):
        sign, text = "-", text[1:]
    whole, _, frac = text.partition(".")
    groups: list[str] = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    thousands, dec = (".", ",") if lang != "en" else (",", ".")
    out = thousands.join(groups)
    if frac:
        out += dec + frac
    return sign + out


_PERCENT_UNITS = ("percentual", "percent", "%")


def is_percent_unit(unit: str) -> bool:
    u = unit.strip().casefold()
    return bool(u) and any(u.startswith(p) for p in _PERCENT_UNITS)


def _is_milestone_unit(unit: str) -> bool:
    u = unit.strip().casefold()
    return u.startswith("realizzaz") or u in ("sì/no", "si/no", "milestone", "traguardo")


def _is_count_unit(unit: str) -> bool:
    u = unit.strip().casefold()
    return u.startswith("numer") or u in ("n.", "n", "valore")


# -- numbers -----------------------------------------------------------------

_NUMBER = re.compile(r"[0-9](?:[0-9.,]*[0-9])?")


def parse_italian_number(token: str) -> tuple[Decimal, tuple[str, ...]]:
    """Read ``4.293.180``, ``1.234,5``, ``0,5``, ``18000`` (and ``0.5``, with a warning).

    Raise ``ValueError`` (with a reason) for broken groupings such as
    ``4.200.00`` or mixed styles such as ``1,234.5``.
    """
    if "," in token and "." in token:
        if re.fullmatch(r"\d{1,3}(?:\.\d{3})+,\d+", token):
            return Decimal(token.replace(".", "").replace(",", ".")), ()
        raise ValueError(f"{token!r} mixes '.' and ',' in a way Italian numbers do not "
                         "(write 1.234,5)")
    if "," in token:
        if re.fullmatch(r"\d+,\d+", token):
            return Decimal(token.replace(",", ".")), ()
        raise ValueError(f"{token!r} has more than one decimal comma")
    if "." in token:
        groups = token.split(".")
        if len(groups) == 2 and (len(groups[1]) != 3 or groups[0] == "0"
                                 or len(groups[0]) > 3):
            return Decimal(token), (
                f"read the '.' in {token} as a decimal point (Italian numbers use ',')",)
        if re.fullmatch(r"\d{1,3}(?:\.\d{3})+", token) and not token.startswith("0"):
            return Decimal(token.replace(".", "")), ()
        bad = next((g for g in groups[1:] if len(g) != 3), groups[0])
        raise ValueError(
            f"{token!r} is not a valid number: after a thousands '.' come exactly three "
            f"digits, not {bad!r} (is it {_guesses(groups)}?)")
    return Decimal(token), ()


def _guesses(groups: list[str]) -> str:
    whole = "".join(groups[:-1])
    last = groups[-1]
    padded = format_number(Decimal(whole + last.ljust(3, "0")), "it")
    decimal = format_number(Decimal(whole), "it") + "," + last
    return f"{padded} or {decimal}"


# -- the reader ----------------------------------------------------------------

_YES = frozenset({"sì", "si", "sí", "yes"})
_AT_LEAST_WORDS = ("non meno di", "almeno", "minimo", "min")
_AT_MOST_WORDS = ("non più di", "non piu di", "non oltre", "al massimo", "massimo", "max")
_GROWTH_WORDS = ("incremento", "aumento", "crescita")
_REDUCTION_WORDS = ("riduzione", "diminuzione", "decremento", "calo")
_MAINTAIN_WORDS = ("mantenimento", "mantenere")
_NUMERIC_WORDS = frozenset(
    w.split()[0] for w in (*_AT_LEAST_WORDS, *_AT_MOST_WORDS, *_GROWTH_WORDS,
                           *_REDUCTION_WORDS, *_MAINTAIN_WORDS))
_SYMBOL_OPS = (
    (">=", TargetKind.AT_LEAST), ("=>", TargetKind.AT_LEAST), ("≥", TargetKind.AT_LEAST),
    ("<=", TargetKind.AT_MOST), ("=<", TargetKind.AT_MOST), ("≤", TargetKind.AT_MOST),
    ("=", TargetKind.BAND),
)
_PLUSMINUS = ("±", "+/-", "+-")
_DASHES = frozenset({"-", "–", "—", "n.a.", "n/a", "nd", "n.d."})
_EXPECT_START = ("a number, an operator such as >= or <=, a growth such as +10%, "
                 "or 'sì ...' for a milestone")


class _Reader:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0

    def ws(self) -> None:
        while self.pos < len(self.text) and self.text[self.pos].isspace():
            self.pos += 1

    @property
    def rest(self) -> str:
        return self.text[self.pos:]

    def at_end(self) -> bool:
        self.ws()
        return self.pos >= len(self.text)

    def fail(self, message: str, expected: str = "", at: int | None = None) -> TargetError:
        p = self.pos if at is None else at
        token = ""
        if p < len(self.text):
            m = re.match(r"\w+|\S", self.text[p:])
            token = m.group(0) if m else self.text[p]
        return TargetError(message, text=self.text, column=p + 1, token=token,
                           expected=expected)

    def take_word(self, *words: str) -> str | None:
        """Consume one of ``words`` (case-insensitive, whole words) if it comes next."""
        self.ws()
        low = self.rest.casefold()
        for w in sorted(words, key=len, reverse=True):
            if low.startswith(w) and (len(low) == len(w) or not low[len(w)].isalnum()):
                self.pos += len(w)
                return w
        return None

    def take(self, *symbols: str) -> str | None:
        self.ws()
        for s in sorted(symbols, key=len, reverse=True):
            if self.rest.startswith(s):
                self.pos += len(s)
                return s
        return None

    def number(self, what: str = "a number") -> tuple[Decimal, str, tuple[str, ...]]:
        self.ws()
        m = _NUMBER.match(self.text, self.pos)
        if not m:
            raise self.fail(f"expected {what}", what)
        raw = m.group(0)
        try:
            value, warnings = parse_italian_number(raw)
        except ValueError as e:
            raise TargetError(str(e), text=self.text, column=self.pos + 1, token=raw,
                              expected="a number such as 4.200.000 or 4.200,5") from None
        if domain_problem(value) is not None:
            shown = raw if len(raw) <= 40 else raw[:37] + "..."
            raise TargetError(
                f"the number is outside the values' domain ({DIGITS} digits, {PLACES} of "
                "them decimals)", text=self.text[:80], column=self.pos + 1, token=shown,
                expected=f"below {VALUE_LIMIT:,.0f} with at most {PLACES} decimals") from None
        self.pos = m.end()
        return value, raw, warnings


def parse_target(
    text: str, *, unit: str, polarity: Polarity, cap_measure: str = "spesa"
) -> Target:
    """Read one year's target of an indicator.

    ``unit`` is the indicator's unit of measure (``percentuale``, ``numero``,
    ``realizzazione``...), ``polarity`` which way is better: together they
    decide how a bare value reads. ``cap_measure`` names the input a spending
    cap (``sì max € 4.293.180``) is compared with.

    Raises :class:`TargetError` when the text is not a target; returns a
    :class:`Target` otherwise, whose ``warnings`` list what looked odd.
    """
    norm = unicodedata.normalize("NFC", text)
    r = _Reader(norm)
    if r.at_end() or norm.strip().casefold() in _DASHES:
        return Target(TargetKind.NONE, text=norm.strip())
    r.ws()
    m = re.match(r"[^\W\d_]+", r.rest)
    word = m.group(0).casefold() if m else ""
    if word in _YES:
        r.take_word(word)
        return _milestone(r, norm.strip(), explicit=True, unit=unit, cap_measure=cap_measure)
    if word == "no":
        raise r.fail("'no' is not a target: a milestone target is written 'sì ...'",
                     _EXPECT_START)
    if word and word not in _NUMERIC_WORDS:
        if _is_milestone_unit(unit) or not unit.strip():
            return _milestone(r, norm.strip(), explicit=False, unit=unit,
                              cap_measure=cap_measure)
        raise r.fail(f"{m.group(0) if m else word!r} does not start a target for an "
                     f"indicator measured in {unit!r}", _EXPECT_START)
    target = _numeric(r, norm.strip(), unit=unit, polarity=polarity)
    return target


def _milestone(r: _Reader, whole: str, *, explicit: bool, unit: str,
               cap_measure: str) -> Target:
    start = r.pos
    body = r.text[start:]
    warnings: list[str] = []
    if not explicit and not _is_milestone_unit(unit):
        warnings.append(f"read {whole!r} as a milestone because it is not a number")
    if unit.strip() and not _is_milestone_unit(unit) and explicit:
        warnings.append(f"a milestone target on an indicator measured in {unit!r}")
    cut: list[tuple[int, int]] = []  # spans of body taken by the cap and the deadline

    cap: Target | None = None
    cm = re.search(r"(?i)\b(?:max|massimo)\b\.?\s*(€|euro\b|eur\b)?\s*(?=[0-9])", body)
    if cm:
        r.pos = start + cm.end()
        value, raw, num_warnings = r.number("an amount")
        after = r.pos
        currency = bool(cm.group(1))
        r.ws()
        tail = re.match(r"(?i)(€|euro\b|eur\b)", r.rest)
        if tail:
            currency = True
            r.pos += tail.end()
            after = r.pos
        cap = Target(TargetKind.AT_MOST, text=r.text[start + cm.start():after].strip(),
                     threshold=value, currency=currency, measure=cap_measure,
                     warnings=num_warnings)
        cut.append((cm.start(), after - start))

    deadline: Deadline | None = None
    dm = re.search(r"(?i)\bentro\s+(?:il\s+)?([0-9]{1,2})\s*[/.-]\s*([0-9]{1,2})"
                   r"(?:\s*[/.-]\s*([0-9]{4}|[0-9]{2}))?(?![0-9])", body)
    if dm:
        day, month = int(dm.group(1)), int(dm.group(2))
        year = int(dm.group(3)) if dm.group(3) else None
        if year is not None and year < 100:
            year += 2000
        if not (1 <= month <= 12 and 1 <= day <= _days_in(month, year)):
            raise TargetError(f"{dm.group(1)}/{dm.group(2)} is not a date",
                              text=r.text, column=start + dm.start(1) + 1,
                              token=dm.group(1), expected="a day/month such as 31/8")
        deadline = Deadline(day, month, year)
        cut.append((dm.start(), dm.end()))

    label = body
    for a, b in sorted(cut, reverse=True):
        label = label[:a] + " " + label[b:]
    label = re.sub(r"\s+", " ", label).strip(" ,;:-–—")
    milestone = Target(TargetKind.MILESTONE, text=whole if cap is None else
                       r.text[:start + (cm.start() if cm else len(body))].strip(),
                       label=label, deadline=deadline, warnings=tuple(warnings))
    if cap is None:
        return milestone
    return Target(TargetKind.COMPOUND, text=whole, parts=(milestone, cap))


def _days_in(month: int, year: int | None) -> int:
    if month == 2:
        if year is None:
            return 29
        return 29 if (year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)) else 28
    return 30 if month in (4, 6, 9, 11) else 31


def _numeric(r: _Reader, whole: str, *, unit: str, polarity: Polarity) -> Target:
    warnings: list[str] = []
    kind: TargetKind | None = None
    implicit = False
    growth_sign = 0  # +1 growth, -1 reduction
    maintain = False
    op_pos = r.pos

    sym = r.take(*(s for s, _ in _SYMBOL_OPS))
    if sym:
        kind = dict(_SYMBOL_OPS)[sym]
    elif r.take(">", "<"):
        raise r.fail("a target cannot be a strict comparison", "'>=' or '<='", at=op_pos)
    elif r.take_word(*_AT_LEAST_WORDS):
        kind = TargetKind.AT_LEAST
    elif r.take_word(*_AT_MOST_WORDS):
        kind = TargetKind.AT_MOST
    elif r.take_word(*_GROWTH_WORDS):
        growth_sign = 1
    elif r.take_word(*_REDUCTION_WORDS):
        growth_sign = -1
    elif r.take_word(*_MAINTAIN_WORDS):
        maintain = True
    else:
        r.ws()
        if r.rest[:1] in ("+", "-", "−"):
            if r.take(*_PLUSMINUS):
                raise r.fail("a band needs its centre before '±'", "a number", at=op_pos)
            growth_sign = 1 if r.rest[:1] == "+" else -1
            r.pos += 1

    if growth_sign:
        r.take_word("del", "dello", "di", "pari al", "pari a")
        rate, raw, nw = r.number("a rate such as 10%")
        warnings.extend(nw)
        if not r.take("%"):
            raise r.fail(f"a change against the previous year is a percentage: write "
                         f"{'+' if growth_sign > 0 else '-'}{raw}%", "'%'")
        label = _trailing_words(r)
        _end(r)
        if growth_sign > 0 and polarity is Polarity.LOWER_IS_BETTER:
            warnings.append("a growth target on an indicator where lower is better")
        if growth_sign < 0 and polarity is Polarity.HIGHER_IS_BETTER:
            warnings.append("a reduction target on an indicator where higher is better")
        # "or 0": "-0%" must not leave a negative zero behind
        return Target(TargetKind.GROWTH, text=whole,
                      threshold=growth_sign * rate / 100 or Decimal(0),
                      percent=True, relative_to_previous=True, decrease=growth_sign < 0,
                      unit_label=label, warnings=tuple(warnings))

    if maintain:
        if r.take(*_PLUSMINUS):
            tol, raw, nw = r.number("a tolerance such as 5%")
            warnings.extend(nw)
            if not r.take("%"):
                raise r.fail("the tolerance of 'mantenimento' is a percentage of the "
                             f"previous year's value: write ±{raw}%", "'%'")
            _end(r)
            return Target(TargetKind.BAND, text=whole, threshold=None, tolerance=tol / 100,
                          tolerance_relative=True, percent=True, relative_to_previous=True,
                          warnings=tuple(warnings))
        _end(r)
        decrease = polarity is Polarity.LOWER_IS_BETTER
        return Target(TargetKind.GROWTH, text=whole, threshold=Decimal(0), percent=True,
                      relative_to_previous=True, decrease=decrease, implicit=True,
                      warnings=tuple(warnings))

    # an amount: [-] [€] number [%|€|euro] [± number [%]] [words]
    r.ws()
    negative = False
    if kind is not None and r.rest[:1] in ("-", "−"):
        negative = True
        r.pos += 1
    currency = bool(r.take("€"))
    r.ws()
    if not _NUMBER.match(r.text, r.pos):
        raise r.fail("expected a number" if kind else "this is not a target",
                     "a number" if kind else _EXPECT_START)
    value, raw, nw = r.number()
    warnings.extend(nw)
    if negative:
        value = -value
    percent = bool(r.take("%"))
    if percent:
        value = value / 100
    if not percent and (r.take("€") or r.take_word("euro", "eur")):
        currency = True
    tolerance: Decimal | None = None
    tol_relative = False
    if r.take(*_PLUSMINUS):
        if kind not in (None, TargetKind.BAND):
            raise r.fail("a tolerance '±' only goes with a value to keep ('=' or none)",
                         "'=' or no operator", at=op_pos)
        kind = TargetKind.BAND
        tol, _traw, tw = r.number("a tolerance")
        warnings.extend(tw)
        tol_percent = bool(r.take("%"))
        if tol_percent and not percent:
            tol_relative, tolerance = True, tol / 100  # "50 ± 5%": 5% of 50
        elif percent:
            tolerance = tol / 100  # "50% ± 5%" or "50% ± 5": five percentage points
        else:
            tolerance = tol
    label = _trailing_words(r)
    _end(r)

    if not percent and is_percent_unit(unit) and not currency:
        percent = True
        value = value / 100
        if tolerance is not None and not tol_relative:
            tolerance = tolerance / 100
        warnings.append(f"no '%' after {raw}: read as {raw}% because the unit is {unit!r}")
    elif percent and unit.strip() and _is_count_unit(unit):
        warnings.append(f"the unit is {unit!r} but the target is a percentage")
    if kind is None:
        implicit = True
        kind = {
            Polarity.HIGHER_IS_BETTER: TargetKind.AT_LEAST,
            Polarity.LOWER_IS_BETTER: TargetKind.AT_MOST,
            Polarity.TARGET_BAND: TargetKind.BAND,
        }[polarity]
        if kind is TargetKind.BAND:
            tolerance = Decimal(0)
    else:
        if kind is TargetKind.AT_LEAST and polarity is Polarity.LOWER_IS_BETTER:
            warnings.append("the target says 'at least' but lower is better for the indicator")
        if kind is TargetKind.AT_MOST and polarity is Polarity.HIGHER_IS_BETTER:
            warnings.append("the target says 'at most' but higher is better for the indicator")
        if kind is TargetKind.BAND and tolerance is None:
            tolerance = Decimal(0)
    return Target(kind, text=whole, threshold=value, tolerance=tolerance,
                  tolerance_relative=tol_relative, percent=percent, currency=currency,
                  unit_label=label, implicit=implicit, warnings=tuple(warnings))


def _trailing_words(r: _Reader) -> str:
    """What the number counts, written after it (``150 merchant``)."""
    r.ws()
    m = re.match(r"[^\W\d_][\w'’ .-]*", r.rest)
    if not m:
        return ""
    r.pos += m.end()
    return m.group(0).strip(" .-")


def _end(r: _Reader) -> None:
    if not r.at_end():
        raise r.fail("unexpected text after the target", "the end of the target")


def with_warnings(target: Target, *extra: str) -> Target:
    """``target`` with more warnings (used by callers that know more context)."""
    return replace(target, warnings=target.warnings + tuple(extra))
