"""The API tests' base case: the measurement tests' people, and a client to call as them.

``people`` is built by the measurement tests' ``make_people`` (the seed plan,
its periods, a manager and an officer of centre A, an officer of centre B,
the planning office, the OIV, a viewer), once per module (tests/web/seeded.py).
Calls go through Django's test client, signed in by session or by HTTP Basic,
or anonymous.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client

from tests.web.measurements.conftest import People, make_people
from tests.web.seeded import fresh, stored_once

__all__ = ["API", "Caller", "People", "enter_3_1_1"]


class API:
    """Calls the API as one person (or nobody) and decodes the JSON answers."""

    def __init__(self, people: People, user: Any = None, *, basic: bool = False,
                 client: Client | None = None) -> None:
        self.people = people
        self.client = client or Client()
        self.headers: dict[str, str] = {}
        if user is not None and basic:
            pair = f"{user.username}:pw-{user.username}".encode()
            self.headers["Authorization"] = "Basic " + base64.b64encode(pair).decode()
        elif user is not None:
            self.client.force_login(user)

    @property
    def plan(self) -> str:
        return f"/api/plans/{self.people.plan.key}"

    def period(self, date: str = "2021-12-31") -> str:
        return f"{self.plan}/periods/{date}"

    def get(self, url: str) -> tuple[int, Any]:
        r = self.client.get(url, headers=self.headers)
        return r.status_code, r.json()

    def send(self, method: str, url: str, body: Any) -> tuple[int, Any]:
        r = getattr(self.client, method)(url, data=json.dumps(body),
                                         content_type="application/json",
                                         headers=self.headers)
        return r.status_code, r.json()

    def put_values(self, items: list[dict[str, Any]], date: str = "2021-12-31"
                   ) -> tuple[int, Any]:
        return self.send("put", self.period(date) + "/values", items)

    def act(self, code: str, action: str, date: str = "2021-12-31", **body: Any
            ) -> tuple[int, Any]:
        return self.send("post", f"{self.period(date)}/indicators/{code}/{action}", body)


class Caller:
    """``caller.officer_a`` is an :class:`API` signed in as that person; ``caller.anonymous``."""

    def __init__(self, people: People) -> None:
        self.people = people

    def __getattr__(self, name: str) -> API:
        if name == "anonymous":
            return API(self.people)
        if name.endswith("_basic"):
            return API(self.people, getattr(self.people, name[:-6]), basic=True)
        return API(self.people, getattr(self.people, name))


@pytest.fixture(scope="module")
def stored_people(django_db_setup: None, django_db_blocker: Any) -> Iterator[People]:
    """The seed plan and its people, stored once for the module: every API test runs in
    a transaction rolled back at its end, so what one writes the next does not see."""
    with stored_once(django_db_blocker, make_people) as people:
        yield people


@pytest.fixture
def people(db: None, stored_people: People) -> People:
    return fresh(stored_people)


@pytest.fixture
def caller(people: People) -> Caller:
    return Caller(people)


#: 3.1.1 (centre A): 8,835,000 spent of 9,500,000 is 93%, against at least 90%: met
VALUES_3_1_1 = [
    {"indicator": "3.1.1", "variable": "budget_innovazione", "value": 9500000},
    {"indicator": "3.1.1", "variable": "contabilizzato_innovazione", "value": 8835000},
]


def enter_3_1_1(caller: Caller) -> dict[str, Any]:
    """Officer A enters 3.1.1's values through the API; the period's values as answered."""
    status, body = caller.officer_a.put_values(VALUES_3_1_1)
    assert status == 200, body
    return dict(body)


def version_of(body: dict[str, Any], code: str) -> int:
    return int(next(m["version"] for m in body["indicators"] if m["indicator"] == code))
