"""Single sign-on with OpenID Connect (mozilla-django-oidc), on when configured.

The organisation's identity provider says who the person is; Cruscotto finds
them by e-mail among the people already added or invited (``/people/``) and
active. Nobody gets an account, nor a role, from the provider alone: roles stay
where the administrator gives them. Settings: ``CRUSCOTTO_OIDC_*``
(docs/deployment.md).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import path
from mozilla_django_oidc import views
from mozilla_django_oidc.auth import OIDCAuthenticationBackend


def enabled() -> bool:
    return bool(getattr(settings, "OIDC_RP_CLIENT_ID", ""))


class Backend(OIDCAuthenticationBackend):  # type: ignore[misc]
    def filter_users_by_claims(self, claims: dict[str, Any]) -> Any:
        """The active person with the e-mail the provider vouches for (none: refused)."""
        email = (claims.get("email") or "").strip()
        if not email or claims.get("email_verified") is False:
            return self.UserModel.objects.none()
        return self.UserModel.objects.filter(email__iexact=email, is_active=True)


def _only_when_enabled(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not enabled():
            raise Http404("single sign-on is not configured")
        return view(request, *args, **kwargs)
    return guarded


#: mounted at /oidc/ (404 while single sign-on is off)
urlpatterns = [
    path("authenticate/", _only_when_enabled(views.OIDCAuthenticationRequestView.as_view()),
         name="oidc_authentication_init"),
    path("callback/", _only_when_enabled(views.OIDCAuthenticationCallbackView.as_view()),
         name="oidc_authentication_callback"),
]
