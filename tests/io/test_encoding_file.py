"""Encoding files: the engine's reading of a plan, applied all or nothing.

A refused file names the file, the line and the field, says what was expected,
and leaves the plan it was applied to exactly as it was.
"""

from __future__ import annotations

import copy
import textwrap
from decimal import Decimal
from pathlib import Path

import pytest

from cruscotto.core.findings import Severity
from cruscotto.core.plan import Plan, Polarity, VariableKind
from cruscotto.data import ENCODING, SEED_TEXT
from cruscotto.io.encoding import apply_encoding
from cruscotto.io.errors import InputError
from cruscotto.io.seed_text import import_path
from tests.conftest import make_small_plan

#: a sound encoding of the small test plan (tests/conftest.py); line numbers matter below
GOOD = textwrap.dedent("""\
    status_bands: {green: 95, yellow: 60}
    variables:
      - {name: speso, label: Valore contabilizzato, unit: euro}
      - {name: budget, label: Valore di budget, source: Contabilità}
      - {name: piattaforma, label: Piattaforma avviata, kind: yes_no}
      - {name: imprese_assistite, label: Imprese assistite}
    indicators:
      "3.1.1": {formula: speso / budget, polarity: higher}
      "3.1.2": {formula: piattaforma, polarity: higher}
      "3.2.1": {formula: imprese_assistite, polarity: higher}
      "6.0.1":
        formula: speso / budget
        polarity: lower
        polarity_inferred: true
        why: the target is a bare 36% on a share of costs
        weight: 2
    """)


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "encoding.yaml"
    path.write_text(text, "utf-8")
    return path


def test_it_applies_formulas_polarities_variables_weights_and_bands(tmp_path: Path) -> None:
    plan = make_small_plan()
    findings = apply_encoding(plan, write(tmp_path, GOOD))
    assert [f.subject for f in findings] == ["3.1.1", "3.1.2", "3.2.1", "6.0.1"]
    assert all(f.severity is Severity.INFO and f.kind == "encoding-applied" for f in findings)
    assert "inferred: the target is a bare 36%" in findings[-1].message
    assert plan.indicator("3.1.1").formula == "speso / budget"
    cost = plan.indicator("6.0.1")
    assert (cost.polarity, cost.polarity_inferred, cost.weight) == (
        Polarity.LOWER_IS_BETTER, True, Decimal(2))
    assert plan.bands.green == 95 and plan.bands.yellow == 60
    by_name = {v.name: v for v in plan.variables}
    assert list(by_name) == ["speso", "budget", "piattaforma", "imprese_assistite"]
    assert by_name["piattaforma"].kind is VariableKind.YES_NO
    # a source left out is the first data source of the first indicator reading it
    assert by_name["speso"].source == "Contabilità"
    assert by_name["imprese_assistite"].source == "Registro imprese (InfoCamere)"


def test_the_shipped_encoding_applies_to_the_seed_import() -> None:
    plan = import_path(SEED_TEXT).plan
    findings = apply_encoding(plan, ENCODING)
    assert len(plan.variables) == 49
    assert len(findings) == 36  # every indicator has an entry (four get their formula in errata)
    assert {i.code for i in plan.indicators if not i.formula} == {
        "1.1.3", "1.2.2", "3.1.3", "3.3.3"}


#: id, change to GOOD, line, field, piece of the message, piece of what was expected
#: (an indicator's line is where its entry starts: 6.0.1's block begins on line 12)
BAD = [
    ("unknown-top-key", lambda t: t + "colori: {verde: 100}\n", 1, "colori",
     "unknown key 'colori'", "indicators | status_bands | variables"),
    ("unknown-indicator-key", lambda t: t.replace("weight: 2", "peso: 2"), 12,
     "indicators.6.0.1.peso", "unknown key 'peso'", "formula | measures | polarity"),
    ("unknown-variable-key", lambda t: t.replace("unit: euro", "fonte: euro"), 3,
     "variables[0].fonte", "unknown key 'fonte'", "kind | label | name | source | unit"),
    ("unknown-indicator", lambda t: t + '  "9.9.9": {formula: speso}\n', 17,
     "indicators.9.9.9", "no indicator '9.9.9' in the plan", "a code of the plan"),
    ("unreadable-formula",
     lambda t: t.replace('"3.1.2": {formula: piattaforma', '"3.1.2": {formula: "speso / (budget"'),
     9, "indicators.3.1.2.formula", "column 16", "')'"),
    ("unreadable-measure",
     lambda t: t.replace("weight: 2", "measures: {spesa: speso +}"), 12,
     "indicators.6.0.1.measures.spesa", "column 8", "a number, a name"),
    ("variable-twice",
     lambda t: t.replace("  - {name: piattaforma", "  - {name: budget}\n  - {name: piattaforma"),
     5, "variables[2].name", "variable 'budget' declared twice", "each name once"),
    ("variable-keyword", lambda t: t.replace("name: speso,", "name: and,"), 3,
     "variables[0].name", "'and' cannot name a variable", "not a keyword"),
    ("variable-kind", lambda t: t.replace("kind: yes_no", "kind: boolean"), 5,
     "variables[2].kind", "unknown kind 'boolean'", "number | yes_no"),
    ("inferred-without-why",
     lambda t: t.replace("    why: the target is a bare 36% on a share of costs\n", ""), 12,
     "indicators.6.0.1.why", "an inferred polarity needs its reason", "a sentence"),
    ("inferred-not-a-boolean",
     lambda t: t.replace("polarity_inferred: true", "polarity_inferred: forse"), 12,
     "indicators.6.0.1.polarity_inferred", "true or false", "true | false"),
    ("unknown-polarity", lambda t: t.replace("polarity: lower", "polarity: down"), 12,
     "indicators.6.0.1.polarity", "unknown polarity 'down'", "higher | lower | band"),
    ("negative-weight", lambda t: t.replace("weight: 2", "weight: -1"), 12,
     "indicators.6.0.1.weight", "not a number >= 0: -1", "a number >= 0"),
    ("weight-not-a-number", lambda t: t.replace("weight: 2", "weight: molto"), 12,
     "indicators.6.0.1.weight", "not a number: 'molto'", "a number >= 0"),
    ("bands-out-of-order",
     lambda t: t.replace("{green: 95, yellow: 60}", "{green: 60, yellow: 95}"), 1,
     "status_bands", "", "0 <= yellow <= green <= 100"),
]


@pytest.mark.parametrize(("change", "line", "field", "says", "expected"),
                         [b[1:] for b in BAD], ids=[b[0] for b in BAD])
def test_it_refuses_a_bad_file_and_leaves_the_plan_unchanged(
        tmp_path: Path, change: object, line: int, field: str, says: str, expected: str
        ) -> None:
    assert callable(change)
    plan = make_small_plan()
    before = copy.deepcopy(plan)
    with pytest.raises(InputError) as err:
        apply_encoding(plan, write(tmp_path, change(GOOD)))
    e = err.value
    assert (e.file, e.line, e.field) == ("encoding.yaml", line, field)
    assert says in e.message
    assert expected in e.expected
    assert plan == before


def test_a_late_error_undoes_nothing_because_nothing_was_applied(tmp_path: Path) -> None:
    # 3.1.1, 3.1.2 and 3.2.1 are sound; only the last entry is wrong
    plan: Plan = make_small_plan()
    with pytest.raises(InputError):
        apply_encoding(plan, write(tmp_path, GOOD.replace("weight: 2", "weight: -2")))
    assert [i.formula for i in plan.indicators] == ["", "", "", ""]
    assert plan.variables == [] and plan.indicator("3.1.1").polarity is None
    assert plan.bands.green == 100


def test_it_refuses_text_that_is_not_yaml_naming_the_line(tmp_path: Path) -> None:
    plan = make_small_plan()
    with pytest.raises(InputError) as err:
        apply_encoding(plan, write(tmp_path, GOOD + "  - x\n"))
    assert (err.value.file, err.value.line) == ("encoding.yaml", 17)
    assert "not valid YAML" in err.value.message


def test_it_refuses_a_file_that_is_not_a_mapping(tmp_path: Path) -> None:
    with pytest.raises(InputError) as err:
        apply_encoding(make_small_plan(), write(tmp_path, "- speso / budget\n"))
    assert err.value.line == 1 and "indicators" in err.value.expected
