"""The process the fault tests kill: a plan import or a values upload, paused mid-transaction.

Run as ``python -m tests.faults.worker MODE ...`` with the database of the test
in the environment (``DATABASE_URL`` / ``CRUSCOTTO_DATA_DIR``). Modes:

``hashes``
    print the content hashes of the database (``cruscotto.web.backup``) as JSON.
``make-plan OUT``
    write the shipped plan with every indicator renamed (so importing it
    changes many rows) to OUT (YAML).
``import-plan FILE PAUSE``
    run ``cruscotto plan import FILE`` (the CLI's own code).
``make-upload OUT USER``
    write a values CSV changing every value USER may upload in the period with
    the most values.
``upload FILE USER PAUSE``
    upload FILE as USER through the service of the upload page.

How the kill lands mid-transaction, deterministically: with PAUSE_AFTER > 0 a
database execute wrapper (Django's ``connection.execute_wrapper``, installed
here in the test's process only, nothing in the application) counts the
statements that write (INSERT, UPDATE, DELETE) inside an open transaction;
right after the PAUSE-th one (PAUSE a number), or the first one writing to the
table PAUSE (a table name), it prints ``PAUSED ...`` on stdout and sleeps. The
test waits for that line and sends SIGKILL: the process dies with writes done
and the transaction neither committed nor rolled back. PAUSE ``0`` runs to the
end (the control: the same work does change the database).
"""

from __future__ import annotations

import json
import os
import sys
import time
from decimal import Decimal
from typing import Any


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cruscotto.web.settings")
    import django

    django.setup()


def _pausing(pause: str) -> Any:
    """Pause after the ``pause``-th write in a transaction, or after the first write to
    the table named ``pause``; never for ``0``."""
    from django.db import connection

    writes = 0
    after = int(pause) if pause.isdigit() else None

    def wrapper(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        nonlocal writes
        result = execute(sql, params, many, context)
        verb = sql.lstrip().split(None, 1)[0].upper() if sql.strip() else ""
        if pause != "0" and connection.in_atomic_block and verb in {"INSERT", "UPDATE",
                                                                     "DELETE"}:
            writes += 1
            if writes == after or (after is None and f'"{pause}"' in sql.split("SET")[0]):
                print(f"PAUSED after {writes} writes: {sql[:60]}", flush=True)
                time.sleep(3600)  # the test kills us here
        return result

    return connection.execute_wrapper(wrapper)


def main(argv: list[str]) -> int:
    mode, args = argv[0], argv[1:]
    _setup()
    if mode == "hashes":
        from cruscotto.web.backup import content_hashes

        print(json.dumps(content_hashes(), sort_keys=True))
        return 0
    if mode == "make-plan":
        from cruscotto.data import default_plan
        from cruscotto.io.interchange import dump_path

        plan = default_plan()
        for ind in plan.indicators:
            ind.name = f"{ind.name} (rivisto)"
        dump_path(plan, args[0])
        return 0
    if mode == "import-plan":
        from cruscotto.cli import main as cli

        with _pausing(args[1]):
            return cli(["plan", "import", args[0]])
    if mode == "make-upload":
        return _make_upload(args[0], args[1])
    if mode == "upload":
        from django.contrib.auth import get_user_model
        from django.core.files.uploadedfile import SimpleUploadedFile

        from cruscotto.web.measurements.uploads import do_upload_values
        from cruscotto.web.plans import models as pm

        user = get_user_model().objects.get(username=args[1])
        with open(args[0], "rb") as fh:
            upload = SimpleUploadedFile("valori.csv", fh.read())
        with _pausing(args[2]):
            report = do_upload_values(user=user, plan_id=pm.Plan.objects.get().pk,
                                      upload=upload)
        print(f"stored {report.stored}; problems {len(report.problems)}", flush=True)
        for problem in report.problems[:5]:
            print(problem, file=sys.stderr)
        return 0 if report.accepted else 1
    raise SystemExit(f"unknown mode {mode}")


def _make_upload(out: str, username: str) -> int:
    from django.contrib.auth import get_user_model

    from cruscotto.core.values import VariableKind
    from cruscotto.web.measurements import models as mm
    from cruscotto.web.measurements.uploads import TemplateRow, template_csv, template_rows
    from cruscotto.web.plans import models as pm
    from cruscotto.web.plans.selectors import read_plan

    user = get_user_model().objects.get(username=username)
    plan = pm.Plan.objects.get()
    yes_no = {v.name for v in read_plan(plan.key).variables if v.kind is VariableKind.YES_NO}
    best: list[TemplateRow] = []
    for period in mm.Period.objects.filter(plan=plan):
        rows = template_rows(user=user, plan_id=plan.pk, period=period)
        if len(rows) > len(best):
            best = rows

    def changed_value(r: TemplateRow) -> Decimal | bool:
        if r.value is None:
            return r.variable in yes_no or Decimal(42)
        return (not r.value) if isinstance(r.value, bool) else Decimal(r.value) + 1

    # values a certified figure read are frozen (the upload would be refused): leave them
    frozen = {(i["period"], i["variable"]) for rec in mm.CertifiedRecord.objects.filter(
        plan=plan, superseded_at=None) for i in rec.inputs}
    periods = list(mm.Period.objects.filter(plan=plan))
    on_date = {p.end_date: p.pk for p in periods}
    year_end = {p.year: p.pk for p in periods if p.end_date.month == 12 and p.end_date.day == 31}

    def period_of(r: TemplateRow) -> int | None:  # a template names interim dates only
        return on_date.get(r.period) if r.period else year_end.get(r.year)

    changed = [TemplateRow(r.indicator, r.variable, r.label, r.year, r.period,
                           changed_value(r), r.version) for r in best
               if (period_of(r), r.variable) not in frozen]
    with open(out, "wb") as fh:
        fh.write(template_csv(changed))
    print(len(changed))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
