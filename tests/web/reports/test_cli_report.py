"""`cruscotto report`, as the planning office runs it on the stored plan and values."""

from __future__ import annotations

from pathlib import Path

import pytest

from cruscotto.cli import main
from cruscotto.core.targets import format_number

from .conftest import engine, pdf_text, xlsx


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_it_writes_the_three_formats(demo, capsys, tmp_path: Path) -> None:
    published = engine(demo, all_states=False).organisation
    for fmt in ("pdf", "docx", "xlsx"):
        out_file = tmp_path / f"relazione.{fmt}"
        code, out, err = run(capsys, "report", "--year", "2021", "--format", fmt,
                             "-o", str(out_file))
        assert (code, err) == (0, "")
        assert out.startswith(f"Relazione sulla Performance 2021: {out_file} written")
        assert f"organisation {format_number(published.achievement)}%" in out
        assert "DEMONSTRATION DATA" in out
    text = pdf_text((tmp_path / "relazione.pdf").read_bytes())
    # the command line reads as the public does (certified values only), and says so:
    # the statement comes from the same rule as the figures (public_states)
    flat = " ".join(text.split())
    assert "Base dei dati: valori certificati" in flat
    assert "Valori certificati (stati inclusi: certificato); ultima modifica dei dati il" in flat
    assert "dati letti il" in flat
    wb = xlsx((tmp_path / "relazione.xlsx").read_bytes())
    assert wb["Copertina"]["A1"].value == "Ente"


@pytest.mark.parametrize("args", [("--all-states",), ("--basis", "all")])
def test_all_states_counts_the_drafts(demo, capsys, tmp_path: Path, args) -> None:
    every = engine(demo, all_states=True).organisation
    code, out, _ = run(capsys, "report", "--year", "2021", "--format", "xlsx", *args,
                       "-o", str(tmp_path / "r.xlsx"))
    assert code == 0 and f"organisation {format_number(every.achievement)}%" in out
    assert "basis all" in out
    cover = {r[0]: r[1] for r in xlsx((tmp_path / "r.xlsx").read_bytes())[
        "Copertina"].iter_rows(values_only=True)}
    assert cover["Base dei dati"] == "tutti i valori, anche non ancora validati"
    assert cover["Stati inclusi"] == "bozza, restituito, inviato, validato, certificato"
    assert cover["Dati letti il"].year >= 2021  # a date and time, not text


def test_it_writes_the_interim_report(demo, capsys, tmp_path: Path) -> None:
    code, out, err = run(capsys, "report", "--year", "2021", "--period", "30/06/2021",
                         "--format", "docx", "-o", str(tmp_path / "m.docx"))
    assert (code, err) == (0, "")
    assert out.startswith("Monitoraggio intermedio al 30/06/2021:")


@pytest.mark.parametrize(("args", "message"), [
    (("--year", "2025"), "Nessun periodo di fine anno per il 2025; anni disponibili: "
                         "2021, 2022, 2023"),
    (("--year", "2021", "--period", "30/05/2021"),
     "Nessun periodo al 30/05/2021 nell'anno 2021; periodi disponibili: 30/06/2021, "
     "31/12/2021"),
    (("--year", "2021", "--period", "giugno"), "--period 'giugno' is not a date (30/06/2021)"),
    (("--year", "2021", "--plan", "altro"), "no plan 'altro' in the database; stored: "
                                            "cciaa-mimblo-2021-2023"),
])
def test_bad_choices_are_one_clear_error(demo, capsys, tmp_path: Path, args, message) -> None:
    out_file = tmp_path / "r.pdf"
    code, out, err = run(capsys, "report", *args, "--format", "pdf", "-o", str(out_file))
    assert (code, out, err) == (2, "", f"cruscotto: error: {message}\n")
    assert not out_file.exists()


def test_lang_en_writes_the_report_in_english(demo, capsys, tmp_path: Path) -> None:
    out_file = tmp_path / "report.xlsx"
    code, out, err = run(capsys, "report", "--year", "2021", "--format", "xlsx",
                         "--lang", "en", "-o", str(out_file))
    assert (code, err) == (0, "")
    assert out.startswith("Performance Report 2021:")
    wb = xlsx(out_file.read_bytes())
    cover = {r[0]: r[1] for r in wb.worksheets[0].iter_rows(values_only=True)}
    assert cover["Basis of the data"] == "certified values"
    assert cover["States included"] == "certified"
