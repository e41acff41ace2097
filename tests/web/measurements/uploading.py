"""Helpers of the upload tests: values files built in memory, and the upload itself."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from cruscotto.web.measurements import models as mm
from cruscotto.web.measurements.uploads import UploadReport, do_upload_values

from .conftest import People

HEADER = ("indicator", "variable", "year", "value", "period")


def csv_file(rows: Iterable[Sequence[object]], *, header: Sequence[str] = HEADER,
             sep: str = ",", name: str = "valori.csv") -> SimpleUploadedFile:
    lines = [sep.join(header)] + [sep.join(str(c) for c in r) for r in rows]
    return SimpleUploadedFile(name, ("\n".join(lines) + "\n").encode("utf-8"),
                              content_type="text/csv")


def xlsx_file(rows: Iterable[Sequence[Any]], *, header: Sequence[str] = HEADER,
              name: str = "valori.xlsx") -> SimpleUploadedFile:
    wb = Workbook()
    ws = wb.active
    ws.append(list(header))
    for r in rows:
        ws.append(list(r))
    buf = io.BytesIO()
    wb.save(buf)
    return SimpleUploadedFile(name, buf.getvalue())


def upload(people: People, file: SimpleUploadedFile, user: Any = None,
           reason: str = "") -> UploadReport:
    return do_upload_values(user=user or people.officer_a, plan_id=people.plan.pk,
                            upload=file, reason=reason)


def problems(report: UploadReport) -> list[tuple[int, str]]:
    """(row, column) of every problem, in the report's order."""
    return [(p.row, p.column) for p in report.problems]


def nothing_written() -> bool:
    return not (mm.Value.objects.exists() or mm.ValueVersion.objects.exists()
                or mm.AuditEvent.objects.exists())
