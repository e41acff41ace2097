"""A plan's pages kept rendered (measurements.page_cache) are never older than what
they show, never someone else's, and never skip a check or a message.

6.4.1 (centre A) reads follower_social: 41,200 in 2020, 47,380 in 2021 is +15%
against +20%, 75%; 50,000 is +21.4%, 100%.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from cruscotto.web.accounts import models as am
from cruscotto.web.measurements import models as mm
from cruscotto.web.measurements import page_cache, services
from cruscotto.web.plans.services import set_published
from cruscotto.web.reports import narrative

from .conftest import People

PAGE = "/plans/{key}/indicators/6.4.1/"


@pytest.fixture(autouse=True)
def kept(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.PAGE_CACHE_BYTES = 64 * 2**20


def followers(people: People, n: str, period: mm.Period | None = None) -> None:
    services.do_set_value(user=people.officer_a, period=period or people.year_end,
                          item=services.ValueInput("6.4.1", "follower_social", Decimal(n)))


def achievement(html: str) -> str:
    m = re.search(r'data-period="2021-12-31">.*?data-figure="achievement">([^<]*)', html,
                  re.S)
    assert m is not None
    return m.group(1).strip()


def get(client: Client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    return response.content.decode()


@pytest.fixture
def office(people: People) -> Client:
    followers(people, "41200", people.baseline)
    followers(people, "47380")
    client = Client()
    client.force_login(people.planning)
    return client


def test_a_kept_page_shows_a_value_saved_since(people: People, office: Client) -> None:
    path = PAGE.format(key=people.plan.key)
    assert achievement(get(office, path)) == "75%"
    assert achievement(get(office, path)) == "75%"  # served kept
    assert page_cache.pages_kept() >= 1
    followers(people, "50000")
    assert achievement(get(office, path)) == "100%"


def test_a_kept_page_shows_a_value_written_around_the_services(people: People,
                                                               office: Client) -> None:
    path = PAGE.format(key=people.plan.key)
    get(office, path)
    mm.Value.objects.filter(period=people.year_end, variable="follower_social").update(
        number=Decimal("50000"))
    # the stored figure is older than the data now: the page says so
    assert "data-stale-results" in get(office, path)


def test_each_reader_gets_their_own_header_and_a_csrf_token_that_works(
        people: People, office: Client) -> None:
    path = PAGE.format(key=people.plan.key)
    get(office, path)
    other = Client(enforce_csrf_checks=True)
    other.force_login(people.oiv)
    html = get(other, path)
    assert ">oiv</a>" in html and ">planning</a>" not in html
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert token is not None and "cruscotto-csrf-hole" not in html
    # the sign-out form of the kept page signs this reader out
    response = other.post("/accounts/logout/", {"csrfmiddlewaretoken": token.group(1)})
    assert response.status_code in (200, 302)
    assert "_auth_user_id" not in other.session


def test_a_reader_who_loses_a_role_no_longer_gets_the_page_kept_for_it(
        people: People) -> None:
    path = PAGE.format(key=people.plan.key)
    followers(people, "41200", people.baseline)
    followers(people, "47380")  # a draft: its centre reads it, a viewer does not
    client = Client()
    client.force_login(people.officer_a)
    assert achievement(get(client, path)) == "75%"  # its centre's own drafts: stored
    assert achievement(get(client, path)) == "75%"  # kept
    am.CentreMembership.objects.filter(user=people.officer_a).delete()
    assert achievement(get(client, path)) != "75%"


def test_the_language_is_part_of_what_a_page_is_kept_under(people: People,
                                                           office: Client) -> None:
    path = PAGE.format(key=people.plan.key)
    assert 'lang="it"' in get(office, path)
    office.post("/i18n/setlang/", {"language": "en", "next": path})
    html = get(office, path)
    assert 'lang="en"' in html and achievement(html) == "75%"
    assert ">Esci<" not in html and ">Indicatore" not in html


def test_a_page_kept_for_a_reader_is_not_shown_to_the_public_of_an_unpublished_plan(
        people: People, office: Client) -> None:
    path = PAGE.format(key=people.plan.key)
    get(office, path)
    set_published(plan=people.plan, published=False)
    get(office, path)
    assert Client().get(path).status_code == 404


def test_a_message_after_a_redirect_is_shown_on_a_kept_page(people: People,
                                                           office: Client) -> None:
    admin = get_user_model().objects.create_superuser("admin", "a@example.org", "pw")
    office.force_login(admin)
    get(office, f"/plans/{people.plan.key}/report/")  # kept
    response = office.post(f"/plans/{people.plan.key}/report/narrative/?year=2021",
                           {"year": "2021", "action": "save"}, follow=False)
    assert response.status_code == 302
    # a message waits: the next page is built, with it
    html = get(office, f"/plans/{people.plan.key}/report/")
    assert "niente da salvare" in html or "Salvate nuove versioni" in html
    assert "niente da salvare" not in get(office, f"/plans/{people.plan.key}/report/")


def test_a_narrative_saved_since_shows_on_the_kept_report_page(people: People) -> None:
    admin = get_user_model().objects.create_superuser("admin", "a@example.org", "pw")
    client = Client()
    client.force_login(admin)
    path = f"/plans/{people.plan.key}/report/?period=2021-12-31"
    html = get(client, path)
    assert "Un anno di crescita dei follower" not in html
    slots = narrative.slots(people.plan.pk, 2021, [])
    narrative.save(plan_id=people.plan.pk, year=2021, user=admin, slot_list=slots,
                   posted={slots[0].key: (slots[0].title, "Un anno di crescita dei follower.")})
    assert "Un anno di crescita dei follower" in get(client, path)
