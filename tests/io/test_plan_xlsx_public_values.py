"""The PIAO's public values in the plan workbook: their sheet, its drop-down lists, the
round trip, and workbooks written before the sheet existed."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from cruscotto.core.plan import Plan, PublicValue
from cruscotto.data import default_plan
from cruscotto.io.interchange import dumps
from cruscotto.io.plan_xlsx import load_xlsx, plan_to_xlsx_bytes


def grouped_plan() -> Plan:
    plan = default_plan()
    plan.public_values = [
        PublicValue(
            "VP1",
            "Imprese competitive",
            "Più imprese innovative",
            bes=["BES4", "BES11"],
            sdgs=["SDG8", "SDG9", "SDG4", "SDG17"],
            strategic_codes=["1", "3"],
        ),
        PublicValue("VP2", "=Un ente efficiente", bes=["BES12"], strategic_codes=["6"]),
    ]
    return plan


def test_a_plan_with_public_values_comes_back_as_the_same_json() -> None:
    plan = grouped_plan()
    back = load_xlsx(plan_to_xlsx_bytes(plan))
    assert back.public_values == plan.public_values
    assert dumps(back, "json") == dumps(plan, "json")


def test_a_plan_without_them_gets_an_empty_sheet_and_comes_back_without() -> None:
    plan = default_plan()
    raw = plan_to_xlsx_bytes(plan)
    wb = load_workbook(io.BytesIO(raw))
    assert wb["Valore pubblico"].max_row == 1
    back = load_xlsx(raw)
    assert back.public_values == []
    assert '"public_values"' not in dumps(back, "json")


def test_the_sheet_offers_the_bes_domains_and_sdgs_in_drop_down_lists() -> None:
    wb = load_workbook(io.BytesIO(plan_to_xlsx_bytes(grouped_plan())))
    ws = wb["Valore pubblico"]
    headers = [c.value for c in ws[1]]
    # four SDG columns: as many as the public value citing most needs
    assert headers == [
        "Codice",
        "Titolo",
        "Descrizione",
        "Obiettivi strategici",
        "BES 1",
        "BES 2",
        "BES 3",
        "SDG 1",
        "SDG 2",
        "SDG 3",
        "SDG 4",
        "File di origine",
        "Riga di origine",
    ]
    row = [c.value for c in ws[2]]
    assert row[4:11] == [
        "BES4 Benessere economico",
        "BES11 Innovazione, ricerca e creatività",
        None,
        "SDG8 Lavoro dignitoso e crescita economica",
        "SDG9 Imprese, innovazione e infrastrutture",
        "SDG4 Istruzione di qualità",
        "SDG17 Partnership per gli obiettivi",
    ]
    assert row[3] == "1\n3"
    lists = {str(dv.sqref): dv.formula1 for dv in ws.data_validations.dataValidation}
    assert lists["E2:G503"] == "'BES e SDG'!$A$2:$A$13"
    assert lists["H2:K503"] == "'BES e SDG'!$B$2:$B$18"
    ref = wb["BES e SDG"]
    assert ref["A13"].value == "BES12 Qualità dei servizi"
    assert ref["B18"].value == "SDG17 Partnership per gli obiettivi"
    # a title that looks like a formula stays text
    cell = wb["Valore pubblico"]["B3"]
    assert cell.value == "=Un ente efficiente" and cell.data_type == "s"


def test_a_public_value_added_by_hand_is_read() -> None:
    wb = load_workbook(io.BytesIO(plan_to_xlsx_bytes(default_plan())))
    ws = wb["Valore pubblico"]
    ws.append(
        [
            "VP9",
            "Territorio attrattivo",
            "",
            "5\n2",
            "BES9 Paesaggio e patrimonio culturale",
            None,
            None,
            "SDG11",
            None,
            None,
        ]
    )
    out = io.BytesIO()
    wb.save(out)
    plan = load_xlsx(out.getvalue())
    assert plan.public_values == [
        PublicValue(
            "VP9", "Territorio attrattivo", bes=["BES9"], sdgs=["SDG11"], strategic_codes=["5", "2"]
        )
    ]


def test_a_workbook_without_the_sheet_still_reads() -> None:
    wb = load_workbook(io.BytesIO(plan_to_xlsx_bytes(grouped_plan())))
    del wb["Valore pubblico"]
    del wb["BES e SDG"]
    out = io.BytesIO()
    wb.save(out)
    assert load_xlsx(out.getvalue()).public_values == []
