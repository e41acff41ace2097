"""People and roles outside the admin: the people page, invitations, the XLSX import,
roles that belong to one organisation, and the ``cruscotto people`` command."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from openpyxl import Workbook, load_workbook

from cruscotto.cli import main
from cruscotto.core.workflow import Role
from cruscotto.web.accounts import models as am
from cruscotto.web.accounts.permissions import actor_for
from cruscotto.web.plans import models as pm

from ..measurements.conftest import CENTRE_A, CENTRE_B
from ..measurements.test_reminders import Inbox, body
from .conftest import World

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _client(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _signs_in(username: str, password: str) -> bool:
    """Through the login page, as a person would (axes wants the request)."""
    return Client().post("/accounts/login/", {"username": username,
                                              "password": password}).status_code == 302


def _centre(world: World, name: str) -> pm.ResponsibilityCentre:
    return pm.ResponsibilityCentre.objects.get(plan=world.people.plan, name=name)


def _sheet(*rows: list[Any]) -> SimpleUploadedFile:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["e-mail", "nome", "cognome", "ente", "ruolo nell'ente", "piano", "centro",
               "ruolo nel centro"])
    for r in rows:
        ws.append(r)
    out = io.BytesIO()
    wb.save(out)
    return SimpleUploadedFile("persone.xlsx", out.getvalue(), content_type=XLSX)


# -- roles belong to an organisation ---------------------------------------------------------

def test_a_role_counts_only_on_the_plans_of_its_organisation(world: World) -> None:
    plan = world.people.plan.pk
    # planning office of the other organisation: nobody on the seed plan
    assert actor_for(world.other_planning, plan).roles == set()
    am.OrgRole.objects.create(user=world.other_planning, organisation=world.seed_org,
                              role="viewer")
    assert actor_for(world.other_planning, plan).roles == {Role.VIEWER}
    assert actor_for(world.people.planning, plan).roles == {Role.PLANNING}


def test_the_planning_office_of_another_organisation_cannot_validate(world: World) -> None:
    c = _client(world.other_planning)
    page = c.get(f"/plans/{world.people.plan.key}/periods/")
    assert page.status_code == 403


# -- the people page -----------------------------------------------------------------------

def test_the_administrator_invites_a_person_who_chooses_a_password(
        world: World, smtp: Inbox, django_capture_on_commit_callbacks: Any) -> None:
    c = _client(world.admin)
    with django_capture_on_commit_callbacks(execute=True):
        answer = c.post("/people/", {"action": "invite", "email": "Anna.Verdi@Ente.it",
                                     "first_name": "Anna", "last_name": "Verdi"})
    assert answer.status_code == 302
    page = c.get("/people/").content.decode()
    assert "Invito inviato a anna.verdi@ente.it." in page
    assert "Anna Verdi" in page and "password non ancora scelta" in page
    [mail] = smtp.to("anna.verdi@ente.it")
    assert mail["Subject"] == "Cruscotto: il tuo accesso"
    text = body(mail)
    assert "Il tuo nome utente è: anna.verdi@ente.it" in text
    link = re.search(r"https?://\S+", text)
    assert link is not None
    # the link opens the page to choose a password, once
    anna = Client()
    form = anna.get(link.group(0), follow=True)
    assert "Scegli la tua password" in form.content.decode()
    done = anna.post(form.redirect_chain[-1][0], {"new_password1": "Trifoglio-2026",
                                                  "new_password2": "Trifoglio-2026"},
                     follow=True)
    assert "Password salvata" in done.content.decode()
    assert _signs_in("anna.verdi@ente.it", "Trifoglio-2026")
    again = Client().get(link.group(0), follow=True).content.decode()
    assert "Il collegamento non vale più" in again
    assert list(am.PeopleEvent.objects.values_list("action", "username")) == [
        ("add", "amministratore"), ("invite", "amministratore")]
    # once the password is chosen, no new invitation
    anna_pk = get_user_model().objects.get(username="anna.verdi@ente.it").pk
    again = c.post("/people/", {"action": "reinvite", "person": anna_pk})
    assert again.status_code == 400
    assert "ha già scelto la sua password" in again.content.decode()


def test_an_invitation_to_an_address_already_used_is_refused_visibly(world: World) -> None:
    world.people.officer_a.email = "officer@ente.it"
    world.people.officer_a.save()
    c = _client(world.admin)
    for headers in ({}, {"HTTP_HX_REQUEST": "true"}):
        answer = c.post("/people/", {"action": "invite", "email": "officer@ente.it"},
                        **headers)
        assert answer.status_code == 400
        html = answer.content.decode()
        assert "E-mail: esiste già una persona con l&#x27;indirizzo officer@ente.it" in html
    # htmx gets the panel only, with the form still filled in
    assert "<html" not in html and 'value="officer@ente.it"' in html
    bad = c.post("/people/", {"action": "invite", "email": "non-un-indirizzo"})
    assert "«non-un-indirizzo» non è un indirizzo" in bad.content.decode()
    assert get_user_model().objects.filter(email="non-un-indirizzo").count() == 0


def test_the_planning_office_assigns_centres_of_its_organisation_not_roles(
        world: World) -> None:
    c = _client(world.people.planning)
    viewer = world.people.viewer
    answer = c.post("/people/", {"action": "member_add", "person": viewer.pk,
                                 "centre": _centre(world, CENTRE_B).pk, "role": "officer"})
    assert answer.status_code == 302
    assert dict(actor_for(viewer, world.people.plan.pk).centres) == {CENTRE_B: {Role.OFFICER}}
    refused = c.post("/people/", {"action": "role_add", "person": viewer.pk,
                                  "organisation": world.seed_org.pk, "role": "oiv"},
                     HTTP_HX_REQUEST="true")
    assert refused.status_code == 403
    assert ("Solo l&#x27;amministratore di " in refused.content.decode()
            and "dà e toglie i ruoli nell&#x27;ente" in refused.content.decode())
    assert not am.OrgRole.objects.filter(user=viewer, role="oiv").exists()
    event = am.PeopleEvent.objects.get()
    assert (event.action, event.username, event.subject_username) == (
        "membership_added", "planning", "viewer")
    assert event.detail == f"officer: {CENTRE_B} ({world.people.plan.key})"


def test_the_planning_office_of_another_organisation_touches_nothing_here(
        world: World) -> None:
    c = _client(world.other_planning)
    page = c.get("/people/").content.decode()
    assert CENTRE_A not in page  # it manages no centre of the seed plan's organisation
    assert "officer_a" not in page and "cdg-altrove" in page  # nor lists its people
    answer = c.post("/people/", {"action": "member_add", "person": world.other_planning.pk,
                                 "centre": _centre(world, CENTRE_A).pk, "role": "manager"})
    assert answer.status_code == 403
    assert "assegnano i suoi centri" in answer.content.decode()
    assert not am.CentreMembership.objects.filter(user=world.other_planning).exists()
    assert c.post("/people/", {"action": "deactivate", "person": world.people.officer_a.pk}
                  ).status_code == 403
    assert get_user_model().objects.get(pk=world.people.officer_a.pk).is_active


def test_people_without_a_role_to_manage_are_refused(world: World) -> None:
    for user in (world.people.officer_a, world.people.viewer, world.people.oiv):
        assert _client(user).get("/people/").status_code == 403
    assert Client().get("/people/").status_code == 302  # to the login


def test_a_deactivated_person_cannot_sign_in_and_is_shown_so(world: World) -> None:
    c = _client(world.admin)
    officer = world.people.officer_a
    c.post("/people/", {"action": "deactivate", "person": officer.pk})
    assert not _signs_in("officer_a", "pw-officer_a")
    page = c.get("/people/").content.decode()
    assert "officer_a è disattivato: non può più accedere." in page
    c.post("/people/", {"action": "reactivate", "person": officer.pk})
    assert _signs_in("officer_a", "pw-officer_a")
    assert list(am.PeopleEvent.objects.values_list("action", flat=True)) == [
        "deactivate", "reactivate"]


def test_the_people_page_in_english(world: World) -> None:
    c = _client(world.admin)
    c.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = c.get("/people/").content.decode()
    assert "People and roles" in page and "Invite a person" in page
    refused = c.post("/people/", {"action": "invite", "email": "x"}).content.decode()
    assert "«x» is not an address" in refused


def test_the_people_page_costs_the_same_queries_for_few_and_many_people(
        world: World) -> None:
    c = _client(world.admin)
    c.get("/people/")

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert c.get("/people/").status_code == 200
        return len(ctx.captured_queries)

    few = count()
    User = get_user_model()
    centre = _centre(world, CENTRE_A)
    for i in range(30):
        u = User.objects.create_user(f"persona{i}", f"p{i}@ente.it")
        am.OrgRole.objects.create(user=u, organisation=world.seed_org, role="viewer")
        am.CentreMembership.objects.create(user=u, centre=centre, role="officer")
    assert count() == few <= 12


# -- the XLSX import and export ------------------------------------------------------------

def test_an_import_with_a_wrong_row_stores_nothing_and_names_row_and_column(
        world: World, smtp: Inbox, django_capture_on_commit_callbacks: Any) -> None:
    key = world.people.plan.key
    org = world.seed_org.name
    c = _client(world.admin)
    with django_capture_on_commit_callbacks(execute=True):
        answer = c.post("/people/", {"action": "import", "file": _sheet(
            ["luca.neri@ente.it", "Luca", "Neri", org, "controllo di gestione", "", "", ""],
            ["sara.blu@ente.it", "Sara", "Blu", org, "capo", "", "", ""],
            ["sara.blu@ente.it", "", "", "", "", key, "Ufficio inesistente", "referente"],
        )})
    assert answer.status_code == 400
    html = answer.content.decode()
    assert "Riga 3, colonna «ruolo nell&#x27;ente»: «capo» non è un ruolo" in html
    assert "Riga 4, colonna «centro»: nessun centro «Ufficio inesistente»" in html
    assert not get_user_model().objects.filter(email__in=["luca.neri@ente.it",
                                                          "sara.blu@ente.it"]).exists()
    assert smtp.messages == [] and not am.PeopleEvent.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        answer = c.post("/people/", {"action": "import", "file": _sheet(
            ["luca.neri@ente.it", "Luca", "Neri", org, "controllo di gestione", "", "", ""],
            ["sara.blu@ente.it", "Sara", "Blu", org, "lettore", "", "", ""],
            ["sara.blu@ente.it", "", "", "", "", key, CENTRE_B, "referente del centro"],
        )}, follow=True)
    assert ("Importate: 2 persone nuove (invitate), 2 ruoli nell&#x27;ente, "
            "1 assegnazioni ai centri.") in answer.content.decode()
    sara = get_user_model().objects.get(email="sara.blu@ente.it")
    assert actor_for(sara, world.people.plan.pk).roles == {Role.VIEWER}
    assert dict(actor_for(sara, world.people.plan.pk).centres) == {CENTRE_B: {Role.OFFICER}}
    assert smtp.to("luca.neri@ente.it") and smtp.to("sara.blu@ente.it")


def test_the_export_is_the_import_format_with_inert_cells(world: World) -> None:
    world.people.viewer.first_name = "=HYPERLINK(\"http://evil.example\")"
    world.people.viewer.email = "viewer@ente.it"
    world.people.viewer.save()
    answer = _client(world.admin).get("/people/persone.xlsx")
    assert answer.status_code == 200 and answer["Content-Type"] == XLSX
    ws = load_workbook(io.BytesIO(answer.content)).active
    assert ws is not None
    rows = [[c.value for c in r] for r in ws.iter_rows()]
    assert rows[0][:5] == ["e-mail", "nome", "cognome", "ente", "ruolo nell'ente"]
    viewer = next(r for r in rows if r[0] == "viewer@ente.it")
    assert viewer[1] == "'=HYPERLINK(\"http://evil.example\")"  # text, never a formula
    assert viewer[3:5] == [world.seed_org.name, "viewer"]
    # the planning office's export holds only its own organisation's roles
    other = _client(world.other_planning).get("/people/persone.xlsx")
    ws = load_workbook(io.BytesIO(other.content)).active
    assert ws is not None
    assert world.seed_org.name not in {c.value for r in ws.iter_rows() for c in r}


# -- the command line -------------------------------------------------------------------------

@override_settings(CRUSCOTTO_SITE_URL="https://cruscotto.ente.it")
def test_people_add_assign_list_for_scripts(
        world: World, smtp: Inbox, capsys: pytest.CaptureFixture[str],
        django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        assert main(["people", "add", "marta.rosa@ente.it", "--first-name", "Marta",
                     "--invite"]) == 0
    [mail] = smtp.to("marta.rosa@ente.it")
    assert "https://cruscotto.ente.it/accounts/reset/" in body(mail)
    assert main(["people", "assign", "marta.rosa@ente.it", "--organisation",
                 world.seed_org.name, "--role", "oiv"]) == 0
    assert main(["people", "assign", "marta.rosa@ente.it", "--plan",
                 world.people.plan.key, "--centre", CENTRE_A, "--role", "manager"]) == 0
    capsys.readouterr()
    assert main(["people", "list", "--organisation", world.seed_org.name]) == 0
    out = capsys.readouterr().out
    line = next(x for x in out.splitlines() if x.startswith("marta.rosa@ente.it"))
    assert f"oiv@{world.seed_org.name}" in line and f"manager@{CENTRE_A}" in line
    assert "cdg-altrove" not in out
    assert main(["people", "assign", "marta.rosa@ente.it", "--organisation",
                 world.seed_org.name, "--role", "capo"]) == 2
    assert "«capo» non è un ruolo" in capsys.readouterr().err
    events = list(am.PeopleEvent.objects.values_list("action", "username"))
    assert events == [("add", "riga di comando"), ("invite", "riga di comando"),
                      ("role_added", "riga di comando"),
                      ("membership_added", "riga di comando")]


@override_settings(CRUSCOTTO_SITE_URL="https://cruscotto.ente.it")
def test_people_import_at_the_command_line_is_all_or_nothing(
        world: World, tmp_path: Any, capsys: pytest.CaptureFixture[str]) -> None:
    sheet = tmp_path / "persone.xlsx"
    sheet.write_bytes(_sheet(
        ["ugo.gialli@ente.it", "Ugo", "Gialli", world.seed_org.name, "lettore", "", "", ""],
        ["non-un-indirizzo", "", "", "", "", "", "", ""]).read())
    assert main(["people", "import", str(sheet)]) == 1
    err = capsys.readouterr().err
    assert "Riga 3, colonna «e-mail»: «non-un-indirizzo» non è un indirizzo" in err
    assert not get_user_model().objects.filter(email="ugo.gialli@ente.it").exists()
