"""Targets as plans write them, read into structured data.

``parse_target(">=90%", unit="percentuale", polarity=Polarity.HIGHER_IS_BETTER)``
gives ``Target(kind=AT_LEAST, threshold=Decimal("0.9"), percent=True, ...)``.
Every form of the seed plan is read (see docs/engine.md, "Target forms"):
thresholds, bare values read through the indicator's polarity, growth and
reduction against the previous year, tolerance bands, milestones with a
label, a deadline or a spending cap, and "no target"; and the prose of
published plans ("Il 75% delle amministrazioni ...", "ulteriori 5 fonti",
"+20.000 servizi per un totale di almeno 300.000", "entro dicembre 2024").

**Never misread.** A reading accounts for every number and comparison word
of the text; what would be left over (a second threshold, a base other than
the previous year, "per ogni amministrazione") raises
:class:`TargetPartlyRead` at the first word not understood.

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
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal

from cruscotto.core.baselines import Baseline, bind_baseline
from cruscotto.core.messages import Message, gettext_noop, msg
from cruscotto.core.numbers import DIGITS, PLACES, VALUE_LIMIT, displayable, domain_problem
from cruscotto.core.values import to_data

__all__ = [
    "Deadline",
    "Polarity",
    "Target",
    "TargetError",
    "TargetKind",
    "TargetPartlyRead",
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
        self, message: str, *, text: str, column: int, token: str = "", expected: str = "",
        why: Message | None = None,
    ) -> None:
        self.message = message
        #: what is wrong at ``column``, for people, when the reader can say it
        self.why = why
        self.text = text
        self.column = column
        self.token = token
        self.expected = expected
        super().__init__(self.describe())

    def describe(self) -> str:
        found = repr(self.token) if self.token else "the end of the target"
        tail = f" (expected {self.expected}, found {found})" if self.expected else ""
        return f"target {self.text!r}, column {self.column}: {self.message}{tail}"

    def people(self) -> Message:
        """For people: the target and where it stops being readable."""
        if self.why is not None:
            return msg(gettext_noop("il target «%(text)s» non si legge alla colonna %(column)s: "
                                    "%(why)s"),
                       text=self.text, column=self.column, why=self.why)
        if self.token:
            return msg(gettext_noop("il target «%(text)s» non si legge alla colonna %(column)s "
                                    "(«%(token)s»)"),
                       text=self.text, column=self.column, token=self.token)
        return msg(gettext_noop("il target «%(text)s» finisce prima del previsto"),
                   text=self.text)

    def as_dict(self) -> dict[str, object]:
        return {
            "message": self.message,
            "text": self.text,
            "column": self.column,
            "token": self.token,
            "expected": self.expected,
        }


class TargetPartlyRead(TargetError):
    """A target the reader understood only in part: words or numbers are left over.

    The part it read is not used (a reading that ignores a second threshold,
    a base or a per-unit condition would score the wrong thing); ``column``
    and ``token`` point at the first word not understood, for a person to
    encode the target by hand. ``reason`` says why for people (translated at
    the web edge); ``message`` says it for developers and the command line.
    """

    def __init__(self, message: str, *, text: str, column: int, token: str = "",
                 expected: str = "", reason: Message | None = None) -> None:
        super().__init__(message, text=text, column=column, token=token, expected=expected)
        self.reason = reason or Message(message)

    def people(self) -> Message:
        return msg(gettext_noop(
            "il target «%(text)s» è letto solo in parte: %(reason)s (colonna %(column)s, "
            "«%(token)s»); non è valutato finché una persona non lo codifica"),
            text=self.text, reason=self.reason, column=self.column, token=self.token)

    def finding_text(self, year: int) -> Message:
        """What the lint says about this target, in Italian (translatable)."""
        return msg(gettext_noop(
            "%(year)s: il target «%(text)s» è letto solo in parte: %(reason)s (colonna "
            "%(column)s, «%(token)s»); non è valutato finché una persona non lo codifica"),
            year=year, text=self.text, reason=self.reason, column=self.column,
            token=self.token)


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
    #: AT_LEAST / AT_MOST: the bound; BAND: the centre; GROWTH: the signed rate (0.2,
    #: -0.03) or, when ``percent`` is false, the signed increment (``ulteriori 5``, ``+20.000``)
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
    #: GROWTH against a stated value instead of the previous year's
    #: (``rispetto al monitoraggio di novembre 2023 (992.721.372)``)
    base_value: Decimal | None = None
    #: when (or what) the stated base is: ``monitoraggio di novembre 2023``
    base_label: str = ""
    #: GROWTH against another year's *target* (``rispetto al target 2024``); the
    #: plan's compilation gives ``base_value`` that target's value
    base_target_year: int | None = None
    #: what looked odd while reading (the target is still usable)
    warnings: tuple[Message, ...] = field(default=(), compare=False)

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

    def all_warnings(self) -> tuple[Message, ...]:
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
            # a rate's label is what grows ("del numero di autenticazioni"), not a unit
            rate = self._amount(abs(self.threshold or Decimal(0)), lang,
                                unit=not self.percent)
            if self.threshold == 0:
                if self.decrease:
                    return ("non superiore al valore dell'anno precedente" if it
                            else "not above the previous year's value")
                return ("non inferiore al valore dell'anno precedente" if it
                        else "not below the previous year's value")
            art = "il " if self.percent else ""  # "del 10%", but "di 20.000 servizi"
            if self.base_value is not None or self.base_target_year is not None:
                base = _base_words(self, lang)
                if self.decrease:
                    return (f"riduzione di almeno {art}{rate} rispetto {base}" if it
                            else f"a reduction of at least {rate} against {base}")
                return (f"crescita di almeno {art}{rate} rispetto {base}" if it
                        else f"growth of at least {rate} over {base}")
            if self.decrease:
                return (f"riduzione di almeno {art}{rate} rispetto all'anno precedente" if it
                        else f"a reduction of at least {rate} against the previous year")
            return (f"crescita di almeno {art}{rate} rispetto all'anno precedente" if it
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


def _base_words(t: Target, lang: str) -> str:
    """The stated base of a growth, after "rispetto" / "over": ``a 992.721.372 (...)``,
    ``al target 2024 (70%)``."""
    it = lang != "en"
    if t.base_target_year is not None:
        year = t.base_target_year
        words = f"al target {year}" if it else f"the {year} target"
        return words + (f" ({t.base_label})" if t.base_label else "")
    return ("a " if it else "") + format_number(t.base_value or Decimal(0), lang) + (
        f" ({t.base_label})" if t.base_label else "")


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


def parse_italian_number(token: str) -> tuple[Decimal, tuple[Message, ...]]:
    """Read ``4.293.180``, ``1.234,5``, ``0,5``, ``18000`` (and ``0.5``, with a warning).

    Raise ``ValueError`` (with a reason) for broken groupings such as
    ``4.200.00`` or mixed styles such as ``1,234.5``.
    """
    if "," in token and "." in token:
        if re.fullmatch(r"\d{1,3}(?:\.\d{3})+,\d+", token):
            return Decimal(token.replace(".", "").replace(",", ".")), ()
        raise ValueError(msg(gettext_noop("«%(token)s» mescola «.» e «,» come i numeri "
                                          "italiani non fanno (scrivi 1.234,5)"), token=token))
    if "," in token:
        if re.fullmatch(r"\d+,\d+", token):
            return Decimal(token.replace(",", ".")), ()
        raise ValueError(msg(gettext_noop("«%(token)s» ha più di una virgola decimale"),
                             token=token))
    if "." in token:
        groups = token.split(".")
        if len(groups) == 2 and (len(groups[1]) != 3 or groups[0] == "0"
                                 or len(groups[0]) > 3):
            return Decimal(token), (msg(gettext_noop(
                "il «.» di %(token)s letto come virgola decimale (in italiano si scrive "
                "«,»)"), token=token),)
        if re.fullmatch(r"\d{1,3}(?:\.\d{3})+", token) and not token.startswith("0"):
            return Decimal(token.replace(".", "")), ()
        bad = next((g for g in groups[1:] if len(g) != 3), groups[0])
        padded, decimal = _guesses(groups)
        raise ValueError(msg(gettext_noop(
            "«%(token)s» non è un numero valido: dopo il «.» delle migliaia vengono "
            "esattamente tre cifre, non «%(bad)s» (forse %(padded)s o %(decimal)s?)"),
            token=token, bad=bad, padded=padded, decimal=decimal))
    return Decimal(token), ()


def _why(exc: ValueError) -> Message | None:
    """The message a number's refusal carries (:func:`parse_italian_number`)."""
    return exc.args[0] if exc.args and isinstance(exc.args[0], Message) else None


def _guesses(groups: list[str]) -> tuple[str, str]:
    whole = "".join(groups[:-1])
    last = groups[-1]
    padded = format_number(Decimal(whole + last.ljust(3, "0")), "it")
    decimal = format_number(Decimal(whole), "it") + "," + last
    return padded, decimal


# -- the reader ----------------------------------------------------------------

_YES = frozenset({"sì", "si", "sí", "yes"})
_AT_LEAST_WORDS = ("non meno di", "almeno", "minimo", "min",
                   # the Portale della Performance's words ("maggiore o uguale a 90,00%")
                   "maggiore o uguale a", "maggiore o uguale al", "uguale o maggiore di",
                   "pari o superiore a", "pari o superiore al", "non inferiore a",
                   "non inferiore al")
#: misspellings real plans print, read with a warning
_AT_LEAST_TYPOS = ("ameno", "almento", "alemno")
_AT_MOST_WORDS = ("non più di", "non piu di", "non oltre", "al massimo", "massimo", "max",
                  "minore o uguale a", "minore o uguale al", "uguale o minore di",
                  "pari o inferiore a", "pari o inferiore al", "non superiore a",
                  "non superiore al")
_GROWTH_WORDS = ("incremento", "aumento", "crescita",
                 # the verbs plans write too ("incrementare del 50% la quota di PMI")
                 "incrementare", "aumentare", "accrescere")
_REDUCTION_WORDS = ("riduzione", "diminuzione", "decremento", "calo", "ridurre", "diminuire")
#: a change by a factor ("duplicare", "dimezzare"): a comparison the reader does not score
_FACTOR_WORDS = ("duplicare", "raddoppiare", "raddoppio", "triplicare", "quadruplicare",
                 "dimezzare", "dimezzamento")
_MAINTAIN_WORDS = ("mantenimento", "mantenere")
#: "ulteriori 5 fonti", "altre 35 PA", "50 ulteriori procedure": growth of the quantity
_INCREMENT_WORDS = ("ulteriori", "ulteriore", "altri", "altre", "nuovi", "nuove")
#: "tutte le PA ...": every one of them (100%)
_ALL_WORDS = ("tutti", "tutte")
_ARTICLES = ("il", "lo", "la", "l'", "l’", "i", "gli", "le")
_SCALES = {"mila": 1000, "migliaia": 1000, "milione": 10**6, "milioni": 10**6, "mln": 10**6,
           "miliardo": 10**9, "miliardi": 10**9, "mld": 10**9}
_NUMERIC_WORDS = frozenset(
    w.split()[0] for w in (*_AT_LEAST_WORDS, *_AT_LEAST_TYPOS, *_AT_MOST_WORDS,
                           *_GROWTH_WORDS, *_REDUCTION_WORDS, *_MAINTAIN_WORDS))
#: words that change what a target means: never silently part of a label
_COMPARISON_WORDS = frozenset({
    "almeno", "minimo", "min", "massimo", "max", *_AT_LEAST_TYPOS,
    "oltre", "superiore", "inferiore", "maggiore", "minore", *_GROWTH_WORDS,
    *_REDUCTION_WORDS, "ulteriori", "ulteriore", "totale", *_FACTOR_WORDS,
})
_MEANING_WORDS = frozenset({
    *_COMPARISON_WORDS, *_MAINTAIN_WORDS, "rispetto", "ogni", "ciascun", "ciascuno",
    "ciascuna", "baseline", "entro", "altri", "altre",
})
#: words that start an operator only as part of a phrase ("pari o superiore a", but
#: "Pari al 50%" is a lead-in)
_PHRASE_STARTS = ("non", "al", "pari", "uguale")
#: numbers written as words ("almeno due iniziative")
_NUMBER_WORDS = {w: i for i, w in enumerate(
    ("due", "tre", "quattro", "cinque", "sei", "sette", "otto", "nove", "dieci"), start=2)}
_MONTHS = {m: i for i, m in enumerate(
    ("gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto",
     "settembre", "ottobre", "novembre", "dicembre"), start=1)}
_SYMBOL_OPS = (
    (">=", TargetKind.AT_LEAST), ("=>", TargetKind.AT_LEAST), ("≥", TargetKind.AT_LEAST),
    ("<=", TargetKind.AT_MOST), ("=<", TargetKind.AT_MOST), ("≤", TargetKind.AT_MOST),
    ("=", TargetKind.BAND),
)
_PLUSMINUS = ("±", "+/-", "+-")
_DASHES = frozenset({"-", "–", "—", "n.a.", "n/a", "nd", "n.d.", "na", "n.a", "n.d"})
_EXPECT_START = ("a number, an operator such as >= or <=, a growth such as +10%, "
                 "or 'sì ...' for a milestone")
_WORD = re.compile(r"[^\W\d_]+(?:['’](?=[^\W\d_]))?")
_DEADLINE = re.compile(
    r"(?i)\bentro\s+(?:il\s+)?([0-9]{1,2})\s*[/.-]\s*([0-9]{1,2})"
    r"(?:\s*[/.-]\s*([0-9]{4}|[0-9]{2}))?(?![0-9])"
    r"|\bentro\s+(?:il\s+)?(?:(?:mese\s+di\s+)?)(" + "|".join(_MONTHS) + r")(?:\s+([0-9]{4}))?\b"
    r"|(?:\bentro\s+(?:il\s+)?)?\b(?:Q([1-4])|([1-4])°\s*trimestre)\s*(?:del\s+)?([0-9]{4})\b")


class _Reader:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        #: spans of the text whose numbers the reading uses
        self.used: list[tuple[int, int]] = []
        #: the baselines the plan declares for the indicator
        self.baselines: tuple[Baseline, ...] = ()
        #: the year whose target a growth compares with (``rispetto al target 2024``)
        self.base_target_year: int | None = None

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

    def partly(self, message: str, reason: Message, at: int | None = None) -> TargetPartlyRead:
        """The target is read only in part: ``at`` is the first word not understood."""
        p = self.pos if at is None else at
        m = re.match(r"\w+|\S", self.text[p:])
        token = m.group(0) if m else ""
        return TargetPartlyRead(
            f"partly read: {message}; the target is not scored until it is encoded by hand",
            text=self.text, column=p + 1, token=token,
            expected="a target the reader understands in full, or a structured reading",
            reason=reason)

    def peek_word(self) -> str:
        self.ws()
        m = _WORD.match(self.text, self.pos)
        return m.group(0).casefold() if m else ""

    def take_word(self, *words: str) -> str | None:
        """Consume one of ``words`` (case-insensitive, whole words) if it comes next."""
        self.ws()
        low = self.rest.casefold()
        for w in sorted(words, key=len, reverse=True):
            if low.startswith(w) and (len(low) == len(w) or not low[len(w)].isalnum()
                                      or w[-1] in "'’"):
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

    def number(self, what: str = "a number") -> tuple[Decimal, str, tuple[Message, ...]]:
        self.ws()
        m = _NUMBER.match(self.text, self.pos)
        if not m:
            wm = _WORD.match(self.text, self.pos)
            if wm and wm.group(0).casefold() in _NUMBER_WORDS:
                self.pos = wm.end()
                self.used.append(wm.span())
                return Decimal(_NUMBER_WORDS[wm.group(0).casefold()]), wm.group(0), ()
            raise self.fail(f"expected {what}", what)
        raw = m.group(0)
        try:
            value, warnings = parse_italian_number(raw)
        except ValueError as e:
            raise TargetError(str(e), text=self.text, column=self.pos + 1, token=raw,
                              expected="a number such as 4.200.000 or 4.200,5",
                              why=_why(e)) from None
        if domain_problem(value) is not None:
            shown = raw if len(raw) <= 40 else raw[:37] + "..."
            raise TargetError(
                f"the number is outside the values' domain ({DIGITS} digits, {PLACES} of "
                "them decimals)", text=self.text[:80], column=self.pos + 1, token=shown,
                expected=f"below {VALUE_LIMIT:,.0f} with at most {PLACES} decimals") from None
        self.pos = m.end()
        self.used.append(m.span())
        return value, raw, warnings

    def scale(self) -> int:
        """``2 milioni``: the multiplier a scale word after a number gives (1 if none)."""
        w = self.take_word(*_SCALES)
        return _SCALES[w] if w else 1


def parse_target(
    text: str, *, unit: str, polarity: Polarity, cap_measure: str = "spesa",
    year: int | None = None, baselines: Sequence[Baseline] = (),
) -> Target:
    """Read one year's target of an indicator.

    ``unit`` is the indicator's unit of measure (``percentuale``, ``numero``,
    ``realizzazione``...), ``polarity`` which way is better: together they
    decide how a bare value reads. ``cap_measure`` names the input a spending
    cap (``sì max € 4.293.180``) is compared with; ``year``, the year the
    target is for, lets ``rispetto al 2024`` be read as the previous year;
    ``baselines``, those the plan declares, are what ``rispetto alla
    baseline`` and ``rispetto al valore di novembre 2023`` name.

    Raises :class:`TargetError` when the text is not a target, and
    :class:`TargetPartlyRead` when part of it would be left out of the reading
    (a number, a comparison word, a base or a per-unit condition): a reading
    always accounts for every number of the text. Returns a :class:`Target`
    otherwise, whose ``warnings`` list what looked odd.
    """
    norm = unicodedata.normalize("NFC", text)
    r = _Reader(norm)
    r.baselines = tuple(baselines)
    if r.at_end() or norm.strip().casefold() in _DASHES:
        return Target(TargetKind.NONE, text=norm.strip())
    r.ws()
    m = re.match(r"[^\W\d_]+", r.rest)
    word = m.group(0).casefold() if m else ""
    if word in _YES:
        r.take_word(word)
        target = _milestone(r, norm.strip(), explicit=True, unit=unit,
                            cap_measure=cap_measure)
    elif word == "no":
        raise r.fail("'no' is not a target: a milestone target is written 'sì ...'",
                     _EXPECT_START)
    elif word and (word not in _NUMERIC_WORDS or word in _PHRASE_STARTS):
        if _has_quantity(norm):
            target = _numeric(r, norm.strip(), unit=unit, polarity=polarity, year=year,
                              lead_in=True)
        elif _is_milestone_unit(unit) or not unit.strip():
            target = _milestone(r, norm.strip(), explicit=False, unit=unit,
                                cap_measure=cap_measure)
        else:
            raise r.fail(f"{m.group(0) if m else word!r} does not start a target for an "
                         f"indicator measured in {unit!r}", _EXPECT_START)
    else:
        target = _numeric(r, norm.strip(), unit=unit, polarity=polarity, year=year)
    _account(r)
    if not target.is_milestone:  # "Erogazione di due corsi": the milestone's own words
        _account_words(r)
    return target


def _has_quantity(text: str) -> bool:
    """A number outside a deadline, a comparison word or "tutti": a text to read as a number."""
    rest = _DEADLINE.sub(" ", text)
    if re.search(r"\d", rest):
        return True
    words = [w.casefold() for w in _WORD.findall(rest)]
    return bool(set(words) & _COMPARISON_WORDS) or bool(words) and words[0] in _ALL_WORDS


def _account(r: _Reader) -> None:
    """Refuse a reading that leaves a number of the text unused (the last safety net)."""
    for m in _NUMBER.finditer(r.text):
        if not any(a <= m.start() < b for a, b in r.used):
            raise r.partly(f"the number {m.group(0)} is not part of the reading", msg(gettext_noop(
                "il numero %(number)s non fa parte della lettura"), number=m.group(0)),
                m.start())


def _account_words(r: _Reader) -> None:
    """A number written as a word before the quantity ("aumentare di cinque volte ... al
    64%") is a number the reading would drop: refuse it too."""
    start = min((a for a, _b in r.used), default=len(r.text))
    for m in _WORD.finditer(r.text, 0, start):
        if m.group(0).casefold() in _NUMBER_WORDS and not any(
                a <= m.start() < b for a, b in r.used):
            raise r.partly(f"the number {m.group(0)!r} is not part of the reading", msg(
                gettext_noop("il numero %(number)s non fa parte della lettura"),
                number=m.group(0)), m.start())


def _milestone(r: _Reader, whole: str, *, explicit: bool, unit: str,
               cap_measure: str) -> Target:
    start = r.pos
    body = r.text[start:]
    warnings: list[Message] = []
    if not explicit and not _is_milestone_unit(unit):
        warnings.append(msg(gettext_noop("«%(text)s» letto come traguardo perché non è un "
                                         "numero"), text=whole))
    if unit.strip() and not _is_milestone_unit(unit) and explicit:
        warnings.append(msg(gettext_noop("un traguardo su un indicatore misurato in "
                                         "«%(unit)s»"), unit=unit))
    cut: list[tuple[int, int]] = []  # spans of body taken by the cap and the deadline

    cap: Target | None = None
    cm = re.search(r"(?i)\b(?:max|massimo)\b\.?\s*(€|euro\b|eur\b)?\s*(?=[0-9])", body)
    if cm:
        r.pos = start + cm.end()
        value, raw, num_warnings = r.number("an amount")
        value *= r.scale()
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
    dm = _DEADLINE.search(body)
    if dm:
        deadline = _deadline(r, dm, start)
        cut.append((dm.start(), dm.end()))
        r.used.append((start + dm.start(), start + dm.end()))

    label = body
    for a, b in sorted(cut, reverse=True):
        label = label[:a] + " " * (b - a) + label[b:]
    for wm in _WORD.finditer(label):
        if wm.group(0).casefold() in _COMPARISON_WORDS:
            raise r.partly(f"{wm.group(0)!r} compares a quantity, which a milestone does "
                           "not have", msg(gettext_noop(
                               "«%(word)s» confronta una quantità, che un traguardo non ha"),
                               word=wm.group(0)), start + wm.start())
    label = re.sub(r"\s+", " ", label)
    label = re.sub(r"\(\s*\)|\[\s*\]", " ", label)  # "Pubblicazione sito (entro il 31/12)"
    label = re.sub(r"\s+", " ", label).strip(" ,;:-–—")
    milestone = Target(TargetKind.MILESTONE, text=whole if cap is None else
                       r.text[:start + (cm.start() if cm else len(body))].strip(),
                       label=label, deadline=deadline, warnings=tuple(warnings))
    if cap is None:
        return milestone
    return Target(TargetKind.COMPOUND, text=whole, parts=(milestone, cap))


def _deadline(r: _Reader, dm: re.Match[str], start: int) -> Deadline:
    if dm.group(1):
        day, month = int(dm.group(1)), int(dm.group(2))
        year = int(dm.group(3)) if dm.group(3) else None
        if year is not None and year < 100:
            year += 2000
        if not (1 <= month <= 12 and 1 <= day <= _days_in(month, year)):
            raise TargetError(f"{dm.group(1)}/{dm.group(2)} is not a date",
                              text=r.text, column=start + dm.start(1) + 1,
                              token=dm.group(1), expected="a day/month such as 31/8")
        return Deadline(day, month, year)
    if dm.group(4):  # "entro dicembre 2024": the last day of the month
        month = _MONTHS[dm.group(4).casefold()]
        year = int(dm.group(5)) if dm.group(5) else None
        return Deadline(_days_in(month, year), month, year)
    quarter = int(dm.group(6) or dm.group(7))  # "Q4 2025": the last day of the quarter
    month, year = quarter * 3, int(dm.group(8))
    return Deadline(_days_in(month, year), month, year)


def _days_in(month: int, year: int | None) -> int:
    if month == 2:
        if year is None:
            return 29
        return 29 if (year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)) else 28
    return 30 if month in (4, 6, 9, 11) else 31


def _lead_in(r: _Reader) -> bool:
    """Skip the words before the quantity (``Il``, ``Partecipazione di``, ``L'``).

    Stop at the quantity; refuse a word that changes the meaning. Return True
    when the lead-in is "tutti"/"tutte" (every one: 100%).
    """
    while True:
        r.ws()
        if r.pos >= len(r.text):
            return False
        ch = r.text[r.pos]
        if ch.isdigit() or ch in "+-−<>=≥≤€±":
            return False
        m = _WORD.match(r.text, r.pos)
        if not m:
            r.pos += 1  # punctuation between words: "Partecipazione (PA): 50"
            continue
        w = m.group(0).casefold()
        if w in _ALL_WORDS:
            r.pos = m.end()
            return True
        if w in _NUMERIC_WORDS or w in _INCREMENT_WORDS or w in _PHRASE_STARTS:
            low = r.rest.casefold()
            if w not in _PHRASE_STARTS or any(low.startswith(x) for x in (
                    *_AT_LEAST_WORDS, *_AT_MOST_WORDS)):
                return False
        if w in _MEANING_WORDS:
            raise r.partly(f"{m.group(0)!r} before the quantity is not understood", msg(
                gettext_noop("«%(word)s» prima della quantità non è compreso"),
                word=m.group(0)))
        r.pos = m.end()


def _label(r: _Reader) -> str:
    """The words after a number (``150 merchant``, ``delle PA (avviati)``), up to the first
    number or word that means something (which the caller must read or refuse)."""
    r.ws()
    start = r.pos
    end = start
    pos = start
    while pos < len(r.text):
        ch = r.text[pos]
        if ch.isdigit() or ch in "%€±<>=≥≤+":
            break
        m = _WORD.match(r.text, pos)
        if m:
            w = m.group(0).casefold()
            if (w in _MEANING_WORDS or w in _SCALES or w in _INCREMENT_WORDS
                    or w in _NUMBER_WORDS):
                break
            if w in ("per", "pari") and re.match(r"(?i)(?:per|pari\s+a)\s+un\s+totale\b",
                                                 r.text[pos:]):
                break
            pos = end = m.end()
            continue
        if ch in "-−" and pos + 1 < len(r.text) and r.text[pos + 1].isdigit():
            break
        pos += 1
        if not ch.isspace():
            end = pos
    if end == start or not _WORD.match(r.text, start):
        return ""  # a label starts with a word: ">=90%)" is not one
    r.pos = end
    return r.text[start:end].strip(" .-,;:")


def _tail(r: _Reader, *, growth: bool, year: int | None,
          base: tuple[Decimal | None, str] | None = None) -> tuple[Decimal | None, str] | None:
    """What may follow the label: the base of a growth; anything else is refused."""
    seen_base = False
    while not r.at_end():
        at = r.pos
        w = r.peek_word()
        if w == "rispetto" and growth and not seen_base:
            r.take_word("rispetto")
            base = _base(r, year)
            seen_base = True
            r.take(",")
            r.ws()
            _label(r)
            continue
        if r.take("."):
            if r.at_end():
                return base  # "Almeno 1.100 servizi qualificati."
            r.pos = at
        elif r.take(",", ";", ":"):
            continue
        raise _leftover(r, at)
    return base


def _leftover(r: _Reader, at: int) -> TargetError:
    """Why the text after the reading is refused, naming its first word."""
    r.pos = at
    before = r.text[:at].rstrip().casefold()
    w = r.peek_word()
    joined = re.search(r"(?:\s(?:e|ed)|[,;])(?:\s+(?:il|la|lo|l['’]|i|gli|le|di|del|della|dei|"
                       r"delle|degli))?$", before)
    if joined and (
            w in _COMPARISON_WORDS or w in _INCREMENT_WORDS or w in _ALL_WORDS
            or w in _NUMBER_WORDS or w in _GROWTH_WORDS or w in _REDUCTION_WORDS
            or _NUMBER.match(r.text, r.pos)):
        return r.partly("a second threshold: a target of several parts needs a measure "
                        "for each part", msg(gettext_noop(
                            "una seconda soglia: un target di più parti richiede una misura "
                            "per ciascuna parte")), at)
    if w in ("ogni", "ciascun", "ciascuno", "ciascuna"):
        return r.partly(f"a per-unit condition ({w!r}) that the reading cannot apply", msg(
            gettext_noop("una condizione per unità («%(word)s») che la lettura non sa "
                         "applicare"), word=w), at)
    if w == "rispetto":
        return r.partly("a base ('rispetto ...') on a target that is not a growth", msg(
            gettext_noop("una base («rispetto ...») su un target che non è una crescita")), at)
    if w == "entro":
        return r.partly("a deadline on a quantity", msg(gettext_noop(
            "una scadenza su una quantità")), at)
    if _NUMBER.match(r.text, r.pos) or w in _NUMBER_WORDS:
        return r.partly("a number after the target that the reading does not use", msg(
            gettext_noop("un numero dopo il target che la lettura non usa")), at)
    if not w:
        return r.fail("unexpected text after the target", "the end of the target", at=at)
    word = r.text[at:].split()[0]
    return r.partly(f"{word!r} and what follows are not understood", msg(gettext_noop(
        "«%(word)s» e ciò che segue non sono compresi"), word=word), at)


_NUM = r"[0-9](?:[0-9.,]*[0-9])?"
_STATED_BASES = (
    # "alla baseline di 32.000.000 di autenticazioni al 2023"
    re.compile(r"(?i)(?:alla\s+)?(baseline)\s+di\s+(" + _NUM + r")(?:\s+di\s+[^\W\d_]+)?"
               r"\s+al\s+((?:19|20)\d\d)\b"),
    # "al monitoraggio di novembre 2023 (992.721.372)"
    re.compile(r"(?i)(?:al|alla|allo|ai|alle|all['’])\s*([^\W\d_][^\d()]*?\s+(?:"
               + "|".join(_MONTHS) + r")\s+((?:19|20)\d\d))\s*\(\s*(" + _NUM + r")\s*\)"),
)


def _base(r: _Reader, year: int | None) -> tuple[Decimal | None, str] | None:
    """After "rispetto": the previous year (None) or a stated value with its date.

    A year's target (``al target 2024``) gives ``(None, "target 2024")`` and
    sets ``r.base_target_year``; a declared baseline gives its value.
    """
    r.ws()
    at = r.pos
    for n, rx in enumerate(_STATED_BASES):
        m = rx.match(r.text, r.pos)
        if not m:
            continue
        raw, label = (m.group(2), f"baseline {m.group(3)}") if n == 0 else (
            m.group(3), m.group(1).strip())
        num_at = m.start(2) if n == 0 else m.start(3)
        try:
            value, _w = parse_italian_number(raw)
        except ValueError as e:
            raise TargetError(str(e), text=r.text, column=num_at + 1, token=raw,
                              expected="a number such as 4.200.000", why=_why(e)) from None
        r.used.append((m.start(), m.end()))
        r.pos = m.end()
        return value, label
    declared = _declared_base(r)
    if declared is not None:
        return declared
    r.take_word("al", "alla", "all'", "all’", "allo", "a")
    if r.take_word("anno precedente", "precedente anno", "anno prima", "precedente"):
        return None
    r.ws()
    ym = re.match(r"(?:anno\s+)?((?:19|20)\d\d)\b", r.rest)
    if ym:
        base_year = int(ym.group(1))
        if year is not None and base_year == year - 1:
            r.used.append((r.pos + ym.start(1), r.pos + ym.end(1)))
            r.pos += ym.end()
            return None
        raise r.partly(f"the base is the value of {base_year}"
                       + ("" if year is None else f", not of the previous year ({year - 1})")
                       + ": only the previous year's value is compared", msg(gettext_noop(
                           "la base è il valore del %(base)s: si confronta solo con il valore "
                           "dell'anno precedente"), base=base_year), r.pos + ym.start(1))
    w = r.peek_word()
    tm = _TARGET_YEAR.match(r.text, r.pos)
    if tm:
        r.used.append(tm.span(1))
        r.pos = tm.end()
        r.base_target_year = int(tm.group(1))
        return None, ""
    if w == "target":
        raise r.partly("the base is a year's target, not its actual value", msg(gettext_noop(
            "la base è il target di un anno, non il suo valore effettivo")), r.pos)
    if w == "baseline":
        raise r.partly("the base is the baseline, whose value and date the plan must declare",
                       msg(gettext_noop("la base è la baseline, di cui il piano deve dichiarare "
                                        "valore e data")), r.pos)
    raise r.partly("a base the reader does not know", msg(gettext_noop(
        "una base che la lettura non conosce")), at)


_TARGET_YEAR = re.compile(r"(?i)target\s+(?:del\s+|dell['’]anno\s+|anno\s+)?((?:19|20)\d\d)\b")
_MONTH_ALT = "|".join(_MONTHS)
# "alla baseline", "al valore di novembre 2023", "alla baseline del 30/11/2023",
# "al dato al 30/11/2023", "al monitoraggio di novembre 2023"
_DECLARED = re.compile(
    r"(?i)(?:al|alla|allo|all['’])\s*(?P<word>(?P<baseline>baseline)|valore|dato|monitoraggio"
    r"|rilevazione)(?:\s+(?:di|del|al|a)\s+(?:(?P<day>\d{1,2})\s*/\s*(?P<dm>\d{1,2})\s*/\s*"
    r"(?P<dy>(?:19|20)\d\d)|(?P<month>" + _MONTH_ALT + r")\s+(?P<my>(?:19|20)\d\d)"
    r"|(?P<year>(?:19|20)\d\d)))?\b")


def _declared_base(r: _Reader) -> tuple[Decimal, str] | None:
    """A baseline the plan declares, named by the target; refused when not declared."""
    m = _DECLARED.match(r.text, r.pos)
    if not m or not (m["baseline"] or m["dy"] or m["my"] or m["year"]):
        return None  # "al valore" alone is not a date: not a baseline's name
    day = int(m["day"]) if m["day"] else None
    month = int(m["dm"]) if m["dm"] else (_MONTHS[m["month"].casefold()]
                                          if m["month"] else None)
    year_ = int(m["dy"] or m["my"] or m["year"] or 0) or None
    named = r.text[m.start():m.end()].strip()
    found = bind_baseline(r.baselines, year=year_, month=month, day=day)
    if found is None:
        if len(r.baselines) > 1 and year_ is None:
            raise r.partly(
                f"several baselines are declared: {named!r} must name the date", msg(
                    gettext_noop("il piano dichiara più baseline: «%(named)s» deve dirne la "
                                 "data (rispetto al valore di novembre 2023)"), named=named),
                m.start("word"))
        raise r.partly(f"{named!r} names a baseline the plan does not declare", msg(
            gettext_noop("«%(named)s» nomina una baseline che il piano non dichiara"),
            named=named), m.start("word"))
    r.used.append(m.span())
    r.pos = m.end()
    return found.value, found.describe()


def _numeric(r: _Reader, whole: str, *, unit: str, polarity: Polarity,
             year: int | None = None, lead_in: bool = False) -> Target:
    warnings: list[Message] = []
    kind: TargetKind | None = None
    implicit = False
    growth_sign = 0  # +1 growth, -1 reduction
    maintain = False
    if lead_in and _lead_in(r):
        return _every(r, whole, unit=unit, year=year)
    op_pos = r.pos

    sym = r.take(*(s for s, _ in _SYMBOL_OPS))
    if sym:
        kind = dict(_SYMBOL_OPS)[sym]
    elif r.take(">", "<"):
        raise r.fail("a target cannot be a strict comparison", "'>=' or '<='", at=op_pos)
    elif r.take_word(*_AT_LEAST_WORDS):
        kind = TargetKind.AT_LEAST
    elif r.take_word(*_AT_LEAST_TYPOS):
        kind = TargetKind.AT_LEAST
        warnings.append(msg(gettext_noop("«%(word)s» letto come «almeno»"),
                            word=r.text[op_pos:r.pos].strip()))
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
        r.take(",")
        base: tuple[Decimal | None, str] | None = None
        early_base = r.peek_word() == "rispetto"
        if early_base:
            r.take_word("rispetto")
            base = _base(r, year)
            r.take(",")
        r.take_word(*_AT_LEAST_WORDS)  # "incremento almeno del 10%"
        r.take_word("del", "dello", "dell'", "di", "pari al", "pari a")
        r.take_word(*_AT_LEAST_WORDS)
        inc_word = r.take_word(*_INCREMENT_WORDS)
        subject = ""
        r.ws()
        sm = re.match(r"([^\W\d_][^\d%]*?)\s+(?:del|dello|di|pari al|pari a)\s+"
                      r"(?:almeno\s+(?:il\s+)?)?(?=\d)", r.rest)
        if (not _NUMBER.match(r.text, r.pos) and sm and not any(
                w.casefold() in _MEANING_WORDS for w in _WORD.findall(sm.group(1)))):
            # "incremento del numero di autenticazioni del 8%": the subject, then the rate
            subject = sm.group(1).strip()
            r.pos += sm.end()
        elif not _NUMBER.match(r.text, r.pos) and r.peek_word() not in _NUMBER_WORDS:
            subject = _label(r)  # the rate is missing: point at what stops the subject
            r.take_word("del", "dello", "di")
        rate, raw, nw = r.number("a rate such as 10%")
        warnings.extend(nw)
        percent = bool(r.take("%"))
        if not percent:
            if is_percent_unit(unit) or not unit.strip() and not inc_word and (
                    r.at_end() or r.rest[:1] in ")"):
                raise r.fail(f"a change against the previous year is a percentage: write "
                             f"{'+' if growth_sign > 0 else '-'}{raw}%", "'%'")
            rate *= r.scale()
            inc_word = inc_word or r.take_word(*_INCREMENT_WORDS)
        label = _label(r) or subject
        total: Target | None = None
        if not percent and growth_sign > 0 and r.take_word("per un totale di",
                                                           "per un totale", "pari a un totale di"):
            total = _total(r, whole, polarity=polarity)
        if early_base:
            _tail(r, growth=False, year=year)
        else:
            base = _tail(r, growth=True, year=year)
        if base is not None and not percent:
            raise r.partly("an increment against a stated base", msg(gettext_noop(
                "un incremento rispetto a una base dichiarata")), op_pos)
        if growth_sign > 0 and polarity is Polarity.LOWER_IS_BETTER:
            warnings.append(msg(gettext_noop("un target di crescita su un indicatore per cui è "
                                             "meglio un valore più basso")))
        if growth_sign < 0 and polarity is Polarity.HIGHER_IS_BETTER:
            warnings.append(msg(gettext_noop("un target di riduzione su un indicatore per cui "
                                             "è meglio un valore più alto")))
        # "or 0": "-0%" must not leave a negative zero behind
        g = Target(TargetKind.GROWTH, text=whole,
                   threshold=(growth_sign * rate / 100 if percent else growth_sign * rate)
                   or Decimal(0),
                   percent=percent, relative_to_previous=base is None,
                   decrease=growth_sign < 0, unit_label=label,
                   base_value=None if base is None else base[0],
                   base_label="" if base is None else base[1],
                   base_target_year=r.base_target_year, warnings=tuple(warnings))
        if total is None:
            return g
        return Target(TargetKind.COMPOUND, text=whole, parts=(g, total))

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

    # an amount: [-] [€] number [scale] [%|€|euro] [± number [%]] [words]
    if kind is not None:
        r.take_word(*_ARTICLES)  # "almeno il 30%"
    inc_word = r.take_word(*_INCREMENT_WORDS) if kind in (None, TargetKind.AT_LEAST) else None
    r.ws()
    negative = False
    if kind is not None and r.rest[:1] in ("-", "−"):
        negative = True
        r.pos += 1
    currency = bool(r.take("€"))
    r.ws()
    if not _NUMBER.match(r.text, r.pos) and not (kind and r.peek_word() in _NUMBER_WORDS):
        raise r.fail("expected a number" if kind else "this is not a target",
                     "a number" if kind else _EXPECT_START)
    value, raw, nw = r.number()
    warnings.extend(nw)
    value *= r.scale()
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
    if not percent and kind in (None, TargetKind.AT_LEAST) and inc_word is None:
        inc_word = r.take_word(*_INCREMENT_WORDS)  # "50 ulteriori procedure"
    label = _label(r)
    if inc_word is not None and not percent and tolerance is None:
        # "ulteriori 5 fonti dati": the quantity grows by 5 over the previous year
        _tail(r, growth=True, year=year)
        return Target(TargetKind.GROWTH, text=whole, threshold=value, percent=False,
                      currency=currency, relative_to_previous=True, unit_label=label,
                      warnings=tuple(warnings))
    if inc_word is not None:
        raise r.partly(f"{inc_word!r} (an increment) with a percentage or a band", msg(
            gettext_noop("«%(word)s» (un incremento) con una percentuale o una fascia"),
            word=inc_word), op_pos)
    _tail(r, growth=False, year=year)

    if not percent and is_percent_unit(unit) and not currency:
        percent = True
        value = value / 100
        if tolerance is not None and not tol_relative:
            tolerance = tolerance / 100
        warnings.append(msg(gettext_noop("manca «%%» dopo %(raw)s: letto come %(raw)s%% "
                                         "perché l'unità è «%(unit)s»"), raw=raw, unit=unit))
    elif percent and unit.strip() and _is_count_unit(unit):
        warnings.append(msg(gettext_noop("l'unità è «%(unit)s» ma il target è una "
                                         "percentuale"), unit=unit))
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
            warnings.append(msg(gettext_noop("il target dice «almeno» ma per l'indicatore è "
                                             "meglio un valore più basso")))
        if kind is TargetKind.AT_MOST and polarity is Polarity.HIGHER_IS_BETTER:
            warnings.append(msg(gettext_noop("il target dice «al massimo» ma per l'indicatore "
                                             "è meglio un valore più alto")))
        if kind is TargetKind.BAND and tolerance is None:
            tolerance = Decimal(0)
    return Target(kind, text=whole, threshold=value, tolerance=tolerance,
                  tolerance_relative=tol_relative, percent=percent, currency=currency,
                  unit_label=label, implicit=implicit, warnings=tuple(warnings))


def _total(r: _Reader, whole: str, *, polarity: Polarity) -> Target:
    """``... per un totale di almeno 300.000``: the level the quantity must reach too."""
    kind = TargetKind.AT_LEAST
    if r.take_word(*_AT_MOST_WORDS):
        kind = TargetKind.AT_MOST
    else:
        r.take_word(*_AT_LEAST_WORDS)
    value, _raw, nw = r.number("the total")
    value *= r.scale()
    label = _label(r)
    return Target(kind, text=whole, threshold=value, unit_label=label, warnings=nw)


def _every(r: _Reader, whole: str, *, unit: str, year: int | None) -> Target:
    """``Tutte le PA hanno pubblicato ...``: every one of them, 100%."""
    r.take_word(*_ARTICLES)
    label = _label(r)
    _tail(r, growth=False, year=year)
    warnings: tuple[Message, ...] = ()
    if unit.strip() and not is_percent_unit(unit):
        warnings = (msg(gettext_noop("«tutti» letto come 100%% ma l'unità è «%(unit)s»"),
                        unit=unit),)
    return Target(TargetKind.AT_LEAST, text=whole, threshold=Decimal(1), percent=True,
                  unit_label=label, warnings=warnings)


def _end(r: _Reader) -> None:
    if not r.at_end():
        raise r.fail("unexpected text after the target", "the end of the target")


def with_warnings(target: Target, *extra: Message) -> Target:
    """``target`` with more warnings (used by callers that know more context)."""
    return replace(target, warnings=target.warnings + tuple(extra))
