"""An over-size upload is stopped while it is read, and the page says so in Italian."""

from __future__ import annotations

import pytest
from django.core.files.uploadhandler import SkipFile
from django.test import Client, RequestFactory, override_settings

from cruscotto.web.measurements import models as mm
from cruscotto.web.measurements.upload_limit import SizeLimitUploadHandler

from .. import pages
from .conftest import People
from .uploading import csv_file

#: small limits, so that a file of ~140 kB passes them but its request's declared
#: length stays under the page's early refusal (limit + 64 kB): the handler must stop it
LIMITS = {"CRUSCOTTO_UPLOAD_MAX_BYTES": 100_000, "CRUSCOTTO_EVIDENCE_MAX_BYTES": 50_000,
          "CRUSCOTTO_PLAN_DOCUMENT_MAX_BYTES": 50_000}


def over_the_limit() -> object:
    rows = [("3.1.1", "budget_innovazione", "2021", "1" * 60, "")] * 1500
    f = csv_file(rows)
    assert 100_000 < f.size < 160_000  # type: ignore[attr-defined]
    return f


@override_settings(**LIMITS)
def test_a_file_over_the_limit_is_stopped_and_said_in_italian(client: Client,
                                                               people: People) -> None:
    client.force_login(people.officer_a)
    r = client.post(f"/plans/{people.plan.key}/upload/", {"file": over_the_limit()})
    text = pages.text(r)
    assert r.status_code == 400
    assert "il file è troppo grande: più di 0,1 MB; il caricamento è stato interrotto" in text
    assert "Nessun valore salvato" in text
    assert not mm.Value.objects.exists()


@override_settings(**LIMITS)
def test_the_english_interface_says_it_in_english(client: Client, people: People) -> None:
    client.force_login(people.officer_a)
    r = client.post(f"/plans/{people.plan.key}/upload/", {"file": over_the_limit()},
                    headers={"accept-language": "en"})
    assert r.status_code == 400
    assert "the file is too large: more than 0.1 MB; the upload was stopped" in pages.text(r)


@override_settings(**LIMITS)
def test_the_handler_passes_on_no_byte_beyond_the_limit() -> None:
    request = RequestFactory().post("/")
    handler = SizeLimitUploadHandler(request)
    handler.new_file("file", "valori.csv", "text/csv", None)
    passed = 0
    with pytest.raises(SkipFile):
        for start in range(0, 1_000_000, 65_536):
            passed += len(handler.receive_data_chunk(b"x" * 65_536, start))
    assert passed <= 100_000
    assert request.upload_too_large.name == "valori.csv"  # type: ignore[attr-defined]
    handler.new_file("file", "altro.csv", "text/csv", None)  # the count starts again
    assert handler.receive_data_chunk(b"x" * 65_536, 0)
