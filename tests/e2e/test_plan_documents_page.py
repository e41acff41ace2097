"""The plan's documents in a real browser: the planning office attaches one (a refusal
first, shown in place by htmx), the public page lists it; both pages axe-clean."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.web.measurements.conftest import make_people

from .conftest import axe_violations
from .test_report_writing import sign_in

PDF = b"%PDF-1.7\n% Piano della Performance\n%%EOF\n"


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")


def test_the_planning_office_attaches_a_document_the_public_finds(
        transactional_db: None, live_server: Any, page: Any, tmp_path: Path) -> None:
    people = make_people()
    base, key = live_server.url, people.plan.key
    sign_in(page, base, "planning")
    response = page.goto(f"{base}/plans/{key}/report/documents/")
    assert response is not None and response.status == 200
    expect(page.get_by_role("heading", name="Documenti del piano", exact=True)).to_be_visible()
    assert axe_violations(page) == []

    # a renamed file: refused in place, nothing stored
    fake = tmp_path / "piano.pdf"
    fake.write_bytes(b"<html>non un pdf</html>")
    page.get_by_label("Titolo", exact=True).fill("Piano della Performance adottato")
    page.get_by_label("Tipo").select_option("piano")
    page.get_by_label("Numero dell'atto").fill("Delibera di Giunta n. 12")
    page.get_by_label("Data dell'atto").fill("28/01/2021")
    page.get_by_label("File", exact=True).set_input_files(str(fake))
    page.get_by_role("button", name="Allega e pubblica").click()
    expect(page.locator("#document-errors")).to_contain_text(
        "File «piano.pdf»: il contenuto non è un PDF, un DOCX, un XLSX o un ODT.")
    # what was typed is still there
    expect(page.get_by_label("Titolo", exact=True)).to_have_value(
        "Piano della Performance adottato")
    assert axe_violations(page) == []

    real = tmp_path / "piano-vero.pdf"
    real.write_bytes(PDF)
    page.get_by_label("File", exact=True).set_input_files(str(real))
    page.get_by_role("button", name="Allega e pubblica").click()
    expect(page.get_by_role("status")).to_contain_text(
        "«Piano della Performance adottato» allegato e pubblicato")
    expect(page.locator("#documents-table")).to_contain_text("Delibera di Giunta n. 12")
    assert axe_violations(page) == []

    context = page.context.browser.new_context(locale="it-IT")
    public = context.new_page()
    try:
        public.goto(f"{base}/trasparenza/{key}/")
        table = public.locator("#plan-documents-table")
        expect(table).to_contain_text("Piano della Performance adottato")
        expect(table).to_contain_text("Delibera di Giunta n. 12 del 28/01/2021")
        assert axe_violations(public) == []
    finally:
        context.close()
