"""Reports rendered by the worker queue, so that a request never waits for WeasyPrint.

The download of a PDF stores a :class:`~.models.ReportJob` and enqueues
:func:`render_job` on the database queue (django-tasks with its ORM backend,
docs/decisions/0006-report-jobs-django-tasks-db.md); the worker (``cruscotto
db_worker``, started by ``make run``) renders it and stores the file; the job's
page shows the progress and then the download. What the job renders is decided
when it is asked for (the basis the reader may have), and every reader allowed
that basis gets the same document.
"""

from __future__ import annotations

import datetime
import logging
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone, translation
from django_tasks import task

from cruscotto.web.plans import models as pm
from cruscotto.web.reports import render
from cruscotto.web.reports.data import build_report
from cruscotto.web.reports.models import ReportJob

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
