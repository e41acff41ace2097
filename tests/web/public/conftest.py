"""The public section's base case: the seed plan with the demo values, published.

The demo certifies most 2021 indicators, leaves 6.4.3 and 3.3.1 submitted and
4.2.2 in draft; here 6.4.3 is also validated by the planning office, so there
is one indicator a signed-in viewer sees and the public must not (validated,
not certified yet).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth import get_user_model

from cruscotto.data import default_plan
from cruscotto.web.measurements import models as mm
from cruscotto.web.measurements import services
from cruscotto.web.measurements.demo import LEFT_DRAFT, LEFT_SUBMITTED, load_demo
from cruscotto.web.plans import models as pm
from cruscotto.web.plans.services import set_published, write_plan
from tests.web.seeded import fresh, stored_once

VALIDATED_ONLY = "6.4.3"
#: indicators with 2021 values the public must not see
UNCERTIFIED = frozenset(LEFT_SUBMITTED | LEFT_DRAFT)


@dataclass
class Demo:
    plan: pm.Plan
    year_end: mm.Period
    viewer: Any
    planning: Any
    oiv: Any

    @property
    def certified(self) -> set[str]:
        return set(mm.Measurement.objects.filter(
            period=self.year_end, state="certified").values_list("indicator__code",
                                                                 flat=True))


def make_demo() -> Demo:
    plan = write_plan(plan=default_plan())
    load_demo(plan=plan)
    plan = set_published(plan=plan, published=True)
    User = get_user_model()
    year_end = mm.Period.objects.get(plan=plan, year=2021, kind="year_end")
    planning = User.objects.get(username="demo-controllo")
    services.do_validate(user=planning, period=year_end, indicator=VALIDATED_ONLY)
    return Demo(plan, year_end, User.objects.get(username="demo-lettore"), planning,
                User.objects.get(username="demo-oiv"))


@pytest.fixture(scope="module")
def stored_demo(django_db_setup: None, django_db_blocker: Any) -> Iterator[Demo]:
    """The demo, stored once for the module (its tests read it; what they write is
    rolled back after each)."""
    with stored_once(django_db_blocker, make_demo) as demo:
        yield demo


@pytest.fixture
def demo(db: None, stored_demo: Demo) -> Demo:
    return fresh(stored_demo)
