"""State changes of measurement: values, workflow, target revisions, uploads.

Every function is atomic and keyword-only, checks permissions itself (a view
that forgets cannot open a hole), records an :class:`AuditEvent` and never
overwrites history.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cruscotto.core import plan as core
from cruscotto.core.messages import Message
from cruscotto.core.numbers import domain_problem
from cruscotto.core.targets import TargetError, TargetPartlyRead, parse_target
from cruscotto.core.workflow import (
    ACTION_NAMES,
    Action,
    Actor,
    Role,
    State,
    WorkflowError,
    can,
    can_read_drafts,
    next_state,
    submission_problems,
)
from cruscotto.web.accounts.permissions import actor_for
from cruscotto.web.i18n import translate
from cruscotto.web.measurements import certification, results
from cruscotto.web.measurements import models as mm
from cruscotto.web.measurements.choices import PeriodKind
from cruscotto.web.measurements.notifications import notify
from cruscotto.web.measurements.plandata import plan_reads
from cruscotto.web.measurements.selectors import evaluate_indicator
from cruscotto.web.plans import models as pm
from cruscotto.web.plans.selectors import stored_plan
from cruscotto.web.plans.signals import content_changed

__all__ = [
    "COMMAND_LINE",
    "ConflictError",
    "ValueInput",
    "do_add_period",
    "do_certify",
    "do_remove_period",
    "do_reopen",
    "do_return",
    "do_revise_target",
    "do_set_deadline",
    "do_set_value",
    "do_set_values",
    "do_submit",
    "do_validate",
    "ensure_periods",
    "ensure_plan_periods",
]

#: values an indicator's workflow state lets its centre change
_EDITABLE = {State.DRAFT, State.RETURNED}


class ConflictError(Exception):
    """Someone changed the row since the form was opened: nothing was written."""

    def __init__(self, message: str, *, current: Any, version: int) -> None:
        super().__init__(message)
        self.current = current
        self.version = version


@dataclass(frozen=True, slots=True)
class ValueInput:
    """One value to store: what a form row, an upload row or an API call carries."""

    indicator: str
    variable: str
    value: Decimal | bool | None
    note: str = ""
    #: the version the person saw; None skips the conflict check (new value)
    expected_version: int | None = None
    #: where it came from, for error messages ("riga 12")
    where: str = ""


def _event(*, user: Any, plan_id: int, action: str, indicator: str = "",
           period: mm.Period | None = None, field: str = "", old: object = "",
           new: object = "", reason: str = "") -> mm.AuditEvent:
    """An audit event not saved yet (batches write theirs with one bulk insert)."""
    return mm.AuditEvent(
        user=user if getattr(user, "is_authenticated", False) else None,
        username=getattr(user, "username", "") or "", plan_id=plan_id,
        indicator_code=indicator, period=period, action=action, field=field,
        old=_text(old), new=_text(new), reason=reason)


def check_length(text: str, *, limit: int, what: str, where: str = "") -> None:
    """Refuse a free text longer than ``limit`` characters (the trail keeps it forever)."""
    if len(text) > limit:
        raise WorkflowError(
            _("%(where)s%(what)s troppo lungo: %(n)s caratteri, al massimo %(limit)s") % {
                "where": where, "what": what, "n": len(text), "limit": limit})


def _audit(**kwargs: Any) -> None:
    _event(**kwargs).save()


_text = mm.stored_text


# -- periods ----------------------------------------------------------------------

@transaction.atomic
def ensure_periods(*, plan: pm.Plan, interim: Sequence[tuple[int, int]] = ((6, 30),),
                   deadline_days: int = 31) -> list[mm.Period]:
    """Create the periods of ``plan`` that do not exist yet (safe to repeat).

    The year before the plan (baseline, for growth targets), then for every
    plan year its interim dates and its year end; each with a data-entry
    deadline ``deadline_days`` after the date.
    """
    wanted: list[tuple[int, datetime.date, str]] = [
        (min(plan.years) - 1, datetime.date(min(plan.years) - 1, 12, 31), PeriodKind.BASELINE)]
    for y in plan.years:
        wanted += [(y, datetime.date(y, m, d), PeriodKind.INTERIM) for m, d in interim]
        wanted.append((y, datetime.date(y, 12, 31), PeriodKind.YEAR_END))
    out = []
    for year, end, kind in wanted:
        p, _ = mm.Period.objects.get_or_create(
            plan=plan, end_date=end, defaults={
                "year": year, "kind": kind,
                "deadline": end + datetime.timedelta(days=deadline_days)})
        out.append(p)
    return out


def plan_interim_dates(plan: pm.Plan) -> list[tuple[int, int]]:
    """The plan's interim dates as (month, day); unreadable entries are skipped."""
    out = []
    for text in plan.interim_dates or []:
        try:
            month, day = (int(x) for x in str(text).split("-"))
            datetime.date(2000, month, day)  # a leap year: 29/02 is a valid setting
        except ValueError:
            continue
        out.append((month, day))
    return out


@transaction.atomic
def ensure_plan_periods(*, plan: pm.Plan) -> list[mm.Period]:
    """Give a stored plan what it needs to be measured (safe to repeat).

    Always the baseline and the year ends; the interim dates of the plan's
    setting (``Plan.interim_dates``) only when the plan has no periods yet, so
    that an interim date the planning office removed is not brought back by a
    re-import. Deadlines: ``Plan.deadline_days`` after each date.
    """
    first = not mm.Period.objects.filter(plan=plan).exists()
    return ensure_periods(plan=plan, interim=plan_interim_dates(plan) if first else (),
                          deadline_days=plan.deadline_days)


class _CommandLine:
    """Who acts from ``cruscotto periods`` without ``--user``: whoever runs the command
    (they hold the database); the audit trail names the command line."""

    username = "cruscotto (riga di comando)"
    is_authenticated = False

    def __str__(self) -> str:
        return self.username


#: pass as ``user`` for changes made from the command line by the operator
COMMAND_LINE = _CommandLine()


def _require_planning(user: Any, plan_id: int) -> None:
    if user is COMMAND_LINE:
        return
    if not actor_for(user, plan_id).roles & {Role.PLANNING, Role.ADMIN}:
        raise PermissionDenied(_("solo il controllo di gestione configura i periodi"))


def _day(d: datetime.date) -> str:
    return f"{d:%d/%m/%Y}"


@transaction.atomic
def do_add_period(*, user: Any, plan: pm.Plan, end_date: datetime.date,
                  deadline: datetime.date | None, kind: str | None = None) -> mm.Period:
    """Add a measurement period to a plan, with its deadline.

    ``kind`` is an interim date (any day of a plan year but 31/12), a year end
    (31/12 of a plan year) or the baseline (31/12 of the year before the plan);
    without it, 31/12 is a year end and any other day an interim date. The
    planning office only; the date must not be taken; the deadline may not
    precede it.
    """
    _require_planning(user, plan.pk)
    year_end = (end_date.month, end_date.day) == (12, 31)
    if kind is None:
        kind = PeriodKind.YEAR_END if year_end else PeriodKind.INTERIM
    if kind == PeriodKind.BASELINE:
        base = min(plan.years) - 1
        if end_date != datetime.date(base, 12, 31):
            raise WorkflowError(_("l'anno base del piano è al %(date)s, non al %(given)s") % {
                "date": _day(datetime.date(base, 12, 31)), "given": _day(end_date)})
    elif end_date.year not in plan.years:
        raise WorkflowError(_("%(date)s non è in un anno del piano (%(years)s)") % {
            "date": _day(end_date), "years": ", ".join(map(str, plan.years))})
    elif kind == PeriodKind.YEAR_END and not year_end:
        raise WorkflowError(_("la fine anno è il 31/12, non il %(date)s") % {
            "date": _day(end_date)})
    elif kind == PeriodKind.INTERIM and year_end:
        raise WorkflowError(_("il 31/12 è la fine anno, non una data intermedia"))
    if mm.Period.objects.filter(plan=plan, end_date=end_date).exists():
        raise WorkflowError(_("il piano ha già un periodo al %(date)s") % {
            "date": _day(end_date)})
    _check_deadline(end_date, deadline)
    period = mm.Period.objects.create(plan=plan, year=end_date.year, end_date=end_date,
                                      kind=kind, deadline=deadline)
    _audit(user=user, plan_id=plan.pk, action="period_add", period=period, field="period",
           new=_day(end_date), reason=_("scadenza %(date)s") % {
               "date": _day(deadline) if deadline else "—"})
    certification.guard(plan.pk)  # a new year end changes what growth targets read
    results.touched(plan.pk)
    return period


def _check_deadline(end_date: datetime.date, deadline: datetime.date | None) -> None:
    if deadline is not None and deadline < end_date:
        raise WorkflowError(_("la scadenza %(deadline)s precede la data del periodo "
                              "%(date)s") % {"deadline": _day(deadline),
                                             "date": _day(end_date)})


@transaction.atomic
def do_set_deadline(*, user: Any, period: mm.Period, deadline: datetime.date | None
                    ) -> mm.Period:
    """Change a period's data-entry deadline (None: no deadline). The planning office only."""
    _require_planning(user, period.plan_id)
    period = mm.Period.objects.select_for_update().get(pk=period.pk)
    _check_deadline(period.end_date, deadline)
    old = period.deadline
    if old == deadline:
        return period
    period.deadline = deadline
    period.save(update_fields=["deadline"])
    _audit(user=user, plan_id=period.plan_id, action="period_deadline", period=period,
           field="deadline", old=_day(old) if old else "", new=_day(deadline) if deadline else "")
    return period


@transaction.atomic
def do_remove_period(*, user: Any, period: mm.Period) -> None:
    """Remove an interim date. Refused when it holds values or workflow states, and for
    the year end and the baseline (the cycle needs them). The planning office only."""
    _require_planning(user, period.plan_id)
    period = mm.Period.objects.select_for_update().get(pk=period.pk)
    if period.kind != PeriodKind.INTERIM:
        raise WorkflowError(_("il periodo al %(date)s (%(kind)s) non si può togliere: solo "
                              "le date intermedie") % {
            "date": _day(period.end_date), "kind": period.get_kind_display()})
    values = mm.Value.objects.filter(period=period).count()
    states = mm.Measurement.objects.filter(period=period).count()
    if values or states:
        raise WorkflowError(ngettext(
            "il periodo al %(date)s contiene %(n)s valore: non si può togliere",
            "il periodo al %(date)s contiene %(n)s valori: non si può togliere",
            values or states) % {"date": _day(period.end_date), "n": values or states})
    plan_id, day = period.plan_id, _day(period.end_date)
    deadline = period.deadline
    period.delete()
    _audit(user=user, plan_id=plan_id, action="period_remove", field="period", old=day,
           reason=_("scadenza %(date)s") % {"date": _day(deadline) if deadline else "—"})
    certification.guard(plan_id)
    results.touched(plan_id)


# -- values ------------------------------------------------------------------------

def _indicator(plan_id: int, code: str, where: str = "") -> pm.Indicator:
    try:
        return pm.Indicator.objects.get(plan_id=plan_id, code=code)
    except pm.Indicator.DoesNotExist:
        raise WorkflowError(_("%(where)snessun indicatore «%(code)s» nel piano") % {
            "where": where, "code": code}) from None


def _centres(indicator: pm.Indicator) -> list[str]:
    return list(indicator.centres.values_list("name", flat=True))


def _measurement(indicator: pm.Indicator, period: mm.Period, *, lock: bool = False
                 ) -> mm.Measurement:
    qs = mm.Measurement.objects.select_for_update() if lock else mm.Measurement.objects
    obj, _ = qs.get_or_create(indicator=indicator, period=period)
    return obj


def do_set_value(*, user: Any, period: mm.Period, item: ValueInput, reason: str = "",
                 is_demo: bool = False) -> mm.Value:
    """Store one value; see :func:`do_set_values`."""
    return do_set_values(user=user, period=period, items=[item], reason=reason,
                         is_demo=is_demo)[0]


@transaction.atomic
def do_set_values(*, user: Any, period: mm.Period, items: Iterable[ValueInput],
                  reason: str = "", is_demo: bool = False,
                  require_version: bool = False) -> list[mm.Value]:
    """Store values of one period, all or none.

    Refused (nothing written) when: the user is not in a centre of the
    indicator; the indicator does not read the variable; the indicator's
    values are submitted, validated or certified (or another indicator reading
    the same variable has them certified); the value changed since the person
    read it (:class:`ConflictError`, with the current value); with
    ``require_version``, a stored value changed without saying which version
    was read (the API: no blind overwrite). The first item
    refused, in the order given, says why.

    A fixed number of queries whatever the number of items (an upload stores
    thousands): the indicators, their centres, the measurements (locked) and
    the values (locked) are fetched once, the items checked in memory, then
    values, versions and audit events written in bulk.
    """
    items = list(items)
    plan_id = period.plan_id
    actor = actor_for(user, plan_id)
    check_length(reason, limit=mm.REASON_LENGTH, what=_("motivo"))
    if not items:
        return []
    readers_of: dict[str, list[str]] = defaultdict(list)
    for code, names in plan_reads(plan_id).items():
        for name in names:
            readers_of[name].append(code)
    indicators = {i.code: i for i in pm.Indicator.objects.filter(
        plan_id=plan_id, code__in={i.indicator for i in items})}
    # values refer to variables by name (docs/decisions/0001): only declared ones
    declared = set(pm.Variable.objects.filter(plan_id=plan_id).values_list("name", flat=True))
    centres: dict[int, list[str]] = defaultdict(list)
    for ind_id, name in pm.IndicatorCentre.objects.filter(
            indicator__in=list(indicators.values())).order_by(
            "indicator_id", "position").values_list("indicator_id", "centre__name"):
        centres[ind_id].append(name)
    measurements = _measurements(list(indicators.values()), period)
    certified = set(mm.Measurement.objects.filter(
        period=period, indicator__plan_id=plan_id, state=State.CERTIFIED).values_list(
        "indicator__code", flat=True))
    values: dict[str, mm.Value] = {v.variable: v for v in mm.Value.objects.select_for_update()
                                   .filter(period=period,
                                           variable__in={i.variable for i in items})}
    changed_by = user if getattr(user, "is_authenticated", False) else None
    now = timezone.now()
    created: dict[str, mm.Value] = {}
    updated: dict[str, mm.Value] = {}
    versions: list[mm.ValueVersion] = []
    events: list[mm.AuditEvent] = []
    bumps: Counter[int] = Counter()
    out: list[mm.Value] = []
    written: set[str] = set()
    #: variable -> its value before this write (results.ABSENT: none)
    before: dict[str, Any] = {}
    for item in items:
        where = f"{item.where}: " if item.where else ""
        if isinstance(item.value, Decimal) and (problem := domain_problem(item.value)):
            # the last gate: every entry (form, upload, API) checks first, with its words
            raise WorkflowError(f"{where}{item.variable}: {translate(problem)}")
        check_length(item.note, limit=mm.NOTE_LENGTH, what=_("nota"), where=where)
        ind = indicators.get(item.indicator)
        if ind is None:
            raise WorkflowError(_("%(where)snessun indicatore «%(code)s» nel piano") % {
                "where": where, "code": item.indicator})
        owners = centres[ind.pk]
        if not (actor.in_centres(owners) or actor.is_admin):
            raise PermissionDenied(
                _("%(where)sl'indicatore %(code)s è di %(centres)s: non fai parte di quel "
                  "centro") % {"where": where, "code": ind.code, "centres": ", ".join(owners)})
        readers = readers_of.get(item.variable, [])
        if ind.code not in readers:
            raise WorkflowError(
                _("%(where)sl'indicatore %(code)s non legge la variabile «%(var)s»") % {
                    "where": where, "code": ind.code, "var": item.variable})
        if item.variable not in declared:
            raise WorkflowError(_("%(where)sla variabile «%(var)s» non è dichiarata nel piano: "
                                  "si registrano solo valori di variabili dichiarate") % {
                "where": where, "var": item.variable})
        meas = measurements[ind.pk]
        if State(meas.state) not in _EDITABLE:
            raise WorkflowError(f"{where}{ind.code}: {_why_locked(meas)}")
        locked_by = [c for c in readers if c in certified]
        if locked_by:
            raise WorkflowError(ngettext(
                "%(where)sla variabile %(var)s è bloccata: %(codes)s l'ha certificata; una "
                "rettifica prima la riapre",
                "%(where)sla variabile %(var)s è bloccata: %(codes)s l'hanno certificata; "
                "una rettifica prima la riapre", len(locked_by)) % {
                    "where": where, "var": item.variable, "codes": ", ".join(locked_by)})
        value = values.get(item.variable)
        if item.variable in written:
            # the same variable read by several indicators: one write, however many rows
            if value is not None and value.data == item.value and (
                    isinstance(value.data, bool) == isinstance(item.value, bool)):
                out.append(value)
                continue
            raise WorkflowError(
                _("%(where)s%(var)s ha già un altro valore in questo invio: una variabile ha un "
                  "solo valore per periodo") % {"where": where, "var": item.variable})
        written.add(item.variable)
        new_number = item.value if isinstance(item.value, Decimal) else None
        new_yes_no = item.value if isinstance(item.value, bool) else None
        if value is None:
            if item.expected_version not in (None, 0):
                raise ConflictError(
                    _("%(where)sil valore di %(var)s è stato cancellato nel frattempo") % {
                        "where": where, "var": item.variable}, current=None, version=0)
            value = mm.Value(period=period, variable=item.variable, version=0)
            values[item.variable] = created[item.variable] = value
            old = None
            before[item.variable] = results.ABSENT
        else:
            if item.expected_version is None and require_version:
                raise ConflictError(
                    _("%(where)s%(var)s ha già un valore (%(value)s, versione %(version)s): "
                      "indica la versione letta (expected_version) per modificarlo") % {
                        "where": where, "var": item.variable, "value": _shown(value.data),
                        "version": value.version},
                    current=value.data, version=value.version)
            if item.expected_version is not None and item.expected_version != value.version:
                raise ConflictError(
                    _("%(where)s%(var)s è stata modificata nel frattempo da %(who)s: ora vale "
                      "%(value)s (versione %(version)s); la tua modifica non è stata "
                      "salvata") % {
                        "where": where, "var": item.variable,
                        "who": value.updated_by or _("un'altra persona"),
                        "value": _shown(value.data), "version": value.version},
                    current=value.data, version=value.version)
            old = value.data
            if old == item.value and value.note == item.note:
                out.append(value)
                continue
            if value.pk is not None:
                updated[item.variable] = value
            before[item.variable] = old
        value.number, value.yes_no, value.note = new_number, new_yes_no, item.note
        value.version += 1
        value.updated_by = changed_by
        value.updated_at = now
        value.is_demo = is_demo
        versions.append(mm.ValueVersion(
            value=value, version=value.version, number=new_number, yes_no=new_yes_no,
            note=item.note, reason=reason, changed_by=changed_by))
        bumps[meas.pk] += 1
        events.append(_event(user=user, plan_id=plan_id, action="value", indicator=ind.code,
                             period=period, field=item.variable, old=old, new=item.value,
                             reason=reason or item.note))
        out.append(value)
    if not versions:
        return out
    # a value another centre's validated figure reads is theirs to change
    certification.check_validated(plan_id=plan_id, period=period,
                                  variables={v.value.variable for v in versions}, actor=actor)
    _save_values(period, list(created.values()), list(updated.values()))
    mm.ValueVersion.objects.bulk_create(versions)
    by_count: dict[int, list[int]] = defaultdict(list)
    for pk, n in bumps.items():
        by_count[n].append(pk)
    for n, pks in by_count.items():
        mm.Measurement.objects.filter(pk__in=pks).update(version=F("version") + n)
    mm.AuditEvent.objects.bulk_create(events)
    # a certified figure reading one of these values (this year's, or the year a
    # growth target compares with) refuses the whole batch
    certification.guard(plan_id)
    # the stored results of this period and of the later years reading it
    results.touched(plan_id, period, before=before)
    return out


def _measurements(indicators: list[pm.Indicator], period: mm.Period
                  ) -> dict[int, mm.Measurement]:
    """indicator pk -> its measurement in ``period``, created if missing, locked.

    Locked in primary-key order, so that two batches touching the same
    indicators wait for each other instead of deadlocking.
    """
    if not indicators:
        return {}
    ids = [i.pk for i in indicators]
    existing = set(mm.Measurement.objects.filter(
        period=period, indicator_id__in=ids).values_list("indicator_id", flat=True))
    # ignore_conflicts: another batch may create the same row meanwhile
    mm.Measurement.objects.bulk_create(
        [mm.Measurement(indicator_id=pk, period=period) for pk in ids if pk not in existing],
        ignore_conflicts=True)
    return {m.indicator_id: m for m in mm.Measurement.objects.select_for_update().filter(
        period=period, indicator_id__in=ids).order_by("pk")}


def _save_values(period: mm.Period, created: list[mm.Value], updated: list[mm.Value]
                 ) -> None:
    mm.Value.objects.bulk_create(created)
    if any(v.pk is None for v in created):  # a backend that returns no keys on insert
        pks = dict(mm.Value.objects.filter(
            period=period, variable__in=[v.variable for v in created]).values_list(
            "variable", "pk"))
        for v in created:
            v.pk = pks[v.variable]
            v._state.adding = False
    # bulk_update skips auto_now: updated_at is set by the caller
    mm.Value.objects.bulk_update(
        updated, ["number", "yes_no", "note", "version", "updated_by", "updated_at", "is_demo"])


def _why_locked(meas: mm.Measurement) -> str:
    try:
        next_state(State(meas.state), Action.EDIT)
    except WorkflowError as exc:
        return translate(exc)
    return ""


def _shown(v: object) -> str:
    """A value in a message, in the reader's language and number format."""
    from django.utils.formats import number_format

    if v is None:
        return _("vuoto")
    if isinstance(v, bool):
        return _("sì") if v else _("no")
    if isinstance(v, Decimal):
        return number_format(v.normalize(), use_l10n=True, force_grouping=True)
    return str(v)


# -- workflow ------------------------------------------------------------------------

def _act(*, user: Any, period: mm.Period, indicator: str, action: Action,
         expected_version: int | None, reason: str = "", **changes: str) -> mm.Measurement:
    plan_id = period.plan_id
    ind = _indicator(plan_id, indicator)
    meas = _measurement(ind, period, lock=True)
    actor = actor_for(user, plan_id)
    state = State(meas.state)
    owners = _centres(ind)
    if not can(actor, action, centres=owners, state=state):
        # the person's role may do it in another state: the state is why (400); a role
        # that may never do it (an officer certifying) is refused as such (403)
        if any(can(actor, action, centres=owners, state=s) for s in State):
            next_state(state, action)  # says why the state forbids it
        raise PermissionDenied(_("%(code)s: non puoi %(action)s") % {
            "code": ind.code, "action": translate(Message(ACTION_NAMES[action]))})
    if expected_version is not None and expected_version != meas.version:
        raise ConflictError(
            _("%(code)s è stato modificato nel frattempo (ora %(state)s, versione "
              "%(version)s): ricarica la pagina") % {
                "code": ind.code, "state": meas.get_state_display(), "version": meas.version},
            current=meas.state, version=meas.version)
    new_state = next_state(state, action)
    for k, v in changes.items():
        setattr(meas, k, v)
    meas.state = new_state.value
    meas.version += 1
    meas.updated_by = user if getattr(user, "is_authenticated", False) else None
    meas.save()
    _audit(user=user, plan_id=plan_id, action=action.value, indicator=ind.code,
           period=period, field="state", old=state.value, new=new_state.value, reason=reason)
    notify(action=action, measurement=meas, reason=reason)  # mailed on commit
    results.touched(plan_id, period, reads=False)  # who may see the figures changed
    return meas


@transaction.atomic
def do_submit(*, user: Any, period: mm.Period, indicator: str, gap_explanation: str = "",
              forecast: str = "", expected_version: int | None = None) -> mm.Measurement:
    """The centre sends the values to the planning office.

    Refused while an input is missing, or when the target is missed and the
    gap is not explained.
    """
    check_length(gap_explanation, limit=mm.EXPLANATION_LENGTH,
                 what=_("motivazione dello scostamento"), where=f"{indicator}: ")
    check_length(forecast, limit=mm.EXPLANATION_LENGTH, what=_("previsione di fine anno"),
                 where=f"{indicator}: ")
    result = evaluate_indicator(plan_id=period.plan_id, period=period, code=indicator,
                                include_drafts=True, fresh=True)
    missing = [f"{n} ({y})" for n, y in getattr(result, "missing", ())]
    problems = submission_problems(met=getattr(result, "met", None),
                                   explanation=gap_explanation, missing=missing,
                                   interim=period.is_interim, forecast=forecast)
    if problems:
        raise WorkflowError(f"{indicator}: " + "; ".join(translate(p) for p in problems))
    return _act(user=user, period=period, indicator=indicator, action=Action.SUBMIT,
                expected_version=expected_version, gap_explanation=gap_explanation,
                forecast=forecast, return_reason="")


@transaction.atomic
def do_validate(*, user: Any, period: mm.Period, indicator: str,
                expected_version: int | None = None) -> mm.Measurement:
    return _act(user=user, period=period, indicator=indicator, action=Action.VALIDATE,
                expected_version=expected_version)


@transaction.atomic
def do_return(*, user: Any, period: mm.Period, indicator: str, reason: str,
              expected_version: int | None = None) -> mm.Measurement:
    if not reason.strip():
        raise WorkflowError(_("%(code)s: indica perché restituisci i valori") % {
            "code": indicator})
    check_length(reason, limit=mm.REASON_LENGTH, what=_("motivo"), where=f"{indicator}: ")
    return _act(user=user, period=period, indicator=indicator, action=Action.RETURN,
                expected_version=expected_version, reason=reason, return_reason=reason)


@transaction.atomic
def do_certify(*, user: Any, period: mm.Period, indicator: str,
               expected_version: int | None = None) -> mm.Measurement:
    meas = _act(user=user, period=period, indicator=indicator, action=Action.CERTIFY,
                expected_version=expected_version)
    certification.record(plan_id=period.plan_id, period=period, code=indicator, user=user)
    return meas


@transaction.atomic
def do_reopen(*, user: Any, period: mm.Period, indicator: str, reason: str,
              expected_version: int | None = None) -> mm.Measurement:
    """Reopen certified values for a correction; the certified versions stay in history."""
    if not reason.strip():
        raise WorkflowError(
            _("%(code)s: la rettifica di valori certificati richiede un motivo") % {
                "code": indicator})
    check_length(reason, limit=mm.REASON_LENGTH, what=_("motivo"), where=f"{indicator}: ")
    meas = _act(user=user, period=period, indicator=indicator, action=Action.REOPEN,
                expected_version=expected_version, reason=reason)
    certification.supersede(period=period, code=indicator, user=user, reason=reason)
    return meas


@dataclass(frozen=True, slots=True)
class BulkItem:
    """One measurement of a bulk action, with the version the person confirmed."""

    period: mm.Period
    indicator: str
    expected_version: int | None


@transaction.atomic
def do_bulk(*, user: Any, action: Action, items: Sequence[BulkItem]) -> list[mm.Measurement]:
    """Validate or certify several measurements at once: all of them or none.

    Each goes through the same service as on its own page (permission, state,
    version); the first refusal undoes the others. Returning is never done in
    bulk: each return needs its own reason.
    """
    with results.batch():  # recomputed once, at the end
        return _bulk(user=user, action=action, items=items)


def _bulk(*, user: Any, action: Action, items: Sequence[BulkItem]) -> list[mm.Measurement]:
    services = {Action.VALIDATE: do_validate, Action.CERTIFY: do_certify}
    if action not in services:
        raise WorkflowError(_("Solo la validazione e la certificazione si fanno in blocco."))
    if not items:
        raise WorkflowError(_("Scegli almeno un indicatore."))
    done = []
    for i in items:
        try:
            done.append(services[action](user=user, period=i.period, indicator=i.indicator,
                                         expected_version=i.expected_version))
        except WorkflowError as exc:  # name the indicator: the list has many
            raise WorkflowError(f"{i.indicator}: {translate(exc)}") from None
    return done


#: the longest comment
COMMENT_LENGTH = 2000


@transaction.atomic
def do_comment(*, user: Any, period: mm.Period, indicator: str, text: str) -> mm.AuditEvent:
    """A message in the thread of an indicator and period, between its centre, the
    planning office and the OIV; kept in the audit trail, never changed."""
    ind = _indicator(period.plan_id, indicator)
    actor = actor_for(user, period.plan_id)
    if not can_read_drafts(actor, centres=_centres(ind)):
        raise PermissionDenied(_("%(code)s: commentano solo il suo centro, il controllo di "
                                 "gestione e l'OIV") % {"code": ind.code})
    text = text.strip()
    if not text:
        raise WorkflowError(_("Scrivi il commento."))
    if len(text) > COMMENT_LENGTH:
        raise WorkflowError(_("Il commento supera i %(n)s caratteri (ne ha %(len)s).") % {
            "n": COMMENT_LENGTH, "len": len(text)})
    event = _event(user=user, plan_id=period.plan_id, action="comment", indicator=ind.code,
                   period=period, new=text)
    event.save()
    return event


# -- target revisions ----------------------------------------------------------------

@transaction.atomic
def do_revise_target(*, user: Any, plan_id: int, indicator: str, year: int, text: str,
                     justification: str, revised_on: datetime.date | None = None
                     ) -> mm.TargetRevision:
    """Record a *rimodulazione*: a new version of the target, with its justification."""
    actor: Actor = actor_for(user, plan_id)
    if not actor.roles & {Role.PLANNING, Role.ADMIN}:
        raise PermissionDenied(_("solo il controllo di gestione rimodula i target"))
    if not justification.strip():
        raise WorkflowError(
            _("%(code)s %(year)s: la rimodulazione del target richiede una motivazione") % {
                "code": indicator, "year": year})
    where = f"{indicator} {year}: "
    check_length(justification, limit=mm.EXPLANATION_LENGTH, what=_("motivazione"),
                 where=where)
    check_length(text, limit=mm.TARGET_LENGTH, what=_("target"), where=where)
    ind = _indicator(plan_id, indicator)
    plan = pm.Plan.objects.get(pk=plan_id)
    if year not in plan.years:
        raise WorkflowError(_("%(year)s non è un anno del piano") % {"year": year})
    core_ind: core.Indicator = stored_plan(plan_id).indicator(indicator)
    try:
        # read as the engine will score it: for that year ("rispetto al 2021" in 2022)
        parse_target(text, unit=core_ind.unit,
                     polarity=core_ind.polarity or core.Polarity.HIGHER_IS_BETTER, year=year)
    except TargetPartlyRead as exc:
        raise WorkflowError(
            _("%(code)s %(year)s: il target rimodulato non si legge: %(why)s") % {
                "code": indicator, "year": year,
                "why": translate(exc.finding_text(year))}) from None
    except TargetError as exc:
        raise WorkflowError(
            _("%(code)s %(year)s: il target rimodulato non si legge: %(why)s") % {
                "code": indicator, "year": year, "why": exc.describe()}) from None
    last = mm.TargetRevision.objects.filter(indicator=ind, year=year).order_by(
        "-revised_at", "-pk").first()
    previous = last.text if last else core_ind.targets.get(year, "")
    rev = mm.TargetRevision.objects.create(
        indicator=ind, year=year, previous_text=previous, text=text,
        justification=justification, revised_on=revised_on or datetime.date.today(),
        revised_by=user if getattr(user, "is_authenticated", False) else None)
    _audit(user=user, plan_id=plan_id, action="target_revision", indicator=indicator,
           field=f"target {year}", old=previous, new=text, reason=justification)
    # a new plan revision; refused if a certified figure reads this target
    content_changed(plan_id)
    return rev


# -- evidence ------------------------------------------------------------------------

@transaction.atomic
def do_attach_evidence(*, user: Any, period: mm.Period, indicator: str, variable: str,
                       upload: Any) -> mm.Evidence:
    """Attach a supporting document to a value, through Django's storage API.

    Same rights as changing the value (the indicator's centre, while the values
    are a draft or returned); size and type limited by the settings
    ``CRUSCOTTO_EVIDENCE_MAX_BYTES`` and ``CRUSCOTTO_EVIDENCE_TYPES``.
    """
    import os

    from django.conf import settings

    plan_id = period.plan_id
    ind = _indicator(plan_id, indicator)
    actor = actor_for(user, plan_id)
    meas = _measurement(ind, period, lock=True)
    if not can(actor, Action.EDIT, centres=_centres(ind), state=State(meas.state)):
        if not (actor.in_centres(_centres(ind)) or actor.is_admin):
            raise PermissionDenied(_("%(code)s: non fai parte del suo centro") % {
                "code": ind.code})
        raise WorkflowError(f"{ind.code}: {_why_locked(meas)}")
    if variable not in plan_reads(plan_id).get(ind.code, ()):
        raise WorkflowError(_("l'indicatore %(code)s non legge la variabile «%(var)s»") % {
            "code": ind.code, "var": variable})
    value = mm.Value.objects.filter(period=period, variable=variable).first()
    if value is None:
        raise WorkflowError(_("%(var)s: inserisci il valore prima di allegare un documento")
                            % {"var": variable})
    name = os.path.basename(getattr(upload, "name", "") or "documento")
    if len(name) > mm.FILE_NAME_LENGTH:
        raise WorkflowError(
            _("il nome del file è troppo lungo: %(n)s caratteri, al massimo %(limit)s") % {
                "n": len(name), "limit": mm.FILE_NAME_LENGTH})
    ext = os.path.splitext(name)[1].lower()
    allowed = settings.CRUSCOTTO_EVIDENCE_TYPES
    if ext not in allowed:
        raise WorkflowError(_("%(name)s: tipo di file non accettato; sono accettati: "
                              "%(types)s") % {"name": name, "types": ", ".join(sorted(allowed))})
    limit = settings.CRUSCOTTO_EVIDENCE_MAX_BYTES
    if upload.size > limit:
        raise WorkflowError(_("%(name)s: %(size)s byte, più dei %(max)s ammessi") % {
            "name": name, "size": _shown(Decimal(upload.size)),
            "max": _shown(Decimal(limit))})
    ev = mm.Evidence(value=value, name=name, size=upload.size, content_type=allowed[ext],
                     uploaded_by=user if getattr(user, "is_authenticated", False) else None)
    ev.file.save(name, upload, save=False)
    ev.save()
    _audit(user=user, plan_id=plan_id, action="evidence", indicator=ind.code, period=period,
           field=variable, new=name)
    return ev
