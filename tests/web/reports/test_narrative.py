"""The Relazione's narrative: the planning office writes it in the browser (Markdown,
with a preview), every save a new version with author and date, and it is placed in the
page, the PDF, the DOCX and the XLSX."""

from __future__ import annotations

import io

import pytest
from django.test import Client

from cruscotto.web.reports.data import build_report
from cruscotto.web.reports.models import NARRATIVE_LENGTH, NarrativeVersion
from cruscotto.web.reports.render import render

from .conftest import pdf_text, xlsx

PRESENTATION = ("La Camera presenta i **risultati** del 2021.\n\n"
                "- primo punto\n- secondo punto\n\n<script>alert('x')</script>")


def url(key: str) -> str:
    return f"/plans/{key}/report/narrative/?year=2021"


def post(client: Client, key: str, action: str = "save", **texts: str) -> object:
    data = {"year": "2021", "action": action}
    for k, v in texts.items():
        section = k.replace("_", "-")
        if section.startswith("title-"):
            data[section] = v
        else:
            data[f"text-{section}"] = v
    return client.post(url(key), data, follow=True)


def test_only_the_planning_office_writes(demo, client: Client) -> None:
    assert client.get(url(demo.plan.key)).status_code == 302  # to the login
    for who in ("viewer", "officer_a", "oiv"):
        client.force_login(getattr(demo, who))
        assert client.get(url(demo.plan.key)).status_code == 403
        assert post(client, demo.plan.key, presentazione="x").status_code == 403
    assert not NarrativeVersion.objects.exists()


def test_the_preview_shows_clean_html_and_saves_nothing(demo, client: Client) -> None:
    client.force_login(demo.planning)
    html = post(client, demo.plan.key, "preview", presentazione=PRESENTATION
                ).content.decode()
    assert "<strong>risultati</strong>" in html and "<li>primo punto</li>" in html
    assert "<script>alert" not in html
    assert not NarrativeVersion.objects.exists()


def test_saved_sections_are_versions_placed_in_every_format(demo, client: Client) -> None:
    key = demo.plan.key
    client.force_login(demo.planning)
    html = post(client, key, presentazione=PRESENTATION,
                obiettivo_3="Il commento sull'obiettivo **digitale**.",
                conclusioni="Conclusioni dell'anno.",
                title_libera_1="Nota metodologica", libera_1="Come si legge la relazione."
                ).content.decode()
    assert "Salvate nuove versioni di: Presentazione;" in html
    assert NarrativeVersion.objects.count() == 4
    # a second save changes one section: a new version of it, the old one kept
    post(client, key, presentazione="Testo rivisto.")
    versions = NarrativeVersion.objects.filter(section="presentazione").order_by("version")
    assert [(v.version, v.written_by) for v in versions] == [(1, demo.planning),
                                                              (2, demo.planning)]
    page = client.get(url(key)).content.decode()
    assert "Versione 2, di " in page

    report = build_report(plan_key=key, year=2021)
    assert [t.title for t in report.narrative.opening] == ["Presentazione"]
    page = client.get(f"/plans/{key}/report/").content.decode()
    assert "Testo rivisto." in page and "Nota metodologica" in page
    assert "<strong>digitale</strong>" in page
    text = " ".join(pdf_text(render(report, "pdf")).split())
    # the presentation before the summary, the conclusions and free sections after the
    # figures, the comment inside its objective
    assert text.index("Testo rivisto.") < text.index("Grado di raggiungimento complessivo")
    comment = text.index("Il commento sull'obiettivo")
    assert text.rindex("Obiettivo strategico 3 ", 0, comment) > text.index("Sintesi")
    assert comment < text.index("Indicatori dell'obiettivo strategico 3")
    assert text.rindex("Rimodulazioni dei target") < text.index("Conclusioni dell'anno.")
    assert text.index("Conclusioni dell'anno.") < text.index("Come si legge la relazione.")
    import docx

    document = docx.Document(io.BytesIO(render(report, "docx")))
    paragraphs = [(p.style.name, p.text) for p in document.paragraphs]
    assert ("Heading 1", "Presentazione") in paragraphs
    assert ("Heading 1", "Nota metodologica") in paragraphs
    comment = next(p for p in document.paragraphs if p.text.startswith("Il commento"))
    assert [r.text for r in comment.runs if r.bold] == ["digitale"]
    sheet = xlsx(render(report, "xlsx"))["Testi"]
    rows = {r[0]: r[1] for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows["Presentazione"] == "Testo rivisto."
    assert rows["Nota metodologica"] == "Come si legge la relazione."


@pytest.mark.parametrize(("fields", "message"), [
    ({"presentazione": "x" * (NARRATIVE_LENGTH + 1)},
     "Presentazione: al massimo 30.000 caratteri (sono 30.001)."),
    ({"libera_1": "Un testo senza titolo."},
     "Nuova sezione libera: scrivi un titolo per la sezione."),
])
def test_a_refused_save_keeps_nothing_and_says_why(demo, client, fields, message) -> None:
    client.force_login(demo.planning)
    response = post(client, demo.plan.key, contesto="Il contesto.", **fields)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not NarrativeVersion.objects.exists()
