"""The PIAO's section 2.2 Performance as a Word document: from the command line and from
the plan's authoring page; headings as an outline, a known target row, the baseline,
one language, inert text."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from docx import Document

from cruscotto.cli import main
from cruscotto.web.measurements import services
from cruscotto.web.measurements.authoring import in_force
from cruscotto.web.measurements.demo import load_demo
from tests.web.piao.plans import store_with_public_values

from ..measurements.conftest import People

#: interface words of each language that must not appear in the other's document
ENGLISH = re.compile(
    r"\b(Strategic|Operational|objective|Indicator|Baseline|Target year|"
    r"Calculation|Responsibility|centres|Public value|Page|of the)\b"
)
ITALIAN = re.compile(
    r"\b(Obiettiv[oi]|Indicator[ei]|Valore|partenza|Algoritmo|Centri|"
    r"responsabilità|Domini|Pagina|Nessun)\b"
)


@pytest.fixture(autouse=True)
def fast_hasher(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def piao(people: People) -> People:
    """The demo plan with two public values, its 2020 followers validated (6.4.1's
    baseline) and an indicator name that looks like a formula."""
    load_demo(plan=people.plan)
    plan = in_force(people.plan.pk)
    plan.indicator("1.1.1").name = '=HYPERLINK("http://x","clic")'
    store_with_public_values(plan, people.plan)
    admin = get_user_model().objects.get(username="demo-admin")
    services.do_submit(user=admin, period=people.baseline, indicator="6.4.1")
    services.do_validate(user=people.planning, period=people.baseline, indicator="6.4.1")
    return people


def labels(doc: Any) -> str:
    """The document's own words: headings, paragraphs and table headers (not the plan's
    rows, which are the plan's Italian text in both languages)."""
    words = [p.text for p in doc.paragraphs]
    words += [c.text for t in doc.tables for c in t.rows[0].cells]
    return "\n".join(words)


def row_of(doc: Any, code: str) -> list[str]:
    for t in doc.tables:
        for r in t.rows[1:]:
            if r.cells[0].text == code:
                return [c.text for c in r.cells]
    raise AssertionError(f"no row {code}")


def test_the_command_writes_the_italian_section(
    piao: People, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "piao.docx"
    assert (
        main(["plan", "export", "--format", "piao-docx", "-o", str(out), "--plan", piao.plan.key])
        == 0
    )
    assert "written" in capsys.readouterr().out
    doc = Document(str(out))
    heads = [(p.style.name, p.text) for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert heads[0] == ("Heading 1", "2.2 Performance")
    assert ("Heading 2", "Valore pubblico") in heads
    assert ("Heading 3", "VP1 Imprese competitive") in heads
    assert ("Heading 2", "Obiettivi strategici e operativi") in heads
    assert any(s == "Heading 3" and t.startswith("Obiettivo strategico 6 ") for s, t in heads)
    assert any(s == "Heading 4" and t.startswith("Obiettivo operativo 6.4 ") for s, t in heads)
    # the public value's references, by their Italian names
    text = "\n".join(p.text for p in doc.paragraphs)
    assert (
        "SDG8 Lavoro dignitoso e crescita economica; SDG9 Imprese, innovazione e "
        "infrastrutture" in text
    )
    assert "Valore pubblico: VP2 Un ente efficiente e vicino" in text
    # 6.4.1: its rule, the 2020 value (Italian format), the targets, its centre
    table = next(t for t in doc.tables if any(r.cells[0].text == "6.4.1" for r in t.rows))
    assert [c.text for c in table.rows[0].cells] == [
        "Codice",
        "Indicatore",
        "Algoritmo di calcolo",
        "Valore di partenza (2020)",
        "Target 2021",
        "Target 2022",
        "Target 2023",
        "Centri di responsabilità",
    ]
    row = row_of(doc, "6.4.1")
    assert row[3] == "41.200"
    assert row[4:7] == ["+20%", "+20%", "+20%"]
    assert row[7] == "Comunicazione sistemi informativi e sviluppo delle imprese"
    # a baseline that is not validated is not quoted
    assert row_of(doc, "6.4.3")[3] == "—"
    # the header row repeats on every page
    assert table.rows[0]._tr.trPr.xml.count("tblHeader") == 1
    assert not ENGLISH.search(labels(doc)), ENGLISH.search(labels(doc))


def test_a_formula_looking_name_is_plain_text(piao: People, tmp_path: Path) -> None:
    out = tmp_path / "piao.docx"
    assert (
        main(["plan", "export", "--format", "piao-docx", "-o", str(out), "--plan", piao.plan.key])
        == 0
    )
    doc = Document(str(out))
    assert row_of(doc, "1.1.1")[1].startswith('=HYPERLINK("http://x","clic")')
    # a run of text, never a Word field or a hyperlink
    xml = doc.element.xml
    assert "instrText" not in xml and 'w:instr="HYPERLINK' not in xml
    assert "<w:hyperlink" not in xml


def test_the_authoring_page_offers_it_in_english(piao: People) -> None:
    client = Client()
    client.force_login(piao.planning)
    page = client.get(f"/plans/{piao.plan.key}/manage/").content.decode()
    assert "piao-performance.docx?lang=it" in page and "piao-performance.docx?lang=en" in page
    r = client.get(f"/plans/{piao.plan.key}/manage/piao-performance.docx?lang=en")
    assert r.status_code == 200
    assert r["Content-Disposition"].endswith('-en.docx"')
    doc = Document(io.BytesIO(r.content))
    heads = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert "Public value" in heads and "Strategic and operational objectives" in heads
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "SDG8 Decent work and economic growth" in text
    table = next(t for t in doc.tables if any(r.cells[0].text == "6.4.1" for r in t.rows))
    assert [c.text for c in table.rows[0].cells][2:4] == ["Calculation rule", "Baseline (2020)"]
    assert not ITALIAN.search(labels(doc)), ITALIAN.search(labels(doc))


def test_only_the_planning_office_downloads_it(piao: People) -> None:
    url = f"/plans/{piao.plan.key}/manage/piao-performance.docx"
    anonymous = Client().get(url)
    assert anonymous.status_code == 302
    client = Client()
    client.force_login(piao.officer_a)
    assert client.get(url).status_code == 403


def test_a_plan_without_public_values_has_no_such_section(people: People, tmp_path: Path) -> None:
    out = tmp_path / "piao.docx"
    assert (
        main(
            [
                "plan",
                "export",
                "--format",
                "piao-docx",
                "-o",
                str(out),
                "--plan",
                people.plan.key,
                "--lang",
                "en",
            ]
        )
        == 0
    )
    doc = Document(str(out))
    heads = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert "Public value" not in heads
    assert "Strategic and operational objectives" in heads
    assert row_of(doc, "6.4.1")[3] == "—"  # no baseline value stored
