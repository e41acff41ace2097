"""Measurement as stored: periods, values with their versions, workflow, audit.

People's roles (``OrgRole``, ``CentreMembership``) live in :mod:`cruscotto.web.accounts`;
they are re-exported here for code written before the move.

Rows change only through :mod:`cruscotto.web.measurements.services`. Values
are plan-wide per variable and period (a variable such as ``oneri_correnti``
serves several indicators); the workflow state is per indicator and period.
History is never overwritten: every change of a value adds a
:class:`ValueVersion`, every action adds an :class:`AuditEvent`, and both
refuse updates and deletes.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cruscotto.web.accounts.models import CentreMembership, OrgRole  # noqa: F401 (moved)
from cruscotto.web.measurements.choices import PeriodKind, StateChoices
from cruscotto.web.plans import models as plans


def stored_text(v: object) -> str:
    """A value as the audit trail and the certification records store it (as the
    values files write it: ``sì``/``no``, plain decimals)."""
    if v is None:
        return ""
    if isinstance(v, bool):
        return "sì" if v else "no"
    if isinstance(v, Decimal):
        return f"{v.normalize():f}"
    return str(v)

NAME_LENGTH = 100
#: free texts: every one is bounded (the audit trail keeps them forever); the
#: services refuse longer ones, the forms and the API declare the same limits
#: (docs/deployment.md, "Limits")
NOTE_LENGTH = 2000
REASON_LENGTH = 2000
EXPLANATION_LENGTH = 4000
TARGET_LENGTH = 200
FILE_NAME_LENGTH = 255
#: a value: 15 significant digits, 4 of them decimals (cruscotto.core.numbers)
VALUE_DIGITS, VALUE_PLACES = 15, 4


class Period(models.Model):
    plan = models.ForeignKey(plans.Plan, on_delete=models.CASCADE, related_name="periods",
                             verbose_name=_("piano"))
    year = models.PositiveIntegerField(_("anno"))
    end_date = models.DateField(_("data di riferimento"))
    kind = models.CharField(_("tipo"), max_length=20, choices=PeriodKind.choices)
    deadline = models.DateField(_("scadenza per l'inserimento"), null=True, blank=True)

    class Meta:
        verbose_name = _("periodo")
        verbose_name_plural = _("periodi")
        ordering = ["plan", "end_date"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "end_date"], name="meas_period_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.end_date:%d/%m/%Y} ({self.get_kind_display()})"

    @property
    def is_interim(self) -> bool:
        return self.kind == PeriodKind.INTERIM


class _Tracked(models.Model):
    """What every changeable row of measurement carries."""

    #: optimistic locking: every change increments it; a stale form is refused
    version = models.PositiveIntegerField(_("versione"), default=1)
    updated_at = models.DateTimeField(_("aggiornato il"), auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+",
                                   verbose_name=_("aggiornato da"))
    is_demo = models.BooleanField(_("dati dimostrativi"), default=False)

    class Meta:
        abstract = True


class Measurement(_Tracked):
    """One indicator in one period: its workflow state and what goes with it."""

    indicator = models.ForeignKey(plans.Indicator, on_delete=models.PROTECT,
                                  related_name="measurements", verbose_name=_("indicatore"))
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="measurements",
                               verbose_name=_("periodo"))
    state = models.CharField(_("stato"), max_length=20, choices=StateChoices.choices,
                             default=StateChoices.DRAFT)
    gap_explanation = models.TextField(_("motivazione dello scostamento"), blank=True,
                                       max_length=EXPLANATION_LENGTH)
    forecast = models.TextField(_("previsione di fine anno"), blank=True,
                                max_length=EXPLANATION_LENGTH)
    return_reason = models.TextField(_("motivo della restituzione"), blank=True,
                                     max_length=REASON_LENGTH)

    class Meta:
        verbose_name = _("misurazione")
        verbose_name_plural = _("misurazioni")
        ordering = ["period", "indicator"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "period"],
                                    name="meas_measurement_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.period}"


class Value(_Tracked):
    """The current value of one variable in one period (its history: ValueVersion)."""

    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="values",
                               verbose_name=_("periodo"))
    variable = models.CharField(_("variabile"), max_length=NAME_LENGTH)
    number = models.DecimalField(_("valore numerico"), max_digits=VALUE_DIGITS,
                                 decimal_places=VALUE_PLACES, null=True, blank=True)
    yes_no = models.BooleanField(_("sì/no"), null=True, blank=True)
    note = models.TextField(_("nota"), blank=True, max_length=NOTE_LENGTH)

    class Meta:
        verbose_name = _("valore")
        verbose_name_plural = _("valori")
        ordering = ["period", "variable"]
        constraints = [
            models.UniqueConstraint(fields=["period", "variable"], name="meas_value_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.variable} {self.period}"

    @property
    def data(self) -> Any:
        """The value as the engine reads it: Decimal, bool or None (not measured)."""
        return self.yes_no if self.yes_no is not None else self.number


class _AppendOnly(models.Model):
    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not kwargs.get("force_insert"):
            raise PermissionError(f"{type(self).__name__} rows are never changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise PermissionError(f"{type(self).__name__} rows are never deleted")


class ValueVersion(_AppendOnly):
    value = models.ForeignKey(Value, on_delete=models.PROTECT, related_name="versions",
                              verbose_name=_("valore"))
    version = models.PositiveIntegerField(_("versione"))
    number = models.DecimalField(_("valore numerico"), max_digits=VALUE_DIGITS,
                                 decimal_places=VALUE_PLACES, null=True, blank=True)
    yes_no = models.BooleanField(_("sì/no"), null=True, blank=True)
    note = models.TextField(_("nota"), blank=True, max_length=NOTE_LENGTH)
    reason = models.TextField(_("motivo della modifica"), blank=True, max_length=REASON_LENGTH)
    changed_at = models.DateTimeField(_("modificato il"), auto_now_add=True)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+",
                                   verbose_name=_("modificato da"))

    class Meta:
        verbose_name = _("versione di un valore")
        verbose_name_plural = _("versioni dei valori")
        ordering = ["value", "version"]
        constraints = [
            models.UniqueConstraint(fields=["value", "version"], name="meas_version_unique"),
        ]


def _evidence_path(instance: Evidence, filename: str) -> str:
    return f"evidence/{instance.value.period.plan_id}/{instance.value_id}/{filename}"


class Evidence(models.Model):
    value = models.ForeignKey(Value, on_delete=models.PROTECT, related_name="evidence",
                              verbose_name=_("valore"))
    #: the storage path: evidence/<plan>/<value>/ and a name of FILE_NAME_LENGTH at most
    file = models.FileField(_("file"), upload_to=_evidence_path,
                            max_length=FILE_NAME_LENGTH + 64)
    name = models.CharField(_("nome"), max_length=FILE_NAME_LENGTH)
    size = models.PositiveIntegerField(_("dimensione (byte)"))
    content_type = models.CharField(_("tipo"), max_length=100)
    uploaded_at = models.DateTimeField(_("caricato il"), auto_now_add=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="+",
                                    verbose_name=_("caricato da"))

    class Meta:
        verbose_name = _("documento di supporto")
        verbose_name_plural = _("documenti di supporto")


class TargetRevision(_AppendOnly):
    """A *rimodulazione*: a new version of one year's target, never an overwrite."""

    indicator = models.ForeignKey(plans.Indicator, on_delete=models.PROTECT,
                                  related_name="target_revisions",
                                  verbose_name=_("indicatore"))
    year = models.PositiveIntegerField(_("anno"))
    previous_text = models.TextField(_("target precedente"), blank=True)
    text = models.TextField(_("target rimodulato"), max_length=TARGET_LENGTH)
    justification = models.TextField(_("motivazione"), max_length=EXPLANATION_LENGTH)
    revised_on = models.DateField(_("data della rimodulazione"))
    revised_at = models.DateTimeField(_("registrato il"), auto_now_add=True)
    revised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+",
                                   verbose_name=_("registrato da"))

    class Meta:
        verbose_name = _("rimodulazione del target")
        verbose_name_plural = _("rimodulazioni dei target")
        ordering = ["indicator", "year", "revised_at", "pk"]


class AuditEvent(_AppendOnly):
    """Who did what, when, to what, from which value to which, and why."""

    at = models.DateTimeField(_("quando"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                             blank=True, related_name="+", verbose_name=_("chi"))
    username = models.CharField(_("utente"), max_length=150, blank=True)
    plan = models.ForeignKey(plans.Plan, on_delete=models.CASCADE, related_name="+",
                             verbose_name=_("piano"))
    indicator_code = models.CharField(_("indicatore"), max_length=50, blank=True,
                                      db_index=True)
    period = models.ForeignKey(Period, on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="+", verbose_name=_("periodo"))
    action = models.CharField(_("azione"), max_length=40)
    field = models.CharField(_("campo"), max_length=NAME_LENGTH, blank=True)
    old = models.TextField(_("valore precedente"), blank=True)
    new = models.TextField(_("nuovo valore"), blank=True)
    reason = models.TextField(_("motivo"), blank=True)

    class Meta:
        verbose_name = _("evento di audit")
        verbose_name_plural = _("registro di audit")
        ordering = ["at", "pk"]


class CertifiedRecord(models.Model):
    """What the OIV certified: one indicator's figure for one period, frozen, with
    exactly what it was computed from.

    Written by ``services.do_certify``; never changed afterwards except to mark it
    superseded when the planning office reopens the figure (with a reason): the
    record stays, in the indicator's history. While a record is active every write
    that would change one of its inputs, its target, formula or bands is refused
    (:mod:`cruscotto.web.measurements.certification`).
    """

    plan = models.ForeignKey(plans.Plan, on_delete=models.CASCADE, related_name="+",
                             verbose_name=_("piano"))
    period = models.ForeignKey(Period, on_delete=models.RESTRICT, related_name="certified",
                               verbose_name=_("periodo"))
    indicator_code = models.CharField(_("indicatore"), max_length=50)
    #: the engine's result as plain data (``IndicatorResult.as_dict()``)
    result = models.JSONField(_("risultato"))
    #: every (variable, year) the figure reads: period, value as text, value version
    inputs = models.JSONField(_("dati letti"))
    target = models.TextField(_("target in vigore"), blank=True)
    #: the formula and the measures the target compares
    formula = models.JSONField(_("formula"))
    bands = models.JSONField(_("soglie del semaforo"))
    certified_at = models.DateTimeField(_("certificato il"), auto_now_add=True)
    certified_by = models.CharField(_("certificato da"), max_length=150, blank=True)
    superseded_at = models.DateTimeField(_("riaperto il"), null=True, blank=True)
    superseded_by = models.CharField(_("riaperto da"), max_length=150, blank=True)
    superseded_reason = models.TextField(_("motivo della riapertura"), blank=True)

    #: the only fields a saved record may change (when it is reopened)
    REOPEN_FIELDS = frozenset({"superseded_at", "superseded_by", "superseded_reason"})

    class Meta:
        verbose_name = _("risultato certificato")
        verbose_name_plural = _("risultati certificati")
        ordering = ["plan", "indicator_code", "period", "certified_at", "pk"]
        indexes = [models.Index(fields=["plan", "superseded_at"],
                                name="meas_certified_active")]

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            fields = set(kwargs.get("update_fields") or ())
            if not fields or not fields <= self.REOPEN_FIELDS:
                raise PermissionError("a certified record is never changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise PermissionError("a certified record is never deleted")

    @property
    def active(self) -> bool:
        return self.superseded_at is None


class MailPreference(models.Model):
    """The language a person reads their e-mails in (Italian unless they choose)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="mail_preference", verbose_name=_("utente"))
    language = models.CharField(_("lingua delle e-mail"), max_length=10,
                                choices=settings.LANGUAGES, default="it")

    class Meta:
        verbose_name = _("preferenza per le e-mail")
        verbose_name_plural = _("preferenze per le e-mail")

    def __str__(self) -> str:
        return f"{self.user} ({self.language})"


class SentMail(_AppendOnly):
    """Every e-mail Cruscotto sent: a daily digest or a workflow event.

    A digest is sent once per person and day (the unique ``key``), however
    often ``cruscotto remind`` runs.
    """

    at = models.DateTimeField(_("inviata il"), auto_now_add=True)
    kind = models.CharField(_("tipo"), max_length=20)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                             blank=True, related_name="+", verbose_name=_("destinatario"))
    to = models.EmailField(_("indirizzo"), max_length=254)
    subject = models.CharField(_("oggetto"), max_length=200)
    body = models.TextField(_("testo"))
    #: what makes a mail unique: "digest:<user>:<day>" (empty for event mails)
    key = models.CharField(_("chiave"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("e-mail inviata")
        verbose_name_plural = _("e-mail inviate")
        ordering = ["-at", "-pk"]
        constraints = [models.UniqueConstraint(
            fields=["key"], condition=~models.Q(key=""), name="sentmail_unique_key")]


class ResultSet(models.Model):
    """The engine's results for one plan, period and visibility, stored
    (:mod:`cruscotto.web.measurements.results`; docs/read-path.md).

    ``visibility`` says which values counted: ``public`` (certified only),
    ``reader`` (validated and certified), ``office`` (every value: the planning
    office, the OIV, administrators) or ``drafts:<digest>`` (a centre's own drafts
    on top of what a signed-in reader sees, computed when first read).
    ``figures`` holds each indicator's value, outcome, achievement, status and
    reason and every roll-up node as plain JSON (reasons as messages:
    ``{"template", "params"}`` or text); ``evaluation`` the engine's whole
    result with its derivation, as the pages display it. ``stamp`` is a digest
    of everything it was computed from (the plan revision, the values and
    states read): a stored set whose stamp differs from the data is *stale*,
    and the pages say so.
    """

    #: not in backups: recomputed from what is (results.refresh), never restored
    NOT_BACKED_UP = True

    plan = models.ForeignKey(plans.Plan, on_delete=models.CASCADE, related_name="+",
                             verbose_name=_("piano"))
    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="+",
                               verbose_name=_("periodo"))
    visibility = models.CharField(_("visibilità"), max_length=64)
    #: changes with every recomputation (what the process cache keys on)
    token = models.CharField(max_length=32)
    plan_revision = models.CharField(max_length=32)
    #: the engine's code version the evaluation was pickled by
    engine = models.CharField(max_length=32)
    stamp = models.CharField(max_length=64)
    computed_at = models.DateTimeField(_("calcolato il"))
    #: indicator code -> why it was left out for this visibility (a message)
    hidden = models.JSONField(default=dict)
    figures = models.JSONField(default=dict)
    evaluation = models.BinaryField()

    class Meta:
        verbose_name = _("risultati calcolati")
        verbose_name_plural = _("risultati calcolati")
        constraints = [models.UniqueConstraint(fields=["plan", "period", "visibility"],
                                               name="meas_resultset_unique")]
