"""The upload page: form, report of a good file, every problem of a bad one, who may."""

from __future__ import annotations

from django.test import Client, override_settings

from cruscotto.web.measurements import models as mm

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


def test_a_good_file_is_reported_as_stored(people: People) -> None:
    page = logged_in(people.officer_a).post(url(people), {"file": csv_file([
        ("3.1.1", "budget_innovazione", "2021", "9500000", "")])})
    assert page.status_code == 200
    assert "1 riga salvata" in page.content.decode()
    assert mm.Value.objects.get().number == 9500000


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
