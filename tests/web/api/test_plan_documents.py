"""The plan's official documents in the API: read only, the public's as on
/trasparenza/<key>/ (not withdrawn, of a published plan), the withdrawn ones too with
their reason for anyone signed in; the file downloaded is the one listed, to the byte."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from cruscotto.web.plans.services import set_published
from cruscotto.web.reports import documents
from cruscotto.web.reports.models import PlanDocument

from .conftest import Caller

PLAN = b"%PDF-1.7\n% il Piano della Performance 2021-2023\n%%EOF\n"
OLD_SMVP = b"%PDF-1.4\n% SMVP 2019, superato\n%%EOF\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


@pytest.fixture
def docs(caller: Caller) -> tuple[PlanDocument, PlanDocument]:
    """The plan as adopted (published) and an old SMVP, withdrawn with a reason."""
    import datetime

    plan = caller.people.plan
    adopted = documents.add_document(
        plan=plan, user=caller.people.planning, kind="piano",
        title="Piano della Performance 2021-2023", act_number="Delibera di Giunta n. 12",
        act_date=datetime.date(2021, 1, 28), upload=SimpleUploadedFile("piano.pdf", PLAN))
    old = documents.add_document(plan=plan, user=None, kind="smvp", title="SMVP 2019",
                                 upload=SimpleUploadedFile("smvp.pdf", OLD_SMVP))
    documents.withdraw_document(document=old, user=caller.people.planning,
                                reason="sostituito dal SMVP 2021")
    return adopted, old


def download(url: str, client: Client | None = None) -> tuple[int, bytes]:
    r = (client or Client()).get(url)
    return r.status_code, b"".join(r.streaming_content) if r.status_code == 200 else b""


def test_the_public_lists_the_published_documents_and_downloads_them(caller, docs) -> None:
    adopted, old = docs
    api = caller.anonymous
    status, body = api.get(api.plan + "/documents")
    assert status == 200
    assert [d["title"] for d in body] == ["Piano della Performance 2021-2023"]  # not the SMVP
    doc = body[0]
    assert doc | {"url": ""} == {
        "id": adopted.pk, "kind": "piano", "kind_label": "Piano della Performance / PIAO",
        "title": "Piano della Performance 2021-2023",
        "act_number": "Delibera di Giunta n. 12", "act_date": "2021-01-28",
        "file_name": "piano.pdf", "format": "pdf", "size": len(PLAN),
        "sha256": hashlib.sha256(PLAN).hexdigest(), "content_type": "application/pdf",
        "uploaded_at": doc["uploaded_at"], "uploaded_by": None, "published": True,
        "withdrawn_at": None, "withdrawn_by": None, "withdrawal_reason": "", "url": ""}
    assert doc["url"].endswith(f"{api.plan}/documents/{adopted.pk}/file")
    r = Client().get(doc["url"])
    content = b"".join(r.streaming_content)
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert content == PLAN and hashlib.sha256(content).hexdigest() == doc["sha256"]
    assert 'filename="piano-della-performance-2021-2023.pdf"' in r["Content-Disposition"]
    # the same list as the public page: one rule
    assert [d["id"] for d in body] == [d.pk for d in documents.public_documents(
        caller.people.plan.pk)]


def test_the_public_cannot_download_a_withdrawn_document(caller, docs) -> None:
    adopted, old = docs
    api = caller.anonymous
    status, body = api.get(f"{api.plan}/documents/{old.pk}/file")
    assert status == 404
    assert body["detail"] == f"il piano «{caller.people.plan.key}» non ha un documento {old.pk}"
    r = Client().get(f"{api.plan}/documents/{old.pk}/file", headers={"Accept-Language": "en"})
    assert r.json()["detail"] == (f"plan “{caller.people.plan.key}” has no document "
                                  f"{old.pk}")


def test_an_unpublished_plan_has_no_documents_for_the_public(caller, docs) -> None:
    adopted, _ = docs
    set_published(plan=caller.people.plan, published=False)
    api = caller.anonymous
    for url in (api.plan + "/documents", f"{api.plan}/documents/{adopted.pk}/file"):
        status, body = api.get(url)
        assert status == 404, url
        assert body["detail"] == f"nessun piano «{caller.people.plan.key}»"
    # signed in, the plan is readable, and its documents say they are not public
    status, body = caller.viewer.get(api.plan + "/documents")
    assert status == 200 and [d["published"] for d in body] == [False, False]


@pytest.mark.parametrize("who", ["viewer", "officer_a_basic"])
def test_a_signed_in_reader_sees_the_withdrawn_document_and_why(caller, docs, who) -> None:
    adopted, old = docs
    api = getattr(caller, who)
    status, body = api.get(api.plan + "/documents")
    assert status == 200
    assert [d["title"] for d in body] == ["SMVP 2019", "Piano della Performance 2021-2023"]
    withdrawn = body[0]
    assert (withdrawn["published"], withdrawn["withdrawal_reason"],
            withdrawn["withdrawn_by"], withdrawn["uploaded_by"]) == (
        False, "sostituito dal SMVP 2021", "planning", "riga di comando")
    assert withdrawn["withdrawn_at"] is not None
    assert body[1]["uploaded_by"] == "planning" and body[1]["published"] is True
    r = api.client.get(withdrawn["url"], headers=api.headers)
    content = b"".join(r.streaming_content)
    assert r.status_code == 200 and content == OLD_SMVP
    assert hashlib.sha256(content).hexdigest() == withdrawn["sha256"]


def test_documents_are_read_only_in_the_api(caller, docs) -> None:
    api = caller.planning
    for method in ("post", "put", "delete"):
        r = getattr(api.client, method)(api.plan + "/documents", data="{}",
                                        content_type="application/json")
        assert r.status_code == 405, method
    r = api.client.delete(f"{api.plan}/documents/{docs[0].pk}/file")
    assert r.status_code == 405
    assert PlanDocument.objects.filter(withdrawn_at=None).count() == 1


def test_an_unknown_document_or_plan_is_404(caller, docs) -> None:
    api = caller.viewer
    assert api.get(api.plan + "/documents/999999/file")[0] == 404
    assert api.get("/api/plans/nessuno/documents")[0] == 404


def test_the_operations_are_in_the_openapi_document() -> None:
    doc = Client().get("/api/openapi.json").json()
    listing = doc["paths"]["/api/plans/{key}/documents"]["get"]
    assert listing["operationId"] == "list_plan_documents" and {} in listing["security"]
    file = doc["paths"]["/api/plans/{key}/documents/{pk}/file"]["get"]
    assert file["operationId"] == "get_plan_document_file"
    assert "application/octet-stream" in file["responses"]["200"]["content"]
