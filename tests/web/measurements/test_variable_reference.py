"""Values name their variable (docs/decisions/0001-value-variable-reference.md).

A value for a variable the plan does not declare is refused on the page, in an
upload and through the API; stored values survive re-imports of the plan,
even one that drops the variable's declaration.
"""

from __future__ import annotations

import copy
import json
from decimal import Decimal

import pytest
from django.test import Client

from cruscotto.core.workflow import WorkflowError
from cruscotto.data import default_plan
from cruscotto.web.measurements import models as mm
from cruscotto.web.measurements.services import ValueInput, do_set_value
from cruscotto.web.plans import models as pm
from cruscotto.web.plans.services import write_plan

from .. import pages
from .conftest import People
from .uploading import csv_file, upload

PAGE = "/plans/cciaa-mimblo-2021-2023/indicators/3.1.1/periods/2021-12-31/"
API = "/api/plans/cciaa-mimblo-2021-2023/periods/2021-12-31/values"
UNDECLARED = "la variabile «budget_innovazione» non è dichiarata nel piano"


@pytest.fixture
def undeclared(people: People) -> People:
    """The plan re-imported without declaring budget_innovazione (3.1.1 still reads it)."""
    plan = copy.deepcopy(default_plan())
    plan.variables = [v for v in plan.variables if v.name != "budget_innovazione"]
    write_plan(plan=plan)
    assert not pm.Variable.objects.filter(name="budget_innovazione").exists()
    return people


def test_the_service_refuses_an_undeclared_variable(undeclared: People) -> None:
    with pytest.raises(WorkflowError, match=UNDECLARED):
        do_set_value(user=undeclared.officer_a, period=undeclared.year_end,
                     item=ValueInput("3.1.1", "budget_innovazione", Decimal("9500000")))
    assert not mm.Value.objects.exists()


def test_the_page_refuses_it(client: Client, undeclared: People) -> None:
    client.force_login(undeclared.officer_a)
    r = client.post(PAGE, {"action": "save", "value-budget_innovazione": "9.500.000",
                           "value-contabilizzato_innovazione": "8835000"})
    assert r.status_code == 400 and UNDECLARED in pages.text(r)
    assert not mm.Value.objects.exists()


def test_an_upload_refuses_it_on_its_row(undeclared: People) -> None:
    report = upload(undeclared, csv_file([
        ("3.1.1", "contabilizzato_innovazione", "2021", "8835000", ""),
        ("3.1.1", "budget_innovazione", "2021", "9500000", "")]))
    assert [(p.row, p.column) for p in report.problems] == [(3, "variable")]
    assert UNDECLARED in report.problems[0].message
    assert not mm.Value.objects.exists()


def test_the_api_refuses_it(undeclared: People) -> None:
    client = Client()
    client.force_login(undeclared.officer_a)
    r = client.put(API, data=json.dumps([
        {"indicator": "3.1.1", "variable": "contabilizzato_innovazione", "value": 8835000},
        {"indicator": "3.1.1", "variable": "budget_innovazione", "value": 9500000}]),
        content_type="application/json")
    assert r.status_code == 400 and r.json()["detail"] == (
        "[1]: " + UNDECLARED + ": si registrano solo valori di variabili dichiarate")
    assert not mm.Value.objects.exists()


def test_stored_values_survive_re_imports_of_the_plan(people: People) -> None:
    for var, val in (("budget_innovazione", "9500000"), ("contabilizzato_innovazione",
                                                         "8835000")):
        do_set_value(user=people.officer_a, period=people.year_end,
                     item=ValueInput("3.1.1", var, Decimal(val)))
    write_plan(plan=default_plan())  # the same plan again
    plan = copy.deepcopy(default_plan())
    plan.variables = [v for v in plan.variables if v.name != "budget_innovazione"]
    write_plan(plan=plan)  # a version that no longer declares one of them
    assert dict(mm.Value.objects.values_list("variable", "number")) == {
        "budget_innovazione": Decimal("9500000"),
        "contabilizzato_innovazione": Decimal("8835000")}
    assert mm.ValueVersion.objects.count() == 2
    write_plan(plan=default_plan())  # declared again: the value is there, and editable
    do_set_value(user=people.officer_a, period=people.year_end, item=ValueInput(
        "3.1.1", "budget_innovazione", Decimal("9600000"), expected_version=1))
    assert mm.Value.objects.get(variable="budget_innovazione").version == 2
