"""Values, the workflow of an indicator's values, its history and target revisions.

Every change goes through :mod:`cruscotto.web.measurements.services`, which
check who may do it; every read through the selectors, which hide drafts
from those who may not read them.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import File, Form, Router, Status, UploadedFile

from cruscotto.core.workflow import Actor, State, WorkflowError, can_read_drafts, public_states
from cruscotto.web.api import lookups
from cruscotto.web.api.auth import PUBLIC, PUBLIC_SECURITY, SIGNED_IN
from cruscotto.web.api.errors import plain
from cruscotto.web.api.plans import period_out
from cruscotto.web.api.schemas import (
    AuditEventOut,
    ConflictOut,
    ErrorOut,
    EvidenceOut,
    MeasurementOut,
    PeriodValuesOut,
    Reason,
    ReasonIn,
    SubmitIn,
    TargetRevisionIn,
    TargetRevisionOut,
    TargetsOut,
    ValueIn,
    VersionIn,
)
from cruscotto.web.measurements import models as mm
from cruscotto.web.measurements import selectors, services
from cruscotto.web.measurements.readings import readings_in_force, target_reading
from cruscotto.web.measurements.upload_limit import too_large
from cruscotto.web.plans import models as pm
from cruscotto.web.plans.selectors import stored_plan

router = Router()

READ = {200: PeriodValuesOut, 400: ErrorOut, 401: ErrorOut, 404: ErrorOut}
WRITE = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ConflictOut}
#: what a new measurement's version will be: an action on it expects this one
FIRST_VERSION: int = mm.Measurement._meta.get_field("version").default  # type: ignore[union-attr]


def _who(user: Any) -> str | None:
    return user.get_username() if user is not None else None


def _measurement_out(code: str, period: mm.Period, m: mm.Measurement | None,
                     *, drafts: bool = True,
                     shown: frozenset[State] = public_states(Actor())
                     ) -> dict[str, Any]:
    if m is None:
        return {"indicator": code, "period": period.end_date, "state": State.DRAFT,
                "version": FIRST_VERSION}
    published = State(m.state) in shown
    texts = drafts or published  # the centre's texts go with its values
    return {
        "indicator": code, "period": period.end_date, "state": m.state,
        "version": m.version,
        "gap_explanation": m.gap_explanation if texts else "",
        "forecast": m.forecast if texts else "",
        "return_reason": m.return_reason if texts else "",
        "updated_at": m.updated_at, "updated_by": _who(m.updated_by),
        "is_demo": m.is_demo,
    }


def _period_values(request: HttpRequest, db: pm.Plan, period: mm.Period) -> dict[str, Any]:
    actor = lookups.actor(request, db)
    plan = stored_plan(db.pk)
    values = [{
        "variable": v.value.variable, "value": plain(v.value.data),
        "version": v.value.version, "note": v.value.note,
        "updated_at": v.value.updated_at, "updated_by": _who(v.value.updated_by),
        "read_by": list(v.read_by), "is_demo": v.value.is_demo,
    } for v in selectors.visible_values(plan_id=db.pk, period=period, actor=actor)]
    rows = {m.indicator.code: m for m in mm.Measurement.objects.filter(
        period=period, indicator__plan=db).select_related("indicator", "updated_by")}
    indicators = [
        _measurement_out(ind.code, period, rows.get(ind.code),
                         drafts=can_read_drafts(actor, centres=ind.centres),
                         shown=public_states(actor))
        for ind in plan.indicators]
    return {"plan": db.key, "period": period_out(period), "values": values,
            "indicators": indicators}


# -- values -------------------------------------------------------------------------

@router.get("/{key}/periods/{date}/values", response=READ, auth=PUBLIC,
            openapi_extra=PUBLIC_SECURITY, tags=["values"])
def get_values(request: HttpRequest, key: str, date: datetime.date) -> Any:
    """The period's values the caller may see, and every indicator's workflow state.

    Values of indicators not validated yet are seen only by their centre, the
    planning office, the OIV and administrators; other signed-in callers see
    values once validated or certified, anonymous callers once certified (and
    only of a published plan).
    """
    db = lookups.plan(request, key)
    return _period_values(request, db, lookups.period(db, date))


@router.put("/{key}/periods/{date}/values", response={200: PeriodValuesOut, **WRITE},
            auth=SIGNED_IN, tags=["values"])
def put_values(request: HttpRequest, key: str, date: datetime.date,
               items: list[ValueIn], reason: Reason = "") -> Any:
    """Store values of the period: all of them, or none (any refusal writes nothing).

    Each item names the indicator it is entered for (the caller must be in
    one of its centres). Send ``expected_version`` as read (0 for a value not
    stored yet): if the value changed meanwhile, or a stored value is changed
    without it, the answer is 409 with the current value and version.
    ``?reason=`` says why, for a correction (kept with each new version).
    Answers with the period's values as :func:`get_values` would.
    """
    db = lookups.plan(request, key)
    period = lookups.period(db, date)
    lookups.indicators_exist(db, (i.indicator for i in items))
    services.do_set_values(user=lookups.user(request), period=period, reason=reason,
                           require_version=True, items=[
        services.ValueInput(i.indicator, i.variable, i.value, note=i.note,
                            expected_version=i.expected_version, where=f"[{n}]")
        for n, i in enumerate(items)])
    return _period_values(request, db, period)


# -- workflow -----------------------------------------------------------------------

def _act(request: HttpRequest, key: str, date: datetime.date, code: str, do: Any,
         **kwargs: Any) -> dict[str, Any]:
    db = lookups.plan(request, key)
    period = lookups.period(db, date)
    lookups.indicators_exist(db, [code])
    m = do(user=lookups.user(request), period=period, indicator=code, **kwargs)
    m = mm.Measurement.objects.select_related("updated_by").get(pk=m.pk)
    return _measurement_out(code, period, m)


ACTION: dict[str, Any] = {"response": {200: MeasurementOut, **WRITE}, "auth": SIGNED_IN,
                          "tags": ["workflow"]}
ACTION_PATH = "/{key}/periods/{date}/indicators/{code}/"


@router.post(ACTION_PATH + "submit", **ACTION)
def submit(request: HttpRequest, key: str, date: datetime.date, code: str,
           body: SubmitIn) -> Any:
    """The centre sends its values to the planning office (draft or returned → submitted).

    Refused while an input is missing, or when the target is missed and
    ``gap_explanation`` is empty.
    """
    return _act(request, key, date, code, services.do_submit,
                gap_explanation=body.gap_explanation, forecast=body.forecast,
                expected_version=body.expected_version)


@router.post(ACTION_PATH + "validate", **ACTION)
def validate(request: HttpRequest, key: str, date: datetime.date, code: str,
             body: VersionIn) -> Any:
    """The planning office validates submitted values (→ validated: public)."""
    return _act(request, key, date, code, services.do_validate,
                expected_version=body.expected_version)


@router.post(ACTION_PATH + "return", **ACTION)
def return_(request: HttpRequest, key: str, date: datetime.date, code: str,
            body: ReasonIn) -> Any:
    """The planning office returns submitted or validated values to the centre, saying why."""
    return _act(request, key, date, code, services.do_return, reason=body.reason,
                expected_version=body.expected_version)


@router.post(ACTION_PATH + "certify", **ACTION)
def certify(request: HttpRequest, key: str, date: datetime.date, code: str,
            body: VersionIn) -> Any:
    """The OIV certifies validated values, which locks them."""
    return _act(request, key, date, code, services.do_certify,
                expected_version=body.expected_version)


@router.post(ACTION_PATH + "reopen", **ACTION)
def reopen(request: HttpRequest, key: str, date: datetime.date, code: str,
           body: ReasonIn) -> Any:
    """The planning office reopens certified values for a correction (→ draft), saying why;
    the certified versions stay in the history."""
    return _act(request, key, date, code, services.do_reopen, reason=body.reason,
                expected_version=body.expected_version)


# -- history and target revisions --------------------------------------------------

@router.get("/{key}/indicators/{code}/history",
            response={200: list[AuditEventOut], 401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
            auth=PUBLIC, openapi_extra=PUBLIC_SECURITY, tags=["audit"])
def history(request: HttpRequest, key: str, code: str) -> Any:
    """Every recorded change of the indicator, oldest first: who, when, from what to
    what, and why. For those who may read its drafts (its centre, the planning office,
    the OIV, administrators)."""
    db = lookups.plan(request, key)
    ind = lookups.indicator(db, code)
    if not can_read_drafts(lookups.actor(request, db), centres=ind.centres):
        raise PermissionDenied(_("%(code)s: la cronologia è visibile solo al suo centro, al "
                                 "controllo di gestione e all'OIV") % {"code": code})
    return [{
        "at": e.at, "user": e.username, "action": e.action,
        "period": e.period.end_date if e.period else None, "field": e.field,
        "old": e.old, "new": e.new, "reason": e.reason,
    } for e in selectors.history(plan_id=db.pk, code=code)]


@router.post("/{key}/indicators/{code}/targets/{year}/revisions",
             response={201: TargetRevisionOut, **WRITE}, auth=SIGNED_IN, tags=["targets"])
def revise_target(request: HttpRequest, key: str, code: str, year: int,
                  body: TargetRevisionIn) -> Any:
    """Record a target revision (*rimodulazione*) for one year: the planning office only.

    The previous target stays in the history; evaluations use the latest.
    """
    db = lookups.plan(request, key)
    lookups.indicators_exist(db, [code])
    rev = services.do_revise_target(
        user=lookups.user(request), plan_id=db.pk, indicator=code, year=year,
        text=body.text, justification=body.justification, revised_on=body.revised_on)
    return Status(201, _revision_out(code, rev))


def _revision_out(code: str, rev: mm.TargetRevision) -> dict[str, Any]:
    return {"indicator": code, "year": rev.year, "previous_text": rev.previous_text,
            "text": rev.text, "justification": rev.justification,
            "revised_on": rev.revised_on, "revised_at": rev.revised_at,
            "revised_by": _who(rev.revised_by)}


@router.get("/{key}/indicators/{code}/targets",
            response={200: TargetsOut, 401: ErrorOut, 404: ErrorOut}, auth=PUBLIC,
            openapi_extra=PUBLIC_SECURITY, tags=["targets"])
def targets(request: HttpRequest, key: str, code: str) -> Any:
    """The indicator's target for each plan year: the original, the one in force, and
    every revision (*rimodulazione*) with its date, who recorded it and its
    justification, oldest first. Public, as the plan is."""
    db = lookups.plan(request, key)
    ind = lookups.indicator(db, code)
    revisions = selectors.target_revisions(plan_id=db.pk, code=code)
    in_force = readings_in_force(db.pk)
    signed_in = bool(getattr(lookups.user(request), "is_authenticated", False))
    years = []
    for year in db.years:
        mine = [r for r in revisions if r.year == year]
        original = ind.targets.get(year, "")
        current = mine[-1].text if mine else original
        years.append({"year": year, "original": original, "current": current,
                      "revisions": [_revision_out(code, r) for r in mine],
                      "target_reading": target_reading(in_force, code, year, current,
                                                       who=signed_in)})
    return {"indicator": code, "years": years}


# -- evidence ------------------------------------------------------------------------

EVIDENCE_PATH = "/{key}/periods/{date}/indicators/{code}/evidence"


def _evidence_out(request: HttpRequest, db: pm.Plan, code: str, ev: mm.Evidence
                  ) -> dict[str, Any]:
    from django.urls import reverse

    period = ev.value.period
    return {"id": ev.pk, "indicator": code, "period": period.end_date,
            "variable": ev.value.variable, "name": ev.name, "size": ev.size,
            "content_type": ev.content_type, "uploaded_at": ev.uploaded_at,
            "uploaded_by": _who(ev.uploaded_by),
            "url": request.build_absolute_uri(reverse("api:get_evidence_file", kwargs={
                "key": db.key, "date": period.end_date.isoformat(), "code": code,
                "pk": ev.pk}))}


def _readable(request: HttpRequest, db: pm.Plan, date: datetime.date, code: str
              ) -> tuple[mm.Period, set[str]]:
    """The period and the variables of ``code`` whose documents the caller may read."""
    period = lookups.period(db, date)
    ind = lookups.indicator(db, code)
    if not selectors.may_read_values(actor=lookups.actor(request, db), plan_id=db.pk,
                                     period=period, indicator=ind):
        raise PermissionDenied(_("%(code)s: i valori non sono ancora validati; li leggono "
                                 "solo il suo centro, il controllo di gestione e l'OIV") % {
            "code": code})
    return period, set(selectors.reads_by_indicator(stored_plan(db.pk)).get(code, ()))


@router.get(EVIDENCE_PATH, response={200: list[EvidenceOut], 400: ErrorOut, 401: ErrorOut,
                                     403: ErrorOut, 404: ErrorOut},
            auth=SIGNED_IN, tags=["evidence"])
def list_evidence(request: HttpRequest, key: str, date: datetime.date, code: str) -> Any:
    """The supporting documents of the indicator's values in the period, oldest first.

    For those who may read the values: before validation, the indicator's
    centre, the planning office, the OIV and administrators; after, anyone
    signed in (as on the values page).
    """
    db = lookups.plan(request, key)
    period, variables = _readable(request, db, date, code)
    return [_evidence_out(request, db, code, ev) for ev in mm.Evidence.objects.filter(
        value__period=period, value__variable__in=variables).select_related(
        "value__period", "uploaded_by").order_by("uploaded_at", "pk")]


@router.post(EVIDENCE_PATH, response={201: EvidenceOut, **WRITE}, auth=SIGNED_IN,
             tags=["evidence"])
def upload_evidence(request: HttpRequest, key: str, date: datetime.date, code: str,
                    variable: Form[str], file: File[UploadedFile | None] = None) -> Any:
    """Attach a supporting document to a value (``multipart/form-data``: ``variable``,
    ``file``).

    The same rights and limits as on the values page: the indicator's centre,
    while its values are a draft or returned; the value must be entered first;
    the file type and size are limited by ``CRUSCOTTO_EVIDENCE_TYPES`` and
    ``CRUSCOTTO_EVIDENCE_MAX_BYTES`` (400 otherwise).
    """
    db = lookups.plan(request, key)
    period = lookups.period(db, date)
    lookups.indicators_exist(db, [code])
    if file is None:
        stopped = too_large(request)
        if stopped is not None:
            raise WorkflowError(_("%(name)s: il file è troppo grande; il caricamento è stato "
                                  "interrotto") % {"name": stopped.name})
        raise WorkflowError(_("manca il file (campo «file» del modulo multipart)"))
    ev = services.do_attach_evidence(user=lookups.user(request), period=period,
                                     indicator=code, variable=variable, upload=file)
    ev = mm.Evidence.objects.select_related("value__period", "uploaded_by").get(pk=ev.pk)
    return Status(201, _evidence_out(request, db, code, ev))


@router.get(EVIDENCE_PATH + "/{pk}", response={400: ErrorOut, 401: ErrorOut, 403: ErrorOut,
                                               404: ErrorOut},
            auth=SIGNED_IN, tags=["evidence"], openapi_extra={"responses": {"200": {
                "description": "the document, as an attachment",
                "content": {"application/octet-stream": {
                    "schema": {"type": "string", "format": "binary"}}}}}})
def get_evidence_file(request: HttpRequest, key: str, date: datetime.date, code: str,
                      pk: int) -> Any:
    """Download one supporting document (the file itself, as an attachment)."""
    db = lookups.plan(request, key)
    period, variables = _readable(request, db, date, code)
    ev = mm.Evidence.objects.filter(pk=pk, value__period=period,
                                    value__variable__in=variables).first()
    if ev is None:
        raise Http404(_("nessun documento %(pk)s per %(code)s al %(date)s") % {
            "pk": pk, "code": code, "date": f"{date:%d/%m/%Y}"})
    return FileResponse(ev.file.open("rb"), as_attachment=True, filename=ev.name,
                        content_type=ev.content_type)
