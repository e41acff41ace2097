"""Server-side SVG charts: well formed, named for assistive technology, Italian figures."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from decimal import Decimal

from cruscotto.io.svg_charts import Bar, Series, achievement_bars, format_percent, trend_chart

NS = "{http://www.w3.org/2000/svg}"


def _texts(root: ET.Element, cls: str) -> list[str]:
    return [t.text or "" for t in root.iter(f"{NS}text") if t.get("class") == cls]


def test_bars_are_an_image_named_by_title_and_desc_with_figures_and_status_in_text() -> None:
    svg = achievement_bars(
        [Bar("Missione 011 <Competitività & sviluppo>", Decimal("92.456"), "yellow"),
         Bar("Missione 012", Decimal(100), "green"),
         Bar("Missione 016", Decimal("45.5"), "red"),
         Bar("Missione 032", None, "not_available")],
        title="Raggiungimento per missione", desc="Anno 2021")
    root = ET.fromstring(svg)
    assert root.get("role") == "img"
    title_id, desc_id = root.get("aria-labelledby", "").split()
    assert root.find(f"{NS}title").get("id") == title_id
    assert root.find(f"{NS}title").text == "Raggiungimento per missione"
    assert root.find(f"{NS}desc").get("id") == desc_id
    assert _texts(root, "figure") == ["92,46% · giallo", "100% · verde", "45,5% · rosso",
                                      "n.d."]
    # colour is not alone: yellow and red bars are hatched; labels are escaped
    fills = [r.get("fill") for g in root.iter(f"{NS}g") for r in g.iter(f"{NS}rect")]
    assert fills[0].startswith("url(#") and fills[2].startswith("url(#")
    assert fills[0] != fills[2]
    assert not list(root.iter(f"{NS}a"))  # no control inside an image
    first = next(g for g in root.iter(f"{NS}g") if g.get("class") == "bar")
    assert first.find(f"{NS}title").text.startswith("Missione 011 <Competitività & sviluppo>")
    # the target line and the yellow threshold are labelled
    assert {"target 100%", "soglia 70%"} <= {t.text for t in root.iter(f"{NS}text")}


def test_bars_take_translated_status_words() -> None:
    svg = achievement_bars([Bar("A", Decimal(80), "yellow")], title="t",
                           status_labels={"yellow": "yellow", "not_available": "n/a"})
    assert _texts(ET.fromstring(svg), "figure") == ["80% · yellow"]


def test_two_charts_on_one_page_have_distinct_ids() -> None:
    a = ET.fromstring(achievement_bars([], title="a"))
    b = ET.fromstring(achievement_bars([], title="b"))
    assert a.get("aria-labelledby") != b.get("aria-labelledby")


def test_trend_writes_each_point_in_italian_and_marks_gaps() -> None:
    svg = trend_chart(["30/06/2021", "31/12/2021", "31/12/2022"],
                      [Series("Valore", [Decimal("1234.5"), Decimal("2146"), None]),
                       Series("Target", [Decimal(2000), Decimal(2000), Decimal(2200)])],
                      title="Valore e target", percent=False, hollow=[True, False, False])
    root = ET.fromstring(svg)
    figures = _texts(root, "figure")
    assert figures[:2] == ["1.234,5", "2.146"]
    assert figures[2:] == ["2.000", "2.000", "2.200"]
    # the interim point is hollow (white), the year-end one filled
    circles = list(root.iter(f"{NS}circle"))
    assert circles[0].get("fill") == "#ffffff" and circles[1].get("fill") != "#ffffff"


def test_trend_with_many_series_gives_the_latest_figure_in_the_legend() -> None:
    series = [Series(f"Missione {c}", [Decimal("97.77"), None, None])
              for c in ("011", "012", "016")]
    root = ET.fromstring(trend_chart(["2021", "2022", "2023"], series, title="t"))
    legend = _texts(root, "legend")
    assert legend[0] == "Missione 011: 97,77% (2021)"
    assert _texts(root, "figure") == ["n.d.", "n.d."]


def test_format_percent() -> None:
    assert format_percent(Decimal("1234.5")) == "1.234,5%"
    assert format_percent(Decimal("90")) == "90%"
    assert format_percent(None) == "n.d."
