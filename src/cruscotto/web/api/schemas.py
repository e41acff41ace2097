"""What goes in and out of the API, typed so that the OpenAPI document is exact.

Values are JSON numbers, ``true``/``false`` or ``null`` (not measured). The
engine's figures (evaluation, derivation) keep its own encoding: decimals as
strings, so that no digit is lost; problems as ``{"kind": ..., "reason": ...}``.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.utils.translation import gettext
from ninja import Field, Schema
from pydantic import StrictBool, StringConstraints, WithJsonSchema, field_validator

from cruscotto.core.numbers import INTEGER_DIGITS, PLACES, domain_problem
from cruscotto.core.rollup import Level
from cruscotto.core.scoring import Outcome, Status
from cruscotto.core.workflow import State
from cruscotto.web.i18n import translate
from cruscotto.web.measurements import models as mm
from cruscotto.web.measurements.choices import PeriodKind
from cruscotto.web.reports.choices import DocumentKind

#: a value as it is stored and read: ``Decimal``/``int``/``float``, bool or None
Number = int | float
#: a text sent to the API: any characters but NUL, which no database column can hold
#: (PostgreSQL refuses it); declared in the document, so callers know before sending
Text = Annotated[str, StringConstraints(pattern=r"^[^\x00]*$")]
_NO_NUL = r"^[^\x00]*$"
#: the free texts, with the limits the services enforce (docs/deployment.md)
Note = Annotated[str, StringConstraints(pattern=_NO_NUL, max_length=mm.NOTE_LENGTH)]
Reason = Annotated[str, StringConstraints(pattern=_NO_NUL, max_length=mm.REASON_LENGTH)]
Explanation = Annotated[str, StringConstraints(pattern=_NO_NUL,
                                               max_length=mm.EXPLANATION_LENGTH)]
TargetText = Annotated[str, StringConstraints(pattern=_NO_NUL, max_length=mm.TARGET_LENGTH)]
#: a code or a variable name
Name = Annotated[str, StringConstraints(pattern=_NO_NUL, max_length=mm.NAME_LENGTH)]

_VALUE_SCHEMA = WithJsonSchema({
    "anyOf": [{"type": "number"}, {"type": "boolean"}, {"type": "null"}],
    "description": "a number, true/false (yes/no inputs) or null (not measured)",
})
#: what a value can hold (cruscotto.core.numbers, the database column): 11 digits before
#: the decimal point, 4 after; more is refused (400), never rounded
_VALUE_IN_SCHEMA = WithJsonSchema({
    "anyOf": [{"type": "number", "exclusiveMinimum": -10**INTEGER_DIGITS,
               "exclusiveMaximum": 10**INTEGER_DIGITS, "multipleOf": 10.0**-PLACES},
              {"type": "boolean"}, {"type": "null"}],
    "description": f"a number (below 10^{INTEGER_DIGITS} in absolute value, at most "
                   f"{PLACES} decimal places), true/false (yes/no inputs) or null "
                   "(not measured)",
})


# -- errors ---------------------------------------------------------------------------

class FieldError(Schema):
    loc: list[str | int] = Field(description="where: body, query or path, then the field")
    msg: str


class ErrorOut(Schema):
    """Every refusal: ``detail`` is the service's message, for the person who tried."""

    detail: str
    #: the fields that failed validation (400 for bad input only)
    errors: list[FieldError] = []


class ConflictOut(Schema):
    """Someone changed the row meanwhile (409): nothing was written."""

    detail: str
    current: Annotated[Number | bool | str | None, WithJsonSchema({
        "anyOf": [{"type": "number"}, {"type": "boolean"}, {"type": "string"},
                  {"type": "null"}],
        "description": "the value now stored (for a value), or the workflow state "
                       "(for a workflow action)"})]
    version: int = Field(description="the current version: send it as expected_version")


# -- plans and periods ----------------------------------------------------------------

class PlanSummaryOut(Schema):
    key: str
    title: str
    organisation: str
    years: list[int]
    indicator_count: int
    updated_at: datetime.datetime


class PeriodOut(Schema):
    date: datetime.date = Field(description="the reference date (end of the period)")
    year: int
    kind: PeriodKind
    deadline: datetime.date | None = Field(description="last day for entering values")


# -- values ---------------------------------------------------------------------------

class ValueOut(Schema):
    variable: Text
    value: Annotated[Number | bool | None, _VALUE_SCHEMA]
    version: int = Field(description="send it back as expected_version to change the value")
    note: str
    updated_at: datetime.datetime
    updated_by: str | None
    read_by: list[str] = Field(description="the indicators reading this variable")
    is_demo: bool = Field(False, description="demonstration data, not the organisation's")


class MeasurementOut(Schema):
    """An indicator's workflow in one period."""

    indicator: str
    period: datetime.date
    state: State
    version: int = Field(description="send it back as expected_version with an action")
    gap_explanation: str = ""
    forecast: str = ""
    return_reason: str = ""
    updated_at: datetime.datetime | None = None
    updated_by: str | None = None
    is_demo: bool = Field(False, description="demonstration data, not the organisation's")


class PeriodValuesOut(Schema):
    plan: str
    period: PeriodOut
    values: list[ValueOut] = Field(description="the values the caller may see")
    indicators: list[MeasurementOut] = Field(
        description="every indicator's workflow state and version in the period")


class ValueIn(Schema):
    indicator: Name = Field(description="the code of an indicator reading the variable, "
                                       "owned by the caller's centre")
    variable: Name
    value: Annotated[StrictBool | Decimal | None, _VALUE_IN_SCHEMA]
    note: Note = ""
    expected_version: int | None = Field(
        None, ge=0, description="the version read (0: a value not stored yet); required "
                                "to change a stored value (409 without it)")

    @field_validator("value", mode="before")
    @classmethod
    def _not_a_string(cls, v: Any) -> Any:
        if isinstance(v, str):
            raise ValueError(gettext("un numero, true/false o null, non un testo"))
        if isinstance(v, float):
            # a JSON number with a fraction or an exponent: its decimal digits as written
            return Decimal(repr(v))
        return v

    @field_validator("value")
    @classmethod
    def _in_domain(cls, v: Any) -> Any:
        if isinstance(v, Decimal) and (problem := domain_problem(v)):
            raise ValueError(translate(problem))
        return v


# -- workflow -------------------------------------------------------------------------

class VersionIn(Schema):
    expected_version: int | None = Field(
        None, description="the measurement version read; null skips the check")


class SubmitIn(VersionIn):
    gap_explanation: Explanation = Field("", description="required when the target is missed")
    forecast: Explanation = Field("", description="year-end forecast (interim periods)")


class ReasonIn(VersionIn):
    reason: Reason = Field(description="why (required)")


# -- evaluation -----------------------------------------------------------------------

#: an engine value: a decimal as a string, a yes/no, or a problem
#: (``{"kind": "not_measured" | "not_computable", "reason": ..., ...}``)
EngineValue = str | bool | dict[str, Any] | None


class VarYear(Schema):
    name: str
    year: int


class TargetReadingOut(Schema):
    """Which reading of the year's target is in force."""

    source: Literal["text", "set", "partly_read"] = Field(
        description="text: scored as its text reads; set: scored by the structured reading "
                    "the planning office set beside the text; partly_read: the text is read "
                    "only in part and the target is not scored")
    set_at: datetime.datetime | None = Field(
        None, description="when the reading was set (source set; null when the plan "
                          "came with it and its history does not say)")
    set_by: str | None = Field(
        None, description="who set the reading: for signed-in callers only (null for "
                          "anonymous callers)")


class IndicatorEvaluationOut(Schema):
    """One indicator's figure with its derivation: inputs → formula → target → achievement."""

    code: str
    name: str = ""
    year: int
    state: State = Field(description="the workflow state of its values in the period")
    hidden: bool = Field(description="true when its values are not validated yet (not "
                                     "certified yet, for anonymous callers) and the caller "
                                     "may not read drafts: not computed for them")
    outcome: Outcome
    value: EngineValue
    achievement: str | None = None
    met: bool | None = None
    status: Status
    reason: str = ""
    target: dict[str, Any] | None = None
    formula: dict[str, Any] | None = Field(
        None, description="the formula with its inputs (name, year, value, source)")
    previous_year: dict[str, Any] | None = None
    measures: dict[str, dict[str, Any]] = {}
    assessment: dict[str, Any] | None = Field(
        None, description="the target rule applied, with its working")
    missing: list[VarYear] = []
    warnings: list[str] = []
    target_reading: TargetReadingOut | None = Field(
        None, description="which reading of the target is in force (null: no target)")


class ContributionOut(Schema):
    level: Level
    code: str
    achievement: str | None
    weight: str
    share: str | None
    scope: str = ""


class LeftOutOut(Schema):
    indicator: str
    outcome: Outcome | None
    reason: str


class NodeOut(Schema):
    """An objective, mission, centre or the organisation: a weighted average, explained."""

    level: Level
    code: str
    year: int
    achievement: str | None
    status: Status
    weight: str
    counted: list[str]
    children: list[ContributionOut]
    left_out: list[LeftOutOut]
    working: str


class BandsOut(Schema):
    green: str
    yellow: str


class PeriodEvaluationOut(Schema):
    plan: str
    period: PeriodOut
    year: int
    bands: BandsOut
    indicators: list[IndicatorEvaluationOut] = Field(description="in plan order")
    operational: dict[str, NodeOut]
    strategic: dict[str, NodeOut]
    missions: dict[str, NodeOut]
    centres: dict[str, NodeOut]
    organisation: NodeOut
    hidden: list[str] = Field(description="indicators left out for this caller (drafts)")
    stale: bool = Field(False, description="true when the stored results were computed "
                        "before the latest change of the data (they are being updated)")
    unplaced: list[str] = []
    unscored: list[str] = []


# -- audit and targets ----------------------------------------------------------------

class AuditEventOut(Schema):
    at: datetime.datetime
    user: str
    action: str
    period: datetime.date | None
    field: str
    old: str
    new: str
    reason: str


class TargetRevisionIn(Schema):
    text: TargetText = Field(description="the revised target, as targets are written in "
                                         "the plan")
    justification: Explanation
    revised_on: datetime.date | None = Field(None, description="default: today")


class TargetRevisionOut(Schema):
    indicator: str
    year: int
    previous_text: str
    text: str
    justification: str
    revised_on: datetime.date
    revised_at: datetime.datetime
    revised_by: str | None


class TargetYearOut(Schema):
    year: int
    original: str = Field(description="the target as the plan states it")
    current: str = Field(description="the target in force: the latest revision, else the "
                                     "original")
    revisions: list[TargetRevisionOut] = Field(description="oldest first")
    target_reading: TargetReadingOut | None = Field(
        None, description="which reading of the target in force is used (null: no target)")


class TargetsOut(Schema):
    indicator: str
    years: list[TargetYearOut]


class EvidenceOut(Schema):
    id: int
    indicator: str
    period: datetime.date
    variable: str
    name: str
    size: int = Field(description="bytes")
    content_type: str
    uploaded_at: datetime.datetime
    uploaded_by: str | None
    url: str = Field(description="where to download it (same rights as reading the values)")


# -- the plan's official documents ------------------------------------------------------

class PlanDocumentOut(Schema):
    id: int
    kind: DocumentKind = Field(description="piano (the plan or PIAO as adopted), adozione "
                                           "(the act of adoption), aggiornamento (an update, "
                                           "rimodulazione), smvp, altro")
    kind_label: str = Field(description="the kind in words, in the caller's language")
    title: str
    act_number: str = Field(description="the act's number, e.g. \"Delibera di Giunta n. "
                                        "12\" (empty: not given)")
    act_date: datetime.date | None
    file_name: str = Field(description="the file's name as uploaded")
    format: Literal["pdf", "docx", "xlsx", "odt"] = Field(
        description="what the content is, read from its bytes")
    size: int = Field(description="bytes")
    sha256: str = Field(description="SHA-256 of the file, hexadecimal")
    content_type: str
    uploaded_at: datetime.datetime
    uploaded_by: str | None = Field(description="who attached it (null for anonymous "
                                                "callers)")
    published: bool = Field(description="on the public page /trasparenza/<key>/: not "
                                        "withdrawn, of a published plan")
    withdrawn_at: datetime.datetime | None = Field(description="null: not withdrawn")
    withdrawn_by: str | None
    withdrawal_reason: str
    url: str = Field(description="where to download the file (the same rights as this "
                                 "list)")
