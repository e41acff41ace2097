"""Authoring a plan: storing it with its history, adopting, publishing, rolling it on.

Every change of a stored plan's content made by a person — an import from the
command line, a workbook uploaded in the browser, a save in the plan editor,
a rolled plan — goes through :func:`store_plan`:

* the plan is compared, field by field, with the plan in force
  (:func:`cruscotto.io.plan_diff.diff_plans`); every difference is an audit
  event;
* a *draft* plan changes freely;
* an *adopted* plan (by an act: :func:`adopt`) keeps its adopted targets: a
  changed target becomes a target revision (*rimodulazione*) with the reason
  given, which is required; every change adds a :class:`~.models.PlanVersion`
  with the differences, so that versions can be compared;
* the layers above may refuse the change (a certified figure would move:
  ``signals.content_changed``), and then nothing is written.

The plans app's own write path stays :func:`.services.write_plan`; this
module adds what a person's change needs around it (the periods, the target
revisions and the audit trail of the measurements app).
"""

from __future__ import annotations

import copy
import datetime
import re
from dataclasses import dataclass, field, replace
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max, ProtectedError, RestrictedError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cruscotto.core import plan as core
from cruscotto.core.findings import Finding, Severity
from cruscotto.core.lint import lint_plan
from cruscotto.core.targets import TargetError, TargetPartlyRead, parse_target
from cruscotto.core.workflow import Role
from cruscotto.io.interchange import plan_to_dict
from cruscotto.io.plan_diff import ADDED, CHANGED, REMOVED, Change, diff_plans
from cruscotto.web.accounts.permissions import actor_for, organisations_with_role
from cruscotto.web.i18n import translate
from cruscotto.web.plans import models as m
from cruscotto.web.plans import services, signals
from cruscotto.web.plans.choices import PlanStatusChoices
from cruscotto.web.plans.selectors import stored_plan

from . import models as mm
from .readings import reading_sources
from .selectors import effective_plan
from .services import COMMAND_LINE, ensure_plan_periods

__all__ = ["CHANGED", "AuthoringError", "Stored", "adopt", "finding_text", "in_force", "lint",
           "lint_errors", "may_author", "parse_years", "publish",
           "roll_plan", "store_plan"]

#: the audit trail's field column
_FIELD_LENGTH = 100


class AuthoringError(Exception):
    """A change refused; ``problems`` says why, each in the reader's language."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = list(problems)
        super().__init__("; ".join(self.problems))


@dataclass
class Stored:
    """What :func:`store_plan` did."""

    plan: m.Plan
    created: bool
    changes: list[Change] = field(default_factory=list)
    version: m.PlanVersion | None = None
    revisions: int = 0


# -- who ---------------------------------------------------------------------------------

def may_author(user: Any, plan_id: int = 0, organisation_id: int = 0) -> bool:
    """The planning office and administrators write plans (import, edit, adopt, roll):
    of the plan's organisation for a stored plan (``plan_id``), of the organisation
    for its new plan (``organisation_id``); a plan of an organisation not yet stored,
    anyone who is planning office or administrator of some organisation."""

    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if plan_id:
        return bool(actor_for(user, plan_id).roles & {Role.PLANNING, Role.ADMIN})
    if getattr(user, "is_superuser", False):
        return True
    mine = organisations_with_role(user, Role.PLANNING, Role.ADMIN)
    return organisation_id in mine if organisation_id else bool(mine)


def _check(user: Any, plan_id: int = 0, organisation_id: int = 0) -> None:
    """``user`` is a person who may author (``None``: the operator at the command line)."""
    if user is not None and not may_author(user, plan_id, organisation_id):
        raise PermissionDenied(_("Solo il controllo di gestione e gli amministratori "
                                 "modificano i piani."))


def _username(user: Any) -> str:
    if user is None:

        return COMMAND_LINE.username
    return str(getattr(user, "username", "") or "")


# -- the lint ----------------------------------------------------------------------------

def lint(plan: core.Plan, plan_id: int = 0) -> list[Finding]:
    """The plan's lint; for a stored plan (``plan_id``) the structured readings say who
    set them and when (from the audit trail)."""
    if plan_id and any(ind.readings for ind in plan.indicators):
        return lint_plan(plan, reading_sources=reading_sources(plan_id, plan))
    return lint_plan(plan)


def lint_errors(plan: core.Plan) -> list[Finding]:
    return [f for f in lint_plan(plan) if f.severity is Severity.ERROR]


def finding_text(f: Finding) -> str:
    """A finding for people: its translated message when it has one."""
    return translate(f.text) if f.text is not None else f.message


# -- storing -----------------------------------------------------------------------------

def _existing(plan: core.Plan, key: str | None) -> m.Plan | None:
    """The stored plan ``plan`` would replace (same organisation and years, as
    ``write_plan`` matches it)."""
    if not plan.years:
        return None
    org = plan.organisation
    rows = m.Plan.objects.filter(first_year=min(plan.years), last_year=max(plan.years))
    rows = (rows.filter(organisation__code=org.code) if org.code
            else rows.filter(organisation__code="", organisation__name=org.name))
    return rows.first()


def _organisation_id(plan: core.Plan) -> int:
    """The stored organisation of ``plan`` (0: not stored yet), as ``write_plan`` finds it."""
    org = plan.organisation
    rows = (m.Organisation.objects.filter(code=org.code) if org.code
            else m.Organisation.objects.filter(code="", name=org.name))
    return rows.values_list("pk", flat=True).first() or 0


def in_force(plan_id: int) -> core.Plan:
    """The plan as it is in force: targets as revised."""

    return effective_plan(plan_id)


def _check_target(plan: core.Plan, code: str, year: int, text: str) -> str | None:
    ind = plan.indicator(code)
    try:
        parse_target(text, unit=ind.unit,
                     polarity=ind.polarity or core.Polarity.HIGHER_IS_BETTER, year=year)
    except TargetPartlyRead as exc:
        return _("%(code)s %(year)s: il target «%(text)s» non si legge: %(why)s") % {
            "code": code, "year": year, "text": text, "why": translate(exc.finding_text(year))}
    except TargetError as exc:
        return _("%(code)s %(year)s: il target «%(text)s» non si legge: %(why)s") % {
            "code": code, "year": year, "text": text, "why": exc.describe()}
    return None


@transaction.atomic
def store_plan(*, plan: core.Plan, user: Any = None, key: str | None = None,
               reason: str = "", action: str = "import", target: m.Plan | None = None,
               settings: dict[str, Any] | None = None) -> Stored:
    """Store ``plan`` (new, or replacing the stored plan of its organisation and years).

    ``user`` is the person (``None``: the operator at the command line);
    ``reason`` is required when an adopted plan's targets change (it is the
    revisions' justification) and kept with the version. ``target``, when
    given, is the stored plan the change is meant for: a plan of other years
    or of another organisation is refused rather than stored beside it.
    Raises :class:`AuthoringError`, ``core.PlanError`` or ``signals.ChangeRefused``
    and writes nothing.
    """

    reason = reason.strip()
    if len(reason) > mm.EXPLANATION_LENGTH:
        raise AuthoringError([_("Il motivo è troppo lungo: al massimo %(n)s caratteri.") % {
            "n": mm.EXPLANATION_LENGTH}])
    existing = _existing(plan, key)
    _check(user, existing.pk if existing is not None else 0,
           0 if existing is not None else _organisation_id(plan))
    if target is not None and (existing is None or existing.pk != target.pk):
        raise AuthoringError([_(
            "Il file è un altro piano (ente o anni diversi da «%(title)s»): per un piano "
            "nuovo usa l'importazione dalla pagina iniziale.") % {"title": target.title}])
    before = plan_to_dict(in_force(existing.pk)) if existing is not None else None
    after = plan_to_dict(plan)
    changes = diff_plans(before, after) if before is not None else []
    if existing is not None and existing.is_adopted and not reason and any(
            c.entity == "indicator" and c.field.startswith("readings.") for c in changes):
        raise AuthoringError([_("Il piano è adottato: cambiare la lettura di un target ne "
                                "cambia la valutazione e richiede una motivazione.")])
    to_write, revisions = plan, []
    if existing is not None and existing.is_adopted:
        to_write, revisions = _keep_adopted_targets(existing, plan, changes, reason)
    try:
        stored = services.write_plan(plan=to_write, key=key)
    except (ProtectedError, RestrictedError) as exc:
        raise AuthoringError([_removal_refused(exc)]) from None
    if settings and existing is None:  # a rolled plan: its predecessor's settings
        for name, value in settings.items():
            setattr(stored, name, value)
        stored.save(update_fields=[*settings, "updated_at"])
    ensure_plan_periods(plan=stored)
    if revisions:
        by_code = dict(m.Indicator.objects.filter(plan=stored).values_list("code", "pk"))
        mm.TargetRevision.objects.bulk_create([
            mm.TargetRevision(indicator_id=by_code[c.code], year=int(c.field.split(".")[1]),
                              previous_text=c.old, text=c.new, justification=reason,
                              revised_on=datetime.date.today(),
                              revised_by=user if getattr(user, "is_authenticated", False)
                              else None)
            for c in revisions])
        signals.content_changed(stored.pk)  # the guard reads the revised targets
    result = Stored(stored, existing is None, changes, revisions=len(revisions))
    _audit_changes(stored, user, action, reason, changes, created=existing is None)
    if existing is not None and existing.is_adopted and changes:
        result.version = _new_version(stored, user, action, reason, changes, before)
    return result


def _removal_refused(exc: ProtectedError | RestrictedError) -> str:
    """What cannot be removed from the plan, because measurement refers to it."""
    objs = exc.protected_objects if isinstance(exc, ProtectedError) else exc.restricted_objects
    what = sorted({str(getattr(o, "indicator", o)) for o in objs})
    return _("Non si può togliere dal piano ciò a cui si riferiscono valori o misurazioni: "
             "%(what)s. Lascialo nel piano (con peso 0 non conta nei risultati).") % {
        "what": "; ".join(what[:10]) + ("…" if len(what) > 10 else "")}


def _keep_adopted_targets(db: m.Plan, plan: core.Plan, changes: list[Change], reason: str
                          ) -> tuple[core.Plan, list[Change]]:
    """The plan to write, with the adopted targets of its indicators kept, and the
    target changes to record as revisions (refused without a reason)."""

    added = {c.code for c in changes
             if c.entity == "indicator" and c.kind == ADDED and not c.field}
    targets = [c for c in changes if c.is_target and c.code not in added]
    problems = []
    for c in targets:
        year = c.field.split(".")[1]
        if not c.new:
            problems.append(_("%(code)s: il target %(year)s non si può togliere da un piano "
                              "adottato; rimodulalo") % {"code": c.code, "year": year})
        elif len(c.new) > mm.TARGET_LENGTH:
            problems.append(_("%(code)s %(year)s: target troppo lungo, al massimo %(n)s "
                              "caratteri") % {"code": c.code, "year": year,
                                              "n": mm.TARGET_LENGTH})
        else:
            why = _check_target(plan, c.code, int(year), c.new)
            if why:
                problems.append(why)
    if targets and not reason:
        problems.append(ngettext(
            "Il piano è adottato: il target cambiato è una rimodulazione e richiede una "
            "motivazione (%(list)s).",
            "Il piano è adottato: i %(n)s target cambiati sono rimodulazioni e richiedono "
            "una motivazione (%(list)s).", len(targets)) % {
            "n": len(targets),
            "list": ", ".join(f"{c.code} {c.field.split('.')[1]}" for c in targets[:10])})
    if problems:
        raise AuthoringError(problems)
    if not targets and not any(c.is_target for c in changes):
        return plan, []
    adopted = stored_plan(db.pk)
    out = copy.deepcopy(plan)
    for ind in out.indicators:
        if ind.code in added:
            continue
        try:
            ind.targets = dict(adopted.indicator(ind.code).targets)
        except KeyError:
            continue
    return out, targets


def _audit_changes(db: m.Plan, user: Any, action: str, reason: str, changes: list[Change],
                   *, created: bool) -> None:

    who = user if getattr(user, "is_authenticated", False) else None
    name = _username(user)
    if created:
        events = [mm.AuditEvent(user=who, username=name, plan=db, action=f"plan_{action}",
                                field="piano", new=db.title, reason=reason)]
    else:
        events = [mm.AuditEvent(
            user=who, username=name, plan=db, action=f"plan_{action}",
            indicator_code=c.code[:50] if c.entity == "indicator" else "",
            field=f"{c.entity} {c.code} {c.field}".strip()[:_FIELD_LENGTH],
            old=c.old if c.kind != ADDED else "", new=c.new if c.kind != REMOVED else "",
            reason=reason) for c in changes]
    mm.AuditEvent.objects.bulk_create(events)


def _next_number(db: m.Plan) -> int:
    return int(m.PlanVersion.objects.filter(plan=db).aggregate(n=Max("number"))["n"] or 0) + 1


def _new_version(db: m.Plan, user: Any, action: str, reason: str, changes: list[Change],
                 before: dict[str, Any] | None) -> m.PlanVersion:
    if not m.PlanVersion.objects.filter(plan=db).exists() and before is not None:
        # adopted before versions were kept: the plan as it was is version 1
        m.PlanVersion.objects.create(plan=db, number=1, username="", action="adopted",
                                     snapshot=before, changes=[])
    return m.PlanVersion.objects.create(
        plan=db, number=_next_number(db), username=_username(user), action=action,
        reason=reason, snapshot=plan_to_dict(in_force(db.pk)),
        changes=[c.as_dict() for c in changes])


def record_change(plan_id: int, *, user: Any, action: str) -> m.PlanVersion | None:
    """After a change made outside :func:`store_plan` (the admin): the differences
    from the last version, audited, and for an adopted plan its next version."""
    db = m.Plan.objects.get(pk=plan_id)
    last = m.PlanVersion.objects.filter(plan=db).order_by("-number").first()
    if not db.is_adopted or last is None:
        return None
    changes = diff_plans(last.snapshot, plan_to_dict(in_force(db.pk)))
    if not changes:
        return None
    _audit_changes(db, user, action, "", changes, created=False)
    return _new_version(db, user, action, "", changes, last.snapshot)


# -- lifecycle ---------------------------------------------------------------------------

@transaction.atomic
def adopt(*, plan: m.Plan, act: str, on: datetime.date, user: Any = None) -> m.Plan:
    """Adopt a draft plan by an act (number and date); refused while the lint finds errors.

    The plan as adopted is version 1; from now on its targets change through
    revisions and every change is a new version.
    """

    _check(user, plan.pk)
    db = m.Plan.objects.select_for_update().get(pk=plan.pk)
    act = act.strip()
    problems = []
    if db.is_adopted:
        problems.append(_("Il piano è già adottato (%(act)s).") % {"act": db.adoption_act})
    if not act:
        problems.append(_("Scrivi il numero dell'atto di adozione (per esempio «Delibera "
                          "di Giunta n. 45/2021»)."))
    elif len(act) > m.ACT_LENGTH:
        problems.append(_("Il numero dell'atto è troppo lungo: al massimo %(n)s caratteri.")
                        % {"n": m.ACT_LENGTH})
    current = in_force(db.pk)
    errors = lint_errors(current)
    if errors:
        problems.append(ngettext(
            "Il controllo del piano trova %(n)s errore: correggilo prima di adottare il "
            "piano.",
            "Il controllo del piano trova %(n)s errori: correggili prima di adottare il "
            "piano.", len(errors)) % {"n": len(errors)})
    if problems:
        raise AuthoringError(problems)
    db.status, db.adoption_act, db.adopted_on = PlanStatusChoices.ADOPTED, act, on
    db.save(update_fields=["status", "adoption_act", "adopted_on", "updated_at"])
    m.PlanVersion.objects.create(plan=db, number=_next_number(db), username=_username(user),
                                 action="adopted", reason=act,
                                 snapshot=plan_to_dict(current), changes=[])
    mm.AuditEvent.objects.create(
        user=user if getattr(user, "is_authenticated", False) else None,
        username=_username(user), plan=db, action="plan_adopted", field="atto di adozione",
        new=f"{act} ({on:%d/%m/%Y})")
    return db


@transaction.atomic
def publish(*, plan: m.Plan, published: bool, user: Any = None) -> m.Plan:
    """Publish an adopted plan (or withdraw it), with an audit event."""

    _check(user, plan.pk)
    if published and not plan.is_adopted:
        raise AuthoringError([_("Si pubblica un piano adottato: adotta prima il piano.")])
    db = services.set_published(plan=plan, published=published, user=user)
    mm.AuditEvent.objects.create(
        user=user if getattr(user, "is_authenticated", False) else None,
        username=_username(user), plan=db,
        action="plan_published" if published else "plan_withdrawn", field="pubblicato",
        new="sì" if published else "no")
    return db


# -- the rolling plan --------------------------------------------------------------------

_YEARS = re.compile(r"^\s*(\d{4})\s*[-–]\s*(\d{4})\s*$")


def parse_years(text: str) -> list[int]:
    """``2022-2024`` -> [2022, 2023, 2024]; refused unless a range of 1 to 10 years."""
    match = _YEARS.match(text or "")
    if not match or not 0 <= int(match[2]) - int(match[1]) < 10:
        raise AuthoringError([_("Anni «%(text)s»: scrivi il primo e l'ultimo anno, come "
                                "2022-2024.") % {"text": (text or "")[:20]}])
    return list(range(int(match[1]), int(match[2]) + 1))


def _rolled_title(title: str, old: list[int], new: list[int]) -> str:
    span = f"{min(old)}-{max(old)}"
    if span in title:
        return title.replace(span, f"{min(new)}-{max(new)}")
    return f"{title} {min(new)}-{max(new)}"


@transaction.atomic
def roll_plan(*, plan: m.Plan, years: list[int], copy_targets: bool = False,
              key: str | None = None, user: Any = None) -> Stored:
    """The next plan made from ``plan``: same objectives, indicators, variables and
    centres, for ``years``.

    Each indicator keeps its identity (``Indicator.identity``), so the new plan's
    pages read its series across both plans; the new plan's first year reads the
    old plan's last values (growth targets). Targets of years both plans share
    are carried over; the other years are left to fill, or with
    ``copy_targets`` get the old plan's last target. The new plan is a draft;
    the old one is not touched.
    """
    _check(user, plan.pk)
    old = in_force(plan.pk)
    problems = []
    if min(years) <= plan.first_year:
        problems.append(_("Il nuovo piano deve cominciare dopo il %(year)s, primo anno del "
                          "piano di partenza.") % {"year": plan.first_year})
    if _existing(replace(old, years=years), None) is not None:
        problems.append(_("Un piano %(first)s-%(last)s di questo ente esiste già.") % {
            "first": min(years), "last": max(years)})
    if problems:
        raise AuthoringError(problems)
    new = copy.deepcopy(old)
    new.years = list(years)
    new.title = _rolled_title(old.title, list(old.years), years)
    last = max(old.years)
    for ind in new.indicators:
        previous = ind.targets
        ind.targets = {y: t for y, t in previous.items() if y in years}
        if copy_targets and last in previous:
            for y in years:
                ind.targets.setdefault(y, previous[last])
    result = store_plan(plan=new, user=user, key=key, action="roll", settings={
        "previous": plan, "interim_dates": plan.interim_dates,
        "deadline_days": plan.deadline_days})
    db = result.plan
    identities = dict(m.Indicator.objects.filter(plan=plan).values_list("code", "identity"))
    rows = list(m.Indicator.objects.filter(plan=db, code__in=identities))
    for row in rows:
        row.identity = identities[row.code]
    m.Indicator.objects.bulk_update(rows, ["identity"])
    return result
