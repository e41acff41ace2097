"""A centre uploads a good CSV or XLSX file: every value stored, with versions and audit."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model

from cruscotto.web.measurements import models as mm
from cruscotto.web.measurements.services import ValueInput, do_set_value

from .conftest import People
from .uploading import csv_file, upload, xlsx_file


def value(period: mm.Period, variable: str) -> object:
    return mm.Value.objects.get(period=period, variable=variable).data


def test_it_stores_a_good_csv_in_every_period_it_names(people: People) -> None:
    report = upload(people, csv_file([
        ("3.1.1", "budget_innovazione", 2021, '"9.500.000"', ""),
        ("3.1.1", "contabilizzato_innovazione", 2021, "8835000", ""),
        ("3.1.1", "budget_innovazione", 2021, "4000000", "30/06/2021"),
        ("6.4.1", "follower_social", 2020, '"12,5%"', ""),
        ("6.4.2", "crm", 2021, "sì", ""),
    ]), reason="dati dal bilancio")
    assert report.accepted, report.problems
    assert (report.rows, report.stored, report.changed) == (5, 5, 5)
    assert value(people.year_end, "budget_innovazione") == Decimal("9500000")
    assert value(people.year_end, "contabilizzato_innovazione") == Decimal("8835000")
    assert value(people.interim, "budget_innovazione") == Decimal("4000000")
    assert value(people.baseline, "follower_social") == Decimal("0.125")
    assert value(people.year_end, "crm") is True
    assert mm.ValueVersion.objects.count() == 5
    events = list(mm.AuditEvent.objects.order_by("pk"))
    assert len(events) == 5
    assert {e.username for e in events} == {"officer_a"}
    assert all("valori.csv" in e.reason and "dati dal bilancio" in e.reason for e in events)
    assert {(e.indicator_code, e.field, e.new) for e in events} >= {
        ("3.1.1", "budget_innovazione", "9500000"), ("6.4.2", "crm", "sì")}


def test_it_stores_a_good_xlsx_with_numbers_dates_and_booleans_as_cells(
        people: People) -> None:
    report = upload(people, xlsx_file([
        ("3.1.1", "budget_innovazione", 2021, 9500000, None),
        ("3.1.1", "contabilizzato_innovazione", 2021, 8835000.5, None),
        ("3.1.1", "budget_innovazione", 2021, 4000000, datetime.date(2021, 6, 30)),
        ("6.4.2", "crm", 2021, True, None),
        ("6.4.1", "follower_social", "2021", "1.234.567", ""),
    ]))
    assert report.accepted, report.problems
    assert value(people.year_end, "contabilizzato_innovazione") == Decimal("8835000.5")
    assert value(people.interim, "budget_innovazione") == Decimal("4000000")
    assert value(people.year_end, "crm") is True
    assert value(people.year_end, "follower_social") == Decimal("1234567")
    assert mm.ValueVersion.objects.count() == 5 and mm.AuditEvent.objects.count() == 5


def test_it_reads_semicolons_and_italian_headers(people: People) -> None:
    report = upload(people, csv_file(
        [("3.1.1", "budget_innovazione", "2021", "9500000,25", "")],
        header=("Indicatore", "Variabile", "Anno", "Valore", "Periodo"), sep=";"))
    assert report.accepted, report.problems
    assert value(people.year_end, "budget_innovazione") == Decimal("9500000.25")


def test_uploading_the_same_file_again_adds_no_version(people: People) -> None:
    rows = [("3.1.1", "budget_innovazione", 2021, "9500000", "")]
    upload(people, csv_file(rows))
    again = upload(people, csv_file(rows))
    assert again.accepted and (again.stored, again.changed) == (1, 0)
    assert mm.ValueVersion.objects.count() == 1 and mm.AuditEvent.objects.count() == 1


def test_an_empty_cell_leaves_values_alone_and_the_marker_clears_one(
        people: People) -> None:
    """Issue 12: a blank cell never clears a stored value (a template filled in part
    would erase the rest); the marker «cancella» does."""
    upload(people, csv_file([("3.1.1", "budget_innovazione", 2021, "9500000", "")]))
    report = upload(people, csv_file([
        ("3.1.1", "budget_innovazione", 2021, "", ""),
        ("3.1.1", "contabilizzato_innovazione", 2021, "", ""),
    ]))
    assert report.accepted and (report.stored, report.changed, report.skipped) == (0, 0, 2)
    assert value(people.year_end, "budget_innovazione") == 9500000
    assert not mm.Value.objects.filter(variable="contabilizzato_innovazione").exists()
    report = upload(people, csv_file([("3.1.1", "budget_innovazione", 2021, "cancella", "")]))
    assert report.accepted and (report.stored, report.changed) == (1, 1)
    assert value(people.year_end, "budget_innovazione") is None
    assert mm.Value.objects.get(variable="budget_innovazione").version == 2


def test_the_note_of_a_value_is_kept(people: People) -> None:
    do_set_value(user=people.officer_a, period=people.year_end, item=ValueInput(
        "3.1.1", "budget_innovazione", Decimal("1"), note="da bilancio"))
    upload(people, csv_file([("3.1.1", "budget_innovazione", 2021, "2", "")]))
    stored = mm.Value.objects.get(variable="budget_innovazione")
    assert (stored.number, stored.note, stored.version) == (Decimal("2"), "da bilancio", 2)


def test_a_variable_two_indicators_read_is_stored_once(people: People) -> None:
    admin = get_user_model().objects.create_superuser("admin", password="pw")
    report = upload(people, csv_file([
        ("6.0.2", "oneri_correnti_netti", 2021, "1000", ""),
        ("6.0.3", "oneri_correnti_netti", 2021, "1000", ""),
    ]), user=admin)
    assert report.accepted, report.problems
    stored = mm.Value.objects.get(variable="oneri_correnti_netti")
    assert stored.version == 1 and stored.versions.count() == 1
    assert report.changed == 1
