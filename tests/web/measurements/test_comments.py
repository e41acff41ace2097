"""Comments on an indicator and period: a thread between its centre, the planning
office and the OIV, kept in the audit trail."""

from __future__ import annotations

import re

from django.test import Client

from cruscotto.web.measurements import models as mm
from tests.web import pages

from .conftest import People


def test_the_centre_and_the_planning_office_talk_on_the_values_page(people: People) -> None:
    url = f"/plans/{people.plan.key}/indicators/3.1.1/periods/2021-12-31/"
    officer, planning = Client(), Client()
    officer.force_login(people.officer_a)
    planning.force_login(people.planning)
    answer = officer.post(url, {"action": "comment", "comment": "Il dato arriva lunedì."},
                          HTTP_HX_REQUEST="true")
    assert answer.status_code == 200 and "Commento aggiunto." in pages.text(answer)
    planning.post(url, {"action": "comment", "comment": "Grazie, attendo."})
    text = pages.text(planning.get(url))
    assert text.index("Il dato arriva lunedì.") < text.index("Grazie, attendo.")
    events = mm.AuditEvent.objects.filter(action="comment", indicator_code="3.1.1")
    assert [(e.username, e.new) for e in events.order_by("pk")] == [
        ("officer_a", "Il dato arriva lunedì."), ("planning", "Grazie, attendo.")]


def test_an_empty_or_foreign_comment_is_refused(people: People) -> None:
    url = f"/plans/{people.plan.key}/indicators/3.1.1/periods/2021-12-31/"
    officer = Client()
    officer.force_login(people.officer_a)
    # the browser lets the whole limit be typed (an Italian "2.000" would stop it at 2)
    limits = re.findall(r'maxlength="([^"]*)"', officer.get(url).content.decode())
    assert limits and all(n.isdigit() for n in limits), limits
    answer = officer.post(url, {"action": "comment", "comment": "   "}, HTTP_HX_REQUEST="true")
    assert answer.status_code == 400 and "Scrivi il commento." in pages.text(answer)
    too_long = officer.post(url, {"action": "comment", "comment": "x" * 2001})
    assert too_long.status_code == 400
    assert "Il commento supera i 2000 caratteri (ne ha 2001)." in pages.text(too_long)
    other = Client()
    other.force_login(people.officer_b)
    assert other.post(url, {"action": "comment", "comment": "ciao"}).status_code == 403
    assert not mm.AuditEvent.objects.filter(action="comment").exists()
