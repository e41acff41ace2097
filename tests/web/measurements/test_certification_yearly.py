"""A certified figure records the definition in force in its year: a definition that
starts later leaves it alone, one that starts in its year is refused until it is reopened.

The demo certifies 6.4.1 for 2021 (docs/measurement.md); the plan runs 2021-2023.
"""

from __future__ import annotations

from typing import Any

import pytest

from cruscotto.core.plan import YearDefinition
from cruscotto.data import default_plan
from cruscotto.web.measurements import models as mm
from cruscotto.web.measurements.certification import CertifiedChange
from cruscotto.web.measurements.demo import load_demo
from cruscotto.web.plans import models as pm
from cruscotto.web.plans.services import write_plan

from .conftest import People


@pytest.fixture(autouse=True)
def fast_hasher(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def demo(people: People) -> People:
    load_demo(plan=people.plan)
    return people


def test_the_record_holds_the_formula_of_its_year(demo: People) -> None:
    rec = mm.CertifiedRecord.objects.get(indicator_code="6.4.1", period=demo.year_end)
    assert rec.formula["formula"] == default_plan().indicator("6.4.1").formula


def test_a_definition_from_a_later_year_leaves_the_certified_figure_alone(demo: People) -> None:
    plan = default_plan()
    plan.indicator("6.4.1").definitions = [
        YearDefinition(2022, "follower_social * 2", formula_text="follower su due canali")]
    write_plan(plan=plan)  # 2021 is still computed as certified: no refusal
    stored = pm.Indicator.objects.get(code="6.4.1").definitions
    assert [d["from_year"] for d in stored] == [2022]


def test_a_definition_from_the_certified_year_is_refused(demo: People) -> None:
    plan = default_plan()
    plan.indicator("6.4.1").definitions = [YearDefinition(2021, "follower_social * 2")]
    with pytest.raises(CertifiedChange, match="6.4.1 2021 è certificato: riaprilo prima di "
                                              "modificare la formula"):
        write_plan(plan=plan)
    assert pm.Indicator.objects.get(code="6.4.1").definitions == []
