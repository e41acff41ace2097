"""The password pages a person reaches from the sign-in page and the header: forgotten
password (a mail to a real local SMTP server, a link, a new password) and change of
password, in Cruscotto's own look and in the reader's language, never the admin's."""

from __future__ import annotations

import re
from typing import Any

from django.contrib.auth import get_user_model
from django.test import Client

from ..measurements.test_reminders import Inbox, body
from .conftest import World


def _signs_in(username: str, password: str) -> bool:
    return Client().post("/accounts/login/", {"username": username,
                                              "password": password}).status_code == 302


def test_the_sign_in_page_leads_to_the_forgotten_password_page(world: World) -> None:
    login = Client().get("/accounts/login/").content.decode()
    assert 'href="/accounts/password_reset/"' in login
    assert "Password dimenticata?" in login
    page = Client().get("/accounts/password_reset/").content.decode()
    assert "<h1>Password dimenticata</h1>" in page
    assert "Indirizzo e-mail" in page
    # Cruscotto's page, not the admin's
    assert "Django administration" not in page and "Amministrazione Django" not in page
    assert "it-header-slim-wrapper" in page


def test_a_forgotten_password_is_replaced_through_the_mailed_link(
        world: World, smtp: Inbox, django_capture_on_commit_callbacks: Any) -> None:
    officer = get_user_model().objects.get(username="officer_a")
    officer.email = "officer.a@ente.it"
    officer.save()
    c = Client()
    done = c.post("/accounts/password_reset/", {"email": "officer.a@ente.it"}, follow=True)
    assert "Controlla la posta" in done.content.decode()
    [mail] = smtp.to("officer.a@ente.it")
    link = re.search(r"https?://\S+/reset/\S+/", body(mail))
    assert link is not None
    form = c.get(link.group(0), follow=True)
    assert "Scegli la tua password" in form.content.decode()
    saved = c.post(form.redirect_chain[-1][0], {"new_password1": "Quadrifoglio-2027",
                                                "new_password2": "Quadrifoglio-2027"},
                   follow=True)
    assert "Password salvata" in saved.content.decode()
    assert _signs_in("officer_a", "Quadrifoglio-2027")


def test_an_unknown_address_gets_the_same_answer_and_no_mail(world: World,
                                                             smtp: Inbox) -> None:
    done = Client().post("/accounts/password_reset/", {"email": "nessuno@altrove.it"},
                         follow=True)
    assert "Controlla la posta" in done.content.decode()
    assert smtp.to("nessuno@altrove.it") == []


def test_a_bad_address_is_refused_on_the_page(world: World) -> None:
    page = Client().post("/accounts/password_reset/", {"email": "non-un-indirizzo"})
    assert page.status_code == 200
    text = page.content.decode()
    assert 'role="alert"' in text and "Inserisci un indirizzo email valido" in text


def test_a_person_changes_the_password_from_the_header(world: World) -> None:
    c = Client()
    assert c.post("/accounts/login/", {"username": "officer_a",
                                       "password": "pw-officer_a"}).status_code == 302
    home = c.get("/", follow=True).content.decode()
    assert 'href="/accounts/password_change/"' in home
    wrong = c.post("/accounts/password_change/", {"old_password": "sbagliata",
                                                  "new_password1": "Girasole-2027",
                                                  "new_password2": "Girasole-2027"})
    assert wrong.status_code == 200
    assert 'role="alert"' in wrong.content.decode()
    ok = c.post("/accounts/password_change/", {"old_password": "pw-officer_a",
                                               "new_password1": "Girasole-2027",
                                               "new_password2": "Girasole-2027"}, follow=True)
    assert "La tua nuova password è in vigore da ora." in ok.content.decode()
    assert _signs_in("officer_a", "Girasole-2027")
    assert not _signs_in("officer_a", "pw-officer_a")


def test_the_password_pages_in_english(world: World) -> None:
    c = Client(headers={"accept-language": "en"})
    page = c.get("/accounts/password_reset/").content.decode()
    assert "Forgotten password" in page and "Password dimenticata" not in page
    assert "E-mail address" in page
