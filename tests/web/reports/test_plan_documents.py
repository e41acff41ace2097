"""The plan's official documents: the planning office attaches them (checked by their
content, stored with their SHA-256), the public downloads them from /trasparenza/<key>/,
a withdrawn one leaves the public page and stays in the office's list."""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings

from cruscotto.cli import main
from cruscotto.web.measurements import models as mm
from cruscotto.web.reports.models import PlanDocument

from .. import pages

PDF = b"%PDF-1.7\n% il Piano della Performance 2021-2023\n%%EOF\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


def docx_bytes() -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph("Delibera di adozione")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def xlsx_bytes() -> bytes:
    from openpyxl import Workbook

    out = io.BytesIO()
    Workbook().save(out)
    return out.getvalue()


def odt_bytes() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.text",
                   compress_type=zipfile.ZIP_STORED)
        z.writestr("content.xml", "<office:document-content/>")
    return out.getvalue()


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def add(client: Client, key: str, **fields: object) -> object:
    form = {"action": "add", "title": "Piano della Performance 2021-2023", "kind": "piano",
            "act_number": "Delibera di Giunta n. 12", "act_date": "28/01/2021",
            "file": upload("piano.pdf", PDF)} | fields
    return client.post(f"/plans/{key}/report/documents/", form)


def test_the_planning_office_publishes_a_document_the_public_downloads(people, client) -> None:
    key = people.plan.key
    client.force_login(people.planning)
    response = add(client, key)
    assert response.status_code == 302
    doc = PlanDocument.objects.get()
    assert (doc.fmt, doc.size, doc.sha256, doc.uploaded_by) == (
        "pdf", len(PDF), hashlib.sha256(PDF).hexdigest(), people.planning)
    event = mm.AuditEvent.objects.get(action="plan_document_added")
    assert event.username == "planning" and doc.sha256 in event.new
    office = pages.text(client.get(f"/plans/{key}/report/documents/"))
    assert "«Piano della Performance 2021-2023» allegato e pubblicato" in office

    public = Client().get(f"/trasparenza/{key}/")
    text = pages.text(public)
    assert "Piano della Performance 2021-2023" in text
    assert "Delibera di Giunta n. 12 del 28/01/2021" in text
    got = Client().get(f"/trasparenza/{key}/documenti/{doc.pk}/")
    assert got.status_code == 200 and b"".join(got.streaming_content) == PDF
    assert got["Content-Type"] == "application/pdf"
    assert got["Content-Disposition"] == (
        'attachment; filename="piano-della-performance-2021-2023.pdf"')


def test_the_public_list_puts_pdfs_first(people, client) -> None:
    key = people.plan.key
    client.force_login(people.planning)
    add(client, key, title="Rimodulazione (testo modificabile)", kind="aggiornamento",
        file=upload("rimodulazione.docx", docx_bytes()))
    add(client, key, title="SMVP 2021", kind="smvp", file=upload("smvp.odt", odt_bytes()))
    add(client, key, title="Allegato: indicatori", kind="altro",
        file=upload("indicatori.xlsx", xlsx_bytes()))
    add(client, key, title="Sistema di misurazione 2021", kind="smvp",
        file=upload("smvp.pdf", PDF))
    assert sorted(PlanDocument.objects.values_list("fmt", flat=True)) == [
        "docx", "odt", "pdf", "xlsx"]
    html = Client().get(f"/trasparenza/{key}/").content.decode()
    order = sorted(PlanDocument.objects.all(), key=lambda d: html.index(d.title))
    assert order[0].fmt == "pdf"


@pytest.mark.parametrize(("name", "content", "message"), [
    ("piano.pdf", b"MZ\x90\x00 un eseguibile",
     "File «piano.pdf»: il contenuto non è un PDF, un DOCX, un XLSX o un ODT."),
    ("piano.docx", PDF, "File «piano.docx»: il contenuto è un PDF ma il nome finisce in "
                        "«.docx»; rinominalo in .pdf."),
    ("archivio.docx", b"PK\x03\x04 non uno zip", "il contenuto non è un PDF"),
    ("piano.html", b"<html>", "il contenuto non è un PDF"),
])
def test_a_file_that_is_not_what_it_says_is_refused(people, client, name, content,
                                                    message) -> None:
    client.force_login(people.planning)
    response = add(client, people.plan.key, file=upload(name, content))
    assert response.status_code == 400
    text = pages.text(response)
    assert "Niente è stato salvato:" in text and message in text
    assert not PlanDocument.objects.exists()
    assert not mm.AuditEvent.objects.filter(action="plan_document_added").exists()


def test_every_problem_of_the_form_is_said_at_once_also_with_htmx(people, client,
                                                                  settings) -> None:
    settings.CRUSCOTTO_PLAN_DOCUMENT_MAX_BYTES = 10
    client.force_login(people.planning)
    response = client.post(f"/plans/{people.plan.key}/report/documents/",
                           {"action": "add", "title": "", "kind": "bilancio",
                            "act_date": "31/02/2021", "file": upload("piano.pdf", PDF)},
                           headers={"hx-request": "true"})
    assert response.status_code == 400
    text = pages.text(response)
    # the panel alone, in place of the form
    assert "<html" not in response.content.decode()
    assert "Data dell'atto «31/02/2021»: attesa una data come 18/06/2022." in text
    response = client.post(f"/plans/{people.plan.key}/report/documents/",
                           {"action": "add", "title": "", "kind": "bilancio",
                            "file": upload("piano.pdf", PDF)}, headers={"hx-request": "true"})
    text = pages.text(response)
    assert "Titolo: obbligatorio" in text
    assert "Tipo «bilancio»: atteso uno tra piano, adozione, aggiornamento, smvp, altro." in text
    assert f"File «piano.pdf»: {len(PDF)} bytes, più dei 10 bytes ammessi." in text
    assert not PlanDocument.objects.exists()


@override_settings(CRUSCOTTO_UPLOAD_MAX_BYTES=2_000, CRUSCOTTO_EVIDENCE_MAX_BYTES=2_000,
                   CRUSCOTTO_PLAN_DOCUMENT_MAX_BYTES=2_000)
def test_a_file_over_the_limit_is_stopped_while_it_is_read(people, client) -> None:
    client.force_login(people.planning)
    big = PDF + b"0" * 100_000
    response = add(client, people.plan.key, file=upload("piano-grande.pdf", big))
    assert response.status_code == 400
    assert ("File «piano-grande.pdf»: più di 2,0 KB; il caricamento è stato interrotto."
            in pages.text(response))
    assert not PlanDocument.objects.exists()


@override_settings(CRUSCOTTO_UPLOAD_MAX_BYTES=2_000, CRUSCOTTO_EVIDENCE_MAX_BYTES=2_000,
                   CRUSCOTTO_PLAN_DOCUMENT_MAX_BYTES=200_000)
def test_the_documents_limit_is_the_documents_page_s_alone(people, client) -> None:
    """A plan document may be larger than evidence; that does not let a larger file
    through any other upload."""
    client.force_login(people.planning)
    big = PDF + b"0" * 100_000
    response = add(client, people.plan.key, file=upload("piano-grande.pdf", big))
    assert PlanDocument.objects.filter(title__isnull=False).count() == 1, pages.text(response)
    client.force_login(people.officer_a)
    stopped = client.post(f"/plans/{people.plan.key}/upload/",
                          {"file": upload("valori.csv", b"x" * 5_000)})
    assert "il caricamento è stato interrotto" in pages.text(stopped)


def test_a_withdrawn_document_leaves_the_public_page_and_stays_listed(people, client) -> None:
    key = people.plan.key
    client.force_login(people.planning)
    add(client, key, title="Piano adottato (prima stesura)")
    doc = PlanDocument.objects.get()
    url = f"/plans/{key}/report/documents/"
    refused = client.post(url, {"action": "withdraw", "document": doc.pk, "reason": " "})
    assert refused.status_code == 400
    assert "Motivo del ritiro: obbligatorio" in pages.text(refused)
    done = client.post(url, {"action": "withdraw", "document": doc.pk,
                             "reason": "sostituito dalla versione aggiornata"},
                       headers={"hx-request": "true"})
    assert done.status_code == 200
    assert "ritirato: non è più pubblico e resta nell'elenco" in pages.text(done)
    doc.refresh_from_db()
    assert doc.withdrawn_by == people.planning and not doc.is_public
    assert mm.AuditEvent.objects.filter(action="plan_document_withdrawn",
                                        reason="sostituito dalla versione aggiornata").exists()
    assert Client().get(f"/trasparenza/{key}/documenti/{doc.pk}/").status_code == 404
    assert doc.title not in Client().get(f"/trasparenza/{key}/").content.decode()
    office = pages.text(client.get(url))
    assert "sostituito dalla versione aggiornata" in office and doc.title in office
    # the office keeps its copy; the document never changes nor goes away
    assert client.get(f"{url}{doc.pk}/").status_code == 200
    with pytest.raises(PermissionError):
        doc.title = "altro"
        doc.save()
    with pytest.raises(PermissionError):
        doc.delete()


def test_only_the_planning_office_manages_the_documents(people, client) -> None:
    url = f"/plans/{people.plan.key}/report/documents/"
    for who in (people.viewer, people.officer_a, people.oiv):
        client.force_login(who)
        assert client.get(url).status_code == 403
        assert add(client, people.plan.key).status_code == 403
    assert not PlanDocument.objects.exists()


def test_the_english_page_says_it_in_english(people, client) -> None:
    client.force_login(people.planning)
    response = client.post(f"/plans/{people.plan.key}/report/documents/",
                           {"action": "add", "title": "Plan", "kind": "piano",
                            "file": upload("plan.pdf", b"not a pdf")},
                           headers={"accept-language": "en"})
    text = pages.text(response)
    assert "Nothing was saved:" in text
    assert "File «plan.pdf»: the content is not a PDF, a DOCX, an XLSX or an ODT." in text
    assert "Allega" not in text


def test_the_command_line_adds_lists_and_withdraws(people, capsys, tmp_path) -> None:
    key = people.plan.key
    path = tmp_path / "smvp.pdf"
    path.write_bytes(PDF)
    assert main(["plan", "documents", "add", key, str(path), "--title", "SMVP 2021",
                 "--kind", "smvp", "--act-date", "15/01/2021"]) == 0
    out = capsys.readouterr().out
    doc = PlanDocument.objects.get()
    assert out.startswith(f"document {doc.pk} of {key} published: SMVP 2021 (pdf")
    assert doc.uploaded_by_name == "riga di comando"
    renamed = tmp_path / "smvp.xlsx"
    renamed.write_bytes(PDF)
    assert main(["plan", "documents", "add", key, str(renamed), "--title", "x",
                 "--kind", "smvp", "--user", "viewer"]) == 2
    assert "solo il controllo di gestione" in capsys.readouterr().err
    assert main(["plan", "documents", "add", key, str(renamed), "--title", "x",
                 "--kind", "smvp"]) == 2
    assert "il contenuto è un PDF ma il nome finisce in «.xlsx»" in capsys.readouterr().err
    assert main(["plan", "documents", "withdraw", key, str(doc.pk), "--reason",
                 "errato"]) == 0
    capsys.readouterr()
    assert main(["plan", "documents", "list", key]) == 0
    listing = capsys.readouterr().out
    assert "SMVP 2021" in listing and "15/01/2021" in listing and "(errato)" in listing
    assert PlanDocument.objects.count() == 1
