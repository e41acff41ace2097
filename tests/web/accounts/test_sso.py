"""Single sign-on with OpenID Connect against a real local provider (oidc-provider-mock):
a person already invited signs in with the organisation's identity; anyone else is
refused, visibly; with the settings unset there is no single sign-on at all."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from django.conf import settings
from django.test import Client, override_settings
from oidc_provider_mock import run_server_in_thread

from .conftest import World


@pytest.fixture
def provider() -> Iterator[dict[str, str]]:
    with run_server_in_thread() as server:
        base = f"http://localhost:{server.server_port}"
        config = httpx.get(f"{base}/.well-known/openid-configuration").json()
        with override_settings(
                OIDC_RP_CLIENT_ID="cruscotto", OIDC_RP_CLIENT_SECRET="segreto",
                OIDC_OP_AUTHORIZATION_ENDPOINT=config["authorization_endpoint"],
                OIDC_OP_TOKEN_ENDPOINT=config["token_endpoint"],
                OIDC_OP_USER_ENDPOINT=config["userinfo_endpoint"],
                OIDC_OP_JWKS_ENDPOINT=config["jwks_uri"],
                # the mock signs with its one key and names no key id (real providers do)
                OIDC_VERIFY_KID=False,
                AUTHENTICATION_BACKENDS=[*settings.AUTHENTICATION_BACKENDS,
                                         "cruscotto.web.accounts.sso.Backend"]):
            yield {"base": base}


def _sign_in_as(client: Client, email: str) -> Any:
    """The browser's trip: Cruscotto → the provider (who says it is ``email``) → back."""
    login = client.get("/accounts/login/").content.decode()
    assert "Accedi con l'identità dell'ente" in login
    start = client.get("/oidc/authenticate/")
    assert start.status_code == 302
    answer = httpx.post(start["Location"], data={"sub": email})
    assert answer.status_code == 302, answer.text
    back = httpx.URL(answer.headers["location"])
    return client.get(f"{back.path}?{back.query.decode()}")


def test_an_invited_person_signs_in_with_the_organisations_identity(
        world: World, provider: dict[str, str]) -> None:
    world.people.officer_a.email = "Officer.A@ente.it"
    world.people.officer_a.save()
    client = Client()
    done = _sign_in_as(client, "officer.a@ente.it")
    assert done.status_code == 302 and done["Location"] == "/start/"
    page = client.get("/start/", follow=True).content.decode()
    assert "Esci" in page  # signed in as centre A's officer
    assert client.session["_auth_user_id"] == str(world.people.officer_a.pk)


def test_someone_not_invited_or_deactivated_is_refused_visibly(
        world: World, provider: dict[str, str]) -> None:
    client = Client()
    refused = _sign_in_as(client, "sconosciuto@altrove.it")
    assert refused["Location"] == "/accounts/login/?sso=failed"
    page = client.get(refused["Location"]).content.decode()
    assert "L'accesso con l'identità dell'ente non è riuscito" in page
    assert "_auth_user_id" not in client.session
    viewer = world.people.viewer
    viewer.email, viewer.is_active = "viewer@ente.it", False
    viewer.save()
    assert _sign_in_as(Client(), "viewer@ente.it")["Location"] == "/accounts/login/?sso=failed"


def test_without_settings_there_is_no_single_sign_on(world: World) -> None:
    assert "identità dell" not in Client().get("/accounts/login/").content.decode()
    assert Client().get("/oidc/authenticate/").status_code == 404
