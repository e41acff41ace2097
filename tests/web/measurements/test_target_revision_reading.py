"""A revised target is read as the engine will score it: for its year, and a target
read only in part is refused in the reader's language, naming the word left over."""

from __future__ import annotations

import pytest
from django.utils import translation

from cruscotto.core.workflow import WorkflowError
from cruscotto.web.measurements import models as mm
from cruscotto.web.measurements.services import do_revise_target
from tests.web.measurements.conftest import People


def test_a_base_named_by_the_previous_year_is_read_for_the_revised_year(
        people: People) -> None:
    rev = do_revise_target(user=people.planning, plan_id=people.plan.pk, indicator="6.4.1",
                           year=2022, text="Aumento del 10% rispetto al 2021",
                           justification="nuova strategia social")
    assert mm.TargetRevision.objects.get(pk=rev.pk).text == "Aumento del 10% rispetto al 2021"


def test_a_partly_read_revision_is_refused_in_italian_naming_the_word(
        people: People) -> None:
    with pytest.raises(WorkflowError) as refused:
        do_revise_target(user=people.planning, plan_id=people.plan.pk, indicator="6.4.1",
                         year=2022, text="Almeno 125 follower e almeno 2.800 visite",
                         justification="x")
    text = str(refused.value)
    assert text.startswith("6.4.1 2022: il target rimodulato non si legge: 2022: il target "
                           "«Almeno 125 follower e almeno 2.800 visite» è letto solo in parte")
    assert "colonna" in text and "almeno" in text
    assert not mm.TargetRevision.objects.exists()


def test_the_refusal_speaks_english_to_an_english_reader(people: People) -> None:
    with translation.override("en"), pytest.raises(WorkflowError) as refused:
        do_revise_target(user=people.planning, plan_id=people.plan.pk, indicator="6.4.1",
                         year=2022, text="Almeno 125 follower e almeno 2.800 visite",
                         justification="x")
    text = str(refused.value)
    assert "2022: the target “Almeno 125 follower e almeno 2.800 visite” is only partly " \
        "read" in text
    assert "non si legge" not in text and "letto solo in parte" not in text
