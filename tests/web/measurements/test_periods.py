"""The planning office configures interim dates and deadlines: services and command line."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client

from cruscotto.cli import main
from cruscotto.core.workflow import WorkflowError
from cruscotto.web.measurements import models as mm
from cruscotto.web.measurements.services import (
    ValueInput,
    do_add_period,
    do_remove_period,
    do_set_deadline,
    do_set_value,
)

from .. import pages
from .conftest import People

D = datetime.date
KEY = "cciaa-mimblo-2021-2023"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_the_planning_office_adds_an_interim_date_and_it_is_audited(people: People) -> None:
    p = do_add_period(user=people.planning, plan=people.plan, end_date=D(2021, 9, 30),
                      deadline=D(2021, 10, 31))
    assert (p.kind, p.year, p.deadline) == ("interim", 2021, D(2021, 10, 31))
    event = mm.AuditEvent.objects.get(action="period_add")
    assert (event.username, event.new) == ("planning", "30/09/2021")


def test_nobody_else_configures_periods(people: People) -> None:
    for who in (people.manager_a, people.officer_a, people.oiv, people.viewer):
        with pytest.raises(PermissionDenied, match="solo il controllo di gestione"):
            do_add_period(user=who, plan=people.plan, end_date=D(2021, 9, 30), deadline=None)
        with pytest.raises(PermissionDenied):
            do_set_deadline(user=who, period=people.interim, deadline=D(2021, 8, 15))
        with pytest.raises(PermissionDenied):
            do_remove_period(user=who, period=people.interim)
    assert not mm.Period.objects.filter(end_date=D(2021, 9, 30)).exists()
    assert not mm.AuditEvent.objects.exists()


def test_bad_dates_are_refused_saying_why(people: People) -> None:
    with pytest.raises(WorkflowError, match="non è in un anno del piano"):
        do_add_period(user=people.planning, plan=people.plan, end_date=D(2030, 9, 30),
                      deadline=None)
    with pytest.raises(WorkflowError, match="ha già un periodo al 30/06/2021"):
        do_add_period(user=people.planning, plan=people.plan, end_date=D(2021, 6, 30),
                      deadline=None)
    with pytest.raises(WorkflowError, match="la scadenza 01/09/2021 precede"):
        do_add_period(user=people.planning, plan=people.plan, end_date=D(2021, 9, 30),
                      deadline=D(2021, 9, 1))


def test_a_period_holding_values_cannot_be_removed(people: People) -> None:
    do_set_value(user=people.officer_a, period=people.interim, item=ValueInput(
        "3.1.1", "budget_innovazione", Decimal("9500000")))
    with pytest.raises(WorkflowError, match="contiene 1 valore: non si può togliere"):
        do_remove_period(user=people.planning, period=people.interim)
    with pytest.raises(WorkflowError, match="solo le date intermedie"):
        do_remove_period(user=people.planning, period=people.year_end)
    assert mm.Period.objects.filter(pk=people.interim.pk).exists()


def test_the_command_line_lists_adds_sets_and_removes(capsys: pytest.CaptureFixture[str],
                                                      people: People) -> None:
    code, out, err = run(capsys, "periods", "add", "--plan", KEY, "--date", "30/09/2021",
                         "--deadline", "31/10/2021")
    assert (code, err) == (0, ""), err
    assert "30/09/2021  interim   31/10/2021  0" in out
    code, out, _ = run(capsys, "periods", "set-deadline", "--plan", KEY, "--date",
                       "2021-09-30", "--deadline", "15/11/2021")
    assert code == 0 and "30/09/2021  interim   15/11/2021  0" in out
    event = mm.AuditEvent.objects.get(action="period_deadline")
    assert (event.username, event.old, event.new) == (
        "cruscotto (riga di comando)", "31/10/2021", "15/11/2021")
    code, out, _ = run(capsys, "periods", "remove", "--plan", KEY, "--date", "30/09/2021",
                       "--user", "planning")
    assert code == 0 and "30/09/2021" not in out
    assert mm.AuditEvent.objects.get(action="period_remove").username == "planning"
    code, out, _ = run(capsys, "periods", "list", "--plan", KEY)
    assert code == 0 and out.splitlines()[0].split() == ["date", "kind", "deadline", "values"]
    assert "31/12/2021  year_end" in out


def test_the_command_line_refuses_in_one_line(capsys: pytest.CaptureFixture[str],
                                              people: People) -> None:
    do_set_value(user=people.officer_a, period=people.interim, item=ValueInput(
        "3.1.1", "budget_innovazione", Decimal("9500000")))
    code, out, err = run(capsys, "periods", "remove", "--plan", KEY, "--date", "30/06/2021")
    assert (code, out) == (2, "")
    assert err == ("cruscotto: error: il periodo al 30/06/2021 contiene 1 valore: non si può "
                   "togliere\n")
    code, _, err = run(capsys, "periods", "add", "--plan", KEY, "--date", "30/09/2021",
                       "--user", "officer_a")
    assert code == 2 and "solo il controllo di gestione" in err
    code, _, err = run(capsys, "periods", "set-deadline", "--plan", KEY, "--date",
                       "31/03/2021", "--deadline", "30/04/2021")
    assert code == 2 and "no period on 31/03/2021" in err and "30/06/2021" in err
    with pytest.raises(SystemExit):
        main(["periods", "add", "--plan", KEY, "--date", "31/02/2021"])
    assert "not a date: '31/02/2021'" in capsys.readouterr().err
    assert mm.Period.objects.filter(plan=people.plan).count() == 7


# -- the planning office's page ------------------------------------------------------

PAGE = f"/plans/{KEY}/periods/"


def test_the_page_is_for_the_planning_office_only(client: Client, people: People) -> None:
    for who in (people.officer_a, people.oiv, people.viewer):
        client.force_login(who)
        assert client.get(PAGE).status_code == 403
        r = client.post(PAGE, {"action": "add", "date": "2021-09-30"})
        assert r.status_code == 403
    client.logout()
    assert client.get(PAGE).status_code == 302  # to the login page
    assert not mm.Period.objects.filter(end_date=D(2021, 9, 30)).exists()


def test_the_planning_office_adds_sets_and_removes_on_the_page(client: Client,
                                                                people: People) -> None:
    client.force_login(people.planning)
    r = client.post(PAGE, {"action": "add", "date": "30/09/2021", "deadline": "2021-10-31"},
                    follow=True)
    assert "Aggiunto il periodo al 30/09/2021." in pages.text(r)
    added = mm.Period.objects.get(end_date=D(2021, 9, 30))
    assert added.deadline == D(2021, 10, 31)
    r = client.post(PAGE, {"action": "deadline", "period": added.pk, "deadline": "2021-11-15"},
                    follow=True)
    assert "Scadenza del periodo al 30/09/2021 aggiornata." in pages.text(r)
    assert mm.Period.objects.get(pk=added.pk).deadline == D(2021, 11, 15)
    r = client.post(PAGE, {"action": "remove", "period": added.pk})
    assert "Togliere il periodo al 30/09/2021?" in pages.text(r)  # asked first
    assert mm.Period.objects.filter(pk=added.pk).exists()
    r = client.post(PAGE, {"action": "remove", "period": added.pk, "confirm": "1"},
                    follow=True)
    assert "Tolto il periodo al 30/09/2021." in pages.text(r)
    assert [e.action for e in mm.AuditEvent.objects.order_by("pk")] == [
        "period_add", "period_deadline", "period_remove"]


def test_the_page_says_why_a_change_is_refused(client: Client, people: People) -> None:
    do_set_value(user=people.officer_a, period=people.interim, item=ValueInput(
        "3.1.1", "budget_innovazione", Decimal("9500000")))
    client.force_login(people.planning)
    r = client.post(PAGE, {"action": "remove", "period": people.interim.pk, "confirm": "1"})
    assert r.status_code == 400
    assert "il periodo al 30/06/2021 contiene 1 valore: non si può togliere" in pages.text(r)
    r = client.post(PAGE, {"action": "add", "date": "31/09/2021"})
    assert r.status_code == 400 and "«31/09/2021» non è una data" in pages.text(r)
    r = client.post(PAGE, {"action": "deadline", "period": people.interim.pk,
                           "deadline": "2021-06-01"})
    assert r.status_code == 400 and "la scadenza 01/06/2021 precede" in pages.text(r)
    assert mm.Period.objects.filter(plan=people.plan).count() == 7


def test_periods_add_takes_any_kind(people: People) -> None:
    """A removed year end or baseline can be put back; the date must fit the kind."""
    people.year_end.delete()
    people.baseline.delete()
    p = do_add_period(user=people.planning, plan=people.plan, end_date=D(2021, 12, 31),
                      deadline=D(2022, 1, 31), kind="year_end")
    assert (p.kind, p.year) == ("year_end", 2021)
    p = do_add_period(user=people.planning, plan=people.plan, end_date=D(2020, 12, 31),
                      deadline=None, kind="baseline")
    assert (p.kind, p.year) == ("baseline", 2020)
    with pytest.raises(WorkflowError, match="anno base del piano è al 31/12/2020"):
        do_add_period(user=people.planning, plan=people.plan, end_date=D(2019, 12, 31),
                      deadline=None, kind="baseline")
    with pytest.raises(WorkflowError, match="fine anno è il 31/12"):
        do_add_period(user=people.planning, plan=people.plan, end_date=D(2022, 9, 30),
                      deadline=None, kind="year_end")
    with pytest.raises(WorkflowError, match="non una data intermedia"):
        do_add_period(user=people.planning, plan=people.plan, end_date=D(2022, 12, 31),
                      deadline=None, kind="interim")


def test_the_command_adds_a_baseline(people: People, capsys) -> None:
    people.baseline.delete()
    code, out, err = run(capsys, "periods", "add", "--plan", KEY, "--date", "31/12/2020",
                         "--kind", "baseline", "--deadline", "31/01/2021")
    assert (code, err) == (0, "")
    assert "31/12/2020  baseline  31/01/2021  0" in out
