"""The plan's official documents (the plan as adopted, its acts, the SMVP): read only.

The public sees what /trasparenza/<key>/ lists (:func:`documents.public_documents`:
the documents not withdrawn, of a published plan); anyone signed in sees the withdrawn
ones too, with who withdrew them, when and why. Documents are attached and withdrawn
on the planning office's page and with ``cruscotto plan documents``, not here.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Router

from cruscotto.web.api import lookups
from cruscotto.web.api.auth import PUBLIC, PUBLIC_SECURITY
from cruscotto.web.api.schemas import ErrorOut, PlanDocumentOut
from cruscotto.web.plans import models as pm
from cruscotto.web.plans.selectors import is_public
from cruscotto.web.reports import documents
from cruscotto.web.reports.models import PlanDocument

router = Router(tags=["documents"], auth=PUBLIC)


def _document_out(request: HttpRequest, db: pm.Plan, doc: PlanDocument, *,
                  signed_in: bool) -> dict[str, Any]:
    return {
        "id": doc.pk, "kind": doc.kind, "kind_label": str(doc.get_kind_display()),
        "title": doc.title, "act_number": doc.act_number, "act_date": doc.act_date,
        "file_name": doc.original_name, "format": doc.fmt, "size": doc.size,
        "sha256": doc.sha256,
        "content_type": documents.FORMATS.get(doc.fmt, "application/octet-stream"),
        "uploaded_at": doc.uploaded_at,
        "uploaded_by": doc.uploaded_by_name if signed_in else None,
        "published": bool(db.published and doc.is_public),
        "withdrawn_at": doc.withdrawn_at,
        "withdrawn_by": (doc.withdrawn_by_name or None) if signed_in else None,
        "withdrawal_reason": doc.withdrawal_reason,
        "url": request.build_absolute_uri(reverse("api:get_plan_document_file", kwargs={
            "key": db.key, "pk": doc.pk})),
    }


@router.get("/{key}/documents",
            response={200: list[PlanDocumentOut], 401: ErrorOut, 404: ErrorOut},
            openapi_extra=PUBLIC_SECURITY)
def list_plan_documents(request: HttpRequest, key: str) -> Any:
    """The plan's official documents, with their act, file, size and SHA-256.

    Anonymous callers get what the public page /trasparenza/<key>/ lists (the
    documents not withdrawn, of a published plan; PDFs first, then by kind, the
    latest act first); anyone signed in gets every document, the withdrawn ones
    too with when and why, the latest attached first.
    """
    db = lookups.plan(request, key)
    user = lookups.user(request)
    return [_document_out(request, db, doc, signed_in=not is_public(user))
            for doc in documents.readable_documents(user, db.pk)]


@router.get("/{key}/documents/{pk}/file",
            response={400: ErrorOut, 401: ErrorOut, 404: ErrorOut},
            openapi_extra={**PUBLIC_SECURITY, "responses": {"200": {
                "description": "the file as stored (its SHA-256 is the listing's), as an "
                               "attachment named from the title",
                "content": {"application/octet-stream": {
                    "schema": {"type": "string", "format": "binary"}}}}}})
def get_plan_document_file(request: HttpRequest, key: str, pk: int) -> Any:
    """Download one of the plan's documents: those the listing gives the caller only
    (a withdrawn one is 404 for anonymous callers)."""
    db = lookups.plan(request, key)
    doc = documents.readable_document(lookups.user(request), db.pk, pk)
    if doc is None:
        raise Http404(_("il piano «%(key)s» non ha un documento %(pk)s") % {
            "key": key, "pk": pk})
    return documents.file_response(doc)
