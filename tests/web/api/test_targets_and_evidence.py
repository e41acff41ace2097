"""Target revisions listed, and supporting documents uploaded, listed and downloaded."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cruscotto.web.measurements import models as mm

from .conftest import API, Caller, enter_3_1_1


def targets(api: API) -> Any:
    return api.get(api.plan + "/indicators/3.1.1/targets")


def test_the_targets_list_the_original_and_each_revision(caller: Caller) -> None:
    url = caller.anonymous.plan + "/indicators/3.1.1/targets/2021/revisions"
    for text, why in [(">= 85%", "bando rinviato"), (">= 80%", "delibera n. 12")]:
        status, _ = caller.planning.send("post", url, {"text": text, "justification": why,
                                                      "revised_on": "2021-09-15"})
        assert status == 201
    status, body = targets(caller.anonymous)
    assert status == 200 and body["indicator"] == "3.1.1"
    year = next(y for y in body["years"] if y["year"] == 2021)
    assert (year["original"], year["current"]) == (">=90%", ">= 80%")
    assert [(r["previous_text"], r["text"], r["justification"], r["revised_on"],
             r["revised_by"]) for r in year["revisions"]] == [
        (">=90%", ">= 85%", "bando rinviato", "2021-09-15", "planning"),
        (">= 85%", ">= 80%", "delibera n. 12", "2021-09-15", "planning")]
    untouched = next(y for y in body["years"] if y["year"] == 2022)
    assert untouched["revisions"] == [] and untouched["current"] == untouched["original"]


def test_an_unknown_indicator_has_no_targets(caller: Caller) -> None:
    status, body = caller.anonymous.get(caller.anonymous.plan + "/indicators/9.9.9/targets")
    assert status == 404 and "9.9.9" in body["detail"]


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = str(tmp_path)
    return tmp_path


def evidence_url(api: API) -> str:
    return api.period() + "/indicators/3.1.1/evidence"


def upload(api: API, name: str, content: bytes, variable: str = "budget_innovazione"
           ) -> tuple[int, Any]:
    r = api.client.post(evidence_url(api), {"variable": variable,
                                            "file": SimpleUploadedFile(name, content)},
                        headers=api.headers)
    return r.status_code, r.json()


def test_the_centre_uploads_a_document_lists_it_and_downloads_it(
        caller: Caller, media: Path) -> None:
    enter_3_1_1(caller)
    officer = caller.officer_a_basic
    status, ev = upload(officer, "bilancio.pdf", b"%PDF-1.4 bilancio")
    assert status == 201, ev
    assert (ev["variable"], ev["name"], ev["size"], ev["content_type"], ev["uploaded_by"]) == (
        "budget_innovazione", "bilancio.pdf", 17, "application/pdf", "officer_a")
    status, listed = officer.get(evidence_url(officer))
    assert status == 200 and [e["id"] for e in listed] == [ev["id"]]
    r = caller.planning.client.get(ev["url"])
    assert r.status_code == 200
    assert b"".join(r.streaming_content) == b"%PDF-1.4 bilancio"  # type: ignore[attr-defined]
    assert "bilancio.pdf" in r["Content-Disposition"]
    assert mm.AuditEvent.objects.filter(action="evidence", new="bilancio.pdf").exists()


def test_an_upload_is_refused_as_on_the_page(caller: Caller, media: Path,
                                             settings: Any) -> None:
    enter_3_1_1(caller)
    status, body = upload(caller.officer_a, "virus.exe", b"MZ")
    assert status == 400 and "tipo di file non accettato" in body["detail"]
    settings.CRUSCOTTO_EVIDENCE_MAX_BYTES = 10
    status, body = upload(caller.officer_a, "bilancio.pdf", b"%PDF" * 10)
    assert status == 400 and "più dei 10 ammessi" in body["detail"]
    settings.CRUSCOTTO_EVIDENCE_MAX_BYTES = 10_000
    status, body = upload(caller.officer_b, "bilancio.pdf", b"%PDF")
    assert status == 403 and "non fai parte" in body["detail"]
    status, body = upload(caller.anonymous, "bilancio.pdf", b"%PDF")
    assert status == 401
    status, body = upload(caller.officer_a, "nota.pdf", b"%PDF", variable="imprese_suap")
    assert status == 400 and "non legge la variabile «imprese_suap»" in body["detail"]
    assert not mm.Evidence.objects.exists()
    assert not list(media.rglob("*.pdf"))


def test_a_draft_s_documents_are_hidden_from_another_centre(caller: Caller,
                                                           media: Path) -> None:
    enter_3_1_1(caller)
    status, ev = upload(caller.officer_a, "bilancio.pdf", b"%PDF")
    assert status == 201
    status, body = caller.officer_b.get(evidence_url(caller.officer_b))
    assert status == 403 and "non sono ancora validati" in body["detail"]
    assert caller.officer_b.client.get(ev["url"]).status_code == 403
    assert caller.viewer.client.get(ev["url"]).status_code == 403
    assert caller.anonymous.client.get(ev["url"]).status_code == 401


def test_an_over_size_document_is_stopped_while_read(caller: Caller, media: Path,
                                                     settings: Any) -> None:
    enter_3_1_1(caller)
    settings.CRUSCOTTO_EVIDENCE_MAX_BYTES = 50_000
    settings.CRUSCOTTO_UPLOAD_MAX_BYTES = 50_000
    status, body = upload(caller.officer_a, "bilancio.pdf", b"%PDF" * 30_000)
    assert status == 400
    assert body["detail"] == ("bilancio.pdf: il file è troppo grande; il caricamento è stato "
                              "interrotto")
    r = caller.officer_a.client.post(evidence_url(caller.officer_a),
                                     {"variable": "budget_innovazione"})
    assert r.status_code == 400 and "manca il file" in r.json()["detail"]
    assert not mm.Evidence.objects.exists()
