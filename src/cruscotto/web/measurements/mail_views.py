"""The record of the e-mails Cruscotto sent, for the planning office."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from cruscotto.web.measurements import models as mm
from cruscotto.web.measurements.notifications import may_list_mails

#: the most recent mails shown
LIMIT = 500


@require_GET
@login_required
def sent_mails(request: HttpRequest) -> HttpResponse:
    if not may_list_mails(request.user):
        raise PermissionDenied(_("Solo il controllo di gestione vede le e-mail inviate."))
    return TemplateResponse(request, "measurements/sent_mails.html", {
        "mails": mm.SentMail.objects.order_by("-at", "-pk")[:LIMIT], "limit": LIMIT})
