"""The people tests: the measurement tests' people on the seed plan, plus a second
organisation with a plan of its own and its planning office."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth import get_user_model

from cruscotto.web.accounts import models as am
from cruscotto.web.plans import models as pm

from ..measurements.conftest import People, italian, make_people  # noqa: F401 (fixture)
from ..measurements.test_reminders import Inbox, smtp  # noqa: F401 (fixture)


@dataclass
class World:
    people: People
    admin: Any  # a superuser
    seed_org: pm.Organisation
    other_org: pm.Organisation
    other_planning: Any  # planning office of the other organisation only


@pytest.fixture
def world(db: None) -> World:
    people = make_people()
    User = get_user_model()
    admin = User.objects.create_superuser("amministratore", "admin@ente.it", "pw-admin")
    other = pm.Organisation.objects.create(name="Unione dei comuni di Altrove")
    other_planning = User.objects.create_user("cdg-altrove", "cdg@altrove.it", "pw")
    am.OrgRole.objects.create(user=other_planning, organisation=other, role="planning")
    return World(people, admin, people.plan.organisation, other, other_planning)
