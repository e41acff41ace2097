"""A file of 10,000 rows is accepted in seconds (timed and printed, not asserted).

The seed plan has about fifty inputs a period, so the file is made for a
synthetic plan: 1,000 indicators reading two variables each (``a_k / b_k``),
over five periods (the baseline, then an interim date and the year end of
2021 and 2022): 2,000 rows a period.
"""

from __future__ import annotations

import io
import time
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from openpyxl import Workbook

from cruscotto.core import plan as core
from cruscotto.core.values import Variable
from cruscotto.web.measurements import models as mm
from cruscotto.web.measurements.services import ensure_periods
from cruscotto.web.measurements.uploads import do_upload_values
from cruscotto.web.plans import models as pm
from cruscotto.web.plans.services import write_plan

INDICATORS = 1000
CENTRE = "Centro sintetico"


def synthetic_plan() -> core.Plan:
    indicators = [core.Indicator(
        code=f"1.0.{k}", name=f"Indicatore {k}", strategic_code="1", centres=[CENTRE],
        targets={2021: ">= 90%", 2022: ">= 90%"}, formula=f"a_{k} / b_{k}")
        for k in range(1, INDICATORS + 1)]
    plan = core.Plan(
        organisation=core.Organisation(name="Ente sintetico", code="SYN"),
        title="Piano sintetico 2021-2022", years=[2021, 2022],
        strategic_objectives=[core.StrategicObjective(code="1", title="Obiettivo")],
        indicators=indicators,
        variables=[Variable(f"{p}_{k}") for k in range(1, INDICATORS + 1) for p in "ab"])
    plan.sync_registries()
    return plan


def rows(periods: list[mm.Period]) -> list[tuple[str, str, int, str, str]]:
    out = []
    for p in periods:
        date = f"{p.end_date:%d/%m/%Y}" if p.is_interim else ""
        for k in range(1, INDICATORS + 1):
            out.append((f"1.0.{k}", f"a_{k}", p.year, f"{k % 97},5", date))
            out.append((f"1.0.{k}", f"b_{k}", p.year, f"{100 + k}", date))
    return out


def as_csv(data: list[tuple[str, str, int, str, str]]) -> SimpleUploadedFile:
    lines = ["indicator;variable;year;value;period"]
    lines += [";".join(str(c) for c in r) for r in data]
    return SimpleUploadedFile("grande.csv", "\n".join(lines).encode())


def as_xlsx(data: list[tuple[str, str, int, str, str]]) -> SimpleUploadedFile:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("valori")
    ws.append(["indicator", "variable", "year", "value", "period"])
    for code, var, year, value, date in data:
        ws.append([code, var, year, float(Decimal(value.replace(",", "."))), date])
    buf = io.BytesIO()
    wb.save(buf)
    return SimpleUploadedFile("grande.xlsx", buf.getvalue())


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_file_of_10000_rows_is_accepted(db: None, fmt: str,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    db_plan = write_plan(plan=synthetic_plan())
    periods = ensure_periods(plan=db_plan)
    assert len(periods) == 5
    officer = get_user_model().objects.create_user("officer", password="pw")
    mm.CentreMembership.objects.create(
        user=officer, role="officer",
        centre=pm.ResponsibilityCentre.objects.get(plan=db_plan, name=CENTRE))
    data = rows(periods)
    assert len(data) == 10_000
    file = as_csv(data) if fmt == "csv" else as_xlsx(data)

    start = time.perf_counter()
    report = do_upload_values(user=officer, plan_id=db_plan.pk, upload=file)
    first = time.perf_counter() - start
    assert report.accepted, report.problems[:5]
    assert (report.rows, report.stored, report.changed) == (10_000, 10_000, 10_000)
    assert mm.Value.objects.filter(period__plan=db_plan).count() == 10_000
    assert mm.ValueVersion.objects.count() == 10_000
    assert mm.AuditEvent.objects.count() == 10_000

    file.seek(0)
    start = time.perf_counter()
    again = do_upload_values(user=officer, plan_id=db_plan.pk, upload=file)
    second = time.perf_counter() - start
    assert again.accepted and again.changed == 0
    with capsys.disabled():
        print(f"\n[values upload] 10,000 rows, {fmt.upper()} "
              f"({len(file.read()) if file.seek(0) == 0 else 0:,} bytes), "
              f"{connection.vendor}: new values {first:.2f} s, "
              f"same file again (nothing changes) {second:.2f} s")
