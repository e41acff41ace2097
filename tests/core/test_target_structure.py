"""A structured reading beside a target's text: validated, scored as the reader's own
reading would be, reported by the lint (which reading is in force, and disagreements)."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from cruscotto.core.lint import lint_plan
from cruscotto.core.messages import Message, get_translator, set_translator
from cruscotto.core.numbers import TOO_LARGE
from cruscotto.core.plan import Plan, validate_plan
from cruscotto.core.scoring import IndicatorSpec, Outcome, compile_indicator, score_indicator
from cruscotto.core.target_structure import (
    ReadingError,
    TargetReading,
    reading_problems,
    reading_to_target,
    readings_disagree,
    set_by,
)
from cruscotto.core.targets import Polarity, TargetKind, TargetPartlyRead, parse_target
from cruscotto.data import default_plan

H = Polarity.HIGHER_IS_BETTER


@pytest.fixture(autouse=True)
def _italian() -> Iterator[None]:
    """Messages as written (Italian), whatever an earlier test left set."""
    before = get_translator()
    set_translator(None)
    yield
    set_translator(before)

#: from the corpus (tests/core/corpus/targets_real.yaml, pt2024, open data, 2024): two
#: thresholds on two catalogues; the reader refuses it as partly read at "55"
TWO_CATALOGUES = ("Documentazione di 22.000 dataset e servizi nel catalogo geodati.gov.it "
                  "e di 55.000 dataset nel catalogo dati.gov.it")
BOTH = TargetReading.from_data({
    "operator": "compound",
    "parts": [
        {"operator": "at_least", "value": "22000", "label": "dataset su geodati.gov.it"},
        {"operator": "at_least", "value": "55000", "measure": "dataset_dati_gov",
         "label": "dataset su dati.gov.it"},
    ],
})


def _spec(readings: dict[int, TargetReading] | None = None) -> IndicatorSpec:
    return compile_indicator(
        code="5.1.1", formula="dataset_geodati", targets={2024: TWO_CATALOGUES},
        measures={"dataset_dati_gov": "dataset_dati_gov"}, readings=readings)


def test_the_corpus_text_is_refused_without_a_reading_and_scored_with_one() -> None:
    with pytest.raises(TargetPartlyRead):
        parse_target(TWO_CATALOGUES, unit="numero", polarity=H, year=2024)
    inputs = {("dataset_geodati", 2024): Decimal(23000), ("dataset_dati_gov", 2024): Decimal(54000)}
    refused = score_indicator(_spec(), inputs, 2024)
    assert refused.outcome is Outcome.NOT_COMPUTABLE and refused.achievement is None

    spec = _spec({2024: BOTH})
    result = score_indicator(spec, inputs, 2024)
    assert result.outcome is Outcome.SCORED
    # the second catalogue is short of its threshold: the target is not met
    assert result.met is False
    assert result.target is not None and result.target.text == TWO_CATALOGUES
    met = score_indicator(spec, {**inputs, ("dataset_dati_gov", 2024): Decimal(56000)},
                          2024)
    assert met.met is True and met.achievement == 100


def test_a_reading_gives_the_very_target_the_text_reader_gives() -> None:
    pairs = [
        (">=90%", {"operator": "at_least", "value": "90", "unit": "percent"}),
        ("Al massimo 1.500", {"operator": "at_most", "value": "1500"}),
        ("+10%", {"operator": "growth", "value": "10", "unit": "percent"}),
        ("-3%", {"operator": "reduction", "value": "3", "unit": "percent"}),
        ("Ulteriori 5 fonti", {"operator": "growth", "value": "5"}),
        ("50 ± 5", {"operator": "exactly", "value": "50", "tolerance": "5"}),
    ]
    for text, data in pairs:
        own = parse_target(text, unit="", polarity=Polarity.TARGET_BAND, year=2024)
        set_ = reading_to_target(TargetReading.from_data(data), text=text, year=2024)
        assert not readings_disagree(own, set_), text
    other = reading_to_target(TargetReading.from_data(
        {"operator": "at_least", "value": "80", "unit": "percent"}), text=">=90%", year=2024)
    assert readings_disagree(parse_target(">=90%", unit="", polarity=H), other)


def test_a_base_that_is_a_years_target_takes_that_targets_value() -> None:
    text = "Aumento del 30% del numero dei dataset rispetto al target 2024"
    reading = TargetReading.from_data({"operator": "growth", "value": "30", "unit": "percent",
                                       "base": "year_target", "base_year": 2024})
    spec = compile_indicator(code="5.1.2", formula="dataset",
                             targets={2024: "Almeno 1.000 dataset", 2025: text},
                             readings={2025: reading})
    target = spec.targets[2025]
    assert (target.kind, target.base_value, target.relative_to_previous) == (
        TargetKind.GROWTH, Decimal(1000), False)
    # compared with the 2024 target (1.000), not with the 2024 actual value (2.000)
    inputs = {("dataset", 2025): Decimal(1300), ("dataset", 2024): Decimal(2000)}
    assert score_indicator(spec, inputs, 2025).met is True
    assert score_indicator(spec, {**inputs, ("dataset", 2025): Decimal(1200)}, 2025).met is False


def test_a_declared_base_value_with_its_date() -> None:
    reading = TargetReading.from_data({
        "operator": "growth", "value": "8", "unit": "percent", "base": "value",
        "base_value": "992721372", "base_date": "monitoraggio di novembre 2023"})
    t = reading_to_target(reading, text="…", year=2025)
    assert (t.base_value, t.base_label, t.threshold) == (
        Decimal(992721372), "monitoraggio di novembre 2023", Decimal("0.08"))


@pytest.mark.parametrize(("data", "words"), [
    ({"operator": "more_or_less", "value": "1"}, "operatore «more_or_less» sconosciuto"),
    ({"operator": "at_least"}, "manca il valore"),
    ({"operator": "at_least", "value": "1", "unit": "litri"}, "unità «litri» sconosciuta"),
    ({"operator": "at_least", "value": "1", "measure": "spesa"},
     "la misura «spesa» non è tra quelle dell'indicatore"),
    ({"operator": "compound", "parts": [{"operator": "at_least", "value": "1"}]},
     "più soglie vogliono da 2 a"),
    ({"operator": "growth", "value": "3", "base": "year_target", "base_year": 2025},
     "la base è il target del 2025: serve un anno del piano precedente al 2025"),
    ({"operator": "growth", "value": "3", "base": "value", "base_value": "10"},
     "manca la sua data"),
    ({"operator": "at_least", "value": "1", "base": "value"}, "una base va solo con"),
    ({"operator": "milestone", "value": "1"}, "«milestone» non ha un valore"),
])
def test_a_reading_that_cannot_be_used_says_why(data: dict[str, object], words: str) -> None:
    problems = reading_problems(TargetReading.from_data(data), year=2025,
                                years=(2024, 2025, 2026), measures={"dataset"})
    assert any(words in p.render() for p in problems), [p.render() for p in problems]


def test_numbers_keep_to_the_value_domain() -> None:
    (problem,) = reading_problems(TargetReading.from_data(
        {"operator": "at_least", "value": "1000000000000"}), year=2025)
    assert isinstance(problem, Message) and problem.params["why"].template == TOO_LARGE


def test_values_of_the_wrong_form_are_refused_naming_the_field() -> None:
    with pytest.raises(ReadingError) as caught:
        TargetReading.from_data({"operator": "at_least", "value": "dieci",
                                 "deadline": "31/12/2024"})
    text = "; ".join(p.render() for p in caught.value.problems)
    assert "value: «dieci» non è un numero" in text and "deadline: «31/12/2024»" in text


def test_plain_data_round_trips() -> None:
    data = {"operator": "growth", "value": "30", "unit": "percent", "label": "dataset",
            "base": "year_target", "base_year": 2024, "deadline": "2025-12-31"}
    reading = TargetReading.from_data(data)
    assert reading.deadline == datetime.date(2025, 12, 31)
    assert reading.to_data() == data
    assert TargetReading.from_data(BOTH.to_data()) == BOTH


def _plan_with(text: str, reading: TargetReading) -> Plan:
    plan = default_plan()
    ind = plan.indicator("3.1.1")
    ind.targets[2022] = text
    ind.readings[2022] = reading
    return plan


def test_the_plan_refuses_a_reading_without_a_target_or_on_an_unknown_measure() -> None:
    plan = default_plan()
    ind = plan.indicator("1.2.1")
    ind.readings[2021] = TargetReading.from_data(
        {"operator": "at_least", "value": "1", "measure": "nessuna"})
    del ind.targets[2022]
    ind.readings[2022] = TargetReading.from_data({"operator": "at_least", "value": "1"})
    problems = validate_plan(plan)
    assert "indicator 1.2.1: a reading for 2022, which has no target text" in problems
    assert any(p.startswith("indicator 1.2.1: reading 2021: la misura «nessuna»")
               for p in problems)


def test_the_lint_says_which_reading_is_in_force_and_who_set_it() -> None:
    text = "Almeno 125 amministrazioni e almeno 2.800 soggetti"
    plan = _plan_with(text, TargetReading.from_data({
        "operator": "compound", "parts": [
            {"operator": "at_least", "value": "125", "unit": "percent"},
            {"operator": "at_least", "value": "2800", "measure": "budget_innovazione"}]}))
    kinds = [f.kind for f in lint_plan(plan) if f.subject == "3.1.1"]
    assert "target-partly-read" not in kinds and "target-reading-set" in kinds
    (found,) = [f for f in lint_plan(
        plan, reading_sources={("3.1.1", 2022): set_by("ufficio.piano", "12/03/2024")})
        if f.kind == "target-reading-set"]
    assert found.text is not None and found.text.render() == (
        f"2022: target «{text}»: lettura impostata da ufficio.piano il 12/03/2024: almeno 125% "
        "e almeno 2.800 (misura «budget_innovazione»)")


def test_the_lint_warns_when_the_text_reads_otherwise() -> None:
    plan = _plan_with(">=90%", TargetReading.from_data(
        {"operator": "at_least", "value": "80", "unit": "percent"}))
    found = {f.kind: f for f in lint_plan(plan) if f.subject == "3.1.1"}
    assert found["target-reading-disagrees"].text.render() == (  # type: ignore[union-attr]
        "2022: il testo «>=90%» si legge diversamente dalla lettura impostata accanto "
        "(almeno 80%): si valuta la lettura impostata")
    agreeing = _plan_with(">=90%", TargetReading.from_data(
        {"operator": "at_least", "value": "90", "unit": "percent"}))
    assert "target-reading-disagrees" not in {
        f.kind for f in lint_plan(agreeing)}


def test_the_worked_example_of_the_engine_doc() -> None:
    doc = (Path(__file__).resolve().parents[2] / "docs" / "engine.md").read_text("utf-8")
    (block,) = re.findall(r"^```engine-reading\n(.*?)^```", doc, flags=re.S | re.M)
    ex = yaml.safe_load(block)
    with pytest.raises(TargetPartlyRead):
        parse_target(ex["text"], unit="", polarity=H, year=ex["year"])
    spec = compile_indicator(code="x", formula=ex["formula"], targets={ex["year"]: ex["text"]},
                             measures=ex["measures"],
                             readings={ex["year"]: TargetReading.from_data(ex["reading"])})
    inputs = {(k, ex["year"]): Decimal(v) for k, v in ex["inputs"].items()}
    result = score_indicator(spec, inputs, ex["year"])
    assert (result.met, result.achievement) == (ex["met"], Decimal(ex["achievement"]))
