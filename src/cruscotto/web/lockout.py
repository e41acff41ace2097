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


def lockout_response(request: HttpRequest, original_response: Any = None,
                     credentials: Any = None) -> HttpResponse:
    seconds = int(settings.AXES_COOLOFF_TIME.total_seconds())
    minutes = max(1, seconds // 60)
    message = _("Troppi tentativi di accesso non riusciti per questo nome utente: l'accesso "
                "è bloccato per %(minutes)s minuti.") % {"minutes": minutes}
    response: HttpResponse
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": message}, status=STATUS)
    else:
        response = render(request, "registration/lockout.html",
                          {"message": message, "minutes": minutes}, status=STATUS)
    response["Retry-After"] = str(seconds)
    return response
