"""The measurement tests' people and the API caller, for the second hardening round."""

from tests.web.api.conftest import caller  # noqa: F401
from tests.web.measurements.conftest import italian, people  # noqa: F401
