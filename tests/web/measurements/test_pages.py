"""The values page and the indicator page, for each of the three people."""

from __future__ import annotations

from decimal import Decimal

from django.test import Client

from cruscotto.web.measurements import models as mm
from cruscotto.web.measurements.services import ValueInput, do_set_value

from .. import pages
from .conftest import People

PLAN = "/plans/cciaa-mimblo-2021-2023"
PAGE = f"{PLAN}/indicators/3.1.1/periods/2021-12-31/"


def login(client: Client, who: object) -> Client:
    client.force_login(who)
    return client


def test_the_officer_saves_values_and_sees_the_achievement(client: Client,
                                                            people: People) -> None:
    login(client, people.officer_a)
    response = client.post(PAGE, {
        "action": "save", "value-budget_innovazione": "9.500.000",
        "value-contabilizzato_innovazione": "8835000", "version-budget_innovazione": "0",
        "version-contabilizzato_innovazione": "0"})
    assert response.status_code == 302
    text = pages.text(client.get(PAGE))
    assert "93%" in text and "100%" in text and "bozza" in text
    assert mm.Value.objects.get(variable="budget_innovazione").number == Decimal("9500000")


def test_a_bad_number_is_shown_next_to_its_field_and_nothing_is_saved(
        client: Client, people: People) -> None:
    login(client, people.officer_a)
    response = client.post(PAGE, {"action": "save", "value-budget_innovazione": "1.500",
                                  "value-contabilizzato_innovazione": "10"})
    assert response.status_code == 400
    assert "è ambiguo" in pages.text(response)
    assert not mm.Value.objects.exists()


def test_another_centre_can_neither_read_the_draft_nor_post(client: Client,
                                                           people: People) -> None:
    do_set_value(user=people.officer_a, period=people.year_end, item=ValueInput(
        "3.1.1", "budget_innovazione", Decimal("9500000")))
    login(client, people.officer_b)
    assert client.get(PAGE).status_code == 403
    response = client.post(PAGE, {"action": "save", "value-budget_innovazione": "1"})
    assert response.status_code == 403
    assert mm.Value.objects.get().number == Decimal("9500000")


def test_anonymous_people_are_sent_to_the_login(client: Client, people: People) -> None:
    response = client.get(PAGE)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_stale_form_gets_a_conflict_with_the_current_value(client: Client,
                                                            people: People) -> None:
    do_set_value(user=people.manager_a, period=people.year_end, item=ValueInput(
        "3.1.1", "budget_innovazione", Decimal("9600000")))
    login(client, people.officer_a)
    response = client.post(PAGE, {"action": "save", "value-budget_innovazione": "9500000",
                                  "version-budget_innovazione": "0"})
    assert response.status_code == 409
    assert "ora vale 9.600.000" in pages.text(response)


def test_the_indicator_page_shows_drafts_only_to_whom_may_read_them(
        client: Client, people: People) -> None:
    for var, val in (("budget_innovazione", "9500000"),
                     ("contabilizzato_innovazione", "8835000")):
        do_set_value(user=people.officer_a, period=people.year_end,
                     item=ValueInput("3.1.1", var, Decimal(val)))
    url = f"{PLAN}/indicators/3.1.1/"
    public = pages.text(client.get(url))
    assert "non ancora validato" in public and "93%" not in public
    own = pages.text(login(client, people.officer_a).get(url))
    assert "93%" in own and "100% (verde)" in own


def test_my_updates_lists_what_the_officer_must_supply(client: Client,
                                                       people: People) -> None:
    text = pages.text(login(client, people.officer_a).get(f"{PLAN}/updates/"))
    assert "3.1.1" in text and "4.2.2" not in text


def test_the_admin_shows_history_read_only_and_lets_deadlines_be_set(
        client: Client, people: People) -> None:
    from django.contrib.auth import get_user_model

    admin = get_user_model().objects.create_superuser("root", password="pw")
    do_set_value(user=people.officer_a, period=people.year_end, item=ValueInput(
        "3.1.1", "budget_innovazione", Decimal("9500000")))
    login(client, admin)
    event = mm.AuditEvent.objects.get()
    assert client.get(f"/admin/measurements/auditevent/{event.pk}/change/").status_code == 200
    assert client.post(f"/admin/measurements/auditevent/{event.pk}/delete/",
                       {"post": "yes"}).status_code == 403
    assert client.get("/admin/measurements/auditevent/add/").status_code == 403
    assert mm.AuditEvent.objects.count() == 1
    period = people.year_end
    response = client.post(f"/admin/measurements/period/{period.pk}/change/", {
        "plan": period.plan_id, "year": 2021, "end_date": "31/12/2021",
        "kind": "year_end", "deadline": "15/02/2022"})
    assert response.status_code == 302
    period.refresh_from_db()
    assert period.deadline.isoformat() == "2022-02-15"


def test_evidence_is_attached_type_and_size_limited_and_downloaded_by_whom_may_read(
        client: Client, people: People, settings: object, tmp_path: object) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = str(tmp_path)  # type: ignore[attr-defined]
    do_set_value(user=people.officer_a, period=people.year_end, item=ValueInput(
        "3.1.1", "budget_innovazione", Decimal("9500000")))
    login(client, people.officer_a)
    bad = client.post(PAGE, {"action": "evidence", "evidence_variable": "budget_innovazione",
                             "evidence": SimpleUploadedFile("virus.exe", b"MZ")})
    assert bad.status_code == 400 and "tipo di file non accettato" in pages.text(bad)
    settings.CRUSCOTTO_EVIDENCE_MAX_BYTES = 10  # type: ignore[attr-defined]
    big = client.post(PAGE, {"action": "evidence", "evidence_variable": "budget_innovazione",
                             "evidence": SimpleUploadedFile("bilancio.pdf", b"%PDF" * 10)})
    assert big.status_code == 400 and "più dei 10 ammessi" in pages.text(big)
    settings.CRUSCOTTO_EVIDENCE_MAX_BYTES = 10_000  # type: ignore[attr-defined]
    ok = client.post(PAGE, {"action": "evidence", "evidence_variable": "budget_innovazione",
                            "evidence": SimpleUploadedFile("bilancio.pdf", b"%PDF-1.4 demo")})
    assert ok.status_code == 302
    ev = mm.Evidence.objects.get()
    assert ev.name == "bilancio.pdf" and ev.content_type == "application/pdf"
    url = f"{PAGE}evidence/{ev.pk}/"
    assert "bilancio.pdf" in pages.text(client.get(PAGE))
    got = client.get(url)
    assert got.status_code == 200 and b"".join(got.streaming_content) == b"%PDF-1.4 demo"
    client.logout()
    login(client, people.officer_b)
    assert client.get(url).status_code == 403
    assert mm.AuditEvent.objects.filter(action="evidence").count() == 1


def test_the_indicator_page_shows_original_and_revised_targets(client: Client,
                                                               people: People) -> None:
    from cruscotto.web.measurements.services import do_revise_target

    url = f"{PLAN}/indicators/3.1.1/"
    assert "Target rimodulato" not in pages.text(client.get(url))
    do_revise_target(user=people.planning, plan_id=people.plan.pk, indicator="3.1.1",
                     year=2022, text=">=85%", justification="bando rinviato")
    text = pages.text(client.get(url))
    assert "Target rimodulato" in text
    assert "2022 >=90% >=85%" in text and "bando rinviato" in text


def test_the_planning_office_revises_a_target_from_the_values_page(
        client: Client, people: People) -> None:
    login(client, people.officer_a)
    assert "Rimodula il target" not in pages.text(client.get(PAGE))
    refused = client.post(PAGE, {"action": "revise_target", "target_text": ">=80%",
                                 "justification": "x"})
    assert refused.status_code == 403 and not mm.TargetRevision.objects.exists()
    client.logout()
    login(client, people.planning)
    assert "Rimodula il target 2021" in pages.text(client.get(PAGE))
    no_reason = client.post(PAGE, {"action": "revise_target", "target_text": ">=80%",
                                   "justification": ""})
    assert no_reason.status_code == 400 and not mm.TargetRevision.objects.exists()
    ok = client.post(PAGE, {"action": "revise_target", "target_text": ">=80%",
                            "justification": "bando sospeso tre mesi"})
    assert ok.status_code == 302
    rev = mm.TargetRevision.objects.get()
    assert (rev.year, rev.previous_text, rev.text) == (2021, ">=90%", ">=80%")
    assert ">=90% → >=80%" in pages.text(client.get(PAGE))
