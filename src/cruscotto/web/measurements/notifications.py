"""E-mails: the daily digest of reminders (``cruscotto remind``) and workflow notices.

Each person gets at most one digest a day, in their own language: what is
due in 7 days or tomorrow, what is overdue, what was returned to them, and
what waits in their queue (to validate, to certify). Every mail sent is
recorded (:class:`~cruscotto.web.measurements.models.SentMail`); the digest's
record is unique per person and day, so running ``remind`` twice sends
nothing new.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from cruscotto.core.workflow import Action, Role
from cruscotto.web.accounts.permissions import actor_for, organisations_with_role
from cruscotto.web.measurements import models as mm
from cruscotto.web.measurements import selectors
from cruscotto.web.plans import models as pm


def language_of(user: Any) -> str:
    pref = mm.MailPreference.objects.filter(user=user).values_list("language", flat=True).first()
    return pref or "it"


@dataclass
class PlanDigest:
    """What one plan asks of one person today."""

    plan: pm.Plan
    in_a_week: list[selectors.Update] = field(default_factory=list)
    tomorrow: list[selectors.Update] = field(default_factory=list)
    overdue: list[selectors.Update] = field(default_factory=list)
    returned: list[selectors.Update] = field(default_factory=list)
    to_validate: int = 0
    to_certify: int = 0

    @property
    def empty(self) -> bool:
        return not (self.in_a_week or self.tomorrow or self.overdue or self.returned
                    or self.to_validate or self.to_certify)


def digest_for(*, user: Any, plan: pm.Plan, today: datetime.date) -> PlanDigest:
    queue = selectors.queue(user=user, plan_id=plan.pk, actor=actor_for(user, plan.pk),
                            today=today)
    d = PlanDigest(plan, to_validate=len(queue.to_validate), to_certify=len(queue.to_certify))
    for u in queue.to_fill:
        if u.state.value == "returned":
            d.returned.append(u)
        deadline = u.period.deadline
        if deadline is None:
            continue
        if deadline < today:
            d.overdue.append(u)
        elif deadline == today + datetime.timedelta(days=1):
            d.tomorrow.append(u)
        elif deadline == today + datetime.timedelta(days=7):
            d.in_a_week.append(u)
    return d


@dataclass(frozen=True)
class Outcome:
    username: str
    to: str
    subject: str
    sent: bool
    #: why nothing was sent (already sent today, nothing to say, no address)
    skipped: str = ""


def _people() -> list[Any]:
    """Everyone with a role or a centre, who may be reminded of something."""
    User = get_user_model()
    ids = set(mm.OrgRole.objects.values_list("user_id", flat=True)) | set(
        mm.CentreMembership.objects.values_list("user_id", flat=True))
    return list(User.objects.filter(pk__in=ids, is_active=True).order_by("username"))


def send_reminders(*, today: datetime.date, dry_run: bool = False) -> list[Outcome]:
    """Send each person their digest for ``today`` (once); what was sent or skipped."""
    plans = list(pm.Plan.objects.order_by("key"))
    out: list[Outcome] = []
    for user in _people():
        digests = [d for d in (digest_for(user=user, plan=p, today=today) for p in plans)
                   if not d.empty]
        if not digests:
            continue
        key = f"digest:{user.pk}:{today.isoformat()}"
        with translation.override(language_of(user)):
            subject = _("Cruscotto: promemoria del %(day)s") % {"day": f"{today:%d/%m/%Y}"}
            body = render_to_string("measurements/mail/digest.txt", {
                "user": user, "digests": digests, "today": today,
                "site": getattr(settings, "CRUSCOTTO_SITE_URL", "")})
        if not user.email:
            out.append(Outcome(user.username, "", subject, False, "no address"))
            continue
        if mm.SentMail.objects.filter(key=key).exists():
            out.append(Outcome(user.username, user.email, subject, False, "already sent"))
            continue
        if dry_run:
            out.append(Outcome(user.username, user.email, subject, False, "dry run"))
            continue
        try:
            with transaction.atomic():
                # recorded first: a second `remind` running at once stops here
                mm.SentMail.objects.create(kind="digest", user=user, to=user.email,
                                           subject=subject, body=body, key=key)
                send_mail(subject, body, None, [user.email])
        except IntegrityError:
            out.append(Outcome(user.username, user.email, subject, False, "already sent"))
            continue
        out.append(Outcome(user.username, user.email, subject, True))
    return out


#: workflow events that are mailed, and who hears of them
_EVENTS = {
    Action.RETURN: ("returned", "centre"),
    Action.VALIDATE: ("validated", "centre"),
    Action.CERTIFY: ("certified", "centre"),
}


def notify(*, action: Action, measurement: mm.Measurement, reason: str = "") -> None:
    """Tell the indicator's centre that its values were returned, validated or
    certified; sent when the transaction commits, recorded as it is sent."""
    if action not in _EVENTS:
        return
    kind, _who = _EVENTS[action]
    ind = measurement.indicator
    period = measurement.period
    users = list(get_user_model().objects.filter(
        centre_memberships__centre__indicator_links__indicator=ind, is_active=True)
        .exclude(email="").distinct())

    def send() -> None:
        for user in users:
            with translation.override(language_of(user)):
                subject = {
                    "returned": _("Cruscotto: %(code)s al %(date)s restituito al centro"),
                    "validated": _("Cruscotto: %(code)s al %(date)s validato"),
                    "certified": _("Cruscotto: %(code)s al %(date)s certificato"),
                }[kind] % {"code": ind.code, "date": f"{period.end_date:%d/%m/%Y}"}
                body = render_to_string("measurements/mail/event.txt", {
                    "kind": kind, "indicator": ind, "period": period, "reason": reason,
                    "plan": ind.plan,
                    "site": getattr(settings, "CRUSCOTTO_SITE_URL", "")})
            mm.SentMail.objects.create(kind=kind, user=user, to=user.email,
                                       subject=subject, body=body)
            send_mail(subject, body, None, [user.email])

    transaction.on_commit(send)


@transaction.atomic
def do_set_mail_language(*, user: Any, language: str) -> mm.MailPreference:
    """A person chooses the language of their e-mails (one of the site's languages)."""
    if language not in dict(settings.LANGUAGES):
        raise ValueError(_("Lingua sconosciuta: %(code)s") % {"code": language})
    pref, _created = mm.MailPreference.objects.update_or_create(
        user=user, defaults={"language": language})
    return pref


def may_list_mails(user: Any) -> bool:
    """The planning office (and administrators) read the record of sent mail."""
    return bool(getattr(user, "is_superuser", False)
                or organisations_with_role(user, Role.PLANNING, Role.ADMIN))


def mails_for(user: Any) -> Any:
    """The sent mails ``user`` may read: all for a superuser; otherwise those sent to
    people of the organisations where ``user`` is planning office or administrator
    (a role there, or a centre of one of their plans)."""
    mails = mm.SentMail.objects.order_by("-at", "-pk")
    if getattr(user, "is_superuser", False):
        return mails
    orgs = organisations_with_role(user, Role.PLANNING, Role.ADMIN)
    people = set(mm.OrgRole.objects.filter(organisation__in=orgs).values_list(
        "user_id", flat=True)) | set(mm.CentreMembership.objects.filter(
            centre__plan__organisation__in=orgs).values_list("user_id", flat=True))
    return mails.filter(user__in=people)
