"""Reports rendered by the worker queue, so that a request never waits for WeasyPrint.

The download of a PDF stores a :class:`~.models.ReportJob` and enqueues
:func:`render_job` on the database queue (django-tasks with its ORM backend,
docs/decisions/0006-report-jobs-django-tasks-db.md); the worker (``cruscotto
db_worker``, started by ``make run``) renders it and stores the file; the job's
page shows the progress and then the download. What the job renders is decided
when it is asked for (the basis the reader may have), and every reader allowed
that basis gets the same document.

An approval from the page (:func:`ask_approval`) reads the report at once, in the
request, and stores it with the job; the worker renders those figures in the three
formats and stores the edition (:func:`approve_job`): the edition holds exactly the
figures at the moment of approval, whenever the worker gets to it. Until then the
edition is listed "in preparazione" with its progress; a failure is listed with a
*Riprova* button (:func:`retry`). The edition takes its number when it is stored (the
next after the last edition), so a failed approval, retried or not, leaves no gap; the
list shows each pending approval with the number it will take if they are published in
the order they were approved.

Finished jobs' files are deleted after ``CRUSCOTTO_REPORT_JOBS_KEEP_DAYS`` days
(:func:`cleanup`: the worker's daily schedule, ``cruscotto report cleanup``); an
approved edition's files are the edition's own and never deleted.
"""

from __future__ import annotations

import dataclasses
import datetime
import logging
import pickle
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django_tasks import task

from cruscotto.web.plans import models as pm
from cruscotto.web.reports import editions, render
from cruscotto.web.reports.data import CERTIFIED, build_report
from cruscotto.web.reports.models import Edition, ReportJob

log = logging.getLogger(__name__)

#: the formats rendered by the worker: the PDF (WeasyPrint takes seconds); the DOCX
#: and the XLSX take a fraction of a second and are answered at once
QUEUED_FORMATS = ("pdf",)


def ask(*, plan: pm.Plan, year: int, date: datetime.date | None, basis: str, fmt: str,
        user: Any = None, lang: str = "it") -> ReportJob:
    """Store the job and put it on the queue; the worker does the rest."""
    job = ReportJob.objects.create(
        plan=plan, year=year, date=date, basis=basis, fmt=fmt, language=lang,
        requested_by=user if getattr(user, "is_authenticated", False) else None)
    render_job.enqueue(str(job.pk))
    return job


def _step(job: ReportJob, **fields: Any) -> None:
    for k, v in fields.items():
        setattr(job, k, v)
    job.save(update_fields=list(fields))


@task()
def render_job(job_id: str) -> None:
    """Render the job's report and store the file (the worker runs this)."""
    job = ReportJob.objects.select_related("plan").get(pk=job_id)
    if job.status == ReportJob.DONE:
        return
    _step(job, status=ReportJob.RUNNING, progress=10)
    try:
        with translation.override(job.language):
            report = build_report(plan_key=job.plan.key, year=job.year, date=job.date,
                                  basis=job.basis)
            _step(job, progress=40)
            content = render.render(report, job.fmt)
            name = render.file_name(report, job.fmt)
    except Exception as exc:
        log.exception("report job %s failed", job_id)
        _step(job, status=ReportJob.FAILED, error=str(exc)[:2000],
              finished_at=timezone.now())
        raise
    job.file.save(name, ContentFile(content), save=False)
    _step(job, file=job.file, status=ReportJob.DONE, progress=100,
          finished_at=timezone.now())


# -- approvals -------------------------------------------------------------------------------

def ask_approval(*, plan: pm.Plan, year: int, act: str, user: Any, lang: str = "it"
                 ) -> ReportJob:
    """Record the Giunta's approval of ``year``'s Relazione: read the report now (the
    figures the edition will hold), keep it with the job and put the job on the queue.
    Refuses (:class:`~.editions.ApprovalError`) what :func:`~.editions.approve` refuses."""
    editions.check_approver(user, plan)
    act = editions.clean_act(act)
    report = editions.read_report(plan=plan, year=year, lang=lang)
    with transaction.atomic():
        editions.lock_plan(plan)
        # the number it will take if the approvals before it are published first; the
        # edition takes its number when it is stored (editions.publish)
        number = editions.next_number(plan, year) + len(pending_approvals(plan.pk, year))
        frozen = dataclasses.replace(report, edition=number, act=act)
        job = ReportJob.objects.create(
            plan=plan, year=year, date=None, basis=CERTIFIED, fmt=ReportJob.APPROVAL,
            language=lang, act=act, edition_number=number,
            snapshot=pickle.dumps(frozen, protocol=pickle.HIGHEST_PROTOCOL),
            requested_by=user if getattr(user, "is_authenticated", False) else None)
        approve_job.enqueue(str(job.pk))
    return job


#: the progress after each format of an approval is rendered
_APPROVAL_PROGRESS = {"pdf": 70, "docx": 80, "xlsx": 90}


@task()
def approve_job(job_id: str) -> None:
    """Render the approval's report as read when approved and store the edition, with the
    number it takes now (the worker runs this)."""
    job = ReportJob.objects.select_related("plan", "requested_by").get(pk=job_id)
    if job.edition_id is not None or not job.is_approval or job.snapshot is None:
        return
    _step(job, status=ReportJob.RUNNING, progress=10, error="")
    try:
        report = pickle.loads(bytes(job.snapshot))
        edition = editions.publish(
            plan=job.plan, year=job.year, act=job.act, report=report, lang=job.language,
            user=job.requested_by, approved_at=job.requested_at,
            rendered=lambda fmt: _step(job, progress=_APPROVAL_PROGRESS.get(fmt, 90)))
    except Exception as exc:
        log.exception("approval job %s failed", job_id)
        _step(job, status=ReportJob.FAILED, error=str(exc)[:2000],
              finished_at=timezone.now())
        raise
    _step(job, edition=edition, edition_number=edition.number, status=ReportJob.DONE,
          progress=100, finished_at=timezone.now())


def pending_approvals(plan_id: int, year: int) -> list[ReportJob]:
    """The approvals of ``year`` not yet an edition (being prepared, or failed), newest
    first, each with the number it will take (``edition_number``) if they are published
    in the order they were approved: the numbers after the last edition. A failed
    approval holds no number: the next edition published takes it."""
    rows = list(ReportJob.objects.filter(
        plan_id=plan_id, year=year, fmt=ReportJob.APPROVAL, edition__isnull=True
    ).order_by("requested_at", "pk"))
    if rows:
        first = editions.next_number(plan_id, year)
        for i, job in enumerate(rows):
            job.edition_number = first + i
    return rows[::-1]


def with_number(job: ReportJob) -> ReportJob:
    """``job`` with the number its edition has or, not yet published, will take
    (:func:`pending_approvals`)."""
    if job.is_approval and job.edition_id is None:
        for pending in pending_approvals(job.plan_id, job.year):
            if pending.pk == job.pk:
                job.edition_number = pending.edition_number
    return job


def retry(job: ReportJob) -> bool:
    """Put a failed job back on the queue (the same request: an approval keeps the figures
    read when it was approved); False when it has not failed."""
    with transaction.atomic():
        updated = ReportJob.objects.filter(pk=job.pk, status=ReportJob.FAILED).update(
            status=ReportJob.QUEUED, progress=0, error="", finished_at=None)
        if not updated:
            return False
        (approve_job if job.is_approval else render_job).enqueue(str(job.pk))
    job.refresh_from_db()
    return True


# -- cleanup ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Cleaned:
    jobs: int
    files: int


def cleanup(*, now: datetime.datetime | None = None, days: int | None = None) -> Cleaned:
    """Delete the finished (ready or failed) report jobs older than ``days`` (default
    ``CRUSCOTTO_REPORT_JOBS_KEEP_DAYS``) with their files. An approval's job is kept
    while it holds the only copy of the figures (not yet an edition); an edition's files
    are never touched."""
    keep = settings.CRUSCOTTO_REPORT_JOBS_KEEP_DAYS if days is None else days
    before = (now or timezone.now()) - datetime.timedelta(days=keep)
    old = ReportJob.objects.filter(status__in=(ReportJob.DONE, ReportJob.FAILED),
                                   finished_at__lt=before).exclude(
        fmt=ReportJob.APPROVAL, edition__isnull=True)
    edition_files = _edition_files()
    jobs = files = 0
    for job in old:
        if job.file and job.file.name not in edition_files:
            job.file.delete(save=False)
            files += 1
        job.delete()
        jobs += 1
    return Cleaned(jobs, files)


def _edition_files() -> set[str]:
    names: set[str] = set()
    for row in Edition.objects.values_list("pdf", "docx", "xlsx", "oiv_document"):
        names.update(n for n in row if n)
    return names
