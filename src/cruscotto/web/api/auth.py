"""Who is calling: the Django session (browsers) or HTTP Basic (scripts), else anonymous.

Each authenticator returns the Django user, which the endpoints pass to the
services as ``user``; ``request.auth`` is that user.

- **Session**, with the CSRF check for unsafe methods that django-ninja's
  cookie authenticators do. The check runs only when the session is signed
  in: an anonymous request has nothing to forge, and gets 401 rather than a
  CSRF refusal.
- **HTTP Basic** over the Django users, for scripts. Wrong credentials are
  refused (401) rather than treated as anonymous, so that a script with a
  typo does not silently read only the public values. A 401 carries no
  ``WWW-Authenticate: Basic`` header, so browsers never prompt for, cache and
  then replay Basic credentials on cross-site requests: Basic needs no CSRF
  check.
- **Anonymous** (reads only): the public figures, validated or certified.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError
from ninja.security import APIKeyCookie, HttpBasicAuth

__all__ = ["PUBLIC", "PUBLIC_SECURITY", "SIGNED_IN", "BasicAuth", "SessionAuth"]


class SessionAuth(APIKeyCookie):
    """The Django session cookie, as ``ninja.security.django_auth``, CSRF-checked."""

    param_name: str = settings.SESSION_COOKIE_NAME

    def _get_key(self, request: HttpRequest) -> str | None:
        if not request.user.is_authenticated:
            return None
        return super()._get_key(request)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        return request.user if request.user.is_authenticated else None


class BasicAuth(HttpBasicAuth):
    """HTTP Basic with a Django user's name and password."""

    def authenticate(self, request: HttpRequest, username: str, password: str) -> Any:
        user = authenticate(request, username=username, password=password)
        if user is None or not user.is_active:
            raise AuthenticationError(message=_("nome utente o password errati"))
        return user


def anonymous(request: HttpRequest) -> AnonymousUser:
    """The fallback of read endpoints: nobody in particular (truthy, so the call goes on)."""
    return AnonymousUser()


#: writes: a signed-in person (Basic first: it never raises for a request without it)
SIGNED_IN: list[Any] = [BasicAuth(), SessionAuth()]
#: reads: the same, or anonymous for what is public
PUBLIC: list[Any] = [*SIGNED_IN, anonymous]
#: how PUBLIC shows in OpenAPI: django-ninja lists the two schemes, this adds "or none"
#: (``{}``; it extends the operation's list)
PUBLIC_SECURITY: dict[str, Any] = {"security": [{}]}
