"""Done when (issue 14): the demo's 2021 cards, their organisational component, who sees them."""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal

from django.test import Client

from cruscotto.web.evaluations import models as em
from cruscotto.web.evaluations import selectors
from cruscotto.web.measurements import models as mm
from cruscotto.web.measurements.selectors import evaluate_period

from ..measurements.conftest import CENTRE_A, People
from .conftest import user

URL = "/plans/{key}/valutazioni/2021/{name}/"


def _client(name: str | None) -> Client:
    c = Client()
    if name:
        c.force_login(user(name))
    return c


def test_the_managers_card_has_the_certified_achievement_of_the_centre(demo: People) -> None:
    card = em.Card.objects.get(person__username="demo-responsabile", year=2021)
    # the centre's achievement as the public sees it: certified values only
    public = evaluate_period(plan_id=demo.plan.pk, period=demo.year_end, actor=None)
    expected = public.evaluation.centres[CENTRE_A].achievement
    assert expected is not None
    view = selectors.card_view(card)
    centres = {c.name: c for c in view.score.components}["centres"]  # type: ignore[union-attr]
    assert centres.achievement == expected
    page = _client("demo-responsabile").get(URL.format(key=demo.plan.key,
                                                       name="demo-responsabile"))
    assert page.status_code == 200
    text = page.content.decode()
    row = re.search(r'<tr data-component="centres">(.*?)</tr>', text, re.S)
    assert row is not None
    shown = f"{expected:.2f}".replace(".", ",")
    assert f"{shown}%" in row.group(1)
    # the derivation: the centre's certified indicators and the average
    assert "indicatori certificati del centro" in row.group(1)
    assert "3.1.1" in row.group(1)
    # the legend: the scale and the bands with their coefficients
    assert "Legenda della scala" in text and "Fascia alta ≥ 90 (coefficiente 1,2)" in text
    assert card.state == "final" and card.is_demo
    assert "Dati dimostrativi" in text


def test_only_the_right_people_open_the_managers_card(demo: People) -> None:
    url = URL.format(key=demo.plan.key, name="demo-responsabile")
    assert _client(None).get(url).status_code == 302  # the public: to the login
    refused = _client("demo-referente-b").get(url)
    assert refused.status_code == 403
    assert "Non puoi vedere questa scheda" in refused.content.decode()
    # nor a card that does not exist: the same refusal, nothing revealed
    assert _client("demo-referente-b").get(
        URL.format(key=demo.plan.key, name="nessuno")).status_code == 403
    for name in ("demo-responsabile", "demo-segretario", "demo-controllo", "demo-oiv"):
        assert _client(name).get(url).status_code == 200, name
    # the OIV reads managers' cards only
    assert _client("demo-oiv").get(URL.format(key=demo.plan.key,
                                              name="demo-referente")).status_code == 403
    # the centre's own officer does not read their manager's card
    assert _client("demo-referente").get(url).status_code == 403


def test_the_public_aggregate_shows_the_distribution_with_no_names(demo: People) -> None:
    page = _client(None).get(f"/trasparenza/{demo.plan.key}/premi/2021/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Fascia" in text and "Dirigenti" in text
    for name in ("demo-responsabile", "demo-referente", "demo-segretario", "Segretario"):
        assert name not in text
    final = em.Card.objects.filter(year=2021, state="final").count()
    counts = [int(n) for n in re.findall(r'<td class="count">(\d+)</td>', text)]
    assert sum(counts) == final == 1


def test_the_export_has_a_row_per_demo_person(demo: People, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from cruscotto.cli import main

    out = tmp_path / "valutazioni.csv"
    assert main(["evaluations", "export", "--plan", demo.plan.key, "--year", "2021",
                 "--format", "csv", "-o", str(out)]) == 0
    rows = list(csv.reader(io.StringIO(out.read_text("utf-8-sig"))))
    people = sorted(r[0] for r in rows[1:])
    assert people == ["demo-referente", "demo-referente-b", "demo-responsabile"]
    header = rows[0]
    manager = next(r for r in rows if r[0] == "demo-responsabile")
    assert manager[header.index("Fascia")] in {"A", "B", "C", "D"}
    assert Decimal(manager[header.index("Quota del fondo (euro)")]) == Decimal(30000)


def test_every_step_of_the_managers_card_is_in_its_history(demo: People) -> None:
    card = em.Card.objects.get(person__username="demo-responsabile", year=2021)
    actions = list(card.events.values_list("action", flat=True))
    for step in ("create", "propose", "share", "acknowledge", "finalise"):
        assert step in actions
    # the card's history is its own: nothing of it in the measurement's audit trail
    assert not mm.AuditEvent.objects.filter(action__in=["propose", "acknowledge",
                                                        "finalise"]).exists()


def test_cards_are_never_in_the_open_data_nor_the_api(demo: People) -> None:
    import zipfile

    anyone = _client(None)
    package = anyone.get(f"/trasparenza/{demo.plan.key}/opendata.zip")
    assert package.status_code == 200
    with zipfile.ZipFile(io.BytesIO(b"".join(package.streaming_content)
                                    if package.streaming else package.content)) as z:
        text = " ".join(z.read(n).decode("utf-8", "replace") for n in z.namelist())
    for word in ("demo-responsabile", "demo-referente", "Fascia alta", "Fascia intermedia",
                 "Colloquio svolto"):
        assert word not in text
    schema = anyone.get("/api/openapi.json").content.decode()
    assert "valutazioni" not in schema and "card" not in schema


def test_the_card_reads_in_english(demo: People) -> None:
    c = _client("demo-responsabile")
    c.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = c.get(URL.format(key=demo.plan.key, name="demo-responsabile"))
    text = page.content.decode()
    assert "Evaluation card 2021" in text and "Performance of the centres" in text
    assert "Legend of the scale" in text
