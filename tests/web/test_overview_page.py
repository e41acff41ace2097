"""The plan overview: missions → strategic → operational objectives → indicators."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from cruscotto.core.plan import Plan
from cruscotto.data import default_plan

from . import pages

pytestmark = pytest.mark.django_db

URL = "/plans/cciaa-pr-2021-2023/"


@pytest.fixture
def page(client: Client, small_plan: Plan):
    pages.store_published(small_plan)
    return client.get(URL)


def test_it_shows_the_plan_with_its_totals(page) -> None:
    text = pages.text(page)
    assert page.status_code == 200
    assert "Camera di Commercio di Prova" in text  # header
    assert "Piano della Performance 2021-2023" in text
    assert ("2 missioni 2 obiettivi strategici 2 obiettivi operativi 4 indicatori "
            "3 centri di responsabilità") in text


def test_it_counts_objectives_and_indicators_under_each_mission(page) -> None:
    text = pages.text(page)
    assert ("Missione 011 · Competitività e sviluppo delle imprese "
            "2 obiettivi strategici · 1 obiettivo operativo · 3 indicatori") in text
    assert "1 obiettivo strategico · 1 obiettivo operativo · 1 indicatore" in text
    # strategic objective 3 is under both missions, each time with that mission's part
    assert text.count("Obiettivo strategico 3 · IMPRESE SOLIDE INNOVATIVE INTERNAZIONALI") == 2
    assert "Obiettivo operativo 3.1 · INNOVAZIONE: digitalizzazione delle imprese (2 indicatori)" \
        in text
    assert "Obiettivo strategico 6 · EFFICIENZA E QUALITÀ DEI SERVIZI 0 obiettivi operativi · " \
        "1 indicatore" in text


def test_it_shows_budgets_in_italian_format(page) -> None:
    text = pages.text(page)
    assert "Programma 005 · Regolazione dei mercati — budget € 19.350.072" in text
    assert "budget € 1.234.567,50" in text


def test_it_links_every_indicator(page) -> None:
    links = pages.links(page)
    for code, name in [("3.1.1", "Grado di utilizzo del budget per l'innovazione"),
                       ("3.1.2", "Avvio della piattaforma per la qualità dei servizi digitali"),
                       ("3.2.1", "Imprese assistite sui mercati esteri"),
                       ("6.0.1", "Incidenza dei costi di struttura")]:
        assert links[f"{code} {name}"] == f"{URL}indicators/{code}/"


def test_each_section_can_be_collapsed(page) -> None:
    html = page.content.decode()
    controls = re.findall(r'data-bs-toggle="collapse"[^>]*aria-controls="([^"]+)"', html)
    assert len(controls) == 2 + 3  # two missions; objective 3 twice and objective 6
    for target in controls:
        assert f'id="{target}"' in html


def test_the_page_is_navigable_by_keyboard_and_screen_reader(page) -> None:
    html = page.content.decode()
    assert '<html lang="it">' in html
    assert 'href="#main"' in html and 'id="main"' in html  # skip link and its target
    for landmark in ("<header", "<main", "<footer", '<nav class="breadcrumb-container"'):
        assert landmark in html
    levels = [int(h) for h in re.findall(r"<h([1-6])", html)]
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False))


def test_it_uses_the_same_few_queries_whatever_the_plan_size(
    client: Client, small_plan: Plan, django_assert_max_num_queries, settings
) -> None:
    settings.PAGE_CACHE_BYTES = 0  # the view's own reads, not a page served kept
    pages.store_published(small_plan)
    big = pages.store_published(default_plan())
    # the first time, the plan is read whole (its revision, then read_plan: 13 queries,
    # one per table, variables included); then only its revision, until it changes
    with django_assert_max_num_queries(14):
        client.get(URL)
    with django_assert_max_num_queries(14):
        response = client.get(f"/plans/{big.key}/")
    assert "36 indicatori" in pages.text(response)
    with django_assert_max_num_queries(1):
        response = client.get(f"/plans/{big.key}/")
    assert "36 indicatori" in pages.text(response)


def test_it_answers_404_for_an_unknown_plan(client: Client) -> None:
    response = client.get("/plans/nessun-piano-2021-2023/")
    assert response.status_code == 404
    assert "Pagina non trovata" in pages.text(response)


@pytest.mark.parametrize("lang", ["it", "en"])
@pytest.mark.parametrize("n", [0, 1, 2, 1234])
def test_counted_writes_what_blocktranslate_count_writes(lang: str, n: int) -> None:
    """The overview's counts per node (the ``counted`` filter): the same text as the
    ``{% blocktranslate count %}`` they replace, in both languages."""
    from django.template import Context, Template
    from django.utils import translation

    blocks = {
        "strategic": "{{ counter }} obiettivo strategico{% plural %}{{ counter }} obiettivi "
                     "strategici",
        "operational": "{{ counter }} obiettivo operativo{% plural %}{{ counter }} obiettivi "
                       "operativi",
        "indicator": "{{ counter }} indicatore{% plural %}{{ counter }} indicatori",
    }
    with translation.override(lang):
        for what, block in blocks.items():
            expected = Template(
                "{% load i18n %}{% blocktranslate count counter=n %}" + block
                + "{% endblocktranslate %}").render(Context({"n": n}))
            got = Template(f'{{% load plans_tags %}}{{{{ n|counted:"{what}" }}}}').render(
                Context({"n": n}))
            assert got == expected
