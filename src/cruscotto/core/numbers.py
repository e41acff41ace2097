"""One numeric domain for the values people enter and the figures the engine shows.

Every number that comes in -- a value typed in the form, uploaded, sent to the
API; a target; a literal in a formula -- must fit the *value domain*: at most
:data:`DIGITS` significant digits, of which at most :data:`PLACES` after the
decimal point (so below ``10**INTEGER_DIGITS`` in absolute value). The domain
is the database column (``DecimalField(max_digits=15, decimal_places=4)``) and
15 digits is what a binary double holds exactly, so SQLite (which stores a
decimal column as a double) returns exactly what was stored, as PostgreSQL
does (docs/decisions/0003-numeric-domain.md).

Figures the engine computes from those values can be larger (a ratio of a big
number over a small one); they are kept as :class:`~decimal.Decimal` and shown
only when below :data:`DISPLAY_LIMIT`; beyond it a page says "fuori scala".
Rounding never raises: :func:`rounded` returns ``None`` when a figure cannot
be rounded to the places asked for.
"""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Context, Decimal, InvalidOperation

from cruscotto.core.messages import Message, gettext_noop

__all__ = [
    "DIGITS",
    "DISPLAY_LIMIT",
    "DOMAIN_MESSAGES",
    "INTEGER_DIGITS",
    "PLACES",
    "VALUE_LIMIT",
    "displayable",
    "domain_problem",
    "from_float",
    "rounded",
]

#: significant digits of a value (the database column's ``max_digits``)
DIGITS = 15
#: decimal places of a value (the column's ``decimal_places``)
PLACES = 4
#: digits before the decimal point
INTEGER_DIGITS = DIGITS - PLACES
#: a value is below this in absolute value (exclusive)
VALUE_LIMIT = Decimal(10) ** INTEGER_DIGITS
#: a computed figure at or beyond this (in absolute value) is shown as out of range
DISPLAY_LIMIT = Decimal(10) ** DIGITS
#: enough precision to round any displayable figure to a dozen places
_ROUNDING = Context(prec=DIGITS + 20, rounding=ROUND_HALF_EVEN, Emax=999_999, Emin=-999_999)

TOO_LARGE = gettext_noop(
    "«%(text)s» è fuori dall'intervallo ammesso: al massimo %(digits)s cifre prima della "
    "virgola")
TOO_PRECISE = gettext_noop("«%(text)s» ha troppi decimali: al massimo %(places)s")
NOT_FINITE = gettext_noop("«%(text)s» non è un numero finito")
#: the templates of the domain's refusals (a reader passes them on as they are)
DOMAIN_MESSAGES = frozenset({TOO_LARGE, TOO_PRECISE, NOT_FINITE})


def domain_problem(value: Decimal, text: str | None = None) -> Message | None:
    """Why ``value`` is outside the value domain, or ``None`` when it fits.

    ``text`` is what the person wrote (named in the message); the value by default.
    """
    shown = text if text is not None else (f"{value:f}" if value.is_finite() else str(value))
    if len(shown) > 40:
        shown = shown[:37] + "…"
    if not value.is_finite():
        return Message(NOT_FINITE, {"text": shown})
    if value.is_zero():
        return None
    if value.adjusted() >= INTEGER_DIGITS:
        return Message(TOO_LARGE, {"text": shown, "digits": INTEGER_DIGITS})
    exponent = value.normalize(_ROUNDING).as_tuple().exponent
    if isinstance(exponent, int) and exponent < -PLACES:
        return Message(TOO_PRECISE, {"text": shown, "places": PLACES})
    return None


def from_float(number: float) -> Decimal:
    """A spreadsheet's binary number as the decimal it displays (15 significant digits).

    ``0.1 + 0.2`` is ``0.30000000000000004`` in binary; a spreadsheet shows (and
    means) ``0.3``. Not finite numbers come back as they are (the domain refuses them).
    """
    d = Decimal(repr(number))
    if not d.is_finite() or d.is_zero():
        return d
    return Context(prec=DIGITS, rounding=ROUND_HALF_EVEN).create_decimal(d).normalize()


def displayable(value: Decimal) -> bool:
    """Whether a computed figure can be shown (finite and below :data:`DISPLAY_LIMIT`)."""
    return value.is_finite() and abs(value) < DISPLAY_LIMIT


def rounded(value: Decimal, places: int, rounding: str = ROUND_HALF_EVEN) -> Decimal | None:
    """``value`` rounded to ``places`` decimals, or ``None`` if it is not displayable.

    Never raises, whatever the exponent of ``value`` (``1E+999999`` or ``1E-999999``).
    """
    if not displayable(value):
        return None
    try:
        return value.quantize(Decimal(1).scaleb(-places), rounding=rounding, context=_ROUNDING)
    except InvalidOperation:  # pragma: no cover - displayable() bounds the digits
        return None
