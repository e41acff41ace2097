"""Reminders and notices by e-mail, delivered to a real local SMTP server
(aiosmtpd, started by the test): one digest a day per person, never twice;
workflow notices to the centre; every mail recorded."""

from __future__ import annotations

import datetime
import email
import socket
from collections.abc import Iterator
from email.message import Message
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client, override_settings

from cruscotto.cli import main
from cruscotto.web.measurements import models as mm
from cruscotto.web.measurements.demo import load_demo
from cruscotto.web.measurements.services import do_return
from cruscotto.web.settings import email_settings

from .conftest import People


class Inbox:
    """An aiosmtpd handler keeping every message it receives."""

    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        msg = email.message_from_bytes(envelope.content)
        msg["X-Rcpt"] = ", ".join(envelope.rcpt_tos)
        self.messages.append(msg)
        return "250 OK"

    def to(self, address: str) -> list[Message]:
        return [m for m in self.messages if address in m["X-Rcpt"]]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def smtp() -> Iterator[Inbox]:
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    url = f"smtp://127.0.0.1:{controller.port}"
    try:
        with override_settings(**email_settings(url), DEFAULT_FROM_EMAIL="cdg@ente.it"):
            yield inbox
    finally:
        controller.stop()


def body(m: Message) -> str:
    payload = m.get_payload(decode=True)
    assert isinstance(payload, bytes)
    return payload.decode(m.get_content_charset() or "utf-8")


@pytest.fixture
def campaign(people: People) -> People:
    load_demo(plan=people.plan)
    # the 2021 year end is due on 27/01/2022: a week after 20/01/2022
    mm.Period.objects.filter(pk=people.year_end.pk).update(deadline=datetime.date(2022, 1, 27))
    for u in (people.planning, people.oiv, people.officer_b, people.manager_a):
        u.email = f"{u.username}@ente.it"
        u.save()
    return people


def test_remind_delivers_one_digest_a_day(campaign: People, smtp: Inbox,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["remind", "--today", "20/01/2022"]) == 0
    planning = smtp.to("planning@ente.it")
    assert len(planning) == 1
    assert planning[0]["Subject"] == "Cruscotto: promemoria del 20/01/2022"
    assert planning[0]["From"] == "cdg@ente.it"
    assert "2 indicatori da validare." in body(planning[0])
    # the centre B officer: 4.2.2 (left in draft by the demo) due in a week
    officer = body(smtp.to("officer_b@ente.it")[0])
    assert "Scadenza fra 7 giorni:" in officer and "4.2.2" in officer
    assert "/indicators/4.2.2/periods/2021-12-31/" in officer
    out = capsys.readouterr().out
    assert "digest(s) sent for 20/01/2022." in out
    assert mm.SentMail.objects.filter(kind="digest").count() == len(smtp.messages)

    # the same day again: nothing new
    n = len(smtp.messages)
    assert main(["remind", "--today", "20/01/2022"]) == 0
    assert len(smtp.messages) == n
    assert "not sent (already sent)" in capsys.readouterr().out


def test_overdue_and_the_dry_run(campaign: People, smtp: Inbox,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["remind", "--today", "03/02/2022", "--dry-run"]) == 0
    assert smtp.messages == [] and not mm.SentMail.objects.exists()
    assert "not sent (dry run)" in capsys.readouterr().out
    assert main(["remind", "--today", "03/02/2022"]) == 0
    officer = body(smtp.to("officer_b@ente.it")[0])
    assert "In ritardo (scadenza passata):" in officer and "4.2.2" in officer


def test_a_person_reads_the_digest_in_their_language(campaign: People, smtp: Inbox) -> None:
    mm.MailPreference.objects.create(user=campaign.planning, language="en")
    assert main(["remind", "--today", "20/01/2022"]) == 0
    m = smtp.to("planning@ente.it")[0]
    assert m["Subject"] == "Cruscotto: reminder of 20/01/2022"
    assert "2 indicators to validate." in body(m)


def test_returned_values_are_mailed_to_the_centre(campaign: People, smtp: Inbox,
                                                  django_capture_on_commit_callbacks: Any
                                                  ) -> None:
    m = mm.Measurement.objects.get(indicator__code="3.3.1", period=campaign.year_end)
    centre = m.indicator.centres.first()
    mm.CentreMembership.objects.create(user=campaign.officer_b, centre=centre, role="officer")
    with django_capture_on_commit_callbacks(execute=True):
        do_return(user=campaign.planning, period=campaign.year_end, indicator="3.3.1",
                  reason="il numeratore non torna", expected_version=m.version)
    got = smtp.to("officer_b@ente.it")
    assert [g["Subject"] for g in got] == ["Cruscotto: 3.3.1 al 31/12/2021 restituito al centro"]
    assert "Motivo: il numeratore non torna" in body(got[0])
    # every member of the centre is told (the centre's manager as well); each mail recorded
    recorded = set(mm.SentMail.objects.filter(kind="returned").values_list("to", flat=True))
    assert "officer_b@ente.it" in recorded
    assert all(smtp.to(address) for address in recorded)


def test_the_planning_office_lists_the_mails_sent(campaign: People, smtp: Inbox) -> None:
    main(["remind", "--today", "20/01/2022"])
    c = Client()
    c.force_login(campaign.planning)
    html = c.get("/mails/").content.decode()
    assert "Cruscotto: promemoria del 20/01/2022" in html and "officer_b@ente.it" in html
    c.force_login(campaign.officer_b)
    assert c.get("/mails/").status_code == 403
    assert len(mail.outbox) == 0  # everything went through the real SMTP server
    # the planning office of another organisation sees none of this one's mails
    from cruscotto.web.accounts.models import OrgRole
    from cruscotto.web.plans.models import Organisation

    other = get_user_model().objects.create_user("altrove")
    OrgRole.objects.create(user=other, role="planning",
                           organisation=Organisation.objects.create(name="Altrove"))
    c.force_login(other)
    html = c.get("/mails/").content.decode()
    assert "officer_b@ente.it" not in html and "promemoria del 20/01/2022" not in html


def test_a_person_chooses_the_language_of_their_mails(people: People) -> None:
    c = Client()
    c.force_login(people.officer_a)
    page = f"/plans/{people.plan.key}/updates/"
    answer = c.post("/mails/language/", {"language": "en", "next": page})
    assert answer.status_code == 302 and answer["Location"] == page
    assert mm.MailPreference.objects.get(user=people.officer_a).language == "en"
    assert "Lingua delle e-mail salvata." in c.get(page).content.decode()
    assert c.post("/mails/language/", {"language": "xx"}).status_code == 400
    assert mm.MailPreference.objects.get(user=people.officer_a).language == "en"
