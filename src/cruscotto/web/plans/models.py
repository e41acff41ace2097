"""The plan as stored: one table per entity of ``cruscotto.core.plan``.

Rows are written only by :func:`cruscotto.web.plans.services.write_plan` (and
the admin) and read back as core objects by
:mod:`cruscotto.web.plans.selectors`. Entities are identified inside their plan
by the plan's own codes, so a re-import updates rows in place and anything that
later refers to an indicator keeps pointing at the same row.

``position`` keeps the plan's order of every list, so that reading a plan back
gives exactly what was written. References inside a plan use ``RESTRICT``: the
admin cannot delete a mission an indicator still points to, while deleting the
whole plan (which cascades to both) is allowed.
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from .choices import PlanStatusChoices, PolarityChoices, VariableKindChoices

CODE_LENGTH = 50
#: the number of the act adopting a plan ("Delibera di Giunta n. 45/2021")
ACT_LENGTH = 200
KEY_LENGTH = 255
#: a variable's name, as formulas and entered values refer to it
NAME_LENGTH = 100
#: a newly stored plan's data-entry deadline: this many days after the period's date
DEFAULT_DEADLINE_DAYS = 30
MAX_DEADLINE_DAYS = 366


def default_interim_dates() -> list[str]:
    """A newly stored plan's interim measurement date: 30 June of every year."""
    return ["06-30"]

#: weights: up to 6 integer digits and 6 decimals
WEIGHT_DIGITS, WEIGHT_PLACES = 12, 6
#: status bands: percentages from 0 to 100 with up to 4 decimals
BAND_DIGITS, BAND_PLACES = 7, 4


def new_revision() -> str:
    """A fresh :attr:`Plan.revision` token."""
    return uuid.uuid4().hex


def _short(text: str) -> str:
    return Truncator(text).chars(80)


class SourceFields(models.Model):
    """Where the entity was read from (core ``SourceRef``)."""

    source_file = models.CharField(_("file di origine"), max_length=KEY_LENGTH, blank=True)
    source_line = models.PositiveIntegerField(_("riga di origine"), null=True, blank=True)

    class Meta:
        abstract = True


class Organisation(models.Model):
    name = models.CharField(_("nome"), max_length=KEY_LENGTH)
    code = models.CharField(_("codice"), max_length=CODE_LENGTH, blank=True)

    class Meta:
        verbose_name = _("ente")
        verbose_name_plural = _("enti")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["code"], condition=~Q(code=""), name="plans_organisation_code_unique"),
            models.UniqueConstraint(
                fields=["name"], condition=Q(code=""), name="plans_organisation_name_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class Plan(SourceFields):
    """A three-year plan; its identity is the organisation and its years."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.RESTRICT, related_name="plans",
        verbose_name=_("ente"))
    key = models.SlugField(_("chiave"), max_length=KEY_LENGTH, unique=True)
    title = models.TextField(_("titolo"))
    first_year = models.PositiveSmallIntegerField(_("primo anno"))
    last_year = models.PositiveSmallIntegerField(_("ultimo anno"))
    #: the plan years as written (core ``Plan.years``)
    years = models.JSONField(_("anni"), default=list)
    #: the traffic light's thresholds (core ``Plan.bands``)
    band_green = models.DecimalField(
        _("soglia verde (%)"), max_digits=BAND_DIGITS, decimal_places=BAND_PLACES,
        default=Decimal(100),
        help_text=_("Raggiungimento minimo, in percentuale, per il semaforo verde."))
    band_yellow = models.DecimalField(
        _("soglia gialla (%)"), max_digits=BAND_DIGITS, decimal_places=BAND_PLACES,
        default=Decimal(70),
        help_text=_("Raggiungimento minimo, in percentuale, per il semaforo giallo."))
    updated_at = models.DateTimeField(_("aggiornato il"), auto_now=True)
    #: shown to the public (no login) in *Amministrazione trasparente*, with its
    #: certified results only; see ``services.set_published``
    published = models.BooleanField(
        _("pubblicato"), default=False,
        help_text=_("Il piano e i suoi risultati certificati sono visibili al pubblico."))
    published_at = models.DateTimeField(_("pubblicato il"), null=True, blank=True)
    #: changes with every change of the plan's content (import, admin, target
    #: revision): what the read path's cache of the compiled plan is keyed by.
    #: A random token, not a counter: a counter reused after a rolled-back
    #: transaction could name two different plans (see docs/read-path.md)
    revision = models.CharField(_("revisione"), max_length=32, default=new_revision,
                                editable=False)
    #: the interim measurement dates of every plan year, as "MM-DD" (the periods a
    #: newly stored plan gets; see ``measurements.services.ensure_plan_periods``)
    interim_dates = models.JSONField(
        _("date di monitoraggio intermedio"), default=default_interim_dates,
        help_text=_("Mese e giorno (MM-GG) delle date intermedie di ogni anno."))
    #: days after a period's date by which its values are due
    deadline_days = models.PositiveSmallIntegerField(
        _("giorni per l'inserimento"), default=DEFAULT_DEADLINE_DAYS,
        help_text=_("Giorni dopo la data del periodo entro cui inserire i valori."))
    #: draft (changed freely) or adopted (by an act: changes become versions,
    #: targets change through revisions); see ``authoring``
    status = models.CharField(_("stato"), max_length=10, choices=PlanStatusChoices.choices,
                              default=PlanStatusChoices.DRAFT)
    adoption_act = models.CharField(_("atto di adozione"), max_length=ACT_LENGTH, blank=True)
    adopted_on = models.DateField(_("adottato il"), null=True, blank=True)
    #: the plan this one was rolled from (``authoring.roll_plan``): its indicators
    #: share their ``identity`` with this plan's
    previous = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="successors",
        verbose_name=_("piano precedente"))
    #: the PIAO's public values (valore pubblico) above the strategic objectives, as
    #: interchange data (``cruscotto.core.piao.public_value_to_data``); empty for none
    public_values = models.JSONField(_("valori pubblici"), default=list, blank=True)

    @property
    def is_adopted(self) -> bool:
        return self.status == PlanStatusChoices.ADOPTED

    class Meta:
        verbose_name = _("piano")
        verbose_name_plural = _("piani")
        ordering = ["-first_year", "key"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "first_year", "last_year"],
                name="plans_plan_identity_unique"),
            models.CheckConstraint(
                condition=Q(deadline_days__lte=MAX_DEADLINE_DAYS),
                name="plans_plan_deadline_days_bounded",
            ),
            models.CheckConstraint(
                condition=Q(band_yellow__gte=0, band_yellow__lte=F("band_green"),
                            band_green__lte=100),
                name="plans_plan_bands_in_order",
                violation_error_message=_(
                    "Le soglie devono rispettare 0 ≤ gialla ≤ verde ≤ 100.")),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.first_year}-{self.last_year}"


class PlanEntity(SourceFields):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, verbose_name=_("piano"))
    code = models.CharField(_("codice"), max_length=CODE_LENGTH)
    position = models.PositiveIntegerField(_("posizione"), default=0)

    class Meta:
        abstract = True
        ordering = ["plan", "position"]


class Mission(PlanEntity):
    name = models.TextField(_("nome"))

    class Meta(PlanEntity.Meta):
        verbose_name = _("missione")
        verbose_name_plural = _("missioni")
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="plans_mission_code_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {_short(self.name)}"


class Programme(SourceFields):
    mission = models.ForeignKey(
        Mission, on_delete=models.CASCADE, related_name="programmes",
        verbose_name=_("missione"))
    code = models.CharField(_("codice"), max_length=CODE_LENGTH)
    name = models.TextField(_("nome"))
    budget = models.DecimalField(
        _("budget (euro)"), max_digits=15, decimal_places=2, null=True, blank=True)
    budget_text = models.CharField(_("budget come scritto"), max_length=100, blank=True)
    position = models.PositiveIntegerField(_("posizione"), default=0)

    class Meta:
        verbose_name = _("programma")
        verbose_name_plural = _("programmi")
        ordering = ["mission", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["mission", "code"], name="plans_programme_code_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {_short(self.name)}"


class ResponsibilityCentre(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, verbose_name=_("piano"))
    key = models.CharField(_("chiave"), max_length=KEY_LENGTH)
    name = models.TextField(_("nome"))
    position = models.PositiveIntegerField(_("posizione"), default=0)

    class Meta:
        verbose_name = _("centro di responsabilità")
        verbose_name_plural = _("centri di responsabilità")
        ordering = ["plan", "position"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "key"], name="plans_centre_key_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class DataSource(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, verbose_name=_("piano"))
    key = models.CharField(_("chiave"), max_length=KEY_LENGTH)
    name = models.TextField(_("nome"))
    position = models.PositiveIntegerField(_("posizione"), default=0)

    class Meta:
        verbose_name = _("fonte dati")
        verbose_name_plural = _("fonti dati")
        ordering = ["plan", "position"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "key"], name="plans_datasource_key_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class StrategicObjective(PlanEntity):
    title = models.TextField(_("titolo"))
    narrative = models.TextField(_("descrizione"), blank=True)
    missions = models.ManyToManyField(
        Mission, through="StrategicObjectiveMission", related_name="strategic_objectives",
        verbose_name=_("missioni"))

    class Meta(PlanEntity.Meta):
        verbose_name = _("obiettivo strategico")
        verbose_name_plural = _("obiettivi strategici")
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="plans_strategic_code_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {_short(self.title)}"


class StrategicObjectiveMission(models.Model):
    """A strategic objective under a mission, in the objective's order of missions."""

    strategic = models.ForeignKey(
        StrategicObjective, on_delete=models.CASCADE, related_name="mission_links",
        verbose_name=_("obiettivo strategico"))
    mission = models.ForeignKey(
        Mission, on_delete=models.RESTRICT, related_name="strategic_links",
        verbose_name=_("missione"))
    position = models.PositiveIntegerField(_("posizione"), default=0)

    class Meta:
        verbose_name = _("missione dell'obiettivo")
        verbose_name_plural = _("missioni dell'obiettivo")
        ordering = ["strategic", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["strategic", "mission"], name="plans_strategic_mission_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.strategic.code} ↔ {self.mission.code}"


class OperationalObjective(PlanEntity):
    strategic = models.ForeignKey(
        StrategicObjective, on_delete=models.RESTRICT, related_name="operational_objectives",
        verbose_name=_("obiettivo strategico"))
    title = models.TextField(_("titolo"))
    area = models.TextField(_("area"), blank=True)
    mission = models.ForeignKey(
        Mission, on_delete=models.RESTRICT, null=True, blank=True,
        related_name="operational_objectives", verbose_name=_("missione"))
    programme_code = models.CharField(
        _("codice del programma"), max_length=CODE_LENGTH, blank=True)

    class Meta(PlanEntity.Meta):
        verbose_name = _("obiettivo operativo")
        verbose_name_plural = _("obiettivi operativi")
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "code"], name="plans_operational_code_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {_short(self.title)}"


def validate_measures(value: Any) -> None:
    """Measures are stored as ``[[name, formula], ...]``: a JSON array keeps the
    plan's order, which a JSON object loses in PostgreSQL (jsonb sorts keys)."""
    ok = isinstance(value, list) and all(
        isinstance(pair, list) and len(pair) == 2
        and all(isinstance(x, str) and x.strip() for x in pair)
        for pair in value)
    if not ok:
        raise ValidationError(
            _('Scrivere le misure come [["nome", "formula"], ...].'), code="measures")
    names = [pair[0] for pair in value]
    if len(set(names)) != len(names):
        raise ValidationError(_("Ogni misura una volta sola."), code="measures")


class Indicator(PlanEntity):
    #: the same indicator in every plan it is carried into (a rolled plan copies it)
    identity = models.UUIDField(_("identità"), default=uuid.uuid4, editable=False,
                                db_index=True)
    name = models.TextField(_("nome"))
    description = models.TextField(_("descrizione"), blank=True)
    kind = models.TextField(_("tipologia"), blank=True)
    unit = models.TextField(_("unità di misura"), blank=True)
    data_sources = models.ManyToManyField(
        DataSource, through="IndicatorDataSource", related_name="indicators",
        verbose_name=_("fonti dati"))
    formula_text = models.TextField(_("algoritmo di calcolo"), blank=True)
    strategic = models.ForeignKey(
        StrategicObjective, on_delete=models.RESTRICT, related_name="indicators",
        verbose_name=_("obiettivo strategico"))
    operational = models.ForeignKey(
        OperationalObjective, on_delete=models.RESTRICT, null=True, blank=True,
        related_name="indicators", verbose_name=_("obiettivo operativo"))
    mission = models.ForeignKey(
        Mission, on_delete=models.RESTRICT, null=True, blank=True,
        related_name="indicators", verbose_name=_("missione"))
    programme_code = models.CharField(
        _("codice del programma"), max_length=CODE_LENGTH, blank=True)
    centres = models.ManyToManyField(
        ResponsibilityCentre, through="IndicatorCentre", related_name="indicators",
        verbose_name=_("centri di responsabilità"))
    # -- the engine's reading (core ``Indicator.formula`` ... ``weight``) -------
    formula = models.TextField(
        _("formula"), blank=True,
        help_text=_("La regola di calcolo nel linguaggio delle formule; vuota se "
                    "l'indicatore non è ancora codificato."))
    measures = models.JSONField(
        _("misure"), default=list, blank=True, validators=[validate_measures],
        help_text=_('Misure con nome confrontate da parti del target, come '
                    '[["spesa", "spesa_gestione_immobili"]].'))
    polarity = models.CharField(
        _("polarità"), max_length=10, choices=PolarityChoices.choices, blank=True,
        help_text=_("Quale direzione è meglio; vuota se il piano non lo dice."))
    polarity_inferred = models.BooleanField(
        _("polarità dedotta"), default=False,
        help_text=_("La polarità è stata scelta da chi ha codificato il piano, "
                    "il piano non la dichiara."))
    weight = models.DecimalField(
        _("peso"), max_digits=WEIGHT_DIGITS, decimal_places=WEIGHT_PLACES, default=Decimal(1),
        help_text=_("Peso nell'aggregazione su obiettivi, centri ed ente; 0 lo esclude."))
    #: later definitions and declared baselines, as the plan file holds them
    #: (``cruscotto.io.interchange.yearly_to_data``)
    definitions = models.JSONField(
        _("definizioni per anno"), default=list, blank=True,
        help_text=_("Formula, unità, polarità e misure da un anno in poi."))
    baselines = models.JSONField(
        _("baseline"), default=list, blank=True,
        help_text=_("Valori di partenza con la loro data, che i target possono nominare."))

    class Meta(PlanEntity.Meta):
        verbose_name = _("indicatore")
        verbose_name_plural = _("indicatori")
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="plans_indicator_code_unique"),
            models.CheckConstraint(
                condition=Q(weight__gte=0), name="plans_indicator_weight_not_negative",
                violation_error_message=_("Il peso non può essere negativo.")),
        ]

    def __str__(self) -> str:
        return f"{self.code} {_short(self.name)}"


class IndicatorTarget(models.Model):
    """The target of one plan year, as the plan writes it (``>=90%``, ``sì``...)."""

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="targets",
        verbose_name=_("indicatore"))
    year = models.PositiveSmallIntegerField(_("anno"))
    text = models.TextField(_("target come scritto"))
    position = models.PositiveIntegerField(_("posizione"), default=0)
    #: the structured reading the planning office set beside the text (the interchange
    #: shape of ``core.target_structure.TargetReading``); null: the text is read
    reading = models.JSONField(_("lettura impostata"), null=True, blank=True, default=None)

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("target")
        ordering = ["indicator", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "year"], name="plans_target_year_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.year}: {self.text}"


class IndicatorCentre(models.Model):
    """A responsibility centre of an indicator, in the indicator's order."""

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="centre_links",
        verbose_name=_("indicatore"))
    centre = models.ForeignKey(
        ResponsibilityCentre, on_delete=models.RESTRICT, related_name="indicator_links",
        verbose_name=_("centro di responsabilità"))
    position = models.PositiveIntegerField(_("posizione"), default=0)

    class Meta:
        verbose_name = _("centro dell'indicatore")
        verbose_name_plural = _("centri dell'indicatore")
        ordering = ["indicator", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "centre"], name="plans_indicator_centre_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} ↔ {self.centre.name}"


class IndicatorDataSource(models.Model):
    """A data source of an indicator, in the indicator's order."""

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="data_source_links",
        verbose_name=_("indicatore"))
    data_source = models.ForeignKey(
        DataSource, on_delete=models.RESTRICT, related_name="indicator_links",
        verbose_name=_("fonte dati"))
    position = models.PositiveIntegerField(_("posizione"), default=0)

    class Meta:
        verbose_name = _("fonte dati dell'indicatore")
        verbose_name_plural = _("fonti dati dell'indicatore")
        ordering = ["indicator", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "data_source"], name="plans_indicator_source_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} ↔ {self.data_source.name}"


class Variable(models.Model):
    """An input formulas read, declared once for the plan (core ``Variable``)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, verbose_name=_("piano"))
    name = models.CharField(_("nome"), max_length=NAME_LENGTH)
    label = models.TextField(_("descrizione"), blank=True)
    #: the data source that supplies the value; none when nobody is named
    source = models.ForeignKey(
        DataSource, on_delete=models.RESTRICT, null=True, blank=True,
        related_name="variables", verbose_name=_("fonte dati"))
    kind = models.CharField(
        _("tipo"), max_length=10, choices=VariableKindChoices.choices,
        default=VariableKindChoices.NUMBER)
    unit = models.TextField(_("unità di misura"), blank=True)
    position = models.PositiveIntegerField(_("posizione"), default=0)

    class Meta:
        verbose_name = _("variabile")
        verbose_name_plural = _("variabili")
        ordering = ["plan", "position"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "name"], name="plans_variable_name_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class PlanVersion(models.Model):
    """A version of an adopted plan: what it was, who changed it, and what changed.

    Version 1 is the plan as adopted; every later change of its content
    (an import, an edit, a target revision through an import) adds the next
    version, with the plan as it became (``snapshot``, the interchange data)
    and the differences from the version before (``changes``, field by field:
    ``cruscotto.io.plan_diff``). Never changed nor deleted.
    """

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="versions",
                             verbose_name=_("piano"))
    number = models.PositiveIntegerField(_("versione"))
    at = models.DateTimeField(_("quando"), auto_now_add=True)
    username = models.CharField(_("utente"), max_length=150, blank=True)
    #: adopted, import, edit, roll
    action = models.CharField(_("azione"), max_length=20)
    reason = models.TextField(_("motivo"), blank=True)
    snapshot = models.JSONField(_("piano"))
    changes = models.JSONField(_("modifiche"), default=list)

    class Meta:
        verbose_name = _("versione del piano")
        verbose_name_plural = _("versioni del piano")
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="plans_version_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.plan} v{self.number}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not kwargs.get("force_insert"):
            raise PermissionError("plan versions are never changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise PermissionError("plan versions are never deleted")
