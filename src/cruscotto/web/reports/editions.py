"""Approved editions of the Relazione: frozen files, their SHA-256, the act, the OIV.

The Giunta approves the Relazione and the OIV validates it: :func:`approve`
renders the year's report on certified values in the three formats and stores
the files through Django's storage with their SHA-256, the act, who and when
(the command line). The page reads the report at once and has the worker render
it (:func:`cruscotto.web.reports.jobs.ask_approval`), then :func:`publish` the files:
the edition holds the figures as they were at the moment of approval. An edition's
number is taken when it is stored (the next after the last edition of the year), so
an approval whose preparation failed, retried later or never, leaves no gap.
An edition never changes afterwards (:class:`~.models.Edition` refuses it):
later data changes are a new draft (the live report), and a new approval a new
edition; every edition stays listed. :func:`attach_validation` adds the OIV's
validation document to an edition, once.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.http import FileResponse, Http404, HttpResponse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from cruscotto.core.workflow import Actor, Role
from cruscotto.web.measurements.permissions import actor_for
from cruscotto.web.plans import models as pm
from cruscotto.web.reports import render
from cruscotto.web.reports.data import CERTIFIED, Report, ReportError, build_report
from cruscotto.web.reports.models import (
    ACT_LENGTH,
    OIV_DOCUMENT_MAX_BYTES,
    Edition,
)

__all__ = ["ApprovalError", "NumberTaken", "approve", "attach_validation", "editions",
           "file_response", "may_approve", "may_validate", "next_number", "publish"]

#: the OIV's validation document: a PDF, or a signed file (CAdES .p7m)
OIV_TYPES = {".pdf": "application/pdf", ".p7m": "application/pkcs7-mime"}


class ApprovalError(Exception):
    """An approval or a validation refused: says which field and what was expected."""


def can_approve(actor: Actor) -> bool:
    """The planning office (and administrators) record the Giunta's approval."""
    return bool(actor.roles & {Role.PLANNING, Role.ADMIN})


def can_validate(actor: Actor) -> bool:
    """The OIV (and administrators) attach the validation document."""
    return bool(actor.roles & {Role.OIV, Role.ADMIN})


def may_approve(user: Any, plan_id: int) -> bool:
    return can_approve(actor_for(user, plan_id))


def may_validate(user: Any, plan_id: int) -> bool:
    return can_validate(actor_for(user, plan_id))


def sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def editions(plan_id: int, year: int | None = None) -> list[Edition]:
    """The plan's approved editions, latest first (of ``year`` when given)."""
    qs = Edition.objects.filter(plan_id=plan_id)
    if year is not None:
        qs = qs.filter(year=year)
    return list(qs.select_related("plan").order_by("-year", "-number"))


def next_number(plan: pm.Plan | int, year: int) -> int:
    """The number the next edition of ``year`` takes: the one after the last edition
    stored. A number is taken when an edition is stored, never before: an approval being
    prepared, or failed and waiting for *Riprova* (or left there), holds none, so the
    editions are numbered 1, 2, 3… without gaps in the order they are published."""
    last = Edition.objects.filter(plan=plan, year=year).aggregate(n=Max("number"))["n"]
    return (last or 0) + 1


class NumberTaken(ApprovalError):
    """Another edition was stored with the number these files were made with."""


def lock_plan(plan: pm.Plan) -> None:
    """One number per approval: the plan's row is the lock two approvals queue on (inside
    the caller's transaction)."""
    pm.Plan.objects.select_for_update().filter(pk=plan.pk).first()


def clean_act(act: str) -> str:
    """The act as stored (spaces folded), or :class:`ApprovalError` naming what is wrong."""
    act = " ".join(act.split())
    if not act:
        raise ApprovalError(_("Atto di approvazione: obbligatorio, p.es. «Delibera di "
                              "Giunta n. 45 del 18/06/2022»."))
    if len(act) > ACT_LENGTH:
        raise ApprovalError(_("Atto di approvazione: al massimo %(n)s caratteri (sono "
                              "%(len)s).") % {"n": ACT_LENGTH, "len": len(act)})
    return act


def check_approver(user: Any, plan: pm.Plan) -> None:
    """``user`` None is the command line (the operator); otherwise the planning office."""
    if user is not None and not may_approve(user, plan.pk):
        raise PermissionDenied(_("solo il controllo di gestione registra l'approvazione "
                                 "della relazione"))


def read_report(*, plan: pm.Plan, year: int, lang: str) -> Report:
    """The year's Relazione on certified values as read now, in ``lang``."""
    with translation.override(lang):
        try:
            return build_report(plan_key=plan.key, year=year, basis=CERTIFIED)
        except ReportError as exc:
            raise ApprovalError(str(exc)) from None


def approver_name(user: Any) -> str:
    name = (user.get_full_name() or user.get_username()) if user is not None else _(
        "riga di comando")
    return str(name)[:150]


def store(*, plan: pm.Plan, year: int, number: int, act: str, report: Report, lang: str,
          files: dict[str, tuple[str, bytes]], user: Any, approved_at: Any = None
          ) -> Edition:
    """Store the rendered files of edition ``number`` with their SHA-256: the edition.
    ``number`` must be the next one (:func:`next_number`), else :class:`NumberTaken`."""
    with transaction.atomic():
        lock_plan(plan)
        if next_number(plan, year) != number:
            raise NumberTaken(_("Un'altra approvazione della relazione %(y)s è stata "
                                "registrata nel frattempo: ricarica la pagina e riprova.")
                              % {"y": year})
        edition = Edition(plan=plan, year=year, number=number, act=act,
                          basis=report.basis, language=lang, data_read_at=report.read_at,
                          approved_at=approved_at or timezone.now(), approved_by=user,
                          approved_by_name=approver_name(user))
        for fmt, (file_name, content) in files.items():
            edition.file_of(fmt).save(file_name, ContentFile(content), save=False)
            setattr(edition, f"{fmt}_sha256", sha256(content))
        edition.save(force_insert=True)
    return edition


#: how many times the files are made again when another edition took their number meanwhile
_ATTEMPTS = 3


def publish(*, plan: pm.Plan, year: int, act: str, report: Report, lang: str, user: Any,
            approved_at: Any = None, rendered: Callable[[str], None] | None = None
            ) -> Edition:
    """Render ``report`` (as read when approved) in the three formats as the next edition
    and store it. The files say which edition they are: they are made with the number
    the edition takes now, and made again with the next one if another edition was
    stored meanwhile. ``rendered(fmt)`` is told after each format."""
    for attempt in range(_ATTEMPTS):
        number = next_number(plan, year)
        # the files say which edition they are and what approved them
        frozen = dataclasses.replace(report, edition=number, act=act)
        files: dict[str, tuple[str, bytes]] = {}
        with translation.override(lang):
            for fmt in render.FORMATS:
                files[fmt] = (render.file_name(frozen, fmt), render.render(frozen, fmt))
                if rendered is not None:
                    rendered(fmt)
        try:
            return store(plan=plan, year=year, number=number, act=act, report=frozen,
                         lang=lang, files=files, user=user, approved_at=approved_at)
        except NumberTaken:
            if attempt == _ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


def approve(*, plan: pm.Plan, year: int, act: str, user: Any = None, lang: str = "it"
            ) -> Edition:
    """Freeze the ``year``'s Relazione of ``plan`` as approved by ``act``, rendering the
    three files now (the command line; the page puts the rendering on the worker queue,
    :func:`cruscotto.web.reports.jobs.ask_approval`).

    ``user`` None is the command line (the operator); otherwise the user must be of
    the planning office. The files are made on certified values, in ``lang``.
    """
    check_approver(user, plan)
    act = clean_act(act)
    report = read_report(plan=plan, year=year, lang=lang)
    return publish(plan=plan, year=year, act=act, report=report, lang=lang, user=user)


def attach_validation(*, edition: Edition, user: Any, upload: Any, note: str = "") -> Edition:
    """Attach the OIV's validation document (PDF or signed .p7m) to ``edition``, once."""
    if not may_validate(user, edition.plan_id):
        raise PermissionDenied(_("solo l'OIV allega il documento di validazione"))
    if edition.oiv_document:
        raise ApprovalError(_("Documento di validazione: già allegato a questa edizione il "
                              "%(date)s; un'edizione approvata non cambia.") % {
            "date": timezone.localtime(edition.oiv_at).strftime("%d/%m/%Y")
            if edition.oiv_at else "—"})
    if upload is None:
        raise ApprovalError(_("Documento di validazione: scegli un file PDF o .p7m."))
    name = str(upload.name or "")
    ext = name[name.rfind("."):].lower() if "." in name else ""
    if ext not in OIV_TYPES:
        raise ApprovalError(_("Documento di validazione «%(name)s»: atteso un file PDF o "
                              ".p7m.") % {"name": name})
    if upload.size > OIV_DOCUMENT_MAX_BYTES:
        raise ApprovalError(_("Documento di validazione «%(name)s»: al massimo %(mb)s MB.")
                            % {"name": name, "mb": OIV_DOCUMENT_MAX_BYTES // 2**20})
    content = upload.read()
    if ext == ".pdf" and not content.startswith(b"%PDF-"):
        raise ApprovalError(_("Documento di validazione «%(name)s»: non è un PDF.")
                            % {"name": name})
    note = " ".join(note.split())
    if len(note) > ACT_LENGTH:
        raise ApprovalError(_("Estremi della validazione: al massimo %(n)s caratteri (sono "
                              "%(len)s).") % {"n": ACT_LENGTH, "len": len(note)})
    with transaction.atomic():
        edition.oiv_document.save(f"validazione-oiv{ext}", ContentFile(content), save=False)
        edition.oiv_document_name = name[-200:]
        edition.oiv_sha256 = sha256(content)
        edition.oiv_note = note
        edition.oiv_by = user
        edition.oiv_at = timezone.now()
        edition.save(update_fields=sorted(Edition.OIV_FIELDS))
    return edition


def file_response(edition: Edition, fmt: str) -> HttpResponse:
    """One file of an approved edition, as stored (``oiv``: the validation document)."""
    if fmt == "oiv":
        if not edition.oiv_document:
            raise Http404("no validation document")
        name = edition.oiv_document_name or edition.oiv_document.name.rsplit("/", 1)[-1]
        ext = name[name.rfind("."):].lower() if "." in name else ".pdf"
        return FileResponse(edition.oiv_document.open("rb"), as_attachment=True,
                            filename=name,
                            content_type=OIV_TYPES.get(ext, "application/pdf"))
    if fmt not in render.FORMATS:
        raise Http404("unknown format")
    f = edition.file_of(fmt)
    response = FileResponse(f.open("rb"), as_attachment=True,
                            filename=f.name.rsplit("/", 1)[-1],
                            content_type=render.CONTENT_TYPES[fmt])
    # an approved edition is a public act and never changes
    response["Cache-Control"] = "public, max-age=86400"
    return response
