from tests.web.measurements.conftest import italian, people  # noqa: F401 - fixtures
