"""Exceptions to HTTP statuses, with a JSON body ``{"detail": "..."}``.

The message is the service's own: it already says what was refused and why,
for the person who tried.

============================  ======
``PermissionDenied``          403
``WorkflowError``             400 (a workflow lock, a missing reason, a wrong variable)
``ConflictError``             409, with the current value (or state) and version
``Http404`` / ``DoesNotExist``  404
bad input (validation)        400, with ``errors`` by field
============================  ======
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, ValidationError

from cruscotto.core.workflow import WorkflowError
from cruscotto.web.i18n import translate
from cruscotto.web.measurements.services import ConflictError

#: the responses every endpoint may give besides its own
UNAUTHORIZED = gettext_lazy("accedi (con la sessione) oppure invia le credenziali HTTP Basic")


def plain(value: Any) -> Any:
    """A stored value as JSON: a Decimal becomes an int or a float, the rest stays."""
    if isinstance(value, Decimal):
        if value == value.to_integral_value():
            return int(value)
        return float(value)
    return value


def _where(loc: Any) -> str:
    return ".".join(str(p) for p in loc)


def install(api: NinjaAPI) -> None:
    def respond(request: HttpRequest, status: int, **data: Any) -> HttpResponse:
        return api.create_response(request, data, status=status)

    @api.exception_handler(PermissionDenied)
    def forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        return respond(request, 403, detail=translate(exc) or _("non consentito"))

    @api.exception_handler(WorkflowError)
    def refused(request: HttpRequest, exc: WorkflowError) -> HttpResponse:
        return respond(request, 400, detail=translate(exc))

    @api.exception_handler(ConflictError)
    def conflict(request: HttpRequest, exc: ConflictError) -> HttpResponse:
        return respond(request, 409, detail=translate(exc), current=plain(exc.current),
                       version=exc.version)

    @api.exception_handler(Http404)
    @api.exception_handler(ObjectDoesNotExist)
    def not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
        return respond(request, 404, detail=translate(exc) or _("non trovato"))

    @api.exception_handler(AuthenticationError)
    def unauthorized(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        message = exc.message if exc.message != "Unauthorized" else UNAUTHORIZED
        return respond(request, 401, detail=str(message))

    @api.exception_handler(ValidationError)
    def invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        errors = [{"loc": list(e.get("loc", ())), "msg": str(e.get("msg", ""))}
                  for e in exc.errors]
        detail = "; ".join(f"{_where(e['loc'])}: {e['msg']}" for e in errors)
        return respond(request, 400, detail=_("dati non validi: %(detail)s") % {"detail": detail},
                       errors=errors)
