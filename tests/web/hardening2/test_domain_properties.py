"""Properties of the numeric domain over its whole range, on the database of the run
(SQLite by default, PostgreSQL with DATABASE_URL).

Every value of the domain is stored and read back digit for digit; every number outside
it is refused with a message; formatting and rounding never raise for any decimal.
"""

from __future__ import annotations

from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cruscotto.core.numbers import (
    INTEGER_DIGITS,
    PLACES,
    VALUE_LIMIT,
    displayable,
    domain_problem,
    rounded,
)
from cruscotto.core.targets import format_number
from cruscotto.io.svg_charts import format_percent
from cruscotto.web.measurements import models as mm
from cruscotto.web.measurements.services import ValueInput, do_set_values
from tests.web.measurements.conftest import People

#: the domain: whole ten-thousandths below 10^11, with its edges drawn often
IN_DOMAIN = st.one_of(
    st.integers(min_value=-(10 ** (INTEGER_DIGITS + PLACES)) + 1,
                max_value=10 ** (INTEGER_DIGITS + PLACES) - 1).map(
        lambda n: Decimal(n).scaleb(-PLACES)),
    st.sampled_from([Decimal("99999999999.9999"), Decimal("-99999999999.9999"),
                     Decimal("0.0001"), Decimal("-0.0001"), Decimal(0),
                     Decimal("12345678901.2345")]))


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=IN_DOMAIN)
def test_every_value_of_the_domain_is_stored_and_read_back_exactly(people: People,
                                                                   value: Decimal) -> None:
    assert domain_problem(value) is None
    version = mm.Value.objects.filter(variable="budget_innovazione",
                                      period=people.year_end).values_list("version",
                                                                          flat=True).first()
    do_set_values(user=people.officer_a, period=people.year_end, items=[ValueInput(
        "3.1.1", "budget_innovazione", value, expected_version=version or 0)])
    stored = mm.Value.objects.get(variable="budget_innovazione", period=people.year_end)
    assert stored.number == value
    assert stored.versions.order_by("-version").first().number == value


@given(value=st.decimals(allow_nan=True, allow_infinity=True))
def test_the_domain_accepts_exactly_its_numbers(value: Decimal) -> None:
    inside = (value.is_finite() and abs(value) < VALUE_LIMIT
              and value == value.quantize(Decimal(1).scaleb(-PLACES)))
    assert (domain_problem(value) is None) == inside


@given(value=st.decimals(allow_nan=False, allow_infinity=True),
       places=st.integers(min_value=0, max_value=12))
def test_rounding_and_formatting_never_raise(value: Decimal, places: int) -> None:
    r = rounded(value, places)
    assert (r is None) == (not displayable(value))
    text = format_number(value)
    assert len(text) < 80
    assert format_percent(value).endswith("%") or format_percent(value) == "fuori scala"
