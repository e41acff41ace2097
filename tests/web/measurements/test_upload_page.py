"""The upload page: form, report of a good file, every problem of a bad one, who may."""

from __future__ import annotations

import re
from html import unescape

from django.test import Client, override_settings

from cruscotto.web.measurements import models as mm
from cruscotto.web.measurements.uploads import do_upload_values

from .conftest import People
from .uploading import csv_file


def url(people: People) -> str:
    return f"/plans/{people.plan.key}/upload/"


def logged_in(user: object) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_it_shows_the_form_with_labelled_fields_and_template_links(people: People) -> None:
    page = logged_in(people.manager_a).get(url(people))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'for="file"' in html and 'id="file"' in html and 'for="period"' in html
    assert "template.csv" in html and 'action="/plans/' in html
    assert 'value="2021-06-30"' in html


def token(html: str) -> str:
    found = re.search(r'name="token" value="([^"]+)"', html)
    assert found, "no confirmation form"
    return found.group(1)


def test_a_good_file_is_previewed_then_stored_when_confirmed(people: People) -> None:
    client = logged_in(people.officer_a)
    page = client.post(url(people), {"file": csv_file([
        ("3.1.1", "budget_innovazione", "2021", "9500000", "")])})
    assert page.status_code == 200
    html = page.content.decode()
    assert "Nulla è ancora salvato" in html and 'id="changes"' in html
    assert "1 valore nuovo" in html and 'data-kind="new"' in html
    assert "9.500.000" in html
    assert not mm.Value.objects.exists()  # nothing stored before the confirmation
    page = client.post(url(people), {"action": "confirm", "token": token(html)})
    assert page.status_code == 200
    assert "1 riga salvata" in page.content.decode()
    assert mm.Value.objects.get().number == 9500000
    # the same confirmation again finds nothing to confirm
    again = client.post(url(people), {"action": "confirm", "token": token(html)})
    assert again.status_code == 400 and "Non c'è un caricamento da confermare" in \
        unescape(again.content.decode())
    assert mm.Value.objects.get().version == 1


def test_the_preview_tells_new_changed_cleared_and_blank(people: People) -> None:
    client = logged_in(people.officer_a)
    first = client.post(url(people), {"file": csv_file([
        ("3.1.1", "budget_innovazione", "2021", "100", ""),
        ("3.1.1", "contabilizzato_innovazione", "2021", "50", "")])})
    client.post(url(people), {"action": "confirm", "token": token(first.content.decode())})
    page = client.post(url(people), {"file": csv_file([
        ("3.1.1", "budget_innovazione", "2021", "200", ""),
        ("3.1.1", "contabilizzato_innovazione", "2021", "cancella", ""),
        ("3.1.2", "risposte_innovazione", "2021", "", ""),
        ("3.1.2", "giudizi_positivi_innovazione", "2021", "7", "")])})
    html = page.content.decode()
    assert page.status_code == 200
    for kind in ("changed", "cleared", "new"):
        assert html.count(f'data-kind="{kind}"') == 1, kind
    assert "1 riga vuota lascia il valore com’è" in html
    assert {(v.variable, v.number) for v in mm.Value.objects.all()} == {
        ("budget_innovazione", 100), ("contabilizzato_innovazione", 50)}


def test_a_value_changed_after_the_preview_is_refused_at_the_confirmation(
        people: People) -> None:
    client = logged_in(people.officer_a)
    page = client.post(url(people), {"file": csv_file([
        ("3.1.1", "budget_innovazione", "2021", "100", "")])})
    # meanwhile a colleague stores another value
    do_upload_values(user=people.manager_a, plan_id=people.plan.pk, upload=csv_file([
        ("3.1.1", "budget_innovazione", "2021", "300", "")]))
    refused = client.post(url(people), {"action": "confirm", "token": token(
        page.content.decode())})
    assert refused.status_code == 400
    html = refused.content.decode()
    assert "Nessun valore salvato" in html and "ora vale 300" in html
    assert mm.Value.objects.get().number == 300


def test_a_confirmation_of_someone_else_s_preview_is_refused(people: People) -> None:
    page = logged_in(people.officer_a).post(url(people), {"file": csv_file([
        ("3.1.1", "budget_innovazione", "2021", "100", "")])})
    other = logged_in(people.manager_a).post(url(people), {
        "action": "confirm", "token": token(page.content.decode())})
    assert other.status_code == 400 and not mm.Value.objects.exists()


def test_submit_all_sends_the_completed_indicators_each_checked(people: People) -> None:
    client = logged_in(people.officer_a)
    page = client.post(url(people), {"file": csv_file([
        # 3.1.1 reaches its target (>= 90%), 3.1.2 misses it (50% < 90%): no explanation
        ("3.1.1", "budget_innovazione", "2021", "100", ""),
        ("3.1.1", "contabilizzato_innovazione", "2021", "95", ""),
        ("3.1.2", "risposte_innovazione", "2021", "10", ""),
        ("3.1.2", "giudizi_positivi_innovazione", "2021", "5", "")])})
    stored = client.post(url(people), {"action": "confirm", "token": token(
        page.content.decode())})
    html = stored.content.decode()
    items = re.findall(r'name="item" id="[^"]+" value="([^"]+)"', html)
    assert sorted(i.split("@")[0] for i in items) == ["3.1.1", "3.1.2"]
    sent = client.post(url(people), {"action": "submit", "item": items})
    assert sent.status_code == 200
    html = sent.content.decode()
    assert "1 indicatore inviato" in html and "1 indicatore non inviato" in html
    assert "motiva lo scostamento" in html
    states = dict(mm.Measurement.objects.values_list("indicator__code", "state"))
    assert states["3.1.1"] == "submitted" and states.get("3.1.2", "draft") == "draft"


def test_a_bad_file_lists_every_problem_and_stores_nothing(people: People) -> None:
    page = logged_in(people.officer_a).post(url(people), {"file": csv_file([
        ("3.1.1", "budget_innovazione", "2021", "abc", ""),
        ("9.9.9", "budget_innovazione", "2021", "1", "")])})
    assert page.status_code == 400
    html = page.content.decode()
    assert "Nessun valore salvato" in html and 'id="problems"' in html
    assert "<caption>" in html and "«abc» non è un numero" in html
    assert '<th scope="row">2</th>' in html and '<th scope="row">3</th>' in html
    assert not mm.Value.objects.exists()


def test_a_post_without_a_file_asks_for_one(people: People) -> None:
    page = logged_in(people.officer_a).post(url(people), {})
    assert page.status_code == 400 and "Scegli un file" in page.content.decode()


def test_someone_of_another_centre_is_told_row_by_row(people: People) -> None:
    page = logged_in(people.officer_b).post(url(people), {"file": csv_file([
        ("3.1.1", "budget_innovazione", "2021", "1", "")])})
    assert page.status_code == 400 and "non fai parte di quel centro" in page.content.decode()
    assert not mm.Value.objects.exists()


def test_outsiders_are_refused_and_strangers_sent_to_log_in(people: People) -> None:
    assert logged_in(people.viewer).get(url(people)).status_code == 403
    assert logged_in(people.oiv).get(url(people)).status_code == 403
    planning = logged_in(people.planning)
    assert planning.get(url(people)).status_code == 200
    assert planning.post(url(people), {"file": csv_file([])}).status_code == 403
    anonymous = Client().get(url(people))
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    assert Client().get(url(people) + "template.csv").status_code == 302


def test_an_unknown_plan_is_not_found(people: People) -> None:
    assert logged_in(people.officer_a).get("/plans/nessuno/upload/").status_code == 404


def test_my_updates_links_to_the_upload(people: People) -> None:
    page = logged_in(people.officer_a).get(f"/plans/{people.plan.key}/updates/")
    assert f'href="{url(people)}"' in page.content.decode()


@override_settings(CRUSCOTTO_UPLOAD_MAX_BYTES=1000)
def test_a_file_over_the_limit_is_reported_as_too_large(people: People) -> None:
    big = [("3.1.1", "budget_innovazione", "2021", "1" * 20, "")] * 2000
    page = logged_in(people.officer_a).post(url(people), {"file": csv_file(big)})
    assert page.status_code == 400 and "troppo grande" in page.content.decode()
    assert not mm.Value.objects.exists()


def test_the_preview_reads_in_english_on_request(people: People) -> None:
    client = logged_in(people.officer_a)
    page = client.post(url(people), {"file": csv_file([
        ("3.1.1", "budget_innovazione", "2021", "100", "")])},
        headers={"accept-language": "en"})
    html = unescape(page.content.decode())
    assert "Nothing is stored yet." in html and "1 new value" in html
    assert "Confirm and store the values" in html and "What will change, row by row" in html
    assert not any(w in html for w in ("Anteprima", "Nulla è", "valore nuovo", "Conferma"))
