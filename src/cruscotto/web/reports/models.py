"""The Relazione's stored parts: the narrative the planning office writes, and the
approved editions (the files frozen by the Giunta's act, never changed afterwards)."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cruscotto.web.plans import models as plans
from cruscotto.web.reports.choices import DocumentKind

#: the longest narrative section, in characters (a long presentation is ~15.000)
NARRATIVE_LENGTH = 30_000
#: a free section's title
TITLE_LENGTH = 200
#: the act that approved an edition ("Delibera di Giunta n. 45 del 18/06/2022")
ACT_LENGTH = 300
#: the OIV's validation document: at most this many bytes
OIV_DOCUMENT_MAX_BYTES = 20 * 2**20


def _edition_path(edition: Edition, filename: str) -> str:
    return f"relazioni/{edition.plan.key}/{edition.year}/edizione-{edition.number}/{filename}"


class NarrativeVersion(models.Model):
    """One version of one section of a year's narrative: never changed, a new version
    replaces it (the latest is the text in force; an empty text removes the section)."""

    plan = models.ForeignKey(plans.Plan, on_delete=models.CASCADE,
                             related_name="narrative_versions", verbose_name=_("piano"))
    year = models.PositiveIntegerField(_("anno"))
    #: presentazione, contesto, conclusioni, obiettivo-<code>, libera-<n>
    section = models.CharField(_("sezione"), max_length=60)
    title = models.CharField(_("titolo"), max_length=TITLE_LENGTH, blank=True)
    text = models.TextField(_("testo (Markdown)"), max_length=NARRATIVE_LENGTH, blank=True)
    version = models.PositiveIntegerField(_("versione"))
    written_at = models.DateTimeField(_("scritto il"), auto_now_add=True)
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+",
                                   verbose_name=_("scritto da"))

    class Meta:
        verbose_name = _("versione di una sezione della relazione")
        verbose_name_plural = _("versioni delle sezioni della relazione")
        constraints = [models.UniqueConstraint(
            fields=["plan", "year", "section", "version"], name="narrative_version_once")]
        ordering = ["plan", "year", "section", "version"]

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not kwargs.get("force_insert"):
            raise PermissionError("narrative versions are never changed")
        super().save(*args, **kwargs)


class Edition(models.Model):
    """An approved edition of a year's Relazione: its three files, their SHA-256, the act.

    Only the OIV's validation (document, act, who, when) may be added afterwards;
    the files and what approved them never change.
    """

    OIV_FIELDS = frozenset({"oiv_document", "oiv_document_name", "oiv_sha256", "oiv_note",
                            "oiv_by", "oiv_at"})

    plan = models.ForeignKey(plans.Plan, on_delete=models.PROTECT,
                             related_name="report_editions", verbose_name=_("piano"))
    year = models.PositiveIntegerField(_("anno"))
    #: 1, 2, ... for the plan's year
    number = models.PositiveIntegerField(_("edizione"))
    act = models.CharField(_("atto di approvazione"), max_length=ACT_LENGTH)
    basis = models.CharField(_("base dei dati"), max_length=16)
    language = models.CharField(_("lingua"), max_length=8)
    data_read_at = models.DateTimeField(_("dati letti il"))
    approved_at = models.DateTimeField(_("approvata il"))
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="+",
                                    verbose_name=_("approvata da"))
    #: who approved, as written in the list (the command line when no user)
    approved_by_name = models.CharField(_("approvata da (nome)"), max_length=150)
    pdf = models.FileField(_("PDF"), upload_to=_edition_path, max_length=300)
    pdf_sha256 = models.CharField(_("SHA-256 del PDF"), max_length=64)
    docx = models.FileField(_("DOCX"), upload_to=_edition_path, max_length=300)
    docx_sha256 = models.CharField(_("SHA-256 del DOCX"), max_length=64)
    xlsx = models.FileField(_("XLSX"), upload_to=_edition_path, max_length=300)
    xlsx_sha256 = models.CharField(_("SHA-256 del XLSX"), max_length=64)
    oiv_document = models.FileField(_("documento di validazione dell'OIV"),
                                    upload_to=_edition_path, max_length=300, blank=True)
    oiv_document_name = models.CharField(_("nome del documento"), max_length=200, blank=True)
    oiv_sha256 = models.CharField(_("SHA-256 del documento"), max_length=64, blank=True)
    oiv_note = models.CharField(_("estremi della validazione"), max_length=ACT_LENGTH,
                                blank=True)
    oiv_at = models.DateTimeField(_("validata il"), null=True, blank=True)
    oiv_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                               null=True, blank=True, related_name="+",
                               verbose_name=_("validata da"))

    class Meta:
        verbose_name = _("edizione approvata della relazione")
        verbose_name_plural = _("edizioni approvate della relazione")
        constraints = [models.UniqueConstraint(fields=["plan", "year", "number"],
                                               name="report_edition_number_once")]
        ordering = ["plan", "year", "number"]

    def save(self, *args: Any, **kwargs: Any) -> None:
        fields = kwargs.get("update_fields")
        if self.pk is not None and not kwargs.get("force_insert") and (
                fields is None or not set(fields) <= self.OIV_FIELDS):
            raise PermissionError("an approved edition never changes (only the OIV's "
                                  "validation is added)")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise PermissionError("approved editions are never deleted")

    def file_of(self, fmt: str) -> Any:
        return {"pdf": self.pdf, "docx": self.docx, "xlsx": self.xlsx}[fmt]

    def sha256_of(self, fmt: str) -> str:
        return {"pdf": self.pdf_sha256, "docx": self.docx_sha256,
                "xlsx": self.xlsx_sha256}[fmt]


def _job_path(job: ReportJob, filename: str) -> str:
    return f"relazioni/lavori/{job.pk}/{filename}"


class ReportJob(models.Model):
    """A report rendered by the worker (the request never waits for WeasyPrint): what
    was asked, how far it got, and the file when done. Its random id is its address."""

    QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
    STATUSES = [(QUEUED, _("in coda")), (RUNNING, _("in preparazione")),
                (DONE, _("pronto")), (FAILED, _("non riuscito"))]

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    plan = models.ForeignKey(plans.Plan, on_delete=models.CASCADE, related_name="+",
                             verbose_name=_("piano"))
    year = models.PositiveIntegerField(_("anno"))
    #: the interim date, None for the year end
    date = models.DateField(_("data intermedia"), null=True, blank=True)
    basis = models.CharField(_("base dei dati"), max_length=16)
    language = models.CharField(_("lingua"), max_length=8)
    fmt = models.CharField(_("formato"), max_length=8)
    status = models.CharField(_("stato"), max_length=16, choices=STATUSES, default=QUEUED)
    #: 0-100
    progress = models.PositiveSmallIntegerField(_("avanzamento"), default=0)
    file = models.FileField(_("file"), upload_to=_job_path, max_length=300, blank=True)
    error = models.TextField(_("errore"), blank=True)
    requested_at = models.DateTimeField(_("richiesto il"), auto_now_add=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                     null=True, blank=True, related_name="+",
                                     verbose_name=_("richiesto da"))
    finished_at = models.DateTimeField(_("finito il"), null=True, blank=True)
    #: an approval (``fmt`` :data:`APPROVAL`): the act, the edition's number, the report
    #: as read when approved (pickled :class:`~.data.Report`), and the edition when made
    act = models.CharField(_("atto di approvazione"), max_length=ACT_LENGTH, blank=True)
    edition_number = models.PositiveIntegerField(_("edizione"), null=True, blank=True)
    snapshot = models.BinaryField(_("dati letti all'approvazione"), null=True, blank=True)
    edition = models.OneToOneField(Edition, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="job", verbose_name=_("edizione"))

    #: the ``fmt`` of an approval: the three files of an edition
    APPROVAL = "edition"

    class Meta:
        verbose_name = _("preparazione di una relazione")
        verbose_name_plural = _("preparazioni delle relazioni")

    @property
    def is_approval(self) -> bool:
        return self.fmt == self.APPROVAL


class ScheduledRun(models.Model):
    """A daily job the worker enqueued (the reminders, the cleanup): one row per job and
    day, so that it runs once a day however many workers run or restart."""

    name = models.CharField(_("attività"), max_length=40)
    day = models.DateField(_("giorno"))
    enqueued_at = models.DateTimeField(_("messa in coda il"), auto_now_add=True)

    class Meta:
        verbose_name = _("attività giornaliera del worker")
        verbose_name_plural = _("attività giornaliere del worker")
        constraints = [models.UniqueConstraint(fields=["name", "day"],
                                               name="scheduled_run_once_a_day")]

# -- the plan's own documents ------------------------------------------------------------

#: a plan document's title, its act's number, a withdrawal's reason
DOCUMENT_TITLE_LENGTH = 200
DOCUMENT_ACT_LENGTH = 100
WITHDRAWAL_REASON_LENGTH = 300


def _document_path(document: PlanDocument, filename: str) -> str:
    return f"piani/{document.plan.key}/documenti/{filename}"


class PlanDocument(models.Model):
    """An official document of a plan (the plan as adopted, the act of adoption, an
    update, the SMVP), attached by the planning office and published on /trasparenza/.

    Never changed and never deleted: a withdrawn document leaves the public page but
    stays listed, with who withdrew it, when and why.
    """

    WITHDRAWAL_FIELDS = frozenset({"withdrawn_at", "withdrawn_by", "withdrawn_by_name",
                                   "withdrawal_reason"})

    plan = models.ForeignKey(plans.Plan, on_delete=models.PROTECT, related_name="documents",
                             verbose_name=_("piano"))
    kind = models.CharField(_("tipo"), max_length=20, choices=DocumentKind.choices)
    title = models.CharField(_("titolo"), max_length=DOCUMENT_TITLE_LENGTH)
    act_number = models.CharField(_("numero dell'atto"), max_length=DOCUMENT_ACT_LENGTH,
                                  blank=True)
    act_date = models.DateField(_("data dell'atto"), null=True, blank=True)
    file = models.FileField(_("file"), upload_to=_document_path, max_length=300)
    #: the file's name as uploaded (shown to the office; the download is named from the title)
    original_name = models.CharField(_("nome del file"), max_length=200)
    #: pdf, docx, xlsx, odt: what the content is (read from its bytes, not its name)
    fmt = models.CharField(_("formato"), max_length=8)
    size = models.PositiveBigIntegerField(_("dimensione (byte)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_at = models.DateTimeField(_("caricato il"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="+",
                                    verbose_name=_("caricato da"))
    uploaded_by_name = models.CharField(_("caricato da (nome)"), max_length=150)
    withdrawn_at = models.DateTimeField(_("ritirato il"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                     null=True, blank=True, related_name="+",
                                     verbose_name=_("ritirato da"))
    withdrawn_by_name = models.CharField(_("ritirato da (nome)"), max_length=150, blank=True)
    withdrawal_reason = models.CharField(_("motivo del ritiro"),
                                         max_length=WITHDRAWAL_REASON_LENGTH, blank=True)

    class Meta:
        verbose_name = _("documento del piano")
        verbose_name_plural = _("documenti del piano")
        ordering = ["plan", "-uploaded_at", "-pk"]

    def save(self, *args: Any, **kwargs: Any) -> None:
        fields = kwargs.get("update_fields")
        if self.pk is not None and not kwargs.get("force_insert") and (
                fields is None or not set(fields) <= self.WITHDRAWAL_FIELDS):
            raise PermissionError("a plan document never changes (it is only withdrawn)")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise PermissionError("plan documents are never deleted (they are withdrawn)")

    @property
    def is_public(self) -> bool:
        return self.withdrawn_at is None
