"""The planning office's page of the plan's official documents: attach, list, withdraw.

Every refusal is shown in the page's panel (htmx swaps it in place; without
JavaScript the whole page comes back with it), with status 400 and nothing stored.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from cruscotto.web.measurements.upload_limit import too_large
from cruscotto.web.plans import models as pm
from cruscotto.web.plans.selectors import readable_plan, stored_plan
from cruscotto.web.reports import documents
from cruscotto.web.reports.choices import DocumentKind
from cruscotto.web.reports.models import (
    DOCUMENT_ACT_LENGTH,
    DOCUMENT_TITLE_LENGTH,
    WITHDRAWAL_REASON_LENGTH,
    PlanDocument,
)


def _office_plan(request: HttpRequest, key: str) -> pm.Plan:
    try:
        db = readable_plan(request.user, key)
    except pm.Plan.DoesNotExist:
        raise Http404("unknown plan") from None
    if not documents.may_manage(request.user, db.pk):
        raise PermissionDenied
    return db


def _add(request: HttpRequest, db: pm.Plan) -> str:
    stopped = too_large(request)
    if stopped is not None:
        raise documents.DocumentError([
            _("File «%(name)s»: più di %(max)s; il caricamento è stato interrotto.")
            % {"name": stopped.name, "max": filesizeformat(stopped.limit)}])
    doc = documents.add_document(
        plan=db, user=request.user, upload=request.FILES.get("file"),
        title=request.POST.get("title", ""), kind=request.POST.get("kind", ""),
        act_number=request.POST.get("act_number", ""),
        act_date=documents.parse_act_date(request.POST.get("act_date", "")))
    return _("«%(title)s» allegato e pubblicato su Amministrazione trasparente.") % {
        "title": doc.title}


def _withdraw(request: HttpRequest, db: pm.Plan) -> str:
    try:
        pk = int(request.POST.get("document", ""))
    except ValueError:
        raise Http404("no such document") from None
    doc = get_object_or_404(PlanDocument, pk=pk, plan=db)
    documents.withdraw_document(document=doc, user=request.user,
                                reason=request.POST.get("reason", ""))
    return _("«%(title)s» ritirato: non è più pubblico e resta nell'elenco.") % {
        "title": doc.title}


@login_required
@require_http_methods(["GET", "POST"])
def documents_page(request: HttpRequest, key: str) -> HttpResponse:
    db = _office_plan(request, key)
    errors: list[str] = []
    done = ""
    form: dict[str, Any] = {}
    action = request.POST.get("action", "")
    if request.method == "POST":
        form = {k: request.POST.get(k, "") for k in ("title", "kind", "act_number",
                                                       "act_date")}
        try:
            if action == "add":
                done = _add(request, db)
            elif action == "withdraw":
                done = _withdraw(request, db)
            else:
                raise documents.DocumentError([_("Azione «%(a)s» sconosciuta: attesa "
                                                 "«add» o «withdraw».") % {"a": action[:20]}])
        except documents.DocumentError as exc:
            errors = exc.problems
        else:
            if not request.htmx:
                messages.success(request, done)
                return redirect("reports:documents", key=key)
            form = {}
    context = {
        "key": key, "plan": stored_plan(db.pk), "documents": documents.all_documents(db.pk),
        "kinds": DocumentKind.choices, "errors": errors, "done": done, "form": form,
        "action": action, "max_size": documents.max_bytes(),
        "title_length": DOCUMENT_TITLE_LENGTH, "act_length": DOCUMENT_ACT_LENGTH,
        "reason_length": WITHDRAWAL_REASON_LENGTH,
        "accept": ",".join(f".{f}" for f in documents.FORMATS),
    }
    template = "reports/documents.html#panel" if request.htmx else "reports/documents.html"
    return TemplateResponse(request, template, context, status=400 if errors else 200)


@login_required
@require_GET
def document_file(request: HttpRequest, key: str, pk: int) -> HttpResponse:
    """Any document of the plan, withdrawn ones too (the office's copy)."""
    db = _office_plan(request, key)
    return documents.file_response(get_object_or_404(PlanDocument, pk=pk, plan=db))
