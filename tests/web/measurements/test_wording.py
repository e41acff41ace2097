"""Wording: plural-aware refusals, whole translatable phrases, yes/no in the reader's language."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client
from django.utils import translation

from cruscotto.core.workflow import WorkflowError
from cruscotto.web.measurements import models as mm
from cruscotto.web.measurements.services import (
    ValueInput,
    do_certify,
    do_set_value,
    do_submit,
    do_validate,
)

from .. import pages
from .conftest import People


def certify(people: People, code: str, values: dict[str, str]) -> None:
    for var, val in values.items():
        do_set_value(user=people.planning, period=people.year_end,
                     item=ValueInput(code, var, Decimal(val)))
    do_submit(user=people.planning, period=people.year_end, indicator=code,
              gap_explanation="costi energetici")
    do_validate(user=people.planning, period=people.year_end, indicator=code)
    do_certify(user=people.oiv, period=people.year_end, indicator=code)


def test_a_variable_certified_by_another_indicator_is_said_locked(people: People) -> None:
    """oneri_correnti_netti is read by 6.0.2 and 6.0.3: certified with 6.0.3, it is locked
    for 6.0.2 (the plural form, "l'hanno certificata", needs three readers of a variable,
    which the seed plan has not)."""
    mm.OrgRole.objects.create(user=people.planning, role="admin",
                              organisation=people.plan.organisation)
    certify(people, "6.0.3", {"interventi_economici": "20000000",
                              "oneri_correnti_netti": "91500000"})
    item = ValueInput("6.0.2", "oneri_correnti_netti", Decimal("1"), expected_version=1)
    with pytest.raises(WorkflowError, match="è bloccata: 6.0.3 l'ha certificata; una "
                                            "rettifica prima la riapre"):
        do_set_value(user=people.planning, period=people.year_end, item=item)
    with translation.override("en"), pytest.raises(
            WorkflowError, match="is locked: 6.0.3 certified it; a correction reopens it"):
        do_set_value(user=people.planning, period=people.year_end, item=item)


def test_read_only_yes_no_values_are_in_the_reader_s_language(client: Client,
                                                              people: People) -> None:
    do_set_value(user=people.officer_b, period=people.year_end,
                 item=ValueInput("4.2.2", "facciata_giureconsulti", True))
    do_submit(user=people.officer_b, period=people.year_end, indicator="4.2.2")
    client.force_login(people.officer_b)
    url = f"/plans/{people.plan.key}/indicators/4.2.2/periods/2021-12-31/"
    italian = client.get(url).content.decode()
    english = client.get(url, headers={"accept-language": "en"}).content.decode()
    assert '<span id="value-facciata_giureconsulti">sì</span>' in italian
    assert '<span id="value-facciata_giureconsulti">yes</span>' in english
    assert "Measurement as at 31/12/2021" in pages.text(client.get(
        url, headers={"accept-language": "en"}))
