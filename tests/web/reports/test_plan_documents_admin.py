"""The plan's documents in the admin: listed and searchable, read only — no add, no
change, no delete, administrators included (a document is withdrawn with a reason on
the planning office's page, never edited nor deleted)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from cruscotto.web.reports import documents
from cruscotto.web.reports.models import PlanDocument

from .. import pages

PDF = b"%PDF-1.7\n% il Piano della Performance 2021-2023\n%%EOF\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


@pytest.fixture
def docs(people) -> tuple[PlanDocument, PlanDocument]:
    adopted = documents.add_document(plan=people.plan, user=None, kind="piano",
                                     title="Piano della Performance 2021-2023",
                                     upload=SimpleUploadedFile("piano.pdf", PDF))
    old = documents.add_document(plan=people.plan, user=None, kind="smvp", title="SMVP 2019",
                                 upload=SimpleUploadedFile("smvp.pdf", PDF))
    documents.withdraw_document(document=old, user=None, reason="sostituito dal SMVP 2021")
    return adopted, old


@pytest.fixture
def admin(db: None, client: Client) -> Client:
    client.force_login(User.objects.create_superuser("amministratore", password="x"))
    return client


URL = "/admin/reports/plandocument/"


def test_the_admin_lists_the_documents_without_an_add_button(admin, docs) -> None:
    response = admin.get(URL)
    assert response.status_code == 200
    text = pages.text(response)
    assert "Piano della Performance 2021-2023" in text and "SMVP 2019" in text
    assert "Sistema di misurazione e valutazione (SMVP)" in text
    assert f"{URL}add/" not in response.content.decode()
    assert "Elimina documenti del piano selezionati" not in text  # no delete action
    # search by title
    found = pages.text(admin.get(URL, {"q": "SMVP"}))
    assert "SMVP 2019" in found and "Piano della Performance 2021-2023" not in found


def test_the_change_page_is_read_only(admin, docs) -> None:
    adopted, old = docs
    response = admin.get(f"{URL}{old.pk}/change/")
    assert response.status_code == 200
    html = response.content.decode()
    text = pages.text(response)
    assert "sostituito dal SMVP 2021" in text and old.sha256 in text
    assert 'name="_save"' not in html and 'name="title"' not in html
    assert f"{URL}{old.pk}/delete/" not in html
    # the file through the office's download, not the storage's address
    assert pages.links(response)["smvp.pdf"] == (
        f"/plans/{old.plan.key}/report/documents/{old.pk}/")


def test_nobody_adds_changes_or_deletes_a_document_in_the_admin(admin, docs) -> None:
    adopted, _ = docs
    assert admin.get(f"{URL}add/").status_code == 403
    assert admin.post(f"{URL}{adopted.pk}/change/", {"title": "cambiato"}).status_code == 403
    assert admin.post(f"{URL}{adopted.pk}/delete/", {"post": "yes"}).status_code == 403
    assert admin.post(URL, {"action": "delete_selected", "_selected_action": [adopted.pk],
                            "post": "yes"}).status_code in (200, 302)
    assert [(d.title, d.withdrawn_at) for d in PlanDocument.objects.order_by("pk")][0] == (
        "Piano della Performance 2021-2023", None)
    assert PlanDocument.objects.count() == 2
