"""The engine's reading of a plan (formulas, measures, polarity, weights, variables,
status bands) travels through the interchange files exactly, and is checked on the way in."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
import yaml

from cruscotto.core.plan import Plan, Polarity, StatusBands, VariableKind
from cruscotto.io.errors import InputError
from cruscotto.io.interchange import dumps, loads, plan_to_dict
from tests.conftest import make_encoded_plan

FORMATS = ["json", "yaml"]


def line_of(text: str, needle: str, nth: int = 1) -> int:
    """The 1-based line of the ``nth`` occurrence of ``needle``."""
    at = -1
    for _ in range(nth):
        at = text.index(needle, at + 1)
    return text[:at].count("\n") + 1


def refuse(text: str, fmt: str = "yaml") -> InputError:
    with pytest.raises(InputError) as caught:
        loads(text, fmt, filename=f"piano.{fmt}")
    return caught.value


@pytest.fixture
def as_yaml(encoded_plan: Plan) -> str:
    return dumps(encoded_plan, "yaml")


@pytest.mark.parametrize("fmt", FORMATS)
def test_it_writes_the_same_bytes_after_a_round_trip(encoded_plan: Plan, fmt: str) -> None:
    first = dumps(encoded_plan, fmt)
    back = loads(first, fmt)
    assert back == encoded_plan
    assert dumps(back, fmt) == first


def test_it_goes_from_json_to_yaml_and_back_to_the_same_json(encoded_plan: Plan) -> None:
    as_json = dumps(encoded_plan, "json")
    as_yaml = dumps(loads(as_json, "json"), "yaml")
    assert dumps(loads(as_yaml, "yaml"), "json") == as_json


def test_it_writes_what_the_engine_reads_in_plain_words(encoded_plan: Plan) -> None:
    data = json.loads(dumps(encoded_plan, "json"))
    ind = {i["code"]: i for i in data["indicators"]}
    assert ind["3.1.2"]["formula"] == "piattaforma_avviata"
    assert ind["3.1.2"]["measures"] == {"spesa": "speso_piattaforma"}
    assert [ind[c]["polarity"] for c in ("3.1.1", "3.2.1", "6.0.1")] == [
        "higher", "band", "lower"]
    assert (ind["6.0.1"]["polarity_inferred"], ind["3.1.1"]["polarity_inferred"]) == (True, False)
    # weights are exact decimals written as text, like budgets
    assert [ind[c]["weight"] for c in ("3.1.1", "3.1.2", "3.2.1", "6.0.1")] == [
        "2", "0.5", "0", "1.125"]
    assert data["variables"][2] == {
        "name": "piattaforma_avviata", "label": "Piattaforma avviata", "source": "",
        "kind": "yes_no", "unit": ""}
    assert data["status_bands"] == {"green": "95", "yellow": "62.5"}


def test_it_reads_back_each_engine_field(as_yaml: str) -> None:
    plan = loads(as_yaml, "yaml")
    assert plan.indicator("6.0.1").polarity is Polarity.LOWER_IS_BETTER
    assert plan.indicator("3.1.1").weight == Decimal(2)
    assert str(plan.indicator("6.0.1").weight) == "1.125"
    assert plan.variable("piattaforma_avviata").kind is VariableKind.YES_NO
    assert plan.variable("imprese_assistite").source == "Ufficio estero"
    assert plan.bands == StatusBands(green=Decimal(95), yellow=Decimal("62.5"))


def test_it_keeps_the_weight_as_written(encoded_plan: Plan) -> None:
    encoded_plan.indicator("3.1.1").weight = Decimal("1.50")
    encoded_plan.indicator("3.1.2").weight = Decimal("0.333333333333333333333333")
    encoded_plan.indicator("3.2.1").weight = Decimal("2E+3")
    encoded_plan.indicator("6.0.1").weight = Decimal("-0")
    for fmt in FORMATS:
        text = dumps(encoded_plan, fmt)
        back = loads(text, fmt)
        assert str(back.indicator("3.1.1").weight) == "1.50"
        assert str(back.indicator("3.1.2").weight) == "0.333333333333333333333333"
        assert str(back.indicator("3.2.1").weight) == "2000"  # never exponent notation
        assert str(back.indicator("6.0.1").weight) == "0"  # a zero has no sign
        assert dumps(back, fmt) == text


def test_it_leaves_the_engine_fields_at_their_defaults_for_an_unencoded_plan(
    small_plan: Plan,
) -> None:
    data = plan_to_dict(small_plan)
    ind = data["indicators"][0]
    assert (ind["formula"], ind["measures"], ind["polarity"], ind["polarity_inferred"],
            ind["weight"]) == ("", {}, None, False, "1")
    assert (data["variables"], data["status_bands"]) == ([], {"green": "100", "yellow": "70"})


def test_it_reads_a_weight_of_several_forms_of_zero_and_one(as_yaml: str) -> None:
    text = as_yaml.replace("weight: '2'", "weight: '0.000'")
    assert str(loads(text, "yaml").indicator("3.1.1").weight) == "0.000"


@pytest.mark.parametrize("bad", ["'-1'", "'pesante'", "'1,5'", "''", "'1e3'"])
def test_it_refuses_a_weight_that_is_not_a_number_of_0_or_more(as_yaml: str, bad: str) -> None:
    text = as_yaml.replace("weight: '2'", f"weight: {bad}")
    err = refuse(text)
    assert (err.line, err.field) == (line_of(text, f"weight: {bad}"), "indicators[0].weight")
    assert err.message.startswith("indicator 3.1.1: ")
    assert err.expected == 'a decimal number of 0 or more written as text, like "1" or "0.5"'


def test_it_refuses_a_weight_written_as_a_number_and_says_to_quote_it(as_yaml: str) -> None:
    text = as_yaml.replace("weight: '2'", "weight: 2")
    err = refuse(text)
    assert (err.line, err.field) == (line_of(text, "weight: 2\n"), "indicators[0].weight")
    assert err.message == ("indicator 3.1.1: wrong type: found the number 2; in YAML, put it "
                           "in quotes to make it text")
    data = json.loads(dumps(make_encoded_plan(), "json"))
    data["indicators"][0]["weight"] = 0.5
    err = refuse(json.dumps(data, indent=2), "json")
    assert err.field == "indicators[0].weight"
    assert err.message == "indicator 3.1.1: wrong type: found the number 0.5"


def test_it_refuses_an_unknown_polarity(as_yaml: str) -> None:
    text = as_yaml.replace("polarity: band", "polarity: up")
    err = refuse(text)
    assert (err.line, err.field) == (line_of(text, "polarity: up"), "indicators[2].polarity")
    assert err.message == "indicator 3.2.1: wrong value 'up'"
    assert err.expected == '"higher", "lower", "band" or null'


def test_it_refuses_an_inferred_polarity_that_is_not_yes_or_no(as_yaml: str) -> None:
    text = as_yaml.replace("polarity_inferred: true", "polarity_inferred: 'forse'")
    err = refuse(text)
    assert err.field == "indicators[3].polarity_inferred"
    assert err.expected == "true or false"


def test_it_refuses_a_variable_whose_data_source_the_plan_does_not_list(as_yaml: str) -> None:
    text = as_yaml.replace("source: Ufficio estero", "source: Ufficio esteri")
    err = refuse(text)
    assert err.message == "the plan is not valid (1 problem)"
    assert (err.line, err.field) == (line_of(text, "- name: imprese_assistite"), "variables[4]")
    assert err.problems == ["variable imprese_assistite: unknown data source 'Ufficio esteri'"]


def test_it_refuses_a_variable_declared_twice_pointing_at_the_repeat(as_yaml: str) -> None:
    text = as_yaml.replace("- name: costi_struttura", "- name: budget_innovazione")
    err = refuse(text)
    assert err.problems == ["duplicate variable code 'budget_innovazione'"]
    assert (err.line, err.field) == (line_of(text, "- name: budget_innovazione", 2),
                                     "variables[5]")


def test_it_refuses_a_variable_name_formulas_cannot_use(as_yaml: str) -> None:
    text = as_yaml.replace("- name: costi_struttura", "- name: costi di struttura")
    err = refuse(text)
    assert err.field == "variables[5]"
    assert "variable 'costi di struttura': a name is a letter" in err.problems[0]


def test_it_refuses_a_variable_of_an_unknown_kind(as_yaml: str) -> None:
    text = as_yaml.replace("kind: yes_no", "kind: boolean")
    err = refuse(text)
    assert (err.line, err.field) == (line_of(text, "kind: boolean"), "variables[2].kind")
    assert err.message == "variable piattaforma_avviata: wrong value 'boolean'"
    assert err.expected == '"number" or "yes_no"'


def test_it_refuses_status_bands_out_of_order(as_yaml: str) -> None:
    text = as_yaml.replace("green: '95'", "green: '50'")
    err = refuse(text)
    assert (err.line, err.field) == (line_of(text, "  green: '50'"), "status_bands")
    assert err.message == "status bands out of order or out of range: green 50, yellow 62.5"
    assert err.expected == "0 <= yellow <= green <= 100"


def test_it_refuses_a_status_band_above_100(as_yaml: str) -> None:
    err = refuse(as_yaml.replace("green: '95'", "green: '120'"))
    assert err.field == "status_bands" and err.expected == "0 <= yellow <= green <= 100"


def test_it_refuses_status_bands_missing_one_threshold(as_yaml: str) -> None:
    text = as_yaml.replace("  yellow: '62.5'\n", "")
    err = refuse(text)
    assert err.field == "status_bands.yellow"
    assert err.message == "missing required field 'yellow'"


def test_it_leaves_formulas_to_the_lint(as_yaml: str) -> None:
    # an unreadable formula, or one reading an undeclared variable, is the lint's
    # finding on the file (cruscotto plan lint), not a reason to refuse it
    text = as_yaml.replace("formula: imprese_assistite", "formula: imprese_assistite +")
    assert loads(text, "yaml").indicator("3.2.1").formula == "imprese_assistite +"


def test_it_refuses_an_empty_measure(as_yaml: str) -> None:
    text = as_yaml.replace("spesa: speso_piattaforma", "spesa: ''")
    err = refuse(text)
    assert err.field == "indicators[1].measures.spesa"
    assert err.message == "indicator 3.1.2: must not be empty"


def test_what_it_writes_is_valid_for_the_schema(encoded_plan: Plan) -> None:
    from jsonschema import Draft202012Validator

    from cruscotto.io.interchange import plan_schema

    data = yaml.safe_load(dumps(encoded_plan, "yaml"))
    assert list(Draft202012Validator(plan_schema()).iter_errors(data)) == []
