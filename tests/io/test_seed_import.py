"""The seed-text importer against the published plan's extracted tables."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from cruscotto.core.findings import Severity
from cruscotto.data import SEED_TEXT
from cruscotto.io.errors import InputError
from cruscotto.io.seed_text import ImportResult, import_path, import_text

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "seed_indicators.yaml"
EXPECTED = yaml.safe_load(FIXTURE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def result() -> ImportResult:
    return import_path(SEED_TEXT)


def test_it_recovers_all_36_indicators_with_their_codes(result: ImportResult) -> None:
    assert len(EXPECTED) == 36
    assert [i.code for i in result.plan.indicators] == [e["code"] for e in EXPECTED]


@pytest.mark.parametrize("expected", EXPECTED, ids=lambda e: e["code"])
def test_it_reads_each_indicator_field_by_field(result: ImportResult, expected: dict) -> None:
    ind = result.plan.indicator(expected["code"])
    assert ind.source.line == expected["line"]
    assert ind.name == expected["name"]
    assert ind.description == expected["description"]
    assert ind.kind == expected["kind"]
    assert ind.unit == expected["unit"]
    assert ind.data_sources == expected["data_sources"]
    assert ind.formula_text == expected["formula"]
    assert ind.targets == {int(y): t for y, t in expected["targets"].items()}
    assert ind.centres == expected["centres"]
    assert (ind.operational_code or None) == expected["operational"]
    assert ind.strategic_code == expected["strategic"]
    assert ind.mission_code == expected["mission"]
    assert ind.programme_code == expected["programme"]


def test_it_reads_missions_programmes_and_budgets(result: ImportResult) -> None:
    plan = result.plan
    assert plan.years == [2021, 2022, 2023]
    got = {(m.code, p.code): (p.budget, p.name[:30]) for m in plan.missions for p in m.programmes}
    assert {k: int(v[0]) for k, v in got.items()} == {
        ("011", "005"): 19_350_072, ("012", "004"): 2_754_388,
        ("016", "005"): 6_195_540, ("032", "003"): 0,
    }
    assert plan.mission("016").name == (
        "Commercio internazionale ed internazionalizzazione del sistema produttivo")
    # the repeated, damaged heading of programme 011-005 does not replace the clean first one
    assert plan.mission("011").programmes[0].name.startswith(
        "Promozione e attuazione di politiche di sviluppo competitività")


def test_it_puts_strategic_objective_3_under_two_missions(result: ImportResult) -> None:
    so = result.plan.strategic("3")
    assert so.mission_codes == ["011", "016"]
    assert result.plan.operational("3.3").mission_code == "016"
    assert result.plan.operational("3.1").mission_code == "011"
    # both narratives are kept
    assert "INNOVAZIONE:" in so.narrative and "INTERNAZIONALIZZAZIONE:" in so.narrative


def test_it_hangs_6_0_x_directly_on_the_strategic_objective(result: ImportResult) -> None:
    codes = {o.code for o in result.plan.operational_objectives}
    assert "6.0" not in codes
    for c in ("6.0.1", "6.0.2", "6.0.3"):
        ind = result.plan.indicator(c)
        assert ind.operational_code == "" and ind.strategic_code == "6"


def test_it_recovers_operational_objectives_and_their_titles(result: ImportResult) -> None:
    ops = {o.code: o for o in result.plan.operational_objectives}
    assert sorted(ops) == ["1.1", "1.2", "1.3", "2.1", "2.2", "3.1", "3.2", "3.3", "4.1",
                           "4.2", "5.1", "5.2", "6.1", "6.2", "6.3", "6.4", "6.5"]
    # split across cells, glued mid-word: reconstructed from the narrative
    assert ops["4.2"].area == "SVILUPPO URBANO"
    assert ops["4.2"].title == (
        "Rendere la sede camerale di Palazzo Giureconsulti un hub dell'attrattività e "
        "dell'innovazione")
    # no code at all on the heading: told by its indicators, title from the narrative
    assert ops["3.2"].area == "CREDITO"
    assert ops["3.2"].title.startswith("Costruzione di un hub informativo on line sul crowdfunding")
    # a heading whole in one cell is kept as written
    assert ops["6.1"].area == "KPI, MONITORING E CUSTOMER SATISFACTION"
    assert ops["6.1"].title == "Valutare l'efficacia delle iniziative a sostegno delle imprese"
    # an area heading without title is left empty (and reported), never invented
    assert ops["2.1"].title == ""


@pytest.mark.parametrize(("line", "kind", "fragment"), [
    (79, "code-repaired", "code '117' read as 1.1.2"),
    (83, "code-repaired", "code '171' read as 1.2.1"),
    (84, "code-repaired", "code '177' read as 1.2.2"),
    (111, "code-repaired", "code '211' read as 2.1.1"),
    (115, "code-repaired", "code '1 222' read as 2.2.2"),
    (60, "code-repaired", "a row with no code read as 5.2.1"),
    (41, "code-repaired", "strategic objective written '15' read as 5"),
    (56, "code-repaired", "operational objective written '15.1' read as 5.1"),
    (165, "code-repaired", "operational objective written '16.3' read as 6.3"),
    (64, "code-recovered", "strategic objective without a code read as 1"),
    (78, "centres-split", "'Registro delle Imprese' + 'Front end Registro delle Imprese'"),
    (36, "centres-split", "+ 'Programmazione strategica e progetti per il territorio'"),
    (181, "suspicious-number", "'4.200.00'"),
    (36, "markup-removed", "HTML markup removed from the name"),
])
def test_it_records_every_repair_with_its_line(result: ImportResult, line: int, kind: str,
                                               fragment: str) -> None:
    hits = [f for f in result.findings if f.kind == kind and fragment in f.message]
    assert hits, f"no {kind} finding mentioning {fragment!r}"
    assert hits[0].line == line
    assert hits[0].severity is Severity.WARNING or kind == "markup-removed"


def test_it_reports_what_it_cannot_resolve_as_errors(result: ImportResult) -> None:
    errors = {(f.subject, f.kind) for f in result.errors}
    assert errors == {
        ("1", "title-missing"),  # strategic objective 1: heading empty
        ("2.1", "title-missing"),  # no heading for operational objective 2.1
        ("3.3.1", "field-missing"),  # name lost
        ("3.3.3", "field-missing"),  # name lost
    }


def test_it_accounts_for_every_input_line(result: ImportResult) -> None:
    n_lines = len(SEED_TEXT.read_text(encoding="utf-8").splitlines())
    assert not set(result.used) & set(result.ignored)
    assert set(result.used) | set(result.ignored) == set(range(1, n_lines + 1))
    ignored_findings = {f.line for f in result.findings if f.kind == "line-ignored"}
    assert ignored_findings == set(result.ignored)
    # the footnote is not silently dropped: it is listed with its text
    footnote = [r for r in result.ignored.values() if "budget al netto" in r]
    assert footnote, "the (*) footnote should be listed as ignored with its text"


def test_the_json_report_has_severity_message_and_line(result: ImportResult) -> None:
    report = result.as_dict()
    assert report["summary"]["indicators"] == 36  # type: ignore[index]
    first = report["findings"][0]  # type: ignore[index]
    assert set(first) >= {"severity", "message", "line"}
    assert first["severity"] == "error"


def test_it_refuses_text_without_indicator_rows() -> None:
    with pytest.raises(InputError) as exc:
        import_text("just a letter\nwith two lines\n", "letter.txt")
    assert "letter.txt" in str(exc.value) and "no indicator rows" in str(exc.value)


def test_it_reports_an_indicator_code_that_does_not_fit_its_parent() -> None:
    text = (
        "Missione\t011 Competitività\n"
        "Programma\t005 Promozione\t€ 10\n"
        "Obiettivo strategico\t3. IMPRESE\n"
        "Obiettivo operativo\t3.1 INNOVAZIONE: Fare cose\n"
        "\tIndicatori\tDescrizione\tTipologia\tUnità\tFonte\tAlgoritmo di calcolo\t2021\t2022"
        "\tCentro di responsabilità\n"
        "3.1.1\tUno\tD\tefficacia\tnumero\tX\tn\t1\t2\tCentro A\n"
        "4.1.2\tDue\tD\tefficacia\tnumero\tX\tn\t1\t2\tCentro A\n"
    )
    result = import_text(text, "t.txt")
    messages = [f.message for f in result.errors]
    assert any("4.1.2" in m and "does not match" in m for m in messages), messages


def test_it_flags_a_damaged_code_whose_neighbours_disagree() -> None:
    rows = "".join(
        f"{code}\tN{k}\tD\tefficacia\tnumero\tX\tn\t1\t2\tCentro A\n"
        for k, code in enumerate(["3.1.1", "999", "3.1.5"]))
    text = (
        "Missione\t011 Competitività\n"
        "Obiettivo strategico\t3. IMPRESE\n"
        "Obiettivo operativo\t3.1 INNOVAZIONE: Fare cose\n"
        "\tIndicatori\tAlgoritmo di calcolo\t2021\t2022\tCentro di responsabilità\n" + rows)
    result = import_text(text, "t.txt")
    kinds = {f.kind for f in result.errors}
    assert "code-ambiguous" in kinds
    assert "code-doubtful" in kinds  # '999' shares nothing with 3.1.2


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("\t\n 0123456789.ObiettivoMsnPrgamIdcr€:ABC%>=")),
               max_size=400))
def test_it_never_crashes_on_arbitrary_text(text: str) -> None:
    try:
        result = import_text(text, "fuzz.txt")
    except InputError:
        return
    n_lines = len(text.splitlines())
    assert set(result.used) | set(result.ignored) == set(range(1, n_lines + 1))
