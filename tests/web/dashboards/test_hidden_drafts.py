"""Values not validated yet (demo: 3.3.1 submitted, 4.2.2 draft) never show to a viewer."""

from __future__ import annotations

from django.test import TestCase

from cruscotto.io.evaluation_out import display_value
from cruscotto.io.svg_charts import format_percent
from cruscotto.web.measurements.selectors import evaluate_indicator

from .conftest import Demo, make_demo, table


class HiddenDrafts(TestCase):
    demo: Demo

    @classmethod
    def setUpTestData(cls) -> None:
        cls.demo = make_demo()

    def draft_value(self) -> str:
        p = self.demo.people
        r = evaluate_indicator(plan_id=p.plan.pk, period=p.year_end, code="3.3.1",
                               include_drafts=True)
        assert r is not None and r.achievement is not None
        return display_value(r, "percentuale")

    def test_a_viewer_sees_not_validated_yet_and_an_organisation_figure_without_it(
            self) -> None:
        value = self.draft_value()
        for who in (None, self.demo.people.viewer, self.demo.people.officer_b):
            if who is not None:
                self.client.force_login(who)
            html = self.client.get(self.demo.url("dashboard/?year=2021")).content.decode()
            row = table(html, "indicator-figures")["3.3.1"]
            assert row[2] == "non ancora validato" and row[4].startswith("n.d.")
            assert value not in " ".join(row)
            org = self.demo.engine(who).organisation
            assert "3.3.1" not in org.counted
            assert f'data-figure="achievement">{format_percent(org.achievement)}<' in html
            self.client.logout()

    def test_the_planning_office_sees_the_submitted_value_and_counts_it(self) -> None:
        planning = self.demo.people.planning
        self.client.force_login(planning)
        html = self.client.get(self.demo.url("dashboard/?year=2021")).content.decode()
        row = table(html, "indicator-figures")["3.3.1"]
        assert row[2] == self.draft_value()
        org = self.demo.engine(planning).organisation
        assert "3.3.1" in org.counted
        assert f'data-figure="achievement">{format_percent(org.achievement)}<' in html

    def test_objective_and_indicator_pages_hide_the_draft_from_a_viewer(self) -> None:
        value = self.draft_value()
        html = self.client.get(self.demo.url("operational/3.3/?year=2021")).content.decode()
        assert table(html, "indicator-figures")["3.3.1"][2] == "non ancora validato"
        html = self.client.get(self.demo.url("indicators/3.3.1/")).content.decode()
        derivation = html.split('id="derivation"', 1)[1].split("</pre>", 1)[0]
        assert "valori non ancora validati" in derivation
        assert value not in derivation and "Dati:" not in derivation
