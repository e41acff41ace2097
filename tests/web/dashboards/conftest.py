"""The seed plan with the demo values (2021), and helpers to read figures off a page.

The demo leaves 4.2.2 in draft and 3.3.1, 6.4.3 submitted: values a viewer
must not see, while their centre and the planning office do.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

import pytest
from django.contrib.auth import get_user_model

from cruscotto.core.rollup import PlanEvaluation
from cruscotto.web.accounts.permissions import actor_for
from cruscotto.web.measurements.demo import load_demo
from cruscotto.web.measurements.selectors import evaluate_period
from tests.web.measurements.conftest import People, make_people

SVG_NS = "{http://www.w3.org/2000/svg}"


@dataclass
class Demo:
    people: People
    key: str

    def url(self, tail: str = "") -> str:
        return f"/plans/{self.key}/{tail}"

    def engine(self, user: Any = None) -> PlanEvaluation:
        """The engine's 2021 year-end evaluation as ``user`` may see it."""
        p = self.people
        return evaluate_period(plan_id=p.plan.pk, period=p.year_end,
                               actor=actor_for(user, p.plan.pk)).evaluation


def make_demo() -> Demo:
    people = make_people()
    load_demo(plan=people.plan)
    return Demo(people, people.plan.key)


@pytest.fixture
def demo(db: None) -> Demo:
    return make_demo()


def user(name: str) -> Any:
    return get_user_model().objects.get(username=name)


class _Tables(HTMLParser):
    """Rows of one table (by id): data-code -> the text of each cell."""

    def __init__(self, table_id: str) -> None:
        super().__init__(convert_charrefs=True)
        self.table_id = table_id
        self.inside = 0
        self.rows: dict[str, list[str]] = {}
        self.code: str | None = None
        self.cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "table" and a.get("id") == self.table_id:
            self.inside = 1
        elif tag == "table" and self.inside:
            self.inside += 1
        elif self.inside and tag == "tr":
            self.code = a.get("data-code")
            if self.code is not None:
                self.rows[self.code] = []
        elif self.inside and tag in ("td", "th") and self.code is not None:
            self.cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "table" and self.inside:
            self.inside -= 1
        elif tag in ("td", "th") and self.cell is not None and self.code is not None:
            self.rows[self.code].append(" ".join("".join(self.cell).split()))
            self.cell = None
        elif tag == "tr":
            self.code = None

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell.append(data)


def table(html: str, table_id: str) -> dict[str, list[str]]:
    """``data-code`` of each row of the table ``table_id`` -> the text of its cells."""
    assert f'id="{table_id}"' in html, f"no table {table_id} on the page"
    t = _Tables(table_id)
    t.feed(html)
    return t.rows


def svg(html: str, figure_id: str) -> ET.Element:
    """The chart inside ``<figure id=figure_id>``, parsed as XML (it must be well formed)."""
    m = re.search(rf'<figure[^>]*id="{figure_id}"[^>]*>\s*(<svg.*?</svg>)', html, re.S)
    assert m, f"no chart in {figure_id}"
    return ET.fromstring(m.group(1))


def bar_figures(chart: ET.Element) -> dict[str, str]:
    """Bar label (from its <title>) -> the figure written beside the bar."""
    out = {}
    for g in chart.iter(f"{SVG_NS}g"):
        if g.get("class") != "bar":
            continue
        title = g.find(f"{SVG_NS}title")
        figure = next(t for t in g.iter(f"{SVG_NS}text") if t.get("class") == "figure")
        assert title is not None and title.text
        out[title.text.rsplit(":", 1)[0]] = figure.text or ""
    return out
