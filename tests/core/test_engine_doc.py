"""docs/engine.md cannot drift: its worked examples are run against the engine.

Blocks fenced as ``engine-example`` (indicators, inputs, expected figures),
``engine-formula-error`` (formula errors with their column) and
``engine-targets`` (target forms and their descriptions) are read from the
page and checked here; the function table must list every function.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

from cruscotto.core.baselines import Baseline
from cruscotto.core.formula import FUNCTIONS, FormulaError, parse
from cruscotto.core.periods import compile_plan_indicator
from cruscotto.core.plan import Indicator
from cruscotto.core.rollup import Placement, PlanEvaluation, evaluate, needs
from cruscotto.core.scoring import (
    IndicatorResult,
    StatusBands,
    compile_indicator,
    score_indicator,
    spec_findings,
)
from cruscotto.core.targets import Polarity, TargetError, TargetPartlyRead, parse_target
from cruscotto.core.values import InputValue, VarKey
from cruscotto.io.interchange import baselines_from_data, definitions_from_data
from tests.core.seed import YEARS, seed_rows

DOC = Path(__file__).resolve().parents[2] / "docs" / "engine.md"
POLARITY = {"higher": Polarity.HIGHER_IS_BETTER, "lower": Polarity.LOWER_IS_BETTER,
            "band": Polarity.TARGET_BAND}


def blocks(kind: str) -> list[Any]:
    text = DOC.read_text(encoding="utf-8")
    found = re.findall(rf"^```{kind}\n(.*?)^```", text, flags=re.S | re.M)
    return [yaml.safe_load(b) for b in found]


def as_input(raw: object) -> InputValue:
    if raw is None or isinstance(raw, bool):
        return raw
    return Decimal(str(raw))


def run_example(ex: dict[str, Any]) -> PlanEvaluation:
    year = int(ex["year"])
    specs, placements = [], []
    for ind in ex["indicators"]:
        code = str(ind["code"])
        specs.append(compile_indicator(
            code=code, formula=ind["formula"], targets={year: str(ind["target"])},
            unit=ind.get("unit", ""), polarity=POLARITY[ind.get("polarity", "higher")],
            measures=ind.get("measures")))
        placements.append(Placement(
            indicator=code, strategic=str(ind.get("strategic", code.split(".")[0])),
            operational=str(ind.get("operational", "")), mission=str(ind.get("mission", "")),
            centres=tuple(ind.get("centres", ())), weight=Decimal(str(ind.get("weight", 1)))))
    inputs: dict[VarKey, InputValue] = {}
    for key, raw in (ex.get("inputs") or {}).items():
        name, y = key.split()
        inputs[(name, int(y))] = as_input(raw)
    bands = ex.get("bands")
    return evaluate(specs, placements, inputs, year=year, bands=StatusBands(
        green=Decimal(str(bands["green"])), yellow=Decimal(str(bands["yellow"]))
    ) if bands else StatusBands())


def dec(raw: object) -> Decimal | None:
    return None if raw is None else Decimal(str(raw))


def check_indicator(r: IndicatorResult, want: dict[str, Any]) -> None:
    for key, expected in want.items():
        if key == "value":
            assert r.value == (expected if isinstance(expected, bool) else dec(expected)), key
        elif key == "achievement":
            assert r.achievement == dec(expected), (r.code, r.reason)
        elif key == "met":
            assert r.met is expected
        elif key in ("status", "outcome"):
            assert getattr(r, key).value == expected, (r.code, key)
        elif key == "rule":
            assert r.assessment is not None and r.assessment.rule == expected
        elif key == "reason_contains":
            assert expected in str(r.reason)
        elif key == "missing":
            assert [f"{n} {y}" for n, y in r.missing] == expected
        else:  # pragma: no cover - a typo in the doc
            raise AssertionError(f"unknown expectation {key!r}")


def check_node(node: Any, want: dict[str, Any]) -> None:
    for key, expected in want.items():
        if key in ("achievement", "weight"):
            assert getattr(node, key) == dec(expected), (node.code, key, node.working)
        elif key == "status":
            assert node.status.value == expected
        elif key == "left_out":
            assert [x.indicator for x in node.left_out] == expected
        elif key == "children":
            got = {c.code: [c.achievement, c.weight] for c in node.children}
            assert got == {k: [dec(a), dec(w)] for k, (a, w) in expected.items()}
        else:  # pragma: no cover
            raise AssertionError(f"unknown expectation {key!r}")


EXAMPLES = blocks("engine-example")


def test_the_doc_has_worked_examples() -> None:
    assert len(EXAMPLES) >= 10


@pytest.mark.parametrize("example", EXAMPLES, ids=[f"example-{i + 1}" for i in range(
    len(EXAMPLES))])
def test_each_worked_example_gives_the_figures_the_doc_states(example: dict[str, Any]) -> None:
    ev = run_example(example)
    expect = example["expect"]
    for code, want in expect.get("indicators", {}).items():
        r = ev.indicators[str(code)]
        assert isinstance(r, IndicatorResult)
        check_indicator(r, want)
    for level in ("operational", "strategic", "missions", "centres"):
        for code, want in expect.get(level, {}).items():
            check_node(getattr(ev, level)[str(code)], want)
    if "organisation" in expect:
        check_node(ev.organisation, expect["organisation"])


FORMULA_ERRORS = [case for b in blocks("engine-formula-error") for case in b]


@pytest.mark.parametrize("case", FORMULA_ERRORS, ids=[c["text"] or "empty"
                                                      for c in FORMULA_ERRORS])
def test_each_documented_formula_error_is_what_the_parser_says(case: dict[str, Any]) -> None:
    with pytest.raises(FormulaError) as err:
        parse(case["text"])
    assert (err.value.column, err.value.token, err.value.expected) == (
        case["column"], case["token"], case["expected"])


TARGETS = [case for b in blocks("engine-targets") for case in b]


@pytest.mark.parametrize("case", TARGETS, ids=[c["text"] or "empty" for c in TARGETS])
def test_each_documented_target_reads_as_the_doc_says(case: dict[str, Any]) -> None:
    baselines = [Baseline(Decimal(v), datetime.date.fromisoformat(d))
                 for v, d in case.get("baselines", [])]

    def read() -> Any:
        return parse_target(case["text"], unit=case["unit"], polarity=POLARITY[case["polarity"]],
                            year=case.get("year"), baselines=baselines)

    if "error_column" in case:
        with pytest.raises(TargetError) as err:
            read()
        assert err.value.column == case["error_column"]
        if "error_token" in case:
            assert err.value.token == case["error_token"]
        assert isinstance(err.value, TargetPartlyRead) == case.get("partly", False)
        return
    t = read()
    assert t.kind.value == case["kind"]
    if "threshold" in case:
        assert t.threshold == Decimal(case["threshold"])
    if "it" in case:
        assert t.describe("it") == case["it"]
    if "en" in case:
        assert t.describe("en") == case["en"]
    if "warnings" in case:
        assert len(t.all_warnings()) == case["warnings"]
    if "parts" in case:
        assert [(p.kind.value, p.threshold) for p in t.parts] == [
            (k, Decimal(v)) for k, v in case["parts"]]
    if "base" in case:
        assert t.base_value == Decimal(case["base"])
    if "base_target_year" in case:
        assert t.base_target_year == case["base_target_year"]
    if "deadline" in case:
        assert t.deadline is not None and t.deadline.describe() == case["deadline"]


YEARLY = blocks("engine-yearly")


def test_the_doc_has_a_per_year_example() -> None:
    assert YEARLY


@pytest.mark.parametrize("example", YEARLY, ids=[f"yearly-{i + 1}" for i in range(len(YEARLY))])
def test_each_per_year_example_gives_what_the_doc_states(example: dict[str, Any]) -> None:
    raw = example["indicator"]
    ind = Indicator(
        "1.1.1", "esempio", unit=raw.get("unit", ""), formula=raw["formula"],
        polarity=POLARITY[raw.get("polarity", "higher")],
        targets={int(y): str(t) for y, t in raw["targets"].items()},
        definitions=definitions_from_data(raw.get("definitions", [])),
        baselines=baselines_from_data(raw.get("baselines", [])))
    spec = compile_plan_indicator(ind, {})
    inputs: dict[VarKey, InputValue] = {}
    for key, value in example["inputs"].items():
        name, y = key.split()
        inputs[(name, int(y))] = as_input(value)
    for year, want in example["expect"].items():
        r = score_indicator(spec, inputs, int(year))
        assert r.value == dec(want["value"]), year
        assert sorted(f"{n} {y}" for n, y in spec.needs(int(year))) == want["needs"], year
        assert r.met is want["met"], (year, r.reason)
        if "achievement" in want:
            assert r.achievement == dec(want["achievement"]), year
        if "target" in want:
            assert r.target is not None and r.target.describe() == want["target"], year


def test_the_doc_lists_every_function() -> None:
    text = DOC.read_text(encoding="utf-8")
    for f in FUNCTIONS.values():
        assert f"| `{f.signature}` |" in text, f.signature


SEED_PROPOSAL: dict[str, dict[str, Any]] = {
    str(k): v for b in blocks("engine-seed") for k, v in b.items()}
#: what a lint must say about the proposal with the seed's own targets
KNOWN_FINDINGS = {
    ("6.5.4", "target-unreadable"),  # 4.200.00
    ("2.1.1", "target-read-with-warning"),  # >=90 on a percentage, '%' missing
    ("3.3.2", "target-read-with-warning"),  # a percentage target on a 'numero' unit
}


def test_the_doc_proposes_a_formula_for_every_seed_indicator() -> None:
    assert sorted(SEED_PROPOSAL) == sorted(seed_rows())


def test_the_seed_proposal_compiles_against_the_seed_targets() -> None:
    findings: set[tuple[str, str]] = set()
    specs = []
    for code, (unit, texts) in seed_rows().items():
        entry = SEED_PROPOSAL[code]
        spec = compile_indicator(
            code=code, formula=entry["formula"], unit=unit,
            targets={y: t for y, t in zip(YEARS, texts, strict=True) if t},
            polarity=POLARITY[entry.get("polarity", "higher")],
            measures=entry.get("measures"))
        specs.append(spec)
        findings |= {(f.subject, f.kind) for f in spec_findings(spec)}
    assert findings == KNOWN_FINDINGS
    # plan-wide names: no variable is read as a number by one indicator and
    # as yes/no by another
    kinds: dict[str, set[str]] = {}
    for spec in specs:
        for name, kind in spec.formula.variable_kinds.items():
            kinds.setdefault(name, set()).add(kind.value)
    assert all(len(k) == 1 for k in kinds.values())
    # every year with a target can say what it needs
    assert needs(specs, 2021) >= {("follower_social", 2020), ("spesa_gestione_immobili", 2021)}


def test_the_shipped_plan_computes_what_the_doc_says() -> None:
    from cruscotto.data import default_plan

    plan = default_plan()
    shipped = {i.code: (i.formula, (i.polarity or "higher").__str__(), i.measures)
               for i in plan.indicators}
    documented = {code: (e["formula"], e.get("polarity", "higher"), e.get("measures") or {})
                  for code, e in SEED_PROPOSAL.items()}
    assert shipped == documented
