"""The Relazione of a plan with public values (valore pubblico, PIAO): a section with
each public value, its BES and SDG references named in the document's language, its
achievement and status as the stored roll-up gives them, and its strategic objectives,
in the PDF, the Word document and the workbook; none of it for a plan without them."""

from __future__ import annotations

import io

import docx
import pytest
from django.utils import translation

from cruscotto.core.targets import format_number
from cruscotto.web.measurements.authoring import in_force
from cruscotto.web.measurements.selectors import evaluate_period
from cruscotto.web.reports.data import CERTIFIED, basis_actor, build_report
from cruscotto.web.reports.render import render
from tests.web.piao.plans import store_with_public_values

from .conftest import docx_tables, pdf_text, xlsx

STATUS_IT = {"green": "verde", "yellow": "giallo", "red": "rosso", "not_available": "n.d."}


def percent(a) -> str:
    return "—" if a is None else format_number(a) + "%"


@pytest.fixture
def piao(demo):
    plan = in_force(demo.plan.pk)
    store_with_public_values(plan, demo.plan)
    return demo


def certified_nodes(people):
    """The stored roll-up of 2021 as the public reads it (certified values only)."""
    return evaluate_period(
        plan_id=people.plan.pk, period=people.year_end, actor=basis_actor(CERTIFIED)
    ).evaluation


def test_the_pdf_has_each_public_value_with_its_figure_and_objectives(piao) -> None:
    ev = certified_nodes(piao)
    assert set(ev.public_values) == {"VP1", "VP2"}
    report = build_report(plan_key=piao.plan.key, year=2021)
    text = " ".join(pdf_text(render(report, "pdf")).split())
    section = text[
        text.index("Valore pubblico VP1 Imprese competitive") : text.index(
            "Risultati per obiettivo strategico Obiettivo strategico 1"
        )
    ]
    vp1, vp2 = ev.public_values["VP1"], ev.public_values["VP2"]
    assert (
        f"Grado di raggiungimento: {percent(vp1.achievement)}, stato "
        f"{STATUS_IT[vp1.status.value]} ({len(vp1.counted)} indicatori considerati)" in section
    )
    assert "Domini BES: BES4 Benessere economico" in section
    assert (
        "Obiettivi di sviluppo sostenibile (SDG): SDG8 Lavoro dignitoso e crescita "
        "economica; SDG9 Imprese, innovazione e infrastrutture"
    ) in section
    vp2_part = section[section.index("Valore pubblico VP2") :]
    assert f"Grado di raggiungimento: {percent(vp2.achievement)}" in vp2_part
    assert "BES12 Qualità dei servizi" in vp2_part
    s6 = ev.strategic["6"]
    title = in_force(piao.plan.pk).strategic("6").title
    assert f"6 {title} {percent(s6.achievement)} {STATUS_IT[s6.status.value]}" in vp2_part


def test_the_word_document_names_the_references_in_english(piao) -> None:
    ev = certified_nodes(piao)
    with translation.override("en"):
        content = render(build_report(plan_key=piao.plan.key, year=2021), "docx")
    document = docx.Document(io.BytesIO(content))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert "Public value" in headings
    assert "Public value VP1 Imprese competitive" in headings
    paragraphs = "\n".join(p.text for p in document.paragraphs)
    assert "BES domains: BES4 Economic well-being" in paragraphs
    assert (
        "SDG8 Decent work and economic growth; SDG9 Industry, innovation and "
        "infrastructure" in paragraphs
    )
    assert "Benessere economico" not in paragraphs
    table = next(
        t
        for t in docx_tables(content)
        if t[0][0] == "Strategic objective" and len(t) == 3 and t[1][0].startswith("1 ")
    )
    assert [r[0].split(" ")[0] for r in table[1:]] == ["1", "3"]
    assert table[1][1] == percent(ev.strategic["1"].achievement)


def test_the_workbook_has_a_public_value_sheet(piao) -> None:
    ev = certified_nodes(piao)
    wb = xlsx(render(build_report(plan_key=piao.plan.key, year=2021), "xlsx"))
    ws = wb["Valore pubblico"]
    rows = {r[0]: r for r in ws.iter_rows(min_row=2, values_only=True)}
    vp1 = ev.public_values["VP1"]
    assert rows["VP1"][1] == "Imprese competitive"
    assert rows["VP1"][2] == pytest.approx(float(vp1.achievement) / 100)
    assert rows["VP1"][3] == STATUS_IT[vp1.status.value]
    assert rows["VP1"][4] == len(vp1.counted)
    assert rows["VP1"][6] == (
        "SDG8 Lavoro dignitoso e crescita economica; SDG9 Imprese, innovazione e infrastrutture"
    )
    assert rows["VP1"][7] == "1, 3"
    assert rows["VP2"][7] == "6"


def test_a_plan_without_public_values_has_no_such_section(demo) -> None:
    report = build_report(plan_key=demo.plan.key, year=2021)
    assert report.public_values == ()
    assert "Valore pubblico" not in pdf_text(render(report, "pdf"))
    document = docx.Document(io.BytesIO(render(report, "docx")))
    assert not any("Valore pubblico" in p.text for p in document.paragraphs)
    assert "Valore pubblico" not in xlsx(render(report, "xlsx")).sheetnames


def test_each_basis_reads_its_own_roll_up(piao) -> None:
    """The planning office's report on every state counts the unvalidated indicators of
    a public value's objectives; the certified one does not."""
    every = evaluate_period(
        plan_id=piao.plan.pk, period=piao.year_end, include_drafts=True
    ).evaluation.public_values
    certified = certified_nodes(piao).public_values
    drafts = build_report(plan_key=piao.plan.key, year=2021, include_drafts=True)
    public = build_report(plan_key=piao.plan.key, year=2021)
    assert [(p.node.code, p.node.counted) for p in drafts.public_values] == [
        (c, len(every[c].counted)) for c in ("VP1", "VP2")
    ]
    assert [(p.node.code, p.node.counted) for p in public.public_values] == [
        (c, len(certified[c].counted)) for c in ("VP1", "VP2")
    ]
    # 3.3.1 (objective 3, under VP1) is only submitted: counted on one basis only
    assert "3.3.1" in every["VP1"].counted and "3.3.1" not in certified["VP1"].counted
