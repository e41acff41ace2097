"""The API against its own OpenAPI document, with schemathesis (in-process, no network).

Every operation of ``/api/openapi.json`` is called with examples generated
from the document, a bounded number per operation so that the whole runs in
well under a minute: anonymously and with HTTP Basic as a demo person, on
made-up plans, dates and codes and on the seed plan with its demo values.
Every answer must be no server error and match the document: its status
declared, its body of the declared schema, its content type the declared one.
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import override_settings
from hypothesis import HealthCheck, settings
from schemathesis.auths import apply_basic_auth
from schemathesis.core.parameters import ParameterLocation
from schemathesis.specs.openapi.checks import positive_data_acceptance

from cruscotto.web.measurements import models as mm
from cruscotto.web.plans import models as pm

from ..measurements.conftest import People
from ..seeded import seeded

#: the document as the app serves it (read at collection: it needs no database)
schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())

BOUNDED = settings(max_examples=10, deadline=None, derandomize=True,
                   suppress_health_check=list(HealthCheck))
#: who calls: nobody, a centre's officer, the planning office (HTTP Basic)
CALLERS = {"anonymous": None, "officer": "demo-referente", "planning": "demo-controllo"}


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: Any) -> Any:
    # Django's WSGI handler closes the database connection at the end of each request
    # (PostgreSQL: the test's transaction with it); its test client does not, and
    # neither must the app called in-process here
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    # schemathesis also sends wrong credentials on purpose; the sign-in lock-out (429,
    # tests/web/test_hardening.py) would then answer every later request of the module
    try:
        with override_settings(AXES_ENABLED=False), seeded(django_db_blocker) as people:
            yield people
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def sign_in(case: Any, who: str) -> None:
    """The caller's HTTP Basic credentials, as schemathesis' explicit auth: it then also
    checks that the same request without them, or with wrong ones, is refused."""
    user = CALLERS[who]
    if user is not None:  # demo people: the password is the user name
        apply_basic_auth(case, user, user)


def _pick(options: list[str], made_up: Any) -> str:
    """One of ``options``, chosen by the made-up value (so examples still vary)."""
    return options[sum(str(made_up).encode()) % len(options)]


def on_the_seed_plan(case: Any, people: People) -> None:
    """Point the made-up path at the seed plan, one of its periods and indicators.

    Not when the example is wrong on purpose in its path (it would become right) or
    its query (the API ignores query parameters it does not know, as most do).
    """
    meta = case.meta
    if not meta.generation.mode.is_positive and (
            meta.is_negative_at(ParameterLocation.PATH)
            or meta.is_negative_at(ParameterLocation.QUERY)):
        return
    params = case.path_parameters or {}
    if "key" in params:
        params["key"] = people.plan.key
    if "date" in params:
        dates = [p.end_date.isoformat() for p in mm.Period.objects.filter(plan=people.plan)]
        params["date"] = _pick(dates, params["date"])
    if "code" in params:
        codes = list(pm.Indicator.objects.filter(plan=people.plan).values_list("code",
                                                                               flat=True))
        params["code"] = _pick(codes, params["code"])
    if "year" in params:
        params["year"] = _pick(["2021", "2022", "2023"], params["year"])


def multipart(case: Any) -> bool:
    """A multipart body (the evidence upload). schemathesis' in-process WSGI transport
    sends it with a Content-Type that has no boundary, so Django cannot read its fields
    and any example looks like "valid input refused": for these operations that check
    is left out here (tests/web/api/test_evidence_api.py and the permission matrix post
    real multipart bodies)."""
    return (case.media_type or "").startswith("multipart/")


@pytest.mark.parametrize("who", list(CALLERS))
@schema.parametrize()
@BOUNDED
def test_made_up_paths(case: Any, who: str, demo: People, db: None) -> None:
    sign_in(case, who)
    if multipart(case):
        case.validate_response(case.call(), excluded_checks=[positive_data_acceptance])
    else:
        case.call_and_validate()


@pytest.mark.parametrize("who", list(CALLERS))
@schema.parametrize()
@BOUNDED
def test_the_seed_plan(case: Any, who: str, demo: People, db: None) -> None:
    """On real data the rules of the workflow refuse some requests the document allows
    (a locked value, a variable the indicator does not read): 400 with the reason, as
    the document says. schemathesis' "valid data accepted" check does not know that;
    instead, such a 400 must never be a validation error of input the document allows.
    """
    on_the_seed_plan(case, demo)
    sign_in(case, who)
    response = case.call()
    case.validate_response(response, excluded_checks=[positive_data_acceptance])
    if (response.status_code == 400 and case.meta.generation.mode.is_positive
            and not multipart(case)):
        body = response.json()
        assert "errors" not in body, f"valid input refused as invalid: {body['detail']}"
