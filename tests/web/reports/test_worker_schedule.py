"""The worker runs the day's reminders and the cleanup of old report jobs by itself
(``cruscotto db_worker``'s scheduler, docs/deployment.md): once a day at
``CRUSCOTTO_REMIND_AT``, however many workers run or restart. The scheduler's tick is
driven here with an explicit clock (no sleeps); what it enqueues is run by the real
worker in batch and delivered to a real local SMTP server.

The worker closes and reopens its database connection between tasks: the data are
committed (``transactional_db``), as in test_report_jobs."""

from __future__ import annotations

import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from cruscotto.cli import main
from cruscotto.web.measurements import models as mm
from cruscotto.web.reports import jobs, schedule
from cruscotto.web.reports.models import Edition, ReportJob, ScheduledRun
from cruscotto.web.settings import remind_at
from tests.web.measurements.conftest import make_people
from tests.web.measurements.test_reminders import Inbox, body
from tests.web.measurements.test_reminders import smtp as smtp  # noqa: F401 (fixture)
from tests.web.seeded import seeded_people

ROME = ZoneInfo("Europe/Rome")


def at(day: int, hour: int, minute: int = 0, month: int = 1) -> datetime.datetime:
    return datetime.datetime(2022, month, day, hour, minute, tzinfo=ROME)


@pytest.fixture(autouse=True)
def media(settings, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.CRUSCOTTO_REMIND_AT = datetime.time(7, 0)


def queued() -> list[tuple[str, list[object]]]:
    """The tasks on the queue: (name, arguments), sorted."""
    return sorted((r.task_path.rsplit(".", 1)[-1], r.args_kwargs["args"])
                  for r in DBTaskResult.objects.all())


def work() -> None:
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


def test_each_daily_job_is_enqueued_once_a_day_from_its_hour(db: None) -> None:
    assert schedule.tick(at(20, 0, 5)) == ["cleanup"]  # the cleanup: the first tick of a day
    assert schedule.tick(at(20, 6, 59)) == []
    assert schedule.tick(at(20, 7, 0)) == ["remind"]
    assert schedule.tick(at(20, 7, 1)) == [] and schedule.tick(at(20, 23, 59)) == []
    # a worker restarted late the next day catches up with both, once
    assert schedule.tick(at(21, 10, 30)) == ["remind", "cleanup"]
    assert schedule.tick(at(21, 10, 31)) == []
    assert queued() == [("cleanup", ["2022-01-20"]), ("cleanup", ["2022-01-21"]),
                        ("remind", ["2022-01-20"]), ("remind", ["2022-01-21"])]
    # the hour is local time: 06:30 UTC is 07:30 in Rome in winter
    assert schedule.tick(datetime.datetime(2022, 1, 22, 6, 30, tzinfo=datetime.UTC)) == [
        "remind", "cleanup"]


def test_a_second_worker_finds_the_day_done(db: None) -> None:
    # another worker (or this one before a restart) enqueued today's reminders
    ScheduledRun.objects.create(name="remind", day=datetime.date(2022, 1, 20))
    assert schedule.tick(at(20, 8)) == ["cleanup"]
    assert [name for name, _ in queued()] == ["cleanup"]


def test_the_reminders_hour_is_set_or_turned_off(db: None, settings) -> None:
    settings.CRUSCOTTO_REMIND_AT = datetime.time(9, 30)
    assert schedule.tick(at(20, 9, 29)) == ["cleanup"]
    assert schedule.tick(at(20, 9, 30)) == ["remind"]
    settings.CRUSCOTTO_REMIND_AT = None  # CRUSCOTTO_REMIND_AT=off: cron reminds, if anyone
    assert schedule.tick(at(21, 12)) == ["cleanup"]
    assert remind_at("07:00") == datetime.time(7, 0) and remind_at("off") is None
    with pytest.raises(Exception, match="CRUSCOTTO_REMIND_AT='7 di mattina'"):
        remind_at("7 di mattina")


def test_the_worker_delivers_the_days_digests_once(transactional_db: None,
                                                   smtp: Inbox) -> None:  # noqa: F811
    people = seeded_people()
    # the 2021 year end is due on 27/01/2022: a week after 20/01/2022
    mm.Period.objects.filter(pk=people.year_end.pk).update(deadline=datetime.date(2022, 1, 27))
    for u in (people.planning, people.officer_b):
        u.email = f"{u.username}@ente.it"
        u.save()
    assert schedule.tick(at(20, 7, 0)) == ["remind", "cleanup"]
    work()
    planning = smtp.to("planning@ente.it")
    assert [m["Subject"] for m in planning] == ["Cruscotto: promemoria del 20/01/2022"]
    assert "Scadenza fra 7 giorni:" in body(smtp.to("officer_b@ente.it")[0])
    assert DBTaskResult.objects.filter(status="SUCCESSFUL").count() == 2
    n = len(smtp.messages)
    # a second worker ticking the same day enqueues nothing; `cruscotto remind` from cron
    # on the same day sends nothing again
    assert schedule.tick(at(20, 7, 1)) == []
    assert main(["remind", "--today", "20/01/2022"]) == 0
    work()
    assert len(smtp.messages) == n


def _job(people, days_ago: int, status: str = ReportJob.DONE, **fields) -> ReportJob:
    job = ReportJob(plan=people.plan, year=2021, basis="certified", language="it",
                    fmt=fields.pop("fmt", "pdf"), status=status, **fields)
    job.file.save("relazione.pdf", ContentFile(b"%PDF-1.4 prova"), save=False)
    job.save()
    ReportJob.objects.filter(pk=job.pk).update(
        finished_at=timezone.now() - datetime.timedelta(days=days_ago))
    return job


def test_old_finished_jobs_are_cleaned_and_editions_kept(db: None, capsys) -> None:
    people = make_people()
    old, recent = _job(people, 8), _job(people, 6)
    failed = _job(people, 30, ReportJob.FAILED)
    running = _job(people, 30, ReportJob.RUNNING)
    # an approval not yet an edition holds the only copy of the figures: kept
    pending = _job(people, 30, ReportJob.FAILED, fmt=ReportJob.APPROVAL, edition_number=1,
                   act="Delibera n. 1", snapshot=b"")
    edition = Edition(plan=people.plan, year=2021, number=2, act="Delibera n. 2",
                      basis="certified", language="it", data_read_at=timezone.now(),
                      approved_at=timezone.now(), approved_by_name="prova")
    for fmt in ("pdf", "docx", "xlsx"):
        edition.file_of(fmt).save(f"relazione.{fmt}", ContentFile(b"%PDF-1.4 edizione"),
                                  save=False)
        setattr(edition, f"{fmt}_sha256", "0" * 64)
    edition.save(force_insert=True)
    published = _job(people, 30, fmt=ReportJob.APPROVAL, edition_number=2,
                     act="Delibera n. 2", edition=edition)
    old_file = Path(old.file.path)
    assert old_file.exists()

    assert main(["report", "cleanup"]) == 0
    assert "3 finished report job(s) deleted" in capsys.readouterr().out
    left = set(ReportJob.objects.values_list("pk", flat=True))
    assert left == {recent.pk, running.pk, pending.pk}
    assert not old_file.exists() and failed.pk not in left and published.pk not in left
    for fmt in ("pdf", "docx", "xlsx"):
        with Edition.objects.get(pk=edition.pk).file_of(fmt).open("rb") as fh:
            assert fh.read() == b"%PDF-1.4 edizione"
    # the setting, and --days
    with override_settings(CRUSCOTTO_REPORT_JOBS_KEEP_DAYS=5):
        assert jobs.cleanup().jobs == 1
    assert main(["report", "cleanup", "--days", "-1"]) == 2
    assert "--days -1: expected 0 or more days" in capsys.readouterr().err


def test_the_worker_command_ticks_when_it_starts(transactional_db: None, settings) -> None:
    settings.CRUSCOTTO_REMIND_AT = datetime.time(0, 0)  # due whatever the time of day
    call_command("db_worker", "--max-tasks", "2", "--interval", "0", "--no-startup-delay",
                 "--no-reload", verbosity=0)
    today = timezone.localdate()
    assert set(ScheduledRun.objects.values_list("name", "day")) == {
        ("remind", today), ("cleanup", today)}
    assert DBTaskResult.objects.filter(status="SUCCESSFUL").count() == 2
    # --no-schedule: the queue only (here one task put on it by hand)
    ScheduledRun.objects.all().delete()
    schedule.cleanup.enqueue(today.isoformat())
    call_command("db_worker", "--max-tasks", "1", "--interval", "0", "--no-schedule",
                 "--no-startup-delay", "--no-reload", verbosity=0)
    assert not ScheduledRun.objects.exists()
    assert DBTaskResult.objects.filter(status="SUCCESSFUL").count() == 3
