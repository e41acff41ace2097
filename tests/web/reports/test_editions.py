"""Approved editions of the Relazione: frozen files with their SHA-256 and the act, the
OIV's validation, the list in Amministrazione trasparente; an edition never changes."""

from __future__ import annotations

import hashlib
import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from cruscotto.cli import main
from cruscotto.web.measurements import models as mm
from cruscotto.web.reports import jobs, render
from cruscotto.web.reports.models import Edition, NarrativeVersion, ReportJob

from .conftest import pdf_text, xlsx

ACT = "Delibera di Giunta n. 45 del 18/06/2022"


@pytest.fixture(autouse=True)
def media(settings, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


def approve_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["report", "approve", "--year", "2021", *args])
    out, err = capsys.readouterr()
    return code, out, err


def docx_text(content: bytes) -> str:
    import docx

    return "\n".join(p.text for p in docx.Document(io.BytesIO(content)).paragraphs)


def stored(edition: Edition, fmt: str) -> bytes:
    with edition.file_of(fmt).open("rb") as fh:
        return fh.read()


def test_approve_freezes_an_edition_that_never_changes(demo, capsys) -> None:
    code, out, err = approve_cli(capsys, "--act", ACT)
    assert (code, err) == (0, "")
    assert out.startswith(f"edition 1 of the 2021 report approved ({ACT})")
    first = Edition.objects.get()
    assert (first.number, first.act, first.basis, first.approved_by) == (1, ACT, "certified",
                                                                          None)
    before = {fmt: stored(first, fmt) for fmt in ("pdf", "docx", "xlsx")}
    for fmt, content in before.items():
        assert hashlib.sha256(content).hexdigest() == first.sha256_of(fmt)
        assert f"{fmt}: " in out and first.sha256_of(fmt) in out
    cover = " ".join(pdf_text(before["pdf"]).split())
    assert f"Edizione 1, approvata con {ACT}" in cover
    assert "Base dei dati: valori certificati" in cover
    assert "-edizione-1-certificati-letti-" in first.pdf.name

    # a later change of the data: the live report changes, the edition does not
    value = mm.Value.objects.filter(period=demo.year_end, number__isnull=False).first()
    mm.Value.objects.filter(pk=value.pk).update(number=value.number + Decimal(7))
    first.refresh_from_db()
    assert {fmt: stored(first, fmt) for fmt in before} == before
    with pytest.raises(PermissionError):
        first.act = "altro"
        first.save()
    with pytest.raises(PermissionError):
        first.delete()

    # a new approval is a new edition; the first stays listed
    code, out, _ = approve_cli(capsys, "--act", "Delibera di Giunta n. 50 del 30/06/2022")
    assert code == 0 and out.startswith("edition 2 of the 2021 report")
    assert list(Edition.objects.order_by("number").values_list("number", flat=True)) == [1, 2]
    assert {fmt: stored(Edition.objects.get(number=1), fmt) for fmt in before} == before
    assert main(["report", "editions"]) == 0
    listing = capsys.readouterr().out
    assert ACT in listing and "Delibera di Giunta n. 50" in listing


@pytest.mark.parametrize(("args", "message"), [
    (("--act", "  "), "Atto di approvazione: obbligatorio"),
    (("--act", "x" * 301), "Atto di approvazione: al massimo 300 caratteri (sono 301)."),
    (("--act", ACT, "--user", "viewer"), "solo il controllo di gestione registra"),
    (("--act", ACT, "--user", "nessuno"), "no user 'nessuno'"),
])
def test_a_refused_approval_stores_nothing(demo, capsys, args, message) -> None:
    code, out, err = approve_cli(capsys, *args)
    assert code == 2 and message in err
    assert not Edition.objects.exists()


def test_the_planning_office_approves_on_the_page(demo, client: Client) -> None:
    key = demo.plan.key
    client.force_login(demo.viewer)
    assert client.post(f"/plans/{key}/report/approve/",
                       {"year": "2021", "act": ACT}).status_code == 403
    page = client.get(f"/plans/{key}/report/").content.decode()
    assert f'action="/plans/{key}/report/approve/"' not in page
    client.force_login(demo.planning)
    response = client.post(f"/plans/{key}/report/approve/", {"year": "2021", "act": ""},
                           follow=True)
    assert "Atto di approvazione: obbligatorio" in response.content.decode()
    assert not ReportJob.objects.exists()
    response = client.post(f"/plans/{key}/report/approve/", {"year": "2021", "act": ACT},
                           follow=True)
    html = " ".join(response.content.decode().split())
    # the request does not render: the edition is in preparation, with its progress
    assert not Edition.objects.exists()
    job = ReportJob.objects.get()
    assert "Approvazione registrata: l&#x27;edizione 1 della relazione 2021" in html
    assert f"Edizione 1, approvata con {ACT}: in coda." in html
    assert '<progress max="100" value="0"' in html

    # written after the approval: not in the edition, which holds what was read then
    NarrativeVersion.objects.create(plan=demo.plan, year=2021, section="presentazione",
                                    text="Scritto dopo l'approvazione.", version=1)
    jobs.approve_job.call(str(job.pk))
    job.refresh_from_db()
    edition = Edition.objects.get()
    assert (job.status, job.progress, job.edition) == ("done", 100, edition)
    assert (edition.number, edition.act, edition.approved_by) == (1, ACT, demo.planning)
    assert edition.approved_at == job.requested_at
    for fmt in ("pdf", "docx", "xlsx"):
        assert hashlib.sha256(stored(edition, fmt)).hexdigest() == edition.sha256_of(fmt)
    frozen = " ".join(pdf_text(stored(edition, "pdf")).split())
    assert f"Edizione 1, approvata con {ACT}" in frozen
    assert "Scritto dopo l'approvazione." not in frozen
    live = client.get(f"/plans/{key}/report/download/docx/", {"period": "2021-12-31"})
    assert "Scritto dopo l'approvazione." in docx_text(live.content)
    assert "Scritto dopo l'approvazione." not in docx_text(stored(edition, "docx"))

    html = client.get(f"/plans/{key}/report/?period=2021-12-31").content.decode()
    assert "in coda" not in html
    assert f'href="/plans/{key}/report/editions/{edition.pk}/pdf/"' in html
    download = client.get(f"/plans/{key}/report/editions/{edition.pk}/pdf/")
    assert b"".join(download.streaming_content) == stored(edition, "pdf")
    status = client.get(f"/plans/{key}/report/jobs/{job.pk}/").content.decode()
    assert f"Edizione 1, approvata con {ACT}: pronto." in " ".join(status.split())


def test_a_failed_approval_is_shown_and_retried_with_the_figures_read_when_approved(
        demo, client: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    key = demo.plan.key
    client.force_login(demo.planning)
    client.post(f"/plans/{key}/report/approve/", {"year": "2021", "act": ACT})
    job = ReportJob.objects.get()

    def broken(report: object, fmt: str) -> bytes:
        raise OSError("disco pieno")

    monkeypatch.setattr(render, "render", broken)
    with pytest.raises(OSError):
        jobs.approve_job.call(str(job.pk))
    job.refresh_from_db()
    assert (job.status, job.error, Edition.objects.count()) == ("failed", "disco pieno", 0)
    html = " ".join(client.get(f"/plans/{key}/report/?period=2021-12-31"
                               ).content.decode().split())
    assert f"Edizione 1, approvata con {ACT}: non riuscito." in html
    assert "La preparazione non è riuscita. Riprova" in html
    retry = f"/plans/{key}/report/jobs/{job.pk}/retry/"
    assert f'action="{retry}"' in html
    job_page = " ".join(client.get(f"/plans/{key}/report/jobs/{job.pk}/").content.decode(
        ).split())
    assert "preparati in coda con i dati letti al momento dell'approvazione" in job_page
    assert f'action="{retry}"' in job_page
    english = " ".join(client.get(f"/plans/{key}/report/?period=2021-12-31",
                                  headers={"accept-language": "en"}).content.decode().split())
    assert f"Edition 1, approved by {ACT}: failed." in english
    assert "The preparation failed. Try again" in english and ">Try again</button>" in english
    # a second approval meanwhile would take the next number if published after it
    client.post(f"/plans/{key}/report/approve/", {"year": "2021", "act": "Delibera n. 50"})
    assert sorted(ReportJob.objects.values_list("edition_number", flat=True)) == [1, 2]

    client.force_login(demo.oiv)
    assert client.post(retry).status_code == 403
    client.force_login(demo.planning)
    response = client.post(retry, follow=True)
    assert "Preparazione rimessa in coda." in response.content.decode()
    job.refresh_from_db()
    assert (job.status, job.progress, job.error) == ("queued", 0, "")
    monkeypatch.undo()
    jobs.approve_job.call(str(job.pk))
    edition = Edition.objects.get(number=1)
    assert edition.act == ACT
    assert hashlib.sha256(stored(edition, "xlsx")).hexdigest() == edition.xlsx_sha256
    response = client.post(retry, follow=True)  # nothing to retry any more
    assert "non è fallita" in response.content.decode()


def test_a_failed_approval_leaves_no_gap_in_the_edition_numbers(
        demo, client: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    key = demo.plan.key
    page = f"/plans/{key}/report/?period=2021-12-31"
    client.force_login(demo.planning)
    client.post(f"/plans/{key}/report/approve/", {"year": "2021", "act": ACT})
    failed = ReportJob.objects.get()

    def broken(report: object, fmt: str) -> bytes:
        raise OSError("disco pieno")

    with monkeypatch.context() as m:
        m.setattr(render, "render", broken)
        with pytest.raises(OSError):
            jobs.approve_job.call(str(failed.pk))
    # the next approval is published while the failed one waits (or is left there):
    # it is edition 1, and says so in its files
    later = "Delibera di Giunta n. 50 del 30/06/2022"
    client.post(f"/plans/{key}/report/approve/", {"year": "2021", "act": later})
    second = ReportJob.objects.exclude(pk=failed.pk).get()
    jobs.approve_job.call(str(second.pk))
    first = Edition.objects.get()
    assert (first.number, first.act) == (1, later)
    assert f"Edizione 1, approvata con {later}" in docx_text(stored(first, "docx"))
    second.refresh_from_db()
    assert second.edition_number == 1
    html = " ".join(client.get(page).content.decode().split())
    assert '<th scope="row">1</th>' in html and '<th scope="row">2</th>' not in html
    # the failed approval now waits for the next number, on the list and on its page
    assert f"Edizione 2, approvata con {ACT}: non riuscito." in html
    assert "una preparazione non riuscita non lascia numeri vuoti" in html
    english = " ".join(client.get(page, headers={"accept-language": "en"}
                                  ).content.decode().split())
    assert "a failed preparation leaves no gap in the numbers" in english
    job_page = " ".join(client.get(f"/plans/{key}/report/jobs/{failed.pk}/"
                                   ).content.decode().split())
    assert f"Edizione 2, approvata con {ACT}: non riuscito." in job_page
    # retried, it is edition 2: its files say so, with the figures read when approved
    client.post(f"/plans/{key}/report/jobs/{failed.pk}/retry/")
    jobs.approve_job.call(str(failed.pk))
    assert list(Edition.objects.order_by("number").values_list("number", "act")) == [
        (1, later), (2, ACT)]
    edition = Edition.objects.get(number=2)
    assert f"Edizione 2, approvata con {ACT}" in docx_text(stored(edition, "docx"))
    assert "edizione-2" in edition.pdf.name
    html = " ".join(client.get(page).content.decode().split())
    assert '<th scope="row">1</th>' in html and '<th scope="row">2</th>' in html
    assert "non riuscito" not in html


def test_files_made_while_another_edition_is_stored_are_made_again_with_its_number(
        demo) -> None:
    from cruscotto.web.reports import editions

    report = editions.read_report(plan=demo.plan, year=2021, lang="it")
    made: list[str] = []

    def meanwhile(fmt: str) -> None:  # the command line approves while the worker renders
        made.append(fmt)
        if len(made) == 1:
            editions.approve(plan=demo.plan, year=2021, act="Delibera n. 1")

    edition = editions.publish(plan=demo.plan, year=2021, act=ACT, report=report, lang="it",
                               user=None, rendered=meanwhile)
    assert edition.number == 2 and len(made) == 2 * len(render.FORMATS)
    assert f"Edizione 2, approvata con {ACT}" in docx_text(stored(edition, "docx"))
    assert list(Edition.objects.order_by("number").values_list("number", "act")) == [
        (1, "Delibera n. 1"), (2, ACT)]


def test_the_oiv_attaches_its_validation_once(demo, client: Client, capsys) -> None:
    approve_cli(capsys, "--act", ACT)
    edition = Edition.objects.get()
    url = f"/plans/{demo.plan.key}/report/editions/{edition.pk}/validation/"
    pdf = b"%PDF-1.4 validazione dell'OIV"
    client.force_login(demo.planning)
    assert client.post(url, {"document": SimpleUploadedFile("v.pdf", pdf)}).status_code == 403
    client.force_login(demo.oiv)
    response = client.post(url, {"document": SimpleUploadedFile("v.docx", b"x")}, follow=True)
    assert "Documento di validazione «v.docx»: atteso un file PDF o .p7m." in \
        response.content.decode()
    response = client.post(url, {"document": SimpleUploadedFile("validazione.pdf", pdf),
                                 "note": "Verbale OIV n. 3 del 25/06/2022"}, follow=True)
    assert "Documento di validazione dell&#x27;OIV allegato all&#x27;edizione 1." in \
        response.content.decode()
    edition.refresh_from_db()
    assert edition.oiv_by == demo.oiv and edition.oiv_sha256 == hashlib.sha256(pdf).hexdigest()
    response = client.post(url, {"document": SimpleUploadedFile("altro.pdf", pdf)},
                           follow=True)
    assert "già allegato a questa edizione" in response.content.decode()
    # the public finds the edition, PDF first, with the validation
    public = Client().get(f"/trasparenza/{demo.plan.key}/2021/").content.decode()
    assert ACT in public and "Verbale OIV n. 3 del 25/06/2022" in public
    links = [f"/trasparenza/{demo.plan.key}/relazione/{edition.pk}/{fmt}/"
             for fmt in ("pdf", "docx", "xlsx", "oiv")]
    positions = [public.index(f'href="{link}"') for link in links]
    assert positions == sorted(positions)
    got = Client().get(links[3])
    assert b"".join(got.streaming_content) == pdf
    got = Client().get(links[2])
    wb = xlsx(b"".join(got.streaming_content))
    assert wb["Copertina"]["B5"].value == "valori certificati"


def test_the_public_finds_no_edition_of_an_unpublished_plan(demo, client, capsys) -> None:
    approve_cli(capsys, "--act", ACT)
    edition = Edition.objects.get()
    demo.plan.published = False
    demo.plan.save(update_fields=["published"])
    assert client.get(f"/trasparenza/{demo.plan.key}/relazione/{edition.pk}/pdf/"
                      ).status_code == 404
