"""`cruscotto plan lint`: on the shipped plan, on a plan file, on a published text."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cruscotto.cli import main
from cruscotto.core.lint import lint_plan
from cruscotto.data import SEED_TEXT, default_plan
from cruscotto.io.interchange import dump_path


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_it_passes_the_shipped_plan_and_prints_the_counts(
        capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "plan", "lint")
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert lines[-1] == "36 indicatori controllati: 0 errori, 14 avvertenze, 8 note"
    assert len(lines) == len(lint_plan(default_plan())) + 1
    assert (
        "seed_piano_2021_2023.txt:83: avvertenza: polarity-inferred: polarità «più alto è "
        "meglio» impostata da chi ha redatto il piano: il piano non la dichiara (verificarla "
        "con il centro) [1.2.1]"
    ) in lines
    assert not any(w in out for w in ("warning", "polarity '", "the plan", "not measured"))


def test_it_prints_english_on_request(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "plan", "lint", "--lang", "en")
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert lines[-1] == "36 indicators checked: 0 errors, 14 warnings, 8 notes"
    assert (
        "seed_piano_2021_2023.txt:83: warning: polarity-inferred: polarity “higher is better” "
        "set by the plan's editor: the plan does not state it (check it with the centre) [1.2.1]"
    ) in lines
    assert not any(w in out for w in ("avvertenza", "polarità", "piano non", "letto come"))


def test_its_json_report_parses_and_lists_the_findings(
        capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "plan", "lint", "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["plan"] == "Piano della Performance 2021-2023" and data["file"] is None
    kinds = [f["kind"] for f in data["findings"]]
    assert kinds.count("polarity-inferred") == 11 and kinds.count("unit-target-mismatch") == 3
    assert {f["severity"] for f in data["findings"]} == {"warning", "info"}
    assert set(data["findings"][0]) == {"severity", "kind", "message", "line", "subject",
                                        "text"}
    assert data["findings"][0]["text"].startswith("polarità «")


def test_it_exits_1_on_a_plan_file_with_an_error(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plan = default_plan()
    plan.indicator("1.1.1").formula = "contabilizzato_ri / budget_totale"
    path = tmp_path / "piano.yaml"
    dump_path(plan, path)
    code, out, err = run(capsys, "plan", "lint", str(path))
    assert err == ""
    assert code == 1
    assert (f"{path}:") in out
    assert "errore: variable-undefined: la formula legge budget_totale, che il piano non " \
           "dichiara [1.1.1]" in out
    assert out.splitlines()[-1].startswith("36 indicatori controllati: 1 errori, ")


def test_a_plan_file_keeps_what_the_lint_checks(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "piano.json"
    dump_path(default_plan(), path)
    code, out, _ = run(capsys, "plan", "lint", str(path))
    assert code == 0
    assert out.splitlines()[-1] == "36 indicatori controllati: 0 errori, 14 avvertenze, 8 note"


def test_it_reads_a_published_text_and_says_what_is_not_encoded(
        capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "plan", "lint", str(SEED_TEXT))
    assert err == ""
    assert code == 1  # the text has errors a person must fix (errata), and a broken number
    lines = out.splitlines()
    assert lines[-1].startswith("36 indicatori controllati: ")
    assert sum(": avvertenza: formula-missing: " in ln for ln in lines) == 36
    assert sum(": avvertenza: polarity-missing: " in ln for ln in lines) == 36
    broken = [ln for ln in lines if ": errore: number-suspicious: " in ln]
    assert len(broken) == 1 and "4.200.00" in broken[0] and broken[0].endswith("[6.5.4]")
    assert all(ln.startswith(f"{SEED_TEXT}") for ln in lines[:-1])
    # what the text import could not resolve, in Italian too
    assert any("obiettivo strategico 1: titolo perso nell'estrazione [1]" in ln for ln in lines)
    assert "title lost" not in out and "heading damaged" not in out
    code, out, _ = run(capsys, "plan", "lint", str(SEED_TEXT), "--lang", "en")
    assert "strategic objective 1: title lost in the extraction [1]" in out
    assert "titolo perso" not in out and "intestazione danneggiata" not in out


def test_it_refuses_a_file_it_cannot_read_with_one_line(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "piano.yaml"
    path.write_text("format: cruscotto-plan\nschema_version: [\n", "utf-8")
    code, out, err = run(capsys, "plan", "lint", str(path))
    assert code == 2 and out == ""
    assert err.startswith(f"cruscotto: error: {path}:3: ") and err.count("\n") == 1


def test_findings_point_at_the_lines_of_the_linted_file_with_the_source_apart(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plan = default_plan()
    plan.indicator("3.1.1").targets[2022] = "Almeno 125 amministrazioni e almeno 2.800 soggetti"
    path = tmp_path / "piano.yaml"
    dump_path(plan, path)
    code, out, _ = run(capsys, "plan", "lint", str(path))
    assert code == 1
    file_lines = path.read_text(encoding="utf-8").splitlines()
    (partly,) = [ln for ln in out.splitlines() if ": target-partly-read: " in ln]
    line = int(partly.split(":")[1])
    # the line named is the 2022 target of 3.1.1 in the linted file, not the seed's line
    assert file_lines[line - 1].strip().startswith("'2022':")
    assert "Almeno 125" in file_lines[line - 1]
    source_line = plan.indicator("3.1.1").source.line
    assert partly.endswith(f"[3.1.1] (fonte: {plan.source.file}, riga {source_line})")
    assert "colonna 30" in partly and "seconda soglia" in partly
    code, out, _ = run(capsys, "plan", "lint", str(path), "--format", "json")
    data = json.loads(out)
    (finding,) = [f for f in data["findings"] if f["kind"] == "target-partly-read"]
    assert (finding["line"], finding["source_line"]) == (line, source_line)
