"""``cruscotto db_worker``: django-tasks-db's worker, with the daily schedule beside it
(the reminders at ``CRUSCOTTO_REMIND_AT``, the cleanup of old report jobs;
:mod:`cruscotto.web.reports.schedule`). ``--batch`` runs the queue only (tests, a
one-off run); ``--no-schedule`` leaves the daily jobs to cron."""

from __future__ import annotations

import os
from argparse import ArgumentParser
from typing import Any

from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands import db_worker

from cruscotto.web.reports import schedule


class Command(db_worker.Command):
    help = ("Run the worker: the queue of report jobs, and once a day the reminders "
            "(CRUSCOTTO_REMIND_AT) and the cleanup of old report jobs")

    def add_arguments(self, parser: ArgumentParser) -> None:
        super().add_arguments(parser)
        parser.add_argument("--no-schedule", action="store_false", dest="schedule",
                            help="run the queue only: no daily reminders or cleanup")

    def handle(self, *args: Any, **options: Any) -> None:
        run_schedule = options.pop("schedule", True)
        # the auto-reloader's parent process only watches files: its child schedules
        watching = options.get("reload") and os.environ.get(DJANGO_AUTORELOAD_ENV) != "true"
        scheduler = None
        if run_schedule and not options.get("batch") and not watching:
            scheduler = schedule.Scheduler()
            scheduler.start()
        try:
            super().handle(*args, **options)
        finally:
            if scheduler is not None:
                scheduler.stop()
