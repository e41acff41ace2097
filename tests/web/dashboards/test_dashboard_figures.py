"""The dashboard shows the engine's figures for the seed plan with the demo values."""

from __future__ import annotations

from django.test import TestCase

from cruscotto.data import default_plan
from cruscotto.io.svg_charts import format_percent
from cruscotto.web.plans import models as pm

from .conftest import Demo, bar_figures, make_demo, svg, table


class DashboardFigures(TestCase):
    """One demo load for every test here (each test runs in its own savepoint)."""

    demo: Demo

    @classmethod
    def setUpTestData(cls) -> None:
        cls.demo = make_demo()

    def test_it_shows_the_organisation_a_mission_and_an_objective_as_the_engine_does(self) -> None:
        ev = self.demo.engine()
        html = self.client.get(self.demo.url("dashboard/?year=2021")).content.decode()
        org = format_percent(ev.organisation.achievement)
        assert org not in ("n.d.", "") and f'data-figure="achievement">{org}<' in html
        missions = table(html, "table-missions")
        assert set(missions) == set(ev.missions)
        assert missions["011"][1] == format_percent(ev.missions["011"].achievement)
        strategic = table(html, "table-strategic")
        assert strategic["3"][1] == format_percent(ev.strategic["3"].achievement)
        assert strategic["3"][2] == {"green": "verde", "yellow": "giallo", "red": "rosso"}[
            ev.strategic["3"].status.value]
        rows = table(html, "indicator-figures")
        r = ev.indicators["3.1.1"]
        assert rows["3.1.1"][4] == format_percent(r.achievement) and rows["3.1.1"][2] == "93%"


    def test_the_status_counts_are_the_indicators_by_engine_status(self) -> None:
        ev = self.demo.engine()
        html = self.client.get(self.demo.url("dashboard/?year=2021")).content.decode()
        for status in ("green", "yellow", "red", "not_available"):
            n = sum(1 for r in ev.indicators.values() if r.status.value == status)
            assert f'data-count="{status}">' in html
            chunk = html.split(f'data-count="{status}">', 1)[1].split("</li>", 1)[0]
            assert f"<strong>{n}</strong>" in chunk, status


    def test_the_chart_text_and_its_table_carry_the_same_figures(self) -> None:
        html = self.client.get(self.demo.url("dashboard/?year=2021")).content.decode()
        for figure_id, table_id in (("chart-missions", "table-missions"),
                                    ("chart-strategic", "table-strategic")):
            chart = svg(html, figure_id)
            assert chart.get("role") == "img" and chart.get("aria-labelledby")
            drawn = bar_figures(chart)
            rows = table(html, table_id)
            assert len(drawn) == len(rows) > 0
            for cells in rows.values():
                label, figure, status = cells[0], cells[1], cells[2]
                assert drawn[label] == f"{figure} · {status}"


    def test_filters_change_what_is_shown(self) -> None:
        ev = self.demo.engine()
        html = self.client.get(self.demo.url("dashboard/?year=2021&mission=011")).content.decode()
        assert set(table(html, "table-missions")) == {"011"}
        # objective 3 counts here only for its part under mission 011 (the engine's scope)
        part = next(c for c in ev.missions["011"].children if c.code == "3")
        assert table(html, "table-strategic")["3"][1] == format_percent(part.achievement)
        assert "6.1.1" not in table(html, "indicator-figures")

        html = self.client.get(self.demo.url("dashboard/?year=2021&status=yellow")).content.decode()
        rows = table(html, "indicator-figures")
        assert rows and all(cells[5] == "giallo" for cells in rows.values())
        assert set(rows) == {c for c, r in ev.indicators.items() if r.status.value == "yellow"}

        centre = pm.ResponsibilityCentre.objects.get(plan=self.demo.people.plan,
                                                     name="Risorse e patrimonio")
        html = self.client.get(
            self.demo.url(f"dashboard/?year=2021&centre={centre.key}")).content.decode()
        rows = table(html, "indicator-figures")
        mine = {i.code for i in default_plan().indicators_of_centre("Risorse e patrimonio")}
        assert set(rows) == mine
        assert format_percent(ev.centres["Risorse e patrimonio"].achievement) in html


    def test_a_bad_filter_says_what_was_expected(self) -> None:
        html = self.client.get(self.demo.url("dashboard/?year=1999&mission=999")).content.decode()
        assert "Anno 1999 non valido: il piano copre gli anni 2021, 2022, 2023." in html
        assert "Missione 999 non presente nel piano." in html
        assert set(table(html, "table-missions")) == {"011", "012", "016", "032"}


    def test_the_trend_covers_every_plan_year(self) -> None:
        ev = self.demo.engine()
        html = self.client.get(self.demo.url("dashboard/")).content.decode()
        chart = svg(html, "chart-trend")
        assert chart.get("role") == "img"
        text = "".join(chart.itertext())
        assert "2021" in text and "2022" in text and "2023" in text
        assert format_percent(ev.organisation.achievement) in text
