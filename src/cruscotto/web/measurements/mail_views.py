"""The record of the e-mails Cruscotto sent, for the planning office."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cruscotto.web.measurements.notifications import (
    do_set_mail_language,
    mails_for,
    may_list_mails,
)

#: the most recent mails shown
LIMIT = 500


@require_GET
@login_required
def sent_mails(request: HttpRequest) -> HttpResponse:
    if not may_list_mails(request.user):
        raise PermissionDenied(_("Solo il controllo di gestione vede le e-mail inviate."))
    return TemplateResponse(request, "measurements/sent_mails.html", {
        "mails": mails_for(request.user)[:LIMIT], "limit": LIMIT})


@require_POST
@login_required
def mail_language(request: HttpRequest) -> HttpResponse:
    """Everyone chooses the language of their own e-mails (Italian by default)."""
    try:
        do_set_mail_language(user=request.user, language=request.POST.get("language", ""))
    except ValueError as exc:
        return HttpResponseBadRequest(str(exc))
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = "/start/"
    request.session["queue_message"] = _("Lingua delle e-mail salvata.")
    return redirect(back)
