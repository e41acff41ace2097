"""The plan's own official documents, published on /trasparenza/<key>/.

The planning office attaches the documents that make the plan an act — the
Piano della Performance (or the PIAO) as adopted, the act of adoption, the acts
that update it (*rimodulazioni*), the SMVP — with a title, a kind, the act's
number and date. :func:`add_document` checks the file by its content (a PDF,
a DOCX, an XLSX or an ODT, whatever its name says), stores it through Django's
storage with its SHA-256 and size, who and when, in one transaction, with an
audit event. A document never changes; :func:`withdraw_document` takes it off
the public page and keeps it listed, with who withdrew it and why.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import os
import uuid
import zipfile
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import FileResponse, HttpResponse
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from cruscotto.core.workflow import Actor, Role
from cruscotto.web.accounts.permissions import actor_for
from cruscotto.web.measurements import models as mm
from cruscotto.web.plans import models as pm
from cruscotto.web.plans.selectors import is_public
from cruscotto.web.reports.choices import DocumentKind
from cruscotto.web.reports.models import (
    DOCUMENT_ACT_LENGTH,
    DOCUMENT_TITLE_LENGTH,
    WITHDRAWAL_REASON_LENGTH,
    PlanDocument,
)

__all__ = ["FORMATS", "DocumentError", "add_document", "all_documents", "file_response",
           "may_manage", "max_bytes", "parse_act_date", "public_documents",
           "readable_document", "readable_documents", "sniff", "withdraw_document"]

#: the formats accepted, with the content type they are served as
FORMATS = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "odt": "application/vnd.oasis.opendocument.text",
}
#: the order of the kinds on the public page
_KIND_ORDER = {k.value: n for n, k in enumerate(DocumentKind)}
#: an ODT says what it is in its first member, uncompressed
_ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"


class DocumentError(Exception):
    """A document refused: every problem, each naming the field and what was expected."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


def max_bytes() -> int:
    return int(settings.CRUSCOTTO_PLAN_DOCUMENT_MAX_BYTES)


def can_manage(actor: Actor) -> bool:
    """The planning office (and administrators) attach and withdraw the plan's documents."""
    return bool(actor.roles & {Role.PLANNING, Role.ADMIN})


def may_manage(user: Any, plan_id: int) -> bool:
    return can_manage(actor_for(user, plan_id))


# -- reading ------------------------------------------------------------------------------

def public_documents(plan_id: int) -> list[PlanDocument]:
    """The plan's documents the public sees: PDFs first, then by kind, latest act first."""
    docs = list(PlanDocument.objects.filter(plan_id=plan_id, withdrawn_at=None))
    return sorted(docs, key=lambda d: (d.fmt != "pdf", _KIND_ORDER.get(d.kind, 99),
                                       -(d.act_date or datetime.date.min).toordinal(),
                                       -d.pk))


def all_documents(plan_id: int) -> list[PlanDocument]:
    """Every document of the plan, withdrawn ones too, latest first (the office's list)."""
    return list(PlanDocument.objects.filter(plan_id=plan_id).order_by("-uploaded_at", "-pk"))


def readable_documents(user: Any, plan_id: int) -> list[PlanDocument]:
    """The plan's documents ``user`` may read: the public's (:func:`public_documents`,
    as on /trasparenza/<key>/) for the public; every one, withdrawn ones too, once
    signed in. Whether the plan itself may be read is the caller's check."""
    return public_documents(plan_id) if is_public(user) else all_documents(plan_id)


def readable_document(user: Any, plan_id: int, pk: int) -> PlanDocument | None:
    """The document ``pk`` of the plan if :func:`readable_documents` lists it for ``user``
    (None: the public)."""
    return next((d for d in readable_documents(user, plan_id) if d.pk == pk), None)


# -- checking -----------------------------------------------------------------------------

@dataclass(frozen=True)
class _Zip:
    names: frozenset[str]
    mimetype: bytes


def _zip(content: bytes) -> _Zip | None:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as z:
            names = frozenset(z.namelist())
            mimetype = b""
            if "mimetype" in names and z.getinfo("mimetype").file_size < 200:
                mimetype = z.read("mimetype").strip()
            return _Zip(names, mimetype)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        return None


def sniff(content: bytes) -> str | None:
    """What ``content`` is, read from its bytes: ``pdf``, ``docx``, ``xlsx``, ``odt`` or
    None (anything else, a file renamed included)."""
    if content.startswith(b"%PDF-"):
        return "pdf"
    if not content.startswith(b"PK\x03\x04"):
        return None
    z = _zip(content)
    if z is None:
        return None
    if z.mimetype == _ODT_MIMETYPE:
        return "odt"
    if "[Content_Types].xml" in z.names:
        if "word/document.xml" in z.names:
            return "docx"
        if "xl/workbook.xml" in z.names:
            return "xlsx"
    return None


def parse_act_date(text: str) -> datetime.date | None:
    """``18/06/2022`` (or ``2022-06-18``) -> a date; empty -> None; else refused."""
    text = (text or "").strip()
    if not text:
        return None
    for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise DocumentError([_("Data dell'atto «%(text)s»: attesa una data come 18/06/2022.")
                         % {"text": text[:40]}])


def _name_of(user: Any) -> str:
    if user is None:
        return _("riga di comando")
    return (user.get_full_name() or user.get_username())[:150]


def _event(*, user: Any, plan_id: int, action: str, field: str, new: str,
           reason: str = "") -> mm.AuditEvent:
    return mm.AuditEvent(
        user=user if getattr(user, "is_authenticated", False) else None,
        username=getattr(user, "username", "") or "", plan_id=plan_id, action=action,
        field=field, new=new, reason=reason)


# -- writing ------------------------------------------------------------------------------

def add_document(*, plan: pm.Plan, user: Any, upload: Any, title: str, kind: str,
                 act_number: str = "", act_date: datetime.date | None = None
                 ) -> PlanDocument:
    """Attach an official document to ``plan`` (planning office; ``user`` None: the
    command line). Refused with every problem at once; nothing is stored then."""
    if user is not None and not may_manage(user, plan.pk):
        raise PermissionDenied(_("solo il controllo di gestione allega i documenti del piano"))
    problems: list[str] = []
    title = " ".join((title or "").split())
    act_number = " ".join((act_number or "").split())
    if not title:
        problems.append(_("Titolo: obbligatorio, p.es. «Piano della Performance "
                          "2021-2023»."))
    elif len(title) > DOCUMENT_TITLE_LENGTH:
        problems.append(_("Titolo: al massimo %(n)s caratteri (sono %(len)s).")
                        % {"n": DOCUMENT_TITLE_LENGTH, "len": len(title)})
    if kind not in DocumentKind.values:
        problems.append(_("Tipo «%(kind)s»: atteso uno tra %(kinds)s.") % {
            "kind": str(kind)[:40], "kinds": ", ".join(DocumentKind.values)})
    if len(act_number) > DOCUMENT_ACT_LENGTH:
        problems.append(_("Numero dell'atto: al massimo %(n)s caratteri (sono %(len)s).")
                        % {"n": DOCUMENT_ACT_LENGTH, "len": len(act_number)})
    content = b""
    name = os.path.basename(str(getattr(upload, "name", "") or ""))[-200:]
    fmt: str | None = None
    if upload is None:
        problems.append(_("File: scegli un file PDF, DOCX, XLSX o ODT."))
    elif upload.size > max_bytes():
        problems.append(_("File «%(name)s»: %(size)s, più dei %(max)s ammessi.") % {
            "name": name, "size": filesizeformat(upload.size),
            "max": filesizeformat(max_bytes())})
    else:
        content = upload.read()
        fmt = sniff(content)
        ext = os.path.splitext(name)[1].lower().lstrip(".")
        if fmt is None:
            problems.append(_("File «%(name)s»: il contenuto non è un PDF, un DOCX, un XLSX "
                              "o un ODT.") % {"name": name})
        elif ext != fmt:
            problems.append(_("File «%(name)s»: il contenuto è un %(fmt)s ma il nome finisce "
                              "in «.%(ext)s»; rinominalo in .%(low)s.") % {
                "name": name, "fmt": fmt.upper(), "ext": ext, "low": fmt})
    if problems:
        raise DocumentError(problems)
    assert fmt is not None
    digest = hashlib.sha256(content).hexdigest()
    doc = PlanDocument(plan=plan, kind=kind, title=title, act_number=act_number,
                       act_date=act_date, original_name=name, fmt=fmt, size=len(content),
                       sha256=digest, uploaded_at=timezone.now(),
                       uploaded_by=user if getattr(user, "is_authenticated", False) else None,
                       uploaded_by_name=_name_of(user))
    stored = f"{uuid.uuid4().hex[:12]}-{slugify(title)[:60] or 'documento'}.{fmt}"
    with transaction.atomic():
        doc.file.save(stored, ContentFile(content), save=False)
        doc.save(force_insert=True)
        _event(user=user, plan_id=plan.pk, action="plan_document_added", field=kind,
               new=f"{title} ({name}, {fmt}, sha256 {digest})").save()
    return doc


def withdraw_document(*, document: PlanDocument, user: Any, reason: str) -> PlanDocument:
    """Take ``document`` off the public page, keeping it listed with the reason."""
    if user is not None and not may_manage(user, document.plan_id):
        raise PermissionDenied(_("solo il controllo di gestione ritira i documenti del piano"))
    reason = " ".join((reason or "").split())
    problems = []
    if document.withdrawn_at is not None:
        problems.append(_("«%(title)s»: già ritirato il %(date)s.") % {
            "title": document.title,
            "date": timezone.localtime(document.withdrawn_at).strftime("%d/%m/%Y")})
    if not reason:
        problems.append(_("Motivo del ritiro: obbligatorio, p.es. «sostituito dalla "
                          "versione aggiornata»."))
    elif len(reason) > WITHDRAWAL_REASON_LENGTH:
        problems.append(_("Motivo del ritiro: al massimo %(n)s caratteri (sono %(len)s).")
                        % {"n": WITHDRAWAL_REASON_LENGTH, "len": len(reason)})
    if problems:
        raise DocumentError(problems)
    with transaction.atomic():
        document.withdrawn_at = timezone.now()
        document.withdrawn_by = user if getattr(user, "is_authenticated", False) else None
        document.withdrawn_by_name = _name_of(user)
        document.withdrawal_reason = reason
        document.save(update_fields=sorted(PlanDocument.WITHDRAWAL_FIELDS))
        _event(user=user, plan_id=document.plan_id, action="plan_document_withdrawn",
               field=document.kind, new=document.title, reason=reason).save()
    return document


def download_name(document: PlanDocument) -> str:
    """The file's name for a download: from the title, ASCII only (a safe header)."""
    return f"{slugify(document.title)[:80] or 'documento'}.{document.fmt}"


def file_response(document: PlanDocument) -> HttpResponse:
    """The document's bytes as stored, as an attachment of the type read from them."""
    response = FileResponse(document.file.open("rb"), as_attachment=True,
                            filename=download_name(document),
                            content_type=FORMATS.get(document.fmt, "application/octet-stream"))
    response["X-Content-Type-Options"] = "nosniff"
    return response
