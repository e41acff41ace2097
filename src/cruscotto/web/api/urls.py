"""The API instance: ``path("api/", api.urls)`` in the project's urls."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any, cast

from django.http import HttpRequest
from ninja import NinjaAPI
from ninja.operation import Operation
from ninja.parser import Parser

from cruscotto.web.api import errors
from cruscotto.web.api.documents import router as documents
from cruscotto.web.api.evaluation import router as evaluation
from cruscotto.web.api.measurements import router as measurements
from cruscotto.web.api.plans import router as plans


class DecimalParser(Parser):
    """JSON bodies with decimals read exactly (``0.1`` is ``Decimal("0.1")``, not a float)."""

    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        return cast(dict[str, Any], json.loads(request.body, parse_float=Decimal))


class API(NinjaAPI):
    def get_openapi_operation_id(self, operation: Operation) -> str:
        # short ids (``put_values``) make readable generated clients
        return operation.view_func.__name__.rstrip("_")


api = API(
    title="Cruscotto API",
    version="1",
    description=(
        "Plans, periods, values, the workflow of values (submit, validate, return, "
        "certify, reopen), evaluations with their derivation, the audit trail, targets with "
        "their revisions, supporting documents (evidence: multipart upload, list, "
        "download), and the plan's official documents (list, download: read only)."
        "\n\nMessages (`detail`) are in Italian, or in English for a caller "
        "sending `Accept-Language: en`.\n\nAuthentication: the Django session (browsers; "
        "unsafe methods need the CSRF token in `X-CSRFToken`) or HTTP Basic with a Cruscotto "
        "user (scripts). Anonymous callers read what is public: published plans, their "
        "certified values only, and their documents not withdrawn.\n\n"
        "Errors are `{\"detail\": \"...\"}`: 400 bad input or a workflow lock, 401 not "
        "signed in, 403 not allowed, 404 unknown plan, period, indicator or document, 409 "
        "changed meanwhile (with the current value and version)."),
    urls_namespace="api",
    parser=DecimalParser(),
)
errors.install(api)
api.add_router("/plans", plans)
api.add_router("/plans", measurements)
api.add_router("/plans", evaluation)
api.add_router("/plans", documents)
