"""The PDF is rendered by the worker queue: the download answers at once with the job's
page, the worker (the real `db_worker`, in batch) renders it, the page then offers it.

The worker closes and reopens its database connection between tasks, as a worker
must: the test's data are committed (``transactional_db``), not in a transaction the
worker would drop, so this module stores its own seed plan and demo values."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client

from cruscotto.web.reports.models import Edition, ReportJob
from tests.web.seeded import seeded_people

from .conftest import pdf_text


@pytest.fixture(autouse=True)
def media(settings, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")


def work() -> None:
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


def test_the_pdf_is_rendered_by_the_worker(transactional_db: None, client: Client) -> None:
    key = seeded_people().plan.key
    response = client.get(f"/plans/{key}/report/download/pdf/", {"period": "2021-12-31"})
    job = ReportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/plans/{key}/report/jobs/{job.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert "Documento PDF sui valori certificati: in coda." in page
    assert 'hx-trigger="every 2s"' in page
    assert client.get(f"/plans/{key}/report/jobs/{job.pk}/file/").status_code == 404
    work()
    job.refresh_from_db()
    assert (job.status, job.progress) == ("done", 100)
    status = client.get(f"/plans/{key}/report/jobs/{job.pk}/", HTTP_HX_REQUEST="true")
    html = status.content.decode()
    assert html.lstrip().startswith('<div id="job-status"')  # the fragment htmx swaps
    assert "pronto" in html and "every 2s" not in html
    pdf = client.get(f"/plans/{key}/report/jobs/{job.pk}/file/")
    assert pdf["Content-Type"] == "application/pdf"
    assert "-certificati-letti-" in pdf["Content-Disposition"]
    text = " ".join(pdf_text(b"".join(pdf.streaming_content)).split())
    assert "Base dei dati: valori certificati" in text


def test_an_approval_on_the_page_is_rendered_by_the_worker(transactional_db: None,
                                                           client: Client) -> None:
    people = seeded_people()
    key = people.plan.key
    client.force_login(people.planning)
    act = "Delibera di Giunta n. 45 del 18/06/2022"
    response = client.post(f"/plans/{key}/report/approve/", {"year": "2021", "act": act})
    assert response.status_code == 302
    job = ReportJob.objects.get()
    assert (job.fmt, job.status, job.edition_number) == ("edition", "queued", 1)
    assert not Edition.objects.exists()
    work()
    job.refresh_from_db()
    edition = Edition.objects.get()
    assert (job.status, job.progress, job.edition_id) == ("done", 100, edition.pk)
    with edition.pdf.open("rb") as fh:
        cover = " ".join(pdf_text(fh.read()).split())
    assert f"Edizione 1, approvata con {act}" in cover
    page = client.get(f"/plans/{key}/report/?period=2021-12-31").content.decode()
    assert f'href="/plans/{key}/report/editions/{edition.pk}/pdf/"' in page
