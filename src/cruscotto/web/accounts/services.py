"""Changes to people and their roles: add or invite, give and take roles, deactivate.

Every function is atomic and keyword-only, checks who asks (``by``; ``None`` is
the operator at the command line, trusted as for ``cruscotto plan import``) and
records a :class:`~cruscotto.web.accounts.models.PeopleEvent`. Refusals are
:class:`PeopleError` (a mistake in what was asked) or ``PermissionDenied`` (not
allowed), both with a message for the person.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from cruscotto.core.workflow import Role
from cruscotto.web.accounts import models as am
from cruscotto.web.accounts import permissions as perms
from cruscotto.web.accounts.choices import CentreRoleChoices, OrgRoleChoices

#: the operator at the command line (trusted)
COMMAND_LINE = None
#: the longest first or last name accepted (Django's own limit)
NAME_LENGTH = 150
EMAIL_LENGTH = 254


class PeopleError(ValueError):
    """What was asked cannot be done (the message says why, naming the field)."""


def _who(by: Any) -> str:
    return getattr(by, "username", "") if by is not None else "riga di comando"


def _audit(*, by: Any, person: Any, action: str, organisation_id: int | None = None,
           detail: str = "") -> None:
    am.PeopleEvent.objects.create(
        user=by if getattr(by, "is_authenticated", False) else None, username=_who(by),
        subject=person, subject_username=person.username, organisation_id=organisation_id,
        action=action, detail=detail[:300])


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def _trusted_or(by: Any, check: bool) -> bool:
    return by is COMMAND_LINE or check


# -- people -------------------------------------------------------------------------------

def clean_email(email: str) -> str:
    text = (email or "").strip().lower()
    if not text:
        raise PeopleError(_("E-mail: manca l'indirizzo"))
    if len(text) > EMAIL_LENGTH:
        raise PeopleError(_("E-mail: al massimo %(n)d caratteri") % {"n": EMAIL_LENGTH})
    try:
        validate_email(text)
    except ValidationError:
        raise PeopleError(_("E-mail: «%(text)s» non è un indirizzo (per esempio "
                            "mario.rossi@ente.it)") % {"text": text}) from None
    return text


def _clean_name(text: str, what: str) -> str:
    text = (text or "").strip()
    if len(text) > NAME_LENGTH:
        raise PeopleError(_("%(what)s: al massimo %(n)d caratteri") % {
            "what": what, "n": NAME_LENGTH})
    return text


@transaction.atomic
def add_person(*, by: Any, email: str, first_name: str = "", last_name: str = "",
               username: str = "") -> Any:
    """A new person who signs in with ``username`` (the e-mail unless given); no
    password yet: they choose one through an invitation (:func:`invite`)."""
    _require(_trusted_or(by, perms.may_manage_people(by)),
             _("Solo l'amministratore e il controllo di gestione aggiungono persone."))
    address = clean_email(email)
    name = (username or address).strip()
    first = _clean_name(first_name, _("Nome"))
    last = _clean_name(last_name, _("Cognome"))
    User = get_user_model()
    if User.objects.filter(email__iexact=address).exists():
        raise PeopleError(_("E-mail: esiste già una persona con l'indirizzo %(email)s") % {
            "email": address})
    if User.objects.filter(username__iexact=name).exists():
        raise PeopleError(_("Nome utente: «%(name)s» è già usato") % {"name": name})
    try:
        User.username_validator(name)
    except ValidationError:
        raise PeopleError(_("Nome utente: «%(name)s» può contenere solo lettere, cifre e "
                            "@ . + - _") % {"name": name}) from None
    person = User(username=name, email=address, first_name=first, last_name=last)
    person.set_unusable_password()
    person.save()
    _audit(by=by, person=person, action="add", detail=address)
    return person


def invitation_link(person: Any, *, base_url: str) -> str:
    """The link that lets ``person`` choose a password (Django's password reset token:
    valid for ``PASSWORD_RESET_TIMEOUT``, spent once the password is set)."""
    uid = urlsafe_base64_encode(force_bytes(person.pk))
    token = default_token_generator.make_token(person)
    path = reverse("password_reset_confirm", kwargs={"uidb64": uid, "token": token})
    return base_url.rstrip("/") + path


def send_invitation(*, by: Any, person: Any, base_url: str, language: str = "it") -> None:
    """Mail ``person`` the link to choose a password, once the transaction commits
    (through the project's mail setup, ``CRUSCOTTO_EMAIL_URL``)."""
    _require(_trusted_or(by, perms.may_manage_people(by)),
             _("Solo l'amministratore e il controllo di gestione invitano persone."))
    if not person.is_active:
        raise PeopleError(_("%(name)s è disattivato: riattivalo prima di invitarlo") % {
            "name": person.username})
    if person.has_usable_password():
        raise PeopleError(_("%(name)s ha già scelto la sua password: l'invito non serve") % {
            "name": person.username})
    if not person.email:
        raise PeopleError(_("%(name)s non ha un indirizzo e-mail") % {"name": person.username})
    link = invitation_link(person, base_url=base_url)
    days = max(1, settings.PASSWORD_RESET_TIMEOUT // 86400)
    inviter = (by.get_full_name() or by.username) if by is not None else ""
    with translation.override(language):
        subject = _("Cruscotto: il tuo accesso")
        body = render_to_string("accounts/invitation.txt", {
            "person": person, "link": link, "days": days, "inviter": inviter})
    to = person.email

    def deliver() -> None:
        send_mail(subject, body, None, [to])

    transaction.on_commit(deliver)
    _audit(by=by, person=person, action="invite", detail=to)


@transaction.atomic
def invite(*, by: Any, email: str, first_name: str = "", last_name: str = "",
           base_url: str, language: str = "it") -> Any:
    """Add a person and mail them the link to choose their password."""
    person = add_person(by=by, email=email, first_name=first_name, last_name=last_name)
    send_invitation(by=by, person=person, base_url=base_url, language=language)
    return person


def _may_deactivate(by: Any, person: Any) -> bool:
    """A superuser; or an administrator of every organisation where ``person`` has a
    role or a centre (nobody answers for a person beyond their own organisations)."""
    if by is COMMAND_LINE:
        return True
    if getattr(by, "is_superuser", False):
        return True
    if person.is_superuser or person.pk == by.pk:
        return False
    mine = perms.organisations_with_role(by, Role.ADMIN)
    theirs = set(am.OrgRole.objects.filter(user=person).values_list(
        "organisation_id", flat=True)) | set(am.CentreMembership.objects.filter(
            user=person).values_list("centre__plan__organisation_id", flat=True))
    return bool(mine) and theirs <= mine


@transaction.atomic
def set_active(*, by: Any, person: Any, active: bool) -> Any:
    """Deactivate a person (they can no longer sign in; roles and history stay) or
    reactivate them."""
    if by is not None and person.pk == getattr(by, "pk", None) and not active:
        raise PeopleError(_("Non puoi disattivare te stesso."))
    _require(_may_deactivate(by, person), _(
        "Può disattivare %(name)s solo l'amministratore di ogni ente in cui ha un ruolo.") % {
            "name": person.username})
    if person.is_active == active:
        return person
    person.is_active = active
    person.save(update_fields=["is_active"])
    _audit(by=by, person=person, action="reactivate" if active else "deactivate")
    return person


# -- roles ----------------------------------------------------------------------------------

def _org_role(role: str) -> str:
    if role not in OrgRoleChoices.values:
        raise PeopleError(_("Ruolo nell'ente: «%(role)s» non è un ruolo (%(roles)s)") % {
            "role": role, "roles": ", ".join(str(label) for label in OrgRoleChoices.labels)})
    return role


def _centre_role(role: str) -> str:
    if role not in CentreRoleChoices.values:
        raise PeopleError(_("Ruolo nel centro: «%(role)s» non è un ruolo (%(roles)s)") % {
            "role": role, "roles": ", ".join(str(x) for x in CentreRoleChoices.labels)})
    return role


def _deny_roles(organisation: Any) -> str:
    return _("Solo l'amministratore di %(org)s dà e toglie i ruoli nell'ente.") % {
        "org": organisation}


def _deny_centres(organisation: Any) -> str:
    return _("Solo l'amministratore e il controllo di gestione di %(org)s assegnano "
             "i suoi centri.") % {"org": organisation}


@transaction.atomic
def give_role(*, by: Any, person: Any, organisation: Any, role: str) -> am.OrgRole:
    _org_role(role)
    _require(_trusted_or(by, perms.may_manage_roles(by, organisation.pk)),
             _deny_roles(organisation))
    row, created = am.OrgRole.objects.get_or_create(user=person, organisation=organisation,
                                                    role=role)
    if created:
        _audit(by=by, person=person, action="role_added", organisation_id=organisation.pk,
               detail=role)
    return row


@transaction.atomic
def take_role(*, by: Any, person: Any, organisation: Any, role: str) -> None:
    _org_role(role)
    _require(_trusted_or(by, perms.may_manage_roles(by, organisation.pk)),
             _deny_roles(organisation))
    if by is not None and person.pk == by.pk and role == "admin" \
            and not getattr(by, "is_superuser", False):
        raise PeopleError(_("Non puoi togliere a te stesso il ruolo di amministratore."))
    deleted, _rows = am.OrgRole.objects.filter(user=person, organisation=organisation,
                                               role=role).delete()
    if deleted:
        _audit(by=by, person=person, action="role_removed", organisation_id=organisation.pk,
               detail=role)


def _centre_detail(centre: Any, role: str) -> str:
    return f"{role}: {centre.name} ({centre.plan.key})"


@transaction.atomic
def add_membership(*, by: Any, person: Any, centre: Any, role: str) -> am.CentreMembership:
    _centre_role(role)
    org = centre.plan.organisation
    _require(_trusted_or(by, perms.may_manage_memberships(by, org.pk)), _deny_centres(org))
    row, created = am.CentreMembership.objects.get_or_create(user=person, centre=centre,
                                                             role=role)
    if created:
        _audit(by=by, person=person, action="membership_added", organisation_id=org.pk,
               detail=_centre_detail(centre, role))
    return row


@transaction.atomic
def remove_membership(*, by: Any, person: Any, centre: Any, role: str) -> None:
    _centre_role(role)
    org = centre.plan.organisation
    _require(_trusted_or(by, perms.may_manage_memberships(by, org.pk)), _deny_centres(org))
    deleted, _rows = am.CentreMembership.objects.filter(user=person, centre=centre,
                                                        role=role).delete()
    if deleted:
        _audit(by=by, person=person, action="membership_removed", organisation_id=org.pk,
               detail=_centre_detail(centre, role))
