"""Italian first; English for who asks for it, by browser preference or the switcher."""

from __future__ import annotations

import pytest
from django.test import Client

from cruscotto.core.plan import Plan

from . import pages

pytestmark = pytest.mark.django_db

PLAN = "/plans/cciaa-pr-2021-2023/"


@pytest.fixture
def stored(small_plan: Plan) -> Plan:
    pages.store_published(small_plan)
    return small_plan


@pytest.mark.parametrize("accept", ["", "de-DE,de;q=0.9", "it-IT,it;q=0.9,en;q=0.8"])
def test_the_interface_is_italian_unless_english_is_preferred(
    client: Client, stored: Plan, accept: str
) -> None:
    response = client.get(PLAN, headers={"accept-language": accept} if accept else {})
    assert '<html lang="it">' in response.content.decode()
    assert "4 indicatori" in pages.text(response)


def test_a_browser_asking_for_english_gets_english(client: Client, stored: Plan) -> None:
    response = client.get(PLAN, headers={"accept-language": "en-GB,en;q=0.9"})
    text = pages.text(response)
    assert '<html lang="en">' in response.content.decode()
    assert ("2 missions 2 strategic objectives 2 operational objectives 4 indicators "
            "3 responsibility centres") in text
    assert "Programme 005 · Regolazione dei mercati — budget € 19,350,072" in text
    assert "Skip to main content" in text
    text = pages.text(client.get(f"{PLAN}indicators/3.1.2/",
                                 headers={"accept-language": "en"}))
    assert "Targets by year" in text and "2022 no target" in text
    assert "Source: line 9 (piano-prova.txt)" in text


def test_the_switcher_changes_the_language_and_remembers_it(
    client: Client, stored: Plan
) -> None:
    page = client.get(PLAN)
    assert 'name="language" value="en"' in page.content.decode()

    response = client.post("/i18n/setlang/", {"language": "en", "next": PLAN})
    assert response.status_code == 302 and response["Location"] == PLAN
    text = pages.text(client.get(f"{PLAN}centres/"))
    assert "Responsibility centres" in text and "Centre Indicators" in text

    client.post("/i18n/setlang/", {"language": "it", "next": PLAN})
    assert "Centri di responsabilità" in pages.text(client.get(f"{PLAN}centres/"))


def test_the_admin_speaks_english_too(client: Client, stored: Plan) -> None:
    from django.contrib.auth.models import User

    client.force_login(User.objects.create_superuser("ufficio", password="x"))
    text = pages.text(client.get("/admin/", headers={"accept-language": "en"}))
    assert "Performance plans" in text and "Responsibility centres" in text
