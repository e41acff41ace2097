"""The errata of human corrections and the shipped default plan built from them."""

from __future__ import annotations

from pathlib import Path

import pytest

from cruscotto.core.plan import validate_plan
from cruscotto.data import ERRATA, SEED_TEXT, build_default_plan, default_plan
from cruscotto.io.errata import apply_errata, load_errata
from cruscotto.io.errors import InputError
from cruscotto.io.seed_text import import_path


def test_it_builds_a_valid_default_plan_of_36_indicators() -> None:
    plan = default_plan()
    assert validate_plan(plan) == []
    assert len(plan.indicators) == 36
    assert plan.organisation.name == "Camera di Commercio di Milano Monza Brianza Lodi"
    assert plan.title == "Piano della Performance 2021-2023"


def test_every_name_and_title_is_filled_in_the_default_plan() -> None:
    plan = default_plan()
    assert all(i.name for i in plan.indicators)
    assert all(o.title and o.area for o in plan.operational_objectives)
    assert all(s.title for s in plan.strategic_objectives)


def test_the_errata_correct_what_the_import_cannot() -> None:
    plan = default_plan()
    assert plan.indicator("3.1.1").kind == "efficacia"
    assert plan.indicator("6.5.4").targets[2022] == "sì max € 4.200.000"
    assert plan.indicator("3.3.2").unit == "percentuale"
    assert plan.indicator("1.2.1").name != "the property of the property o"
    assert "assunti" in plan.operational("6.3").title


def test_every_correction_has_a_justification_and_is_reported() -> None:
    _, corrections = load_errata(ERRATA)
    assert corrections and all(len(c.why) > 20 for c in corrections)
    _, findings = build_default_plan()
    applied = [f for f in findings if f.kind == "errata-applied"]
    assert len(applied) == len(corrections) + 1  # + organisation and title


def test_default_plan_returns_independent_copies() -> None:
    a = default_plan()
    a.indicators[0].name = "changed"
    assert default_plan().indicators[0].name != "changed"


def test_a_stale_correction_is_refused_with_its_line(tmp_path: Path) -> None:
    errata = tmp_path / "errata.yaml"
    errata.write_text(
        "corrections:\n"
        "  - entity: indicator 3.1.1\n"
        "    field: name\n"
        "    kind: typo\n"
        "    was: something the import does not give\n"
        "    now: x\n"
        "    why: a test of a correction that no longer applies\n", encoding="utf-8")
    plan = import_path(SEED_TEXT).plan
    with pytest.raises(InputError) as exc:
        apply_errata(plan, errata)
    assert exc.value.file == "errata.yaml" and exc.value.line == 2
    assert exc.value.field == "name" and "review this correction" in str(exc.value)


def test_a_correction_without_justification_is_refused(tmp_path: Path) -> None:
    errata = tmp_path / "e.yaml"
    errata.write_text(
        "corrections:\n"
        "  - {entity: indicator 3.1.1, field: kind, kind: typo, was: efficiacia,"
        " now: efficacia, why: ' '}\n", encoding="utf-8")
    with pytest.raises(InputError) as exc:
        load_errata(errata)
    assert exc.value.field == "why" and exc.value.line == 2


def test_an_unknown_entity_is_refused(tmp_path: Path) -> None:
    errata = tmp_path / "e.yaml"
    errata.write_text(
        "corrections:\n"
        "  - {entity: indicator 9.9.9, field: name, kind: typo, was: a, now: b,"
        " why: no such indicator in the plan}\n", encoding="utf-8")
    with pytest.raises(InputError, match="no indicator with code '9.9.9'"):
        apply_errata(import_path(SEED_TEXT).plan, errata)
