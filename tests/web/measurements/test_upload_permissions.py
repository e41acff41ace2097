"""An upload changes only what its person may change: their centres, unlocked values."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied

from cruscotto.web.measurements import models as mm
from cruscotto.web.plans import models as pm

from .conftest import People
from .uploading import csv_file, nothing_written, problems, upload


def lock(people: People, code: str, state: str) -> None:
    mm.Measurement.objects.create(
        indicator=pm.Indicator.objects.get(plan=people.plan, code=code),
        period=people.year_end, state=state)


def test_another_centre_s_indicator_is_refused(people: People) -> None:
    report = upload(people, csv_file([
        ("4.2.2", "facciata_giureconsulti", "2021", "sì", ""),
        ("3.1.1", "budget_innovazione", "2021", "9500000", ""),
    ]), user=people.officer_b)
    assert problems(report) == [(3, "indicator")]
    assert "non fai parte di quel centro" in report.problems[0].message
    assert nothing_written()


@pytest.mark.parametrize("state", ["certified", "validated", "submitted"])
def test_an_indicator_whose_values_are_locked_is_refused(people: People, state: str) -> None:
    lock(people, "3.1.1", state)
    report = upload(people, csv_file([
        ("6.4.1", "follower_social", "2021", "100", ""),
        ("3.1.1", "budget_innovazione", "2021", "9500000", ""),
    ]))
    assert problems(report) == [(3, "indicator")]
    assert "non si possono cambiare" in report.problems[0].message
    assert nothing_written()


def test_a_locked_indicator_in_one_period_does_not_lock_another_period(
        people: People) -> None:
    lock(people, "3.1.1", "certified")
    report = upload(people, csv_file([
        ("3.1.1", "budget_innovazione", "2021", "4000000", "30/06/2021")]))
    assert report.accepted, report.problems


def test_a_variable_another_indicator_certified_is_refused(people: People) -> None:
    admin = get_user_model().objects.create_superuser("admin", password="pw")
    lock(people, "6.0.2", "certified")
    report = upload(people, csv_file([
        ("6.0.3", "oneri_correnti_netti", "2021", "1000", "")]), user=admin)
    assert problems(report) == [(2, "variable")] and "6.0.2" in report.problems[0].message
    assert nothing_written()


@pytest.mark.parametrize("who", ["viewer", "oiv", "planning"])
def test_people_outside_the_centres_cannot_upload_at_all(people: People, who: str) -> None:
    with pytest.raises(PermissionDenied):
        upload(people, csv_file([("3.1.1", "budget_innovazione", "2021", "1", "")]),
               user=getattr(people, who))
    assert nothing_written()
