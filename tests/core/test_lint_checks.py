"""Plan lint, check by check: a small plan that is clean, and one change that trips each check.

Every kind in ``CHECKS`` must appear in the table below, so a check added
without a case here fails ``test_it_exercises_every_check``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

import pytest

from cruscotto.core.findings import Severity
from cruscotto.core.lint import CHECKS, has_errors, lint_plan
from cruscotto.core.plan import (
    DataSource,
    Indicator,
    Mission,
    OperationalObjective,
    Organisation,
    Plan,
    Polarity,
    Programme,
    PublicValue,
    ResponsibilityCentre,
    SourceRef,
    StrategicObjective,
    Variable,
    VariableKind,
    YearDefinition,
)
from cruscotto.core.target_structure import TargetReading

SEVERITY = {c.kind: c.severity for c in CHECKS}


def budget_indicator(code: str = "1.1.1", **changes: object) -> Indicator:
    ind = Indicator(
        code, "Grado di utilizzo del budget", unit="percentuale", data_sources=["Contabilità"],
        formula_text="Valore contabilizzato anno t / Valore di budget anno t",
        targets={2021: ">=90%", 2022: ">=90%"}, centres=["Ragioneria"],
        strategic_code="1", operational_code="1.1", mission_code="011",
        source=SourceRef("piano.txt", 12),
        formula="speso / budget", polarity=Polarity.HIGHER_IS_BETTER)
    for name, value in changes.items():
        setattr(ind, name, value)
    return ind


def milestone_indicator(code: str = "1.1.2", **changes: object) -> Indicator:
    ind = budget_indicator(
        code, name="Nuovo portale avviato", unit="realizzazione", formula_text="sì/no",
        targets={2021: "sì realizzazione", 2022: "sì messa a regime"}, formula="portale")
    for name, value in changes.items():
        setattr(ind, name, value)
    return ind


def clean_plan() -> Plan:
    """Two plan years, one objective, a ratio and a milestone, every input declared."""
    return Plan(
        organisation=Organisation("Camera di Commercio di Prova"), title="Piano 2021-2022",
        years=[2021, 2022],
        missions=[Mission("011", "Competitività e sviluppo delle imprese", programmes=[
            Programme("005", "Promozione", budget=Decimal("19350072"),
                      budget_text="€ 19.350.072")])],
        strategic_objectives=[StrategicObjective("1", "SEMPLIFICAZIONE", mission_codes=["011"])],
        operational_objectives=[OperationalObjective("1.1", "1", "Servizi digitali",
                                                     mission_code="011")],
        indicators=[budget_indicator(), milestone_indicator()],
        centres=[ResponsibilityCentre("ragioneria", "Ragioneria")],
        data_sources=[DataSource("contabilita", "Contabilità")],
        variables=[Variable("speso", "Valore contabilizzato", "Contabilità"),
                   Variable("budget", "Valore di budget", "Contabilità"),
                   Variable("portale", "Portale avviato", "Contabilità", VariableKind.YES_NO)],
    )


def ind(plan: Plan, code: str = "1.1.1") -> Indicator:
    return plan.indicator(code)


@dataclass(frozen=True)
class Case:
    kind: str
    change: Callable[[Plan], None]
    #: the entity the finding names ("" for a plan-wide one)
    subject: str = "1.1.1"
    #: other kinds the same change trips, as a user would expect
    also: frozenset[str] = field(default_factory=frozenset)
    #: a piece of the message that tells the user what is wrong
    says: str = ""


def _set(which: str, /, **changes: object) -> Callable[[Plan], None]:
    def change(plan: Plan) -> None:
        target = plan.indicator(which)
        for name, value in changes.items():
            setattr(target, name, value)
    return change


def _add_indicator(new: Indicator) -> Callable[[Plan], None]:
    return lambda plan: plan.indicators.append(new)


def _broken_budget(plan: Plan) -> None:
    plan.missions[0].programmes[0].budget_text = "€ 4.200.00"


def _undeclared(plan: Plan) -> None:
    ind(plan).formula = "speso / budget_totale"


def _drop_variable_source(plan: Plan) -> None:
    plan.variables[1] = Variable("budget", "Valore di budget", "")


def _unused_variable(plan: Plan) -> None:
    plan.variables.append(Variable("residui", "Residui passivi", "Contabilità"))


def _yes_no_read_as_number(plan: Plan) -> None:
    plan.indicators.append(budget_indicator("1.1.3", formula="speso / portale"))


def _objective_under_two_public_values(plan: Plan) -> None:
    plan.public_values = [PublicValue("VP1", "Imprese", strategic_codes=["1"]),
                          PublicValue("VP2", "Territorio", strategic_codes=["1"])]


def _unknown_sdg(plan: Plan) -> None:
    plan.public_values = [PublicValue("VP1", "Imprese", bes=["BES4"], sdgs=["SDG18"],
                                      strategic_codes=["1"])]


CASES: list[Case] = [
    Case("plan-structure", _add_indicator(budget_indicator()), subject="",
         says="duplicate indicator code '1.1.1'"),
    Case("plan-structure", _set("1.1.1", code="1.2.1"), subject="",
         says="code does not match its operational objective '1.1'"),
    Case("target-unreadable", _set("1.1.1", targets={2021: ">90%", 2022: ">=90%"}),
         says="strict comparison"),
    Case("target-unreadable", _set("1.1.2", targets={2021: "sì max € 4.200.00",
                                                     2022: "sì messa a regime"}),
         subject="1.1.2", says="is it 4.200.000 or 4.200,00?"),
    Case("target-partly-read",
         _set("1.1.1", targets={2021: "Almeno 125 amministrazioni e almeno 2.800 soggetti",
                                2022: ">=90%"}),
         says="column 30"),
    Case("target-reading-set",
         _set("1.1.1", targets={2021: "Almeno 125 amministrazioni e almeno 2.800 soggetti",
                                2022: ">=90%"},
              readings={2021: TargetReading.from_data({"operator": "compound", "parts": [
                  {"operator": "at_least", "value": "125"},
                  {"operator": "at_least", "value": "2800", "measure": "budget"}]})}),
         says="scored by the structured reading"),
    Case("target-reading-disagrees",
         _set("1.1.1", readings={2022: TargetReading.from_data(
             {"operator": "at_least", "value": "80", "unit": "percent"})}),
         also=frozenset({"target-reading-set"}), says="reads as at least 90%"),
    Case("formula-unreadable", _set("1.1.1", formula="speso / (budget"),
         also=frozenset({"variable-unused"}), says="column 16"),
    Case("formula-kind-mismatch",
         _set("1.1.1", targets={2021: "sì realizzazione", 2022: "sì realizzazione"}),
         also=frozenset({"unit-target-mismatch"}),
         says="is a milestone but the formula 'speso / budget' gives a number"),
    Case("formula-kind-mismatch", _set("1.1.2", targets={2021: "50%", 2022: "50%"},
                                       unit="percentuale"),
         subject="1.1.2", says="needs a number but the formula 'portale' gives yes/no"),
    Case("formula-kind-mismatch", _set("1.1.1", formula="speso", unit="realizzazione",
                                       targets={2021: "sì", 2022: "sì"}),
         also=frozenset({"variable-unused"}),
         says="is a milestone but the formula 'speso' gives a number"),
    Case("variable-undefined", _undeclared, also=frozenset({"variable-unused"}),
         says="budget_totale"),
    Case("variable-kind-conflict", _yes_no_read_as_number, subject="1.1.3",
         says="reads portale as number but the plan declares it yes_no"),
    Case("number-suspicious", _broken_budget, subject="005", says="4.200.00"),
    Case("number-suspicious",
         _set("1.1.2", formula="", targets={2021: "sì max € 4.200.00", 2022: "sì"}),
         subject="1.1.2", also=frozenset({"formula-missing", "variable-unused"}),
         says="4.200.00"),
    Case("formula-missing", _set("1.1.1", formula=""), also=frozenset({"variable-unused"}),
         says="no formula"),
    Case("target-missing", _set("1.1.1", targets={2021: ">=90%"}), says="2022"),
    Case("target-read-with-warning", _set("1.1.1", polarity=Polarity.LOWER_IS_BETTER),
         says="lower is better"),
    Case("unit-target-mismatch", _set("1.1.1", unit="numero"), says="the unit is “numero”"),
    Case("unit-target-mismatch", _set("1.1.1", targets={2021: ">=90", 2022: ">=90%"}),
         says="no “%” after 90"),
    Case("growth-across-definitions",
         _set("1.1.1", targets={2021: ">=90%", 2022: "+10%"},
              definitions=[YearDefinition(2022, "speso / budget / 2")]),
         says="2022: the target '+10%' compares with 2021"),
    Case("polarity-missing", _set("1.1.1", polarity=None)),
    Case("polarity-inferred", _set("1.1.1", polarity_inferred=True), says="'higher'"),
    Case("variable-no-source", _drop_variable_source, subject="budget"),
    Case("indicator-no-centre", _set("1.1.1", centres=[])),
    Case("formula-text-missing", _set("1.1.1", formula_text="")),
    Case("target-one-off", _set("1.1.2", targets={2021: "sì realizzazione"}),
         subject="1.1.2", says="2022"),
    Case("variable-unused", _unused_variable, subject="residui"),
    Case("weight-zero", _set("1.1.1", weight=Decimal(0))),
    Case("public-value-objective-twice", _objective_under_two_public_values, subject="VP2",
         says="strategic objective 1 is grouped under public values VP1 and VP2"),
    Case("public-value-reference-unknown", _unknown_sdg, subject="VP1", says="'SDG18'"),
]


def test_it_finds_nothing_in_the_clean_plan() -> None:
    assert lint_plan(clean_plan()) == []


def test_it_exercises_every_check() -> None:
    assert {c.kind for c in CHECKS} - {c.kind for c in CASES} == set()


@pytest.mark.parametrize("case", CASES, ids=[f"{c.kind}-{i}" for i, c in enumerate(CASES)])
def test_it_reports_the_check(case: Case) -> None:
    plan = clean_plan()
    case.change(plan)
    findings = lint_plan(plan)
    assert {f.kind for f in findings} == {case.kind} | case.also
    mine = [f for f in findings if f.kind == case.kind]
    assert all(f.severity is SEVERITY[case.kind] for f in mine)
    assert case.subject in {f.subject for f in mine}
    assert any(case.says in f.message for f in mine), [f.message for f in mine]


def test_it_names_the_plan_line_of_the_indicator() -> None:
    plan = clean_plan()
    ind(plan).polarity = None
    (finding,) = lint_plan(plan)
    assert finding.line == 12


def test_it_lists_errors_first_then_warnings_then_notes() -> None:
    plan = clean_plan()
    ind(plan).weight = Decimal(0)                       # info
    ind(plan).centres = []                              # warning
    ind(plan, "1.1.2").targets = {2021: ">90%"}         # error (and a one-off note)
    findings = lint_plan(plan)
    order = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}
    ranks = [order[f.severity] for f in findings]
    assert ranks == sorted(ranks) and ranks[0] == 0 and ranks[-1] == 2
    assert has_errors(findings)
    assert not has_errors(f for f in findings if f.severity is not Severity.ERROR)


def test_it_reads_a_variable_read_both_ways_by_two_formulas_as_a_conflict() -> None:
    plan = clean_plan()
    plan.variables = [v for v in plan.variables if v.name != "portale"]
    plan.variables.append(Variable("avviato", "Avviato", "Contabilità", VariableKind.YES_NO))
    ind(plan, "1.1.2").formula = "avviato and speso > 0"
    plan.indicators.append(budget_indicator("1.1.3", formula="avviato * 2"))
    conflicts = [f for f in lint_plan(plan) if f.kind == "variable-kind-conflict"]
    plan_wide = [f for f in conflicts if f.subject == "avviato"]
    assert plan_wide and "number by 1.1.3" in plan_wide[0].message
    assert "yes_no by 1.1.2" in plan_wide[0].message
