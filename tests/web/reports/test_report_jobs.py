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

from cruscotto.web.reports.models import ReportJob
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
