"""The public section /trasparenza/: published plans, certified results, downloads."""

from __future__ import annotations

import io
import zipfile
from html.parser import HTMLParser

import pytest
from django.test import Client

from cruscotto.core.workflow import Actor
from cruscotto.io.evaluation_out import display_value
from cruscotto.web.measurements.selectors import evaluate_indicator, evaluate_period
from cruscotto.web.plans.services import set_published

from .. import pages
from .conftest import UNCERTIFIED, VALIDATED_ONLY, Demo

pytestmark = pytest.mark.django_db

PLAN = "/trasparenza/cciaa-mimblo-2021-2023/"


class _Rows(HTMLParser):
    """Each results row's visible text, by indicator code."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: dict[str, str] = {}
        self._code: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        code = dict(attrs).get("data-indicator")
        if tag == "tr" and code:
            self._code = code
            self.rows[code] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "tr":
            self._code = None

    def handle_data(self, data: str) -> None:
        if self._code:
            self.rows[self._code] += " " + " ".join(data.split())


def result_rows(response: object) -> dict[str, str]:
    reader = _Rows()
    reader.feed(response.content.decode())  # type: ignore[attr-defined]
    return {k: " ".join(v.split()) for k, v in reader.rows.items()}


def test_the_index_lists_published_plans_and_the_downloads(client: Client,
                                                           demo: Demo) -> None:
    response = client.get("/trasparenza/")
    text = pages.text(response)
    assert "Amministrazione trasparente – Performance" in text
    assert "Piano della Performance 2021-2023" in text
    assert "pubblicato il" in text
    links = pages.links(response)
    assert links["Piano della Performance 2021-2023"] == PLAN
    assert links["Scarica tutti i dati (ZIP)"] == "/trasparenza/opendata.zip"
    assert links["datapackage.json"] == "/trasparenza/opendata/datapackage.json"


def test_the_plan_opens_on_its_latest_certified_year(client: Client, demo: Demo) -> None:
    response = client.get(PLAN)
    assert (response.status_code, response["Location"]) == (302, PLAN + "2021/")


def test_the_year_shows_the_engines_certified_figures(client: Client, demo: Demo) -> None:
    response = client.get(PLAN + "2021/")
    text = pages.text(response)
    org = evaluate_period(plan_id=demo.plan.pk, period=demo.year_end,
                          actor=Actor.public()).evaluation.organisation
    shown = f"{org.achievement:.2f}".replace(".", ",").rstrip("0").rstrip(",")
    assert f"Grado di raggiungimento dell'ente: {shown}%" in text
    assert f"{len(demo.certified)} indicatori certificati su 36" in text
    rows = result_rows(response)
    r = evaluate_indicator(plan_id=demo.plan.pk, period=demo.year_end, code="3.1.1")
    assert r is not None
    assert rows["3.1.1"].startswith("3.1.1 Grado di utilizzo del budget")
    assert f">=90% {display_value(r, 'percentuale')} 100% (verde)" in rows["3.1.1"]


def test_uncertified_indicators_show_no_figure(client: Client, demo: Demo) -> None:
    rows = result_rows(client.get(PLAN + "2021/"))
    for code in UNCERTIFIED | {VALIDATED_ONLY}:
        assert rows[code].endswith("risultato non ancora certificato"), code
        assert not any(s in rows[code] for s in ("verde", "giallo", "rosso")), code
    # the validated value of 6.4.3, which a signed-in viewer sees, is nowhere
    r = evaluate_indicator(plan_id=demo.plan.pk, period=demo.year_end, code=VALIDATED_ONLY,
                           include_drafts=True)
    assert r is not None and r.outcome.value == "scored"
    assert display_value(r, "") not in rows[VALIDATED_ONLY]


def test_a_year_without_certified_results_says_so(client: Client, demo: Demo) -> None:
    text = pages.text(client.get(PLAN + "2022/"))
    assert "Nessun risultato certificato per il 2022." in text
    assert client.get(PLAN + "2030/").status_code == 404


def test_an_unpublished_plan_is_not_found(client: Client, demo: Demo) -> None:
    set_published(plan=demo.plan, published=False)
    assert "Nessun piano è ancora stato pubblicato." in pages.text(client.get("/trasparenza/"))
    for url in (PLAN, PLAN + "2021/", PLAN + "opendata.zip"):
        assert client.get(url).status_code == 404, url
    # even for signed-in people: the public section is what the public sees
    client.force_login(demo.viewer)
    assert client.get(PLAN + "2021/").status_code == 404


def test_the_zip_holds_the_whole_package(client: Client, demo: Demo) -> None:
    response = client.get("/trasparenza/opendata.zip")
    assert response["Content-Type"] == "application/zip"
    assert "opendata-performance.zip" in response["Content-Disposition"]
    names = set(zipfile.ZipFile(io.BytesIO(response.content)).namelist())
    assert {"datapackage.json", "risultati_indicatori.csv", "risultati_indicatori.json",
            "target.csv", "indicatori.csv"} <= names


def test_single_files_download(client: Client, demo: Demo) -> None:
    response = client.get("/trasparenza/opendata/risultati_indicatori.csv")
    assert response["Content-Type"].startswith("text/csv")
    body = response.content.decode()
    assert body.startswith("piano,indicatore,anno,")
    assert ",3.1.1,2021,2021-12-31," in body
    assert f",{VALIDATED_ONLY},2021" not in body
    assert client.get("/trasparenza/opendata/settings.py").status_code == 404
    assert client.get("/trasparenza/opendata/datapackage.json").json()["resources"]


def test_the_section_is_in_english_on_request(client: Client, demo: Demo) -> None:
    response = client.get(PLAN + "2021/", headers={"accept-language": "en-GB,en;q=0.9"})
    text = pages.text(response)
    assert "Certified results 2021" in text
    assert "Open data" in text and "Download all the data (ZIP)" in text
    assert "result not certified yet" in text
