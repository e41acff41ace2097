"""Export → import → export gives the same bytes, in JSON and YAML, and loses nothing."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from cruscotto.core.plan import (
    DataSource,
    Indicator,
    Mission,
    OperationalObjective,
    Organisation,
    Plan,
    Programme,
    ResponsibilityCentre,
    SourceRef,
    StrategicObjective,
)
from cruscotto.io.interchange import (
    dump_path,
    dumps,
    load_path,
    loads,
    plan_from_dict,
    plan_to_dict,
)

FORMATS = ["json", "yaml"]


def make_plan() -> Plan:
    """Two missions, objective 3 under both, an x.0.y indicator, accents, a year with no target."""
    seed = "piano_2021_2023.txt"
    return Plan(
        organisation=Organisation("Camera di Commercio di Milano Monza Brianza Lodi", "MI"),
        title="Piano della Performance 2021-2023",
        years=[2021, 2022, 2023],
        missions=[
            Mission("011", "Competitività e sviluppo delle imprese", [
                Programme("005", "Promozione e attuazione di politiche di sviluppo",
                          Decimal("19350072.10"), "€ 19.350.072,10", SourceRef(seed, 2)),
            ], SourceRef(seed, 1)),
            Mission("016", "Commercio internazionale", [
                Programme("005", "Sostegno all'internazionalizzazione", None, ""),
            ]),
        ],
        strategic_objectives=[
            StrategicObjective(
                "3", "IMPRESE SOLIDE INNOVATIVE INTERNAZIONALI",
                "Più qualità per le imprese:\nla declinazione è la seguente", ["011", "016"],
                SourceRef(seed, 20)),
        ],
        operational_objectives=[
            OperationalObjective("3.1", "3", "INNOVAZIONE: accompagnare le imprese", "INNOVAZIONE",
                                 "011", "005", SourceRef(seed, 22)),
            OperationalObjective("3.2", "3", "INTERNAZIONALIZZAZIONE: più export", "", "016", ""),
        ],
        indicators=[
            Indicator(
                "3.1.1", "Grado di utilizzo del budget", "Quanto del budget è speso",
                kind="efficacia", unit="percentuale", data_sources=["Contabilità", "Oracle"],
                formula_text="Valore contabilizzato anno t / Valore di budget anno t",
                targets={2022: ">=90%", 2021: "sì realizzazione"},  # 2023: no target
                centres=["Area Sviluppo d'Impresa", "Registro delle Imprese"],
                strategic_code="3", operational_code="3.1", mission_code="011",
                programme_code="005", source=SourceRef(seed, 30)),
            Indicator(
                "3.2.1", "Follower sui canali social", kind="qualità percepita", unit="numero",
                formula_text="(n. follower anno t - n. follower anno t-1) / n. follower anno t-1",
                targets={2021: "+20%", 2022: "+10%", 2023: "-3%"},
                centres=["Area Sviluppo d'Impresa"], strategic_code="3",
                operational_code="3.2", mission_code="016"),
            Indicator(
                "3.0.1", "Indice Pareto: efficienza", targets={2021: "14", 2023: "Almeno 2"},
                centres=["Registro delle Imprese"], strategic_code="3", mission_code="011"),
        ],
        centres=[
            ResponsibilityCentre("area-sviluppo-d-impresa", "Area Sviluppo d'Impresa"),
            ResponsibilityCentre("registro-delle-imprese", "Registro delle Imprese"),
        ],
        data_sources=[DataSource("contabilita", "Contabilità"), DataSource("oracle", "Oracle")],
        source=SourceRef(seed, None),
    )


@pytest.mark.parametrize("fmt", FORMATS)
def test_it_writes_the_same_bytes_after_a_round_trip(fmt: str) -> None:
    first = dumps(make_plan(), fmt)
    assert dumps(loads(first, fmt), fmt) == first


@pytest.mark.parametrize("fmt", FORMATS)
def test_it_reads_back_the_plan_it_wrote(fmt: str) -> None:
    plan = make_plan()
    back = loads(dumps(plan, fmt), fmt)
    # Targets come back in year order; the plan is otherwise the same, field for field.
    assert back.indicator("3.1.1").targets == {2021: "sì realizzazione", 2022: ">=90%"}
    assert back == plan


def test_it_goes_from_json_to_yaml_and_back_to_the_same_json() -> None:
    as_json = dumps(make_plan(), "json")
    as_yaml = dumps(loads(as_json, "json"), "yaml")
    assert dumps(loads(as_yaml, "yaml"), "json") == as_json


def test_it_goes_from_yaml_to_json_and_back_to_the_same_yaml() -> None:
    as_yaml = dumps(make_plan(), "yaml")
    as_json = dumps(loads(as_yaml, "yaml"), "json")
    assert dumps(loads(as_json, "json"), "yaml") == as_yaml


def test_it_keeps_the_budget_decimal_exactly() -> None:
    plan = make_plan()
    plan.missions[0].programmes[0].budget = Decimal("19350072.10")
    plan.missions[1].programmes[0].budget = Decimal("0.005")
    for fmt in FORMATS:
        text = dumps(plan, fmt)
        assert "19350072.10" in text and "0.005" in text
        back = loads(text, fmt)
        assert str(back.missions[0].programmes[0].budget) == "19350072.10"
        assert str(back.missions[1].programmes[0].budget) == "0.005"
    assert plan_to_dict(plan)["missions"][0]["programmes"][0]["budget"] == "19350072.10"


def test_it_writes_a_large_budget_without_exponent_notation() -> None:
    plan = make_plan()
    plan.missions[0].programmes[0].budget = Decimal("4.2E+6")
    assert plan_to_dict(plan)["missions"][0]["programmes"][0]["budget"] == "4200000"


def test_it_leaves_a_year_with_no_target_out_of_the_file() -> None:
    data = json.loads(dumps(make_plan(), "json"))
    targets = {i["code"]: i["targets"] for i in data["indicators"]}
    assert targets["3.1.1"] == {"2021": "sì realizzazione", "2022": ">=90%"}
    assert targets["3.0.1"] == {"2021": "14", "2023": "Almeno 2"}


def test_it_names_the_parents_of_each_indicator_by_code() -> None:
    data = json.loads(dumps(make_plan(), "json"))
    direct = next(i for i in data["indicators"] if i["code"] == "3.0.1")
    assert direct["strategic_objective"] == "3"
    assert direct["operational_objective"] is None
    assert direct["mission"] == "011"
    assert direct["programme"] is None
    assert data["strategic_objectives"][0]["missions"] == ["011", "016"]


def test_it_writes_json_as_readable_utf8_with_two_space_indent() -> None:
    text = dumps(make_plan(), "json")
    assert text.endswith("}\n") and not text.endswith("\n\n")
    assert "Competitività" in text and "\\u00e0" not in text
    assert text.startswith('{\n  "format": "cruscotto-plan",\n  "schema_version": 3,\n')


def test_it_writes_yaml_in_block_style_with_accents_and_no_aliases() -> None:
    plan = make_plan()
    # The same centre list object twice: a naive dump would write &id001 / *id001.
    shared = ["Registro delle Imprese"]
    plan.indicators[1].centres = shared
    plan.indicators[2].centres = shared
    text = dumps(plan, "yaml")
    assert text.startswith("format: cruscotto-plan\nschema_version: 3\norganisation:\n  name: ")
    assert text.endswith("\n") and not text.endswith("\n\n")
    assert "Competitività" in text and "\\xE0" not in text
    assert "&id" not in text and "*id" not in text
    # no flow mappings (an empty one has no block form)
    assert "{" not in text.replace("targets: {}", "").replace("measures: {}", "").replace(
        "readings: {}", "")


def test_it_keeps_long_text_on_one_line_in_yaml() -> None:
    plan = make_plan()
    long_rule = "N. istanze on line / N. istanze totali  (doppio spazio) " * 10
    plan.indicators[0].formula_text = long_rule
    text = dumps(plan, "yaml")
    assert any(line.startswith("  formula_text:") and "totali  (doppio" in line
               for line in text.splitlines())
    assert loads(text, "yaml").indicators[0].formula_text == long_rule


def test_it_writes_multiline_text_in_double_quotes_in_yaml() -> None:
    text = dumps(make_plan(), "yaml")
    assert '  narrative: "Più qualità per le imprese:\\nla declinazione è la seguente"\n' in text


def test_it_quotes_codes_that_yaml_would_read_as_numbers() -> None:
    loaded = yaml.safe_load(dumps(make_plan(), "yaml"))
    assert loaded["missions"][0]["code"] == "011"
    assert loaded["strategic_objectives"][0]["code"] == "3"
    assert loaded["indicators"][0]["targets"] == {"2021": "sì realizzazione", "2022": ">=90%"}


@pytest.mark.parametrize("suffix", [".json", ".yaml", ".yml"])
def test_it_saves_and_loads_a_file_by_its_extension(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"piano{suffix}"
    dump_path(make_plan(), path)
    fmt = "json" if suffix == ".json" else "yaml"
    assert path.read_bytes() == dumps(make_plan(), fmt).encode("utf-8")
    assert load_path(path) == make_plan()
    assert list(tmp_path.iterdir()) == [path]  # no temporary file left behind


def test_it_builds_the_plan_from_plain_data_too() -> None:
    data = plan_to_dict(make_plan())
    assert plan_from_dict(data) == make_plan()
    assert plan_to_dict(plan_from_dict(data)) == data
