"""The answer to a sign-in refused because of too many wrong passwords (django-axes).

The login page shows a page that says what happened and for how long; the API
answers 429 with a JSON ``detail``, as its other errors. Both carry
``Retry-After``.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

STATUS = 429


def failure_limit(request: HttpRequest, credentials: Any = None) -> int:
    """The limit django-axes compares its count with, chosen so that it locks when
    either count reaches its own limit.

    Axes counts failures per (user name, address) and per address, and locks when the
    larger count reaches one limit. Here the two counts have different limits
    (``CRUSCOTTO_LOGIN_FAILURE_LIMIT`` for a name from an address,
    ``CRUSCOTTO_LOGIN_IP_FAILURE_LIMIT`` for an address across names): the answer
    is the limit that the larger count has reached, or one more than it.
    """
    from axes.helpers import get_client_ip_address, get_client_username
    from axes.models import AccessAttempt
    from django.db.models import Sum

    per_name = int(settings.CRUSCOTTO_LOGIN_FAILURE_LIMIT)
    per_address = int(settings.CRUSCOTTO_LOGIN_IP_FAILURE_LIMIT)
    address = getattr(request, "axes_ip_address", None) or get_client_ip_address(request)
    username = get_client_username(request, credentials)
    attempts = AccessAttempt.objects.filter(ip_address=address)
    from_address = attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0
    for_name = attempts.filter(username=username).aggregate(
        n=Sum("failures_since_start"))["n"] or 0
    if for_name >= per_name:
        return per_name
    if from_address >= per_address:
        return per_address
    return max(for_name, from_address) + 1


def lockout_response(request: HttpRequest, original_response: Any = None,
                     credentials: Any = None) -> HttpResponse:
    seconds = int(settings.AXES_COOLOFF_TIME.total_seconds())
    minutes = max(1, seconds // 60)
    message = _("Troppi tentativi di accesso non riusciti per questo nome utente o da questo "
                "indirizzo: l'accesso è bloccato per %(minutes)s minuti.") % {
        "minutes": minutes}
    response: HttpResponse
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": message}, status=STATUS)
    else:
        response = render(request, "registration/lockout.html",
                          {"message": message, "minutes": minutes}, status=STATUS)
    response["Retry-After"] = str(seconds)
    return response
