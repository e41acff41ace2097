"""The seed plan with its demo values, people and the 2021 demo evaluation cards."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.utils import translation

from cruscotto.web.evaluations.demo import load_demo_cards
from cruscotto.web.measurements.demo import load_demo

from ..measurements.conftest import People, make_people


@pytest.fixture(autouse=True)
def italian() -> Iterator[None]:
    with translation.override("it"):
        yield


@pytest.fixture
def people(db: None) -> People:
    """The measurement tests' people, with the demo's certified 2021 values."""
    people = make_people()
    load_demo(plan=people.plan)
    return people


@pytest.fixture
def demo(db: None) -> People:
    people = make_people()
    load_demo(plan=people.plan)
    load_demo_cards(plan=people.plan)
    return people


def user(name: str) -> Any:
    return get_user_model().objects.get(username=name)
