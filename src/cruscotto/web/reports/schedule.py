"""The worker's daily jobs: the reminders and the cleanup of old report files.

``cruscotto db_worker`` (:mod:`.management.commands.db_worker`, the queue's worker
with a :class:`Scheduler` beside it) calls :func:`tick` when it starts and then
about once a minute. A job whose
time of day has come and that has not run today is recorded (a
:class:`~.models.ScheduledRun` row, unique per job and day) and enqueued in the
same transaction: with several workers, or after a restart, it runs once a day.
A worker started after the hour catches up on the same day; a day the worker
was not running at all is not made up for (``remind`` would remind of that day,
not of today).

- ``remind``: :func:`cruscotto.web.measurements.notifications.send_reminders` for
  the day, at ``CRUSCOTTO_REMIND_AT`` (local time, 07:00 by default; ``off``: the
  worker does not remind, run ``cruscotto remind`` from cron instead). ``remind``
  itself never sends a person the same day's digest twice.
- ``cleanup``: :func:`cruscotto.web.reports.jobs.cleanup`, at the first tick of
  the day: finished report jobs older than ``CRUSCOTTO_REPORT_JOBS_KEEP_DAYS``.
"""

from __future__ import annotations

import datetime
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, close_old_connections, transaction
from django.utils import timezone
from django_tasks import task

from cruscotto.web.measurements.notifications import send_reminders
from cruscotto.web.reports import jobs
from cruscotto.web.reports.models import ScheduledRun

__all__ = ["INTERVAL", "Daily", "Scheduler", "daily_jobs", "tick"]

log = logging.getLogger(__name__)

#: seconds between two ticks of a running worker
INTERVAL = 60


@task()
def remind(day: str) -> int:
    """Send the day's reminders (the worker runs this); the number of digests sent."""
    return sum(o.sent for o in send_reminders(today=datetime.date.fromisoformat(day)))


@task()
def cleanup(day: str) -> int:
    """Delete old finished report jobs (the worker runs this); how many."""
    return jobs.cleanup().jobs


@dataclass(frozen=True)
class Daily:
    """A job the worker runs once a day, from ``at`` (local time) on."""

    name: str
    at: datetime.time
    enqueue: Callable[[str], Any]


def daily_jobs() -> list[Daily]:
    """The jobs of the day as the settings say (the reminders only when a time is set)."""
    out = [Daily("cleanup", datetime.time(0, 0), cleanup.enqueue)]
    at = getattr(settings, "CRUSCOTTO_REMIND_AT", None)
    if at is not None:
        out.insert(0, Daily("remind", at, remind.enqueue))
    return out


def tick(now: datetime.datetime | None = None) -> list[str]:
    """Enqueue each daily job whose time has come today and that no worker has enqueued
    today; the names of those enqueued (``now``: the clock, for tests)."""
    local = timezone.localtime(now or timezone.now())
    day = local.date()
    done: list[str] = []
    for job in daily_jobs():
        if local.time() < job.at:
            continue
        if ScheduledRun.objects.filter(name=job.name, day=day).exists():
            continue
        try:
            with transaction.atomic():
                ScheduledRun.objects.create(name=job.name, day=day)
                job.enqueue(day.isoformat())
        except IntegrityError:  # another worker enqueued it first
            continue
        log.info("enqueued the daily job %s for %s", job.name, day)
        done.append(job.name)
    return done


def _safe_tick() -> None:
    try:
        tick()
    except Exception:  # a locked database, a lost connection: the next tick retries
        log.exception("the worker's daily schedule failed; retrying")
    finally:
        close_old_connections()


class Scheduler:
    """The worker's clock: a tick when the worker starts, then one every ``interval``
    seconds in a daemon thread, until :meth:`stop` (the worker stopping)."""

    def __init__(self, interval: float = INTERVAL) -> None:
        self.interval = interval
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        _safe_tick()  # what is due is on the queue before the worker's first look

        def loop() -> None:
            while not self._stop.wait(self.interval):
                _safe_tick()

        self._thread = threading.Thread(target=loop, name="cruscotto-schedule", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
