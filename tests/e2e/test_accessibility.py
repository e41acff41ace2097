"""Every main page in Chromium with axe-core (WCAG 2.1 AA), anonymous and signed in,
with the seed plan and the demo values; and the dashboard filters from the keyboard."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from cruscotto.web.measurements.demo import load_demo
from cruscotto.web.plans import models as pm
from tests.web.measurements.conftest import CENTRE_B, make_people

from .conftest import axe_violations
from .test_measurement_cycle import sign_in

PUBLIC = [
    "/",
    "/plans/{key}/",
    "/plans/{key}/dashboard/",
    "/plans/{key}/dashboard/?year=2021&mission=011&centre={centre}&status=yellow",
    "/plans/{key}/dashboard/?year=1999",
    "/plans/{key}/strategic/3/",
    "/plans/{key}/operational/3.1/",
    "/plans/{key}/centres/",
    "/plans/{key}/centres/{centre}/",
    "/plans/{key}/indicators/3.1.1/",
    "/plans/{key}/indicators/6.5.4/",
    "/plans/{key}/search/?q=budget",
    "/accounts/login/",
    "/accounts/password_reset/",
    "/accounts/password_reset/done/",
]
SIGNED_IN = [
    "/plans/{key}/dashboard/",
    "/plans/{key}/updates/",
    "/plans/{key}/indicators/3.1.1/periods/2021-12-31/",
    "/plans/{key}/indicators/3.3.1/",
    "/plans/{key}/upload/",
    "/accounts/password_change/",
]


@pytest.fixture
def site(transactional_db: None, live_server: Any) -> dict[str, str]:
    people = make_people()
    load_demo(plan=people.plan)
    centre = pm.ResponsibilityCentre.objects.get(plan=people.plan, name=CENTRE_B).key
    return {"base": live_server.url, "key": people.plan.key, "centre": centre}


def _check(page: Any, base: str, paths: list[str], site: dict[str, str]) -> dict[str, Any]:
    found = {}
    for path in paths:
        url = base + path.format(**site)
        response = page.goto(url)
        assert response is not None and response.status == 200, url
        # what is folded away is checked too: open every <details>
        page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
        violations = axe_violations(page)
        if violations:
            found[path] = violations
    return found


def test_every_main_page_passes_axe_anonymous_and_signed_in(site: dict[str, str],
                                                             page: Any) -> None:
    base = site["base"]
    assert _check(page, base, PUBLIC, site) == {}
    sign_in(page, base, "officer_a")
    expect(page.get_by_role("button", name="Esci")).to_be_visible()
    assert _check(page, base, SIGNED_IN, site) == {}
    sign_in(page, base, "planning")
    assert _check(page, base, ["/plans/{key}/dashboard/?status=red",
                               "/plans/{key}/updates/",
                               "/plans/{key}/periods/2021-12-31/campaign/",
                               "/plans/{key}/periods/2021-12-31/campaign/?late=1",
                               "/plans/{key}/indicators/3.3.1/periods/2021-12-31/",
                               "/mails/"], site) == {}


def test_the_dashboard_filters_work_with_the_keyboard_alone(site: dict[str, str],
                                                            page: Any) -> None:
    page.goto(f"{site['base']}/plans/{site['key']}/dashboard/")
    mission = page.locator("#f-mission")
    for _ in range(80):
        page.keyboard.press("Tab")
        if mission.evaluate("el => el === document.activeElement"):
            break
    else:
        pytest.fail("the mission filter cannot be reached with Tab")
    page.keyboard.press("ArrowDown")  # "Tutte" → the first mission, 011
    expect(mission).to_have_value("011")
    button = page.get_by_role("button", name="Applica i filtri")
    for _ in range(5):
        page.keyboard.press("Tab")
        if button.evaluate("el => el === document.activeElement"):
            break
    else:
        pytest.fail("the apply button cannot be reached with Tab")
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{site['base']}/plans/{site['key']}/dashboard/"
                             "?year=2021&mission=011&centre=&status=")
    expect(page.locator("#table-missions tbody tr")).to_have_count(1)
    expect(page.locator("#f-mission")).to_have_value("011")
