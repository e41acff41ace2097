"""The seed plan with the demonstration values of 2021, and the report readers.

Three indicators stay unvalidated in the demo (3.3.1 and 6.4.3 submitted,
4.2.2 a draft of centre B): the public and viewers do not see their values,
the planning office and the OIV do, marked.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import pytest

from cruscotto.core.rollup import PlanEvaluation
from cruscotto.web.measurements.selectors import evaluate_period
from tests.web.measurements.conftest import People, make_people
from tests.web.seeded import fresh, seeded_people, stored_once

UNVALIDATED = {"3.3.1", "4.2.2", "6.4.3"}


@pytest.fixture
def people(db: None) -> People:
    return make_people()


@pytest.fixture(scope="module")
def stored_demo(django_db_setup: None, django_db_blocker: Any) -> Iterator[People]:
    """The seed plan with the demo values, stored once for the module (its tests read
    it; what they write is rolled back after each)."""
    with stored_once(django_db_blocker, seeded_people) as people:
        yield people


@pytest.fixture
def demo(db: None, stored_demo: People) -> People:
    return fresh(stored_demo)


def engine(seeded: People, *, all_states: bool) -> PlanEvaluation:
    """The engine's own evaluation of 2021, the figures every report must carry."""
    return evaluate_period(plan_id=seeded.plan.pk, period=seeded.year_end,
                           include_drafts=all_states).evaluation


def pdf_text(content: bytes) -> str:
    import pdfplumber

    with pdfplumber.open(io.BytesIO(content)) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


def docx_tables(content: bytes) -> list[list[list[str]]]:
    import docx

    document = docx.Document(io.BytesIO(content))
    return [[[c.text for c in row.cells] for row in t.rows] for t in document.tables]


def xlsx(content: bytes) -> Any:
    import openpyxl

    return openpyxl.load_workbook(io.BytesIO(content))
