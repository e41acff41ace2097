"""The people page: who signs in, with which roles, for the administrator and the
planning office (memberships of their organisation's centres), outside the admin.

One page, ``/people/``; its forms post back to it with an ``action`` (as the
values page does). A refusal re-shows the page with the reason next to the
forms (400 for a mistake, 403 for what the person may not do), with or without
htmx (htmx swaps the panel only).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from cruscotto.web.accounts import people_xlsx, selectors, services, sso
from cruscotto.web.accounts.choices import CentreRoleChoices, OrgRoleChoices
from cruscotto.web.accounts.permissions import may_manage_people


def _guard(request: HttpRequest) -> None:
    if not may_manage_people(request.user):
        raise PermissionDenied(_("Solo l'amministratore e il controllo di gestione gestiscono "
                                 "le persone."))


def _base_url(request: HttpRequest) -> str:
    from django.conf import settings

    return getattr(settings, "CRUSCOTTO_SITE_URL", "") or request.build_absolute_uri("/")


def _person(pk: str) -> Any:
    try:
        return get_user_model().objects.get(pk=int(pk))
    except (ValueError, get_user_model().DoesNotExist):
        raise services.PeopleError(_("Persona: scegli una persona dall'elenco")) from None


def _organisation(pk: str) -> Any:
    from django.apps import apps

    Organisation = apps.get_model("plans", "Organisation")
    try:
        return Organisation.objects.get(pk=int(pk))
    except (ValueError, Organisation.DoesNotExist):
        raise services.PeopleError(_("Ente: scegli un ente dall'elenco")) from None


def _centre(pk: str) -> Any:
    from django.apps import apps

    Centre = apps.get_model("plans", "ResponsibilityCentre")
    try:
        return Centre.objects.select_related("plan__organisation").get(pk=int(pk))
    except (ValueError, Centre.DoesNotExist):
        raise services.PeopleError(_("Centro: scegli un centro dall'elenco")) from None


def _change(request: HttpRequest) -> str:
    """Do what the form asks; the message for the person."""
    p, by = request.POST, request.user
    action = p.get("action", "")
    if action == "invite":
        person = services.invite(by=by, email=p.get("email", ""),
                                 first_name=p.get("first_name", ""),
                                 last_name=p.get("last_name", ""),
                                 base_url=_base_url(request), language=get_language() or "it")
        return _("Invito inviato a %(email)s.") % {"email": person.email}
    if action == "import":
        upload = request.FILES.get("file")
        if upload is None:
            raise services.PeopleError(_("File: scegli il foglio XLSX da importare"))
        result = people_xlsx.import_xlsx(by=by, data=upload.read(),
                                         base_url=_base_url(request),
                                         language=get_language() or "it")
        return _("Importate: %(added)d persone nuove (invitate), %(roles)d ruoli nell'ente, "
                 "%(members)d assegnazioni ai centri.") % {
            "added": len(result.added), "roles": result.roles, "members": result.memberships}
    person = _person(p.get("person", ""))
    name = person.get_full_name() or person.username
    if action == "reinvite":
        services.send_invitation(by=by, person=person, base_url=_base_url(request),
                                 language=get_language() or "it")
        return _("Invito inviato di nuovo a %(email)s.") % {"email": person.email}
    if action in ("role_add", "role_remove"):
        org = _organisation(p.get("organisation", ""))
        role = p.get("role", "")
        if action == "role_add":
            services.give_role(by=by, person=person, organisation=org, role=role)
            return _("%(name)s: ruolo dato.") % {"name": name}
        services.take_role(by=by, person=person, organisation=org, role=role)
        return _("%(name)s: ruolo tolto.") % {"name": name}
    if action in ("member_add", "member_remove"):
        centre = _centre(p.get("centre", ""))
        role = p.get("role", "")
        if action == "member_add":
            services.add_membership(by=by, person=person, centre=centre, role=role)
            return _("%(name)s: assegnato al centro %(centre)s.") % {
                "name": name, "centre": centre.name}
        services.remove_membership(by=by, person=person, centre=centre, role=role)
        return _("%(name)s: tolto dal centro %(centre)s.") % {"name": name,
                                                               "centre": centre.name}
    if action in ("deactivate", "reactivate"):
        services.set_active(by=by, person=person, active=action == "reactivate")
        return (_("%(name)s è riattivato.") if action == "reactivate"
                else _("%(name)s è disattivato: non può più accedere.")) % {"name": name}
    raise services.PeopleError(_("Azione sconosciuta."))


@require_http_methods(["GET", "POST"])
@login_required
def people(request: HttpRequest) -> HttpResponse:
    _guard(request)
    message, errors, status = "", [], 200
    if request.method == "POST":
        try:
            message = _change(request)
        except people_xlsx.ImportRefused as exc:
            errors, status = exc.problems, 400
        except services.PeopleError as exc:
            errors, status = [str(exc)], 400
        except PermissionDenied as exc:  # the service's own check
            errors, status = [str(exc)], 403
        else:
            if not getattr(request, "htmx", False):
                request.session["people_message"] = message
                return redirect(reverse("accounts:people"))
    message = message or request.session.pop("people_message", "")
    template = "accounts/people.html"
    if getattr(request, "htmx", False) and request.method == "POST":
        template += "#panel"
    return TemplateResponse(request, template, {
        "rows": selectors.people(request.user),
        # the role form lists only the organisations whose roles the reader gives
        "organisations": selectors.organisations(request.user, roles_only=True),
        "centres": selectors.centres(request.user),
        "org_roles": OrgRoleChoices.choices, "centre_roles": CentreRoleChoices.choices,
        "message": message, "errors": errors, "action": request.POST.get("action", ""),
        "posted": request.POST if errors else {},
        "events": selectors.events(request.user),
        "columns": people_xlsx.COLUMNS,
    }, status=status)


@require_GET
@login_required
def export(request: HttpRequest) -> HttpResponse:
    """The people and roles the reader manages, as an XLSX sheet (the import's format)."""
    _guard(request)
    if request.GET:
        raise Http404("no such export")
    response = HttpResponse(people_xlsx.export_xlsx(request.user), content_type=(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))
    response["Content-Disposition"] = 'attachment; filename="persone.xlsx"'
    return response


class Login(LoginView):  # type: ignore[misc]
    """Django's sign-in page, offering single sign-on when it is configured."""

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["sso"] = sso.enabled()
        context["sso_failed"] = self.request.GET.get("sso") == "failed"
        return context
