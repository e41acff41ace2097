"""Bulk import of staff, evaluators and objectives from XLSX: all or nothing, problems
named by sheet, row and column."""

from __future__ import annotations

import io
from typing import Any

import pytest
from openpyxl import Workbook

from cruscotto.cli import main
from cruscotto.web.evaluations import models as em
from cruscotto.web.evaluations import selectors

from ..measurements.conftest import CENTRE_A, People
from .cards import make_cards


def _workbook(staff: list[list[Any]], objectives: list[list[Any]]) -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Personale"
    ws.append(["utente", "nome", "cognome", "email", "categoria", "valutatore", "centri"])
    for r in staff:
        ws.append(r)
    wo = wb.create_sheet("Obiettivi")
    wo.append(["utente", "obiettivo", "peso", "unita", "polarita", "target", "risultato"])
    for r in objectives:
        wo.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@pytest.fixture
def ready(people: People) -> People:
    make_cards(people)
    return people


def test_staff_and_objectives_become_draft_cards(ready: People, tmp_path: Any,
                                                  capsys: Any) -> None:
    path = tmp_path / "personale.xlsx"
    path.write_bytes(_workbook(
        [["rossi", "Mario", "Rossi", "m.rossi@example.org", "personale", "manager_a",
          CENTRE_A],
         ["officer_a", "", "", "", "po_eq", "manager_a", CENTRE_A]],
        [["rossi", "Protocollo digitale", 2, "percentuale", "crescente", "≥ 90%", "95"],
         ["rossi", "Tempi di risposta", 1, "giorni", "decrescente", "≤ 10", ""]]))
    assert main(["evaluations", "import", "--plan", ready.plan.key, "--year", "2021",
                 str(path)]) == 0
    assert "2 person(s) imported for 2021: 1 new card(s), 1 new user(s), 2 objective(s)" \
        in capsys.readouterr().out
    card = em.Card.objects.get(person__username="rossi", year=2021)
    assert card.state == "draft" and card.evaluator.username == "manager_a"
    assert card.person.get_full_name() == "Mario Rossi"
    assert [c.name for c in card.centres.all()] == [CENTRE_A]
    rows = selectors.card_view(card).objectives
    assert rows[0].achievement == 100 and rows[1].achievement is None
    assert em.Card.objects.get(person__username="officer_a", year=2021).category == "po_eq"
    assert not card.person.has_usable_password()


def test_a_bad_row_refuses_the_whole_file_naming_sheet_row_and_column(
        ready: People, tmp_path: Any, capsys: Any) -> None:
    path = tmp_path / "personale.xlsx"
    path.write_bytes(_workbook(
        [["bianchi", "", "", "", "personale", "manager_a", CENTRE_A],
         ["verdi", "", "", "", "stagisti", "manager_a", "Ufficio inesistente"]],
        [["bianchi", "Obiettivo", 1, "percentuale", "crescente", "30% e 40%", ""]]))
    assert main(["evaluations", "import", "--plan", ready.plan.key, "--year", "2021",
                 str(path)]) == 2
    err = capsys.readouterr().err
    assert "foglio «Personale», riga 3, colonna «categoria»: «stagisti» non è una " \
           "categoria del SMVP" in err
    assert "foglio «Personale», riga 3, colonna «centri»: «Ufficio inesistente» non è " \
           "un centro del piano" in err
    assert "foglio «Obiettivi», riga 2, colonna «target»" in err
    assert not em.Card.objects.filter(person__username="bianchi").exists()


def test_the_overview_imports_a_workbook_or_lists_every_problem(ready: People) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client

    c = Client()
    c.force_login(ready.planning)
    url = f"/plans/{ready.plan.key}/riepilogo-valutazioni/2021/importa/"
    bad = _workbook([["neri", "", "", "", "personale", "neri", CENTRE_A]], [])
    refused = c.post(url, {"file": SimpleUploadedFile("p.xlsx", bad)})
    assert refused.status_code == 400
    text = refused.content.decode()
    assert 'id="import-problems"' in text
    assert "foglio «Personale», riga 2, colonna «valutatore»: una persona non valuta " \
           "se stessa" in text
    good = _workbook([["neri", "", "", "", "personale", "manager_a", CENTRE_A]], [])
    done = c.post(url, {"file": SimpleUploadedFile("p.xlsx", good)})
    assert done.status_code == 302
    assert em.Card.objects.filter(person__username="neri", year=2021).exists()
    page = c.get(done["Location"]).content.decode()
    assert 'id="import-done"' in page and 'data-person="neri"' in page
