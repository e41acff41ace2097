"""Issue 11, 7: the sign-in lock-out is keyed on user name AND address, plus a limit per
address across names.

On main it was per user name only: anyone could lock the OIV's or the administrator's
account with five requests from anywhere, and password spraying across names (one try
per name) was never slowed.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.test import Client

from tests.web.measurements.conftest import People

NAME_LIMIT, ADDRESS_LIMIT = 5, 30  # the defaults of the two settings


def login(client: Client, username: str, password: str) -> Any:
    return client.post("/accounts/login/", {"username": username, "password": password})


def test_wrong_passwords_from_elsewhere_do_not_lock_the_owner_out(people: People) -> None:
    attacker = Client(REMOTE_ADDR="203.0.113.9")
    for _ in range(NAME_LIMIT):
        login(attacker, "oiv", "sbagliata")
    assert login(attacker, "oiv", "pw-oiv").status_code == 429  # locked for the attacker
    owner = Client(REMOTE_ADDR="10.1.2.3")
    r = login(owner, "oiv", "pw-oiv")
    assert r.status_code == 302 and owner.session["_auth_user_id"] == str(people.oiv.pk)


def test_password_spraying_across_names_locks_the_address(people: People) -> None:
    User = get_user_model()
    for k in range(ADDRESS_LIMIT):
        User.objects.create_user(f"persona{k}", password=f"pw-persona{k}")
    sprayer = Client(REMOTE_ADDR="198.51.100.7")
    for k in range(ADDRESS_LIMIT):  # one wrong password per name: no name reaches 5
        assert login(sprayer, f"persona{k}", "Estate2026!").status_code in (200, 429)
    r = login(sprayer, "officer_a", "pw-officer_a")
    assert r.status_code == 429 and "_auth_user_id" not in sprayer.session
    assert "bloccato per 15 minuti" in r.content.decode()
    # people elsewhere are not affected
    assert login(Client(REMOTE_ADDR="10.9.9.9"), "officer_a", "pw-officer_a").status_code == 302
